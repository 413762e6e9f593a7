//! Accepted findings as a CI gate sees them: a baseline makes `--fail-on` pass until a new
//! finding appears, survives edits elsewhere in the contract, and waivers accept findings
//! by rule and path until they expire.

use crate::common::vigie;
use serde_json::Value;
use std::fs;
use std::path::Path;

const OBJET: &str = "Contrat de maintenance informatique\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\n\n";
const FM_CYBER: &str = "Article 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie, les virus informatiques, le piratage et les rançongiciels.\n";
const FM_PLAIN: &str = "Article 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie et les inondations.\n";
const PREAMBLE: &str = "Préambule\nLes parties se sont rapprochées après plusieurs réunions et ont convenu de ce qui suit, en toute connaissance de cause.\n\n";

/// Runs `vigie scan` on `dir` (JSON) with `extra` arguments: exit status, report, stderr.
fn scan(dir: &Path, extra: &[&str]) -> (i32, Value, String) {
    let out = vigie()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {stderr}"));
    (out.status.code().unwrap(), report, stderr)
}

/// The findings of the report's documents with `concept`.
fn findings<'a>(report: &'a Value, concept: &str) -> Vec<&'a Value> {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["findings"].as_array().unwrap())
        .filter(|f| f["concept"] == concept)
        .collect()
}

fn one<'a>(report: &'a Value, concept: &str) -> &'a Value {
    let f = findings(report, concept);
    assert_eq!(f.len(), 1, "one {concept} finding expected");
    f[0]
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_baseline_makes_fail_on_pass_and_survives_edits_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let contract = docs.join("contrat.txt");
    fs::write(&contract, format!("{OBJET}{FM_CYBER}")).unwrap();
    let base = dir.path().join("baseline.json");

    let (code, before, _) = scan(&docs, &["--fail-on", "high"]);
    assert_eq!(code, 1, "the contract has a high finding to accept");
    let fp = one(&before, "fm.cyber_included")["fingerprint"].clone();
    assert!(fp.is_string(), "findings carry a fingerprint");

    let (code, _, _) = scan(&docs, &["--write-baseline", arg(&base)]);
    assert_eq!(code, 0);
    let written = fs::read_to_string(&base).unwrap();
    let b: Value = serde_json::from_str(&written).unwrap();
    let entries = b["findings"].as_array().unwrap();
    let fps: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert!(fps.windows(2).all(|w| w[0] <= w[1]), "sorted: {fps:?}");
    let cyber = entries
        .iter()
        .find(|e| e["concept"] == "fm.cyber_included")
        .expect("the high finding is in the baseline");
    assert_eq!(cyber["fingerprint"], fp);
    assert_eq!(
        cyber["path"], "contrat.txt",
        "relative to the scanned folder"
    );
    assert!(cyber["excerpt"].as_str().unwrap().contains("rançongiciels"));
    scan(&docs, &["--write-baseline", arg(&base)]);
    assert_eq!(fs::read_to_string(&base).unwrap(), written, "deterministic");

    let (code, after, _) = scan(&docs, &["--fail-on", "high", "--baseline", arg(&base)]);
    assert_eq!(code, 0, "every finding is in the baseline");
    assert_eq!(
        one(&after, "fm.cyber_included")["suppression"]["kind"],
        "baseline"
    );
    assert_eq!(after["summary"]["suppressed"], entries.len());

    // A paragraph added above moves every line; the folder moves too.
    let moved = dir.path().join("elsewhere");
    fs::create_dir(&moved).unwrap();
    fs::write(
        moved.join("contrat.txt"),
        format!("{PREAMBLE}{OBJET}\n\n{FM_CYBER}"),
    )
    .unwrap();
    fs::remove_dir_all(&docs).unwrap();
    let (code, edited, stderr) = scan(&moved, &["--fail-on", "high", "--baseline", arg(&base)]);
    let f = one(&edited, "fm.cyber_included");
    assert_ne!(
        f["location"]["line"],
        one(&before, "fm.cyber_included")["location"]["line"],
        "the edit moved the clause"
    );
    assert_eq!(f["fingerprint"], fp);
    assert_eq!(f["suppression"]["kind"], "baseline");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_new_finding_still_fails_with_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let base = dir.path().join("baseline.json");
    fs::write(docs.join("contrat.txt"), format!("{OBJET}{FM_PLAIN}")).unwrap();
    let (code, _, _) = scan(&docs, &["--write-baseline", arg(&base)]);
    assert_eq!(code, 0);

    fs::write(docs.join("contrat.txt"), format!("{OBJET}{FM_CYBER}")).unwrap();
    let (code, report, _) = scan(&docs, &["--fail-on", "high", "--baseline", arg(&base)]);
    assert_eq!(code, 1, "the cyber force majeure clause is new");
    assert!(one(&report, "fm.cyber_included")["suppression"].is_null());
    let accepted = findings(&report, "inc.notification.missing");
    assert_eq!(
        accepted[0]["suppression"]["kind"], "baseline",
        "the old findings stay accepted"
    );
}

