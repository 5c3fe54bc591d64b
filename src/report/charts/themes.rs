//! Handled hours per theme as horizontal bars stacked by channel, with the
//! theme's cost written at the end of its bar. Horizontal, so long theme
//! names stay readable without rotation.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures::mean;
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, HEIGHT, INK, LegendItem, MARGIN, Marker, TICK_SIZE, WIDTH, channel_color, channel_name,
    clean, count_axis, count_label, draw_no_data, fit_text, frame, text, text_width, thousands,
};
use super::{Chart, ChartError, subtitle};
use crate::stats::{Metric, RunResults, Scope};

/// Pixels per theme row; more themes make a taller chart instead of
/// squeezed rows.
const ROW: u32 = 38;
/// Height of everything that is not rows: header, legend, x axis.
const CHROME: u32 = 230;
/// Theme names longer than this many pixels are cut with an ellipsis.
const NAME_PX: i32 = 300;

/// Handled hours and cost per theme.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeHoursCost {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// One bar per theme, top to bottom in this order.
    pub themes: Vec<ThemeBar>,
    /// Currency symbol written before costs, e.g. "€".
    pub currency: String,
}

/// One theme of [`ThemeHoursCost`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeBar {
    /// Theme name.
    pub theme: String,
    /// Handled hours per channel, stacked in this order.
    pub hours_by_channel: Vec<(String, f64)>,
    /// Cost of the theme, written at the end of its bar, e.g. "€ 412,300".
    pub cost: f64,
}

impl ThemeHoursCost {
    /// The chart of every run: each theme's handled hours per channel and
    /// its cost.
    pub fn of(results: &RunResults) -> Self {
        ThemeHoursCost {
            scenario: results.scenario.name.clone(),
            themes: results
                .themes()
                .into_iter()
                .map(|t| {
                    let channels = results.theme_channels(t);
                    let m = |c, metric| results.horizon(Scope::Theme(t, c), metric);
                    ThemeBar {
                        theme: results.names.themes[t].clone(),
                        hours_by_channel: channels
                            .iter()
                            .map(|&c| {
                                (
                                    c.name().to_string(),
                                    mean(m(c, Metric::HandledHours)).max(0.0),
                                )
                            })
                            .collect(),
                        cost: channels
                            .iter()
                            .map(|&c| mean(m(c, Metric::Cost)))
                            .filter(|x| x.is_finite())
                            .sum(),
                    }
                })
                .collect(),
            currency: "€".to_string(),
        }
    }
}

impl Chart for ThemeHoursCost {
    fn file_stem(&self) -> String {
        "theme_hours_cost".to_string()
    }

    fn title(&self) -> String {
        "Handled hours and cost per theme".to_string()
    }

    fn caption(&self) -> String {
        format!(
            "Hours spent handling contacts per theme, stacked by channel, with the cost of \
             the theme{} written at the end of each bar.",
            if self.currency.trim().is_empty() {
                String::new()
            } else {
                format!(" in {}", self.currency.trim())
            }
        )
    }

    /// 1000 × 560, taller with many themes, so that every theme keeps a
    /// readable row.
    fn size(&self) -> (u32, u32) {
        // Past 100 themes the rows get thinner instead: an image taller than a
        // few thousand pixels helps no one.
        let rows = self.themes.len().min(100) as u32;
        (WIDTH, HEIGHT.max(CHROME + ROW * rows))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let currency = clean(&self.currency);
        let currency = currency.trim();
        let note = if currency.is_empty() {
            "mean per replication, labels: cost".to_string()
        } else {
            format!("mean per replication, labels: cost in {currency}")
        };
        let sub = subtitle(&self.scenario, &note);
        let totals: Vec<f64> = self.themes.iter().map(ThemeBar::total_hours).collect();
        let has_data =
            totals.iter().any(|v| *v > 0.0) || self.themes.iter().any(|th| th.cost.is_finite());
        if !has_data {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No handled hours per theme to show");
        }
        let area = frame(root, title, &sub, &self.legend())?;
        let names: Vec<String> = self
            .themes
            .iter()
            .map(|th| fit_text(&area, &th.theme, &text(TICK_SIZE, INK), NAME_PX))
            .collect();
        let x_axis = self.hours_axis(&area, &names, &totals, currency);
        let x_hi = x_axis.hi();
        let mut chart = build(&area, x_axis, &names)?;
        self.draw_bars(&mut chart, x_hi, currency)
    }
}

