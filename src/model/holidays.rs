//! Public holidays computed for any year, so that a scenario can say
//! `holidays = "BE-VLG"` instead of listing dates.
//!
//! - `BE`: Belgium's ten legal public holidays (law of 4 January 1974):
//!   New Year, Easter Monday, Labour Day, Ascension, Whit Monday, National
//!   Day (21 July), Assumption (15 August), All Saints (1 November),
//!   Armistice (11 November) and Christmas.
//! - `BE-VLG`: those and the holiday of the Flemish Community (11 July), on
//!   which the Flemish government's services, the 1700 line among them, close.
//!
//! Easter comes from the `computus` crate (Gregorian computus); the movable
//! feasts follow it: Easter Monday +1 day, Ascension +39, Whit Monday +50.

use chrono::{Days, NaiveDate};

/// The calendars that can be named.
pub const REGIONS: [&str; 2] = ["BE", "BE-VLG"];

/// The public holidays of `region` in `year`, in date order; `None` for an
/// unknown region or a year the calendar cannot represent.
pub fn holidays(region: &str, year: i32) -> Option<Vec<NaiveDate>> {
    let flemish = match region {
        "BE" => false,
        "BE-VLG" => true,
        _ => return None,
    };
    let easter = computus::gregorian_naive(year).ok()?;
    let after = |days: u64| easter.checked_add_days(Days::new(days));
    let fixed = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let mut out = vec![
        fixed(1, 1)?,
        after(1)?,
        fixed(5, 1)?,
        after(39)?,
        after(50)?,
        fixed(7, 21)?,
        fixed(8, 15)?,
        fixed(11, 1)?,
        fixed(11, 11)?,
        fixed(12, 25)?,
    ];
    if flemish {
        out.push(fixed(7, 11)?);
    }
    out.sort_unstable();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn known_years_of_the_belgian_calendar() {
        // Easter 2021 was on 4 April: Easter Monday 5 April, Ascension
        // 13 May, Whit Monday 24 May.
        let h2021 = holidays("BE", 2021).unwrap();
        for date in [
            d(2021, 4, 5),
            d(2021, 5, 13),
            d(2021, 5, 24),
            d(2021, 7, 21),
        ] {
            assert!(h2021.contains(&date), "{date}");
        }
        assert_eq!(h2021.len(), 10);
        assert!(!h2021.contains(&d(2021, 7, 11)));
        // Easter 2024 was on 31 March: Easter Monday on 1 April, Ascension
        // on 9 May, Whit Monday on 20 May.
        let h2024 = holidays("BE-VLG", 2024).unwrap();
        for date in [d(2024, 4, 1), d(2024, 5, 9), d(2024, 5, 20), d(2024, 7, 11)] {
            assert!(h2024.contains(&date), "{date}");
        }
        assert_eq!(h2024.len(), 11);
        // Easter 2019 on 21 April: Easter Monday 22 April, Ascension 30 May, Whit Monday 10 June.
        let h2019 = holidays("BE", 2019).unwrap();
        for date in [d(2019, 4, 22), d(2019, 5, 30), d(2019, 6, 10)] {
            assert!(h2019.contains(&date), "{date}");
        }
        assert!(holidays("NL", 2021).is_none());
    }
}
