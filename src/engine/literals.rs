//! Finds every rule literal of a folded text in one pass over its words, because nearly
//! every literal starts a word. A table of the literals' first words is a few kilobytes
//! looked up once a word, where an automaton over whole phrases is megabytes of tables
//! read at every byte and built for every pack; and the same pass counts the words the
//! language is told by (docs/performance.md, "Speed").
//!
//! A hit is reported exactly where an overlapping Aho-Corasick search over all the
//! literals would report it at a word start (a test compares both); literals that do
//! not start with a word character ("€", "$") are sought anywhere.

use crate::normalize::skip;
use std::collections::BTreeMap;
use std::ops::Range;

/// What a hit of a literal means: the term sets it belongs to (and whether it is a word
/// prefix there), and its index among the document-type cues.
#[derive(Debug, Clone, Default)]
pub struct Meaning {
    pub sets: Vec<(usize, bool)>,
    pub cue: Option<usize>,
}

/// One distinct literal of a pack and what a hit of it means.
#[derive(Debug, Clone)]
pub struct Literal {
    pub text: String,
    /// Its term sets, and its cue index ([`crate::classify::cues`]): the rule pass counts
    /// the cues, so classification needs no pass of its own.
    pub meaning: Meaning,
    /// Whether it starts and ends with a word character (word boundaries apply).
    pub word_start: bool,
    pub word_end: bool,
}

impl Literal {
    /// A prefix in some set: the text may go on after it within the word.
    fn open_ended(&self) -> bool {
        self.meaning.sets.iter().any(|&(_, prefix)| prefix) || !self.word_end
    }
}

/// A group of literals starting with the same first word.
#[derive(Debug, Clone)]
struct Group {
    /// Indices (in `Literals::lists`) of the literals compared one by one at each hit.
    whole: Range<usize>,
    /// Some literals of the group are filed under their first two words instead.
    two_words: bool,
}

/// The literals of a pack, filed by their first word (or first two words), built once.
#[derive(Debug, Clone)]
pub struct Literals {
    literals: Vec<Literal>,
    /// Per literal, what a candidate of it is compared by.
    heads: Vec<Candidate>,
    first: WordMap<Group>,
    second: WordMap<Range<usize>>,
    /// Literals that are one word prefix ("quotidien*"), filed by their first bytes.
    stems: WordMap<Range<usize>>,
    /// The distinct key lengths of `stems`.
    stem_lens: Vec<usize>,
    /// The first bytes of `stems`' keys, as a 256-bit set: most words start with none.
    stem_starts: [u64; 4],
    /// The groups' literals, each group contiguous, each literal with what it is first
    /// compared by, so that a group is read in one stream.
    lists: Vec<Candidate>,
    /// Literals that do not start with a word character ("€", "$"), sought anywhere.
    anywhere: Vec<usize>,
    /// Some cue can overlap itself, so an occurrence this pass does not see (inside a
    /// word) could hide the next one: cues must then be counted by their own automaton.
    pub cues_overlap: bool,
}

/// A literal at a word start is first compared by its first eight bytes packed
/// ([`pack8`]), under the mask of its length.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    head: u64,
    mask: u64,
    len: u32,
    literal: u32,
}

/// A literal group larger than this is split by its second word: "ne" starts hundreds of
/// French phrases, and comparing each at every "ne" costs more than a second look-up.
const GROUP_MAX: usize = 6;

/// Bytes of a stem's key: every stem is compared whole after that.
const STEM_KEY: usize = 4;

