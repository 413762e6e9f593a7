//! Scores the packs against a folder of documents with written expectations (the sample
//! corpus), so precision and recall per concept are measured, not guessed.
//!
//! Each document `NAME.EXT` has `NAME.expect.toml`; each folder may have a
//! `portfolio.expect.toml` listing the cross-document findings (`x.*`) its documents must
//! yield together (none when absent). Only concepts that a loaded rule or check can report
//! are compared, so an expectation may name a concept before its rule exists.

use crate::assess::{self, PortfolioMode, PortfolioOptions, PORTFOLIO_CONCEPTS};
use crate::model::{Document, Perspective};
use crate::rules::Pack;
use crate::{analyze_file, AnalyzeOptions};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Name of a folder's expectations for the portfolio checks.
pub const PORTFOLIO_EXPECT: &str = "portfolio.expect.toml";

/// Why a folder could not be evaluated.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// An expectation file cannot be read or parsed.
    #[error("{path}: {reason}")]
    Expectation {
        /// The expectation file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The folder has no document with expectations.
    #[error("{0}: no document with expectations found")]
    Empty(String),
}

/// What a careful reader finds in one document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The document's language (`fr`, `en`).
    pub language: String,
    /// The document's type (`it_services`, `insurance_cyber`, …).
    pub doc_type: String,
    /// The exact set of concepts the document holds.
    pub concepts: Vec<String>,
    /// Concepts the document tempts a keyword search with but does not hold (near misses);
    /// counted for coverage, checked like every absent concept.
    #[serde(default)]
    pub traps: Vec<String>,
    /// Values expected per concept (`PT72H`, `EUR 150000`).
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Concepts expected at a given clause.
    #[serde(default)]
    pub at: Vec<At>,
}

/// A concept expected at a clause (number or heading as printed).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct At {
    /// The concept.
    pub concept: String,
    /// The clause's number or heading.
    pub clause: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PortfolioExpect {
    #[serde(default)]
    finding: Vec<CrossExpect>,
    /// Cross-document concepts the folder is built to tempt but must not yield.
    #[serde(default)]
    traps: Vec<String>,
}

/// A cross-document finding expected in a folder; documents by file name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossExpect {
    concept: String,
    documents: Vec<String>,
}

/// True positives, false positives and false negatives of one concept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Expected and found.
    pub tp: u32,
    /// Found but not expected.
    pub fp: u32,
    /// Expected but not found.
    pub fn_: u32,
}

impl Score {
    /// tp / (tp + fp), 1 when nothing was found.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// How often a concept is present, and set as a trap, across the corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Documents (or folders) that hold the concept.
    pub present: u32,
    /// Documents (or folders) set as a trap for it.
    pub traps: u32,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    /// Documents compared.
    pub documents: usize,
    /// Folders whose portfolio checks were compared.
    pub portfolios: usize,
    /// Per concept, over the concepts a loaded rule or check can report.
    pub scores: BTreeMap<String, Score>,
    /// Per concept, how often the corpus holds it or tempts with it.
    pub coverage: BTreeMap<String, Coverage>,
    /// Every mismatch, one readable line each, sorted.
    pub failures: Vec<String>,
}

