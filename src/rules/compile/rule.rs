//! Compiling one `[[rule]]` table: each field checked against the vocabulary, the term
//! sets and the other fields, each problem reported at its own token, and the rule built
//! only when none was found.

use super::Compiler;
use crate::model::{DocType, Kind, Language, Severity};
use crate::rules::concepts::Concept;
use crate::rules::diagnostic::{line_col, Code};
use crate::rules::pack::{Near, Rule, Scope, ValueKind};
use crate::rules::schema::{strings, RuleDef, SeverityDef, S};
use crate::rules::source::PackSource;
use std::collections::HashMap;
use std::ops::Range;

/// The rule being compiled, for its diagnostics.
struct At<'a> {
    src: &'a PackSource,
    id: &'a str,
    /// The rule's table.
    table: Range<usize>,
}

/// The term sets of one rule, resolved to set indexes.
struct Sets {
    heading: Vec<usize>,
    all: Vec<usize>,
    any: Vec<usize>,
    none: Vec<usize>,
    sentence_none: Vec<usize>,
    sentence_all: Vec<usize>,
    exclude_near: Vec<(usize, u32)>,
    near: Vec<Near>,
}

impl Sets {
    /// No set that can locate evidence: the rule speaks of a whole document.
    fn literal_free(&self) -> bool {
        self.all.is_empty()
            && self.any.is_empty()
            && self.heading.is_empty()
            && self.near.is_empty()
    }
}

impl Compiler {
    /// A diagnostic about the rule `at`, at `span`.
    fn err(&mut self, at: &At<'_>, span: Range<usize>, code: Code, msg: String) {
        let msg = format!("rule `{}`: {msg}", at.id);
        self.diag(at.src, span, code, msg);
    }

    /// Checks one rule and compiles it if it has no problem.
    pub(super) fn rule(
        &mut self,
        src: &PackSource,
        def: &S<RuleDef>,
        named: &HashMap<String, usize>,
        concepts: &[Concept],
    ) -> Option<Rule> {
        let d = def.get_ref();
        let at = At {
            src,
            id: d.id.get_ref(),
            table: def.span(),
        };
        let before = self.diags.len();
        self.check_concepts(&at, d, concepts);
        let doc_types = self.doc_types(&at, d);
        let languages = self.languages(&at, d);
        let sets = self.sets(src, d, named);
        let regex = self.regexes(&at, d);
        self.check_scope(&at, d, &sets);
        self.check_values(&at, d);
        let severity = self.severity(&at, d);
        self.check_texts(&at, d);
        let example_doc_type = self.example_doc_type(&at, d, &doc_types);
        if self.diags.len() > before {
            return None;
        }
        let (line, col) = line_col(&src.text, d.id.span().start);
        self.rule_at
            .insert(d.id.get_ref().clone(), (src.name.clone(), line, col));
        let checked = Checked {
            doc_types,
            languages,
            sets,
            regex,
            severity,
            example_doc_type,
        };
        Some(build(d, checked, &src.name, line))
    }

    /// The rule's concept exists and has the rule's kind; the concepts it reads exist.
    fn check_concepts(&mut self, at: &At<'_>, d: &RuleDef, concepts: &[Concept]) {
        let concept = d.concept.get_ref();
        match concepts.iter().find(|c| c.id == *concept) {
            Some(c) if c.kind != d.kind => {
                let msg = format!(
                    "concept `{}` is a {:?}, the rule says {:?}",
                    c.id, c.kind, d.kind
                );
                self.err(at, d.concept.span(), Code::KindMismatch, msg);
            }
            Some(_) => {}
            None if concept.starts_with('_') => {}
            None => {
                let msg = format!(
                    "unknown concept `{concept}` (see rules/concepts.toml, or declare it with [[concept]])"
                );
                self.err(at, d.concept.span(), Code::UnknownConcept, msg);
            }
        }
        let known = |id: &str| id.starts_with('_') || concepts.iter().any(|c| c.id == id);
        let reads = d.within.iter().chain(&d.requires).chain(&d.unless);
        for c in reads.chain(&d.unless_in_article) {
            if !known(c.get_ref()) {
                let msg = format!("unknown concept `{}`", c.get_ref());
                self.err(at, c.span(), Code::UnknownConcept, msg);
            }
        }
    }

