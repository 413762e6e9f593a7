//! Decides the language and the document type from weighted cues, because rules apply to
//! some document types only (insurance conditions are not read in a hosting contract).

pub(crate) mod parties;

use crate::model::{DocType, Language};
use crate::normalize::skip;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// The language of a folded text: French or English by function-word counts.
pub fn language(folded: &str) -> Language {
    count_language(folded).language()
}

/// The function words of a folded text, read by a pass of their own (the rule pass
/// counts them as it reads the words: [`crate::engine::read`]).
pub fn count_language(folded: &str) -> LanguageCounter {
    let mut counter = LanguageCounter::default();
    let mut i = 0;
    while i < folded.len() {
        i = skip(folded, i, false);
        let start = i;
        i = skip(folded, i, true);
        if start < i {
            counter.add(&folded[start..i]);
        }
    }
    counter
}

/// Function words of each language among the first words of a text, fed one word at a
/// time by whichever pass reads the words ([`crate::engine::read`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguageCounter {
    words: usize,
    fr: usize,
    en: usize,
}

impl LanguageCounter {
    /// Words past this many are not counted: the beginning of a document tells.
    const MAX_WORDS: usize = 20_000;

    /// The next word of the text.
    #[inline]
    pub fn add(&mut self, w: &str) {
        if self.words >= Self::MAX_WORDS {
            return;
        }
        self.words += 1;
        // No function word of either list is longer.
        if w.len() <= 5 {
            self.fr += usize::from(is_fr_word(w));
            self.en += usize::from(is_en_word(w));
        }
    }

    /// French when more French function words than English ones were counted, else
    /// English (a tie, and a text with neither, included).
    pub fn language(&self) -> Language {
        if self.fr > self.en {
            Language::Fr
        } else {
            Language::En
        }
    }
}

// A `match` on the word compiles to a switch on its length and a few compares, where
// `contains` on the lists compared it with all 25 words; language reads every word.
fn is_fr_word(w: &str) -> bool {
    matches!(
        w,
        "le" | "la"
            | "les"
            | "des"
            | "du"
            | "de"
            | "et"
            | "est"
            | "pour"
            | "dans"
            | "par"
            | "sur"
            | "une"
            | "au"
            | "aux"
            | "sont"
            | "qui"
            | "que"
            | "ne"
            | "pas"
            | "ou"
            | "son"
            | "ses"
            | "sera"
            | "doit"
    )
}

fn is_en_word(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "and"
            | "of"
            | "to"
            | "is"
            | "for"
            | "in"
            | "by"
            | "on"
            | "any"
            | "shall"
            | "will"
            | "be"
            | "are"
            | "with"
            | "this"
            | "that"
            | "or"
            | "not"
            | "its"
            | "such"
            | "may"
            | "as"
            | "an"
            | "which"
    )
}

