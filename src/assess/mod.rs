//! Turns a document's findings into its residual risk per scenario, and checks the documents
//! of one folder against each other (portfolio), because a risk is what is left once the
//! clauses that lower it are counted, and a policy's condition is only met if a contract
//! of the same client meets it.
//!
//! The model is written down in docs/risk-model.md ("Residual risk"): each scenario has an inherent
//! level for the document types it concerns; every distinct mitigating fact lowers it one
//! step (never below `low`); every finding of the scenario's family sets a floor at its own
//! severity for the report's perspective.

use crate::engine::values;
use crate::model::{
    DocType, Document, Item, Kind, Language, Location, Perspective, PerspectiveSeverity,
    ResidualRisk, RiskLevel, ScenarioRisk, Severity, Status, Text, Value,
};
use crate::normalize::fold;
use crate::rules::concepts::family_of;
use crate::rules::Pack;

/// One risk scenario of the model.
struct Scenario {
    id: &'static str,
    family: &'static str,
    title: Text<&'static str>,
    /// Document types the scenario concerns even when nothing was found.
    doc_types: &'static [DocType],
    inherent: RiskLevel,
    /// Facts and mitigations that lower the scenario, per perspective.
    lowers_client: &'static [&'static str],
    lowers_provider: &'static [&'static str],
    /// Facts that raise the scenario one step for the client (a cap is a fact, not a
    /// finding, but it is the client's exposure).
    raises_client: &'static [&'static str],
}

const IT: &[DocType] = &[DocType::ItServices, DocType::Dpa];
const BACKUP_MEASURES: &[&str] = &[
    "bk.provider_obligation",
    "bk.offsite",
    "bk.offline_immutable",
    "bk.restore_test",
];

const SCENARIOS: [Scenario; 5] = [
    Scenario {
        id: "data_loss",
        family: "bk",
        title: Text {
            en: "Data lost to ransomware",
            fr: "Données perdues après un rançongiciel",
        },
        doc_types: &[DocType::ItServices],
        inherent: RiskLevel::Medium,
        lowers_client: BACKUP_MEASURES,
        lowers_provider: BACKUP_MEASURES,
        raises_client: &[],
    },
    Scenario {
        id: "force_majeure",
        family: "fm",
        title: Text {
            en: "Provider invokes force majeure after an attack",
            fr: "Le prestataire invoque la force majeure après une attaque",
        },
        doc_types: IT,
        inherent: RiskLevel::Low,
        lowers_client: &["fm.cyber_excluded"],
        lowers_provider: &["fm.cyber_excluded"],
        raises_client: &[],
    },
    Scenario {
        id: "late_notice",
        family: "inc",
        title: Text {
            en: "Incident notified too late to complain within 72 hours",
            fr: "Incident notifié trop tard pour porter plainte sous 72 heures",
        },
        doc_types: IT,
        inherent: RiskLevel::Medium,
        lowers_client: &["inc.notification"],
        lowers_provider: &["inc.notification"],
        raises_client: &[],
    },
    Scenario {
        id: "liability",
        family: "lb",
        title: Text {
            en: "Provider liability excluded or capped below the loss",
            fr: "Responsabilité du prestataire exclue ou plafonnée sous le dommage",
        },
        doc_types: IT,
        // Uncapped liability is the provider's exposure; for the client the risk starts
        // when a cap or an exclusion appears.
        inherent: RiskLevel::Medium,
        lowers_client: &[],
        lowers_provider: &["lb.cap"],
        raises_client: &["lb.cap"],
    },
    Scenario {
        id: "cover_lost",
        family: "ins",
        title: Text {
            en: "Cyber cover lost under the insurance policy",
            fr: "Garantie cyber perdue au titre de la police",
        },
        doc_types: &[DocType::InsuranceCyber],
        inherent: RiskLevel::Medium,
        lowers_client: &["ins.complaint_72h"],
        lowers_provider: &["ins.complaint_72h"],
        raises_client: &[],
    },
];

