//! The terminal's house style: how figures are written (shares, counts,
//! durations, with their 95% CI) and how tables look, for every command's
//! view.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use crate::model::Bound;
use crate::model::duration::format_duration;
use crate::stats::{Estimate, On, Verdict};

/// A share's mean in percent: `85.3%`.
pub fn pct(e: Option<&Estimate>) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) => format!("{:.1}%", m * 100.0),
        None => "–".to_string(),
    }
}

/// A share's mean with its 95% CI in percent: `85.3% [84.9, 85.7]`.
pub fn pct_ci(e: Option<&Estimate>) -> String {
    match e {
        Some(Estimate {
            mean: Some(m),
            ci_low: Some(l),
            ci_high: Some(h),
            ..
        }) => format!("{:.1}% [{}, {}]", m * 100.0, share_end(*l), share_end(*h)),
        other => pct(other),
    }
}

/// An end of a share's CI in percent, to a tenth of a point, never written
/// as certain when it is not: an end short of 100% is written `99.9` at
/// most, an end above 0% `0.1` at least, since `[100.0, 100.0]` would claim
/// a certainty the replications do not give.
pub fn share_end(x: f64) -> String {
    let text = format!("{:.1}", x * 100.0);
    match text.as_str() {
        "100.0" if x < 1.0 => "99.9".to_string(),
        "0.0" | "-0.0" if x > 0.0 => "0.1".to_string(),
        "-0.0" => "0.0".to_string(),
        _ => text,
    }
}

/// How many replications define a figure when fewer than all of the run's
/// `replications` do: ` (15 of 20 runs)`, or ` (only 3 of 20 runs)` when
/// fewer than half do ([`Estimate::defined_by_few`]); empty otherwise (and
/// for a figure without a value, shown as `–`).
pub fn runs_note(e: Option<&Estimate>, replications: u32) -> String {
    match e {
        Some(e) if e.mean.is_some() && e.n < replications => {
            let only = if Estimate::defined_by_few(e.n, replications) {
                "only "
            } else {
                ""
            };
            format!(" ({only}{} of {replications} runs)", e.n)
        }
        _ => String::new(),
    }
}

/// The note under tables in which [`runs_note`] marked a figure.
pub const RUNS_NOTE: &str = "(k of R runs): the figure exists in only k of the R replications; \
in the others it has no contact to be taken over (for e-mail, none picked up or due by the end of \
the horizon: an e-mail still waiting then whose deadline lies beyond it is left out). \"only\": \
fewer than half of them, too few to rely on.";

pub fn count(e: Option<&Estimate>) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) => group_thousands(m.round()),
        None => "–".to_string(),
    }
}

pub fn seconds(e: Option<&Estimate>) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) => format_duration(m),
        None => "–".to_string(),
    }
}

pub fn number(e: Option<&Estimate>, decimals: usize) -> String {
    match e.and_then(|e| e.mean) {
        Some(m) if decimals == 0 => group_thousands(m.round()),
        Some(m) => format!("{m:.decimals$}"),
        None => "–".to_string(),
    }
}

/// A whole amount with its 95% CI: `2,520 [2,480, 2,560]`.
pub fn number_ci(e: Option<&Estimate>) -> String {
    match e {
        Some(Estimate {
            mean: Some(m),
            ci_low: Some(l),
            ci_high: Some(h),
            ..
        }) => format!(
            "{} [{}, {}]",
            group_thousands(m.round()),
            group_thousands(l.round()),
            group_thousands(h.round())
        ),
        other => number(other, 0),
    }
}

pub use crate::model::numbers::group_thousands;

/// Colours on or off, decided once by the caller (a terminal that wants them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Bold headers; reachability green or red against the scenario's target.
    On,
    /// Plain text, for pipes, files and `NO_COLOR`.
    Off,
}

/// A table in the house style.
pub fn table(header: &[&str], colour: Colour) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    match colour {
        Colour::On => t.enforce_styling(),
        Colour::Off => t.force_no_tty(),
    };
    t
}

/// A reachability cell with its CI (and, when fewer than the run's
/// `replications` define it, how many do), green when the whole interval
/// meets the target, red when the whole interval misses it, plain otherwise.
pub fn against_target(e: Option<&Estimate>, target: Option<f64>, replications: u32) -> Cell {
    let cell = Cell::new(pct_ci(e) + &runs_note(e, replications));
    match target_verdict(e, target) {
        Verdict::Holds => cell.fg(Color::Green),
        Verdict::Broken => cell.fg(Color::Red),
        Verdict::Unsure => cell.fg(Color::Yellow),
        Verdict::Undefined => cell,
    }
}

/// A reachability figure against its target, judged on the whole 95% CI;
/// undefined without a target.
pub fn target_verdict(e: Option<&Estimate>, target: Option<f64>) -> Verdict {
    match (e, target) {
        (Some(e), Some(t)) => e.verdict(Bound::AtLeast, t, On::Ci),
        _ => Verdict::Undefined,
    }
}

pub fn align_numbers(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// A table as text, for the terminal and the HTML report alike.
pub struct TextTable {
    /// Column titles.
    pub header: Vec<String>,
    /// The rows, each as wide as the header.
    pub rows: Vec<Vec<String>>,
    /// Whether the last row is a total (bold).
    pub total: bool,
}

impl TextTable {
    /// The table in the terminal's house style, numbers right-aligned from
    /// column `from`.
    pub fn render(&self, colour: Colour, from: usize) -> Table {
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        let mut t = table(&header, colour);
        for (i, row) in self.rows.iter().enumerate() {
            let bold = self.total && i + 1 == self.rows.len();
            t.add_row(row.iter().enumerate().map(|(j, x)| {
                let cell = Cell::new(x);
                if bold && j == 0 {
                    cell.add_attribute(Attribute::Bold)
                } else {
                    cell
                }
            }));
        }
        align_numbers(&mut t, from);
        t
    }
}
