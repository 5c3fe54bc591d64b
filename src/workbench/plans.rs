//! Plans: variants of a scenario, compared side by side with common random
//! numbers, and sweeps of a staffing scale (helper `plans`).

use axum::Router;

use super::state::AppState;

/// The routes of the plans.
pub fn routes() -> Router<AppState> {
    Router::new()
}
