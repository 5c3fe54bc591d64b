//! The summary of a run: every figure with its estimate, arranged by level
//! (horizon, day, interval) and scope (channel, theme, line, pool, total).
//! This is what `--json` writes.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::model::{Channel, Model, Targets};
use crate::montecarlo::RunResult;
use crate::stats::{Estimate, Layout, Level, Metric, Scope};

/// Version of the JSON layout; bumped when a key changes meaning or moves.
pub const SCHEMA_VERSION: u32 = 1;

/// Figures by metric name.
pub type MetricMap = IndexMap<String, Estimate>;

/// The figures of one level, by scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Per channel (`call`, `chat`, `email`).
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
pub struct ChannelInfo {
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
pub struct ScenarioInfo {
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
    pub channels: IndexMap<String, ChannelInfo>,
    /// What the planner aims at.
    #[serde(default)]
    pub targets: Targets,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// What was simulated.
    pub scenario: ScenarioInfo,
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

impl Summary {
    /// Arranges the estimates of a run.
    pub fn new(model: &Model, result: &RunResult) -> Summary {
        let mut summary = Summary::skeleton(model, &result.layout);
        // The skeleton has one placeholder per entry of the same layout.
        let filled = summary.fill(&result.estimates);
        debug_assert!(filled.is_ok(), "{filled:?}");
        summary.seed = result.options.seed;
        summary.replications = result.replications.len() as u32;
        summary.replications_requested = result.options.replications;
        summary.partial = result.interrupted;
        summary
    }

