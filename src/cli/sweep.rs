//! `ccsim sweep`: one scenario at every value of one or two parameters.

use ccsim::planning::sweep::{self, Sweep, SweepError};
use ccsim::report;
use ccsim::scenario::LoadError;

use super::args::SweepArgs;
use super::progress::Progress;
use super::{
    EXIT_FAILURE, EXIT_INVALID, diagnostics, guard_bundle, load, options, terminal_colour,
    write_bundle,
};

pub(super) fn run(args: SweepArgs) -> u8 {
    // The scenario as given must be valid before any point is tried.
    let base = match load(Some(&args.scenario), &args.set) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let opts = match options(&args.run, &base, 30) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Err(code) = guard_bundle(&args.run, &["sweep.json", "sweep.csv", "sweep.{image}"]) {
        return code;
    }
    let points: usize = args.vary.iter().map(|p| p.values.len()).product();
    let progress = Progress::new(points as u64 * u64::from(opts.replications), args.run.quiet);
    let result = sweep::run(Some(&args.scenario), &args.set, &args.vary, opts, &|| {
        progress.tick()
    });
    progress.finish();
    let s = match result {
        Ok(s) => s,
        Err(SweepError::Scenario(LoadError::Invalid(errors))) => {
            eprint!("{}", diagnostics::render(&errors));
            return EXIT_INVALID;
        }
        Err(e @ (SweepError::Scenario(_) | SweepError::Shape(_))) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    print!("{}", report::sweep_table::render(&s, terminal_colour()));
    write_outputs(&s, &args)
}

fn write_outputs(s: &Sweep, args: &SweepArgs) -> u8 {
    let json = serde_json::to_string_pretty(s).unwrap_or_default() + "\n";
    // The chart is drawn only when a folder asks for it.
    write_bundle(
        &args.run,
        "sweep",
        json,
        report::sweep_table::to_csv(s),
        &|| report::charts::of_sweep(s),
    )
}
