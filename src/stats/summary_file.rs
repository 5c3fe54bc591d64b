//! The layout of `summary.json`: every figure of a run arranged by level
//! (horizon, day, interval, time of day, weekday), then by scope (channel,
//! theme, line, pool, total) and metric name. This is the serde edge of
//! [`RunResults`]: [`RunResults::to_file`] writes it and
//! [`RunResults::from_file`] reads it back into exactly the same results, so
//! `ccsim chart` redraws a saved run byte for byte. `docs/outputs.md`
//! documents the keys.

use std::collections::HashMap;
use std::io::Write;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::model::{Channel, Targets, Weekday};

use super::results::{
    ChannelInfo, Day, Frame, Interval, Names, RunInfo, RunResults, ScenarioInfo, Slot,
    WeekdayPeriod, hour_label,
};
use super::{Entry, Estimate, Level, Metric, Scope};

/// Figures by metric name.
pub type MetricMap = IndexMap<String, Estimate>;

/// The figures of one level, by scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Per channel (`call`, `chat`, `email`, `visit`).
    pub channels: IndexMap<String, MetricMap>,
    /// Per theme, then channel.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub themes: IndexMap<String, IndexMap<String, MetricMap>>,
    /// Per line, then channel (only when the scenario has several lines).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub lines: IndexMap<String, IndexMap<String, MetricMap>>,
    /// Per agent pool.
    pub pools: IndexMap<String, MetricMap>,
    /// All channels together.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub total: MetricMap,
}

impl Figures {
    /// Puts one figure in its place.
    fn insert(&mut self, names: &Names, e: &Entry, estimate: &Estimate) {
        let map = match e.scope {
            Scope::Channel(c) => self.channels.entry(c.name().to_string()).or_default(),
            Scope::Theme(t, c) => self
                .themes
                .entry(names.themes[t].clone())
                .or_default()
                .entry(c.name().to_string())
                .or_default(),
            Scope::Line(l, c) => self
                .lines
                .entry(names.lines[l].clone())
                .or_default()
                .entry(c.name().to_string())
                .or_default(),
            Scope::Pool(p) => self.pools.entry(names.pools[p].clone()).or_default(),
            Scope::Total => &mut self.total,
        };
        map.insert(e.metric.name().to_string(), *estimate);
    }
}

/// Serialises results as the [`Figures`] of their horizon: how a sweep
/// point is written.
pub fn serialize_horizon<S: serde::Serializer>(r: &RunResults, s: S) -> Result<S::Ok, S::Error> {
    r.level_figures(Level::Horizon).serialize(s)
}

/// Figures of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Weekday, `mon` ... `sun`.
    pub weekday: String,
    /// The figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// Figures of one interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntervalFigures {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Clock time the interval starts, `HH:MM`.
    pub start: String,
    /// The figures (channels and pools).
    #[serde(flatten)]
    pub figures: Figures,
}

/// Figures of one interval of the day over every day on which it is open:
/// the profile of the average day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeOfDayFigures {
    /// Clock time the interval starts, `HH:MM`.
    pub start: String,
    /// Number of days over which the figures are taken.
    pub days: u32,
    /// The figures (channels and pools).
    #[serde(flatten)]
    pub figures: Figures,
}

/// Figures of one weekday over the horizon, whole and per clock hour
/// (scenarios with visits): the counter's week and day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekdayFigures {
    /// `mon` ... `sun`.
    pub weekday: String,
    /// Number of days of this weekday with opening hours in the horizon.
    pub days: u32,
    /// The figures (the visit channel and the pools).
    #[serde(flatten)]
    pub figures: Figures,
    /// The same per clock hour, `HH:00`.
    pub hours: Vec<HourFigures>,
}

/// Figures of one clock hour of one weekday.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourFigures {
    /// Clock time the hour starts, `HH:00`.
    pub start: String,
    /// The figures (the visit channel and the pools).
    #[serde(flatten)]
    pub figures: Figures,
}

