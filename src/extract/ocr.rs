//! OCR of scanned PDF pages: pages without a text layer are rendered by `pdftoppm` and read
//! by `tesseract` (French and English models), in the extraction worker, so the worker's
//! time and memory limits hold. Without the tools the document stays `no_text_layer`, and
//! its message says what to install.

use crate::extract::extracted::{ErrorKind, ExtractError, Extracted};
use crate::extract::tools::{installed, run, Scratch};
use crate::model::Language;
use std::ops::Range;
use std::process::Command;

/// When to OCR a PDF (`--ocr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages without a text layer, when the tools are installed.
    #[default]
    Auto,
    /// Never: a page without a text layer stays without text.
    Off,
    /// Every page, even those with a text layer (a bad text layer over a scan).
    Force,
}

impl OcrMode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            OcrMode::Auto => "auto",
            OcrMode::Off => "off",
            OcrMode::Force => "force",
        }
    }

    /// The mode named `auto`, `off` or `force`, as `--ocr` takes it; `None` for any other
    /// text.
    pub fn parse(s: &str) -> Option<OcrMode> {
        [OcrMode::Auto, OcrMode::Off, OcrMode::Force]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// What a user needs to read scanned PDFs.
pub const OCR_HINT: &str =
    "install tesseract-ocr, tesseract-ocr-fra, tesseract-ocr-eng and poppler-utils to read it by OCR";

/// The tesseract models of each document language, in the order tried.
fn models(language: Option<Language>) -> &'static [&'static str] {
    match language {
        Some(Language::Fr) => &["fra"],
        Some(Language::En) => &["eng"],
        None => &["fra", "eng"],
    }
}
/// Rendering resolution: tesseract reads body text best at about 300 dpi.
const DPI: &str = "300";
/// A page with fewer letters and digits than this has no text layer worth the name.
const BLANK_PAGE: usize = 3;

/// The worker's PDF extraction: the text layer, with OCR where `mode` asks for it, in the
/// document's `language` when the scan knows it (`--lang`), else French and English.
pub fn extract_pdf(
    bytes: &[u8],
    mode: OcrMode,
    language: Option<Language>,
) -> Result<Extracted, ExtractError> {
    let layer = crate::extract::pdf::extract(bytes);
    match (mode, layer) {
        (OcrMode::Off, layer) => layer,
        (OcrMode::Force, layer) => match ocr_all(bytes, language) {
            Ok(ex) => Ok(ex),
            Err(why) => layer.map_err(|e| with_hint(e, &why)),
        },
        (OcrMode::Auto, Err(e)) if e.kind == ErrorKind::NoTextLayer => {
            ocr_all(bytes, language).map_err(|why| with_hint(e, &why))
        }
        (OcrMode::Auto, Ok(ex)) => Ok(fill_blank_pages(bytes, ex, language)),
        (OcrMode::Auto, other) => other,
    }
}

/// The no-text-layer error saying why OCR did not read the document.
fn with_hint(e: ExtractError, why: &str) -> ExtractError {
    if e.kind != ErrorKind::NoTextLayer {
        return e;
    }
    ExtractError::new(ErrorKind::NoTextLayer, format!("{}; {why}", e.message))
}

/// Every page by OCR, assembled as the text layer would be (`extractor`: `ocr`).
fn ocr_all(bytes: &[u8], language: Option<Language>) -> Result<Extracted, String> {
    let texts = ocr_pages(bytes, None, language)?;
    let n = texts.len();
    let pages = texts.into_iter().map(Some).collect();
    let mut ex = crate::extract::pdf::assemble(pages, true, "ocr")
        .map_err(|e| format!("OCR found no text ({e})"))?;
    // A reader of findings from OCR should know the text may hold recognition errors.
    ex.warnings.push(format!("{n} page(s) read by OCR"));
    Ok(ex)
}

/// The text layer with its blank pages read by OCR (`extractor`: `pdf-extract+ocr`); as it
/// was when no page is blank or OCR cannot run (with a warning then).
fn fill_blank_pages(bytes: &[u8], mut ex: Extracted, language: Option<Language>) -> Extracted {
    let mut texts: Vec<String> = ex
        .pages
        .iter()
        .map(|p| ex.text[p.clone()].to_string())
        .collect();
    let blank: Vec<u32> = (0..texts.len())
        .filter(|&i| texts[i].chars().filter(|c| c.is_alphanumeric()).count() < BLANK_PAGE)
        .map(|i| i as u32 + 1)
        .collect();
    if blank.is_empty() {
        return ex;
    }
    let read = match ocr_pages(bytes, Some(&blank), language) {
        Ok(read) => read,
        Err(why) => {
            ex.warnings.push(format!(
                "{} page(s) without text were not read: {why}",
                blank.len()
            ));
            return ex;
        }
    };
    for (n, t) in blank.iter().zip(read) {
        texts[*n as usize - 1] = t;
    }
    let (text, pages) = join_pages(&texts);
    ex.text = text;
    ex.pages = pages;
    ex.extractor = format!("{}+ocr", ex.extractor);
    ex.warnings.push(format!(
        "{} page(s) without a text layer read by OCR",
        blank.len()
    ));
    ex
}

