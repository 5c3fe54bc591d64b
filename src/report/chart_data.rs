//! From a run's summary to the data of each chart. Everything comes from the
//! summary, so `ccsim chart` redraws a saved run exactly.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::charts::{
    Band, Chart, DailyReachability, DailySeries, EmailBacklog, IntervalFlow, IntradayChannel,
    IntradayReachability, OccupancyHeatmap, ThemeBar, ThemeHoursCost, VisitsByWeekday, WaitCdf,
    WaitCdfChannel, WeekdayHourFigure, WeekdayHourHeatmap,
};
use super::summary::{MetricMap, Summary};
use crate::stats::Estimate;

const LIVE: [&str; 2] = ["call", "chat"];

fn mean(e: Option<&Estimate>) -> f64 {
    e.and_then(|e| e.mean).unwrap_or(f64::NAN)
}

fn band(estimates: impl Iterator<Item = Option<Estimate>>, fan: bool) -> Band {
    let mut b = Band::default();
    for e in estimates {
        let e = e.as_ref();
        b.mean.push(mean(e));
        let (low, high) = match e {
            Some(e) if fan => (e.p5, e.p95),
            Some(e) => (e.ci_low, e.ci_high),
            None => (None, None),
        };
        b.low.push(low.unwrap_or(f64::NAN));
        b.high.push(high.unwrap_or(f64::NAN));
    }
    b
}

fn metric(map: Option<&MetricMap>, name: &str) -> Option<Estimate> {
    map.and_then(|m| m.get(name)).copied()
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Minutes after midnight of an `HH:MM` clock time.
fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
}

/// The target drawn on a reachability chart of these channels: the single
/// channel's own, else the total's.
fn reachability_target(summary: &Summary, channels: &[String]) -> Option<f64> {
    let targets = &summary.scenario.targets.reachability;
    match channels {
        [one] => targets.get(one).or_else(|| targets.get("total")).copied(),
        _ => targets.get("total").copied(),
    }
}

/// Every chart the summary has data for, in report order.
pub fn charts(summary: &Summary) -> Vec<Chart> {
    let mut out = Vec::new();
    // A front desk alone has no calls or chats to show per interval, and
    // visits, nearly all served, have no daily reachability worth a chart.
    if !live_channels(summary).is_empty() || !summary.horizon.channels.contains_key("visit") {
        out.push(Chart::IntradayReachability(intraday(summary)));
        out.push(Chart::IntervalFlow(flow(summary)));
    }
    if summary.horizon.channels.keys().any(|c| c != "visit") {
        out.push(Chart::DailyReachability(daily(summary)));
    }
    if !summary.wait_distribution.is_empty() {
        out.push(Chart::WaitCdf(wait_cdf(summary)));
    }
    for pool in summary.horizon.pools.keys() {
        out.push(Chart::OccupancyHeatmap(occupancy(summary, pool)));
    }
    if !summary.weekdays.is_empty() {
        out.push(Chart::VisitsByWeekday(visits_by_weekday(summary)));
        out.push(Chart::WeekdayHourHeatmap(weekday_hours(
            summary,
            WeekdayHourFigure::Wait,
        )));
        for pool in summary.visit_pools() {
            out.push(Chart::WeekdayHourHeatmap(weekday_hours(
                summary,
                WeekdayHourFigure::Utilisation { pool },
            )));
        }
    }
    if summary.horizon.channels.contains_key("email") {
        out.push(Chart::EmailBacklog(backlog(summary)));
    }
    out.push(Chart::ThemeHoursCost(themes(summary)));
    out
}

fn live_channels(summary: &Summary) -> Vec<String> {
    summary
        .horizon
        .channels
        .keys()
        .filter(|c| LIVE.contains(&c.as_str()))
        .cloned()
        .collect()
}

