//! The concept vocabulary (the stable contract of every report) as data embedded in the
//! binary, so rules are checked against it and `vigie explain` can describe each concept.

use crate::model::Kind;
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../rules/concepts.toml");

pub use crate::model::Text;

/// One concept of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Its stable id: family, dot, name (`bk.rpo`).
    pub id: String,
    /// Whether rules report it as a fact, a finding or a mitigation.
    pub kind: Kind,
    /// A short title.
    pub title: Text,
    /// Why it matters.
    pub why: Text,
    /// Legal references.
    #[serde(default)]
    pub references: Vec<String>,
}

/// The family prefix of a concept id: "fm" for "fm.cyber_included".
pub(crate) fn family_of(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

#[derive(Debug, Deserialize)]
struct File {
    concept: Vec<Concept>,
}

/// The built-in vocabulary, sorted by id.
pub(crate) fn builtin() -> Vec<Concept> {
    // The embedded file is checked by a unit test; a parse failure here is a build defect.
    let mut v = toml::from_str::<File>(BUILTIN)
        .map(|f| f.concept)
        .unwrap_or_default();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_vocabulary_parses_and_is_unique() {
        let parsed: File = toml::from_str(BUILTIN).expect("concepts.toml parses");
        let n = parsed.concept.len();
        let v = builtin();
        assert_eq!(v.len(), n);
        assert!(
            v.windows(2).all(|w| w[0].id != w[1].id),
            "duplicate concept id"
        );
        assert!(v
            .iter()
            .any(|c| c.id == "fm.cyber_included" && c.kind == Kind::Finding));
        assert!(v
            .iter()
            .all(|c| !c.title.en.is_empty() && !c.title.fr.is_empty()));
    }
}
