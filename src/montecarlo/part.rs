//! Partial results of sharded runs (`ccsim run --shard K/N`) and their merge
//! (`ccsim merge`).
//!
//! A shard runs a contiguous block of the replication indices
//! ([`crate::montecarlo::shard_range`]); replication `i` draws from streams
//! seeded from `(seed, i)` alone, so its figures are the same in a shard as in
//! a single run. A part file keeps every figure of every replication of its
//! block, bit for bit, and the [`RunResults::frame`] of the scenario; the
//! merge lays the blocks end to end in index order and aggregates them exactly
//! as a single run does, so the merged `summary.json`, CSV files, charts and
//! report are byte for byte those of one run with the same seed.
//!
//! # File format (version 2)
//!
//! ```text
//! CCSIM-PART 2\n                  magic and format version
//! {header JSON}\n                 PartHeader, one line
//! {skeleton JSON}\n               RunResults::frame as summary.json, one line
//! f64 × count × entries           little-endian, replication by replication
//! SHA-256 {64 hex digits}\n       checksum of every byte before this line
//! ```
//!
//! The header names the scenario (its [hash](crate::scenario::Scenario::hash),
//! which covers the files the scenario reads), the seed, the replications of
//! the whole run, the shard and its block, and the number of figures per
//! replication, so that parts of different runs are refused with a clear
//! message. The last line is the SHA-256 of everything before it (`head -c
//! -73 FILE | sha256sum` prints it): [`merge`] checks it for every part,
//! streaming, before it reads any header, so a damaged or truncated file is
//! refused as such instead of merging into wrong figures. Version 1 had no
//! checksum.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{RunResult, estimates, shard_range};
use crate::files::write_atomically_with;
use crate::stats::{RunInfo, RunResults, SummaryFile};

/// First line of every part file.
pub const MAGIC: &str = "CCSIM-PART";
/// Version of the part file format written by this ccsim.
pub const FORMAT_VERSION: u32 = 2;
/// File extension of part files.
pub const EXTENSION: &str = "ccsim-part";
/// Start of the last line of a part file, which the checksum's 64 lowercase
/// hexadecimal digits and a newline end.
const CHECKSUM_PREFIX: &[u8] = b"SHA-256 ";
/// Length of the last line: the prefix, 64 digits, a newline.
const CHECKSUM_LINE: u64 = CHECKSUM_PREFIX.len() as u64 + 64 + 1;
/// Bytes read at a time while a part's checksum is checked.
const READ_BUFFER: usize = 1 << 20;

/// What a part holds: the second line of a part file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartHeader {
    /// Version of ccsim that wrote it; parts of different versions do not merge.
    pub ccsim_version: String,
    /// Scenario name.
    pub scenario: String,
    /// The scenario's [hash](crate::scenario::Scenario::hash): SHA-256 of its
    /// text (after `--set` overrides) and of the files it reads.
    pub scenario_hash: String,
    /// Seed of the run.
    pub seed: u64,
    /// Replications of the whole run (all shards together).
    pub replications: u32,
    /// This shard's number, from 1.
    pub shard: u32,
    /// Number of shards.
    pub shards: u32,
    /// First replication index of the block.
    pub first: u32,
    /// Replications of the block whose figures the file holds.
    pub count: u32,
    /// Replications of the block asked for; more than `count` when the shard
    /// was stopped early (such a part does not merge).
    pub requested: u32,
    /// Figures per replication.
    pub entries: u32,
}

impl PartHeader {
    /// `K/N`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.shard, self.shards)
    }
}

/// The usual file name of shard `k` of `n`: `part-K-of-N.ccsim-part`.
pub fn file_name(k: u32, n: u32) -> String {
    format!("part-{k}-of-{n}.{EXTENSION}")
}

/// Why parts could not be read or merged.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file is not a part file, or is damaged.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The parts do not make one run.
    #[error("{0}")]
    Mismatch(String),
}

