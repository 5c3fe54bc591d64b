//! The staffing optimiser behind `ccsim staff`: the fewest agents per
//! interval of one pool that meet service targets in every interval (or on
//! every day), for time-varying load with carry-over between intervals.
//!
//! Its steps, one module each: `problem` resolves the targets and the
//! pool; `guess` is Erlang A's first guess; `iterate` the iterative
//! staffing by simulation (ISA); `correct` the correction against the
//! targets; `pattern` the weekly pattern; `check` the final check.
//! `evaluate` runs one simulation of the search.
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
//!    (calls and chats of the streams it serves, averaged as the one
//!    interval-load model [`crate::planning::load`] defines: arrival rate,
//!    mean handle time with a chat counting `1/concurrency` of an agent,
//!    patience through the mean abandonment rate) is taken as stationary,
//!    and `n₀(i)` is the fewest agents whose Erlang A figures meet every
//!    target. It ignores carry-over between intervals, closing time, other
//!    pools and non-exponential times.
//! 2. **Iterative staffing (ISA)** of Feldman, Mandelbaum, Massey and Whitt,
//!    "Staffing of time-varying queues to achieve time-stable performance",
//!    *Management Science* 54(2), 2008. Each interval gets the delay
//!    probability `α(i)` that Erlang A associates with its first guess. The
//!    system is simulated with staffing `nₖ`, recording the distribution of the
//!    number `L(t)` of contacts in the system (waiting or in service, in
//!    agents' worth); the next staffing is `nₖ₊₁(i) = min { n : P(L ≥ n) ≤ α(i) }`,
//!    the probability taken over the interval's time and the replications.
//!    This is repeated until the staffing settles: no interval changes, or
//!    fewer than one in 20 (an agent up or down here and there, the noise
//!    of the coarse stage; the correction moves every interval next), or it
//!    comes back to a staffing it had; the correction starts from that
//!    staffing and its simulation. ISA carries the
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
//! **Stages of replications.** ISA and the first corrections simulate with a
//! quarter of the replications (at least 10); the correction then goes on
//! with twice as many, stage after stage, up to all of them
//! ([`stages`]). A stage ends when its staffing no longer changes, or
//! after the first stage when it has settled (at most one in 20 of its
//! intervals would change, as for ISA), or when
//! it has used its share of the simulations (the stages before the last
//! together three quarters of `max_iterations`); the next one starts from
//! its staffing with no floors. Only a staffing that met every target with
//! all the replications is kept. The last stage also ends when every
//! target is met and what the next step would lower is under 0.05% of the
//! agents (a few agents here and there, each lowering a simulation of all
//! the replications). Replication `i` draws the same random
//! numbers in every stage, so a coarse simulation is the first replications
//! of a finer one: a stage's first simulation, of the staffing the stage
//! before ended with, runs only the replications that stage did not.
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

mod check;
mod correct;
mod evaluate;
mod guess;
mod iterate;
mod pattern;
mod problem;
mod verify;

use serde::Serialize;

use crate::model::Model;
use crate::montecarlo::RunError;

use super::target::Target;
use evaluate::{Evaluation, Kept};
use problem::Problem;

pub use check::{Check, TargetCheck};
pub use pattern::{WeeklyPattern, replace_plans, replace_staffing, scheduled_for};
pub use verify::{Verification, verify};

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
    /// The pools to staff; empty: every pool that serves a targeted channel.
    pub pools: Vec<String>,
    /// The plan: per date (the search's own staffing) or the weekly pattern.
    pub plan: PlanKind,
    /// Replications per simulation of the search.
    pub replications: u32,
    /// Replications of the final check.
    pub check_replications: u32,
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
    /// Whether the correction ended with every target met and nothing to
    /// lower (or less than 0.05% of the agents, see [`optimise`]).
    pub converged: bool,
    /// Replications per stage of the search, the last one all of them.
    pub stages: Vec<u32>,
    /// Replications simulated by the search in all (ISA and correction).
    pub replications_run: u64,
    /// Replications a simulation took over from the one before instead of
    /// running them again: the same staffing, the same random numbers (at
    /// the start of each stage after the first).
    pub replications_reused: u64,
}

/// Which staffing the plan is: the search's own per date, or the weekly
/// pattern made of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Agents per date and interval, as the search found them.
    PerDate,
    /// Each weekday and time of day the most any date of that weekday needed.
    Weekly,
}

