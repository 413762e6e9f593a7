//! Reads who the parties are from a document's own preamble ("REDWOOD PEAK HOSTING, INC.
//! (\"Provider\")", « la société ORBITAL ..., ci-après dénommée « le Prestataire » »), so that
//! documents of one folder can be told apart by provider: a DPA and a hosting contract set
//! one notification clock twice only when the same provider signs both.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The parties a document defines, by role, as named in its preamble.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parties {
    /// The provider, processor, host or supplier: the party that owes the IT service.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provider: Option<String>,
    /// The client, customer or controller.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client: Option<String>,
}

impl Parties {
    pub fn is_empty(&self) -> bool {
        self.provider.is_none() && self.client.is_none()
    }
}

/// How far into the text a preamble is sought: parties are named before the first articles.
const PREAMBLE: usize = 4_000;

/// A defined label: `("Provider")`, `(the "Supplier")`, `("BrightSmile" or "Processor")`,
/// `ci-après dénommée « le Prestataire »`, `(ci-après « le Sous-traitant »)`.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        \(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?["“]([^"”()]{1,40})["”](?:\s*(?:or|and|ou)\s*(?:the\s+)?["“]([^"”()]{1,40})["”])?\s*\)
      | (?i:ci-?après|ci-?dessous|hereinafter)(?:\s+(?:dénommée?s?|désignée?s?|appelée?s?|referred\s+to\s+as))?\s*[(,:]?\s*(?:(?:le|la|les|l['’]|the)\s*)?(?:«|"|“)\s*(?:le\s+|la\s+|l['’]\s*|the\s+)?([^»"”]{1,40}?)\s*(?:»|"|”)"#,
    )
    .expect("a valid pattern")
});

/// Words that open a party's name: "between", « Entre : », « Et : » (strong), "and" (weak:
/// it may stand inside the other party's description, so only the first after it counts).
static STRONG_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bbetween\b|\bentre\b\s*:?|\bet\s*:)\s*").expect("a valid pattern")
});
static WEAK_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:and|et)\b\s*").expect("a valid pattern"));

/// A party named on a line of its own, as order forms and call-offs do: "Supplier  Cirrus
/// Keel Hosting Ltd", "| Customer | Acme |", « Titulaire : SOCIÉTÉ X ».
static LINE_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^[\s|]*(supplier|provider|service provider|contractor|processor|vendor|prestataire|titulaire|fournisseur|hébergeur|customer|client|buyer|acheteur|controller|pouvoir adjudicateur)\s*(?:name)?\s*[:|]?\s+([A-Z][^,\n|(;]{2,60})",
    )
    .expect("a valid pattern")
});

/// A company by its legal form: "Ledgerly Ltd", "ORBITAL SAS", "Cirrus Keel Hosting Ltd".
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b([A-Z][\w&'’.\-]*(?:\s+[A-Z(][\w&'’.()\-]*){0,4}),?\s+(?:Ltd|Limited|Inc|LLC|SAS|SASU|SARL|SA|GmbH|plc|PLC|DAC|B\.V|BV|AG|Sàrl|SRL|SPRL|Corp|Corporation|LLP|Pty)\b",
    )
    .expect("a valid pattern")
});

/// Leading words that introduce a name, and trailing legal forms.
static NAME_TRIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:la|le|l['’]|the)\s+)?(?:(?:société|company|sas|sasu|sarl|selarl|sa|association|entreprise)\s+)?",
    )
    .expect("a valid pattern")
});

const PROVIDER_ROLES: &[&str] = &[
    "provider",
    "service provider",
    "supplier",
    "processor",
    "vendor",
    "licensor",
    "contractor",
    "host",
    "hosting provider",
    "company",
    "prestataire",
    "hebergeur",
    "titulaire",
    "fournisseur",
    "sous traitant",
    "editeur",
    "infogereur",
    "concedant",
    "operateur",
];

const CLIENT_ROLES: &[&str] = &[
    "customer",
    "client",
    "controller",
    "licensee",
    "subscriber",
    "responsable de traitement",
    "responsable du traitement",
    "pouvoir adjudicateur",
    "acheteur",
    "beneficiaire",
    "souscripteur",
];

