//! The day level of one theme on one channel: weekday weights, the level
//! per open day (`per_day`), monthly levels, a linear trend and the
//! uncertainty (day-level cv beyond Poisson noise).
//!
//! Model: the count of open day *d* is `N_d`, with mean `μ_d = L(t_d) ·
//! W_{weekday(d)}` and variance `μ_d + cv² μ_d²` (Poisson arrivals whose
//! level is multiplied by a day factor of mean 1 and coefficient of
//! variation `cv`, the scenario's `uncertainty`). `t_d` is in months of
//! 30.4375 days since the first date of the fit period.
//!
//! - **Weekday weights.** `m_w` is the mean count of the open days of
//!   weekday `w` (after removing a trend, when one is kept). `W_w = m_w / M`
//!   where `M` is the mean of `m_w` over Monday–Friday (a weekday without
//!   contacts counting 0): the normalisation a scenario applies to
//!   `weekday_weights`, so a scenario with `per_day = M` and these weights
//!   expects `m_w` contacts on a weekday `w`. When Monday–Friday have no
//!   contacts at all, `M` is the mean over the weekdays with contacts.
//!   95% CI: delta method on `log W_w = log m_w − log M`, with the variance
//!   of each `m_v` from the sample variance of its days (which includes any
//!   overdispersion between days), and a Student t quantile with `n_w − 1`
//!   degrees of freedom.
//! - **Trend.** The weekday-adjusted counts `y_d = N_d / W_{weekday(d)}` are
//!   regressed on `t_d` by ordinary least squares; the relative change per
//!   month is `b / ȳ` (the slope over the mean level of the period), its CI
//!   `(b ± t·se_b) / ȳ`, its p-value the two-sided t test of `b = 0` with
//!   `n − 2` degrees of freedom. The trend is kept when p < 0.05; the
//!   weekday weights are then recomputed on detrended counts and the
//!   regression repeated once.
//! - **`per_day`.** Without a trend, `M` with the CI `M ± t·se(M)`. With a
//!   trend, the regression's level on the last date of the fit period with
//!   the CI of a regression mean at that time.
//! - **Months.** The mean of `y_d` over the open days of each month, with a
//!   t interval from the spread of its days.
//! - **Uncertainty.** `cv²` by the method of moments, `Σ((N−μ)² − μ) /
//!   Σ μ²` (squared residuals corrected for the fitted parameters), with a
//!   sandwich standard error and a normal interval on `cv²`; kept when the
//!   Poisson dispersion test (Pearson `Σ (N−μ)²/μ` against χ² with `n − p`
//!   degrees of freedom) rejects Poisson noise alone at the 5% level.

use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

use chrono::NaiveDate;

use crate::fit::{Fitted, MonthLevel, Trend};
use crate::model::Weekday;

/// Days in a month of 365.25 / 12 days.
pub(crate) const MONTH_DAYS: f64 = 365.25 / 12.0;

/// Significance level of the trend and uncertainty tests.
pub(crate) const ALPHA: f64 = 0.05;

/// One open day of the fit.
#[derive(Debug, Clone, Copy)]
pub(super) struct Day {
    pub date: NaiveDate,
    pub weekday: Weekday,
    /// Months since the first date of the fit period.
    pub t: f64,
    /// Contacts that day.
    pub count: f64,
}

/// The fitted level of one theme on one channel.
#[derive(Debug, Clone)]
pub(super) struct Levels {
    /// Point weights (0 for weekdays without contacts).
    pub weights: [f64; 7],
    pub weekday: [Option<Fitted>; 7],
    pub per_day: Fitted,
    pub trend: Option<Trend>,
    pub months: Vec<MonthLevel>,
    pub uncertainty_cv: Option<Fitted>,
    /// Level `a + b t` (b = 0 without a trend).
    a: f64,
    b: f64,
}

impl Levels {
    /// The fitted level (contacts on a day of weight 1) at `t` months.
    pub fn level_at(&self, t: f64) -> f64 {
        (self.a + self.b * t).max(0.0)
    }
}

