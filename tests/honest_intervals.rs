//! Numbers that must not mislead (issue 15, items 9 and 10, and the
//! headline of `ccsim check -r 1`): a share's 95% CI lies within [0, 1] and
//! is never a point; a count's never goes below 0; a figure that few
//! replications define says so in the terminal and in the JSON; a check
//! whose promises could not be judged says that, not that they fail.
//!
//! The reproductions of the issue, run through the command line: the Q2
//! scenario with 20 replications (about 2 s in release) and the quickstart
//! with 2.

use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

/// A run's terminal text, its `summary.json` and its `days.csv`.
struct Run {
    stdout: String,
    json: Value,
    days_csv: String,
}

fn run(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let stdout = ccsim()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    Run {
        stdout: String::from_utf8(stdout).unwrap(),
        json: serde_json::from_str(&read("summary.json")).unwrap(),
        days_csv: read("days.csv"),
    }
}

/// `ccsim run scenarios/vlaanderen-1700-2021q2.toml -r 20`, once for all tests.
fn q2() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run(&["scenarios/vlaanderen-1700-2021q2.toml", "-r", "20"]))
}

/// `ccsim run scenarios/quickstart.toml -r 2`, once for all tests.
fn quickstart_2() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run(&["scenarios/quickstart.toml", "-r", "2"]))
}

/// The names of the figures that are shares (a ratio within [0, 1]), as
/// `summary.json` writes them; the points of the waiting-time distribution
/// are shares too. Written out here, apart from the code's own list, so
/// that the test does not trust what it tests.
const SHARES: [&str; 7] = [
    "reachability",
    "service_level",
    "abandon_share",
    "occupancy",
    "caller_reachability",
    "served_early",
    "visit_share",
];

/// Every estimate of a summary with whether it is a share and where it is.
fn estimates(summary: &Value) -> Vec<(bool, String, &Value)> {
    fn walk<'a>(v: &'a Value, path: String, share: bool, out: &mut Vec<(bool, String, &'a Value)>) {
        match v {
            Value::Object(map) if map.contains_key("mean") && map.contains_key("n") => {
                out.push((share, path, v));
            }
            Value::Object(map) => {
                for (k, x) in map {
                    walk(
                        x,
                        format!("{path}.{k}"),
                        share || SHARES.contains(&k.as_str()),
                        out,
                    );
                }
            }
            Value::Array(list) => {
                for (i, x) in list.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), share, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for level in ["horizon", "days", "intervals", "time_of_day", "weekdays"] {
        if let Some(v) = summary.get(level) {
            walk(v, level.to_string(), false, &mut out);
        }
    }
    // Every point of the waiting-time distribution is a share.
    if let Some(v) = summary.get("wait_distribution") {
        walk(v, "wait_distribution".to_string(), true, &mut out);
    }
    out
}

fn ci(e: &Value) -> Option<(f64, f64)> {
    Some((e["ci_low"].as_f64()?, e["ci_high"].as_f64()?))
}

/// Every share's CI within [0, 1], over the reproductions of the issue.
#[test]
fn share_intervals_lie_within_0_and_1() {
    for run in [q2(), quickstart_2()] {
        let all = estimates(&run.json);
        let shares: Vec<_> = all.iter().filter(|(share, _, _)| *share).collect();
        assert!(shares.len() > 1000, "only {} shares", shares.len());
        let outside: Vec<String> = shares
            .iter()
            .filter_map(|(_, path, e)| {
                let (l, h) = ci(e)?;
                (!(0.0..=1.0).contains(&l) || !(0.0..=1.0).contains(&h))
                    .then(|| format!("{path} [{l}, {h}]"))
            })
            .collect();
        assert!(
            outside.is_empty(),
            "{} of {} share CIs leave [0, 1], e.g. {:?}",
            outside.len(),
            shares.len(),
            &outside[..outside.len().min(3)]
        );
    }
}

/// No share's CI is a point, and every one holds its mean.
#[test]
fn share_intervals_are_never_a_point() {
    for run in [q2(), quickstart_2()] {
        let mut points = Vec::new();
        for (_, path, e) in estimates(&run.json).into_iter().filter(|(s, _, _)| *s) {
            let Some((l, h)) = ci(e) else { continue };
            let mean = e["mean"].as_f64().unwrap();
            assert!(l <= mean && mean <= h, "{path}: {mean} outside [{l}, {h}]");
            if l >= h {
                points.push(format!("{path} [{l}, {h}]"));
            }
        }
        assert!(
            points.is_empty(),
            "{} share CIs are a point, e.g. {:?}",
            points.len(),
            &points[..points.len().min(3)]
        );
    }
}

/// No count's, duration's, hours' or cost's CI goes below 0.
#[test]
fn count_intervals_do_not_go_below_zero() {
    for run in [q2(), quickstart_2()] {
        let below: Vec<String> = estimates(&run.json)
            .into_iter()
            .filter(|(share, _, _)| !share)
            .filter_map(|(_, path, e)| {
                let (l, _) = ci(e)?;
                (l < 0.0).then(|| format!("{path}: {l}"))
            })
            .collect();
        assert!(
            below.is_empty(),
            "{} CIs go below 0, e.g. {:?}",
            below.len(),
            &below[..below.len().min(3)]
        );
    }
}

/// The cells of the line of the terminal output that starts with `start`,
/// trimmed.
fn row<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| l.trim_start_matches('│').trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start}:\n{text}"));
    line.trim_matches('│').split('┆').map(str::trim).collect()
}

