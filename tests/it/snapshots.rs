//! Every output format has a snapshot test (ruff's rule): each format's rendering of the
//! report of two corpus documents, one French and one English.

use std::path::Path;
use vigie::model::{Language, Perspective};
use vigie::report::format;
use vigie::rules::Pack;
use vigie::{analyze_file, report, AnalyzeOptions};

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

/// One client folder with its cross-document findings and the files its walk skipped
/// (the expectations beside the documents), and a document of another folder.
fn portfolio_scan() -> vigie::Report {
    let pack = Pack::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = vigie::discover::discover(&[root.join("corpus/imprimerie-vasseur")]);
    let relative = |p: &Path| p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
    let mut paths: Vec<String> = found.files.iter().map(|p| relative(p)).collect();
    paths.push(DOCS[1].to_string());
    let docs: Vec<_> = paths
        .iter()
        .map(|d| analyze_file(&root.join(d), d, &pack, &AnalyzeOptions::default()))
        .collect();
    let portfolio = vigie::assess::assess_portfolios(
        &docs,
        &pack,
        &vigie::assess::PortfolioOptions {
            mode: vigie::assess::PortfolioMode::Folder,
            perspective: Perspective::Client,
            report_language: Language::En,
        },
    );
    let mut report = report::build(docs, portfolio, Perspective::Client, "snapshot");
    let skipped: Vec<_> = found
        .skipped
        .iter()
        .map(|s| vigie::model::Skipped {
            path: relative(&s.path),
            ..s.to_report()
        })
        .collect();
    report::add_skipped(&mut report, &skipped);
    report
}

fn terminal(width: usize, verbose: bool) -> String {
    let report = portfolio_scan();
    assert!(
        !report.portfolio.is_empty(),
        "the folder has portfolio findings"
    );
    let view = format::terminal::View {
        width,
        verbose,
        ..Default::default()
    };
    let mut out = Vec::new();
    report::write_table_with(&report, view, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "over {width} columns: {line}"
        );
    }
    // Every finding is shown, the portfolio ones included: one severity label each.
    let s = &report.summary.findings;
    let total = s.critical + s.high + s.medium + s.low + s.info;
    let shown = text
        .lines()
        .filter(|l| {
            ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]
                .iter()
                .any(|sev| l.starts_with(&format!("  {sev} ")))
        })
        .count();
    assert_eq!(shown, total, "{text}");
    text
}

#[test]
fn terminal_view_at_80_columns() {
    insta::assert_snapshot!(terminal(80, false));
}

#[test]
fn terminal_view_at_200_columns_verbose() {
    insta::assert_snapshot!(terminal(200, true));
}
