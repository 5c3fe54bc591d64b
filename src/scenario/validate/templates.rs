//! Shift templates of `ccsim schedule` (a `shifts.toml` file): the shifts a
//! roster may be made of, each with a window of start times, a paid length,
//! unpaid breaks placed within windows, the days it may be worked, head-count
//! bounds, whether it is part-time and its price. Read against a validated
//! [`Model`] (its interval grid and pools); every problem is reported with
//! the file, line, column and field, never a panic.
//!
//! ```toml
//! part_time_max_share = 0.3          # part-timers: at most 30% of a day's head count
//!
//! [templates.early]
//! pool = "frontline"                 # optional when the scenario has one pool
//! start = "07:00-09:00"              # earliest and latest start
//! step = "30m"                       # between two starts (default: the interval)
//! length = "8h"                      # paid hours (breaks come on top, unpaid)
//! breaks = [{ length = "30m", within = "11:30-14:00" }]
//! days = "mon-fri"                   # default: every day
//! min = 2                            # per day it is worked (default 0)
//! max = 20                           # per day (default: no limit)
//! max_per_week = 80                  # per calendar week (Monday to Sunday)
//! part_time = false
//! hour_price = 36.0                  # default: the pool's hour_price
//! ```

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::model::{Model, Weekday};
use crate::scenario::error::{Problems, ScenarioErrors, did_you_mean, from_serde};
use crate::scenario::spec::{Names, Whole};
use crate::scenario::values::{DurationValue, parse_clock};

use super::fields::{names, span, weekday_keys, whole};
use super::grid::{clock, on_grid};

/// A whole `shifts.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShiftsFileSpec {
    /// The most part-timers may be of a day's head count (0 to 1).
    part_time_max_share: Option<Spanned<f64>>,
    /// The templates by name.
    templates: Spanned<IndexMap<String, Spanned<TemplateSpec>>>,
}

/// One template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateSpec {
    pool: Option<Spanned<String>>,
    start: Spanned<String>,
    step: Option<Spanned<DurationValue>>,
    length: Spanned<DurationValue>,
    #[serde(default)]
    breaks: Vec<Spanned<WindowBreakSpec>>,
    days: Option<Spanned<Names>>,
    min: Option<Spanned<Whole>>,
    max: Option<Spanned<Whole>>,
    min_per_week: Option<Spanned<Whole>>,
    max_per_week: Option<Spanned<Whole>>,
    part_time: Option<Spanned<bool>>,
    hour_price: Option<Spanned<f64>>,
}

/// A break placed by the solver within a window: `{ length = "30m", within = "11:30-14:00" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowBreakSpec {
    length: Spanned<DurationValue>,
    within: Spanned<String>,
}

/// The templates of a `shifts.toml`, validated against a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTemplates {
    /// The templates, in file order.
    pub templates: Vec<ShiftTemplate>,
    /// The most part-timers may be of a day's head count of a pool (`None`: no cap).
    pub part_time_max_share: Option<f64>,
}

/// One shift template, on the scenario's interval grid.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTemplate {
    /// Its name in the file.
    pub name: String,
    /// The pool it staffs (index into `Model::pools`).
    pub pool: usize,
    /// Possible starts, as intervals of the day.
    pub starts: Vec<u32>,
    /// Paid intervals (worked; breaks come on top).
    pub paid: u32,
    /// Unpaid breaks, in order.
    pub breaks: Vec<BreakWindow>,
    /// Weekdays (Monday first) on which it may be worked.
    pub days: [bool; 7],
    /// Head count bounds per day it is worked.
    pub min_per_day: u32,
    /// See `min_per_day`; `None`: no limit.
    pub max_per_day: Option<u32>,
    /// Head count bounds per calendar week (Monday to Sunday) within the schedule.
    pub min_per_week: u32,
    /// See `min_per_week`.
    pub max_per_week: Option<u32>,
    /// Whether it counts towards the part-time cap.
    pub part_time: bool,
    /// Price of a paid agent-hour.
    pub hour_price: f64,
}

/// A break of `length` intervals that must lie within `[from, to)` (intervals of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakWindow {
    /// Intervals.
    pub length: u32,
    /// First interval of the window.
    pub from: u32,
    /// One past the window's last interval.
    pub to: u32,
}

