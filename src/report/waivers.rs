//! Waivers: findings a named person accepted, for a stated reason, until a date. Unlike a
//! baseline, a waiver expires, and an expired waiver is reported instead of hiding anything.
//!
//! ```toml
//! [[waiver]]
//! rule = "fm.cyber_included"          # a rule id or a concept id
//! path = "client-a/**"                # glob on the path relative to the scanned folder
//! reason = "Renegotiated in the 2026 amendment"
//! author = "j.martin"
//! expires = 2027-01-31
//!
//! [[waiver]]
//! fingerprint = "3f2a9c0d1e4b5a67"    # or one finding exactly
//! reason = "..."
//! author = "..."
//! expires = 2026-12-31
//! ```

use crate::model::{ExpiredWaiver, Item, Report, Suppression};
use crate::report::names::relative_path;
use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a waiver file cannot be used; `path` is the file as it was named to the loader.
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// The file cannot be read.
    #[error("cannot read {path}")]
    Io {
        /// The waiver file.
        path: String,
        /// Why reading it failed.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or an entry is malformed (unknown field, missing
    /// reason, author or expiry, bad glob or date).
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The waiver file.
        path: String,
        /// Line of the error (for an entry, of its `[[waiver]]`), from 1.
        line: usize,
        /// What is wrong, on one line.
        message: String,
    },
}

/// A civil date (proleptic Gregorian), ordered as dates are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, a day that exists.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }

    /// Today in UTC, from the system clock. UTC rather than local time: no time-zone
    /// database needed, and a waiver lasts at most a few hours more or less.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What a waiver accepts.
#[derive(Debug, Clone)]
enum Target {
    /// One finding.
    Fingerprint(String),
    /// Every finding of a rule (or concept) in the documents whose relative path matches.
    Rule {
        rule: String,
        path: String,
        glob: GlobMatcher,
    },
}

#[derive(Debug, Clone)]
struct Waiver {
    /// Line of the `[[waiver]]` entry in its file.
    line: usize,
    target: Target,
    reason: String,
    author: String,
    /// Last day the waiver hides its findings.
    expires: Date,
}

impl Waiver {
    fn matches(&self, item: &Item, rel_paths: &[String]) -> bool {
        match &self.target {
            Target::Fingerprint(fp) => item.fingerprint.as_deref() == Some(fp.as_str()),
            Target::Rule { rule, glob, .. } => {
                (item.rule == *rule || item.concept == *rule)
                    && rel_paths.iter().any(|p| glob.is_match(p))
            }
        }
    }

    fn expired(&self, today: Date) -> bool {
        today > self.expires
    }
}

/// The waivers of one file.
#[derive(Debug, Clone)]
pub struct Waivers {
    /// The file, as named in messages.
    pub file: String,
    entries: Vec<Waiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waiver: Vec<toml::Spanned<RawWaiver>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    fingerprint: Option<String>,
    rule: Option<String>,
    path: Option<String>,
    reason: Option<String>,
    author: Option<String>,
    expires: Option<toml::Value>,
}

impl Waivers {
    /// Reads and parses a waiver file (see [`Waivers::parse`]).
    pub fn load(path: &Path) -> Result<Waivers, WaiverError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| WaiverError::Io {
            path: name.clone(),
            source,
        })?;
        Waivers::parse(&text, &name)
    }

    /// Parses the TOML text of a waiver file; `name` is the file named in errors.
    pub fn parse(text: &str, name: &str) -> Result<Waivers, WaiverError> {
        let invalid = |offset: usize, message: String| WaiverError::Invalid {
            path: name.to_string(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            invalid(at, e.message().trim().replace('\n', "; "))
        })?;
        let entries = raw
            .waiver
            .into_iter()
            .map(|w| {
                let at = w.span().start;
                validate(w.into_inner())
                    .map(|mut v| {
                        v.line = line_of(text, at);
                        v
                    })
                    .map_err(|m| invalid(at, m))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Waivers {
            file: name.to_string(),
            entries,
        })
    }

    /// Accepts the findings matched by an active waiver (the first in file order) and
    /// returns the expired waivers, each with the number of findings it would hide.
    /// `roots` are the paths the scan was given, as for fingerprints.
    pub fn apply(&self, report: &mut Report, roots: &[PathBuf], today: Date) -> ApplyOutcome {
        let mut outcome = ApplyOutcome::default();
        let mut expired_hits = vec![0usize; self.entries.len()];
        for d in &mut report.documents {
            let rel = [relative_path(Path::new(&d.path), roots)];
            for item in &mut d.findings {
                self.accept(item, &rel, today, &mut expired_hits, &mut outcome);
            }
        }
        for item in &mut report.portfolio {
            let rel: Vec<String> = item
                .documents
                .iter()
                .map(|p| relative_path(Path::new(p), roots))
                .collect();
            self.accept(item, &rel, today, &mut expired_hits, &mut outcome);
        }
        outcome.expired = self
            .entries
            .iter()
            .zip(expired_hits)
            .filter(|(w, _)| w.expired(today))
            .map(|(w, findings)| self.expired_entry(w, findings))
            .collect();
        outcome
    }

    /// Marks `item` with the first active waiver that matches it (unless a baseline or waiver
    /// already did) and counts it against every expired waiver that matches it.
    fn accept(
        &self,
        item: &mut Item,
        rel_paths: &[String],
        today: Date,
        expired_hits: &mut [usize],
        outcome: &mut ApplyOutcome,
    ) {
        for (i, w) in self.entries.iter().enumerate() {
            if !w.matches(item, rel_paths) {
                continue;
            }
            if w.expired(today) {
                expired_hits[i] += 1;
            } else if item.suppression.is_none() {
                item.suppression = Some(Suppression {
                    kind: "waiver".into(),
                    reason: Some(w.reason.clone()),
                    author: Some(w.author.clone()),
                    expires: Some(w.expires.to_string()),
                });
                outcome.suppressed += 1;
            }
        }
    }

    fn expired_entry(&self, w: &Waiver, findings: usize) -> ExpiredWaiver {
        let (fingerprint, rule, path) = match &w.target {
            Target::Fingerprint(fp) => (Some(fp.clone()), None, None),
            Target::Rule { rule, path, .. } => (None, Some(rule.clone()), Some(path.clone())),
        };
        ExpiredWaiver {
            file: self.file.clone(),
            line: w.line,
            fingerprint,
            rule,
            path,
            reason: w.reason.clone(),
            author: w.author.clone(),
            expires: w.expires.to_string(),
            findings,
        }
    }
}

