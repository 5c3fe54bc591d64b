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

use super::figure_key::FigureKey;

/// One figure in both runs and their paired difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Which figure (written as its fields: level, period, scope, name,
    /// channel, metric).
    #[serde(flatten)]
    pub key: FigureKey,
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
    pub fn row(&self, key: &FigureKey) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == *key)
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
        .filter_map(|(i, e)| Some((FigureKey::of(model_b, e)?, i)))
        .collect();
    let mut rows = Vec::new();
    for (ia, entry) in run_a.layout.entries.iter().enumerate() {
        let Some(key) = FigureKey::of(model_a, entry) else {
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
            key,
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
