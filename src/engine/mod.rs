//! Runs a compiled pack over one prepared document: one pass over the words of the folded
//! text finds every literal of every rule, then each rule is checked only in the scopes
//! (sentences, clauses, the document) where its literals hit.

pub(crate) mod literals;
#[cfg(test)]
mod testgen;
pub mod values;

use crate::classify::{self, CueCounter, LanguageCounter};
use crate::model::{DocType, Language};
use crate::normalize::Normalized;
use crate::rules::{Pack, Rule, Scope, ValueKind};
use crate::segment::{self, Segmented};

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

/// A document ready for matching. Spans in `clauses`, `headings` and `sentences` are
/// ranges of the folded text.
pub struct Prepared<'a> {
    norm: &'a Normalized,
    seg: &'a Segmented,
    doc_type: DocType,
    language: Language,
    sentences: Vec<Range<usize>>,
    /// Clause spans, then the gaps between top-level clauses (preamble, unheaded text).
    clauses: Vec<Range<usize>>,
    headings: Vec<Option<Range<usize>>>,
    /// Folded offsets of the colons that open a list ([`Segmented::lead_ins`]).
    lead_ins: Vec<usize>,
}

impl<'a> Prepared<'a> {
    /// A document from its folded text `norm` and `seg`, the segmentation of the original
    /// text; `doc_type` and `language` select the rules that apply.
    pub fn new(
        norm: &'a Normalized,
        seg: &'a Segmented,
        doc_type: DocType,
        language: Language,
    ) -> Prepared<'a> {
        // Sentences are sorted and disjoint: each bound maps at or after the previous one
        // (searched from the start again should one ever not be).
        let (mut at, mut orig_end) = (0, 0);
        let sentences = seg
            .sentences
            .iter()
            .map(|s| {
                let from = if s.start >= orig_end { at } else { 0 };
                let start = norm.from_orig_after(s.start, from);
                let end = norm.from_orig_after(s.end.max(s.start), start);
                (at, orig_end) = (end, s.end.max(s.start));
                start..end
            })
            .collect();
        let mut clauses: Vec<Range<usize>> = seg
            .clauses
            .iter()
            .map(|c| norm.from_orig_range(c.span.clone()))
            .collect();
        let mut headings: Vec<Option<Range<usize>>> = seg
            .clauses
            .iter()
            .map(|c| c.heading_span.clone().map(|h| norm.from_orig_range(h)))
            .collect();
        for gap in gaps(&clauses, seg, norm.text.len()) {
            clauses.push(gap);
            headings.push(None);
        }
        let lead_ins = seg
            .lead_ins
            .iter()
            .map(|&o| norm.from_orig_range(o..o + 1).start)
            .collect();
        Prepared {
            norm,
            seg,
            doc_type,
            language,
            sentences,
            clauses,
            headings,
            lead_ins,
        }
    }

    /// Folded offset of the colon that ends the lead-in of a list in sentence `sent`.
    fn lead_in_end(&self, sent: &Range<usize>) -> Option<usize> {
        let i = self.lead_ins.partition_point(|&o| o < sent.start);
        self.lead_ins.get(i).copied().filter(|&o| o < sent.end)
    }

    /// Folded span of the sentence holding folded offset `at`.
    pub fn sentence_at(&self, at: usize) -> Option<Range<usize>> {
        let i = self.sentences.partition_point(|s| s.end <= at);
        self.sentences.get(i).filter(|s| s.start <= at).cloned()
    }

    /// Folded span of the article holding folded offset `at`: the deepest clause there,
    /// widened to its parents up to (not including) an unnumbered top-level title.
    pub fn article_at(&self, at: usize) -> Option<Range<usize>> {
        let mut i = segment::clause_at(self.seg, self.norm.to_orig(at))?;
        while let Some(p) = self.seg.clauses[i].parent {
            let parent = &self.seg.clauses[p];
            if parent.number.is_none() && parent.parent.is_none() {
                break;
            }
            i = p;
        }
        self.clauses.get(i).cloned()
    }

    /// Words that start in the folded range `lo..hi`, counted up to `limit + 1`: proximity
    /// tests ask only whether two hits stand within a few words, so the count stops there
    /// instead of indexing every word of the document.
    fn words_between(&self, lo: usize, hi: usize, limit: usize) -> usize {
        let text = &self.norm.text;
        if lo >= hi {
            return 0;
        }
        let mut prev_word = text[..lo]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let (mut i, mut n) = (lo, 0);
        while i < hi && n <= limit {
            let (w, len) = crate::normalize::word_char_at(text, i);
            n += usize::from(w && !prev_word);
            prev_word = w;
            i += len;
        }
        n
    }
}

