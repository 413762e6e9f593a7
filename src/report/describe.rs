//! Text for people about what Vigie loaded or read, written to the caller's writer: the
//! `vigie rules list` table and JSON, `vigie explain` for one rule or concept, and the
//! clause tree of `vigie extract --clauses`.

use crate::model::Language;
use crate::rules::Pack;
use crate::segment::Segmented;
use std::io::{self, Write};

/// `vigie explain` was given an id the packs do not know, or the writer failed.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The id asked about, matching no rule and no concept.
    #[error("`{0}` is neither a rule nor a concept (see `vigie rules list`)")]
    Unknown(String),
    /// Writing the explanation failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// One line per rule: id, concept, kind and title.
pub fn write_rule_table(pack: &Pack, out: &mut dyn Write) -> io::Result<()> {
    for r in &pack.rules {
        writeln!(
            out,
            "{:<34} {:<26} {:<10} {}",
            r.id,
            r.concept,
            format!("{:?}", r.kind).to_lowercase(),
            r.title
        )?;
    }
    Ok(())
}

/// The rules as a pretty JSON array (id, concept, kind, title, scope, severity by
/// perspective, document types, references, file).
pub fn write_rule_json(pack: &Pack, out: &mut dyn Write) -> io::Result<()> {
    let list: Vec<_> = pack
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "concept": r.concept, "kind": r.kind,
                "title": r.title, "scope": format!("{:?}", r.scope).to_lowercase(),
                "severity": r.severity.map(|(c, p)| serde_json::json!({"client": c, "provider": p})),
                "doc_types": r.doc_types, "references": r.references, "file": r.file,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list)?;
    writeln!(out)
}

