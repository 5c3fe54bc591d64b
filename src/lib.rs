//! # ccsim: a discrete-event simulator of multi-channel contact centers
//!
//! A scenario (TOML) describes a horizon of days, lines with opening hours,
//! channels (call, chat, e-mail), themes of demand and agent pools. ccsim
//! simulates it replication by replication and reports every figure with its
//! 95% confidence interval.
//!
//! A tour of the library, from file to figures:
//!
//! ```
//! use ccsim::{montecarlo, scenario};
//!
//! // 1. Parse and validate a scenario into a model.
//! let scenario = scenario::parse_str(scenario::QUICKSTART, "quickstart.toml", None).unwrap();
//! // 2. Run replications in parallel; the seed fixes every random number.
//! let options = montecarlo::RunOptions { replications: 8, seed: 42, threads: Some(2) };
//! let result = montecarlo::run(&scenario.model, options, &|| {}).unwrap();
//! // 3. Read a figure by its typed key: the reachability of calls over the horizon.
//! use ccsim::{model::Channel, stats::{Metric, Scope}};
//! let results = result.results(&scenario.model);
//! let call = results.horizon(Scope::Channel(Channel::Call), Metric::Reachability).unwrap();
//! assert!(call.mean.unwrap() > 0.5 && call.mean.unwrap() <= 1.0);
//! ```
//!
//! Modules, in the order data flows: [`scenario`] (file to model), [`model`]
//! (validated plain data), [`engine`] (one replication), [`stats`] (counters,
//! figures, aggregation, the typed results of a run), [`montecarlo`]
//! (replications in parallel, shards), [`planning`] (comparisons, sweeps,
//! staffing, forecasts, promises), [`report`] (terminal tables, JSON, CSV,
//! charts, HTML) and [`erlang`] (analytic formulas, the engine's oracle).

pub mod engine;
pub mod erlang;
pub mod files;
pub mod fit;
pub mod fuzzing;
pub mod history;
pub mod model;
pub mod montecarlo;
pub mod planning;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod workbench;
