//! Paired comparison of two runs that share their seed: each metric for A,
//! for B, and the difference B − A taken replication by replication.
//!
//! Replication `i` of A and of B draw from the same random streams wherever
//! the scenarios agree (streams are keyed by seed, replication, theme and
//! channel), so most of the noise is common to both and cancels in the
//! difference: its confidence interval is much narrower than the one of two
//! independent runs.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::model::{Metric, Model};
use crate::montecarlo::RunResult;
use crate::stats::{Estimate, Scope};

use super::figure_key::{FigureKey, FigureLevel, ScopeKind};

/// One figure in every plan and the paired differences against the baseline.
///
/// `a`, `b` and `difference` are the baseline, the second plan and their
/// difference, as a comparison of two plans has always written them; with
/// three plans or more (or named plans), `plans` has every plan's figure in the order of
/// [`Comparison::plans`] (the baseline's without a difference).
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
    /// With three plans or more, or named plans: every plan's figure and
    /// its difference against the baseline (empty, and not written,
    /// otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<PlanFigure>,
}

/// One plan's figure in a comparison of three plans or more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFigure {
    /// The figure in this plan.
    pub estimate: Estimate,
    /// This plan − the baseline, replication by replication (none for the
    /// baseline itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Estimate>,
}

impl Row {
    /// The figure in plan `i` (0 is the baseline).
    pub fn estimate(&self, i: usize) -> Option<&Estimate> {
        match (i, self.plans.is_empty()) {
            (0, true) => Some(&self.a),
            (1, true) => Some(&self.b),
            (_, true) => None,
            (_, false) => self.plans.get(i).map(|p| &p.estimate),
        }
    }

    /// Plan `i` − the baseline (none for the baseline, `i` = 0).
    pub fn difference(&self, i: usize) -> Option<&Estimate> {
        match (i, self.plans.is_empty()) {
            (0, _) => None,
            (1, true) => Some(&self.difference),
            (_, true) => None,
            (_, false) => self.plans.get(i).and_then(|p| p.difference.as_ref()),
        }
    }
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

/// One plan of a comparison of three plans or more (or of named plans).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Its letter in tables and CSV columns: A (the baseline), B, C ...
    pub letter: String,
    /// Its name: the one given with `--plan NAME=...`, else its label.
    pub name: String,
    /// Its file, overrides and scenario.
    #[serde(flatten)]
    pub side: Side,
}

/// A paired comparison of two plans or more against the first, the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Version of this layout.
    pub schema_version: u32,
    /// Version of ccsim that produced it.
    pub ccsim_version: String,
    /// Run A, the baseline.
    pub a: Side,
    /// Run B.
    pub b: Side,
    /// With three plans or more, or named plans: every plan, the baseline
    /// first (A, B, C ...); empty, and not written, otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Plan>,
    /// The seed every run used.
    pub seed: u64,
    /// Replications of each run.
    pub replications: u32,
    /// Every figure found in every plan (horizon, day and time of day), in
    /// the baseline's order, then the figures only other plans have that
    /// the baseline has as zero (see [`compare_plans`]).
    pub rows: Vec<Row>,
}

/// Why runs cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// Pairing needs the same replications on both sides.
    #[error(
        "the runs are not paired: A has seed {seed_a} and {reps_a} replications, {plan} has seed {seed_b} and {reps_b}"
    )]
    NotPaired {
        /// The letter of the plan that differs from A.
        plan: String,
        /// Seed of A.
        seed_a: u64,
        /// Replications of A.
        reps_a: u32,
        /// Seed of the other plan.
        seed_b: u64,
        /// Replications of the other plan.
        reps_b: u32,
    },
    /// A comparison needs a baseline and at least one plan.
    #[error("a comparison needs at least two plans, found {0}")]
    TooFew(usize),
}

impl Comparison {
    /// The row of a figure, if every plan has it.
    pub fn row(&self, key: &FigureKey) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == *key)
    }

    /// Every plan, the baseline first: letter, name and side.
    pub fn sides(&self) -> Vec<(String, &str, &Side)> {
        if self.plans.is_empty() {
            vec![
                (letter(0), self.a.label.as_str(), &self.a),
                (letter(1), self.b.label.as_str(), &self.b),
            ]
        } else {
            self.plans
                .iter()
                .map(|p| (p.letter.clone(), p.name.as_str(), &p.side))
                .collect()
        }
    }
}

