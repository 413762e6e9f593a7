//! Reads a clause keyword and its number at the start of a line ("Article 12 –", "Annexe B :",
//! "§ 3.") by hand, exactly as segmentation's `KEYWORD` regex matches it: the regex's
//! captures were a seventh of a contract's segmentation (docs/performance.md, "Speed"). Where a character
//! past ASCII could change the regex's answer (a Unicode digit, a case-folded letter, a
//! letter of another script after the number) the reader says so, and the regex decides.

/// What a keyword's heading is, for its rank and for how the contract numbers its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    /// Chapters, titles and parts: above articles.
    Division,
    /// Annexes and schedules: below divisions, above articles.
    Annex,
    Paragraph,
}

/// The keywords in the order of the regex's alternatives (the first that leads to a match
/// wins: "part" is tried before "partie"), each with its kind.
const WORDS: &[(&str, Kind)] = &[
    ("article", Kind::Article),
    ("art.", Kind::Article),
    ("section", Kind::Article),
    ("clause", Kind::Article),
    ("chapitre", Kind::Division),
    ("chapter", Kind::Division),
    ("titre", Kind::Division),
    ("part", Kind::Division),
    ("partie", Kind::Division),
    ("annexe", Kind::Annex),
    ("annex", Kind::Annex),
    ("schedule", Kind::Annex),
    ("appendix", Kind::Annex),
    ("appendice", Kind::Annex),
    ("exhibit", Kind::Annex),
    ("§", Kind::Paragraph),
];

fn kind(keyword: &str) -> Option<Kind> {
    WORDS
        .iter()
        .find(|(w, _)| keyword.eq_ignore_ascii_case(w))
        .map(|&(_, k)| k)
}

/// The rank a keyword gives its heading when it is not an article's: divisions first,
/// then annexes.
pub(super) fn rank(keyword: &str) -> Option<u8> {
    match kind(keyword)? {
        Kind::Division => Some(1),
        Kind::Annex => Some(2),
        Kind::Article | Kind::Paragraph => None,
    }
}

/// Whether a keyword numbers articles ("Article", "Art.", "Section", "Clause"): a contract
/// that uses them numbers its list items with bare numbers.
pub(super) fn is_article(keyword: &str) -> bool {
    kind(keyword) == Some(Kind::Article)
}

/// What the regex would match at the start of a line.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Keyword<'a> {
    /// The keyword and number as written, and the end of the whole match (after the
    /// separator and spaces).
    Yes {
        keyword: &'a str,
        number: &'a str,
        end: usize,
    },
    No,
    /// A character past ASCII decides: ask the regex.
    Unsure,
}

/// A three-way answer of one step of the match.
enum Step<T> {
    Yes(T),
    No,
    Unsure,
}

pub(super) fn read(line: &str) -> Keyword<'_> {
    for (word, _) in WORDS {
        match keyword_at_start(line, word) {
            Step::Yes(()) => {}
            Step::No => continue,
            Step::Unsure => return Keyword::Unsure,
        }
        let after = word.len();
        match number_after(line, after) {
            Step::Yes((from, to)) => {
                return Keyword::Yes {
                    keyword: &line[..after],
                    number: &line[from..to],
                    end: separator_end(line, to),
                }
            }
            Step::No => continue,
            Step::Unsure => return Keyword::Unsure,
        }
    }
    Keyword::No
}

/// `word` at the start of `line`, ignoring ASCII case. Case-insensitive matching also takes
/// "ſ" (U+017F) for "s" and the Kelvin sign for "k": a character past ASCII where one of
/// those letters is due is left to the regex.
fn keyword_at_start(line: &str, word: &str) -> Step<()> {
    if word == "§" {
        return if line.starts_with('§') {
            Step::Yes(())
        } else {
            Step::No
        };
    }
    let b = line.as_bytes();
    for (i, &k) in word.as_bytes().iter().enumerate() {
        match b.get(i) {
            None => return Step::No,
            Some(c) if !c.is_ascii() => {
                return if matches!(k, b's' | b'k') {
                    Step::Unsure
                } else {
                    Step::No
                }
            }
            Some(c) if !c.eq_ignore_ascii_case(&k) => return Step::No,
            Some(_) => {}
        }
    }
    Step::Yes(())
}

/// `\s*` then the number and a word boundary after `at`: the span of the number. The spaces
/// are taken greedily and given back only to zero, since a number never starts with one.
fn number_after(line: &str, at: usize) -> Step<(usize, usize)> {
    let spaced = spaces_end(line, at);
    let starts = if spaced > at {
        [Some(spaced), Some(at)]
    } else {
        [Some(at), None]
    };
    for from in starts.into_iter().flatten() {
        match number_at(line, from) {
            Step::Yes(to) => return Step::Yes((from, to)),
            Step::No => {}
            Step::Unsure => return Step::Unsure,
        }
    }
    Step::No
}

