//! Visible text of an HTML page: scripts, styles and the head dropped, entities decoded,
//! block elements on their own lines so headings stay headings.
//!
//! Tokens come from html5ever's tokenizer (the WHATWG state machine: character references,
//! raw-text elements, comments, bogus markup), read here through a [`TokenSink`] that keeps
//! no tree. What to hide and how to lay blocks out is ours; so is one tolerance a browser
//! does not have, that malformed markup never loses the text after it:
//!
//! - A hidden element (`<svg>`, `<noscript>`...) never closed hides nothing: what it held is
//!   written as it comes, and taken back only when its end tag arrives.
//! - A tag or comment still open at the end of the file (a quote never closed,
//!   `<!-- jamais fermé`) ends at its first '>', and the reading resumes after it; with no
//!   '>' left, the rest is text.
//!
//! Bounds: no tree and no recursion, so nesting costs a small entry per open hidden element;
//! every pass is linear, and the passes after a construct left open at the end of the file
//! are at most [`MAX_RESUMES`] (the last one ends the reading: what follows it is dropped,
//! as html5ever drops what follows a construct left open).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements whose content the reader does not see.
const SKIP: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "iframe", "object",
];
const HEAD: usize = 2;
/// What may sit in `<head>`; any other start tag means the body began unannounced.
const HEAD_CONTENT: &[&str] = &[
    "title", "meta", "link", "style", "script", "base", "noscript", "template",
];
/// Elements that stand apart from what surrounds them (a blank line around them).
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "hr",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "body",
    "html",
    "figure",
    "address",
];
/// Elements that only start a new line.
const LINE: &[&str] = &[
    "br",
    "li",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "thead",
    "tbody",
    "tfoot",
];
/// Passes resumed after a tag or comment left open at the end of the file. Each is linear;
/// real pages need at most one or two.
const MAX_RESUMES: usize = 16;

/// The charset a page declares (`<meta charset=...>` or `http-equiv`) in its first KiB, when
/// it is a legacy ASCII-compatible one: the decoding to use if the bytes are not valid UTF-8.
/// (html5ever's own meta prescan is internal to its tree builder.)
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes.get(..1024).unwrap_or(bytes).to_ascii_lowercase();
    let at = head.windows(8).position(|w| w == b"charset=")? + 8;
    let value = head.get(at..)?;
    let value = value
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b' '))
        .and_then(|start| value.get(start..))?;
    let len = value
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
        .unwrap_or(value.len());
    let enc = encoding_rs::Encoding::for_label(value.get(..len)?)?;
    (enc.is_ascii_compatible() && enc != encoding_rs::UTF_8).then_some(enc)
}

pub fn visible_text(src: &str) -> String {
    let sink = Sink::default();
    let mut src = Cow::Borrowed(src);
    let mut start = 0;
    let mut state: Option<RawKind> = None;
    for _ in 0..=MAX_RESUMES {
        let Some(rest) = src.get(start..) else { break };
        let before = sink.reader.borrow().clone();
        if !sink.pass(rest, state, false) {
            break;
        }
        // Something was left open at the end: read again, this time cut after each '>', to
        // learn where the last complete token ended.
        *sink.reader.borrow_mut() = before;
        sink.pass(rest, state, true);
        let Some(open) = construct_start(rest, sink.last_markup_end.get()) else {
            break;
        };
        let Some(gt) = memchr::memchr(b'>', rest.as_bytes().get(open + 1..).unwrap_or_default())
            .map(|i| open + 1 + i)
        else {
            // No '>' after it: '<' and all that follows is text, entities decoded.
            let tail = rest.get(open..).unwrap_or_default();
            sink.pass(tail, Some(RawKind::Rcdata), false);
            break;
        };
        // The tag ends at its first '>'.
        state = rest
            .get(open..=gt)
            .and_then(cut_tag)
            .and_then(|(kind, name, self_closing)| {
                sink.reader.borrow_mut().tag(kind, &name, self_closing)
            });
        let comment = rest.get(open..).is_some_and(|r| r.starts_with("<!--"));
        start += gt + 1;
        if comment {
            // No comment ends after this one: each later one ends at its first '>' too, as
            // a bogus comment ("<!- "), in this same pass rather than one pass each.
            let (done, todo) = src.split_at(start);
            if todo.contains("<!--") {
                src = Cow::Owned(format!("{done}{}", todo.replace("<!--", "<!- ")));
            }
        }
    }
    let reader = sink.reader.borrow();
    tidy(&reader.out.text)
}

