//! Charts render valid, deterministic SVG and PNG files for realistic data
//! over a week and a quarter, with gaps, and for empty data.
//!
//! Set `CCSIM_CHARTS_LOOK=/some/dir` to also write every chart as PNG and
//! SVG there, to look at them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use ccsim::report::charts::periods::Period;
use ccsim::report::charts::{
    AnyChart, Band, DailyReachability, DailySeries, EmailBacklog, ImageFormat, IntervalFlow,
    IntradayChannel, IntradayDifference, IntradayReachability, OccupancyHeatmap, SweepCurves,
    SweepPanel, SweepSeries, SweepUnit, ThemeBar, ThemeHoursCost, VisitsByWeekday, WaitCdf,
    WaitCdfChannel, WeekdayHourFigure, WeekdayHourHeatmap,
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
        period: Period::Day,
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
        period: Period::Day,
    }
}

const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// A counter open 09:00-12:00 every weekday, Monday and Wednesday
/// afternoons too and Thursday until 19:00, closed for lunch at 12:00.
fn counter_open(weekday: usize, hour: u32) -> bool {
    match hour {
        9..=11 => true,
        13..=15 => [0, 2, 3].contains(&weekday),
        16 => [2, 3].contains(&weekday),
        17 | 18 => weekday == 3,
        _ => false,
    }
}

/// Mean waits (seconds) or desk occupancy per weekday and hour.
fn weekday_hours(figure: WeekdayHourFigure) -> WeekdayHourHeatmap {
    let hours: Vec<u32> = (9..19).collect();
    let wait = figure == WeekdayHourFigure::Wait;
    let values = (0..WEEKDAYS.len())
        .map(|w| {
            hours
                .iter()
                .enumerate()
                .map(|(k, &h)| {
                    if !counter_open(w, h) {
                        f64::NAN
                    } else if wait {
                        (120.0 + 90.0 * noise(31, w * 10 + k)).max(0.0)
                    } else {
                        (0.45 + 0.4 * noise(37, w * 10 + k)).clamp(0.0, 1.0)
                    }
                })
                .collect()
        })
        .collect();
    WeekdayHourHeatmap {
        scenario: SCENARIO.into(),
        figure,
        weekdays: WEEKDAYS.map(String::from).to_vec(),
        hours,
        values,
    }
}

fn visits_by_weekday() -> VisitsByWeekday {
    let mean = vec![0.21, 0.14, 0.21, 0.3, 0.14];
    VisitsByWeekday {
        scenario: SCENARIO.into(),
        weekdays: WEEKDAYS.map(String::from).to_vec(),
        share: band(mean, |i| 0.004 + 0.002 * i as f64),
    }
}

fn desks() -> WeekdayHourFigure {
    WeekdayHourFigure::Utilisation {
        pool: "Desks (ground floor)".into(),
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
        period: Period::Day,
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

/// Paired difference B − A of reachability per interval: B adds agents, so
/// the morning peak gains most; chats barely move, and the total lies between.
fn difference() -> IntradayDifference {
    let curve = |seed: u64, gain: f64, spread: f64| -> Band {
        let mean: Vec<f64> = slots()
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let h = f64::from(s) / 60.0;
                let peak = (-(h - 10.0f64).powi(2) / 1.5).exp()
                    + 0.6 * (-(h - 14.0f64).powi(2) / 1.0).exp();
                gain * peak - 0.004 + 0.004 * noise(seed, i)
            })
            .collect();
        Band {
            low: mean.iter().map(|m| m - spread).collect(),
            high: mean.iter().map(|m| m + spread).collect(),
            mean,
        }
    };
    let mut chat = curve(42, 0.01, 0.006);
    // An interval without chats in either scenario: a gap.
    chat.mean[0] = f64::NAN;
    chat.low[0] = f64::NAN;
    chat.high[0] = f64::NAN;
    IntradayDifference {
        scenario: SCENARIO.into(),
        label_a: "base".into(),
        label_b: "pools.frontline.agents=45".into(),
        plan: String::new(),
        interval_minutes: 30.0,
        slots: slots(),
        metric: "reachability".into(),
        channels: vec![
            ("call".into(), curve(41, 0.09, 0.012)),
            ("chat".into(), chat),
            ("total".into(), curve(43, 0.06, 0.008)),
        ],
    }
}

