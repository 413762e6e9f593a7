//! The command line as users and CI gates see it: exit statuses of `docs/report.md`,
//! per-file errors that never stop the scan, rule-pack diagnostics, and every subcommand.

use crate::common::{json, vigie, CYBER_FM};
use std::fs;
use std::path::Path;

#[test]
fn clean_scan_exits_0_and_fail_on_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("contrat.txt"), CYBER_FM).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    let doc = &v["documents"][0];
    assert_eq!(doc["status"], "ok");
    let concepts: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["concept"].as_str().unwrap())
        .collect();
    assert!(concepts.contains(&"fm.cyber_included"), "{concepts:?}");
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.cyber_included")
        .unwrap();
    assert_eq!(f["severity"], "high");
    assert_eq!(f["location"]["clause"], "12");
    assert!(f["references"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("18/03616")));

    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json", "--fail-on", "high"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !out.stdout.is_empty(),
        "the report is written before failing"
    );
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json", "--fail-on", "critical"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bad_files_are_reported_and_do_not_stop_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a-good.txt"), CYBER_FM).unwrap();
    fs::write(dir.path().join("b-empty.txt"), "").unwrap();
    fs::write(
        dir.path().join("c-binary.txt"),
        (0..4096u32)
            .map(|i| (i * 7919 % 256) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    fs::write(dir.path().join("d-contract.pdf"), b"%PDF-1.4 not really").unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4);
    let kind = |i: usize| docs[i]["error"]["kind"].as_str().unwrap_or("").to_string();
    assert_eq!(docs[0]["status"], "ok");
    assert_eq!(kind(1), vigie::ErrorKind::Empty.as_str());
    assert_eq!(kind(2), vigie::ErrorKind::NotText.as_str());
    assert_eq!(kind(3), vigie::ErrorKind::Corrupt.as_str());
    for d in &docs[1..] {
        assert_eq!(d["status"], "error");
        assert_ne!(
            d["residual_risk"]["level"], "none",
            "an unanalyzed document must not look clean"
        );
        assert!(!d["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(v["summary"]["errors"], 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("b-empty.txt"),
        "stderr names the file: {stderr}"
    );

    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json", "--allow-unreadable"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn missing_path_is_a_not_found_document() {
    let out = vigie()
        .args(["scan", "no/such/file.txt", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out.stdout);
    assert_eq!(
        v["documents"][0]["error"]["kind"],
        vigie::ErrorKind::NotFound.as_str()
    );
}

fn write_pack(dir: &Path, body: &str) {
    fs::write(dir.join("mine.toml"), body).unwrap();
}

#[test]
fn broken_user_pack_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(dir.path(), "[pack]\nid = \"mine\"\nversion = \"1\"\n\n[[rule]]\nid = \"x\"\nconcept = \"no.such\"\nkind = \"fact\"\nall = [[\"a\"]]\nmessage = { en = \"m\", fr = \"m\" }\nmust_match = [\"a\"]\nmust_not_match = [\"b\"]\n");
    let doc = dir.path().join("doc.txt");
    fs::write(&doc, CYBER_FM).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(&doc)
        .arg("--rules")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no report on a rule error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("mine.toml:7:11: error[V008]:"), "{stderr}");

    let out = vigie()
        .args(["rules", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mine.toml:7:11: error[V008]: rule `x`: unknown concept `no.such`"),
        "{stderr}"
    );
}

#[test]
fn user_pack_adds_rules_and_no_default_rules_drops_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        r#"[pack]
id = "mine"
version = "1"

[[concept]]
id = "my.escrow"
kind = "fact"
title = { en = "Escrow", fr = "Séquestre" }
why = { en = "Source code escrow.", fr = "Séquestre des sources." }

[[rule]]
id = "my-escrow"
concept = "my.escrow"
kind = "fact"
scope = "sentence"
all = [["séquestre", "escrow"]]
message = { en = "Escrow clause.", fr = "Clause de séquestre." }
must_match = ["Les sources sont déposées en séquestre."]
must_not_match = ["Les sources restent chez l'éditeur."]
"#,
    );
    let doc = dir.path().join("doc.txt");
    fs::write(
        &doc,
        "Le code source est remis en Sequestre auprès de l'APP.\n",
    )
    .unwrap();
    let out = vigie()
        .arg("scan")
        .arg(&doc)
        .arg("--rules")
        .arg(dir.path())
        .args(["--no-default-rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let facts = v["documents"][0]["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0]["concept"], "my.escrow");
    assert!(v["tool"]["rules_version"]
        .as_str()
        .unwrap()
        .starts_with("mine@1"));

    let out = vigie()
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_test_fails_on_a_wrong_example() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        r#"[pack]
id = "mine"
version = "1"
[[rule]]
id = "fm-x"
concept = "fm.clause"
kind = "fact"
scope = "sentence"
all = [["force majeure"]]
message = { en = "m", fr = "m" }
must_match = ["Rien ici."]
must_not_match = ["La force majeure."]
"#,
    );
    let out = vigie()
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fm-x") && stderr.contains("must match"),
        "{stderr}"
    );
    assert!(stderr.contains("no example makes it fire"), "{stderr}");
}