/// Pages joined as `pdf::assemble` joins them: a form feed and a line break between pages.
fn join_pages(texts: &[String]) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(texts.len());
    for t in texts {
        if !text.is_empty() {
            text.push_str("\x0c\n");
        }
        let start = text.len();
        text.push_str(t.trim());
        spans.push(start..text.len());
    }
    (text, spans)
}

/// The OCR text of `pages` (1-based; every page when `None`), in order, or why not.
pub fn ocr_pages(
    bytes: &[u8],
    pages: Option<&[u32]>,
    language: Option<Language>,
) -> Result<Vec<String>, String> {
    for tool in ["pdftoppm", "tesseract"] {
        if !installed(tool) {
            return Err(format!("{tool} is not installed: {OCR_HINT}"));
        }
    }
    let langs = languages(language)?;
    let scratch = Scratch::new("ocr").map_err(|e| format!("cannot write scratch files: {e}"))?;
    let pdf = scratch.path().join("in.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| format!("cannot write scratch files: {e}"))?;
    let images = match pages {
        None => render(&pdf, None, &scratch)?,
        Some(list) => {
            let mut all = Vec::new();
            for &n in list {
                all.extend(render(&pdf, Some(n), &scratch)?);
            }
            all
        }
    };
    images.iter().map(|img| tesseract(img, &langs)).collect()
}

/// The page images `pdftoppm` renders (one page, or all), in page order.
fn render(
    pdf: &std::path::Path,
    page: Option<u32>,
    scratch: &Scratch,
) -> Result<Vec<std::path::PathBuf>, String> {
    let prefix = format!("p{}", page.map_or(String::new(), |n| n.to_string()));
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-r", DPI, "-gray", "-png"]);
    if let Some(n) = page {
        cmd.args(["-f", &n.to_string(), "-l", &n.to_string()]);
    }
    cmd.arg(pdf).arg(scratch.path().join(&prefix));
    let out = run(&mut cmd).map_err(|e| format!("cannot run pdftoppm: {e}"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "pdftoppm failed ({})",
            why.lines().next().unwrap_or("")
        ));
    }
    // pdftoppm names pages prefix-1.png or prefix-01.png (padded to the page count):
    // within one run the names sort in page order.
    let mut images: Vec<_> = std::fs::read_dir(scratch.path())
        .map_err(|e| format!("cannot list the rendered pages: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{prefix}-")) && n.ends_with(".png"))
        })
        .collect();
    images.sort();
    Ok(images)
}

fn tesseract(image: &std::path::Path, langs: &str) -> Result<String, String> {
    let out = run(Command::new("tesseract")
        .arg(image)
        .arg("stdout")
        .args(["-l", langs])
        // One thread: the scan already runs one worker per core.
        .env("OMP_THREAD_LIMIT", "1"))
    .map_err(|e| format!("cannot run tesseract: {e}"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "tesseract failed ({})",
            why.lines().last().unwrap_or("")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The models of `language` (`fra+eng` when unknown) that are installed, as tesseract's `-l`.
fn languages(language: Option<Language>) -> Result<String, String> {
    let out = run(Command::new("tesseract").arg("--list-langs"))
        .map_err(|e| format!("cannot run tesseract: {e}"))?;
    let listed = String::from_utf8_lossy(&out.stdout);
    let have: Vec<&str> = models(language)
        .iter()
        .copied()
        .filter(|l| listed.lines().any(|x| x.trim() == *l))
        .collect();
    if have.is_empty() {
        return Err(format!(
            "tesseract has no {} data: {OCR_HINT}",
            models(language).join(" or ")
        ));
    }
    Ok(have.join("+"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_from_their_names() {
        for m in [OcrMode::Auto, OcrMode::Off, OcrMode::Force] {
            assert_eq!(OcrMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(OcrMode::parse("always"), None);
    }

    #[test]
    fn the_document_language_picks_the_models() {
        assert_eq!(models(Some(Language::Fr)), ["fra"]);
        assert_eq!(models(Some(Language::En)), ["eng"]);
        assert_eq!(models(None), ["fra", "eng"]);
    }

    #[test]
    fn pages_join_like_the_text_layer() {
        let (text, spans) = join_pages(&[" un ".into(), "deux\n".into()]);
        assert_eq!(text, "un\x0c\ndeux");
        assert_eq!(spans, [0..2, 4..8]);
    }

    #[test]
    fn the_hint_joins_only_a_missing_text_layer() {
        let e = ExtractError::new(ErrorKind::NoTextLayer, "no text layer");
        assert_eq!(with_hint(e, "why").message, "no text layer; why");
        let e = ExtractError::new(ErrorKind::Encrypted, "password");
        assert_eq!(with_hint(e, "why").message, "password");
    }
}
