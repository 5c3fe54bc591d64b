//! The intraday profile of one theme on one channel, over all weekdays and
//! per weekday where weekdays differ.
//!
//! - **Range.** Live channels: from the first to the last slot with contacts
//!   on the open days; e-mail: the whole day from 00:00 (a scenario's
//!   `email_intraday_weights` covers the whole day).
//! - **Weights.** The share `r_i` of the contacts that arrive in slot `i`
//!   (a ratio estimator over days: Σ_d c_{d,i} / Σ_d N_d), times the number
//!   of slots of the range, so the weights average 1 over it. A scenario
//!   spreads each day's volume in proportion to these weights, so the
//!   fitted profile reproduces the data's mean share of every slot. 95% CI:
//!   the ratio estimator's variance with days as clusters,
//!   `n/(n−1) · Σ_d (c_{d,i} − r_i N_d)² / (Σ_d N_d)²` (which carries any
//!   day-to-day variation of the shape), and a t quantile with `n − 1`
//!   degrees of freedom.
//! - **Weekdays that differ.** A weekday gets its own profile when (a) the
//!   χ² homogeneity test of the weekday × slot table of counts rejects "the
//!   weekdays share one profile" at the 5% level, and (b) the difference is
//!   material: for some slot, `|r_{w,i} − r_i|` exceeds
//!   [`MATERIAL_SHARE`] × `r_i` by more than 1.96 standard errors of the
//!   difference. (b) keeps a million contacts from making trivial
//!   differences significant. The common profile is then fitted on the
//!   other weekdays' days only; a weekday's own profile is given on the
//!   same range and `start`, and averages 1 over the slots from its own
//!   first to its last slot with contacts (0 outside them).

use super::{Calendar, Stream};
use crate::fit::{Fitted, Profile};

/// A weekday's slot share must differ from the common one by more than
/// this share of it (beyond noise) for the weekday to get its own profile.
pub const MATERIAL_SHARE: f64 = 0.15;

/// The fitted profiles.
pub(super) struct Profiles {
    pub intraday: Profile,
    pub by_weekday: [Option<Profile>; 7],
    pub p_value: Option<f64>,
}

/// Slot shares over a set of days: per slot of the range, the share and its
/// standard error; and the days' count.
struct Shares {
    share: Vec<f64>,
    se: Vec<f64>,
    days: usize,
}

fn shares(stream: &Stream, days: &[usize], slots: usize, range: (usize, usize)) -> Shares {
    let (first, last) = range;
    let width = last + 1 - first;
    let mut sum = vec![0.0f64; width];
    let mut total = 0.0f64;
    for &d in days {
        let day = &stream.day(d, slots)[first..=last];
        for (s, n) in sum.iter_mut().zip(day) {
            *s += *n as f64;
        }
        total += stream.day(d, slots).iter().sum::<u64>() as f64;
    }
    if total <= 0.0 {
        return Shares {
            share: vec![0.0; width],
            se: vec![0.0; width],
            days: days.len(),
        };
    }
    let share: Vec<f64> = sum.iter().map(|s| s / total).collect();
    let mut squares = vec![0.0f64; width];
    for &d in days {
        let day = stream.day(d, slots);
        let n_d = day.iter().sum::<u64>() as f64;
        for (i, sq) in squares.iter_mut().enumerate() {
            *sq += (day[first + i] as f64 - share[i] * n_d).powi(2);
        }
    }
    let n = days.len() as f64;
    let factor = if days.len() > 1 { n / (n - 1.0) } else { 1.0 };
    let se = squares
        .iter()
        .zip(&share)
        .map(|(sq, r)| {
            if days.len() > 1 {
                (factor * sq).sqrt() / total
            } else {
                // One day: multinomial noise only.
                (r * (1.0 - r) / total).sqrt()
            }
        })
        .collect();
    Shares {
        share,
        se,
        days: days.len(),
    }
}

