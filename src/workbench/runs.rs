//! Runs of the workbench: a validated scenario and run options become
//! results, on a blocking thread (never on the async executor), one run at
//! a time per scenario (the others wait in a queue, in order), with
//! progress, cancellation and a cache.
//!
//! A run lives on its own: the page that started it only watches it, so a
//! client that disconnects stops nothing (and cancels nothing others wait
//! for). A run of the same scenario text (its [`crate::scenario::hash`]),
//! replications and seed as an earlier finished one is answered from the
//! cache, `cached: true`, without simulating; so is a run that waited in the
//! queue behind an identical one. The thread count is no part of the key:
//! results are identical for a seed whatever the thread count.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::{Notify, watch};

use crate::montecarlo::{self, Control, RunError, RunOptions, RunResult};
use crate::report::charts::ImageFormat;
use crate::report::{OutFile, Report};
use crate::scenario::Scenario;
use crate::stats::{Estimate, Metric, RunResults, Scope};

/// Finished runs kept for their results (the oldest are forgotten first).
const KEPT_RUNS: usize = 64;
/// Results kept in the cache.
const CACHED: usize = 16;

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Waiting for an earlier run of the same scenario to end.
    Queued,
    /// Simulating.
    Running,
    /// Finished; its results are ready.
    Done,
    /// Stopped by the planner (with the results of the replications that
    /// finished, marked partial, if any did).
    Cancelled,
    /// Failed; `message` says why.
    Failed,
}

impl State {
    /// Whether the run is over.
    pub fn is_over(self) -> bool {
        matches!(self, State::Done | State::Cancelled | State::Failed)
    }
}

/// What the page is told while a run goes on (one server-sent event each).
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// The run.
    pub id: u64,
    /// The scenario's name in the library.
    pub scenario: String,
    /// Where it is.
    pub state: State,
    /// Runs of the same scenario ahead of it (0 once it runs).
    pub queue_position: usize,
    /// Replications finished.
    pub done: u32,
    /// Replications asked for.
    pub total: u32,
    /// Whether the results come from the cache.
    pub cached: bool,
    /// Milliseconds since the run was asked for.
    pub elapsed_ms: u64,
    /// Why it failed, or what a cancelled run kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The results of a finished run.
///
/// The key figures are summarised when the run ends, from the few figures
/// the terminal summary of `ccsim run` holds, so that a run is done as soon
/// as the command line's; every other figure (per day, per interval) is
/// summarised when a report or an export first asks for it, once.
pub struct Finished {
    /// The key figures, as the page and tests read them.
    pub key_figures: serde_json::Value,
    /// Seconds the simulation took.
    pub seconds: f64,
    /// Whether the run was stopped before all its replications finished.
    pub partial: bool,
    /// The replications' values and the scenario, until `results` is made
    /// from them (the values then move into it).
    raw: Mutex<Option<(RunResult, Arc<Scenario>)>>,
    results: OnceLock<RunResults>,
    page: OnceLock<String>,
}

impl Finished {
    fn new(raw: RunResult, scenario: Arc<Scenario>, seconds: f64) -> Finished {
        let mut summary = raw.results_of(&scenario.model, &|e| e.in_run_summary());
        summary.scenario.hash = scenario.hash.clone();
        Finished {
            key_figures: key_figures(&summary),
            seconds,
            partial: summary.run.partial,
            raw: Mutex::new(Some((raw, scenario))),
            results: OnceLock::new(),
            page: OnceLock::new(),
        }
    }

    /// Every figure, summarised (as `summary.json`): made when first asked
    /// for (a long run's tables take a while), then kept.
    pub fn results(&self) -> &RunResults {
        self.results.get_or_init(|| {
            // `get_or_init` runs this once, so the values are there to take.
            let (values, scenario) = self
                .raw
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("the values are held until the results are made");
            // As `ccsim run` does for its files: the figures of days and
            // intervals are summarised as a report or an export reads them.
            let mut results = values.into_results(&scenario.model);
            results.scenario.hash = scenario.hash.clone();
            results
        })
    }

    /// The report page (`report.html`: the same key figures, tables and
    /// charts), drawn once, when first asked for.
    pub fn page(&self) -> &str {
        self.page.get_or_init(|| report_page(self.results()))
    }
}

