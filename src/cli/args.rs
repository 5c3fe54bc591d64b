//! Every command-line flag, with its help text, in one place.

use std::path::PathBuf;

use ccsim::montecarlo::memory;
use ccsim::planning::sweep::Parameter;
use ccsim::planning::target::Target;
use ccsim::scenario::overrides::Override;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Simulate a multi-channel contact center (calls, chats, e-mail) and report
/// reachability, service level, waiting times, occupancy and cost, each with
/// its 95% confidence interval over Monte Carlo replications.
#[derive(Debug, Parser)]
#[command(name = "ccsim", version, propagate_version = true, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  ccsim run                                         # the embedded Q2 2021 scenario of the 1700 line
  ccsim run scenarios/quickstart.toml               # a scenario file
  ccsim run scenarios/vlaanderen-1700-2021q1.toml --replications 200 --seed 7 --json q1.json
  ccsim run scenarios/vlaanderen-1700-2021q2.toml --out q2/    # report.html, charts, CSV, JSON
  ccsim run scenarios/quickstart.toml --out week/ && ccsim chart week/summary.json --out week-png/ --png
  ccsim validate scenarios/vlaanderen-1700-2021q1.toml   # check a file without simulating
  ccsim run scenarios/quickstart.toml --set pools.agents.agents=10      # change one field
  ccsim compare scenarios/vlaanderen-1700-2021q2.toml --set-b pools.frontline.scale=1.15
  ccsim sweep scenarios/quickstart.toml --vary pools.agents.agents=6..12:1
  ccsim staff scenarios/quickstart.toml --target 'reachability>=0.95'
  ccsim forecast scenarios/forecast-covid-certificates.toml --base scenarios/vlaanderen-1700-2021q1.toml
  ccsim erlang --rate 470 --aht 5m --agents 40 --patience 3m
  ccsim erlang --rate 470 --aht 5m --patience 3m --target 'service_level(20s)>=0.8'
  for k in 1 2 3; do ccsim run scenarios/quickstart.toml --shard $k/3 --out parts/ --quiet; done   # a third each
  ccsim merge parts/ --out merged/                  # the shards together (all of them), exactly one run's result
  ccsim check scenarios/quickstart.toml             # the scenario's [expect] promises, for CI
  ccsim backtest my.toml --actual history.csv --out bt/   # the scenario against what really happened
  ccsim fit examples/history/intervals-2023.csv --out fitted.toml --report fit/   # a scenario fitted to history

