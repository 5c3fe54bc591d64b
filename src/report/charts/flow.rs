//! Contacts per interval over consecutive days, stacked by outcome, with the
//! offered contacts as an outline and the agents on duty on a right axis.
//! Only intervals in opening hours are given, so x is the interval's index:
//! nights and closed days take no room.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures::{date, mean, minutes, shows_intervals};
use super::intraday::fmt_minutes;
use super::plot::{self, AxisSpec, Room};
use super::style::{
    AXIS, Axis, BLACK, Dash, INK, LegendItem, Marker, REDDISH_PURPLE, SKY_BLUE, TICK_SIZE,
    VERMILLION, YELLOW, at, count_axis, count_label, day_label, draw_no_data, finite_range, frame,
    nice_step, nice_up, short_day_label, text, text_width,
};
use super::{Chart, ChartError, subtitle};
use crate::model::Channel;
use crate::stats::{Level, Metric, RunResults, Scope};

/// Room right of the plot for the agents axis.
const RIGHT_ROOM: i32 = 84;
/// Room under the time labels for the day labels.
const DAY_ROW: i32 = 26;

/// Contacts per interval over a stretch of consecutive days (e.g. the busiest
/// week), stacked by outcome, with staffed agents on a second y axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntervalFlow {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Start of each interval shown (only intervals in opening hours, so
    /// nights are skipped: x is the index, labelled with day and time).
    pub starts: Vec<NaiveDateTime>,
    /// Answered contacts, mean per replication.
    pub answered: Vec<f64>,
    /// Abandoned contacts, mean per replication.
    pub abandoned: Vec<f64>,
    /// Contacts closed out (not answered at closing), mean per replication.
    pub closed_out: Vec<f64>,
    /// Offered contacts, ≥ answered + abandoned + closed_out (the rest is
    /// still waiting at horizon end); drawn as an outline.
    pub offered: Vec<f64>,
    /// Agents on duty, all pools (right axis).
    pub agents: Vec<f64>,
    /// Which channels are counted, e.g. "calls and chats".
    pub channels_label: String,
}

impl IntervalFlow {
    /// The chart of a run with calls or chats (or no front desk): the seven
    /// consecutive days with the most calls and chats (the whole horizon
    /// when it is shorter), interval by interval.
    pub fn of(results: &RunResults) -> Option<Self> {
        if !shows_intervals(results) {
            return None;
        }
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
            f.agents.push(agents(results, level));
        }
        Some(f)
    }
}

/// Agents on duty in all pools at `level`.
fn agents(results: &RunResults, level: Level) -> f64 {
    results
        .scopes(level, |s| match s {
            Scope::Pool(p) => Some(p),
            _ => None,
        })
        .into_iter()
        .map(|p| mean(results.get(level, Scope::Pool(p), Metric::Agents)))
        .filter(|x| x.is_finite())
        .sum()
}

impl Chart for IntervalFlow {
    fn file_stem(&self) -> String {
        "interval_flow".to_string()
    }

    fn title(&self) -> String {
        let channels = self.channels_label.trim();
        if channels.is_empty() {
            "Contacts and agents per interval".to_string()
        } else {
            format!("Contacts and agents per interval: {channels}")
        }
    }

