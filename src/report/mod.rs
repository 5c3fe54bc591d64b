//! Reports: the summary of a run, the terminal tables and the JSON file.
//! Reads `stats` and the `model`, never the engine.

pub mod charts;
pub mod json;
pub mod summary;
pub mod table;

pub use summary::{Figures, MetricMap, Summary};
