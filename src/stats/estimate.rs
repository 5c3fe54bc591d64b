//! Aggregation across replications: mean, 95% confidence interval and
//! quantiles of every figure.
//!
//! Replications are folded in replication order, whatever thread produced
//! them, so a seed gives the same summary bit for bit on any number of threads.
//!
//! # Which interval
//!
//! [`Estimate::from_values`] gives the Student t interval of the mean over
//! the replications that define the figure: right for a figure that can
//! take any value (a paired difference) and, by the central limit theorem,
//! for most figures of a long run. It fails where a figure is bounded and
//! lies near its bound with few replications: a share then gets an interval
//! beyond 100% or below 0% (`98.1% [84.0, 112.2]` with 2 replications), and
//! when every replication agrees on 100% a zero-width `[100.0, 100.0]` that
//! claims a certainty 20 replications do not give. So a figure gets the
//! interval of its [`Bounds`] ([`Estimate::within`], [`respect_bounds`]):
//!
//! - **A share** gets a **Wilson score interval with an effective number of
//!   trials** (Korn and Graubard, "Confidence intervals for proportions with
//!   small expected number of positive counts estimated from survey data",
//!   *Survey Methodology* 24(2), 1998), the interval survey statistics uses
//!   for a proportion estimated from clusters — here the replications. With
//!   p̂ the mean, se its standard error from the replications and t the
//!   97.5% quantile of Student t with n − 1 degrees of freedom, the
//!   effective number of trials is ñ = p̂(1 − p̂)/se² (the number of
//!   independent trials whose binomial share would be as precise), and the
//!   interval is the set of p with |p̂ − p| ≤ t·√(p(1 − p)/ñ):
//!   `(p̂ + t²/2ñ ± t·√(p̂(1 − p̂)/ñ + t²/4ñ²)) / (1 + t²/ñ)`. It lies within
//!   [0, 1] by construction and always holds p̂; away from the bounds it is
//!   the t interval (to a few thousandths of a point when ñ is in the
//!   hundreds and more). For values within [0, 1] ñ is at least n − 1.
//!   When the replications show no spread (all 100%, all 0%, or all
//!   equal), se = 0 says nothing: ñ is then the trials behind the share —
//!   the contacts it is taken over, summed over the replications
//!   ([`Metric::trials`](crate::model::Metric::trials)) — and at least n,
//!   each replication counted as one trial when no count bounds the
//!   share's denominator. Korn and Graubard take the sample size in the
//!   same case. So 20 replications of 290 e-mails all picked up in time
//!   give `100.0% [99.9, 100.0]`, 3 replications of 10 e-mails give
//!   `[61.8, 100.0]`, and the interval is never a point. Simulated coverage
//!   (docs/correctness.md) is 96–98% where the t interval's is 39–82%.
//! - **A count, a duration, hours or money** keeps its t interval, its lower
//!   end raised to 0 when it falls below: the figure cannot be negative, so
//!   the cut-off part holds no possible value and the interval covers the
//!   true mean exactly as often as before.
//!
//! An estimate also says whether **few replications define it**
//! ([`Estimate::few_replications`]): fewer than half of them. A ratio is
//! undefined in a replication without its denominator (an e-mail
//! reachability of a day whose e-mails are all due after the horizon and
//! still waiting); its mean is then taken over the replications that have
//! one, a minority that is not the typical run.

// Fx hashing: the keys are small and ours, and SipHash was a tenth of a
// short run's time.
use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::model::{Bound, Bounds};

use super::Entry;

