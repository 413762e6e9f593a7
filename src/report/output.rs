//! Where a report goes: written whole in any format, or streamed by a scan as documents
//! arrive (`table`, `jsonl`) so memory does not grow with the corpus, and replacing a file
//! atomically so a reader never sees half a report.

use crate::model::{Document, Item, Language, Perspective, Report, Skipped};
use crate::report::baseline;
use crate::report::format;
pub use crate::report::format::html::Scope;
use crate::report::format::terminal::Terminal;
pub use crate::report::format::terminal::View;
use crate::report::{self, Tally};
use crate::scan::Sink;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The terminal view: a report to read, not to parse.
    Table,
    /// The whole report as one JSON object (the contract of `spec/report.md`).
    Json,
    /// JSON Lines: one object per document, then a summary line.
    Jsonl,
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
    /// One self-contained HTML page.
    Html,
    /// Markdown, for pasting into an audit report.
    Markdown,
    /// CSV, one row per finding, for spreadsheets.
    Csv,
}

/// A format a scan can write document by document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// [`Format::Table`], document by document, its counts at the end.
    Table,
    /// [`Format::Jsonl`], a line per document as it comes, the summary line at the end.
    Jsonl,
}

impl Format {
    /// The streamed form of this format, if it has one.
    pub fn streamed(self) -> Option<Streamed> {
        match self {
            Format::Table => Some(Streamed::Table),
            Format::Jsonl => Some(Streamed::Jsonl),
            _ => None,
        }
    }
}

/// Writes the whole `report` in `format`; `lang` is the language of the Markdown report's
/// own words.
pub fn render(
    report: &Report,
    format: Format,
    lang: Language,
    out: &mut dyn Write,
) -> io::Result<()> {
    let looks = Presentation {
        view: View {
            lang,
            ..View::default()
        },
        scope: Scope::default(),
    };
    render_with(report, format, &looks, out)
}

/// How a report is laid out for people: the table's view (whose language is also the
/// Markdown report's) and the HTML report's title and date.
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    /// The table's layout; its `lang` is also the language of the Markdown report's words.
    pub view: View,
    /// The HTML report's title and date.
    pub scope: Scope,
}

/// Writes the whole `report` in `format`, laid out as `looks` says.
pub fn render_with(
    report: &Report,
    format: Format,
    looks: &Presentation,
    out: &mut dyn Write,
) -> io::Result<()> {
    let lang = looks.view.lang;
    match format {
        Format::Table => report::write_table_with(report, looks.view.clone(), out),
        Format::Json => report::write_json(report, out),
        Format::Jsonl => report::write_jsonl(report, out),
        Format::Sarif => format::sarif::write_sarif(report, out),
        Format::Html => format::html::write_html_with(report, &looks.scope, out),
        Format::Markdown => format::markdown::write_markdown_in(report, lang, out),
        Format::Csv => format::csv::write_csv(report, out),
    }
}

/// What a scan's report is made with besides its documents: the paths the scan was given
/// (for fingerprints), the rule packs' version and the perspective.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    /// The paths the scan was given; fingerprints read document paths relative to them.
    pub roots: &'a [PathBuf],
    /// The rule packs' version, written in the report's tool block.
    pub rules_version: &'a str,
    /// Whose risk the report weighs.
    pub perspective: Perspective,
    /// The paths the walk met and did not analyze, known before the scan.
    pub skipped: &'a [Skipped],
}

/// A scan's [`Sink`] writing a streamed format as the scan goes: each document at once,
/// fingerprinted as the whole report would be; for `jsonl`, the portfolio items go to an
/// unnamed temporary file as folders complete and are copied into the summary line by
/// [`StreamedReport::finish`], so they are never all in memory. `seen` is told of each
/// document first (progress, warnings: the caller's business).
pub struct StreamedReport<'a> {
    context: ReportContext<'a>,
    format: Streamed,
    out: &'a mut dyn Write,
    seen: &'a mut dyn FnMut(&Document),
    tally: Tally,
    /// The table's layout and the state it carries from one document to the next.
    terminal: Terminal,
    /// The portfolio items written so far, and whether none was yet.
    spill: Option<(BufWriter<std::fs::File>, bool)>,
}

