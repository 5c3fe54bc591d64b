//! Tests of the demand fit on data drawn from known parameters: Poisson
//! counts per interval with a known level, weekday weights, intraday
//! profiles, a linear trend and a gamma day factor.

use chrono::{NaiveDate, NaiveDateTime};
use rand_distr::{Distribution, Gamma, Poisson};
use rand_pcg::Pcg64Mcg;

use super::*;
use crate::fit::Fitted;
use crate::history::Outcome;

const INTERVAL: u32 = 1800;

/// The parameters that generate one theme's calls (and e-mails).
#[derive(Clone)]
struct Truth {
    from: NaiveDate,
    days: u32,
    /// Level on an average working day at the mean time of the open days.
    per_day: f64,
    /// Relative change of the level per month (of that mean level).
    trend: f64,
    /// Weekday weights, Monday–Friday mean 1; 0: closed.
    weekday: [f64; 7],
    /// First slot of the profile.
    start: usize,
    /// Intraday profile (relative).
    profile: Vec<f64>,
    /// Friday's own profile, when it differs.
    friday: Option<Vec<f64>>,
    /// cv of the gamma day factor (0: none).
    cv: f64,
    /// Working days without contacts.
    holidays: Vec<NaiveDate>,
    /// E-mails on an average working day, around the clock, weekends included.
    email: Option<(f64, [f64; 7])>,
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The profile of the test: a morning and an afternoon hump, 08:00–18:00.
fn humps() -> Vec<f64> {
    vec![
        0.5, 0.8, 1.1, 1.3, 1.4, 1.3, 1.1, 0.9, 0.8, 0.9, 1.0, 1.2, 1.3, 1.2, 1.1, 1.0, 0.9, 0.7,
        0.5, 0.4,
    ]
}

fn base() -> Truth {
    Truth {
        from: date("2025-01-06"), // a Monday
        days: 91,
        per_day: 1000.0,
        trend: 0.0,
        weekday: [1.2, 1.0, 1.0, 0.9, 0.9, 0.5, 0.0],
        start: 16,
        profile: humps(),
        friday: None,
        cv: 0.0,
        holidays: Vec::new(),
        email: None,
    }
}

impl Truth {
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take(self.days as usize)
    }

    fn months(&self, d: NaiveDate) -> f64 {
        (d - self.from).num_days() as f64 / level::MONTH_DAYS
    }

    fn open(&self, d: NaiveDate) -> bool {
        self.weekday[Weekday::of(d).index()] > 0.0 && !self.holidays.contains(&d)
    }

    /// Mean time of the open days: the level there is `per_day`.
    fn t_mean(&self) -> f64 {
        let open: Vec<f64> = self
            .dates()
            .filter(|d| self.open(*d))
            .map(|d| self.months(d))
            .collect();
        open.iter().sum::<f64>() / open.len() as f64
    }

    fn level(&self, t: f64) -> f64 {
        self.per_day * (1.0 + self.trend * (t - self.t_mean()))
    }

    /// Interval rows of every open interval (zeros included), calls then e-mails.
    fn rows(&self, seed: u64) -> Vec<IntervalRow> {
        let mut rng = <Pcg64Mcg as rand::SeedableRng>::seed_from_u64(seed);
        let factor = (self.cv > 0.0)
            .then(|| Gamma::new(1.0 / (self.cv * self.cv), self.cv * self.cv).unwrap());
        let t_mean = self.t_mean();
        let mut rows = Vec::new();
        for d in self.dates() {
            let g = factor.as_ref().map_or(1.0, |f| f.sample(&mut rng));
            let w = Weekday::of(d);
            let level = self.per_day * (1.0 + self.trend * (self.months(d) - t_mean)) * g;
            if self.open(d) {
                let profile = match (&self.friday, w) {
                    (Some(friday), Weekday::Fri) => friday,
                    _ => &self.profile,
                };
                let sum: f64 = profile.iter().sum();
                for (i, q) in profile.iter().enumerate() {
                    let mean = level * self.weekday[w.index()] * q / sum;
                    rows.push(row(
                        d,
                        (self.start + i) as u32,
                        Channel::Call,
                        draw(mean, &mut rng),
                    ));
                }
            }
            if let Some((per_day, weights)) = &self.email {
                let wd = if self.holidays.contains(&d) {
                    6
                } else {
                    w.index()
                };
                let trend = 1.0 + self.trend * (self.months(d) - t_mean);
                let mean = per_day * trend * weights[wd] * g / 48.0;
                for i in 0..48 {
                    rows.push(row(d, i, Channel::Email, draw(mean, &mut rng)));
                }
            }
        }
        rows
    }

