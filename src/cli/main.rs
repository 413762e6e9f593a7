//! The `vigie` command: argument parsing and glue around the library; all analysis lives
//! in the library, which never prints.

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use vigie::model::Language;

mod conventions;
mod diff;
mod emit;
mod eval;
mod explain;
mod extract;
mod merge;
mod options;
mod rules;
mod scan;

use crate::diff::*;
use crate::eval::*;
use crate::explain::*;
use crate::extract::*;
use crate::merge::*;
use crate::options::*;
use crate::rules::*;
use crate::scan::*;

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
