//! SARIF 2.1.0 output, so code-scanning tools (GitHub, GitLab, IDE viewers) can show contract
//! findings next to code findings, with stable fingerprints and suppressions.
//!
//! Severity → SARIF `level`: critical and high → `error`, medium → `warning`, low and info →
//! `note`; the vigie severity itself stays in each result's `properties.severity`.
//! Every result has a location: document-level findings (an absence) point at line 1.

use super::{clause_label, findings, Finding};
use crate::model::{Report, Severity, Status};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF level of a vigie severity (documented in the module header and docs/guide.md).
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Writes the report as one SARIF 2.1.0 log with a single run.
pub fn write_sarif(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_sarif(report))?;
    writeln!(out)
}

/// The report as a SARIF log value (keys sorted, so the output is deterministic).
fn to_sarif(report: &Report) -> Value {
    let all = findings(report);
    let rules = rule_index(&all);
    let artifacts: Vec<Value> = report
        .documents
        .iter()
        .map(|d| {
            let mut a = json!({
                "location": { "uri": uri(&d.path) },
                "length": d.bytes,
            });
            if !d.sha256.is_empty() {
                a["hashes"] = json!({ "sha-256": d.sha256 });
            }
            if let Some(f) = &d.format {
                a["mimeType"] = json!(mime(f));
            }
            a
        })
        .collect();
    let results: Vec<Value> = all.iter().map(|f| result(report, f, &rules)).collect();
    let notifications: Vec<Value> = report
        .documents
        .iter()
        .filter(|d| d.status == Status::Error)
        .map(|d| {
            let (kind, message) = d
                .error
                .as_ref()
                .map_or(("error", "not analyzed"), |e| (e.kind.as_str(), e.message.as_str()));
            json!({
                "level": "error",
                "message": { "text": format!("{}: {message}", d.path) },
                "descriptor": { "id": kind },
                "locations": [ physical(report, &d.path, None) ],
            })
        })
        .chain(report.skipped.iter().map(|k| {
            // A folder nobody could list may hide documents: as serious as one not read.
            let level = if k.reason.is_unreadable() { "error" } else { "note" };
            let detail = k.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
            json!({
                "level": level,
                "message": { "text": format!("{}: skipped ({}){detail}", k.path, k.reason.as_str()) },
                "descriptor": { "id": format!("skipped.{}", k.reason.as_str()) },
            })
        }))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules.values().map(|r| r.descriptor.clone()).collect::<Vec<_>>(),
                "properties": { "rulesVersion": report.tool.rules_version },
            }},
            "invocations": [{
                "executionSuccessful": report.summary.errors + report.summary.unreadable == 0,
                "toolExecutionNotifications": notifications,
            }],
            "artifacts": artifacts,
            "results": results,
            "properties": { "perspective": report.perspective.as_str() },
        }],
    })
}

struct RuleEntry {
    index: usize,
    descriptor: Value,
}

/// One descriptor per rule id, in id order; its texts come from the rule's first finding
/// (the rule's own message, recommendation and references, the same for all its findings).
fn rule_index(all: &[Finding]) -> BTreeMap<String, RuleEntry> {
    let mut first: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in all {
        first.entry(f.item.rule.as_str()).or_insert(f);
    }
    first
        .into_iter()
        .enumerate()
        .map(|(index, (id, f))| {
            let i = f.item;
            let mut help_md = i.message.clone();
            let mut help_text = i.message.clone();
            if let Some(r) = &i.recommendation {
                help_md.push_str(&format!("\n\n**Recommendation:** {r}"));
                help_text.push_str(&format!("\nRecommendation: {r}"));
            }
            if !i.references.is_empty() {
                help_md.push_str("\n\n**References:**\n");
                for r in &i.references {
                    help_md.push_str(&format!("\n- {r}"));
                }
                help_text.push_str(&format!("\nReferences: {}", i.references.join("; ")));
            }
            let family = crate::rules::concepts::family_of(&i.concept);
            let descriptor = json!({
                "id": id,
                "name": i.concept,
                "shortDescription": { "text": i.concept },
                "fullDescription": { "text": i.message },
                "help": { "text": help_text, "markdown": help_md },
                "defaultConfiguration": {
                    "level": i.severity.map_or("note", level),
                },
                "properties": {
                    "concept": i.concept,
                    "references": i.references,
                    "tags": [family],
                },
            });
            (id.to_string(), RuleEntry { index, descriptor })
        })
        .collect()
}