    /// The summary's shape for a model, without figures: every estimate is a
    /// placeholder whose `n` holds the index of its entry in `layout`, for
    /// [`Summary::fill`]. A shard stores it, so that `ccsim merge` arranges
    /// the merged figures exactly as a single run would, without the model.
    pub fn skeleton(model: &Model, layout: &Layout) -> Summary {
        let cal = &model.calendar;
        let mut horizon = Figures::default();
        let mut days: Vec<DayFigures> = (0..cal.days)
            .map(|d| {
                let date = cal.date(d);
                DayFigures {
                    date: date.to_string(),
                    weekday: crate::model::Weekday::of(date).name().to_string(),
                    figures: Figures::default(),
                }
            })
            .collect();
        let mut intervals: Vec<IntervalFigures> = Vec::new();
        let mut interval_slot: IndexMap<u32, usize> = IndexMap::new();
        for &i in layout.reported_intervals() {
            let (day, start) = cal.interval_label(i as usize);
            interval_slot.insert(i, intervals.len());
            intervals.push(IntervalFigures {
                date: cal.date(day).to_string(),
                start,
                figures: Figures::default(),
            });
        }
        let mut time_of_day: Vec<TimeOfDayFigures> = Vec::new();
        let mut time_slot: IndexMap<u32, usize> = IndexMap::new();
        for slot in layout.reported_slots() {
            let (_, start) = cal.interval_label(slot as usize);
            let days = layout
                .reported_intervals()
                .iter()
                .filter(|&&i| i % cal.intervals_per_day == slot)
                .count() as u32;
            time_slot.insert(slot, time_of_day.len());
            time_of_day.push(TimeOfDayFigures {
                start,
                days,
                figures: Figures::default(),
            });
        }
        let mut weekdays: Vec<WeekdayFigures> = Vec::new();
        for entry in &layout.entries {
            if let Level::Weekday(w) = entry.level
                && !weekdays.iter().any(|x| x.weekday == weekday_name(w))
            {
                let days = (0..cal.days)
                    .filter(|&d| {
                        crate::model::Weekday::of(cal.date(d)).index() == usize::from(w)
                            && layout
                                .reported_intervals()
                                .iter()
                                .any(|&i| i / cal.intervals_per_day == d)
                    })
                    .count() as u32;
                weekdays.push(WeekdayFigures {
                    weekday: weekday_name(w),
                    days,
                    figures: Figures::default(),
                    hours: Vec::new(),
                });
            }
            if let Level::WeekdayHour(w, h) = entry.level
                && let Some(day) = weekdays.iter_mut().find(|x| x.weekday == weekday_name(w))
                && !day.hours.iter().any(|x| x.start == hour_label(h))
            {
                day.hours.push(HourFigures {
                    start: hour_label(h),
                    figures: Figures::default(),
                });
            }
        }
        let mut wait_distribution: IndexMap<String, WaitDistribution> = IndexMap::new();
        for (index, entry) in layout.entries.iter().enumerate() {
            let estimate = &Estimate::empty(index as u32);
            if let (Metric::AnsweredWithin(x) | Metric::AbandonedWithin(x), Scope::Channel(c)) =
                (entry.metric, &entry.scope)
            {
                let d = wait_distribution.entry(c.name().to_string()).or_default();
                if let Metric::AnsweredWithin(_) = entry.metric {
                    d.seconds.push(x);
                    d.answered.push(*estimate);
                } else {
                    d.abandoned.push(*estimate);
                }
                continue;
            }
            let figures = match entry.level {
                Level::Horizon => &mut horizon,
                Level::Day(d) => &mut days[d as usize].figures,
                Level::Interval(i) => &mut intervals[interval_slot[&i]].figures,
                Level::TimeOfDay(s) => &mut time_of_day[time_slot[&s]].figures,
                Level::Weekday(w) => {
                    let name = weekday_name(w);
                    let Some(x) = weekdays.iter_mut().find(|x| x.weekday == name) else {
                        continue;
                    };
                    &mut x.figures
                }
                Level::WeekdayHour(w, h) => {
                    let (name, start) = (weekday_name(w), hour_label(h));
                    let Some(x) = weekdays
                        .iter_mut()
                        .find(|x| x.weekday == name)
                        .and_then(|x| x.hours.iter_mut().find(|y| y.start == start))
                    else {
                        continue;
                    };
                    &mut x.figures
                }
            };
            let metric = entry.metric.name().to_string();
            let map = match &entry.scope {
                Scope::Channel(c) => figures.channels.entry(c.name().to_string()).or_default(),
                Scope::Theme(t, c) => figures
                    .themes
                    .entry(model.themes[*t].name.clone())
                    .or_default()
                    .entry(c.name().to_string())
                    .or_default(),
                Scope::Line(l, c) => figures
                    .lines
                    .entry(model.lines[*l].name.clone())
                    .or_default()
                    .entry(c.name().to_string())
                    .or_default(),
                Scope::Pool(p) => figures
                    .pools
                    .entry(model.pools[*p].name.clone())
                    .or_default(),
                Scope::Total => &mut figures.total,
            };
            map.insert(metric, *estimate);
        }
        Summary {
            schema_version: SCHEMA_VERSION,
            ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: ScenarioInfo {
                name: model.name.clone(),
                description: model.description.clone(),
                hash: String::new(),
                start: cal.start.to_string(),
                days: cal.days,
                interval_minutes: cal.interval / 60.0,
                channels: model
                    .active_channels()
                    .into_iter()
                    .map(|c| {
                        let cfg = model.channel(c);
                        let info = ChannelInfo {
                            service_level_threshold: c
                                .is_live()
                                .then_some(cfg.service_level_threshold),
                            sla_working_days: (c == Channel::Email).then_some(cfg.sla_working_days),
                            concurrency: (c == Channel::Chat).then_some(cfg.concurrency),
                            pools: if c == Channel::Visit {
                                model
                                    .pools
                                    .iter()
                                    .filter(|p| {
                                        p.skills
                                            .iter()
                                            .any(|k| model.streams[k.stream].channel == c)
                                    })
                                    .map(|p| p.name.clone())
                                    .collect()
                            } else {
                                Vec::new()
                            },
                        };
                        (c.name().to_string(), info)
                    })
                    .collect(),
                targets: model.targets.clone(),
            },
            seed: 0,
            replications: 0,
            replications_requested: 0,
            partial: false,
            horizon,
            days,
            intervals,
            time_of_day,
            weekdays,
            wait_distribution,
        }
    }