/// One run.
pub struct Run {
    /// Its number, unique in this workbench.
    pub id: u64,
    /// The scenario's name in the library (the queue it waits in).
    pub scenario: String,
    key: Key,
    progress: watch::Sender<Progress>,
    stop: AtomicBool,
    finished: OnceLock<Arc<Finished>>,
    asked: Instant,
}

impl Run {
    /// Where the run is now.
    pub fn progress(&self) -> Progress {
        self.progress.borrow().clone()
    }

    /// Follows the run's progress: the current state first, then each change.
    pub fn watch(&self) -> watch::Receiver<Progress> {
        self.progress.subscribe()
    }

    /// The results, once it is over (none when it failed or was cancelled
    /// before any replication finished).
    pub fn finished(&self) -> Option<Arc<Finished>> {
        self.finished.get().cloned()
    }

    fn update(&self, change: impl FnOnce(&mut Progress)) {
        let elapsed = self.asked.elapsed().as_millis() as u64;
        self.progress.send_modify(|p| {
            change(p);
            p.elapsed_ms = elapsed;
        });
    }
}

/// What a run is cached by: the scenario's hash and the run options that
/// change results.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    hash: String,
    replications: u32,
    seed: u64,
}

#[derive(Default)]
struct Inner {
    next: u64,
    runs: HashMap<u64, Arc<Run>>,
    order: VecDeque<u64>,
    cache: VecDeque<(Key, Arc<Finished>)>,
    queues: HashMap<String, VecDeque<u64>>,
}

/// The runs of a workbench.
pub struct Runs {
    threads: Option<usize>,
    inner: Mutex<Inner>,
    changed: Notify,
}

impl Runs {
    /// No runs yet; each run uses `threads` worker threads (`None`: one per core).
    pub fn new(threads: Option<usize>) -> Runs {
        Runs {
            threads,
            inner: Mutex::new(Inner::default()),
            changed: Notify::new(),
        }
    }

    /// The worker threads of each run.
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A run by its number.
    pub fn get(&self, id: u64) -> Option<Arc<Run>> {
        self.lock().runs.get(&id).cloned()
    }

