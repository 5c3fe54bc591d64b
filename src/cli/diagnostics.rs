//! Scenario errors rendered with source snippets (miette), in a bounded
//! number of characters whatever the file: a long line is shown around the
//! error's column only, a long message or path keeps its start and its end,
//! and a span over many lines is shown from its first line.
//!
//! miette reads the snippet from an [`Excerpt`]: the lines around the error,
//! each clipped to a window, numbered and located as in the file. So a
//! snippet costs the same for an error in column 72,000 of a 5 MB line as
//! for one in column 8 (miette itself would print the whole line, and
//! panics on a column past 65,535).

use std::io::IsTerminal;
use std::ops::Range;

use ccsim::scenario::ScenarioErrors;
use ccsim::scenario::error::line_column;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, Report, SourceCode, SourceSpan, SpanContents,
};

/// A line longer than this many characters is clipped to [`WINDOW`].
const LONG_LINE: usize = 160;
/// Characters shown of a clipped line (besides the `…` that mark the cuts).
const WINDOW: usize = 100;
/// Characters shown before the error's column on a clipped line.
const LEAD: usize = 40;
/// A span over more lines than this is shown from its first line only.
const SPAN_LINES: usize = 12;
/// A message or path longer than this many characters keeps its first
/// [`HEAD`] and last [`TAIL`] ones.
const LONG_TEXT: usize = 400;
/// Characters kept at the start of a clipped message or path.
const HEAD: usize = 250;
/// Characters kept at the end of a clipped message or path (where a
/// message's advice is).
const TAIL: usize = 140;
/// Lines of the file shown before and after the error (miette's default);
/// the excerpt holds one more on each side, so miette picks them as it
/// would from the whole file.
const CONTEXT: usize = 1;

/// Every error of a scenario, each as `file:line:column: `path`: message`
/// followed by the snippet it points at.
pub fn render(errors: &ScenarioErrors) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(CONTEXT);
    let lines = Lines::new(&errors.source);
    let mut out = String::new();
    for e in &errors.errors {
        let location = match &e.span {
            Some(span) => {
                let (line, column) = lines.line_column(&errors.source, span.start);
                format!("{}:{}:{}", errors.file, line, column)
            }
            None => errors.file.clone(),
        };
        let message = clip(&e.message);
        let path = clip(&e.path);
        let headline = if path.is_empty() {
            format!("{location}: {message}")
        } else {
            format!("{location}: `{path}`: {message}")
        };
        out += &headline;
        out.push('\n');
        if let Some(span) = &e.span {
            let label = if path.is_empty() {
                "here".to_string()
            } else {
                path.clone()
            };
            let (excerpt, at) = Excerpt::new(&errors.file, &errors.source, &lines, span);
            let diagnostic =
                MietteDiagnostic::new(message).with_labels(vec![LabeledSpan::at(at, label)]);
            let report = Report::new(diagnostic).with_source_code(excerpt);
            let mut snippet = String::new();
            if handler.render_report(&mut snippet, report.as_ref()).is_ok() {
                out += &snippet;
            }
        }
    }
    let n = errors.errors.len();
    out += &format!(
        "{} problem{} in {}\n",
        n,
        if n == 1 { "" } else { "s" },
        errors.file
    );
    out
}

/// `text` when it has at most [`LONG_TEXT`] characters, else its first
/// [`HEAD`] and last [`TAIL`] characters joined by `…`.
fn clip(text: &str) -> String {
    let n = text.chars().count();
    if n <= LONG_TEXT {
        return text.to_string();
    }
    let head: String = text.chars().take(HEAD).collect();
    let tail: String = text.chars().skip(n - TAIL).collect();
    format!("{head}…{tail}")
}