Exit codes: 0 success (check: every promise holds); 1 the run failed
(backtest: a coverage below --expect-coverage); 2 bad
arguments, an invalid scenario, or output that exists and would be
overwritten without --force; 3 (check) a promise does not hold; 4 (check)
none is broken but some could not be judged; 130 stopped by Ctrl-C or
SIGTERM (run: the completed replications were written, marked partial).";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and print per-channel and per-day figures with 95% confidence intervals.
    #[command(
        after_help = "Examples:\n  ccsim run\n  ccsim run scenarios/quickstart.toml --replications 50 --threads 2\n  ccsim run scenarios/vlaanderen-1700-2021q2.toml --json q2.json --quiet\n  ccsim run scenarios/vlaanderen-1700-2021q2.toml --out q2/ && xdg-open q2/report.html\n  ccsim run scenarios/vlaanderen-1700-2021q2.toml --out q2/ --force     # replace an earlier report\n  ccsim run scenarios/vlaanderen-1700-2021q2.toml -r 1000 --shard 3/10 --out parts/\n  ccsim run scenarios/quickstart.toml -r 20 --log contacts.csv --log-replication 3 --log-intervals intervals.csv\n  ccsim run scenarios/quickstart.toml --out week/ --xlsx week.xlsx    # and an Excel workbook\n\nCtrl-C (or SIGTERM) stops a long run cleanly: no new replication starts, the\nones in progress finish, and the completed replications 0..k are reported and\nwritten, marked partial (\"partial\": true in summary.json), exit code 130.\nA second Ctrl-C, a second or more later, quits at once, writing nothing.\nA report folder is written whole: its files are replaced as one set, and a\nsecond run into a folder being written is refused."
    )]
    Run(RunArgs),
    /// Redraw the charts, CSV tables and HTML report (or the Excel workbook) of a saved run from its summary.json, without simulating.
    #[command(
        after_help = "Example:\n  ccsim run scenarios/quickstart.toml --out week/\n  ccsim chart week/summary.json --out week-png/ --png\n  ccsim chart week/summary.json --xlsx week.xlsx"
    )]
    Chart(ChartArgs),
    /// Compare two plans or more run with the same random numbers (scenarios, or one scenario changed by --set-b or --plan): each plan's figures with their 95% CI and its paired difference against A, the baseline.
    #[command(
        after_help = "Examples:\n  ccsim compare scenarios/vlaanderen-1700-2021q1.toml scenarios/vlaanderen-1700-2021q2.toml\n  ccsim compare scenarios/vlaanderen-1700-2021q2.toml --set-b pools.frontline.scale=1.15 --out plus15/\n  ccsim compare scenarios/quickstart.toml --set-a pools.agents.agents=8 --set-b pools.agents.agents=10\n  ccsim compare scenarios/vlaanderen-1700-2021q2.toml --set pools.frontline.hour_price=32 --plan 'extra staff=--set pools.frontline.scale=1.1' --plan 'more email=--set pools.email_desk.scale=1.5' --out plans/"
    )]
    #[command(
        mut_arg("replications", |a| a.help("Replications of each run [default: scenario A's `run.replications`, else 100]")),
        mut_arg("seed", |a| a.help("Seed shared by both runs (the pairing of random numbers) [default: scenario A's `run.seed`, else 1700]"))
    )]
    Compare(CompareArgs),
    /// Run a scenario at every value of one or two parameters (same random numbers at every point) and chart reachability, service level, ASA and cost against them.
    #[command(
        after_help = "Examples:\n  ccsim sweep scenarios/quickstart.toml --vary pools.agents.agents=6..12:1\n  ccsim sweep scenarios/vlaanderen-1700-2021q2.toml --vary pools.frontline.scale=0.9..1.3:0.05 --out staffing-curve/\n  ccsim sweep scenarios/vlaanderen-1700-2021q1.toml --vary scale.volume=1.0..2.5:0.25 --vary pools.frontline.scale=1.0..1.4:0.2\n  ccsim sweep scenarios/shifts.toml --vary 'pools.agents.extra[0].agents=0..8:2'"
    )]
    Sweep(SweepArgs),
    /// Forecast a new theme on a base scenario: contacts per week and month, handled hours and cost (low / likely / high), everyone's reachability with no agents added, and the extra agents per interval that keep the base's reachability.
    #[command(
        after_help = "Examples:\n  ccsim forecast scenarios/forecast-covid-certificates.toml --base scenarios/vlaanderen-1700-2021q1.toml\n  ccsim forecast scenarios/forecast-covid-certificates.toml --base scenarios/vlaanderen-1700-2021q2.toml -r 50 --agent-hour-price 32 --out forecast/ --png\n\nThe theme file's format is in docs/forecast.md."
    )]
    Forecast(ForecastArgs),
    /// Check a scenario file and report every problem in it, without simulating.
    #[command(after_help = "Example:\n  ccsim validate scenarios/vlaanderen-1700-2021q1.toml")]
    Validate(ValidateArgs),
    /// Analytic Erlang B, C and A figures for a stationary queue (no simulation).
    #[command(
        after_help = "Examples: 470 calls an hour, 5-minute handle time, 3-minute mean patience, 40 agents:\n  ccsim erlang --rate 470 --aht 5m --patience 3m --agents 40\nThe agents needed for 80% answered within 20 s, Erlang C and Erlang A side by side:\n  ccsim erlang --rate 470 --aht 5m --patience 3m --target 'service_level(20s)>=0.8'"
    )]
    Erlang(ErlangArgs),
    /// The fewest agents per interval of a pool that meet service targets (Erlang A, then simulation-based iterative staffing).
    #[command(
        after_help = STAFF_HELP,
        mut_arg("replications", |a| a.help("Replications per simulation, in the search and in the final check [default: the final check the scenario's `run.replications`, else 100; the search at most 40 of them]")),
        mut_arg("seed", |a| a.help("Seed of the search; the final check uses seed + 1 [default: the scenario's `run.seed`, else 1700]"))
    )]
    Staff(StaffArgs),
    /// Merge the part files of a sharded run (`ccsim run --shard K/N`) into the report one run with the same seed gives, byte for byte.
    #[command(after_help = MERGE_HELP)]
    Merge(MergeArgs),
    /// Run a scenario and test the promises of its `[expect]` table on the 95% confidence intervals: exit 0 when every promise holds, 1 with a table of the broken ones.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Simulate the period of an actual history and set actual against simulated per day and interval: reachability, service level, ASA and abandonment, the share of days inside the simulated P5–P95 band (coverage), the mean absolute error and the worst days.
    #[command(
        after_help = BACKTEST_HELP,
        mut_arg("replications", |a| a.help("Replications: the P5–P95 band of each day is taken over them, so 100 or more [default: the scenario's `run.replications`, else 100]"))
    )]
    Backtest(BacktestArgs),
    /// Fit a scenario to contact-center history (contact logs or interval reports): volumes with their weekday and intraday profiles, handle times, patience, opening hours and closed days, each with its 95% CI; writes a commented scenario and a fit report.
    #[command(after_help = FIT_HELP)]
    Fit(FitArgs),
    /// Turn shift templates into a roster (head counts per template, start, break and date) that covers a requirement at the least cost, by an integer program; with --target, simulate the roster and add staff where it misses.
    #[command(
        after_help = SCHEDULE_HELP,
        mut_arg("replications", |a| a.help("Replications per simulation, in the staffing search and the proof [default: the scenario's `run.replications`, else 100]")),
        mut_arg("seed", |a| a.help("Seed of the staffing search; the proof uses seed + 1 [default: the scenario's `run.seed`, else 1700]"))
    )]
    Schedule(ScheduleArgs),
    /// Open the planner's workbench in the browser: a scenario library, editors for staffing, volumes, handle times, patience and targets, runs with live progress and the report, all on this computer.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
}

