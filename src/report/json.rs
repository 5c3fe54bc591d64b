//! JSON output, written atomically.

use std::path::Path;

use crate::files::write_atomically_with;
use crate::stats::RunResults;

/// The results as `summary.json`'s pretty-printed JSON.
pub fn to_json(results: &RunResults) -> String {
    // Serialising plain maps of numbers cannot fail.
    serde_json::to_string_pretty(&results.to_file()).unwrap_or_default() + "\n"
}

/// Writes the results as [`to_json`] does, straight into `path`
/// (atomically), without holding the whole text in memory: a five-year
/// run's summary is hundreds of megabytes.
pub fn write_summary(path: &Path, results: &RunResults) -> std::io::Result<()> {
    write_atomically_with(path, &mut |file| results.write_json(file))
}
