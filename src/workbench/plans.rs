//! Plans: variants of a scenario, compared side by side with common random
//! numbers, and sweeps of a staffing scale.
//!
//! A variant is a scenario file of its own, saved beside the scenario it
//! varies as `STEM.plan-VARIANT.toml` (`quickstart.plan-more-staff.toml`),
//! so that the files it reads (empirical CSVs) resolve as they do for the
//! scenario, and so that `ccsim compare`, `ccsim run` and the library see it
//! as any other scenario.
//!
//! A comparison runs every plan with the same seed and replications and
//! pairs them replication by replication ([`planning::compare`], as `ccsim
//! compare` does); a sweep runs one scenario at every value of
//! `scale.agents` (every pool's staffing) or of one pool's `scale`
//! ([`planning::sweep`], as `ccsim sweep` does). Both are jobs: started by a
//! POST that answers at once with the job's id, followed by polling
//! `GET /api/jobs/ID` (progress, then the result), stoppable with
//! `POST /api/jobs/ID/cancel`. Their reports (`report.html`, the JSON and
//! CSV of `--out`) are downloads of the finished job.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

use crate::montecarlo::memory::Files;
use crate::montecarlo::{self, Control, RunOptions};
use crate::planning::compare::{self as pairing, Comparison, Side};
use crate::planning::sweep::{self, Parameter, Sweep, SweepError};
use crate::report::charts::ImageFormat;
use crate::report::{self, OutFile, Report};
use crate::scenario::overrides::{self, Override};
use crate::scenario::{self, LoadError, Scenario};

use super::folder::FolderError;
use super::runs::Runs;
use super::state::AppState;

/// What separates a scenario's stem from a variant's name.
pub const VARIANT_MARK: &str = ".plan-";
/// Finished jobs kept for their downloads (the oldest go first).
const KEPT_JOBS: usize = 16;
/// Replications of a comparison or sweep when neither the request nor the
/// scenario's `[run]` says.
const DEFAULT_REPLICATIONS: u32 = 20;
/// Seed when neither the request nor the scenario's `[run]` says (as the
/// command line).
const DEFAULT_SEED: u64 = 1700;
/// Most points of a sweep in the workbench.
const MAX_SWEEP_POINTS: usize = 41;

/// The routes of the plans.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/plans", get(list).post(save))
        .route("/api/compare", post(start_compare))
        .route("/api/sweep", post(start_sweep))
        .route("/api/jobs/{id}", get(job_status))
        .route("/api/jobs/{id}/cancel", post(cancel))
        .route("/api/jobs/{id}/{file}", get(job_file))
        .layer(Extension(Arc::new(Jobs::default())))
}

/// An error as the page reads it: a status and `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    /// Located errors of a scenario (line, column, field), if any.
    errors: Option<serde_json::Value>,
}

impl ApiError {
    pub(super) fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            errors: None,
        }
    }

    pub(super) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            errors: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.message });
        if let Some(errors) = self.errors {
            body["errors"] = errors;
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<FolderError> for ApiError {
    fn from(e: FolderError) -> ApiError {
        let status = match e {
            FolderError::NotFound(_) => StatusCode::NOT_FOUND,
            FolderError::ReadOnly => StatusCode::FORBIDDEN,
            FolderError::Refused(_) => StatusCode::BAD_REQUEST,
            FolderError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: e.to_string(),
            errors: None,
        }
    }
}

impl From<LoadError> for ApiError {
    fn from(e: LoadError) -> ApiError {
        let errors = match &e {
            LoadError::Invalid(list) => Some(located(list)),
            _ => None,
        };
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: e.to_string(),
            errors,
        }
    }
}

/// A scenario's errors with their file, line, column and field.
fn located(list: &scenario::ScenarioErrors) -> serde_json::Value {
    serde_json::Value::Array(
        list.errors
            .iter()
            .map(|e| {
                let (line, column) = e
                    .span
                    .as_ref()
                    .map(|s| line_column(&list.source, s.start))
                    .unwrap_or((0, 0));
                serde_json::json!({
                    "file": list.file,
                    "line": line,
                    "column": column,
                    "field": e.path,
                    "message": e.message,
                })
            })
            .collect(),
    )
}

/// The 1-based line and column of byte `at` of `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

// ---------------------------------------------------------------- variants

