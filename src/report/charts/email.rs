//! E-mail backlog at the end of each day (bars with P5–P95 whiskers, left
//! axis) and the share picked up within the SLA (line with its 95% CI band,
//! right axis 0–100%).

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::daily::{period_axis, period_formatter};
use super::figures::{band, date, drawn};
use super::periods::{self, Period};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, BAND_KEEP, BLACK, BLUISH_GREEN, Dash, LegendItem, Marker, REFERENCE, any_finite, at,
    count_label, draw_no_data, finite_range, frame, nice_up, percent_label, tint,
};
use super::{Band, Chart, ChartError, subtitle};
use crate::model::Channel;
use crate::stats::{Estimate, Level, Metric, RunResults, Scope};

/// The left axis has this many steps, so that the right axis' 0, 20, …,
/// 100 % ticks fall on its grid lines.
const STEPS: usize = 5;

/// E-mail backlog at the end of each day and the share handled within the SLA.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmailBacklog {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The days (x axis).
    pub dates: Vec<NaiveDate>,
    /// E-mails waiting at end of day: mean, band = P5–P95 (bars with
    /// whiskers, left axis).
    pub backlog: Band,
    /// Share of the day's e-mails picked up within the SLA, band = 95% CI
    /// (line, right axis 0–100%).
    pub within_sla: Band,
    /// The SLA in working days.
    pub sla_working_days: u32,
    /// Target share on `within_sla`.
    pub target: Option<f64>,
    /// What a bar stands for: a day, or a week or month of a long horizon
    /// ([`Period::of_horizon`]).
    pub period: Period,
}

impl EmailBacklog {
    /// The chart of a run with e-mail: per day, the backlog and the share
    /// handled within the SLA.
    pub fn of(results: &RunResults) -> Option<Self> {
        if !results.channels().contains(&Channel::Email) {
            return None;
        }
        // Figures that few replications define are left out (gaps).
        let email = |metric| -> Vec<Option<Estimate>> {
            (0..results.days.len() as u32)
                .map(move |d| {
                    results
                        .estimate(Level::Day(d), Scope::Channel(Channel::Email), metric)
                        .filter(|e| drawn(Some(e), results.run.replications).is_some())
                })
                .collect()
        };
        let period = Period::of_horizon(results.days.len());
        let mut dates: Vec<NaiveDate> = results.days.iter().filter_map(|d| date(&d.date)).collect();
        let mut backlog = band(email(Metric::Backlog).iter().map(Option::as_ref), true);
        let mut within_sla = band(
            email(Metric::Reachability).iter().map(Option::as_ref),
            false,
        );
        if period != Period::Day {
            let groups = periods::groups(&dates, period);
            let offered: Vec<f64> = (0..results.days.len() as u32)
                .map(|d| {
                    results
                        .mean(
                            Level::Day(d),
                            Scope::Channel(Channel::Email),
                            Metric::Offered,
                        )
                        .unwrap_or(f64::NAN)
                })
                .collect();
            backlog = periods::band(&backlog, None, &groups);
            within_sla = periods::band(&within_sla, Some(&offered), &groups);
            dates = groups.iter().map(|g| g.0).collect();
        }
        Some(EmailBacklog {
            scenario: results.scenario.name.clone(),
            dates,
            backlog,
            within_sla,
            period,
            sla_working_days: results
                .scenario
                .channel(Channel::Email)
                .and_then(|c| c.sla_working_days)
                .unwrap_or(2),
            target: results.scenario.reachability_target(Channel::Email),
        })
    }
}

impl Chart for EmailBacklog {
    fn file_stem(&self) -> String {
        "email_backlog".to_string()
    }

    fn title(&self) -> String {
        "E-mail backlog and SLA".to_string()
    }

