//! The whole of `ccsim schedule` below the command line: the requirement
//! (a file, or `ccsim staff`'s search for targets), the roster that covers
//! it at the least cost, and with targets its proof by simulation.

use std::time::Instant;

use serde::Serialize;

use crate::model::Model;
use crate::planning::staff::{Progress, StaffError, StaffOptions, optimise};
use crate::scenario::validate::ShiftTemplates;

use super::{
    Coverage, Proof, ProofOptions, Roster, ScheduleError, coverage, elapsed, prove, schedule,
    working_days,
};

/// Where the requirement comes from.
#[derive(Debug, Clone)]
pub enum Need {
    /// Agents on duty per horizon interval, as read from a file (named for the report).
    Given {
        /// The file's name.
        file: String,
        /// Agents on duty per horizon interval (fractions are rounded up).
        agents: Vec<f64>,
    },
    /// The staffing search of `ccsim staff` for these targets.
    Targets(StaffOptions),
}

/// What to schedule.
#[derive(Debug, Clone)]
pub struct ScheduleOptions {
    /// The pool; `None` when the templates (or the targets) name one.
    pub pool: Option<String>,
    /// The requirement.
    pub need: Need,
    /// Simulations of the proof at most (with targets).
    pub max_rounds: u32,
}

/// Why `ccsim schedule` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleRunError {
    /// The staffing search or a simulation failed.
    #[error(transparent)]
    Staff(#[from] StaffError),
    /// No roster covers the requirement.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// The options make no sense.
    #[error("{0}")]
    Options(String),
}

/// What `ccsim schedule` found.
#[derive(Debug, Clone, Serialize)]
pub struct SchedulePlan {
    /// The pool scheduled.
    pub pool: String,
    /// Where the requirement came from.
    pub source: String,
    /// Interval length, seconds.
    pub interval: f64,
    /// The pool's shrinkage.
    pub shrinkage: f64,
    /// The requirement the first roster covers (agents on duty per horizon interval).
    pub requirement: Vec<u32>,
    /// The requirement the final roster covers (raised where the proof needed it).
    pub final_requirement: Vec<u32>,
    /// The roster.
    pub roster: Roster,
    /// Over- and under-staffed hours against the final requirement.
    pub coverage: Coverage,
    /// Paid agent-hours.
    pub paid_hours: f64,
    /// Paid hours × price.
    pub cost: f64,
    /// Templates of the pool.
    pub templates: usize,
    /// Integer variables (template × start × break placement × date).
    pub columns: usize,
    /// Seconds spent in the staffing search (with targets).
    pub staff_seconds: Option<f64>,
    /// Seconds spent solving the first roster.
    pub solve_seconds: f64,
    /// The proof (with targets).
    pub proof: Option<Proof>,
    /// Things the planner should know.
    pub notes: Vec<String>,
}

/// Runs `ccsim schedule`'s computation.
pub fn plan(
    model: &Model,
    templates: &ShiftTemplates,
    options: &ScheduleOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SchedulePlan, ScheduleRunError> {
    let pool_index = |name: &str| {
        model
            .pools
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ScheduleRunError::Options(format!("--pool {name}: no such pool")))
    };
    let mut staff_seconds = None;
    let (pool, need, source) = match &options.need {
        Need::Given { file, agents } => {
            let pool = match &options.pool {
                Some(name) => pool_index(name)?,
                None => {
                    let mut used: Vec<usize> = templates.templates.iter().map(|t| t.pool).collect();
                    used.sort_unstable();
                    used.dedup();
                    match used.as_slice() {
                        [p] => *p,
                        _ => {
                            return Err(ScheduleRunError::Options(format!(
                                "the templates staff several pools ({}); choose one with --pool NAME",
                                used.iter()
                                    .map(|&p| model.pools[p].name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )));
                        }
                    }
                }
            };
            let need = agents.iter().map(|&a| a.max(0.0).ceil() as u32).collect();
            (pool, need, format!("requirement file {file}"))
        }
        Need::Targets(staff) => {
            let mut staff = staff.clone();
            // The staffing search for the one pool the roster is for: the
            // one named, or else the one the templates staff.
            let mut used: Vec<usize> = templates.templates.iter().map(|t| t.pool).collect();
            used.sort_unstable();
            used.dedup();
            if let Some(name) = &options.pool {
                staff.pools = vec![name.clone()];
            } else if let [only] = used[..] {
                staff.pools = vec![model.pools[only].name.clone()];
            }
            let start = Instant::now();
            let result = optimise(model, &staff, progress)?;
            staff_seconds = Some(elapsed(start));
            let plan = match &staff.pools[..] {
                [name] => result.plans.iter().find(|p| &p.pool == name),
                _ => result.plans.first(),
            }
            .ok_or_else(|| {
                ScheduleRunError::Options("the staffing search staffed no pool".into())
            })?;
            let pool = pool_index(&plan.pool)?;
            (
                pool,
                plan.interval_staffing.clone(),
                format!("ccsim staff for {}", result.targets.join(", ")),
            )
        }
    };
    let start = Instant::now();
    let roster = schedule(model, templates, pool, &need)?;
    let solve_seconds = elapsed(start);
    let mut notes = Vec::new();
    let (roster, final_requirement, proof) = match &options.need {
        Need::Targets(staff) => {
            let mut staff = staff.clone();
            staff.pools = vec![model.pools[pool].name.clone()];
            let proof_options = ProofOptions {
                staff,
                max_rounds: options.max_rounds.max(1),
            };
            let proof = prove(
                model,
                templates,
                need.clone(),
                roster,
                &proof_options,
                progress,
            )?;
            (proof.roster.clone(), proof.requirement.clone(), Some(proof))
        }
        Need::Given { .. } => (roster, need.clone(), None),
    };
    let cov = coverage(model, &final_requirement, &roster.on_duty);
    if model.pools.len() > 1 {
        notes.push(format!(
            "only pool {} is scheduled; the other pools keep the scenario's staffing",
            model.pools[pool].name
        ));
    }
    let works = working_days(model, pool);
    let columns = super::columns(model, &templates.templates, pool, &works).len();
    Ok(SchedulePlan {
        pool: model.pools[pool].name.clone(),
        source,
        interval: model.calendar.interval,
        shrinkage: model.pools[pool].shrinkage,
        requirement: need,
        final_requirement,
        paid_hours: roster.paid_hours(),
        cost: roster.cost(),
        coverage: cov,
        roster,
        templates: templates
            .templates
            .iter()
            .filter(|t| t.pool == pool)
            .count(),
        columns,
        staff_seconds,
        solve_seconds,
        proof,
        notes,
    })
}
