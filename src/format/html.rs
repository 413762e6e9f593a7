//! HTML output: one self-contained page (inline CSS and JS, no external resource) for people
//! who read an audit, with coverage first, a documents × concept families matrix of residual
//! risk, then each document's findings, filterable by severity and perspective offline.
//!
//! Contract text is hostile input: every text and attribute goes through [`esc`].

use super::{clause_label, findings, severity_str, Finding, FAMILIES};
use crate::model::{Document, Item, Report, RiskLevel, Severity, Status};
use std::io::{self, Write};

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Writes the report as one HTML5 document.
pub fn write_html(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let all = findings(report);
    let mut h = String::new();
    head(report, &mut h);
    coverage(report, &mut h);
    matrix(report, &mut h);
    filters(report, &all, &mut h);
    h.push_str("<section id=\"documents\"><h2>Findings by document</h2>\n");
    for (n, d) in report.documents.iter().enumerate() {
        document(n, d, &all, &mut h);
    }
    h.push_str("</section>\n");
    portfolio(&all, &mut h);
    h.push_str("<script>");
    h.push_str(SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    out.write_all(h.as_bytes())
}

/// Escapes text for HTML element content and quoted attribute values alike.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A NUL or other C0 control has no business in a page; keep line breaks.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn head(report: &Report, h: &mut String) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Defence in depth: even if a tag slipped through, it could load and run nothing.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>Vigie report</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<header><h1>Vigie report</h1>\n");
    let s = &report.summary;
    h.push_str(&format!(
        "<p class=\"meta\">{} {} · rules {} · perspective <b>{}</b> · findings: {} critical, \
         {} high, {} medium, {} low, {} info</p>\n</header>\n",
        esc(&report.tool.name),
        esc(&report.tool.version),
        esc(&report.tool.rules_version),
        report.perspective.as_str(),
        s.findings.critical,
        s.findings.high,
        s.findings.medium,
        s.findings.low,
        s.findings.info
    ));
    if s.suppressed > 0 {
        h.push_str(&format!(
            "<p class=\"accepted\">{} finding(s) accepted by a baseline or a waiver.</p>\n",
            s.suppressed
        ));
    }
    for w in &report.expired_waivers {
        h.push_str(&format!(
            "<p class=\"bad\">Expired waiver ({}:{}, {}, by {}, expired {}): {} finding(s) \
             count again.</p>\n",
            esc(&w.file),
            w.line,
            esc(&w.reason),
            esc(&w.author),
            esc(&w.expires),
            w.findings
        ));
    }
}

fn coverage(report: &Report, h: &mut String) {
    let s = &report.summary;
    h.push_str("<section id=\"coverage\"><h2>Coverage</h2>\n");
    h.push_str(&format!(
        "<p><b>{}</b> document(s) given, <b>{}</b> analyzed, <b{}>{}</b> could not be \
         analyzed.</p>\n",
        s.documents,
        s.documents - s.errors,
        if s.errors > 0 { " class=\"bad\"" } else { "" },
        s.errors
    ));
    h.push_str(
        "<table><thead><tr><th>Document</th><th>Status</th><th>Format</th><th>Type</th>\
         <th>Language</th><th>Pages</th><th>Problem</th></tr></thead><tbody>\n",
    );
    for (n, d) in report.documents.iter().enumerate() {
        let (status, problem) = match (&d.status, &d.error) {
            (Status::Error, Some(e)) => (
                "<span class=\"bad\">not analyzed</span>".to_string(),
                format!("<code>{}</code> {}", esc(&e.kind), esc(&e.message)),
            ),
            (Status::Error, None) => (
                "<span class=\"bad\">not analyzed</span>".into(),
                String::new(),
            ),
            (Status::Ok, _) => ("analyzed".into(), esc(&d.warnings.join("; "))),
        };
        h.push_str(&format!(
            "<tr><td><a href=\"#doc-{n}\">{}</a></td><td>{status}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{problem}</td></tr>\n",
            esc(&d.path),
            esc(d.format.as_deref().unwrap_or("-")),
            d.doc_type.map_or("-", |t| t.as_str()),
            d.language.map_or("-", |l| l.as_str()),
            d.pages.map_or("-".to_string(), |p| p.to_string()),
        ));
    }
    h.push_str("</tbody></table>\n");
    skipped(report, h);
    h.push_str("</section>\n");
}

/// The paths the walk met and did not analyze, with the reason, so an auditor sees what
/// was not looked at.
fn skipped(report: &Report, h: &mut String) {
    let s = &report.summary;
    if report.skipped.is_empty() {
        return;
    }
    h.push_str(&format!(
        "<p><b>{}</b> path(s) met and not analyzed, <b{}>{}</b> of them unreadable.</p>\n",
        s.skipped,
        if s.unreadable > 0 {
            " class=\"bad\""
        } else {
            ""
        },
        s.unreadable
    ));
    h.push_str(
        "<table id=\"skipped\"><thead><tr><th>Path</th><th>Reason</th><th>Detail</th></tr>\
         </thead><tbody>\n",
    );
    for k in &report.skipped {
        let reason = if k.reason.is_unreadable() {
            format!("<span class=\"bad\">{}</span>", k.reason.as_str())
        } else {
            k.reason.as_str().to_string()
        };
        h.push_str(&format!(
            "<tr><td>{}</td><td>{reason}</td><td>{}</td></tr>\n",
            esc(&crate::names::escape_controls(&k.path)),
            esc(k.message.as_deref().unwrap_or("")),
        ));
    }
    h.push_str("</tbody></table>\n");
}

