//! Splits extracted text into the clause tree and sentences that rules are scoped to.
//!
//! Works on the extracted text itself (not the normalized copy) so that clause numbers and
//! headings are reported exactly as printed, and every span is a byte range of that text.

use memchr::memmem;
use regex::Regex;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

mod keyword;

/// One clause (article, section, numbered paragraph, annex, definition...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Number as printed, without the keyword: "12", "XII", "12.3.1", "4" (for "§ 4"),
    /// "2" (for "Annexe 2"). `None` for unnumbered headings (Markdown "## Force majeure",
    /// an ALL-CAPS line, a defined term).
    pub number: Option<String>,
    /// Heading as printed, trimmed, without the number and separator: "Force majeure".
    pub heading: Option<String>,
    /// Byte span of the heading line (number + heading) in the text, if any.
    pub heading_span: Option<Range<usize>>,
    /// Byte span of the whole clause, heading included, children included.
    pub span: Range<usize>,
    /// Depth in the tree, 0 for top-level clauses.
    pub level: u8,
    /// Index of the parent clause in `Segmented::clauses`.
    pub parent: Option<usize>,
    /// 1-based page where the clause starts, when pages are known.
    pub page: Option<u32>,
    /// A definitions section ("Définitions", "Definitions", "Interpretation").
    pub definitions: bool,
}

/// The segmentation of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Clauses in document order (pre-order: a parent comes before its children).
    pub clauses: Vec<Clause>,
    /// Sentence spans in document order, covering the text (whitespace trimmed).
    pub sentences: Vec<Range<usize>>,
    /// Offsets of the colons that open a list inside a sentence ("Sont exclus :" then
    /// "– la guerre ;"), in order: a lead-in governs every item of its list.
    pub lead_ins: Vec<usize>,
}

/// Segments `text`. `pages` are the byte spans of each page (empty when unknown).
pub fn segment(text: &str, pages: &[Range<usize>]) -> Segmented {
    let lines = lines(text);
    let heads = headings(text, &lines);
    let sentences = sentences(text, &lines, &heads);
    let lead_ins = sentences
        .iter()
        .filter_map(|s| lead_in_colon(text, s))
        .collect();
    // Last: the tree takes the headings' strings.
    let mut clauses = tree(text, &lines, heads);
    for c in &mut clauses {
        c.page = page_of(pages, c.span.start);
    }
    Segmented {
        clauses,
        sentences,
        lead_ins,
    }
}

/// "A. Incident Response Costs", "B) ...": after a colon at a line end, a capital letter
/// and a dot open an item too.
fn starts_lettered(rest: &str) -> bool {
    let b = rest.trim_start_ws().as_bytes();
    b.len() > 3 && b[0].is_ascii_alphabetic() && matches!(b[1], b'.' | b')') && b[2] == b' '
}

/// The first colon of a sentence that a list item follows, on the next line.
fn lead_in_colon(text: &str, sent: &Range<usize>) -> Option<usize> {
    let s = &text[sent.clone()];
    memchr::memchr_iter(b':', s.as_bytes())
        .find(|&i| {
            let rest = &s[i + 1..];
            let line_end = rest.trim_start_matches([' ', '\t']);
            let at_line_end = line_end.starts_with(['\n', '\r']);
            // Inline lists are marked by parentheses: "...on its behalf): (a) maintains ...".
            let inline = (rest.trim_start_ws().starts_with('(') && starts_list_item(rest))
                || starts_lettered(rest);
            // Items a word processor numbered itself lose their markers in the text: after a
            // colon that ends its line, an item is a line that goes on in lowercase.
            let bare_item = rest
                .trim_start_ws()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            (at_line_end && (starts_list_item(rest) || starts_lettered(rest) || bare_item))
                || inline
        })
        .map(|i| sent.start + i)
}

/// Index of the deepest clause whose span contains byte `offset`. Spans nest and clauses
/// are in pre-order, so it is on the ancestor chain of the last clause starting before it.
pub fn clause_at(seg: &Segmented, offset: usize) -> Option<usize> {
    let mut cur = seg
        .clauses
        .partition_point(|c| c.span.start <= offset)
        .checked_sub(1);
    while let Some(k) = cur {
        let c = &seg.clauses[k];
        if offset < c.span.end.max(c.span.start + 1) {
            return Some(k);
        }
        cur = c.parent;
    }
    None
}

fn page_of(pages: &[Range<usize>], at: usize) -> Option<u32> {
    if pages.is_empty() {
        return None;
    }
    let i = pages.partition_point(|p| p.end <= at);
    Some((i.min(pages.len() - 1) + 1) as u32)
}

/// A line of the text: its span without the line break.
#[derive(Debug, Clone)]
struct Line {
    span: Range<usize>,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    // One vectorized scan for every line end (`str::find` restarts a slower one per line).
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(Line { span: start..end });
        start = i + 1;
    }
    if start < text.len() {
        out.push(Line {
            span: start..text.len(),
        });
    }
    out
}

/// A heading found on a line.
#[derive(Debug, Clone)]
struct Head {
    line: usize,
    number: Option<String>,
    heading: Option<String>,
    /// Lower is shallower; the tree turns ranks into levels.
    rank: u8,
    /// The heading line has body text after the number ("12.3 Le Prestataire ...").
    inline_body: bool,
    definitions: bool,
    /// A defined term inside a definitions section.
    definition: bool,
}

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(article|art\.|section|clause|chapitre|chapter|titre|part|partie|annexe|annex|schedule|appendix|appendice|exhibit|§)
          \s*(\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7}|premier|1er|[A-Z])\b\.?
          \s*(?:[-–—:.)]+\s*)?",
    )
    .expect("valid regex")
});

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,3}(?:\.\d{1,3})*)(\.|\)|\s*[-–—:])?(?:\s+|$)").expect("valid regex")
});

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^(?:[-*•]\s+|\d{1,3}[.)]\s+|\(?[a-z]{1,4}\)\s+)?(?:\*\*|__)?\s*["«“‘']\s*([^"»”’'\n]{1,80}?)\s*["»”’'](?:\*\*|__)?\s*(?:\(.{0,60}\)\s*)?[,:–—-]?\s*(désigne|designe|désignent|signifie|s['’]entend|means|shall mean|has the meaning|refers to|:)"#,
    )
    .expect("valid regex")
});

static BOLD_DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[-*•]\s+)?(?:\*\*|__)([^*_\n]{1,80}?)(?:\*\*|__)\s*[,:–—-]?\s*(désigne|designe|signifie|s['’]entend|means|shall mean|has the meaning|:)",
    )
    .expect("valid regex")
});

static TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[^>\n]{0,200}>").expect("valid regex"));

const DEFINITION_HEADINGS: &[&str] = &[
    "definition",
    "définition",
    "interprétation",
    "interpretation",
    "defined terms",
    "glossaire",
    "glossary",
    "terminologie",
];

/// [`DEFINITION_HEADINGS`] in one automaton: every heading is searched for all of them.
static DEFINITION_NAMES: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| aho_corasick::AhoCorasick::new(DEFINITION_HEADINGS).expect("plain strings"));

/// The visible part of a line for classification: no HTML tags, no emphasis markers.
/// Borrowed unless the line holds a tag: most lines have none.
fn clean(line: &str) -> Cow<'_, str> {
    if memchr::memchr(b'<', line.as_bytes()).is_some() {
        Cow::Owned(TAGS.replace_all(line, "").trim_ws().to_string())
    } else {
        Cow::Borrowed(line.trim_ws())
    }
}

