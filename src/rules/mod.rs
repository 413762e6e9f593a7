//! Rule packs: the declarative TOML files under `rules/`, checked with `file:line:col`
//! diagnostics and compiled once into an immutable [`Pack`] (every literal of every rule
//! filed in one [`Literals`] table) that all workers share.

pub mod concepts;
pub mod eval;
pub mod examples;
pub mod skeleton;

use crate::engine::literals::{Literals, Meaning};
use crate::model::{DocType, Kind, Language, Severity};
use crate::normalize::fold;
use concepts::{Concept, Text};
use regex::Regex;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The packs shipped inside the binary: (file name, source).
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "force-majeure.toml",
        include_str!("../../rules/force-majeure.toml"),
    ),
    ("incidents.toml", include_str!("../../rules/incidents.toml")),
    ("insurance.toml", include_str!("../../rules/insurance.toml")),
    ("backups.toml", include_str!("../../rules/backups.toml")),
    ("liability.toml", include_str!("../../rules/liability.toml")),
];

/// One rule-file diagnostic, printed as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// Why packs could not be compiled: every diagnostic found, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
}

/// The text of one pack file and the name diagnostics use for it.
#[derive(Debug, Clone)]
pub struct PackSource {
    pub name: String,
    pub text: String,
}

impl PackSource {
    /// The packs embedded in the binary.
    pub fn builtin() -> Vec<PackSource> {
        BUILTIN_PACKS
            .iter()
            .map(|(name, text)| PackSource {
                name: format!("rules/{name}"),
                text: (*text).to_string(),
            })
            .collect()
    }

