//! Fitting a scenario to contact-center history: volumes and their
//! profiles, handle times and patience, each parameter with its 95%
//! confidence interval, and the actual-against-fitted series that the fit
//! report draws.
//!
//! Floor 5: imports `history`, `model`, `erlang`, `stats`, `scenario`, `files`.
//! The types below are the seam between the statistics (`demand`,
//! `behaviour`), the scenario writer and the fit report.

mod durations;
pub mod handle;
pub mod patience;

pub use handle::{HandleAccumulator, handle_from_intervals};
pub use patience::{PatienceAccumulator, patience_from_intervals};
pub mod demand;

use chrono::NaiveDate;

pub mod run;
pub mod scenario_writer;

use crate::model::{Channel, Weekday};

/// A fitted parameter: point estimate and 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Fitted {
    /// Point estimate.
    pub value: f64,
    /// Lower end of the 95% confidence interval.
    pub low: f64,
    /// Upper end of the 95% confidence interval.
    pub high: f64,
}

impl Fitted {
    /// Whether `x` lies within the confidence interval (ends included).
    pub fn covers(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// A distribution family a fit may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Exponential (cv 1).
    Exponential,
    /// Lognormal.
    Lognormal,
    /// Gamma.
    Gamma,
    /// Weibull.
    Weibull,
}

impl Family {
    /// The `dist` name in a scenario file.
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Weibull => "weibull",
        }
    }

    /// The density at `x` seconds of this family with the given mean and
    /// cv (the cv is ignored by the exponential); 0 where it is undefined.
    pub fn density(self, mean: f64, cv: f64, x: f64) -> f64 {
        self.law(mean, cv).map_or(0.0, |law| law.pdf(x))
    }

    /// The survival P(X > x) of this family with the given mean and cv;
    /// 1 where it is undefined.
    pub fn survival(self, mean: f64, cv: f64, x: f64) -> f64 {
        self.law(mean, cv).map_or(1.0, |law| law.sf(x))
    }

    fn law(self, mean: f64, cv: f64) -> Option<Law> {
        use crate::model::distribution::{gamma_params, lognormal_params, weibull_params};
        use statrs::distribution as d;
        if !(mean > 0.0 && mean.is_finite()) {
            return None;
        }
        let ok = |c: f64| c > 0.0 && c.is_finite();
        Some(match self {
            Family::Exponential => Law::Exp(d::Exp::new(1.0 / mean).ok()?),
            Family::Lognormal if ok(cv) => {
                let p = lognormal_params(mean, cv);
                Law::LogNormal(d::LogNormal::new(p.mu, p.sigma).ok()?)
            }
            Family::Gamma if ok(cv) => {
                let p = gamma_params(mean, cv);
                Law::Gamma(d::Gamma::new(p.shape, 1.0 / p.scale).ok()?)
            }
            Family::Weibull if ok(cv) => {
                let p = weibull_params(mean, cv)?;
                Law::Weibull(d::Weibull::new(p.shape, p.scale).ok()?)
            }
            _ => return None,
        })
    }
}

/// A fitted family with its parameters, for densities and survival curves.
enum Law {
    Exp(statrs::distribution::Exp),
    LogNormal(statrs::distribution::LogNormal),
    Gamma(statrs::distribution::Gamma),
    Weibull(statrs::distribution::Weibull),
}

impl Law {
    fn pdf(&self, x: f64) -> f64 {
        use statrs::distribution::Continuous;
        match self {
            Law::Exp(d) => d.pdf(x),
            Law::LogNormal(d) => d.pdf(x),
            Law::Gamma(d) => d.pdf(x),
            Law::Weibull(d) => d.pdf(x),
        }
    }