/// The letter of plan `i` as tables and CSV columns name it: A, B, ... Z,
/// AA, AB ...
pub fn letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Pairs two runs made with the same seed and replications.
pub fn compare(
    a: (&Model, &RunResult, Side),
    b: (&Model, &RunResult, Side),
) -> Result<Comparison, CompareError> {
    compare_plans(vec![(a.0, a.1, a.2, None), (b.0, b.1, b.2, None)])
}

/// Where a plan's values of a figure come from.
#[derive(Debug, Clone)]
enum Source {
    /// An entry of the run's layout.
    Entry(usize),
    /// Zero in every replication: hours of extra support or of absence in a
    /// plan whose pool has none.
    Zero,
    /// Σ scheduled hours × price per hour, over these entries of
    /// `scheduled_hours` and their pools' `hour_price`: the staff cost of a
    /// run that does not report it.
    Priced(Vec<(usize, f64)>),
}

/// A level and its period (a date, a clock time ...).
type Period = (FigureLevel, String);

/// The figures of one run by key, in the run's order.
struct Figures<'a> {
    run: &'a RunResult,
    order: Vec<FigureKey>,
    at: HashMap<FigureKey, Source>,
}

/// The replications a run kept: the length of its columns.
fn kept(run: &RunResult) -> usize {
    run.values.len() / run.layout.entries.len().max(1)
}

/// Figures a plan without the thing they count has as exactly zero.
fn zero_when_absent(metric: Metric) -> bool {
    matches!(
        metric,
        Metric::ExtraHours | Metric::ExtraCost | Metric::AbsentHours
    )
}