/// Mean, 95% confidence interval and quantiles of one figure over replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: Option<f64>,
    /// Lower end of the 95% confidence interval of the mean: Student t, or
    /// for a figure with [`Bounds`] the interval that respects them (module
    /// docs).
    pub ci_low: Option<f64>,
    /// Upper end of the 95% confidence interval of the mean.
    pub ci_high: Option<f64>,
    /// 5th percentile of the replications' values.
    pub p5: Option<f64>,
    /// Median of the replications' values.
    pub p50: Option<f64>,
    /// 95th percentile of the replications' values.
    pub p95: Option<f64>,
    /// Replications in which the figure is defined (a ratio needs a denominator).
    pub n: u32,
    /// Whether fewer than half of the replications define the figure
    /// ([`Estimate::defined_by_few`]); written to JSON only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub few_replications: bool,
}

impl Estimate {
    /// An estimate without figures, with `n` as given (0 for a figure no
    /// replication defines; a summary skeleton stores an entry's index there).
    pub fn empty(n: u32) -> Estimate {
        Estimate {
            mean: None,
            ci_low: None,
            ci_high: None,
            p5: None,
            p50: None,
            p95: None,
            n,
            few_replications: false,
        }
    }

    /// The estimate of a figure from its values, one per replication; NaN
    /// values (undefined in that replication) are left out. The interval is
    /// Student t's, for a figure that can take any value (a paired
    /// difference); [`Estimate::of`] gives a bounded figure's.
    pub fn from_values(values: &[f64]) -> Estimate {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let n = v.len();
        if n == 0 {
            return Estimate::empty(0);
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        let (ci_low, ci_high) = if n >= 2 {
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let half = t_975(n - 1) * (var / n as f64).sqrt();
            (Some(mean - half), Some(mean + half))
        } else {
            (None, None)
        };
        v.sort_by(f64::total_cmp);
        Estimate {
            mean: Some(mean),
            ci_low,
            ci_high,
            p5: Some(quantile_sorted(&v, 0.05)),
            p50: Some(quantile_sorted(&v, 0.50)),
            p95: Some(quantile_sorted(&v, 0.95)),
            n: n as u32,
            few_replications: Estimate::defined_by_few(n as u32, values.len() as u32),
        }
    }

    /// The estimate of a figure whose values lie within `bounds`, from its
    /// values, one per replication: [`Estimate::from_values`], then
    /// [`Estimate::within`] without trials.
    pub fn of(bounds: Bounds, values: &[f64]) -> Estimate {
        Estimate::from_values(values).within(bounds, None)
    }

    /// The confidence interval of a figure whose values lie within
    /// `bounds`, from an estimate as [`Estimate::from_values`] gives it
    /// (mean, t interval and n are all the interval needs); apply it once.
    /// A share gets the Wilson interval with an effective number of trials,
    /// `trials` (the contacts behind it over all replications, if known)
    /// standing in when the replications show no spread; a non-negative
    /// figure its t interval cut at 0. See the module docs.
    pub fn within(self, bounds: Bounds, trials: Option<f64>) -> Estimate {
        let (Some(mean), Some(low), Some(high)) = (self.mean, self.ci_low, self.ci_high) else {
            return self;
        };
        let (low, high) = match bounds {
            Bounds::NonNegative => (low.max(0.0), high),
            Bounds::Share => {
                let n = f64::from(self.n);
                let t = t_975(self.n as usize - 1);
                let p = mean.clamp(0.0, 1.0);
                let se = (high - low) / 2.0 / t;
                // No spread among the replications (or one below the
                // resolution of a float): the trials behind the share.
                let without_spread = || trials.unwrap_or(0.0).max(n);
                let spread = (se > 0.0).then(|| (p * (1.0 - p) / (se * se)).max(n - 1.0));
                match spread.map(|n_eff| wilson(p, n_eff, t)) {
                    Some((l, h)) if l < h => (l, h),
                    _ => wilson(p, without_spread(), t),
                }
            }
        };
        Estimate {
            ci_low: Some(low),
            ci_high: Some(high),
            ..self
        }
    }

    /// Whether `n` replications of `replications` are few to define a
    /// figure: fewer than half of them. The mean of a ratio is taken over
    /// the replications in which it has a denominator; when that is under
    /// half, the median replication has no such figure and the mean speaks
    /// for an atypical minority.
    pub fn defined_by_few(n: u32, replications: u32) -> bool {
        n > 0 && 2 * u64::from(n) < u64::from(replications)
    }

    /// Whether the figure has a value that enough replications define to
    /// be shown as one (a chart draws it, a table need not warn): some
    /// replication defines it and not fewer than half of the run's
    /// `replications` ([`Estimate::defined_by_few`]).
    pub fn is_reliable(&self, replications: u32) -> bool {
        self.mean.is_some() && !Estimate::defined_by_few(self.n, replications)
    }

    /// Half width of the confidence interval, if defined.
    pub fn half_width(&self) -> Option<f64> {
        Some((self.ci_high? - self.ci_low?) / 2.0)
    }

    /// Whether `x` lies in the confidence interval.
    pub fn covers(&self, x: f64) -> bool {
        matches!((self.ci_low, self.ci_high), (Some(l), Some(h)) if l <= x && x <= h)
    }

    /// Where the figure lies against a threshold it must stay at least
    /// ([`Bound::AtLeast`]) or at most ([`Bound::AtMost`]) at, judged on
    /// the whole 95% CI or on the mean alone. The one rule behind the
    /// colours of the terminal and the report and the verdicts of
    /// `ccsim check`.
    pub fn verdict(&self, bound: Bound, threshold: f64, on: On) -> Verdict {
        let Some(mean) = self.mean else {
            return Verdict::Undefined;
        };
        let (low, high) = match on {
            On::Mean => (mean, mean),
            On::Ci => match self.ci_low.zip(self.ci_high) {
                Some(ci) => ci,
                None => return Verdict::Undefined,
            },
        };
        match bound {
            Bound::AtLeast if low >= threshold => Verdict::Holds,
            Bound::AtMost if high <= threshold => Verdict::Holds,
            Bound::AtLeast if high < threshold => Verdict::Broken,
            Bound::AtMost if low > threshold => Verdict::Broken,
            _ => Verdict::Unsure,
        }
    }
}

/// What a figure is judged on against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum On {
    /// The whole 95% confidence interval of the mean must be on the promised side.
    Ci,
    /// The mean must be on the promised side.
    Mean,
}

