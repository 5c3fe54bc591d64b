//! `ccsim run --log` and `--log-intervals`: the contact log and the interval
//! report of one replication, against that replication's figures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{NaiveDateTime, Timelike};

use ccsim::model::{Channel, Metric};
use ccsim::montecarlo::{self, RunOptions};
use ccsim::stats::{ContactEnd, Ended, Level, Recorder, Scope};

const SECTOR: &str = "scenarios/sector-lines.toml";
const REDIALS: &str = "scenarios/vlaanderen-1700-vaccination-redials.toml";
const WEEK: [&str; 4] = [
    "--set",
    "horizon.start=2021-06-21",
    "--set",
    "horizon.end=2021-06-27",
];

fn ccsim(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ccsim").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// One row of the contact log, parsed.
#[derive(Debug, Clone)]
struct Row {
    contact: u64,
    theme: String,
    channel: String,
    arrival: NaiveDateTime,
    outcome: String,
    wait: f64,
    handle: Option<f64>,
}

/// Reads a contact log, checking every row against the format.
fn read_log(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "contact", "caller", "line", "theme", "channel", "arrival", "outcome", "wait",
            "handle", "pool"
        ]
    );
    let three_decimals = |s: &str| s.split_once('.').is_some_and(|(_, d)| d.len() == 3);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let outcome = r[6].to_string();
            assert!(
                [
                    "answered",
                    "abandoned",
                    "blocked",
                    "closed_out",
                    "sent_away",
                    "callback",
                    "waiting"
                ]
                .contains(&outcome.as_str()),
                "{r:?}"
            );
            assert!(["call", "chat", "email", "visit"].contains(&&r[4]), "{r:?}");
            assert!(!r[2].is_empty() && !r[3].is_empty(), "{r:?}");
            assert_eq!(r[5].len(), 23, "arrival YYYY-MM-DDTHH:MM:SS.sss: {r:?}");
            let arrival = NaiveDateTime::parse_from_str(&r[5], "%Y-%m-%dT%H:%M:%S%.3f").unwrap();
            assert!(three_decimals(&r[7]), "wait with 3 decimals: {r:?}");
            let wait: f64 = r[7].parse().unwrap();
            assert!(wait >= 0.0, "{r:?}");
            let _caller: u64 = r[1].parse().unwrap();
            let answered = outcome == "answered";
            assert_eq!(
                !r[8].is_empty(),
                answered,
                "handle only when answered: {r:?}"
            );
            assert_eq!(!r[9].is_empty(), answered, "pool only when answered: {r:?}");
            if outcome == "blocked" || outcome == "sent_away" {
                assert_eq!(&r[7], "0.000", "{r:?}");
            }
            Row {
                contact: r[0].parse().unwrap(),
                theme: r[3].to_string(),
                channel: r[4].to_string(),
                arrival,
                outcome,
                wait,
                handle: answered.then(|| r[8].parse().unwrap()),
            }
        })
        .collect()
}

/// Counts of the log per theme, channel and outcome.
fn counts(rows: &[Row]) -> BTreeMap<(String, String, String), u64> {
    let mut n = BTreeMap::new();
    for r in rows {
        *n.entry((r.theme.clone(), r.channel.clone(), r.outcome.clone()))
            .or_insert(0) += 1;
        *n.entry((r.theme.clone(), r.channel.clone(), "offered".into()))
            .or_insert(0) += 1;
    }
    n
}

#[test]
fn the_log_of_a_one_replication_run_adds_up_to_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    ccsim(dir.path())
        .arg("run")
        .arg(repo(SECTOR))
        .args(["-r", "1", "-q", "--json", "s.json", "--log", "contacts.csv"])
        .assert()
        .success();
    let rows = read_log(&dir.path().join("contacts.csv"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("s.json")).unwrap()).unwrap();
    let n = counts(&rows);
    let themes = summary["horizon"]["themes"].as_object().unwrap();
    let mut compared = 0;
    let mut outcomes = HashSet::new();
    for (theme, channels) in themes {
        for (channel, figures) in channels.as_object().unwrap() {
            for (figure, outcome) in [
                ("offered", "offered"),
                ("answered", "answered"),
                ("abandoned", "abandoned"),
                ("closed_out", "closed_out"),
                ("blocked", "blocked"),
                ("sent_away", "sent_away"),
                ("callbacks", "callback"),
            ] {
                let Some(f) = figures.get(figure) else {
                    continue;
                };
                let want = f["mean"].as_f64().unwrap();
                let got = n
                    .get(&(theme.clone(), channel.clone(), outcome.to_string()))
                    .copied()
                    .unwrap_or(0);
                assert_eq!(got as f64, want, "{theme} {channel} {figure}");
                compared += 1;
                if got > 0 {
                    outcomes.insert(outcome);
                }
            }
        }
    }
    assert!(compared >= 20, "only {compared} figures compared");
    // The scenario has every way a contact can end but visits.
    for o in [
        "answered",
        "abandoned",
        "blocked",
        "closed_out",
        "sent_away",
        "callback",
    ] {
        assert!(outcomes.contains(o), "no {o} in the log");
    }
    // Contacts are numbered 1..=N, each once.
    let mut ids: Vec<u64> = rows.iter().map(|r| r.contact).collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=rows.len() as u64).collect::<Vec<_>>());
}

