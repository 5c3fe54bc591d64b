//! `ccsim staff`: the fewest agents per interval that meet the targets.

use ccsim::planning::staff::replace_plans;
use ccsim::planning::{self, Per, PlanKind, StaffError, StaffOptions};
use ccsim::report::staff::{FILES, StaffReport, pool_files, staffing_file};

use super::args::{PerArg, StaffArgs};
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Spinner;
use super::{load, options};

/// Replications per simulation of the search when `-r` is not given.
const SEARCH_REPLICATIONS: u32 = 40;

/// Runs `ccsim staff`.
pub(super) fn run(args: StaffArgs) -> Outcome {
    let scenario = load(args.scenario.as_deref(), &args.sets.set)?;
    let run = options(&args.runs, &scenario, 100)?;
    let options = StaffOptions {
        targets: args.targets.clone(),
        per: match args.per {
            PerArg::Interval => Per::Interval,
            PerArg::Day => Per::Day,
        },
        pools: args.pools.clone(),
        plan: if args.weekly {
            PlanKind::Weekly
        } else {
            PlanKind::PerDate
        },
        // Without -r the search runs at most SEARCH_REPLICATIONS per
        // simulation (its figures are pooled over the days alike), the final
        // check the scenario's replications.
        replications: if args.runs.replications.is_some() {
            run.replications
        } else {
            run.replications.min(SEARCH_REPLICATIONS)
        },
        check_replications: run.replications,
        seed: run.seed,
        threads: run.threads,
        max_iterations: args.max_iterations,
    };
    let mut planned = Planned::new();
    if let Some(dir) = &args.out {
        // The fixed files, and the plan's files of every pool it may staff.
        let mut names: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
        for pool in &scenario.model.pools {
            names.extend(pool_files(&pool.name));
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        planned.folder(dir, &names);
    }
    let _cleared = planned.check(args.behaviour.force)?;
    let bar = Spinner::new(args.behaviour.quiet);
    let result = planning::optimise(&scenario.model, &options, &|p| bar.show(p));
    bar.finish();
    let result = result.map_err(|e| match e {
        StaffError::Run(e) => Error::Failed(e.to_string()),
        e => Error::Invalid(e.to_string()),
    })?;
    // The scenario as given (with the --set overrides), the staffing of
    // every planned pool replaced by its plan.
    let scenario_toml = match (&args.out, &args.scenario) {
        (None, _) => None,
        (Some(_), path) => {
            let source = match path {
                Some(p) => std::fs::read_to_string(p).ok(),
                None => Some(ccsim::scenario::DEFAULT.to_string()),
            };
            match source {
                Some(text) => {
                    let edited = ccsim::scenario::overrides::apply(&text, &args.sets.set)
                        .map_err(|e| Error::Failed(e.to_string()))?;
                    Some(
                        replace_plans(&edited, &result, &|pool| staffing_file(pool))
                            .map_err(Error::Failed)?,
                    )
                }
                None => None,
            }
        }
    };
    let m = &scenario.model;
    let report = StaffReport {
        result: &result,
        scenario: (&m.name, m.calendar.start.to_string(), m.calendar.days),
        scenario_toml,
    };
    output::emit(
        &report,
        &Outputs {
            out: args.out.as_deref(),
            ..Outputs::default()
        },
    )?;
    Ok(Exit::Ok)
}
