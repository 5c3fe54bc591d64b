//! `ccsim backtest`: a scenario against a history it generated itself
//! reaches the coverage its P5–P95 bands promise; a wrong scenario does not;
//! `--replay` simulates the actual volumes; the outputs agree.
//!
//! The actual history is built here from ONE replication of the scenario at
//! another seed (its interval figures), so these tests do not depend on the
//! history readers.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use ccsim::history::{IntervalHistory, IntervalRow};
use ccsim::model::{Channel, Metric, Model};
use ccsim::montecarlo::{self, RunOptions};
use ccsim::planning::backtest::{self, Backtest, BacktestError, Setup};
use ccsim::report::{Colour, Report};
use ccsim::scenario::overrides::Override;
use ccsim::scenario::{self, Scenario};
use ccsim::stats::{Level, RunResults, Scope};

/// Calls of one theme on one line, open 8 hours on weekdays: 320 calls a
/// day (40 an hour, 2.7 Erlang of 4-minute calls) on 4 agents, patience of
/// 3 minutes. No volume uncertainty: days are independent, so the coverage
/// of days is a sum of independent trials.
const SCENARIO: &str = r#"
name = "backtest fixture"

[horizon]
start = 2021-01-04          # a Monday
days = 7
interval = "30m"

[lines.main]
hours = { mon-fri = "09:00-17:00" }

[channels.call]
patience = { dist = "exponential", mean = "3m" }
service_level_threshold = "60s"

[themes.general]
volume.call = { per_day = 320 }
handle_time.call = { dist = "lognormal", mean = "4m", cv = 0.8 }

[pools.agents]
agents = 4
skills = [{ themes = "*", channels = ["call"] }]
"#;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sets(texts: &[&str]) -> Vec<Override> {
    texts.iter().map(|t| t.parse().unwrap()).collect()
}

/// The fixture written to a folder, loaded over `period` with `extra`
/// overrides, as `ccsim backtest` loads it.
fn load(dir: &Path, period: (NaiveDate, NaiveDate), extra: &[&str]) -> Scenario {
    let path = dir.join("scenario.toml");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(SCENARIO.as_bytes())
        .unwrap();
    let mut all = sets(extra);
    all.extend(backtest::period_overrides(period, true, 1800, 1800));
    scenario::load_with(Some(&path), &all).unwrap()
}

fn run(model: &Model, replications: u32, seed: u64) -> RunResults {
    let opts = RunOptions {
        replications,
        seed,
        threads: None,
    };
    montecarlo::run(model, opts, &|| {}).unwrap().results(model)
}

/// The interval report one replication of `model` at `seed` would give:
/// every open interval's offered, answered, abandoned, answered within the
/// threshold and ASA, for theme `general` on calls.
fn history_of(model: &Model, seed: u64, agents: Option<f64>) -> IntervalHistory {
    let one = run(model, 1, seed);
    let cal = &model.calendar;
    let scope = Scope::Channel(Channel::Call);
    let rows = one
        .intervals
        .iter()
        .map(|iv| {
            let level = Level::Interval(iv.index);
            let get = |m| one.mean(level, scope, m);
            let offered = get(Metric::Offered).unwrap().round() as u64;
            let answered = get(Metric::Answered).unwrap().round() as u64;
            let sl = get(Metric::ServiceLevel);
            IntervalRow {
                date: cal.date(iv.day),
                start: (f64::from(iv.index % cal.intervals_per_day) * cal.interval) as u32,
                theme: "general".into(),
                channel: Channel::Call,
                offered,
                answered,
                abandoned: get(Metric::Abandoned).unwrap().round() as u64,
                answered_within: Some(sl.map_or(0, |s| (s * offered as f64).round() as u64)),
                handle_time: None,
                asa: get(Metric::Asa),
                abandon_wait: None,
                agents,
            }
        })
        .collect();
    IntervalHistory {
        interval: 1800,
        thresholds: [Some(60), None, None, None],
        rows,
        warnings: Vec::new(),
    }
}

