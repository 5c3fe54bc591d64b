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
use evaluate::Evaluation;
use problem::Problem;

pub use check::{Check, TargetCheck};
pub use pattern::{WeeklyPattern, replace_staffing, scheduled_for};
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

/// The search under way: the simulations run so far and how it went.
struct Search<'a> {
    problem: &'a Problem,
    progress: &'a (dyn Fn(Progress) + Sync),
    /// Simulations run so far (all phases).
    number: u32,
    iterations: Iterations,
}

impl Search<'_> {
    /// Runs the next simulation of the search.
    fn simulate(
        &mut self,
        staffing: &[u32],
        phase: &'static str,
        in_system: bool,
    ) -> Result<Evaluation, StaffError> {
        self.number += 1;
        self.problem
            .simulate(staffing, self.number, phase, in_system, self.progress)
    }
}

/// Optimises the staffing of one pool of `model` for `options.targets`.
pub fn optimise(
    model: &Model,
    options: &StaffOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<StaffResult, StaffError> {
    let problem = Problem::new(model, options)?;
    let p = problem.pool;
    let mut search = Search {
        problem: &problem,
        progress,
        number: 0,
        iterations: Iterations {
            isa: 0,
            isa_converged: false,
            correction: 0,
            converged: false,
        },
    };
    // 1. Erlang A per interval.
    let first_guess = guess::first_guess(&problem);
    // 2. ISA.
    let isa_budget = (options.max_iterations / 2).clamp(1, 10);
    let isa = iterate::isa(&mut search, &first_guess, isa_budget)?;
    // 3. Correction against the targets.
    let staffing = correct::correct(&mut search, isa, options.max_iterations.max(2))?;
    // The weekly pattern and its final check.
    let pattern = problem.pattern(&staffing);
    let (check, staffed) =
        problem.final_check(&pattern, search.number + 1, &options.targets, progress)?;
    let hours_of = |pool: &crate::model::Pool| {
        (
            pool.available.iter().map(|&n| f64::from(n)).sum::<f64>() * model.calendar.interval
                / 3600.0,
            pool.scheduled.iter().sum::<f64>() * model.calendar.interval / 3600.0,
        )
    };
    let (agent_hours, scheduled_hours) = hours_of(&staffed);
    let (scenario_agent_hours, scenario_scheduled_hours) = hours_of(&model.pools[p]);
    Ok(StaffResult {
        pool: model.pools[p].name.clone(),
        targets: options.targets.iter().map(|t| t.text.clone()).collect(),
        per: options.per,
        replications: options.replications,
        seed: options.seed,
        first_guess_agent_hours: hours(model, &first_guess.staffing),
        interval_staffing: staffing,
        first_guess: first_guess.staffing,
        pattern,
        iterations: search.iterations,
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
