//! A run's figures looked up by their entry (level, scope, metric), summed
//! per replication: what the forecast's figures are made of.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::montecarlo::RunResult;
use crate::stats::{Entry, Level, Metric, Scope};

/// Indices of a run's figures by their entry.
pub(super) struct Figures<'a> {
    run: &'a RunResult,
    index: HashMap<&'a Entry, usize>,
}

impl<'a> Figures<'a> {
    /// Indexes a run's figures.
    pub(super) fn new(run: &'a RunResult) -> Self {
        let index = run
            .layout
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e, i))
            .collect();
        Figures { run, index }
    }

    /// The index of a figure, if the run has it.
    pub(super) fn get(&self, level: Level, scope: Scope, metric: Metric) -> Option<usize> {
        self.index
            .get(&Entry {
                level,
                scope,
                metric,
            })
            .copied()
    }

    /// Per replication, the sum of the figures `entries`.
    pub(super) fn sum(&self, entries: &[usize]) -> Vec<f64> {
        let n = self.run.layout.entries.len();
        (0..self.run.options.replications as usize)
            .map(|r| entries.iter().map(|&e| self.run.values[r * n + e]).sum())
            .collect()
    }

    /// Per replication, Σ answered / Σ offered of `scopes` at `levels`.
    pub(super) fn ratio(&self, levels: &[Level], scopes: &[Scope]) -> Vec<f64> {
        let pick = |m: Metric| -> Vec<usize> {
            levels
                .iter()
                .flat_map(|&l| scopes.iter().filter_map(move |s| self.get(l, *s, m)))
                .collect()
        };
        let a = self.sum(&pick(Metric::Answered));
        let o = self.sum(&pick(Metric::Offered));
        a.iter()
            .zip(&o)
            .map(|(a, o)| if *o > 0.0 { a / o } else { f64::NAN })
            .collect()
    }

    /// Per replication, one figure (NaN where the run does not have it).
    pub(super) fn column(&self, level: Level, scope: Scope, metric: Metric) -> Vec<f64> {
        match self.get(level, scope, metric) {
            Some(e) => self.run.column(e),
            None => vec![f64::NAN; self.run.options.replications as usize],
        }
    }
}

/// Per replication, `b − a` (a paired difference).
pub(super) fn diff(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| y - x).collect()
}

/// The ISO week of a date, `2021-W07`.
pub(super) fn iso_week(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}
