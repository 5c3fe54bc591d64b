//! Random durations (handle times, patience, wrap-up, e-mail response times) and their samplers.
//!
//! # What planners give, and what the engine needs
//!
//! A workforce planner rarely knows a distribution's natural parameters. What a
//! planner has is a **mean** (average handle time "AHT 4.5m", average patience
//! "90s") and, at best, a **coefficient of variation** (cv = standard deviation
//! / mean, a pure number: cv 1 is "as variable as exponential", call-center
//! handle times typically sit between 0.5 and 1.5). The mean comes in seconds
//! or minutes; [`super::duration::parse_duration`] turns planner text into
//! seconds, and every field of [`Distribution`] is in **seconds** (the cv has
//! no unit, so it is the same whatever unit the mean was given in).
//!
//! So each shaped family is parametrized here by `(mean, cv)`, and
//! [`Distribution::sampler`] converts once to the family's natural parameters,
//! using one documented function per family:
//!
//! | family | natural parameters from mean `m`, cv `c` | function |
//! |---|---|---|
//! | exponential | rate `1/m` (cv is always 1) | — |
//! | lognormal | `sigma² = ln(1 + c²)`, `mu = ln m − sigma²/2` | [`lognormal_params`] |
//! | gamma | `shape = 1/c²`, `scale = m c²` | [`gamma_params`] |
//! | Erlang-k | gamma with integer shape `k`, rate `k/m` (cv = `1/√k`) | [`erlang_rate`], [`erlang_from_cv`] |
//! | Weibull | shape `k` solving `c² = Γ(1+2/k)/Γ(1+1/k)² − 1`, `scale = m/Γ(1+1/k)` | [`weibull_params`] |
//! | uniform | `min`, `max` given directly | — |
//! | empirical | observed seconds, resampled with equal weight (bootstrap) | [`empirical_from_csv`] |
//!
//! The formulas are the standard moment relations, see e.g. A. M. Law,
//! *Simulation Modeling and Analysis*, 5th ed. (McGraw-Hill, 2015), ch. 6
//! (lognormal: `E[X] = exp(mu + sigma²/2)`, `Var[X] = E[X]² (exp(sigma²) − 1)`;
//! gamma: `E[X] = shape·scale`, `Var[X] = shape·scale²`; Weibull:
//! `E[X] = scale·Γ(1+1/k)`, `E[X²] = scale²·Γ(1+2/k)`). The lognormal is the
//! usual default for call-center service times: Brown, Gans, Mandelbaum, Sakov,
//! Shen, Zeltyn and Zhao, "Statistical Analysis of a Telephone Call Center: A
//! Queueing-Science Perspective", *JASA* 100(469), 2005, found it fits handle
//! times much better than the exponential of textbook Erlang-C.
//!
//! The Weibull cv has no closed-form inverse; [`weibull_shape_from_cv`] bisects
//! on `ln k`, where the cv is monotone, for cv in
//! [[`WEIBULL_CV_MIN`], [`WEIBULL_CV_MAX`]] (shape ≈ 128 down to ≈ 0.19).
//!
//! # Sampling
//!
//! [`Sampler`] holds the precomputed `rand_distr` objects; its
//! [`Sampler::sample`] is called once per contact in the engine's hot path and
//! never allocates. It takes any `R: rand::Rng + ?Sized` (rand 0.10's core RNG
//! trait), e.g. a `rand_pcg::Pcg64Mcg`, with no trait import needed at the call
//! site.

use std::fmt;
use std::sync::Arc;

use rand::Rng;
use rand::distr::Uniform;
// Imported anonymously: its name would clash with our `Distribution`, and we
// only need it in scope for the `.sample(rng)` methods of the rand_distr types.
use rand_distr::Distribution as _;
use rand_distr::{Exp1, Gamma, LogNormal, Weibull};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::{gamma, ln_gamma};
use thiserror::Error;

use super::duration::{DurationError, format_duration, parse_duration};

/// Smallest Weibull cv accepted (shape ≈ 128; below it the distribution is practically a constant).
pub const WEIBULL_CV_MIN: f64 = 0.01;
/// Largest Weibull cv accepted (shape ≈ 0.19; beyond it one sample in millions dominates every mean).
pub const WEIBULL_CV_MAX: f64 = 20.0;

/// Why a distribution or its data is unusable; messages name the parameter and the bad value.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DistributionError {
    /// A parameter is out of range, e.g. "cv must be positive, got -0.3".
    #[error("{0}")]
    InvalidParameter(String),
    /// The CSV could not be read at all (I/O error, broken quoting, bad UTF-8).
    #[error("cannot read the CSV: {0}")]
    Csv(String),
    /// The requested column is not in the CSV header.
    #[error("column \"{column}\" is not in the CSV header; the columns are: {available}")]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The header's column names, comma-separated.
        available: String,
    },
    /// A data row has no cell for the column.
    #[error("row {row} has no value for column \"{column}\" (the row is too short)")]
    ShortRow {
        /// Spreadsheet row number, the header being row 1.
        row: u64,
        /// The column read.
        column: String,
    },
    /// A data row has an empty cell in the column.
    #[error(
        "row {row}, column \"{column}\" is empty: every row needs a duration in seconds (delete rows without one)"
    )]
    EmptyCell {
        /// Spreadsheet row number, the header being row 1.
        row: u64,
        /// The column read.
        column: String,
    },
    /// A cell is not a duration.
    #[error("row {row}, column \"{column}\": {source}")]
    BadValue {
        /// Spreadsheet row number, the header being row 1.
        row: u64,
        /// The column read.
        column: String,
        /// The cell text as found.
        text: String,
        /// Why the text is not a duration (its message quotes the text).
        source: DurationError,
    },
    /// The CSV has a header but no data rows.
    #[error(
        "column \"{column}\" has no values: empirical values must be non-negative seconds and at least one"
    )]
    NoValues {
        /// The column read.
        column: String,
    },
}

fn invalid(message: String) -> DistributionError {
    DistributionError::InvalidParameter(message)
}

/// A positive random duration (seconds), e.g. a handle time or a patience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Tagged like scenario files (`dist = "lognormal"`) so a serialized model reads like its input.
#[serde(tag = "dist", rename_all = "snake_case")]
pub enum Distribution {
    /// Always `value` seconds (zero allowed, e.g. no wrap-up).
    Constant {
        /// The duration in seconds.
        value: f64,
    },
    /// Exponential with the given mean in seconds (cv 1, memoryless).
    Exponential {
        /// Mean in seconds.
        mean: f64,
    },
    /// Lognormal with the given mean in seconds and coefficient of variation.
    Lognormal {
        /// Mean in seconds.
        mean: f64,
        /// Standard deviation divided by the mean.
        cv: f64,
    },
    /// Gamma with the given mean in seconds and coefficient of variation.
    Gamma {
        /// Mean in seconds.
        mean: f64,
        /// Standard deviation divided by the mean.
        cv: f64,
    },
    /// Erlang: sum of `k` exponential phases, mean in seconds, cv = 1/√k.
    Erlang {
        /// Mean in seconds.
        mean: f64,
        /// Number of phases, at least 1.
        k: u32,
    },
    /// Weibull with the given mean in seconds and coefficient of variation.
    Weibull {
        /// Mean in seconds.
        mean: f64,
        /// Standard deviation divided by the mean, in [`WEIBULL_CV_MIN`, `WEIBULL_CV_MAX`].
        cv: f64,
    },
    /// Uniform between `min` and `max` seconds.
    Uniform {
        /// Lower bound in seconds, zero or more.
        min: f64,
        /// Upper bound in seconds, above `min`.
        max: f64,
    },
    /// Observed durations in seconds, sorted, resampled uniformly (bootstrap).
    Empirical {
        /// Observed seconds; build with [`Distribution::empirical`] to get them sorted.
        values: Vec<f64>,
    },
}