/// The variants of one scenario.
#[derive(Debug, Deserialize)]
struct ListQuery {
    /// The scenario, as the library names it (`quickstart.toml`).
    scenario: String,
}

/// A variant as the page lists it.
#[derive(Debug, Serialize)]
struct VariantInfo {
    /// The variant's own name (`more-staff`).
    variant: String,
    /// Its file in the folder (`quickstart.plan-more-staff.toml`).
    file: String,
}

/// The scenario a name varies: `quickstart.plan-x.toml` varies
/// `quickstart.toml`; a scenario varies itself.
fn base_of(name: &str) -> String {
    match name.find(VARIANT_MARK) {
        Some(at) if name.ends_with(".toml") => format!("{}.toml", &name[..at]),
        _ => name.to_string(),
    }
}

/// The file of variant `variant` of scenario `base`.
fn variant_file(base: &str, variant: &str) -> Result<String, ApiError> {
    let ok = !variant.is_empty()
        && variant.len() <= 64
        && variant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(ApiError::bad(format!(
            "variant name `{variant}`: use 1 to 64 letters, digits, `-` or `_`"
        )));
    }
    let stem = base
        .strip_suffix(".toml")
        .ok_or_else(|| ApiError::bad(format!("`{base}` is not a scenario (.toml)")))?;
    Ok(format!("{stem}{VARIANT_MARK}{variant}.toml"))
}

/// `GET /api/plans?scenario=NAME`: the scenario and its variants.
async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let base = base_of(&q.scenario);
    let stem = base.strip_suffix(".toml").unwrap_or(&base);
    let prefix = format!("{stem}{VARIANT_MARK}");
    let variants: Vec<VariantInfo> = state
        .folder
        .list()?
        .into_iter()
        .filter_map(|file| {
            let variant = file
                .strip_prefix(&prefix)?
                .strip_suffix(".toml")?
                .to_string();
            Some(VariantInfo { variant, file })
        })
        .collect();
    // The pools, for a sweep of one pool's scale (none when the scenario
    // does not load: the editor shows why).
    let pools: Vec<String> = load(&state, &base, &[])
        .map(|s| s.model.pools.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    Ok(Json(serde_json::json!({
        "scenario": base,
        "writable": state.folder.writable(),
        "variants": variants,
        "pools": pools,
    })))
}

/// `POST /api/plans`: save scenario text as a variant.
#[derive(Debug, Deserialize)]
struct SaveRequest {
    /// The scenario varied (or one of its variants).
    scenario: String,
    /// The variant's name.
    variant: String,
    /// The text to save (the editor's, with its changes); none copies the
    /// scenario's file as it is saved.
    text: Option<String>,
    /// Replace a variant of that name.
    #[serde(default)]
    overwrite: bool,
}

async fn save(
    State(state): State<AppState>,
    Json(req): Json<SaveRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let base = base_of(&req.scenario);
    let file = variant_file(&base, &req.variant)?;
    // A variant must be a valid scenario: it is refused, located, as the
    // command line would refuse it.
    let text = match req.text {
        Some(text) => text,
        None => state.folder.read(&req.scenario)?,
    };
    let base_dir = state.folder.base_dir(&file);
    scenario::parse_str(&text, &file, base_dir.as_deref())
        .map_err(|e| ApiError::from(LoadError::Invalid(e)))?;
    if !req.overwrite && state.folder.exists(&file)? {
        return Err(ApiError {
            status: StatusCode::CONFLICT,
            message: format!("{file} exists: choose another name, or replace it"),
            errors: None,
        });
    }
    state.folder.write(&file, &text)?;
    Ok(Json(
        serde_json::json!({ "file": file, "variant": req.variant }),
    ))
}

// ---------------------------------------------------------------- jobs

/// The comparisons and sweeps of a workbench: running, then finished (the
/// last [`KEPT_JOBS`] kept for their downloads).
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    list: Mutex<VecDeque<Arc<Job>>>,
}

/// One comparison or sweep.
pub struct Job {
    id: u64,
    kind: &'static str,
    /// Replications finished, over every run of the job.
    done: AtomicU64,
    /// Replications the job runs.
    total: u64,
    /// Set to stop the job: no further replication starts.
    stop: AtomicBool,
    /// Whether it has its turn (else it waits in its scenarios' queues).
    running: AtomicBool,
    outcome: Mutex<Option<Result<Finished, ApiError>>>,
}

