//! Results against a swept parameter: one panel per metric (1 × N for one
//! or two, a grid of two columns for more), dots at the simulated values,
//! lines between them, the 95% CI band shaded and the target dashed.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures::band;
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, Dash, HEIGHT, INK, LABEL_SIZE, LEGEND_SIZE, LegendItem, MARGIN, Marker,
    REFERENCE, TICK_SIZE, WIDTH, at, bold, channel_color, channel_name, clean, draw_no_data,
    ensure_fonts, finite_range, fit_text, frame, nice_step, percent_axis, percent_label, text,
    text_width, viridis,
};
use super::units::{duration_label, euro_format, number_label, seconds_format, time_step};
use super::{Band, Chart, ChartError, subtitle};
use crate::model::Channel;
use crate::planning::sweep::{Point, Sweep};
use crate::stats::{Metric, Scope};

/// At most this many panels are drawn; more would make an image nobody
/// reads, and the subtitle says what was left out.
const MAX_PANELS: usize = 12;
/// Height of a panel's heading.
const HEADING: i32 = 30;
/// Height of one more row of panels in the grid.
const GRID_ROW: u32 = 330;
/// Height of one legend row (see `style::frame`).
const LEGEND_ROW: u32 = 26;

/// Metrics against a swept parameter (from `ccsim sweep`), one panel per
/// metric: 1 × N for one or two panels, a grid of two columns for more.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepCurves {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The swept parameter, e.g. "pools.frontline.scale" (x axis title).
    pub parameter: String,
    /// Parameter values, increasing.
    pub x: Vec<f64>,
    /// One panel per metric, usually reachability, service level, ASA and cost.
    pub panels: Vec<SweepPanel>,
}

/// One metric (panel) of [`SweepCurves`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepPanel {
    /// Human title of the panel: "Reachability", "Service level",
    /// "Average speed of answer", "Cost".
    pub metric: String,
    /// Unit of the values, which picks the y axis.
    pub unit: SweepUnit,
    /// One line per series, all over the same `x`.
    pub series: Vec<SweepSeries>,
    /// Target in the panel's unit: a horizontal dashed line.
    pub target: Option<f64>,
}

/// Unit of a [`SweepPanel`]'s values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SweepUnit {
    /// A share 0..1, on a percent axis.
    #[default]
    Share,
    /// A duration in seconds, ticks like "45 s", "1m 30s".
    Seconds,
    /// Money in euro, ticks like "€ 450k", "€ 1.2M".
    Euro,
}

/// One line of a [`SweepPanel`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepSeries {
    /// Legend label: "calls", "total", or for a two-parameter sweep
    /// "scale.volume = 1.2". Series with the same label in several panels
    /// share one legend entry and one colour.
    pub label: String,
    /// `Some("call")` draws the series in the channel's colour; `None` picks
    /// a colour from a sequential (viridis) palette by the series' order.
    pub channel: Option<String>,
    /// Mean with its 95% CI band, one value per x.
    pub values: Band,
}

impl SweepCurves {
    /// The chart of a sweep: reachability, service level, ASA and cost
    /// against the swept parameter; per channel for one parameter; for two,
    /// one series per value of the second parameter (total reachability,
    /// calls' service level and ASA).
    pub fn of(s: &Sweep) -> Self {
        let first = s.parameters.first().cloned().unwrap_or_default();
        let mut x: Vec<f64> = s
            .points
            .iter()
            .filter_map(|p| p.settings.get(&first).copied())
            .collect();
        x.dedup();
        let picker = Picker {
            first: &first,
            x: &x,
            groups: groups(s),
        };
        let panels = if s.parameters.len() < 2 {
            one_parameter_panels(s, &picker)
        } else {
            two_parameter_panels(s, &picker)
        };
        SweepCurves {
            scenario: s.scenario.clone(),
            parameter: first,
            x,
            panels,
        }
    }
}

/// Groups of points sharing the second parameter's value, labelled with it
/// ("scale.volume = 1.2"), in order of first appearance; all points in one
/// group labelled "" when there is one parameter.
fn groups(s: &Sweep) -> Vec<(String, Vec<&Point>)> {
    let mut groups: Vec<(String, Vec<&Point>)> = Vec::new();
    for p in &s.points {
        let label = match s.parameters.get(1) {
            Some(second) => format!(
                "{second} = {}",
                p.settings.get(second).copied().unwrap_or(f64::NAN)
            ),
            None => String::new(),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, g)) => g.push(p),
            None => groups.push((label, vec![p])),
        }
    }
    groups
}

