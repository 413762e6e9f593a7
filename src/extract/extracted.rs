//! What an extraction gives, shared by every format reader: the document's format, its text
//! with page spans, or a typed error saying why it could not be read.

use std::ops::Range;

/// Formats Vigie knows. Formats that are recognised but not yet readable end as
/// `unsupported_format` errors so that they never look clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (`.txt`, `.text`).
    Txt,
    /// Markdown (`.md`, `.markdown`).
    Md,
    /// reStructuredText (`.rst`).
    Rst,
    /// HTML (`.html`, `.htm`, `.xhtml`).
    Html,
    /// PDF.
    Pdf,
    /// Word 2007+ (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// Rich Text Format (`.rtf`).
    Rtf,
    /// Word 97-2003 (`.doc`), read with antiword.
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

pub use crate::model::ErrorKind;

/// Why a document could not be extracted: a kind and one readable sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExtractError {
    /// What went wrong, for machines (`error.kind` in the report).
    pub kind: ErrorKind,
    /// What went wrong, in one sentence for people.
    pub message: String,
}

impl ExtractError {
    /// An error of `kind` saying `message`.
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
    /// The format read.
    pub format: Format,
    /// Which extractor produced the text ("text", "text/windows-1252", "html", ...).
    pub extractor: String,
    /// Non-fatal problems worth showing (e.g. "decoded as Windows-1252").
    pub warnings: Vec<String>,
}
