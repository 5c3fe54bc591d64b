//! The differences of every plan against the baseline A (from `ccsim
//! compare`): per key figure one dot per plan with the 95% CI of its paired
//! difference as a whisker, around a zero line: shares in percentage
//! points, or money in euro.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::difference::{pp_label, signed_axis};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    AXIS, Axis, BLUE, BLUISH_GREEN, Dash, LegendItem, Marker, ORANGE, REDDISH_PURPLE, SKY_BLUE,
    VERMILLION, WIDTH, YELLOW, any_finite, draw_no_data, finite_range, frame, thousands,
};
use super::{Band, Chart, ChartError};
use crate::model::{Channel, Metric};
use crate::planning::compare::{Comparison, Row};
use crate::planning::{FigureLevel, ScopeKind};
use crate::stats::Estimate;

/// What the differences are in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DifferenceUnit {
    /// Shares, drawn in percentage points.
    #[default]
    Share,
    /// Money, in euro.
    Euro,
}

/// Each plan's difference against A, per figure, with its 95% CI.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanDifferences {
    /// Subtitle text: the baseline.
    pub scenario: String,
    /// What the differences are in.
    pub unit: DifferenceUnit,
    /// The figures, top to bottom, e.g. "call: reachability".
    pub figures: Vec<String>,
    /// Per plan other than A, its legend label ("B: extra staff") and, per
    /// figure, the difference (mean, low and high of the 95% CI): shares
    /// as shares (−1..1), money in euro.
    pub plans: Vec<(String, Band)>,
}

/// The plans' colours, in order (the Okabe–Ito palette, black left for the
/// zero line).
const COLOURS: [RGBColor; 7] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    SKY_BLUE,
    YELLOW,
];

impl Chart for PlanDifferences {
    fn file_stem(&self) -> String {
        match self.unit {
            DifferenceUnit::Share => "differences".to_string(),
            DifferenceUnit::Euro => "cost_differences".to_string(),
        }
    }

    fn title(&self) -> String {
        match self.unit {
            DifferenceUnit::Share => "Each plan − A, with 95% CI".to_string(),
            DifferenceUnit::Euro => "Cost: each plan − A, with 95% CI".to_string(),
        }
    }

    fn caption(&self) -> String {
        let unit = match self.unit {
            DifferenceUnit::Share => "in percentage points",
            DifferenceUnit::Euro => "in euro",
        };
        format!(
            "Per figure over the horizon, each plan's difference against A {unit}: the dot \
             is the mean of the paired differences, the whisker their 95% confidence \
             interval. A whisker clear of the zero line is a difference beyond chance."
        )
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.figures.len().max(1) as u32;
        let plans = self.plans.len().max(1) as u32;
        (WIDTH, (190 + rows * (24 + 14 * plans)).max(420))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = self.title();
        let sub = format!(
            "{} · whisker: 95% CI of the paired difference",
            self.scenario
        );
        let scale = match self.unit {
            DifferenceUnit::Share => 100.0,
            DifferenceUnit::Euro => 1.0,
        };
        let scaled: Vec<(RGBColor, Band)> = self
            .plans
            .iter()
            .enumerate()
            .map(|(i, (_, b))| {
                let s = |v: &[f64]| v.iter().map(|x| x * scale).collect::<Vec<f64>>();
                let band = Band {
                    mean: s(&b.mean),
                    low: s(&b.low),
                    high: s(&b.high),
                };
                (COLOURS[i % COLOURS.len()], band)
            })
            .collect();
        if self.figures.is_empty() || !scaled.iter().any(|(_, b)| any_finite(&b.mean)) {
            let area = frame(root, &title, &sub, &[])?;
            return draw_no_data(&area, "No differences to show");
        }
        let legend: Vec<LegendItem> = self
            .plans
            .iter()
            .zip(&scaled)
            .map(|((label, _), (c, _))| LegendItem::new(Marker::Line(*c, 3, Dash::Solid), label))
            .collect();
        let area = frame(root, &title, &sub, &legend)?;
        let all = scaled
            .iter()
            .flat_map(|(_, b)| b.mean.iter().chain(&b.low).chain(&b.high));
        let (x_axis, decimals) = signed_axis(finite_range(all));
        let k = self.figures.len();
        // The first figure on top: figure j at y = k − 1 − j.
        let y_axis = Axis::new(-0.5, k as f64 - 0.5, (0..k).map(|j| j as f64).collect());
        let unit = self.unit;
        let x_fmt = move |v: &f64| match unit {
            DifferenceUnit::Share => pp_label(*v, decimals),
            DifferenceUnit::Euro if *v > 0.0 => format!("+€ {}", thousands(*v)),
            DifferenceUnit::Euro if *v < 0.0 => format!("−€ {}", thousands(-*v)),
            DifferenceUnit::Euro => "0".to_string(),
        };
        let figures = &self.figures;
        let y_fmt = |v: &f64| {
            let j = k as f64 - 1.0 - v.round();
            if j >= 0.0 && (j as usize) < k {
                figures[j as usize].clone()
            } else {
                String::new()
            }
        };
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: x_axis.clone(),
                desc: match unit {
                    DifferenceUnit::Share => "Difference against A (pp)".to_string(),
                    DifferenceUnit::Euro => "Difference against A (€)".to_string(),
                },
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y_axis,
                desc: String::new(),
                format: &y_fmt,
            },
            Room::default(),
        )?;
        plot::line(
            &mut chart,
            &[0.0, 0.0],
            &[-0.5, k as f64 - 0.5],
            AXIS,
            2,
            Dash::Solid,
        )?;
        let n = scaled.len();
        // The plans side by side within a figure's row, B on top.
        let offset = |i: usize| {
            if n == 1 {
                0.0
            } else {
                0.18 - 0.36 * i as f64 / (n - 1) as f64
            }
        };
        for (i, (colour, b)) in scaled.iter().enumerate() {
            for j in 0..k {
                let y = (k - 1 - j) as f64 + offset(i);
                let (lo, hi) = (b.low[j], b.high[j]);
                if lo.is_finite() && hi.is_finite() {
                    let (lo, hi) = (x_axis.clamp(lo), x_axis.clamp(hi));
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(lo, y), (hi, y)],
                        colour.stroke_width(3),
                    )))?;
                }
                if b.mean[j].is_finite() {
                    chart.draw_series(std::iter::once(Circle::new(
                        (x_axis.clamp(b.mean[j]), y),
                        5,
                        colour.filled(),
                    )))?;
                }
            }
        }
        Ok(())
    }
}

