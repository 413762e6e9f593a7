//! Runs an extraction in a child process (the same binary, hidden subcommand) with a
//! wall-clock limit and a memory limit, because a hang, an abort, a stack overflow or an
//! allocation failure inside a PDF library cannot be caught in-process.

use crate::extract::extracted::{ErrorKind, ExtractError, Extracted, Format};
use crate::extract::ocr::OcrMode;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How to isolate extractions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    /// The program to run as `<exe> __extract-worker --max-memory N FILE`.
    pub exe: PathBuf,
    timeout: Duration,
    pub(crate) max_memory: u64,
    /// When the worker OCRs a PDF (`--ocr`).
    pub ocr: OcrMode,
    /// The documents' language when the scan is told it (`--lang`): the OCR models to use.
    pub ocr_language: Option<Language>,
}

impl Isolation {
    /// Extractions in workers run by this very executable, if its path is known.
    pub fn current_exe(timeout: Duration, max_memory: u64) -> Option<Isolation> {
        std::env::current_exe().ok().map(|exe| Isolation {
            exe,
            timeout,
            max_memory,
            ocr: OcrMode::Auto,
            ocr_language: None,
        })
    }

    /// The same isolation with OCR `mode` in `language` (both languages when `None`).
    pub fn with_ocr(self, ocr: OcrMode, ocr_language: Option<Language>) -> Isolation {
        Isolation {
            ocr,
            ocr_language,
            ..self
        }
    }
}

/// The worker's answer on its standard output.
#[derive(Debug, Serialize, Deserialize)]
struct WorkerReply {
    text: Option<String>,
    pages: Vec<(usize, usize)>,
    extractor: String,
    warnings: Vec<String>,
    error: Option<(ErrorKind, String)>,
}

impl WorkerReply {
    fn from_result(r: Result<Extracted, ExtractError>) -> WorkerReply {
        match r {
            Ok(e) => WorkerReply {
                pages: e.pages.iter().map(|p| (p.start, p.end)).collect(),
                text: Some(e.text),
                extractor: e.extractor,
                warnings: e.warnings,
                error: None,
            },
            Err(e) => WorkerReply {
                text: None,
                pages: Vec::new(),
                extractor: String::new(),
                warnings: Vec::new(),
                error: Some((e.kind, e.message)),
            },
        }
    }
}

/// The worker side: extracts `file` (a PDF with OCR as `ocr` says) and writes the reply
/// as one JSON object to `out`.
pub fn run_worker(
    file: &Path,
    ocr: OcrMode,
    ocr_language: Option<Language>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let format = Format::from_path(file).unwrap_or(Format::Txt);
    // The parent already checked the size limit; the worker only needs the bytes.
    let result = crate::extract::read_file(file, u64::MAX).and_then(|bytes| match format {
        Format::Pdf => crate::extract::ocr::extract_pdf(&bytes, ocr, ocr_language),
        _ => crate::extract::extract_bytes(&bytes, format),
    });
    serde_json::to_writer(&mut *out, &WorkerReply::from_result(result))?;
    out.flush()
}

/// Caps the address space of this process (the worker calls it before extracting).
pub fn limit_memory(bytes: u64) {
    #[cfg(unix)]
    {
        let lim = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        // SAFETY: setrlimit only reads the struct we pass; failure leaves the limit unset.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &lim);
        }
    }
    #[cfg(not(unix))]
    let _ = bytes;
}

/// Extracts `path` (already known to be `format`) in a worker process; the worker is killed
/// when `cancel` is raised (an interrupted scan must not wait for a slow PDF).
pub fn extract(
    iso: &Isolation,
    path: &Path,
    format: Format,
    cancel: &AtomicBool,
) -> Result<Extracted, ExtractError> {
    let mut child = spawn_worker(iso, path)?;
    let output = Output::collect(&mut child);
    let status = match wait(&mut child, iso, cancel) {
        Ok(status) => status,
        Err(e) => {
            // Joined so no thread outlives the worker it read.
            output.join();
            return Err(e);
        }
    };
    let (out, err) = output.join();
    // Ctrl-C reaches the worker too (same process group): its death is the interruption,
    // even if it is noticed before this process's own handler has run.
    if cancel.load(Ordering::Relaxed) || killed_by_sigint(&status) {
        return Err(interrupted());
    }
    let reply: Option<WorkerReply> = serde_json::from_slice(&out).ok();
    match reply {
        Some(r) if status.success() => into_result(r, format),
        _ if ran_out_of_memory(&status, &err) => Err(ExtractError::new(
            ErrorKind::OutOfMemory,
            format!(
                "the extraction needed more than its memory limit of {} MiB",
                iso.max_memory >> 20
            ),
        )),
        _ if killed_by(&status, ALARM) => Err(timeout(iso)),
        _ => Err(ExtractError::new(
            ErrorKind::Crashed,
            crash_message(&status),
        )),
    }
}

