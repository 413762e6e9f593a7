//! System tools Vigie reads some documents through when they are installed: `antiword` for
//! old binary Word `.doc` files, `pdftoppm` and `tesseract` to OCR scanned PDF pages. They
//! run from the extraction worker (see `isolate`), so the worker's time and memory limits
//! cover them; on Linux each dies with the worker that started it.

use crate::extract::extracted::{ErrorKind, ExtractError, Extracted, Format};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Whether `program` can be run (found on `PATH`).
pub fn installed(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| is_executable(&dir.join(program)))
    })
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    p.is_file()
}

/// Runs `cmd` to completion with its output captured; killed if the worker dies first
/// (a timed-out worker must not leave a tesseract running).
pub fn run(cmd: &mut Command) -> std::io::Result<Output> {
    cmd.stdin(Stdio::null());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    cmd.output()
}

/// A folder of scratch files removed when dropped (the tools read and write files).
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new empty folder in the system's temporary folder, named after `tag` and this
    /// process (`.vigie-TAG-PID-N`, N the first number free).
    pub fn new(tag: &str) -> std::io::Result<Scratch> {
        let base = std::env::temp_dir();
        for n in 0u32.. {
            let dir = base.join(format!(".vigie-{tag}-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Scratch(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free scratch folder name"))
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What to tell a user whose `.doc` cannot be read.
pub const DOC_HINT: &str =
    "old binary Word (.doc) files need antiword (apt install antiword); or convert it to .docx or .pdf";

/// The text of an old binary Word file through `antiword`, or `unsupported_format` with
/// the hint when antiword is not installed.
pub fn extract_doc(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if !installed("antiword") {
        return Err(ExtractError::new(ErrorKind::UnsupportedFormat, DOC_HINT));
    }
    let scratch = Scratch::new("doc").map_err(scratch_error)?;
    let file = scratch.path().join("in.doc");
    std::fs::write(&file, bytes).map_err(scratch_error)?;
    // -w 0: one line per paragraph, as the other extractors give; UTF-8 whatever the locale.
    let out = run(Command::new("antiword")
        .args(["-w", "0", "-m", "UTF-8.txt"])
        .arg(&file))
    .map_err(|e| ExtractError::new(ErrorKind::Crashed, format!("cannot run antiword: {e}")))?;
    // antiword names the scratch file in its messages; the user knows the document.
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&*file.to_string_lossy(), "the file");
    let text = antiword_text(&out.stdout, &stderr, out.status.success())?;
    Ok(Extracted {
        pages: Vec::new(),
        text,
        format: Format::Doc,
        extractor: "antiword".into(),
        warnings: Vec::new(),
    })
}

/// antiword's answer as a text or an error of the usual kinds: a file it does not
/// recognise as Word is `corrupt`, a password-protected one `encrypted`, no text `empty`.
pub fn antiword_text(stdout: &[u8], stderr: &str, success: bool) -> Result<String, ExtractError> {
    let lower = stderr.to_lowercase();
    if lower.contains("encrypted") || lower.contains("password") {
        return Err(ExtractError::new(
            ErrorKind::Encrypted,
            "the Word document is encrypted and needs a password",
        ));
    }
    if !success {
        let why = stderr.lines().next().unwrap_or("").trim();
        return Err(ExtractError::new(
            ErrorKind::Corrupt,
            format!("antiword cannot read the file ({why})"),
        ));
    }
    // antiword marks pictures and drawings with bracketed placeholders.
    let text = String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| !matches!(l.trim(), "[pic]" | "[picture]"))
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    if text.trim().is_empty() {
        return Err(ExtractError::new(
            ErrorKind::Empty,
            "the document has no text",
        ));
    }
    Ok(text + "\n")
}

fn scratch_error(e: std::io::Error) -> ExtractError {
    ExtractError::new(
        ErrorKind::Unreadable,
        format!("cannot write a scratch file for the external reader: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn antiword_output_becomes_text_or_a_precise_error() {
        let text = antiword_text(
            b"Article 12 - Force majeure\n[pic]\nLes virus.  \n",
            "",
            true,
        )
        .unwrap();
        assert_eq!(text, "Article 12 - Force majeure\nLes virus.\n");
        let e = antiword_text(b"", "x.doc is not a Word Document.", false).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Corrupt);
        assert!(e.message.contains("not a Word Document"), "{}", e.message);
        let e = antiword_text(b"", "x.doc is encrypted", false).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Encrypted);
        let e = antiword_text(b"\n\n", "", true).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Empty);
    }

    #[test]
    fn an_absent_tool_is_not_installed() {
        assert!(!installed("vigie-no-such-tool"));
    }

    #[test]
    fn a_scratch_folder_goes_away() {
        let s = Scratch::new("test").unwrap();
        let p = s.path().to_path_buf();
        std::fs::write(p.join("f"), "x").unwrap();
        drop(s);
        assert!(!p.exists());
    }
}
