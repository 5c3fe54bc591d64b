//! Aggregation across replications: mean, 95% confidence interval and
//! quantiles of every figure.
//!
//! Replications are folded in replication order, whatever thread produced
//! them, so a seed gives the same summary bit for bit on any number of threads.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::model::Bound;

/// Mean, 95% confidence interval and quantiles of one figure over replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: Option<f64>,
    /// Lower end of the 95% confidence interval of the mean (Student t).
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
        }
    }

    /// The estimate of a figure from its values, one per replication; NaN
    /// values (undefined in that replication) are left out.
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
        }
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
    fn t_quantile_matches_tables() {
        assert!((t_975(1) - 12.706_2).abs() < 1e-3);
        assert!((t_975(30) - 2.042_3).abs() < 1e-3);
        assert!((t_975(100_000) - 1.96).abs() < 1e-3);
    }
}
