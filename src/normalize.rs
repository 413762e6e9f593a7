//! Builds the copy of a text that rules match against (folded case and accents, canonical
//! punctuation and spaces) while keeping a map back to byte offsets of the extracted text,
//! so that a match found on the folded copy is reported where it was printed.

use std::ops::Range;
use std::sync::LazyLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The folded copy of a text and the way back to the original's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The folded text: lowercase, no accents, one space between words, `'` and `"` as the
    /// only apostrophe and quote, dashes as spaces.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the character it came from.
    map: Vec<u32>,
    /// For each byte of `text`, the end offset in the original of that character.
    map_end: Vec<u32>,
    orig_len: usize,
    /// Folded offsets where a line of the original ended: text before the offset is on
    /// earlier lines. Folding turns line breaks into spaces; titles need them back.
    line_breaks: Vec<u32>,
}

impl Normalized {
    /// Folds `orig`. Offsets above 4 GiB are not supported (inputs are capped far below).
    pub fn new(orig: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(orig.len()),
            map: Vec::with_capacity(orig.len()),
            map_end: Vec::with_capacity(orig.len()),
            orig_len: orig.len(),
            line_breaks: Vec::new(),
        };
        let bytes = orig.as_bytes();
        let mut i = 0;
        while i < orig.len() {
            // ASCII fast path: the bulk of contract text.
            let b = bytes[i];
            if b.is_ascii() {
                if b == b'-' {
                    if let Some(skip) = line_end_hyphenation(orig, i) {
                        i = skip;
                        continue;
                    }
                    out.push_space(i, i + 1);
                } else if b.is_ascii_whitespace() || b == 0x0c {
                    if b == b'\n' {
                        out.line_breaks.push(out.text.len() as u32);
                    }
                    out.push_space(i, i + 1);
                } else if b.is_ascii_control() {
                    // Dropped: control characters carry no words.
                } else {
                    i = out.push_ascii_run(orig, i);
                    continue;
                }
                i += 1;
                continue;
            }
            let Some(c) = orig[i..].chars().next() else {
                break;
            };
            let end = i + c.len_utf8();
            if is_hyphen(c) {
                if let Some(skip) = line_end_hyphenation(orig, i) {
                    i = skip;
                    continue;
                }
            }
            out.fold_char(c, i, end);
            i = end;
        }
        // A trailing space carries nothing and would only shift word counts.
        while out.text.ends_with(' ') {
            out.text.pop();
            out.map.pop();
            out.map_end.pop();
        }
        out
    }

    /// The folded range of the line holding folded range `r` (its first line if `r` spans
    /// several), spaces at its ends included.
    pub fn line_of(&self, r: &Range<usize>) -> Range<usize> {
        let at = r.start as u32;
        let i = self.line_breaks.partition_point(|&b| b <= at);
        let start = if i == 0 {
            0
        } else {
            self.line_breaks[i - 1] as usize
        };
        let end = self
            .line_breaks
            .get(i)
            .map_or(self.text.len(), |&b| (b as usize).min(self.text.len()));
        start..end.max(start)
    }

    /// Copies the run of visible ASCII characters (but `-`) starting at `from`, with the
    /// single spaces between its words, lowercased, and returns where it ends: most of a
    /// contract's bytes come through here a line at a time rather than a character at a time.
    fn push_ascii_run(&mut self, orig: &str, from: usize) -> usize {
        let bytes = orig.as_bytes();
        let mut to = from;
        while to < bytes.len() {
            let b = bytes[to];
            // A space is kept as is after a visible character; a second one is collapsed
            // by `push_space`, so it ends the run.
            let kept = (b.is_ascii_graphic() && b != b'-') || (b == b' ' && bytes[to - 1] != b' ');
            if !kept {
                break;
            }
            to += 1;
        }
        let at = self.text.len();
        self.text.push_str(&orig[from..to]);
        self.text[at..].make_ascii_lowercase();
        self.map.extend(from as u32..to as u32);
        self.map_end.extend(from as u32 + 1..to as u32 + 1);
        to
    }

    fn push_char(&mut self, c: char, start: usize, end: usize) {
        let before = self.text.len();
        self.text.push(c);
        for _ in before..self.text.len() {
            self.map.push(start as u32);
            self.map_end.push(end as u32);
        }
    }

    fn push_space(&mut self, start: usize, end: usize) {
        if self.text.is_empty() || self.text.ends_with(' ') {
            return;
        }
        // One byte: three pushes, not `push_char`'s loop over the encoded length.
        self.text.push(' ');
        self.map.push(start as u32);
        self.map_end.push(end as u32);
    }

    fn fold_char(&mut self, c: char, start: usize, end: usize) {
        let apply = |step: Step| match step {
            Step::Space => self.push_space(start, end),
            Step::Char(m) => self.push_char(m, start, end),
        };
        match LATIN.get((c as usize).wrapping_sub(LATIN_START)) {
            Some(steps) => steps.iter().copied().for_each(apply),
            None => fold_steps(c, apply),
        }
    }

    /// Original offset of folded offset `n` (the end of the original for `n == len`).
    pub fn to_orig(&self, n: usize) -> usize {
        self.map.get(n).map_or(self.orig_len, |&o| o as usize)
    }

    /// Original byte range covering the folded range `r`.
    pub fn to_orig_range(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end {
            let o = self.to_orig(r.start);
            return o..o;
        }
        let start = self.to_orig(r.start);
        let end = self
            .map_end
            .get(r.end - 1)
            .map_or(self.orig_len, |&o| o as usize);
        start..end.max(start)
    }

    /// First folded offset whose character starts at or after original offset `o`.
    pub fn from_orig(&self, o: usize) -> usize {
        self.map.partition_point(|&m| (m as usize) < o)
    }

    /// [`Normalized::from_orig`] for an offset known to map at or after folded offset `lo`
    /// (the answer for an earlier, smaller offset): a galloping search from there, so that
    /// mapping a document's sorted sentence bounds costs a few steps each, not a search of
    /// the whole map.
    pub fn from_orig_after(&self, o: usize, lo: usize) -> usize {
        let map = &self.map;
        let (mut lo, mut hi, mut step) = (lo.min(map.len()), lo.min(map.len()), 1);
        while hi < map.len() && (map[hi] as usize) < o {
            lo = hi + 1;
            hi = lo + step;
            step *= 2;
        }
        let hi = hi.min(map.len());
        lo + map[lo..hi].partition_point(|&m| (m as usize) < o)
    }

    /// Folded range of the original range `r`.
    pub fn from_orig_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.from_orig(r.start);
        let end = self.from_orig(r.end);
        start..end.max(start)
    }
}

