//! One simulation of the search: the replications of the model with a
//! staffing, reduced to the goals' figures per interval, day and horizon
//! (and, for ISA, the distribution of the contacts in the system).

use crate::model::Model;
use crate::montecarlo::{self, RunError, RunOptions};
use crate::stats::{Estimate, InSystem};

use super::problem::{Goal, Metric, Problem};
use super::{Progress, StaffError, apply, hours};

/// The figures of one simulation, per measure (the search's objectives or
/// the final check's goals).
pub(super) struct Evaluation {
    /// `[goal][interval]`.
    pub(super) interval: Vec<Vec<Estimate>>,
    /// `[goal][day]`.
    pub(super) day: Vec<Vec<Estimate>>,
    /// `[goal][interval]`: mean offered (denominator).
    pub(super) offered: Vec<Vec<f64>>,
    /// `[interval][n]`: P(L ≥ n), the share of time with at least n agents'
    /// worth of the ISA pool's contacts in the system.
    pub(super) tail: Vec<Vec<f64>>,
    /// `[goal][replication * days + day]`.
    pub(super) day_values: Vec<Vec<f64>>,
    /// `[goal]`.
    pub(super) horizon: Vec<Estimate>,
    /// Per staffed pool.
    pub(super) occupancy: Vec<Estimate>,
    pub(super) cost: Estimate,
}

/// The replications of the search's last simulation, with the staffing
/// they simulated.
#[derive(Default)]
pub(super) struct Kept {
    staffing: Vec<u32>,
    in_system: Option<usize>,
    reps: Vec<Replication>,
}

/// What the search asks of a simulation.
#[derive(Clone, Copy)]
pub(super) struct Ask<'a> {
    /// The figures measured.
    pub(super) measures: &'a [Goal],
    /// Whether live figures are pooled over the days of a class (the search).
    pub(super) pooled: bool,
    /// The staffed pool (index into `Problem::pools`) whose contacts in the
    /// system ISA needs, if any.
    pub(super) in_system: Option<usize>,
}

/// What one replication contributes.
#[derive(Clone)]
pub(super) struct Replication {
    /// `[goal][interval]` numerator (answered or on time) and denominator (offered).
    num: Vec<Vec<f64>>,
    den: Vec<Vec<f64>>,
    /// `[interval]`: time with `n` agents' worth in the system, per `n` (ISA only).
    tail: Vec<Vec<f64>>,
    /// Per staffed pool.
    busy: Vec<f64>,
    present: Vec<f64>,
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
    /// When `kept` holds replications of this very staffing (the same
    /// simulation with fewer replications: a stage of the search starts
    /// from the staffing the stage before ended with), only the
    /// replications beyond them run; replication `i` draws the same random
    /// numbers either way, so the figures are those of a simulation of all
    /// of them. Returns the figures and the replications that ran.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn simulate(
        &self,
        staffing: &[u32],
        number: u32,
        phase: &'static str,
        in_system: Option<usize>,
        replications: u32,
        kept: &mut Kept,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<(Evaluation, u32), StaffError> {
        progress(Progress::Iteration {
            number,
            phase,
            agent_hours: hours(&self.model, staffing),
        });
        let model = self.staffed(staffing);
        let ask = Ask {
            measures: &self.objectives,
            pooled: true,
            in_system,
        };
        let options = RunOptions {
            replications,
            ..self.options
        };
        let same = kept.staffing == staffing && kept.in_system == in_system;
        if !same {
            kept.reps.clear();
        }
        kept.reps.truncate(replications as usize);
        let first = kept.reps.len() as u32;
        let more = self.replications(&model, options, first, ask, progress)?;
        kept.reps.extend(more);
        if !same {
            kept.staffing.clear();
            kept.staffing.extend_from_slice(staffing);
            kept.in_system = in_system;
        }
        Ok((self.figures(&model, &kept.reps, ask), replications - first))
    }

