//! Markdown output, for pasting into an audit report: a summary table of the documents with
//! their residual level, then the findings of each document. Contract text is escaped so it
//! cannot open a table cell, a link, a heading or raw HTML.

use super::{clause_label, findings, severity_str, squash, Finding};
use crate::model::{Language, Report, Status, Text};
use std::io::{self, Write};

labels! {
    /// The words of the Markdown report around the findings (the findings' messages are
    /// already in the report's language).
    struct Labels;
    title: "Vigie report", "Rapport Vigie";
    skipped: "path(s) met and not analyzed (listed in the JSON report)", "chemin(s) rencontré(s) et non analysé(s) (listés dans le rapport JSON)";
    unreadable: "unreadable", "illisible(s)";
    documents: "document(s)", "document(s)";
    not_analyzed: "not analyzed", "non analysé(s)";
    perspective: "perspective", "point de vue";
    rules: "rules", "règles";
    findings: "Findings", "Constats";
    accepted_count: "of them accepted by a baseline or a waiver.", "d'entre eux acceptés par une référence (baseline) ou une dérogation.";
    header: "| Document | Type | Language | Residual risk | Findings |", "| Document | Type | Langue | Risque résiduel | Constats |";
    not_analyzed_doc: "Not analyzed: {why}. Its residual risk is unknown.", "Non analysé : {why}. Son risque résiduel est inconnu.";
    residual: "Residual risk", "Risque résiduel";
    no_finding: "No finding.", "Aucun constat.";
    portfolio: "Portfolio (across documents)", "Portefeuille (entre documents)";
    whole_document: "whole document", "document entier";
    page: "page", "page";
    rule: "Rule", "Règle";
    clause: "Clause", "Clause";
    docs: "Documents", "Documents";
    accepted: "Accepted", "Accepté";
    recommendation: "Recommendation", "Recommandation";
    references: "References", "Références";
    /// French sets a space before a colon.
    colon: ":", " :";
}

/// Severity words of the summary line: critical, high, medium, low, info.
const SEVERITIES: [Text<&str>; 5] = [
    Text {
        en: "critical",
        fr: "critique(s)",
    },
    Text {
        en: "high",
        fr: "élevé(s)",
    },
    Text {
        en: "medium",
        fr: "moyen(s)",
    },
    Text {
        en: "low",
        fr: "faible(s)",
    },
    Text {
        en: "info",
        fr: "info",
    },
];

/// Writes the whole report as CommonMark (with GFM tables), in English.
pub fn write_markdown(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_markdown_in(report, Language::En, out)
}

/// Writes the whole report as CommonMark, the report's own words in `lang`.
pub fn write_markdown_in(report: &Report, lang: Language, out: &mut dyn Write) -> io::Result<()> {
    let l = &LABELS.get(lang);
    write_summary(report, lang, l, out)?;
    write_document_table(report, l, out)?;
    write_sections(report, l, out)
}

