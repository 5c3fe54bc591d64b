//! The results of a run: every figure with its estimate, addressed by a typed
//! key ([`Entry`]: level, scope, metric), with what a reader needs to name
//! them (the scenario, the names of themes, lines and pools, the periods).
//!
//! This is what every report, check and comparison reads. Names appear only
//! at the edges: [`super::summary_file`] turns results into the layout of
//! `summary.json` and back, so a saved run reads into exactly the results it
//! was written from.
//!
//! Figures are kept in one canonical order, the order of `summary.json`
//! (levels, then periods, then channels, themes, lines, pools and the total,
//! each in the order of first appearance), and themes, lines and pools are
//! numbered in that same order of appearance. The indices in a [`Scope`] are
//! therefore the results' own, not the model's: find a name with
//! [`RunResults::theme`], [`RunResults::line`] or [`RunResults::pool`].

// Fx hashing: the keys are small and ours (no untrusted input), and
// building these maps was a tenth of a short run's time with SipHash.
use rustc_hash::FxHashMap as HashMap;

use crate::model::{Channel, Model, Targets, Weekday};

use super::deferred::{self, Deferred};
use super::estimate::respect_bounds;
use super::{Entry, Estimate, Layout, Level, Metric, Scope};

/// Version of the `summary.json` layout; bumped when a key changes meaning or moves.
pub const SCHEMA_VERSION: u32 = 1;

/// How the run went: its seed and how many replications it kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunInfo {
    /// Seed of the run.
    pub seed: u64,
    /// Number of replications the figures come from.
    pub replications: u32,
    /// Replications asked for; more than `replications` when the run was
    /// stopped early (Ctrl-C) and the figures are partial.
    pub replications_requested: u32,
    /// Whether the run was stopped before every replication asked for ran.
    pub partial: bool,
}

/// Settings of a channel that reports need to read its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelInfo {
    /// The channel.
    pub channel: Channel,
    /// Service-level threshold, seconds (calls, chats and visits).
    pub service_level_threshold: Option<f64>,
    /// Working days within which an e-mail must be picked up.
    pub sla_working_days: Option<u32>,
    /// Chats an agent serves at once.
    pub concurrency: Option<u32>,
    /// The pools that serve the channel (visits only: the desks), by name.
    pub pools: Vec<String>,
}

/// What was simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// SHA-256 of the scenario text (set by whoever read the file).
    pub hash: String,
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Number of days.
    pub days: u32,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Settings of the channels with demand, in reporting order.
    pub channels: Vec<ChannelInfo>,
    /// What the planner aims at.
    pub targets: Targets,
}

impl ScenarioInfo {
    /// What a report needs to know of `model`.
    pub fn of(model: &Model) -> ScenarioInfo {
        let cal = &model.calendar;
        ScenarioInfo {
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
                    ChannelInfo {
                        channel: c,
                        service_level_threshold: c.is_live().then_some(cfg.service_level_threshold),
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
                    }
                })
                .collect(),
            targets: model.targets.clone(),
        }
    }

    /// The settings of a channel, if it has demand.
    pub fn channel(&self, channel: Channel) -> Option<&ChannelInfo> {
        self.channels.iter().find(|i| i.channel == channel)
    }

    /// The reachability target of a channel, if the scenario sets one.
    pub fn reachability_target(&self, channel: Channel) -> Option<f64> {
        self.targets.reachability_of(channel)
    }

    /// The reachability target of all channels together, if set.
    pub fn total_reachability_target(&self) -> Option<f64> {
        self.targets.total_reachability()
    }

    /// The service-level target of a channel, if set.
    pub fn service_level_target(&self, channel: Channel) -> Option<f64> {
        self.targets.service_level_of(channel)
    }
}

/// The names of the themes, lines and pools that have figures, by the
/// index their [`Scope`]s use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    /// Themes.
    pub themes: Vec<String>,
    /// Lines.
    pub lines: Vec<String>,
    /// Agent pools.
    pub pools: Vec<String>,
}

/// A calendar day of the horizon (`Level::Day(index in days)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Its weekday.
    pub weekday: Weekday,
}