/// Counts the contacts the engine tells, per stream and outcome.
#[derive(Default)]
struct Tally {
    ends: HashMap<(usize, &'static str), u64>,
    contacts: Vec<u64>,
    callers: HashMap<u64, Vec<u64>>,
}

impl Recorder for Tally {
    fn offered(&mut self, _: usize, _: usize) {}
    fn answered(&mut self, _: usize, _: usize, _: f64, _: f64, _: bool) {}
    fn abandoned(&mut self, _: usize, _: usize, _: f64) {}
    fn blocked(&mut self, _: usize, _: usize) {}
    fn closed_out(&mut self, _: usize, _: usize, _: f64) {}
    fn left_waiting(&mut self, _: usize, _: usize, _: bool) {}
    fn pool_time(&mut self, _: usize, _: usize, _: f64, _: f64) {}
    fn backlog(&mut self, _: usize, _: usize, _: usize) {}
    fn contact(&mut self, e: &ContactEnd) {
        let name = match e.outcome {
            Ended::Answered => "answered",
            Ended::Abandoned => "abandoned",
            Ended::Blocked => "blocked",
            Ended::ClosedOut => "closed_out",
            Ended::SentAway => "sent_away",
            Ended::Callback => "callback",
            Ended::Waiting => "waiting",
        };
        *self.ends.entry((e.stream, name)).or_insert(0) += 1;
        *self.ends.entry((e.stream, "offered")).or_insert(0) += 1;
        self.contacts.push(e.contact);
        self.callers.entry(e.caller).or_default().push(e.contact);
        assert_eq!(e.handle.is_some(), e.outcome == Ended::Answered);
        assert_eq!(e.pool.is_some(), e.outcome == Ended::Answered);
    }
}

#[test]
fn replication_k_alone_is_replication_k_of_the_run_and_its_ends_add_up() {
    let sets: Vec<ccsim::scenario::overrides::Override> = WEEK[1..]
        .iter()
        .step_by(2)
        .map(|s| s.parse().unwrap())
        .collect();
    let scenario = ccsim::scenario::load_with(Some(&repo(REDIALS)), &sets).unwrap();
    let model = &scenario.model;
    assert!(model.has_redials());
    let options = RunOptions {
        replications: 3,
        seed: 42,
        threads: Some(2),
    };
    let run = montecarlo::run(model, options, &|| {}).unwrap();
    let n = run.layout.entries.len();
    let mut tally = Tally::default();
    let one = montecarlo::run_replication(model, options, 1, &mut tally).unwrap();
    assert_eq!(one.replications, 1..2);
    // Exactly replication 2 (index 1) of the run, figure by figure (bit
    // for bit: NaN where a figure has nothing to average).
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(one.values.len(), n);
    assert!(
        bits(&one.values) == bits(&run.values[n..2 * n]),
        "not replication 2"
    );
    assert!(
        bits(&one.values) != bits(&run.values[..n]),
        "replications differ"
    );
    // The ends told add up to that replication's figures, stream by stream.
    let figure = |scope, metric| {
        let e = one
            .layout
            .entries
            .iter()
            .position(|e| e.level == Level::Horizon && e.scope == scope && e.metric == metric);
        e.map(|e| one.values[e])
    };
    let mut compared = 0;
    for (s, stream) in model.streams.iter().enumerate() {
        let scope = Scope::Theme(stream.theme, stream.channel);
        for (metric, name) in [
            (Metric::Offered, "offered"),
            (Metric::Answered, "answered"),
            (Metric::Abandoned, "abandoned"),
            (Metric::ClosedOut, "closed_out"),
            (Metric::Blocked, "blocked"),
        ] {
            if let Some(want) = figure(scope, metric) {
                let got = tally.ends.get(&(s, name)).copied().unwrap_or(0);
                assert_eq!(got as f64, want, "stream {s} {name}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 20, "only {compared} figures compared");
    // Numbered 1..=N in order of offering, each told once.
    let mut ids = tally.contacts.clone();
    ids.sort_unstable();
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
    // Redials share their caller's number: the number of their first attempt.
    let redialled = tally.callers.values().filter(|c| c.len() > 1).count();
    assert!(redialled > 100, "only {redialled} callers redialled");
    for (caller, attempts) in &tally.callers {
        assert_eq!(attempts.iter().min(), Some(caller));
    }
}

#[test]
fn the_interval_report_adds_up_to_the_log_and_lists_every_open_interval() {
    let dir = tempfile::tempdir().unwrap();
    ccsim(dir.path())
        .arg("run")
        .arg(repo(SECTOR))
        .args(["-r", "3", "--log-replication", "2", "-q"])
        .args(["--log", "c.csv", "--log-intervals", "i.csv"])
        .assert()
        .success();
    let rows = read_log(&dir.path().join("c.csv"));
    let mut reader = csv::Reader::from_path(dir.path().join("i.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "date",
            "interval",
            "theme",
            "channel",
            "offered",
            "answered",
            "abandoned",
            "answered_within",
            "threshold",
            "handle_time",
            "asa",
            "abandon_wait",
            "agents"
        ]
    );
    let scenario = ccsim::scenario::load(&repo(SECTOR)).unwrap();
    let model = &scenario.model;
    let length = model.calendar.interval as u32;
    // What the log says per date, interval, theme and channel.
    type Key = (String, String, String, String);
    #[derive(Default, Debug)]
    struct Want {
        offered: u64,
        answered: u64,
        abandoned: u64,
        within: u64,
        wait: f64,
        handle: f64,
    }
    let mut want: BTreeMap<Key, Want> = BTreeMap::new();
    for r in &rows {
        let secs = r.arrival.time().num_seconds_from_midnight() / length * length;
        let key = (
            r.arrival.date().to_string(),
            format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60),
            r.theme.clone(),
            r.channel.clone(),
        );
        let w = want.entry(key).or_default();
        w.offered += 1;
        if r.outcome == "answered" {
            w.answered += 1;
            w.wait += r.wait;
            w.handle += r.handle.unwrap();
            let threshold = model
                .channel(Channel::from_name(&r.channel).unwrap())
                .service_level_threshold;
            if r.channel != "email" && r.wait <= threshold {
                w.within += 1;
            }
        }
        if r.outcome == "abandoned" {
            w.abandoned += 1;
        }
    }
    let mut seen = HashSet::new();
    let (mut offered, mut zeros, mut open_call_rows) = (0, 0, 0);
    let mut previous: Option<Key> = None;
    for r in reader.records() {
        let r = r.unwrap();
        let key: Key = (r[0].into(), r[1].into(), r[2].into(), r[3].into());
        if let Some(p) = &previous {
            assert!(
                (&p.0, &p.1, &p.2) <= (&key.0, &key.1, &key.2),
                "sorted: {p:?} then {key:?}"
            );
        }
        previous = Some(key.clone());
        assert!(seen.insert(key.clone()), "one row per key: {key:?}");
        let w = want.remove(&key).unwrap_or_default();
        let n = |i: usize| r[i].parse::<u64>().unwrap();
        assert_eq!(
            (n(4), n(5), n(6)),
            (w.offered, w.answered, w.abandoned),
            "{key:?}"
        );
        offered += n(4);
        if w.offered == 0 {
            zeros += 1;
        }
        if &r[3] == "email" {
            assert_eq!((&r[7], &r[8]), ("", ""), "no threshold on e-mail");
        } else {
            assert_eq!(n(7), w.within, "{key:?}");
            let threshold = model
                .channel(Channel::from_name(&r[3]).unwrap())
                .service_level_threshold;
            assert_eq!(r[8].parse::<f64>().unwrap(), threshold);
        }
        if w.answered > 0 {
            let asa: f64 = r[10].parse().unwrap();
            let handle: f64 = r[9].parse().unwrap();
            assert!(
                (asa - w.wait / w.answered as f64).abs() <= 0.0011,
                "{key:?}"
            );
            assert!(
                (handle - w.handle / w.answered as f64).abs() <= 0.0011,
                "{key:?}"
            );
        } else {
            assert_eq!((&r[9], &r[10]), ("", ""));
        }
        if &r[3] == "call" {
            open_call_rows += 1;
            let agents: f64 = r[12].parse().unwrap();
            assert!(agents >= 0.0);
        }
    }
    assert!(want.is_empty(), "intervals of the log missing: {want:?}");
    assert_eq!(offered, rows.len() as u64);
    // (A row of zeros for an open interval with nothing in it: the
    // aggregator's unit test; this busy week has none.)
    let _ = zeros;
    // Every open interval of every call stream has a row.
    let mut expected_call_rows = 0;
    for stream in model.streams.iter().filter(|s| s.channel == Channel::Call) {
        for day in 0..model.calendar.days {
            if let Some((open, close)) = model.line_window(stream.line, day) {
                let open = open - f64::from(day) * 86_400.0;
                let close = close - f64::from(day) * 86_400.0;
                expected_call_rows += ((close - open) / model.calendar.interval).ceil() as usize;
            }
        }
    }
    assert!(expected_call_rows > 0);
    assert_eq!(open_call_rows, expected_call_rows);
}

#[test]
fn the_same_seed_gives_the_same_logs_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    for threads in ["1", "4"] {
        ccsim(dir.path())
            .arg("run")
            .arg(repo(REDIALS))
            .args(WEEK)
            .args(["-r", "4", "-t", threads, "--log-replication", "3", "-q"])
            .args(["--log", &format!("c{threads}.csv")])
            .args(["--log-intervals", &format!("i{threads}.csv")])
            .assert()
            .success();
    }
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    assert!(read("c1.csv").len() > 100_000);
    assert!(read("c1.csv") == read("c4.csv"), "contact logs differ");
    assert!(read("i1.csv") == read("i4.csv"), "interval reports differ");
}

/// The names in `dir`, temporaries included.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_replication_outside_the_run_is_a_clear_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for (k, message) in [
        (
            "0",
            "--log-replication 0: replications are counted from 1; this run has 4 (-r), so use 1 to 4",
        ),
        (
            "5",
            "--log-replication 5: replications are counted from 1; this run has 4 (-r), so use 1 to 4",
        ),
    ] {
        let out = ccsim(dir.path())
            .arg("run")
            .arg(repo("scenarios/quickstart.toml"))
            .args(["-r", "4", "-q", "--log-replication", k])
            .args([
                "--log",
                "c.csv",
                "--log-intervals",
                "i.csv",
                "--json",
                "s.json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
    }
    let out = ccsim(dir.path())
        .arg("run")
        .arg(repo("scenarios/quickstart.toml"))
        .args(["-r", "4", "-q", "--log-replication", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--log-replication 2: it chooses the replication of --log or --log-intervals; add one of them"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_log_that_cannot_be_written_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    // The interval report's folder does not exist: refused before the run,
    // and neither the contact log nor the JSON is written.
    let out = ccsim(dir.path())
        .arg("run")
        .arg(repo("scenarios/quickstart.toml"))
        .args(["-r", "2", "-q", "--json", "s.json", "--log", "c.csv"])
        .args(["--log-intervals", "missing/i.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
    // An earlier log is not overwritten without --force.
    std::fs::write(dir.path().join("c.csv"), "mine").unwrap();
    let out = ccsim(dir.path())
        .arg("run")
        .arg(repo("scenarios/quickstart.toml"))
        .args(["-r", "2", "-q", "--log", "c.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("c.csv")).unwrap(), b"mine");
    assert_eq!(listing(dir.path()), ["c.csv"]);
}

#[test]
fn the_worked_example_regenerates_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    ccsim(dir.path())
        .arg("run")
        .arg(repo("examples/history/generating-scenario.toml"))
        .args(["-r", "1", "-q", "--log-intervals", "intervals-2023.csv"])
        .assert()
        .success();
    let made = std::fs::read(dir.path().join("intervals-2023.csv")).unwrap();
    let kept = std::fs::read(repo("examples/history/intervals-2023.csv")).unwrap();
    assert!(
        made == kept,
        "examples/history/intervals-2023.csv is not what its command writes: regenerate it (see examples/history/README.md)"
    );
}
