//! Reports: the terminal tables, and the files of `--out`: JSON, CSV,
//! charts and the HTML report. Reads `stats`, `planning` and the `model`,
//! never the engine.

pub mod charts;
pub mod check_table;
pub mod compare_table;
pub mod csv;
pub mod definitions;
pub mod forecast_table;
pub mod html;
pub mod json;
pub mod outputs;
pub mod sweep_table;
pub mod table;