#[test]
fn builtin_rules_check_and_test_pass() {
    vigie().args(["rules", "check"]).assert().success();
    vigie().args(["rules", "test"]).assert().success();
    let out = vigie().args(["rules", "list", "--json"]).output().unwrap();
    let list = json(&out.stdout);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["concept"] == "fm.cyber_included"));
}

#[test]
fn explain_describes_rules_and_concepts() {
    let out = vigie()
        .args(["explain", "fm.cyber_included"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("18/03616") && text.contains("example"),
        "{text}"
    );
    let out = vigie()
        .args(["explain", "fm-cyber-listed", "--report-lang", "fr"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("force majeure")
            && text.contains("recommandation")
            && text.contains("gravité"),
        "{text}"
    );
    vigie().args(["explain", "nope"]).assert().code(2);
}

#[test]
fn extract_prints_the_text_offsets_refer_to() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.md");
    fs::write(&doc, CYBER_FM).unwrap();
    let out = vigie().arg("extract").arg(&doc).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), CYBER_FM);
    let scan = vigie()
        .arg("scan")
        .arg(&doc)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = json(&scan.stdout);
    let f = &v["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.cyber_included")
        .unwrap()["location"];
    let (s, e) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert!(CYBER_FM[s..e].contains("piratage"));
    let out = vigie()
        .arg("extract")
        .arg(&doc)
        .arg("--clauses")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("12\tForce majeure"), "{text}");
}

#[test]
fn jsonl_has_one_document_per_line_then_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), CYBER_FM).unwrap();
    fs::write(dir.path().join("b.txt"), "Vente de mobilier de bureau.\n").unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["record"], "document");
    assert!(lines[0]["path"].as_str().unwrap().ends_with("a.txt"));
    assert_eq!(lines[2]["record"], "summary");
    assert_eq!(lines[2]["summary"]["documents"], 2);
}

#[test]
fn output_file_and_perspective_and_report_language() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.txt");
    fs::write(&doc, "Contrat d'hébergement\nArticle 9 – Force majeure\nLa force majeure s'entend de tout événement hors du contrôle raisonnable du Prestataire.\n").unwrap();
    let report = dir.path().join("out/report.json");
    fs::create_dir_all(report.parent().unwrap()).unwrap();
    vigie()
        .arg("scan")
        .arg(&doc)
        .arg("--output")
        .arg(&report)
        .args(["--perspective", "provider", "--report-lang", "fr"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["perspective"], "provider");
    let broad = v["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.broad_definition")
        .unwrap()
        .clone();
    assert_eq!(
        broad["severity"], "low",
        "provider perspective weighs it low"
    );
    assert!(
        broad["message"].as_str().unwrap().contains("contrôle"),
        "French message"
    );
    let leftovers: Vec<_> = fs::read_dir(report.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn jobs_do_not_change_the_report() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..8 {
        fs::write(
            dir.path().join(format!("d{i}.txt")),
            CYBER_FM.replace("12", &format!("{}", 10 + i)),
        )
        .unwrap();
    }
    let run = |jobs: &str| {
        vigie()
            .arg("scan")
            .arg(dir.path())
            .args(["--format", "json", "--jobs", jobs])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = vigie().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("vigie") && text.contains("scan"),
            "{shell}: {text}"
        );
    }
    let out = vigie().arg("man").output().unwrap();
    assert!(out.status.success());
    let roff = String::from_utf8_lossy(&out.stdout);
    assert!(
        roff.starts_with(".ie") || roff.contains(".TH vigie"),
        "{roff}"
    );
    assert!(roff.contains("scan"), "{roff}");
}

