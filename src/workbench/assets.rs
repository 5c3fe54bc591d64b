//! The page of the workbench, embedded in the binary: no build step, no
//! network.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::state::AppState;

const INDEX: &str = include_str!("../../assets/workbench/index.html");
const APP_JS: &str = include_str!("../../assets/workbench/app.js");
const APP_CSS: &str = include_str!("../../assets/workbench/app.css");
const PLANS_JS: &str = include_str!("../../assets/workbench/plans.js");

/// The routes of the page and its scripts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|| async { page(INDEX, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { page(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/plans.js",
            get(|| async { page(PLANS_JS, "text/javascript; charset=utf-8") }),
        )
}

fn page(body: &'static str, kind: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}