/// Text not covered by any top-level clause (a preamble, or a document with no headings),
/// so that rules scoped to clauses still see it.
fn gaps(clauses: &[Range<usize>], seg: &Segmented, len: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for (c, span) in seg.clauses.iter().zip(clauses) {
        if c.parent.is_some() {
            continue;
        }
        if span.start > pos {
            out.push(pos..span.start);
        }
        pos = pos.max(span.end);
    }
    if pos < len {
        out.push(pos..len);
    }
    out
}

/// One rule that fired. Spans are ranges of the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in `Pack::rules`.
    pub rule: usize,
    /// The region the rule looked at (one or more ranges).
    pub scope: Vec<Range<usize>>,
    /// The hit that locates the evidence; `None` for a document-level absence.
    pub evidence: Option<Range<usize>>,
    pub(crate) value: Option<crate::model::Value>,
    /// Why a rule that reads a value has none: the amount is redacted or not written in a
    /// form Vigie reads. The fact stands without its value.
    pub value_note: Option<&'static str>,
}

/// What one pass over the words of a folded text finds.
pub struct Read {
    /// Every literal hit, per term set, sorted by start.
    pub hits: Vec<Vec<Range<usize>>>,
    /// The document-type cues, for [`classify::doc_type_counted`].
    pub cues: CueCounter,
    /// The function words, for [`LanguageCounter::language`].
    pub language: LanguageCounter,
}

/// Reads `text` once: the literal hits of every term set, the document-type cues and the
/// function words of each language.
pub fn read(pack: &Pack, text: &str) -> Read {
    let mut hits = vec![Vec::new(); pack.set_names.len()];
    let mut cues = CueCounter::default();
    let mut language = LanguageCounter::default();
    let bytes = text.as_bytes();
    let count_cues = !pack.literals.cues_overlap;
    pack.literals.find(
        text,
        |w| language.add(w),
        |lit, at| {
            if let (Some(k), true) = (lit.meaning.cue, count_cues) {
                cues.add(text, k, at.start, at.end);
            }
            let end_ok = !lit.word_end || at.end >= bytes.len() || !is_word_at(text, at.end);
            for &(set, prefix) in &lit.meaning.sets {
                if prefix || end_ok {
                    hits[set].push(at.clone());
                }
            }
        },
    );
    if !count_cues {
        cues = classify::count_cues(text);
    }
    for h in &mut hits {
        h.sort_by_key(|r| (r.start, r.end));
        h.dedup();
    }
    Read {
        hits,
        cues,
        language,
    }
}

