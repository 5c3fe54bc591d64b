//! The "no panic on any input" check shared by the fuzz target
//! (`fuzz/fuzz_targets/scenario.rs`), the corpus replay test
//! (`tests/fuzz_corpus.rs`) and the property tests (`tests/properties.rs`).
//!
//! [`check_input`] parses and validates arbitrary bytes as a scenario file;
//! when they are a valid scenario, it shortens the horizon to a few days and
//! simulates one replication, checking the invariants every run must keep.
//! Any broken invariant panics, which is what a fuzzer reports.
//!
//! ```
//! let outcome = ccsim::fuzzing::check_input(ccsim::scenario::QUICKSTART.as_bytes());
//! assert_eq!(outcome, ccsim::fuzzing::Outcome::Simulated);
//! assert_eq!(ccsim::fuzzing::check_input(b"horizon = ["), ccsim::fuzzing::Outcome::Invalid);
//! ```

use crate::engine::Engine;
use crate::model::Model;
use crate::scenario::{self, ScenarioErrors};
use crate::stats::{Counters, Layout};

/// Days simulated at most by [`check_input`]: longer horizons are cut.
pub const MAX_DAYS: i64 = 3;
/// Expected contacts above which [`check_input`] does not simulate (it
/// still parses and validates): keeps each input fast for the fuzzer.
pub const MAX_EXPECTED_CONTACTS: f64 = 20_000.0;
/// Counter cells (intervals × (streams + pools)) above which
/// [`check_input`] does not simulate.
pub const MAX_CELLS: usize = 2_000_000;

/// What [`check_input`] did with its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not UTF-8 text.
    NotText,
    /// Rejected with at least one located, well-formed error.
    Invalid,
    /// Valid, but too large (or no longer valid once shortened) to simulate.
    NotSimulated,
    /// Valid and simulated for one replication; every invariant held.
    Simulated,
}

/// Parses, validates and (when small enough) simulates `data` as a scenario
/// file. Panics if any invariant is broken: a panic is a bug in ccsim.
pub fn check_input(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Outcome::NotText;
    };
    let scenario = match scenario::parse_str(text, "fuzz.toml", None) {
        Ok(s) => s,
        Err(errors) => {
            check_errors(&errors);
            return Outcome::Invalid;
        }
    };
    let model = match shortened(text) {
        Some(short) => match scenario::parse_str(&short, "fuzz.toml", None) {
            Ok(s) => s.model,
            Err(errors) => {
                // Cutting the horizon may leave dates outside it: still,
                // the errors must be well formed.
                check_errors(&errors);
                return Outcome::NotSimulated;
            }
        },
        None => scenario.model,
    };
    if !small_enough(&model) {
        return Outcome::NotSimulated;
    }
    let Ok(mut engine) = Engine::new(&model) else {
        return Outcome::NotSimulated;
    };
    let seed = 1700;
    let counters = simulate(&mut engine, &model, seed);
    check_run(&model, &counters);
    // Determinism: the same seed gives the same counters.
    let again = simulate(&mut engine, &model, seed);
    assert!(counters == again, "same seed, different counters");
    Outcome::Simulated
}

/// One replication of `model` (replication 0 of the run seeded `seed`).
pub fn simulate<P: crate::engine::Router>(
    engine: &mut Engine<'_, P>,
    model: &Model,
    seed: u64,
) -> Counters {
    let mut counters = Counters::new(model);
    engine.run(seed, 0, &mut counters);
    counters
}

/// The invariants of one replication's counters: conservation, and every
/// figure a number in its range (shares within [0, 1], nothing negative).
pub fn check_run(model: &Model, counters: &Counters) {
    if let Err(message) = counters.check_conservation() {
        panic!("conservation broken: {message}");
    }
    let layout = Layout::new(model);
    let mut values = Vec::new();
    layout.compute(model, counters, &mut values);
    assert_eq!(values.len(), layout.entries.len());
    for (entry, &v) in layout.entries.iter().zip(&values) {
        if v.is_nan() {
            continue; // No data for the figure (e.g. no contact offered).
        }
        assert!(v.is_finite() && v >= 0.0, "{entry:?} = {v}");
        if entry.metric.is_share() {
            assert!(v <= 1.0 + 1e-9, "{entry:?} = {v} is above 1");
        }
    }
}

/// Every error is located inside the text and says something.
fn check_errors(errors: &ScenarioErrors) {
    assert!(!errors.errors.is_empty(), "rejected without an error");
    for e in &errors.errors {
        assert!(!e.message.is_empty(), "an error without a message: {e:?}");
        if let Some(span) = &e.span {
            assert!(
                span.start <= span.end && span.end <= errors.source.len(),
                "span {span:?} outside the text ({} bytes): {e:?}",
                errors.source.len()
            );
        }
    }
    // The rendering (locations, line and column) must not panic either.
    let _ = errors.to_string();
}

/// The text with its horizon cut to [`MAX_DAYS`] days (`None` when it is
/// short already or the horizon cannot be edited).
fn shortened(text: &str) -> Option<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
    let horizon = doc.get_mut("horizon")?.as_table_like_mut()?;
    let days = horizon.get("days").and_then(|d| d.as_integer());
    if horizon.get("end").is_none() && days.is_some_and(|d| d <= MAX_DAYS) {
        return None;
    }
    horizon.remove("end");
    horizon.insert(
        "days",
        toml_edit::value(days.unwrap_or(MAX_DAYS).clamp(1, MAX_DAYS)),
    );
    Some(doc.to_string())
}

/// Whether one replication of `model` is quick enough for a fuzzer.
fn small_enough(model: &Model) -> bool {
    let expected: f64 = model
        .streams
        .iter()
        .map(|s| s.expected.iter().sum::<f64>())
        .sum();
    let cells = model
        .calendar
        .intervals()
        .saturating_mul(model.streams.len() + model.pools.len());
    expected.is_finite() && expected <= MAX_EXPECTED_CONTACTS && cells <= MAX_CELLS
}
