//! The Excel workbook of a run (`ccsim run --xlsx FILE`, `ccsim chart
//! SUMMARY --xlsx FILE`, `ccsim merge --xlsx FILE`, and the workbench's
//! download): what a planner hands to a manager.
//!
//! Three kinds of sheet, every figure a real number cell with a number
//! format (shares as percent, money, hours, durations in seconds), never
//! text:
//! - **Key figures**: the scenario, horizon, seed and replications; per
//!   channel its reachability, service level, abandonment, average wait and
//!   cost, per pool its occupancy, and the total, each with its 95% CI and
//!   the target of `[targets]` where there is one, judged on the whole CI as
//!   the terminal judges it; a note on what the CI means.
//! - **Days**: the table of `days.csv`, the same columns and values (the
//!   date a date cell, `few_replications` a TRUE/FALSE cell).
//! - **Intervals**: the table of `intervals.csv` (the interval's start a
//!   time cell). A sheet holds 1,048,576 rows; a longer table goes on in
//!   `Intervals (2)`, `Intervals (3)` ..., each with the header row, so that
//!   no row is ever dropped ([`Options::rows_per_sheet`]).
//!
//! Every table has its header row frozen, an autofilter and fixed column
//! widths. The long tables are streamed row by row to a temporary file (the
//! `low memory` mode of rust_xlsxwriter, in the system's temporary folder,
//! `TMPDIR`): a long horizon's workbook is never held in memory, only its
//! few distinct texts are.

use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::files::write_atomically_with;
use crate::model::{Bound, Channel, Metric};
use crate::stats::{Entry, Estimate, Level, On, RunResults, Scope, Verdict};

use super::csv::FIGURE_COLUMNS;
use super::run::tables::{partial_notice, replications};

/// The rows of one Excel sheet, the header row included.
pub const SHEET_ROWS: u32 = 1_048_576;

/// The name of the first sheet.
pub const KEY_FIGURES: &str = "Key figures";
/// The name of the per-day sheet.
pub const DAYS: &str = "Days";
/// The name of the (first) per-interval sheet; the next ones are
/// `Intervals (2)`, `Intervals (3)` ...
pub const INTERVALS: &str = "Intervals";

/// How the workbook is made.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rows of a table sheet, its header row included: a longer table goes
    /// on in a sheet of the same name numbered `(2)`, `(3)` ... [default:
    /// [`SHEET_ROWS`], Excel's limit]. At least 2.
    pub rows_per_sheet: u32,
    /// Folder of the temporary files the long tables are streamed to
    /// [default: the system's, `TMPDIR`].
    pub tempdir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            rows_per_sheet: SHEET_ROWS,
            tempdir: None,
        }
    }
}