/// The first '<' at or after `from` that opens a tag, comment, doctype or processing
/// instruction in html5ever's data state.
fn construct_start(s: &str, from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut pos = from;
    while let Some(i) = memchr::memchr(b'<', bytes.get(pos..)?) {
        let lt = pos + i;
        let opens = match bytes.get(lt + 1) {
            Some(b) if b.is_ascii_alphabetic() || *b == b'!' || *b == b'?' => true,
            Some(b'/') => bytes.get(lt + 2).is_some_and(|&b| b != b'>'),
            _ => false,
        };
        if opens {
            return Some(lt);
        }
        pos = lt + 1;
    }
    None
}

/// Kind, lowercase name and self-closing flag of a tag `<...>` cut at its first '>';
/// `None` for a comment or declaration.
fn cut_tag(tag: &str) -> Option<(TagKind, String, bool)> {
    let body = tag.strip_prefix('<')?.strip_suffix('>')?;
    let (kind, body) = match body.strip_prefix('/') {
        Some(b) => (TagKind::EndTag, b),
        None => (TagKind::StartTag, body),
    };
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = body
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(body.len());
    let name = body.get(..end)?.to_ascii_lowercase();
    Some((kind, name, body.ends_with('/')))
}

/// Receives html5ever's tokens for one or more passes over the page.
#[derive(Default)]
struct Sink {
    reader: RefCell<Reader>,
    /// Offset, in the current pass, just past the '>' that ends the chunk being fed (passes
    /// cut at each '>').
    chunk_end: Cell<usize>,
    /// Where the last tag, comment or doctype of the pass ended (cut passes only).
    last_markup_end: Cell<usize>,
    /// `Tokenizer::end` is running: what it emits tells how the file ended.
    at_end: Cell<bool>,
    /// At the end, a markup token or an error: a tag or comment was left open...
    end_markup: Cell<bool>,
    /// ...unless the end also gave back text ("<" at the very end is text).
    end_text: Cell<bool>,
}

impl Sink {
    /// Tokenizes `src` from `state` (data state when `None`); true when the file ended
    /// inside a tag, comment or doctype, whose text html5ever dropped.
    fn pass(&self, src: &str, state: Option<RawKind>, cut: bool) -> bool {
        let last_start_tag_name = match state {
            Some(RawKind::ScriptData) => Some("script".to_string()),
            Some(RawKind::Rawtext) => Some("style".to_string()),
            _ => None,
        };
        let opts = TokenizerOpts {
            discard_bom: false,
            initial_state: state.map(html5ever::tokenizer::states::RawData),
            last_start_tag_name,
            ..TokenizerOpts::default()
        };
        self.at_end.set(false);
        self.end_markup.set(false);
        self.end_text.set(false);
        self.last_markup_end.set(0);
        let tokenizer = Tokenizer::new(self, opts);
        let queue = BufferQueue::default();
        if cut {
            let mut from = 0;
            for gt in memchr::memchr_iter(b'>', src.as_bytes()) {
                self.chunk_end.set(gt + 1);
                queue.push_back(StrTendril::from_slice(
                    src.get(from..=gt).unwrap_or_default(),
                ));
                let _ = tokenizer.feed(&queue);
                from = gt + 1;
            }
            self.chunk_end.set(src.len());
            queue.push_back(StrTendril::from_slice(src.get(from..).unwrap_or_default()));
        } else {
            self.chunk_end.set(src.len());
            queue.push_back(StrTendril::from_slice(src));
        }
        let _ = tokenizer.feed(&queue);
        self.at_end.set(true);
        tokenizer.end();
        self.end_markup.get() && !self.end_text.get() && !self.reader.borrow().raw
    }

    fn markup(&self) {
        if self.at_end.get() {
            self.end_markup.set(true);
        } else {
            self.last_markup_end.set(self.chunk_end.get());
        }
    }

    fn text(&self, s: &str) {
        if self.at_end.get() {
            self.end_text.set(true);
        }
        self.reader.borrow_mut().chars(s);
    }
}

impl TokenSink for &Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                self.markup();
                let raw = self
                    .reader
                    .borrow_mut()
                    .tag(tag.kind, &tag.name, tag.self_closing);
                if let Some(kind) = raw {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::CommentToken(_) | Token::DoctypeToken(_) => self.markup(),
            Token::CharacterTokens(s) => self.text(&s),
            Token::NullCharacterToken => self.text("\0"),
            Token::ParseError(_) => {
                if self.at_end.get() {
                    self.end_markup.set(true);
                }
            }
            Token::EOFToken => {}
        }
        TokenSinkResult::Continue
    }
}

