//! The SARIF, HTML, Markdown and CSV renderings of the findings model: SARIF valid against
//! the official schema on the whole corpus, and hostile contract text that cannot inject
//! markup, formulas or table cells in any of them.

use crate::common::vigie;
use std::fs;
use std::path::Path;
use vigie::assess::{assess_portfolios, PortfolioMode, PortfolioOptions};
use vigie::model::{Language, Perspective, Report, Suppression};
use vigie::report::format;
use vigie::rules::Pack;
use vigie::{analyze_file, discover, report, AnalyzeOptions};

/// The whole corpus, with its portfolio findings, as `vigie scan corpus/` builds it.
fn corpus_report() -> Report {
    let pack = Pack::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = discover::discover(&[root.join("corpus")]);
    let docs: Vec<_> = found
        .files
        .iter()
        .map(|p| {
            let label = p.strip_prefix(root).unwrap().to_string_lossy();
            analyze_file(p, &label, &pack, &AnalyzeOptions::default())
        })
        .collect();
    let opts = PortfolioOptions {
        mode: PortfolioMode::Folder,
        perspective: Perspective::Client,
        report_language: Language::En,
    };
    let portfolio = assess_portfolios(&docs, &pack, &opts);
    report::build(docs, portfolio, Perspective::Client, "test")
}

fn schema() -> jsonschema::Validator {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn assert_valid(sarif: &serde_json::Value) {
    let v = schema();
    let errors: Vec<String> = v
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
}

#[test]
fn sarif_of_the_corpus_is_valid_and_locates_every_result() {
    let mut r = corpus_report();
    // A waived finding must come out as a SARIF suppression.
    let waived = r
        .documents
        .iter_mut()
        .flat_map(|d| d.findings.iter_mut())
        .next()
        .expect("the corpus has findings");
    waived.suppression = Some(Suppression {
        kind: "waiver".into(),
        reason: Some("accepted by legal".into()),
        author: Some("a@b".into()),
        expires: Some("2027-01-01".into()),
    });
    let mut out = Vec::new();
    format::sarif::write_sarif(&r, &mut out).unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_valid(&sarif);

    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    let findings = r.documents.iter().map(|d| d.findings.len()).sum::<usize>() + r.portfolio.len();
    assert_eq!(results.len(), findings);
    assert!(!r.portfolio.is_empty(), "the corpus has portfolio findings");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut line1 = 0;
    let mut fingerprints = std::collections::BTreeSet::new();
    for res in results {
        let loc = &res["locations"][0]["physicalLocation"];
        let line = loc["region"]["startLine"]
            .as_u64()
            .expect("every result has a line");
        assert!(line >= 1);
        line1 += usize::from(line == 1);
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("corpus/"));
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        fingerprints.insert(
            res["partialFingerprints"]["vigieFindingHash/v1"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert!(line1 > 0, "document-level findings sit at line 1");
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(1)));
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "fingerprints tell findings apart"
    );
    let suppressed: Vec<_> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "accepted by legal"
    );
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));

    // Same input, same bytes: fingerprints and order are stable.
    let mut again = Vec::new();
    format::sarif::write_sarif(&r, &mut again).unwrap();
    assert_eq!(out, again);
}

#[test]
fn unreadable_documents_never_look_clean_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("broken.pdf"), b"%PDF-1.4 not really").unwrap();
    fs::write(dir.path().join("contrat.txt"), HOSTILE).unwrap();
    let out = scan(dir.path(), &["sarif"], &["."]);
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_valid(&sarif);
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("broken.pdf"));

    let csv = scan(dir.path(), &["csv"], &["."]);
    let mut rd = csv::Reader::from_reader(csv.as_slice());
    let broken: Vec<csv::StringRecord> = rd
        .records()
        .map(Result::unwrap)
        .filter(|r| r[0].ends_with("broken.pdf"))
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(&broken[0][2], "vigie.not_analyzed");
    assert_eq!(&broken[0][4], "unknown");

    let md = String::from_utf8(scan(dir.path(), &["markdown"], &["."])).unwrap();
    let row = md
        .lines()
        .find(|l| l.contains("broken.pdf |"))
        .expect("summary row");
    assert!(
        row.contains("**unknown**") && row.contains("not analyzed"),
        "{row}"
    );

    let html = String::from_utf8(scan(dir.path(), &["html"], &["."])).unwrap();
    let coverage =
        &html[html.find("id=\"coverage\"").unwrap()..html.find("id=\"filters\"").unwrap()];
    assert!(coverage.contains("broken.pdf") && coverage.contains("not analyzed"));
    assert!(coverage.contains("<b class=\"bad\">1</b> could not be"));
}

/// A contract whose text and file name carry markup, formulas and table syntax.
const HOSTILE: &str = "Contrat de maintenance <img src=x onerror=alert(1)>\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie, <script>alert(1)</script> les virus informatiques | le piratage <img src=x onerror=alert(1)> et les rançongiciels.\n";
const HOSTILE_NAME: &str = "=cmd|<img src=x onerror=alert(1)>.txt";

fn scan(dir: &Path, format: &[&str], paths: &[&str]) -> Vec<u8> {
    let out = vigie()
        .current_dir(dir)
        .arg("scan")
        .args(paths)
        .arg("--format")
        .args(format)
        .arg("--allow-unreadable")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(HOSTILE_NAME), HOSTILE).unwrap();
    dir
}

