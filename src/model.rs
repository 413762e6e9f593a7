//! Plain data shared by every stage: the report contract of `spec/report.md` as Rust types.
//!
//! Field names and enum spellings here are the stable JSON contract; extend, never rename.

use serde::{Deserialize, Serialize};

/// What a rule reports (concepts.md "Kinds").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Something the document states (a backup duty, a notification delay).
    Fact,
    /// A clause, or the lack of one, that leaves a risk; it has a severity.
    Finding,
    /// A clause that lowers a risk.
    Mitigation,
}

/// Severity of a finding, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The name the report writes: `critical`, `high`...
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The severity named by `as_str`.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The word for people in each report language: `high`, `élevé`.
    pub fn label(self) -> Text<&'static str> {
        let fr = match self {
            Severity::Critical => "critique",
            Severity::High => "élevé",
            Severity::Medium => "moyen",
            Severity::Low => "faible",
            Severity::Info => "info",
        };
        Text {
            en: self.as_str(),
            fr,
        }
    }
}

/// Whose risk the report weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// The client of the IT provider, the insured.
    #[default]
    Client,
    /// The IT provider.
    Provider,
}

impl Perspective {
    /// The name the report writes: `client` or `provider`.
    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Client => "client",
            Perspective::Provider => "provider",
        }
    }
}

/// A language of documents and of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// French.
    Fr,
    /// English.
    En,
}

impl Language {
    /// The ISO 639-1 code the report writes: `fr` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }
}

/// What kind of document a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// An IT services contract (hosting, managed services, maintenance, SaaS).
    ItServices,
    /// A data processing agreement (GDPR art. 28).
    Dpa,
    /// A cyber insurance policy.
    InsuranceCyber,
    /// Another insurance policy.
    InsuranceOther,
    /// Anything else.
    Other,
}

impl DocType {
    /// Every document type.
    pub const ALL: [DocType; 5] = [
        DocType::ItServices,
        DocType::Dpa,
        DocType::InsuranceCyber,
        DocType::InsuranceOther,
        DocType::Other,
    ];

    /// The name the report writes: `it_services`, `dpa`...
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::ItServices => "it_services",
            DocType::Dpa => "dpa",
            DocType::InsuranceCyber => "insurance_cyber",
            DocType::InsuranceOther => "insurance_other",
            DocType::Other => "other",
        }
    }

    /// The document type named by `as_str`.
    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Residual level of a document; `Unknown` only for documents that could not be analyzed,
/// so that they never look clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Nothing left.
    None,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
    /// The document could not be analyzed.
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

    /// The name the report writes: `none`, `low`... `unknown`.
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

    /// The word for people in each report language: `high`, `élevé`.
    pub fn label(self) -> Text<&'static str> {
        let fr = match self {
            RiskLevel::None => "nul",
            RiskLevel::Low => "faible",
            RiskLevel::Medium => "moyen",
            RiskLevel::High => "élevé",
            RiskLevel::Critical => "critique",
            RiskLevel::Unknown => "inconnu",
        };
        Text {
            en: self.as_str(),
            fr,
        }
    }
}

/// A text in the two report languages, translated when the report is rendered: concept
/// titles (`rules/concepts.toml`), the messages of cross-document findings, the words of
/// the Markdown report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Text<S = String> {
    /// The English text.
    pub en: S,
    /// The French text; an empty one falls back to the English.
    pub fr: S,
}

impl<S: AsRef<str>> Text<S> {
    /// The text in `lang` (English when the French is empty).
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Fr if !self.fr.as_ref().is_empty() => self.fr.as_ref(),
            _ => self.en.as_ref(),
        }
    }

    /// The text in `lang`, taken out (English when the French is empty).
    pub fn into_lang(self, lang: Language) -> S {
        match lang {
            Language::Fr if !self.fr.as_ref().is_empty() => self.fr,
            _ => self.en,
        }
    }
}

/// A unit of a duration, as ISO 8601 designates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// `S`, in the time part.
    Seconds,
    /// `M`, in the time part.
    Minutes,
    /// `H`, in the time part.
    Hours,
    /// `D`.
    Days,
    /// `W`.
    Weeks,
    /// `M`, in the date part.
    Months,
    /// `Y`.
    Years,
}

