//! Heatmaps: a grid of cells coloured on the viridis scale with a colour
//! scale beside it, grey where there is no value. The occupancy of a pool
//! (a column per day, a row per interval of the day) and the front desk's
//! week (a row per weekday, a column per clock hour) share the drawing.

use chrono::{Datelike, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::daily::{date_axis, date_formatter};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    AXIS, Axis, EMPTY_CELL, INK, LegendItem, MUTED, Marker, TICK_SIZE, at, clean, clock,
    count_axis, count_label, draw_no_data, frame, percent_label, text, text_width, viridis,
};
use super::{ChartError, OccupancyHeatmap, WeekdayHourFigure, WeekdayHourHeatmap, subtitle};

/// Width kept right of the heatmap for the colour scale.
const SCALE_ROOM: i32 = 100;
/// Size of the values written in the cells.
const CELL_TEXT: f64 = 16.0;

/// What the colours and the numbers in the cells mean: values from 0
/// (darkest) to `hi` (brightest).
struct Scale<'f> {
    /// The value of the brightest colour; larger values get it too.
    hi: f64,
    /// Values marked on the scale.
    ticks: Vec<f64>,
    /// A mark's label.
    label: &'f dyn Fn(f64) -> String,
    /// The scale's heading.
    head: &'f str,
    /// The text written in a cell.
    cell: &'f dyn Fn(f64) -> String,
}

/// A heatmap's grid: `columns` × `rows` cells, row 0 on top.
struct Grid<'f> {
    columns: usize,
    rows: usize,
    /// The value of cell (column, row); NaN leaves it grey.
    value: &'f dyn Fn(usize, usize) -> f64,
    /// The x axis, over `-0.5 .. columns - 0.5`.
    x: AxisSpec<'f>,
    /// Label of each row and the y axis title.
    row_label: &'f dyn Fn(usize) -> String,
    y_desc: &'f str,
    /// Rows whose label is kept when only every other row gets one.
    preferred_row: &'f dyn Fn(usize) -> bool,
    /// Columns that get a white rule on their left even when the cells are
    /// too narrow for rules between all of them.
    rule_before: &'f dyn Fn(usize) -> bool,
    /// Smallest cell (width, height) in pixels that gets its value written.
    text_room: (f64, f64),
    scale: Scale<'f>,
}

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
    let x_fmt = date_formatter(&area, &c.dates);
    let slot_label = |j: usize| {
        c.slots
            .get(j)
            .map_or(String::new(), |s| clock(f64::from(*s)))
    };
    grid(
        &area,
        &Grid {
            columns: c.dates.len(),
            rows: c.slots.len(),
            value: &|d, j| c.values.get(d).map_or(f64::NAN, |day| at(day, j)),
            x: AxisSpec {
                axis: date_axis(&area, &c.dates),
                desc: "Date".to_string(),
                format: &x_fmt,
            },
            row_label: &slot_label,
            y_desc: "Interval start",
            // With a label on every other row, prefer the rows on full hours.
            preferred_row: &|j| c.slots.get(j).is_some_and(|s| s % 60 == 0),
            // Before Mondays, so weeks stand out in a quarter.
            rule_before: &|d| c.dates[d].weekday() == Weekday::Mon,
            text_room: (46.0, 17.0),
            scale: occupancy_scale(),
        },
    )
}

/// Occupancy from 0 to 100%, in whole percent in the cells.
fn occupancy_scale() -> Scale<'static> {
    Scale {
        hi: 1.0,
        ticks: (0..=4).map(|k| f64::from(k) / 4.0).collect(),
        label: &percent_label,
        head: "Occupancy",
        cell: &|v| format!("{:.0}", v * 100.0),
    }
}

/// A figure of the front desk by weekday (rows, Monday on top) and clock
/// hour (columns).
pub(super) fn draw_weekday_hour<DB: DrawingBackend>(
    c: &WeekdayHourHeatmap,
    title: &str,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let wait = matches!(c.figure, WeekdayHourFigure::Wait);
    let (note, empty, no_data) = if wait {
        (
            "mean of replications, minutes from check-in to the call to a desk",
            "closed or no visitors",
            "No waits of visitors to show",
        )
    } else {
        (
            "mean of replications",
            "closed or nobody on duty",
            "No utilisation to show for this pool",
        )
    };
    let sub = subtitle(&c.scenario, note);
    // Waits are drawn in minutes.
    let unit = if wait { 60.0 } else { 1.0 };
    let value = |h: usize, w: usize| c.values.get(w).map_or(f64::NAN, |day| at(day, h)) / unit;
    let (columns, rows) = (c.hours.len(), c.weekdays.len());
    let has_data =
        columns > 0 && rows > 0 && (0..rows).any(|w| (0..columns).any(|h| value(h, w).is_finite()));
    if !has_data {
        let area = frame(root, title, &sub, &[])?;
        return draw_no_data(&area, no_data);
    }
    let legend = [LegendItem::new(Marker::Fill(EMPTY_CELL), empty)];
    let area = frame(root, title, &sub, &legend)?;

    let hour_label = |h: usize| {
        c.hours
            .get(h)
            .map_or(String::new(), |x| clock(f64::from(*x) * 60.0))
    };
    // A label on every column when they fit, else on every other one or fewer.
    let tick = text(TICK_SIZE, MUTED);
    let label_px = f64::from(text_width(&area, "00:00", &tick)) + 12.0;
    let column_px = f64::from(area.dim_in_pixel().0) * 0.8 / columns as f64;
    let every = (label_px / column_px).ceil().max(1.0) as usize;
    let x_axis = Axis::new(
        -0.5,
        columns as f64 - 0.5,
        (0..columns).step_by(every).map(|h| h as f64).collect(),
    );
    let x_fmt = |v: &f64| {
        if *v < 0.0 {
            return String::new();
        }
        hour_label(v.round() as usize)
    };
    let weekday = |w: usize| {
        c.weekdays
            .get(w)
            .map_or(String::new(), |d| weekday_label(d))
    };

    // At least a minute, so that short waits do not look long.
    let minutes_axis = count_axis(
        (0..rows)
            .flat_map(|w| (0..columns).map(move |h| (h, w)))
            .map(|(h, w)| value(h, w))
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max),
        4,
        1.0,
    );
    let tenths = |v: f64| format!("{v:.1}");
    let scale = if wait {
        Scale {
            hi: minutes_axis.hi(),
            ticks: minutes_axis.ticks().to_vec(),
            label: &count_label,
            head: "Minutes",
            cell: &tenths,
        }
    } else {
        occupancy_scale()
    };
    let widest = (0..rows)
        .flat_map(|w| (0..columns).map(move |h| (h, w)))
        .map(|(h, w)| value(h, w))
        .filter(|v| v.is_finite())
        .map(|v| text_width(&area, &(scale.cell)(v), &text(CELL_TEXT, INK)))
        .max()
        .unwrap_or(0);
    grid(
        &area,
        &Grid {
            columns,
            rows,
            value: &value,
            x: AxisSpec {
                axis: x_axis,
                desc: "Clock hour".to_string(),
                format: &x_fmt,
            },
            row_label: &weekday,
            y_desc: "Weekday",
            preferred_row: &|_| true,
            rule_before: &|_| true,
            text_room: (f64::from(widest) + 8.0, 17.0),
            scale,
        },
    )
}

