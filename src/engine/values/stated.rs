//! Reads stated durations ("72 heures", "douze (12) mois", "3 business days (72 hours)") by
//! hand, exactly as the `DURATION` regex of `values` matches them, with the same capture
//! groups. Reading durations near evidence was over a third of the rule pass, and this
//! regex's captures about a third of that (docs/performance.md, "Speed"); the words it knows are fixed
//! lists, so a reader can follow it step by step, and a test compares both on generated
//! text.
//!
//! The text is folded (`normalize`). The regex's `\b` is ASCII (a character past ASCII is no
//! word character) and its `\s` is Unicode whitespace, as `char::is_whitespace` is.

use std::ops::Range;

/// One match of `DURATION`: its span and its capture groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stated<'a> {
    pub span: Range<usize>,
    pub words: Option<&'a str>,
    pub paren: Option<&'a str>,
    pub digits: Option<&'a str>,
    pub pbiz: bool,
    pub unit: &'a str,
    pub sbiz: Option<&'a str>,
}

/// The number words of `NUMWORD`, spelt out, sorted so that those of a first letter are
/// found together.
pub(super) const NUMBER_WORDS: &[&str] = &[
    "cent",
    "cents",
    "cinq",
    "cinquante",
    "deux",
    "dix",
    "douze",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "fourteen",
    "huit",
    "hundred",
    "mille",
    "neuf",
    "nine",
    "nineteen",
    "ninety",
    "one",
    "onze",
    "quarante",
    "quatorze",
    "quatre",
    "quinze",
    "seize",
    "sept",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "soixante",
    "ten",
    "thirteen",
    "thirty",
    "thousand",
    "three",
    "treize",
    "trente",
    "trois",
    "twelve",
    "twenty",
    "two",
    "un",
    "une",
    "vingt",
    "vingts",
    "zero",
];

/// The units of `UNIT`, spelt out.
pub(super) const UNITS: &[&str] = &[
    "heures", "heure", "hours", "hour", "hrs", "hr", "h", "minutes", "minute", "mins", "min", "mn",
    "secondes", "seconde", "seconds", "second", "secs", "sec", "jours", "jour", "j", "days", "day",
    "nuits", "nuit", "nights", "night", "semaines", "semaine", "weeks", "week", "mois", "months",
    "month", "annees", "annee", "ans", "an", "years", "year", "yrs", "yr",
];

/// `QUALIFIER`'s words, then the business-day words (`pbiz`), each followed by a space.
const QUALIFIERS: &[&str] = &[
    "calendar",
    "consecutive",
    "full",
    "derniers",
    "dernieres",
    "premiers",
    "premieres",
    "prochains",
    "prochaines",
    "consecutifs",
    "consecutives",
    "pleins",
    "entiers",
];
const BUSINESS: &[&str] = &["business", "working"];

/// The words after a unit that make days business or calendar days (`sbiz`).
const DAY_KINDS: &[&str] = &[
    "ouvre",
    "ouvres",
    "ouvree",
    "ouvrees",
    "ouvrable",
    "ouvrables",
    "calendaire",
    "calendaires",
];

/// Every match of `DURATION` in `text`, as `captures_iter` finds them: the leftmost match,
/// then the next one from its end.
pub(super) fn stated(text: &str) -> Vec<Stated<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        // A match starts at a word boundary with a digit or a number word's letter.
        if is_word(b[p]) && (p == 0 || !is_word(b[p - 1])) {
            if let Some(m) = stated_at(text, p) {
                p = m.span.end;
                out.push(m);
                continue;
            }
        }
        p += 1;
    }
    out
}

/// The match starting at `p`, if any. Every choice the regex could take back is decided
/// by what follows it, so a single forward reading finds the regex's match (the reasons are
/// given at each step).
fn stated_at(text: &str, p: usize) -> Option<Stated<'_>> {
    let b = text.as_bytes();
    let (mut words, mut paren, mut digits) = (None, None, None);
    let mut i;
    if b[p].is_ascii_digit() {
        // `[0-9]{1,6}`: fewer digits leave a digit next, which nothing after can take.
        let n = digit_run(b, p);
        if n > 6 {
            return None;
        }
        let mut end = p + n;
        // `(?:[.,][0-9]{1,2})?`: a longer fraction leaves a digit, none leaves the mark.
        if matches!(b.get(end), Some(b'.' | b',')) {
            match digit_run(b, end + 1) {
                0 => {}
                f @ 1..=2 => end += 1 + f,
                _ => return None,
            }
        }
        digits = Some(&text[p..end]);
        i = optional_space(text, end);
        // `(?:\(\s?W\s?\)\s?)?`: without it, "(" is next, which nothing after can take.
        if let Some(after) = words_in_parentheses(text, i) {
            i = after;
        }
    } else {
        let end = number_words(text, p)?;
        words = Some(&text[p..end]);
        i = optional_space(text, end);
        // `(?:\(\s?([0-9]{1,5})\s?\)\s?)?`
        if let Some((inner, after)) = digits_in_parentheses(text, i) {
            paren = Some(&text[inner]);
            i = after;
        }
    }
    // `(?:(business|working)\s|QUALIFIER\s)?`: no qualifier is a unit.
    let mut pbiz = false;
    for (list, business) in [(BUSINESS, true), (QUALIFIERS, false)] {
        if let Some(after) = list.iter().find_map(|w| word_then_space(text, i, w)) {
            i = after;
            pbiz = business;
            break;
        }
    }
    // `UNIT\b`: the unit is the whole ASCII word.
    let unit_end = word_end(b, i);
    let unit = &text[i..unit_end];
    if !UNITS.contains(&unit) {
        return None;
    }
    let mut end = unit_end;
    // `(\s(?:ouvr(?:es?|ees?|ables?)|calendaires?)\b)?`
    let mut sbiz = None;
    if let Some(s) = space(text, end) {
        let e = word_end(b, s);
        if DAY_KINDS.contains(&&text[s..e]) {
            sbiz = Some(&text[end..e]);
            end = e;
        }
    }
    // The unit restated in parentheses: "3 jours (72 heures)".
    if let Some(after) = restated(text, end) {
        end = after;
    }
    Some(Stated {
        span: p..end,
        words,
        paren,
        digits,
        pbiz,
        unit,
        sbiz,
    })
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn word_end(b: &[u8], from: usize) -> usize {
    from + b[from..].iter().take_while(|&&c| is_word(c)).count()
}

