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
    let mut out = String::new();
    // Per group: whether its text is skipped, and how many characters follow a \u escape.
    let mut stack: Vec<(bool, usize)> = vec![(false, 1)];
    let mut pending_skip = 0usize;
    let mut bytes_1252: Vec<u8> = Vec::new();
    let mut i = 0;
    let flush = |out: &mut String, buf: &mut Vec<u8>| {
        if !buf.is_empty() {
            let (t, _, _) = encoding_rs::WINDOWS_1252.decode(buf);
            out.push_str(&t);
            buf.clear();
        }
    };
    while i < b.len() {
        let skipping = stack.last().is_some_and(|s| s.0);
        match b[i] {
            b'{' => {
                if stack.len() > MAX_DEPTH {
                    return Err(ExtractError::new(
                        ErrorKind::Corrupt,
                        "RTF groups nested too deeply",
                    ));
                }
                let uc = stack.last().map_or(1, |s| s.1);
                let star = b.get(i + 1..i + 3) == Some(b"\\*");
                stack.push((skipping || star, uc));
                i += 1;
            }
            b'}' => {
                flush(&mut out, &mut bytes_1252);
                if stack.len() > 1 {
                    stack.pop();
                }
                i += 1;
            }
            b'\\' => {
                let (word, arg, next) = control(b, i + 1);
                i = next;
                match word.as_str() {
                    "'" => {
                        if pending_skip > 0 {
                            pending_skip -= 1;
                        } else if !skipping {
                            if let Some(v) = arg {
                                bytes_1252.push(v as u8);
                            }
                        }
                    }
                    "u" => {
                        flush(&mut out, &mut bytes_1252);
                        if !skipping {
                            if let Some(v) = arg {
                                let code = if v < 0 { v + 65536 } else { v } as u32;
                                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                            }
                        }
                        pending_skip = stack.last().map_or(1, |s| s.1);
                    }
                    "uc" => {
                        if let Some(top) = stack.last_mut() {
                            top.1 = arg.unwrap_or(1).clamp(0, 8) as usize;
                        }
                    }
                    "par" | "line" | "sect" | "page" | "row" if !skipping => {
                        flush(&mut out, &mut bytes_1252);
                        out.push('\n');
                    }
                    "tab" | "cell" if !skipping => {
                        flush(&mut out, &mut bytes_1252);
                        out.push(if word == "cell" { ' ' } else { '\t' });
                    }
                    "{" | "}" | "\\" if !skipping => {
                        flush(&mut out, &mut bytes_1252);
                        out.push_str(&word);
                    }
                    w if SKIPPED.contains(&w) => {
                        if let Some(top) = stack.last_mut() {
                            top.0 = true;
                        }
                    }
                    _ => {}
                }
            }
            b'\r' | b'\n' => i += 1,
            c => {
                if pending_skip > 0 {
                    pending_skip -= 1;
                } else if !skipping {
                    bytes_1252.push(c);
                }
                i += 1;
            }
        }
    }
    flush(&mut out, &mut bytes_1252);
    Ok(out)
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
