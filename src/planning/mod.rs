//! Planning on top of the simulator: staffing optimisation (`ccsim staff`).
//!
//! Planning imports `montecarlo`, `erlang`, `stats` and `model`; it never
//! prints and never touches files.

pub mod staff;
pub mod target;

pub use staff::{Per, Progress, StaffError, StaffOptions, StaffResult, optimise};
pub use target::{Target, TargetError, TargetMetric};
