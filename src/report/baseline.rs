//! Accepted findings: a stable fingerprint per finding, and baselines that record the
//! findings a team has already seen so that a CI gate fails only on new ones.
//!
//! A fingerprint reads the rule, the concept, the document's path relative to the scanned
//! folder and the normalized excerpt — never a line number, offset or file hash — so a
//! finding keeps its identity when the contract is edited elsewhere or the folder moves.

use crate::model::{Item, Kind, Report, Suppression};
use crate::report::names::relative_path;
use crate::report::waivers::{Date, Waivers};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Hex digits kept of the sha256: 64 bits, far beyond the findings of any portfolio.
const FINGERPRINT_HEX: usize = 16;

/// The format version written in baseline files.
pub const BASELINE_VERSION: u32 = 1;

/// Why a baseline file cannot be used; `path` is the file as it was named to the loader.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read.
    #[error("cannot read {path}")]
    Io {
        /// The baseline file.
        path: String,
        /// Why reading it failed.
        source: std::io::Error,
    },
    /// The file is not the JSON of a baseline.
    #[error("{path}:{line}:{column}: not a Vigie baseline: {message}")]
    Parse {
        /// The baseline file.
        path: String,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error on that line, from 1.
        column: usize,
        /// serde_json's description of the error.
        message: String,
    },
    /// The file is a baseline of another format version than [`BASELINE_VERSION`].
    #[error(
        "{path}: baseline version {found} is not supported (this Vigie reads {BASELINE_VERSION})"
    )]
    Version {
        /// The baseline file.
        path: String,
        /// The `version` the file declares.
        found: u32,
    },
}

/// One accepted finding; everything but the fingerprint is there for the reader of the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct BaselineEntry {
    fingerprint: String,
    rule: String,
    concept: String,
    path: String,
    excerpt: Option<String>,
}

/// The findings accepted at one point in time (`vigie scan --write-baseline`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    version: u32,
    findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// Every finding of the report (documents and portfolio), sorted by fingerprint then
    /// path, so the file is the same from one run to the next and diffs well. Paths are
    /// relative to `roots`, the paths the scan was given, as in the fingerprint.
    pub fn from_report(report: &Report, roots: &[PathBuf]) -> Baseline {
        let mut set = BTreeSet::new();
        for d in &report.documents {
            for f in d.findings.iter().filter(|f| f.kind == Kind::Finding) {
                if let Some(fp) = &f.fingerprint {
                    set.insert(entry(fp, f, &relative_path(Path::new(&d.path), roots)));
                }
            }
        }
        for f in &report.portfolio {
            if let Some(fp) = &f.fingerprint {
                let paths: Vec<String> = f
                    .documents
                    .iter()
                    .map(|p| relative_path(Path::new(p), roots))
                    .collect();
                set.insert(entry(fp, f, &paths.join(" + ")));
            }
        }
        Baseline {
            version: BASELINE_VERSION,
            findings: set.into_iter().collect(),
        }
    }

    /// Reads a baseline written by [`Baseline::to_json`].
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: name.clone(),
            source,
        })?;
        Baseline::parse(&text, &name)
    }

    /// Parses the JSON text of a baseline; `name` is the file named in errors.
    pub fn parse(text: &str, name: &str) -> Result<Baseline, BaselineError> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| BaselineError::Parse {
            path: name.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if b.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: name.to_string(),
                found: b.version,
            });
        }
        Ok(b)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain strings serialize");
        s.push('\n');
        s
    }

    /// Marks the findings whose fingerprint is in the baseline (those not already accepted
    /// by a waiver) and returns how many it marked.
    pub fn apply(&self, report: &mut Report) -> usize {
        let known: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let mut marked = 0;
        for f in findings_mut(report) {
            let hit = f.suppression.is_none()
                && f.fingerprint
                    .as_deref()
                    .is_some_and(|fp| known.contains(fp));
            if hit {
                f.suppression = Some(Suppression {
                    kind: "baseline".into(),
                    reason: None,
                    author: None,
                    expires: None,
                });
                marked += 1;
            }
        }
        marked
    }
}

