//! `--precision`: replications until the key figures' 95% CIs are narrow
//! enough. The run is exactly the run of `-r N` for the N it reached, on
//! any number of threads; the half-widths it reports meet the target (or
//! the cap stopped it, and it says which figure was still wide); targets
//! outside (0, 0.5] are refused.

use std::path::Path;

use assert_cmd::Command;
use ccsim::model::Model;
use ccsim::montecarlo::precision::{self, FIRST_BATCH, half_width, key_figures};
use ccsim::montecarlo::{self, RunOptions, RunResult};
use predicates::str::contains;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").unwrap()
}

fn quickstart() -> Model {
    ccsim::scenario::load(Path::new("scenarios/quickstart.toml"))
        .unwrap()
        .model
}

fn options(threads: usize) -> RunOptions {
    RunOptions {
        replications: 0,
        seed: 7,
        threads: Some(threads),
    }
}

fn bits(run: &RunResult) -> (Vec<u64>, String) {
    (
        run.values.iter().map(|v| v.to_bits()).collect(),
        format!("{:?}", run.estimates),
    )
}

/// The result with a precision is the result of `-r N` for the N reached,
/// bit for bit, and does not depend on the threads.
#[test]
fn precision_equals_the_fixed_run_it_reached_on_any_threads() {
    let model = quickstart();
    let (one, p1) =
        precision::run_to_precision(&model, options(1), 0.002, 1000, None, &|| {}).unwrap();
    let (two, p2) =
        precision::run_to_precision(&model, options(2), 0.002, 1000, None, &|| {}).unwrap();
    assert_eq!(p1, p2, "the thread count changed the precision run");
    assert_eq!(
        bits(&one),
        bits(&two),
        "the thread count changed the figures"
    );
    let n = one.replications.end;
    assert!(p1.reached, "{}", p1.message());
    assert!(
        n > FIRST_BATCH,
        "one batch was enough ({n}): the test needs two"
    );
    assert_eq!(p1.batches.first(), Some(&FIRST_BATCH));
    assert_eq!(p1.replications(), n);
    assert!(p1.batches.windows(2).all(|w| w[0] < w[1]));
    let fixed = montecarlo::run(
        &model,
        RunOptions {
            replications: n,
            ..options(2)
        },
        &|| {},
    )
    .unwrap();
    assert_eq!(bits(&one), bits(&fixed), "differs from -r {n}");
    assert_eq!(one.options.replications, fixed.options.replications);
    assert_eq!(one.replications, fixed.replications);
    // The results (and so every file) are those of -r N but for the
    // precision block.
    let mut a = one.results(&model);
    let b = fixed.results(&model);
    assert!(a.precision.is_none());
    a.precision = Some(p1);
    let (mut ja, mut jb) = (Vec::new(), Vec::new());
    a.write_json(&mut ja).unwrap();
    b.write_json(&mut jb).unwrap();
    let mut ja: serde_json::Value = serde_json::from_slice(&ja).unwrap();
    let jb: serde_json::Value = serde_json::from_slice(&jb).unwrap();
    assert!(ja["precision"]["reached"].as_bool().unwrap());
    ja.as_object_mut().unwrap().remove("precision");
    assert_eq!(ja, jb);
}

/// A batch simulated a few replications at a time (as a large scenario's
/// is, to bound its memory) gives the same figures as one simulated whole.
#[test]
fn chunks_do_not_change_the_figures() {
    let model = quickstart();
    let (whole, p) =
        precision::run_in_chunks(&model, options(2), 0.002, 1000, u32::MAX, None, &|| {}).unwrap();
    for chunk in [1, 3, 7] {
        let (part, q) =
            precision::run_in_chunks(&model, options(2), 0.002, 1000, chunk, None, &|| {}).unwrap();
        assert_eq!(p, q, "chunks of {chunk}");
        assert_eq!(bits(&whole), bits(&part), "chunks of {chunk}");
    }
}

