//! Downloads of a finished run: `report.html`, the CSV tables and
//! `summary.json` exactly as `ccsim run --out DIR` writes them, and the
//! Excel workbook exactly as `ccsim run --xlsx FILE` writes it
//! ([`crate::report::workbook`]).
//!
//! `GET /api/export/RUN/FILE`, FILE one of [`FILES`]; the answer carries a
//! `Content-Disposition` with the scenario's name in the file name
//! (`quickstart-days.csv`, `quickstart.xlsx`). A cancelled run's partial
//! results export too, marked partial as in the command line's files.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::response::Response;
use axum::routing::get;

use crate::report::workbook;

use super::plans::{ApiError, download, file_of};
use super::runs::Finished;
use super::state::AppState;

/// The files a run exports.
pub const FILES: [&str; 6] = [
    "report.html",
    "days.csv",
    "intervals.csv",
    "weekdays.csv",
    "summary.json",
    "workbook.xlsx",
];

/// The routes of the exports.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/export/{run}/{file}", get(export))
}

/// The results of run `id`, once it is over.
fn finished(state: &AppState, id: u64) -> Result<(String, Arc<Finished>), ApiError> {
    let run = state.runs.get(id).ok_or_else(|| {
        ApiError::not_found(format!(
            "no run {id} (finished runs are kept for a while; run again)"
        ))
    })?;
    let finished = run.finished().ok_or_else(|| {
        ApiError::bad(format!(
            "run {id} has no results to export yet (it is queued, running, or failed)"
        ))
    })?;
    Ok((run.scenario.clone(), finished))
}

/// The stem of a scenario's name for file names: `plans/q2.toml` → `q2`.
fn stem(scenario: &str) -> String {
    let file = scenario.rsplit('/').next().unwrap_or(scenario);
    file.strip_suffix(".toml").unwrap_or(file).to_string()
}

async fn export(
    State(state): State<AppState>,
    UrlPath((id, file)): UrlPath<(u64, String)>,
) -> Result<Response, ApiError> {
    if !FILES.contains(&file.as_str()) {
        return Err(ApiError::not_found(format!(
            "no export `{file}`: choose one of {}",
            FILES.join(", ")
        )));
    }
    let (scenario, finished) = finished(&state, id)?;
    let stem = stem(&scenario);
    let name = file.clone();
    // The tables of a long horizon and the workbook take a while: made on
    // a blocking thread, never on the server's.
    let (bytes, filename) = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let results = finished.results();
        Ok(match name.as_str() {
            "workbook.xlsx" => (
                workbook::to_bytes(results).map_err(|e| ApiError::bad(e.to_string()))?,
                format!("{stem}.xlsx"),
            ),
            "report.html" => (
                finished.page().as_bytes().to_vec(),
                format!("{stem}-report.html"),
            ),
            other => (file_of(results, other)?, format!("{stem}-{other}")),
        })
    })
    .await
    .map_err(|e| ApiError::bad(format!("the export failed: {e}")))??;
    Ok(download(&filename, &file, bytes))
}
