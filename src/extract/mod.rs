//! Turns a file's bytes into the text that every report offset refers to, with page spans
//! when the format has pages, and a precise error kind when the file cannot be read.

pub(crate) mod archive;
mod cleanup;
mod docx;
mod extracted;
pub mod isolate;
mod letterspace;
pub mod ocr;
mod odt;
mod pdf;
mod rtf;
pub mod tools;

use std::io::Read;
use std::ops::Range;
use std::path::Path;

pub use extracted::{ErrorKind, ExtractError, Extracted, Format};

/// Like [`extract_bytes`], but keeps what cleanup removes (running headers and footers).
pub fn extract_bytes_raw(bytes: &[u8], format: Format) -> Result<Extracted, ExtractError> {
    match format {
        Format::Pdf => crate::extract::pdf::extract_with(bytes, false),
        _ => extract_bytes(bytes, format),
    }
}

/// Reads the file at `path` and extracts it; a path with no known format is read as text.
/// The bytes come back too because the caller hashes them.
pub fn extract_path(path: &Path, max_bytes: u64) -> Result<(Vec<u8>, Extracted), ExtractError> {
    let bytes = read_file(path, max_bytes)?;
    let format = Format::from_path(path).unwrap_or(Format::Txt);
    let extracted = extract_bytes(&bytes, format)?;
    Ok((bytes, extracted))
}

/// Reads at most `max_bytes` of a regular file. The size is checked from the metadata
/// first, and the read itself is bounded too, in case the file grows in between.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ExtractError> {
    let file = open_regular(path, max_bytes)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(&e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64, max_bytes));
    }
    Ok(bytes)
}

/// The first `keep` bytes of a regular file of at most `max_bytes`, cut at a line break
/// when the file is longer, with the sha256 and the length of the whole file: a huge text
/// file is hashed whole but only its head is held in memory.
pub fn read_head(path: &Path, max_bytes: u64, keep: usize) -> Result<Head, ExtractError> {
    use sha2::Digest;
    let mut file = open_regular(path, max_bytes)?;
    let mut hasher = sha2::Sha256::new();
    let mut bytes = Vec::new();
    let mut len = 0u64;
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(&e)),
        };
        hasher.update(&chunk[..n]);
        len += n as u64;
        if len > max_bytes {
            return Err(too_large(len, max_bytes));
        }
        let room = keep.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..n.min(room)]);
    }
    let whole = len <= keep as u64;
    if !whole {
        bytes.truncate(line_cut(&bytes));
    }
    Ok(Head {
        bytes,
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        len,
        whole,
    })
}

/// The head of a file read by [`read_head`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub(crate) bytes: Vec<u8>,
    pub(crate) sha256: String,
    /// The whole file's length.
    pub len: u64,
    /// Whether `bytes` is the whole file.
    pub whole: bool,
}

/// Where to cut a head: after its last line break in the second half, so that decoding
/// never meets half a character (UTF-16 cut at an even length).
fn line_cut(bytes: &[u8]) -> usize {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let end = match memchr::memrchr(b'\n', bytes) {
        Some(nl) if nl > bytes.len() / 2 => nl + 1,
        _ => bytes.len(),
    };
    if utf16 {
        // "\n\0" (little-endian) ends one position later than its '\n'.
        (end + 1) & !1
    } else {
        // Not inside a UTF-8 character, which would make the head look like Windows-1252.
        match std::str::from_utf8(&bytes[..end]) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => end,
        }
    }
}

/// The regular file at `path`, once its size is known not to exceed `max_bytes`.
fn open_regular(path: &Path, max_bytes: u64) -> Result<std::fs::File, ExtractError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(&e))?;
    if meta.is_dir() {
        return Err(ExtractError::new(
            ErrorKind::Unreadable,
            "it is a folder, not a file",
        ));
    }
    // FIFOs and devices could block or never end.
    if !meta.is_file() {
        return Err(ExtractError::new(
            ErrorKind::Unreadable,
            "it is not a regular file",
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_large(meta.len(), max_bytes));
    }
    std::fs::File::open(path).map_err(|e| io_error(&e))
}

fn io_error(e: &std::io::Error) -> ExtractError {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            ExtractError::new(ErrorKind::NotFound, "the file does not exist")
        }
        std::io::ErrorKind::OutOfMemory => ExtractError::new(
            ErrorKind::OutOfMemory,
            "not enough memory to read the file within the memory limit",
        ),
        std::io::ErrorKind::PermissionDenied => ExtractError::new(
            ErrorKind::Unreadable,
            "the file cannot be read: permission denied",
        ),
        _ => ExtractError::new(
            ErrorKind::Unreadable,
            format!("the file cannot be read: {e}"),
        ),
    }
}

fn too_large(len: u64, max: u64) -> ExtractError {
    ExtractError::new(
        ErrorKind::TooLarge,
        format!("the file is {len} bytes, over the limit of {max} bytes"),
    )
}