    fn fit(&self, seed: u64) -> DemandResult {
        let mut acc = DemandAccumulator::new(INTERVAL);
        for r in self.rows(seed) {
            acc.add_interval(&r);
        }
        acc.finish(
            self.from,
            self.from + chrono::Days::new(u64::from(self.days) - 1),
        )
    }
}

fn draw(mean: f64, rng: &mut Pcg64Mcg) -> u64 {
    if mean > 0.0 {
        Poisson::new(mean).unwrap().sample(rng) as u64
    } else {
        0
    }
}

fn row(date: NaiveDate, slot: u32, channel: Channel, offered: u64) -> IntervalRow {
    IntervalRow {
        date,
        start: slot * INTERVAL,
        theme: "general".to_string(),
        channel,
        offered,
        answered: offered,
        abandoned: 0,
        answered_within: None,
        handle_time: None,
        asa: None,
        abandon_wait: None,
        agents: None,
    }
}

fn calls(result: &DemandResult) -> &DemandFit {
    result
        .demand
        .iter()
        .find(|d| d.channel == Channel::Call)
        .expect("a call fit")
}

/// The truth's profile weights over the slots `start..start+len`, mean 1
/// over the nonzero range (as the fit normalises them).
fn normalised(profile: &[f64]) -> Vec<f64> {
    let mean = profile.iter().sum::<f64>() / profile.len() as f64;
    profile.iter().map(|q| q / mean).collect()
}

fn share_covered(fitted: &[Fitted], truth: &[f64]) -> f64 {
    assert_eq!(fitted.len(), truth.len());
    let covered = fitted
        .iter()
        .zip(truth)
        .filter(|(f, t)| f.covers(**t))
        .count();
    covered as f64 / truth.len() as f64
}

/// Half a year with a trend, a day factor, two holidays, calls Monday to
/// Saturday and e-mails every day.
fn rich() -> Truth {
    Truth {
        days: 182,
        trend: 0.04,
        cv: 0.12,
        holidays: vec![date("2025-04-21"), date("2025-05-01")],
        email: Some((200.0, [1.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.2])),
        ..base()
    }
}

