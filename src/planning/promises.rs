//! `ccsim check`: does a run keep the promises of its scenario's `[expect]`
//! table?
//!
//! A promise is a figure over the whole horizon, a bound and a threshold
//! (`reachability.call >= 0.85`). On the confidence interval (the default),
//! it **holds** when the whole 95% confidence interval of the figure's mean
//! lies on the promised side of the threshold, the threshold itself included:
//! for `>=`, when the CI's lower end is at least the threshold; for `<=`, when
//! its upper end is at most the threshold. It is **broken** when the whole CI
//! lies on the other side, and **unsure** when the CI straddles the threshold
//! (more replications may tell). On the mean (`--on mean`), only the mean is
//! compared. A figure without a value (no contacts), or without a CI (fewer
//! than two replications define it), is **undefined**: the promise could
//! not be judged, and the reason says why. Only a promise that holds
//! passes: `ccsim check` succeeds when every promise holds, exits 3 when
//! one is broken or unsure, and 4 when the others hold but some could not
//! be judged.

use serde::{Deserialize, Serialize};

use crate::model::{Bound, Promise, PromiseScope};
use crate::stats::{Estimate, Metric, RunResults, Scope};

pub use crate::stats::{On, Verdict};

/// One promise and what the run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The promise.
    pub promise: Promise,
    /// The figure's estimate over the horizon, if the run has it.
    pub estimate: Option<Estimate>,
    /// Holds, broken, unsure or undefined.
    pub verdict: Verdict,
    /// Why, in words: "the whole CI is below 85%".
    pub reason: String,
}

/// The result of `ccsim check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario text.
    pub hash: String,
    /// Seed of the run.
    pub seed: u64,
    /// Replications of the run.
    pub replications: u32,
    /// What the promises were tested on.
    pub on: On,
    /// Whether every promise holds.
    pub holds: bool,
    /// Every promise, in the scenario's order.
    pub outcomes: Vec<Outcome>,
}

impl Check {
    /// The promises that do not hold.
    pub fn failing(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| o.verdict != Verdict::Holds)
    }

    /// The promises that could not be judged (undefined verdicts).
    pub fn unjudged(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes
            .iter()
            .filter(|o| o.verdict == Verdict::Undefined)
    }

    /// Whether the check fails only because some promises could not be
    /// judged: none is broken or unsure, and not all hold. `ccsim check`
    /// then exits 4, not 3: nothing was found broken.
    pub fn only_unjudged(&self) -> bool {
        !self.holds && self.failing().all(|o| o.verdict == Verdict::Undefined)
    }
}

/// The horizon estimate a promise is about.
pub fn estimate<'a>(results: &'a RunResults, promise: &Promise) -> Option<&'a Estimate> {
    let scope = match &promise.scope {
        PromiseScope::Channel(c) => Scope::Channel(*c),
        PromiseScope::Total => Scope::Total,
        PromiseScope::Pool(p) => Scope::Pool(results.pool(p)?),
    };
    results.horizon(scope, promise.metric)
}

/// Tests every promise on the run's results.
pub fn check(results: &RunResults, promises: &[Promise], on: On) -> Check {
    let outcomes: Vec<Outcome> = promises
        .iter()
        .map(|p| {
            let e = estimate(results, p).copied();
            let (verdict, reason) = verdict(p, e.as_ref(), on);
            Outcome {
                promise: p.clone(),
                estimate: e,
                verdict,
                reason,
            }
        })
        .collect();
    Check {
        scenario: results.scenario.name.clone(),
        hash: results.scenario.hash.clone(),
        seed: results.run.seed,
        replications: results.run.replications,
        on,
        holds: outcomes.iter().all(|o| o.verdict == Verdict::Holds),
        outcomes,
    }
}

/// The verdict of a promise and why, in words.
fn verdict(p: &Promise, e: Option<&Estimate>, on: On) -> (Verdict, String) {
    let t = format_threshold(p.metric, p.threshold);
    let verdict = e.map_or(Verdict::Undefined, |e| e.verdict(p.bound, p.threshold, on));
    let what = match on {
        On::Ci => "the whole CI",
        On::Mean => "the mean",
    };
    let reason = match (verdict, p.bound) {
        (Verdict::Undefined, _) => match e {
            Some(e) if e.mean.is_some() => format!(
                "no confidence interval from {} replication{}: run at least 2",
                e.n,
                if e.n == 1 { "" } else { "s" }
            ),
            _ => "the figure has no value in this run (no contacts of that kind?)".to_string(),
        },
        (Verdict::Holds, Bound::AtLeast) => format!("{what} is at least {t}"),
        (Verdict::Holds, Bound::AtMost) => format!("{what} is at most {t}"),
        (Verdict::Broken, Bound::AtLeast) => format!("{what} is below {t}"),
        (Verdict::Broken, Bound::AtMost) => format!("{what} is above {t}"),
        (Verdict::Unsure, Bound::AtLeast) => {
            format!("the CI reaches below {t}: not shown to hold (more replications may tell)")
        }
        (Verdict::Unsure, Bound::AtMost) => {
            format!("the CI reaches above {t}: not shown to hold (more replications may tell)")
        }
    };
    (verdict, reason)
}

/// A figure in its metric's unit: `85.3%`, `45s`, `1,200,000`.
pub fn format_value(metric: Metric, x: f64) -> String {
    if metric.is_share() {
        format!("{:.1}%", x * 100.0)
    } else {
        format_threshold(metric, x)
    }
}

/// A threshold as the planner wrote it: `85%`, `82.5%`, `45s`, `1,200,000`.
pub fn format_threshold(metric: Metric, x: f64) -> String {
    match metric {
        m if m.is_share() => {
            let s = format!("{:.4}", x * 100.0);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            format!("{s}%")
        }
        Metric::Asa => crate::model::duration::format_duration(x),
        _ => crate::model::numbers::group_thousands(x.round()),
    }
}

/// The promise as a sentence: `reachability.call >= 85%`.
pub fn describe(p: &Promise) -> String {
    format!(
        "{} {} {}",
        p.figure,
        p.bound.symbol(),
        format_threshold(p.metric, p.threshold)
    )
}