fn setup(s: &Scenario, period: (NaiveDate, NaiveDate), replay: bool, r: u32, seed: u64) -> Setup {
    Setup {
        scenario: "scenario.toml".into(),
        name: s.model.name.clone(),
        hash: s.hash.clone(),
        actual: vec!["history.csv".into()],
        from: period.0.to_string(),
        to: period.1.to_string(),
        replay,
        seed,
        replications: r,
    }
}

/// A backtest of the fixture (with `extra` overrides) against `history`.
fn backtest_of(
    dir: &Path,
    history: &IntervalHistory,
    extra: &[&str],
    replay: bool,
    r: u32,
) -> (Model, Backtest) {
    let period = backtest::period(history, None, None).unwrap();
    let s = load(dir, period, extra);
    let mut model = s.model.clone();
    let mut notes = Vec::new();
    if replay {
        notes = backtest::replay(&mut model, history).unwrap();
    }
    let results = run(&model, r, 1700);
    let b = backtest::compare(
        &model,
        &results,
        history,
        setup(&s, period, replay, r, 1700),
        notes,
    )
    .unwrap();
    (model, b)
}

/// 20 weeks: 100 weekdays with calls. The generating model at seed 99 for
/// the actual history.
fn actual(dir: &Path, days: u32, agents: Option<f64>) -> IntervalHistory {
    let end = date("2021-01-04") + chrono::Days::new(u64::from(days) - 1);
    let s = load(dir, (date("2021-01-04"), end), &[]);
    history_of(&s.model, 99, agents)
}

/// The scenario against its own simulated history: each judged figure's
/// day coverage is near the nominal 90%.
///
/// Tolerance: 100 independent days, each inside the band of 100
/// replications with probability about 0.89 (a new draw falls between the
/// 5th and 95th percentiles of 100 draws with probability (0.9·100 − 1)/101
/// and ties at a bound, e.g. a day with every call answered, add a little):
/// the count inside is binomial with a standard deviation of about 3 days,
/// so 75 to 98 days is −5 to +3 standard deviations. A scenario off by a
/// fifth of its staffing or volume lands far below (the next test).
#[test]
fn own_history_reaches_the_nominal_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let history = actual(dir.path(), 140, None);
    let (_, b) = backtest_of(dir.path(), &history, &[], false, 100);
    eprintln!("{}", b.terminal(Colour::Off));
    for m in backtest::JUDGED {
        let c = b.coverage_of("day", m).unwrap();
        assert_eq!(c.points, 100, "{m:?}: every weekday compared");
        let x = c.coverage.unwrap();
        assert!((0.75..=0.98).contains(&x), "{m:?}: day coverage {x}");
    }
    // Intervals: 1,600 of them; their figures are coarser (a handful of
    // calls), so ties at the band's bounds lift coverage above 90%.
    for m in backtest::JUDGED {
        let c = b.coverage_of("interval", m).unwrap();
        assert!(c.points > 1500, "{m:?}: {} intervals", c.points);
        let x = c.coverage.unwrap();
        assert!((0.80..=0.995).contains(&x), "{m:?}: interval coverage {x}");
    }
    assert_eq!(b.shortfall(0.75), None);
    // The worst days are the largest errors of reachability, in order.
    let worst: Vec<f64> = b.worst_days.iter().map(|p| p.error()).collect();
    assert_eq!(worst.len(), backtest::WORST_DAYS);
    assert!(worst.windows(2).all(|w| w[0] >= w[1]));
    let largest = b
        .days
        .iter()
        .filter(|p| p.theme.is_none() && p.metric == Metric::Reachability)
        .map(|p| p.error())
        .fold(0.0, f64::max);
    assert_eq!(worst[0], largest);
}

