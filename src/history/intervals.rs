//! The interval-level reader: an ACD's (or ccsim's) interval report read
//! whole, checked (duplicates, counts, order, daylight saving), its
//! interval length inferred and its gaps filled with zeros.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use csv::ByteRecord;

use super::error::HistoryError;
use super::mapping::{IntervalColumns, Kind, Mapping};
use super::read::{self, Clock, Ctx, Source, Stamp, StampError};
use super::{IntervalHistory, IntervalRow};
use crate::model::Channel;

/// Gap warnings written one by one; past this many, one line counts the rest.
const GAP_WARNINGS: usize = 20;
/// Missing starts listed in one gap warning.
const GAP_LISTED: usize = 5;

/// The field indices of an interval export, found in its header.
struct Fields {
    date: Option<usize>,
    interval: Option<usize>,
    datetime: Option<usize>,
    theme: Option<usize>,
    channel: Option<usize>,
    offered: usize,
    answered: usize,
    abandoned: usize,
    answered_within: Option<usize>,
    threshold: Option<usize>,
    handle_time: Vec<usize>,
    asa: Option<usize>,
    abandon_wait: Option<usize>,
    agents: Option<usize>,
}

impl Fields {
    fn resolve(source: &Source, c: &IntervalColumns) -> Result<Fields, HistoryError> {
        let required =
            |column| -> Result<usize, HistoryError> { Ok(source.one(column)?.unwrap_or(0)) };
        let datetime = match &c.datetime {
            Some(column) => source.one(column)?,
            None => None,
        };
        let (date, interval) = if datetime.is_some() {
            (None, None)
        } else {
            (Some(required(&c.date)?), Some(required(&c.interval)?))
        };
        Ok(Fields {
            date,
            interval,
            datetime,
            theme: source.one(&c.theme)?,
            channel: source.one(&c.channel)?,
            offered: required(&c.offered)?,
            answered: required(&c.answered)?,
            abandoned: required(&c.abandoned)?,
            answered_within: source.one(&c.answered_within)?,
            threshold: source.one(&c.threshold)?,
            handle_time: source.resolve(&c.handle_time)?.unwrap_or_default(),
            asa: source.one(&c.asa)?,
            abandon_wait: source.one(&c.abandon_wait)?,
            agents: source.one(&c.agents)?,
        })
    }
}

/// Checks that a header is an interval export for this mapping.
pub(super) fn check_header(source: &Source, mapping: &Mapping) -> Result<(), HistoryError> {
    Fields::resolve(source, &mapping.intervals).map(|_| ())
}

/// One row as read, with where it came from.
struct Read {
    row: IntervalRow,
    line: u64,
    stamp: Stamp,
    /// Whether a second row of the repeated hour was summed into it.
    merged: bool,
}

/// Reads an interval-level export whole: rows sorted by date, start,
/// theme, channel; the interval length found from the data (or the
/// mapping); missing intervals inside a day filled with zeros (a warning).
pub fn read_intervals(path: &Path, mapping: &Mapping) -> Result<IntervalHistory, HistoryError> {
    if mapping.kind == Some(Kind::Contacts) {
        return Err(HistoryError::file(
            path,
            "the mapping reads contact exports (`kind = \"contacts\"`), not interval reports",
        ));
    }
    let mut source = Source::open(path, mapping)?;
    let fields = match Fields::resolve(&source, &mapping.intervals) {
        Ok(f) => f,
        Err(e) => {
            let arrival = source.one(&mapping.contacts.arrival).ok().flatten();
            if mapping.kind.is_none() && arrival.is_some() {
                return Err(HistoryError::line(
                    path,
                    1,
                    "this is a contact log (it has `arrival`), not an interval report: read it as contacts",
                ));
            }
            return Err(e);
        }
    };
    let mut reader = Reader {
        path,
        mapping,
        fields,
        clock: Clock::new(mapping),
        rows: Vec::new(),
        index: HashMap::new(),
        thresholds: mapping.thresholds.map(|t| t.map(|t| (t, 0))),
        previous: HashMap::new(),
        summed: BTreeMap::new(),
    };
    let mut record = ByteRecord::new();
    while let Some(line) = source.next(&mut record)? {
        reader.row(&record, line)?;
    }
    reader.finish(&source)
}

struct Reader<'a> {
    path: &'a Path,
    mapping: &'a Mapping,
    fields: Fields,
    clock: Clock<'a>,
    rows: Vec<Read>,
    /// (date, start, theme, channel) -> index in `rows`.
    index: HashMap<(NaiveDate, u32, String, Channel), usize>,
    /// Threshold per channel and the line that set it (0: the mapping).
    thresholds: [Option<(u32, u64)>; Channel::COUNT],
    /// With `sorted`: per theme × channel, the last order key, line and ambiguity.
    previous: HashMap<(String, Channel), (NaiveDateTime, u64, bool)>,
    /// Per date of the repeated hour: intervals summed.
    summed: BTreeMap<NaiveDate, u64>,
}

