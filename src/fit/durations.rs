//! Durations (handle times, waits) kept in memory flat in the number of
//! records, and the maximum-likelihood fit of the duration families on them.
//!
//! # Memory
//!
//! [`Durations`] keeps exact sums (count, Σx, Σ ln x, Σ (ln x)²) of the
//! observed durations, split at one second, and a fine histogram: bin 0
//! holds [0, 0.01 s), then 2070 log-spaced bins of relative width 1% up
//! to 10⁷ s (116 days), then one overflow bin. Each bin keeps its count and
//! the exact sum of its durations, for observed and for censored durations
//! apart. One second is a bin edge. That is 66 kB per accumulator,
//! whatever the number of records.
//!
//! The sufficient statistics give the exponential, lognormal and gamma
//! likelihoods of uncensored data exactly; the Weibull term Σ xᵏ and the
//! censored terms Σ ln S(c) use each bin's mean as its representative
//! value (relative error of order k²·10⁻⁵ for a 1% bin).
//!
//! # Likelihood
//!
//! Observed durations contribute ln f(x), censored ones ln S(c). Observed
//! durations below [`Durations::left_censor_below`] (1 s for patience, 0
//! for handle times) contribute ln F(1 s): an abandon in the first second
//! is taken as "patience below one second", which keeps the lognormal and
//! the Weibull (whose density is infinite or zero at 0) defined for
//! abandons recorded at 0 s, and treats every family alike for the AIC.
//!
//! # Fit
//!
//! Two-parameter families are maximised with argmin's Nelder–Mead on
//! unconstrained parameters (log scale, log shape; μ, ln σ), started from
//! closed forms (moments, or the lognormal's exact MLE without censoring)
//! and restarted once from the optimum. The 95% confidence intervals of
//! mean and cv come from the observed information (the numerical Hessian
//! of the log-likelihood at the optimum, central differences) and the
//! delta method on ln mean and ln cv, so the intervals are
//! `exp(ln g ± 1.96 se)` and stay positive.

use argmin::core::{CostFunction, Executor};
use argmin::solver::neldermead::NelderMead;
use statrs::distribution::{ContinuousCDF, Gamma as GammaLaw};
use statrs::function::erf::erfc;
use statrs::function::gamma::{gamma_lr, gamma_ur, ln_gamma};

use super::{Candidate, Family, Fitted, Histogram};
use crate::model::distribution::weibull_cv_from_shape;

/// Lower edge of the first log-spaced bin, seconds.
const X0: f64 = 0.01;
/// Log-spaced bins per factor 100 (relative width 1.006%).
const PER_HUNDRED: usize = 460;
/// Index of the last log-spaced bin (upper edge 10⁷ s).
const TOP: usize = 4 * PER_HUNDRED + PER_HUNDRED / 2;
/// Number of bins: [0, X0), TOP log-spaced bins, overflow.
pub(crate) const BINS: usize = TOP + 2;
/// Index of the first bin at or above one second.
const ONE_SECOND_BIN: usize = PER_HUNDRED + 1;
/// The 97.5% normal quantile.
pub(crate) const Z975: f64 = 1.959_963_984_540_054;

fn step() -> f64 {
    (100.0f64).ln() / PER_HUNDRED as f64
}

/// Upper edges of the bins 0 ..= TOP, seconds; one second exactly at
/// `ONE_SECOND_BIN - 1`.
static EDGES: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
    (0..=TOP)
        .map(|b| match b {
            0 => X0,
            b if b == ONE_SECOND_BIN - 1 => 1.0,
            b => X0 * (b as f64 * step()).exp(),
        })
        .collect()
});

/// Upper edge of bin `b` (b ≤ TOP), seconds.
#[inline]
fn upper_edge(b: usize) -> f64 {
    EDGES[b]
}

/// Exact sums of a set of durations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Moments {
    pub n: u64,
    pub sum: f64,
    pub sum_ln: f64,
    pub sum_ln2: f64,
}

impl Moments {
    fn add(&mut self, x: f64, ln_x: f64) {
        self.n += 1;
        self.sum += x;
        self.sum_ln += ln_x;
        self.sum_ln2 += ln_x * ln_x;
    }

