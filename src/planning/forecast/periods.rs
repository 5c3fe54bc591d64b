//! The theme's own figures in the three cases: contacts, handled hours and
//! cost per channel and in total, over the horizon, per ISO week and per
//! calendar month from the theme's start.

use chrono::NaiveDate;
use indexmap::IndexMap;

use crate::model::{Calendar, Channel, Model};
use crate::montecarlo::RunResult;
use crate::stats::{Estimate, Level, Metric, Scope};

use super::figures::Figures;
use super::{BandFigure, Input, PeriodFigures};

/// The runs of the three cases, read for the theme's own figures.
pub(super) struct ThemeFigures<'a> {
    input: &'a Input<'a>,
    /// Per case (low, likely, high).
    figures: Vec<Figures<'a>>,
    /// The theme's channels, in the theme file's order.
    channels: Vec<Channel>,
}

impl<'a> ThemeFigures<'a> {
    /// Reads the runs of the variants (low, likely, high).
    pub(super) fn new(input: &'a Input<'a>, runs: &'a [RunResult]) -> Self {
        ThemeFigures {
            input,
            figures: runs.iter().map(Figures::new).collect(),
            channels: input
                .theme
                .volumes
                .iter()
                .filter_map(|v| Channel::from_name(&v.channel))
                .collect(),
        }
    }

    /// The theme's index in a variant's model.
    fn theme_index(&self, m: &Model) -> usize {
        m.themes
            .iter()
            .position(|t| t.name == self.input.theme.name)
            .unwrap_or(0)
    }

    /// Contacts, handled hours and cost per channel and in total over a set
    /// of days (or the horizon).
    pub(super) fn over(&self, levels: &[Level]) -> Vec<BandFigure> {
        let mut out = Vec::new();
        for (metric, name) in [
            (Metric::Offered, "contacts"),
            (Metric::HandledHours, "handled_hours"),
            (Metric::Cost, "cost"),
        ] {
            for c in self.channels.iter().copied().map(Some).chain([None]) {
                let scopes: Vec<Channel> = match c {
                    Some(c) => vec![c],
                    None => self.channels.clone(),
                };
                let est: Vec<Estimate> = self
                    .figures
                    .iter()
                    .zip(self.input.variants)
                    .map(|(f, v)| {
                        let t = self.theme_index(&v.model);
                        let entries: Vec<usize> = levels
                            .iter()
                            .flat_map(|&l| {
                                scopes
                                    .iter()
                                    .filter_map(move |&ch| f.get(l, Scope::Theme(t, ch), metric))
                            })
                            .collect();
                        Estimate::from_values(&f.sum(&entries))
                    })
                    .collect();
                out.push(BandFigure {
                    channel: c.map_or("total", |c| c.name()).to_string(),
                    metric: name.to_string(),
                    low: est[0],
                    likely: est[1],
                    high: est[2],
                });
            }
        }
        out
    }

    /// The figures per period of the active days, each period named by `label`.
    pub(super) fn periods(
        &self,
        cal: &Calendar,
        active: &[u32],
        label: &dyn Fn(NaiveDate) -> String,
    ) -> Vec<PeriodFigures> {
        let mut groups: IndexMap<String, Vec<u32>> = IndexMap::new();
        for &d in active {
            groups.entry(label(cal.date(d))).or_default().push(d);
        }
        groups
            .into_iter()
            .map(|(period, days)| {
                let levels: Vec<Level> = days.iter().map(|&d| Level::Day(d)).collect();
                PeriodFigures {
                    period,
                    first_day: cal.date(days[0]).to_string(),
                    last_day: cal.date(*days.last().unwrap_or(&days[0])).to_string(),
                    days: days.len() as u32,
                    figures: self.over(&levels),
                }
            })
            .collect()
    }
}
