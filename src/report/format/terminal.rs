//! The terminal view (`--format table`): a report to read, not to parse. It fits a given
//! width, groups documents by folder, lists each document's findings most severe first with
//! the excerpt centred on the words that fired, puts portfolio findings under their folder
//! and ends with a summary. It is written document by document, so a scan can stream it.

use super::{clause_label, reading_order, squash};
use crate::assess::portfolio_key;
use crate::model::{Document, Item, Language, Report, RiskLevel, Severity, Status, Summary};
use crate::report::names::escape_controls;
use std::io::{self, Write};

/// How the view is laid out: the caller knows the terminal, the library does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// Columns available; every line fits (contract text is cut, never wrapped by the
    /// terminal into a ragged block).
    pub width: usize,
    /// Mark the words that fired with ANSI bold rather than `*…*` (a terminal, not a file).
    pub bold: bool,
    /// Add each finding's recommendation and the document's mitigations.
    pub verbose: bool,
    /// The language of the view's own words (messages come translated in the report).
    pub lang: Language,
}

impl Default for View {
    /// What a pipe or a file gets: 100 columns, no escape codes, English.
    fn default() -> Self {
        View {
            width: 100,
            bold: false,
            verbose: false,
            lang: Language::En,
        }
    }
}

/// The narrowest layout kept readable; below it lines may overflow.
const MIN_WIDTH: usize = 40;
/// Column where a finding's text starts: two spaces, then the severity label padded.
const INDENT: usize = 13;
/// Documents named per residual level in the summary; more are counted.
const NAMED_PER_LEVEL: usize = 8;

/// The view being written: the folder open, and what the summary needs of the documents
/// already gone (counts and a few names, never the documents).
#[derive(Debug, Default)]
pub(crate) struct Terminal {
    view: View,
    folder: Option<String>,
    by_level: Vec<(RiskLevel, usize, Vec<String>)>,
}

impl Terminal {
    pub fn new(view: View) -> Self {
        Terminal {
            view,
            ..Terminal::default()
        }
    }

    fn width(&self) -> usize {
        self.view.width.max(MIN_WIDTH)
    }

    /// One document's block, preceded by its folder's heading when the folder changes.
    pub fn document(&mut self, d: &Document, out: &mut dyn Write) -> io::Result<()> {
        let folder = portfolio_key(&d.path).to_string();
        if self.folder.as_deref() != Some(folder.as_str()) {
            self.rule(&folder_title(&folder), out)?;
            self.folder = Some(folder.clone());
        }
        self.count(d);
        let name = d.path.strip_prefix(&folder).unwrap_or(&d.path);
        // A file name must not move the terminal's cursor or forge a line.
        let name = escape_controls(name.trim_start_matches(['/', '\\']));
        let l = labels(self.view.lang);
        match &d.error {
            Some(e) => {
                let head = format!("{name} — {} ({})", l.not_analyzed, e.kind);
                writeln!(out, "{}", fit(&head, self.width()))?;
                self.text_line("", &e.message, out)?;
            }
            None => {
                let head = format!(
                    "{name} — {}, {} — {} {} — {} {}",
                    d.doc_type.map_or("-", |t| t.as_str()),
                    d.language.map_or("-", |l| l.as_str()),
                    l.residual,
                    level_label(d.residual_risk.level, self.view.lang),
                    d.findings.len(),
                    if d.findings.len() == 1 {
                        l.finding
                    } else {
                        l.findings
                    },
                );
                writeln!(out, "{}", fit(&head, self.width()))?;
                // How the text was read matters to a reader of a scan: OCR makes mistakes.
                let notes = d
                    .warnings
                    .iter()
                    .filter(|w| self.view.verbose || w.contains("OCR"));
                for w in notes {
                    self.text_line(&format!("{}: ", labels(self.view.lang).note), w, out)?;
                }
            }
        }
        if d.status == Status::Ok {
            let mut findings: Vec<&Item> = d.findings.iter().collect();
            findings.sort_by(|a, b| reading_order(a, b));
            for i in findings {
                self.finding(i, out)?;
            }
            if self.view.verbose {
                for m in &d.mitigations {
                    self.finding(m, out)?;
                }
            }
        }
        writeln!(out)
    }

