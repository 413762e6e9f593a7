//! What an extraction gives, shared by every format reader: the document's format, its text
//! with page spans, or a typed error saying why it could not be read.

use std::ops::Range;

/// Formats Vigie knows. Formats that are recognised but not yet readable end as
/// `unsupported_format` errors so that they never look clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Txt,
    Md,
    Rst,
    Html,
    Pdf,
    Docx,
    Odt,
    Rtf,
    Doc,
}

impl Format {
    /// The short name used in the report's `format` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Rst => "rst",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Rtf => "rtf",
            Format::Doc => "doc",
        }
    }

    /// The format of a path from its extension (case-insensitive); `None` for files that are
    /// not documents (images, spreadsheets, archives...), which discovery skips silently.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Txt,
            "md" | "markdown" => Format::Md,
            "rst" => Format::Rst,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "rtf" => Format::Rtf,
            "doc" => Format::Doc,
            _ => return None,
        })
    }
}

/// Machine-readable reason a document could not be analyzed (`error.kind` in the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The path does not exist.
    NotFound,
    /// Permission denied or any other I/O error.
    Unreadable,
    /// Zero bytes, or only whitespace once decoded.
    Empty,
    /// Binary data with a text extension.
    NotText,
    /// A format Vigie recognises but cannot read yet (pdf, docx, odt, rtf, doc).
    UnsupportedFormat,
    /// Larger than the configured maximum.
    TooLarge,
    /// The analysis panicked, or the extraction worker died; the scan went on.
    Crashed,
    /// A PDF that needs a password.
    Encrypted,
    /// A PDF with no text layer (scanned, image-only): OCR needed.
    NoTextLayer,
    /// A damaged file the extractor cannot parse.
    Corrupt,
    /// Extraction overran its time limit and was stopped.
    Timeout,
    /// The scan was interrupted (Ctrl-C) before this document was analyzed.
    Interrupted,
    /// Extraction or analysis needed more memory than its limit allowed.
    OutOfMemory,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::Empty => "empty",
            ErrorKind::NotText => "not_text",
            ErrorKind::UnsupportedFormat => "unsupported_format",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Crashed => "crashed",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::NoTextLayer => "no_text_layer",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::OutOfMemory => "out_of_memory",
        }
    }

    /// The kind named by `as_str`.
    pub fn parse(s: &str) -> Option<ErrorKind> {
        [
            ErrorKind::NotFound,
            ErrorKind::Unreadable,
            ErrorKind::Empty,
            ErrorKind::NotText,
            ErrorKind::UnsupportedFormat,
            ErrorKind::TooLarge,
            ErrorKind::Crashed,
            ErrorKind::Encrypted,
            ErrorKind::NoTextLayer,
            ErrorKind::Corrupt,
            ErrorKind::Timeout,
            ErrorKind::Interrupted,
            ErrorKind::OutOfMemory,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Why a document could not be extracted: a kind and one readable sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExtractError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ExtractError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ExtractError {
        ExtractError {
            kind,
            message: message.into(),
        }
    }
}

/// The extracted text of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text rules see and report offsets refer to.
    pub text: String,
    /// Byte span of each page in `text`, in order; empty when the format has no pages.
    pub pages: Vec<Range<usize>>,
    pub format: Format,
    /// Which extractor produced the text ("text", "text/windows-1252", "html", ...).
    pub extractor: String,
    /// Non-fatal problems worth showing (e.g. "decoded as Windows-1252").
    pub warnings: Vec<String>,
}
