//! Planning on top of the simulator: paired comparisons of two scenarios,
//! sweeps of a parameter, staffing optimisation, forecasts of a new theme and
//! the `[expect]` promises of `ccsim check`. Staffing and forecasts see a
//! pool's offered load through one interval-load model ([`load`]).
//! Comparisons and sweeps use common random numbers (the same seed gives
//! every variant the same arrivals, handle times and patience where the
//! scenarios agree), so differences are measured much more precisely than
//! two independent runs would allow.
//!
//! Planning imports `montecarlo`, `erlang`, `stats`, `scenario` and `model`;
//! it never prints and never touches files.

pub mod backtest;
pub mod compare;
pub mod erlang;
pub mod figure_key;
pub mod forecast;
pub mod load;
pub mod promises;
pub mod schedule;
pub mod staff;
pub mod sweep;
pub mod target;

pub use figure_key::{FigureKey, FigureLevel, ScopeKind};
pub use staff::{
    Per, PlanKind, PoolPlan, Progress, StaffError, StaffOptions, StaffResult, optimise,
};
pub use target::{Target, TargetError, TargetMetric};
