//! Reachability by time of day: one line per channel with its 95% CI band,
//! the worst day dashed, and the target.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::figures::{band, date, mean, minutes, reachability_target, shows_intervals};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, Dash, LegendItem, Marker, REFERENCE, any_finite, channel_color, channel_name,
    clock, draw_no_data, finite_range, frame, percent_axis, percent_label,
};
use super::{Band, Chart, ChartError, subtitle};
use crate::stats::{Level, Metric, RunResults, Scope};

/// Reachability per interval of the day, per channel (calls, chats; e-mail too if present).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntradayReachability {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Minutes after midnight at which each interval starts (x axis, HH:MM labels).
    pub slots: Vec<u32>,
    /// One line (with its band) per channel.
    pub channels: Vec<IntradayChannel>,
    /// Target share 0..1, drawn as a horizontal dashed line labelled "target 90%".
    pub target: Option<f64>,
}

/// One channel of [`IntradayReachability`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntradayChannel {
    /// Channel name: `"call"`, `"chat"`, `"email"`.
    pub channel: String,
    /// Mean over all days of the horizon, band = 95% CI.
    pub mean_over_days: Band,
    /// The day with the lowest daily reachability and its per-slot values
    /// (a thin dashed line, legend "calls, worst day (Tue 2021-06-01)").
    pub worst_day: Option<(NaiveDate, Vec<f64>)>,
}

impl IntradayReachability {
    /// The chart of a run with calls or chats (or no front desk): each
    /// channel's reachability per interval of the day, and its worst day.
    pub fn of(results: &RunResults) -> Option<Self> {
        if !shows_intervals(results) {
            return None;
        }
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
                    results.time_of_day.iter().map(|t| {
                        results.get(Level::TimeOfDay(t.slot), scope, Metric::Reachability)
                    }),
                    false,
                );
                IntradayChannel {
                    channel: c.name().to_string(),
                    mean_over_days,
                    worst_day: worst_day(results, scope),
                }
            })
            .collect();
        Some(IntradayReachability {
            scenario: results.scenario.name.clone(),
            interval_minutes: results.scenario.interval_minutes,
            slots,
            channels: per_channel,
            target: reachability_target(results, &channels),
        })
    }
}

/// The day with the lowest mean reachability of `scope`, among days with
/// contacts, and its reachability per interval of the day.
fn worst_day(results: &RunResults, scope: Scope) -> Option<(NaiveDate, Vec<f64>)> {
    let (day, _) = (0..results.days.len() as u32)
        .filter_map(|d| {
            let r = results.mean(Level::Day(d), scope, Metric::Reachability)?;
            Some((d, r))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let values = results
        .time_of_day
        .iter()
        .map(|t| {
            results
                .intervals
                .iter()
                .find(|i| i.day == day && i.start == t.start)
                .map_or(f64::NAN, |i| {
                    mean(
                        results
                            .estimate(Level::Interval(i.index), scope, Metric::Reachability)
                            .as_ref(),
                    )
                })
        })
        .collect();
    Some((date(&results.days[day as usize].date)?, values))
}

impl Chart for IntradayReachability {
    fn file_stem(&self) -> String {
        "intraday_reachability".to_string()
    }

    fn title(&self) -> String {
        "Reachability by time of day".to_string()
    }

    fn caption(&self) -> String {
        "Share of contacts reached in each interval of the day, averaged over all days \
         (band: 95% confidence interval), with the worst day as a thin dashed line; \
         intervals below the target line are where extra staff helps most."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "mean over all days, band: 95% CI");
        if !self.has_data() {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No reachability per interval to show");
        }

        let legend = self.legend();
        let area = frame(root, title, &sub, &legend)?;

        let TimeOfDay {
            interval,
            xs,
            axis: x_axis,
        } = TimeOfDay::of(self.interval_minutes, &self.slots);

        let all = self.channels.iter().flat_map(|ch| {
            let band = &ch.mean_over_days;
            let worst = ch.worst_day.iter().flat_map(|(_, v)| v.iter());
            band.mean.iter().chain(&band.low).chain(worst)
        });
        let low = finite_range(all).map(|(lo, _)| lo);
        let y_axis = percent_axis(low, self.target);

        let x_fmt = |v: &f64| clock(*v);
        let y_fmt = |v: &f64| percent_label(*v);
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: x_axis,
                desc: format!("Time of day (intervals of {} min)", fmt_minutes(interval)),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y_axis,
                desc: "Reachability (%)".to_string(),
                format: &y_fmt,
            },
            Room::default(),
        )?;

        self.draw_lines(&mut chart, &xs)
    }
}

