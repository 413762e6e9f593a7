//! Plain data shared by every stage: the report contract of `spec/report.md` as Rust types.
//!
//! Field names and enum spellings here are the stable JSON contract; extend, never rename.

use serde::{Deserialize, Serialize};

/// What a rule reports (concepts.md "Kinds").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Fact,
    Finding,
    Mitigation,
}

/// Severity of a finding, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Whose risk the report weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    #[default]
    Client,
    Provider,
}

impl Perspective {
    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Client => "client",
            Perspective::Provider => "provider",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Fr,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    ItServices,
    Dpa,
    InsuranceCyber,
    InsuranceOther,
    Other,
}

impl DocType {
    pub const ALL: [DocType; 5] = [
        DocType::ItServices,
        DocType::Dpa,
        DocType::InsuranceCyber,
        DocType::InsuranceOther,
        DocType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::ItServices => "it_services",
            DocType::Dpa => "dpa",
            DocType::InsuranceCyber => "insurance_cyber",
            DocType::InsuranceOther => "insurance_other",
            DocType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Residual level of a document; `Unknown` only for documents that could not be analyzed,
/// so that they never look clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    None,
    Low,
    Medium,
    High,
    Critical,
    Unknown,
}

impl RiskLevel {
    /// How much a reader should worry, for sorting: an unread document (`Unknown`) above
    /// everything, since it must never look clean.
    pub fn rank(self) -> u8 {
        match self {
            RiskLevel::Unknown => 5,
            RiskLevel::Critical => 4,
            RiskLevel::High => 3,
            RiskLevel::Medium => 2,
            RiskLevel::Low => 1,
            RiskLevel::None => 0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
            RiskLevel::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub page: Option<u32>,
    pub clause: Option<String>,
    pub heading: Option<String>,
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

/// One fact, finding or mitigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub concept: String,
    pub rule: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    pub value: Option<String>,
    /// Why a fact that carries a value has none ("redacted", "not_readable"): a cap is a
    /// cap even when its amount cannot be read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value_note: Option<String>,
    pub location: Option<Location>,
    pub excerpt: Option<String>,
    /// The words that made the rule fire, as they appear in `excerpt`, so a reader can
    /// highlight them within their sentence.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub evidence: Option<String>,
    pub message: String,
    pub references: Vec<String>,
    pub recommendation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub documents: Vec<String>,
    /// Stable identity of the finding across edits of the contract elsewhere (rule, concept,
    /// path relative to the scanned folder, normalized excerpt); set when the report is built.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fingerprint: Option<String>,
    /// Set when a baseline or a waiver accepts this finding: it is still reported, but no
    /// longer counts for `--fail-on`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suppression: Option<Suppression>,
    /// A finding's severity for each perspective, so a reader (the HTML report) can switch
    /// without a re-scan; `severity` is the one of the report's perspective.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub severity_by_perspective: Option<PerspectiveSeverity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerspectiveSeverity {
    pub client: Severity,
    pub provider: Severity,
}

/// Why a finding is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// `baseline` or `waiver`.
    pub kind: String,
    pub reason: Option<String>,
    pub author: Option<String>,
    /// ISO date (YYYY-MM-DD) after which a waiver stops hiding the finding.
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocError {
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidualRisk {
    pub level: RiskLevel,
    pub reasons: Vec<String>,
    /// The risk scenarios of the model in docs/risk-model.md, one per concept family that applies.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub scenarios: Vec<ScenarioRisk>,
}

/// One risk scenario of a document (ISO 27005 spirit): inherent level, what aggravates and
/// what lowers it, and the level that is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRisk {
    /// `data_loss`, `force_majeure`, `cover_lost`, `late_notice`, `liability`.
    pub id: String,
    /// The concept family the scenario reads: `bk`, `fm`, `ins`, `inc`, `lb`.
    pub family: String,
    pub title: String,
    pub inherent: RiskLevel,
    pub residual: RiskLevel,
    /// Concept ids of the findings that raise the scenario.
    pub aggravating: Vec<String>,
    /// Concept ids of the facts and mitigations that lower it.
    pub mitigating: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Error,
}

/// One input file and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub path: String,
    pub status: Status,
    pub error: Option<DocError>,
    pub sha256: String,
    pub format: Option<String>,
    pub extractor: Option<String>,
    pub language: Option<Language>,
    pub doc_type: Option<DocType>,
    pub pages: Option<u32>,
    pub bytes: u64,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
    /// The parties the preamble names, by role: cross-document checks compare providers.
    #[serde(
        skip_serializing_if = "crate::classify::parties::Parties::is_empty",
        default
    )]
    pub parties: crate::classify::parties::Parties,
    pub facts: Vec<Item>,
    pub findings: Vec<Item>,
    pub mitigations: Vec<Item>,
    pub residual_risk: ResidualRisk,
}

