//! `vigie merge`: one report from the JSON Lines reports of a sharded scan.

use crate::emit::*;
use crate::options::*;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use vigie::report;
use vigie::report::output::{self};

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// The shards' reports (`vigie scan --shard K/N --format jsonl`).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub(crate) format: Option<FormatArg>,
    /// Write the report to FILE (atomically, through links; a FIFO or device is written
    /// into) instead of standard output; `-` is standard output.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Exit with status 1 when a finding reaches this severity.
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<SeverityArg>,
    /// Exit 0 even when some documents could not be analyzed.
    #[arg(long)]
    pub(crate) allow_unreadable: bool,
}

pub(crate) fn merge(args: MergeArgs) -> Result<u8> {
    let destination = prepare_output(args.output.as_deref(), &args.files)?;
    let report = vigie::scan::merge::merge_files(&args.files)?;
    let format = format_or_default(args.format, destination.is_some());
    let lang = report_language(None);
    emit(destination, |out| {
        output::render(&report, format, lang, out)
    })?;
    Ok(report::exit_code(&report, severity(args.fail_on), args.allow_unreadable) as u8)
}
