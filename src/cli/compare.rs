//! `ccsim compare`: two runs with common random numbers and their paired difference.

use std::path::Path;

use ccsim::montecarlo;
use ccsim::planning::compare::{self, Comparison, Side};
use ccsim::report;
use ccsim::scenario::overrides::Override;

use super::args::CompareArgs;
use super::progress::Progress;
use super::{
    EXIT_FAILURE, EXIT_INVALID, guard_bundle, load, options, terminal_colour, write_bundle,
};

fn label(path: &Path, sets: &[&Override]) -> String {
    let mut l = path.display().to_string();
    for s in sets {
        l += &format!(" --set {}", s.text);
    }
    l
}

pub(super) fn run(args: CompareArgs) -> u8 {
    if args.b.is_none() && args.set_a.is_empty() && args.set_b.is_empty() {
        eprintln!(
            "error: B would be the same as A: give a second scenario, or change one side with --set-a/--set-b"
        );
        return EXIT_INVALID;
    }
    let b_path = args.b.clone().unwrap_or_else(|| args.a.clone());
    let sets_a: Vec<Override> = args.set.iter().chain(&args.set_a).cloned().collect();
    let sets_b: Vec<Override> = args.set.iter().chain(&args.set_b).cloned().collect();
    let a = match load(Some(&args.a), &sets_a) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let b = match load(Some(&b_path), &sets_b) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let opts = match options(&args.run, &a, 100) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Err(code) = guard_bundle(
        &args.run,
        &[
            "comparison.json",
            "comparison.csv",
            "difference_by_time_of_day.{image}",
        ],
    ) {
        return code;
    }
    let progress = Progress::new(2 * u64::from(opts.replications), args.run.quiet);
    let runs = montecarlo::run(&a.model, opts, &|| progress.tick())
        .and_then(|ra| Ok((ra, montecarlo::run(&b.model, opts, &|| progress.tick())?)));
    progress.finish();
    let (run_a, run_b) = match runs {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    let side = |path: &Path, sets: Vec<&Override>, s: &ccsim::scenario::Scenario| Side {
        label: label(path, &sets),
        scenario: s.model.name.clone(),
        hash: s.hash.clone(),
    };
    let side_a = side(&args.a, args.set.iter().chain(&args.set_a).collect(), &a);
    let side_b = side(&b_path, args.set.iter().chain(&args.set_b).collect(), &b);
    let comparison = match compare::compare((&a.model, &run_a, side_a), (&b.model, &run_b, side_b))
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    print!(
        "{}",
        report::compare_table::render(&comparison, terminal_colour())
    );
    write_outputs(&comparison, &args)
}

fn write_outputs(c: &Comparison, args: &CompareArgs) -> u8 {
    let json = serde_json::to_string_pretty(c).unwrap_or_default() + "\n";
    // The chart is drawn only when a folder asks for it.
    write_bundle(&args.run, "comparison", json, compare::to_csv(c), &|| {
        report::charts::of_comparison(c)
    })
}
