//! The fit report: its JSON carries the FitResult's numbers exactly, its
//! terminal view shows the CIs, and its charts draw (SVG and PNG) on full,
//! empty and hostile fits without a panic.

use chrono::NaiveDate;

use ccsim::fit::{
    DayVolume, DemandFit, Family, FitResult, Fitted, HandleTimeFit, Histogram, IntervalLoad,
    ObservedProfile, Opening, PatienceFit, Profile, Source, SurvivalPoint,
};
use ccsim::model::{Channel, Weekday};
use ccsim::report::charts::{self, AnyChart, FitCurves, ImageFormat};
use ccsim::report::fit::FitReport;
use ccsim::report::{Colour, Report};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn f(value: f64) -> Fitted {
    Fitted {
        value,
        low: value * 0.9,
        high: value * 1.1,
    }
}

/// A fit of one theme with calls over four weeks, contact level.
fn full() -> FitResult {
    let start = date("2023-01-02");
    let days: Vec<DayVolume> = (0..28)
        .map(|i| DayVolume {
            date: start + chrono::Duration::days(i),
            actual: 1000.0 + (i * 37 % 90) as f64,
            fitted: 1040.0,
        })
        .collect();
    let weights: Vec<Fitted> = [0.6, 0.9, 1.2, 1.3, 1.1, 0.9]
        .iter()
        .map(|&w| f(w))
        .collect();
    let demand = DemandFit {
        theme: "billing <&> \"x\"".into(),
        channel: Channel::Call,
        offered: 29_000,
        months: Vec::new(),
        trend: Some(ccsim::fit::Trend {
            per_month: f(0.021),
            p_value: 0.013,
        }),
        per_day: Fitted {
            value: 1180.123456789,
            low: 1163.0,
            high: 1197.0,
        },
        weekday: [
            Some(f(1.3)),
            Some(f(1.0)),
            Some(f(0.9)),
            Some(f(0.95)),
            Some(f(0.85)),
            None,
            None,
        ],
        intraday: Profile {
            start: 9 * 3600,
            weights,
        },
        intraday_by_weekday: Default::default(),
        weekdays_differ_p: Some(0.2),
        uncertainty_cv: None,
        days,
        handle_time: Some(HandleTimeFit {
            source: Source::Contacts,
            observations: 27_000,
            mean: f(312.5),
            cv: Some(f(0.8)),
            family: Some(Family::Lognormal),
            candidates: Vec::new(),
            histogram: Some(Histogram {
                edges: (0..=40).map(|i| f64::from(i) * 30.0).collect(),
                counts: (0..40)
                    .map(|i| (1000.0 * (-(f64::from(i) - 8.0).powi(2) / 40.0).exp()) as u64)
                    .collect(),
            }),
        }),
    };
    let observed = Weekday::ALL[..5]
        .iter()
        .map(|&weekday| ObservedProfile {
            theme: demand.theme.clone(),
            channel: Channel::Call,
            weekday,
            counts: (0..48)
                .map(|i| {
                    if (18..30).contains(&i) {
                        100.0 + f64::from(i)
                    } else {
                        0.0
                    }
                })
                .collect(),
        })
        .collect();
    FitResult {
        from: start,
        to: start + chrono::Duration::days(27),
        interval: 1800,
        source: Source::Contacts,
        demand: vec![demand],
        patience: vec![PatienceFit {
            channel: Channel::Call,
            source: Source::Contacts,
            abandoned: 900,
            censored: 26_000,
            family: Family::Weibull,
            mean: f(185.0),
            cv: f(1.1),
            candidates: Vec::new(),
            kaplan_meier: (0..60)
                .map(|i| {
                    let t = f64::from(i) * 10.0;
                    let s = (-t / 185.0).exp();
                    SurvivalPoint {
                        t,
                        survival: s,
                        low: s * 0.95,
                        high: (s * 1.05).min(1.0),
                    }
                })
                .collect(),
            naive_mean: Some(62.0),
            theta: None,
        }],
        opening: Weekday::ALL[..5]
            .iter()
            .map(|&weekday| Opening {
                weekday,
                open: 9 * 3600,
                close: 12 * 3600,
            })
            .collect(),
        closed_days: vec![date("2023-01-06")],
        warnings: vec!["3 rows without a theme were skipped".into()],
        thresholds: [Some(20), None, None, None],
        load: vec![IntervalLoad {
            weekday: Weekday::Mon,
            start: 9 * 3600,
            dates: 4,
            offered: 120.0,
            abandoned: 4.5,
            agents: None,
        }],
        observed,
    }
}

fn report(fit: FitResult) -> FitReport {
    FitReport {
        fit,
        sources: vec!["contacts.csv".into()],
        scenario: Some("fitted.toml".into()),
    }
}

