//! `vigie rules new ID`: a commented rule pack that passes `rules check` and `rules test`
//! as written, so a first pack starts from something that works (docs/rules.md describes
//! every field).

/// Why no skeleton can be made for an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a pack id: use lowercase letters, digits and `-` (e.g. `acme-saas`)")]
pub struct BadId(pub String);

/// The pack skeleton for pack `id`: one term set, one declared concept, one rule with its
/// examples, each field commented with its default.
pub fn skeleton(id: &str) -> Result<String, BadId> {
    let valid = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(BadId(id.to_string()));
    }
    let family = id.replace('-', "_");
    Ok(TEMPLATE.replace("{id}", id).replace("{family}", &family))
}

const TEMPLATE: &str = r#"# Rule pack `{id}`, from `vigie rules new {id}`. Every field is described, with its
# default, in docs/rules.md. Save it as DIR/{id}.toml, then:
#   vigie rules check DIR     # file:line:col: error[CODE]: message for each problem
#   vigie rules test DIR      # every rule's must_match / must_not_match examples
#   vigie scan --rules DIR folder/
#
# Terms are folded like documents (case, accents, dashes, apostrophes): "évènement" and
# "Evenement" are one term. `(s)` marks an optional part, a final `*` makes the last word
# a prefix.

[pack]
id = "{id}"                 # required; unique among the loaded packs
version = "0.1.0"           # required; part of the report's tool.rules_version
title = "Backups left to best efforts"   # optional, default ""
description = "Example pack: a backup duty weakened to best efforts."   # optional, default ""

# Named term sets, referenced by name from rules (`all = ["backup", "best_efforts"]`).
# Optional; a set must not be empty.
[terms]
backup = ["sauvegarde(s)", "backup(s)", "copie(s) de sécurité"]
best_efforts = [
  "dans la mesure du possible", "meilleurs efforts", "best effort(s)",
  "reasonable endeavours", "commercially reasonable efforts",
]

# A concept not in the built-in vocabulary (rules/concepts.toml) is declared here.
# All fields required except references (default []).
[[concept]]
id = "{family}.backup_best_efforts"
kind = "finding"            # fact | finding | mitigation
title = { en = "Backup on best efforts only", fr = "Sauvegarde en simple effort" }
why = { en = "A backup owed on best efforts leaves the client to prove a fault after a loss.", fr = "Une sauvegarde due au mieux laisse le client prouver une faute après une perte." }
references = ["C. civ., art. 1231-1"]

[[rule]]
id = "{id}-backup-best-efforts"   # required; unique
concept = "{family}.backup_best_efforts"   # required; a built-in or declared concept
kind = "finding"            # required; the concept's kind
title = "Backup owed on best efforts"   # optional, default ""
scope = "sentence"          # sentence | clause | document; default "clause"
# doc_types = ["it_services"]   # default []: every type (it_services, dpa, insurance_cyber, insurance_other, other)
# languages = ["fr", "en"]      # default []: every language
all = ["backup", "best_efforts"]   # every set must hit in the scope; default []
# any = []                  # at least one set must hit; default []
# none = []                 # no set may hit; default []
# near = [{ a = "backup", b = "best_efforts", words = 8 }]   # default []
# regex = []                # run on the folded text where a literal hit; default []
severity = { client = "medium", provider = "low" }   # findings only (or one level: "medium")
message = { en = "The backup is owed on best efforts only.", fr = "La sauvegarde n'est due qu'au mieux." }
recommendation = { en = "Make the backup a firm obligation with a stated frequency.", fr = "Faire de la sauvegarde une obligation ferme, à fréquence fixée." }   # optional
references = ["C. civ., art. 1231-1"]   # default []
# Examples run by `vigie rules test`: required (at least one of each) for reported concepts.
must_match = ["Le Prestataire réalise les sauvegardes dans la mesure du possible."]
must_not_match = ["Le Prestataire réalise les sauvegardes chaque nuit et les teste chaque mois."]
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{check, Pack, PackSource};

    fn source(id: &str) -> Vec<PackSource> {
        vec![PackSource {
            name: format!("{id}.toml"),
            text: skeleton(id).unwrap(),
        }]
    }

    #[test]
    fn the_skeleton_passes_check_and_its_examples() {
        let sources = source("acme-saas");
        assert_eq!(check(&sources), Vec::new());
        let pack = Pack::compile(&sources).unwrap();
        let results = crate::rules::examples::run_all(&pack);
        assert!(!results.is_empty());
        assert!(results.iter().all(|r| r.passed), "{results:?}");
        assert!(crate::rules::examples::uncovered(&pack, &results).is_empty());
    }

    #[test]
    fn the_skeleton_loads_beside_the_builtin_packs() {
        let mut sources = PackSource::builtin();
        sources.extend(source("acme"));
        assert!(Pack::compile(&sources).is_ok());
    }

    #[test]
    fn an_id_with_spaces_or_capitals_is_refused() {
        for bad in ["", "Acme", "a b", "-x", "x.y"] {
            assert!(skeleton(bad).is_err(), "{bad}");
        }
    }
}
