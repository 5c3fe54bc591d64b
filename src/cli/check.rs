//! `ccsim check`: run a scenario and test the promises of its `[expect]` table.

use ccsim::montecarlo::memory::Files;
use ccsim::montecarlo::{self, precision};
use ccsim::planning::promises::{self, On};

use super::args::{CheckArgs, OnArg};
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Progress;
use super::{fits, load, options};

/// Runs `ccsim check`.
pub(super) fn run(args: CheckArgs) -> Outcome {
    let scenario = load(Some(&args.scenario), &args.sets.set)?;
    if scenario.model.expect.is_empty() {
        return Err(Error::Invalid(format!(
            "{} has no [expect] table: nothing to check. Add promises such as\n  [expect]\n  reachability.call = \">= 0.85\"\n(see `ccsim check --help`)",
            args.scenario.display()
        )));
    }
    let mut options = options(&args.runs, &scenario, 100)?;
    if args.precision.is_some() {
        // The cap: `-r`, else the default; checked for memory as `-r` is.
        options.replications = args.runs.replications.unwrap_or(precision::DEFAULT_CAP);
        fits(
            &scenario.model,
            &options,
            &args.runs,
            options.replications,
            Files::None,
        )?;
    }
    let _cleared = Planned::new()
        .maybe(args.json.as_ref())
        .check(args.behaviour.force)?;
    let progress = Progress::new(u64::from(options.replications), args.behaviour.quiet);
    let result = match args.precision {
        Some(target) => precision::run_to_precision(
            &scenario.model,
            options,
            target,
            options.replications,
            None,
            &|| progress.tick(),
        )
        .map(|(run, p)| (run, Some(p))),
        None => montecarlo::run(&scenario.model, options, &|| progress.tick()).map(|r| (r, None)),
    };
    progress.finish();
    let (result, precise) = result.map_err(|e| Error::Failed(e.to_string()))?;
    let mut results = result.results(&scenario.model);
    results.scenario.hash = scenario.hash.clone();
    if let Some(p) = &precise {
        eprintln!("{}", p.message());
    }
    drop(result);
    let on = match args.on {
        OnArg::Ci => On::Ci,
        OnArg::Mean => On::Mean,
    };
    let check = promises::check(&results, &scenario.model.expect, on);
    output::emit(
        &check,
        &Outputs {
            json: args.json.as_deref(),
            ..Outputs::default()
        },
    )?;
    Ok(if check.holds {
        Exit::Ok
    } else if check.only_unjudged() {
        Exit::Unjudged
    } else {
        Exit::Broken
    })
}
