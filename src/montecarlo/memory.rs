//! How much memory a run needs, estimated before it starts, part by part;
//! how much memory it may have; and the arrival rates that no memory makes
//! simulable.
//!
//! A run holds, at its peak, either what the simulation needs or what the
//! report needs (the per-replication buffers are freed in between), so the
//! estimate is the larger of two phases:
//!
//! - **simulating**: the program and the scenario; the figures of every
//!   replication kept (`replications × figures × 8` bytes); and, for each
//!   replication running at once (one per worker thread), its counters
//!   (`stats::Rolling`: the cells and wait histogram of each day still
//!   open, [`HELD_DAYS`] at most but every day for models with visits, and
//!   the figures each day is folded into), the engine's
//!   state and the contacts in flight: the queues of calls and chats (at
//!   most a day's contacts of a stream, since the line closes them out and
//!   callers hang up), the backlog of e-mails (never abandoned: at worst
//!   every e-mail of the horizon waits at once) and the booked visits;
//! - **reporting**: the figures of every replication, the summary of every
//!   figure reported (mean, confidence interval, quantiles, their index: of
//!   every figure but those of days and intervals when files are written,
//!   which are summarised as they are written and cost their layout entry
//!   and order, `Entry::summarised_when_written`; else only of those the
//!   terminal summary reads, `Entry::in_run_summary`) and the files asked
//!   for (written period by period and row by row, so little per figure).
//!
//! The sizes of the counters, the queues and the per-replication figures are
//! exact byte counts of ccsim's own types; the summary and file costs per
//! figure were measured (maximum resident set size of runs of 7 to 36,600
//! days, see docs/sharding.md) and carry a margin. The estimate is meant to
//! be within about 20% of the peak resident memory, and above it rather than
//! below; queues of calls and chats are bounded from above, so a run whose
//! agents keep up uses less.
//!
//! What the machine allows ([`available`]) is the least of the memory
//! available (`MemAvailable` of `/proc/meminfo`), the cgroup's memory limit
//! less what the cgroup already uses (cgroup v1 or v2), and the address-space
//! limit (`ulimit -v`) less what the process has mapped and what its worker
//! threads will reserve.

use std::fmt;
use std::mem::size_of;

use bytesize::ByteSize;

use crate::engine::{Event, Waiting};
use crate::model::{Channel, Model};
use crate::stats::counters::WAIT_BINS;
use crate::stats::{Entry, Estimate, Layout, PoolCell, StreamCell};

/// The program itself before it reads a scenario (code, runtime, thread
/// pool), measured as the resident memory of a one-week run: 10 MB, with a
/// margin.
const PROGRAM: u64 = 16_000_000;
/// Beyond a figure's layout entry and its estimate (counted from their
/// types), what summarising a figure costs: its copy in the typed results
/// with the index that finds it by key, and the growth of the vectors that
/// collect them. Measured: about 420 bytes a figure in all (runs of 700,
/// 3,650 and 36,600 days of the quickstart, and of the Q2 scenario).
const SUMMARY_EXTRA: u64 = 180;
/// Beyond a figure's two layout entries (the run's and the results') and its
/// estimate, what the results of a run cost per figure: the index that finds
/// it by key (a hash table of 41-byte buckets, at most 7/8 full) and the
/// growth of the vectors. A run estimates its figures straight into the
/// results' order (`RunResult::results_summarised`), so it holds each
/// estimate once. Measured: 100 years of the quickstart with `--out`, 3.15
/// GB at the peak for 13.1 million figures, 240 bytes a figure in all.
const RUN_SUMMARY_EXTRA: u64 = 60;
/// What `--out DIR` adds per figure while the files are written: summary.json
/// is written period by period and the CSV tables row by row, so only the
/// positions of each period's figures (4 bytes), the labels of the days and
/// intervals, the charts' data (by week or month over long horizons) and the
/// HTML page remain, and the allocator's slack. Measured: see
/// docs/performance.md ("Memory", third round).
const REPORT_FILES: u64 = 16;
/// What a figure of a day or an interval costs in a run's results beyond
/// its layout entry and values (`stats::deferred`): its canonical position
/// and the position of the count bounding its interval, 4 bytes each.
const DEFERRED: u64 = 8;
/// What `--json FILE` (or a shard's part file) adds per figure: the
/// positions of each period's figures. Measured: under 8.
const JSON_FILE: u64 = 8;
/// The booked visits a replication keeps (an appointment and its event).
const APPOINTMENT: u64 = 32 + size_of::<Event>() as u64;