/// A cue: a folded phrase and its weight.
type Cue = (&'static str, u32);

const INSURANCE: &[Cue] = &[
    ("assureur", 3),
    ("l'assure", 3),
    ("souscripteur", 3),
    ("sinistre", 2),
    ("franchise", 1),
    ("cotisation", 1),
    ("prime", 1),
    ("garantie", 1),
    ("garanties", 1),
    ("indemnite", 1),
    ("police", 1),
    ("insurer", 3),
    ("insurers", 3),
    ("insured", 3),
    ("policyholder", 3),
    ("underwriters", 3),
    ("premium", 2),
    ("deductible", 2),
    ("retention", 0),
    ("claim", 1),
    ("coverage", 2),
    ("limit of liability", 1),
    ("policy period", 3),
];

/// Words only a policy uses often: a contract that names its insurance duties ("named as
/// additional insured") says them a few times in a long text, a policy throughout.
const INSURANCE_STRONG: &[Cue] = &[
    ("assureur", 1),
    ("assureurs", 1),
    ("l'assure", 1),
    ("souscripteur", 1),
    ("insurer", 1),
    ("insurers", 1),
    ("insured", 1),
    ("policyholder", 1),
    ("underwriters", 1),
    ("policy period", 1),
    ("this policy", 1),
    ("cette police", 1),
    ("we will pay", 1),
    ("we will not pay", 1),
    ("nous garantissons", 1),
    ("preneur d'assurance", 1),
    ("societaire", 1),
    ("nous vous garantissons", 1),
    ("ce que nous garantissons", 1),
    ("ce que nous ne garantissons pas", 1),
    ("insuring agreement", 1),
    ("insuring clause", 1),
    ("policy schedule", 1),
    ("le preneur", 1),
];

/// At least one strong policy word per this many bytes, and two in all, for a document
/// without an insurance title to be a policy.
const POLICY_DENSITY: usize = 8_000;

const CYBER: &[Cue] = &[
    ("cyber", 2),
    ("atteinte aux systemes", 3),
    ("atteinte a un systeme", 3),
    ("atteinte a ses systemes", 3),
    ("rancongiciel", 2),
    ("extorsion", 2),
    ("extortion", 2),
    ("rancon", 2),
    ("ransom", 2),
    ("network security", 2),
    ("data breach", 2),
    ("violation de donnees", 2),
    ("piratage", 1),
    ("systeme d'information", 1),
    ("systemes d'information", 1),
    ("computer system", 1),
    ("malware", 1),
    ("virus", 1),
    // A policy is cyber by what it covers, whether or not it says "cyber".
    ("atteinte au systeme d'information", 3),
    ("atteinte a son systeme", 3),
    ("atteinte a leur systeme", 3),
    ("atteinte a votre systeme", 3),
    ("risques numeriques", 3),
    ("programme malveillant", 2),
    ("acces frauduleux", 2),
    ("deni de service", 2),
    ("cyber extortion", 2),
    ("cyber event", 2),
    ("atteinte aux donnees", 3),
    ("atteintes aux donnees", 3),
    ("incident cyber", 3),
    ("incidents cyber", 3),
    ("systeme informatique", 1),
    ("systemes informatiques", 1),
    ("donnees informatiques", 2),
    ("code malveillant", 2),
    ("logiciel malveillant", 2),
    ("acte de malveillance informatique", 3),
    ("fraude informatique", 2),
    ("security failure", 2),
    ("privacy breach", 2),
    ("malicious code", 2),
    ("computer attack", 2),
    ("unauthorized access", 1),
    ("unauthorised access", 1),
    ("denial of service", 2),
    ("business interruption", 1),
    ("data restoration", 2),
    ("digital assets", 2),
];

const IT: &[Cue] = &[
    ("prestataire", 3),
    ("infogerance", 4),
    ("maintenance", 2),
    ("hebergement", 3),
    ("saas", 3),
    ("logiciel", 1),
    ("plateforme", 1),
    ("abonnement", 1),
    ("niveau de service", 2),
    ("sauvegarde", 1),
    ("serveur", 1),
    ("provider", 2),
    ("hosting", 3),
    ("cloud", 2),
    ("subscription", 1),
    ("software", 1),
    ("service level", 2),
    ("uptime", 2),
    ("backup", 1),
    ("server", 1),
    ("support", 1),
    ("services", 1),
    ("service", 1),
    ("managed services", 4),
    ("managed it", 3),
    ("it services", 3),
    ("hosted", 2),
    ("monitoring", 1),
    ("patching", 1),
    ("terms of service", 2),
    ("platform", 1),
    ("plateforme", 1),
    ("data centre", 2),
    ("data center", 2),
    ("centre de donnees", 2),
    ("customer data", 2),
    ("donnees du client", 2),
    ("backups", 1),
    ("sauvegardes", 1),
];

const DPA: &[Cue] = &[
    ("sous traitant", 3),
    ("sous traitance ulterieure", 3),
    ("responsable du traitement", 3),
    ("responsable de traitement", 3),
    ("article 28", 4),
    ("personnes concernees", 2),
    ("processor", 3),
    ("controller", 3),
    ("sub processor", 3),
    ("data subjects", 2),
    ("data processing", 3),
    ("personal data", 1),
    ("donnees a caractere personnel", 1),
];

/// Title phrases: a document that names itself is what it says.
const TITLES: &[(&str, DocType)] = &[
    ("data processing agreement", DocType::Dpa),
    ("data processing addendum", DocType::Dpa),
    ("accord de traitement", DocType::Dpa),
    ("accord de sous traitance", DocType::Dpa),
    ("convention de sous traitance", DocType::Dpa),
    ("clauses de protection des donnees", DocType::Dpa),
    ("traitement des donnees personnelles", DocType::Dpa),
    ("assurance cyber", DocType::InsuranceCyber),
    ("police cyber", DocType::InsuranceCyber),
    ("contrat cyber", DocType::InsuranceCyber),
    ("cyber assurance", DocType::InsuranceCyber),
    ("cyber insurance", DocType::InsuranceCyber),
    ("cyber policy", DocType::InsuranceCyber),
    ("cyber risk", DocType::InsuranceCyber),
    ("risques cyber", DocType::InsuranceCyber),
    ("risques numeriques", DocType::InsuranceCyber),
    ("cyberrisques", DocType::InsuranceCyber),
    ("cyber risques", DocType::InsuranceCyber),
    ("cyber securite", DocType::InsuranceCyber),
    ("risque numerique", DocType::InsuranceCyber),
    ("cyber liability", DocType::InsuranceCyber),
    ("cyber protection", DocType::InsuranceCyber),
    ("cyber business policy", DocType::InsuranceCyber),
    ("cyber section", DocType::InsuranceCyber),
    ("section cyber", DocType::InsuranceCyber),
    ("multirisque", DocType::InsuranceOther),
    ("multi risque", DocType::InsuranceOther),
    ("property insurance", DocType::InsuranceOther),
    ("property policy", DocType::InsuranceOther),
    ("commercial property", DocType::InsuranceOther),
    ("professional indemnity", DocType::InsuranceOther),
    ("professional liability", DocType::InsuranceOther),
    ("errors and omissions", DocType::InsuranceOther),
    ("errors omissions", DocType::InsuranceOther),
    ("errors & omissions", DocType::InsuranceOther),
    ("package policy", DocType::InsuranceOther),
    ("dommages aux biens", DocType::InsuranceOther),
    (
        "responsabilite civile professionnelle",
        DocType::InsuranceOther,
    ),
    ("kidnap", DocType::InsuranceOther),
    ("enlevement et rancon", DocType::InsuranceOther),
    // Agreements that are no IT service, whatever software or services they mention.
    ("contrat de licence", DocType::Other),
    ("licence agreement", DocType::Other),
    ("license agreement", DocType::Other),
    ("software licence", DocType::Other),
    ("software license", DocType::Other),
    ("licence logiciel", DocType::Other),
    ("consulting agreement", DocType::Other),
    ("consulting services agreement", DocType::Other),
    ("contrat de conseil", DocType::Other),
    ("supply agreement", DocType::Other),
    ("contrat de fourniture", DocType::Other),
    ("contrat d'approvisionnement", DocType::Other),
    ("distribution agreement", DocType::Other),
    ("contrat de distribution", DocType::Other),
    ("reseller agreement", DocType::Other),
    // Generic names last: a "KIDNAP ... INSURANCE / Policy number" is a K&R policy.
    ("police d'assurance", DocType::InsuranceOther),
    ("insurance policy", DocType::InsuranceOther),
    ("contrat d'assurance", DocType::InsuranceOther),
];

/// Titles that name a non-cyber line of insurance: such a policy stays `insurance_other`
/// however often its cyber exclusion names cyber events.
const NON_CYBER_TITLES: &[&str] = &[
    "multirisque",
    "multi risque",
    "property insurance",
    "property policy",
    "commercial property",
    "professional indemnity",
    "professional liability",
    "responsabilite civile professionnelle",
    "kidnap",
    "enlevement et rancon",
    "package policy",
    "dommages aux biens",
];

/// Every distinct cue of the weighted lists (sorted) and one automaton over them, so that a
/// document is read once for all cues instead of once per cue.
struct CueIndex {
    cues: Vec<&'static str>,
    automaton: AhoCorasick,
}

static CUE_INDEX: LazyLock<CueIndex> = LazyLock::new(|| {
    let mut cues: Vec<&'static str> = [INSURANCE, INSURANCE_STRONG, CYBER, IT, DPA]
        .iter()
        .flat_map(|list| list.iter().map(|&(cue, _)| cue))
        .collect();
    cues.sort_unstable();
    cues.dedup();
    let automaton = AhoCorasick::new(&cues).expect("cues are plain strings");
    CueIndex { cues, automaton }
});

/// Every distinct cue of the document-type lists, sorted: the rule automaton holds them
/// too, and counts them ([`CueCounter`]) in the pass it makes anyway.
pub fn cues() -> &'static [&'static str] {
    &CUE_INDEX.cues
}

