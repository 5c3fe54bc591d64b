//! Durations as planners write them, and back.
//!
//! Workforce planners think in minutes and hours ("AHT 4.5m", "patience 90s",
//! "e-mail answer within 1d"), while the engine works in seconds as `f64`.
//! [`parse_duration`] turns such text into seconds and [`format_duration`]
//! turns seconds into text that reads like what a planner would have typed
//! (and that [`parse_duration`] accepts again).
//!
//! Accepted text, whitespace-tolerant and case-insensitive:
//!
//! | text            | seconds |
//! |-----------------|---------|
//! | `90`            | 90 (a bare number is seconds) |
//! | `180s`, `180 sec` | 180   |
//! | `3m`, `3min`, `3 minutes` | 180 |
//! | `4.5m`          | 270     |
//! | `1h`, `1.5h`, `2hr` | 3600, 5400, 7200 |
//! | `1h30m`, `2h 15m`, `1m 05s` | 5400, 8100, 65 |
//! | `2d`            | 172800 (a day is 86,400 s) |
//!
//! `m` always means minutes (never months): nobody sizes a contact center on
//! month-long handle times, and a planner typing `3M` means three minutes.

use thiserror::Error;

/// Why a text is not a duration; each message tells the user what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DurationError {
    /// The text was empty or only whitespace.
    #[error(
        "an empty text is not a duration: use a number with a unit, like \"180s\", \"3m\" or \"1h30m\""
    )]
    Empty,
    /// The text is not a number followed by a known unit.
    #[error(
        "\"{text}\" is not a duration: use a number with a unit, like \"180s\", \"3m\" or \"1h30m\""
    )]
    Malformed {
        /// The text as given.
        text: String,
    },
    /// A number after the first part has no unit, as in "1h30".
    #[error(
        "\"{text}\" has a number without a unit: put a unit after every number, like \"1h30m\" or \"3m 05s\""
    )]
    MissingUnit {
        /// The text as given.
        text: String,
    },
    /// Units repeat or go from small to large, as in "30m1h" or "1m2m".
    #[error(
        "\"{text}\" repeats a unit or puts a smaller unit first: write each unit once, largest first, like \"1h30m\""
    )]
    UnitOrder {
        /// The text as given.
        text: String,
    },
    /// The text starts with a minus sign.
    #[error("\"{text}\" is negative: a duration must be zero or more, like \"0s\" or \"3m\"")]
    Negative {
        /// The text as given.
        text: String,
    },
    /// The value does not fit in a finite number of seconds.
    #[error("\"{text}\" is too large to be a duration")]
    TooLarge {
        /// The text as given.
        text: String,
    },
}

/// Seconds in each unit, largest first; the index doubles as the unit's rank
/// so that `parse_duration` can insist on largest-first order.
const UNITS: [(f64, &[&str]); 4] = [
    (86_400.0, &["d", "day", "days"]),
    (3_600.0, &["h", "hr", "hrs", "hour", "hours"]),
    (60.0, &["m", "min", "mins", "minute", "minutes"]),
    (1.0, &["s", "sec", "secs", "second", "seconds"]),
];

/// Parses planner-style duration text ("180s", "3m", "1h30m", "2d", bare "90" = seconds) into seconds.
///
/// The result is finite and zero or more. Several parts add up ("2h 15m"),
/// but each unit may appear once and larger units must come first, because
/// "30m1h" or "1m2m" are far more likely typos than intended values.
pub fn parse_duration(text: &str) -> Result<f64, DurationError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DurationError::Empty);
    }
    let owned = || trimmed.to_string();
    // A leading minus gets its own message when the rest is a valid duration,
    // so "-3m" says "negative" rather than the less helpful "not a duration".
    if let Some(rest) = trimmed.strip_prefix('-') {
        return match parse_duration(rest) {
            Ok(_) => Err(DurationError::Negative { text: owned() }),
            Err(_) => Err(DurationError::Malformed { text: owned() }),
        };
    }

    let lower = trimmed.to_ascii_lowercase();
    let mut pos = 0;
    let mut total = 0.0_f64;
    let mut parts = 0;
    // Rank of the last unit seen; the next unit must have a larger index (smaller unit).
    let mut last_rank: Option<usize> = None;

    while pos < lower.len() {
        let (number, unit) = read_part(&lower, &mut pos)
            .ok_or_else(|| DurationError::Malformed { text: owned() })?;
        let (rank, factor) = if unit.is_empty() {
            // A bare number is seconds only when it is the whole text ("90");
            // in "1h30" the 30 could mean minutes or seconds, so we refuse to guess.
            if parts > 0 || pos < lower.len() {
                return Err(DurationError::MissingUnit { text: owned() });
            }
            (UNITS.len() - 1, 1.0)
        } else {
            match UNITS.iter().position(|(_, names)| names.contains(&unit)) {
                Some(rank) => (rank, UNITS[rank].0),
                None => return Err(DurationError::Malformed { text: owned() }),
            }
        };
        if last_rank.is_some_and(|last| rank <= last) {
            return Err(DurationError::UnitOrder { text: owned() });
        }
        last_rank = Some(rank);
        total += number * factor;
        parts += 1;
    }

    // Only a number with hundreds of digits gets here, but the engine must never see infinity.
    if !total.is_finite() {
        return Err(DurationError::TooLarge { text: owned() });
    }
    Ok(total)
}

