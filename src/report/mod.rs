//! Renders the findings model (the JSON contract of `spec/report.md`) as JSON, JSON Lines
//! or the terminal view, and derives the exit status, so every format tells the same story.

pub mod baseline;
pub mod describe;
mod destination;
pub mod diff;
pub mod format;
pub mod names;
pub mod output;
pub mod reference;
pub mod waivers;

use crate::model::*;
use crate::report::format::terminal::View;
use std::io::{self, Write};

/// Builds the report from analyzed documents (sorted here by path).
pub fn build(
    mut documents: Vec<Document>,
    portfolio: Vec<Item>,
    perspective: Perspective,
    rules_version: &str,
) -> Report {
    documents.sort_by(|a, b| a.path.cmp(&b.path));
    let summary = summarize(&documents, &portfolio);
    Report {
        tool: tool(rules_version),
        perspective,
        documents,
        portfolio,
        summary,
        expired_waivers: Vec::new(),
        skipped: Vec::new(),
    }
}

/// Adds the paths the scan met and did not analyze to `report`, and their counts.
pub fn add_skipped(report: &mut Report, skipped: &[Skipped]) {
    let mut t = Tally::default();
    t.skipped(skipped);
    report.summary.skipped = t.summary.skipped;
    report.summary.unreadable = t.summary.unreadable;
    report.skipped = skipped.to_vec();
}

fn summarize(documents: &[Document], portfolio: &[Item]) -> Summary {
    let mut t = Tally::default();
    documents.iter().for_each(|d| t.document(d));
    t.portfolio(portfolio);
    t.summary
}

/// The severity an item weighs with for `--fail-on`: none once a baseline or a waiver
/// accepts it.
fn fail_severity(item: &Item) -> Option<Severity> {
    item.severity.filter(|_| item.suppression.is_none())
}

/// Running counts of a report written as it goes, so neither the summary nor the exit
/// status needs the documents kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    summary: Summary,
    /// The most severe finding counting for `--fail-on`.
    pub worst: Option<Severity>,
    /// Findings counting for `--fail-on`, by severity, and the first few of each as
    /// `concept (path)`, to say why the exit status is 1 without keeping the documents.
    pub counting: SeverityCounts,
    examples: Vec<(Severity, String)>,
}

/// The findings that reach `--fail-on`: how many, and the first few as `concept (path)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failing {
    /// Findings reaching `--fail-on`, accepted ones not counted.
    pub count: usize,
    /// The first few of them (at most 5), most severe first, as `concept (path)` with
    /// control characters escaped; a portfolio finding names its documents, comma-separated.
    pub examples: Vec<String>,
}

/// Examples kept per severity for [`Failing`].
const FAILING_EXAMPLES: usize = 5;

impl Tally {
    fn document(&mut self, d: &Document) {
        self.summary.documents += 1;
        if d.status == Status::Error {
            self.summary.errors += 1;
        }
        self.items(&d.findings, Some(&d.path));
    }

    fn portfolio(&mut self, items: &[Item]) {
        self.items(items, None);
    }

    fn skipped(&mut self, skipped: &[Skipped]) {
        self.summary.skipped += skipped.len();
        self.summary.unreadable += skipped.iter().filter(|s| s.reason.is_unreadable()).count();
    }

    fn items(&mut self, items: &[Item], path: Option<&str>) {
        for f in items {
            if let Some(sev) = f.severity {
                self.summary.findings.add(sev);
            }
            let counting = fail_severity(f);
            self.worst = self.worst.max(counting);
            if let Some(sev) = counting {
                self.counting.add(sev);
                if self.counting.get(sev) <= FAILING_EXAMPLES {
                    let path = path.map_or_else(|| f.documents.join(", "), str::to_string);
                    // Told on standard error: a file name must not drive the terminal.
                    let path = crate::report::names::escape_controls(&path);
                    self.examples.push((sev, format!("{} ({path})", f.concept)));
                }
            }
        }
    }

    /// The findings reaching `fail_on`, most severe first.
    pub fn failing(&self, fail_on: Severity) -> Failing {
        let reached = || Severity::ALL.into_iter().filter(|&s| s >= fail_on);
        let examples = reached()
            .flat_map(|s| self.examples.iter().filter(move |(e, _)| *e == s))
            .map(|(_, text)| text.clone())
            .take(FAILING_EXAMPLES)
            .collect();
        Failing {
            count: reached().map(|s| self.counting.get(s)).sum(),
            examples,
        }
    }

    /// The exit status of `spec/report.md` (see [`exit_code`]).
    pub fn exit_code(&self, fail_on: Option<Severity>, allow_unreadable: bool) -> i32 {
        status(
            matches!((self.worst, fail_on), (Some(s), Some(t)) if s >= t),
            self.summary.errors + self.summary.unreadable,
            allow_unreadable,
        )
    }
}