/// Why the workbook could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The workbook could not be made (its temporary files, a limit of Excel).
    #[error("cannot make the Excel workbook: {}", make_message(.0))]
    Make(#[from] XlsxError),
    /// The file could not be written; an existing file is left as it was.
    #[error("cannot write the Excel workbook {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// What went wrong in making the workbook, with what to do for the
/// temporary files.
fn make_message(e: &XlsxError) -> String {
    match e {
        XlsxError::TempFileError(dir, error) => format!(
            "cannot make a temporary file in {} for its long tables ({error}): set TMPDIR to a folder that takes files",
            dir.display()
        ),
        e => e.to_string(),
    }
}

/// The bytes of the run's `.xlsx` workbook (the workbench's download).
pub fn to_bytes(results: &RunResults) -> Result<Vec<u8>, WorkbookError> {
    let mut bytes = Vec::new();
    write_to(results, &mut bytes, &Options::default())?;
    Ok(bytes)
}

/// Writes the run's workbook into `path` atomically: through a temporary
/// file beside it and a rename, so that no reader sees half a workbook and
/// an existing file is replaced only by a complete one (`--xlsx FILE`).
pub fn write(results: &RunResults, path: &Path) -> Result<(), WorkbookError> {
    let mut failed: Option<XlsxError> = None;
    write_atomically_with(path, &mut |file| {
        let mut w = std::io::BufWriter::new(file);
        write_to(results, &mut w, &Options::default()).map_err(|e| match e {
            WorkbookError::Make(XlsxError::IoError(e)) => e,
            WorkbookError::Make(e) => {
                let message = e.to_string();
                failed = Some(e);
                std::io::Error::other(message)
            }
            WorkbookError::Write { source, .. } => source,
        })?;
        // Flushed here, not on drop, which would swallow a full disk.
        w.flush()
    })
    .map_err(|source| match failed.take() {
        Some(e) => WorkbookError::Make(e),
        None => WorkbookError::Write {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// Writes the run's workbook into `w`, as `options` say.
pub fn write_to<W: Write + Send>(
    results: &RunResults,
    w: W,
    options: &Options,
) -> Result<(), WorkbookError> {
    let mut book = Workbook::new();
    if let Some(dir) = &options.tempdir {
        book.set_tempdir(dir)?;
    }
    let s = &results.scenario;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: simulated key figures", s.name))
            .set_subject(s.description.clone())
            .set_author("ccsim")
            .set_comment(format!(
                "ccsim {} run of scenario {} (sha256 {}), seed {}, {}",
                results.ccsim_version,
                s.name,
                s.hash,
                results.run.seed,
                replications(results.run.replications)
            )),
    );
    let styles = Styles::new();
    key_figures(book.add_worksheet(), results, &styles)?;
    let rows = options.rows_per_sheet.clamp(2, SHEET_ROWS);
    let days = Table {
        name: DAYS,
        period: ["date", "weekday"],
        rows: results
            .keys()
            .filter(|e| matches!(e.level, Level::Day(_)))
            .count(),
    };
    days.write(&mut book, results, &styles, rows, &mut day_rows(results))?;
    let intervals = Table {
        name: INTERVALS,
        period: ["date", "start"],
        rows: interval_rows(results).count(),
    };
    intervals.write(
        &mut book,
        results,
        &styles,
        rows,
        &mut interval_rows(results),
    )?;
    book.save_to_writer(w)?;
    Ok(())
}

/// The number formats and cell styles of the workbook.
struct Styles {
    header: Format,
    title: Format,
    label: Format,
    note: Format,
    warning: Format,
    date: Format,
    time: Format,
    whole: Format,
    count: Format,
    count_whole: Format,
    share: Format,
    money: Format,
    seconds: Format,
    hours: Format,
    decimal: Format,
    met: Format,
    missed: Format,
    unsure: Format,
}

impl Styles {
    fn new() -> Styles {
        let num = |f: &str| Format::new().set_num_format(f);
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold(),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_italic(),
            warning: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_font_color(Color::RGB(0xB00020)),
            date: num("yyyy-mm-dd").set_align(FormatAlign::Left),
            time: num("hh:mm").set_align(FormatAlign::Left),
            whole: num("0"),
            count: num("#,##0.0"),
            count_whole: num("#,##0"),
            share: num("0.0%"),
            money: num("\"€\" #,##0.00"),
            seconds: num("#,##0.0 \"s\""),
            hours: num("#,##0.0 \"h\""),
            decimal: num("#,##0.00"),
            met: Format::new()
                .set_font_color(Color::RGB(0x1B7F3B))
                .set_bold(),
            missed: Format::new()
                .set_font_color(Color::RGB(0xB00020))
                .set_bold(),
            unsure: Format::new()
                .set_font_color(Color::RGB(0x9A6700))
                .set_bold(),
        }
    }

    /// The number format of a figure of `metric`; `whole` counts (key
    /// figures) shown without decimals.
    fn of(&self, metric: Metric, whole: bool) -> &Format {
        match metric {
            m if m.is_share() => &self.share,
            Metric::Cost | Metric::ExtraCost | Metric::StaffCost | Metric::TotalCost => &self.money,
            Metric::Asa | Metric::WaitP90 | Metric::CallbackDelay | Metric::TransactionTime => {
                &self.seconds
            }
            Metric::HandledHours
            | Metric::AgentHours
            | Metric::BusyHours
            | Metric::ScheduledHours
            | Metric::AbsentHours
            | Metric::ExtraHours => &self.hours,
            Metric::Agents | Metric::AttemptsPerCaller => &self.decimal,
            _ if whole => &self.count_whole,
            _ => &self.count,
        }
    }
}

/// The first sheet: what was run, the key figures against their targets,
/// and what the CI means.
fn key_figures(ws: &mut Worksheet, results: &RunResults, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(KEY_FIGURES)?;
    let s = &results.scenario;
    let run = &results.run;
    ws.write_string_with_format(0, 0, format!("{}: key figures", s.name), &st.title)?;
    let mut row = 1;
    let mut info = |ws: &mut Worksheet, label: &str| -> Result<u32, XlsxError> {
        ws.write_string_with_format(row, 0, label, &st.label)?;
        row += 1;
        Ok(row - 1)
    };
    let r = info(ws, "Scenario")?;
    ws.write_string(r, 1, &s.name)?;
    if !s.description.is_empty() {
        let r = info(ws, "Description")?;
        ws.write_string(r, 1, cell_text(&s.description))?;
    }
    // The first and the last day as date cells, then the days and the
    // interval length.
    let r = info(ws, "Horizon")?;
    let last = results.days.last().map_or(s.start.as_str(), |d| &d.date);
    for (c, date) in [(1, s.start.as_str()), (2, last)] {
        match excel_date(date) {
            Some(d) => ws.write_number_with_format(r, c, d, &st.date)?,
            None => ws.write_string(r, c, date)?,
        };
    }
    ws.write_string(
        r,
        3,
        format!(
            "{} day{}, {}-minute intervals",
            s.days,
            if s.days == 1 { "" } else { "s" },
            trim_number(s.interval_minutes)
        ),
    )?;
    let r = info(ws, "Seed")?;
    // A seed beyond 2^53 has no exact Excel number: it is written as text.
    if run.seed <= 1 << 53 {
        ws.write_number_with_format(r, 1, run.seed as f64, &st.whole)?;
    } else {
        ws.write_string(r, 1, run.seed.to_string())?;
    }
    let r = info(ws, "Replications")?;
    ws.write_number_with_format(r, 1, run.replications, &st.whole)?;
    if run.partial {
        ws.write_string_with_format(
            r,
            2,
            format!("of {} asked for", run.replications_requested),
            &st.warning,
        )?;
    }
    let r = info(ws, "ccsim")?;
    ws.write_string(r, 1, &results.ccsim_version)?;
    if !s.hash.is_empty() {
        ws.write_string(r, 2, "scenario sha256")?;
        ws.write_string(r, 3, &s.hash)?;
    }
    let mut notes: Vec<(String, &Format)> = Vec::new();
    if run.partial {
        notes.push((partial_notice(results), &st.warning));
    }
    if let Some(p) = &results.precision {
        notes.push((p.message(), &st.note));
    }
    notes.push((ci_note(run.replications), &st.note));
    for (text, format) in &notes {
        ws.merge_range(row, 0, row, KEY_COLUMNS.len() as u16 - 1, text, format)?;
        // Room for the wrapped text: merged cells do not grow by themselves.
        let lines = (text.chars().count() / 110 + 1) as f64;
        ws.set_row_height(row, 15.0 * lines.max(1.0))?;
        row += 1;
    }
    row += 1;
    let header = row;
    for (c, (title, width)) in KEY_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *title, &st.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    let figures = key_rows(results);
    for (i, k) in figures.iter().enumerate() {
        let r = header + 1 + i as u32;
        ws.write_string(r, 0, k.scope)?;
        ws.write_string(r, 1, &k.name)?;
        ws.write_string(r, 2, &k.figure)?;
        let format = st.of(k.metric, true);
        let e = &k.estimate;
        for (c, x) in [(3, e.mean), (4, e.ci_low), (5, e.ci_high)] {
            if let Some(x) = x {
                ws.write_number_with_format(r, c, x, format)?;
            }
        }
        if let Some(t) = k.target {
            ws.write_number_with_format(r, 6, t, format)?;
            let (text, style) = match e.verdict(Bound::AtLeast, t, On::Ci) {
                Verdict::Holds => ("met", &st.met),
                Verdict::Broken => ("missed", &st.missed),
                Verdict::Unsure => ("not sure", &st.unsure),
                Verdict::Undefined => ("no figure", &st.note),
            };
            ws.write_string_with_format(r, 7, text, style)?;
        }
        ws.write_number_with_format(r, 8, e.n, &st.whole)?;
        ws.write_string(r, 9, k.metric.name())?;
    }
    let last = header + figures.len().max(1) as u32;
    ws.autofilter(header, 0, last, KEY_COLUMNS.len() as u16 - 1)?;
    ws.set_freeze_panes(header + 1, 0)?;
    ws.set_column_width(0, 14)?;
    ws.set_active(true);
    Ok(())
}

/// The columns of the key figures' table and their widths.
const KEY_COLUMNS: [(&str, f64); 10] = [
    ("Scope", 10.0),
    ("Name", 16.0),
    ("Figure", 40.0),
    ("Estimate (mean)", 14.0),
    ("95% CI low", 12.0),
    ("95% CI high", 12.0),
    ("Target", 10.0),
    ("Against target", 12.0),
    ("Replications defining it", 13.0),
    ("metric (Days, Intervals)", 18.0),
];

/// What the first sheet says about the confidence intervals.
fn ci_note(n: u32) -> String {
    format!(
        "How to read these figures: each estimate is the mean over {} (independent \
         simulations of the whole horizon with the same staffing and demand, different random \
         arrivals, handle times and patience). The 95% confidence interval (CI low to CI high) \
         is the range in which the long-run mean lies with 95% confidence given these \
         replications: more replications make it narrower. It is not the spread of one \
         week's outcome; P5 and P95 in the Days and Intervals sheets give that spread. \
         Against target: met when the whole CI is at or above the target, missed when the \
         whole CI is below it, not sure when the CI straddles it (run more replications to \
         decide).",
        replications(n)
    )
}

/// One row of the key figures.
struct KeyRow {
    scope: &'static str,
    name: String,
    figure: String,
    metric: Metric,
    estimate: Estimate,
    target: Option<f64>,
}

/// The key figures of the run, in the order channels, pools, total: only
/// those the run has.
fn key_rows(results: &RunResults) -> Vec<KeyRow> {
    let s = &results.scenario;
    let mut rows = Vec::new();
    let mut put = |scope: Scope, metric: Metric, figure: String, target: Option<f64>| {
        let Some(e) = results.horizon(scope, metric) else {
            return;
        };
        let (kind, name) = match scope {
            Scope::Channel(c) => ("channel", c.name().to_string()),
            Scope::Pool(p) => ("pool", results.names.pools[p].clone()),
            _ => ("total", "all channels".to_string()),
        };
        rows.push(KeyRow {
            scope: kind,
            name,
            figure,
            metric,
            estimate: *e,
            target,
        });
    };
    for c in results.channels() {
        let scope = Scope::Channel(c);
        let info = s.channel(c);
        put(scope, Metric::Offered, "Offered contacts".into(), None);
        put(scope, Metric::Answered, "Answered contacts".into(), None);
        let reach = match (c, info.and_then(|i| i.sla_working_days)) {
            (Channel::Email, Some(d)) => format!(
                "Reachability (picked up within {d} working day{})",
                if d == 1 { "" } else { "s" }
            ),
            _ => "Reachability (answered / offered)".into(),
        };
        put(scope, Metric::Reachability, reach, s.reachability_target(c));
        let sl = match info.and_then(|i| i.service_level_threshold) {
            Some(t) => format!("Service level (answered within {} s)", trim_number(t)),
            None => "Service level".into(),
        };
        put(scope, Metric::ServiceLevel, sl, s.service_level_target(c));
        put(
            scope,
            Metric::AbandonShare,
            "Abandonment (abandoned / offered)".into(),
            None,
        );
        put(
            scope,
            Metric::Asa,
            "Average wait of answered contacts (ASA)".into(),
            None,
        );
        put(scope, Metric::Cost, "Cost of handling".into(), None);
    }
    for p in results.pools() {
        let scope = Scope::Pool(p);
        put(
            scope,
            Metric::Occupancy,
            "Occupancy (busy / on duty)".into(),
            None,
        );
        put(scope, Metric::Agents, "Agents on duty (mean)".into(), None);
        put(
            scope,
            Metric::ScheduledHours,
            "Scheduled hours (paid)".into(),
            None,
        );
        put(scope, Metric::StaffCost, "Staff cost".into(), None);
        put(scope, Metric::ExtraCost, "Extra support cost".into(), None);
    }
    let total = Scope::Total;
    put(total, Metric::Offered, "Offered contacts".into(), None);
    put(total, Metric::Answered, "Answered contacts".into(), None);
    put(
        total,
        Metric::Reachability,
        "Reachability (all channels)".into(),
        s.total_reachability_target(),
    );
    put(total, Metric::Cost, "Cost of handling".into(), None);
    put(total, Metric::StaffCost, "Staff cost".into(), None);
    put(total, Metric::ExtraCost, "Extra support cost".into(), None);
    put(
        total,
        Metric::TotalCost,
        "Total cost (handling + staff + extra)".into(),
        None,
    );
    rows
}

/// A number as short as it reads: `15`, `7.5`.
fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

/// Excel holds at most 32,767 characters in a cell; a longer text is cut
/// there, and says so.
fn cell_text(text: &str) -> String {
    const MAX: usize = 32_767;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mark = " … (cut: Excel holds 32,767 characters in a cell)";
    let keep = MAX - mark.chars().count();
    text.chars().take(keep).collect::<String>() + mark
}

/// The Excel serial number of a `YYYY-MM-DD` date.
fn excel_date(date: &str) -> Option<f64> {
    ExcelDateTime::parse_from_str(date)
        .ok()
        .map(|d| d.to_excel())
}

/// The Excel time (fraction of a day) of an `HH:MM` clock time.
fn excel_time(clock: &str) -> Option<f64> {
    let (h, m) = clock.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60).then(|| f64::from(h * 60 + m) / 1440.0)
}

/// One row of a long table: its two period cells, then the figure.
struct Row<'a> {
    /// The date (`YYYY-MM-DD`).
    date: &'a str,
    /// The weekday's name (Days) or the interval's start `HH:MM` (Intervals).
    second: &'a str,
    /// Whether `second` is a clock time.
    clock: bool,
    entry: Entry,
    estimate: Estimate,
}

/// The rows of `days.csv`, in its order.
fn day_rows(results: &RunResults) -> impl Iterator<Item = Row<'_>> {
    results.figures().filter_map(|(e, x)| match e.level {
        Level::Day(d) => {
            let day = &results.days[d as usize];
            Some(Row {
                date: &day.date,
                second: day.weekday.name(),
                clock: false,
                entry: e,
                estimate: x,
            })
        }
        _ => None,
    })
}