/// Residual risk of one analyzed document for the report's perspective.
pub(crate) fn residual(
    doc_type: DocType,
    facts: &[Item],
    findings: &[Item],
    mitigations: &[Item],
    pack: &Pack,
    perspective: Perspective,
    lang: Language,
) -> ResidualRisk {
    let lowering: Vec<&Item> = facts.iter().chain(mitigations).collect();
    let mut scenarios = Vec::new();
    let mut reasons = Vec::new();
    for sc in &SCENARIOS {
        let raising: Vec<&Item> = findings
            .iter()
            .filter(|f| family_of(&f.concept) == sc.family && f.severity.is_some())
            .collect();
        let concerned = sc.doc_types.contains(&doc_type);
        if !concerned && raising.is_empty() {
            continue;
        }
        let lowers = match perspective {
            Perspective::Client => sc.lowers_client,
            Perspective::Provider => sc.lowers_provider,
        };
        let lowered_by: Vec<&Item> = lowers
            .iter()
            .filter_map(|c| lowering.iter().copied().find(|i| i.concept == *c))
            .collect();
        let inherent = match (concerned, perspective, sc.raises_client.is_empty()) {
            (false, _, _) => RiskLevel::None,
            (true, Perspective::Client, false) => RiskLevel::Low,
            (true, _, _) => sc.inherent,
        };
        let raised_by: Vec<&Item> = match perspective {
            Perspective::Client => sc
                .raises_client
                .iter()
                .filter_map(|c| lowering.iter().copied().find(|i| i.concept == *c))
                .collect(),
            Perspective::Provider => Vec::new(),
        };
        let floor = raising
            .iter()
            .filter_map(|f| f.severity)
            .map(to_level)
            .max()
            .unwrap_or(RiskLevel::None);
        let level = step_up(step_down(inherent, lowered_by.len()), raised_by.len()).max(floor);
        let raising: Vec<&Item> = raising.into_iter().chain(raised_by).collect();
        reasons.push((
            level,
            scenario_reason(sc, inherent, level, &raising, &lowered_by, pack, lang),
        ));
        scenarios.push(ScenarioRisk {
            id: sc.id.into(),
            family: sc.family.into(),
            title: sc.title.get(lang).into(),
            inherent,
            residual: level,
            aggravating: concept_ids(&raising),
            mitigating: concept_ids(&lowered_by),
        });
    }
    let level = scenarios
        .iter()
        .map(|s| s.residual)
        .max()
        .unwrap_or(RiskLevel::None);
    // Most severe scenario first, so the first reason explains the level.
    reasons.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ResidualRisk {
        level,
        reasons: reasons.into_iter().map(|(_, r)| r).collect(),
        scenarios,
    }
}

fn concept_ids(items: &[&Item]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|i| i.concept.clone()).collect();
    v.sort();
    v.dedup();
    v
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

/// One step lower per mitigation; a scenario that applies never drops below `low`.
fn step_down(level: RiskLevel, steps: usize) -> RiskLevel {
    let ladder = [
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
        RiskLevel::Critical,
    ];
    match ladder.iter().position(|l| *l == level) {
        Some(i) => ladder[i.saturating_sub(steps)],
        None => level,
    }
}

/// One step higher per aggravating fact, up to `high` (`critical` is for findings).
fn step_up(level: RiskLevel, steps: usize) -> RiskLevel {
    let ladder = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];
    match ladder.iter().position(|l| *l == level) {
        Some(i) => ladder[(i + steps).min(ladder.len() - 1)],
        None => level,
    }
}

fn level_name(l: RiskLevel, lang: Language) -> &'static str {
    l.label().into_lang(lang)
}

/// "Data lost to ransomware: high (inherent medium); raised by Backups left to the client
/// (clause 7.2); lowered by The provider backs up the data (clause 5.1)."
fn scenario_reason(
    sc: &Scenario,
    inherent: RiskLevel,
    level: RiskLevel,
    raising: &[&Item],
    lowering: &[&Item],
    pack: &Pack,
    lang: Language,
) -> String {
    let list = |items: &[&Item]| {
        let mut v: Vec<String> = items.iter().map(|i| cited(i, pack, lang)).collect();
        v.sort();
        v.dedup();
        v.join(", ")
    };
    const COLON: Text<&str> = Text {
        en: ": ",
        fr: " : ",
    };
    const INHERENT: Text<&str> = Text {
        en: "inherent",
        fr: "risque initial",
    };
    const RAISED: Text<&str> = Text {
        en: "; raised by ",
        fr: " ; aggravé par : ",
    };
    const LOWERED: Text<&str> = Text {
        en: "; lowered by ",
        fr: " ; atténué par : ",
    };
    const UNLOWERED: Text<&str> = Text {
        en: "; nothing in the document lowers it",
        fr: " ; rien dans le document ne l'atténue",
    };
    let mut s = format!(
        "{}{}{} ({} {})",
        sc.title.get(lang),
        COLON.get(lang),
        level_name(level, lang),
        INHERENT.get(lang),
        level_name(inherent, lang)
    );
    if !raising.is_empty() {
        s.push_str(RAISED.get(lang));
        s.push_str(&list(raising));
    }
    if !lowering.is_empty() {
        s.push_str(LOWERED.get(lang));
        s.push_str(&list(lowering));
    }
    if raising.is_empty() && lowering.is_empty() {
        s.push_str(UNLOWERED.get(lang));
    }
    s.push('.');
    s
}

