//! What both readers share: opening a CSV (BOM, CRLF, delimiter), finding
//! the mapping's columns in the header, and parsing fields (counts,
//! seconds, timestamps with their time zone) without allocating per row.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;
use csv::ByteRecord;

use super::error::HistoryError;
use super::mapping::{Column, Durations, Mapping, Timestamps};
use crate::model::Channel;

/// Names of the header shown in a message, at most.
const HEADER_SHOWN: usize = 16;

/// An open CSV export: its reader, header and the path for messages.
pub struct Source<'a> {
    /// The file, for messages.
    pub path: &'a Path,
    /// The CSV reader, positioned after the header.
    pub reader: csv::Reader<BufReader<File>>,
    /// Header names, trimmed (BOM removed).
    pub header: Vec<String>,
}

impl<'a> Source<'a> {
    /// Opens `path` and reads its header. An empty file is an error.
    pub fn open(path: &'a Path, mapping: &Mapping) -> Result<Source<'a>, HistoryError> {
        let file =
            File::open(path).map_err(|e| HistoryError::file(path, format!("cannot read: {e}")))?;
        let mut buffered = BufReader::with_capacity(1 << 16, file);
        // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first name.
        let head = buffered
            .fill_buf()
            .map_err(|e| HistoryError::file(path, format!("cannot read: {e}")))?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(mapping.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(buffered);
        let mut record = ByteRecord::new();
        let found = reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(path, &e))?;
        if !found {
            return Err(HistoryError::file(
                path,
                "the file is empty: expected a header line",
            ));
        }
        let line = record.position().map_or(1, |p| p.line());
        let mut header = Vec::with_capacity(record.len());
        for field in record.iter() {
            let name = std::str::from_utf8(field.trim_ascii()).map_err(|_| {
                HistoryError::line(
                    path,
                    line,
                    format!(
                        "expected a header of UTF-8 column names, found `{}`",
                        super::error::quote(field)
                    ),
                )
            })?;
            header.push(name.to_string());
        }
        if header.len() == 1 && mapping.delimiter != b',' && header[0].contains(',') {
            return Err(HistoryError::line(
                path,
                line,
                format!(
                    "expected fields separated by `{}` (the mapping's delimiter), found a header with commas: `{}`",
                    mapping.delimiter_name(),
                    super::error::quote(header[0].as_bytes())
                ),
            ));
        }
        Ok(Source {
            path,
            reader,
            header,
        })
    }

    /// The header as shown in messages.
    pub fn header_text(&self) -> String {
        let mut shown: Vec<&str> = self
            .header
            .iter()
            .take(HEADER_SHOWN)
            .map(String::as_str)
            .collect();
        if self.header.len() > HEADER_SHOWN {
            shown.push("…");
        }
        shown.join(", ")
    }

    /// Finds one header name: exactly, else without regard to ASCII case.
    fn find(&self, name: &str) -> Result<Option<usize>, HistoryError> {
        let exact: Vec<usize> = (0..self.header.len())
            .filter(|&i| self.header[i] == name)
            .collect();
        let found = if exact.is_empty() {
            (0..self.header.len())
                .filter(|&i| self.header[i].eq_ignore_ascii_case(name))
                .collect()
        } else {
            exact
        };
        match found.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(*i)),
            [a, b, ..] => Err(HistoryError::column(
                self.path,
                1,
                name,
                format!(
                    "appears twice in the header (fields {} and {})",
                    a + 1,
                    b + 1
                ),
            )),
        }
    }

    /// The field indices of a column: `None` when an optional column is
    /// missing; an error when a required one is.
    pub fn resolve(&self, column: &Column) -> Result<Option<Vec<usize>>, HistoryError> {
        let mut found = Vec::with_capacity(column.names.len());
        for name in &column.names {
            match self.find(name)? {
                Some(i) => found.push(i),
                None if column.required => {
                    return Err(HistoryError::column(
                        self.path,
                        1,
                        name,
                        format!("missing from the header (found: {})", self.header_text()),
                    ));
                }
                None => {}
            }
        }
        Ok((!found.is_empty()).then_some(found))
    }

    /// One index of a single-name column.
    pub fn one(&self, column: &Column) -> Result<Option<usize>, HistoryError> {
        Ok(self.resolve(column)?.and_then(|v| v.first().copied()))
    }

    /// Reads the next record; `Ok(None)` at the end. Rows whose field count
    /// differs from the header's are an error.
    pub fn next(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, HistoryError> {
        match self.reader.read_byte_record(record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != self.header.len() {
                    return Err(HistoryError::line(
                        self.path,
                        line,
                        format!(
                            "expected {} fields as in the header, found {}",
                            self.header.len(),
                            record.len()
                        ),
                    ));
                }
                Ok(Some(line))
            }
            Err(e) => Err(csv_error(self.path, &e)),
        }
    }
}