    /// Portfolio findings, under a heading naming their folder (they arrive once the
    /// folder is complete, in folder order).
    pub fn portfolio(&mut self, items: &[Item], out: &mut dyn Write) -> io::Result<()> {
        let mut items: Vec<&Item> = items.iter().collect();
        items.sort_by(|a, b| item_folder(a).cmp(item_folder(b)).then(reading_order(a, b)));
        let mut open: Option<&str> = None;
        for i in items {
            let folder = item_folder(i);
            if open != Some(folder) {
                if open.is_some() {
                    writeln!(out)?;
                }
                let l = labels(self.view.lang);
                let head = format!("{} — {}", folder_title(folder), l.across);
                writeln!(out, "{}", fit(&head, self.width()))?;
                open = Some(folder);
            }
            self.finding(i, out)?;
            let names: Vec<String> = i
                .documents
                .iter()
                .map(|p| escape_controls(file_name(p)))
                .collect();
            self.text_line("", &format!("({})", names.join(", ")), out)?;
        }
        if open.is_some() {
            writeln!(out)?;
        }
        Ok(())
    }

    /// The closing summary: documents, findings by severity, residual risk by document.
    pub fn finish(&self, s: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let l = labels(self.view.lang);
        self.rule(l.summary, out)?;
        let analyzed = s.documents - s.errors;
        let mut docs = format!(
            "{} {}: {analyzed} {}, {} {}",
            s.documents, l.documents, l.analyzed, s.errors, l.not_analyzed
        );
        // The paths the walk met and did not analyze (the JSON report lists them); an
        // unreadable folder may hide documents.
        if s.skipped > 0 {
            docs.push_str(&format!(
                "; {} {} ({} {})",
                s.skipped, l.skipped, s.unreadable, l.unreadable
            ));
        }
        writeln!(out, "{}", fit(&docs, self.width()))?;
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|&sev| {
                format!(
                    "{} {}",
                    s.findings.get(sev),
                    severity_label(sev, self.view.lang)
                )
            })
            .collect();
        let line = format!("{}: {}", l.findings, counts.join(" · "));
        writeln!(out, "{}", fit(&line, self.width()))?;
        if s.suppressed > 0 {
            writeln!(out, "{} {}", s.suppressed, l.accepted)?;
        }
        let mut levels = self.by_level.clone();
        levels.sort_by_key(|(level, _, _)| std::cmp::Reverse(level.rank()));
        if !levels.is_empty() {
            writeln!(out, "{}:", l.residual_by_document)?;
        }
        for (level, n, names) in &levels {
            let mut list = names.join(", ");
            if *n > names.len() {
                list.push_str(&format!(", … (+{})", n - names.len()));
            }
            let label = format!("{} ({n})", level_label(*level, self.view.lang));
            self.labelled(&label, &list, out)?;
        }
        Ok(())
    }

    fn count(&mut self, d: &Document) {
        let level = d.residual_risk.level;
        let slot = match self.by_level.iter().position(|(l, _, _)| *l == level) {
            Some(i) => i,
            None => {
                self.by_level.push((level, 0, Vec::new()));
                self.by_level.len() - 1
            }
        };
        let (_, n, names) = &mut self.by_level[slot];
        *n += 1;
        if names.len() < NAMED_PER_LEVEL {
            names.push(escape_controls(&d.path));
        }
    }

    /// A finding: severity, concept, clause and page on one line; the excerpt centred on
    /// the words that fired; the message; the recommendation under `--verbose`.
    fn finding(&self, i: &Item, out: &mut dyn Write) -> io::Result<()> {
        let lang = self.view.lang;
        let sev = match i.severity {
            Some(s) => severity_label(s, lang).to_uppercase(),
            None => labels(lang).mitigation.to_uppercase(),
        };
        let mut head = i.concept.clone();
        if let Some(loc) = &i.location {
            let clause = clause_label(loc).unwrap_or_else(|| format!("line {}", loc.line));
            head.push_str(&format!(" · {clause}"));
            if let Some(p) = loc.page {
                head.push_str(&format!(", p. {p}"));
            }
        } else if i.documents.is_empty() {
            head.push_str(&format!(" · {}", labels(lang).whole_document));
        }
        if let Some(s) = &i.suppression {
            head.push_str(&format!(" · {} ({})", labels(lang).accepted_one, s.kind));
        }
        let room = self.width() - INDENT;
        // Contract text (headings, excerpts, messages quoting it) reaches the terminal with
        // its control characters escaped, as file names do.
        writeln!(out, "  {sev:<10} {}", fit(&escape_controls(&head), room))?;
        if let Some(ex) = &i.excerpt {
            let shown = |t: &str| escape_controls(&squash(t));
            let evidence = i.evidence.as_deref().map(shown);
            let line = centred(&shown(ex), evidence.as_deref(), room, self.view.bold);
            writeln!(out, "{:INDENT$}{line}", "")?;
        }
        self.text_line("", &i.message, out)?;
        if self.view.verbose {
            if let Some(r) = &i.recommendation {
                for (n, line) in wrap(&squash(r), room - 2).iter().enumerate() {
                    let mark = if n == 0 { "→ " } else { "  " };
                    writeln!(out, "{:INDENT$}{mark}{line}", "")?;
                }
            }
        }
        Ok(())
    }

    /// One line of text at the finding indent, cut to the width.
    fn text_line(&self, prefix: &str, text: &str, out: &mut dyn Write) -> io::Result<()> {
        let room = self.width() - INDENT;
        writeln!(
            out,
            "{:INDENT$}{}",
            "",
            fit(&format!("{prefix}{}", escape_controls(&squash(text))), room)
        )
    }

    /// `label: text`, the text wrapped at a hanging indent.
    fn labelled(&self, label: &str, text: &str, out: &mut dyn Write) -> io::Result<()> {
        let head = format!("  {label}: ");
        let room = self.width() - 4;
        let first = room.saturating_sub(head.chars().count() - 4);
        let mut lines = wrap(text, first).into_iter();
        writeln!(out, "{head}{}", lines.next().unwrap_or_default())?;
        let rest: Vec<String> = lines.collect();
        for line in wrap(&rest.join(" "), room) {
            if !line.is_empty() {
                writeln!(out, "    {line}")?;
            }
        }
        Ok(())
    }

    /// A heading line: `── title ─────…` to the full width.
    fn rule(&self, title: &str, out: &mut dyn Write) -> io::Result<()> {
        let head = fit(&format!("── {title} "), self.width());
        let fill = self.width().saturating_sub(head.chars().count());
        writeln!(out, "{head}{}", "─".repeat(fill))
    }
}

