//! Every `ccsim ...` example of every command's `--help` works when pasted
//! into a shell.
//!
//! The examples are read from the help itself (`COLUMNS=1000`, so that no
//! line wraps) and run with `sh -c` in a scratch folder that holds links to
//! the repository's `scenarios/` and `examples/`, each command's examples in
//! order in their own folder (so that `ccsim chart week/summary.json` finds
//! the report its `ccsim run` example wrote).
//!
//! - Cheap examples (on `scenarios/quickstart.toml`, and the commands that
//!   simulate nothing: erlang, validate, chart, merge, fit) run in full and
//!   must not end with exit code 2 (invalid input) or a crash; 0, 1 (a
//!   target not reached), 3 and 4 (promises) are results.
//! - The others (a quarter of the 1700's contacts) are checked up to the
//!   start of their simulation: each `ccsim` command of the line runs with
//!   `--memory-limit 1B`, which refuses the run after its arguments are
//!   parsed and its scenario is loaded with its `--set` overrides, so its
//!   stderr must be that refusal and nothing else (not an argument error, a
//!   scenario error, a file that cannot be read).
//! - Examples that name a file of the reader's own ([`PLACEHOLDERS`]: their
//!   history export, their scenario) are skipped; the test fails if a
//!   skipped example names none, so that every other example stays real.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Names in examples that stand for the reader's own files.
const PLACEHOLDERS: [&str; 8] = [
    "my.toml",
    "my-plans/",
    "my-q2.toml",
    "acd.toml",
    "export-*.csv",
    "q2-intervals.csv",
    "jan.csv",
    "history.csv",
];

/// Commands that simulate nothing, or little: their examples run in full.
const CHEAP_COMMANDS: [&str; 5] = ["erlang", "validate", "chart", "merge", "fit"];

fn ccsim() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ccsim"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of `ccsim [command] --help`, unwrapped.
fn help(command: Option<&str>) -> String {
    let mut cmd = Command::new(ccsim());
    cmd.env("COLUMNS", "1000");
    if let Some(c) = command {
        cmd.arg(c);
    }
    let out = cmd.arg("--help").output().expect("ccsim runs");
    assert!(out.status.success(), "{command:?} --help failed");
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The commands `ccsim --help` lists (but `help`).
fn commands() -> Vec<String> {
    let top = help(None);
    let list = top
        .split("Commands:\n")
        .nth(1)
        .expect("ccsim --help lists its commands");
    list.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The example lines of a help text: those that start with `ccsim ` (or a
/// shell loop over one), without their trailing comment.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("ccsim ") || (l.starts_with("for ") && l.contains("ccsim ")))
        .map(|l| l.split(" # ").next().unwrap_or(l).trim().to_string())
        .collect()
}

/// A scratch folder with the repository's inputs and a `PATH` on which
/// `ccsim` is the binary under test and `xdg-open` does nothing.
fn scratch() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a scratch folder");
    for input in ["scenarios", "examples"] {
        std::os::unix::fs::symlink(repo().join(input), dir.path().join(input)).expect("a link");
    }
    let bin = dir.path().join(".bin");
    std::fs::create_dir(&bin).expect("a bin folder");
    std::os::unix::fs::symlink(ccsim(), bin.join("ccsim")).expect("a link");
    let open = bin.join("xdg-open");
    std::fs::write(&open, "#!/bin/sh\nexit 0\n").expect("a script");
    std::fs::set_permissions(&open, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("executable");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

fn sh(line: &str, dir: &Path, path: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env("COLUMNS", "1000")
        .output()
        .expect("sh runs")
}

/// Whether `line` runs in full: every `ccsim` command in it simulates
/// nothing much.
fn cheap(line: &str) -> bool {
    line.split("ccsim ").skip(1).all(|rest| {
        let command = rest.split_whitespace().next().unwrap_or("");
        CHEAP_COMMANDS.contains(&command) || rest.contains("scenarios/quickstart.toml")
    })
}

/// Runs one example; `Err` says what went wrong.
fn check(line: &str, dir: &Path, path: &str) -> Result<(), String> {
    // `ccsim serve` serves until stopped: it must get as far as listening
    // (its address on stdout), or be refused only because the port is taken.
    if line.starts_with("ccsim serve") {
        let out = sh(&format!("timeout 2 {line}"), dir, path);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        return if stdout.contains("ccsim workbench: http://")
            || stderr.contains("error: cannot listen on")
        {
            Ok(())
        } else {
            Err(format!("exit {:?}\n{stdout}{stderr}", out.status.code()))
        };
    }
    if cheap(line) {
        let out = sh(line, dir, path);
        let code = out.status.code();
        return match code {
            Some(0 | 1 | 3 | 4) => Ok(()),
            _ => Err(format!(
                "exit {code:?}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )),
        };
    }
    for segment in line.split("&&").flat_map(|s| s.split(';')) {
        let segment = segment.trim();
        if !segment.starts_with("ccsim ") {
            continue;
        }
        let out = sh(&format!("{segment} --memory-limit 1B"), dir, path);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let refused = stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .all(|l| l.starts_with("error: not enough memory"));
        if out.status.code() != Some(2) || !refused || !stderr.contains("not enough memory") {
            return Err(format!(
                "`{segment}` did not reach its simulation: exit {:?}\n{stderr}",
                out.status.code()
            ));
        }
    }
    Ok(())
}

#[test]
fn every_example_of_every_help_works() {
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut helps = vec![(None, help(None))];
    helps.extend(commands().into_iter().map(|c| {
        let text = help(Some(&c));
        (Some(c), text)
    }));
    for (command, text) in helps {
        let found = examples(&text);
        assert!(
            command.is_none() || !found.is_empty(),
            "`ccsim {command:?} --help` has no example"
        );
        let (dir, path) = scratch();
        for line in found {
            if PLACEHOLDERS.iter().any(|p| line.contains(p)) {
                println!("skipped (a reader's own file): {line}");
                continue;
            }
            ran += 1;
            if let Err(e) = check(&line, dir.path(), &path) {
                failures.push(format!("{line}\n  {e}"));
            }
        }
    }
    assert!(ran >= 20, "only {ran} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_example_with_a_bad_argument_fails_the_check() {
    // The check above can fail: an unknown flag, a bad --set and a shell
    // redirection in an unquoted target are caught.
    let (dir, path) = scratch();
    for bad in [
        "ccsim staff scenarios/vlaanderen-1700-2021q2.toml --no-such-flag",
        "ccsim staff scenarios/vlaanderen-1700-2021q2.toml --set horizon.end=2021-13-01 --target 'reachability>=0.9'",
        "ccsim staff scenarios/vlaanderen-1700-2021q2.toml --target reachability>=0.90",
        "ccsim staff scenarios/quickstart.toml --target reachability>=0.9",
    ] {
        assert!(check(bad, dir.path(), &path).is_err(), "{bad}");
    }
}
