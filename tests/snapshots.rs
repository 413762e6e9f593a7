//! Every output format has a snapshot test (ruff's rule): each format's rendering of the
//! report of two corpus documents, one French and one English.

use std::path::Path;
use vigie::model::{Language, Perspective};
use vigie::rules::Pack;
use vigie::{analyze_file, format, report, AnalyzeOptions};

const DOCS: [&str; 2] = [
    "corpus/clinique-des-tilleuls/fr-infogerance-cyber-fm.md",
    "corpus/northwind-logistics/en-saas-definitions.md",
];

fn scan() -> vigie::Report {
    scan_in(Language::En)
}

fn scan_in(report_language: Language) -> vigie::Report {
    let pack = Pack::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let opts = AnalyzeOptions {
        report_language,
        ..AnalyzeOptions::default()
    };
    let docs = DOCS
        .iter()
        .map(|d| analyze_file(&root.join(d), d, &pack, &opts))
        .collect();
    report::build(docs, Vec::new(), Perspective::Client, "snapshot")
}

fn render(f: fn(&vigie::Report, &mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&scan(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_report() {
    insta::assert_snapshot!(render(report::write_json));
}

#[test]
fn jsonl_report() {
    insta::assert_snapshot!(render(report::write_jsonl));
}

#[test]
fn table_report() {
    insta::assert_snapshot!(render(report::write_table));
}

#[test]
fn sarif_report() {
    insta::assert_snapshot!(render(format::sarif::write_sarif));
}

#[test]
fn html_report() {
    insta::assert_snapshot!(render(format::html::write_html));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(render(format::markdown::write_markdown));
}

/// `--report-lang fr`: the findings and the report's own words in French.
#[test]
fn markdown_report_in_french() {
    let mut out = Vec::new();
    format::markdown::write_markdown_in(&scan_in(Language::Fr), Language::Fr, &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn csv_report() {
    insta::assert_snapshot!(render(format::csv::write_csv));
}