/// Whole-word occurrences of every cue of [`cues`], counted exactly as `count_words`
/// counts them: a cue's next occurrence is sought from the end of the previous one, whether
/// or not that one stood as a whole word. Occurrences must be fed in order of their end
/// (an overlapping Aho-Corasick search gives them so), hence of their start for one cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueCounter {
    counts: Vec<u32>,
    next_from: Vec<usize>,
}

impl Default for CueCounter {
    fn default() -> Self {
        CueCounter {
            counts: vec![0; CUE_INDEX.cues.len()],
            next_from: vec![0; CUE_INDEX.cues.len()],
        }
    }
}

impl CueCounter {
    /// How many whole-word occurrences of each cue of [`cues`].
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// An occurrence of cue `k` at `start..end` of `text`.
    pub fn add(&mut self, text: &str, k: usize, start: usize, end: usize) {
        if start < self.next_from[k] {
            return;
        }
        self.next_from[k] = end;
        if whole_word(text, start, end) {
            self.counts[k] += 1;
        }
    }
}

/// Counts the cues of `text` with an automaton of its own (for a pack with no literal).
pub fn count_cues(text: &str) -> CueCounter {
    let mut counter = CueCounter::default();
    for m in CUE_INDEX.automaton.find_overlapping_iter(text) {
        counter.add(text, m.pattern().as_usize(), m.start(), m.end());
    }
    counter
}

