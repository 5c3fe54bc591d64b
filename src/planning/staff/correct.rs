//! Phase 3 of the search: correction against the targets. ISA stabilises
//! the delay probability; the targets are about the contacts arriving in an
//! interval (or on a day). So the staffing is simulated again and raised
//! where a target is missed, lowered where it is met with room to spare, by
//! as many agents as Erlang A *calibrated* on the simulation predicts. A
//! lowering that makes the interval (or the next one, through carry-over,
//! or its day) miss is undone for good.

use std::ops::Range;

use crate::stats::Estimate;

use super::evaluate::Evaluation;
use super::guess::figure;
use super::iterate::Isa;
use super::problem::Problem;
use super::{Per, Search, StaffError};

/// The next staffing of a correction step.
struct Step {
    staffing: Vec<u32>,
    all_met: bool,
}

/// Corrects ISA's staffing until every target is met and no interval can be
/// lowered, or until `max_simulations` simulations have run in all; returns
/// the staffing with the fewest agents that met every target (the last one
/// if none did).
pub(super) fn correct(
    search: &mut Search,
    isa: Isa,
    max_simulations: u32,
) -> Result<Vec<u32>, StaffError> {
    let problem = search.problem;
    let intervals = problem.model.calendar.intervals();
    let Isa {
        mut staffing,
        mut last,
    } = isa;
    let mut floor = vec![0u32; intervals];
    let mut lowered_from: Vec<Option<u32>> = vec![None; intervals];
    let mut day_locked = vec![false; problem.model.calendar.days as usize];
    let mut best: Option<(Vec<u32>, u64)> = None;
    while search.number < max_simulations {
        let eval = match last.take() {
            Some(e) => e,
            None => {
                search.iterations.correction += 1;
                search.simulate(&staffing, "correction", false)?
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
            search.iterations.converged = next.all_met;
            break;
        }
        staffing = next.staffing;
    }
    Ok(best.map_or(staffing, |(b, _)| b))
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

impl Problem {
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

    /// One correction step with targets per interval: intervals that miss
    /// a goal are raised (or their last lowering undone), then intervals
    /// that meet every goal are lowered where the prediction allows.
    fn correct_intervals(
        &self,
        staffing: &[u32],
        eval: &Evaluation,
        floor: &mut [u32],
        lowered_from: &mut [Option<u32>],
    ) -> Step {
        let mut next = staffing.to_vec();
        let mut reverted = vec![false; staffing.len()];
        let all_met = self.raise_missing(
            staffing,
            eval,
            floor,
            lowered_from,
            &mut next,
            &mut reverted,
        );
        lowered_from.fill(None);
        self.lower_met(staffing, eval, floor, &reverted, &mut next, lowered_from);
        Step {
            staffing: next,
            all_met,
        }
    }

    /// Whether interval `i` misses some goal in `eval`.
    fn misses(&self, eval: &Evaluation, i: usize) -> bool {
        self.goals
            .iter()
            .enumerate()
            .any(|(g, goal)| !meets(&eval.interval[g][i], goal.value))
    }

    /// Raises each active interval that misses a goal in `next`: undoes the
    /// lowering that made it (or the previous interval) miss, else adds the
    /// agents the prediction asks for. Returns whether every interval met
    /// its goals.
    fn raise_missing(
        &self,
        staffing: &[u32],
        eval: &Evaluation,
        floor: &mut [u32],
        lowered_from: &[Option<u32>],
        next: &mut [u32],
        reverted: &mut [bool],
    ) -> bool {
        let per_day = self.model.calendar.intervals_per_day as usize;
        let mut all_met = true;
        for i in 0..staffing.len() {
            if !self.active[i] || !self.misses(eval, i) {
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
        all_met
    }

    /// Lowers, down to its floor, each active interval with data that meets
    /// every goal and was left as it was, where the prediction says it still
    /// meets them with 1.5 CI half-widths to spare; records in
    /// `lowered_from` what it had.
    fn lower_met(
        &self,
        staffing: &[u32],
        eval: &Evaluation,
        floor: &[u32],
        reverted: &[bool],
        next: &mut [u32],
        lowered_from: &mut [Option<u32>],
    ) {
        for i in 0..staffing.len() {
            if !self.active[i] || self.misses(eval, i) || reverted[i] || next[i] != staffing[i] {
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
    }

    /// One correction step with targets per day: on a day that misses, the
    /// agent goes where calibrated Erlang A predicts the largest gain in the
    /// day's contacts meeting the goals, until the predicted day figure
    /// meets them; on a day that meets them, the agent that costs least is
    /// taken away while it still does. A day whose lowering made it miss
    /// gets its staffing back and is locked.
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
                .any(|(g, goal)| !meets(&eval.day[g][d], goal.value));
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
            let day = Day::new(self, eval, staffing, d, range);
            if fails {
                day.raise(&mut next);
            } else if !*lock {
                day.lower(&mut next);
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
}

/// One day of a correction step per day, as calibrated Erlang A predicts it.
struct Day<'a> {
    problem: &'a Problem,
    eval: &'a Evaluation,
    /// The staffing simulated.
    staffing: &'a [u32],
    d: usize,
    range: Range<usize>,
    /// Per goal, the simulated day figure minus the predicted one at the
    /// staffing simulated: the prediction shifted onto the simulation's scale.
    shift: Vec<f64>,
    /// The day's intervals in which an agent can be added or taken away.
    candidates: Vec<usize>,
}

impl<'a> Day<'a> {
    fn new(
        problem: &'a Problem,
        eval: &'a Evaluation,
        staffing: &'a [u32],
        d: usize,
        range: Range<usize>,
    ) -> Self {
        let mut day = Day {
            problem,
            eval,
            staffing,
            d,
            candidates: range
                .clone()
                .filter(|&i| {
                    problem.active[i] && (0..problem.goals.len()).any(|g| eval.interval[g][i].n > 0)
                })
                .collect(),
            range,
            shift: Vec::new(),
        };
        day.shift = (0..problem.goals.len())
            .map(|g| {
                eval.day[g][d]
                    .mean
                    .map_or(0.0, |m| m - day.figure(g, staffing))
            })
            .collect();
        day
    }

    /// Predicted day figure of goal `g` with staffing `n`.
    fn figure(&self, g: usize, n: &[u32]) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for i in self.range.clone() {
            let o = self.eval.offered[g][i];
            let e = &self.eval.interval[g][i];
            if o <= 0.0 || e.n == 0 {
                continue;
            }
            num += o * self.problem.predicted(g, i, e, self.staffing[i], n[i]);
            den += o;
        }
        if den > 0.0 { num / den } else { 1.0 }
    }

    /// Whether staffing `n` is predicted to meet every goal with `margin`
    /// half-widths of the day's CI to spare.
    fn ok(&self, n: &[u32], margin: f64) -> bool {
        self.problem.goals.iter().enumerate().all(|(g, goal)| {
            let half = self.eval.day[g][self.d].half_width().unwrap_or(0.0);
            self.figure(g, n) + self.shift[g] - margin * half >= goal.value
        })
    }

    /// Gain (or loss) in targeted contacts meeting the goals from one agent
    /// more (`up`) or fewer in interval `i`.
    fn gain(&self, n: &[u32], i: usize, up: bool) -> f64 {
        (0..self.problem.goals.len())
            .map(|g| {
                let e = &self.eval.interval[g][i];
                if e.n == 0 {
                    return 0.0;
                }
                let o = self.eval.offered[g][i];
                let m = if up { n[i] + 1 } else { n[i].saturating_sub(1) };
                o * (self.problem.predicted(g, i, e, self.staffing[i], m)
                    - self.problem.predicted(g, i, e, self.staffing[i], n[i]))
                .abs()
            })
            .sum()
    }

    /// Adds agents where they gain most until the day is predicted to meet
    /// the goals (at least one agent).
    fn raise(&self, next: &mut [u32]) {
        let cap = self.problem.cap;
        let mut guard = 0;
        while !self.ok(next, 1.0) && guard < 10_000 {
            guard += 1;
            let best = self
                .candidates
                .iter()
                .copied()
                .filter(|&i| next[i] < cap)
                .max_by(|&a, &b| {
                    self.gain(next, a, true)
                        .total_cmp(&self.gain(next, b, true))
                });
            match best {
                Some(i) => next[i] += 1,
                None => break,
            }
        }
        if next == self.staffing {
            // The prediction sees no gap; add where it helps most.
            if let Some(i) = self.candidates.iter().copied().max_by(|&a, &b| {
                self.gain(next, a, true)
                    .total_cmp(&self.gain(next, b, true))
            }) {
                next[i] = (next[i] + 1).min(cap);
            }
        }
    }

    /// Takes away the agents that cost least while the day is still
    /// predicted to meet the goals with room to spare.
    fn lower(&self, next: &mut [u32]) {
        let mut guard = 0;
        while guard < 10_000 {
            guard += 1;
            let best = self
                .candidates
                .iter()
                .copied()
                .filter(|&i| next[i] > 0)
                .min_by(|&a, &b| {
                    self.gain(next, a, false)
                        .total_cmp(&self.gain(next, b, false))
                });
            let Some(i) = best else { break };
            next[i] -= 1;
            if !self.ok(next, 1.5) {
                next[i] += 1;
                break;
            }
        }
    }
}