impl Literals {
    /// Files `literals`, each with what a hit of it means.
    pub fn new(literals: BTreeMap<&str, Meaning>) -> Literals {
        let literals: Vec<Literal> = literals
            .into_iter()
            .filter(|(text, _)| !text.is_empty())
            .map(|(text, meaning)| Literal {
                text: text.to_string(),
                meaning,
                word_start: text.chars().next().is_some_and(char::is_alphanumeric),
                word_end: text.chars().next_back().is_some_and(char::is_alphanumeric),
            })
            .collect();
        let mut by_first: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut by_stem: BTreeMap<&[u8], Vec<usize>> = BTreeMap::new();
        let mut anywhere = Vec::new();
        for (i, lit) in literals.iter().enumerate() {
            if !lit.word_start {
                anywhere.push(i);
                continue;
            }
            let first = &lit.text[..word_end(&lit.text, 0)];
            if first.len() == lit.text.len() && lit.open_ended() {
                let key = &lit.text.as_bytes()[..lit.text.len().min(STEM_KEY)];
                by_stem.entry(key).or_default().push(i);
            } else {
                by_first.entry(first).or_default().push(i);
            }
        }
        let mut out = Literals {
            first: WordMap::default(),
            second: WordMap::default(),
            stems: WordMap::default(),
            stem_lens: Vec::new(),
            stem_starts: [0; 4],
            lists: Vec::new(),
            anywhere: Vec::new(),
            cues_overlap: literals
                .iter()
                .any(|l| l.meaning.cue.is_some() && has_border(&l.text)),
            heads: literals
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (head, mask) = head(l.text.as_bytes());
                    Candidate {
                        head,
                        mask,
                        len: l.text.len() as u32,
                        literal: i as u32,
                    }
                })
                .collect(),
            literals: Vec::new(),
        };
        let mut first = Vec::new();
        let mut second = Vec::new();
        for (word, members) in by_first {
            let group = out.group(&literals, members, &mut second);
            first.push((word.as_bytes().to_vec(), group));
        }
        out.first = WordMap::build(first);
        out.second = WordMap::build(second);
        let mut stems = Vec::new();
        for (key, members) in by_stem {
            let range = out.list(members);
            if !out.stem_lens.contains(&key.len()) {
                out.stem_lens.push(key.len());
            }
            out.stem_starts[usize::from(key[0] >> 6)] |= 1 << (key[0] & 63);
            stems.push((key.to_vec(), range));
        }
        out.stems = WordMap::build(stems);
        out.stem_lens.sort_unstable();
        out.anywhere = anywhere;
        out.literals = literals;
        out
    }

    /// Files the literals of one first word: whole, or under their first two words when
    /// the group is large and the literal's second word is complete.
    fn group(
        &mut self,
        literals: &[Literal],
        members: Vec<usize>,
        second: &mut Vec<(Vec<u8>, Range<usize>)>,
    ) -> Group {
        if members.len() <= GROUP_MAX {
            return Group {
                whole: self.list(members),
                two_words: false,
            };
        }
        let mut whole = Vec::new();
        let mut by_two: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for i in members {
            let text = literals[i].text.as_str();
            match two_words_end(text) {
                Some(end) if end < text.len() || !literals[i].open_ended() => {
                    by_two.entry(&text[..end]).or_default().push(i);
                }
                _ => whole.push(i),
            }
        }
        let two_words = !by_two.is_empty();
        for (key, members) in by_two {
            let range = self.list(members);
            second.push((key.as_bytes().to_vec(), range));
        }
        Group {
            whole: self.list(whole),
            two_words,
        }
    }

    fn list(&mut self, members: Vec<usize>) -> Range<usize> {
        let start = self.lists.len();
        self.lists
            .extend(members.into_iter().map(|k| self.heads[k]));
        start..self.lists.len()
    }

    pub fn is_empty(&self) -> bool {
        self.literals.is_empty()
    }

    /// Calls `word` with every word of `text` in order, and `hit` with every literal found
    /// and where: at word starts for literals that start with a word character (the word
    /// boundary after them is left to the caller), anywhere for the others. One literal's
    /// hits come in order.
    pub fn find(
        &self,
        text: &str,
        mut word: impl FnMut(&str),
        mut hit: impl FnMut(&Literal, Range<usize>),
    ) {
        let bytes = text.as_bytes();
        // A candidate is first compared by its first eight bytes, loaded once per word.
        let mut check = |list: &Range<usize>, at: usize, text8: u64| {
            for c in &self.lists[list.clone()] {
                let end = at + c.len as usize;
                if text8 & c.mask == c.head && end <= bytes.len() {
                    let lit = &self.literals[c.literal as usize];
                    if c.len <= 8 || bytes[at + 8..end] == lit.text.as_bytes()[8..] {
                        hit(lit, at..end);
                    }
                }
            }
        };
        let mut i = 0;
        loop {
            i = skip(text, i, false);
            if i >= text.len() {
                break;
            }
            let start = i;
            i = skip(text, i, true);
            let w = &bytes[start..i];
            word(&text[start..i]);
            let text8 = || pack8(&bytes[start..bytes.len().min(start + 8)]);
            if let Some(g) = self.first.get(w) {
                let text8 = text8();
                check(&g.whole, start, text8);
                if g.two_words {
                    let next = skip(text, i, false);
                    if next < text.len() {
                        let end = skip(text, next, true);
                        if let Some(list) = self.second.get(&bytes[start..end]) {
                            check(list, start, text8);
                        }
                    }
                }
            }
            if self.stem_starts[usize::from(w[0] >> 6)] & (1 << (w[0] & 63)) != 0 {
                for &n in &self.stem_lens {
                    if let Some(list) = w.get(..n).and_then(|k| self.stems.get(k)) {
                        check(list, start, text8());
                    }
                }
            }
        }
        // Symbols are few and rare: a memchr for each one's first byte.
        for &k in &self.anywhere {
            let lit = &self.literals[k];
            let b = lit.text.as_bytes();
            for at in memchr::memchr_iter(b[0], bytes) {
                if bytes[at..].starts_with(b) {
                    hit(lit, at..at + b.len());
                }
            }
        }
    }
}