    /// The model with every staffed pool given its part of `staffing`.
    pub(super) fn staffed(&self, staffing: &[u32]) -> Model {
        let n = self.intervals();
        let mut model = self.model.clone();
        for (p, pool) in self.pools.iter().enumerate() {
            apply(&mut model, pool.index, &staffing[p * n..(p + 1) * n]);
        }
        model
    }

    /// Runs the replications of `model` and computes the goals' figures;
    /// with `in_system`, also the distribution of the contacts in the
    /// system that ISA needs.
    pub(super) fn evaluate(
        &self,
        model: &Model,
        options: RunOptions,
        ask: Ask,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Evaluation, StaffError> {
        let reps = self.replications(model, options, 0, ask, progress)?;
        Ok(self.figures(model, &reps, ask))
    }

    /// Runs replications `first..options.replications` of `model` and
    /// returns what each contributes to the figures of `ask`.
    pub(super) fn replications(
        &self,
        model: &Model,
        options: RunOptions,
        first: u32,
        ask: Ask,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Vec<Replication>, StaffError> {
        let in_system = ask.in_system.is_some();
        let live: Vec<bool> = (0..model.streams.len())
            .map(|s| {
                ask.in_system.is_some_and(|p| {
                    model.streams[s].channel.is_live()
                        && model.pools[self.pools[p].index]
                            .skills
                            .iter()
                            .any(|k| k.stream == s)
                })
            })
            .collect();
        Ok(montecarlo::run_each(
            model,
            options,
            first,
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
                Ok(self.replication(model, r, ask))
            },
            &|| progress(Progress::Replication),
        )?)
    }

    /// The figures of `ask` over the replications `reps` of `model`, in
    /// replication order.
    pub(super) fn figures(&self, model: &Model, reps: &[Replication], ask: Ask) -> Evaluation {
        let in_system = ask.in_system.is_some();
        let cal = &model.calendar;
        let (days, per_day) = (cal.days as usize, cal.intervals_per_day as usize);
        let no_classes: Vec<Vec<usize>> = (0..days).map(|d| vec![d]).collect();
        let live_classes = if ask.pooled {
            &self.classes
        } else {
            &no_classes
        };
        let goals: Vec<GoalFigures> = ask
            .measures
            .iter()
            .enumerate()
            .map(|(g, m)| {
                let classes = if m.metric == Metric::EmailReachability {
                    &no_classes
                } else {
                    live_classes
                };
                goal_figures(reps, g, days, per_day, classes)
            })
            .collect();
        let tail = if in_system {
            let mut tail = vec![Vec::new(); cal.intervals()];
            for class in live_classes {
                for j in 0..per_day {
                    let cells: Vec<usize> = class.iter().map(|&d| d * per_day + j).collect();
                    let t = survival(reps, &cells);
                    for &i in &cells {
                        tail[i].clone_from(&t);
                    }
                }
            }
            tail
        } else {
            Vec::new()
        };
        let occupancy: Vec<Estimate> = (0..self.pools.len())
            .map(|p| {
                let v: Vec<f64> = reps
                    .iter()
                    .map(|r| ratio(r.busy[p], r.present[p]))
                    .collect();
                Estimate::from_values(&v)
            })
            .collect();
        let cost: Vec<f64> = reps.iter().map(|r| r.cost).collect();
        let mut eval = Evaluation {
            interval: Vec::with_capacity(goals.len()),
            day: Vec::with_capacity(goals.len()),
            offered: Vec::with_capacity(goals.len()),
            tail,
            day_values: Vec::with_capacity(goals.len()),
            horizon: Vec::with_capacity(goals.len()),
            occupancy,
            cost: Estimate::from_values(&cost),
        };
        for g in goals {
            eval.interval.push(g.interval);
            eval.day.push(g.day);
            eval.offered.push(g.offered);
            eval.day_values.push(g.day_values);
            eval.horizon.push(g.horizon);
        }
        eval
    }

    /// The goals' counts, the in-system histogram, the pool's busy and
    /// present time and the handling cost of one replication.
    fn replication(&self, model: &Model, r: &InSystem, ask: Ask) -> Replication {
        let intervals = model.calendar.intervals();
        let c = &r.counters;
        let goals: &[Goal] = ask.measures;
        let mut num = vec![vec![0.0; intervals]; goals.len()];
        let mut den = vec![vec![0.0; intervals]; goals.len()];
        for (g, goal) in goals.iter().enumerate() {
            for i in 0..intervals {
                for &s in &goal.streams {
                    let cell = c.cell(i, s);
                    let (n, d) = match goal.metric {
                        Metric::Reachability => (cell.answered, cell.offered),
                        Metric::ServiceLevel(_) => (cell.on_time, cell.offered),
                        // Picked up by the deadline, over the e-mails whose
                        // fate is known at the end of the horizon.
                        Metric::EmailReachability => (
                            cell.on_time,
                            cell.offered - (cell.left_waiting - cell.left_late),
                        ),
                    };
                    num[g][i] += f64::from(n);
                    den[g][i] += f64::from(d);
                }
            }
        }
        let mut tail = Vec::new();
        if let Some(p) = ask.in_system {
            tail = (0..intervals)
                .map(|i| {
                    if self.active[p * intervals + i] {
                        r.histogram(i).to_vec()
                    } else {
                        Vec::new()
                    }
                })
                .collect();
        }
        let mut busy = vec![0.0; self.pools.len()];
        let mut present = vec![0.0; self.pools.len()];
        let mut cost = 0.0;
        for i in 0..intervals {
            for (p, pool) in self.pools.iter().enumerate() {
                let cell = c.pool_cell(i, pool.index);
                busy[p] += cell.busy;
                present[p] += cell.present;
            }
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

/// Measure `g`'s figure per interval, per day and over the horizon, over
/// the replications; each interval's (and day's) estimate is taken over the
/// replications and the days of its class.
fn goal_figures(
    reps: &[Replication],
    g: usize,
    days: usize,
    per_day: usize,
    classes: &[Vec<usize>],
) -> GoalFigures {
    let n_reps = reps.len();
    let intervals = days * per_day;
    let mut column = Vec::with_capacity(n_reps);
    let mut interval = vec![Estimate::empty(0); intervals];
    let mut offered = vec![0.0; intervals];
    for class in classes {
        for j in 0..per_day {
            column.clear();
            let mut sum = 0.0;
            for &d in class {
                let i = d * per_day + j;
                column.extend(reps.iter().map(|r| ratio(r.num[g][i], r.den[g][i])));
                sum += reps.iter().map(|r| r.den[g][i]).sum::<f64>();
            }
            let e = one_date(Estimate::from_values(&column), class.len());
            let o = sum / (n_reps * class.len()) as f64;
            for &d in class {
                interval[d * per_day + j] = e;
                offered[d * per_day + j] = o;
            }
        }
    }
    let mut day_values = Vec::with_capacity(n_reps * days);
    for r in reps {
        for d in 0..days {
            let range = d * per_day..(d + 1) * per_day;
            let n: f64 = r.num[g][range.clone()].iter().sum();
            let o: f64 = r.den[g][range].iter().sum();
            day_values.push(ratio(n, o));
        }
    }
    let mut day = vec![Estimate::empty(0); days];
    for class in classes {
        column.clear();
        for &d in class {
            column.extend((0..n_reps).map(|r| day_values[r * days + d]));
        }
        let e = one_date(Estimate::from_values(&column), class.len());
        for &d in class {
            day[d] = e;
        }
    }
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

/// An estimate's confidence interval scaled around its mean by `factor`.
fn scaled(e: Estimate, factor: f64) -> Estimate {
    let (Some(mean), Some(low), Some(high)) = (e.mean, e.ci_low, e.ci_high) else {
        return e;
    };
    Estimate {
        ci_low: Some(mean - (mean - low) * factor),
        ci_high: Some(mean + (high - mean) * factor),
        ..e
    }
}

/// An estimate pooled over the `m` dates of a class, its confidence
/// interval widened by √m to the width one date's replications give: the
/// mean is the class's (less noisy than one date's), but the search asks of
/// it what it asks of one date, so that the check of each date with other
/// random numbers sees its mean at or above the target as often as for a
/// date staffed alone.
fn one_date(e: Estimate, m: usize) -> Estimate {
    if m <= 1 {
        return e;
    }
    scaled(e, (m as f64).sqrt())
}

/// The survival function of some intervals over the replications: P(L ≥ n)
/// for n = 0..len, the share of time with at least `n` agents' worth in the
/// system.
fn survival(reps: &[Replication], cells: &[usize]) -> Vec<f64> {
    let len = reps
        .iter()
        .flat_map(|r| cells.iter().map(|&i| r.tail[i].len()))
        .max()
        .unwrap_or(0);
    let mut sum = vec![0.0; len];
    for r in reps {
        for &i in cells {
            for (s, x) in sum.iter_mut().zip(&r.tail[i]) {
                *s += x;
            }
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

#[cfg(test)]
mod tests {
    use super::super::guess::first_guess;
    use super::super::{Per, PlanKind, StaffOptions};
    use super::{Kept, Problem};
    use crate::planning::target::Target;

    #[test]
    fn taking_over_a_simulations_replications_gives_the_figures_of_running_them_all() {
        let model =
            crate::scenario::parse_str(crate::scenario::QUICKSTART, "quickstart.toml", None)
                .unwrap()
                .model;
        let options = StaffOptions {
            targets: vec!["reachability>=0.9".parse::<Target>().unwrap()],
            per: Per::Interval,
            pools: Vec::new(),
            plan: PlanKind::PerDate,
            replications: 8,
            check_replications: 8,
            seed: 7,
            threads: Some(2),
            max_iterations: 40,
        };
        let problem = Problem::new(&model, &options).unwrap();
        let staffing = first_guess(&problem).staffing;
        let simulate = |kept: &mut Kept, staffing: &[u32], reps: u32, in_system| {
            problem
                .simulate(staffing, 1, "test", in_system, reps, kept, &|_| {})
                .unwrap()
        };
        // 3 replications, then 8 of the same staffing: 5 run.
        let mut kept = Kept::default();
        assert_eq!(simulate(&mut kept, &staffing, 3, Some(0)).1, 3);
        let (taken_over, ran) = simulate(&mut kept, &staffing, 8, Some(0));
        assert_eq!(ran, 5);
        let (fresh, ran) = simulate(&mut Kept::default(), &staffing, 8, Some(0));
        assert_eq!(ran, 8);
        // Every figure the search reads, bit for bit.
        assert_eq!(taken_over.interval, fresh.interval);
        assert_eq!(taken_over.day, fresh.day);
        assert_eq!(taken_over.horizon, fresh.horizon);
        assert_eq!(taken_over.tail, fresh.tail);
        assert_eq!(taken_over.occupancy, fresh.occupancy);
        assert_eq!(taken_over.cost, fresh.cost);
        assert!(fresh.horizon[0].mean.is_some_and(|m| m > 0.0 && m <= 1.0));
        // Fewer replications of the same staffing: the first ones, none run.
        let (fewer, ran) = simulate(&mut kept, &staffing, 3, Some(0));
        assert_eq!(ran, 0);
        let (three, _) = simulate(&mut Kept::default(), &staffing, 3, Some(0));
        assert_eq!(fewer.interval, three.interval);
        // Another staffing, or the same without ISA's histogram: all run again.
        let mut other = staffing.clone();
        let busiest = (0..other.len()).max_by_key(|&k| other[k]).unwrap();
        other[busiest] += 1;
        assert_eq!(simulate(&mut kept, &other, 8, Some(0)).1, 8);
        assert_eq!(simulate(&mut kept, &other, 8, None).1, 8);
        let (again, ran) = simulate(&mut kept, &other, 8, None);
        assert_eq!(ran, 0);
        assert_ne!(again.interval, fresh.interval);
    }
}
