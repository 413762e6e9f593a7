//! The compiler: checks every pack against the schema, the vocabulary and each other, and
//! turns the valid ones into a [`Pack`]. Every problem is a [`Diagnostic`] at the span of
//! the token at fault (from [`toml::Spanned`]), and all of them are reported at once.

mod rule;

use super::concepts::{self, Concept};
use super::diagnostic::{Code, Diagnostic, RuleError};
use super::pack::{Pack, PackInfo, Rule};
use super::schema::{strings, PackFile, SetRef, S};
use super::source::PackSource;
use super::terms::{expand_term, Term};
use crate::engine::literals::{Literals, Meaning};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// Diagnostics of `sources` without keeping the compiled pack (for `vigie rules check`).
pub fn check(sources: &[PackSource]) -> Vec<Diagnostic> {
    match Pack::compile(sources) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_diagnostics(),
    }
}

impl Pack {
    /// The packs embedded in the binary.
    pub fn builtin() -> Result<Pack, RuleError> {
        Pack::compile(&PackSource::builtin())
    }

    /// Checks and compiles `sources` together (rule ids are unique across all of them).
    pub fn compile(sources: &[PackSource]) -> Result<Pack, RuleError> {
        Compiler::default().compile(sources)
    }
}

/// The state of one compilation: the diagnostics so far and the term sets filed so far.
#[derive(Default)]
struct Compiler {
    diags: Vec<Diagnostic>,
    set_names: Vec<String>,
    set_terms: Vec<Vec<Term>>,
    inline_seen: HashMap<Vec<String>, usize>,
    /// Where each compiled rule's id is, by rule id: (file, line, col).
    rule_at: HashMap<String, (String, usize, usize)>,
}

impl Compiler {
    fn compile(mut self, sources: &[PackSource]) -> Result<Pack, RuleError> {
        let parsed = self.parse(sources);
        let mut concepts = self.concepts(&parsed);
        let mut packs = Vec::new();
        let mut rules = Vec::new();
        let mut ids = HashSet::new();
        for (src, file) in &parsed {
            packs.push(PackInfo {
                id: file.pack.id.clone(),
                version: file.pack.version.clone(),
                title: file.pack.title.clone(),
                description: file.pack.description.clone(),
                file: src.name.clone(),
            });
            let named = self.named_sets(src, &file.pack.id, file);
            for def in &file.rule {
                let id = def.get_ref().id.get_ref();
                if !ids.insert(id.clone()) {
                    let span = def.get_ref().id.span();
                    let msg = format!("duplicate rule id `{id}`");
                    self.diag(src, span, Code::DuplicateRule, msg);
                } else if let Some(rule) = self.rule(src, def, &named, &concepts) {
                    rules.push(rule);
                }
            }
        }
        let rules = self.order(rules);
        if !self.diags.is_empty() {
            return Err(RuleError::Invalid(self.diags));
        }
        let literals = self.literals();
        concepts.sort_by(|a, b| a.id.cmp(&b.id));
        let version = pack_version(&packs, sources);
        Ok(Pack {
            rules,
            set_names: self.set_names,
            literals,
            concepts,
            packs,
            version,
        })
    }