    /// Every `*.toml` pack in `dir` (sorted), or the file itself when `dir` is a file.
    /// `concepts.toml` is the vocabulary, not a pack, and is skipped.
    pub fn load(dir: &Path) -> Result<Vec<PackSource>, RuleError> {
        let io = |p: &Path, e: std::io::Error| RuleError::Io {
            path: p.display().to_string(),
            reason: e.to_string(),
        };
        let mut paths: Vec<PathBuf> = if dir.is_file() {
            vec![dir.to_path_buf()]
        } else {
            std::fs::read_dir(dir)
                .map_err(|e| io(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "toml")
                        && p.file_name().is_some_and(|n| n != "concepts.toml")
                })
                .collect()
        };
        paths.sort();
        if paths.is_empty() {
            return Err(RuleError::Io {
                path: dir.display().to_string(),
                reason: "no rule pack (*.toml) found".into(),
            });
        }
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).map_err(|e| io(&p, e))?;
                Ok(PackSource {
                    name: p.display().to_string(),
                    text,
                })
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// The file format.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackMeta,
    #[serde(default)]
    terms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    concept: Vec<Concept>,
    #[serde(default)]
    rule: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackMeta {
    id: String,
    version: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

/// A term set: a named set of the pack's `[terms]` or an inline list of terms.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum SetRef {
    Name(String),
    Inline(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NearDef {
    a: SetRef,
    b: SetRef,
    words: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcludeNearDef {
    set: SetRef,
    words: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
enum SeverityDef {
    One(Severity),
    Per {
        client: Severity,
        provider: Severity,
    },
}

/// The unit a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Sentence,
    Clause,
    Document,
}

/// Which value extractor a rule runs on its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Duration,
    Amount,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    concept: String,
    kind: Kind,
    #[serde(default)]
    title: String,
    #[serde(default = "default_scope")]
    scope: Scope,
    #[serde(default)]
    doc_types: Vec<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    heading: Vec<SetRef>,
    #[serde(default)]
    all: Vec<SetRef>,
    #[serde(default)]
    any: Vec<SetRef>,
    #[serde(default)]
    none: Vec<SetRef>,
    #[serde(default)]
    near: Vec<NearDef>,
    #[serde(default)]
    regex: Vec<String>,
    #[serde(default)]
    sentence_none: Vec<SetRef>,
    #[serde(default)]
    sentence_all: Vec<SetRef>,
    #[serde(default)]
    key_heading_line: bool,
    #[serde(default)]
    exclude_near: Vec<ExcludeNearDef>,
    #[serde(default)]
    within: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    unless_in_article: Vec<String>,
    severity: Option<SeverityDef>,
    #[serde(default)]
    references: Vec<String>,
    message: Text,
    recommendation: Option<Text>,
    value: Option<ValueKind>,
    #[serde(default)]
    value_required: bool,
    value_over_hours: Option<u64>,
    value_hours: Option<u64>,
    value_not_hours: Option<u64>,
    #[serde(default)]
    must_match: Vec<String>,
    #[serde(default)]
    must_not_match: Vec<String>,
    example_doc_type: Option<String>,
}

fn default_scope() -> Scope {
    Scope::Clause
}

// ---------------------------------------------------------------------------------------
// The compiled form.

/// A proximity constraint: a hit of set `a` within `words` words of a hit of set `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Near {
    pub a: usize,
    pub b: usize,
    pub words: u32,
}

/// One compiled rule. Term sets are indexes into [`Pack::set_names`].
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub concept: String,
    pub kind: Kind,
    pub title: String,
    pub scope: Scope,
    /// Empty: every document type.
    pub doc_types: Vec<DocType>,
    /// Empty: every language.
    pub languages: Vec<Language>,
    pub heading: Vec<usize>,
    pub all: Vec<usize>,
    pub any: Vec<usize>,
    pub none: Vec<usize>,
    pub near: Vec<Near>,
    pub regex: Vec<Regex>,
    pub sentence_none: Vec<usize>,
    pub sentence_all: Vec<usize>,
    /// Key hits count only on a short heading line ("Q. War", "67. War and cyber war"): the
    /// item titles of an exclusions list whose verb sits in the section's lead-in.
    pub key_heading_line: bool,
    /// Key hits with a hit of `set` within `words` words (before or after) are dropped.
    pub exclude_near: Vec<(usize, u32)>,
    /// The set whose hit locates the evidence (first of `all`, `any`, `heading`).
    pub key: Option<usize>,
    pub within: Vec<String>,
    pub requires: Vec<String>,
    pub unless: Vec<String>,
    /// A match is dropped when one of these concepts was found in the same article (the
    /// numbered clause that holds it, up to the document's title): a carve-out that speaks
    /// of "the present article" covers its sub-clauses, not the rest of the document.
    pub unless_in_article: Vec<String>,
    /// Severity for (client, provider); findings only.
    pub severity: Option<(Severity, Severity)>,
    pub references: Vec<String>,
    pub message: Text,
    pub recommendation: Option<Text>,
    pub value: Option<ValueKind>,
    /// Fire only when a value of the kind asked for is found next to the evidence.
    pub value_required: bool,
    /// Fire only when the duration found is unbounded or longer than this many hours.
    pub value_over_hours: Option<u64>,
    /// Fire only when the duration found is exactly this many hours.
    pub value_hours: Option<u64>,
    /// Fire only when a bounded duration is found and it is not this many hours.
    pub value_not_hours: Option<u64>,
    pub must_match: Vec<String>,
    pub must_not_match: Vec<String>,
    pub example_doc_type: DocType,
    /// Pack file and line of the rule, for diagnostics of `rules test`.
    pub file: String,
    pub line: usize,
}

impl Rule {
    /// Internal helper concepts (`_x.y`) feed other rules and are never reported.
    pub fn internal(&self) -> bool {
        self.concept.starts_with('_')
    }

