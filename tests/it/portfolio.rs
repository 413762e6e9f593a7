//! Residual risk per scenario and the cross-document checks of one client's folder, as the
//! command line reports them, and `vigie eval` telling a wrong expectation apart.

use crate::common::vigie;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn scan(args: &[&str]) -> Value {
    let out = vigie()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn corpus(folder: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(folder)
        .to_string_lossy()
        .into_owned()
}

/// The portfolio item of `concept` in a scan's report.
fn item<'a>(v: &'a Value, concept: &str) -> Option<&'a Value> {
    v["portfolio"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["concept"] == concept)
}

#[test]
fn a_folder_is_a_portfolio_unless_turned_off() {
    // The VPS contract notifies in 96 hours, the French cyber policy needs a complaint
    // within 72 (corpus/imprimerie-vasseur/portfolio.expect.toml).
    let dir = corpus("imprimerie-vasseur");
    let v = scan(&[&dir]);
    let found = item(&v, "x.notification_vs_complaint").unwrap_or_else(|| panic!("{v}"));
    assert_eq!(found["severity"], "high");
    let docs: Vec<&str> = found["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(docs[0].ends_with("fr-hebergement-vps.md"), "{docs:?}");
    assert!(
        docs[1].ends_with("fr-police-cyber-silencieuse.md"),
        "{docs:?}"
    );
    assert!(v["summary"]["findings"]["high"].as_u64().unwrap() >= 1);

    let off = scan(&[&dir, "--portfolio", "none"]);
    assert_eq!(off["portfolio"].as_array().unwrap().len(), 0);

    let provider = scan(&[&dir, "--perspective", "provider"]);
    let found =
        item(&provider, "x.notification_vs_complaint").unwrap_or_else(|| panic!("{provider}"));
    assert_eq!(found["severity"], "medium");

    // A contract with no notification duty is inc.notification.missing, not a delay to
    // compare with the policy's (corpus/clinique-des-tilleuls/portfolio.expect.toml).
    let clinic = scan(&[&corpus("clinique-des-tilleuls")]);
    assert!(item(&clinic, "x.notification_vs_complaint").is_none());
}

#[test]
fn documents_of_different_folders_are_not_compared() {
    // The policy of one client and the contract of another: no cross finding.
    let v = scan(&[
        &corpus("clinique-des-tilleuls/fr-assurance-cyber.md"),
        &corpus("modeles-prestataire/fr-maintenance-sans-fm.md"),
    ]);
    assert_eq!(v["portfolio"].as_array().unwrap().len(), 0);
}

const BACKUPS_LEFT_TO_CLIENT: &str = "Contrat d'hébergement\n\nArticle 1 – Objet\nLe Prestataire héberge les serveurs du Client.\n\nArticle 2 – Sauvegardes\nIl appartient au Client d'effectuer ses propres sauvegardes de ses données.\n";

const BACKUPS_OWED: &str = "Contrat d'hébergement\n\nArticle 1 – Objet\nLe Prestataire héberge les serveurs du Client.\n\nArticle 2 – Sauvegardes\n2.1 Le Prestataire s'engage à sauvegarder chaque nuit les données du Client.\n2.2 Une copie des sauvegardes est répliquée sur un site distant.\n2.3 Une copie des sauvegardes est conservée hors ligne.\n2.4 Les sauvegardes font l'objet d'un test de restauration trimestriel.\n";

fn data_loss(v: &Value) -> (String, Vec<String>) {
    let sc = v["documents"][0]["residual_risk"]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "data_loss")
        .expect("the data-loss scenario applies to an IT contract")
        .clone();
    let mitigating = sc["mitigating"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    (sc["residual"].as_str().unwrap().to_string(), mitigating)
}

#[test]
fn residual_risk_weighs_findings_and_mitigations_per_perspective() {
    let dir = tempfile::tempdir().unwrap();
    let left = dir.path().join("left.txt");
    let owed = dir.path().join("owed.txt");
    fs::write(&left, BACKUPS_LEFT_TO_CLIENT).unwrap();
    fs::write(&owed, BACKUPS_OWED).unwrap();

    let client = scan(&[left.to_str().unwrap()]);
    assert_eq!(data_loss(&client).0, "high");
    let reasons = client["documents"][0]["residual_risk"]["reasons"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reasons.starts_with("Data lost to ransomware: high") && reasons.contains("clause 2"),
        "{reasons}"
    );
    // The same clause is the provider's duty to advise, not its risk.
    let provider = scan(&[left.to_str().unwrap(), "--perspective", "provider"]);
    assert_eq!(data_loss(&provider).0, "medium");

    let good = scan(&[owed.to_str().unwrap()]);
    let (level, mitigating) = data_loss(&good);
    assert_eq!(level, "low");
    for m in [
        "bk.offline_immutable",
        "bk.offsite",
        "bk.provider_obligation",
        "bk.restore_test",
    ] {
        assert!(mitigating.contains(&m.to_string()), "{m} in {mitigating:?}");
    }
}

#[test]
fn eval_names_the_document_whose_expectation_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("left.txt"), BACKUPS_LEFT_TO_CLIENT).unwrap();
    fs::write(
        dir.path().join("left.expect.toml"),
        "language = \"fr\"\ndoc_type = \"it_services\"\nconcepts = [\"bk.provider_obligation\"]\n",
    )
    .unwrap();
    let out = vigie().arg("eval").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAIL left.txt") && text.contains("bk.client_responsibility"),
        "{text}"
    );

    fs::remove_file(dir.path().join("left.expect.toml")).unwrap();
    let out = vigie().arg("eval").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("left.expect.toml"));
}