fn is_word_at(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Runs every rule of `pack` on `doc` in the pack's order.
pub fn run(pack: &Pack, doc: &Prepared<'_>) -> Vec<Match> {
    run_with_hits(pack, doc, &read(pack, &doc.norm.text).hits)
}

/// [`run`] with the literal hits already found by [`read`] on the same text.
pub fn run_with_hits(pack: &Pack, doc: &Prepared<'_>, hits: &[Vec<Range<usize>>]) -> Vec<Match> {
    let memo = ValueMemo::default();
    let mut out: Vec<Match> = Vec::new();
    let mut found: HashSet<&str> = HashSet::new();
    for (idx, rule) in pack.rules.iter().enumerate() {
        if !applies(rule, doc, &found) {
            continue;
        }
        let matches = run_rule(idx, rule, doc, hits, &out, pack, &memo);
        if !matches.is_empty() {
            found.insert(rule.concept.as_str());
        }
        out.extend(matches);
    }
    out
}

fn applies(rule: &Rule, doc: &Prepared<'_>, found: &HashSet<&str>) -> bool {
    (rule.doc_types.is_empty() || rule.doc_types.contains(&doc.doc_type))
        && (rule.languages.is_empty() || rule.languages.contains(&doc.language))
        && rule.requires.iter().all(|c| found.contains(c.as_str()))
        && !rule.unless.iter().any(|c| found.contains(c.as_str()))
}

fn run_rule(
    idx: usize,
    rule: &Rule,
    doc: &Prepared<'_>,
    hits: &[Vec<Range<usize>>],
    earlier: &[Match],
    pack: &Pack,
    memo: &ValueMemo,
) -> Vec<Match> {
    if rule.anchors().any(|s| hits[s].is_empty())
        || (!rule.any.is_empty() && rule.any.iter().all(|&s| hits[s].is_empty()))
    {
        return Vec::new();
    }
    let regions = match required_set(rule, hits) {
        // Only a sentence holding a hit of a required set can match: the sentences are
        // found from that set's hits instead of checking every sentence of the document.
        Some(req) if rule.within.is_empty() && rule.scope == Scope::Sentence => {
            sentences_with_hit(doc, &hits[req])
        }
        Some(req) => scopes(rule, doc, earlier, pack, Some(&hits[req])),
        None => scopes(rule, doc, earlier, pack, None),
    };
    let mut out: Vec<Match> = regions
        .into_iter()
        .filter_map(|(ranges, heading)| eval(idx, rule, doc, hits, ranges, heading, memo))
        .collect();
    if rule.scope == Scope::Clause && rule.heading.is_empty() {
        keep_deepest(&mut out);
    }
    if rule.scope == Scope::Document {
        point_at_first_within(rule, earlier, pack, &mut out);
    }
    if !rule.unless_in_article.is_empty() {
        out.retain(|m| !article_has(rule, doc, earlier, pack, m));
    }
    out
}

/// Whether a concept of `unless_in_article` was found in the article holding `m`.
fn article_has(rule: &Rule, doc: &Prepared<'_>, earlier: &[Match], pack: &Pack, m: &Match) -> bool {
    let Some(article) = m.scope.first().and_then(|s| doc.article_at(s.start)) else {
        return false;
    };
    earlier
        .iter()
        .filter(|e| rule.unless_in_article.contains(&pack.rules[e.rule].concept))
        .filter_map(|e| e.scope.first())
        .any(|s| article.start <= s.start && s.start < article.end)
}

/// The set with the fewest hits among those a region must hold a hit of (every set of
/// `all`, both sides of each `near`): no region without one of its hits can match.
fn required_set(rule: &Rule, hits: &[Vec<Range<usize>>]) -> Option<usize> {
    rule.all
        .iter()
        .copied()
        .chain(rule.near.iter().flat_map(|n| [n.a, n.b]))
        .min_by_key(|&s| hits[s].len())
}

/// The sentences that hold one of `hits` (sorted by start), in document order. Sentences
/// are sorted and disjoint, so each hit lies in at most one.
fn sentences_with_hit(doc: &Prepared<'_>, hits: &[Range<usize>]) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    let mut last = None;
    for h in hits {
        let i = doc.sentences.partition_point(|s| s.end <= h.start);
        let Some(s) = doc.sentences.get(i) else {
            break;
        };
        if s.start <= h.start && h.end <= s.end && last != Some(i) {
            out.push((vec![s.clone()], None));
            last = Some(i);
        }
    }
    out
}

/// A document-level verdict on what other rules found (`within`) points at the first
/// thing found for the first concept listed, not at whichever region comes first.
fn point_at_first_within(rule: &Rule, earlier: &[Match], pack: &Pack, out: &mut [Match]) {
    let Some(first) = rule.within.first() else {
        return;
    };
    let anchor = earlier
        .iter()
        .filter(|m| &pack.rules[m.rule].concept == first)
        .filter_map(|m| m.scope.first().map(|r| r.start))
        .min();
    for m in out
        .iter_mut()
        .filter(|m| m.evidence.as_ref().is_none_or(|e| e.is_empty()))
    {
        if let Some(a) = anchor {
            m.evidence = Some(a..a);
        }
    }
}

/// A region a rule is evaluated on (one or more ranges) and the heading span of its clause.
type Region = (Vec<Range<usize>>, Option<Range<usize>>);

/// The regions a rule is evaluated on; with `req`, only those holding one of its hits
/// (tested before a region is built: most clauses hold none).
fn scopes(
    rule: &Rule,
    doc: &Prepared<'_>,
    earlier: &[Match],
    pack: &Pack,
    req: Option<&[Range<usize>]>,
) -> Vec<Region> {
    let holds = |r: &Range<usize>| req.is_none_or(|h| has_hit(h, std::slice::from_ref(r)));
    if !rule.within.is_empty() {
        let mut spans: Vec<Range<usize>> = earlier
            .iter()
            .filter(|m| rule.within.contains(&pack.rules[m.rule].concept))
            .flat_map(|m| m.scope.iter().cloned())
            .collect();
        spans = merge(spans);
        if spans.is_empty() {
            // Nothing was found to look inside: the rule has no scope at all.
            return Vec::new();
        }
        return match rule.scope {
            Scope::Document if req.is_none_or(|h| has_hit(h, &spans)) => vec![(spans, None)],
            Scope::Document => Vec::new(),
            Scope::Clause => spans
                .into_iter()
                .filter(holds)
                .map(|s| (vec![s], None))
                .collect(),
            // Spans are merged and sorted, sentences sorted and disjoint: the sentences
            // inside each span are a run found by search, not a scan of every sentence.
            Scope::Sentence => spans
                .iter()
                .flat_map(|w| {
                    let from = doc.sentences.partition_point(|s| s.start < w.start);
                    doc.sentences[from..]
                        .iter()
                        .take_while(move |s| s.start < w.end)
                        .filter(move |s| s.end <= w.end)
                })
                .filter(|s| holds(s))
                .map(|s| (vec![s.clone()], None))
                .collect(),
        };
    }
    match rule.scope {
        Scope::Document => {
            let all = 0..doc.norm.text.len();
            if holds(&all) {
                vec![(vec![all], None)]
            } else {
                Vec::new()
            }
        }
        Scope::Clause => doc
            .clauses
            .iter()
            .zip(&doc.headings)
            .filter(|(c, _)| holds(c))
            .map(|(c, h)| (vec![c.clone()], h.clone()))
            .collect(),
        Scope::Sentence => doc
            .sentences
            .iter()
            .filter(|s| holds(s))
            .map(|s| (vec![s.clone()], None))
            .collect(),
    }
}

fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Hits of `set` inside any of `ranges`.
fn hits_in<'h>(
    hits: &'h [Range<usize>],
    ranges: &'h [Range<usize>],
) -> impl Iterator<Item = &'h Range<usize>> + 'h {
    ranges.iter().flat_map(move |r| {
        let from = hits.partition_point(|h| h.start < r.start);
        hits[from..]
            .iter()
            .take_while(move |h| h.start < r.end)
            .filter(move |h| h.end <= r.end)
    })
}