/// What a finished job made.
enum Finished {
    Compare(Box<Comparison>),
    Sweep(Box<Sweep>),
}

impl Jobs {
    fn start(&self, kind: &'static str, total: u64) -> Arc<Job> {
        let job = Arc::new(Job {
            id: self.next.fetch_add(1, Ordering::Relaxed) + 1,
            kind,
            done: AtomicU64::new(0),
            total,
            stop: AtomicBool::new(false),
            running: AtomicBool::new(false),
            outcome: Mutex::new(None),
        });
        let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        // Forget the oldest finished jobs; running ones stay.
        while list.len() >= KEPT_JOBS {
            match list.iter().position(|j| j.finished()) {
                Some(i) => {
                    list.remove(i);
                }
                None => break,
            }
        }
        list.push_back(job.clone());
        job
    }

    fn get(&self, id: u64) -> Result<Arc<Job>, ApiError> {
        self.list
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|j| j.id == id)
            .cloned()
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "no job {id} (finished jobs are kept {KEPT_JOBS} at a time)"
                ))
            })
    }
}

impl Job {
    fn finished(&self) -> bool {
        self.outcome
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    fn finish(&self, outcome: Result<Finished, ApiError>) {
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
    }
}

/// The run options of a comparison or sweep: the request's, else the
/// scenario's `[run]`, else the defaults; within the workbench's limits.
fn options(
    state: &AppState,
    plans: &[&Scenario],
    replications: Option<u32>,
    seed: Option<u64>,
) -> Result<RunOptions, ApiError> {
    let first = plans[0];
    let replications = replications
        .or(first.replications)
        .unwrap_or(DEFAULT_REPLICATIONS);
    let limits = &state.limits;
    if replications == 0 || replications > limits.max_replications {
        return Err(ApiError::bad(format!(
            "replications: {replications} asked, the workbench allows 1 to {}",
            limits.max_replications
        )));
    }
    // Each plan's run must fit, as `ccsim compare` and `ccsim sweep` check.
    for plan in plans {
        limits
            .fits(&plan.model, replications, state.runs.threads(), Files::None)
            .map_err(|message| ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message,
                errors: None,
            })?;
    }
    Ok(RunOptions {
        replications,
        seed: seed.or(first.seed).unwrap_or(DEFAULT_SEED),
        threads: state.runs.threads(),
    })
}

/// A scenario of the folder, validated, within the workbench's limits.
fn load(state: &AppState, name: &str, sets: &[Override]) -> Result<Scenario, ApiError> {
    let text = state.folder.read(name)?;
    let base_dir = state.folder.base_dir(name);
    let text = if sets.is_empty() {
        text
    } else {
        overrides::apply(&text, sets).map_err(LoadError::from)?
    };
    let s = scenario::parse_str(&text, name, base_dir.as_deref())
        .map_err(|e| ApiError::from(LoadError::Invalid(e)))?;
    let days = s.model.calendar.days;
    if days as u64 > u64::from(state.limits.max_days) {
        return Err(ApiError::bad(format!(
            "{name}: a horizon of {days} days, the workbench allows {}",
            state.limits.max_days
        )));
    }
    Ok(s)
}

/// Runs `work` for `job` on a blocking thread once it is first in the
/// queue of each of its `scenarios`, keeping its outcome.
fn spawn(
    job: Arc<Job>,
    runs: Arc<Runs>,
    scenarios: Vec<String>,
    work: impl FnOnce(&Job) -> Result<Finished, ApiError> + Send + 'static,
) {
    tokio::task::spawn_blocking(move || {
        // As a run, its turn in the queue of each scenario it runs: a run
        // and a comparison of the same scenario never go at once, and a
        // job that is stopped while it waits leaves at once.
        let outcome = match runs.turn_blocking(&scenarios, &job.stop) {
            None => Err(cancelled()),
            Some(_queue_turn) if job.stop.load(Ordering::SeqCst) => Err(cancelled()),
            Some(_queue_turn) => {
                job.running.store(true, Ordering::SeqCst);
                work(&job)
            }
        };
        job.finish(outcome);
    });
}

/// Where a job stands, as the page polls it.
#[derive(Serialize)]
struct Started {
    job: u64,
    total: u64,
}

// ---------------------------------------------------------------- compare

