//! Analyzes one document end to end (read, extract, fold, segment, classify, match, turn
//! matches into report items) and turns any failure, panics included, into that document's
//! error so that one bad file never stops the scan.

use crate::assess;
use crate::classify;
use crate::engine::{self, Match, Prepared};
use crate::extract::ocr::OcrMode;
use crate::extract::{self, ErrorKind, ExtractError, Extracted, Format};
use crate::model::*;
use crate::normalize::Normalized;
use crate::rules::Pack;
use crate::scan::budget::{self, MemoryBudget};
use crate::scan::cache::Cache;
use crate::segment::{self, Segmented};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How to analyze: whose risk, which language to assume, which to report in.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Whose risk the severities weigh.
    pub perspective: Perspective,
    /// Force the document language instead of detecting it.
    pub language: Option<Language>,
    /// Force the document type instead of detecting it (rule examples use this).
    pub doc_type: Option<DocType>,
    /// Language of messages and recommendations.
    pub report_language: Language,
    /// Files larger than this end as `too_large`.
    pub max_bytes: u64,
    /// Extract PDFs in worker processes (set by the binary); `None` extracts in-process.
    pub isolation: Option<crate::extract::isolate::Isolation>,
    /// The scan's memory, shared by its jobs; `None`: no waiting (one document at a time).
    pub budget: Option<Arc<MemoryBudget>>,
}

impl AnalyzeOptions {
    /// The options that decide an analysis, as text: the cache keys its entries with it, so
    /// an entry is reused only under the same settings.
    fn settings(&self) -> String {
        let settings = format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            self.perspective,
            self.language,
            self.doc_type,
            self.report_language,
            self.isolation.as_ref().map(|i| i.max_memory),
        );
        // Only a non-default OCR mode joins the key, so entries written before OCR still hit.
        match self.isolation.as_ref().map_or(OcrMode::Auto, |i| i.ocr) {
            OcrMode::Auto => settings,
            other => format!("{settings}\nocr={}", other.as_str()),
        }
    }
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            perspective: Perspective::Client,
            language: None,
            doc_type: None,
            report_language: Language::En,
            max_bytes: 200 * 1024 * 1024,
            isolation: None,
            budget: None,
        }
    }
}

/// Reads and analyzes the file at `path`; `display` is the path written in the report.
pub fn analyze_file(path: &Path, display: &str, pack: &Pack, opts: &AnalyzeOptions) -> Document {
    analyze_file_cancellable(path, display, pack, opts, &AtomicBool::new(false), None)
}

