//! `ccsim check`: run a scenario and test the promises of its `[expect]` table.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use ccsim::montecarlo;
use ccsim::planning::promises::{self, On};
use ccsim::report;
use ccsim::scenario::overrides::Override;

use super::guard::Planned;
use super::progress::Progress;
use super::{EXIT_FAILURE, EXIT_INVALID, EXIT_OK, load, terminal_colour, write_file};

/// Exit code of `ccsim check` when a promise does not hold.
pub const EXIT_BROKEN: u8 = 1;

pub(super) const AFTER_HELP: &str = "\
A scenario's promises, in its [expect] table (figures over the whole horizon):
  [expect]
  reachability.call = \">= 0.85\"      # or \">= 85%\"; also chat, email, total
  service_level.chat = \">= 0.8\"      # call, chat
  abandonment.call = \"<= 5%\"         # share abandoned: call, chat
  asa.call = \"<= 45s\"                # mean wait of answered contacts
  occupancy.frontline = \"<= 0.9\"     # per pool, by name
  cost = \"<= 1.2e6\"                  # handled seconds × unit price

A promise holds when the whole 95% confidence interval of the figure's mean
lies on the promised side of the threshold (threshold included): for >=, the
CI's lower end is at least the threshold; for <=, its upper end is at most the
threshold. With --on mean, only the mean is compared. A promise whose CI
straddles the threshold is not shown to hold (NOT SHOWN): more replications may
tell. A figure without a value in the run is UNDEFINED.

Exit codes: 0 every promise holds; 1 a promise does not hold (broken, not
shown or undefined), with a table of those; 2 bad arguments, an invalid
scenario or one without [expect].

Examples:
  ccsim check scenarios/quickstart.toml
  ccsim check scenarios/quickstart.toml -r 200 --json check.json
  ccsim check scenarios/quickstart.toml --set pools.agents.agents=7 --on mean";

/// `ccsim check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (TOML) with an `[expect]` table.
    pub scenario: PathBuf,
    /// Change a field of the scenario first, by its dotted path (repeatable), as in `ccsim run --set`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Replications [default: the scenario's `run.replications`, else 100].
    #[arg(short, long)]
    pub replications: Option<u32>,
    /// Seed [default: the scenario's `run.seed`, else 1700].
    #[arg(short, long)]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core].
    #[arg(short = 't', long)]
    pub threads: Option<usize>,
    /// What a promise is tested on: `ci`, the whole 95% confidence interval
    /// must be on the promised side; `mean`, only the mean.
    #[arg(long, value_enum, default_value_t = OnArg::Ci)]
    pub on: OnArg,
    /// Also write every promise, its figure and verdict to this JSON file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Replace an earlier --json file.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnArg {
    /// The whole 95% confidence interval.
    Ci,
    /// The mean only.
    Mean,
}

/// Runs `ccsim check`.
pub(super) fn run(args: CheckArgs) -> u8 {
    let scenario = match load(Some(&args.scenario), &args.set) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if scenario.model.expect.is_empty() {
        eprintln!(
            "error: {} has no [expect] table: nothing to check. Add promises such as\n  [expect]\n  reachability.call = \">= 0.85\"\n(see `ccsim check --help`)",
            args.scenario.display()
        );
        return EXIT_INVALID;
    }
    let multi = super::args::MultiRunArgs {
        replications: args.replications,
        seed: args.seed,
        threads: args.threads,
        json: None,
        csv: None,
        out: None,
        png: false,
        quiet: args.quiet,
        force: args.force,
    };
    let options = match super::options(&multi, &scenario, 100) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Err(code) = Planned::new().maybe(args.json.as_ref()).check(args.force) {
        return code;
    }
    let progress = Progress::new(u64::from(options.replications), args.quiet);
    let result = montecarlo::run(&scenario.model, options, &|| progress.tick());
    progress.finish();
    let result = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    let mut results = result.results(&scenario.model);
    results.scenario.hash = scenario.hash.clone();
    drop(result);
    let on = match args.on {
        OnArg::Ci => On::Ci,
        OnArg::Mean => On::Mean,
    };
    let outcome = promises::check(&results, &scenario.model.expect, on);
    print!(
        "{}",
        report::check_table::render(&outcome, terminal_colour())
    );
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&outcome).unwrap_or_default() + "\n";
        if let Err(code) = write_file(path, json.as_bytes()) {
            return code;
        }
    }
    if outcome.holds { EXIT_OK } else { EXIT_BROKEN }
}
