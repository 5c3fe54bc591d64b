//! Charts render valid, deterministic SVG and PNG files for realistic data
//! over a week and a quarter, with gaps, and for empty data.
//!
//! Set `CCSIM_CHARTS_LOOK=/some/dir` to also write every chart as PNG and
//! SVG there, to look at them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use ccsim::report::charts::{
    Band, Chart, DailyReachability, DailySeries, EmailBacklog, ImageFormat, IntervalFlow,
    IntradayChannel, IntradayReachability, OccupancyHeatmap, ThemeBar, ThemeHoursCost, WaitCdf,
    WaitCdfChannel, render,
};

const SCENARIO: &str = "Q2 base <staffing> & more";

/// Deterministic noise in [-1, 1], so the fixtures need no random crate and
/// never change.
fn noise(seed: u64, i: usize) -> f64 {
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add((i as u64).wrapping_mul(1_442_695_040_888_963_407) + 1);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x % 20_001) as f64 / 10_000.0 - 1.0
}

fn dates(n: usize) -> Vec<NaiveDate> {
    // A quarter starts on a Monday; the week is its busiest week.
    let start = if n <= 7 {
        NaiveDate::from_ymd_opt(2021, 5, 31).unwrap()
    } else {
        NaiveDate::from_ymd_opt(2021, 4, 5).unwrap()
    };
    (0..n).map(|i| start + Duration::days(i as i64)).collect()
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// 08:00 to 18:00 in half hours: 20 slots.
fn slots() -> Vec<u32> {
    (0..20).map(|i| 480 + 30 * i).collect()
}

fn band(mean: Vec<f64>, half: impl Fn(usize) -> f64) -> Band {
    let low = mean
        .iter()
        .enumerate()
        .map(|(i, m)| (m - half(i)).clamp(0.0, 1.0))
        .collect();
    let high = mean
        .iter()
        .enumerate()
        .map(|(i, m)| (m + half(i)).clamp(0.0, 1.0))
        .collect();
    Band { mean, low, high }
}

/// Reachability through the day: dips at the morning and early-afternoon peaks.
fn intraday_curve(seed: u64, base: f64, depth: f64) -> Vec<f64> {
    slots()
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let h = f64::from(s) / 60.0;
            let dip =
                (-(h - 10.0f64).powi(2) / 1.5).exp() + 0.7 * (-(h - 14.0f64).powi(2) / 1.0).exp();
            (base - depth * dip + 0.01 * noise(seed, i)).clamp(0.0, 1.0)
        })
        .collect()
}

fn intraday(days: usize) -> IntradayReachability {
    let d = dates(days);
    let mut worst_call = intraday_curve(3, 0.84, 0.30);
    // A slot nobody called in on the worst day: a gap.
    worst_call[19] = f64::NAN;
    let mut chat_mean = intraday_curve(2, 0.97, 0.12);
    chat_mean[0] = f64::NAN;
    IntradayReachability {
        scenario: SCENARIO.into(),
        interval_minutes: 30.0,
        slots: slots(),
        channels: vec![
            IntradayChannel {
                channel: "call".into(),
                mean_over_days: band(intraday_curve(1, 0.95, 0.14), |_| 0.015),
                worst_day: Some((d[1], worst_call)),
            },
            IntradayChannel {
                channel: "chat".into(),
                mean_over_days: band(chat_mean, |_| 0.01),
                worst_day: Some((d[days.min(4) - 1], intraday_curve(4, 0.9, 0.2))),
            },
            IntradayChannel {
                channel: "email".into(),
                mean_over_days: band(intraday_curve(5, 0.99, 0.04), |_| 0.004),
                worst_day: None,
            },
        ],
        target: Some(0.9),
    }
}

/// Opening hours: weekdays 08:00–18:00, Saturday 09:00–13:00, Sunday closed.
fn open_slots(d: NaiveDate) -> Vec<u32> {
    match d.weekday() {
        Weekday::Sun => vec![],
        Weekday::Sat => (0..8).map(|i| 540 + 30 * i).collect(),
        _ => slots(),
    }
}

