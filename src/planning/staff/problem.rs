//! The staffing problem, fixed before the search starts: the targets
//! resolved against the model (metrics, thresholds, counted streams), the
//! pool to staff, the intervals in which it is staffed, and its Erlang A
//! load per interval.

use std::sync::Mutex;

use crate::erlang::QueueFigures;
use crate::model::{Channel, Model};
use crate::montecarlo::RunOptions;
use crate::planning::load::{Email, IntervalLoad};
use crate::planning::target::{Target, TargetMetric};

use super::{Per, StaffError, StaffOptions};

/// A target's metric with its threshold resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Metric {
    /// Answered / offered.
    Reachability,
    /// Answered within the threshold (seconds) / offered.
    ServiceLevel(f64),
    /// E-mail: picked up by the deadline / e-mails whose fate is known.
    EmailReachability,
}

impl Metric {
    /// The service-level threshold Erlang A is asked with (0 for reachability).
    pub(super) fn threshold(self) -> f64 {
        match self {
            Metric::Reachability | Metric::EmailReachability => 0.0,
            Metric::ServiceLevel(t) => t,
        }
    }
}

/// A figure the simulation measures: a metric over some streams, and the
/// share it must reach.
#[derive(Debug, Clone)]
pub(super) struct Goal {
    pub(super) metric: Metric,
    pub(super) value: f64,
    /// Streams counted.
    pub(super) streams: Vec<usize>,
}

/// One pool the search staffs.
#[derive(Debug, Clone)]
pub(super) struct Staffed {
    /// Index in the model's pools.
    pub(super) index: usize,
    /// Its goals (indices into `Problem::objectives`): the targets restricted
    /// to the streams this pool is the one to staff for.
    pub(super) objectives: Vec<usize>,
    /// Whether it is staffed for e-mail, per day, flat over its open hours.
    pub(super) email: bool,
    /// Per day: whether one of its lines works that day.
    pub(super) working: Vec<bool>,
    /// The most agents the search gives one of its intervals.
    pub(super) cap: u32,
}

/// Everything the search needs, fixed before it starts.
///
/// The staffing searched is one vector of `pools.len() × intervals` agents
/// on duty, pool after pool: slot `k` is pool `k / intervals`, horizon
/// interval `k % intervals`.
pub(super) struct Problem {
    /// The model with the targets' thresholds; staffing changed per simulation.
    pub(super) model: Model,
    /// The pools staffed.
    pub(super) pools: Vec<Staffed>,
    /// The targets over every stream they count (the final check).
    pub(super) goals: Vec<Goal>,
    /// The targets per staffed pool (the search), each owned by one pool.
    pub(super) objectives: Vec<Goal>,
    /// Per objective: the target it restricts.
    pub(super) objective_goal: Vec<usize>,
    pub(super) per: Per,
    /// Per slot: whether the pool is staffed there.
    pub(super) active: Vec<bool>,
    /// Per slot: the pool's live load on its own streams, as Erlang A sees it.
    pub(super) loads: Vec<IntervalLoad>,
    /// Erlang A's figure of each objective's metric per slot and number of
    /// agents, computed once each: the correction asks for the same ones
    /// step after step.
    pub(super) erlang: ErlangMemo,
    /// Classes of days alike in the model (the same expected arrivals of
    /// every stream, opening hours and staffing of the pools not searched),
    /// each with its days in date order: the search pools their figures and
    /// gives them the same staffing.
    pub(super) classes: Vec<Vec<usize>>,
    pub(super) options: RunOptions,
    /// Replications of the final check.
    pub(super) check_replications: u32,
}