/// A concept's title, its value and where it was found: "No RPO (clause 5.3, p. 4)",
/// "Liability cap: fees:12M (clause 9.1)".
fn cited(i: &Item, pack: &Pack, lang: Language) -> String {
    let title = pack
        .concept(&i.concept)
        .map_or(i.concept.clone(), |c| c.title.get(lang).to_string());
    let sev = i
        .severity
        .map(|s| format!(" [{}]", s.as_str()))
        .unwrap_or_default();
    // A valued fact says how much: "Liability cap: fees:12M", not only that there is one.
    let value = i
        .value
        .as_ref()
        .map(|v| format!(": {v}"))
        .unwrap_or_default();
    match &i.location {
        Some(l) => format!("{title}{value}{sev} ({})", place(l, lang)),
        None => format!("{title}{value}{sev}"),
    }
}

fn place(l: &Location, lang: Language) -> String {
    let line = Text {
        en: "line",
        fr: "ligne",
    }
    .into_lang(lang);
    match (&l.clause, l.page) {
        (Some(c), Some(p)) => format!("clause {c}, p. {p}"),
        (Some(c), None) => format!("clause {c}"),
        (None, Some(p)) => format!("p. {p}, {line} {}", l.line),
        (None, None) => format!("{line} {}", l.line),
    }
}

/// The cross-document concepts the portfolio checks can report.
pub const PORTFOLIO_CONCEPTS: [&str; 3] = [
    "x.insurance_backup_gap",
    "x.notification_mismatch",
    "x.notification_vs_complaint",
];

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
    /// How documents are grouped, or no cross-document checks.
    pub mode: PortfolioMode,
    /// Whose risk the findings' severity weighs.
    pub perspective: Perspective,
    /// Language of messages and recommendations.
    pub report_language: Language,
}

/// The portfolio a document belongs to: its parent folder ("" for a bare file name).
pub(crate) fn portfolio_key(path: &str) -> &str {
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
pub(crate) fn assess_folder(docs: &[&Document], pack: &Pack, opts: &PortfolioOptions) -> Vec<Item> {
    let mut docs: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| d.status == Status::Ok)
        .collect();
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    let policies: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| {
            matches!(
                d.doc_type,
                Some(DocType::InsuranceCyber | DocType::InsuranceOther)
            )
        })
        .collect();
    let contracts: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| matches!(d.doc_type, Some(DocType::ItServices | DocType::Dpa)))
        .collect();
    // A contract silent on backups matters only when no contract of the folder speaks of them:
    // a workstation maintenance contract is not where a hosting client's backups are agreed.
    let backups_agreed = contracts
        .iter()
        .any(|c| has(c, "bk.provider_obligation") || has(c, "bk.client_responsibility"));
    let mut out = Vec::new();
    for p in &policies {
        for c in &contracts {
            out.extend(insurance_backup_gap(p, c, backups_agreed, pack, opts));
            out.extend(notification_vs_complaint(p, c, opts));
        }
    }
    // Two contracts with two providers each keep their own clock; a DPA and a contract it
    // completes set one clock twice, and only that pair is a conflict.
    let dpas = contracts
        .iter()
        .filter(|d| d.doc_type == Some(DocType::Dpa));
    for dpa in dpas {
        for c in contracts
            .iter()
            .filter(|d| d.doc_type == Some(DocType::ItServices))
        {
            // A DPA of another provider sets another provider's clock: no conflict.
            if !crate::classify::parties::different_providers(&dpa.parties, &c.parties) {
                out.extend(notification_mismatch(dpa, c, opts));
            }
        }
    }
    out.sort_by(|a, b| {
        a.documents
            .cmp(&b.documents)
            .then_with(|| a.concept.cmp(&b.concept))
    });
    out
}