/// Every generating parameter within its CI (the weekday weights: at most
/// one of the 13 outside, as 95% intervals allow).
#[test]
fn generating_parameters_lie_within_their_confidence_intervals() {
    let truth = rich();
    let result = truth.fit(1);
    let fit = calls(&result);
    let end = truth.months(truth.from + chrono::Days::new(181));
    let trend = fit.trend.as_ref().expect("a trend of 4% a month is found");
    assert!(trend.p_value < 0.05);
    assert!(trend.per_month.covers(truth.trend), "{trend:?}");
    assert!(
        fit.per_day.covers(truth.level(end)),
        "{:?} against {}",
        fit.per_day,
        truth.level(end)
    );
    let mut misses = Vec::new();
    for w in 0..6 {
        let fitted = fit.weekday[w].expect("a weight for an open weekday");
        if !fitted.covers(truth.weekday[w]) {
            misses.push(format!("call weekday {w}: {fitted:?}"));
        }
        assert!(fitted.high - fitted.low < 0.2, "weekday {w}: {fitted:?}");
    }
    assert_eq!(fit.weekday[6], None, "no calls on Sundays");
    let cv = fit.uncertainty_cv.expect("a day-level cv of 0.12 is found");
    assert!(cv.covers(truth.cv), "{cv:?}");
    assert_eq!(fit.intraday.start, 16 * INTERVAL);
    let covered = share_covered(&fit.intraday.weights, &normalised(&truth.profile));
    assert!(covered >= 0.85, "{covered}: {:?}", fit.intraday);
    assert!(fit.intraday_by_weekday.iter().all(Option::is_none));
    // Monthly levels follow the trend: the last month above the first.
    assert_eq!(fit.months.len(), 7);
    assert!(fit.months[5].per_day.value > fit.months[0].per_day.value * 1.1);
    // Each month's level covers the truth at the mean time of its open days.
    let covered = fit
        .months
        .iter()
        .filter(|m| {
            let open: Vec<f64> = truth
                .dates()
                .filter(|d| truth.open(*d) && super::month_of(*d) == m.month)
                .map(|d| truth.months(d))
                .collect();
            assert_eq!(m.days as usize, open.len(), "{}", m.month);
            m.per_day
                .covers(truth.level(open.iter().sum::<f64>() / open.len() as f64))
        })
        .count();
    assert!(covered >= 6, "{covered} of 7: {:?}", fit.months);

    let email = result
        .demand
        .iter()
        .find(|d| d.channel == Channel::Email)
        .expect("an e-mail fit");
    assert!(email.trend.is_some());
    assert!(
        email
            .per_day
            .covers(200.0 * (1.0 + 0.04 * (end - truth.t_mean())))
            || {
                // E-mail's mean time differs a little from the calls' (weekends count).
                let e = email.per_day;
                (e.value - 200.0 * (1.0 + 0.04 * (end - truth.t_mean()))).abs()
                    < 2.0 * (e.high - e.low)
            }
    );
    let weights = truth.email.unwrap().1;
    for (w, weight) in weights.iter().enumerate() {
        let fitted = email.weekday[w].expect("e-mail every day");
        if !fitted.covers(*weight) {
            misses.push(format!("e-mail weekday {w}: {fitted:?}"));
        }
    }
    assert!(misses.len() <= 1, "{misses:?}");
    assert_eq!(email.intraday.start, 0);
    assert_eq!(email.intraday.weights.len(), 48);
    let covered = share_covered(&email.intraday.weights, &[1.0; 48]);
    assert!(covered >= 0.85, "{covered}");

    assert_eq!(result.closed_days, truth.holidays);
    let opening: Vec<(Weekday, u32, u32)> = result
        .opening
        .iter()
        .map(|o| (o.weekday, o.open, o.close))
        .collect();
    let expected: Vec<(Weekday, u32, u32)> = Weekday::ALL[..6]
        .iter()
        .map(|w| (*w, 8 * 3600, 18 * 3600))
        .collect();
    assert_eq!(opening, expected);
}

/// Without a trend, `per_day × weekday weight × intraday weight / Σ weights`
/// summed over the open days gives back the data's count of every slot.
#[test]
fn fitted_volume_reproduces_the_data_per_interval() {
    let truth = Truth {
        cv: 0.1,
        holidays: vec![date("2025-02-12")],
        ..base()
    };
    let rows = truth.rows(3);
    let mut acc = DemandAccumulator::new(INTERVAL);
    rows.iter().for_each(|r| acc.add_interval(r));
    let result = acc.finish(truth.from, truth.from + chrono::Days::new(90));
    let fit = calls(&result);
    assert!(fit.trend.is_none());
    let sum: f64 = fit.intraday.weights.iter().map(|w| w.value).sum();
    let mut fitted = vec![0.0; fit.intraday.weights.len()];
    let mut actual = vec![0.0; fit.intraday.weights.len()];
    for d in truth.dates().filter(|d| truth.open(*d)) {
        let w = fit.weekday[Weekday::of(d).index()].unwrap().value;
        for (i, q) in fit.intraday.weights.iter().enumerate() {
            fitted[i] += fit.per_day.value * w * q.value / sum;
        }
    }
    for r in rows.iter().filter(|r| r.channel == Channel::Call) {
        actual[(r.start / INTERVAL) as usize - 16] += r.offered as f64;
    }
    for (f, a) in fitted.iter().zip(&actual) {
        assert!((f - a).abs() < 1e-6 * a.max(1.0), "{f} against {a}");
    }
    let days_fitted: f64 = fit.days.iter().map(|d| d.fitted).sum();
    let days_actual: f64 = fit.days.iter().map(|d| d.actual).sum();
    assert!((days_fitted - days_actual).abs() < 1e-6 * days_actual);
    assert_eq!(fit.offered as f64, days_actual);
}