/// The plan of one staffed pool.
#[derive(Debug, Clone, Serialize)]
pub struct PoolPlan {
    /// The pool.
    pub pool: String,
    /// Whether it is staffed for e-mail (per day, flat over its open hours)
    /// rather than for calls and chats.
    pub email: bool,
    /// The targets it was searched against (each over the streams it is the
    /// one to staff for).
    pub targets: Vec<String>,
    /// Its shrinkage.
    pub shrinkage: f64,
    /// Price of a scheduled agent-hour.
    pub hour_price: f64,
    /// The plan: agents on duty per horizon interval (what the final check simulated).
    pub interval_staffing: Vec<u32>,
    /// Agents scheduled (before shrinkage) per horizon interval.
    pub scheduled: Vec<u32>,
    /// The search's staffing per horizon interval (the plan itself, per date).
    pub searched: Vec<u32>,
    /// Erlang A's first guess per horizon interval.
    pub first_guess: Vec<u32>,
    /// The weekly view: the most any date of each weekday needed in the search.
    pub weekly: WeeklyPattern,
    /// Agent hours on duty over the horizon with the plan (extra support included).
    pub agent_hours: f64,
    /// Agent hours scheduled (paid) over the horizon with the plan.
    pub scheduled_hours: f64,
    /// `scheduled_hours × hour_price`.
    pub staff_cost: f64,
    /// Agent hours on duty with the scenario's own staffing.
    pub scenario_agent_hours: f64,
    /// Scheduled hours with the scenario's own staffing.
    pub scenario_scheduled_hours: f64,
    /// The scenario's scheduled hours × hour_price.
    pub scenario_staff_cost: f64,
    /// Agent hours of Erlang A's first guess.
    pub first_guess_agent_hours: f64,
}

/// What `ccsim staff` found.
#[derive(Debug, Clone, Serialize)]
pub struct StaffResult {
    /// Per date or weekly.
    pub plan: PlanKind,
    /// One plan per staffed pool.
    pub plans: Vec<PoolPlan>,
    /// Targets.
    pub targets: Vec<String>,
    /// Per interval or per day (calls and chats; e-mail is always per day).
    pub per: Per,
    /// Replications per simulation.
    pub replications: u32,
    /// Seed of the search.
    pub seed: u64,
    /// First day of the horizon.
    pub start: String,
    /// Days of the horizon.
    pub days: u32,
    /// Interval length, seconds.
    pub interval: f64,
    /// How the search went.
    pub iterations: Iterations,
    /// Scheduled hours of the staffed pools with the plan.
    pub scheduled_hours: f64,
    /// Their staff cost with the plan (scheduled hours × hour_price, summed).
    pub staff_cost: f64,
    /// Scheduled hours of the staffed pools with the scenario's staffing.
    pub scenario_scheduled_hours: f64,
    /// Their staff cost with the scenario's staffing.
    pub scenario_staff_cost: f64,
    /// Days alike in the model that the search staffed alike (classes of days).
    pub day_classes: usize,
    /// The final check of the plan.
    pub check: Check,
}

impl StaffResult {
    /// Intervals per day.
    pub fn intervals_per_day(&self) -> usize {
        (86_400.0 / self.interval).round() as usize
    }
}

/// The search under way: the simulations run so far and how it went.
struct Search<'a> {
    problem: &'a Problem,
    progress: &'a (dyn Fn(Progress) + Sync),
    /// Simulations run so far (all phases).
    number: u32,
    /// Replications of the next simulation (the stage under way).
    replications: u32,
    iterations: Iterations,
    /// The last simulation's replications, for the next one to take over
    /// when it simulates the same staffing with more.
    kept: Kept,
}

impl Search<'_> {
    /// Runs the next simulation of the search.
    fn simulate(
        &mut self,
        staffing: &[u32],
        phase: &'static str,
        in_system: Option<usize>,
    ) -> Result<Evaluation, StaffError> {
        self.number += 1;
        let (eval, ran) = self.problem.simulate(
            staffing,
            self.number,
            phase,
            in_system,
            self.replications,
            &mut self.kept,
            self.progress,
        )?;
        self.iterations.replications_run += u64::from(ran);
        self.iterations.replications_reused += u64::from(self.replications - ran);
        Ok(eval)
    }
}

/// The replications of the search's stages: a quarter of the search's
/// replications (at least 10, at most all of them), doubled stage after
/// stage up to all of them. ISA and the coarse corrections run with the
/// first; the staffing kept is the one the last (all replications) found.
pub(super) fn stages(replications: u32) -> Vec<u32> {
    let mut r = (replications / 4).max(10).min(replications);
    let mut stages = vec![r];
    while r < replications {
        r = (r * 2).min(replications);
        stages.push(r);
    }
    stages
}