#[test]
fn the_closing_line_says_where_the_report_went_and_quiet_silences_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("contrat.txt"), CYBER_FM).unwrap();
    let report = dir.path().join("out").with_extension("json");
    let out = vigie()
        .arg("scan")
        .arg(dir.path().join("contrat.txt"))
        .arg("--output")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("json report written to") && err.contains("out.json"),
        "{err}"
    );
    let out = vigie()
        .arg("scan")
        .arg(dir.path().join("contrat.txt"))
        .args(["--format", "json", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out.stdout)["summary"]["documents"], 1);
}

/// `-o` through a symbolic link writes the file it leads to, and the closing line names
/// both; `-o -` is standard output, and says so.
#[cfg(unix)]
#[test]
fn the_closing_line_names_a_links_target_and_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("contrat.txt"), CYBER_FM).unwrap();
    fs::create_dir(dir.path().join("reports")).unwrap();
    fs::write(dir.path().join("reports/real.json"), "old").unwrap();
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink("reports/real.json", &link).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path().join("contrat.txt"))
        .arg("-o")
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("json report written to")
            && err.contains("real.json (through the link ")
            && err.contains("latest.json)"),
        "{err}"
    );
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = fs::read(dir.path().join("reports/real.json")).unwrap();
    assert_eq!(json(&written)["summary"]["documents"], 1);

    let out = vigie()
        .arg("scan")
        .arg(dir.path().join("contrat.txt"))
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("json report written to standard output"),
        "{err}"
    );
    assert_eq!(json(&out.stdout)["summary"]["documents"], 1);
    assert!(!dir.path().join("-").exists());
}

#[test]
fn exit_1_names_the_findings_that_reach_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("contrat.txt"), CYBER_FM).unwrap();
    for format in ["json", "table"] {
        let out = vigie()
            .arg("scan")
            .arg(dir.path())
            .args(["--format", format, "--fail-on", "high"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("exit 1: 1 finding(s) at or above `--fail-on high`: fm.cyber_included"),
            "{format}: {err}"
        );
    }
}

#[test]
fn diff_writes_to_output_and_fails_on_an_added_finding() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.txt");
    let new = dir.path().join("v2.txt");
    fs::write(
        &old,
        CYBER_FM.replace(
            "les virus informatiques, le piratage et les rançongiciels",
            "les inondations",
        ),
    )
    .unwrap();
    fs::write(&new, CYBER_FM).unwrap();
    let report = dir.path().join("diff.json");
    let out = vigie()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json", "--fail-on", "high", "--output"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert!(v["added"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["concept"] == "fm.cyber_included"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fm.cyber_included"));
    // The other way round the redline removes the finding: nothing reaches --fail-on.
    vigie()
        .arg("diff")
        .arg(&new)
        .arg(&old)
        .args(["--fail-on", "high"])
        .assert()
        .code(0);
}

#[test]
fn the_table_speaks_french_under_report_lang_fr() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("contrat.txt"), CYBER_FM).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "table", "--report-lang", "fr"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("risque résiduel") && text.contains("ÉLEVÉ") && text.contains("Synthèse"),
        "{text}"
    );
    assert!(
        !text.contains("residual") && !text.contains("HIGH"),
        "{text}"
    );
}

#[test]
fn rules_new_prints_a_pack_that_passes_check_and_test() {
    let dir = tempfile::tempdir().unwrap();
    let out = vigie().args(["rules", "new", "acme"]).output().unwrap();
    assert!(out.status.success());
    fs::write(dir.path().join("acme.toml"), &out.stdout).unwrap();
    let check = vigie()
        .args(["rules", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    vigie()
        .args(["rules", "test"])
        .arg(dir.path())
        .assert()
        .code(0);
    vigie().args(["rules", "new", "Not An Id"]).assert().code(2);
}

#[test]
fn a_document_on_standard_input_is_scanned_as_stdin() {
    let out = vigie()
        .args(["scan", "-", "--format", "json"])
        .write_stdin(CYBER_FM)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    let doc = &v["documents"][0];
    assert_eq!(doc["path"], "<stdin>");
    assert_eq!(doc["format"], "txt");
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["concept"] == "fm.cyber_included"));
}