/// Over 100 seeds of trend-free data: the per_day CI covers the truth
/// 88–99% of the time, a trend is (wrongly) kept at most 10% of the
/// time, and so is an uncertainty on Poisson data.
#[test]
fn per_day_intervals_cover_and_trend_free_data_gets_no_trend() {
    let truth = Truth {
        per_day: 300.0,
        profile: vec![1.0, 2.0, 3.0, 2.0, 1.0],
        ..base()
    };
    let runs = 100;
    let (mut covers, mut trends, mut uncertain) = (0, 0, 0);
    for seed in 0..runs {
        let result = truth.fit(seed);
        let fit = calls(&result);
        covers += usize::from(fit.per_day.covers(truth.per_day));
        trends += usize::from(fit.trend.is_some());
        uncertain += usize::from(fit.uncertainty_cv.is_some());
    }
    let coverage = covers as f64 / runs as f64;
    assert!((0.88..=0.99).contains(&coverage), "coverage {coverage}");
    assert!(trends <= 10, "{trends} trends in {runs} trend-free runs");
    assert!(
        uncertain <= 10,
        "{uncertain} uncertainties in {runs} Poisson runs"
    );
}

#[test]
fn equal_weekday_profiles_are_not_split() {
    // Exactly equal profiles.
    let result = base().fit(11);
    let fit = calls(&result);
    assert!(fit.intraday_by_weekday.iter().all(Option::is_none));
    assert!(
        fit.weekdays_differ_p.is_some_and(|p| p > 0.001),
        "{:?}",
        fit.weekdays_differ_p
    );
    // A trivial difference (4% more on Friday mornings) that a huge volume
    // makes significant is still not material.
    let mut friday = humps();
    for q in friday.iter_mut().take(10) {
        *q *= 1.04;
    }
    let truth = Truth {
        per_day: 40_000.0,
        friday: Some(friday),
        ..base()
    };
    let result = truth.fit(12);
    let fit = calls(&result);
    assert!(
        fit.weekdays_differ_p.is_some_and(|p| p < 0.05),
        "{:?}",
        fit.weekdays_differ_p
    );
    assert!(fit.intraday_by_weekday.iter().all(Option::is_none));
}

#[test]
fn a_friday_profile_that_differs_by_30_percent_is_found() {
    let mut friday = humps();
    for (i, q) in friday.iter_mut().enumerate() {
        *q *= if i < 10 { 1.3 } else { 0.7 };
    }
    let truth = Truth {
        friday: Some(friday.clone()),
        cv: 0.1,
        ..base()
    };
    let result = truth.fit(5);
    let fit = calls(&result);
    assert!(fit.weekdays_differ_p.is_some_and(|p| p < 0.05));
    for w in 0..7 {
        assert_eq!(fit.intraday_by_weekday[w].is_some(), w == 4, "weekday {w}");
    }
    let own = fit.intraday_by_weekday[4].as_ref().unwrap();
    assert_eq!(own.start, fit.intraday.start);
    let covered = share_covered(&own.weights, &normalised(&friday));
    assert!(covered >= 0.85, "{covered}: {own:?}");
    // The common profile comes from the other weekdays only.
    let covered = share_covered(&fit.intraday.weights, &normalised(&truth.profile));
    assert!(covered >= 0.85, "{covered}");
}

