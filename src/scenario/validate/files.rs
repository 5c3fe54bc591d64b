//! Counts per date, or per date and interval, read from a CSV file: a
//! theme's volume (`volume.CHANNEL = { file = "volumes.csv" }`) and a pool's
//! staffing (`staffing = { file = "staffing.csv" }`).
//!
//! The file has a header. Its columns, by name and in any order: `date`
//! (`YYYY-MM-DD`), `interval` (`HH:MM`, the interval's start, on the
//! scenario's grid), the count column (`volume`, `agents`, or the one
//! `column` names), and optionally `theme` and `channel`, which keep only
//! the rows of one theme and channel (an interval report read as it is).
//! Other columns are ignored. Every problem names the CSV file, its line,
//! the column, and what was expected against what was found.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::model::Calendar;
use crate::model::distribution::readable;
use crate::scenario::values::parse_clock;

use super::grid::on_grid;

/// What a file holds and how to read it.
pub(super) struct Wanted<'a> {
    /// The count column when `column` names none: `volume`, `agents`.
    pub default_column: &'a str,
    /// What a count is, after "expected": "a number of contacts >= 0".
    pub what: &'a str,
    /// Whether the file must have an `interval` column (staffing).
    pub need_interval: bool,
    /// Largest count accepted.
    pub max: f64,
    /// Keep only the rows whose `theme` and `channel` cells (when the file
    /// has those columns) hold these names.
    pub theme: Option<&'a str>,
    /// See `theme`.
    pub channel: Option<&'a str>,
}

/// One row of the file within the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Row {
    /// Horizon day.
    pub day: usize,
    /// Interval of the day (`None` in a file per date).
    pub interval: Option<usize>,
    /// The count.
    pub count: f64,
    /// The row's line in the file, for messages.
    pub line: u64,
}

/// The rows of a file that fall in the horizon.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Dated {
    /// The file's name as the scenario writes it, for messages.
    pub name: String,
    /// Whether the file gives counts per interval (it has an `interval` column).
    pub per_interval: bool,
    /// Its rows within the horizon, in file order.
    pub rows: Vec<Row>,
    /// The dates of the horizon it has a row for (per date: exactly one each).
    pub has_date: Vec<bool>,
    /// The count column's name, for messages.
    pub column: String,
}

/// Reads `file` (relative to `base_dir`); the error is the message to note
/// at the scenario's `file` field. `files_read` receives the file's name and
/// digest (for the scenario's hash).
pub(super) fn read(
    file: &Spanned<String>,
    column: Option<&Spanned<String>>,
    wanted: &Wanted,
    calendar: &Calendar,
    base_dir: Option<&Path>,
    files_read: &mut Vec<(String, String)>,
) -> Result<Dated, String> {
    let name = file.get_ref();
    let path = base_dir.map_or_else(|| Path::new(name).to_path_buf(), |b| b.join(name));
    let shown = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let dated = parse(
        &bytes,
        &shown,
        column.map(|c| c.get_ref().as_str()),
        wanted,
        calendar,
    )?;
    files_read.push((name.clone(), format!("{:x}", Sha256::digest(&bytes))));
    Ok(dated)
}

/// The index of each named column in the header.
struct Columns {
    date: usize,
    interval: Option<usize>,
    count: usize,
    theme: Option<usize>,
    channel: Option<usize>,
}