/// A band `rel` of the mean wide on either side (seconds, euros).
fn band_rel(mean: Vec<f64>, rel: f64) -> Band {
    Band {
        low: mean.iter().map(|m| m * (1.0 - rel)).collect(),
        high: mean.iter().map(|m| m * (1.0 + rel)).collect(),
        mean,
    }
}

/// The four usual panels of a sweep over `x`, with `series` giving each
/// panel's series as (label, channel, how much load it carries, seed).
fn sweep_panels(x: &[f64], series: &[(String, Option<String>, f64, u64)]) -> Vec<SweepPanel> {
    let reach = |load: f64, seed: u64, floor: f64| -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(i, &a)| {
                (1.0 - floor * (-(a / load - 0.75) * 4.0).exp() + 0.004 * noise(seed, i))
                    .clamp(0.0, 1.0)
            })
            .collect()
    };
    let panel =
        |metric: &str, unit: SweepUnit, target: Option<f64>, f: &dyn Fn(f64, u64) -> Band| {
            SweepPanel {
                metric: metric.into(),
                unit,
                target,
                series: series
                    .iter()
                    .map(|(label, channel, load, seed)| SweepSeries {
                        label: label.clone(),
                        channel: channel.clone(),
                        values: f(*load, *seed),
                    })
                    .collect(),
            }
        };
    vec![
        panel("Reachability", SweepUnit::Share, Some(0.9), &|l, s| {
            band(reach(l, s, 0.25), |_| 0.012)
        }),
        panel("Service level", SweepUnit::Share, Some(0.8), &|l, s| {
            band(reach(l, s + 1, 0.6), |_| 0.02)
        }),
        panel(
            "Average speed of answer",
            SweepUnit::Seconds,
            Some(20.0),
            &|l, s| {
                let asa = x
                    .iter()
                    .enumerate()
                    .map(|(i, &a)| {
                        110.0 * (-(a / l - 0.75) * 5.0).exp() + 3.0 * (1.0 + noise(s, i))
                    })
                    .collect();
                band_rel(asa, 0.08)
            },
        ),
        SweepPanel {
            metric: "Cost".into(),
            unit: SweepUnit::Euro,
            target: None,
            series: vec![SweepSeries {
                label: "total".into(),
                channel: Some("total".into()),
                values: band_rel(
                    x.iter().map(|a| 1_100_000.0 * a + 150_000.0).collect(),
                    0.01,
                ),
            }],
        },
    ]
}

/// Pools' agents scaled from 0.8 to 1.3: calls, chats and the total.
fn sweep() -> SweepCurves {
    let x: Vec<f64> = (0..6).map(|i| 0.8 + 0.1 * f64::from(i)).collect();
    let series = [
        ("calls".to_string(), Some("call".to_string()), 1.0, 51),
        ("chats".to_string(), Some("chat".to_string()), 0.85, 52),
        ("total".to_string(), Some("total".to_string()), 0.95, 53),
    ];
    SweepCurves {
        scenario: SCENARIO.into(),
        parameter: "pools.frontline.scale".into(),
        panels: sweep_panels(&x, &series),
        x,
    }
}

/// A two-parameter sweep: agents scaled on x, one series per volume scale.
fn sweep_2d() -> SweepCurves {
    let x: Vec<f64> = (0..6).map(|i| 0.8 + 0.1 * f64::from(i)).collect();
    let series: Vec<(String, Option<String>, f64, u64)> = (0..6u32)
        .map(|k| {
            let volume = 0.9 + 0.1 * f64::from(k);
            (
                format!("scale.volume = {volume:.1}"),
                None,
                volume,
                60 + u64::from(k),
            )
        })
        .collect();
    let mut panels = sweep_panels(&x, &series);
    panels[3].series = series
        .iter()
        .map(|(label, _, volume, _)| SweepSeries {
            label: label.clone(),
            channel: None,
            values: band_rel(
                x.iter()
                    .map(|a| 1_100_000.0 * a + 150_000.0 * volume)
                    .collect(),
                0.01,
            ),
        })
        .collect();
    SweepCurves {
        scenario: SCENARIO.into(),
        parameter: "pools.frontline.scale".into(),
        panels,
        x,
    }
}

