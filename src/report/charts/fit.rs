//! The charts of `ccsim fit`: what the history shows against what the
//! fitted scenario expects. One chart type, [`FitCurves`], with a builder
//! per figure the fit report shows:
//! - [`FitCurves::daily`]: contacts per day, actual (dots) and fitted (line),
//!   one chart per theme and channel;
//! - [`FitCurves::intraday`]: the share of a weekday's contacts per interval,
//!   actual and fitted, one panel per weekday;
//! - [`FitCurves::handle_time`]: the handle-time histogram (as a density)
//!   with the fitted family's density;
//! - [`FitCurves::patience`]: the Kaplan–Meier survival of patience with
//!   the fitted family's survival curve, and the naive mean marked.

use chrono::{Duration, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BLUE, Dash, LABEL_SIZE, LegendItem, MUTED, Marker, REFERENCE, VERMILLION, bold, clock,
    draw_no_data, finite_range, fit_text, frame, nice_step, sanitise, short_day_label, widen,
};
use super::{Chart, ChartError};
use crate::fit::{DemandFit, FitResult};
use crate::model::Weekday;

/// How the x values read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FitAxis {
    /// Days after this date.
    Days(NaiveDate),
    /// Hours after midnight.
    Clock,
    /// Seconds (durations, shown in minutes past 5 minutes).
    Seconds,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitStyle {
    /// What the history shows: dots.
    Actual,
    /// What the history shows, as steps (a histogram, a Kaplan–Meier curve).
    ActualSteps,
    /// What the fit expects: a line.
    Fitted,
    /// A vertical marker at `xs[0]` (a naive mean), labelled.
    Marker,
}

/// One series of a panel. Values that are not finite are gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSeries {
    /// Legend label.
    pub label: String,
    /// x values (see [`FitAxis`]).
    pub xs: Vec<f64>,
    /// y values.
    pub ys: Vec<f64>,
    /// How it is drawn.
    pub style: FitStyle,
}

/// One panel: a heading and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct FitPanel {
    /// Heading above the panel.
    pub heading: String,
    /// Series, drawn in order.
    pub series: Vec<FitSeries>,
}

/// Actual against fitted, in one or several panels.
#[derive(Debug, Clone, PartialEq)]
pub struct FitCurves {
    /// File name without extension.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Subtitle (what was fitted, on which period).
    pub subtitle: String,
    /// Caption under the chart in the HTML report.
    pub caption: String,
    /// x axis kind.
    pub axis: FitAxis,
    /// x axis title.
    pub x_label: String,
    /// y axis title.
    pub y_label: String,
    /// Panels, laid out in rows of up to four.
    pub panels: Vec<FitPanel>,
}

fn series(label: &str, xs: Vec<f64>, ys: Vec<f64>, style: FitStyle) -> FitSeries {
    FitSeries {
        label: label.to_string(),
        xs,
        ys,
        style,
    }
}

fn period(fit: &FitResult) -> String {
    format!("History {} to {}", fit.from, fit.to)
}

fn name(d: &DemandFit) -> String {
    format!("{} · {}", d.theme, d.channel.name())
}

impl FitCurves {
    /// Contacts per day, one chart per theme and channel.
    pub fn daily(fit: &FitResult) -> Vec<FitCurves> {
        fit.demand
            .iter()
            .map(|d| {
                let x = |date: NaiveDate| (date - fit.from).num_days() as f64;
                let xs: Vec<f64> = d.days.iter().map(|v| x(v.date)).collect();
                FitCurves {
                    stem: format!("fit_daily_{}_{}", sanitise(&d.theme), d.channel.name()),
                    title: format!("Contacts per day: {}", name(d)),
                    subtitle: period(fit),
                    caption: "Contacts per day in the history (dots) and what the fitted \
                              scenario expects on that day (line): level, trend, weekday \
                              weights and closed days."
                        .into(),
                    axis: FitAxis::Days(fit.from),
                    x_label: "Date".into(),
                    y_label: "Contacts per day".into(),
                    panels: vec![FitPanel {
                        heading: String::new(),
                        series: vec![
                            series(
                                "fitted",
                                xs.clone(),
                                d.days.iter().map(|v| v.fitted).collect(),
                                FitStyle::Fitted,
                            ),
                            series(
                                "actual",
                                xs,
                                d.days.iter().map(|v| v.actual).collect(),
                                FitStyle::Actual,
                            ),
                        ],
                    }],
                }
            })
            .collect()
    }