/// `(\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7}|premier|1er|[A-Z])\b` (case-insensitive) at `from`:
/// the end of the first alternative that is followed by a word boundary.
fn number_at(line: &str, from: usize) -> Step<usize> {
    let b = line.as_bytes();
    let Some(&first) = b.get(from) else {
        return Step::No;
    };
    if !first.is_ascii() {
        let c = line[from..].chars().next().unwrap_or(' ');
        // A Unicode digit, or a letter that case-folds to an ASCII one.
        return if c.is_numeric() || c == 'ſ' || c == '\u{212a}' {
            Step::Unsure
        } else {
            Step::No
        };
    }
    let digits = |at: usize| b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    // A Unicode digit would lengthen a part: only the regex knows `\d`'s whole class.
    let unicode_digit = |at: usize| {
        b.get(at).is_some_and(|c| !c.is_ascii())
            && line[at..].chars().next().is_some_and(char::is_numeric)
    };
    // The dotted number's end with the most parts (the regex's greedy choice), and the one
    // before it. Taking fewer digits of a part leaves a digit next, where neither a dot nor
    // a boundary can follow; and the end before a dot is always followed by a boundary, so
    // no end shorter than `shorter` is ever tried.
    let first_part = digits(from);
    if unicode_digit(from + first_part) {
        return Step::Unsure;
    }
    let (mut longest, mut shorter) = (None, None);
    if (1..=3).contains(&first_part) {
        let mut end = from + first_part;
        longest = Some(end);
        while b.get(end) == Some(&b'.') {
            let part = digits(end + 1);
            if unicode_digit(end + 1 + part) {
                return Step::Unsure;
            }
            if !(1..=3).contains(&part) {
                break;
            }
            shorter = Some(end);
            end += 1 + part;
            longest = Some(end);
        }
    }
    let roman = b[from..]
        .iter()
        .take_while(|c| matches!(c.to_ascii_uppercase(), b'I' | b'V' | b'X' | b'L' | b'C'))
        .count();
    let starts_with = |w: &str| {
        b.get(from..from + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w.as_bytes()))
    };
    // The alternatives' ends in the regex's order.
    let tries = [
        longest,
        shorter,
        (1..=7).contains(&roman).then_some(from + roman),
        starts_with("premier").then_some(from + 7),
        starts_with("1er").then_some(from + 3),
        first.is_ascii_alphabetic().then_some(from + 1),
    ];
    for end in tries.into_iter().flatten() {
        match boundary_after_word_char(line, end) {
            Step::Yes(()) => return Step::Yes(end),
            Step::No => {}
            Step::Unsure => return Step::Unsure,
        }
    }
    Step::No
}

/// `\b` at `at`, the character before it being an ASCII letter or digit: whether the
/// character at `at` is no word character. Past ASCII, only spaces, letters and the
/// punctuation contracts use are decided here.
fn boundary_after_word_char(line: &str, at: usize) -> Step<()> {
    let Some(c) = line[at..].chars().next() else {
        return Step::Yes(());
    };
    let word = if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else if c.is_whitespace() || NOT_WORD.contains(&c) {
        false
    } else if c.is_alphabetic() {
        true
    } else {
        return Step::Unsure;
    };
    if word {
        Step::No
    } else {
        Step::Yes(())
    }
}

/// Characters past ASCII that are surely not word characters.
const NOT_WORD: &[char] = &[
    '–', '—', '‐', '‑', '«', '»', '“', '”', '‘', '’', '…', '•', '§', '°', '€',
];

/// `\.?\s*(?:[-–—:.)]+\s*)?` after `at`, each part greedy: nothing after it has to match.
fn separator_end(line: &str, at: usize) -> usize {
    let mut end = at;
    if line.as_bytes().get(end) == Some(&b'.') {
        end += 1;
    }
    end = spaces_end(line, end);
    let marks: usize = line[end..]
        .chars()
        .take_while(|c| matches!(c, '-' | '–' | '—' | ':' | '.' | ')'))
        .map(char::len_utf8)
        .sum();
    if marks > 0 {
        end = spaces_end(line, end + marks);
    }
    end
}

/// The end of the whitespace at `at` (`\s*`: Rust's `char::is_whitespace` is the same
/// White_Space property as the regex's Unicode `\s`).
fn spaces_end(line: &str, at: usize) -> usize {
    at + line[at..]
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(char::len_utf8)
        .sum::<usize>()
}
