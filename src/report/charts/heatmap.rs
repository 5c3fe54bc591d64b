//! The drawing that heatmaps share: a grid of cells coloured on the viridis
//! scale with a colour scale beside it, grey where there is no value. The
//! occupancy of a pool (`occupancy.rs`) and the front desk's week
//! (`weekday_hour.rs`) are drawn with it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;
use super::plot::{self, AxisSpec, Room};
use super::style::{AXIS, Axis, EMPTY_CELL, INK, MUTED, TICK_SIZE, percent_label, text, viridis};

/// Width kept right of the heatmap for the colour scale.
const SCALE_ROOM: i32 = 100;
/// Size of the values written in the cells.
pub(super) const CELL_TEXT: f64 = 16.0;

/// What the colours and the numbers in the cells mean: values from `lo`
/// (darkest) to `hi` (brightest).
pub(super) struct Scale<'f> {
    /// The value of the darkest colour; smaller values get it too.
    pub lo: f64,
    /// The value of the brightest colour; larger values get it too.
    pub hi: f64,
    /// Values marked on the scale.
    pub ticks: Vec<f64>,
    /// A mark's label.
    pub label: &'f dyn Fn(f64) -> String,
    /// The scale's heading.
    pub head: &'f str,
    /// The text written in a cell.
    pub cell: &'f dyn Fn(f64) -> String,
}

/// A heatmap's grid: `columns` × `rows` cells, row 0 on top.
pub(super) struct Grid<'f> {
    pub columns: usize,
    pub rows: usize,
    /// The value of cell (column, row); NaN leaves it grey.
    pub value: &'f dyn Fn(usize, usize) -> f64,
    /// The x axis, over `-0.5 .. columns - 0.5`.
    pub x: AxisSpec<'f>,
    /// Label of each row and the y axis title.
    pub row_label: &'f dyn Fn(usize) -> String,
    pub y_desc: &'f str,
    /// Rows whose label is kept when only every other row gets one.
    pub preferred_row: &'f dyn Fn(usize) -> bool,
    /// Columns that get a white rule on their left even when the cells are
    /// too narrow for rules between all of them.
    pub rule_before: &'f dyn Fn(usize) -> bool,
    /// Smallest cell (width, height) in pixels that gets its value written.
    pub text_room: (f64, f64),
    pub scale: Scale<'f>,
}

impl Scale<'_> {
    /// Where `v` lies on the scale: 0 at `lo`, 1 at `hi`.
    fn position(&self, v: f64) -> f64 {
        (v - self.lo) / (self.hi - self.lo)
    }
}

/// Occupancy from 0 to 100%, in whole percent in the cells.
pub(super) fn occupancy_scale() -> Scale<'static> {
    Scale {
        lo: 0.0,
        hi: 1.0,
        ticks: (0..=4).map(|k| f64::from(k) / 4.0).collect(),
        label: &percent_label,
        head: "Occupancy",
        cell: &|v| format!("{:.0}", v * 100.0),
    }
}

/// The range of an occupancy scale that spans `values`: from the smallest
/// down to a multiple of 5% to the largest up to one, at least 5% wide, so
/// that a pool busy between 95% and 99% shows its differences instead of a
/// uniform block. None without a finite value.
pub(super) fn occupancy_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values.filter(|v| v.is_finite()).fold(
        None,
        |range: Option<(f64, f64)>, v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        },
    )?;
    // Whole twentieths, computed on percent so that 0.95 stays 95.
    let lo = ((lo * 100.0 + 1e-9) / 5.0).floor().max(0.0) * 5.0;
    let hi = ((hi * 100.0 - 1e-9) / 5.0).ceil() * 5.0;
    let hi = hi.max(lo + 5.0);
    Some((lo / 100.0, hi / 100.0))
}

/// Occupancy from `lo` to `hi` ([`occupancy_range`]), marked in steps of 1,
/// 5, 10 or 25 points (at most six marks), whole percent in the cells.
pub(super) fn occupancy_range_scale((lo, hi): (f64, f64)) -> Scale<'static> {
    let (lo_pct, hi_pct) = ((lo * 100.0).round(), (hi * 100.0).round());
    let step = [1.0, 5.0, 10.0, 25.0]
        .into_iter()
        .find(|step| (hi_pct - lo_pct) / step <= 5.0)
        .unwrap_or(25.0);
    let first = (lo_pct / step).ceil() * step;
    let ticks = (0..)
        .map(|k| first + f64::from(k) * step)
        .take_while(|t| *t <= hi_pct + 1e-9)
        .map(|t| t / 100.0)
        .collect();
    Scale {
        lo,
        hi,
        ticks,
        label: &percent_label,
        head: "Occupancy",
        cell: &|v| format!("{:.0}", v * 100.0),
    }
}

/// Draws the grid, its axes and its colour scale in `area`, the space the
/// chart's frame left.
pub(super) fn grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    g: &Grid,
) -> Result<(), ChartError> {
    let chart = build(area, g)?;
    draw_cells(&chart, g)?;
    let cells = Cells::of(&chart, g);
    draw_rules(&chart, g, &cells)?;
    if cells.width >= g.text_room.0 && cells.height >= g.text_room.1 {
        draw_values(&chart, g)?;
    }
    plot::border(&chart)?;
    draw_scale(&chart, area, g)
}

