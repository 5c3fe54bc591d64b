//! The staffing optimiser behind `ccsim staff`: the fewest agents per
//! interval of one pool that meet service targets in every interval (or on
//! every day), for time-varying load with carry-over between intervals.
//!
//! # The algorithm
//!
//! The pool's staffing `n(i)` (agents on duty, after shrinkage) is searched
//! per interval `i` of the horizon, in three phases. Every simulation uses
//! the same seed, so that two staffings are compared on the same arrivals,
//! handle times and patience (common random numbers) and the search is not
//! misled by noise.
//!
//! 1. **First guess, Erlang A per interval.** The interval's load on the pool
//!    (calls and chats of the streams it serves: arrival rate, mean handle
//!    time, a chat counting `1/concurrency` of an agent, mean patience) is
//!    taken as stationary, and `n₀(i)` is the fewest agents whose Erlang A
//!    figures meet every target. It ignores carry-over between intervals,
//!    closing time, other pools and non-exponential times.
//! 2. **Iterative staffing (ISA)** of Feldman, Mandelbaum, Massey and Whitt,
//!    "Staffing of time-varying queues to achieve time-stable performance",
//!    *Management Science* 54(2), 2008. Each interval gets the delay
//!    probability `α(i)` that Erlang A associates with its first guess. The
//!    system is simulated with staffing `nₖ`, recording the distribution of the
//!    number `L(t)` of contacts in the system (waiting or in service, in
//!    agents' worth); the next staffing is `nₖ₊₁(i) = min { n : P(L ≥ n) ≤ α(i) }`,
//!    the probability taken over the interval's time and the replications.
//!    This is repeated until the staffing no longer changes. ISA carries the
//!    load of one interval into the next as the simulation sees it, which is
//!    what a stationary formula cannot do.
//! 3. **Correction against the targets.** ISA stabilises the delay
//!    probability; the targets are about reachability and service level of
//!    the contacts arriving in an interval, including those closed out at
//!    closing time. So the staffing is simulated again and, interval by
//!    interval, raised where a target is missed and lowered where it is met
//!    with room to spare. How many agents to add or take away is predicted by
//!    Erlang A *calibrated* on the simulation (its figure shifted by the
//!    difference between the simulated and the Erlang A figure at the current
//!    staffing). A lowering that makes the interval (or the next one, through
//!    carry-over) miss is undone and that staffing becomes the interval's
//!    floor, so the search ends. It stops when every interval meets its
//!    targets and no interval can be lowered, or after `max_iterations`
//!    simulations in all; the best staffing that met every target is kept.
//!
//! With [`Per::Day`] the targets hold for each day's contacts together;
//! phase 3 then adds the agent where the calibrated Erlang A predicts the
//! largest gain in the day's answered contacts, and removes the one that
//! costs least, until the predicted day figure meets the target.
//!
//! # What "meets the target" means
//!
//! The figure of an interval (or day) is computed per replication, from the
//! contacts of the targeted channels that **arrived** in it, as `ccsim run`
//! reports it. During the search an interval meets a target when the
//! **lower end of the 95% confidence interval** of its mean over the
//! replications is at or above the target: the staffing is then, with 97.5%
//! confidence, enough *on average*, so that an independent run with other
//! random numbers sees the mean at or above the target too, instead of half
//! of the intervals that were staffed on the edge falling just below it.
//! Intervals in which no targeted contact arrives in any replication impose
//! nothing beyond the ISA staffing.
//!
//! The result is a **weekly pattern**: each weekday and time of day gets the
//! most agents any date of that weekday needed, because the scenario's
//! staffing table is weekly (`[pools.NAME.staffing]`). The **final check**
//! simulates that pattern with an independent seed (`seed + 1`) and reports,
//! per target, the mean and 95% CI over the horizon, the worst interval, the
//! intervals and days whose mean misses, and the share of simulated days
//! (replication × working day) whose day figure misses the target.

use std::fmt::Write as _;

use serde::Serialize;

use crate::erlang::QueueFigures;
use crate::model::{Channel, Model, Weekday};
use crate::montecarlo::{self, RunError, RunOptions};
use crate::scenario::edit::Editor;
use crate::stats::{Estimate, InSystem};

use super::load::{Email, IntervalLoad};
use super::target::{Target, TargetMetric};

/// Whether targets hold per interval or per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// In every interval.
    Interval,
    /// For every day's contacts together.
    Day,
}

/// What to optimise and how hard to try.
#[derive(Debug, Clone)]
pub struct StaffOptions {
    /// The targets, all of which must hold.
    pub targets: Vec<Target>,
    /// Per interval or per day.
    pub per: Per,
    /// The pool to staff; `None` when only one pool serves the targeted channels.
    pub pool: Option<String>,
    /// Replications per simulation (search and final check).
    pub replications: u32,
    /// Seed of the search; the final check uses `seed + 1`.
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Simulations the search may run (ISA and correction together).
    pub max_iterations: u32,
}

/// Why staffing cannot be optimised.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// No target was given.
    #[error("give at least one --target, e.g. --target reachability>=0.9")]
    NoTargets,
    /// The targeted channels have no demand in the scenario.
    #[error("the scenario has no {channels} volume to staff for ({target})")]
    NoDemand {
        /// Channel names.
        channels: String,
        /// The target.
        target: String,
    },
    /// No pool serves the targeted channels.
    #[error("no pool serves {channels}")]
    NoPool {
        /// Channel names.
        channels: String,
    },
    /// Several pools serve the targeted channels.
    #[error("several pools serve the targeted channels: {}; choose one with --pool NAME", candidates.join(", "))]
    AmbiguousPool {
        /// Their names.
        candidates: Vec<String>,
    },
    /// `--pool` names no suitable pool.
    #[error("--pool {name}: {reason}")]
    BadPool {
        /// The name given.
        name: String,
        /// Why not, naming the candidates.
        reason: String,
    },
    /// Two service-level targets ask for different thresholds on one channel.
    #[error(
        "the targets ask for two service-level thresholds on {channel} ({first} and {second}); use one"
    )]
    ThresholdConflict {
        /// The channel.
        channel: String,
        /// One threshold.
        first: String,
        /// The other.
        second: String,
    },
    /// The options make no sense.
    #[error("{0}")]
    Options(String),
    /// A simulation failed.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Something the optimiser tells while it works (for a progress bar).
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// A replication finished.
    Replication,
    /// A simulation of the search starts.
    Iteration {
        /// 1-based number of the simulation.
        number: u32,
        /// "ISA", "correction" or "final check".
        phase: &'static str,
        /// Agent hours of the staffing simulated.
        agent_hours: f64,
    },
}