/// Parses the CSV text `bytes` of the file shown as `shown`.
fn parse(
    bytes: &[u8],
    shown: &str,
    column: Option<&str>,
    wanted: &Wanted,
    calendar: &Calendar,
) -> Result<Dated, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{shown}: cannot read the CSV: {e}"))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(format!(
            "{shown}: the file is empty: it needs a header line"
        ));
    }
    let count_name = column.unwrap_or(wanted.default_column).to_string();
    let find = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            format!(
                "{shown}:1: no column `{name}` in the header; the columns are: {}",
                header.join(", ")
            )
        })
    };
    let columns = Columns {
        date: need("date")?,
        interval: if wanted.need_interval {
            Some(need("interval")?)
        } else {
            find("interval")
        },
        count: need(&count_name)?,
        theme: find("theme").filter(|_| wanted.theme.is_some()),
        channel: find("channel").filter(|_| wanted.channel.is_some()),
    };
    let per_day = calendar.intervals_per_day as usize;
    let last = calendar.date(calendar.days - 1);
    let mut dated = Dated {
        name: shown.to_string(),
        per_interval: columns.interval.is_some(),
        rows: Vec::new(),
        has_date: vec![false; calendar.days as usize],
        column: count_name.clone(),
    };
    // The line of each (date, interval) seen, for duplicates.
    let mut seen: HashMap<(NaiveDate, usize), u64> = HashMap::new();
    let mut kept_any = false;
    let mut others: Vec<String> = Vec::new();
    let mut record = csv::StringRecord::new();
    // Lines counted from byte offsets: csv's own count skips blank lines.
    let (mut counted_to, mut lines_before) = (0usize, 0u64);
    let mut line_at = |byte: u64| {
        let mut byte = (byte as usize).min(bytes.len());
        // A record's position may be that of the blank lines before it.
        while byte < bytes.len() && (bytes[byte] == b'\n' || bytes[byte] == b'\r') {
            byte += 1;
        }
        lines_before += bytes[counted_to.min(byte)..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted_to = counted_to.max(byte);
        lines_before + 1
    };
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(before, csv::Position::byte);
                return Err(format!("{shown}:{}: cannot read the CSV: {e}", line_at(at)));
            }
        }
        let line = line_at(record.position().map_or(before, csv::Position::byte));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |index: usize, name: &str| -> Result<&str, String> {
            record.get(index).ok_or_else(|| {
                format!(
                    "{shown}:{line}: column `{name}`: the row is too short (it has {} cells)",
                    record.len()
                )
            })
        };
        let bad = |name: &str, expected: &str, found: &str| {
            format!("{shown}:{line}: column `{name}`: expected {expected}, found `{found}`")
        };
        // Rows of other themes and channels.
        let mut other = false;
        let mut whose: Vec<&str> = Vec::new();
        for (index, name, want) in [
            (columns.theme, "theme", wanted.theme),
            (columns.channel, "channel", wanted.channel),
        ] {
            if let (Some(index), Some(want)) = (index, want) {
                let got = cell(index, name)?;
                other |= got != want;
                whose.push(got);
            }
        }
        if other {
            let whose = whose.join(" on ");
            if others.len() < 5 && !others.contains(&whose) {
                others.push(whose);
            }
            continue;
        }
        kept_any = true;
        let text = cell(columns.date, "date")?;
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| bad("date", "a date YYYY-MM-DD", text))?;
        let interval = match columns.interval {
            None => None,
            Some(index) => {
                let text = cell(index, "interval")?;
                let t = parse_clock(text)
                    .ok()
                    .filter(|&t| t < 86_400.0)
                    .ok_or_else(|| bad("interval", "a clock time HH:MM", text))?;
                if !on_grid(t, calendar.interval) {
                    return Err(bad(
                        "interval",
                        &format!(
                            "the start of an interval of the scenario's grid (every {} minutes from 00:00)",
                            readable(calendar.interval / 60.0)
                        ),
                        text,
                    ));
                }
                Some(((t / calendar.interval).round() as usize).min(per_day - 1))
            }
        };
        let text = cell(columns.count, &count_name)?;
        let count: f64 = text
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && *x >= 0.0 && *x <= wanted.max)
            .ok_or_else(|| bad(&count_name, wanted.what, text))?;
        if let Some(first) = seen.insert((date, interval.unwrap_or(0)), line) {
            let at = interval.map_or_else(String::new, |i| {
                format!(" {}", super::grid::clock(i as f64 * calendar.interval))
            });
            return Err(format!(
                "{shown}:{line}: a second row for {date}{at} (the first is on line {first}): give each date{} once",
                if interval.is_some() {
                    " and interval"
                } else {
                    ""
                }
            ));
        }
        if date < calendar.start || date > last {
            continue;
        }
        let day = (date - calendar.start).num_days() as usize;
        dated.has_date[day] = true;
        dated.rows.push(Row {
            day,
            interval,
            count,
            line,
        });
    }
    if !kept_any {
        let whose = match (
            columns.theme.and(wanted.theme),
            columns.channel.and(wanted.channel),
        ) {
            (Some(t), Some(c)) => format!(" for theme `{t}` on channel `{c}`"),
            (Some(t), None) => format!(" for theme `{t}`"),
            (None, Some(c)) => format!(" for channel `{c}`"),
            (None, None) => String::new(),
        };
        let found = if others.is_empty() {
            String::new()
        } else {
            format!(" (it has rows for {})", others.join(", "))
        };
        return Err(format!("{shown}: no row{whose}{found}"));
    }
    Ok(dated)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A week of half-hour intervals from Monday 2021-04-12.
    fn week() -> Calendar {
        let monday = NaiveDate::from_ymd_opt(2021, 4, 12).expect("a date");
        Calendar::new(monday, 7, 1800.0)
    }

    fn volumes() -> Wanted<'static> {
        Wanted {
            default_column: "volume",
            what: "a number of contacts >= 0",
            need_interval: false,
            max: f64::MAX,
            theme: Some("general"),
            channel: Some("call"),
        }
    }

    fn read_text(text: &str, column: Option<&str>, wanted: &Wanted) -> Result<Dated, String> {
        parse(text.as_bytes(), "v.csv", column, wanted, &week())
    }

    #[test]
    fn rows_per_date_and_interval_are_read_within_the_horizon() {
        let d = read_text(
            "date,volume\n2021-04-11,5\n2021-04-12,10.5\n\n2021-04-18,3\n2021-04-19,1\n",
            None,
            &volumes(),
        )
        .expect("read");
        assert!(!d.per_interval);
        let got: Vec<(usize, f64, u64)> = d.rows.iter().map(|r| (r.day, r.count, r.line)).collect();
        assert_eq!(got, vec![(0, 10.5, 3), (6, 3.0, 5)]);
        assert_eq!(d.has_date.iter().filter(|x| **x).count(), 2);
        let d = read_text(
            "interval,theme,channel,offered,date\n09:00,general,call,4,2021-04-13\n09:00,other,call,9,2021-04-13\n09:30,general,chat,9,2021-04-13\n",
            Some("offered"),
            &volumes(),
        )
        .expect("read");
        assert!(d.per_interval);
        assert_eq!(
            d.rows,
            vec![Row {
                day: 1,
                interval: Some(18),
                count: 4.0,
                line: 2
            }]
        );
    }

    #[test]
    fn every_problem_names_the_line_the_column_and_what_was_found() {
        let refused = |text: &str| read_text(text, None, &volumes()).expect_err("refused");
        assert_eq!(
            refused("day,volume\n2021-04-12,1\n"),
            "v.csv:1: no column `date` in the header; the columns are: day, volume"
        );
        assert_eq!(
            refused("date,volume\n2021-04-12,1\n12/04/2021,1\n"),
            "v.csv:3: column `date`: expected a date YYYY-MM-DD, found `12/04/2021`"
        );
        assert_eq!(
            refused("date,volume\n2021-04-12,-1\n"),
            "v.csv:2: column `volume`: expected a number of contacts >= 0, found `-1`"
        );
        assert_eq!(
            refused("date,volume\n2021-04-12,many\n"),
            "v.csv:2: column `volume`: expected a number of contacts >= 0, found `many`"
        );
        assert_eq!(
            refused("date,volume\n2021-04-12,NaN\n"),
            "v.csv:2: column `volume`: expected a number of contacts >= 0, found `NaN`"
        );
        assert_eq!(
            refused("date,volume\n2021-04-12\n"),
            "v.csv:2: column `volume`: the row is too short (it has 1 cells)"
        );
        assert_eq!(
            refused("date,volume\n2021-04-12,1\n2021-04-13,1\n2021-04-12,2\n"),
            "v.csv:4: a second row for 2021-04-12 (the first is on line 2): give each date once"
        );
        assert_eq!(
            refused("date,interval,volume\n2021-04-12,09:00,1\n2021-04-12,09:00,2\n"),
            "v.csv:3: a second row for 2021-04-12 09:00 (the first is on line 2): give each date and interval once"
        );
        assert_eq!(
            refused("date,interval,volume\n2021-04-12,09:10,1\n"),
            "v.csv:2: column `interval`: expected the start of an interval of the scenario's grid (every 30 minutes from 00:00), found `09:10`"
        );
        assert_eq!(
            refused("date,interval,volume\n2021-04-12,24:00,1\n"),
            "v.csv:2: column `interval`: expected a clock time HH:MM, found `24:00`"
        );
        assert_eq!(
            refused("theme,channel,date,volume\nother,call,2021-04-12,1\nmore,chat,2021-04-12,1\n"),
            "v.csv: no row for theme `general` on channel `call` (it has rows for other on call, more on chat)"
        );
        assert_eq!(
            refused(""),
            "v.csv: the file is empty: it needs a header line"
        );
        assert!(
            refused("date,volume\n\"2021-04-12,1\n").starts_with("v.csv:2: "),
            "an unterminated quote names its line"
        );
    }

    #[test]
    fn staffing_needs_intervals_and_bounded_counts() {
        let staffing = Wanted {
            default_column: "agents",
            what: "a number of agents from 0 to 100000",
            need_interval: true,
            max: 100_000.0,
            theme: None,
            channel: None,
        };
        assert_eq!(
            read_text("date,agents\n2021-04-12,1\n", None, &staffing).expect_err("refused"),
            "v.csv:1: no column `interval` in the header; the columns are: date, agents"
        );
        assert_eq!(
            read_text(
                "date,interval,n\n2021-04-12,09:00,1e6\n",
                Some("n"),
                &staffing
            )
            .expect_err("refused"),
            "v.csv:2: column `n`: expected a number of agents from 0 to 100000, found `1e6`"
        );
        // Theme and channel columns do not filter a pool's file.
        let d = read_text(
            "date,interval,agents,theme\n2021-04-12,09:00,2.5,x\n",
            None,
            &staffing,
        )
        .expect("read");
        assert_eq!(d.rows[0].count, 2.5);
    }
}
