//! Reachability per day over the horizon: a line per series (total first)
//! with the P5–P95 fan of replications, gaps on days without contacts.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, LegendItem, Marker, REFERENCE, TICK_SIZE, any_finite, channel_color, channel_name,
    day_label, draw_no_data, finite_range, frame, percent_axis, percent_label, short_day_label,
    text, text_width,
};
use super::{ChartError, DailyReachability, subtitle};

/// Share of a series colour kept in its fan: light, because the fans of
/// several series overlap.
const FAN_KEEP: f64 = 0.16;

pub(super) fn draw<DB: DrawingBackend>(
    c: &DailyReachability,
    title: &str,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let sub = subtitle(&c.scenario, "mean of replications, band: P5–P95");
    let has_data = !c.dates.is_empty() && c.series.iter().any(|s| any_finite(&s.mean));
    if !has_data {
        let area = frame(root, title, &sub, &[])?;
        return draw_no_data(&area, "No daily reachability to show");
    }
    let mut legend: Vec<LegendItem> = c
        .series
        .iter()
        .map(|s| {
            LegendItem::new(
                Marker::LineOnBand(channel_color(&s.label)),
                channel_name(&s.label),
            )
        })
        .collect();
    legend.extend(plot::target_legend(c.target));
    let area = frame(root, title, &sub, &legend)?;

    let n = c.dates.len();
    let x_axis = date_axis(&area, &c.dates);
    let all = c.series.iter().flat_map(|s| s.mean.iter().chain(&s.p5));
    let y_axis = percent_axis(finite_range(all).map(|(lo, _)| lo), c.target);

    let x_fmt = date_formatter(&area, &c.dates);
    let y_fmt = |v: &f64| percent_label(*v);
    let mut chart = plot::build(
        &area,
        &AxisSpec {
            axis: x_axis,
            desc: "Date".to_string(),
            format: &x_fmt,
        },
        &AxisSpec {
            axis: y_axis,
            desc: "Reachability (%)".to_string(),
            format: &y_fmt,
        },
        Room::default(),
    )?;

    let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
    // Fans first, lines over them, the first series (total) on top.
    for s in c.series.iter().rev() {
        plot::band(
            &mut chart,
            &xs,
            &s.p5,
            &s.p95,
            channel_color(&s.label),
            FAN_KEEP,
        )?;
    }
    let radius = if n <= 31 { 4 } else { 2 };
    for (k, s) in c.series.iter().enumerate().rev() {
        let color = channel_color(&s.label);
        let width = if k == 0 { 3 } else { 2 };
        plot::line(
            &mut chart,
            &xs,
            &s.mean,
            color,
            width,
            super::style::Dash::Solid,
        )?;
        plot::dots(&mut chart, &xs, &s.mean, color, radius)?;
    }
    if let Some(target) = c.target {
        plot::reference_line(&mut chart, target, REFERENCE)?;
    }
    Ok(())
}

/// Estimated width of the plot in `area`, for choosing date ticks before the
/// plot exists (the y labels of a percent axis take about 110 px).
fn plot_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> f64 {
    f64::from(area.dim_in_pixel().0) - 150.0
}

/// An x axis of day indices, a day's value at its index, with ticks on every
/// day or on Mondays when the labels would not fit.
pub(super) fn date_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[chrono::NaiveDate],
) -> Axis {
    let (ticks, _) = ticks(area, dates);
    let n = dates.len() as f64;
    Axis::new(-0.5, n - 0.5, ticks.into_iter().map(|i| i as f64).collect())
}

fn ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[chrono::NaiveDate],
) -> (Vec<usize>, bool) {
    let label_px = f64::from(text_width(area, "Wed 30 Sep", &text(TICK_SIZE, REFERENCE)));
    let per_day = plot_width(area) / dates.len().max(1) as f64;
    super::style::date_ticks(dates, per_day, label_px)
}

/// Tick labels for [`date_axis`]: "Mon 7 Jun" when every day has a tick,
/// "7 Jun" on weekly ticks.
pub(super) fn date_formatter<'d, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &'d [chrono::NaiveDate],
) -> impl Fn(&f64) -> String + 'd {
    let (_, short) = ticks(area, dates);
    move |v: &f64| {
        let i = v.round();
        if i < 0.0 {
            return String::new();
        }
        match dates.get(i as usize) {
            Some(d) if short => short_day_label(*d),
            Some(d) => day_label(*d),
            None => String::new(),
        }
    }
}