impl<'a> StreamedReport<'a> {
    /// A report streamed in `format` to `out`, laid out by the default [`View`] (see
    /// [`StreamedReport::with_view`]); `seen` is told of each document before it is written.
    pub fn new(
        context: ReportContext<'a>,
        format: Streamed,
        out: &'a mut dyn Write,
        seen: &'a mut dyn FnMut(&Document),
    ) -> Self {
        let mut tally = Tally::default();
        tally.skipped(context.skipped);
        StreamedReport {
            context,
            format,
            out,
            seen,
            tally,
            terminal: Terminal::new(View::default()),
            spill: None,
        }
    }

    /// Lays the table out by `view` (width, bold, verbosity, language).
    pub fn with_view(mut self, view: View) -> Self {
        self.terminal = Terminal::new(view);
        self
    }

    /// Writes the end of the report (the table's counts, the jsonl summary line) and
    /// returns the counts, for the exit status.
    pub fn finish(self) -> io::Result<Tally> {
        let StreamedReport {
            context,
            format,
            out,
            tally,
            spill,
            terminal,
            ..
        } = self;
        match format {
            Streamed::Jsonl => {
                let mut items = match spill {
                    Some((w, _)) => w.into_inner().map_err(|e| e.into_error())?,
                    None => unnamed_temp_file()?,
                };
                items.seek(io::SeekFrom::Start(0))?;
                report::write_jsonl_summary_with(
                    &report::tool(context.rules_version),
                    context.perspective,
                    &mut io::BufReader::new(items),
                    &tally.summary,
                    context.skipped,
                    out,
                )?;
            }
            Streamed::Table => terminal.finish(&tally.summary, out)?,
        }
        Ok(tally)
    }

    /// A streamed document or portfolio item, fingerprinted as the whole report would be.
    fn fingerprinted(&self, documents: Vec<Document>, portfolio: Vec<Item>) -> Report {
        let c = &self.context;
        let mut r = report::build(documents, portfolio, c.perspective, c.rules_version);
        baseline::fingerprint_report(&mut r, c.roots);
        r
    }
}

impl Sink for StreamedReport<'_> {
    type Error = io::Error;

    fn document(&mut self, d: &Document) -> io::Result<()> {
        self.tally.document(d);
        (self.seen)(d);
        let r = self.fingerprinted(vec![d.clone()], Vec::new());
        match self.format {
            Streamed::Jsonl => report::write_jsonl_document(&r.documents[0], self.out),
            Streamed::Table => self.terminal.document(&r.documents[0], self.out),
        }
    }

    fn portfolio(&mut self, items: &[Item]) -> io::Result<()> {
        self.tally.portfolio(items);
        let r = self.fingerprinted(Vec::new(), items.to_vec());
        if self.format == Streamed::Table {
            return self.terminal.portfolio(&r.portfolio, self.out);
        }
        if self.spill.is_none() {
            self.spill = Some((BufWriter::new(unnamed_temp_file()?), true));
        }
        if let Some((w, first)) = &mut self.spill {
            for item in &r.portfolio {
                report::write_jsonl_portfolio_item(item, *first, w)?;
                *first = false;
            }
        }
        Ok(())
    }
}

/// A scan's [`Sink`] keeping every document and portfolio item, for the formats (and the
/// baseline and waivers) that need the whole report. `seen` is told of each document.
pub struct CollectedReport<'a> {
    documents: Vec<Document>,
    portfolio: Vec<Item>,
    seen: &'a mut dyn FnMut(&Document),
}

impl<'a> CollectedReport<'a> {
    /// An empty report; `seen` is told of each document as it is collected.
    pub fn new(seen: &'a mut dyn FnMut(&Document)) -> Self {
        CollectedReport {
            documents: Vec::new(),
            portfolio: Vec::new(),
            seen,
        }
    }

    /// The report of what was collected (not yet fingerprinted: see [`baseline::accept`]).
    pub fn into_report(self, perspective: Perspective, rules_version: &str) -> Report {
        report::build(self.documents, self.portfolio, perspective, rules_version)
    }
}

