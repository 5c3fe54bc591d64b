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
use super::iterate::{Isa, SETTLED, changed};
use super::problem::Problem;
use super::{Per, Search, StaffError};

/// The next staffing of a correction step.
struct Step {
    staffing: Vec<u32>,
    all_met: bool,
}

/// Corrects ISA's staffing until every target is met and no interval can be
/// lowered, or until `max_simulations` simulations have run in all; returns
/// the staffing with the fewest agents that met every target with all the
/// search's replications (the last one if none did).
///
/// The correction runs in stages of growing replications (`stages`, the
/// search's own the last): a stage ends when its staffing no longer
/// changes, or when it has used its share of the simulations (the stages
/// before the last together three quarters of them), or, after the first
/// stage, when it has settled: at most one in [`SETTLED`] of its intervals
/// would change, agents up and down here and there, the noise of its
/// replications, which the finer stage tells apart better than more steps
/// of this one (Q2: the stage of 20 ends after 7 simulations instead of
/// 12). Not the first stage: ISA has just handed it a staffing that its
/// first steps move everywhere, and ending it as soon as a few intervals
/// move hands the last stage the exploration (the quickstart: 330
/// replications instead of 290, stages 10 and 20). The next one starts
/// from that staffing afresh (no floors, nothing locked), since what a
/// coarser simulation could not tell apart the finer one may.
pub(super) fn correct(
    search: &mut Search,
    isa: Isa,
    stages: &[u32],
    max_simulations: u32,
) -> Result<Vec<u32>, StaffError> {
    let problem = search.problem;
    let slots = problem.active.len();
    let Isa {
        mut staffing,
        mut last,
    } = isa;
    let mut floor = vec![0u32; slots];
    let mut lowered_from: Vec<Option<u32>> = vec![None; slots];
    let mut day_locked = vec![false; problem.pools.len() * problem.model.calendar.days as usize];
    let mut best: Option<(Vec<u32>, u64)> = None;
    let mut stage = stages
        .iter()
        .position(|&r| r == search.replications)
        .unwrap_or(0);
    let coarse = (stages.len() - 1) as u32;
    // The simulation number at which stage `s` (before the last) ends at the latest.
    let live_slots = (0..slots).filter(|&k| problem.live(k)).count();
    let stage_end = |s: usize| max_simulations * 3 * (s as u32 + 1) / (4 * coarse.max(1));
    while search.number < max_simulations {
        let eval = match last.take() {
            Some(e) => e,
            None => {
                search.iterations.correction += 1;
                search.simulate(&staffing, "correction", None)?
            }
        };
        let before = lowered_from.clone();
        let mut next = match problem.per {
            Per::Interval => {
                problem.correct_intervals(&staffing, &eval, &mut floor, &mut lowered_from)
            }
            Per::Day => problem.correct_days(&staffing, &eval, &mut day_locked, &mut lowered_from),
        };
        if problem.pools.iter().any(|p| p.email) {
            let met = problem.correct_email(
                &staffing,
                &eval,
                &mut day_locked,
                &before,
                &mut next.staffing,
                &mut lowered_from,
            );
            next.all_met &= met;
        }
        let last_stage = stage + 1 >= stages.len();
        if next.all_met && last_stage {
            let total: u64 = staffing.iter().map(|&n| u64::from(n)).sum();
            if best.as_ref().is_none_or(|(_, t)| total < *t) {
                best = Some((staffing.clone(), total));
            }
        }
        let settled = next.staffing == staffing;
        let now: u64 = staffing.iter().map(|&n| u64::from(n)).sum();
        let then: u64 = next.staffing.iter().map(|&n| u64::from(n)).sum();
        if last_stage {
            // Every target met, and what is left to lower is a few agents
            // here and there (under 1/FINE of the agents): those would cost
            // a simulation of all the replications each.
            let fine = next.all_met && now.saturating_sub(then) * FINE <= now;
            if settled || fine {
                search.iterations.converged = next.all_met;
                break;
            }
        } else if settled
            || search.number >= stage_end(stage)
            || (stage > 0 && changed(&staffing, &next.staffing) * SETTLED <= live_slots)
        {
            // On to the next stage, from this staffing, afresh.
            stage += 1;
            search.replications = stages[stage];
            floor.fill(0);
            lowered_from.fill(None);
            day_locked.fill(false);
            continue;
        }
        staffing = next.staffing;
    }
    Ok(best.map_or(staffing, |(b, _)| b))
}