/// A csv crate error, located.
fn csv_error(path: &Path, e: &csv::Error) -> HistoryError {
    match e.position() {
        Some(p) => HistoryError::line(path, p.line(), e.to_string()),
        None => HistoryError::file(path, e.to_string()),
    }
}

/// A field of a record whose length was checked ([`Source::next`]), trimmed.
pub fn field(record: &ByteRecord, i: usize) -> &[u8] {
    record.get(i).unwrap_or_default().trim_ascii()
}

/// A field as text, or `expected UTF-8 text`.
pub fn text<'r>(
    record: &'r ByteRecord,
    i: usize,
    ctx: &Ctx,
    column: &str,
) -> Result<&'r str, HistoryError> {
    let bytes = field(record, i);
    std::str::from_utf8(bytes).map_err(|_| ctx.expected(column, "UTF-8 text", bytes))
}

/// Where a field is read, for messages.
pub struct Ctx<'a> {
    /// The file.
    pub path: &'a Path,
    /// The line.
    pub line: u64,
}

impl Ctx<'_> {
    /// `expected E, found F` at this line and column.
    pub fn expected(&self, column: &str, expected: &str, found: &[u8]) -> HistoryError {
        HistoryError::field(self.path, self.line, column, expected, found)
    }
}

/// An integer count (digits only).
pub fn count(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut value: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(b - b'0');
    }
    Some(value)
}

/// A finite number (`.` or, with `decimal_comma`, `,` as decimal mark).
pub fn number(bytes: &[u8], decimal_comma: bool) -> Option<f64> {
    // With a decimal comma, a point is refused: `1.500` may mean 1500.
    if decimal_comma && bytes.contains(&b'.') {
        return None;
    }
    let value = if decimal_comma && bytes.contains(&b',') {
        if bytes.len() > 64 {
            return None;
        }
        let mut buf = [0u8; 64];
        for (to, &b) in buf.iter_mut().zip(bytes) {
            *to = if b == b',' { b'.' } else { b };
        }
        parse_f64(&buf[..bytes.len()])?
    } else {
        parse_f64(bytes)?
    };
    value.is_finite().then_some(value)
}

/// Powers of ten that an `f64` holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `digits[.digits]` with at most 15 digits in all: the digits as an
/// integer and the count after the point. Both are exact in an `f64`, so
/// one division gives the correctly rounded value (Clinger's fast path).
fn plain_decimal(bytes: &[u8]) -> Option<f64> {
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut point = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if point.is_none() && i > 0 && i + 1 < bytes.len() => point = Some(i),
            _ => return None,
        }
    }
    if digits > 15 {
        return None;
    }
    let decimals = point.map_or(0, |p| bytes.len() - p - 1);
    Some(mantissa as f64 / POW10[decimals])
}

