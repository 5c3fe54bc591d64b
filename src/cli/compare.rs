//! `ccsim compare`: two plans or more run with common random numbers, each
//! against the first (the baseline) with its paired difference.

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

/// A plan to run: its file, its overrides (the shared ones first) and the
/// name the user gave it.
struct PlanSpec<'a> {
    path: &'a Path,
    sets: Vec<&'a Override>,
    name: Option<&'a str>,
}

/// The plans of the command line, the baseline first: A, then B (the second
/// scenario, or A changed by --set-b), the other scenarios, then the --plan
/// plans in their order.
fn plans(args: &CompareArgs) -> Result<Vec<PlanSpec<'_>>, Error> {
    let shared = || args.set.iter();
    let mut plans = vec![PlanSpec {
        path: &args.a,
        sets: shared().chain(&args.set_a).collect(),
        name: None,
    }];
    let implicit_b = args.b.is_empty()
        && (!args.set_b.is_empty() || (args.plan.is_empty() && !args.set_a.is_empty()));
    if implicit_b {
        plans.push(PlanSpec {
            path: &args.a,
            sets: shared().chain(&args.set_b).collect(),
            name: None,
        });
    }
    for (i, path) in args.b.iter().enumerate() {
        let only_b: &[Override] = if i == 0 { &args.set_b } else { &[] };
        plans.push(PlanSpec {
            path,
            sets: shared().chain(only_b).collect(),
            name: None,
        });
    }
    for (i, p) in args.plan.iter().enumerate() {
        if args.plan[..i].iter().any(|q| q.name == p.name) {
            return Err(Error::Invalid(format!(
                "two plans are named `{}`: give each --plan a name of its own",
                p.name
            )));
        }
        plans.push(PlanSpec {
            path: p.file.as_deref().unwrap_or(&args.a),
            sets: shared().chain(&p.sets).collect(),
            name: Some(&p.name),
        });
    }
    if plans.len() < 2 {
        return Err(Error::Invalid(
            "B would be the same as A: give a second scenario, change one side with --set-a/--set-b, or add plans with --plan".into(),
        ));
    }
    Ok(plans)
}

/// Runs `ccsim compare`.
pub(super) fn run(args: CompareArgs) -> Outcome {
    let plans = plans(&args)?;
    let owned = |sets: &[&Override]| sets.iter().map(|o| (*o).clone()).collect::<Vec<_>>();
    let scenarios = plans
        .iter()
        .map(|p| {
            load(Some(p.path), &owned(&p.sets)).map_err(|e| match (e, p.name) {
                (Error::Invalid(m), Some(name)) => Error::Invalid(format!("plan `{name}`: {m}")),
                (e, _) => e,
            })
        })
        .collect::<Result<Vec<Scenario>, Error>>()?;
    let opts = options(&args.runs, &scenarios[0], 100)?;
    // Another plan may be the larger run (a longer horizon, more volume): it
    // must fit too.
    for s in &scenarios[1..] {
        fits(&s.model, &opts, &args.runs, opts.replications, Files::None)?;
    }
    let _cleared = Planned::new()
        .bundle(&args.files, &report::compare::FILES)
        .check(args.behaviour.force)?;
    let progress = Progress::new(
        scenarios.len() as u64 * u64::from(opts.replications),
        args.behaviour.quiet,
    );
    // One plan after the other, each run parallel over its replications:
    // the figures do not depend on the threads.
    let runs = scenarios
        .iter()
        .map(|s| montecarlo::run(&s.model, opts, &|| progress.tick()))
        .collect::<Result<Vec<_>, _>>();
    progress.finish();
    let runs = runs.map_err(|e| Error::Failed(e.to_string()))?;
    let comparison = compare::compare_plans(
        plans
            .iter()
            .zip(&scenarios)
            .zip(&runs)
            .map(|((p, s), r)| {
                (
                    &s.model,
                    r,
                    side(p.path, &p.sets, s),
                    p.name.map(str::to_string),
                )
            })
            .collect(),
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