fn has_hit(hits: &[Range<usize>], ranges: &[Range<usize>]) -> bool {
    hits_in(hits, ranges).next().is_some()
}

fn eval(
    idx: usize,
    rule: &Rule,
    doc: &Prepared<'_>,
    hits: &[Vec<Range<usize>>],
    ranges: Vec<Range<usize>>,
    heading: Option<Range<usize>>,
    memo: &ValueMemo,
) -> Option<Match> {
    // Exclusions first: a negation anywhere in the scope ends the evaluation.
    if rule.none.iter().any(|&s| has_hit(&hits[s], &ranges)) {
        return None;
    }
    if !heading_ok(rule, hits, heading.as_ref()) {
        return None;
    }
    // The key set's hits, without those in a sentence that negates them.
    let key_hits: Vec<Range<usize>> = match rule.key {
        Some(k) => hits_in(&hits[k], &ranges)
            .filter(|h| key_hit_ok(rule, doc, hits, h))
            .cloned()
            .collect(),
        None => Vec::new(),
    };
    let set_ok = |s: usize| {
        if Some(s) == rule.key {
            !key_hits.is_empty()
        } else {
            has_hit(&hits[s], &ranges)
        }
    };
    if !rule.all.iter().all(|&s| set_ok(s)) {
        return None;
    }
    if !rule.any.is_empty() && !rule.any.iter().any(|&s| set_ok(s)) {
        return None;
    }
    let hits_of = |s: usize| -> Vec<Range<usize>> {
        if Some(s) == rule.key {
            key_hits.clone()
        } else {
            hits_in(&hits[s], &ranges).cloned().collect()
        }
    };
    let mut near_evidence = None;
    for n in &rule.near {
        let (a, b) = (hits_of(n.a), hits_of(n.b));
        let found = near_pair(doc, &a, &b, n.words).or_else(|| lead_in_pair(doc, &a, &b))?;
        near_evidence.get_or_insert(found);
    }
    if !regexes_ok(rule, &doc.norm.text, &ranges) {
        return None;
    }
    let evidence = evidence(
        rule,
        &key_hits,
        near_evidence,
        hits,
        heading.as_ref(),
        &ranges,
    );
    let (value, hours) = match (rule.value, evidence.as_ref()) {
        (Some(kind), Some(ev)) => {
            value_near(doc, kind, ev, memo).map_or((None, None), |(v, h)| (Some(v), h))
        }
        _ => (None, None),
    };
    if !value_test(rule, value.is_some(), hours) {
        return None;
    }
    let value_note = match (rule.value, &value, evidence.as_ref()) {
        (Some(_), None, Some(ev)) => Some(missing_value_reason(doc, ev)),
        _ => None,
    };
    Some(Match {
        rule: idx,
        scope: ranges,
        evidence,
        value,
        value_note,
    })
}