    fn sf(&self, x: f64) -> f64 {
        use statrs::distribution::ContinuousCDF;
        match self {
            Law::Exp(d) => d.sf(x),
            Law::LogNormal(d) => d.sf(x),
            Law::Gamma(d) => d.sf(x),
            Law::Weibull(d) => d.sf(x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Family;

    #[test]
    fn densities_and_survivals_have_the_given_mean() {
        // The mean is the integral of the survival function.
        for family in [
            Family::Exponential,
            Family::Lognormal,
            Family::Gamma,
            Family::Weibull,
        ] {
            let (mean, cv) = (300.0, 0.8);
            let step = 1.0;
            let area: f64 = (0..100_000)
                .map(|i| family.survival(mean, cv, (i as f64 + 0.5) * step) * step)
                .sum();
            assert!((area - mean).abs() < 0.5, "{family:?}: {area}");
            let mass: f64 = (0..100_000)
                .map(|i| family.density(mean, cv, (i as f64 + 0.5) * step) * step)
                .sum();
            assert!((mass - 1.0).abs() < 1e-3, "{family:?}: {mass}");
        }
    }
}

/// Where a fit's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// One row per contact.
    Contacts,
    /// One row per interval.
    Intervals,
}

/// How well one candidate family fits: its log-likelihood and AIC (lower is better).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// The family.
    pub family: Family,
    /// Mean of the fitted distribution, seconds.
    pub mean: f64,
    /// Coefficient of variation of the fitted distribution.
    pub cv: f64,
    /// Maximised log-likelihood.
    pub log_likelihood: f64,
    /// Akaike information criterion, 2k − 2 ln L.
    pub aic: f64,
}

/// A histogram of observed durations (for the fit report's charts).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// Bin edges in seconds, one more than `counts`.
    pub edges: Vec<f64>,
    /// Observations per bin.
    pub counts: Vec<u64>,
}

/// The fitted handle time of one theme on one channel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HandleTimeFit {
    /// Where it comes from: contact-level data fits a family; interval data
    /// gives the mean only (`family` is then `None`, `cv` too).
    pub source: Source,
    /// Answered contacts it is fitted on.
    pub observations: u64,
    /// Mean handle time, seconds.
    pub mean: Fitted,
    /// Coefficient of variation (contact-level data only).
    pub cv: Option<Fitted>,
    /// The family chosen by AIC (contact-level data only).
    pub family: Option<Family>,
    /// Every family tried, best first (contact-level data only).
    pub candidates: Vec<Candidate>,
    /// The observed handle times (contact-level data only).
    pub histogram: Option<Histogram>,
}

/// One step of a Kaplan–Meier survival curve of patience.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SurvivalPoint {
    /// Seconds waited.
    pub t: f64,
    /// Estimated share of callers still patient after `t` seconds.
    pub survival: f64,
    /// Lower end of its 95% confidence interval (Greenwood).
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// The fitted patience of the callers (or chatters) of one channel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PatienceFit {
    /// The channel (call or chat).
    pub channel: Channel,
    /// Where it comes from.
    pub source: Source,
    /// Abandoned contacts (observed patience).
    pub abandoned: u64,
    /// Contacts whose wait ended otherwise (answered, closed out ...):
    /// their patience is censored at their wait.
    pub censored: u64,
    /// The family chosen by AIC among exponential, Weibull and lognormal
    /// (contact-level data); exponential from interval data.
    pub family: Family,
    /// Mean patience, seconds.
    pub mean: Fitted,
    /// Coefficient of variation (1 for the exponential).
    pub cv: Fitted,
    /// Every family tried, best first (contact-level data only).
    pub candidates: Vec<Candidate>,
    /// The Kaplan–Meier curve (contact-level data only).
    pub kaplan_meier: Vec<SurvivalPoint>,
    /// The naive mean of the abandoned contacts' waits, seconds: biased low,
    /// shown to tell why the censored estimator is needed.
    pub naive_mean: Option<f64>,
    /// The Erlang A abandonment rate θ = P(abandon) / E[wait], per second
    /// (interval data with waits; from contacts: abandons / Σ waits, the
    /// exponential's rate), when it could be computed.
    pub theta: Option<Fitted>,
}

/// The fitted volume level of one calendar month.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthLevel {
    /// First day of the month.
    pub month: NaiveDate,
    /// Open days of the month in the data.
    pub days: u32,
    /// Mean contacts per open day (weekday effects removed).
    pub per_day: Fitted,
}

/// A linear trend of the volume level over the fit period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trend {
    /// Relative change of the level per month (0.02: +2% per month).
    pub per_month: Fitted,
    /// The two-sided p-value of "no trend".
    pub p_value: f64,
}

/// An intraday profile: weights of the intervals of a day from `start`,
/// averaging 1 over the open intervals.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Profile {
    /// Seconds since midnight of the first weight.
    pub start: u32,
    /// One weight per interval.
    pub weights: Vec<Fitted>,
}

/// Actual against fitted volume on one date (for the report's charts).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DayVolume {
    /// The date.
    pub date: NaiveDate,
    /// Contacts in the history.
    pub actual: f64,
    /// Contacts the fitted scenario expects.
    pub fitted: f64,
}

