//! Statistics: what the engine records (per-interval counters of one
//! replication), the figures derived from them, their aggregation across
//! replications, and the typed results of a run with their file layout.

pub mod counters;
mod deferred;
pub mod estimate;
pub mod in_system;
pub mod metrics;
pub mod precision;
pub mod recorder;
pub mod results;
pub mod rolling;
pub mod summary_file;
mod totals;

pub use counters::{Counters, PoolCell, StreamCell};
pub use estimate::{Estimate, On, Verdict};
pub use in_system::InSystem;
pub use metrics::{Entry, Layout, Level, Metric, Scope};
pub use recorder::{CallerOutcome, ContactEnd, Ended, Recorder};
pub use results::{RunInfo, RunResults, ScenarioInfo};
pub use rolling::Rolling;
pub use summary_file::SummaryFile;