/// How the search went.
#[derive(Debug, Clone, Serialize)]
pub struct Iterations {
    /// ISA simulations.
    pub isa: u32,
    /// Whether ISA reached a staffing that no longer changed.
    pub isa_converged: bool,
    /// Correction simulations.
    pub correction: u32,
    /// Whether the correction ended with every target met and nothing to lower.
    pub converged: bool,
}

/// A weekly staffing table of one pool, as `[pools.NAME.staffing]` holds it.
#[derive(Debug, Clone, Serialize)]
pub struct WeeklyPattern {
    /// Pool name.
    pub pool: String,
    /// Interval length, seconds.
    pub interval: f64,
    /// Shrinkage of the pool.
    pub shrinkage: f64,
    /// Agents on duty (after shrinkage) per weekday (Monday first) and interval of the day.
    pub available: Vec<Vec<u32>>,
    /// Agents scheduled (before shrinkage) per weekday and interval of the day.
    pub scheduled: Vec<Vec<u32>>,
    /// Weekdays that are working days of the pool on some date of the horizon.
    pub used: Vec<bool>,
}

/// The final check of one target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetCheck {
    /// The target as written.
    pub target: String,
    /// Metric, threshold and channel, e.g. `service_level(1m 00s).call`.
    pub label: String,
    /// The share to reach.
    pub value: f64,
    /// The figure over the whole horizon.
    pub horizon: Estimate,
    /// Intervals with targeted contacts.
    pub intervals: usize,
    /// Of those, intervals whose mean is below the target.
    pub intervals_below: usize,
    /// Intervals whose whole 95% CI is below the target.
    pub intervals_clearly_below: usize,
    /// The interval with the lowest mean: date, weekday, time and estimate.
    pub worst_interval: Option<(String, String, String, Estimate)>,
    /// Working days with targeted contacts.
    pub days: usize,
    /// Of those, days whose mean is below the target.
    pub days_below: usize,
    /// The day with the lowest mean: date, weekday and estimate.
    pub worst_day: Option<(String, String, Estimate)>,
    /// Share of simulated days (replication × day) whose figure misses the target.
    pub share_of_days_missing: f64,
    /// Days whose whole 95% CI is below the target.
    pub days_clearly_below: usize,
    /// Whether the target holds: no interval (per day: no day) whose whole
    /// 95% CI lies below it, i.e. none significantly below the target.
    pub met: bool,
}

/// The final check of a staffing.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Replications.
    pub replications: u32,
    /// Seed (independent of the search's).
    pub seed: u64,
    /// Per target.
    pub targets: Vec<TargetCheck>,
    /// Occupancy of the staffed pool over the horizon.
    pub occupancy: Estimate,
    /// Handling cost at the scenario's prices (all channels).
    pub cost: Estimate,
}

/// What `ccsim staff` found.
#[derive(Debug, Clone, Serialize)]
pub struct StaffResult {
    /// The staffed pool.
    pub pool: String,
    /// Targets.
    pub targets: Vec<String>,
    /// Per interval or per day.
    pub per: Per,
    /// Replications per simulation.
    pub replications: u32,
    /// Seed of the search.
    pub seed: u64,
    /// The staffing the search found per horizon interval (agents on duty).
    pub interval_staffing: Vec<u32>,
    /// Erlang A's first guess per horizon interval.
    pub first_guess: Vec<u32>,
    /// The weekly pattern (the most any date of each weekday needs).
    pub pattern: WeeklyPattern,
    /// How the search went.
    pub iterations: Iterations,
    /// Agent hours on duty over the horizon with the pattern.
    pub agent_hours: f64,
    /// Agent hours scheduled (paid) over the horizon with the pattern.
    pub scheduled_hours: f64,
    /// Agent hours on duty and scheduled with the scenario's own staffing.
    pub scenario_agent_hours: f64,
    /// Scheduled hours with the scenario's own staffing.
    pub scenario_scheduled_hours: f64,
    /// Agent hours of Erlang A's first guess.
    pub first_guess_agent_hours: f64,
    /// The final check of the pattern.
    pub check: Check,
}

/// The Erlang A figure of a target's metric with `n` agents at a load
/// (everything is reached where nothing arrives).
fn figure(load: &IntervalLoad, metric: Metric, n: u32) -> f64 {
    if load.rate <= 0.0 {
        return 1.0;
    }
    let threshold = match metric {
        Metric::Reachability => 0.0,
        Metric::ServiceLevel(t) => t,
    };
    // No agents, or Erlang C without patience at or above the load: nobody is served.
    load.figures(n, threshold).map_or(0.0, |f| pick(&f, metric))
}

fn pick(f: &QueueFigures, metric: Metric) -> f64 {
    match metric {
        Metric::Reachability => f.reachability,
        Metric::ServiceLevel(_) => f.service_level,
    }
}

/// A target's metric with its threshold resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Metric {
    Reachability,
    ServiceLevel(f64),
}