/// An interval in which some line is open (`Level::Interval(index)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Index of the interval in the horizon.
    pub index: u32,
    /// The day it belongs to (index in [`RunResults::days`]).
    pub day: u32,
    /// Clock time it starts, `HH:MM`.
    pub start: String,
}

/// An interval of the day over every day on which it is open: a point of the
/// average day's profile (`Level::TimeOfDay(slot)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Index of the interval within the day.
    pub slot: u32,
    /// Clock time it starts, `HH:MM`.
    pub start: String,
    /// Number of days over which its figures are taken.
    pub days: u32,
}

/// A weekday over the horizon, whole and by clock hour (scenarios with
/// visits: `Level::Weekday(w)` and `Level::WeekdayHour(w, hour)`).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekdayPeriod {
    /// The weekday.
    pub weekday: Weekday,
    /// Days of this weekday with opening hours in the horizon.
    pub days: u32,
    /// The clock hours with figures, in order.
    pub hours: Vec<u8>,
}

impl WeekdayPeriod {
    /// The level of the weekday as a whole.
    pub fn level(&self) -> Level {
        Level::Weekday(self.weekday.index() as u8)
    }
}

/// `HH:00` of a clock hour.
pub fn hour_label(hour: u8) -> String {
    format!("{hour:02}:00")
}

/// The waiting-time distribution of one channel over the horizon: at each
/// wait in `seconds`, the share of contacts that waited less.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitDistribution {
    /// Waits at which the shares are given, seconds.
    pub seconds: Vec<u16>,
    /// Share of answered contacts that waited less than each point.
    pub answered: Vec<Estimate>,
    /// Share of abandoned contacts that had waited less than each point.
    pub abandoned: Vec<Estimate>,
}

/// Everything a run found.
///
/// The figures are held summarised (`entries`, `estimates`), except, in the
/// results of [`RunResults::of_run_values`], those of days and intervals,
/// which are summarised from the replications' values when read
/// ([`Deferred`]): [`RunResults::figures`] and [`RunResults::estimate`]
/// read both, [`RunResults::get`] only the first.
#[derive(Debug, Clone)]
pub struct RunResults {
    /// Version of the `summary.json` layout the results were read from or
    /// will be written as.
    pub schema_version: u32,
    /// Version of ccsim that produced them.
    pub ccsim_version: String,
    /// What was simulated.
    pub scenario: ScenarioInfo,
    /// Seed and replications.
    pub run: RunInfo,
    /// Names of the themes, lines and pools.
    pub names: Names,
    /// Every day of the horizon.
    pub days: Vec<Day>,
    /// The intervals in which some line is open.
    pub intervals: Vec<Interval>,
    /// The average day: the intervals of the day that are open on some day.
    pub time_of_day: Vec<Slot>,
    /// Weekdays and their clock hours (scenarios with visits).
    pub weekdays: Vec<WeekdayPeriod>,
    /// How a run with `--precision` went; `None` for a fixed number of
    /// replications.
    pub precision: Option<super::precision::Precision>,
    entries: Vec<Entry>,
    estimates: Vec<Estimate>,
    index: HashMap<Entry, usize>,
    /// The figures of days and intervals not yet summarised; in canonical
    /// order they come after the first `split` of `entries` (the horizon's).
    deferred: Option<Deferred>,
    split: usize,
}

/// The same figures in the same order, whether summarised or deferred.
impl PartialEq for RunResults {
    fn eq(&self, other: &Self) -> bool {
        self.schema_version == other.schema_version
            && self.ccsim_version == other.ccsim_version
            && self.scenario == other.scenario
            && self.run == other.run
            && self.names == other.names
            && self.days == other.days
            && self.intervals == other.intervals
            && self.time_of_day == other.time_of_day
            && self.weekdays == other.weekdays
            && self.precision == other.precision
            && self.figure_count() == other.figure_count()
            && self.figures().eq(other.figures())
    }
}