/// Writes the part of a shard's run: its header, the results' frame (the
/// summary skeleton), every kept replication's figures and the SHA-256 of
/// them all, atomically (temporary file and rename).
pub fn write(
    path: &Path,
    header: &PartHeader,
    frame: &RunResults,
    result: &RunResult,
) -> Result<(), PartError> {
    let io = |source| PartError::Io {
        path: path.to_path_buf(),
        source,
    };
    write_atomically_with(path, &mut |file| {
        let mut w = BufWriter::new(Hashing {
            inner: file,
            hasher: Sha256::new(),
        });
        writeln!(w, "{MAGIC} {FORMAT_VERSION}")?;
        serde_json::to_writer(&mut w, header)?;
        writeln!(w)?;
        serde_json::to_writer(&mut w, &frame.to_file())?;
        writeln!(w)?;
        for v in &result.values {
            w.write_all(&v.to_le_bytes())?;
        }
        let Hashing { inner, hasher } = w.into_inner().map_err(|e| e.into_error())?;
        inner.write_all(CHECKSUM_PREFIX)?;
        writeln!(inner, "{:x}", hasher.finalize())
    })
    .map_err(io)
}

/// A writer that hashes what it passes on.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An opened part file whose checksum holds, its values not read yet.
struct Opened {
    path: PathBuf,
    header: PartHeader,
    skeleton: String,
    /// At the first figure.
    reader: BufReader<File>,
}

/// Opens a part file: checks its format version and its checksum, then
/// reads its header and skeleton.
fn open(path: &Path) -> Result<Opened, PartError> {
    let at = At(path);
    let file = File::open(path).map_err(|e| at.io(e))?;
    let len = file.metadata().map_err(|e| at.io(e))?.len();
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let magic = read_magic(&mut reader, at)?;
    verify(&mut reader, len).map_err(|e| at.damaged(e))?;
    reader
        .seek(SeekFrom::Start(magic.len() as u64 + 1))
        .map_err(|e| at.io(e))?;
    let header_line = read_line(&mut reader, at, "header")?;
    let header: PartHeader = serde_json::from_str(&header_line)
        .map_err(|e| at.format(format!("damaged header: {e}")))?;
    let skeleton = read_line(&mut reader, at, "summary skeleton")?;
    let figures_at = (magic.len() + header_line.len() + skeleton.len() + 3) as u64;
    holds_its_figures(&header, len, figures_at, at)?;
    Ok(Opened {
        path: path.to_path_buf(),
        header,
        skeleton,
        reader,
    })
}

/// The part file being opened, to name in its errors.
#[derive(Clone, Copy)]
struct At<'p>(&'p Path);

impl At<'_> {
    /// The file is not a well-formed part file.
    fn format(self, message: String) -> PartError {
        PartError::Format {
            path: self.0.to_path_buf(),
            message,
        }
    }

    /// The file could not be read.
    fn io(self, source: std::io::Error) -> PartError {
        PartError::Io {
            path: self.0.to_path_buf(),
            source,
        }
    }

    /// The file's checksum does not hold.
    fn damaged(self, damage: Damage) -> PartError {
        match damage {
            Damage::Io(source) => self.io(source),
            Damage::NoChecksum => self.format(
                "ends without its SHA-256 checksum: the file is truncated or damaged; rerun the shard that wrote it (with --force to replace this file)"
                    .into(),
            ),
            Damage::Mismatch => self.format(
                "the file is damaged (its contents do not match the SHA-256 checksum it ends with): rerun the shard that wrote it (with --force to replace this file)"
                    .into(),
            ),
        }
    }
}

/// Reads the next line, `what` naming it in the error if the file ends
/// before it or it is not text.
fn read_line(reader: &mut BufReader<File>, at: At, what: &str) -> Result<String, PartError> {
    let mut bytes = Vec::new();
    reader.read_until(b'\n', &mut bytes).map_err(|e| at.io(e))?;
    if bytes.pop() != Some(b'\n') {
        return Err(at.format(format!("ends before its {what}: the file is truncated")));
    }
    String::from_utf8(bytes).map_err(|_| at.format(format!("its {what} is not text")))
}

/// Reads the first line and checks that it names a part file of the format
/// this ccsim reads; returns the line.
fn read_magic(reader: &mut BufReader<File>, at: At) -> Result<String, PartError> {
    let not_a_part = || {
        at.format(format!(
            "not a ccsim part file (they start with `{MAGIC} {FORMAT_VERSION}` and are written by `ccsim run --shard K/N`)"
        ))
    };
    let magic = read_line(reader, at, "first line").map_err(|_| not_a_part())?;
    match magic.strip_prefix(MAGIC).map(str::trim) {
        Some(v) if v == FORMAT_VERSION.to_string() => Ok(magic),
        Some(v) => Err(at.format(format!(
            "part file format {v}, this ccsim reads format {FORMAT_VERSION}: rerun the shards with this version"
        ))),
        None => Err(not_a_part()),
    }
}