/// Waiting-time distribution of one channel over the horizon: at each wait
/// in `seconds`, the share of contacts that waited less.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitDistribution {
    /// Waits at which the shares are given, seconds.
    pub seconds: Vec<u16>,
    /// Share of answered contacts that waited less than each point.
    pub answered: Vec<Estimate>,
    /// Share of abandoned contacts that had waited less than each point.
    pub abandoned: Vec<Estimate>,
}

/// Settings of a channel that reports need to read the figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelInfoFile {
    /// Service-level threshold, seconds (calls and chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level_threshold: Option<f64>,
    /// Working days within which an e-mail must be picked up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_working_days: Option<u32>,
    /// Chats an agent serves at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// The pools that serve the channel (visits only: the desks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<String>,
}

/// What was simulated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFile {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// SHA-256 of the scenario file.
    pub hash: String,
    /// First day.
    pub start: String,
    /// Number of days.
    pub days: u32,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Settings of the channels with demand.
    #[serde(default)]
    pub channels: IndexMap<String, ChannelInfoFile>,
    /// What the planner aims at.
    #[serde(default)]
    pub targets: Targets,
}

/// `summary.json`: everything a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryFile {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// What was simulated.
    pub scenario: ScenarioFile,
    /// Seed of the run.
    pub seed: u64,
    /// Number of replications the figures come from.
    pub replications: u32,
    /// Replications asked for; more than `replications` when the run was
    /// stopped early (Ctrl-C) and these figures are partial.
    #[serde(default)]
    pub replications_requested: u32,
    /// Whether the run was stopped before every replication asked for ran:
    /// the figures then come from the first `replications` replications only.
    #[serde(default)]
    pub partial: bool,
    /// How a run with `--precision` went (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<super::precision::Precision>,
    /// Figures over the whole horizon.
    pub horizon: Figures,
    /// Figures per day.
    pub days: Vec<DayFigures>,
    /// Figures per interval in which some line is open.
    pub intervals: Vec<IntervalFigures>,
    /// The average day: figures per interval of the day.
    #[serde(default)]
    pub time_of_day: Vec<TimeOfDayFigures>,
    /// Visits by weekday and hour (scenarios with visits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekdays: Vec<WeekdayFigures>,
    /// Waiting-time distributions of calls and chats over the horizon.
    #[serde(default)]
    pub wait_distribution: IndexMap<String, WaitDistribution>,
}

impl RunResults {
    /// The results in the layout of `summary.json`.
    pub fn to_file(&self) -> SummaryFile {
        self.file_with(true)
    }

    /// [`RunResults::to_file`], with the days and intervals and their
    /// figures (`periods`) or without them (empty lists).
    fn file_with(&self, periods: bool) -> SummaryFile {
        let mut file = SummaryFile {
            schema_version: self.schema_version,
            ccsim_version: self.ccsim_version.clone(),
            scenario: ScenarioFile::of(&self.scenario),
            seed: self.run.seed,
            replications: self.run.replications,
            replications_requested: self.run.replications_requested,
            partial: self.run.partial,
            precision: self.precision.clone(),
            horizon: Figures::default(),
            days: match periods {
                true => self.days.iter().map(DayFigures::empty).collect(),
                false => Vec::new(),
            },
            intervals: match periods {
                true => self
                    .intervals
                    .iter()
                    .map(|i| IntervalFigures::empty(i, &self.days))
                    .collect(),
                false => Vec::new(),
            },
            time_of_day: self
                .time_of_day
                .iter()
                .map(TimeOfDayFigures::empty)
                .collect(),
            weekdays: self.weekdays.iter().map(WeekdayFigures::empty).collect(),
            wait_distribution: IndexMap::new(),
        };
        let places = Places::of(self);
        for (e, estimate) in self.figures() {
            if let (true, Scope::Channel(c)) = (e.metric.is_wait_point(), e.scope) {
                file.push_wait_point(c, e.metric, &estimate);
            } else if !periods && matches!(e.level, Level::Day(_) | Level::Interval(_)) {
                continue;
            } else if let Some(figures) = places.figures(&mut file, e.level) {
                figures.insert(&self.names, &e, &estimate);
            }
        }
        file
    }