/// Extracts the text of a document already read into memory.
///
/// Plain text (txt, md, rst) comes back exactly as decoded: line endings are NOT
/// normalised (CRLF stays CRLF), so offsets can be checked against the file itself.
pub fn extract_bytes(bytes: &[u8], format: Format) -> Result<Extracted, ExtractError> {
    let (text, extractor, warnings) = match format {
        Format::Txt | Format::Md | Format::Rst => {
            let d = decode(bytes, encoding_rs::WINDOWS_1252)?;
            (d.text, d.extractor.to_string(), d.warnings)
        }
        Format::Html => {
            let fallback = html::declared_encoding(bytes).unwrap_or(encoding_rs::WINDOWS_1252);
            let d = decode(bytes, fallback)?;
            (html::visible_text(&d.text), "html".to_string(), d.warnings)
        }
        Format::Doc => return crate::extract::tools::extract_doc(bytes),
        Format::Pdf => return crate::extract::pdf::extract(bytes),
        Format::Docx => return crate::extract::docx::extract(bytes),
        Format::Odt => {
            crate::extract::odt::extract(bytes).map(|e| (e.text, e.extractor, e.warnings))?
        }
        Format::Rtf => {
            crate::extract::rtf::extract(bytes).map(|e| (e.text, e.extractor, e.warnings))?
        }
    };
    if text.trim().is_empty() {
        return Err(ExtractError::new(
            ErrorKind::Empty,
            "the document has no text",
        ));
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

/// Pages of a text that marks them with form feeds (as `pdftotext` writes): page i+1 is
/// the i-th span between them. A trailing form feed does not open an empty last page.
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

/// How much of the start of a file the binary checks look at.
const SNIFF: usize = 8192;

/// UTF-8 (BOM stripped), UTF-16 with a BOM, else `fallback` (Windows-1252 unless an HTML
/// page declares another single-byte charset), the usual encoding of French files written
/// on Windows. Valid UTF-8 always wins over the fallback: a Latin-1 "été" is never valid
/// UTF-8, whereas reading real UTF-8 as Latin-1 would print "Ã©té".
fn decode(bytes: &[u8], fallback: &'static encoding_rs::Encoding) -> Result<Decoded, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::new(
            ErrorKind::Empty,
            if bytes.is_empty() {
                "the file is empty"
            } else {
                "the file holds only whitespace"
            },
        ));
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom..).unwrap_or_default();
        if enc == encoding_rs::UTF_8 {
            return decode(body, fallback);
        }
        let (text, _) = enc.decode_without_bom_handling(body);
        return checked(text.into_owned(), "text/utf-16", Vec::new());
    }
    if looks_binary(bytes) {
        return Err(not_text());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return checked(s.to_string(), "text", Vec::new());
    }
    if high_share_too_large(bytes) {
        return Err(ExtractError::new(
            ErrorKind::NotText,
            "the file holds binary data or text in an unknown encoding",
        ));
    }
    let (text, _) = fallback.decode_without_bom_handling(bytes);
    let (name, extractor) = if fallback == encoding_rs::WINDOWS_1252 {
        ("Windows-1252", "text/windows-1252")
    } else {
        (fallback.name(), "text/legacy")
    };
    checked(
        text.into_owned(),
        extractor,
        vec![format!("not valid UTF-8: decoded as {name}")],
    )
}

fn not_text() -> ExtractError {
    ExtractError::new(ErrorKind::NotText, "the file holds binary data, not text")
}

/// Binary data: a NUL byte, or more than 1 in 20 control bytes, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..SNIFF).unwrap_or(bytes);
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    controls * 20 > head.len()
}

/// Accented letters are a few percent of a French text; random or compressed bytes are
/// half above 0x7F. Past 30 %, a Windows-1252 reading would only be mojibake.
fn high_share_too_large(bytes: &[u8]) -> bool {
    let head = bytes.get(..SNIFF).unwrap_or(bytes);
    let high = head.iter().filter(|&&b| b >= 0x80).count();
    high * 10 > head.len() * 3
}