fn parse_f64(bytes: &[u8]) -> Option<f64> {
    if let Some(v) = plain_decimal(bytes) {
        return Some(v);
    }
    // Only digits, sign, point and exponent: refuses `inf`, `NaN`, `1_000`.
    if bytes.is_empty()
        || !bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// Seconds >= 0, as a number or a clock duration per the mapping.
pub fn seconds(bytes: &[u8], mapping: &Mapping) -> Option<f64> {
    let s = match mapping.durations {
        Durations::Seconds => number(bytes, mapping.decimal_comma)?,
        Durations::Clock => clock_duration(bytes, mapping.decimal_comma)?,
    };
    (s >= 0.0).then_some(s)
}

/// What a seconds field expects, for messages.
pub fn seconds_expected(mapping: &Mapping) -> &'static str {
    match mapping.durations {
        Durations::Seconds => "seconds >= 0",
        Durations::Clock => "a duration H:MM:SS or MM:SS",
    }
}

/// `H:MM:SS` or `MM:SS`, seconds possibly with a fraction.
fn clock_duration(bytes: &[u8], decimal_comma: bool) -> Option<f64> {
    let mut parts = bytes.split(|&b| b == b':');
    let first = parts.next()?;
    let second = parts.next()?;
    let third = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let (hours, minutes, secs) = match third {
        Some(s) => (count(first)?, count(second)?, s),
        None => (0, count(first)?, second),
    };
    if third.is_some() && (minutes >= 60 || second.len() != 2) {
        return None;
    }
    let secs = number(secs, decimal_comma)?;
    if !(0.0..60.0).contains(&secs) {
        return None;
    }
    Some(hours as f64 * 3600.0 + minutes as f64 * 60.0 + secs)
}

/// A timestamp read and placed in the contact center's local time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stamp {
    /// Local wall-clock time (what the model uses).
    pub local: NaiveDateTime,
    /// The instant in UTC, when the export gave one (UTC or an offset).
    pub instant: Option<NaiveDateTime>,
    /// Whether the local time happens twice (the repeated hour at the end
    /// of daylight saving) in the mapping's time zone.
    pub ambiguous: bool,
}

impl Stamp {
    /// The key that orders rows in time: the instant when known, else the local time.
    pub fn order_key(&self) -> NaiveDateTime {
        self.instant.unwrap_or(self.local)
    }
}

/// Why a timestamp could not be read.
pub enum StampError {
    /// Not in the expected layout.
    Malformed,
    /// A local time skipped when daylight saving starts.
    Nonexistent(NaiveDateTime, Tz),
    /// An offset or `Z` without a time zone to convert to.
    OffsetWithoutZone,
}

/// Parses timestamps per a mapping; remembers the last date read, so that
/// the fixed ISO layout costs a few comparisons per row.
pub struct Clock<'m> {
    mapping: &'m Mapping,
    has_offset: bool,
    last_date: [u8; 10],
    last: Option<NaiveDate>,
}

