//! Finds the documents to analyze under the paths given on the command line, in a
//! deterministic order, honouring `.vigieignore` and surviving symlink loops.

use crate::extract::Format;
pub use crate::model::{SkipReason, Skipped};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What discovery found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Documents to analyze, sorted by path, without duplicates. A path given explicitly on
    /// the command line is always included, whatever its extension.
    pub files: Vec<PathBuf>,
    /// Every other path the walk met, with the reason it is not analyzed, sorted by path.
    pub skipped: Vec<Skip>,
    /// Problems met while walking that are about no path the walk met (an invalid
    /// `.vigieignore` line): path and reason. A path given on the command line that does
    /// not exist is NOT here: it is in `files` so that it ends as a `not_found` document
    /// error.
    pub warnings: Vec<(PathBuf, String)>,
}

/// A path met and not analyzed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skip {
    /// The path as the walk met it (a path given, or one under it joined to it), tidied
    /// as [`discover`] says.
    pub path: PathBuf,
    /// Why it is not analyzed.
    pub reason: SkipReason,
    /// The system's words, if any.
    pub message: Option<String>,
}

impl Skip {
    /// The entry of the report's `skipped` list.
    pub fn to_report(&self) -> Skipped {
        Skipped {
            path: crate::scan::display(&self.path),
            reason: self.reason,
            message: self.message.clone(),
        }
    }
}

/// Walks `paths` (files or folders) recursively.
///
/// Paths are tidied ("corpus//a.txt" and "corpus/./a.txt" become "corpus/a.txt") and
/// sorted by their bytes, so the output is the same whatever order the file system lists
/// entries in and however a folder was typed.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Found::default();
    for root in paths {
        if root.is_dir() {
            walk(root, &mut found);
        } else {
            // Missing files too: the caller reports them as `not_found`.
            found.files.insert(tidy(root));
        }
    }
    let (files, twins) = dedup_same_file(sorted(found.files));
    let kept: HashSet<&PathBuf> = files.iter().collect();
    let mut skipped: Vec<Skip> = found
        .skipped
        .into_iter()
        .chain(twins)
        .filter(|(p, _)| !kept.contains(p))
        .map(|(path, (reason, message))| Skip {
            path,
            reason,
            message,
        })
        .collect();
    skipped.sort_by(|a, b| bytes(&a.path).cmp(bytes(&b.path)));
    Discovered {
        files,
        skipped,
        warnings: found.warnings.into_iter().collect(),
    }
}

/// What the walks collect.
#[derive(Default)]
struct Found {
    files: BTreeSet<PathBuf>,
    skipped: BTreeMap<PathBuf, (SkipReason, Option<String>)>,
    warnings: BTreeSet<(PathBuf, String)>,
}

impl Found {
    fn skip(&mut self, path: PathBuf, reason: SkipReason, message: Option<String>) {
        self.skipped.entry(path).or_insert((reason, message));
    }
}

fn walk(root: &Path, found: &mut Found) {
    // Hidden entries are recorded here rather than silently dropped by the walker, and a
    // hidden folder is listed once, not descended into.
    let hidden = Arc::new(Mutex::new(Vec::new()));
    let seen_hidden = Arc::clone(&hidden);
    // No git rules (a contract folder is not a repository, and a .gitignore there was not
    // written with Vigie in mind), nor ignore files from the folders above the root.
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(false)
        .follow_links(true)
        .add_custom_ignore_filename(IGNORE_FILE)
        .filter_entry(move |e| {
            let is_hidden = e.depth() > 0 && e.file_name().as_encoded_bytes().starts_with(b".");
            if is_hidden {
                if let Ok(mut h) = seen_hidden.lock() {
                    h.push(e.path().to_path_buf());
                }
            }
            !is_hidden
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) => entry_met(&e, found),
            Err(err) => error_met(root, &err, found),
        }
    }
    let hidden = std::mem::take(&mut *hidden.lock().unwrap_or_else(|e| e.into_inner()));
    let has_ignore_file = hidden
        .iter()
        .any(|p| p.file_name() == Some(IGNORE_FILE.as_ref()));
    for p in hidden {
        found.skip(tidy(&p), SkipReason::Hidden, None);
    }
    if has_ignore_file {
        ignored(root, found);
    }
}

const IGNORE_FILE: &str = ".vigieignore";

fn entry_met(e: &ignore::DirEntry, found: &mut Found) {
    let Some(t) = e.file_type() else { return };
    if t.is_dir() {
        return;
    }
    let p = tidy(e.path());
    let format = Format::from_path(&p);
    // Only a text format can hold a report Vigie wrote; PDFs and archives are not opened.
    let textual = matches!(
        format,
        Some(Format::Txt | Format::Md | Format::Rst | Format::Html)
    );
    if !t.is_file() {
        found.skip(p, SkipReason::NotARegularFile, None);
    } else if format.is_none() {
        found.skip(p, SkipReason::NotADocument, None);
    } else if textual && is_vigie_report(&p) {
        found.skip(p, SkipReason::VigieReport, None);
    } else {
        found.files.insert(p);
    }
}