/// [`analyze_file`] that stops (document error `interrupted`) once `cancel` is raised, and
/// reuses the analysis stored in `cache` for a file whose content was already analyzed.
pub fn analyze_file_cancellable(
    path: &Path,
    display: &str,
    pack: &Pack,
    opts: &AnalyzeOptions,
    cancel: &AtomicBool,
    cache: Option<&Cache>,
) -> Document {
    let format = Format::from_path(path).unwrap_or(Format::Txt);
    if cancel.load(Ordering::Relaxed) {
        return failed(
            display,
            "",
            Some(format),
            crate::extract::isolate::interrupted(),
        );
    }
    // Held until the document is analyzed: what it may take, out of the scan's budget.
    let _memory = opts.budget.as_deref().map(|b| {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let worker = opts.isolation.as_ref().map_or(b.total(), |i| i.max_memory);
        b.reserve(budget::estimate(format, size, worker), cancel)
    });
    if cancel.load(Ordering::Relaxed) {
        return failed(
            display,
            "",
            Some(format),
            crate::extract::isolate::interrupted(),
        );
    }
    let (bytes, sha, len, mut warnings) = match read(path, format, opts.max_bytes) {
        Ok(r) => r,
        Err(e) => return failed(display, "", Some(format), e),
    };
    // Plain-text formats are analyzed about as fast as a cache entry is read back and
    // written (docs/performance.md, "Scale"): only extracted formats are worth an entry.
    let cache = cache.filter(|_| {
        matches!(
            format,
            Format::Pdf | Format::Docx | Format::Odt | Format::Rtf | Format::Doc
        )
    });
    let key = cache.map(|c| c.key(&sha, format, pack, &opts.settings()));
    if let (Some(c), Some(k)) = (cache, &key) {
        if let Some(doc) = c.get(k, &sha, display) {
            return doc;
        }
    }
    let doc = guarded(display, &sha, Some(format), || {
        let extracted = match (&opts.isolation, format) {
            (Some(iso), Format::Pdf | Format::Doc) => {
                crate::extract::isolate::extract(iso, path, format, cancel)?
            }
            _ => extract::extract_bytes(&bytes, format)?,
        };
        let mut extracted = extracted;
        let cut = cap_text(&mut extracted);
        // A head already cut when read says so once.
        if warnings.is_empty() {
            warnings.extend(cut);
        }
        let mut doc = analyze_extracted(&extracted, display, pack, opts);
        doc.sha256 = sha.clone();
        doc.bytes = len;
        // The reading's warnings come first, as they came first.
        warnings.append(&mut doc.warnings);
        doc.warnings = warnings;
        cap_items(&mut doc);
        Ok(doc)
    });
    // Only a finished analysis is worth keeping: an interruption or a timeout says nothing
    // about the file.
    if let (Some(c), Some(k)) = (cache, &key) {
        let transient = doc.error.as_ref().is_some_and(|e| e.kind.is_transient());
        if !transient {
            c.put(k, &doc);
        }
    }
    doc
}

/// The bytes of `path` to extract, their file's sha256 and length, and a warning when only
/// the head of a text file was read (its analyzed part is capped anyway: see
/// [`budget::MAX_ANALYZED_TEXT`]).
fn read(
    path: &Path,
    format: Format,
    max_bytes: u64,
) -> Result<(Vec<u8>, String, u64, Vec<String>), ExtractError> {
    if !matches!(
        format,
        Format::Txt | Format::Md | Format::Rst | Format::Html
    ) {
        let bytes = extract::read_file(path, max_bytes)?;
        let (sha, len) = (hex_sha256(&bytes), bytes.len() as u64);
        return Ok((bytes, sha, len, Vec::new()));
    }
    let head = extract::read_head(path, max_bytes, budget::MAX_ANALYZED_TEXT)?;
    let warnings = if head.whole {
        Vec::new()
    } else {
        vec![truncated_warning(head.bytes.len() as u64, head.len)]
    };
    Ok((head.bytes, head.sha256, head.len, warnings))
}

fn truncated_warning(analyzed: u64, whole: u64) -> String {
    let mib = |n: u64| n as f64 / f64::from(1 << 20);
    format!(
        "only the first {:.1} MiB of {:.1} MiB were analyzed (the limit per document): the \
         rest of the text was not read for findings",
        mib(analyzed),
        mib(whole)
    )
}

/// Keeps at most [`budget::MAX_ITEMS`] facts, findings and mitigations each (the most
/// severe findings first), and says in the warnings how many were dropped.
fn cap_items(doc: &mut Document) {
    let max = budget::MAX_ITEMS;
    let too_many_findings = doc.findings.len() > max;
    if too_many_findings {
        // Stable: equal severities keep their order.
        doc.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }
    let mut dropped = Vec::new();
    for (name, list) in [
        ("facts", &mut doc.facts),
        ("findings", &mut doc.findings),
        ("mitigations", &mut doc.mitigations),
    ] {
        if list.len() > max {
            dropped.push(format!("{} {name}", list.len() - max));
            list.truncate(max);
        }
    }
    if too_many_findings {
        // Back in the order of the text once the most severe were kept.
        doc.findings.sort_by(by_place);
    }
    if !dropped.is_empty() {
        doc.warnings.push(format!(
            "{} not reported: at most {max} of each kind per document",
            dropped.join(", ")
        ));
    }
}

