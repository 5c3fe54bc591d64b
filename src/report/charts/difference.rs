//! Paired difference B − A of a share per interval of the day: one line per
//! channel with the 95% CI band of the difference, around a zero line, in
//! percentage points.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::figures::minutes;
use super::intraday::{TimeOfDay, fmt_minutes};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    AXIS, Axis, BAND_KEEP, Dash, LegendItem, Marker, any_finite, channel_color, channel_name,
    clean, clock, draw_no_data, finite_range, frame, nice_step,
};
use super::{Band, Chart, ChartError};
use crate::model::Metric;
use crate::planning::compare::{Comparison, Row};
use crate::planning::{FigureLevel, ScopeKind};

/// Paired difference B − A of a metric per interval of the day (from
/// `ccsim compare`), in percentage points, one line per channel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntradayDifference {
    /// Subtitle text, e.g. "A: base · B: pools.frontline.agents=45"; when
    /// empty, the subtitle is made from `label_a` and `label_b`.
    pub scenario: String,
    /// Name of scenario A (the baseline).
    pub label_a: String,
    /// Name of scenario B (the variant).
    pub label_b: String,
    /// The letter of the plan set against A when it is not B (`"C"` ...,
    /// from a comparison of three plans or more); empty for B.
    pub plan: String,
    /// Interval length in minutes.
    pub interval_minutes: f64,
    /// Minutes after midnight at which each interval starts (x axis, HH:MM labels).
    pub slots: Vec<u32>,
    /// The metric compared, a share: `"reachability"` or `"service_level"`.
    pub metric: String,
    /// Per channel (`"call"`, `"chat"`, `"email"`, `"total"`): the difference
    /// B − A as a share (−1..1) per slot, band = 95% CI of the paired
    /// difference.
    pub channels: Vec<(String, Band)>,
}

impl IntradayDifference {
    /// The chart of a comparison: the paired difference of reachability by
    /// time of day, per channel.
    pub fn of(c: &Comparison) -> Self {
        Self::of_plan(c, 1)
    }

    /// The chart of plan `i` of a comparison (1 is B) against A.
    pub fn of_plan(c: &Comparison, i: usize) -> Self {
        let rows: Vec<&Row> = c
            .rows
            .iter()
            .filter(|r| {
                r.key.level == FigureLevel::TimeOfDay && r.key.metric == Metric::Reachability
            })
            .collect();
        let mut slots: Vec<u32> = rows.iter().filter_map(|r| minutes(&r.key.period)).collect();
        slots.sort_unstable();
        slots.dedup();
        let mut channels: Vec<(String, Band)> = Vec::new();
        for r in &rows {
            // Time-of-day figures are per channel only.
            let (ScopeKind::Channel, Some(channel)) = (r.key.scope, r.key.channel) else {
                continue;
            };
            let channel = channel.name();
            let Some(slot) = minutes(&r.key.period).and_then(|m| slots.binary_search(&m).ok())
            else {
                continue;
            };
            let at = match channels.iter().position(|(c, _)| c == channel) {
                Some(i) => i,
                None => {
                    let n = slots.len();
                    channels.push((
                        channel.to_string(),
                        Band {
                            mean: vec![f64::NAN; n],
                            low: vec![f64::NAN; n],
                            high: vec![f64::NAN; n],
                        },
                    ));
                    channels.len() - 1
                }
            };
            let band = &mut channels[at].1;
            let Some(d) = r.difference(i) else {
                continue;
            };
            band.mean[slot] = d.mean.unwrap_or(f64::NAN);
            band.low[slot] = d.ci_low.unwrap_or(f64::NAN);
            band.high[slot] = d.ci_high.unwrap_or(f64::NAN);
        }
        let sides = c.sides();
        let (letter, _, side) = &sides[i.min(sides.len() - 1)];
        IntradayDifference {
            scenario: format!("A: {} · {letter}: {}", c.a.label, side.label),
            label_a: c.a.label.clone(),
            label_b: side.label.clone(),
            plan: if i == 1 {
                String::new()
            } else {
                letter.clone()
            },
            interval_minutes: slots
                .windows(2)
                .map(|w| f64::from(w[1] - w[0]))
                .fold(f64::INFINITY, f64::min),
            slots,
            metric: "reachability".to_string(),
            channels,
        }
    }
}

