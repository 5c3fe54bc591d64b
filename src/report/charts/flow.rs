//! Contacts per interval over consecutive days, stacked by outcome, with the
//! offered contacts as an outline and the agents on duty on a right axis.
//! Only intervals in opening hours are given, so x is the interval's index:
//! nights and closed days take no room.

use std::ops::Range;

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
                .map(|&c| mean(results.estimate(level, Scope::Channel(c), metric).as_ref()))
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
        .map(|p| {
            mean(
                results
                    .estimate(level, Scope::Pool(p), Metric::Agents)
                    .as_ref(),
            )
        })
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
        let days = day_blocks(self);
        let sub = subtitle(&self.scenario, &note(&days));
        if !self.has_data() {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No contacts per interval to show");
        }
        let area = frame(root, title, &sub, &legend())?;
        let stacks = self.stacks();
        let left = self.count_axis(&stacks);
        let agents = AgentsAxis::new(
            &self.agents[..self.agents.len().min(self.starts.len())],
            &left,
        );
        let time = TimeAxis::new(self, &area, &days);
        let mut chart = self.plot(&area, left, &time)?;
        draw_bars(&mut chart, &stacks, time.per_interval)?;
        self.draw_lines(&mut chart, &days, time.per_interval, &agents)?;
        draw_days(&chart, &area, &days, &time)?;
        agents.draw(&chart, &area)
    }
}

/// The days shown and where the series come from: "mean per replication,
/// 7 days from Mon 21 Jun".
fn note(days: &[(NaiveDate, Range<usize>)]) -> String {
    match (days.first(), days.len()) {
        (Some((d, _)), k) => format!(
            "mean per replication, {k} day{} from {}",
            if k == 1 { "" } else { "s" },
            day_label(*d)
        ),
        (None, _) => String::new(),
    }
}

fn legend() -> [LegendItem; 5] {
    [
        LegendItem::new(Marker::Fill(SKY_BLUE), "answered"),
        LegendItem::new(Marker::Fill(VERMILLION), "abandoned"),
        LegendItem::new(Marker::Fill(YELLOW), "closed out"),
        LegendItem::new(Marker::Line(BLACK, 2, Dash::Solid), "offered"),
        LegendItem::new(
            Marker::Line(REDDISH_PURPLE, 3, Dash::Solid),
            "agents on duty (right axis)",
        ),
    ]
}

impl IntervalFlow {
    /// Whether some series has a finite value in a shown interval.
    fn has_data(&self) -> bool {
        let n = self.starts.len();
        let values = [
            &self.answered,
            &self.abandoned,
            &self.closed_out,
            &self.offered,
            &self.agents,
        ];
        n > 0
            && values
                .iter()
                .any(|v| v[..v.len().min(n)].iter().any(|x| x.is_finite()))
    }

    /// Per interval, the tops of the answered, abandoned and closed-out
    /// bars stacked in this order (a missing or negative value adds nothing).
    fn stacks(&self) -> Vec<[f64; 3]> {
        let value = |v: &[f64], i: usize| {
            let x = at(v, i);
            if x.is_finite() { x.max(0.0) } else { 0.0 }
        };
        (0..self.starts.len())
            .map(|i| {
                let a = value(&self.answered, i);
                let b = a + value(&self.abandoned, i);
                [a, b, b + value(&self.closed_out, i)]
            })
            .collect()
    }

    /// The left axis, of contacts: up past the highest stack and the most
    /// offered.
    fn count_axis(&self, stacks: &[[f64; 3]]) -> Axis {
        let top = stacks
            .iter()
            .map(|s| s[2])
            .chain(self.offered.iter().copied().filter(|v| v.is_finite()))
            .fold(0.0, f64::max);
        count_axis(top, 6, 1.08)
    }