/// A document as a message names it: its file name, since both documents of a cross-document
/// finding sit in one folder and the full paths are in `documents`.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn has(d: &Document, concept: &str) -> bool {
    d.items().any(|i| i.concept == concept)
}

fn first<'a>(d: &'a Document, concept: &str) -> Option<&'a Item> {
    d.items().find(|i| i.concept == concept)
}

/// The first item of a concept that states a value (a document may mention incident
/// notification in several clauses, only one of which gives the delay).
fn valued<'a>(d: &'a Document, concept: &str) -> Option<&'a Item> {
    d.items()
        .find(|i| i.concept == concept && i.value.is_some())
        .or_else(|| first(d, concept))
}

struct CrossFinding<'a> {
    concept: &'static str,
    rule: &'static str,
    severity: PerspectiveSeverity,
    /// The document whose clause the location and excerpt point into; listed first.
    anchor: &'a Document,
    evidence: Option<&'a Item>,
    other: &'a Document,
    message: Text,
    recommendation: Text,
    references: &'static [&'static str],
}

fn cross_item(f: CrossFinding, opts: &PortfolioOptions) -> Item {
    let severity = match opts.perspective {
        Perspective::Client => f.severity.client,
        Perspective::Provider => f.severity.provider,
    };
    Item {
        concept: f.concept.into(),
        rule: f.rule.into(),
        kind: Kind::Finding,
        severity: Some(severity),
        value: None,
        value_note: None,
        location: f.evidence.and_then(|e| e.location.clone()),
        excerpt: f.evidence.and_then(|e| e.excerpt.clone()),
        evidence: f.evidence.and_then(|e| e.evidence.clone()),
        message: f.message.into_lang(opts.report_language),
        references: f.references.iter().map(|s| s.to_string()).collect(),
        recommendation: Some(f.recommendation.into_lang(opts.report_language)),
        documents: vec![f.anchor.path.clone(), f.other.path.clone()],
        fingerprint: None,
        suppression: None,
        severity_by_perspective: Some(f.severity),
    }
}

/// What an insurance condition asks of backups, read from its wording.
#[derive(Debug, Default, PartialEq, Eq)]
struct BackupCondition {
    backups: bool,
    offline: bool,
    /// The most frequent backup interval the condition asks for, in hours.
    every_hours: Option<u64>,
}

/// The term sets of the insurance pack that say what a backup condition asks: backups at
/// all, and an offline or immutable copy.
const BACKUP_TERMS: &str = "insurance:condition_backups";
const OFFLINE_TERMS: &str = "insurance:condition_offline";

fn backup_condition(excerpt: &str, pack: &Pack) -> BackupCondition {
    let t = fold(excerpt);
    // The rules' own matcher: whole words, prefixes where the pack marks them.
    let hits = crate::engine::read(pack, &t).hits;
    let any = |set: &str| pack.term_set(set).is_some_and(|s| !hits[s].is_empty());
    let backups = any(BACKUP_TERMS);
    let offline = any(OFFLINE_TERMS);
    let every_hours = if backups {
        values::durations(&t)
            .into_iter()
            .filter_map(|d| d.duration.hours())
            .filter(|h| *h > 0)
            .min()
    } else {
        None
    };
    BackupCondition {
        backups,
        offline,
        every_hours,
    }
}

/// A delay for a sentence: "24 hours", "3 days", "no time bound".
fn delay_text(v: &Value, lang: Language) -> String {
    const HOURS: Text<&str> = Text {
        en: "hours",
        fr: "heures",
    };
    const DAYS: Text<&str> = Text {
        en: "days",
        fr: "jours",
    };
    const UNBOUNDED: Text<&str> = Text {
        en: "no time bound",
        fr: "aucun délai borné",
    };
    const IMMEDIATELY: Text<&str> = Text {
        en: "immediately",
        fr: "immédiatement",
    };
    match v.whole_hours() {
        _ if *v == Value::Unbounded => UNBOUNDED.get(lang).to_string(),
        Some(0) => IMMEDIATELY.get(lang).to_string(),
        Some(h) if h >= 48 && h % 24 == 0 => format!("{} {}", h / 24, DAYS.get(lang)),
        Some(h) => format!("{h} {}", HOURS.get(lang)),
        None => v.to_string(),
    }
}

