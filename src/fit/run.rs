//! `ccsim fit`'s work, without printing or files: read the history files
//! (contact logs streamed, interval reports whole), feed the demand,
//! handle-time and patience statistics, and assemble a [`FitResult`].
//!
//! Which contacts count where:
//! - demand: every contact (each attempt) in its arrival interval;
//! - handle time: answered contacts with a handle time, per theme × channel;
//! - patience (calls and chats): abandoned contacts are observed patience;
//!   answered, closed out, called back, sent away and still waiting are
//!   censored at their wait; blocked contacts never waited and do not count.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Timelike};

use super::demand::DemandAccumulator;
use super::handle::{HandleAccumulator, handle_from_intervals};
use super::patience::{PatienceAccumulator, patience_from_intervals};
use super::{FitResult, IntervalLoad, ObservedProfile, Source};
use crate::history::{
    self, Contact, HistoryError, IntervalHistory, IntervalRow, Kind, Mapping, Outcome,
};
use crate::model::{Channel, Weekday};

/// What to fit.
#[derive(Debug, Clone)]
pub struct FitInput<'a> {
    /// History files, all of one kind (contact logs or interval reports).
    pub files: &'a [PathBuf],
    /// How to read them.
    pub mapping: &'a Mapping,
    /// First date to fit (default: the first date in the history).
    pub from: Option<NaiveDate>,
    /// Last date to fit, included (default: the last date in the history).
    pub to: Option<NaiveDate>,
    /// Interval length in seconds for contact logs (interval reports have
    /// their own).
    pub interval: u32,
}

/// Why a fit could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// A history file cannot be read (file, line, column, expected, found).
    #[error("{0}")]
    History(#[from] HistoryError),
    /// The files or dates given do not make a fit.
    #[error("{0}")]
    Invalid(String),
}

/// Fits the history files of `input`.
pub fn fit(input: &FitInput) -> Result<FitResult, FitError> {
    if input.files.is_empty() {
        return Err(FitError::Invalid("give at least one history file".into()));
    }
    if let (Some(from), Some(to)) = (input.from, input.to)
        && from > to
    {
        return Err(FitError::Invalid(format!(
            "--from {from} is after --to {to}: the fit period would be empty"
        )));
    }
    if input.interval == 0 || 86_400 % input.interval != 0 || input.interval < 60 {
        return Err(FitError::Invalid(format!(
            "the interval must divide a day into whole intervals of at least a minute, got {} s",
            input.interval
        )));
    }
    let mut kinds = Vec::new();
    for path in input.files {
        kinds.push((path, history::detect(path, input.mapping)?));
    }
    let first = kinds[0];
    if let Some(other) = kinds.iter().find(|(_, k)| *k != first.1) {
        return Err(FitError::Invalid(format!(
            "{} is {} but {} is {}: give history files of one kind",
            first.0.display(),
            kind_name(first.1),
            other.0.display(),
            kind_name(other.1)
        )));
    }
    match first.1 {
        Kind::Contacts => fit_contacts(input),
        Kind::Intervals => fit_intervals(input),
    }
}

/// Calls and chats: the channels whose contacts wait in a queue with patience.
fn queues(channel: Channel) -> bool {
    matches!(channel, Channel::Call | Channel::Chat)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Contacts => "a contact log",
        Kind::Intervals => "an interval report",
    }
}

fn in_period(input: &FitInput, date: NaiveDate) -> bool {
    input.from.is_none_or(|f| date >= f) && input.to.is_none_or(|t| date <= t)
}

/// The period's ends: given, else the dates seen.
fn period(
    input: &FitInput,
    seen: Option<(NaiveDate, NaiveDate)>,
) -> Result<(NaiveDate, NaiveDate), FitError> {
    let Some((lo, hi)) = seen else {
        let files: Vec<String> = input
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let within = match (input.from, input.to) {
            (None, None) => String::new(),
            (f, t) => format!(
                " from {} to {}",
                f.map_or("the start".into(), |d| d.to_string()),
                t.map_or("the end".into(), |d| d.to_string())
            ),
        };
        return Err(FitError::Invalid(format!(
            "{} {} no contacts{within}: there is nothing to fit",
            files.join(", "),
            if files.len() == 1 { "has" } else { "have" }
        )));
    };
    Ok((input.from.unwrap_or(lo), input.to.unwrap_or(hi)))
}

fn widen(seen: &mut Option<(NaiveDate, NaiveDate)>, date: NaiveDate) {
    *seen = Some(match *seen {
        Some((lo, hi)) => (lo.min(date), hi.max(date)),
        None => (date, date),
    });
}

