//! Reads OpenDocument text (.odt): paragraphs, headings with the numbers LibreOffice
//! caches in them, lists, tables, notes after the body; tracked deletions left out. The
//! archive is read with the same bounds as DOCX.

use crate::extract::archive::{attr, events, part, xml_error, MAX_TOTAL};
use crate::extract::extracted::{ErrorKind, ExtractError, Extracted, Format};
use quick_xml::events::Event;
use std::io::Cursor;

/// Extracts the text of an .odt file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        ExtractError::new(
            ErrorKind::Corrupt,
            "not a valid .odt file (it is not a zip archive)",
        )
    })?;
    let mut budget = MAX_TOTAL;
    let content = part(&mut zip, "content.xml", &mut budget)?.ok_or_else(|| {
        ExtractError::new(
            ErrorKind::Corrupt,
            "not an OpenDocument text (content.xml is missing)",
        )
    })?;
    Ok(Extracted {
        text: body_text(&content)?,
        pages: Vec::new(),
        format: Format::Odt,
        extractor: "odt".into(),
        warnings: Vec::new(),
    })
}

/// Where text goes while walking `content.xml`.
#[derive(Default)]
struct Walk {
    out: String,
    notes: String,
    line: String,
    in_note: usize,
    /// The text of the paragraph a note interrupts, resumed after the note.
    held: Vec<String>,
    skip: usize,
    row: Option<Vec<String>>,
    cell: Option<String>,
}

impl Walk {
    fn push(&mut self, s: &str) {
        if self.skip > 0 {
            return;
        }
        self.line.push_str(s);
    }

    fn end_paragraph(&mut self) {
        let line = std::mem::take(&mut self.line);
        let t = line.trim_end();
        if let Some(c) = self.cell.as_mut() {
            if !c.is_empty() && !t.is_empty() {
                c.push(' ');
            }
            c.push_str(t.trim());
        } else if self.in_note > 0 {
            if !t.trim().is_empty() {
                self.notes.push_str(t.trim());
                self.notes.push('\n');
            }
        } else {
            self.out.push_str(t);
            self.out.push('\n');
        }
    }
}

fn body_text(xml: &str) -> Result<String, ExtractError> {
    let mut w = Walk::default();
    events(xml, |ev, _| {
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                // Deleted text of tracked changes lives here; it is not the document.
                b"tracked-changes" => w.skip += 1,
                b"note-citation" => w.skip += 1,
                b"note" => {
                    // The paragraph holding the note reference goes on after the note.
                    w.in_note += 1;
                    let line = std::mem::take(&mut w.line);
                    w.held.push(line);
                }
                b"table-row" => w.row = Some(Vec::new()),
                b"table-cell" => w.cell = Some(String::new()),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"s" => {
                    let n = attr(e, b"text:c")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(1usize);
                    w.push(&" ".repeat(n.min(64)));
                }
                b"tab" => w.push("\t"),
                b"line-break" => w.push("\n"),
                _ => {}
            },
            Event::Text(t) => {
                let s = t.unescape().map_err(xml_error)?;
                w.push(&s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"tracked-changes" | b"note-citation" => w.skip = w.skip.saturating_sub(1),
                b"number" => w.push(" "),
                b"note" => {
                    w.in_note = w.in_note.saturating_sub(1);
                    w.line = w.held.pop().unwrap_or_default();
                }
                b"p" | b"h" if w.skip == 0 => w.end_paragraph(),
                b"table-cell" => {
                    if let (Some(c), Some(r)) = (w.cell.take(), w.row.as_mut()) {
                        r.push(c);
                    }
                }
                b"table-row" => {
                    if let Some(r) = w.row.take() {
                        w.out.push_str(&format!("| {} |\n", r.join(" | ")));
                    }
                }
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })?;
    let mut text = w.out;
    if !w.notes.is_empty() {
        text.push_str("\nNotes\n");
        text.push_str(&w.notes);
    }
    Ok(text)
}