/// `mon` as "Mon"; anything longer than a weekday's name is cut.
pub(super) fn weekday_label(day: &str) -> String {
    let day = clean(day);
    let mut chars = day.trim().chars();
    let label: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if label.chars().count() > 12 {
        label.chars().take(11).collect::<String>() + "…"
    } else {
        label
    }
}

/// Draws the grid, its axes and its colour scale in `area`, the space the
/// chart's frame left.
fn grid<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, g: &Grid) -> Result<(), ChartError> {
    let (columns, rows) = (g.columns, g.rows);
    // Row j is drawn at y = rows - 1 - j so that the first row is on top.
    let row_y = |j: usize| (rows - 1 - j) as f64;
    let row_px = f64::from(area.dim_in_pixel().1.saturating_sub(90)) / rows as f64;
    let every = (26.0 / row_px).ceil().max(1.0) as usize;
    let offset = if every == 2 {
        (0..rows).position(|j| (g.preferred_row)(j)).unwrap_or(0) % 2
    } else {
        0
    };
    let y_ticks = (0..rows)
        .filter(|j| j % every == offset)
        .map(row_y)
        .collect();
    let y_axis = Axis::new(-0.5, rows as f64 - 0.5, y_ticks);
    let y_fmt = |v: &f64| {
        let j = rows as f64 - 1.0 - v.round();
        if j < 0.0 || j as usize >= rows {
            return String::new();
        }
        (g.row_label)(j as usize)
    };
    let chart = plot::build(
        area,
        &AxisSpec {
            axis: g.x.axis.clone(),
            desc: g.x.desc.clone(),
            format: g.x.format,
        },
        &AxisSpec {
            axis: y_axis,
            desc: g.y_desc.to_string(),
            format: &y_fmt,
        },
        Room {
            right: SCALE_ROOM,
            ..Room::default()
        },
    )?;

    let scale = &g.scale;
    let cells = (0..columns).flat_map(|d| (0..rows).map(move |j| (d, j)));
    let plotting = chart.plotting_area();
    for (d, j) in cells {
        let v = (g.value)(d, j);
        let color = if v.is_finite() {
            viridis(v / scale.hi)
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
    let (x1, y1) = plot::px(&chart, (columns as f64 - 0.5, -0.5));
    let cell_w = f64::from(x1 - x0) / columns as f64;
    let cell_h = f64::from(y1 - y0) / rows as f64;
    let screen = plot::screen(&chart);
    // White rules: between all cells when they are wide, else only where
    // the chart asks for them.
    for d in 1..columns {
        if cell_w >= 24.0 || (g.rule_before)(d) {
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
    if cell_w >= g.text_room.0 && cell_h >= g.text_room.1 {
        for d in 0..columns {
            for j in 0..rows {
                let v = (g.value)(d, j);
                if !v.is_finite() {
                    continue;
                }
                let ink = if v / scale.hi < 0.6 { WHITE } else { BLACK };
                let style = text(CELL_TEXT, RGBColor(ink.0, ink.1, ink.2))
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let at = plot::px(&chart, (d as f64, row_y(j)));
                screen.draw_text(&(scale.cell)(v), &style, at)?;
            }
        }
    }
    plot::border(&chart)?;

    // The colour scale, right of the plot and as tall as it, drawn on the
    // outer area (shapes are clamped to the area they are drawn on).
    let screen = area;
    let (_, y0) = plot::px_in(&chart, area, (-0.5, rows as f64 - 0.5));
    let (x1, y1) = plot::px_in(&chart, area, (columns as f64 - 0.5, -0.5));
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
    for &tick in &scale.ticks {
        let t = tick / scale.hi;
        let y = y1 - (f64::from(y1 - y0) * t).round() as i32;
        screen.draw(&PathElement::new(
            vec![(bar_x1, y), (bar_x1 + 5, y)],
            AXIS.stroke_width(1),
        ))?;
        screen.draw_text(&(scale.label)(tick), &label, (bar_x1 + 8, y))?;
    }
    let head = text(TICK_SIZE, INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    screen.draw_text(scale.head, &head, ((bar_x0 + bar_x1) / 2 + 14, y0 - 16))?;
    Ok(())
}
