//! Monte Carlo: independent replications of the whole horizon, in parallel.
//!
//! Replication `i` draws only from streams seeded from `(seed, i)`, and the
//! replications' figures are folded in replication order, so the result does
//! not depend on the number of threads. Every replication is checked for
//! conservation (offered = answered + abandoned + closed_out + still waiting)
//! before its figures are kept.

pub mod memory;
pub mod part;
pub mod precision;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::engine::{Engine, EngineError};
use crate::model::Model;
use crate::stats::{Counters, Entry, Estimate, Layout, Recorder, Rolling, RunInfo, RunResults};

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
    /// The figures of every replication do not fit in memory.
    #[error(
        "not enough memory for the figures of {replications} replications × {entries} figures ({}): use fewer replications",
        memory::size((*replications as u64).saturating_mul(*entries as u64).saturating_mul(8))
    )]
    Memory {
        /// Replications asked for.
        replications: usize,
        /// Figures per replication.
        entries: usize,
    },
    /// The run was told to stop before any replication finished.
    #[error("stopped before any replication finished")]
    Stopped,
}

/// The figures of a run: per replication and aggregated.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Which figures, in order.
    pub layout: Layout,
    /// The options the run used (`options.replications` is the number asked for).
    pub options: RunOptions,
    /// The replications whose figures are kept: `0..options.replications`
    /// for a whole run, a block of them for a shard, a prefix when stopped.
    pub replications: Range<u32>,
    /// Whether the run was stopped before every replication asked for ran.
    pub interrupted: bool,
    /// `values[r * entries + e]`: figure `e` in the `r`-th kept replication.
    pub values: Vec<f64>,
    /// Mean, CI and quantiles per figure.
    pub estimates: Vec<Estimate>,
}

impl RunResult {
    /// The run's figures, by typed key, with the names a report needs.
    pub fn results(&self, model: &Model) -> RunResults {
        RunResults::new(model, &self.layout, &self.estimates, self.info())
    }

    /// The run's results, every figure estimated from the replications'
    /// values straight into the results' order: what [`RunResult::summarise`]
    /// then [`RunResult::results`] give, without holding the estimates twice
    /// (in layout order, then in the results').
    pub fn results_summarised(&self, model: &Model) -> RunResults {
        let n = self.layout.entries.len();
        let mut column = Vec::with_capacity(self.replications.len());
        RunResults::of_run(
            model,
            &self.layout,
            &mut |i| {
                column.clear();
                column.extend(self.values.iter().skip(i).step_by(n.max(1)));
                Estimate::from_values(&column)
            },
            self.info(),
        )
    }

    /// The run's results for its files, consuming it: the figures of days
    /// and intervals keep the replications' values and are summarised as
    /// the files are written ([`RunResults::of_run_values`]); the same
    /// figures as [`RunResult::results_summarised`].
    pub fn into_results(self, model: &Model) -> RunResults {
        let info = self.info();
        RunResults::of_run_values(model, self.layout, self.values, info)
    }

    /// Estimates every figure (`estimates`) from the replications' values.
    pub fn summarise(&mut self) {
        let n = self.layout.entries.len();
        let mut estimates = estimates(&self.values, n, self.replications.len());
        crate::stats::estimate::respect_bounds(&self.layout.entries, &mut estimates);
        self.estimates = estimates;
    }