/// What applying waivers did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyOutcome {
    /// Findings newly accepted by an active waiver.
    pub suppressed: usize,
    /// Waivers past their date, in file order.
    pub expired: Vec<ExpiredWaiver>,
}

fn validate(w: RawWaiver) -> Result<Waiver, String> {
    let target = match (w.fingerprint, w.rule, w.path) {
        (Some(fp), None, None) => Target::Fingerprint(fp.trim().to_lowercase()),
        (Some(_), _, _) => {
            return Err(
                "a waiver names either a `fingerprint` or a `rule` and a `path`, not both".into(),
            )
        }
        (None, Some(rule), Some(path)) => {
            // `*` stays within one folder; `**` crosses folders, as in .gitignore.
            let glob = GlobBuilder::new(&path)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad path glob `{path}`: {}", e.kind()))?
                .compile_matcher();
            Target::Rule { rule, path, glob }
        }
        (None, Some(_), None) => {
            return Err("a `rule` waiver needs a `path` glob (\"**\" for every document)".into())
        }
        (None, None, _) => {
            return Err("a waiver needs a `fingerprint`, or a `rule` and a `path`".into())
        }
    };
    let reason = required(w.reason, "reason")?;
    let author = required(w.author, "author")?;
    let expires = match w.expires {
        None => return Err("a waiver needs `expires = YYYY-MM-DD`".into()),
        Some(v) => expiry(&v)?,
    };
    Ok(Waiver {
        line: 0,
        target,
        reason,
        author,
        expires,
    })
}

fn required(v: Option<String>, field: &str) -> Result<String, String> {
    match v {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(format!("a waiver needs a non-empty `{field}`")),
    }
}

/// A TOML date (`2027-01-31`) or the same written as a string.
fn expiry(v: &toml::Value) -> Result<Date, String> {
    let text = match v {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Date::parse(&text).ok_or_else(|| format!("`expires` must be a date YYYY-MM-DD, not {text}"))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_from_the_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_454).to_string(),
            "2026-01-01"
        );
        assert_eq!(Date::from_days_since_epoch(-1).to_string(), "1969-12-31");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("27-01-31").is_none());
    }

    #[test]
    fn errors_name_the_line() {
        let text = "[[waiver]]\nrule = \"r\"\npath = \"**\"\nreason = \"x\"\nauthor = \"y\"\nexpires = 2027-01-31\n\n[[waiver]]\nrule = \"r\"\nreason = \"x\"\nauthor = \"y\"\nexpires = 2027-01-31\n";
        let err = Waivers::parse(text, "w.toml").unwrap_err().to_string();
        assert!(err.starts_with("w.toml:8: "), "{err}");
        assert!(err.contains("path"), "{err}");
        let err = Waivers::parse("[[waiver]]\nrule = \"r\"\npath = \"**\"\nreason = \"x\"\nauthor = \"y\"\nexpires = 2027-13-31\n", "w.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("w.toml:"), "{err}");
        let err = Waivers::parse("[[waiver]]\nrule = \"r\"\nbogus = 1\n", "w.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("w.toml:3: "), "{err}");
    }

    #[test]
    fn a_waiver_lasts_through_its_expiry_day() {
        let w = Waivers::parse(
            "[[waiver]]\nfingerprint = \"AB\"\nreason = \"x\"\nauthor = \"y\"\nexpires = \"2027-01-31\"\n",
            "w.toml",
        )
        .unwrap();
        let w = &w.entries[0];
        assert!(!w.expired(Date::parse("2027-01-31").unwrap()));
        assert!(w.expired(Date::parse("2027-02-01").unwrap()));
        assert!(matches!(&w.target, Target::Fingerprint(f) if f == "ab"));
    }
}
