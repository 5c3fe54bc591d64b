//! The plot inside a chart's frame: axes with labels and units, and the
//! series drawing every chart shares (lines with gaps, bands, reference
//! lines).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;
use super::style::{
    AXIS, Axis, Dash, GRID, LABEL_SIZE, LegendItem, MARGIN, MUTED, Marker, REFERENCE, TICK_SIZE,
    WHISKER, draw_line_px, percent_label, runs, text, text_width, tint,
};

/// A plot with chart-chosen axes.
pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// One axis of a plot: its range and ticks, its title (with the unit) and
/// how a tick is written.
pub(super) struct AxisSpec<'f> {
    pub axis: Axis,
    pub desc: String,
    pub format: &'f dyn Fn(&f64) -> String,
}

/// Space reserved under and beside the plot.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Room {
    /// Extra pixels under the x tick labels (for a second row of labels).
    pub below: i32,
    /// Pixels right of the plot (for a second axis or a colour scale).
    pub right: i32,
    /// Pixels above the plot (for labels of vertical reference lines).
    pub above: i32,
}

/// Height of the x label area: tick labels, a gap, the axis title.
fn x_area(room: Room) -> i32 {
    TICK_SIZE as i32 + 10 + room.below + LABEL_SIZE as i32 + 6
}

/// Width of a y label area for the given tick labels.
pub(super) fn y_area<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: impl IntoIterator<Item = String>,
) -> i32 {
    let style = text(TICK_SIZE, MUTED);
    let widest = labels
        .into_iter()
        .map(|l| text_width(area, &l, &style))
        .max()
        .unwrap_or(0);
    widest + 14 + LABEL_SIZE as i32 + 14
}

/// Builds the plot in `area` and draws its grid, axes, ticks and axis
/// titles. The caller draws the series on the returned plot.
pub(super) fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &AxisSpec,
    y: &AxisSpec,
    room: Room,
) -> Result<Plot<'a, DB>, ChartError> {
    let y_labels = y.axis.ticks().iter().map(|t| (y.format)(t));
    let mut left = y_area(area, y_labels);
    if y.desc.is_empty() {
        left -= LABEL_SIZE as i32 + 8;
    }
    // The last x tick label is centred on the plot's right edge: keep room
    // for its right half so it is not cut off.
    let last_x = x
        .axis
        .ticks()
        .last()
        .map_or(String::new(), |t| (x.format)(t));
    let overhang = text_width(area, &last_x, &text(TICK_SIZE, MUTED)) / 2 + 4;
    let mut chart = ChartBuilder::on(area)
        .margin_left(MARGIN)
        .margin_right(MARGIN.max(overhang) + room.right)
        .margin_top(6 + room.above)
        .margin_bottom(8)
        .x_label_area_size(x_area(room))
        .y_label_area_size(left)
        .build_cartesian_2d(x.axis.clone(), y.axis.clone())?;
    chart
        .configure_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .label_style(text(TICK_SIZE, MUTED))
        .axis_desc_style(text(LABEL_SIZE, super::style::INK))
        .x_desc(x.desc.clone())
        .y_desc(y.desc.clone())
        .x_label_formatter(x.format)
        .y_label_formatter(y.format)
        .x_labels(256)
        .y_labels(256)
        .draw()?;
    Ok(chart)
}

/// A plot box with a border, used where plotters' mesh is not (heatmaps).
pub(super) fn border<DB: DrawingBackend>(chart: &Plot<DB>) -> Result<(), ChartError> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    chart.plotting_area().draw(&PathElement::new(
        vec![
            (xr.start, yr.start),
            (xr.start, yr.end),
            (xr.end, yr.end),
            (xr.end, yr.start),
            (xr.start, yr.start),
        ],
        AXIS.stroke_width(1),
    ))?;
    Ok(())
}

/// A filled band between `low` and `high`, broken where a value is missing.
pub(super) fn band<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    low: &[f64],
    high: &[f64],
    color: RGBColor,
    keep: f64,
) -> Result<(), ChartError> {
    let (xa, ya) = axes(chart);
    let ok = |i: usize| {
        let (l, h) = (value(low, i), value(high, i));
        value(xs, i).is_finite() && l.is_finite() && h.is_finite()
    };
    // Transparent, so where the bands of several series overlap both stay
    // visible; over white it looks like the legend's tinted swatch.
    let fill = color.mix(keep).filled();
    for run in runs(xs.len(), ok) {
        let mut outline: Vec<(f64, f64)> = run
            .clone()
            .map(|i| (xa.clamp(xs[i]), ya.clamp(value(high, i))))
            .collect();
        outline.extend(
            run.clone()
                .rev()
                .map(|i| (xa.clamp(xs[i]), ya.clamp(value(low, i)))),
        );
        if run.len() == 1 {
            // A lone value has no width: show its band as a whisker.
            let i = run.start;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![
                    (xa.clamp(xs[i]), ya.clamp(value(low, i))),
                    (xa.clamp(xs[i]), ya.clamp(value(high, i))),
                ],
                tint(color, 0.5).stroke_width(3),
            )))?;
        } else {
            chart.draw_series(std::iter::once(Polygon::new(outline, fill)))?;
        }
    }
    Ok(())
}