    fn caption(&self) -> String {
        if self.period != Period::Day {
            return format!(
                "E-mails still waiting at the end of the day, mean of the {p}'s days (bars, \
                 whiskers from its lowest to its highest day, left axis), and the share of its \
                 e-mails picked up within the SLA (line: its days weighted by their e-mails, band \
                 from its lowest to its highest day, right axis). The horizon is too long for a \
                 bar per day: days.csv has every day.",
                p = self.period.name()
            );
        }
        format!(
            "E-mails still waiting at the end of each day (bars: mean, whiskers: 5th to 95th \
             percentile, left axis) and the share of each day's e-mails picked up within the \
             SLA of {} (line with 95% confidence band, right axis; left blank on days that \
             fewer than half of the replications define).",
            match self.sla_working_days {
                0 => "the same working day".to_string(),
                1 => "1 working day".to_string(),
                d => format!("{d} working days"),
            }
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sla = match self.sla_working_days {
            0 => "SLA: same working day".to_string(),
            1 => "SLA: 1 working day".to_string(),
            d => format!("SLA: {d} working days"),
        };
        let sub = subtitle(&self.scenario, &sla);
        let n = self.dates.len();
        let has_data =
            n > 0 && (any_finite(&self.backlog.mean) || any_finite(&self.within_sla.mean));
        if !has_data {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No e-mail backlog to show");
        }
        // A week's or month's whiskers and band span its lowest and highest day.
        let (backlog, within) = match self.period {
            Period::Day => (
                "backlog at end of day (mean, P5–P95)",
                "picked up within SLA (95% CI, right axis)",
            ),
            _ => (
                "backlog at end of day (mean of days, lowest–highest day)",
                "picked up within SLA (lowest–highest day, right axis)",
            ),
        };
        let mut legend = vec![
            LegendItem::new(Marker::BarWithWhisker(tint(BLUISH_GREEN, 0.55)), backlog),
            LegendItem::new(Marker::LineOnBand(BLACK), within),
        ];
        legend.extend(plot::target_legend(self.target));
        let area = frame(root, title, &sub, &legend)?;

        let shown = |v: &[f64]| -> Vec<f64> { (0..n).map(|i| at(v, i)).collect() };
        let (mean, low, high) = (
            shown(&self.backlog.mean),
            shown(&self.backlog.low),
            shown(&self.backlog.high),
        );
        let top = finite_range(mean.iter().chain(&high)).map_or(1.0, |(_, hi)| hi.max(1.0));
        let step = nice_up(top * 1.05 / STEPS as f64);
        let left_hi = step * STEPS as f64;
        let left = Axis::new(0.0, left_hi, (0..=STEPS).map(|k| k as f64 * step).collect());
        let to_left = |share: f64| share * left_hi;

        let x_fmt = period_formatter(&area, &self.dates, self.period);
        let y_fmt = |v: &f64| count_label(*v);
        let room = plot::right_room(&area, "100%");
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: period_axis(&area, &self.dates, self.period),
                desc: "Date".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: left,
                desc: "E-mails waiting at end of day".to_string(),
                format: &y_fmt,
            },
            Room {
                right: room,
                ..Room::default()
            },
        )?;

        // Bars and whiskers.
        let bar = tint(BLUISH_GREEN, 0.55);
        plot::bars_with_whiskers(&mut chart, &mean, &low, &high, bar)?;

        // The SLA share on the right axis.
        let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let scaled = |v: &[f64]| -> Vec<f64> { (0..n).map(|i| to_left(at(v, i))).collect() };
        let within = &self.within_sla;
        plot::band(
            &mut chart,
            &xs,
            &scaled(&within.low),
            &scaled(&within.high),
            BLACK,
            BAND_KEEP,
        )?;
        plot::line(
            &mut chart,
            &xs,
            &scaled(&within.mean),
            BLACK,
            3,
            Dash::Solid,
        )?;
        plot::dots(
            &mut chart,
            &xs,
            &scaled(&within.mean),
            BLACK,
            if n <= 31 { 4 } else { 2 },
        )?;
        if let Some(target) = self.target {
            plot::reference_line(&mut chart, to_left(target.clamp(0.0, 1.0)), REFERENCE)?;
        }
        let ticks: Vec<(f64, String)> = (0..=STEPS)
            .map(|k| {
                let share = k as f64 / STEPS as f64;
                (to_left(share), percent_label(share))
            })
            .collect();
        plot::right_axis(&chart, &area, &ticks, "Picked up within SLA (%)")?;
        Ok(())
    }
}