/// A target resolved against the model.
#[derive(Debug, Clone)]
struct Goal {
    metric: Metric,
    value: f64,
    /// Streams counted.
    streams: Vec<usize>,
}

/// Everything the search needs, fixed before it starts.
struct Problem {
    /// The model with the targets' thresholds; staffing changed per simulation.
    model: Model,
    pool: usize,
    goals: Vec<Goal>,
    per: Per,
    /// Per horizon interval: whether the pool is staffed there.
    active: Vec<bool>,
    loads: Vec<IntervalLoad>,
    /// Per day: whether one of the pool's lines works that day.
    working: Vec<bool>,
    options: RunOptions,
    cap: u32,
}

/// The figures of one simulation.
struct Evaluation {
    /// `[goal][interval]`.
    interval: Vec<Vec<Estimate>>,
    /// `[goal][day]`.
    day: Vec<Vec<Estimate>>,
    /// `[goal][interval]`: mean offered (denominator).
    offered: Vec<Vec<f64>>,
    /// `[interval][n]`: P(L ≥ n), the share of time with at least n agents' worth in the system.
    tail: Vec<Vec<f64>>,
    /// `[goal][replication * days + day]`.
    day_values: Vec<Vec<f64>>,
    /// `[goal]`.
    horizon: Vec<Estimate>,
    occupancy: Estimate,
    cost: Estimate,
}

