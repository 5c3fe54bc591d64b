//! CI replays the fuzzer's corpus (and the inputs of past findings) without
//! the fuzzing toolchain: every file in `fuzz/corpus/scenario/` and
//! `fuzz/regressions/scenario/` goes through the fuzz target's own function,
//! `ccsim::fuzzing::check_input`, which panics on any broken invariant.

use std::path::Path;

use ccsim::fuzzing::{Outcome, check_input};

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let files = files("fuzz/corpus/scenario");
    assert!(files.len() >= 10, "the corpus holds {} files", files.len());
    let mut simulated = 0;
    for path in &files {
        let data = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| check_input(&data))
            .unwrap_or_else(|_| panic!("{} panics", path.display()));
        simulated += usize::from(outcome == Outcome::Simulated);
    }
    eprintln!("{} corpus inputs, {simulated} simulated", files.len());
    // The corpus keeps inputs that reach the engine, not only rejected ones.
    assert!(
        simulated >= 3,
        "only {simulated} corpus inputs were simulated"
    );
}

#[test]
fn past_fuzzing_findings_stay_fixed() {
    for path in files("fuzz/regressions/scenario") {
        let data = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| check_input(&data)).is_err() {
            panic!("{} panics again", path.display());
        }
    }
}