const SERVE_HELP: &str = "\
Examples:
  ccsim serve                          # the built-in scenarios (read-only), on http://127.0.0.1:8080/
  ccsim serve scenarios/               # a folder of scenarios: edit, save, run
  ccsim serve my-plans/ --port 9000    # another port (0: any free port)
  ccsim serve my-plans/ --max-replications 5000 --max-days 800

The workbench is a web page served by ccsim itself: nothing is installed and
nothing is fetched from the network. It prints its address
(`ccsim workbench: http://127.0.0.1:8080/`); open it in a browser.

Without FOLDER it serves the curated scenarios built into ccsim, read-only:
open, edit and run them; to save, start it on a folder of your own (a copy of
`scenarios/` will do). With FOLDER, every `.toml` file in it (and in its
subfolders, two deep) is in the library; the workbench reads and writes only
files inside FOLDER, and saves keep the file's comments and layout.

It listens on 127.0.0.1 (this computer only). `--host 0.0.0.0` opens it to
the network, without any password: do that only on a network you trust.
Ctrl-C stops it.";

const SCHEDULE_HELP: &str = "\
Examples:
  ccsim schedule scenarios/quickstart.toml --shifts examples/schedule/shifts-quickstart.toml --requirement examples/schedule/requirement-quickstart.csv
  ccsim schedule scenarios/quickstart.toml --shifts examples/schedule/shifts-quickstart.toml --target 'reachability.call>=0.9' -r 20 --out roster/
  ccsim schedule scenarios/vlaanderen-1700-2021q2.toml --set horizon.start=2021-06-07 --set horizon.end=2021-06-13 --shifts examples/schedule/shifts-1700.toml --pool frontline --target 'reachability>=0.9' -r 20 --out peak-week/

The requirement is agents on duty (after shrinkage) per interval: a CSV
file with columns date,interval,agents (--requirement), or the staffing
`ccsim staff` finds for the targets (--target). Each interval asks for the
fewest scheduled agents whose share on duty, round(scheduled x (1 -
shrinkage)), reaches it. The integer program (good_lp with microlp, solved
to optimality) minimises paid hours x price over one variable per template,
start, break placement and date; the shifts file is described in
docs/planning.md.

With --target the roster is simulated (seed + 1) and checked as ccsim staff
checks its staffing; where an interval misses, its requirement is raised to
one agent above what the roster gave it and the program solved again, up to
--max-rounds simulations, or until the templates cannot cover it (the
reason is printed).