/// The words `KEYWORD` can start with. Every line is checked, and comparing its first bytes
/// with these costs far less than running the regex on it.
const KEYWORDS: &[&str] = &[
    "article", "art.", "section", "clause", "chapitre", "chapter", "titre", "part", "annex",
    "schedule", "appendi", "exhibit", "§",
];

fn may_be_keyword(line: &str) -> bool {
    let b = line.as_bytes();
    // The first byte rules out most lines before any comparison.
    if !matches!(
        b.first().map(u8::to_ascii_lowercase),
        Some(b'a' | b'c' | b'e' | b'p' | b's' | b't' | 0xC2)
    ) {
        return false;
    }
    KEYWORDS
        .iter()
        .any(|k| b.len() >= k.len() && b[..k.len()].eq_ignore_ascii_case(k.as_bytes()))
}

/// The keyword, number and rest of a line that starts like a keyword, read by hand
/// ([`keyword::read`]), by the `KEYWORD` regex where a character past ASCII decides.
fn keyword_parts(line: &str) -> Option<(&str, &str, &str)> {
    if !may_be_keyword(line) {
        return None;
    }
    match keyword::read(line) {
        keyword::Keyword::Yes {
            keyword,
            number,
            end,
        } => Some((keyword, number, &line[end..])),
        keyword::Keyword::No => None,
        keyword::Keyword::Unsure => {
            let (c, rest) = prefix_captures(&KEYWORD, line)?;
            let (kw, number) = (c.get(1)?, c.get(2)?);
            Some((&line[kw.range()], &line[number.range()], rest))
        }
    }
}

/// Captures of `re`, a pattern anchored at the start of `line` that matches a short prefix
/// of it, and the rest of the line. The regex sees only the line's first bytes: a bounded
/// backtracker's cost grows with the text it is given, however short the match. A match
/// that reaches the cut may be cut short, so the whole line decides then.
fn prefix_captures<'a>(re: &Regex, line: &'a str) -> Option<(regex::Captures<'a>, &'a str)> {
    let mut cut = line.len().min(PREFIX);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let c = match re.captures(&line[..cut]) {
        Some(c) if c.get(0).is_some_and(|m| m.end() < cut) || cut == line.len() => c,
        Some(_) => re.captures(line)?,
        None => return None,
    };
    let end = c.get(0).map_or(0, |m| m.end());
    Some((c, &line[end..]))
}

/// Bytes of a line shown to the heading regexes: a keyword, a clause number and its
/// separator take far fewer.
const PREFIX: usize = 96;

fn strip_emphasis(s: &str) -> &str {
    // Byte tests, not `trim_start_matches("**")`: a string pattern builds a searcher on every
    // call, and every line comes here.
    let mut s = s.trim_ws();
    while let Some(r) = s.strip_prefix("**") {
        s = r;
    }
    while let Some(r) = s.strip_prefix("__") {
        s = r;
    }
    while let Some(r) = s.strip_suffix("**") {
        s = r;
    }
    while let Some(r) = s.strip_suffix("__") {
        s = r;
    }
    s.trim_ws()
}

/// Dot leaders of a table of contents: five dots or four ellipses in a row.
fn has_leaders(s: &str) -> bool {
    static DOTS: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("....."));
    static ELLIPSES: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("…………"));
    DOTS.find(s.as_bytes()).is_some() || ELLIPSES.find(s.as_bytes()).is_some()
}

fn headings(text: &str, lines: &[Line]) -> Vec<Head> {
    let uses_keywords = lines.iter().take(5000).any(|l| {
        let c = clean(&text[l.span.clone()]);
        let c = c.trim_start_matches('#').trim_ws();
        keyword_parts(strip_emphasis(c)).is_some_and(|(kw, _, _)| keyword::is_article(kw))
    });
    let mut out: Vec<Head> = Vec::new();
    let mut in_definitions: Option<u8> = None;
    let mut skip_next = false;
    for (i, l) in lines.iter().enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        let raw = &text[l.span.clone()];
        let next = lines.get(i + 1).map(|n| &text[n.span.clone()]);
        let prev_blank = i == 0 || text[lines[i - 1].span.clone()].trim_ws().is_empty();
        let head = classify_line(
            raw,
            &LineContext {
                next,
                prev_blank,
                uses_keywords,
                in_definitions: in_definitions.is_some(),
            },
        );
        let Some(mut h) = head else { continue };
        // The document's title (its first line, in capitals) is not a clause.
        let first_line = lines[..i]
            .iter()
            .all(|p| text[p.span.clone()].trim_ws().is_empty());
        if first_line
            && h.number.is_none()
            && h.rank == KEYWORD_RANK
            && !is_definitions_heading(raw)
        {
            continue;
        }
        h.line = i;
        if h.rank == UNDERLINED_MARK {
            skip_next = true;
            h.rank = underline_rank(next.unwrap_or(""));
        }
        if h.definition {
            h.rank = in_definitions.map_or(9, |r| r.saturating_add(1));
        } else {
            let lower = h.heading.as_deref().unwrap_or("").to_lowercase();
            h.definitions = DEFINITION_NAMES.is_match(&lower);
            in_definitions = match (h.definitions, in_definitions) {
                (true, _) => Some(h.rank),
                (false, Some(r)) if h.rank > r => Some(r),
                _ => None,
            };
        }
        out.push(h);
    }
    out
}

const UNDERLINED_MARK: u8 = 255;

fn underline_rank(line: &str) -> u8 {
    match line.trim_ws().chars().next() {
        Some('=') | Some('#') => 1,
        Some('-') => 2,
        _ => 3,
    }
}

fn is_underline(line: &str) -> bool {
    let t = line.trim_ws();
    t.len() >= 3
        && t.chars()
            .all(|c| matches!(c, '=' | '-' | '~' | '*' | '^' | '#' | '+'))
        && t.chars().next().is_some_and(|f| t.chars().all(|c| c == f))
}

/// What a line's neighbours and the document around it tell about it.
struct LineContext<'a> {
    /// The next line, if any.
    next: Option<&'a str>,
    /// The line follows a blank line (or starts the text).
    prev_blank: bool,
    /// The document numbers its clauses with keywords ("Article 12"), so a bare "1." is a
    /// list item.
    uses_keywords: bool,
    /// The line stands in a definitions section, where "« Terme » : ..." opens a sub-clause.
    in_definitions: bool,
}

fn classify_line(raw: &str, ctx: &LineContext<'_>) -> Option<Head> {
    let cleaned = clean(raw);
    if cleaned.is_empty() {
        return None;
    }
    let head = heading_of(raw, &cleaned, ctx)?;
    // A table-of-contents line ("ARTICLE 12 – FORCE MAJEURE ........ 13") names a clause
    // that starts elsewhere. Tested last: most lines are no heading.
    if has_leaders(&cleaned) {
        return None;
    }
    Some(head)
}

