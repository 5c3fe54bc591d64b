//! A theme's expected arrivals per interval of the horizon on one channel:
//! its volume spread over the days by the weekday profile, the line's
//! working days, the peaks and the mailing waves, less self-service, then
//! over each day's intervals by the intraday profile of the day's weekday.
//!
//! A volume read from a file gives each day's (or interval's) contacts as
//! they are: the weekday profile and the peaks do not apply; mailing waves
//! add to them and self-service takes its share, as with a volume per day.

use chrono::NaiveDate;

use crate::model::distribution::readable;
use crate::model::{Calendar, Channel, Line, Weekday};

use super::super::files::Dated;
use super::peaks::Peak;

/// What a theme's contacts follow on every channel, once its fields are checked.
pub(super) struct Pattern {
    /// The theme's first day: no contacts before it.
    pub first: NaiveDate,
    /// Days from `first` to the horizon's last day, which `per_month` and
    /// `per_year` count.
    pub active_days: i64,
    /// Weekday weights, Monday first, with a Monday–Friday mean of 1.
    pub weekday: [f64; 7],
    /// Intraday weights of calls and chats per weekday, Monday first
    /// (`None`: even over the opening hours).
    pub intraday_live: Option<[Vec<f64>; 7]>,
    /// Intraday weights of e-mails per weekday, Monday first (`None`: even
    /// around the clock).
    pub intraday_email: Option<[Vec<f64>; 7]>,
    /// The peaks.
    pub peaks: Vec<Peak>,
    /// Share of the contacts that self-service answers instead.
    pub deflection: f64,
    /// Extra contacts per channel and horizon day from mailing waves.
    pub mailing_extra: [Vec<f64>; Channel::COUNT],
}

/// The period a volume is given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Per {
    /// An average working day (Monday–Friday, weight 1).
    Day,
    /// A month of 365.25 / 12 days, spread over the calendar.
    Month,
    /// A year of 365.25 days, spread over the calendar.
    Year,
}

impl Per {
    /// The period of a volume key: `per_day`, `per_month` or `per_year`.
    pub(super) fn from_key(key: &str) -> Option<Per> {
        match key {
            "per_day" => Some(Per::Day),
            "per_month" => Some(Per::Month),
            "per_year" => Some(Per::Year),
            _ => None,
        }
    }
}

/// Expected arrivals per interval of the horizon of `volume` contacts per
/// `per` on `channel` through `line`.
pub(super) fn expected(
    pattern: &Pattern,
    per: Per,
    volume: f64,
    line: &Line,
    channel: Channel,
    calendar: &Calendar,
) -> Vec<f64> {
    let per_day = calendar.intervals_per_day as usize;
    let day_factor = day_factors(pattern, line, channel, calendar);
    let total_factor: f64 = day_factor.iter().sum();
    let base = match per {
        Per::Day => volume,
        Per::Month | Per::Year => {
            let period = if per == Per::Month {
                365.25 / 12.0
            } else {
                365.25
            };
            let wanted = volume * pattern.active_days as f64 / period;
            if total_factor > 0.0 {
                wanted / total_factor
            } else {
                0.0
            }
        }
    };
    let mut expected = vec![0.0; calendar.intervals()];
    for d in 0..calendar.days as usize {
        let date = calendar.date(d as u32);
        let peak: f64 = pattern
            .peaks
            .iter()
            .filter(|pk| pk.applies_to(channel))
            .map(|pk| pk.factor_on(date))
            .product();
        // Mailing waves add to the day; self-service takes its share of both.
        let day_volume = (base * day_factor[d] * peak + mailing(pattern, channel, d))
            * (1.0 - pattern.deflection);
        spread(
            pattern,
            line,
            channel,
            calendar,
            d,
            day_volume,
            &mut expected[d * per_day..(d + 1) * per_day],
        );
    }
    expected
}

/// Extra contacts of the mailing waves on horizon day `d`.
fn mailing(pattern: &Pattern, channel: Channel, d: usize) -> f64 {
    pattern.mailing_extra[channel.index()]
        .get(d)
        .copied()
        .unwrap_or(0.0)
}

/// Adds `day_volume` contacts spread over horizon day `d`'s intervals by the
/// day's weights to `row` (the day's intervals).
fn spread(
    pattern: &Pattern,
    line: &Line,
    channel: Channel,
    calendar: &Calendar,
    d: usize,
    day_volume: f64,
    row: &mut [f64],
) {
    if day_volume <= 0.0 {
        return;
    }
    let date = calendar.date(d as u32);
    let Some(weights) = day_weights(pattern, line, channel, calendar, date) else {
        return;
    };
    let sum: f64 = weights.iter().sum();
    if sum > 0.0 {
        for (e, w) in row.iter_mut().zip(&weights) {
            *e += day_volume * w / sum;
        }
    }
}

