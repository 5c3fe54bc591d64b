//! Analytic queueing models used to cross-check and seed the simulator:
//! Erlang B (M/M/n/n), Erlang C (M/M/n) and Erlang A (M/M/n+M).
//!
//! Notation: arrival rate `λ`, mean handle time `1/μ`, offered load
//! `a = λ/μ` Erlang, `n` agents, exponential patience with rate `θ`
//! (mean patience `1/θ`), service-level threshold `T` seconds.
//!
//! # Erlang B
//! Blocking probability of the loss system M/M/n/n, computed with the
//! recursion `B(0) = 1`, `B(k) = a·B(k-1) / (k + a·B(k-1))`. Every step is a
//! ratio of quantities of the same magnitude, so it neither overflows nor
//! needs factorials for thousands of agents; it only underflows to 0 when the
//! true value is below ~1e-308.
//!
//! # Erlang C
//! M/M/n with an infinitely patient queue, stable only while `a < n`.
//! `C = n·B / (n - a·(1 - B))` is the probability that an arrival waits, and
//! the wait of an arrival satisfies `P(W > t) = C·exp(-(nμ - λ)·t)`, giving
//! `SL = 1 - C·exp(-(nμ - λ)·T)` and `ASA = C / (nμ - λ)` (textbook results,
//! e.g. Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*;
//! Kleinrock, *Queueing Systems* vol. 1, on M/M/m).
//!
//! # Erlang A
//! M/M/n+M (Palm's model): a birth–death chain with birth rate `λ` and death
//! rate `min(k, n)·μ + max(k - n, 0)·θ`, stable for every load when `θ > 0`.
//! By PASTA an arrival sees the stationary distribution `p_k`; it waits when
//! `k ≥ n`. Abandonments happen at rate `θ·E[Q]`, so `P(abandon) = θ·E[Q]/λ`
//! and, by Little, the mean wait over all arrivals is `E[Q]/λ = P(abandon)/θ`.
//!
//! Service level and ASA need the wait of a tagged arrival. An arrival that
//! finds `j` others queued advances through stages with `i = j, …, 0` contacts
//! ahead; the head moves at rate `nμ + iθ` while its own patience runs out at
//! rate `θ`. Its *offered wait* `V` (time to reach an agent if it never gave
//! up) is therefore hypoexponential with rates `nμ + iθ`. Mixing these
//! hypoexponentials over the PASTA weights `p_{n+j}` gives the closed-form
//! density of Baccelli & Hébuterne (1981), restated for exponential patience
//! by Mandelbaum & Zeltyn (2007):
//!
//! `f_V(x) = nμ·p_n·exp(g(x))`, `g(x) = λ(1 - e^{-θx})/θ - nμ·x`, `x > 0`,
//!
//! with `P(V = 0) = P(no wait)`. (Integrating term by term with the beta
//! integral reproduces `Σ_j p_{n+j}/p_n = Σ_j Π_{i=1..j} λ/(nμ + iθ)`.) A
//! contact is served iff its patience exceeds `V`, so with `E(x) = 1 - e^{-θx}`:
//! `P(abandon) = ∫ f_V·E`, `SL = P(V = 0) + ∫_0^T f_V·e^{-θx}`,
//! `ASA = ∫ x·f_V·e^{-θx} / P(served)`, `mean wait = P(abandon)/θ`.
//!
//! Numerical method: replacing the infinite state sum by this integral makes
//! the cost independent of `n`, of the load and of the patience (a sum over
//! queue lengths needs ~`(λ - nμ)/θ` terms, billions for very patient
//! customers). `g` is strictly concave with its maximum at
//! `x* = ln(λ/(nμ))/θ` (or 0 when `λ ≤ nμ`), and `g(x* + h) - g(x*)` has the
//! cancellation-free form `-(nμ - A)·h - A·h·q(θh)` with `A = min(λ, nμ)` and
//! `q(u) = (u - 1 + e^{-u})/u`. Everything is scaled by `exp(g(x*))` and done
//! in log space; the integrals run over the range where `g` is within
//! `50 + ln(λ/nμ)` of its maximum (the rest is below 1e-21 relative), split at
//! the mode and at `T`, with adaptive 15-point Gauss–Kronrod quadrature to a
//! relative tolerance of 1e-12. The weight below state `n` comes from Erlang B:
//! `Σ_{k<n} p_k / p_n = (1 - B)/B`. The state-sum and tagged-customer
//! (uniformisation) computations are kept as independent checks in the tests.
//!
//! References: A. K. Erlang (1917); O. Garnett, A. Mandelbaum & M. Reiman,
//! "Designing a call center with impatient customers", *MSOM* 4(3), 2002;
//! A. Mandelbaum & S. Zeltyn, "Service engineering in action: the Palm/Erlang-A
//! queue, with applications to call centers", in *Advances in Services
//! Innovations*, Springer, 2007; F. Baccelli & G. Hébuterne, "On queues with
//! impatient customers", *Performance '81*, 1981.

use std::fmt;

/// Input of the analytic models. Rates per second, times in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Mean arrival rate λ, contacts per second.
    pub arrival_rate: f64,
    /// Mean handle time 1/μ, seconds.
    pub mean_handle_time: f64,
    /// Number of agents n.
    pub agents: u32,
}

impl Load {
    /// Offered load a = λ/μ in Erlang.
    pub fn offered_erlangs(&self) -> f64 {
        self.arrival_rate * self.mean_handle_time
    }

    /// Offered load per agent a/n; above 1 means overload (infinite for 0 agents).
    pub fn utilisation(&self) -> f64 {
        self.offered_erlangs() / f64::from(self.agents)
    }
}

/// Why an analytic model could not be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum ErlangError {
    /// An input is out of range; the message names the parameter.
    InvalidInput(String),
    /// Offered load reaches the number of agents in a model without abandonment.
    Unstable {
        /// Offered load a in Erlang.
        offered_erlangs: f64,
        /// Number of agents n (at most a).
        agents: u32,
    },
}

