//! The proof by simulation: the roster simulated with a seed independent
//! of the staffing search's (`seed + 1`, as `ccsim staff`'s final check),
//! each target checked as `ccsim staff` checks it (no interval whose whole
//! 95% CI lies below the target), and where an interval misses, its
//! requirement raised to one agent on duty above what the roster gave it,
//! and the program solved again — until every target holds, or the rounds
//! run out, or the templates cannot cover the raised requirement (the
//! reason is then said).

use serde::Serialize;

use crate::model::Model;
use crate::planning::staff::{Check, Progress, StaffError, StaffOptions, verify};
use crate::scenario::validate::ShiftTemplates;

use super::{Roster, apply_roster, schedule};

/// How hard the proof tries.
#[derive(Debug, Clone)]
pub struct ProofOptions {
    /// Targets, replications, seed (the check uses `seed + 1`) and pool.
    pub staff: StaffOptions,
    /// Simulations at most (the first roster's included).
    pub max_rounds: u32,
}

/// One simulation of the proof.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    /// 1-based.
    pub number: u32,
    /// Paid agent-hours of the roster simulated.
    pub paid_hours: f64,
    /// Its cost.
    pub cost: f64,
    /// Intervals where a target was missed (whole 95% CI below it).
    pub missing_intervals: usize,
    /// Whether every target held.
    pub met: bool,
}

/// The outcome of the proof.
#[derive(Debug, Clone, Serialize)]
pub struct Proof {
    /// Every simulation, in order.
    pub rounds: Vec<Round>,
    /// Whether the final roster meets every target.
    pub met: bool,
    /// Why the targets could not be met, when they were not.
    pub reason: Option<String>,
    /// The check of the final roster.
    pub check: Check,
    /// The requirement (agents on duty per horizon interval) the final roster covers.
    #[serde(skip)]
    pub requirement: Vec<u32>,
    /// The final roster.
    #[serde(skip)]
    pub roster: Roster,
}

/// Simulates `roster` (which covers `need`) and tops it up until the targets hold.
pub fn prove(
    model: &Model,
    templates: &ShiftTemplates,
    mut need: Vec<u32>,
    mut roster: Roster,
    options: &ProofOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Proof, StaffError> {
    let cal = &model.calendar;
    let seed = options.staff.seed.wrapping_add(1);
    let mut rounds = Vec::new();
    let mut number = 0;
    loop {
        number += 1;
        progress(Progress::Iteration {
            number,
            phase: "roster check",
            agent_hours: roster.paid_hours(),
        });
        let staffed = apply_roster(model, &roster);
        let v = verify(&staffed, &options.staff, seed, progress)?;
        let met = v.check.targets.iter().all(|t| t.met);
        rounds.push(Round {
            number,
            paid_hours: roster.paid_hours(),
            cost: roster.cost(),
            missing_intervals: v.missing.len(),
            met,
        });
        let done =
            |met: bool, reason: Option<String>, roster: Roster, need: Vec<u32>, rounds| Proof {
                rounds,
                met,
                reason,
                check: v.check.clone(),
                requirement: need,
                roster,
            };
        if met {
            return Ok(done(true, None, roster, need, rounds));
        }
        let worst = v
            .missing
            .iter()
            .take(3)
            .map(|&i| {
                let (d, time) = cal.interval_label(i);
                format!("{} {time}", cal.date(d))
            })
            .collect::<Vec<_>>()
            .join(", ");
        if number >= options.max_rounds {
            let reason = format!(
                "after {number} simulations {} interval(s) still miss a target (first: {worst}); raise --max-rounds",
                v.missing.len()
            );
            return Ok(done(false, Some(reason), roster, need, rounds));
        }
        let mut raised = need.clone();
        for &i in &v.missing {
            raised[i] = raised[i].max(roster.on_duty[i]) + 1;
        }
        match schedule(model, templates, roster.pool, &raised) {
            Ok(next) => {
                roster = next;
                need = raised;
            }
            Err(e) => {
                let reason = format!(
                    "{} interval(s) miss a target (first: {worst}), and one more agent on duty there cannot be scheduled: {e}",
                    v.missing.len()
                );
                return Ok(done(false, Some(reason), roster, need, rounds));
            }
        }
    }
}
