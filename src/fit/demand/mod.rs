//! The demand fit: how many contacts each theme receives on each channel,
//! how they spread over the weekdays and over the day, the trend, the
//! closed days and the opening hours, each figure with its 95% confidence
//! interval.
//!
//! Contacts (or interval rows) are counted into a table of theme × channel
//! × date × interval slot ([`DemandAccumulator`]): memory grows with the
//! dates and slots, never with the number of contacts. [`DemandAccumulator::finish`]
//! then fits, for every theme and channel:
//!
//! - the **days** it is fitted on: for live channels (call, chat, visit) the
//!   *working weekdays* (weekdays on which more than half of the dates
//!   have a live contact of any theme) less the *closed days* (a working
//!   weekday without any live contact: holidays); for e-mail every weekday
//!   with e-mails, less the closed days (a holiday takes Sunday's weight
//!   in a scenario);
//! - the **weekday weights** and the **level** (`level.rs`): the mean count
//!   per weekday, divided by their Monday–Friday mean exactly as a scenario
//!   normalises `weekday_weights`, so `per_day × weight` is the data's mean
//!   day of that weekday; a linear **trend** of the weekday-adjusted daily
//!   counts, kept when p < 0.05; monthly levels; the **uncertainty** (the
//!   day-level cv beyond Poisson noise);
//! - the **intraday profile** (`profile.rs`) over all weekdays, and a
//!   weekday's own profile where a homogeneity test and a material
//!   difference both say that weekday differs.
//!
//! Fitted values are meant to be written into a scenario: `per_day`
//! × weekday weight × intraday weight / Σ intraday weights reproduces the
//! data's mean count per interval (`docs/scenario.md` §3.6.3).

mod level;
mod profile;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Timelike};

use super::{DayVolume, DemandFit, Opening};
use crate::history::{Contact, IntervalRow};
use crate::model::{Channel, Weekday};

/// Seconds in a day.
const DAY: u32 = 86_400;

/// Counts contacts per theme × channel × date × interval slot, then fits the
/// demand ([`DemandAccumulator::finish`]).
#[derive(Debug, Clone)]
pub struct DemandAccumulator {
    /// Interval length, seconds.
    interval: u32,
    /// Slots per day.
    slots: usize,
    /// Per theme, per channel (indexed by [`Channel::index`]): per date, the
    /// count of every slot of the day.
    streams: HashMap<String, ThemeCounts>,
}

/// One theme's counts: per channel (indexed by [`Channel::index`]), per
/// date, the count of every slot of the day.
type ThemeCounts = [BTreeMap<NaiveDate, Vec<u64>>; Channel::COUNT];

/// What the demand fit found (see [`crate::fit::FitResult`] for the meaning
/// of the fields).
#[derive(Debug, Clone, PartialEq)]
pub struct DemandResult {
    /// Per theme and channel, by theme name then channel.
    pub demand: Vec<DemandFit>,
    /// Opening hours per working weekday with live contacts.
    pub opening: Vec<Opening>,
    /// Working weekdays without any live contact (holidays, closed days).
    pub closed_days: Vec<NaiveDate>,
    /// What the fit noticed and a planner should know.
    pub warnings: Vec<String>,
}

impl DemandAccumulator {
    /// An empty accumulator counting in intervals of `interval` seconds
    /// (clamped to 60 s .. 1 day; a length that does not divide the day
    /// leaves a shorter last slot).
    pub fn new(interval: u32) -> DemandAccumulator {
        let interval = interval.clamp(60, DAY);
        DemandAccumulator {
            interval,
            slots: DAY.div_ceil(interval) as usize,
            streams: HashMap::new(),
        }
    }

    /// Counts one contact in the interval of its arrival.
    pub fn add_contact(&mut self, contact: &Contact) {
        let seconds = contact.arrival.time().num_seconds_from_midnight();
        self.count(
            &contact.theme,
            contact.channel,
            contact.arrival.date(),
            seconds,
            1,
        );
    }

    /// Counts the contacts offered in one interval row (a row's interval
    /// shorter than the accumulator's adds into the slot it starts in).
    pub fn add_interval(&mut self, row: &IntervalRow) {
        if row.offered > 0 {
            self.count(&row.theme, row.channel, row.date, row.start, row.offered);
        }
    }

    fn count(&mut self, theme: &str, channel: Channel, date: NaiveDate, seconds: u32, n: u64) {
        let slot = ((seconds % DAY) / self.interval) as usize;
        let slots = self.slots;
        let days = match self.streams.get_mut(theme) {
            Some(days) => days,
            None => self.streams.entry(theme.to_string()).or_default(),
        };
        days[channel.index()]
            .entry(date)
            .or_insert_with(|| vec![0; slots])[slot] += n;
    }

