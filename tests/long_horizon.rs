//! Long horizons: the charts and `report.html` draw weeks (over a year) or
//! months (over ten years) while `days.csv`, `intervals.csv` and
//! `summary.json` keep every day and interval; the figures of a run's
//! report summarised as they are written are those of every figure
//! summarised at once.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use ccsim::model::{Channel, Model};
use ccsim::montecarlo::{self, RunOptions, RunResult};
use ccsim::report::charts::periods::Period;
use ccsim::report::charts::{DailyReachability, EmailBacklog, OccupancyHeatmap};
use ccsim::scenario;
use ccsim::stats::{Level, Metric, RunResults, Scope};

fn quickstart(days: u32) -> Model {
    let text = scenario::QUICKSTART.replace("days = 7", &format!("days = {days}"));
    scenario::parse_str(&text, "quickstart.toml", None)
        .unwrap()
        .model
}

fn run(model: &Model, replications: u32) -> RunResult {
    let options = RunOptions {
        replications,
        seed: 5,
        threads: Some(2),
    };
    montecarlo::run(model, options, &|| {}).unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The Monday starting the week of each day, in order, once each.
fn weeks(results: &RunResults) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = Vec::new();
    for d in &results.days {
        let d = date(&d.date);
        let monday = d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()));
        if out.last() != Some(&monday) {
            out.push(monday);
        }
    }
    out
}

#[test]
fn two_years_are_drawn_by_week_and_their_calls_add_up_to_the_horizon() {
    let model = quickstart(730);
    // One replication: a day's reachability is its answered over offered
    // calls exactly, so the weeks' must give back the horizon's answered.
    let results = run(&model, 1).into_results(&model);
    let call = Scope::Channel(Channel::Call);
    let chart = DailyReachability::of(&results).unwrap();
    assert_eq!(chart.period, Period::Week);
    let weeks = weeks(&results);
    assert_eq!(chart.dates.len(), weeks.len());
    // The first point is the horizon's first day, the others Mondays.
    assert_eq!(chart.dates[0], date(&results.days[0].date));
    assert_eq!(&chart.dates[1..], &weeks[1..]);
    let series = chart.series.iter().find(|s| s.label == "call").unwrap();
    // Offered calls per week, summed from the days.
    let mut offered: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (d, day) in results.days.iter().enumerate() {
        let x = date(&day.date);
        let monday = x - chrono::Days::new(u64::from(x.weekday().num_days_from_monday()));
        *offered.entry(monday).or_default() += results
            .mean(Level::Day(d as u32), call, Metric::Offered)
            .unwrap_or(0.0);
    }
    let answered: f64 = series
        .mean
        .iter()
        .zip(offered.values())
        .filter(|(r, _)| r.is_finite())
        .map(|(r, o)| r * o)
        .sum();
    let horizon = results
        .mean(Level::Horizon, call, Metric::Answered)
        .unwrap();
    assert!(
        (answered - horizon).abs() < 1e-6 * horizon,
        "weeks give {answered} answered calls, the horizon {horizon}"
    );
    let horizon_offered = results.mean(Level::Horizon, call, Metric::Offered).unwrap();
    let weeks_offered: f64 = offered.values().sum();
    assert!((weeks_offered - horizon_offered).abs() < 1e-6 * horizon_offered);
    // Each week's band spans its lowest and highest day.
    for (w, (&lo, &hi)) in series.p5.iter().zip(&series.p95).enumerate() {
        if series.mean[w].is_finite() {
            assert!(lo <= series.mean[w] + 1e-12 && series.mean[w] <= hi + 1e-12);
        }
    }
    let email = EmailBacklog::of(&results).unwrap();
    assert_eq!(
        (email.period, email.dates.len()),
        (Period::Week, weeks.len())
    );
    for heatmap in OccupancyHeatmap::of(&results) {
        assert_eq!(heatmap.period, Period::Week);
        assert_eq!(heatmap.values.len(), weeks.len());
    }
}

#[test]
fn a_year_is_still_drawn_by_day() {
    let model = quickstart(365);
    let results = run(&model, 2).into_results(&model);
    let chart = DailyReachability::of(&results).unwrap();
    assert_eq!((chart.period, chart.dates.len()), (Period::Day, 365));
}

#[test]
fn figures_summarised_as_written_are_those_summarised_at_once() {
    let model = quickstart(40);
    let result = run(&model, 4);
    let now = result.results(&model);
    let later = result.clone().into_results(&model);
    assert!(later == now);
    // Each figure found by its key, as the charts and tables find it.
    for (e, x) in now.figures() {
        assert_eq!(later.estimate(e.level, e.scope, e.metric), Some(x), "{e:?}");
    }
}