#[test]
fn the_json_carries_the_fit_numbers_exactly() {
    let r = report(full());
    let mut bytes = Vec::new();
    r.write_json(&mut bytes).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["ccsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["schema_version"], 1);
    let d = &v["fit"]["demand"][0];
    assert_eq!(d["per_day"]["value"].as_f64().unwrap(), 1180.123456789);
    assert_eq!(d["per_day"]["low"].as_f64().unwrap(), 1163.0);
    assert_eq!(d["weekday"][0]["value"].as_f64().unwrap(), 1.3);
    assert_eq!(d["weekday"][0]["low"].as_f64().unwrap(), 1.3 * 0.9);
    assert!(d["weekday"][5].is_null());
    assert_eq!(d["channel"], "call");
    assert_eq!(d["handle_time"]["family"], "lognormal");
    assert_eq!(
        d["handle_time"]["mean"]["high"].as_f64().unwrap(),
        312.5 * 1.1
    );
    let p = &v["fit"]["patience"][0];
    assert_eq!(p["mean"]["value"].as_f64().unwrap(), 185.0);
    assert_eq!(
        p["kaplan_meier"][7]["survival"].as_f64().unwrap(),
        (-70.0f64 / 185.0).exp()
    );
    assert_eq!(v["fit"]["opening"][0]["weekday"], "mon");
    assert_eq!(v["fit"]["closed_days"][0], "2023-01-06");
    assert_eq!(v["fit"]["load"][0]["abandoned"].as_f64().unwrap(), 4.5);
    assert_eq!(v["fit"]["thresholds"][0], 20);
}

#[test]
fn the_terminal_view_shows_every_value_with_its_ci() {
    let text = report(full()).terminal(Colour::Off);
    for want in [
        "1,180 [1,163, 1,197]",
        "+2.1% [+1.9%, +2.3%], p 0.013",
        "1.300 [1.170, 1.430]",
        "312.5 [281.2, 343.8]",
        "lognormal",
        "185 [167, 204]",
        "weibull",
        "Closed days found: 2023-01-06.",
        "mon 09:00-12:00",
        "warning: 3 rows without a theme were skipped",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

fn render_all(charts: &[Box<dyn AnyChart>]) {
    for chart in charts {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let bytes = chart
                .render(format)
                .unwrap_or_else(|e| panic!("{}: {e}", chart.file_stem()));
            assert!(!bytes.is_empty());
        }
    }
}

#[test]
fn the_fit_charts_draw_actual_against_fitted() {
    let fit = full();
    let list = charts::of_fit(&fit);
    let stems: Vec<String> = list.iter().map(|c| c.file_stem()).collect();
    assert_eq!(
        stems,
        [
            "fit_daily_billing_x_call",
            "fit_intraday_billing_x_call",
            "fit_handle_billing_x_call",
            "fit_patience"
        ],
        "{stems:?}"
    );
    render_all(&list);
    let svg = String::from_utf8(list[3].render(ImageFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("naive mean"));
    assert!(svg.contains("Kaplan"));
    // The fitted intraday share of Monday: 5 panels, one per weekday with contacts.
    let intraday = FitCurves::intraday(&fit);
    assert_eq!(intraday[0].panels.len(), 5);
    let fitted = &intraday[0].panels[0].series[0];
    let total: f64 = fitted.ys.iter().sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Its first point is at 09:00.
    assert_eq!(fitted.xs[0], 9.0);
}

#[test]
fn the_fit_charts_draw_on_empty_and_hostile_fits() {
    // Empty: no demand, no patience.
    let mut empty = full();
    empty.demand.clear();
    empty.patience.clear();
    empty.observed.clear();
    assert!(charts::of_fit(&empty).is_empty());
    // Hostile: NaN and infinite values, a lone day, empty histogram and
    // survival curves, an interval of zero, counts of zero.
    let mut hostile = full();
    hostile.interval = 0;
    let d = &mut hostile.demand[0];
    d.days.truncate(1);
    d.days[0].actual = f64::NAN;
    d.days[0].fitted = f64::INFINITY;
    d.intraday.weights = vec![f(0.0), f(f64::NAN)];
    d.intraday_by_weekday[0] = Some(Profile {
        start: 0,
        weights: Vec::new(),
    });
    if let Some(h) = &mut d.handle_time {
        h.mean = f(f64::NAN);
        h.histogram = Some(Histogram {
            edges: vec![0.0, 0.0, 1e308],
            counts: vec![0, u64::MAX],
        });
    }
    hostile.observed[1].counts = vec![f64::INFINITY, -1.0, 1e308];
    hostile.patience[0].kaplan_meier[3].t = f64::NEG_INFINITY;
    hostile.patience[0].kaplan_meier[4].survival = f64::NAN;
    hostile.patience[0].naive_mean = Some(f64::NAN);
    hostile.patience[0].mean = f(-3.0);
    render_all(&charts::of_fit(&hostile));
    // A chart with panels but no finite point says so.
    let blank = FitCurves {
        panels: vec![charts::FitPanel {
            heading: "mon".into(),
            series: vec![charts::FitSeries {
                label: "actual".into(),
                xs: vec![f64::NAN; 3],
                ys: vec![1.0; 3],
                style: charts::FitStyle::Actual,
            }],
        }],
        ..FitCurves::daily(&full()).remove(0)
    };
    let svg = String::from_utf8(blank.render(ImageFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("No history to show"));
}

#[test]
fn the_report_folder_has_the_page_the_json_and_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    let r = report(full());
    let written = ccsim::report::out::write_dir(&r, &out, ImageFormat::Svg).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    assert_eq!(names[0], "fit.json");
    assert!(
        names.contains(&"charts/fit_patience.svg".to_string()),
        "{names:?}"
    );
    assert_eq!(names.last().unwrap(), "report.html");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("billing &lt;&amp;&gt;"));
    assert!(html.contains("<svg"));
    assert!(html.contains("1,180 [1,163, 1,197]"));
}