impl TimeUnit {
    const ALL: [TimeUnit; 7] = [
        TimeUnit::Seconds,
        TimeUnit::Minutes,
        TimeUnit::Hours,
        TimeUnit::Days,
        TimeUnit::Weeks,
        TimeUnit::Months,
        TimeUnit::Years,
    ];

    /// The ISO designator and whether it sits in the time part (after `T`).
    fn designator(self) -> (char, bool) {
        match self {
            TimeUnit::Seconds => ('S', true),
            TimeUnit::Minutes => ('M', true),
            TimeUnit::Hours => ('H', true),
            TimeUnit::Days => ('D', false),
            TimeUnit::Weeks => ('W', false),
            TimeUnit::Months => ('M', false),
            TimeUnit::Years => ('Y', false),
        }
    }

    /// The unit of an ISO designator in the time part or not.
    fn from_designator(designator: char, time: bool) -> Option<TimeUnit> {
        TimeUnit::ALL
            .into_iter()
            .find(|u| u.designator() == (designator, time))
    }

    /// Whole hours in one unit, the way the cross-document checks count: months of 30
    /// days, years of 365; minutes and seconds count no whole hour.
    fn hours(self) -> u64 {
        match self {
            TimeUnit::Seconds | TimeUnit::Minutes => 0,
            TimeUnit::Hours => 1,
            TimeUnit::Days => 24,
            TimeUnit::Weeks => 7 * 24,
            TimeUnit::Months => 30 * 24,
            TimeUnit::Years => 365 * 24,
        }
    }
}

/// A decimal number as the report writes it: digits, then optionally a dot and digits
/// ("12", "0.5", "1.5"). Kept as written so it reads back byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// The number written `s`, if it is digits with at most one dot between digits.
    pub fn parse(s: &str) -> Option<Decimal> {
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let ok = match s.split_once('.') {
            Some((int, frac)) => digits(int) && digits(frac),
            None => digits(s),
        };
        ok.then(|| Decimal(s.to_string()))
    }

    /// A whole number.
    pub fn whole(n: u64) -> Decimal {
        Decimal(n.to_string())
    }

    /// The value when it is written as a whole number ("12", not "1.5").
    pub fn as_whole(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Fees as a cap measures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fees {
    /// Fees paid over a number of months: `fees:12M`.
    Months(u32),
    /// Total fees paid under the contract, no period: `fees:total`.
    Total,
}

/// The value a fact states (a delay, a frequency, a cap), typed. The report writes it as
/// one string (`Display`), which reads back to the same value (`Value::parse`):
///
/// | variant | string |
/// |---|---|
/// | `Duration` | ISO 8601 with the unit as stated: `PT72H`, `P3D`, `P1.5M`, `PT0S` (immediately) |
/// | `Unbounded` | `unbounded` (no time bound: "without undue delay") |
/// | `Money` | `EUR 50000` (ISO currency code, whole units) |
/// | `Fees` | `fees:12M`, `fees:total` |
/// | `FeeMultiple` | `fees:12M*0.5`, `fees:total*2` |
/// | `Other` | any other string, kept as read (a report of another version) |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A bounded duration in one unit, as the contract states it.
    Duration {
        /// How many units.
        count: Decimal,
        /// The unit as stated (five days stay `P5D`, not `PT120H`).
        unit: TimeUnit,
    },
    /// An open-ended delay with no bound.
    Unbounded,
    /// An amount of money.
    Money {
        /// ISO 4217 code: `EUR`, `USD`.
        currency: String,
        /// Whole units (cents dropped).
        units: u64,
    },
    /// Fees paid over a period, or in total.
    Fees(Fees),
    /// A fraction or multiple of fees ("half the fees of the last twelve months").
    FeeMultiple {
        /// The fees multiplied.
        fees: Fees,
        /// The factor: `0.5`, `2`.
        factor: Decimal,
    },
    /// A string this version does not read as a value, kept as it was.
    Other(String),
}

impl Value {
    /// The value a report string writes; strings of no known form are kept as `Other`, so
    /// `Value::parse(s).to_string() == s` for every `s`.
    pub fn parse(s: &str) -> Value {
        Value::parse_known(s)
            .filter(|v| v.to_string() == s)
            .unwrap_or_else(|| Value::Other(s.to_string()))
    }