/// Hidden elements and layout; cloned before a pass that may have to be read again.
#[derive(Clone, Default)]
struct Reader {
    out: Writer,
    /// Hidden elements open, innermost last: their content is written, and taken back when
    /// they close. Those never closed stay visible.
    hidden: Vec<Hidden>,
    /// Entries of `hidden` per element of `SKIP`, so that a stray end tag costs no search.
    open: [usize; SKIP.len()],
    /// Inside `<script>` or `<style>`: their text is never seen, closed or not.
    raw: bool,
}

#[derive(Clone)]
struct Hidden {
    /// Index in `SKIP`.
    element: usize,
    /// The writer as it was at the start tag.
    mark: Mark,
}

impl Reader {
    /// A tag; the raw-text state the tokenizer must switch to, if it opens one.
    fn tag(&mut self, kind: TagKind, name: &str, self_closing: bool) -> Option<RawKind> {
        let start = kind == TagKind::StartTag;
        if start && self.open[HEAD] > 0 && !HEAD_CONTENT.contains(&name) {
            self.close(HEAD);
        }
        let Some(element) = SKIP.iter().position(|&s| s == name) else {
            self.out.tag(name, !start, self_closing);
            return None;
        };
        match (start, name) {
            (true, _) if self_closing => None,
            (true, "script") => {
                self.raw = true;
                Some(RawKind::ScriptData)
            }
            (true, "style") => {
                self.raw = true;
                Some(RawKind::Rawtext)
            }
            (true, _) => {
                let mark = self.out.mark();
                self.hidden.push(Hidden { element, mark });
                self.open[element] += 1;
                None
            }
            (false, "script" | "style") => {
                self.raw = false;
                None
            }
            (false, _) => {
                self.close(element);
                None
            }
        }
    }

    /// Ends the innermost open `SKIP[element]`: its content, and any element opened inside
    /// it, are taken back.
    fn close(&mut self, element: usize) {
        if self.open[element] == 0 {
            return;
        }
        while let Some(h) = self.hidden.pop() {
            self.open[h.element] -= 1;
            if h.element == element {
                self.out.restore(h.mark);
                return;
            }
        }
    }

    fn chars(&mut self, s: &str) {
        if !self.raw {
            self.out.text(s);
        }
    }
}

/// The text as laid out so far; `tidy` cleans it up at the end.
#[derive(Clone, Default)]
struct Writer {
    text: String,
    /// A cell was opened in the current table row: the next one needs a separator.
    cell_in_row: bool,
    /// Open table cells: their paragraphs stay on the row's line.
    in_cell: usize,
    /// Open `<pre>` elements: their line breaks are kept.
    pre: usize,
}

/// A writer's state to come back to.
#[derive(Clone, Copy)]
struct Mark {
    len: usize,
    cell_in_row: bool,
    in_cell: usize,
    pre: usize,
}

impl Writer {
    fn mark(&self) -> Mark {
        Mark {
            len: self.text.len(),
            cell_in_row: self.cell_in_row,
            in_cell: self.in_cell,
            pre: self.pre,
        }
    }

    fn restore(&mut self, mark: Mark) {
        self.text.truncate(mark.len);
        self.cell_in_row = mark.cell_in_row;
        self.in_cell = mark.in_cell;
        self.pre = mark.pre;
    }

    fn tag(&mut self, name: &str, closing: bool, self_closing: bool) {
        let opens = !closing && !self_closing;
        match name {
            "td" | "th" if closing => self.in_cell = self.in_cell.saturating_sub(1),
            "td" | "th" => {
                if self.cell_in_row {
                    self.text.push_str(" | ");
                }
                self.cell_in_row = true;
                if opens {
                    self.in_cell += 1;
                }
            }
            "tr" => {
                if !closing {
                    self.text.push('\n');
                }
                self.cell_in_row = false;
                self.in_cell = 0;
            }
            _ if self.in_cell > 0 && (BLOCK.contains(&name) || LINE.contains(&name)) => {
                self.text.push(' ');
            }
            _ if BLOCK.contains(&name) => {
                self.text.push_str("\n\n");
                self.cell_in_row = false;
                if name == "pre" && closing {
                    self.pre = self.pre.saturating_sub(1);
                } else if name == "pre" && opens {
                    self.pre += 1;
                }
            }
            _ if LINE.contains(&name) && !closing => self.text.push('\n'),
            _ => {}
        }
    }