/// A figure against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// On the required side, the threshold included.
    Holds,
    /// Shown to be on the wrong side: the whole CI (or the mean) is there.
    Broken,
    /// The CI straddles the threshold: not shown to hold.
    Unsure,
    /// The figure has no value (or no CI) in this run.
    Undefined,
}

/// The Wilson score interval of a share `p` over `trials` trials with the
/// quantile `t`, clamped to [0, 1] and around `p` against rounding.
fn wilson(p: f64, trials: f64, t: f64) -> (f64, f64) {
    let a = t * t / trials;
    let centre = (p + a / 2.0) / (1.0 + a);
    let half = (a * p * (1.0 - p) + a * a / 4.0).sqrt() / (1.0 + a);
    ((centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0))
}

/// Gives every estimate of a run the interval of its metric's
/// [`Bounds`](crate::model::Bounds) ([`Estimate::within`]): `estimates[i]`
/// is the estimate of `entries[i]`, as [`Estimate::from_values`] made it. A
/// share that is 0 or 1 in every replication takes its trials from the
/// count of the same period and scope that
/// [`Metric::trials`](crate::model::Metric::trials) names, summed over the
/// replications.
pub fn respect_bounds(entries: &[Entry], estimates: &mut [Estimate]) {
    let index: HashMap<Entry, usize> = entries.iter().enumerate().map(|(i, e)| (*e, i)).collect();
    let bounded: Vec<Estimate> = entries
        .iter()
        .zip(estimates.iter())
        .map(|(entry, e)| {
            let trials = entry.metric.trials().and_then(|metric| {
                let count = estimates[*index.get(&Entry { metric, ..*entry })?];
                Some(count.mean? * f64::from(count.n))
            });
            e.within(entry.metric.bounds(), trials)
        })
        .collect();
    estimates.copy_from_slice(&bounded);
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959964)
}