/// Reads a `shifts.toml` (`text`, shown as `file` in messages) against `model`.
pub fn shift_templates(
    text: &str,
    file: &str,
    model: &Model,
) -> Result<ShiftTemplates, ScenarioErrors> {
    let fail = |errors| ScenarioErrors {
        file: file.to_string(),
        source: text.to_string(),
        errors,
    };
    let spec: ShiftsFileSpec = match toml::Deserializer::parse(text) {
        Ok(de) => serde_path_to_error::deserialize(de).map_err(|e| fail(vec![from_serde(e)]))?,
        Err(e) => {
            let mut p = Problems::default();
            p.add("", e.span(), e.message().trim());
            return Err(fail(p.list));
        }
    };
    let mut p = Problems::default();
    let part_time_max_share = spec.part_time_max_share.as_ref().and_then(|v| {
        let x = *v.get_ref();
        if (0.0..=1.0).contains(&x) {
            Some(x)
        } else {
            p.add(
                "part_time_max_share",
                span(v),
                format!("must be a share from 0 to 1, got {x}"),
            );
            None
        }
    });
    if spec.templates.get_ref().is_empty() {
        p.add(
            "templates",
            span(&spec.templates),
            "give at least one template, e.g. [templates.day] with start = \"08:00-10:00\" and length = \"8h\"",
        );
    }
    let mut templates = Vec::new();
    for (name, t) in spec.templates.get_ref() {
        if let Some(t) = template(name, t, model, &mut p) {
            templates.push(t);
        }
    }
    if p.list.is_empty() {
        Ok(ShiftTemplates {
            templates,
            part_time_max_share,
        })
    } else {
        Err(fail(p.list))
    }
}

/// A duration on the grid, as whole intervals, at least `min`.
fn intervals_of(
    v: &Spanned<DurationValue>,
    path: &str,
    what: &str,
    interval: f64,
    p: &mut Problems,
) -> Option<u32> {
    let secs = v.get_ref().0;
    if secs > 0.0 && on_grid(secs, interval) {
        Some((secs / interval).round() as u32)
    } else {
        p.add(
            path,
            span(v),
            format!(
                "{what} must be a positive whole number of intervals ({} minutes), got {}",
                interval / 60.0,
                crate::model::duration::format_duration(secs)
            ),
        );
        None
    }
}

/// A clock time on the grid, as an interval of the day.
fn grid_time(
    text: &str,
    v: &Spanned<String>,
    path: &str,
    interval: f64,
    p: &mut Problems,
) -> Option<u32> {
    match parse_clock(text) {
        Ok(t) if on_grid(t, interval) => Some((t / interval).round() as u32),
        Ok(_) => {
            p.add(
                path,
                span(v),
                format!(
                    "\"{}\" must fall on an interval boundary (every {} minutes)",
                    text.trim(),
                    interval / 60.0
                ),
            );
            None
        }
        Err(e) => {
            p.add(path, span(v), e);
            None
        }
    }
}

/// `"07:00-09:00"` (or one time `"07:00"`) as intervals of the day.
fn window(v: &Spanned<String>, path: &str, interval: f64, p: &mut Problems) -> Option<(u32, u32)> {
    let text = v.get_ref();
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let a = grid_time(a, v, path, interval, p)?;
    let b = grid_time(b, v, path, interval, p)?;
    if b < a {
        p.add(
            path,
            span(v),
            format!("\"{text}\": the window must end at or after its start"),
        );
        return None;
    }
    Some((a, b))
}

