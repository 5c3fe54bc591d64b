//! `ccsim sweep`: one scenario at every value of one or two parameters.

use ccsim::analysis::sweep::{self, Sweep, SweepError};
use ccsim::report;
use ccsim::report::charts::{self, ImageFormat};
use ccsim::scenario::LoadError;

use super::args::SweepArgs;
use super::progress::Progress;
use super::{
    EXIT_FAILURE, EXIT_INVALID, EXIT_OK, diagnostics, load, options, terminal_colour, write_file,
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
    let csv = report::sweep_table::to_csv(s);
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    if let Some(p) = &args.run.json {
        files.push((p.clone(), json.clone().into_bytes()));
    }
    if let Some(p) = &args.run.csv {
        files.push((p.clone(), csv.clone()));
    }
    if let Some(dir) = &args.run.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return EXIT_FAILURE;
        }
        files.push((dir.join("sweep.json"), json.into_bytes()));
        files.push((dir.join("sweep.csv"), csv));
        let chart = report::chart_data::sweep_chart(s);
        let format = if args.run.png {
            ImageFormat::Png
        } else {
            ImageFormat::Svg
        };
        match charts::render(&chart, format) {
            Ok(bytes) => files.push((
                dir.join(format!("{}.{}", chart.file_stem(), format.extension())),
                bytes,
            )),
            Err(e) => {
                eprintln!("error: cannot draw the chart: {e}");
                return EXIT_FAILURE;
            }
        }
    }
    for (path, bytes) in files {
        if let Err(code) = write_file(&path, &bytes) {
            return code;
        }
    }
    EXIT_OK
}
