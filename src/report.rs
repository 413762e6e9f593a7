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
        tool: Tool {
            name: "vigie".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules_version: rules_version.into(),
        },
        perspective,
        documents,
        portfolio,
        summary,
        expired_waivers: Vec::new(),
    }
}

fn summarize(documents: &[Document], portfolio: &[Item]) -> Summary {
    let mut s = Summary {
        documents: documents.len(),
        errors: documents
            .iter()
            .filter(|d| d.status == Status::Error)
            .count(),
        findings: SeverityCounts::default(),
        suppressed: 0,
    };
    let findings = documents
        .iter()
        .flat_map(|d| d.findings.iter())
        .chain(portfolio.iter());
    for f in findings {
        if let Some(sev) = f.severity {
            s.findings.add(sev);
        }
    }
    s
}

/// The exit status of `spec/report.md`: 1 when a finding reaches `fail_on` (findings
/// accepted by a baseline or a waiver do not count), else 3 when a document could not be
/// analyzed (0 with `allow_unreadable`), else 0.
pub fn exit_code(report: &Report, fail_on: Option<Severity>, allow_unreadable: bool) -> i32 {
    let reaches = |f: &Item| {
        f.suppression.is_none() && matches!((f.severity, fail_on), (Some(s), Some(t)) if s >= t)
    };
    let failing = report
        .documents
        .iter()
        .flat_map(|d| d.findings.iter())
        .chain(report.portfolio.iter())
        .any(reaches);
    if failing {
        1
    } else if report.summary.errors > 0 && !allow_unreadable {
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
    serde_json::to_writer(&mut *out, &tail)?;
    writeln!(out)
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

/// A table per document: type, language, residual level, then its findings and
/// mitigations with clause and a short excerpt.
pub fn write_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut docs = Table::new();
    docs.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120)
        .set_header(["document", "type", "lang", "residual", "findings"]);
    for d in &report.documents {
        let (ty, lang) = (
            d.doc_type.map_or("-", |t| t.as_str()),
            d.language.map_or("-", |l| l.as_str()),
        );
        let findings = match &d.error {
            Some(e) => format!("ERROR {}: {}", e.kind, e.message),
            None => d.findings.len().to_string(),
        };
        docs.add_row([
            d.path.as_str(),
            ty,
            lang,
            d.residual_risk.level.as_str(),
            findings.as_str(),
        ]);
    }
    writeln!(out, "{docs}")?;
    for d in report.documents.iter().filter(|d| d.status == Status::Ok) {
        let rows: Vec<&Item> = d.findings.iter().chain(d.mitigations.iter()).collect();
        if rows.is_empty() {
            continue;
        }
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
        writeln!(out, "\n{}", d.path)?;
        writeln!(out, "{t}")?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "\n{} document(s), {} not analyzed; findings: {} critical, {} high, {} medium, {} low, {} info",
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
    for w in &report.expired_waivers {
        writeln!(
            out,
            "{}:{}: waiver expired on {} ({} finding(s) count again)",
            w.file, w.line, w.expires, w.findings
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