/// The channels of a sweep's scenario, and those of them that are calls
/// and chats.
fn channels(s: &Sweep) -> (Vec<Channel>, Vec<Channel>) {
    let channels: Vec<Channel> = s
        .points
        .first()
        .map(|p| p.horizon.channels())
        .unwrap_or_default();
    let live = channels
        .iter()
        .copied()
        .filter(|c| matches!(c, Channel::Call | Channel::Chat))
        .collect();
    (channels, live)
}

/// The panels of a sweep of one parameter: a series per channel (and the
/// total's reachability with several channels, the total's cost).
fn one_parameter_panels(s: &Sweep, picker: &Picker) -> Vec<SweepPanel> {
    let (channels, live) = channels(s);
    let mut reach = picker.channel_series(Metric::Reachability, &channels);
    if channels.len() > 1 {
        reach.insert(0, picker.total(Metric::Reachability));
    }
    let reach_target = s
        .targets
        .total_reachability()
        .or_else(|| live.first().and_then(|&c| s.targets.reachability_of(c)));
    vec![
        SweepPanel {
            metric: "Reachability".into(),
            unit: SweepUnit::Share,
            series: reach,
            target: reach_target,
        },
        SweepPanel {
            metric: "Service level".into(),
            unit: SweepUnit::Share,
            series: picker.channel_series(Metric::ServiceLevel, &live),
            target: live.first().and_then(|&c| s.targets.service_level_of(c)),
        },
        SweepPanel {
            metric: "Average speed of answer".into(),
            unit: SweepUnit::Seconds,
            series: picker.channel_series(Metric::Asa, &live),
            target: None,
        },
        SweepPanel {
            metric: "Cost".into(),
            unit: SweepUnit::Euro,
            series: vec![picker.total(Metric::Cost)],
            target: None,
        },
    ]
}

/// The panels of a sweep of two parameters: a series per value of the
/// second, of the total's reachability and cost and the first live
/// channel's service level and ASA.
fn two_parameter_panels(s: &Sweep, picker: &Picker) -> Vec<SweepPanel> {
    let (_, live) = channels(s);
    let call = live.first().copied().unwrap_or(Channel::Call);
    vec![
        SweepPanel {
            metric: "Reachability (total)".into(),
            unit: SweepUnit::Share,
            series: picker.grouped(Scope::Total, Metric::Reachability),
            target: s.targets.total_reachability(),
        },
        SweepPanel {
            metric: format!("Service level ({})", call.name()),
            unit: SweepUnit::Share,
            series: picker.grouped(Scope::Channel(call), Metric::ServiceLevel),
            target: s.targets.service_level_of(call),
        },
        SweepPanel {
            metric: format!("Average speed of answer ({})", call.name()),
            unit: SweepUnit::Seconds,
            series: picker.grouped(Scope::Channel(call), Metric::Asa),
            target: None,
        },
        SweepPanel {
            metric: "Cost (total)".into(),
            unit: SweepUnit::Euro,
            series: picker.grouped(Scope::Total, Metric::Cost),
            target: None,
        },
    ]
}

/// Picks the series of the panels from a sweep's points.
struct Picker<'s> {
    /// The first parameter, on the x axis.
    first: &'s str,
    /// Its values.
    x: &'s [f64],
    /// The points by value of the second parameter (see [`groups`]).
    groups: Vec<(String, Vec<&'s Point>)>,
}

