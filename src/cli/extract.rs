//! `vigie extract` (the text and clause tree Vigie reads) and the hidden worker command
//! that extracts one PDF in a child process.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::time::Duration;
use vigie::extract::ocr::OcrMode;
use vigie::model::Language;
use vigie::segment;

pub(crate) fn extract(file: &Path, clauses: bool, raw: bool) -> Result<u8> {
    let format = vigie::extract::Format::from_path(file).unwrap_or(vigie::extract::Format::Txt);
    let bytes = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
    let extracted = if raw {
        vigie::extract::extract_bytes_raw(&bytes, format)
    } else {
        vigie::extract::extract_bytes(&bytes, format)
    };
    let ex = extracted
        .map_err(|e| anyhow::anyhow!("{}: {} ({})", file.display(), e.message, e.kind.as_str()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !clauses {
        out.write_all(ex.text.as_bytes())?;
        return Ok(0);
    }
    let seg = segment::segment(&ex.text, &ex.pages);
    vigie::report::describe::write_clause_tree(&seg, &mut out)?;
    Ok(0)
}

/// The worker side of `isolate`: one file in, one JSON reply out.
pub(crate) fn extract_worker(
    max_memory: u64,
    timeout: Duration,
    parent: u32,
    ocr: OcrMode,
    ocr_lang: Option<Language>,
    file: &Path,
) -> Result<u8> {
    vigie::extract::isolate::bind_to_parent(parent, timeout);
    vigie::extract::isolate::limit_memory(max_memory);
    std::panic::set_hook(Box::new(|_| {}));
    vigie::extract::isolate::run_worker(file, ocr, ocr_lang, &mut std::io::stdout().lock())?;
    Ok(0)
}