/// A line through the finite points, broken at gaps; a point with no
/// neighbour is drawn as a dot so that it does not vanish.
pub(super) fn line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    ys: &[f64],
    color: RGBColor,
    width: u32,
    dash: Dash,
) -> Result<(), ChartError> {
    let (xa, ya) = axes(chart);
    let ok = |i: usize| value(xs, i).is_finite() && value(ys, i).is_finite();
    for run in runs(xs.len(), ok) {
        let points: Vec<(f64, f64)> = run
            .clone()
            .map(|i| (xa.clamp(xs[i]), ya.clamp(ys[i])))
            .collect();
        if points.len() == 1 {
            chart.draw_series(std::iter::once(Circle::new(
                points[0],
                width + 2,
                color.filled(),
            )))?;
            continue;
        }
        let pixels: Vec<(i32, i32)> = points.iter().map(|p| px(chart, *p)).collect();
        draw_line_px(&screen(chart), &pixels, color, width, dash)?;
    }
    Ok(())
}

/// Dots at the finite points (markers on a sparse daily series).
pub(super) fn dots<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    ys: &[f64],
    color: RGBColor,
    radius: u32,
) -> Result<(), ChartError> {
    let (xa, ya) = axes(chart);
    let points: Vec<(f64, f64)> = (0..xs.len())
        .filter(|&i| xs[i].is_finite() && value(ys, i).is_finite())
        .map(|i| (xa.clamp(xs[i]), ya.clamp(ys[i])))
        .collect();
    chart.draw_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, radius, color.filled())),
    )?;
    Ok(())
}

/// A horizontal reference line (a target) across the plot. It is named in
/// the legend rather than labelled on the line, where a label would sooner
/// or later cover data.
pub(super) fn reference_line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    y: f64,
    color: RGBColor,
) -> Result<(), ChartError> {
    let (xa, ya) = axes(chart);
    if !y.is_finite() {
        return Ok(());
    }
    let y = ya.clamp(y);
    let left = px(chart, (xa.lo(), y));
    let right = px(chart, (xa.hi(), y));
    draw_line_px(&screen(chart), &[left, right], color, 2, Dash::Dashed)
}

/// The legend entry of a target line: "target 90%".
pub(super) fn target_legend(target: Option<f64>) -> Option<LegendItem> {
    target.filter(|t| t.is_finite()).map(|t| {
        LegendItem::new(
            Marker::Line(REFERENCE, 2, Dash::Dashed),
            format!("target {}", percent_label(t)),
        )
    })
}

/// A vertical reference line (a threshold), with its label above the plot
/// (in the room kept by [`Room::above`]) so that it never hides a curve.
pub(super) fn vertical_line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    outer: &DrawingArea<DB, Shift>,
    x: f64,
    label: &str,
    color: RGBColor,
) -> Result<(), ChartError> {
    let (xa, ya) = axes(chart);
    if !x.is_finite() || x < xa.lo() || x > xa.hi() {
        return Ok(());
    }
    let bottom = px_in(chart, outer, (x, ya.lo()));
    let top = px_in(chart, outer, (x, ya.hi()));
    let root = outer;
    let lifted = (top.0, top.1 - 8);
    draw_line_px(root, &[bottom, lifted], color, 2, Dash::Dotted)?;
    let style = text(TICK_SIZE, color);
    // Right of the line unless that would run past the plot.
    let right_edge = px_in(chart, outer, (xa.hi(), ya.hi())).0;
    let w = text_width(root, label, &style);
    let (anchor, lx) = if top.0 + 4 + w < right_edge + MARGIN {
        (Pos::new(HPos::Left, VPos::Bottom), top.0 + 4)
    } else {
        (Pos::new(HPos::Right, VPos::Bottom), top.0 - 4)
    };
    root.draw_text(label, &style.pos(anchor), (lx, top.1 - 8))?;
    Ok(())
}

/// The value at `i`, NaN past the end (see `style::at`).
fn value(v: &[f64], i: usize) -> f64 {
    super::style::at(v, i)
}

fn axes<DB: DrawingBackend>(chart: &Plot<DB>) -> (Axis, Axis) {
    let spec = chart.as_coord_spec();
    (spec.x_spec().clone(), spec.y_spec().clone())
}