impl RunResults {
    /// The results of a run of `model`: `estimates[i]` is the estimate of
    /// `layout.entries[i]`.
    pub fn new(model: &Model, layout: &Layout, estimates: &[Estimate], run: RunInfo) -> RunResults {
        let order = canonical_order(&layout.entries);
        let mut names = Renumbering::default();
        let entries: Vec<Entry> = order
            .iter()
            .map(|&i| names.entry(model, layout.entries[i]))
            .collect();
        let estimates = order.iter().map(|&i| estimates[i]).collect();
        RunResults::assemble(
            frame_of(model, layout, &entries, run, names.names),
            entries,
            estimates,
        )
    }

    /// The results of a run of `model`, every figure estimated straight into
    /// the results' order: `estimate(i)` gives the estimate of
    /// `layout.entries[i]` as [`Estimate::from_values`] makes it, and each
    /// then gets the interval of its metric's bounds as [`respect_bounds`]
    /// gives it. The same results as [`RunResults::new`] of the bounded
    /// estimates, without a second copy of every estimate in layout order.
    pub fn of_run(
        model: &Model,
        layout: &Layout,
        estimate: &mut dyn FnMut(usize) -> Estimate,
        run: RunInfo,
    ) -> RunResults {
        let order = canonical_order(&layout.entries);
        let mut names = Renumbering::default();
        let entries: Vec<Entry> = order
            .iter()
            .map(|&i| names.entry(model, layout.entries[i]))
            .collect();
        let estimates = order.iter().map(|&i| estimate(i)).collect();
        drop(order);
        let frame = frame_of(model, layout, &entries, run, names.names);
        let mut results = RunResults::assemble(frame, entries, estimates);
        results.bound();
        results
    }

    /// The results of a run of `model` for its report: the figures of
    /// days and intervals stay the replications' `values`
    /// (`values[r * entries + e]`, as `RunResult` holds them) and are
    /// summarised only when read, the others are summarised now. The same
    /// figures, read one by one, as [`RunResults::of_run`] gives with
    /// [`Estimate::from_values`]; a long horizon's report holds 8 bytes a
    /// figure and replication instead of about 230 bytes a figure.
    pub fn of_run_values(
        model: &Model,
        layout: Layout,
        values: Vec<f64>,
        run: RunInfo,
    ) -> RunResults {
        let n = layout.entries.len();
        let days = model.calendar.days;
        let reported = layout.reported_intervals();
        let placed = layout.entries.iter().all(|e| match e.level {
            Level::Day(d) => d < days,
            Level::Interval(i) => reported.binary_search(&i).is_ok(),
            _ => true,
        });
        let mut column = Vec::new();
        let mut estimate = |i: usize| {
            column.clear();
            column.extend(values.iter().skip(i).step_by(n.max(1)));
            Estimate::from_values(&column)
        };
        if !placed || !values.len().is_multiple_of(n.max(1)) {
            // Not the layout this module knows: summarise everything now.
            return RunResults::of_run(model, &layout, &mut estimate, run);
        }
        let now: Vec<usize> = (0..n)
            .filter(|&i| !deferred::is_deferred(&layout.entries[i]))
            .collect();
        let now_entries: Vec<Entry> = now.iter().map(|&i| layout.entries[i]).collect();
        let order = canonical_order(&now_entries);
        let mut names = Renumbering::default();
        let entries: Vec<Entry> = order
            .iter()
            .map(|&j| names.entry(model, now_entries[j]))
            .collect();
        let estimates = order.iter().map(|&j| estimate(now[j])).collect();
        drop((order, now, now_entries));
        let frame = frame_of(model, &layout, &entries, run, Names::default());
        let intervals = layout.reported_intervals().to_vec();
        let mut deferred = Deferred::new(deferred::Source {
            layout: layout.entries,
            values,
            days,
            intervals,
        });
        // Names first seen among the days' or intervals' figures (none in
        // a model whose every theme, line and pool has horizon figures).
        deferred.renumber(&mut |e| names.entry(model, e));
        let mut frame = frame;
        frame.names = names.names;
        let mut results = RunResults::assemble(frame, entries, estimates);
        results.bound();
        results.split = results
            .entries
            .iter()
            .position(|e| e.level != Level::Horizon || e.metric.is_wait_point())
            .unwrap_or(results.entries.len());
        results.deferred = Some(deferred);
        results
    }