impl<'m> Clock<'m> {
    /// A clock for one mapping.
    pub fn new(mapping: &'m Mapping) -> Clock<'m> {
        let has_offset = mapping
            .timestamp_format
            .as_deref()
            .is_some_and(|f| f.contains("%z") || f.contains("%:z") || f.contains("%#z"));
        Clock {
            mapping,
            has_offset,
            last_date: [0; 10],
            last: None,
        }
    }

    /// What a timestamp field expects, for messages.
    pub fn expected(&self) -> String {
        match &self.mapping.timestamp_format {
            None => "a timestamp YYYY-MM-DDTHH:MM:SS[.sss]".to_string(),
            Some(f) => format!("a timestamp in the format `{f}`"),
        }
    }

    /// Reads one timestamp field.
    pub fn parse(&mut self, bytes: &[u8]) -> Result<Stamp, StampError> {
        let (naive, offset) = match &self.mapping.timestamp_format {
            None => self.iso(bytes).ok_or(StampError::Malformed)?,
            Some(format) => {
                let text = std::str::from_utf8(bytes).map_err(|_| StampError::Malformed)?;
                if self.has_offset {
                    let t = DateTime::parse_from_str(text, format)
                        .map_err(|_| StampError::Malformed)?;
                    (t.naive_local(), Some(t.offset().local_minus_utc()))
                } else {
                    let t = NaiveDateTime::parse_from_str(text, format)
                        .map_err(|_| StampError::Malformed)?;
                    (t, None)
                }
            }
        };
        self.place(naive, offset)
    }

    /// Places a naive time (with the offset the export gave, if any) in local time.
    pub fn place(&self, naive: NaiveDateTime, offset: Option<i32>) -> Result<Stamp, StampError> {
        // Years far out (a `%Y` may read 200000) would leave chrono's range
        // once shifted by an offset.
        if !(1..=9999).contains(&naive.year()) {
            return Err(StampError::Malformed);
        }
        let zone = self.mapping.time_zone;
        let instant = match offset {
            Some(seconds) => {
                let offset = FixedOffset::east_opt(seconds).ok_or(StampError::Malformed)?;
                let t = offset
                    .from_local_datetime(&naive)
                    .single()
                    .ok_or(StampError::Malformed)?;
                Some(t.naive_utc())
            }
            None if self.mapping.timestamps == Timestamps::Utc => Some(naive),
            None => None,
        };
        match (instant, zone) {
            (Some(utc), Some(tz)) => {
                let local = Utc.from_utc_datetime(&utc).with_timezone(&tz).naive_local();
                let ambiguous =
                    matches!(tz.from_local_datetime(&local), LocalResult::Ambiguous(..));
                Ok(Stamp {
                    local,
                    instant: Some(utc),
                    ambiguous,
                })
            }
            (Some(_), None) => Err(StampError::OffsetWithoutZone),
            (None, Some(tz)) => match tz.from_local_datetime(&naive) {
                LocalResult::None => Err(StampError::Nonexistent(naive, tz)),
                LocalResult::Single(_) => Ok(Stamp {
                    local: naive,
                    instant: None,
                    ambiguous: false,
                }),
                LocalResult::Ambiguous(..) => Ok(Stamp {
                    local: naive,
                    instant: None,
                    ambiguous: true,
                }),
            },
            (None, None) => Ok(Stamp {
                local: naive,
                instant: None,
                ambiguous: false,
            }),
        }
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` and an optional `Z` or `±HH[:MM]`.
    fn iso(&mut self, b: &[u8]) -> Option<(NaiveDateTime, Option<i32>)> {
        if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
            return None;
        }
        let date = if self.last.is_some() && b[..10] == self.last_date {
            self.last?
        } else {
            let year = digits(&b[0..4])? as i32;
            let date = NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)?;
            self.last_date.copy_from_slice(&b[..10]);
            self.last = Some(date);
            date
        };
        if b[13] != b':' {
            return None;
        }
        let (hour, minute) = (digits(&b[11..13])?, digits(&b[14..16])?);
        let mut rest = &b[16..];
        let mut second = 0;
        let mut nanos = 0;
        if rest.first() == Some(&b':') {
            second = digits(rest.get(1..3)?)?;
            rest = &rest[3..];
            if let Some(fraction) = rest.strip_prefix(b".") {
                let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
                if n == 0 || n > 9 {
                    return None;
                }
                nanos = digits(&fraction[..n])? * 10u32.pow(9 - n as u32);
                rest = &fraction[n..];
            }
        }
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        let offset = match rest {
            [] => None,
            [b'Z'] => Some(0),
            [sign @ (b'+' | b'-'), h1, h2, tail @ ..] => {
                let minutes = match tail {
                    [] => 0,
                    [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2])?,
                    _ => return None,
                };
                let hours = digits(&[*h1, *h2])?;
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let seconds = (hours * 3600 + minutes * 60) as i32;
                Some(if *sign == b'-' { -seconds } else { seconds })
            }
            _ => return None,
        };
        Some((date.and_time(time), offset))
    }
}

/// A run of ASCII digits as a number (at most 9 digits).
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// A start time of day: the mapping's `time_format`, or `HH:MM[:SS]`.
pub fn time_of_day(bytes: &[u8], mapping: &Mapping) -> Option<NaiveTime> {
    match &mapping.time_format {
        Some(f) => NaiveTime::parse_from_str(std::str::from_utf8(bytes).ok()?, f).ok(),
        None => {
            let (h, m, s) = match bytes {
                [h1, h2, b':', m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?, 0),
                [h1, b':', m1, m2] => (digits(&[*h1])?, digits(&[*m1, *m2])?, 0),
                [h1, h2, b':', m1, m2, b':', s1, s2] => (
                    digits(&[*h1, *h2])?,
                    digits(&[*m1, *m2])?,
                    digits(&[*s1, *s2])?,
                ),
                _ => return None,
            };
            NaiveTime::from_hms_opt(h, m, s)
        }
    }
}

/// A date in the mapping's `date_format`.
pub fn date(bytes: &[u8], mapping: &Mapping) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(std::str::from_utf8(bytes).ok()?, &mapping.date_format).ok()
}

/// The message of a local time that does not exist.
pub fn nonexistent(naive: NaiveDateTime, tz: Tz) -> String {
    format!(
        "local time {} does not exist in {} (the clocks jump forward when daylight saving starts)",
        naive.format("%Y-%m-%d %H:%M:%S"),
        tz.name()
    )
}

/// The message of an offset timestamp without a time zone.
pub const OFFSET_WITHOUT_ZONE: &str = "a timestamp in UTC or with an offset needs `time_zone` in the mapping, to convert it to local time";

/// The local hour(s) a zone repeats on a date, as `HH:MM–HH:MM`, if any.
pub fn repeated_hours(tz: Tz, date: NaiveDate) -> Option<String> {
    let mut first = None;
    let mut last = None;
    for minute in (0..24 * 60).step_by(15) {
        let t = date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(
            minute * 60,
            0,
        )?);
        if matches!(tz.from_local_datetime(&t), LocalResult::Ambiguous(..)) {
            first.get_or_insert(t.time());
            last = Some(t.time());
        }
    }
    let (first, last) = (first?, last?);
    let end = last
        .with_minute(last.minute() + 15)
        .unwrap_or_else(|| NaiveTime::from_hms_opt(last.hour() + 1, 0, 0).unwrap_or(last));
    Some(format!("{}–{}", first.format("%H:%M"), end.format("%H:%M")))
}

/// Themes seen so far, by the field's bytes: a log has a handful, so
/// each row's theme is found by comparing bytes, without a UTF-8 check,
/// a rename lookup or an allocation.
#[derive(Default)]
pub struct Themes {
    known: Vec<(Vec<u8>, String)>,
}

/// Distinct theme fields remembered at most (others are read each time).
const THEMES_KNOWN: usize = 64;

impl Themes {
    /// Reads the theme of a row into `out`.
    pub fn read(
        &mut self,
        record: &ByteRecord,
        index: Option<usize>,
        ctx: &Ctx,
        m: &Mapping,
        column: &str,
        out: &mut String,
    ) -> Result<(), HistoryError> {
        let raw = index.map_or(&b""[..], |i| field(record, i));
        if let Some((_, name)) = self.known.iter().find(|(r, _)| r == raw) {
            if out != name {
                out.clear();
                out.push_str(name);
            }
            return Ok(());
        }
        theme(record, index, ctx, m, column, out)?;
        if self.known.len() < THEMES_KNOWN {
            self.known.push((raw.to_vec(), out.clone()));
        }
        Ok(())
    }
}

/// Reads the theme (or queue, renamed) into `out`, or the mapping's default.
pub fn theme(
    record: &ByteRecord,
    index: Option<usize>,
    ctx: &Ctx,
    m: &Mapping,
    column: &str,
    out: &mut String,
) -> Result<(), HistoryError> {
    let value = match index {
        Some(i) => text(record, i, ctx, column)?,
        None => "",
    };
    let value = if value.is_empty() {
        match &m.theme {
            Some(t) => t.as_str(),
            None => return Err(ctx.expected(column, "a theme or queue name", b"")),
        }
    } else {
        value
    };
    let renamed = if m.themes.is_empty() {
        value
    } else {
        m.themes.get(value).map_or(value, String::as_str)
    };
    if out != renamed {
        out.clear();
        out.push_str(renamed);
    }
    Ok(())
}

/// Reads the channel, or the mapping's default.
pub fn channel(
    record: &ByteRecord,
    index: Option<usize>,
    ctx: &Ctx,
    m: &Mapping,
    column: &str,
) -> Result<Channel, HistoryError> {
    let b = index.map_or(&b""[..], |i| field(record, i));
    if b.is_empty()
        && let Some(c) = m.channel
    {
        return Ok(c);
    }
    m.channel_of(b)
        .ok_or_else(|| ctx.expected(column, &format!("one of {}", m.channel_names()), b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_durations() {
        assert_eq!(count(b"120"), Some(120));
        assert_eq!(count(b"-3"), None);
        assert_eq!(count(b"99999999999999999999"), None);
        assert_eq!(number(b"12,5", true), Some(12.5));
        assert_eq!(number(b"12,5", false), None);
        assert_eq!(number(b"1.500", true), None);
        // The fast path agrees with the standard parser, digit for digit.
        for text in [
            "0.1",
            "4.125",
            "2710.000",
            "123456789.012345",
            "0.000001",
            "7",
            "99999.99999",
        ] {
            assert_eq!(
                plain_decimal(text.as_bytes()),
                Some(text.parse::<f64>().unwrap()),
                "{text}"
            );
        }
        for text in [
            ".5",
            "5.",
            "1.2.3",
            "",
            "1e3",
            "1234567890123456",
            "1234567890123456789",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text}");
        }
        assert_eq!(number(b"1e3", false), Some(1000.0));
        assert_eq!(number(b"1234567890123456", false), Some(1234567890123456.0));
        assert_eq!(number(b"inf", false), None);
        assert_eq!(clock_duration(b"1:02:03.5", false), Some(3723.5));
        assert_eq!(clock_duration(b"02:03", false), Some(123.0));
        assert_eq!(clock_duration(b"1:72:03", false), None);
    }

    #[test]
    fn reads_iso_timestamps_with_and_without_offsets() {
        let m = Mapping::ccsim();
        let mut c = Clock::new(&m);
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        let s = c.parse(b"2023-10-29T02:30:00.250").ok().unwrap();
        assert_eq!(s.local, t("2023-10-29 02:30:00.250"));
        let s = c.parse(b"2023-10-29 02:30").ok().unwrap();
        assert_eq!(s.local, t("2023-10-29 02:30:00"));
        assert!(matches!(
            c.parse(b"2023-10-29T02:30:00Z"),
            Err(StampError::OffsetWithoutZone)
        ));
        assert!(matches!(
            c.parse(b"2023-02-30T02:30:00"),
            Err(StampError::Malformed)
        ));
        let mut m = Mapping::ccsim();
        m.time_zone = Some(chrono_tz::Europe::Brussels);
        let mut c = Clock::new(&m);
        // 00:30 UTC is 02:30 CEST (first pass), 01:30 UTC is 02:30 CET (second).
        let a = c.parse(b"2023-10-29T00:30:00Z").ok().unwrap();
        let b = c.parse(b"2023-10-29T02:30:00+01:00").ok().unwrap();
        assert_eq!((a.local, a.ambiguous), (t("2023-10-29 02:30:00"), true));
        assert_eq!(b.local, a.local);
        assert!(b.order_key() > a.order_key());
        assert!(matches!(
            c.parse(b"2023-03-26T02:30:00"),
            Err(StampError::Nonexistent(..))
        ));
        assert_eq!(
            repeated_hours(chrono_tz::Europe::Brussels, t("2023-10-29 00:00:00").date()).as_deref(),
            Some("02:00–03:00")
        );
    }
}