/// The upper 97.5% quantile of Student's t with `df` degrees of freedom
/// (the normal one for infinite or invalid `df`).
pub(crate) fn t975(df: f64) -> f64 {
    if df.is_finite()
        && df >= 1.0
        && let Ok(t) = StudentsT::new(0.0, 1.0, df)
    {
        return t.inverse_cdf(0.975);
    }
    1.959_963_984_540_054
}

/// P(χ²_df > x).
pub(crate) fn chi2_sf(x: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(c) if x.is_finite() => c.sf(x),
        _ => 1.0,
    }
}

/// Per-weekday mean and variance of the mean.
#[derive(Debug, Clone, Copy, Default)]
struct WeekdayMean {
    n: usize,
    mean: f64,
    /// Variance of `mean`.
    var_mean: f64,
}

/// Weekday weights and their normalising level `M`.
struct Weights {
    stats: [WeekdayMean; 7],
    weights: [f64; 7],
    /// The normalising level.
    norm: f64,
    /// Variance of `norm`.
    var_norm: f64,
    /// Weekdays `norm` averages over.
    set: [bool; 7],
    /// Degrees of freedom of `var_norm`.
    df_norm: f64,
}

fn weekday_weights(days: &[Day], detrend: impl Fn(&Day) -> f64) -> Weights {
    let mut sums = [(0usize, 0.0f64, 0.0f64); 7];
    for day in days {
        let x = day.count * detrend(day);
        let s = &mut sums[day.weekday.index()];
        s.0 += 1;
        s.1 += x;
        s.2 += x * x;
    }
    let stats: [WeekdayMean; 7] = std::array::from_fn(|w| {
        let (n, sum, sum2) = sums[w];
        if n == 0 {
            return WeekdayMean::default();
        }
        let mean = sum / n as f64;
        let var = if n >= 2 {
            ((sum2 - n as f64 * mean * mean) / (n as f64 - 1.0)).max(0.0)
        } else {
            mean.max(1.0)
        };
        WeekdayMean {
            n,
            mean,
            var_mean: var / n as f64,
        }
    });
    let monday_to_friday: [bool; 7] = std::array::from_fn(|w| w < 5);
    let with: [bool; 7] = std::array::from_fn(|w| stats[w].n > 0 && stats[w].mean > 0.0);
    let mf_mean = (0..5).map(|w| stats[w].mean).sum::<f64>() / 5.0;
    let set = if mf_mean > 0.0 {
        monday_to_friday
    } else {
        with
    };
    let size = set.iter().filter(|s| **s).count().max(1) as f64;
    let norm = (0..7)
        .filter(|&w| set[w])
        .map(|w| stats[w].mean)
        .sum::<f64>()
        / size;
    let var_norm = (0..7)
        .filter(|&w| set[w])
        .map(|w| stats[w].var_mean)
        .sum::<f64>()
        / (size * size);
    let df_norm = (0..7)
        .filter(|&w| set[w] && stats[w].n > 1)
        .map(|w| stats[w].n as f64 - 1.0)
        .sum::<f64>();
    let weights = std::array::from_fn(|w| {
        if norm > 0.0 {
            stats[w].mean / norm
        } else {
            0.0
        }
    });
    Weights {
        stats,
        weights,
        norm,
        var_norm,
        set,
        df_norm,
    }
}

/// Ordinary least squares of `y` on `t`.
#[derive(Debug, Clone, Copy)]
struct Regression {
    n: f64,
    a: f64,
    b: f64,
    se_b: f64,
    /// Residual variance.
    s2: f64,
    t_mean: f64,
    y_mean: f64,
    sxx: f64,
    p_value: f64,
}