impl Picker<'_> {
    /// A figure of `points` at each x, with its 95% CI.
    fn pick(&self, points: &[&Point], scope: Scope, metric: Metric) -> Band {
        band(
            self.x.iter().map(|&xv| {
                points
                    .iter()
                    .find(|p| p.settings.get(self.first).copied() == Some(xv))
                    .and_then(|p| p.horizon.horizon(scope, metric))
            }),
            false,
        )
    }

    /// The points of the first group: all of them with one parameter.
    fn first_group(&self) -> &[&Point] {
        self.groups.first().map_or(&[], |g| &g.1)
    }

    /// A series per channel of `channels`, in the channel's colour.
    fn channel_series(&self, metric: Metric, channels: &[Channel]) -> Vec<SweepSeries> {
        channels
            .iter()
            .map(|&c| SweepSeries {
                label: c.name().to_string(),
                channel: Some(c.name().to_string()),
                values: self.pick(self.first_group(), Scope::Channel(c), metric),
            })
            .collect()
    }

    /// A series per group, labelled with the second parameter's value.
    fn grouped(&self, scope: Scope, metric: Metric) -> Vec<SweepSeries> {
        self.groups
            .iter()
            .map(|(label, points)| SweepSeries {
                label: label.clone(),
                channel: None,
                values: self.pick(points, scope, metric),
            })
            .collect()
    }

    /// The series of all channels together.
    fn total(&self, metric: Metric) -> SweepSeries {
        SweepSeries {
            label: "total".into(),
            channel: Some("total".into()),
            values: self.pick(self.first_group(), Scope::Total, metric),
        }
    }
}

impl Chart for SweepCurves {
    fn file_stem(&self) -> String {
        "sweep".to_string()
    }

    /// "Sweep of pools.frontline.scale".
    fn title(&self) -> String {
        let parameter = clean(&self.parameter);
        let parameter = parameter.trim();
        if parameter.is_empty() {
            "Sweep".to_string()
        } else {
            format!("Sweep of {parameter}")
        }
    }

    fn caption(&self) -> String {
        "Each panel shows one result at every simulated value of the swept parameter \
         (dots: mean over replications, band: 95% confidence interval); the lines \
         between the dots only guide the eye, and a dashed line marks the target."
            .to_string()
    }

    /// 1000 × 560 for one or two panels side by side, 1000 × 760 for a 2 × 2
    /// grid, a row taller for every two more panels, and a legend row taller
    /// for every legend row past the second.
    fn size(&self) -> (u32, u32) {
        let n = self.panels.len().min(MAX_PANELS);
        let base = if n <= 2 {
            HEIGHT
        } else {
            760 + GRID_ROW * (n.div_ceil(2) as u32 - 2)
        };
        let extra = legend_rows_estimate(self).saturating_sub(2) as u32 * LEGEND_ROW;
        (WIDTH, base + extra)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let panels = &self.panels[..self.panels.len().min(MAX_PANELS)];
        let note = if self.panels.len() > MAX_PANELS {
            format!(
                "mean over replications, band: 95% CI, first {MAX_PANELS} of {} panels",
                self.panels.len()
            )
        } else {
            "mean over replications, band: 95% CI".to_string()
        };
        let sub = subtitle(&self.scenario, &note);
        if !panels.iter().any(|p| panel_has_data(p, &self.x)) {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No sweep results to show");
        }

        let entries = entries(self);
        let target_in_heading = targets(self).len() > 1;
        let area = frame(root, title, &sub, &legend(self, &entries))?;

        let n = panels.len();
        let cols = if n <= 2 { n } else { 2 };
        let rows = n.div_ceil(cols);
        let (width, height) = area.dim_in_pixel();
        let x_breaks: Vec<i32> = (1..cols)
            .map(|k| (f64::from(width) * k as f64 / cols as f64).round() as i32)
            .collect();
        let y_breaks: Vec<i32> = (1..rows)
            .map(|k| (f64::from(height) * k as f64 / rows as f64).round() as i32)
            .collect();
        let cells = area.split_by_breakpoints(x_breaks, y_breaks);

        let cell_width = f64::from(width) / cols as f64;
        let x_axis = x_axis(&area, &self.x, cell_width - 120.0);
        let x_fmt = |v: &f64| number_label(*v);
        let parameter = clean(&self.parameter).trim().to_string();
        let compact = rows > 1;
        for (k, (panel, cell)) in panels.iter().zip(&cells).enumerate() {
            // The parameter's name under the lowest panel of each column only.
            let bottom = k + cols >= n;
            let x = AxisSpec {
                axis: x_axis.clone(),
                desc: if bottom {
                    parameter.clone()
                } else {
                    String::new()
                },
                format: &x_fmt,
            };
            draw_panel(
                panel,
                cell,
                &x,
                &self.x,
                &entries,
                target_in_heading,
                compact,
            )?;
        }
        Ok(())
    }
}

