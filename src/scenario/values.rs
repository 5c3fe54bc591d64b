//! Scalar values as planners write them: durations (`"3m"`, `"180s"`, or a
//! number of seconds), dates (TOML dates or `"2021-04-01"`), clock times and
//! opening windows (`"09:00-19:00"`).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::distribution::readable;
use crate::model::duration::parse_duration;

/// A duration in seconds, written `"3m"`, `"180s"`, `"1h30m"` or as a number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "RawDuration")]
pub struct DurationValue(pub f64);

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Number(f64),
    Text(String),
}

impl TryFrom<RawDuration> for DurationValue {
    type Error = String;
    fn try_from(raw: RawDuration) -> Result<Self, String> {
        match raw {
            RawDuration::Number(x) if x.is_finite() && x >= 0.0 => Ok(DurationValue(x)),
            RawDuration::Number(x) => Err(format!(
                "a duration must be a non-negative number of seconds, got {}",
                readable(x)
            )),
            RawDuration::Text(t) => parse_duration(&t)
                .map(DurationValue)
                .map_err(|e| e.to_string()),
        }
    }
}

/// A calendar date, written as a TOML date (`2021-04-01`) or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "RawDate")]
pub struct DateValue(pub NaiveDate);

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDate {
    Toml(toml::value::Datetime),
    Text(String),
}

/// The first date ccsim handles: years 1 to 9999 are those a TOML date
/// writes (year 0 aside) and every output prints as `YYYY-MM-DD`.
pub const FIRST_DATE: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a date");
/// The last date ccsim handles (see [`FIRST_DATE`]).
pub const LAST_DATE: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date");

impl TryFrom<RawDate> for DateValue {
    type Error = String;
    fn try_from(raw: RawDate) -> Result<Self, String> {
        let date = DateValue::read(raw)?;
        if (FIRST_DATE..=LAST_DATE).contains(&date.0) {
            Ok(date)
        } else {
            Err(format!(
                "{} is outside the dates ccsim handles, {FIRST_DATE} to {LAST_DATE}",
                date.0
            ))
        }
    }
}

impl DateValue {
    /// The date written, whatever its year.
    fn read(raw: RawDate) -> Result<DateValue, String> {
        let text = match raw {
            RawDate::Toml(d) => match (d.date, d.time) {
                (Some(date), None) => {
                    return NaiveDate::from_ymd_opt(
                        i32::from(date.year),
                        u32::from(date.month),
                        u32::from(date.day),
                    )
                    .map(DateValue)
                    .ok_or_else(|| format!("{d} is not a valid date"));
                }
                _ => d.to_string(),
            },
            RawDate::Text(t) => t,
        };
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(DateValue)
            .map_err(|_| format!("\"{text}\" is not a date: write it as 2021-04-01"))
    }
}

/// Parses a clock time `"HH:MM"` (00:00 to 24:00) into seconds since midnight.
pub fn parse_clock(text: &str) -> Result<f64, String> {
    let err = || format!("\"{text}\" is not a clock time: write it as \"09:00\"");
    let (h, m) = text.trim().split_once(':').ok_or_else(err)?;
    let h: u32 = h.parse().map_err(|_| err())?;
    let m: u32 = m.parse().map_err(|_| err())?;
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(err());
    }
    Ok(f64::from(h * 3600 + m * 60))
}

/// Parses an opening window `"09:00-19:00"` (or `"closed"`) into seconds since midnight.
pub fn parse_window(text: &str) -> Result<Option<(f64, f64)>, String> {
    if text.trim().eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    let (open, close) = text.split_once('-').ok_or_else(|| {
        format!("\"{text}\" is not an opening window: write it as \"09:00-19:00\" or \"closed\"")
    })?;
    let open = parse_clock(open)?;
    let close = parse_clock(close)?;
    if close <= open {
        return Err(format!(
            "closing time must be after opening time in \"{text}\""
        ));
    }
    Ok(Some((open, close)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_clocks() {
        assert_eq!(parse_window("09:00-19:00"), Ok(Some((32_400.0, 68_400.0))));
        assert_eq!(parse_window("closed"), Ok(None));
        assert_eq!(
            parse_window("19:00-09:00"),
            Err("closing time must be after opening time in \"19:00-09:00\"".to_string())
        );
        assert!(parse_clock("25:00").is_err());
        assert_eq!(parse_clock("24:00"), Ok(86_400.0));
    }
}
