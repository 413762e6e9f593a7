//! Reads the text layer of PDF files page by page, each page inside `catch_unwind` so one
//! bad page loses that page only, and keeps page spans so findings cite their page.
//! pdf-extract reads first; when it cannot load a file or loses every page, pdf_oxide
//! tries (docs/pdf.md: it opened most of the files pdf-extract refuses).
//! Hangs, aborts and memory blow-ups are handled one level up, by running this in a
//! worker process (see `isolate`).

use crate::extract::extracted::{ErrorKind, ExtractError, Extracted, Format};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Extracts a PDF in this process, without running headers, footers and page numbers.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_with(bytes, true)
}

/// Extracts a PDF in this process; `clean` removes running headers, footers and page
/// numbers (`vigie extract --raw` keeps them).
pub fn extract_with(bytes: &[u8], clean: bool) -> Result<Extracted, ExtractError> {
    let primary = pdf_extract_pages(bytes).and_then(|p| assemble(p, clean, "pdf-extract"));
    let failed = match &primary {
        Err(e) if e.kind != ErrorKind::Encrypted => e.clone(),
        _ => return primary,
    };
    match oxide_pages(bytes).and_then(|p| assemble(p, clean, "pdf_oxide")) {
        Ok(mut ex) => {
            ex.warnings.push(format!(
                "pdf-extract failed ({}); text read by pdf_oxide",
                failed.message
            ));
            Ok(ex)
        }
        // The first engine's reason is the one to report: it is the more specific.
        Err(_) => primary,
    }
}

/// Page texts by pdf-extract; `None` for a page that could not be read.
fn pdf_extract_pages(bytes: &[u8]) -> Result<Vec<Option<String>>, ExtractError> {
    let mut doc = match catch_unwind(|| pdf_extract::Document::load_mem(bytes)) {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return Err(load_error(&e)),
        Err(_) => {
            return Err(ExtractError::new(
                ErrorKind::Corrupt,
                "the PDF structure cannot be parsed",
            ))
        }
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::new(
            ErrorKind::Encrypted,
            "the PDF is encrypted and needs a password",
        ));
    }
    let numbers: Vec<u32> = match catch_unwind(AssertUnwindSafe(|| doc.get_pages())) {
        Ok(p) => p.keys().copied().collect(),
        Err(_) => Vec::new(),
    };
    let pages: Vec<Option<String>> = numbers.iter().map(|n| pdf_extract_page(&doc, *n)).collect();
    // A scan made of inline images has no font at all: its pages fail in pdf-extract, but
    // what the user needs to hear is "OCR needed", not "crashed".
    if !pages.is_empty() && pages.iter().all(Option::is_none) && !has_fonts(&doc) {
        return Err(no_text_layer());
    }
    Ok(pages)
}

/// Whether any object of the document is a font dictionary (object streams included).
fn has_fonts(doc: &pdf_extract::Document) -> bool {
    doc.objects.values().any(|o| {
        let dict = match o {
            pdf_extract::Object::Dictionary(d) => d,
            pdf_extract::Object::Stream(s) => &s.dict,
            _ => return false,
        };
        matches!(dict.get(b"Type"), Ok(pdf_extract::Object::Name(n)) if n == b"Font")
            || dict.has(b"Font")
    })
}

fn pdf_extract_page(doc: &pdf_extract::Document, n: u32) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut s = String::new();
        let mut out = pdf_extract::PlainTextOutput::new(&mut s);
        pdf_extract::output_doc_page(doc, &mut out, n).ok()?;
        Some(s)
    }))
    .ok()
    .flatten()
}

/// Page texts by pdf_oxide.
fn oxide_pages(bytes: &[u8]) -> Result<Vec<Option<String>>, ExtractError> {
    let doc = match catch_unwind(|| pdf_oxide::PdfDocument::from_bytes(bytes.to_vec())) {
        Ok(Ok(d)) => d,
        _ => {
            return Err(ExtractError::new(
                ErrorKind::Corrupt,
                "the PDF structure cannot be parsed",
            ))
        }
    };
    if doc.is_encrypted() && !matches!(doc.authenticate(b""), Ok(true)) {
        return Err(ExtractError::new(
            ErrorKind::Encrypted,
            "the PDF is encrypted and needs a password",
        ));
    }
    let n = catch_unwind(AssertUnwindSafe(|| doc.page_count()))
        .ok()
        .and_then(Result::ok)
        .unwrap_or(0);
    Ok((0..n)
        .map(|i| {
            catch_unwind(AssertUnwindSafe(|| doc.extract_text(i)))
                .ok()
                .and_then(Result::ok)
        })
        .collect())
}

/// One text with page spans from page texts, or the outcome that says why not.
pub(crate) fn assemble(
    pages: Vec<Option<String>>,
    clean: bool,
    extractor: &str,
) -> Result<Extracted, ExtractError> {
    if pages.is_empty() {
        return Err(ExtractError::new(
            ErrorKind::Corrupt,
            "the PDF has no readable page tree",
        ));
    }
    let lost: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].is_none()).collect();
    if lost.len() == pages.len() {
        return Err(ExtractError::new(
            ErrorKind::Crashed,
            format!("the extractor failed on every page ({} pages)", pages.len()),
        ));
    }
    let mut texts: Vec<String> = pages.into_iter().map(Option::unwrap_or_default).collect();
    if clean {
        texts = crate::extract::letterspace::rejoin(&crate::extract::cleanup::strip_running_lines(
            &texts,
        ));
    }
    let mut text = String::new();
    let mut spans = Vec::with_capacity(texts.len());
    for t in &texts {
        if !text.is_empty() {
            // A form feed and a line break between pages: whitespace for matching and no
            // blank line, so a sentence that runs over a page break stays one sentence,
            // while a heading at the top of a page still starts its line.
            text.push_str("\x0c\n");
        }
        let start = text.len();
        text.push_str(t.trim());
        spans.push(start..text.len());
    }
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err(no_text_layer());
    }
    let warnings = if lost.is_empty() {
        Vec::new()
    } else {
        let list: Vec<String> = lost.iter().map(|p| (p + 1).to_string()).collect();
        vec![format!(
            "partial: {} of {} pages could not be read (pages {})",
            lost.len(),
            texts.len(),
            list.join(", ")
        )]
    };
    Ok(Extracted {
        text,
        pages: spans,
        format: Format::Pdf,
        extractor: extractor.into(),
        warnings,
    })
}

fn load_error(e: &pdf_extract::Error) -> ExtractError {
    let text = e.to_string();
    let lower = text.to_lowercase();
    let kind = if lower.contains("decrypt") || lower.contains("password") {
        ErrorKind::Encrypted
    } else {
        ErrorKind::Corrupt
    };
    ExtractError::new(kind, format!("the PDF cannot be loaded ({text})"))
}

fn no_text_layer() -> ExtractError {
    ExtractError::new(
        ErrorKind::NoTextLayer,
        "the PDF has no text layer (scanned or image-only): OCR needed",
    )
}

#[cfg(test)]
mod font_tests {
    use super::*;
    use pdf_extract::{dictionary, Document, Object};

    #[test]
    fn a_document_with_a_font_dictionary_has_fonts() {
        let mut doc = Document::with_version("1.5");
        doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1" });
        assert!(has_fonts(&doc));
    }

    #[test]
    fn a_scan_of_images_has_no_fonts() {
        let mut doc = Document::with_version("1.4");
        doc.add_object(dictionary! { "Type" => "Page", "Resources" => dictionary! {
        "ProcSet" => vec![Object::Name(b"PDF".to_vec())] } });
        assert!(!has_fonts(&doc));
    }
}
