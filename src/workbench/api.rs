//! The JSON endpoints of the workbench.

use axum::Router;

use super::state::AppState;

/// The core routes: library, open, validate, edit, save, run, progress,
/// cancel, results.
pub fn routes() -> Router<AppState> {
    Router::new()
}
