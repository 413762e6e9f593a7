//! The `vigie` command: argument parsing and glue around the library; all analysis lives
//! in the library, which never prints.

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use vigie::extract::isolate::Isolation;
use vigie::extract::ocr::OcrMode;
use vigie::model::{Language, Perspective, Severity, SkipReason, Skipped};
use vigie::report::baseline::{Acceptance, Baseline};
use vigie::report::output::{self, CollectedReport, Format, ReportContext, StreamedReport};
use vigie::report::waivers::{Date, Waivers};
use vigie::rules::examples;
use vigie::rules::{Pack, PackSource, RuleError};
use vigie::scan::budget::MemoryBudget;
use vigie::scan::cache::{build_id, Cache};
use vigie::scan::limits;
use vigie::scan::{ScanOptions, Shard};
use vigie::{assess, discover, report, segment, AnalyzeOptions, Document};

mod conventions;

/// See Cargo.toml: small allocations are a tenth of the analysis with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "vigie",
    version,
    about = "Audits IT-provider contracts and insurance policies for the clauses that decide who pays when data is lost to a cyberattack."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyze documents and folders and report residual-risk findings.
    Scan(ScanArgs),
    /// Compare two versions of one contract: findings added and removed, residual risk
    /// before and after.
    Diff(DiffArgs),
    /// Combine the `--format jsonl` reports of the shards of one scan (`scan --shard K/N`)
    /// into the report of the whole scan.
    Merge(MergeArgs),
    /// Print a document's extracted text exactly as report offsets refer to it.
    Extract {
        file: PathBuf,
        /// Print the clause tree (number, heading, byte span, page) instead of the text.
        #[arg(long)]
        clauses: bool,
        /// Keep running headers, footers and page numbers (report offsets do not refer to this).
        #[arg(long)]
        raw: bool,
    },
    /// List, check or test rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Score the packs against a folder of documents with `.expect.toml` expectations
    /// (the sample corpus): precision and recall per concept; exit 1 on any mismatch.
    Eval {
        dir: PathBuf,
        /// Print the evaluation as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Extraction worker (internal): extracts FILE and prints the result as JSON.
    #[command(name = "__extract-worker", hide = true)]
    ExtractWorker {
        #[arg(long)]
        max_memory: u64,
        /// Seconds after which the worker ends itself (0: never).
        #[arg(long, default_value_t = 0)]
        timeout: u64,
        /// The scan's process id: the worker dies with it.
        #[arg(long, default_value_t = 0)]
        parent: u32,
        #[arg(long, value_enum, default_value = "auto")]
        ocr: OcrArg,
        #[arg(long, value_enum)]
        ocr_lang: Option<LangArg>,
        file: PathBuf,
    },
    /// Explain a rule or a concept: what it checks, why it matters, references, an example.
    Explain {
        id: String,
        #[command(flatten)]
        packs: PackArgs,
        #[arg(long, value_enum)]
        report_lang: Option<LangArg>,
    },
    /// Print a shell completion script (e.g. `vigie completions bash > /etc/bash_completion.d/vigie`).
    Completions {
        #[arg(value_enum)]
        shell: conventions::Shell,
    },
    /// Print the man page (roff), e.g. `vigie man > vigie.1 && man ./vigie.1`.
    Man,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules of the loaded packs.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Check rule packs (the built-in ones, or DIR) and print `file:line:col: message`.
    Check { dir: Option<PathBuf> },
    /// Run every rule's examples (the built-in packs, or DIR); fail on any miss.
    Test { dir: Option<PathBuf> },
    /// Print a commented rule pack `ID` that passes `rules check` and `rules test`
    /// (`vigie rules new acme > rules.d/acme.toml`; every field: docs/rules.md).
    New { id: String },
}

#[derive(Args, Clone)]
struct PackArgs {
    /// Add the rule packs of DIR (every *.toml); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Do not load the packs embedded in the binary.
    #[arg(long)]
    no_default_rules: bool,
}

