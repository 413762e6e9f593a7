//! Where a command's report goes (a file written atomically, or standard output) and the
//! closing lines told on standard error.

use crate::conventions;
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};
use vigie::model::{Language, Severity};
use vigie::report;
use vigie::report::output::{self, Format};

/// The report file of `-o PATH`, checked against `inputs`; `None` for standard output
/// (no `-o`, or `-o -`).
pub(crate) fn prepare_output(
    path: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<Option<output::Destination>> {
    match path {
        Some(p) if p != Path::new("-") => Ok(Some(output::Destination::prepare(p, inputs)?)),
        _ => Ok(None),
    }
}

/// Writes a report to `output` (atomically) or to standard output.
pub(crate) fn emit<T: Default>(
    output: Option<output::Destination>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<T> {
    Ok(output::emit(output, &mut std::io::stdout().lock(), render)?)
}

/// Standard error's last lines: where the report went and, on exit 1, which findings.
pub(crate) fn closing_notes(
    went: Option<&conventions::Went>,
    format: Format,
    lang: Language,
    code: i32,
    failing: Option<(Severity, report::Failing)>,
) {
    let name = format!("{format:?}").to_lowercase();
    eprintln!("{}", conventions::report_went(went, &name, lang));
    if let Some((t, f)) = failing.filter(|_| code == 1) {
        eprintln!("{}", conventions::fail_on_note(&f, t));
    }
}
