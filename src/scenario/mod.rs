//! Scenario files (TOML): parsing and validation into a [`Model`].
//!
//! ```
//! let model = ccsim::scenario::parse_str(ccsim::scenario::QUICKSTART, "quickstart.toml", None).unwrap();
//! assert_eq!(model.model.calendar.days, 7);
//! ```

pub mod edit;
pub mod error;
pub mod overrides;
pub mod spec;
pub mod theme;
pub mod validate;
pub mod values;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use error::{ScenarioError, ScenarioErrors};
use spec::ScenarioSpec;

use crate::model::Model;

/// The default scenario embedded in the binary: the 1700 line in Q2 2021.
pub const DEFAULT: &str = include_str!("../../scenarios/vlaanderen-1700-2021q2.toml");
/// Name shown for the embedded default scenario.
pub const DEFAULT_NAME: &str = "scenarios/vlaanderen-1700-2021q2.toml (embedded)";
/// A small scenario that runs in well under a second.
pub const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

/// A validated scenario: the model plus what reports say about its source.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The model the engine runs.
    pub model: Model,
    /// Replications asked for in the file's `[run]` table.
    pub replications: Option<u32>,
    /// Seed given in the file's `[run]` table.
    pub seed: Option<u64>,
    /// SHA-256 of the file's text and of the files it reads, so a report
    /// names exactly what was run: see [`hash`].
    pub hash: String,
    /// What validation changed without refusing the scenario (e.g. a peak
    /// outside the horizon, left out), located like errors, for the command
    /// line to print as warnings; `None` when there is nothing to say.
    pub notes: Option<ScenarioErrors>,
}

/// Parses and validates scenario text; `file` names it in errors, `base_dir`
/// resolves relative file names inside it.
pub fn parse_str(
    text: &str,
    file: &str,
    base_dir: Option<&Path>,
) -> Result<Scenario, ScenarioErrors> {
    let errors = |errors: Vec<ScenarioError>| ScenarioErrors {
        file: file.to_string(),
        source: text.to_string(),
        errors,
    };
    let spec: ScenarioSpec = match toml::Deserializer::parse(text) {
        Ok(de) => {
            serde_path_to_error::deserialize(de).map_err(|e| errors(vec![error::from_serde(e)]))?
        }
        Err(e) => {
            return Err(errors(vec![error::humanize_toml(
                e.message(),
                e.span(),
                text,
            )]));
        }
    };
    let mut problems = error::Problems::default();
    let model = validate::build(&spec, base_dir, &mut problems);
    let replications = spec
        .run
        .as_ref()
        .and_then(|r| r.replications.as_ref())
        .and_then(|r| {
            let n = *r.get_ref();
            if !(1..=10_000_000).contains(&n) {
                problems.add(
                    "run.replications",
                    Some(r.span()),
                    format!("must be a whole number from 1 to 10000000, got {n}"),
                );
                None
            } else {
                Some(n as u32)
            }
        });
    match model {
        Some(model) if problems.list.is_empty() => Ok(Scenario {
            model,
            replications,
            seed: spec.run.as_ref().and_then(|r| r.seed),
            notes: notes(text, file, problems.notes),
            hash: hash(text, problems.files_read),
        }),
        _ => {
            let mut list = problems.list;
            list.sort_by_key(|e| e.span.as_ref().map_or(usize::MAX, |s| s.start));
            Err(errors(list))
        }
    }
}

/// The hash of a scenario: the SHA-256 of its text followed, for each file
/// it read (empirical CSVs; by name as the scenario writes it, in byte order,
/// each name and content once), by a zero byte, the name, a zero byte and the
/// SHA-256 of the file's bytes in lowercase hexadecimal. A scenario that reads
/// no file hashes as its text alone. Names are taken as written, not resolved,
/// so the hash does not depend on the folder the scenario is run from.
/// The notes of validation, located in `text`, if any.
fn notes(text: &str, file: &str, notes: Vec<ScenarioError>) -> Option<ScenarioErrors> {
    (!notes.is_empty()).then(|| ScenarioErrors {
        file: file.to_string(),
        source: text.to_string(),
        errors: notes,
    })
}

pub fn hash(text: &str, mut files_read: Vec<(String, String)>) -> String {
    files_read.sort();
    files_read.dedup();
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    for (name, digest) in &files_read {
        hasher.update(b"\0");
        hasher.update(name.as_bytes());
        hasher.update(b"\0");
        hasher.update(digest.as_bytes());
    }
    format!("{:x}", hasher.finalize())
}

/// Why a scenario file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read scenario {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file has errors.
    #[error("{0}")]
    Invalid(#[from] ScenarioErrors),
    /// A `--set` override cannot be applied.
    #[error("{0}")]
    Override(#[from] overrides::OverrideError),
}

/// The text of a scenario file: an error when it cannot be read, and a
/// located one (line and column of the first bad byte) when it is not UTF-8.
pub fn read(path: &Path) -> Result<String, LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        file: file.clone(),
        source,
    })?;
    Ok(error::utf8(bytes, &file)?)
}

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    let file = path.display().to_string();
    let text = read(path)?;
    Ok(parse_str(&text, &file, path.parent())?)
}

/// Loads a scenario file, or the embedded default scenario when `path` is
/// `None`, with `--set` overrides applied before validation. Errors in an
/// overridden value point into the edited text, which the diagnostics show.
pub fn load_with(path: Option<&Path>, sets: &[overrides::Override]) -> Result<Scenario, LoadError> {
    let (text, file, base) = match path {
        None => (DEFAULT.to_string(), DEFAULT_NAME.to_string(), None),
        Some(p) => (read(p)?, p.display().to_string(), p.parent()),
    };
    if sets.is_empty() {
        return Ok(parse_str(&text, &file, base)?);
    }
    let edited = match overrides::apply(&text, sets) {
        Ok(edited) => edited,
        // A file that is not TOML has its own errors, located in it.
        Err(e) if edit::Editor::parse(&text).is_err() => {
            parse_str(&text, &file, base)?;
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    let label = format!(
        "{file} with --set {}",
        sets.iter()
            .map(|o| o.text.as_str())
            .collect::<Vec<_>>()
            .join(" --set ")
    );
    Ok(parse_str(&edited, &label, base)?)
}