/// `x.insurance_backup_gap`: the policy conditions cover on backups that the contract does
/// not guarantee.
fn insurance_backup_gap<'a>(
    policy: &'a Document,
    contract: &'a Document,
    backups_agreed: bool,
    pack: &Pack,
    opts: &PortfolioOptions,
) -> Option<Item> {
    if contract.doc_type != Some(DocType::ItServices) {
        return None;
    }
    let silent =
        !has(contract, "bk.provider_obligation") && !has(contract, "bk.client_responsibility");
    if silent && backups_agreed {
        return None;
    }
    let (cond_item, cond) = policy
        .items()
        .filter(|i| i.concept == "ins.security_condition")
        .map(|i| {
            (
                i,
                backup_condition(i.excerpt.as_deref().unwrap_or(""), pack),
            )
        })
        .find(|(_, c)| c.backups)?;
    let gaps = backup_gaps(&cond, contract);
    if gaps.is_empty() {
        return None;
    }
    let en: Vec<&str> = gaps.iter().map(|g| g.en.as_str()).collect();
    let fr: Vec<&str> = gaps.iter().map(|g| g.fr.as_str()).collect();
    Some(cross_item(
        CrossFinding {
            concept: "x.insurance_backup_gap",
            rule: "x-insurance-backup-gap",
            severity: PerspectiveSeverity {
                client: Severity::High,
                provider: Severity::Medium,
            },
            anchor: policy,
            evidence: Some(cond_item),
            other: contract,
            message: Text {
                en: format!(
                    "{} makes cover conditional on backups, but {} {}: after a ransomware attack the insurer may refuse cover and the provider may dispute that it owed the missing measure.",
                    file_name(&policy.path), file_name(&contract.path), en.join("; ")
                ),
                fr: format!(
                    "{} subordonne la garantie à des sauvegardes, mais {} {} : après un rançongiciel, l'assureur peut refuser sa garantie et le prestataire contester avoir dû la mesure manquante.",
                    file_name(&policy.path), file_name(&contract.path), fr.join(" ; ")
                ),
            },
            recommendation: Text {
                en: "Align the IT contract with the policy: the provider undertakes, as an obligation of result, the backups the policy requires (frequency, offline or immutable copy, restore tests), or the client documents how it meets the condition itself.".into(),
                fr: "Aligner le contrat informatique sur la police : le prestataire s'engage, par une obligation de résultat, aux sauvegardes exigées par la police (fréquence, copie hors ligne ou immuable, tests de restauration), ou le client documente comment il remplit lui-même la condition.".into(),
            },
            references: &[
                "C. assur., art. L. 113-1",
                "C. assur., art. L. 112-4",
                "C. civ., art. 1231-1",
            ],
        },
        opts,
    ))
}

/// What the contract fails to guarantee of a backup condition.
fn backup_gaps(cond: &BackupCondition, c: &Document) -> Vec<Text> {
    let mut gaps = Vec::new();
    let owed = has(c, "bk.provider_obligation");
    if has(c, "bk.client_responsibility") {
        gaps.push(Text {
            en: "leaves backups to the client".into(),
            fr: "laisse les sauvegardes au client".into(),
        });
    } else if !owed {
        gaps.push(Text {
            en: "says nothing of backups".into(),
            fr: "ne dit rien des sauvegardes".into(),
        });
    }
    if has(c, "bk.best_efforts") {
        gaps.push(Text {
            en: "owes backups only as best efforts".into(),
            fr: "ne doit les sauvegardes qu'au titre d'une obligation de moyens".into(),
        });
    }
    if cond.offline && owed && !has(c, "bk.offline_immutable") {
        gaps.push(Text {
            en: "requires no offline or immutable copy".into(),
            fr: "n'exige aucune copie hors ligne ou immuable".into(),
        });
    }
    let every = valued(c, "bk.frequency")
        .and_then(|i| i.value.as_ref())
        .and_then(Value::whole_hours);
    match (cond.every_hours, every) {
        (Some(need), None) if owed => gaps.push(Text {
            en: format!("states no backup frequency where the policy asks every {need} hours"),
            fr: format!("ne fixe aucune fréquence de sauvegarde quand la police exige toutes les {need} heures"),
        }),
        (Some(need), Some(got)) if got > need => gaps.push(Text {
            en: format!("backs up every {got} hours where the policy asks every {need}"),
            fr: format!("sauvegarde toutes les {got} heures quand la police exige toutes les {need}"),
        }),
        _ => {}
    }
    gaps
}

