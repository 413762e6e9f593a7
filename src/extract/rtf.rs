//! Reads the plain text of RTF files: control words dropped, `\par` and `\line` as line
//! breaks, `\'hh` bytes decoded as Windows-1252, `\u` escapes as Unicode; font tables,
//! style sheets, pictures, headers and footers (destinations) skipped.

use crate::extract::extracted::{ErrorKind, ExtractError, Extracted, Format};

/// Destinations whose content is not document text.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "header",
    "footer",
    "headerl",
    "headerr",
    "headerf",
    "footerl",
    "footerr",
    "footerf",
    "object",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "themedata",
    "datastore",
    "latentstyles",
    "colorschememapping",
    "fldinst",
];

/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 1000;

/// Extracts the text of an RTF document.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(ExtractError::new(
            ErrorKind::Corrupt,
            "not an RTF file (no {\\rtf header)",
        ));
    }
    Ok(Extracted {
        text: plain_text(bytes)?,
        pages: Vec::new(),
        format: Format::Rtf,
        extractor: "rtf".into(),
        warnings: Vec::new(),
    })
}

fn plain_text(b: &[u8]) -> Result<String, ExtractError> {
    let mut r = Reader {
        out: String::new(),
        stack: vec![(false, 1)],
        pending_skip: 0,
        bytes_1252: Vec::new(),
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                r.open_group(b.get(i + 1..i + 3) == Some(b"\\*"))?;
                i += 1;
            }
            b'}' => {
                r.close_group();
                i += 1;
            }
            b'\\' => {
                let (word, arg, next) = control(b, i + 1);
                r.control_word(&word, arg);
                i = next;
            }
            b'\r' | b'\n' => i += 1,
            c => {
                r.text_byte(c);
                i += 1;
            }
        }
    }
    r.flush();
    Ok(r.out)
}

/// The state of the RTF reader between tokens.
struct Reader {
    out: String,
    /// Per group: whether its text is skipped, and how many characters follow a \u escape.
    stack: Vec<(bool, usize)>,
    /// Fallback characters still to skip after a \u escape.
    pending_skip: usize,
    /// Windows-1252 bytes not yet decoded (`\'e9` escapes and plain bytes).
    bytes_1252: Vec<u8>,
}

impl Reader {
    fn skipping(&self) -> bool {
        self.stack.last().is_some_and(|s| s.0)
    }

    fn flush(&mut self) {
        if !self.bytes_1252.is_empty() {
            let (t, _, _) = encoding_rs::WINDOWS_1252.decode(&self.bytes_1252);
            self.out.push_str(&t);
            self.bytes_1252.clear();
        }
    }

    /// `{`, or `{\*` (an ignorable destination, `star`).
    fn open_group(&mut self, star: bool) -> Result<(), ExtractError> {
        if self.stack.len() > MAX_DEPTH {
            return Err(ExtractError::new(
                ErrorKind::Corrupt,
                "RTF groups nested too deeply",
            ));
        }
        let uc = self.stack.last().map_or(1, |s| s.1);
        let skipping = self.skipping();
        self.stack.push((skipping || star, uc));
        Ok(())
    }

    fn close_group(&mut self) {
        self.flush();
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    fn control_word(&mut self, word: &str, arg: Option<i64>) {
        let skipping = self.skipping();
        match word {
            "'" => {
                if self.pending_skip > 0 {
                    self.pending_skip -= 1;
                } else if !skipping {
                    if let Some(v) = arg {
                        self.bytes_1252.push(v as u8);
                    }
                }
            }
            "u" => {
                self.flush();
                if !skipping {
                    if let Some(v) = arg {
                        let code = if v < 0 { v + 65536 } else { v } as u32;
                        self.out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                }
                self.pending_skip = self.stack.last().map_or(1, |s| s.1);
            }
            "uc" => {
                if let Some(top) = self.stack.last_mut() {
                    top.1 = arg.unwrap_or(1).clamp(0, 8) as usize;
                }
            }
            "par" | "line" | "sect" | "page" | "row" if !skipping => {
                self.flush();
                self.out.push('\n');
            }
            "tab" | "cell" if !skipping => {
                self.flush();
                self.out.push(if word == "cell" { ' ' } else { '\t' });
            }
            "{" | "}" | "\\" if !skipping => {
                self.flush();
                self.out.push_str(word);
            }
            w if SKIPPED.contains(&w) => {
                if let Some(top) = self.stack.last_mut() {
                    top.0 = true;
                }
            }
            _ => {}
        }
    }

    fn text_byte(&mut self, c: u8) {
        if self.pending_skip > 0 {
            self.pending_skip -= 1;
        } else if !self.skipping() {
            self.bytes_1252.push(c);
        }
    }
}

/// The control word at `i` (after the backslash), its numeric argument, and where the
/// text resumes.
fn control(b: &[u8], i: usize) -> (String, Option<i64>, usize) {
    let Some(&c) = b.get(i) else {
        return (String::new(), None, i);
    };
    if c == b'\'' {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        let v = hex.and_then(|h| i64::from_str_radix(h, 16).ok());
        return ("'".into(), v, (i + 3).min(b.len()));
    }
    if !c.is_ascii_alphabetic() {
        return ((c as char).to_string(), None, i + 1);
    }
    let mut j = i;
    while b.get(j).is_some_and(u8::is_ascii_alphabetic) && j - i < 32 {
        j += 1;
    }
    let word = String::from_utf8_lossy(&b[i..j]).into_owned();
    let num_start = j;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    while b.get(j).is_some_and(u8::is_ascii_digit) && j - num_start < 10 {
        j += 1;
    }
    let arg = std::str::from_utf8(&b[num_start..j])
        .ok()
        .and_then(|s| s.parse().ok());
    if b.get(j) == Some(&b' ') {
        j += 1;
    }
    (word, arg, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_from_rtf() {
        let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\header En-t\'eate}{\*\generator Word;}\pard Article 12 \endash  Force majeure\par Les virus informatiques \u8217?et le piratage\par \'e9t\'e9 \{x\}}";
        let ex = extract(rtf).unwrap();
        assert!(
            ex.text.contains("Article 12  Force majeure\n"),
            "{:?}",
            ex.text
        );
        assert!(
            ex.text
                .contains("Les virus informatiques \u{2019}et le piratage\n"),
            "{:?}",
            ex.text
        );
        assert!(ex.text.contains("été {x}"), "{:?}", ex.text);
        assert!(
            !ex.text.contains("Arial") && !ex.text.contains("En-t") && !ex.text.contains("Word")
        );
    }

    #[test]
    fn hostile_rtf_never_panics() {
        for b in [
            &b"{\\rtf"[..],
            b"{\\rtf\\",
            b"{\\rtf\\'",
            b"{\\rtf\\u-99999999999?",
            b"{\\rtf}}}}}",
        ] {
            let _ = extract(b);
        }
        let deep = format!("{{\\rtf{}", "{".repeat(5000));
        assert_eq!(
            extract(deep.as_bytes()).unwrap_err().kind,
            ErrorKind::Corrupt
        );
        assert_eq!(extract(b"plain").unwrap_err().kind, ErrorKind::Corrupt);
    }
}
