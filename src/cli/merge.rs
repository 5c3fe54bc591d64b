//! `ccsim merge`: the part files of a sharded run into one run's report.

use std::path::PathBuf;

use ccsim::montecarlo::part;
use ccsim::report;

use super::args::MergeArgs;
use super::guard::Planned;
use super::run::write_files;
use super::{EXIT_INVALID, terminal_colour};

/// Runs `ccsim merge`.
pub(super) fn run(args: MergeArgs) -> u8 {
    let mut paths: Vec<PathBuf> = Vec::new();
    for p in &args.parts {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(p) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| f.extension().is_some_and(|x| x == part::EXTENSION))
                    .collect(),
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", p.display());
                    return EXIT_INVALID;
                }
            };
            if found.is_empty() {
                eprintln!("error: {} holds no *.{} file", p.display(), part::EXTENSION);
                return EXIT_INVALID;
            }
            found.sort();
            paths.extend(found);
        } else {
            paths.push(p.clone());
        }
    }
    let mut planned = Planned::new();
    if let Some(dir) = &args.out {
        planned.report_dir(dir);
    }
    planned.maybe(args.json.as_ref());
    if let Err(code) = planned.check(args.force) {
        return code;
    }
    let results = match part::merge(&paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    eprintln!(
        "merged {} part{}: replications 0 to {} (seed {})",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        results.run.replications.saturating_sub(1),
        results.run.seed
    );
    print!("{}", report::table::render(&results, terminal_colour()));
    write_files(
        &results,
        args.json.as_deref(),
        args.out.as_deref(),
        args.png,
    )
}
