//! The extra agents per interval that keep everybody's reachability at the
//! base's, for one volume case: first estimated with Erlang A per interval
//! (the one interval-load model of [`crate::planning::load`]), then checked
//! by simulation, paired with the base, and raised in the intervals of the
//! week that are still significantly below the base.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use indexmap::IndexMap;

use crate::erlang::QueueFigures;
use crate::model::{Channel, Model, Weekday};
use crate::montecarlo::{self, RunError, RunResult};
use crate::planning::load::{Email, IntervalLoad};
use crate::stats::{Estimate, Level, Metric, Scope};

use super::figures::{Figures, diff, iso_week};
use super::reachability::active_channels;
use super::{Band, CheckRow, ExtraAgents, Input, IntervalAgents, SlotAgents, WeekAgents};

/// An interval of the week: weekday (Monday 0) and interval of the day.
type Cell = (usize, usize);

/// The most extra agents on duty Erlang A may ask for in one interval.
const MOST: u32 = 2_000;

/// The score Erlang A gives `agents` at a load: reachability, or with
/// infinitely patient callers the service level (a stable Erlang C queue
/// answers everyone); 0 where it cannot be computed.
fn erlang_score(load: &IntervalLoad, threshold: f64, agents: u32) -> f64 {
    match load.figures(agents, threshold) {
        Some(f) => score(load, &f),
        None => 0.0,
    }
}

/// Reachability, or the service level where nobody abandons.
fn score(load: &IntervalLoad, f: &QueueFigures) -> f64 {
    if load.patience.is_finite() {
        f.reachability
    } else {
        f.service_level
    }
}

/// The fewest agents on duty to add to `agents` so that the load `with`
/// scores (Erlang A) at least what `agents` score at the load `without`
/// (at most [`MOST`]).
fn extra_on_duty(without: &IntervalLoad, with: &IntervalLoad, threshold: f64, agents: u32) -> u32 {
    let target = erlang_score(without, threshold, agents) - 1e-9;
    if erlang_score(with, threshold, agents) >= target {
        return 0;
    }
    // The score grows with the agents, so the fewest agents that reach the
    // target are more than `agents`.
    with.fewest_agents(threshold, agents + MOST, |f| score(with, f) >= target)
        .map_or(MOST, |n| n.saturating_sub(agents))
}

/// One case's question: the first serving pool, in the base and with the theme.
struct Case<'a> {
    input: &'a Input<'a>,
    base: &'a Model,
    with: &'a Model,
    base_run: &'a RunResult,
    /// The pool's index in the base.
    pb: usize,
    /// The pool's index with the theme.
    pw: usize,
    /// The horizon intervals of the active days.
    active_intervals: Vec<usize>,
}

/// What the simulated checks found.
struct Checked {
    checks: u32,
    reached: bool,
    short_slots: Vec<String>,
    check: Vec<CheckRow>,
}

/// The extra agents of one case (`with` is the base with the theme at `band`).
pub(super) fn for_band(
    input: &Input,
    band: Band,
    with: &Model,
    base_run: &RunResult,
    active: &[u32],
    progress: &(dyn Fn() + Sync),
) -> Result<ExtraAgents, RunError> {
    let base = &input.base.model;
    let per_day = base.calendar.intervals_per_day as usize;
    let pool_name = input.theme.served_by.first().cloned().unwrap_or_default();
    let position = |m: &Model| {
        m.pools
            .iter()
            .position(|p| p.name == pool_name)
            .unwrap_or(0)
    };
    let case = Case {
        input,
        base,
        with,
        base_run,
        pb: position(base),
        pw: position(with),
        active_intervals: active
            .iter()
            .flat_map(|&d| d as usize * per_day..(d as usize + 1) * per_day)
            .collect(),
    };
    let mut extra = case.erlang_estimate();
    let erlang_agent_hours = case.hours(&extra);
    let cells = case.cells();
    let checked = case.check_and_raise(&mut extra, &cells, active, progress)?;
    Ok(case.summary(band, &extra, &cells, active, erlang_agent_hours, checked))
}

