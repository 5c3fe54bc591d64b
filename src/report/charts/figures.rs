//! Reading a chart's figures out of a run's results: estimates as values
//! and bands, dates and clock times as the charts take them. Every chart of
//! a run is built from its results alone, so `ccsim chart` redraws a saved
//! run exactly.

use chrono::NaiveDate;

use super::Band;
use crate::model::Channel;
use crate::stats::{Estimate, RunResults};

/// The mean of an estimate; NaN (a gap) when there is none.
pub(super) fn mean(e: Option<&Estimate>) -> f64 {
    e.and_then(|e| e.mean).unwrap_or(f64::NAN)
}

/// The estimate when enough replications define it to be drawn as a value:
/// none when fewer than half of the run's `replications` do (its mean would
/// speak for an atypical minority, e.g. a day's e-mail reachability that 3
/// of 20 replications define, at 100%).
pub(super) fn drawn(e: Option<&Estimate>, replications: u32) -> Option<&Estimate> {
    e.filter(|e| !defined_by_few(e.n, replications))
}

/// Whether `n` replications of `replications` are few to define a figure:
/// fewer than half (2·n < R). The same rule as `Estimate::defined_by_few`,
/// which issue 15's stats work adds to `stats::estimate`; this copy goes
/// when that lands.
fn defined_by_few(n: u32, replications: u32) -> bool {
    n > 0 && 2 * u64::from(n) < u64::from(replications)
}

/// Means with their band: from P5 to P95 of the replications when `fan`,
/// else the 95% CI; NaN where an estimate or an edge is missing.
pub(super) fn band<'a>(estimates: impl Iterator<Item = Option<&'a Estimate>>, fan: bool) -> Band {
    let mut b = Band::default();
    for e in estimates {
        b.mean.push(mean(e));
        let (low, high) = match e {
            Some(e) if fan => (e.p5, e.p95),
            Some(e) => (e.ci_low, e.ci_high),
            None => (None, None),
        };
        b.low.push(low.unwrap_or(f64::NAN));
        b.high.push(high.unwrap_or(f64::NAN));
    }
    b
}

/// A `YYYY-MM-DD` date of the results.
pub(super) fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Minutes after midnight of an `HH:MM` clock time.
pub(super) fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
}

/// The target drawn on a reachability chart of these channels: the single
/// channel's own, else the total's.
pub(super) fn reachability_target(results: &RunResults, channels: &[Channel]) -> Option<f64> {
    let s = &results.scenario;
    match channels {
        [one] => s
            .reachability_target(*one)
            .or_else(|| s.total_reachability_target()),
        _ => s.total_reachability_target(),
    }
}

/// Whether the run has contacts to show per interval of the day: a front
/// desk alone has no calls or chats there.
pub(super) fn shows_intervals(results: &RunResults) -> bool {
    !results.live_channels().is_empty() || !results.channels().contains(&Channel::Visit)
}