/// Optimises the staffing of one pool of `model` for `options.targets`.
pub fn optimise(
    model: &Model,
    options: &StaffOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<StaffResult, StaffError> {
    let problem = Problem::new(model, options)?;
    let p = problem.pool;
    let intervals = model.calendar.intervals();

    // 1. Erlang A per interval.
    let mut alpha = vec![0.5; intervals];
    let first_guess: Vec<u32> = (0..intervals)
        .map(|i| {
            if !problem.active[i] {
                return 0;
            }
            let load = problem.loads[i];
            let n = problem.erlang_staffing(&load, &problem.goals_at(i));
            if n > 0 && load.rate > 0.0 {
                let figures = load.figures(n, 0.0);
                alpha[i] = figures.map_or(0.5, |f| f.p_wait).clamp(0.001, 0.999);
            }
            n
        })
        .collect();

    // 2. ISA.
    let mut number = 0u32;
    let mut staffing = first_guess.clone();
    let mut iterations = Iterations {
        isa: 0,
        isa_converged: false,
        correction: 0,
        converged: false,
    };
    let isa_budget = (options.max_iterations / 2).clamp(1, 10);
    let mut last: Option<Evaluation> = None;
    while iterations.isa < isa_budget {
        number += 1;
        iterations.isa += 1;
        let eval = problem.simulate(&staffing, number, "ISA", true, progress)?;
        let next: Vec<u32> = (0..intervals)
            .map(|i| {
                if !problem.active[i] {
                    return 0;
                }
                let tail = &eval.tail[i];
                (0..tail.len() as u32)
                    .find(|&n| tail[n as usize] <= alpha[i])
                    .unwrap_or(tail.len() as u32)
                    .min(problem.cap)
            })
            .collect();
        let same = next == staffing;
        if same {
            iterations.isa_converged = true;
            last = Some(eval);
            break;
        }
        staffing = next;
    }

    // 3. Correction against the targets.
    let mut floor = vec![0u32; intervals];
    let mut lowered_from: Vec<Option<u32>> = vec![None; intervals];
    let mut day_locked = vec![false; model.calendar.days as usize];
    let mut best: Option<(Vec<u32>, u64)> = None;
    while number < options.max_iterations.max(2) {
        let eval = match last.take() {
            Some(e) => e,
            None => {
                number += 1;
                iterations.correction += 1;
                problem.simulate(&staffing, number, "correction", false, progress)?
            }
        };
        let next = match problem.per {
            Per::Interval => {
                problem.correct_intervals(&staffing, &eval, &mut floor, &mut lowered_from)
            }
            Per::Day => problem.correct_days(&staffing, &eval, &mut day_locked, &mut lowered_from),
        };
        if next.all_met {
            let total: u64 = staffing.iter().map(|&n| u64::from(n)).sum();
            if best.as_ref().is_none_or(|(_, t)| total < *t) {
                best = Some((staffing.clone(), total));
            }
        }
        if next.staffing == staffing {
            iterations.converged = next.all_met;
            break;
        }
        staffing = next.staffing;
    }
    if let Some((b, _)) = best {
        staffing = b;
    }

    // The weekly pattern and its final check.
    let pattern = problem.pattern(&staffing);
    let final_staffing = problem.staffing_of_pattern(&pattern);
    let check_options = RunOptions {
        seed: options.seed.wrapping_add(1),
        ..problem.options
    };
    number += 1;
    let mut check_problem_model = problem.model.clone();
    apply(&mut check_problem_model, p, &final_staffing);
    progress(Progress::Iteration {
        number,
        phase: "final check",
        agent_hours: hours(model, &final_staffing),
    });
    let eval = problem.evaluate(&check_problem_model, check_options, false, progress)?;
    let check = problem.check(&eval, check_options, &options.targets);
    let hours_of = |pool: &crate::model::Pool| {
        (
            pool.available.iter().map(|&n| f64::from(n)).sum::<f64>() * model.calendar.interval
                / 3600.0,
            pool.scheduled.iter().sum::<f64>() * model.calendar.interval / 3600.0,
        )
    };
    let (agent_hours, scheduled_hours) = hours_of(&check_problem_model.pools[p]);
    let (scenario_agent_hours, scenario_scheduled_hours) = hours_of(&model.pools[p]);
    Ok(StaffResult {
        pool: model.pools[p].name.clone(),
        targets: options.targets.iter().map(|t| t.text.clone()).collect(),
        per: options.per,
        replications: options.replications,
        seed: options.seed,
        first_guess_agent_hours: hours(model, &first_guess),
        interval_staffing: staffing,
        first_guess,
        pattern,
        iterations,
        agent_hours,
        scheduled_hours,
        scenario_agent_hours,
        scenario_scheduled_hours,
        check,
    })
}

/// Agent hours of a staffing per interval.
fn hours(model: &Model, staffing: &[u32]) -> f64 {
    staffing.iter().map(|&n| f64::from(n)).sum::<f64>() * model.calendar.interval / 3600.0
}

/// The fewest scheduled agents that give `available` agents on duty after
/// the scenario's rounding (`round(scheduled × (1 − shrinkage))`, halves up).
pub fn scheduled_for(available: u32, shrinkage: f64) -> u32 {
    if available == 0 {
        return 0;
    }
    let keep = 1.0 - shrinkage;
    let mut s = ((f64::from(available) - 0.5) / keep).floor().max(0.0) as u32;
    while ((f64::from(s) * keep).round() as u32) < available {
        s += 1;
    }
    s
}

/// Sets a pool's staffing (agents on duty per interval) and its scheduled agents.
fn apply(model: &mut Model, pool: usize, staffing: &[u32]) {
    let shrinkage = model.pools[pool].shrinkage;
    let pool = &mut model.pools[pool];
    // The staffing becomes a table of the pool's own agents: its shifts no
    // longer describe it, and the extra support comes on top of it.
    pool.shifts.clear();
    pool.scheduled = staffing
        .iter()
        .map(|&n| f64::from(scheduled_for(n, shrinkage)))
        .collect();
    pool.available = staffing
        .iter()
        .enumerate()
        .map(|(i, &n)| n + pool.extra.get(i).copied().unwrap_or(0))
        .collect();
}

/// The next staffing of a correction step.
struct Step {
    staffing: Vec<u32>,
    all_met: bool,
}

impl Problem {
    fn new(model: &Model, options: &StaffOptions) -> Result<Problem, StaffError> {
        if options.targets.is_empty() {
            return Err(StaffError::NoTargets);
        }
        if options.replications < 2 {
            return Err(StaffError::Options(
                "--replications must be at least 2 (the search needs a confidence interval)".into(),
            ));
        }
        if options.threads == Some(0) {
            return Err(StaffError::Options("--threads must be at least 1".into()));
        }
        let mut model = model.clone();
        // Service-level thresholds: the targets' own, one per channel.
        let mut thresholds: [Option<f64>; Channel::COUNT] = [None; Channel::COUNT];
        for t in &options.targets {
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
        let mut goals = Vec::new();
        for t in &options.targets {
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
                TargetMetric::Reachability => Metric::Reachability,
                TargetMetric::ServiceLevel(_) => {
                    Metric::ServiceLevel(model.channel(t.channels[0]).service_level_threshold)
                }
            };
            goals.push(Goal {
                metric,
                value: t.value,
                streams,
            });
        }
        // The pool: one that serves a targeted stream.
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
        let pool = match &options.pool {
            Some(name) => match model.pools.iter().position(|p| &p.name == name) {
                Some(p) if candidates.contains(&p) => p,
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
            },
            None => match candidates.as_slice() {
                [] => {
                    return Err(StaffError::NoPool {
                        channels: names(&all_channels),
                    });
                }
                [p] => *p,
                _ => {
                    return Err(StaffError::AmbiguousPool {
                        candidates: candidate_names(),
                    });
                }
            },
        };
        // The pool's live load per interval.
        let cal = &model.calendar;
        let live: Vec<usize> = model.pools[pool]
            .skills
            .iter()
            .map(|k| k.stream)
            .filter(|&s| model.streams[s].channel.is_live())
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
        let loads: Vec<IntervalLoad> = (0..cal.intervals())
            .map(|i| IntervalLoad::of_pool(&model, pool, i, Email::Ignored))
            .collect();
        let max_load = loads
            .iter()
            .map(IntervalLoad::offered_erlangs)
            .fold(0.0_f64, f64::max);
        let cap = ((max_load * 4.0) as u32 + 50).min(100_000);
        Ok(Problem {
            model,
            pool,
            goals,
            per: options.per,
            active,
            loads,
            working,
            options: RunOptions {
                replications: options.replications,
                seed: options.seed,
                threads: options.threads,
            },
            cap,
        })
    }

    /// The goals (metric and target value) that interval `i` must meet in
    /// Erlang A's first guess.
    fn goals_at(&self, _i: usize) -> Vec<(Metric, f64)> {
        self.goals.iter().map(|g| (g.metric, g.value)).collect()
    }

    /// Fewest agents whose Erlang A figures meet every goal.
    fn erlang_staffing(&self, load: &IntervalLoad, goals: &[(Metric, f64)]) -> u32 {
        if load.rate <= 0.0 {
            return 0;
        }
        goals
            .iter()
            .map(|&(metric, value)| {
                let threshold = match metric {
                    Metric::Reachability => 0.0,
                    Metric::ServiceLevel(t) => t,
                };
                load.fewest_agents(threshold, self.cap, |f| pick(f, metric) >= value)
                    .unwrap_or(self.cap)
            })
            .max()
            .unwrap_or(0)
    }

    /// Simulates a staffing for the search.
    fn simulate(
        &self,
        staffing: &[u32],
        number: u32,
        phase: &'static str,
        in_system: bool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Evaluation, StaffError> {
        progress(Progress::Iteration {
            number,
            phase,
            agent_hours: hours(&self.model, staffing),
        });
        let mut model = self.model.clone();
        apply(&mut model, self.pool, staffing);
        self.evaluate(&model, self.options, in_system, progress)
    }

    /// Runs the replications of `model` and computes the goals' figures.
    fn evaluate(
        &self,
        model: &Model,
        options: RunOptions,
        in_system: bool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Evaluation, StaffError> {
        let cal = &model.calendar;
        let intervals = cal.intervals();
        let days = cal.days as usize;
        let per_day = cal.intervals_per_day as usize;
        let pool = self.pool;
        let live: Vec<bool> = (0..model.streams.len())
            .map(|s| {
                in_system
                    && model.streams[s].channel.is_live()
                    && model.pools[pool].skills.iter().any(|k| k.stream == s)
            })
            .collect();
        struct Rep {
            /// `[goal][interval]` numerator and denominator.
            num: Vec<Vec<f64>>,
            den: Vec<Vec<f64>>,
            tail: Vec<Vec<f64>>,
            busy: f64,
            present: f64,
            cost: f64,
        }
        let goals = &self.goals;
        let active = &self.active;
        let reps = montecarlo::run_each(
            model,
            options,
            &|| InSystem::new(model, |s| live[s]),
            &|r: &mut InSystem| r.reset(),
            &|r: &mut InSystem, rep| {
                r.counters
                    .check_conservation()
                    .map_err(|message| RunError::Conservation {
                        replication: rep,
                        message,
                    })?;
                if in_system {
                    r.finish();
                }
                let c = &r.counters;
                let mut num = vec![vec![0.0; intervals]; goals.len()];
                let mut den = vec![vec![0.0; intervals]; goals.len()];
                for (g, goal) in goals.iter().enumerate() {
                    for i in 0..intervals {
                        for &s in &goal.streams {
                            let cell = c.cell(i, s);
                            den[g][i] += f64::from(cell.offered);
                            num[g][i] += f64::from(match goal.metric {
                                Metric::Reachability => cell.answered,
                                Metric::ServiceLevel(_) => cell.on_time,
                            });
                        }
                    }
                }
                let mut tail = Vec::new();
                if in_system {
                    tail = (0..intervals)
                        .map(|i| {
                            if active[i] {
                                r.histogram(i).to_vec()
                            } else {
                                Vec::new()
                            }
                        })
                        .collect();
                }
                let (mut busy, mut present, mut cost) = (0.0, 0.0, 0.0);
                for i in 0..intervals {
                    let cell = c.pool_cell(i, pool);
                    busy += cell.busy;
                    present += cell.present;
                    for (s, stream) in model.streams.iter().enumerate() {
                        cost += c.cell(i, s).handled * stream.price_per_second;
                    }
                }
                Ok(Rep {
                    num,
                    den,
                    tail,
                    busy,
                    present,
                    cost,
                })
            },
            &|| progress(Progress::Replication),
        )?;
        let n_reps = reps.len();
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let mut interval_est = Vec::with_capacity(goals.len());
        let mut day_est = Vec::with_capacity(goals.len());
        let mut offered = Vec::with_capacity(goals.len());
        let mut day_values = Vec::with_capacity(goals.len());
        let mut horizon = Vec::with_capacity(goals.len());
        for g in 0..goals.len() {
            let mut column = Vec::with_capacity(n_reps);
            interval_est.push(
                (0..intervals)
                    .map(|i| {
                        column.clear();
                        column.extend(reps.iter().map(|r| ratio(r.num[g][i], r.den[g][i])));
                        Estimate::from_values(&column)
                    })
                    .collect::<Vec<_>>(),
            );
            offered.push(
                (0..intervals)
                    .map(|i| reps.iter().map(|r| r.den[g][i]).sum::<f64>() / n_reps as f64)
                    .collect::<Vec<_>>(),
            );
            let mut values = Vec::with_capacity(n_reps * days);
            for r in &reps {
                for d in 0..days {
                    let range = d * per_day..(d + 1) * per_day;
                    let n: f64 = r.num[g][range.clone()].iter().sum();
                    let o: f64 = r.den[g][range].iter().sum();
                    values.push(ratio(n, o));
                }
            }
            day_est.push(
                (0..days)
                    .map(|d| {
                        column.clear();
                        column.extend((0..n_reps).map(|r| values[r * days + d]));
                        Estimate::from_values(&column)
                    })
                    .collect::<Vec<_>>(),
            );
            day_values.push(values);
            column.clear();
            column.extend(
                reps.iter()
                    .map(|r| ratio(r.num[g].iter().sum(), r.den[g].iter().sum())),
            );
            horizon.push(Estimate::from_values(&column));
        }
        let tail = if in_system {
            (0..intervals)
                .map(|i| {
                    let len = reps.iter().map(|r| r.tail[i].len()).max().unwrap_or(0);
                    let mut sum = vec![0.0; len];
                    for r in &reps {
                        for (s, x) in sum.iter_mut().zip(&r.tail[i]) {
                            *s += x;
                        }
                    }
                    let total: f64 = sum.iter().sum();
                    // Survival: P(L >= n) for n = 0..len.
                    let mut out = vec![0.0; len + 1];
                    let mut acc = 0.0;
                    for n in (0..len).rev() {
                        acc += sum[n];
                        out[n] = if total > 0.0 { acc / total } else { 0.0 };
                    }
                    out
                })
                .collect()
        } else {
            Vec::new()
        };
        let occupancy: Vec<f64> = reps.iter().map(|r| ratio(r.busy, r.present)).collect();
        let cost: Vec<f64> = reps.iter().map(|r| r.cost).collect();
        Ok(Evaluation {
            interval: interval_est,
            day: day_est,
            offered,
            tail,
            day_values,
            horizon,
            occupancy: Estimate::from_values(&occupancy),
            cost: Estimate::from_values(&cost),
        })
    }

    /// Whether an estimate meets a goal during the search: the lower end of
    /// its 95% CI at or above the target (the mean, with one defined
    /// replication; nothing to meet without any).
    fn meets(e: &Estimate, value: f64) -> bool {
        match (e.ci_low, e.mean) {
            (Some(low), _) => low >= value - 1e-12,
            (None, Some(m)) => m >= value - 1e-12,
            (None, None) => true,
        }
    }

    /// Erlang A calibrated on the simulation: the figure with `n` agents,
    /// shifted by (simulated − Erlang A) at the current staffing `now`.
    fn predicted(&self, g: usize, i: usize, e: &Estimate, now: u32, n: u32) -> f64 {
        let load = &self.loads[i];
        let metric = self.goals[g].metric;
        let Some(simulated) = e.mean else {
            return figure(load, metric, n);
        };
        let at_now = figure(load, metric, now);
        let at_n = figure(load, metric, n);
        if 1.0 - at_now > 1e-4 {
            // Scale the share that misses: Erlang A's miss with n agents
            // times the ratio of the simulated to Erlang A's miss now.
            let ratio = ((1.0 - simulated) / (1.0 - at_now)).clamp(0.0, 50.0);
            (1.0 - (1.0 - at_n) * ratio).clamp(0.0, 1.0)
        } else {
            (at_n + simulated - at_now).clamp(0.0, 1.0)
        }
    }

    /// One correction step with targets per interval.
    fn correct_intervals(
        &self,
        staffing: &[u32],
        eval: &Evaluation,
        floor: &mut [u32],
        lowered_from: &mut [Option<u32>],
    ) -> Step {
        let intervals = staffing.len();
        let per_day = self.model.calendar.intervals_per_day as usize;
        let fails = |i: usize| {
            self.goals
                .iter()
                .enumerate()
                .any(|(g, goal)| !Self::meets(&eval.interval[g][i], goal.value))
        };
        let mut next = staffing.to_vec();
        let mut all_met = true;
        let mut reverted = vec![false; intervals];
        for i in 0..intervals {
            if !self.active[i] || !fails(i) {
                continue;
            }
            all_met = false;
            if let Some(before) = lowered_from[i] {
                // The lowering of this interval made it miss: undo it for good.
                next[i] = before;
                floor[i] = floor[i].max(before);
                reverted[i] = true;
            } else if i % per_day > 0
                && let Some(before) = lowered_from[i - 1]
                && !reverted[i - 1]
            {
                // The previous interval's lowering carried over into this one.
                next[i - 1] = before;
                floor[i - 1] = floor[i - 1].max(before);
                reverted[i - 1] = true;
            } else {
                floor[i] = floor[i].max(staffing[i] + 1).min(self.cap);
                // At most a quarter more agents per step: where the
                // prediction cannot see the target (a closing-time or
                // blending effect Erlang A knows nothing of), the
                // simulation is asked again rather than trusted to the cap.
                let step = (staffing[i] / 4).max(2);
                let limit = (staffing[i] + step).min(self.cap);
                let raise = (staffing[i] + 1..=limit)
                    .find(|&n| self.predicted_ok(i, eval, staffing[i], n, 1.0))
                    .unwrap_or(staffing[i] + (staffing[i] / 10).max(1));
                next[i] = raise.max(floor[i]).min(self.cap);
            }
        }
        lowered_from.fill(None);
        for i in 0..intervals {
            if !self.active[i] || fails(i) || reverted[i] || next[i] != staffing[i] {
                continue;
            }
            let has_data = self
                .goals
                .iter()
                .enumerate()
                .any(|(g, _)| eval.interval[g][i].n > 0);
            if !has_data {
                continue;
            }
            let lower = (floor[i]..staffing[i])
                .find(|&n| self.predicted_ok(i, eval, staffing[i], n, 1.5))
                .unwrap_or(staffing[i]);
            if lower < staffing[i] {
                next[i] = lower;
                lowered_from[i] = Some(staffing[i]);
            }
        }
        Step {
            staffing: next,
            all_met,
        }
    }

    /// Whether calibrated Erlang A predicts that `n` agents meet every goal
    /// of interval `i` with `margin` CI half-widths to spare.
    fn predicted_ok(&self, i: usize, eval: &Evaluation, now: u32, n: u32, margin: f64) -> bool {
        self.goals.iter().enumerate().all(|(g, goal)| {
            let e = &eval.interval[g][i];
            if e.n == 0 {
                return true;
            }
            let half = e.half_width().unwrap_or(0.0);
            self.predicted(g, i, e, now, n) - margin * half >= goal.value
        })
    }

    /// One correction step with targets per day.
    fn correct_days(
        &self,
        staffing: &[u32],
        eval: &Evaluation,
        locked: &mut [bool],
        lowered_from: &mut [Option<u32>],
    ) -> Step {
        let per_day = self.model.calendar.intervals_per_day as usize;
        let mut next = staffing.to_vec();
        let mut all_met = true;
        for (d, lock) in locked.iter_mut().enumerate() {
            let range = d * per_day..(d + 1) * per_day;
            if !range.clone().any(|i| self.active[i]) {
                continue;
            }
            let fails = self
                .goals
                .iter()
                .enumerate()
                .any(|(g, goal)| !Self::meets(&eval.day[g][d], goal.value));
            let was_lowered = range.clone().any(|i| lowered_from[i].is_some());
            if fails {
                all_met = false;
                if was_lowered {
                    for i in range.clone() {
                        if let Some(before) = lowered_from[i] {
                            next[i] = before;
                        }
                    }
                    *lock = true;
                    continue;
                }
            }
            // Predicted day figure per goal with staffing `n`.
            let day_figure = |g: usize, n: &[u32]| -> f64 {
                let (mut num, mut den) = (0.0, 0.0);
                for i in range.clone() {
                    let o = eval.offered[g][i];
                    let e = &eval.interval[g][i];
                    if o <= 0.0 || e.n == 0 {
                        continue;
                    }
                    num += o * self.predicted(g, i, e, staffing[i], n[i]);
                    den += o;
                }
                if den > 0.0 { num / den } else { 1.0 }
            };
            // The simulated day figure shifted onto the prediction's scale.
            let shift: Vec<f64> = (0..self.goals.len())
                .map(|g| {
                    eval.day[g][d]
                        .mean
                        .map_or(0.0, |m| m - day_figure(g, staffing))
                })
                .collect();
            let ok = |n: &[u32], margin: f64| {
                self.goals.iter().enumerate().all(|(g, goal)| {
                    let half = eval.day[g][d].half_width().unwrap_or(0.0);
                    day_figure(g, n) + shift[g] - margin * half >= goal.value
                })
            };
            let gain = |n: &[u32], i: usize, up: bool| -> f64 {
                // Gain (or loss) in targeted contacts meeting the goals.
                self.goals
                    .iter()
                    .enumerate()
                    .map(|(g, _)| {
                        let e = &eval.interval[g][i];
                        if e.n == 0 {
                            return 0.0;
                        }
                        let o = eval.offered[g][i];
                        let m = if up { n[i] + 1 } else { n[i].saturating_sub(1) };
                        o * (self.predicted(g, i, e, staffing[i], m)
                            - self.predicted(g, i, e, staffing[i], n[i]))
                        .abs()
                    })
                    .sum()
            };
            let candidates: Vec<usize> = range
                .clone()
                .filter(|&i| {
                    self.active[i] && (0..self.goals.len()).any(|g| eval.interval[g][i].n > 0)
                })
                .collect();
            if fails {
                let mut guard = 0;
                while !ok(&next, 1.0) && guard < 10_000 {
                    guard += 1;
                    let best = candidates
                        .iter()
                        .copied()
                        .filter(|&i| next[i] < self.cap)
                        .max_by(|&a, &b| gain(&next, a, true).total_cmp(&gain(&next, b, true)));
                    match best {
                        Some(i) => next[i] += 1,
                        None => break,
                    }
                }
                if next == staffing {
                    // The prediction sees no gap; add where it helps most.
                    if let Some(i) = candidates
                        .iter()
                        .copied()
                        .max_by(|&a, &b| gain(&next, a, true).total_cmp(&gain(&next, b, true)))
                    {
                        next[i] = (next[i] + 1).min(self.cap);
                    }
                }
            } else if !*lock {
                let mut guard = 0;
                while guard < 10_000 {
                    guard += 1;
                    let best = candidates
                        .iter()
                        .copied()
                        .filter(|&i| next[i] > 0)
                        .min_by(|&a, &b| gain(&next, a, false).total_cmp(&gain(&next, b, false)));
                    let Some(i) = best else { break };
                    next[i] -= 1;
                    if !ok(&next, 1.5) {
                        next[i] += 1;
                        break;
                    }
                }
            }
        }
        for (i, l) in lowered_from.iter_mut().enumerate() {
            *l = (next[i] < staffing[i]).then_some(staffing[i]);
        }
        Step {
            staffing: next,
            all_met,
        }
    }

    /// The weekly pattern: per weekday and interval of the day, the most
    /// agents any working date of that weekday needs.
    fn pattern(&self, staffing: &[u32]) -> WeeklyPattern {
        let cal = &self.model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let mut available = vec![vec![0u32; per_day]; 7];
        let mut used = vec![false; 7];
        for d in 0..cal.days as usize {
            if !self.working[d] {
                continue;
            }
            let w = Weekday::of(cal.date(d as u32)).index();
            used[w] = true;
            for j in 0..per_day {
                available[w][j] = available[w][j].max(staffing[d * per_day + j]);
            }
        }
        let shrinkage = self.model.pools[self.pool].shrinkage;
        let scheduled = available
            .iter()
            .map(|row| row.iter().map(|&n| scheduled_for(n, shrinkage)).collect())
            .collect();
        WeeklyPattern {
            pool: self.model.pools[self.pool].name.clone(),
            interval: cal.interval,
            shrinkage,
            available,
            scheduled,
            used,
        }
    }

    /// The staffing per horizon interval that a weekly pattern gives, as the
    /// scenario's validation applies it (zero on days the pool does not work).
    fn staffing_of_pattern(&self, pattern: &WeeklyPattern) -> Vec<u32> {
        let cal = &self.model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let shrinkage = pattern.shrinkage;
        (0..cal.intervals())
            .map(|i| {
                let d = i / per_day;
                if !self.working[d] {
                    return 0;
                }
                let w = Weekday::of(cal.date(d as u32)).index();
                let s = pattern.scheduled[w][i % per_day];
                (f64::from(s) * (1.0 - shrinkage)).round() as u32
            })
            .collect()
    }

    /// The final check's report.
    fn check(&self, eval: &Evaluation, options: RunOptions, targets: &[Target]) -> Check {
        let cal = &self.model.calendar;
        let per_day = cal.intervals_per_day as usize;
        let days = cal.days as usize;
        let date = |d: usize| cal.date(d as u32);
        let targets = self
            .goals
            .iter()
            .enumerate()
            .map(|(g, goal)| {
                let v = goal.value;
                let mut intervals = 0;
                let mut below = 0;
                let mut clearly = 0;
                let mut worst: Option<(usize, Estimate)> = None;
                for (i, e) in eval.interval[g].iter().enumerate() {
                    let Some(m) = e.mean else { continue };
                    intervals += 1;
                    if m < v {
                        below += 1;
                    }
                    if e.ci_high.is_some_and(|h| h < v) {
                        clearly += 1;
                    }
                    if worst.is_none_or(|(_, w)| m < w.mean.unwrap_or(f64::INFINITY)) {
                        worst = Some((i, *e));
                    }
                }
                let mut day_count = 0;
                let mut days_below = 0;
                let mut days_clearly = 0;
                let mut worst_day: Option<(usize, Estimate)> = None;
                for (d, e) in eval.day[g].iter().enumerate() {
                    let Some(m) = e.mean else { continue };
                    day_count += 1;
                    if m < v {
                        days_below += 1;
                    }
                    if e.ci_high.is_some_and(|h| h < v) {
                        days_clearly += 1;
                    }
                    if worst_day.is_none_or(|(_, w)| m < w.mean.unwrap_or(f64::INFINITY)) {
                        worst_day = Some((d, *e));
                    }
                }
                let defined: Vec<f64> = eval.day_values[g]
                    .iter()
                    .copied()
                    .filter(|x| x.is_finite())
                    .collect();
                let missing = defined.iter().filter(|&&x| x < v).count();
                let _ = days;
                let met = match self.per {
                    Per::Interval => clearly == 0,
                    Per::Day => days_clearly == 0,
                };
                TargetCheck {
                    target: targets[g].text.clone(),
                    label: targets[g].label(),
                    value: v,
                    horizon: eval.horizon[g],
                    intervals,
                    intervals_below: below,
                    intervals_clearly_below: clearly,
                    worst_interval: worst.map(|(i, e)| {
                        let (d, time) = cal.interval_label(i);
                        let dt = date(d as usize);
                        (dt.to_string(), Weekday::of(dt).name().to_string(), time, e)
                    }),
                    days: day_count,
                    days_below,
                    days_clearly_below: days_clearly,
                    worst_day: worst_day.map(|(d, e)| {
                        (
                            date(d).to_string(),
                            Weekday::of(date(d)).name().to_string(),
                            e,
                        )
                    }),
                    share_of_days_missing: if defined.is_empty() {
                        0.0
                    } else {
                        missing as f64 / defined.len() as f64
                    },
                    met,
                }
            })
            .collect();
        let _ = per_day;
        Check {
            replications: options.replications,
            seed: options.seed,
            targets,
            occupancy: eval.occupancy,
            cost: eval.cost,
        }
    }
}

fn names(channels: &[Channel]) -> String {
    channels
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(" and ")
}

impl WeeklyPattern {
    /// The first and one past the last interval of the day with agents on
    /// some weekday (`None` when nobody is scheduled).
    fn span(&self) -> Option<(usize, usize)> {
        let per_day = self.scheduled.first().map_or(0, Vec::len);
        let any = |j: usize| self.scheduled.iter().any(|row| row[j] > 0);
        let first = (0..per_day).find(|&j| any(j))?;
        let last = (0..per_day).rev().find(|&j| any(j))?;
        Some((first, last + 1))
    }

    /// Clock time of interval `j` of the day, "HH:MM".
    pub fn clock(&self, j: usize) -> String {
        let secs = (j as f64 * self.interval).round() as u64;
        format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
    }

    /// The intervals of the day from the first to the last with agents.
    pub fn slots(&self) -> std::ops::Range<usize> {
        self.span().map_or(0..0, |(a, b)| a..b)
    }

    /// The pattern as a `[pools.NAME.staffing]` table of scheduled agents,
    /// to paste in place of the pool's staffing (`agents` or `staffing`).
    pub fn toml_fragment(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "[pools.{}.staffing]", toml_key(&self.pool));
        let slots = self.slots();
        let _ = writeln!(out, "start = \"{}\"", self.clock(slots.start));
        for (w, day) in Weekday::ALL.iter().enumerate() {
            if !self.used[w] {
                continue;
            }
            let values: Vec<String> = self.scheduled[w][slots.clone()]
                .iter()
                .map(u32::to_string)
                .collect();
            let _ = writeln!(out, "{} = [{}]", day.name(), values.join(", "));
        }
        out
    }

    /// The pattern as CSV: weekday, interval start, agents on duty, agents scheduled.
    pub fn csv(&self) -> String {
        let mut out = String::from("weekday,interval_start,agents,scheduled\n");
        for (w, day) in Weekday::ALL.iter().enumerate() {
            if !self.used[w] {
                continue;
            }
            for j in self.slots() {
                let _ = writeln!(
                    out,
                    "{},{},{},{}",
                    day.name(),
                    self.clock(j),
                    self.available[w][j],
                    self.scheduled[w][j]
                );
            }
        }
        out
    }
}

/// A TOML key, quoted when it is not a bare key.
fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Scenario text with the pool's staffing (`agents` or `staffing`) replaced
/// by the pattern; the rest of the file is kept as it is.
pub fn replace_staffing(text: &str, pattern: &WeeklyPattern) -> Result<String, String> {
    let mut editor = Editor::parse(text)
        .map_err(|e: toml_edit::TomlError| format!("the scenario is not valid TOML: {e}"))?;
    editor.replace_staffing(&pattern.pool, pattern.staffing_table())?;
    Ok(editor.to_string())
}

impl WeeklyPattern {
    /// The pattern as a `[pools.NAME.staffing]` table of scheduled agents.
    fn staffing_table(&self) -> toml_edit::Table {
        let mut table = toml_edit::Table::new();
        let slots = self.slots();
        table.insert("start", toml_edit::value(self.clock(slots.start)));
        for (w, day) in Weekday::ALL.iter().enumerate() {
            if self.used[w] {
                let mut list = toml_edit::Array::new();
                for &n in &self.scheduled[w][slots.clone()] {
                    list.push(i64::from(n));
                }
                table.insert(day.name(), toml_edit::value(list));
            }
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_agents_give_the_available_agents_back() {
        for shrinkage in [0.0, 0.15, 0.3, 0.5, 0.9] {
            for available in 0..200u32 {
                let s = scheduled_for(available, shrinkage);
                assert_eq!(
                    (f64::from(s) * (1.0 - shrinkage)).round() as u32,
                    available,
                    "{available} at {shrinkage}"
                );
                if s > 0 {
                    assert!(
                        ((f64::from(s - 1)) * (1.0 - shrinkage)).round() < f64::from(available)
                    );
                }
            }
        }
    }
}
