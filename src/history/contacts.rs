//! The contact-level reader: one [`Contact`] per row, handed to a callback
//! and reused, so that memory stays flat whatever the file's length.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use csv::ByteRecord;

use super::error::HistoryError;
use super::mapping::{Kind, Mapping};
use super::read::{self, Clock, Ctx, Source, StampError};
use super::{Contact, Outcome};
use crate::model::Channel;

/// What [`read_contacts`] saw, besides the contacts it handed over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactsRead {
    /// Rows read (contacts handed to the callback).
    pub rows: u64,
    /// Earliest arrival (local time).
    pub first: Option<NaiveDateTime>,
    /// Latest arrival (local time).
    pub last: Option<NaiveDateTime>,
    /// What the reader accepted but a planner should know.
    pub warnings: Vec<String>,
}

/// The field indices of a contact export, found in its header.
struct Fields {
    contact: Option<usize>,
    caller: Option<usize>,
    line: Option<usize>,
    theme: Option<usize>,
    channel: Option<usize>,
    arrival: usize,
    outcome: usize,
    wait: usize,
    handle: Vec<usize>,
    pool: Option<usize>,
}

impl Fields {
    fn resolve(source: &Source, mapping: &Mapping) -> Result<Fields, HistoryError> {
        let c = &mapping.contacts;
        let required = |column| -> Result<usize, HistoryError> {
            // `resolve` fails on a missing required column.
            Ok(source.one(column)?.unwrap_or(0))
        };
        Ok(Fields {
            contact: source.one(&c.contact)?,
            caller: source.one(&c.caller)?,
            line: source.one(&c.line)?,
            theme: source.one(&c.theme)?,
            channel: source.one(&c.channel)?,
            arrival: required(&c.arrival)?,
            outcome: required(&c.outcome)?,
            wait: required(&c.wait)?,
            handle: source.resolve(&c.handle)?.unwrap_or_default(),
            pool: source.one(&c.pool)?,
        })
    }
}

/// Checks that a header is a contact export for this mapping.
pub(super) fn check_header(source: &Source, mapping: &Mapping) -> Result<(), HistoryError> {
    Fields::resolve(source, mapping).map(|_| ())
}

/// Reads a contact-level export row by row, handing each contact to `each`
/// (one `Contact` is reused: copy what you keep). Memory stays flat.
///
/// Rows of ccsim's own log are in order of the contacts' ends; with
/// `sorted = true` in a mapping, a row that arrives before the previous
/// one is an error.
pub fn read_contacts(
    path: &Path,
    mapping: &Mapping,
    mut each: impl FnMut(&Contact),
) -> Result<ContactsRead, HistoryError> {
    if mapping.kind == Some(Kind::Intervals) {
        return Err(HistoryError::file(
            path,
            "the mapping reads interval reports (`kind = \"intervals\"`), not contact exports",
        ));
    }
    let mut source = Source::open(path, mapping)?;
    let fields = match Fields::resolve(&source, mapping) {
        Ok(f) => f,
        Err(e) => {
            let offered = source.one(&mapping.intervals.offered).ok().flatten();
            if mapping.kind.is_none() && offered.is_some() {
                return Err(HistoryError::line(
                    path,
                    1,
                    "this is an interval report (it has `offered`), not a contact log: read it as intervals",
                ));
            }
            return Err(e);
        }
    };
    let mut reader = Reader {
        mapping,
        fields,
        clock: Clock::new(mapping),
        contact: Contact {
            contact: 0,
            caller: None,
            line: String::new(),
            theme: String::new(),
            channel: Channel::Call,
            arrival: NaiveDateTime::default(),
            outcome: Outcome::Answered,
            wait: 0.0,
            handle: None,
            pool: None,
        },
        spare_pool: String::new(),
        themes: read::Themes::default(),
        previous: None,
        repeated: BTreeMap::new(),
    };
    let mut read = ContactsRead::default();
    let mut record = ByteRecord::new();
    while let Some(line) = source.next(&mut record)? {
        read.rows += 1;
        let ctx = Ctx { path, line };
        reader.row(&record, &ctx, read.rows)?;
        let arrival = reader.contact.arrival;
        if read.first.is_none_or(|f| arrival < f) {
            read.first = Some(arrival);
        }
        if read.last.is_none_or(|l| arrival > l) {
            read.last = Some(arrival);
        }
        each(&reader.contact);
    }
    if read.rows == 0 {
        read.warnings.push(format!(
            "{}: the file has a header and no rows: no contacts read",
            path.display()
        ));
    }
    if let Some(tz) = mapping.time_zone {
        for (date, n) in &reader.repeated {
            let hours = read::repeated_hours(tz, *date).unwrap_or_default();
            read.warnings.push(format!(
                "{}: {date}: {n} arrivals fall in the hour {hours} that {} repeats at the end of daylight saving; read as written in local time (which of the two passes each one came in is unknown)",
                path.display(),
                tz.name()
            ));
        }
    }
    Ok(read)
}

