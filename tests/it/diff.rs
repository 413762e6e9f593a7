//! `vigie diff OLD NEW`: what a new draft of a contract adds and removes, matched by text
//! rather than position, and how its residual risk moves.

use crate::common::vigie;
use serde_json::Value;
use std::fs;

const V1: &str = "Contrat de maintenance informatique\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\n\nArticle 11 – Responsabilité\nLe Prestataire n'est tenu que d'une obligation de moyens.\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie, les virus informatiques, le piratage et les rançongiciels.\n";

/// A preamble moves every clause; the client now keeps the backups; force majeure no
/// longer lists attacks.
const V2: &str = "Contrat de maintenance informatique\n\nPréambule\nLes parties se sont rapprochées et ont convenu de ce qui suit.\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\n\nArticle 11 – Responsabilité\nLe Prestataire n'est tenu que d'une obligation de moyens. Le Client est seul responsable de la sauvegarde de ses données.\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie et les inondations.\n";

fn concepts(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| f["concept"].as_str().unwrap())
        .collect()
}

#[test]
fn diff_lists_added_and_removed_findings_and_the_residual_change() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("v1.txt"), dir.path().join("v2.txt"));
    fs::write(&old, V1).unwrap();
    fs::write(&new, V2).unwrap();
    let out = vigie()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(concepts(&d["added"]), ["bk.client_responsibility"]);
    assert_eq!(concepts(&d["removed"]), ["fm.cyber_included"]);
    assert!(
        d["unchanged"].as_u64().unwrap() >= 1,
        "the force majeure continuity finding only moved"
    );
    let scenario = |id: &str| {
        d["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("scenario {id}"))
            .clone()
    };
    let fm = scenario("force_majeure");
    assert_eq!(fm["before"], "high");
    assert_eq!(fm["after"], "medium");
    let loss = scenario("data_loss");
    assert_eq!(loss["before"], "medium");
    assert_eq!(loss["after"], "high", "the client now bears the backups");
    assert_eq!(d["residual"]["before"], "high");

    let out = vigie()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "table"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("added: 1"), "{table}");
    assert!(table.contains("removed: 1"), "{table}");
    assert!(table.contains("residual risk: high → high"), "{table}");
}

#[test]
fn diff_of_the_same_text_moved_down_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("v1.txt"), dir.path().join("v1-moved.txt"));
    fs::write(&old, V1).unwrap();
    fs::write(
        &new,
        V1.replacen(
            "Article 1 –",
            "Préambule\nLe présent contrat annule et remplace les précédents.\n\nArticle 1 –",
            1,
        ),
    )
    .unwrap();
    let out = vigie()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(d["added"].as_array().unwrap().is_empty(), "{}", d["added"]);
    assert!(
        d["removed"].as_array().unwrap().is_empty(),
        "{}",
        d["removed"]
    );
    assert!(d["unchanged"].as_u64().unwrap() >= 2);
    assert_eq!(d["residual"]["before"], d["residual"]["after"]);
}

#[test]
fn diff_of_an_unreadable_version_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.txt");
    fs::write(&old, V1).unwrap();
    let out = vigie()
        .arg("diff")
        .arg(&old)
        .arg(dir.path().join("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
}

#[test]
fn the_diff_table_speaks_french_under_report_lang_fr() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.txt");
    let new = dir.path().join("v2.txt");
    std::fs::write(&old, "Contrat de maintenance informatique\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie.\n").unwrap();
    std::fs::write(&new, "Contrat de maintenance informatique\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie, les virus informatiques et le piratage.\n").unwrap();
    let out = vigie()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--report-lang", "fr"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("risque résiduel") && text.contains("ajoutés: 1") && text.contains("élevé"),
        "{text}"
    );
    assert!(
        !text.contains("added") && !text.contains("residual"),
        "{text}"
    );
}
