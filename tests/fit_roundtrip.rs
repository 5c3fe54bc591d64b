//! Issue 16's round trip: simulate a known scenario with `--log`, fit the
//! log with `ccsim fit`, and recover the generating parameters within the
//! fitted confidence intervals; the fitted scenario then gives the
//! original's reachability.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

/// Eight weeks of one line: calls of one theme with known weekday and
/// intraday weights, lognormal handle times and the patience given.
fn generating(patience: &str, seed: u64) -> String {
    format!(
        r#"
name = "Round trip"
[horizon]
start = 2023-01-02
days = 56
interval = "30m"
[run]
replications = 1
seed = {seed}
[lines.main]
hours = {{ mon-fri = "09:00-19:00" }}
[channels.call]
patience = {patience}
service_level_threshold = "20s"
[themes.general]
volume.call = {{ per_day = 1200 }}
weekday_weights = {{ mon = 1.3, tue = 1.0, wed = 1.0, thu = 0.95, fri = 0.75 }}
intraday_weights = {{ start = "09:00", weights = [0.6, 0.9, 1.2, 1.4, 1.4, 1.3, 1.1, 1.0, 0.8, 0.9, 1.1, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 0.8, 0.7, 0.5] }}
handle_time.call = {{ dist = "lognormal", mean = "4m", cv = 0.8 }}
[pools.agents]
agents = 9
skills = [{{ themes = "*", channels = "call" }}]
"#
    )
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn simulate_and_fit(dir: &Path, patience: &str, seed: u64) -> (Value, std::path::PathBuf) {
    let scenario = dir.join("generating.toml");
    std::fs::write(&scenario, generating(patience, seed)).unwrap();
    let log = dir.join("contacts.csv");
    run_ok(
        ccsim()
            .arg("run")
            .arg(&scenario)
            .arg("--log")
            .arg(&log)
            .arg("-q"),
    );
    let fitted = dir.join("fitted.toml");
    let json = dir.join("fit.json");
    run_ok(
        ccsim()
            .arg("fit")
            .arg(&log)
            .arg("--base")
            .arg(&scenario)
            .arg("--out")
            .arg(&fitted)
            .arg("--json")
            .arg(&json),
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let v = v.get("fit").cloned().unwrap_or(v);
    (v, fitted)
}

/// `(value, low, high)` of a fitted parameter.
fn fitted(v: &Value) -> Fit {
    let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("no {k} in {v}"));
    Fit(f("value"), f("low"), f("high"))
}

/// A fitted parameter: estimate, low and high end of its 95% CI.
#[derive(Debug, Clone, Copy)]
struct Fit(f64, f64, f64);

impl Fit {
    fn covers(self, truth: f64) -> bool {
        self.1 <= truth && truth <= self.2
    }
}

fn assert_covers(name: &str, v: &Value, truth: f64) {
    let Fit(value, low, high) = fitted(v);
    assert!(
        low <= truth && truth <= high,
        "{name}: truth {truth} outside the fitted 95% CI [{low}, {high}] (estimate {value})"
    );
}

const WEEKDAYS: [f64; 5] = [1.3, 1.0, 1.0, 0.95, 0.75];
const PROFILE: [f64; 20] = [
    0.6, 0.9, 1.2, 1.4, 1.4, 1.3, 1.1, 1.0, 0.8, 0.9, 1.1, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 0.8, 0.7,
    0.5,
];

fn call_demand(fit: &Value) -> &Value {
    fit["demand"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["theme"] == "general" && d["channel"] == "call")
        .expect("general call demand")
}

fn call_patience(fit: &Value) -> &Value {
    fit["patience"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["channel"] == "call")
        .expect("call patience")
}

/// Call reachability over the horizon, mean of `ccsim run --json` with the
/// given `--set`s.
fn reachability(scenario: &Path, json: &Path, sets: &[String]) -> f64 {
    let mut cmd = ccsim();
    cmd.arg("run")
        .arg(scenario)
        .args(["-r", "20", "--seed", "5", "-q", "--json"])
        .arg(json);
    for set in sets {
        cmd.arg("--set").arg(set);
    }
    run_ok(&mut cmd);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    v["horizon"]["channels"]["call"]["reachability"]["mean"]
        .as_f64()
        .unwrap()
}

#[test]
fn a_simulated_log_fitted_gives_back_every_generating_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let patience = r#"{ dist = "exponential", mean = "3m" }"#;
    let (fit, fitted_scenario) = simulate_and_fit(dir.path(), patience, 16);
    let demand = call_demand(&fit);

    // Volume: 1200 calls on an average working day (no trend in the data).
    assert!(
        demand["trend"].is_null(),
        "a trend was found: {}",
        demand["trend"]
    );
    assert_covers("per_day", &demand["per_day"], 1200.0);
    // Vectors of separate 95% intervals: each misses its truth 1 time in 20,
    // so a miss or two is chance; more (probability about 2% for the five
    // weekday weights with 2 misses, for the twenty intraday weights with 4) is not.
    let missed: Vec<String> = WEEKDAYS
        .iter()
        .enumerate()
        .filter(|(i, truth)| !fitted(&demand["weekday"][*i]).covers(**truth))
        .map(|(i, truth)| format!("weekday {i}: truth {truth}, fit {}", demand["weekday"][i]))
        .collect();
    assert!(
        missed.len() <= 1,
        "weekday weights outside their CI: {missed:?}"
    );
    // Intraday: the weights as a profile of mean 1 over the 20 open slots;
    // with 20 separate 95% intervals, one or two may miss by chance.
    assert_eq!(
        demand["intraday"]["start"],
        9 * 3600,
        "{}",
        demand["intraday"]
    );
    let weights = demand["intraday"]["weights"].as_array().unwrap();
    assert_eq!(weights.len(), PROFILE.len());
    let mean = PROFILE.iter().sum::<f64>() / PROFILE.len() as f64;
    let covered = weights
        .iter()
        .zip(PROFILE)
        .filter(|(w, truth)| fitted(w).covers(truth / mean))
        .count();
    assert!(
        covered >= 17,
        "only {covered} of 20 intraday weights within their CI: {weights:?}"
    );
    assert!(
        demand["intraday_by_weekday"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_null),
        "the weekdays share one profile, but the fit split them"
    );

    // Handle time: lognormal, mean 4 minutes, cv 0.8.
    let handle = &demand["handle_time"];
    assert_eq!(handle["family"], "lognormal", "{handle}");
    assert_covers("handle-time mean", &handle["mean"], 240.0);
    assert_covers("handle-time cv", &handle["cv"], 0.8);

    // Patience: exponential with mean 3 minutes, from censored waits.
    let patience = call_patience(&fit);
    assert_covers("patience mean", &patience["mean"], 180.0);
    assert_covers("patience cv", &patience["cv"], 1.0);
    let naive = patience["naive_mean"].as_f64().unwrap();
    assert!(
        naive < 120.0,
        "the naive mean of abandoned waits, {naive} s, should be biased low"
    );

    // The fitted scenario gives the original's reachability, within what
    // the fit's own uncertainty allows. Its parameters carry the estimation
    // error of one history: at this load (86% reachability, 9 agents for
    // about 8 erlangs) 0.5% more handle time moves the reachability by about
    // 0.3 points, more than the half-width of a 20-replication CI. So the
    // yardstick is the original scenario run with its volume, handle time and
    // patience at the ends of the fitted CIs (the heavy end and the light
    // end; same seed, common random numbers): the fitted scenario's
    // reachability lies between the two.
    let generating = dir.path().join("generating.toml");
    // The heavy end: volume and handle time at their CIs' high ends and
    // patience at its low end; the light end the other way round.
    let ends = |heavy: bool| -> Vec<String> {
        let (load, calm) = if heavy { (2, 1) } else { (1, 2) };
        let at = |v: &Value, end: usize| if end == 1 { fitted(v).1 } else { fitted(v).2 };
        vec![
            format!(
                "themes.general.volume.call.per_day={}",
                at(&demand["per_day"], load)
            ),
            format!(
                "themes.general.handle_time.call.mean={}",
                at(&handle["mean"], load)
            ),
            format!(
                "channels.call.patience.mean={}",
                at(&patience["mean"], calm)
            ),
        ]
    };
    let heavy = reachability(&generating, &dir.path().join("h.json"), &ends(true));
    let light = reachability(&generating, &dir.path().join("l.json"), &ends(false));
    let original = reachability(&generating, &dir.path().join("o.json"), &[]);
    let refitted = reachability(&fitted_scenario, &dir.path().join("f.json"), &[]);
    assert!(
        heavy <= refitted && refitted <= light && heavy <= original && original <= light,
        "fitted scenario's reachability {refitted} outside [{heavy}, {light}], the original's at the \
         ends of the fitted CIs (original: {original})"
    );
}