fn digit_run(b: &[u8], from: usize) -> usize {
    b.get(from..)
        .map_or(0, |s| s.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `\s` at `at`: the end of the whitespace character.
fn space(text: &str, at: usize) -> Option<usize> {
    let c = text.get(at..)?.chars().next()?;
    c.is_whitespace().then(|| at + c.len_utf8())
}

/// `\s?` at `at`, greedy.
fn optional_space(text: &str, at: usize) -> usize {
    space(text, at).unwrap_or(at)
}

/// `word\s` at `at`.
fn word_then_space(text: &str, at: usize, word: &str) -> Option<usize> {
    if text.get(at..)?.starts_with(word) {
        space(text, at + word.len())
    } else {
        None
    }
}

/// A number word, as a whole ASCII word, at `at`: its end. Every word of a sentence is
/// tested, so only the words of its first letter are compared.
fn number_word(text: &str, at: usize) -> Option<usize> {
    let end = word_end(text.as_bytes(), at);
    let w = &text.as_bytes()[at..end];
    if !(2..=9).contains(&w.len()) {
        return None;
    }
    // The few words with the same first letter, compared by length first.
    let from = NUMBER_WORDS.partition_point(|n| n.as_bytes()[0] < w[0]);
    NUMBER_WORDS[from..]
        .iter()
        .take_while(|n| n.as_bytes()[0] == w[0])
        .any(|n| n.len() == w.len() && n.as_bytes() == w)
        .then_some(end)
}

/// `W` at `at`: number words joined by a space, "et" or "and" (`NUMWORD\b(?:\s(?:et\s|and\s)?
/// NUMWORD\b)*`), as many as there are: stopping earlier leaves a space and a number word,
/// which nothing after it takes.
fn number_words(text: &str, at: usize) -> Option<usize> {
    let mut end = number_word(text, at)?;
    while let Some(s) = space(text, end) {
        let joined = ["et", "and"]
            .iter()
            .find_map(|j| word_then_space(text, s, j))
            .and_then(|w| number_word(text, w));
        match joined.or_else(|| number_word(text, s)) {
            Some(e) => end = e,
            None => break,
        }
    }
    Some(end)
}

/// `\(\s?W\s?\)\s?` at `at`: the end.
fn words_in_parentheses(text: &str, at: usize) -> Option<usize> {
    let inner = open_parenthesis(text, at)?;
    let end = number_words(text, inner)?;
    close_parenthesis(text, end).map(|e| optional_space(text, e))
}

/// `\(\s?([0-9]{1,5})\s?\)\s?` at `at`: the digits and the end.
fn digits_in_parentheses(text: &str, at: usize) -> Option<(Range<usize>, usize)> {
    let inner = open_parenthesis(text, at)?;
    let n = digit_run(text.as_bytes(), inner);
    if !(1..=5).contains(&n) {
        return None;
    }
    let end = close_parenthesis(text, inner + n)?;
    Some((inner..inner + n, optional_space(text, end)))
}

/// `\(\s?` at `at`: the end.
fn open_parenthesis(text: &str, at: usize) -> Option<usize> {
    (text.as_bytes().get(at) == Some(&b'(')).then(|| optional_space(text, at + 1))
}

/// `\s?\)` at `at`: the end.
fn close_parenthesis(text: &str, at: usize) -> Option<usize> {
    let at = optional_space(text, at);
    (text.as_bytes().get(at) == Some(&b')')).then_some(at + 1)
}

/// `\s?\(\s?(?:[0-9]{1,6}\s?UNIT|W(?:\sUNIT)?)\s?\)` at `at`: the end. The units here need
/// no boundary, only the closing parenthesis after them.
fn restated(text: &str, at: usize) -> Option<usize> {
    let inner = open_parenthesis(text, optional_space(text, at))?;
    let b = text.as_bytes();
    let unit_then_close = |from: usize| {
        UNITS.iter().find_map(|u| {
            text.get(from..)?
                .starts_with(u)
                .then(|| close_parenthesis(text, from + u.len()))?
        })
    };
    if b.get(inner).is_some_and(u8::is_ascii_digit) {
        let n = digit_run(b, inner);
        if n > 6 {
            return None;
        }
        return unit_then_close(optional_space(text, inner + n));
    }
    let end = number_words(text, inner)?;
    space(text, end)
        .and_then(unit_then_close)
        .or_else(|| close_parenthesis(text, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_are_sorted_for_the_binary_search() {
        assert!(NUMBER_WORDS.windows(2).all(|w| w[0] < w[1]));
        for w in NUMBER_WORDS {
            assert_eq!(number_word(w, 0), Some(w.len()), "{w}");
        }
    }
}
