//! The command line: turns arguments into library calls and prints results.
//! No simulation logic lives here.

mod args;
mod check;
mod compare;
mod diagnostics;
mod forecast;
mod guard;
mod interrupt;
mod merge;
mod progress;
mod run;
mod staff;
mod sweep;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use ccsim::montecarlo::RunOptions;
use ccsim::report;
use ccsim::scenario::overrides::Override;
use ccsim::scenario::{self, LoadError, Scenario};
use ccsim::stats::{RunResults, SummaryFile, results::SCHEMA_VERSION};

use args::{ChartArgs, Cli, Command, ErlangArgs, ValidateArgs};
use ccsim::report::charts::ImageFormat;

/// Exit code: everything worked.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run failed (I/O, internal error).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad arguments or an invalid scenario.
pub const EXIT_INVALID: u8 = 2;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_INVALID
            } else {
                EXIT_OK
            });
        }
    };
    let code = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate(args),
        Command::Chart(args) => chart(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Erlang(args) => erlang(args),
        Command::Staff(args) => staff::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Check(args) => check::run(args),
    };
    ExitCode::from(code)
}

fn load(path: Option<&Path>, sets: &[Override]) -> Result<Scenario, u8> {
    scenario::load_with(path, sets).map_err(|e| match e {
        LoadError::Invalid(errors) => {
            eprint!("{}", diagnostics::render(&errors));
            EXIT_INVALID
        }
        LoadError::Read { .. } | LoadError::Override(_) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    })
}

/// Writes the report folder and tells where the report is.
fn write_out(results: &RunResults, dir: &Path, png: bool) -> u8 {
    let format = if png {
        ImageFormat::Png
    } else {
        ImageFormat::Svg
    };
    match report::outputs::write_dir(results, dir, format) {
        Ok(files) => {
            eprintln!(
                "wrote {} files into {}: open {} in a browser",
                files.len(),
                dir.display(),
                dir.join("report.html").display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_FAILURE
        }
    }
}

fn chart(args: ChartArgs) -> u8 {
    if let Err(code) = guard::Planned::new()
        .report_dir(&args.out)
        .check(args.force)
    {
        return code;
    }
    let text = match std::fs::read_to_string(&args.summary) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.summary.display());
            return EXIT_INVALID;
        }
    };
    let de = &mut serde_json::Deserializer::from_str(&text);
    let summary: SummaryFile = match serde_path_to_error::deserialize(de) {
        Ok(s) => s,
        Err(e) => {
            let inner = e.inner();
            eprintln!(
                "error: {}:{}:{}: not a ccsim summary: at `{}`: {inner}",
                args.summary.display(),
                inner.line(),
                inner.column(),
                e.path()
            );
            return EXIT_INVALID;
        }
    };
    if summary.schema_version != SCHEMA_VERSION {
        eprintln!(
            "error: {} has summary schema {}, this ccsim reads schema {}: rerun the scenario with this version",
            args.summary.display(),
            summary.schema_version,
            SCHEMA_VERSION
        );
        return EXIT_INVALID;
    }
    let results = match RunResults::from_file(&summary) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "error: {}: not a ccsim summary: {e}",
                args.summary.display()
            );
            return EXIT_INVALID;
        }
    };
    drop(summary);
    write_out(&results, &args.out, args.png)
}