    /// The figures of one level in the layout of `summary.json`, the points
    /// of the waiting-time distribution left out (a sweep point's JSON).
    pub fn level_figures(&self, level: Level) -> Figures {
        let mut figures = Figures::default();
        for (e, estimate) in self.figures() {
            if e.level == level && !e.metric.is_wait_point() {
                figures.insert(&self.names, &e, &estimate);
            }
        }
        figures
    }

    /// Writes the results as `summary.json` (pretty-printed, one final
    /// newline) into `w`.
    ///
    /// The same bytes as [`RunResults::to_file`] serialised, but the days and
    /// intervals are laid out and written one at a time: the file's tree is
    /// never held whole (a long horizon's `summary.json` is gigabytes).
    pub fn write_json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(w);
        let head = self.file_with(false);
        let days = Grouped::of(self, self.days.len(), |level| match level {
            Level::Day(d) => Some(d as usize),
            _ => None,
        });
        let interval_at: HashMap<u32, usize> = self
            .intervals
            .iter()
            .enumerate()
            .map(|(k, i)| (i.index, k))
            .collect();
        let intervals = Grouped::of(self, self.intervals.len(), |level| match level {
            Level::Interval(i) => interval_at.get(&i).copied(),
            _ => None,
        });
        drop(interval_at);
        let out = SummaryOut {
            schema_version: head.schema_version,
            ccsim_version: &head.ccsim_version,
            scenario: &head.scenario,
            seed: head.seed,
            replications: head.replications,
            replications_requested: head.replications_requested,
            partial: head.partial,
            precision: &head.precision,
            horizon: &head.horizon,
            days: PeriodFigures {
                results: self,
                grouped: days,
                kind: PeriodKind::Days,
            },
            intervals: PeriodFigures {
                results: self,
                grouped: intervals,
                kind: PeriodKind::Intervals,
            },
            time_of_day: &head.time_of_day,
            weekdays: &head.weekdays,
            wait_distribution: &head.wait_distribution,
        };
        serde_json::to_writer_pretty(&mut w, &out)?;
        w.write_all(b"\n")?;
        w.flush()
    }

    /// The results a `summary.json` holds; fails, saying what is wrong, on a
    /// name or label this version does not know.
    pub fn from_file(file: &SummaryFile) -> Result<RunResults, String> {
        let periods = Periods::read(file)?;
        let mut reader = Reader::default();
        reader.periods(file, &periods)?;
        reader.wait_distributions(&file.wait_distribution)?;
        let frame = Frame {
            scenario: file.scenario.info()?,
            run: RunInfo {
                seed: file.seed,
                replications: file.replications,
                replications_requested: file.replications_requested,
                partial: file.partial,
            },
            names: reader.names,
            days: periods.days,
            intervals: periods.intervals,
            time_of_day: periods.time_of_day,
            weekdays: periods.weekdays,
        };
        let mut results = RunResults::assemble(frame, reader.entries, reader.estimates);
        results.schema_version = file.schema_version;
        results.ccsim_version = file.ccsim_version.clone();
        results.precision = file.precision.clone();
        Ok(results)
    }
}

impl ScenarioFile {
    /// What was simulated, as `summary.json` writes it.
    fn of(s: &ScenarioInfo) -> ScenarioFile {
        ScenarioFile {
            name: s.name.clone(),
            description: s.description.clone(),
            hash: s.hash.clone(),
            start: s.start.clone(),
            days: s.days,
            interval_minutes: s.interval_minutes,
            channels: s
                .channels
                .iter()
                .map(|i| {
                    let info = ChannelInfoFile {
                        service_level_threshold: i.service_level_threshold,
                        sla_working_days: i.sla_working_days,
                        concurrency: i.concurrency,
                        pools: i.pools.clone(),
                    };
                    (i.channel.name().to_string(), info)
                })
                .collect(),
            targets: s.targets.clone(),
        }
    }

