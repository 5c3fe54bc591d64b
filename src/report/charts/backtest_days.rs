//! Backtest, per day: the actual value of one figure on one channel (points)
//! against the simulated mean (line) and P5–P95 band of the replications.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::daily::{date_axis, date_formatter};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, Dash, INK, LegendItem, Marker, any_finite, channel_color, clean, count_axis,
    draw_no_data, finite_range, frame, percent_axis, percent_label, sanitise, thousands,
};
use super::{Chart, ChartError, subtitle};
use crate::model::Metric;
use crate::planning::backtest::Backtest;

/// One figure of one channel per day: actual against the simulated band.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BacktestDays {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The channel's name.
    pub channel: String,
    /// The figure's name (`reachability`, `asa` ...).
    pub metric: String,
    /// The days with an actual value (x axis).
    pub dates: Vec<NaiveDate>,
    /// What happened.
    pub actual: Vec<f64>,
    /// Simulated mean.
    pub mean: Vec<f64>,
    /// Simulated 5th percentile.
    pub p5: Vec<f64>,
    /// Simulated 95th percentile.
    pub p95: Vec<f64>,
}

impl BacktestDays {
    /// One chart per figure and channel of a backtest, in report order.
    pub fn of(b: &Backtest) -> Vec<Self> {
        let mut charts = Vec::new();
        for metric in b.metrics() {
            for channel in b.channels() {
                let points: Vec<_> = b
                    .days
                    .iter()
                    .filter(|p| p.theme.is_none() && p.metric == metric && p.channel == channel)
                    .collect();
                if points.is_empty() {
                    continue;
                }
                charts.push(BacktestDays {
                    scenario: b.setup.name.clone(),
                    channel: channel.name().to_string(),
                    metric: metric.name().to_string(),
                    dates: points.iter().filter_map(|p| p.date.parse().ok()).collect(),
                    actual: points.iter().map(|p| p.actual).collect(),
                    mean: points.iter().map(|p| p.mean).collect(),
                    p5: points.iter().map(|p| p.p5).collect(),
                    p95: points.iter().map(|p| p.p95).collect(),
                });
            }
        }
        charts
    }
}

/// How a figure's values are drawn on the y axis.
pub(super) fn y_axis_of(metric: &str, values: &[&[f64]]) -> (Axis, String, fn(&f64) -> String) {
    let all = values.iter().flat_map(|v| v.iter());
    match Metric::from_name(metric) {
        Some(m) if m.is_share() => (
            percent_axis(finite_range(all).map(|(lo, _)| lo), None),
            format!("{} (%)", label(metric)),
            |v: &f64| percent_label(*v),
        ),
        Some(Metric::Asa) => (
            count_axis(finite_range(all).map_or(1.0, |(_, hi)| hi), 8, 1.1),
            "ASA (seconds)".to_string(),
            |v: &f64| thousands(*v),
        ),
        _ => (
            count_axis(finite_range(all).map_or(1.0, |(_, hi)| hi), 8, 1.1),
            label(metric),
            |v: &f64| thousands(*v),
        ),
    }
}

fn label(metric: &str) -> String {
    let s = clean(metric).trim().replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The legend of an actual-against-simulated chart.
pub(super) fn legend(channel: &str) -> Vec<LegendItem> {
    vec![
        LegendItem::new(
            Marker::LineOnBand(channel_color(channel)),
            "simulated mean, P5–P95",
        ),
        LegendItem::new(Marker::Line(INK, 3, Dash::Dotted), "actual"),
    ]
}

/// Draws the band, the mean and the actual points at `xs`.
pub(super) fn draw_series<DB: DrawingBackend>(
    chart: &mut plot::Plot<DB>,
    xs: &[f64],
    series: [&[f64]; 4],
    channel: &str,
) -> Result<(), ChartError> {
    let [actual, mean, p5, p95] = series;
    let color = channel_color(channel);
    plot::band(chart, xs, p5, p95, color, BAND_KEEP)?;
    plot::line(chart, xs, mean, color, 2, Dash::Solid)?;
    plot::dots(chart, xs, actual, INK, if xs.len() <= 31 { 5 } else { 3 })?;
    Ok(())
}

impl Chart for BacktestDays {
    fn file_stem(&self) -> String {
        format!(
            "backtest_days_{}_{}",
            sanitise(&self.metric),
            sanitise(&self.channel)
        )
    }

    fn title(&self) -> String {
        format!(
            "{} per day, {}: actual against simulated",
            label(&self.metric),
            self.channel
        )
    }

    fn caption(&self) -> String {
        "Each day's actual value (dark points) against the simulated mean (line) and the band \
         from the 5th to the 95th percentile of the replications; an honest scenario leaves \
         about one day in ten outside the band, and points on one side of it show a bias."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "points: actual, band: simulated P5–P95");
        if self.dates.is_empty() || !any_finite(&self.actual) {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No day to compare");
        }
        let area = frame(root, title, &sub, &legend(&self.channel))?;
        let (y, desc, fmt) = y_axis_of(
            &self.metric,
            &[&self.actual, &self.mean, &self.p5, &self.p95],
        );
        let x_fmt = date_formatter(&area, &self.dates);
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: date_axis(&area, &self.dates),
                desc: "Date".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y,
                desc,
                format: &fmt,
            },
            Room::default(),
        )?;
        let xs: Vec<f64> = (0..self.dates.len()).map(|i| i as f64).collect();
        draw_series(
            &mut chart,
            &xs,
            [&self.actual, &self.mean, &self.p5, &self.p95],
            &self.channel,
        )
    }
}
