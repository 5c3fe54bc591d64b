//! The folder the workbench serves, and the only way a client's path becomes
//! a file: a relative name (`quickstart.toml`, `plans/q2-more-staff.toml`)
//! inside the folder. Absolute paths, `..`, hidden names, backslashes and
//! control characters are refused before the file system is asked; what
//! remains is resolved and checked once more after following links, so a
//! symbolic link pointing out of the folder is refused too.
//!
//! Without a folder, the workbench serves the curated scenarios embedded in
//! the binary, read-only: nothing is written to the user's disk unless they
//! start it on a folder of their own.

use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::files;

/// The curated scenarios, as shipped in `scenarios/` and embedded in the binary.
pub const CURATED: &[(&str, &str)] = &[
    (
        "quickstart.toml",
        include_str!("../../scenarios/quickstart.toml"),
    ),
    (
        "vlaanderen-1700-2021q1.toml",
        include_str!("../../scenarios/vlaanderen-1700-2021q1.toml"),
    ),
    (
        "vlaanderen-1700-2021q2.toml",
        include_str!("../../scenarios/vlaanderen-1700-2021q2.toml"),
    ),
    (
        "vlaanderen-1700-vaccination-redials.toml",
        include_str!("../../scenarios/vlaanderen-1700-vaccination-redials.toml"),
    ),
    (
        "sector-lines.toml",
        include_str!("../../scenarios/sector-lines.toml"),
    ),
    ("shifts.toml", include_str!("../../scenarios/shifts.toml")),
    (
        "municipal-front-desk.toml",
        include_str!("../../scenarios/municipal-front-desk.toml"),
    ),
    (
        "forecast-covid-certificates.toml",
        include_str!("../../scenarios/forecast-covid-certificates.toml"),
    ),
];

/// The longest name accepted, in bytes.
const MAX_NAME: usize = 255;
/// How deep the library looks into subfolders (`plans/x.toml` is depth 1).
const MAX_DEPTH: usize = 2;
/// At most this many scenarios are listed.
const MAX_LISTED: usize = 1000;

/// Where the scenarios come from.
#[derive(Debug, Clone)]
enum Source {
    /// A folder on disk (canonical path).
    Dir(PathBuf),
    /// The curated scenarios embedded in the binary.
    Embedded,
}

/// The library of scenarios the workbench serves.
#[derive(Debug, Clone)]
pub struct Folder {
    source: Source,
}

/// Why a path or a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FolderError {
    /// The name is not a plain relative name inside the folder.
    #[error("{0}")]
    Refused(String),
    /// No such scenario.
    #[error("no scenario `{0}` in the library")]
    NotFound(String),
    /// The library cannot be written to.
    #[error(
        "the built-in scenarios are read-only: start the workbench on a folder of your own (`ccsim serve my-scenarios/`) to save"
    )]
    ReadOnly,
    /// The file system said no.
    #[error("{0}")]
    Io(String),
}

impl Folder {
    /// A folder on disk; it must exist and be a directory.
    pub fn open(path: &Path) -> Result<Folder, FolderError> {
        let dir = path.canonicalize().map_err(|e| {
            FolderError::Io(format!("cannot serve the folder {}: {e}", path.display()))
        })?;
        if !dir.is_dir() {
            return Err(FolderError::Io(format!(
                "cannot serve {}: it is not a folder",
                path.display()
            )));
        }
        Ok(Folder {
            source: Source::Dir(dir),
        })
    }

    /// The curated scenarios embedded in the binary, read-only.
    pub fn embedded() -> Folder {
        Folder {
            source: Source::Embedded,
        }
    }

    /// The folder on disk, if any.
    pub fn dir(&self) -> Option<&Path> {
        match &self.source {
            Source::Dir(d) => Some(d),
            Source::Embedded => None,
        }
    }

