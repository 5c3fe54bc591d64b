//! JSON: every report's document is pretty-printed, one final newline.

use std::io::{self, Write};

use serde::Serialize;

/// Writes `value` as pretty-printed JSON and a final newline.
pub fn write_pretty<T: Serialize + ?Sized>(value: &T, w: &mut dyn Write) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, value)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// `value` as pretty-printed JSON text with a final newline.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising plain data (maps of numbers and text) cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}
