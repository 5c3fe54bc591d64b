//! No lost work: existing output is never overwritten without `--force`, and
//! Ctrl-C (SIGINT) stops a long run and writes the completed replications,
//! marked partial.

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::str::contains;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

const Q: &str = "scenarios/quickstart.toml";

#[test]
fn run_refuses_to_overwrite_a_report_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week");
    let json = dir.path().join("week.json");
    let run = |extra: &[&str]| {
        let mut c = ccsim();
        c.args(["run", Q, "-r", "3", "--quiet", "--out"])
            .arg(&out)
            .arg("--json")
            .arg(&json)
            .args(extra);
        c
    };
    run(&[]).assert().success();
    let before = fs::read(out.join("summary.json")).unwrap();
    // Another seed would change the figures: refused, nothing touched.
    run(&["-s", "5"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "output files of an earlier run would be overwritten",
        ))
        .stderr(contains(out.join("summary.json").display().to_string()))
        .stderr(contains(json.display().to_string()))
        .stderr(contains("Give --force to replace them"));
    assert_eq!(fs::read(out.join("summary.json")).unwrap(), before);
    run(&["-s", "5", "--force"]).assert().success();
    assert_ne!(fs::read(out.join("summary.json")).unwrap(), before);
    // An empty folder, or one holding other files, is fine.
    let other = dir.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("notes.txt"), "mine").unwrap();
    ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--out"])
        .arg(&other)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(other.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn every_command_with_outputs_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let taken = |name: &str| {
        let p = d.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "earlier output").unwrap();
        p
    };
    let cases: Vec<(Vec<String>, std::path::PathBuf)> = vec![
        (
            vec![
                "chart".into(),
                "SUMMARY".into(),
                "--out".into(),
                d.join("chart").display().to_string(),
            ],
            taken("chart/charts/wait_cdf.svg"),
        ),
        (
            vec![
                "compare".into(),
                Q.into(),
                "--set-b".into(),
                "pools.agents.agents=10".into(),
                "-r".into(),
                "2".into(),
                "--out".into(),
                d.join("cmp").display().to_string(),
            ],
            taken("cmp/comparison.json"),
        ),
        (
            vec![
                "sweep".into(),
                Q.into(),
                "--vary".into(),
                "pools.agents.agents=8..9:1".into(),
                "-r".into(),
                "2".into(),
                "--csv".into(),
                d.join("sweep.csv").display().to_string(),
            ],
            taken("sweep.csv"),
        ),
        (
            vec![
                "staff".into(),
                Q.into(),
                "--target".into(),
                "reachability>=0.9".into(),
                "-r".into(),
                "2".into(),
                "--out".into(),
                d.join("staff").display().to_string(),
            ],
            taken("staff/weekly-agents.toml"),
        ),
        (
            vec![
                "forecast".into(),
                "scenarios/forecast-covid-certificates.toml".into(),
                "--base".into(),
                "scenarios/vlaanderen-1700-2021q1.toml".into(),
                "-r".into(),
                "2".into(),
                "--out".into(),
                d.join("fc").display().to_string(),
            ],
            taken("fc/periods.csv"),
        ),
        (
            vec![
                "check".into(),
                Q.into(),
                "-r".into(),
                "2".into(),
                "--json".into(),
                d.join("check.json").display().to_string(),
            ],
            taken("check.json"),
        ),
        (
            vec![
                "merge".into(),
                "PARTS".into(),
                "--out".into(),
                d.join("merged").display().to_string(),
            ],
            taken("merged/report.html"),
        ),
    ];
    // What chart and merge read.
    let summary = d.join("run.json");
    ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--json"])
        .arg(&summary)
        .assert()
        .success();
    let parts = d.join("parts");
    ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--shard", "1/1", "--out"])
        .arg(&parts)
        .assert()
        .success();
    for (args, file) in cases {
        let quiet = !matches!(args[0].as_str(), "chart" | "merge");
        let args: Vec<String> = args
            .into_iter()
            .chain(quiet.then(|| "--quiet".to_string()))
            .map(|a| match a.as_str() {
                "SUMMARY" => summary.display().to_string(),
                "PARTS" => parts.display().to_string(),
                _ => a,
            })
            .collect();
        ccsim()
            .args(&args)
            .assert()
            .code(2)
            .stderr(contains(file.display().to_string()))
            .stderr(contains("--force"));
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "earlier output",
            "{args:?}"
        );
        let code = ccsim()
            .args(&args)
            .arg("--force")
            .assert()
            .get_output()
            .status
            .code();
        // check exits 0 or 3 by its promises; everything else succeeds.
        assert!(
            matches!(code, Some(0) | Some(3)),
            "{args:?} --force: {code:?}"
        );
        assert_ne!(
            fs::read_to_string(&file).unwrap_or_default(),
            "earlier output",
            "{args:?}"
        );
    }
    // A shard's part is protected too.
    ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--shard", "1/1", "--out"])
        .arg(&parts)
        .assert()
        .code(2)
        .stderr(contains("part-1-of-1.ccsim-part"));
}