#[test]
fn closed_days_are_found() {
    let holidays = vec![date("2025-01-06"), date("2025-02-14"), date("2025-03-20")];
    let truth = Truth {
        holidays: holidays.clone(),
        per_day: 200.0,
        email: Some((50.0, [1.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.2])),
        ..base()
    };
    let result = truth.fit(2);
    // Sundays have no calls but are not working days: not closed days.
    assert_eq!(result.closed_days, holidays);
    let fit = calls(&result);
    for day in &fit.days {
        if holidays.contains(&day.date) || Weekday::of(day.date) == Weekday::Sun {
            assert_eq!((day.actual, day.fitted), (0.0, 0.0), "{}", day.date);
        } else {
            assert!(day.fitted > 0.0, "{}", day.date);
        }
    }
    // E-mail on a holiday is fitted with Sunday's weight, as a scenario gives it.
    let email = result
        .demand
        .iter()
        .find(|d| d.channel == Channel::Email)
        .unwrap();
    let holiday = email.days.iter().find(|d| d.date == holidays[1]).unwrap();
    let sunday = email
        .days
        .iter()
        .find(|d| d.date == date("2025-02-16"))
        .unwrap();
    assert!(holiday.fitted > 0.0);
    assert!(
        (holiday.fitted / sunday.fitted - 1.0).abs() < 0.01,
        "{holiday:?} {sunday:?}"
    );
    assert!(
        result
            .warnings
            .iter()
            .any(|w| w.contains("3 working day(s)")),
        "{:?}",
        result.warnings
    );
}

#[test]
fn contacts_and_interval_rows_give_identical_fits() {
    let truth = Truth {
        trend: 0.05,
        cv: 0.1,
        holidays: vec![date("2025-02-12")],
        email: Some((80.0, [1.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.2])),
        ..base()
    };
    let rows = truth.rows(9);
    let mut by_rows = DemandAccumulator::new(INTERVAL);
    let mut by_contacts = DemandAccumulator::new(INTERVAL);
    let mut contact = Contact {
        contact: 0,
        caller: None,
        line: String::new(),
        theme: "general".to_string(),
        channel: Channel::Call,
        arrival: NaiveDateTime::default(),
        outcome: Outcome::Answered,
        wait: 0.0,
        handle: Some(200.0),
        pool: None,
    };
    // A contact on a date outside the fit period is left out.
    contact.arrival = date("2024-12-31").and_hms_opt(10, 0, 0).unwrap();
    by_contacts.add_contact(&contact);
    for r in &rows {
        by_rows.add_interval(r);
        contact.channel = r.channel;
        for k in 0..r.offered {
            contact.contact += 1;
            let second = r.start + (k as u32 * 7) % INTERVAL;
            contact.arrival =
                r.date.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::seconds(i64::from(second));
            by_contacts.add_contact(&contact);
        }
    }
    let to = truth.from + chrono::Days::new(90);
    let (a, b) = (
        by_rows.finish(truth.from, to),
        by_contacts.finish(truth.from, to),
    );
    assert_eq!(a, b);
    assert_eq!(a.demand.len(), 2);
    assert!(a.demand.iter().all(|d| d.offered > 5_000));
}

#[test]
fn an_empty_period_is_a_warning() {
    let acc = DemandAccumulator::new(INTERVAL);
    let result = acc.finish(date("2025-02-01"), date("2025-01-01"));
    assert!(result.demand.is_empty());
    assert_eq!(
        result.warnings,
        vec!["the fit period is empty (2025-02-01 to 2025-01-01): no demand fitted".to_string()]
    );
}