/// Longest line (bytes) that can be a heading: past it a line is a paragraph.
const MAX_HEADING_BYTES: usize = 600;
/// Longest title (characters) an underline ("=====") can make a heading.
const MAX_UNDERLINED_CHARS: usize = 120;
/// Longest bold line (characters) read as a heading.
const MAX_BOLD_HEADING_CHARS: usize = 80;
/// Rank of "A. Definitions:"-style lettered titles: below keyword headings.
const LETTERED_RANK: u8 = KEYWORD_RANK + 5;
/// Rank of a bold line standing alone.
const BOLD_RANK: u8 = 7;
/// Deepest rank: a question or Title Case line opens a part of the clause it stands in,
/// never a sibling that would take the rest of an article out of it.
const PART_RANK: u8 = 9;

/// A heading with no number, no title and the shallowest rank, to be filled in.
fn bare_head() -> Head {
    Head {
        line: 0,
        number: None,
        heading: None,
        rank: 0,
        inline_body: false,
        definitions: false,
        definition: false,
    }
}

/// The heading a non-empty line (`cleaned`, its visible part) starts, if any. The forms
/// are tried from the most explicit (Markdown, definitions, underlines, numbers) to the
/// least (capitals, questions, Title Case, bold).
fn heading_of(raw: &str, cleaned: &str, ctx: &LineContext<'_>) -> Option<Head> {
    if let Some(h) = markdown_heading(cleaned) {
        return Some(h);
    }
    if ctx.in_definitions {
        if let Some(h) = definition_head(cleaned) {
            return Some(h);
        }
    }
    // Past this point only headings are sought, and a heading is never a long paragraph.
    if cleaned.len() > MAX_HEADING_BYTES {
        return None;
    }
    let plain = strip_emphasis(cleaned);
    if let Some(h) = underlined_heading(plain, ctx.next) {
        return Some(h);
    }
    if let Some(h) = keyword_or_number(plain, false) {
        return numbered_heading(h, raw, plain, ctx);
    }
    unnumbered_heading(plain, cleaned, ctx)
}

/// A Markdown ATX heading ("## 12. Force majeure").
fn markdown_heading(cleaned: &str) -> Option<Head> {
    let hashes = cleaned.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&hashes) || !cleaned[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let rest = strip_emphasis(cleaned[hashes..].trim_ws());
    let rank = hashes as u8 * 2;
    if let Some(h) = keyword_or_number(rest, true) {
        return Some(Head { rank, ..h });
    }
    Some(Head {
        heading: non_empty(rest.trim_end_matches(['.', ':'])),
        rank,
        ..bare_head()
    })
}

/// A defined term opening its definition ("« Données » : ...", "**Data** means ...").
fn definition_head(cleaned: &str) -> Option<Head> {
    [&*DEFINITION, &*BOLD_DEFINITION]
        .into_iter()
        .find_map(|re| {
            re.captures(cleaned).map(|c| Head {
                heading: non_empty(c[1].trim_ws()),
                definition: true,
                ..bare_head()
            })
        })
}

/// A title underlined by the next line ("Force majeure" over "=============").
fn underlined_heading(plain: &str, next: Option<&str>) -> Option<Head> {
    let next = next?;
    if !is_underline(next) || is_underline(plain) || plain.chars().count() > MAX_UNDERLINED_CHARS {
        return None;
    }
    let h = keyword_or_number(plain, true).unwrap_or(Head {
        heading: non_empty(plain),
        ..bare_head()
    });
    Some(Head {
        rank: UNDERLINED_MARK,
        ..h
    })
}

/// Whether a line that starts with a keyword or a number (`h`) is a heading, a wrapped
/// numbered paragraph, or a list item.
fn numbered_heading(mut h: Head, raw: &str, plain: &str, ctx: &LineContext<'_>) -> Option<Head> {
    // "6.2 La responsabilité du Prestataire, toutes causes confondues, est limitée à" /
    // "la moitié des sommes ...": a numbered paragraph wrapped by the PDF, not a title.
    if !h.inline_body
        && h.heading
            .as_deref()
            .is_some_and(|t| wraps_into(t, ctx.next))
    {
        h.heading = None;
        h.inline_body = true;
    }
    let single = h.number.as_deref().is_some_and(|n| !n.contains('.'));
    let indented = raw.starts_with("  ") || raw.starts_with('\t');
    if keyword_parts(plain).is_some() {
        return Some(h);
    }
    // A bare "1." inside an article-structured contract is a list item.
    if single && (ctx.uses_keywords || indented) {
        return None;
    }
    if single && h.inline_body && !ctx.prev_blank {
        return None;
    }
    Some(h)
}

/// A heading without a keyword or number: lettered, definitions, capitals, a question,
/// Title Case or bold.
fn unnumbered_heading(plain: &str, cleaned: &str, ctx: &LineContext<'_>) -> Option<Head> {
    if let Some((letter, title)) = lettered_title(plain) {
        return Some(Head {
            number: Some(letter.to_string()),
            heading: non_empty(title),
            rank: LETTERED_RANK,
            ..bare_head()
        });
    }
    if is_definitions_heading(plain) {
        return Some(Head {
            heading: non_empty(plain.trim_end_matches([':', '.'])),
            rank: KEYWORD_RANK,
            ..bare_head()
        });
    }
    if ctx.prev_blank && is_caps_heading(plain) && !ends_with_function_word(plain) {
        return Some(Head {
            heading: non_empty(plain.trim_end_matches(':')),
            rank: KEYWORD_RANK,
            ..bare_head()
        });
    }
    // « Qui sauvegarde vos données ? », "What is not covered?": plain-language terms and
    // policies title their parts with questions.
    if is_question_heading(plain) {
        return Some(Head {
            heading: non_empty(plain.trim_end_matches(['?', ' ', '\u{a0}'])),
            rank: PART_RANK,
            ..bare_head()
        });
    }
    // "General Exclusions", "Service Levels": a short Title Case line between blank lines.
    let next_blank = ctx.next.is_none_or(|n| n.trim_ws().is_empty());
    if ctx.prev_blank && next_blank && is_title_case_heading(plain) {
        return Some(Head {
            heading: non_empty(plain),
            rank: PART_RANK,
            ..bare_head()
        });
    }
    if ctx.prev_blank
        && cleaned.starts_with("**")
        && cleaned.ends_with("**")
        && plain.chars().count() <= MAX_BOLD_HEADING_CHARS
        && !plain.ends_with('.')
    {
        return Some(Head {
            heading: non_empty(plain.trim_end_matches(':')),
            rank: BOLD_RANK,
            ..bare_head()
        });
    }
    None
}

const KEYWORD_RANK: u8 = 3;

/// "Article 12 – Force majeure", "12.3 Force Majeure Events", "12.3 Le Prestataire ...".
fn keyword_or_number(line: &str, heading_context: bool) -> Option<Head> {
    let base = bare_head();
    if let Some((kw, number, rest)) = keyword_parts(line) {
        let rest = rest.trim_ws();
        // "Article 12 du contrat prévoit ..." is a sentence, not a heading.
        if !heading_context
            && rest.len() > 2
            && starts_lower(rest)
            && !rest.starts_with(['-', '–', '—'])
        {
            return None;
        }
        let number = number.to_string();
        let rest = rest.trim_end_ws().trim_end_matches(':').trim_end_ws();
        let (heading, inline_body) = split_heading(strip_emphasis(rest));
        let rank = keyword::rank(kw).unwrap_or(KEYWORD_RANK);
        let depth = number.matches('.').count() as u8;
        return Some(Head {
            number: Some(number),
            heading,
            rank: if depth > 0 {
                KEYWORD_RANK + 1 + depth
            } else {
                rank
            },
            inline_body,
            ..base
        });
    }
    // NUMBERED starts with a digit: a cheap test spares the regex on every other line.
    if !line.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (number, separated, rest) = match numbered(line) {
        Numbered::Yes { number, sep, end } => (number.to_string(), sep, &line[end..]),
        Numbered::No => return None,
        Numbered::Unsure => {
            let (c, rest) = prefix_captures(&NUMBERED, line)?;
            (c[1].to_string(), c.get(2).is_some(), rest)
        }
    };
    let rest = rest.trim_ws();
    let depth = number.matches('.').count() as u8;
    if depth == 0 && !separated && !heading_context {
        // "12 FORCE MAJEURE" is a heading; "12 mois" is not.
        if !is_caps_heading(rest) {
            return None;
        }
    }
    let (heading, inline_body) = split_heading(strip_emphasis(rest));
    Some(Head {
        number: Some(number),
        heading,
        rank: KEYWORD_RANK + 1 + depth,
        inline_body,
        ..base
    })
}

