//! `ccsim staff`: the fewest agents per interval that meet the targets.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use ccsim::files::write_atomically;
use ccsim::model::Weekday;
use ccsim::planning::staff::{Check, StaffResult, replace_staffing};
use ccsim::planning::{self, Per, Progress, StaffOptions, Target};
use ccsim::scenario::overrides::Override;
use ccsim::stats::Estimate;

use super::{EXIT_FAILURE, EXIT_INVALID, EXIT_OK};

/// Help shown after the options.
pub const AFTER_HELP: &str = "\
Examples:
  ccsim staff scenarios/vlaanderen-1700-2021q2.toml --set horizon.end=2021-04-18 --target reachability>=0.90
  ccsim staff scenarios/quickstart.toml --target reachability>=0.9 --target service_level(60s)>=0.8 --out staffing/
  ccsim staff my.toml --target reachability.call>=90% --pool frontline --per day

Targets: METRIC[(THRESHOLD)][.CHANNEL]>=VALUE with METRIC reachability or
service_level, CHANNEL call or chat (default: calls and chats together), VALUE
a share (0.9) or a percentage (90%). During the search an interval meets a
target when the lower end of the 95% confidence interval of its mean is at or
above it; the final check, with an independent seed, reports the means.

--out DIR writes staffing.csv (weekday, interval start, agents on duty,
agents scheduled), staffing.toml (the [pools.NAME.staffing] table to paste in
place of the pool's staffing), scenario.toml (the scenario with it pasted in)
and check.json (the final check).";

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
    /// The pool to staff (needed when several pools serve the targeted channels).
    #[arg(long, value_name = "NAME")]
    pub pool: Option<String>,
    /// Replications per simulation, in the search and in the final check
    /// [default: the scenario's `run.replications`, else 100].
    #[arg(short, long)]
    pub replications: Option<u32>,
    /// Seed of the search; the final check uses seed + 1
    /// [default: the scenario's `run.seed`, else 1700].
    #[arg(short, long)]
    pub seed: Option<u64>,
    /// Change a field of the scenario first, by its dotted path (repeatable), as in `ccsim run --set`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Worker threads [default: one per core].
    #[arg(short = 't', long)]
    pub threads: Option<usize>,
    /// Simulations the search may run (ISA and correction together).
    #[arg(long, default_value_t = 40)]
    pub max_iterations: u32,
    /// Folder for staffing.csv, staffing.toml, scenario.toml and check.json (created if needed).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Replace the files of an earlier search in --out.
    #[arg(long)]
    pub force: bool,
}

/// `--per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerArg {
    /// In every interval.
    Interval,
    /// For each day's contacts together.
    Day,
}