fn two_clients(dir: &Path) {
    for client in ["alpha", "beta"] {
        fs::create_dir_all(dir.join(client)).unwrap();
        fs::write(
            dir.join(client).join("contrat.txt"),
            format!("{OBJET}{FM_CYBER}"),
        )
        .unwrap();
    }
}

fn waiver(rule: &str, path: &str, expires: &str) -> String {
    format!(
        "# accepted after review\n\n[[waiver]]\nrule = \"{rule}\"\npath = \"{path}\"\nreason = \"Renegotiated in the 2026 amendment\"\nauthor = \"j.martin\"\nexpires = {expires}\n"
    )
}

#[test]
fn a_waiver_by_rule_and_glob_suppresses_only_the_matching_documents() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    two_clients(&docs);
    let (_, report, _) = scan(&docs, &[]);
    let rule = findings(&report, "fm.cyber_included")[0]["rule"]
        .as_str()
        .unwrap()
        .to_string();
    let waivers = dir.path().join("waivers.toml");

    fs::write(&waivers, waiver(&rule, "alpha/**", "2027-01-31")).unwrap();
    let args = [
        "--fail-on",
        "high",
        "--waivers",
        arg(&waivers),
        "--today",
        "2026-06-01",
    ];
    let (code, report, _) = scan(&docs, &args);
    assert_eq!(code, 1, "beta's finding is not waived");
    let s = &one_in(&report, "alpha")["suppression"];
    assert_eq!(s["kind"], "waiver");
    assert_eq!(s["reason"], "Renegotiated in the 2026 amendment");
    assert_eq!(s["author"], "j.martin");
    assert_eq!(s["expires"], "2027-01-31");
    assert!(one_in(&report, "beta")["suppression"].is_null());

    fs::write(
        &waivers,
        waiver("fm.cyber_included", "*/contrat.txt", "2027-01-31"),
    )
    .unwrap();
    let (code, report, _) = scan(&docs, &args);
    assert_eq!(code, 0, "a concept id and a glob over both folders");
    assert!(report.get("expired_waivers").is_none());

    // One finding exactly, by its fingerprint.
    let (_, report, _) = scan(&docs, &[]);
    let fp = one_in(&report, "alpha")["fingerprint"].clone();
    assert_ne!(fp, one_in(&report, "beta")["fingerprint"], "paths differ");
    fs::write(
        &waivers,
        format!("[[waiver]]\nfingerprint = {fp}\nreason = \"r\"\nauthor = \"a\"\nexpires = 2027-01-31\n"),
    )
    .unwrap();
    let (code, report, _) = scan(&docs, &args);
    assert_eq!(code, 1);
    assert_eq!(one_in(&report, "alpha")["suppression"]["kind"], "waiver");
    assert!(one_in(&report, "beta")["suppression"].is_null());
}

/// The fm.cyber_included finding of the document whose path holds `client`.
fn one_in<'a>(report: &'a Value, client: &str) -> &'a Value {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap().contains(client))
        .flat_map(|d| d["findings"].as_array().unwrap())
        .find(|f| f["concept"] == "fm.cyber_included")
        .unwrap()
}

