//! Which kind of export a file is, from its header.

use std::path::Path;

use super::error::HistoryError;
use super::mapping::{Kind, Mapping};
use super::read::Source;

/// The kind of a history file: the mapping's `kind` (checked against the
/// header), or for ccsim's own formats whichever header the file has.
pub fn detect(path: &Path, mapping: &Mapping) -> Result<Kind, HistoryError> {
    let source = Source::open(path, mapping)?;
    match mapping.kind {
        Some(Kind::Contacts) => {
            super::contacts::check_header(&source, mapping).map(|_| Kind::Contacts)
        }
        Some(Kind::Intervals) => {
            super::intervals::check_header(&source, mapping).map(|_| Kind::Intervals)
        }
        None => {
            if super::contacts::check_header(&source, mapping).is_ok() {
                Ok(Kind::Contacts)
            } else if super::intervals::check_header(&source, mapping).is_ok() {
                Ok(Kind::Intervals)
            } else {
                Err(HistoryError::line(
                    path,
                    1,
                    format!(
                        "expected the header of a ccsim contact log (contact,caller,line,theme,channel,arrival,outcome,wait,handle,pool) or interval report (date,interval,theme,channel,offered,answered,abandoned,...), found: {} (an ACD's export needs a mapping file)",
                        source.header_text()
                    ),
                ))
            }
        }
    }
}