fn flow(days: usize) -> IntervalFlow {
    let mut f = IntervalFlow {
        scenario: SCENARIO.into(),
        interval_minutes: 30.0,
        channels_label: "calls and chats".into(),
        ..IntervalFlow::default()
    };
    let mut k = 0;
    for d in dates(days) {
        let monday = if d.weekday() == Weekday::Mon {
            1.25
        } else {
            1.0
        };
        for s in open_slots(d) {
            let h = f64::from(s) / 60.0;
            let load = 60.0
                * monday
                * (0.5
                    + (-(h - 10.5f64).powi(2) / 4.0).exp()
                    + 0.6 * (-(h - 14.5f64).powi(2) / 3.0).exp());
            let offered = load * (1.0 + 0.08 * noise(7, k));
            let agents = (load / 4.0 + 2.0 * noise(8, k)).round().max(2.0);
            let abandoned = (offered - agents * 4.2).max(0.0) * 0.6 + 0.02 * offered;
            let closed_out = if s >= 17 * 60 + 30 {
                0.03 * offered
            } else {
                0.0
            };
            let waiting = if k % 37 == 0 { 2.0 } else { 0.0 };
            f.starts.push(NaiveDateTime::new(
                d,
                NaiveTime::from_num_seconds_from_midnight_opt(s * 60, 0).unwrap(),
            ));
            f.offered.push(offered);
            f.abandoned.push(abandoned);
            f.closed_out.push(closed_out);
            f.answered
                .push((offered - abandoned - closed_out - waiting).max(0.0));
            f.agents.push(agents);
            k += 1;
        }
    }
    f
}

fn daily(days: usize) -> DailyReachability {
    let d = dates(days);
    let series = |label: &str, seed: u64, base: f64, spread: f64| {
        let mean: Vec<f64> = d
            .iter()
            .enumerate()
            .map(|(i, &day)| {
                if weekend(day) {
                    f64::NAN
                } else {
                    let monday = if day.weekday() == Weekday::Mon {
                        0.05
                    } else {
                        0.0
                    };
                    (base - monday + 0.02 * noise(seed, i)).clamp(0.0, 1.0)
                }
            })
            .collect();
        DailySeries {
            label: label.into(),
            p5: mean.iter().map(|m| (m - spread).clamp(0.0, 1.0)).collect(),
            p95: mean
                .iter()
                .map(|m| (m + spread * 0.6).clamp(0.0, 1.0))
                .collect(),
            mean,
        }
    };
    DailyReachability {
        scenario: SCENARIO.into(),
        dates: d.clone(),
        series: vec![
            series("total", 11, 0.93, 0.03),
            series("call", 12, 0.91, 0.04),
            series("chat", 13, 0.96, 0.02),
        ],
        target: Some(0.9),
    }
}

fn wait() -> WaitCdf {
    let seconds: Vec<f64> = (0..=1440).map(|i| f64::from(i) * 5.0).collect();
    let cdf = |waiting: f64, tau: f64| -> Vec<f64> {
        seconds
            .iter()
            .map(|t| 1.0 - waiting * (-t / tau).exp())
            .collect()
    };
    let patience = |tau: f64| -> Vec<f64> {
        seconds
            .iter()
            .map(|t| 1.0 - (-t / tau).exp() * (1.0 + t / tau))
            .collect()
    };
    WaitCdf {
        scenario: SCENARIO.into(),
        channels: vec![
            WaitCdfChannel {
                channel: "call".into(),
                seconds: seconds.clone(),
                answered: band(cdf(0.45, 40.0), |_| 0.015),
                abandoned: Some(band(patience(45.0), |_| 0.03)),
                threshold_seconds: 20.0,
            },
            WaitCdfChannel {
                channel: "chat".into(),
                seconds: seconds.clone(),
                answered: band(cdf(0.6, 90.0), |_| 0.02),
                abandoned: Some(band(patience(160.0), |_| 0.04)),
                threshold_seconds: 60.0,
            },
        ],
    }
}

fn heatmap(days: usize) -> OccupancyHeatmap {
    let d = dates(days);
    let values = d
        .iter()
        .enumerate()
        .map(|(di, &day)| {
            slots()
                .iter()
                .enumerate()
                .map(|(si, &s)| {
                    if weekend(day) || (s < 510 && di % 3 == 0) {
                        f64::NAN
                    } else {
                        let h = f64::from(s) / 60.0;
                        let busy = 0.55 + 0.35 * (-(h - 10.5f64).powi(2) / 3.0).exp();
                        (busy + 0.08 * noise(21, di * 20 + si)).clamp(0.0, 1.0)
                    }
                })
                .collect()
        })
        .collect();
    OccupancyHeatmap {
        scenario: SCENARIO.into(),
        pool: "Generalists (NL)".into(),
        dates: d,
        slots: slots(),
        values,
    }
}

