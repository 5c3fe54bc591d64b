//! The occupancy of a pool as a heatmap: a column per day (per week or
//! month of a long horizon), a row per interval of the day, grey where
//! nobody was on duty.

use chrono::{Datelike, NaiveDate, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::daily::{period_axis, period_formatter};
use super::figures::{date, mean, minutes};
use super::heatmap::{Grid, grid, occupancy_range, occupancy_range_scale};
use super::periods::{self, Period};
use super::plot::AxisSpec;
use super::style::{
    EMPTY_CELL, LegendItem, Marker, at, clock, draw_no_data, frame, percent_label, sanitise,
};
use super::{Chart, ChartError, subtitle};
use crate::stats::{Level, Metric, RunResults, Scope};

/// Pool occupancy as a heatmap: days (columns) × interval of the day (rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OccupancyHeatmap {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// Agent pool name.
    pub pool: String,
    /// The days (columns).
    pub dates: Vec<NaiveDate>,
    /// Minutes after midnight at which each interval starts (rows).
    pub slots: Vec<u32>,
    /// `[day][slot]` occupancy 0..1; NaN = nobody on duty (drawn grey).
    pub values: Vec<Vec<f64>>,
    /// What a column stands for: a day, or a week or month of a long
    /// horizon (the mean of its days, [`Period::of_horizon`]).
    pub period: Period,
}

impl OccupancyHeatmap {
    /// One chart per pool of the run.
    pub fn of(results: &RunResults) -> Vec<Self> {
        results
            .pools()
            .into_iter()
            .map(|pool| Self::of_pool(results, pool))
            .collect()
    }

    /// The occupancy of pool `pool` (an index of the results' pools) per
    /// day and interval.
    fn of_pool(results: &RunResults, pool: usize) -> Self {
        let slots: Vec<u32> = results
            .time_of_day
            .iter()
            .filter_map(|t| minutes(&t.start))
            .collect();
        let mut values = vec![vec![f64::NAN; slots.len()]; results.days.len()];
        for i in &results.intervals {
            let Some(m) = minutes(&i.start) else {
                continue;
            };
            if let Ok(s) = slots.binary_search(&m) {
                values[i.day as usize][s] = mean(
                    results
                        .estimate(
                            Level::Interval(i.index),
                            Scope::Pool(pool),
                            Metric::Occupancy,
                        )
                        .as_ref(),
                );
            }
        }
        let period = Period::of_horizon(results.days.len());
        let mut dates: Vec<NaiveDate> = results.days.iter().filter_map(|d| date(&d.date)).collect();
        if period != Period::Day {
            let groups = periods::groups(&dates, period);
            values = periods::rows(&values, &groups);
            dates = groups.iter().map(|g| g.0).collect();
        }
        OccupancyHeatmap {
            scenario: results.scenario.name.clone(),
            pool: results.names.pools[pool].clone(),
            dates,
            slots,
            values,
            period,
        }
    }
}

impl OccupancyHeatmap {
    /// The range of the colour scale: the data's, in whole 5% steps.
    fn range(&self) -> Option<(f64, f64)> {
        occupancy_range(self.values.iter().flatten().copied())
    }
}

impl Chart for OccupancyHeatmap {
    fn file_stem(&self) -> String {
        format!("occupancy_{}", sanitise(&self.pool))
    }

    fn title(&self) -> String {
        format!("Occupancy of pool {}", self.pool)
    }

    fn caption(&self) -> String {
        let (lo, hi) = self.range().unwrap_or((0.0, 1.0));
        format!(
            "Share of on-duty time that the agents of pool {} spent handling contacts, per \
             {} and interval, on a colour scale fitted to this pool: dark is {} or less, \
             yellow is {}; grey means nobody was on duty.{}",
            self.pool,
            match self.period {
                Period::Day => "day",
                Period::Week => "week (the mean of its days)",
                Period::Month => "month (the mean of its days)",
            },
            percent_label(lo),
            percent_label(hi),
            match self.period {
                Period::Day => "",
                _ =>
                    " The horizon is too long for a column per day: intervals.csv has every interval.",
            }
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "mean of replications");
        let has_data = !self.dates.is_empty()
            && !self.slots.is_empty()
            && self
                .values
                .iter()
                .any(|day| day.iter().any(|v| v.is_finite()));
        if !has_data {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No occupancy to show for this pool");
        }
        let Some(range) = self.range() else {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No occupancy to show for this pool");
        };
        let legend = [LegendItem::new(Marker::Fill(EMPTY_CELL), "nobody on duty")];
        let area = frame(root, title, &sub, &legend)?;
        let x_fmt = period_formatter(&area, &self.dates, self.period);
        let slot_label = |j: usize| {
            self.slots
                .get(j)
                .map_or(String::new(), |s| clock(f64::from(*s)))
        };
        grid(
            &area,
            &Grid {
                columns: self.dates.len(),
                rows: self.slots.len(),
                value: &|d, j| self.values.get(d).map_or(f64::NAN, |day| at(day, j)),
                x: AxisSpec {
                    axis: period_axis(&area, &self.dates, self.period),
                    desc: "Date".to_string(),
                    format: &x_fmt,
                },
                row_label: &slot_label,
                y_desc: "Interval start",
                // With a label on every other row, prefer the rows on full hours.
                preferred_row: &|j| self.slots.get(j).is_some_and(|s| s % 60 == 0),
                // Before Mondays, so weeks stand out in a quarter; before
                // months or years when a column is a week or a month.
                rule_before: &|d| match self.period {
                    Period::Day => self.dates[d].weekday() == Weekday::Mon,
                    Period::Week => self.dates[d].day() <= 7,
                    Period::Month => self.dates[d].month() == 1,
                },
                text_room: (46.0, 17.0),
                scale: occupancy_range_scale(range),
            },
        )
    }
}