--out DIR writes roster.csv, coverage.csv, schedule.json, scenario.toml
(the scenario with the roster as the pool's shifts), charts/ and
report.html.";

const BACKTEST_HELP: &str = "\
The scenario's horizon becomes the history's period (or --from/--to), as
--set horizon.start=… would make it, and its intervals the history's. Each
actual day (and interval) with contacts is set against the simulated mean and
the band from the 5th to the 95th percentile of the replications, per live
channel (call, chat, visit) and, per day, per theme. Themes are matched by
name: a history theme the scenario lacks, or a scenario theme with volume the
history lacks, is an error.

Coverage is the share of actual values inside the band: about 90% when the
scenario describes the period well. --expect-coverage X fails (exit 1) when
the day coverage of reachability, service level (when the history has
answered_within and the scenario's threshold), ASA or abandonment share, all
live channels together, is below X. Offered is shown, not judged.

--replay takes the actual offered counts as each theme and channel's
expected volume per interval (the simulated days then differ from the actual
ones only by Poisson noise and by the service the scenario models) and, when
the history has agents, the actual agents as the staffing of the scenario's
single pool (with several pools their own staffing stays): a backtest of the
service model alone.

Examples:
  ccsim backtest scenarios/my-q2.toml --actual q2-intervals.csv
  ccsim backtest my.toml --actual jan.csv --actual feb.csv --from 2021-01-04 --to 2021-02-26 --out backtest/
  ccsim backtest my.toml --actual acd-export.csv --mapping acd.toml --replay -r 200
  ccsim backtest my.toml --actual history.csv --expect-coverage 0.8 --quiet   # a CI check

--out DIR writes report.html (coverage, worst days, charts of actual against
simulated per day and over the average day), backtest.json, days.csv,
intervals.csv, coverage.csv and charts/. --csv writes the days' table.
The history formats and the mapping file are in docs/history.md; a walk-
through is in docs/fitting.md.";

const FIT_HELP: &str = "\
Examples:
  ccsim run scenarios/quickstart.toml --log contacts.csv     # a history to try it on
  ccsim fit contacts.csv --out fitted.toml
  ccsim fit examples/history/intervals-2023.csv --from 2023-01-01 --to 2023-03-31 --out q1.toml --report q1-fit/
  ccsim fit export-*.csv --mapping acd.toml --base scenarios/vlaanderen-1700-2021q2.toml --out fitted.toml
  ccsim fit contacts.csv --out q3.toml --horizon-start 2021-07-01 --horizon-end 2021-09-30 --json -

HISTORY files are all contact logs (one row per contact) or all interval
reports (one row per date x interval x theme x channel), in ccsim's own
formats or an ACD's through --mapping (see docs/history.md). The kind is
told from the header.

The scenario (--out) is validated before it is written and carries every
fitted value's 95% confidence interval in a comment. Without --base it has
one line (the opening hours and closed days found), the fitted patience, one
theme per theme found and one pool, staffed from the history's `agents`
column or else inferred with Erlang A (marked INFERRED: replace it with your
staffing). With --base, the base's lines, pools and other tables are kept and
its themes are replaced by the fitted ones. See docs/fitting.md.

Exit codes: 0 written; 2 a history file, the mapping or the base is invalid
(the error names the file, line and column), or an output would be
overwritten without --force; 1 a file could not be written.";

const CHECK_HELP: &str = "\
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
tell. A figure without a value in the run, or without a CI (one
replication), is UNDEFINED: the promise could not be judged.

Exit codes: 0 every promise holds; 3 a promise does not hold (broken or not
shown), with a table of those; 4 none is broken or not shown, but some could
not be judged (UNDEFINED: no value, or -r 1); 1 the run failed; 2 bad
arguments, an invalid scenario or one without [expect].

Examples:
  ccsim check scenarios/quickstart.toml
  ccsim check scenarios/quickstart.toml -r 200 --json check.json
  ccsim check scenarios/quickstart.toml --set pools.agents.agents=7 --on mean";

const STAFF_HELP: &str = "\
Examples:
  ccsim staff scenarios/vlaanderen-1700-2021q2.toml --set horizon.end=2021-04-18 --target 'reachability>=0.90'
  ccsim staff scenarios/quickstart.toml --target 'reachability>=0.9' --target 'service_level(60s)>=0.8' --out staffing/
  ccsim staff scenarios/vlaanderen-1700-2021q2.toml --set horizon.end=2021-04-25 --target 'reachability.call>=0.9' --target 'reachability.chat>=0.8' --target 'reachability.email>=0.95' --out q2-plan/
  ccsim staff scenarios/quickstart.toml --target 'reachability.call>=90%' --pool agents --per day --weekly

Targets: METRIC[(THRESHOLD)][.CHANNEL]>=VALUE with METRIC reachability or
service_level, CHANNEL call, chat or email (default: calls and chats
together), VALUE a share (0.9) or a percentage (90%). E-mail takes
reachability only: the share picked up within sla_working_days, targeted per
day. During the search an interval (a day) meets a target when the lower end
of the 95% confidence interval of its mean is at or above it; the final
check, with an independent seed, reports the means.

The plan is per date: the staffing the search found for every date and
interval of the horizon (dates alike in the scenario get the same staffing).
--weekly makes the weekly pattern the plan instead (each weekday and time the
most any date of that weekday needed). Every pool that serves a targeted
channel is staffed, all simulated together; a stream served by several goes
to the pool that serves it first among its skills (the frontline taking
e-mail only when idle leaves it to the e-mail desk). --pool NAME (repeatable)
staffs only those; the others keep their staffing.

--out DIR writes per pool staffing-POOL.csv (date,interval,agents: the plan,
as pools.NAME.staffing = { file = ... } reads it), weekly-POOL.csv and
weekly-POOL.toml (the weekly view, a table to paste), scenario.toml (the
scenario running the plan: ccsim run DIR/scenario.toml), check.json (the
result), report.html and charts/. Staff cost is scheduled hours × the pool's
hour_price.";

const MERGE_HELP: &str = "\
Examples:
  for k in 1 2 3; do ccsim run scenarios/quickstart.toml -r 300 --shard $k/3 --out parts/ --quiet; done
  ccsim merge parts/ --out week/
  ccsim merge parts/part-1-of-3.ccsim-part parts/part-2-of-3.ccsim-part parts/part-3-of-3.ccsim-part --json week.json

Every shard of the run must be given once, all of the same scenario, seed,
replications and ccsim version; the merge refuses anything else, naming the
files. A folder stands for every *.ccsim-part file in it. See docs/sharding.md
for Slurm job arrays and Kubernetes Indexed Jobs.";

/// How many replications, from which seed, on how many threads: shared by
/// every command that simulates.
#[derive(Debug, Clone, Copy, Args)]
pub struct Replications {
    /// Number of Monte Carlo replications of the whole horizon, 1 to
    /// 10000000 [default: the scenario's `run.replications`, else 100 (sweep: 30)].
    #[arg(short, long, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub replications: Option<u32>,
    /// Seed: the same seed gives the same figures on any machine and any
    /// number of threads [default: the scenario's `run.seed`, else 1700].
    #[arg(short, long)]
    pub seed: Option<u64>,
    /// Worker threads, at most one per replication and four per core
    /// [default: one per core].
    #[arg(short = 't', long)]
    pub threads: Option<usize>,
    /// The memory the run may use, e.g. `16G` or `512MiB`: a run whose
    /// estimated peak is larger is refused before it starts (exit code 2)
    /// [default: the memory available, as /proc/meminfo, the cgroup's limit
    /// and `ulimit -v` tell].
    #[arg(long, value_name = "SIZE", value_parser = memory::parse_size)]
    pub memory_limit: Option<u64>,
}

/// One `--set PATH=VALUE`. Only the reason is returned: clap's frame already
/// quotes the argument and names the flag.
fn parse_set(text: &str) -> Result<Override, String> {
    text.parse::<Override>().map_err(|e| e.message)
}

/// One `--plan NAME=CHANGES` of `ccsim compare`. Only the reason is
/// returned: clap's frame already quotes the argument and names the flag.
fn parse_plan(text: &str) -> Result<super::plan_arg::PlanArg, String> {
    text.parse()
}

/// `--precision`: a half-width in proportion units (`0.002`) or percentage
/// points (`0.2%`), above 0 and at most 0.5.
fn parse_precision(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(points) => points.trim().parse::<f64>().map(|p| p / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("expected a half-width such as 0.002 or 0.2%, got `{text}`"))?;
    ccsim::montecarlo::precision::check_target(value)
}

/// Changes to the scenario: shared by every command that reads one.
#[derive(Debug, Clone, Args)]
pub struct Sets {
    /// Change a field of the scenario by its dotted path, e.g.
    /// `--set pools.frontline.agents=45`, or an entry of a list by its index
    /// from 0: `--set 'pools.agents.extra[0].agents=6'`,
    /// `--set 'pools.agents.shifts[1].count.mon=4'` (Monday only).
    /// Repeatable; checked like the file itself, which is never touched.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub set: Vec<Override>,
}

/// Progress bar and overwriting: shared by every command that runs long or
/// writes files.
#[derive(Debug, Clone, Copy, Args)]
pub struct Behaviour {
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Replace the files of an earlier run. Without it, ccsim refuses to
    /// start when they exist (exit code 2), so that a finished report is
    /// never lost to a mistyped folder.
    #[arg(long)]
    pub force: bool,
}

/// The files of the commands that write a JSON document, a tidy CSV and a
/// folder with a chart (`compare`, `sweep`, `forecast`).
#[derive(Debug, Clone, Args)]
pub struct Bundle {
    /// Write every figure to this JSON file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write every figure to this CSV file (tidy: one row per figure).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the JSON, the CSV and the chart into this folder.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The chart as PNG instead of SVG (with --out).
    #[arg(long, requires = "out")]
    pub png: bool,
}

/// `ccsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Part files (`part-K-of-N.ccsim-part`), or folders holding them.
    #[arg(required = true, value_name = "PARTS")]
    pub parts: Vec<PathBuf>,
    /// Write the whole report into this folder, as `ccsim run --out` does.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write every figure to this JSON file, as `ccsim run --json` does.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the run's Excel workbook to this file (.xlsx), as `ccsim run
    /// --xlsx` does.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Charts as PNG instead of SVG (with --out).
    #[arg(long, requires = "out")]
    pub png: bool,
    /// Replace the files of an earlier run in --out or --json.
    #[arg(long)]
    pub force: bool,
    /// Memory the merge may use, e.g. `8G`, `512M`: a merge whose estimated
    /// peak (every replication's figures at once) is larger is refused before
    /// it reads them (exit code 2) [default: the memory available].
    #[arg(long, value_name = "SIZE", value_parser = memory::parse_size)]
    pub memory_limit: Option<u64>,
}

/// `ccsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Without it, the embedded default scenario
    /// (the 1700 line in Q2 2021) is run.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub sets: Sets,
    /// Also write every figure (horizon, day and interval; per channel, theme,
    /// line and pool; mean, 95% CI, P5/P50/P95) to this JSON file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the whole report into this folder (created if needed):
    /// summary.json, days.csv, intervals.csv (weekdays.csv with visits),
    /// charts/ and a self-contained report.html to open in any browser, offline.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Charts as PNG instead of SVG (with --out).
    #[arg(long, requires = "out", conflicts_with = "shard")]
    pub png: bool,
    /// Run only shard K of N of the replications (a contiguous block:
    /// replications ⌊(K−1)·R/N⌋ to ⌊K·R/N⌋−1) and write them to
    /// DIR/part-K-of-N.ccsim-part for `ccsim merge`. Needs --out.
    #[arg(long, value_name = "K/N", requires = "out", conflicts_with = "json")]
    pub shard: Option<Shard>,
    /// Run replications until the 95% CI of every key figure (reachability
    /// and service level of each channel over the horizon, reachability of
    /// all channels together) lies within ± this of its mean, in proportion
    /// units: 0.002 (or `0.2%`) is ±0.2 points. The run goes in batches of
    /// its own replications (20 first), so its figures are exactly those of
    /// `-r N` for the N it reached, on any number of threads. With it, `-r`
    /// is the most replications to run [default: 1000].
    #[arg(long, value_name = "HALF-WIDTH", value_parser = parse_precision, conflicts_with = "shard")]
    pub precision: Option<f64>,
    #[command(flatten)]
    pub behaviour: Behaviour,
    /// Write the contact log of one replication to this CSV file: one row
    /// per contact attempt (contact, caller, line, theme, channel, arrival,
    /// outcome, wait, handle, pool), in order of the contacts' ends, as an
    /// ACD's contact export gives them; its totals are exactly that
    /// replication's figures. `ccsim fit` reads it back (docs/history.md).
    #[arg(long, value_name = "FILE", conflicts_with = "shard")]
    pub log: Option<PathBuf>,
    /// Write the interval report of the same replication to this CSV file:
    /// per date, interval, theme and channel, the offered, answered and
    /// abandoned contacts, answered within the service-level threshold,
    /// mean handle time, ASA, abandonment wait and agents available, one row
    /// for every interval the theme's line is open (for e-mail, which arrives
    /// around the clock, every interval of every day; zeros when nothing
    /// came), as an ACD's interval report gives them.
    #[arg(long, value_name = "FILE", conflicts_with = "shard")]
    pub log_intervals: Option<PathBuf>,
    /// Which replication --log and --log-intervals tell, counted from 1 as
    /// reports show them, 1 to the number of replications (-r) [default: 1].
    /// It is simulated once more, alone, with the same random numbers as in
    /// the run, so the log's totals are exactly that replication's figures.
    #[arg(long, value_name = "K")]
    pub log_replication: Option<u32>,
    /// Also write an Excel workbook of the run to this file (.xlsx): a "Key
    /// figures" sheet (scenario, seed, replications; per channel and pool
    /// the reachability, service level, abandonment, average wait,
    /// occupancy and cost with their 95% CI and targets) and the tables of
    /// days.csv ("Days") and intervals.csv ("Intervals"), as number cells.
    #[arg(long, value_name = "FILE", conflicts_with = "shard")]
    pub xlsx: Option<PathBuf>,
}

