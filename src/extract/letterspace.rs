//! Rejoins words that PDF layout split with spaces ("F O R C E  M A J E U R E",
//! "Fourni ture"), using only the document's own vocabulary, so rule terms match a
//! letter-spaced heading or a word broken by kerning without any dictionary.

use std::collections::HashMap;

/// Pages' texts with letter-spaced runs and kerning splits rejoined.
pub fn rejoin(pages: &[String]) -> Vec<String> {
    let spaced: Vec<String> = pages.iter().map(|p| join_letter_runs(p)).collect();
    let vocab = Vocabulary::of(&spaced);
    spaced.iter().map(|p| vocab.join_splits(p)).collect()
}

/// A run of single letters separated by single spaces is one word: "F O R C E" → "FORCE".
/// Five letters at least (four when all capitals), so "il y a à y", "a b c" or "A B C" stay.
fn join_letter_runs(page: &str) -> String {
    page.split('\n')
        .map(join_line_runs)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_letter_token(t: &str) -> bool {
    let mut c = t.chars();
    matches!((c.next(), c.next()), (Some(ch), None) if ch.is_alphabetic())
}

fn join_line_runs(line: &str) -> String {
    let tokens: Vec<&str> = line.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j < tokens.len() && is_letter_token(tokens[j]) {
            j += 1;
        }
        let run = &tokens[i..j];
        let caps = run.iter().all(|t| t.chars().all(char::is_uppercase));
        if run.len() >= 5 || (run.len() >= 4 && caps) {
            out.push(run.concat());
            i = j;
        } else {
            out.push(tokens[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// How often each lowercase word, and each pair of adjacent words, occurs in the document.
struct Vocabulary {
    words: HashMap<String, usize>,
    pairs: HashMap<(String, String), usize>,
}

fn words_of(line: &str) -> Vec<&str> {
    line.split(' ').filter(|t| !t.is_empty()).collect()
}

fn alphabetic(t: &str) -> bool {
    !t.is_empty() && t.chars().all(char::is_alphabetic)
}

impl Vocabulary {
    fn of(pages: &[String]) -> Self {
        let mut words: HashMap<String, usize> = HashMap::new();
        let mut pairs: HashMap<(String, String), usize> = HashMap::new();
        for line in pages.iter().flat_map(|p| p.lines()) {
            let toks = words_of(line);
            for t in &toks {
                let w = bare(t).to_lowercase();
                if alphabetic(&w) {
                    *words.entry(w).or_default() += 1;
                }
            }
            for w in toks.windows(2) {
                let (a, b) = (w[0].to_lowercase(), bare(w[1]).to_lowercase());
                if alphabetic(&a) && alphabetic(&b) {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
        Vocabulary { words, pairs }
    }

    fn count(&self, w: &str) -> usize {
        self.words.get(w).copied().unwrap_or(0)
    }

    /// "fourni ture" is one word when "fourniture" occurs at least twice unsplit and a
    /// short fragment (four letters at most: kerning cuts off a syllable) never occurs
    /// outside this pair. "contract or" stays: the fragment that occurs nowhere else,
    /// "contract", is a whole word, and "or" is everywhere.
    fn should_join(&self, a: &str, b: &str) -> bool {
        let (la, lb) = (a.to_lowercase(), bare(b).to_lowercase());
        if !alphabetic(&la) || !alphabetic(&lb) || b.starts_with(char::is_uppercase) {
            return false;
        }
        let joined = format!("{la}{lb}");
        if self.count(&joined) < 2 {
            return false;
        }
        let pair = self
            .pairs
            .get(&(la.clone(), lb.clone()))
            .copied()
            .unwrap_or(0);
        let rare = |f: &str| f.chars().count() <= 4 && self.count(f) == pair;
        rare(&la) || rare(&lb)
    }

    fn join_splits(&self, page: &str) -> String {
        page.split('\n')
            .map(|line| {
                let toks: Vec<&str> = line.split(' ').collect();
                let mut out: Vec<String> = Vec::with_capacity(toks.len());
                let mut i = 0;
                while i < toks.len() {
                    if i + 1 < toks.len() && self.should_join(toks[i], toks[i + 1]) {
                        out.push(format!("{}{}", toks[i], toks[i + 1]));
                        i += 2;
                    } else {
                        out.push(toks[i].to_string());
                        i += 1;
                    }
                }
                out.join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A token without the punctuation that may follow it ("ture," → "ture").
fn bare(t: &str) -> &str {
    t.trim_end_matches(|c: char| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> String {
        rejoin(&[s.to_string()]).remove(0)
    }

    #[test]
    fn letter_spaced_headings_are_rejoined() {
        assert_eq!(
            one("ARTICLE 12 – F O R C E  M A J E U R E"),
            "ARTICLE 12 – FORCE  MAJEURE"
        );
        assert_eq!(one("l e s   v i r u s"), "l e s   virus");
        assert_eq!(one("P R I X du contrat"), "PRIX du contrat");
        assert_eq!(one("Annexes A B C"), "Annexes A B C");
    }

    #[test]
    fn short_single_letter_words_stay() {
        assert_eq!(one("il y a à y voir"), "il y a à y voir");
        assert_eq!(one("points a b c"), "points a b c");
    }

    #[test]
    fn kerning_splits_known_elsewhere_are_rejoined() {
        let pages = vec![
            "La fourniture des services. La fourniture du matériel.".to_string(),
            "Le Prestataire assure la fourni ture, des sauvegardes.".to_string(),
        ];
        let out = rejoin(&pages);
        assert_eq!(
            out[1],
            "Le Prestataire assure la fourniture, des sauvegardes."
        );
    }

    #[test]
    fn real_words_are_not_glued() {
        // "voir" occurs on its own elsewhere: "de voir" stays two words.
        let pages = vec![
            "Le devoir de conseil. Le devoir d'information. Il faut voir.".to_string(),
            "Il convient de voir le rapport.".to_string(),
        ];
        assert_eq!(rejoin(&pages)[1], "Il convient de voir le rapport.");
        // "contract" occurs only before "or", but it is the long fragment: no "contractor".
        let pages = vec![
            "The contractor or the contractor staff, or an agent. To contract or to agree."
                .to_string(),
        ];
        assert_eq!(rejoin(&pages)[0], pages[0]);
        // A capitalised second word starts a new sentence or a name.
        let pages = vec!["Sauvegarde Sauvegarde sauvegarde Sauve Garde".to_string()];
        assert_eq!(rejoin(&pages)[0], pages[0]);
    }
}