    /// Summarises the deferred figures now, into the others.
    fn summarise_deferred(&mut self) {
        if let Some(d) = self.deferred.take() {
            let tail_entries = self.entries.split_off(self.split);
            let tail_estimates = self.estimates.split_off(self.split);
            for (e, x) in d.figures() {
                self.entries.push(e);
                self.estimates.push(x);
            }
            self.entries.extend(tail_entries);
            self.estimates.extend(tail_estimates);
            self.index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (*e, i))
                .collect();
            self.split = self.entries.len();
        }
    }

    /// Gives every estimate the interval of its metric's bounds, as
    /// [`respect_bounds`] does, in place: bounding changes only the
    /// intervals, so a share reads its count's trials whether or not that
    /// count was bounded first.
    fn bound(&mut self) {
        for at in 0..self.entries.len() {
            let entry = self.entries[at];
            let trials = entry.metric.trials().and_then(|metric| {
                let count = self.estimates[*self.index.get(&Entry { metric, ..entry })?];
                Some(count.mean? * f64::from(count.n))
            });
            self.estimates[at] = self.estimates[at].within(entry.metric.bounds(), trials);
        }
    }

    /// The results of a run of `model` holding only some of its figures:
    /// `kept` pairs a position in `layout.entries` (ascending) with its
    /// estimate. The names, days, intervals and periods are those of
    /// [`RunResults::new`], and so are the kept figures and their order; a
    /// figure left out is absent ([`RunResults::get`] gives `None`). Every
    /// theme, line and pool has figures over the horizon, so the names are
    /// numbered from the horizon's figures, as `new` numbers them.
    pub fn of_kept(
        model: &Model,
        layout: &Layout,
        kept: &[(usize, Estimate)],
        run: RunInfo,
    ) -> RunResults {
        // The kept figures and every figure of the horizon, in layout order;
        // `Some(k)` marks the k-th kept one.
        let mut subset: Vec<(usize, Option<usize>)> = Vec::with_capacity(kept.len());
        let mut next = kept.iter().enumerate().peekable();
        for (i, e) in layout.entries.iter().enumerate() {
            let k = next.next_if(|(_, (at, _))| *at == i).map(|(k, _)| k);
            if k.is_some() || e.level == Level::Horizon {
                subset.push((i, k));
            }
        }
        let subset_entries: Vec<Entry> = subset.iter().map(|&(i, _)| layout.entries[i]).collect();
        let order = canonical_order(&subset_entries);
        let mut names = Renumbering::default();
        let mut entries = Vec::with_capacity(kept.len());
        let mut estimates = Vec::with_capacity(kept.len());
        for &j in &order {
            let entry = names.entry(model, subset_entries[j]);
            if let Some(k) = subset[j].1 {
                entries.push(entry);
                estimates.push(kept[k].1);
            }
        }
        RunResults::assemble(
            frame_of(model, layout, &entries, run, names.names),
            entries,
            estimates,
        )
    }

    /// The results' shape for `model` without figures: every estimate is a
    /// placeholder whose `n` holds the index of its entry in `layout`, for
    /// [`RunResults::fill`]. A shard stores it, so that `ccsim merge`
    /// arranges the merged figures exactly as a single run would, without
    /// the model.
    pub fn frame(model: &Model, layout: &Layout) -> RunResults {
        let placeholders: Vec<Estimate> = (0..layout.entries.len())
            .map(|i| Estimate::empty(i as u32))
            .collect();
        RunResults::new(model, layout, &placeholders, RunInfo::default())
    }

    /// Replaces every placeholder of a [`RunResults::frame`] by the estimate
    /// of its entry; fails unless the placeholders are exactly the entries
    /// `0..estimates.len()`, each once. The estimates are as
    /// [`Estimate::from_values`] gives them; each gets the interval of its
    /// metric's bounds here ([`respect_bounds`]), as a single run's does.
    pub fn fill(&mut self, estimates: &[Estimate]) -> Result<(), String> {
        let mut place: Vec<Option<usize>> = vec![None; estimates.len()];
        for (at, e) in self.estimates.iter().enumerate() {
            let i = e.n as usize;
            match place.get_mut(i) {
                Some(p) if p.is_none() => *p = Some(at),
                _ => return Err(format!("entry {i} is out of range or repeated")),
            }
        }
        let place: Vec<usize> = match place.iter().position(Option::is_none) {
            Some(i) => return Err(format!("entry {i} has no place in the summary")),
            None => place.into_iter().flatten().collect(),
        };
        let entries: Vec<Entry> = place.iter().map(|&at| self.entries[at]).collect();
        let mut bounded = estimates.to_vec();
        respect_bounds(&entries, &mut bounded);
        for (e, at) in bounded.into_iter().zip(place) {
            self.estimates[at] = e;
        }
        Ok(())
    }

    /// Results from their parts; `entries` in canonical order.
    pub(super) fn assemble(frame: Frame, entries: Vec<Entry>, estimates: Vec<Estimate>) -> Self {
        let index = entries.iter().enumerate().map(|(i, e)| (*e, i)).collect();
        let split = entries.len();
        RunResults {
            schema_version: SCHEMA_VERSION,
            ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: frame.scenario,
            run: frame.run,
            names: frame.names,
            days: frame.days,
            intervals: frame.intervals,
            time_of_day: frame.time_of_day,
            weekdays: frame.weekdays,
            precision: None,
            entries,
            estimates,
            index,
            deferred: None,
            split,
        }
    }

    /// Keeps only the figures `keep` selects (a sweep keeps the horizon).
    pub fn retain(&mut self, keep: impl Fn(&Entry) -> bool) {
        self.summarise_deferred();
        let (entries, estimates): (Vec<Entry>, Vec<Estimate>) =
            self.figures().filter(|(e, _)| keep(e)).unzip();
        self.index = entries.iter().enumerate().map(|(i, e)| (*e, i)).collect();
        self.split = entries.len();
        self.entries = entries;
        self.estimates = estimates;
    }

    /// Every figure with its estimate, in canonical order (deferred ones
    /// summarised as they are reached).
    pub fn figures(&self) -> impl Iterator<Item = (Entry, Estimate)> + '_ {
        let (head, tail) = self.entries.split_at(self.split);
        let (head_x, tail_x) = self.estimates.split_at(self.split);
        let now = |(e, x): (&Entry, &Estimate)| (*e, *x);
        head.iter()
            .zip(head_x)
            .map(now)
            .chain(self.deferred.iter().flat_map(Deferred::figures))
            .chain(tail.iter().zip(tail_x).map(now))
    }

    /// Every figure's key, in canonical order, without summarising any.
    pub fn keys(&self) -> impl Iterator<Item = Entry> + '_ {
        let (head, tail) = self.entries.split_at(self.split);
        head.iter()
            .copied()
            .chain(self.deferred.iter().flat_map(Deferred::entries))
            .chain(tail.iter().copied())
    }

    /// How many figures the results have.
    pub fn figure_count(&self) -> usize {
        self.entries.len() + self.deferred.as_ref().map_or(0, Deferred::len)
    }

    /// The `i`-th figure in canonical order.
    pub(super) fn figure_at(&self, i: usize) -> (Entry, Estimate) {
        let deferred = self.deferred.as_ref().map_or(0, Deferred::len);
        match (i.checked_sub(self.split), &self.deferred) {
            (Some(k), Some(d)) if k < deferred => d.figure(k),
            (Some(_), _) => (self.entries[i - deferred], self.estimates[i - deferred]),
            (None, _) => (self.entries[i], self.estimates[i]),
        }
    }

    /// The estimates in canonical order, to be replaced in place (a merge
    /// fills placeholders).
    pub fn estimates_mut(&mut self) -> &mut [Estimate] {
        self.summarise_deferred();
        &mut self.estimates
    }

    /// A figure summarised with the results, if the run has it: every
    /// figure but, in a run's report, those of days and intervals (read
    /// them with [`RunResults::estimate`]).
    pub fn get(&self, level: Level, scope: Scope, metric: Metric) -> Option<&Estimate> {
        let i = self.index.get(&Entry {
            level,
            scope,
            metric,
        })?;
        Some(&self.estimates[*i])
    }

    /// A figure, if the run has it, summarised now if it was deferred.
    pub fn estimate(&self, level: Level, scope: Scope, metric: Metric) -> Option<Estimate> {
        let entry = Entry {
            level,
            scope,
            metric,
        };
        match self.index.get(&entry) {
            Some(&i) => Some(self.estimates[i]),
            None => self.deferred.as_ref()?.find(&entry),
        }
    }

    /// Whether the run has a figure.
    pub fn has(&self, level: Level, scope: Scope, metric: Metric) -> bool {
        self.estimate(level, scope, metric).is_some()
    }

    /// The mean of a figure, if the run has it and some replication defines it.
    pub fn mean(&self, level: Level, scope: Scope, metric: Metric) -> Option<f64> {
        self.estimate(level, scope, metric)?.mean
    }

    /// A figure over the whole horizon.
    pub fn horizon(&self, scope: Scope, metric: Metric) -> Option<&Estimate> {
        self.get(Level::Horizon, scope, metric)
    }

    /// The channels with figures over the horizon, in reporting order.
    pub fn channels(&self) -> Vec<Channel> {
        self.scopes(Level::Horizon, |s| match s {
            Scope::Channel(c) => Some(c),
            _ => None,
        })
    }

    /// The channels answered live (calls and chats) with figures.
    pub fn live_channels(&self) -> Vec<Channel> {
        self.channels()
            .into_iter()
            .filter(|c| matches!(c, Channel::Call | Channel::Chat))
            .collect()
    }

    /// Whether the run has figures of a channel.
    pub fn has_channel(&self, channel: Channel) -> bool {
        self.channels().contains(&channel)
    }

    /// The themes with figures over the horizon (indices into `names.themes`).
    pub fn themes(&self) -> Vec<usize> {
        self.scopes(Level::Horizon, |s| match s {
            Scope::Theme(t, _) => Some(t),
            _ => None,
        })
    }

    /// The channels of a theme with figures over the horizon.
    pub fn theme_channels(&self, theme: usize) -> Vec<Channel> {
        self.scopes(Level::Horizon, |s| match s {
            Scope::Theme(t, c) if t == theme => Some(c),
            _ => None,
        })
    }

    /// The pools with figures over the horizon (indices into `names.pools`).
    pub fn pools(&self) -> Vec<usize> {
        self.scopes(Level::Horizon, |s| match s {
            Scope::Pool(p) => Some(p),
            _ => None,
        })
    }

    /// The index of a theme by name.
    pub fn theme(&self, name: &str) -> Option<usize> {
        self.names.themes.iter().position(|n| n == name)
    }

    /// The index of a line by name.
    pub fn line(&self, name: &str) -> Option<usize> {
        self.names.lines.iter().position(|n| n == name)
    }

    /// The index of a pool by name.
    pub fn pool(&self, name: &str) -> Option<usize> {
        self.names.pools.iter().position(|n| n == name)
    }

    /// The pools that serve visits (the desks), in the scenario's order. A
    /// summary written before the scenario recorded them counts every pool
    /// of the weekday figures.
    pub fn visit_pools(&self) -> Vec<usize> {
        match self.scenario.channel(Channel::Visit) {
            Some(info) if !info.pools.is_empty() => {
                info.pools.iter().filter_map(|p| self.pool(p)).collect()
            }
            _ => match self.weekdays.first() {
                Some(w) => self.scopes(w.level(), |s| match s {
                    Scope::Pool(p) => Some(p),
                    _ => None,
                }),
                None => Vec::new(),
            },
        }
    }

    /// The channels with a waiting-time distribution, in order.
    pub fn wait_channels(&self) -> Vec<Channel> {
        let mut out = Vec::new();
        for e in &self.entries {
            if let (Metric::AnsweredWithin(_) | Metric::AbandonedWithin(_), Scope::Channel(c)) =
                (e.metric, e.scope)
                && !out.contains(&c)
            {
                out.push(c);
            }
        }
        out
    }

    /// The waiting-time distribution of a channel over the horizon.
    pub fn wait_distribution(&self, channel: Channel) -> Option<WaitDistribution> {
        let mut d = WaitDistribution::default();
        // The points are never deferred: read only the figures summarised.
        for (e, x) in self.entries.iter().zip(&self.estimates) {
            match (e.metric, e.scope) {
                (Metric::AnsweredWithin(s), Scope::Channel(c)) if c == channel => {
                    d.seconds.push(s);
                    d.answered.push(*x);
                }
                (Metric::AbandonedWithin(_), Scope::Channel(c)) if c == channel => {
                    d.abandoned.push(*x);
                }
                _ => {}
            }
        }
        (!d.seconds.is_empty()).then_some(d)
    }

    /// The distinct values `pick` finds in the scopes of a level's figures,
    /// in order of first appearance (the points of the waiting-time
    /// distribution left out).
    pub fn scopes<T: PartialEq>(&self, level: Level, pick: impl Fn(Scope) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        let keys: Box<dyn Iterator<Item = Entry>> = match level {
            Level::Day(_) | Level::Interval(_) => Box::new(self.keys()),
            _ => Box::new(self.entries.iter().copied()),
        };
        for e in keys {
            if e.level != level || e.metric.is_wait_point() {
                continue;
            }
            if let Some(x) = pick(e.scope)
                && !out.contains(&x)
            {
                out.push(x);
            }
        }
        out
    }
}