    fn merged(self, other: Moments) -> Moments {
        Moments {
            n: self.n + other.n,
            sum: self.sum + other.sum,
            sum_ln: self.sum_ln + other.sum_ln,
            sum_ln2: self.sum_ln2 + other.sum_ln2,
        }
    }
}

/// Observed and right-censored durations, binned (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Durations {
    /// Observed durations below one second (sums of logs of positive ones only).
    early: Moments,
    /// Observed durations at or above one second.
    main: Moments,
    /// Observed durations of exactly 0 (in `early.n` too, not in its logs).
    zeros: u64,
    /// Censored durations: count and sum.
    censored: u64,
    censored_sum: f64,
    max: f64,
    /// Per bin: observed count and sum (allocated on the first observation).
    obs_count: Vec<u64>,
    obs_sum: Vec<f64>,
    /// Per bin: censored count and sum (allocated on the first censoring).
    cens_count: Vec<u64>,
    cens_sum: Vec<f64>,
}

/// Bin of a duration `x ≥ 0` and its natural log (−∞ for 0).
#[inline]
fn bin_of(x: f64) -> (usize, f64) {
    let ln_x = x.ln();
    if x < X0 {
        return (0, ln_x);
    }
    let inv = PER_HUNDRED as f64 / (100.0f64).ln();
    let j = (((ln_x - X0.ln()) * inv) as usize + 1).min(BINS - 1);
    // Rounding near an edge: place x by the edges themselves.
    let edges = &*EDGES;
    let j = if j > 1 && x < edges[j - 1] {
        j - 1
    } else if j <= TOP && x >= edges[j] {
        j + 1
    } else {
        j
    };
    (j, ln_x)
}

impl Durations {
    pub(crate) fn new() -> Durations {
        Durations {
            early: Moments::default(),
            main: Moments::default(),
            zeros: 0,
            censored: 0,
            censored_sum: 0.0,
            max: 0.0,
            obs_count: Vec::new(),
            obs_sum: Vec::new(),
            cens_count: Vec::new(),
            cens_sum: Vec::new(),
        }
    }

    /// Adds an observed duration `x ≥ 0` (finite; the caller checks).
    #[inline]
    pub(crate) fn observe(&mut self, x: f64) {
        if self.obs_count.is_empty() {
            self.obs_count = vec![0; BINS];
            self.obs_sum = vec![0.0; BINS];
        }
        let (b, ln_x) = bin_of(x);
        self.obs_count[b] += 1;
        self.obs_sum[b] += x;
        if x > self.max {
            self.max = x;
        }
        if x <= 0.0 {
            self.zeros += 1;
            self.early.n += 1;
        } else if b < ONE_SECOND_BIN {
            self.early.add(x, ln_x);
        } else {
            self.main.add(x, ln_x);
        }
    }

    /// Adds a duration `c ≥ 0` right-censored at `c`.
    #[inline]
    pub(crate) fn censor(&mut self, c: f64) {
        if self.cens_count.is_empty() {
            self.cens_count = vec![0; BINS];
            self.cens_sum = vec![0.0; BINS];
        }
        let (b, _) = bin_of(c);
        self.cens_count[b] += 1;
        self.cens_sum[b] += c;
        self.censored += 1;
        self.censored_sum += c;
        if c > self.max {
            self.max = c;
        }
    }

    pub(crate) fn observed(&self) -> u64 {
        self.early.n + self.main.n
    }

    pub(crate) fn censored(&self) -> u64 {
        self.censored
    }

    /// Sum of every duration, observed and censored (the exposure).
    pub(crate) fn total_time(&self) -> f64 {
        self.early.sum + self.main.sum + self.censored_sum
    }

    /// Sum of the observed durations.
    pub(crate) fn observed_sum(&self) -> f64 {
        self.early.sum + self.main.sum
    }