/// The parties named in the preamble of `text`.
pub fn read(text: &str) -> Parties {
    let end = (0..=text.len().min(PREAMBLE))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let head = &text[..end];
    let mut parties = Parties::default();
    let mut prev_end = 0;
    for c in LABEL.captures_iter(head) {
        let labels: Vec<String> = [c.get(1), c.get(2), c.get(3)]
            .into_iter()
            .flatten()
            .map(|m| fold_role(m.as_str()))
            .collect();
        let Some(whole) = c.get(0) else { continue };
        let from = prev_end.max(whole.start().saturating_sub(400));
        prev_end = whole.end();
        let slot = if labels.iter().any(|l| PROVIDER_ROLES.contains(&l.as_str())) {
            &mut parties.provider
        } else if labels.iter().any(|l| CLIENT_ROLES.contains(&l.as_str())) {
            &mut parties.client
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = name_before(head, from, whole.start());
        }
    }
    // Order forms name parties on lines of their own; contracts that named both in a
    // preamble need no second reading.
    let complete = parties.provider.is_some() && parties.client.is_some();
    for c in LINE_ROLE.captures_iter(if complete { "" } else { head }) {
        let role = fold_role(&c[1]);
        let name = c[2].trim().to_string();
        let slot = if PROVIDER_ROLES.contains(&role.as_str()) {
            &mut parties.provider
        } else {
            &mut parties.client
        };
        if slot.is_none() && name.split_whitespace().count() <= 8 {
            *slot = Some(name);
        }
    }
    // A form that names only its customer is the provider's own paper: the first company
    // of the preamble that is not the customer is the provider.
    if parties.provider.is_none() {
        let client = parties.client.clone().unwrap_or_default();
        parties.provider = ORG
            .captures_iter(head)
            .map(|c| c[1].trim().to_string())
            .find(|n| client.is_empty() || !same_name(n, &client));
    }
    parties
}

/// Whether two documents' providers are known to differ. Unknown stays "not different":
/// the caller keeps its finding rather than drop one it cannot rule out.
pub fn different_providers(a: &Parties, b: &Parties) -> bool {
    match (&a.provider, &b.provider) {
        (Some(x), Some(y)) => !same_name(x, y),
        _ => false,
    }
}

/// Two names are one party when one's first distinctive word is in the other
/// ("BrightSmile Imaging Cloud" and "BRIGHTSMILE", "PayStream Europe" and "PayStream").
fn same_name(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    let first = |w: &[String]| w.first().cloned();
    match (first(&wa), first(&wb)) {
        (Some(x), Some(y)) => wb.contains(&x) || wa.contains(&y),
        _ => false,
    }
}

fn words(name: &str) -> Vec<String> {
    crate::normalize::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.len() > 2
                && !matches!(
                    *w,
                    "the" | "les" | "des" | "and" | "inc" | "ltd" | "llc" | "sas" | "sarl"
                )
        })
        .map(str::to_string)
        .collect()
}

/// A role label folded for comparison: lowercase, no accents, no article.
fn fold_role(label: &str) -> String {
    let f = crate::normalize::fold(label.trim());
    let f = f.trim().trim_start_matches("the ").trim();
    f.trim_end_matches(['.', ',']).to_string()
}