/// What a rule or a concept checks, why it matters, its references and an example, in
/// `lang`.
pub fn explain(
    pack: &Pack,
    id: &str,
    lang: Language,
    out: &mut dyn Write,
) -> Result<(), ExplainError> {
    let l = explain_labels(lang);
    let sev = |s| crate::report::format::terminal::severity_label(s, lang);
    if let Some(r) = pack.rule(id) {
        writeln!(out, "{} {} ({})", l.rule, r.id, r.file)?;
        writeln!(
            out,
            "concept: {}  {}: {:?}  {}: {:?}",
            r.concept, l.kind, r.kind, l.scope, r.scope
        )?;
        if let Some((c, p)) = r.severity {
            writeln!(
                out,
                "{}: {} {}, {} {}",
                l.severity,
                l.client,
                sev(c),
                l.provider,
                sev(p)
            )?;
        }
        writeln!(out, "\n{}", r.message.get(lang))?;
        if let Some(c) = pack.concept(&r.concept) {
            writeln!(out, "\n{}", c.why.get(lang))?;
        }
        if let Some(rec) = &r.recommendation {
            writeln!(out, "\n{}: {}", l.recommendation, rec.get(lang))?;
        }
        if !r.references.is_empty() {
            writeln!(out, "\n{}: {}", l.references, r.references.join(" · "))?;
        }
        if let Some(ex) = r.must_match.first() {
            writeln!(out, "\n{}:\n  {ex}", l.fires)?;
        }
        if let Some(ex) = r.must_not_match.first() {
            writeln!(out, "{}:\n  {ex}", l.does_not)?;
        }
        return Ok(());
    }
    if let Some(c) = pack.concept(id) {
        writeln!(
            out,
            "concept {} ({:?}): {}",
            c.id,
            c.kind,
            c.title.get(lang)
        )?;
        writeln!(out, "\n{}", c.why.get(lang))?;
        if !c.references.is_empty() {
            writeln!(out, "\n{}: {}", l.references, c.references.join(" · "))?;
        }
        let rules: Vec<_> = pack.rules.iter().filter(|r| r.concept == c.id).collect();
        if crate::assess::PORTFOLIO_CONCEPTS.contains(&c.id.as_str()) {
            writeln!(out, "\n{}", l.portfolio)?;
        } else if rules.is_empty() {
            writeln!(out, "\n{}", l.no_rule)?;
        } else {
            writeln!(
                out,
                "\n{}: {}",
                l.rules,
                rules
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
            if let Some(ex) = rules.iter().find_map(|r| r.must_match.first()) {
                writeln!(out, "\n{}:\n  {ex}", l.example)?;
            }
        }
        return Ok(());
    }
    Err(ExplainError::Unknown(id.to_string()))
}

/// The words of `vigie explain` in one language (rule and concept text come from the packs).
struct ExplainLabels {
    rule: &'static str,
    kind: &'static str,
    scope: &'static str,
    severity: &'static str,
    client: &'static str,
    provider: &'static str,
    recommendation: &'static str,
    references: &'static str,
    fires: &'static str,
    does_not: &'static str,
    portfolio: &'static str,
    no_rule: &'static str,
    rules: &'static str,
    example: &'static str,
}

fn explain_labels(lang: Language) -> ExplainLabels {
    match lang {
        Language::Fr => ExplainLabels {
            rule: "règle",
            kind: "nature",
            scope: "portée",
            severity: "gravité",
            client: "client",
            provider: "prestataire",
            recommendation: "recommandation",
            references: "références",
            fires: "exemple qui la déclenche",
            does_not: "exemple qui ne la déclenche pas",
            portfolio: "relevé par les contrôles de portefeuille entre les documents d'un même dossier (docs/risk-model.md, « Portfolio checks »)",
            no_rule: "aucune règle chargée ne le relève encore",
            rules: "règles",
            example: "exemple",
        },
        _ => ExplainLabels {
            rule: "rule",
            kind: "kind",
            scope: "scope",
            severity: "severity",
            client: "client",
            provider: "provider",
            recommendation: "recommendation",
            references: "references",
            fires: "example that fires it",
            does_not: "example that does not",
            portfolio: "reported by the portfolio checks across the documents of one folder (see docs/risk-model.md, \"Portfolio checks\")",
            no_rule: "no loaded rule reports it yet",
            rules: "rules",
            example: "example",
        },
    }
}

/// One line per clause, indented by level: number, heading, byte span in the text, page.
pub fn write_clause_tree(seg: &Segmented, out: &mut dyn Write) -> io::Result<()> {
    for c in &seg.clauses {
        writeln!(
            out,
            "{}{}\t{}\t{}..{}\tp. {}",
            "  ".repeat(c.level as usize),
            c.number.as_deref().unwrap_or("-"),
            c.heading.as_deref().unwrap_or(""),
            c.span.start,
            c.span.end,
            c.page.map_or("-".to_string(), |p| p.to_string()),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(write: impl FnOnce(&mut dyn Write) -> Result<(), ExplainError>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rule_list_has_one_line_and_one_json_entry_per_rule() {
        let pack = Pack::builtin().unwrap();
        let table = text(|o| Ok(write_rule_table(&pack, o)?));
        assert_eq!(table.lines().count(), pack.rules.len());
        assert!(table.lines().next().unwrap().starts_with(&pack.rules[0].id));
        let json: serde_json::Value =
            serde_json::from_str(&text(|o| Ok(write_rule_json(&pack, o)?))).unwrap();
        let list = json.as_array().unwrap();
        assert_eq!(list.len(), pack.rules.len());
        assert_eq!(list[0]["id"], pack.rules[0].id.as_str());
    }

    #[test]
    fn explain_tells_a_rule_a_concept_or_that_the_id_is_unknown() {
        let pack = Pack::builtin().unwrap();
        let rule = &pack.rules[0];
        let about_rule = text(|o| explain(&pack, &rule.id, Language::En, o));
        assert!(about_rule.starts_with(&format!("rule {} ({})", rule.id, rule.file)));
        let about_concept = text(|o| explain(&pack, &rule.concept, Language::En, o));
        assert!(about_concept.starts_with(&format!("concept {} (", rule.concept)));
        assert!(about_concept.contains(&rule.id), "{about_concept}");
        let err = explain(&pack, "no.such_id", Language::En, &mut Vec::new()).unwrap_err();
        assert!(matches!(err, ExplainError::Unknown(_)));
        assert!(
            err.to_string().starts_with("`no.such_id` is neither"),
            "{err}"
        );
    }

    #[test]
    fn clause_tree_indents_children_and_gives_spans() {
        let doc = "Article 1 – Objet\nTexte.\n\n1.1 Détail\nTexte encore.\n";
        let seg = crate::segment::segment(doc, &[]);
        let mut out = Vec::new();
        write_clause_tree(&seg, &mut out).unwrap();
        let tree = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = tree.lines().collect();
        assert_eq!(lines.len(), seg.clauses.len());
        assert!(lines[0].starts_with("1\tObjet\t0.."), "{tree}");
        assert!(lines[0].ends_with("\tp. -"), "{tree}");
        assert!(lines.iter().any(|l| l.starts_with("  1.1\t")), "{tree}");
    }
}