/// Expected arrivals per interval of the horizon on `channel` through
/// `line` from a file's counts per date (spread over each day by the day's
/// intraday profile) or per date and interval (as they are), plus the
/// mailing waves, less self-service; nothing before the theme's first day.
/// The error names the file's first missing date, or the first row that
/// gives contacts while a live channel's line is closed.
pub(super) fn expected_from_file(
    pattern: &Pattern,
    dated: &Dated,
    line: &Line,
    channel: Channel,
    calendar: &Calendar,
) -> Result<Vec<f64>, String> {
    let per_day = calendar.intervals_per_day as usize;
    let first = (pattern.first - calendar.start).num_days().max(0) as usize;
    let keep = 1.0 - pattern.deflection;
    let open = |d: usize| !channel.is_live() || line.is_working_day(calendar.date(d as u32));
    let closed = |row: &super::super::files::Row, when: String| {
        format!(
            "{}:{}: column `{}`: expected 0 ({} has line `{}` closed {when}), found `{}`",
            dated.name,
            row.line,
            dated.column,
            channel.name(),
            line.name,
            readable(row.count)
        )
    };
    let mut expected = vec![0.0; calendar.intervals()];
    if dated.per_interval {
        for row in &dated.rows {
            let (d, Some(i)) = (row.day, row.interval) else {
                continue;
            };
            if d < first || row.count <= 0.0 {
                continue;
            }
            let date = calendar.date(d as u32);
            if channel.is_live() && open_share(line, calendar, date, i) <= 0.0 {
                let at = super::super::grid::clock(i as f64 * calendar.interval);
                return Err(closed(row, format!("at {at} on {date}")));
            }
            expected[d * per_day + i] = row.count * keep;
        }
        for d in first..calendar.days as usize {
            let extra = mailing(pattern, channel, d) * keep;
            let day = &mut expected[d * per_day..(d + 1) * per_day];
            spread(pattern, line, channel, calendar, d, extra, day);
        }
        return Ok(expected);
    }
    let wanted: Vec<usize> = (first..calendar.days as usize)
        .filter(|&d| open(d) && !dated.has_date[d])
        .collect();
    if let Some(&d) = wanted.first() {
        let more = match wanted.len() - 1 {
            0 => String::new(),
            1 => " and 1 other date".to_string(),
            n => format!(" and {n} other dates"),
        };
        let which = if channel.is_live() {
            format!(" on which line `{}` is open", line.name)
        } else {
            String::new()
        };
        return Err(format!(
            "{}: no row for {}{more}: give every date of the horizon{which}",
            dated.name,
            calendar.date(d as u32)
        ));
    }
    for row in &dated.rows {
        let d = row.day;
        if d < first {
            continue;
        }
        if !open(d) && row.count > 0.0 {
            return Err(closed(row, format!("on {}", calendar.date(d as u32))));
        }
        let day_volume = (row.count + mailing(pattern, channel, d)) * keep;
        let day = &mut expected[d * per_day..(d + 1) * per_day];
        spread(pattern, line, channel, calendar, d, day_volume, day);
    }
    Ok(expected)
}

/// The share of interval `i` of `date` that the line's opening window covers.
fn open_share(line: &Line, calendar: &Calendar, date: NaiveDate, i: usize) -> f64 {
    let Some((open, close)) = line.window_on(date) else {
        return 0.0;
    };
    let start = i as f64 * calendar.interval;
    let end = start + calendar.interval;
    (end.min(close) - start.max(open)).max(0.0) / calendar.interval
}

/// Each horizon day's weight (weekday × open) before peaks: 0 before the
/// theme's first day.
fn day_factors(pattern: &Pattern, line: &Line, channel: Channel, calendar: &Calendar) -> Vec<f64> {
    let mut day_factor = vec![0.0; calendar.days as usize];
    for (d, f) in day_factor.iter_mut().enumerate() {
        let date = calendar.date(d as u32);
        if date < pattern.first {
            continue;
        }
        let wd = Weekday::of(date).index();
        let open = line.is_working_day(date);
        *f = match (channel.is_live(), open) {
            (_, true) => pattern.weekday[wd],
            // Calls and chats only come in while the line is open.
            (true, false) => 0.0,
            // E-mail arrives on closed days too; a holiday on a
            // weekday counts as a Sunday.
            (false, false) => pattern.weekday[if wd >= 5 { wd } else { 6 }],
        };
    }
    day_factor
}

/// The weights of a day's intervals (not normalised): for calls and chats
/// the intraday profile of the day's weekday within the line's opening
/// window (`None` when the line is closed), for e-mails the e-mail profile
/// of the day's weekday around the clock (a weekday on which the line is
/// closed takes Sunday's, as it does for its volume).
fn day_weights(
    pattern: &Pattern,
    line: &Line,
    channel: Channel,
    calendar: &Calendar,
    date: NaiveDate,
) -> Option<Vec<f64>> {
    let per_day = calendar.intervals_per_day as usize;
    let mut weights = vec![0.0; per_day];
    let wd = Weekday::of(date).index();
    if !channel.is_live() {
        let wd = if wd < 5 && !line.is_working_day(date) {
            6
        } else {
            wd
        };
        match &pattern.intraday_email {
            Some(v) => weights.copy_from_slice(&v[wd]),
            None => weights.fill(1.0),
        }
        return Some(weights);
    }
    line.window_on(date)?;
    // The share of each interval that the window covers.
    let open_share = |i: usize| open_share(line, calendar, date, i);
    for (i, w) in weights.iter_mut().enumerate() {
        *w = open_share(i) * pattern.intraday_live.as_ref().map_or(1.0, |v| v[wd][i]);
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        // The profile does not cover this day's hours: spread evenly.
        for (i, w) in weights.iter_mut().enumerate() {
            *w = open_share(i);
        }
    }
    Some(weights)
}
