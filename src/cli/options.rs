//! Options several commands share (rule packs, formats, languages, severities) and what
//! they mean to the library.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use vigie::extract::ocr::OcrMode;
use vigie::model::{Language, Severity};
use vigie::report::output::Format;
use vigie::report::waivers::Date;
use vigie::rules::{Pack, PackSource, RuleError};

#[derive(Args, Clone)]
pub(crate) struct PackArgs {
    /// Add the rule packs of DIR (every *.toml); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,
    /// Do not load the packs embedded in the binary.
    #[arg(long)]
    pub(crate) no_default_rules: bool,
}

pub(crate) fn load_pack(args: &PackArgs) -> Result<Pack> {
    let mut sources = if args.no_default_rules {
        Vec::new()
    } else {
        PackSource::builtin()
    };
    for dir in &args.rules {
        sources.extend(PackSource::load(dir)?);
    }
    if sources.is_empty() {
        anyhow::bail!("no rule pack loaded (--no-default-rules without --rules DIR)");
    }
    Pack::compile(&sources).map_err(|e| match e {
        // Its text is the diagnostics, one a line.
        RuleError::Invalid(_) => anyhow::anyhow!("invalid rule pack:\n{e}"),
        other => anyhow::anyhow!(other),
    })
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum FormatArg {
    Table,
    Json,
    Jsonl,
    Sarif,
    Html,
    Markdown,
    Csv,
}

pub(crate) fn format_or_default(format: Option<FormatArg>, to_file: bool) -> Format {
    match format {
        Some(FormatArg::Table) => Format::Table,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        Some(FormatArg::Sarif) => Format::Sarif,
        Some(FormatArg::Html) => Format::Html,
        Some(FormatArg::Markdown) => Format::Markdown,
        Some(FormatArg::Csv) => Format::Csv,
        None if std::io::stdout().is_terminal() && !to_file => Format::Table,
        None => Format::Json,
    }
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum OcrArg {
    Auto,
    Off,
    Force,
}

pub(crate) fn ocr_mode(arg: OcrArg) -> OcrMode {
    match arg {
        OcrArg::Auto => OcrMode::Auto,
        OcrArg::Off => OcrMode::Off,
        OcrArg::Force => OcrMode::Force,
    }
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum PortfolioArg {
    Folder,
    None,
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum PerspectiveArg {
    Client,
    Provider,
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum LangArg {
    Fr,
    En,
}

pub(crate) fn report_language(arg: Option<LangArg>) -> Language {
    match arg {
        Some(LangArg::Fr) => Language::Fr,
        Some(LangArg::En) => Language::En,
        None => {
            let lang = std::env::var("LC_ALL")
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| std::env::var("LANG").ok())
                .unwrap_or_default();
            if lang.starts_with("fr") {
                Language::Fr
            } else {
                Language::En
            }
        }
    }
}

#[derive(Copy, Clone, ValueEnum, PartialEq)]
pub(crate) enum DocLangArg {
    Auto,
    Fr,
    En,
}

/// The documents' language as `--lang` gives it; `None` for `auto`.
pub(crate) fn doc_language(arg: DocLangArg) -> Option<Language> {
    match arg {
        DocLangArg::Auto => None,
        DocLangArg::Fr => Some(Language::Fr),
        DocLangArg::En => Some(Language::En),
    }
}

#[derive(Copy, Clone, ValueEnum)]
pub(crate) enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

pub(crate) fn severity(arg: Option<SeverityArg>) -> Option<Severity> {
    arg.map(|s| match s {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    })
}

pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}