/// Rows the legend wraps onto, measured with the embedded font the way
/// `style::frame` lays it out (the size is chosen before there is a drawing
/// area); only used to grow the image.
fn legend_rows_estimate(s: &SweepCurves) -> usize {
    let usable = WIDTH as i32 - 2 * MARGIN;
    let fonts = ensure_fonts().is_ok();
    let style = text(LEGEND_SIZE, INK);
    let (mut rows, mut x) = (1, 0);
    for item in legend(s, &entries(s)) {
        let chars = item.label.chars().count() as i32;
        let measured = if fonts {
            style.font.box_size(&item.label).ok().map(|(w, _)| w as i32)
        } else {
            None
        };
        let w = (34 + 8 + measured.unwrap_or(11 * chars)).min(usable);
        if x > 0 && x + w > usable {
            rows += 1;
            x = 0;
        }
        x += w + 26;
    }
    rows
}

/// One legend entry: a series label and its colour, the same in every panel.
struct Entry {
    key: String,
    label: String,
    color: RGBColor,
}

/// The label a series is known by: its own, else its channel's name.
fn series_key(s: &SweepSeries) -> String {
    let label = clean(&s.label).trim().to_string();
    match (&s.channel, label.is_empty()) {
        (Some(ch), true) => channel_name(ch),
        _ => label,
    }
}

/// The series of all drawn panels by label, in order of first appearance:
/// channel series in their channel's colour, the others along viridis.
fn entries(s: &SweepCurves) -> Vec<Entry> {
    let mut seen: Vec<(String, Option<String>)> = Vec::new();
    for p in s.panels.iter().take(MAX_PANELS) {
        for series in &p.series {
            let key = series_key(series);
            if !seen.iter().any(|(k, _)| *k == key) {
                seen.push((key, series.channel.clone()));
            }
        }
    }
    let others = seen.iter().filter(|(_, ch)| ch.is_none()).count();
    let mut k = 0;
    seen.into_iter()
        .map(|(key, channel)| {
            let color = match &channel {
                Some(ch) => channel_color(ch),
                None => {
                    // Dark to light, stopping short of viridis' pale yellow,
                    // which would vanish on white.
                    let t = if others <= 1 {
                        0.0
                    } else {
                        0.85 * k as f64 / (others - 1) as f64
                    };
                    k += 1;
                    viridis(t)
                }
            };
            let label = if key.is_empty() {
                "(unnamed)".to_string()
            } else {
                key.clone()
            };
            Entry { key, label, color }
        })
        .collect()
}

/// The drawn panels with a target.
fn targets(s: &SweepCurves) -> Vec<&SweepPanel> {
    s.panels
        .iter()
        .take(MAX_PANELS)
        .filter(|p| p.target.is_some_and(f64::is_finite))
        .collect()
}

/// A legend entry per series, then the target: with its value when one
/// panel has a target, else pointing to the panel titles, which carry the
/// values (they differ in unit).
fn legend(s: &SweepCurves, entries: &[Entry]) -> Vec<LegendItem> {
    let mut legend: Vec<LegendItem> = entries
        .iter()
        .map(|e| LegendItem::new(Marker::LineOnBand(e.color), e.label.clone()))
        .collect();
    let target = Marker::Line(REFERENCE, 2, Dash::Dashed);
    match targets(s).as_slice() {
        [] => {}
        [p] => {
            let value = p.target.map_or(String::new(), |t| unit_label(p.unit, t));
            legend.push(LegendItem::new(target, format!("target {value}")));
        }
        _ => legend.push(LegendItem::new(target, "target (value in the panel title)")),
    }
    legend
}

/// Whether a panel has a value at some finite x.
fn panel_has_data(p: &SweepPanel, xs: &[f64]) -> bool {
    p.series
        .iter()
        .any(|s| (0..xs.len()).any(|i| xs[i].is_finite() && at(&s.values.mean, i).is_finite()))
}

fn draw_panel<DB: DrawingBackend>(
    p: &SweepPanel,
    cell: &DrawingArea<DB, Shift>,
    x: &AxisSpec,
    xs: &[f64],
    entries: &[Entry],
    target_in_heading: bool,
    compact: bool,
) -> Result<(), ChartError> {
    let (head, body) = cell.split_vertically(HEADING);
    let metric = clean(&p.metric).trim().to_string();
    let target = p.target.filter(|t| t.is_finite());
    let heading = match target {
        Some(t) if target_in_heading => {
            format!("{metric} · target {}", unit_label(p.unit, t))
        }
        _ => metric.clone(),
    };
    draw_heading(&head, &heading)?;
    if !panel_has_data(p, xs) {
        let name = if metric.is_empty() {
            "this panel"
        } else {
            &metric
        };
        return draw_no_data(&body, &format!("No values for {name}"));
    }
    let y_axis = y_axis(p, xs, target, compact);
    let mut chart = build_panel(&body, x, p.unit, y_axis)?;
    draw_series(&mut chart, p, xs, entries, target)
}

