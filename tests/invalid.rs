//! Snapshots of the diagnostics a user sees for invalid scenario files.
//!
//! Every `tests/invalid/NAME.toml` is a small scenario with one mistake or
//! several (its first lines say which), and `tests/invalid/NAME.stderr` holds
//! exactly what `ccsim validate tests/invalid/NAME.toml` prints on standard
//! error, run from the repository's root: each problem's
//! `file:line:column: `path`: message`, the snippet it points at, and the
//! count. The command must also print nothing on standard output and exit
//! with code 2 (an invalid scenario).
//!
//! The snapshots are reviewed like code: a change of a message, a location
//! or a snippet shows in `git diff tests/invalid`. After a deliberate change,
//! re-bless them, then read the diff before committing it:
//!
//! ```text
//! BLESS=1 cargo test --release --test invalid
//! git diff tests/invalid
//! ```
//!
//! A new case is a new `NAME.toml`: the first blessed run writes its
//! `NAME.stderr`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The exit code of `ccsim validate` for a scenario with errors.
const EXIT_INVALID: i32 = 2;

/// The fixtures' folder, relative to the repository's root (as the paths in
/// the diagnostics show it).
const FOLDER: &str = "tests/invalid";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of the fixtures' folder with extension `ext`, sorted.
fn files(ext: &str) -> Vec<PathBuf> {
    let dir = root().join(FOLDER);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The first line where `expected` and `actual` differ, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut e = expected.lines();
    let mut a = actual.lines();
    for line in 1.. {
        match (e.next(), a.next()) {
            (None, None) => return "they differ in line endings".to_string(),
            (x, y) if x == y => {}
            (x, y) => {
                return format!(
                    "line {line}:\n    expected: {}\n    actual:   {}",
                    x.unwrap_or("<end>"),
                    y.unwrap_or("<end>")
                );
            }
        }
    }
    unreachable!("the loop returns")
}

#[test]
fn every_invalid_scenario_prints_its_blessed_diagnostics() {
    let bless = std::env::var_os("BLESS").is_some();
    let cases = files("toml");
    assert!(
        cases.len() >= 40,
        "{FOLDER} holds {} scenarios",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name");
        let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .current_dir(root())
            .args(["validate", &format!("{FOLDER}/{name}.toml")])
            .output()
            .expect("ccsim runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(EXIT_INVALID) || !out.stdout.is_empty() {
            failures.push(format!(
                "{name}: exit code {:?} (expected {EXIT_INVALID}), stdout {:?}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout)
            ));
            continue;
        }
        let snapshot = case.with_extension("stderr");
        if bless {
            std::fs::write(&snapshot, stderr.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}", snapshot.display()));
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == stderr => {}
            Ok(expected) => failures.push(format!(
                "{name}: the diagnostics changed, {}",
                first_difference(&expected, &stderr)
            )),
            Err(e) => failures.push(format!(
                "{name}: no snapshot ({}: {e}); bless it with BLESS=1",
                snapshot.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} snapshots differ (re-bless with `BLESS=1 cargo test --release --test invalid` if the change is meant):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_snapshot_belongs_to_a_scenario() {
    let orphans: Vec<String> = files("stderr")
        .into_iter()
        .filter(|s| !s.with_extension("toml").exists())
        .map(|s| s.display().to_string())
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots without a scenario: {orphans:?}"
    );
}
