//! Errors in a scenario file, each with its location and the field's dotted path.

use std::fmt;
use std::ops::Range;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the field, e.g. `pools.generalists.agents` (empty for the whole file).
    pub path: String,
    /// What is wrong, and what is expected.
    pub message: String,
    /// Byte range in the file, when known.
    pub span: Option<Range<usize>>,
}

/// Every problem found in one scenario file (validation reports them all at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioErrors {
    /// The file's name as given by the user (or `<embedded>`).
    pub file: String,
    /// The file's text, for line numbers and snippets.
    pub source: String,
    /// The problems, in file order.
    pub errors: Vec<ScenarioError>,
}

/// Line and column (both 1-based, column in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..source.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl ScenarioErrors {
    /// `file:line:column` of an error (just the file when the span is unknown).
    pub fn location(&self, error: &ScenarioError) -> String {
        match &error.span {
            Some(span) => {
                let (line, column) = line_column(&self.source, span.start);
                format!("{}:{}:{}", self.file, line, column)
            }
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if e.path.is_empty() {
                write!(f, "{}: {}", self.location(e), e.message)?;
            } else {
                write!(f, "{}: `{}`: {}", self.location(e), e.path, e.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// Collects problems while a scenario is validated.
#[derive(Debug, Default)]
pub struct Problems {
    /// The problems so far.
    pub list: Vec<ScenarioError>,
}

impl Problems {
    /// Notes a problem at `path`, located at `span`.
    pub fn add(
        &mut self,
        path: impl Into<String>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) {
        self.list.push(ScenarioError {
            path: path.into(),
            message: message.into(),
            span,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_of_offsets() {
        let s = "a = 1\nbé = 2\n";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 6), (2, 1));
        assert_eq!(line_column(s, 10), (2, 4));
    }
}