/// What a scan accepts: the findings of a baseline, waivers, and the day waivers are read on.
#[derive(Debug, Clone)]
pub struct Acceptance<'a> {
    /// Findings whose fingerprint it records are accepted; `None`: no baseline.
    pub baseline: Option<&'a Baseline>,
    /// Findings an active waiver targets are accepted; `None`: no waivers file.
    pub waivers: Option<&'a Waivers>,
    /// The day waivers are read on: a waiver applies up to and including its expiry date.
    pub today: Date,
}

/// Fingerprints every item of the report, then marks the findings accepted by an active
/// waiver (first, for its reason) or by the baseline, lists the expired waivers and counts
/// the accepted findings in the summary. `roots` are the paths the scan was given.
pub fn accept(report: &mut Report, roots: &[PathBuf], acceptance: &Acceptance) {
    fingerprint_report(report, roots);
    if let Some(w) = acceptance.waivers {
        report.expired_waivers = w.apply(report, roots, acceptance.today).expired;
    }
    if let Some(b) = acceptance.baseline {
        b.apply(report);
    }
    report.summary.suppressed = findings_mut(report)
        .filter(|f| f.suppression.is_some())
        .count();
}

fn entry(fp: &str, f: &Item, path: &str) -> BaselineEntry {
    BaselineEntry {
        fingerprint: fp.to_string(),
        rule: f.rule.clone(),
        concept: f.concept.clone(),
        path: path.to_string(),
        excerpt: f.excerpt.clone(),
    }
}

/// Every finding of the report, documents then portfolio.
pub fn findings_mut(report: &mut Report) -> impl Iterator<Item = &mut Item> {
    report
        .documents
        .iter_mut()
        .flat_map(|d| d.findings.iter_mut())
        .chain(report.portfolio.iter_mut())
}

/// Lowercase, every run of whitespace one space, trimmed; digits and punctuation kept (a
/// changed delay, "30 jours" to "8 jours", is a different finding).
pub fn normalize_excerpt(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fingerprint of a finding of `rule` (reporting `concept`) in the document at
/// `rel_path` (relative to the scanned folder, `/`-separated), whose excerpt is `excerpt`.
pub fn fingerprint(rule: &str, concept: &str, rel_path: &str, excerpt: Option<&str>) -> String {
    let mut h = Sha256::new();
    // NUL separators: no field can run into the next one.
    for part in [
        rule,
        concept,
        rel_path,
        &normalize_excerpt(excerpt.unwrap_or("")),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(FINGERPRINT_HEX);
    for b in digest.iter().take(FINGERPRINT_HEX / 2) {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Sets the fingerprint of every finding, fact and mitigation of the report; `roots` are
/// the paths the scan was given. Portfolio findings read the relative paths of their
/// documents, joined.
pub fn fingerprint_report(report: &mut Report, roots: &[PathBuf]) {
    for d in &mut report.documents {
        let rel = relative_path(Path::new(&d.path), roots);
        for item in d
            .facts
            .iter_mut()
            .chain(d.findings.iter_mut())
            .chain(d.mitigations.iter_mut())
        {
            item.fingerprint = Some(fingerprint_item(item, &rel));
        }
    }
    for item in &mut report.portfolio {
        let rel: Vec<String> = item
            .documents
            .iter()
            .map(|p| relative_path(Path::new(p), roots))
            .collect();
        item.fingerprint = Some(fingerprint_item(item, &rel.join("\n")));
    }
}

fn fingerprint_item(item: &Item, rel: &str) -> String {
    fingerprint(&item.rule, &item.concept, rel, item.excerpt.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_normalization_ignores_case_and_spacing_but_not_digits() {
        assert_eq!(
            normalize_excerpt("  Délai de\n 30   JOURS "),
            "délai de 30 jours"
        );
        let a = fingerprint("r", "c", "a.md", Some("Délai de 30 jours"));
        assert_eq!(
            a,
            fingerprint("r", "c", "a.md", Some("délai  de\n30 jours"))
        );
        assert_ne!(a, fingerprint("r", "c", "a.md", Some("délai de 8 jours")));
        assert_ne!(a, fingerprint("r", "c", "b.md", Some("délai de 30 jours")));
        assert_ne!(a, fingerprint("r2", "c", "a.md", Some("délai de 30 jours")));
        assert_eq!(a.len(), FINGERPRINT_HEX);
    }
}