    /// The likelihood's view of the data: observed durations below
    /// `left_censor_below` seconds (0 or 1) count as left-censored at 1 s.
    pub(crate) fn sample(&self, left_censor_below_one_second: bool) -> Sample {
        let collect = |count: &Vec<u64>, sum: &Vec<f64>, from: usize| -> Vec<Bin> {
            (from..count.len())
                .filter(|&b| count[b] > 0 && sum[b] > 0.0)
                .map(|b| {
                    let x = sum[b] / count[b] as f64;
                    Bin {
                        ln_x: x.ln(),
                        count: count[b] as f64,
                    }
                })
                .collect()
        };
        let (exact, early, from) = if left_censor_below_one_second {
            (self.main, self.early.n, ONE_SECOND_BIN)
        } else {
            (self.main.merged(self.early), 0, 0)
        };
        Sample {
            exact,
            exact_bins: collect(&self.obs_count, &self.obs_sum, from),
            early: early as f64,
            censored_sum: self.censored_sum,
            censored_bins: collect(&self.cens_count, &self.cens_sum, 0),
        }
    }

    /// Bins in increasing order with (mean observed, observed count, censored count),
    /// for the Kaplan–Meier estimate.
    pub(crate) fn steps(&self) -> impl Iterator<Item = (f64, u64, u64)> + '_ {
        (0..BINS).filter_map(move |b| {
            let d = self.obs_count.get(b).copied().unwrap_or(0);
            let c = self.cens_count.get(b).copied().unwrap_or(0);
            (d + c > 0).then(|| {
                let t = if d > 0 {
                    self.obs_sum[b] / d as f64
                } else {
                    self.cens_sum[b] / c as f64
                };
                (t, d, c)
            })
        })
    }

    /// The `q` quantile (0 < q ≤ 1) of the observed durations, to the bin.
    fn observed_quantile(&self, q: f64) -> f64 {
        let n = self.observed();
        let target = (q * n as f64).ceil() as u64;
        let mut seen = 0;
        for b in 0..self.obs_count.len() {
            seen += self.obs_count[b];
            if seen >= target.max(1) {
                return if b == 0 {
                    X0
                } else if b <= TOP {
                    upper_edge(b)
                } else {
                    self.max
                };
            }
        }
        self.max
    }

    /// A histogram of the observed durations for a chart: equal bins of a
    /// round width (1, 2 or 5 × 10ⁿ s) from 0 to past the 99th percentile
    /// (40 to 100 bins), then one last bin up to the largest duration when
    /// some lie beyond. Fine bins are assigned by their mean.
    pub(crate) fn histogram(&self) -> Histogram {
        let top = self.observed_quantile(0.99).max(1e-3);
        let raw = top / 40.0;
        let power = 10f64.powf(raw.log10().floor());
        let width = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * power)
            .find(|&w| w >= raw)
            .unwrap_or(10.0 * power);
        let bins = ((top / width).ceil() as usize).max(1);
        let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * width).collect();
        let mut counts = vec![0u64; bins];
        let mut beyond = 0;
        for b in 0..self.obs_count.len() {
            let c = self.obs_count[b];
            if c == 0 {
                continue;
            }
            let x = self.obs_sum[b] / c as f64;
            let i = (x / width) as usize;
            if i < bins {
                counts[i] += c;
            } else {
                beyond += c;
            }
        }
        if beyond > 0 {
            edges.push(self.max.max(edges[bins] + width));
            counts.push(beyond);
        }
        Histogram { edges, counts }
    }
}

/// The data a likelihood needs (see [`Durations::sample`]).
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    /// Exact sums of the durations observed exactly.
    exact: Moments,
    /// Their bins.
    exact_bins: Vec<Bin>,
    /// Observed durations below one second, left-censored at 1 s.
    early: f64,
    /// Sum of the censored durations.
    censored_sum: f64,
    /// Their bins (waits of 0 left out: they contribute ln S(0) = 0).
    censored_bins: Vec<Bin>,
}

/// A bin of durations: the log of its mean duration, and its count.
#[derive(Debug, Clone, Copy)]
struct Bin {
    ln_x: f64,
    count: f64,
}