impl Document {
    /// All items of the document, facts first.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.facts
            .iter()
            .chain(self.findings.iter())
            .chain(self.mitigations.iter())
    }

    /// A document that could not be analyzed.
    pub fn failed(path: String, sha256: String, format: Option<String>, error: DocError) -> Self {
        let reason = format!("Not analyzed: {}", error.message);
        Document {
            path,
            status: Status::Error,
            error: Some(error),
            sha256,
            format,
            extractor: None,
            language: None,
            doc_type: None,
            pages: None,
            bytes: 0,
            warnings: Vec::new(),
            parties: crate::classify::parties::Parties::default(),
            facts: Vec::new(),
            findings: Vec::new(),
            mitigations: Vec::new(),
            residual_risk: ResidualRisk {
                level: RiskLevel::Unknown,
                reasons: vec![reason],
                scenarios: Vec::new(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    pub rules_version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn get(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub documents: usize,
    pub errors: usize,
    pub findings: SeverityCounts,
    /// Findings accepted by a baseline or a waiver (still counted in `findings`).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub suppressed: usize,
    /// Paths the scan met but did not analyze (listed in the report's `skipped`).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub skipped: usize,
    /// Of those, the ones that could not be read (a folder): they count like a document
    /// not analyzed for the exit status.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub unreadable: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A waiver past its `expires` date: it no longer hides anything, and says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiredWaiver {
    /// The waiver file and the line of the entry.
    pub file: String,
    pub line: usize,
    pub fingerprint: Option<String>,
    pub rule: Option<String>,
    /// The path glob of a rule waiver.
    pub path: Option<String>,
    pub reason: String,
    pub author: String,
    pub expires: String,
    /// Findings it would still hide: they count again for `--fail-on`.
    pub findings: usize,
}

/// Why a path the scan met was not analyzed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Its extension is not a document format (images, spreadsheets, `.msg`...).
    NotADocument,
    /// Its name starts with a dot (a hidden folder is listed once, not its content).
    Hidden,
    /// A `.vigieignore` pattern matches it.
    Ignored,
    /// A FIFO, a socket or a device: reading it could block or never end.
    NotARegularFile,
    /// A folder that cannot be listed: what it holds is unknown.
    UnreadableFolder,
    /// A symbolic link to nothing.
    DanglingLink,
    /// A symbolic link leading back to a folder above it.
    LinkLoop,
    /// A report Vigie wrote (JSON, HTML, Markdown...), not a contract.
    VigieReport,
    /// Another path to a file analyzed under its first path (a symbolic link, the same
    /// folder given twice).
    SameFile,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NotADocument => "not_a_document",
            SkipReason::Hidden => "hidden",
            SkipReason::Ignored => "ignored",
            SkipReason::NotARegularFile => "not_a_regular_file",
            SkipReason::UnreadableFolder => "unreadable_folder",
            SkipReason::DanglingLink => "dangling_link",
            SkipReason::LinkLoop => "link_loop",
            SkipReason::VigieReport => "vigie_report",
            SkipReason::SameFile => "same_file",
        }
    }

    /// Whether the path may hold documents nobody read: it then counts like a document
    /// not analyzed for the exit status.
    pub fn is_unreadable(self) -> bool {
        self == SkipReason::UnreadableFolder
    }
}

/// A path the scan met and did not analyze.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
    /// The system's words, when there are some (permission denied, the loop's target...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
}

/// The whole report of one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub tool: Tool,
    pub perspective: Perspective,
    pub documents: Vec<Document>,
    pub portfolio: Vec<Item>,
    pub summary: Summary,
    /// Waivers past their date (`--waivers`), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub expired_waivers: Vec<ExpiredWaiver>,
    /// Paths the scan met and did not analyze, sorted by path: with `documents`, every
    /// path the walk met.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub skipped: Vec<Skipped>,
}