/// The whole report as the terminal view: what a scan streams, in one go.
pub(crate) fn write_terminal(report: &Report, view: View, out: &mut dyn Write) -> io::Result<()> {
    let mut t = Terminal::new(view);
    let mut written = vec![false; report.portfolio.len()];
    let docs = &report.documents;
    for (n, d) in docs.iter().enumerate() {
        t.document(d, out)?;
        let folder = portfolio_key(&d.path);
        let last_of_folder = docs
            .get(n + 1)
            .is_none_or(|next| portfolio_key(&next.path) != folder);
        if last_of_folder {
            let items = take_folder(&report.portfolio, &mut written, |f| f == folder);
            t.portfolio(&items, out)?;
        }
    }
    let rest = take_folder(&report.portfolio, &mut written, |_| true);
    t.portfolio(&rest, out)?;
    t.finish(&report.summary, out)
}

/// The portfolio items of the folders `wanted` accepts, not yet written.
fn take_folder(items: &[Item], written: &mut [bool], wanted: impl Fn(&str) -> bool) -> Vec<Item> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !written[i] && wanted(item_folder(item)) {
            written[i] = true;
            out.push(item.clone());
        }
    }
    out
}

/// The folder of a portfolio item: its first document's.
fn item_folder(i: &Item) -> &str {
    i.documents.first().map_or("", |p| portfolio_key(p))
}