/// ln Φ(−z) = ln P(Z > z), accurate far in the tail.
fn ln_normal_sf(z: f64) -> f64 {
    if z < 5.0 {
        (0.5 * erfc(z / std::f64::consts::SQRT_2)).ln()
    } else {
        // Mills ratio, asymptotic series to four terms.
        let z2 = z * z;
        let series = 1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2);
        -0.5 * z2 - (z * (2.0 * std::f64::consts::PI).sqrt()).ln() + series.ln()
    }
}

impl Family {
    /// Mean and cv from the unconstrained parameters of [`Sample::log_likelihood`].
    pub(crate) fn mean_cv(self, p: &[f64]) -> (f64, f64) {
        match self {
            Family::Exponential => (p[0].exp(), 1.0),
            Family::Lognormal => {
                let s2 = (2.0 * p[1]).exp();
                ((p[0] + s2 / 2.0).exp(), s2.exp_m1().sqrt())
            }
            Family::Gamma => {
                let (scale, shape) = (p[0].exp(), p[1].exp());
                (shape * scale, 1.0 / shape.sqrt())
            }
            Family::Weibull => {
                let (scale, shape) = (p[0].exp(), p[1].exp());
                (
                    scale * ln_gamma(1.0 + 1.0 / shape).exp(),
                    weibull_cv_from_shape(shape),
                )
            }
        }
    }

    fn parameters(self) -> usize {
        if self == Family::Exponential { 1 } else { 2 }
    }
}

impl Sample {
    /// Observed durations counted exactly.
    pub(crate) fn exact_n(&self) -> u64 {
        self.exact.n
    }

    /// Sample variance of ln x of the exact observations (0 when fewer than 2).
    fn ln_variance(&self) -> f64 {
        let n = self.exact.n as f64;
        if n < 2.0 {
            return 0.0;
        }
        let m = self.exact.sum_ln / n;
        (self.exact.sum_ln2 / n - m * m).max(0.0)
    }

    /// The log-likelihood of `family` with unconstrained parameters `p`:
    /// exponential `[ln mean]`; lognormal `[μ, ln σ]`; gamma and Weibull
    /// `[ln scale, ln shape]`.
    pub(crate) fn log_likelihood(&self, family: Family, p: &[f64]) -> f64 {
        let e = &self.exact;
        let n = e.n as f64;
        match family {
            Family::Exponential => {
                let m = p[0].exp();
                let mut ll = -n * p[0] - e.sum / m - self.censored_sum / m;
                if self.early > 0.0 {
                    ll += self.early * (-(-1.0 / m).exp_m1()).ln();
                }
                ll
            }
            Family::Lognormal => {
                let (mu, sigma) = (p[0], p[1].exp());
                let ss = e.sum_ln2 - 2.0 * mu * e.sum_ln + n * mu * mu;
                let mut ll = -e.sum_ln
                    - n * (p[1] + 0.5 * (2.0 * std::f64::consts::PI).ln())
                    - ss / (2.0 * sigma * sigma);
                for b in &self.censored_bins {
                    ll += b.count * ln_normal_sf((b.ln_x - mu) / sigma);
                }
                if self.early > 0.0 {
                    // ln P(X < 1) = ln P(Z > μ/σ).
                    ll += self.early * ln_normal_sf(mu / sigma);
                }
                ll
            }
            Family::Gamma => {
                let (scale, shape) = (p[0].exp(), p[1].exp());
                let mut ll =
                    (shape - 1.0) * e.sum_ln - n * (ln_gamma(shape) + shape * p[0]) - e.sum / scale;
                for b in &self.censored_bins {
                    ll += b.count * gamma_ur(shape, (b.ln_x - p[0]).exp()).ln();
                }
                if self.early > 0.0 {
                    ll += self.early * gamma_lr(shape, 1.0 / scale).ln();
                }
                ll
            }
            Family::Weibull => {
                let (ln_scale, shape) = (p[0], p[1].exp());
                let mut ll = n * (p[1] - shape * ln_scale) + (shape - 1.0) * e.sum_ln;
                for b in self.exact_bins.iter().chain(&self.censored_bins) {
                    ll -= b.count * ((b.ln_x - ln_scale) * shape).exp();
                }
                if self.early > 0.0 {
                    ll += self.early * (-(-(-ln_scale * shape).exp()).exp_m1()).ln();
                }
                ll
            }
        }
    }

