//! The period a chart of days is drawn by: every day for a horizon of up to
//! a year, weeks up to ten years, months beyond. A century of days is
//! 36,500 points or heatmap columns, more than a page can draw legibly (an
//! 87 MB `report.html`); the files of the run (`days.csv`, `intervals.csv`,
//! `summary.json`) keep every day and interval whatever the horizon.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::Band;

/// Horizons of more days than this are drawn by week.
pub const WEEKS_AFTER_DAYS: usize = 366;
/// Horizons of more days than this (ten years) are drawn by month.
pub const MONTHS_AFTER_DAYS: usize = 3_660;

/// What one point or column of a chart of days stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    /// One day.
    #[default]
    Day,
    /// A calendar week, Monday to Sunday (the first and last may be cut
    /// by the horizon).
    Week,
    /// A calendar month (the first and last may be cut by the horizon).
    Month,
}

impl Period {
    /// The period of a horizon of `days` days.
    pub fn of_horizon(days: usize) -> Period {
        match days {
            d if d > MONTHS_AFTER_DAYS => Period::Month,
            d if d > WEEKS_AFTER_DAYS => Period::Week,
            _ => Period::Day,
        }
    }

    /// `day`, `week` or `month`.
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// Why the charts of a horizon of `days` days are drawn by this period,
    /// for the page; `None` for days.
    pub fn reason(self, days: usize) -> Option<String> {
        let why = match self {
            Period::Day => return None,
            Period::Week => format!("the horizon ({days} days) is longer than a year"),
            Period::Month => format!("the horizon ({days} days) is longer than ten years"),
        };
        Some(format!(
            "The charts show one point per {} because {why}: a point per day would not be legible. \
             A week's or month's value is the mean of its days, weighted by the contacts offered \
             for shares; its band spans its lowest and highest day. days.csv, intervals.csv and \
             summary.json hold every day and interval.",
            self.name()
        ))
    }

    /// The date that starts the period of `d`.
    fn start_of(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => d,
            Period::Week => d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday())),
            Period::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

/// The ticks of an axis of weeks or months (`dates`, in order): the first
/// point of every `k`-th calendar month, `k` the fewest months whose labels
/// of `label_px` fit at `px_per_point`; and whether the labels are years
/// only (`k` of a year or more). A tick per day's date would leave the year
/// out and crowd a century into one label.
pub fn month_ticks(dates: &[NaiveDate], px_per_point: f64, label_px: f64) -> (Vec<usize>, bool) {
    let month = |d: &NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return (Vec::new(), false);
    };
    let per_month = dates.len() as f64 / (month(last) - month(first) + 1) as f64;
    for k in [1i64, 2, 3, 6, 12, 24, 60, 120, 240, 600] {
        if px_per_point * per_month * k as f64 >= label_px + 18.0 {
            let mut ticks = Vec::new();
            let mut seen = None;
            for (i, d) in dates.iter().enumerate() {
                let m = month(d);
                if seen != Some(m) {
                    seen = Some(m);
                    if m % k == 0 {
                        ticks.push(i);
                    }
                }
            }
            return (ticks, k >= 12);
        }
    }
    (vec![0], true)
}

/// The label of a tick of [`month_ticks`]: "Jun 2021", or "2021".
pub fn month_label(date: NaiveDate, years_only: bool) -> String {
    match years_only {
        true => date.format("%Y").to_string(),
        false => date.format("%b %Y").to_string(),
    }
}

/// The periods of consecutive `dates` (in order): each with the first date
/// of the horizon in it and the range of `dates` it covers.
pub fn groups(dates: &[NaiveDate], period: Period) -> Vec<(NaiveDate, Range<usize>)> {
    let mut out: Vec<(NaiveDate, Range<usize>)> = Vec::new();
    for (i, &d) in dates.iter().enumerate() {
        match out.last_mut() {
            Some((first, range)) if period.start_of(*first) == period.start_of(d) => {
                range.end = i + 1;
            }
            _ => out.push((d, i..i + 1)),
        }
    }
    out
}

