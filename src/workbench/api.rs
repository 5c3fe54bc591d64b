//! The JSON endpoints of the workbench (and the event stream of a run).
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | `/api/library` | the folder, whether it can be written, the limits, the scenarios |
//! | GET | `/api/scenarios/{name}` | a scenario's text and version |
//! | PUT | `/api/scenarios/{name}` | saves text (`version`: the one opened; `overwrite`) |
//! | POST | `/api/validate` | located errors of a text, as the command line gives them |
//! | POST | `/api/form` | the fields the editors show (volumes, peaks, handle times, patience, targets, pools, staffing grids) |
//! | POST | `/api/edit` | applies edits (paths and values, staffing rows) to a text through the scenario editor |
//! | POST | `/api/runs` | starts a run (or answers from the cache) |
//! | GET | `/api/runs/{id}` | a run's progress, and its key figures once done |
//! | GET | `/api/runs/{id}/events` | the run's progress as server-sent events |
//! | POST | `/api/runs/{id}/cancel` | stops a run |
//! | GET | `/api/runs/{id}/report` | the report page (`report.html`) |

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value as JsonValue, json};
use tokio_stream::wrappers::ReceiverStream;
use toml_edit::{DocumentMut, Item, Value};

use super::folder::{self, FolderError};
use super::peaks::{self, PeakEdit};
use super::runs::{Progress, Run};
use super::state::AppState;
use crate::model::Weekday;
use crate::montecarlo::memory::Files;
use crate::scenario::edit::Step;
use crate::scenario::overrides::{self, Override};
use crate::scenario::{self, Scenario, ScenarioErrors, error::line_column};

/// The core routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/library", get(library))
        .route("/api/scenarios/{*name}", get(open).put(save))
        .route("/api/validate", post(validate))
        .route("/api/form", post(form))
        .route("/api/edit", post(edit))
        .route("/api/runs", post(start))
        .route("/api/runs/{id}", get(status))
        .route("/api/runs/{id}/events", get(events))
        .route("/api/runs/{id}/cancel", post(cancel))
        .route("/api/runs/{id}/report", get(report))
}

/// An error as the page reads it: a status and `{"error": MESSAGE}` (with
/// the located errors of a scenario, when there are some).
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for a planner.
    pub message: String,
    /// Located errors of a scenario.
    pub errors: Option<JsonValue>,
}