    /// Starting parameters from closed forms.
    fn start(&self, family: Family) -> Vec<f64> {
        let n = self.exact.n as f64;
        let observed = n + self.early;
        // Exponential MLE with censoring (early abandons counted at 0.5 s).
        let exposure = self.exact.sum + self.censored_sum + 0.5 * self.early;
        let mean = (exposure / observed.max(1.0)).max(1e-3);
        let ln_var = self.ln_variance();
        match family {
            Family::Exponential => vec![mean.ln()],
            Family::Lognormal => {
                if self.censored_bins.is_empty() && self.early == 0.0 && ln_var > 0.0 {
                    vec![self.exact.sum_ln / n, 0.5 * ln_var.ln()]
                } else {
                    let s2 = if ln_var > 0.0 { ln_var } else { 1.0 };
                    vec![mean.ln() - s2 / 2.0, 0.5 * s2.ln()]
                }
            }
            Family::Gamma => {
                // Moments of the exact observations.
                let m = self.exact.sum / n;
                let shape = if self.censored_bins.is_empty() && ln_var > 0.0 {
                    // Minka's approximation to the MLE of the shape.
                    let s = m.ln() - self.exact.sum_ln / n;
                    if s > 0.0 {
                        (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s)
                    } else {
                        1.0
                    }
                } else {
                    1.0
                };
                vec![(mean / shape).ln(), shape.ln()]
            }
            Family::Weibull => {
                // Shape from the spread of ln x (Var ln X = π²/(6k²)).
                let shape = if ln_var > 0.0 && self.censored_bins.is_empty() {
                    std::f64::consts::PI / (6.0 * ln_var).sqrt()
                } else {
                    1.0
                };
                let scale = mean / ln_gamma(1.0 + 1.0 / shape).exp();
                vec![scale.ln(), shape.ln()]
            }
        }
    }

    /// Maximum-likelihood fit of `family`, or `None` when the data cannot
    /// carry it (too few distinct observations for two parameters, or a
    /// likelihood that does not reach a finite optimum).
    pub(crate) fn fit(&self, family: Family) -> Option<FamilyFit> {
        if family.parameters() == 2 && (self.exact.n < 2 || self.ln_variance() <= 1e-12) {
            return None;
        }
        let mut p = self.start(family);
        if family.parameters() == 2 {
            for _ in 0..2 {
                p = self.nelder_mead(family, p)?;
            }
        } else {
            p = self.maximise_1d(family, p[0])?;
        }
        self.fit_at(family, p)
    }

    /// A [`FamilyFit`] at given parameters (the MLE, or a closed form).
    pub(crate) fn fit_at(&self, family: Family, p: Vec<f64>) -> Option<FamilyFit> {
        let ll = self.log_likelihood(family, &p);
        if !ll.is_finite() {
            return None;
        }
        let (mean, cv) = family.mean_cv(&p);
        let (mean_ci, cv_ci) = self.delta_method(family, &p, mean, cv)?;
        let k = family.parameters() as f64;
        Some(FamilyFit {
            candidate: Candidate {
                family,
                mean,
                cv,
                log_likelihood: ll,
                aic: 2.0 * k - 2.0 * ll,
            },
            mean: mean_ci,
            cv: cv_ci,
            params: p,
        })
    }

    fn nelder_mead(&self, family: Family, start: Vec<f64>) -> Option<Vec<f64>> {
        let simplex = vec![
            start.clone(),
            vec![start[0] + 0.2, start[1]],
            vec![start[0], start[1] + 0.2],
        ];
        let problem = NegativeLogLikelihood {
            sample: self,
            family,
        };
        // Stop when the simplex's log-likelihoods agree to 10⁻¹² of their
        // size (10⁻⁵ for a million records): far below the AIC's resolution.
        let scale = problem.cost(&start).ok()?.abs();
        let scale = if scale.is_finite() {
            scale.max(1.0)
        } else {
            1.0
        };
        let solver = NelderMead::new(simplex)
            .with_sd_tolerance(1e-12 * scale)
            .ok()?;
        let result = Executor::new(problem, solver)
            .configure(|state| state.max_iters(2000))
            .run()
            .ok()?;
        let best = result.state.best_param?;
        best.iter().all(|v| v.is_finite()).then_some(best)
    }