fn folder_title(folder: &str) -> String {
    if folder.is_empty() {
        "./".to_string()
    } else {
        format!("{}/", escape_controls(folder))
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `s` on one line, cut with `…` to `width` characters.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let cut: String = s.chars().take(width.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// Words of `s` in lines of at most `width` characters (a longer word is cut).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// The excerpt on one line of `room` visible characters, the window centred on `evidence`
/// (the words that fired), marked in bold or between `*`.
fn centred(excerpt: &str, evidence: Option<&str>, room: usize, bold: bool) -> String {
    let chars: Vec<char> = squash(excerpt).chars().collect();
    let span = evidence
        .map(squash)
        .filter(|e| !e.is_empty())
        .and_then(|e| char_span(&chars, &e));
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[22m")
    } else {
        ("*", "*")
    };
    // Plain marks take room; escape codes do not.
    let marks = if span.is_some() && !bold { 2 } else { 0 };
    let (ws, we) = window(chars.len(), span, room.saturating_sub(marks));
    let mut s = String::new();
    if ws > 0 {
        s.push('…');
    }
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    match span {
        Some((es, ee)) if es < we && ee > ws => {
            let (es, ee) = (es.max(ws), ee.min(we));
            s.push_str(&piece(ws, es));
            s.push_str(on);
            s.push_str(&piece(es, ee));
            s.push_str(off);
            s.push_str(&piece(ee, we));
        }
        _ => s.push_str(&piece(ws, we)),
    }
    if we < chars.len() {
        s.push('…');
    }
    s
}

/// The char range of `needle` in `chars`, exact first, then ignoring case.
fn char_span(chars: &[char], needle: &str) -> Option<(usize, usize)> {
    let hay: String = chars.iter().collect();
    let byte = hay
        .find(needle)
        .or_else(|| hay.to_lowercase().find(&needle.to_lowercase()))
        .filter(|&b| hay.is_char_boundary(b))?;
    let start = hay[..byte].chars().count();
    Some((start, start + needle.chars().count()))
}

/// The window `[start, end)` of at most `room` characters (ellipses included) out of `len`,
/// centred on `span`, or from the start without one.
fn window(len: usize, span: Option<(usize, usize)>, room: usize) -> (usize, usize) {
    if len <= room {
        return (0, len);
    }
    // Two ellipses at most.
    let keep = room.saturating_sub(2).max(1);
    let start = match span {
        Some((s, e)) if e - s >= keep => s,
        Some((s, e)) => (s + e).saturating_sub(keep) / 2,
        None => 0,
    };
    let start = start.min(len - keep);
    // Starting at 0 needs no leading ellipsis: one more character fits.
    if start == 0 {
        return (0, (keep + 1).min(len));
    }
    (start, start + keep)
}

labels! {
    /// The view's own words.
    struct Labels;
    finding: "finding", "constat";
    findings: "findings", "constats";
    residual: "residual", "risque résiduel";
    not_analyzed: "not analyzed", "non analysé(s)";
    analyzed: "analyzed", "analysé(s)";
    skipped: "path(s) skipped", "chemin(s) ignoré(s)";
    unreadable: "unreadable", "illisible(s)";
    documents: "document(s)", "document(s)";
    summary: "Summary", "Synthèse";
    accepted: "finding(s) accepted by a baseline or a waiver", "constat(s) accepté(s) par une baseline ou une dérogation";
    accepted_one: "accepted", "accepté";
    across: "findings across documents", "constats entre documents";
    mitigation: "mitigation", "atténuant";
    whole_document: "(whole document)", "(document entier)";
    residual_by_document: "residual risk by document", "risque résiduel par document";
    note: "note", "note";
}

/// The view's own words in `lang`.
fn labels(lang: Language) -> Labels<&'static str> {
    LABELS.get(lang)
}

/// A severity's word in `lang`.
pub(crate) fn severity_label(s: Severity, lang: Language) -> &'static str {
    s.label().into_lang(lang)
}

/// A residual level's word in `lang`.
pub(crate) fn level_label(l: RiskLevel, lang: Language) -> &'static str {
    l.label().into_lang(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_window_is_centred_on_the_words_that_fired() {
        let ex = "Le Prestataire ne sera tenu que d'une obligation de moyens pour la sauvegarde des données du Client, qui reste seul responsable de ses propres copies.";
        let line = centred(ex, Some("obligation de moyens"), 40, false);
        assert!(line.contains("*obligation de moyens*"), "{line}");
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert!(line.chars().count() <= 40, "{line}");
        let bold = centred(ex, Some("obligation de moyens"), 40, true);
        assert!(
            bold.contains("\x1b[1mobligation de moyens\x1b[22m"),
            "{bold}"
        );
    }

    #[test]
    fn a_short_excerpt_is_whole_and_a_missing_evidence_starts_at_the_start() {
        assert_eq!(
            centred("96 heures", Some("96 heures"), 40, false),
            "*96 heures*"
        );
        let line = centred(&"mot ".repeat(30), None, 20, false);
        assert!(line.starts_with("mot") && line.ends_with('…'), "{line}");
        assert!(line.chars().count() <= 20, "{line}");
    }

    #[test]
    fn evidence_longer_than_the_room_starts_the_window() {
        let ex = format!("début {} fin", "x".repeat(50));
        let line = centred(&ex, Some(&"x".repeat(50)), 20, false);
        assert!(line.starts_with("…*x"), "{line}");
        assert!(line.chars().count() <= 20, "{line}");
    }

    #[test]
    fn long_lines_are_cut_and_wrapped_to_the_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(
            wrap("un deux trois quatre", 9),
            ["un deux", "trois", "quatre"]
        );
    }
}