    /// What was simulated, read back; fails on a channel name this version
    /// does not know.
    fn info(&self) -> Result<ScenarioInfo, String> {
        Ok(ScenarioInfo {
            name: self.name.clone(),
            description: self.description.clone(),
            hash: self.hash.clone(),
            start: self.start.clone(),
            days: self.days,
            interval_minutes: self.interval_minutes,
            channels: self
                .channels
                .iter()
                .map(|(c, i)| {
                    Ok(ChannelInfo {
                        channel: channel(c)?,
                        service_level_threshold: i.service_level_threshold,
                        sla_working_days: i.sla_working_days,
                        concurrency: i.concurrency,
                        pools: i.pools.clone(),
                    })
                })
                .collect::<Result<_, String>>()?,
            targets: self.targets.clone(),
        })
    }
}

impl DayFigures {
    /// The place of a day's figures, empty.
    fn empty(d: &Day) -> DayFigures {
        DayFigures {
            date: d.date.clone(),
            weekday: d.weekday.name().to_string(),
            figures: Figures::default(),
        }
    }

    /// The day, read back.
    fn day(&self) -> Result<Day, String> {
        Ok(Day {
            date: self.date.clone(),
            weekday: weekday(&self.weekday)?,
        })
    }
}

impl IntervalFigures {
    /// The place of an interval's figures, empty; `days` are the results' days.
    fn empty(i: &Interval, days: &[Day]) -> IntervalFigures {
        IntervalFigures {
            date: days[i.day as usize].date.clone(),
            start: i.start.clone(),
            figures: Figures::default(),
        }
    }

    /// The interval, read back: `day_of` numbers the dates of the file's
    /// days, intervals last `interval` seconds, `per_day` to a day.
    fn interval(
        &self,
        day_of: &HashMap<&str, u32>,
        per_day: u32,
        interval: f64,
    ) -> Result<Interval, String> {
        let day = *day_of
            .get(self.date.as_str())
            .ok_or_else(|| format!("interval {} {}: no such day", self.date, self.start))?;
        Ok(Interval {
            index: day * per_day + slot(&self.start, interval)?,
            day,
            start: self.start.clone(),
        })
    }
}

impl TimeOfDayFigures {
    /// The place of the figures of an interval of the average day, empty.
    fn empty(t: &Slot) -> TimeOfDayFigures {
        TimeOfDayFigures {
            start: t.start.clone(),
            days: t.days,
            figures: Figures::default(),
        }
    }

    /// The interval of the day, read back; intervals last `interval` seconds.
    fn slot(&self, interval: f64) -> Result<Slot, String> {
        Ok(Slot {
            slot: slot(&self.start, interval)?,
            start: self.start.clone(),
            days: self.days,
        })
    }
}

impl WeekdayFigures {
    /// The place of the figures of a weekday and of its hours, empty.
    fn empty(w: &WeekdayPeriod) -> WeekdayFigures {
        WeekdayFigures {
            weekday: w.weekday.name().to_string(),
            days: w.days,
            figures: Figures::default(),
            hours: w
                .hours
                .iter()
                .map(|&h| HourFigures {
                    start: hour_label(h),
                    figures: Figures::default(),
                })
                .collect(),
        }
    }

    /// The weekday and its hours, read back.
    fn period(&self) -> Result<WeekdayPeriod, String> {
        Ok(WeekdayPeriod {
            weekday: weekday(&self.weekday)?,
            days: self.days,
            hours: self
                .hours
                .iter()
                .map(|h| hour(&h.start))
                .collect::<Result<_, _>>()?,
        })
    }
}

impl SummaryFile {
    /// Adds a point of a channel's waiting-time distribution (`metric` is
    /// `AnsweredWithin` or `AbandonedWithin`).
    fn push_wait_point(&mut self, c: Channel, metric: Metric, estimate: &Estimate) {
        let d = self
            .wait_distribution
            .entry(c.name().to_string())
            .or_default();
        match metric {
            Metric::AnsweredWithin(x) => {
                d.seconds.push(x);
                d.answered.push(*estimate);
            }
            _ => d.abandoned.push(*estimate),
        }
    }
}

