//! `vigie scan`: analyze files and folders, report the findings, exit by severity.

use crate::conventions;
use crate::emit::*;
use crate::options::*;
use anyhow::{Context, Result};
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use vigie::extract::isolate::Isolation;
use vigie::model::{Language, Perspective, SkipReason, Skipped};
use vigie::report::baseline::{Acceptance, Baseline};
use vigie::report::output::{self, CollectedReport, ReportContext, StreamedReport};
use vigie::report::waivers::{Date, Waivers};
use vigie::scan::budget::MemoryBudget;
use vigie::scan::cache::{build_id, Cache};
use vigie::scan::limits;
use vigie::scan::{ScanOptions, Shard};
use vigie::{assess, discover, report, AnalyzeOptions, Document};

#[derive(Args)]
pub(crate) struct ScanArgs {
    /// Files and folders to analyze (folders recursively); `-` reads one document from
    /// standard input (its format sniffed), named `<stdin>` in the report.
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub(crate) format: Option<FormatArg>,
    /// Write the report to FILE (atomically, through links; a FIFO or device is written
    /// into) instead of standard output; `-` is standard output.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Whose risk to weigh.
    #[arg(long, value_enum, default_value = "client")]
    pub(crate) perspective: PerspectiveArg,
    /// Exit with status 1 when a finding reaches this severity.
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<SeverityArg>,
    #[command(flatten)]
    pub(crate) packs: PackArgs,
    /// Documents of one folder form one client's portfolio, checked against each other
    /// (`x.*` findings); `none` turns the cross-document checks off.
    #[arg(long, value_enum, default_value = "folder")]
    pub(crate) portfolio: PortfolioArg,
    /// Language of the documents (auto: detected per document).
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) lang: DocLangArg,
    /// Language of messages and recommendations (default: from LANG, else English).
    #[arg(long, value_enum)]
    pub(crate) report_lang: Option<LangArg>,
    /// Number of documents analyzed in parallel, 1 to 256 (default: all cores).
    #[arg(long, short, value_parser = limits::parse_jobs)]
    pub(crate) jobs: Option<usize>,
    /// Exit 0 even when some documents could not be analyzed (they stay in the report).
    #[arg(long)]
    pub(crate) allow_unreadable: bool,
    /// Files larger than this end as `too_large`: bytes, or with a suffix (200M, 1G).
    #[arg(long, default_value = "200M", value_parser = limits::parse_file_size)]
    pub(crate) max_file_size: u64,
    /// Seconds allowed to extract one PDF before its worker is stopped (`timeout` error),
    /// 1 to 86400.
    #[arg(long, default_value_t = 60, value_parser = limits::parse_timeout)]
    pub(crate) timeout: u64,
    /// Memory of the whole scan, shared by its jobs (a document waits for room), and the
    /// limit of each PDF extraction worker: bytes, or with a suffix (512M, 1G); at least
    /// 64M (default: a quarter of the machine's memory, at most 1G).
    #[arg(long, value_parser = limits::parse_memory)]
    pub(crate) max_memory: Option<u64>,
    /// Title of the HTML report (default: "Vigie report").
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Date printed in the HTML report's header (none by default: the same scan gives the
    /// same bytes).
    #[arg(long)]
    pub(crate) date: Option<String>,
    /// OCR of scanned PDFs with tesseract and pdftoppm, in the workers: `auto` reads the
    /// pages without a text layer, `force` every page, `off` none.
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) ocr: OcrArg,
    /// List skipped files and walk problems on standard error; the table adds each
    /// finding's recommendation and the mitigations.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Print nothing on standard error but fatal errors: no progress, no per-document
    /// errors, no closing line (the report and the exit status are unchanged).
    #[arg(long, short, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Findings recorded in this baseline file are accepted: reported, but not counted
    /// for --fail-on.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Write the current findings to this baseline file (JSON).
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Accept the findings matched by this waiver file (TOML) until each waiver expires.
    #[arg(long, value_name = "FILE")]
    pub(crate) waivers: Option<PathBuf>,
    /// The day waivers are read on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) today: Option<Date>,
    /// Analyze only share K of N of the client folders (e.g. 2/4), chosen by a hash of each
    /// folder's path; combine the shards' jsonl reports with `vigie merge`.
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<Shard>,
    /// Keep the analysis of each PDF, DOCX, ODT or RTF file in DIR and reuse it while the
    /// file, this Vigie build and the rule packs are unchanged.
    #[arg(long, value_name = "DIR")]
    pub(crate) cache: Option<PathBuf>,
}

