//! HTML output: one self-contained page (inline CSS and JS, no external resource) for people
//! who read an audit. It opens on the summary: a scope header (what was scanned, from which
//! perspective, with which rule packs), then per client folder the residual risk by scenario
//! and the top findings; then a documents × concept families matrix of residual risk, the
//! coverage list (folded), and each document's findings, filterable by severity and
//! perspective offline.
//!
//! Contract text is hostile input: every text and attribute goes through `esc`.

use super::{clause_label, findings, severity_str, Finding, FAMILIES};
use crate::assess::portfolio_key;
use crate::model::{Document, Item, Report, RiskLevel, Severity, Status};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// What the report's reader is told beyond the report: a title and a date, only when given
/// (`--title`, `--date`), so that the same scan always gives the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// A title for the report (`--title`).
    pub title: Option<String>,
    /// The date of the audit (`--date`), as given.
    pub date: Option<String>,
}

/// Top findings shown per folder in the summary.
const TOP_FINDINGS: usize = 5;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Writes the report as one HTML5 document.
pub fn write_html(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_html_with(report, &Scope::default(), out)
}

/// Writes the report as one HTML5 document, titled and dated as `scope` says.
pub(crate) fn write_html_with(
    report: &Report,
    scope: &Scope,
    out: &mut dyn Write,
) -> io::Result<()> {
    let all = findings(report);
    let base = common_folder(report);
    let mut h = String::new();
    head(report, scope, &base, &mut h);
    summary(report, &all, &base, &mut h);
    matrix(report, &mut h);
    coverage(report, &base, &mut h);
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
fn esc(s: &str) -> String {
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

/// The page's head and the scope header: what was scanned, from whose perspective, with
/// which packs, and the counts.
fn head(report: &Report, scope: &Scope, base: &str, h: &mut String) {
    let title = scope.title.as_deref().unwrap_or("Vigie report");
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Defence in depth: even if a tag slipped through, it could load and run nothing.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!("<title>{}</title>\n<style>", esc(title)));
    h.push_str(STYLE);
    h.push_str(&format!(
        "</style>\n</head>\n<body>\n<header id=\"scope\"><h1>{}</h1>\n",
        esc(title)
    ));
    let s = &report.summary;
    let folders = report
        .documents
        .iter()
        .map(|d| portfolio_key(&d.path))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    h.push_str("<dl class=\"scope\">");
    if let Some(date) = &scope.date {
        h.push_str(&format!("<dt>Date</dt><dd>{}</dd>", esc(date)));
    }
    h.push_str(&format!(
        "<dt>Scanned</dt><dd><code>{}</code>: {folders} client folder(s), {} document(s), \
         {} analyzed, <span{}>{} not analyzed</span></dd>",
        esc(if base.is_empty() { "." } else { base }),
        s.documents,
        s.documents - s.errors,
        if s.errors > 0 { " class=\"bad\"" } else { "" },
        s.errors,
    ));
    h.push_str(&format!(
        "<dt>Perspective</dt><dd><b>{}</b></dd>",
        report.perspective.as_str()
    ));
    let (packs, digest) = report
        .tool
        .rules_version
        .split_once('+')
        .unwrap_or((&report.tool.rules_version, ""));
    h.push_str(&format!(
        "<dt>Rule packs</dt><dd>{}{}</dd>",
        esc(&packs.replace(',', ", ")),
        if digest.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"meta\">(digest {})</span>", esc(digest))
        }
    ));
    h.push_str(&format!(
        "<dt>Findings</dt><dd>{} critical, {} high, {} medium, {} low, {} info</dd>",
        s.findings.critical, s.findings.high, s.findings.medium, s.findings.low, s.findings.info
    ));
    h.push_str(&format!(
        "<dt>Tool</dt><dd>{} {}</dd></dl>\n</header>\n",
        esc(&report.tool.name),
        esc(&report.tool.version)
    ));
    acceptance_notes(report, h);
}

