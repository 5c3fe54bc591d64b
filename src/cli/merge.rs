//! `ccsim merge`: the part files of a sharded run into one run's report.

use std::path::PathBuf;

use ccsim::montecarlo::memory::{self, Files};
use ccsim::montecarlo::part;

use super::args::MergeArgs;
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::output::{self, Outputs};

/// The part files given: files as they are, folders for their `*.ccsim-part`.
fn part_files(given: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for p in given {
        if !p.is_dir() {
            paths.push(p.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", p.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.extension().is_some_and(|x| x == part::EXTENSION))
            .collect();
        if found.is_empty() {
            return Err(Error::Invalid(format!(
                "{} holds no *.{} file",
                p.display(),
                part::EXTENSION
            )));
        }
        found.sort();
        paths.extend(found);
    }
    Ok(paths)
}

/// Runs `ccsim merge`.
pub(super) fn run(args: MergeArgs) -> Outcome {
    let paths = part_files(&args.parts)?;
    let mut planned = Planned::new();
    if let Some(dir) = &args.out {
        planned.report_dir(dir);
    }
    let _cleared = planned
        .maybe(args.json.as_ref())
        .maybe(args.xlsx.as_ref())
        .check(args.force)?;
    let parts = part::Parts::open(&paths).map_err(|e| Error::Invalid(e.to_string()))?;
    // Every replication's figures are held at once: refuse a merge that
    // cannot hold them before reading them.
    let files = match (&args.out, &args.json) {
        (Some(_), _) => Files::Report,
        (None, Some(_)) => Files::Json,
        (None, None) if args.xlsx.is_some() => Files::Json,
        (None, None) => Files::None,
    };
    let header = parts.header();
    let need = memory::estimate_merge(
        header.replications,
        header.entries as usize,
        parts.skeleton_bytes(),
        files,
    );
    super::within_memory(&need, args.memory_limit, 1)?;
    let results = parts.merge().map_err(|e| Error::Invalid(e.to_string()))?;
    eprintln!(
        "merged {} part{}: replications 0 to {} (seed {})",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        results.run.replications.saturating_sub(1),
        results.run.seed
    );
    output::emit(
        &results,
        &Outputs {
            json: args.json.as_deref(),
            out: args.out.as_deref(),
            png: args.png,
            ..Outputs::default()
        },
    )?;
    if let Some(path) = &args.xlsx {
        output::workbook(&results, path)?;
    }
    Ok(Exit::Ok)
}