impl fmt::Display for ErlangError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErlangError::InvalidInput(msg) => write!(f, "invalid input: {msg}"),
            ErlangError::Unstable {
                offered_erlangs,
                agents,
            } => write!(
                f,
                "unstable queue: offered load {offered_erlangs} Erlang needs more than \
                 {agents} agents when nobody abandons"
            ),
        }
    }
}

impl std::error::Error for ErlangError {}

/// Steady-state figures of a queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueFigures {
    /// Probability an arrival has to wait (all agents busy on arrival).
    pub p_wait: f64,
    /// Probability an arrival abandons (0 for Erlang C).
    pub p_abandon: f64,
    /// P(answered and wait ≤ threshold): contacts answered within T over contacts offered.
    pub service_level: f64,
    /// Mean wait of answered contacts, seconds.
    pub asa: f64,
    /// Mean wait over all arrivals (answered and abandoned), seconds.
    pub mean_wait: f64,
    /// Answered over offered, 1 - p_abandon.
    pub reachability: f64,
    /// Mean busy agents over agents.
    pub occupancy: f64,
}

/// Erlang B blocking probability M/M/n/n (NaN for a negative or non-finite load).
pub fn erlang_b(offered_erlangs: f64, agents: u32) -> f64 {
    if !(offered_erlangs.is_finite() && offered_erlangs >= 0.0) {
        return f64::NAN;
    }
    let mut b = 1.0;
    for k in 1..=agents {
        b = erlang_b_step(offered_erlangs, b, k);
        if b == 0.0 {
            // The recursion maps 0 to 0; stop early for huge agent counts.
            break;
        }
    }
    b
}

/// Erlang C probability of waiting M/M/n (returns 1.0 when offered >= agents).
pub fn erlang_c(offered_erlangs: f64, agents: u32) -> f64 {
    if !(offered_erlangs.is_finite() && offered_erlangs >= 0.0) {
        return f64::NAN;
    }
    let n = f64::from(agents);
    if offered_erlangs >= n {
        return 1.0;
    }
    erlang_c_from_b(offered_erlangs, agents, erlang_b(offered_erlangs, agents))
}

/// Erlang C (M/M/n, no abandonment); returns Err if load >= agents (unstable).
pub fn erlang_c_figures(load: Load, sl_threshold: f64) -> Result<QueueFigures, ErlangError> {
    let a = check_load(&load)?;
    check_threshold(sl_threshold)?;
    if a >= f64::from(load.agents) {
        return Err(ErlangError::Unstable {
            offered_erlangs: a,
            agents: load.agents,
        });
    }
    let b = erlang_b(a, load.agents);
    Ok(erlang_c_figures_from_b(&load, a, b, sl_threshold))
}

/// Erlang A (M/M/n+M, exponential patience with mean `mean_patience` seconds); stable for any load.
///
/// An infinite `mean_patience` falls back to Erlang C (and its stability condition).
pub fn erlang_a_figures(
    load: Load,
    mean_patience: f64,
    sl_threshold: f64,
) -> Result<QueueFigures, ErlangError> {
    let a = check_load(&load)?;
    check_patience(mean_patience)?;
    check_threshold(sl_threshold)?;
    if mean_patience.is_infinite() {
        return erlang_c_figures(load, sl_threshold);
    }
    let b = erlang_b(a, load.agents);
    Ok(erlang_a_figures_from_b(
        &load,
        a,
        b,
        1.0 / mean_patience,
        sl_threshold,
    ))
}

/// Fewest agents whose Erlang C service level reaches `target` (None if > max_agents or inputs invalid).
pub fn agents_for_service_level_c(
    arrival_rate: f64,
    mean_handle_time: f64,
    sl_threshold: f64,
    target: f64,
    max_agents: u32,
) -> Option<u32> {
    let probe = Load {
        arrival_rate,
        mean_handle_time,
        agents: 1,
    };
    let a = check_load(&probe).ok()?;
    check_threshold(sl_threshold).ok()?;
    // SL never exceeds 1, so such a target would only burn the whole scan.
    if target.is_nan() || target > 1.0 {
        return None;
    }
    let mut b = 1.0;
    for n in 1..=max_agents {
        // Carrying B from n-1 makes the scan O(max_agents) instead of quadratic.
        b = erlang_b_step(a, b, n);
        if a >= f64::from(n) {
            continue;
        }
        let load = Load { agents: n, ..probe };
        if erlang_c_figures_from_b(&load, a, b, sl_threshold).service_level >= target {
            return Some(n);
        }
    }
    None
}

/// Fewest agents whose Erlang A figures satisfy a predicate, e.g. reachability >= 0.9 (None if > max_agents or inputs invalid).
///
/// Every agent count from 1 up is tried, so the predicate need not be monotone.
pub fn agents_for_erlang_a(
    arrival_rate: f64,
    mean_handle_time: f64,
    mean_patience: f64,
    sl_threshold: f64,
    max_agents: u32,
    ok: impl Fn(&QueueFigures) -> bool,
) -> Option<u32> {
    let probe = Load {
        arrival_rate,
        mean_handle_time,
        agents: 1,
    };
    let a = check_load(&probe).ok()?;
    check_patience(mean_patience).ok()?;
    check_threshold(sl_threshold).ok()?;
    let mut b = 1.0;
    for n in 1..=max_agents {
        b = erlang_b_step(a, b, n);
        let load = Load { agents: n, ..probe };
        let figures = if mean_patience.is_infinite() {
            if a >= f64::from(n) {
                continue;
            }
            erlang_c_figures_from_b(&load, a, b, sl_threshold)
        } else {
            erlang_a_figures_from_b(&load, a, b, 1.0 / mean_patience, sl_threshold)
        };
        if ok(&figures) {
            return Some(n);
        }
    }
    None
}

fn erlang_b_step(a: f64, b_prev: f64, k: u32) -> f64 {
    let ab = a * b_prev;
    ab / (f64::from(k) + ab)
}

fn erlang_c_from_b(a: f64, agents: u32, b: f64) -> f64 {
    let n = f64::from(agents);
    (n * b / (n - a * (1.0 - b))).min(1.0)
}