impl IntradayReachability {
    /// Whether any channel has a finite figure to draw.
    fn has_data(&self) -> bool {
        !self.slots.is_empty()
            && self.channels.iter().any(|ch| {
                any_finite(&ch.mean_over_days.mean)
                    || ch.worst_day.as_ref().is_some_and(|(_, v)| any_finite(v))
            })
    }

    /// Per channel its mean and, if any, its worst day; then the target.
    fn legend(&self) -> Vec<LegendItem> {
        let mut legend = Vec::new();
        for ch in &self.channels {
            let color = channel_color(&ch.channel);
            let name = channel_name(&ch.channel);
            legend.push(LegendItem::new(
                Marker::LineOnBand(color),
                format!("{name}, mean of all days"),
            ));
            if let Some((date, _)) = &ch.worst_day {
                legend.push(LegendItem::new(
                    Marker::Line(color, 2, Dash::Dashed),
                    format!("{name}, worst day ({})", date.format("%a %Y-%m-%d")),
                ));
            }
        }
        legend.extend(plot::target_legend(self.target));
        legend
    }

    /// The channels' bands under their worst days and means, then the target.
    fn draw_lines<DB: DrawingBackend>(
        &self,
        chart: &mut plot::Plot<DB>,
        xs: &[f64],
    ) -> Result<(), ChartError> {
        for ch in &self.channels {
            let color = channel_color(&ch.channel);
            let band = &ch.mean_over_days;
            plot::band(chart, xs, &band.low, &band.high, color, BAND_KEEP)?;
        }
        for ch in &self.channels {
            let color = channel_color(&ch.channel);
            if let Some((_, worst)) = &ch.worst_day {
                plot::line(chart, xs, worst, color, 2, Dash::Dashed)?;
            }
            plot::line(chart, xs, &ch.mean_over_days.mean, color, 3, Dash::Solid)?;
        }
        if let Some(target) = self.target {
            plot::reference_line(chart, target, REFERENCE)?;
        }
        Ok(())
    }
}

/// The time-of-day axis of a chart of intervals of the day.
pub(super) struct TimeOfDay {
    /// The interval length in minutes.
    pub interval: f64,
    /// Each slot's x: a value describes a whole interval, so it sits at the
    /// interval's middle.
    pub xs: Vec<f64>,
    /// From the first slot's start to the last slot's end, ticks on the hours.
    pub axis: Axis,
}

impl TimeOfDay {
    /// The axis of `slots` (minutes after midnight) of `interval_minutes`
    /// (if not given, see [`interval_minutes`]).
    pub(super) fn of(interval_minutes_given: f64, slots: &[u32]) -> TimeOfDay {
        let interval = interval_minutes(interval_minutes_given, slots);
        let starts: Vec<f64> = slots.iter().map(|&s| f64::from(s)).collect();
        let xs: Vec<f64> = starts.iter().map(|s| s + interval / 2.0).collect();
        let first = starts.iter().copied().fold(f64::INFINITY, f64::min);
        let last = starts.iter().copied().fold(f64::NEG_INFINITY, f64::max) + interval;
        TimeOfDay {
            interval,
            xs,
            axis: Axis::new(first, last, hour_ticks(first, last)),
        }
    }
}

/// The interval length: as given, else the smallest gap between slots, else
/// an hour.
pub(super) fn interval_minutes(given: f64, slots: &[u32]) -> f64 {
    if given.is_finite() && given > 0.0 {
        return given;
    }
    let mut slots = slots.to_vec();
    slots.sort_unstable();
    slots
        .windows(2)
        .map(|w| f64::from(w[1] - w[0]))
        .filter(|d| *d > 0.0)
        .fold(None, |acc: Option<f64>, d| {
            Some(acc.map_or(d, |a| a.min(d)))
        })
        .unwrap_or(60.0)
}

/// Ticks on full hours, every one, two or three hours so at most about 14
/// labels share the axis.
pub(super) fn hour_ticks(first: f64, last: f64) -> Vec<f64> {
    let span_h = ((last - first) / 60.0).max(1.0);
    let step = if span_h <= 14.0 {
        60.0
    } else if span_h <= 28.0 {
        120.0
    } else {
        180.0
    };
    let start = (first / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= last + 1e-9 && ticks.len() < 64 {
        ticks.push(t);
        t += step;
    }
    ticks
}

/// "30", "7.5".
pub(super) fn fmt_minutes(m: f64) -> String {
    if (m - m.round()).abs() < 1e-9 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}