/// The exit status of `spec/report.md`: 1 when a finding reaches `fail_on` (findings
/// accepted by a baseline or a waiver do not count), else 3 when a document (or a folder
/// that may hold some) could not be read (0 with `allow_unreadable`), else 0.
pub fn exit_code(report: &Report, fail_on: Option<Severity>, allow_unreadable: bool) -> i32 {
    let reaches = |f: &Item| matches!((fail_severity(f), fail_on), (Some(s), Some(t)) if s >= t);
    let failing = report
        .documents
        .iter()
        .flat_map(|d| d.findings.iter())
        .chain(report.portfolio.iter())
        .any(reaches);
    let s = &report.summary;
    status(failing, s.errors + s.unreadable, allow_unreadable)
}

/// The findings of `report` reaching `fail_on` (see [`Tally::failing`]).
pub fn failing(report: &Report, fail_on: Severity) -> Failing {
    let mut t = Tally::default();
    report.documents.iter().for_each(|d| t.document(d));
    t.portfolio(&report.portfolio);
    t.failing(fail_on)
}

fn status(failing: bool, errors: usize, allow_unreadable: bool) -> i32 {
    if failing {
        1
    } else if errors > 0 && !allow_unreadable {
        3
    } else {
        0
    }
}

/// The whole report as one pretty JSON object.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// One JSON object per line: each document (`"record": "document"`), then one summary
/// line carrying the tool, perspective, portfolio and counts.
pub fn write_jsonl(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.documents {
        write_jsonl_document(d, out)?;
    }
    let mut tail = serde_json::json!({
        "record": "summary",
        "tool": report.tool,
        "perspective": report.perspective,
        "portfolio": report.portfolio,
        "summary": report.summary,
    });
    if !report.expired_waivers.is_empty() {
        tail["expired_waivers"] = serde_json::to_value(&report.expired_waivers)?;
    }
    if !report.skipped.is_empty() {
        tail["skipped"] = serde_json::to_value(&report.skipped)?;
    }
    serde_json::to_writer(&mut *out, &tail)?;
    writeln!(out)
}

/// The tool block of a report.
pub fn tool(rules_version: &str) -> Tool {
    Tool {
        name: "vigie".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        rules_version: rules_version.into(),
    }
}

/// One portfolio item of the JSON Lines summary, for [`write_jsonl_summary_with`]; `first`
/// for the first one (the others are preceded by a comma).
pub fn write_jsonl_portfolio_item(item: &Item, first: bool, out: &mut dyn Write) -> io::Result<()> {
    if !first {
        out.write_all(b",")?;
    }
    // Through a Value, as `write_jsonl` does: object keys sorted.
    serde_json::to_writer(&mut *out, &serde_json::to_value(item)?)?;
    Ok(())
}

/// The summary line of a JSON Lines report (with no expired waiver) whose portfolio items
/// were written by [`write_jsonl_portfolio_item`] to `portfolio` as the scan went, so a
/// long scan does not hold them in memory; the same bytes as [`write_jsonl`]'s.
pub fn write_jsonl_summary_with(
    tool: &Tool,
    perspective: Perspective,
    portfolio: &mut dyn io::Read,
    summary: &Summary,
    skipped: &[Skipped],
    out: &mut dyn Write,
) -> io::Result<()> {
    // The keys in the sorted order serde_json gives an object.
    out.write_all(b"{\"perspective\":")?;
    serde_json::to_writer(&mut *out, &perspective)?;
    out.write_all(b",\"portfolio\":[")?;
    io::copy(portfolio, out)?;
    out.write_all(b"],\"record\":\"summary\",")?;
    if !skipped.is_empty() {
        out.write_all(b"\"skipped\":")?;
        serde_json::to_writer(&mut *out, &serde_json::to_value(skipped)?)?;
        out.write_all(b",")?;
    }
    out.write_all(b"\"summary\":")?;
    serde_json::to_writer(&mut *out, &serde_json::to_value(summary)?)?;
    out.write_all(b",\"tool\":")?;
    serde_json::to_writer(&mut *out, &serde_json::to_value(tool)?)?;
    writeln!(out, "}}")
}

/// One document as a JSON line, for streaming.
pub fn write_jsonl_document(d: &Document, out: &mut dyn Write) -> io::Result<()> {
    let mut v = serde_json::to_value(d)?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("record".into(), "document".into());
    }
    serde_json::to_writer(&mut *out, &v)?;
    writeln!(out)
}

/// The terminal view ([`crate::report::format::terminal`]) as a pipe or a file gets it, then the
/// expired waivers.
pub fn write_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_table_with(report, View::default(), out)
}

/// The terminal view laid out by `view`, then the expired waivers.
pub fn write_table_with(report: &Report, view: View, out: &mut dyn Write) -> io::Result<()> {
    crate::report::format::terminal::write_terminal(report, view, out)?;
    for w in &report.expired_waivers {
        writeln!(
            out,
            "{}:{}: waiver expired on {} ({} finding(s) count again)",
            w.file, w.line, w.expires, w.findings
        )?;
    }
    Ok(())
}