/// What the run writes besides the terminal summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Files {
    /// Nothing (or only a small JSON, such as `ccsim check`'s).
    #[default]
    None,
    /// Every figure to one JSON file (`--json`), or a shard's part file.
    Json,
    /// The whole report folder (`--out DIR`), with or without `--json`.
    Report,
}

/// The run whose memory is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Replications whose figures this process keeps (a shard's share).
    pub replications: u32,
    /// Replications simulated at once: the worker threads, at most the replications.
    pub workers: usize,
    /// The files written.
    pub files: Files,
}

/// The parts of a run's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The program, the scenario (arrival rates and staffing per interval)
    /// and the list of figures.
    Scenario,
    /// Calls, chats and e-mails waiting at once, and booked visits, in the
    /// replications running at once.
    Contacts,
    /// The counters and the engine of the replications running at once.
    Counters,
    /// The figures of every replication kept, until they are summarised.
    Replications,
    /// The summary of every figure (mean, CI, quantiles) and its index.
    Summaries,
    /// The report's files while they are written.
    Files,
}

/// One part of the estimate: its size and what it is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Which part.
    pub part: Part,
    /// Bytes.
    pub bytes: u64,
    /// What it holds, with the numbers it is computed from.
    pub what: String,
    /// What would make it smaller.
    pub advice: String,
}

/// The estimated peak memory of a run, by part.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// The parts held at the peak, largest first.
    pub items: Vec<Item>,
    /// Their sum: the estimate of the peak resident memory, bytes.
    pub total: u64,
    /// Figures per replication.
    pub figures: usize,
    /// What is estimated, for messages: "run", or "merge" for `ccsim merge`.
    pub doing: &'static str,
    /// What a refusal has not done: "simulated" for a run, "merged" for
    /// `ccsim merge`.
    pub undone: &'static str,
}

impl Need {
    /// The largest part.
    pub fn largest(&self) -> Option<&Item> {
        self.items.first()
    }
}

/// Where a memory budget comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Given on the command line (`--memory-limit`).
    Given,
    /// `MemAvailable` in /proc/meminfo (or the system's equivalent).
    Available,
    /// The cgroup's memory limit, less what the cgroup uses.
    Cgroup {
        /// The limit, bytes.
        limit: u64,
    },
    /// The address-space limit (`ulimit -v`), less what the process has mapped.
    AddressSpace {
        /// The limit, bytes.
        limit: u64,
    },
}

/// How much memory a run may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// Bytes.
    pub bytes: u64,
    /// Where the figure comes from.
    pub source: Source,
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = size(self.bytes);
        match self.source {
            Source::Given => write!(f, "{bytes} allowed by --memory-limit"),
            Source::Available => write!(f, "{bytes} available (MemAvailable in /proc/meminfo)"),
            Source::Cgroup { limit } => write!(
                f,
                "{bytes} left under the cgroup's memory limit of {}",
                size(limit)
            ),
            Source::AddressSpace { limit } => write!(
                f,
                "{bytes} left under the address-space limit (ulimit -v) of {}",
                size(limit)
            ),
        }
    }
}

/// A run refused because its estimate exceeds its budget.
#[derive(Debug, Clone, PartialEq)]
pub struct TooLarge {
    /// The estimate.
    pub need: Need,
    /// What the run may use.
    pub budget: Budget,
}

impl std::error::Error for TooLarge {}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "not enough memory: this {} needs about {} at its peak, more than the {}. \
             Nothing was {}.",
            self.need.doing,
            size(self.need.total),
            self.budget,
            self.need.undone
        )?;
        writeln!(f, "The estimate of its peak, by part:")?;
        for item in &self.need.items {
            writeln!(f, "  {:>9}  {}", size(item.bytes), item.what)?;
        }
        if let Some(largest) = self.need.largest() {
            writeln!(f, "To make it smaller: {}.", largest.advice)?;
        }
        // A whole number of GB above the estimate.
        let enough = self.need.total.div_ceil(1_000_000_000).max(1);
        write!(
            f,
            "If the machine has more memory free than ccsim sees, --memory-limit SIZE overrides \
             the limit (e.g. --memory-limit {enough}G), at the risk of the system stopping the run."
        )
    }
}