/// What [`numbered`] read at the start of a line.
#[derive(Debug, PartialEq, Eq)]
enum Numbered<'a> {
    /// `NUMBERED` matches: the number, whether a separator follows it, the match's end.
    Yes {
        number: &'a str,
        sep: bool,
        end: usize,
    },
    No,
    /// A character past ASCII decides (a Unicode digit, space or dash): ask the regex.
    Unsure,
}

/// `NUMBERED` read by hand on ASCII, as the regex would match it: a clause number ("12",
/// "12.3.1", one to three digits per part), then ".", ")" or spaces and a dash or colon,
/// or nothing, then spaces or the end of the line. A third of a contract's lines start
/// with a digit, and the regex's captures cost more than the rest of their classification.
fn numbered(line: &str) -> Numbered<'_> {
    let b = line.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let non_ascii = |at: usize| b.get(at).is_some_and(|c| !c.is_ascii());
    let first = digits(0);
    if non_ascii(first) {
        return Numbered::Unsure;
    }
    if !(1..=3).contains(&first) {
        return Numbered::No;
    }
    // Where the number may end, fewest parts first; the regex tries the most parts first.
    let mut ends = vec![first];
    let mut end = first;
    while b.get(end) == Some(&b'.') && (1..=3).contains(&digits(end + 1)) {
        end += 1 + digits(end + 1);
        ends.push(end);
    }
    if ends.iter().any(|&e| non_ascii(e)) {
        return Numbered::Unsure;
    }
    // `\s+|$` at `at`: the end of the spaces, or of the line.
    let tail = |at: usize| -> Result<Option<usize>, ()> {
        if at == b.len() {
            return Ok(Some(at));
        }
        let spaces = b[at..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
        if non_ascii(at + spaces) {
            return Err(());
        }
        Ok((spaces > 0).then_some(at + spaces))
    };
    for &e in ends.iter().rev() {
        let spaces = b[e..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
        if non_ascii(e + spaces) {
            return Numbered::Unsure;
        }
        let dash = matches!(b.get(e + spaces), Some(b'-' | b':')).then_some(e + spaces + 1);
        // The separators in the regex's order, then none.
        let tries = [
            ((b.get(e) == Some(&b'.')).then_some(e + 1), true),
            ((b.get(e) == Some(&b')')).then_some(e + 1), true),
            (dash, true),
            (Some(e), false),
        ];
        for (at, sep) in tries {
            let Some(at) = at else { continue };
            match tail(at) {
                Ok(Some(end)) => {
                    return Numbered::Yes {
                        number: &line[..e],
                        sep,
                        end,
                    }
                }
                Ok(None) => {}
                Err(()) => return Numbered::Unsure,
            }
        }
    }
    Numbered::No
}

fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// The heading part of the text after a number, and whether body text follows instead.
fn split_heading(rest: &str) -> (Option<String>, bool) {
    let rest = rest.trim_ws();
    if rest.is_empty() {
        return (None, false);
    }
    let short = rest.len() <= 4 * 80 && rest.chars().count() <= 80;
    let words = if short {
        rest.split_whitespace().count()
    } else {
        usize::MAX
    };
    let headingish = short
        && words <= 12
        && !starts_lower(rest)
        && !rest.ends_with([',', ';', ':'])
        && (!rest.ends_with('.') || words <= 4);
    if headingish {
        return (
            non_empty(rest.trim_end_matches(['.', ':']).trim_ws()),
            false,
        );
    }
    // "5.4 Force Majeure. Either party may ..." keeps the short title before the body.
    if let Some(dot) = memmem::find(rest.as_bytes(), b". ") {
        let title = &rest[..dot];
        if title.split_whitespace().count() <= 6
            && !starts_lower(title)
            && title.chars().count() <= 60
        {
            return (non_empty(title), true);
        }
    }
    (None, true)
}

/// A short line whose words of four letters or more all start with a capital, with no
/// sentence punctuation: a title in Title Case ("General Exclusions", "Events Outside Our
/// Control"), which a sentence never is.
fn is_title_case_heading(s: &str) -> bool {
    let t = s.trim_ws();
    let words: Vec<&str> = t.split_whitespace().collect();
    if t.chars().count() > 60
        || !(1..=6).contains(&words.len())
        || t.ends_with(['.', ',', ';', ':', '?', '!'])
        || !t.starts_with(|c: char| c.is_uppercase())
        || t.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    let long: Vec<&&str> = words.iter().filter(|w| w.chars().count() >= 4).collect();
    !long.is_empty()
        && long
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()))
}

/// A short line that is one question: a title in question form.
fn is_question_heading(s: &str) -> bool {
    let t = s.trim_ws();
    t.ends_with('?')
        && t.chars().count() <= 100
        && (2..=14).contains(&t.split_whitespace().count())
        && t.starts_with(|c: char| c.is_uppercase())
        && t.matches('?').count() == 1
        && !t.contains(['.', ';'])
}

/// A lettered sub-heading ending in a colon: « b. Suspension du contrat pour raison de force
/// majeure : », "c) Governing law:". The letter and the title; list items ("a) les
/// incendies ;") start in lowercase or end otherwise.
fn lettered_title(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 4 || !b[0].is_ascii_lowercase() || !matches!(b[1], b'.' | b')') || b[2] != b' ' {
        return None;
    }
    let title = line[3..].trim_ws();
    let body = title.strip_suffix(':')?.trim_end_ws();
    let words = body.split_whitespace().count();
    let capital = body.chars().next().is_some_and(char::is_uppercase);
    (capital && (1..=12).contains(&words) && !body.contains([';', '.'])).then(|| (&line[..1], body))
}

/// Whether a would-be title is the first line of a wrapped sentence: the next line goes on
/// in lowercase, and the title is long, holds a comma or ends on a word no title ends on.
fn wraps_into(title: &str, next: Option<&str>) -> bool {
    // An ALL-CAPS paragraph wraps into ALL-CAPS lines: there the title's length decides.
    let caps = |s: &str| !s.chars().any(char::is_lowercase) && s.chars().any(char::is_uppercase);
    let goes_on = next.map(str::trim_start).is_some_and(|n| {
        n.trim_start_matches('(')
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
            || (caps(title) && caps(n) && !n.starts_with(|c: char| c.is_ascii_digit()))
    });
    goes_on
        && !title.ends_with([':', '.'])
        && (title.split_whitespace().count() >= 6
            || title.contains(',')
            || ends_with_function_word(title))
}

