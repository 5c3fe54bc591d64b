//! Scenario errors rendered with source snippets (miette).

use std::io::IsTerminal;

use ccsim::scenario::ScenarioErrors;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

/// Every error of a scenario, each as `file:line:column: `path`: message`
/// followed by the snippet it points at.
pub fn render(errors: &ScenarioErrors) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for e in &errors.errors {
        let headline = if e.path.is_empty() {
            format!("{}: {}", errors.location(e), e.message)
        } else {
            format!("{}: `{}`: {}", errors.location(e), e.path, e.message)
        };
        out += &headline;
        out.push('\n');
        if let Some(span) = &e.span {
            let label = if e.path.is_empty() {
                "here".to_string()
            } else {
                e.path.clone()
            };
            let diagnostic = MietteDiagnostic::new(e.message.clone())
                .with_labels(vec![LabeledSpan::at(span.clone(), label)]);
            let report = Report::new(diagnostic)
                .with_source_code(NamedSource::new(errors.file.clone(), errors.source.clone()));
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