/// A stream with more contacts in one interval than ccsim can count.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{path}: about {expected:.3e} contacts in one interval ({date} {time}), more than ccsim can count \
     ({max} per stream and interval) or simulate; is the volume a typo?",
    max = u32::MAX
)]
pub struct TooManyContacts {
    /// The scenario field of the stream's volume, e.g. `themes.general.volume.call`.
    pub path: String,
    /// Expected contacts in the interval (with the theme's uncertainty and redials).
    pub expected: f64,
    /// The interval's date.
    pub date: String,
    /// The interval's start time.
    pub time: String,
}

/// Refuses a model whose streams bring more contacts into one interval than
/// the counters hold (`u32` per stream and interval): such a run would count
/// wrongly, and could not finish in any reasonable time anyway.
pub fn check_rates(model: &Model) -> Result<(), TooManyContacts> {
    let arrivals = arrivals(model);
    for (s, stream) in model.streams.iter().enumerate() {
        let factor = arrivals.factor[s];
        for (i, &x) in stream.expected.iter().enumerate() {
            let expected = x * factor;
            // NaN is refused too.
            if expected.is_nan() || expected > f64::from(u32::MAX) {
                let (day, time) = model.calendar.interval_label(i);
                return Err(TooManyContacts {
                    path: volume_path(model, s),
                    expected,
                    date: model.calendar.date(day).to_string(),
                    time,
                });
            }
        }
    }
    Ok(())
}

/// Refuses a run whose estimated peak exceeds the budget.
pub fn check(need: &Need, budget: &Budget) -> Result<(), Box<TooLarge>> {
    if need.total > budget.bytes {
        return Err(Box::new(TooLarge {
            need: need.clone(),
            budget: budget.clone(),
        }));
    }
    Ok(())
}

/// Contacts per stream: expected arrivals times the factor for a high
/// volume level and for redials and transfers.
struct Arrivals {
    /// Per stream: the factor on its expected arrivals.
    factor: Vec<f64>,
}

/// Expected arrivals are multiplied, per stream, by a high level of the
/// theme's volume (three coefficients of variation above the forecast), by
/// the attempts of a caller who redials at every chance, and by the calls
/// transferred in.
fn arrivals(model: &Model) -> Arrivals {
    let mut factor: Vec<f64> = model
        .streams
        .iter()
        .map(|s| {
            let level = model.themes[s.theme]
                .uncertainty
                .map_or(1.0, |u| 1.0 + 3.0 * u.cv.max(0.0));
            let attempts = model.channel(s.channel).redial.as_ref().map_or(1.0, |r| {
                // 1 + first + first·later + first·later² + … up to max_attempts.
                let mut total = 1.0;
                let mut p = r.first.clamp(0.0, 1.0);
                for _ in 1..r.max_attempts.max(1) {
                    total += p;
                    p *= r.later.clamp(0.0, 1.0);
                }
                total
            });
            level * attempts
        })
        .collect();
    // Transfers in: a share of another stream's answered calls.
    let base = factor.clone();
    for (s, stream) in model.streams.iter().enumerate() {
        if let Some(t) = &stream.transfer
            && t.to < factor.len()
        {
            let (from, to) = (
                total(&stream.expected),
                total(&model.streams[t.to].expected),
            );
            if to > 0.0 {
                factor[t.to] += base[s] * t.probability.clamp(0.0, 1.0) * from / to;
            }
        }
    }
    Arrivals { factor }
}

fn total(xs: &[f64]) -> f64 {
    xs.iter().sum()
}

/// The scenario field of stream `s`'s volume.
fn volume_path(model: &Model, s: usize) -> String {
    let stream = &model.streams[s];
    let theme = model
        .themes
        .get(stream.theme)
        .map_or("?", |t| t.name.as_str());
    format!("themes.{theme}.volume.{}", stream.channel.name())
}

