//! The scenario `ccsim fit` writes: it validates, a run of it expects
//! exactly the fitted volumes, its comments carry the confidence intervals,
//! a base keeps its lines and pools, staffing follows the history, and
//! nothing is written on error. The FitResults are built by hand.

use chrono::NaiveDate;

use ccsim::erlang;
use ccsim::fit::scenario_writer::{self, WriteError, WriteOptions};
use ccsim::fit::{
    Candidate, DayVolume, DemandFit, Family, FitResult, Fitted, HandleTimeFit, IntervalLoad,
    Opening, PatienceFit, Profile, Source,
};
use ccsim::model::{Channel, Weekday};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn fitted(value: f64, low: f64, high: f64) -> Fitted {
    Fitted { value, low, high }
}

fn around(value: f64) -> Fitted {
    fitted(value, value * 0.97, value * 1.03)
}

const HOUR: u32 = 3600;

fn handle(mean: f64, cv: f64) -> HandleTimeFit {
    HandleTimeFit {
        source: Source::Contacts,
        observations: 5321,
        mean: fitted(mean, mean - 4.0, mean + 4.0),
        cv: Some(fitted(cv, cv - 0.02, cv + 0.02)),
        family: Some(Family::Lognormal),
        candidates: vec![
            Candidate {
                family: Family::Lognormal,
                mean,
                cv,
                log_likelihood: -100.0,
                aic: 204.0,
            },
            Candidate {
                family: Family::Gamma,
                mean,
                cv,
                log_likelihood: -110.0,
                aic: 224.0,
            },
        ],
        histogram: None,
    }
}

/// A theme on a channel with the given weekday weights and profile.
fn demand(
    theme: &str,
    channel: Channel,
    per_day: f64,
    weekday: [Option<f64>; 7],
    profile: Profile,
) -> DemandFit {
    DemandFit {
        theme: theme.into(),
        channel,
        offered: (per_day * 10.0) as u64,
        months: Vec::new(),
        trend: None,
        per_day: fitted(per_day, per_day - 17.0, per_day + 17.0),
        weekday: weekday.map(|w| w.map(around)),
        intraday: profile,
        intraday_by_weekday: Default::default(),
        weekdays_differ_p: Some(0.41),
        uncertainty_cv: Some(fitted(0.08, 0.05, 0.11)),
        days: (0..14)
            .map(|i| DayVolume {
                date: date("2023-01-02") + chrono::Duration::days(i),
                actual: per_day,
                fitted: per_day,
            })
            .collect(),
        handle_time: Some(handle(280.0, 0.9)),
    }
}

fn profile(start: u32, weights: &[f64]) -> Profile {
    Profile {
        start,
        weights: weights.iter().map(|&w| around(w)).collect(),
    }
}

const CALL_WEEKDAYS: [Option<f64>; 7] = [
    Some(1.3),
    Some(1.0),
    Some(0.9),
    Some(0.95),
    Some(0.8),
    Some(0.45),
    None,
];

/// Two weeks from Monday 2023-01-02, hourly intervals; Mon-Fri 08:00-12:00
/// and Saturday 09:00-11:00; Wednesday 2023-01-11 closed.
fn fit() -> FitResult {
    let call_profile = profile(8 * HOUR, &[0.8, 1.2, 1.1, 0.9]);
    let mut email_weights = vec![0.2; 24];
    email_weights[9] = 2.5;
    email_weights[14] = 1.7;
    let mut opening: Vec<Opening> = Weekday::ALL[..5]
        .iter()
        .map(|&weekday| Opening {
            weekday,
            open: 8 * HOUR,
            close: 12 * HOUR,
        })
        .collect();
    opening.push(Opening {
        weekday: Weekday::Sat,
        open: 9 * HOUR,
        close: 11 * HOUR,
    });
    let mut billing_email = demand(
        "billing",
        Channel::Email,
        200.0,
        [
            Some(1.2),
            Some(1.1),
            Some(1.0),
            Some(1.0),
            Some(0.9),
            Some(0.5),
            Some(0.3),
        ],
        profile(0, &email_weights),
    );
    billing_email.handle_time = Some(handle(600.0, 0.7));
    FitResult {
        from: date("2023-01-02"),
        to: date("2023-01-15"),
        interval: HOUR,
        source: Source::Contacts,
        demand: vec![
            demand(
                "billing",
                Channel::Call,
                1180.0,
                CALL_WEEKDAYS,
                call_profile.clone(),
            ),
            billing_email,
            demand(
                "tax permits",
                Channel::Call,
                333.3,
                CALL_WEEKDAYS,
                profile(9 * HOUR, &[1.5, 0.5]),
            ),
        ],
        patience: vec![PatienceFit {
            channel: Channel::Call,
            source: Source::Contacts,
            abandoned: 812,
            censored: 9120,
            family: Family::Weibull,
            mean: fitted(182.0, 171.0, 194.0),
            cv: fitted(1.2, 1.1, 1.3),
            candidates: Vec::new(),
            kaplan_meier: Vec::new(),
            naive_mean: Some(61.0),
            theta: None,
        }],
        opening,
        closed_days: vec![date("2023-01-11")],
        warnings: vec!["a warning\nover two lines".into()],
        thresholds: [Some(20), None, None, None],
        load: Vec::new(),
        observed: Vec::new(),
    }
}