fn invalid(msg: String) -> ErlangError {
    ErlangError::InvalidInput(msg)
}

/// Validates a load and returns its offered Erlang.
fn check_load(load: &Load) -> Result<f64, ErlangError> {
    let rate = load.arrival_rate;
    if !(rate.is_finite() && rate >= 0.0) {
        return Err(invalid(format!(
            "arrival_rate must be a finite, non-negative number of contacts per second, got {rate}"
        )));
    }
    let handle = load.mean_handle_time;
    if !(handle.is_finite() && handle > 0.0) {
        return Err(invalid(format!(
            "mean_handle_time must be a positive number of seconds, got {handle}"
        )));
    }
    if load.agents == 0 {
        return Err(invalid("agents must be at least 1, got 0".to_string()));
    }
    let a = load.offered_erlangs();
    if !a.is_finite() {
        return Err(invalid(format!(
            "arrival_rate * mean_handle_time overflows ({rate} * {handle})"
        )));
    }
    Ok(a)
}

fn check_patience(mean_patience: f64) -> Result<(), ErlangError> {
    // `> 0.0` is false for NaN; infinity is allowed and means "never abandons".
    if mean_patience > 0.0 {
        Ok(())
    } else {
        Err(invalid(format!(
            "mean_patience must be a positive number of seconds (or infinity), got {mean_patience}"
        )))
    }
}

fn check_threshold(sl_threshold: f64) -> Result<(), ErlangError> {
    if sl_threshold.is_finite() && sl_threshold >= 0.0 {
        Ok(())
    } else {
        Err(invalid(format!(
            "sl_threshold must be a finite, non-negative number of seconds, got {sl_threshold}"
        )))
    }
}

/// Erlang C figures for a validated, stable load whose Erlang B value is `b`.
fn erlang_c_figures_from_b(load: &Load, a: f64, b: f64, sl_threshold: f64) -> QueueFigures {
    let n = f64::from(load.agents);
    let c = erlang_c_from_b(a, load.agents, b);
    // nμ - λ as (n - a)/h: one rounding instead of a cancellation near a = n.
    let drain = (n - a) / load.mean_handle_time;
    let asa = c / drain;
    QueueFigures {
        p_wait: c,
        p_abandon: 0.0,
        service_level: 1.0 - c * (-drain * sl_threshold).exp(),
        asa,
        mean_wait: asa,
        reachability: 1.0,
        occupancy: a / n,
    }
}

/// Erlang A figures for a validated load with patience rate `theta` (finite, > 0).
fn erlang_a_figures_from_b(
    load: &Load,
    a: f64,
    b: f64,
    theta: f64,
    sl_threshold: f64,
) -> QueueFigures {
    let n = f64::from(load.agents);
    if load.arrival_rate == 0.0 || b == 0.0 {
        // Either nobody comes or the chance that all agents are busy is below
        // the smallest double; every queue figure is then 0 to machine precision.
        return QueueFigures {
            p_wait: 0.0,
            p_abandon: 0.0,
            service_level: 1.0,
            asa: 0.0,
            mean_wait: 0.0,
            reachability: 1.0,
            occupancy: a / n,
        };
    }
    let g = WaitExponent::new(load, a, theta);
    let w = g.integrals(sl_threshold);

    // P(wait)/p_n = nμ ∫ e^g and P(no wait)/p_n = (1 - B)/B; their ratio in logs
    // survives both B ≈ 1e-300 and ∫ e^g ≈ e^{1e8}.
    let ln_queue_weight = g.nu.ln() + g.peak_exponent() + w.mass.ln();
    let ln_odds_no_wait = (-b).ln_1p() - b.ln() - ln_queue_weight;
    let p_wait = 1.0 / (1.0 + ln_odds_no_wait.exp());
    let p_no_wait = 1.0 / (1.0 + (-ln_odds_no_wait).exp());

    let p_abandon = (p_wait * w.abandon / w.mass).clamp(0.0, 1.0);
    let reachability = 1.0 - p_abandon;
    let service_level = (p_no_wait + p_wait * w.served_in_time / w.mass).clamp(0.0, reachability);
    let asa = if reachability > 0.0 {
        p_wait * (w.served_wait / w.mass) / theta / reachability
    } else {
        0.0
    };
    QueueFigures {
        p_wait,
        p_abandon,
        service_level,
        asa,
        // Little + abandonment rate θ·E[Q] = λ·P(abandon).
        mean_wait: p_wait * (w.abandon / w.mass) / theta,
        reachability,
        occupancy: (a / n * reachability).min(1.0),
    }
}

/// The exponent g(x) of the Erlang A density of the virtual wait x of a
/// waiting contact (up to the factor p_n), taken around its mode x* and in
/// the offset h = x - x* so that no step cancels.
struct WaitExponent {
    /// The patience rate θ.
    theta: f64,
    /// The service rate of all agents, nμ.
    nu: f64,
    /// ln(a/n) when overloaded (θx* = ln(a/n)), else 0.
    ln_ratio: f64,
    /// (n - a)/h below capacity, else 0.
    slack: f64,
    /// The rate the exponent falls at past the mode: nμ when overloaded, else λ.
    peak_rate: f64,
    /// The mode x*.
    x_mode: f64,
}

/// The integrals of the wait density (relative to its value at the mode)
/// from which every Erlang A figure follows.
struct WaitIntegrals {
    /// ∫ e^{g}: the weight of waiting.
    mass: f64,
    /// ∫ e^{g}·(1 - e^{-θx}): the weight of those who abandon.
    abandon: f64,
    /// ∫ e^{g}·θx·e^{-θx}: the served contacts' waits, times θ.
    served_wait: f64,
    /// ∫ e^{g}·e^{-θx} over x up to the service-level threshold.
    served_in_time: f64,
}

