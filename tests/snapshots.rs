//! Every output format has a snapshot test (ruff's rule): each format's rendering of the
//! report of two corpus documents, one French and one English.

use std::path::Path;
use vigie::model::Perspective;
use vigie::rules::Pack;
use vigie::{analyze_file, format, report, AnalyzeOptions};

const DOCS: [&str; 2] = [
    "corpus/clinique-des-tilleuls/fr-infogerance-cyber-fm.md",
    "corpus/northwind-logistics/en-saas-definitions.md",
];

fn scan() -> vigie::Report {
    let pack = Pack::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = DOCS
        .iter()
        .map(|d| analyze_file(&root.join(d), d, &pack, &AnalyzeOptions::default()))
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

#[test]
fn csv_report() {
    insta::assert_snapshot!(render(format::csv::write_csv));
}
