//! The planner's workbench: `ccsim serve`, a local web application over a
//! folder of scenarios. A planner opens a scenario from the library, edits
//! staffing, volumes, handle times, patience and targets in forms (every
//! change goes through [`crate::scenario::edit::Editor`], so the file keeps
//! its comments and layout), runs it with live progress and reads the same
//! report as `report.html`.
//!
//! The pieces: [`folder`] (the only way a client's path becomes a file),
//! [`state`] (what every request shares), [`runs`] (runs, their queue per
//! scenario, progress, cancellation and cache), [`api`] (the JSON and
//! event-stream endpoints), [`peaks`] (adding and removing a theme's peaks),
//! [`plans`] (variants, comparisons, sweeps) and
//! [`export`] (downloads). The page itself (`assets/workbench/`) is plain
//! JavaScript embedded in the binary: nothing is fetched from the network.

pub mod api;
pub mod assets;
pub mod export;
pub mod folder;
pub mod peaks;
pub mod plans;
pub mod runs;
pub mod state;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub use folder::Folder;
pub use state::{AppState, Limits};

/// How `ccsim serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of scenarios; `None` serves the curated scenarios embedded
    /// in the binary, read-only.
    pub folder: Option<PathBuf>,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub host: IpAddr,
    /// The port; 0 lets the system pick a free one.
    pub port: u16,
    /// Limits on requests and runs.
    pub limits: Limits,
    /// Worker threads of each run; `None` uses every core.
    pub threads: Option<usize>,
}

/// Why the workbench could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The folder cannot be served.
    #[error("{0}")]
    Folder(String),
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime or the server failed.
    #[error("the workbench stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// The whole application: the core routes, the plans' and the exports',
/// with the request-size limit. `state` is shared by every request.
pub fn router(state: AppState) -> Router {
    let limit = state.limits.max_body_bytes;
    Router::new()
        .merge(assets::routes())
        .merge(api::routes())
        .merge(plans::routes())
        .merge(export::routes())
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::map_response(
            move |r: Response| async move { too_large(r, limit) },
        ))
        .with_state(state)
}

/// A request over the size limit is answered with a message that says the
/// limit and how to raise it, as JSON like every error of the API.
fn too_large(response: Response, limit: usize) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let message = format!(
        "the request is larger than this workbench accepts ({}); a scenario that large cannot be edited here (start the workbench with --max-request to allow more)",
        bytesize::ByteSize::b(limit as u64)
    );
    api::ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
}

/// Serves the workbench until the process is stopped. Prints one line,
/// `ccsim workbench: http://HOST:PORT/`, on stdout once it listens.
pub fn serve(options: Options) -> Result<(), ServeError> {
    let folder = match &options.folder {
        Some(path) => Folder::open(path).map_err(|e| ServeError::Folder(e.to_string()))?,
        None => Folder::embedded(),
    };
    let state = AppState::new(folder, options.limits.clone(), options.threads);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ccsim-serve")
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(options.host, options.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Listen { addr, source })?;
        let local = listener.local_addr()?;
        announce(local);
        axum::serve(listener, router(state)).await?;
        Ok(())
    })
}

/// The line tests and people read: where the workbench listens.
fn announce(addr: SocketAddr) {
    use std::io::Write;
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ccsim workbench: http://{host}:{}/", addr.port());
    let _ = out.flush();
}