    /// Replaces every placeholder of a [`Summary::skeleton`] by the estimate
    /// of its entry; fails unless the placeholders are exactly the entries
    /// `0..estimates.len()`, each once.
    pub fn fill(&mut self, estimates: &[Estimate]) -> Result<(), String> {
        let mut seen = vec![false; estimates.len()];
        let mut problem = None;
        self.for_each_estimate_mut(&mut |e| {
            let i = e.n as usize;
            match seen.get_mut(i) {
                Some(s) if !*s => {
                    *s = true;
                    *e = estimates[i];
                }
                _ => {
                    problem.get_or_insert(format!("entry {i} is out of range or repeated"));
                }
            }
        });
        if let Some(p) = problem {
            return Err(p);
        }
        match seen.iter().position(|s| !s) {
            Some(i) => Err(format!("entry {i} has no place in the summary")),
            None => Ok(()),
        }
    }

    /// Visits every estimate of the summary.
    pub fn for_each_estimate_mut(&mut self, f: &mut dyn FnMut(&mut Estimate)) {
        fn figures(x: &mut Figures, f: &mut dyn FnMut(&mut Estimate)) {
            let maps = x
                .channels
                .values_mut()
                .chain(x.themes.values_mut().flat_map(|m| m.values_mut()))
                .chain(x.lines.values_mut().flat_map(|m| m.values_mut()))
                .chain(x.pools.values_mut())
                .chain(std::iter::once(&mut x.total));
            for map in maps {
                map.values_mut().for_each(&mut *f);
            }
        }
        figures(&mut self.horizon, f);
        for d in &mut self.days {
            figures(&mut d.figures, f);
        }
        for i in &mut self.intervals {
            figures(&mut i.figures, f);
        }
        for t in &mut self.time_of_day {
            figures(&mut t.figures, f);
        }
        for w in &mut self.weekdays {
            figures(&mut w.figures, f);
            for h in &mut w.hours {
                figures(&mut h.figures, f);
            }
        }
        for w in self.wait_distribution.values_mut() {
            w.answered
                .iter_mut()
                .chain(&mut w.abandoned)
                .for_each(&mut *f);
        }
    }

    /// A figure of a weekday (`"thu"`) on a channel, e.g. `("thu", "visit", "visit_share")`.
    pub fn weekday_channel(&self, weekday: &str, channel: &str, metric: &str) -> Option<&Estimate> {
        self.weekdays
            .iter()
            .find(|w| w.weekday == weekday)?
            .figures
            .channels
            .get(channel)?
            .get(metric)
    }

    /// The pools that serve visits (the desks), in the scenario's order. A
    /// summary written before the scenario recorded them counts every pool
    /// of the weekday figures.
    pub fn visit_pools(&self) -> Vec<String> {
        match self.scenario.channels.get("visit") {
            Some(info) if !info.pools.is_empty() => info.pools.clone(),
            _ => self
                .weekdays
                .first()
                .map(|w| w.figures.pools.keys().cloned().collect())
                .unwrap_or_default(),
        }
    }

    /// A horizon figure of a channel, e.g. `("call", "reachability")`.
    pub fn horizon_channel(&self, channel: &str, metric: &str) -> Option<&Estimate> {
        self.horizon.channels.get(channel)?.get(metric)
    }
}

/// `mon` ... `sun` of a weekday index (Monday 0).
fn weekday_name(w: u8) -> String {
    crate::model::Weekday::ALL[usize::from(w) % 7]
        .name()
        .to_string()
}

/// `HH:00` of a clock hour.
fn hour_label(h: u8) -> String {
    format!("{h:02}:00")
}
