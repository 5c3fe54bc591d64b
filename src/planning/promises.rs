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
//! than two replications), is **undefined**. Only a promise that holds
//! passes: `ccsim check` succeeds when every promise holds.

use serde::{Deserialize, Serialize};

use crate::model::{Bound, Promise, PromiseScope};
use crate::report::Summary;
use crate::stats::Estimate;

/// What a promise is tested on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum On {
    /// The whole 95% confidence interval of the mean must be on the promised side.
    Ci,
    /// The mean must be on the promised side.
    Mean,
}

/// The outcome of one promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Shown to hold.
    Holds,
    /// Shown to be broken: the whole CI (or the mean) is on the wrong side.
    Broken,
    /// The CI straddles the threshold: not shown to hold.
    Unsure,
    /// The figure has no value (or no CI) in this run.
    Undefined,
}

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
}

/// The horizon estimate a promise is about.
pub fn estimate<'a>(summary: &'a Summary, promise: &Promise) -> Option<&'a Estimate> {
    let h = &summary.horizon;
    let map = match &promise.scope {
        PromiseScope::Channel(c) => h.channels.get(c)?,
        PromiseScope::Total => &h.total,
        PromiseScope::Pool(p) => h.pools.get(p)?,
    };
    map.get(&promise.metric)
}

/// Tests every promise on the run's summary.
pub fn check(summary: &Summary, promises: &[Promise], on: On) -> Check {
    let outcomes: Vec<Outcome> = promises
        .iter()
        .map(|p| {
            let e = estimate(summary, p).copied();
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
        scenario: summary.scenario.name.clone(),
        hash: summary.scenario.hash.clone(),
        seed: summary.seed,
        replications: summary.replications,
        on,
        holds: outcomes.iter().all(|o| o.verdict == Verdict::Holds),
        outcomes,
    }
}

fn verdict(p: &Promise, e: Option<&Estimate>, on: On) -> (Verdict, String) {
    let t = format_threshold(&p.metric, p.threshold);
    let Some(mean) = e.and_then(|e| e.mean) else {
        return (
            Verdict::Undefined,
            "the figure has no value in this run (no contacts of that kind?)".to_string(),
        );
    };
    let (low, high) = match on {
        On::Mean => (mean, mean),
        On::Ci => match e.and_then(|e| e.ci_low.zip(e.ci_high)) {
            Some(ci) => ci,
            None => {
                return (
                    Verdict::Undefined,
                    "no confidence interval: run at least 2 replications".to_string(),
                );
            }
        },
    };
    let what = match on {
        On::Ci => "the whole CI",
        On::Mean => "the mean",
    };
    match p.bound {
        Bound::AtLeast if low >= p.threshold => (Verdict::Holds, format!("{what} is at least {t}")),
        Bound::AtMost if high <= p.threshold => (Verdict::Holds, format!("{what} is at most {t}")),
        Bound::AtLeast if high < p.threshold => (Verdict::Broken, format!("{what} is below {t}")),
        Bound::AtMost if low > p.threshold => (Verdict::Broken, format!("{what} is above {t}")),
        Bound::AtLeast => (
            Verdict::Unsure,
            format!("the CI reaches below {t}: not shown to hold (more replications may tell)"),
        ),
        Bound::AtMost => (
            Verdict::Unsure,
            format!("the CI reaches above {t}: not shown to hold (more replications may tell)"),
        ),
    }
}

fn is_share(metric: &str) -> bool {
    matches!(
        metric,
        "reachability" | "service_level" | "abandon_share" | "occupancy"
    )
}

/// A figure in its metric's unit: `85.3%`, `45s`, `1,200,000`.
pub fn format_value(metric: &str, x: f64) -> String {
    if is_share(metric) {
        format!("{:.1}%", x * 100.0)
    } else {
        format_threshold(metric, x)
    }
}

/// A threshold as the planner wrote it: `85%`, `82.5%`, `45s`, `1,200,000`.
pub fn format_threshold(metric: &str, x: f64) -> String {
    match metric {
        m if is_share(m) => {
            let s = format!("{:.4}", x * 100.0);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            format!("{s}%")
        }
        "asa" => crate::model::duration::format_duration(x),
        _ => crate::report::table::group_thousands(x.round()),
    }
}

/// The promise as a sentence: `reachability.call >= 85%`.
pub fn describe(p: &Promise) -> String {
    format!(
        "{} {} {}",
        p.figure,
        p.bound.symbol(),
        format_threshold(&p.metric, p.threshold)
    )
}
