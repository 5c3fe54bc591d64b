//! Everybody's reachability with the theme and no agents added, against the
//! base: over the whole horizon (from the paired comparison of each case
//! with the base), and over the theme's active days.

use crate::model::{Channel, Metric, Model};
use crate::montecarlo::{RunError, RunResult};
use crate::stats::{Estimate, Level, Scope};

use super::super::compare::{self, Side};
use super::super::figure_key::{FigureKey, ScopeKind};
use super::figures::{Figures, diff};
use super::{Input, ReachabilityRow};

/// The channels with contacts in the base or with the theme.
pub(super) fn active_channels(base: &Model, with: &Model) -> Vec<Channel> {
    Channel::ALL
        .into_iter()
        .filter(|c| base.active_channels().contains(c) || with.active_channels().contains(c))
        .collect()
}

/// The reachability rows: per channel and total over the horizon, then per
/// live channel, calls and chats together, and total over the active days.
pub(super) fn rows(
    input: &Input,
    base_run: &RunResult,
    base_side: &Side,
    runs: &[RunResult],
    active: &[u32],
) -> Result<Vec<ReachabilityRow>, RunError> {
    let base = &input.base.model;
    let all_channels = active_channels(base, &input.variants[1].model);
    let mut rows = over_horizon(input, base_run, base_side, runs, &all_channels)?;
    rows.extend(over_active_days(base_run, runs, active, &all_channels));
    Ok(rows)
}

/// Per channel and total over the horizon, from the paired comparisons.
fn over_horizon(
    input: &Input,
    base_run: &RunResult,
    base_side: &Side,
    runs: &[RunResult],
    all_channels: &[Channel],
) -> Result<Vec<ReachabilityRow>, RunError> {
    let base = &input.base.model;
    let comparisons = runs
        .iter()
        .zip(input.variants)
        .map(|(r, v)| {
            let side = Side {
                label: v.model.name.clone(),
                scenario: v.model.name.clone(),
                hash: v.hash.clone(),
            };
            compare::compare((base, base_run, base_side.clone()), (&v.model, r, side))
        })
        .collect::<Result<Vec<_>, _>>()
        // Every run used the same options, so they are always paired.
        .map_err(|e| RunError::Internal(e.to_string()))?;
    let mut out = Vec::new();
    for ch in all_channels.iter().map(|c| Some(*c)).chain([None]) {
        let scope = match ch {
            Some(_) => ScopeKind::Channel,
            None => ScopeKind::Total,
        };
        let key = FigureKey::horizon(scope, ch, Metric::Reachability);
        let rows: Vec<_> = comparisons.iter().map(|c| c.row(&key)).collect();
        let base_est = rows
            .iter()
            .flatten()
            .next()
            .map(|r| r.a)
            .unwrap_or_else(|| Estimate::from_values(&[]));
        let pick = |i: usize, f: &dyn Fn(&compare::Row) -> Estimate| {
            rows[i].map(f).unwrap_or_else(|| Estimate::from_values(&[]))
        };
        out.push(ReachabilityRow {
            over: "horizon".into(),
            channel: ch.map_or("total", |c| c.name()).to_string(),
            base: base_est,
            low: pick(0, &|r| r.b),
            likely: pick(1, &|r| r.b),
            high: pick(2, &|r| r.b),
            difference_low: pick(0, &|r| r.difference),
            difference_likely: pick(1, &|r| r.difference),
            difference_high: pick(2, &|r| r.difference),
        });
    }
    Ok(out)
}

/// Over the active days: each live channel, calls and chats together, and
/// the total (whose e-mails count by their deadline, so that days add up).
fn over_active_days(
    base_run: &RunResult,
    runs: &[RunResult],
    active: &[u32],
    all_channels: &[Channel],
) -> Vec<ReachabilityRow> {
    let base_fig = Figures::new(base_run);
    let figures: Vec<Figures> = runs.iter().map(Figures::new).collect();
    let day_levels: Vec<Level> = active.iter().map(|&d| Level::Day(d)).collect();
    let live: Vec<Channel> = all_channels
        .iter()
        .copied()
        .filter(|c| c.is_live())
        .collect();
    let mut sets: Vec<(String, Vec<Scope>)> = live
        .iter()
        .map(|c| (c.name().to_string(), vec![Scope::Channel(*c)]))
        .collect();
    if live.len() > 1 {
        sets.push((
            "live".into(),
            live.iter().map(|c| Scope::Channel(*c)).collect(),
        ));
    }
    sets.push(("total".into(), vec![Scope::Total]));
    sets.iter()
        .map(|(name, scopes)| {
            let b = base_fig.ratio(&day_levels, scopes);
            let w: Vec<Vec<f64>> = figures
                .iter()
                .map(|f| f.ratio(&day_levels, scopes))
                .collect();
            ReachabilityRow {
                over: "active".into(),
                channel: name.clone(),
                base: Estimate::from_values(&b),
                low: Estimate::from_values(&w[0]),
                likely: Estimate::from_values(&w[1]),
                high: Estimate::from_values(&w[2]),
                difference_low: Estimate::from_values(&diff(&b, &w[0])),
                difference_likely: Estimate::from_values(&diff(&b, &w[1])),
                difference_high: Estimate::from_values(&diff(&b, &w[2])),
            }
        })
        .collect()
}
