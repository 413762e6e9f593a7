//! Renderers of the one findings model ([`Report`]) for other readers than the JSON
//! contract: SARIF for code-scanning tools, HTML for people, Markdown for audit reports, CSV
//! for spreadsheets. Each reads only the report, so every format tells the same story.

/// Declares the words a view writes around the findings: `LABELS`, one bilingual
/// [`Text`](crate::model::Text) per word, and `Labels<&str>`, the same words in the language
/// of one report (`LABELS.get(lang)`), so every word is translated when the report is
/// rendered.
macro_rules! labels {
    ($(#[$sdoc:meta])* struct Labels; $($(#[$doc:meta])* $name:ident: $en:expr, $fr:expr;)*) => {
        $(#[$sdoc])*
        struct Labels<T> {
            $($(#[$doc])* $name: T,)*
        }

        const LABELS: Labels<$crate::model::Text<&'static str>> = Labels {
            $($name: $crate::model::Text { en: $en, fr: $fr },)*
        };

        impl Labels<$crate::model::Text<&'static str>> {
            /// The words in `lang`.
            fn get(&self, lang: $crate::model::Language) -> Labels<&'static str> {
                Labels {
                    $($name: self.$name.into_lang(lang),)*
                }
            }
        }
    };
}

pub mod csv;
pub mod html;
pub mod markdown;
pub mod sarif;
pub mod terminal;

use crate::model::{Document, Item, Location, Report, Severity};

/// One finding with the documents it belongs to: a document's own finding, or a portfolio
/// finding spanning several documents (its location points into the first one).
#[derive(Debug, Clone, Copy)]
struct Finding<'a> {
    /// The document holding the finding; `None` for portfolio findings.
    document: Option<&'a Document>,
    item: &'a Item,
}

impl<'a> Finding<'a> {
    /// The paths the finding is about: its document, or the portfolio documents.
    fn paths(&self) -> Vec<&'a str> {
        match self.document {
            Some(d) => vec![d.path.as_str()],
            None => self.item.documents.iter().map(String::as_str).collect(),
        }
    }

    /// The stable identity of the finding: the model's fingerprint (set by
    /// [`crate::report::baseline::fingerprint_report`]), else the same hash over the paths as given.
    fn fingerprint(&self) -> String {
        if let Some(f) = &self.item.fingerprint {
            return f.clone();
        }
        let i = self.item;
        let paths = self.paths().join("\n");
        crate::report::baseline::fingerprint(&i.rule, &i.concept, &paths, i.excerpt.as_deref())
    }
}

/// Every finding of the report: documents in report order (sorted by path), each one's
/// findings most severe first (then in text order), then the portfolio findings likewise.
fn findings(report: &Report) -> Vec<Finding<'_>> {
    let mut all = Vec::new();
    for d in &report.documents {
        let start = all.len();
        all.extend(d.findings.iter().map(|item| Finding {
            document: Some(d),
            item,
        }));
        all[start..].sort_by(|a, b| reading_order(a.item, b.item));
    }
    let start = all.len();
    all.extend(report.portfolio.iter().map(|item| Finding {
        document: None,
        item,
    }));
    all[start..].sort_by(|a, b| reading_order(a.item, b.item));
    all
}

/// Most severe first; among equals, document-level findings, then by position in the text.
pub(crate) fn reading_order(a: &Item, b: &Item) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| {
            let pos = |i: &Item| i.location.as_ref().map(|l| l.start);
            pos(a).cmp(&pos(b))
        })
        .then_with(|| a.concept.cmp(&b.concept))
}

/// Collapses runs of whitespace (newlines included) into single spaces, so contract text
/// cannot break a line-oriented format.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "12.3 Heading" or "12.3" or "Heading"; `None` when the location names no clause.
fn clause_label(l: &Location) -> Option<String> {
    match (&l.clause, &l.heading) {
        (Some(n), Some(h)) => Some(format!("{n} {h}")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(h)) => Some(h.clone()),
        (None, None) => None,
    }
}

/// A finding's severity for the report's perspective, or "info" for the rare item without.
fn severity_str(item: &Item) -> &'static str {
    item.severity
        .map_or(Severity::Info.as_str(), |s| s.as_str())
}

/// The concept families of `concepts.md`, in the order readers meet them, with a title.
const FAMILIES: [(&str, &str); 6] = [
    ("fm", "Force majeure"),
    ("bk", "Backups"),
    ("lb", "Liability"),
    ("inc", "Incident notification"),
    ("ins", "Insurance"),
    ("x", "Portfolio"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn item(excerpt: &str) -> Item {
        Item {
            concept: "fm.cyber_included".into(),
            rule: "fm-cyber".into(),
            kind: Kind::Finding,
            severity: Some(Severity::High),
            value: None,
            value_note: None,
            location: None,
            excerpt: Some(excerpt.into()),
            evidence: None,
            message: "m".into(),
            references: vec![],
            recommendation: None,
            documents: vec!["a.md".into(), "b.md".into()],
            fingerprint: None,
            suppression: None,
            severity_by_perspective: None,
        }
    }

    #[test]
    fn fallback_fingerprint_is_the_baseline_one_over_the_paths() {
        let a = item("Les  Cyberattaques sont");
        let fp = Finding {
            document: None,
            item: &a,
        }
        .fingerprint();
        let want = crate::report::baseline::fingerprint(
            "fm-cyber",
            "fm.cyber_included",
            "a.md\nb.md",
            Some("les cyberattaques sont"),
        );
        assert_eq!(fp, want);
        let other = item("autre");
        assert_ne!(
            fp,
            Finding {
                document: None,
                item: &other
            }
            .fingerprint()
        );
    }

    #[test]
    fn model_fingerprint_wins() {
        let mut a = item("x");
        a.fingerprint = Some("abc".into());
        assert_eq!(
            Finding {
                document: None,
                item: &a
            }
            .fingerprint(),
            "abc"
        );
    }
}