/// `--shard K/N`: shard K (from 1) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 1.
    pub k: u32,
    /// Number of shards.
    pub n: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("expected K/N with 1 <= K <= N, e.g. 2/3, got `{s}`");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// `ccsim chart`.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// The summary.json of an earlier run (`ccsim run --out DIR` or `--json FILE`).
    pub summary: PathBuf,
    /// Folder for the charts, CSV tables, summary.json and report.html (created if needed).
    #[arg(short, long, value_name = "DIR", required_unless_present = "xlsx")]
    pub out: Option<PathBuf>,
    /// Write the run's Excel workbook to this file (.xlsx), as `ccsim run
    /// --xlsx` does: key figures, and the Days and Intervals tables.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Charts as PNG instead of SVG (with --out).
    #[arg(long, requires = "out")]
    pub png: bool,
    /// Replace the files of an earlier report in --out (and --xlsx).
    #[arg(long)]
    pub force: bool,
}

/// `ccsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario A (TOML).
    pub a: PathBuf,
    /// Scenario B, then C, D ... for more plans against A [default: scenario A, changed by --set-b].
    #[arg(value_name = "B")]
    pub b: Vec<PathBuf>,
    /// A named plan against A: `NAME=[SCENARIO] --set PATH=VALUE ...`, e.g.
    /// `--plan 'extra staff=--set pools.frontline.scale=1.1'`; without a
    /// SCENARIO it changes A's file (--set applies to it too). Repeatable:
    /// one column per plan.
    #[arg(long = "plan", value_name = "NAME=CHANGES", value_parser = parse_plan)]
    pub plan: Vec<super::plan_arg::PlanArg>,
    /// Change a field in both A and B (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub set: Vec<Override>,
    /// Change a field in A only (repeatable).
    #[arg(long = "set-a", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub set_a: Vec<Override>,
    /// Change a field in B only (repeatable).
    #[arg(long = "set-b", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub set_b: Vec<Override>,
    // Both runs use the same seed and replications: their random numbers
    // are paired.
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub files: Bundle,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