impl Problem {
    /// Resolves the options against the model.
    pub(super) fn new(model: &Model, options: &StaffOptions) -> Result<Problem, StaffError> {
        check_options(options)?;
        let mut model = model.clone();
        set_thresholds(&mut model, &options.targets)?;
        let goals = goals(&model, &options.targets)?;
        let chosen = choose_pools(&model, options, &goals)?;
        let intervals = model.calendar.intervals();
        let mut pools = Vec::new();
        let mut objectives = Vec::new();
        let mut objective_goal = Vec::new();
        let mut active = Vec::with_capacity(chosen.len() * intervals);
        let mut loads = Vec::with_capacity(chosen.len() * intervals);
        for (index, owned) in chosen {
            let mut mine = Vec::new();
            for (gi, goal) in goals.iter().enumerate() {
                let streams: Vec<usize> = goal
                    .streams
                    .iter()
                    .copied()
                    .filter(|s| owned.contains(s))
                    .collect();
                if !streams.is_empty() {
                    mine.push(objectives.len());
                    objective_goal.push(gi);
                    objectives.push(Goal {
                        metric: goal.metric,
                        value: goal.value,
                        streams,
                    });
                }
            }
            let email = owned
                .iter()
                .all(|&s| model.streams[s].channel == Channel::Email);
            if !email
                && owned
                    .iter()
                    .any(|&s| model.streams[s].channel == Channel::Email)
            {
                return Err(StaffError::Options(format!(
                    "pool {} is the one to staff for both targeted calls or chats and targeted e-mail; e-mail is staffed per day by a pool of its own (an e-mail desk): target one or the other for this pool",
                    model.pools[index].name
                )));
            }
            let (working, pool_active) = working_and_active(&model, index, email);
            let mut own = model.clone();
            own.pools[index]
                .skills
                .retain(|k| owned.contains(&k.stream));
            let pool_loads: Vec<IntervalLoad> = (0..intervals)
                .map(|i| IntervalLoad::of_pool(&own, index, i, Email::Ignored))
                .collect();
            let cap = if email {
                email_cap(&model, index, &owned)
            } else {
                let max_load = pool_loads
                    .iter()
                    .map(IntervalLoad::offered_erlangs)
                    .fold(0.0_f64, f64::max);
                ((max_load * 4.0) as u32 + 50).min(100_000)
            };
            active.extend(pool_active);
            loads.extend(pool_loads);
            pools.push(Staffed {
                index,
                objectives: mine,
                email,
                working,
                cap,
            });
        }
        let classes = day_classes(&model, &pools);
        let erlang = ErlangMemo::new(objectives.len() * active.len());
        Ok(Problem {
            model,
            pools,
            goals,
            objectives,
            objective_goal,
            per: options.per,
            active,
            erlang,
            loads,
            classes,
            options: RunOptions {
                replications: options.replications,
                seed: options.seed,
                threads: options.threads,
            },
            check_replications: options.check_replications,
        })
    }

    /// Horizon intervals.
    pub(super) fn intervals(&self) -> usize {
        self.model.calendar.intervals()
    }

    /// The staffed pool (index into `pools`) and horizon interval of slot `k`.
    pub(super) fn slot(&self, k: usize) -> (usize, usize) {
        let n = self.intervals();
        (k / n, k % n)
    }

    /// The most agents slot `k` may get.
    pub(super) fn cap(&self, k: usize) -> u32 {
        self.pools[self.slot(k).0].cap
    }

    /// The target (index into `goals`) objective `o` restricts.
    pub(super) fn goal_of_objective(&self, o: usize) -> usize {
        self.objective_goal[o]
    }

    /// The objectives of the pool of slot `k`.
    pub(super) fn objectives_of(&self, k: usize) -> &[usize] {
        &self.pools[self.slot(k).0].objectives
    }
}

/// The Erlang A figure of a target's metric with `n` agents at a load
/// (everything is reached where nothing arrives).
pub(super) fn figure(load: &IntervalLoad, metric: Metric, n: u32) -> f64 {
    if load.rate <= 0.0 {
        return 1.0;
    }
    // No agents, or Erlang C without patience at or above the load: nobody is served.
    load.figures(n, metric.threshold())
        .map_or(0.0, |f| pick(&f, metric))
}

/// A metric's figure.
pub(super) fn pick(f: &QueueFigures, metric: Metric) -> f64 {
    match metric {
        Metric::Reachability | Metric::EmailReachability => f.reachability,
        Metric::ServiceLevel(_) => f.service_level,
    }
}

/// Erlang A's figures of the objectives, per objective, slot and number of
/// agents, each computed the first time it is asked for (NaN until then).
/// A figure is a pure function of the slot's load, the metric and the
/// agents, so the memo changes no result, only the time the correction
/// spends in Erlang A (most of it, before: the same figures step after step).
pub(super) struct ErlangMemo {
    /// `[objective * slots + slot][agents]`.
    cells: Vec<Mutex<Vec<f64>>>,
}

impl ErlangMemo {
    fn new(cells: usize) -> ErlangMemo {
        ErlangMemo {
            cells: (0..cells).map(|_| Mutex::new(Vec::new())).collect(),
        }
    }
}