    /// Decoded text. Source line breaks are spaces (layout comes from the tags), except in
    /// `<pre>`; html5ever already made every CR or CRLF a LF.
    fn text(&mut self, s: &str) {
        let mut rest = s;
        while let Some(i) = rest.find(['\n', '\r', '\t', '\x0c']) {
            self.text.push_str(&rest[..i]);
            match rest.as_bytes()[i] {
                b'\n' if self.pre > 0 => self.text.push('\n'),
                b'\r' if self.pre > 0 => {}
                _ => self.text.push(' '),
            }
            rest = &rest[i + 1..];
        }
        self.text.push_str(rest);
    }
}

/// Lines trimmed, runs of spaces collapsed, at most one blank line in a row.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = false;
    for line in s.split('\n') {
        let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
        let joined = words.join(" ");
        // Word pages fill empty paragraphs with &nbsp;.
        let line = joined.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::{extract_bytes, Format};

    fn html(src: &str) -> String {
        extract_bytes(src.as_bytes(), Format::Html).unwrap().text
    }

    /// Deterministic pseudo-random bytes (xorshift), so failures replay.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn html_visible_text_only() {
        let src = r#"<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>
<h2>Article 12 &ndash; Force majeure</h2><p>Les <b>virus</b>  informatiques&nbsp;: cas d&rsquo;exon&eacute;ration.</p>
<script>alert("<p>x</p>")</script><!-- hidden --><ul><li>a) incendie</li><li>b) 3 < 4</li></ul>
<table><tr><td>RPO</td><td>4 h</td></tr></table><a href="x>y">lien</a></body></html>"#;
        let ex = extract_bytes(src.as_bytes(), Format::Html).unwrap();
        assert_eq!(ex.extractor, "html");
        let t = ex.text;
        assert!(t.starts_with("Article 12 – Force majeure\n\n"), "{t:?}");
        assert!(
            t.contains("Les virus informatiques\u{a0}: cas d’exonération."),
            "{t:?}"
        );
        assert!(t.contains("\na) incendie\nb) 3 < 4\n"), "{t:?}");
        assert!(t.contains("\nRPO | 4 h\n"), "{t:?}");
        assert!(t.contains("lien"));
        for hidden in ["alert", "hidden", "p{}", "T\n", "DOCTYPE"] {
            assert!(!t.contains(hidden), "{hidden} in {t:?}");
        }
    }

    #[test]
    fn html_layout_of_blocks_tables_and_pre() {
        let t = html(
            "<div>Préambule<h3>Article 5 Responsabilité</h3>Le prestataire<br>répond.</div>\
             <p>&nbsp;</p><p>&nbsp;</p><p>&nbsp;</p><p>Suite</p>\
             <table><tr><th><p>Garantie</p></th><th><p>Plafond</p></th></tr>\
             <tr><td><p>Cyber</p></td><td>1 M&euro;</td></tr></table>\
             <pre>ligne 1\nligne 2</pre><dl><dt>RTO</dt><dd>4 h</dd></dl>",
        );
        assert_eq!(
            t,
            "Préambule\n\nArticle 5 Responsabilité\n\nLe prestataire\nrépond.\n\nSuite\n\n\
             Garantie | Plafond\nCyber | 1 M€\n\nligne 1\nligne 2\n\nRTO\n4 h\n"
        );
    }

    #[test]
    fn html_entities() {
        assert_eq!(
            html("&Eacute;t&eacute; &laquo;&#233;&#xE9;&#XE9;&raquo; &#146;&#0;&AMP; &unknown; & a&b; &#+65; &#x;"),
            "Été «ééé» ’\u{FFFD}& &unknown; & a&b; &#+65; &#x;\n"
        );
        // Multi-byte text right after an entity (a fixed-width look-ahead once cut a char).
        assert_eq!(html("&amp;ééééééé"), "&ééééééé\n");
        assert_eq!(
            html("&OElig;uvre &euro; &sect; 2 &deg; &hellip;"),
            "Œuvre € § 2 ° …\n"
        );
        // Every named reference of the HTML standard, and the legacy ones written without
        // their ';' (as browsers read them), which the old table of 80 names left as written.
        assert_eq!(
            html("&rarr; &Omega; &check; &frac34; &oslash; &le; &copy 2024 &eacute."),
            "→ Ω ✓ ¾ ø ≤ © 2024 é.\n"
        );
    }

    #[test]
    fn malformed_html_keeps_its_text() {
        // No </head>: the body starts at its first tag.
        assert_eq!(html("<head><title>T</title><p>Corps"), "Corps\n");
        // Self-closing and nested hidden elements.
        assert_eq!(
            html("<svg/>avant<svg><svg></svg>dessin</svg>après"),
            "avantaprès\n"
        );
        // A hidden element never closed does not hide the page.
        assert_eq!(html("<noscript>Texte <b>visible"), "Texte visible\n");
        // Quotes: '>' inside a value, an apostrophe in a bare value, a quote never closed.
        assert_eq!(
            html("<a title='a>b' href=l'x>lien</a> suite"),
            "lien suite\n"
        );
        assert_eq!(html("<a b='>texte gardé"), "texte gardé\n");
        assert_eq!(
            html("x < y et <3 et <> et < /p>"),
            "x < y et <3 et <> et < /p>\n"
        );
        assert_eq!(html("<p>un<p>deux<li>trois"), "un\n\ndeux\ntrois\n");
        assert_eq!(html("a <!-- jamais fermé > b"), "a b\n");
        assert_eq!(html("<SCRIPT type=x>if (a</b) {}</Script >Fin"), "Fin\n");
        assert_eq!(html("<![CDATA[caché]]>vu<?xml version='1.0'?>"), "vu\n");
    }

    #[test]
    fn html_charset() {
        let ex = extract_bytes(b"<p>\xc9t\xe9</p>", Format::Html).unwrap();
        assert_eq!(ex.text, "Été\n");
        assert!(ex.warnings.iter().any(|w| w.contains("Windows-1252")));
        let ex = extract_bytes(
            b"<meta charset=\"iso-8859-15\"><p>100 \xa4 \xbduvre</p>",
            Format::Html,
        )
        .unwrap();
        assert_eq!(ex.text, "100 € œuvre\n");
        // Valid UTF-8 wins over a Latin-1 declaration: never "Ã©".
        let t =
            html("<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'><p>été");
        assert_eq!(t, "été\n");
    }

    #[test]
    fn hostile_html_never_panics_and_stays_linear() {
        for src in [
            "<",
            "<<>>",
            "&#xFFFFFFFF;",
            "&#99999999999;",
            "<a b='>",
            "<!--",
            "<script>",
            "&",
            "<![CDATA[x",
            "é<é>é",
            "</",
            "<a",
            "<a ='",
            "<!",
            "<?",
            "&#",
            "<svg",
            "<head>",
            "</td><td>",
            "<pre></pre></pre>",
            "<td/>x<td/>y",
        ] {
            let _ = extract_bytes(src.as_bytes(), Format::Html);
        }
        let alphabet: Vec<char> = "<>/!-'\"=& ;#xapsvgédh\n\t[]C?".chars().collect();
        for seed in 1..400 {
            let src: String = noise(seed, 200)
                .iter()
                .map(|b| alphabet[*b as usize % alphabet.len()])
                .collect();
            if let Ok(ex) = extract_bytes(src.as_bytes(), Format::Html) {
                assert!(!ex.text.contains("\n\n\n"), "{src:?}");
            }
        }
        let start = std::time::Instant::now();
        for unit in [
            "<a x='",
            "<!--",
            "<svg>",
            "<!",
            "&amp",
            "<a x=\">",
            "<![CDATA[",
            "<head><b>",
            "<svg><script>",
            "<a x=\"'>",
            "<noscript><svg>",
            "</script",
            "<!-- >",
            "<a x='>",
        ] {
            let _ = extract_bytes(unit.repeat(60_000).as_bytes(), Format::Html);
        }
        assert!(start.elapsed().as_secs() < 20, "quadratic scan");
    }

    #[test]
    fn deep_nesting_costs_neither_stack_nor_time() {
        let start = std::time::Instant::now();
        let deep = format!(
            "{}Texte{}",
            "<div><b>".repeat(200_000),
            "</b></div>".repeat(200_000)
        );
        assert_eq!(html(&deep), "Texte\n");
        let hidden = format!(
            "{}caché{}vu",
            "<svg><noscript>".repeat(100_000),
            "</noscript></svg>".repeat(100_000)
        );
        assert_eq!(html(&hidden), "vu\n");
        let unclosed = format!("{}Texte", "<noscript><object>".repeat(100_000));
        assert_eq!(html(&unclosed), "Texte\n");
        // Comments never ended each end at their '>', without one pass per comment.
        assert_eq!(
            html(&"<!-- x > a ".repeat(50_000)),
            format!("{}\n", ["a"; 50_000].join(" "))
        );
        assert!(start.elapsed().as_secs() < 20, "quadratic nesting");
    }
}
