//! Where a report file goes, chosen and checked before the scan starts, so that a scan
//! never overwrites what it reads, never fails only at the end for want of a writable
//! folder, writes through symlinks, FIFOs and devices instead of replacing them, and never
//! mixes its report with another process's.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why a report (or a baseline) cannot be written; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path has no file name (`/`, or one ending in `..`).
    #[error("--output needs a file name")]
    NoFileName,
    /// The path is an existing folder.
    #[error("{} is a folder; --output needs a file name", path.display())]
    IsFolder {
        /// The path as given.
        path: PathBuf,
    },
    /// The path is (through links or hard links) one of the files the scan reads.
    #[error("{} is one of the scanned documents; refusing to overwrite it with the report", path.display())]
    IsInput {
        /// The scanned document, as given to the scan.
        path: PathBuf,
    },
    /// Following the symbolic links of the path did not end within 40 links.
    #[error("too many levels of symbolic links at {}", path.display())]
    LinkLoop {
        /// The path as given.
        path: PathBuf,
    },
    /// A FIFO, device or other non-regular file this process may not write.
    #[error("cannot write {}", path.display())]
    NotWritable {
        /// The path as given.
        path: PathBuf,
        /// Why access was refused.
        source: io::Error,
    },
    /// A file (the report, its temporary file) could not be opened or created, or a
    /// symbolic link on the way could not be read.
    #[error("cannot create {}", path.display())]
    Create {
        /// The file or link that failed.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// Writing the report, or renaming its temporary file over the target, failed; the old
    /// file is left as it was.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file being written (the path as given, or the temporary file), or the
        /// target of the rename.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// Writing the report to standard output failed (a closed pipe is not an error).
    #[error("cannot write the report")]
    Stream {
        /// Why it failed.
        source: io::Error,
    },
}

/// A report file, checked and (for a regular file) with its temporary file already
/// created beside its final target, so the folder is known to be writable.
#[derive(Debug)]
pub struct Destination {
    /// The path as given, for messages.
    given: PathBuf,
    /// The path once every symbolic link is followed.
    target: PathBuf,
    /// Whether `given` is a symbolic link the report is written through.
    linked: bool,
    how: How,
}

#[derive(Debug)]
enum How {
    /// A FIFO, a device or anything else that is not a regular file: written in place.
    Direct,
    /// A regular file (or nothing yet): written to `temp`, then renamed over `target`.
    Replace(TempFile),
}

/// Symbolic links followed before giving up (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;

impl Destination {
    /// Checks `path` before the scan: not a folder, not one of `inputs`, and writable (for a
    /// regular file, by creating its temporary file now).
    pub fn prepare(path: &Path, inputs: &[PathBuf]) -> Result<Destination, OutputError> {
        if path.file_name().is_none() {
            return Err(OutputError::NoFileName);
        }
        // A file that does not exist yet is no input (the output's own metadata, once).
        if let Some(out) = identity(path) {
            if let Some(input) = inputs.iter().find(|i| identity(i).as_ref() == Some(&out)) {
                return Err(OutputError::IsInput {
                    path: input.clone(),
                });
            }
        }
        // The kernel follows the links, magic ones included (`/dev/stdout` leads to
        // `/proc/self/fd/1`, then to a pipe or a terminal that has no path).
        let direct = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(OutputError::IsFolder {
                    path: path.to_path_buf(),
                })
            }
            Ok(m) => !m.is_file(),
            // Nothing there yet, or a link to nothing: the file it names is created.
            Err(_) => false,
        };
        let linked =
            !direct && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let (target, how) = if direct {
            writable(path).map_err(|source| OutputError::NotWritable {
                path: path.to_path_buf(),
                source,
            })?;
            (path.to_path_buf(), How::Direct)
        } else {
            let target = match std::fs::canonicalize(path) {
                Ok(t) => t,
                Err(_) => follow_links(path)?,
            };
            let temp = TempFile::beside(&target)?;
            (target, How::Replace(temp))
        };
        Ok(Destination {
            given: path.to_path_buf(),
            target,
            linked,
            how,
        })
    }

    /// The path as given to `-o`.
    pub fn given(&self) -> &Path {
        &self.given
    }

    /// The file the report is written to when the path given is a symbolic link to it.
    pub fn link_target(&self) -> Option<&Path> {
        self.linked.then_some(self.target.as_path())
    }

    /// Writes the report with `render`: in place for a FIFO or a device, else into the
    /// temporary file renamed over the target, so a reader never sees half a report and
    /// two scans writing the same path never mix. A failure leaves the old file as it was.
    pub fn write<T: Default>(
        self,
        render: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<T, OutputError> {
        match self.how {
            How::Direct => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&self.target)
                    .map_err(|source| OutputError::Create {
                        path: self.given.clone(),
                        source,
                    })?;
                let mut out = BufWriter::new(file);
                match render(&mut out).and_then(|t| out.flush().map(|_| t)) {
                    Ok(t) => Ok(t),
                    // The FIFO's reader left, as `| head` does: nothing more to write.
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(T::default()),
                    Err(source) => Err(OutputError::Write {
                        path: self.given,
                        source,
                    }),
                }
            }
            How::Replace(mut temp) => {
                let t = temp.fill(render)?;
                temp.rename_over(&self.target)?;
                Ok(t)
            }
        }
    }
}