fn template(
    name: &str,
    ts: &Spanned<TemplateSpec>,
    model: &Model,
    p: &mut Problems,
) -> Option<ShiftTemplate> {
    let t = ts.get_ref();
    let path = format!("templates.{name}");
    let interval = model.calendar.interval;
    let per_day = model.calendar.intervals_per_day;
    let errors_before = p.list.len();
    let pool = match &t.pool {
        Some(v) => {
            let found = model.pools.iter().position(|q| &q.name == v.get_ref());
            if found.is_none() {
                let known: Vec<&str> = model.pools.iter().map(|q| q.name.as_str()).collect();
                p.add(
                    format!("{path}.pool"),
                    span(v),
                    format!(
                        "unknown pool `{}`: the scenario's pools are {}{}",
                        v.get_ref(),
                        known.join(", "),
                        did_you_mean(v.get_ref(), known.iter().copied())
                    ),
                );
            }
            found
        }
        None if model.pools.len() == 1 => Some(0),
        None => {
            p.add(
                path.clone(),
                span(ts),
                format!(
                    "missing `pool`: the scenario has several pools ({})",
                    model
                        .pools
                        .iter()
                        .map(|q| q.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            None
        }
    };
    let starts_window = window(&t.start, &format!("{path}.start"), interval, p);
    let step = match &t.step {
        Some(s) => intervals_of(s, &format!("{path}.step"), "`step`", interval, p),
        None => Some(1),
    };
    let paid = intervals_of(
        &t.length,
        &format!("{path}.length"),
        "`length`",
        interval,
        p,
    );
    let mut breaks = Vec::new();
    for (k, b) in t.breaks.iter().enumerate() {
        let bpath = format!("{path}.breaks[{k}]");
        let br = b.get_ref();
        let length = intervals_of(
            &br.length,
            &format!("{bpath}.length"),
            "a break's length",
            interval,
            p,
        );
        let within = window(&br.within, &format!("{bpath}.within"), interval, p);
        if let (Some(length), Some((from, to))) = (length, within) {
            if to < from + length {
                p.add(
                    format!("{bpath}.within"),
                    span(&br.within),
                    format!(
                        "the window {} is shorter than the break ({} minutes)",
                        br.within.get_ref(),
                        f64::from(length) * interval / 60.0
                    ),
                );
            } else {
                breaks.push(BreakWindow { length, from, to });
            }
        }
    }
    let days = match &t.days {
        None => [true; 7],
        Some(v) => {
            let mut days = [false; 7];
            let listed = names(v.get_ref());
            for key in &listed {
                if key == "*" {
                    days = [true; 7];
                    continue;
                }
                match weekday_keys(key) {
                    Some(ws) => ws.iter().for_each(|w| days[w.index()] = true),
                    None => p.add(
                        format!("{path}.days"),
                        span(v),
                        format!(
                            "`{key}` is not a weekday or weekday range: use mon, tue, wed, thu, fri, sat, sun, a range like mon-fri, or \"*\""
                        ),
                    ),
                }
            }
            days
        }
    };
    let count = |v: &Option<Spanned<Whole>>, key: &str, p: &mut Problems| {
        v.as_ref()
            .map(|v| whole(v, 0..=100_000, "agents", &format!("{path}.{key}"), p))
    };
    let min_per_day = count(&t.min, "min", p).flatten().unwrap_or(0);
    let max_per_day = count(&t.max, "max", p).flatten();
    let min_per_week = count(&t.min_per_week, "min_per_week", p)
        .flatten()
        .unwrap_or(0);
    let max_per_week = count(&t.max_per_week, "max_per_week", p).flatten();
    for (lo, hi, key, v) in [
        (min_per_day, max_per_day, "max", &t.max),
        (min_per_week, max_per_week, "max_per_week", &t.max_per_week),
    ] {
        if let (Some(hi), Some(v)) = (hi, v)
            && hi < lo
        {
            p.add(
                format!("{path}.{key}"),
                span(v),
                format!("the maximum {hi} is below the minimum {lo}"),
            );
        }
    }
    let hour_price = match (&t.hour_price, pool) {
        (Some(v), _) => {
            let x = *v.get_ref();
            if x.is_finite() && x >= 0.0 {
                Some(x)
            } else {
                p.add(
                    format!("{path}.hour_price"),
                    span(v),
                    format!("must be a price of 0 or more, got {x}"),
                );
                None
            }
        }
        (None, Some(q)) => Some(model.pools[q].hour_price),
        (None, None) => None,
    };
    let (pool, (first, last), step, paid, hour_price) =
        (pool?, starts_window?, step?, paid?, hour_price?);
    if p.list.len() > errors_before {
        return None;
    }
    let span_len = paid + breaks.iter().map(|b| b.length).sum::<u32>();
    let starts: Vec<u32> = (first..=last)
        .step_by(step as usize)
        .filter(|&s| s + span_len <= per_day)
        .collect();
    if starts.is_empty() {
        p.add(
            format!("{path}.start"),
            span(&t.start),
            format!(
                "no start in {} lets the shift ({} with its breaks) end by 24:00",
                t.start.get_ref(),
                clock(f64::from(span_len) * interval)
            ),
        );
        return None;
    }
    let tmpl = ShiftTemplate {
        name: name.to_string(),
        pool,
        starts,
        paid,
        breaks,
        days,
        min_per_day,
        max_per_day,
        min_per_week,
        max_per_week,
        part_time: t.part_time.as_ref().is_some_and(|v| *v.get_ref()),
        hour_price,
    };
    if let Some(&s) = tmpl.starts.iter().find(|&&s| tmpl.placements(s).is_empty()) {
        p.add(
            format!("{path}.breaks"),
            span(&t.start),
            format!(
                "a shift starting at {} cannot place its breaks within their windows (each break needs worked time before and after it)",
                clock(f64::from(s) * interval)
            ),
        );
        return None;
    }
    Some(tmpl)
}

impl ShiftTemplate {
    /// The ways to place the breaks of a shift starting at interval `start`:
    /// each a list of break starts (intervals of the day), in order, every
    /// break within its window, after at least one worked interval, before
    /// the shift's last worked interval, and not touching the one before.
    pub fn placements(&self, start: u32) -> Vec<Vec<u32>> {
        let end = start + self.paid + self.breaks.iter().map(|b| b.length).sum::<u32>();
        let mut out = Vec::new();
        let mut current = Vec::new();
        self.place(0, start + 1, end, &mut current, &mut out);
        out
    }

    fn place(
        &self,
        k: usize,
        earliest: u32,
        end: u32,
        current: &mut Vec<u32>,
        out: &mut Vec<Vec<u32>>,
    ) {
        let Some(b) = self.breaks.get(k) else {
            out.push(current.clone());
            return;
        };
        let from = b.from.max(earliest);
        // Leave at least one worked interval after the break.
        let latest = b.to.min(end.saturating_sub(1)).saturating_sub(b.length);
        for at in from..=latest {
            if at + b.length > b.to || at + b.length >= end {
                continue;
            }
            current.push(at);
            self.place(k + 1, at + b.length + 1, end, current, out);
            current.pop();
        }
    }

    /// The worked intervals of the day of a shift starting at `start` with
    /// its breaks at `breaks`, as runs (first, one past the last).
    pub fn segments(&self, start: u32, breaks: &[u32]) -> Vec<(u32, u32)> {
        let mut runs = Vec::new();
        let mut from = start;
        for (b, &at) in self.breaks.iter().zip(breaks) {
            runs.push((from, at));
            from = at + b.length;
        }
        let end = start + self.paid + self.breaks.iter().map(|b| b.length).sum::<u32>();
        runs.push((from, end));
        runs.retain(|&(a, b)| b > a);
        runs
    }

    /// Whether it may be worked on a weekday.
    pub fn works_on(&self, w: Weekday) -> bool {
        self.days[w.index()]
    }
}

/// Agents on duty per horizon interval of `calendar` read from a CSV file
/// with columns `date,interval,agents` (the format of a pool's
/// `staffing = { file }`; other columns are ignored, rows outside the
/// horizon too, intervals without a row need nobody). The error names the
/// file, its line, the column and what was found.
pub fn requirement_file(
    path: &std::path::Path,
    calendar: &crate::model::Calendar,
) -> Result<Vec<f64>, String> {
    let file = Spanned::new(0..0, path.display().to_string());
    let wanted = super::files::Wanted {
        default_column: "agents",
        what: "a number of agents from 0 to 100000",
        need_interval: true,
        max: 100_000.0,
        theme: None,
        channel: None,
    };
    let dated = super::files::read(&file, None, &wanted, calendar, None, &mut Vec::new())?;
    let per_day = calendar.intervals_per_day as usize;
    let mut out = vec![0.0; calendar.intervals()];
    for row in &dated.rows {
        if let Some(i) = row.interval {
            out[row.day * per_day + i] = row.count;
        }
    }
    Ok(out)
}
