//! Turns a file's bytes into the text that every report offset refers to, with page spans
//! when the format has pages, and a precise error kind when the file cannot be read.

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

/// Like [`extract_bytes`], but keeps what cleanup removes (running headers and footers).
pub fn extract_bytes_raw(bytes: &[u8], format: Format) -> Result<Extracted, ExtractError> {
    match format {
        Format::Pdf => crate::pdf::extract_with(bytes, false),
        _ => extract_bytes(bytes, format),
    }
}

/// Extracts the text of a document already read into memory.
pub fn extract_bytes(bytes: &[u8], format: Format) -> Result<Extracted, ExtractError> {
    let (text, extractor, warnings) = match format {
        Format::Txt | Format::Md | Format::Rst => {
            let d = decode(bytes)?;
            (d.text, d.extractor.to_string(), d.warnings)
        }
        Format::Html => {
            let d = decode(bytes)?;
            (html::visible_text(&d.text), "html".to_string(), d.warnings)
        }
        Format::Doc => {
            return Err(unsupported(
                "old binary Word (.doc) files cannot be read; convert it to .docx or .pdf",
            ))
        }
        Format::Pdf => return crate::pdf::extract(bytes),
        Format::Docx => return crate::docx::extract(bytes),
        Format::Odt => crate::odt::extract(bytes).map(|e| (e.text, e.extractor, e.warnings))?,
        Format::Rtf => crate::rtf::extract(bytes).map(|e| (e.text, e.extractor, e.warnings))?,
    };
    if text.trim().is_empty() {
        return Err(ExtractError {
            kind: ErrorKind::Empty,
            message: "the document has no text".into(),
        });
    }
    let pages = form_feed_pages(&text);
    Ok(Extracted {
        text,
        pages,
        format,
        extractor,
        warnings,
    })
}

fn unsupported(message: &str) -> ExtractError {
    ExtractError {
        kind: ErrorKind::UnsupportedFormat,
        message: message.to_string(),
    }
}

/// Pages of a text that marks them with form feeds (as `pdftotext` writes).
fn form_feed_pages(text: &str) -> Vec<Range<usize>> {
    if !text.contains('\x0c') {
        return Vec::new();
    }
    let mut pages = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\x0c') {
        pages.push(start..i);
        start = i + 1;
    }
    if start < text.len() {
        pages.push(start..text.len());
    }
    pages
}

struct Decoded {
    text: String,
    extractor: &'static str,
    warnings: Vec<String>,
}

/// UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252, the usual encoding of
/// French files written on Windows (a superset of Latin-1's printable characters).
fn decode(bytes: &[u8]) -> Result<Decoded, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError {
            kind: ErrorKind::Empty,
            message: if bytes.is_empty() {
                "the file is empty".into()
            } else {
                "the file holds only whitespace".into()
            },
        });
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != encoding_rs::UTF_8 {
            let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
            return checked(text.into_owned(), "text/utf-16", Vec::new());
        }
        return decode(&bytes[bom..]);
    }
    if looks_binary(bytes) {
        return Err(not_text());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => checked(s.to_string(), "text", Vec::new()),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            checked(
                text.into_owned(),
                "text/windows-1252",
                vec!["not valid UTF-8: decoded as Windows-1252".to_string()],
            )
        }
    }
}

fn not_text() -> ExtractError {
    ExtractError {
        kind: ErrorKind::NotText,
        message: "the file holds binary data, not text".into(),
    }
}

/// Binary data: NUL bytes, or many control characters, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controls * 20 > head.len()
}

fn checked(
    text: String,
    extractor: &'static str,
    warnings: Vec<String>,
) -> Result<Decoded, ExtractError> {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let odd = sample
        .iter()
        .filter(|c| {
            c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') || **c == '\u{FFFD}'
        })
        .count();
    if odd * 20 > sample.len().max(1) {
        return Err(not_text());
    }
    Ok(Decoded {
        text,
        extractor,
        warnings,
    })
}

mod html {
    //! Visible text of an HTML page: scripts, styles and the head dropped, entities
    //! decoded, block elements on their own lines so headings stay headings.