fn score(counts: &[u32], cues: &[Cue]) -> u32 {
    let index = &*CUE_INDEX;
    cues.iter()
        .map(|&(cue, w)| {
            let n = index.cues.binary_search(&cue).map_or(0, |k| counts[k]);
            w * n.min(12)
        })
        .sum()
}

fn whole_word(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let after = text[e..].chars().next().is_some_and(char::is_alphanumeric);
    !before && !after
}

/// Occurrences of `cue` as whole words.
fn count_words(text: &str, cue: &str) -> u32 {
    let mut n = 0;
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(cue)) {
        let s = from + i;
        let e = s + cue.len();
        if whole_word(text, s, e) {
            n += 1;
        }
        from = e;
    }
    n
}

/// The document type of a folded text, from its title and weighted cues.
pub fn doc_type(folded: &str) -> DocType {
    doc_type_counted(folded, &count_cues(folded))
}

/// [`doc_type`] with the cues already counted over `folded`.
pub fn doc_type_counted(folded: &str, cues: &CueCounter) -> DocType {
    let counts = &cues.counts;
    // Running headers come first in a PDF's text: the title may be a few lines down.
    let head_end = (0..=folded.len().min(500))
        .rev()
        .find(|&i| folded.is_char_boundary(i))
        .unwrap_or(0);
    let head = &folded[..head_end];
    let strong = score(counts, INSURANCE_STRONG) as usize;
    let policy_like = strong >= 2 && strong * POLICY_DENSITY >= folded.len();
    let raw_insurance = score(counts, INSURANCE);
    let insurance = if policy_like { raw_insurance } else { 0 };
    let cyber = score(counts, CYBER);
    let it = score(counts, IT);
    let dpa = score(counts, DPA);
    // "CYBER & CRIME POLICY", « Assurance Cyber Transport & Logistique »: a policy's title
    // that names cyber makes it a cyber policy, whatever else it covers.
    let cyber_titled = count_words(head, "cyber") > 0
        && [
            "policy",
            "insurance",
            "assurance",
            "police",
            "wording",
            "contrat d'assurance",
        ]
        .iter()
        .any(|w| count_words(head, w) > 0);
    let named_line = NON_CYBER_TITLES.iter().any(|t| count_words(head, t) > 0);
    if cyber_titled && policy_like && !named_line {
        return DocType::InsuranceCyber;
    }
    if let Some(&(title, t)) = TITLES.iter().find(|(cue, _)| count_words(head, cue) > 0) {
        let firm = NON_CYBER_TITLES.contains(&title);
        return match t {
            DocType::InsuranceOther if !firm && cyber >= 12 && cyber * 3 >= raw_insurance => {
                DocType::InsuranceCyber
            }
            t => t,
        };
    }
    let best = insurance.max(it).max(dpa);
    if best < 8 {
        return DocType::Other;
    }
    if insurance == best {
        if cyber >= 12 && cyber * 3 >= insurance {
            DocType::InsuranceCyber
        } else {
            DocType::InsuranceOther
        }
    } else if dpa == best {
        DocType::Dpa
    } else {
        DocType::ItServices
    }
}

