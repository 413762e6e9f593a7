//! Turns a file's bytes into the text that every report offset refers to, with page spans
//! when the format has pages, and a precise error kind when the file cannot be read.

pub(crate) mod archive;
mod cleanup;
mod docx;
mod extracted;
mod html;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the file at `path` and extracts it, a path with no known format as text: the
    /// path analysis takes (`analyze.rs`), in one call.
    fn extract_path(path: &Path, max_bytes: u64) -> Result<(Vec<u8>, Extracted), ExtractError> {
        let bytes = read_file(path, max_bytes)?;
        let format = Format::from_path(path).unwrap_or(Format::Txt);
        let extracted = extract_bytes(&bytes, format)?;
        Ok((bytes, extracted))
    }

    fn text(bytes: &[u8], format: Format) -> String {
        extract_bytes(bytes, format).unwrap().text
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