    fn parse_known(s: &str) -> Option<Value> {
        if s == "unbounded" {
            return Some(Value::Unbounded);
        }
        if let Some(rest) = s.strip_prefix('P') {
            let (time, rest) = match rest.strip_prefix('T') {
                Some(r) => (true, r),
                None => (false, rest),
            };
            let designator = rest.chars().next_back()?;
            let count = Decimal::parse(&rest[..rest.len() - designator.len_utf8()])?;
            let unit = TimeUnit::from_designator(designator, time)?;
            return Some(Value::Duration { count, unit });
        }
        if let Some(rest) = s.strip_prefix("fees:") {
            let (fees, factor) = match rest.split_once('*') {
                Some((f, x)) => (f, Some(Decimal::parse(x)?)),
                None => (rest, None),
            };
            let fees = match fees {
                "total" => Fees::Total,
                m => Fees::Months(m.strip_suffix('M')?.parse().ok()?),
            };
            return Some(match factor {
                Some(factor) => Value::FeeMultiple { fees, factor },
                None => Value::Fees(fees),
            });
        }
        let (currency, units) = s.split_once(' ')?;
        let code = !currency.is_empty() && currency.bytes().all(|b| b.is_ascii_uppercase());
        code.then_some(())?;
        Some(Value::Money {
            currency: currency.to_string(),
            units: units.parse().ok()?,
        })
    }

    /// Whole hours of a duration, as the cross-document checks compare delays: months of
    /// 30 days, years of 365, minutes and seconds as no hour, a fractional count unread
    /// (`None`), as for anything that is not a bounded duration. A string of another
    /// version is read as an ISO 8601 duration ("P1DT12H" is 36).
    pub fn whole_hours(&self) -> Option<u64> {
        match self {
            Value::Duration { count, unit } => count.as_whole()?.checked_mul(unit.hours()),
            Value::Other(s) => iso_hours(s),
            _ => None,
        }
    }
}

/// Hours of an ISO 8601 duration string written by another version ("P1DT12H"); the
/// durations of this version are `Value::Duration`.
fn iso_hours(v: &str) -> Option<u64> {
    let rest = v.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut hours = 0u64;
    let mut num = String::new();
    for (part, is_time) in [(date, false), (time, true)] {
        for ch in part.chars() {
            if ch.is_ascii_digit() {
                num.push(ch);
                continue;
            }
            let n: u64 = num.parse().ok()?;
            num.clear();
            let unit = TimeUnit::from_designator(ch, is_time)?;
            hours = hours.checked_add(n.checked_mul(unit.hours())?)?;
        }
    }
    Some(hours)
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fees = |f: &mut std::fmt::Formatter<'_>, fees: &Fees| match fees {
            Fees::Months(m) => write!(f, "fees:{m}M"),
            Fees::Total => f.write_str("fees:total"),
        };
        match self {
            Value::Duration { count, unit } => {
                let (designator, time) = unit.designator();
                let t = if time { "T" } else { "" };
                write!(f, "P{t}{}{designator}", count.as_str())
            }
            Value::Unbounded => f.write_str("unbounded"),
            Value::Money { currency, units } => write!(f, "{currency} {units}"),
            Value::Fees(x) => fees(f, x),
            Value::FeeMultiple { fees: x, factor } => {
                fees(f, x)?;
                write!(f, "*{}", factor.as_str())
            }
            Value::Other(s) => f.write_str(s),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Value::parse(&s))
    }
}

/// Where an item was found in its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The page, for formats that have pages (1-based).
    pub page: Option<u32>,
    /// The number of the clause holding the item ("7.2").
    pub clause: Option<String>,
    /// The heading of that clause.
    pub heading: Option<String>,
    /// Byte offset of the start of the excerpt in the extracted text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// Line of the start in the extracted text (1-based).
    pub line: usize,
}

/// One fact, finding or mitigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The concept reported (`bk.rpo`, `x.notification_mismatch`).
    pub concept: String,
    /// The id of the rule that fired.
    pub rule: String,
    /// Fact, finding or mitigation.
    pub kind: Kind,
    /// A finding's severity for the report's perspective; none for facts and mitigations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The value the fact states (`PT24H`, `fees:12M`), if it states one.
    pub value: Option<Value>,
    /// Why a fact that carries a value has none ("redacted", "not_readable"): a cap is a
    /// cap even when its amount cannot be read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value_note: Option<String>,
    /// Where the item was found; none for a document-level absence.
    pub location: Option<Location>,
    /// The sentence or clause that made the rule fire, as extracted.
    pub excerpt: Option<String>,
    /// The words that made the rule fire, as they appear in `excerpt`, so a reader can
    /// highlight them within their sentence.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub evidence: Option<String>,
    /// What the item means, in the report's language.
    pub message: String,
    /// Legal references (statutes, case law).
    pub references: Vec<String>,
    /// What to negotiate, in the report's language.
    pub recommendation: Option<String>,
    /// For a cross-document finding, the paths of the documents it compares.
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

