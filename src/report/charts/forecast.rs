//! A theme forecast's contacts per ISO week: one panel per channel, the
//! likely case as a line with dots over the fan from the low to the high case.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::planning::forecast::{BandFigure, Forecast};

use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, Dash, LABEL_SIZE, LegendItem, MUTED, Marker, any_finite, bold, channel_color,
    channel_name, count_axis, count_label, draw_no_data, finite_range, fit_text, frame,
};
use super::{Chart, ChartError, subtitle};

/// A theme forecast's contacts per ISO week, one panel per channel: the
/// likely case over the fan from the low to the high case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForecastWeekly {
    /// Theme and base scenario, shown under the title.
    pub scenario: String,
    /// ISO weeks from the theme's start (`2021-W09`), the x axis.
    pub weeks: Vec<String>,
    /// One panel per channel.
    pub channels: Vec<ForecastWeeklyChannel>,
}

/// One channel (panel) of [`ForecastWeekly`]; one value per week.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForecastWeeklyChannel {
    /// Channel name.
    pub channel: String,
    /// Contacts of the low case.
    pub low: Vec<f64>,
    /// Contacts of the likely case.
    pub likely: Vec<f64>,
    /// Contacts of the high case.
    pub high: Vec<f64>,
    /// Days of each week with the theme active (a partial first or last week has fewer).
    pub days: Vec<u32>,
}

impl ForecastWeekly {
    /// The chart of a forecast: its contacts per week and channel.
    pub fn of(f: &Forecast) -> Self {
        let weeks: Vec<String> = f.weeks.iter().map(|w| w.period.clone()).collect();
        let mut channels: Vec<String> = f.volumes.iter().map(|v| v.channel.clone()).collect();
        channels.sort_by_key(|c| ["call", "chat", "email"].iter().position(|x| x == c));
        let series = |c: &str, pick: &dyn Fn(&BandFigure) -> Option<f64>| {
            f.weeks
                .iter()
                .map(|w| {
                    w.figures
                        .iter()
                        .find(|b| b.channel == c && b.metric == "contacts")
                        .and_then(pick)
                        .unwrap_or(f64::NAN)
                })
                .collect::<Vec<f64>>()
        };
        let panels = channels
            .iter()
            .map(|c| ForecastWeeklyChannel {
                channel: c.clone(),
                low: series(c, &|b| b.low.mean),
                likely: series(c, &|b| b.likely.mean),
                high: series(c, &|b| b.high.mean),
                days: f.weeks.iter().map(|w| w.days).collect(),
            })
            .collect();
        ForecastWeekly {
            scenario: format!("{} on {}", f.theme, f.base.scenario),
            weeks,
            channels: panels,
        }
    }
}

impl Chart for ForecastWeekly {
    fn file_stem(&self) -> String {
        "forecast_weekly".to_string()
    }

    fn title(&self) -> String {
        "Forecast: the theme's contacts per week".to_string()
    }

    fn caption(&self) -> String {
        "Contacts of the new theme per ISO week and channel: the likely case (line), \
         and the band from the low to the high case; a first or last week with fewer \
         active days is lower for that reason."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "mean of replications per case");
        let panels: Vec<&ForecastWeeklyChannel> = self
            .channels
            .iter()
            .filter(|p| any_finite(&p.likely) || any_finite(&p.high))
            .collect();
        if panels.is_empty() || self.weeks.is_empty() {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No weeks with the theme to show");
        }
        let legend = vec![
            LegendItem::new(Marker::Line(MUTED, 3, Dash::Solid), "likely"),
            LegendItem::new(
                Marker::Fill(super::style::tint(MUTED, BAND_KEEP)),
                "low to high",
            ),
            LegendItem::new(Marker::Line(MUTED, 1, Dash::Dashed), "low and high"),
        ];
        let area = frame(root, title, &sub, &legend)?;
        let (width, _) = area.dim_in_pixel();
        let breaks: Vec<i32> = (1..panels.len())
            .map(|k| (f64::from(width) * k as f64 / panels.len() as f64).round() as i32)
            .collect();
        let cells = area.split_by_breakpoints(breaks, Vec::<i32>::new());
        for (k, (panel, cell)) in panels.iter().zip(&cells).enumerate() {
            draw_panel(panel, &self.weeks, cell, k == 0)?;
        }
        Ok(())
    }
}