    fn doc_types(&mut self, at: &At<'_>, d: &RuleDef) -> Vec<DocType> {
        let mut out = Vec::new();
        for t in &d.doc_types {
            match DocType::parse(t.get_ref()) {
                Some(t) => out.push(t),
                None => {
                    let msg = format!("unknown document type `{}`", t.get_ref());
                    self.err(at, t.span(), Code::UnknownDocType, msg);
                }
            }
        }
        out
    }

    fn languages(&mut self, at: &At<'_>, d: &RuleDef) -> Vec<Language> {
        let mut out = Vec::new();
        for l in &d.languages {
            match l.get_ref().as_str() {
                "fr" => out.push(Language::Fr),
                "en" => out.push(Language::En),
                other => {
                    let msg = format!("unknown language `{other}` (fr or en)");
                    self.err(at, l.span(), Code::UnknownLanguage, msg);
                }
            }
        }
        out
    }

    /// Resolves every set the rule names, in the order of the fields.
    fn sets(&mut self, src: &PackSource, d: &RuleDef, named: &HashMap<String, usize>) -> Sets {
        let heading = self.resolve_all(src, &d.heading, named);
        let all = self.resolve_all(src, &d.all, named);
        let any = self.resolve_all(src, &d.any, named);
        let none = self.resolve_all(src, &d.none, named);
        let sentence_none = self.resolve_all(src, &d.sentence_none, named);
        let sentence_all = self.resolve_all(src, &d.sentence_all, named);
        let exclude_near = d
            .exclude_near
            .iter()
            .filter_map(|e| Some((self.resolve(src, &e.set, named)?, e.words)))
            .collect();
        let near = d
            .near
            .iter()
            .filter_map(|n| {
                let a = self.resolve(src, &n.a, named)?;
                let b = self.resolve(src, &n.b, named)?;
                Some(Near {
                    a,
                    b,
                    words: n.words,
                })
            })
            .collect();
        Sets {
            heading,
            all,
            any,
            none,
            sentence_none,
            sentence_all,
            exclude_near,
            near,
        }
    }

    /// Compiles the regexes; they run on folded text, so they must be written folded.
    fn regexes(&mut self, at: &At<'_>, d: &RuleDef) -> Vec<regex::Regex> {
        let mut out = Vec::new();
        for r in &d.regex {
            match regex::RegexBuilder::new(r.get_ref())
                .size_limit(1 << 20)
                .build()
            {
                Ok(re) => out.push(re),
                Err(e) => self.err(
                    at,
                    r.span(),
                    Code::InvalidRegex,
                    format!("invalid regex: {e}"),
                ),
            }
            let unfolded = |c: char| c.is_uppercase() || !c.is_ascii() && c.is_alphabetic();
            if r.get_ref().chars().any(unfolded) {
                let msg = "regexes run on folded text: write them in lowercase without accents";
                self.err(at, r.span(), Code::UnfoldedRegex, msg.into());
            }
        }
        out
    }

    /// The rule's fields fit its scope and its sets.
    fn check_scope(&mut self, at: &At<'_>, d: &RuleDef, sets: &Sets) {
        let literal_free = sets.literal_free();
        if let (Some(first), true) = (d.regex.first(), literal_free) {
            let msg = "a regex needs a literal anchor (all, any, heading or near) so that it runs only where a literal hit";
            self.err(at, first.span(), Code::UnanchoredRegex, msg.into());
        }
        if literal_free && d.scope() != Scope::Document {
            let msg = "a rule with no term set must have scope = \"document\"";
            let span = d.scope.as_ref().map_or(at.table.clone(), |s| s.span());
            self.err(at, span, Code::NeedsDocumentScope, msg.into());
        }
        if let (Some(first), Scope::Document) = (d.unless_in_article.first(), d.scope()) {
            let msg = "`unless_in_article` needs scope = \"sentence\" or \"clause\"";
            self.err(at, first.span(), Code::ArticleNeedsLocatedScope, msg.into());
        }
        if !sets.heading.is_empty() && d.scope() != Scope::Clause {
            let span = d.heading[0].span();
            let msg = "`heading` needs scope = \"clause\"";
            self.err(at, span, Code::HeadingNeedsClauseScope, msg.into());
        }
    }