impl Distribution {
    /// Builds an empirical distribution from observed seconds, sorting them and validating.
    pub fn empirical(mut values: Vec<f64>) -> Result<Distribution, DistributionError> {
        values.sort_by(f64::total_cmp);
        let distribution = Distribution::Empirical { values };
        distribution.validate()?;
        Ok(distribution)
    }

    /// The same family and shape (cv, phases) with every duration multiplied
    /// by `factor`: the mean is `factor` times as long, the cv unchanged
    /// (`[scale] handle_time`). Check the result with [`Distribution::validate`].
    pub fn scaled(&self, factor: f64) -> Distribution {
        match self {
            Distribution::Constant { value } => Distribution::Constant {
                value: value * factor,
            },
            Distribution::Exponential { mean } => Distribution::Exponential {
                mean: mean * factor,
            },
            Distribution::Lognormal { mean, cv } => Distribution::Lognormal {
                mean: mean * factor,
                cv: *cv,
            },
            Distribution::Gamma { mean, cv } => Distribution::Gamma {
                mean: mean * factor,
                cv: *cv,
            },
            Distribution::Erlang { mean, k } => Distribution::Erlang {
                mean: mean * factor,
                k: *k,
            },
            Distribution::Weibull { mean, cv } => Distribution::Weibull {
                mean: mean * factor,
                cv: *cv,
            },
            Distribution::Uniform { min, max } => Distribution::Uniform {
                min: min * factor,
                max: max * factor,
            },
            Distribution::Empirical { values } => Distribution::Empirical {
                values: values.iter().map(|v| v * factor).collect(),
            },
        }
    }

    /// The family's lowercase name, as used in messages and in serialized form.
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Constant { .. } => "constant",
            Distribution::Exponential { .. } => "exponential",
            Distribution::Lognormal { .. } => "lognormal",
            Distribution::Gamma { .. } => "gamma",
            Distribution::Erlang { .. } => "erlang",
            Distribution::Weibull { .. } => "weibull",
            Distribution::Uniform { .. } => "uniform",
            Distribution::Empirical { .. } => "empirical",
        }
    }

    /// Mean in seconds (for empirical, the mean of the values; 0 if there are none).
    pub fn mean(&self) -> f64 {
        match self {
            Distribution::Constant { value } => *value,
            Distribution::Exponential { mean }
            | Distribution::Lognormal { mean, .. }
            | Distribution::Gamma { mean, .. }
            | Distribution::Erlang { mean, .. }
            | Distribution::Weibull { mean, .. } => *mean,
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Empirical { values } => empirical_moments(values).0,
        }
    }

    /// Coefficient of variation (standard deviation / mean); 0 for a constant or an all-zero empirical.
    pub fn cv(&self) -> f64 {
        match self {
            Distribution::Constant { .. } => 0.0,
            Distribution::Exponential { .. } => 1.0,
            Distribution::Lognormal { cv, .. }
            | Distribution::Gamma { cv, .. }
            | Distribution::Weibull { cv, .. } => *cv,
            Distribution::Erlang { k, .. } => 1.0 / f64::from(*k).sqrt(),
            // Standard deviation of U(a, b) is (b − a)/√12, mean (a + b)/2.
            Distribution::Uniform { min, max } => (max - min) / (12f64.sqrt() * (min + max) / 2.0),
            Distribution::Empirical { values } => {
                let (mean, sd) = empirical_moments(values);
                if mean > 0.0 { sd / mean } else { 0.0 }
            }
        }
    }

    /// Checks every parameter, and that the sampler's natural parameters
    /// (lognormal sigma, gamma shape and scale, the Erlang phases' mean) are
    /// finite and positive, so that [`Distribution::sampler`] cannot fail
    /// after it; the error message names the parameter and the offending
    /// value, and for an overflow the bound to keep within.
    pub fn validate(&self) -> Result<(), DistributionError> {
        match self {
            Distribution::Constant { value } => check_non_negative("constant value", *value),
            Distribution::Exponential { mean } => check_positive("mean", *mean),
            Distribution::Lognormal { mean, cv } => {
                check_positive("mean", *mean)?;
                check_positive("cv", *cv)?;
                if !lognormal_params(*mean, *cv).sigma.is_finite() {
                    return Err(self.unsampled(format!(
                        "ln(1 + cv²) overflows; give a cv of at most {}",
                        at_most(f64::MAX.sqrt())
                    )));
                }
                Ok(())
            }
            Distribution::Gamma { mean, cv } => {
                check_positive("mean", *mean)?;
                check_positive("cv", *cv)?;
                let p = gamma_params(*mean, *cv);
                if !p.shape.is_finite() {
                    return Err(self.unsampled(format!(
                        "its shape, 1/cv², overflows; give a cv of at least {}",
                        at_least(1.0 / f64::MAX.sqrt())
                    )));
                }
                if !(p.scale.is_finite() && p.shape > 0.0) {
                    return Err(self.unsampled(format!(
                        "its scale, mean × cv², overflows; give a cv of at most {}",
                        at_most((f64::MAX / mean).sqrt())
                    )));
                }
                if p.scale <= 0.0 {
                    return Err(self.unsampled(
                        "its scale, mean × cv², is too small to be told from 0; give a larger mean or cv"
                            .to_string(),
                    ));
                }
                Ok(())
            }
            Distribution::Erlang { mean, k } => {
                check_positive("mean", *mean)?;
                if *k == 0 {
                    return Err(invalid("erlang k must be at least 1, got 0".to_string()));
                }
                let scale = 1.0 / erlang_rate(*mean, *k);
                if !(scale.is_finite() && scale > 0.0) {
                    return Err(self.unsampled(
                        "the mean of each phase, mean / k, is too small to be told from 0; give a larger mean"
                            .to_string(),
                    ));
                }
                Ok(())
            }
            Distribution::Weibull { mean, cv } => {
                check_positive("mean", *mean)?;
                check_positive("cv", *cv)?;
                if !(WEIBULL_CV_MIN..=WEIBULL_CV_MAX).contains(cv) {
                    return Err(invalid(format!(
                        "weibull cv must be between {WEIBULL_CV_MIN} and {WEIBULL_CV_MAX}, got {}",
                        readable(*cv)
                    )));
                }
                Ok(())
            }
            Distribution::Uniform { min, max } => {
                check_non_negative("uniform min", *min)?;
                if !max.is_finite() {
                    return Err(invalid(format!(
                        "uniform max must be finite, got {}",
                        readable(*max)
                    )));
                }
                if min >= max {
                    return Err(invalid(format!(
                        "uniform min must be below max, got min {} and max {}",
                        readable(*min),
                        readable(*max)
                    )));
                }
                Ok(())
            }
            Distribution::Empirical { values } => {
                const RULE: &str = "empirical values must be non-negative seconds and at least one";
                if values.is_empty() {
                    return Err(invalid(format!("{RULE}, got none")));
                }
                // `!(v >= 0.0)` rather than `v < 0.0` so that NaN is caught too.
                if let Some((i, v)) = values
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !(**v >= 0.0 && v.is_finite()))
                {
                    return Err(invalid(format!(
                        "{RULE}, got {} at position {}",
                        readable(*v),
                        i + 1
                    )));
                }
                Ok(())
            }
        }
    }

    /// Validates, then converts to natural parameters once and returns a sampler for the hot path.
    pub fn sampler(&self) -> Result<Sampler, DistributionError> {
        self.validate()?;
        // The rand_distr constructors cannot fail after `validate`, but their
        // errors are still mapped rather than unwrapped so that a gap in
        // validation surfaces as a message, not a panic mid-simulation.
        let rejected = |what: &dyn fmt::Display| {
            // Display, not Debug: an empirical Debug would list every value.
            invalid(format!("{self} rejected by the sampler: {what}"))
        };
        Ok(match self {
            Distribution::Constant { value } => Sampler::Constant { value: *value },
            Distribution::Exponential { mean } => Sampler::Exponential { mean: *mean },
            Distribution::Lognormal { mean, cv } => {
                let p = lognormal_params(*mean, *cv);
                Sampler::Lognormal {
                    dist: LogNormal::new(p.mu, p.sigma).map_err(|e| rejected(&e))?,
                    mean: *mean,
                }
            }
            Distribution::Gamma { mean, cv } => {
                let p = gamma_params(*mean, *cv);
                Sampler::Gamma {
                    dist: Gamma::new(p.shape, p.scale).map_err(|e| rejected(&e))?,
                    mean: *mean,
                }
            }
            Distribution::Erlang { mean, k } => Sampler::Gamma {
                // Erlang-k is exactly a gamma with integer shape k and scale 1/rate;
                // one gamma draw costs less than k exponential draws.
                dist: Gamma::new(f64::from(*k), 1.0 / erlang_rate(*mean, *k))
                    .map_err(|e| rejected(&e))?,
                mean: *mean,
            },
            Distribution::Weibull { mean, cv } => {
                let p = weibull_params(*mean, *cv).ok_or_else(|| rejected(&"no shape for cv"))?;
                Sampler::Weibull {
                    dist: Weibull::new(p.scale, p.shape).map_err(|e| rejected(&e))?,
                    mean: *mean,
                }
            }
            Distribution::Uniform { min, max } => Sampler::Uniform {
                dist: Uniform::new(*min, *max).map_err(|e| rejected(&e))?,
                mean: (min + max) / 2.0,
            },
            Distribution::Empirical { values } => {
                // Sorted so that the same multiset of values gives the same
                // stream of samples whatever order the caller listed them in.
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                let mean = empirical_moments(&sorted).0;
                Sampler::Empirical {
                    index: Uniform::new(0, sorted.len()).map_err(|e| rejected(&e))?,
                    values: sorted.into(),
                    mean,
                }
            }
        })
    }
}

