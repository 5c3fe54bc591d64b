//! What every request of the workbench shares: the folder, the limits and
//! the runs.

use std::sync::Arc;

use crate::model::Model;
use crate::montecarlo;
use crate::montecarlo::memory::{self, Files, Plan};

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
    /// The memory a run may use, bytes (`None`: what the system has
    /// available, as the command line's `--memory-limit` default).
    pub memory_limit: Option<u64>,
}

impl Limits {
    /// Refuses, with the command line's message, a run whose estimated peak
    /// memory is larger than the budget (`memory_limit`, else what the
    /// system has available): a workbench run that cannot fit must not take
    /// the machine, and the server, down with it. `files` says what of the
    /// run is kept: every figure for a run (its report and exports), the
    /// paired values only for a plan of a comparison or sweep.
    pub fn fits(
        &self,
        model: &Model,
        replications: u32,
        threads: Option<usize>,
        files: Files,
    ) -> Result<(), String> {
        memory::check_rates(model).map_err(|e| e.to_string())?;
        let workers = montecarlo::workers(threads, replications).threads;
        let need = memory::estimate(
            model,
            &Plan {
                replications,
                workers,
                files,
            },
        );
        match memory::budget(self.memory_limit, workers) {
            Some(budget) => memory::check(&need, &budget).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 2 * 1024 * 1024,
            max_replications: 1000,
            max_days: 400,
            memory_limit: None,
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
