//! The sample corpus is the acceptance test: the concepts each document of `corpus/` yields
//! against its `.expect.toml`, and each client folder against its `portfolio.expect.toml`,
//! are scored per concept family and must stay above floors that only go up. Exactness is
//! not asked: part of the corpus was written blind, by people who never read the rules.

use std::path::Path;
use vigie::rules::eval::{evaluate, Evaluation};
use vigie::rules::Pack;
use vigie::AnalyzeOptions;

fn run() -> Evaluation {
    let pack = Pack::builtin().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    evaluate(&dir, &pack, &AnalyzeOptions::default()).expect("the corpus is readable")
}

/// What the corpus must at least score, per concept family (micro F1 over its documents and
/// folders). The corpus holds documents written beside the rules and the documents of past
/// blind rounds (corpus/BLIND.md), so it is not held at 100 %: a floor only goes up, and a
/// change that lowers a family below its floor must say why in the floor's own commit. The
/// floors were last set when blind rounds 5 to 7 joined the corpus (223 documents).
const FLOORS: &[(&str, f64)] = &[
    ("bk", 0.93),
    ("fm", 0.98),
    ("inc", 0.98),
    ("ins", 0.94),
    ("lb", 0.92),
    ("x", 0.82),
];

/// At most this many stated values may be read wrong or not at all.
const MAX_VALUE_MISSES: usize = 34;

fn f1(tp: u32, fp: u32, fn_: u32) -> f64 {
    let p = if tp + fp == 0 {
        1.0
    } else {
        f64::from(tp) / f64::from(tp + fp)
    };
    let r = if tp + fn_ == 0 {
        1.0
    } else {
        f64::from(tp) / f64::from(tp + fn_)
    };
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[test]
fn corpus_holds_its_floors() {
    let ev = run();
    for f in &ev.failures {
        eprintln!("{f}");
    }
    assert!(
        ev.documents >= 220,
        "the corpus needs at least 220 documents, has {}",
        ev.documents
    );
    let mut low = Vec::new();
    for &(family, floor) in FLOORS {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (c, s) in &ev.scores {
            if c.split('.').next() == Some(family) {
                (tp, fp, fn_) = (tp + s.tp, fp + s.fp, fn_ + s.fn_);
            }
        }
        let score = f1(tp, fp, fn_);
        eprintln!("{family:<4} F1 {score:.3} (floor {floor}; tp {tp}, fp {fp}, fn {fn_})");
        if score < floor {
            low.push(format!("{family}: F1 {score:.3} < {floor}"));
        }
    }
    assert!(low.is_empty(), "families below their floor: {low:?}");
    // Reporting cyber events as force majeure where the text does not is the worst error:
    // none is tolerated, blind documents included.
    let inverted = ev.scores.get("fm.cyber_included").map_or(0, |s| s.fp);
    assert_eq!(
        inverted, 0,
        "fm.cyber_included reported where the text does not list cyber events"
    );
    let values = ev
        .failures
        .iter()
        .filter(|f| f.contains("should have value"))
        .count();
    assert!(
        values <= MAX_VALUE_MISSES,
        "{values} values misread (at most {MAX_VALUE_MISSES})"
    );
}

/// Every concept the shipped packs can report is present in at least three documents (or
/// folders) and set as a trap in at least three others, so a rule that fires everywhere or
/// nowhere fails the corpus.
#[test]
fn every_reportable_concept_is_present_and_trapped_three_times() {
    let pack = Pack::builtin().unwrap();
    let ev = run();
    let mut thin: Vec<String> = pack
        .rules
        .iter()
        .filter(|r| !r.internal())
        .map(|r| r.concept.as_str())
        .chain(vigie::assess::PORTFOLIO_CONCEPTS)
        .filter_map(|c| {
            let (present, traps) = ev
                .coverage
                .get(c)
                .map_or((0, 0), |cov| (cov.present, cov.traps));
            (present < 3 || traps < 3).then(|| format!("{c} (present {present}, traps {traps})"))
        })
        .collect();
    thin.sort();
    thin.dedup();
    assert!(thin.is_empty(), "concepts too thin in the corpus: {thin:?}");
}
