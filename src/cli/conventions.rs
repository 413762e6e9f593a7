//! What a Rust CLI user expects around the report (binary only, never the library): shell
//! completions and a man page generated from the clap definition, the terminal's width, and
//! the closing notes on standard error (where the report went, why the exit status is 1).

use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use vigie::model::{Language, Severity};
use vigie::report::Failing;

/// The shells `vigie completions` writes for.
#[derive(Copy, Clone, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// The completion script for `shell` on `out`.
pub fn completions(shell: Shell, cmd: &mut clap::Command, out: &mut dyn Write) {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, cmd, "vigie", out);
}

/// The man page (roff) on `out`.
pub fn man(cmd: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(cmd).render(out)
}

/// Columns of the terminal on standard output, or `None` when it is not one.
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ only fills the winsize it is given.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
        if ok && ws.ws_col > 0 {
            return Some(ws.ws_col as usize);
        }
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}

/// Bold on a terminal, unless the user asked for no colour (https://no-color.org).
pub fn bold_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Where a report file went (`-o PATH`): the path given and, when it is a symbolic link,
/// the file written through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Went {
    pub given: PathBuf,
    pub through_link: Option<PathBuf>,
}

impl Went {
    pub fn of(d: &vigie::report::output::Destination) -> Went {
        Went {
            given: d.given().to_path_buf(),
            through_link: d.link_target().map(Path::to_path_buf),
        }
    }
}

/// The closing line: where the report went (`None`: standard output, `-o -` included).
pub fn report_went(went: Option<&Went>, format: &str, lang: Language) -> String {
    let Some(went) = went else {
        return match lang {
            Language::Fr => format!("vigie: rapport {format} écrit sur la sortie standard"),
            _ => format!("vigie: {format} report written to standard output"),
        };
    };
    // A file name must not drive the terminal.
    let given = vigie::report::names::shown(&went.given);
    let place = match (&went.through_link, lang) {
        (Some(t), Language::Fr) => {
            format!("{} (par le lien {given})", vigie::report::names::shown(t))
        }
        (Some(t), _) => format!(
            "{} (through the link {given})",
            vigie::report::names::shown(t)
        ),
        (None, _) => given,
    };
    match lang {
        Language::Fr => format!("vigie: rapport {format} écrit dans {place}"),
        _ => format!("vigie: {format} report written to {place}"),
    }
}

/// Why the exit status is 1: how many findings reach `--fail-on`, and the first few.
pub fn fail_on_note(failing: &Failing, fail_on: Severity) -> String {
    let mut s = format!(
        "vigie: exit 1: {} finding(s) at or above `--fail-on {}`: {}",
        failing.count,
        fail_on.as_str(),
        failing.examples.join(", ")
    );
    let more = failing.count.saturating_sub(failing.examples.len());
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// The name a document read from standard input has in the report.
pub const STDIN_NAME: &str = "<stdin>";

/// A document read from standard input (`vigie scan -`): kept in a scratch file whose
/// extension says its format (sniffed from its first bytes), so that it is read like any
/// file, PDFs in a worker included.
pub struct Stdin {
    _scratch: vigie::extract::tools::Scratch,
    /// The scratch file, as the scan names it before [`Renamed`] puts `<stdin>` back.
    pub name: String,
}

/// Replaces `-` among `paths` by a scratch file holding standard input.
pub fn take_stdin(paths: &mut [std::path::PathBuf]) -> anyhow::Result<Option<Stdin>> {
    let Some(slot) = paths.iter_mut().find(|p| p.as_os_str() == "-") else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)?;
    let scratch = vigie::extract::tools::Scratch::new("stdin")?;
    let file = scratch.path().join(format!("stdin.{}", sniff(&bytes)));
    std::fs::write(&file, &bytes)?;
    *slot = file.clone();
    Ok(Some(Stdin {
        _scratch: scratch,
        name: vigie::scan::display(&file),
    }))
}

/// The extension of a document's format from its first bytes; text when nothing else fits.
pub fn sniff(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(512)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    if bytes.starts_with(b"%PDF") {
        "pdf"
    } else if bytes.starts_with(b"PK\x03\x04") {
        // An ODF package names its type first, uncompressed.
        if lower.contains("application/vnd.oasis.opendocument.text") {
            "odt"
        } else {
            "docx"
        }
    } else if bytes.starts_with(b"{\\rtf") {
        "rtf"
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "doc"
    } else if lower.trim_start().starts_with("<!doctype html") || lower.contains("<html") {
        "html"
    } else {
        "txt"
    }
}

/// A scan's sink that names the standard-input document `<stdin>` in everything it hands on.
pub struct Renamed<S> {
    pub inner: S,
    from: Option<String>,
}

impl<S> Renamed<S> {
    pub fn new(inner: S, stdin: Option<&Stdin>) -> Self {
        Renamed {
            inner,
            from: stdin.map(|s| s.name.clone()),
        }
    }
}

impl<S: vigie::scan::Sink> vigie::scan::Sink for Renamed<S> {
    type Error = S::Error;

    fn document(&mut self, d: &vigie::Document) -> Result<(), S::Error> {
        match &self.from {
            Some(from) if &d.path == from => {
                let mut d = d.clone();
                d.path = STDIN_NAME.to_string();
                self.inner.document(&d)
            }
            _ => self.inner.document(d),
        }
    }

    fn portfolio(&mut self, items: &[vigie::model::Item]) -> Result<(), S::Error> {
        let Some(from) = &self.from else {
            return self.inner.portfolio(items);
        };
        let mut items = items.to_vec();
        for path in items.iter_mut().flat_map(|i| i.documents.iter_mut()) {
            if path == from {
                *path = STDIN_NAME.to_string();
            }
        }
        self.inner.portfolio(&items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_line_names_the_file_a_link_leads_to_and_standard_output() {
        let link = Went {
            given: PathBuf::from("latest.json"),
            through_link: Some(PathBuf::from("/srv/reports/2026-12.json")),
        };
        assert_eq!(
            report_went(Some(&link), "json", Language::En),
            "vigie: json report written to /srv/reports/2026-12.json (through the link latest.json)"
        );
        let plain = Went {
            given: PathBuf::from("out\x1b.json"),
            through_link: None,
        };
        assert_eq!(
            report_went(Some(&plain), "html", Language::Fr),
            "vigie: rapport html écrit dans out\\x1b.json"
        );
        assert_eq!(
            report_went(None, "table", Language::En),
            "vigie: table report written to standard output"
        );
    }

    #[test]
    fn formats_are_sniffed_from_their_first_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n"), "pdf");
        assert_eq!(
            sniff(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text"),
            "odt"
        );
        assert_eq!(sniff(b"PK\x03\x04[Content_Types].xml"), "docx");
        assert_eq!(sniff(b"{\\rtf1\\ansi"), "rtf");
        assert_eq!(sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "doc");
        assert_eq!(sniff(b"  <!DOCTYPE html><p>x"), "html");
        assert_eq!(sniff("Article 12 – Force majeure".as_bytes()), "txt");
    }
}