impl ApiError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            errors: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message });
        if let Some(errors) = self.errors {
            body["errors"] = errors;
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<FolderError> for ApiError {
    fn from(e: FolderError) -> ApiError {
        let status = match e {
            FolderError::Refused(_) | FolderError::ReadOnly => StatusCode::FORBIDDEN,
            FolderError::NotFound(_) => StatusCode::NOT_FOUND,
            FolderError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The library: the folder's label, whether it can be saved to, the run
/// limits and the scenarios with their names and descriptions.
async fn library(State(state): State<AppState>) -> ApiResult<Json<JsonValue>> {
    let folder = Arc::clone(&state.folder);
    let listed = tokio::task::spawn_blocking(move || -> Result<Vec<JsonValue>, FolderError> {
        let names = folder.list()?;
        Ok(names
            .into_iter()
            .map(|name| {
                let (title, description) = folder
                    .read(&name)
                    .ok()
                    .and_then(|text| text.parse::<DocumentMut>().ok())
                    .map(|doc| {
                        let s = |k: &str| doc.get(k).and_then(Item::as_str).map(str::to_string);
                        (s("name"), s("description"))
                    })
                    .unwrap_or_default();
                json!({ "name": name, "title": title, "description": description })
            })
            .collect())
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(json!({
        "folder": state.folder.label(),
        "writable": state.folder.writable(),
        "limits": {
            "max_replications": state.limits.max_replications,
            "max_days": state.limits.max_days,
            "max_request_bytes": state.limits.max_body_bytes,
        },
        "scenarios": listed,
    })))
}

/// A scenario's text, and its version (to detect a change on disk at save).
async fn open(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<JsonValue>> {
    let text = state.folder.read(&name)?;
    Ok(Json(json!({
        "name": name,
        "version": folder::version(&text),
        "writable": state.folder.writable(),
        "text": text,
    })))
}

#[derive(Deserialize)]
struct SaveBody {
    text: String,
    /// The version the page opened (`null` for a new file).
    #[serde(default)]
    version: Option<String>,
    /// Replace a file that changed on disk, or another file of that name.
    #[serde(default)]
    overwrite: bool,
}

/// Saves a scenario, whole or not at all. Refused with 409 when the file
/// changed on disk since it was opened, or when it exists and the page
/// opened another (or none), unless `overwrite`.
async fn save(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Json(body): Json<SaveBody>,
) -> ApiResult<Json<JsonValue>> {
    if !state.folder.writable() {
        return Err(FolderError::ReadOnly.into());
    }
    state.folder.resolve(&name, "toml")?;
    let current = match state.folder.read(&name) {
        Ok(text) => Some(folder::version(&text)),
        Err(FolderError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    if !body.overwrite && current.is_some() && current != body.version {
        let message = match body.version {
            Some(_) => format!(
                "`{name}` changed on disk since you opened it: reload it, or save under another name, or save again to overwrite it"
            ),
            None => format!(
                "`{name}` already exists: choose another name, or save again to overwrite it"
            ),
        };
        return Err(ApiError::new(StatusCode::CONFLICT, message));
    }
    state.folder.write(&name, &body.text)?;
    Ok(Json(json!({
        "name": name,
        "version": folder::version(&body.text),
        "saved": true,
    })))
}

#[derive(Deserialize)]
struct TextBody {
    /// The scenario's name in the library (for messages and relative files).
    #[serde(default)]
    name: Option<String>,
    text: String,
}

/// Parses and validates a text as `ccsim validate` would.
fn check(state: &AppState, name: Option<&str>, text: &str) -> Result<Scenario, ScenarioErrors> {
    let file = name.unwrap_or("scenario.toml");
    let base = name.and_then(|n| state.folder.base_dir(n));
    scenario::parse_str(text, file, base.as_deref())
}

/// Located errors as JSON: file, line, column (1-based, in characters), the
/// end of the span, the field's path, the message, and the command line's
/// headline `file:line:column: `path`: message`.
pub fn located(errors: &ScenarioErrors) -> JsonValue {
    let list: Vec<JsonValue> = errors
        .errors
        .iter()
        .map(|e| {
            let (line, column, end_line, end_column) = match &e.span {
                Some(span) => {
                    let (l, c) = line_column(&errors.source, span.start);
                    let (el, ec) = line_column(&errors.source, span.end);
                    (Some(l), Some(c), Some(el), Some(ec))
                }
                None => (None, None, None, None),
            };
            let location = errors.location(e);
            let headline = if e.path.is_empty() {
                format!("{location}: {}", e.message)
            } else {
                format!("{location}: `{}`: {}", e.path, e.message)
            };
            json!({
                "file": errors.file,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "path": e.path,
                "message": e.message,
                "headline": headline,
            })
        })
        .collect();
    JsonValue::Array(list)
}

fn validation(state: &AppState, name: Option<&str>, text: &str) -> JsonValue {
    match check(state, name, text) {
        Ok(s) => json!({
            "ok": true,
            "errors": [],
            "notes": s.notes.as_ref().map_or(JsonValue::Array(vec![]), located),
            "summary": {
                "name": s.model.name,
                "days": s.model.calendar.days,
                "start": s.model.calendar.start.to_string(),
                "interval_minutes": s.model.calendar.interval / 60.0,
                "replications": s.replications,
                "seed": s.seed,
                "hash": s.hash,
            },
        }),
        Err(errors) => json!({ "ok": false, "errors": located(&errors), "notes": [] }),
    }
}

/// Validates a text: `ok`, the located errors and notes, a short summary.
async fn validate(
    State(state): State<AppState>,
    Json(body): Json<TextBody>,
) -> ApiResult<Json<JsonValue>> {
    let out =
        tokio::task::spawn_blocking(move || validation(&state, body.name.as_deref(), &body.text))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(Json(out))
}

/// The fields of the editors, read from the text as written (so a saved
/// edit changes only what the planner changed). A pool staffed by shifts or
/// from a file also gets the agents its schedule puts on duty over the
/// first week, read-only, when the scenario is valid.
async fn form(
    State(state): State<AppState>,
    Json(body): Json<TextBody>,
) -> ApiResult<Json<JsonValue>> {
    let doc: DocumentMut = body.text.parse().map_err(|e: toml_edit::TomlError| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the scenario is not valid TOML, so the editors cannot show it; fix it in the text tab: {}",
                e.message()
            ),
        )
    })?;
    let mut out = fields(&doc);
    let scheduled = out["staffing"].as_array().is_some_and(|g| {
        g.iter()
            .any(|p| p["kind"] == "shifts" || p["kind"] == "file")
    });
    if scheduled {
        let model = tokio::task::spawn_blocking(move || {
            check(&state, body.name.as_deref(), &body.text).map(|s| s.model)
        })
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        if let (Ok(model), Some(grids)) = (model, out["staffing"].as_array_mut()) {
            for g in grids.iter_mut() {
                if (g["kind"] == "shifts" || g["kind"] == "file")
                    && let Some(pool) = model.pools.iter().find(|p| g["pool"] == p.name.as_str())
                {
                    g["on_duty"] = on_duty(&model, pool);
                }
            }
        }
    }
    Ok(Json(out))
}

/// The agents a pool's schedule puts on duty (scheduled, before shrinkage)
/// in each interval of the horizon's first week, over the clock hours in
/// which anyone is: `{ start, dates: [{date, weekday, values}] }`.
fn on_duty(model: &crate::model::Model, pool: &crate::model::Pool) -> JsonValue {
    let calendar = &model.calendar;
    let per_day = calendar.intervals_per_day as usize;
    let days = calendar.days.min(7) as usize;
    let at = |day: usize, i: usize| {
        pool.scheduled
            .get(day * per_day + i)
            .copied()
            .unwrap_or(0.0)
    };
    let busy: Vec<usize> = (0..per_day)
        .filter(|&i| (0..days).any(|d| at(d, i) > 0.0))
        .collect();
    let (Some(&first), Some(&last)) = (busy.first(), busy.last()) else {
        return json!({ "start": null, "dates": [] });
    };
    let minutes = (first as f64 * calendar.interval / 60.0).round() as u32;
    let dates: Vec<JsonValue> = (0..days)
        .map(|d| {
            let date = calendar.date(d as u32);
            let values: Vec<JsonValue> = (first..=last)
                .map(|i| {
                    // Whole agents as integers; a fractional head count
                    // (a scaled schedule) to one decimal.
                    let v = at(d, i);
                    if (v - v.round()).abs() < 1e-9 {
                        json!(v.round() as i64)
                    } else {
                        json!((v * 10.0).round() / 10.0)
                    }
                })
                .collect();
            json!({
                "date": date.to_string(),
                "weekday": Weekday::of(date).name(),
                "values": values,
            })
        })
        .collect();
    json!({
        "start": format!("{:02}:{:02}", minutes / 60, minutes % 60),
        "dates": dates,
    })
}

/// The editors' fields of a scenario document.
pub fn fields(doc: &DocumentMut) -> JsonValue {
    let mut out = json!({
        "volumes": [], "peaks": [], "handle_times": [], "patience": [],
        "targets": [], "pools": [], "staffing": [],
        "themes": [], "peak_list": [],
    });
    // The themes and their peaks, one entry per peak, for the Peaks tab's
    // list (each with a Remove button) and its Add form.
    if let Some(themes) = doc.get("themes").and_then(Item::as_table_like) {
        let mut names = Vec::new();
        let mut list = Vec::new();
        for (theme, item) in themes.iter() {
            names.push(json!(theme));
            let peaks: Vec<&dyn toml_edit::TableLike> = match item.get("peaks") {
                Some(Item::Value(Value::Array(a))) => a
                    .iter()
                    .filter_map(|v| v.as_inline_table().map(|t| t as &dyn toml_edit::TableLike))
                    .collect(),
                Some(Item::ArrayOfTables(a)) => {
                    a.iter().map(|t| t as &dyn toml_edit::TableLike).collect()
                }
                _ => Vec::new(),
            };
            for (index, peak) in peaks.into_iter().enumerate() {
                let field = |k: &str| {
                    peak.get(k)
                        .and_then(Item::as_value)
                        .and_then(scalar)
                        .unwrap_or(JsonValue::Null)
                };
                list.push(json!({
                    "theme": theme, "index": index,
                    "from": field("from"), "to": field("to"),
                    "factor": field("factor"), "shape": field("shape"),
                }));
            }
        }
        out["themes"] = JsonValue::Array(names);
        out["peak_list"] = JsonValue::Array(list);
    }
    let mut push = |group: &str, path: String, value: &Value| {
        if let Some(v) = scalar(value)
            && let Some(list) = out[group].as_array_mut()
        {
            list.push(json!({ "path": path, "value": v }));
        }
    };
    let section = |name: &str| doc.get(name).and_then(Item::as_table_like);
    if let Some(themes) = section("themes") {
        for (theme, item) in themes.iter() {
            let Some(t) = item.as_table_like() else {
                continue;
            };
            let base = vec![key("themes"), key(theme)];
            for (field, group) in [
                ("volume", "volumes"),
                ("peaks", "peaks"),
                ("mailings", "peaks"),
                ("handle_time", "handle_times"),
                ("patience", "patience"),
            ] {
                if let Some(item) = t.get(field) {
                    let mut path = base.clone();
                    path.push(key(field));
                    leaves(item, &mut path, &mut |p, v| push(group, p, v));
                }
            }
        }
    }
    if let Some(channels) = section("channels") {
        for (channel, item) in channels.iter() {
            let Some(t) = item.as_table_like() else {
                continue;
            };
            for (field, value) in t.iter() {
                let group = match field {
                    "patience" => "patience",
                    "service_level_threshold" | "sla_working_days" => "targets",
                    _ => continue,
                };
                let mut path = vec![key("channels"), key(channel), key(field)];
                leaves(value, &mut path, &mut |p, v| push(group, p, v));
            }
        }
    }
    for name in ["targets", "expect"] {
        if let Some(item) = doc.get(name) {
            let mut path = vec![key(name)];
            leaves(item, &mut path, &mut |p, v| push("targets", p, v));
        }
    }
    let mut grids = Vec::new();
    if let Some(pools) = section("pools") {
        for (pool, item) in pools.iter() {
            let Some(t) = item.as_table_like() else {
                continue;
            };
            for field in ["agents", "shrinkage", "absenteeism", "scale", "hour_price"] {
                if let Some(v) = t.get(field).and_then(Item::as_value) {
                    push("pools", render(&[key("pools"), key(pool), key(field)]), v);
                }
            }
            grids.push(grid(pool, t));
        }
    }
    out["staffing"] = JsonValue::Array(grids);
    out
}

/// A pool's staffing as the grid editor shows it: a weekday × interval
/// table when the scenario writes one (`start`, `default` and a list per
/// weekday); otherwise what it is (`agents`, shifts or a file), to be
/// edited elsewhere.
fn grid(pool: &str, t: &dyn toml_edit::TableLike) -> JsonValue {
    let Some(staffing) = t.get("staffing").and_then(Item::as_table_like) else {
        let kind = if t.contains_key("shifts") {
            "shifts"
        } else {
            "agents"
        };
        return json!({ "pool": pool, "kind": kind, "agents": t.get("agents").and_then(Item::as_value).and_then(scalar) });
    };
    if staffing.contains_key("file") {
        return json!({ "pool": pool, "kind": "file" });
    }
    let row = |day: &str| -> JsonValue {
        staffing
            .get(day)
            .and_then(Item::as_array)
            .map_or(JsonValue::Null, |a| {
                JsonValue::Array(
                    a.iter()
                        .map(|v| scalar(v).unwrap_or(JsonValue::Null))
                        .collect(),
                )
            })
    };
    let mut rows = serde_json::Map::new();
    for day in std::iter::once("default").chain(Weekday::ALL.iter().map(|d| d.name())) {
        rows.insert(day.to_string(), row(day));
    }
    json!({
        "pool": pool,
        "kind": "grid",
        "start": staffing.get("start").and_then(Item::as_str),
        "rows": rows,
    })
}

fn key(k: &str) -> Step {
    Step::Key(k.to_string())
}

fn render(path: &[Step]) -> String {
    // A key that is not a bare key is quoted, so that the path reads back.
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let bare = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if bare {
                    out.push_str(k);
                } else {
                    out.push_str(&toml_edit::Key::new(k.as_str()).display_repr());
                }
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Every scalar under an item, with its path.
fn leaves(item: &Item, path: &mut Vec<Step>, found: &mut dyn FnMut(String, &Value)) {
    match item {
        Item::Value(v) => value_leaves(v, path, found),
        Item::Table(t) => {
            for (k, i) in t.iter() {
                path.push(key(k));
                leaves(i, path, found);
                path.pop();
            }
        }
        Item::ArrayOfTables(a) => {
            for (n, t) in a.iter().enumerate() {
                path.push(Step::Index(n));
                for (k, i) in t.iter() {
                    path.push(key(k));
                    leaves(i, path, found);
                    path.pop();
                }
                path.pop();
            }
        }
        Item::None => {}
    }
}

fn value_leaves(v: &Value, path: &mut Vec<Step>, found: &mut dyn FnMut(String, &Value)) {
    match v {
        Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                path.push(key(k));
                value_leaves(v, path, found);
                path.pop();
            }
        }
        Value::Array(a) if a.iter().any(|v| v.is_inline_table()) => {
            for (n, v) in a.iter().enumerate() {
                path.push(Step::Index(n));
                value_leaves(v, path, found);
                path.pop();
            }
        }
        _ => found(render(path), v),
    }
}

/// A TOML value as JSON, for the page: strings, numbers, booleans, dates
/// (as their text) and lists of them.
fn scalar(v: &Value) -> Option<JsonValue> {
    Some(match v {
        Value::String(s) => JsonValue::String(s.value().clone()),
        Value::Integer(i) => json!(*i.value()),
        Value::Float(f) => json!(*f.value()),
        Value::Boolean(b) => json!(*b.value()),
        Value::Datetime(d) => json!({ "date": d.value().to_string() }),
        Value::Array(a) => JsonValue::Array(a.iter().map(scalar).collect::<Option<Vec<_>>>()?),
        Value::InlineTable(_) => return None,
    })
}

/// A value from the page as TOML: integers stay integers.
fn toml_value(v: &JsonValue) -> Result<Value, String> {
    Ok(match v {
        JsonValue::String(s) => Value::from(s.as_str()),
        JsonValue::Bool(b) => Value::from(*b),
        JsonValue::Number(n) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => Value::from(n.as_f64().ok_or("a number out of range")?),
        },
        JsonValue::Array(a) => {
            let mut array = toml_edit::Array::new();
            for v in a {
                array.push(toml_value(v)?);
            }
            Value::Array(array)
        }
        JsonValue::Object(o) if o.len() == 1 && o.get("date").is_some_and(JsonValue::is_string) => {
            let text = o["date"].as_str().unwrap_or_default();
            text.parse::<Value>()
                .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD)"))?
        }
        JsonValue::Object(_) | JsonValue::Null => {
            return Err("give a number, a text, true or false, or a list of them".into());
        }
    })
}

#[derive(Deserialize)]
struct EditBody {
    #[serde(default)]
    name: Option<String>,
    text: String,
    /// Fields to set: `{ "path": "themes.general.volume.call.per_day", "value": 550 }`.
    #[serde(default)]
    edits: Vec<FieldEdit>,
    /// Staffing rows to set: `{ "pool": "agents", "day": "mon", "values": [9, 10, ...] }`.
    #[serde(default)]
    staffing: Vec<RowEdit>,
    /// Peaks to add or remove: `{ "op": "add", "theme": "general", "from":
    /// "2021-06-01", "to": "2021-06-30", "factor": 2.0, "shape": "ramp" }`,
    /// `{ "op": "remove", "theme": "general", "index": 0 }`; made before the
    /// fields are set.
    #[serde(default)]
    peaks: Vec<PeakEdit>,
}

#[derive(Deserialize)]
struct FieldEdit {
    path: String,
    value: JsonValue,
}

#[derive(Deserialize)]
struct RowEdit {
    pool: String,
    day: String,
    values: Vec<JsonValue>,
}

/// Applies edits to a text through the scenario editor (as `--set` does)
/// and returns the new text with its validation. A staffing row changes
/// only the cells that differ when the weekday has its own list, so the
/// rest of the file (comments, layout) stays byte for byte.
async fn edit(
    State(state): State<AppState>,
    Json(body): Json<EditBody>,
) -> ApiResult<Json<JsonValue>> {
    let bad = |m: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m);
    let doc: DocumentMut = body.text.parse().map_err(|e: toml_edit::TomlError| {
        bad(format!(
            "the scenario is not valid TOML; fix it in the text tab first: {}",
            e.message()
        ))
    })?;
    let mut sets = Vec::new();
    for e in &body.edits {
        let path = overrides::parse_path(&e.path).map_err(|m| bad(format!("{}: {m}", e.path)))?;
        let value = toml_value(&e.value).map_err(|m| bad(format!("{}: {m}", e.path)))?;
        sets.push(Override {
            text: format!("{}={}", e.path, value.to_string().trim()),
            path,
            value,
        });
    }
    for row in &body.staffing {
        sets.extend(row_edits(&doc, row).map_err(bad)?);
    }
    let base = if body.peaks.is_empty() {
        body.text.clone()
    } else {
        let mut doc = doc.clone();
        for p in &body.peaks {
            peaks::apply(&mut doc, p).map_err(bad)?;
        }
        doc.to_string()
    };
    let text = overrides::apply(&base, &sets).map_err(|e| bad(e.to_string()))?;
    let name = body.name.clone();
    let out = tokio::task::spawn_blocking(move || {
        let v = validation(&state, name.as_deref(), &text);
        json!({ "text": text, "validation": v })
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(Json(out))
}

/// The edits that make a pool's staffing row `day` hold `values`: the
/// changed cells alone when the day has its own list of that length; else
/// the whole list for that day.
fn row_edits(doc: &DocumentMut, row: &RowEdit) -> Result<Vec<Override>, String> {
    let day = row.day.as_str();
    if day != "default" && !Weekday::ALL.iter().any(|d| d.name() == day) {
        return Err(format!(
            "`{day}` is not a row of the staffing grid: use default, mon, tue, wed, thu, fri, sat or sun"
        ));
    }
    let values: Vec<i64> = row
        .values
        .iter()
        .map(|v| match v {
            JsonValue::Number(n) => n.as_i64().filter(|&i| i >= 0),
            JsonValue::String(s) => s.trim().parse::<i64>().ok().filter(|&i| i >= 0),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(|| {
            format!(
                "pool `{}`, {day}: every cell must be a whole number of agents, 0 or more",
                row.pool
            )
        })?;
    let staffing = doc
        .get("pools")
        .and_then(|p| p.get(&row.pool))
        .and_then(|p| p.get("staffing"))
        .and_then(Item::as_table_like)
        .ok_or_else(|| {
            format!(
                "pool `{}` has no staffing table (start, default, mon … sun) to edit as a grid",
                row.pool
            )
        })?;
    let base = || vec![key("pools"), key(&row.pool), key("staffing"), key(day)];
    let whole = || {
        let mut array = toml_edit::Array::new();
        for &v in &values {
            array.push(v);
        }
        Override {
            path: base(),
            value: Value::Array(array),
            text: format!("pools.{}.staffing.{day}=[…]", row.pool),
        }
    };
    match staffing.get(day).and_then(Item::as_array) {
        Some(old) if old.len() == values.len() => Ok(old
            .iter()
            .zip(&values)
            .enumerate()
            .filter(|(_, (o, new))| o.as_integer() != Some(**new))
            .map(|(i, (_, &new))| {
                let mut path = base();
                path.push(Step::Index(i));
                Override {
                    path,
                    value: Value::from(new),
                    text: format!("pools.{}.staffing.{day}[{i}]={new}", row.pool),
                }
            })
            .collect()),
        _ => Ok(vec![whole()]),
    }
}

#[derive(Deserialize)]
struct RunBody {
    /// The scenario's name in the library (its queue).
    #[serde(default)]
    name: Option<String>,
    text: String,
    #[serde(default)]
    replications: Option<u32>,
    #[serde(default)]
    seed: Option<u64>,
}

/// Starts a run: 202 with its progress (`cached: true` and the key figures
/// at once when it comes from the cache); 422 with located errors when the
/// scenario is invalid; 422 when the run is larger than the limits.
async fn start(State(state): State<AppState>, Json(body): Json<RunBody>) -> ApiResult<Response> {
    let name = body.name.clone().unwrap_or_else(|| "scenario.toml".into());
    let checked = {
        let state = state.clone();
        let name = body.name.clone();
        let text = body.text.clone();
        tokio::task::spawn_blocking(move || check(&state, name.as_deref(), &text))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    };
    let scenario = checked.map_err(|errors| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: format!(
            "the scenario has {} error{}: fix {} before running",
            errors.errors.len(),
            if errors.errors.len() == 1 { "" } else { "s" },
            if errors.errors.len() == 1 {
                "it"
            } else {
                "them"
            },
        ),
        errors: Some(located(&errors)),
    })?;
    let limits = &state.limits;
    let replications = body.replications.or(scenario.replications).unwrap_or(100);
    if replications == 0 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "replications must be at least 1",
        ));
    }
    if replications > limits.max_replications {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "{replications} replications asked for; this workbench runs at most {} (start it with --max-replications to allow more)",
                limits.max_replications
            ),
        ));
    }
    let days = scenario.model.calendar.days;
    if days > limits.max_days {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the horizon is {days} days; this workbench simulates at most {} (start it with --max-days to allow more)",
                limits.max_days
            ),
        ));
    }
    // Every figure of a run is kept, for its report and exports.
    limits
        .fits(
            &scenario.model,
            replications,
            state.runs.threads(),
            Files::Json,
        )
        .map_err(|m| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m))?;
    let seed = body.seed.or(scenario.seed).unwrap_or(1700);
    let run = state.runs.start(&name, scenario, replications, seed);
    Ok((StatusCode::ACCEPTED, Json(described(&run))).into_response())
}