/// Half the staffing: the simulated reachability falls far below what
/// happened, coverage collapses and `--expect-coverage 0.8` fails, naming
/// the figure.
#[test]
fn half_the_staffing_misses_and_fails_the_expected_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let history = actual(dir.path(), 28, None);
    let (_, b) = backtest_of(dir.path(), &history, &["pools.agents.agents=2"], false, 60);
    eprintln!("{}", b.terminal(Colour::Off));
    let reach = b.coverage_of("day", Metric::Reachability).unwrap();
    assert_eq!(reach.points, 20);
    assert!(reach.coverage.unwrap() < 0.2, "{reach:?}");
    // The actual days are better served than the simulated ones.
    assert!(
        b.days
            .iter()
            .filter(|p| p.metric == Metric::Reachability && p.theme.is_none())
            .all(|p| p.actual > p.mean)
    );
    let reason = b.shortfall(0.8).unwrap();
    assert!(
        reason.starts_with("day coverage below the expected 80.0%: reachability "),
        "{reason}"
    );
    assert!(!reason.contains('\n'));
}

/// `--replay`: a scenario with half the volume, replayed, simulates the
/// actual offered counts: each day's simulated mean lies within Poisson
/// noise of the actual count (4.5 standard deviations of a mean of 60
/// Poisson draws); without replay it is about half of it.
#[test]
fn replay_simulates_the_actual_volumes_and_agents() {
    let dir = tempfile::tempdir().unwrap();
    let history = actual(dir.path(), 14, Some(4.0));
    let r = 60;
    let wrong = [
        "themes.general.volume.call.per_day=160",
        "pools.agents.agents=2",
    ];
    let (_, off) = backtest_of(dir.path(), &history, &wrong, false, r);
    let (model, on) = backtest_of(dir.path(), &history, &wrong, true, r);
    eprintln!(
        "{}\n{}",
        off.terminal(Colour::Off),
        on.terminal(Colour::Off)
    );
    assert_eq!(model.pools[0].available.iter().max(), Some(&4));
    let offered = |b: &Backtest| -> Vec<(f64, f64)> {
        b.days
            .iter()
            .filter(|p| p.metric == Metric::Offered && p.theme.is_none())
            .map(|p| (p.actual, p.mean))
            .collect()
    };
    let days = offered(&on);
    assert_eq!(days.len(), 10);
    for (actual, mean) in days {
        let sd = (actual / f64::from(r)).sqrt();
        assert!((mean - actual).abs() <= 4.5 * sd, "{mean} against {actual}");
    }
    for (actual, mean) in offered(&off) {
        assert!(
            mean < 0.6 * actual,
            "without replay: {mean} against {actual}"
        );
    }
    // With the actual agents too, the service is the actual one again.
    let reach = on.coverage_of("day", Metric::Reachability).unwrap();
    assert!(reach.coverage.unwrap() >= 0.6, "{reach:?}");
    let before = off.coverage_of("day", Metric::Reachability).unwrap();
    assert!(before.coverage.unwrap() < 0.3, "{before:?}");
}

/// Replayed agents need one pool to give them to.
#[test]
fn replayed_agents_with_several_pools_keep_the_scenarios_staffing() {
    let dir = tempfile::tempdir().unwrap();
    let history = actual(dir.path(), 7, Some(4.0));
    let text = format!(
        "{SCENARIO}\n[pools.backup]\nagents = 1\nskills = [{{ themes = \"*\", channels = [\"call\"] }}]\n"
    );
    let mut model = scenario::parse_str(&text, "two-pools.toml", None)
        .unwrap()
        .model;
    let pools = model.pools.clone();
    let notes = backtest::replay(&mut model, &history).unwrap();
    assert_eq!(model.pools, pools, "the scenario's staffing must stay");
    assert!(
        notes.contains(&"--replay: the history gives the agents staffed per interval, but the scenario has 2 pools (agents, backup): which pool's staffing they are cannot be told apart, so the volumes are replayed and the scenario's staffing is kept".to_string()),
        "{notes:?}"
    );
    // The volumes are replayed all the same.
    let offered: f64 = history.rows.iter().map(|r| r.offered as f64).sum();
    let expected: f64 = model.streams.iter().flat_map(|s| &s.expected).sum();
    assert!(
        (offered - expected).abs() < 1e-6,
        "{offered} against {expected}"
    );
}

