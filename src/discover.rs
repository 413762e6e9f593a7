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
///
/// Paths are tidied ("corpus//a.txt" and "corpus/./a.txt" become "corpus/a.txt") and
/// sorted by their bytes, so the output is the same whatever order the file system lists
/// entries in and however a folder was typed.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut files = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    let mut warnings = BTreeSet::new();
    for root in paths {
        if root.is_dir() {
            walk(root, &mut files, &mut skipped, &mut warnings);
        } else {
            // Missing files too: the caller reports them as `not_found`.
            files.insert(tidy(root));
        }
    }
    Discovered {
        files: dedup_same_file(sorted(files)),
        skipped: sorted(skipped),
        warnings: warnings.into_iter().collect(),
    }
}

fn walk(
    root: &Path,
    files: &mut BTreeSet<PathBuf>,
    skipped: &mut BTreeSet<PathBuf>,
    warnings: &mut BTreeSet<(PathBuf, String)>,
) {
    // No git rules (a contract folder is not a repository, and a .gitignore there was not
    // written with Vigie in mind), nor ignore files from the folders above the root.
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
                warnings.insert((tidy(&path), reason(&err)));
            }
        }
    }
}

/// The path an error is about, looking through the walker's wrappers.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// A sentence without the path (the caller prints it next to the path).
fn reason(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => reason(err),
        ignore::Error::Loop { ancestor, .. } => format!(
            "symbolic link loop (it leads back to {}); not followed",
            ancestor.display()
        ),
        _ => err.to_string(),
    }
}

/// "corpus//a.txt" and "corpus/./a.txt" become "corpus/a.txt", so paths sort and compare
/// the same however the folder was typed.
fn tidy(p: &Path) -> PathBuf {
    p.components().collect()
}

/// By the bytes of the path, not component by component as `PathBuf`'s `Ord` does.
fn sorted(paths: BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = paths.into_iter().collect();
    v.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    v
}

/// The same file reached through two arguments (or a symlink) is analyzed once, under
/// the first path in sort order.
fn dedup_same_file(files: Vec<PathBuf>) -> Vec<PathBuf> {
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

    /// Paths relative to `root`, with '/' separators.
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

    fn touch(root: &Path, files: &[&str]) {
        for f in files {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
    }

    #[test]
    fn walks_nested_folders_sorted_and_skips_hidden() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(
            r,
            &[
                "b/sub/deep/z.md",
                "b/a.txt",
                "a-b.txt",
                "a.html",
                ".secret.txt",
                ".hidden/x.txt",
                "b/.git/notes.txt",
                "image.png",
                "b/sub/table.xlsx",
            ],
        );
        let found = discover(&[r.to_path_buf()]);
        // Byte order: '-' (0x2D) and '.' (0x2E) sort before '/' (0x2F).
        assert_eq!(
            names(r, &found.files),
            ["a-b.txt", "a.html", "b/a.txt", "b/sub/deep/z.md"]
        );
        assert_eq!(names(r, &found.skipped), ["b/sub/table.xlsx", "image.png"]);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    }

    #[test]
    fn honours_vigieignore_patterns_and_negations() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(
            r,
            &[
                "draft.txt",
                "keep.txt",
                "other.txt",
                "a.html",
                "old/x.md",
                "b/a.txt",
                "b/brouillon.md",
                "b/final.md",
            ],
        );
        fs::write(r.join(".vigieignore"), "*.txt\n!keep.txt\nold/\n").unwrap();
        fs::write(r.join("b/.vigieignore"), "brouillon.*\n!a.txt\n").unwrap();
        let found = discover(&[r.to_path_buf()]);
        assert_eq!(
            names(r, &found.files),
            ["a.html", "b/a.txt", "b/final.md", "keep.txt"]
        );
    }

    #[test]
    fn explicit_files_are_kept_even_missing_or_unsupported() {
        let d = tempfile::tempdir().unwrap();
        let png = d.path().join("x.png");
        fs::write(&png, "x").unwrap();
        let hidden = d.path().join(".cache.txt");
        fs::write(&hidden, "x").unwrap();
        let missing = d.path().join("nope.txt");
        let found = discover(&[missing.clone(), png.clone(), hidden.clone(), png.clone()]);
        assert_eq!(found.files, vec![hidden, missing, png]);
        assert!(found.warnings.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_end_with_a_warning() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(r, &["dir/a.txt"]);
        std::os::unix::fs::symlink("..", r.join("dir/loop")).unwrap();
        let found = discover(&[r.to_path_buf()]);
        assert_eq!(names(r, &found.files), ["dir/a.txt"]);
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
        let (path, why) = &found.warnings[0];
        assert!(path.ends_with("dir/loop"), "{path:?}");
        assert!(why.contains("loop"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folders_are_warnings() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(r, &["ok.txt", "locked/in.txt"]);
        let locked = r.join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let found = discover(&[r.to_path_buf()]);
        let readable = fs::read_dir(&locked).is_ok(); // root reads anything
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            assert_eq!(names(r, &found.files), ["locked/in.txt", "ok.txt"]);
        } else {
            assert_eq!(names(r, &found.files), ["ok.txt"]);
            assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
            assert!(found.warnings[0].0.ends_with("locked"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_files_are_followed_and_counted_once() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(r, &["docs/contrat.txt"]);
        std::os::unix::fs::symlink(r.join("docs/contrat.txt"), r.join("alias.txt")).unwrap();
        let found = discover(&[r.to_path_buf()]);
        assert_eq!(names(r, &found.files), ["alias.txt"]);
    }

    #[test]
    fn same_folder_twice_is_analyzed_once_without_double_slashes() {
        let d = tempfile::tempdir().unwrap();
        touch(d.path(), &["a.txt", "sub/b.md"]);
        let with_slash = PathBuf::from(format!("{}/", d.path().display()));
        let with_two = PathBuf::from(format!("{}//", d.path().display()));
        let file = d.path().join("sub/b.md");
        let found = discover(&[with_two, file, d.path().to_path_buf(), with_slash]);
        assert_eq!(
            found.files,
            [d.path().join("a.txt"), d.path().join("sub/b.md")]
        );
        assert!(found
            .files
            .iter()
            .all(|p| !p.to_string_lossy().contains("//")));
    }

    #[test]
    fn order_does_not_depend_on_argument_order() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(r, &["z/1.txt", "a/2.txt", "m.txt"]);
        let one = discover(&[r.join("z"), r.join("a"), r.join("m.txt")]);
        let two = discover(&[r.join("m.txt"), r.join("a"), r.join("z")]);
        assert_eq!(one, two);
        assert_eq!(names(r, &one.files), ["a/2.txt", "m.txt", "z/1.txt"]);
    }
}