/// A profile from shares: weights averaging 1 over `norm_range` (indices
/// within the range), 0 outside it.
fn profile(shares: &Shares, start: u32, norm_range: (usize, usize)) -> Profile {
    let (a, b) = norm_range;
    let inside: f64 = shares.share[a..=b].iter().sum();
    let scale = if inside > 0.0 {
        (b + 1 - a) as f64 / inside
    } else {
        0.0
    };
    let q = super::level::t975((shares.days as f64 - 1.0).max(1.0));
    let weights = (0..shares.share.len())
        .map(|i| {
            if i < a || i > b {
                return Fitted {
                    value: 0.0,
                    low: 0.0,
                    high: 0.0,
                };
            }
            let value = shares.share[i] * scale;
            let half = q * shares.se[i] * scale;
            Fitted {
                value,
                low: (value - half).max(0.0),
                high: value + half,
            }
        })
        .collect();
    Profile { start, weights }
}

/// Fits the profiles of `stream` on its `open` days (indices of dates).
pub(super) fn fit(
    stream: &Stream,
    open: &[usize],
    calendar: &Calendar,
    interval: u32,
    live: bool,
) -> Profiles {
    let slots = calendar.slots;
    let mut by_slot = vec![0u64; slots];
    let mut by_weekday = vec![[0u64; 7]; slots];
    for &d in open {
        let w = calendar.weekday[d].index();
        for (i, n) in stream.day(d, slots).iter().enumerate() {
            by_slot[i] += n;
            by_weekday[i][w] += n;
        }
    }
    let range = if live {
        match (
            by_slot.iter().position(|n| *n > 0),
            by_slot.iter().rposition(|n| *n > 0),
        ) {
            (Some(a), Some(b)) => (a, b),
            _ => (0, slots - 1),
        }
    } else {
        (0, slots - 1)
    };
    let start = range.0 as u32 * interval;
    let width = range.1 + 1 - range.0;

    // χ² homogeneity of the weekday × slot table.
    let weekday_total: [u64; 7] =
        std::array::from_fn(|w| by_weekday[range.0..=range.1].iter().map(|r| r[w]).sum());
    let rows: Vec<usize> = (0..7).filter(|&w| weekday_total[w] > 0).collect();
    let columns: Vec<usize> = (range.0..=range.1).filter(|&i| by_slot[i] > 0).collect();
    let grand: u64 = rows.iter().map(|&w| weekday_total[w]).sum();
    let p_value = (rows.len() >= 2 && columns.len() >= 2).then(|| {
        let mut stat = 0.0;
        for &w in &rows {
            for &i in &columns {
                let expected = weekday_total[w] as f64 * by_slot[i] as f64 / grand as f64;
                stat += (by_weekday[i][w] as f64 - expected).powi(2) / expected;
            }
        }
        let df = ((rows.len() - 1) * (columns.len() - 1)) as f64;
        super::level::chi2_sf(stat, df)
    });

    let days_of = |w: usize| -> Vec<usize> {
        open.iter()
            .copied()
            .filter(|&d| calendar.weekday[d].index() == w)
            .collect()
    };
    let pooled = shares(stream, open, slots, range);
    let mut split = [false; 7];
    if p_value.is_some_and(|p| p < super::level::ALPHA) {
        for &w in &rows {
            let own = shares(stream, &days_of(w), slots, range);
            split[w] = (0..width).any(|i| {
                let diff = (own.share[i] - pooled.share[i]).abs();
                let se = (own.se[i].powi(2) + pooled.se[i].powi(2)).sqrt();
                pooled.share[i] > 0.0 && diff - 1.96 * se > MATERIAL_SHARE * pooled.share[i]
            });
        }
    }
    let common_days: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&d| !split[calendar.weekday[d].index()])
        .collect();
    let common = if common_days.is_empty() || common_days.len() == open.len() {
        pooled
    } else {
        shares(stream, &common_days, slots, range)
    };
    let intraday = profile(&common, start, (0, width - 1));
    let by_weekday = std::array::from_fn(|w| {
        if !split[w] {
            return None;
        }
        let own = shares(stream, &days_of(w), slots, range);
        let a = own.share.iter().position(|s| *s > 0.0)?;
        let b = own.share.iter().rposition(|s| *s > 0.0)?;
        Some(profile(&own, start, (a, b)))
    });
    Profiles {
        intraday,
        by_weekday,
        p_value,
    }
}