    /// Reads every source; a file that is not valid TOML or does not fit the schema is
    /// reported and left out.
    fn parse<'s>(&mut self, sources: &'s [PackSource]) -> Vec<(&'s PackSource, PackFile)> {
        let mut parsed = Vec::new();
        for src in sources {
            match toml::from_str::<PackFile>(&src.text) {
                Ok(file) => parsed.push((src, file)),
                Err(e) => {
                    let span = e.span().unwrap_or(0..0);
                    self.diag(src, span, Code::Toml, e.message().trim().to_string());
                }
            }
        }
        parsed
    }

    /// The built-in vocabulary plus the concepts the packs declare.
    fn concepts(&mut self, parsed: &[(&PackSource, PackFile)]) -> Vec<Concept> {
        let mut concepts = concepts::builtin();
        for (src, file) in parsed {
            for c in &file.concept {
                let id = c.id.get_ref();
                if concepts.iter().any(|k| k.id == *id) {
                    let msg = format!("concept `{id}` is already defined");
                    self.diag(src, c.id.span(), Code::DuplicateConcept, msg);
                } else {
                    concepts.push(c.concept());
                }
            }
        }
        concepts
    }

    fn diag(&mut self, src: &PackSource, span: Range<usize>, code: Code, message: String) {
        self.diags
            .push(Diagnostic::at(&src.name, &src.text, span, code, message));
    }

    /// Files the pack's `[terms]`, by name.
    fn named_sets(
        &mut self,
        src: &PackSource,
        pack: &str,
        file: &PackFile,
    ) -> HashMap<String, usize> {
        let mut named = HashMap::new();
        for (name, list) in &file.terms {
            let full = format!("{pack}:{}", name.get_ref());
            if let Some(idx) = self.new_set(src, name.span(), full, list.get_ref()) {
                named.insert(name.get_ref().clone(), idx);
            }
        }
        named
    }

    /// Files one set of terms; `at` is where an empty set is reported.
    fn new_set(
        &mut self,
        src: &PackSource,
        at: Range<usize>,
        name: String,
        list: &[S<String>],
    ) -> Option<usize> {
        let mut terms = Vec::new();
        for raw in list {
            match expand_term(raw.get_ref()) {
                Ok(expanded) => terms.extend(expanded),
                Err(msg) => {
                    let msg = format!("term `{}`: {msg}", raw.get_ref());
                    self.diag(src, raw.span(), Code::InvalidTerm, msg);
                }
            }
        }
        if terms.is_empty() {
            let msg = format!("term set `{name}` is empty");
            self.diag(src, at, Code::EmptyTermSet, msg);
            return None;
        }
        terms.sort();
        terms.dedup();
        self.set_names.push(name);
        self.set_terms.push(terms);
        Some(self.set_names.len() - 1)
    }

    fn resolve(
        &mut self,
        src: &PackSource,
        r: &S<SetRef>,
        named: &HashMap<String, usize>,
    ) -> Option<usize> {
        match r.get_ref() {
            SetRef::Name(n) => {
                let found = named.get(n).copied();
                if found.is_none() {
                    let msg = format!("unknown term set `{n}`");
                    self.diag(src, r.span(), Code::UnknownTermSet, msg);
                }
                found
            }
            SetRef::Inline(list) => {
                let key = strings(list);
                if let Some(&i) = self.inline_seen.get(&key) {
                    return Some(i);
                }
                let name = format!("inline:{}", key.join("|"));
                let idx = self.new_set(src, r.span(), name, list)?;
                self.inline_seen.insert(key, idx);
                Some(idx)
            }
        }
    }

    fn resolve_all(
        &mut self,
        src: &PackSource,
        refs: &[S<SetRef>],
        named: &HashMap<String, usize>,
    ) -> Vec<usize> {
        refs.iter()
            .filter_map(|r| self.resolve(src, r, named))
            .collect()
    }

    /// Orders rules so that every rule runs after the producers of the concepts it reads.
    fn order(&mut self, rules: Vec<Rule>) -> Vec<Rule> {
        let deps = dependencies(&rules);
        let n = rules.len();
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            match (0..n).find(|&i| !done[i] && deps[i].iter().all(|&d| done[d])) {
                Some(i) => {
                    done[i] = true;
                    order.push(i);
                }
                None => {
                    let stuck: Vec<&str> = (0..n)
                        .filter(|&i| !done[i])
                        .map(|i| rules[i].id.as_str())
                        .collect();
                    self.cycle(&stuck);
                    return rules;
                }
            }
        }
        let mut slots: Vec<Option<Rule>> = rules.into_iter().map(Some).collect();
        order.into_iter().filter_map(|i| slots[i].take()).collect()
    }

    /// Reports a dependency cycle at the id of its first rule.
    fn cycle(&mut self, stuck: &[&str]) {
        let (file, line, col) = stuck
            .first()
            .and_then(|id| self.rule_at.get(*id))
            .cloned()
            .unwrap_or_default();
        self.diags.push(Diagnostic {
            file,
            line,
            col,
            code: Code::DependencyCycle,
            message: format!(
                "rules depend on each other in a cycle: {}",
                stuck.join(", ")
            ),
        });
    }

    fn literals(&self) -> Literals {
        let mut by_literal: BTreeMap<&str, Meaning> = BTreeMap::new();
        for (set, terms) in self.set_terms.iter().enumerate() {
            for (lit, prefix) in terms {
                by_literal
                    .entry(lit.as_str())
                    .or_default()
                    .sets
                    .push((set, *prefix));
            }
        }
        for (k, cue) in crate::classify::cues().iter().enumerate() {
            by_literal.entry(cue).or_default().cue = Some(k);
        }
        Literals::new(by_literal)
    }
}

