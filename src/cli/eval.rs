//! `vigie eval`: scores the rule packs against a folder of documents with expectations.

use crate::options::*;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::time::Duration;
use vigie::extract::isolate::Isolation;
use vigie::AnalyzeOptions;

pub(crate) fn eval(dir: &Path, json: bool, packs: &PackArgs) -> Result<u8> {
    let pack = load_pack(packs)?;
    let opts = AnalyzeOptions {
        isolation: Isolation::current_exe(Duration::from_secs(60), 1 << 30),
        ..AnalyzeOptions::default()
    };
    let ev = vigie::rules::eval::evaluate(dir, &pack, &opts)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &ev)?;
        writeln!(out)?;
    } else {
        vigie::rules::eval::write_table(&ev, &mut out)?;
    }
    Ok(if ev.passed() { 0 } else { 1 })
}