/// The results' frame for `model`: its days, intervals and periods;
/// `entries` (renumbered, in canonical order) give the weekdays.
fn frame_of(
    model: &Model,
    layout: &Layout,
    entries: &[Entry],
    run: RunInfo,
    names: Names,
) -> Frame {
    let cal = &model.calendar;
    let days = (0..cal.days)
        .map(|d| Day {
            date: cal.date(d).to_string(),
            weekday: Weekday::of(cal.date(d)),
        })
        .collect();
    let intervals = layout
        .reported_intervals()
        .iter()
        .map(|&i| {
            let (day, start) = cal.interval_label(i as usize);
            Interval {
                index: i,
                day,
                start,
            }
        })
        .collect();
    let time_of_day = layout
        .reported_slots()
        .map(|slot| Slot {
            slot,
            start: cal.interval_label(slot as usize).1,
            days: layout
                .reported_intervals()
                .iter()
                .filter(|&&i| i % cal.intervals_per_day == slot)
                .count() as u32,
        })
        .collect();
    let weekdays = weekday_periods(entries, |w| {
        (0..cal.days)
            .filter(|&d| {
                Weekday::of(cal.date(d)).index() == usize::from(w)
                    && layout
                        .reported_intervals()
                        .iter()
                        .any(|&i| i / cal.intervals_per_day == d)
            })
            .count() as u32
    });
    Frame {
        scenario: ScenarioInfo::of(model),
        run,
        names,
        days,
        intervals,
        time_of_day,
        weekdays,
    }
}