impl Reader<'_> {
    fn row(&mut self, record: &ByteRecord, line: u64) -> Result<(), HistoryError> {
        let m = self.mapping;
        let c = &m.intervals;
        let ctx = Ctx {
            path: self.path,
            line,
        };
        let stamp = self.when(record, &ctx)?;
        let f = &self.fields;
        let mut theme = String::new();
        read::theme(record, f.theme, &ctx, m, c.theme.name(), &mut theme)?;
        let channel = read::channel(record, f.channel, &ctx, m, c.channel.name())?;
        let count = |i: usize, name: &str| -> Result<u64, HistoryError> {
            let b = read::field(record, i);
            read::count(b).ok_or_else(|| ctx.expected(name, "a count (an integer >= 0)", b))
        };
        let offered = count(f.offered, c.offered.name())?;
        let answered = count(f.answered, c.answered.name())?;
        let abandoned = count(f.abandoned, c.abandoned.name())?;
        let answered_within = match f.answered_within {
            Some(i) if !read::field(record, i).is_empty() => {
                Some(count(i, c.answered_within.name())?)
            }
            _ => None,
        };
        let seconds = |i: Option<usize>, name: &str| -> Result<Option<f64>, HistoryError> {
            let Some(i) = i else { return Ok(None) };
            let b = read::field(record, i);
            if b.is_empty() {
                return Ok(None);
            }
            read::seconds(b, m)
                .map(Some)
                .ok_or_else(|| ctx.expected(name, read::seconds_expected(m), b))
        };
        let mut handle_time = None;
        for (k, &i) in f.handle_time.iter().enumerate() {
            if let Some(s) = seconds(Some(i), &c.handle_time.names[k])? {
                handle_time = Some(handle_time.unwrap_or(0.0) + s);
            }
        }
        let agents = match f.agents {
            Some(i) if !read::field(record, i).is_empty() => {
                let b = read::field(record, i);
                let a = read::number(b, m.decimal_comma).filter(|a| *a >= 0.0);
                Some(a.ok_or_else(|| ctx.expected(c.agents.name(), "a number of agents >= 0", b))?)
            }
            _ => None,
        };
        let row = IntervalRow {
            date: stamp.local.date(),
            start: stamp.local.time().num_seconds_from_midnight(),
            theme,
            channel,
            offered,
            answered,
            abandoned,
            answered_within,
            handle_time,
            asa: seconds(f.asa, c.asa.name())?,
            abandon_wait: seconds(f.abandon_wait, c.abandon_wait.name())?,
            agents,
        };
        check_counts(&row, c, &ctx)?;
        self.threshold(record, &row, &ctx)?;
        self.order(&row, &stamp, &ctx)?;
        self.insert(row, stamp, line)
    }

    /// The interval's start, in local time.
    fn when(&mut self, record: &ByteRecord, ctx: &Ctx) -> Result<Stamp, HistoryError> {
        let m = self.mapping;
        let c = &m.intervals;
        let (column, result) = if let Some(i) = self.fields.datetime {
            let column = c.datetime.as_ref().map_or("datetime", |d| d.name());
            let b = read::field(record, i);
            let r = self.clock.parse(b);
            if let Err(StampError::Malformed) = r {
                return Err(ctx.expected(column, &self.clock.expected(), b));
            }
            (column, r)
        } else {
            let (di, ti) = (
                self.fields.date.unwrap_or(0),
                self.fields.interval.unwrap_or(0),
            );
            let b = read::field(record, di);
            let date = read::date(b, m).ok_or_else(|| {
                ctx.expected(
                    c.date.name(),
                    &format!("a date in the format `{}`", m.date_format),
                    b,
                )
            })?;
            let b = read::field(record, ti);
            let expected = match &m.time_format {
                Some(f) => format!("a start time in the format `{f}`"),
                None => "a start time HH:MM".to_string(),
            };
            let time = read::time_of_day(b, m)
                .ok_or_else(|| ctx.expected(c.interval.name(), &expected, b))?;
            (
                c.interval.name(),
                self.clock.place(date.and_time(time), None),
            )
        };
        result.map_err(|e| {
            let message = match e {
                StampError::Nonexistent(t, tz) => read::nonexistent(t, tz),
                StampError::OffsetWithoutZone => read::OFFSET_WITHOUT_ZONE.to_string(),
                StampError::Malformed => "expected a timestamp".to_string(),
            };
            HistoryError::column(ctx.path, ctx.line, column, message)
        })
    }

    /// The service-level threshold of this row's channel: the same on every row.
    fn threshold(
        &mut self,
        record: &ByteRecord,
        row: &IntervalRow,
        ctx: &Ctx,
    ) -> Result<(), HistoryError> {
        let Some(i) = self.fields.threshold else {
            return Ok(());
        };
        let b = read::field(record, i);
        if b.is_empty() {
            return Ok(());
        }
        let name = self.mapping.intervals.threshold.name();
        let t = read::seconds(b, self.mapping)
            .filter(|t| t.fract() == 0.0 && *t <= f64::from(u32::MAX))
            .ok_or_else(|| ctx.expected(name, "whole seconds >= 0", b))? as u32;
        let slot = &mut self.thresholds[row.channel.index()];
        match *slot {
            None => *slot = Some((t, ctx.line)),
            Some((known, _)) if known == t => {}
            Some((known, 0)) => {
                return Err(ctx.expected(
                    name,
                    &format!(
                        "{known} (the mapping's threshold for {})",
                        row.channel.name()
                    ),
                    b,
                ));
            }
            Some((known, line)) => {
                return Err(ctx.expected(
                    name,
                    &format!(
                        "the same threshold for {} as line {line} ({known})",
                        row.channel.name()
                    ),
                    b,
                ));
            }
        }
        Ok(())
    }

    /// With `sorted`: each theme × channel's rows go forward in time.
    fn order(&mut self, row: &IntervalRow, stamp: &Stamp, ctx: &Ctx) -> Result<(), HistoryError> {
        if !self.mapping.sorted {
            return Ok(());
        }
        let key = stamp.order_key();
        let local_ambiguous = stamp.ambiguous && stamp.instant.is_none();
        let slot = (row.theme.clone(), row.channel);
        if let Some(&(before, line, was_ambiguous)) = self.previous.get(&slot)
            && key < before
            && !(local_ambiguous && was_ambiguous)
        {
            let c = &self.mapping.intervals;
            let column = c.datetime.as_ref().map_or(c.interval.name(), |d| d.name());
            return Err(HistoryError::column(
                ctx.path,
                ctx.line,
                column,
                format!(
                    "rows are sorted by time (`sorted = true`), but {} comes after {} (line {line}) for theme `{}`, channel {}",
                    key.format("%Y-%m-%d %H:%M"),
                    before.format("%Y-%m-%d %H:%M"),
                    row.theme,
                    row.channel.name()
                ),
            ));
        }
        self.previous.insert(slot, (key, ctx.line, local_ambiguous));
        Ok(())
    }

    /// Adds a row; a second row of the same interval is summed in when it is
    /// the repeated hour of a time zone, else an error.
    fn insert(&mut self, row: IntervalRow, stamp: Stamp, line: u64) -> Result<(), HistoryError> {
        let key = (row.date, row.start, row.theme.clone(), row.channel);
        let Some(&at) = self.index.get(&key) else {
            self.index.insert(key, self.rows.len());
            self.rows.push(Read {
                row,
                line,
                stamp,
                merged: false,
            });
            return Ok(());
        };
        let first = &mut self.rows[at];
        let other_pass = match (first.stamp.instant, stamp.instant) {
            (Some(a), Some(b)) => a != b,
            _ => true,
        };
        if stamp.ambiguous && first.stamp.ambiguous && !first.merged && other_pass {
            sum_into(&mut first.row, &row);
            first.merged = true;
            *self.summed.entry(row.date).or_insert(0) += 1;
            return Ok(());
        }
        Err(HistoryError::line(
            self.path,
            line,
            format!(
                "duplicate interval: {} {}, theme `{}`, channel {} is already at line {}",
                row.date,
                hhmm(row.start),
                row.theme,
                row.channel.name(),
                first.line
            ),
        ))
    }

    fn finish(self, source: &Source) -> Result<IntervalHistory, HistoryError> {
        let path = self.path;
        let m = self.mapping;
        let mut warnings = Vec::new();
        if let Some(tz) = m.time_zone {
            for (date, n) in &self.summed {
                let hours = read::repeated_hours(tz, *date).unwrap_or_default();
                warnings.push(format!(
                    "{}: {date}: the hour {hours} happens twice in {} (end of daylight saving); {n} intervals of it appear twice and each pair was summed into one",
                    path.display(),
                    tz.name()
                ));
            }
        }
        let has_within = self.fields.answered_within.is_some();
        let thresholds = self.thresholds.map(|t| t.map(|(t, _)| t));
        if has_within && thresholds.iter().all(Option::is_none) {
            warnings.push(format!(
                "{}: column `{}` is read, but no service-level threshold is known (no `{}` column, no `threshold` in the mapping)",
                path.display(),
                m.intervals.answered_within.name(),
                m.intervals.threshold.name()
            ));
        }
        let mut rows = self.rows;
        if rows.is_empty() {
            let _ = source;
            let Some(interval) = m.interval else {
                return Err(HistoryError::file(
                    path,
                    "the file has a header and no rows: no interval length to infer (set `interval` in a mapping to read it as empty)",
                ));
            };
            warnings.push(format!(
                "{}: the file has a header and no rows: no intervals read",
                path.display()
            ));
            return Ok(IntervalHistory {
                interval,
                thresholds,
                rows: Vec::new(),
                warnings,
            });
        }
        rows.sort_by(|a, b| {
            (&a.row.theme, a.row.channel, a.row.date, a.row.start).cmp(&(
                &b.row.theme,
                b.row.channel,
                b.row.date,
                b.row.start,
            ))
        });
        let interval = interval_length(path, m, &rows)?;
        let mut filled = Vec::with_capacity(rows.len());
        let mut gaps = Gaps::default();
        for (k, r) in rows.iter().enumerate() {
            if let Some(next) = rows.get(k + 1) {
                let same = next.row.theme == r.row.theme
                    && next.row.channel == r.row.channel
                    && next.row.date == r.row.date;
                if same {
                    gaps.between(m, &r.row, next.row.start, interval, has_within, &mut filled);
                }
            }
            filled.push(r.row.clone());
        }
        gaps.warn(path, &mut warnings);
        let mut rows: Vec<IntervalRow> = filled;
        rows.sort_by(|a, b| {
            (a.date, a.start, &a.theme, a.channel).cmp(&(b.date, b.start, &b.theme, b.channel))
        });
        Ok(IntervalHistory {
            interval,
            thresholds,
            rows,
            warnings,
        })
    }
}