/// A history theme the scenario does not know is an error naming it and
/// the scenario's themes; so is a scenario theme the history lacks.
#[test]
fn unknown_and_missing_themes_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = actual(dir.path(), 7, None);
    let s = load(
        dir.path(),
        backtest::period(&history, None, None).unwrap(),
        &[],
    );
    for r in history.rows.iter_mut().filter(|r| r.start >= 12 * 3600) {
        r.theme = "vaccination".into();
    }
    let err = backtest::check_themes(&s.model, &history).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the history has theme `vaccination` that the scenario does not know (its themes: `general`); name the history's queues after the scenario's themes (a mapping file maps queues to themes)"
    );
    let mut model = s.model.clone();
    assert!(matches!(
        backtest::replay(&mut model, &history),
        Err(BacktestError::Themes(_))
    ));
    for r in &mut history.rows {
        r.theme = "vaccination".into();
    }
    let text = SCENARIO.replace("[pools.agents]", "[themes.vaccination]\nvolume.call = { per_day = 10 }\nhandle_time.call = { dist = \"exponential\", mean = \"4m\" }\n\n[pools.agents]");
    let two = scenario::parse_str(&text, "two-themes.toml", None)
        .unwrap()
        .model;
    assert_eq!(
        backtest::check_themes(&two, &history)
            .unwrap_err()
            .to_string(),
        "the scenario has `general` (call) with volume in the period but the history has no rows for it: the simulated channel figures would count contacts the actual ones do not; remove it from the scenario or add it to the history"
    );
}

/// The terminal's coverage counts, the JSON's and the CSV's rows are the
/// same figures; `--out` writes the page with its charts.
#[test]
fn terminal_json_and_csv_agree() {
    let dir = tempfile::tempdir().unwrap();
    let history = actual(dir.path(), 14, None);
    let (_, b) = backtest_of(dir.path(), &history, &["pools.agents.agents=3"], false, 30);
    let terminal = b.terminal(Colour::Off);
    let mut json = Vec::new();
    b.write_json(&mut json).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for c in json["coverage"].as_array().unwrap() {
        let metric = c["metric"].as_str().unwrap();
        let (inside, points) = (c["inside"].as_u64().unwrap(), c["points"].as_u64().unwrap());
        let shown = format!(
            "{:.1}% ({inside} of {points})",
            c["coverage"].as_f64().unwrap() * 100.0
        );
        let line = terminal
            .lines()
            .find(|l| l.contains(&format!(" {metric} ")) && l.contains(" all "))
            .unwrap_or_else(|| panic!("{metric} in\n{terminal}"));
        assert!(line.contains(&shown), "{shown} not in {line}");
    }
    for w in json["worst_days"].as_array().unwrap() {
        assert!(terminal.contains(w["date"].as_str().unwrap()));
    }
    let csv = String::from_utf8(b.csv().unwrap()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,channel,theme,metric,actual,mean,p5,p95,inside")
    );
    let rows: Vec<&str> = lines.collect();
    let days = json["days"].as_array().unwrap();
    assert_eq!(rows.len(), days.len());
    for (row, p) in rows.iter().zip(days) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[0], p["date"].as_str().unwrap());
        assert_eq!(cells[3], p["metric"].as_str().unwrap());
        for (i, key) in [(4, "actual"), (5, "mean"), (6, "p5"), (7, "p95")] {
            assert_eq!(cells[i].parse::<f64>().unwrap(), p[key].as_f64().unwrap());
        }
        assert_eq!(cells[8], p["inside"].as_bool().unwrap().to_string());
    }
    let out = dir.path().join("out");
    let written =
        ccsim::report::out::write_dir(&b, &out, ccsim::report::charts::ImageFormat::Svg).unwrap();
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Reachability per day, call: actual against simulated"));
    assert!(page.contains("Average day, reachability call"));
    assert!(
        written
            .iter()
            .any(|p| p.ends_with("charts/backtest_days_reachability_call.svg"))
    );
    for name in ["backtest.json", "days.csv", "intervals.csv", "coverage.csv"] {
        assert!(out.join(name).is_file(), "{name}");
    }
}

