//! Turns a document's findings into its residual risk, and checks the documents of one
//! folder against each other (portfolio), because a risk is what is left once the clauses
//! that lower it are counted.

use crate::concepts::family_of;
use crate::model::{Document, Item, Language, ResidualRisk, RiskLevel, Severity};
use crate::rules::Pack;

/// Residual level of one document: the most severe finding, one step lower when a
/// mitigation of the same family answers it (a mitigation never raises the level).
pub fn residual(
    findings: &[Item],
    mitigations: &[Item],
    pack: &Pack,
    lang: Language,
) -> ResidualRisk {
    let mut level = RiskLevel::None;
    let mut reasons = Vec::new();
    for f in findings {
        let Some(sev) = f.severity else { continue };
        let mitigated = mitigations
            .iter()
            .any(|m| family_of(&m.concept) == family_of(&f.concept));
        let l = lowered(to_level(sev), mitigated);
        if l > level {
            level = l;
        }
        if l > RiskLevel::None {
            reasons.push(reason(f, pack, lang, mitigated));
        }
    }
    reasons.sort();
    reasons.dedup();
    ResidualRisk { level, reasons }
}

fn to_level(s: Severity) -> RiskLevel {
    match s {
        Severity::Info => RiskLevel::None,
        Severity::Low => RiskLevel::Low,
        Severity::Medium => RiskLevel::Medium,
        Severity::High => RiskLevel::High,
        Severity::Critical => RiskLevel::Critical,
    }
}

fn lowered(l: RiskLevel, mitigated: bool) -> RiskLevel {
    if !mitigated {
        return l;
    }
    match l {
        RiskLevel::Critical => RiskLevel::High,
        RiskLevel::High => RiskLevel::Medium,
        RiskLevel::Medium => RiskLevel::Low,
        other => other,
    }
}

fn reason(f: &Item, pack: &Pack, lang: Language, mitigated: bool) -> String {
    let title = pack
        .concept(&f.concept)
        .map_or(f.concept.clone(), |c| c.title.get(lang).to_string());
    let sev = f.severity.map_or("", |s| s.as_str());
    let place = match (&f.location, lang) {
        (Some(l), Language::Fr) => match (&l.clause, l.page) {
            (Some(c), Some(p)) => format!(" (clause {c}, p. {p})"),
            (Some(c), None) => format!(" (clause {c})"),
            (None, _) => format!(" (ligne {})", l.line),
        },
        (Some(l), Language::En) => match (&l.clause, l.page) {
            (Some(c), Some(p)) => format!(" (clause {c}, p. {p})"),
            (Some(c), None) => format!(" (clause {c})"),
            (None, _) => format!(" (line {})", l.line),
        },
        (None, _) => String::new(),
    };
    let tail = match (mitigated, lang) {
        (true, Language::Fr) => " ; atténué par une autre clause",
        (true, Language::En) => "; lowered by a mitigating clause",
        (false, _) => "",
    };
    format!("[{sev}] {title}{place}{tail}.")
}

/// Cross-document findings (`x.*`) for the documents of one folder. The checks come with
/// the backup and insurance packs; with the force-majeure pack alone there is none.
pub fn assess_portfolio(docs: &[Document]) -> Vec<Item> {
    let _ = docs;
    Vec::new()
}
