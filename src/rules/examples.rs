//! Runs the examples every rule carries (`must_match`, `must_not_match`), so a rule pack is
//! tested like code and a rule that no example makes fire is caught (`vigie rules test`).

use crate::classify;
use crate::engine::{self, Prepared};
use crate::normalize::Normalized;
use crate::rules::{Pack, Rule};
use crate::segment;
use std::collections::HashSet;

/// The outcome of one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleResult {
    /// The rule's id.
    pub rule: String,
    /// The rule's pack file.
    pub file: String,
    /// The line of the rule's id.
    pub line: usize,
    /// true for a `must_match` example.
    pub should_match: bool,
    /// The example.
    pub text: String,
    /// Whether the rule fired (or not) as the example says.
    pub passed: bool,
}

/// A failed example as `vigie rules test` reports it: `file:line: rule `id` must match: "text"`.
impl std::fmt::Display for ExampleResult {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let want = if self.should_match {
            "must match"
        } else {
            "must not match"
        };
        write!(
            f,
            "{}:{}: rule `{}` {want}: {:?}",
            self.file, self.line, self.rule, self.text
        )
    }
}

/// Ids of the rules that fire on `text` analyzed as a document of the rule's example type.
pub fn fired_rules(pack: &Pack, rule: &Rule, text: &str) -> HashSet<String> {
    let norm = Normalized::new(text);
    let seg = segment::segment(text, &[]);
    let lang = classify::language(&norm.text);
    let doc = Prepared::new(&norm, &seg, rule.example_doc_type, lang);
    engine::run(pack, &doc)
        .into_iter()
        .map(|m| pack.rules[m.rule].id.clone())
        .collect()
}

/// Runs every example of every rule, in pack order.
pub fn run_all(pack: &Pack) -> Vec<ExampleResult> {
    let mut out = Vec::new();
    for rule in &pack.rules {
        let cases = rule
            .must_match
            .iter()
            .map(|t| (true, t))
            .chain(rule.must_not_match.iter().map(|t| (false, t)));
        for (should_match, text) in cases {
            let fired = fired_rules(pack, rule, text).contains(&rule.id);
            out.push(ExampleResult {
                rule: rule.id.clone(),
                file: rule.file.clone(),
                line: rule.line,
                should_match,
                text: text.clone(),
                passed: fired == should_match,
            });
        }
    }
    out
}

/// Rules (reported ones) that no passing `must_match` example makes fire.
pub fn uncovered(pack: &Pack, results: &[ExampleResult]) -> Vec<String> {
    pack.rules
        .iter()
        .filter(|r| !r.internal())
        .filter(|r| {
            !results
                .iter()
                .any(|x| x.rule == r.id && x.should_match && x.passed)
        })
        .map(|r| r.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_example_names_file_line_rule_and_text() {
        let mut r = ExampleResult {
            rule: "fm.cyber".into(),
            file: "rules/fm.toml".into(),
            line: 12,
            should_match: true,
            text: "les \"virus\"".into(),
            passed: false,
        };
        assert_eq!(
            r.to_string(),
            r#"rules/fm.toml:12: rule `fm.cyber` must match: "les \"virus\"""#
        );
        r.should_match = false;
        assert!(r.to_string().contains("must not match"));
    }
}
