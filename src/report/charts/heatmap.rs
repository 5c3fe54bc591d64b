//! Occupancy of one pool as a heatmap: a column per day, a row per interval
//! of the day (earliest on top), viridis colours with a scale, grey where
//! nobody was on duty.

use chrono::{Datelike, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::daily::{date_axis, date_formatter};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    AXIS, Axis, EMPTY_CELL, INK, LegendItem, MUTED, Marker, TICK_SIZE, at, clock, draw_no_data,
    frame, percent_label, text, viridis,
};
use super::{ChartError, OccupancyHeatmap, subtitle};

/// Width kept right of the heatmap for the colour scale.
const SCALE_ROOM: i32 = 100;

pub(super) fn draw<DB: DrawingBackend>(
    c: &OccupancyHeatmap,
    title: &str,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let sub = subtitle(&c.scenario, "mean of replications");
    let has_data = !c.dates.is_empty()
        && !c.slots.is_empty()
        && c.values.iter().any(|day| day.iter().any(|v| v.is_finite()));
    if !has_data {
        let area = frame(root, title, &sub, &[])?;
        return draw_no_data(&area, "No occupancy to show for this pool");
    }
    let legend = [LegendItem::new(Marker::Fill(EMPTY_CELL), "nobody on duty")];
    let area = frame(root, title, &sub, &legend)?;

    let (days, rows) = (c.dates.len(), c.slots.len());
    let x_axis = date_axis(&area, &c.dates);
    // Row j is drawn at y = rows - 1 - j so that the morning is on top.
    let row_y = |j: usize| (rows - 1 - j) as f64;
    let row_px = f64::from(area.dim_in_pixel().1.saturating_sub(90)) / rows as f64;
    let every = (26.0 / row_px).ceil().max(1.0) as usize;
    // With a label on every other row, prefer the rows on full hours.
    let offset = if every == 2 {
        c.slots.iter().position(|s| s % 60 == 0).unwrap_or(0) % 2
    } else {
        0
    };
    let y_ticks = (0..rows)
        .filter(|j| j % every == offset)
        .map(row_y)
        .collect();
    let y_axis = Axis::new(-0.5, rows as f64 - 0.5, y_ticks);

    let x_fmt = date_formatter(&area, &c.dates);
    let y_fmt = |v: &f64| {
        let j = rows as f64 - 1.0 - v.round();
        if j < 0.0 {
            return String::new();
        }
        c.slots
            .get(j as usize)
            .map_or(String::new(), |s| clock(f64::from(*s)))
    };
    let chart = plot::build(
        &area,
        &AxisSpec {
            axis: x_axis,
            desc: "Date".to_string(),
            format: &x_fmt,
        },
        &AxisSpec {
            axis: y_axis,
            desc: "Interval start".to_string(),
            format: &y_fmt,
        },
        Room {
            right: SCALE_ROOM,
            ..Room::default()
        },
    )?;

    let value = |d: usize, j: usize| c.values.get(d).map_or(f64::NAN, |day| at(day, j));
    let cells = (0..days).flat_map(|d| (0..rows).map(move |j| (d, j)));
    let plotting = chart.plotting_area();
    for (d, j) in cells {
        let v = value(d, j);
        let color = if v.is_finite() {
            viridis(v)
        } else {
            EMPTY_CELL
        };
        let (x, y) = (d as f64, row_y(j));
        plotting.draw(&Rectangle::new(
            [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
            color.filled(),
        ))?;
    }
    let (x0, y0) = plot::px(&chart, (-0.5, rows as f64 - 0.5));
    let (x1, y1) = plot::px(&chart, (days as f64 - 0.5, -0.5));
    let cell_w = f64::from(x1 - x0) / days as f64;
    let cell_h = f64::from(y1 - y0) / rows as f64;
    let screen = plot::screen(&chart);
    // White rules: between all cells when they are wide, else only before
    // Mondays, so weeks stand out in a quarter.
    for d in 1..days {
        if cell_w >= 24.0 || c.dates[d].weekday() == Weekday::Mon {
            let x = plot::px(&chart, (d as f64 - 0.5, 0.0)).0;
            screen.draw(&PathElement::new(
                vec![(x, y0), (x, y1)],
                WHITE.stroke_width(2),
            ))?;
        }
    }
    if cell_h >= 14.0 && cell_w >= 24.0 {
        for j in 1..rows {
            let y = plot::px(&chart, (0.0, row_y(j) + 0.5)).1;
            screen.draw(&PathElement::new(
                vec![(x0, y), (x1, y)],
                WHITE.stroke_width(1),
            ))?;
        }
    }
    // Values in the cells when there is room for them.
    if cell_w >= 46.0 && cell_h >= 17.0 {
        for d in 0..days {
            for j in 0..rows {
                let v = value(d, j);
                if !v.is_finite() {
                    continue;
                }
                let ink = if v < 0.6 { WHITE } else { BLACK };
                let style = text(16.0, RGBColor(ink.0, ink.1, ink.2))
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let at = plot::px(&chart, (d as f64, row_y(j)));
                screen.draw_text(&format!("{:.0}", v * 100.0), &style, at)?;
            }
        }
    }
    plot::border(&chart)?;

    // The colour scale, right of the plot and as tall as it, drawn on the
    // outer area (shapes are clamped to the area they are drawn on).
    let screen = &area;
    let (_, y0) = plot::px_in(&chart, &area, (-0.5, rows as f64 - 0.5));
    let (x1, y1) = plot::px_in(&chart, &area, (days as f64 - 0.5, -0.5));
    let (bar_x0, bar_x1) = (x1 + 26, x1 + 48);
    let steps = 100;
    for k in 0..steps {
        let t0 = k as f64 / steps as f64;
        let ya = y1 - ((f64::from(y1 - y0)) * t0).round() as i32;
        let yb = y1 - ((f64::from(y1 - y0)) * (t0 + 1.0 / steps as f64)).round() as i32;
        screen.draw(&Rectangle::new(
            [(bar_x0, yb), (bar_x1, ya)],
            viridis(t0 + 0.5 / steps as f64).filled(),
        ))?;
    }
    screen.draw(&Rectangle::new(
        [(bar_x0, y0), (bar_x1, y1)],
        AXIS.stroke_width(1),
    ))?;
    let label = text(TICK_SIZE, MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    for k in 0..=4 {
        let t = f64::from(k) / 4.0;
        let y = y1 - (f64::from(y1 - y0) * t).round() as i32;
        screen.draw(&PathElement::new(
            vec![(bar_x1, y), (bar_x1 + 5, y)],
            AXIS.stroke_width(1),
        ))?;
        screen.draw_text(&percent_label(t), &label, (bar_x1 + 8, y))?;
    }
    let head = text(TICK_SIZE, INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    screen.draw_text("Occupancy", &head, ((bar_x0 + bar_x1) / 2 + 14, y0 - 16))?;
    Ok(())
}