    pub fn severity_for(&self, p: crate::model::Perspective) -> Option<Severity> {
        self.severity.map(|(c, pr)| match p {
            crate::model::Perspective::Client => c,
            crate::model::Perspective::Provider => pr,
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

/// Metadata of one loaded pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub file: String,
}

/// Every rule of every loaded pack, compiled once and shared read-only by all workers.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Rules in evaluation order: a rule comes after the rules whose concepts it reads.
    pub rules: Vec<Rule>,
    pub set_names: Vec<String>,
    /// Every literal of the term sets and the document-type cues, filed for one pass.
    pub literals: Literals,
    pub concepts: Vec<Concept>,
    pub packs: Vec<PackInfo>,
    /// Pack ids and versions plus a digest of every source: changes when any rule changes.
    pub version: String,
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

    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

#[derive(Default)]
struct Compiler {
    diags: Vec<Diagnostic>,
    set_names: Vec<String>,
    set_terms: Vec<Vec<(String, bool)>>,
    inline_seen: HashMap<Vec<String>, usize>,
}

impl Compiler {
    fn compile(mut self, sources: &[PackSource]) -> Result<Pack, RuleError> {
        let mut concepts = concepts::builtin();
        let mut parsed = Vec::new();
        for src in sources {
            match toml::from_str::<PackFile>(&src.text) {
                Ok(file) => parsed.push((src, file)),
                Err(e) => {
                    let (line, col) = e.span().map_or((1, 1), |s| line_col(&src.text, s.start));
                    self.diag(src, line, col, e.message().trim().to_string());
                }
            }
        }
        for (src, file) in &parsed {
            for c in &file.concept {
                if concepts.iter().any(|k| k.id == c.id) {
                    let (l, col) = locate(&src.text, 0, &c.id);
                    self.diag(
                        src,
                        l,
                        col,
                        format!("concept `{}` is already defined", c.id),
                    );
                } else {
                    concepts.push(c.clone());
                }
            }
        }
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
            let named = self.named_sets(src, &file.pack.id, &file.terms);
            for def in &file.rule {
                if !ids.insert(def.id.clone()) {
                    let (l, c) = locate(&src.text, 0, &format!("\"{}\"", def.id));
                    self.diag(src, l, c, format!("duplicate rule id `{}`", def.id));
                    continue;
                }
                if let Some(rule) = self.rule(src, def, &named, &concepts) {
                    rules.push(rule);
                }
            }
        }
        let rules = self.order(sources, rules);
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

    fn diag(&mut self, src: &PackSource, line: usize, col: usize, message: String) {
        self.diags.push(Diagnostic {
            file: src.name.clone(),
            line,
            col,
            message,
        });
    }

    fn named_sets(
        &mut self,
        src: &PackSource,
        pack: &str,
        terms: &BTreeMap<String, Vec<String>>,
    ) -> HashMap<String, usize> {
        let mut named = HashMap::new();
        for (name, list) in terms {
            let at = locate(&src.text, 0, name);
            if let Some(idx) = self.new_set(src, at, format!("{pack}:{name}"), list) {
                named.insert(name.clone(), idx);
            }
        }
        named
    }

    fn new_set(
        &mut self,
        src: &PackSource,
        at: (usize, usize),
        name: String,
        list: &[String],
    ) -> Option<usize> {
        let mut terms = Vec::new();
        for raw in list {
            match expand_term(raw) {
                Ok(expanded) => terms.extend(expanded),
                Err(msg) => {
                    let (l, c) = locate(&src.text, 0, raw);
                    self.diag(src, l, c, format!("term `{raw}`: {msg}"));
                }
            }
        }
        if terms.is_empty() {
            self.diag(src, at.0, at.1, format!("term set `{name}` is empty"));
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
        rule_at: usize,
        r: &SetRef,
        named: &HashMap<String, usize>,
    ) -> Option<usize> {
        match r {
            SetRef::Name(n) => {
                let found = named.get(n).copied();
                if found.is_none() {
                    let (l, c) = locate(&src.text, rule_at, &format!("\"{n}\""));
                    self.diag(src, l, c, format!("unknown term set `{n}`"));
                }
                found
            }
            SetRef::Inline(list) => {
                if let Some(&i) = self.inline_seen.get(list) {
                    return Some(i);
                }
                let at = locate(&src.text, rule_at, list.first().map_or("[", |s| s));
                let idx = self.new_set(src, at, format!("inline:{}", list.join("|")), list)?;
                self.inline_seen.insert(list.clone(), idx);
                Some(idx)
            }
        }
    }

    fn resolve_all(
        &mut self,
        src: &PackSource,
        rule_at: usize,
        refs: &[SetRef],
        named: &HashMap<String, usize>,
    ) -> Vec<usize> {
        refs.iter()
            .filter_map(|r| self.resolve(src, rule_at, r, named))
            .collect()
    }

    fn rule(
        &mut self,
        src: &PackSource,
        def: &RuleDef,
        named: &HashMap<String, usize>,
        concepts: &[Concept],
    ) -> Option<Rule> {
        let rule_at = src.text.find(&format!("\"{}\"", def.id)).unwrap_or(0);
        let (line, col) = line_col(&src.text, rule_at);
        let before = self.diags.len();
        let mut err = |this: &mut Self, needle: &str, msg: String| {
            let (l, c) = if needle.is_empty() {
                (line, col)
            } else {
                locate(&src.text, rule_at, needle)
            };
            this.diag(src, l, c, format!("rule `{}`: {msg}", def.id));
        };
        self.check_concept(def, concepts, &mut err);
        let doc_types: Vec<DocType> = def
            .doc_types
            .iter()
            .filter_map(|d| {
                let t = DocType::parse(d);
                if t.is_none() {
                    err(self, d, format!("unknown document type `{d}`"));
                }
                t
            })
            .collect();
        let languages: Vec<Language> = def
            .languages
            .iter()
            .filter_map(|l| match l.as_str() {
                "fr" => Some(Language::Fr),
                "en" => Some(Language::En),
                _ => {
                    err(self, l, format!("unknown language `{l}` (fr or en)"));
                    None
                }
            })
            .collect();
        let heading = self.resolve_all(src, rule_at, &def.heading, named);
        let all = self.resolve_all(src, rule_at, &def.all, named);
        let any = self.resolve_all(src, rule_at, &def.any, named);
        let none = self.resolve_all(src, rule_at, &def.none, named);
        let sentence_none = self.resolve_all(src, rule_at, &def.sentence_none, named);
        let sentence_all = self.resolve_all(src, rule_at, &def.sentence_all, named);
        let exclude_near: Vec<(usize, u32)> = def
            .exclude_near
            .iter()
            .filter_map(|e| Some((self.resolve(src, rule_at, &e.set, named)?, e.words)))
            .collect();
        let near: Vec<Near> = def
            .near
            .iter()
            .filter_map(|n| {
                let a = self.resolve(src, rule_at, &n.a, named)?;
                let b = self.resolve(src, rule_at, &n.b, named)?;
                Some(Near {
                    a,
                    b,
                    words: n.words,
                })
            })
            .collect();
        let mut regex = Vec::new();
        for r in &def.regex {
            match regex::RegexBuilder::new(r).size_limit(1 << 20).build() {
                Ok(re) => regex.push(re),
                Err(e) => err(self, r, format!("invalid regex: {e}")),
            }
            if r.chars()
                .any(|c| c.is_uppercase() || !c.is_ascii() && c.is_alphabetic())
            {
                err(
                    self,
                    r,
                    "regexes run on folded text: write them in lowercase without accents".into(),
                );
            }
        }
        let key = all.first().or(any.first()).or(heading.first()).copied();
        let literal_free =
            all.is_empty() && any.is_empty() && heading.is_empty() && near.is_empty();
        if !def.regex.is_empty() && literal_free {
            err(
                self,
                "regex",
                "a regex needs a literal anchor (all, any, heading or near) so that it runs only where a literal hit".into(),
            );
        }
        if literal_free && def.scope != Scope::Document {
            err(
                self,
                "",
                "a rule with no term set must have scope = \"document\"".into(),
            );
        }
        if !def.unless_in_article.is_empty() && def.scope == Scope::Document {
            err(
                self,
                "unless_in_article",
                "`unless_in_article` needs scope = \"sentence\" or \"clause\"".into(),
            );
        }
        if !heading.is_empty() && def.scope != Scope::Clause {
            err(self, "heading", "`heading` needs scope = \"clause\"".into());
        }
        let value_tests = [def.value_over_hours, def.value_hours, def.value_not_hours];
        if def.value_required && def.value.is_none() {
            err(
                self,
                "value_required",
                "`value_required` needs a `value`".into(),
            );
        }
        if value_tests.iter().any(Option::is_some) && def.value != Some(ValueKind::Duration) {
            err(
                self,
                "value_",
                "value tests need value = \"duration\"".into(),
            );
        }
        let severity = def.severity.map(|s| match s {
            SeverityDef::One(s) => (s, s),
            SeverityDef::Per { client, provider } => (client, provider),
        });
        if def.kind == Kind::Finding && severity.is_none() {
            err(self, "", "a finding needs a `severity`".into());
        }
        if def.message.en.trim().is_empty() || def.message.fr.trim().is_empty() {
            err(self, "message", "`message` needs both `en` and `fr`".into());
        }
        if !def.concept.starts_with('_') && def.must_match.is_empty() {
            err(
                self,
                "",
                "a rule needs at least one `must_match` example".into(),
            );
        }
        if !def.concept.starts_with('_') && def.must_not_match.is_empty() {
            err(
                self,
                "",
                "a rule needs at least one `must_not_match` example".into(),
            );
        }
        let example_doc_type = match &def.example_doc_type {
            Some(d) => DocType::parse(d).unwrap_or_else(|| {
                err(self, d, format!("unknown document type `{d}`"));
                DocType::Other
            }),
            None => doc_types.first().copied().unwrap_or(DocType::ItServices),
        };
        if self.diags.len() > before {
            return None;
        }
        Some(Rule {
            id: def.id.clone(),
            concept: def.concept.clone(),
            kind: def.kind,
            title: def.title.clone(),
            scope: def.scope,
            doc_types,
            languages,
            heading,
            all,
            any,
            none,
            near,
            regex,
            sentence_none,
            sentence_all,
            key_heading_line: def.key_heading_line,
            exclude_near,
            key,
            within: def.within.clone(),
            requires: def.requires.clone(),
            unless: def.unless.clone(),
            unless_in_article: def.unless_in_article.clone(),
            severity,
            references: def.references.clone(),
            message: def.message.clone(),
            recommendation: def.recommendation.clone(),
            value: def.value,
            value_required: def.value_required,
            value_over_hours: def.value_over_hours,
            value_hours: def.value_hours,
            value_not_hours: def.value_not_hours,
            must_match: def.must_match.clone(),
            must_not_match: def.must_not_match.clone(),
            example_doc_type,
            file: src.name.clone(),
            line,
        })
    }

    fn check_concept(
        &mut self,
        def: &RuleDef,
        concepts: &[Concept],
        err: &mut impl FnMut(&mut Self, &str, String),
    ) {
        let known = |id: &str| id.starts_with('_') || concepts.iter().any(|c| c.id == id);
        match concepts.iter().find(|c| c.id == def.concept) {
            Some(c) if c.kind != def.kind => err(
                self,
                &def.concept,
                format!(
                    "concept `{}` is a {:?}, the rule says {:?}",
                    c.id, c.kind, def.kind
                ),
            ),
            Some(_) => {}
            None if def.concept.starts_with('_') => {}
            None => err(
                self,
                &def.concept,
                format!(
                    "unknown concept `{}` (see rules/concepts.toml, or declare it with [[concept]])",
                    def.concept
                ),
            ),
        }
        for c in def
            .within
            .iter()
            .chain(&def.requires)
            .chain(&def.unless)
            .chain(&def.unless_in_article)
        {
            if !known(c) {
                err(self, c, format!("unknown concept `{c}`"));
            }
        }
    }

    /// Orders rules so that every rule runs after the producers of the concepts it reads.
    fn order(&mut self, sources: &[PackSource], rules: Vec<Rule>) -> Vec<Rule> {
        let n = rules.len();
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
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
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = (0..n).find(|&i| !done[i] && deps[i].iter().all(|&d| done[d]));
            match next {
                Some(i) => {
                    done[i] = true;
                    order.push(i);
                }
                None => {
                    let stuck: Vec<&str> = (0..n)
                        .filter(|&i| !done[i])
                        .map(|i| rules[i].id.as_str())
                        .collect();
                    let file = sources.first().map_or(String::new(), |s| s.name.clone());
                    self.diags.push(Diagnostic {
                        file,
                        line: 1,
                        col: 1,
                        message: format!(
                            "rules depend on each other in a cycle: {}",
                            stuck.join(", ")
                        ),
                    });
                    return rules;
                }
            }
        }
        let mut slots: Vec<Option<Rule>> = rules.into_iter().map(Some).collect();
        order.into_iter().filter_map(|i| slots[i].take()).collect()
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

/// Expands a term into folded literals: `(s)` marks an optional part ("virus
/// informatique(s)"), a final `*` makes the last word a prefix ("rancongiciel*").
fn expand_term(raw: &str) -> Result<Vec<(String, bool)>, String> {
    let (body, prefix) = match raw.trim().strip_suffix('*') {
        Some(b) => (b, true),
        None => (raw.trim(), false),
    };
    let mut variants = vec![String::new()];
    let mut rest = body;
    while let Some(open) = rest.find('(') {
        let close = rest[open..]
            .find(')')
            .map(|c| open + c)
            .ok_or("unclosed `(`")?;
        let (head, opt) = (&rest[..open], &rest[open + 1..close]);
        if opt.contains('(') {
            return Err("nested `(` is not supported".into());
        }
        variants = variants
            .into_iter()
            .flat_map(|v| [format!("{v}{head}"), format!("{v}{head}{opt}")])
            .collect();
        if variants.len() > 64 {
            return Err("too many optional parts (more than 64 variants)".into());
        }
        rest = &rest[close + 1..];
    }
    let mut out = Vec::new();
    for v in variants {
        let lit = fold(&format!("{v}{rest}"));
        if lit.is_empty() {
            return Err("empty term".into());
        }
        out.push((lit, prefix));
    }
    Ok(out)
}

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

/// 1-based line and column (in characters) of byte offset `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
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

/// Position of the first `needle` at or after byte `from`, else of `from` itself.
fn locate(text: &str, from: usize, needle: &str) -> (usize, usize) {
    let from = from.min(text.len());
    let at = text
        .get(from..)
        .and_then(|t| t.find(needle))
        .map_or(from, |i| from + i);
    line_col(text, at)
}

/// Diagnostics of `sources` without keeping the compiled pack (for `vigie rules check`).
pub fn check(sources: &[PackSource]) -> Vec<Diagnostic> {
    match Pack::compile(sources) {
        Ok(_) => Vec::new(),
        Err(RuleError::Invalid(d)) => d,
        Err(RuleError::Io { path, reason }) => vec![Diagnostic {
            file: path,
            line: 1,
            col: 1,
            message: reason,
        }],
    }
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
    fn builtin_packs_compile() {
        let pack = Pack::builtin().expect("built-in packs compile");
        assert!(pack.rules.iter().any(|r| r.concept == "fm.cyber_included"));
        assert!(!pack.literals.is_empty());
        assert!(!pack.literals.cues_overlap);
        assert!(pack.version.starts_with("force-majeure@"));
    }

    #[test]
    fn terms_expand_optional_parts_and_prefixes() {
        let v = expand_term("Virus informatique(s)").unwrap();
        assert_eq!(
            v,
            vec![
                ("virus informatique".to_string(), false),
                ("virus informatiques".to_string(), false)
            ]
        );
        assert_eq!(
            expand_term("rançongiciel*").unwrap(),
            vec![("rancongiciel".into(), true)]
        );
        assert!(expand_term("a(b").is_err());
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let d = check(&src("[pack]\nid = \"x\"\nversion = 1.0.0\n"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].file.as_str(), d[0].line), ("t.toml", 3));
        assert!(d[0].to_string().starts_with("t.toml:3:"));
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
            msgs.iter()
                .any(|m| m.starts_with("t.toml:7:") && m.contains("unknown concept")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("t.toml:9:") && m.contains("unknown term set")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("t.toml:10:") && m.contains("invalid regex")),
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