    /// What the page shows as the library's name.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Dir(d) => d.display().to_string(),
            Source::Embedded => "built-in scenarios (read-only)".to_string(),
        }
    }

    /// Whether scenarios can be saved.
    pub fn writable(&self) -> bool {
        matches!(self.source, Source::Dir(_))
    }

    /// The scenarios (`.toml` files) of the library, by name, sorted; in
    /// subfolders too (not hidden ones), at most [`MAX_DEPTH`] deep.
    pub fn list(&self) -> Result<Vec<String>, FolderError> {
        match &self.source {
            Source::Embedded => Ok(CURATED.iter().map(|(n, _)| n.to_string()).collect()),
            Source::Dir(dir) => {
                let mut names = Vec::new();
                walk(dir, dir, 0, &mut names);
                names.sort();
                names.truncate(MAX_LISTED);
                Ok(names)
            }
        }
    }

    /// Checks a client's name and returns the file it names (which may not
    /// exist yet), inside the folder. `extension` is required of the name
    /// (`"toml"` for scenarios).
    pub fn resolve(&self, name: &str, extension: &str) -> Result<PathBuf, FolderError> {
        let relative = check_name(name, extension)?;
        let Source::Dir(dir) = &self.source else {
            return Ok(relative);
        };
        let path = dir.join(&relative);
        // Follow every link that exists on the way: the file itself, or the
        // deepest folder that exists, must still be inside the folder.
        let mut existing = path.as_path();
        let real = loop {
            match existing.canonicalize() {
                Ok(real) => break real,
                Err(_) => match existing.parent() {
                    Some(parent) => existing = parent,
                    None => return Err(outside(name)),
                },
            }
        };
        if !real.starts_with(dir) {
            return Err(outside(name));
        }
        if existing == path && real.is_dir() {
            return Err(FolderError::Refused(format!("`{name}` is a folder")));
        }
        Ok(path)
    }

    /// The text of a scenario of the library.
    pub fn read(&self, name: &str) -> Result<String, FolderError> {
        match &self.source {
            Source::Embedded => {
                check_name(name, "toml")?;
                CURATED
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, text)| text.to_string())
                    .ok_or_else(|| FolderError::NotFound(name.to_string()))
            }
            Source::Dir(_) => {
                let path = self.resolve(name, "toml")?;
                let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => FolderError::NotFound(name.to_string()),
                    _ => FolderError::Io(format!("cannot read `{name}`: {e}")),
                })?;
                String::from_utf8(bytes).map_err(|e| {
                    FolderError::Refused(format!(
                        "`{name}` is not UTF-8 text (byte {} is not)",
                        e.utf8_error().valid_up_to()
                    ))
                })
            }
        }
    }

    /// Whether a scenario of that name exists.
    pub fn exists(&self, name: &str) -> Result<bool, FolderError> {
        match self.read(name) {
            Ok(_) => Ok(true),
            Err(FolderError::NotFound(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Writes a scenario whole or not at all (temporary file and rename),
    /// creating its subfolder inside the folder if needed.
    pub fn write(&self, name: &str, text: &str) -> Result<(), FolderError> {
        if !self.writable() {
            return Err(FolderError::ReadOnly);
        }
        let path = self.resolve(name, "toml")?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                FolderError::Io(format!("cannot create the folder of `{name}`: {e}"))
            })?;
            // The folder just made must be inside too (no link raced in).
            self.resolve(name, "toml")?;
        }
        files::write_atomically(&path, text.as_bytes())
            .map_err(|e| FolderError::Io(format!("cannot write `{name}`: {e}")))
    }

    /// The folder relative file names inside a scenario are resolved from
    /// (`None` for the embedded scenarios).
    pub fn base_dir(&self, name: &str) -> Option<PathBuf> {
        let dir = self.dir()?;
        let relative = check_name(name, "toml").ok()?;
        Some(
            dir.join(relative)
                .parent()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
        )
    }
}

/// A version tag of a text: the SHA-256 of its bytes, in hexadecimal. The
/// page sends back the version it opened so a save can tell whether the
/// file changed on disk meanwhile.
pub fn version(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

fn outside(name: &str) -> FolderError {
    FolderError::Refused(format!(
        "`{name}` is outside the workbench's folder: only files inside it can be read or written"
    ))
}

/// A plain relative name: components of letters, digits, `-`, `_`, `.`,
/// spaces and the like; no `..`, no hidden component, no absolute path, no
/// backslash or control character; ending in `.EXTENSION`.
fn check_name(name: &str, extension: &str) -> Result<PathBuf, FolderError> {
    let refuse = |why: &str| FolderError::Refused(format!("`{name}` is refused: {why}"));
    if name.is_empty() {
        return Err(FolderError::Refused("the file name is empty".into()));
    }
    if name.len() > MAX_NAME {
        return Err(FolderError::Refused(format!(
            "the file name is {} bytes long; at most {MAX_NAME} are accepted",
            name.len()
        )));
    }
    if name
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == ':')
    {
        return Err(refuse(
            "a name may not hold control characters, backslashes or colons",
        ));
    }
    let path = Path::new(name);
    let mut relative = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_string_lossy();
                if part.starts_with('.') {
                    return Err(refuse("hidden files and `..` are not served"));
                }
                relative.push(part.as_ref());
            }
            Component::CurDir => {}
            Component::ParentDir => {
                return Err(refuse(
                    "`..` would leave the workbench's folder; use a name inside it",
                ));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse(
                    "absolute paths are not served; use a name inside the workbench's folder",
                ));
            }
        }
    }
    if relative.components().count() > MAX_DEPTH + 1 {
        return Err(refuse(&format!(
            "at most {MAX_DEPTH} subfolders deep inside the workbench's folder"
        )));
    }
    if relative.extension().and_then(|e| e.to_str()) != Some(extension) {
        return Err(refuse(&format!("only .{extension} files are served here")));
    }
    Ok(relative)
}

fn walk(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if out.len() >= MAX_LISTED {
            return;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Links are followed only when they stay inside the folder.
        let Ok(real) = path.canonicalize() else {
            continue;
        };
        if !real.starts_with(root) {
            continue;
        }
        if real.is_dir() {
            if depth < MAX_DEPTH {
                walk(root, &path, depth + 1, out);
            }
        } else if name.ends_with(".toml")
            && let Ok(rel) = path.strip_prefix(root)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for bad in [
            "../x.toml",
            "a/../../x.toml",
            "/etc/passwd.toml",
            ".hidden.toml",
            "a\\..\\x.toml",
            "x.txt",
            "",
            "a/b/c/d.toml",
        ] {
            assert!(
                matches!(check_name(bad, "toml"), Err(FolderError::Refused(_))),
                "{bad}"
            );
        }
        assert_eq!(
            check_name("plans/q2.toml", "toml").unwrap(),
            PathBuf::from("plans/q2.toml")
        );
    }

    #[test]
    fn the_embedded_library_holds_every_curated_scenario() {
        let listed: Vec<String> = std::fs::read_dir("scenarios")
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        let library = Folder::embedded().list().unwrap();
        for name in &listed {
            assert!(library.contains(name), "{name} is not embedded");
        }
        assert_eq!(library.len(), listed.len());
    }
}
