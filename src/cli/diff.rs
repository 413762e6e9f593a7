//! `vigie diff`: the findings a new version of a contract adds or removes.

use crate::conventions;
use crate::emit::*;
use crate::options::*;
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;
use vigie::extract::isolate::Isolation;
use vigie::model::Perspective;
use vigie::{report, AnalyzeOptions};

#[derive(Args)]
pub(crate) struct DiffArgs {
    /// The earlier version.
    pub(crate) old: PathBuf,
    /// The later version.
    pub(crate) new: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub(crate) format: DiffFormatArg,
    /// Write the comparison to FILE (atomically, through links; a FIFO or device is written
    /// into) instead of standard output; `-` is standard output.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Exit with status 1 when a finding the new version adds reaches this severity.
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<SeverityArg>,
    /// Whose risk to weigh.
    #[arg(long, value_enum, default_value = "client")]
    pub(crate) perspective: PerspectiveArg,
    #[command(flatten)]
    pub(crate) packs: PackArgs,
    /// Language of messages (default: from LANG, else English).
    #[arg(long, value_enum)]
    pub(crate) report_lang: Option<LangArg>,
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum DiffFormatArg {
    Table,
    Json,
}

pub(crate) fn diff(args: DiffArgs) -> Result<u8> {
    let pack = load_pack(&args.packs)?;
    // Before the analysis: `-o` must not overwrite either version.
    let inputs = [args.old.clone(), args.new.clone()];
    let destination = prepare_output(args.output.as_deref(), &inputs)?;
    let perspective = match args.perspective {
        PerspectiveArg::Client => Perspective::Client,
        PerspectiveArg::Provider => Perspective::Provider,
    };
    let opts = AnalyzeOptions {
        perspective,
        report_language: report_language(args.report_lang),
        isolation: Isolation::current_exe(Duration::from_secs(60), 1 << 30),
        ..AnalyzeOptions::default()
    };
    std::panic::set_hook(Box::new(|_| {}));
    let [old, new] =
        [&args.old, &args.new].map(|p| vigie::analyze_file(p, &p.to_string_lossy(), &pack, &opts));
    let _ = std::panic::take_hook();
    for d in [&old, &new] {
        if let Some(e) = &d.error {
            eprintln!(
                "vigie: {}: {} ({})",
                vigie::report::names::escape_controls(&d.path),
                e.message,
                e.kind
            );
            return Ok(3);
        }
    }
    let d = vigie::report::diff::diff(&old, &new, perspective);
    emit(destination, |out| match args.format {
        DiffFormatArg::Table => vigie::report::diff::write_table_in(&d, opts.report_language, out),
        DiffFormatArg::Json => vigie::report::diff::write_json(&d, out),
    })?;
    let Some(t) = severity(args.fail_on) else {
        return Ok(0);
    };
    let added: Vec<String> = d
        .added
        .iter()
        .filter(|f| f.severity.is_some_and(|s| s >= t))
        .map(|f| f.concept.clone())
        .collect();
    if added.is_empty() {
        return Ok(0);
    }
    let failing = report::Failing {
        count: added.len(),
        examples: added.into_iter().take(5).collect(),
    };
    eprintln!("{}", conventions::fail_on_note(&failing, t));
    Ok(1)
}