/// The drawing area behind a plot in pixels, for lines whose dash pattern is
/// measured in pixels and labels placed by pixel offsets.
pub(super) fn screen<DB: DrawingBackend>(chart: &Plot<DB>) -> DrawingArea<DB, Shift> {
    chart.plotting_area().strip_coord_spec()
}

/// A data point in pixels relative to the plotting area, the coordinates of
/// [`screen`]. (Plotters' `use_screen_coord` area is absolute for shapes but
/// relative for text, so it is not used.)
pub(super) fn px<DB: DrawingBackend>(chart: &Plot<DB>, point: (f64, f64)) -> (i32, i32) {
    px_in(chart, &chart.plotting_area().strip_coord_spec(), point)
}

/// A data point in pixels relative to `area`. Plotters clamps every shape
/// to the area it is drawn on, so whatever sits outside the plot (axis
/// ticks on the right, a colour scale, labels above) is drawn on the outer
/// area the plot was built in, in these coordinates.
pub(super) fn px_in<DB: DrawingBackend>(
    chart: &Plot<DB>,
    area: &DrawingArea<DB, Shift>,
    point: (f64, f64),
) -> (i32, i32) {
    let (x, y) = chart.backend_coord(&point);
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// A second value axis right of the plot. `ticks` are positions in the
/// plot's own y units with their labels; the caller picks them on the left
/// axis' grid lines so both axes share one grid.
pub(super) fn right_axis<DB: DrawingBackend>(
    chart: &Plot<DB>,
    outer: &DrawingArea<DB, Shift>,
    ticks: &[(f64, String)],
    desc: &str,
) -> Result<(), ChartError> {
    let screen = outer;
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let (x1, y_top) = px_in(chart, outer, (xr.end, yr.end));
    let y_bottom = px_in(chart, outer, (xr.end, yr.start)).1;
    screen.draw(&PathElement::new(
        vec![(x1, y_top), (x1, y_bottom)],
        AXIS.stroke_width(1),
    ))?;
    let label = text(TICK_SIZE, MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    let mut widest = 0;
    for (y, s) in ticks {
        let y = px_in(chart, outer, (xr.end, *y)).1;
        screen.draw(&PathElement::new(
            vec![(x1, y), (x1 + 5, y)],
            AXIS.stroke_width(1),
        ))?;
        widest = widest.max(text_width(screen, s, &label));
        screen.draw_text(s, &label, (x1 + 8, y))?;
    }
    // Rotated like the left axis title but reading top to bottom, as
    // right-hand axis titles usually do.
    let desc_style = text(LABEL_SIZE, super::style::INK)
        .transform(FontTransform::Rotate90)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let x = x1 + 8 + widest + 10 + LABEL_SIZE as i32;
    screen.draw_text(desc, &desc_style, (x, (y_top + y_bottom) / 2))?;
    Ok(())
}

/// Room a right axis needs for labels as wide as `widest_label`.
pub(super) fn right_room<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    widest_label: &str,
) -> i32 {
    8 + text_width(area, widest_label, &text(TICK_SIZE, MUTED)) + 10 + LABEL_SIZE as i32 + 6
}

/// Bars from 0 to `mean` at x = 0, 1, … with whiskers from `low` to `high`,
/// all clamped to the y axis; missing values are left out. Bars fill the
/// slot when it is only a few pixels wide, and whiskers get caps once there
/// is room for them.
pub(super) fn bars_with_whiskers<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    mean: &[f64],
    low: &[f64],
    high: &[f64],
    color: RGBColor,
) -> Result<(), ChartError> {
    let n = mean.len();
    let top = axes(chart).1.hi();
    let (x0, _) = px(chart, (0.0, 0.0));
    let (x1, _) = px(chart, (1.0, 0.0));
    let slot_px = f64::from(x1 - x0);
    let half = if slot_px < 5.0 { 0.5 } else { 0.36 };
    chart.draw_series((0..n).filter(|&i| mean[i].is_finite()).map(|i| {
        let x = i as f64;
        Rectangle::new(
            [(x - half, 0.0), (x + half, mean[i].clamp(0.0, top))],
            color.filled(),
        )
    }))?;
    let ink = WHISKER.stroke_width(if slot_px < 6.0 { 1 } else { 2 });
    for i in (0..n).filter(|&i| value(low, i).is_finite() && value(high, i).is_finite()) {
        let x = i as f64;
        let (lo, hi) = (low[i].clamp(0.0, top), high[i].clamp(0.0, top));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            ink,
        )))?;
        if slot_px >= 12.0 {
            let cap = half * 0.5;
            for y in [lo, hi] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x - cap, y), (x + cap, y)],
                    ink,
                )))?;
            }
        }
    }
    Ok(())
}