/// Quantile of sorted values with linear interpolation between order
/// statistics (Hyndman and Fan type 7, the default of R and numpy).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_of_known_values() {
        let e = Estimate::from_values(&[1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(e.n, 4);
        assert_eq!(e.mean, Some(2.5));
        // sd = 1.290994, t(3) = 3.182446: half width 2.054260
        assert!((e.half_width().unwrap() - 2.054_260).abs() < 1e-5);
        assert!((e.p50.unwrap() - 2.5).abs() < 1e-12);
        assert!((e.p5.unwrap() - 1.15).abs() < 1e-12);
        assert!((e.p95.unwrap() - 3.85).abs() < 1e-12);
    }

    #[test]
    fn undefined_everywhere_gives_nothing() {
        let e = Estimate::from_values(&[f64::NAN]);
        assert_eq!(e.n, 0);
        assert!(e.mean.is_none());
        let one = Estimate::from_values(&[0.5]);
        assert_eq!(one.mean, Some(0.5));
        assert!(one.ci_low.is_none());
    }

    #[test]
    fn verdict_against_a_threshold() {
        let e = Estimate::from_values(&[0.80, 0.82, 0.84]);
        let (l, h) = (e.ci_low.unwrap(), e.ci_high.unwrap());
        use Verdict::*;
        assert_eq!(e.verdict(Bound::AtLeast, l, On::Ci), Holds);
        assert_eq!(e.verdict(Bound::AtLeast, h + 1e-9, On::Ci), Broken);
        assert_eq!(e.verdict(Bound::AtLeast, 0.82, On::Ci), Unsure);
        assert_eq!(e.verdict(Bound::AtLeast, 0.82, On::Mean), Holds);
        assert_eq!(e.verdict(Bound::AtMost, h, On::Ci), Holds);
        assert_eq!(e.verdict(Bound::AtMost, l - 1e-9, On::Ci), Broken);
        assert_eq!(e.verdict(Bound::AtMost, 0.8199, On::Mean), Broken);
        let one = Estimate::from_values(&[0.9]);
        assert_eq!(one.verdict(Bound::AtLeast, 0.5, On::Ci), Undefined);
        assert_eq!(one.verdict(Bound::AtLeast, 0.5, On::Mean), Holds);
        assert_eq!(
            Estimate::empty(0).verdict(Bound::AtMost, 1.0, On::Mean),
            Undefined
        );
    }

    #[test]
    fn a_share_interval_stays_within_0_and_1() {
        // Two replications near 100%: Student t reaches beyond it.
        let raw = Estimate::from_values(&[0.97, 0.992]);
        assert!(raw.ci_high.unwrap() > 1.0);
        let e = raw.within(Bounds::Share, None);
        let (l, h) = (e.ci_low.unwrap(), e.ci_high.unwrap());
        assert!(0.0 <= l && l < e.mean.unwrap() && e.mean.unwrap() < h && h <= 1.0);
        // The Wilson interval with ñ = p(1 − p)/se², worked by hand:
        // p = 0.981, se = 0.011, t(1) = 12.7062, a = t²/ñ = se²t²/p(1 − p).
        let a = 0.011f64.powi(2) * t_975(1).powi(2) / (0.981 * 0.019);
        let centre = (0.981 + a / 2.0) / (1.0 + a);
        let half = (a * 0.981 * 0.019 + a * a / 4.0).sqrt() / (1.0 + a);
        assert!((l - (centre - half)).abs() < 1e-12 && (h - (centre + half)).abs() < 1e-12);
        // Near the bound's opposite end as well.
        let low = Estimate::of(Bounds::Share, &[0.0, 0.02, 0.01]);
        assert!(low.ci_low.unwrap() >= 0.0);
    }

    #[test]
    fn away_from_the_bounds_a_share_keeps_about_the_t_interval() {
        let values: Vec<f64> = (0..100).map(|i| 0.75 + f64::from(i % 10) * 0.005).collect();
        let t = Estimate::from_values(&values);
        let w = Estimate::of(Bounds::Share, &values);
        assert!((t.ci_low.unwrap() - w.ci_low.unwrap()).abs() < 1e-4);
        assert!((t.ci_high.unwrap() - w.ci_high.unwrap()).abs() < 1e-4);
        assert_eq!(
            (t.mean, t.p5, t.p50, t.p95, t.n),
            (w.mean, w.p5, w.p50, w.p95, w.n)
        );
    }

    #[test]
    fn agreeing_replications_never_give_a_point() {
        // 20 replications at 100%: without trials, each counts as one, and
        // the lower end is 20 / (20 + t²) (Wilson at p = 1).
        let ones = [1.0; 20];
        let e = Estimate::of(Bounds::Share, &ones);
        let t2 = t_975(19).powi(2);
        assert!((e.ci_low.unwrap() - 20.0 / (20.0 + t2)).abs() < 1e-12);
        assert_eq!(e.ci_high, Some(1.0));
        // With 290 contacts behind each: 5,800 trials.
        let e = Estimate::from_values(&ones).within(Bounds::Share, Some(5_800.0));
        assert!((e.ci_low.unwrap() - 5_800.0 / (5_800.0 + t2)).abs() < 1e-12);
        assert!(e.ci_low.unwrap() > 0.999 && e.ci_low.unwrap() < 1.0);
        // Fewer trials than replications cannot be: at least one each.
        let e = Estimate::from_values(&ones).within(Bounds::Share, Some(3.0));
        assert!((e.ci_low.unwrap() - 20.0 / (20.0 + t2)).abs() < 1e-12);
        // All at 0%, all at one value inside: still an interval.
        let zeros = Estimate::of(Bounds::Share, &[0.0; 5]);
        assert_eq!(zeros.ci_low, Some(0.0));
        assert!(zeros.ci_high.unwrap() > 0.0);
        let halves = Estimate::of(Bounds::Share, &[0.5; 5]);
        assert!(halves.ci_low.unwrap() < 0.5 && halves.ci_high.unwrap() > 0.5);
        // A spread below a float's resolution is no spread.
        let tiny = Estimate::of(Bounds::Share, &[0.5, 0.5 + 1e-17, 0.5, 0.5 - 1e-17]);
        assert!(tiny.ci_low.unwrap() < tiny.ci_high.unwrap());
        // One replication: no interval at all.
        assert_eq!(Estimate::of(Bounds::Share, &[1.0]).ci_low, None);
    }

    #[test]
    fn a_count_interval_stops_at_0() {
        let raw = Estimate::from_values(&[0.0, 0.0, 3.0]);
        assert!(raw.ci_low.unwrap() < 0.0);
        let e = raw.within(Bounds::NonNegative, None);
        assert_eq!(e.ci_low, Some(0.0));
        assert_eq!(e.ci_high, raw.ci_high);
        assert_eq!(e.mean, raw.mean);
        let above = Estimate::from_values(&[10.0, 11.0, 12.0]);
        assert_eq!(above.within(Bounds::NonNegative, None), above);
        // A difference keeps its t interval: `from_values` is unbounded.
        assert!(Estimate::from_values(&[-0.2, 0.1]).ci_low.unwrap() < -0.2);
    }

    /// The Wilson interval's coverage where the t interval's fails: shares
    /// of few contacts near 100%, a few replications. Each replication is
    /// the share of K contacts answered with probability p (K Poisson,
    /// at least 1), 2,000 runs of R replications, a fixed seed.
    #[test]
    fn share_intervals_cover_the_true_share_where_t_does_not() {
        use rand::RngExt;
        use rand_distr::{Distribution, Poisson};
        let mut rng = rand_pcg::Pcg64Mcg::new(15);
        for (r, k, p) in [
            (3, 30.0, 0.98),
            (5, 5.0, 0.98),
            (5, 30.0, 0.995),
            (20, 5.0, 0.995),
        ] {
            let contacts = Poisson::new(k).unwrap();
            let (mut t_covers, mut w_covers) = (0, 0);
            let runs = 2_000;
            for _ in 0..runs {
                let values: Vec<f64> = (0..r)
                    .map(|_| {
                        let n = loop {
                            let n: f64 = contacts.sample(&mut rng);
                            if n >= 1.0 {
                                break n as u32;
                            }
                        };
                        let hits = (0..n).filter(|_| rng.random::<f64>() < p).count();
                        hits as f64 / f64::from(n)
                    })
                    .collect();
                let t = Estimate::from_values(&values);
                let trials = k * f64::from(r);
                let w = t.within(Bounds::Share, Some(trials));
                t_covers += usize::from(t.ci_low.unwrap() <= p && p <= t.ci_high.unwrap());
                w_covers += usize::from(w.ci_low.unwrap() <= p && p <= w.ci_high.unwrap());
            }
            let (t_rate, w_rate) = (t_covers as f64 / runs as f64, w_covers as f64 / runs as f64);
            println!("R={r} K={k} p={p}: t covers {t_rate}, Wilson {w_rate}");
            assert!(w_rate >= 0.93, "R={r} K={k} p={p}: Wilson covers {w_rate}");
            assert!(t_rate < 0.93, "R={r} K={k} p={p}: t covers {t_rate}");
        }
    }

    #[test]
    fn few_replications_are_fewer_than_half() {
        let e = Estimate::from_values(&[1.0, 1.0, 1.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN]);
        assert_eq!(e.n, 3);
        assert!(e.few_replications);
        assert!(!e.is_reliable(7));
        let half = Estimate::from_values(&[1.0, 1.0, f64::NAN, f64::NAN]);
        assert!(!half.few_replications && half.is_reliable(4));
        assert!(!Estimate::from_values(&[f64::NAN]).few_replications);
        assert!(!Estimate::empty(0).is_reliable(1));
        // Written to JSON only when true, and read back as written.
        let json = serde_json::to_string(&half).unwrap();
        assert!(!json.contains("few_replications"));
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            json.ends_with(r#""n":3,"few_replications":true}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Estimate>(&json).unwrap(), e);
    }

    #[test]
    fn a_share_with_a_count_beside_it_takes_its_trials() {
        use super::super::{Level, Metric, Scope};
        use crate::model::Channel;
        let at = |metric| Entry {
            level: Level::Day(3),
            scope: Scope::Channel(Channel::Email),
            metric,
        };
        let entries = [
            at(Metric::Answered),
            at(Metric::Reachability),
            at(Metric::Occupancy),
        ];
        let mut estimates = [
            Estimate::from_values(&[300.0, 280.0]),
            Estimate::from_values(&[1.0, 1.0]),
            Estimate::from_values(&[1.0, 1.0]),
        ];
        respect_bounds(&entries, &mut estimates);
        let t2 = t_975(1).powi(2);
        assert!((estimates[1].ci_low.unwrap() - 580.0 / (580.0 + t2)).abs() < 1e-12);
        // No count bounds occupancy's denominator: each replication is a trial.
        assert!((estimates[2].ci_low.unwrap() - 2.0 / (2.0 + t2)).abs() < 1e-12);
        assert_eq!(estimates[0], Estimate::from_values(&[300.0, 280.0]));
    }

    #[test]
    fn t_quantile_matches_tables() {
        assert!((t_975(1) - 12.706_2).abs() < 1e-3);
        assert!((t_975(30) - 2.042_3).abs() < 1e-3);
        assert!((t_975(100_000) - 1.96).abs() < 1e-3);
    }
}