/// A panel's heading, centred, cut to its width.
fn draw_heading<DB: DrawingBackend>(
    head: &DrawingArea<DB, Shift>,
    heading: &str,
) -> Result<(), ChartError> {
    let style = bold(LABEL_SIZE, INK);
    let (w, _) = head.dim_in_pixel();
    let heading = fit_text(head, heading, &style, w as i32 - 2 * MARGIN);
    head.draw_text(
        &heading,
        &style.pos(Pos::new(HPos::Center, VPos::Center)),
        (w as i32 / 2, HEADING / 2 + 2),
    )?;
    Ok(())
}

/// A panel's y axis, in its unit: it covers the means, the bands and the
/// target, at x values that are drawn.
fn y_axis(p: &SweepPanel, xs: &[f64], target: Option<f64>, compact: bool) -> Axis {
    let shown = |v: &[f64]| -> Vec<f64> {
        (0..xs.len())
            .filter(|&i| xs[i].is_finite())
            .map(|i| at(v, i))
            .collect()
    };
    let values: Vec<f64> = p
        .series
        .iter()
        .flat_map(|s| {
            let b = &s.values;
            [shown(&b.mean), shown(&b.low), shown(&b.high)].concat()
        })
        .collect();
    let max_ticks = if compact { 5 } else { 7 };
    match p.unit {
        SweepUnit::Share => {
            let axis = percent_axis(finite_range(&values).map(|(lo, _)| lo), target);
            // Eleven ticks crowd a grid panel: keep every other, 100% kept.
            if compact && axis.ticks().len() > 7 {
                let ticks = axis.ticks().iter().rev().step_by(2).copied().collect();
                Axis::new(axis.lo(), axis.hi(), ticks)
            } else {
                axis
            }
        }
        SweepUnit::Seconds => value_axis(
            finite_range(values.iter().chain(&target)),
            max_ticks,
            time_step,
        ),
        SweepUnit::Euro => value_axis(
            finite_range(values.iter().chain(&target)),
            max_ticks,
            nice_step,
        ),
    }
}

/// Builds a panel's plot on the shared x axis, with its y axis labelled in
/// `unit`.
fn build_panel<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    x: &AxisSpec,
    unit: SweepUnit,
    y_axis: Axis,
) -> Result<plot::Plot<'a, DB>, ChartError> {
    let euro = euro_format(y_axis.ticks());
    let seconds = seconds_format(y_axis.ticks());
    let y_fmt = move |v: &f64| match unit {
        SweepUnit::Share => percent_label(*v),
        SweepUnit::Seconds => seconds.label(*v),
        SweepUnit::Euro => euro.label(*v),
    };
    plot::build(
        body,
        x,
        &AxisSpec {
            axis: y_axis,
            desc: String::new(),
            format: &y_fmt,
        },
        Room::default(),
    )
}

/// A panel's bands, its target line, then its lines and dots, the first
/// series on top.
fn draw_series<DB: DrawingBackend>(
    chart: &mut plot::Plot<DB>,
    p: &SweepPanel,
    xs: &[f64],
    entries: &[Entry],
    target: Option<f64>,
) -> Result<(), ChartError> {
    let color = |s: &SweepSeries| {
        let key = series_key(s);
        entries
            .iter()
            .find(|e| e.key == key)
            .map_or(REFERENCE, |e| e.color)
    };
    // Bands of many series overlap: lighter, so that all stay visible.
    let keep = if p.series.len() > 3 {
        BAND_KEEP * 0.6
    } else {
        BAND_KEEP
    };
    for s in &p.series {
        let b = &s.values;
        plot::band(chart, xs, &b.low, &b.high, color(s), keep)?;
    }
    if let Some(t) = target {
        plot::reference_line(chart, t, REFERENCE)?;
    }
    for s in p.series.iter().rev() {
        let c = color(s);
        plot::line(chart, xs, &s.values.mean, c, 2, Dash::Solid)?;
        plot::dots(chart, xs, &s.values.mean, c, 4)?;
    }
    Ok(())
}