/// The residual level of one concept family in one document: its scenario's residual level,
/// the most severe portfolio finding for `x`, `unknown` for a document not analyzed, and
/// `None` (not applicable) otherwise.
fn family_level(d: &Document, family: &str, portfolio: &[&Item]) -> Option<RiskLevel> {
    if d.status == Status::Error {
        return Some(RiskLevel::Unknown);
    }
    if family == "x" {
        return portfolio
            .iter()
            .filter(|i| i.documents.contains(&d.path))
            .filter_map(|i| i.severity)
            .max()
            .map(risk_of);
    }
    d.residual_risk
        .scenarios
        .iter()
        .filter(|s| s.family == family)
        .map(|s| s.residual)
        .max()
}

fn risk_of(s: Severity) -> RiskLevel {
    match s {
        Severity::Critical => RiskLevel::Critical,
        Severity::High => RiskLevel::High,
        Severity::Medium => RiskLevel::Medium,
        Severity::Low => RiskLevel::Low,
        Severity::Info => RiskLevel::None,
    }
}

fn matrix(report: &Report, h: &mut String) {
    let portfolio: Vec<&Item> = report.portfolio.iter().collect();
    h.push_str("<section id=\"matrix\"><h2>Residual risk by concept family</h2>\n");
    h.push_str("<table class=\"matrix\"><thead><tr><th>Document</th><th>Overall</th>");
    for (id, title) in FAMILIES {
        h.push_str(&format!("<th title=\"{}\">{}</th>", esc(title), esc(id)));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (n, d) in report.documents.iter().enumerate() {
        let overall = d.residual_risk.level;
        h.push_str(&format!(
            "<tr><td><a href=\"#doc-{n}\">{}</a></td>{}",
            esc(&d.path),
            cell(Some(overall))
        ));
        for (id, _) in FAMILIES {
            h.push_str(&cell(family_level(d, id, &portfolio)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n<p class=\"legend\">");
    for (id, title) in FAMILIES {
        h.push_str(&format!("<b>{}</b> {} · ", esc(id), esc(title)));
    }
    h.push_str(
        "levels are residual, for the report's perspective; “n/a”: no scenario of the family \
         applies; “unknown”: the document could not be analyzed.</p>\n</section>\n",
    );
}

fn cell(level: Option<RiskLevel>) -> String {
    match level {
        Some(l) => format!("<td class=\"lvl lvl-{0}\">{0}</td>", l.as_str()),
        None => "<td class=\"lvl lvl-na\">n/a</td>".into(),
    }
}

fn filters(report: &Report, all: &[Finding], h: &mut String) {
    h.push_str("<form id=\"filters\"><fieldset><legend>Show findings</legend>");
    for s in Severity::ALL {
        h.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"sev\" value=\"{0}\" checked> \
             <span class=\"sev sev-{0}\">{0}</span></label> ",
            s.as_str()
        ));
    }
    h.push_str("<label>perspective <select name=\"perspective\">");
    for p in ["client", "provider"] {
        let sel = if p == report.perspective.as_str() {
            " selected"
        } else {
            ""
        };
        h.push_str(&format!("<option value=\"{p}\"{sel}>{p}</option>"));
    }
    h.push_str(&format!(
        "</select></label> <output id=\"shown\">{0}</output> of {0} findings shown\
         </fieldset></form>\n",
        all.len()
    ));
}

fn document(n: usize, d: &Document, all: &[Finding], h: &mut String) {
    h.push_str(&format!(
        "<article class=\"doc\" id=\"doc-{n}\"><h3>{}</h3>\n",
        esc(&d.path)
    ));
    if let Some(e) = &d.error {
        h.push_str(&format!(
            "<p class=\"bad\">Not analyzed (<code>{}</code>): {}. Its residual risk is \
             unknown.</p>\n</article>\n",
            esc(&e.kind),
            esc(&e.message)
        ));
        return;
    }
    h.push_str(&format!(
        "<p>Type <b>{}</b>, language <b>{}</b>, residual risk {}</p>\n",
        d.doc_type.map_or("-", |t| t.as_str()),
        d.language.map_or("-", |l| l.as_str()),
        badge(d.residual_risk.level.as_str())
    ));
    if !d.residual_risk.reasons.is_empty() {
        h.push_str("<ul class=\"reasons\">");
        for r in &d.residual_risk.reasons {
            h.push_str(&format!("<li>{}</li>", esc(r)));
        }
        h.push_str("</ul>\n");
    }
    let mine: Vec<&Finding> = all
        .iter()
        .filter(|f| f.document.is_some_and(|x| std::ptr::eq(x, d)))
        .collect();
    if mine.is_empty() {
        h.push_str("<p>No finding.</p>\n");
    }
    for f in mine {
        finding(f, h);
    }
    if !d.mitigations.is_empty() {
        h.push_str(&format!(
            "<details><summary>{} mitigation(s)</summary>\n",
            d.mitigations.len()
        ));
        for m in &d.mitigations {
            h.push_str(&format!(
                "<div class=\"mitigation\"><code>{}</code> {}{}</div>\n",
                esc(&m.concept),
                esc(&m.message),
                context(m)
            ));
        }
        h.push_str("</details>\n");
    }
    h.push_str("</article>\n");
}

fn portfolio(all: &[Finding], h: &mut String) {
    let cross: Vec<&Finding> = all.iter().filter(|f| f.document.is_none()).collect();
    if cross.is_empty() {
        return;
    }
    h.push_str("<section id=\"portfolio\"><h2>Portfolio (across documents)</h2>\n");
    for f in cross {
        finding(f, h);
    }
    h.push_str("</section>\n");
}

fn badge(level: &str) -> String {
    format!("<span class=\"lvl lvl-{0}\">{0}</span>", esc(level))
}

fn finding(f: &Finding, h: &mut String) {
    let i = f.item;
    let sev = severity_str(i);
    let (client, provider) = i
        .severity_by_perspective
        .map_or((sev, sev), |p| (p.client.as_str(), p.provider.as_str()));
    h.push_str(&format!(
        "<div class=\"finding\" data-sev-client=\"{client}\" data-sev-provider=\"{provider}\">\n\
         <div class=\"fhead\"><span class=\"sev sev-{sev}\">{sev}</span> <code>{}</code> \
         <span class=\"rule\">{}</span>",
        esc(&i.concept),
        esc(&i.rule)
    ));
    if i.suppression.is_some() {
        h.push_str(" <span class=\"accepted\">accepted</span>");
    }
    h.push_str("</div>\n");
    if f.document.is_none() {
        let docs: Vec<String> = f.paths().iter().map(|p| esc(p)).collect();
        h.push_str(&format!("<p class=\"docs\">{}</p>\n", docs.join(" · ")));
    }
    h.push_str(&format!("<p>{}</p>\n", esc(&i.message)));
    h.push_str(&context(i));
    if let Some(r) = &i.recommendation {
        h.push_str(&format!(
            "<p class=\"rec\"><b>Recommendation:</b> {}</p>\n",
            esc(r)
        ));
    }
    if let Some(s) = &i.suppression {
        let reason = s.reason.as_deref().map_or(String::new(), esc);
        h.push_str(&format!(
            "<p class=\"accepted\">Accepted ({}): {reason}</p>\n",
            esc(&s.kind)
        ));
    }
    if !i.references.is_empty() {
        h.push_str("<ul class=\"refs\">");
        for r in &i.references {
            h.push_str(&format!("<li>{}</li>", esc(r)));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</div>\n");
}

/// Where the item is (clause, page, line) and its excerpt, highlighted within the clause it
/// belongs to; "whole document" for an absence.
fn context(i: &Item) -> String {
    let Some(l) = &i.location else {
        return "<p class=\"where\">whole document (nothing in it says so)</p>\n".into();
    };
    let mut where_ = clause_label(l).map_or("no numbered clause".to_string(), |c| {
        format!("clause {}", esc(&c))
    });
    if let Some(p) = l.page {
        where_.push_str(&format!(", page {p}"));
    }
    where_.push_str(&format!(", line {}", l.line));
    let excerpt = i
        .excerpt
        .as_deref()
        .map_or(String::new(), |e| highlighted(e, i.evidence.as_deref()));
    format!("<p class=\"where\">{where_}</p>\n<blockquote class=\"ctx\">{excerpt}</blockquote>\n")
}

/// The excerpt escaped, the words that made the rule fire marked within their sentence (the
/// whole excerpt when the words are unknown).
fn highlighted(excerpt: &str, evidence: Option<&str>) -> String {
    match evidence.and_then(|w| excerpt.find(w).map(|at| (at, at + w.len()))) {
        Some((s, e)) if s < e => format!(
            "{}<mark>{}</mark>{}",
            esc(&excerpt[..s]),
            esc(&excerpt[s..e]),
            esc(&excerpt[e..])
        ),
        _ => format!("<mark>{}</mark>", esc(excerpt)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_is_marked_within_its_escaped_sentence() {
        let h = highlighted("les virus <b> et le piratage", Some("piratage"));
        assert_eq!(h, "les virus &lt;b&gt; et le <mark>piratage</mark>");
    }

    #[test]
    fn without_evidence_the_whole_excerpt_is_marked() {
        assert_eq!(highlighted("a < b", None), "<mark>a &lt; b</mark>");
        assert_eq!(highlighted("a b", Some("zzz")), "<mark>a b</mark>");
    }
}