/// `path` with every symbolic link along its last component followed; a dangling link
/// leads to the path it names (the report then creates that file).
fn follow_links(path: &Path) -> Result<PathBuf, OutputError> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p).map_err(|source| OutputError::Create {
                    path: p.clone(),
                    source,
                })?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(OutputError::LinkLoop {
        path: path.to_path_buf(),
    })
}

/// What tells a file from another through links, `..` and hard links: device and inode
/// (the canonical path elsewhere); `None` for a path to nothing.
#[cfg(unix)]
fn identity(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// Whether this process may write `path` (a FIFO or a device, which opening could block).
fn writable(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: access only reads the NUL-terminated path.
        if unsafe { libc::access(c.as_ptr(), libc::W_OK) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        OpenOptions::new().write(true).open(path).map(|_| ())
    }
}

/// A temporary file with a name of its own (process id and a random number), removed
/// when dropped unless renamed, and on a fatal signal (see [`remove_all_now`]).
#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
    file: Option<File>,
    slot: Option<usize>,
}

impl TempFile {
    /// A new empty file in the folder of `target`, named after it.
    pub fn beside(target: &Path) -> Result<TempFile, OutputError> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target.file_name().ok_or(OutputError::NoFileName)?;
        loop {
            let path = dir.join(temp_name(name));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    let slot = live::register(&path);
                    return Ok(TempFile {
                        path,
                        file: Some(file),
                        slot,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(source) => return Err(OutputError::Create { path, source }),
            }
        }
    }

    /// The temporary file's path (the tests check that two writers never share one).
    #[cfg(test)]
    fn path(&self) -> &Path {
        &self.path
    }

    fn fill<T>(
        &mut self,
        render: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<T, OutputError> {
        let file = self.file.take().ok_or_else(|| OutputError::Write {
            path: self.path.clone(),
            source: io::Error::other("already written"),
        })?;
        let mut out = BufWriter::new(file);
        render(&mut out)
            .and_then(|t| out.flush().map(|_| t))
            .map_err(|source| OutputError::Write {
                path: self.path.clone(),
                source,
            })
    }

    fn rename_over(mut self, target: &Path) -> Result<(), OutputError> {
        keep_mode(target, &self.path);
        std::fs::rename(&self.path, target).map_err(|source| OutputError::Write {
            path: target.to_path_buf(),
            source,
        })?;
        self.forget();
        Ok(())
    }

    fn forget(&mut self) {
        if let Some(slot) = self.slot.take() {
            live::unregister(slot);
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.slot.is_some() {
            let _ = std::fs::remove_file(&self.path);
            self.forget();
        }
    }
}

/// The replaced file's permissions carry over to the new report (a report kept private
/// stays private).
fn keep_mode(target: &Path, temp: &Path) {
    if let Ok(m) = std::fs::metadata(target) {
        let _ = std::fs::set_permissions(temp, m.permissions());
    }
}

/// `.NAME.PID.RANDOM.vigie-tmp`: hidden, and unique to this process and this file.
fn temp_name(name: &std::ffi::OsStr) -> OsString {
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".{}.{random:016x}.vigie-tmp", std::process::id()));
    s
}