/// The state of one read: the reused contact and what ordering and
/// daylight-saving checks remember.
struct Reader<'m> {
    mapping: &'m Mapping,
    fields: Fields,
    clock: Clock<'m>,
    contact: Contact,
    /// The pool's buffer while a contact has no pool.
    spare_pool: String,
    /// Theme names read so far.
    themes: read::Themes,
    /// With `sorted`: the previous row's order key, line and ambiguity.
    previous: Option<(NaiveDateTime, u64, bool)>,
    /// Arrivals per date in a repeated (ambiguous) local hour.
    repeated: BTreeMap<NaiveDate, u64>,
}

impl Reader<'_> {
    fn row(&mut self, record: &ByteRecord, ctx: &Ctx, row: u64) -> Result<(), HistoryError> {
        let m = self.mapping;
        let cols = &m.contacts;
        let f = &self.fields;
        let c = &mut self.contact;
        c.contact = match f.contact {
            Some(i) => {
                let b = read::field(record, i);
                read::count(b).ok_or_else(|| {
                    ctx.expected(cols.contact.name(), "a contact id (an integer >= 0)", b)
                })?
            }
            None => row,
        };
        c.caller = match f.caller {
            Some(i) => {
                let b = read::field(record, i);
                if b.is_empty() {
                    None
                } else {
                    Some(read::count(b).ok_or_else(|| {
                        ctx.expected(
                            cols.caller.name(),
                            "a caller id (an integer >= 0) or nothing",
                            b,
                        )
                    })?)
                }
            }
            None => None,
        };
        match f.line {
            // Lines repeat: the text is checked and copied only when it changes.
            Some(i) if read::field(record, i) == c.line.as_bytes() => {}
            Some(i) => {
                let line = read::text(record, i, ctx, cols.line.name())?;
                c.line.clear();
                c.line.push_str(line);
            }
            None => {}
        }
        self.themes
            .read(record, f.theme, ctx, m, cols.theme.name(), &mut c.theme)?;
        c.channel = read::channel(record, f.channel, ctx, m, cols.channel.name())?;
        let b = read::field(record, f.arrival);
        let stamp = match self.clock.parse(b) {
            Ok(s) => s,
            Err(StampError::Malformed) => {
                return Err(ctx.expected(cols.arrival.name(), &self.clock.expected(), b));
            }
            Err(StampError::Nonexistent(t, tz)) => {
                return Err(HistoryError::column(
                    ctx.path,
                    ctx.line,
                    cols.arrival.name(),
                    read::nonexistent(t, tz),
                ));
            }
            Err(StampError::OffsetWithoutZone) => {
                return Err(HistoryError::column(
                    ctx.path,
                    ctx.line,
                    cols.arrival.name(),
                    read::OFFSET_WITHOUT_ZONE,
                ));
            }
        };
        c.arrival = stamp.local;
        let local_ambiguous = stamp.ambiguous && stamp.instant.is_none();
        if local_ambiguous {
            *self.repeated.entry(stamp.local.date()).or_insert(0) += 1;
        }
        if m.sorted {
            let key = stamp.order_key();
            if let Some((before, line, was_ambiguous)) = self.previous {
                // Local times go back once in the repeated hour: not out of order.
                if key < before && !(local_ambiguous && was_ambiguous) {
                    return Err(HistoryError::column(
                        ctx.path,
                        ctx.line,
                        cols.arrival.name(),
                        format!(
                            "rows are sorted by arrival (`sorted = true`), but {} comes after {} (line {line})",
                            key.format("%Y-%m-%d %H:%M:%S"),
                            before.format("%Y-%m-%d %H:%M:%S")
                        ),
                    ));
                }
            }
            self.previous = Some((key, ctx.line, local_ambiguous));
        }
        let b = read::field(record, f.outcome);
        c.outcome = m.outcome(b).ok_or_else(|| {
            ctx.expected(
                cols.outcome.name(),
                &format!("one of {}", m.outcome_names()),
                b,
            )
        })?;
        let b = read::field(record, f.wait);
        c.wait = if b.is_empty() && c.outcome == Outcome::Blocked {
            0.0
        } else {
            read::seconds(b, m)
                .ok_or_else(|| ctx.expected(cols.wait.name(), read::seconds_expected(m), b))?
        };
        c.handle = None;
        if c.outcome == Outcome::Answered {
            for (k, &i) in f.handle.iter().enumerate() {
                let b = read::field(record, i);
                if b.is_empty() {
                    continue;
                }
                let s = read::seconds(b, m).ok_or_else(|| {
                    ctx.expected(&cols.handle.names[k], read::seconds_expected(m), b)
                })?;
                c.handle = Some(c.handle.unwrap_or(0.0) + s);
            }
        }
        let pool = match f.pool {
            Some(i) if c.outcome == Outcome::Answered => {
                let b = read::field(record, i);
                if !b.is_empty() && c.pool.as_ref().is_some_and(|p| p.as_bytes() == b) {
                    return Ok(());
                }
                read::text(record, i, ctx, cols.pool.name())?
            }
            _ => "",
        };
        if pool.is_empty() {
            if let Some(buffer) = c.pool.take() {
                self.spare_pool = buffer;
            }
        } else {
            let mut buffer = c
                .pool
                .take()
                .unwrap_or_else(|| std::mem::take(&mut self.spare_pool));
            buffer.clear();
            buffer.push_str(pool);
            c.pool = Some(buffer);
        }
        Ok(())
    }
}