/// The report's order of a document's items: by place in the text, then concept and rule.
fn by_place(a: &Item, b: &Item) -> std::cmp::Ordering {
    let key = |i: &Item| i.location.as_ref().map(|l| (l.start, l.end));
    key(a)
        .cmp(&key(b))
        .then_with(|| a.concept.cmp(&b.concept))
        .then_with(|| a.rule.cmp(&b.rule))
}

/// Cuts the extracted text to what one document may analyze; the warning, if cut.
fn cap_text(ex: &mut Extracted) -> Option<String> {
    let cut = budget::cut_point(&ex.text)?;
    let whole = ex.text.len() as u64;
    ex.text.truncate(cut);
    ex.text.shrink_to_fit();
    ex.pages.retain(|p| p.start < cut);
    if let Some(last) = ex.pages.last_mut() {
        last.end = last.end.min(cut);
    }
    Some(truncated_warning(cut as u64, whole))
}

/// Analyzes text already in memory (rule examples, tests, stdin).
pub fn analyze_text(text: &str, display: &str, pack: &Pack, opts: &AnalyzeOptions) -> Document {
    let sha = hex_sha256(text.as_bytes());
    guarded(display, &sha, Some(Format::Txt), || {
        let extracted = extract::extract_bytes(text.as_bytes(), Format::Txt)?;
        let mut doc = analyze_extracted(&extracted, display, pack, opts);
        doc.sha256 = sha.clone();
        doc.bytes = text.len() as u64;
        Ok(doc)
    })
}

/// Runs `f`, turning an error or a panic into a failed document.
pub(crate) fn guarded(
    display: &str,
    sha: &str,
    format: Option<Format>,
    f: impl FnOnce() -> Result<Document, ExtractError>,
) -> Document {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => failed(display, sha, format, e),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let e = ExtractError::new(
                ErrorKind::Crashed,
                format!("the analysis crashed ({what}); please report this file's shape"),
            );
            failed(display, sha, format, e)
        }
    }
}

