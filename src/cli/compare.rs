//! `ccsim compare`: two runs with common random numbers and their paired difference.

use std::path::Path;

use ccsim::montecarlo;
use ccsim::montecarlo::memory::Files;
use ccsim::planning::compare::{self, Side};
use ccsim::report;
use ccsim::scenario::Scenario;
use ccsim::scenario::overrides::Override;

use super::args::CompareArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Progress;
use super::{fits, load, options};

fn side(path: &Path, sets: &[&Override], s: &Scenario) -> Side {
    let mut label = path.display().to_string();
    for o in sets {
        label += &format!(" --set {}", o.text);
    }
    Side {
        label,
        scenario: s.model.name.clone(),
        hash: s.hash.clone(),
    }
}

/// Runs `ccsim compare`.
pub(super) fn run(args: CompareArgs) -> Outcome {
    if args.b.is_none() && args.set_a.is_empty() && args.set_b.is_empty() {
        return Err(Error::Invalid(
            "B would be the same as A: give a second scenario, or change one side with --set-a/--set-b".into(),
        ));
    }
    let b_path = args.b.clone().unwrap_or_else(|| args.a.clone());
    let sets_a: Vec<&Override> = args.set.iter().chain(&args.set_a).collect();
    let sets_b: Vec<&Override> = args.set.iter().chain(&args.set_b).collect();
    let owned = |sets: &[&Override]| sets.iter().map(|o| (*o).clone()).collect::<Vec<_>>();
    let a = load(Some(&args.a), &owned(&sets_a))?;
    let b = load(Some(&b_path), &owned(&sets_b))?;
    let opts = options(&args.runs, &a, 100)?;
    // B may be the larger run (a longer horizon, more volume): it must fit too.
    fits(&b.model, &opts, &args.runs, opts.replications, Files::None)?;
    let _cleared = Planned::new()
        .bundle(&args.files, &report::compare::FILES)
        .check(args.behaviour.force)?;
    let progress = Progress::new(2 * u64::from(opts.replications), args.behaviour.quiet);
    let runs = montecarlo::run(&a.model, opts, &|| progress.tick())
        .and_then(|ra| Ok((ra, montecarlo::run(&b.model, opts, &|| progress.tick())?)));
    progress.finish();
    let (run_a, run_b) = runs.map_err(|e| Error::Failed(e.to_string()))?;
    let comparison = compare::compare(
        (&a.model, &run_a, side(&args.a, &sets_a, &a)),
        (&b.model, &run_b, side(&b_path, &sets_b, &b)),
    )
    .map_err(|e| Error::Failed(e.to_string()))?;
    let f = &args.files;
    output::emit(
        &comparison,
        &Outputs {
            json: f.json.as_deref(),
            csv: f.csv.as_deref(),
            out: f.out.as_deref(),
            png: f.png,
        },
    )?;
    Ok(Exit::Ok)
}
