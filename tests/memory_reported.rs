//! Memory bounded by what is reported: a run that writes no file summarises
//! only the figures its terminal summary reads (`Entry::in_run_summary`,
//! `RunResult::results_of`), and that summary is the same as from every
//! figure.

use ccsim::model::Model;
use ccsim::montecarlo::memory::{Files, Part, Plan, estimate};
use ccsim::montecarlo::{self, RunOptions, RunResult};
use ccsim::report::Colour;
use ccsim::report::run::tables::render;
use ccsim::scenario::overrides::Override;
use ccsim::stats::Level;

fn run(model: &Model, replications: u32) -> RunResult {
    let options = RunOptions {
        replications,
        seed: 11,
        threads: Some(2),
    };
    montecarlo::run(model, options, &|| {}).unwrap()
}

/// Every curated scenario (theme files left out), the long ones cut to two
/// weeks so the test stays fast.
fn curated() -> Vec<(String, Model)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let Ok(mut scenario) = ccsim::scenario::load(&path) else {
            continue;
        };
        if scenario.model.calendar.days > 14 {
            let text = std::fs::read_to_string(&path).unwrap();
            let set = if text.contains("\nend = ") {
                format!("horizon.end={}", scenario.model.calendar.date(13))
            } else {
                "horizon.days=14".to_string()
            };
            let short =
                ccsim::scenario::load_with(Some(&path), &[set.parse::<Override>().unwrap()]);
            scenario = short.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        out.push((path.display().to_string(), scenario.model));
    }
    assert!(out.len() >= 7, "only {} scenarios", out.len());
    out
}

#[test]
fn keeping_every_figure_gives_the_results_of_a_run() {
    for (name, model) in curated() {
        let result = run(&model, 3);
        let kept = result.results_of(&model, &|_| true);
        assert!(kept == result.results(&model), "{name}");
    }
}

#[test]
fn summarising_into_the_results_order_gives_the_results_of_a_run() {
    for (name, model) in curated() {
        let result = run(&model, 4);
        assert!(
            result.results_summarised(&model) == result.results(&model),
            "{name}"
        );
    }
}

#[test]
fn summarising_days_and_intervals_as_written_gives_the_results_of_a_run() {
    for (name, model) in curated() {
        let result = run(&model, 3);
        let full = result.results(&model);
        let later = result.into_results(&model);
        assert!(later == full, "{name}");
        assert_eq!(
            render(&later, Colour::Off),
            render(&full, Colour::Off),
            "{name}"
        );
    }
}

#[test]
fn the_terminal_summary_reads_only_the_figures_kept_without_files() {
    for (name, model) in curated() {
        let result = run(&model, 3);
        let full = result.results(&model);
        let kept = result.results_of(&model, &|e| e.in_run_summary());
        assert_eq!(
            render(&kept, Colour::Off),
            render(&full, Colour::Off),
            "{name}"
        );
        // Far fewer figures: none of an interval.
        let (k, f) = (kept.figures().count(), full.figures().count());
        assert!(k < f, "{name}: {k} of {f}");
        assert!(
            kept.figures()
                .all(|(e, _)| !matches!(e.level, Level::Interval(_))),
            "{name}"
        );
        assert_eq!(kept.intervals, full.intervals, "{name}");
        assert_eq!(kept.names, full.names, "{name}");
    }
}

#[test]
fn a_run_without_files_is_estimated_with_the_summaries_it_keeps() {
    let text = ccsim::scenario::QUICKSTART.replace("days = 7", "days = 3650");
    let model = ccsim::scenario::parse_str(&text, "q.toml", None)
        .unwrap()
        .model;
    let plan = |files| Plan {
        replications: 1,
        workers: 1,
        files,
    };
    let none = estimate(&model, &plan(Files::None));
    let report = estimate(&model, &plan(Files::Report));
    // Without files, the counters of the replication running dominate.
    assert_ne!(none.largest().unwrap().part, Part::Summaries);
    // With --out, the figures of days and intervals are summarised as they
    // are written: the layout they are written from dominates, and the
    // summaries cost their order (8 bytes a figure), not 228 bytes each.
    assert_eq!(report.largest().unwrap().part, Part::Scenario);
    let summaries = report
        .items
        .iter()
        .find(|i| i.part == Part::Summaries)
        .unwrap();
    assert!(
        summaries.bytes < 10 * report.figures as u64 + 1_000_000,
        "{summaries:?}"
    );
}