/// `ccsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A parameter and its values, PATH=FROM..TO:STEP (both ends included),
    /// e.g. `pools.frontline.agents=30..60:5`, `scale.volume=1.0..2.5:0.25`
    /// or an entry of a list, `'pools.agents.extra[0].agents=0..8:2'`.
    /// Give it once, or twice for a grid.
    #[arg(long, value_name = "PATH=FROM..TO:STEP", required = true)]
    pub vary: Vec<Parameter>,
    #[command(flatten)]
    pub sets: Sets,
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub files: Bundle,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

/// `ccsim forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Theme file (TOML, see docs/forecast.md).
    pub theme: PathBuf,
    /// The base scenario the theme is added to.
    #[arg(long, value_name = "SCENARIO")]
    pub base: PathBuf,
    #[command(flatten)]
    pub sets: Sets,
    /// Price of an extra agent hour, for the cost of the extra agents (default: the
    /// `hour_price` of the pool that gets them, when it has one).
    #[arg(long, value_name = "PRICE")]
    pub agent_hour_price: Option<f64>,
    /// Most simulations that check (and raise) the extra agents of each case.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub checks: u32,
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub files: Bundle,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

/// `ccsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file (TOML), or a theme file of `ccsim forecast`.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sets: Sets,
}

/// `ccsim check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (TOML) with an `[expect]` table.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sets: Sets,
    #[command(flatten)]
    pub runs: Replications,
    /// What a promise is tested on: `ci`, the whole 95% confidence interval
    /// must be on the promised side; `mean`, only the mean.
    #[arg(long, value_enum, default_value_t = OnArg::Ci)]
    pub on: OnArg,
    /// Run replications until the 95% CI of every key figure (reachability
    /// and service level of each channel over the horizon, reachability of
    /// all channels together) lies within ± this of its mean, as `ccsim run
    /// --precision` does: 0.002 (or `0.2%`) is ±0.2 points; `-r` is then the
    /// most replications to run [default: 1000].
    #[arg(long, value_name = "HALF-WIDTH", value_parser = parse_precision)]
    pub precision: Option<f64>,
    /// Also write every promise, its figure and verdict to this JSON file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

