//! `cargo test` runs every rule's examples, like `vigie rules test`: a rule whose examples
//! fail, or that no example makes fire, fails the build.

use vigie::rules::examples;
use vigie::rules::Pack;

#[test]
fn every_rule_example_passes_and_every_rule_is_covered() {
    let pack = Pack::builtin().expect("built-in packs compile");
    let results = examples::run_all(&pack);
    assert!(results.len() >= 2 * pack.rules.iter().filter(|r| !r.internal()).count());
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| {
            let want = if r.should_match {
                "must match"
            } else {
                "must not match"
            };
            format!("{} {want}: {:?}", r.rule, r.text)
        })
        .collect();
    assert!(
        failed.is_empty(),
        "failing examples:\n{}",
        failed.join("\n")
    );
    assert_eq!(examples::uncovered(&pack, &results), Vec::<String>::new());
}

#[test]
fn every_fm_concept_has_a_rule() {
    let pack = Pack::builtin().unwrap();
    for c in [
        "fm.clause",
        "fm.absent",
        "fm.cyber_included",
        "fm.cyber_excluded",
        "fm.broad_definition",
        "fm.no_continuity_duty",
    ] {
        assert!(pack.rules.iter().any(|r| r.concept == c), "no rule for {c}");
    }
}
