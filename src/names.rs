//! File names as the report and the terminal show them: a name that is not UTF-8 keeps
//! every byte (`\xff`), so two names never collapse into one, and control characters
//! (ESC, CR, newline) are escaped wherever text reaches a terminal or a text format, so a
//! file name can neither forge lines nor drive the terminal.

use std::fmt::Write;
use std::path::Path;

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
}
