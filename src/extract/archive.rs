//! Reads the XML parts of zip-based documents (DOCX, ODT) within bounds on archive size,
//! compression ratio and nesting depth, so a zip bomb or a billion-laughs part ends as an
//! error instead of filling memory.

use crate::extract::extracted::{ErrorKind, ExtractError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{Cursor, Read};

/// Most uncompressed bytes read from one archive (DOCX, ODT): a long contract's XML is a
/// few megabytes. The memory budget reserves up to this much for an archive.
pub(crate) const MAX_TOTAL: u64 = 64 << 20;
/// Most uncompressed bytes per compressed byte before an entry counts as a bomb.
pub(crate) const MAX_RATIO: u64 = 200;
/// Deepest element nesting accepted in a part.
pub(crate) const MAX_DEPTH: usize = 512;

/// One part of the archive, read within the size and ratio bounds.
pub(crate) fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<String>, ExtractError> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(ExtractError::new(
                ErrorKind::Corrupt,
                format!("damaged archive ({e})"),
            ))
        }
    };
    let limit = (*budget).min(entry.compressed_size().max(1024).saturating_mul(MAX_RATIO));
    // Sized from the declared length (bounded by the limit), so the buffer is not doubled
    // past what the entry holds.
    let mut out = Vec::with_capacity(entry.size().min(limit) as usize + 1);
    entry
        .by_ref()
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            ExtractError::new(
                ErrorKind::Corrupt,
                format!("damaged archive entry {name} ({e})"),
            )
        })?;
    if out.len() as u64 > limit {
        return Err(ExtractError::new(
            ErrorKind::TooLarge,
            format!("{name} expands beyond the safety limits (zip bomb?)"),
        ));
    }
    *budget -= out.len() as u64;
    String::from_utf8(out)
        .map(Some)
        .map_err(|_| ExtractError::new(ErrorKind::Corrupt, format!("{name} is not UTF-8 XML")))
}

pub(crate) fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

pub(crate) fn xml_error(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::new(ErrorKind::Corrupt, format!("malformed XML ({e})"))
}

/// Iterates the events of a part, bounding nesting depth.
pub(crate) fn events(
    xml: &str,
    mut f: impl FnMut(&Event<'_>, usize) -> Result<(), ExtractError>,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let ev = reader.read_event().map_err(xml_error)?;
        match &ev {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ExtractError::new(
                        ErrorKind::Corrupt,
                        "XML nested too deeply",
                    ));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::DocType(_) => {
                // Entities are never expanded; a DTD has no place in a Word part.
                return Err(ExtractError::new(
                    ErrorKind::Corrupt,
                    "XML with a DTD is refused",
                ));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        f(&ev, depth)?;
    }
}