/// Sends SIGINT to a process, as Ctrl-C in a terminal does.
fn interrupt(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn ctrl_c_writes_the_completed_replications_marked_partial() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("long");
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    // Far more replications than can run before the signal.
    let child = std::process::Command::new(&bin)
        .args(["run", Q, "-r", "100000", "-t", "2", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    interrupt(child.id());
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(130), "stderr: {stderr}");
    assert!(
        stderr.contains("stopping: no new replication starts"),
        "{stderr}"
    );
    assert!(
        stderr.contains("PARTIAL RESULT: the run was stopped after"),
        "{stderr}"
    );
    assert!(stdout.contains("PARTIAL RESULT"), "{stdout}");

    let text = fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: ccsim::stats::SummaryFile = serde_json::from_str(&text).unwrap();
    assert!(summary.partial);
    assert_eq!(summary.replications_requested, 100_000);
    let k = summary.replications;
    assert!((1..100_000).contains(&k), "{k}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(&format!("stopped after {k} of 100000 replications")));
    for name in ["days.csv", "intervals.csv"] {
        assert!(fs::metadata(out.join(name)).unwrap().len() > 0);
    }
    // No temporary file is left behind.
    for e in fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".tmp"), "{name}");
    }

    // The partial figures are those of a run of exactly its k replications
    // (the prefix 0..k): reproducible.
    let full = dir.path().join("k.json");
    ccsim()
        .args(["run", Q, "-r", &k.to_string(), "--quiet", "--json"])
        .arg(&full)
        .assert()
        .success();
    let again: ccsim::stats::SummaryFile =
        serde_json::from_str(&fs::read_to_string(&full).unwrap()).unwrap();
    assert!(!again.partial);
    assert_eq!(again.horizon, summary.horizon);
    assert_eq!(again.days, summary.days);
    assert_eq!(again.intervals, summary.intervals);
}

#[test]
fn a_run_stopped_before_any_replication_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    // A five-year replication takes seconds: the signal comes during the first.
    let child = std::process::Command::new(&bin)
        .args([
            "run",
            "scenarios/vlaanderen-1700-2021q2.toml",
            "-r",
            "1",
            "-t",
            "1",
            "--quiet",
        ])
        .args([
            "--set",
            "horizon.start=2021-01-01",
            "--set",
            "horizon.end=2025-12-31",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    interrupt(child.id());
    // A second Ctrl-C, more than a second after the first, quits at once
    // (one within a second counts as the same).
    std::thread::sleep(Duration::from_millis(1300));
    interrupt(child.id());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    // On a busy machine the first signal may come before the replication
    // started (the run then stops at once) instead of during it (the second
    // signal quits): either way nothing is written.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("quit: nothing written")
            || stderr.contains("stopped before any replication finished: nothing written"),
        "{stderr}"
    );
    assert!(!Path::new(&out).join("summary.json").exists());
}
