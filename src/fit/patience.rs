//! Patience: how long callers (or chatters) wait before hanging up, from
//! the waits of a contact-level log ([`PatienceAccumulator`]) or from
//! interval reports through the Erlang A relation ([`patience_from_intervals`]).
//!
//! An abandoned contact's wait is its patience (observed); the wait of a
//! contact whose wait ended otherwise (answered, closed out, callback,
//! sent away, still waiting) is a lower bound of its patience (right-censored).
//! Blocked contacts never waited and are not counted. The mean of the
//! abandoned waits alone ([`PatienceFit::naive_mean`]) is biased low: the
//! patient callers are answered before they would hang up.

use super::durations::{Durations, FamilyFit, fit_families, poisson_interval, sort_by_aic};
use super::{Family, Fitted, PatienceFit, Source, SurvivalPoint};
use crate::history::IntervalRow;
use crate::model::Channel;

/// Fewest abandons (at or above one second) for the Weibull and lognormal
/// fits; below, only the exponential is fitted.
pub const MIN_ABANDONS_TWO_PARAMETERS: u64 = 10;

/// Most points of a Kaplan–Meier curve before it is thinned for the chart.
const KAPLAN_MEIER_POINTS: usize = 300;

/// Collects the waits of one live channel, memory flat (binned, 66 kB).
#[derive(Debug, Clone)]
pub struct PatienceAccumulator {
    channel: Channel,
    durations: Durations,
    skipped: u64,
}

impl PatienceAccumulator {
    /// An empty accumulator for `channel`.
    pub fn new(channel: Channel) -> PatienceAccumulator {
        PatienceAccumulator {
            channel,
            durations: Durations::new(),
            skipped: 0,
        }
    }

    /// Adds one contact's wait in seconds: its patience when `abandoned`,
    /// else a lower bound of it (censored at `wait`). Negative or not
    /// finite waits are counted in [`skipped`](Self::skipped) and left out.
    #[inline]
    pub fn add(&mut self, wait: f64, abandoned: bool) {
        if !(wait >= 0.0 && wait.is_finite()) {
            self.skipped += 1;
        } else if abandoned {
            self.durations.observe(wait);
        } else {
            self.durations.censor(wait);
        }
    }

    /// Waits left out because they were negative or not finite.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Fits the patience: Kaplan–Meier, and exponential, Weibull and
    /// lognormal by censored maximum likelihood, chosen by AIC.
    ///
    /// - Exponential in closed form: rate θ = d / Σ waits (d abandons, the
    ///   waits of every contact), mean 1/θ, 95% CI from the exact Poisson
    ///   interval of d. Its log-likelihood for the AIC is evaluated at this
    ///   estimate under the same treatment of sub-second abandons as the
    ///   other families (see below), where it differs from the exact MLE
    ///   by far less than the AIC's resolution.
    /// - Weibull and lognormal: numerical maximisation; mean and cv with
    ///   95% CIs from the observed information (delta method). Fitted with
    ///   at least [`MIN_ABANDONS_TWO_PARAMETERS`] abandons of a second or
    ///   more.
    /// - Abandons within the first second count as "patience below 1 s"
    ///   (left-censored) in the likelihoods: the lognormal and Weibull
    ///   densities are not usable at 0 s.
    ///
    /// `None` without any abandon (the patience is then only known to be
    /// longer than the waits: no finite estimate), and for e-mail, which
    /// has no patience.
    pub fn finish(&self) -> Option<PatienceFit> {
        if self.channel == Channel::Email {
            return None;
        }
        let d = self.durations.observed();
        if d == 0 {
            return None;
        }
        let exposure = self.durations.total_time();
        if exposure <= 0.0 {
            return None;
        }
        let sample = self.durations.sample(true);
        let mut fits: Vec<FamilyFit> = if sample.exact_n() >= MIN_ABANDONS_TWO_PARAMETERS {
            fit_families(&sample, &[Family::Weibull, Family::Lognormal])
        } else {
            Vec::new()
        };
        let (low, high) = poisson_interval(d);
        let theta = Fitted {
            value: d as f64 / exposure,
            low: low / exposure,
            high: high / exposure,
        };
        let mean = exposure / d as f64;
        if let Some(mut exp) = sample.fit_at(Family::Exponential, vec![mean.ln()]) {
            exp.mean = reciprocal(theta);
            exp.cv = ONE;
            fits.push(exp);
        }
        sort_by_aic(&mut fits);
        let best = fits.first()?;
        Some(PatienceFit {
            channel: self.channel,
            source: Source::Contacts,
            abandoned: d,
            censored: self.durations.censored(),
            family: best.candidate.family,
            mean: best.mean,
            cv: best.cv,
            candidates: fits.iter().map(|f| f.candidate).collect(),
            kaplan_meier: kaplan_meier(&self.durations),
            naive_mean: Some(self.durations.observed_sum() / d as f64),
            theta: Some(theta),
        })
    }
}

const ONE: Fitted = Fitted {
    value: 1.0,
    low: 1.0,
    high: 1.0,
};

/// The mean 1/θ of an exponential with rate θ, its interval reversed.
fn reciprocal(theta: Fitted) -> Fitted {
    Fitted {
        value: 1.0 / theta.value,
        low: 1.0 / theta.high,
        high: if theta.low > 0.0 {
            1.0 / theta.low
        } else {
            f64::INFINITY
        },
    }
}

