//! The counters of a run hold only the days still open (`stats::Rolling`),
//! folding each day into the replication's figures once it is final: the
//! figures are the same, bit for bit, as from counters over the whole
//! horizon (`Counters` and `Layout::compute`), and the days held stay as
//! few as the memory estimate assumes (`montecarlo::memory::HELD_DAYS`).

use ccsim::engine::Engine;
use ccsim::model::Model;
use ccsim::montecarlo::memory::HELD_DAYS;
use ccsim::scenario::{self, overrides::Override};
use ccsim::stats::{Counters, Layout, Rolling};

/// Every curated scenario that simulates, its horizon set to `days` days
/// (the long ones cut, the short ones lengthened), with a variant of the
/// quickstart whose e-mails pile up for days and whose callers redial and
/// ask for callbacks.
fn scenarios(days: u32) -> Vec<(String, Model)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let Ok(scenario) = scenario::load(&path) else {
            continue;
        };
        let start = scenario.model.calendar.date(0);
        let end = start + chrono::Duration::days(i64::from(days) - 1);
        let text = std::fs::read_to_string(&path).unwrap();
        let set = if text.contains("\nend = ") {
            format!("horizon.end={end}")
        } else {
            format!("horizon.days={days}")
        };
        let model = scenario::load_with(Some(&path), &[set.parse::<Override>().unwrap()])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .model;
        out.push((path.display().to_string(), model));
    }
    assert!(out.len() >= 7, "only {} scenarios", out.len());
    out
}

/// The figures of replication `r` through both recorders, and the most
/// days the rolling counters held at once.
fn both(model: &Model, r: u64) -> (Vec<f64>, Vec<f64>, usize) {
    let layout = Layout::new(model);
    let mut engine = Engine::new(model).unwrap();
    let mut counters = Counters::new(model);
    engine.run(5, r, &mut counters);
    counters.check_conservation().unwrap();
    let mut whole = Vec::new();
    layout.compute(model, &counters, &mut whole);
    let mut rolling = Rolling::new(model, &layout);
    // A second replication through the same rolling counters, after a
    // first one: reset must leave nothing behind.
    engine.run(5, r + 1, &mut rolling);
    rolling.finish().unwrap();
    rolling.reset();
    engine.run(5, r, &mut rolling);
    let folded = rolling.finish().unwrap().to_vec();
    (whole, folded, rolling.peak_days())
}

#[test]
fn folding_day_by_day_gives_the_same_figures_bit_for_bit() {
    // E-mails that pile up for days: days stay open long after they end.
    let text = scenario::QUICKSTART
        .replace("days = 7", "days = 23")
        .replace(
            "volume.email = { per_day = 60 }",
            "volume.email = { per_day = 3000 }",
        );
    let piled = scenario::parse_str(&text, "piled.toml", None)
        .unwrap()
        .model;
    let (_, _, held) = both(&piled, 0);
    assert!(held > 7, "the backlog held only {held} days");
    let mut all = scenarios(23);
    all.push(("quickstart with piled-up e-mails".into(), piled));
    for (name, model) in all {
        for r in [0, 3] {
            let (whole, folded, _) = both(&model, r);
            assert_eq!(whole.len(), folded.len(), "{name}");
            let layout = Layout::new(&model);
            for (k, (a, b)) in whole.iter().zip(&folded).enumerate() {
                assert!(
                    a.to_bits() == b.to_bits(),
                    "{name}, replication {r}: {:?} is {a} over the whole horizon but {b} folded",
                    layout.entries[k]
                );
            }
        }
    }
}

#[test]
fn a_run_holds_only_the_days_still_open() {
    for (name, model) in scenarios(70) {
        let (_, _, held) = both(&model, 0);
        if model.has_visits() {
            // Appointment books are told for the whole horizon at its
            // start (the estimate counts every day for them).
            assert!(held as u64 > HELD_DAYS, "{name}: {held} days held");
        } else {
            assert!(held as u64 <= HELD_DAYS, "{name}: {held} days held");
        }
    }
}