/// `POST /api/compare`: plans to compare, the baseline first.
#[derive(Debug, Deserialize)]
struct CompareRequest {
    /// Two plans or more, as the library names them; the first is the
    /// baseline A.
    plans: Vec<String>,
    replications: Option<u32>,
    seed: Option<u64>,
}

/// The most plans one comparison runs.
const MAX_PLANS: usize = 6;

async fn start_compare(
    State(state): State<AppState>,
    Extension(jobs): Extension<Arc<Jobs>>,
    Json(req): Json<CompareRequest>,
) -> Result<Json<Started>, ApiError> {
    if req.plans.len() < 2 || req.plans.len() > MAX_PLANS {
        return Err(ApiError::bad(format!(
            "a comparison needs 2 to {MAX_PLANS} plans, got {}",
            req.plans.len()
        )));
    }
    let scenarios = req
        .plans
        .iter()
        .map(|name| load(&state, name, &[]))
        .collect::<Result<Vec<Scenario>, ApiError>>()?;
    let plans: Vec<&Scenario> = scenarios.iter().collect();
    let opts = options(&state, &plans, req.replications, req.seed)?;
    let job = jobs.start(
        "compare",
        scenarios.len() as u64 * u64::from(opts.replications),
    );
    let started = Started {
        job: job.id,
        total: job.total,
    };
    let names = req.plans.clone();
    spawn(
        job,
        Arc::clone(&state.runs),
        req.plans.clone(),
        move |job| {
            let control = Control {
                replications: 0..opts.replications,
                stop: Some(&job.stop),
            };
            let mut runs = Vec::new();
            // One plan after the other, each parallel over its replications
            // (as `ccsim compare`): the figures do not depend on the threads.
            for s in &scenarios {
                let run = montecarlo::run_controlled(&s.model, opts, &control, &|| job.tick())
                    .map_err(|e| ApiError {
                        status: StatusCode::UNPROCESSABLE_ENTITY,
                        message: e.to_string(),
                        errors: None,
                    })?;
                if run.interrupted {
                    return Err(cancelled());
                }
                runs.push(run);
            }
            let plans = names
                .iter()
                .zip(&scenarios)
                .zip(&runs)
                .map(|((name, s), r)| {
                    let side = Side {
                        label: name.clone(),
                        scenario: s.model.name.clone(),
                        hash: s.hash.clone(),
                    };
                    (&s.model, r, side, Some(plan_name(name)))
                })
                .collect();
            let c = pairing::compare_plans(plans).map_err(|e| ApiError::bad(e.to_string()))?;
            Ok(Finished::Compare(Box::new(c)))
        },
    );
    Ok(Json(started))
}

/// The name a plan goes by in tables: the variant's name, else the file.
fn plan_name(file: &str) -> String {
    match file.find(VARIANT_MARK) {
        Some(at) => file[at + VARIANT_MARK.len()..]
            .strip_suffix(".toml")
            .unwrap_or(file)
            .to_string(),
        None => file.strip_suffix(".toml").unwrap_or(file).to_string(),
    }
}

fn cancelled() -> ApiError {
    ApiError {
        status: StatusCode::CONFLICT,
        message: "cancelled".to_string(),
        errors: None,
    }
}

// ---------------------------------------------------------------- sweep

/// `POST /api/sweep`: a staffing scale swept from `from` to `to` by `step`.
#[derive(Debug, Deserialize)]
struct SweepRequest {
    /// The scenario, as the library names it.
    scenario: String,
    /// The pool whose `scale` is swept; none sweeps `scale.agents`, every
    /// pool's staffing at once.
    pool: Option<String>,
    from: f64,
    to: f64,
    step: f64,
    replications: Option<u32>,
    seed: Option<u64>,
}

