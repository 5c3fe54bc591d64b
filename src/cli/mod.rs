//! The command line: turns arguments into library calls and reports into
//! the terminal and files. No simulation logic lives here.
//!
//! Every command returns an [`exit::Outcome`]: how it ended, or the error
//! that stopped it, rendered on stderr in one place ([`main`]).

mod args;
mod backtest;
mod chart;
mod check;
mod compare;
mod diagnostics;
mod erlang;
mod exit;
mod fit;
mod forecast;
mod guard;
mod interrupt;
mod lock;
mod log;
mod merge;
mod output;
mod plan_arg;
mod progress;
mod run;
mod schedule;
mod serve;
mod staff;
mod sweep;
mod validate;

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use ccsim::model::Model;
use ccsim::montecarlo::memory::{self, Files, Plan};
use ccsim::montecarlo::{self, Cap, RunOptions};
use ccsim::scenario::overrides::Override;
use ccsim::scenario::{self, LoadError, Scenario};

use args::{Cli, Command, Replications};
use exit::{Error, Exit};

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Invalid
            } else {
                Exit::Ok
            }
            .into();
        }
    };
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Erlang(args) => erlang::run(args),
        Command::Staff(args) => staff::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Check(args) => check::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprint!("{}", e.render());
            e.exit().into()
        }
    }
}

/// A scenario file (or the embedded default) with `--set` overrides.
/// The notes of validation (e.g. a peak outside the horizon, left out) go
/// to stderr as warnings, once per scenario loaded.
fn load(path: Option<&Path>, sets: &[Override]) -> Result<Scenario, Error> {
    let scenario = scenario::load_with(path, sets).map_err(|e| match e {
        LoadError::Invalid(errors) => Error::Scenario(errors),
        LoadError::Read { .. } | LoadError::Override(_) => Error::Invalid(e.to_string()),
    })?;
    warn(scenario.notes.as_ref());
    Ok(scenario)
}

/// Prints notes of validation on stderr, one `warning:` line each.
fn warn(notes: Option<&scenario::ScenarioErrors>) {
    if let Some(notes) = notes {
        for line in notes.to_string().lines() {
            eprintln!("warning: {line}");
        }
    }
}

/// Run options from the command line, else the scenario's `[run]`, else
/// defaults, for a run that keeps every replication's figures and writes no
/// large files; refused when it does not fit in memory.
fn options(
    runs: &Replications,
    scenario: &Scenario,
    default_replications: u32,
) -> Result<RunOptions, Error> {
    let options = run_options(runs, scenario, default_replications)?;
    fits(
        &scenario.model,
        &options,
        runs,
        options.replications,
        Files::None,
    )?;
    Ok(options)
}

/// Run options from the command line, else the scenario's `[run]`, else
/// defaults; the threads capped at the replications and at
/// [`montecarlo::THREADS_PER_CORE`] per core, saying so.
fn run_options(
    runs: &Replications,
    scenario: &Scenario,
    default_replications: u32,
) -> Result<RunOptions, Error> {
    let mut options = RunOptions {
        replications: runs
            .replications
            .or(scenario.replications)
            .unwrap_or(default_replications),
        seed: runs.seed.or(scenario.seed).unwrap_or(1700),
        threads: runs.threads,
    };
    if options.replications == 0 {
        return Err(Error::Invalid(
            "--replications must be at least 1".to_string(),
        ));
    }
    if options.threads == Some(0) {
        return Err(Error::Invalid("--threads must be at least 1".to_string()));
    }
    let workers = montecarlo::workers(options.threads, options.replications);
    if let (Some(asked), Some(cap)) = (options.threads, workers.capped) {
        let why = match cap {
            Cap::Replications => format!("one per replication ({})", options.replications),
            Cap::Cores { cores } => format!(
                "at most {} per core, and this machine has {cores}",
                montecarlo::THREADS_PER_CORE
            ),
        };
        eprintln!(
            "note: --threads {asked}: using {} worker threads, {why}; the figures are the same",
            workers.threads
        );
        options.threads = Some(workers.threads);
    }
    Ok(options)
}

/// Refuses, before anything is simulated (exit code 2), a run whose
/// estimated peak memory exceeds `--memory-limit`, else the memory the
/// system has available (see `montecarlo::memory`), or whose arrival rates no
/// memory could simulate. `kept` replications' figures are kept; `files`
/// are written.
fn fits(
    model: &Model,
    options: &RunOptions,
    runs: &Replications,
    kept: u32,
    files: Files,
) -> Result<(), Error> {
    memory::check_rates(model).map_err(|e| Error::Invalid(e.to_string()))?;
    let workers = montecarlo::workers(options.threads, kept).threads;
    let plan = Plan {
        replications: kept,
        workers,
        files,
    };
    let need = memory::estimate(model, &plan);
    within_memory(&need, runs.memory_limit, workers)
}

/// Refuses (exit code 2) what needs more memory than `--memory-limit`
/// (`limit`), else than the system has available with `workers` threads; it
/// passes when neither is known.
fn within_memory(need: &memory::Need, limit: Option<u64>, workers: usize) -> Result<(), Error> {
    match memory::budget(limit, workers) {
        Some(budget) => memory::check(need, &budget).map_err(|e| Error::Invalid(e.to_string())),
        None => Ok(()),
    }
}
