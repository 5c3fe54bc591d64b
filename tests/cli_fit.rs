//! `ccsim fit` as a user runs it: the checks made before any history is
//! read (the fit itself is tested in tests/fit_writer.rs and
//! tests/fit_report.rs on FitResults built by hand).

use std::fs;

use assert_cmd::Command;
use predicates::str::contains;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

#[test]
fn help_teaches_the_command() {
    ccsim()
        .args(["fit", "--help"])
        .assert()
        .success()
        .stdout(contains("--horizon-start"))
        .stdout(contains("ccsim fit contacts.csv --out fitted.toml"))
        .stdout(contains("INFERRED"));
}

#[test]
fn a_horizon_that_ends_before_it_starts_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    ccsim()
        .args(["fit", "history.csv", "--out"])
        .arg(&out)
        .args([
            "--horizon-start",
            "2023-03-01",
            "--horizon-end",
            "2023-02-01",
        ])
        .assert()
        .code(2)
        .stderr(contains(
            "error: --horizon-end 2023-02-01 is before --horizon-start 2023-03-01",
        ));
    assert!(!out.exists());
    // One end alone is refused by the arguments.
    ccsim()
        .args(["fit", "history.csv", "--out"])
        .arg(&out)
        .args(["--horizon-start", "2023-03-01"])
        .assert()
        .code(2)
        .stderr(contains("--horizon-end"));
}

#[test]
fn an_interval_that_does_not_divide_a_day_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    ccsim()
        .args(["fit", "history.csv", "--interval", "7m", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains(
            "--interval must divide a day into whole intervals of at least a minute",
        ));
    assert!(!out.exists());
}

#[test]
fn an_invalid_base_is_shown_with_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.toml");
    fs::write(&base, "[horizon]\nstart = 2023-01-02\ndays = 0\n").unwrap();
    let out = dir.path().join("fitted.toml");
    ccsim()
        .args(["fit", "history.csv", "--base"])
        .arg(&base)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("base.toml:1:1: missing field `themes`"));
    assert!(!out.exists());
}

#[test]
fn an_earlier_scenario_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    fs::write(&out, "my own scenario").unwrap();
    ccsim()
        .args(["fit", "history.csv", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("would be overwritten"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "my own scenario");
}
