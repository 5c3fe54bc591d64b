//! `ccsim schedule`: the requirement (agents on duty per interval) against
//! the agents the roster puts on duty, over the scheduled dates.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BLUE, Dash, LegendItem, Marker, VERMILLION, any_finite, count_axis, draw_no_data,
    finite_range, frame, short_day_label, thousands,
};
use super::{Chart, ChartError, subtitle};

/// Requirement against scheduled on-duty agents per interval.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterCoverage {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The pool.
    pub pool: String,
    /// The horizon's dates, in order.
    pub dates: Vec<NaiveDate>,
    /// Intervals per day.
    pub per_day: usize,
    /// Agents on duty needed, per horizon interval.
    pub requirement: Vec<f64>,
    /// Agents on duty with the roster, per horizon interval.
    pub on_duty: Vec<f64>,
}

impl Chart for RosterCoverage {
    fn file_stem(&self) -> String {
        "roster_coverage".to_string()
    }

    fn title(&self) -> String {
        format!("Roster coverage, pool {}", self.pool)
    }

    fn caption(&self) -> String {
        "Agents on duty per interval: the requirement (red, dashed) against what the roster \
         puts on duty after shrinkage (blue). Blue above red is over-staffing the shifts' \
         shapes force; blue below red is under-staffing."
            .to_string()
    }

    fn size(&self) -> (u32, u32) {
        (1200, 560)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "per interval, agents on duty");
        let n = self.requirement.len().max(self.on_duty.len());
        if n == 0
            || self.per_day == 0
            || (!any_finite(&self.requirement) && !any_finite(&self.on_duty))
        {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "Nothing scheduled");
        }
        let legend = [
            LegendItem::new(Marker::Line(VERMILLION, 2, Dash::Dashed), "requirement"),
            LegendItem::new(
                Marker::Line(BLUE, 2, Dash::Solid),
                "on duty with the roster",
            ),
        ];
        let area = frame(root, title, &sub, &legend)?;
        let max =
            finite_range(self.requirement.iter().chain(&self.on_duty)).map_or(1.0, |(_, hi)| hi);
        let days = n.div_ceil(self.per_day);
        let every = if days <= 14 {
            1
        } else if days <= 70 {
            7
        } else {
            14
        };
        let ticks: Vec<f64> = (0..days)
            .step_by(every)
            .map(|d| (d * self.per_day) as f64)
            .collect();
        let per_day = self.per_day;
        let dates = self.dates.clone();
        let x_fmt = move |v: &f64| {
            let d = (*v / per_day as f64).round() as usize;
            dates
                .get(d)
                .map_or(String::new(), |&date| short_day_label(date))
        };
        let y_fmt = |v: &f64| thousands(*v);
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: Axis::new(0.0, n as f64, ticks),
                desc: "Date".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: count_axis(max, 8, 1.1),
                desc: "Agents on duty".to_string(),
                format: &y_fmt,
            },
            Room::default(),
        )?;
        // Steps: each interval's value held from its start to its end.
        let step = |v: &[f64]| -> (Vec<f64>, Vec<f64>) {
            let mut xs = Vec::with_capacity(2 * v.len());
            let mut ys = Vec::with_capacity(2 * v.len());
            for (i, &y) in v.iter().enumerate() {
                xs.push(i as f64);
                ys.push(y);
                xs.push(i as f64 + 1.0);
                ys.push(y);
            }
            (xs, ys)
        };
        let (xs, ys) = step(&self.on_duty);
        plot::line(&mut chart, &xs, &ys, BLUE, 2, Dash::Solid)?;
        let (xs, ys) = step(&self.requirement);
        plot::line(&mut chart, &xs, &ys, VERMILLION, 2, Dash::Dashed)?;
        Ok(())
    }
}