impl Problem {
    /// Erlang A's figure of objective `g`'s metric in slot `k` with `n`
    /// agents ([`figure`] at the slot's load), memoised.
    pub(super) fn erlang_figure(&self, g: usize, k: usize, n: u32) -> f64 {
        let compute = || figure(&self.loads[k], self.objectives[g].metric, n);
        let Some(cell) = self.erlang.cells.get(g * self.active.len() + k) else {
            return compute();
        };
        // A poisoned lock only means another thread panicked mid-update of
        // a cache: its values are still right or NaN.
        let mut row = cell.lock().unwrap_or_else(|e| e.into_inner());
        let n = n as usize;
        if row.len() <= n {
            row.resize(n + 1, f64::NAN);
        }
        if row[n].is_nan() {
            row[n] = compute();
        }
        row[n]
    }
}

/// The most agents an e-mail desk may get on a day: enough to work a
/// day's e-mails of the busiest day within one hour, and 50 more.
fn email_cap(model: &Model, pool: usize, owned: &[usize]) -> u32 {
    let cal = &model.calendar;
    let per_day = cal.intervals_per_day as usize;
    let _ = pool;
    let busiest = (0..cal.days as usize)
        .map(|d| {
            owned
                .iter()
                .map(|&s| {
                    let st = &model.streams[s];
                    st.expected[d * per_day..(d + 1) * per_day]
                        .iter()
                        .sum::<f64>()
                        * st.handle_time.mean()
                })
                .sum::<f64>()
        })
        .fold(0.0_f64, f64::max);
    ((busiest / 3600.0) as u32 + 50).min(100_000)
}

/// Groups the days into classes of days alike in the model: the same
/// expected arrivals of every stream in every interval, the same working
/// days and opening hours of every line, the same staffing and extra support
/// of every pool not searched and the same extra support of those searched.
/// Classes are numbered in the order of their first day.
fn day_classes(model: &Model, pools: &[Staffed]) -> Vec<Vec<usize>> {
    let cal = &model.calendar;
    let per_day = cal.intervals_per_day as usize;
    let searched: Vec<usize> = pools.iter().map(|p| p.index).collect();
    let mut index: std::collections::HashMap<Vec<u64>, usize> = std::collections::HashMap::new();
    let mut classes: Vec<Vec<usize>> = Vec::new();
    // What one day is in the model.
    let raw = |d: usize| -> Vec<u64> {
        let range = d * per_day..(d + 1) * per_day;
        let mut key: Vec<u64> = Vec::new();
        for s in &model.streams {
            key.extend(s.expected[range.clone()].iter().map(|x| x.to_bits()));
        }
        for l in 0..model.lines.len() {
            match model.line_window(l, d as u32) {
                Some((open, close)) => {
                    let midnight = d as f64 * 86_400.0;
                    key.push((open - midnight).to_bits());
                    key.push((close - midnight).to_bits());
                }
                None => key.push(u64::MAX),
            }
        }
        for (p, pool) in model.pools.iter().enumerate() {
            for i in range.clone() {
                if !searched.contains(&p) {
                    key.push(u64::from(pool.available.get(i).copied().unwrap_or(0)));
                    key.push(pool.scheduled.get(i).copied().unwrap_or(0.0).to_bits());
                }
                key.push(u64::from(pool.extra.get(i).copied().unwrap_or(0)));
            }
        }
        key
    };
    let days = cal.days as usize;
    for d in 0..days {
        // A day and the two before it: what carries over (the e-mail backlog
        // an agent works when idle, after a weekend or a holiday) differs
        // after days that differ. Before the horizon, the days a week later
        // stand in (the first week as if the week before were alike).
        let mut key = raw(d);
        for back in 1..=2 {
            let e = if d >= back { d - back } else { d + 7 - back };
            if e < days {
                key.extend(raw(e));
            }
            key.push(u64::MAX - 1);
        }
        let next = classes.len();
        let c = *index.entry(key).or_insert(next);
        if c == next {
            classes.push(Vec::new());
        }
        classes[c].push(d);
    }
    classes
}

fn check_options(options: &StaffOptions) -> Result<(), StaffError> {
    if options.targets.is_empty() {
        return Err(StaffError::NoTargets);
    }
    if options.replications < 2 || options.check_replications < 2 {
        return Err(StaffError::Options(
            "--replications must be at least 2 (the search needs a confidence interval)".into(),
        ));
    }
    if options.threads == Some(0) {
        return Err(StaffError::Options("--threads must be at least 1".into()));
    }
    Ok(())
}

