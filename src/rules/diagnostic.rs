//! What `vigie rules check` reports: one [`Diagnostic`] per problem, each with a stable
//! [`Code`] and the `file:line:col` of the token at fault, so that a pack author (or a
//! script) can find, look up and silence-proof every problem of a pack at once.

use std::fmt;
use std::ops::Range;

/// The stable code of a diagnostic, shown as `error[V001]`. Codes are never reused; the
/// table with an example of each is in docs/rules.md ("Diagnostic codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// V001: TOML syntax, an unknown field, a missing field or a value of the wrong type.
    Toml,
    /// V002: a pack file could not be read.
    Io,
    /// V003: a concept declared twice (or declaring a built-in one).
    DuplicateConcept,
    /// V004: two rules with the same id.
    DuplicateRule,
    /// V005: a term set without any term.
    EmptyTermSet,
    /// V006: a term that cannot be expanded (unclosed `(`, nested `(`, empty).
    InvalidTerm,
    /// V007: a set name that no `[terms]` table defines.
    UnknownTermSet,
    /// V008: a concept that is neither built in, declared, nor internal (`_…`).
    UnknownConcept,
    /// V009: a rule whose kind differs from its concept's.
    KindMismatch,
    /// V010: an unknown document type.
    UnknownDocType,
    /// V011: an unknown language.
    UnknownLanguage,
    /// V012: a regex that does not compile.
    InvalidRegex,
    /// V013: a regex with capitals or accents, which folded text never has.
    UnfoldedRegex,
    /// V014: a regex without a literal set to anchor it.
    UnanchoredRegex,
    /// V015: a rule without any literal set whose scope is not `document`.
    NeedsDocumentScope,
    /// V016: `unless_in_article` with `scope = "document"`.
    ArticleNeedsLocatedScope,
    /// V017: `heading` outside `scope = "clause"`.
    HeadingNeedsClauseScope,
    /// V018: `value_required` without `value`.
    ValueRequiredWithoutValue,
    /// V019: a value test (`value_over_hours`, …) without `value = "duration"`.
    ValueTestNeedsDuration,
    /// V020: a finding without `severity`.
    MissingSeverity,
    /// V021: a `message` without both `en` and `fr`.
    IncompleteMessage,
    /// V022: a reported rule without a `must_match` example.
    MissingMustMatch,
    /// V023: a reported rule without a `must_not_match` example.
    MissingMustNotMatch,
    /// V024: rules that depend on each other in a cycle.
    DependencyCycle,
}

impl Code {
    /// Every code, in order.
    pub const ALL: [Code; 24] = [
        Code::Toml,
        Code::Io,
        Code::DuplicateConcept,
        Code::DuplicateRule,
        Code::EmptyTermSet,
        Code::InvalidTerm,
        Code::UnknownTermSet,
        Code::UnknownConcept,
        Code::KindMismatch,
        Code::UnknownDocType,
        Code::UnknownLanguage,
        Code::InvalidRegex,
        Code::UnfoldedRegex,
        Code::UnanchoredRegex,
        Code::NeedsDocumentScope,
        Code::ArticleNeedsLocatedScope,
        Code::HeadingNeedsClauseScope,
        Code::ValueRequiredWithoutValue,
        Code::ValueTestNeedsDuration,
        Code::MissingSeverity,
        Code::IncompleteMessage,
        Code::MissingMustMatch,
        Code::MissingMustNotMatch,
        Code::DependencyCycle,
    ];

    /// The code as printed: `V001`, `V002`, …
    pub fn as_str(self) -> &'static str {
        const TEXT: [&str; 24] = [
            "V001", "V002", "V003", "V004", "V005", "V006", "V007", "V008", "V009", "V010", "V011",
            "V012", "V013", "V014", "V015", "V016", "V017", "V018", "V019", "V020", "V021", "V022",
            "V023", "V024",
        ];
        TEXT[self as usize]
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule-file diagnostic, printed as `file:line:col: error[V001]: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The pack file, as its [`super::PackSource`] names it.
    pub file: String,
    /// 1-based line of the token at fault.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What kind of problem it is.
    pub code: Code,
    /// What is wrong, for a person.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at byte `span.start` of `text`, the source of `file`.
    pub(crate) fn at(
        file: &str,
        text: &str,
        span: Range<usize>,
        code: Code,
        message: String,
    ) -> Diagnostic {
        let (line, col) = line_col(text, span.start);
        Diagnostic {
            file: file.to_string(),
            line,
            col,
            code,
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error[{}]: {}",
            self.file, self.line, self.col, self.code, self.message
        )
    }
}

/// Why packs could not be compiled: every diagnostic found, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The packs were read but are not valid; one diagnostic a line.
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
    /// A pack file or folder could not be read.
    #[error("{path}: {reason}")]
    Io {
        /// The file or folder.
        path: String,
        /// The system's reason.
        reason: String,
    },
}

impl RuleError {
    /// The error as diagnostics: an I/O error is one [`Code::Io`] diagnostic at `1:1`.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            RuleError::Invalid(d) => d,
            RuleError::Io { path, reason } => vec![Diagnostic {
                file: path,
                line: 1,
                col: 1,
                code: Code::Io,
                message: reason,
            }],
        }
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
pub(crate) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let at = (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