async fn start_sweep(
    State(state): State<AppState>,
    Extension(jobs): Extension<Arc<Jobs>>,
    Json(req): Json<SweepRequest>,
) -> Result<Json<Started>, ApiError> {
    let path = match req.pool.as_deref().filter(|p| !p.is_empty()) {
        Some(pool) => format!("pools.{}.scale", quoted_key(pool)),
        None => "scale.agents".to_string(),
    };
    let parameter: Parameter = format!("{path}={}..{}:{}", req.from, req.to, req.step)
        .parse()
        .map_err(|e: sweep::ParameterError| ApiError::bad(e.message))?;
    if parameter.values.len() > MAX_SWEEP_POINTS {
        return Err(ApiError::bad(format!(
            "{} points: the workbench sweeps at most {MAX_SWEEP_POINTS}, take a larger step",
            parameter.values.len()
        )));
    }
    if parameter.values.iter().any(|&v| v <= 0.0) {
        return Err(ApiError::bad("a staffing scale must be above 0"));
    }
    let base = load(&state, &req.scenario, &[])?;
    if let Some(pool) = req.pool.as_deref().filter(|p| !p.is_empty())
        && !base.model.pools.iter().any(|p| p.name == pool)
    {
        return Err(ApiError::bad(format!(
            "{} has no pool `{pool}`",
            req.scenario
        )));
    }
    let opts = options(&state, &[&base], req.replications, req.seed)?;
    let total = parameter.values.len() as u64 * u64::from(opts.replications);
    let job = jobs.start("sweep", total);
    let started = Started {
        job: job.id,
        total: job.total,
    };
    let name = req.scenario.clone();
    let text = state.folder.read(&name)?;
    let base_dir: Option<PathBuf> = state.folder.base_dir(&name);
    spawn(
        job,
        Arc::clone(&state.runs),
        vec![name.clone()],
        move |job| {
            let load = |sets: &[Override]| -> Result<Scenario, LoadError> {
                let edited = overrides::apply(&text, sets)?;
                let s = scenario::parse_str(&edited, &name, base_dir.as_deref())?;
                Ok(s)
            };
            match sweep::run_stoppable(&load, &[parameter], opts, &|| job.tick(), Some(&job.stop)) {
                Ok(s) => Ok(Finished::Sweep(Box::new(s))),
                Err(SweepError::Stopped) => Err(cancelled()),
                Err(SweepError::Scenario(e)) => Err(e.into()),
                Err(e) => Err(ApiError::bad(e.to_string())),
            }
        },
    );
    Ok(Json(started))
}

/// A key of a dotted path, quoted when it is not a bare TOML key.
fn quoted_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

// ---------------------------------------------------------------- results

async fn job_status(
    Extension(jobs): Extension<Arc<Jobs>>,
    UrlPath(id): UrlPath<u64>,
) -> Result<Response, ApiError> {
    let job = jobs.get(id)?;
    let outcome = job.outcome.lock().unwrap_or_else(|p| p.into_inner());
    let done = job.done.load(Ordering::Relaxed).min(job.total);
    let body = match outcome.as_ref() {
        None => serde_json::json!({
            "job": id, "kind": job.kind,
            "state": if job.running.load(Ordering::SeqCst) { "running" } else { "queued" },
            "done": done, "total": job.total,
        }),
        Some(Err(e)) => serde_json::json!({
            "job": id, "kind": job.kind,
            "state": if e.message == "cancelled" { "cancelled" } else { "failed" },
            "done": done, "total": job.total, "error": e.message, "errors": e.errors,
        }),
        Some(Ok(Finished::Compare(c))) => serde_json::json!({
            "job": id, "kind": job.kind, "state": "done", "done": job.total, "total": job.total,
            "result": compare_view(c),
        }),
        Some(Ok(Finished::Sweep(s))) => serde_json::json!({
            "job": id, "kind": job.kind, "state": "done", "done": job.total, "total": job.total,
            "result": sweep_view(s),
        }),
    };
    Ok(Json(body).into_response())
}

async fn cancel(
    State(state): State<AppState>,
    Extension(jobs): Extension<Arc<Jobs>>,
    UrlPath(id): UrlPath<u64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let job = jobs.get(id)?;
    job.stop.store(true, Ordering::SeqCst);
    // A job waiting for a scenario's queue hears it at once.
    state.runs.wake();
    Ok(Json(
        serde_json::json!({ "job": id, "cancelling": !job.finished() }),
    ))
}

/// What the page shows of a comparison: the plans, the key figures with
/// their texts and significance, and the charts.
fn compare_view(c: &Comparison) -> serde_json::Value {
    let plans: Vec<serde_json::Value> = c
        .sides()
        .iter()
        .map(|(letter, name, side)| {
            serde_json::json!({
                "letter": letter, "name": name, "file": side.label,
                "scenario": side.scenario, "hash": side.hash,
            })
        })
        .collect();
    serde_json::json!({
        "seed": c.seed,
        "replications": c.replications,
        "plans": plans,
        "figures": report::compare::key_figures(c),
    })
}