/// Live offered and abandoned per date and interval start.
#[derive(Default)]
struct LoadCounts {
    cells: HashMap<(NaiveDate, u32), Cell>,
}

#[derive(Default, Clone, Copy)]
struct Cell {
    offered: f64,
    abandoned: f64,
    /// The most agents any row of the interval gives; `None` once a row
    /// lacks them.
    agents: Option<f64>,
    rows: u32,
    rows_with_agents: u32,
}

impl LoadCounts {
    /// Means per weekday and interval over the dates of that weekday with
    /// live contacts.
    fn finish(self) -> Vec<IntervalLoad> {
        let mut live_dates: BTreeSet<NaiveDate> = BTreeSet::new();
        for ((date, _), c) in &self.cells {
            if c.offered > 0.0 {
                live_dates.insert(*date);
            }
        }
        let mut per_weekday = [0u32; 7];
        for d in &live_dates {
            per_weekday[Weekday::of(*d).index()] += 1;
        }
        // Summed in date order, so that the means are the same bit for bit
        // on every run (a hash map's order changes from run to run).
        let mut cells: Vec<((NaiveDate, u32), Cell)> = self.cells.into_iter().collect();
        cells.sort_unstable_by_key(|(key, _)| *key);
        let mut sums: BTreeMap<(usize, u32), (f64, f64, f64, bool)> = BTreeMap::new();
        for ((date, start), c) in cells {
            if !live_dates.contains(&date) {
                continue;
            }
            let e = sums
                .entry((Weekday::of(date).index(), start))
                .or_insert((0.0, 0.0, 0.0, true));
            e.0 += c.offered;
            e.1 += c.abandoned;
            match c.agents {
                Some(a) if c.rows_with_agents == c.rows => e.2 += a,
                _ => e.3 = false,
            }
        }
        sums.into_iter()
            .map(|((day, start), (offered, abandoned, agents, all))| {
                let n = f64::from(per_weekday[day].max(1));
                IntervalLoad {
                    weekday: Weekday::ALL[day],
                    start,
                    dates: per_weekday[day],
                    offered: offered / n,
                    abandoned: abandoned / n,
                    agents: all.then_some(agents / n),
                }
            })
            .collect()
    }
}

/// Contacts per theme, channel, weekday and interval of the day.
#[derive(Default)]
struct Observed {
    counts: BTreeMap<(String, usize, usize), Vec<f64>>,
}

impl Observed {
    fn add(
        &mut self,
        theme: &str,
        channel: Channel,
        date: NaiveDate,
        slot: usize,
        n: f64,
        slots: usize,
    ) {
        let key = (
            theme.to_string(),
            channel.index(),
            Weekday::of(date).index(),
        );
        let counts = match self.counts.get_mut(&key) {
            Some(c) => c,
            None => self.counts.entry(key).or_insert_with(|| vec![0.0; slots]),
        };
        if let Some(c) = counts.get_mut(slot) {
            *c += n;
        }
    }

    fn finish(self) -> Vec<ObservedProfile> {
        self.counts
            .into_iter()
            .map(|((theme, channel, weekday), counts)| ObservedProfile {
                theme,
                channel: Channel::ALL[channel],
                weekday: Weekday::ALL[weekday],
                counts,
            })
            .collect()
    }
}

