//! Replications until the key figures are precise enough (`--precision`).
//!
//! The run goes in sequential batches of the run's own replications: the
//! first batch is replications `0..FIRST_BATCH`, each further batch the next
//! ones, `n..n'`. After each batch the 95% CI of every **key figure** (the
//! reachability and the service level of each channel over the horizon, and
//! the reachability of all channels together) is computed from the
//! replications so far; the run stops when every one lies within ± the
//! target of its mean, or at the cap. Replication `i` always draws from
//! stream `i` ([`super::simulate_controlled`]) and the batch sizes depend only on
//! the figures, so the run is exactly the run of `-r N` with the `N` it
//! reached: the same figures, bit for bit, on any number of threads.
//!
//! The next batch is sized from the widest key figure: with a half-width
//! `h` after `n` replications, `n·(h/target)²` replications would be about
//! enough (the half-width falls as `1/√n`); the run asks for that, at least
//! a quarter more than `n` (a batch too small to move the interval wastes a
//! check) and at most [`GROWTH`] times `n` (an early spread can be off), and
//! never beyond the cap.

use std::sync::atomic::AtomicBool;

use crate::model::{Metric, Model};
use crate::stats::estimate::respect_bounds;
use crate::stats::precision::{KeyFigure, Precision};
use crate::stats::{Entry, Estimate, Layout, Level, Scope};

use super::{Control, RunError, RunOptions, RunResult, estimates, simulate_controlled};

/// Replications of the first batch (fewer when the cap is lower): enough
/// for a first spread to size the next batch by.
pub const FIRST_BATCH: u32 = 20;
/// The cap when none is given (`-r`).
pub const DEFAULT_CAP: u32 = 1000;
/// A batch multiplies the replications done by at most this.
pub const GROWTH: u32 = 4;
/// The rows of figures a batch adds at a time, bytes (at least 8
/// replications per worker thread).
const CHUNK_BYTES: u64 = 64 << 20;

/// Checks a `--precision` target: a half-width in proportion units, above 0
/// and at most 0.5 (a share's interval is never wider).
pub fn check_target(target: f64) -> Result<f64, String> {
    if target.is_nan() || target <= 0.0 || target > 0.5 {
        return Err(format!(
            "the precision is a half-width in proportion units above 0 and at most 0.5 (0.002 = ±0.2 points), got {target}"
        ));
    }
    Ok(target)
}

/// The key figures of a layout, by index: over the horizon, the
/// reachability and service level of every channel, and the reachability of
/// all channels together.
pub fn key_figures(layout: &Layout) -> Vec<usize> {
    layout
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.level == Level::Horizon
                && matches!(
                    (e.scope, e.metric),
                    (
                        Scope::Channel(_),
                        Metric::Reachability | Metric::ServiceLevel
                    ) | (Scope::Total, Metric::Reachability)
                )
        })
        .map(|(i, _)| i)
        .collect()
}

/// The name of a key figure, as `[expect]` writes it.
fn name(e: &Entry) -> String {
    match e.scope {
        Scope::Channel(c) => format!("{}.{}", e.metric.name(), c.name()),
        _ => e.metric.name().to_string(),
    }
}

/// The half-width of an estimate's CI: the larger side (the interval of a
/// share need not be symmetric).
pub fn half_width(e: &Estimate) -> Option<f64> {
    let (mean, low, high) = (e.mean?, e.ci_low?, e.ci_high?);
    Some((high - mean).max(mean - low))
}

/// The key figures' estimates from the per-replication rows, with the
/// interval the full summary gives them (their trials counts, which bound a
/// share's interval, are estimated alongside).
fn key_estimates(layout: &Layout, keys: &[usize], values: &[f64], kept: usize) -> Vec<KeyFigure> {
    let width = layout.entries.len();
    let mut wanted: Vec<usize> = keys.to_vec();
    for &k in keys {
        let e = layout.entries[k];
        if let Some(metric) = e.metric.trials()
            && let Some(i) = layout
                .entries
                .iter()
                .position(|x| *x == Entry { metric, ..e })
        {
            wanted.push(i);
        }
    }
    let entries: Vec<Entry> = wanted.iter().map(|&i| layout.entries[i]).collect();
    let mut column = Vec::with_capacity(kept);
    let mut found: Vec<Estimate> = wanted
        .iter()
        .map(|&i| {
            column.clear();
            column.extend(values.iter().skip(i).step_by(width.max(1)).take(kept));
            Estimate::from_values(&column)
        })
        .collect();
    respect_bounds(&entries, &mut found);
    keys.iter()
        .zip(&found)
        .map(|(&k, e)| KeyFigure {
            figure: name(&layout.entries[k]),
            half_width: if e.mean.is_some() {
                half_width(e)
            } else {
                // No replication defines it: nothing to make precise.
                Some(0.0)
            },
        })
        .collect()
}

/// The replications after the next batch, from `n` done, the widest
/// half-width `widest` (`None`: a figure without interval) and the target.
pub fn next_total(n: u32, widest: Option<f64>, target: f64, cap: u32) -> u32 {
    let most = n.saturating_mul(GROWTH);
    let least = n.saturating_add(n.div_ceil(4).max(1));
    let wanted = match widest {
        Some(h) => {
            let r = h / target;
            let projected = (f64::from(n) * r * r).ceil();
            if projected >= f64::from(most) {
                most
            } else {
                projected as u32
            }
        }
        None => most,
    };
    wanted.clamp(least, most.max(least)).min(cap)
}