/// The name that a label at `at` defines, sought after `from` (the previous label): from
/// the name's opening word up to the first comma or parenthesis, without "la société".
fn name_before(head: &str, from: usize, at: usize) -> Option<String> {
    let from = (from..=at)
        .find(|&i| head.is_char_boundary(i))
        .unwrap_or(at);
    let window = &head[from..at];
    // The last "and" that a capital follows: "acting for itself and for X, and Cirrus Keel
    // Hosting Ltd" names Cirrus Keel; "organised and existing" opens no name.
    let weak = || {
        WEAK_START
            .find_iter(window)
            .filter(|m| {
                let after = NAME_TRIM.replace(&window[m.end()..], "");
                after
                    .trim_start_matches(['*', '_'])
                    .starts_with(|c: char| c.is_uppercase())
            })
            .last()
    };
    let start = STRONG_START
        .find_iter(window)
        .last()
        .or_else(weak)
        .map(|m| m.end())
        .or_else(|| window.rfind('\n').map(|i| i + 1))
        .unwrap_or(0);
    let rest = window[start..].trim_start();
    let raw = rest
        .split([',', '(', '\n', ';'])
        .next()
        .unwrap_or("")
        .trim();
    let name = NAME_TRIM.replace(raw, "");
    // Markdown emphasis around a name ("**Menuiseries Berthier SARL**") is not part of it.
    let name = name
        .trim()
        .trim_matches(['"', '“', '”', '«', '»', '*', '_'])
        .trim();
    let words = name.split_whitespace().count();
    let plausible =
        !name.is_empty() && words <= 8 && name.chars().next().is_some_and(char::is_alphanumeric);
    plausible.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_english_preambles() {
        let p = read("HOSTING SERVICES AGREEMENT\n\nThis Agreement is entered into by and\nbetween REDWOOD PEAK HOSTING, INC., a Delaware corporation (\"Provider\"), and ACME DENTAL PARTNERS, LLC, a California\nlimited liability company (\"Customer\").");
        assert_eq!(p.provider.as_deref(), Some("REDWOOD PEAK HOSTING"));
        assert_eq!(p.client.as_deref(), Some("ACME DENTAL PARTNERS"));
        let p = read("This DPA is entered into between BrightSmile Imaging Cloud, Inc., a Washington corporation (\"BrightSmile\" or \"Processor\"), and Acme Dental Partners, LLC (\"Customer\" or \"Controller\").");
        assert_eq!(p.provider.as_deref(), Some("BrightSmile Imaging Cloud"));
    }

    #[test]
    fn reads_french_preambles() {
        let p = read("ENTRE :\nLa société ORBITAL SERVICES INFORMATIQUES, société par actions simplifiée au capital de 120 000 euros, ci-après dénommée « le Prestataire »,\nET :\nLa SELARL MARTIN & ASSOCIÉS, société d'avocats, ci-après dénommée « le Client »,");
        assert_eq!(
            p.provider.as_deref(),
            Some("ORBITAL SERVICES INFORMATIQUES")
        );
        assert_eq!(p.client.as_deref(), Some("MARTIN & ASSOCIÉS"));
        let p = read("Entre la société ARCHIVALIS SANTÉ, société par actions simplifiée, dont le siège est\n41 cours du Médoc (ci-après le « Prestataire »),\n\net la SAS CLINIQUE DES TILLEULS, représentée par son Directeur (ci-après le « Client »),");
        assert_eq!(p.provider.as_deref(), Some("ARCHIVALIS SANTÉ"));
        assert_eq!(p.client.as_deref(), Some("CLINIQUE DES TILLEULS"));
        let p = read("Entre la société **Atelier Numérique SAS**, ci-après « le Prestataire »,\n\net la société **Menuiseries Berthier SARL**, ci-après « le Client ».");
        assert_eq!(p.provider.as_deref(), Some("Atelier Numérique SAS"));
        assert_eq!(p.client.as_deref(), Some("Menuiseries Berthier SARL"));
        let p = read("Et :\nLa société MEDILOGIK, SAS au capital de 250 000 euros, agissant en qualité de sous-traitant (ci-après « le Sous-traitant »).");
        assert_eq!(p.provider.as_deref(), Some("MEDILOGIK"));
    }

    #[test]
    fn reads_order_forms_and_long_preambles() {
        let p = read("Data Processing Agreement\nThis DPA is made between Northbridge Analytics (Ireland) DAC, 5 Hanover Quay (the \"Controller\"), acting for itself and for Northbridge Analytics Ltd, and Cirrus Keel Hosting Ltd (the \"Processor\").");
        assert_eq!(p.provider.as_deref(), Some("Cirrus Keel Hosting Ltd"));
        let p = read("Buyer Northbridge Analytics Ltd, 40 Leman Street\n\nSupplier Cirrus Keel Hosting Ltd, Unit 7 Atlantic Quay\n");
        assert_eq!(p.provider.as_deref(), Some("Cirrus Keel Hosting Ltd"));
        assert_eq!(p.client.as_deref(), Some("Northbridge Analytics Ltd"));
        let p =
            read("Ledgerly Ltd - Order Form LG-OF-11873\n\nCustomer Northbridge Analytics Ltd\n");
        assert_eq!(p.provider.as_deref(), Some("Ledgerly"));
        assert_eq!(p.client.as_deref(), Some("Northbridge Analytics Ltd"));
    }

    #[test]
    fn tells_providers_apart() {
        let a = Parties {
            provider: Some("BrightSmile Imaging Cloud".into()),
            client: None,
        };
        let b = Parties {
            provider: Some("REDWOOD PEAK HOSTING".into()),
            client: None,
        };
        let c = Parties {
            provider: Some("BRIGHTSMILE".into()),
            client: None,
        };
        assert!(different_providers(&a, &b));
        assert!(!different_providers(&a, &c));
        assert!(!different_providers(&a, &Parties::default()));
    }
}