    const SKIP: &[&str] = &[
        "script", "style", "head", "noscript", "template", "svg", "iframe", "object",
    ];
    /// Elements that stand apart from what surrounds them (a blank line around them).
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "dl",
        "blockquote",
        "pre",
        "hr",
        "header",
        "footer",
        "main",
        "nav",
        "aside",
        "body",
        "html",
        "figure",
        "address",
    ];
    /// Elements that only start a new line.
    const LINE: &[&str] = &[
        "br",
        "li",
        "tr",
        "dt",
        "dd",
        "figcaption",
        "caption",
        "thead",
        "tbody",
        "tfoot",
    ];

    pub fn visible_text(src: &str) -> String {
        let mut out = String::with_capacity(src.len() / 2);
        let mut rest = src;
        let mut skip_until: Option<String> = None;
        while let Some(lt) = rest.find('<') {
            if skip_until.is_none() {
                push_text(&mut out, &rest[..lt]);
            }
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.find("-->").map_or("", |e| &after[e + 3..]);
                continue;
            }
            if let Some(after) = rest.strip_prefix("<![CDATA[") {
                let end = after.find("]]>").unwrap_or(after.len());
                if skip_until.is_none() {
                    push_text(&mut out, &after[..end]);
                }
                rest = after.get(end + 3..).unwrap_or("");
                continue;
            }
            let Some((tag, closing, len)) = parse_tag(rest) else {
                // A lone '<' in text.
                if skip_until.is_none() {
                    out.push('<');
                }
                rest = &rest[1..];
                continue;
            };
            rest = &rest[len..];
            if let Some(until) = &skip_until {
                if closing && &tag == until {
                    skip_until = None;
                }
                continue;
            }
            if !closing && SKIP.contains(&tag.as_str()) {
                skip_until = Some(tag);
                continue;
            }
            if tag == "td" || tag == "th" {
                if !closing {
                    out.push_str(" | ");
                }
            } else if BLOCK.contains(&tag.as_str()) {
                out.push_str("\n\n");
            } else if LINE.contains(&tag.as_str()) && !closing {
                out.push('\n');
            }
        }
        if skip_until.is_none() {
            push_text(&mut out, rest);
        }
        tidy(&out)
    }

    /// Name, whether it closes, and byte length of the tag at the start of `s`.
    fn parse_tag(s: &str) -> Option<(String, bool, usize)> {
        let bytes = s.as_bytes();
        let mut i = 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        if bytes.get(i) == Some(&b'!') || bytes.get(i) == Some(&b'?') {
            let end = s.find('>')?;
            return Some((String::new(), false, end + 1));
        }
        let name_start = i;
        while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
            i += 1;
        }
        if i == name_start {
            return None;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        // Skip attributes, honouring quotes so a '>' inside a value does not end the tag.
        let mut quote: Option<u8> = None;
        while let Some(&b) = bytes.get(i) {
            match (quote, b) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"') | (None, b'\'') => quote = Some(b),
                (None, b'>') => return Some((name, closing, i + 1)),
                _ => {}
            }
            i += 1;
        }
        Some((name, closing, s.len()))
    }

    fn push_text(out: &mut String, raw: &str) {
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            push_ws(out, &rest[..amp]);
            rest = &rest[amp..];
            match entity(rest) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        push_ws(out, rest);
    }

    /// Text with source line breaks and tabs as spaces: layout comes from the tags.
    fn push_ws(out: &mut String, s: &str) {
        for c in s.chars() {
            out.push(if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            });
        }
    }

    fn entity(s: &str) -> Option<(char, usize)> {
        let end = s.get(..s.len().min(12))?.find(';')?;
        let name = &s[1..end];
        let c = if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).unwrap_or('\u{FFFD}')
        } else {
            named(name)?
        };
        Some((c, end + 1))
    }

    fn named(n: &str) -> Option<char> {
        Some(match n {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "eacute" => 'é',
            "Eacute" => 'É',
            "egrave" => 'è',
            "Egrave" => 'È',
            "ecirc" => 'ê',
            "Ecirc" => 'Ê',
            "euml" => 'ë',
            "agrave" => 'à',
            "Agrave" => 'À',
            "acirc" => 'â',
            "Acirc" => 'Â',
            "ccedil" => 'ç',
            "Ccedil" => 'Ç',
            "ocirc" => 'ô',
            "Ocirc" => 'Ô',
            "ucirc" => 'û',
            "ugrave" => 'ù',
            "icirc" => 'î',
            "iuml" => 'ï',
            "laquo" => '«',
            "raquo" => '»',
            "rsquo" => '’',
            "lsquo" => '‘',
            "ldquo" => '“',
            "rdquo" => '”',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "euro" => '€',
            "sect" => '§',
            "deg" => '°',
            "oelig" => 'œ',
            "OElig" => 'Œ',
            "copy" => '©',
            "reg" => '®',
            "shy" => '\u{ad}',
            "thinsp" => '\u{2009}',
            "ordm" => 'º',
            _ => return None,
        })
    }

    /// Lines trimmed, runs of spaces collapsed, at most one blank line in a row.
    fn tidy(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut blank = 0;
        for line in s.split('\n') {
            let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
            if words.is_empty() {
                blank += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank > 0 { "\n\n" } else { "\n" });
            }
            blank = 0;
            out.push_str(&words.join(" "));
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        let f = |p: &str| Format::from_path(std::path::Path::new(p));
        assert_eq!(f("a/B.TXT"), Some(Format::Txt));
        assert_eq!(f("x.markdown"), Some(Format::Md));
        assert_eq!(f("x.htm"), Some(Format::Html));
        assert_eq!(f("x.docx"), Some(Format::Docx));
        assert_eq!(f("x.png"), None);
        assert_eq!(f("noext"), None);
    }

    #[test]
    fn latin1_french_is_decoded_not_mangled() {
        let bytes = b"\xc9t\xe9 : \xab force majeure \xbb, c\x9cur";
        let ex = extract_bytes(bytes, Format::Txt).unwrap();
        assert_eq!(ex.text, "Été : « force majeure », cœur");
        assert_eq!(ex.extractor, "text/windows-1252");
        assert!(!ex.warnings.is_empty());
    }

    #[test]
    fn utf8_bom_and_utf16_are_decoded() {
        let ex = extract_bytes("\u{feff}Été".as_bytes(), Format::Txt).unwrap();
        assert_eq!(ex.text, "Été");
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend("Été".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(extract_bytes(&utf16, Format::Txt).unwrap().text, "Été");
    }

    #[test]
    fn empty_and_binary_files_are_errors() {
        assert_eq!(
            extract_bytes(b"", Format::Txt).unwrap_err().kind,
            ErrorKind::Empty
        );
        assert_eq!(
            extract_bytes(b" \n\t ", Format::Md).unwrap_err().kind,
            ErrorKind::Empty
        );
        let random: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
        assert_eq!(
            extract_bytes(&random, Format::Txt).unwrap_err().kind,
            ErrorKind::NotText
        );
        let e = extract_bytes(b"x", Format::Doc).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedFormat);
        assert!(e.message.contains(".docx"));
    }

    #[test]
    fn form_feeds_make_pages() {
        let ex = extract_bytes(b"page one\x0cpage two\x0cpage three", Format::Txt).unwrap();
        let pages: Vec<&str> = ex.pages.iter().map(|p| &ex.text[p.clone()]).collect();
        assert_eq!(pages, ["page one", "page two", "page three"]);
    }

    #[test]
    fn html_visible_text_only() {
        let src = r#"<html><head><title>T</title><style>p{}</style></head><body>
<h2>Article 12 &ndash; Force majeure</h2><p>Les <b>virus</b>  informatiques&nbsp;: cas d&rsquo;exon&eacute;ration.</p>
<script>alert("<p>x</p>")</script><!-- hidden --><ul><li>a) incendie</li><li>b) 3 < 4</li></ul>
<table><tr><td>RPO</td><td>4 h</td></tr></table><a href="x>y">lien</a></body></html>"#;
        let ex = extract_bytes(src.as_bytes(), Format::Html).unwrap();
        assert!(
            ex.text.starts_with("Article 12 – Force majeure\n\n"),
            "{:?}",
            ex.text
        );
        assert!(
            ex.text
                .contains("Les virus informatiques\u{a0}: cas d’exonération."),
            "{:?}",
            ex.text
        );
        assert!(
            ex.text.contains("\na) incendie\nb) 3 < 4\n"),
            "{:?}",
            ex.text
        );
        assert!(ex.text.contains("| RPO | 4 h"), "{:?}", ex.text);
        assert!(ex.text.contains("lien"));
        assert!(
            !ex.text.contains("alert") && !ex.text.contains("hidden") && !ex.text.contains("p{}")
        );
    }

    #[test]
    fn hostile_html_never_panics() {
        for src in [
            "<",
            "<<>>",
            "&#xFFFFFFFF;",
            "<a b='>",
            "<!--",
            "<script>",
            "&",
            "<![CDATA[x",
            "é<é>é",
        ] {
            let _ = extract_bytes(src.as_bytes(), Format::Html);
        }
    }
}