/// Counts that cannot be: answered or abandoned beyond offered.
fn check_counts(row: &IntervalRow, c: &IntervalColumns, ctx: &Ctx) -> Result<(), HistoryError> {
    let fail = |column: &str, message: String| {
        Err(HistoryError::column(ctx.path, ctx.line, column, message))
    };
    if row.answered > row.offered {
        return fail(
            c.answered.name(),
            format!(
                "expected at most offered ({}), found `{}`",
                row.offered, row.answered
            ),
        );
    }
    if row.answered + row.abandoned > row.offered {
        return fail(
            c.abandoned.name(),
            format!(
                "expected answered + abandoned at most offered ({}), found {} + {}",
                row.offered, row.answered, row.abandoned
            ),
        );
    }
    if let Some(w) = row.answered_within
        && w > row.answered
    {
        return fail(
            c.answered_within.name(),
            format!("expected at most answered ({}), found `{w}`", row.answered),
        );
    }
    Ok(())
}

/// Sums the second pass of a repeated hour into the first: counts and
/// agents add up, averages are weighted by the contacts they average over.
fn sum_into(a: &mut IntervalRow, b: &IntervalRow) {
    let weighted = |x: Option<f64>, wx: u64, y: Option<f64>, wy: u64| match (x, y) {
        (Some(x), Some(y)) if wx + wy > 0 => {
            Some((x * wx as f64 + y * wy as f64) / (wx + wy) as f64)
        }
        (Some(x), None) => Some(x),
        (None, Some(y)) => Some(y),
        (x, _) => x,
    };
    a.handle_time = weighted(a.handle_time, a.answered, b.handle_time, b.answered);
    a.asa = weighted(a.asa, a.answered, b.asa, b.answered);
    a.abandon_wait = weighted(a.abandon_wait, a.abandoned, b.abandon_wait, b.abandoned);
    a.offered += b.offered;
    a.answered += b.answered;
    a.abandoned += b.abandoned;
    a.answered_within = match (a.answered_within, b.answered_within) {
        (Some(x), Some(y)) => Some(x + y),
        (x, y) => x.or(y),
    };
    a.agents = match (a.agents, b.agents) {
        (Some(x), Some(y)) => Some(x + y),
        (x, y) => x.or(y),
    };
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The interval length: the mapping's, checked against every start, or
/// the greatest common divisor of the starts and their steps.
fn interval_length(path: &Path, m: &Mapping, rows: &[Read]) -> Result<u32, HistoryError> {
    let c = &m.intervals;
    let column = c.datetime.as_ref().map_or(c.interval.name(), |d| d.name());
    if let Some(interval) = m.interval {
        if let Some(r) = rows.iter().find(|r| r.row.start % interval != 0) {
            return Err(HistoryError::column(
                path,
                r.line,
                column,
                format!(
                    "expected a start on the grid of {} (the mapping's `interval`), found {}",
                    minutes(interval),
                    hhmm(r.row.start)
                ),
            ));
        }
        return Ok(interval);
    }
    let mut g = 0;
    let mut steps = false;
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0].row, &pair[1].row);
        if a.theme == b.theme && a.channel == b.channel && a.date == b.date {
            g = gcd(g, b.start - a.start);
            steps = true;
        }
    }
    if !steps {
        return Err(HistoryError::file(
            path,
            "cannot infer the interval length: no theme and channel has two intervals on one date (set `interval` in a mapping)",
        ));
    }
    for r in rows {
        g = gcd(g, r.row.start);
    }
    if 86_400 % g != 0 {
        return Err(HistoryError::file(
            path,
            format!(
                "the interval starts lie on a grid of {g} s, which does not divide a day (set `interval` in a mapping)"
            ),
        ));
    }
    Ok(g)
}