impl<'a> Figures<'a> {
    fn of(model: &Model, run: &'a RunResult) -> Figures<'a> {
        let mut order = Vec::new();
        let mut at = HashMap::new();
        // The scheduled hours of every pool per (level, period).
        let mut scheduled: Vec<(Period, Vec<(usize, f64)>)> = Vec::new();
        for (i, entry) in run.layout.entries.iter().enumerate() {
            let Some(key) = FigureKey::of(model, entry) else {
                continue;
            };
            if let (Metric::ScheduledHours, Scope::Pool(p)) = (key.metric, entry.scope) {
                let price = model.pools[p].hour_price;
                let period = (key.level, key.period.clone());
                match scheduled.iter_mut().find(|(k, _)| *k == period) {
                    Some((_, v)) => v.push((i, price)),
                    None => scheduled.push((period, vec![(i, price)])),
                }
            }
            order.push(key.clone());
            at.insert(key, Source::Entry(i));
        }
        // A run that does not report the staff cost (pools with an
        // `hour_price`) gets it here, computed as the run computes it.
        if model.pools.iter().any(|p| p.hour_price > 0.0) {
            for ((level, period), pools) in scheduled {
                let make = |scope, name: &str| FigureKey {
                    level,
                    period: period.clone(),
                    scope,
                    name: name.to_string(),
                    channel: None,
                    metric: Metric::StaffCost,
                };
                for &(i, price) in &pools {
                    let Scope::Pool(p) = run.layout.entries[i].scope else {
                        continue;
                    };
                    let key = make(ScopeKind::Pool, &model.pools[p].name);
                    if price > 0.0 && !at.contains_key(&key) {
                        order.push(key.clone());
                        at.insert(key, Source::Priced(vec![(i, price)]));
                    }
                }
                let key = make(ScopeKind::Total, "");
                if let std::collections::hash_map::Entry::Vacant(e) = at.entry(key.clone()) {
                    order.push(key);
                    e.insert(Source::Priced(pools));
                }
            }
        }
        Figures { run, order, at }
    }

    /// Where the figure comes from in this run, if it has it.
    fn source(&self, key: &FigureKey) -> Option<Source> {
        if let Some(s) = self.at.get(key) {
            return Some(s.clone());
        }
        if !zero_when_absent(key.metric) {
            return None;
        }
        // The pool (or the total) is there over the same period, without
        // the thing counted.
        let anchor = match key.scope {
            ScopeKind::Pool => Metric::ScheduledHours,
            ScopeKind::Total => Metric::Offered,
            _ => return None,
        };
        let anchor = FigureKey {
            metric: anchor,
            ..key.clone()
        };
        matches!(self.at.get(&anchor), Some(Source::Entry(_))).then_some(Source::Zero)
    }

    /// The figure's value in every replication.
    fn column(&self, source: &Source) -> Vec<f64> {
        match source {
            Source::Entry(i) => self.run.column(*i),
            Source::Zero => vec![0.0; kept(self.run)],
            Source::Priced(pools) => {
                let columns: Vec<(Vec<f64>, f64)> = pools
                    .iter()
                    .map(|&(i, price)| (self.run.column(i), price))
                    .collect();
                (0..kept(self.run))
                    .map(|r| columns.iter().map(|(c, price)| c[r] * price).sum())
                    .collect()
            }
        }
    }

    /// The figure's estimate: the run's own, or one made as a run makes it.
    fn estimate(&self, key: &FigureKey, source: &Source, column: &[f64]) -> Estimate {
        match source {
            Source::Entry(i) => self.run.estimates[*i],
            Source::Zero | Source::Priced(_) => Estimate::of(key.metric.bounds(), column),
        }
    }
}

/// Pairs runs made with the same seed and replications: the first is the
/// baseline, and every other plan gets its difference against it,
/// replication by replication.
///
/// A figure is compared when every plan has it. Hours and cost of extra
/// support and absent hours count as zero in a plan whose pool has none
/// (so a plan that adds extra support shows it against a baseline without),
/// and a run that does not report the staff cost of its priced pools gets
/// it from their scheduled hours × `hour_price`, as a run computes it.
///
/// Each plan is its model, its run, its side and the name the user gave it
/// (`--plan NAME=...`), if any; with three plans or more, or a name, the
/// comparison lists them all in `plans`.
pub fn compare_plans(
    plans: Vec<(&Model, &RunResult, Side, Option<String>)>,
) -> Result<Comparison, CompareError> {
    if plans.len() < 2 {
        return Err(CompareError::TooFew(plans.len()));
    }
    let base = plans[0].1;
    for (i, (_, run, _, _)) in plans.iter().enumerate().skip(1) {
        if run.options.seed != base.options.seed
            || run.options.replications != base.options.replications
        {
            return Err(CompareError::NotPaired {
                plan: letter(i),
                seed_a: base.options.seed,
                reps_a: base.options.replications,
                seed_b: run.options.seed,
                reps_b: run.options.replications,
            });
        }
    }
    let figures: Vec<Figures> = plans.iter().map(|(m, r, _, _)| Figures::of(m, r)).collect();
    // The baseline's figures, then those only other plans have.
    let mut seen: HashSet<&FigureKey> = HashSet::new();
    let mut keys: Vec<&FigureKey> = Vec::new();
    for f in &figures {
        for key in &f.order {
            if seen.insert(key) {
                keys.push(key);
            }
        }
    }
    let many = plans.len() > 2 || plans.iter().any(|p| p.3.is_some());
    let mut rows = Vec::new();
    for key in keys {
        let Some(sources) = figures
            .iter()
            .map(|f| f.source(key))
            .collect::<Option<Vec<Source>>>()
        else {
            continue;
        };
        let columns: Vec<Vec<f64>> = figures
            .iter()
            .zip(&sources)
            .map(|(f, s)| f.column(s))
            .collect();
        let estimates: Vec<Estimate> = figures
            .iter()
            .zip(&sources)
            .zip(&columns)
            .map(|((f, s), c)| f.estimate(key, s, c))
            .collect();
        // A replication in which either side is undefined (a ratio without
        // a denominator) has no difference.
        let differences: Vec<Estimate> = columns[1..]
            .iter()
            .map(|c| {
                let diff: Vec<f64> = columns[0].iter().zip(c).map(|(x, y)| y - x).collect();
                Estimate::from_values(&diff)
            })
            .collect();
        let plans = if many {
            estimates
                .iter()
                .enumerate()
                .map(|(i, e)| PlanFigure {
                    estimate: *e,
                    difference: i.checked_sub(1).map(|d| differences[d]),
                })
                .collect()
        } else {
            Vec::new()
        };
        rows.push(Row {
            key: key.clone(),
            a: estimates[0],
            b: estimates[1],
            difference: differences[0],
            plans,
        });
    }
    let all: Vec<Plan> = if many {
        plans
            .iter()
            .enumerate()
            .map(|(i, (_, _, side, name))| Plan {
                letter: letter(i),
                name: name.clone().unwrap_or_else(|| side.label.clone()),
                side: side.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut sides: Vec<Side> = plans.into_iter().map(|(_, _, s, _)| s).collect();
    let b = sides.swap_remove(1);
    let a = sides.swap_remove(0);
    Ok(Comparison {
        schema_version: 1,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        a,
        b,
        plans: all,
        seed: base.options.seed,
        replications: base.options.replications,
        rows,
    })
}