/// `--on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnArg {
    /// The whole 95% confidence interval.
    Ci,
    /// The mean only.
    Mean,
}

/// `ccsim staff`.
#[derive(Debug, Args)]
pub struct StaffArgs {
    /// Scenario file (TOML). Without it, the embedded default scenario
    /// (the 1700 line in Q2 2021).
    pub scenario: Option<PathBuf>,
    /// A target that must hold, e.g. `reachability>=0.90`,
    /// `service_level(60s)>=0.8`, `reachability.call>=90%`. Repeatable.
    #[arg(long = "target", value_name = "TARGET", required = true)]
    pub targets: Vec<Target>,
    /// Whether the targets hold in every interval or for every day's contacts together.
    #[arg(long, value_enum, default_value_t = PerArg::Interval)]
    pub per: PerArg,
    /// A pool to staff; repeatable [default: every pool that serves a
    /// targeted channel, each for the streams it serves first].
    #[arg(long = "pool", value_name = "NAME")]
    pub pools: Vec<String>,
    /// Make the plan the weekly pattern (each weekday and time the most any
    /// date of that weekday needs) instead of the plan per date.
    #[arg(long)]
    pub weekly: bool,
    // Every simulation of the search and the final check runs these
    // replications; the final check uses the seed + 1.
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub sets: Sets,
    /// Simulations the search may run (ISA and correction together).
    #[arg(long, default_value_t = 40)]
    pub max_iterations: u32,
    /// Folder for the plan per pool (staffing-POOL.csv, weekly-POOL.csv,
    /// weekly-POOL.toml), scenario.toml, check.json, report.html and
    /// charts/ (created if needed).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

/// `--per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerArg {
    /// In every interval.
    Interval,
    /// For each day's contacts together.
    Day,
}

/// `ccsim fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// History files: contact logs or interval reports, all of one kind.
    #[arg(required = true, value_name = "HISTORY")]
    pub histories: Vec<PathBuf>,
    /// The scenario file to write (TOML).
    #[arg(long, value_name = "SCENARIO")]
    pub out: PathBuf,
    /// First date to fit, e.g. 2021-01-01 [default: the history's first date].
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last date to fit, included [default: the history's last date].
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// A scenario whose lines, pools and other tables the fitted scenario
    /// keeps (its themes are replaced by the fitted ones).
    #[arg(long, value_name = "SCENARIO")]
    pub base: Option<PathBuf>,
    /// How to read an ACD's export (TOML, see docs/history.md)
    /// [default: ccsim's own formats].
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Interval length for contact logs, e.g. "15m" (interval reports have
    /// their own) [default: the base's interval, else 30m].
    #[arg(long, value_parser = parse_duration_arg)]
    pub interval: Option<f64>,
    /// First day of the scenario's horizon [default: the fit period's].
    #[arg(long, value_name = "DATE", requires = "horizon_end")]
    pub horizon_start: Option<chrono::NaiveDate>,
    /// Last day of the scenario's horizon, included.
    #[arg(long, value_name = "DATE", requires = "horizon_start")]
    pub horizon_end: Option<chrono::NaiveDate>,
    /// Write the fit report into this folder: report.html, fit.json and
    /// charts/ (daily volume, intraday profiles, handle-time histograms,
    /// patience survival, each actual against fitted).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Write the fit (every fitted value with its CI) to this JSON file; `-`
    /// for standard output alone.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Charts as PNG instead of SVG (with --report).
    #[arg(long, requires = "report")]
    pub png: bool,
    /// Replace the files of an earlier fit.
    #[arg(long)]
    pub force: bool,
}

/// `ccsim erlang`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Arrivals per hour.
    #[arg(long)]
    pub rate: f64,
    /// Average handle time, e.g. "5m", "300s" or 300 (seconds).
    #[arg(long, value_parser = parse_duration_arg)]
    pub aht: f64,
    /// Number of agents (or give --target to find how many are needed).
    #[arg(long, required_unless_present = "target")]
    pub agents: Option<u32>,
    /// Staffing mode: the fewest agents meeting a target, Erlang C and Erlang A
    /// side by side, e.g. `--target service_level(20s)>=0.8` or
    /// `--target reachability>=0.9` (repeatable: all must hold).
    #[arg(long, value_name = "METRIC>=VALUE")]
    pub target: Vec<Target>,
    /// Mean patience for Erlang A, e.g. "3m" (without it, only Erlang B and C).
    #[arg(long, value_parser = parse_duration_arg)]
    pub patience: Option<f64>,
    /// Service-level threshold, e.g. "60s".
    #[arg(long, default_value = "60s", value_parser = parse_duration_arg)]
    pub threshold: f64,
}