    fn caption(&self) -> String {
        "Contacts per interval split into answered, abandoned and closed out (bars, \
         left axis), with the contacts offered as a black outline and the agents on \
         duty as a line (right axis); nights are left out."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let n = self.starts.len();
        let values = [
            &self.answered,
            &self.abandoned,
            &self.closed_out,
            &self.offered,
            &self.agents,
        ];
        let has_data = n > 0
            && values
                .iter()
                .any(|v| v[..v.len().min(n)].iter().any(|x| x.is_finite()));
        let days = day_blocks(self);
        let note = match (days.first(), days.len()) {
            (Some((d, _)), k) => format!(
                "mean per replication, {k} day{} from {}",
                if k == 1 { "" } else { "s" },
                day_label(*d)
            ),
            (None, _) => String::new(),
        };
        let sub = subtitle(&self.scenario, &note);
        if !has_data {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No contacts per interval to show");
        }
        let legend = [
            LegendItem::new(Marker::Fill(SKY_BLUE), "answered"),
            LegendItem::new(Marker::Fill(VERMILLION), "abandoned"),
            LegendItem::new(Marker::Fill(YELLOW), "closed out"),
            LegendItem::new(Marker::Line(BLACK, 2, Dash::Solid), "offered"),
            LegendItem::new(
                Marker::Line(REDDISH_PURPLE, 3, Dash::Solid),
                "agents on duty (right axis)",
            ),
        ];
        let area = frame(root, title, &sub, &legend)?;

        // Stack heights and the left axis.
        let value = |v: &[f64], i: usize| {
            let x = at(v, i);
            if x.is_finite() { x.max(0.0) } else { 0.0 }
        };
        let stacks: Vec<[f64; 3]> = (0..n)
            .map(|i| {
                let a = value(&self.answered, i);
                let b = a + value(&self.abandoned, i);
                [a, b, b + value(&self.closed_out, i)]
            })
            .collect();
        let top = stacks
            .iter()
            .map(|s| s[2])
            .chain(self.offered.iter().copied().filter(|v| v.is_finite()))
            .fold(0.0, f64::max);
        let left = count_axis(top, 6, 1.08);
        let steps = left.ticks().len().saturating_sub(1).max(1);
        // The agents axis gets as many steps as the left one, so its ticks sit
        // on the same grid lines.
        let agents_max = finite_range(&self.agents[..self.agents.len().min(n)])
            .map_or(1.0, |(_, hi)| hi.max(1.0));
        let agent_step = nice_step(agents_max * 1.05, steps).max(agents_max * 1.05 / steps as f64);
        let agent_step = nice_up(agent_step);
        let agents_hi = agent_step * steps as f64;
        let left_hi = left.hi();
        let to_left = |agents: f64| agents / agents_hi * left_hi;

        // Ticks: clock times inside each day when they fit, else day labels.
        let plot_w = f64::from(area.dim_in_pixel().0) - 120.0 - f64::from(RIGHT_ROOM);
        let per_interval = plot_w / n as f64;
        let hour_step = time_step(self, per_interval);
        let day_px = per_interval * n as f64 / days.len().max(1) as f64;
        let label_px = f64::from(text_width(&area, "Wed 30 Sep", &text(TICK_SIZE, INK)));
        let day_every = if day_px >= label_px + 12.0 {
            1
        } else if day_px * 7.0 >= label_px * 0.65 + 12.0 {
            7
        } else {
            14
        };
        let labelled_days: Vec<&(NaiveDate, std::ops::Range<usize>)> = days
            .iter()
            .filter(|(d, _)| {
                day_every == 1
                    || (d.weekday() == Weekday::Mon
                        && (day_every == 7 || d.iso_week().week() % 2 == 0))
            })
            .collect();
        let (ticks, day_row) = match hour_step {
            Some(step) => {
                let ticks = (0..n)
                    .filter(|&i| {
                        let t = self.starts[i].time();
                        let m = t.hour() * 60 + t.minute();
                        m.is_multiple_of(step * 60)
                    })
                    .map(|i| i as f64 - 0.5)
                    .collect();
                (ticks, true)
            }
            None => {
                let ticks = labelled_days
                    .iter()
                    .map(|(_, r)| r.start as f64 - 0.5)
                    .collect();
                (ticks, false)
            }
        };
        let x_axis = Axis::new(-0.5, n as f64 - 0.5, ticks);

        let starts = &self.starts;
        let short_days = day_every > 1;
        let x_fmt = move |v: &f64| {
            let i = (v + 0.5).round();
            if i < 0.0 {
                return String::new();
            }
            match starts.get(i as usize) {
                Some(t) if day_row => format!("{:02}:{:02}", t.hour(), t.minute()),
                Some(t) if short_days => short_day_label(t.date()),
                Some(t) => day_label(t.date()),
                None => String::new(),
            }
        };
        let y_fmt = |v: &f64| count_label(*v);
        let interval = if self.interval_minutes.is_finite() && self.interval_minutes > 0.0 {
            format!("{} min", fmt_minutes(self.interval_minutes))
        } else {
            "interval".to_string()
        };
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: x_axis,
                desc: "Interval start (opening hours only)".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: left,
                desc: format!("Contacts per {interval}"),
                format: &y_fmt,
            },
            Room {
                below: if day_row { DAY_ROW } else { 0 },
                right: RIGHT_ROOM,
                above: 0,
            },
        )?;

        // Bars: full width when thin, so a quarter reads as an area.
        let half = if per_interval < 4.0 { 0.5 } else { 0.4 };
        let colors = [SKY_BLUE, VERMILLION, YELLOW];
        for (k, color) in colors.iter().enumerate() {
            chart.draw_series((0..n).filter_map(|i| {
                let base = if k == 0 { 0.0 } else { stacks[i][k - 1] };
                let top = stacks[i][k];
                (top > base).then(|| {
                    let x = i as f64;
                    Rectangle::new([(x - half, base), (x + half, top)], color.filled())
                })
            }))?;
        }

        // Offered as a step outline and agents as a step line, broken at the
        // end of each day so no line crosses a night.
        // Thinner when intervals are only a few pixels wide (a month or more),
        // else the lines hide the bars.
        let (offered_w, agents_w) = if per_interval < 3.0 { (1, 1) } else { (2, 3) };
        for (_, range) in &days {
            step_line(
                &mut chart,
                range.clone(),
                |i| at(&self.offered, i),
                BLACK,
                offered_w,
            )?;
            let agents = |i| to_left(at(&self.agents, i));
            step_line(&mut chart, range.clone(), agents, REDDISH_PURPLE, agents_w)?;
        }

        let screen = &area;
        let y_top = plot::px_in(&chart, &area, (-0.5, chart.y_range().end)).1;
        let y_bottom = plot::px_in(&chart, &area, (-0.5, 0.0)).1;
        // Day separators and day labels under the clock times.
        for (k, (date, range)) in days.iter().enumerate() {
            let start = plot::px_in(&chart, &area, (range.start as f64 - 0.5, 0.0)).0;
            let end = plot::px_in(&chart, &area, (range.end as f64 - 0.5, 0.0)).0;
            let monday = date.weekday() == Weekday::Mon;
            if k > 0 && (day_every == 1 || monday) {
                screen.draw(&PathElement::new(
                    vec![
                        (start, y_top),
                        (start, y_bottom + if day_row { 44 } else { 0 }),
                    ],
                    AXIS.stroke_width(1),
                ))?;
            }
            if day_row && labelled_days.iter().any(|(d, _)| d == date) {
                let label = if short_days {
                    short_day_label(*date)
                } else {
                    day_label(*date)
                };
                let style =
                    super::style::bold(TICK_SIZE, INK).pos(Pos::new(HPos::Center, VPos::Top));
                let centre = if short_days {
                    start + 4
                } else {
                    (start + end) / 2
                };
                let style = if short_days {
                    style.pos(Pos::new(HPos::Left, VPos::Top))
                } else {
                    style
                };
                screen.draw_text(&label, &style, (centre, y_bottom + 32))?;
            }
        }

        // The agents axis on the right, its ticks on the left axis' grid lines.
        let ticks: Vec<(f64, String)> = (0..=steps)
            .map(|k| {
                let agents = agent_step * k as f64;
                (to_left(agents), count_label(agents))
            })
            .collect();
        plot::right_axis(&chart, &area, &ticks, "Agents on duty")?;
        Ok(())
    }
}