/// The band of each group of days: the mean of the days' means, weighted
/// by `weights` (equal when `None`; a day without a finite positive weight
/// counts for nothing then), and the lowest and highest day's mean as its
/// edges. NaN for a group without a day with a value.
pub fn band(days: &Band, weights: Option<&[f64]>, groups: &[(NaiveDate, Range<usize>)]) -> Band {
    let mut out = Band::default();
    for (_, range) in groups {
        let (mut sum, mut weight) = (0.0, 0.0);
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for d in range.clone() {
            let Some(&m) = days.mean.get(d).filter(|m| m.is_finite()) else {
                continue;
            };
            let w = match weights {
                Some(w) => w.get(d).copied().filter(|w| w.is_finite() && *w > 0.0),
                None => Some(1.0),
            };
            if let Some(w) = w {
                sum += w * m;
                weight += w;
            }
            low = low.min(m);
            high = high.max(m);
        }
        let (mean, low, high) = match weight > 0.0 {
            true => (sum / weight, low, high),
            false => (f64::NAN, f64::NAN, f64::NAN),
        };
        out.mean.push(mean);
        out.low.push(low);
        out.high.push(high);
    }
    out
}

/// The mean of the finite values of each group of rows, column by column
/// (a heatmap's days into weeks or months); NaN where a group has none.
pub fn rows(days: &[Vec<f64>], groups: &[(NaiveDate, Range<usize>)]) -> Vec<Vec<f64>> {
    groups
        .iter()
        .map(|(_, range)| {
            let width = days.get(range.start).map_or(0, Vec::len);
            (0..width)
                .map(|j| {
                    let values: Vec<f64> = days[range.clone()]
                        .iter()
                        .filter_map(|row| row.get(j).copied().filter(|v| v.is_finite()))
                        .collect();
                    match values.len() {
                        0 => f64::NAN,
                        n => values.iter().sum::<f64>() / n as f64,
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_horizon_gets_days_then_weeks_then_months() {
        assert_eq!(Period::of_horizon(366), Period::Day);
        assert_eq!(Period::of_horizon(367), Period::Week);
        assert_eq!(Period::of_horizon(3_660), Period::Week);
        assert_eq!(Period::of_horizon(3_661), Period::Month);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2021-04-08 is a Thursday.
        let dates: Vec<NaiveDate> = (0..40)
            .map(|k| date(2021, 4, 8) + chrono::Days::new(k))
            .collect();
        let weeks = groups(&dates, Period::Week);
        assert_eq!(weeks[0], (date(2021, 4, 8), 0..4));
        assert_eq!(weeks[1], (date(2021, 4, 12), 4..11));
        assert_eq!(weeks.iter().map(|g| g.1.len()).sum::<usize>(), 40);
        let months = groups(&dates, Period::Month);
        assert_eq!(
            months,
            vec![(date(2021, 4, 8), 0..23), (date(2021, 5, 1), 23..40)]
        );
    }

    #[test]
    fn long_axes_tick_months_or_years_with_the_year() {
        let months: Vec<NaiveDate> = (0..120)
            .map(|k| date(2021 + k / 12, (k % 12) as u32 + 1, 1))
            .collect();
        // Room for a label every month.
        let (ticks, years) = month_ticks(&months, 100.0, 60.0);
        assert_eq!((ticks.len(), years), (120, false));
        assert_eq!(month_label(months[ticks[5]], years), "Jun 2021");
        // Room for one every two years: on even years' Januaries.
        let (ticks, years) = month_ticks(&months, 3.5, 60.0);
        assert!(years);
        assert_eq!(ticks, vec![12, 36, 60, 84, 108]);
        assert_eq!(month_label(months[12], years), "2022");
    }

    #[test]
    fn a_share_of_a_period_is_weighted_by_its_days_contacts() {
        let days = Band {
            mean: vec![0.5, 1.0, f64::NAN],
            low: vec![0.0; 3],
            high: vec![0.0; 3],
        };
        let g = vec![(date(2021, 4, 12), 0..3)];
        let b = band(&days, Some(&[300.0, 100.0, 0.0]), &g);
        // (0.5 * 300 + 1.0 * 100) / 400
        assert_eq!(b.mean, vec![0.625]);
        assert_eq!((b.low[0], b.high[0]), (0.5, 1.0));
        let none = band(&days, None, &[(date(2021, 4, 14), 2..3)]);
        assert!(none.mean[0].is_nan() && none.low[0].is_nan());
    }
}
