//! Reachability per day over the horizon: a line per series (total first)
//! with the P5–P95 fan of replications, gaps on days without contacts.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::figures::{band, date, drawn, reachability_target};
use super::periods::{self, Period};
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, LegendItem, Marker, REFERENCE, TICK_SIZE, any_finite, channel_color, channel_name,
    day_label, draw_no_data, finite_range, frame, percent_axis, percent_label, short_day_label,
    text, text_width,
};
use super::{Chart, ChartError, subtitle};
use crate::model::Channel;
use crate::stats::{Estimate, Level, Metric, RunResults, Scope};

/// Share of a series colour kept in its fan: light, because the fans of
/// several series overlap, and a fan as wide as the axis (e-mails in a
/// backlog) must not hide the lines over it.
const FAN_KEEP: f64 = 0.10;

/// Daily reachability over the horizon with the P5–P95 fan of replications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailyReachability {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The days (x axis).
    pub dates: Vec<NaiveDate>,
    /// "total" first, then channels.
    pub series: Vec<DailySeries>,
    /// Target share 0..1.
    pub target: Option<f64>,
    /// What a point stands for: a day, or a week or month of a long
    /// horizon ([`Period::of_horizon`]).
    pub period: Period,
}

/// One line of [`DailyReachability`]. NaN on days without contacts
/// (weekends): gaps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailySeries {
    /// `"total"` or a channel name.
    pub label: String,
    /// Mean over replications.
    pub mean: Vec<f64>,
    /// 5th percentile over replications.
    pub p5: Vec<f64>,
    /// 95th percentile over replications.
    pub p95: Vec<f64>,
}

impl DailyReachability {
    /// The chart of a run with calls, chats or e-mails: the total (when
    /// there are several channels) and each channel's reachability per day.
    /// Visits are left out: nearly every visitor who checks in is served.
    pub fn of(results: &RunResults) -> Option<Self> {
        let channels: Vec<Channel> = results
            .channels()
            .into_iter()
            .filter(|&c| c != Channel::Visit)
            .collect();
        if channels.is_empty() {
            return None;
        }
        let r = results.run.replications;
        let reach = |d: u32, scope| results.estimate(Level::Day(d), scope, Metric::Reachability);
        // A day is the calls' and chats' when one of them has a figure; on
        // the others (weekends with e-mails only) the total would be the
        // e-mails' alone, a saw-tooth to 100%: it is left out there.
        let live = results.live_channels();
        let has_live = |d: u32| {
            live.iter()
                .any(|&c| reach(d, Scope::Channel(c)).is_some_and(|e| e.mean.is_some()))
        };
        let period = Period::of_horizon(results.days.len());
        let dates: Vec<NaiveDate> = results.days.iter().filter_map(|d| date(&d.date)).collect();
        let groups = periods::groups(&dates, period);
        let series_of = |label: &str, scope: Scope| {
            let days: Vec<Option<Estimate>> = (0..results.days.len() as u32)
                .map(|d| {
                    let shown = scope != Scope::Total || live.is_empty() || has_live(d);
                    // Figures that few replications define are left out too.
                    reach(d, scope).filter(|e| shown && drawn(Some(e), r).is_some())
                })
                .collect();
            let mut b = band(days.iter().map(Option::as_ref), true);
            if period != Period::Day {
                // A period's reachability: its days' weighted by their contacts.
                let offered: Vec<f64> = (0..results.days.len() as u32)
                    .map(|d| {
                        results
                            .mean(Level::Day(d), scope, Metric::Offered)
                            .unwrap_or(f64::NAN)
                    })
                    .collect();
                b = periods::band(&b, Some(&offered), &groups);
            }
            DailySeries {
                label: label.to_string(),
                mean: b.mean,
                p5: b.low,
                p95: b.high,
            }
        };
        let mut series = Vec::new();
        if channels.len() > 1 {
            series.push(series_of("total", Scope::Total));
        }
        for &c in &channels {
            series.push(series_of(c.name(), Scope::Channel(c)));
        }
        Some(DailyReachability {
            scenario: results.scenario.name.clone(),
            dates: match period {
                Period::Day => dates,
                _ => groups.iter().map(|g| g.0).collect(),
            },
            series,
            target: reachability_target(results, &channels),
            period,
        })
    }
}

impl Chart for DailyReachability {
    fn file_stem(&self) -> String {
        "daily_reachability".to_string()
    }

    fn title(&self) -> String {
        format!("Reachability per {}", self.period.name())
    }