fn parse_duration_arg(text: &str) -> Result<f64, String> {
    ccsim::model::duration::parse_duration(text).map_err(|e| e.to_string())
}

/// `ccsim backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Scenario file (TOML) to test against the history.
    pub scenario: PathBuf,
    /// History file: an interval report or a contact log (ccsim's formats,
    /// or an ACD export read through --mapping). Repeatable: the files are
    /// read together.
    #[arg(long = "actual", value_name = "HISTORY", required = true)]
    pub actual: Vec<PathBuf>,
    /// Mapping file (TOML) that says how to read an ACD's export
    /// (docs/history.md) [default: ccsim's own formats].
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// First day of the period [default: the history's first day].
    #[arg(long, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period, inclusive [default: the history's last day].
    #[arg(long, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Simulate the actual volumes per interval (and the actual agents of
    /// a single pool, when the history has them) instead of the scenario's.
    #[arg(long)]
    pub replay: bool,
    /// Fail (exit 1) when the day coverage of reachability, service level,
    /// ASA or abandonment share is below this share, e.g. 0.8.
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub expect_coverage: Option<f64>,
    #[command(flatten)]
    pub sets: Sets,
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub files: Bundle,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

fn parse_share(text: &str) -> Result<f64, String> {
    let x: f64 = match text.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|p| p / 100.0),
        None => text.trim().parse(),
    }
    .map_err(|_| {
        format!("expected a share from 0 to 1 (0.8) or a percentage (80%), got `{text}`")
    })?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!(
            "expected a share from 0 to 1 (0.8) or a percentage (80%), got `{text}`"
        ))
    }
}

/// `ccsim schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Scenario file (TOML). Without it, the embedded default scenario
    /// (the 1700 line in Q2 2021).
    pub scenario: Option<PathBuf>,
    /// The shift templates (TOML; see docs/planning.md).
    #[arg(long, value_name = "FILE")]
    pub shifts: PathBuf,
    /// Agents on duty per interval: CSV with columns date,interval,agents.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "targets",
        required_unless_present = "targets"
    )]
    pub requirement: Option<PathBuf>,
    /// A target the roster must meet in simulation, e.g. `reachability>=0.90`
    /// (as in `ccsim staff`). Repeatable.
    #[arg(long = "target", value_name = "TARGET")]
    pub targets: Vec<Target>,
    /// The pool to schedule (needed when the templates or targets reach several).
    #[arg(long, value_name = "NAME")]
    pub pool: Option<String>,
    // The staffing search and the proof run these replications.
    #[command(flatten)]
    pub runs: Replications,
    #[command(flatten)]
    pub sets: Sets,
    /// Simulations the staffing search may run (with --target).
    #[arg(long, default_value_t = 40)]
    pub max_iterations: u32,
    /// Simulations of the roster at most, the first included (with --target).
    #[arg(long, default_value_t = 6)]
    pub max_rounds: u32,
    /// Write the result as JSON to this file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Folder for roster.csv, coverage.csv, schedule.json, scenario.toml, charts/ and report.html (created if needed).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub behaviour: Behaviour,
}

/// `ccsim serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Folder of scenarios to serve (read and written inside it only) [default: the built-in scenarios, read-only].
    #[arg(value_name = "FOLDER")]
    pub folder: Option<PathBuf>,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; anything but 127.0.0.1 or ::1 lets other computers in.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Most replications a run may ask for.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_replications: u32,
    /// Longest horizon a run may simulate, in days.
    #[arg(long, default_value_t = 400, value_name = "DAYS")]
    pub max_days: u32,
    /// Largest request the workbench accepts (a scenario being saved or validated), e.g. 2MB.
    #[arg(long, default_value = "2MB", value_name = "SIZE")]
    pub max_request: bytesize::ByteSize,
    /// Worker threads of each run, at most one per replication [default: one per core].
    #[arg(short = 't', long, value_name = "N")]
    pub threads: Option<usize>,
    /// The memory a run may use, e.g. `16G` or `512MiB`: a run, comparison or
    /// sweep whose estimated peak is larger is refused with the estimate
    /// [default: the memory available, as for `ccsim run`].
    #[arg(long, value_name = "SIZE", value_parser = memory::parse_size)]
    pub memory_limit: Option<u64>,
}