    /// Golden-section search of the one-parameter likelihood on ln mean,
    /// within ±5 of the start (a factor e⁵ either way).
    fn maximise_1d(&self, family: Family, start: f64) -> Option<Vec<f64>> {
        let problem = NegativeLogLikelihood {
            sample: self,
            family,
        };
        let solver =
            argmin::solver::goldensectionsearch::GoldenSectionSearch::new(start - 5.0, start + 5.0)
                .ok()?
                .with_tolerance(1e-12)
                .ok()?;
        let result = Executor::new(OneDimensional(problem), solver)
            .configure(|state| state.param(start).max_iters(500))
            .run()
            .ok()?;
        let best = result.state.best_param?;
        best.is_finite().then(|| vec![best])
    }

    /// 95% CIs of mean and cv: observed information (numerical Hessian of
    /// the log-likelihood in the unconstrained parameters) and the delta
    /// method on ln mean and ln cv.
    // Indices read as the matrix algebra they implement.
    #[allow(clippy::needless_range_loop)]
    fn delta_method(
        &self,
        family: Family,
        p: &[f64],
        mean: f64,
        cv: f64,
    ) -> Option<(Fitted, Fitted)> {
        let h = 1e-4;
        let ll = |q: &[f64]| self.log_likelihood(family, q);
        let g = |q: &[f64]| {
            let (m, c) = family.mean_cv(q);
            [m.ln(), c.ln()]
        };
        let k = p.len();
        // Information matrix = −Hessian.
        let mut info = [[0.0; 2]; 2];
        let at = |di: usize, si: f64, dj: usize, sj: f64| {
            let mut q = p.to_vec();
            q[di] += si * h;
            q[dj] += sj * h;
            ll(&q)
        };
        let centre = ll(p);
        for i in 0..k {
            for j in i..k {
                let v = if i == j {
                    -(at(i, 1.0, i, 1.0) - 2.0 * centre + at(i, -1.0, i, -1.0)) / (4.0 * h * h)
                } else {
                    -(at(i, 1.0, j, 1.0) - at(i, 1.0, j, -1.0) - at(i, -1.0, j, 1.0)
                        + at(i, -1.0, j, -1.0))
                        / (4.0 * h * h)
                };
                info[i][j] = v;
                info[j][i] = v;
            }
        }
        // (at(i, +1, i, +1) moves 2h: the second difference over 2h steps.)
        let cov = if k == 1 {
            if info[0][0] <= 0.0 {
                return None;
            }
            [[1.0 / info[0][0], 0.0], [0.0, 0.0]]
        } else {
            let det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
            if !(det > 0.0 && info[0][0] > 0.0) {
                return None;
            }
            [
                [info[1][1] / det, -info[0][1] / det],
                [-info[1][0] / det, info[0][0] / det],
            ]
        };
        // Gradients of (ln mean, ln cv).
        let mut grad = [[0.0; 2]; 2];
        for j in 0..k {
            let mut up = p.to_vec();
            let mut down = p.to_vec();
            up[j] += h;
            down[j] -= h;
            let (gu, gd) = (g(&up), g(&down));
            for i in 0..2 {
                grad[i][j] = (gu[i] - gd[i]) / (2.0 * h);
            }
        }
        let se = |i: usize| {
            let mut v = 0.0;
            for a in 0..k {
                for b in 0..k {
                    v += grad[i][a] * cov[a][b] * grad[i][b];
                }
            }
            v.max(0.0).sqrt()
        };
        let interval = |value: f64, se: f64| Fitted {
            value,
            low: value * (-Z975 * se).exp(),
            high: value * (Z975 * se).exp(),
        };
        let (se_mean, se_cv) = (se(0), se(1));
        if !(se_mean.is_finite() && se_cv.is_finite()) {
            return None;
        }
        Some((interval(mean, se_mean), interval(cv, se_cv)))
    }
}