// `HandleAccumulator::new` is its documented constructor; whether it also
// implements `Default` is its owner's choice.
#[allow(clippy::unwrap_or_default)]
fn fit_contacts(input: &FitInput) -> Result<FitResult, FitError> {
    let interval = input.interval;
    let slots = (86_400 / interval) as usize;
    let mut observed = Observed::default();
    let mut demand = DemandAccumulator::new(interval);
    let mut handle: BTreeMap<(String, usize), HandleAccumulator> = BTreeMap::new();
    let mut patience: BTreeMap<usize, PatienceAccumulator> = BTreeMap::new();
    let mut load = LoadCounts::default();
    let mut seen = None;
    let mut warnings = Vec::new();
    for path in input.files {
        let read = history::read_contacts(path, input.mapping, |c: &Contact| {
            let date = c.arrival.date();
            if !in_period(input, date) {
                return;
            }
            widen(&mut seen, date);
            demand.add_contact(c);
            let slot = (c.arrival.time().num_seconds_from_midnight() / interval) as usize;
            observed.add(&c.theme, c.channel, date, slot, 1.0, slots);
            if c.outcome == Outcome::Answered
                && let Some(h) = c.handle
            {
                handle
                    .entry((c.theme.clone(), c.channel.index()))
                    .or_insert_with(HandleAccumulator::new)
                    .add(h);
            }
            if queues(c.channel) {
                if c.outcome != Outcome::Blocked {
                    patience
                        .entry(c.channel.index())
                        .or_insert_with(|| PatienceAccumulator::new(c.channel))
                        .add(c.wait, c.outcome == Outcome::Abandoned);
                }
                let start = c.arrival.time().num_seconds_from_midnight() / interval * interval;
                let cell = load.cells.entry((date, start)).or_default();
                cell.offered += 1.0;
                if c.outcome == Outcome::Abandoned {
                    cell.abandoned += 1.0;
                }
            }
        })?;
        // The reader's warnings already name the file.
        warnings.extend(read.warnings);
    }
    let (from, to) = period(input, seen)?;
    let mut result = demand.finish(from, to);
    for d in &mut result.demand {
        d.handle_time = handle
            .get(&(d.theme.clone(), d.channel.index()))
            .and_then(HandleAccumulator::finish);
    }
    let patience = patience
        .values()
        .filter_map(PatienceAccumulator::finish)
        .collect();
    warnings.extend(result.warnings);
    Ok(FitResult {
        from,
        to,
        interval,
        source: Source::Contacts,
        demand: result.demand,
        patience,
        opening: result.opening,
        closed_days: result.closed_days,
        warnings,
        thresholds: [None; Channel::COUNT],
        load: load.finish(),
        observed: observed.finish(),
    })
}

fn fit_intervals(input: &FitInput) -> Result<FitResult, FitError> {
    let mut histories: Vec<(&Path, IntervalHistory)> = Vec::new();
    for path in input.files {
        histories.push((path, history::read_intervals(path, input.mapping)?));
    }
    let (first_path, first) = (&histories[0].0, histories[0].1.interval);
    if let Some((path, h)) = histories.iter().find(|(_, h)| h.interval != first) {
        return Err(FitError::Invalid(format!(
            "{} has intervals of {} s but {} has intervals of {} s: give reports of one interval length",
            first_path.display(),
            first,
            path.display(),
            h.interval
        )));
    }
    let interval = first;
    let mut thresholds = [None; Channel::COUNT];
    let mut warnings = Vec::new();
    let mut rows: Vec<IntervalRow> = Vec::new();
    for (path, h) in histories {
        for (i, t) in h.thresholds.iter().enumerate() {
            if let Some(t) = t {
                match thresholds[i] {
                    Some(old) if old != *t => warnings.push(format!(
                        "{}: the {} threshold is {t} s, another file's is {old} s: the first is kept",
                        path.display(),
                        Channel::ALL[i].name()
                    )),
                    Some(_) => {}
                    None => thresholds[i] = Some(*t),
                }
            }
        }
        // The reader's warnings already name the file.
        warnings.extend(h.warnings);
        rows.extend(h.rows.into_iter().filter(|r| in_period(input, r.date)));
    }
    let mut seen = None;
    let mut demand = DemandAccumulator::new(interval);
    let mut load = LoadCounts::default();
    let mut observed = Observed::default();
    let slots = (86_400 / interval.max(1)) as usize;
    for r in &rows {
        widen(&mut seen, r.date);
        demand.add_interval(r);
        let slot = (r.start / interval.max(1)) as usize;
        observed.add(&r.theme, r.channel, r.date, slot, r.offered as f64, slots);
        if queues(r.channel) {
            let cell = load.cells.entry((r.date, r.start)).or_default();
            cell.offered += r.offered as f64;
            cell.abandoned += r.abandoned as f64;
            cell.rows += 1;
            if let Some(a) = r.agents {
                cell.rows_with_agents += 1;
                cell.agents = Some(cell.agents.map_or(a, |b: f64| b.max(a)));
            }
        }
    }
    let (from, to) = period(input, seen)?;
    let mut result = demand.finish(from, to);
    for d in &mut result.demand {
        d.handle_time = handle_from_intervals(
            rows.iter()
                .filter(|r| r.theme == d.theme && r.channel == d.channel),
        );
    }
    let patience = Channel::ALL
        .into_iter()
        .filter(|c| queues(*c) && rows.iter().any(|r| r.channel == *c))
        .filter_map(|c| patience_from_intervals(c, rows.iter().filter(|r| r.channel == c)))
        .collect();
    warnings.extend(result.warnings);
    Ok(FitResult {
        from,
        to,
        interval,
        source: Source::Intervals,
        demand: result.demand,
        patience,
        opening: result.opening,
        closed_days: result.closed_days,
        warnings,
        thresholds,
        load: load.finish(),
        observed: observed.finish(),
    })
}