    /// The run's figures that `keep` selects (by typed key, with the model's
    /// indices), each estimated from the replications' values as
    /// [`run_controlled`] estimates it: the others are neither estimated nor
    /// held. The names, days and intervals are those of [`RunResult::results`].
    pub fn results_of(&self, model: &Model, keep: &dyn Fn(&Entry) -> bool) -> RunResults {
        let entries = &self.layout.entries;
        let n = entries.len();
        let kept: Vec<usize> = (0..n).filter(|&i| keep(&entries[i])).collect();
        // A share's interval may take its trials from a count of the same
        // period and scope (`respect_bounds`): find those counts' positions.
        let counts: HashMap<Entry, Option<usize>> = kept
            .iter()
            .filter_map(|&i| {
                let e = entries[i];
                e.metric
                    .trials()
                    .map(|metric| (Entry { metric, ..e }, None))
            })
            .collect();
        let mut counts = counts;
        if !counts.is_empty() {
            for (i, e) in entries.iter().enumerate() {
                // The last of equal keys, as `respect_bounds`'s index has it.
                if let Some(at) = counts.get_mut(e) {
                    *at = Some(i);
                }
            }
        }
        let replications = self.replications.len();
        let mut column = Vec::with_capacity(replications);
        let mut raw = |i: usize| {
            column.clear();
            column.extend(self.values.iter().skip(i).step_by(n.max(1)));
            Estimate::from_values(&column)
        };
        let estimates: Vec<(usize, Estimate)> = kept
            .iter()
            .map(|&i| {
                let e = entries[i];
                let trials = e.metric.trials().and_then(|metric| {
                    let at = (*counts.get(&Entry { metric, ..e })?)?;
                    let count = raw(at);
                    Some(count.mean? * f64::from(count.n))
                });
                (i, raw(i).within(e.metric.bounds(), trials))
            })
            .collect();
        RunResults::of_kept(model, &self.layout, &estimates, self.info())
    }

    /// Seed and replications, for the results.
    fn info(&self) -> RunInfo {
        RunInfo {
            seed: self.options.seed,
            replications: self.replications.len() as u32,
            replications_requested: self.options.replications,
            partial: self.interrupted,
        }
    }

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
    let control = Control {
        replications: 0..options.replications,
        stop: None,
    };
    run_controlled(model, options, &control, progress)
}

/// Which replications a run does, and how it is told to stop early.
#[derive(Debug, Clone)]
pub struct Control<'a> {
    /// The replication indices to run: `0..options.replications` for a whole
    /// run, a contiguous block of them for a shard (see [`shard_range`]).
    pub replications: Range<u32>,
    /// When set (by a Ctrl-C handler, say), no further replication is
    /// started; the ones in progress finish. Because replications are started
    /// in index order, the finished ones are then exactly the first
    /// [`RunResult::replications`] of the range, so a stopped run keeps a
    /// reproducible prefix.
    pub stop: Option<&'a AtomicBool>,
}

/// The replications of shard `k` (1-based) of `n`: the contiguous block
/// `[(k-1)·R/n, k·R/n)` of `0..replications` (rounded down), so the shards
/// cover every replication once, in order, and differ in size by at most one.
pub fn shard_range(replications: u32, k: u32, n: u32) -> Range<u32> {
    let at = |i: u32| (u64::from(replications) * u64::from(i) / u64::from(n.max(1))) as u32;
    at(k.saturating_sub(1))..at(k.min(n))
}

/// Runs the replications `control.replications` of `model`, in parallel,
/// started in index order; stops starting new ones when `control.stop` is
/// set. `progress` is called after each finished replication (from worker
/// threads).
///
/// Memory: one row of figures per replication kept (`entries × 8` bytes),
/// written in place into one buffer, plus one engine (whose queues hold the
/// contacts waiting) and one set of counters per worker thread; estimated
/// before a run by [`memory::estimate`].
pub fn run_controlled(
    model: &Model,
    options: RunOptions,
    control: &Control<'_>,
    progress: &(dyn Fn() + Sync),
) -> Result<RunResult, RunError> {
    let mut result = simulate_controlled(model, options, control, progress)?;
    result.summarise();
    Ok(result)
}