    /// Builds the plot: the time axis below, contacts per interval left.
    fn plot<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        left: Axis,
        time: &TimeAxis,
    ) -> Result<plot::Plot<'a, DB>, ChartError> {
        let x_fmt = |v: &f64| time.label(&self.starts, *v);
        let y_fmt = |v: &f64| count_label(*v);
        let interval = if self.interval_minutes.is_finite() && self.interval_minutes > 0.0 {
            format!("{} min", fmt_minutes(self.interval_minutes))
        } else {
            "interval".to_string()
        };
        plot::build(
            area,
            &AxisSpec {
                axis: time.axis.clone(),
                desc: "Interval start (opening hours only)".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: left,
                desc: format!("Contacts per {interval}"),
                format: &y_fmt,
            },
            Room {
                below: if time.day_row { DAY_ROW } else { 0 },
                right: RIGHT_ROOM,
                above: 0,
            },
        )
    }

    /// Offered as a step outline and agents as a step line, broken at the
    /// end of each day so no line crosses a night.
    fn draw_lines<DB: DrawingBackend>(
        &self,
        chart: &mut plot::Plot<DB>,
        days: &[(NaiveDate, Range<usize>)],
        per_interval: f64,
        agents_axis: &AgentsAxis,
    ) -> Result<(), ChartError> {
        // Thinner when intervals are only a few pixels wide (a month or more),
        // else the lines hide the bars.
        let (offered_w, agents_w) = if per_interval < 3.0 { (1, 1) } else { (2, 3) };
        for (_, range) in days {
            let offered = |i| at(&self.offered, i);
            step_line(chart, range.clone(), offered, BLACK, offered_w)?;
            let agents = |i| agents_axis.to_left(at(&self.agents, i));
            step_line(chart, range.clone(), agents, REDDISH_PURPLE, agents_w)?;
        }
        Ok(())
    }
}

/// The agents axis right of the plot. It gets as many steps as the left
/// axis, so that its ticks sit on the same grid lines.
struct AgentsAxis {
    step: f64,
    steps: usize,
    /// The top of the axis, agents.
    hi: f64,
    /// The top of the left axis, contacts.
    left_hi: f64,
}

impl AgentsAxis {
    /// The axis for `agents` beside the left axis `left`.
    fn new(agents: &[f64], left: &Axis) -> AgentsAxis {
        let steps = left.ticks().len().saturating_sub(1).max(1);
        let agents_max = finite_range(agents).map_or(1.0, |(_, hi)| hi.max(1.0));
        let step = nice_step(agents_max * 1.05, steps).max(agents_max * 1.05 / steps as f64);
        let step = nice_up(step);
        AgentsAxis {
            step,
            steps,
            hi: step * steps as f64,
            left_hi: left.hi(),
        }
    }

    /// A number of agents in the units of the left axis, where it is drawn.
    fn to_left(&self, agents: f64) -> f64 {
        agents / self.hi * self.left_hi
    }

    /// Draws the axis, its ticks on the left axis' grid lines.
    fn draw<DB: DrawingBackend>(
        &self,
        chart: &plot::Plot<DB>,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        let ticks: Vec<(f64, String)> = (0..=self.steps)
            .map(|k| {
                let agents = self.step * k as f64;
                (self.to_left(agents), count_label(agents))
            })
            .collect();
        plot::right_axis(chart, area, &ticks, "Agents on duty")?;
        Ok(())
    }
}

/// The time axis: ticks at clock times inside each day when they fit, with
/// the day labels in a row under them, else at the labelled days.
struct TimeAxis<'d> {
    axis: Axis,
    /// Pixels per interval.
    per_interval: f64,
    /// Every day is labelled (1), or Mondays (7), or every other Monday (14).
    day_every: usize,
    /// The days that get a label.
    labelled: Vec<&'d (NaiveDate, Range<usize>)>,
    /// Clock times are ticked, and the day labels have their own row.
    day_row: bool,
}