fn intraday(summary: &Summary) -> IntradayReachability {
    let slots: Vec<u32> = summary
        .time_of_day
        .iter()
        .filter_map(|t| minutes(&t.start))
        .collect();
    let channels = live_channels(summary);
    let per_channel = channels
        .iter()
        .map(|c| {
            let mean_over_days = band(
                summary
                    .time_of_day
                    .iter()
                    .map(|t| metric(t.figures.channels.get(c), "reachability")),
                false,
            );
            // The day with the lowest mean reachability, among days with contacts.
            let worst = summary
                .days
                .iter()
                .filter_map(|d| {
                    let r = metric(d.figures.channels.get(c), "reachability")?.mean?;
                    Some((d, r))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let worst_day = worst.and_then(|(day, _)| {
                let values = summary
                    .time_of_day
                    .iter()
                    .map(|t| {
                        summary
                            .intervals
                            .iter()
                            .find(|i| i.date == day.date && i.start == t.start)
                            .map_or(f64::NAN, |i| {
                                mean(metric(i.figures.channels.get(c), "reachability").as_ref())
                            })
                    })
                    .collect();
                Some((date(&day.date)?, values))
            });
            IntradayChannel {
                channel: c.clone(),
                mean_over_days,
                worst_day,
            }
        })
        .collect();
    IntradayReachability {
        scenario: summary.scenario.name.clone(),
        interval_minutes: summary.scenario.interval_minutes,
        slots,
        channels: per_channel,
        target: reachability_target(summary, &channels),
    }
}

/// The seven consecutive days with the most calls and chats (the whole
/// horizon when it is shorter), interval by interval.
fn flow(summary: &Summary) -> IntervalFlow {
    let channels = live_channels(summary);
    let offered_on = |d: &super::summary::DayFigures| -> f64 {
        channels
            .iter()
            .map(|c| mean(metric(d.figures.channels.get(c), "offered").as_ref()))
            .filter(|x| x.is_finite())
            .sum()
    };
    let week = 7.min(summary.days.len());
    let first = (0..=summary.days.len() - week)
        .max_by(|&a, &b| {
            let sum = |s: usize| {
                summary.days[s..s + week]
                    .iter()
                    .map(offered_on)
                    .sum::<f64>()
            };
            // Ties go to the earlier week.
            sum(a).total_cmp(&sum(b)).then(b.cmp(&a))
        })
        .unwrap_or(0);
    let dates: Vec<&str> = summary.days[first..first + week]
        .iter()
        .map(|d| d.date.as_str())
        .collect();
    let mut f = IntervalFlow {
        scenario: summary.scenario.name.clone(),
        interval_minutes: summary.scenario.interval_minutes,
        starts: Vec::new(),
        answered: Vec::new(),
        abandoned: Vec::new(),
        closed_out: Vec::new(),
        offered: Vec::new(),
        agents: Vec::new(),
        channels_label: match channels.as_slice() {
            [c] if c == "call" => "calls".to_string(),
            [c] if c == "chat" => "chats".to_string(),
            _ => "calls and chats".to_string(),
        },
    };
    for i in summary
        .intervals
        .iter()
        .filter(|i| dates.contains(&i.date.as_str()))
    {
        let (Some(d), Some(m)) = (date(&i.date), minutes(&i.start)) else {
            continue;
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(m * 60, 0).unwrap_or_default();
        f.starts.push(NaiveDateTime::new(d, time));
        let sum = |name: &str| -> f64 {
            channels
                .iter()
                .map(|c| mean(metric(i.figures.channels.get(c), name).as_ref()))
                .filter(|x| x.is_finite())
                .sum()
        };
        f.answered.push(sum("answered"));
        f.abandoned.push(sum("abandoned"));
        f.closed_out.push(sum("closed_out"));
        f.offered.push(sum("offered"));
        f.agents.push(
            i.figures
                .pools
                .values()
                .map(|p| mean(p.get("agents")))
                .filter(|x| x.is_finite())
                .sum(),
        );
    }
    f
}

fn daily(summary: &Summary) -> DailyReachability {
    let mut series = Vec::new();
    let mut push = |label: &str, pick: &dyn Fn(&super::summary::DayFigures) -> Option<Estimate>| {
        let b = band(summary.days.iter().map(pick), true);
        series.push(DailySeries {
            label: label.to_string(),
            mean: b.mean,
            p5: b.low,
            p95: b.high,
        });
    };
    // Visits are left out: nearly every visitor who checks in is served.
    let channels: Vec<String> = summary
        .horizon
        .channels
        .keys()
        .filter(|c| *c != "visit")
        .cloned()
        .collect();
    if channels.len() > 1 {
        push("total", &|d| metric(Some(&d.figures.total), "reachability"));
    }
    for c in &channels {
        push(c, &|d| metric(d.figures.channels.get(c), "reachability"));
    }
    DailyReachability {
        scenario: summary.scenario.name.clone(),
        dates: summary.days.iter().filter_map(|d| date(&d.date)).collect(),
        series,
        target: reachability_target(summary, &channels),
    }
}

fn wait_cdf(summary: &Summary) -> WaitCdf {
    WaitCdf {
        scenario: summary.scenario.name.clone(),
        channels: summary
            .wait_distribution
            .iter()
            .map(|(c, d)| WaitCdfChannel {
                channel: c.clone(),
                seconds: d.seconds.iter().map(|&s| f64::from(s)).collect(),
                answered: band(d.answered.iter().map(|e| Some(*e)), false),
                abandoned: d
                    .abandoned
                    .iter()
                    .any(|e| e.n > 0)
                    .then(|| band(d.abandoned.iter().map(|e| Some(*e)), false)),
                threshold_seconds: summary
                    .scenario
                    .channels
                    .get(c)
                    .and_then(|i| i.service_level_threshold)
                    .unwrap_or(f64::NAN),
            })
            .collect(),
    }
}

fn occupancy(summary: &Summary, pool: &str) -> OccupancyHeatmap {
    let slots: Vec<u32> = summary
        .time_of_day
        .iter()
        .filter_map(|t| minutes(&t.start))
        .collect();
    let mut values = vec![vec![f64::NAN; slots.len()]; summary.days.len()];
    let day_of: std::collections::HashMap<&str, usize> = summary
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| (d.date.as_str(), i))
        .collect();
    for i in &summary.intervals {
        let (Some(&d), Some(m)) = (day_of.get(i.date.as_str()), minutes(&i.start)) else {
            continue;
        };
        if let Ok(s) = slots.binary_search(&m) {
            values[d][s] = mean(metric(i.figures.pools.get(pool), "occupancy").as_ref());
        }
    }
    OccupancyHeatmap {
        scenario: summary.scenario.name.clone(),
        pool: pool.to_string(),
        dates: summary.days.iter().filter_map(|d| date(&d.date)).collect(),
        slots,
        values,
    }
}

/// The share of the visits per weekday, from the weekday figures.
fn visits_by_weekday(summary: &Summary) -> VisitsByWeekday {
    VisitsByWeekday {
        scenario: summary.scenario.name.clone(),
        weekdays: summary.weekdays.iter().map(|w| w.weekday.clone()).collect(),
        share: band(
            summary
                .weekdays
                .iter()
                .map(|w| metric(w.figures.channels.get("visit"), "visit_share")),
            false,
        ),
    }
}

/// A figure per weekday and clock hour: the visitors' mean wait, or the
/// occupancy of a pool. Hours in which the counter is closed on a weekday
/// are NaN.
fn weekday_hours(summary: &Summary, figure: WeekdayHourFigure) -> WeekdayHourHeatmap {
    let hour = |start: &str| minutes(start).map(|m| m / 60);
    let mut hours: Vec<u32> = summary
        .weekdays
        .iter()
        .flat_map(|w| w.hours.iter().filter_map(|h| hour(&h.start)))
        .collect();
    hours.sort_unstable();
    hours.dedup();
    let pick = |f: &super::summary::Figures| match &figure {
        WeekdayHourFigure::Wait => metric(f.channels.get("visit"), "asa"),
        WeekdayHourFigure::Utilisation { pool } => metric(f.pools.get(pool), "occupancy"),
    };
    let values = summary
        .weekdays
        .iter()
        .map(|w| {
            let mut row = vec![f64::NAN; hours.len()];
            for h in &w.hours {
                if let Some(i) = hour(&h.start).and_then(|x| hours.binary_search(&x).ok()) {
                    row[i] = mean(pick(&h.figures).as_ref());
                }
            }
            row
        })
        .collect();
    WeekdayHourHeatmap {
        scenario: summary.scenario.name.clone(),
        weekdays: summary.weekdays.iter().map(|w| w.weekday.clone()).collect(),
        hours,
        values,
        figure,
    }
}

fn backlog(summary: &Summary) -> EmailBacklog {
    let email =
        |d: &super::summary::DayFigures, name: &str| metric(d.figures.channels.get("email"), name);
    EmailBacklog {
        scenario: summary.scenario.name.clone(),
        dates: summary.days.iter().filter_map(|d| date(&d.date)).collect(),
        backlog: band(summary.days.iter().map(|d| email(d, "backlog")), true),
        within_sla: band(summary.days.iter().map(|d| email(d, "reachability")), false),
        sla_working_days: summary
            .scenario
            .channels
            .get("email")
            .and_then(|c| c.sla_working_days)
            .unwrap_or(2),
        target: summary.scenario.targets.reachability.get("email").copied(),
    }
}

fn themes(summary: &Summary) -> ThemeHoursCost {
    ThemeHoursCost {
        scenario: summary.scenario.name.clone(),
        themes: summary
            .horizon
            .themes
            .iter()
            .map(|(theme, channels)| ThemeBar {
                theme: theme.clone(),
                hours_by_channel: channels
                    .iter()
                    .map(|(c, m)| (c.clone(), mean(m.get("handled_hours")).max(0.0)))
                    .collect(),
                cost: channels
                    .values()
                    .map(|m| mean(m.get("cost")))
                    .filter(|x| x.is_finite())
                    .sum(),
            })
            .collect(),
        currency: "€".to_string(),
    }
}

/// The paired difference of reachability by time of day, per channel and total.
pub fn difference_chart(c: &crate::planning::compare::Comparison) -> Chart {
    use super::charts::IntradayDifference;
    let rows: Vec<&crate::planning::compare::Row> = c
        .rows
        .iter()
        .filter(|r| r.level == "time_of_day" && r.metric == "reachability")
        .collect();
    let mut slots: Vec<u32> = rows.iter().filter_map(|r| minutes(&r.period)).collect();
    slots.sort_unstable();
    slots.dedup();
    let mut channels: Vec<(String, Band)> = Vec::new();
    for r in &rows {
        // Time-of-day figures are per channel only.
        if r.scope != "channel" {
            continue;
        }
        let Some(slot) = minutes(&r.period).and_then(|m| slots.binary_search(&m).ok()) else {
            continue;
        };
        let at = match channels.iter().position(|(c, _)| *c == r.channel) {
            Some(i) => i,
            None => {
                let n = slots.len();
                channels.push((
                    r.channel.clone(),
                    Band {
                        mean: vec![f64::NAN; n],
                        low: vec![f64::NAN; n],
                        high: vec![f64::NAN; n],
                    },
                ));
                channels.len() - 1
            }
        };
        let band = &mut channels[at].1;
        band.mean[slot] = r.difference.mean.unwrap_or(f64::NAN);
        band.low[slot] = r.difference.ci_low.unwrap_or(f64::NAN);
        band.high[slot] = r.difference.ci_high.unwrap_or(f64::NAN);
    }
    Chart::IntradayDifference(IntradayDifference {
        scenario: format!("A: {} · B: {}", c.a.label, c.b.label),
        label_a: c.a.label.clone(),
        label_b: c.b.label.clone(),
        interval_minutes: slots
            .windows(2)
            .map(|w| f64::from(w[1] - w[0]))
            .fold(f64::INFINITY, f64::min),
        slots,
        metric: "reachability".to_string(),
        channels,
    })
}

/// Reachability, service level, ASA and cost against the swept parameter:
/// per channel for one parameter; for two, one series per value of the
/// second parameter (total reachability, calls' service level and ASA).
pub fn sweep_chart(s: &crate::planning::sweep::Sweep) -> Chart {
    use super::charts::{SweepCurves, SweepPanel, SweepSeries, SweepUnit};
    use super::summary::Figures;
    let first = s.parameters.first().cloned().unwrap_or_default();
    let x_of = |p: &crate::planning::sweep::Point| p.settings.get(&first).copied();
    let mut x: Vec<f64> = s.points.iter().filter_map(x_of).collect();
    x.dedup();
    // Groups of points sharing the second parameter's value (or all points).
    let mut groups: Vec<(String, Vec<&crate::planning::sweep::Point>)> = Vec::new();
    for p in &s.points {
        let label = match s.parameters.get(1) {
            Some(second) => format!(
                "{second} = {}",
                p.settings.get(second).copied().unwrap_or(f64::NAN)
            ),
            None => String::new(),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, g)) => g.push(p),
            None => groups.push((label, vec![p])),
        }
    }
    let pick = |points: &[&crate::planning::sweep::Point],
                f: &dyn Fn(&Figures) -> Option<Estimate>| {
        band(
            x.iter().map(|&xv| {
                points
                    .iter()
                    .find(|p| x_of(p) == Some(xv))
                    .and_then(|p| f(&p.horizon))
            }),
            false,
        )
    };
    let channel_series = |metric: &'static str, channels: &[String]| -> Vec<SweepSeries> {
        let points = &groups.first().map(|g| g.1.clone()).unwrap_or_default();
        channels
            .iter()
            .map(|c| SweepSeries {
                label: c.clone(),
                channel: Some(c.clone()),
                values: pick(points, &|h| metric_of(h.channels.get(c), metric)),
            })
            .collect()
    };
    let grouped = |f: &dyn Fn(&Figures) -> Option<Estimate>| -> Vec<SweepSeries> {
        groups
            .iter()
            .map(|(label, points)| SweepSeries {
                label: label.clone(),
                channel: None,
                values: pick(points, f),
            })
            .collect()
    };
    let channels: Vec<String> = s
        .points
        .first()
        .map(|p| p.horizon.channels.keys().cloned().collect())
        .unwrap_or_default();
    let live: Vec<String> = channels
        .iter()
        .filter(|c| LIVE.contains(&c.as_str()))
        .cloned()
        .collect();
    let target = |c: &str| s.targets.reachability.get(c).copied();
    let panels = if s.parameters.len() < 2 {
        let mut reach = channel_series("reachability", &channels);
        if channels.len() > 1 {
            let points = &groups.first().map(|g| g.1.clone()).unwrap_or_default();
            reach.insert(
                0,
                SweepSeries {
                    label: "total".into(),
                    channel: Some("total".into()),
                    values: pick(points, &|h| metric_of(Some(&h.total), "reachability")),
                },
            );
        }
        let points = groups.first().map(|g| g.1.clone()).unwrap_or_default();
        vec![
            SweepPanel {
                metric: "Reachability".into(),
                unit: SweepUnit::Share,
                series: reach,
                target: target("total").or_else(|| live.first().and_then(|c| target(c))),
            },
            SweepPanel {
                metric: "Service level".into(),
                unit: SweepUnit::Share,
                series: channel_series("service_level", &live),
                target: live
                    .first()
                    .and_then(|c| s.targets.service_level.get(c).copied()),
            },
            SweepPanel {
                metric: "Average speed of answer".into(),
                unit: SweepUnit::Seconds,
                series: channel_series("asa", &live),
                target: None,
            },
            SweepPanel {
                metric: "Cost".into(),
                unit: SweepUnit::Euro,
                series: vec![SweepSeries {
                    label: "total".into(),
                    channel: Some("total".into()),
                    values: pick(&points, &|h| metric_of(Some(&h.total), "cost")),
                }],
                target: None,
            },
        ]
    } else {
        let call = live.first().cloned().unwrap_or_else(|| "call".into());
        vec![
            SweepPanel {
                metric: "Reachability (total)".into(),
                unit: SweepUnit::Share,
                series: grouped(&|h| metric_of(Some(&h.total), "reachability")),
                target: target("total"),
            },
            SweepPanel {
                metric: format!("Service level ({call})"),
                unit: SweepUnit::Share,
                series: grouped(&|h| metric_of(h.channels.get(&call), "service_level")),
                target: s.targets.service_level.get(&call).copied(),
            },
            SweepPanel {
                metric: format!("Average speed of answer ({call})"),
                unit: SweepUnit::Seconds,
                series: grouped(&|h| metric_of(h.channels.get(&call), "asa")),
                target: None,
            },
            SweepPanel {
                metric: "Cost (total)".into(),
                unit: SweepUnit::Euro,
                series: grouped(&|h| metric_of(Some(&h.total), "cost")),
                target: None,
            },
        ]
    };
    Chart::SweepCurves(SweepCurves {
        scenario: s.scenario.clone(),
        parameter: first,
        x,
        panels,
    })
}

fn metric_of(map: Option<&MetricMap>, name: &str) -> Option<Estimate> {
    metric(map, name)
}