impl Grid<'_> {
    /// Where row `j` is drawn: at y = rows - 1 - j, so that the first row is
    /// on top.
    fn row_y(&self, j: usize) -> f64 {
        (self.rows - 1 - j) as f64
    }
}

/// Builds the plot: the grid's x axis, and a row axis labelling every row,
/// or every other one (keeping the preferred rows) when rows are thin.
fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    g: &Grid,
) -> Result<plot::Plot<'a, DB>, ChartError> {
    let rows = g.rows;
    let row_px = f64::from(area.dim_in_pixel().1.saturating_sub(90)) / rows as f64;
    let every = (26.0 / row_px).ceil().max(1.0) as usize;
    let offset = if every == 2 {
        (0..rows).position(|j| (g.preferred_row)(j)).unwrap_or(0) % 2
    } else {
        0
    };
    let y_ticks = (0..rows)
        .filter(|j| j % every == offset)
        .map(|j| g.row_y(j))
        .collect();
    let y_axis = Axis::new(-0.5, rows as f64 - 0.5, y_ticks);
    let y_fmt = |v: &f64| {
        let j = rows as f64 - 1.0 - v.round();
        if j < 0.0 || j as usize >= rows {
            return String::new();
        }
        (g.row_label)(j as usize)
    };
    plot::build(
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
    )
}

/// Every cell in its colour, grey without a value.
fn draw_cells<DB: DrawingBackend>(chart: &plot::Plot<DB>, g: &Grid) -> Result<(), ChartError> {
    let cells = (0..g.columns).flat_map(|d| (0..g.rows).map(move |j| (d, j)));
    let plotting = chart.plotting_area();
    for (d, j) in cells {
        let v = (g.value)(d, j);
        let color = if v.is_finite() {
            viridis(g.scale.position(v))
        } else {
            EMPTY_CELL
        };
        let (x, y) = (d as f64, g.row_y(j));
        plotting.draw(&Rectangle::new(
            [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
            color.filled(),
        ))?;
    }
    Ok(())
}

/// The drawn grid in pixels of the plotting area: its corners and the size
/// of a cell.
struct Cells {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
    width: f64,
    height: f64,
}

impl Cells {
    fn of<DB: DrawingBackend>(chart: &plot::Plot<DB>, g: &Grid) -> Cells {
        let (x0, y0) = plot::px(chart, (-0.5, g.rows as f64 - 0.5));
        let (x1, y1) = plot::px(chart, (g.columns as f64 - 0.5, -0.5));
        Cells {
            x0,
            y0,
            x1,
            y1,
            width: f64::from(x1 - x0) / g.columns as f64,
            height: f64::from(y1 - y0) / g.rows as f64,
        }
    }
}

/// White rules: between all cells when they are wide, else only where the
/// chart asks for them.
fn draw_rules<DB: DrawingBackend>(
    chart: &plot::Plot<DB>,
    g: &Grid,
    cells: &Cells,
) -> Result<(), ChartError> {
    let screen = plot::screen(chart);
    for d in 1..g.columns {
        if cells.width >= 24.0 || (g.rule_before)(d) {
            let x = plot::px(chart, (d as f64 - 0.5, 0.0)).0;
            screen.draw(&PathElement::new(
                vec![(x, cells.y0), (x, cells.y1)],
                WHITE.stroke_width(2),
            ))?;
        }
    }
    if cells.height >= 14.0 && cells.width >= 24.0 {
        for j in 1..g.rows {
            let y = plot::px(chart, (0.0, g.row_y(j) + 0.5)).1;
            screen.draw(&PathElement::new(
                vec![(cells.x0, y), (cells.x1, y)],
                WHITE.stroke_width(1),
            ))?;
        }
    }
    Ok(())
}

/// The values written in the cells, white on the dark colours.
fn draw_values<DB: DrawingBackend>(chart: &plot::Plot<DB>, g: &Grid) -> Result<(), ChartError> {
    let screen = plot::screen(chart);
    for d in 0..g.columns {
        for j in 0..g.rows {
            let v = (g.value)(d, j);
            if !v.is_finite() {
                continue;
            }
            let ink = if g.scale.position(v) < 0.6 {
                WHITE
            } else {
                BLACK
            };
            let style = text(CELL_TEXT, RGBColor(ink.0, ink.1, ink.2))
                .pos(Pos::new(HPos::Center, VPos::Center));
            let at = plot::px(chart, (d as f64, g.row_y(j)));
            screen.draw_text(&(g.scale.cell)(v), &style, at)?;
        }
    }
    Ok(())
}

/// The colour scale, right of the plot and as tall as it, drawn on the
/// outer area (shapes are clamped to the area they are drawn on).
fn draw_scale<DB: DrawingBackend>(
    chart: &plot::Plot<DB>,
    area: &DrawingArea<DB, Shift>,
    g: &Grid,
) -> Result<(), ChartError> {
    let (scale, screen) = (&g.scale, area);
    let (_, y0) = plot::px_in(chart, area, (-0.5, g.rows as f64 - 0.5));
    let (x1, y1) = plot::px_in(chart, area, (g.columns as f64 - 0.5, -0.5));
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
        let t = scale.position(tick);
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
