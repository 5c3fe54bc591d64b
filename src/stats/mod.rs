//! Statistics: what the engine records (per-interval counters of one
//! replication), the figures derived from them, and their aggregation across
//! replications.

pub mod counters;
pub mod in_system;
pub mod metrics;
pub mod recorder;
pub mod summary;

pub use counters::{Counters, PoolCell, StreamCell};
pub use in_system::InSystem;
pub use metrics::{Entry, Layout, Level, Metric, Scope};
pub use recorder::{CallerOutcome, Recorder};
pub use summary::Estimate;