    /// Starts a run of `scenario` (named `name` in the library) with
    /// `replications` and `seed`: answered from the cache at once when an
    /// identical run finished before, else queued behind the runs of the
    /// same scenario. Must be called inside the tokio runtime.
    pub fn start(
        self: &Arc<Self>,
        name: &str,
        scenario: Scenario,
        replications: u32,
        seed: u64,
    ) -> Arc<Run> {
        let key = Key {
            hash: scenario.hash.clone(),
            replications,
            seed,
        };
        let mut inner = self.lock();
        inner.next += 1;
        let id = inner.next;
        let cached = inner
            .cache
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| f.clone());
        let (progress, _) = watch::channel(Progress {
            id,
            scenario: name.to_string(),
            state: State::Queued,
            queue_position: 0,
            done: 0,
            total: replications,
            cached: false,
            elapsed_ms: 0,
            message: None,
        });
        let run = Arc::new(Run {
            id,
            scenario: name.to_string(),
            key,
            progress,
            stop: AtomicBool::new(false),
            finished: OnceLock::new(),
            asked: Instant::now(),
        });
        remember(&mut inner, &run);
        if let Some(finished) = cached {
            let _ = run.finished.set(finished);
            run.update(|p| {
                p.state = State::Done;
                p.done = replications;
                p.cached = true;
            });
            return run;
        }
        let queue = inner.queues.entry(name.to_string()).or_default();
        queue.push_back(id);
        let position = queue.len() - 1;
        run.update(|p| p.queue_position = position);
        drop(inner);
        let runs = Arc::clone(self);
        let driven = Arc::clone(&run);
        tokio::spawn(async move { runs.drive(driven, scenario).await });
        run
    }

    /// Asks a run to stop: a queued run leaves the queue; a running one
    /// starts no new replication, and the finished ones are kept, marked
    /// partial. `false` when the run is already over.
    pub fn cancel(&self, run: &Run) -> bool {
        if run.progress.borrow().state.is_over() {
            return false;
        }
        run.stop.store(true, Ordering::SeqCst);
        self.changed.notify_waiters();
        true
    }

    /// Waits for the run's turn, then simulates it on a blocking thread.
    async fn drive(self: Arc<Self>, run: Arc<Run>, scenario: Scenario) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if run.stop.load(Ordering::SeqCst) {
                self.leave(&run);
                run.update(|p| {
                    p.state = State::Cancelled;
                    p.queue_position = 0;
                    p.message = Some("cancelled while waiting in the queue".into());
                });
                return;
            }
            let first = self
                .lock()
                .queues
                .get(&run.scenario)
                .and_then(|q| q.front().copied());
            if first == Some(run.id) {
                break;
            }
            changed.await;
        }
        // An identical run may have finished while this one waited.
        let cached = self
            .lock()
            .cache
            .iter()
            .find(|(k, _)| *k == run.key)
            .map(|(_, f)| f.clone());
        if let Some(finished) = cached {
            let _ = run.finished.set(finished);
            run.update(|p| {
                p.state = State::Done;
                p.done = p.total;
                p.cached = true;
                p.queue_position = 0;
            });
            self.leave(&run);
            return;
        }
        run.update(|p| {
            p.state = State::Running;
            p.queue_position = 0;
        });
        let threads = self.threads;
        let simulated = Arc::clone(&run);
        let outcome =
            tokio::task::spawn_blocking(move || simulate(&simulated, scenario, threads)).await;
        match outcome {
            Ok(Ok(finished)) => {
                let finished = Arc::new(finished);
                let partial = finished.partial;
                let _ = run.finished.set(Arc::clone(&finished));
                if !partial {
                    let mut inner = self.lock();
                    inner.cache.push_back((run.key.clone(), finished));
                    while inner.cache.len() > CACHED {
                        inner.cache.pop_front();
                    }
                }
                run.update(|p| {
                    if partial {
                        p.state = State::Cancelled;
                        p.message = Some(format!(
                            "cancelled: the {} replications that finished are shown, marked partial",
                            p.done
                        ));
                    } else {
                        p.state = State::Done;
                    }
                });
            }
            Ok(Err(RunError::Stopped)) => run.update(|p| {
                p.state = State::Cancelled;
                p.message = Some("cancelled before any replication finished".into());
            }),
            Ok(Err(e)) => run.update(|p| {
                p.state = State::Failed;
                p.message = Some(e.to_string());
            }),
            Err(e) => run.update(|p| {
                p.state = State::Failed;
                p.message = Some(format!("the run stopped unexpectedly: {e}"));
            }),
        }
        self.leave(&run);
    }

    /// Takes a run out of its scenario's queue and tells the others their
    /// new place.
    fn leave(&self, run: &Run) {
        self.leave_queue(&run.scenario, run.id);
    }

    /// Waits, on a blocking thread, for a comparison's or a sweep's turn:
    /// it takes its place at the back of the queue of every scenario it
    /// runs (`names`), as a run does, and goes when it is first in all of
    /// them, so that no run of those scenarios goes at the same time. The
    /// places are taken at once, under one lock, so every queue holds them
    /// in the order they were asked for, and nobody waits in a circle.
    /// `None` when `stop` is set while it waits (then it holds no place).
    /// Must be called on a blocking thread of the tokio runtime.
    pub fn turn_blocking(self: &Arc<Self>, names: &[String], stop: &AtomicBool) -> Option<Turn> {
        let mut names: Vec<String> = names.to_vec();
        names.sort();
        names.dedup();
        let id = {
            let mut inner = self.lock();
            inner.next += 1;
            let id = inner.next;
            for name in &names {
                inner.queues.entry(name.clone()).or_default().push_back(id);
            }
            id
        };
        let turn = Turn {
            runs: Arc::clone(self),
            id,
            names,
        };
        let handle = tokio::runtime::Handle::current();
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let first = {
                let inner = self.lock();
                turn.names
                    .iter()
                    .all(|name| inner.queues.get(name).and_then(|q| q.front()) == Some(&turn.id))
            };
            if first {
                return Some(turn);
            }
            handle.block_on(changed);
        }
    }

    /// Wakes whatever waits for its turn (a comparison asked to stop).
    pub fn wake(&self) {
        self.changed.notify_waiters();
    }

    /// Takes `id` out of the queue of `scenario` and tells the runs still
    /// waiting there their new place.
    fn leave_queue(&self, scenario: &str, id: u64) {
        let mut inner = self.lock();
        if let Some(queue) = inner.queues.get_mut(scenario) {
            queue.retain(|&other| other != id);
            let waiting: Vec<(usize, u64)> = queue.iter().copied().enumerate().collect();
            if queue.is_empty() {
                inner.queues.remove(scenario);
            }
            for (position, id) in waiting {
                if let Some(other) = inner.runs.get(&id) {
                    other.update(|p| {
                        if p.state == State::Queued {
                            p.queue_position = position;
                        }
                    });
                }
            }
        }
        drop(inner);
        self.changed.notify_waiters();
    }
}