/// Shows the family and its parameters with durations readable, e.g. "lognormal(mean 4m 30s, cv 0.8)".
impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self {
            Distribution::Constant { value } => write!(f, "{name}({})", format_duration(*value)),
            Distribution::Exponential { mean } => {
                write!(f, "{name}(mean {})", format_duration(*mean))
            }
            Distribution::Lognormal { mean, cv }
            | Distribution::Gamma { mean, cv }
            | Distribution::Weibull { mean, cv } => {
                write!(
                    f,
                    "{name}(mean {}, cv {})",
                    format_duration(*mean),
                    readable(*cv)
                )
            }
            Distribution::Erlang { mean, k } => {
                write!(f, "{name}(mean {}, k {k})", format_duration(*mean))
            }
            Distribution::Uniform { min, max } => write!(
                f,
                "{name}({} to {})",
                format_duration(*min),
                format_duration(*max)
            ),
            Distribution::Empirical { values } => write!(
                f,
                "{name}({} values, mean {}, cv {:.2})",
                values.len(),
                format_duration(self.mean()),
                self.cv()
            ),
        }
    }
}

impl Distribution {
    /// The error of a distribution whose parameters are each acceptable but
    /// whose sampler's natural parameters (see the module's table) overflow:
    /// `why` says which, and what to give instead.
    fn unsampled(&self, why: String) -> DistributionError {
        invalid(format!("{self} cannot be sampled: {why}"))
    }
}

/// A number as messages show it: as Rust writes it when it is 0 or its
/// size lies between 1e-6 and 1e15 (`0.8`, `1200`, `2000000000`), else in
/// scientific notation (`1e308` rather than 309 digits, `1e-200`).
pub fn readable(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-6..1e15).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// An upper `bound` shown with two significant digits and never above it
/// (5% below, then rounded), for "give a cv of at most ...".
fn at_most(bound: f64) -> String {
    format!("{:.1e}", bound * 0.95)
}

/// A lower `bound` shown with two significant digits and never below it
/// (5% above, then rounded), for "give a cv of at least ...".
fn at_least(bound: f64) -> String {
    format!("{:.1e}", bound * 1.05)
}

/// Checks `value` is finite and above zero; `what` names it in the message.
fn check_positive(what: &str, value: f64) -> Result<(), DistributionError> {
    if !value.is_finite() {
        return Err(invalid(format!("{what} must be finite, got {value}")));
    }
    if value <= 0.0 {
        return Err(invalid(format!(
            "{what} must be positive, got {}",
            readable(value)
        )));
    }
    Ok(())
}

/// Checks `value` is finite and zero or more; `what` names it in the message.
fn check_non_negative(what: &str, value: f64) -> Result<(), DistributionError> {
    if !value.is_finite() {
        return Err(invalid(format!("{what} must be finite, got {value}")));
    }
    if value < 0.0 {
        return Err(invalid(format!(
            "{what} must be non-negative, got {}",
            readable(value)
        )));
    }
    Ok(())
}

/// Population mean and standard deviation (divide by n: the bootstrap resamples exactly this population).
fn empirical_moments(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    // Two-pass variance: the one-pass E[X²] − E[X]² cancels badly when cv is small.
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

/// Natural parameters of a lognormal: ln X ~ Normal(mu, sigma²).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LognormalParams {
    /// Mean of ln X.
    pub mu: f64,
    /// Standard deviation of ln X.
    pub sigma: f64,
}