fn email(days: usize) -> EmailBacklog {
    let d = dates(days);
    let mut backlog = Vec::new();
    let mut within = Vec::new();
    let mut level: f64 = 40.0;
    for (i, &day) in d.iter().enumerate() {
        level = if weekend(day) {
            level + 60.0
        } else {
            (level * 0.55 + 30.0 * (1.0 + noise(31, i))).max(0.0)
        };
        backlog.push(level);
        within.push(if weekend(day) {
            f64::NAN
        } else {
            (0.93 - level / 2000.0 + 0.02 * noise(32, i)).clamp(0.0, 1.0)
        });
    }
    EmailBacklog {
        scenario: SCENARIO.into(),
        dates: d,
        backlog: Band {
            low: backlog.iter().map(|b| b * 0.7).collect(),
            high: backlog.iter().map(|b| b * 1.35).collect(),
            mean: backlog,
        },
        within_sla: band(within, |_| 0.02),
        sla_working_days: 2,
        target: Some(0.85),
    }
}

fn themes() -> ThemeHoursCost {
    let names = [
        "Billing",
        "Moving house",
        "Technical fault: no internet",
        "Contract and subscription changes",
        "Complaints",
        "Other",
    ];
    ThemeHoursCost {
        scenario: SCENARIO.into(),
        currency: "€".into(),
        themes: names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let call = 9_000.0 / (i as f64 + 1.0);
                let chat = 2_500.0 / (i as f64 + 1.5);
                let email = 900.0 + 100.0 * i as f64;
                ThemeBar {
                    theme: (*n).into(),
                    hours_by_channel: vec![
                        ("call".into(), call),
                        ("chat".into(), chat),
                        ("email".into(), email),
                    ],
                    cost: (call + chat + email) * 38.5,
                }
            })
            .collect(),
    }
}

/// Every chart, for a horizon of `days`.
fn all(days: usize) -> Vec<Chart> {
    vec![
        Chart::IntradayReachability(intraday(days)),
        Chart::IntervalFlow(flow(days)),
        Chart::DailyReachability(daily(days)),
        Chart::WaitCdf(wait()),
        Chart::OccupancyHeatmap(heatmap(days)),
        Chart::EmailBacklog(email(days)),
        Chart::ThemeHoursCost(themes()),
    ]
}

/// Every chart with no data at all.
fn empty() -> Vec<Chart> {
    let scenario = || SCENARIO.to_string();
    vec![
        Chart::IntradayReachability(IntradayReachability {
            scenario: scenario(),
            ..Default::default()
        }),
        Chart::IntervalFlow(IntervalFlow {
            scenario: scenario(),
            ..Default::default()
        }),
        Chart::DailyReachability(DailyReachability {
            scenario: scenario(),
            ..Default::default()
        }),
        Chart::WaitCdf(WaitCdf {
            scenario: scenario(),
            ..Default::default()
        }),
        Chart::OccupancyHeatmap(OccupancyHeatmap {
            scenario: scenario(),
            pool: "generalists".into(),
            ..Default::default()
        }),
        Chart::EmailBacklog(EmailBacklog {
            scenario: scenario(),
            ..Default::default()
        }),
        Chart::ThemeHoursCost(ThemeHoursCost {
            scenario: scenario(),
            ..Default::default()
        }),
    ]
}

/// Every chart with the right shape but only NaN values, or flat values.
fn degenerate() -> Vec<Chart> {
    let mut out = Vec::new();
    for value in [f64::NAN, 1.0, 0.0] {
        let flat = |v: &mut Vec<f64>| v.iter_mut().for_each(|x| *x = value);
        let flat_band = |b: &mut Band| {
            flat(&mut b.mean);
            flat(&mut b.low);
            flat(&mut b.high);
        };
        let mut i = intraday(7);
        for ch in &mut i.channels {
            flat_band(&mut ch.mean_over_days);
            if let Some((_, v)) = &mut ch.worst_day {
                flat(v);
            }
        }
        i.target = Some(value);
        let mut f = flow(7);
        for v in [
            &mut f.answered,
            &mut f.abandoned,
            &mut f.closed_out,
            &mut f.offered,
            &mut f.agents,
        ] {
            flat(v);
        }
        let mut d = daily(7);
        for s in &mut d.series {
            flat(&mut s.mean);
            flat(&mut s.p5);
            flat(&mut s.p95);
        }
        let mut w = wait();
        for ch in &mut w.channels {
            flat_band(&mut ch.answered);
            if let Some(b) = &mut ch.abandoned {
                flat_band(b);
            }
            ch.threshold_seconds = value;
        }
        let mut h = heatmap(7);
        h.values.iter_mut().for_each(&flat);
        let mut e = email(7);
        flat_band(&mut e.backlog);
        flat_band(&mut e.within_sla);
        let mut t = themes();
        for th in &mut t.themes {
            th.cost = value;
            th.hours_by_channel.iter_mut().for_each(|(_, h)| *h = value);
        }
        out.extend([
            Chart::IntradayReachability(i),
            Chart::IntervalFlow(f),
            Chart::DailyReachability(d),
            Chart::WaitCdf(w),
            Chart::OccupancyHeatmap(h),
            Chart::EmailBacklog(e),
            Chart::ThemeHoursCost(t),
        ]);
    }
    out
}