/// What one replication holds in flight at most: bytes, and the stream that
/// holds the most, with its count of contacts.
fn contacts(model: &Model) -> (u64, Option<(usize, f64)>) {
    let arrivals = arrivals(model);
    let per_day = model.calendar.intervals_per_day.max(1) as usize;
    let waiting = size_of::<Waiting>() as f64;
    let event = size_of::<Event>() as f64;
    let mut bytes = 0.0;
    let mut largest: Option<(usize, f64, f64)> = None;
    for (s, stream) in model.streams.iter().enumerate() {
        let factor = arrivals.factor[s];
        let line = &model.lines[stream.line.min(model.lines.len().saturating_sub(1))];
        let (count, each) = match stream.channel {
            _ if stream.booked => (total(&stream.expected) * factor, APPOINTMENT as f64),
            // E-mails are never abandoned: the backlog may hold them all.
            Channel::Email => (total(&stream.expected) * factor, waiting),
            // Calls and chats: at most a day's contacts wait at once; with
            // redials, callbacks or overflow each also has a pending event.
            _ => {
                let day = stream
                    .expected
                    .chunks(per_day)
                    .map(total)
                    .fold(0.0, f64::max);
                let timed = model.channel(stream.channel).redial.is_some()
                    || line.callback.is_some()
                    || model
                        .pools
                        .iter()
                        .flat_map(|p| &p.skills)
                        .any(|k| k.stream == s && k.overflow_after > 0.0);
                (day * factor, waiting + if timed { event } else { 0.0 })
            }
        };
        let b = count * each;
        bytes += b;
        if largest.is_none_or(|(_, _, lb)| b > lb) {
            largest = Some((s, count, b));
        }
    }
    (saturating(bytes), largest.map(|(s, count, _)| (s, count)))
}

/// The counters of one replication, bytes (see `stats::Counters::new`).
pub fn counters_bytes(model: &Model) -> u64 {
    let intervals = model.calendar.intervals() as u64;
    let days = u64::from(model.calendar.days);
    let streams = model.streams.len() as u64;
    let pools = model.pools.len() as u64;
    let bins = (Channel::COUNT * WAIT_BINS * size_of::<u32>()) as u64;
    intervals * streams * size_of::<StreamCell>() as u64
        + intervals * pools * size_of::<PoolCell>() as u64
        + days * streams * size_of::<u32>() as u64
        + days * bins
        + bins
}

/// Days a run's counters hold at once beyond the day running, for models
/// without visits: those whose contacts may still have no outcome (an
/// e-mail backlog over a weekend, callbacks, redials). A backlog that grows
/// for weeks holds more (its e-mails are counted in the contacts in flight).
pub const HELD_DAYS: u64 = 14;

/// The counters of one replication of a run (`stats::Rolling`), bytes: a
/// block of cells and histograms for each day held (every day for models
/// with visits, whose appointment books are told at the start; otherwise
/// [`HELD_DAYS`]), the backlog of every day, and the replication's figures
/// (`figures` of 8 bytes), folded into in place.
pub fn rolling_bytes(model: &Model, figures: u64) -> u64 {
    let per_day = u64::from(model.calendar.intervals_per_day);
    let days = u64::from(model.calendar.days);
    let streams = model.streams.len() as u64;
    let pools = model.pools.len() as u64;
    let bins = (Channel::COUNT * WAIT_BINS * size_of::<u32>()) as u64;
    let block = per_day * streams * size_of::<StreamCell>() as u64
        + per_day * pools * size_of::<PoolCell>() as u64
        + bins;
    let held = if model.has_visits() {
        days
    } else {
        days.min(HELD_DAYS)
    };
    held * block + days * streams * size_of::<u32>() as u64 + bins + figures * 8
}

/// The engine's own state for one replication, beyond its queues: volume
/// levels per theme and day, agents available per pool and interval, and the
/// samples of empirical distributions.
fn engine_bytes(model: &Model) -> u64 {
    let intervals = model.calendar.intervals() as u64;
    let days = u64::from(model.calendar.days);
    let samples: u64 = model
        .streams
        .iter()
        .map(|s| match &s.handle_time {
            crate::model::Distribution::Empirical { values } => values.len() as u64 * 8,
            _ => 0,
        })
        .sum();
    model.themes.len() as u64 * days * 8 + model.pools.len() as u64 * intervals * 12 + samples
}