fn failed(display: &str, sha: &str, format: Option<Format>, e: ExtractError) -> Document {
    Document::failed(
        display.to_string(),
        sha.to_string(),
        format.map(|f| f.as_str().to_string()),
        DocError {
            kind: e.kind,
            message: e.message,
        },
    )
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Everything after extraction.
fn analyze_extracted(
    ex: &Extracted,
    display: &str,
    pack: &Pack,
    opts: &AnalyzeOptions,
) -> Document {
    let norm = Normalized::new(&ex.text);
    let seg = segment::segment(&ex.text, &ex.pages);
    // One pass over the words finds the rules' literals, the type's cues and the
    // language's function words.
    let read = engine::read(pack, &norm.text);
    let language = opts.language.unwrap_or_else(|| read.language.language());
    let doc_type = opts.doc_type.unwrap_or_else(|| {
        classify::note_or(
            classify::doc_type_counted(&norm.text, &read.cues),
            &seg,
            &ex.text,
        )
    });
    let prepared = Prepared::new(&norm, &seg, doc_type, language);
    let matches = engine::run_with_hits(pack, &prepared, &read.hits);
    let ctx = ItemContext {
        text: &ex.text,
        norm: &norm,
        seg: &seg,
        prepared: &prepared,
        pack,
        opts,
        pages: &ex.pages,
        line_starts: line_starts(&ex.text),
    };
    let items = ctx.items(&matches);
    let (mut facts, mut findings, mut mitigations) = (Vec::new(), Vec::new(), Vec::new());
    for it in items {
        match it.kind {
            Kind::Fact => facts.push(it),
            Kind::Finding => findings.push(it),
            Kind::Mitigation => mitigations.push(it),
        }
    }
    let residual_risk = assess::residual(
        doc_type,
        &facts,
        &findings,
        &mitigations,
        pack,
        opts.perspective,
        opts.report_language,
    );
    Document {
        path: display.to_string(),
        status: Status::Ok,
        error: None,
        sha256: String::new(),
        format: Some(ex.format.as_str().to_string()),
        extractor: Some(ex.extractor.clone()),
        language: Some(language),
        doc_type: Some(doc_type),
        pages: (!ex.pages.is_empty()).then_some(ex.pages.len() as u32),
        bytes: ex.text.len() as u64,
        warnings: ex.warnings.clone(),
        parties: crate::classify::parties::read(&ex.text),
        facts,
        findings,
        mitigations,
        residual_risk,
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

struct ItemContext<'a> {
    text: &'a str,
    norm: &'a Normalized,
    seg: &'a Segmented,
    prepared: &'a Prepared<'a>,
    pack: &'a Pack,
    opts: &'a AnalyzeOptions,
    pages: &'a [Range<usize>],
    line_starts: Vec<usize>,
}

impl ItemContext<'_> {
    /// Report items, one per concept and clause (the first rule in pack order wins), sorted.
    fn items(&self, matches: &[Match]) -> Vec<Item> {
        let mut seen: HashSet<(String, Option<usize>, bool)> = HashSet::new();
        let mut out = Vec::new();
        for m in matches {
            let rule = &self.pack.rules[m.rule];
            if rule.internal() {
                continue;
            }
            let clause = m
                .evidence
                .as_ref()
                .and_then(|e| segment::clause_at(self.seg, self.norm.to_orig(e.start)));
            if !seen.insert((rule.concept.clone(), clause, m.evidence.is_some())) {
                continue;
            }
            out.push(self.item(m, clause));
        }
        out.sort_by(by_place);
        out
    }

    fn item(&self, m: &Match, clause: Option<usize>) -> Item {
        let rule = &self.pack.rules[m.rule];
        let lang = self.opts.report_language;
        let (location, excerpt, evidence) = match &m.evidence {
            Some(ev) => {
                let (loc, ex) = self.locate(ev, clause);
                let words = self.evidence_words(ev, &ex);
                (Some(loc), Some(ex), words)
            }
            None => (None, None, None),
        };
        Item {
            concept: rule.concept.clone(),
            rule: rule.id.clone(),
            kind: rule.kind,
            severity: rule.severity_for(self.opts.perspective),
            value: m.value.clone(),
            value_note: m.value_note.map(str::to_string),
            location,
            excerpt,
            evidence,
            message: rule.message.get(lang).to_string(),
            references: rule.references.clone(),
            recommendation: rule
                .recommendation
                .as_ref()
                .map(|r| r.get(lang).to_string()),
            documents: Vec::new(),
            fingerprint: None,
            suppression: None,
            severity_by_perspective: rule
                .severity
                .map(|(client, provider)| PerspectiveSeverity { client, provider }),
        }
    }

    /// The original words of the evidence, whitespace collapsed, when the excerpt shows them.
    fn evidence_words(&self, ev: &Range<usize>, excerpt: &str) -> Option<String> {
        let hit = self.norm.to_orig_range(ev.clone());
        let words = collapsed(self.text.get(hit)?);
        (!words.is_empty() && excerpt.contains(&words)).then_some(words)
    }

    /// The sentence holding the evidence, its clause, page and line, and a readable excerpt.
    fn locate(&self, ev: &Range<usize>, clause: Option<usize>) -> (Location, String) {
        let sent = self
            .prepared
            .sentence_at(ev.start)
            .unwrap_or_else(|| ev.clone());
        let span = self.norm.to_orig_range(sent);
        let hit = self.norm.to_orig_range(ev.clone());
        let c = clause.and_then(|i| self.seg.clauses.get(i));
        let line = self.line_starts.partition_point(|&s| s <= span.start);
        let page = self
            .pages
            .iter()
            .position(|p| p.start <= span.start && span.start < p.end.max(p.start + 1))
            .map(|i| i as u32 + 1);
        let loc = Location {
            page,
            clause: c.and_then(|c| c.number.clone()),
            heading: c.and_then(|c| c.heading.clone()),
            start: span.start,
            end: span.end,
            line,
        };
        (loc, excerpt(self.text, &span, &hit))
    }
}

const EXCERPT_MAX: usize = 280;

/// `t` with each run of whitespace made one space, and none at the ends.
fn collapsed(t: &str) -> String {
    if is_collapsed(t.as_bytes()) {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len());
    for w in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether `b` is ASCII with no control character, no two spaces in a row and none at
/// either end: most sentences, which [`collapsed`] then copies whole. The byte test has no
/// early exit, so that it compiles to vector instructions.
fn is_collapsed(b: &[u8]) -> bool {
    let odd = b
        .iter()
        .fold(false, |acc, &c| acc | !(0x20..0x7f).contains(&c));
    !odd && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && memchr::memmem::find(b, b"  ").is_none()
}

/// The sentence with whitespace collapsed; a long one is cut around the hit.
fn excerpt(text: &str, span: &Range<usize>, hit: &Range<usize>) -> String {
    let s = text.get(span.clone()).unwrap_or("");
    if s.len() <= EXCERPT_MAX {
        return collapsed(s);
    }
    let rel = hit.start.saturating_sub(span.start).min(s.len());
    let mut from = rel.saturating_sub(EXCERPT_MAX / 3);
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (from + EXCERPT_MAX).min(s.len());
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&collapsed(&s[from..to]));
    if to < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_past_the_cap_are_counted_most_severe_kept_in_text_order() {
        let pack = crate::rules::Pack::builtin().unwrap();
        let text = "Contrat de maintenance informatique\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance.\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : les virus informatiques et le piratage.\n";
        let mut doc = analyze_text(text, "c.txt", &pack, &AnalyzeOptions::default());
        let one = doc.findings[0].clone();
        let mut low = one.clone();
        low.severity = Some(Severity::Low);
        let mut high = one.clone();
        high.severity = Some(Severity::High);
        doc.findings = std::iter::repeat_n(low, budget::MAX_ITEMS)
            .chain(std::iter::repeat_n(high, 5))
            .collect();
        cap_items(&mut doc);
        assert_eq!(doc.findings.len(), budget::MAX_ITEMS);
        let highs = doc
            .findings
            .iter()
            .filter(|f| f.severity == Some(Severity::High))
            .count();
        assert_eq!(highs, 5, "the most severe are kept");
        assert!(
            doc.warnings
                .iter()
                .any(|w| w.contains("5 findings not reported")),
            "{:?}",
            doc.warnings
        );
    }

    #[test]
    fn collapses_as_split_whitespace_joined() {
        let cases = [
            "",
            " ",
            "a",
            " a ",
            "a b",
            "a  b",
            "a\tb",
            "a\nb c",
            "\u{a0}é\u{2003}x\u{85}y",
            "l'assuré…  ",
            "\r\n\x0b\x0cmot\u{3000}",
            "a\u{202f}b",
            "a\x7fb",
            "a\x1cb",
        ];
        for t in cases {
            let want = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapsed(t), want, "{t:?}");
        }
        assert!(is_collapsed(b"a b c."));
        assert!(!is_collapsed(b"a  b"));
    }

    #[test]
    fn a_panic_becomes_a_crashed_document() {
        let doc = guarded("x.txt", "abc", Some(Format::Txt), || panic!("boom"));
        assert_eq!(doc.status, Status::Error);
        let err = doc.error.unwrap();
        assert_eq!(err.kind, ErrorKind::Crashed);
        assert!(err.message.contains("boom"));
        assert_eq!(doc.residual_risk.level, RiskLevel::Unknown);
    }

    #[test]
    fn excerpt_cuts_long_sentences_around_the_hit() {
        let text = format!("{} piratage {}", "mot ".repeat(200), "fin ".repeat(200));
        let at = text.find("piratage").unwrap();
        let e = excerpt(&text, &(0..text.len()), &(at..at + 8));
        assert!(e.contains("piratage"));
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert!(e.chars().count() <= EXCERPT_MAX + 2);
    }
}