/// The complaint delay a policy gives the insured, in hours, and whether the policy states
/// it or is French (so C. assur., art. L. 12-10-1 surely binds it). Another cyber policy
/// gets the statute's 72 hours too, since it binds any risk located in France, but the
/// finding is then weaker: where the risk lies decides.
fn complaint_hours(policy: &Document) -> Option<(u64, bool)> {
    let stated = valued(policy, "ins.complaint_other_delay")
        .and_then(|i| i.value.as_ref())
        .and_then(Value::whole_hours);
    if let Some(h) = stated {
        return Some((h, true));
    }
    let cyber = policy.doc_type == Some(DocType::InsuranceCyber) || has(policy, "ins.cyber_cover");
    let french_law = policy.language == Some(Language::Fr) || has(policy, "ins.complaint_72h");
    cyber.then_some((72, french_law))
}

/// `x.notification_vs_complaint`: the contract lets the provider tell the client of an
/// incident later than the insured must file its complaint.
fn notification_vs_complaint<'a>(
    policy: &'a Document,
    contract: &'a Document,
    opts: &PortfolioOptions,
) -> Option<Item> {
    let (limit, binding) = complaint_hours(policy)?;
    let notice = valued(contract, "inc.notification");
    let delay = notice.and_then(|i| i.value.as_ref());
    let hours = delay.and_then(Value::whole_hours);
    // A contract with no notification duty at all has no delay to compare: its own finding
    // (`inc.notification.missing`) says so, and the concept is a comparison of delays.
    let (en, fr) = match (notice, delay, hours) {
        (Some(_), Some(Value::Unbounded), _) => (
            "lets the provider notify incidents with no time bound".to_string(),
            "permet au prestataire de notifier les incidents sans délai borné".to_string(),
        ),
        (Some(_), Some(v), Some(h)) if h > limit => (
            format!(
                "lets the provider notify incidents within {}",
                delay_text(v, Language::En)
            ),
            format!(
                "permet au prestataire de notifier les incidents dans un délai de {}",
                delay_text(v, Language::Fr)
            ),
        ),
        _ => return None,
    };
    let evidence = notice.or_else(|| first(contract, "inc.notification.slow"));
    Some(cross_item(
        CrossFinding {
            concept: "x.notification_vs_complaint",
            rule: "x-notification-vs-complaint",
            severity: PerspectiveSeverity {
                client: if binding {
                    Severity::High
                } else {
                    Severity::Medium
                },
                provider: if binding {
                    Severity::Medium
                } else {
                    Severity::Low
                },
            },
            anchor: contract,
            evidence,
            other: policy,
            message: Text {
                en: format!(
                    "{} {}, while {} requires a criminal complaint within {limit} hours of knowledge of the attack: the client may learn of it too late to keep its cyber cover.",
                    file_name(&contract.path), en, file_name(&policy.path)
                ),
                fr: format!(
                    "{} {}, alors que {} exige une plainte pénale dans les {limit} heures de la connaissance de l'atteinte : le client risque de l'apprendre trop tard pour conserver sa garantie cyber.",
                    file_name(&contract.path), fr, file_name(&policy.path)
                ),
            },
            recommendation: Text {
                en: "Require the provider to notify any security incident within 24 hours of becoming aware of it, with the facts the client needs for its complaint and its insurer.".into(),
                fr: "Imposer au prestataire de notifier tout incident de sécurité dans les 24 heures de sa connaissance, avec les éléments utiles à la plainte du client et à sa déclaration à l'assureur.".into(),
            },
            references: &[
                "C. assur., art. L. 12-10-1",
                "Règl. (UE) 2016/679 du 27 avr. 2016 (RGPD), art. 33",
            ],
        },
        opts,
    ))
}