/// The rule's heading sets (if any) hit the heading of the scope.
fn heading_ok(rule: &Rule, hits: &[Vec<Range<usize>>], heading: Option<&Range<usize>>) -> bool {
    if rule.heading.is_empty() {
        return true;
    }
    heading.is_some_and(|h| {
        rule.heading
            .iter()
            .any(|&s| has_hit(&hits[s], std::slice::from_ref(h)))
    })
}

/// Every regex of the rule matches the folded text of one of the scope's ranges.
fn regexes_ok(rule: &Rule, text: &str, ranges: &[Range<usize>]) -> bool {
    rule.regex.iter().all(|re| {
        ranges
            .iter()
            .any(|r| text.get(r.clone()).is_some_and(|t| re.is_match(t)))
    })
}

fn evidence(
    rule: &Rule,
    key_hits: &[Range<usize>],
    near: Option<Range<usize>>,
    hits: &[Vec<Range<usize>>],
    heading: Option<&Range<usize>>,
    ranges: &[Range<usize>],
) -> Option<Range<usize>> {
    // A key hit that meets the rule's proximity test is the evidence, not merely the first
    // one: in a clause headed "Responsabilité", the cap sentence, not the heading.
    if let (Some(n), Some(ev)) = (rule.near.first(), near.as_ref()) {
        if Some(n.a) == rule.key {
            return Some(ev.clone());
        }
    }
    if let Some(k) = key_hits.first() {
        return Some(k.clone());
    }
    if near.is_some() {
        return near;
    }
    if let Some(h) = heading {
        return rule
            .heading
            .iter()
            .find_map(|&s| hits_in(&hits[s], std::slice::from_ref(h)).next().cloned());
    }
    // A located scope with no literal (`within` + absence) points at its first region.
    if !rule.within.is_empty() {
        return ranges.first().map(|r| r.start..r.start);
    }
    None
}

/// Whether a key hit survives the rule's negations: none of `exclude_near` within its
/// window, none of `sentence_none` and all of `sentence_all` in its sentence.
fn key_hit_ok(
    rule: &Rule,
    doc: &Prepared<'_>,
    hits: &[Vec<Range<usize>>],
    h: &Range<usize>,
) -> bool {
    // A carve-out only negates what stands in its own sentence.
    let sent = doc.sentence_at(h.start).unwrap_or_else(|| h.clone());
    let near_negation = rule.exclude_near.iter().any(|&(set, words)| {
        let local: Vec<Range<usize>> = hits_in(&hits[set], std::slice::from_ref(&sent))
            .cloned()
            .collect();
        near_pair(doc, std::slice::from_ref(h), &local, words).is_some()
    });
    !near_negation
        && (!rule.key_heading_line || on_heading_line(doc.norm, h))
        && key_sentence_ok(rule, doc, hits, h.start)
}