/// Missing intervals found inside days, for warnings.
#[derive(Default)]
struct Gaps {
    /// (date, theme, channel, first present, last present, missing starts)
    found: Vec<(NaiveDate, String, Channel, u32, u32, Vec<u32>)>,
}

impl Gaps {
    /// Fills the intervals between `row` and the next start with zero rows.
    fn between(
        &mut self,
        m: &Mapping,
        row: &IntervalRow,
        next: u32,
        interval: u32,
        has_within: bool,
        out: &mut Vec<IntervalRow>,
    ) {
        let mut missing = Vec::new();
        let mut start = row.start + interval;
        while start < next {
            if exists(m, row.date, start) {
                missing.push(start);
                out.push(IntervalRow {
                    start,
                    offered: 0,
                    answered: 0,
                    abandoned: 0,
                    answered_within: has_within.then_some(0),
                    handle_time: None,
                    asa: None,
                    abandon_wait: None,
                    agents: None,
                    ..row.clone()
                });
            }
            start += interval;
        }
        if missing.is_empty() {
            return;
        }
        match self.found.last_mut() {
            Some(g) if g.0 == row.date && g.1 == row.theme && g.2 == row.channel => {
                g.4 = next;
                g.5.extend(missing);
            }
            _ => self.found.push((
                row.date,
                row.theme.clone(),
                row.channel,
                row.start,
                next,
                missing,
            )),
        }
    }

