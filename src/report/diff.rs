//! Two versions of one contract compared: which findings a redline adds or removes, and how
//! the residual risk moves, so a negotiator sees what the new draft changes.
//!
//! Findings are matched by rule, concept and normalized excerpt — not by position — so a
//! clause that only moved (renumbered, a paragraph added above) is neither added nor removed.

use crate::model::{Document, Item, Language, Perspective, RiskLevel};
use crate::report::baseline::normalize_excerpt;
use crate::report::format::terminal::{level_label, severity_label};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// What changed between two versions of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentDiff {
    /// The old version's path, as it was analyzed.
    pub old: String,
    /// The new version's path, as it was analyzed.
    pub new: String,
    /// Whose risk both versions were weighed for.
    pub perspective: Perspective,
    /// Findings of the new version that the old one did not have, in document order.
    pub added: Vec<Item>,
    /// Findings of the old version that the new one no longer has, in document order.
    pub removed: Vec<Item>,
    /// Findings found in both.
    pub unchanged: usize,
    /// The document's overall residual risk level in each version.
    pub residual: LevelChange,
    /// Every scenario of either version, old version's order first.
    pub scenarios: Vec<ScenarioChange>,
}

/// A risk level in the old version and in the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelChange {
    /// In the old version.
    pub before: RiskLevel,
    /// In the new version.
    pub after: RiskLevel,
}

/// A risk scenario's residual level in each version; `None` where it does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioChange {
    /// The scenario's id (`data_loss`, `force_majeure`, …; see
    /// [`ScenarioRisk`](crate::model::ScenarioRisk)).
    pub id: String,
    /// Its title, from the old version where the scenario applies to it, else the new one.
    pub title: String,
    /// Residual level in the old version; `None` where the scenario does not apply to it.
    pub before: Option<RiskLevel>,
    /// Residual level in the new version; `None` where the scenario does not apply to it.
    pub after: Option<RiskLevel>,
}

type Key = (String, String, String);

fn key(f: &Item) -> Key {
    (
        f.rule.clone(),
        f.concept.clone(),
        normalize_excerpt(f.excerpt.as_deref().unwrap_or("")),
    )
}

/// Compares the findings and residual risk of `old` and `new`, both analyzed with the same
/// pack and `perspective`. A finding repeated n times matches at most n times.
pub fn diff(old: &Document, new: &Document, perspective: Perspective) -> DocumentDiff {
    let mut pending: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (i, f) in old.findings.iter().enumerate() {
        pending.entry(key(f)).or_default().push(i);
    }
    let mut matched = vec![false; old.findings.len()];
    let mut added = Vec::new();
    for f in &new.findings {
        match pending.get_mut(&key(f)).and_then(|v| v.pop()) {
            Some(i) => matched[i] = true,
            None => added.push(f.clone()),
        }
    }
    let removed: Vec<Item> = old
        .findings
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(f, _)| f.clone())
        .collect();
    DocumentDiff {
        old: old.path.clone(),
        new: new.path.clone(),
        perspective,
        unchanged: matched.iter().filter(|m| **m).count(),
        added,
        removed,
        residual: LevelChange {
            before: old.residual_risk.level,
            after: new.residual_risk.level,
        },
        scenarios: scenarios(old, new),
    }
}

fn scenarios(old: &Document, new: &Document) -> Vec<ScenarioChange> {
    let mut out: Vec<ScenarioChange> = old
        .residual_risk
        .scenarios
        .iter()
        .map(|s| ScenarioChange {
            id: s.id.clone(),
            title: s.title.clone(),
            before: Some(s.residual),
            after: None,
        })
        .collect();
    for s in &new.residual_risk.scenarios {
        match out.iter_mut().find(|c| c.id == s.id) {
            Some(c) => c.after = Some(s.residual),
            None => out.push(ScenarioChange {
                id: s.id.clone(),
                title: s.title.clone(),
                before: None,
                after: Some(s.residual),
            }),
        }
    }
    out
}

/// The diff as one pretty JSON object.
pub fn write_json(d: &DocumentDiff, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, d)?;
    writeln!(out)
}

const TABLE_EXCERPT: usize = 70;

/// Residual risk before and after, by scenario, then the added and removed findings.
pub fn write_table(d: &DocumentDiff, out: &mut dyn Write) -> io::Result<()> {
    write_table_in(d, Language::En, out)
}

