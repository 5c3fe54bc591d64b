//! The final check: the plan (per date, or the weekly pattern) simulated
//! with an independent seed
//! (`seed + 1`), and per target the mean and 95% CI over the horizon, the
//! worst interval and day, the intervals and days whose mean misses, and the
//! share of simulated days (replication × working day) whose figure misses.

use serde::Serialize;

use crate::model::{Pool, Weekday};
use crate::montecarlo::RunOptions;
use crate::planning::target::Target;
use crate::stats::Estimate;

use super::evaluate::{Ask, Evaluation};
use super::problem::{Metric, Problem};
use super::{Per, Progress, StaffError, hours};

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
    /// Occupancy of each staffed pool over the horizon, in the order of the plans.
    pub occupancy: Vec<Estimate>,
    /// Handling cost at the scenario's prices (all channels).
    pub cost: Estimate,
}

/// How a list of estimates (of intervals or days) stands against a target.
struct Tally {
    /// Estimates with a mean.
    count: usize,
    /// Of those, means below the target.
    below: usize,
    /// Whole 95% CI below the target.
    clearly: usize,
    /// The index and estimate with the lowest mean.
    worst: Option<(usize, Estimate)>,
}

fn tally(estimates: &[Estimate], v: f64) -> Tally {
    let mut t = Tally {
        count: 0,
        below: 0,
        clearly: 0,
        worst: None,
    };
    for (i, e) in estimates.iter().enumerate() {
        let Some(m) = e.mean else { continue };
        t.count += 1;
        if m < v {
            t.below += 1;
        }
        if e.ci_high.is_some_and(|h| h < v) {
            t.clearly += 1;
        }
        if t.worst
            .is_none_or(|(_, w)| m < w.mean.unwrap_or(f64::INFINITY))
        {
            t.worst = Some((i, *e));
        }
    }
    t
}

impl Problem {
    /// Simulates the plan (agents on duty per slot; simulation `number`)
    /// with the seed after the search's and checks every target, each over
    /// every stream it counts, per date; returns the check and the staffed
    /// pools as the plan staffs them.
    pub(super) fn final_check(
        &self,
        staffing: &[u32],
        number: u32,
        targets: &[Target],
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<(Check, Vec<Pool>), StaffError> {
        let options = RunOptions {
            seed: self.options.seed.wrapping_add(1),
            replications: self.check_replications,
            ..self.options
        };
        let model = self.staffed(staffing);
        progress(Progress::Iteration {
            number,
            phase: "final check",
            agent_hours: hours(&self.model, staffing),
        });
        let ask = Ask {
            measures: &self.goals,
            pooled: false,
            in_system: None,
        };
        let eval = self.evaluate(&model, options, ask, progress)?;
        let check = self.check(&eval, options, targets);
        let pools = self
            .pools
            .iter()
            .map(|p| model.pools[p.index].clone())
            .collect();
        Ok((check, pools))
    }

    /// The final check's report.
    pub(super) fn check(
        &self,
        eval: &Evaluation,
        options: RunOptions,
        targets: &[Target],
    ) -> Check {
        let cal = &self.model.calendar;
        let date = |d: usize| cal.date(d as u32);
        let targets = self
            .goals
            .iter()
            .enumerate()
            .map(|(g, goal)| {
                let v = goal.value;
                let intervals = tally(&eval.interval[g], v);
                let days = tally(&eval.day[g], v);
                let defined: Vec<f64> = eval.day_values[g]
                    .iter()
                    .copied()
                    .filter(|x| x.is_finite())
                    .collect();
                let missing = defined.iter().filter(|&&x| x < v).count();
                let met = match (self.per, goal.metric) {
                    (_, Metric::EmailReachability) | (Per::Day, _) => days.clearly == 0,
                    (Per::Interval, _) => intervals.clearly == 0,
                };
                TargetCheck {
                    target: targets[g].text.clone(),
                    label: targets[g].label(),
                    value: v,
                    horizon: eval.horizon[g],
                    intervals: intervals.count,
                    intervals_below: intervals.below,
                    intervals_clearly_below: intervals.clearly,
                    worst_interval: intervals.worst.map(|(i, e)| {
                        let (d, time) = cal.interval_label(i);
                        let dt = date(d as usize);
                        (dt.to_string(), Weekday::of(dt).name().to_string(), time, e)
                    }),
                    days: days.count,
                    days_below: days.below,
                    days_clearly_below: days.clearly,
                    worst_day: days.worst.map(|(d, e)| {
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
        Check {
            replications: options.replications,
            seed: options.seed,
            targets,
            occupancy: eval.occupancy.clone(),
            cost: eval.cost,
        }
    }
}
