//! Waiting-time distribution: one panel per channel, the share of answered
//! contacts (solid) and of abandoned contacts (dashed) that waited at most x,
//! with the service-level threshold.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures::band;
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, Dash, LABEL_SIZE, LegendItem, MUTED, Marker, REFERENCE, any_finite, at, bold,
    channel_color, channel_name, draw_no_data, fit_text, frame, nice_step, percent_label,
};
use super::{Band, Chart, ChartError, subtitle};
use crate::stats::RunResults;

/// The x axis stops where both curves have reached this share.
const CUT_SHARE: f64 = 0.995;

/// Waiting-time distribution (CDF) per channel, answered and abandoned
/// contacts; one panel per channel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitCdf {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// One panel per channel.
    pub channels: Vec<WaitCdfChannel>,
}

/// One channel (panel) of [`WaitCdf`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitCdfChannel {
    /// Channel name.
    pub channel: String,
    /// Increasing wait points in seconds (0, 5, 10, ... up to 7200). The x
    /// axis is cut where both curves reach 99.5 %.
    pub seconds: Vec<f64>,
    /// Share of answered contacts that waited ≤ x (band = 95% CI).
    pub answered: Band,
    /// Share of abandoned contacts that had waited ≤ x before hanging up.
    pub abandoned: Option<Band>,
    /// Service-level threshold: a vertical dotted line "SL threshold 20 s".
    pub threshold_seconds: f64,
}

impl WaitCdf {
    /// The chart of a run with waiting-time distributions: one panel per
    /// channel that has one.
    pub fn of(results: &RunResults) -> Option<Self> {
        let channels = results.wait_channels();
        if channels.is_empty() {
            return None;
        }
        Some(WaitCdf {
            scenario: results.scenario.name.clone(),
            channels: channels
                .into_iter()
                .filter_map(|c| {
                    let d = results.wait_distribution(c)?;
                    Some(WaitCdfChannel {
                        channel: c.name().to_string(),
                        seconds: d.seconds.iter().map(|&s| f64::from(s)).collect(),
                        answered: band(d.answered.iter().map(Some), false),
                        abandoned: d
                            .abandoned
                            .iter()
                            .any(|e| e.n > 0)
                            .then(|| band(d.abandoned.iter().map(Some), false)),
                        threshold_seconds: results
                            .scenario
                            .channel(c)
                            .and_then(|i| i.service_level_threshold)
                            .unwrap_or(f64::NAN),
                    })
                })
                .collect(),
        })
    }
}

impl Chart for WaitCdf {
    fn file_stem(&self) -> String {
        "wait_cdf".to_string()
    }

    fn title(&self) -> String {
        "Waiting times".to_string()
    }

    fn caption(&self) -> String {
        "Share of contacts that waited at most the time on the horizontal axis: solid \
         for answered, dashed for abandoned contacts (band: 95% confidence interval); \
         where the solid line crosses the dotted threshold is the service level."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "band: 95% CI");
        let panels: Vec<&WaitCdfChannel> = self
            .channels
            .iter()
            .filter(|ch| {
                !ch.seconds.is_empty()
                    && (any_finite(&ch.answered.mean)
                        || ch.abandoned.as_ref().is_some_and(|b| any_finite(&b.mean)))
            })
            .collect();
        if panels.is_empty() {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No waiting times to show");
        }
        let mut legend = vec![LegendItem::new(Marker::LineOnBand(MUTED), "answered")];
        if panels.iter().any(|p| p.abandoned.is_some()) {
            legend.push(LegendItem::new(
                Marker::Line(MUTED, 2, Dash::Dashed),
                "abandoned (waited before hanging up)",
            ));
        }
        legend.push(LegendItem::new(
            Marker::Line(REFERENCE, 2, Dash::Dotted),
            "service-level threshold",
        ));
        let area = frame(root, title, &sub, &legend)?;