/// The title, the counts of documents and findings, and what was accepted or skipped.
fn write_summary(
    report: &Report,
    lang: Language,
    l: &Labels<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = &report.summary;
    writeln!(out, "# {}\n", l.title)?;
    writeln!(
        out,
        "{} {}, {} {}; {}{} {}; {} {} ({} {}).\n",
        s.documents,
        l.documents,
        s.errors,
        l.not_analyzed,
        l.perspective,
        l.colon,
        report.perspective.as_str(),
        esc(&report.tool.name),
        esc(&report.tool.version),
        l.rules,
        esc(&report.tool.rules_version)
    )?;
    writeln!(
        out,
        "{}{} {} {}, {} {}, {} {}, {} {}, {} {}.\n",
        l.findings,
        l.colon,
        s.findings.critical,
        SEVERITIES[0].get(lang),
        s.findings.high,
        SEVERITIES[1].get(lang),
        s.findings.medium,
        SEVERITIES[2].get(lang),
        s.findings.low,
        SEVERITIES[3].get(lang),
        s.findings.info,
        SEVERITIES[4].get(lang)
    )?;
    if s.suppressed > 0 {
        writeln!(out, "{} {}\n", s.suppressed, l.accepted_count)?;
    }
    if s.skipped > 0 {
        writeln!(
            out,
            "{} {}; {} {}.\n",
            s.skipped, l.skipped, s.unreadable, l.unreadable
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
    Ok(())
}

/// One row per document: type, language, residual level and findings (or why not analyzed).
fn write_document_table(report: &Report, l: &Labels<&str>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Documents\n")?;
    writeln!(out, "{}", l.header)?;
    writeln!(out, "|---|---|---|---|---|")?;
    for d in &report.documents {
        let findings = match &d.error {
            Some(e) => format!(
                "{}{} {} ({})",
                l.not_analyzed,
                l.colon,
                esc(&e.message),
                esc(e.kind.as_str())
            ),
            None => d.findings.len().to_string(),
        };
        writeln!(
            out,
            "| {} | {} | {} | **{}** | {} |",
            esc(&crate::report::names::escape_controls(&d.path)),
            d.doc_type.map_or("-", |t| t.as_str()),
            d.language.map_or("-", |l| l.as_str()),
            d.residual_risk.level.as_str(),
            findings
        )?;
    }
    Ok(())
}

/// Each document's residual risk and findings, then the portfolio findings.
fn write_sections(report: &Report, l: &Labels<&str>, out: &mut dyn Write) -> io::Result<()> {
    let all = findings(report);
    for d in &report.documents {
        writeln!(
            out,
            "\n## {}\n",
            esc(&crate::report::names::escape_controls(&d.path))
        )?;
        if d.status == Status::Error {
            let why = d.error.as_ref().map_or(String::new(), |e| esc(&e.message));
            writeln!(out, "{}", l.not_analyzed_doc.replace("{why}", &why))?;
            continue;
        }
        writeln!(
            out,
            "{}{} **{}**.",
            l.residual,
            l.colon,
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
            writeln!(out, "\n{}", l.no_finding)?;
        }
        for f in mine {
            write_finding(f, l, out)?;
        }
    }
    let cross: Vec<&Finding> = all.iter().filter(|f| f.document.is_none()).collect();
    if !cross.is_empty() {
        writeln!(out, "\n## {}", l.portfolio)?;
        for f in cross {
            write_finding(f, l, out)?;
        }
    }
    Ok(())
}

fn write_finding(f: &Finding, l: &Labels<&str>, out: &mut dyn Write) -> io::Result<()> {
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
        .map_or(l.whole_document.to_string(), |c| esc(&c));
    let page = loc
        .and_then(|x| x.page)
        .map_or(String::new(), |p| format!(", {} {p}", l.page));
    writeln!(out, "- {}{} `{}`", l.rule, l.colon, code(&i.rule))?;
    writeln!(out, "- {}{} {clause}{page}", l.clause, l.colon)?;
    if f.document.is_none() {
        let docs: Vec<String> = f
            .paths()
            .iter()
            .map(|p| esc(&crate::report::names::escape_controls(p)))
            .collect();
        writeln!(out, "- {}{} {}", l.docs, l.colon, docs.join(", "))?;
    }
    if let Some(s) = &i.suppression {
        let why = s
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(": {}", esc(r)));
        writeln!(out, "- {} ({}){why}", l.accepted, esc(&s.kind))?;
    }
    writeln!(out, "\n{}", esc(&i.message))?;
    if let Some(ex) = &i.excerpt {
        writeln!(out, "\n> {}", esc(ex))?;
    }
    if let Some(r) = &i.recommendation {
        writeln!(out, "\n**{}{}** {}", l.recommendation, l.colon, esc(r))?;
    }
    if !i.references.is_empty() {
        let refs: Vec<String> = i.references.iter().map(|r| esc(r)).collect();
        writeln!(out, "\n**{}{}** {}", l.references, l.colon, refs.join("; "))?;
    }
    Ok(())
}

/// Escapes text for an inline Markdown context, table cells included: whitespace runs become
/// one space, and every character CommonMark or GFM could read as syntax gets a backslash.
fn esc(s: &str) -> String {
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