/// The end of the run of word (`word`) or non-word characters at byte `i`. ASCII bytes are
/// classed by a table in a tight loop; a character past ASCII is decoded.
#[inline]
pub fn skip(text: &str, mut i: usize, word: bool) -> usize {
    let bytes = text.as_bytes();
    let want = if word { WORD } else { OTHER };
    loop {
        while i < bytes.len() && CLASS[usize::from(bytes[i])] == want {
            i += 1;
        }
        if i >= bytes.len() || CLASS[usize::from(bytes[i])] != BEYOND {
            return i;
        }
        let (w, len) = word_char_at(text, i);
        if w != word {
            return i;
        }
        i += len;
    }
}

const OTHER: u8 = 0;
const WORD: u8 = 1;
const BEYOND: u8 = 2;

/// The class of each byte: an ASCII non-word byte, an ASCII word byte, or a byte past
/// ASCII (its character is decoded).
static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if !c.is_ascii() {
            BEYOND
        } else if c.is_ascii_alphanumeric() {
            WORD
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Whether the character at byte `i` of `text` is a word character (alphanumeric), and its
/// length. Folded text is nearly all ASCII: a byte test, and a decoded char only past it.
pub fn word_char_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (b.is_ascii_alphanumeric(), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    }
}

/// Folds a short string (a rule literal, a heading) the same way as documents.
pub fn fold(s: &str) -> String {
    Normalized::new(s).text.trim().to_string()
}

/// One thing folding a character does to the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Space,
    Char(char),
}

/// Calls `f` with what folding `c` does, in order (nothing for a dropped character):
/// special characters, then whitespace, then the compatibility decomposition without its
/// combining marks, lowercased.
fn fold_steps(c: char, mut f: impl FnMut(Step)) {
    if let Some(mapped) = special(c) {
        match mapped {
            Special::Drop => {}
            Special::Space => f(Step::Space),
            Special::Str(s) => s.chars().for_each(|m| f(Step::Char(m))),
        }
        return;
    }
    if c.is_whitespace() {
        f(Step::Space);
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        match special(d) {
            Some(Special::Str(s)) => s.chars().for_each(|m| f(Step::Char(m))),
            Some(Special::Space) => f(Step::Space),
            Some(Special::Drop) => {}
            None if d.is_whitespace() => f(Step::Space),
            None => d.to_lowercase().for_each(|l| f(Step::Char(l))),
        }
    });
}

const LATIN_START: usize = 0x80;

/// [`fold_steps`] of U+0080 to U+024F (Latin-1 and Latin Extended A and B: the accents of
/// French and most European text), worked out once: a decomposition is a table search,
/// and a French contract has an accent every few words.
static LATIN: LazyLock<Vec<Vec<Step>>> = LazyLock::new(|| {
    (LATIN_START as u32..0x250)
        .map(|cp| {
            let mut steps = Vec::new();
            if let Some(c) = char::from_u32(cp) {
                fold_steps(c, |s| steps.push(s));
            }
            steps
        })
        .collect()
});

enum Special {
    Drop,
    Space,
    Str(&'static str),
}

fn is_hyphen(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{FE63}'
            | '\u{FF0D}'
            | '\u{00AD}'
    )
}