/// [`run_controlled`] without the summaries: the [`RunResult`]'s
/// `estimates` are left empty, and [`RunResult::results_of`] computes those
/// of the figures a report needs. A run that reports few of its figures (the
/// terminal summary of a long horizon) so never holds a summary of each.
pub fn simulate_controlled(
    model: &Model,
    options: RunOptions,
    control: &Control<'_>,
    progress: &(dyn Fn() + Sync),
) -> Result<RunResult, RunError> {
    let range = control.replications.clone();
    if range.is_empty() {
        return Err(RunError::NoReplications);
    }
    // Fail early, on this thread, if a distribution cannot be sampled.
    Engine::new(model)?;
    let layout = Layout::new(model);
    let n = layout.entries.len();
    let width = n.max(1);
    let total = range.len();
    let size = total.checked_mul(width).ok_or(RunError::Memory {
        replications: total,
        entries: n,
    })?;
    // Ask first, so that too many replications get an error, not an abort;
    // the buffer itself is zeroed lazily by the system, page by page.
    Vec::<f64>::new()
        .try_reserve_exact(size)
        .map_err(|_| RunError::Memory {
            replications: total,
            entries: n,
        })?;
    let mut values = vec![0.0f64; size];
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let stopped = || control.stop.is_some_and(|s| s.load(Ordering::SeqCst));
    {
        let rows: Vec<Mutex<&mut [f64]>> = values.chunks_mut(width).map(Mutex::new).collect();
        let work = || -> Result<(), RunError> {
            let workers = rayon::current_num_threads().clamp(1, total);
            (0..workers).into_par_iter().try_for_each(|_| {
                let mut engine = Engine::new(model)?;
                // Counters of the days still open only: each day is folded
                // into the replication's figures once it is final.
                let mut counters = Rolling::new(model, &layout);
                let mut used = false;
                loop {
                    if stopped() || failed.load(Ordering::SeqCst) {
                        return Ok(());
                    }
                    // Replications are taken in index order: the finished
                    // ones always form a prefix once the last ones finish.
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    if k >= total {
                        return Ok(());
                    }
                    let r = range.start + k as u32;
                    if used {
                        counters.reset();
                    }
                    used = true;
                    engine.run(options.seed, u64::from(r), &mut counters);
                    let out = match counters.finish() {
                        Ok(out) => out,
                        Err(message) => {
                            failed.store(true, Ordering::SeqCst);
                            return Err(RunError::Conservation {
                                replication: r,
                                message,
                            });
                        }
                    };
                    let mut row = rows[k]
                        .lock()
                        .map_err(|_| RunError::Internal("a worker thread panicked".into()))?;
                    if out.len() != n {
                        return Err(RunError::Internal(format!(
                            "replication {r} gave {} figures, the layout has {n}",
                            out.len()
                        )));
                    }
                    row[..n].copy_from_slice(out);
                    drop(row);
                    progress();
                }
            })
        };
        on_threads(options.threads, work)?;
    }
    // Every replication taken was finished (or the run failed above).
    let kept = next.load(Ordering::SeqCst).min(total);
    let interrupted = kept < total;
    if kept == 0 {
        return Err(RunError::Stopped);
    }
    values.truncate(kept * width);
    values.shrink_to_fit();
    if width != n {
        values.clear();
    }
    Ok(RunResult {
        layout,
        options,
        replications: range.start..range.start + kept as u32,
        interrupted,
        values,
        estimates: Vec::new(),
    })
}

/// Mean, CI and quantiles of every figure from the per-replication rows
/// (`values[r * entries + e]`), folding the replications in row order; the
/// CIs are Student t's until `stats::estimate::respect_bounds` bounds them.
pub fn estimates(values: &[f64], entries: usize, replications: usize) -> Vec<Estimate> {
    let mut column = Vec::with_capacity(replications);
    (0..entries)
        .map(|e| {
            column.clear();
            column.extend(values.iter().skip(e).step_by(entries.max(1)));
            Estimate::from_values(&column)
        })
        .collect()
}