/// Item 10: e-mail reachability on 29 June in Q2 with 20 replications. The
/// e-mails of that day are due after the horizon ends; the figure counts
/// only those picked up by then, which happens in 3 replications of 20
/// (the call column's CI moved by 0.1 with the Wilson interval).
#[test]
fn a_day_that_few_replications_define_says_so() {
    let run = q2();
    assert_eq!(
        row(&run.stdout, "2021-06-29"),
        [
            "2021-06-29",
            "tue",
            "70.2% [69.2, 71.2]",
            "90.1% [89.1, 91.1]",
            // 608 e-mails picked up in 3 replications, all in time.
            "100.0% [97.0, 100.0] (only 3 of 20 runs)",
        ]
    );
    assert!(
        run.stdout
            .contains("(k of R runs): the figure exists in only k of the R replications"),
        "no note explains the marks:\n{}",
        run.stdout
    );
    let day = run.json["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2021-06-29")
        .unwrap();
    let e = &day["channels"]["email"]["reachability"];
    assert_eq!(e["n"], 3);
    assert_eq!(e["few_replications"], true);
    // A figure every replication defines carries no flag.
    assert!(
        day["channels"]["call"]["reachability"]
            .get("few_replications")
            .is_none()
    );
    // days.csv: `n` and `few_replications` in the last two columns.
    let mut csv = run.days_csv.lines();
    assert!(
        csv.next().unwrap().ends_with(",p95,n,few_replications"),
        "days.csv has no few_replications column"
    );
    let rows: Vec<&str> = csv
        .filter(|l| l.starts_with("2021-06-29,tue,channel,,"))
        .filter(|l| l.contains(",reachability,"))
        .collect();
    let email = rows.iter().find(|l| l.contains(",email,")).unwrap();
    assert!(email.ends_with(",3,true"), "{email}");
    let call = rows.iter().find(|l| l.contains(",call,")).unwrap();
    assert!(call.ends_with(",20,false"), "{call}");
}

/// `ccsim check -r 1`: no promise has a CI to be judged on; the headline
/// says so instead of "6 of 6 promises do not hold", and the exit code is
/// 4 (could not be judged), not 3 (a promise does not hold).
#[test]
fn check_with_one_replication_says_no_promise_could_be_judged() {
    let out = ccsim()
        .args(["check", "scenarios/quickstart.toml", "-r", "1", "--quiet"])
        .env("NO_COLOR", "1")
        .assert()
        .code(4)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "Quickstart: one week, one pool — 1 replication, seed 1: none of the 6 promises \
         could be judged: a 95% confidence interval needs at least 2 replications \
         (or judge the means with --on mean)"
    );
    assert_eq!(
        row(&text, "reachability.call")[3],
        "no confidence interval from 1 replication: run at least 2"
    );
}

/// `ccsim check` with 2 replications showed abandonment `1.6% [-0.0%, 3.3%]`:
/// a share's CI below 0, written as "-0.0%".
#[test]
fn check_never_shows_a_share_below_zero() {
    let out = ccsim()
        .args(["check", "scenarios/quickstart.toml", "-r", "2", "--quiet"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let found = row(&text, "abandonment.call")[1];
    assert!(
        found.starts_with("1.6% [") && !found.contains('-'),
        "abandonment.call: {found}"
    );
}
