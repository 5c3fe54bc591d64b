//! Handle times (talk + wrap-up): the family and its mean and cv, from
//! contact-level records ([`HandleAccumulator`]) or the mean alone from
//! interval reports ([`handle_from_intervals`]).
//!
//! Contact level: exponential, lognormal, gamma and Weibull are fitted by
//! maximum likelihood on the positive handle times (see
//! [`durations`](super::durations) for the binning and the optimiser), the
//! family with the lowest AIC is chosen, and its mean and cv carry 95%
//! confidence intervals from the observed information and the delta
//! method (the exponential's mean: the exact chi-square interval).
//! Handle times of 0 or below (or not finite) are counted in
//! [`HandleAccumulator::skipped`] and left out.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::durations::{Durations, FamilyFit, Z975, fit_families, gamma_quantile, sort_by_aic};
use super::{Family, Fitted, HandleTimeFit, Source};
use crate::history::IntervalRow;

/// Fewest positive handle times a contact-level fit needs.
pub const MIN_HANDLE_TIMES: u64 = 10;

/// Collects the handle times of one theme on one channel, memory flat
/// (binned, 33 kB whatever the number of contacts).
#[derive(Debug, Clone)]
pub struct HandleAccumulator {
    durations: Durations,
    skipped: u64,
}

impl Default for HandleAccumulator {
    fn default() -> Self {
        HandleAccumulator::new()
    }
}

impl HandleAccumulator {
    /// An empty accumulator.
    pub fn new() -> HandleAccumulator {
        HandleAccumulator {
            durations: Durations::new(),
            skipped: 0,
        }
    }

    /// Adds the handle time of one answered contact, seconds. Times of 0
    /// or below, or not finite, are counted in [`skipped`](Self::skipped)
    /// and left out of the fit.
    #[inline]
    pub fn add(&mut self, seconds: f64) {
        if seconds > 0.0 && seconds.is_finite() {
            self.durations.observe(seconds);
        } else {
            self.skipped += 1;
        }
    }

    /// Positive handle times added.
    pub fn observations(&self) -> u64 {
        self.durations.observed()
    }

    /// Handle times left out because they were 0, negative or not finite.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// A warning for the fit report when handle times were left out.
    pub fn warning(&self) -> Option<String> {
        (self.skipped > 0).then(|| {
            format!(
                "{} handle time(s) of 0 s or below left out of the fit (of {})",
                self.skipped,
                self.skipped + self.observations()
            )
        })
    }

    /// Fits exponential, lognormal, gamma and Weibull, chooses by AIC.
    /// `None` with fewer than [`MIN_HANDLE_TIMES`] positive handle times.
    /// When every handle time is the same, only the exponential can be
    /// fitted (the two-parameter families degenerate) and is reported.
    pub fn finish(&self) -> Option<HandleTimeFit> {
        let n = self.durations.observed();
        if n < MIN_HANDLE_TIMES {
            return None;
        }
        let sample = self.durations.sample(false);
        let mut fits: Vec<FamilyFit> = fit_families(
            &sample,
            &[Family::Lognormal, Family::Gamma, Family::Weibull],
        );
        // Exponential in closed form: mean = Σx/n, Σx ~ Gamma(n, mean) gives
        // the exact interval [Σx/q(0.975), Σx/q(0.025)].
        let sum = self.durations.observed_sum();
        let mean = sum / n as f64;
        if let Some(mut exp) = sample.fit_at(Family::Exponential, vec![mean.ln()]) {
            exp.mean = Fitted {
                value: mean,
                low: sum / gamma_quantile(n as f64, 0.975),
                high: sum / gamma_quantile(n as f64, 0.025),
            };
            exp.cv = Fitted {
                value: 1.0,
                low: 1.0,
                high: 1.0,
            };
            fits.push(exp);
        }
        sort_by_aic(&mut fits);
        let best = fits.first()?;
        Some(HandleTimeFit {
            source: Source::Contacts,
            observations: n,
            mean: best.mean,
            cv: Some(best.cv),
            family: Some(best.candidate.family),
            candidates: fits.iter().map(|f| f.candidate).collect(),
            histogram: Some(self.durations.histogram()),
        })
    }
}

/// The mean handle time from interval rows: the answered-weighted mean of
/// the rows' average handle times, Σ aᵢhᵢ / Σ aᵢ, over rows with answered
/// contacts and a handle time. Its 95% CI comes from the variation between
/// intervals (the ratio estimator's cluster variance,
/// Σ aᵢ²(hᵢ − m)² / (Σ aᵢ)² · k/(k − 1), with Student's t on k − 1 degrees
/// of freedom for k intervals). No family and no cv: an interval's average
/// does not tell the spread of single contacts. `None` with fewer than two
/// such intervals.
pub fn handle_from_intervals<'a>(
    rows: impl IntoIterator<Item = &'a IntervalRow>,
) -> Option<HandleTimeFit> {
    let used: Vec<(f64, f64)> = rows
        .into_iter()
        .filter_map(|r| match r.handle_time {
            Some(h) if r.answered > 0 && h.is_finite() && h >= 0.0 => Some((r.answered as f64, h)),
            _ => None,
        })
        .collect();
    let k = used.len();
    if k < 2 {
        return None;
    }
    let answered: f64 = used.iter().map(|&(a, _)| a).sum();
    let mean = used.iter().map(|&(a, h)| a * h).sum::<f64>() / answered;
    let spread: f64 = used.iter().map(|&(a, h)| (a * (h - mean)).powi(2)).sum();
    let se = (spread / (answered * answered) * k as f64 / (k as f64 - 1.0)).sqrt();
    let t = StudentsT::new(0.0, 1.0, k as f64 - 1.0).map_or(Z975, |t| t.inverse_cdf(0.975));
    Some(HandleTimeFit {
        source: Source::Intervals,
        observations: answered as u64,
        mean: Fitted {
            value: mean,
            low: (mean - t * se).max(0.0),
            high: mean + t * se,
        },
        cv: None,
        family: None,
        candidates: Vec::new(),
        histogram: None,
    })
}
