//! The check of a staffing that is not the search's own (a roster of
//! `ccsim schedule`): the model simulated as it is, every target checked as
//! the final check does, and the intervals where a target is missed.

use crate::model::Model;
use crate::montecarlo::RunOptions;

use super::check::Check;
use super::evaluate::Ask;
use super::problem::Problem;
use super::{Progress, StaffError, StaffOptions};

/// A staffing checked against the targets.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The check, as `ccsim staff`'s final check reports it.
    pub check: Check,
    /// Horizon intervals where some target's interval figure has its whole
    /// 95% CI below the target (what makes the check fail).
    pub missing: Vec<usize>,
    /// The index of the (first) pool checked.
    pub pool: usize,
}

/// Simulates `model` (its pools staffed as they are) with `options`'
/// replications and `seed`, and checks `options.targets` on `options.pool`.
pub fn verify(
    model: &Model,
    options: &StaffOptions,
    seed: u64,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Verification, StaffError> {
    let problem = Problem::new(model, options)?;
    let run = RunOptions {
        seed,
        ..problem.options
    };
    // Each target over all the streams it counts, per interval, as the
    // final check measures it.
    let ask = Ask {
        measures: &problem.goals,
        pooled: false,
        in_system: None,
    };
    let eval = problem.evaluate(&problem.model, run, ask, progress)?;
    let check = problem.check(&eval, run, &options.targets);
    let mut missing: Vec<usize> = Vec::new();
    for (g, goal) in problem.goals.iter().enumerate() {
        for (i, e) in eval.interval[g].iter().enumerate() {
            if e.ci_high.is_some_and(|h| h < goal.value) {
                missing.push(i);
            }
        }
    }
    missing.sort_unstable();
    missing.dedup();
    Ok(Verification {
        check,
        missing,
        pool: problem.pools.first().map_or(0, |p| p.index),
    })
}