/// What the page shows of a sweep: every point's key figures and the chart.
fn sweep_view(s: &Sweep) -> serde_json::Value {
    use crate::model::{Channel, Metric};
    use crate::stats::Scope;
    let figure = |h: &crate::stats::RunResults, scope, metric| h.horizon(scope, metric).copied();
    let points: Vec<serde_json::Value> = s
        .points
        .iter()
        .map(|p| {
            let h = &p.horizon;
            let channels: Vec<serde_json::Value> = h
                .channels()
                .into_iter()
                .map(|c: Channel| {
                    serde_json::json!({
                        "channel": c.name(),
                        "reachability": figure(h, Scope::Channel(c), Metric::Reachability),
                        "service_level": figure(h, Scope::Channel(c), Metric::ServiceLevel),
                        "asa": figure(h, Scope::Channel(c), Metric::Asa),
                    })
                })
                .collect();
            serde_json::json!({
                "value": p.settings.values().next().copied(),
                "reachability": figure(h, Scope::Total, Metric::Reachability),
                "cost": figure(h, Scope::Total, Metric::Cost),
                "channels": channels,
            })
        })
        .collect();
    let svg = report::charts::of_sweep(s)
        .render(ImageFormat::Svg)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    serde_json::json!({
        "scenario": s.scenario,
        "parameter": s.parameters.first(),
        "seed": s.seed,
        "replications": s.replications,
        "points": points,
        "svg": svg,
    })
}

/// `GET /api/jobs/ID/FILE`: a finished job's report, as `--out DIR` has
/// it: `report.html`, `comparison.json`, `comparison.csv`, `sweep.json`,
/// `sweep.csv`.
async fn job_file(
    Extension(jobs): Extension<Arc<Jobs>>,
    UrlPath((id, file)): UrlPath<(u64, String)>,
) -> Result<Response, ApiError> {
    let job = jobs.get(id)?;
    let outcome = job.outcome.lock().unwrap_or_else(|p| p.into_inner());
    let report: &dyn Report = match outcome.as_ref() {
        Some(Ok(Finished::Compare(c))) => c.as_ref(),
        Some(Ok(Finished::Sweep(s))) => s.as_ref(),
        Some(Err(e)) => return Err(ApiError::bad(format!("job {id} failed: {}", e.message))),
        None => return Err(ApiError::bad(format!("job {id} is still running"))),
    };
    let bytes = file_of(report, &file)?;
    let stem = format!("{}-{id}", job.kind);
    Ok(download(&format!("{stem}-{file}"), &file, bytes))
}

/// One file of a report's `--out DIR`, made in memory (charts as SVG, the
/// page with them inline).
pub fn file_of(report: &dyn Report, name: &str) -> Result<Vec<u8>, ApiError> {
    let mut figures = Vec::new();
    for file in report.files() {
        match file {
            OutFile::Json(n) if n == name => {
                let mut out = Vec::new();
                report
                    .write_json(&mut out)
                    .map_err(|e| ApiError::bad(e.to_string()))?;
                return Ok(out);
            }
            OutFile::Bytes(n, bytes) if n == name => return Ok(bytes),
            OutFile::Named(n, bytes) if n == name => return Ok(bytes),
            OutFile::Stream(n, fill) if n == name => {
                let mut out = Vec::new();
                fill(&mut out).map_err(|e| ApiError::bad(e.to_string()))?;
                return Ok(out);
            }
            OutFile::Charts(_, charts) => {
                for chart in charts {
                    let svg = chart
                        .render(ImageFormat::Svg)
                        .map_err(|e| ApiError::bad(e.to_string()))?;
                    figures.push(report::Figure {
                        title: chart.title(),
                        caption: chart.caption(),
                        svg: String::from_utf8_lossy(&svg).into_owned(),
                    });
                }
            }
            OutFile::Page(n, draw) if n == name => return Ok(draw(&figures).into_bytes()),
            _ => {}
        }
    }
    Err(ApiError::not_found(format!(
        "no file `{name}` in this report"
    )))
}

/// A download: the bytes with their type and a file name.
pub fn download(filename: &str, name: &str, bytes: Vec<u8>) -> Response {
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