/// All text of an SVG document.
fn svg_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_svg(chart: &Chart, bytes: &[u8]) -> String {
    let s = std::str::from_utf8(bytes).expect("SVG is UTF-8");
    let doc = roxmltree::Document::parse(s)
        .unwrap_or_else(|e| panic!("{}: SVG does not parse: {e}", chart.file_stem()));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{}", chart.file_stem());
    let (w, h) = chart.size();
    assert_eq!(root.attribute("width"), Some(w.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some(h.to_string().as_str()));
    let text = svg_text(&doc);
    assert!(
        text.contains(&chart.title()),
        "{}: title {:?} missing from the SVG",
        chart.file_stem(),
        chart.title()
    );
    assert!(
        text.contains(SCENARIO),
        "{}: scenario name missing",
        chart.file_stem()
    );
    text
}

fn check_png(chart: &Chart, bytes: &[u8]) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header decodes");
    let mut buf = vec![0; reader.output_buffer_size().expect("PNG size fits")];
    let info = reader.next_frame(&mut buf).expect("PNG decodes");
    assert_eq!(
        (info.width, info.height),
        chart.size(),
        "{}",
        chart.file_stem()
    );
    let pixels = &buf[..info.buffer_size()];
    let first = &pixels[..3];
    assert!(
        pixels.chunks(3).any(|p| p != first),
        "{}: PNG is a single colour",
        chart.file_stem()
    );
}

#[test]
fn every_chart_renders_valid_svg_and_png_for_a_week_and_a_quarter() {
    for days in [7, 91] {
        for chart in all(days) {
            let svg = render(&chart, ImageFormat::Svg).expect("SVG renders");
            let text = check_svg(&chart, &svg);
            assert!(
                !text.contains("No data") && !text.contains("No "),
                "{} ({days} days) says it has no data",
                chart.file_stem()
            );
            let png = render(&chart, ImageFormat::Png).expect("PNG renders");
            check_png(&chart, &png);
        }
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for chart in all(91).into_iter().chain(all(7)) {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let a = render(&chart, format).unwrap();
            let b = render(&chart, format).unwrap();
            assert!(
                a == b,
                "{}.{} differs between renders",
                chart.file_stem(),
                format.extension()
            );
        }
    }
}

#[test]
fn empty_data_gives_a_chart_with_a_note() {
    for chart in empty() {
        let svg = render(&chart, ImageFormat::Svg).expect("empty chart renders");
        let text = check_svg(&chart, &svg);
        assert!(
            text.contains("No "),
            "{}: no note on an empty chart",
            chart.file_stem()
        );
        check_png(&chart, &render(&chart, ImageFormat::Png).unwrap());
    }
}

#[test]
fn nan_only_and_flat_data_do_not_panic() {
    for chart in degenerate() {
        let svg = render(&chart, ImageFormat::Svg).expect("degenerate chart renders");
        check_svg(&chart, &svg);
        check_png(&chart, &render(&chart, ImageFormat::Png).unwrap());
    }
}

#[test]
fn vectors_of_different_lengths_do_not_panic() {
    let mut i = intraday(7);
    i.channels[0].mean_over_days.low.truncate(3);
    i.channels[1].worst_day.as_mut().unwrap().1.push(0.5);
    let mut f = flow(7);
    f.agents.truncate(10);
    f.offered.clear();
    let mut d = daily(7);
    d.series[1].p95.truncate(2);
    let mut w = wait();
    w.channels[0].answered.high.truncate(5);
    let mut h = heatmap(7);
    h.values[2].truncate(4);
    h.values.pop();
    let mut e = email(7);
    e.within_sla.mean.truncate(1);
    for chart in [
        Chart::IntradayReachability(i),
        Chart::IntervalFlow(f),
        Chart::DailyReachability(d),
        Chart::WaitCdf(w),
        Chart::OccupancyHeatmap(h),
        Chart::EmailBacklog(e),
    ] {
        check_svg(&chart, &render(&chart, ImageFormat::Svg).unwrap());
        check_png(&chart, &render(&chart, ImageFormat::Png).unwrap());
    }
}

