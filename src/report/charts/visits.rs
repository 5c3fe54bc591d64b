//! The front desk's week: the share of the visits that fall on each weekday,
//! bars with the 95% CI as whiskers and the share written above each bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures::band;
use super::plot::{self, AxisSpec, Room};
use super::style::{
    Axis, INK, LegendItem, Marker, TICK_SIZE, any_finite, at, channel_color, count_axis,
    draw_no_data, finite_range, frame, percent_label, text, weekday_label,
};
use super::{Band, Chart, ChartError, subtitle};
use crate::model::Channel;
use crate::stats::{Metric, RunResults, Scope};

/// The share of the horizon's visits that fall on each weekday.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitsByWeekday {
    /// Scenario name, shown under the title.
    pub scenario: String,
    /// The weekdays, `"mon"` … `"sun"` (x axis).
    pub weekdays: Vec<String>,
    /// Share 0..1 of the visits per weekday, band = 95% CI (bars with whiskers).
    pub share: Band,
}

impl VisitsByWeekday {
    /// The chart of a run with a front desk: the share of the visits per
    /// weekday, from the weekday figures.
    pub fn of(results: &RunResults) -> Option<Self> {
        if results.weekdays.is_empty() {
            return None;
        }
        Some(VisitsByWeekday {
            scenario: results.scenario.name.clone(),
            weekdays: results
                .weekdays
                .iter()
                .map(|w| w.weekday.name().to_string())
                .collect(),
            share: band(
                results.weekdays.iter().map(|w| {
                    results.get(
                        w.level(),
                        Scope::Channel(Channel::Visit),
                        Metric::VisitShare,
                    )
                }),
                false,
            ),
        })
    }
}

impl Chart for VisitsByWeekday {
    fn file_stem(&self) -> String {
        "visits_by_weekday".to_string()
    }

    fn title(&self) -> String {
        "Visits by weekday".to_string()
    }

    fn caption(&self) -> String {
        "Share of the horizon's visitors who came on each weekday (bars, written above \
         them) with the 95% confidence interval as whiskers; the shares add up to 100%, \
         and a weekday with fewer opening days in the horizon gets a smaller share."
            .to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let title = &self.title();
        let sub = subtitle(&self.scenario, "mean of replications, whiskers: 95% CI");
        let n = self.weekdays.len();
        if n == 0 || !any_finite(&self.share.mean) {
            let area = frame(root, title, &sub, &[])?;
            return draw_no_data(&area, "No visits by weekday to show");
        }
        let color = channel_color("visit");
        let legend = [LegendItem::new(
            Marker::BarWithWhisker(color),
            "share of the visits (mean, 95% CI)",
        )];
        let area = frame(root, title, &sub, &legend)?;

        let shown = |v: &[f64]| -> Vec<f64> { (0..n).map(|i| at(v, i)).collect() };
        let (mean, low, high) = (
            shown(&self.share.mean),
            shown(&self.share.low),
            shown(&self.share.high),
        );
        // Room above the highest whisker for the labels.
        let top = finite_range(mean.iter().chain(&high)).map_or(1.0, |(_, hi)| hi.min(1.0));
        let y_axis = count_axis(top, 5, 1.15);
        let x_axis = Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect());
        let x_fmt = |v: &f64| {
            if *v < 0.0 {
                return String::new();
            }
            self.weekdays
                .get(v.round() as usize)
                .map_or(String::new(), |d| weekday_label(d))
        };
        let y_fmt = |v: &f64| percent_label(*v);
        let mut chart = plot::build(
            &area,
            &AxisSpec {
                axis: x_axis,
                desc: "Weekday".to_string(),
                format: &x_fmt,
            },
            &AxisSpec {
                axis: y_axis,
                desc: "Share of the visits (%)".to_string(),
                format: &y_fmt,
            },
            Room::default(),
        )?;
        plot::bars_with_whiskers(&mut chart, &mean, &low, &high, color)?;
        let screen = plot::screen(&chart);
        let style = text(TICK_SIZE, INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        for (i, m) in mean.iter().enumerate().filter(|(_, m)| m.is_finite()) {
            let above = if high[i].is_finite() { high[i] } else { *m };
            let (x, y) = plot::px(&chart, (i as f64, above));
            let share = *m * 100.0;
            screen.draw_text(&format!("{share:.1}%"), &style, (x, y - 6))?;
        }
        Ok(())
    }
}