impl PlanDifferences {
    /// The chart of a comparison: the key shares (reachability, service
    /// level and abandonment per channel, the total's reachability,
    /// occupancy per pool), or the costs (handling, extra support, staff,
    /// in total and per pool).
    pub fn of(c: &Comparison, unit: DifferenceUnit) -> Self {
        use Metric::*;
        let sides = c.sides();
        let wanted = |r: &Row| {
            let m = r.key.metric;
            r.key.level == FigureLevel::Horizon
                && match (unit, r.key.scope) {
                    (DifferenceUnit::Share, ScopeKind::Channel) => {
                        [Reachability, ServiceLevel, AbandonShare].contains(&m)
                    }
                    (DifferenceUnit::Share, ScopeKind::Total) => m == Reachability,
                    (DifferenceUnit::Share, ScopeKind::Pool) => m == Occupancy,
                    (DifferenceUnit::Euro, ScopeKind::Total | ScopeKind::Pool) => {
                        [Cost, ExtraCost, StaffCost].contains(&m)
                    }
                    _ => false,
                }
                // A figure no plan has a value of (e-mail's service level).
                && (0..sides.len()).any(|i| r.estimate(i).is_some_and(|e| e.mean.is_some()))
        };
        let mut rows: Vec<&Row> = c.rows.iter().filter(|r| wanted(r)).collect();
        // Pools in the order they first come, each with all its figures.
        let mut pools: Vec<&str> = Vec::new();
        for r in rows.iter().filter(|r| r.key.scope == ScopeKind::Pool) {
            if !pools.contains(&r.key.name.as_str()) {
                pools.push(&r.key.name);
            }
        }
        let order = |r: &Row| match r.key.scope {
            ScopeKind::Channel | ScopeKind::Theme | ScopeKind::Line => 0,
            ScopeKind::Pool => 1 + pools.iter().position(|p| *p == r.key.name).unwrap_or(0),
            ScopeKind::Total => 1 + pools.len(),
        };
        rows.sort_by_key(|r| order(r));
        let figures = rows
            .iter()
            .map(|r| {
                let k = &r.key;
                let what = match k.scope {
                    ScopeKind::Pool => format!("pool {}", k.name),
                    ScopeKind::Total => "total".to_string(),
                    _ => k.channel.map_or("", Channel::name).to_string(),
                };
                format!("{what}: {}", k.metric.name().replace('_', " "))
            })
            .collect();
        let plans = sides
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, (letter, name, _))| {
                let pick = |f: fn(&Estimate) -> Option<f64>| -> Vec<f64> {
                    rows.iter()
                        .map(|r| r.difference(i).and_then(f).unwrap_or(f64::NAN))
                        .collect()
                };
                let band = Band {
                    mean: pick(|e| e.mean),
                    low: pick(|e| e.ci_low),
                    high: pick(|e| e.ci_high),
                };
                (format!("{letter}: {name}"), band)
            })
            .collect();
        PlanDifferences {
            scenario: format!("A: {}", c.a.label),
            unit,
            figures,
            plans,
        }
    }
}