/// Runs replications of `model` in batches until every key figure's 95% CI
/// lies within ± `target` of its mean, or `cap` replications have run
/// (`options.replications` is ignored; `options.seed` and
/// `options.threads` are used). `stop` stops it as it stops
/// [`simulate_controlled`]: the replications done are kept, marked
/// interrupted. Returns the run, exactly as `-r N` would give it for the
/// `N` reached (its `options.replications` is that `N`), and how it went.
pub fn run_to_precision(
    model: &Model,
    options: RunOptions,
    target: f64,
    cap: u32,
    stop: Option<&AtomicBool>,
    progress: &(dyn Fn() + Sync),
) -> Result<(RunResult, Precision), RunError> {
    // A batch runs in chunks, each appended to the rows as it ends, so that
    // memory holds the rows of the replications asked for and one chunk
    // more (not a second copy of the batch). The chunks are large enough
    // that the workers seldom wait for the last replication of one.
    let width = Layout::new(model).entries.len().max(1);
    let threads = super::workers(options.threads, cap).threads as u32;
    let chunk = u32::try_from(CHUNK_BYTES / (width as u64 * 8))
        .unwrap_or(u32::MAX)
        .max(8 * threads);
    run_in_chunks(model, options, target, cap, chunk, stop, progress)
}

/// [`run_to_precision`], each batch simulated `chunk` replications at a
/// time (at least 1): the figures never depend on `chunk`, only the memory
/// (one chunk's rows beyond the batch's) and how often the worker threads
/// wait for the last replication of a chunk.
pub fn run_in_chunks(
    model: &Model,
    options: RunOptions,
    target: f64,
    cap: u32,
    chunk: u32,
    stop: Option<&AtomicBool>,
    progress: &(dyn Fn() + Sync),
) -> Result<(RunResult, Precision), RunError> {
    let target = check_target(target).map_err(RunError::Internal)?;
    if cap == 0 {
        return Err(RunError::NoReplications);
    }
    let chunk = chunk.max(1);
    let layout = Layout::new(model);
    let keys = key_figures(&layout);
    let n = layout.entries.len();
    let width = n.max(1);
    let mut values: Vec<f64> = Vec::new();
    let mut batches = Vec::new();
    let mut done = 0u32;
    let mut asked = FIRST_BATCH.min(cap);
    let mut interrupted = false;
    let figures = 'batches: loop {
        values
            .try_reserve_exact((asked - done) as usize * width)
            .map_err(|_| RunError::Memory {
                replications: asked as usize,
                entries: n,
            })?;
        while done < asked {
            let control = Control {
                replications: done..asked.min(done.saturating_add(chunk)),
                stop,
            };
            // Only the values of a chunk are kept: no summaries of it.
            let part = match simulate_controlled(model, options, &control, progress) {
                Ok(part) => part,
                // Stopped before any replication of this chunk finished:
                // the earlier ones stand.
                Err(RunError::Stopped) if done > 0 => {
                    interrupted = true;
                    break 'batches None;
                }
                Err(e) => return Err(e),
            };
            values.extend_from_slice(&part.values);
            done = part.replications.end;
            if part.interrupted {
                interrupted = true;
                break 'batches None;
            }
        }
        batches.push(done);
        let figures = key_estimates(&layout, &keys, &values, done as usize);
        let widest = figures
            .iter()
            .map(|f| f.half_width)
            .try_fold(0.0f64, |w, h| h.map(|h| w.max(h)));
        if widest.is_some_and(|w| w <= target) || done >= cap {
            break Some(figures);
        }
        asked = next_total(done, widest, target, cap);
    };
    let kept = done as usize;
    let figures = match figures {
        Some(f) => f,
        None => key_estimates(&layout, &keys, &values, kept),
    };
    let reached = !interrupted
        && figures
            .iter()
            .all(|f| f.half_width.is_some_and(|h| h <= target));
    if interrupted && batches.last() != Some(&done) {
        batches.push(done);
    }
    let mut estimates = estimates(&values, n, kept);
    respect_bounds(&layout.entries, &mut estimates);
    let run = RunResult {
        layout,
        options: RunOptions {
            replications: if interrupted { asked } else { done },
            ..options
        },
        replications: 0..done,
        interrupted,
        values,
        estimates,
    };
    let precision = Precision {
        target,
        cap,
        reached,
        interrupted,
        batches,
        figures,
    };
    Ok((run, precision))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_outside_0_to_half_are_refused() {
        for bad in [
            0.0,
            -0.01,
            0.5001,
            1.0,
            f64::NAN,
            f64::NEG_INFINITY,
            f64::INFINITY,
        ] {
            assert!(check_target(bad).is_err(), "{bad} accepted");
        }
        for good in [0.002, 0.5, 1e-6] {
            assert_eq!(check_target(good), Ok(good));
        }
    }

    #[test]
    fn batches_grow_towards_the_projection_within_limits() {
        // Twice too wide after 20: four times as many.
        assert_eq!(next_total(20, Some(0.004), 0.002, 1000), 80);
        // Ten times too wide: at most GROWTH times.
        assert_eq!(next_total(20, Some(0.02), 0.002, 1000), 80);
        // Barely too wide: at least a quarter more.
        assert_eq!(next_total(20, Some(0.00201), 0.002, 1000), 25);
        // 1.5 times too wide: 2.25 times.
        assert_eq!(next_total(40, Some(0.003), 0.002, 1000), 90);
        // No interval yet: GROWTH times.
        assert_eq!(next_total(1, None, 0.002, 1000), 4);
        // Never beyond the cap.
        assert_eq!(next_total(500, Some(0.004), 0.002, 1000), 1000);
        assert_eq!(next_total(1, Some(0.004), 0.002, 1000), 4);
    }
}