    /// The share of each weekday's contacts per interval, actual against
    /// fitted: one chart per theme and channel, a panel per weekday.
    pub fn intraday(fit: &FitResult) -> Vec<FitCurves> {
        let hours = |i: usize| i as f64 * f64::from(fit.interval) / 3600.0;
        fit.demand
            .iter()
            .map(|d| {
                let panels = Weekday::ALL
                    .iter()
                    .filter_map(|&day| {
                        let observed = fit.observed.iter().find(|o| {
                            o.theme == d.theme && o.channel == d.channel && o.weekday == day
                        })?;
                        let total: f64 = observed.counts.iter().filter(|c| c.is_finite()).sum();
                        if total.is_nan() || total <= 0.0 {
                            return None;
                        }
                        let actual: Vec<f64> = observed.counts.iter().map(|c| c / total).collect();
                        let profile = d.intraday_by_weekday[day.index()]
                            .as_ref()
                            .unwrap_or(&d.intraday);
                        let sum: f64 = profile.weights.iter().map(|w| w.value).sum();
                        let first = profile.start as f64 / f64::from(fit.interval.max(1));
                        let fitted_x: Vec<f64> = (0..profile.weights.len())
                            .map(|i| hours(i) + first * f64::from(fit.interval) / 3600.0)
                            .collect();
                        let fitted: Vec<f64> =
                            profile.weights.iter().map(|w| w.value / sum).collect();
                        Some(FitPanel {
                            heading: day.name().to_string(),
                            series: vec![
                                series("fitted", fitted_x, fitted, FitStyle::Fitted),
                                series(
                                    "actual",
                                    (0..actual.len()).map(hours).collect(),
                                    actual,
                                    FitStyle::Actual,
                                ),
                            ],
                        })
                    })
                    .collect();
                FitCurves {
                    stem: format!("fit_intraday_{}_{}", sanitise(&d.theme), d.channel.name()),
                    title: format!("Intraday profile: {}", name(d)),
                    subtitle: period(fit),
                    caption: "The share of a weekday's contacts that came in each interval \
                              (dots) and the fitted profile (line); a weekday with its own \
                              fitted profile shows it."
                        .into(),
                    axis: FitAxis::Clock,
                    x_label: "Time of day".into(),
                    y_label: "Share of the day".into(),
                    panels,
                }
            })
            .collect()
    }

    /// The handle-time histogram with the fitted density, one chart per
    /// theme and channel fitted on contact-level data.
    pub fn handle_time(fit: &FitResult) -> Vec<FitCurves> {
        fit.demand
            .iter()
            .filter_map(|d| {
                let h = d.handle_time.as_ref()?;
                let hist = h.histogram.as_ref()?;
                let n: u64 = hist.counts.iter().sum();
                let (xs, ys) = steps(&hist.edges, &hist.counts, n);
                let mut series_list = vec![series("actual", xs, ys, FitStyle::ActualSteps)];
                if let (Some(family), Some(cv)) = (h.family, h.cv) {
                    let hi = hist.edges.last().copied().unwrap_or(0.0);
                    let grid = grid(hi);
                    let density = grid
                        .iter()
                        .map(|&x| family.density(h.mean.value, cv.value, x))
                        .collect();
                    series_list.push(series(
                        &format!("fitted {}", family.name()),
                        grid,
                        density,
                        FitStyle::Fitted,
                    ));
                }
                Some(FitCurves {
                    stem: format!("fit_handle_{}_{}", sanitise(&d.theme), d.channel.name()),
                    title: format!("Handle time: {}", name(d)),
                    subtitle: format!("{} · {} answered contacts", period(fit), h.observations),
                    caption: "The handle times of the answered contacts as a density \
                              (steps) and the density of the fitted distribution (line)."
                        .into(),
                    axis: FitAxis::Seconds,
                    x_label: "Handle time".into(),
                    y_label: "Density (per second)".into(),
                    panels: vec![FitPanel {
                        heading: String::new(),
                        series: series_list,
                    }],
                })
            })
            .collect()
    }