/// Starts the worker: this binary's hidden subcommand, with the limits as arguments.
fn spawn_worker(iso: &Isolation, path: &Path) -> Result<Child, ExtractError> {
    Command::new(&iso.exe)
        .arg("__extract-worker")
        .arg("--max-memory")
        .arg(iso.max_memory.to_string())
        // A second later than ours: normally this process stops the worker and says why.
        .arg("--timeout")
        .arg((iso.timeout.as_secs() + 1).to_string())
        .arg("--parent")
        .arg(std::process::id().to_string())
        .arg("--ocr")
        .arg(iso.ocr.as_str())
        .args(
            iso.ocr_language
                .map(|l| format!("--ocr-lang={}", l.as_str())),
        )
        // A file named `-rf.pdf` is a file, not an option.
        .arg("--")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // Where an allocation failure says so.
        .stderr(Stdio::piped())
        // mimalloc reserves address space in arenas of 1 GiB by default, and the worker's
        // address space is capped (`limit_memory`): allocations then failed in parallel scans
        // ("memory allocation of 102526 bytes failed"). Small reservations fit the cap.
        .env("MIMALLOC_ARENA_RESERVE", "16MiB")
        .spawn()
        .map_err(|e| {
            ExtractError::new(
                ErrorKind::Crashed,
                format!("cannot start the extraction worker: {e}"),
            )
        })
}

/// The worker's standard output and error, read by two threads so that the worker never
/// blocks on a full pipe.
struct Output {
    stdout: std::thread::JoinHandle<Vec<u8>>,
    stderr: std::thread::JoinHandle<Vec<u8>>,
}

impl Output {
    fn collect(child: &mut Child) -> Output {
        let mut stdout = child.stdout.take();
        let stdout = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(out) = stdout.as_mut() {
                let _ = out.read_to_end(&mut buf);
            }
            buf
        });
        let stderr = child.stderr.take();
        let stderr = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut err) = stderr {
                // Only the first lines matter; the rest is drained so the worker never blocks.
                let _ = err.by_ref().take(STDERR_KEPT).read_to_end(&mut buf);
                let _ = std::io::copy(&mut err, &mut std::io::sink());
            }
            buf
        });
        Output { stdout, stderr }
    }

    /// What the worker wrote on standard output and standard error.
    fn join(self) -> (Vec<u8>, Vec<u8>) {
        (
            self.stdout.join().unwrap_or_default(),
            self.stderr.join().unwrap_or_default(),
        )
    }
}

/// Waits for the worker to end; kills it when `cancel` is raised or its time is up.
fn wait(
    child: &mut Child,
    iso: &Isolation,
    cancel: &AtomicBool,
) -> Result<ExitStatus, ExtractError> {
    let deadline = Instant::now() + iso.timeout;
    loop {
        if cancel.load(Ordering::Relaxed) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(interrupted());
        }
        match child.try_wait() {
            Ok(Some(s)) => return Ok(s),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(timeout(iso));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                // Stopped, so that the threads reading its output end.
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExtractError::new(
                    ErrorKind::Crashed,
                    format!("lost the extraction worker: {e}"),
                ));
            }
        }
    }
}

/// Bytes of the worker's standard error kept to tell an allocation failure.
const STDERR_KEPT: u64 = 64 * 1024;

/// The status a worker ends with when its parent was gone before it started.
pub const ORPHAN_STATUS: i32 = 125;

fn timeout(iso: &Isolation) -> ExtractError {
    ExtractError::new(
        ErrorKind::Timeout,
        format!("extraction took longer than {} s", iso.timeout.as_secs()),
    )
}

