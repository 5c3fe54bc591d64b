//! Nothing lost, nothing mixed (issue 15, items 1, 2, 3, 11 and 12): a
//! report folder has one writer at a time and is replaced as a set, even
//! when the writer is killed; a signal sent twice at once stops a run once;
//! every output is checked before simulating; chart files never overwrite
//! each other.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;

const Q: &str = "scenarios/quickstart.toml";

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The entries of a folder, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_run_into_a_folder_being_written_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("CC");
    // Another ccsim holds the folder: the lock it takes, and what it wrote in it.
    let mut lock = OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(dir.path().join(".CC.ccsim-lock"))
        .unwrap();
    lock.try_lock().unwrap();
    lock.write_all(b"pid 4242: ccsim run Q -s 1 --out CC")
        .unwrap();
    ccsim()
        .args(["run", Q, "-r", "2", "-s", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: {} is being written by another ccsim run (pid 4242: ccsim run Q -s 1 --out CC): wait until it has finished, or write elsewhere\n",
            out.display()
        ));
    assert!(!out.exists(), "nothing written");
    // Once the first run has finished, the folder is free.
    drop(lock);
    ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn two_runs_at_once_into_one_folder_never_mix_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("CC");
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let start = |seed: &str| {
        std::process::Command::new(&bin)
            .args([
                "run", Q, "-r", "40", "-s", seed, "--quiet", "--force", "--out",
            ])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (start("1"), start("2"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    // Whichever got the folder wrote it whole; the other was refused, or ran
    // after it and replaced the whole set.
    let codes = (a.status.code(), b.status.code());
    assert!(
        matches!(codes, (Some(0), Some(0) | Some(2)) | (Some(2), Some(0))),
        "{codes:?}"
    );
    let summary = fs::read_to_string(out.join("summary.json")).unwrap();
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let seed = if summary.contains("\"seed\": 1,") {
        1
    } else {
        2
    };
    assert!(summary.contains(&format!("\"seed\": {seed},")));
    assert!(
        html.contains(&format!("(seed {seed})")),
        "mixed: summary of seed {seed}"
    );
}

#[test]
fn a_report_killed_while_written_is_the_old_set_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week");
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let run = |seed: u32| {
        std::process::Command::new(&bin)
            .args(["run", Q, "-r", "2", "--png", "--quiet", "--force", "-s"])
            .arg(seed.to_string())
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // A whole run, timed: most of it is drawing and writing the PNG charts.
    let started = Instant::now();
    assert!(run(1).wait().unwrap().success());
    let whole = started.elapsed();
    let seed_of = |text: &str, key: &str| -> Option<u32> {
        let at = text.find(key)? + key.len();
        text[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    // Killed at moments spread over the run, the folder always holds one
    // run's files: its summary, CSV tables, charts and page agree.
    for k in 0..8u32 {
        let child = run(k + 2);
        std::thread::sleep(whole.mul_f64(0.25 + 0.1 * f64::from(k)));
        signal(child.id(), "KILL");
        let _ = child.wait_with_output();
        let summary = fs::read_to_string(out.join("summary.json")).unwrap();
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        let seed = seed_of(&summary, "\"seed\": ").unwrap();
        assert_eq!(seed_of(&html, "(seed "), Some(seed), "try {k}: mixed set");
        let charts = entries(&out.join("charts"));
        assert_eq!(
            html.matches("<svg").count(),
            charts.len(),
            "try {k}: {charts:?}"
        );
    }
    // The next run cleans what the kills left: beside the folder only its
    // lock, inside it only the report.
    assert!(run(20).wait().unwrap().success());
    assert_eq!(entries(dir.path()), [".week.ccsim-lock", "week"]);
    assert_eq!(
        entries(&out),
        [
            "charts",
            "days.csv",
            "intervals.csv",
            "report.html",
            "summary.json"
        ]
    );
}

#[test]
fn the_same_signal_twice_at_once_stops_the_run_once() {
    // GNU timeout and Slurm signal the process, then its group: two
    // SIGTERMs at once must not count as the second Ctrl-C.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("T");
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let child = std::process::Command::new(&bin)
        .args(["run", Q, "-r", "100000", "-t", "1", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2000));
    signal(child.id(), "TERM");
    signal(child.id(), "TERM");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(!stderr.contains("quit: nothing written"), "{stderr}");
    let summary = fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"partial\": true"));
}

#[test]
fn outputs_that_cannot_be_written_are_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("afile");
    fs::write(&file, "mine").unwrap();
    let folder = dir.path().join("somedir");
    fs::create_dir(&folder).unwrap();
    let missing = dir.path().join("nodir").join("x.json");
    let refused = |args: &[&std::ffi::OsStr], message: String| {
        ccsim()
            .args(["run", Q, "-r", "2", "--quiet"])
            .args(args)
            .assert()
            .code(2)
            // Nothing was simulated: no table.
            .stdout("")
            .stderr(format!("error: {message}\n"));
    };
    refused(
        &["--out".as_ref(), file.as_os_str()],
        format!(
            "cannot write into {}: it is a file, not a folder",
            file.display()
        ),
    );
    refused(
        &["--json".as_ref(), missing.as_os_str()],
        format!(
            "cannot write {}: the folder {} does not exist",
            missing.display(),
            dir.path().join("nodir").display()
        ),
    );
    refused(
        &["--json".as_ref(), folder.as_os_str()],
        format!(
            "cannot write {}: it is a folder; give a file name, e.g. {}",
            folder.display(),
            folder.join("summary.json").display()
        ),
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

/// A folder that takes no new files, even from root (sysfs refuses them to
/// everyone; a chmod'ed folder would not stop a test run as root).
#[cfg(target_os = "linux")]
#[test]
fn a_folder_that_takes_no_files_is_refused_before_simulating() {
    ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--json", "/sys/ccsim.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::starts_with(
            "error: cannot write /sys/ccsim.json: Permission denied",
        ));
}

#[test]
fn json_to_a_dash_goes_to_standard_output_alone() {
    let out = ccsim()
        .args(["run", Q, "-r", "2", "--quiet", "--json", "-"])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let summary: ccsim::stats::SummaryFile = serde_json::from_slice(&out).unwrap();
    assert_eq!(summary.replications, 2);
    assert!(!Path::new("-").exists(), "no file named -");
}

#[test]
fn chart_files_never_overwrite_each_other() {
    // Pools whose names clean to the same file name, or differ only by case.
    let names = ["a/b", "a_b", "é", "日本", "Frontline", "frontline"];
    let mut text = fs::read_to_string(Q).unwrap();
    let at = text.find("[pools.agents]").unwrap();
    text.truncate(at);
    for (i, n) in names.iter().enumerate() {
        text += &format!(
            "[pools.\"{n}\"]\nagents = {}\nskills = [{{ themes = \"*\", channels = [\"call\", \"email\"] }}]\n\n",
            if i == 0 { 9 } else { 1 }
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("pools.toml");
    fs::write(&scenario, text).unwrap();
    let out = dir.path().join("rep");
    let output = ccsim()
        .args(["run", "-r", "2", "--quiet", "--out"])
        .arg(&out)
        .arg(&scenario)
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let charts: Vec<PathBuf> = fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let occupancy = charts
        .iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("occupancy_")
        })
        .count();
    assert_eq!(occupancy, names.len(), "{charts:?}");
    let files = 4 + charts.len();
    assert!(stderr.contains(&format!("wrote {files} files")), "{stderr}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), charts.len());
}
