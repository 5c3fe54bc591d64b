//! A staffing plan of one pool as a heatmap: a column per date, a row per
//! interval of the day, the agents on duty in each cell (`ccsim staff`).

use chrono::{Datelike, NaiveDate, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::daily::{date_axis, date_formatter};
use super::heatmap::{Grid, Scale, grid};
use super::plot::AxisSpec;
use super::style::{EMPTY_CELL, LegendItem, Marker, at, clock, draw_no_data, frame, sanitise};
use super::{Chart, ChartError, subtitle};

/// Agents on duty per date (columns) and interval of the day (rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaffingHeatmap {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Agent pool name.
    pub pool: String,
    /// The dates (columns).
    pub dates: Vec<NaiveDate>,
    /// Minutes after midnight at which each interval starts (rows).
    pub slots: Vec<u32>,
    /// `[date][slot]` agents on duty; NaN: nobody (drawn grey).
    pub values: Vec<Vec<f64>>,
}

impl StaffingHeatmap {
    /// The chart of one pool's plan: `staffing` per horizon interval from
    /// `start`, `interval` seconds long; only the intervals of the day in
    /// which some date has agents are drawn.
    pub fn of_plan(
        scenario: &str,
        pool: &str,
        start: NaiveDate,
        interval: f64,
        staffing: &[u32],
    ) -> Self {
        let per_day = ((86_400.0 / interval).round() as usize).max(1);
        let days = staffing.len() / per_day;
        let used: Vec<usize> = (0..per_day)
            .filter(|&j| (0..days).any(|d| staffing[d * per_day + j] > 0))
            .collect();
        let slots = match (used.first(), used.last()) {
            (Some(&a), Some(&b)) => (a..=b).collect::<Vec<usize>>(),
            _ => Vec::new(),
        };
        let values = (0..days)
            .map(|d| {
                slots
                    .iter()
                    .map(|&j| match staffing[d * per_day + j] {
                        0 => f64::NAN,
                        n => f64::from(n),
                    })
                    .collect()
            })
            .collect();
        StaffingHeatmap {
            scenario: scenario.to_string(),
            pool: pool.to_string(),
            dates: (0..days)
                .filter_map(|d| start.checked_add_days(chrono::Days::new(d as u64)))
                .collect(),
            slots: slots
                .iter()
                .map(|&j| (j as f64 * interval / 60.0).round() as u32)
                .collect(),
            values,
        }
    }

    /// The most agents in a cell.
    fn most(&self) -> f64 {
        self.values
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    }
}

impl Chart for StaffingHeatmap {
    fn file_stem(&self) -> String {
        format!("staffing_{}", sanitise(&self.pool))
    }

    fn title(&self) -> String {
        format!("Staffing plan of pool {}", self.pool)
    }

    fn caption(&self) -> String {
        format!(
            "Agents of pool {} on duty (after shrinkage) per date and interval in the plan, \
             from dark (few) to yellow ({} agents); grey means nobody is on duty.",
            self.pool,
            self.most()
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "agents on duty");
        let hi = self.most();
        if self.dates.is_empty() || self.slots.is_empty() || hi <= 0.0 {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "Nobody is on duty in this plan");
        }
        let legend = [LegendItem::new(Marker::Fill(EMPTY_CELL), "nobody on duty")];
        let area = frame(root, title, &sub, &legend)?;
        let x_fmt = date_formatter(&area, &self.dates);
        let slot_label = |j: usize| {
            self.slots
                .get(j)
                .map_or(String::new(), |s| clock(f64::from(*s)))
        };
        let step = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0]
            .into_iter()
            .find(|s| hi / s <= 6.0)
            .unwrap_or(1000.0);
        let ticks: Vec<f64> = (0..)
            .map(|k| f64::from(k) * step)
            .take_while(|t| *t <= hi + 1e-9)
            .collect();
        let label = |v: f64| format!("{v:.0}");
        grid(
            &area,
            &Grid {
                columns: self.dates.len(),
                rows: self.slots.len(),
                value: &|d, j| self.values.get(d).map_or(f64::NAN, |day| at(day, j)),
                x: AxisSpec {
                    axis: date_axis(&area, &self.dates),
                    desc: "Date".to_string(),
                    format: &x_fmt,
                },
                row_label: &slot_label,
                y_desc: "Interval start",
                preferred_row: &|j| self.slots.get(j).is_some_and(|s| s % 60 == 0),
                rule_before: &|d| self.dates[d].weekday() == Weekday::Mon,
                text_room: (30.0, 17.0),
                scale: Scale {
                    lo: 0.0,
                    hi,
                    ticks,
                    label: &label,
                    head: "Agents",
                    cell: &label,
                },
            },
        )
    }
}
