//! Reachability by time of day: one line per channel with its 95% CI band,
//! the worst day dashed, and the target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, Dash, LegendItem, Marker, REFERENCE, any_finite, channel_color, channel_name,
    clock, draw_no_data, finite_range, frame, percent_axis, percent_label,
};
use super::{ChartError, IntradayReachability, subtitle};

pub(super) fn draw<DB: DrawingBackend>(
    c: &IntradayReachability,
    title: &str,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let sub = subtitle(&c.scenario, "mean over all days, band: 95% CI");
    let has_data = !c.slots.is_empty()
        && c.channels.iter().any(|ch| {
            any_finite(&ch.mean_over_days.mean)
                || ch.worst_day.as_ref().is_some_and(|(_, v)| any_finite(v))
        });
    if !has_data {
        let area = frame(root, title, &sub, &[])?;
        return draw_no_data(&area, "No reachability per interval to show");
    }

    let mut legend = Vec::new();
    for ch in &c.channels {
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
    legend.extend(plot::target_legend(c.target));
    let area = frame(root, title, &sub, &legend)?;

    let interval = interval_minutes(c.interval_minutes, &c.slots);
    let starts: Vec<f64> = c.slots.iter().map(|&s| f64::from(s)).collect();
    // A value describes a whole interval, so it sits at the interval's middle.
    let xs: Vec<f64> = starts.iter().map(|s| s + interval / 2.0).collect();
    let first = starts.iter().copied().fold(f64::INFINITY, f64::min);
    let last = starts.iter().copied().fold(f64::NEG_INFINITY, f64::max) + interval;
    let x_axis = Axis::new(first, last, hour_ticks(first, last));

    let all = c.channels.iter().flat_map(|ch| {
        let band = &ch.mean_over_days;
        let worst = ch.worst_day.iter().flat_map(|(_, v)| v.iter());
        band.mean.iter().chain(&band.low).chain(worst)
    });
    let low = finite_range(all).map(|(lo, _)| lo);
    let y_axis = percent_axis(low, c.target);

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

    for ch in &c.channels {
        let color = channel_color(&ch.channel);
        let band = &ch.mean_over_days;
        plot::band(&mut chart, &xs, &band.low, &band.high, color, BAND_KEEP)?;
    }
    for ch in &c.channels {
        let color = channel_color(&ch.channel);
        if let Some((_, worst)) = &ch.worst_day {
            plot::line(&mut chart, &xs, worst, color, 2, Dash::Dashed)?;
        }
        plot::line(
            &mut chart,
            &xs,
            &ch.mean_over_days.mean,
            color,
            3,
            Dash::Solid,
        )?;
    }
    if let Some(target) = c.target {
        plot::reference_line(&mut chart, target, REFERENCE)?;
    }
    Ok(())
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