/// Where each line of a text starts, to find an offset's line in
/// logarithmic time (a file with many errors is not scanned once per error).
struct Lines {
    /// Byte offset of each line's first byte; the first is 0.
    starts: Vec<usize>,
    /// The text's length.
    len: usize,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// The line (0-based) holding byte `offset`.
    fn of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Line `i`'s bytes without its line ending (`\n` or `\r\n`), and the
    /// end of the line ending.
    fn bounds(&self, text: &str, i: usize) -> (Range<usize>, usize) {
        let start = self.starts[i];
        let next = self.starts.get(i + 1).copied().unwrap_or(self.len);
        let mut end = next;
        if end > start && text.as_bytes()[end - 1] == b'\n' {
            end -= 1;
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
        }
        (start..end, next)
    }

    /// Line and column, both 1-based, the column in characters, as
    /// [`line_column`] gives them for the whole text.
    fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = text.floor_char_boundary(offset.min(self.len));
        let line = self.of(offset);
        let start = self.starts[line];
        let (l, c) = line_column(&text[start..], offset - start);
        debug_assert_eq!(l, 1);
        (line + 1, c)
    }
}

/// One line of an [`Excerpt`]: which bytes of the file's line it shows.
struct Piece {
    /// Where the line starts in the excerpt's text.
    at: usize,
    /// Where the line starts in the file.
    line_start: usize,
    /// The bytes of the file's line shown.
    window: Range<usize>,
    /// Bytes of the `…` before the window (0 when the line is shown from
    /// its start).
    prefix: usize,
}

/// The lines of a file around an error, each clipped to a window around
/// the error's column when it is long, for miette: it numbers the lines
/// and gives the header's column as in the file.
struct Excerpt {
    /// The file's name, for the snippet's header.
    name: String,
    /// The lines shown, joined by their line endings.
    text: String,
    /// The line (0-based) of the file that the excerpt starts with.
    first_line: usize,
    /// The excerpt's lines, in order.
    pieces: Vec<Piece>,
}

impl Excerpt {
    /// The excerpt of `source` around `span`, and where `span` lies in it.
    fn new(
        name: &str,
        source: &str,
        lines: &Lines,
        span: &Range<usize>,
    ) -> (Excerpt, Range<usize>) {
        let start = source.floor_char_boundary(span.start.min(source.len()));
        let mut end = source.floor_char_boundary(span.end.clamp(start, source.len()));
        let first = lines.of(start);
        // The line of the span's last byte.
        let mut last = lines.of(end.saturating_sub(1).max(start));
        if last - first >= SPAN_LINES {
            end = lines.bounds(source, first).0.end.max(start);
            last = first;
        }
        let from = first.saturating_sub(CONTEXT + 1);
        let to = (last + CONTEXT + 1).min(lines.starts.len() - 1);
        let mut text = String::new();
        let mut pieces = Vec::new();
        for i in from..=to {
            let (bytes, next) = lines.bounds(source, i);
            let line = &source[bytes.clone()];
            // The error's column on its first line, the line's start on others.
            let anchor = if i == first {
                source[bytes.start..start].chars().count()
            } else {
                0
            };
            let (window, cut_before, cut_after) = window(line, anchor);
            let piece = Piece {
                at: text.len(),
                line_start: bytes.start,
                window: bytes.start + window.start..bytes.start + window.end,
                prefix: if cut_before { '…'.len_utf8() } else { 0 },
            };
            if cut_before {
                text.push('…');
            }
            text += &line[window.clone()];
            if cut_after {
                text.push('…');
            }
            text += &source[bytes.end..next];
            pieces.push(piece);
        }
        let excerpt = Excerpt {
            name: name.to_string(),
            text,
            first_line: from,
            pieces,
        };
        let at = excerpt.place(lines.of(start), start)..excerpt.place(lines.of(end), end);
        (excerpt, at)
    }

    /// Where byte `offset` of the file's line `line` lies in the excerpt
    /// (at the nearer edge of the window when it lies outside).
    fn place(&self, line: usize, offset: usize) -> usize {
        let i = line
            .saturating_sub(self.first_line)
            .min(self.pieces.len() - 1);
        let p = &self.pieces[i];
        let o = offset.clamp(p.window.start, p.window.end);
        p.at + p.prefix + (o - p.window.start)
    }
}