/// The x axis over the parameter values, a little wider than they reach so
/// that the end dots are whole. Ticks sit on the simulated values when
/// their labels fit, else on round steps.
fn x_axis<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, x: &[f64], plot_px: f64) -> Axis {
    let mut values: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let (Some(&lo), Some(&hi)) = (values.first(), values.last()) else {
        return Axis::new(0.0, 1.0, Vec::new());
    };
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        // One value: the axis is centred on it, the only tick.
        return Axis::new(lo, hi, vec![lo]);
    }
    let pad = span * 0.05;
    let style = text(TICK_SIZE, INK);
    let widest = values
        .iter()
        .map(|v| text_width(area, &number_label(*v), &style))
        .max()
        .unwrap_or(0);
    let gap = values
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let px_per_unit = plot_px.max(50.0) / (span + 2.0 * pad);
    if values.len() <= 20 && gap * px_per_unit >= f64::from(widest) + 12.0 {
        return Axis::new(lo - pad, hi + pad, values);
    }
    let max_ticks = ((plot_px / f64::from(widest.max(20) + 24)).floor() as usize).clamp(2, 10);
    let step = nice_step(span, max_ticks);
    let first = (lo / step).ceil();
    let ticks = (0..=max_ticks * 3)
        .map(|i| (first + i as f64) * step)
        .take_while(|t| *t <= hi + step * 1e-9)
        .collect();
    Axis::new(lo - pad, hi + pad, ticks)
}

/// An axis around the values with ticks every `step_for(span, max_ticks)`:
/// from zero when the values are positive and not far from it, else zoomed
/// to where they are.
fn value_axis(
    range: Option<(f64, f64)>,
    max_ticks: usize,
    step_for: fn(f64, usize) -> f64,
) -> Axis {
    let Some((lo, hi)) = range else {
        return Axis::new(0.0, 1.0, vec![0.0, 1.0]);
    };
    let from_zero = lo >= 0.0 && lo <= 0.5 * hi;
    let lo = if from_zero { 0.0 } else { lo };
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        let pad = lo.abs() * 0.1;
        (lo - pad, hi + pad)
    };
    // A zoomed axis spans at least a tenth of the level, so that a small
    // spread (one sweep point, a narrow band) does not look like a big one.
    let least = 0.1 * lo.abs().max(hi.abs());
    let (lo, hi) = if lo != 0.0 && hi - lo < least {
        let mid = (lo + hi) / 2.0;
        (mid - least / 2.0, mid + least / 2.0)
    } else {
        (lo, hi)
    };
    let span = hi - lo;
    if !span.is_finite() {
        return Axis::new(lo, hi, Vec::new());
    }
    let step = step_for(span, max_ticks);
    let pad = span * 0.04;
    let mut bottom = if lo == 0.0 {
        0.0
    } else {
        ((lo - pad) / step).floor() * step
    };
    if lo >= 0.0 {
        bottom = bottom.max(0.0);
    }
    let top = ((hi + pad) / step).ceil() * step;
    let n = ((top - bottom) / step).round();
    let ticks = if n.is_finite() && n <= 60.0 {
        (0..=n as usize).map(|i| bottom + i as f64 * step).collect()
    } else {
        Vec::new()
    };
    Axis::new(bottom, top, ticks)
}

/// A value in the unit of a panel: "90%", "1m 30s", "€ 1.2M".
fn unit_label(unit: SweepUnit, v: f64) -> String {
    match unit {
        SweepUnit::Share => percent_label(v),
        SweepUnit::Seconds => duration_label(v),
        SweepUnit::Euro => euro_format(&[v]).label(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_axes_start_at_zero_when_close() {
        let a = value_axis(Some((12.0, 40.0)), 5, nice_step);
        assert_eq!(a.lo(), 0.0);
        let a = value_axis(Some((1.1e6, 1.4e6)), 5, nice_step);
        assert!(a.lo() > 0.0 && a.lo() <= 1.1e6 && a.hi() >= 1.4e6);
        let a = value_axis(Some((0.0, 0.0)), 5, time_step);
        assert!(a.hi() > a.lo());
        let a = value_axis(Some((-1e308, 1e308)), 5, nice_step);
        assert!(a.ticks().is_empty());
    }
}
