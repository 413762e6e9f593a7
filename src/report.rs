//! Renders the findings model (the JSON contract of `spec/report.md`) as JSON, JSON Lines
//! or a table, and derives the exit status, so every format tells the same story.

use crate::model::*;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
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
    pub summary: Summary,
    /// The most severe finding counting for `--fail-on`.
    pub worst: Option<Severity>,
}

impl Tally {
    pub fn document(&mut self, d: &Document) {
        self.summary.documents += 1;
        if d.status == Status::Error {
            self.summary.errors += 1;
        }
        self.items(&d.findings);
    }

    pub fn portfolio(&mut self, items: &[Item]) {
        self.items(items);
    }

    pub fn skipped(&mut self, skipped: &[Skipped]) {
        self.summary.skipped += skipped.len();
        self.summary.unreadable += skipped.iter().filter(|s| s.reason.is_unreadable()).count();
    }

    fn items(&mut self, items: &[Item]) {
        for f in items {
            if let Some(sev) = f.severity {
                self.summary.findings.add(sev);
            }
            self.worst = self.worst.max(fail_severity(f));
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

const TABLE_EXCERPT: usize = 70;

/// Per document, in path order: a line with its type, language, residual level and count
/// of findings, then its findings and mitigations with clause and a short excerpt; then the
/// counts. Each document stands alone, so the table can be written as the scan goes.
pub fn write_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.documents {
        write_table_document(d, out)?;
    }
    write_table_summary(&report.summary, out)?;
    for w in &report.expired_waivers {
        writeln!(
            out,
            "{}:{}: waiver expired on {} ({} finding(s) count again)",
            w.file, w.line, w.expires, w.findings
        )?;
    }
    Ok(())
}

/// One document's block of the table report.
pub fn write_table_document(d: &Document, out: &mut dyn Write) -> io::Result<()> {
    let (ty, lang) = (
        d.doc_type.map_or("-", |t| t.as_str()),
        d.language.map_or("-", |l| l.as_str()),
    );
    // A file name must not move the terminal's cursor or forge a line.
    let path = crate::names::escape_controls(&d.path);
    match &d.error {
        Some(e) => writeln!(out, "{path}: ERROR {}: {}", e.kind, e.message)?,
        None => writeln!(
            out,
            "{path}: {ty}, {lang}, residual {}, {} finding(s)",
            d.residual_risk.level.as_str(),
            d.findings.len()
        )?,
    }
    let rows: Vec<&Item> = d.findings.iter().chain(d.mitigations.iter()).collect();
    if d.status == Status::Ok && !rows.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(120)
            .set_header(["severity", "concept", "clause", "excerpt"]);
        for i in rows {
            let mut sev = i.severity.map_or("mitigation", |s| s.as_str()).to_string();
            if let Some(s) = &i.suppression {
                sev.push_str(&format!(" ({})", s.kind));
            }
            let clause = i
                .location
                .as_ref()
                .map(clause_label)
                .unwrap_or_else(|| "(document)".into());
            let ex = i.excerpt.as_deref().map_or(String::new(), short);
            t.add_row([
                sev.as_str(),
                i.concept.as_str(),
                clause.as_str(),
                ex.as_str(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    writeln!(out)
}

/// The counts that end the table report.
pub fn write_table_summary(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} document(s), {} not analyzed; findings: {} critical, {} high, {} medium, {} low, {} info",
        s.documents, s.errors, s.findings.critical, s.findings.high, s.findings.medium,
        s.findings.low, s.findings.info
    )?;
    if s.suppressed > 0 {
        writeln!(
            out,
            "{} finding(s) accepted by a baseline or a waiver",
            s.suppressed
        )?;
    }
    if s.skipped > 0 {
        writeln!(
            out,
            "{} path(s) skipped ({} unreadable); the JSON report lists them",
            s.skipped, s.unreadable
        )?;
    }
    Ok(())
}

fn clause_label(l: &Location) -> String {
    let mut s = match (&l.clause, &l.heading) {
        (Some(n), Some(h)) => format!("{n} {h}"),
        (Some(n), None) => n.clone(),
        (None, Some(h)) => h.clone(),
        (None, None) => format!("line {}", l.line),
    };
    if let Some(p) = l.page {
        s.push_str(&format!(" (p. {p})"));
    }
    s
}

fn short(s: &str) -> String {
    if s.chars().count() <= TABLE_EXCERPT {
        return s.to_string();
    }
    let cut: String = s.chars().take(TABLE_EXCERPT).collect();
    format!("{}…", cut.trim_end())
}