    /// Fits the demand of the dates `from` to `to` (both included): contacts
    /// on other dates are left out.
    pub fn finish(self, from: NaiveDate, to: NaiveDate) -> DemandResult {
        let mut warnings = Vec::new();
        let dates: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
        if dates.is_empty() {
            warnings.push(format!(
                "the fit period is empty ({from} to {to}): no demand fitted"
            ));
            return DemandResult {
                demand: Vec::new(),
                opening: Vec::new(),
                closed_days: Vec::new(),
                warnings,
            };
        }
        // Dense date × slot counts of every stream with contacts in the period.
        let mut streams: Vec<Stream> = Vec::new();
        let mut themes: Vec<(String, ThemeCounts)> = self.streams.into_iter().collect();
        themes.sort_by(|a, b| a.0.cmp(&b.0));
        for (theme, channels) in themes {
            for channel in Channel::ALL {
                let days = &channels[channel.index()];
                let mut counts = vec![0u64; dates.len() * self.slots];
                let mut total = 0;
                for (date, slots) in days.range(from..=to) {
                    let d = (*date - from).num_days() as usize;
                    counts[d * self.slots..(d + 1) * self.slots].copy_from_slice(slots);
                    total += slots.iter().sum::<u64>();
                }
                if total > 0 {
                    streams.push(Stream {
                        theme: theme.clone(),
                        channel,
                        counts,
                        total,
                    });
                }
            }
        }
        if streams.is_empty() {
            warnings.push(format!("no contacts from {from} to {to}: no demand fitted"));
        }
        let calendar = Calendar::new(&dates, self.slots, &streams);
        let opening = calendar.opening(self.interval);
        let closed_days: Vec<NaiveDate> = calendar
            .closed
            .iter()
            .zip(&dates)
            .filter_map(|(closed, date)| closed.then_some(*date))
            .collect();
        if !closed_days.is_empty() {
            let shown: Vec<String> = closed_days.iter().take(10).map(|d| d.to_string()).collect();
            warnings.push(format!(
                "{} working day(s) without any live contact, taken as closed days (holidays): {}{}",
                closed_days.len(),
                shown.join(", "),
                if closed_days.len() > 10 { " ..." } else { "" }
            ));
        }
        let demand = streams
            .iter()
            .map(|stream| fit_stream(stream, &dates, &calendar, self.interval, &mut warnings))
            .collect();
        DemandResult {
            demand,
            opening,
            closed_days,
            warnings,
        }
    }
}

/// One theme on one channel: counts of every date × slot of the fit period.
struct Stream {
    theme: String,
    channel: Channel,
    /// `dates × slots` counts, date-major.
    counts: Vec<u64>,
    /// Contacts in the fit period.
    total: u64,
}

impl Stream {
    fn day(&self, d: usize, slots: usize) -> &[u64] {
        &self.counts[d * slots..(d + 1) * slots]
    }
}

/// The live contacts of all themes per date and slot: working weekdays,
/// closed days, opening hours.
struct Calendar {
    slots: usize,
    weekday: Vec<Weekday>,
    /// Live contacts per date × slot, date-major.
    live: Vec<u64>,
    /// Weekdays on which more than half of the dates have a live contact.
    working: [bool; 7],
    /// Per date: a working weekday without any live contact.
    closed: Vec<bool>,
}

impl Calendar {
    fn new(dates: &[NaiveDate], slots: usize, streams: &[Stream]) -> Calendar {
        let weekday: Vec<Weekday> = dates.iter().map(|d| Weekday::of(*d)).collect();
        let mut live = vec![0u64; dates.len() * slots];
        for stream in streams.iter().filter(|s| s.channel.is_live()) {
            for (sum, n) in live.iter_mut().zip(&stream.counts) {
                *sum += n;
            }
        }
        let day_total = |d: usize| live[d * slots..(d + 1) * slots].iter().sum::<u64>();
        let mut days = [0usize; 7];
        let mut with_live = [0usize; 7];
        for (d, w) in weekday.iter().enumerate() {
            days[w.index()] += 1;
            if day_total(d) > 0 {
                with_live[w.index()] += 1;
            }
        }
        let working: [bool; 7] = std::array::from_fn(|w| 2 * with_live[w] > days[w]);
        let closed = (0..dates.len())
            .map(|d| working[weekday[d].index()] && day_total(d) == 0)
            .collect();
        Calendar {
            slots,
            weekday,
            live,
            working,
            closed,
        }
    }

    /// Whether date `d` is a working day that was open.
    fn open(&self, d: usize) -> bool {
        self.working[self.weekday[d].index()] && !self.closed[d]
    }