/// Longest text that can be a note about a contract rather than a contract.
const NOTE_MAX_BYTES: usize = 4000;

/// Paragraphs of running prose a note may hold (a sentence about the copy, say): a short
/// contract written as plain-language questions and answers, with no numbered clause the
/// segmenter sees, has many more.
const NOTE_MAX_PROSE: usize = 2;

/// Words from which a paragraph is prose rather than a title or a label.
const PROSE_WORDS: usize = 12;

/// `doc_type`, unless the document is a note about a contract (a README, a SOURCE.md
/// naming a contract and its origin): short, with a title at most, no clauses and hardly
/// any prose. Its cues are the contract's title and type, and rules looking for a missing
/// clause would report what the note was never meant to hold.
pub fn note_or(doc_type: DocType, seg: &crate::segment::Segmented, text: &str) -> DocType {
    if text.len() <= NOTE_MAX_BYTES
        && seg.clauses.len() <= 1
        && prose_paragraphs(text) <= NOTE_MAX_PROSE
    {
        DocType::Other
    } else {
        doc_type
    }
}

/// Paragraphs (blocks between blank lines) of at least [`PROSE_WORDS`] words that are no
/// list, table, heading or quotation.
fn prose_paragraphs(text: &str) -> usize {
    text.split("\n\n")
        .map(str::trim_start)
        .filter(|p| !p.starts_with(['-', '*', '•', '|', '#', '>']))
        .filter(|p| p.split_whitespace().count() >= PROSE_WORDS)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold;

    #[test]
    fn a_note_about_a_contract_is_other_and_a_short_plain_language_contract_is_not() {
        let note = "# GitHub Enterprise Subscription Agreement (on-premises Software + hosted Service)\n\n\
            - File: `github-enterprise-subscription-agreement.md` (Markdown, 60393 bytes), byte-for-byte copy.\n\
            - Source repository: https://github.com/github/site-policy\n\
            - Document type (vocabulary): it_services\n";
        let seg = crate::segment::segment(note, &[]);
        assert_eq!(note_or(DocType::ItServices, &seg, note), DocType::Other);
        // No heading the segmenter sees, under 4000 bytes: paragraphs of commitments make
        // it a contract all the same (a plain-language page of terms).
        let answer = "Nous sauvegardons chaque nuit votre serveur, chiffrons chaque copie et la \
            conservons trente jours dans notre second datacenter.";
        let terms =
            format!("Nos conditions de service, en clair\n\n{answer}\n\n{answer}\n\n{answer}\n");
        let seg = crate::segment::segment(&terms, &[]);
        assert!(seg.clauses.len() <= 1);
        assert_eq!(
            note_or(DocType::ItServices, &seg, &terms),
            DocType::ItServices
        );
    }

    #[test]
    fn detects_language() {
        assert_eq!(
            language(&fold(
                "Le prestataire est tenu de sauvegarder les données du client."
            )),
            Language::Fr
        );
        assert_eq!(
            language(&fold(
                "The provider shall back up the data of the customer."
            )),
            Language::En
        );
    }

    #[test]
    fn one_pass_counts_every_cue_as_a_search_per_cue_does() {
        let texts = [
            fold("Assureur, l'assuré et l'assureur : sinistres, sinistre; police police cyber."),
            "multi risque multi risque multirisque data data processing agreement".to_string(),
            "claimclaim claim xclaim claim- claim".to_string(),
            String::new(),
        ];
        let index = &*CUE_INDEX;
        for t in &texts {
            let counts = count_cues(t).counts;
            for (k, cue) in index.cues.iter().enumerate() {
                assert_eq!(counts[k], count_words(t, cue), "{cue:?} in {t:?}");
            }
        }
    }

    #[test]
    fn detects_types() {
        let it = fold("Contrat d'infogérance. Le Prestataire assure la maintenance et l'hébergement des serveurs du Client, avec un niveau de service défini. Le prestataire réalise la sauvegarde.");
        assert_eq!(doc_type(&it), DocType::ItServices);
        let dpa = fold("Data Processing Agreement. The Processor processes personal data on behalf of the Controller under Article 28.");
        assert_eq!(doc_type(&dpa), DocType::Dpa);
        let cyber = fold("Police d'assurance cyber. L'assureur garantit l'assuré contre les atteintes aux systèmes d'information, l'extorsion et la rançon. Cyber. Sinistre cyber. Garantie cyber.");
        assert_eq!(doc_type(&cyber), DocType::InsuranceCyber);
        let property = fold("Contrat d'assurance multirisque. L'assureur garantit l'assuré contre l'incendie et le dégât des eaux. Sinistre, franchise, prime.");
        assert_eq!(doc_type(&property), DocType::InsuranceOther);
        assert_eq!(
            doc_type(&fold("Vente de mobilier de bureau.")),
            DocType::Other
        );
    }

    #[test]
    fn a_contract_naming_its_insurance_duties_is_no_policy() {
        let mut t = String::from(
            "AGENCY AGREEMENT. This Agreement is made between the Company and the Agent. ",
        );
        for _ in 0..200 {
            t.push_str("The Agent shall perform the services under this Agreement and shall be paid the fees set out in Schedule 1; any claim shall be settled by the parties. ");
        }
        t.push_str("The Agent shall maintain insurance coverage naming the Company as additional insured, with a premium paid by the Agent, and the insurer shall give notice of any claim.");
        assert_ne!(doc_type(&fold(&t)), DocType::InsuranceOther);
        assert_ne!(doc_type(&fold(&t)), DocType::InsuranceCyber);
    }

    #[test]
    fn named_lines_of_insurance_keep_their_type() {
        let kr = fold("KIDNAP, RANSOM AND EXTORTION INSURANCE\nPolicy number: KRE-1 – Insurer: Thamesgate. We will pay the ransom and extortion payments, the cyber extortion costs and the ransom of a kidnapped employee. Ransom, ransom, extortion, cyber extortion. The Insured, the Insurer.");
        assert_eq!(doc_type(&kr), DocType::InsuranceOther);
        let cyber = fold("CONTRAT D'ASSURANCE « RISQUES NUMÉRIQUES DES COLLECTIVITÉS »\nLe présent contrat garantit l'Assuré contre une atteinte à son système d'information. L'Assureur.");
        assert_eq!(doc_type(&cyber), DocType::InsuranceCyber);
    }
}