/// Everything of [`RunResults`] but the figures.
pub(super) struct Frame {
    pub scenario: ScenarioInfo,
    pub run: RunInfo,
    pub names: Names,
    pub days: Vec<Day>,
    pub intervals: Vec<Interval>,
    pub time_of_day: Vec<Slot>,
    pub weekdays: Vec<WeekdayPeriod>,
}

/// The weekdays with figures and their hours, in order of first appearance;
/// `days(w)` counts the days of weekday `w`.
pub(super) fn weekday_periods(entries: &[Entry], days: impl Fn(u8) -> u32) -> Vec<WeekdayPeriod> {
    let mut out: Vec<WeekdayPeriod> = Vec::new();
    for e in entries {
        match e.level {
            Level::Weekday(w) if !out.iter().any(|p| p.weekday.index() == usize::from(w)) => {
                out.push(WeekdayPeriod {
                    weekday: Weekday::ALL[usize::from(w) % 7],
                    days: days(w),
                    hours: Vec::new(),
                });
            }
            Level::WeekdayHour(w, h) => {
                if let Some(p) = out.iter_mut().find(|p| p.weekday.index() == usize::from(w))
                    && !p.hours.contains(&h)
                {
                    p.hours.push(h);
                }
            }
            _ => {}
        }
    }
    out
}