/// Whether a line ends on an article, a preposition or a conjunction ("... ARISING OUT OF
/// OR", "... est limitée à"): a title never does, a wrapped sentence often.
// Long only by its word list (French and English function words), one per line.
fn ends_with_function_word(line: &str) -> bool {
    let last = line
        .trim_end_ws()
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "of" | "or"
            | "and"
            | "the"
            | "to"
            | "a"
            | "an"
            | "in"
            | "for"
            | "by"
            | "with"
            | "any"
            | "its"
            | "shall"
            | "be"
            | "not"
            | "à"
            | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "les"
            | "et"
            | "ou"
            | "en"
            | "par"
            | "pour"
            | "sur"
            | "au"
            | "aux"
            | "un"
            | "une"
            | "que"
            | "qui"
            | "dans"
            | "d'"
            | "l'"
            | "other"
            | "such"
            | "this"
            | "that"
            | "which"
            | "all"
            | "each"
            | "every"
            | "no"
            | "from"
            | "into"
            | "upon"
            | "under"
            | "whether"
            | "than"
            | "as"
            | "at"
            | "on"
            | "is"
            | "are"
            | "will"
            | "may"
            | "if"
            | "dont"
            | "ne"
            | "son"
            | "sa"
            | "ses"
            | "leur"
            | "leurs"
            | "toute"
            | "tout"
            | "tous"
            | "toutes"
            | "avec"
            | "sans"
            | "entre"
    )
}

fn is_caps_heading(s: &str) -> bool {
    // Cheapest tests first: most lines are long or hold a lowercase letter early on.
    if s.len() > 4 * 80 || s.chars().count() > 80 || s.chars().any(char::is_lowercase) {
        return false;
    }
    s.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && s.split_whitespace()
            .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        && !s.trim_end_ws().ends_with([',', ';'])
}

/// A line that is only "Définitions", "Definitions and Interpretation", "Glossaire"...
fn is_definitions_heading(s: &str) -> bool {
    // Every heading of the list starts with d, i, g or t.
    let first = s
        .trim_start_ws()
        .as_bytes()
        .first()
        .map(u8::to_ascii_lowercase);
    if !matches!(first, Some(b'd' | b'i' | b'g' | b't')) || s.split_whitespace().nth(4).is_some() {
        return false;
    }
    let t = s.trim_ws().trim_end_matches([':', '.']).to_lowercase();
    t.split_whitespace().count() <= 4 && DEFINITION_HEADINGS.iter().any(|d| t.starts_with(d))
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim_ws();
    (!t.is_empty()).then(|| t.to_string())
}

/// The printed heading of a line: the whole line, or for "12.3 Le Prestataire ..." (body
/// text after the number) only up to the end of its short title, if it has one.
fn heading_span(text: &str, line: Range<usize>, h: &Head) -> Option<Range<usize>> {
    if !h.inline_body {
        return Some(line);
    }
    let title = h.heading.as_deref()?;
    let at = text[line.clone()].find(title)?;
    Some(line.start..line.start + at + title.len())
}

/// Turns headings into clauses with levels, parents and spans.
fn tree(text: &str, lines: &[Line], heads: Vec<Head>) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = Vec::with_capacity(heads.len());
    let mut ranks: Vec<u8> = Vec::with_capacity(heads.len());
    let mut stack: Vec<usize> = Vec::new();
    for h in heads {
        while let Some(&top) = stack.last() {
            if ranks[top] >= h.rank {
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last().copied();
        let level = stack.len() as u8;
        let line = &lines[h.line];
        let start = line.span.start
            + (text[line.span.clone()].len() - text[line.span.clone()].trim_start_ws().len());
        let heading_span = heading_span(text, start..line.span.end, &h);
        clauses.push(Clause {
            number: h.number,
            heading: h.heading,
            heading_span,
            span: start..text.len(),
            level,
            parent,
            page: None,
            definitions: h.definitions,
        });
        ranks.push(h.rank);
        stack.push(clauses.len() - 1);
    }
    // A clause ends where the next clause of the same or a shallower rank starts.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..clauses.len() {
        while let Some(&top) = open.last() {
            if ranks[top] >= ranks[i] {
                clauses[top].span.end = clauses[i].span.start;
                open.pop();
            } else {
                break;
            }
        }
        open.push(i);
    }
    for c in &mut clauses {
        let t = &text[c.span.clone()];
        c.span.end = c.span.start + t.trim_end_ws().len();
        if let Some(h) = &mut c.heading_span {
            h.end = h.end.min(c.span.end).max(h.start);
        }
    }
    clauses
}

/// Words before a period that never end a sentence (compared in lowercase).
const ABBREVIATIONS: &[&str] = &[
    "art", "arts", "cf", "m", "mm", "mme", "mmes", "mlle", "me", "dr", "e.g", "i.e", "ex", "p",
    "pp", "al", "n°", "no", "nos", "inc", "ltd", "co", "corp", "s.a", "s.a.s", "sarl", "llc",
    "l.p", "vs", "v", "c.-à-d", "c.-a-d", "env", "min", "max", "approx", "sect", "ch", "vol", "mr",
    "mrs", "ms", "st", "jr", "sr", "u.s", "e.u", "cass", "civ", "com", "req", "anc", "seq", "pén",
    "assur", "réf", "ref", "fig", "éd", "ed", "cie", "ets", "sté", "av", "bd", "tél", "tel", "r",
    "l", "d",
];

fn sentences(text: &str, lines: &[Line], heads: &[Head]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut head_lines: Vec<usize> = heads
        .iter()
        .filter(|h| !h.inline_body && !h.definition)
        .map(|h| h.line)
        .collect();
    head_lines.sort_unstable();
    let mut start: Option<usize> = None;
    let flush = |out: &mut Vec<Range<usize>>, s: usize, e: usize| {
        let t = &text[s..e];
        let trimmed = t.trim_ws();
        if !trimmed.is_empty() {
            let lead = t.len() - t.trim_start_ws().len();
            out.push(s + lead..s + lead + trimmed.len());
        }
    };
    for (i, l) in lines.iter().enumerate() {
        let content = &text[l.span.clone()];
        let is_head = head_lines.binary_search(&i).is_ok() || is_underline(content);
        if content.trim_ws().is_empty() && !is_head && continues_after_blank(text, lines, i, start)
        {
            // PDF text often has a blank line between every printed line: a sentence that
            // has not ended and goes on in lowercase is not cut there.
            continue;
        }
        if content.trim_ws().is_empty() || is_head {
            if let Some(s) = start.take() {
                flush(&mut out, s, l.span.start);
            }
            if is_head {
                flush(&mut out, l.span.start, l.span.end);
            }
            continue;
        }
        let s0 = *start.get_or_insert(l.span.start);
        let mut s = s0;
        for end in terminators(text, l.span.clone()) {
            flush(&mut out, s, end);
            s = end;
        }
        start = Some(s);
        if start == Some(l.span.end) {
            start = None;
        }
    }
    if let Some(s) = start {
        flush(&mut out, s, text.len());
    }
    out
}

