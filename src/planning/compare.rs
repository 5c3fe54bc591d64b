//! Paired comparison of two runs that share their seed: each metric for A,
//! for B, and the difference B − A taken replication by replication.
//!
//! Replication `i` of A and of B draw from the same random streams wherever
//! the scenarios agree (streams are keyed by seed, replication, theme and
//! channel), so most of the noise is common to both and cancels in the
//! difference: its confidence interval is much narrower than the one of two
//! independent runs.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::Model;
use crate::montecarlo::RunResult;
use crate::stats::Estimate;

use super::figure_key::{FigureKey, figure_key};

/// One figure in both runs and their paired difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `horizon`, `day` or `time_of_day`.
    pub level: String,
    /// The date or clock time; empty for the horizon.
    pub period: String,
    /// `channel`, `theme`, `line`, `pool` or `total`.
    pub scope: String,
    /// The theme, line or pool; empty otherwise.
    pub name: String,
    /// `call`, `chat`, `email`; empty for pools and the total.
    pub channel: String,
    /// The metric.
    pub metric: String,
    /// The figure in run A.
    pub a: Estimate,
    /// The figure in run B.
    pub b: Estimate,
    /// B − A, replication by replication: mean, 95% CI and quantiles.
    pub difference: Estimate,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// How the user named it: the file, and its `--set` overrides.
    pub label: String,
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of the scenario text that was run.
    pub hash: String,
}

/// A paired comparison of two runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// Run A.
    pub a: Side,
    /// Run B.
    pub b: Side,
    /// The seed both runs used.
    pub seed: u64,
    /// Replications of each run.
    pub replications: u32,
    /// Every figure found in both runs (horizon, day and time of day), in A's order.
    pub rows: Vec<Row>,
}

/// Why two runs cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// Pairing needs the same replications on both sides.
    #[error(
        "the runs are not paired: A has seed {seed_a} and {reps_a} replications, B has seed {seed_b} and {reps_b}"
    )]
    NotPaired {
        /// Seed of A.
        seed_a: u64,
        /// Replications of A.
        reps_a: u32,
        /// Seed of B.
        seed_b: u64,
        /// Replications of B.
        reps_b: u32,
    },
}

impl Comparison {
    /// The row of a figure, if both runs have it.
    pub fn row(
        &self,
        level: &str,
        period: &str,
        scope: &str,
        name: &str,
        channel: &str,
        metric: &str,
    ) -> Option<&Row> {
        self.rows.iter().find(|r| {
            r.level == level
                && r.period == period
                && r.scope == scope
                && r.name == name
                && r.channel == channel
                && r.metric == metric
        })
    }
}

/// Pairs two runs made with the same seed and replications.
pub fn compare(
    (model_a, run_a, side_a): (&Model, &RunResult, Side),
    (model_b, run_b, side_b): (&Model, &RunResult, Side),
) -> Result<Comparison, CompareError> {
    if run_a.options.seed != run_b.options.seed
        || run_a.options.replications != run_b.options.replications
    {
        return Err(CompareError::NotPaired {
            seed_a: run_a.options.seed,
            reps_a: run_a.options.replications,
            seed_b: run_b.options.seed,
            reps_b: run_b.options.replications,
        });
    }
    let in_b: HashMap<FigureKey, usize> = run_b
        .layout
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Some((figure_key(model_b, e)?, i)))
        .collect();
    let mut rows = Vec::new();
    for (ia, entry) in run_a.layout.entries.iter().enumerate() {
        let Some(key) = figure_key(model_a, entry) else {
            continue;
        };
        let Some(&ib) = in_b.get(&key) else {
            continue;
        };
        let a = run_a.column(ia);
        let b = run_b.column(ib);
        // A replication in which either side is undefined (a ratio without
        // a denominator) has no difference.
        let diff: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - x).collect();
        rows.push(Row {
            level: key.level.to_string(),
            period: key.period,
            scope: key.scope.to_string(),
            name: key.name,
            channel: key.channel,
            metric: key.metric.to_string(),
            a: run_a.estimates[ia],
            b: run_b.estimates[ib],
            difference: Estimate::from_values(&diff),
        });
    }
    Ok(Comparison {
        schema_version: 1,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        a: side_a,
        b: side_b,
        seed: run_a.options.seed,
        replications: run_a.options.replications,
        rows,
    })
}

/// The comparison as a tidy CSV: one row per figure, with A, B and B − A.
pub fn to_csv(c: &Comparison) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["level", "period", "scope", "name", "channel", "metric"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for side in ["a", "b", "difference"] {
        for col in ["mean", "ci_low", "ci_high"] {
            header.push(format!("{side}_{col}"));
        }
    }
    // Writing into memory cannot fail.
    w.write_record(&header).unwrap_or_default();
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for r in &c.rows {
        let mut rec = vec![
            r.level.clone(),
            r.period.clone(),
            r.scope.clone(),
            r.name.clone(),
            r.channel.clone(),
            r.metric.clone(),
        ];
        for e in [&r.a, &r.b, &r.difference] {
            rec.extend([num(e.mean), num(e.ci_low), num(e.ci_high)]);
        }
        w.write_record(&rec).unwrap_or_default();
    }
    w.into_inner().unwrap_or_default()
}