/// Service-level thresholds: the targets' own, one per channel.
fn set_thresholds(model: &mut Model, targets: &[Target]) -> Result<(), StaffError> {
    let mut thresholds: [Option<f64>; Channel::COUNT] = [None; Channel::COUNT];
    for t in targets {
        if let TargetMetric::ServiceLevel(Some(secs)) = t.metric {
            for &c in &t.channels {
                match thresholds[c.index()] {
                    Some(other) if other != secs => {
                        return Err(StaffError::ThresholdConflict {
                            channel: c.name().into(),
                            first: crate::model::duration::format_duration(other),
                            second: crate::model::duration::format_duration(secs),
                        });
                    }
                    _ => thresholds[c.index()] = Some(secs),
                }
            }
        }
    }
    for c in Channel::ALL {
        if let Some(t) = thresholds[c.index()] {
            model.channels[c.index()].service_level_threshold = t;
        }
    }
    Ok(())
}

/// The targets with their streams and resolved thresholds.
fn goals(model: &Model, targets: &[Target]) -> Result<Vec<Goal>, StaffError> {
    targets
        .iter()
        .map(|t| {
            let streams: Vec<usize> = (0..model.streams.len())
                .filter(|&s| t.counts(model.streams[s].channel))
                .collect();
            if streams.is_empty() {
                return Err(StaffError::NoDemand {
                    channels: names(&t.channels),
                    target: t.text.clone(),
                });
            }
            let metric = match t.metric {
                TargetMetric::Reachability if t.channels == [Channel::Email] => {
                    Metric::EmailReachability
                }
                TargetMetric::Reachability => Metric::Reachability,
                TargetMetric::ServiceLevel(_) => {
                    Metric::ServiceLevel(model.channel(t.channels[0]).service_level_threshold)
                }
            };
            Ok(Goal {
                metric,
                value: t.value,
                streams,
            })
        })
        .collect()
}