/// The history in ccsim's interval format (docs/history.md), as `ccsim run
/// --log-intervals` writes it.
fn write_csv(history: &IntervalHistory, path: &Path) {
    let mut text = String::from(
        "date,interval,theme,channel,offered,answered,abandoned,answered_within,threshold,handle_time,asa,abandon_wait,agents\n",
    );
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_default();
    for r in &history.rows {
        text += &format!(
            "{},{:02}:{:02},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.date,
            r.start / 3600,
            r.start % 3600 / 60,
            r.theme,
            r.channel.name(),
            r.offered,
            r.answered,
            r.abandoned,
            r.answered_within.map(|w| w.to_string()).unwrap_or_default(),
            history.thresholds[r.channel.index()]
                .map(|t| t.to_string())
                .unwrap_or_default(),
            opt(r.handle_time),
            opt(r.asa),
            opt(r.abandon_wait),
            opt(r.agents),
        );
    }
    std::fs::write(path, text).unwrap();
}

fn ccsim() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("ccsim").unwrap()
}

/// Through the command line: the scenario's horizon (a week) is moved to
/// the history's four weeks; the own history passes `--expect-coverage
/// 0.75`, half the staffing fails it with exit 1 and a one-line reason;
/// `--json -` carries the coverage the terminal shows.
#[test]
fn command_line_backtest_and_expected_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let history = actual(dir.path(), 28, None);
    let csv = dir.path().join("history.csv");
    write_csv(&history, &csv);
    // The scenario as a user has it: a week in April.
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, SCENARIO).unwrap();
    let ok = ccsim()
        .args([
            "backtest",
            "-q",
            "-r",
            "60",
            "--expect-coverage",
            "0.6",
            "--actual",
        ])
        .arg(&csv)
        .arg(&scenario)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        stdout.contains("2021-01-04 to 2021-01-29, 60 replications"),
        "{stdout}"
    );
    let half = ccsim()
        .args(["backtest", "-q", "-r", "60", "--expect-coverage", "80%"])
        .args(["--set", "pools.agents.agents=2", "--actual"])
        .arg(&csv)
        .arg(&scenario)
        .output()
        .unwrap();
    assert_eq!(half.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&half.stderr);
    assert!(
        stderr.starts_with(
            "error: day coverage below the expected 80.0%: reachability 0.0% (0 of 20 days)"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let json = ccsim()
        .args(["backtest", "-q", "-r", "20", "--json", "-", "--actual"])
        .arg(&csv)
        .arg(&scenario)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["from"], "2021-01-04");
    assert_eq!(doc["to"], "2021-01-29");
    assert_eq!(doc["replications"], 20);
    assert_eq!(
        doc["days"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["metric"] == "reachability" && p.get("theme").is_none())
            .count(),
        20
    );
}

/// Through the command line: an unknown theme is a clear error (exit 2)
/// and nothing is written.
#[test]
fn command_line_unknown_theme() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = actual(dir.path(), 7, None);
    history.rows[3].theme = "vaccination".into();
    let csv = dir.path().join("history.csv");
    write_csv(&history, &csv);
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, SCENARIO).unwrap();
    let out = dir.path().join("out");
    let run = ccsim()
        .args(["backtest", "-q", "-r", "5", "--actual"])
        .arg(&csv)
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        "error: the history has theme `vaccination` that the scenario does not know (its themes: `general`); name the history's queues after the scenario's themes (a mapping file maps queues to themes)\n"
    );
    assert!(!out.exists());
}