impl<'d> TimeAxis<'d> {
    /// The axis of `c` in `area`, whose intervals make up `days`.
    fn new<DB: DrawingBackend>(
        c: &IntervalFlow,
        area: &DrawingArea<DB, Shift>,
        days: &'d [(NaiveDate, Range<usize>)],
    ) -> TimeAxis<'d> {
        let n = c.starts.len();
        let plot_w = f64::from(area.dim_in_pixel().0) - 120.0 - f64::from(RIGHT_ROOM);
        let per_interval = plot_w / n as f64;
        let hour_step = time_step(c, per_interval);
        let day_px = per_interval * n as f64 / days.len().max(1) as f64;
        let label_px = f64::from(text_width(area, "Wed 30 Sep", &text(TICK_SIZE, INK)));
        let day_every = if day_px >= label_px + 12.0 {
            1
        } else if day_px * 7.0 >= label_px * 0.65 + 12.0 {
            7
        } else {
            14
        };
        let labelled: Vec<&(NaiveDate, Range<usize>)> = days
            .iter()
            .filter(|(d, _)| {
                day_every == 1
                    || (d.weekday() == Weekday::Mon
                        && (day_every == 7 || d.iso_week().week() % 2 == 0))
            })
            .collect();
        let ticks = match hour_step {
            Some(step) => (0..n)
                .filter(|&i| {
                    let t = c.starts[i].time();
                    let m = t.hour() * 60 + t.minute();
                    m.is_multiple_of(step * 60)
                })
                .map(|i| i as f64 - 0.5)
                .collect(),
            None => labelled.iter().map(|(_, r)| r.start as f64 - 0.5).collect(),
        };
        TimeAxis {
            axis: Axis::new(-0.5, n as f64 - 0.5, ticks),
            per_interval,
            day_every,
            labelled,
            day_row: hour_step.is_some(),
        }
    }

    /// Days are labelled short ("Mon 21/6"), leaving the others out.
    fn short_days(&self) -> bool {
        self.day_every > 1
    }

    /// The label of the tick at `v`: the clock time of the interval that
    /// starts there, else its day.
    fn label(&self, starts: &[NaiveDateTime], v: f64) -> String {
        let i = (v + 0.5).round();
        if i < 0.0 {
            return String::new();
        }
        match starts.get(i as usize) {
            Some(t) if self.day_row => format!("{:02}:{:02}", t.hour(), t.minute()),
            Some(t) if self.short_days() => short_day_label(t.date()),
            Some(t) => day_label(t.date()),
            None => String::new(),
        }
    }
}

/// The stacked bars: full width when thin, so a quarter reads as an area.
fn draw_bars<DB: DrawingBackend>(
    chart: &mut plot::Plot<DB>,
    stacks: &[[f64; 3]],
    per_interval: f64,
) -> Result<(), ChartError> {
    let half = if per_interval < 4.0 { 0.5 } else { 0.4 };
    let colors = [SKY_BLUE, VERMILLION, YELLOW];
    for (k, color) in colors.iter().enumerate() {
        chart.draw_series(stacks.iter().enumerate().filter_map(|(i, stack)| {
            let base = if k == 0 { 0.0 } else { stack[k - 1] };
            let top = stack[k];
            (top > base).then(|| {
                let x = i as f64;
                Rectangle::new([(x - half, base), (x + half, top)], color.filled())
            })
        }))?;
    }
    Ok(())
}

/// Day separators, and the day labels under the clock times.
fn draw_days<DB: DrawingBackend>(
    chart: &plot::Plot<DB>,
    area: &DrawingArea<DB, Shift>,
    days: &[(NaiveDate, Range<usize>)],
    time: &TimeAxis,
) -> Result<(), ChartError> {
    let y_top = plot::px_in(chart, area, (-0.5, chart.y_range().end)).1;
    let y_bottom = plot::px_in(chart, area, (-0.5, 0.0)).1;
    for (k, (date, range)) in days.iter().enumerate() {
        let start = plot::px_in(chart, area, (range.start as f64 - 0.5, 0.0)).0;
        let end = plot::px_in(chart, area, (range.end as f64 - 0.5, 0.0)).0;
        let monday = date.weekday() == Weekday::Mon;
        if k > 0 && (time.day_every == 1 || monday) {
            let below = y_bottom + if time.day_row { 44 } else { 0 };
            area.draw(&PathElement::new(
                vec![(start, y_top), (start, below)],
                AXIS.stroke_width(1),
            ))?;
        }
        if time.day_row && time.labelled.iter().any(|(d, _)| d == date) {
            let style = super::style::bold(TICK_SIZE, INK);
            // Short labels start at the day; whole ones are centred on it.
            let (label, style, x) = if time.short_days() {
                let style = style.pos(Pos::new(HPos::Left, VPos::Top));
                (short_day_label(*date), style, start + 4)
            } else {
                let style = style.pos(Pos::new(HPos::Center, VPos::Top));
                (day_label(*date), style, (start + end) / 2)
            };
            area.draw_text(&label, &style, (x, y_bottom + 32))?;
        }
    }
    Ok(())
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