#[test]
fn gaps_leave_no_line_through_missing_days() {
    // Weekends are NaN in the daily series: with 91 days the total line is
    // drawn as one path per working week, not one path over the quarter.
    let chart = Chart::DailyReachability(daily(91));
    let svg = String::from_utf8(render(&chart, ImageFormat::Svg).unwrap()).unwrap();
    let black_paths = svg
        .lines()
        .filter(|l| {
            l.starts_with("<polyline")
                && l.contains("stroke=\"#000000\"")
                && l.contains("stroke-width=\"3\"")
        })
        // Five points a week; the legend's swatch has two.
        .filter(|l| l.matches(',').count() >= 3)
        .count();
    assert_eq!(black_paths, 13, "one line per working week of the quarter");
}

#[test]
fn file_stems_titles_and_captions() {
    let charts = all(7);
    let stems: Vec<String> = charts.iter().map(Chart::file_stem).collect();
    assert_eq!(
        stems,
        [
            "intraday_reachability",
            "interval_flow",
            "daily_reachability",
            "wait_cdf",
            "occupancy_generalists_nl",
            "email_backlog",
            "theme_hours_cost"
        ]
    );
    for chart in &charts {
        assert!(!chart.title().is_empty());
        let caption = chart.caption();
        assert!(caption.ends_with('.') && caption.len() > 40, "{caption}");
    }
    assert_eq!(ImageFormat::Svg.extension(), "svg");
    assert_eq!(ImageFormat::Png.extension(), "png");
}

#[test]
fn write_charts_to_look_at() {
    let Some(dir) = std::env::var_os("CCSIM_CHARTS_LOOK") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sets = [
        ("7d", all(7)),
        ("91d", all(91)),
        ("empty", empty()),
        ("degenerate", degenerate()),
    ];
    for (tag, charts) in sets {
        for (k, chart) in charts.iter().enumerate() {
            for format in [ImageFormat::Png, ImageFormat::Svg] {
                // Numbered, because the degenerate set repeats each chart.
                let name = format!("{}_{tag}{k}.{}", chart.file_stem(), format.extension());
                std::fs::write(dir.join(name), render(chart, format).unwrap()).unwrap();
            }
        }
    }
}

#[test]
fn control_characters_and_very_long_names_still_give_valid_svg() {
    let hostile = format!("Q2\u{0}base\n\t{}", "very long name ".repeat(400));
    let mut h = heatmap(7);
    h.scenario = hostile.clone();
    h.pool = hostile.clone();
    let mut t = themes();
    t.scenario = hostile.clone();
    t.currency = "€\u{1}".into();
    t.themes[0].theme = hostile.clone();
    t.themes[1].hours_by_channel[0].0 = "ch\u{7}at".into();
    let mut w = wait();
    w.channels[0].channel = hostile.clone();
    for chart in [
        Chart::OccupancyHeatmap(h),
        Chart::ThemeHoursCost(t),
        Chart::WaitCdf(w),
    ] {
        let svg = render(&chart, ImageFormat::Svg).unwrap();
        let s = std::str::from_utf8(&svg).unwrap();
        let doc = roxmltree::Document::parse(s).expect("SVG with hostile names parses");
        assert!(
            svg_text(&doc).contains('…'),
            "long names are cut with an ellipsis"
        );
        check_png(&chart, &render(&chart, ImageFormat::Png).unwrap());
        assert!(chart.file_stem().len() <= 80, "a file name must stay short");
    }
}

#[test]
fn many_themes_make_a_taller_chart() {
    let mut t = themes();
    let template = t.themes[0].clone();
    t.themes = (0..40)
        .map(|i| ThemeBar {
            theme: format!("Theme {i}"),
            ..template.clone()
        })
        .collect();
    let chart = Chart::ThemeHoursCost(t);
    let (_, height) = chart.size();
    assert!(height > 1000, "40 themes need more than the default height");
    check_svg(&chart, &render(&chart, ImageFormat::Svg).unwrap());
    check_png(&chart, &render(&chart, ImageFormat::Png).unwrap());
}