/// Removes every temporary file still in progress. Async-signal-safe: for a signal
/// handler that ends the process at once.
pub fn remove_all_now() {
    live::remove_all_now();
}

/// The temporary files in progress, where a signal handler can reach them: a fixed table
/// of C strings (a handler may neither lock nor allocate).
mod live {
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SLOTS: usize = 8;
    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    static LIVE: [AtomicPtr<libc::c_char>; SLOTS] = [EMPTY; SLOTS];

    /// Records `path`; `None` when the table is full (the file is then only removed by
    /// its drop).
    pub fn register(path: &Path) -> Option<usize> {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
            let raw = c.into_raw();
            for (i, slot) in LIVE.iter().enumerate() {
                if slot
                    .compare_exchange(
                        std::ptr::null_mut(),
                        raw,
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    )
                    .is_ok()
                {
                    return Some(i);
                }
            }
            // SAFETY: `raw` came from into_raw just above and was stored nowhere.
            drop(unsafe { std::ffi::CString::from_raw(raw) });
            None
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            Some(0)
        }
    }

    pub fn unregister(slot: usize) {
        let raw = LIVE[slot].swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !raw.is_null() {
            // SAFETY: every non-null pointer in the table came from CString::into_raw.
            drop(unsafe { std::ffi::CString::from_raw(raw) });
        }
    }

    pub fn remove_all_now() {
        #[cfg(unix)]
        for slot in &LIVE {
            let raw = slot.load(Ordering::SeqCst);
            if !raw.is_null() {
                // SAFETY: unlink is async-signal-safe; the string is never freed while
                // registered.
                unsafe {
                    libc::unlink(raw);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn temporary_names_differ_between_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.json");
        let a = TempFile::beside(&target).unwrap();
        let b = TempFile::beside(&target).unwrap();
        assert_ne!(a.path(), b.path());
        let name = a.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".r.json."), "{name}");
        assert!(name.contains(&std::process::id().to_string()), "{name}");
        drop((a, b));
        assert!(
            names(dir.path()).is_empty(),
            "dropped temporary files are removed"
        );
    }

    #[test]
    fn an_input_is_refused_and_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("c.md");
        std::fs::write(&input, "contract").unwrap();
        let same = dir.path().join(".").join("c.md");
        let err = Destination::prepare(&same, std::slice::from_ref(&input)).unwrap_err();
        assert!(matches!(err, OutputError::IsInput { .. }), "{err:?}");
        assert_eq!(names(dir.path()), ["c.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        let d = Destination::prepare(&link, &[]).unwrap();
        assert_eq!(d.given(), link);
        assert_eq!(
            d.link_target(),
            Some(std::fs::canonicalize(&real).unwrap().as_path())
        );
        d.write(|out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(names(dir.path()), ["link.json", "real.json"]);
    }

    #[test]
    fn a_failed_render_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old report").unwrap();
        let d = Destination::prepare(&path, &[]).unwrap();
        let err = d
            .write(|out| {
                out.write_all(b"half")?;
                Err::<(), _>(io::Error::other("disk full"))
            })
            .unwrap_err();
        assert!(matches!(err, OutputError::Write { .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old report");
        assert_eq!(names(dir.path()), ["report.json"]);
    }
}