impl Chart for IntradayDifference {
    fn file_stem(&self) -> String {
        if self.plan.is_empty() {
            "difference_by_time_of_day".to_string()
        } else {
            format!("difference_by_time_of_day_{}", self.plan.to_lowercase())
        }
    }

    /// "Reachability: B − A by time of day".
    fn title(&self) -> String {
        format!(
            "{}: {} − A by time of day",
            metric_name(&self.metric),
            self.letter()
        )
    }

    fn caption(&self) -> String {
        let b = self.letter();
        format!(
            "Difference {b} − A in {} per interval of the day, in percentage points, from \
             paired replications (A and {b} see the same random contacts): above zero {b} is \
             higher, and where the 95% confidence band stays clear of zero the difference \
             is not chance.",
            metric_name(&self.metric).to_lowercase()
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(self);
        if self.slots.is_empty() || !self.channels.iter().any(|(_, b)| any_finite(&b.mean)) {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No differences per interval to show");
        }
        let legend: Vec<LegendItem> = self
            .channels
            .iter()
            .map(|(ch, _)| LegendItem::new(Marker::LineOnBand(channel_color(ch)), channel_name(ch)))
            .collect();
        let area = frame(root, title, &sub, &legend)?;

        let TimeOfDay {
            interval,
            xs,
            axis: x_axis,
        } = TimeOfDay::of(self.interval_minutes, &self.slots);

        let lines = self.lines();
        let all = lines
            .iter()
            .flat_map(|(_, b)| b.mean.iter().chain(&b.low).chain(&b.high));
        let (y_axis, decimals) = signed_axis(finite_range(all));

        let x_fmt = |v: &f64| clock(*v);
        let y_fmt = |v: &f64| pp_label(*v, decimals);
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: x_axis.clone(),
                desc: format!("Time of day (intervals of {} min)", fmt_minutes(interval)),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y_axis,
                desc: format!("Difference {} − A (pp)", self.letter()),
                format: &y_fmt,
            },
            Room::default(),
        )?;

        draw_lines(&mut chart, &xs, &lines, &x_axis)
    }
}

impl IntradayDifference {
    /// The plan set against A: B unless [`IntradayDifference::plan`] says.
    fn letter(&self) -> &str {
        if self.plan.is_empty() {
            "B"
        } else {
            &self.plan
        }
    }

    /// Per channel its colour and its band, in percentage points.
    fn lines(&self) -> Vec<(RGBColor, Band)> {
        // Shares to percentage points.
        let pp = |v: &[f64]| -> Vec<f64> { v.iter().map(|x| x * 100.0).collect() };
        self.channels
            .iter()
            .map(|(ch, b)| {
                let band = Band {
                    mean: pp(&b.mean),
                    low: pp(&b.low),
                    high: pp(&b.high),
                };
                (channel_color(ch), band)
            })
            .collect()
    }
}

/// The channels' bands, the zero line over them and the channels' means on
/// top.
fn draw_lines<DB: DrawingBackend>(
    chart: &mut plot::Plot<DB>,
    xs: &[f64],
    lines: &[(RGBColor, Band)],
    x_axis: &Axis,
) -> Result<(), ChartError> {
    for (color, b) in lines {
        plot::band(chart, xs, &b.low, &b.high, *color, BAND_KEEP)?;
    }
    // The zero line over the bands, under the lines: the reference every
    // value is read against.
    plot::line(
        chart,
        &[x_axis.lo(), x_axis.hi()],
        &[0.0, 0.0],
        AXIS,
        2,
        Dash::Solid,
    )?;
    for (color, b) in lines.iter().rev() {
        plot::line(chart, xs, &b.mean, *color, 3, Dash::Solid)?;
    }
    Ok(())
}