/// The pools to staff, each with the targeted streams it is the one to
/// staff for: `--pool` (repeatable), or every pool that serves a targeted
/// stream. A stream served by several of them belongs to the pool that
/// serves it at its best rank (the number of the pool's priority levels
/// before it): the frontline, taking e-mail only when idle, leaves the
/// e-mail to the e-mail desk. Two pools serving a stream at the same rank
/// are refused: which one to staff is the planner's choice.
fn choose_pools(
    model: &Model,
    options: &StaffOptions,
    goals: &[Goal],
) -> Result<Vec<(usize, Vec<usize>)>, StaffError> {
    let targeted: Vec<usize> = {
        let mut v: Vec<usize> = goals.iter().flat_map(|g| g.streams.clone()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let candidates: Vec<usize> = (0..model.pools.len())
        .filter(|&p| {
            model.pools[p]
                .skills
                .iter()
                .any(|k| targeted.contains(&k.stream))
        })
        .collect();
    let candidate_names = || {
        candidates
            .iter()
            .map(|&p| model.pools[p].name.clone())
            .collect::<Vec<_>>()
    };
    let all_channels: Vec<Channel> = {
        let mut v: Vec<Channel> = options
            .targets
            .iter()
            .flat_map(|t| t.channels.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let chosen: Vec<usize> = if options.pools.is_empty() {
        if candidates.is_empty() {
            return Err(StaffError::NoPool {
                channels: names(&all_channels),
            });
        }
        candidates.clone()
    } else {
        let mut chosen = Vec::new();
        for name in &options.pools {
            match model.pools.iter().position(|p| &p.name == name) {
                Some(p) if candidates.contains(&p) => {
                    if !chosen.contains(&p) {
                        chosen.push(p);
                    }
                }
                found => {
                    let what = if found.is_some() {
                        "serves none of the targeted channels"
                    } else {
                        "no such pool"
                    };
                    return Err(StaffError::BadPool {
                        name: name.clone(),
                        reason: format!(
                            "{what}; the pools serving {} are {}",
                            names(&all_channels),
                            candidate_names().join(", ")
                        ),
                    });
                }
            }
        }
        chosen
    };
    // The rank of stream `s` in pool `p`: its priority levels before it.
    let rank = |p: usize, s: usize| -> Option<usize> {
        let skills = &model.pools[p].skills;
        let own = skills.iter().find(|k| k.stream == s)?.priority;
        let mut before: Vec<u32> = skills
            .iter()
            .map(|k| k.priority)
            .filter(|&q| q < own)
            .collect();
        before.sort_unstable();
        before.dedup();
        Some(before.len())
    };
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); chosen.len()];
    for &s in &targeted {
        let ranked: Vec<(usize, usize)> = chosen
            .iter()
            .enumerate()
            .filter_map(|(c, &p)| rank(p, s).map(|r| (r, c)))
            .collect();
        let Some(best) = ranked.iter().map(|&(r, _)| r).min() else {
            continue;
        };
        let first: Vec<usize> = ranked
            .iter()
            .filter(|&&(r, _)| r == best)
            .map(|&(_, c)| c)
            .collect();
        if first.len() > 1 {
            return Err(StaffError::AmbiguousPool {
                candidates: first
                    .iter()
                    .map(|&c| model.pools[chosen[c]].name.clone())
                    .collect(),
            });
        }
        owned[first[0]].push(s);
    }
    let out: Vec<(usize, Vec<usize>)> = chosen
        .into_iter()
        .zip(owned)
        .filter(|(_, o)| !o.is_empty())
        .collect();
    if out.is_empty() {
        return Err(StaffError::NoPool {
            channels: names(&all_channels),
        });
    }
    Ok(out)
}

/// Per day, whether one of the pool's lines works; per horizon interval,
/// whether the pool is staffed: a working day on which one of the lines of
/// its calls and chats (of its e-mail, for an e-mail desk) is open during
/// the interval.
fn working_and_active(model: &Model, pool: usize, email: bool) -> (Vec<bool>, Vec<bool>) {
    let cal = &model.calendar;
    let live: Vec<usize> = model.pools[pool]
        .skills
        .iter()
        .map(|k| k.stream)
        .filter(|&s| model.streams[s].channel.is_live() != email)
        .collect();
    let lines: Vec<usize> = {
        let mut v: Vec<usize> = model.pools[pool]
            .skills
            .iter()
            .map(|k| model.streams[k.stream].line)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let live_lines: Vec<usize> = {
        let mut v: Vec<usize> = live.iter().map(|&s| model.streams[s].line).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let per_day = cal.intervals_per_day as usize;
    let working: Vec<bool> = (0..cal.days)
        .map(|d| {
            let date = cal.date(d);
            lines.iter().any(|&l| model.lines[l].is_working_day(date))
        })
        .collect();
    let active: Vec<bool> = (0..cal.intervals())
        .map(|i| {
            let day = (i / per_day) as u32;
            let start = cal.interval_start(i);
            let end = start + cal.interval;
            working[day as usize]
                && live_lines.iter().any(|&l| {
                    model
                        .line_window(l, day)
                        .is_some_and(|(open, close)| open < end && close > start)
                })
        })
        .collect();
    (working, active)
}

/// Channel names joined with "and".
fn names(channels: &[Channel]) -> String {
    channels
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(" and ")
}

#[cfg(test)]
mod tests {
    use super::super::{PlanKind, StaffOptions};
    use super::figure;
    use super::{Per, Problem};
    use crate::planning::target::Target;

    #[test]
    fn the_memo_gives_erlang_a_figures_back_whatever_the_order_asked() {
        let model =
            crate::scenario::parse_str(crate::scenario::QUICKSTART, "quickstart.toml", None)
                .unwrap()
                .model;
        let options = StaffOptions {
            targets: vec![
                "reachability>=0.9".parse::<Target>().unwrap(),
                "service_level(60s)>=0.8".parse::<Target>().unwrap(),
            ],
            per: Per::Interval,
            pools: Vec::new(),
            plan: PlanKind::PerDate,
            replications: 10,
            check_replications: 10,
            seed: 7,
            threads: None,
            max_iterations: 40,
        };
        let problem = Problem::new(&model, &options).unwrap();
        assert_eq!(problem.objectives.len(), 2);
        let slots: Vec<usize> = (0..problem.active.len())
            .filter(|&k| problem.active[k] && problem.loads[k].rate > 0.0)
            .take(12)
            .collect();
        assert!(!slots.is_empty());
        // Large n first (the row grows once), then small ones, twice over:
        // every figure is Erlang A's own, per objective and slot.
        for _ in 0..2 {
            for &k in &slots {
                for g in 0..2 {
                    let metric = problem.objectives[g].metric;
                    for n in [30, 2, 17, 0, 9, 30, 40] {
                        let want = figure(&problem.loads[k], metric, n);
                        assert_eq!(
                            problem.erlang_figure(g, k, n).to_bits(),
                            want.to_bits(),
                            "objective {g}, slot {k}, {n} agents"
                        );
                    }
                }
            }
        }
        // Reachability and service level differ somewhere: the memo keeps
        // them apart.
        assert!(
            slots
                .iter()
                .any(|&k| { problem.erlang_figure(0, k, 5) != problem.erlang_figure(1, k, 5) })
        );
    }
}