/// A sweep with one value only: dots with whiskers.
fn sweep_single() -> SweepCurves {
    let mut s = sweep();
    s.x = vec![1.0];
    for p in &mut s.panels {
        for series in &mut p.series {
            for v in [
                &mut series.values.mean,
                &mut series.values.low,
                &mut series.values.high,
            ] {
                v.drain(..2);
                v.truncate(1);
            }
        }
    }
    s
}

/// A chart among charts of other kinds.
fn boxed(chart: impl AnyChart + 'static) -> Box<dyn AnyChart> {
    Box::new(chart)
}

/// Every chart, for a horizon of `days`.
fn all(days: usize) -> Vec<Box<dyn AnyChart>> {
    vec![
        boxed(intraday(days)),
        boxed(flow(days)),
        boxed(daily(days)),
        boxed(wait()),
        boxed(heatmap(days)),
        boxed(email(days)),
        boxed(themes()),
        boxed(difference()),
        boxed(sweep()),
        boxed(visits_by_weekday()),
        boxed(weekday_hours(WeekdayHourFigure::Wait)),
        boxed(weekday_hours(desks())),
    ]
}

/// Every chart with no data at all.
fn empty() -> Vec<Box<dyn AnyChart>> {
    let scenario = || SCENARIO.to_string();
    vec![
        boxed(IntradayReachability {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(IntervalFlow {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(DailyReachability {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(WaitCdf {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(OccupancyHeatmap {
            scenario: scenario(),
            pool: "generalists".into(),
            ..Default::default()
        }),
        boxed(EmailBacklog {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(ThemeHoursCost {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(IntradayDifference {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(SweepCurves {
            scenario: scenario(),
            ..Default::default()
        }),
        // Panels and x values, but no series.
        boxed(SweepCurves {
            scenario: scenario(),
            x: vec![1.0, 2.0],
            panels: vec![SweepPanel::default(); 4],
            ..Default::default()
        }),
        boxed(VisitsByWeekday {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(WeekdayHourHeatmap {
            scenario: scenario(),
            ..Default::default()
        }),
        boxed(WeekdayHourHeatmap {
            scenario: scenario(),
            figure: desks(),
            ..Default::default()
        }),
    ]
}

/// Every chart with the right shape but only NaN values, or flat values.
fn degenerate() -> Vec<Box<dyn AnyChart>> {
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
        let mut diff = difference();
        for (_, b) in &mut diff.channels {
            flat_band(b);
        }
        // x min == max too: every parameter value the same.
        let mut sw = sweep();
        flat(&mut sw.x);
        for p in &mut sw.panels {
            p.target = Some(value);
            for series in &mut p.series {
                flat_band(&mut series.values);
            }
        }
        let mut v = visits_by_weekday();
        flat_band(&mut v.share);
        let mut ww = weekday_hours(WeekdayHourFigure::Wait);
        ww.values.iter_mut().for_each(&flat);
        let mut wu = weekday_hours(desks());
        wu.values.iter_mut().for_each(&flat);
        out.extend([
            boxed(v),
            boxed(ww),
            boxed(wu),
            boxed(diff),
            boxed(sw),
            boxed(i),
            boxed(f),
            boxed(d),
            boxed(w),
            boxed(h),
            boxed(e),
            boxed(t),
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

fn check_svg(chart: &dyn AnyChart, bytes: &[u8]) -> String {
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

fn check_png(chart: &dyn AnyChart, bytes: &[u8]) {
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
            let svg = chart.render(ImageFormat::Svg).expect("SVG renders");
            let text = check_svg(&*chart, &svg);
            assert!(
                !text.contains("No data") && !text.contains("No "),
                "{} ({days} days) says it has no data",
                chart.file_stem()
            );
            let png = chart.render(ImageFormat::Png).expect("PNG renders");
            check_png(&*chart, &png);
        }
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for chart in all(91).into_iter().chain(all(7)) {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let a = chart.render(format).unwrap();
            let b = chart.render(format).unwrap();
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
        let svg = chart.render(ImageFormat::Svg).expect("empty chart renders");
        let text = check_svg(&*chart, &svg);
        assert!(
            text.contains("No "),
            "{}: no note on an empty chart",
            chart.file_stem()
        );
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
    }
}

#[test]
fn nan_only_and_flat_data_do_not_panic() {
    for chart in degenerate() {
        let svg = chart
            .render(ImageFormat::Svg)
            .expect("degenerate chart renders");
        check_svg(&*chart, &svg);
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
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
    let mut diff = difference();
    diff.channels[0].1.low.truncate(3);
    diff.channels[1].1.mean.extend([0.5, 0.5]);
    diff.slots.push(18 * 60);
    let mut sw = sweep();
    sw.x.push(1.4);
    sw.panels[0].series[0].values.high.truncate(2);
    sw.panels[1].series[1].values.mean.truncate(4);
    sw.panels[2].series[0].values.low.extend([1.0; 5]);
    let mut short_x = sweep();
    short_x.x.truncate(2);
    let mut v = visits_by_weekday();
    v.share.low.truncate(2);
    v.share.mean.push(0.5);
    let mut ww = weekday_hours(WeekdayHourFigure::Wait);
    ww.values[1].truncate(3);
    ww.values.pop();
    ww.hours.push(19);
    for chart in [
        boxed(v),
        boxed(ww),
        boxed(diff),
        boxed(sw),
        boxed(short_x),
        boxed(i),
        boxed(f),
        boxed(d),
        boxed(w),
        boxed(h),
        boxed(e),
    ] {
        check_svg(&*chart, &chart.render(ImageFormat::Svg).unwrap());
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
    }
}

#[test]
fn gaps_leave_no_line_through_missing_days() {
    // Weekends are NaN in the daily series: with 91 days the total line is
    // drawn as one path per working week, not one path over the quarter.
    let chart = boxed(daily(91));
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
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
    let stems: Vec<String> = charts.iter().map(|c| c.file_stem()).collect();
    assert_eq!(
        stems,
        [
            "intraday_reachability",
            "interval_flow",
            "daily_reachability",
            "wait_cdf",
            "occupancy_generalists_nl",
            "email_backlog",
            "theme_hours_cost",
            "difference_by_time_of_day",
            "sweep",
            "visits_by_weekday",
            "wait_by_weekday_hour",
            "desk_utilisation_desks_ground_floor",
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
        ("sweeps", sweep_variants()),
    ];
    for (tag, charts) in sets {
        for (k, chart) in charts.iter().enumerate() {
            for format in [ImageFormat::Png, ImageFormat::Svg] {
                // Numbered, because the degenerate set repeats each chart.
                let name = format!("{}_{tag}{k}.{}", chart.file_stem(), format.extension());
                std::fs::write(dir.join(name), chart.render(format).unwrap()).unwrap();
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
    for chart in [boxed(h), boxed(t), boxed(w)] {
        let svg = chart.render(ImageFormat::Svg).unwrap();
        let s = std::str::from_utf8(&svg).unwrap();
        let doc = roxmltree::Document::parse(s).expect("SVG with hostile names parses");
        assert!(
            svg_text(&doc).contains('…'),
            "long names are cut with an ellipsis"
        );
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
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
    let chart = boxed(t);
    let (_, height) = chart.size();
    assert!(height > 1000, "40 themes need more than the default height");
    check_svg(&*chart, &chart.render(ImageFormat::Svg).unwrap());
    check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
}

/// Sweeps of other shapes: two parameters, one point, many series, few and
/// many panels, a difference in service level.
fn sweep_variants() -> Vec<Box<dyn AnyChart>> {
    // Twenty volume levels in every panel.
    let mut many_series = sweep_2d();
    for p in &mut many_series.panels {
        let template = p.series[0].clone();
        p.series = (0..20)
            .map(|k| {
                let shift = 1.0 - 0.02 * f64::from(k);
                let scaled = |v: &[f64]| v.iter().map(|m| m * shift).collect();
                SweepSeries {
                    label: format!("scale.volume = {:.2}", 0.8 + 0.05 * f64::from(k)),
                    channel: None,
                    values: Band {
                        mean: scaled(&template.values.mean),
                        low: scaled(&template.values.low),
                        high: scaled(&template.values.high),
                    },
                }
            })
            .collect();
    }
    let mut two = sweep();
    two.panels.truncate(2);
    let mut three = sweep();
    three.panels.remove(1);
    let mut one = sweep();
    one.panels = vec![one.panels[2].clone()];
    let mut many_panels = sweep();
    many_panels.panels = (0..15).map(|k| sweep().panels[k % 4].clone()).collect();
    let mut wide = sweep();
    wide.x = (0..41).map(|i| 20.0 + f64::from(i)).collect();
    for p in &mut wide.panels {
        for series in &mut p.series {
            let stretch = |v: &mut Vec<f64>| {
                *v = (0..41).map(|i| v[i * 5 / 41]).collect();
            };
            stretch(&mut series.values.mean);
            stretch(&mut series.values.low);
            stretch(&mut series.values.high);
        }
    }
    let mut sl = difference();
    sl.metric = "service_level".into();
    sl.scenario = String::new();
    sl.channels.iter_mut().for_each(|(_, b)| {
        for v in [&mut b.mean, &mut b.low, &mut b.high] {
            v.iter_mut().for_each(|x| *x = -*x * 1.5);
        }
    });
    vec![
        boxed(sweep_2d()),
        boxed(sweep_single()),
        boxed(many_series),
        boxed(two),
        boxed(three),
        boxed(one),
        boxed(many_panels),
        boxed(wide),
        boxed(sl),
    ]
}

#[test]
fn sweep_variants_render_valid_deterministic_files() {
    for chart in sweep_variants() {
        let svg = chart.render(ImageFormat::Svg).expect("SVG renders");
        let s = std::str::from_utf8(&svg).unwrap();
        let doc = roxmltree::Document::parse(s).expect("SVG parses");
        let text = svg_text(&doc);
        assert!(text.contains(&chart.title()), "{}", chart.title());
        assert!(
            !text.contains("No "),
            "{}: says it has no data",
            chart.title()
        );
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            assert!(chart.render(format).unwrap() == chart.render(format).unwrap());
        }
    }
}

#[test]
fn a_two_parameter_sweep_has_a_legend_entry_and_colour_per_series() {
    let chart = boxed(sweep_2d());
    assert_eq!(chart.size(), (1000, 760), "four panels make a 2 × 2 grid");
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let text = svg_text(&doc);
    for k in 0..6 {
        let label = format!("scale.volume = {:.1}", 0.9 + 0.1 * f64::from(k));
        let texts = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(label.as_str()))
            .count();
        assert_eq!(texts, 1, "one legend entry for {label}");
    }
    // Six series of six values in four panels: each colour is one line
    // (polyline) per panel plus the legend swatch.
    let colours: std::collections::BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .filter(|n| n.attribute("stroke-width") == Some("2"))
        .filter(|n| {
            n.attribute("points")
                .is_some_and(|p| p.split(' ').count() >= 6)
        })
        .filter_map(|n| n.attribute("stroke"))
        .collect();
    assert!(
        colours.len() >= 6,
        "six distinct series colours: {colours:?}"
    );
    // Several targets: each in its panel's heading, in the panel's unit.
    assert!(text.contains("Reachability · target 90%"), "{text}");
    assert!(text.contains("Average speed of answer · target 20 s"));
    assert!(text.contains("pools.frontline.scale"));
    assert!(
        text.contains("€ 1.2M") || text.contains("€ 1.25M"),
        "euro ticks"
    );
    assert!(text.contains("1m") && text.contains("2m"), "minute ticks");
}

#[test]
fn a_single_point_sweep_shows_its_point() {
    let s = sweep_single();
    let chart = boxed(s);
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(svg_text(&doc).contains('1'), "the x value is a tick");
    let dots = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count();
    assert!(dots >= 7, "a dot per series and panel, got {dots}");
}

#[test]
fn sweep_sizes_follow_the_panels() {
    let mut s = sweep();
    assert_eq!(boxed(s.clone()).size(), (1000, 760));
    s.panels.truncate(2);
    assert_eq!(boxed(s.clone()).size(), (1000, 560));
    s.panels.truncate(1);
    assert_eq!(boxed(s).size(), (1000, 560));
    let many = sweep_variants();
    let (_, tall) = many[2].size();
    assert!(tall > 760, "20 series need more legend rows");
    let (_, grid) = many[6].size();
    assert!(grid > 1500 && grid < 3000, "12 panels at most, got {grid}");
}

#[test]
fn a_difference_has_a_zero_line_and_signed_pp_ticks() {
    let chart = boxed(difference());
    assert_eq!(chart.title(), "Reachability: B − A by time of day");
    assert_eq!(chart.size(), (1000, 560));
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let text = svg_text(&doc);
    assert!(text.contains("0 pp"));
    assert!(text.contains("+2 pp") || text.contains("+2.0 pp"), "{text}");
    assert!(text.contains("−1 pp") || text.contains("−1.0 pp") || text.contains("−2 pp"));
    assert!(text.contains("Difference B − A (pp)"));
    assert!(text.contains("calls") && text.contains("total"));
    // Without a scenario text, the subtitle names A and B.
    let mut d = difference();
    d.scenario = String::new();
    let chart = boxed(d);
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(svg_text(&doc).contains("A: base · B: pools.frontline.agents=45"));
}

#[test]
fn hostile_names_in_the_new_charts_give_valid_svg() {
    let hostile = format!("Q2\u{0}base\n\t{}", "very long name ".repeat(400));
    let mut d = difference();
    d.scenario = hostile.clone();
    d.metric = hostile.clone();
    d.channels[0].0 = hostile.clone();
    let mut s = sweep_2d();
    s.scenario = hostile.clone();
    s.parameter = hostile.clone();
    s.panels[0].metric = hostile.clone();
    s.panels[1].series[0].label = hostile.clone();
    let mut v = visits_by_weekday();
    v.scenario = hostile.clone();
    v.weekdays[0] = hostile.clone();
    let mut u = weekday_hours(WeekdayHourFigure::Utilisation {
        pool: hostile.clone(),
    });
    u.scenario = hostile.clone();
    u.weekdays[1] = hostile.clone();
    for chart in [boxed(d), boxed(s), boxed(v), boxed(u)] {
        let svg = chart.render(ImageFormat::Svg).unwrap();
        let doc = roxmltree::Document::parse(std::str::from_utf8(&svg).unwrap())
            .expect("SVG with hostile names parses");
        assert!(svg_text(&doc).contains('…'));
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
    }
}

#[test]
fn weekday_heatmaps_write_their_values_and_label_every_weekday() {
    let wait = weekday_hours(WeekdayHourFigure::Wait);
    let chart = boxed(wait.clone());
    let svg = chart.render(ImageFormat::Svg).unwrap();
    let doc = roxmltree::Document::parse(std::str::from_utf8(&svg).unwrap()).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_element() && n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
        assert!(texts.contains(&day), "{day} missing");
    }
    for hour in ["09:00", "13:00", "18:00"] {
        assert!(texts.contains(&hour), "{hour} missing");
    }
    // Every open hour has its wait written in minutes with one decimal;
    // closed hours have none.
    let open: Vec<f64> = wait
        .values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    for v in &open {
        let label = format!("{:.1}", v / 60.0);
        assert!(texts.contains(&label.as_str()), "{label} missing");
    }
    // The numbers centred in the cells (the colour scale's are left-aligned).
    let cells = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle"))
        .filter_map(|n| n.text())
        .filter(|t| t.trim().parse::<f64>().is_ok())
        .count();
    assert_eq!(cells, open.len(), "one value per open hour");

    // Utilisation in whole percent, a colour scale in percent.
    let desks = weekday_hours(desks());
    let chart = boxed(desks.clone());
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("100%") && svg.contains("Occupancy"));
    let first = desks.values[0][0];
    assert!(
        svg.contains(&format!(">\n{:.0}\n<", first * 100.0)),
        "{first}"
    );
}

#[test]
fn visits_by_weekday_writes_each_share_over_its_bar() {
    let v = visits_by_weekday();
    let chart = boxed(v.clone());
    let svg = String::from_utf8(chart.render(ImageFormat::Svg).unwrap()).unwrap();
    for (day, share) in ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .zip(&v.share.mean)
    {
        assert!(svg.contains(day), "{day}");
        assert!(svg.contains(&format!("{:.1}%", share * 100.0)), "{share}");
    }
}

/// The two charts of `ccsim backtest` over `days` days and a day of 16
/// intervals, for `metric` (a share, seconds or a count).
fn backtest_charts(
    days: usize,
    metric: &str,
) -> (
    ccsim::report::charts::BacktestDays,
    ccsim::report::charts::BacktestIntraday,
) {
    let level = match metric {
        "asa" => 40.0,
        "offered" => 320.0,
        _ => 0.9,
    };
    let series = |n: usize, seed: u64| -> [Vec<f64>; 4] {
        let mean: Vec<f64> = (0..n)
            .map(|i| level * (1.0 + 0.03 * noise(seed, i)))
            .collect();
        let actual = (0..n)
            .map(|i| mean[i] * (1.0 + 0.06 * noise(seed + 1, i)))
            .collect();
        let p5 = mean.iter().map(|m| m * 0.95).collect();
        let p95 = mean.iter().map(|m| m * 1.05).collect();
        [actual, mean, p5, p95]
    };
    let [actual, mean, p5, p95] = series(days, 1);
    let d = ccsim::report::charts::BacktestDays {
        scenario: SCENARIO.into(),
        channel: "call".into(),
        metric: metric.into(),
        dates: dates(days),
        actual,
        mean,
        p5,
        p95,
    };
    let [actual, mean, p5, p95] = series(16, 2);
    let i = ccsim::report::charts::BacktestIntraday {
        scenario: SCENARIO.into(),
        channel: "call".into(),
        metric: metric.into(),
        starts: (0..16)
            .map(|k| format!("{:02}:{:02}", 9 + k / 2, 30 * (k % 2)))
            .collect(),
        actual,
        mean,
        p5,
        p95,
    };
    (d, i)
}

#[test]
fn backtest_charts_draw_realistic_empty_flat_ragged_and_hostile_data() {
    let mut charts: Vec<Box<dyn AnyChart>> = Vec::new();
    for days in [7, 91] {
        for metric in ["reachability", "asa", "offered"] {
            let (d, i) = backtest_charts(days, metric);
            charts.extend([boxed(d), boxed(i)]);
        }
    }
    let (mut empty_d, mut empty_i) = backtest_charts(0, "reachability");
    empty_d.dates.clear();
    empty_i.starts.clear();
    empty_i.actual.clear();
    charts.extend([boxed(empty_d), boxed(empty_i)]);
    for value in [f64::NAN, 1.0, 0.0] {
        let (mut d, mut i) = backtest_charts(7, "abandon_share");
        for v in [&mut d.actual, &mut d.mean, &mut d.p5, &mut d.p95] {
            v.iter_mut().for_each(|x| *x = value);
        }
        for v in [&mut i.actual, &mut i.mean, &mut i.p5, &mut i.p95] {
            v.iter_mut().for_each(|x| *x = value);
        }
        charts.extend([boxed(d), boxed(i)]);
    }
    let (mut d, mut i) = backtest_charts(7, "service_level");
    d.p95.truncate(2);
    d.actual.push(0.5);
    i.mean.truncate(3);
    i.starts.push("18:00".into());
    charts.extend([boxed(d), boxed(i)]);
    for chart in &charts {
        let svg = chart.render(ImageFormat::Svg).unwrap();
        check_svg(&**chart, &svg);
        assert_eq!(
            svg,
            chart.render(ImageFormat::Svg).unwrap(),
            "deterministic"
        );
        check_png(&**chart, &chart.render(ImageFormat::Png).unwrap());
    }
    let hostile = format!("Q2\u{0}base\n\t{}", "very long name ".repeat(400));
    let (mut d, mut i) = backtest_charts(7, "reachability");
    d.scenario = hostile.clone();
    d.channel = hostile.clone();
    i.metric = hostile.clone();
    for chart in [boxed(d), boxed(i)] {
        let svg = chart.render(ImageFormat::Svg).unwrap();
        roxmltree::Document::parse(std::str::from_utf8(&svg).unwrap())
            .expect("SVG with hostile names parses");
        check_png(&*chart, &chart.render(ImageFormat::Png).unwrap());
    }
}