fn parse(text: &str) -> ccsim::scenario::Scenario {
    match ccsim::scenario::parse_str(text, "fitted.toml", None) {
        Ok(s) => s,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// The expected contacts of a stream in interval `i` of day `day`, as the
/// fit says: per_day × weekday weight, spread over the day's open
/// intervals by the profile.
fn fitted_expected(fit: &FitResult, d: &DemandFit, day: NaiveDate, i: u32) -> f64 {
    if fit.closed_days.contains(&day) {
        return 0.0;
    }
    let weekday = Weekday::of(day);
    let Some(open) = fit.opening.iter().find(|o| o.weekday == weekday) else {
        return 0.0;
    };
    let w = d.weekday[weekday.index()].map_or(0.0, |f| f.value);
    let q = |j: u32| -> f64 {
        let start = j * fit.interval;
        if start < open.open || start >= open.close || start < d.intraday.start {
            return 0.0;
        }
        let k = ((start - d.intraday.start) / fit.interval) as usize;
        d.intraday.weights.get(k).map_or(0.0, |f| f.value)
    };
    let total: f64 = (0..24).map(q).sum();
    if total == 0.0 {
        return 0.0;
    }
    d.per_day.value * w * q(i) / total
}

#[test]
fn the_written_scenario_expects_exactly_the_fitted_volumes() {
    let fit = fit();
    let text = scenario_writer::scenario_text(&fit, &WriteOptions::default()).unwrap();
    let scenario = parse(&text);
    let model = &scenario.model;
    assert_eq!(model.calendar.start, fit.from);
    assert_eq!(model.calendar.days, 14);
    assert_eq!(model.calendar.interval, f64::from(HOUR));
    let mut checked = 0;
    for d in fit.demand.iter().filter(|d| d.channel == Channel::Call) {
        let theme = model.themes.iter().position(|t| t.name == d.theme).unwrap();
        let stream = model
            .streams
            .iter()
            .find(|s| s.theme == theme && s.channel == Channel::Call)
            .unwrap();
        for day in 0..14u32 {
            let date = fit.from + chrono::Duration::days(i64::from(day));
            for i in 0..24u32 {
                let want = fitted_expected(&fit, d, date, i);
                let got = stream.expected[(day * 24 + i) as usize];
                assert!(
                    (got - want).abs() <= 1e-9 * want.max(1.0),
                    "{} {date} interval {i}: scenario {got}, fit {want}",
                    d.theme
                );
                checked += usize::from(want > 0.0);
            }
        }
    }
    // 11 open days (one closed Wednesday), 4 + 2 intervals of "tax permits"
    // on weekdays and Saturday ... the test must have looked at real values.
    assert!(checked > 60, "{checked}");
    // E-mail shares the call's weekday weights and keeps its weekly volume.
    let theme = model
        .themes
        .iter()
        .position(|t| t.name == "billing")
        .unwrap();
    let email = model
        .streams
        .iter()
        .find(|s| s.theme == theme && s.channel == Channel::Email)
        .unwrap();
    // The first week has no closed day (a closed weekday takes Sunday's e-mail weight).
    let week: f64 = email.expected[..7 * 24].iter().sum();
    let d = &fit.demand[1];
    let want: f64 = d.weekday.iter().flatten().map(|f| f.value).sum::<f64>() * d.per_day.value;
    assert!((week - want).abs() < 1e-9 * want, "{week} against {want}");
    // The fitted behaviour.
    let call = model.channel(Channel::Call);
    let p = call.patience.as_ref().unwrap();
    assert!((p.mean() - 182.0).abs() < 1e-9 && (p.cv() - 1.2).abs() < 1e-6);
    assert_eq!(call.service_level_threshold, 20.0);
    let h = &model.streams[0].handle_time;
    assert!((h.mean() - 280.0).abs() < 1e-9 && (h.cv() - 0.9).abs() < 1e-9);
    assert_eq!(model.themes[theme].uncertainty.unwrap().cv, 0.08);
    // One line with the hours and closed day found.
    assert_eq!(model.lines.len(), 1);
    let line = &model.lines[0];
    assert_eq!(line.hours[0], Some((8.0 * 3600.0, 12.0 * 3600.0)));
    assert_eq!(line.hours[5], Some((9.0 * 3600.0, 11.0 * 3600.0)));
    assert_eq!(line.hours[6], None);
    assert!(line.closed.contains(&date("2023-01-11")));
}

#[test]
fn comments_carry_the_confidence_intervals_and_sources() {
    let text = scenario_writer::scenario_text(&fit(), &WriteOptions::default()).unwrap();
    // per_day is written for a day of weight 1: the fit's per_day times the
    // Monday-Friday mean of its weights (0.99), CI likewise.
    let m = (1.3 + 1.0 + 0.9 + 0.95 + 0.8) / 5.0;
    let line = text
        .lines()
        .find(|l| l.starts_with("volume.call") && text.contains("[themes.billing]"))
        .unwrap();
    let expected = format!(
        "# 95% CI {:.0}-{:.0}, from 14 days of 2023-01-02..2023-01-15",
        (1180.0 - 17.0) * m,
        (1180.0 + 17.0) * m
    );
    assert!(line.ends_with(&expected), "{line}\nwant {expected}");
    assert!(text.contains("# Handle time of call: mean 280 s (95% CI 276-284), cv 0.900 (95% CI 0.880-0.920), from 5321 answered contacts; lognormal chosen by AIC (next: gamma, ΔAIC 20.0)"), "{text}");
    assert!(text.contains("# Patience: mean 182 s (95% CI 171-194), cv 1.20 (95% CI 1.10-1.30), from 812 abandoned and 9120 censored waits"), "{text}");
    assert!(
        text.contains("# Day-to-day volume variation beyond Poisson noise, 95% CI 0.050-0.110.")
    );
    assert!(text.contains("[themes.\"tax permits\"]"));
    assert!(text.contains("# warning: a warning over two lines"));
    assert!(
        text.contains(
            "# Weekday weights of call (95% CI), Monday-Friday mean 1: mon 1.31 (1.27-1.35)"
        ),
        "{text}"
    );
}

/// A base scenario with two lines, a pool and a theme the history lacks.
const BASE: &str = r#"
name = "Base"
[horizon]
start = 2021-01-04
days = 7
interval = "1h"

[lines.general]
hours = { mon-fri = "08:00-18:00" }
closed = [2023-01-06]
[lines.permits]
hours = { mon-sat = "08:00-12:00" }

[channels.call]
patience = { dist = "exponential", mean = "5m" }  # a guess
service_level_threshold = "60s"
[channels.email]
sla_working_days = 3

[themes.billing]
line = "general"
volume.call = { per_day = 10 }
volume.email = { per_day = 10 }
handle_time.call = { dist = "exponential", mean = 100 }
handle_time.email = { dist = "exponential", mean = 100 }

[themes."tax permits"]
line = "permits"
volume.call = { per_day = 10 }
handle_time.call = { dist = "exponential", mean = 100 }

[pools.front]
agents = 12
skills = [{ themes = "*", channels = ["call", "email"] }]

[pools.back]
staffing = { start = "08:00", default = [1, 2, 3] }
skills = [{ themes = "billing", channels = "email" }]
"#;

#[test]
fn a_base_keeps_its_lines_and_pools_and_gets_the_fitted_themes_and_patience() {
    let fit = fit();
    let options = WriteOptions {
        base: Some((BASE, "base.toml")),
        horizon: Some((date("2023-02-06"), date("2023-02-19"))),
        sources: vec!["history.csv".into()],
    };
    let text = scenario_writer::scenario_text(&fit, &options).unwrap();
    let model = parse(&text).model;
    let names: Vec<&str> = model.pools.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["front", "back"]);
    let lines: Vec<&str> = model.lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(lines, ["general", "permits"]);
    assert_eq!(model.lines[1].hours[5], Some((8.0 * 3600.0, 12.0 * 3600.0)));
    // Themes on the base's lines.
    let permits = model
        .themes
        .iter()
        .find(|t| t.name == "tax permits")
        .unwrap();
    assert_eq!(model.lines[permits.line].name, "permits");
    // The horizon asked for; the fitted patience and threshold; the base's e-mail SLA.
    assert_eq!(model.calendar.start, date("2023-02-06"));
    assert_eq!(model.calendar.days, 14);
    let call = model.channel(Channel::Call);
    assert!((call.patience.as_ref().unwrap().mean() - 182.0).abs() < 1e-9);
    assert_eq!(call.service_level_threshold, 20.0);
    assert!(text.contains("sla_working_days = 3"));
    // The base's theme volumes are gone: the fitted ones are there.
    assert!(!text.contains("per_day = 10 }"));
    assert!(text.contains("#   history.csv"));
}

#[test]
fn nothing_is_written_on_error() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist.
    let path = dir.path().join("missing").join("fitted.toml");
    let err = scenario_writer::write(&fit(), &WriteOptions::default(), &path).unwrap_err();
    assert!(matches!(err, WriteError::Write { .. }), "{err}");
    assert!(!path.exists());
    // A fit the scenario format cannot hold: no Monday-Friday weight.
    let mut bad = fit();
    for d in &mut bad.demand {
        d.weekday = [None, None, None, None, None, Some(around(1.0)), None];
    }
    let path = dir.path().join("fitted.toml");
    let err = scenario_writer::write(&bad, &WriteOptions::default(), &path).unwrap_err();
    assert!(
        err.to_string()
            .contains("at least one weekday from mon to fri needs a positive weight"),
        "{err}"
    );
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // No demand at all.
    let mut empty = fit();
    empty.demand.clear();
    let err = scenario_writer::write(&empty, &WriteOptions::default(), &path).unwrap_err();
    assert!(err.to_string().contains("nothing to write"), "{err}");
    // A base that is not TOML.
    let options = WriteOptions {
        base: Some(("[pools", "broken.toml")),
        ..WriteOptions::default()
    };
    let err = scenario_writer::write(&fit(), &options, &path).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the base scenario broken.toml is not TOML"),
        "{err}"
    );
    assert!(!path.exists());
    // And a good fit is written whole.
    let text = scenario_writer::write(&fit(), &WriteOptions::default(), &path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

fn load(
    weekday: Weekday,
    start: u32,
    offered: f64,
    abandoned: f64,
    agents: Option<f64>,
) -> IntervalLoad {
    IntervalLoad {
        weekday,
        start,
        dates: 2,
        offered,
        abandoned,
        agents,
    }
}

#[test]
fn staffing_comes_from_the_agents_column_when_the_history_has_it() {
    let mut fit = fit();
    fit.load = vec![
        load(Weekday::Mon, 8 * HOUR, 120.0, 6.0, Some(31.6)),
        load(Weekday::Mon, 9 * HOUR, 180.0, 9.0, Some(40.2)),
        load(Weekday::Sat, 9 * HOUR, 50.0, 2.0, Some(7.5)),
    ];
    let text = scenario_writer::scenario_text(&fit, &WriteOptions::default()).unwrap();
    assert!(text.contains("mon = [32, 40]"), "{text}");
    assert!(text.contains("sat = [0, 8]"), "{text}");
    let model = parse(&text).model;
    // Monday 2023-01-02, 08:00 and 09:00.
    assert_eq!(model.pools[0].available[8], 32);
    assert_eq!(model.pools[0].available[9], 40);
}

#[test]
fn inferred_staffing_reproduces_the_abandonment_observed_with_erlang_a() {
    let mut fit = fit();
    fit.load = vec![
        load(Weekday::Tue, 8 * HOUR, 120.0, 6.0, None),
        load(Weekday::Tue, 9 * HOUR, 180.0, 3.0, None),
        load(Weekday::Tue, 10 * HOUR, 60.0, 0.0, None),
    ];
    let text = scenario_writer::scenario_text(&fit, &WriteOptions::default()).unwrap();
    assert!(text.contains("Staffing INFERRED"), "{text}");
    let model = parse(&text).model;
    // Tuesday 2023-01-03 is day 1. Handle time: every live fit has a mean of 280 s.
    let patience = 182.0;
    for (k, (offered, abandoned)) in [(120.0, 6.0), (180.0, 3.0), (60.0, 0.0)]
        .into_iter()
        .enumerate()
    {
        let n = model.pools[0].available[24 + 8 + k];
        let p = |agents: u32| {
            let load = erlang::Load {
                arrival_rate: offered / 3600.0,
                mean_handle_time: 280.0,
                agents,
            };
            erlang::erlang_a_figures(load, patience, 20.0)
                .unwrap()
                .p_abandon
        };
        let share = f64::max(abandoned / offered, 0.005);
        assert!(p(n) <= share, "{k}: {n} agents abandon {}", p(n));
        assert!(p(n - 1) > share, "{k}: {} agents would do", n - 1);
    }
}