impl WaitExponent {
    /// The exponent of a load of offered load `a` with patience rate `theta`.
    fn new(load: &Load, a: f64, theta: f64) -> WaitExponent {
        let n = f64::from(load.agents);
        let nu = n / load.mean_handle_time;
        // The mode x* of g sits where λ·e^{-θx} = nμ, i.e. θx* = ln(a/n), when overloaded.
        let (ln_ratio, slack, peak_rate) = if a > n {
            ((a / n).ln(), 0.0, nu)
        } else {
            (0.0, (n - a) / load.mean_handle_time, load.arrival_rate)
        };
        WaitExponent {
            theta,
            nu,
            ln_ratio,
            slack,
            peak_rate,
            x_mode: ln_ratio / theta,
        }
    }

    /// g(x* + h) - g(x*), free of cancellation for tiny θh and huge x*.
    fn rel_exponent(&self, h: f64) -> f64 {
        -self.slack * h - self.peak_rate * h * q(self.theta * h)
    }

    /// g(x*) = nμ·(e^u - 1 - u)/θ with u = ln(a/n); zero below capacity.
    fn peak_exponent(&self) -> f64 {
        if self.ln_ratio > 0.0 {
            -self.nu * self.x_mode * q(-self.ln_ratio)
        } else {
            0.0
        }
    }

    /// θx computed as ln(a/n) + θh keeps full precision even when x* ≫ h.
    fn theta_x(&self, h: f64) -> f64 {
        self.ln_ratio + self.theta * h
    }

    /// The offsets (below and above the mode) beyond which the density is
    /// negligible.
    fn edges(&self) -> (f64, f64) {
        // Served weights e^{-θx} reach a/n times their value at the mode, so the
        // cut-off grows by ln(a/n) to keep the neglected mass below e^-50.
        let cutoff = 50.0 + self.ln_ratio;
        let start = cutoff / (self.nu * 1024.0);
        let h_hi = find_edge(|h| self.rel_exponent(h), f64::INFINITY, cutoff, start);
        let h_lo = if self.x_mode > 0.0 {
            -find_edge(|s| self.rel_exponent(-s), self.x_mode, cutoff, start)
        } else {
            0.0
        };
        (h_lo, h_hi)
    }

    /// The integrals of the density, split at the mode; waits are integrated
    /// as θx (dimensionless) and divided by θ at the end, so a patience of
    /// 1e300 s cannot overflow the quadrature sums.
    fn integrals(&self, sl_threshold: f64) -> WaitIntegrals {
        let (h_lo, h_hi) = self.edges();
        let integrand = |h: f64| {
            let density = self.rel_exponent(h).exp();
            let u = self.theta_x(h);
            let stays = (-u).exp();
            [density, density * -(-u).exp_m1(), density * u * stays]
        };
        let [mass, abandon, served_wait] = add(
            integrate(integrand, h_lo, 0.0),
            integrate(integrand, 0.0, h_hi),
        );

        let served_within = |h: f64| [self.rel_exponent(h).exp() * (-self.theta_x(h)).exp()];
        let h_cut = sl_threshold - self.x_mode;
        let [served_in_time] = add(
            integrate(served_within, h_lo, h_cut.min(0.0)),
            integrate(served_within, 0.0, h_cut.min(h_hi)),
        );
        WaitIntegrals {
            mass,
            abandon,
            served_wait,
            served_in_time,
        }
    }
}

/// q(u) = (u - 1 + e^{-u}) / u, with a series near 0 where the numerator cancels.
fn q(u: f64) -> f64 {
    if u.abs() < 0.1 {
        // Σ_{k≥2} (-1)^k u^{k-1}/k!; terms past k = 12 are below 1e-20 relative.
        let mut term = 0.5 * u;
        let mut sum = term;
        for k in 3..=12 {
            term *= -u / f64::from(k);
            sum += term;
        }
        sum
    } else {
        (u + (-u).exp_m1()) / u
    }
}