/// `x.notification_mismatch`: a DPA and an IT contract of the folder set different
/// incident-notification delays.
fn notification_mismatch<'a>(
    a: &'a Document,
    b: &'a Document,
    opts: &PortfolioOptions,
) -> Option<Item> {
    let va = valued(a, "inc.notification")?;
    let vb = valued(b, "inc.notification")?;
    let (va_, vb_) = (va.value.as_ref()?, vb.value.as_ref()?);
    let same = va_ == vb_
        || matches!((va_.whole_hours(), vb_.whole_hours()), (Some(x), Some(y)) if x == y);
    if same {
        return None;
    }
    let (da, db) = (delay_text(va_, Language::En), delay_text(vb_, Language::En));
    let (fa, fb) = (delay_text(va_, Language::Fr), delay_text(vb_, Language::Fr));
    Some(cross_item(
        CrossFinding {
            concept: "x.notification_mismatch",
            rule: "x-notification-mismatch",
            severity: PerspectiveSeverity {
                client: Severity::Medium,
                provider: Severity::Low,
            },
            anchor: a,
            evidence: Some(va),
            other: b,
            message: Text {
                en: format!(
                    "{} gives {da} to notify an incident, {} {db}: which applies depends on the order of precedence between them, a dispute the client does not need after an attack.",
                    file_name(&a.path), file_name(&b.path)
                ),
                fr: format!(
                    "{} fixe pour notifier les incidents {fa}, {} {fb} : le délai applicable dépend de l'ordre de priorité entre les documents, un litige dont le client n'a pas besoin après une attaque.",
                    file_name(&a.path), file_name(&b.path)
                ),
            },
            recommendation: Text {
                en: "Use one notification delay in every document (the shortest), or state which document prevails for incident notification.".into(),
                fr: "Retenir un seul délai de notification dans tous les documents (le plus court), ou préciser quel document prévaut pour la notification des incidents.".into(),
            },
            references: &["Règl. (UE) 2016/679 du 27 avr. 2016 (RGPD), art. 28 et 33"],
        },
        opts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_of_report_values() {
        let h = |s: &str| Value::parse(s).whole_hours();
        assert_eq!(h("PT24H"), Some(24));
        assert_eq!(h("P1D"), Some(24));
        assert_eq!(h("P2W"), Some(336));
        assert_eq!(h("P1DT12H"), Some(36));
        assert_eq!(h("PT0S"), Some(0));
        assert_eq!(h("unbounded"), None);
        assert_eq!(h("P"), Some(0));
        assert_eq!(h("PX"), None);
        assert_eq!(h("PT30M"), Some(0), "minutes count no whole hour");
        assert_eq!(h("PT1.5H"), None, "a fraction is not read");
        assert_eq!(h("P3M"), Some(3 * 720));
        assert_eq!(h("fees:12M"), None);
    }

    #[test]
    fn backup_condition_reads_the_wording() {
        let pack = Pack::builtin().unwrap();
        let c = backup_condition(
            "La garantie n'est acquise que si l'Assuré réalise une sauvegarde quotidienne de ses données sur un support déconnecté.",
            &pack,
        );
        assert_eq!(
            c,
            BackupCondition {
                backups: true,
                offline: true,
                every_hours: Some(24)
            }
        );
        let mfa = backup_condition(
            "It is a condition precedent that multi-factor authentication is enabled.",
            &pack,
        );
        assert!(!mfa.backups && !mfa.offline);
    }

    #[test]
    fn delays_read_as_words() {
        let d = |s: &str, lang| delay_text(&Value::parse(s), lang);
        assert_eq!(d("PT24H", Language::En), "24 hours");
        assert_eq!(d("P5D", Language::Fr), "5 jours");
        assert_eq!(d("unbounded", Language::En), "no time bound");
        assert_eq!(d("PT0S", Language::Fr), "immédiatement");
        assert_eq!(d("PT1.5H", Language::En), "PT1.5H");
    }

    #[test]
    fn step_down_never_goes_below_low() {
        assert_eq!(step_down(RiskLevel::Medium, 1), RiskLevel::Low);
        assert_eq!(step_down(RiskLevel::Medium, 4), RiskLevel::Low);
        assert_eq!(step_down(RiskLevel::High, 1), RiskLevel::Medium);
        assert_eq!(step_down(RiskLevel::None, 2), RiskLevel::None);
        assert_eq!(step_up(RiskLevel::Low, 1), RiskLevel::Medium);
        assert_eq!(step_up(RiskLevel::Medium, 5), RiskLevel::High);
    }

    #[test]
    fn portfolio_key_is_the_parent_folder() {
        assert_eq!(portfolio_key("corpus/acme/contrat.md"), "corpus/acme");
        assert_eq!(portfolio_key("contrat.md"), "");
    }
}