#[test]
fn an_expired_waiver_stops_hiding_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    two_clients(&docs);
    let waivers = dir.path().join("waivers.toml");
    fs::write(&waivers, waiver("fm.cyber_included", "**", "2026-01-31")).unwrap();
    let run = |today: &str| {
        scan(
            &docs,
            &[
                "--fail-on",
                "high",
                "--waivers",
                arg(&waivers),
                "--today",
                today,
            ],
        )
    };

    let (code, _, _) = run("2026-01-31");
    assert_eq!(code, 0, "a waiver holds through its expiry day");

    let (code, report, stderr) = run("2026-02-01");
    assert_eq!(code, 1);
    assert!(findings(&report, "fm.cyber_included")
        .iter()
        .all(|f| f["suppression"].is_null()));
    let expired = report["expired_waivers"].as_array().unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["line"], 3, "the line of its [[waiver]]");
    assert_eq!(expired[0]["findings"], 2);
    assert_eq!(expired[0]["expires"], "2026-01-31");
    assert!(
        stderr.contains("waivers.toml:3: waiver expired on 2026-01-31"),
        "{stderr}"
    );

    let out = vigie()
        .arg("scan")
        .arg(&docs)
        .args(["--format", "jsonl", "--waivers", arg(&waivers)])
        .args(["--today", "2026-02-01"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let tail: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(tail["record"], "summary");
    assert_eq!(
        tail["expired_waivers"][0]["line"], 3,
        "JSON Lines say it too"
    );
}

#[test]
fn bad_waiver_and_baseline_files_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    two_clients(&docs);
    let waivers = dir.path().join("waivers.toml");
    fs::write(
        &waivers,
        "[[waiver]]\nrule = \"x\"\npath = \"**\"\nreason = \"r\"\nauthor = \"a\"\nexpires = 2027-01-31\n\n[[waiver]]\nrule = \"x\"\nreason = \"r\"\nauthor = \"a\"\nexpires = 2027-01-31\n",
    )
    .unwrap();
    let out = vigie()
        .arg("scan")
        .arg(&docs)
        .args(["--waivers", arg(&waivers)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no report on a configuration error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("waivers.toml:8: "), "{stderr}");
    assert!(stderr.contains("path"), "{stderr}");

    let base = dir.path().join("baseline.json");
    fs::write(&base, "{\"version\": 1, \"findings\": [ {\"rule\": 3} ]}").unwrap();
    let out = vigie()
        .arg("scan")
        .arg(&docs)
        .args(["--baseline", arg(&base)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("baseline.json:1:"), "{stderr}");

    let out = vigie()
        .arg("scan")
        .arg(&docs)
        .args(["--today", "2026-02-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "no such day");
}

#[test]
fn the_progress_bar_stays_off_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..25 {
        fs::write(
            dir.path().join(format!("c{i:02}.txt")),
            format!("{OBJET}{FM_PLAIN}"),
        )
        .unwrap();
    }
    let (code, report, stderr) = scan(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["documents"], 25);
    // Only the closing line: no bar drawn into a log.
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.contains("report written to"), "stderr: {stderr}");
}

#[test]
fn merged_shards_keep_each_expired_waiver_once_and_the_suppressed_count() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    two_clients(&docs);
    let waivers = dir.path().join("waivers.toml");
    // Two expired waivers (one hitting alpha, one hitting both) and an active one for beta,
    // at lines 1, 8 and 15.
    let entry = |path: &str, expires: &str| {
        format!("[[waiver]]\nrule = \"fm.cyber_included\"\npath = \"{path}\"\nreason = \"r\"\nauthor = \"a\"\nexpires = {expires}\n\n")
    };
    fs::write(
        &waivers,
        [
            entry("alpha/**", "2026-01-31"),
            entry("*/contrat.txt", "2026-01-31"),
            entry("beta/**", "2027-01-31"),
        ]
        .concat(),
    )
    .unwrap();
    let scan_args = |format: &str| {
        let mut c = vigie();
        c.arg("scan")
            .arg(&docs)
            .args(["--format", format, "--waivers", arg(&waivers)])
            .args(["--today", "2026-06-01"]);
        c
    };
    let mut shards = Vec::new();
    for k in ["1/2", "2/2"] {
        let out = scan_args("jsonl").args(["--shard", k]).output().unwrap();
        let path = dir.path().join(format!("shard-{}.jsonl", &k[..1]));
        fs::write(&path, &out.stdout).unwrap();
        let tail: Value =
            serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap())
                .unwrap();
        assert_eq!(
            tail["expired_waivers"].as_array().map(Vec::len),
            Some(2),
            "shard {k} lists both expired waivers"
        );
        shards.push(path);
    }
    let whole = scan_args("json").output().unwrap().stdout;
    let merged = vigie()
        .arg("merge")
        .args(&shards)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&merged.stdout).unwrap();
    let expired = report["expired_waivers"].as_array().unwrap();
    let lines: Vec<&Value> = expired.iter().map(|w| &w["line"]).collect();
    assert_eq!(lines, [1, 8], "each expired waiver once, in file order");
    assert_eq!(expired[0]["findings"], 1, "alpha's finding");
    assert_eq!(expired[1]["findings"], 2, "both shards' findings");
    assert_eq!(report["summary"]["suppressed"], 1, "beta's waived finding");
    assert!(
        merged.stdout == whole,
        "merged json differs from the whole scan:\n{}\n---\n{}",
        String::from_utf8_lossy(&merged.stdout),
        String::from_utf8_lossy(&whole)
    );
}
