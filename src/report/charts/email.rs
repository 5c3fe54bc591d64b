//! E-mail backlog at the end of each day (bars with P5–P95 whiskers, left
//! axis) and the share picked up within the SLA (line with its 95% CI band,
//! right axis 0–100%).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::daily::{date_axis, date_formatter};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, BLACK, BLUISH_GREEN, Dash, LegendItem, Marker, REFERENCE, any_finite, at,
    count_label, draw_no_data, finite_range, frame, nice_up, percent_label, tint,
};
use super::{ChartError, EmailBacklog, subtitle};

/// The left axis has this many steps, so that the right axis' 0, 20, …,
/// 100 % ticks fall on its grid lines.
const STEPS: usize = 5;

pub(super) fn draw<DB: DrawingBackend>(
    c: &EmailBacklog,
    title: &str,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let sla = match c.sla_working_days {
        0 => "SLA: same working day".to_string(),
        1 => "SLA: 1 working day".to_string(),
        d => format!("SLA: {d} working days"),
    };
    let sub = subtitle(&c.scenario, &sla);
    let n = c.dates.len();
    let has_data = n > 0 && (any_finite(&c.backlog.mean) || any_finite(&c.within_sla.mean));
    if !has_data {
        let area = frame(root, title, &sub, &[])?;
        return draw_no_data(&area, "No e-mail backlog to show");
    }
    let mut legend = vec![
        LegendItem::new(
            Marker::BarWithWhisker(tint(BLUISH_GREEN, 0.55)),
            "backlog at end of day (mean, P5–P95)",
        ),
        LegendItem::new(
            Marker::LineOnBand(BLACK),
            "picked up within SLA (95% CI, right axis)",
        ),
    ];
    legend.extend(plot::target_legend(c.target));
    let area = frame(root, title, &sub, &legend)?;

    let shown = |v: &[f64]| -> Vec<f64> { (0..n).map(|i| at(v, i)).collect() };
    let (mean, low, high) = (
        shown(&c.backlog.mean),
        shown(&c.backlog.low),
        shown(&c.backlog.high),
    );
    let top = finite_range(mean.iter().chain(&high)).map_or(1.0, |(_, hi)| hi.max(1.0));
    let step = nice_up(top * 1.05 / STEPS as f64);
    let left_hi = step * STEPS as f64;
    let left = Axis::new(0.0, left_hi, (0..=STEPS).map(|k| k as f64 * step).collect());
    let to_left = |share: f64| share * left_hi;

    let x_fmt = date_formatter(&area, &c.dates);
    let y_fmt = |v: &f64| count_label(*v);
    let room = plot::right_room(&area, "100%");
    let mut chart = plot::build(
        &area,
        &AxisSpec {
            axis: date_axis(&area, &c.dates),
            desc: "Date".to_string(),
            format: &x_fmt,
        },
        &AxisSpec {
            axis: left,
            desc: "E-mails waiting at end of day".to_string(),
            format: &y_fmt,
        },
        Room {
            right: room,
            ..Room::default()
        },
    )?;

    // Bars and whiskers.
    let bar = tint(BLUISH_GREEN, 0.55);
    plot::bars_with_whiskers(&mut chart, &mean, &low, &high, bar)?;

    // The SLA share on the right axis.
    let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let scaled = |v: &[f64]| -> Vec<f64> { (0..n).map(|i| to_left(at(v, i))).collect() };
    let within = &c.within_sla;
    plot::band(
        &mut chart,
        &xs,
        &scaled(&within.low),
        &scaled(&within.high),
        BLACK,
        BAND_KEEP,
    )?;
    plot::line(
        &mut chart,
        &xs,
        &scaled(&within.mean),
        BLACK,
        3,
        Dash::Solid,
    )?;
    plot::dots(
        &mut chart,
        &xs,
        &scaled(&within.mean),
        BLACK,
        if n <= 31 { 4 } else { 2 },
    )?;
    if let Some(target) = c.target {
        plot::reference_line(&mut chart, to_left(target.clamp(0.0, 1.0)), REFERENCE)?;
    }
    let ticks: Vec<(f64, String)> = (0..=STEPS)
        .map(|k| {
            let share = k as f64 / STEPS as f64;
            (to_left(share), percent_label(share))
        })
        .collect();
    plot::right_axis(&chart, &area, &ticks, "Picked up within SLA (%)")?;
    Ok(())
}