/// Whether a hit stands in a short title line: an optional list marker ("q.", "67.", "iv)",
/// "12.3") then at most six words, the hit among the first three. A wrapped line of body
/// text is short too, so a title has no comma or semicolon, and a table-of-contents line
/// (dot leaders) is not one.
fn on_heading_line(norm: &Normalized, h: &Range<usize>) -> bool {
    let text = &norm.text;
    let Range { start, end } = norm.line_of(h);
    if h.end > end {
        return false;
    }
    let line = &text[start..end];
    let trimmed = line.trim_start();
    let marker = list_marker_len(trimmed);
    let title_start = start + (line.len() - trimmed.len()) + marker;
    let title = text[title_start..end].trim();
    let words_before = text[title_start..h.start.max(title_start)]
        .split_whitespace()
        .count();
    h.start >= title_start
        && !title.is_empty()
        && title.split_whitespace().count() <= 6
        && words_before < 3
        && !title.contains([',', ';'])
        && !title.contains("....")
}

/// Length of a leading list marker and the spaces after it, or 0.
fn list_marker_len(s: &str) -> usize {
    let label = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(s.len());
    let (mark, rest) = s.split_at(label);
    let mark = mark.trim_end_matches('.');
    let is_marker = !mark.is_empty()
        && (mark.len() == 1
            || mark
                .split('.')
                .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
            || mark.bytes().all(|b| b"ivxlc".contains(&b)));
    let punct = rest.starts_with(['.', ')']) || s[..label].ends_with('.');
    if !is_marker || !punct {
        return 0;
    }
    let after = label + usize::from(rest.starts_with(')'));
    after + s[after..].len() - s[after..].trim_start().len()
}

fn key_sentence_ok(rule: &Rule, doc: &Prepared<'_>, hits: &[Vec<Range<usize>>], at: usize) -> bool {
    if rule.sentence_none.is_empty() && rule.sentence_all.is_empty() {
        return true;
    }
    let Some(s) = doc.sentence_at(at) else {
        return rule.sentence_all.is_empty();
    };
    let sent = std::slice::from_ref(&s);
    !rule.sentence_none.iter().any(|&x| has_hit(&hits[x], sent))
        && rule.sentence_all.iter().all(|&x| has_hit(&hits[x], sent))
}

/// The first pair of hits where one stands in a list's lead-in and the other in an item of
/// that list, in one sentence ("sont exclus : ... – les dommages résultant d'une guerre",
/// "None of the following ...: (c) a cyber incident"): the lead-in governs every item,
/// however far down the list. Returns the `a` hit.
fn lead_in_pair(
    doc: &Prepared<'_>,
    a: &[Range<usize>],
    b: &[Range<usize>],
) -> Option<Range<usize>> {
    // Most documents have few lists: no lead-in between the hits, nothing to look up.
    let (Some(lo), Some(hi)) = (
        a.iter().chain(b).map(|r| r.start).min(),
        a.iter().chain(b).map(|r| r.end).max(),
    ) else {
        return None;
    };
    let first = doc
        .lead_ins
        .partition_point(|&o| o < lo.saturating_sub(4096));
    if doc.lead_ins.get(first).is_none_or(|&o| o > hi) {
        return None;
    }
    for x in a {
        let Some(sent) = doc.sentence_at(x.start) else {
            continue;
        };
        let Some(lead_end) = doc.lead_in_end(&sent) else {
            continue;
        };
        let x_in_lead = x.end <= lead_end;
        let governed = b.iter().any(|y| {
            y.start >= sent.start && y.end <= sent.end && (y.end <= lead_end) != x_in_lead
        });
        if governed {
            return Some(x.clone());
        }
    }
    None
}