/// The last stage ends, every target met, when what is left to lower is
/// less than one in `FINE` of the agents (0.05%).
const FINE: u64 = 2000;

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
    fn predicted(&self, g: usize, k: usize, e: &Estimate, now: u32, n: u32) -> f64 {
        let Some(simulated) = e.mean else {
            return self.erlang_figure(g, k, n);
        };
        let at_now = self.erlang_figure(g, k, now);
        let at_n = self.erlang_figure(g, k, n);
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
    /// of slot `k` with `margin` CI half-widths to spare.
    fn predicted_ok(&self, k: usize, eval: &Evaluation, now: u32, n: u32, margin: f64) -> bool {
        let i = self.slot(k).1;
        self.objectives_of(k).iter().all(|&g| {
            let e = &eval.interval[g][i];
            if e.n == 0 {
                return true;
            }
            let half = e.half_width().unwrap_or(0.0);
            self.predicted(g, k, e, now, n) - margin * half >= self.objectives[g].value
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

    /// Whether slot `k` misses some goal of its pool in `eval`.
    fn misses(&self, eval: &Evaluation, k: usize) -> bool {
        let i = self.slot(k).1;
        self.objectives_of(k)
            .iter()
            .any(|&g| !meets(&eval.interval[g][i], self.objectives[g].value))
    }

    /// Whether slot `k` is searched per interval or per day for calls and
    /// chats (not an e-mail desk's).
    fn live(&self, k: usize) -> bool {
        self.active[k] && !self.pools[self.slot(k).0].email
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
            if !self.live(i) || !self.misses(eval, i) {
                continue;
            }
            let cap = self.cap(i);
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
                floor[i] = floor[i].max(staffing[i] + 1).min(cap);
                // At most a quarter more agents per step: where the
                // prediction cannot see the target (a closing-time or
                // blending effect Erlang A knows nothing of), the
                // simulation is asked again rather than trusted to the cap.
                let step = (staffing[i] / 4).max(2);
                let limit = (staffing[i] + step).min(cap);
                let raise = (staffing[i] + 1..=limit)
                    .find(|&n| self.predicted_ok(i, eval, staffing[i], n, 1.0))
                    .unwrap_or(staffing[i] + (staffing[i] / 10).max(1));
                next[i] = raise.max(floor[i]).min(cap);
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
            if !self.live(i) || self.misses(eval, i) || reverted[i] || next[i] != staffing[i] {
                continue;
            }
            let t = self.slot(i).1;
            let has_data = self
                .objectives_of(i)
                .iter()
                .any(|&g| eval.interval[g][t].n > 0);
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
        let days = self.model.calendar.days as usize;
        let n = self.intervals();
        let mut next = staffing.to_vec();
        let mut all_met = true;
        for p in 0..self.pools.len() {
            if self.pools[p].email {
                continue;
            }
            for d in 0..days {
                let range = p * n + d * per_day..p * n + (d + 1) * per_day;
                if !range.clone().any(|k| self.active[k]) {
                    continue;
                }
                let fails = self.pools[p]
                    .objectives
                    .iter()
                    .any(|&g| !meets(&eval.day[g][d], self.objectives[g].value));
                let was_lowered = range.clone().any(|k| lowered_from[k].is_some());
                if fails {
                    all_met = false;
                    if was_lowered {
                        for k in range.clone() {
                            if let Some(before) = lowered_from[k] {
                                next[k] = before;
                            }
                        }
                        locked[p * days + d] = true;
                        continue;
                    }
                }
                let day = Day::new(self, eval, staffing, p, d, range);
                if fails {
                    day.raise(&mut next);
                } else if !locked[p * days + d] {
                    day.lower(&mut next);
                }
            }
        }
        for (k, l) in lowered_from.iter_mut().enumerate() {
            if self.pools[self.slot(k).0].email {
                continue;
            }
            *l = (next[k] < staffing[k]).then_some(staffing[k]);
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
    /// The staffed pool.
    p: usize,
    d: usize,
    /// The day's slots.
    range: Range<usize>,
    /// The first slot of the pool (slot − base is the horizon interval).
    base: usize,
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
        p: usize,
        d: usize,
        range: Range<usize>,
    ) -> Self {
        let base = p * problem.intervals();
        let goals = &problem.pools[p].objectives;
        let mut day = Day {
            problem,
            eval,
            staffing,
            p,
            d,
            candidates: range
                .clone()
                .filter(|&k| {
                    problem.active[k] && goals.iter().any(|&g| eval.interval[g][k - base].n > 0)
                })
                .collect(),
            range,
            base,
            shift: Vec::new(),
        };
        day.shift = goals
            .iter()
            .map(|&g| {
                eval.day[g][d]
                    .mean
                    .map_or(0.0, |m| m - day.figure(g, staffing))
            })
            .collect();
        day
    }

    /// The objectives of the day's pool.
    fn goals(&self) -> &'a [usize] {
        &self.problem.pools[self.p].objectives
    }

    /// Predicted day figure of goal `g` with staffing `n`.
    fn figure(&self, g: usize, n: &[u32]) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for k in self.range.clone() {
            let i = k - self.base;
            let o = self.eval.offered[g][i];
            let e = &self.eval.interval[g][i];
            if o <= 0.0 || e.n == 0 {
                continue;
            }
            num += o * self.problem.predicted(g, k, e, self.staffing[k], n[k]);
            den += o;
        }
        if den > 0.0 { num / den } else { 1.0 }
    }

    /// Whether staffing `n` is predicted to meet every goal with `margin`
    /// half-widths of the day's CI to spare.
    fn ok(&self, n: &[u32], margin: f64) -> bool {
        self.goals().iter().enumerate().all(|(j, &g)| {
            let half = self.eval.day[g][self.d].half_width().unwrap_or(0.0);
            self.figure(g, n) + self.shift[j] - margin * half >= self.problem.objectives[g].value
        })
    }

    /// Gain (or loss) in targeted contacts meeting the goals from one agent
    /// more (`up`) or fewer in interval `i`.
    fn gain(&self, n: &[u32], k: usize, up: bool) -> f64 {
        let i = k - self.base;
        self.goals()
            .iter()
            .map(|&g| {
                let e = &self.eval.interval[g][i];
                if e.n == 0 {
                    return 0.0;
                }
                let o = self.eval.offered[g][i];
                let m = if up { n[k] + 1 } else { n[k].saturating_sub(1) };
                o * (self.problem.predicted(g, k, e, self.staffing[k], m)
                    - self.problem.predicted(g, k, e, self.staffing[k], n[k]))
                .abs()
            })
            .sum()
    }

    /// Adds agents where they gain most until the day is predicted to meet
    /// the goals (at least one agent).
    fn raise(&self, next: &mut [u32]) {
        let cap = self.problem.pools[self.p].cap;
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

impl Problem {
    /// One correction step of the e-mail desks, whose staffing is one number
    /// of agents per working day, flat over their open hours. The e-mails
    /// that arrive on day `d` are due within the next `sla_working_days`
    /// working days (the day's *window*: the first working day on or after
    /// `d` and the following ones). A day whose e-mails miss a goal gets its
    /// window's last lowering undone (and those days locked), or else the
    /// window's day with the fewest agents gets the agents that work the
    /// missing e-mails within its open hours (at least one); a working day on
    /// which every day whose window holds it meets its goals with 1.5 CI
    /// half-widths to spare, and that is not locked, loses one agent.
    /// Returns whether every day met its goals.
    pub(super) fn correct_email(
        &self,
        staffing: &[u32],
        eval: &Evaluation,
        locked: &mut [bool],
        before: &[Option<u32>],
        next: &mut [u32],
        lowered_from: &mut [Option<u32>],
    ) -> bool {
        let cal = &self.model.calendar;
        let (days, per_day, n) = (
            cal.days as usize,
            cal.intervals_per_day as usize,
            self.intervals(),
        );
        let sla = self
            .model
            .channel(crate::model::Channel::Email)
            .sla_working_days as usize;
        let mut all_met = true;
        for p in 0..self.pools.len() {
            if !self.pools[p].email {
                continue;
            }
            let goals = &self.pools[p].objectives;
            let slots = |w: usize| p * n + w * per_day..p * n + (w + 1) * per_day;
            let open = |w: usize| slots(w).filter(|&k| self.active[k]).collect::<Vec<usize>>();
            let working: Vec<usize> = (0..days).filter(|&w| !open(w).is_empty()).collect();
            let window = |d: usize| -> Vec<usize> {
                working
                    .iter()
                    .copied()
                    .filter(|&w| w >= d)
                    .take(sla + 1)
                    .collect()
            };
            let agents = |w: usize| open(w).first().map_or(0, |&k| staffing[k]);
            let fails = |d: usize| {
                goals
                    .iter()
                    .any(|&g| !meets(&eval.day[g][d], self.objectives[g].value))
            };
            let roomy = |d: usize| {
                goals.iter().all(|&g| {
                    let e = &eval.day[g][d];
                    let half = e.half_width().unwrap_or(0.0);
                    e.mean
                        .is_none_or(|m| m - 1.5 * half >= self.objectives[g].value)
                        && meets(e, self.objectives[g].value)
                })
            };
            let mut touched = vec![false; days];
            for d in 0..days {
                if !fails(d) {
                    continue;
                }
                all_met = false;
                let win = window(d);
                let lowered: Vec<usize> = win
                    .iter()
                    .copied()
                    .filter(|&w| open(w).iter().any(|&k| before[k].is_some()))
                    .collect();
                if !lowered.is_empty() {
                    for w in lowered {
                        for k in open(w) {
                            if let Some(b) = before[k] {
                                next[k] = b;
                            }
                        }
                        locked[p * days + w] = true;
                        touched[w] = true;
                    }
                    continue;
                }
                if win.iter().any(|&w| touched[w]) {
                    continue;
                }
                let Some(&w) = win.iter().min_by_key(|&&w| agents(w)) else {
                    continue;
                };
                // The e-mails that missed, worked within the day's open hours.
                let mut missing = 0.0_f64;
                for &g in goals {
                    let offered: f64 = eval.offered[g][d * per_day..(d + 1) * per_day].iter().sum();
                    let mean = eval.day[g][d].mean.unwrap_or(0.0);
                    missing = missing.max((self.objectives[g].value - mean).max(0.0) * offered);
                }
                let work = self.email_work(p, d);
                let expected: f64 = self.email_volume(p, d);
                let handle = if expected > 0.0 { work / expected } else { 0.0 };
                let seconds = open(w).len() as f64 * cal.interval;
                let add = ((missing * handle / seconds).ceil() as u32).max(1);
                let to = (agents(w) + add).min(self.pools[p].cap);
                for k in open(w) {
                    next[k] = to;
                }
                touched[w] = true;
            }
            for &w in &working {
                let k0 = open(w);
                for &k in &k0 {
                    lowered_from[k] = None;
                }
                if touched[w] || locked[p * days + w] || agents(w) == 0 {
                    continue;
                }
                let dependants: Vec<usize> = (0..=w).filter(|&d| window(d).contains(&w)).collect();
                if dependants.iter().all(|&d| roomy(d)) {
                    for k in k0 {
                        next[k] = staffing[k] - 1;
                        lowered_from[k] = Some(staffing[k]);
                    }
                }
            }
        }
        all_met
    }

    /// Expected e-mails that staffed pool `p` is the one to staff for,
    /// arriving on day `d`.
    fn email_volume(&self, p: usize, d: usize) -> f64 {
        let per_day = self.model.calendar.intervals_per_day as usize;
        self.targeted_streams(p)
            .iter()
            .map(|&s| {
                self.model.streams[s].expected[d * per_day..(d + 1) * per_day]
                    .iter()
                    .sum::<f64>()
            })
            .sum()
    }
}