/// A finding's severity for each perspective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerspectiveSeverity {
    /// The severity for the client.
    pub client: Severity,
    /// The severity for the provider.
    pub provider: Severity,
}

/// Why a finding is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// `baseline` or `waiver`.
    pub kind: String,
    /// Why it is accepted.
    pub reason: Option<String>,
    /// Who accepted it (waivers).
    pub author: Option<String>,
    /// ISO date (YYYY-MM-DD) after which a waiver stops hiding the finding.
    pub expires: Option<String>,
}

/// Machine-readable reason a document could not be analyzed (`error.kind` in the report).
/// Serialized as its snake_case name (`as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The path does not exist.
    NotFound,
    /// Permission denied or any other I/O error.
    Unreadable,
    /// Zero bytes, or only whitespace once decoded.
    Empty,
    /// Binary data with a text extension.
    NotText,
    /// A format Vigie recognises but cannot read yet (pdf, docx, odt, rtf, doc).
    UnsupportedFormat,
    /// Larger than the configured maximum.
    TooLarge,
    /// The analysis panicked, or the extraction worker died; the scan went on.
    Crashed,
    /// A PDF that needs a password.
    Encrypted,
    /// A PDF with no text layer (scanned, image-only): OCR needed.
    NoTextLayer,
    /// A damaged file the extractor cannot parse.
    Corrupt,
    /// Extraction overran its time limit and was stopped.
    Timeout,
    /// The scan was interrupted (Ctrl-C) before this document was analyzed.
    Interrupted,
    /// Extraction or analysis needed more memory than its limit allowed.
    OutOfMemory,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::NotFound,
        ErrorKind::Unreadable,
        ErrorKind::Empty,
        ErrorKind::NotText,
        ErrorKind::UnsupportedFormat,
        ErrorKind::TooLarge,
        ErrorKind::Crashed,
        ErrorKind::Encrypted,
        ErrorKind::NoTextLayer,
        ErrorKind::Corrupt,
        ErrorKind::Timeout,
        ErrorKind::Interrupted,
        ErrorKind::OutOfMemory,
    ];

    /// The name the report writes: `not_found`, `crashed`...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::Empty => "empty",
            ErrorKind::NotText => "not_text",
            ErrorKind::UnsupportedFormat => "unsupported_format",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Crashed => "crashed",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::NoTextLayer => "no_text_layer",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::OutOfMemory => "out_of_memory",
        }
    }

    /// The kind named by `as_str`.
    pub fn parse(s: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the error says nothing of the file itself (the scan was interrupted or the
    /// extraction ran out of time), so the result is not worth caching.
    pub fn is_transient(self) -> bool {
        matches!(self, ErrorKind::Interrupted | ErrorKind::Timeout)
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a document could not be analyzed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocError {
    /// What went wrong, for machines.
    pub kind: ErrorKind,
    /// What went wrong, in one sentence for people.
    pub message: String,
}

/// What is left of the risk of a document once its clauses are counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidualRisk {
    /// The highest residual level of the scenarios.
    pub level: RiskLevel,
    /// One sentence per scenario, most severe first, in the report's language.
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
    /// The scenario in one line, in the report's language.
    pub title: String,
    /// The level before the clauses of the document are counted.
    pub inherent: RiskLevel,
    /// The level they leave.
    pub residual: RiskLevel,
    /// Concept ids of the findings that raise the scenario.
    pub aggravating: Vec<String>,
    /// Concept ids of the facts and mitigations that lower it.
    pub mitigating: Vec<String>,
}

/// Whether a document was analyzed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Analyzed.
    Ok,
    /// Not analyzed: `error` says why.
    Error,
}

/// One input file and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The path as given or found under the scanned folder.
    pub path: String,
    /// Whether it was analyzed.
    pub status: Status,
    /// Why it was not.
    pub error: Option<DocError>,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The format read (`pdf`, `docx`...).
    pub format: Option<String>,
    /// The extractor that produced the text (`text`, `pdf`, `ocr`...).
    pub extractor: Option<String>,
    /// The language of the document.
    pub language: Option<Language>,
    /// What kind of document it is.
    pub doc_type: Option<DocType>,
    /// Its number of pages, for formats that have pages.
    pub pages: Option<u32>,
    /// Its size.
    pub bytes: u64,
    /// Problems that did not stop the analysis ("decoded as Windows-1252").
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
    /// The parties the preamble names, by role: cross-document checks compare providers.
    #[serde(
        skip_serializing_if = "crate::classify::parties::Parties::is_empty",
        default
    )]
    pub parties: crate::classify::parties::Parties,
    /// What the document states.
    pub facts: Vec<Item>,
    /// The clauses, or the lack of them, that leave a risk.
    pub findings: Vec<Item>,
    /// The clauses that lower a risk.
    pub mitigations: Vec<Item>,
    /// The risk left, per scenario.
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

