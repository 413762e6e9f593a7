//! The sample corpus is the acceptance test: every document of `corpus/` must yield exactly
//! the concepts its `.expect.toml` lists (among those the shipped packs can report),
//! its language and document type, and each `[[at]]` location.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use vigie::rules::Pack;
use vigie::{analyze_file, AnalyzeOptions, Document};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    language: String,
    doc_type: String,
    concepts: Vec<String>,
    #[serde(default)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    at: Vec<At>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct At {
    concept: String,
    clause: String,
}

fn corpus() -> Vec<(PathBuf, Expect)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("corpus/ exists") {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".expect.toml")
            || name == "README.md"
            || name.starts_with('.')
            || !p.is_file()
        {
            continue;
        }
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let exp_path = dir.join(format!("{stem}.expect.toml"));
        let text = std::fs::read_to_string(&exp_path)
            .unwrap_or_else(|_| panic!("{name} has no {stem}.expect.toml"));
        let exp: Expect =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{stem}.expect.toml: {e}"));
        out.push((p, exp));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn reported(doc: &Document, checked: &BTreeSet<String>) -> BTreeSet<String> {
    doc.items()
        .map(|i| i.concept.clone())
        .filter(|c| checked.contains(c))
        .collect()
}

#[test]
fn corpus_yields_exactly_the_expected_concepts() {
    let pack = Pack::builtin().unwrap();
    // Expectations may list concepts no shipped rule reports yet; only those a rule can
    // report are compared.
    let checked: BTreeSet<String> = pack
        .rules
        .iter()
        .filter(|r| !r.internal())
        .map(|r| r.concept.clone())
        .collect();
    let docs = corpus();
    assert!(
        docs.len() >= 12,
        "the corpus needs at least 12 documents, has {}",
        docs.len()
    );
    let fr = docs.iter().filter(|(_, e)| e.language == "fr").count();
    assert!(
        fr >= 6,
        "the corpus needs at least 6 French documents, has {fr}"
    );

    let opts = AnalyzeOptions::default();
    let mut failures = Vec::new();
    // Per concept: (true positives, false positives, false negatives).
    let mut score: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    for (path, exp) in &docs {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let doc = analyze_file(path, &name, &pack, &opts);
        if let Some(e) = &doc.error {
            failures.push(format!("{name}: not analyzed: {}", e.message));
            continue;
        }
        let lang = doc.language.map(|l| l.as_str()).unwrap_or("-");
        let ty = doc.doc_type.map(|t| t.as_str()).unwrap_or("-");
        if lang != exp.language {
            failures.push(format!(
                "{name}: language {lang}, expected {}",
                exp.language
            ));
        }
        if ty != exp.doc_type {
            failures.push(format!("{name}: doc_type {ty}, expected {}", exp.doc_type));
        }
        let got = reported(&doc, &checked);
        let want: BTreeSet<String> = exp
            .concepts
            .iter()
            .filter(|c| checked.contains(c.as_str()))
            .cloned()
            .collect();
        for c in got.union(&want) {
            let s = score.entry(c.clone()).or_default();
            match (got.contains(c), want.contains(c)) {
                (true, true) => s.0 += 1,
                (true, false) => s.1 += 1,
                (false, true) => s.2 += 1,
                _ => {}
            }
        }
        if got != want {
            let extra: Vec<_> = got.difference(&want).collect();
            let missing: Vec<_> = want.difference(&got).collect();
            failures.push(format!(
                "{name}: reported but not expected {extra:?}; expected but missing {missing:?}"
            ));
        }
        for at in &exp.at {
            let ok = doc.items().any(|i| {
                i.concept == at.concept
                    && i.location.as_ref().is_some_and(|l| {
                        l.clause.as_deref() == Some(at.clause.as_str())
                            || l.heading.as_deref() == Some(at.clause.as_str())
                    })
            });
            if !ok {
                let seen: Vec<_> = doc
                    .items()
                    .filter(|i| i.concept == at.concept)
                    .map(|i| {
                        i.location
                            .as_ref()
                            .map(|l| (l.clause.clone(), l.heading.clone()))
                    })
                    .collect();
                failures.push(format!(
                    "{name}: {} expected at clause {}, found at {seen:?}",
                    at.concept, at.clause
                ));
            }
        }
        for (concept, value) in &exp.values {
            let ok = doc
                .items()
                .any(|i| &i.concept == concept && i.value.as_deref() == Some(value.as_str()));
            if !ok {
                failures.push(format!("{name}: {concept} should have value {value}"));
            }
        }
    }
    for (c, (tp, fp, fneg)) in &score {
        let p = if tp + fp == 0 {
            1.0
        } else {
            *tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fneg == 0 {
            1.0
        } else {
            *tp as f64 / (tp + fneg) as f64
        };
        eprintln!(
            "{c:<24} precision {:>5.1}%  recall {:>5.1}%  (tp {tp}, fp {fp}, fn {fneg})",
            p * 100.0,
            r * 100.0
        );
    }
    assert!(
        failures.is_empty(),
        "corpus mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_concept_of_the_shipped_packs_appears_in_the_corpus() {
    let pack = Pack::builtin().unwrap();
    let expected: BTreeSet<String> = corpus().into_iter().flat_map(|(_, e)| e.concepts).collect();
    let missing: Vec<&str> = pack
        .rules
        .iter()
        .filter(|r| !r.internal() && !expected.contains(&r.concept))
        .map(|r| r.concept.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "concepts with no corpus document: {missing:?}"
    );
}