/// Runs replications `first..options.replications` of `model` with a
/// recorder of the caller's choice and returns what `finish` makes of each,
/// in replication order (so the result does not depend on the thread
/// count). Replication `r` draws the same random numbers whatever `first`
/// is, so a caller that kept the first ones of an earlier run of the same
/// model with the same seed can run only the rest.
///
/// `new_recorder` makes one recorder per worker thread; `reset` readies it for
/// a replication; `finish` reads it after replication `r` has run and may
/// report a broken conservation law as [`RunError::Conservation`].
pub fn run_each<R, T>(
    model: &Model,
    options: RunOptions,
    first: u32,
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
        (first.min(options.replications)..options.replications)
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

/// Runs exactly replication `replication` (0-based, as [`Control`]
/// numbers them) of the run seeded with `options.seed`, on this thread,
/// telling `recorder` everything the engine tells, alongside the usual
/// counters: the same random streams as that replication of a whole run, so
/// the recorder sees the very replication whose figures the run reports.
///
/// Returns that replication's figures (one row, `replications` =
/// `replication..replication + 1`), checked for conservation.
/// `options.replications` is kept as given (the run it belongs to).
pub fn run_replication<R: Recorder>(
    model: &Model,
    options: RunOptions,
    replication: u32,
    recorder: &mut R,
) -> Result<RunResult, RunError> {
    let mut engine = Engine::new(model)?;
    let layout = Layout::new(model);
    let mut both = Both {
        counters: Counters::new(model),
        other: recorder,
    };
    engine.run(options.seed, u64::from(replication), &mut both);
    both.counters
        .check_conservation()
        .map_err(|message| RunError::Conservation {
            replication,
            message,
        })?;
    let n = layout.entries.len();
    let mut values = Vec::with_capacity(n);
    layout.compute(model, &both.counters, &mut values);
    let mut estimates = estimates(&values, n, 1);
    crate::stats::estimate::respect_bounds(&layout.entries, &mut estimates);
    Ok(RunResult {
        layout,
        options,
        replications: replication..replication + 1,
        interrupted: false,
        values,
        estimates,
    })
}

/// The usual counters and a caller's recorder, told the same things.
struct Both<'a, R: Recorder> {
    counters: Counters,
    other: &'a mut R,
}