    /// Per working weekday: the first and the last slot with live contacts
    /// on more than half of its open dates (the first and last slot with
    /// any live contact when no slot has them on most dates).
    fn opening(&self, interval: u32) -> Vec<Opening> {
        let mut opening = Vec::new();
        for w in Weekday::ALL {
            if !self.working[w.index()] {
                continue;
            }
            let days: Vec<usize> = (0..self.weekday.len())
                .filter(|&d| self.weekday[d] == w && self.open(d))
                .collect();
            let mut with = vec![0usize; self.slots];
            let mut any = vec![false; self.slots];
            for &d in &days {
                for (i, n) in self.live[d * self.slots..(d + 1) * self.slots]
                    .iter()
                    .enumerate()
                {
                    if *n > 0 {
                        with[i] += 1;
                        any[i] = true;
                    }
                }
            }
            let most: Vec<bool> = with.iter().map(|n| 2 * n > days.len()).collect();
            let chosen = if most.iter().any(|m| *m) { &most } else { &any };
            let (Some(first), Some(last)) = (
                chosen.iter().position(|m| *m),
                chosen.iter().rposition(|m| *m),
            ) else {
                continue;
            };
            opening.push(Opening {
                weekday: w,
                open: first as u32 * interval,
                close: ((last as u32 + 1) * interval).min(DAY),
            });
        }
        opening
    }
}

/// Months since the first date of the fit period (a month of 30.4375 days).
fn months_since(from: NaiveDate, date: NaiveDate) -> f64 {
    (date - from).num_days() as f64 / level::MONTH_DAYS
}

/// The first day of the month of `date`.
fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Fits one theme on one channel.
fn fit_stream(
    stream: &Stream,
    dates: &[NaiveDate],
    calendar: &Calendar,
    interval: u32,
    warnings: &mut Vec<String>,
) -> DemandFit {
    let slots = calendar.slots;
    let name = format!("{} {}", stream.theme, stream.channel.name());
    let day_total: Vec<u64> = (0..dates.len())
        .map(|d| stream.day(d, slots).iter().sum())
        .collect();
    // The weekdays this stream is fitted on.
    let mut has = [false; 7];
    for (d, n) in day_total.iter().enumerate() {
        if *n > 0 && !calendar.closed[d] {
            has[calendar.weekday[d].index()] = true;
        }
    }
    let weekdays: [bool; 7] = if stream.channel.is_live() {
        std::array::from_fn(|w| has[w] && calendar.working[w])
    } else {
        has
    };
    let open: Vec<usize> = (0..dates.len())
        .filter(|&d| weekdays[calendar.weekday[d].index()] && !calendar.closed[d])
        .collect();
    let left_out: u64 = stream.total - open.iter().map(|&d| day_total[d]).sum::<u64>();
    if stream.channel.is_live() && left_out > 0 {
        warnings.push(format!(
            "{name}: {left_out} contact(s) on days the line is normally closed (weekdays with live contacts on fewer than half of their dates, or closed days) are left out of the fit"
        ));
    }
    if open.len() < 28 {
        warnings.push(format!(
            "{name}: only {} day(s) to fit on: confidence intervals are wide",
            open.len()
        ));
    }
    let from = dates[0];
    let days: Vec<level::Day> = open
        .iter()
        .map(|&d| level::Day {
            date: dates[d],
            weekday: calendar.weekday[d],
            t: months_since(from, dates[d]),
            count: day_total[d] as f64,
        })
        .collect();
    let t_end = months_since(from, *dates.last().unwrap_or(&from));
    let levels = level::fit(&days, t_end, &name, warnings);

    let profiles = profile::fit(stream, &open, calendar, interval, stream.channel.is_live());

    let fitted_days = dates
        .iter()
        .enumerate()
        .map(|(d, date)| {
            let w = calendar.weekday[d].index();
            let t = months_since(from, *date);
            let weight = if weekdays[w] && !calendar.closed[d] {
                levels.weights[w]
            } else if !stream.channel.is_live() && calendar.closed[d] {
                // A scenario gives e-mail on a closed weekday Sunday's weight.
                levels.weights[Weekday::Sun.index()]
            } else {
                0.0
            };
            DayVolume {
                date: *date,
                actual: day_total[d] as f64,
                fitted: levels.level_at(t) * weight,
            }
        })
        .collect();
    DemandFit {
        theme: stream.theme.clone(),
        channel: stream.channel,
        offered: stream.total,
        months: levels.months,
        trend: levels.trend,
        per_day: levels.per_day,
        weekday: levels.weekday,
        intraday: profiles.intraday,
        intraday_by_weekday: profiles.by_weekday,
        weekdays_differ_p: profiles.p_value,
        uncertainty_cv: levels.uncertainty_cv,
        days: fitted_days,
        handle_time: None,
    }
}