impl Evaluation {
    /// No mismatch.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Analyzes every document under `dir` and compares it with its expectations.
pub fn evaluate(dir: &Path, pack: &Pack, opts: &AnalyzeOptions) -> Result<Evaluation, EvalError> {
    let found = crate::discover::discover(&[dir.to_path_buf()]);
    let mut cases = Vec::new();
    for p in found.files {
        if file_name(&p) == PORTFOLIO_EXPECT || file_name(&p).ends_with(".expect.toml") {
            continue;
        }
        let exp = read_expect(&p)?;
        cases.push((p, exp));
    }
    if cases.is_empty() {
        return Err(EvalError::Empty(dir.display().to_string()));
    }
    let checked = reportable(pack);
    let mut ev = Evaluation {
        documents: cases.len(),
        ..Default::default()
    };
    let mut docs = Vec::new();
    for (path, exp) in &cases {
        let name = relative(dir, path);
        let doc = analyze_file(path, &name, pack, opts);
        compare_document(&name, &doc, exp, &checked, &mut ev);
        count_coverage(exp, &mut ev.coverage);
        docs.push(doc);
    }
    compare_portfolios(dir, pack, opts, &docs, &mut ev)?;
    ev.failures.sort();
    Ok(ev)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

/// The path below the evaluated folder, with `/` separators, so reports are portable.
fn relative(dir: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(dir).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_expect(doc: &Path) -> Result<Expect, EvalError> {
    let name = file_name(doc);
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let path = doc.with_file_name(format!("{stem}.expect.toml"));
    let err = |reason: String| EvalError::Expectation {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| err(format!("cannot read: {e}")))?;
    toml::from_str(&text).map_err(|e| err(e.to_string()))
}

/// Concepts some loaded rule or portfolio check can report.
fn reportable(pack: &Pack) -> BTreeSet<String> {
    pack.rules
        .iter()
        .filter(|r| !r.internal())
        .map(|r| r.concept.clone())
        .chain(PORTFOLIO_CONCEPTS.iter().map(|c| c.to_string()))
        .collect()
}

fn count_coverage(exp: &Expect, cov: &mut BTreeMap<String, Coverage>) {
    let present: BTreeSet<&String> = exp.concepts.iter().collect();
    let traps: BTreeSet<&String> = exp.traps.iter().collect();
    for c in present {
        cov.entry(c.clone()).or_default().present += 1;
    }
    for c in traps {
        cov.entry(c.clone()).or_default().traps += 1;
    }
}

fn tally(scores: &mut BTreeMap<String, Score>, got: &BTreeSet<String>, want: &BTreeSet<String>) {
    for c in got.union(want) {
        let s = scores.entry(c.clone()).or_default();
        match (got.contains(c), want.contains(c)) {
            (true, true) => s.tp += 1,
            (true, false) => s.fp += 1,
            (false, true) => s.fn_ += 1,
            (false, false) => {}
        }
    }
}

fn compare_document(
    name: &str,
    doc: &Document,
    exp: &Expect,
    checked: &BTreeSet<String>,
    ev: &mut Evaluation,
) {
    let f = &mut ev.failures;
    if let Some(e) = &doc.error {
        f.push(format!("{name}: not analyzed: {}", e.message));
        return;
    }
    for c in exp.traps.iter().filter(|c| exp.concepts.contains(c)) {
        f.push(format!("{name}: {c} is both expected and a trap"));
    }
    let lang = doc.language.map_or("-", |l| l.as_str());
    if lang != exp.language {
        f.push(format!(
            "{name}: language {lang}, expected {}",
            exp.language
        ));
    }
    let ty = doc.doc_type.map_or("-", |t| t.as_str());
    if ty != exp.doc_type {
        f.push(format!("{name}: doc_type {ty}, expected {}", exp.doc_type));
    }
    let got: BTreeSet<String> = doc
        .items()
        .map(|i| i.concept.clone())
        .filter(|c| checked.contains(c))
        .collect();
    let want: BTreeSet<String> = exp
        .concepts
        .iter()
        .filter(|c| checked.contains(c.as_str()))
        .cloned()
        .collect();
    tally(&mut ev.scores, &got, &want);
    if got != want {
        let extra: Vec<_> = got.difference(&want).collect();
        let missing: Vec<_> = want.difference(&got).collect();
        f.push(format!(
            "{name}: reported but not expected {extra:?}; expected but missing {missing:?}"
        ));
    }
    for at in exp.at.iter().filter(|a| checked.contains(&a.concept)) {
        let here = |i: &&crate::model::Item| {
            i.location.as_ref().is_some_and(|l| {
                l.clause.as_deref() == Some(at.clause.as_str())
                    || l.heading.as_deref() == Some(at.clause.as_str())
            })
        };
        if !doc
            .items()
            .filter(|i| i.concept == at.concept)
            .any(|i| here(&i))
        {
            f.push(format!(
                "{name}: {} expected at clause {}",
                at.concept, at.clause
            ));
        }
    }
    for (concept, value) in exp.values.iter().filter(|(c, _)| checked.contains(*c)) {
        let want = crate::model::Value::parse(value);
        let ok = doc
            .items()
            .any(|i| &i.concept == concept && i.value.as_ref() == Some(&want));
        if !ok {
            f.push(format!("{name}: {concept} should have value {value}"));
        }
    }
}

/// Runs the portfolio checks folder by folder and compares them with each folder's
/// `portfolio.expect.toml` (no file: no cross-document finding expected).
fn compare_portfolios(
    dir: &Path,
    pack: &Pack,
    opts: &AnalyzeOptions,
    docs: &[Document],
    ev: &mut Evaluation,
) -> Result<(), EvalError> {
    let popts = PortfolioOptions {
        mode: PortfolioMode::Folder,
        perspective: Perspective::Client,
        report_language: opts.report_language,
    };
    let mut folders: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
    for d in docs {
        folders
            .entry(assess::portfolio_key(&d.path))
            .or_default()
            .push(d);
    }
    for (folder, group) in &folders {
        ev.portfolios += 1;
        let got: BTreeSet<String> = assess::assess_folder(group, pack, &popts)
            .iter()
            .map(|i| cross_key(&i.concept, &i.documents))
            .collect();
        let (want, traps) = portfolio_expectations(dir, folder)?;
        for t in &traps {
            ev.coverage.entry(t.clone()).or_default().traps += 1;
        }
        let label = if folder.is_empty() { "." } else { folder };
        for k in got.union(&want) {
            let concept = k.split_once(' ').map_or(k.as_str(), |(c, _)| c);
            let s = ev.scores.entry(concept.to_string()).or_default();
            match (got.contains(k), want.contains(k)) {
                (true, true) => s.tp += 1,
                (true, false) => s.fp += 1,
                _ => s.fn_ += 1,
            }
            if want.contains(k) {
                ev.coverage.entry(concept.to_string()).or_default().present += 1;
            }
        }
        for k in got.difference(&want) {
            ev.failures.push(format!(
                "{label}/: portfolio reported but not expected: {k}"
            ));
        }
        for k in want.difference(&got) {
            ev.failures
                .push(format!("{label}/: portfolio expected but missing: {k}"));
        }
    }
    Ok(())
}

/// "x.concept [a.md, b.md]" with the documents' file names sorted.
fn cross_key(concept: &str, documents: &[String]) -> String {
    let mut names: Vec<&str> = documents
        .iter()
        .map(|d| d.rsplit('/').next().unwrap_or(d))
        .collect();
    names.sort();
    format!("{concept} [{}]", names.join(", "))
}

/// A folder's expected cross-document findings (as keys) and its trap concepts.
fn portfolio_expectations(
    dir: &Path,
    folder: &str,
) -> Result<(BTreeSet<String>, Vec<String>), EvalError> {
    let path: PathBuf = dir.join(folder).join(PORTFOLIO_EXPECT);
    if !path.exists() {
        return Ok((BTreeSet::new(), Vec::new()));
    }
    let err = |reason: String| EvalError::Expectation {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| err(format!("cannot read: {e}")))?;
    let exp: PortfolioExpect = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
    if let Some(c) = exp
        .traps
        .iter()
        .find(|t| exp.finding.iter().any(|f| &&f.concept == t))
    {
        return Err(err(format!("{c} is both expected and a trap")));
    }
    let want = exp
        .finding
        .iter()
        .map(|f| cross_key(&f.concept, &f.documents))
        .collect();
    Ok((want, exp.traps))
}

/// The scores as a table: precision and recall per concept, then each mismatch and the
/// counts.
pub fn write_table(ev: &Evaluation, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<34} {:>9} {:>7} {:>4} {:>4} {:>4} {:>8} {:>6}",
        "concept", "precision", "recall", "tp", "fp", "fn", "present", "traps"
    )?;
    for (c, s) in &ev.scores {
        let cov = ev.coverage.get(c).copied().unwrap_or_default();
        writeln!(
            out,
            "{c:<34} {:>8.1}% {:>6.1}% {:>4} {:>4} {:>4} {:>8} {:>6}",
            s.precision() * 100.0,
            s.recall() * 100.0,
            s.tp,
            s.fp,
            s.fn_,
            cov.present,
            cov.traps
        )?;
    }
    for f in &ev.failures {
        writeln!(out, "FAIL {f}")?;
    }
    writeln!(
        out,
        "{} documents, {} portfolios, {} mismatches",
        ev.documents,
        ev.portfolios,
        ev.failures.len()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_scores_failures_and_counts() {
        let mut ev = Evaluation {
            documents: 3,
            portfolios: 1,
            failures: vec!["a.md: missing fm.cyber_included".into()],
            ..Evaluation::default()
        };
        ev.scores.insert(
            "fm.cyber_included".into(),
            Score {
                tp: 1,
                fp: 1,
                fn_: 0,
            },
        );
        let mut out = Vec::new();
        write_table(&ev, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("concept "));
        assert!(lines[1].starts_with("fm.cyber_included"), "{text}");
        assert!(lines[1].contains(" 50.0% "), "precision 1/2: {text}");
        assert_eq!(lines[2], "FAIL a.md: missing fm.cyber_included");
        assert_eq!(lines[3], "3 documents, 1 portfolios, 1 mismatches");
    }

    #[test]
    fn cross_key_ignores_folders_and_order() {
        assert_eq!(
            cross_key(
                "x.notification_vs_complaint",
                &["acme/b.md".into(), "acme/a.md".into()]
            ),
            "x.notification_vs_complaint [a.md, b.md]"
        );
    }

    #[test]
    fn scores_count_each_kind_of_error() {
        let mut scores = BTreeMap::new();
        let got: BTreeSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let want: BTreeSet<String> = ["b", "c"].iter().map(|s| s.to_string()).collect();
        tally(&mut scores, &got, &want);
        assert_eq!(
            scores["a"],
            Score {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            scores["b"],
            Score {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            scores["c"],
            Score {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(scores["a"].precision(), 0.0);
        assert_eq!(scores["c"].recall(), 0.0);
    }
}
