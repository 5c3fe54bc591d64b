//! A figure of the front desk as a heatmap: a row per weekday (Monday on
//! top), a column per clock hour, grey where the desk is closed. The
//! figure is the visitors' mean wait, or the utilisation of a pool of desks.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::figures::mean;
use super::heatmap::{CELL_TEXT, Grid, Scale, grid, occupancy_scale};
use super::plot::AxisSpec;
use super::style::{
    Axis, EMPTY_CELL, INK, LegendItem, MUTED, Marker, TICK_SIZE, at, clock, count_axis,
    count_label, draw_no_data, frame, sanitise, text, text_width, weekday_label,
};
use super::{Chart, ChartError, subtitle};
use crate::model::Channel;
use crate::stats::{Level, Metric, RunResults, Scope};

/// A figure of the front desk as a heatmap: weekdays (rows, in the order
/// given) × clock hours (columns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekdayHourHeatmap {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// What the cells hold.
    pub figure: WeekdayHourFigure,
    /// The weekdays, `"mon"` … `"sun"` (rows, the first on top).
    pub weekdays: Vec<String>,
    /// The clock hours 0..23 (columns).
    pub hours: Vec<u32>,
    /// `[weekday][hour]` values; NaN = closed, or no value (drawn grey).
    pub values: Vec<Vec<f64>>,
}

/// What a [`WeekdayHourHeatmap`] shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum WeekdayHourFigure {
    /// Mean wait of the visitors who checked in during the hour, from
    /// check-in to the call to a desk, in seconds (drawn in minutes).
    #[default]
    Wait,
    /// Occupancy 0..1 of a pool that serves visits (the desks).
    Utilisation {
        /// The pool.
        pool: String,
    },
}

impl WeekdayHourHeatmap {
    /// The charts of a run with a front desk: the visitors' wait, then the
    /// utilisation of each pool that serves visits.
    pub fn of(results: &RunResults) -> Vec<Self> {
        if results.weekdays.is_empty() {
            return Vec::new();
        }
        let pools = results
            .visit_pools()
            .into_iter()
            .map(|pool| WeekdayHourFigure::Utilisation {
                pool: results.names.pools[pool].clone(),
            });
        std::iter::once(WeekdayHourFigure::Wait)
            .chain(pools)
            .map(|figure| Self::of_figure(results, figure))
            .collect()
    }

    /// `figure` per weekday and clock hour; NaN in the hours in which the
    /// counter is closed on a weekday.
    fn of_figure(results: &RunResults, figure: WeekdayHourFigure) -> Self {
        let mut hours: Vec<u32> = results
            .weekdays
            .iter()
            .flat_map(|w| w.hours.iter().map(|&h| u32::from(h)))
            .collect();
        hours.sort_unstable();
        hours.dedup();
        let pick = |level: Level| match &figure {
            WeekdayHourFigure::Wait => {
                results.get(level, Scope::Channel(Channel::Visit), Metric::Asa)
            }
            WeekdayHourFigure::Utilisation { pool } => results
                .pool(pool)
                .and_then(|p| results.get(level, Scope::Pool(p), Metric::Occupancy)),
        };
        let values = results
            .weekdays
            .iter()
            .map(|w| {
                let mut row = vec![f64::NAN; hours.len()];
                for &h in &w.hours {
                    if let Ok(i) = hours.binary_search(&u32::from(h)) {
                        row[i] = mean(pick(Level::WeekdayHour(w.weekday.index() as u8, h)));
                    }
                }
                row
            })
            .collect();
        WeekdayHourHeatmap {
            scenario: results.scenario.name.clone(),
            weekdays: results
                .weekdays
                .iter()
                .map(|w| w.weekday.name().to_string())
                .collect(),
            hours,
            values,
            figure,
        }
    }
}

impl Chart for WeekdayHourHeatmap {
    fn file_stem(&self) -> String {
        match &self.figure {
            WeekdayHourFigure::Wait => "wait_by_weekday_hour".to_string(),
            WeekdayHourFigure::Utilisation { pool } => {
                format!("desk_utilisation_{}", sanitise(pool))
            }
        }
    }

    fn title(&self) -> String {
        match &self.figure {
            WeekdayHourFigure::Wait => "Mean wait of visitors by weekday and hour".to_string(),
            WeekdayHourFigure::Utilisation { pool } => {
                format!("Desk utilisation by weekday and hour: pool {pool}")
            }
        }
    }