fn liability(v: &Value) -> (String, Vec<String>, Vec<String>) {
    let sc = v["documents"][0]["residual_risk"]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "liability")
        .expect("the liability scenario applies to an IT contract")
        .clone();
    let ids = |k: &str| -> Vec<String> {
        sc[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect()
    };
    (
        sc["residual"].as_str().unwrap().to_string(),
        ids("aggravating"),
        ids("mitigating"),
    )
}

#[test]
fn a_cap_lowers_the_providers_liability_risk_and_raises_the_clients() {
    // A cap that reserves gross negligence, nothing else: one step either way.
    let capped = corpus("helios-analytics/en-support-terms.md");
    let (level, aggravating, _) = liability(&scan(&[&capped, "--portfolio", "none"]));
    assert_eq!(
        (level.as_str(), aggravating),
        ("medium", vec!["lb.cap".to_string()])
    );
    let (level, _, mitigating) = liability(&scan(&[
        &capped,
        "--portfolio",
        "none",
        "--perspective",
        "provider",
    ]));
    assert_eq!(
        (level.as_str(), mitigating),
        ("low", vec!["lb.cap".to_string()])
    );

    // Data loss excluded although the provider backs up: high for the client, and the
    // provider's cap cannot bring its risk below medium (art. 1170 exposure).
    let excluded = corpus("cabinet-vasseur/fr-saas-comptabilite.md");
    let client = scan(&[&excluded, "--portfolio", "none"]);
    let (level, aggravating, _) = liability(&client);
    assert_eq!(level, "high");
    assert!(
        aggravating.contains(&"lb.data_loss_excluded".to_string()),
        "{aggravating:?}"
    );
    let reasons = client["documents"][0]["residual_risk"]["reasons"].to_string();
    assert!(
        reasons.contains("Liability cap: fees:6M (clause 5.1)"),
        "{reasons}"
    );
    let (level, _, mitigating) = liability(&scan(&[
        &excluded,
        "--portfolio",
        "none",
        "--perspective",
        "provider",
    ]));
    assert_eq!(
        (level.as_str(), mitigating),
        ("medium", vec!["lb.cap".to_string()])
    );
}
