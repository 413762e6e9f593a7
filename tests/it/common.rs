//! What several test modules need: the `vigie` binary in a fixed locale, a JSON reader of
//! its output, and a contract whose force-majeure clause lists cyberattacks.

use assert_cmd::Command;

/// The `vigie` binary, messages in English whatever the machine's locale.
pub fn vigie() -> Command {
    let mut c = Command::cargo_bin("vigie").unwrap();
    c.env("LANG", "C").env_remove("LC_ALL");
    c
}

/// Standard output read as one JSON object.
pub fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("stdout is one JSON object")
}

/// A French maintenance contract whose force-majeure clause lists viruses, hacking and
/// ransomware (`fm.cyber_included`).
pub const CYBER_FM: &str = "Contrat de maintenance informatique\n\nArticle 1 – Objet\nLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\n\nArticle 12 – Force majeure\nSont considérés comme cas de force majeure : l'incendie, les virus informatiques, le piratage et les rançongiciels.\n";