/// The Kaplan–Meier estimate of the patience survival with 95% intervals
/// from Greenwood's variance on the log(−log) scale (they stay within
/// [0, 1]). Waits are grouped in the accumulator's 1% bins: within a bin,
/// censored waits are taken as at risk at the bin's abandons (the usual
/// convention for ties), and the step's time is the mean of the bin's
/// abandoned waits. One point per step; above 300 steps the curve is
/// thinned for the chart, keeping a step where the survival has fallen by
/// 0.004 or the time has grown by 10% since the last point kept, and the
/// last step.
pub(crate) fn kaplan_meier(durations: &Durations) -> Vec<SurvivalPoint> {
    let mut at_risk = durations.observed() + durations.censored();
    let mut survival = 1.0;
    let mut greenwood = 0.0;
    let mut points = Vec::new();
    for (t, d, c) in durations.steps() {
        if d > 0 {
            let n = at_risk as f64;
            let d_f = d as f64;
            survival *= 1.0 - d_f / n;
            greenwood += if at_risk > d {
                d_f / (n * (n - d_f))
            } else {
                f64::INFINITY
            };
            points.push(point(t, survival, greenwood));
        }
        at_risk -= d + c;
    }
    if points.len() <= KAPLAN_MEIER_POINTS {
        return points;
    }
    let last = points.len() - 1;
    let mut kept: Vec<SurvivalPoint> = Vec::with_capacity(KAPLAN_MEIER_POINTS);
    for (i, p) in points.into_iter().enumerate() {
        let keep = match kept.last() {
            None => true,
            Some(k) => i == last || k.survival - p.survival >= 0.004 || p.t >= 1.1 * k.t,
        };
        if keep {
            kept.push(p);
        }
    }
    kept
}

fn point(t: f64, survival: f64, greenwood: f64) -> SurvivalPoint {
    if survival <= 0.0 || !greenwood.is_finite() {
        return SurvivalPoint {
            t,
            survival: survival.max(0.0),
            low: 0.0,
            high: if survival > 0.0 { 1.0 } else { 0.0 },
        };
    }
    let ln_s = survival.ln();
    if ln_s == 0.0 {
        return SurvivalPoint {
            t,
            survival,
            low: 1.0,
            high: 1.0,
        };
    }
    // Var(ln(−ln S)) = Greenwood / (ln S)²; S^exp(±z·sd).
    let sd = greenwood.sqrt() / ln_s.abs();
    let factor = (super::durations::Z975 * sd).exp();
    SurvivalPoint {
        t,
        survival,
        low: survival.powf(factor),
        high: survival.powf(1.0 / factor),
    }
}

/// Exponential patience from interval rows of `channel` (rows of other
/// channels are ignored) through the Erlang A relation
/// θ = P(abandon) / E[wait] = Σ abandoned / Σ total wait, with the total
/// wait of a row = answered × asa + abandoned × abandon_wait. The mean
/// patience is 1/θ; the 95% CI is the exact Poisson interval of the
/// abandoned count divided by the total wait.
///
/// A row whose `asa` (with answered contacts) or `abandon_wait` (with
/// abandons) is empty takes the mean of that column over the rows that
/// have it, weighted by their counts. Without any `abandon_wait` (or any
/// `asa` while contacts were answered) θ cannot be computed and the result
/// is `None`: the waits of the abandoned are a large share of the total
/// wait when abandonment matters, and replacing them by the answered's
/// ASA would bias θ. `None` too without abandons, and for e-mail.
pub fn patience_from_intervals<'a>(
    channel: Channel,
    rows: impl IntoIterator<Item = &'a IntervalRow>,
) -> Option<PatienceFit> {
    if channel == Channel::Email {
        return None;
    }
    let rows: Vec<&IntervalRow> = rows.into_iter().filter(|r| r.channel == channel).collect();
    let pooled = |count: fn(&IntervalRow) -> u64, value: fn(&IntervalRow) -> Option<f64>| {
        let (mut n, mut sum) = (0.0, 0.0);
        for r in &rows {
            if let Some(v) = value(r).filter(|v| v.is_finite() && *v >= 0.0) {
                n += count(r) as f64;
                sum += count(r) as f64 * v;
            }
        }
        (n > 0.0).then(|| sum / n)
    };
    let answered: u64 = rows.iter().map(|r| r.answered).sum();
    let abandoned: u64 = rows.iter().map(|r| r.abandoned).sum();
    if abandoned == 0 {
        return None;
    }
    let asa = if answered > 0 {
        pooled(|r| r.answered, |r| r.asa)?
    } else {
        0.0
    };
    let abandon_wait = pooled(|r| r.abandoned, |r| r.abandon_wait)?;
    let value = |v: Option<f64>, fallback: f64| {
        v.filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(fallback)
    };
    let (mut answered_wait, mut abandoned_wait) = (0.0, 0.0);
    for r in &rows {
        if r.answered > 0 {
            answered_wait += r.answered as f64 * value(r.asa, asa);
        }
        if r.abandoned > 0 {
            abandoned_wait += r.abandoned as f64 * value(r.abandon_wait, abandon_wait);
        }
    }
    let total = answered_wait + abandoned_wait;
    if total <= 0.0 {
        return None;
    }
    let (low, high) = poisson_interval(abandoned);
    let theta = Fitted {
        value: abandoned as f64 / total,
        low: low / total,
        high: high / total,
    };
    Some(PatienceFit {
        channel,
        source: Source::Intervals,
        abandoned,
        censored: answered,
        family: Family::Exponential,
        mean: reciprocal(theta),
        cv: ONE,
        candidates: Vec::new(),
        kaplan_meier: Vec::new(),
        naive_mean: Some(abandoned_wait / abandoned as f64),
        theta: Some(theta),
    })
}