/// Numbers themes, lines and pools in order of first appearance.
#[derive(Default)]
struct Renumbering {
    names: Names,
    themes: HashMap<usize, usize>,
    lines: HashMap<usize, usize>,
    pools: HashMap<usize, usize>,
}

impl Renumbering {
    /// The entry with the model's indices replaced by the results' own.
    fn entry(&mut self, model: &Model, mut e: Entry) -> Entry {
        fn number(
            map: &mut HashMap<usize, usize>,
            names: &mut Vec<String>,
            i: usize,
            name: &str,
        ) -> usize {
            *map.entry(i).or_insert_with(|| {
                names.push(name.to_string());
                names.len() - 1
            })
        }
        let n = &mut self.names;
        e.scope = match e.scope {
            Scope::Theme(t, c) => Scope::Theme(
                number(&mut self.themes, &mut n.themes, t, &model.themes[t].name),
                c,
            ),
            Scope::Line(l, c) => Scope::Line(
                number(&mut self.lines, &mut n.lines, l, &model.lines[l].name),
                c,
            ),
            Scope::Pool(p) => Scope::Pool(number(
                &mut self.pools,
                &mut n.pools,
                p,
                &model.pools[p].name,
            )),
            other => other,
        };
        e
    }
}

/// The order of `summary.json`: levels (horizon, days, intervals, time of
/// day, weekdays, then the waiting-time distributions), periods in time
/// order (weekdays and their hours as first seen), then within a period
/// channels, themes, lines, pools and the total, each name and channel in
/// order of first appearance, metrics in layout order. Returns the layout
/// indices in that order.
fn canonical_order(entries: &[Entry]) -> Vec<usize> {
    /// Level block, period, hour within a weekday, scope kind.
    type Group = (u8, u64, u64, u8);
    /// Rank of `key` in order of first appearance among the keys of its map.
    fn rank<K: std::hash::Hash + Eq>(map: &mut HashMap<K, u64>, key: K) -> u64 {
        let n = map.len() as u64;
        *map.entry(key).or_insert(n)
    }
    let mut weekdays: HashMap<u8, u64> = HashMap::default();
    let mut hours: HashMap<u8, HashMap<u8, u64>> = HashMap::default();
    let mut names: HashMap<Group, HashMap<usize, u64>> = HashMap::default();
    let mut channels: HashMap<(Group, usize), HashMap<Channel, u64>> = HashMap::default();
    let mut waits: HashMap<Channel, u64> = HashMap::default();
    let mut keys: Vec<((Group, u64, u64, u8), usize)> = Vec::with_capacity(entries.len());
    for (position, e) in entries.iter().enumerate() {
        if let (true, Scope::Channel(c)) = (e.metric.is_wait_point(), e.scope) {
            let kind = u8::from(matches!(e.metric, Metric::AbandonedWithin(_)));
            keys.push((((5, rank(&mut waits, c), 0, 0), 0, 0, kind), position));
            continue;
        }
        let (block, period, sub) = match e.level {
            Level::Horizon => (0, 0, 0),
            Level::Day(d) => (1, u64::from(d), 0),
            Level::Interval(i) => (2, u64::from(i), 0),
            Level::TimeOfDay(s) => (3, u64::from(s), 0),
            Level::Weekday(w) => (4, rank(&mut weekdays, w), 0),
            Level::WeekdayHour(w, h) => (
                4,
                rank(&mut weekdays, w),
                1 + rank(hours.entry(w).or_default(), h),
            ),
        };
        // A channel scope's name is its channel; a theme's or a line's
        // figures are grouped by name, then by channel.
        let (kind, name, channel) = match e.scope {
            Scope::Channel(c) => (0, c.index(), None),
            Scope::Theme(t, c) => (1, t, Some(c)),
            Scope::Line(l, c) => (2, l, Some(c)),
            Scope::Pool(p) => (3, p, None),
            Scope::Total => (4, 0, None),
        };
        let group: Group = (block, period, sub, kind);
        let name_rank = rank(names.entry(group).or_default(), name);
        let channel_rank = match channel {
            Some(c) => rank(channels.entry((group, name)).or_default(), c),
            None => 0,
        };
        keys.push(((group, name_rank, channel_rank, 0), position));
    }
    keys.sort_unstable();
    keys.into_iter().map(|(_, p)| p).collect()
}
