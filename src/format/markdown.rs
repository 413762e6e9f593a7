//! Markdown output, for pasting into an audit report: a summary table of the documents with
//! their residual level, then the findings of each document. Contract text is escaped so it
//! cannot open a table cell, a link, a heading or raw HTML.

use super::{clause_label, findings, severity_str, squash, Finding};
use crate::model::{Report, Status};
use std::io::{self, Write};

/// Writes the whole report as CommonMark (with GFM tables).
pub fn write_markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(out, "# Vigie report\n")?;
    writeln!(
        out,
        "{} document(s), {} not analyzed; perspective: {}; {} {} (rules {}).\n",
        s.documents,
        s.errors,
        report.perspective.as_str(),
        esc(&report.tool.name),
        esc(&report.tool.version),
        esc(&report.tool.rules_version)
    )?;
    writeln!(
        out,
        "Findings: {} critical, {} high, {} medium, {} low, {} info.\n",
        s.findings.critical, s.findings.high, s.findings.medium, s.findings.low, s.findings.info
    )?;
    if s.suppressed > 0 {
        writeln!(
            out,
            "{} of them accepted by a baseline or a waiver.\n",
            s.suppressed
        )?;
    }
    for w in &report.expired_waivers {
        writeln!(
            out,
            "Expired waiver ({}:{}, {}, by {}, expired {}): {} finding(s) count again.\n",
            esc(&w.file),
            w.line,
            esc(&w.reason),
            esc(&w.author),
            esc(&w.expires),
            w.findings
        )?;
    }
    writeln!(out, "## Documents\n")?;
    writeln!(
        out,
        "| Document | Type | Language | Residual risk | Findings |"
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    for d in &report.documents {
        let findings = match &d.error {
            Some(e) => format!("not analyzed: {} ({})", esc(&e.message), esc(&e.kind)),
            None => d.findings.len().to_string(),
        };
        writeln!(
            out,
            "| {} | {} | {} | **{}** | {} |",
            esc(&d.path),
            d.doc_type.map_or("-", |t| t.as_str()),
            d.language.map_or("-", |l| l.as_str()),
            d.residual_risk.level.as_str(),
            findings
        )?;
    }
    let all = findings(report);
    for d in &report.documents {
        writeln!(out, "\n## {}\n", esc(&d.path))?;
        if d.status == Status::Error {
            let why = d.error.as_ref().map_or(String::new(), |e| esc(&e.message));
            writeln!(out, "Not analyzed: {why}. Its residual risk is unknown.")?;
            continue;
        }
        writeln!(
            out,
            "Residual risk: **{}**.",
            d.residual_risk.level.as_str()
        )?;
        for r in &d.residual_risk.reasons {
            writeln!(out, "- {}", esc(r))?;
        }
        let mine: Vec<&Finding> = all
            .iter()
            .filter(|f| f.document.is_some_and(|x| std::ptr::eq(x, d)))
            .collect();
        if mine.is_empty() {
            writeln!(out, "\nNo finding.")?;
        }
        for f in mine {
            write_finding(f, out)?;
        }
    }
    let cross: Vec<&Finding> = all.iter().filter(|f| f.document.is_none()).collect();
    if !cross.is_empty() {
        writeln!(out, "\n## Portfolio (across documents)")?;
        for f in cross {
            write_finding(f, out)?;
        }
    }
    Ok(())
}

fn write_finding(f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    let i = f.item;
    writeln!(
        out,
        "\n### {} `{}`\n",
        severity_str(i).to_uppercase(),
        code(&i.concept)
    )?;
    let loc = i.location.as_ref();
    let clause = loc
        .and_then(clause_label)
        .map_or("whole document".to_string(), |c| esc(&c));
    let page = loc
        .and_then(|l| l.page)
        .map_or(String::new(), |p| format!(", page {p}"));
    writeln!(out, "- Rule: `{}`", code(&i.rule))?;
    writeln!(out, "- Clause: {clause}{page}")?;
    if f.document.is_none() {
        let docs: Vec<String> = f.paths().iter().map(|p| esc(p)).collect();
        writeln!(out, "- Documents: {}", docs.join(", "))?;
    }
    if let Some(s) = &i.suppression {
        let why = s
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(": {}", esc(r)));
        writeln!(out, "- Accepted ({}){why}", esc(&s.kind))?;
    }
    writeln!(out, "\n{}", esc(&i.message))?;
    if let Some(ex) = &i.excerpt {
        writeln!(out, "\n> {}", esc(ex))?;
    }
    if let Some(r) = &i.recommendation {
        writeln!(out, "\n**Recommendation:** {}", esc(r))?;
    }
    if !i.references.is_empty() {
        let refs: Vec<String> = i.references.iter().map(|r| esc(r)).collect();
        writeln!(out, "\n**References:** {}", refs.join("; "))?;
    }
    Ok(())
}

/// Escapes text for an inline Markdown context, table cells included: whitespace runs become
/// one space, and every character CommonMark or GFM could read as syntax gets a backslash.
pub fn esc(s: &str) -> String {
    let flat = squash(s);
    let mut out = String::with_capacity(flat.len());
    for (i, c) in flat.char_indices() {
        // `://` would make GFM link a bare URL; a lone colon is harmless.
        let url = c == ':' && flat[i..].starts_with("://");
        let active =
            url || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '&' | '$'
            ) || (i == 0 && matches!(c, '-' | '+' | '=' | '.'));
        if active {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span cannot hold a backtick; ids never have one, but they come from rule files.
fn code(s: &str) -> String {
    squash(s).replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_text_cannot_open_markup() {
        let e = esc("a | b <script>x</script> [l](http://e) *b* _i_\n# h");
        assert!(e.contains("\\<script\\>x\\</script\\>"));
        assert!(e.contains("\\|"));
        assert!(e.contains("\\[l\\](http\\://e)"));
        assert!(!e.contains('\n'));
        assert!(e.ends_with("\\# h"));
        assert_eq!(esc("- item"), "\\- item");
        assert_eq!(esc("5.1 a-b"), "5.1 a-b");
    }
}
