//! The pack file format as serde reads it. Every value a diagnostic may point at is
//! [`Spanned`], so `rules check` names the exact token instead of searching the text.

use super::concepts::{Concept, Text};
use super::pack::{Scope, ValueKind};
use crate::model::{Kind, Severity};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// A value with its byte span in the pack's text.
pub(crate) type S<T> = Spanned<T>;

/// One pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackFile {
    pub pack: PackMeta,
    #[serde(default)]
    pub terms: BTreeMap<S<String>, S<Vec<S<String>>>>,
    #[serde(default)]
    pub concept: Vec<ConceptDef>,
    #[serde(default)]
    pub rule: Vec<S<RuleDef>>,
}

/// The `[pack]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackMeta {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// A `[[concept]]` table: a [`Concept`] whose id keeps its position.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConceptDef {
    pub id: S<String>,
    pub kind: Kind,
    pub title: Text,
    pub why: Text,
    #[serde(default)]
    pub references: Vec<String>,
}

impl ConceptDef {
    pub fn concept(&self) -> Concept {
        Concept {
            id: self.id.get_ref().clone(),
            kind: self.kind,
            title: self.title.clone(),
            why: self.why.clone(),
            references: self.references.clone(),
        }
    }
}

/// A text in both languages whose parts keep their positions (a spanned inline table
/// loses its span in toml 0.8; its values keep theirs).
#[derive(Debug, Deserialize)]
pub(crate) struct TextDef {
    pub en: S<String>,
    pub fr: S<String>,
}

impl TextDef {
    pub fn text(&self) -> Text {
        Text {
            en: self.en.get_ref().clone(),
            fr: self.fr.get_ref().clone(),
        }
    }
}

/// A term set: a named set of the pack's `[terms]` or an inline list of terms.
#[derive(Debug, Clone)]
pub(crate) enum SetRef {
    Name(String),
    Inline(Vec<S<String>>),
}

impl<'de> Deserialize<'de> for SetRef {
    // By hand rather than `#[serde(untagged)]`: an untagged enum buffers its input, which
    // loses the spans of the inline terms.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SetRef, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SetRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a term set name or a list of terms")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SetRef, E> {
                Ok(SetRef::Name(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SetRef, A::Error> {
                let mut terms = Vec::new();
                while let Some(t) = seq.next_element()? {
                    terms.push(t);
                }
                Ok(SetRef::Inline(terms))
            }
        }
        d.deserialize_any(V)
    }
}

/// A `near` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NearDef {
    pub a: S<SetRef>,
    pub b: S<SetRef>,
    pub words: u32,
}

/// An `exclude_near` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExcludeNearDef {
    pub set: S<SetRef>,
    pub words: u32,
}

/// `severity = "high"` or `severity = { client = "high", provider = "low" }`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub(crate) enum SeverityDef {
    One(Severity),
    Per {
        client: Severity,
        provider: Severity,
    },
}

/// A `[[rule]]` table (docs/rules.md describes each field).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: S<String>,
    pub concept: S<String>,
    pub kind: Kind,
    #[serde(default)]
    pub title: String,
    pub scope: Option<S<Scope>>,
    #[serde(default)]
    pub doc_types: Vec<S<String>>,
    #[serde(default)]
    pub languages: Vec<S<String>>,
    #[serde(default)]
    pub heading: Vec<S<SetRef>>,
    #[serde(default)]
    pub all: Vec<S<SetRef>>,
    #[serde(default)]
    pub any: Vec<S<SetRef>>,
    #[serde(default)]
    pub none: Vec<S<SetRef>>,
    #[serde(default)]
    pub near: Vec<NearDef>,
    #[serde(default)]
    pub regex: Vec<S<String>>,
    #[serde(default)]
    pub sentence_none: Vec<S<SetRef>>,
    #[serde(default)]
    pub sentence_all: Vec<S<SetRef>>,
    #[serde(default)]
    pub key_heading_line: bool,
    #[serde(default)]
    pub exclude_near: Vec<ExcludeNearDef>,
    #[serde(default)]
    pub within: Vec<S<String>>,
    #[serde(default)]
    pub requires: Vec<S<String>>,
    #[serde(default)]
    pub unless: Vec<S<String>>,
    #[serde(default)]
    pub unless_in_article: Vec<S<String>>,
    pub severity: Option<SeverityDef>,
    #[serde(default)]
    pub references: Vec<String>,
    pub message: TextDef,
    pub recommendation: Option<Text>,
    pub value: Option<ValueKind>,
    pub value_required: Option<S<bool>>,
    pub value_over_hours: Option<S<u64>>,
    pub value_hours: Option<S<u64>>,
    pub value_not_hours: Option<S<u64>>,
    #[serde(default)]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub must_not_match: Vec<String>,
    pub example_doc_type: Option<S<String>>,
}

impl RuleDef {
    /// The scope written, else `clause`.
    pub fn scope(&self) -> Scope {
        self.scope.as_ref().map_or(Scope::Clause, |s| *s.get_ref())
    }
}

/// The strings of spanned values.
pub(crate) fn strings(v: &[S<String>]) -> Vec<String> {
    v.iter().map(|s| s.get_ref().clone()).collect()
}
