//! `ccsim schedule`: shift templates turned into a roster at the least cost.

use ccsim::planning::schedule::{
    Need, ScheduleOptions, ScheduleRunError, plan, scenario_with_roster, working_days,
};
use ccsim::planning::{Per, StaffError, StaffOptions};
use ccsim::report::schedule::{FILES, ScheduleReport};
use ccsim::scenario::validate::{requirement_file, shift_templates};

use super::args::ScheduleArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Spinner;
use super::{load, options};

/// Runs `ccsim schedule`.
pub(super) fn run(args: ScheduleArgs) -> Outcome {
    let scenario = load(args.scenario.as_deref(), &args.sets.set)?;
    let model = &scenario.model;
    let shown = args.shifts.display().to_string();
    let text = std::fs::read_to_string(&args.shifts)
        .map_err(|e| Error::Invalid(format!("cannot read {shown}: {e}")))?;
    let templates = shift_templates(&text, &shown, model).map_err(Error::Scenario)?;
    let need = match &args.requirement {
        Some(path) => Need::Given {
            file: path.display().to_string(),
            agents: requirement_file(path, &model.calendar).map_err(Error::Invalid)?,
        },
        None => {
            let run = options(&args.runs, &scenario, 100)?;
            Need::Targets(StaffOptions {
                targets: args.targets.clone(),
                per: Per::Interval,
                pools: args.pool.iter().cloned().collect(),
                plan: ccsim::planning::staff::PlanKind::PerDate,
                replications: run.replications,
                check_replications: run.replications,
                seed: run.seed,
                threads: run.threads,
                max_iterations: args.max_iterations,
            })
        }
    };
    let mut planned = Planned::new();
    planned.maybe(args.json.as_ref());
    if let Some(dir) = &args.out {
        planned.folder(dir, &FILES);
    }
    let _cleared = planned.check(args.behaviour.force)?;
    let bar = Spinner::new(args.behaviour.quiet);
    let result = plan(
        model,
        &templates,
        &ScheduleOptions {
            pool: args.pool.clone(),
            need,
            max_rounds: args.max_rounds,
        },
        &|p| bar.show(p),
    );
    bar.finish();
    let mut result = result.map_err(|e| match e {
        ScheduleRunError::Staff(StaffError::Run(e)) => Error::Failed(e.to_string()),
        e => Error::Invalid(e.to_string()),
    })?;
    // The scenario as given (with the --set overrides), the pool's staffing
    // replaced by the roster's shifts.
    let scenario_toml = match &args.out {
        None => None,
        Some(_) => {
            let source = match &args.scenario {
                Some(p) => std::fs::read_to_string(p)
                    .map_err(|e| Error::Failed(format!("cannot read {}: {e}", p.display())))?,
                None => ccsim::scenario::DEFAULT.to_string(),
            };
            let edited = ccsim::scenario::overrides::apply(&source, &args.sets.set)
                .map_err(|e| Error::Failed(e.to_string()))?;
            let works = working_days(model, result.roster.pool);
            let (toml, note) = scenario_with_roster(&edited, model, &result.roster, &works)
                .map_err(Error::Failed)?;
            result.notes.extend(note);
            Some(toml)
        }
    };
    let cal = &model.calendar;
    let report = ScheduleReport {
        plan: &result,
        scenario: model.name.clone(),
        dates: (0..cal.days).map(|d| cal.date(d)).collect(),
        per_day: cal.intervals_per_day as usize,
        scenario_toml,
    };
    output::emit(
        &report,
        &Outputs {
            json: args.json.as_deref(),
            out: args.out.as_deref(),
            ..Outputs::default()
        },
    )?;
    let missed = result.proof.as_ref().is_some_and(|p| !p.met);
    Ok(if missed { Exit::Failed } else { Exit::Ok })
}