/// Whether the worker died for want of memory: Rust's allocation-failure message (the
/// address-space limit makes allocations fail), or SIGKILL, which this process did not
/// send (its own kills return earlier) and the kernel's out-of-memory killer does.
fn ran_out_of_memory(status: &std::process::ExitStatus, stderr: &[u8]) -> bool {
    let text = String::from_utf8_lossy(stderr);
    // Rust's message, mimalloc's, and the abort of a panic that could not allocate itself.
    let markers = [
        "memory allocation of",
        "out of memory",
        "failed to initiate panic",
    ];
    if markers.iter().any(|m| text.contains(m)) {
        return true;
    }
    #[cfg(unix)]
    {
        killed_by(status, libc::SIGKILL)
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        false
    }
}

/// The worker side of the parent's limits: the worker dies with its parent (a killed scan
/// must leave no process behind, even one busy on a 30,000-page PDF) and ends itself once
/// `timeout` has passed (SIGALRM), in case the parent cannot stop it. No thread: under the
/// worker's memory limit, a new thread's first allocation could fail.
pub fn bind_to_parent(parent: u32, timeout: Duration) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_PDEATHSIG only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    }
    #[cfg(unix)]
    {
        // The parent may have died before the flag was set.
        // SAFETY: getppid has no preconditions.
        let ppid = unsafe { libc::getppid() };
        if parent != 0 && ppid as u32 != parent {
            // SAFETY: _exit is always safe to call.
            unsafe { libc::_exit(ORPHAN_STATUS) }
        }
        if !timeout.is_zero() {
            let secs = timeout.as_secs().clamp(1, u64::from(libc::c_uint::MAX));
            // SAFETY: alarm only arms this process's timer; SIGALRM's default action ends it.
            unsafe {
                libc::alarm(secs as libc::c_uint);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (parent, timeout);
}

/// The error of a document whose analysis the interruption of the scan cut short.
pub fn interrupted() -> ExtractError {
    ExtractError::new(
        ErrorKind::Interrupted,
        "the scan was interrupted before this document was analyzed".to_string(),
    )
}

fn into_result(r: WorkerReply, format: Format) -> Result<Extracted, ExtractError> {
    if let Some((kind, message)) = r.error {
        return Err(ExtractError::new(kind, message));
    }
    let text = r.text.unwrap_or_default();
    let pages = r
        .pages
        .into_iter()
        .filter(|(s, e)| {
            s <= e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .map(|(s, e)| s..e)
        .collect();
    Ok(Extracted {
        text,
        pages,
        format,
        extractor: r.extractor,
        warnings: r.warnings,
    })
}

fn killed_by_sigint(status: &std::process::ExitStatus) -> bool {
    #[cfg(unix)]
    {
        killed_by(status, libc::SIGINT)
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        false
    }
}

/// The worker's own clock (see [`bind_to_parent`]).
#[cfg(unix)]
const ALARM: i32 = libc::SIGALRM;
#[cfg(not(unix))]
const ALARM: i32 = 14;

fn killed_by(status: &std::process::ExitStatus, signal: i32) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal() == Some(signal)
    }
    #[cfg(not(unix))]
    {
        let _ = (status, signal);
        false
    }
}

fn crash_message(status: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("the extractor crashed (signal {sig}), or ran out of its memory limit");
        }
    }
    format!("the extractor failed ({status}), or ran out of its memory limit")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_replies_with_the_text_or_the_error_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("contrat.txt");
        std::fs::write(&file, "Article 1 – Objet\n").unwrap();
        let mut out = Vec::new();
        run_worker(&file, OcrMode::Auto, None, &mut out).unwrap();
        let reply: WorkerReply = serde_json::from_slice(&out).unwrap();
        assert_eq!(reply.text.as_deref(), Some("Article 1 – Objet\n"));
        assert!(reply.error.is_none());

        let mut out = Vec::new();
        run_worker(
            &dir.path().join("missing.txt"),
            OcrMode::Auto,
            None,
            &mut out,
        )
        .unwrap();
        let reply: WorkerReply = serde_json::from_slice(&out).unwrap();
        assert!(reply.text.is_none());
        assert!(reply.error.is_some());
    }
}