/// The half-widths reported are those of the run's own estimates, and each
/// is within the target; the run before the last batch was not.
#[test]
fn reported_half_widths_meet_the_target() {
    let model = quickstart();
    let target = 0.002;
    let (run, p) =
        precision::run_to_precision(&model, options(2), target, 1000, None, &|| {}).unwrap();
    let keys = key_figures(&run.layout);
    // call reachability and service level, e-mail reachability, the total's.
    assert_eq!(keys.len(), 4, "{:?}", p.figures);
    assert_eq!(p.figures.len(), keys.len());
    for (k, f) in keys.iter().zip(&p.figures) {
        let h = half_width(&run.estimates[*k]).unwrap();
        assert_eq!(f.half_width, Some(h), "{}", f.figure);
        assert!(h <= target, "{} ±{h} after {:?}", f.figure, p.batches);
        let e = run.estimates[*k];
        assert!(e.ci_high.unwrap() - e.mean.unwrap() <= target);
        assert!(e.mean.unwrap() - e.ci_low.unwrap() <= target);
    }
    // The batch before the last had not reached the target (else the run
    // would have stopped there).
    let before = p.batches[p.batches.len() - 2];
    let earlier = montecarlo::run(
        &model,
        RunOptions {
            replications: before,
            ..options(2)
        },
        &|| {},
    )
    .unwrap();
    assert!(
        keys.iter()
            .any(|&k| half_width(&earlier.estimates[k]).unwrap() > target),
        "the target was already met after {before}"
    );
}

/// A cap too low stops the run at the cap, saying which figure was still wide.
#[test]
fn the_cap_stops_the_run_and_names_the_widest_figure() {
    let model = quickstart();
    let (run, p) =
        precision::run_to_precision(&model, options(2), 0.0002, 30, None, &|| {}).unwrap();
    assert!(!p.reached);
    assert_eq!(run.replications, 0..30);
    assert_eq!(p.batches, vec![20, 30]);
    let widest = p.widest().unwrap();
    assert!(widest.half_width.unwrap() > 0.0002);
    assert!(p.figures.iter().all(|f| f.half_width <= widest.half_width));
}

/// The exact message of a run the cap stopped, on the terminal (stdout and
/// stderr) and in summary.json.
#[test]
fn the_cap_message_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("s.json");
    let message = "PRECISION NOT REACHED: stopped at the cap of 30 replications; the 95% CI of service_level.call is still ±0.22 points, wider than the ±0.020 asked for. Raise the cap (-r) or ask for a wider --precision.";
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--precision",
            "0.02%",
            "-r",
            "30",
            "-s",
            "7",
            "-q",
            "--json",
        ])
        .arg(&json)
        .assert()
        .success()
        .stdout(contains("7 days from 2021-04-12, 30 replications, seed 7"))
        .stdout(contains(message))
        .stderr(contains(message));
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(s["replications"], 30);
    assert_eq!(s["precision"]["reached"], false);
    assert_eq!(s["precision"]["cap"], 30);
    assert_eq!(s["precision"]["batches"], serde_json::json!([20, 30]));
    assert_eq!(s["precision"]["target"], 0.0002);
}

/// Without --precision, summary.json has no precision block.
#[test]
fn a_fixed_run_has_no_precision_block() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("s.json");
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-r",
            "3",
            "-q",
            "--json",
        ])
        .arg(&json)
        .assert()
        .success();
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(s.get("precision").is_none());
}

#[test]
fn invalid_targets_are_refused() {
    for bad in ["0", "-0.01", "0.6", "NaN", "inf", "60%", "0%", "abc"] {
        ccsim()
            .args(["run", "scenarios/quickstart.toml", "-q"])
            .arg(format!("--precision={bad}"))
            .assert()
            .code(2)
            .stderr(contains("--precision"))
            .stderr(contains("0.002"));
    }
    ccsim()
        .args([
            "check",
            "scenarios/quickstart.toml",
            "-q",
            "--precision",
            "0",
        ])
        .assert()
        .code(2)
        .stderr(contains("above 0 and at most 0.5"));
    ccsim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "-q",
            "--precision",
            "0.01",
            "--log",
            "/dev/null",
            "--log-replication",
            "21",
        ])
        .assert()
        .code(2)
        .stderr(contains("only the first batch of 20 replications"));
}