    fn caption(&self) -> String {
        if self.period != Period::Day {
            return format!(
                "Reachability per {p}: the mean over replications of each day, averaged over the \
                 {p}'s days weighted by their contacts offered, with a band from the {p}'s lowest \
                 to its highest day; {p}s without contacts are left blank, and so are days that \
                 fewer than half of the replications define. The horizon is too long for a point \
                 per day: days.csv has every day.",
                p = self.period.name()
            );
        }
        "Reachability per day, mean over replications, with a band from the 5th to \
         the 95th percentile of replications; days without contacts are left blank, \
         and so are the total on days with e-mails only and figures that fewer than half \
         of the replications define; a band reaching below the target means the target \
         is missed in some runs."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let band = match self.period {
            Period::Day => "mean of replications, band: P5–P95",
            _ => "mean of replications, band: lowest to highest day",
        };
        let sub = subtitle(&self.scenario, band);
        let has_data = !self.dates.is_empty() && self.series.iter().any(|s| any_finite(&s.mean));
        if !has_data {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No daily reachability to show");
        }
        let mut legend: Vec<LegendItem> = self
            .series
            .iter()
            .map(|s| {
                LegendItem::new(
                    Marker::LineOnBand(channel_color(&s.label)),
                    channel_name(&s.label),
                )
            })
            .collect();
        legend.extend(plot::target_legend(self.target));
        let area = frame(root, title, &sub, &legend)?;

        let n = self.dates.len();
        let x_axis = period_axis(&area, &self.dates, self.period);
        let all = self.series.iter().flat_map(|s| s.mean.iter().chain(&s.p5));
        let y_axis = percent_axis(finite_range(all).map(|(lo, _)| lo), self.target);

        let x_fmt = period_formatter(&area, &self.dates, self.period);
        let y_fmt = |v: &f64| percent_label(*v);
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: x_axis,
                desc: "Date".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y_axis,
                desc: "Reachability (%)".to_string(),
                format: &y_fmt,
            },
            Room::default(),
        )?;

        let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
        // Fans first, lines over them, the first series (total) on top.
        for s in self.series.iter().rev() {
            plot::band(
                &mut chart,
                &xs,
                &s.p5,
                &s.p95,
                channel_color(&s.label),
                FAN_KEEP,
            )?;
        }
        let radius = if n <= 31 { 4 } else { 2 };
        for (k, s) in self.series.iter().enumerate().rev() {
            let color = channel_color(&s.label);
            let width = if k == 0 { 3 } else { 2 };
            // A white casing keeps the line readable over the fans.
            plot::line(
                &mut chart,
                &xs,
                &s.mean,
                WHITE,
                width + 3,
                super::style::Dash::Solid,
            )?;
            plot::line(
                &mut chart,
                &xs,
                &s.mean,
                color,
                width,
                super::style::Dash::Solid,
            )?;
            plot::dots(&mut chart, &xs, &s.mean, color, radius)?;
        }
        if let Some(target) = self.target {
            plot::reference_line(&mut chart, target, REFERENCE)?;
        }
        Ok(())
    }
}

/// Estimated width of the plot in `area`, for choosing date ticks before the
/// plot exists (the y labels of a percent axis take about 110 px).
fn plot_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> f64 {
    f64::from(area.dim_in_pixel().0) - 150.0
}

/// An x axis of day indices, a day's value at its index, with ticks on every
/// day or on Mondays when the labels would not fit.
pub(super) fn date_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[NaiveDate],
) -> Axis {
    period_axis(area, dates, Period::Day)
}

fn ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[NaiveDate],
) -> (Vec<usize>, bool) {
    let label_px = f64::from(text_width(area, "Wed 30 Sep", &text(TICK_SIZE, REFERENCE)));
    let per_day = plot_width(area) / dates.len().max(1) as f64;
    super::style::date_ticks(dates, per_day, label_px)
}

/// The x axis of a chart whose points are `period`s starting on `dates`:
/// [`date_axis`] for days, ticks on months or years for weeks and months.
pub(super) fn period_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[NaiveDate],
    period: Period,
) -> Axis {
    let (ticks, _) = match period {
        Period::Day => ticks(area, dates),
        _ => period_ticks(area, dates),
    };
    let n = dates.len() as f64;
    Axis::new(-0.5, n - 0.5, ticks.into_iter().map(|i| i as f64).collect())
}

fn period_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &[NaiveDate],
) -> (Vec<usize>, bool) {
    let label_px = f64::from(text_width(area, "Sep 2030", &text(TICK_SIZE, REFERENCE)));
    let per_point = plot_width(area) / dates.len().max(1) as f64;
    periods::month_ticks(dates, per_point, label_px)
}

/// Tick labels for [`period_axis`]: [`date_formatter`]'s for days, "Jun
/// 2021" or "2021" for weeks and months.
pub(super) fn period_formatter<'d, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &'d [NaiveDate],
    period: Period,
) -> Box<dyn Fn(&f64) -> String + 'd> {
    if period == Period::Day {
        return Box::new(date_formatter(area, dates));
    }
    let (_, years) = period_ticks(area, dates);
    Box::new(move |v: &f64| {
        let i = v.round();
        match dates.get(i as usize).filter(|_| i >= 0.0) {
            Some(d) => periods::month_label(*d, years),
            None => String::new(),
        }
    })
}

/// Tick labels for [`date_axis`]: "Mon 7 Jun" when every day has a tick,
/// "7 Jun" on weekly ticks.
pub(super) fn date_formatter<'d, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    dates: &'d [NaiveDate],
) -> impl Fn(&f64) -> String + 'd {
    let (_, short) = ticks(area, dates);
    move |v: &f64| {
        let i = v.round();
        if i < 0.0 {
            return String::new();
        }
        match dates.get(i as usize) {
            Some(d) if short => short_day_label(*d),
            Some(d) => day_label(*d),
            None => String::new(),
        }
    }
}
