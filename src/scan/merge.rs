//! Combines the JSON Lines reports of the shards of one scan (`vigie scan --shard K/N`) into
//! the report the unsharded scan would have written.

use crate::assess::portfolio_key;
use crate::model::{Document, ExpiredWaiver, Item, Perspective, Report, Skipped, Tool};
use crate::report;
use std::collections::btree_map::{BTreeMap, Entry};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::PathBuf;

/// Why shard reports cannot be merged; `file` names the report at fault.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A report is not a whole `--format jsonl` report, or does not fit with the others
    /// (another Vigie version, rule packs or perspective; a document in two shards).
    #[error("{file}: {message}")]
    Invalid {
        /// The report, as named to the merge, with `:LINE` when one line is at fault.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A report cannot be opened or read.
    #[error("{file}: {error}")]
    Io {
        /// The report, as named to the merge.
        file: String,
        /// Why it cannot be read.
        error: std::io::Error,
    },
    /// No report was given.
    #[error("no shard report given")]
    Empty,
}

/// What one shard report holds.
struct Shard {
    documents: Vec<Document>,
    tool: Tool,
    perspective: Perspective,
    portfolio: Vec<Item>,
    expired_waivers: Vec<ExpiredWaiver>,
    skipped: Vec<Skipped>,
}

/// Merges the shard reports in `files`.
pub fn merge_files(files: &[PathBuf]) -> Result<Report, MergeError> {
    let mut inputs: Vec<(String, Box<dyn BufRead>)> = Vec::new();
    for f in files {
        let name = f.display().to_string();
        match std::fs::File::open(f) {
            Ok(file) => inputs.push((name, Box::new(std::io::BufReader::new(file)))),
            Err(error) => return Err(MergeError::Io { file: name, error }),
        }
    }
    merge_jsonl(inputs)
}

/// Merges shard reports, each given as (name for messages, JSON Lines reader).
pub fn merge_jsonl(inputs: Vec<(String, Box<dyn BufRead>)>) -> Result<Report, MergeError> {
    let mut documents = Vec::new();
    let mut portfolio = Vec::new();
    let mut head: Option<(Tool, Perspective)> = None;
    let mut seen = HashSet::new();
    let mut expired = Vec::new();
    let mut skipped = Vec::new();
    for (name, reader) in inputs {
        let shard = read_shard(&name, reader)?;
        let invalid = |message: String| MergeError::Invalid {
            file: name.clone(),
            message,
        };
        match &head {
            None => head = Some((shard.tool.clone(), shard.perspective)),
            Some((tool, perspective)) => {
                if *tool != shard.tool || *perspective != shard.perspective {
                    return Err(invalid(
                        "written by another Vigie version, rule packs or perspective than the first report".into(),
                    ));
                }
            }
        }
        for d in &shard.documents {
            if !seen.insert(d.path.clone()) {
                return Err(invalid(format!(
                    "{} is in two reports (shards overlap, or a report is given twice)",
                    d.path
                )));
            }
        }
        documents.extend(shard.documents);
        portfolio.extend(shard.portfolio);
        expired.extend(shard.expired_waivers);
        skipped.extend(shard.skipped);
    }
    let (tool, perspective) = head.ok_or(MergeError::Empty)?;
    // A folder lives in one shard with its items in order; only the folders need ordering,
    // as the unsharded scan orders them (stable sort keeps each folder's own order).
    portfolio.sort_by(|a: &Item, b: &Item| folder_of(a).cmp(folder_of(b)));
    let mut merged = report::build(documents, portfolio, perspective, &tool.rules_version);
    merged.tool = tool;
    merged.expired_waivers = merge_expired(expired);
    // Each shard lists the skipped paths of its own folders.
    skipped.sort();
    skipped.dedup();
    report::add_skipped(&mut merged, &skipped);
    // Counted as `baseline::accept` counts them: each finding carries its suppression.
    merged.summary.suppressed = crate::report::baseline::findings_mut(&mut merged)
        .filter(|f| f.suppression.is_some())
        .count();
    Ok(merged)
}