fn validate(args: ValidateArgs) -> u8 {
    // A theme file (the input of `ccsim forecast`) is validated as one.
    if let Ok(text) = std::fs::read_to_string(&args.scenario)
        && scenario::theme::is_theme_file(&text)
    {
        let file = args.scenario.display().to_string();
        let (text, label) = if args.set.is_empty() {
            (text, file.clone())
        } else {
            match scenario::overrides::apply(&text, &args.set) {
                Ok(edited) => {
                    let sets: Vec<&str> = args.set.iter().map(|o| o.text.as_str()).collect();
                    (
                        edited,
                        format!("{file} with --set {}", sets.join(" --set ")),
                    )
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_INVALID;
                }
            }
        };
        return match scenario::theme::parse(&text, &label) {
            Ok(t) => {
                let channels: Vec<&str> = t.volumes.iter().map(|v| v.channel.as_str()).collect();
                println!(
                    "{file}: valid theme file — theme \"{}\", served by {}, volume on {}, from {}; \
                     its handle times, profiles and peaks are checked on a base scenario by \
                     `ccsim forecast {file} --base SCENARIO`",
                    t.name,
                    t.served_by.join(", "),
                    channels.join(", "),
                    t.start
                        .map_or("the base's first day".to_string(), |d| d.to_string()),
                );
                EXIT_OK
            }
            Err(errors) => {
                eprint!("{}", diagnostics::render(&errors));
                EXIT_INVALID
            }
        };
    }
    match load(Some(&args.scenario), &args.set) {
        Ok(s) => {
            let m = &s.model;
            println!(
                "{}: valid — \"{}\", {} days from {}, {} line(s), {} theme(s), {} stream(s), {} pool(s)",
                args.scenario.display(),
                m.name,
                m.calendar.days,
                m.calendar.start,
                m.lines.len(),
                m.themes.len(),
                m.streams.len(),
                m.pools.len()
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}

fn erlang(args: ErlangArgs) -> u8 {
    let result = match args.agents {
        _ if !args.target.is_empty() => erlang_staffing(&args),
        Some(agents) => erlang_table(&args, agents, args.threshold),
        // clap requires --agents without --target.
        None => Ok(String::new()),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

/// Staffing mode of `ccsim erlang`: the fewest agents meeting every target,
/// by Erlang C (no abandonment) and Erlang A (with the patience), then the
/// figures at each of those staffings.
fn erlang_staffing(args: &ErlangArgs) -> Result<String, ccsim::erlang::ErlangError> {
    use ccsim::erlang::{ErlangError, Load, agents_for_erlang_a, agents_for_service_level_c};
    use ccsim::planning::target::TargetMetric;
    let rate = args.rate / 3600.0;
    let a = Load {
        arrival_rate: rate,
        mean_handle_time: args.aht,
        agents: 1,
    }
    .offered_erlangs();
    if !a.is_finite() {
        return Err(ErlangError::InvalidInput(
            "rate and handle time must be finite".into(),
        ));
    }
    // Enough room above the load for any target, and at least the 2,000
    // agents the formulas are tested for.
    let max = ((3.0 * a).ceil() as u32).saturating_add(100).max(2000);
    let threshold = |m: TargetMetric| match m {
        TargetMetric::ServiceLevel(Some(t)) => t,
        _ => args.threshold,
    };
    // Each target alone, then the largest: figures only improve with agents.
    let mut need_c: Option<u32> = Some(0);
    let mut need_a: Option<u32> = Some(0);
    for t in &args.target {
        let th = threshold(t.metric);
        let c = match t.metric {
            // Without abandonment everyone is answered once the queue is stable.
            TargetMetric::Reachability => Some(a.floor() as u32 + 1),
            TargetMetric::ServiceLevel(_) => {
                agents_for_service_level_c(rate, args.aht, th, t.value, max)
            }
        };
        need_c = need_c.zip(c).map(|(x, y)| x.max(y));
        if let Some(patience) = args.patience {
            let n = agents_for_erlang_a(rate, args.aht, patience, th, max, |f| match t.metric {
                TargetMetric::Reachability => f.reachability >= t.value,
                TargetMetric::ServiceLevel(_) => f.service_level >= t.value,
            });
            need_a = need_a.zip(n).map(|(x, y)| x.max(y));
        }
    }
    let targets: Vec<&str> = args.target.iter().map(|t| t.text.as_str()).collect();
    let shown = |n: Option<u32>| n.map_or(format!("more than {max}"), |n| n.to_string());
    let mut out = format!(
        "Agents needed for {} ({:.2} Erlang offered):\n  Erlang C (infinitely patient): {}\n",
        targets.join(" and "),
        a,
        shown(need_c)
    );
    if args.patience.is_some() {
        out += &format!(
            "  Erlang A (patience {}): {}\n",
            ccsim::model::duration::format_duration(args.patience.unwrap_or(0.0)),
            shown(need_a)
        );
    } else {
        out += "  Erlang A: give --patience to take abandonment into account\n";
    }
    for (model, n) in [("Erlang C", need_c), ("Erlang A", need_a)] {
        if let Some(n) = n
            && (model == "Erlang C" || args.patience.is_some())
        {
            // The tables show the service level at the target's own threshold.
            let shown_threshold = args
                .target
                .iter()
                .find_map(|t| match t.metric {
                    TargetMetric::ServiceLevel(_) => Some(threshold(t.metric)),
                    TargetMetric::Reachability => None,
                })
                .unwrap_or(args.threshold);
            out += &format!(
                "\nWith the {model} staffing:\n{}",
                erlang_table(args, n, shown_threshold)?
            );
        }
    }
    Ok(out)
}

fn erlang_table(
    args: &ErlangArgs,
    agents: u32,
    threshold: f64,
) -> Result<String, ccsim::erlang::ErlangError> {
    use ccsim::erlang::{Load, erlang_a_figures, erlang_b, erlang_c_figures};
    use ccsim::model::duration::format_duration;
    let load = Load {
        arrival_rate: args.rate / 3600.0,
        mean_handle_time: args.aht,
        agents,
    };
    let a = load.offered_erlangs();
    let mut out = format!(
        "{} arrivals/hour × {} handle time = {:.2} Erlang offered to {} agents (utilisation {:.1}%)\n\n",
        args.rate,
        format_duration(args.aht),
        a,
        agents,
        load.utilisation() * 100.0
    );
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "model",
        "P(wait)",
        "P(abandon)",
        "reachability",
        "service level",
        "ASA",
        "occupancy",
    ]);
    t.add_row(vec![
        "Erlang B (blocked calls lost)".to_string(),
        String::new(),
        format!("{:.2}% blocked", erlang_b(a, agents) * 100.0),
        format!("{:.2}%", (1.0 - erlang_b(a, agents)) * 100.0),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let row = |name: &str, f: &ccsim::erlang::QueueFigures| {
        vec![
            name.to_string(),
            format!("{:.2}%", f.p_wait * 100.0),
            format!("{:.2}%", f.p_abandon * 100.0),
            format!("{:.2}%", f.reachability * 100.0),
            format!(
                "{:.2}% within {}",
                f.service_level * 100.0,
                format_duration(threshold)
            ),
            format_duration(f.asa),
            format!("{:.1}%", f.occupancy * 100.0),
        ]
    };
    match erlang_c_figures(load, threshold) {
        Ok(f) => t.add_row(row("Erlang C (infinitely patient)", &f)),
        Err(_) => t.add_row(vec![
            "Erlang C (infinitely patient)".to_string(),
            "unstable: load ≥ agents, the queue grows without bound".to_string(),
        ]),
    };
    if let Some(patience) = args.patience {
        let f = erlang_a_figures(load, patience, threshold)?;
        t.add_row(row(
            &format!("Erlang A (patience {})", format_duration(patience)),
            &f,
        ));
    }
    out += &format!("{t}\n");
    Ok(out)
}

/// Run options from the command line, else the scenario's `[run]`, else defaults.
fn options(
    args: &args::MultiRunArgs,
    scenario: &Scenario,
    default_replications: u32,
) -> Result<RunOptions, u8> {
    let options = RunOptions {
        replications: args
            .replications
            .or(scenario.replications)
            .unwrap_or(default_replications),
        seed: args.seed.or(scenario.seed).unwrap_or(1700),
        threads: args.threads,
    };
    if options.replications == 0 {
        eprintln!("error: --replications must be at least 1");
        return Err(EXIT_INVALID);
    }
    if options.threads == Some(0) {
        eprintln!("error: --threads must be at least 1");
        return Err(EXIT_INVALID);
    }
    Ok(options)
}

/// Writes a file atomically and says so on stderr.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), u8> {
    match ccsim::files::write_atomically(path, bytes) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            Err(EXIT_FAILURE)
        }
    }
}

/// Refuses to start a multi-run command whose files (`--json`, `--csv`, and
/// `names` in `--out DIR`) hold an earlier run's output, unless `--force`.
fn guard_bundle(run: &args::MultiRunArgs, names: &[&str]) -> Result<(), u8> {
    let mut planned = guard::Planned::new();
    planned.maybe(run.json.as_ref()).maybe(run.csv.as_ref());
    if let Some(dir) = &run.out {
        let ext = if run.png { "png" } else { "svg" };
        for name in names {
            planned.file(dir.join(name.replace("{image}", ext)));
        }
    }
    planned.check(run.force)
}

/// The files of a multi-run command: `--json`, `--csv`, and in `--out DIR`
/// `STEM.json`, `STEM.csv` and the chart (SVG, or PNG with `--png`).
fn write_bundle(
    run: &args::MultiRunArgs,
    stem: &str,
    json: String,
    csv: Vec<u8>,
    chart: &dyn Fn() -> Box<dyn report::charts::AnyChart>,
) -> u8 {
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    if let Some(p) = &run.json {
        files.push((p.clone(), json.clone().into_bytes()));
    }
    if let Some(p) = &run.csv {
        files.push((p.clone(), csv.clone()));
    }
    if let Some(dir) = &run.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return EXIT_FAILURE;
        }
        files.push((dir.join(format!("{stem}.json")), json.into_bytes()));
        files.push((dir.join(format!("{stem}.csv")), csv));
        let chart = chart();
        let format = if run.png {
            ImageFormat::Png
        } else {
            ImageFormat::Svg
        };
        match chart.render(format) {
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

/// Colours only on a terminal that wants them (`NO_COLOR` and `TERM=dumb` say no).
fn terminal_colour() -> report::table::Colour {
    let wanted = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    if wanted {
        report::table::Colour::On
    } else {
        report::table::Colour::Off
    }
}