/// Weibull patience (shape about 1.75) over ten histories: Weibull is chosen
/// every time, and the 95% intervals of the mean and cv cover the truth in
/// at least 8 of 10 (7 or fewer has probability 1.2% when they are right).
#[test]
fn weibull_patience_is_recognised_and_recovered() {
    let patience = r#"{ dist = "weibull", mean = "3m", cv = 0.6 }"#;
    let (mut mean_covered, mut cv_covered) = (0, 0);
    let mut seen = Vec::new();
    for seed in 1..=10 {
        let dir = tempfile::tempdir().unwrap();
        let (fit, _) = simulate_and_fit(dir.path(), patience, seed);
        let patience = call_patience(&fit);
        assert_eq!(patience["family"], "weibull", "seed {seed}: {patience}");
        mean_covered += usize::from(fitted(&patience["mean"]).covers(180.0));
        cv_covered += usize::from(fitted(&patience["cv"]).covers(0.6));
        seen.push(format!("{} {}", patience["mean"], patience["cv"]));
    }
    assert!(
        mean_covered >= 8 && cv_covered >= 8,
        "mean covered {mean_covered}/10, cv {cv_covered}/10: {seen:#?}"
    );
}

#[test]
fn the_interval_report_gives_the_volumes_and_handle_time_of_the_contact_log() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("generating.toml");
    std::fs::write(
        &scenario,
        generating(r#"{ dist = "exponential", mean = "3m" }"#, 16),
    )
    .unwrap();
    let log = dir.path().join("contacts.csv");
    let intervals = dir.path().join("intervals.csv");
    run_ok(
        ccsim()
            .arg("run")
            .arg(&scenario)
            .arg("--log")
            .arg(&log)
            .arg("--log-intervals")
            .arg(&intervals)
            .arg("-q"),
    );
    let fit_of = |history: &Path, name: &str| -> Value {
        let json = dir.path().join(format!("{name}.json"));
        run_ok(
            ccsim()
                .arg("fit")
                .arg(history)
                .arg("--out")
                .arg(dir.path().join(format!("{name}.toml")))
                .arg("--json")
                .arg(&json),
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        v["fit"].clone()
    };
    let by_contact = fit_of(&log, "contacts");
    let by_interval = fit_of(&intervals, "intervals");
    let (c, i) = (call_demand(&by_contact), call_demand(&by_interval));
    // The same contacts counted in the same intervals: the same volume fit.
    assert_eq!(c["offered"], i["offered"]);
    for key in ["per_day", "weekday", "intraday"] {
        assert_eq!(
            c[key], i[key],
            "{key} differs between contact and interval data"
        );
    }
    // Interval data give the mean handle time (the answered-weighted AHT);
    // it lies within the contact-level fit's CI, and the other way round.
    let (cm, im) = (&c["handle_time"]["mean"], &i["handle_time"]["mean"]);
    assert_eq!(i["handle_time"]["source"], "intervals");
    assert_covers("interval AHT in the contact fit's CI", cm, fitted(im).0);
    assert_covers("contact mean in the interval fit's CI", im, fitted(cm).0);
    // Patience from interval data (Erlang A's theta) covers the truth too.
    assert_covers(
        "patience from intervals",
        &call_patience(&by_interval)["mean"],
        180.0,
    );
}

/// The planner's loop on a history whose truth is known: the generating
/// scenario backtested against its own simulated history reaches the
/// coverage its P5–P95 bands promise (about 90%); the scenario fitted from
/// that history passes `--expect-coverage 0.75` too; an understaffed
/// scenario does not.
#[test]
fn the_history_loop_reaches_the_coverage_its_bands_promise() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("generating.toml");
    std::fs::write(
        &scenario,
        generating(r#"{ dist = "exponential", mean = "3m" }"#, 16),
    )
    .unwrap();
    let intervals = dir.path().join("intervals.csv");
    run_ok(
        ccsim()
            .arg("run")
            .arg(&scenario)
            .arg("--log-intervals")
            .arg(&intervals)
            .arg("-q"),
    );

    let json = dir.path().join("backtest.json");
    run_ok(
        ccsim()
            .arg("backtest")
            .arg(&scenario)
            .arg("--actual")
            .arg(&intervals)
            .args(["-r", "100", "--seed", "99", "-q", "--json"])
            .arg(&json),
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // 40 working days: below 75% inside has probability 0.3% at a true 90%;
    // 800 intervals: 85% to 97% is more than four standard deviations wide.
    for c in v["coverage"].as_array().unwrap() {
        let coverage = c["coverage"].as_f64().unwrap();
        let ok = match c["level"].as_str().unwrap() {
            "day" => (0.75..=1.0).contains(&coverage),
            _ => (0.85..=0.97).contains(&coverage),
        };
        assert!(ok, "coverage off the promised 90%: {c}");
    }

    let fitted = dir.path().join("fitted.toml");
    run_ok(ccsim().arg("fit").arg(&intervals).arg("--out").arg(&fitted));
    let backtest = |scenario: &Path, sets: &[&str]| {
        let mut cmd = ccsim();
        cmd.arg("backtest")
            .arg(scenario)
            .arg("--actual")
            .arg(&intervals)
            .args([
                "-r",
                "100",
                "--seed",
                "99",
                "-q",
                "--expect-coverage",
                "0.75",
            ]);
        for set in sets {
            cmd.args(["--set", set]);
        }
        cmd.output().unwrap()
    };
    let out = backtest(&fitted, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = backtest(&scenario, &["pools.agents.agents=8"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The worked example's interval report reads without a warning: e-mail,
/// which arrives around the clock, has a row for every interval of every
/// day, so the reader finds no gaps (it warned of 700 days of them when
/// the report wrote only the line's opening hours).
#[test]
fn the_worked_examples_history_reads_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("fit.json");
    run_ok(
        ccsim()
            .arg("fit")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/history/intervals-2023.csv"
            ))
            .args(["--from", "2023-01-01", "--to", "2023-03-31", "--out"])
            .arg(dir.path().join("jan.toml"))
            .arg("--json")
            .arg(&json),
    );
    let text = std::fs::read_to_string(&json).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["fit"]["warnings"],
        serde_json::json!([]),
        "{}",
        v["fit"]["warnings"]
    );

    // The same history fits to the same figures, bit for bit, run after run
    // (the agents' means were once summed in a hash map's order).
    for _ in 0..2 {
        run_ok(
            ccsim()
                .arg("fit")
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/examples/history/intervals-2023.csv"
                ))
                .args([
                    "--from",
                    "2023-01-01",
                    "--to",
                    "2023-03-31",
                    "--force",
                    "--out",
                ])
                .arg(dir.path().join("jan.toml"))
                .arg("--json")
                .arg(&json),
        );
        assert!(
            text == std::fs::read_to_string(&json).unwrap(),
            "two fits of one history differ"
        );
    }
}