fn regress(points: &[(f64, f64)]) -> Option<Regression> {
    let n = points.len() as f64;
    if points.len() < 3 {
        return None;
    }
    let t_mean = points.iter().map(|p| p.0).sum::<f64>() / n;
    let y_mean = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - t_mean).powi(2)).sum();
    if sxx <= 0.0 || sxx.is_nan() {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - t_mean) * (p.1 - y_mean)).sum();
    let b = sxy / sxx;
    let a = y_mean - b * t_mean;
    let s2 = points
        .iter()
        .map(|p| (p.1 - a - b * p.0).powi(2))
        .sum::<f64>()
        / (n - 2.0);
    let se_b = (s2 / sxx).sqrt();
    let p_value = if se_b > 0.0 {
        let t = StudentsT::new(0.0, 1.0, n - 2.0).ok()?;
        (2.0 * t.sf((b / se_b).abs())).min(1.0)
    } else if b == 0.0 {
        1.0
    } else {
        0.0
    };
    Some(Regression {
        n,
        a,
        b,
        se_b,
        s2,
        t_mean,
        y_mean,
        sxx,
        p_value,
    })
}

/// The weekday-adjusted counts `(t, N / W)`.
fn adjusted(days: &[Day], weights: &[f64; 7]) -> Vec<(f64, f64)> {
    days.iter()
        .filter(|d| weights[d.weekday.index()] > 0.0)
        .map(|d| (d.t, d.count / weights[d.weekday.index()]))
        .collect()
}

/// Fits the level of the open `days`; `t_end` is the last date of the fit
/// period in months.
pub(super) fn fit(days: &[Day], t_end: f64, name: &str, warnings: &mut Vec<String>) -> Levels {
    let flat = weekday_weights(days, |_| 1.0);
    if flat.set.iter().zip(0..).any(|(s, w)| *s && w >= 5) {
        warnings.push(format!(
            "{name}: no contacts from Monday to Friday: the weekday weights average 1 over the weekdays with contacts, not over Monday to Friday as a scenario's do"
        ));
    }
    let mut chosen = (flat, None::<Regression>);
    if let Some(first) = regress(&adjusted(days, &chosen.0.weights))
        && first.p_value < ALPHA
    {
        // Recompute the weekday weights on detrended counts, then the trend.
        let detrended = weekday_weights(days, |d| {
            let level = first.a + first.b * d.t;
            if level > 0.0 {
                first.y_mean / level
            } else {
                1.0
            }
        });
        if let Some(second) = regress(&adjusted(days, &detrended.weights))
            && second.p_value < ALPHA
        {
            chosen = (detrended, Some(second));
        }
    }
    let (weights, trend) = chosen;

    let weekday = std::array::from_fn(|w| {
        let s = weights.stats[w];
        if s.n == 0 || s.mean <= 0.0 || weights.norm.is_nan() || weights.norm <= 0.0 {
            return None;
        }
        let value = weights.weights[w];
        let size = weights.set.iter().filter(|x| **x).count().max(1) as f64;
        let var_log_m = s.var_mean / (s.mean * s.mean);
        let var_log_norm = weights.var_norm / (weights.norm * weights.norm);
        let cov = if weights.set[w] {
            s.var_mean / (size * s.mean * weights.norm)
        } else {
            0.0
        };
        let se = (var_log_m + var_log_norm - 2.0 * cov).max(0.0).sqrt();
        let q = t975((s.n as f64 - 1.0).max(1.0));
        Some(Fitted {
            value,
            low: value * (-q * se).exp(),
            high: value * (q * se).exp(),
        })
    });

    let (a, b, per_day, trend_fit) = match trend {
        Some(r) => {
            let value = r.a + r.b * t_end;
            let se = (r.s2 * (1.0 / r.n + (t_end - r.t_mean).powi(2) / r.sxx)).sqrt();
            let q = t975(r.n - 2.0);
            let per_month = r.b / r.y_mean;
            let half = q * r.se_b / r.y_mean;
            (
                r.a,
                r.b,
                Fitted {
                    value: value.max(0.0),
                    low: (value - q * se).max(0.0),
                    high: (value + q * se).max(0.0),
                },
                Some(Trend {
                    per_month: Fitted {
                        value: per_month,
                        low: per_month - half,
                        high: per_month + half,
                    },
                    p_value: r.p_value,
                }),
            )
        }
        None => {
            let se = weights.var_norm.sqrt();
            let q = t975(weights.df_norm.max(1.0));
            (
                weights.norm,
                0.0,
                Fitted {
                    value: weights.norm,
                    low: (weights.norm - q * se).max(0.0),
                    high: weights.norm + q * se,
                },
                None,
            )
        }
    };
    let mut levels = Levels {
        weights: weights.weights,
        weekday,
        per_day,
        trend: trend_fit,
        months: Vec::new(),
        uncertainty_cv: None,
        a,
        b,
    };
    levels.months = months(days, &levels.weights);
    let parameters = weights.stats.iter().filter(|s| s.n > 0).count() + usize::from(b != 0.0);
    levels.uncertainty_cv = uncertainty(days, &levels, parameters);
    levels
}