/// The scenario as the model holds it: expected arrivals per stream and
/// staffing per pool, per interval.
fn scenario_bytes(model: &Model) -> u64 {
    let intervals = model.calendar.intervals() as u64;
    intervals * (model.streams.len() as u64 * 8 + model.pools.len() as u64 * 24)
}

/// Estimates the peak memory of a run of `model` (see the module's
/// documentation for what is counted and how well).
///
/// A run that writes no file summarises only the figures of its terminal
/// summary ([`Entry::in_run_summary`]: no interval, few of each day), a run
/// that writes files every figure.
pub fn estimate(model: &Model, plan: &Plan) -> Need {
    let layout = Layout::new(model);
    let figures = layout.entries.len();
    let (summarised, deferred) = match plan.files {
        Files::None => (
            layout.entries.iter().filter(|e| e.in_run_summary()).count(),
            0,
        ),
        Files::Json | Files::Report => {
            let deferred = layout
                .entries
                .iter()
                .filter(|e| e.summarised_when_written())
                .count();
            (figures - deferred, deferred)
        }
    };
    drop(layout);
    estimate_reporting(model, plan, figures, summarised, deferred)
}

/// [`estimate`] for a model whose layout has `figures` figures, every one of
/// them summarised (as a run that writes files summarises them).
pub fn estimate_with(model: &Model, plan: &Plan, figures: usize) -> Need {
    estimate_summarising(model, plan, figures, figures)
}

/// [`estimate`] for a model whose layout has `figures` figures, of which
/// `summarised` are summarised and written.
pub fn estimate_summarising(model: &Model, plan: &Plan, figures: usize, summarised: usize) -> Need {
    estimate_reporting(model, plan, figures, summarised, 0)
}

/// [`estimate`] for a model whose layout has `figures` figures, of which
/// `summarised` are summarised at once and `deferred` (of days and
/// intervals) as the files are written, their layout entries and values
/// held until then.
pub fn estimate_reporting(
    model: &Model,
    plan: &Plan,
    figures: usize,
    summarised: usize,
    deferred: usize,
) -> Need {
    let n = figures as u64;
    let r = u64::from(plan.replications);
    let w = plan.workers.max(1).min(plan.replications.max(1) as usize) as u64;
    let cal = &model.calendar;
    let days = cal.days;
    let entry = size_of::<Entry>() as u64;
    let horizon = format!(
        "{days} day{} × {} intervals",
        if days == 1 { "" } else { "s" },
        cal.intervals_per_day
    );
    let scenario = |layout: bool| Item {
        part: Part::Scenario,
        bytes: PROGRAM + scenario_bytes(model) + if layout { n * entry } else { 0 },
        what: format!("the program and the scenario ({horizon}, {figures} figures)"),
        advice: "a shorter horizon (horizon.days)".into(),
    };
    let replications = Item {
        part: Part::Replications,
        bytes: r.saturating_mul(n).saturating_mul(8),
        what: format!(
            "the figures of {r} replication{} ({figures} figures of 8 bytes each)",
            plural(r)
        ),
        advice: format!(
            "fewer replications (--replications; {r} now), or the same run in shards \
             (--shard K/N on several machines, then ccsim merge)"
        ),
    };
    let simulating = {
        let (in_flight, largest) = contacts(model);
        let counters = rolling_bytes(model, n) + engine_bytes(model);
        let mut items = vec![scenario(true), replications.clone()];
        items.push(Item {
            part: Part::Counters,
            bytes: w.saturating_mul(counters),
            what: format!(
                "the counters of {w} replication{} running at once (the days still open of \
                 {horizon} × {} streams, a wait histogram per day; and its figures), {} each",
                plural(w),
                model.streams.len(),
                size(counters)
            ),
            advice: format!(
                "fewer threads (--threads; {w} replication{} at once now) or a shorter horizon (horizon.days)",
                plural(w)
            ),
        });
        if let Some((s, count)) = largest {
            let stream = &model.streams[s];
            let path = volume_path(model, s);
            let held = match stream.channel {
                _ if stream.booked => "the visits booked over the horizon",
                Channel::Email => "every e-mail of the horizon, waiting as a backlog",
                _ => "a day's contacts, waiting at once",
            };
            items.push(Item {
                part: Part::Contacts,
                bytes: w.saturating_mul(in_flight),
                what: format!(
                    "the contacts in flight in {w} replication{} running at once, {} each; \
                     most of them {path}: up to {count:.3e} ({held})",
                    plural(w),
                    size(in_flight)
                ),
                advice: format!(
                    "check the volume {path} (about {:.3e} contacts a day at its busiest), or \
                     fewer threads (--threads; {w} replication{} at once now)",
                    stream
                        .expected
                        .chunks(cal.intervals_per_day.max(1) as usize)
                        .map(total)
                        .fold(0.0, f64::max),
                    plural(w)
                ),
            });
        }
        items
    };
    let reporting = {
        // Deferred figures keep the layout's entries until they are written.
        let mut items = vec![scenario(deferred > 0), replications];
        items.push(run_summaries_item(
            summarised,
            deferred,
            format!(
                "a shorter horizon (horizon.days; {days} now) or longer intervals (horizon.interval): \
                 the figures grow with both"
            ),
        ));
        items.extend(files_item(plan.files, summarised + deferred));
        items
    };
    let sum = |items: &[Item]| items.iter().fold(0u64, |a, i| a.saturating_add(i.bytes));
    let mut items = if sum(&simulating) >= sum(&reporting) {
        simulating
    } else {
        reporting
    };
    items.sort_by_key(|i| std::cmp::Reverse(i.bytes));
    Need {
        total: sum(&items),
        items,
        figures,
        doing: "run",
        undone: "simulated",
    }
}