/// Per rule, the rules producing a concept it reads.
fn dependencies(rules: &[Rule]) -> Vec<Vec<usize>> {
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
    for (i, r) in rules.iter().enumerate() {
        let reads: HashSet<&str> = r
            .within
            .iter()
            .chain(&r.requires)
            .chain(&r.unless)
            .chain(&r.unless_in_article)
            .map(String::as_str)
            .collect();
        for (j, p) in rules.iter().enumerate() {
            if i != j && reads.contains(p.concept.as_str()) {
                deps[i].push(j);
            }
        }
    }
    deps
}

/// Pack ids and versions, and the first bytes of a digest of the vocabulary and of every
/// source: `force-majeure@1.0.0,…+1a2b3c4d`.
fn pack_version(packs: &[PackInfo], sources: &[PackSource]) -> String {
    let mut h = Sha256::new();
    h.update(include_str!("../../rules/concepts.toml"));
    for s in sources {
        h.update(s.name.as_bytes());
        h.update(s.text.as_bytes());
    }
    let digest = h.finalize();
    let ids: Vec<String> = packs
        .iter()
        .map(|p| format!("{}@{}", p.id, p.version))
        .collect();
    let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}+{hex}", ids.join(","))
}
#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Vec<PackSource> {
        vec![PackSource {
            name: "t.toml".into(),
            text: text.into(),
        }]
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let d = check(&src("[pack]\nid = \"x\"\nversion = 1.0.0\n"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].file.as_str(), d[0].line), ("t.toml", 3));
        assert!(d[0].to_string().starts_with("t.toml:3:"));
        assert_eq!(d[0].code, Code::Toml);
    }

    #[test]
    fn semantic_errors_point_at_the_offending_token() {
        let text = r#"[pack]
id = "x"
version = "1"

[[rule]]
id = "r1"
concept = "fm.nope"
kind = "finding"
all = ["missing_set"]
regex = ['(']
message = { en = "m", fr = "m" }
must_match = ["a"]
must_not_match = ["b"]
"#;
        let d = check(&src(text));
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter().any(
                |m| m.starts_with("t.toml:7:11: error[V008]:") && m.contains("unknown concept")
            ),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(
                |m| m.starts_with("t.toml:9:8: error[V007]:") && m.contains("unknown term set")
            ),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("t.toml:10:10: error[V012]:") && m.contains("invalid regex")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("needs a `severity`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn rules_without_examples_are_rejected() {
        let text = r#"[pack]
id = "x"
version = "1"
[[rule]]
id = "r1"
concept = "fm.clause"
kind = "fact"
all = [["force majeure"]]
message = { en = "m", fr = "m" }
"#;
        let d = check(&src(text));
        assert!(d.iter().any(|d| d.message.contains("must_match")));
        assert!(d.iter().any(|d| d.message.contains("must_not_match")));
    }

    #[test]
    fn unless_in_article_needs_a_located_scope() {
        let text = r#"[pack]
id = "x"
version = "1"
[[rule]]
id = "r1"
concept = "fm.absent"
kind = "finding"
scope = "document"
severity = "info"
unless_in_article = ["fm.clause"]
message = { en = "m", fr = "m" }
must_match = ["a"]
must_not_match = ["b"]
"#;
        let d = check(&src(text));
        assert!(
            d.iter()
                .any(|d| d.message.contains("`unless_in_article` needs")),
            "{d:?}"
        );
    }

    #[test]
    fn dependencies_order_rules() {
        let text = r#"[pack]
id = "x"
version = "1"
[[rule]]
id = "late"
concept = "fm.absent"
kind = "finding"
scope = "document"
severity = "info"
unless = ["fm.clause"]
message = { en = "m", fr = "m" }
must_match = ["a"]
must_not_match = ["b"]
[[rule]]
id = "early"
concept = "fm.clause"
kind = "fact"
all = [["force majeure"]]
message = { en = "m", fr = "m" }
must_match = ["a"]
must_not_match = ["b"]
"#;
        let pack = Pack::compile(&src(text)).unwrap();
        let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["early", "late"]);
    }
}