/// The mean weekday-adjusted count of every month with open days.
fn months(days: &[Day], weights: &[f64; 7]) -> Vec<MonthLevel> {
    let mut months: Vec<(NaiveDate, Vec<(f64, f64)>)> = Vec::new();
    for day in days {
        let w = weights[day.weekday.index()];
        if w <= 0.0 || w.is_nan() {
            continue;
        }
        let month = super::month_of(day.date);
        if months.last().is_none_or(|m| m.0 != month) {
            months.push((month, Vec::new()));
        }
        if let Some(m) = months.last_mut() {
            m.1.push((day.count / w, day.count.sqrt() / w));
        }
    }
    months
        .into_iter()
        .map(|(month, ys)| {
            let n = ys.len() as f64;
            let mean = ys.iter().map(|y| y.0).sum::<f64>() / n;
            let half = if ys.len() >= 2 {
                let var = ys.iter().map(|y| (y.0 - mean).powi(2)).sum::<f64>() / (n - 1.0);
                t975(n - 1.0) * (var / n).sqrt()
            } else {
                t975(f64::INFINITY) * ys[0].1
            };
            MonthLevel {
                month,
                days: ys.len() as u32,
                per_day: Fitted {
                    value: mean,
                    low: (mean - half).max(0.0),
                    high: mean + half,
                },
            }
        })
        .collect()
}

/// The day-level cv beyond Poisson noise, when the dispersion test finds it.
fn uncertainty(days: &[Day], levels: &Levels, parameters: usize) -> Option<Fitted> {
    let points: Vec<(f64, f64)> = days
        .iter()
        .map(|d| {
            (
                d.count,
                levels.level_at(d.t) * levels.weights[d.weekday.index()],
            )
        })
        .filter(|p| p.1 > 0.0)
        .collect();
    let n = points.len();
    if n <= parameters + 1 {
        return None;
    }
    let correction = n as f64 / (n - parameters) as f64;
    let pearson: f64 = points.iter().map(|(x, mu)| (x - mu).powi(2) / mu).sum();
    let p_value = chi2_sf(pearson, (n - parameters) as f64);
    let weight_sum: f64 = points.iter().map(|(_, mu)| mu * mu).sum();
    let c2 = points
        .iter()
        .map(|(x, mu)| (x - mu).powi(2) * correction - mu)
        .sum::<f64>()
        / weight_sum;
    if !(p_value < ALPHA && c2 > 0.0) {
        return None;
    }
    // Sandwich variance of the weighted mean of z = ((x−μ)² − μ) / μ² with weights μ².
    let var = points
        .iter()
        .map(|(x, mu)| {
            let z = ((x - mu).powi(2) * correction - mu) / (mu * mu);
            (mu * mu * (z - c2)).powi(2)
        })
        .sum::<f64>()
        / (weight_sum * weight_sum);
    let half = t975(f64::INFINITY) * var.sqrt();
    Some(Fitted {
        value: c2.sqrt(),
        low: (c2 - half).max(0.0).sqrt(),
        high: (c2 + half).sqrt(),
    })
}
