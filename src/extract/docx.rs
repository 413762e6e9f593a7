//! Reads Word (.docx) files: body paragraphs and tables in reading order, automatic
//! numbering rebuilt from `numbering.xml` so "Article 12" and "12.3" appear as the reader
//! sees them, tracked insertions in and deletions out, field results without field codes,
//! footnotes and endnotes after the body; headers and footers stay out of the clause text.
//! Archives are bounded (size and compression ratio) so a zip bomb ends as an error.

use crate::extract::archive::{attr, events, part, xml_error, MAX_TOTAL};
use crate::extract::extracted::{ErrorKind, ExtractError, Extracted, Format};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::Cursor;

/// Extracts the text of a .docx file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        ExtractError::new(
            ErrorKind::Corrupt,
            "not a valid .docx file (it is not a zip archive)",
        )
    })?;
    let mut budget = MAX_TOTAL;
    let document = part(&mut zip, "word/document.xml", &mut budget)?.ok_or_else(|| {
        ExtractError::new(
            ErrorKind::Corrupt,
            "not a Word document (word/document.xml is missing)",
        )
    })?;
    let numbering = match part(&mut zip, "word/numbering.xml", &mut budget)? {
        Some(x) => Numbering::parse(&x)?,
        None => Numbering::default(),
    };
    let styles = match part(&mut zip, "word/styles.xml", &mut budget)? {
        Some(x) => style_numbering(&x)?,
        None => HashMap::new(),
    };
    let mut body = Body::new(numbering, styles);
    body.read(&document)?;
    for name in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(x) = part(&mut zip, name, &mut budget)? {
            body.notes(&x)?;
        }
    }
    Ok(Extracted {
        text: body.finish(),
        pages: Vec::new(),
        format: Format::Docx,
        extractor: "docx".into(),
        warnings: Vec::new(),
    })
}

/// One level of a numbering definition.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// `numbering.xml`: numId → abstractNumId → levels.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    nums: HashMap<String, String>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, ExtractError> {
        let mut n = Numbering::default();
        let (mut abs, mut lvl, mut num): (Option<String>, Option<u8>, Option<String>) =
            (None, None, None);
        events(xml, |ev, _| {
            let (e, empty) = match ev {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        b"abstractNum" => abs = None,
                        b"lvl" => lvl = None,
                        b"num" => num = None,
                        _ => {}
                    }
                    return Ok(());
                }
                _ => return Ok(()),
            };
            let val = || attr(e, b"w:val");
            match e.local_name().as_ref() {
                b"abstractNum" if !empty => abs = attr(e, b"w:abstractNumId"),
                b"lvl" if !empty => {
                    lvl = attr(e, b"w:ilvl").and_then(|v| v.parse().ok());
                }
                b"start" => set_level(&mut n, &abs, lvl, |l| {
                    l.start = val().and_then(|v| v.parse().ok()).unwrap_or(1)
                }),
                b"numFmt" => set_level(&mut n, &abs, lvl, |l| l.format = val().unwrap_or_default()),
                b"lvlText" => set_level(&mut n, &abs, lvl, |l| l.text = val().unwrap_or_default()),
                b"num" if !empty => num = attr(e, b"w:numId"),
                b"abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, val()) {
                        n.nums.insert(id.clone(), a);
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(n)
    }

    fn level(&self, num: &str, ilvl: u8) -> Option<(&str, &Level)> {
        let abs = self.nums.get(num)?;
        Some((abs.as_str(), self.abstracts.get(abs)?.get(&ilvl)?))
    }
}

fn set_level(n: &mut Numbering, abs: &Option<String>, lvl: Option<u8>, f: impl FnOnce(&mut Level)) {
    if let (Some(a), Some(l)) = (abs, lvl) {
        let level = n
            .abstracts
            .entry(a.clone())
            .or_default()
            .entry(l)
            .or_insert(Level {
                start: 1,
                ..Level::default()
            });
        f(level);
    }
}