/// `summary.json` as [`SummaryFile`] serialises it, field for field, with the
/// days and intervals made one at a time as they are written.
#[derive(Serialize)]
struct SummaryOut<'a> {
    schema_version: u32,
    ccsim_version: &'a str,
    scenario: &'a ScenarioFile,
    seed: u64,
    replications: u32,
    replications_requested: u32,
    partial: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: &'a Option<super::precision::Precision>,
    horizon: &'a Figures,
    days: PeriodFigures<'a>,
    intervals: PeriodFigures<'a>,
    time_of_day: &'a [TimeOfDayFigures],
    #[serde(skip_serializing_if = "no_weekdays")]
    weekdays: &'a [WeekdayFigures],
    wait_distribution: &'a IndexMap<String, WaitDistribution>,
}

fn no_weekdays(w: &&[WeekdayFigures]) -> bool {
    w.is_empty()
}

/// Which periods a [`PeriodFigures`] writes.
#[derive(Clone, Copy)]
enum PeriodKind {
    Days,
    Intervals,
}

/// The days or the intervals of some results, each laid out as
/// [`DayFigures`] or [`IntervalFigures`] only while it is written.
struct PeriodFigures<'a> {
    results: &'a RunResults,
    grouped: Grouped,
    kind: PeriodKind,
}

impl Serialize for PeriodFigures<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.results;
        let fill = |figures: &mut Figures, k: usize| {
            for &at in self.grouped.of_period(k) {
                let (e, estimate) = r.figure_at(at as usize);
                figures.insert(&r.names, &e, &estimate);
            }
        };
        match self.kind {
            PeriodKind::Days => s.collect_seq(r.days.iter().enumerate().map(|(k, d)| {
                let mut f = DayFigures::empty(d);
                fill(&mut f.figures, k);
                f
            })),
            PeriodKind::Intervals => s.collect_seq(r.intervals.iter().enumerate().map(|(k, i)| {
                let mut f = IntervalFigures::empty(i, &r.days);
                fill(&mut f.figures, k);
                f
            })),
        }
    }
}

/// The positions of the figures of each period of one level, in the order
/// of the results' figures (the order in which [`RunResults::to_file`] puts
/// them in place): 4 bytes a figure.
struct Grouped {
    /// `at[start[k]..start[k + 1]]`: the figures of period `k`.
    start: Vec<usize>,
    at: Vec<u32>,
}

impl Grouped {
    /// Groups the figures that `period` places (the points of a
    /// waiting-time distribution aside, as `to_file` sets them aside) into
    /// `periods` periods.
    fn of(
        results: &RunResults,
        periods: usize,
        period: impl Fn(Level) -> Option<usize>,
    ) -> Grouped {
        let place = |e: &Entry| match (e.metric.is_wait_point(), e.scope) {
            (true, Scope::Channel(_)) => None,
            _ => period(e.level).filter(|&k| k < periods),
        };
        let mut start = vec![0usize; periods + 1];
        for e in results.keys() {
            if let Some(k) = place(&e) {
                start[k + 1] += 1;
            }
        }
        for k in 0..periods {
            start[k + 1] += start[k];
        }
        let mut next = start.clone();
        let mut at = vec![0u32; start[periods]];
        for (i, e) in results.keys().enumerate() {
            if let Some(k) = place(&e) {
                at[next[k]] = i as u32;
                next[k] += 1;
            }
        }
        Grouped { start, at }
    }

    /// The positions of the figures of period `k`.
    fn of_period(&self, k: usize) -> &[u32] {
        &self.at[self.start[k]..self.start[k + 1]]
    }
}

/// Where the figures of each level go in the `summary.json` of some results.
struct Places<'r> {
    /// Position in `intervals` of each interval index.
    interval_at: HashMap<u32, usize>,
    /// Position in `time_of_day` of each interval of the day.
    slot_at: HashMap<u32, usize>,
    weekdays: &'r [WeekdayPeriod],
}

