//! What every request of the workbench shares: the folder, the limits and
//! the runs.

use std::sync::Arc;

use super::folder::Folder;
use super::runs::Runs;

/// Limits on what a client may ask of the workbench.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
    /// The most replications a run may ask for.
    pub max_replications: u32,
    /// The longest horizon a run may simulate, in days.
    pub max_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 2 * 1024 * 1024,
            max_replications: 1000,
            max_days: 400,
        }
    }
}

/// The state of the workbench, shared by every request.
#[derive(Clone)]
pub struct AppState {
    /// The library of scenarios.
    pub folder: Arc<Folder>,
    /// The limits.
    pub limits: Limits,
    /// The runs: queued, running and finished, and the cache.
    pub runs: Arc<Runs>,
}

impl AppState {
    /// The state of a workbench over `folder`; each run uses `threads`
    /// worker threads (`None`: every core).
    pub fn new(folder: Folder, limits: Limits, threads: Option<usize>) -> AppState {
        AppState {
            folder: Arc::new(folder),
            limits,
            runs: Arc::new(Runs::new(threads)),
        }
    }
}