fn word_end(text: &str, i: usize) -> usize {
    skip(text, i, true)
}

/// The end of a literal's second word, if it has one.
fn two_words_end(text: &str) -> Option<usize> {
    let next = skip(text, word_end(text, 0), false);
    (next < text.len()).then(|| word_end(text, next))
}

/// Whether an occurrence of `s` can overlap a later one that starts a word: a proper
/// prefix of `s` is also its suffix, and a non-word byte (or a byte past ASCII, which may
/// be one) comes before that suffix.
fn has_border(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len()).any(|k| b[..k] == b[b.len() - k..] && !b[b.len() - k - 1].is_ascii_alphanumeric())
}

/// Up to eight bytes as one little-endian number, zero-padded: two overlapping loads
/// instead of a byte loop or a copy, as hash functions read short keys.
#[inline]
fn pack8(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 8 {
        u64::from_le_bytes(b[..8].try_into().expect("8 bytes"))
    } else if n >= 4 {
        let lo = u64::from(u32::from_le_bytes(b[..4].try_into().expect("4 bytes")));
        let hi = u64::from(u32::from_le_bytes(b[n - 4..].try_into().expect("4 bytes")));
        lo | hi << ((n - 4) * 8)
    } else if n > 0 {
        u64::from(b[0]) | u64::from(b[n / 2]) << (n / 2 * 8) | u64::from(b[n - 1]) << ((n - 1) * 8)
    } else {
        0
    }
}

/// A literal's first eight bytes packed, and the mask that keeps as many of a text's.
fn head(lit: &[u8]) -> (u64, u64) {
    let n = lit.len().min(8);
    let mask = if n == 8 {
        u64::MAX
    } else {
        (1u64 << (n * 8)) - 1
    };
    (pack8(&lit[..n]), mask)
}

/// A multiply-rotate hash of a word's bytes, eight at a time (as rustc's FxHasher
/// mixes): words are short, and the keys are the pack's own words, not an adversary's.
#[inline]
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ v).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h.rotate_left(5) ^ pack8(rest)).wrapping_mul(K);
    }
    h
}

/// An open-addressing table from words to values, probed by hash first: most words of a
/// text are in no literal, and a miss should cost one load and one compare.
#[derive(Debug, Clone)]
struct WordMap<V> {
    slots: Vec<Slot>,
    shift: u32,
    /// The keys longer than eight bytes, one after the other.
    keys: Vec<u8>,
    values: Vec<V>,
}

/// A slot of a [`WordMap`]; an empty slot has length 0 (no key is empty).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    /// The key packed ([`pack8`]) when it has at most eight bytes.
    packed: u64,
    /// Where a longer key is in `keys`.
    start: u32,
    len: u32,
    value: u32,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap::build(Vec::new())
    }
}

impl<V> WordMap<V> {
    /// Builds the table from distinct, non-empty keys.
    fn build(entries: Vec<(Vec<u8>, V)>) -> WordMap<V> {
        // At most half full, so that a miss meets an empty slot soon.
        let bits = (entries.len() * 2)
            .next_power_of_two()
            .trailing_zeros()
            .max(1);
        let mut map = WordMap {
            slots: vec![Slot::default(); 1 << bits],
            shift: 64 - bits,
            keys: Vec::new(),
            values: Vec::new(),
        };
        for (key, value) in entries {
            let h = hash(&key);
            let mut i = map.slot(h);
            while map.slots[i].len != 0 {
                i = (i + 1) & (map.slots.len() - 1);
            }
            let start = map.keys.len() as u32;
            if key.len() > 8 {
                map.keys.extend_from_slice(&key);
            }
            map.slots[i] = Slot {
                hash: h,
                packed: pack8(&key[..key.len().min(8)]),
                start,
                len: key.len() as u32,
                value: map.values.len() as u32,
            };
            map.values.push(value);
        }
        map
    }

    fn slot(&self, h: u64) -> usize {
        (h >> self.shift) as usize & (self.slots.len() - 1)
    }