/// Optimises the staffing of the pools of `model` for `options.targets`:
/// one plan per staffed pool, simulated together.
pub fn optimise(
    model: &Model,
    options: &StaffOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<StaffResult, StaffError> {
    let problem = Problem::new(model, options)?;
    let stages = stages(options.replications);
    let mut search = Search {
        problem: &problem,
        progress,
        number: 0,
        replications: stages[0],
        iterations: Iterations {
            isa: 0,
            isa_converged: false,
            correction: 0,
            converged: false,
            stages: stages.clone(),
            replications_run: 0,
            replications_reused: 0,
        },
        kept: Kept::default(),
    };
    // 1. Erlang A per interval (an e-mail desk: per day).
    let first_guess = guess::first_guess(&problem);
    // 2. ISA.
    let isa_budget = (options.max_iterations / 2).clamp(1, 10);
    let isa = iterate::isa(&mut search, &first_guess, isa_budget)?;
    // 3. Correction against the targets.
    let staffing = correct::correct(&mut search, isa, &stages, options.max_iterations.max(2))?;
    // The plan per pool, per date or weekly, and its final check.
    let n = problem.intervals();
    let patterns: Vec<WeeklyPattern> = (0..problem.pools.len())
        .map(|p| problem.pattern(p, &staffing[p * n..(p + 1) * n]))
        .collect();
    let plan: Vec<u32> = match options.plan {
        PlanKind::PerDate => staffing.clone(),
        PlanKind::Weekly => (0..problem.pools.len())
            .flat_map(|p| problem.staffing_of_pattern(p, &patterns[p]))
            .collect(),
    };
    let (check, staffed) =
        problem.final_check(&plan, search.number + 1, &options.targets, progress)?;
    let interval_hours = model.calendar.interval / 3600.0;
    let hours_of = |pool: &crate::model::Pool| {
        (
            pool.available.iter().map(|&n| f64::from(n)).sum::<f64>() * interval_hours,
            pool.scheduled.iter().sum::<f64>() * interval_hours,
        )
    };
    let plans: Vec<PoolPlan> = problem
        .pools
        .iter()
        .enumerate()
        .map(|(p, pool)| {
            let own = &model.pools[pool.index];
            let (agent_hours, _) = hours_of(&staffed[p]);
            let (scenario_agent_hours, scenario_scheduled_hours) = hours_of(own);
            let interval_staffing = plan[p * n..(p + 1) * n].to_vec();
            let scheduled: Vec<u32> = interval_staffing
                .iter()
                .map(|&a| scheduled_for(a, own.shrinkage))
                .collect();
            let scheduled_hours =
                scheduled.iter().map(|&s| f64::from(s)).sum::<f64>() * interval_hours;
            let guess = &first_guess.staffing[p * n..(p + 1) * n];
            PoolPlan {
                pool: own.name.clone(),
                email: pool.email,
                targets: pool
                    .objectives
                    .iter()
                    .map(|&o| {
                        let g = problem.goal_of_objective(o);
                        options.targets[g].text.clone()
                    })
                    .collect(),
                shrinkage: own.shrinkage,
                hour_price: own.hour_price,
                interval_staffing,
                scheduled,
                searched: staffing[p * n..(p + 1) * n].to_vec(),
                first_guess: guess.to_vec(),
                weekly: patterns[p].clone(),
                agent_hours,
                scheduled_hours,
                staff_cost: scheduled_hours * own.hour_price,
                scenario_agent_hours,
                scenario_scheduled_hours,
                scenario_staff_cost: scenario_scheduled_hours * own.hour_price,
                first_guess_agent_hours: hours(model, guess),
            }
        })
        .collect();
    Ok(StaffResult {
        plan: options.plan,
        targets: options.targets.iter().map(|t| t.text.clone()).collect(),
        per: options.per,
        replications: options.replications,
        seed: options.seed,
        start: model.calendar.start.to_string(),
        days: model.calendar.days,
        interval: model.calendar.interval,
        iterations: search.iterations,
        scheduled_hours: plans.iter().map(|p| p.scheduled_hours).sum(),
        staff_cost: plans.iter().map(|p| p.staff_cost).sum(),
        scenario_scheduled_hours: plans.iter().map(|p| p.scenario_scheduled_hours).sum(),
        scenario_staff_cost: plans.iter().map(|p| p.scenario_staff_cost).sum(),
        day_classes: problem.classes.len(),
        plans,
        check,
    })
}

/// Agent hours of a staffing per interval.
fn hours(model: &Model, staffing: &[u32]) -> f64 {
    staffing.iter().map(|&n| f64::from(n)).sum::<f64>() * model.calendar.interval / 3600.0
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

#[cfg(test)]
mod tests {
    use super::stages;

    #[test]
    fn stages_start_at_a_quarter_of_at_least_ten_and_double_up_to_all() {
        assert_eq!(stages(40), vec![10, 20, 40]);
        assert_eq!(stages(100), vec![25, 50, 100]);
        assert_eq!(stages(30), vec![10, 20, 30]);
        assert_eq!(stages(16), vec![10, 16]);
        assert_eq!(stages(10), vec![10]);
        assert_eq!(stages(4), vec![4]);
        assert_eq!(stages(2), vec![2]);
    }
}
