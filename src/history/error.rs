//! The error of every history reader: where (file, line, column) and what
//! (expected against found), in one line a planner can act on.

use std::fmt;
use std::path::Path;

/// Longest `found` text quoted in a message; longer values are cut with `…`.
const FOUND_MAX: usize = 40;

/// Why a history file or a mapping file could not be read.
///
/// Rendered as `FILE:LINE: column `NAME`: MESSAGE`, leaving out the line
/// and the column when they do not apply, e.g.
/// ``contacts.csv:12: column `wait`: expected seconds >= 0, found `-3` ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryError {
    /// The file, as its path was given.
    pub file: String,
    /// The line in the file (1 is the header of a CSV), when the error has one.
    pub line: Option<u64>,
    /// The column's name in the file's header, when the error is about one field.
    pub column: Option<String>,
    /// What is wrong, e.g. "expected seconds >= 0, found `-3`".
    pub message: String,
}

impl HistoryError {
    /// An error about a whole file (no line).
    pub fn file(path: &Path, message: impl Into<String>) -> HistoryError {
        HistoryError {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error on one line of a file.
    pub fn line(path: &Path, line: u64, message: impl Into<String>) -> HistoryError {
        HistoryError {
            line: Some(line),
            ..HistoryError::file(path, message)
        }
    }

    /// An error about one field: `expected` against the field's text.
    pub fn field(
        path: &Path,
        line: u64,
        column: &str,
        expected: &str,
        found: &[u8],
    ) -> HistoryError {
        HistoryError {
            column: Some(column.to_string()),
            ..HistoryError::line(
                path,
                line,
                format!("expected {expected}, found `{}`", quote(found)),
            )
        }
    }

    /// An error about one field with a message of its own.
    pub fn column(
        path: &Path,
        line: u64,
        column: &str,
        message: impl Into<String>,
    ) -> HistoryError {
        HistoryError {
            column: Some(column.to_string()),
            ..HistoryError::line(path, line, message)
        }
    }
}

/// A field's text as quoted in a message: lossy UTF-8, control characters
/// escaped, cut after [`FOUND_MAX`] characters.
pub fn quote(found: &[u8]) -> String {
    let text = String::from_utf8_lossy(found);
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == FOUND_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column `{column}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for HistoryError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_expected_and_found() {
        let e = HistoryError::field(Path::new("c.csv"), 12, "wait", "seconds >= 0", b"-3");
        assert_eq!(
            e.to_string(),
            "c.csv:12: column `wait`: expected seconds >= 0, found `-3`"
        );
        let e = HistoryError::file(Path::new("c.csv"), "empty file");
        assert_eq!(e.to_string(), "c.csv: empty file");
    }

    #[test]
    fn quotes_control_characters_and_cuts_long_values() {
        assert_eq!(quote(b"a\tb\r"), "a\\tb\\r");
        assert_eq!(quote(&[b'x'; 50]), format!("{}…", "x".repeat(40)));
        assert_eq!(quote(&[0xff, b'a']), "\u{fffd}a");
    }
}