        let (width, _) = area.dim_in_pixel();
        let breaks: Vec<i32> = (1..panels.len())
            .map(|k| (f64::from(width) * k as f64 / panels.len() as f64).round() as i32)
            .collect();
        let cells = area.split_by_breakpoints(breaks, Vec::<i32>::new());
        for (k, (panel, cell)) in panels.iter().zip(&cells).enumerate() {
            draw_panel(panel, cell, k == 0)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(
    ch: &WaitCdfChannel,
    cell: &DrawingArea<DB, Shift>,
    first: bool,
) -> Result<(), ChartError> {
    let color = channel_color(&ch.channel);
    let (head, body) = cell.split_vertically(28);
    let threshold = ch.threshold_seconds;
    let has_threshold = threshold.is_finite() && threshold >= 0.0;
    draw_heading(&head, ch, color, has_threshold, first)?;
    let x = WaitAxis::new(ch, has_threshold);
    let mut chart = build_panel(&body, &x, first)?;
    draw_curves(&mut chart, ch, &x, color)?;
    if has_threshold {
        let label = format!("SL threshold {}", seconds_label(threshold));
        plot::vertical_line(&mut chart, &body, threshold / x.unit, &label, REFERENCE)?;
    }
    Ok(())
}

/// The panel's heading: the channel, and the service level at its
/// threshold when it has one.
fn draw_heading<DB: DrawingBackend>(
    head: &DrawingArea<DB, Shift>,
    ch: &WaitCdfChannel,
    color: RGBColor,
    has_threshold: bool,
    first: bool,
) -> Result<(), ChartError> {
    let threshold = ch.threshold_seconds;
    let sl = if has_threshold {
        interpolate(&ch.seconds, &ch.answered.mean, threshold)
    } else {
        f64::NAN
    };
    let heading = if sl.is_finite() {
        format!(
            "{}: {} answered within {}",
            channel_name(&ch.channel),
            percent_label((sl * 1000.0).round() / 1000.0),
            seconds_label(threshold)
        )
    } else {
        channel_name(&ch.channel)
    };
    let style = bold(LABEL_SIZE, color);
    let (w, _) = head.dim_in_pixel();
    let heading = fit_text(head, &heading, &style, w as i32 - 40);
    head.draw_text(
        &heading,
        &style.pos(Pos::new(HPos::Center, VPos::Center)),
        (w as i32 / 2 + if first { 20 } else { 0 }, 14),
    )?;
    Ok(())
}

/// The waiting-time axis of a panel: cut where both curves are (nearly)
/// complete, but with the threshold well inside; in minutes past 5 minutes.
struct WaitAxis {
    axis: Axis,
    /// Seconds per unit of the axis.
    unit: f64,
    /// The axis' end, in its unit.
    hi: f64,
}

impl WaitAxis {
    fn new(ch: &WaitCdfChannel, has_threshold: bool) -> WaitAxis {
        let cut = cut_seconds(ch);
        let cut = if has_threshold {
            cut.max(ch.threshold_seconds * 1.5)
        } else {
            cut
        };
        let unit = if cut > 300.0 { 60.0 } else { 1.0 };
        let step = nice_step(cut / unit, 6);
        let hi = ((cut / unit) / step).ceil().max(1.0) * step;
        let ticks = (0..=((hi / step).round() as usize))
            .map(|i| i as f64 * step)
            .collect();
        WaitAxis {
            axis: Axis::new(0.0, hi, ticks),
            unit,
            hi,
        }
    }

    fn in_minutes(&self) -> bool {
        self.unit > 1.0
    }
}

/// Builds a panel's plot: waits along x, the share that waited at most
/// that long up (its title on the first panel only).
fn build_panel<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    x: &WaitAxis,
    first: bool,
) -> Result<plot::Plot<'a, DB>, ChartError> {
    let y_ticks = (0..=10).map(|i| f64::from(i) / 10.0).collect();
    let y_axis = Axis::new(0.0, 1.015, y_ticks);
    let x_fmt = |v: &f64| tick_label(*v);
    let y_fmt = |v: &f64| percent_label(*v);
    plot::build(
        body,
        &AxisSpec {
            axis: x.axis.clone(),
            desc: if x.in_minutes() {
                "Waiting time (min)".to_string()
            } else {
                "Waiting time (s)".to_string()
            },
            format: &x_fmt,
        },
        &AxisSpec {
            axis: y_axis,
            desc: if first {
                "Contacts that waited ≤ x (%)".to_string()
            } else {
                String::new()
            },
            format: &y_fmt,
        },
        Room {
            above: 26,
            ..Room::default()
        },
    )
}

/// The bands, then the lines: abandoned (dashed) under answered (solid).
fn draw_curves<DB: DrawingBackend>(
    chart: &mut plot::Plot<DB>,
    ch: &WaitCdfChannel,
    x: &WaitAxis,
    color: RGBColor,
) -> Result<(), ChartError> {
    // Only the points inside the cut: beyond it the curves are flat at 100 %.
    let keep = ch
        .seconds
        .iter()
        .take_while(|s| !s.is_finite() || **s / x.unit <= x.hi + 1e-9)
        .count();
    let xs: Vec<f64> = ch.seconds[..keep].iter().map(|s| s / x.unit).collect();
    let slice = |v: &[f64]| -> Vec<f64> { (0..keep).map(|i| at(v, i)).collect() };
    if let Some(ab) = &ch.abandoned {
        let (low, high) = (slice(&ab.low), slice(&ab.high));
        plot::band(chart, &xs, &low, &high, color, BAND_KEEP * 0.7)?;
    }
    let ans = &ch.answered;
    plot::band(
        chart,
        &xs,
        &slice(&ans.low),
        &slice(&ans.high),
        color,
        BAND_KEEP,
    )?;
    if let Some(ab) = &ch.abandoned {
        plot::line(chart, &xs, &slice(&ab.mean), color, 2, Dash::Dashed)?;
    }
    plot::line(chart, &xs, &slice(&ans.mean), color, 3, Dash::Solid)?;
    Ok(())
}

/// The first wait point where every curve has reached [`CUT_SHARE`], or the
/// last point when one never does; at least 30 s.
fn cut_seconds(ch: &WaitCdfChannel) -> f64 {
    let done = |v: &[f64], i: usize| {
        let x = at(v, i);
        !x.is_finite() || x >= CUT_SHARE
    };
    let last = ch
        .seconds
        .iter()
        .copied()
        .filter(|s| s.is_finite())
        .fold(0.0, f64::max);
    let found = (0..ch.seconds.len()).find(|&i| {
        ch.seconds[i].is_finite()
            && done(&ch.answered.mean, i)
            && ch.abandoned.as_ref().is_none_or(|b| done(&b.mean, i))
    });
    // At least half a minute, so that curves complete at once (everyone
    // answered immediately) still get a readable axis.
    found.map_or(last, |i| ch.seconds[i]).max(30.0)
}

/// Linear interpolation of `ys` at `x` over increasing `xs`.
fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    for i in 0..xs.len() {
        let (x1, y1) = (xs[i], at(ys, i));
        if x1 >= x {
            if i == 0 || x1 == x {
                return y1;
            }
            let (x0, y0) = (xs[i - 1], at(ys, i - 1));
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    f64::NAN
}

/// "20 s", "2 min", "1.5 min".
fn seconds_label(s: f64) -> String {
    if s >= 120.0 && (s / 60.0 * 2.0).fract() == 0.0 {
        format!("{} min", tick_label(s / 60.0))
    } else {
        format!("{} s", tick_label(s))
    }
}

fn tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