    /// Patience: the Kaplan–Meier curve with the fitted survival and the
    /// naive mean, one panel per channel; `None` without a Kaplan–Meier
    /// curve (interval data).
    pub fn patience(fit: &FitResult) -> Option<FitCurves> {
        let panels: Vec<FitPanel> = fit
            .patience
            .iter()
            .filter(|p| !p.kaplan_meier.is_empty())
            .map(|p| {
                let xs: Vec<f64> = p.kaplan_meier.iter().map(|s| s.t).collect();
                let ys: Vec<f64> = p.kaplan_meier.iter().map(|s| s.survival).collect();
                let hi = xs
                    .iter()
                    .copied()
                    .filter(|x| x.is_finite())
                    .fold(0.0, f64::max);
                let grid = grid(hi);
                let fitted = grid
                    .iter()
                    .map(|&x| p.family.survival(p.mean.value, p.cv.value, x))
                    .collect();
                let mut list = vec![
                    series("Kaplan–Meier", xs, ys, FitStyle::ActualSteps),
                    series(
                        &format!("fitted {}", p.family.name()),
                        grid,
                        fitted,
                        FitStyle::Fitted,
                    ),
                ];
                if let Some(naive) = p.naive_mean {
                    list.push(series(
                        "naive mean",
                        vec![naive],
                        vec![f64::NAN],
                        FitStyle::Marker,
                    ));
                }
                FitPanel {
                    heading: format!(
                        "{}: mean {:.0} s, {} abandoned, {} censored",
                        p.channel.name(),
                        p.mean.value,
                        p.abandoned,
                        p.censored
                    ),
                    series: list,
                }
            })
            .collect();
        if panels.is_empty() {
            return None;
        }
        Some(FitCurves {
            stem: "fit_patience".into(),
            title: "Patience".into(),
            subtitle: period(fit),
            caption: "The share of callers still willing to wait after x (Kaplan–Meier, \
                      steps: the waits of answered contacts are censored patience) and \
                      the fitted survival curve (line); the dotted line is the naive mean \
                      of the abandoned waits, biased low."
                .into(),
            axis: FitAxis::Seconds,
            x_label: "Waiting time".into(),
            y_label: "Still waiting".into(),
            panels,
        })
    }
}

/// A histogram as a step line of densities (count / n / width).
fn steps(edges: &[f64], counts: &[u64], n: u64) -> (Vec<f64>, Vec<f64>) {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for (i, c) in counts.iter().enumerate() {
        let (Some(&a), Some(&b)) = (edges.get(i), edges.get(i + 1)) else {
            break;
        };
        let width = b - a;
        let y = if n > 0 && width > 0.0 {
            *c as f64 / n as f64 / width
        } else {
            f64::NAN
        };
        xs.extend([a, b]);
        ys.extend([y, y]);
    }
    (xs, ys)
}

/// 200 points from 0 to `hi`.
fn grid(hi: f64) -> Vec<f64> {
    if !(hi.is_finite() && hi > 0.0) {
        return Vec::new();
    }
    (0..=200).map(|i| hi * f64::from(i) / 200.0).collect()
}

/// Ticks on a nice step from `lo` to `hi`; the two ends alone when a nice
/// step would give too many (hostile ranges).
fn ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let step = nice_step(hi - lo, max);
    let first = (lo / step).ceil();
    let n = ((hi / step).floor() - first).max(0.0);
    if !(step.is_finite() && step > 0.0 && first.is_finite() && n <= 50.0) {
        return vec![lo, hi];
    }
    (0..=n as usize)
        .map(|i| (first + i as f64) * step)
        .collect()
}