fn result(report: &Report, f: &Finding, rules: &BTreeMap<String, RuleEntry>) -> Value {
    let i = f.item;
    let sev = i.severity.unwrap_or(Severity::Info);
    let locations: Vec<Value> = f
        .paths()
        .iter()
        .enumerate()
        // A portfolio finding's location points into its first document only.
        .map(|(n, p)| physical(report, p, if n == 0 { Some(f) } else { None }))
        .collect();
    let mut props = Map::new();
    props.insert("severity".into(), json!(sev.as_str()));
    props.insert("concept".into(), json!(i.concept));
    if let Some(v) = &i.value {
        props.insert("value".into(), json!(v));
    }
    if let Some(r) = &i.recommendation {
        props.insert("recommendation".into(), json!(r));
    }
    if !i.references.is_empty() {
        props.insert("references".into(), json!(i.references));
    }
    if let Some(bp) = &i.severity_by_perspective {
        props.insert(
            "severityByPerspective".into(),
            json!({ "client": bp.client.as_str(), "provider": bp.provider.as_str() }),
        );
    }
    if let Some(l) = &i.location {
        if let Some(p) = l.page {
            props.insert("page".into(), json!(p));
        }
        if let Some(c) = clause_label(l) {
            props.insert("clause".into(), json!(c));
        }
    }
    let mut r = json!({
        "ruleId": i.rule,
        "ruleIndex": rules.get(&i.rule).map_or(0, |e| e.index),
        "level": level(sev),
        "message": { "text": i.message },
        "locations": locations,
        "partialFingerprints": { "vigieFindingHash/v1": f.fingerprint() },
        "properties": props,
    });
    if let Some(s) = &i.suppression {
        let mut sp = json!({
            "kind": "external",
            "status": "accepted",
            "properties": { "vigieKind": s.kind },
        });
        if let Some(reason) = &s.reason {
            sp["justification"] = json!(reason);
        }
        if let Some(a) = &s.author {
            sp["properties"]["author"] = json!(a);
        }
        if let Some(e) = &s.expires {
            sp["properties"]["expires"] = json!(e);
        }
        r["suppressions"] = json!([sp]);
    }
    r
}

/// A physical location in `path`: the finding's line (and page, as a logical location),
/// or line 1 for document-level findings.
fn physical(report: &Report, path: &str, f: Option<&Finding>) -> Value {
    let loc = f.and_then(|f| f.item.location.as_ref());
    let mut region = json!({ "startLine": loc.map_or(1, |l| l.line.max(1)) });
    if let Some(ex) = f.and_then(|f| f.item.excerpt.as_deref()) {
        region["snippet"] = json!({ "text": ex });
    }
    let mut artifact = json!({ "uri": uri(path) });
    if let Some(n) = report.documents.iter().position(|d| d.path == path) {
        artifact["index"] = json!(n);
    }
    let mut v = json!({
        "physicalLocation": { "artifactLocation": artifact, "region": region },
    });
    if let Some(l) = loc {
        let mut names = Vec::new();
        if let Some(p) = l.page {
            names.push(json!({ "name": format!("page {p}"), "kind": "page" }));
        }
        if let Some(c) = clause_label(l) {
            names.push(json!({ "name": c, "kind": "clause" }));
        }
        if !names.is_empty() {
            v["logicalLocations"] = json!(names);
        }
    }
    v
}

/// A relative or `file://` URI reference for a path: separators as `/`, anything outside
/// the unreserved set percent-encoded, so spaces and accents survive every reader.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut out = String::new();
    if p.starts_with('/') {
        out.push_str("file://");
    }
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn mime(format: &str) -> &'static str {
    match format {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "rtf" => "application/rtf",
        "html" => "text/html",
        "md" => "text/markdown",
        _ => "text/plain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encodes_spaces_accents_and_keeps_separators() {
        assert_eq!(uri("a b/é.md"), "a%20b/%C3%A9.md");
        assert_eq!(uri("/tmp/x.pdf"), "file:///tmp/x.pdf");
        assert_eq!(uri("c\\d.md"), "c/d.md");
    }

    #[test]
    fn levels_follow_the_documented_mapping() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }
}