impl<'r> Places<'r> {
    fn of(results: &'r RunResults) -> Places<'r> {
        Places {
            interval_at: results
                .intervals
                .iter()
                .enumerate()
                .map(|(k, i)| (i.index, k))
                .collect(),
            slot_at: results
                .time_of_day
                .iter()
                .enumerate()
                .map(|(k, t)| (t.slot, k))
                .collect(),
            weekdays: &results.weekdays,
        }
    }

    /// The figures of `level` in `file`; `None` for a weekday or hour that
    /// has no place in it.
    fn figures<'f>(&self, file: &'f mut SummaryFile, level: Level) -> Option<&'f mut Figures> {
        let weekday_at = |w: u8| {
            self.weekdays
                .iter()
                .position(|p| p.weekday.index() == usize::from(w))
        };
        Some(match level {
            Level::Horizon => &mut file.horizon,
            Level::Day(d) => &mut file.days[d as usize].figures,
            Level::Interval(i) => &mut file.intervals[self.interval_at[&i]].figures,
            Level::TimeOfDay(s) => &mut file.time_of_day[self.slot_at[&s]].figures,
            Level::Weekday(w) => &mut file.weekdays[weekday_at(w)?].figures,
            Level::WeekdayHour(w, h) => {
                let k = weekday_at(w)?;
                let at = self.weekdays[k].hours.iter().position(|&x| x == h)?;
                &mut file.weekdays[k].hours[at].figures
            }
        })
    }
}

/// The periods of a `summary.json`, read back.
struct Periods {
    days: Vec<Day>,
    intervals: Vec<Interval>,
    time_of_day: Vec<Slot>,
    weekdays: Vec<WeekdayPeriod>,
}

impl Periods {
    /// Reads the periods of `file`; fails on an interval length, date,
    /// clock time or weekday it cannot read.
    fn read(file: &SummaryFile) -> Result<Periods, String> {
        let minutes = file.scenario.interval_minutes;
        let interval = minutes * 60.0;
        if !(interval.is_finite() && interval >= 60.0) {
            return Err(format!(
                "interval_minutes {minutes} is not an interval of at least a minute"
            ));
        }
        let per_day = (86_400.0 / interval).round() as u32;
        let days = file
            .days
            .iter()
            .map(DayFigures::day)
            .collect::<Result<Vec<Day>, String>>()?;
        let day_of: HashMap<&str, u32> = file
            .days
            .iter()
            .enumerate()
            .map(|(k, d)| (d.date.as_str(), k as u32))
            .collect();
        Ok(Periods {
            days,
            intervals: file
                .intervals
                .iter()
                .map(|i| i.interval(&day_of, per_day, interval))
                .collect::<Result<_, String>>()?,
            time_of_day: file
                .time_of_day
                .iter()
                .map(|t| t.slot(interval))
                .collect::<Result<_, String>>()?,
            weekdays: file
                .weekdays
                .iter()
                .map(WeekdayFigures::period)
                .collect::<Result<_, String>>()?,
        })
    }
}

/// Reads the figures of a summary in file order, numbering names as they come.
#[derive(Default)]
struct Reader {
    names: Names,
    entries: Vec<Entry>,
    estimates: Vec<Estimate>,
}

impl Reader {
    fn push(&mut self, level: Level, scope: Scope, metric: Metric, e: &Estimate) {
        self.entries.push(Entry {
            level,
            scope,
            metric,
        });
        self.estimates.push(*e);
    }

    fn metrics(&mut self, level: Level, scope: Scope, map: &MetricMap) -> Result<(), String> {
        for (name, e) in map {
            let metric =
                Metric::from_name(name).ok_or_else(|| format!("unknown metric `{name}`"))?;
            self.push(level, scope, metric, e);
        }
        Ok(())
    }

    fn level(&mut self, level: Level, f: &Figures) -> Result<(), String> {
        for (c, m) in &f.channels {
            self.metrics(level, Scope::Channel(channel(c)?), m)?;
        }
        for (t, per_channel) in &f.themes {
            let t = number(&mut self.names.themes, t);
            for (c, m) in per_channel {
                self.metrics(level, Scope::Theme(t, channel(c)?), m)?;
            }
        }
        for (l, per_channel) in &f.lines {
            let l = number(&mut self.names.lines, l);
            for (c, m) in per_channel {
                self.metrics(level, Scope::Line(l, channel(c)?), m)?;
            }
        }
        for (p, m) in &f.pools {
            let p = number(&mut self.names.pools, p);
            self.metrics(level, Scope::Pool(p), m)?;
        }
        self.metrics(level, Scope::Total, &f.total)
    }