/// Whether the sentence open before blank line `i` goes on after it: it has not ended
/// with punctuation and the next non-blank line starts in lowercase.
fn continues_after_blank(text: &str, lines: &[Line], i: usize, open: Option<usize>) -> bool {
    let Some(open) = open else {
        return false;
    };
    let before = text[open..lines[i].span.start].trim_end_ws();
    if before.is_empty() {
        return false;
    }
    let next = lines[i + 1..]
        .iter()
        .map(|l| text[l.span.clone()].trim_ws())
        .find(|t| !t.is_empty());
    // A lead-in and its list items are one unit ("sont exclus :", "None of the following
    // shall constitute ...:", items closed by ";"), so a negation or a condition in the
    // lead-in governs every item even when a blank line separates them.
    if before.ends_with([':', ';']) || before.ends_with(", and") || before.ends_with(", or") {
        return next.is_some_and(starts_list_item);
    }
    if before.ends_with(['.', '!', '?', '…']) {
        return false;
    }
    next.and_then(|t| t.chars().next())
        .is_some_and(char::is_lowercase)
}

/// Whether a line starts with a list marker: a dash or bullet, "(a)", "a)", "iv)", "1°",
/// "(2)", or "b." followed by lowercase text (a lettered heading has a capital).
fn starts_list_item(line: &str) -> bool {
    let t = line.trim_start_ws();
    if t.starts_with(['-', '–', '—', '•', '*', '▪', '◦', '·', '\u{f0b7}']) {
        return true;
    }
    let inner = t.strip_prefix('(').unwrap_or(t);
    let label_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let (label, rest) = inner.split_at(label_len);
    let short_label = (1..=4).contains(&label.len())
        && (label.len() == 1
            || (label.len() <= 3 && label.bytes().all(|b| b.is_ascii_digit()))
            || label.bytes().all(|b| b"ivxIVX".contains(&b)));
    if !short_label {
        return false;
    }
    if rest.starts_with(')') || rest.starts_with('°') {
        return true;
    }
    // "4.2 arising from ...": a numbered item that goes on in lowercase.
    let rest = if label.bytes().all(|b| b.is_ascii_digit()) {
        rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit())
    } else {
        rest
    };
    if label.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ') {
        return rest
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase);
    }
    rest.strip_prefix('.')
        .map(str::trim_start)
        .and_then(|r| r.chars().next())
        .is_some_and(char::is_lowercase)
}

/// Offsets just after each sentence-ending punctuation of the line.
fn terminators(text: &str, line: Range<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let l = &text[line.clone()];
    let bytes = l.as_bytes();
    // Bytes, not chars: '…' is the only terminator past ASCII (E2 80 A6), and a
    // continuation byte never equals an ASCII one. memchr skips the text between.
    let mut marks: Vec<usize> = memchr::memchr3_iter(b'.', b'!', b'?', bytes).collect();
    if memchr::memchr(0xE2, bytes).is_some() {
        marks.extend(memmem::find_iter(bytes, "…"));
        marks.sort_unstable();
    }
    for i in marks {
        let c = if bytes[i] == 0xE2 {
            '…'
        } else {
            bytes[i] as char
        };
        let after = i + c.len_utf8();
        let rest = &l[after..];
        // The next visible character decides: end of line counts as a break only when the
        // next line starts a new sentence; inside a line, whitespace then a capital.
        let next_char = if rest.trim_ws().is_empty() {
            next_line_start(text, line.end)
        } else if rest.starts_with(char::is_whitespace) {
            rest.trim_start_ws().chars().next()
        } else {
            None
        };
        let Some(n) = next_char else { continue };
        if !(n.is_uppercase()
            || n.is_ascii_digit()
            || matches!(n, '"' | '«' | '“' | '(' | '[' | '-' | '•' | '*'))
        {
            continue;
        }
        if c == '.' && is_abbreviation(&l[..i]) {
            continue;
        }
        let end = line.start + after;
        out.push(end);
    }
    out
}

fn next_line_start(text: &str, from: usize) -> Option<char> {
    text.get(from..)?.trim_start_ws().chars().next()
}

fn is_abbreviation(before: &str) -> bool {
    let from = before
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = before[from..].rsplit(['\'', '’']).next().unwrap_or("");
    let w = word.trim_start_matches(['"', '«', '(', '[']);
    // No abbreviation of the list is longer: a long word is never lowercased.
    if w.is_empty() || w.len() > 8 {
        return false;
    }
    let w = w.to_lowercase();
    // An initial ("M. Dupont", "J. Smith") or a number ("art. 12.", "n° 3.").
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && w.chars().count() <= 2 && word.chars().any(char::is_uppercase) {
        return true;
    }
    ABBREVIATIONS.contains(&w.as_str())
}

/// `str::trim` and its halves, with the ASCII ends tested as bytes: every line is trimmed
/// several times, and core's versions decode a character at each end. Past ASCII, core's
/// versions decide.
trait TrimWs {
    fn trim_ws(&self) -> &str;
    fn trim_start_ws(&self) -> &str;
    fn trim_end_ws(&self) -> &str;
}

/// The ASCII characters `char::is_whitespace` holds (tab, line feed, vertical tab, form
/// feed, carriage return, space).
fn ascii_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

impl TrimWs for str {
    #[inline]
    fn trim_ws(&self) -> &str {
        self.trim_start_ws().trim_end_ws()
    }

    #[inline]
    fn trim_start_ws(&self) -> &str {
        let b = self.as_bytes();
        let mut i = 0;
        while i < b.len() && ascii_ws(b[i]) {
            i += 1;
        }
        if b.get(i).is_some_and(|c| !c.is_ascii()) {
            return self[i..].trim_start();
        }
        &self[i..]
    }