/// Lognormal parameters from mean `m` and cv `c`: sigma² = ln(1 + c²), mu = ln m − sigma²/2.
///
/// From `E[X] = exp(mu + sigma²/2)` and `cv² = exp(sigma²) − 1` (Law 2015, ch. 6).
/// `ln_1p` keeps sigma accurate for small cv, where `1 + c²` rounds.
pub fn lognormal_params(mean: f64, cv: f64) -> LognormalParams {
    let sigma2 = (cv * cv).ln_1p();
    LognormalParams {
        mu: mean.ln() - sigma2 / 2.0,
        sigma: sigma2.sqrt(),
    }
}

/// Natural parameters of a gamma: density ∝ x^(shape−1) e^(−x/scale).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaParams {
    /// Shape (k or alpha).
    pub shape: f64,
    /// Scale (theta = 1/rate), in seconds.
    pub scale: f64,
}

/// Gamma parameters from mean `m` and cv `c`: shape = 1/c², scale = m c².
///
/// From `E[X] = shape·scale` and `cv² = 1/shape`.
pub fn gamma_params(mean: f64, cv: f64) -> GammaParams {
    let cv2 = cv * cv;
    GammaParams {
        shape: 1.0 / cv2,
        scale: mean * cv2,
    }
}

/// Rate of each of the `k` exponential phases of an Erlang with mean `m`: k/m (per second).
///
/// Each phase has mean m/k, so the k phases add up to m.
pub fn erlang_rate(mean: f64, k: u32) -> f64 {
    f64::from(k) / mean
}

/// Erlang with the given mean whose cv 1/√k is nearest `cv`: k = round(1/cv²), at least 1.
///
/// A NaN or non-positive cv gives k = 1 (exponential) and a tiny cv saturates
/// k at `u32::MAX`; the mean is not checked here, call
/// [`Distribution::validate`] (or `sampler`) on the result.
pub fn erlang_from_cv(mean: f64, cv: f64) -> Distribution {
    // `as u32` saturates (NaN becomes 0), which `max(1)` then lifts to 1.
    let k = (1.0 / (cv * cv)).round() as u32;
    Distribution::Erlang { mean, k: k.max(1) }
}

/// Natural parameters of a Weibull: P(X > x) = exp(−(x/scale)^shape).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeibullParams {
    /// Shape k (below 1: decreasing hazard; above 1: increasing).
    pub shape: f64,
    /// Scale lambda, in seconds.
    pub scale: f64,
}

/// The cv of a Weibull with shape `k`: sqrt(Γ(1+2/k)/Γ(1+1/k)² − 1); the scale does not matter.
///
/// Computed as `expm1` of a difference of log-gammas, which stays accurate for
/// large `k` where the ratio is within 1e-4 of 1 and would otherwise cancel.
pub fn weibull_cv_from_shape(k: f64) -> f64 {
    (ln_gamma(1.0 + 2.0 / k) - 2.0 * ln_gamma(1.0 + 1.0 / k))
        .exp_m1()
        .sqrt()
}

/// Shape `k` whose Weibull cv is `cv`, or `None` if `cv` is outside [`WEIBULL_CV_MIN`, `WEIBULL_CV_MAX`] or NaN.
///
/// The cv decreases strictly with `k`, so bisection on `ln k` over a bracket
/// that covers the accepted cv range always converges; it runs until the
/// bracket can shrink no further in `f64`, which puts the cv within about
/// 1e-14 relative of the target (tested to 1e-10 over cv 0.05 to 10).
/// Bisection rather than Newton because it needs no derivative (digamma) and
/// cannot overshoot; it runs once per distribution, not per sample.
pub fn weibull_shape_from_cv(cv: f64) -> Option<f64> {
    if !(WEIBULL_CV_MIN..=WEIBULL_CV_MAX).contains(&cv) {
        return None;
    }
    // k = 0.1 gives cv ≈ 430 and k = 1000 gives cv ≈ 0.0013, well outside the accepted range.
    let (mut lo, mut hi) = (0.1_f64.ln(), 1000_f64.ln());
    let target = cv.ln();
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        // Compare in log space so the test is equally sharp for cv 0.01 and cv 20.
        if weibull_cv_from_shape(mid.exp()).ln() > target {
            lo = mid; // cv too large: the shape must grow
        } else {
            hi = mid;
        }
    }
    Some((0.5 * (lo + hi)).exp())
}

/// Weibull parameters from mean `m` and cv `c`: shape from [`weibull_shape_from_cv`], scale = m / Γ(1+1/k).
///
/// `None` when `c` is outside [`WEIBULL_CV_MIN`, `WEIBULL_CV_MAX`].
pub fn weibull_params(mean: f64, cv: f64) -> Option<WeibullParams> {
    let shape = weibull_shape_from_cv(cv)?;
    Some(WeibullParams {
        shape,
        scale: mean / gamma(1.0 + 1.0 / shape),
    })
}

/// Reads observed durations in seconds from a CSV column, for [`Distribution::Empirical`]; returns them sorted.
///
/// The CSV must have a header row. `column` names the column to read (matched
/// exactly, then ignoring case and surrounding spaces); `None` reads the first
/// column, which suits one-column exports. A cell is a bare number of
/// seconds ("185", "185.5") or any text [`parse_duration`] accepts ("3m 05s").
/// Rows are numbered as a spreadsheet shows them, the header being row 1, so
/// an error's row is where the user will look. Empty cells are errors rather
/// than skipped: silently dropping, say, contacts without a handle time would
/// bias the distribution.
pub fn empirical_from_csv(
    reader: impl std::io::Read,
    column: Option<&str>,
) -> Result<Vec<f64>, DistributionError> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Flexible so that a short row gets our message naming the row, not csv's.
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = csv_reader
        .headers()
        .map_err(|e| DistributionError::Csv(e.to_string()))?
        .clone();
    let (index, name) = find_column(&headers, column)?;
    let mut values = Vec::new();
    for (i, record) in csv_reader.records().enumerate() {
        let record = record.map_err(|e| DistributionError::Csv(e.to_string()))?;
        // +2: rows count from 1 and the header is row 1.
        let row = i as u64 + 2;
        let text = record
            .get(index)
            .ok_or_else(|| DistributionError::ShortRow {
                row,
                column: name.clone(),
            })?;
        if text.is_empty() {
            return Err(DistributionError::EmptyCell {
                row,
                column: name.clone(),
            });
        }
        let seconds = parse_duration(text).map_err(|source| DistributionError::BadValue {
            row,
            column: name.clone(),
            text: text.to_string(),
            source,
        })?;
        values.push(seconds);
    }
    if values.is_empty() {
        return Err(DistributionError::NoValues { column: name });
    }
    values.sort_by(f64::total_cmp);
    Ok(values)
}