    fn warn(self, path: &Path, warnings: &mut Vec<String>) {
        let total = self.found.len();
        for (date, theme, channel, from, to, missing) in self.found.into_iter().take(GAP_WARNINGS) {
            let mut listed: Vec<String> =
                missing.iter().take(GAP_LISTED).map(|s| hhmm(*s)).collect();
            if missing.len() > GAP_LISTED {
                listed.push("…".to_string());
            }
            warnings.push(format!(
                "{}: {date}, theme `{theme}`, channel {}: {} interval(s) missing between {} and {} ({}), read as zero",
                path.display(),
                channel.name(),
                missing.len(),
                hhmm(from),
                hhmm(to),
                listed.join(", ")
            ));
        }
        if total > GAP_WARNINGS {
            warnings.push(format!(
                "{}: and {} more days of a theme and channel with missing intervals, read as zero",
                path.display(),
                total - GAP_WARNINGS
            ));
        }
    }
}

/// Whether a local start exists (not skipped when daylight saving starts).
fn exists(m: &Mapping, date: NaiveDate, start: u32) -> bool {
    let Some(tz) = m.time_zone else { return true };
    let Some(time) = NaiveTime::from_num_seconds_from_midnight_opt(start, 0) else {
        return false;
    };
    use chrono::TimeZone;
    !matches!(
        tz.from_local_datetime(&date.and_time(time)),
        chrono::LocalResult::None
    )
}

/// `HH:MM` (or `HH:MM:SS` off the minute) of seconds since midnight.
fn hhmm(start: u32) -> String {
    if start.is_multiple_of(60) {
        format!("{:02}:{:02}", start / 3600, start / 60 % 60)
    } else {
        format!(
            "{:02}:{:02}:{:02}",
            start / 3600,
            start / 60 % 60,
            start % 60
        )
    }
}

/// An interval length as words.
fn minutes(seconds: u32) -> String {
    if seconds.is_multiple_of(60) {
        format!("{} minutes", seconds / 60)
    } else {
        format!("{seconds} s")
    }
}
