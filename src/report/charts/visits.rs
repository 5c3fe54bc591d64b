//! The front desk's week: the share of the visits that fall on each weekday,
//! bars with the 95% CI as whiskers and the share written above each bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::heatmap::weekday_label;
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, INK, LegendItem, Marker, TICK_SIZE, any_finite, at, channel_color, count_axis,
    draw_no_data, finite_range, frame, percent_label, text,
};
use super::{ChartError, VisitsByWeekday, subtitle};

pub(super) fn draw<DB: DrawingBackend>(
    c: &VisitsByWeekday,
    title: &str,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let sub = subtitle(&c.scenario, "mean of replications, whiskers: 95% CI");
    let n = c.weekdays.len();
    if n == 0 || !any_finite(&c.share.mean) {
        let area = frame(root, title, &sub, &[])?;
        return draw_no_data(&area, "No visits by weekday to show");
    }
    let color = channel_color("visit");
    let legend = [LegendItem::new(
        Marker::BarWithWhisker(color),
        "share of the visits (mean, 95% CI)",
    )];
    let area = frame(root, title, &sub, &legend)?;

    let shown = |v: &[f64]| -> Vec<f64> { (0..n).map(|i| at(v, i)).collect() };
    let (mean, low, high) = (
        shown(&c.share.mean),
        shown(&c.share.low),
        shown(&c.share.high),
    );
    // Room above the highest whisker for the labels.
    let top = finite_range(mean.iter().chain(&high)).map_or(1.0, |(_, hi)| hi.min(1.0));
    let y_axis = count_axis(top, 5, 1.15);
    let x_axis = Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect());
    let x_fmt = |v: &f64| {
        if *v < 0.0 {
            return String::new();
        }
        c.weekdays
            .get(v.round() as usize)
            .map_or(String::new(), |d| weekday_label(d))
    };
    let y_fmt = |v: &f64| percent_label(*v);
    let mut chart = plot::build(
        &area,
        &AxisSpec {
            axis: x_axis,
            desc: "Weekday".to_string(),
            format: &x_fmt,
        },
        &AxisSpec {
            axis: y_axis,
            desc: "Share of the visits (%)".to_string(),
            format: &y_fmt,
        },
        Room::default(),
    )?;
    plot::bars_with_whiskers(&mut chart, &mean, &low, &high, color)?;
    let screen = plot::screen(&chart);
    let style = text(TICK_SIZE, INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, m) in mean.iter().enumerate().filter(|(_, m)| m.is_finite()) {
        let above = if high[i].is_finite() { high[i] } else { *m };
        let (x, y) = plot::px(&chart, (i as f64, above));
        let share = *m * 100.0;
        screen.draw_text(&format!("{share:.1}%"), &style, (x, y - 6))?;
    }
    Ok(())
}