/// The index and name of the column to read: `column` matched exactly, then
/// ignoring case and surrounding spaces, or the first column when `None`.
fn find_column(
    headers: &csv::StringRecord,
    column: Option<&str>,
) -> Result<(usize, String), DistributionError> {
    let available = || {
        headers
            .iter()
            .map(|h| format!("\"{h}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match column {
        Some(wanted) => {
            let wanted_trimmed = wanted.trim();
            let found = headers
                .iter()
                .position(|h| h == wanted)
                .or_else(|| {
                    headers
                        .iter()
                        .position(|h| h.eq_ignore_ascii_case(wanted_trimmed))
                })
                .ok_or_else(|| DistributionError::MissingColumn {
                    column: wanted.to_string(),
                    available: available(),
                })?;
            Ok((found, headers[found].to_string()))
        }
        None => match headers.get(0) {
            Some(first) if !(headers.len() == 1 && first.is_empty()) => Ok((0, first.to_string())),
            _ => Err(DistributionError::Csv(
                "the header row is missing".to_string(),
            )),
        },
    }
}

/// Precomputed sampler: the hot path of the engine calls `sample` once per contact; it must not allocate.
///
/// Build it with [`Distribution::sampler`], which validates; cloning is cheap
/// (the empirical values are shared behind an `Arc`), so each worker thread can
/// hold its own copy.
#[derive(Debug, Clone)]
pub enum Sampler {
    /// Always `value` seconds.
    Constant {
        /// The duration in seconds.
        value: f64,
    },
    /// `mean` times a standard exponential draw (ziggurat), so the mean is exact with no 1/(1/m) rounding.
    Exponential {
        /// Mean in seconds.
        mean: f64,
    },
    /// Lognormal with precomputed mu and sigma.
    Lognormal {
        /// The rand_distr sampler.
        dist: LogNormal<f64>,
        /// Mean in seconds.
        mean: f64,
    },
    /// Gamma with precomputed shape and scale; also Erlang (integer shape).
    Gamma {
        /// The rand_distr sampler.
        dist: Gamma<f64>,
        /// Mean in seconds.
        mean: f64,
    },
    /// Weibull with precomputed scale and shape.
    Weibull {
        /// The rand_distr sampler.
        dist: Weibull<f64>,
        /// Mean in seconds.
        mean: f64,
    },
    /// Uniform on [min, max).
    Uniform {
        /// The rand sampler.
        dist: Uniform<f64>,
        /// Mean in seconds.
        mean: f64,
    },
    /// Bootstrap: one of the observed values, each with equal probability.
    Empirical {
        /// Observed seconds, sorted, shared between clones.
        values: Arc<[f64]>,
        /// Uniform index into `values`, precomputed to skip range setup per draw.
        index: Uniform<usize>,
        /// Mean of `values` in seconds.
        mean: f64,
    },
}

impl Sampler {
    /// Draws one duration in seconds (zero or more); never allocates.
    /// Always inlined: the engine draws two or three per contact.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Constant { value } => *value,
            Sampler::Exponential { mean } => {
                let draw: f64 = Exp1.sample(rng);
                draw * mean
            }
            Sampler::Lognormal { dist, .. } => dist.sample(rng),
            Sampler::Gamma { dist, .. } => dist.sample(rng),
            Sampler::Weibull { dist, .. } => dist.sample(rng),
            Sampler::Uniform { dist, .. } => dist.sample(rng),
            Sampler::Empirical { values, index, .. } => values[index.sample(rng)],
        }
    }

    /// The distribution's mean in seconds (exact, not estimated from draws).
    pub fn mean(&self) -> f64 {
        match self {
            Sampler::Constant { value } => *value,
            Sampler::Exponential { mean }
            | Sampler::Lognormal { mean, .. }
            | Sampler::Gamma { mean, .. }
            | Sampler::Weibull { mean, .. }
            | Sampler::Uniform { mean, .. }
            | Sampler::Empirical { mean, .. } => *mean,
        }
    }
}

