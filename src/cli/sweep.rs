//! `ccsim sweep`: one scenario at every value of one or two parameters.

use ccsim::planning::sweep::{self, SweepError};
use ccsim::report;
use ccsim::scenario::LoadError;

use super::args::SweepArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};
use super::progress::Progress;
use super::{load, options};

/// Runs `ccsim sweep`.
pub(super) fn run(args: SweepArgs) -> Outcome {
    // The scenario as given must be valid before any point is tried.
    let base = load(Some(&args.scenario), &args.sets.set)?;
    let opts = options(&args.runs, &base, 30)?;
    let _cleared = Planned::new()
        .bundle(&args.files, &report::sweep::FILES)
        .check(args.behaviour.force)?;
    let points: usize = args.vary.iter().map(|p| p.values.len()).product();
    let progress = Progress::new(
        points as u64 * u64::from(opts.replications),
        args.behaviour.quiet,
    );
    let result = sweep::run(
        Some(&args.scenario),
        &args.sets.set,
        &args.vary,
        opts,
        &|| progress.tick(),
    );
    progress.finish();
    let s = result.map_err(|e| match e {
        SweepError::Scenario(LoadError::Invalid(errors)) => Error::Scenario(errors),
        e @ (SweepError::Scenario(_) | SweepError::Shape(_)) => Error::Invalid(e.to_string()),
        e => Error::Failed(e.to_string()),
    })?;
    let f = &args.files;
    output::emit(
        &s,
        &Outputs {
            json: f.json.as_deref(),
            csv: f.csv.as_deref(),
            out: f.out.as_deref(),
            png: f.png,
        },
    )?;
    Ok(Exit::Ok)
}
