//! Runs a scan a bounded batch of documents at a time, in sorted path order, handing each
//! document to the caller as soon as it is analyzed and each folder's portfolio checks as
//! soon as the folder is complete, so a report can stream with memory that does not grow
//! with the number of documents. Also: stopping on request, and sharing a scan between
//! machines by client folder.

pub mod budget;
pub mod cache;
pub mod limits;
pub mod merge;

use crate::analyze::{analyze_file_cancellable, guarded, AnalyzeOptions};
use crate::assess::{self, PortfolioMode, PortfolioOptions};
use crate::model::{Document, Item};
use crate::rules::Pack;
use crate::scan::cache::Cache;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// How to run a scan.
pub struct ScanOptions<'a> {
    /// How each document is analyzed.
    pub analyze: &'a AnalyzeOptions,
    /// How each folder's cross-document checks run (or that none do).
    pub portfolio: PortfolioOptions,
    /// Documents dispatched ahead of the next one to hand over (at least the number of
    /// threads); with the open folders, this bounds what is held in memory.
    pub window: usize,
    /// Where analyses are read from and saved to, so an unchanged document is not
    /// analyzed again; `None`: every document is analyzed.
    pub cache: Option<&'a Cache>,
}

/// Where a scan hands its results.
pub trait Sink {
    /// What stops the scan when a document or portfolio item cannot be handed over.
    type Error;
    /// Each document, in path order.
    fn document(&mut self, doc: &Document) -> Result<(), Self::Error>;
    /// The portfolio items of one or more complete folders, in the order of
    /// [`assess::assess_portfolios`].
    fn portfolio(&mut self, items: &[Item]) -> Result<(), Self::Error>;
}

/// Analyzes `files` on `pool` and hands each document and each folder's portfolio items to
/// `sink` as soon as they are ready. Once `cancel` is raised, no new document is started
/// and every remaining one is handed over as an error of kind `interrupted`, so a partial
/// report never shows an unread document as clean. The first error of `sink` stops the scan.
pub fn run<S: Sink>(
    files: &[PathBuf],
    pack: &Pack,
    opts: &ScanOptions,
    pool: &rayon::ThreadPool,
    cancel: &AtomicBool,
    sink: &mut S,
) -> Result<(), S::Error> {
    // The report's order: by the path as written (not discovery's byte order, which a
    // lossy conversion may change).
    let mut named: Vec<(String, &PathBuf)> = files.iter().map(|p| (display(p), p)).collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let mut open = OpenFolders::new(named.iter().map(|(n, _)| n.as_str()), opts.portfolio);
    let window = opts.window.max(pool.current_num_threads());
    // Documents are analyzed on the pool in any order and handed over here, on the calling
    // thread, in path order: no batch waits for its slowest document, and writing the
    // report overlaps the analysis.
    pool.in_place_scope_fifo(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Document)>();
        let mut dispatched = 0;
        let mut arrived: BTreeMap<usize, Document> = BTreeMap::new();
        for next in 0..named.len() {
            while dispatched < named.len() && dispatched < next + window {
                let (name, path) = &named[dispatched];
                let (tx, i) = (tx.clone(), dispatched);
                scope.spawn_fifo(move |_| {
                    // A panic must still answer, or the hand-over below would wait forever.
                    let d = guarded(name, "", None, || {
                        Ok(analyze_file_cancellable(
                            path,
                            name,
                            pack,
                            opts.analyze,
                            cancel,
                            opts.cache,
                        ))
                    });
                    // The receiver is gone only when the sink failed: nothing to report to.
                    let _ = tx.send((i, d));
                });
                dispatched += 1;
            }
            let doc = loop {
                if let Some(d) = arrived.remove(&next) {
                    break Some(d);
                }
                // `tx` lives until the end of this loop, so the channel cannot close early.
                match rx.recv() {
                    Ok((i, d)) => {
                        arrived.insert(i, d);
                    }
                    Err(_) => break None,
                }
            };
            let Some(doc) = doc else { break };
            sink.document(&doc)?;
            open.add(doc, pack);
            let ready = open.ready();
            if !ready.is_empty() {
                sink.portfolio(&ready)?;
            }
        }
        Ok(())
    })
}

/// The path written in the report for `p`: every byte kept (see [`crate::report::names`]).
pub fn display(p: &std::path::Path) -> String {
    crate::report::names::lossless(p)
}

/// Documents of the folders not yet complete, and the portfolio items of complete folders
/// waiting for a folder sorted before them.
struct OpenFolders {
    options: PortfolioOptions,
    remaining: HashMap<String, usize>,
    incomplete: BTreeSet<String>,
    held: HashMap<String, Vec<Document>>,
    done: BTreeMap<String, Vec<Item>>,
}