/// [`write_table`] with its own words in `lang` (messages are the packs').
pub fn write_table_in(d: &DocumentDiff, lang: Language, out: &mut dyn Write) -> io::Result<()> {
    let l = labels(lang);
    let level = |r: RiskLevel| level_label(r, lang);
    let perspective = match lang {
        Language::Fr => format!("point de vue {}", d.perspective.as_str()),
        _ => format!("{} perspective", d.perspective.as_str()),
    };
    writeln!(out, "{} → {} ({perspective})", d.old, d.new)?;
    writeln!(
        out,
        "{}: {} → {}",
        l.residual,
        level(d.residual.before),
        level(d.residual.after)
    )?;
    if !d.scenarios.is_empty() {
        let mut t = table([l.scenario, l.before, l.after]);
        let maybe = |r: Option<RiskLevel>| r.map_or("-", level);
        for s in &d.scenarios {
            t.add_row([
                format!("{} ({})", s.title, s.id),
                maybe(s.before).to_string(),
                maybe(s.after).to_string(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    for (label, sign, items) in [(l.added, "+", &d.added), (l.removed, "-", &d.removed)] {
        writeln!(out, "\n{label}: {}", items.len())?;
        if items.is_empty() {
            continue;
        }
        let mut t = table(["", l.severity, "concept", l.clause, l.excerpt]);
        for f in items.iter() {
            t.add_row([
                sign.to_string(),
                f.severity
                    .map_or("-", |s| severity_label(s, lang))
                    .to_string(),
                f.concept.clone(),
                f.location
                    .as_ref()
                    .and_then(|l| l.clause.clone())
                    .unwrap_or_else(|| l.document.into()),
                short(f.excerpt.as_deref().unwrap_or("")),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    writeln!(out, "\n{}: {}", l.unchanged, d.unchanged)
}

/// The diff table's own words in one language.
struct Labels {
    residual: &'static str,
    scenario: &'static str,
    before: &'static str,
    after: &'static str,
    added: &'static str,
    removed: &'static str,
    unchanged: &'static str,
    severity: &'static str,
    clause: &'static str,
    excerpt: &'static str,
    document: &'static str,
}

fn labels(lang: Language) -> Labels {
    match lang {
        Language::Fr => Labels {
            residual: "risque résiduel",
            scenario: "scénario",
            before: "avant",
            after: "après",
            added: "ajoutés",
            removed: "retirés",
            unchanged: "inchangés",
            severity: "gravité",
            clause: "clause",
            excerpt: "extrait",
            document: "(document)",
        },
        _ => Labels {
            residual: "residual risk",
            scenario: "scenario",
            before: "before",
            after: "after",
            added: "added",
            removed: "removed",
            unchanged: "unchanged",
            severity: "severity",
            clause: "clause",
            excerpt: "excerpt",
            document: "(document)",
        },
    }
}

fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120)
        .set_header(header);
    t
}

fn short(s: &str) -> String {
    if s.chars().count() <= TABLE_EXCERPT {
        return s.to_string();
    }
    let cut: String = s.chars().take(TABLE_EXCERPT).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, ResidualRisk, Status};

    fn finding(rule: &str, excerpt: &str) -> Item {
        Item {
            concept: format!("c.{rule}"),
            rule: rule.into(),
            kind: Kind::Finding,
            severity: None,
            value: None,
            value_note: None,
            location: None,
            excerpt: Some(excerpt.into()),
            evidence: None,
            message: String::new(),
            references: Vec::new(),
            recommendation: None,
            documents: Vec::new(),
            fingerprint: None,
            suppression: None,
            severity_by_perspective: None,
        }
    }

    fn doc(path: &str, findings: Vec<Item>) -> Document {
        let mut d = Document::failed(
            path.into(),
            String::new(),
            None,
            crate::model::DocError {
                kind: crate::model::ErrorKind::Crashed,
                message: "x".into(),
            },
        );
        d.status = Status::Ok;
        d.error = None;
        d.findings = findings;
        d.residual_risk = ResidualRisk {
            level: RiskLevel::High,
            reasons: Vec::new(),
            scenarios: Vec::new(),
        };
        d
    }

    #[test]
    fn matches_by_rule_and_normalized_excerpt_counting_repeats() {
        let old = doc(
            "v1",
            vec![
                finding("a", "Same  Text"),
                finding("a", "same text"),
                finding("b", "gone"),
            ],
        );
        let new = doc("v2", vec![finding("c", "new"), finding("a", "same text")]);
        let d = diff(&old, &new, Perspective::Client);
        assert_eq!(d.unchanged, 1);
        let rules = |v: &[Item]| v.iter().map(|f| f.rule.clone()).collect::<Vec<_>>();
        assert_eq!(rules(&d.added), ["c"]);
        assert_eq!(rules(&d.removed), ["a", "b"]);
    }
}