/// The fit of one family.
#[derive(Debug, Clone)]
pub(crate) struct FamilyFit {
    pub candidate: Candidate,
    pub mean: Fitted,
    pub cv: Fitted,
    #[allow(dead_code)]
    pub params: Vec<f64>,
}

/// Fits every family of `families` that the data carries, best AIC first.
pub(crate) fn fit_families(sample: &Sample, families: &[Family]) -> Vec<FamilyFit> {
    let mut fits: Vec<FamilyFit> = families.iter().filter_map(|&f| sample.fit(f)).collect();
    sort_by_aic(&mut fits);
    fits
}

pub(crate) fn sort_by_aic(fits: &mut [FamilyFit]) {
    fits.sort_by(|a, b| a.candidate.aic.total_cmp(&b.candidate.aic));
}

struct NegativeLogLikelihood<'a> {
    sample: &'a Sample,
    family: Family,
}

impl CostFunction for NegativeLogLikelihood<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        let v = -self.sample.log_likelihood(self.family, p);
        Ok(if v.is_nan() { f64::INFINITY } else { v })
    }
}

struct OneDimensional<'a>(NegativeLogLikelihood<'a>);

impl CostFunction for OneDimensional<'_> {
    type Param = f64;
    type Output = f64;

    fn cost(&self, p: &f64) -> Result<f64, argmin::core::Error> {
        self.0.cost(&vec![*p])
    }
}

/// The `p` quantile of the standard gamma law with `shape` (> 0), from
/// statrs; for shapes above 10⁴ (where statrs' generic search loses
/// precision) the Wilson–Hilferty cube-root normal approximation, whose
/// relative error there is below 10⁻⁶.
pub(crate) fn gamma_quantile(shape: f64, p: f64) -> f64 {
    if shape > 1e4 {
        let z = statrs::distribution::Normal::standard().inverse_cdf(p);
        let c = 1.0 / (9.0 * shape);
        return shape * (1.0 - c + z * c.sqrt()).powi(3);
    }
    GammaLaw::new(shape, 1.0).map_or(f64::NAN, |g| g.inverse_cdf(p))
}

/// Exact 95% confidence interval of a Poisson mean from a count `d`
/// (Garwood): [χ²(2d; 0.025)/2, χ²(2d + 2; 0.975)/2].
pub(crate) fn poisson_interval(d: u64) -> (f64, f64) {
    let low = if d == 0 {
        0.0
    } else {
        gamma_quantile(d as f64, 0.025)
    };
    (low, gamma_quantile(d as f64 + 1.0, 0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_placed_by_their_edges() {
        assert_eq!(bin_of(0.0).0, 0);
        assert_eq!(bin_of(0.009).0, 0);
        assert_eq!(bin_of(0.01).0, 1);
        assert_eq!(bin_of(0.999_999).0, ONE_SECOND_BIN - 1);
        assert_eq!(bin_of(1.0).0, ONE_SECOND_BIN);
        assert_eq!(bin_of(1e9).0, BINS - 1);
        for b in 2..=TOP {
            let e = upper_edge(b - 1);
            assert_eq!(bin_of(e).0, b, "edge {e}");
            assert_eq!(bin_of(e * (1.0 - 1e-12)).0, b - 1, "below edge {e}");
        }
    }

    #[test]
    fn gamma_quantiles_invert_the_cdf() {
        use statrs::function::gamma::gamma_lr;
        for shape in [1.0, 3.0, 30.0, 1000.0, 9999.0, 2e4, 1e6] {
            for p in [0.025, 0.975] {
                let q = gamma_quantile(shape, p);
                let back = gamma_lr(shape, q);
                assert!(
                    (back - p).abs() < 1e-6,
                    "shape {shape} p {p}: {q} -> {back}"
                );
            }
        }
    }
}
