//! Monte Carlo: independent replications of the whole horizon, in parallel.
//!
//! Replication `i` draws only from streams seeded from `(seed, i)`, and the
//! replications' figures are folded in replication order, so the result does
//! not depend on the number of threads. Every replication is checked for
//! conservation (offered = answered + abandoned + closed_out + still waiting)
//! before its figures are kept.

use rayon::prelude::*;

use crate::engine::{Engine, EngineError};
use crate::model::Model;
use crate::stats::{Counters, Estimate, Layout, Recorder};

/// How to run the replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Number of replications.
    pub replications: u32,
    /// Seed of the run; replication `i` is seeded from `(seed, i)`.
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            replications: 100,
            seed: 1700,
            threads: None,
        }
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The model cannot be simulated.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A replication broke a conservation law: a bug in ccsim.
    #[error("replication {replication}: {message} (this is a bug in ccsim, please report it)")]
    Conservation {
        /// Which replication.
        replication: u32,
        /// What did not add up.
        message: String,
    },
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        message: String,
    },
    /// Something that cannot happen did: a bug in ccsim.
    #[error("{0} (this is a bug in ccsim, please report it)")]
    Internal(String),
    /// No replications were asked for.
    #[error("replications must be at least 1")]
    NoReplications,
}

/// The figures of a run: per replication and aggregated.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Which figures, in order.
    pub layout: Layout,
    /// The options the run used.
    pub options: RunOptions,
    /// `values[r * entries + e]`: figure `e` in replication `r`.
    pub values: Vec<f64>,
    /// Mean, CI and quantiles per figure.
    pub estimates: Vec<Estimate>,
}

impl RunResult {
    /// The values of figure `entry` across replications.
    pub fn column(&self, entry: usize) -> Vec<f64> {
        let n = self.layout.entries.len();
        self.values
            .iter()
            .skip(entry)
            .step_by(n.max(1))
            .copied()
            .collect()
    }
}

/// Runs `options.replications` replications of `model`; `progress` is called
/// after each finished replication (from worker threads).
pub fn run(
    model: &Model,
    options: RunOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<RunResult, RunError> {
    if options.replications == 0 {
        return Err(RunError::NoReplications);
    }
    // Fail early, on this thread, if a distribution cannot be sampled.
    Engine::new(model)?;
    let layout = Layout::new(model);
    let work = || -> Result<Vec<Vec<f64>>, RunError> {
        (0..options.replications)
            .into_par_iter()
            .map_init(
                || (Engine::new(model), Counters::new(model)),
                |(engine, counters), r| {
                    let engine = engine
                        .as_mut()
                        .map_err(|e| RunError::Engine(clone_error(e)))?;
                    counters.reset();
                    engine.run(options.seed, u64::from(r), counters);
                    counters
                        .check_conservation()
                        .map_err(|message| RunError::Conservation {
                            replication: r,
                            message,
                        })?;
                    let mut out = Vec::with_capacity(layout.entries.len());
                    layout.compute(model, counters, &mut out);
                    progress();
                    Ok(out)
                },
            )
            .collect()
    };
    let per_replication = on_threads(options.threads, work)?;
    let n = layout.entries.len();
    let mut values = Vec::with_capacity(n * per_replication.len());
    for v in &per_replication {
        values.extend_from_slice(v);
    }
    drop(per_replication);
    let mut column = Vec::with_capacity(options.replications as usize);
    let estimates = (0..n)
        .map(|e| {
            column.clear();
            column.extend(values.iter().skip(e).step_by(n.max(1)));
            Estimate::from_values(&column)
        })
        .collect();
    Ok(RunResult {
        layout,
        options,
        values,
        estimates,
    })
}

/// Runs `options.replications` replications of `model` with a recorder of
/// the caller's choice and returns what `finish` makes of each, in
/// replication order (so the result does not depend on the thread count).
///
/// `new_recorder` makes one recorder per worker thread; `reset` readies it for
/// a replication; `finish` reads it after replication `r` has run and may
/// report a broken conservation law as [`RunError::Conservation`].
pub fn run_each<R, T>(
    model: &Model,
    options: RunOptions,
    new_recorder: &(dyn Fn() -> R + Sync),
    reset: &(dyn Fn(&mut R) + Sync),
    finish: &(dyn Fn(&mut R, u32) -> Result<T, RunError> + Sync),
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<T>, RunError>
where
    R: Recorder + Send,
    T: Send,
{
    if options.replications == 0 {
        return Err(RunError::NoReplications);
    }
    Engine::new(model)?;
    let work = || -> Result<Vec<T>, RunError> {
        (0..options.replications)
            .into_par_iter()
            .map_init(
                || (Engine::new(model), new_recorder()),
                |(engine, recorder), r| {
                    let engine = engine
                        .as_mut()
                        .map_err(|e| RunError::Engine(clone_error(e)))?;
                    reset(recorder);
                    engine.run(options.seed, u64::from(r), recorder);
                    let out = finish(recorder, r)?;
                    progress();
                    Ok(out)
                },
            )
            .collect()
    };
    on_threads(options.threads, work)
}

/// Runs `work` on a pool of `threads` workers, or on the current pool (all
/// cores by default) when `None`.
pub fn on_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> Result<T, RunError> + Send,
) -> Result<T, RunError> {
    match threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| RunError::Threads {
                threads,
                message: e.to_string(),
            })?
            .install(work),
        None => work(),
    }
}

fn clone_error(e: &EngineError) -> EngineError {
    match e {
        EngineError::Distribution { what, message } => EngineError::Distribution {
            what: what.clone(),
            message: message.clone(),
        },
    }
}