// About 120 lines on purpose: the one flow from options to exit status, read top to bottom.
// Each step is a function; what stays here is their order and the borrows that tie the
// streamed and collected reports to one progress bar and one set of documents.
pub(crate) fn scan(mut args: ScanArgs) -> Result<u8> {
    let pack = load_pack(&args.packs)?;
    let memory = args
        .max_memory
        .unwrap_or_else(vigie::scan::budget::default_total);
    // Held to the end of the scan: `-` now names its scratch file.
    let stdin = conventions::take_stdin(&mut args.paths)?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let waivers = args.waivers.as_deref().map(Waivers::load).transpose()?;
    let opts = analyze_options(&args, memory);
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
    let cache = open_cache(args.cache.as_deref())?;
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
    let quiet = args.quiet;
    let mut seen = |d: &Document| {
        if let Some(b) = &bar {
            b.inc(1);
        }
        if let Some(e) = d.error.as_ref().filter(|_| !quiet) {
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
        let accepted = Accepted {
            baseline: baseline.as_ref(),
            waivers: waivers.as_ref(),
        };
        accept_and_record(&mut report, &args, accepted)?;
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

/// What the scan's options ask of the analysis of each document.
fn analyze_options(args: &ScanArgs, memory: u64) -> AnalyzeOptions {
    AnalyzeOptions {
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
    }
}

/// The analysis cache of `--cache DIR`, keyed by this very binary.
fn open_cache(dir: Option<&std::path::Path>) -> Result<Option<Cache>> {
    let Some(dir) = dir else { return Ok(None) };
    let build = std::env::current_exe().map_or(String::new(), |exe| build_id(&exe));
    Ok(Some(Cache::open(dir, &build)?))
}

/// The baseline and waivers of `--baseline` and `--waivers`.
struct Accepted<'a> {
    baseline: Option<&'a Baseline>,
    waivers: Option<&'a Waivers>,
}

/// Marks the findings the baseline and waivers accept, tells which waivers expired, and
/// writes `--write-baseline`.
fn accept_and_record(
    report: &mut vigie::model::Report,
    args: &ScanArgs,
    accepted: Accepted<'_>,
) -> Result<()> {
    let acceptance = Acceptance {
        baseline: accepted.baseline,
        waivers: accepted.waivers,
        today: args.today.unwrap_or_else(Date::today),
    };
    vigie::report::baseline::accept(report, &args.paths, &acceptance);
    for w in &report.expired_waivers {
        eprintln!(
            "vigie: {}:{}: waiver expired on {}; its {} finding(s) count again",
            w.file, w.line, w.expires, w.findings
        );
    }
    if let Some(path) = &args.write_baseline {
        let json = Baseline::from_report(report, &args.paths).to_json();
        output::write_atomically(path, |out| std::io::Write::write_all(out, json.as_bytes()))?;
    }
    Ok(())
}

/// The table's layout: the terminal's width and bold when the table goes to one, else 100
/// columns of plain text.
pub(crate) fn table_view(args: &ScanArgs, to_file: bool, lang: Language) -> output::View {
    let width = (!to_file).then(conventions::terminal_width).flatten();
    output::View {
        width: width.unwrap_or(100),
        bold: width.is_some() && conventions::bold_allowed(),
        verbose: args.verbose,
        lang,
    }
}

/// The paths the walk met and did not analyze, in the report's order (those of the shard
/// only), each told on standard error when it hides documents or when asked (`verbose`),
/// unless told to be quiet.
pub(crate) fn skipped_paths(
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

/// Set by the signal handler. The one global of the program: a signal handler can reach
/// nothing else. The library only ever sees it as a `&AtomicBool`.
pub(crate) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
pub(crate) extern "C" fn on_stop_signal(_: libc::c_int) {
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
pub(crate) fn interrupt_flag() -> &'static AtomicBool {
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

/// More files than this on a terminal: a progress bar on stderr.
pub(crate) const PROGRESS_MIN_FILES: usize = 20;

/// A progress bar for `files` documents, only on a terminal: pipes and CI logs stay clean.
pub(crate) fn progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
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
