//! Engine features the shipped packs do not all exercise yet (regex verification, values,
//! document conditions, any/none), checked with small inline packs.

use vigie::model::{Decimal, DocType, Fees, Language, TimeUnit, Value};
use vigie::rules::{Pack, PackSource};
use vigie::{analyze_text, AnalyzeOptions, Document};

fn pack(rules: &str) -> Pack {
    let text = format!("[pack]\nid = \"t\"\nversion = \"1\"\n{rules}");
    Pack::compile(&[PackSource {
        name: "t.toml".into(),
        text,
    }])
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(p: &Pack, text: &str) -> Document {
    let opts = AnalyzeOptions {
        doc_type: Some(DocType::ItServices),
        language: Some(Language::Fr),
        ..AnalyzeOptions::default()
    };
    analyze_text(text, "t.txt", p, &opts)
}

fn concepts(d: &Document) -> Vec<String> {
    d.items()
        .map(|i| format!("{}:{}", i.concept, i.rule))
        .collect()
}

const EX: &str =
    "message = { en = \"m\", fr = \"m\" }\nmust_match = [\"a\"]\nmust_not_match = [\"b\"]\n";

#[test]
fn regex_is_verified_only_where_literals_hit() {
    let p = pack(&format!(
        "[[rule]]\nid = \"rpo\"\nconcept = \"bk.rpo\"\nkind = \"fact\"\nscope = \"sentence\"\nall = [[\"rpo\"]]\nregex = ['rpo\\s*(de|:|=)?\\s*\\d+']\nvalue = \"duration\"\n{EX}"
    ));
    let d = run(&p, "Le RPO : 4 heures. Un RPO sera défini plus tard.");
    let rpo: Vec<_> = d.facts.iter().filter(|i| i.concept == "bk.rpo").collect();
    assert_eq!(rpo.len(), 1, "{:?}", concepts(&d));
    assert_eq!(
        rpo[0].value,
        Some(Value::Duration {
            count: Decimal::whole(4),
            unit: TimeUnit::Hours
        })
    );
    assert!(rpo[0].excerpt.as_deref().unwrap().starts_with("Le RPO"));
}

#[test]
fn document_conditions_any_and_none() {
    let p = pack(&format!(
        "[[rule]]\nid = \"bk\"\nconcept = \"bk.provider_obligation\"\nkind = \"fact\"\nscope = \"sentence\"\nall = [[\"sauvegarde\"]]\nany = [[\"quotidienne\"], [\"hebdomadaire\"]]\nnone = [[\"sans engagement\"]]\n{EX}\
         [[rule]]\nid = \"miss\"\nconcept = \"bk.restore_test.missing\"\nkind = \"finding\"\nscope = \"document\"\nseverity = \"medium\"\nrequires = [\"bk.provider_obligation\"]\nnone = [[\"test(s) de restauration\"]]\n{EX}"
    ));
    let d = run(&p, "Le Prestataire réalise une sauvegarde quotidienne.");
    assert_eq!(
        concepts(&d),
        ["bk.provider_obligation:bk", "bk.restore_test.missing:miss"]
    );
    assert!(
        d.findings[0].location.is_none(),
        "an absence is document-level"
    );
    let d = run(
        &p,
        "Le Prestataire réalise une sauvegarde quotidienne. Des tests de restauration sont menés.",
    );
    assert_eq!(concepts(&d), ["bk.provider_obligation:bk"]);
    let d = run(&p, "Une sauvegarde quotidienne, sans engagement.");
    assert!(concepts(&d).is_empty());
    let d = run(&p, "Une sauvegarde mensuelle.");
    assert!(concepts(&d).is_empty(), "no `any` set hit");
}

#[test]
fn literals_match_whole_words_across_accents_and_case() {
    let p = pack(&format!(
        "[[rule]]\nid = \"v\"\nconcept = \"_x\"\nkind = \"fact\"\nscope = \"sentence\"\nall = [[\"virus\"]]\nmessage = {{ en = \"m\", fr = \"m\" }}\n\
         [[rule]]\nid = \"e\"\nconcept = \"fm.clause\"\nkind = \"fact\"\nscope = \"sentence\"\nall = [[\"evenement\"]]\n{EX}"
    ));
    let d = run(&p, "Un logiciel antivirus. Un ÉVÉNEMENT rare.");
    assert_eq!(
        concepts(&d),
        ["fm.clause:e"],
        "internal concepts are not reported; antivirus is not virus"
    );
}

#[test]
fn evidence_is_the_key_hit_that_meets_the_proximity_test() {
    let p = pack(&format!(
        "[[rule]]\nid = \"cap\"\nconcept = \"lb.no_gross_fault_carveout\"\nkind = \"finding\"\nseverity = \"low\"\nscope = \"clause\"\nall = [[\"responsabilité\"], [\"limitée\"]]\nnear = [{{ a = [\"responsabilité\"], b = [\"limitée\"], words = 3 }}]\n{EX}"
    ));
    let d = run(
        &p,
        "Article 6 – Responsabilité\nLe Prestataire exécute les services avec soin et diligence. Sa responsabilité est limitée à 10 000 €.",
    );
    assert_eq!(d.findings.len(), 1, "{:?}", concepts(&d));
    let ex = d.findings[0].excerpt.as_deref().unwrap();
    assert!(ex.starts_with("Sa responsabilité"), "{ex}");
}

#[test]
fn a_carve_out_of_one_article_covers_its_sub_clauses_only() {
    let p = pack(&format!(
        "[[rule]]\nid = \"co\"\nconcept = \"_co\"\nkind = \"mitigation\"\nscope = \"sentence\"\nall = [[\"faute lourde\"], [\"présent article\"]]\n{EX}\
         [[rule]]\nid = \"ex\"\nconcept = \"lb.no_gross_fault_carveout\"\nkind = \"finding\"\nseverity = \"low\"\nscope = \"clause\"\nall = [[\"ne saurait être tenu responsable\"]]\nunless_in_article = [\"_co\"]\n{EX}"
    ));
    let d = run(
        &p,
        "# Contrat\n\n## Article 9 – Responsabilité\n\n9.1 Le Prestataire ne saurait être tenu responsable des dommages indirects.\n\n9.2 Les exclusions du présent article ne s'appliquent pas en cas de faute lourde.\n\n## Article 10 – Données\n\nLe Prestataire ne saurait être tenu responsable des pertes de données.\n",
    );
    let clauses: Vec<_> = d
        .findings
        .iter()
        .map(|f| f.location.as_ref().and_then(|l| l.clause.clone()))
        .collect();
    assert_eq!(clauses, [Some("10".to_string())], "{:?}", concepts(&d));
}

#[test]
fn a_lead_in_is_near_every_item_of_its_list() {
    let p = pack(&format!(
        "[terms]\nexcl = [\"sont exclus\"]\nwar = [\"guerre\"]\n[[rule]]\nid = \"w\"\nconcept = \"ins.war_exclusion\"\nkind = \"finding\"\nseverity = \"medium\"\nscope = \"sentence\"\nall = [\"war\", \"excl\"]\nnear = [{{ a = \"war\", b = \"excl\", words = 5 }}]\n{EX}"
    ));
    let items = "– les amendes et pénalités de toute nature prononcées contre l'Assuré ;\n\n– les frais d'amélioration du système au-delà de son état antérieur ;\n\n";
    let listed = format!("Sont exclus :\n\n{items}– les dommages résultant d'une guerre.\n");
    assert_eq!(concepts(&run(&p, &listed)), ["ins.war_exclusion:w"]);
    // Far apart in prose, with no list to govern, the two words are not near.
    let prose = format!("Sont exclus les amendes. {items} Une guerre peut survenir.\n");
    assert!(concepts(&run(&p, &prose)).is_empty());
}

#[test]
fn a_valued_fact_without_a_readable_value_says_why() {
    let p = pack(&format!(
        "[[rule]]\nid = \"cap\"\nconcept = \"lb.cap\"\nkind = \"fact\"\nscope = \"sentence\"\nall = [[\"exceed\"]]\nvalue = \"amount\"\n{EX}"
    ));
    let note = |text: &str| {
        let d = run(&p, text);
        let i = d.items().next().expect("the cap is reported");
        (i.value.clone(), i.value_note.clone())
    };
    assert_eq!(
        note("Liability shall not exceed $[***]."),
        (None, Some("redacted".to_string()))
    );
    assert_eq!(
        note("Liability shall not exceed the amounts set out in the Order Form."),
        (None, Some("not_readable".to_string()))
    );
    assert_eq!(
        note("Liability shall not exceed one half of the fees paid in the twelve (12) months preceding the claim."),
        (
            Some(Value::FeeMultiple {
                fees: Fees::Months(12),
                factor: Decimal::parse("0.5").unwrap()
            }),
            None
        )
    );
}