impl<R: Recorder> Recorder for Both<'_, R> {
    fn offered(&mut self, stream: usize, interval: usize) {
        self.counters.offered(stream, interval);
        self.other.offered(stream, interval);
    }
    fn answered(&mut self, stream: usize, interval: usize, wait: f64, handle: f64, on_time: bool) {
        self.counters
            .answered(stream, interval, wait, handle, on_time);
        self.other.answered(stream, interval, wait, handle, on_time);
    }
    fn abandoned(&mut self, stream: usize, interval: usize, wait: f64) {
        self.counters.abandoned(stream, interval, wait);
        self.other.abandoned(stream, interval, wait);
    }
    fn blocked(&mut self, stream: usize, interval: usize) {
        self.counters.blocked(stream, interval);
        self.other.blocked(stream, interval);
    }
    fn closed_out(&mut self, stream: usize, interval: usize, wait: f64) {
        self.counters.closed_out(stream, interval, wait);
        self.other.closed_out(stream, interval, wait);
    }
    fn left_waiting(&mut self, stream: usize, interval: usize, deadline_passed: bool) {
        self.counters
            .left_waiting(stream, interval, deadline_passed);
        self.other.left_waiting(stream, interval, deadline_passed);
    }
    fn pool_time(&mut self, pool: usize, interval: usize, busy: f64, present: f64) {
        self.counters.pool_time(pool, interval, busy, present);
        self.other.pool_time(pool, interval, busy, present);
    }
    fn absent(&mut self, pool: usize, interval: usize, agent_seconds: f64) {
        self.counters.absent(pool, interval, agent_seconds);
        self.other.absent(pool, interval, agent_seconds);
    }
    fn backlog(&mut self, stream: usize, day: usize, waiting: usize) {
        self.counters.backlog(stream, day, waiting);
        self.other.backlog(stream, day, waiting);
    }
    fn sojourn(&mut self, stream: usize, arrival: f64, departure: f64) {
        self.counters.sojourn(stream, arrival, departure);
        self.other.sojourn(stream, arrival, departure);
    }
    fn sent_away(&mut self, stream: usize, interval: usize) {
        self.counters.sent_away(stream, interval);
        self.other.sent_away(stream, interval);
    }
    fn callback_requested(&mut self, stream: usize, interval: usize, wait: f64) {
        self.counters.callback_requested(stream, interval, wait);
        self.other.callback_requested(stream, interval, wait);
    }
    fn callback_made(&mut self, stream: usize, interval: usize, delay: f64, handle: f64) {
        self.counters.callback_made(stream, interval, delay, handle);
        self.other.callback_made(stream, interval, delay, handle);
    }
    fn callback_left(&mut self, stream: usize, interval: usize) {
        self.counters.callback_left(stream, interval);
        self.other.callback_left(stream, interval);
    }
    fn transferred_in(&mut self, stream: usize, interval: usize) {
        self.counters.transferred_in(stream, interval);
        self.other.transferred_in(stream, interval);
    }
    fn redialled(&mut self, stream: usize, interval: usize) {
        self.counters.redialled(stream, interval);
        self.other.redialled(stream, interval);
    }
    fn booked(&mut self, stream: usize, interval: usize) {
        self.counters.booked(stream, interval);
        self.other.booked(stream, interval);
    }
    fn no_show(&mut self, stream: usize, interval: usize) {
        self.counters.no_show(stream, interval);
        self.other.no_show(stream, interval);
    }
    fn deflected(&mut self, stream: usize, interval: usize) {
        self.counters.deflected(stream, interval);
        self.other.deflected(stream, interval);
    }
    fn served_early(&mut self, stream: usize, interval: usize) {
        self.counters.served_early(stream, interval);
        self.other.served_early(stream, interval);
    }
    fn caller(
        &mut self,
        origin: usize,
        interval: usize,
        outcome: crate::stats::CallerOutcome,
        attempts: u32,
    ) {
        self.counters.caller(origin, interval, outcome, attempts);
        self.other.caller(origin, interval, outcome, attempts);
    }
    fn contact(&mut self, ended: &crate::stats::ContactEnd) {
        self.counters.contact(ended);
        self.other.contact(ended);
    }
}

/// Worker threads per core at most: more only cost memory (an engine and
/// its counters each) and time to start and stop.
pub const THREADS_PER_CORE: usize = 4;

/// The worker threads a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workers {
    /// Replications simulated at once.
    pub threads: usize,
    /// Why fewer threads than asked for, if so.
    pub capped: Option<Cap>,
}

/// Why a run uses fewer threads than asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// One per replication: more would have nothing to do.
    Replications,
    /// [`THREADS_PER_CORE`] per core of this machine.
    Cores {
        /// The cores (available parallelism).
        cores: usize,
    },
}

/// The cores this process may use (`std::thread::available_parallelism`, 1
/// when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The worker threads of a run of `replications` replications for `asked`
/// threads (`None`: one per core): at most one per replication and
/// [`THREADS_PER_CORE`] per core. The figures do not depend on it.
pub fn workers(asked: Option<usize>, replications: u32) -> Workers {
    let replications = (replications as usize).max(1);
    let cores = cores();
    let Some(asked) = asked else {
        return Workers {
            threads: rayon::current_num_threads().clamp(1, replications),
            capped: None,
        };
    };
    let most = cores.saturating_mul(THREADS_PER_CORE);
    let threads = asked.clamp(1, replications.min(most));
    let capped = (threads < asked).then_some(if replications <= most {
        Cap::Replications
    } else {
        Cap::Cores { cores }
    });
    Workers { threads, capped }
}

/// Runs `work` on a pool of `threads` workers (at most [`THREADS_PER_CORE`]
/// per core), or on the current pool (all cores by default) when `None`.
pub fn on_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> Result<T, RunError> + Send,
) -> Result<T, RunError> {
    match threads.map(|t| t.min(cores().saturating_mul(THREADS_PER_CORE))) {
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
