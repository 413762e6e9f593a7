//! Keeps each document's analysis on disk, keyed by everything that decides it (content
//! hash, format, Vigie build, rule packs, options), so a re-scan of an unchanged folder
//! skips extraction and matching; an entry that does not read back whole is ignored.

use crate::extract::Format;
use crate::model::Document;
use crate::rules::Pack;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A cache folder. Writes are atomic (temporary file, then rename); failures to write are
/// ignored because the cache only ever saves time.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    /// Identifies the build of the analyzer (the binary sets it from its own file), so a
    /// rebuilt extractor never reads an older build's results.
    build: String,
}

/// Could not prepare the cache folder.
#[derive(Debug, thiserror::Error)]
#[error("cache folder {path}: {source}")]
pub struct CacheError {
    path: PathBuf,
    source: std::io::Error,
}

/// Identifies the build of the executable `exe` for [`Cache::open`] by its size and time,
/// so a rebuilt extractor never reuses an older build's analyses; empty when unreadable.
pub fn build_id(exe: &Path) -> String {
    match std::fs::metadata(exe) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{mtime}", m.len())
        }
        Err(_) => String::new(),
    }
}

impl Cache {
    /// Opens (creating it if needed) the cache folder `dir` for the analyzer build `build`.
    pub fn open(dir: &Path, build: &str) -> Result<Cache, CacheError> {
        std::fs::create_dir_all(dir).map_err(|source| CacheError {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            build: build.to_string(),
        })
    }

    /// The entry name of a file with content hash `sha256` read as `format` under the
    /// analysis settings `settings` (the caller's own description of what decides it).
    pub fn key(&self, sha256: &str, format: Format, pack: &Pack, settings: &str) -> String {
        let material = format!(
            "{sha256}\n{}\n{}\n{}\n{}\n{settings}",
            format.as_str(),
            env!("CARGO_PKG_VERSION"),
            self.build,
            pack.version,
        );
        Sha256::digest(material.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The stored analysis under `key`, renamed to `display`; `None` when absent or when the
    /// entry is damaged (it is then overwritten by the next analysis).
    pub fn get(&self, key: &str, sha256: &str, display: &str) -> Option<Document> {
        let bytes = std::fs::read(self.entry(key)).ok()?;
        let mut doc: Document = serde_json::from_slice(&bytes).ok()?;
        // A valid-looking entry of another file's content is as wrong as a torn one.
        if doc.sha256 != sha256 {
            return None;
        }
        doc.path = display.to_string();
        Some(doc)
    }

    /// Stores `doc` under `key`.
    pub fn put(&self, key: &str, doc: &Document) {
        let _ = self.try_put(key, doc);
    }

    fn try_put(&self, key: &str, doc: &Document) -> std::io::Result<()> {
        let path = self.entry(key);
        let dir = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(dir)?;
        // One temporary name per process and thread: two threads may store the same content.
        let tmp = dir.join(format!(
            ".{key}.{}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        let write = || -> std::io::Result<()> {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            serde_json::to_writer(&mut f, doc)?;
            // No fsync: after a power loss a torn entry fails to parse and is ignored.
            f.flush()
        };
        let result = write().and_then(|_| std::fs::rename(&tmp, &path));
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_id_changes_with_the_executable_and_is_empty_without_one() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("vigie");
        std::fs::write(&exe, b"build one").unwrap();
        let one = build_id(&exe);
        assert!(one.starts_with("9-"), "{one}");
        std::fs::write(&exe, b"build number two").unwrap();
        let two = build_id(&exe);
        assert_ne!(one, two);
        assert_eq!(build_id(&dir.path().join("missing")), "");
    }
}
