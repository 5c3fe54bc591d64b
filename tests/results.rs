//! The typed results of a run and their file layout: `summary.json` reads
//! back into exactly the results it was written from, for every curated
//! scenario, and figures are found by their typed keys.

use ccsim::model::Channel;
use ccsim::montecarlo::{self, RunOptions};
use ccsim::stats::{Level, Metric, RunResults, Scope, SummaryFile};

fn run(path: &std::path::Path, replications: u32) -> RunResults {
    let scenario = ccsim::scenario::load(path).unwrap();
    let options = RunOptions {
        replications,
        seed: 5,
        threads: Some(2),
    };
    montecarlo::run(&scenario.model, options, &|| {})
        .unwrap()
        .results(&scenario.model)
}

#[test]
fn every_curated_scenario_reads_back_from_its_summary_exactly() {
    let mut seen = 0;
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        // Theme files (forecasts) are not whole scenarios.
        if ccsim::scenario::load(&path).is_err() {
            continue;
        }
        let results = run(&path, 3);
        let text = serde_json::to_string_pretty(&results.to_file()).unwrap();
        let file: SummaryFile = serde_json::from_str(&text).unwrap();
        let back = RunResults::from_file(&file).unwrap();
        assert!(back == results, "{} does not read back", path.display());
        let again = serde_json::to_string_pretty(&back.to_file()).unwrap();
        assert!(again == text, "{}: the file changes", path.display());
        seen += 1;
    }
    assert!(seen >= 7, "only {seen} scenarios");
}

#[test]
fn figures_are_found_by_their_typed_keys() {
    let r = run(std::path::Path::new("scenarios/quickstart.toml"), 4);
    let call = Scope::Channel(Channel::Call);
    let offered = r.horizon(call, Metric::Offered).unwrap().mean.unwrap();
    let answered = r.horizon(call, Metric::Answered).unwrap().mean.unwrap();
    let reach = r.horizon(call, Metric::Reachability).unwrap().mean.unwrap();
    // Each replication's reachability is its answered / offered; the means
    // over 4 replications agree closely.
    assert!(
        (reach - answered / offered).abs() < 0.01,
        "{reach} {answered} {offered}"
    );
    // Days add up to the horizon.
    let days: f64 = (0..r.days.len() as u32)
        .filter_map(|d| r.mean(Level::Day(d), call, Metric::Offered))
        .sum();
    assert!((days - offered).abs() < 1e-6 * offered, "{days} {offered}");
    assert_eq!(r.channels(), [Channel::Call, Channel::Email]);
    assert_eq!(r.names.pools, ["agents"]);
    assert_eq!(r.pool("agents"), Some(0));
    assert!(r.horizon(Scope::Pool(0), Metric::Occupancy).is_some());
    assert!(r.horizon(call, Metric::Booked).is_none());
    let d = r.wait_distribution(Channel::Call).unwrap();
    assert_eq!(d.seconds.len(), d.answered.len());
    assert_eq!(d.seconds[..3], [0, 5, 10]);
}

#[test]
fn a_summary_with_an_unknown_metric_is_refused_with_its_name() {
    let r = run(std::path::Path::new("scenarios/quickstart.toml"), 2);
    let text =
        serde_json::to_string(&r.to_file())
            .unwrap()
            .replacen("\"asa\"", "\"average_speed\"", 1);
    let file: SummaryFile = serde_json::from_str(&text).unwrap();
    assert_eq!(
        RunResults::from_file(&file).unwrap_err(),
        "unknown metric `average_speed`"
    );
}
