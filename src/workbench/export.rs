//! Downloads: `report.html`, the CSV files and the Excel workbook of a run
//! (helper `plans`).

use axum::Router;

use super::state::AppState;

/// The routes of the exports.
pub fn routes() -> Router<AppState> {
    Router::new()
}