impl Sink for CollectedReport<'_> {
    type Error = std::convert::Infallible;

    fn document(&mut self, d: &Document) -> Result<(), Self::Error> {
        (self.seen)(d);
        self.documents.push(d.clone());
        Ok(())
    }

    fn portfolio(&mut self, items: &[Item]) -> Result<(), Self::Error> {
        self.portfolio.extend_from_slice(items);
        Ok(())
    }
}

/// A temporary file that disappears with the process (unlinked at once where possible).
fn unnamed_temp_file() -> io::Result<std::fs::File> {
    let dir = std::env::temp_dir();
    // A fresh name for each file: two reports streamed by one process must not share one.
    for n in 0u32.. {
        let path = dir.join(format!(".vigie-{}-{n}-portfolio.jsonl", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                let _ = std::fs::remove_file(&path);
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("no free temporary file name"))
}

pub use crate::report::destination::{Destination, OutputError};

/// Removes the temporary files of reports in progress; async-signal-safe, for a handler
/// that ends the process at once.
pub fn remove_temp_files_now() {
    crate::report::destination::remove_all_now();
}

/// Writes to a temporary file beside `path` (through a symbolic link), then renames: a
/// reader never sees half a report.
pub fn write_atomically<T: Default>(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> Result<T, OutputError> {
    Destination::prepare(path, &[])?.write(render)
}

/// Writes a report to `output` (prepared before the scan), or else to `stdout`, where a
/// closed pipe (`vigie scan … | head`) is not an error: `render` stops and `T::default()`
/// is returned.
pub fn emit<T: Default>(
    output: Option<Destination>,
    stdout: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> Result<T, OutputError> {
    match output {
        Some(d) => d.write(render),
        None => match render(stdout).and_then(|t| stdout.flush().map(|_| t)) {
            Ok(t) => Ok(t),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(T::default()),
            Err(source) => Err(OutputError::Stream { source }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Severity};
    use crate::report::baseline::Acceptance;
    use crate::report::waivers::Date;
    use crate::rules::Pack;
    use crate::{analyze_text, AnalyzeOptions};

    const CONTRACT: &str = "Contrat de maintenance informatique\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie, les virus informatiques, le piratage et les rançongiciels.\n";

    fn documents() -> Vec<Document> {
        let pack = Pack::builtin().unwrap();
        let opts = AnalyzeOptions::default();
        ["docs/a/contrat.txt", "docs/b/contrat.txt"]
            .iter()
            .map(|path| analyze_text(CONTRACT, path, &pack, &opts))
            .collect()
    }

    fn portfolio_item(folder: &str) -> Item {
        Item {
            concept: "x.test".into(),
            rule: "x.test".into(),
            kind: Kind::Finding,
            severity: Some(Severity::High),
            value: None,
            value_note: None,
            location: None,
            excerpt: None,
            message: format!("about {folder}"),
            references: Vec::new(),
            recommendation: None,
            documents: vec![format!("docs/{folder}/contrat.txt")],
            fingerprint: None,
            suppression: None,
            severity_by_perspective: None,
            evidence: None,
        }
    }

    /// What a scan hands its sink: each document, then its folder's portfolio items.
    fn feed<S: Sink>(sink: &mut S, docs: &[Document]) -> Result<(), S::Error> {
        for (d, folder) in docs.iter().zip(["a", "b"]) {
            sink.document(d)?;
            sink.portfolio(&[portfolio_item(folder)])?;
        }
        Ok(())
    }

    fn streamed(format: Streamed, docs: &[Document], context: ReportContext) -> (Vec<u8>, Tally) {
        let mut out = Vec::new();
        let mut seen_paths = Vec::new();
        let mut seen = |d: &Document| seen_paths.push(d.path.clone());
        let mut sink = StreamedReport::new(context, format, &mut out, &mut seen);
        feed(&mut sink, docs).unwrap();
        let tally = sink.finish().unwrap();
        assert_eq!(seen_paths, ["docs/a/contrat.txt", "docs/b/contrat.txt"]);
        (out, tally)
    }

    fn whole(format: Format, docs: &[Document], context: ReportContext) -> (Vec<u8>, Report) {
        let mut seen = |_: &Document| {};
        let mut sink = CollectedReport::new(&mut seen);
        feed(&mut sink, docs).unwrap();
        let mut report = sink.into_report(context.perspective, context.rules_version);
        let acceptance = Acceptance {
            baseline: None,
            waivers: None,
            today: Date::parse("2026-12-04").unwrap(),
        };
        baseline::accept(&mut report, context.roots, &acceptance);
        let mut out = Vec::new();
        render(&report, format, Language::En, &mut out).unwrap();
        (out, report)
    }

    #[test]
    fn streamed_reports_are_the_bytes_of_the_whole_report() {
        let docs = documents();
        assert!(
            docs.iter()
                .all(|d| d.error.is_none() && !d.findings.is_empty()),
            "the sample contract has findings"
        );
        let roots = [PathBuf::from("docs")];
        let context = ReportContext {
            roots: &roots,
            rules_version: "test-rules",
            perspective: Perspective::Client,
            skipped: &[],
        };
        let (jsonl, tally) = streamed(Streamed::Jsonl, &docs, context);
        let (expected, report) = whole(Format::Jsonl, &docs, context);
        let expected = String::from_utf8(expected).unwrap();
        assert_eq!(String::from_utf8(jsonl).unwrap(), expected);
        assert_eq!(tally.summary, report.summary);
        // Two document lines, then a summary carrying both fingerprinted portfolio items.
        assert_eq!(expected.lines().count(), 3);
        assert_eq!(report.portfolio.len(), 2);
        assert!(report.portfolio.iter().all(|i| i.fingerprint.is_some()));

        let (table, _) = streamed(Streamed::Table, &docs, context);
        let (expected, _) = whole(Format::Table, &docs, context);
        assert_eq!(
            String::from_utf8(table).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn only_table_and_jsonl_stream() {
        let all = [
            Format::Table,
            Format::Json,
            Format::Jsonl,
            Format::Sarif,
            Format::Html,
            Format::Markdown,
            Format::Csv,
        ];
        let streaming: Vec<Format> = all.into_iter().filter(|f| f.streamed().is_some()).collect();
        assert_eq!(streaming, [Format::Table, Format::Jsonl]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old report").unwrap();
        let err = write_atomically(&path, |out| {
            out.write_all(b"half a rep")?;
            Err::<(), _>(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(matches!(err, OutputError::Write { .. }), "{err:?}");
        assert!(err.to_string().contains(".report.json."), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old report");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }

    #[test]
    fn a_successful_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old report, longer than the new one").unwrap();
        let n = write_atomically(&path, |out| out.write_all(b"new").map(|_| 3)).unwrap();
        assert_eq!(n, 3);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing = dir.path().join("no-such-dir").join("r.json");
        let err = write_atomically(&missing, |out| out.write_all(b"x")).unwrap_err();
        assert!(matches!(err, OutputError::Create { .. }), "{err:?}");
    }

    #[test]
    fn a_closed_pipe_ends_the_report_quietly_other_errors_do_not() {
        struct Failing(io::ErrorKind);
        impl Write for Failing {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(self.0.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let write = |out: &mut dyn Write| out.write_all(b"line\n").map(|_| 7u8);
        let piped = emit(None, &mut Failing(io::ErrorKind::BrokenPipe), write);
        assert_eq!(piped.unwrap(), 0, "the default, not the render's value");
        let err = emit(None, &mut Failing(io::ErrorKind::PermissionDenied), write).unwrap_err();
        assert_eq!(err.to_string(), "cannot write the report");
        let mut buf = Vec::new();
        assert_eq!(emit(None, &mut buf, write).unwrap(), 7);
        assert_eq!(buf, b"line\n");
    }

    #[test]
    fn each_spill_file_is_its_own() {
        let mut a = unnamed_temp_file().unwrap();
        let mut b = unnamed_temp_file().unwrap();
        a.write_all(b"first").unwrap();
        b.write_all(b"second").unwrap();
        for (f, want) in [(&mut a, "first"), (&mut b, "second")] {
            f.seek(io::SeekFrom::Start(0)).unwrap();
            let mut text = String::new();
            io::Read::read_to_string(f, &mut text).unwrap();
            assert_eq!(text, want);
        }
    }
}