/// Reads one part of a duration at `pos` (a number, then a unit, each
/// followed by optional spaces) and moves `pos` past it; the unit is empty
/// when none follows. `None` when the number is not one.
fn read_part<'t>(lower: &'t str, pos: &mut usize) -> Option<(f64, &'t str)> {
    let bytes = lower.as_bytes();
    let number_start = *pos;
    skip(bytes, pos, |b| b.is_ascii_digit() || b == b'.');
    let number_text = &lower[number_start..*pos];
    // `f64::from_str` alone would also take "inf", "nan", "1e3" and "+3";
    // we have already restricted the characters to digits and dots.
    if !number_text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: f64 = number_text.parse().ok()?;
    skip(bytes, pos, |b| b.is_ascii_whitespace());
    let unit_start = *pos;
    skip(bytes, pos, |b| b.is_ascii_alphabetic());
    let unit = &lower[unit_start..*pos];
    skip(bytes, pos, |b| b.is_ascii_whitespace());
    Some((number, unit))
}

/// Moves `pos` past the bytes that `keep` accepts.
fn skip(bytes: &[u8], pos: &mut usize, keep: impl Fn(u8) -> bool) {
    while *pos < bytes.len() && keep(bytes[*pos]) {
        *pos += 1;
    }
}

/// Formats seconds for display: "45.2s" under a minute, "3m 05s" under an hour, "1h 02m" under a day, "2d 04h" beyond.
///
/// Each form shows two units at most, rounded to the smaller one (tenths of a
/// second below a minute), because a report reader wants "4m 30s" rather than
/// "4m 29.871s". The output is accepted again by [`parse_duration`].
/// Negative values get a leading "-", and non-finite values print as "NaN",
/// "inf" or "-inf" so that a bug upstream shows rather than hides.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return format!("{seconds}");
    }
    if seconds < 0.0 {
        return format!("-{}", format_duration(-seconds));
    }
    // Rounding happens before choosing the form, so 59.96 s prints as "1m 00s"
    // rather than "60s", and 3599.7 s as "1h 00m" rather than "59m 60s".
    let tenths = (seconds * 10.0).round();
    if tenths < 600.0 {
        let whole = tenths / 10.0;
        return if tenths % 10.0 == 0.0 {
            format!("{whole:.0}s")
        } else {
            format!("{whole:.1}s")
        };
    }
    let whole_seconds = seconds.round();
    if whole_seconds < 3_600.0 {
        let s = whole_seconds as u64;
        return format!("{}m {:02}s", s / 60, s % 60);
    }
    let whole_minutes = (seconds / 60.0).round();
    if whole_minutes < 1_440.0 {
        let m = whole_minutes as u64;
        return format!("{}h {:02}m", m / 60, m % 60);
    }
    // Beyond u64 hours the cast would saturate into a wrong number, so very
    // large values fall back to scientific notation in seconds.
    let whole_hours = (seconds / 3_600.0).round();
    if whole_hours >= 1e15 {
        return format!("{seconds:.3e}s");
    }
    let h = whole_hours as u64;
    format!("{}d {:02}h", h / 24, h % 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> f64 {
        parse_duration(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
    }

    #[test]
    fn parses_the_planner_forms() {
        assert_eq!(ok("180s"), 180.0);
        assert_eq!(ok("3m"), 180.0);
        assert_eq!(ok("3min"), 180.0);
        assert_eq!(ok("4.5m"), 270.0);
        assert_eq!(ok("1h"), 3_600.0);
        assert_eq!(ok("1h30m"), 5_400.0);
        assert_eq!(ok("2h 15m"), 8_100.0);
        assert_eq!(ok("90"), 90.0);
        assert_eq!(ok("1.5h"), 5_400.0);
        assert_eq!(ok("2d"), 172_800.0);
        assert_eq!(ok("1d 2h 3m 4s"), 86_400.0 + 7_200.0 + 180.0 + 4.0);
        assert_eq!(ok("0"), 0.0);
        assert_eq!(ok("0s"), 0.0);
        assert_eq!(ok(".5m"), 30.0);
        assert_eq!(ok("12.25"), 12.25);
    }

    #[test]
    fn is_whitespace_tolerant_and_case_insensitive() {
        assert_eq!(ok("  3M "), 180.0);
        assert_eq!(ok("3 Min"), 180.0);
        assert_eq!(ok("2 H 15 M"), 8_100.0);
        assert_eq!(ok("\t1H30M\n"), 5_400.0);
        assert_eq!(ok("45 seconds"), 45.0);
        assert_eq!(ok("2 hours 5 minutes"), 7_500.0);
        assert_eq!(ok("1 DAY"), 86_400.0);
        assert_eq!(ok(" 90 "), 90.0);
    }

    #[test]
    fn rejects_unknown_units_with_the_actionable_message() {
        let err = parse_duration("3x").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#""3x" is not a duration: use a number with a unit, like "180s", "3m" or "1h30m""#
        );
        for bad in [
            "abc", "m", "3ms", "3 months", "1h30x", "3m!", "1.2.3s", ".", "3 m s",
        ] {
            assert!(
                matches!(parse_duration(bad), Err(DurationError::Malformed { .. })),
                "{bad:?} -> {:?}",
                parse_duration(bad)
            );
        }
    }

    #[test]
    fn rejects_negative_nan_and_infinite() {
        assert_eq!(
            parse_duration("-3m").unwrap_err().to_string(),
            r#""-3m" is negative: a duration must be zero or more, like "0s" or "3m""#
        );
        assert!(matches!(
            parse_duration("-90"),
            Err(DurationError::Negative { .. })
        ));
        for bad in [
            "NaN", "nan", "inf", "infinity", "-inf", "+3m", "1e3", "--3m",
        ] {
            assert!(
                matches!(parse_duration(bad), Err(DurationError::Malformed { .. })),
                "{bad:?} -> {:?}",
                parse_duration(bad)
            );
        }
        let huge = format!("{}d", "9".repeat(400));
        assert_eq!(
            parse_duration(&huge),
            Err(DurationError::TooLarge { text: huge.clone() })
        );
    }

    #[test]
    fn rejects_empty_missing_units_and_bad_order() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert_eq!(parse_duration("   "), Err(DurationError::Empty));
        assert!(
            parse_duration("")
                .unwrap_err()
                .to_string()
                .contains("\"3m\"")
        );
        assert_eq!(
            parse_duration("1h30").unwrap_err().to_string(),
            r#""1h30" has a number without a unit: put a unit after every number, like "1h30m" or "3m 05s""#
        );
        assert!(matches!(
            parse_duration("30 1h"),
            Err(DurationError::MissingUnit { .. })
        ));
        assert!(matches!(
            parse_duration("30m1h"),
            Err(DurationError::UnitOrder { .. })
        ));
        assert!(matches!(
            parse_duration("1m 2m"),
            Err(DurationError::UnitOrder { .. })
        ));
        assert!(matches!(
            parse_duration("1min 2m"),
            Err(DurationError::UnitOrder { .. })
        ));
    }

    #[test]
    fn formats_readably() {
        assert_eq!(format_duration(0.0), "0s");
        assert_eq!(format_duration(45.2), "45.2s");
        assert_eq!(format_duration(45.0), "45s");
        assert_eq!(format_duration(0.04), "0s");
        assert_eq!(format_duration(0.25), "0.3s");
        assert_eq!(format_duration(59.96), "1m 00s");
        assert_eq!(format_duration(60.0), "1m 00s");
        assert_eq!(format_duration(185.0), "3m 05s");
        assert_eq!(format_duration(185.4), "3m 05s");
        assert_eq!(format_duration(3_599.7), "1h 00m");
        assert_eq!(format_duration(3_720.0), "1h 02m");
        assert_eq!(format_duration(8_100.0), "2h 15m");
        assert_eq!(format_duration(86_399.0), "1d 00h");
        assert_eq!(format_duration(187_200.0), "2d 04h");
        assert_eq!(format_duration(-185.0), "-3m 05s");
        assert_eq!(format_duration(f64::NAN), "NaN");
        assert_eq!(format_duration(f64::INFINITY), "inf");
        assert_eq!(format_duration(1e300), "1.000e300s");
    }

    #[test]
    fn formatted_text_parses_back_to_the_rounded_value() {
        for &seconds in &[0.0, 7.3, 45.2, 185.0, 3_720.0, 187_200.0, 1_000_000.0] {
            let text = format_duration(seconds);
            let back = ok(&text);
            // The display rounds to its smallest unit, at most half an hour for days.
            assert!(
                (back - seconds).abs() <= 1_800.0
                    && (back - seconds).abs() <= seconds * 0.01 + 0.05,
                "{seconds} -> {text} -> {back}"
            );
        }
    }
}