/// The first pair of hits within `words` words of each other; returns the earlier hit.
fn near_pair(
    doc: &Prepared<'_>,
    a: &[Range<usize>],
    b: &[Range<usize>],
    words: u32,
) -> Option<Range<usize>> {
    let limit = words as usize;
    for x in a {
        // Only the b-hits just before and just after x can be the closest.
        let i = b.partition_point(|y| y.start < x.start);
        let candidates = [i.checked_sub(1).and_then(|j| b.get(j)), b.get(i)];
        for y in candidates.into_iter().flatten() {
            let dist = if y.start >= x.start {
                doc.words_between(x.end, y.start, limit)
            } else {
                doc.words_between(y.end, x.start, limit)
            };
            if dist <= limit {
                return Some(x.clone());
            }
        }
    }
    None
}

/// The value of the kind asked for that stands nearest to the evidence in its sentence,
/// after it if possible, with its bound in hours for durations. A bounded duration beats an open-ended one in the
/// same sentence ("dans les meilleurs délais et au plus tard 48 heures" is 48 hours).
fn value_near(
    doc: &Prepared<'_>,
    kind: ValueKind,
    at: &Range<usize>,
    memo: &ValueMemo,
) -> Option<(crate::model::Value, Option<u64>)> {
    let sent = doc.sentence_at(at.start).unwrap_or_else(|| at.clone());
    let text = doc.norm.text.get(sent.clone())?;
    let rel = at.start.saturating_sub(sent.start);
    let dist = |r: &Range<usize>| r.start.abs_diff(rel).min(r.end.abs_diff(rel));
    match kind {
        ValueKind::Duration => {
            let all = memo.durations(&sent, text);
            let bounded: Vec<_> = all
                .iter()
                .filter(|m| m.duration.hours().is_some())
                .collect();
            let pool: Vec<_> = if bounded.is_empty() {
                all.iter().collect()
            } else {
                bounded
            };
            // A value the word labels in parentheses ("within 8 hours (RTO)") is its own;
            // otherwise a value written after the word that calls for it ("keep backups
            // for 30 days") beats a closer one before it ("daily and keep backups for 30
            // days").
            let labelled = |r: &Range<usize>| {
                r.end <= rel && text.get(r.end..rel).is_some_and(|gap| gap.trim() == "(")
            };
            pool.into_iter()
                .min_by_key(|m| (!labelled(&m.span), m.span.end <= rel, dist(&m.span)))
                .map(|m| (m.duration.to_value(), m.duration.hours()))
        }
        ValueKind::Amount => memo
            .amounts(&sent, text)
            .iter()
            .min_by_key(|m| dist(&m.span))
            .map(|m| (m.amount.to_value(), None)),
    }
}