#[derive(Copy, Clone, ValueEnum)]
enum FormatArg {
    Table,
    Json,
    Jsonl,
    Sarif,
    Html,
    Markdown,
    Csv,
}

#[derive(Copy, Clone, ValueEnum)]
enum OcrArg {
    Auto,
    Off,
    Force,
}

/// The documents' language as `--lang` gives it; `None` for `auto`.
fn doc_language(arg: DocLangArg) -> Option<Language> {
    match arg {
        DocLangArg::Auto => None,
        DocLangArg::Fr => Some(Language::Fr),
        DocLangArg::En => Some(Language::En),
    }
}

fn ocr_mode(arg: OcrArg) -> OcrMode {
    match arg {
        OcrArg::Auto => OcrMode::Auto,
        OcrArg::Off => OcrMode::Off,
        OcrArg::Force => OcrMode::Force,
    }
}

#[derive(Copy, Clone, ValueEnum)]
enum PortfolioArg {
    Folder,
    None,
}

#[derive(Copy, Clone, ValueEnum)]
enum PerspectiveArg {
    Client,
    Provider,
}

#[derive(Copy, Clone, ValueEnum)]
enum LangArg {
    Fr,
    En,
}

#[derive(Copy, Clone, ValueEnum, PartialEq)]
enum DocLangArg {
    Auto,
    Fr,
    En,
}

#[derive(Copy, Clone, ValueEnum)]
enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Args)]
struct ScanArgs {
    /// Files and folders to analyze (folders recursively); `-` reads one document from
    /// standard input (its format sniffed), named `<stdin>` in the report.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Write the report to FILE (atomically, through links; a FIFO or device is written
    /// into) instead of standard output; `-` is standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Whose risk to weigh.
    #[arg(long, value_enum, default_value = "client")]
    perspective: PerspectiveArg,
    /// Exit with status 1 when a finding reaches this severity.
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,
    #[command(flatten)]
    packs: PackArgs,
    /// Documents of one folder form one client's portfolio, checked against each other
    /// (`x.*` findings); `none` turns the cross-document checks off.
    #[arg(long, value_enum, default_value = "folder")]
    portfolio: PortfolioArg,
    /// Language of the documents (auto: detected per document).
    #[arg(long, value_enum, default_value = "auto")]
    lang: DocLangArg,
    /// Language of messages and recommendations (default: from LANG, else English).
    #[arg(long, value_enum)]
    report_lang: Option<LangArg>,
    /// Number of documents analyzed in parallel, 1 to 256 (default: all cores).
    #[arg(long, short, value_parser = limits::parse_jobs)]
    jobs: Option<usize>,
    /// Exit 0 even when some documents could not be analyzed (they stay in the report).
    #[arg(long)]
    allow_unreadable: bool,
    /// Files larger than this end as `too_large`: bytes, or with a suffix (200M, 1G).
    #[arg(long, default_value = "200M", value_parser = limits::parse_file_size)]
    max_file_size: u64,
    /// Seconds allowed to extract one PDF before its worker is stopped (`timeout` error),
    /// 1 to 86400.
    #[arg(long, default_value_t = 60, value_parser = limits::parse_timeout)]
    timeout: u64,
    /// Memory of the whole scan, shared by its jobs (a document waits for room), and the
    /// limit of each PDF extraction worker: bytes, or with a suffix (512M, 1G); at least
    /// 64M (default: a quarter of the machine's memory, at most 1G).
    #[arg(long, value_parser = limits::parse_memory)]
    max_memory: Option<u64>,
    /// Title of the HTML report (default: "Vigie report").
    #[arg(long)]
    title: Option<String>,
    /// Date printed in the HTML report's header (none by default: the same scan gives the
    /// same bytes).
    #[arg(long)]
    date: Option<String>,
    /// OCR of scanned PDFs with tesseract and pdftoppm, in the workers: `auto` reads the
    /// pages without a text layer, `force` every page, `off` none.
    #[arg(long, value_enum, default_value = "auto")]
    ocr: OcrArg,
    /// List skipped files and walk problems on standard error; the table adds each
    /// finding's recommendation and the mitigations.
    #[arg(long, short)]
    verbose: bool,
    /// Print nothing on standard error but fatal errors: no progress, no per-document
    /// errors, no closing line (the report and the exit status are unchanged).
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Findings recorded in this baseline file are accepted: reported, but not counted
    /// for --fail-on.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current findings to this baseline file (JSON).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Accept the findings matched by this waiver file (TOML) until each waiver expires.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// The day waivers are read on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<Date>,
    /// Analyze only share K of N of the client folders (e.g. 2/4), chosen by a hash of each
    /// folder's path; combine the shards' jsonl reports with `vigie merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Keep the analysis of each PDF, DOCX, ODT or RTF file in DIR and reuse it while the
    /// file, this Vigie build and the rule packs are unchanged.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
}