/// What a baseline or waivers accepted, and the waivers that expired.
fn acceptance_notes(report: &Report, h: &mut String) {
    if report.summary.suppressed > 0 {
        h.push_str(&format!(
            "<p class=\"accepted\">{} finding(s) accepted by a baseline or a waiver.</p>\n",
            report.summary.suppressed
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

fn coverage(report: &Report, base: &str, h: &mut String) {
    let s = &report.summary;
    h.push_str("<section id=\"coverage\"><h2>Coverage</h2>\n<details><summary>");
    h.push_str(&format!(
        "<b>{}</b> document(s) given, <b>{}</b> analyzed, <b{}>{}</b> could not be \
         analyzed{} (paths relative to <code>{}</code>)</summary>\n",
        s.documents,
        s.documents - s.errors,
        if s.errors > 0 { " class=\"bad\"" } else { "" },
        s.errors,
        skipped_counts(s),
        esc(if base.is_empty() { "." } else { base }),
    ));
    h.push_str(
        "<table><thead><tr><th>Document</th><th>Status</th><th>Format</th><th>Type</th>\
         <th>Language</th><th>Pages</th><th>Problem</th></tr></thead><tbody>\n",
    );
    for (n, d) in report.documents.iter().enumerate() {
        let (status, problem) = match (&d.status, &d.error) {
            (Status::Error, Some(e)) => (
                "<span class=\"bad\">not analyzed</span>".to_string(),
                format!("<code>{}</code> {}", esc(e.kind.as_str()), esc(&e.message)),
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
            esc(relative(&d.path, base)),
            esc(d.format.as_deref().unwrap_or("-")),
            d.doc_type.map_or("-", |t| t.as_str()),
            d.language.map_or("-", |l| l.as_str()),
            d.pages.map_or("-".to_string(), |p| p.to_string()),
        ));
    }
    h.push_str("</tbody></table>\n");
    skipped(report, base, h);
    h.push_str("</details>\n</section>\n");
}

/// How many paths the walk met and did not analyze, and how many of them could not be read
/// (a folder that may hide documents): in the coverage's summary line, seen folded.
fn skipped_counts(s: &crate::model::Summary) -> String {
    if s.skipped == 0 {
        return String::new();
    }
    format!(
        "; <b>{}</b> path(s) met and not analyzed, <b{}>{}</b> of them unreadable",
        s.skipped,
        if s.unreadable > 0 {
            " class=\"bad\""
        } else {
            ""
        },
        s.unreadable
    )
}

/// The paths the walk met and did not analyze, with the reason (relative to `base`, as the
/// documents above), so an auditor sees what was not looked at.
fn skipped(report: &Report, base: &str, h: &mut String) {
    if report.skipped.is_empty() {
        return;
    }
    h.push_str(
        "<table id=\"skipped\"><thead><tr><th>Path not analyzed</th><th>Reason</th>\
         <th>Detail</th></tr></thead><tbody>\n",
    );
    for k in &report.skipped {
        let reason = if k.reason.is_unreadable() {
            format!("<span class=\"bad\">{}</span>", k.reason.as_str())
        } else {
            k.reason.as_str().to_string()
        };
        h.push_str(&format!(
            "<tr><td>{}</td><td>{reason}</td><td>{}</td></tr>\n",
            esc(&crate::report::names::escape_controls(relative(
                &k.path, base
            ))),
            esc(k.message.as_deref().unwrap_or("")),
        ));
    }
    h.push_str("</tbody></table>\n");
}

/// The folder every document is in (`corpus/` for a scan of `corpus/`), with its slash;
/// empty when they share none.
fn common_folder(report: &Report) -> String {
    let mut docs = report.documents.iter().map(|d| portfolio_key(&d.path));
    let Some(first) = docs.next() else {
        return String::new();
    };
    let mut common = first.to_string();
    for folder in docs {
        while !(folder == common || folder.starts_with(&format!("{common}/"))) {
            match common.rfind('/') {
                Some(i) => common.truncate(i),
                None => return String::new(),
            }
        }
    }
    if common.is_empty() {
        common
    } else {
        format!("{common}/")
    }
}

/// `path` without the scanned folder `base`.
fn relative<'a>(path: &'a str, base: &str) -> &'a str {
    path.strip_prefix(base).unwrap_or(path)
}

/// Per client folder: its documents, the residual risk of each scenario (the worst level
/// among its documents) and its most severe findings, portfolio ones included.
fn summary(report: &Report, all: &[Finding], base: &str, h: &mut String) {
    let mut folders: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
    for d in &report.documents {
        folders.entry(portfolio_key(&d.path)).or_default().push(d);
    }
    h.push_str("<section id=\"summary\"><h2>Summary by client folder</h2>\n");
    for (folder, docs) in &folders {
        let name = relative(folder, base.trim_end_matches('/'));
        let name = name.trim_start_matches('/');
        let errors = docs.iter().filter(|d| d.status == Status::Error).count();
        let worst = docs
            .iter()
            .map(|d| d.residual_risk.level)
            .max_by_key(|l| l.rank());
        h.push_str(&format!(
            "<article class=\"folder\"><h3>{} {}</h3>\n<p class=\"meta\">{} document(s){}</p>\n",
            esc(if name.is_empty() { "." } else { name }),
            worst.map_or(String::new(), |l| badge(l.as_str())),
            docs.len(),
            if errors > 0 {
                format!(", <span class=\"bad\">{errors} not analyzed</span>")
            } else {
                String::new()
            }
        ));
        scenarios(docs, h);
        top_findings(folder, all, h);
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

/// Each scenario met in the folder with its worst residual level and the document it is in.
fn scenarios(docs: &[&Document], h: &mut String) {
    let mut worst: BTreeMap<&str, (&str, RiskLevel, &str)> = BTreeMap::new();
    for d in docs {
        for s in &d.residual_risk.scenarios {
            let e = worst
                .entry(&s.id)
                .or_insert((&s.title, s.residual, &d.path));
            if s.residual.rank() > e.1.rank() {
                *e = (&s.title, s.residual, &d.path);
            }
        }
    }
    if worst.is_empty() {
        return;
    }
    h.push_str("<ul class=\"scenarios\"><li><b>Residual risk</b></li>");
    let mut rows: Vec<_> = worst.into_values().collect();
    rows.sort_by_key(|(_, l, _)| std::cmp::Reverse(l.rank()));
    for (title, level, path) in rows {
        let file = path.rsplit('/').next().unwrap_or(path);
        h.push_str(&format!(
            "<li>{} {} <span class=\"meta\">({})</span></li>",
            badge(level.as_str()),
            esc(title),
            esc(file)
        ));
    }
    h.push_str("</ul>\n");
}

/// The folder's most severe findings, one line each, linked to their document.
fn top_findings(folder: &str, all: &[Finding], h: &mut String) {
    let mut mine: Vec<&Finding> = all
        .iter()
        .filter(|f| {
            f.paths()
                .first()
                .is_some_and(|p| portfolio_key(p) == folder)
        })
        .filter(|f| f.item.suppression.is_none())
        .collect();
    mine.sort_by(|a, b| super::reading_order(a.item, b.item));
    if mine.is_empty() {
        h.push_str("<p>No finding.</p>\n");
        return;
    }
    h.push_str("<p class=\"toph\"><b>Top findings</b></p><ol class=\"top\">");
    for f in mine.iter().take(TOP_FINDINGS) {
        let i = f.item;
        let sev = severity_str(i);
        // Under its folder's heading a document is named by its file name.
        let paths: Vec<&str> = f
            .paths()
            .iter()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .collect();
        let place = i
            .location
            .as_ref()
            .and_then(clause_label)
            .map_or(String::new(), |c| format!(", clause {}", esc(&c)));
        h.push_str(&format!(
            "<li><span class=\"sev sev-{sev}\">{sev}</span> <code>{}</code> {} \
             <span class=\"meta\">({}{place})</span></li>",
            esc(&i.concept),
            esc(first_sentence(&i.message)),
            esc(&paths.join(", "))
        ));
    }
    if mine.len() > TOP_FINDINGS {
        h.push_str(&format!(
            "</ol>\n<p class=\"meta\">and {} more below.</p>\n",
            mine.len() - TOP_FINDINGS
        ));
    } else {
        h.push_str("</ol>\n");
    }
}

/// The message up to its first full stop or colon: the summary names, the document explains.
fn first_sentence(message: &str) -> &str {
    let end = message
        .match_indices([':', '.'])
        .map(|(i, _)| i)
        .find(|&i| message[i + 1..].starts_with(' '));
    end.map_or(message, |i| &message[..i])
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
            esc(e.kind.as_str()),
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

    #[test]
    fn a_date_only_when_given_and_the_title_escaped() {
        let report = crate::report::build(
            Vec::new(),
            Vec::new(),
            crate::model::Perspective::Client,
            "force-majeure@1.0.0,backups@1.0.0+abcd",
        );
        let render = |scope: &Scope| {
            let mut out = Vec::new();
            write_html_with(&report, scope, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let plain = render(&Scope::default());
        assert!(!plain.contains("<dt>Date</dt>"));
        assert!(
            plain.contains("force-majeure@1.0.0, backups@1.0.0"),
            "{plain}"
        );
        let titled = render(&Scope {
            title: Some("Audit <Clinique>".into()),
            date: Some("2026-12-06".into()),
        });
        assert!(titled.contains("<h1>Audit &lt;Clinique&gt;</h1>"));
        assert!(titled.contains("<dt>Date</dt><dd>2026-12-06</dd>"));
    }

    #[test]
    fn the_summary_keeps_a_message_up_to_its_first_full_stop_or_colon() {
        assert_eq!(
            first_sentence("a/b.md imposes x: so y. More."),
            "a/b.md imposes x"
        );
        assert_eq!(first_sentence("One. Two."), "One");
        assert_eq!(first_sentence("no stop"), "no stop");
    }
}