/// Interval reports give the mean handle time only: with `--base`, the
/// base's family and cv for the theme and channel are kept around the
/// fitted mean (without a base, an exponential is assumed).
#[test]
fn interval_data_keep_the_bases_handle_time_shape() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("generating.toml");
    std::fs::write(
        &scenario,
        generating(r#"{ dist = "exponential", mean = "3m" }"#, 16),
    )
    .unwrap();
    let intervals = dir.path().join("intervals.csv");
    run_ok(
        ccsim()
            .arg("run")
            .arg(&scenario)
            .arg("--log-intervals")
            .arg(&intervals)
            .arg("-q"),
    );
    let handle = |base: bool| -> toml::Value {
        let out = dir.path().join(format!("fitted-{base}.toml"));
        let mut cmd = ccsim();
        cmd.arg("fit")
            .arg(&intervals)
            .arg("--out")
            .arg(&out)
            .arg("--force");
        if base {
            cmd.arg("--base").arg(&scenario);
        }
        run_ok(&mut cmd);
        let text = std::fs::read_to_string(&out).unwrap();
        let doc: toml::Value = toml::from_str(&text).unwrap();
        doc["themes"]["general"]["handle_time"]["call"].clone()
    };
    let with_base = handle(true);
    assert_eq!(with_base["dist"].as_str(), Some("lognormal"), "{with_base}");
    assert_eq!(with_base["cv"].as_float(), Some(0.8), "{with_base}");
    let mean = with_base["mean"].as_float().unwrap();
    assert!((mean - 240.0).abs() < 5.0, "fitted mean {mean}");
    let without = handle(false);
    assert_eq!(without["dist"].as_str(), Some("exponential"), "{without}");
}