/// A run's progress, with its key figures and simulation time once over.
fn described(run: &Run) -> JsonValue {
    let progress = run.progress();
    let mut out = serde_json::to_value(&progress).unwrap_or_default();
    if let Some(f) = run.finished() {
        out["key_figures"] = f.key_figures.clone();
        out["seconds"] = json!(f.seconds);
        out["report"] = json!(format!("/api/runs/{}/report", run.id));
    }
    out
}

fn find(state: &AppState, id: u64) -> ApiResult<Arc<Run>> {
    state.runs.get(id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no run {id}: it never was, or it is long over and forgotten"),
        )
    })
}

async fn status(State(state): State<AppState>, Path(id): Path<u64>) -> ApiResult<Json<JsonValue>> {
    Ok(Json(described(&*find(&state, id)?)))
}

/// The run's progress as server-sent events: `progress` events (queued with
/// its place, running with replications done), then one `done`,
/// `cancelled` or `failed` event (with the key figures when there are
/// some), and the stream ends. A client that goes away just stops reading.
async fn events(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> ApiResult<impl IntoResponse> {
    let run = find(&state, id)?;
    let mut watch = run.watch();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Event, Infallible>>(16);
    tokio::spawn(async move {
        loop {
            let progress: Progress = watch.borrow_and_update().clone();
            let over = progress.state.is_over();
            let event = if over {
                let kind = serde_json::to_value(progress.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| "done".into());
                Event::default().event(kind).json_data(described(&run))
            } else {
                Event::default().event("progress").json_data(&progress)
            };
            let Ok(event) = event else { return };
            if tx.send(Ok(event)).await.is_err() || over {
                return;
            }
            if watch.changed().await.is_err() {
                return;
            }
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}

async fn cancel(State(state): State<AppState>, Path(id): Path<u64>) -> ApiResult<Json<JsonValue>> {
    let run = find(&state, id)?;
    let cancelled = state.runs.cancel(&run);
    Ok(Json(
        json!({ "id": id, "cancelling": cancelled, "state": run.progress().state }),
    ))
}

/// The report page of a finished run.
async fn report(State(state): State<AppState>, Path(id): Path<u64>) -> ApiResult<Response> {
    let run = find(&state, id)?;
    let Some(finished) = run.finished() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "the run has no results yet",
        ));
    };
    let page = tokio::task::spawn_blocking(move || finished.page().to_string())
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}