#[derive(Args)]
struct MergeArgs {
    /// The shards' reports (`vigie scan --shard K/N --format jsonl`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Write the report to FILE (atomically, through links; a FIFO or device is written
    /// into) instead of standard output; `-` is standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with status 1 when a finding reaches this severity.
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,
    /// Exit 0 even when some documents could not be analyzed.
    #[arg(long)]
    allow_unreadable: bool,
}

#[derive(Args)]
struct DiffArgs {
    /// The earlier version.
    old: PathBuf,
    /// The later version.
    new: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    format: DiffFormatArg,
    /// Write the comparison to FILE (atomically, through links; a FIFO or device is written
    /// into) instead of standard output; `-` is standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with status 1 when a finding the new version adds reaches this severity.
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,
    /// Whose risk to weigh.
    #[arg(long, value_enum, default_value = "client")]
    perspective: PerspectiveArg,
    #[command(flatten)]
    packs: PackArgs,
    /// Language of messages (default: from LANG, else English).
    #[arg(long, value_enum)]
    report_lang: Option<LangArg>,
}

#[derive(Copy, Clone, ValueEnum)]
enum DiffFormatArg {
    Table,
    Json,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Diff(args) => diff(args),
        Command::Merge(args) => merge(args),
        Command::Extract { file, clauses, raw } => extract(&file, clauses, raw),
        Command::Rules(cmd) => rules(cmd),
        Command::ExtractWorker {
            max_memory,
            timeout,
            parent,
            ocr,
            ocr_lang,
            file,
        } => {
            let lang = ocr_lang.map(|l| match l {
                LangArg::Fr => Language::Fr,
                LangArg::En => Language::En,
            });
            let timeout = Duration::from_secs(timeout);
            extract_worker(max_memory, timeout, parent, ocr_mode(ocr), lang, &file)
        }
        Command::Eval { dir, json, packs } => eval(&dir, json, &packs),
        Command::Explain {
            id,
            packs,
            report_lang,
        } => explain(&id, &packs, report_language(report_lang)),
        Command::Completions { shell } => {
            conventions::completions(shell, &mut Cli::command(), &mut std::io::stdout());
            Ok(0)
        }
        Command::Man => conventions::man(Cli::command(), &mut std::io::stdout())
            .map(|_| 0)
            .map_err(Into::into),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader left (`vigie rules list | head -1`): it had what it wanted.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vigie: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether `e` comes from writing to a pipe whose reader is gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn load_pack(args: &PackArgs) -> Result<Pack> {
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

fn report_language(arg: Option<LangArg>) -> Language {
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

fn scan(mut args: ScanArgs) -> Result<u8> {
    let pack = load_pack(&args.packs)?;
    let memory = args
        .max_memory
        .unwrap_or_else(vigie::scan::budget::default_total);
    // Held to the end of the scan: `-` now names its scratch file.
    let stdin = conventions::take_stdin(&mut args.paths)?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let waivers = args.waivers.as_deref().map(Waivers::load).transpose()?;
    let opts = AnalyzeOptions {
        perspective: match args.perspective {
            PerspectiveArg::Client => Perspective::Client,
            PerspectiveArg::Provider => Perspective::Provider,
        },
        language: doc_language(args.lang),
        doc_type: None,
        report_language: report_language(args.report_lang),
        max_bytes: args.max_file_size,
        isolation: Isolation::current_exe(Duration::from_secs(args.timeout), memory)
            .map(|i| i.with_ocr(ocr_mode(args.ocr), doc_language(args.lang))),
        budget: Some(Arc::new(MemoryBudget::new(memory))),
    };
    let found = discover::discover(&args.paths);
    let skipped = skipped_paths(&found, args.verbose, args.quiet, args.shard);
    let files = match args.shard {
        Some(shard) => shard.select(found.files),
        None => found.files,
    };
    // Before the scan: a report that cannot be written, or would overwrite a document it
    // reads, must not cost a whole scan.
    let inputs: Vec<PathBuf> = args.paths.iter().chain(&files).cloned().collect();
    let destination = prepare_output(args.output.as_deref(), &inputs)?;
    let to_file = destination.is_some();
    // For the closing line, once the report is written.
    let went = destination.as_ref().map(conventions::Went::of);
    let cache = match &args.cache {
        Some(dir) => {
            let build = std::env::current_exe().map_or(String::new(), |exe| build_id(&exe));
            Some(Cache::open(dir, &build)?)
        }
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let scan_opts = ScanOptions {
        analyze: &opts,
        portfolio: assess::PortfolioOptions {
            mode: match args.portfolio {
                PortfolioArg::Folder => assess::PortfolioMode::Folder,
                PortfolioArg::None => assess::PortfolioMode::None,
            },
            perspective: opts.perspective,
            report_language: opts.report_language,
        },
        // Enough documents in flight to keep every thread busy past a slow one.
        window: pool.current_num_threads() * 16,
        cache: cache.as_ref(),
    };
    let format = format_or_default(args.format, to_file);
    let fail_on = severity(args.fail_on);
    // Streams when nothing needs the whole report at once.
    let streamed = format
        .streamed()
        .filter(|_| baseline.is_none() && waivers.is_none() && args.write_baseline.is_none());
    let cancel = interrupt_flag();
    // Panics are caught per document and reported in it; the default hook would only
    // interleave noise on stderr.
    std::panic::set_hook(Box::new(|_| {}));
    // A table streaming to the terminal is its own progress; a bar would tear its lines.
    let table_on_terminal = streamed.is_some() && !to_file && std::io::stdout().is_terminal();
    let bar = progress_bar(files.len()).filter(|_| !table_on_terminal && !args.quiet);
    let lang = report_language(args.report_lang);
    let view = table_view(&args, to_file, lang);
    let mut seen = |d: &Document| {
        if let Some(b) = &bar {
            b.inc(1);
        }
        if let Some(e) = d.error.as_ref().filter(|_| !args.quiet) {
            eprintln!(
                "vigie: {}: {} ({})",
                vigie::report::names::escape_controls(&d.path),
                e.message,
                e.kind
            );
        }
    };
    let context = ReportContext {
        roots: &args.paths,
        rules_version: &pack.version,
        perspective: opts.perspective,
        skipped: &skipped,
    };
    let (code, failing) = if let Some(streamed) = streamed {
        let tally = emit(destination, |out| {
            let sink =
                StreamedReport::new(context, streamed, out, &mut seen).with_view(view.clone());
            let mut sink = conventions::Renamed::new(sink, stdin.as_ref());
            vigie::scan::run(&files, &pack, &scan_opts, &pool, cancel, &mut sink)?;
            sink.inner.finish()
        })?;
        let failing = fail_on.map(|t| tally.failing(t));
        (tally.exit_code(fail_on, args.allow_unreadable), failing)
    } else {
        let sink = CollectedReport::new(&mut seen);
        let mut sink = conventions::Renamed::new(sink, stdin.as_ref());
        if let Err(never) = vigie::scan::run(&files, &pack, &scan_opts, &pool, cancel, &mut sink) {
            match never {}
        }
        let mut report = sink.inner.into_report(opts.perspective, &pack.version);
        report::add_skipped(&mut report, &skipped);
        let acceptance = Acceptance {
            baseline: baseline.as_ref(),
            waivers: waivers.as_ref(),
            today: args.today.unwrap_or_else(Date::today),
        };
        vigie::report::baseline::accept(&mut report, &args.paths, &acceptance);
        for w in &report.expired_waivers {
            eprintln!(
                "vigie: {}:{}: waiver expired on {}; its {} finding(s) count again",
                w.file, w.line, w.expires, w.findings
            );
        }
        if let Some(path) = &args.write_baseline {
            let json = Baseline::from_report(&report, &args.paths).to_json();
            output::write_atomically(path, |out| out.write_all(json.as_bytes()))?;
        }
        let looks = output::Presentation {
            view,
            scope: output::Scope {
                title: args.title.clone(),
                date: args.date.clone(),
            },
        };
        emit(destination, |out| {
            output::render_with(&report, format, &looks, out)
        })?;
        let failing = fail_on.map(|t| report::failing(&report, t));
        (
            report::exit_code(&report, fail_on, args.allow_unreadable),
            failing,
        )
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let _ = std::panic::take_hook();
    if cancel.load(Ordering::Relaxed) {
        eprintln!("vigie: interrupted; the documents not analyzed are marked `interrupted`");
        return Ok(130);
    }
    if !args.quiet {
        closing_notes(went.as_ref(), format, lang, code, fail_on.zip(failing));
    }
    Ok(code as u8)
}

/// The table's layout: the terminal's width and bold when the table goes to one, else 100
/// columns of plain text.
fn table_view(args: &ScanArgs, to_file: bool, lang: Language) -> output::View {
    let width = (!to_file).then(conventions::terminal_width).flatten();
    output::View {
        width: width.unwrap_or(100),
        bold: width.is_some() && conventions::bold_allowed(),
        verbose: args.verbose,
        lang,
    }
}

/// Standard error's last lines: where the report went and, on exit 1, which findings.
fn closing_notes(
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

fn format_or_default(format: Option<FormatArg>, to_file: bool) -> Format {
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

/// The paths the walk met and did not analyze, in the report's order (those of the shard
/// only), each told on standard error when it hides documents or when asked (`verbose`),
/// unless told to be quiet.
fn skipped_paths(
    found: &discover::Discovered,
    verbose: bool,
    quiet: bool,
    shard: Option<Shard>,
) -> Vec<Skipped> {
    for skip in found.skipped.iter().filter(|_| !quiet) {
        // What may hide documents is always worth a line; the rest only when asked.
        let hides = matches!(
            skip.reason,
            SkipReason::UnreadableFolder | SkipReason::LinkLoop | SkipReason::DanglingLink
        );
        if verbose || hides {
            eprintln!(
                "vigie: skipped ({}): {}{}",
                skip.reason.as_str(),
                vigie::report::names::shown(&skip.path),
                skip.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            );
        }
    }
    for (p, why) in found.warnings.iter().filter(|_| !quiet) {
        eprintln!("vigie: {}: {why}", vigie::report::names::shown(p));
    }
    let mut skipped: Vec<Skipped> = found
        .skipped
        .iter()
        .map(discover::Skip::to_report)
        .filter(|s| shard.is_none_or(|k| k.contains(&s.path)))
        .collect();
    skipped.sort();
    skipped
}

/// The report file of `-o PATH`, checked against `inputs`; `None` for standard output
/// (no `-o`, or `-o -`).
fn prepare_output(path: Option<&Path>, inputs: &[PathBuf]) -> Result<Option<output::Destination>> {
    match path {
        Some(p) if p != Path::new("-") => Ok(Some(output::Destination::prepare(p, inputs)?)),
        _ => Ok(None),
    }
}

/// Writes a report to `output` (atomically) or to standard output.
fn emit<T: Default>(
    output: Option<output::Destination>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<T> {
    Ok(output::emit(output, &mut std::io::stdout().lock(), render)?)
}

fn severity(arg: Option<SeverityArg>) -> Option<Severity> {
    arg.map(|s| match s {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    })
}

/// Set by the signal handler. The one global of the program: a signal handler can reach
/// nothing else. The library only ever sees it as a `&AtomicBool`.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_stop_signal(_: libc::c_int) {
    // A second signal means "now": leave without the partial report, but without its
    // temporary file either.
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        output::remove_temp_files_now();
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(130) }
    }
}

/// Installs the handler of Ctrl-C (SIGINT), SIGTERM (a CI timeout, `systemctl stop`) and
/// SIGHUP (a closed terminal): the first one stops the scan, which then writes the report
/// of what it analyzed; the second one exits at once.
fn interrupt_flag() -> &'static AtomicBool {
    #[cfg(unix)]
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only touches atomics, unlinks and calls _exit.
        unsafe {
            libc::signal(
                sig,
                on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
            );
        }
    }
    &INTERRUPTED
}

fn merge(args: MergeArgs) -> Result<u8> {
    let destination = prepare_output(args.output.as_deref(), &args.files)?;
    let report = vigie::scan::merge::merge_files(&args.files)?;
    let format = format_or_default(args.format, destination.is_some());
    let lang = report_language(None);
    emit(destination, |out| {
        output::render(&report, format, lang, out)
    })?;
    Ok(report::exit_code(&report, severity(args.fail_on), args.allow_unreadable) as u8)
}

/// More files than this on a terminal: a progress bar on stderr.
const PROGRESS_MIN_FILES: usize = 20;

/// A progress bar for `files` documents, only on a terminal: pipes and CI logs stay clean.
fn progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
    if files <= PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

fn diff(args: DiffArgs) -> Result<u8> {
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

fn extract(file: &Path, clauses: bool, raw: bool) -> Result<u8> {
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
fn extract_worker(
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

fn eval(dir: &Path, json: bool, packs: &PackArgs) -> Result<u8> {
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

fn sources_for(dir: &Option<PathBuf>) -> Result<Vec<PackSource>> {
    Ok(match dir {
        Some(d) => PackSource::load(d)?,
        None => PackSource::builtin(),
    })
}

fn rules(cmd: RulesCommand) -> Result<u8> {
    match cmd {
        RulesCommand::List { json, packs } => {
            let pack = load_pack(&packs)?;
            let mut out = std::io::stdout().lock();
            if json {
                vigie::report::describe::write_rule_json(&pack, &mut out)?;
            } else {
                vigie::report::describe::write_rule_table(&pack, &mut out)?;
            }
            Ok(0)
        }
        RulesCommand::New { id } => {
            print!("{}", vigie::rules::skeleton::skeleton(&id)?);
            Ok(0)
        }
        RulesCommand::Check { dir } => {
            let diags = vigie::rules::check(&sources_for(&dir)?);
            for d in &diags {
                eprintln!("{d}");
            }
            if diags.is_empty() {
                println!("ok");
                Ok(0)
            } else {
                Ok(2)
            }
        }
        RulesCommand::Test { dir } => {
            let pack = Pack::compile(&sources_for(&dir)?).map_err(|e| anyhow::anyhow!("{e}"))?;
            let results = examples::run_all(&pack);
            let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
            for f in &failed {
                eprintln!("{f}");
            }
            let uncovered = examples::uncovered(&pack, &results);
            for u in &uncovered {
                eprintln!("rule `{u}`: no example makes it fire");
            }
            println!(
                "{} rules, {} examples, {} failed, {} rules not covered",
                pack.rules.len(),
                results.len(),
                failed.len(),
                uncovered.len()
            );
            Ok(if failed.is_empty() && uncovered.is_empty() {
                0
            } else {
                1
            })
        }
    }
}

fn explain(id: &str, packs: &PackArgs, lang: Language) -> Result<u8> {
    let pack = load_pack(packs)?;
    vigie::report::describe::explain(&pack, id, lang, &mut std::io::stdout().lock())?;
    Ok(0)
}