impl Case<'_> {
    /// The pool that gets the extra agents: the first that serves the theme.
    fn pool_name(&self) -> String {
        self.input
            .theme
            .served_by
            .first()
            .cloned()
            .unwrap_or_default()
    }

    fn shrinkage(&self) -> f64 {
        self.with.pools[self.pw].shrinkage
    }

    /// Agent hours of extra agents per interval.
    fn hours(&self, extra: &[u32]) -> f64 {
        let cal = &self.base.calendar;
        extra.iter().map(|&x| f64::from(x)).sum::<f64>() * cal.interval / 3600.0
    }

    /// Erlang A: per active interval with agents in the base, the fewest
    /// extra agents on duty that keep the interval's Erlang A reachability
    /// at its value without the theme, as scheduled agents (before shrinkage).
    fn erlang_estimate(&self) -> Vec<u32> {
        let (base, with, pb, pw) = (self.base, self.with, self.pb, self.pw);
        let shrinkage = self.shrinkage();
        let threshold = with.channel(Channel::Call).service_level_threshold.max(1.0);
        let on_duty: Vec<bool> = base.pools[pb].available.iter().map(|&n| n > 0).collect();
        let to_scheduled = |i: usize, on_duty_extra: u32| -> u32 {
            let sched = with.pools[pw].scheduled[i];
            let want = with.pools[pw].available[i] + on_duty_extra;
            (0..=10_000u32)
                .find(|&y| ((sched + f64::from(y)) * (1.0 - shrinkage)).round() as u32 >= want)
                .unwrap_or(10_000)
        };
        let mut extra = vec![0u32; base.calendar.intervals()];
        for &i in &self.active_intervals {
            let n0 = base.pools[pb].available[i];
            if n0 == 0 {
                continue;
            }
            let without = IntervalLoad::of_pool(base, pb, i, Email::SpreadOverDuty(&on_duty));
            let load = IntervalLoad::of_pool(with, pw, i, Email::SpreadOverDuty(&on_duty));
            if load.rate <= 0.0 || load.work <= without.work {
                continue;
            }
            let x = extra_on_duty(&without, &load, threshold, n0);
            if x > 0 {
                extra[i] = to_scheduled(i, x);
            }
        }
        extra
    }

    /// The cells of the week (weekday × interval of the day) in the active
    /// period, with their intervals in which some line is open.
    fn cells(&self) -> BTreeMap<Cell, Vec<usize>> {
        let cal = &self.base.calendar;
        let per_day = cal.intervals_per_day as usize;
        let reported: HashSet<u32> = self
            .base_run
            .layout
            .reported_intervals()
            .iter()
            .copied()
            .collect();
        let mut cells: BTreeMap<Cell, Vec<usize>> = BTreeMap::new();
        for &i in &self.active_intervals {
            if reported.contains(&(i as u32)) {
                let date = cal.date((i / per_day) as u32);
                cells
                    .entry((Weekday::of(date).index(), i % per_day))
                    .or_default()
                    .push(i);
            }
        }
        cells
    }

    /// The live channels of the base and the theme, as scopes.
    fn live(&self) -> Vec<Scope> {
        self.base
            .active_channels()
            .into_iter()
            .chain(self.with.active_channels())
            .filter(|c| c.is_live())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(Scope::Channel)
            .collect()
    }

    /// Simulates the theme with the extra agents (at most `max_checks`
    /// times) and, while some cell of the week (or the active period as a
    /// whole) is significantly below the base, adds an agent in the short
    /// cells' intervals.
    fn check_and_raise(
        &self,
        extra: &mut [u32],
        cells: &BTreeMap<Cell, Vec<usize>>,
        active: &[u32],
        progress: &(dyn Fn() + Sync),
    ) -> Result<Checked, RunError> {
        let cal = &self.base.calendar;
        let max_checks = self.input.max_checks.max(1);
        let shrinkage = self.shrinkage();
        let live = self.live();
        let cell_base = cell_ratios(self.base_run, cells, &live);
        let day_levels: Vec<Level> = active.iter().map(|&d| Level::Day(d)).collect();
        let label =
            |(w, slot): Cell| format!("{} {}", Weekday::ALL[w].name(), cal.interval_label(slot).1);
        let mut checked = Checked {
            checks: 0,
            reached: false,
            short_slots: Vec::new(),
            check: Vec::new(),
        };
        while checked.checks < max_checks {
            checked.checks += 1;
            let model = self.staffed(extra, shrinkage);
            let run = montecarlo::run(&model, self.input.options, progress)?;
            let cell_with = cell_ratios(&run, cells, &live);
            let differences: Vec<(Cell, Estimate)> = cell_base
                .iter()
                .map(|(k, base)| (*k, Estimate::from_values(&diff(base, &cell_with[k]))))
                .collect();
            // Which cells are significantly below the base?
            let mut short: Vec<(Cell, f64)> = differences
                .iter()
                .filter_map(|(k, d)| match (d.mean, d.ci_high) {
                    (Some(m), Some(h)) if h < 0.0 => Some((*k, m)),
                    _ => None,
                })
                .collect();
            checked.check = check_rows(self.base, self.base_run, &model, &run, &day_levels, &live);
            let overall_short = checked
                .check
                .iter()
                .filter(|r| r.over == "active")
                .any(|r| r.difference.ci_high.is_some_and(|h| h < 0.0));
            checked.short_slots = short.iter().map(|(k, _)| label(*k)).collect();
            if short.is_empty() && !overall_short {
                checked.reached = true;
                break;
            }
            if checked.checks >= max_checks {
                break;
            }
            if short.is_empty() {
                // Short overall but in no cell on its own: help the worst cell.
                let worst = differences
                    .iter()
                    .map(|(k, d)| (*k, d.mean.unwrap_or(0.0)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                short.extend(worst);
            }
            self.raise(extra, cells, &short);
        }
        Ok(checked)
    }

    /// The theme's model with `extra` agents scheduled on the pool, each
    /// interval's available agents recomputed with the `shrinkage`.
    fn staffed(&self, extra: &[u32], shrinkage: f64) -> Model {
        let mut model = self.with.clone();
        let pool = &mut model.pools[self.pw];
        for (i, &x) in extra.iter().enumerate() {
            if x > 0 {
                pool.scheduled[i] += f64::from(x);
                pool.available[i] = (pool.scheduled[i] * (1.0 - shrinkage)).round() as u32;
            }
        }
        model
    }

    /// Adds an agent in every interval of the `short` cells that is staffed
    /// (in the base or by an extra agent already).
    fn raise(&self, extra: &mut [u32], cells: &BTreeMap<Cell, Vec<usize>>, short: &[(Cell, f64)]) {
        for (k, _) in short {
            for &i in &cells[k] {
                if self.base.pools[self.pb].available[i] > 0 || extra[i] > 0 {
                    extra[i] += 1;
                }
            }
        }
    }

    /// The extra agents per interval of the week, per date and interval,
    /// and per ISO week, with their hours and cost.
    fn summary(
        &self,
        band: Band,
        extra: &[u32],
        cells: &BTreeMap<Cell, Vec<usize>>,
        active: &[u32],
        erlang_agent_hours: f64,
        checked: Checked,
    ) -> ExtraAgents {
        let cal = &self.base.calendar;
        let by_slot = self.by_slot(extra, cells);
        let by_interval = extra
            .iter()
            .enumerate()
            .filter(|(_, x)| **x > 0)
            .map(|(i, &agents)| {
                let (day, start) = cal.interval_label(i);
                IntervalAgents {
                    date: cal.date(day).to_string(),
                    start,
                    agents,
                }
            })
            .collect();
        let price = self.input.hour_price().0;
        let weeks = self.weeks(extra, active);
        let agent_hours = self.hours(extra);
        ExtraAgents {
            band,
            pool: self.pool_name(),
            shrinkage: self.shrinkage(),
            erlang_agent_hours,
            checks: checked.checks,
            reached: checked.reached,
            short_slots: checked.short_slots,
            by_slot,
            by_interval,
            weeks,
            agent_hours,
            cost: price.map(|p| p * agent_hours),
            check: checked.check,
        }
    }

    /// The extra agents per interval of the week that has any: the most and
    /// the mean over its dates.
    fn by_slot(&self, extra: &[u32], cells: &BTreeMap<Cell, Vec<usize>>) -> Vec<SlotAgents> {
        let cal = &self.base.calendar;
        let mut by_slot = Vec::new();
        for (k, is) in cells {
            let values: Vec<u32> = is.iter().map(|&i| extra[i]).collect();
            let max = values.iter().copied().max().unwrap_or(0);
            if max == 0 {
                continue;
            }
            by_slot.push(SlotAgents {
                weekday: Weekday::ALL[k.0].name().to_string(),
                start: cal.interval_label(k.1).1,
                max,
                mean: values.iter().map(|&x| f64::from(x)).sum::<f64>() / values.len() as f64,
            });
        }
        by_slot
    }

    /// The extra agent hours and their cost per ISO week of the active days.
    fn weeks(&self, extra: &[u32], active: &[u32]) -> Vec<WeekAgents> {
        let cal = &self.base.calendar;
        let per_day = cal.intervals_per_day as usize;
        let mut week_hours: IndexMap<String, f64> = IndexMap::new();
        for &d in active {
            let h: f64 = extra[d as usize * per_day..(d as usize + 1) * per_day]
                .iter()
                .map(|&x| f64::from(x))
                .sum::<f64>()
                * cal.interval
                / 3600.0;
            *week_hours.entry(iso_week(cal.date(d))).or_default() += h;
        }
        let price = self.input.hour_price().0;
        week_hours
            .into_iter()
            .map(|(week, agent_hours)| WeekAgents {
                week,
                agent_hours,
                cost: price.map(|p| p * agent_hours),
            })
            .collect()
    }
}

/// Per cell of the week, the reachability of its intervals (over the `live`
/// scopes) in each replication of `run`.
fn cell_ratios(
    run: &RunResult,
    cells: &BTreeMap<Cell, Vec<usize>>,
    live: &[Scope],
) -> BTreeMap<Cell, Vec<f64>> {
    let fig = Figures::new(run);
    cells
        .iter()
        .map(|(k, is)| {
            let levels: Vec<Level> = is.iter().map(|&i| Level::Interval(i as u32)).collect();
            (*k, fig.ratio(&levels, live))
        })
        .collect()
}

/// Reachability with the extra agents against the base: over the horizon
/// per channel and total, and over the active period.
fn check_rows(
    base: &Model,
    base_run: &RunResult,
    with: &Model,
    run: &RunResult,
    day_levels: &[Level],
    live: &[Scope],
) -> Vec<CheckRow> {
    let (fb, fw) = (Figures::new(base_run), Figures::new(run));
    let row = |over: &str, channel: &str, b: Vec<f64>, w: Vec<f64>| CheckRow {
        over: over.into(),
        channel: channel.into(),
        base: Estimate::from_values(&b),
        with_extra: Estimate::from_values(&w),
        difference: Estimate::from_values(&diff(&b, &w)),
    };
    let mut rows = Vec::new();
    for c in active_channels(base, with) {
        let b = fb.column(Level::Horizon, Scope::Channel(c), Metric::Reachability);
        let w = fw.column(Level::Horizon, Scope::Channel(c), Metric::Reachability);
        rows.push(row("horizon", c.name(), b, w));
    }
    let b = fb.column(Level::Horizon, Scope::Total, Metric::Reachability);
    let w = fw.column(Level::Horizon, Scope::Total, Metric::Reachability);
    rows.push(row("horizon", "total", b, w));
    for (name, scopes) in [("live", live.to_vec()), ("total", vec![Scope::Total])] {
        let b = fb.ratio(day_levels, &scopes);
        let w = fw.ratio(day_levels, &scopes);
        rows.push(row("active", name, b, w));
    }
    rows
}