/// "reachability" → "Reachability", "service_level" → "Service level".
fn metric_name(metric: &str) -> String {
    let words = clean(metric).replace('_', " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Difference".to_string(),
    }
}

/// The subtitle: the given text, else "A: … · B: …", then what the band is.
fn subtitle(c: &IntradayDifference) -> String {
    let note = "band: 95% CI of the paired difference";
    let given = c.scenario.trim();
    let (a, b) = (c.label_a.trim(), c.label_b.trim());
    let head = if !given.is_empty() {
        given.to_string()
    } else if !a.is_empty() || !b.is_empty() {
        format!("A: {a} · {}: {b}", c.letter())
    } else {
        String::new()
    };
    if head.is_empty() {
        note.to_string()
    } else {
        format!("{head} · {note}")
    }
}

/// A y axis in percentage points that always shows zero with at least one
/// step on either side, and the decimals its tick labels need.
pub(super) fn signed_axis(range: Option<(f64, f64)>) -> (Axis, usize) {
    let (lo, hi) = range.unwrap_or((0.0, 0.0));
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    // At least a tenth of a point: flat data still gets a readable axis.
    let span = (hi - lo).max(0.1);
    let step = nice_step(span, 8);
    // A little headroom, so a line at the extreme is not hidden by the
    // plot's border.
    let pad = span * 0.03;
    let mut bottom = if lo < 0.0 {
        ((lo - pad) / step).floor() * step
    } else {
        0.0
    };
    let mut top = if hi > 0.0 {
        ((hi + pad) / step).ceil() * step
    } else {
        0.0
    };
    if bottom >= 0.0 {
        bottom = -step;
    }
    if top <= 0.0 {
        top = step;
    }
    let n = ((top - bottom) / step).round();
    let ticks = if n.is_finite() && n <= 40.0 {
        (0..=n as usize)
            .map(|i| bottom + i as f64 * step)
            .map(|t| if t.abs() < step * 1e-6 { 0.0 } else { t })
            .collect()
    } else {
        vec![0.0]
    };
    let decimals = (0..3)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(2) as usize;
    (Axis::new(bottom, top, ticks), decimals)
}

/// "+2.5 pp", "−1.0 pp", "0 pp".
pub(super) fn pp_label(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    if s.trim_start_matches(['0', '.']).is_empty() {
        "0 pp".to_string()
    } else if v > 0.0 {
        format!("+{s} pp")
    } else {
        format!("−{s} pp")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pp_labels_are_signed() {
        assert_eq!(pp_label(2.5, 1), "+2.5 pp");
        assert_eq!(pp_label(-1.0, 1), "−1.0 pp");
        assert_eq!(pp_label(0.0, 1), "0 pp");
        assert_eq!(pp_label(-0.0001, 1), "0 pp");
        assert_eq!(pp_label(4.0, 0), "+4 pp");
    }

    #[test]
    fn the_axis_shows_zero_with_room_on_both_sides() {
        let (a, d) = signed_axis(Some((0.5, 6.0)));
        assert!(a.lo() < 0.0 && a.hi() >= 6.0);
        assert!(a.ticks().contains(&0.0));
        assert_eq!(d, 0);
        let (a, _) = signed_axis(Some((-3.0, -1.0)));
        assert!(a.hi() > 0.0 && a.lo() <= -3.0);
        let (a, _) = signed_axis(None);
        assert!(a.lo() < 0.0 && a.hi() > 0.0);
    }

    #[test]
    fn metric_names_read_as_words() {
        assert_eq!(metric_name("service_level"), "Service level");
        assert_eq!(metric_name("reachability"), "Reachability");
        assert_eq!(metric_name(" "), "Difference");
    }
}