/// Checks that the file, `len` bytes long with its figures starting at
/// `figures_at`, holds exactly the figures its header announces.
fn holds_its_figures(
    header: &PartHeader,
    len: u64,
    figures_at: u64,
    at: At,
) -> Result<(), PartError> {
    let held = (len - CHECKSUM_LINE).checked_sub(figures_at);
    let expected = u64::from(header.count) * u64::from(header.entries) * 8;
    if held != Some(expected) {
        return Err(at.format(format!(
            "holds {} bytes of figures, but its header says {} replications of {} figures: the file is damaged",
            held.unwrap_or(0),
            header.count,
            header.entries
        )));
    }
    Ok(())
}

/// Merges the parts of one sharded run into the results a single run with
/// the same scenario, seed and replications gives, byte for byte.
///
/// Checks every part's checksum first, then refuses, naming the files: a
/// damaged or truncated file; parts of different scenarios, seeds, ccsim
/// versions, replication counts or shard counts; a shard given twice or
/// missing; a part stopped early.
pub fn merge(paths: &[PathBuf]) -> Result<RunResults, PartError> {
    Parts::open(paths)?.merge()
}

/// The parts of one sharded run, opened and checked, their figures not read
/// yet: what a merge will hold is known before it holds it.
pub struct Parts {
    /// In shard order.
    parts: Vec<Opened>,
}

impl Parts {
    /// Opens the parts and checks them as [`merge`] does.
    pub fn open(paths: &[PathBuf]) -> Result<Parts, PartError> {
        if paths.is_empty() {
            return Err(PartError::Mismatch("no part files given".into()));
        }
        let mut parts = paths
            .iter()
            .map(|p| open(p))
            .collect::<Result<Vec<_>, _>>()?;
        agree(&parts)?;
        parts.sort_by_key(|p| p.header.shard);
        complete(&parts)?;
        Ok(Parts { parts })
    }

    /// The header of the first part: the run's replications and figures.
    pub fn header(&self) -> &PartHeader {
        &self.parts[0].header
    }

    /// Bytes of the parts' summary skeletons, held while merging.
    pub fn skeleton_bytes(&self) -> u64 {
        self.parts.iter().map(|p| p.skeleton.len() as u64).sum()
    }

    /// Reads every part's figures and merges them.
    pub fn merge(mut self) -> Result<RunResults, PartError> {
        let values = read_values(&mut self.parts)?;
        assemble(&self.parts, values)
    }
}

/// Checks that the parts are of one run: the same scenario, seed,
/// replications, shard count, ccsim version and layout of figures as the
/// first.
fn agree(parts: &[Opened]) -> Result<(), PartError> {
    let first = &parts[0];
    let f = &first.header;
    for p in &parts[1..] {
        let h = &p.header;
        let differ = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            PartError::Mismatch(format!(
                "{} and {} are not parts of the same run: {what} {a} and {b}",
                first.path.display(),
                p.path.display()
            ))
        };
        if h.scenario_hash != f.scenario_hash {
            return Err(differ(
                "scenario SHA-256",
                &format!("{} ({})", short(&f.scenario_hash), f.scenario),
                &format!("{} ({})", short(&h.scenario_hash), h.scenario),
            ));
        }
        if h.seed != f.seed {
            return Err(differ("seed", &f.seed, &h.seed));
        }
        if h.replications != f.replications {
            return Err(differ("replications", &f.replications, &h.replications));
        }
        if h.shards != f.shards {
            return Err(differ("shard count", &f.shards, &h.shards));
        }
        if h.ccsim_version != f.ccsim_version {
            return Err(differ("ccsim version", &f.ccsim_version, &h.ccsim_version));
        }
        if h.entries != f.entries || p.skeleton != first.skeleton {
            return Err(differ(
                "the figures' layout",
                &"of one model",
                &"of another",
            ));
        }
    }
    Ok(())
}

