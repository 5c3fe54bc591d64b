//! One simulation of the search: the replications of the model with a
//! staffing, reduced to the goals' figures per interval, day and horizon
//! (and, for ISA, the distribution of the contacts in the system).

use crate::model::Model;
use crate::montecarlo::{self, RunError, RunOptions};
use crate::stats::{Estimate, InSystem};

use super::problem::{Goal, Metric, Problem};
use super::{Progress, StaffError, apply, hours};

/// The figures of one simulation.
pub(super) struct Evaluation {
    /// `[goal][interval]`.
    pub(super) interval: Vec<Vec<Estimate>>,
    /// `[goal][day]`.
    pub(super) day: Vec<Vec<Estimate>>,
    /// `[goal][interval]`: mean offered (denominator).
    pub(super) offered: Vec<Vec<f64>>,
    /// `[interval][n]`: P(L ≥ n), the share of time with at least n agents' worth in the system.
    pub(super) tail: Vec<Vec<f64>>,
    /// `[goal][replication * days + day]`.
    pub(super) day_values: Vec<Vec<f64>>,
    /// `[goal]`.
    pub(super) horizon: Vec<Estimate>,
    pub(super) occupancy: Estimate,
    pub(super) cost: Estimate,
}

/// What one replication contributes.
struct Replication {
    /// `[goal][interval]` numerator (answered or on time) and denominator (offered).
    num: Vec<Vec<f64>>,
    den: Vec<Vec<f64>>,
    /// `[interval]`: time with `n` agents' worth in the system, per `n` (ISA only).
    tail: Vec<Vec<f64>>,
    busy: f64,
    present: f64,
    cost: f64,
}

/// A goal's figures over the replications.
struct GoalFigures {
    interval: Vec<Estimate>,
    offered: Vec<f64>,
    day: Vec<Estimate>,
    day_values: Vec<f64>,
    horizon: Estimate,
}

/// Answered (or on time) over offered; NaN where nothing was offered.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

impl Problem {
    /// Simulates a staffing for the search; `number` counts the simulations.
    pub(super) fn simulate(
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

    /// Runs the replications of `model` and computes the goals' figures;
    /// with `in_system`, also the distribution of the contacts in the
    /// system that ISA needs.
    pub(super) fn evaluate(
        &self,
        model: &Model,
        options: RunOptions,
        in_system: bool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Evaluation, StaffError> {
        let pool = self.pool;
        let live: Vec<bool> = (0..model.streams.len())
            .map(|s| {
                in_system
                    && model.streams[s].channel.is_live()
                    && model.pools[pool].skills.iter().any(|k| k.stream == s)
            })
            .collect();
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
                Ok(self.replication(model, r, in_system))
            },
            &|| progress(Progress::Replication),
        )?;
        let cal = &model.calendar;
        let (days, per_day) = (cal.days as usize, cal.intervals_per_day as usize);
        let goals: Vec<GoalFigures> = (0..self.goals.len())
            .map(|g| goal_figures(&reps, g, cal.intervals(), days, per_day))
            .collect();
        let tail = if in_system {
            (0..cal.intervals()).map(|i| survival(&reps, i)).collect()
        } else {
            Vec::new()
        };
        let occupancy: Vec<f64> = reps.iter().map(|r| ratio(r.busy, r.present)).collect();
        let cost: Vec<f64> = reps.iter().map(|r| r.cost).collect();
        let mut eval = Evaluation {
            interval: Vec::with_capacity(goals.len()),
            day: Vec::with_capacity(goals.len()),
            offered: Vec::with_capacity(goals.len()),
            tail,
            day_values: Vec::with_capacity(goals.len()),
            horizon: Vec::with_capacity(goals.len()),
            occupancy: Estimate::from_values(&occupancy),
            cost: Estimate::from_values(&cost),
        };
        for g in goals {
            eval.interval.push(g.interval);
            eval.day.push(g.day);
            eval.offered.push(g.offered);
            eval.day_values.push(g.day_values);
            eval.horizon.push(g.horizon);
        }
        Ok(eval)
    }

    /// The goals' counts, the in-system histogram, the pool's busy and
    /// present time and the handling cost of one replication.
    fn replication(&self, model: &Model, r: &InSystem, in_system: bool) -> Replication {
        let intervals = model.calendar.intervals();
        let c = &r.counters;
        let goals: &[Goal] = &self.goals;
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
                    if self.active[i] {
                        r.histogram(i).to_vec()
                    } else {
                        Vec::new()
                    }
                })
                .collect();
        }
        let (mut busy, mut present, mut cost) = (0.0, 0.0, 0.0);
        for i in 0..intervals {
            let cell = c.pool_cell(i, self.pool);
            busy += cell.busy;
            present += cell.present;
            for (s, stream) in model.streams.iter().enumerate() {
                cost += c.cell(i, s).handled * stream.price_per_second;
            }
        }
        Replication {
            num,
            den,
            tail,
            busy,
            present,
            cost,
        }
    }
}

/// Goal `g`'s figure per interval, per day and over the horizon, over the replications.
fn goal_figures(
    reps: &[Replication],
    g: usize,
    intervals: usize,
    days: usize,
    per_day: usize,
) -> GoalFigures {
    let n_reps = reps.len();
    let mut column = Vec::with_capacity(n_reps);
    let interval = (0..intervals)
        .map(|i| {
            column.clear();
            column.extend(reps.iter().map(|r| ratio(r.num[g][i], r.den[g][i])));
            Estimate::from_values(&column)
        })
        .collect();
    let offered = (0..intervals)
        .map(|i| reps.iter().map(|r| r.den[g][i]).sum::<f64>() / n_reps as f64)
        .collect();
    let mut day_values = Vec::with_capacity(n_reps * days);
    for r in reps {
        for d in 0..days {
            let range = d * per_day..(d + 1) * per_day;
            let n: f64 = r.num[g][range.clone()].iter().sum();
            let o: f64 = r.den[g][range].iter().sum();
            day_values.push(ratio(n, o));
        }
    }
    let day = (0..days)
        .map(|d| {
            column.clear();
            column.extend((0..n_reps).map(|r| day_values[r * days + d]));
            Estimate::from_values(&column)
        })
        .collect();
    column.clear();
    column.extend(
        reps.iter()
            .map(|r| ratio(r.num[g].iter().sum(), r.den[g].iter().sum())),
    );
    GoalFigures {
        interval,
        offered,
        day,
        day_values,
        horizon: Estimate::from_values(&column),
    }
}

/// Interval `i`'s survival function over the replications: P(L ≥ n) for
/// n = 0..len, the share of time with at least `n` agents' worth in the system.
fn survival(reps: &[Replication], i: usize) -> Vec<f64> {
    let len = reps.iter().map(|r| r.tail[i].len()).max().unwrap_or(0);
    let mut sum = vec![0.0; len];
    for r in reps {
        for (s, x) in sum.iter_mut().zip(&r.tail[i]) {
            *s += x;
        }
    }
    let total: f64 = sum.iter().sum();
    let mut out = vec![0.0; len + 1];
    let mut acc = 0.0;
    for n in (0..len).rev() {
        acc += sum[n];
        out[n] = if total > 0.0 { acc / total } else { 0.0 };
    }
    out
}
