//! Writing ccsim's own history formats: the contact log (`ccsim run --log`),
//! streamed row by row, and the interval report (`ccsim run
//! --log-intervals`), written whole. The formats are documented in
//! `docs/history.md` and `docs/outputs.md`.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::files;

use super::{Contact, IntervalHistory};

/// The header of the contact log, column by column.
pub const CONTACT_COLUMNS: [&str; 10] = [
    "contact", "caller", "line", "theme", "channel", "arrival", "outcome", "wait", "handle", "pool",
];

/// The header of the interval report, column by column.
pub const INTERVAL_COLUMNS: [&str; 13] = [
    "date",
    "interval",
    "theme",
    "channel",
    "offered",
    "answered",
    "abandoned",
    "answered_within",
    "threshold",
    "handle_time",
    "asa",
    "abandon_wait",
    "agents",
];

/// The arrival format of the contact log: local wall-clock time with milliseconds.
pub const ARRIVAL_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f";

/// Streams [`Contact`] rows to a contact log (CSV) with memory flat: the
/// rows go through a buffer into a temporary file in the target's folder,
/// which [`ContactLogWriter::finish`] renames into place. Dropped without
/// `finish` (an error, a stop), it leaves nothing behind.
pub struct ContactLogWriter {
    path: PathBuf,
    csv: csv::Writer<BufWriter<tempfile::NamedTempFile>>,
    /// A scratch buffer for the fields that are numbers.
    field: String,
    rows: u64,
}

impl ContactLogWriter {
    /// Starts a contact log that will be `path`, writing its header.
    pub fn create(path: &Path) -> std::io::Result<ContactLogWriter> {
        let tmp = files::temporary_for(path)?;
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(BufWriter::with_capacity(1 << 16, tmp));
        csv.write_record(CONTACT_COLUMNS)?;
        Ok(ContactLogWriter {
            path: path.to_path_buf(),
            csv,
            field: String::with_capacity(32),
            rows: 0,
        })
    }

    /// Appends one contact.
    pub fn write(&mut self, c: &Contact) -> std::io::Result<()> {
        let csv = &mut self.csv;
        let field = &mut self.field;
        let mut number = |csv: &mut csv::Writer<_>, args: std::fmt::Arguments| {
            field.clear();
            let _ = field.write_fmt(args);
            csv.write_field(field.as_bytes())
        };
        number(csv, format_args!("{}", c.contact))?;
        match c.caller {
            Some(id) => number(csv, format_args!("{id}"))?,
            None => csv.write_field("")?,
        }
        csv.write_field(&c.line)?;
        csv.write_field(&c.theme)?;
        csv.write_field(c.channel.name())?;
        number(csv, format_args!("{}", c.arrival.format(ARRIVAL_FORMAT)))?;
        csv.write_field(c.outcome.name())?;
        number(csv, format_args!("{:.3}", c.wait))?;
        match c.handle {
            Some(h) => number(csv, format_args!("{h:.3}"))?,
            None => csv.write_field("")?,
        }
        csv.write_field(c.pool.as_deref().unwrap_or(""))?;
        csv.write_record(None::<&[u8]>)?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far (the header not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Completes the log and puts it in place; returns the rows written.
    pub fn finish(self) -> std::io::Result<u64> {
        let buffered = self
            .csv
            .into_inner()
            .map_err(|e| std::io::Error::other(e.error().to_string()))?;
        let tmp = buffered.into_inner().map_err(|e| e.into_error())?;
        files::persist(tmp, &self.path)?;
        Ok(self.rows)
    }
}

/// Writes `history` as an interval report (CSV, header [`INTERVAL_COLUMNS`])
/// to `path`, atomically. Counts are integers; `threshold` is the
/// service-level threshold of the row's channel in seconds; means are in
/// seconds with 3 decimals; optional values missing are empty.
pub fn write_intervals(path: &Path, history: &IntervalHistory) -> std::io::Result<()> {
    files::write_atomically_with(path, &mut |file| {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(BufWriter::with_capacity(1 << 16, &mut *file));
        csv.write_record(INTERVAL_COLUMNS)?;
        let mut record: [String; 13] = Default::default();
        for row in &history.rows {
            let threshold = history.thresholds[row.channel.index()];
            let int = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
            let mean = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
            record[0] = row.date.format("%Y-%m-%d").to_string();
            record[1] = format!("{:02}:{:02}", row.start / 3600, row.start % 3600 / 60);
            record[2].clone_from(&row.theme);
            record[3] = row.channel.name().to_string();
            record[4] = row.offered.to_string();
            record[5] = row.answered.to_string();
            record[6] = row.abandoned.to_string();
            record[7] = int(row.answered_within);
            record[8] = int(threshold
                .map(u64::from)
                .filter(|_| row.answered_within.is_some()));
            record[9] = mean(row.handle_time);
            record[10] = mean(row.asa);
            record[11] = mean(row.abandon_wait);
            record[12] = mean(row.agents);
            csv.write_record(&record)?;
        }
        let mut buffered = csv
            .into_inner()
            .map_err(|e| std::io::Error::other(e.error().to_string()))?;
        buffered.flush()
    })
}