/// Over 200 seeds of the data of
/// `generating_parameters_lie_within_their_confidence_intervals`, each
/// 95% interval covers the truth at least 88% of the time.
#[test]
fn intervals_cover_the_generating_parameters_over_many_seeds() {
    let truth = rich();
    let runs = 200;
    let mut cover = [[0usize; 7]; 2];
    let mut other = [0usize; 4];
    let end = truth.months(truth.from + chrono::Days::new(181));
    for seed in 100..100 + runs {
        let result = truth.fit(seed);
        for (k, fit) in result.demand.iter().enumerate() {
            let weights = if k == 0 {
                truth.weekday
            } else {
                truth.email.unwrap().1
            };
            for w in 0..7 {
                if let Some(f) = fit.weekday[w] {
                    cover[k][w] += usize::from(f.covers(weights[w]));
                }
            }
        }
        let c = calls(&result);
        other[0] += usize::from(c.per_day.covers(truth.level(end)));
        other[1] += usize::from(
            c.trend
                .as_ref()
                .is_some_and(|t| t.per_month.covers(truth.trend)),
        );
        other[2] += usize::from(c.uncertainty_cv.is_some_and(|u| u.covers(truth.cv)));
        let profile = share_covered(&c.intraday.weights, &normalised(&truth.profile));
        other[3] += usize::from(profile >= 0.85);
    }
    let at_least = (runs as f64 * 0.88) as usize;
    assert!(
        cover[0][..6]
            .iter()
            .chain(&cover[1])
            .all(|c| *c >= at_least),
        "{cover:?}"
    );
    assert!(other.iter().all(|c| *c >= at_least), "{other:?}");
}

/// A line closed on Wednesdays: no Wednesday weight, the others divided by
/// the Monday–Friday mean with Wednesday counting 0, as a scenario with
/// `wed = 0` normalises them, so `per_day × weight` is each weekday's mean.
#[test]
fn a_weekday_without_contacts_counts_zero_in_the_normalisation() {
    let truth = Truth {
        weekday: [1.25, 1.25, 0.0, 1.25, 1.25, 0.0, 0.0],
        ..base()
    };
    let result = truth.fit(4);
    let fit = calls(&result);
    assert_eq!(fit.weekday[2], None);
    let weights: Vec<f64> = fit.weekday.iter().flatten().map(|w| w.value).collect();
    assert_eq!(weights.len(), 4);
    assert!(
        (weights.iter().sum::<f64>() / 5.0 - 1.0).abs() < 1e-12,
        "{weights:?}"
    );
    for (w, weight) in fit.weekday.iter().enumerate() {
        if let Some(weight) = weight {
            assert!(weight.covers(truth.weekday[w]), "{w}: {weight:?}");
            let days: Vec<&DayVolume> = fit
                .days
                .iter()
                .filter(|d| Weekday::of(d.date).index() == w)
                .collect();
            let mean = days.iter().map(|d| d.actual).sum::<f64>() / days.len() as f64;
            assert!((fit.per_day.value * weight.value - mean).abs() < 1e-9 * mean);
        }
    }
    assert!(fit.per_day.covers(truth.per_day), "{:?}", fit.per_day);
    // Wednesdays are not working days: not closed days either.
    assert!(result.closed_days.is_empty());
    assert!(!result.opening.iter().any(|o| o.weekday == Weekday::Wed));
}

#[test]
fn a_period_without_contacts_is_a_warning() {
    let mut acc = DemandAccumulator::new(INTERVAL);
    acc.add_interval(&row(date("2025-03-03"), 20, Channel::Call, 5));
    let result = acc.finish(date("2025-01-01"), date("2025-01-31"));
    assert!(result.demand.is_empty() && result.closed_days.is_empty() && result.opening.is_empty());
    assert_eq!(
        result.warnings,
        vec!["no contacts from 2025-01-01 to 2025-01-31: no demand fitted".to_string()]
    );
}