impl Chart for FitCurves {
    fn file_stem(&self) -> String {
        self.stem.clone()
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn caption(&self) -> String {
        self.caption.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let has = |p: &FitPanel| {
            p.series.iter().any(|s| {
                s.xs.iter()
                    .zip(&s.ys)
                    .any(|(x, y)| x.is_finite() && y.is_finite())
            })
        };
        let panels: Vec<&FitPanel> = self.panels.iter().filter(|p| has(p)).collect();
        let mut legend = Vec::new();
        let styles = [
            (FitStyle::Actual, Marker::Fill(BLUE)),
            (FitStyle::ActualSteps, Marker::Line(BLUE, 2, Dash::Solid)),
            (FitStyle::Fitted, Marker::Line(VERMILLION, 3, Dash::Solid)),
            (FitStyle::Marker, Marker::Line(REFERENCE, 2, Dash::Dotted)),
        ];
        for (style, marker) in styles {
            if let Some(s) = panels
                .iter()
                .flat_map(|p| &p.series)
                .find(|s| s.style == style)
            {
                legend.push(LegendItem::new(marker, s.label.clone()));
            }
        }
        let area = frame(root, &self.title, &self.subtitle, &legend)?;
        if panels.is_empty() {
            return draw_no_data(&area, "No history to show");
        }
        let cols = panels.len().min(4);
        let rows = panels.len().div_ceil(cols);
        let cells = area.split_evenly((rows, cols));
        for (k, (panel, cell)) in panels.iter().zip(&cells).enumerate() {
            self.draw_panel(panel, cell, k % cols == 0)?;
        }
        Ok(())
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(4).max(1) as u32;
        (super::style::WIDTH, super::style::HEIGHT + 300 * (rows - 1))
    }
}

impl FitCurves {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        panel: &FitPanel,
        cell: &DrawingArea<DB, Shift>,
        first: bool,
    ) -> Result<(), ChartError> {
        let body = if panel.heading.is_empty() {
            cell.clone()
        } else {
            let (head, body) = cell.split_vertically(28);
            let style = bold(LABEL_SIZE, MUTED);
            let (w, _) = head.dim_in_pixel();
            let text = fit_text(&head, &panel.heading, &style, w as i32 - 20);
            head.draw_text(
                &text,
                &style.pos(Pos::new(HPos::Center, VPos::Center)),
                (w as i32 / 2, 14),
            )?;
            body
        };
        let all_x = panel.series.iter().flat_map(|s| s.xs.iter());
        let (x_lo, x_hi) = finite_range(all_x).map_or((0.0, 1.0), |(a, b)| widen(a, b));
        let (x_lo, x_hi) = if matches!(self.axis, FitAxis::Seconds) {
            widen(x_lo.min(0.0), x_hi)
        } else {
            (x_lo, x_hi)
        };
        let minutes = matches!(self.axis, FitAxis::Seconds) && x_hi > 300.0;
        let unit = if minutes { 60.0 } else { 1.0 };
        let (x_lo, x_hi) = widen(x_lo / unit, x_hi / unit);
        let all_y = panel
            .series
            .iter()
            .filter(|s| s.style != FitStyle::Marker)
            .flat_map(|s| s.ys.iter());
        let y_hi = finite_range(all_y).map_or(1.0, |(_, hi)| hi);
        let (y_lo, y_hi) = widen(0.0, if y_hi > 0.0 { y_hi * 1.08 } else { 1.0 });
        let x_axis = Axis::new(x_lo, x_hi, ticks(x_lo, x_hi, 6));
        let y_axis = Axis::new(y_lo, y_hi, ticks(y_lo, y_hi, 6));
        let axis = self.axis;
        let x_fmt = move |v: &f64| match axis {
            FitAxis::Days(origin) => i64::try_from(v.round() as i128)
                .ok()
                .and_then(|d| origin.checked_add_signed(Duration::try_days(d)?))
                .map_or_else(String::new, short_day_label),
            FitAxis::Clock => clock(v * 60.0),
            FitAxis::Seconds => short_number(*v),
        };
        let y_fmt = |v: &f64| short_number(*v);
        let x_desc = match (self.axis, minutes) {
            (FitAxis::Seconds, true) => format!("{} (min)", self.x_label),
            (FitAxis::Seconds, false) => format!("{} (s)", self.x_label),
            _ => self.x_label.clone(),
        };
        let mut chart = plot::build(
            &body,
            &AxisSpec {
                axis: x_axis,
                desc: x_desc,
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y_axis,
                desc: if first {
                    self.y_label.clone()
                } else {
                    String::new()
                },
                format: &y_fmt,
            },
            Room {
                above: 22,
                ..Room::default()
            },
        )?;
        for s in &panel.series {
            let xs: Vec<f64> = s.xs.iter().map(|x| x / unit).collect();
            match s.style {
                FitStyle::Actual => plot::dots(&mut chart, &xs, &s.ys, BLUE, 3)?,
                FitStyle::ActualSteps => plot::line(&mut chart, &xs, &s.ys, BLUE, 2, Dash::Solid)?,
                FitStyle::Fitted => plot::line(&mut chart, &xs, &s.ys, VERMILLION, 3, Dash::Solid)?,
                FitStyle::Marker => {
                    if let Some(&x) = xs.first() {
                        plot::vertical_line(&mut chart, &body, x, &s.label, REFERENCE)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A tick label: whole numbers plain, small ones with the decimals they need.
fn short_number(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        String::new()
    } else if a >= 1e6 {
        format!("{v:.1e}")
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 0.01 {
        format!("{v:.2}")
    } else {
        format!("{v:.1e}")
    }
}
