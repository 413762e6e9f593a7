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
        ev.documents >= 20,
        "the corpus needs at least 20 documents, has {}",
        ev.documents
    );
    assert!(
        ev.failures.is_empty(),
        "corpus mismatches:\n{}",
        ev.failures.join("\n")
    );
}

#[test]
fn every_reportable_concept_appears_in_the_corpus() {
    let pack = Pack::builtin().unwrap();
    let ev = run();
    let missing: Vec<&str> = pack
        .rules
        .iter()
        .filter(|r| !r.internal())
        .map(|r| r.concept.as_str())
        .chain(vigie::assess::PORTFOLIO_CONCEPTS)
        .filter(|c| ev.coverage.get(*c).is_none_or(|cov| cov.present == 0))
        .collect();
    assert!(
        missing.is_empty(),
        "concepts with no corpus document: {missing:?}"
    );
}