/// The program that wrote the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `vigie`.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The version of the rule pack.
    pub rules_version: String,
}

/// Findings counted per severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// Critical findings.
    pub critical: usize,
    /// High findings.
    pub high: usize,
    /// Medium findings.
    pub medium: usize,
    /// Low findings.
    pub low: usize,
    /// Informational findings.
    pub info: usize,
}

impl SeverityCounts {
    /// Counts one finding of severity `s`.
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    /// The count of severity `s`.
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

/// The counts of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Documents in the report.
    pub documents: usize,
    /// Of those, the ones not analyzed.
    pub errors: usize,
    /// Findings per severity, portfolio included.
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
    /// The line of the entry in that file.
    pub line: usize,
    /// The fingerprint a finding waiver names.
    pub fingerprint: Option<String>,
    /// The rule a rule waiver names.
    pub rule: Option<String>,
    /// The path glob of a rule waiver.
    pub path: Option<String>,
    /// Why the waiver was granted.
    pub reason: String,
    /// Who granted it.
    pub author: String,
    /// The date it expired (YYYY-MM-DD).
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
    /// The name the report writes: `not_a_document`, `hidden`...
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
    /// The path met.
    pub path: String,
    /// Why it was not analyzed.
    pub reason: SkipReason,
    /// The system's words, when there are some (permission denied, the loop's target...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
}

