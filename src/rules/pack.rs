//! The compiled form of the packs: an immutable [`Pack`] of [`Rule`]s whose term sets are
//! indexes into one literal table, built once and shared read-only by every worker.

use super::concepts::Concept;
use crate::engine::literals::Literals;
use crate::model::{DocType, Kind, Language, Perspective, Severity};
use regex::Regex;
use serde::Deserialize;

/// The unit a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One sentence.
    Sentence,
    /// One clause (a heading and its body).
    Clause,
    /// The whole document.
    Document,
}

/// Which value extractor a rule runs on its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A duration, reported in ISO 8601 (`PT72H`).
    Duration,
    /// An amount (`EUR 150000`, `fees:12M`).
    Amount,
}

/// A proximity constraint: a hit of set `a` within `words` words of a hit of set `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Near {
    /// A term set (index into the pack's sets).
    pub a: usize,
    /// The other term set.
    pub b: usize,
    /// The largest distance, in words.
    pub words: u32,
}

/// One compiled rule. Term sets are indexes into the pack's sets; docs/rules.md describes
/// each field as written in a pack.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique among the loaded packs; reported as `rule`.
    pub id: String,
    /// The concept the rule reports (or an internal `_…` one).
    pub concept: String,
    /// Fact, finding or mitigation: the concept's kind.
    pub kind: Kind,
    /// One line for `rules list`.
    pub title: String,
    /// The unit the sets must hit in.
    pub scope: Scope,
    /// Empty: every document type.
    pub doc_types: Vec<DocType>,
    /// Empty: every language.
    pub languages: Vec<Language>,
    /// Sets the clause's heading must contain.
    pub heading: Vec<usize>,
    /// Sets that must all hit in the scope.
    pub all: Vec<usize>,
    /// Sets of which one must hit.
    pub any: Vec<usize>,
    /// Sets whose hit vetoes the match.
    pub none: Vec<usize>,
    /// Proximity constraints.
    pub near: Vec<Near>,
    /// Regexes verified on the folded scope text where a literal set hit.
    pub regex: Vec<Regex>,
    /// Evidence whose sentence holds one of these sets is dropped.
    pub sentence_none: Vec<usize>,
    /// Evidence is kept only if its sentence holds every one of these sets.
    pub sentence_all: Vec<usize>,
    /// Key hits count only on a short heading line ("Q. War", "67. War and cyber war"): the
    /// item titles of an exclusions list whose verb sits in the section's lead-in.
    pub key_heading_line: bool,
    /// Key hits with a hit of `set` within `words` words (before or after) are dropped.
    pub exclude_near: Vec<(usize, u32)>,
    /// The set whose hit locates the evidence (first of `all`, `any`, `heading`).
    pub key: Option<usize>,
    /// Look only inside the regions where these concepts were found.
    pub within: Vec<String>,
    /// The document must have these concepts.
    pub requires: Vec<String>,
    /// The document must not have these concepts.
    pub unless: Vec<String>,
    /// A match is dropped when one of these concepts was found in the same article (the
    /// numbered clause that holds it, up to the document's title): a carve-out that speaks
    /// of "the present article" covers its sub-clauses, not the rest of the document.
    pub unless_in_article: Vec<String>,
    /// Severity for (client, provider); findings only.
    pub severity: Option<(Severity, Severity)>,
    /// Legal references.
    pub references: Vec<String>,
    /// The finding's sentence in both languages.
    pub message: super::concepts::Text,
    /// What to negotiate or check.
    pub recommendation: Option<super::concepts::Text>,
    /// The value taken next to the evidence.
    pub value: Option<ValueKind>,
    /// Fire only when a value of the kind asked for is found next to the evidence.
    pub value_required: bool,
    /// Fire only when the duration found is unbounded or longer than this many hours.
    pub value_over_hours: Option<u64>,
    /// Fire only when the duration found is exactly this many hours.
    pub value_hours: Option<u64>,
    /// Fire only when a bounded duration is found and it is not this many hours.
    pub value_not_hours: Option<u64>,
    /// Texts the rule must fire on (`rules test`).
    pub must_match: Vec<String>,
    /// Texts it must not fire on.
    pub must_not_match: Vec<String>,
    /// The document type the examples are analyzed as.
    pub example_doc_type: DocType,
    /// Pack file of the rule, for diagnostics of `rules test`.
    pub file: String,
    /// Line of the rule's id in its file.
    pub line: usize,
}

impl Rule {
    /// Internal helper concepts (`_x.y`) feed other rules and are never reported.
    pub fn internal(&self) -> bool {
        self.concept.starts_with('_')
    }

    /// The rule's severity for a report written from `p`'s side; `None` for facts.
    pub fn severity_for(&self, p: Perspective) -> Option<Severity> {
        self.severity.map(|(c, pr)| match p {
            Perspective::Client => c,
            Perspective::Provider => pr,
        })
    }

    /// Sets that must have a literal hit somewhere for the rule to be worth evaluating.
    pub fn anchors(&self) -> impl Iterator<Item = usize> + '_ {
        self.all
            .iter()
            .chain(self.heading.iter())
            .copied()
            .chain(self.near.iter().flat_map(|n| [n.a, n.b]))
    }
}

/// Metadata of one loaded pack: its `[pack]` table and file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackInfo {
    /// The pack's name.
    pub id: String,
    /// The pack's own version.
    pub version: String,
    /// One line about the pack.
    pub title: String,
    /// A longer description.
    pub description: String,
    /// The file it was read from.
    pub file: String,
}

/// Every rule of every loaded pack, compiled once and shared read-only by all workers
/// ([`Pack::builtin`] and [`Pack::compile`] are in `compile.rs`, which builds it).
#[derive(Debug, Clone)]
pub struct Pack {
    /// Rules in evaluation order: a rule comes after the rules whose concepts it reads.
    pub rules: Vec<Rule>,
    /// The term sets' names (`pack:name`, or `inline:a|b` for an inline list), by index.
    pub(crate) set_names: Vec<String>,
    /// Every literal of the term sets and the document-type cues, filed for one pass.
    // `pub`, not `pub(crate)`: this field is what makes the crate-private engine's
    // `Literals::is_empty` reachable (used by tests only).
    pub literals: Literals,
    pub(crate) concepts: Vec<Concept>,
    /// The loaded packs, in the order they were given.
    pub packs: Vec<PackInfo>,
    /// Pack ids and versions plus a digest of every source: changes when any rule changes.
    pub version: String,
}

impl Pack {
    /// The concept `id` of the vocabulary or of a loaded pack.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// The rule `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The index of the named term set `pack:name` (`insurance:condition_backups`), for
    /// code that reads a pack's word list with the rules' matcher ([`crate::engine::read`]
    /// gives the hits of every set); `None` when no loaded pack defines it.
    pub fn term_set(&self, name: &str) -> Option<usize> {
        self.set_names.iter().position(|n| n == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_packs_compile() {
        let pack = Pack::builtin().expect("built-in packs compile");
        assert!(pack.rules.iter().any(|r| r.concept == "fm.cyber_included"));
        assert!(!pack.literals.is_empty());
        assert!(!pack.literals.cues_overlap);
        assert!(pack.version.starts_with("force-majeure@"));
        assert!(pack.term_set("insurance:condition_backups").is_some());
        assert_eq!(pack.term_set("insurance:nope"), None);
    }
}