/// The fitted demand of one theme on one channel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemandFit {
    /// Theme name (or the mapped queue).
    pub theme: String,
    /// Channel.
    pub channel: Channel,
    /// Contacts offered in the fit period.
    pub offered: u64,
    /// Level per calendar month.
    pub months: Vec<MonthLevel>,
    /// The trend, when the data shows one (p < 0.05).
    pub trend: Option<Trend>,
    /// Contacts per open day to write into the scenario (`volume.CHANNEL.per_day`):
    /// the level at the end of the fit period when there is a trend, the mean otherwise.
    pub per_day: Fitted,
    /// Weekday weights (Monday first), mean 1 over the weekdays with
    /// contacts; `None` for weekdays without contacts.
    /// The demand fit divides them by their Monday–Friday mean (a weekday
    /// without contacts counting 0), as a scenario normalises
    /// `weekday_weights`: write a `None` weekday as 0 (only when Monday to
    /// Friday have no contacts at all is the mean taken over the weekdays
    /// with contacts, and a warning says so).
    pub weekday: [Option<Fitted>; 7],
    /// The intraday profile of every weekday.
    pub intraday: Profile,
    /// Per-weekday profiles (Monday first), only where the data shows that
    /// weekdays differ (`weekdays_differ`); `None` uses `intraday`.
    pub intraday_by_weekday: [Option<Profile>; 7],
    /// p-value of the test that the weekdays' intraday profiles are the same.
    pub weekdays_differ_p: Option<f64>,
    /// Coefficient of variation of the day-to-day level beyond Poisson
    /// noise (the scenario's `uncertainty`), when significant.
    pub uncertainty_cv: Option<Fitted>,
    /// Actual against fitted per date.
    pub days: Vec<DayVolume>,
    /// Handle time on this theme and channel.
    pub handle_time: Option<HandleTimeFit>,
}

/// Opening hours found in the data: the first and last interval with
/// contacts of live channels, per weekday.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Opening {
    /// Weekday.
    #[serde(serialize_with = "weekday_name")]
    pub weekday: Weekday,
    /// Seconds since midnight of the first interval with contacts.
    pub open: u32,
    /// Seconds since midnight of the end of the last interval with contacts.
    pub close: u32,
}

/// Everything a fit found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FitResult {
    /// First date of the fit period.
    pub from: NaiveDate,
    /// Last date of the fit period (included).
    pub to: NaiveDate,
    /// Interval length, seconds.
    pub interval: u32,
    /// Where the figures come from.
    pub source: Source,
    /// Per theme and channel.
    pub demand: Vec<DemandFit>,
    /// Per live channel with waits.
    pub patience: Vec<PatienceFit>,
    /// Opening hours per weekday with live contacts.
    pub opening: Vec<Opening>,
    /// Working days (weekdays with contacts) without any live contact:
    /// closed days and public holidays found in the data.
    pub closed_days: Vec<NaiveDate>,
    /// What the fit noticed and a planner should know.
    pub warnings: Vec<String>,
    /// Service-level threshold per channel (indexed by [`Channel::index`]),
    /// seconds, when the history gives one (interval reports).
    pub thresholds: [Option<u32>; Channel::COUNT],
    /// The live load per weekday and interval, for the staffing of a
    /// scenario fitted without a base (`scenario_writer`).
    pub load: Vec<IntervalLoad>,
    /// The contacts counted per theme, channel, weekday and interval (the
    /// actual intraday profiles the report sets against the fitted ones).
    pub observed: Vec<ObservedProfile>,
}

/// The contacts of one theme and channel on one weekday, per interval of
/// the day, summed over the fit period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ObservedProfile {
    /// Theme.
    pub theme: String,
    /// Channel.
    pub channel: Channel,
    /// Weekday.
    #[serde(serialize_with = "weekday_name")]
    pub weekday: Weekday,
    /// Contacts per interval of the day, from midnight.
    pub counts: Vec<f64>,
}

/// The live contacts (calls and chats) of one interval of one weekday,
/// averaged over the dates of that weekday in the fit period that had live
/// contacts.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct IntervalLoad {
    /// Weekday.
    #[serde(serialize_with = "weekday_name")]
    pub weekday: Weekday,
    /// Seconds since midnight of the interval's start.
    pub start: u32,
    /// Dates averaged over.
    pub dates: u32,
    /// Mean live contacts offered.
    pub offered: f64,
    /// Mean live contacts abandoned.
    pub abandoned: f64,
    /// Mean agents available (the interval report's `agents` column), when
    /// every row of the interval gives it.
    pub agents: Option<f64>,
}

fn weekday_name<S: serde::Serializer>(w: &Weekday, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(w.name())
}