/// One channel's panel: its heading, then its weekly band, bounds and likely
/// line.
fn draw_panel<DB: DrawingBackend>(
    p: &ForecastWeeklyChannel,
    weeks: &[String],
    cell: &DrawingArea<DB, Shift>,
    first: bool,
) -> Result<(), ChartError> {
    let color = channel_color(&p.channel);
    let (head, body) = cell.split_vertically(28);
    draw_heading(p, weeks, &head, first)?;
    let n = weeks.len();
    let x_axis = week_axis(head.dim_in_pixel().0, n);
    let max = finite_range(p.high.iter().chain(&p.likely)).map_or(1.0, |(_, hi)| hi);
    let y_axis = count_axis(max, 6, 1.08);
    let x_fmt = |v: &f64| {
        let i = v.round();
        if i < 0.0 {
            return String::new();
        }
        weeks
            .get(i as usize)
            .map(|w| w.rsplit('-').next().unwrap_or(w).to_string())
            .unwrap_or_default()
    };
    let y_fmt = |v: &f64| count_label(*v);
    let mut chart = plot::build(
        &body,
        &AxisSpec {
            axis: x_axis,
            desc: "ISO week".to_string(),
            format: &x_fmt,
        },
        &AxisSpec {
            axis: y_axis,
            desc: if first {
                "Contacts per week".to_string()
            } else {
                String::new()
            },
            format: &y_fmt,
        },
        Room::default(),
    )?;
    let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
    plot::band(&mut chart, &xs, &p.low, &p.high, color, BAND_KEEP)?;
    plot::line(&mut chart, &xs, &p.low, color, 1, Dash::Dashed)?;
    plot::line(&mut chart, &xs, &p.high, color, 1, Dash::Dashed)?;
    plot::line(&mut chart, &xs, &p.likely, color, 3, Dash::Solid)?;
    plot::dots(&mut chart, &xs, &p.likely, color, 4)?;
    Ok(())
}

/// The panel's heading: the channel and its likely total, centred (shifted
/// right on the first panel, past the y axis' description).
fn draw_heading<DB: DrawingBackend>(
    p: &ForecastWeeklyChannel,
    weeks: &[String],
    head: &DrawingArea<DB, Shift>,
    first: bool,
) -> Result<(), ChartError> {
    let total: f64 = p.likely.iter().filter(|x| x.is_finite()).sum();
    let heading = format!(
        "{}: {} likely in {} weeks",
        channel_name(&p.channel),
        super::style::thousands(total),
        weeks.len()
    );
    let style = bold(LABEL_SIZE, channel_color(&p.channel));
    let (w, _) = head.dim_in_pixel();
    let heading = fit_text(head, &heading, &style, w as i32 - 30);
    head.draw_text(
        &heading,
        &style.pos(Pos::new(HPos::Center, VPos::Center)),
        (w as i32 / 2 + if first { 20 } else { 0 }, 14),
    )?;
    Ok(())
}

/// The axis of `n` weeks across `width` pixels: every week labelled when
/// the labels fit, else every other one or fewer.
fn week_axis(width: u32, n: usize) -> Axis {
    let per_week = f64::from(width) / n.max(1) as f64;
    let every = if per_week >= 44.0 {
        1
    } else {
        (44.0 / per_week).ceil() as usize
    };
    let ticks = (0..n).step_by(every.max(1)).map(|i| i as f64).collect();
    Axis::new(-0.5, n as f64 - 0.5, ticks)
}
