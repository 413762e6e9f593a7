//! Reads the text layer of PDF files with pdf-extract, page by page, each page inside
//! `catch_unwind` so one bad page loses that page only, and keeps page spans so findings
//! cite their page. Hangs, aborts and memory blow-ups are handled one level up, by running
//! this in a worker process (see `isolate`).

use crate::extract::{ErrorKind, ExtractError, Extracted, Format};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Extracts a PDF in this process, without running headers, footers and page numbers.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_with(bytes, true)
}

/// Extracts a PDF in this process; `clean` removes running headers, footers and page
/// numbers (`vigie extract --raw` keeps them).
pub fn extract_with(bytes: &[u8], clean: bool) -> Result<Extracted, ExtractError> {
    let err = |kind, message: String| ExtractError { kind, message };
    let mut doc = match catch_unwind(|| pdf_extract::Document::load_mem(bytes)) {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return Err(load_error(&e)),
        Err(_) => {
            return Err(err(
                ErrorKind::Corrupt,
                "the PDF structure cannot be parsed".into(),
            ))
        }
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(err(
            ErrorKind::Encrypted,
            "the PDF is encrypted and needs a password".into(),
        ));
    }
    let numbers: Vec<u32> = match catch_unwind(AssertUnwindSafe(|| doc.get_pages())) {
        Ok(p) => p.keys().copied().collect(),
        Err(_) => Vec::new(),
    };
    if numbers.is_empty() {
        return Err(err(
            ErrorKind::Corrupt,
            "the PDF has no readable page tree".into(),
        ));
    }
    let mut lost = Vec::new();
    let mut texts: Vec<String> = numbers
        .iter()
        .map(|n| {
            page_text(&doc, *n).unwrap_or_else(|| {
                lost.push(*n);
                String::new()
            })
        })
        .collect();
    if clean {
        texts = crate::cleanup::strip_running_lines(&texts);
    }
    let mut text = String::new();
    let mut pages = Vec::with_capacity(texts.len());
    for t in &texts {
        if !text.is_empty() {
            // A form feed and a line break between pages: whitespace for matching and no
            // blank line, so a sentence that runs over a page break stays one sentence,
            // while a heading at the top of a page still starts its line.
            text.push_str("\x0c\n");
        }
        let start = text.len();
        text.push_str(t.trim());
        pages.push(start..text.len());
    }
    if lost.len() == numbers.len() {
        return Err(err(
            ErrorKind::Crashed,
            format!(
                "the extractor failed on every page ({} pages)",
                numbers.len()
            ),
        ));
    }
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err(err(
            ErrorKind::NoTextLayer,
            "the PDF has no text layer (scanned or image-only): OCR needed".into(),
        ));
    }
    let warnings = if lost.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "partial: {} of {} pages could not be read (pages {})",
            lost.len(),
            numbers.len(),
            lost.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )]
    };
    Ok(Extracted {
        text,
        pages,
        format: Format::Pdf,
        extractor: "pdf-extract".into(),
        warnings,
    })
}

fn page_text(doc: &pdf_extract::Document, n: u32) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut s = String::new();
        let mut out = pdf_extract::PlainTextOutput::new(&mut s);
        pdf_extract::output_doc_page(doc, &mut out, n).ok()?;
        Some(s)
    }))
    .ok()
    .flatten()
}

fn load_error(e: &pdf_extract::Error) -> ExtractError {
    let text = e.to_string();
    let kind =
        if text.to_lowercase().contains("decrypt") || text.to_lowercase().contains("password") {
            ErrorKind::Encrypted
        } else {
            ErrorKind::Corrupt
        };
    ExtractError {
        kind,
        message: format!("the PDF cannot be loaded ({text})"),
    }
}