    #[inline]
    fn get(&self, key: &[u8]) -> Option<&V> {
        if self.values.is_empty() {
            return None;
        }
        let h = hash(key);
        let mut i = self.slot(h);
        loop {
            let s = &self.slots[i];
            if s.len == 0 {
                return None;
            }
            if s.hash == h && s.len as usize == key.len() && self.same(s, key) {
                return Some(&self.values[s.value as usize]);
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    /// Whether slot `s`, of the same length, holds `key`.
    #[inline]
    fn same(&self, s: &Slot, key: &[u8]) -> bool {
        if key.len() <= 8 {
            s.packed == pack8(key)
        } else {
            self.keys[s.start as usize..s.start as usize + key.len()] == *key
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// The hits an overlapping Aho-Corasick search over every literal reports at word
    /// starts (and anywhere for literals that start with no word character), less those a
    /// caller drops because a word goes on after a literal that is no prefix: what
    /// [`Literals::find`] must report.
    fn reference(lits: &[&str], prefixes: &[&str], text: &str) -> Vec<(String, Range<usize>)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(lits)
            .unwrap();
        let mut out: Vec<(String, Range<usize>)> = ac
            .find_overlapping_iter(text)
            .filter(|m| {
                let lit = lits[m.pattern().as_usize()];
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let starts_ok =
                    !word(lit.chars().next()) || !word(text[..m.start()].chars().next_back());
                let open = prefixes.contains(&lit) || !word(lit.chars().next_back());
                starts_ok && (open || !word(text[m.end()..].chars().next()))
            })
            .map(|m| (lits[m.pattern().as_usize()].to_string(), m.range()))
            .collect();
        out.sort_by(|a, b| (a.1.start, a.1.end, &a.0).cmp(&(b.1.start, b.1.end, &b.0)));
        out
    }

    fn found(lits: &[&str], prefixes: &[&str], text: &str) -> Vec<(String, Range<usize>)> {
        let map = lits
            .iter()
            .map(|&l| {
                let m = Meaning {
                    sets: vec![(0, prefixes.contains(&l))],
                    cue: None,
                };
                (l, m)
            })
            .collect();
        let index = Literals::new(map);
        let mut out = Vec::new();
        index.find(
            text,
            |_| {},
            |lit, at| {
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                if lit.open_ended() || !word(text[at.end..].chars().next()) {
                    out.push((lit.text.clone(), at));
                }
            },
        );
        out.sort_by(|a, b| (a.1.start, a.1.end, &a.0).cmp(&(b.1.start, b.1.end, &b.0)));
        out
    }

    const LITS: &[&str] = &[
        "ne",
        "ne pas",
        "ne peut",
        "ne peut pas",
        "ne saurait",
        "ne saurait etre",
        "ne sera",
        "ne sera pas",
        "ne pourra",
        "ne pourr",
        "ne garantit",
        "n'est",
        "n'est pas",
        "l'assure",
        "l'assureur",
        "virus",
        "virus informatique",
        "rancongiciel",
        "quotidien",
        "cyb",
        "€",
        "$",
        "24/7",
        "a",
        "a concurrence de",
        "donnees sauvegard",
        "72 h",
        "72",
        "éte",
        "été",
    ];
    const PREFIXES: &[&str] = &[
        "ne pourr",
        "rancongiciel",
        "quotidien",
        "cyb",
        "donnees sauvegard",
    ];

    #[test]
    fn finds_what_an_automaton_finds_at_word_starts() {
        let text = "Le prestataire ne peut pas, ne saurait etre tenu ; ne pourra ni ne pourrait. \
                    n'est pas l'assureur l'assure virus informatiques rancongiciels quotidiennes \
                    cyberattaque 100 € 5$ 24/7 a concurrence de 72 h 72h 72 été éte kne nepas \
                    donnees sauvegardees prene a";
        assert_eq!(found(LITS, PREFIXES, text), reference(LITS, PREFIXES, text));
    }

    #[test]
    fn finds_what_an_automaton_finds_in_generated_text() {
        // Words and separators drawn from the literals themselves, so that near misses
        // (a longer word, another separator) are frequent.
        let pieces = [
            "ne",
            "peut",
            "pas",
            "saurait",
            "etre",
            "pourra",
            "pourr",
            "n",
            "'",
            "est",
            " ",
            "  ",
            "-",
            "l",
            "assure",
            "ur",
            "virus",
            "rancongiciel",
            "s",
            "€",
            "$",
            "24",
            "/",
            "7",
            "a",
            "72",
            "h",
            "é",
            "te",
            "été",
            ".",
            "donnees",
            "sauvegard",
            "ees",
            "cyb",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..400 {
            let text = crate::engine::testgen::text(&pieces, 40, &mut seed);
            assert_eq!(
                found(LITS, PREFIXES, &text),
                reference(LITS, PREFIXES, &text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reports_every_word() {
        let index = Literals::new(BTreeMap::new());
        let mut words = Vec::new();
        index.find(
            "l'assuré, 72h ; été",
            |w| words.push(w.to_string()),
            |_, _| {},
        );
        assert_eq!(words, ["l", "assuré", "72h", "été"]);
    }

    #[test]
    fn borders() {
        assert!(has_border("ab ab"));
        assert!(has_border("a-a"));
        assert!(
            !has_border("abab"),
            "the later occurrence would start inside a word"
        );
        assert!(!has_border("services"));
        assert!(!has_border("virus"));
    }
}
