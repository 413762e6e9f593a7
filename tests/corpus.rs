//! The sample corpus is the acceptance test: every document of `corpus/` must yield exactly
//! the concepts its `.expect.toml` lists (among those the shipped packs can report), its
//! language, document type, values and `[[at]]` locations, and every client folder exactly
//! the cross-document findings of its `portfolio.expect.toml`.

use std::path::Path;
use vigie::eval::{evaluate, Evaluation};
use vigie::rules::Pack;
use vigie::AnalyzeOptions;

fn run() -> Evaluation {
    let pack = Pack::builtin().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    evaluate(&dir, &pack, &AnalyzeOptions::default()).expect("the corpus is readable")
}

#[test]
fn corpus_yields_exactly_the_expected_concepts() {
    let ev = run();
    for (c, s) in &ev.scores {
        eprintln!(
            "{c:<32} precision {:>5.1}%  recall {:>5.1}%  (tp {}, fp {}, fn {})",
            s.precision() * 100.0,
            s.recall() * 100.0,
            s.tp,
            s.fp,
            s.fn_
        );
    }
    assert!(
        ev.documents >= 40,
        "the corpus needs at least 40 documents, has {}",
        ev.documents
    );
    assert!(
        ev.failures.is_empty(),
        "corpus mismatches:\n{}",
        ev.failures.join("\n")
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