/// Distance s in (0, limit] from the mode at which the decreasing `f` first drops to `-cutoff`.
fn find_edge(f: impl Fn(f64) -> f64, limit: f64, cutoff: f64, start: f64) -> f64 {
    let mut lo = 0.0;
    let mut hi = start.min(limit);
    // Doubling is bounded: f falls at least linearly, so ~1100 steps reach f64::MAX.
    for _ in 0..2100 {
        if f(hi) <= -cutoff {
            break;
        }
        if hi >= limit {
            return limit;
        }
        lo = hi;
        hi = (2.0 * hi).min(limit);
    }
    // Only a rough edge is needed: more range just costs a few more panels.
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if f(mid) > -cutoff {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

fn add<const M: usize>(x: [f64; M], y: [f64; M]) -> [f64; M] {
    std::array::from_fn(|i| x[i] + y[i])
}

/// Gauss–Kronrod 15-point abscissae on [-1, 1] (non-negative half).
const GK_NODES: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights matching `GK_NODES`.
const GK_WEIGHTS: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
/// Gauss 7-point weights for the odd-indexed `GK_NODES` and the centre.
const GAUSS_WEIGHTS: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// One panel: (Kronrod estimate, |Kronrod - Gauss| error estimate) per component.
fn gauss_kronrod<const M: usize>(
    f: &impl Fn(f64) -> [f64; M],
    a: f64,
    b: f64,
) -> ([f64; M], [f64; M]) {
    let centre = 0.5 * (a + b);
    let half = 0.5 * (b - a);
    let mid = f(centre);
    let mut kronrod = mid.map(|v| GK_WEIGHTS[7] * v);
    let mut gauss = mid.map(|v| GAUSS_WEIGHTS[3] * v);
    for i in 0..7 {
        let dx = half * GK_NODES[i];
        let (left, right) = (f(centre - dx), f(centre + dx));
        for m in 0..M {
            let pair = left[m] + right[m];
            kronrod[m] += GK_WEIGHTS[i] * pair;
            // The Gauss nodes are every other Kronrod node.
            if i % 2 == 1 {
                gauss[m] += GAUSS_WEIGHTS[i / 2] * pair;
            }
        }
    }
    let value = kronrod.map(|k| k * half);
    let error = std::array::from_fn(|m| ((kronrod[m] - gauss[m]) * half).abs());
    (value, error)
}

/// Adaptive Gauss–Kronrod quadrature of a vector integrand over [a, b] (0 when b <= a).
///
/// Global strategy: always split the panel with the largest relative error
/// until every component meets `REL_TOL`, so narrow peaks get resolved
/// wherever they are.
fn integrate<const M: usize>(f: impl Fn(f64) -> [f64; M], a: f64, b: f64) -> [f64; M] {
    const REL_TOL: f64 = 1e-12;
    const MAX_PANELS: usize = 2000;
    if a.is_nan() || b.is_nan() || b <= a {
        return [0.0; M];
    }
    let first = gauss_kronrod(&f, a, b);
    let mut panels = vec![(a, b, first.0, first.1)];
    loop {
        let mut total = [0.0; M];
        let mut error = [0.0; M];
        for p in &panels {
            for m in 0..M {
                total[m] += p.2[m];
                error[m] += p.3[m];
            }
        }
        let done = (0..M).all(|m| error[m] <= REL_TOL * total[m].abs());
        if done || panels.len() >= MAX_PANELS {
            return total;
        }
        // Pick the panel contributing most to the worst component's relative error.
        let badness = |p: &(f64, f64, [f64; M], [f64; M])| {
            (0..M)
                .map(|m| p.3[m] / total[m].abs().max(f64::MIN_POSITIVE))
                .fold(0.0, f64::max)
        };
        let (worst, _) = panels
            .iter()
            .enumerate()
            .map(|(i, p)| (i, badness(p)))
            .fold((0, -1.0), |acc, x| if x.1 > acc.1 { x } else { acc });
        let (lo, hi, _, _) = panels.swap_remove(worst);
        let mid = 0.5 * (lo + hi);
        if !(mid > lo && mid < hi) {
            // Panel is down to adjacent doubles; keep it with no further error claim.
            let (v, _) = gauss_kronrod(&f, lo, hi);
            panels.push((lo, hi, v, [0.0; M]));
            continue;
        }
        let left = gauss_kronrod(&f, lo, mid);
        let right = gauss_kronrod(&f, mid, hi);
        panels.push((lo, mid, left.0, left.1));
        panels.push((mid, hi, right.0, right.1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, tol: f64, what: &str) {
        assert!(
            (got - want).abs() <= tol * want.abs().max(1.0),
            "{what}: got {got}, want {want} (tol {tol})"
        );
    }

    fn load(arrival_rate: f64, mean_handle_time: f64, agents: u32) -> Load {
        Load {
            arrival_rate,
            mean_handle_time,
            agents,
        }
    }

    /// ln(Σ exp(x)) without overflow.
    fn log_sum_exp(xs: &[f64]) -> f64 {
        let max = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        max + xs.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
    }

    /// Erlang B straight from its definition, with ln k! accumulated term by term.
    fn brute_erlang_b(a: f64, n: u32) -> f64 {
        let mut ln_terms = Vec::new();
        let mut ln_fact = 0.0;
        for k in 0..=n {
            if k > 0 {
                ln_fact += f64::from(k).ln();
            }
            ln_terms.push(f64::from(k) * a.ln() - ln_fact);
        }
        (ln_terms[n as usize] - log_sum_exp(&ln_terms)).exp()
    }

    /// Erlang C from the M/M/n state probabilities, summing the queue tail term by term.
    fn brute_erlang_c(a: f64, n: u32) -> f64 {
        let mut terms = vec![1.0_f64];
        let mut k = 0;
        loop {
            k += 1;
            let down = f64::from(k.min(n));
            let next = terms.last().unwrap() * a / down;
            terms.push(next);
            if k > n && next < 1e-18 * terms.iter().sum::<f64>() {
                break;
            }
        }
        let total: f64 = terms.iter().sum();
        terms[n as usize..].iter().sum::<f64>() / total
    }

    /// Stationary distribution of the truncated M/M/n+M chain, built in log space.
    fn brute_chain(lambda: f64, mu: f64, theta: f64, n: usize) -> Vec<f64> {
        let mut ln_p = vec![0.0_f64];
        let mut peak = 0.0_f64;
        for k in 1_usize.. {
            let down = k.min(n) as f64 * mu + k.saturating_sub(n) as f64 * theta;
            let next = ln_p[k - 1] + (lambda / down).ln();
            ln_p.push(next);
            peak = peak.max(next);
            if k > n && lambda < down && next < peak - 45.0 {
                break;
            }
            assert!(k < 2_000_000, "chain did not converge");
        }
        let norm = log_sum_exp(&ln_p);
        ln_p.iter().map(|x| (x - norm).exp()).collect()
    }

    /// Independent Erlang A figures: truncated chain sums, a first-step recursion for
    /// the tagged customer's answered wait, and uniformisation of the tagged
    /// customer's chain (i ahead → i-1 at nμ + iθ, → abandoned at θ) for SL.
    fn oracle_a(lambda: f64, handle: f64, patience: f64, n: usize, t: f64) -> QueueFigures {
        let mu = 1.0 / handle;
        let theta = 1.0 / patience;
        let nu = n as f64 * mu;
        let p = brute_chain(lambda, mu, theta, n);
        let p_wait: f64 = p[n..].iter().sum();
        let queue: f64 = p
            .iter()
            .enumerate()
            .map(|(k, pk)| k.saturating_sub(n) as f64 * pk)
            .sum();
        let busy: f64 = p
            .iter()
            .enumerate()
            .map(|(k, pk)| k.min(n) as f64 * pk)
            .sum();
        let p_abandon = theta * queue / lambda;

        // s: P(served | i ahead), m: E[wait · 1{served} | i ahead].
        let (mut s, mut m) = (1.0, 0.0);
        let mut served_wait = 0.0;
        for (i, pk) in p[n..].iter().enumerate() {
            let advance = nu + i as f64 * theta;
            let total = advance + theta;
            s *= advance / total;
            m = s / total + advance / total * m;
            served_wait += pk * m;
        }

        let queue_probs = &p[n..];
        let top = nu + queue_probs.len() as f64 * theta;
        let lt = top * t;
        assert!(
            lt < 600.0,
            "uniformisation oracle needs e^-lt representable"
        );
        let mut v = queue_probs.to_vec();
        let mut served = 0.0;
        let mut weight = (-lt).exp();
        let mut sl_queue = 0.0;
        let steps = (lt + 15.0 * lt.sqrt() + 60.0) as usize;
        for step in 0..=steps {
            sl_queue += weight * served;
            served += v[0] * nu / top;
            let mut next = vec![0.0; v.len()];
            for i in 0..v.len() {
                let advance = nu + i as f64 * theta;
                next[i] += v[i] * (1.0 - (advance + theta) / top);
                if i > 0 {
                    next[i - 1] += v[i] * advance / top;
                }
            }
            v = next;
            weight *= lt / (step + 1) as f64;
        }

        QueueFigures {
            p_wait,
            p_abandon,
            service_level: (1.0 - p_wait) + sl_queue,
            asa: served_wait / (1.0 - p_abandon),
            mean_wait: queue / lambda,
            reachability: 1.0 - p_abandon,
            occupancy: busy / n as f64,
        }
    }

    fn assert_figures_close(got: &QueueFigures, want: &QueueFigures, tol: f64) {
        close(got.p_wait, want.p_wait, tol, "p_wait");
        close(got.p_abandon, want.p_abandon, tol, "p_abandon");
        close(got.service_level, want.service_level, tol, "service_level");
        close(got.asa, want.asa, tol, "asa");
        close(got.mean_wait, want.mean_wait, tol, "mean_wait");
        close(got.reachability, want.reachability, tol, "reachability");
        close(got.occupancy, want.occupancy, tol, "occupancy");
    }

    fn assert_sane(f: &QueueFigures, what: &str) {
        for (name, x) in [
            ("p_wait", f.p_wait),
            ("p_abandon", f.p_abandon),
            ("service_level", f.service_level),
            ("reachability", f.reachability),
            ("occupancy", f.occupancy),
        ] {
            assert!(
                (0.0..=1.0).contains(&x),
                "{what}: {name} = {x} outside [0, 1]"
            );
        }
        assert!(f.asa.is_finite() && f.asa >= 0.0, "{what}: asa {}", f.asa);
        assert!(
            f.mean_wait.is_finite() && f.mean_wait >= 0.0,
            "{what}: mean_wait {}",
            f.mean_wait
        );
        assert!(f.p_abandon <= f.p_wait + 1e-12, "{what}: abandon > wait");
        assert!(
            f.service_level <= f.reachability,
            "{what}: SL > reachability"
        );
        assert!(
            f.service_level >= 1.0 - f.p_wait - 1e-12,
            "{what}: SL < P(no wait)"
        );
    }

    #[test]
    fn load_derived_quantities() {
        let l = load(100.0 / 1800.0, 180.0, 12);
        close(l.offered_erlangs(), 10.0, 1e-12, "offered");
        close(l.utilisation(), 10.0 / 12.0, 1e-12, "utilisation");
    }

    #[test]
    fn erlang_b_known_values() {
        assert!((erlang_b(10.0, 10) - 0.2146).abs() < 5e-5);
        assert_eq!(erlang_b(1.0, 1), 0.5);
        // B(2, 2) = 2 / (1 + 2 + 2) = 0.4 from the definition.
        close(erlang_b(2.0, 2), 0.4, 1e-15, "B(2,2)");
        assert_eq!(erlang_b(0.0, 5), 0.0);
        assert_eq!(erlang_b(5.0, 0), 1.0);
        assert!(erlang_b(-1.0, 3).is_nan());
        assert!(erlang_b(f64::NAN, 3).is_nan());
    }

    #[test]
    fn erlang_b_matches_definition_up_to_2000_agents() {
        for &(a, n) in &[
            (3.7, 5),
            (10.0, 10),
            (50.0, 60),
            (2400.0, 2000),
            (1900.0, 2000),
            (1500.0, 2000),
        ] {
            let b = erlang_b(a, n);
            assert!(b.is_finite() && b > 0.0 && b < 1.0, "B({a},{n}) = {b}");
            close(b, brute_erlang_b(a, n), 1e-9, "erlang_b vs definition");
        }
        // Far below capacity the true value underflows; it must not turn into NaN.
        assert_eq!(erlang_b(1.0, 2000), 0.0);
    }

    #[test]
    fn erlang_c_known_values() {
        assert!((erlang_c(10.0, 12) - 0.4494).abs() < 5e-5);
        // Textbook example: 100 calls per 30 min, 180 s handle time = 10 Erlang.
        assert!((erlang_c(10.0, 14) - 0.1741).abs() < 5e-5);
        for &(a, n) in &[(10.0, 11), (10.0, 12), (0.5, 1), (47.3, 55), (180.0, 200)] {
            close(
                erlang_c(a, n),
                brute_erlang_c(a, n),
                1e-9,
                "erlang_c vs brute force",
            );
        }
        assert_eq!(erlang_c(12.0, 12), 1.0);
        assert_eq!(erlang_c(13.0, 12), 1.0);
        assert_eq!(erlang_c(0.0, 3), 0.0);
    }

    #[test]
    fn erlang_c_figures_textbook_example() {
        let f = erlang_c_figures(load(100.0 / 1800.0, 180.0, 14), 20.0).unwrap();
        close(f.p_wait, 0.174_131_9, 1e-6, "p_wait");
        // SL = 1 - C e^{-(14 - 10) 20 / 180}, ASA = C · 180 / 4.
        close(
            f.service_level,
            1.0 - f.p_wait * (-80.0_f64 / 180.0).exp(),
            1e-14,
            "SL",
        );
        close(f.service_level, 0.888_35, 1e-5, "SL value");
        close(f.asa, f.p_wait * 45.0, 1e-12, "asa");
        assert_eq!(f.mean_wait, f.asa);
        assert_eq!(f.p_abandon, 0.0);
        assert_eq!(f.reachability, 1.0);
        close(f.occupancy, 10.0 / 14.0, 1e-15, "occupancy");
    }

    #[test]
    fn erlang_c_figures_rejects_unstable_load() {
        let err = erlang_c_figures(load(1.0, 12.0, 12), 20.0).unwrap_err();
        assert_eq!(
            err,
            ErlangError::Unstable {
                offered_erlangs: 12.0,
                agents: 12
            }
        );
        assert!(err.to_string().contains("12 agents"), "{err}");
    }

    #[test]
    fn inputs_are_validated_with_parameter_names() {
        let message = |r: Result<QueueFigures, ErlangError>| match r {
            Err(ErlangError::InvalidInput(msg)) => msg,
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        let m = message(erlang_c_figures(load(1.0, -3.0, 5), 20.0));
        assert_eq!(
            m,
            "mean_handle_time must be a positive number of seconds, got -3"
        );
        assert!(message(erlang_c_figures(load(-0.1, 3.0, 5), 20.0)).starts_with("arrival_rate"));
        assert!(
            message(erlang_a_figures(load(f64::NAN, 3.0, 5), 60.0, 20.0))
                .starts_with("arrival_rate")
        );
        assert!(
            message(erlang_a_figures(load(f64::INFINITY, 3.0, 5), 60.0, 20.0))
                .starts_with("arrival_rate")
        );
        assert!(
            message(erlang_a_figures(load(1.0, 0.0, 5), 60.0, 20.0))
                .starts_with("mean_handle_time")
        );
        assert!(message(erlang_a_figures(load(1.0, 3.0, 0), 60.0, 20.0)).starts_with("agents"));
        assert!(
            message(erlang_a_figures(load(1.0, 3.0, 5), 0.0, 20.0)).starts_with("mean_patience")
        );
        assert!(
            message(erlang_a_figures(load(1.0, 3.0, 5), f64::NAN, 20.0))
                .starts_with("mean_patience")
        );
        assert!(
            message(erlang_a_figures(load(1.0, 3.0, 5), 60.0, -1.0)).starts_with("sl_threshold")
        );
        assert!(
            message(erlang_c_figures(load(1.0, 3.0, 5), f64::INFINITY)).starts_with("sl_threshold")
        );
        assert!(message(erlang_c_figures(load(1e200, 1e200, 5), 20.0)).contains("overflows"));
        let err = ErlangError::InvalidInput("agents must be at least 1, got 0".into());
        assert_eq!(
            err.to_string(),
            "invalid input: agents must be at least 1, got 0"
        );
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_for_very_patient_callers() {
        for &(rate, handle, n, t) in &[
            (100.0 / 1800.0, 180.0, 12, 20.0),
            (100.0 / 1800.0, 180.0, 14, 20.0),
            (1.5, 240.0, 400, 15.0),
        ] {
            let c = erlang_c_figures(load(rate, handle, n), t).unwrap();
            // The gap is a genuine O(θ) effect (ASA moves by ~5e-5 s at θ = 1e-9
            // for a = 10, n = 12), so it must shrink as patience grows.
            let a = erlang_a_figures(load(rate, handle, n), 1e9, t).unwrap();
            assert_figures_close(&a, &c, 1e-5);
            assert!(a.p_abandon > 0.0 && a.p_abandon < 1e-6);
            let a = erlang_a_figures(load(rate, handle, n), 1e12, t).unwrap();
            assert_figures_close(&a, &c, 1e-8);
        }
    }

    #[test]
    fn erlang_a_infinite_patience_is_erlang_c() {
        let l = load(100.0 / 1800.0, 180.0, 12);
        assert_eq!(
            erlang_a_figures(l, f64::INFINITY, 20.0),
            erlang_c_figures(l, 20.0)
        );
        assert!(matches!(
            erlang_a_figures(load(1.0, 12.0, 12), f64::INFINITY, 20.0),
            Err(ErlangError::Unstable { .. })
        ));
    }

    #[test]
    fn erlang_a_matches_brute_force_chain_small_n() {
        // (arrival rate, handle time, patience, agents, SL threshold)
        let cases = [
            (0.02, 180.0, 120.0, 3, 20.0),
            (0.05, 180.0, 300.0, 3, 60.0),
            (0.01, 180.0, 30.0, 3, 10.0),
            (0.02, 180.0, 120.0, 3, 0.0),
            (0.2, 60.0, 45.0, 1, 5.0),
            (0.3, 60.0, 200.0, 20, 30.0),
        ];
        for &(rate, handle, patience, n, t) in &cases {
            let got = erlang_a_figures(load(rate, handle, n), patience, t).unwrap();
            let want = oracle_a(rate, handle, patience, n as usize, t);
            assert_figures_close(&got, &want, 1e-8);
            assert_sane(&got, "small n");
        }
    }

    #[test]
    fn erlang_a_matches_brute_force_chain_2000_agents() {
        for &(rate, patience) in &[
            (8.0, 180.0),
            (1950.0 / 300.0, 600.0),
            (2000.0 / 300.0, 60.0),
        ] {
            let got = erlang_a_figures(load(rate, 300.0, 2000), patience, 20.0).unwrap();
            let want = oracle_a(rate, 300.0, patience, 2000, 20.0);
            assert_figures_close(&got, &want, 1e-8);
        }
    }

    #[test]
    fn erlang_a_with_patience_equal_to_handle_time_is_poisson() {
        // θ = μ makes every contact in the system leave at rate μ, so the number
        // in system is Poisson(a) as in M/M/∞ and P(abandon) = E[(N - n)^+] / a.
        let (a, n, handle) = (8.0_f64, 5_u32, 60.0);
        let mut pmf = (-a).exp();
        let (mut p_wait, mut excess, mut busy) = (0.0, 0.0, 0.0);
        for k in 0..200_u32 {
            if k >= n {
                p_wait += pmf;
            }
            excess += f64::from(k.saturating_sub(n)) * pmf;
            busy += f64::from(k.min(n)) * pmf;
            pmf *= a / f64::from(k + 1);
        }
        let f = erlang_a_figures(load(a / handle, handle, n), handle, 10.0).unwrap();
        close(f.p_wait, p_wait, 1e-10, "p_wait");
        close(f.p_abandon, excess / a, 1e-10, "p_abandon");
        close(f.mean_wait, excess * handle / a, 1e-10, "mean_wait");
        close(f.occupancy, busy / f64::from(n), 1e-10, "occupancy");
    }

    #[test]
    fn erlang_a_large_overload_is_stable_and_fast() {
        let l = load(8.0, 300.0, 2000); // 2400 Erlang on 2000 agents
        let start = std::time::Instant::now();
        let f = erlang_a_figures(l, 180.0, 20.0).unwrap();
        let elapsed = start.elapsed();
        assert!(elapsed.as_millis() < 50, "took {elapsed:?}");
        assert_sane(&f, "rho 1.2");
        close(f.p_abandon, 1.0 - 2000.0 / 2400.0, 0.01, "fluid limit");
        assert!(f.occupancy > 0.99);
        // Absurdly patient callers in overload: everything must stay finite.
        for patience in [1e9, 1e300] {
            let f = erlang_a_figures(l, patience, 20.0).unwrap();
            close(
                f.p_abandon,
                1.0 - 2000.0 / 2400.0,
                1e-6,
                "fluid limit, huge patience",
            );
            assert!(f.asa.is_finite() && f.mean_wait.is_finite());
        }
    }

    #[test]
    fn erlang_a_degenerate_loads() {
        let idle = erlang_a_figures(load(0.0, 300.0, 5), 60.0, 20.0).unwrap();
        assert_eq!(idle.p_wait, 0.0);
        assert_eq!(idle.service_level, 1.0);
        assert_eq!(idle.occupancy, 0.0);
        // Erlang B underflows here; the queue figures are 0 rather than NaN.
        let light = erlang_a_figures(load(1.0 / 300.0, 300.0, 2000), 60.0, 20.0).unwrap();
        assert_sane(&light, "light");
        assert_eq!(light.p_wait, 0.0);
        let idle_c = erlang_c_figures(load(0.0, 300.0, 5), 20.0).unwrap();
        assert_eq!(idle_c.p_wait, 0.0);
        assert_eq!(idle_c.service_level, 1.0);
    }

    #[test]
    fn erlang_a_figures_are_consistent_on_a_grid() {
        for n in [1_u32, 2, 7, 50, 300] {
            for rho in [0.3, 0.8, 0.97, 1.0, 1.1, 2.0, 10.0] {
                for patience in [5.0, 60.0, 600.0, 1e5] {
                    let l = load(rho * f64::from(n) / 240.0, 240.0, n);
                    let mut previous_sl = -1.0;
                    for t in [0.0, 10.0, 30.0, 120.0, 1e4] {
                        let f = erlang_a_figures(l, patience, t).unwrap();
                        let what = format!("n={n} rho={rho} patience={patience} T={t}");
                        assert_sane(&f, &what);
                        // Separate quadratures per T may differ by rounding only.
                        assert!(
                            f.service_level >= previous_sl - 1e-12,
                            "{what}: SL not monotone in T"
                        );
                        previous_sl = f.service_level;
                        close(f.mean_wait / patience, f.p_abandon, 1e-9, &what);
                    }
                }
            }
        }
    }

    #[test]
    fn staffing_for_erlang_c_service_level_is_minimal() {
        let (rate, handle, t, target) = (100.0 / 1800.0, 180.0, 20.0, 0.8);
        let n = agents_for_service_level_c(rate, handle, t, target, 100).unwrap();
        assert_eq!(n, 14);
        let sl = |k| erlang_c_figures(load(rate, handle, k), t).map(|f| f.service_level);
        assert!(sl(n).unwrap() >= target);
        assert!(sl(n - 1).unwrap() < target);
        // Large centre: 2400 Erlang, 80/20.
        let n = agents_for_service_level_c(8.0, 300.0, 20.0, 0.8, 5000).unwrap();
        let sl = |k| {
            erlang_c_figures(load(8.0, 300.0, k), 20.0)
                .unwrap()
                .service_level
        };
        assert!(sl(n) >= 0.8 && sl(n - 1) < 0.8, "n = {n}");
        assert_eq!(
            agents_for_service_level_c(rate, handle, t, target, 13),
            None
        );
        assert_eq!(agents_for_service_level_c(rate, handle, t, 1.5, 1000), None);
        assert_eq!(agents_for_service_level_c(rate, -1.0, t, target, 100), None);
        // A zero target still demands a stable queue.
        assert_eq!(
            agents_for_service_level_c(rate, handle, t, 0.0, 100),
            Some(11)
        );
    }

    #[test]
    fn staffing_for_erlang_a_is_minimal() {
        let (rate, handle, patience, t) = (8.0, 300.0, 180.0, 20.0);
        let ok = |f: &QueueFigures| f.reachability >= 0.99 && f.service_level >= 0.5;
        let n = agents_for_erlang_a(rate, handle, patience, t, 5000, ok).unwrap();
        let figures = |k| erlang_a_figures(load(rate, handle, k), patience, t).unwrap();
        assert!(ok(&figures(n)));
        assert!(!ok(&figures(n - 1)), "n - 1 = {} already passes", n - 1);
        assert_eq!(
            agents_for_erlang_a(rate, handle, patience, t, n - 1, ok),
            None
        );
        // Overload can be fine with impatient callers: few agents reach 50% reachability.
        let n = agents_for_erlang_a(0.1, 60.0, 30.0, t, 100, |f| f.reachability >= 0.5).unwrap();
        assert!((2..6).contains(&n), "n = {n}");
        let below = erlang_a_figures(load(0.1, 60.0, n - 1), 30.0, t).unwrap();
        assert!(below.reachability < 0.5);
        // Infinite patience agrees with the Erlang C helper.
        let c = agents_for_service_level_c(100.0 / 1800.0, 180.0, 20.0, 0.8, 100);
        let a = agents_for_erlang_a(100.0 / 1800.0, 180.0, f64::INFINITY, 20.0, 100, |f| {
            f.service_level >= 0.8
        });
        assert_eq!(a, c);
        assert_eq!(agents_for_erlang_a(1.0, 3.0, -5.0, t, 100, |_| true), None);
    }
}