/// The rows of `intervals.csv`, in its order (as `csv::intervals_to`
/// finds them: the figures come in interval order, as the labels do).
fn interval_rows(results: &RunResults) -> impl Iterator<Item = Row<'_>> {
    let mut at = results.intervals.iter().peekable();
    results.figures().filter_map(move |(e, x)| {
        let Level::Interval(i) = e.level else {
            return None;
        };
        while at.peek().is_some_and(|l| l.index != i) {
            at.next();
        }
        let l = at.peek()?;
        Some(Row {
            date: &results.days[l.day as usize].date,
            second: &l.start,
            clock: true,
            entry: e,
            estimate: x,
        })
    })
}

/// A long table (the columns of its CSV file), over as many sheets as it
/// needs.
struct Table {
    name: &'static str,
    period: [&'static str; 2],
    /// Its rows, the header not included.
    rows: usize,
}

impl Table {
    /// Writes the table's rows, `per_sheet` rows a sheet (header included).
    fn write<'a>(
        &self,
        book: &mut Workbook,
        results: &'a RunResults,
        st: &Styles,
        per_sheet: u32,
        rows: &mut dyn Iterator<Item = Row<'a>>,
    ) -> Result<(), XlsxError> {
        let body = (per_sheet - 1) as usize;
        let sheets = self.rows.div_ceil(body).max(1);
        let widths = self.widths(results);
        let mut left = self.rows;
        for k in 0..sheets {
            let ws = book.add_worksheet_with_low_memory()?;
            ws.set_name(if k == 0 {
                self.name.to_string()
            } else {
                format!("{} ({})", self.name, k + 1)
            })?;
            let columns = self.period.iter().chain(FIGURE_COLUMNS.iter());
            for (c, (title, width)) in columns.zip(&widths).enumerate() {
                ws.set_column_width(c as u16, *width)?;
                ws.write_string_with_format(0, c as u16, *title, &st.header)?;
            }
            let here = left.min(body);
            left -= here;
            ws.autofilter(0, 0, here.max(1) as u32, widths.len() as u16 - 1)?;
            ws.set_freeze_panes(1, 2)?;
            for (i, row) in (&mut *rows).take(here).enumerate() {
                write_row(ws, i as u32 + 1, &row, results, st)?;
            }
        }
        Ok(())
    }