/// The estimated peak memory of `ccsim merge`: the figures of every
/// replication of the run, read from the parts at once (the CI of a figure
/// needs all its replications), the summaries, the files written, and the
/// parts' summary skeletons (`skeletons` bytes in all).
pub fn estimate_merge(replications: u32, figures: usize, skeletons: u64, files: Files) -> Need {
    let n = figures as u64;
    let r = u64::from(replications);
    let mut items = vec![
        Item {
            part: Part::Scenario,
            // The skeleton is held as text and, once, parsed.
            bytes: PROGRAM.saturating_add(skeletons.saturating_mul(3)),
            what: format!(
                "the program and the parts' summary skeletons ({} of text)",
                size(skeletons)
            ),
            advice: "fewer figures: a shorter horizon (horizon.days)".into(),
        },
        Item {
            part: Part::Replications,
            // The values of every replication, and one figure's column.
            bytes: r.saturating_mul(n).saturating_mul(8).saturating_add(r * 8),
            what: format!(
                "the figures of {r} replication{} ({figures} figures of 8 bytes each)",
                plural(r)
            ),
            advice: format!(
                "fewer replications only ({r} now): a merge holds every replication's figures \
                 at once to compute their intervals, so merge on a machine with more memory"
            ),
        },
        summaries_item(
            figures,
            "fewer figures: a shorter horizon (horizon.days)".into(),
        ),
    ];
    items.extend(files_item(files, figures));
    items.sort_by_key(|i| std::cmp::Reverse(i.bytes));
    Need {
        total: items.iter().fold(0u64, |a, i| a.saturating_add(i.bytes)),
        items,
        figures,
        doing: "merge",
        undone: "merged",
    }
}

/// The summaries of `figures` figures of a merge (each estimate held twice:
/// in layout order, then in the results'), made smaller as `advice` says.
fn summaries_item(figures: usize, advice: String) -> Item {
    let each = 2 * size_of::<Entry>() as u64 + 2 * size_of::<Estimate>() as u64 + SUMMARY_EXTRA;
    summaries(figures, each, advice)
}

/// The summaries of `figures` figures of a run (each estimate held once)
/// and the order of `deferred` figures summarised as they are written, made
/// smaller as `advice` says.
fn run_summaries_item(figures: usize, deferred: usize, advice: String) -> Item {
    let each = 2 * size_of::<Entry>() as u64 + size_of::<Estimate>() as u64 + RUN_SUMMARY_EXTRA;
    let mut item = summaries(figures, each, advice);
    if deferred > 0 {
        item.bytes = item.bytes.saturating_add(deferred as u64 * DEFERRED);
        item.what = format!(
            "{}; the order of {deferred} figures of days and intervals, summarised as they \
             are written, {DEFERRED} bytes each",
            item.what
        );
    }
    item
}