/// Paragraph styles that carry numbering (headings numbered through their style).
fn style_numbering(xml: &str) -> Result<HashMap<String, (String, u8)>, ExtractError> {
    let mut out = HashMap::new();
    let mut style: Option<String> = None;
    let (mut num, mut ilvl): (Option<String>, u8) = (None, 0);
    events(xml, |ev, _| {
        match ev {
            Event::Start(e) if e.local_name().as_ref() == b"style" => {
                style = attr(e, b"w:styleId");
                num = None;
                ilvl = 0;
            }
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numId" => num = attr(e, b"w:val"),
                b"ilvl" => ilvl = attr(e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let (Some(s), Some(n)) = (style.take(), num.take()) {
                    out.insert(s, (n, ilvl));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// Builds the text while walking the body.
struct Body {
    numbering: Numbering,
    styles: HashMap<String, (String, u8)>,
    counters: HashMap<String, [u32; 9]>,
    out: String,
    notes: String,
}

/// What the current paragraph carries.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num: Option<String>,
    ilvl: u8,
}

impl Body {
    fn new(numbering: Numbering, styles: HashMap<String, (String, u8)>) -> Body {
        Body {
            numbering,
            styles,
            counters: HashMap::new(),
            out: String::new(),
            notes: String::new(),
        }
    }

    fn read(&mut self, xml: &str) -> Result<(), ExtractError> {
        walk(xml, &mut |p: Para| self.paragraph(p))
    }

    fn notes(&mut self, xml: &str) -> Result<(), ExtractError> {
        let mut lines = Vec::new();
        walk(xml, &mut |p: Para| {
            let t = p.text.trim();
            if !t.is_empty() {
                lines.push(t.to_string());
            }
        })?;
        for l in lines {
            self.notes.push_str(&l);
            self.notes.push('\n');
        }
        Ok(())
    }

    /// The paragraph's text with its automatic number in front, as Word displays it.
    fn paragraph(&mut self, p: Para) {
        let (num, ilvl) = match (&p.num, &p.style) {
            (Some(n), _) => (Some(n.clone()), p.ilvl),
            (None, Some(s)) => match self.styles.get(s) {
                Some((n, l)) => (Some(n.clone()), *l),
                None => (None, 0),
            },
            _ => (None, 0),
        };
        let prefix = num.and_then(|n| self.number(&n, ilvl)).unwrap_or_default();
        let line = format!("{prefix}{}", p.text);
        self.out.push_str(line.trim_end());
        self.out.push('\n');
    }

    fn number(&mut self, num: &str, ilvl: u8) -> Option<String> {
        if num == "0" {
            return None;
        }
        let ilvl = ilvl.min(8);
        let (abs, level) = self.numbering.level(num, ilvl)?;
        let abs = abs.to_string();
        let levels: Vec<Level> = (0..9)
            .map(|l| {
                self.numbering
                    .level(num, l)
                    .map(|(_, lv)| lv.clone())
                    .unwrap_or_default()
            })
            .collect();
        let template = level.text.clone();
        let bullet = level.format == "bullet" || level.format == "none";
        let c = self.counters.entry(abs).or_insert([0; 9]);
        let i = ilvl as usize;
        c[i] = if c[i] == 0 {
            levels[i].start.max(1)
        } else {
            c[i] + 1
        };
        for deeper in c.iter_mut().skip(i + 1) {
            *deeper = 0;
        }
        if bullet {
            return None;
        }
        let mut text = template;
        for (l, lv) in levels.iter().enumerate().take(i + 1) {
            let value = if c[l] == 0 { lv.start.max(1) } else { c[l] };
            text = text.replace(&format!("%{}", l + 1), &format_number(value, &lv.format));
        }
        Some(format!("{} ", text.trim_end()))
    }

    fn finish(mut self) -> String {
        if !self.notes.is_empty() {
            self.out.push_str("\nNotes\n");
            self.out.push_str(&self.notes);
        }
        self.out
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letter(n),
        "lowerLetter" => letter(n).to_lowercase(),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const R: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letter(n: u32) -> String {
    let i = (n.max(1) - 1) % 26;
    char::from(b'A' + i as u8).to_string()
}

/// Walks paragraphs of a part: text runs, tabs and breaks; deleted text and field codes
/// skipped; table cells separated by " | ", rows on their own line.
fn walk(xml: &str, on_para: &mut dyn FnMut(Para)) -> Result<(), ExtractError> {
    let mut para: Option<Para> = None;
    let mut in_text = false;
    let mut in_deleted = 0usize;
    let mut row: Option<Vec<String>> = None;
    let mut cell: Option<String> = None;
    events(xml, |ev, _| {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"p" if !empty => para = Some(Para::default()),
                    b"t" if !empty => in_text = true,
                    b"del" | b"moveFrom" if !empty => in_deleted += 1,
                    b"tab" => push(&mut para, "\t", in_deleted),
                    b"br" | b"cr" => push(&mut para, "\n", in_deleted),
                    b"pStyle" => {
                        if let Some(p) = para.as_mut() {
                            p.style = attr(e, b"w:val");
                        }
                    }
                    b"numId" => {
                        if let Some(p) = para.as_mut() {
                            p.num = attr(e, b"w:val");
                        }
                    }
                    b"ilvl" => {
                        if let Some(p) = para.as_mut() {
                            p.ilvl = attr(e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                    }
                    b"tr" if !empty => row = Some(Vec::new()),
                    b"tc" if !empty => cell = Some(String::new()),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t.unescape().map_err(xml_error)?;
                push(&mut para, &s, in_deleted);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"del" | b"moveFrom" => in_deleted = in_deleted.saturating_sub(1),
                b"p" => {
                    if let Some(p) = para.take() {
                        match cell.as_mut() {
                            Some(c) => {
                                if !c.is_empty() && !p.text.trim().is_empty() {
                                    c.push(' ');
                                }
                                c.push_str(p.text.trim());
                            }
                            None => on_para(p),
                        }
                    }
                }
                b"tc" => {
                    if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                        r.push(c);
                    }
                }
                b"tr" => {
                    if let Some(r) = row.take() {
                        on_para(Para {
                            text: format!("| {} |", r.join(" | ")),
                            ..Para::default()
                        });
                    }
                }
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })
}

fn push(para: &mut Option<Para>, s: &str, deleted: usize) {
    if deleted > 0 {
        return;
    }
    if let Some(p) = para.as_mut() {
        p.text.push_str(s);
    }
}