fn error_met(root: &Path, err: &ignore::Error, found: &mut Found) {
    let path = tidy(&error_path(err).unwrap_or_else(|| root.to_path_buf()));
    let message = Some(reason(err));
    if is_loop(err) {
        found.skip(path, SkipReason::LinkLoop, message);
    } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(&path).is_err()
    {
        found.skip(path, SkipReason::DanglingLink, message);
    } else if path.is_dir() {
        found.skip(path, SkipReason::UnreadableFolder, message);
    } else if let Some(m) = message {
        found.warnings.insert((path, m));
    }
}

/// Walks `root` again without `.vigieignore`: what this walk meets and the first did not
/// is ignored (hidden folders stay unvisited; they are listed already).
fn ignored(root: &Path, found: &mut Found) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .follow_links(true)
        .build();
    for e in walker.flatten() {
        if e.file_type().is_some_and(|t| t.is_dir()) {
            continue;
        }
        let p = tidy(e.path());
        if !found.files.contains(&p) && !found.skipped.contains_key(&p) {
            found.skip(p, SkipReason::Ignored, None);
        }
    }
}

/// Whether the file is a report Vigie wrote (a scan's output left in the scanned folder):
/// its first bytes carry the marks of the HTML, Markdown, JSON (or SARIF) or CSV report,
/// whatever its extension (`report.txt`).
fn is_vigie_report(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.starts_with("# Vigie report\n")
        || head.starts_with("# Rapport Vigie\n")
        || (head.starts_with("<!DOCTYPE html>") && head.contains("<title>Vigie report</title>"))
        || (head.starts_with('{')
            && (head.contains("\"name\": \"vigie\"") || head.contains("\"name\":\"vigie\"")))
        || head.starts_with("path,doc_type,concept,rule,severity,perspective,")
}

fn is_loop(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        _ => false,
    }
}

fn bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_encoded_bytes()
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
    v.sort_by(|a, b| bytes(a).cmp(bytes(b)));
    v
}

/// The same file reached through two arguments (or a symlink) is analyzed once, under
/// the first path in sort order.
/// The paths left out, with the path kept for the same file.
type Twins = Vec<(PathBuf, (SkipReason, Option<String>))>;

fn dedup_same_file(files: Vec<PathBuf>) -> (Vec<PathBuf>, Twins) {
    let mut seen: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut kept = Vec::with_capacity(files.len());
    let mut twins = Vec::new();
    for p in files {
        match std::fs::canonicalize(&p) {
            Ok(c) => match seen.get(&c) {
                Some(first) => {
                    let why = format!("the same file as {}", crate::report::names::lossless(first));
                    twins.push((p, (SkipReason::SameFile, Some(why))));
                }
                None => {
                    seen.insert(c, p.clone());
                    kept.push(p);
                }
            },
            Err(_) => kept.push(p),
        }
    }
    (kept, twins)
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

    /// "path reason" for each skipped path, relative to `root`.
    fn reasons(root: &Path, v: &[Skip]) -> Vec<String> {
        let paths: Vec<PathBuf> = v.iter().map(|s| s.path.clone()).collect();
        names(root, &paths)
            .into_iter()
            .zip(v.iter().map(|s| s.reason.as_str()))
            .map(|(p, r)| format!("{p} {r}"))
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
        assert_eq!(
            reasons(r, &found.skipped),
            [
                ".hidden hidden",
                ".secret.txt hidden",
                "b/.git hidden",
                "b/sub/table.xlsx not_a_document",
                "image.png not_a_document",
            ]
        );
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
        assert_eq!(
            reasons(r, &found.skipped),
            [
                ".vigieignore hidden",
                "b/.vigieignore hidden",
                "b/brouillon.md ignored",
                "draft.txt ignored",
                "old/x.md ignored",
                "other.txt ignored",
            ]
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
    fn symlink_loops_are_skipped_with_the_reason() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(r, &["dir/a.txt"]);
        std::os::unix::fs::symlink("..", r.join("dir/loop")).unwrap();
        let found = discover(&[r.to_path_buf()]);
        assert_eq!(names(r, &found.files), ["dir/a.txt"]);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        assert_eq!(reasons(r, &found.skipped), ["dir/loop link_loop"]);
        let why = found.skipped[0].message.as_deref().unwrap();
        assert!(why.contains("loop"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folders_are_skipped_as_unreadable() {
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
            assert_eq!(reasons(r, &found.skipped), ["locked unreadable_folder"]);
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
        assert_eq!(
            reasons(r, &found.skipped),
            ["docs/contrat.txt same_file"],
            "the other path is accounted for"
        );
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