/// Runs `ccsim staff`.
pub fn run(args: StaffArgs) -> u8 {
    let scenario = match super::load(args.scenario.as_deref(), &args.set) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let options = StaffOptions {
        targets: args.targets.clone(),
        per: match args.per {
            PerArg::Interval => Per::Interval,
            PerArg::Day => Per::Day,
        },
        pool: args.pool.clone(),
        replications: args.replications.or(scenario.replications).unwrap_or(100),
        seed: args.seed.or(scenario.seed).unwrap_or(1700),
        threads: args.threads,
        max_iterations: args.max_iterations,
    };
    if let Some(dir) = &args.out {
        let mut planned = super::guard::Planned::new();
        for name in [
            "staffing.csv",
            "staffing.toml",
            "check.json",
            "scenario.toml",
        ] {
            planned.file(dir.join(name));
        }
        if let Err(code) = planned.check(args.force) {
            return code;
        }
    }
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let started = Instant::now();
    let shown = AtomicBool::new(false);
    let progress = |p: Progress| {
        if let Progress::Iteration {
            number,
            phase,
            agent_hours,
        } = p
        {
            bar.set_message(format!(
                "simulation {number} ({phase}), {agent_hours:.0} agent hours"
            ));
        }
        if show
            && started.elapsed() > Duration::from_secs(1)
            && !shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    };
    let result = planning::optimise(&scenario.model, &options, &progress);
    bar.finish_and_clear();
    let result = match result {
        Ok(r) => r,
        Err(planning::StaffError::Run(e)) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let m = &scenario.model;
    println!(
        "{}: {} days from {}, pool {}, {} replications per simulation, seed {}",
        m.name, m.calendar.days, m.calendar.start, result.pool, result.replications, result.seed
    );
    print!("{}", render(&result));
    if let Some(dir) = &args.out {
        let source = match &args.scenario {
            Some(p) => std::fs::read_to_string(p).ok(),
            None => Some(ccsim::scenario::DEFAULT.to_string()),
        };
        return match write_out(dir, &result, source.as_deref(), &args.set) {
            Ok(files) => {
                eprintln!("wrote {} into {}", files.join(", "), dir.display());
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: {e}");
                EXIT_FAILURE
            }
        };
    }
    EXIT_OK
}

fn header(result: &StaffResult) -> String {
    let per = match result.per {
        Per::Interval => "in every interval",
        Per::Day => "on every day",
    };
    format!(
        "ccsim staff: scheduled agents (before shrinkage {}) of pool {} meeting {} {per}.\nPaste in place of the pool's `agents` or `staffing`.",
        result.pattern.shrinkage,
        result.pool,
        result.targets.join(", ")
    )
}

/// Writes the outputs; returns the names written.
fn write_out(
    dir: &std::path::Path,
    result: &StaffResult,
    source: Option<&str>,
    sets: &[Override],
) -> Result<Vec<String>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut files = vec![
        ("staffing.csv", result.pattern.csv()),
        (
            "staffing.toml",
            result.pattern.toml_fragment(&header(result)),
        ),
        (
            "check.json",
            serde_json::to_string_pretty(result).unwrap_or_default() + "\n",
        ),
    ];
    if let Some(text) = source {
        // The scenario as given (with the --set overrides), staffing replaced.
        let edited = ccsim::scenario::overrides::apply(text, sets).map_err(|e| e.to_string())?;
        files.push(("scenario.toml", replace_staffing(&edited, &result.pattern)?));
    }
    for (name, contents) in &files {
        let path = dir.join(name);
        write_atomically(&path, contents.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(files.iter().map(|(n, _)| n.to_string()).collect())
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .force_no_tty()
        .set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    t
}

fn align_right(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn pct_ci(e: &Estimate) -> String {
    match (e.mean, e.ci_low, e.ci_high) {
        (Some(m), Some(l), Some(h)) => {
            format!("{:.1}% [{:.1}, {:.1}]", m * 100.0, l * 100.0, h * 100.0)
        }
        (Some(m), _, _) => format!("{:.1}%", m * 100.0),
        _ => "–".into(),
    }
}

fn group(x: f64) -> String {
    ccsim::report::table::group_thousands(x)
}

/// The terminal report.
pub fn render(result: &StaffResult) -> String {
    let mut out = String::new();
    let p = &result.pattern;
    let days: Vec<usize> = (0..7).filter(|&w| p.used[w]).collect();
    let mut head = vec!["interval".to_string()];
    head.extend(days.iter().map(|&w| Weekday::ALL[w].name().to_string()));
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut t = table(&head_refs);
    for j in p.slots() {
        let mut row = vec![p.clock(j)];
        for &w in &days {
            row.push(format!("{} ({})", p.available[w][j], p.scheduled[w][j]));
        }
        t.add_row(row);
    }
    align_right(&mut t, 1);
    out += &format!(
        "\nStaffing of pool {}: agents on duty (scheduled before shrinkage {:.0}%) per interval\n{t}\n",
        result.pool,
        p.shrinkage * 100.0
    );
    let it = &result.iterations;
    out += &format!(
        "\nSearch: {} ISA simulation(s){}, {} correction simulation(s){}; Erlang A's first guess was {} agent hours.\n",
        it.isa,
        if it.isa_converged { " (converged)" } else { "" },
        it.correction,
        if it.converged {
            ", converged"
        } else {
            ", stopped at --max-iterations: the staffing kept is the best that met every target, if any"
        },
        group(result.first_guess_agent_hours)
    );
    let mut t = table(&["staffing", "agent hours on duty", "agent hours scheduled"]);
    t.add_row(vec![
        "found (weekly pattern)".to_string(),
        group(result.agent_hours),
        group(result.scheduled_hours),
    ]);
    t.add_row(vec![
        "the scenario's".to_string(),
        group(result.scenario_agent_hours),
        group(result.scenario_scheduled_hours),
    ]);
    align_right(&mut t, 1);
    out += &format!("\nAgent hours over the horizon\n{t}\n");
    out += &render_check(&result.check, result.per);
    out
}

fn render_check(check: &Check, per: Per) -> String {
    let mut t = table(&[
        "target",
        "met",
        "horizon [95% CI]",
        "worst interval [95% CI]",
        "intervals below (clearly)",
        "worst day",
        "days below (clearly)",
        "simulated days missing",
    ]);
    for c in &check.targets {
        let worst = c
            .worst_interval
            .as_ref()
            .map_or("–".to_string(), |(d, w, time, e)| {
                format!("{} {d} {time}: {}", w, pct_ci(e))
            });
        let worst_day = c.worst_day.as_ref().map_or("–".to_string(), |(d, w, e)| {
            format!("{w} {d}: {}", pct_ci(e))
        });
        t.add_row(vec![
            format!("{} >= {}", c.label, c.value),
            if c.met { "yes" } else { "NO" }.to_string(),
            pct_ci(&c.horizon),
            worst,
            format!(
                "{} ({}) of {}",
                c.intervals_below, c.intervals_clearly_below, c.intervals
            ),
            worst_day,
            format!("{} ({}) of {}", c.days_below, c.days_clearly_below, c.days),
            format!("{:.1}%", c.share_of_days_missing * 100.0),
        ]);
    }
    align_right(&mut t, 2);
    let rule = match per {
        Per::Interval => "a target is met when no interval's 95% CI lies wholly below it",
        Per::Day => "a target is met when no day's 95% CI lies wholly below it",
    };
    let cost = check
        .cost
        .mean
        .map_or("–".to_string(), |c| group(c.round()));
    let occupancy = pct_ci(&check.occupancy);
    format!(
        "\nFinal check: {} replications with an independent seed ({}); {rule}\n{t}\nOccupancy of the pool {occupancy}; handling cost at the scenario's prices {cost}.\n",
        check.replications, check.seed
    )
}
