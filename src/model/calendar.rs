//! The horizon: calendar days split into equal intervals.

use chrono::{Datelike, Days, NaiveDate};

use super::Seconds;

/// Seconds in a calendar day (the model ignores daylight-saving shifts).
pub const DAY: Seconds = 86_400.0;

/// Day of the week, Monday first as in ISO 8601.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// All weekdays, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The weekday of a date.
    pub fn of(date: NaiveDate) -> Weekday {
        Weekday::ALL[date.weekday().num_days_from_monday() as usize]
    }

    /// 0 for Monday up to 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Three-letter name used in scenario files (`mon` ... `sun`).
    pub fn name(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self.index()]
    }

    /// Parses `mon` ... `sun`.
    pub fn from_name(name: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|w| w.name() == name)
    }
}

/// Days of the horizon and the interval grid that statistics are kept on.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// First day of the horizon.
    pub start: NaiveDate,
    /// Number of calendar days.
    pub days: u32,
    /// Length of an interval in seconds; divides a day.
    pub interval: Seconds,
    /// Intervals per calendar day.
    pub intervals_per_day: u32,
}

impl Calendar {
    /// A calendar of `days` days from `start` with intervals of `interval` seconds.
    ///
    /// The caller (scenario validation) guarantees that `interval` divides a day.
    pub fn new(start: NaiveDate, days: u32, interval: Seconds) -> Calendar {
        Calendar {
            start,
            days,
            interval,
            intervals_per_day: (DAY / interval).round() as u32,
        }
    }

    /// The date of horizon day `day` (0-based).
    pub fn date(&self, day: u32) -> NaiveDate {
        self.start + Days::new(u64::from(day))
    }

    /// The date of a day index that may lie before or beyond the horizon.
    pub fn date_signed(&self, day: i64) -> Option<NaiveDate> {
        if day >= 0 {
            self.start.checked_add_days(Days::new(day as u64))
        } else {
            self.start.checked_sub_days(Days::new(day.unsigned_abs()))
        }
    }

    /// Horizon day index of `date`, if inside the horizon.
    pub fn day_of(&self, date: NaiveDate) -> Option<u32> {
        let d = (date - self.start).num_days();
        (0..i64::from(self.days)).contains(&d).then_some(d as u32)
    }

    /// Number of intervals in the horizon.
    pub fn intervals(&self) -> usize {
        self.days as usize * self.intervals_per_day as usize
    }

    /// End of the horizon in seconds.
    pub fn end(&self) -> Seconds {
        f64::from(self.days) * DAY
    }

    /// The interval an instant falls in (clamped to the horizon).
    pub fn interval_at(&self, t: Seconds) -> usize {
        let i = (t / self.interval) as usize;
        i.min(self.intervals().saturating_sub(1))
    }

    /// Start of interval `i` in absolute seconds.
    pub fn interval_start(&self, i: usize) -> Seconds {
        i as f64 * self.interval
    }

    /// Day index and clock time ("HH:MM") of interval `i`.
    pub fn interval_label(&self, i: usize) -> (u32, String) {
        let per_day = self.intervals_per_day as usize;
        let day = (i / per_day) as u32;
        let secs = ((i % per_day) as f64 * self.interval).round() as u64;
        (day, format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_of_known_dates() {
        let d = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
        assert_eq!(Weekday::of(d), Weekday::Thu);
        assert_eq!(Weekday::from_name("sat"), Some(Weekday::Sat));
        assert_eq!(Weekday::from_name("xyz"), None);
    }

    #[test]
    fn interval_grid() {
        let c = Calendar::new(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap(), 2, 1800.0);
        assert_eq!(c.intervals_per_day, 48);
        assert_eq!(c.intervals(), 96);
        assert_eq!(c.interval_at(9.0 * 3600.0 + 1.0), 18);
        assert_eq!(c.interval_label(48 + 19), (1, "09:30".to_string()));
        assert_eq!(c.interval_at(1e12), 95);
        assert_eq!(
            c.day_of(NaiveDate::from_ymd_opt(2021, 4, 2).unwrap()),
            Some(1)
        );
        assert_eq!(c.day_of(NaiveDate::from_ymd_opt(2021, 4, 3).unwrap()), None);
    }
}