    /// Reads the figures of every period of `file`, level by level in file
    /// order; `periods` are its periods, read back.
    fn periods(&mut self, file: &SummaryFile, periods: &Periods) -> Result<(), String> {
        self.level(Level::Horizon, &file.horizon)?;
        for (d, day) in file.days.iter().enumerate() {
            self.level(Level::Day(d as u32), &day.figures)?;
        }
        for (i, x) in periods.intervals.iter().zip(&file.intervals) {
            self.level(Level::Interval(i.index), &x.figures)?;
        }
        for (t, x) in periods.time_of_day.iter().zip(&file.time_of_day) {
            self.level(Level::TimeOfDay(t.slot), &x.figures)?;
        }
        for (w, x) in periods.weekdays.iter().zip(&file.weekdays) {
            let wi = w.weekday.index() as u8;
            self.level(Level::Weekday(wi), &x.figures)?;
            for (&h, y) in w.hours.iter().zip(&x.hours) {
                self.level(Level::WeekdayHour(wi, h), &y.figures)?;
            }
        }
        Ok(())
    }

    /// Reads the waiting-time distributions, channel by channel; fails when
    /// a channel's shares and points do not match.
    fn wait_distributions(
        &mut self,
        distributions: &IndexMap<String, WaitDistribution>,
    ) -> Result<(), String> {
        for (c, d) in distributions {
            let c = channel(c)?;
            if d.answered.len() != d.seconds.len() || d.abandoned.len() > d.seconds.len() {
                return Err(format!(
                    "wait_distribution of {}: {} points, {} answered and {} abandoned shares",
                    c.name(),
                    d.seconds.len(),
                    d.answered.len(),
                    d.abandoned.len()
                ));
            }
            let scope = Scope::Channel(c);
            for (&x, e) in d.seconds.iter().zip(&d.answered) {
                self.push(Level::Horizon, scope, Metric::AnsweredWithin(x), e);
            }
            for (&x, e) in d.seconds.iter().zip(&d.abandoned) {
                self.push(Level::Horizon, scope, Metric::AbandonedWithin(x), e);
            }
        }
        Ok(())
    }
}

/// The index of `name`, numbered on first appearance.
fn number(names: &mut Vec<String>, name: &str) -> usize {
    match names.iter().position(|n| n == name) {
        Some(i) => i,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    }
}

fn channel(name: &str) -> Result<Channel, String> {
    Channel::from_name(name).ok_or_else(|| format!("unknown channel `{name}`"))
}

fn weekday(name: &str) -> Result<Weekday, String> {
    Weekday::from_name(name).ok_or_else(|| format!("unknown weekday `{name}`"))
}

/// Seconds after midnight of an `HH:MM` clock time.
fn clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h < 24 && m < 60).then_some(h * 3600 + m * 60)
}

/// The interval of the day an `HH:MM` label names. Labels are the start
/// rounded to the second, then cut to the minute; intervals are at least a
/// minute long, so exactly one interval starts within the labelled minute.
fn slot(text: &str, interval: f64) -> Result<u32, String> {
    let at = clock(text).ok_or_else(|| format!("`{text}` is not a clock time HH:MM"))?;
    let first = (f64::from(at) / interval).floor() as u32;
    (first.saturating_sub(1)..=first + 1)
        .find(|&k| {
            let start = (f64::from(k) * interval).round() as u32;
            (at..at + 60).contains(&start)
        })
        .ok_or_else(|| format!("`{text}` is not the start of an interval"))
}

/// The clock hour of an `HH:00` label.
fn hour(text: &str) -> Result<u8, String> {
    match clock(text) {
        Some(s) if s % 3600 == 0 => Ok((s / 3600) as u8),
        _ => Err(format!("`{text}` is not a clock hour HH:00")),
    }
}
