//! The staffing problem, fixed before the search starts: the targets
//! resolved against the model (metrics, thresholds, counted streams), the
//! pool to staff, the intervals in which it is staffed, and its Erlang A
//! load per interval.

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
}

impl Metric {
    /// The service-level threshold Erlang A is asked with (0 for reachability).
    pub(super) fn threshold(self) -> f64 {
        match self {
            Metric::Reachability => 0.0,
            Metric::ServiceLevel(t) => t,
        }
    }
}

/// A target resolved against the model.
#[derive(Debug, Clone)]
pub(super) struct Goal {
    pub(super) metric: Metric,
    pub(super) value: f64,
    /// Streams counted.
    pub(super) streams: Vec<usize>,
}

/// Everything the search needs, fixed before it starts.
pub(super) struct Problem {
    /// The model with the targets' thresholds; staffing changed per simulation.
    pub(super) model: Model,
    pub(super) pool: usize,
    pub(super) goals: Vec<Goal>,
    pub(super) per: Per,
    /// Per horizon interval: whether the pool is staffed there.
    pub(super) active: Vec<bool>,
    /// Per horizon interval: the pool's live load, as Erlang A sees it.
    pub(super) loads: Vec<IntervalLoad>,
    /// Per day: whether one of the pool's lines works that day.
    pub(super) working: Vec<bool>,
    pub(super) options: RunOptions,
    /// The most agents the search gives an interval.
    pub(super) cap: u32,
}

impl Problem {
    /// Resolves the options against the model.
    pub(super) fn new(model: &Model, options: &StaffOptions) -> Result<Problem, StaffError> {
        check_options(options)?;
        let mut model = model.clone();
        set_thresholds(&mut model, &options.targets)?;
        let goals = goals(&model, &options.targets)?;
        let pool = choose_pool(&model, options, &goals)?;
        let (working, active) = working_and_active(&model, pool);
        let loads: Vec<IntervalLoad> = (0..model.calendar.intervals())
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
}

fn check_options(options: &StaffOptions) -> Result<(), StaffError> {
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

/// The pool to staff: `--pool`, or the one pool that serves a targeted stream.
fn choose_pool(model: &Model, options: &StaffOptions, goals: &[Goal]) -> Result<usize, StaffError> {
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
    match &options.pool {
        Some(name) => match model.pools.iter().position(|p| &p.name == name) {
            Some(p) if candidates.contains(&p) => Ok(p),
            found => {
                let what = if found.is_some() {
                    "serves none of the targeted channels"
                } else {
                    "no such pool"
                };
                Err(StaffError::BadPool {
                    name: name.clone(),
                    reason: format!(
                        "{what}; the pools serving {} are {}",
                        names(&all_channels),
                        candidate_names().join(", ")
                    ),
                })
            }
        },
        None => match candidates.as_slice() {
            [] => Err(StaffError::NoPool {
                channels: names(&all_channels),
            }),
            [p] => Ok(*p),
            _ => Err(StaffError::AmbiguousPool {
                candidates: candidate_names(),
            }),
        },
    }
}

/// Per day, whether one of the pool's lines works; per horizon interval,
/// whether the pool is staffed: a working day on which one of the lines of
/// its calls and chats is open during the interval.
fn working_and_active(model: &Model, pool: usize) -> (Vec<bool>, Vec<bool>) {
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