impl OpenFolders {
    fn new<'n>(names: impl Iterator<Item = &'n str>, options: PortfolioOptions) -> Self {
        let mut remaining = HashMap::new();
        if options.mode != PortfolioMode::None {
            for n in names {
                *remaining
                    .entry(assess::portfolio_key(n).to_string())
                    .or_insert(0) += 1;
            }
        }
        OpenFolders {
            options,
            incomplete: remaining.keys().cloned().collect(),
            remaining,
            held: HashMap::new(),
            done: BTreeMap::new(),
        }
    }

    fn add(&mut self, doc: Document, pack: &Pack) {
        if self.options.mode == PortfolioMode::None {
            return;
        }
        let key = assess::portfolio_key(&doc.path).to_string();
        let left = self.remaining.get_mut(&key).map(|n| {
            *n -= 1;
            *n
        });
        self.held.entry(key.clone()).or_default().push(doc);
        if left == Some(0) {
            let docs = self.held.remove(&key).unwrap_or_default();
            let refs: Vec<&Document> = docs.iter().collect();
            let items = assess::assess_folder(&refs, pack, &self.options);
            self.incomplete.remove(&key);
            self.done.insert(key, items);
        }
    }

    /// The items of complete folders sorted before every incomplete one. Folders do not
    /// complete in key order ("a.b/x" sorts before "a/y", but folder "a" before "a.b").
    fn ready(&mut self) -> Vec<Item> {
        let mut out = Vec::new();
        while let Some(entry) = self.done.first_entry() {
            if self
                .incomplete
                .first()
                .is_some_and(|open| open.as_str() < entry.key().as_str())
            {
                break;
            }
            out.extend(entry.remove());
        }
        out
    }
}

/// One share of a scan: the client folders whose path hashes to `index` modulo `count`
/// (1-based `index`), so a folder's portfolio checks always run on one machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A `--shard` value that is not `K/N` with 1 ≤ K ≤ N.
#[derive(Debug, thiserror::Error)]
#[error("invalid shard `{0}`: expected K/N with 1 <= K <= N (e.g. 1/4)")]
pub struct ShardError(pub String);

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the document at report path `path` belongs to this shard.
    pub fn contains(&self, path: &str) -> bool {
        // sha256 rather than std's hasher: the share must be the same on every machine and
        // with every Rust version.
        let digest = Sha256::digest(assess::portfolio_key(path).as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The files of `files` in this shard.
    pub fn select(&self, files: Vec<PathBuf>) -> Vec<PathBuf> {
        files
            .into_iter()
            .filter(|p| self.contains(&display(p)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(concept: &str) -> Item {
        Item {
            concept: concept.into(),
            rule: String::new(),
            kind: crate::model::Kind::Finding,
            severity: None,
            value: None,
            value_note: None,
            location: None,
            excerpt: None,
            message: String::new(),
            references: Vec::new(),
            recommendation: None,
            documents: Vec::new(),
            fingerprint: None,
            suppression: None,
            severity_by_perspective: None,
            evidence: None,
        }
    }

    #[test]
    fn folder_items_are_released_in_folder_order_not_completion_order() {
        let options = PortfolioOptions {
            mode: PortfolioMode::Folder,
            perspective: crate::model::Perspective::Client,
            report_language: crate::model::Language::En,
        };
        // Path order puts "a.b/x" before "a/y", folder order puts "a" before "a.b".
        let mut open = OpenFolders::new(["a.b/x.md", "a/y.md"].into_iter(), options);
        open.incomplete.remove("a.b");
        open.done.insert("a.b".into(), vec![item("second")]);
        assert!(open.ready().is_empty(), "a.b released before a");
        open.incomplete.remove("a");
        open.done.insert("a".into(), vec![item("first")]);
        let order: Vec<String> = open.ready().into_iter().map(|i| i.concept).collect();
        assert_eq!(order, ["first", "second"]);
    }

    #[test]
    fn shard_parses_k_of_n_and_rejects_the_rest() {
        let s: Shard = "2/3".parse().unwrap();
        assert_eq!((s.index, s.count), (2, 3));
        for bad in ["0/2", "3/2", "1", "a/2", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_split_by_folder_and_cover_every_file_once() {
        let files: Vec<PathBuf> = (0..40)
            .flat_map(|i| (0..3).map(move |j| PathBuf::from(format!("c{i}/d{j}.md"))))
            .collect();
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
        for f in &files {
            let owners = shards.iter().filter(|s| s.contains(&display(f))).count();
            assert_eq!(owners, 1, "{}", f.display());
        }
        for s in &shards {
            let mine = s.select(files.clone());
            assert!(!mine.is_empty(), "shard {} is empty", s.index);
            // Whole folders: a folder is either fully in or fully out.
            for f in &mine {
                let folder = assess::portfolio_key(f.to_str().unwrap());
                let all = files
                    .iter()
                    .filter(|g| assess::portfolio_key(g.to_str().unwrap()) == folder)
                    .count();
                let here = mine
                    .iter()
                    .filter(|g| assess::portfolio_key(g.to_str().unwrap()) == folder)
                    .count();
                assert_eq!(all, here, "{folder}");
            }
        }
    }
}