    fn caption(&self) -> String {
        match &self.figure {
            WeekdayHourFigure::Wait => {
                "Mean wait in minutes from check-in at the kiosk to the call to a desk of the \
                 visitors who checked in during each clock hour, per weekday over the \
                 horizon: dark is short, yellow is long, grey means closed or no visitors."
                    .to_string()
            }
            WeekdayHourFigure::Utilisation { pool } => format!(
                "Share of on-duty time that pool {pool} spent serving, per weekday and clock \
                 hour over the horizon, in percent: dark is idle, yellow is fully busy, grey \
                 means closed or nobody on duty."
            ),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let wait = matches!(self.figure, WeekdayHourFigure::Wait);
        let (note, empty, no_data) = self.wording();
        let sub = subtitle(&self.scenario, note);
        // Waits are drawn in minutes.
        let unit = if wait { 60.0 } else { 1.0 };
        let value =
            |h: usize, w: usize| self.values.get(w).map_or(f64::NAN, |day| at(day, h)) / unit;
        let (columns, rows) = (self.hours.len(), self.weekdays.len());
        let has_data = columns > 0
            && rows > 0
            && (0..rows).any(|w| (0..columns).any(|h| value(h, w).is_finite()));
        if !has_data {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, no_data);
        }
        let legend = [LegendItem::new(Marker::Fill(EMPTY_CELL), empty)];
        let area = frame(root, title, &sub, &legend)?;

        let x_axis = hour_axis(&area, columns);
        let x_fmt = |v: &f64| {
            if *v < 0.0 {
                return String::new();
            }
            self.hours
                .get(v.round() as usize)
                .map_or(String::new(), |x| clock(f64::from(*x) * 60.0))
        };
        let weekday = |w: usize| {
            self.weekdays
                .get(w)
                .map_or(String::new(), |d| weekday_label(d))
        };

        // At least a minute, so that short waits do not look long.
        let finite = || {
            (0..rows)
                .flat_map(|w| (0..columns).map(move |h| (h, w)))
                .map(|(h, w)| value(h, w))
                .filter(|v| v.is_finite())
        };
        let minutes_axis = count_axis(finite().fold(1.0, f64::max), 4, 1.0);
        let tenths = |v: f64| format!("{v:.1}");
        let scale = if wait {
            Scale {
                lo: 0.0,
                hi: minutes_axis.hi(),
                ticks: minutes_axis.ticks().to_vec(),
                label: &count_label,
                head: "Minutes",
                cell: &tenths,
            }
        } else {
            occupancy_scale()
        };
        let widest = finite()
            .map(|v| text_width(&area, &(scale.cell)(v), &text(CELL_TEXT, INK)))
            .max()
            .unwrap_or(0);
        grid(
            &area,
            &Grid {
                columns,
                rows,
                value: &value,
                x: AxisSpec {
                    axis: x_axis,
                    desc: "Clock hour".to_string(),
                    format: &x_fmt,
                },
                row_label: &weekday,
                y_desc: "Weekday",
                preferred_row: &|_| true,
                rule_before: &|_| true,
                text_room: (f64::from(widest) + 8.0, 17.0),
                scale,
            },
        )
    }
}

impl WeekdayHourHeatmap {
    /// The note under the title, the legend's name of a grey cell, and what
    /// to say when there is nothing to draw.
    fn wording(&self) -> (&'static str, &'static str, &'static str) {
        match self.figure {
            WeekdayHourFigure::Wait => (
                "mean of replications, minutes from check-in to the call to a desk",
                "closed or no visitors",
                "No waits of visitors to show",
            ),
            WeekdayHourFigure::Utilisation { .. } => (
                "mean of replications",
                "closed or nobody on duty",
                "No utilisation to show for this pool",
            ),
        }
    }
}

/// The clock-hour axis of `columns` hours: a label on every column when they
/// fit, else on every other one or fewer.
fn hour_axis<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, columns: usize) -> Axis {
    let tick = text(TICK_SIZE, MUTED);
    let label_px = f64::from(text_width(area, "00:00", &tick)) + 12.0;
    let column_px = f64::from(area.dim_in_pixel().0) * 0.8 / columns as f64;
    let every = (label_px / column_px).ceil().max(1.0) as usize;
    Axis::new(
        -0.5,
        columns as f64 - 0.5,
        (0..columns).step_by(every).map(|h| h as f64).collect(),
    )
}