impl ThemeBar {
    /// Handled hours of every channel together (a missing value counts none).
    fn total_hours(&self) -> f64 {
        self.hours_by_channel.iter().map(|(_, h)| hours(*h)).sum()
    }
}

/// Hours drawn for a value: none when it is missing or negative.
fn hours(h: f64) -> f64 {
    if h.is_finite() { h.max(0.0) } else { 0.0 }
}

/// The cost written at the end of a bar, "€ 412,300"; empty when unknown.
fn cost_label(currency: &str, cost: f64) -> String {
    if !cost.is_finite() {
        String::new()
    } else if currency.is_empty() {
        thousands(cost)
    } else {
        format!("{currency} {}", thousands(cost))
    }
}

impl ThemeHoursCost {
    /// A legend entry per channel, in order of first appearance.
    fn legend(&self) -> Vec<LegendItem> {
        let mut channels: Vec<&str> = Vec::new();
        for th in &self.themes {
            for (ch, _) in &th.hours_by_channel {
                if !channels.iter().any(|c| channel_name(c) == channel_name(ch)) {
                    channels.push(ch);
                }
            }
        }
        channels
            .iter()
            .map(|c| LegendItem::new(Marker::Fill(channel_color(c)), channel_name(c)))
            .collect()
    }

    /// The hours axis, long enough that the longest bar leaves room right
    /// of it for its cost label; `names` are the row labels, `totals` the
    /// bars' lengths.
    fn hours_axis<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        names: &[String],
        totals: &[f64],
        currency: &str,
    ) -> Axis {
        let label_style = text(TICK_SIZE, INK);
        let widest_name = names
            .iter()
            .map(|s| text_width(area, s, &label_style))
            .max()
            .unwrap_or(0);
        let plot_w = f64::from(area.dim_in_pixel().0) - f64::from(2 * MARGIN + widest_name + 30);
        let label_px = self
            .themes
            .iter()
            .map(|th| text_width(area, &cost_label(currency, th.cost), &label_style))
            .max()
            .unwrap_or(0);
        let max_total = totals.iter().copied().fold(0.0, f64::max);
        let free = (plot_w - f64::from(label_px) - 16.0).max(plot_w * 0.4);
        count_axis(max_total * plot_w / free, 6, 1.0)
    }

    /// Each theme's bar, stacked by channel up to `x_hi`, with its cost
    /// written at the end.
    fn draw_bars<DB: DrawingBackend>(
        &self,
        chart: &mut plot::Plot<DB>,
        x_hi: f64,
        currency: &str,
    ) -> Result<(), ChartError> {
        let n = self.themes.len();
        let half = 0.32;
        for (i, th) in self.themes.iter().enumerate() {
            let y = row_y(n, i);
            let mut start = 0.0;
            for (ch, h) in &th.hours_by_channel {
                let end = (start + hours(*h)).min(x_hi);
                if end > start {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(start, y - half), (end, y + half)],
                        channel_color(ch).filled(),
                    )))?;
                }
                start = end;
            }
            let label = cost_label(currency, th.cost);
            if !label.is_empty() {
                let screen = plot::screen(chart);
                let at = plot::px(chart, (start, y));
                let style = text(TICK_SIZE, INK).pos(Pos::new(HPos::Left, VPos::Center));
                screen.draw_text(&label, &style, (at.0 + 8, at.1))?;
            }
        }
        Ok(())
    }
}

/// Where row `i` of `n` is drawn: at y = n - 1 - i, so the first theme is
/// on top.
fn row_y(n: usize, i: usize) -> f64 {
    (n - 1 - i) as f64
}

/// Builds the plot: hours along x, a row per theme labelled with `names`.
fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x_axis: Axis,
    names: &[String],
) -> Result<plot::Plot<'a, DB>, ChartError> {
    let n = names.len();
    let y_axis = Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| row_y(n, i)).collect());
    let x_fmt = |v: &f64| count_label(*v);
    let y_fmt = |v: &f64| {
        let i = n as f64 - 1.0 - v.round();
        if i < 0.0 {
            return String::new();
        }
        names.get(i as usize).cloned().unwrap_or_default()
    };
    plot::build(
        area,
        &AxisSpec {
            axis: x_axis,
            desc: "Handled hours".to_string(),
            format: &x_fmt,
        },
        &AxisSpec {
            axis: y_axis,
            desc: String::new(),
            format: &y_fmt,
        },
        Room::default(),
    )
}