/// Checks that the parts, sorted by shard, hold every shard of the run
/// once, each with its whole block of replications.
fn complete(parts: &[Opened]) -> Result<(), PartError> {
    for pair in parts.windows(2) {
        if pair[0].header.shard == pair[1].header.shard {
            return Err(PartError::Mismatch(format!(
                "{} and {} are both shard {}",
                pair[0].path.display(),
                pair[1].path.display(),
                pair[0].header.label()
            )));
        }
    }
    let n = parts[0].header.shards;
    let missing: Vec<String> = (1..=n)
        .filter(|k| !parts.iter().any(|p| p.header.shard == *k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(PartError::Mismatch(format!(
            "shard{} {} missing: run `ccsim run --shard K/{n}` for {} and give every part",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            if missing.len() > 1 { "them" } else { "it" }
        )));
    }
    parts.iter().try_for_each(whole_block)
}

/// Checks that a part holds its shard's block of replications, all of them.
fn whole_block(p: &Opened) -> Result<(), PartError> {
    let h = &p.header;
    let range = shard_range(h.replications, h.shard, h.shards);
    if h.shard == 0
        || h.shard > h.shards
        || h.first != range.start
        || h.requested != range.len() as u32
    {
        return Err(PartError::Format {
            path: p.path.clone(),
            message: format!(
                "shard {} should hold replications {}..{} but says {}..{}",
                h.label(),
                range.start,
                range.end,
                h.first,
                h.first + h.requested
            ),
        });
    }
    if h.count != h.requested {
        return Err(PartError::Format {
            path: p.path.clone(),
            message: format!(
                "shard {} was stopped after {} of its {} replications: rerun it (with --force to replace this file)",
                h.label(),
                h.count,
                h.requested
            ),
        });
    }
    Ok(())
}

/// The figures of every replication of the run, the parts' blocks laid end
/// to end in shard order.
fn read_values(parts: &mut [Opened]) -> Result<Vec<f64>, PartError> {
    let entries = parts[0].header.entries as usize;
    let total = parts[0].header.replications as usize;
    let mut values = vec![0.0f64; total * entries];
    let mut buf = vec![0u8; entries * 8];
    let mut at = 0;
    for p in parts {
        for _ in 0..p.header.count {
            p.reader
                .read_exact(&mut buf)
                .map_err(|source| PartError::Io {
                    path: p.path.clone(),
                    source,
                })?;
            for (v, b) in values[at..at + entries].iter_mut().zip(buf.chunks_exact(8)) {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(b);
                *v = f64::from_le_bytes(bytes);
            }
            at += entries;
        }
    }
    Ok(values)
}

/// The results of the run: the first part's skeleton filled with the
/// figures aggregated over every replication's `values`.
fn assemble(parts: &[Opened], values: Vec<f64>) -> Result<RunResults, PartError> {
    let first = &parts[0];
    let h = &first.header;
    let damaged = |e: String| PartError::Format {
        path: first.path.clone(),
        message: format!("damaged summary skeleton: {e}"),
    };
    let skeleton: SummaryFile =
        serde_json::from_str(&first.skeleton).map_err(|e| damaged(e.to_string()))?;
    let mut results = RunResults::from_file(&skeleton).map_err(damaged)?;
    drop(skeleton);
    let estimates = estimates(&values, h.entries as usize, h.replications as usize);
    drop(values);
    results.fill(&estimates).map_err(damaged)?;
    results.run = RunInfo {
        seed: h.seed,
        replications: h.replications,
        replications_requested: h.replications,
        partial: false,
    };
    Ok(results)
}

/// Why a part's checksum does not hold.
enum Damage {
    /// The file could not be read.
    Io(std::io::Error),
    /// The file does not end with a checksum line.
    NoChecksum,
    /// The checksum is not that of the bytes before it.
    Mismatch,
}

/// Checks that a part of `len` bytes ends with the SHA-256 of every byte
/// before its last line, reading it once from the start, a buffer at a time.
fn verify(reader: &mut BufReader<File>, len: u64) -> Result<(), Damage> {
    let mut left = len.checked_sub(CHECKSUM_LINE).ok_or(Damage::NoChecksum)?;
    reader.seek(SeekFrom::Start(0)).map_err(Damage::Io)?;
    let mut hasher = Sha256::new();
    while left > 0 {
        let buf = reader.fill_buf().map_err(Damage::Io)?;
        if buf.is_empty() {
            return Err(Damage::NoChecksum);
        }
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        hasher.update(&buf[..n]);
        reader.consume(n);
        left -= n as u64;
    }
    let mut last = [0u8; CHECKSUM_LINE as usize];
    reader.read_exact(&mut last).map_err(Damage::Io)?;
    let digits = last
        .strip_prefix(CHECKSUM_PREFIX)
        .and_then(|l| l.strip_suffix(b"\n"))
        .filter(|d| d.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .ok_or(Damage::NoChecksum)?;
    if digits == format!("{:x}", hasher.finalize()).as_bytes() {
        Ok(())
    } else {
        Err(Damage::Mismatch)
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}
