//! Backtest, the average day: per interval of the day, the actual value of
//! one figure on one channel averaged over the period's days, against the
//! simulated mean and P5–P95 band averaged the same way.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::backtest_days::{draw_series, legend, y_axis_of};
use super::plot::{self, AxisSpec, Room};
use super::style::{Axis, any_finite, draw_no_data, frame, sanitise};
use super::{Chart, ChartError, subtitle};
use crate::planning::backtest::Backtest;

/// The average day of one figure on one channel: actual against simulated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BacktestIntraday {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The channel's name.
    pub channel: String,
    /// The figure's name.
    pub metric: String,
    /// Starts of the intervals of the day, `HH:MM` (x axis).
    pub starts: Vec<String>,
    /// Average actual value.
    pub actual: Vec<f64>,
    /// Average simulated mean.
    pub mean: Vec<f64>,
    /// Average simulated P5.
    pub p5: Vec<f64>,
    /// Average simulated P95.
    pub p95: Vec<f64>,
}

impl BacktestIntraday {
    /// One chart per figure and channel with interval figures.
    pub fn of(b: &Backtest) -> Vec<Self> {
        let mut charts = Vec::new();
        for metric in b.metrics() {
            for channel in b.channels() {
                let points: Vec<_> = b
                    .profile
                    .iter()
                    .filter(|p| p.metric == metric && p.channel == channel)
                    .collect();
                if points.is_empty() {
                    continue;
                }
                charts.push(BacktestIntraday {
                    scenario: b.setup.name.clone(),
                    channel: channel.name().to_string(),
                    metric: metric.name().to_string(),
                    starts: points.iter().map(|p| p.start.clone()).collect(),
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

impl Chart for BacktestIntraday {
    fn file_stem(&self) -> String {
        format!(
            "backtest_intraday_{}_{}",
            sanitise(&self.metric),
            sanitise(&self.channel)
        )
    }

    fn title(&self) -> String {
        format!(
            "Average day, {} {}: actual against simulated",
            self.metric.replace('_', " "),
            self.channel
        )
    }

    fn caption(&self) -> String {
        "Per interval of the day, the actual value averaged over the days with contacts \
         then (dark points) against the simulated mean and P5–P95 band averaged the same \
         way: a profile the scenario gets wrong shows as points leaving the band at the \
         same hours."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "average over the period's days");
        if self.starts.is_empty() || !any_finite(&self.actual) {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No interval to compare");
        }
        let area = frame(root, title, &sub, &legend(&self.channel))?;
        let (y, desc, fmt) = y_axis_of(
            &self.metric,
            &[&self.actual, &self.mean, &self.p5, &self.p95],
        );
        let n = self.starts.len();
        // About 12 labels at most.
        let step = n.div_ceil(12).max(1);
        let ticks = (0..n).step_by(step).map(|i| i as f64).collect();
        let starts = &self.starts;
        let x_fmt = move |v: &f64| {
            let i = v.round();
            if i < 0.0 {
                return String::new();
            }
            starts.get(i as usize).cloned().unwrap_or_default()
        };
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: Axis::new(-0.5, n as f64 - 0.5, ticks),
                desc: "Interval of the day (start)".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y,
                desc,
                format: &fmt,
            },
            Room::default(),
        )?;
        let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
        draw_series(
            &mut chart,
            &xs,
            [&self.actual, &self.mean, &self.p5, &self.p95],
            &self.channel,
        )
    }
}