fn special(c: char) -> Option<Special> {
    Some(match c {
        // Soft hyphen, zero-width characters, BOM: invisible, must not split words.
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
            Special::Drop
        }
        c if is_hyphen(c) => Special::Space,
        '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' | '\u{2028}' | '\u{2029}' => {
            Special::Space
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{00B4}'
        | '\u{0060}' | '\u{2032}' => Special::Str("'"),
        '\u{00AB}' | '\u{00BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}'
        | '\u{2039}' | '\u{203A}' | '\u{2033}' => Special::Str("\""),
        'œ' | 'Œ' => Special::Str("oe"),
        'æ' | 'Æ' => Special::Str("ae"),
        'ß' => Special::Str("ss"),
        'ø' | 'Ø' => Special::Str("o"),
        'đ' | 'Đ' => Special::Str("d"),
        'ł' | 'Ł' => Special::Str("l"),
        _ => return None,
    })
}

/// A word cut at a line end ("infor-\n  matique"): returns the offset where the rest of
/// the word starts, so that the hyphen and the line break vanish from the folded text.
fn line_end_hyphenation(orig: &str, at: usize) -> Option<usize> {
    let before = orig[..at].chars().next_back()?;
    if !before.is_alphabetic() {
        return None;
    }
    let hyphen_len = orig[at..].chars().next()?.len_utf8();
    let rest = &orig[at + hyphen_len..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let after_nl = trimmed
        .strip_prefix("\r\n")
        .or_else(|| trimmed.strip_prefix('\n'))?;
    let next_word = after_nl.trim_start_matches([' ', '\t']);
    let first = next_word.chars().next()?;
    if !first.is_lowercase() {
        return None;
    }
    Some(orig.len() - next_word.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_characters_fold_by_table_as_by_decomposition() {
        for cp in 0x80u32..0x300 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if is_hyphen(c) {
                continue;
            }
            let mut want = Normalized::default();
            want.text.push('a');
            want.map.push(0);
            want.map_end.push(1);
            fold_steps(c, |s| match s {
                Step::Space => want.push_space(1, 1 + c.len_utf8()),
                Step::Char(m) => want.push_char(m, 1, 1 + c.len_utf8()),
            });
            let got = Normalized::new(&format!("a{c}"));
            assert_eq!(got.text, want.text.trim_end_matches(' '), "U+{cp:04X}");
        }
        assert_eq!(
            Normalized::new("Œuvre élevée ½ ß").text,
            "oeuvre elevee 1\u{2044}2 ss"
        );
    }

    #[test]
    fn folds_case_accents_and_ligatures() {
        let n = Normalized::new("Événement de FORCE MAJEURE ﬁnal cœur Æther");
        assert_eq!(n.text, "evenement de force majeure final coeur aether");
    }

    #[test]
    fn canonical_punctuation_and_spaces() {
        let n = Normalized::new("l’article\u{00A0}:\u{202F}« cyber‑attaque »\t\n  fin");
        assert_eq!(n.text, "l'article : \" cyber attaque \" fin");
    }

    #[test]
    fn soft_hyphen_and_line_end_hyphenation() {
        assert_eq!(fold("infor\u{00AD}matique"), "informatique");
        assert_eq!(fold("rançon-\n   giciel"), "rancongiciel");
        // A hyphen before a capital on the next line is a real dash, not a cut word.
        assert_eq!(fold("Article 12 -\nForce"), "article 12 force");
    }

    #[test]
    fn maps_back_to_original_offsets() {
        let orig = "L’Événement «Virus»";
        let n = Normalized::new(orig);
        let at = n.text.find("evenement").unwrap();
        let r = n.to_orig_range(at..at + "evenement".len());
        assert_eq!(&orig[r], "Événement");
        let v = n.text.find("virus").unwrap();
        assert_eq!(&orig[n.to_orig_range(v..v + 5)], "Virus");
        assert_eq!(n.from_orig(orig.find("Virus").unwrap()), v);
        // The galloping search agrees with the whole-map search from any earlier answer.
        for o in 0..=orig.len() {
            let want = n.from_orig(o);
            for lo in 0..=want {
                assert_eq!(n.from_orig_after(o, lo), want, "offset {o} from {lo}");
            }
        }
    }

    #[test]
    fn decomposed_accents_fold_like_precomposed() {
        assert_eq!(fold("e\u{0301}ve\u{0300}nement"), fold("événement"));
    }

    #[test]
    fn arbitrary_input_keeps_map_consistent() {
        let orig = "\u{0}\u{1}ﬃ\u{10FFFF}-\n\u{00AD}ǅ İ ẞ";
        let n = Normalized::new(orig);
        assert_eq!(n.map.len(), n.text.len());
        for i in 0..n.text.len() {
            assert!(orig.is_char_boundary(n.to_orig(i)));
        }
    }
}
