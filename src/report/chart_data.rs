//! From a run's results to the data of each chart. Everything comes from the
//! results, so `ccsim chart` redraws a saved run exactly.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::charts::{
    Band, Chart, DailyReachability, DailySeries, EmailBacklog, IntervalFlow, IntradayChannel,
    IntradayReachability, OccupancyHeatmap, ThemeBar, ThemeHoursCost, VisitsByWeekday, WaitCdf,
    WaitCdfChannel, WeekdayHourFigure, WeekdayHourHeatmap,
};
use crate::model::Channel;
use crate::stats::{Estimate, Level, Metric, RunResults, Scope};

fn mean(e: Option<&Estimate>) -> f64 {
    e.and_then(|e| e.mean).unwrap_or(f64::NAN)
}

fn band<'a>(estimates: impl Iterator<Item = Option<&'a Estimate>>, fan: bool) -> Band {
    let mut b = Band::default();
    for e in estimates {
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
fn reachability_target(results: &RunResults, channels: &[Channel]) -> Option<f64> {
    let s = &results.scenario;
    match channels {
        [one] => s
            .reachability_target(*one)
            .or_else(|| s.total_reachability_target()),
        _ => s.total_reachability_target(),
    }
}

/// Every chart the results have data for, in report order.
pub fn charts(results: &RunResults) -> Vec<Chart> {
    let mut out = Vec::new();
    let channels = results.channels();
    // A front desk alone has no calls or chats to show per interval, and
    // visits, nearly all served, have no daily reachability worth a chart.
    if !results.live_channels().is_empty() || !channels.contains(&Channel::Visit) {
        out.push(Chart::IntradayReachability(intraday(results)));
        out.push(Chart::IntervalFlow(flow(results)));
    }
    if channels.iter().any(|&c| c != Channel::Visit) {
        out.push(Chart::DailyReachability(daily(results)));
    }
    if !results.wait_channels().is_empty() {
        out.push(Chart::WaitCdf(wait_cdf(results)));
    }
    for pool in results.pools() {
        out.push(Chart::OccupancyHeatmap(occupancy(results, pool)));
    }
    if !results.weekdays.is_empty() {
        out.push(Chart::VisitsByWeekday(visits_by_weekday(results)));
        out.push(Chart::WeekdayHourHeatmap(weekday_hours(
            results,
            WeekdayHourFigure::Wait,
        )));
        for pool in results.visit_pools() {
            out.push(Chart::WeekdayHourHeatmap(weekday_hours(
                results,
                WeekdayHourFigure::Utilisation {
                    pool: results.names.pools[pool].clone(),
                },
            )));
        }
    }
    if channels.contains(&Channel::Email) {
        out.push(Chart::EmailBacklog(backlog(results)));
    }
    out.push(Chart::ThemeHoursCost(themes(results)));
    out
}

fn intraday(results: &RunResults) -> IntradayReachability {
    let slots: Vec<u32> = results
        .time_of_day
        .iter()
        .filter_map(|t| minutes(&t.start))
        .collect();
    let channels = results.live_channels();
    let per_channel = channels
        .iter()
        .map(|&c| {
            let scope = Scope::Channel(c);
            let mean_over_days = band(
                results
                    .time_of_day
                    .iter()
                    .map(|t| results.get(Level::TimeOfDay(t.slot), scope, Metric::Reachability)),
                false,
            );
            // The day with the lowest mean reachability, among days with contacts.
            let worst = (0..results.days.len() as u32)
                .filter_map(|d| {
                    let r = results.mean(Level::Day(d), scope, Metric::Reachability)?;
                    Some((d, r))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let worst_day = worst.and_then(|(day, _)| {
                let values = results
                    .time_of_day
                    .iter()
                    .map(|t| {
                        results
                            .intervals
                            .iter()
                            .find(|i| i.day == day && i.start == t.start)
                            .map_or(f64::NAN, |i| {
                                mean(results.get(
                                    Level::Interval(i.index),
                                    scope,
                                    Metric::Reachability,
                                ))
                            })
                    })
                    .collect();
                Some((date(&results.days[day as usize].date)?, values))
            });
            IntradayChannel {
                channel: c.name().to_string(),
                mean_over_days,
                worst_day,
            }
        })
        .collect();
    IntradayReachability {
        scenario: results.scenario.name.clone(),
        interval_minutes: results.scenario.interval_minutes,
        slots,
        channels: per_channel,
        target: reachability_target(results, &channels),
    }
}

/// The seven consecutive days with the most calls and chats (the whole
/// horizon when it is shorter), interval by interval.
fn flow(results: &RunResults) -> IntervalFlow {
    let channels = results.live_channels();
    let sum = |level: Level, metric: Metric| -> f64 {
        channels
            .iter()
            .map(|&c| mean(results.get(level, Scope::Channel(c), metric)))
            .filter(|x| x.is_finite())
            .sum()
    };
    let days = results.days.len();
    let week = 7.min(days);
    let first = (0..=days - week)
        .max_by(|&a, &b| {
            let total = |s: usize| {
                (s..s + week)
                    .map(|d| sum(Level::Day(d as u32), Metric::Offered))
                    .sum::<f64>()
            };
            // Ties go to the earlier week.
            total(a).total_cmp(&total(b)).then(b.cmp(&a))
        })
        .unwrap_or(0);
    let in_week = |day: u32| (first..first + week).contains(&(day as usize));
    let mut f = IntervalFlow {
        scenario: results.scenario.name.clone(),
        interval_minutes: results.scenario.interval_minutes,
        starts: Vec::new(),
        answered: Vec::new(),
        abandoned: Vec::new(),
        closed_out: Vec::new(),
        offered: Vec::new(),
        agents: Vec::new(),
        channels_label: match channels.as_slice() {
            [Channel::Call] => "calls".to_string(),
            [Channel::Chat] => "chats".to_string(),
            _ => "calls and chats".to_string(),
        },
    };
    for i in results.intervals.iter().filter(|i| in_week(i.day)) {
        let (Some(d), Some(m)) = (date(&results.days[i.day as usize].date), minutes(&i.start))
        else {
            continue;
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(m * 60, 0).unwrap_or_default();
        f.starts.push(NaiveDateTime::new(d, time));
        let level = Level::Interval(i.index);
        f.answered.push(sum(level, Metric::Answered));
        f.abandoned.push(sum(level, Metric::Abandoned));
        f.closed_out.push(sum(level, Metric::ClosedOut));
        f.offered.push(sum(level, Metric::Offered));
        f.agents.push(
            results
                .scopes(level, |s| match s {
                    Scope::Pool(p) => Some(p),
                    _ => None,
                })
                .into_iter()
                .map(|p| mean(results.get(level, Scope::Pool(p), Metric::Agents)))
                .filter(|x| x.is_finite())
                .sum(),
        );
    }
    f
}

fn daily(results: &RunResults) -> DailyReachability {
    let mut series = Vec::new();
    let mut push = |label: &str, scope: Scope| {
        let b = band(
            (0..results.days.len() as u32)
                .map(|d| results.get(Level::Day(d), scope, Metric::Reachability)),
            true,
        );
        series.push(DailySeries {
            label: label.to_string(),
            mean: b.mean,
            p5: b.low,
            p95: b.high,
        });
    };
    // Visits are left out: nearly every visitor who checks in is served.
    let channels: Vec<Channel> = results
        .channels()
        .into_iter()
        .filter(|&c| c != Channel::Visit)
        .collect();
    if channels.len() > 1 {
        push("total", Scope::Total);
    }
    for &c in &channels {
        push(c.name(), Scope::Channel(c));
    }
    DailyReachability {
        scenario: results.scenario.name.clone(),
        dates: results.days.iter().filter_map(|d| date(&d.date)).collect(),
        series,
        target: reachability_target(results, &channels),
    }
}

fn wait_cdf(results: &RunResults) -> WaitCdf {
    WaitCdf {
        scenario: results.scenario.name.clone(),
        channels: results
            .wait_channels()
            .into_iter()
            .filter_map(|c| {
                let d = results.wait_distribution(c)?;
                Some(WaitCdfChannel {
                    channel: c.name().to_string(),
                    seconds: d.seconds.iter().map(|&s| f64::from(s)).collect(),
                    answered: band(d.answered.iter().map(Some), false),
                    abandoned: d
                        .abandoned
                        .iter()
                        .any(|e| e.n > 0)
                        .then(|| band(d.abandoned.iter().map(Some), false)),
                    threshold_seconds: results
                        .scenario
                        .channel(c)
                        .and_then(|i| i.service_level_threshold)
                        .unwrap_or(f64::NAN),
                })
            })
            .collect(),
    }
}

fn occupancy(results: &RunResults, pool: usize) -> OccupancyHeatmap {
    let slots: Vec<u32> = results
        .time_of_day
        .iter()
        .filter_map(|t| minutes(&t.start))
        .collect();
    let mut values = vec![vec![f64::NAN; slots.len()]; results.days.len()];
    for i in &results.intervals {
        let Some(m) = minutes(&i.start) else {
            continue;
        };
        if let Ok(s) = slots.binary_search(&m) {
            values[i.day as usize][s] = mean(results.get(
                Level::Interval(i.index),
                Scope::Pool(pool),
                Metric::Occupancy,
            ));
        }
    }
    OccupancyHeatmap {
        scenario: results.scenario.name.clone(),
        pool: results.names.pools[pool].clone(),
        dates: results.days.iter().filter_map(|d| date(&d.date)).collect(),
        slots,
        values,
    }
}

/// The share of the visits per weekday, from the weekday figures.
fn visits_by_weekday(results: &RunResults) -> VisitsByWeekday {
    VisitsByWeekday {
        scenario: results.scenario.name.clone(),
        weekdays: results
            .weekdays
            .iter()
            .map(|w| w.weekday.name().to_string())
            .collect(),
        share: band(
            results.weekdays.iter().map(|w| {
                results.get(
                    w.level(),
                    Scope::Channel(Channel::Visit),
                    Metric::VisitShare,
                )
            }),
            false,
        ),
    }
}

/// A figure per weekday and clock hour: the visitors' mean wait, or the
/// occupancy of a pool. Hours in which the counter is closed on a weekday
/// are NaN.
fn weekday_hours(results: &RunResults, figure: WeekdayHourFigure) -> WeekdayHourHeatmap {
    let mut hours: Vec<u32> = results
        .weekdays
        .iter()
        .flat_map(|w| w.hours.iter().map(|&h| u32::from(h)))
        .collect();
    hours.sort_unstable();
    hours.dedup();
    let pick = |level: Level| match &figure {
        WeekdayHourFigure::Wait => results.get(level, Scope::Channel(Channel::Visit), Metric::Asa),
        WeekdayHourFigure::Utilisation { pool } => results
            .pool(pool)
            .and_then(|p| results.get(level, Scope::Pool(p), Metric::Occupancy)),
    };
    let values = results
        .weekdays
        .iter()
        .map(|w| {
            let mut row = vec![f64::NAN; hours.len()];
            for &h in &w.hours {
                if let Ok(i) = hours.binary_search(&u32::from(h)) {
                    row[i] = mean(pick(Level::WeekdayHour(w.weekday.index() as u8, h)));
                }
            }
            row
        })
        .collect();
    WeekdayHourHeatmap {
        scenario: results.scenario.name.clone(),
        weekdays: results
            .weekdays
            .iter()
            .map(|w| w.weekday.name().to_string())
            .collect(),
        hours,
        values,
        figure,
    }
}

fn backlog(results: &RunResults) -> EmailBacklog {
    let email = |metric| {
        (0..results.days.len() as u32)
            .map(move |d| results.get(Level::Day(d), Scope::Channel(Channel::Email), metric))
    };
    EmailBacklog {
        scenario: results.scenario.name.clone(),
        dates: results.days.iter().filter_map(|d| date(&d.date)).collect(),
        backlog: band(email(Metric::Backlog), true),
        within_sla: band(email(Metric::Reachability), false),
        sla_working_days: results
            .scenario
            .channel(Channel::Email)
            .and_then(|c| c.sla_working_days)
            .unwrap_or(2),
        target: results.scenario.reachability_target(Channel::Email),
    }
}

fn themes(results: &RunResults) -> ThemeHoursCost {
    ThemeHoursCost {
        scenario: results.scenario.name.clone(),
        themes: results
            .themes()
            .into_iter()
            .map(|t| {
                let channels = results.theme_channels(t);
                let m = |c, metric| results.horizon(Scope::Theme(t, c), metric);
                ThemeBar {
                    theme: results.names.themes[t].clone(),
                    hours_by_channel: channels
                        .iter()
                        .map(|&c| {
                            (
                                c.name().to_string(),
                                mean(m(c, Metric::HandledHours)).max(0.0),
                            )
                        })
                        .collect(),
                    cost: channels
                        .iter()
                        .map(|&c| mean(m(c, Metric::Cost)))
                        .filter(|x| x.is_finite())
                        .sum(),
                }
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
    use crate::planning::sweep::Point;
    let first = s.parameters.first().cloned().unwrap_or_default();
    let x_of = |p: &Point| p.settings.get(&first).copied();
    let mut x: Vec<f64> = s.points.iter().filter_map(x_of).collect();
    x.dedup();
    // Groups of points sharing the second parameter's value (or all points).
    let mut groups: Vec<(String, Vec<&Point>)> = Vec::new();
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
    let pick = |points: &[&Point], scope: Scope, metric: Metric| {
        band(
            x.iter().map(|&xv| {
                points
                    .iter()
                    .find(|p| x_of(p) == Some(xv))
                    .and_then(|p| p.horizon.horizon(scope, metric))
            }),
            false,
        )
    };
    let first_group = groups.first().map(|g| g.1.clone()).unwrap_or_default();
    let channel_series = |metric: Metric, channels: &[Channel]| -> Vec<SweepSeries> {
        channels
            .iter()
            .map(|&c| SweepSeries {
                label: c.name().to_string(),
                channel: Some(c.name().to_string()),
                values: pick(&first_group, Scope::Channel(c), metric),
            })
            .collect()
    };
    let grouped = |scope: Scope, metric: Metric| -> Vec<SweepSeries> {
        groups
            .iter()
            .map(|(label, points)| SweepSeries {
                label: label.clone(),
                channel: None,
                values: pick(points, scope, metric),
            })
            .collect()
    };
    let total = |metric: Metric| SweepSeries {
        label: "total".into(),
        channel: Some("total".into()),
        values: pick(&first_group, Scope::Total, metric),
    };
    let channels: Vec<Channel> = s
        .points
        .first()
        .map(|p| p.horizon.channels())
        .unwrap_or_default();
    let live: Vec<Channel> = channels
        .iter()
        .copied()
        .filter(|c| matches!(c, Channel::Call | Channel::Chat))
        .collect();
    let total_target = s.targets.total_reachability();
    let target = |c: Channel| s.targets.reachability_of(c);
    let service_level_target = |c: Channel| s.targets.service_level_of(c);
    let panels = if s.parameters.len() < 2 {
        let mut reach = channel_series(Metric::Reachability, &channels);
        if channels.len() > 1 {
            reach.insert(0, total(Metric::Reachability));
        }
        vec![
            SweepPanel {
                metric: "Reachability".into(),
                unit: SweepUnit::Share,
                series: reach,
                target: total_target.or_else(|| live.first().and_then(|&c| target(c))),
            },
            SweepPanel {
                metric: "Service level".into(),
                unit: SweepUnit::Share,
                series: channel_series(Metric::ServiceLevel, &live),
                target: live.first().and_then(|&c| service_level_target(c)),
            },
            SweepPanel {
                metric: "Average speed of answer".into(),
                unit: SweepUnit::Seconds,
                series: channel_series(Metric::Asa, &live),
                target: None,
            },
            SweepPanel {
                metric: "Cost".into(),
                unit: SweepUnit::Euro,
                series: vec![total(Metric::Cost)],
                target: None,
            },
        ]
    } else {
        let call = live.first().copied().unwrap_or(Channel::Call);
        vec![
            SweepPanel {
                metric: "Reachability (total)".into(),
                unit: SweepUnit::Share,
                series: grouped(Scope::Total, Metric::Reachability),
                target: total_target,
            },
            SweepPanel {
                metric: format!("Service level ({})", call.name()),
                unit: SweepUnit::Share,
                series: grouped(Scope::Channel(call), Metric::ServiceLevel),
                target: service_level_target(call),
            },
            SweepPanel {
                metric: format!("Average speed of answer ({})", call.name()),
                unit: SweepUnit::Seconds,
                series: grouped(Scope::Channel(call), Metric::Asa),
                target: None,
            },
            SweepPanel {
                metric: "Cost (total)".into(),
                unit: SweepUnit::Euro,
                series: grouped(Scope::Total, Metric::Cost),
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
