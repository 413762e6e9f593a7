//! Finds the documents to analyze under the paths given on the command line, in a
//! deterministic order, honouring `.vigieignore` and surviving symlink loops.

use crate::extract::Format;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What discovery found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Documents to analyze, sorted by path, without duplicates. A path given explicitly on
    /// the command line is always included, whatever its extension.
    pub files: Vec<PathBuf>,
    /// Files skipped because their extension is not a document format (for `--verbose`).
    pub skipped: Vec<PathBuf>,
    /// Problems met while walking (symlink loop, unreadable directory): path and reason.
    /// A path given on the command line that does not exist is NOT here: it is in `files`
    /// so that it ends as a `not_found` document error.
    pub warnings: Vec<(PathBuf, String)>,
}

/// Walks `paths` (files or folders) recursively.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut files = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    let mut warnings = Vec::new();
    for root in paths {
        if !root.is_dir() {
            files.insert(root.clone());
            continue;
        }
        walk(root, &mut files, &mut skipped, &mut warnings);
    }
    warnings.sort();
    Discovered {
        files: dedup_same_file(files),
        skipped: skipped.into_iter().collect(),
        warnings,
    }
}

fn walk(
    root: &Path,
    files: &mut BTreeSet<PathBuf>,
    skipped: &mut BTreeSet<PathBuf>,
    warnings: &mut Vec<(PathBuf, String)>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .follow_links(true)
        .add_custom_ignore_filename(".vigieignore")
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let p = tidy(e.path());
                if Format::from_path(&p).is_some() {
                    files.insert(p);
                } else {
                    skipped.insert(p);
                }
            }
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                warnings.push((path, err.to_string()));
            }
        }
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// "corpus//a.txt" and "corpus/./a.txt" become "corpus/a.txt", so paths sort and compare
/// the same however the folder was typed.
fn tidy(p: &Path) -> PathBuf {
    p.components().collect()
}

/// The same file reached through two arguments (or a symlink) is analyzed once, under
/// the first path in sort order.
fn dedup_same_file(files: BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let mut seen = BTreeSet::new();
    files
        .into_iter()
        .filter(|p| match std::fs::canonicalize(p) {
            Ok(c) => seen.insert(c),
            Err(_) => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(root: &Path, v: &[PathBuf]) -> Vec<String> {
        v.iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn walks_sorted_skips_hidden_and_honours_vigieignore() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        fs::create_dir_all(r.join("b/sub")).unwrap();
        fs::create_dir_all(r.join(".hidden")).unwrap();
        for f in [
            "b/sub/z.md",
            "b/a.txt",
            "a.html",
            ".secret.txt",
            ".hidden/x.txt",
            "draft.txt",
            "keep.txt",
            "image.png",
        ] {
            fs::write(r.join(f), "x").unwrap();
        }
        fs::write(
            r.join(".vigieignore"),
            "draft.txt\n*.txt\n!keep.txt\n!b/a.txt\n",
        )
        .unwrap();
        let found = discover(&[r.to_path_buf()]);
        assert_eq!(
            names(r, &found.files),
            ["a.html", "b/a.txt", "b/sub/z.md", "keep.txt"]
        );
        assert_eq!(names(r, &found.skipped), ["image.png"]);
    }

    #[test]
    fn explicit_files_are_kept_even_missing_or_unsupported() {
        let d = tempfile::tempdir().unwrap();
        let png = d.path().join("x.png");
        fs::write(&png, "x").unwrap();
        let missing = d.path().join("nope.txt");
        let found = discover(&[missing.clone(), png.clone(), png.clone()]);
        assert_eq!(found.files, vec![missing, png]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_end_with_a_warning() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        fs::create_dir_all(r.join("dir")).unwrap();
        fs::write(r.join("dir/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink("..", r.join("dir/loop")).unwrap();
        let found = discover(&[r.to_path_buf()]);
        assert_eq!(names(r, &found.files), ["dir/a.txt"]);
        assert!(!found.warnings.is_empty(), "the loop is reported");
    }

    #[test]
    fn same_folder_twice_is_analyzed_once() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("a.txt"), "x").unwrap();
        let with_slash = PathBuf::from(format!("{}/", d.path().display()));
        let found = discover(&[d.path().to_path_buf(), with_slash]);
        assert_eq!(found.files.len(), 1);
    }
}