    /// `value_required` and the value tests have the value they test.
    fn check_values(&mut self, at: &At<'_>, d: &RuleDef) {
        if let (Some(req), None) = (&d.value_required, d.value) {
            if *req.get_ref() {
                let msg = "`value_required` needs a `value`";
                self.err(at, req.span(), Code::ValueRequiredWithoutValue, msg.into());
            }
        }
        let tests = [&d.value_over_hours, &d.value_hours, &d.value_not_hours];
        let first_test = tests.into_iter().flatten().next();
        if let (Some(t), false) = (first_test, d.value == Some(ValueKind::Duration)) {
            let msg = "value tests need value = \"duration\"";
            self.err(at, t.span(), Code::ValueTestNeedsDuration, msg.into());
        }
    }

    /// The (client, provider) severity; a finding must have one.
    fn severity(&mut self, at: &At<'_>, d: &RuleDef) -> Option<(Severity, Severity)> {
        let severity = d.severity.map(|s| match s {
            SeverityDef::One(s) => (s, s),
            SeverityDef::Per { client, provider } => (client, provider),
        });
        if d.kind == Kind::Finding && severity.is_none() {
            let msg = "a finding needs a `severity`";
            self.err(at, at.table.clone(), Code::MissingSeverity, msg.into());
        }
        severity
    }

    /// Both languages of the message; examples for every reported rule.
    fn check_texts(&mut self, at: &At<'_>, d: &RuleDef) {
        let (en, fr) = (&d.message.en, &d.message.fr);
        if let Some(empty) = [en, fr].into_iter().find(|t| t.get_ref().trim().is_empty()) {
            let msg = "`message` needs both `en` and `fr`";
            self.err(at, empty.span(), Code::IncompleteMessage, msg.into());
        }
        let reported = !d.concept.get_ref().starts_with('_');
        if reported && d.must_match.is_empty() {
            let msg = "a rule needs at least one `must_match` example";
            self.err(at, at.table.clone(), Code::MissingMustMatch, msg.into());
        }
        if reported && d.must_not_match.is_empty() {
            let msg = "a rule needs at least one `must_not_match` example";
            self.err(at, at.table.clone(), Code::MissingMustNotMatch, msg.into());
        }
    }

    fn example_doc_type(&mut self, at: &At<'_>, d: &RuleDef, doc_types: &[DocType]) -> DocType {
        match &d.example_doc_type {
            Some(t) => DocType::parse(t.get_ref()).unwrap_or_else(|| {
                let msg = format!("unknown document type `{}`", t.get_ref());
                self.err(at, t.span(), Code::UnknownDocType, msg);
                DocType::Other
            }),
            None => doc_types.first().copied().unwrap_or(DocType::ItServices),
        }
    }
}

/// What checking a rule made of its fields.
struct Checked {
    doc_types: Vec<DocType>,
    languages: Vec<Language>,
    sets: Sets,
    regex: Vec<regex::Regex>,
    severity: Option<(Severity, Severity)>,
    example_doc_type: DocType,
}

/// The compiled rule of a checked definition, from `line` of `file`.
fn build(d: &RuleDef, c: Checked, file: &str, line: usize) -> Rule {
    let sets = c.sets;
    Rule {
        id: d.id.get_ref().clone(),
        concept: d.concept.get_ref().clone(),
        kind: d.kind,
        title: d.title.clone(),
        scope: d.scope(),
        doc_types: c.doc_types,
        languages: c.languages,
        key: sets
            .all
            .first()
            .or(sets.any.first())
            .or(sets.heading.first())
            .copied(),
        heading: sets.heading,
        all: sets.all,
        any: sets.any,
        none: sets.none,
        near: sets.near,
        regex: c.regex,
        sentence_none: sets.sentence_none,
        sentence_all: sets.sentence_all,
        key_heading_line: d.key_heading_line,
        exclude_near: sets.exclude_near,
        within: strings(&d.within),
        requires: strings(&d.requires),
        unless: strings(&d.unless),
        unless_in_article: strings(&d.unless_in_article),
        severity: c.severity,
        references: d.references.clone(),
        message: d.message.text(),
        recommendation: d.recommendation.clone(),
        value: d.value,
        value_required: d.value_required.as_ref().is_some_and(|v| *v.get_ref()),
        value_over_hours: d.value_over_hours.as_ref().map(|v| *v.get_ref()),
        value_hours: d.value_hours.as_ref().map(|v| *v.get_ref()),
        value_not_hours: d.value_not_hours.as_ref().map(|v| *v.get_ref()),
        must_match: d.must_match.clone(),
        must_not_match: d.must_not_match.clone(),
        example_doc_type: c.example_doc_type,
        file: file.to_string(),
        line,
    }
}