/// A comparison's or a sweep's place at the front of its scenarios'
/// queues ([`Runs::turn_blocking`]); dropping it lets the next go.
pub struct Turn {
    runs: Arc<Runs>,
    id: u64,
    names: Vec<String>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        for name in &self.names {
            self.runs.leave_queue(name, self.id);
        }
    }
}

/// Keeps a run findable by its number, forgetting the oldest finished ones.
fn remember(inner: &mut Inner, run: &Arc<Run>) {
    inner.runs.insert(run.id, Arc::clone(run));
    inner.order.push_back(run.id);
    while inner.order.len() > KEPT_RUNS {
        let Some(oldest) = inner.order.front().copied() else {
            break;
        };
        let over = inner
            .runs
            .get(&oldest)
            .is_none_or(|r| r.progress.borrow().state.is_over());
        if !over {
            break;
        }
        inner.order.pop_front();
        inner.runs.remove(&oldest);
    }
}

/// Simulates a run's replications, telling its progress after each.
fn simulate(run: &Run, scenario: Scenario, threads: Option<usize>) -> Result<Finished, RunError> {
    let total = run.progress.borrow().total;
    let options = RunOptions {
        replications: total,
        seed: run.key.seed,
        threads,
    };
    let control = Control {
        replications: 0..total,
        stop: Some(&run.stop),
    };
    let done = AtomicU32::new(0);
    let started = Instant::now();
    let result = montecarlo::simulate_controlled(&scenario.model, options, &control, &|| {
        let d = done.fetch_add(1, Ordering::SeqCst) + 1;
        run.update(|p| p.done = p.done.max(d));
    })?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(Finished::new(result, Arc::new(scenario), seconds))
}

/// The report page of a run, as `ccsim run --out DIR` writes `report.html`
/// (charts inlined as SVG), drawn in memory.
pub fn report_page(results: &RunResults) -> String {
    let mut figures = Vec::new();
    let mut page = String::new();
    for file in results.files() {
        match file {
            OutFile::Charts(_, charts) => {
                for chart in charts {
                    if let Ok(svg) = chart.render(ImageFormat::Svg) {
                        figures.push(crate::report::Figure {
                            title: chart.title(),
                            caption: chart.caption(),
                            svg: String::from_utf8_lossy(&svg).into_owned(),
                        });
                    }
                }
            }
            OutFile::Page(_, draw) => page = draw(&figures),
            _ => {}
        }
    }
    page
}

fn estimate(e: Option<&Estimate>) -> serde_json::Value {
    e.map_or(
        serde_json::Value::Null,
        |e| serde_json::json!({ "mean": e.mean, "ci_low": e.ci_low, "ci_high": e.ci_high }),
    )
}

/// The key figures of a run: per channel reachability and service level
/// (mean and 95% CI), offered and answered; overall reachability; the cost.
pub fn key_figures(results: &RunResults) -> serde_json::Value {
    let channels: Vec<serde_json::Value> = results
        .channels()
        .into_iter()
        .map(|c| {
            let f = |m| estimate(results.horizon(Scope::Channel(c), m));
            serde_json::json!({
                "channel": c.name(),
                "reachability": f(Metric::Reachability),
                "service_level": f(Metric::ServiceLevel),
                "offered": f(Metric::Offered),
                "answered": f(Metric::Answered),
                "abandon_share": f(Metric::AbandonShare),
                "asa_seconds": f(Metric::Asa),
            })
        })
        .collect();
    let total = |m| estimate(results.horizon(Scope::Total, m));
    serde_json::json!({
        "scenario": results.scenario.name,
        "hash": results.scenario.hash,
        "replications": results.run.replications,
        "seed": results.run.seed,
        "partial": results.run.partial,
        "channels": channels,
        "reachability": total(Metric::Reachability),
        "cost": {
            "handling": total(Metric::Cost),
            "staff": total(Metric::StaffCost),
            "extra_support": total(Metric::ExtraCost),
            "total": total(Metric::TotalCost),
        },
    })
}