    #[inline]
    fn trim_end_ws(&self) -> &str {
        let b = self.as_bytes();
        let mut j = b.len();
        while j > 0 && ascii_ws(b[j - 1]) {
            j -= 1;
        }
        if j > 0 && !b[j - 1].is_ascii() {
            return self[..j].trim_end();
        }
        &self[..j]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_as_core_trims() {
        let mut ends: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        ends.extend(
            [
                "\u{85}", "\u{a0}", "\u{2003}", "\u{202f}", "\u{3000}", "é", "…", "\u{1c}",
            ]
            .map(String::from),
        );
        for a in &ends {
            for b in &ends {
                for mid in ["", "x", " x ", "é x\u{a0}"] {
                    let s = format!("{a}{b}{mid}{b}{a}");
                    assert_eq!(s.trim_ws(), s.trim(), "{s:?}");
                    assert_eq!(s.trim_start_ws(), s.trim_start(), "{s:?}");
                    assert_eq!(s.trim_end_ws(), s.trim_end(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_read_by_hand_as_the_regex_reads_them() {
        let parts = [
            "1", "12", "123", "1234", "1.2", "12.3.1", "1.", "1.2.", "1)", "12.3)", "1.1234",
            "4.12.", "١", "1٢", "1.٢",
        ];
        let seps = [
            "", ".", ")", " -", "  :", ":", "-", " – ", "\u{a0}", "..", ".)",
        ];
        let tails = [
            "",
            " ",
            "  Titre",
            "Titre",
            " titre 12",
            "\t-",
            "\u{a0}x",
            "é",
        ];
        let mut checked = 0;
        for p in parts {
            for sep in seps {
                for t in tails {
                    let line = format!("{p}{sep}{t}");
                    let by_regex = NUMBERED.captures(&line).map(|c| {
                        let end = c.get(0).map_or(0, |m| m.end());
                        (c[1].to_string(), c.get(2).is_some(), end)
                    });
                    let by_hand = match numbered(&line) {
                        Numbered::Yes { number, sep, end } => Some((number.to_string(), sep, end)),
                        Numbered::No => None,
                        Numbered::Unsure => continue,
                    };
                    assert_eq!(by_hand, by_regex, "{line:?}");
                    checked += 1;
                }
            }
        }
        let all = parts.len() * seps.len() * tails.len();
        assert!(
            checked * 2 > all,
            "most lines are decided by hand ({checked} of {all})"
        );
    }

    #[test]
    fn keywords_read_by_hand_as_the_regex_reads_them() {
        let words = [
            "Article",
            "ARTICLE",
            "art.",
            "Art",
            "Section",
            "clause",
            "Chapitre",
            "chapter",
            "Titre",
            "Part",
            "Partie",
            "parties",
            "Annexe",
            "ANNEX",
            "Schedule",
            "Appendix",
            "Appendice",
            "Exhibit",
            "§",
            "ſection",
            "Articles",
            "Arté",
            "Objet",
        ];
        let gaps = ["", " ", "  ", "\u{a0}", "\t", " \u{2003}"];
        let numbers = [
            "1", "12", "123", "1234", "12.3", "12.3.1", "1.1234", "12.3a", "12.", "IV", "ix",
            "LXXVIII", "CCCLXXVI", "premier", "Premier", "1er", "1ERE", "B", "b", "é", "É", "١",
            "1٢", "1.٢", "K", "ſ", "_", "", "–", "ie", "s",
        ];
        let tails = [
            "",
            " – Objet",
            "\u{a0}: Durée",
            ". Titre",
            ".) x",
            " - : ",
            ":",
            "é",
            "_x",
            "a",
            "²",
            "ж",
            " (suite)",
            "—Objet",
            "\u{a0}",
            "…",
            "’s",
        ];
        let (mut checked, mut all) = (0, 0);
        for w in words {
            for g in gaps {
                for n in numbers {
                    for t in tails {
                        let line = format!("{w}{g}{n}{t}");
                        all += 1;
                        let by_regex = KEYWORD.captures(&line).map(|c| {
                            let end = c.get(0).map_or(0, |m| m.end());
                            (c[1].to_string(), c[2].to_string(), end)
                        });
                        let by_hand = match keyword::read(&line) {
                            keyword::Keyword::Yes {
                                keyword,
                                number,
                                end,
                            } => Some((keyword.to_string(), number.to_string(), end)),
                            keyword::Keyword::No => None,
                            keyword::Keyword::Unsure => {
                                assert!(!line.is_ascii(), "{line:?} is decided by hand");
                                continue;
                            }
                        };
                        assert_eq!(by_hand, by_regex, "{line:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(
            checked * 4 > all * 3,
            "most lines are decided by hand ({checked} of {all})"
        );
    }

    fn heads(seg: &Segmented) -> Vec<(Option<&str>, Option<&str>, u8)> {
        seg.clauses
            .iter()
            .map(|c| (c.number.as_deref(), c.heading.as_deref(), c.level))
            .collect()
    }

    fn sents<'a>(text: &'a str, seg: &Segmented) -> Vec<&'a str> {
        seg.sentences.iter().map(|s| &text[s.clone()]).collect()
    }

    #[test]
    fn a_lead_in_and_its_items_are_one_sentence_across_blank_lines() {
        let t = "Article 4 – Exclusions\n\nSont exclus :\n\n– les dommages de guerre ;\n\n– le paiement de toute rançon.\n\nArticle 5 – Prix\nLe prix est fixe.\n";
        let seg = segment(t, &[]);
        let s = sents(t, &seg);
        assert!(
            s.iter()
                .any(|x| x.starts_with("Sont exclus :") && x.ends_with("rançon.")),
            "{s:?}"
        );
        // A sentence that ended is not joined to the next paragraph.
        let t = "Le prix est fixe.\n\n– le Client paie à 30 jours.\n";
        assert_eq!(sents(t, &segment(t, &[])).len(), 2);
    }

    #[test]
    fn list_items_are_recognised() {
        for item in [
            "- l'incendie",
            "(a) war",
            "b) la guerre",
            "iv) strikes",
            "1° la grève",
            "4.2 arising from war",
            "b. les virus",
        ] {
            assert!(starts_list_item(item), "{item}");
        }
        for not in [
            "Article 4",
            "4.2 Force Majeure",
            "B. Exclusions",
            "2024 was a year",
            "Durée : 3 ans",
        ] {
            assert!(!starts_list_item(not), "{not}");
        }
    }

    #[test]
    fn wrapped_paragraphs_are_not_titles() {
        let t = "ARTICLE 6 – RESPONSABILITÉ\n\n6.2 La responsabilité du Prestataire, toutes causes confondues, est limitée à\nla moitié des sommes versées, sauf faute lourde.\n";
        let seg = segment(t, &[]);
        let c = seg
            .clauses
            .iter()
            .find(|c| c.number.as_deref() == Some("6.2"))
            .unwrap();
        assert_eq!(c.heading, None);
        assert!(sents(t, &seg)
            .iter()
            .any(|x| x.contains("limitée à\nla moitié")));
        let t = "6.2 EXCEPT IN THE CASE OF GROSS NEGLIGENCE, WILFUL MISCONDUCT OR FRAUD, EACH\nPARTY'S TOTAL LIABILITY SHALL NOT EXCEED THE FEES PAID.\n";
        let seg = segment(t, &[]);
        assert_eq!(seg.clauses[0].heading, None);
        // A real title stays one.
        let t =
            "12.3 Force Majeure Events\nNeither party is liable for events beyond its control.\n";
        assert_eq!(
            segment(t, &[]).clauses[0].heading.as_deref(),
            Some("Force Majeure Events")
        );
    }

    #[test]
    fn lettered_sub_headings_ending_in_a_colon_are_clauses() {
        let t = "Article 9 – Dispositions diverses\n\na. Cession du contrat :\nLe contrat ne peut être cédé.\n\nb. Suspension du contrat pour raison de force majeure :\nLe contrat est suspendu.\n";
        let seg = segment(t, &[]);
        let h = heads(&seg);
        assert!(
            h.iter().any(|(n, t, _)| *n == Some("b")
                && *t == Some("Suspension du contrat pour raison de force majeure")),
            "{h:?}"
        );
        assert_eq!(lettered_title("a) les incendies ;"), None);
    }

    #[test]
    fn french_articles_sub_clauses_and_lists() {
        let t = "CONTRAT DE MAINTENANCE\n\nArticle 1 – Objet\nLe présent contrat définit les services.\n\nArticle 12 – Force majeure\n12.1 Aucune partie ne sera responsable.\n12.2 Sont des cas de force majeure :\na) l'incendie ;\nb) la guerre ;\nc) le piratage.\n\nArticle 13 : Durée\nUn an.\n";
        let seg = segment(t, &[]);
        let h = heads(&seg);
        assert!(
            h.contains(&(Some("1"), Some("Objet"), 1))
                || h.contains(&(Some("1"), Some("Objet"), 0)),
            "{h:?}"
        );
        let art12 = seg
            .clauses
            .iter()
            .position(|c| c.number.as_deref() == Some("12"))
            .unwrap();
        assert_eq!(seg.clauses[art12].heading.as_deref(), Some("Force majeure"));
        let c122 = seg
            .clauses
            .iter()
            .position(|c| c.number.as_deref() == Some("12.2"))
            .unwrap();
        assert_eq!(seg.clauses[c122].parent, Some(art12));
        assert!(
            !h.iter().any(|(n, _, _)| *n == Some("a")),
            "list items are not clauses"
        );
        let span = &t[seg.clauses[c122].span.clone()];
        assert!(
            span.starts_with("12.2") && span.ends_with("le piratage."),
            "{span:?}"
        );
        let at = t.find("piratage").unwrap();
        assert_eq!(clause_at(&seg, at), Some(c122));
        assert!(seg.clauses[art12].span.contains(&at));
        assert!(sents(t, &seg).contains(&"12.2 Sont des cas de force majeure :\na) l'incendie ;\nb) la guerre ;\nc) le piratage."), "{:?}", sents(t, &seg));
    }

    #[test]
    fn english_sections_roman_numerals_and_annexes() {
        let t = "SECTION 9. LIMITATION OF LIABILITY\n9.1 The cap applies.\n9.2 No indirect damages.\n\nARTICLE XII - FORCE MAJEURE\nEvents beyond control.\n\n§ 4 Haftung\nText.\n\nClause 14 Notices\nText.\n\nAnnexe 2 – Plan d'assurance qualité\nText.\n\nSchedule 2\nService levels.\n";
        let seg = segment(t, &[]);
        let h = heads(&seg);
        let find = |n: &str| h.iter().find(|x| x.0 == Some(n)).cloned();
        assert_eq!(find("9").unwrap().1, Some("LIMITATION OF LIABILITY"));
        assert_eq!(find("XII").unwrap().1, Some("FORCE MAJEURE"));
        assert_eq!(find("4").unwrap().1, Some("Haftung"));
        assert_eq!(find("14").unwrap().1, Some("Notices"));
        assert_eq!(find("2").unwrap().1, Some("Plan d'assurance qualité"));
        let p91 = seg
            .clauses
            .iter()
            .find(|c| c.number.as_deref() == Some("9.1"))
            .unwrap();
        assert_eq!(
            seg.clauses[p91.parent.unwrap()].number.as_deref(),
            Some("9")
        );
    }

    #[test]
    fn markdown_and_underlined_headings() {
        let t = "# Conditions\n\n## 12. Force majeure\nTexte.\n\n### 12.3 Notification\nTexte.\n\nObjet\n=====\n\nTexte.\n";
        let seg = segment(t, &[]);
        let h = heads(&seg);
        assert!(h.contains(&(None, Some("Conditions"), 0)), "{h:?}");
        assert!(
            h.iter()
                .any(|x| x.0 == Some("12") && x.1 == Some("Force majeure")),
            "{h:?}"
        );
        let c = seg
            .clauses
            .iter()
            .find(|c| c.number.as_deref() == Some("12.3"))
            .unwrap();
        assert_eq!(seg.clauses[c.parent.unwrap()].number.as_deref(), Some("12"));
        assert!(h.iter().any(|x| x.1 == Some("Objet")), "{h:?}");
    }

    #[test]
    fn definitions_become_children_that_do_not_overlap() {
        let t = "Article 1 – Définitions\n« Force Majeure » désigne tout événement irrésistible, y compris la guerre.\n« Incident » désigne toute intrusion ou tout virus.\n\n1. Definitions\n\"Force Majeure Event\" means war.\n\"Services\" means hosting.\n\nArticle 2 – Objet\nTexte.\n";
        let seg = segment(t, &[]);
        let defs: Vec<&Clause> = seg
            .clauses
            .iter()
            .filter(|c| c.parent.is_some_and(|p| seg.clauses[p].definitions))
            .collect();
        let names: Vec<&str> = defs.iter().filter_map(|c| c.heading.as_deref()).collect();
        assert!(
            names.contains(&"Force Majeure") && names.contains(&"Incident"),
            "{names:?}"
        );
        assert!(
            names.contains(&"Force Majeure Event") && names.contains(&"Services"),
            "{names:?}"
        );
        let fm = defs
            .iter()
            .find(|c| c.heading.as_deref() == Some("Force Majeure"))
            .unwrap();
        let body = &t[fm.span.clone()];
        assert!(
            body.contains("guerre") && !body.contains("Incident"),
            "{body:?}"
        );
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let t = "Voir l'art. 12 et cf. M. Dupont, Mme Durand, etc. sans fin. Selon C. assur., art. L. 12-10-1 la plainte est requise. The Provider Inc. agrees, e.g. to notify. Next one! Fin.";
        let seg = segment(t, &[]);
        let s = sents(t, &seg);
        assert_eq!(
            s,
            [
                "Voir l'art. 12 et cf. M. Dupont, Mme Durand, etc. sans fin.",
                "Selon C. assur., art. L. 12-10-1 la plainte est requise.",
                "The Provider Inc. agrees, e.g. to notify.",
                "Next one!",
                "Fin."
            ]
        );
    }

    #[test]
    fn blank_lines_inside_an_unfinished_sentence_do_not_cut_it() {
        let t = "We agree to pay all sums (including the\n\nestablishment of a fund) arising out of\n\na cyber event.\n\nNext paragraph.";
        let seg = segment(t, &[]);
        assert_eq!(
            sents(t, &seg),
            [
                "We agree to pay all sums (including the\n\nestablishment of a fund) arising out of\n\na cyber event.",
                "Next paragraph."
            ]
        );
    }

    #[test]
    fn table_of_contents_lines_are_not_clauses() {
        let t = "SOMMAIRE\n\nARTICLE 12 – FORCE MAJEURE ........ 13\nARTICLE 13 – PRIX ........ 14\n\nARTICLE 12 – FORCE MAJEURE\nTexte.\n";
        let seg = segment(t, &[]);
        let twelves: Vec<&Clause> = seg
            .clauses
            .iter()
            .filter(|c| c.number.as_deref() == Some("12"))
            .collect();
        assert_eq!(twelves.len(), 1);
        assert!(t[twelves[0].span.clone()].ends_with("Texte."));
    }

    #[test]
    fn pages_are_known_per_clause() {
        let t = "Article 1 – Objet\nTexte.\n\x0cArticle 2 – Prix\nTexte.\n";
        let p2 = t.find('\x0c').unwrap() + 1;
        let seg = segment(t, &[0..p2, p2..t.len()]);
        assert_eq!(
            seg.clauses.iter().map(|c| c.page).collect::<Vec<_>>(),
            [Some(1), Some(2)]
        );
    }

    #[test]
    fn garbage_never_panics_and_spans_stay_on_boundaries() {
        let inputs = [
            String::from_utf8_lossy(
                &(0..3000u32)
                    .map(|i| (i * 7919 % 251) as u8)
                    .collect::<Vec<_>>(),
            )
            .into_owned(),
            "é".repeat(50_000),
            "\n".repeat(1000),
            "1.\n2.\n§\nArticle\n# \n===\n**\n« »désigne\n".to_string(),
        ];
        for t in &inputs {
            let seg = segment(t, &[0..t.len() / 2, t.len() / 2..t.len()]);
            for r in seg
                .sentences
                .iter()
                .chain(seg.clauses.iter().map(|c| &c.span))
            {
                assert!(r.start <= r.end && r.end <= t.len());
                assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
            }
        }
    }
}