/// "redacted" when the sentence holding the evidence blanks its figures out ("$[***]",
/// "[*]", "[redacted]", as filed contracts do), else "not_readable".
fn missing_value_reason(doc: &Prepared<'_>, ev: &Range<usize>) -> &'static str {
    let sent = doc.sentence_at(ev.start).unwrap_or_else(|| ev.clone());
    let text = doc.norm.text.get(sent).unwrap_or_default();
    let redacted = text.contains("[*")
        || text.contains("***")
        || text.contains("[redacted")
        || text.contains("[confidential");
    if redacted {
        "redacted"
    } else {
        "not_readable"
    }
}

/// The values of each sentence already read during one run: rules on backups, notices and
/// caps often ask for values in the same sentence, and reading them is the costly part.
#[derive(Default)]
struct ValueMemo {
    durations: RefCell<HashMap<Range<usize>, Rc<[values::DurationMatch]>>>,
    amounts: RefCell<HashMap<Range<usize>, Rc<[values::AmountMatch]>>>,
}

impl ValueMemo {
    fn durations(&self, sent: &Range<usize>, text: &str) -> Rc<[values::DurationMatch]> {
        let mut m = self.durations.borrow_mut();
        m.entry(sent.clone())
            .or_insert_with(|| values::durations(text).into())
            .clone()
    }

    fn amounts(&self, sent: &Range<usize>, text: &str) -> Rc<[values::AmountMatch]> {
        let mut m = self.amounts.borrow_mut();
        m.entry(sent.clone())
            .or_insert_with(|| values::amounts(text).into())
            .clone()
    }
}

/// The rule's conditions on the duration found (no condition: always true).
fn value_test(rule: &Rule, found: bool, hours: Option<u64>) -> bool {
    // Open-ended counts as over any bound.
    let over = rule
        .value_over_hours
        .is_none_or(|max| found && hours.is_none_or(|h| h > max));
    if rule.value_required && !found {
        return false;
    }
    let exact = rule.value_hours.is_none_or(|h| hours == Some(h));
    let other = rule
        .value_not_hours
        .is_none_or(|h| hours.is_some_and(|x| x != h));
    over && exact && other
}

/// For clause rules, a clause that matched only because a sub-clause did is dropped, so
/// the finding points at the deepest clause.
fn keep_deepest(out: &mut Vec<Match>) {
    let spans: Vec<Range<usize>> = out.iter().map(|m| m.scope[0].clone()).collect();
    let mut i = 0;
    out.retain(|_| {
        let me = &spans[i];
        i += 1;
        !spans
            .iter()
            .any(|o| o != me && me.start <= o.start && o.end <= me.end)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_pass_counts_cues_as_classification_alone_does() {
        let pack = Pack::builtin().expect("shipped packs compile");
        let texts = [
            "Police d'assurance cyber. L'assureur garantit l'assure ; sinistre, sinistres, prime.",
            "The insurer and the insured: claim, claimclaim, xclaim, premium; data breach; ransom.",
            "Contrat d'infogerance : le prestataire assure la sauvegarde. Sous-traitant, rgpd.",
            "",
        ];
        for t in texts {
            let t = crate::normalize::fold(t);
            assert_eq!(
                read(&pack, &t).cues.counts(),
                classify::count_cues(&t).counts(),
                "{t:?}"
            );
            assert_eq!(
                classify::doc_type_counted(&t, &read(&pack, &t).cues),
                classify::doc_type(&t)
            );
        }
    }

    #[test]
    fn the_rule_pass_counts_function_words_as_language_alone_does() {
        let pack = Pack::builtin().expect("shipped packs compile");
        let texts = [
            "Le prestataire est tenu de sauvegarder les données du client.",
            "The provider shall back up the data of the customer.",
            "The Client et le Prestataire : the data, les données, of the, de la, and or ou.",
            "",
        ];
        for t in texts {
            let t = crate::normalize::fold(t);
            assert_eq!(read(&pack, &t).language, classify::count_language(&t));
            assert_eq!(
                read(&pack, &t).language.language(),
                classify::language(&t),
                "{t:?}"
            );
        }
    }

    fn at(text: &str, word: &str) -> bool {
        let norm = Normalized::new(text);
        let i = norm.text.find(word).unwrap();
        on_heading_line(&norm, &(i..i + word.len()))
    }

    #[test]
    fn heading_lines_are_short_titles_with_or_without_a_list_marker() {
        assert!(at("exclusions\nq.  war\nstrikes, war", "war"));
        assert!(at("67. war and cyber war\narising out of", "war"));
        assert!(at("b) infrastructure failure", "infrastructure"));
        assert!(at("iv. war\n", "war"));
        assert!(at("war\n", "war"));
    }

    #[test]
    fn wrapped_body_lines_and_contents_lines_are_not_heading_lines() {
        assert!(!at(
            "the insured's own\nauthority, or internet service provider (isp); 3.\nnext",
            "internet"
        ));
        assert!(!at("q. war ........................ 19\n", "war"));
        assert!(!at("1. war; or\n", "war"));
        assert!(!at("damage caused in the course of a war\n", "war"));
    }

    #[test]
    fn sentences_and_definitions_are_not_heading_lines() {
        let sentence =
            "we will not pay for loss arising from war, invasion or acts of foreign enemies";
        assert!(!at(sentence, "war"));
        let definition = "53. \"war\" means war, invasion, acts of foreign enemies, hostilities";
        assert!(!at(definition, "war"));
    }
}