/// The whole report of one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The program that wrote the report.
    pub tool: Tool,
    /// Whose risk the report weighs.
    pub perspective: Perspective,
    /// The documents, in path order.
    pub documents: Vec<Document>,
    /// The cross-document findings.
    pub portfolio: Vec<Item>,
    /// The counts.
    pub summary: Summary,
    /// Waivers past their date (`--waivers`), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub expired_waivers: Vec<ExpiredWaiver>,
    /// Paths the scan met and did not analyze, sorted by path: with `documents`, every
    /// path the walk met.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub skipped: Vec<Skipped>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind is written as before (the strings of the report contract) and reads back.
    #[test]
    fn error_kinds_round_trip_as_their_names() {
        let names = [
            "not_found",
            "unreadable",
            "empty",
            "not_text",
            "unsupported_format",
            "too_large",
            "crashed",
            "encrypted",
            "no_text_layer",
            "corrupt",
            "timeout",
            "interrupted",
            "out_of_memory",
        ];
        assert_eq!(ErrorKind::ALL.len(), names.len());
        for (kind, name) in ErrorKind::ALL.into_iter().zip(names) {
            assert_eq!(kind.as_str(), name);
            assert_eq!(kind.to_string(), name);
            assert_eq!(ErrorKind::parse(name), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<ErrorKind>(&json).unwrap(), kind);
            let e = DocError {
                kind,
                message: "m".into(),
            };
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("{{\"kind\":\"{name}\",\"message\":\"m\"}}"));
            assert_eq!(serde_json::from_str::<DocError>(&json).unwrap(), e);
        }
        assert_eq!(ErrorKind::parse("x"), None);
        assert!(serde_json::from_str::<ErrorKind>("\"x\"").is_err());
        assert!(ErrorKind::Interrupted.is_transient() && ErrorKind::Timeout.is_transient());
        assert!(!ErrorKind::Crashed.is_transient());
    }

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    /// Each variant is written as the report always wrote values, and reads back equal.
    #[test]
    fn values_round_trip_as_their_strings() {
        let cases = [
            (
                Value::Duration {
                    count: d("24"),
                    unit: TimeUnit::Hours,
                },
                "PT24H",
            ),
            (
                Value::Duration {
                    count: d("30"),
                    unit: TimeUnit::Minutes,
                },
                "PT30M",
            ),
            (
                Value::Duration {
                    count: d("0"),
                    unit: TimeUnit::Seconds,
                },
                "PT0S",
            ),
            (
                Value::Duration {
                    count: d("5"),
                    unit: TimeUnit::Days,
                },
                "P5D",
            ),
            (
                Value::Duration {
                    count: d("1.5"),
                    unit: TimeUnit::Days,
                },
                "P1.5D",
            ),
            (
                Value::Duration {
                    count: d("2"),
                    unit: TimeUnit::Weeks,
                },
                "P2W",
            ),
            (
                Value::Duration {
                    count: d("3"),
                    unit: TimeUnit::Months,
                },
                "P3M",
            ),
            (
                Value::Duration {
                    count: d("1"),
                    unit: TimeUnit::Years,
                },
                "P1Y",
            ),
            (Value::Unbounded, "unbounded"),
            (
                Value::Money {
                    currency: "EUR".into(),
                    units: 50_000,
                },
                "EUR 50000",
            ),
            (Value::Fees(Fees::Months(12)), "fees:12M"),
            (Value::Fees(Fees::Total), "fees:total"),
            (
                Value::FeeMultiple {
                    fees: Fees::Months(12),
                    factor: d("0.5"),
                },
                "fees:12M*0.5",
            ),
            (
                Value::FeeMultiple {
                    fees: Fees::Total,
                    factor: d("2"),
                },
                "fees:total*2",
            ),
            (Value::Other("P1DT12H".into()), "P1DT12H"),
        ];
        for (value, s) in cases {
            assert_eq!(value.to_string(), s);
            assert_eq!(Value::parse(s), value, "{s}");
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), value);
        }
    }

    /// A string of no known form (an older or newer report) reads back as written.
    #[test]
    fn unknown_value_strings_are_kept() {
        for s in [
            "P1DT12H",
            "P",
            "PX",
            "PT",
            "P1.H",
            "PT01H",
            "eur 5",
            "EUR +5",
            "EUR 05",
            "fees:",
            "fees:12",
            "fees:12M*",
            "fees:12M*x",
            "fees:total*0.5*2",
            "",
            "a value",
        ] {
            let v = Value::parse(s);
            assert_eq!(v.to_string(), s);
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), v, "{s}");
        }
        assert_eq!(Value::parse("P1DT12H"), Value::Other("P1DT12H".into()));
        // PT01H would write back as PT1H if read as a duration: kept as it was instead.
        assert_eq!(Value::parse("PT01H").to_string(), "PT01H");
    }

    /// An item written by an older build reads back with a typed value, and writes the same.
    #[test]
    fn an_item_of_an_old_report_reads_back() {
        let json = r#"{"concept":"inc.notification","rule":"r","kind":"fact","value":"PT72H","location":null,"excerpt":null,"message":"m","references":[],"recommendation":null}"#;
        let item: Item = serde_json::from_str(json).unwrap();
        assert_eq!(
            item.value,
            Some(Value::Duration {
                count: d("72"),
                unit: TimeUnit::Hours
            })
        );
        assert_eq!(item.value.as_ref().and_then(Value::whole_hours), Some(72));
        assert_eq!(serde_json::to_string(&item).unwrap(), json);
        let none = json.replace("\"PT72H\"", "null");
        let item: Item = serde_json::from_str(&none).unwrap();
        assert_eq!(item.value, None);
        assert_eq!(serde_json::to_string(&item).unwrap(), none);
    }

    #[test]
    fn text_picks_the_language() {
        let t = Text {
            en: "hello",
            fr: "bonjour",
        };
        assert_eq!(t.get(Language::En), "hello");
        assert_eq!(t.get(Language::Fr), "bonjour");
        assert_eq!(t.into_lang(Language::Fr), "bonjour");
        let no_fr = Text {
            en: "hello".to_string(),
            fr: String::new(),
        };
        assert_eq!(no_fr.get(Language::Fr), "hello");
        assert_eq!(no_fr.into_lang(Language::Fr), "hello");
    }
}
