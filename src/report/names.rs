//! File names as the report and the terminal show them: a name that is not UTF-8 keeps
//! every byte (`\xff`), so two names never collapse into one, and control characters
//! (ESC, CR, newline) are escaped wherever text reaches a terminal or a text format, so a
//! file name can neither forge lines nor drive the terminal.

use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

/// The path as the report writes it: itself when it is UTF-8, else each byte that is not
/// UTF-8 written `\xNN` (and `\` written `\\`, so that no two such names are alike).
pub fn lossless(p: &Path) -> String {
    let bytes = p.as_os_str().as_encoded_bytes();
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// The path for a terminal or a text format: [`lossless`], control characters escaped.
pub fn shown(p: &Path) -> String {
    escape_controls(&lossless(p))
}

/// `s` with every control character written as an escape (`\n`, `\r`, `\t`, `\x1b`,
/// `\u{85}`): what is left prints on one line and moves no cursor.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `doc` relative to the scanned path that holds it, `/`-separated: the longest of `roots`
/// that is a folder above it; a file given by itself is known by its file name. A document
/// under none of the roots keeps its path as given.
pub fn relative_path(doc: &Path, roots: &[PathBuf]) -> String {
    let doc = tidy(doc);
    let best = roots
        .iter()
        .map(|r| tidy(r))
        .filter_map(|r| doc.strip_prefix(&r).ok().map(Path::to_path_buf))
        .filter(|rel| !rel.as_os_str().is_empty())
        .min_by_key(|rel| rel.components().count());
    let rel = match best {
        Some(rel) => rel,
        None if roots.iter().any(|r| tidy(r) == doc) => {
            doc.file_name().map(PathBuf::from).unwrap_or(doc.clone())
        }
        None => doc,
    };
    slash_path(&rel)
}

fn tidy(p: &Path) -> PathBuf {
    p.components().filter(|c| *c != Component::CurDir).collect()
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\x1b[31mb\r\nc"), "a\\x1b[31mb\\r\\nc");
        assert_eq!(escape_controls("contrat é.txt"), "contrat é.txt");
        assert_eq!(escape_controls("x\u{85}y"), "x\\u{85}y");
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_names_stay_distinct() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let a = lossless(Path::new(OsStr::from_bytes(b"bad\xff.txt")));
        let b = lossless(Path::new(OsStr::from_bytes(b"bad\xfe.txt")));
        assert_eq!(a, "bad\\xff.txt");
        assert_eq!(b, "bad\\xfe.txt");
        let c = lossless(Path::new(OsStr::from_bytes(b"a\\b\xff")));
        assert_eq!(c, "a\\\\b\\xff");
        assert_eq!(lossless(Path::new("plain/é.txt")), "plain/é.txt");
    }

    #[test]
    fn paths_are_relative_to_the_deepest_scanned_folder() {
        let roots = vec![PathBuf::from("./corpus/"), PathBuf::from("corpus/client")];
        assert_eq!(
            relative_path(Path::new("corpus/client/x/a.md"), &roots),
            "x/a.md"
        );
        assert_eq!(
            relative_path(Path::new("corpus/other/a.md"), &roots),
            "other/a.md"
        );
        let file = vec![PathBuf::from("dir/contrat.pdf")];
        assert_eq!(
            relative_path(Path::new("dir/contrat.pdf"), &file),
            "contrat.pdf"
        );
        assert_eq!(
            relative_path(Path::new("elsewhere/b.md"), &file),
            "elsewhere/b.md"
        );
    }
}
