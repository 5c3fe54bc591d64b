//! `ccsim run`: one scenario, its replications (all, or a shard's share),
//! the terminal summary and the files asked for.

use std::path::Path;

use ccsim::model::Model;
use ccsim::montecarlo::memory::Files;
use ccsim::montecarlo::part::{self, PartHeader};
use ccsim::montecarlo::precision;
use ccsim::montecarlo::{self, Control, RunError, RunResult};
use ccsim::report;
use ccsim::stats::RunResults;

use super::args::{RunArgs, Shard};
use super::exit::{Error, Exit, Outcome};
use super::guard::Planned;
use super::interrupt;
use super::output::{self, Outputs};
use super::progress::Progress;
use super::{fits, load, log, run_options};

/// Runs `ccsim run`.
pub(super) fn run(args: RunArgs) -> Outcome {
    // First of all, so that a Ctrl-C at any time is handled.
    let stop = interrupt::install();
    let scenario = load(args.scenario.as_deref(), &args.sets.set)?;
    let mut options = run_options(&args.runs, &scenario, 100)?;
    if args.precision.is_some() {
        // The cap: `-r`, else the default; the scenario's fixed count does not apply.
        options.replications = args.runs.replications.unwrap_or(precision::DEFAULT_CAP);
        let first = precision::FIRST_BATCH.min(options.replications);
        if let Some(k) = args.log_replication.filter(|&k| k > first) {
            return Err(Error::Invalid(format!(
                "--log-replication {k}: with --precision only the first batch of {first} replications is sure to run, so use 1 to {first}"
            )));
        }
    }
    let range = match args.shard {
        Some(s) if s.n > options.replications => {
            return Err(Error::Invalid(format!(
                "--shard {}/{}: {} shards for {} replications would leave some empty; use at most {} shards",
                s.k, s.n, s.n, options.replications, options.replications
            )));
        }
        Some(s) => montecarlo::shard_range(options.replications, s.k, s.n),
        None => 0..options.replications,
    };
    let log_plan = log::LogPlan::from_flags(
        args.log.as_ref(),
        args.log_intervals.as_ref(),
        args.log_replication,
        options.replications,
    )?;
    let files = match (&args.shard, &args.out, &args.json) {
        (None, Some(_), _) => Files::Report,
        (Some(_), Some(_), _) | (_, None, Some(_)) => Files::Json,
        // The workbook's tables hold every figure, as the JSON does.
        _ if args.xlsx.is_some() => Files::Json,
        _ => Files::None,
    };
    fits(
        &scenario.model,
        &options,
        &args.runs,
        range.len() as u32,
        files,
    )?;
    let mut planned = Planned::new();
    match (&args.shard, &args.out) {
        (Some(s), Some(dir)) => {
            planned.part(dir, &part::file_name(s.k, s.n));
        }
        (None, Some(dir)) => {
            planned.report_dir(dir);
        }
        _ => {}
    }
    let _cleared = planned
        .maybe(args.json.as_ref())
        .maybe(args.xlsx.as_ref())
        .maybe(args.log.as_ref())
        .maybe(args.log_intervals.as_ref())
        .check(args.behaviour.force)?;
    let progress = Progress::new(range.len() as u64, args.behaviour.quiet);
    let control = Control {
        replications: range.clone(),
        stop: Some(stop),
    };
    // With --precision, batches run until the key figures are precise
    // enough; otherwise the summaries (mean, CI, quantiles) are made below,
    // of the figures reported only.
    let result = match args.precision {
        Some(target) => precision::run_to_precision(
            &scenario.model,
            options,
            target,
            options.replications,
            Some(stop),
            &|| progress.tick(),
        )
        .map(|(run, p)| (run, Some(p))),
        None => {
            montecarlo::simulate_controlled(&scenario.model, options, &control, &|| progress.tick())
                .map(|run| (run, None))
        }
    };
    progress.finish();
    let result = result.map_err(|e| match e {
        RunError::Stopped => {
            Error::Stopped("stopped before any replication finished: nothing written".into())
        }
        e => Error::Failed(e.to_string()),
    })?;
    let (result, precise) = result;
    let done = if result.interrupted {
        Exit::Interrupted
    } else {
        Exit::Ok
    };
    if let (Some(shard), Some(dir)) = (args.shard, &args.out) {
        write_part(&scenario.model, &scenario.hash, shard, dir, &result)?;
        return Ok(done);
    }
    // The logged replication is simulated before anything is written, so
    // that an error leaves no file behind.
    let logs = match &log_plan {
        Some(plan) => log::simulate(&scenario.model, result.options, plan, stop)?,
        None => None,
    };
    // Without files, only the figures of the terminal summary are
    // summarised: a long horizon's per-interval figures are not held twice.
    let mut results = match files {
        Files::None => {
            let results = result.results_of(&scenario.model, &|e| e.in_run_summary());
            drop(result);
            results
        }
        // With files, the figures of days and intervals are summarised as
        // they are written: a long horizon's are never all held summarised.
        _ => result.into_results(&scenario.model),
    };
    results.scenario.hash = scenario.hash.clone();
    results.precision = precise;
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
    if let Some(logs) = logs {
        logs.commit(args.behaviour.quiet)?;
    }
    if results.run.partial {
        eprintln!("{}", report::run::partial_notice(&results));
    }
    if let Some(p) = results
        .precision
        .as_ref()
        .filter(|p| !p.reached && !results.run.partial)
    {
        eprintln!("{}", p.message());
    }
    Ok(done)
}

/// Writes a shard's part file and says which replications it holds.
fn write_part(
    model: &Model,
    hash: &str,
    s: Shard,
    dir: &Path,
    result: &RunResult,
) -> Result<(), Error> {
    let mut frame = RunResults::frame(model, &result.layout);
    frame.scenario.hash = hash.to_string();
    let options = result.options;
    let header = PartHeader {
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: model.name.clone(),
        scenario_hash: hash.to_string(),
        seed: options.seed,
        replications: options.replications,
        shard: s.k,
        shards: s.n,
        first: montecarlo::shard_range(options.replications, s.k, s.n).start,
        count: result.replications.len() as u32,
        requested: montecarlo::shard_range(options.replications, s.k, s.n).len() as u32,
        entries: result.layout.entries.len() as u32,
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Failed(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(part::file_name(s.k, s.n));
    part::write(&path, &header, &frame, result)
        .map_err(|e| Error::Failed(format!("cannot write {e}")))?;
    eprintln!(
        "shard {}/{}: replications {} to {} of {} (seed {}){}; wrote {}",
        s.k,
        s.n,
        result.replications.start,
        result.replications.end.saturating_sub(1),
        options.replications,
        options.seed,
        if result.interrupted {
            " — STOPPED EARLY: this part will not merge, rerun the shard with --force"
        } else {
            ""
        },
        path.display()
    );
    Ok(())
}