    /// Column widths: the period columns, then those of [`FIGURE_COLUMNS`].
    fn widths(&self, results: &RunResults) -> Vec<f64> {
        let names = &results.names;
        let longest = names
            .themes
            .iter()
            .chain(&names.lines)
            .chain(&names.pools)
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0);
        let name = (longest as f64 + 2.0).clamp(8.0, 40.0);
        vec![
            11.0, 9.0, 9.0, name, 9.0, 20.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 6.0, 10.0,
        ]
    }
}

/// One row of a long table: the cells of its CSV row, numbers as numbers.
fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &Row,
    results: &RunResults,
    st: &Styles,
) -> Result<(), XlsxError> {
    match excel_date(row.date) {
        Some(d) => ws.write_number_with_format(r, 0, d, &st.date)?,
        None => ws.write_string(r, 0, row.date)?,
    };
    match row.clock.then(|| excel_time(row.second)).flatten() {
        Some(t) => ws.write_number_with_format(r, 1, t, &st.time)?,
        None => ws.write_string(r, 1, row.second)?,
    };
    let n = &results.names;
    let entry = row.entry;
    let (scope, name, channel) = match entry.scope {
        Scope::Channel(c) => ("channel", "", c.name()),
        Scope::Theme(t, c) => ("theme", n.themes[t].as_str(), c.name()),
        Scope::Line(l, c) => ("line", n.lines[l].as_str(), c.name()),
        Scope::Pool(p) => ("pool", n.pools[p].as_str(), ""),
        Scope::Total => ("total", "", ""),
    };
    ws.write_string(r, 2, scope)?;
    if !name.is_empty() {
        ws.write_string(r, 3, name)?;
    }
    if !channel.is_empty() {
        ws.write_string(r, 4, channel)?;
    }
    ws.write_string(r, 5, entry.metric.name())?;
    let format = st.of(entry.metric, false);
    let e = row.estimate;
    for (c, x) in [e.mean, e.ci_low, e.ci_high, e.p5, e.p50, e.p95]
        .into_iter()
        .enumerate()
    {
        if let Some(x) = x {
            ws.write_number_with_format(r, 6 + c as u16, x, format)?;
        }
    }
    ws.write_number_with_format(r, 12, e.n, &st.whole)?;
    ws.write_boolean(r, 13, e.few_replications)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_and_dates_become_excel_serials() {
        assert_eq!(excel_time("08:15"), Some(495.0 / 1440.0));
        assert_eq!(excel_time("00:00"), Some(0.0));
        assert_eq!(excel_time("8h"), None);
        // 1 January 1900 is day 1 of Excel's calendar; 2021-04-01 is 44287.
        assert_eq!(excel_date("2021-04-01"), Some(44287.0));
    }

    #[test]
    fn a_text_too_long_for_a_cell_is_cut_and_says_so() {
        let long = "x".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), 32_767);
        assert!(cut.ends_with("characters in a cell)"));
        assert_eq!(cell_text("short"), "short");
    }
}