#[test]
fn html_cannot_be_injected_by_contract_text_or_file_names() {
    let dir = hostile_dir();
    let html = String::from_utf8(scan(dir.path(), &["html"], &[HOSTILE_NAME])).unwrap();
    // The hostile text did reach the page, as text.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "excerpt missing"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<script>alert"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the report's own script"
    );
    // Every tag in the page is one the renderer writes.
    let allowed = [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "h3",
        "p",
        "b",
        "section",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "span",
        "code",
        "form",
        "fieldset",
        "legend",
        "label",
        "input",
        "select",
        "option",
        "output",
        "article",
        "ul",
        "li",
        "div",
        "blockquote",
        "mark",
        "details",
        "summary",
        "script",
        "dl",
        "dt",
        "dd",
        "ol",
    ];
    let tag = regex::Regex::new(r"<(/?)([A-Za-z!][A-Za-z0-9]*)").unwrap();
    for c in tag.captures_iter(&html) {
        let name = c[2].to_ascii_lowercase();
        assert!(
            name == "!doctype" || allowed.contains(&name.as_str()),
            "unexpected tag <{name}>"
        );
    }
    // No resource is fetched from anywhere.
    for bad in ["http://", "https://", " src=\"", "@import", "url("] {
        assert!(!html.contains(bad), "external resource `{bad}` in the page");
    }
}

#[test]
fn markdown_escapes_table_and_markup_characters() {
    let dir = hostile_dir();
    let md = String::from_utf8(scan(dir.path(), &["markdown"], &[HOSTILE_NAME])).unwrap();
    assert!(
        md.contains("\\<script\\>alert"),
        "excerpt missing or unescaped:\n{md}"
    );
    let raw_lt = md
        .match_indices('<')
        .filter(|(i, _)| !md[..*i].ends_with('\\'));
    assert_eq!(raw_lt.count(), 0, "unescaped `<` in:\n{md}");
    // The summary table row of the document has exactly its five cells.
    let row = md
        .lines()
        .find(|l| l.starts_with("| ") && l.contains("cmd"))
        .expect("summary row");
    let cells = row.replace("\\|", "").matches('|').count();
    assert_eq!(cells, 6, "row split by contract text: {row}");
}

#[test]
fn csv_quotes_per_rfc_4180_and_defuses_formulas() {
    let dir = hostile_dir();
    let out = scan(dir.path(), &["csv"], &[HOSTILE_NAME]);
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let mut rd = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, format::csv::HEADER);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.len(), header.len());
        assert_eq!(
            &r[0],
            format!("'{HOSTILE_NAME}"),
            "formula in the path defused"
        );
        for cell in r.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "live formula: {cell}"
            );
        }
    }
    assert!(rows
        .iter()
        .any(|r| r[7].contains("<script>alert(1)</script>")
            || r[8].contains("<script>alert(1)</script>")));
}

#[test]
fn sarif_carries_the_report_fingerprints_and_baseline_suppressions() {
    let dir = hostile_dir();
    let base = dir.path().join("baseline.json");
    let json = scan(
        dir.path(),
        &["json", "--write-baseline", base.to_str().unwrap()],
        &[HOSTILE_NAME],
    );
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let mut want: Vec<&str> = report["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["fingerprint"]
                .as_str()
                .expect("the CLI fingerprints findings")
        })
        .collect();
    want.sort();
    let out = scan(
        dir.path(),
        &["sarif", "--baseline", base.to_str().unwrap()],
        &[HOSTILE_NAME],
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_valid(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut got: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["vigieFindingHash/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    got.sort();
    assert_eq!(got, want);
    for r in results {
        let s = &r["suppressions"][0];
        assert_eq!(
            s["kind"], "external",
            "baselined finding not suppressed: {r}"
        );
        assert_eq!(s["properties"]["vigieKind"], "baseline");
    }
}

#[test]
fn waivers_show_as_accepted_and_expired_ones_are_named_escaped() {
    let dir = hostile_dir();
    let waivers = dir.path().join("waivers.toml");
    fs::write(
        &waivers,
        "[[waiver]]\nrule = \"fm.cyber_included\"\npath = \"**\"\nreason = \"<b>old</b> deal\"\nauthor = \"a\"\nexpires = 2020-01-01\n\n[[waiver]]\nrule = \"inc.notification.missing\"\npath = \"**\"\nreason = \"notified by phone\"\nauthor = \"b\"\nexpires = 2030-01-01\n",
    )
    .unwrap();
    let args = |f: &'static str| [f, "--waivers", "waivers.toml", "--today", "2026-12-04"];
    let md = String::from_utf8(scan(dir.path(), &args("markdown"), &[HOSTILE_NAME])).unwrap();
    assert!(
        md.contains("1 of them accepted by a baseline or a waiver"),
        "{md}"
    );
    assert!(
        md.contains("Expired waiver (waivers.toml:1, \\<b\\>old\\</b\\> deal"),
        "{md}"
    );
    let html = String::from_utf8(scan(dir.path(), &args("html"), &[HOSTILE_NAME])).unwrap();
    assert!(html.contains("1 finding(s) accepted"));
    assert!(html.contains("&lt;b&gt;old&lt;/b&gt; deal"));
    assert!(html.contains("Accepted (waiver): notified by phone"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&scan(dir.path(), &args("sarif"), &[HOSTILE_NAME])).unwrap();
    assert_valid(&sarif);
    let waived: Vec<_> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.get("suppressions"))
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0][0]["justification"], "notified by phone");
    assert_eq!(waived[0][0]["properties"]["vigieKind"], "waiver");
}