/// The byte range of `line` to show, and whether it is cut before and
/// after: all of it when it has at most [`LONG_LINE`] characters, else
/// [`WINDOW`] characters starting [`LEAD`] before character `anchor` (or
/// ending with the line).
fn window(line: &str, anchor: usize) -> (Range<usize>, bool, bool) {
    let n = line.chars().count();
    if n <= LONG_LINE {
        return (0..line.len(), false, false);
    }
    let first = anchor.saturating_sub(LEAD).min(n - WINDOW);
    let byte = |c: usize| line.char_indices().nth(c).map_or(line.len(), |(b, _)| b);
    let (a, b) = (byte(first), byte(first + WINDOW));
    (a..b, first > 0, first + WINDOW < n)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let mut column = inner.column();
        if context_lines_before == 0 {
            // The header's column: the byte column in the file's line.
            let p = &self.pieces[inner.line().min(self.pieces.len() - 1)];
            column = (p.window.start - p.line_start) + column.saturating_sub(p.prefix);
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccsim::scenario::ScenarioError;

    fn errors(source: &str, span: Range<usize>, path: &str, message: &str) -> ScenarioErrors {
        ScenarioErrors {
            file: "f.toml".to_string(),
            source: source.to_string(),
            errors: vec![ScenarioError {
                path: path.to_string(),
                message: message.to_string(),
                span: Some(span),
            }],
        }
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let source = "a = 1\nb = 2\nc = 3\nd = 4\n";
        let out = render(&errors(source, 10..11, "b", "must be 3"));
        assert_eq!(
            out,
            "f.toml:2:5: `b`: must be 3
  × must be 3
   ╭─[f.toml:2:5]
 1 │ a = 1
 2 │ b = 2
   ·     ┬
   ·     ╰── b
 3 │ c = 3
   ╰────
1 problem in f.toml
"
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_error_column() {
        let long = format!("x = [{}9]", "1, ".repeat(30_000));
        let source = format!("[t]\n{long}\ny = 2\n");
        let at = source.find('9').unwrap();
        let out = render(&errors(&source, at..at + 1, "t.x", "not 9"));
        let expected = format!(
            "f.toml:2:{col}: `t.x`: not 9
  × not 9
   ╭─[f.toml:2:{col}]
 1 │ [t]
 2 │ …{before}9]
   · {pad}┬
   · {pad}╰── t.x
 3 │ y = 2
   ╰────
1 problem in f.toml
",
            // The `9` is the line's last character but one: the window is
            // the line's last 100 characters, not 40 before the error.
            col = long.len() - 1,
            before = &long[long.len() - 100..long.len() - 2],
            pad = " ".repeat(99),
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn a_long_line_is_clipped_after_the_error_too() {
        let long = format!("x = [9, {}]", "1, ".repeat(30_000));
        let source = format!("{long}\n");
        let out = render(&errors(&source, 5..6, "x", "not 9"));
        let snippet_line = out.lines().nth(3).unwrap();
        assert_eq!(snippet_line, format!(" 1 │ {}…", &long[..100]));
        assert!(out.starts_with("f.toml:1:6: `x`: not 9\n"), "{out}");
        assert!(out.contains("[f.toml:1:6]"), "{out}");
    }

    #[test]
    fn a_span_over_many_lines_is_shown_from_its_first_line() {
        let source: String = (0..100).map(|i| format!("v{i} = {i}\n")).collect();
        let out = render(&errors(&source, 0..source.len(), "", "too many"));
        assert!(out.lines().count() < 12, "{out}");
        assert!(out.contains(" 1 │ v0 = 0"), "{out}");
        assert!(!out.contains("v3 = 3"), "{out}");
    }

    #[test]
    fn long_messages_and_paths_keep_their_start_and_end() {
        let message = format!("\"{}\" is not a duration", "x".repeat(10_000));
        let out = render(&errors("a = 1\n", 4..5, "a", &message));
        let headline = out.lines().next().unwrap();
        assert_eq!(headline.chars().count(), "f.toml:1:5: `a`: ".len() + 391);
        assert!(headline.ends_with("xxx\" is not a duration"), "{headline}");
        assert!(out.len() < 2_000, "{out}");
    }
}