/// Lets a sampler be used wherever rand expects a distribution, e.g. `rng.sample(&sampler)` or `sample_iter`.
impl rand_distr::Distribution<f64> for Sampler {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        Sampler::sample(self, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_pcg::Pcg64Mcg;

    const N: usize = 200_000;

    /// Draws N samples with the fixed seed and returns (mean, cv), checking each is finite and >= 0.
    fn sample_moments(distribution: &Distribution) -> (f64, f64) {
        let sampler = distribution.sampler().expect("valid distribution");
        let mut rng = Pcg64Mcg::new(42);
        let draws: Vec<f64> = (0..N).map(|_| sampler.sample(&mut rng)).collect();
        for &x in &draws {
            assert!(x >= 0.0 && x.is_finite(), "{distribution}: bad sample {x}");
        }
        let (mean, sd) = empirical_moments(&draws);
        (mean, if mean > 0.0 { sd / mean } else { 0.0 })
    }

    fn assert_moments(distribution: Distribution) {
        let (mean, cv) = sample_moments(&distribution);
        let (want_mean, want_cv) = (distribution.mean(), distribution.cv());
        assert!(
            (mean - want_mean).abs() <= 0.015 * want_mean,
            "{distribution}: sample mean {mean}, wanted {want_mean}"
        );
        if want_cv == 0.0 {
            assert_eq!(cv, 0.0, "{distribution}: sample cv {cv}, wanted 0");
        } else {
            assert!(
                (cv - want_cv).abs() <= 0.03 * want_cv,
                "{distribution}: sample cv {cv}, wanted {want_cv}"
            );
        }
    }

    #[test]
    fn constant_samples_its_value() {
        assert_moments(Distribution::Constant { value: 30.0 });
        assert_moments(Distribution::Constant { value: 0.0 });
        let sampler = Distribution::Constant { value: 12.5 }.sampler().unwrap();
        assert_eq!(sampler.sample(&mut Pcg64Mcg::new(1)), 12.5);
    }

    #[test]
    fn exponential_matches_mean_and_cv() {
        assert_moments(Distribution::Exponential { mean: 300.0 });
        assert_moments(Distribution::Exponential { mean: 4.5 });
    }

    #[test]
    fn lognormal_matches_mean_and_cv() {
        assert_moments(Distribution::Lognormal {
            mean: 270.0,
            cv: 0.5,
        });
        assert_moments(Distribution::Lognormal {
            mean: 270.0,
            cv: 1.0,
        });
    }

    #[test]
    fn gamma_matches_mean_and_cv() {
        assert_moments(Distribution::Gamma {
            mean: 180.0,
            cv: 0.3,
        });
        assert_moments(Distribution::Gamma {
            mean: 180.0,
            cv: 1.5,
        });
    }

    #[test]
    fn erlang_matches_mean_and_cv() {
        assert_moments(Distribution::Erlang { mean: 240.0, k: 1 });
        assert_moments(Distribution::Erlang { mean: 240.0, k: 4 });
    }

    #[test]
    fn weibull_matches_mean_and_cv() {
        assert_moments(Distribution::Weibull {
            mean: 90.0,
            cv: 0.4,
        });
        assert_moments(Distribution::Weibull {
            mean: 90.0,
            cv: 1.3,
        });
    }

    #[test]
    fn uniform_matches_mean_and_cv() {
        let distribution = Distribution::Uniform {
            min: 60.0,
            max: 240.0,
        };
        assert_moments(distribution.clone());
        let sampler = distribution.sampler().unwrap();
        let mut rng = Pcg64Mcg::new(42);
        for _ in 0..10_000 {
            let x = sampler.sample(&mut rng);
            assert!((60.0..240.0).contains(&x), "{x} outside [60, 240)");
        }
    }

    #[test]
    fn empirical_matches_mean_and_cv_and_only_returns_observed_values() {
        let values: Vec<f64> = (1..=100).map(|i| f64::from(i * i)).collect();
        let distribution = Distribution::empirical(values.clone()).unwrap();
        assert_moments(distribution.clone());
        let sampler = distribution.sampler().unwrap();
        let mut rng = Pcg64Mcg::new(7);
        for _ in 0..1_000 {
            let x = sampler.sample(&mut rng);
            assert!(values.contains(&x), "{x} was never observed");
        }
    }

    #[test]
    fn empirical_sampler_ignores_input_order() {
        let sorted = Distribution::Empirical {
            values: vec![1.0, 2.0, 3.0, 50.0],
        };
        let shuffled = Distribution::Empirical {
            values: vec![50.0, 2.0, 1.0, 3.0],
        };
        let (a, b) = (sorted.sampler().unwrap(), shuffled.sampler().unwrap());
        let (mut ra, mut rb) = (Pcg64Mcg::new(3), Pcg64Mcg::new(3));
        for _ in 0..100 {
            assert_eq!(a.sample(&mut ra), b.sample(&mut rb));
        }
    }

    #[test]
    fn analytic_mean_and_cv() {
        let cases = [
            (Distribution::Constant { value: 5.0 }, 5.0, 0.0),
            (Distribution::Exponential { mean: 5.0 }, 5.0, 1.0),
            (Distribution::Erlang { mean: 8.0, k: 4 }, 8.0, 0.5),
            // U(0, 6): mean 3, sd 6/√12 = √3, cv = √3/3.
            (
                Distribution::Uniform { min: 0.0, max: 6.0 },
                3.0,
                3f64.sqrt() / 3.0,
            ),
            // {1, 3}: mean 2, population sd 1.
            (
                Distribution::Empirical {
                    values: vec![1.0, 3.0],
                },
                2.0,
                0.5,
            ),
            (Distribution::Empirical { values: vec![0.0] }, 0.0, 0.0),
        ];
        for (distribution, mean, cv) in cases {
            assert!(
                (distribution.mean() - mean).abs() < 1e-12,
                "{distribution:?}"
            );
            assert!((distribution.cv() - cv).abs() < 1e-12, "{distribution:?}");
            assert_eq!(
                distribution.sampler().unwrap().mean(),
                mean,
                "{distribution:?}"
            );
        }
    }

    #[test]
    fn lognormal_conversion() {
        // cv 1: sigma² = ln 2, mu = ln m − ln 2 / 2.
        let p = lognormal_params(100.0, 1.0);
        assert!((p.sigma * p.sigma - 2f64.ln()).abs() < 1e-15);
        assert!((p.mu - (100f64.ln() - 2f64.ln() / 2.0)).abs() < 1e-14);
        // Back through the moment formulas, over a range of cvs.
        for &(m, c) in &[(1.0, 0.01), (270.0, 0.5), (3600.0, 3.0)] {
            let p = lognormal_params(m, c);
            let mean = (p.mu + p.sigma * p.sigma / 2.0).exp();
            let cv = (p.sigma * p.sigma).exp_m1().sqrt();
            assert!((mean - m).abs() < 1e-12 * m, "mean {mean} for {m}");
            assert!((cv - c).abs() < 1e-12 * c, "cv {cv} for {c}");
        }
    }

    #[test]
    fn gamma_conversion() {
        let p = gamma_params(180.0, 0.5);
        assert!((p.shape - 4.0).abs() < 1e-12);
        assert!((p.scale - 45.0).abs() < 1e-12);
        // shape·scale = mean, 1/√shape = cv.
        assert!((p.shape * p.scale - 180.0).abs() < 1e-9);
        assert!((1.0 / p.shape.sqrt() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn erlang_conversion() {
        assert_eq!(erlang_rate(240.0, 4), 4.0 / 240.0);
        assert_eq!(
            erlang_from_cv(240.0, 0.5),
            Distribution::Erlang { mean: 240.0, k: 4 }
        );
        // 1/0.6² = 2.78 rounds to 3.
        assert_eq!(
            erlang_from_cv(240.0, 0.6),
            Distribution::Erlang { mean: 240.0, k: 3 }
        );
        // cv above 1 would need k < 1: the closest Erlang is the exponential.
        assert_eq!(
            erlang_from_cv(240.0, 2.0),
            Distribution::Erlang { mean: 240.0, k: 1 }
        );
        assert_eq!(
            erlang_from_cv(240.0, f64::NAN),
            Distribution::Erlang { mean: 240.0, k: 1 }
        );
        assert_eq!(
            erlang_from_cv(240.0, -1.0),
            Distribution::Erlang { mean: 240.0, k: 1 }
        );
    }

    #[test]
    fn weibull_cv_matches_closed_forms() {
        // k = 1 is exponential; Γ values at integers and halves are exact.
        let cases = [
            (1.0, 1.0),
            (2.0, (4.0 / std::f64::consts::PI - 1.0).sqrt()),
            (0.5, 5f64.sqrt()),        // Γ(5)/Γ(3)² − 1 = 24/4 − 1
            (1.0 / 3.0, 19f64.sqrt()), // Γ(7)/Γ(4)² − 1 = 720/36 − 1
            (0.25, 69f64.sqrt()),      // Γ(9)/Γ(5)² − 1 = 40320/576 − 1
        ];
        for (k, cv) in cases {
            let got = weibull_cv_from_shape(k);
            assert!(
                (got - cv).abs() < 1e-10 * cv,
                "k {k}: cv {got}, wanted {cv}"
            );
            let back = weibull_shape_from_cv(cv).unwrap();
            assert!(
                (back - k).abs() < 1e-9 * k,
                "cv {cv}: shape {back}, wanted {k}"
            );
        }
    }

    #[test]
    fn weibull_shape_solver_round_trips_cv() {
        let mut cv = 0.05;
        while cv <= 10.0 {
            let k = weibull_shape_from_cv(cv).unwrap();
            let back = weibull_cv_from_shape(k);
            assert!(
                (back - cv).abs() < 1e-10 * cv,
                "cv {cv} -> k {k} -> cv {back}"
            );
            cv *= 1.07;
        }
        for cv in [WEIBULL_CV_MIN, 10.0, WEIBULL_CV_MAX] {
            let k = weibull_shape_from_cv(cv).unwrap();
            assert!(
                (weibull_cv_from_shape(k) - cv).abs() < 1e-10 * cv,
                "cv {cv}"
            );
        }
        assert_eq!(weibull_shape_from_cv(WEIBULL_CV_MIN / 2.0), None);
        assert_eq!(weibull_shape_from_cv(WEIBULL_CV_MAX * 2.0), None);
        assert_eq!(weibull_shape_from_cv(f64::NAN), None);
    }

    #[test]
    fn weibull_conversion_gives_the_mean() {
        let p = weibull_params(90.0, 1.0).unwrap();
        assert!((p.shape - 1.0).abs() < 1e-9);
        assert!((p.scale - 90.0).abs() < 1e-7);
        let p = weibull_params(90.0, 0.4).unwrap();
        let mean = p.scale * gamma(1.0 + 1.0 / p.shape);
        assert!((mean - 90.0).abs() < 1e-9);
    }

    fn message(distribution: Distribution) -> String {
        let err = distribution.validate().unwrap_err();
        assert_eq!(distribution.sampler().unwrap_err(), err);
        err.to_string()
    }

    #[test]
    fn validate_rejects_each_bad_case_with_its_message() {
        use Distribution::*;
        let cases: Vec<(Distribution, &str)> = vec![
            (
                Constant { value: -1.0 },
                "constant value must be non-negative, got -1",
            ),
            (
                Constant { value: f64::NAN },
                "constant value must be finite, got NaN",
            ),
            (Exponential { mean: 0.0 }, "mean must be positive, got 0"),
            (Exponential { mean: -5.0 }, "mean must be positive, got -5"),
            (
                Exponential {
                    mean: f64::INFINITY,
                },
                "mean must be finite, got inf",
            ),
            (
                Exponential { mean: f64::NAN },
                "mean must be finite, got NaN",
            ),
            (
                Lognormal {
                    mean: 100.0,
                    cv: -0.3,
                },
                "cv must be positive, got -0.3",
            ),
            (
                Lognormal {
                    mean: 100.0,
                    cv: 0.0,
                },
                "cv must be positive, got 0",
            ),
            (
                Lognormal {
                    mean: -1.0,
                    cv: 0.5,
                },
                "mean must be positive, got -1",
            ),
            (
                Gamma {
                    mean: 100.0,
                    cv: f64::NAN,
                },
                "cv must be finite, got NaN",
            ),
            (
                Gamma {
                    mean: f64::NEG_INFINITY,
                    cv: 1.0,
                },
                "mean must be finite, got -inf",
            ),
            (
                Erlang { mean: 100.0, k: 0 },
                "erlang k must be at least 1, got 0",
            ),
            (Erlang { mean: 0.0, k: 2 }, "mean must be positive, got 0"),
            (
                Weibull {
                    mean: 100.0,
                    cv: -1.0,
                },
                "cv must be positive, got -1",
            ),
            (
                Weibull {
                    mean: 100.0,
                    cv: 25.0,
                },
                "weibull cv must be between 0.01 and 20, got 25",
            ),
            (
                Weibull {
                    mean: 100.0,
                    cv: 0.001,
                },
                "weibull cv must be between 0.01 and 20, got 0.001",
            ),
            (
                Uniform { min: 5.0, max: 3.0 },
                "uniform min must be below max, got min 5 and max 3",
            ),
            (
                Uniform { min: 5.0, max: 5.0 },
                "uniform min must be below max, got min 5 and max 5",
            ),
            (
                Uniform {
                    min: -1.0,
                    max: 3.0,
                },
                "uniform min must be non-negative, got -1",
            ),
            (
                Uniform {
                    min: 0.0,
                    max: f64::INFINITY,
                },
                "uniform max must be finite, got inf",
            ),
            (
                Uniform {
                    min: f64::NAN,
                    max: 3.0,
                },
                "uniform min must be finite, got NaN",
            ),
            (
                Empirical { values: vec![] },
                "empirical values must be non-negative seconds and at least one, got none",
            ),
            (
                Empirical {
                    values: vec![3.0, -2.0],
                },
                "empirical values must be non-negative seconds and at least one, got -2 at position 2",
            ),
            (
                Empirical {
                    values: vec![f64::NAN],
                },
                "empirical values must be non-negative seconds and at least one, got NaN at position 1",
            ),
            (
                Empirical {
                    values: vec![1.0, f64::INFINITY],
                },
                "empirical values must be non-negative seconds and at least one, got inf at position 2",
            ),
        ];
        for (distribution, expected) in cases {
            assert_eq!(message(distribution.clone()), expected, "{distribution:?}");
        }
    }

    #[test]
    fn parameters_whose_natural_parameters_overflow_are_refused_with_readable_numbers() {
        use Distribution::*;
        let cases: Vec<(Distribution, &str)> = vec![
            (
                Lognormal {
                    mean: 240.0,
                    cv: 1e308,
                },
                "lognormal(mean 4m 00s, cv 1e308) cannot be sampled: ln(1 + cv²) overflows; give a cv of at most 1.3e154",
            ),
            (
                Gamma {
                    mean: 480.0,
                    cv: 1e160,
                },
                "gamma(mean 8m 00s, cv 1e160) cannot be sampled: its scale, mean × cv², overflows; give a cv of at most 5.8e152",
            ),
            (
                Gamma {
                    mean: 480.0,
                    cv: 1e308,
                },
                "gamma(mean 8m 00s, cv 1e308) cannot be sampled: its scale, mean × cv², overflows; give a cv of at most 5.8e152",
            ),
            (
                Gamma {
                    mean: 180.0,
                    cv: 1e-200,
                },
                "gamma(mean 3m 00s, cv 1e-200) cannot be sampled: its shape, 1/cv², overflows; give a cv of at least 7.8e-155",
            ),
            (
                Gamma {
                    mean: 1e-300,
                    cv: 1e-20,
                },
                "gamma(mean 0s, cv 1e-20) cannot be sampled: its scale, mean × cv², is too small to be told from 0; give a larger mean or cv",
            ),
            (
                Erlang { mean: 5e-324, k: 3 },
                "erlang(mean 0s, k 3) cannot be sampled: the mean of each phase, mean / k, is too small to be told from 0; give a larger mean",
            ),
            (
                Weibull {
                    mean: 100.0,
                    cv: 1e300,
                },
                "weibull cv must be between 0.01 and 20, got 1e300",
            ),
            (
                Uniform {
                    min: 1e300,
                    max: 3.0,
                },
                "uniform min must be below max, got min 1e300 and max 3",
            ),
        ];
        for (distribution, expected) in cases {
            assert_eq!(message(distribution.clone()), expected, "{distribution:?}");
        }
        // The bounds the messages give are accepted, and every accepted
        // distribution builds its sampler.
        for distribution in [
            Lognormal {
                mean: 240.0,
                cv: 1.3e154,
            },
            Gamma {
                mean: 480.0,
                cv: 5.8e152,
            },
            Gamma {
                mean: 180.0,
                cv: 7.8e-155,
            },
            Gamma {
                mean: f64::MAX,
                cv: 1.0,
            },
            Erlang {
                mean: f64::MAX,
                k: 1000,
            },
        ] {
            assert!(distribution.validate().is_ok(), "{distribution:?}");
            assert!(distribution.sampler().is_ok(), "{distribution:?}");
        }
    }

    #[test]
    fn readable_numbers_keep_ordinary_ones_as_written() {
        assert_eq!(readable(0.8), "0.8");
        assert_eq!(readable(-0.01), "-0.01");
        assert_eq!(readable(2e9), "2000000000");
        assert_eq!(readable(0.0), "0");
        assert_eq!(readable(1e308), "1e308");
        assert_eq!(readable(-1e15), "-1e15");
        assert_eq!(readable(1e-200), "1e-200");
        assert_eq!(readable(f64::NAN), "NaN");
        assert_eq!(readable(f64::INFINITY), "inf");
    }

    #[test]
    fn validate_accepts_edge_cases() {
        for distribution in [
            Distribution::Constant { value: 0.0 },
            Distribution::Uniform {
                min: 0.0,
                max: 1e-9,
            },
            Distribution::Weibull {
                mean: 1.0,
                cv: WEIBULL_CV_MIN,
            },
            Distribution::Weibull {
                mean: 1.0,
                cv: WEIBULL_CV_MAX,
            },
            Distribution::Gamma {
                mean: 1.0,
                cv: 1e-6,
            },
            Distribution::Lognormal {
                mean: 1e-6,
                cv: 50.0,
            },
            Distribution::Empirical {
                values: vec![0.0, 0.0],
            },
        ] {
            assert!(distribution.sampler().is_ok(), "{distribution:?}");
        }
    }

    #[test]
    fn exponential_values_are_stable_across_versions() {
        // Pinned from rand 0.10.4 / rand_distr 0.6.0 / rand_pcg 0.10.3. If this
        // fails after a dependency upgrade, seeded runs no longer reproduce
        // earlier results: re-pin deliberately and say so in the changelog.
        let sampler = Distribution::Exponential { mean: 300.0 }.sampler().unwrap();
        let mut rng = Pcg64Mcg::new(42);
        let got: Vec<f64> = (0..3).map(|_| sampler.sample(&mut rng)).collect();
        let pinned = [590.5558343859067, 227.47573593544124, 157.30512161127717];
        for (g, p) in got.iter().zip(pinned) {
            // Relative 1e-12 rather than bit equality: the ziggurat's tail uses
            // exp/ln, whose last bit may differ between platform math libraries.
            assert!((g - p).abs() <= 1e-12 * p, "got {got:?}, pinned {pinned:?}");
        }
    }

    #[test]
    fn sampler_works_as_a_rand_distribution() {
        use rand::RngExt;
        let sampler = Distribution::Exponential { mean: 300.0 }.sampler().unwrap();
        let (mut a, mut b) = (Pcg64Mcg::new(42), Pcg64Mcg::new(42));
        let via_trait: f64 = a.sample(&sampler);
        assert_eq!(via_trait, sampler.sample(&mut b));
        // Works through a trait object too (R: ?Sized).
        let dynamic: &mut dyn Rng = &mut a;
        assert!(sampler.sample(dynamic) >= 0.0);
    }

    #[test]
    fn display_is_readable() {
        assert_eq!(
            Distribution::Lognormal {
                mean: 270.0,
                cv: 0.8
            }
            .to_string(),
            "lognormal(mean 4m 30s, cv 0.8)"
        );
        assert_eq!(
            Distribution::Uniform {
                min: 60.0,
                max: 240.0
            }
            .to_string(),
            "uniform(1m 00s to 4m 00s)"
        );
        assert_eq!(
            Distribution::Empirical {
                values: vec![1.0, 3.0]
            }
            .to_string(),
            "empirical(2 values, mean 2s, cv 0.50)"
        );
        assert_eq!(
            Distribution::Constant { value: 0.0 }.to_string(),
            "constant(0s)"
        );
    }

    #[test]
    fn csv_reads_named_column_sorted() {
        let data =
            "date,handle_time,agent\n2024-01-01,185,a\n2024-01-01,60.5,b\n2024-01-02, 3m ,c\n";
        let values = empirical_from_csv(data.as_bytes(), Some("handle_time")).unwrap();
        assert_eq!(values, vec![60.5, 180.0, 185.0]);
        // Case and spaces in the name are forgiven.
        let values = empirical_from_csv(data.as_bytes(), Some(" Handle_Time ")).unwrap();
        assert_eq!(values.len(), 3);
        let d = Distribution::empirical(values).unwrap();
        assert!((d.mean() - (60.5 + 180.0 + 185.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn csv_reads_first_column_by_default() {
        let data = "seconds\n30\n10\n20\n";
        assert_eq!(
            empirical_from_csv(data.as_bytes(), None).unwrap(),
            vec![10.0, 20.0, 30.0]
        );
        let data = "aht,other\n5,x\n";
        assert_eq!(
            empirical_from_csv(data.as_bytes(), None).unwrap(),
            vec![5.0]
        );
        // A UTF-8 byte-order mark, as Excel writes, does not break the header.
        let data = "\u{feff}aht\n5\n";
        assert_eq!(
            empirical_from_csv(data.as_bytes(), Some("aht")).unwrap(),
            vec![5.0]
        );
    }

    #[test]
    fn csv_errors_name_the_row_and_the_text() {
        let data = "aht\n120\n95\nabc\n";
        let err = empirical_from_csv(data.as_bytes(), Some("aht")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"row 4, column "aht": "abc" is not a duration: use a number with a unit, like "180s", "3m" or "1h30m""#
        );
        assert!(
            matches!(err, DistributionError::BadValue { row: 4, ref text, .. } if text == "abc")
        );

        let err = empirical_from_csv("aht\n-5\n".as_bytes(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"row 2, column "aht": "-5" is negative: a duration must be zero or more, like "0s" or "3m""#
        );

        let err = empirical_from_csv("a,aht\n1,2\n3\n".as_bytes(), Some("aht")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"row 3 has no value for column "aht" (the row is too short)"#
        );

        let err = empirical_from_csv("a,aht\n1,2\n3,\n".as_bytes(), Some("aht")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"row 3, column "aht" is empty: every row needs a duration in seconds (delete rows without one)"#
        );

        let err = empirical_from_csv("a,b\n1,2\n".as_bytes(), Some("aht")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"column "aht" is not in the CSV header; the columns are: "a", "b""#
        );

        let err = empirical_from_csv("aht\n".as_bytes(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"column "aht" has no values: empirical values must be non-negative seconds and at least one"#
        );

        let err = empirical_from_csv("".as_bytes(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read the CSV: the header row is missing"
        );

        let err = empirical_from_csv(&b"aht\n\xff\n"[..], None).unwrap_err();
        assert!(matches!(err, DistributionError::Csv(_)), "{err:?}");
    }

    #[test]
    fn a_scaled_distribution_keeps_its_shape_and_multiplies_its_mean() {
        let all = [
            Distribution::Constant { value: 30.0 },
            Distribution::Exponential { mean: 200.0 },
            Distribution::Lognormal {
                mean: 300.0,
                cv: 0.8,
            },
            Distribution::Gamma {
                mean: 250.0,
                cv: 0.6,
            },
            Distribution::Erlang { mean: 240.0, k: 3 },
            Distribution::Weibull {
                mean: 180.0,
                cv: 1.3,
            },
            Distribution::Uniform {
                min: 60.0,
                max: 120.0,
            },
            Distribution::empirical(vec![40.0, 90.0, 300.0]).unwrap(),
        ];
        for d in all {
            let s = d.scaled(1.25);
            s.validate().unwrap();
            assert_eq!(s.name(), d.name());
            assert!((s.mean() - 1.25 * d.mean()).abs() < 1e-9 * d.mean(), "{d}");
            assert!((s.cv() - d.cv()).abs() < 1e-12, "{d}");
            assert_eq!(d.scaled(1.0), d);
        }
    }
}