/// The summaries of `figures` figures of `each` bytes.
fn summaries(figures: usize, each: u64, advice: String) -> Item {
    Item {
        part: Part::Summaries,
        bytes: figures as u64 * each,
        what: format!(
            "the summaries of {figures} figures (mean, 95% CI, quantiles and their index), \
             about {each} bytes each"
        ),
        advice,
    }
}

/// The files written of `figures` figures while they are written; none
/// without files.
fn files_item(files: Files, figures: usize) -> Option<Item> {
    let per = match files {
        Files::None => return None,
        Files::Json => JSON_FILE,
        Files::Report => REPORT_FILES,
    };
    Some(Item {
        part: Part::Files,
        bytes: figures as u64 * per,
        what: format!(
            "the files written ({}), about {per} bytes per figure",
            match files {
                Files::Report => "the report folder of --out",
                _ => "a JSON file of every figure",
            }
        ),
        advice: "fewer files (without --out or --json), or a shorter horizon (horizon.days)".into(),
    })
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn saturating(x: f64) -> u64 {
    if x.is_nan() {
        u64::MAX
    } else {
        // `as` saturates at the ends.
        x.ceil() as u64
    }
}

/// Bytes in SI units: "5.6 GB".
pub fn size(bytes: u64) -> String {
    ByteSize(bytes).display().si().to_string()
}

/// Parses a memory size as `--memory-limit` takes it: "4G", "512M", "1.5GiB",
/// "2000000000" (bytes).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    match t.parse::<ByteSize>() {
        Ok(b) if b.as_u64() > 0 => Ok(b.as_u64()),
        _ => Err(format!(
            "expected a size such as 4G, 512M or 1.5GiB (G = 10^9 bytes, GiB = 2^30), got `{text}`"
        )),
    }
}

/// Address space a worker thread reserves without using it: its stack (2 MiB)
/// and the C library's allocation arena (64 MiB on 64-bit glibc). It counts
/// only against `ulimit -v`.
const THREAD_ADDRESS_SPACE: u64 = 66 << 20;

/// The budget of a run: `limit` when one is given (`--memory-limit`), else
/// what the system has [`available`]; `None` when neither is known.
pub fn budget(limit: Option<u64>, workers: usize) -> Option<Budget> {
    match limit {
        Some(bytes) => Some(Budget {
            bytes,
            source: Source::Given,
        }),
        None => available(workers),
    }
}

/// The memory this process may still use with `workers` worker threads: the
/// least of the memory available, the cgroup's limit less its usage, and the
/// address-space limit less what is mapped and what the threads reserve.
/// `None` when none can be read.
pub fn available(workers: usize) -> Option<Budget> {
    use sysinfo::{MemoryRefreshKind, ProcessRefreshKind, ProcessesToUpdate, System};
    let mut system = System::new().ok()?;
    system.refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram());
    let mut budgets = Vec::new();
    let free = system.available_memory();
    if free > 0 {
        budgets.push(Budget {
            bytes: free,
            source: Source::Available,
        });
    }
    let process = sysinfo::get_current_pid().ok().and_then(|pid| {
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[pid]),
            false,
            ProcessRefreshKind::nothing().with_memory(),
        );
        system.process(pid)
    });
    if let Some(process) = process {
        if let Some(limits) = process.cgroup_limits() {
            budgets.push(Budget {
                // Page cache is reclaimable: what counts is the anonymous memory.
                bytes: limits.total_memory.saturating_sub(limits.rss),
                source: Source::Cgroup {
                    limit: limits.total_memory,
                },
            });
        }
        #[cfg(unix)]
        if let Some(soft) = rustix::process::getrlimit(rustix::process::Resource::As).current {
            let reserved = (workers as u64).saturating_mul(THREAD_ADDRESS_SPACE);
            budgets.push(Budget {
                bytes: soft
                    .saturating_sub(process.virtual_memory())
                    .saturating_sub(reserved),
                source: Source::AddressSpace { limit: soft },
            });
        }
    }
    budgets.into_iter().min_by_key(|b| b.bytes)
}