/// A step line over `range`: flat across each interval, vertical between
/// intervals, broken where a value is missing.
fn step_line<DB: DrawingBackend>(
    chart: &mut plot::Plot<DB>,
    range: std::ops::Range<usize>,
    value: impl Fn(usize) -> f64,
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    let y_hi = chart.y_range().end;
    let mut path: Vec<(f64, f64)> = Vec::new();
    let flush = |path: &mut Vec<(f64, f64)>, chart: &mut plot::Plot<DB>| {
        let points = std::mem::take(path);
        if points.len() >= 2 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points,
                    color.stroke_width(width),
                )))
                .map(|_| ())
        } else {
            Ok(())
        }
    };
    for i in range {
        let v = value(i);
        if !v.is_finite() {
            flush(&mut path, chart)?;
            continue;
        }
        let v = v.clamp(0.0, y_hi);
        let x = i as f64;
        path.push((x - 0.5, v));
        path.push((x + 0.5, v));
    }
    flush(&mut path, chart)?;
    Ok(())
}

/// Consecutive intervals of the same date: one block per day shown.
fn day_blocks(c: &IntervalFlow) -> Vec<(NaiveDate, std::ops::Range<usize>)> {
    let mut out: Vec<(NaiveDate, std::ops::Range<usize>)> = Vec::new();
    for (i, t) in c.starts.iter().enumerate() {
        match out.last_mut() {
            Some((d, r)) if *d == t.date() => r.end = i + 1,
            _ => out.push((t.date(), i..i + 1)),
        }
    }
    out
}

/// Hours between clock-time ticks, the smallest that leaves room for a
/// label, or `None` when even one tick per half day does not fit.
fn time_step(c: &IntervalFlow, per_interval: f64) -> Option<u32> {
    let minutes = if c.interval_minutes.is_finite() && c.interval_minutes > 0.0 {
        c.interval_minutes
    } else {
        60.0
    };
    [1u32, 2, 3, 4, 6, 12]
        .into_iter()
        .find(|h| f64::from(*h) * 60.0 / minutes * per_interval >= 64.0)
}