/// Rejects decoded text whose start is mostly controls, replacement characters or
/// private-use code points: what binary data looks like once decoded (UTF-16 included).
fn checked(
    text: String,
    extractor: &'static str,
    warnings: Vec<String>,
) -> Result<Decoded, ExtractError> {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in text.chars().take(SNIFF) {
        total += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c');
        if control || c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) {
            odd += 1;
        }
    }
    if odd * 20 > total.max(1) {
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
    //!
    //! A tolerant hand-written scanner: malformed markup never loses the text around it.
    //! Time stays linear: every scan either consumes what it reads, or fails in a way that
    //! is remembered (an element never closed, a comment never ended, no '>' left).

    use std::collections::HashSet;

    /// Elements whose content the reader does not see.
    const SKIP: &[&str] = &[
        "script", "style", "head", "noscript", "template", "svg", "iframe", "object",
    ];
    /// Elements whose content is not markup: only their own end tag ends them.
    const RAW: &[&str] = &["script", "style"];
    /// What may sit in `<head>`; any other start tag means the body began unannounced.
    const HEAD_CONTENT: &[&str] = &[
        "title", "meta", "link", "style", "script", "base", "noscript", "template",
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
        "dt",
        "dd",
        "figcaption",
        "caption",
        "thead",
        "tbody",
        "tfoot",
    ];

    /// The charset a page declares (`<meta charset=...>` or `http-equiv`) in its first
    /// KiB, when it is a legacy ASCII-compatible one: the decoding to use if the bytes are
    /// not valid UTF-8.
    pub fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
        let head = bytes.get(..1024).unwrap_or(bytes).to_ascii_lowercase();
        let at = head.windows(8).position(|w| w == b"charset=")? + 8;
        let value = head.get(at..)?;
        let value = value
            .iter()
            .position(|b| !matches!(b, b'"' | b'\'' | b' '))
            .and_then(|start| value.get(start..))?;
        let len = value
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
            .unwrap_or(value.len());
        let enc = encoding_rs::Encoding::for_label(value.get(..len)?)?;
        (enc.is_ascii_compatible() && enc != encoding_rs::UTF_8).then_some(enc)
    }

    pub fn visible_text(src: &str) -> String {
        let mut scanner = Scanner {
            src,
            last_gt: src.rfind('>'),
            unclosed: HashSet::new(),
            comment_unended: false,
            cdata_unended: false,
            out: Writer::default(),
        };
        scanner.run();
        tidy(&scanner.out.text)
    }

    struct Tag {
        /// Lowercase.
        name: String,
        closing: bool,
        /// Written `<x/>`: opens nothing.
        self_closing: bool,
        /// Index just past its '>'.
        end: usize,
    }

    struct Scanner<'a> {
        src: &'a str,
        /// Past the last '>', no tag can end: a '<' there is plain text.
        last_gt: Option<usize>,
        /// Hidden elements found once without an end tag: later ones are not searched.
        unclosed: HashSet<String>,
        comment_unended: bool,
        cdata_unended: bool,
        out: Writer,
    }

    impl Scanner<'_> {
        fn run(&mut self) {
            let mut pos = 0;
            while let Some(off) = self.src.get(pos..).and_then(|r| r.find('<')) {
                let lt = pos + off;
                self.out.text(&self.src[pos..lt]);
                pos = self.markup(lt);
            }
            self.out.text(self.src.get(pos..).unwrap_or_default());
        }

        /// Handles the '<' at `lt`; returns where text resumes.
        fn markup(&mut self, lt: usize) -> usize {
            if let Some(end) = self.declaration(lt) {
                return end;
            }
            let Some(tag) = self.tag(lt) else {
                self.out.text("<");
                return lt + 1;
            };
            if !tag.closing && !tag.self_closing && SKIP.contains(&tag.name.as_str()) {
                return self.skip(&tag.name, tag.end);
            }
            self.out.tag(&tag);
            tag.end
        }

        /// Comments, CDATA, doctype and processing instructions, never visible; returns
        /// their end. An unterminated one ends at the next '>' rather than swallow the page.
        fn declaration(&mut self, lt: usize) -> Option<usize> {
            let rest = self.src.get(lt..)?;
            let (open, close, unended) = if rest.starts_with("<!--") {
                (4, "-->", self.comment_unended)
            } else if rest.starts_with("<![CDATA[") {
                (9, "]]>", self.cdata_unended)
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                (2, ">", false)
            } else {
                return None;
            };
            let body = lt + open;
            if close != ">" && !unended {
                if let Some(i) = self.src.get(body..).and_then(|r| r.find(close)) {
                    return Some(body + i + close.len());
                }
                // No terminator here means none further on either.
                if close == "-->" {
                    self.comment_unended = true;
                } else {
                    self.cdata_unended = true;
                }
            }
            self.next_gt(lt).map(|gt| gt + 1)
        }

        /// The first '>' at or after `from`, found without a scan when there is none.
        fn next_gt(&self, from: usize) -> Option<usize> {
            if !matches!(self.last_gt, Some(g) if g >= from) {
                return None;
            }
            self.src.get(from..)?.find('>').map(|i| from + i)
        }

        /// The start or end tag at `lt`; `None` when the '<' is plain text ("3 < 4").
        fn tag(&self, lt: usize) -> Option<Tag> {
            let bytes = self.src.as_bytes();
            let mut i = lt + 1;
            let closing = bytes.get(i) == Some(&b'/');
            if closing {
                i += 1;
            }
            let name_start = i;
            if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                return None;
            }
            while bytes
                .get(i)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
            {
                i += 1;
            }
            let name = self.src.get(name_start..i)?.to_ascii_lowercase();
            // A quote never closed: the tag ends at the first '>', keeping what follows.
            let end = self
                .attributes_end(i)
                .or_else(|| self.next_gt(i).map(|g| g + 1))?;
            let self_closing = end >= 2 && bytes.get(end - 2) == Some(&b'/');
            Some(Tag {
                name,
                closing,
                self_closing,
                end,
            })
        }

        /// Index past the '>' ending a tag whose attributes start at `from`. A quote opens
        /// only after '=' (so "l'article" in a bare value is not one), and a '>' inside a
        /// quoted value does not end the tag. `None` if a quote is still open at the last '>'.
        fn attributes_end(&self, from: usize) -> Option<usize> {
            let last_gt = self.last_gt?;
            let region = self.src.as_bytes().get(from..=last_gt)?;
            let mut quote: Option<u8> = None;
            let mut after_eq = false;
            for (k, &b) in region.iter().enumerate() {
                match quote {
                    Some(q) if b == q => quote = None,
                    Some(_) => {}
                    None if b == b'>' => return Some(from + k + 1),
                    None if (b == b'"' || b == b'\'') && after_eq => quote = Some(b),
                    None => {}
                }
                if !b.is_ascii_whitespace() {
                    after_eq = b == b'=';
                }
            }
            None
        }

        /// Skips the content of a hidden element whose start tag ends at `from`; returns
        /// where text resumes.
        fn skip(&mut self, name: &str, from: usize) -> usize {
            if RAW.contains(&name) {
                // A script never closed runs to the end, as in a browser.
                return self.raw_end(name, from).unwrap_or(self.src.len());
            }
            if self.unclosed.contains(name) {
                return from;
            }
            self.element_end(name, from).unwrap_or_else(|| {
                // Never closed: its content stays visible rather than the page vanish.
                self.unclosed.insert(name.to_string());
                from
            })
        }

        /// Past the end tag of a raw-text element (`</script`, any case).
        fn raw_end(&self, name: &str, from: usize) -> Option<usize> {
            let bytes = self.src.as_bytes();
            let mut pos = from;
            while let Some(off) = self.src.get(pos..)?.find("</") {
                let at = pos + off + 2;
                let named = bytes
                    .get(at..at + name.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
                let whole = !bytes
                    .get(at + name.len())
                    .is_some_and(u8::is_ascii_alphanumeric);
                if named && whole {
                    return Some(self.next_gt(at).map_or(self.src.len(), |g| g + 1));
                }
                pos = at;
            }
            None
        }

        /// Past the end tag matching a hidden element (nesting counted); for `<head>`, also
        /// the first start tag that belongs to the body. `None` if it never ends.
        fn element_end(&mut self, name: &str, from: usize) -> Option<usize> {
            let mut depth = 1usize;
            let mut pos = from;
            while let Some(off) = self.src.get(pos..)?.find('<') {
                let lt = pos + off;
                if let Some(end) = self.declaration(lt) {
                    pos = end;
                    continue;
                }
                let Some(tag) = self.tag(lt) else {
                    pos = lt + 1;
                    continue;
                };
                let opens = !tag.closing && !tag.self_closing;
                if name == "head" && !tag.closing && !HEAD_CONTENT.contains(&tag.name.as_str()) {
                    return Some(lt);
                }
                if tag.name == name {
                    if tag.closing {
                        depth -= 1;
                        if depth == 0 {
                            return Some(tag.end);
                        }
                    } else if opens {
                        depth += 1;
                    }
                } else if opens && RAW.contains(&tag.name.as_str()) {
                    pos = self.raw_end(&tag.name, tag.end)?;
                    continue;
                }
                pos = tag.end;
            }
            None
        }
    }

    /// The text as laid out so far; `tidy` cleans it up at the end.
    #[derive(Default)]
    struct Writer {
        text: String,
        /// A cell was opened in the current table row: the next one needs a separator.
        cell_in_row: bool,
        /// Open table cells: their paragraphs stay on the row's line.
        in_cell: usize,
        /// Open `<pre>` elements: their line breaks are kept.
        pre: usize,
    }

    impl Writer {
        fn tag(&mut self, tag: &Tag) {
            let name = tag.name.as_str();
            let opens = !tag.closing && !tag.self_closing;
            match name {
                "td" | "th" if tag.closing => self.in_cell = self.in_cell.saturating_sub(1),
                "td" | "th" => {
                    if self.cell_in_row {
                        self.text.push_str(" | ");
                    }
                    self.cell_in_row = true;
                    if opens {
                        self.in_cell += 1;
                    }
                }
                "tr" => {
                    if !tag.closing {
                        self.text.push('\n');
                    }
                    self.cell_in_row = false;
                    self.in_cell = 0;
                }
                _ if self.in_cell > 0 && (BLOCK.contains(&name) || LINE.contains(&name)) => {
                    self.text.push(' ');
                }
                _ if BLOCK.contains(&name) => {
                    self.text.push_str("\n\n");
                    self.cell_in_row = false;
                    if name == "pre" && tag.closing {
                        self.pre = self.pre.saturating_sub(1);
                    } else if name == "pre" && opens {
                        self.pre += 1;
                    }
                }
                _ if LINE.contains(&name) && !tag.closing => self.text.push('\n'),
                _ => {}
            }
        }

        /// Source text, entities decoded.
        fn text(&mut self, raw: &str) {
            let mut rest = raw;
            while let Some(amp) = rest.find('&') {
                self.plain(&rest[..amp]);
                rest = &rest[amp..];
                match entity(rest) {
                    Some((c, len)) => {
                        self.push(c);
                        rest = rest.get(len..).unwrap_or_default();
                    }
                    None => {
                        self.push('&');
                        rest = &rest[1..];
                    }
                }
            }
            self.plain(rest);
        }

        fn plain(&mut self, s: &str) {
            for c in s.chars() {
                self.push(c);
            }
        }

        /// Source line breaks are spaces (layout comes from the tags), except in `<pre>`.
        fn push(&mut self, c: char) {
            match c {
                '\n' if self.pre > 0 => self.text.push('\n'),
                '\r' if self.pre > 0 => {}
                '\n' | '\r' | '\t' | '\x0c' => self.text.push(' '),
                _ => self.text.push(c),
            }
        }
    }

    /// The character and byte length of the entity at the start of `s` (which starts
    /// with '&'); `None` for a bare '&' or an unknown name, kept as written.
    fn entity(s: &str) -> Option<(char, usize)> {
        let semi = s.bytes().take(40).position(|b| b == b';')?;
        let name = s.get(1..semi)?;
        let c = match name.strip_prefix('#') {
            Some(num) => numeric(num)?,
            None => named(name)?,
        };
        Some((c, semi + 1))
    }

    /// `&#233;` / `&#xE9;`. As in browsers, 128-159 mean their Windows-1252 characters
    /// (Word's `&#146;` is ’), and NUL or invalid code points become U+FFFD.
    fn numeric(num: &str) -> Option<char> {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()?
            }
            None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                num.parse().ok()?
            }
            _ => return None,
        };
        Some(match code {
            0 => '\u{FFFD}',
            0x80..=0x9F => {
                let byte = [u8::try_from(code).ok()?];
                let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                s.chars().next()?
            }
            _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
        })
    }

    fn named(n: &str) -> Option<char> {
        Some(match n {
            "amp" | "AMP" => '&',
            "lt" | "LT" => '<',
            "gt" | "GT" => '>',
            "quot" | "QUOT" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "eacute" => 'é',
            "Eacute" => 'É',
            "egrave" => 'è',
            "Egrave" => 'È',
            "ecirc" => 'ê',
            "Ecirc" => 'Ê',
            "euml" => 'ë',
            "Euml" => 'Ë',
            "agrave" => 'à',
            "Agrave" => 'À',
            "acirc" => 'â',
            "Acirc" => 'Â',
            "auml" => 'ä',
            "Auml" => 'Ä',
            "ccedil" => 'ç',
            "Ccedil" => 'Ç',
            "ocirc" => 'ô',
            "Ocirc" => 'Ô',
            "ouml" => 'ö',
            "Ouml" => 'Ö',
            "ucirc" => 'û',
            "Ucirc" => 'Û',
            "ugrave" => 'ù',
            "Ugrave" => 'Ù',
            "uuml" => 'ü',
            "Uuml" => 'Ü',
            "icirc" => 'î',
            "Icirc" => 'Î',
            "iuml" => 'ï',
            "Iuml" => 'Ï',
            "yuml" => 'ÿ',
            "Yuml" => 'Ÿ',
            "aacute" => 'á',
            "iacute" => 'í',
            "oacute" => 'ó',
            "uacute" => 'ú',
            "ntilde" => 'ñ',
            "szlig" => 'ß',
            "laquo" => '«',
            "raquo" => '»',
            "rsquo" => '’',
            "lsquo" => '‘',
            "ldquo" => '“',
            "rdquo" => '”',
            "sbquo" => '‚',
            "bdquo" => '„',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "euro" => '€',
            "sect" => '§',
            "para" => '¶',
            "deg" => '°',
            "oelig" => 'œ',
            "OElig" => 'Œ',
            "aelig" => 'æ',
            "AElig" => 'Æ',
            "copy" | "COPY" => '©',
            "reg" | "REG" => '®',
            "trade" => '™',
            "times" => '×',
            "divide" => '÷',
            "middot" => '·',
            "bull" => '•',
            "shy" => '\u{ad}',
            "thinsp" => '\u{2009}',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "ordm" => 'º',
            "ordf" => 'ª',
            "sup2" => '²',
            "frac12" => '½',
            _ => return None,
        })
    }

    /// Lines trimmed, runs of spaces collapsed, at most one blank line in a row.
    fn tidy(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut blank = false;
        for line in s.split('\n') {
            let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
            let joined = words.join(" ");
            // Word pages fill empty paragraphs with &nbsp;.
            let line = joined.trim();
            if line.is_empty() {
                blank = true;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank { "\n\n" } else { "\n" });
            }
            blank = false;
            out.push_str(line);
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8], format: Format) -> String {
        extract_bytes(bytes, format).unwrap().text
    }

    fn html(src: &str) -> String {
        text(src.as_bytes(), Format::Html)
    }

    fn kind(bytes: &[u8], format: Format) -> ErrorKind {
        extract_bytes(bytes, format).unwrap_err().kind
    }

    /// Deterministic pseudo-random bytes (xorshift), so failures replay.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn formats_by_extension() {
        let f = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(f("a/B.TXT"), Some(Format::Txt));
        assert_eq!(f("x.text"), Some(Format::Txt));
        assert_eq!(f("x.markdown"), Some(Format::Md));
        assert_eq!(f("x.Rst"), Some(Format::Rst));
        assert_eq!(f("x.htm"), Some(Format::Html));
        assert_eq!(f("x.XHTML"), Some(Format::Html));
        assert_eq!(f("x.pdf"), Some(Format::Pdf));
        assert_eq!(f("x.docx"), Some(Format::Docx));
        assert_eq!(f("x.odt"), Some(Format::Odt));
        assert_eq!(f("x.rtf"), Some(Format::Rtf));
        assert_eq!(f("x.doc"), Some(Format::Doc));
        assert_eq!(f("x.png"), None);
        assert_eq!(f("noext"), None);
        assert_eq!(f(".txt"), None, "a dotfile named .txt has no extension");
    }

    #[test]
    fn latin1_french_is_decoded_not_mangled() {
        let bytes = b"\xc9t\xe9 : \xab force majeure \xbb, c\x9cur";
        let ex = extract_bytes(bytes, Format::Txt).unwrap();
        assert_eq!(ex.text, "Été : « force majeure », cœur");
        assert!(!ex.text.contains('Ã'));
        assert_eq!(ex.extractor, "text/windows-1252");
        assert!(ex
            .warnings
            .iter()
            .any(|w| w.contains("decoded as Windows-1252")));
    }

    #[test]
    fn utf8_is_kept_as_is_crlf_included() {
        let src = "Article 1 – Objet\r\nLe prestataire s’engage.\r\n";
        let ex = extract_bytes(src.as_bytes(), Format::Md).unwrap();
        assert_eq!(ex.text, src);
        assert_eq!(ex.extractor, "text");
        assert!(ex.warnings.is_empty());
        assert!(ex.pages.is_empty());
        assert_eq!(ex.format, Format::Md);
    }

    #[test]
    fn utf8_bom_and_utf16_are_decoded() {
        let ex = extract_bytes("\u{feff}Été".as_bytes(), Format::Txt).unwrap();
        assert_eq!((ex.text.as_str(), ex.extractor.as_str()), ("Été", "text"));
        let mut le = vec![0xff, 0xfe];
        le.extend("Été\r\nfin".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let ex = extract_bytes(&le, Format::Txt).unwrap();
        assert_eq!(
            (ex.text.as_str(), ex.extractor.as_str()),
            ("Été\r\nfin", "text/utf-16")
        );
        let mut be = vec![0xfe, 0xff];
        be.extend("Sinistre".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(text(&be, Format::Rst), "Sinistre");
    }

    #[test]
    fn empty_and_whitespace_files_are_empty() {
        for bytes in [
            &b""[..],
            b" \n\t ",
            b"\xef\xbb\xbf",
            b"\xef\xbb\xbf \r\n",
            b"\xff\xfe \x00",
        ] {
            assert_eq!(kind(bytes, Format::Txt), ErrorKind::Empty, "{bytes:?}");
        }
        assert_eq!(
            kind(b"<html><head><title>T</title></head></html>", Format::Html),
            ErrorKind::Empty
        );
        let e = extract_bytes(b"", Format::Txt).unwrap_err();
        assert_eq!(e.message, "the file is empty");
    }

    #[test]
    fn binary_data_is_not_text() {
        for seed in 1..40 {
            for len in [64, 300, 5000, 20000] {
                let e = extract_bytes(&noise(seed, len), Format::Txt).unwrap_err();
                assert_eq!(e.kind, ErrorKind::NotText, "seed {seed} len {len}");
                assert!(e.message.contains("binary"));
            }
        }
        assert_eq!(
            kind(b"PK\x03\x04\x14\x00\x06\x00", Format::Txt),
            ErrorKind::NotText
        );
        assert_eq!(
            kind(b"text\x01\x02\x03\x04\x05\x06", Format::Txt),
            ErrorKind::NotText
        );
        // A UTF-16 BOM does not make random bytes text.
        let mut fake = vec![0xff, 0xfe];
        fake.extend(noise(7, 4000));
        assert_eq!(kind(&fake, Format::Txt), ErrorKind::NotText);
        assert_eq!(kind(&noise(3, 2000), Format::Html), ErrorKind::NotText);
    }

    #[test]
    fn a_few_control_characters_are_still_text() {
        let mut src = "Clause de limitation de responsabilité. "
            .repeat(20)
            .into_bytes();
        src.push(0x1a); // DOS end-of-file marker
        assert!(extract_bytes(&src, Format::Txt).is_ok());
    }

    #[test]
    fn a_doc_is_read_by_antiword_or_unsupported_with_a_hint() {
        let e = extract_bytes(b"\xd0\xcf\x11\xe0", Format::Doc).unwrap_err();
        if crate::extract::tools::installed("antiword") {
            // Four bytes of an OLE header are no Word document.
            assert_eq!(e.kind, ErrorKind::Corrupt, "{}", e.message);
            assert!(e.message.contains("not a Word Document"), "{}", e.message);
            assert!(!e.message.contains(".vigie-doc"), "{}", e.message);
        } else {
            assert_eq!(e.kind, ErrorKind::UnsupportedFormat);
            assert!(e.message.contains("antiword") && e.message.contains("convert it"));
        }
    }

    #[test]
    fn form_feeds_make_pages() {
        let ex = extract_bytes(b"page one\x0cpage two\x0cpage three\x0c", Format::Txt).unwrap();
        let pages: Vec<&str> = ex.pages.iter().map(|p| &ex.text[p.clone()]).collect();
        assert_eq!(pages, ["page one", "page two", "page three"]);
        assert!(extract_bytes(b"one page", Format::Txt)
            .unwrap()
            .pages
            .is_empty());
    }

    #[test]
    fn html_visible_text_only() {
        let src = r#"<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>
<h2>Article 12 &ndash; Force majeure</h2><p>Les <b>virus</b>  informatiques&nbsp;: cas d&rsquo;exon&eacute;ration.</p>
<script>alert("<p>x</p>")</script><!-- hidden --><ul><li>a) incendie</li><li>b) 3 < 4</li></ul>
<table><tr><td>RPO</td><td>4 h</td></tr></table><a href="x>y">lien</a></body></html>"#;
        let ex = extract_bytes(src.as_bytes(), Format::Html).unwrap();
        assert_eq!(ex.extractor, "html");
        let t = ex.text;
        assert!(t.starts_with("Article 12 – Force majeure\n\n"), "{t:?}");
        assert!(
            t.contains("Les virus informatiques\u{a0}: cas d’exonération."),
            "{t:?}"
        );
        assert!(t.contains("\na) incendie\nb) 3 < 4\n"), "{t:?}");
        assert!(t.contains("\nRPO | 4 h\n"), "{t:?}");
        assert!(t.contains("lien"));
        for hidden in ["alert", "hidden", "p{}", "T\n", "DOCTYPE"] {
            assert!(!t.contains(hidden), "{hidden} in {t:?}");
        }
    }

    #[test]
    fn html_layout_of_blocks_tables_and_pre() {
        let t = html(
            "<div>Préambule<h3>Article 5 Responsabilité</h3>Le prestataire<br>répond.</div>\
             <p>&nbsp;</p><p>&nbsp;</p><p>&nbsp;</p><p>Suite</p>\
             <table><tr><th><p>Garantie</p></th><th><p>Plafond</p></th></tr>\
             <tr><td><p>Cyber</p></td><td>1 M&euro;</td></tr></table>\
             <pre>ligne 1\nligne 2</pre><dl><dt>RTO</dt><dd>4 h</dd></dl>",
        );
        assert_eq!(
            t,
            "Préambule\n\nArticle 5 Responsabilité\n\nLe prestataire\nrépond.\n\nSuite\n\n\
             Garantie | Plafond\nCyber | 1 M€\n\nligne 1\nligne 2\n\nRTO\n4 h\n"
        );
    }

    #[test]
    fn html_entities() {
        assert_eq!(
            html("&Eacute;t&eacute; &laquo;&#233;&#xE9;&#XE9;&raquo; &#146;&#0;&AMP; &unknown; & a&b; &#+65; &#x;"),
            "Été «ééé» ’\u{FFFD}& &unknown; & a&b; &#+65; &#x;\n"
        );
        // Multi-byte text right after an entity (a fixed-width look-ahead once cut a char).
        assert_eq!(html("&amp;ééééééé"), "&ééééééé\n");
        assert_eq!(
            html("&OElig;uvre &euro; &sect; 2 &deg; &hellip;"),
            "Œuvre € § 2 ° …\n"
        );
    }

    #[test]
    fn malformed_html_keeps_its_text() {
        // No </head>: the body starts at its first tag.
        assert_eq!(html("<head><title>T</title><p>Corps"), "Corps\n");
        // Self-closing and nested hidden elements.
        assert_eq!(
            html("<svg/>avant<svg><svg></svg>dessin</svg>après"),
            "avantaprès\n"
        );
        // A hidden element never closed does not hide the page.
        assert_eq!(html("<noscript>Texte <b>visible"), "Texte visible\n");
        // Quotes: '>' inside a value, an apostrophe in a bare value, a quote never closed.
        assert_eq!(
            html("<a title='a>b' href=l'x>lien</a> suite"),
            "lien suite\n"
        );
        assert_eq!(html("<a b='>texte gardé"), "texte gardé\n");
        assert_eq!(
            html("x < y et <3 et <> et < /p>"),
            "x < y et <3 et <> et < /p>\n"
        );
        assert_eq!(html("<p>un<p>deux<li>trois"), "un\n\ndeux\ntrois\n");
        assert_eq!(html("a <!-- jamais fermé > b"), "a b\n");
        assert_eq!(html("<SCRIPT type=x>if (a</b) {}</Script >Fin"), "Fin\n");
        assert_eq!(html("<![CDATA[caché]]>vu<?xml version='1.0'?>"), "vu\n");
    }

    #[test]
    fn html_charset() {
        let ex = extract_bytes(b"<p>\xc9t\xe9</p>", Format::Html).unwrap();
        assert_eq!(ex.text, "Été\n");
        assert!(ex.warnings.iter().any(|w| w.contains("Windows-1252")));
        let ex = extract_bytes(
            b"<meta charset=\"iso-8859-15\"><p>100 \xa4 \xbduvre</p>",
            Format::Html,
        )
        .unwrap();
        assert_eq!(ex.text, "100 € œuvre\n");
        // Valid UTF-8 wins over a Latin-1 declaration: never "Ã©".
        let t =
            html("<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'><p>été");
        assert_eq!(t, "été\n");
    }

    #[test]
    fn hostile_html_never_panics_and_stays_linear() {
        for src in [
            "<",
            "<<>>",
            "&#xFFFFFFFF;",
            "&#99999999999;",
            "<a b='>",
            "<!--",
            "<script>",
            "&",
            "<![CDATA[x",
            "é<é>é",
            "</",
            "<a",
            "<a ='",
            "<!",
            "<?",
            "&#",
            "<svg",
            "<head>",
            "</td><td>",
            "<pre></pre></pre>",
            "<td/>x<td/>y",
        ] {
            let _ = extract_bytes(src.as_bytes(), Format::Html);
        }
        let alphabet: Vec<char> = "<>/!-'\"=& ;#xapsvgédh\n\t[]C?".chars().collect();
        for seed in 1..400 {
            let src: String = noise(seed, 200)
                .iter()
                .map(|b| alphabet[*b as usize % alphabet.len()])
                .collect();
            if let Ok(ex) = extract_bytes(src.as_bytes(), Format::Html) {
                assert!(!ex.text.contains("\n\n\n"), "{src:?}");
            }
        }
        let start = std::time::Instant::now();
        for unit in [
            "<a x='",
            "<!--",
            "<svg>",
            "<!",
            "&amp",
            "<a x=\">",
            "<![CDATA[",
            "<head><b>",
            "<svg><script>",
            "<a x=\"'>",
            "<noscript><svg>",
            "</script",
        ] {
            let _ = extract_bytes(unit.repeat(60_000).as_bytes(), Format::Html);
        }
        assert!(start.elapsed().as_secs() < 20, "quadratic scan");
    }

    #[cfg(unix)]
    #[test]
    fn extract_path_permission_denied_is_unreadable() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("secret.txt");
        std::fs::write(&p, "x").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        match std::fs::read(&p) {
            Ok(_) => assert!(extract_path(&p, 10).is_ok()), // root reads anything
            Err(_) => {
                let e = extract_path(&p, 10).unwrap_err();
                assert_eq!(e.kind, ErrorKind::Unreadable);
                assert!(e.message.contains("permission denied"), "{}", e.message);
            }
        }
    }

    #[test]
    fn extract_path_reads_and_reports() {
        let d = tempfile::tempdir().unwrap();
        let ok = d.path().join("contrat.TXT");
        std::fs::write(&ok, "Article 1").unwrap();
        let (bytes, ex) = extract_path(&ok, 100).unwrap();
        assert_eq!(
            (bytes.as_slice(), ex.text.as_str()),
            (&b"Article 1"[..], "Article 1")
        );
        let unknown = d.path().join("notes.log");
        std::fs::write(&unknown, "<p>brut</p>").unwrap();
        let (_, ex) = extract_path(&unknown, 100).unwrap();
        assert_eq!((ex.format, ex.text.as_str()), (Format::Txt, "<p>brut</p>"));
        let e = extract_path(&ok, 5).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert!(e.message.contains("over the limit"));
        let e = extract_path(&d.path().join("absent.txt"), 100).unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::NotFound, "the file does not exist")
        );
        let e = extract_path(d.path(), 100).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unreadable);
        assert!(e.message.contains("folder"));
    }
}