/// Every shard read the same waiver file, so each lists every expired waiver with the
/// findings of its own documents: one entry per waiver (file, line), findings summed, in
/// file order as the unsharded scan lists them.
fn merge_expired(all: Vec<ExpiredWaiver>) -> Vec<ExpiredWaiver> {
    let mut by_entry: BTreeMap<(String, usize), ExpiredWaiver> = BTreeMap::new();
    for w in all {
        match by_entry.entry((w.file.clone(), w.line)) {
            Entry::Occupied(mut e) => e.get_mut().findings += w.findings,
            Entry::Vacant(e) => {
                e.insert(w);
            }
        }
    }
    by_entry.into_values().collect()
}

fn folder_of(item: &Item) -> &str {
    item.documents.first().map_or("", |d| portfolio_key(d))
}

fn read_shard(name: &str, reader: Box<dyn BufRead>) -> Result<Shard, MergeError> {
    let invalid = |line: usize, message: String| MergeError::Invalid {
        file: format!("{name}:{line}"),
        message,
    };
    let mut documents = Vec::new();
    let mut tail = None;
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|error| MergeError::Io {
            file: name.to_string(),
            error,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let mut v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| invalid(i + 1, format!("not a JSON line ({e})")))?;
        let record = v
            .as_object_mut()
            .and_then(|o| o.remove("record"))
            .and_then(|r| r.as_str().map(str::to_string));
        match record.as_deref() {
            Some("document") => documents.push(
                serde_json::from_value(v)
                    .map_err(|e| invalid(i + 1, format!("not a report document ({e})")))?,
            ),
            Some("summary") => tail = Some((i + 1, v)),
            _ => {
                return Err(invalid(
                    i + 1,
                    "no \"record\": this is not a `--format jsonl` report".into(),
                ))
            }
        }
    }
    let Some((line, mut v)) = tail else {
        return Err(MergeError::Invalid {
            file: name.to_string(),
            message: "no summary line: the report is incomplete (was the scan stopped?)".into(),
        });
    };
    let mut take = |field: &str| v.get_mut(field).map(serde_json::Value::take);
    let parse_err = |e: serde_json::Error| invalid(line, format!("bad summary line ({e})"));
    Ok(Shard {
        documents,
        tool: serde_json::from_value(take("tool").unwrap_or_default()).map_err(parse_err)?,
        perspective: serde_json::from_value(take("perspective").unwrap_or_default())
            .map_err(parse_err)?,
        portfolio: serde_json::from_value(take("portfolio").unwrap_or_default())
            .map_err(parse_err)?,
        // Absent when no waiver expired.
        expired_waivers: match take("expired_waivers") {
            Some(v) => serde_json::from_value(v).map_err(parse_err)?,
            None => Vec::new(),
        },
        // Absent when the walk skipped nothing (and in reports of earlier versions).
        skipped: match take("skipped") {
            Some(v) => serde_json::from_value(v).map_err(parse_err)?,
            None => Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExpiredWaiver;

    fn expired(file: &str, line: usize, findings: usize) -> ExpiredWaiver {
        ExpiredWaiver {
            file: file.into(),
            line,
            fingerprint: None,
            rule: Some("fm.cyber_included".into()),
            path: Some("**".into()),
            reason: "r".into(),
            author: "a".into(),
            expires: "2026-01-31".into(),
            findings,
        }
    }

    #[test]
    fn expired_waivers_of_the_shards_merge_once_each_in_file_order() {
        let merged = merge_expired(vec![
            expired("w.toml", 8, 1),
            expired("w.toml", 1, 0),
            expired("w.toml", 1, 2),
            expired("w.toml", 8, 3),
        ]);
        let got: Vec<(usize, usize)> = merged.iter().map(|w| (w.line, w.findings)).collect();
        assert_eq!(got, [(1, 2), (8, 4)]);
    }

    #[test]
    fn a_missing_shard_report_is_named() {
        let err = merge_files(&[PathBuf::from("no/such/shard.jsonl")]).unwrap_err();
        assert!(
            err.to_string().starts_with("no/such/shard.jsonl: "),
            "{err}"
        );
        assert!(matches!(merge_files(&[]), Err(MergeError::Empty)));
    }
}
