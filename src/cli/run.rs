//! `ccsim run`: one scenario, its replications (all, or a shard's share),
//! the terminal summary and the files asked for.

use std::path::Path;

use ccsim::montecarlo::part;
use ccsim::montecarlo::{self, Control, RunError, RunOptions};
use ccsim::report;
use ccsim::stats::RunResults;

use super::args::RunArgs;
use super::guard::Planned;
use super::interrupt::{self, EXIT_INTERRUPTED};
use super::progress::Progress;
use super::{EXIT_FAILURE, EXIT_INVALID, EXIT_OK, load, terminal_colour, write_out};

/// Runs `ccsim run`.
pub(super) fn run(args: RunArgs) -> u8 {
    // First of all, so that a Ctrl-C at any time is handled.
    let stop = interrupt::install();
    let scenario = match load(args.scenario.as_deref(), &args.set) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let options = RunOptions {
        replications: args.replications.or(scenario.replications).unwrap_or(100),
        seed: args.seed.or(scenario.seed).unwrap_or(1700),
        threads: args.threads,
    };
    if options.replications == 0 {
        eprintln!("error: --replications must be at least 1");
        return EXIT_INVALID;
    }
    if options.threads == Some(0) {
        eprintln!("error: --threads must be at least 1");
        return EXIT_INVALID;
    }
    let range = match args.shard {
        Some(s) if s.n > options.replications => {
            eprintln!(
                "error: --shard {}/{}: {} shards for {} replications would leave some empty; use at most {} shards",
                s.k, s.n, s.n, options.replications, options.replications
            );
            return EXIT_INVALID;
        }
        Some(s) => montecarlo::shard_range(options.replications, s.k, s.n),
        None => 0..options.replications,
    };
    let mut planned = Planned::new();
    match (&args.shard, &args.out) {
        (Some(s), Some(dir)) => {
            planned.file(dir.join(part::file_name(s.k, s.n)));
        }
        (None, Some(dir)) => {
            planned.report_dir(dir);
        }
        _ => {}
    }
    planned.maybe(args.json.as_ref());
    if let Err(code) = planned.check(args.force) {
        return code;
    }
    let progress = Progress::new(range.len() as u64, args.quiet);
    let control = Control {
        replications: range.clone(),
        stop: Some(stop),
    };
    let result =
        montecarlo::run_controlled(&scenario.model, options, &control, &|| progress.tick());
    progress.finish();
    let result = match result {
        Ok(r) => r,
        Err(RunError::Stopped) => {
            eprintln!("stopped before any replication finished: nothing written");
            return EXIT_INTERRUPTED;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    let interrupted = result.interrupted;
    let done = if interrupted {
        EXIT_INTERRUPTED
    } else {
        EXIT_OK
    };
    if let (Some(s), Some(dir)) = (args.shard, &args.out) {
        let mut frame = RunResults::frame(&scenario.model, &result.layout);
        frame.scenario.hash = scenario.hash.clone();
        let header = part::PartHeader {
            ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.model.name.clone(),
            scenario_hash: scenario.hash.clone(),
            seed: options.seed,
            replications: options.replications,
            shard: s.k,
            shards: s.n,
            first: range.start,
            count: result.replications.len() as u32,
            requested: range.len() as u32,
            entries: result.layout.entries.len() as u32,
        };
        if let Err(code) = std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))
            .and_then(|()| {
                let path = dir.join(part::file_name(s.k, s.n));
                part::write(&path, &header, &frame, &result)
                    .map(|()| path)
                    .map_err(|e| format!("cannot write {e}"))
            })
            .map(|path| {
                eprintln!(
                    "shard {}/{}: replications {} to {} of {} (seed {}){}; wrote {}",
                    s.k,
                    s.n,
                    result.replications.start,
                    result.replications.end.saturating_sub(1),
                    options.replications,
                    options.seed,
                    if interrupted {
                        " — STOPPED EARLY: this part will not merge, rerun the shard with --force"
                    } else {
                        ""
                    },
                    path.display()
                );
            })
            .map_err(|e| {
                eprintln!("error: {e}");
                EXIT_FAILURE
            })
        {
            return code;
        }
        return done;
    }
    let mut results = result.results(&scenario.model);
    results.scenario.hash = scenario.hash.clone();
    // The per-replication figures are not needed any more: free them before
    // the (possibly large) files are written.
    drop(result);
    print!("{}", report::table::render(&results, terminal_colour()));
    let code = write_files(
        &results,
        args.json.as_deref(),
        args.out.as_deref(),
        args.png,
    );
    if code != EXIT_OK {
        return code;
    }
    if interrupted {
        eprintln!("{}", report::table::partial_notice(&results));
    }
    done
}

/// Writes `--json FILE` and `--out DIR`, if asked for.
pub(super) fn write_files(
    results: &RunResults,
    json: Option<&Path>,
    out: Option<&Path>,
    png: bool,
) -> u8 {
    if let Some(path) = json {
        if let Err(e) = report::json::write_summary(path, results) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_FAILURE;
        }
        eprintln!("wrote {}", path.display());
    }
    if let Some(dir) = out {
        return write_out(results, dir, png);
    }
    EXIT_OK
}
