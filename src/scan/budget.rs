//! One memory budget for the whole scan, shared by its jobs: each document reserves what
//! its reading, extraction and analysis may take before it starts, and waits while the
//! others hold the rest, so eight large documents on eight threads do not each take a
//! gigabyte at once. Also the caps that make those reservations finite: the text analyzed
//! per document and the bytes an archive may expand to.

use crate::extract::archive::MAX_TOTAL;
use crate::extract::Format;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Most bytes of text analyzed per document. A 4,000-page contract fits; past it, the
/// rest is left out and the document's warnings say so (a 190 MB text file took 3.9 GB).
pub const MAX_ANALYZED_TEXT: usize = 8 << 20;

/// Most facts, findings and mitigations (each) reported per document: past it, a report
/// only grows (a 190 MB file gave 86,136 findings), and the warnings count the rest.
pub const MAX_ITEMS: usize = 1000;

/// Bytes of memory the analysis of one byte of text takes at most, measured: the folded
/// copy and its offset map, the segmentation, the literal hits and the items.
const ANALYSIS_BYTES_PER_TEXT_BYTE: u64 = 24;

/// What a PDF worker's own process needs besides the file (its binary, its allocator).
const WORKER_BASE: u64 = 64 << 20;

/// The memory a scan may use, shared by its jobs.
#[derive(Debug)]
pub struct MemoryBudget {
    total: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

impl MemoryBudget {
    /// A budget of `total` bytes, none of it held yet.
    pub fn new(total: u64) -> MemoryBudget {
        MemoryBudget {
            total,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Waits until `bytes` fit in what the other jobs left, then holds them until the
    /// reservation is dropped. A reservation larger than the whole budget waits until
    /// nothing else is held, then runs alone: a document is never refused for its size
    /// here (the caps above bound it). Returns early, holding nothing, once `cancel` is
    /// raised.
    pub fn reserve(&self, bytes: u64, cancel: &AtomicBool) -> Reservation<'_> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Reservation {
                    budget: self,
                    bytes: 0,
                };
            }
            if *used == 0 || used.saturating_add(bytes) <= self.total {
                *used += bytes;
                return Reservation {
                    budget: self,
                    bytes,
                };
            }
            // A timeout, to notice `cancel`: nothing else wakes a waiting job.
            used = self
                .freed
                .wait_timeout(used, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn release(&self, bytes: u64) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(bytes);
        self.freed.notify_all();
    }
}

/// Memory held in a [`MemoryBudget`] until dropped.
#[derive(Debug)]
pub struct Reservation<'a> {
    budget: &'a MemoryBudget,
    bytes: u64,
}

impl Reservation<'_> {
    /// Bytes held: those asked for, or 0 when the wait was cancelled.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.budget.release(self.bytes);
        }
    }
}

/// What analyzing a file of `size` bytes in `format` may take at most, under the caps of
/// this module; `worker_limit` is the memory limit of a PDF worker.
pub fn estimate(format: Format, size: u64, worker_limit: u64) -> u64 {
    let cap = MAX_ANALYZED_TEXT as u64;
    let analysis = |text: u64| text.min(cap) * ANALYSIS_BYTES_PER_TEXT_BYTE;
    match format {
        // Only the analyzed head of a text file is read into memory, then decoded.
        Format::Txt | Format::Md | Format::Rst | Format::Html => {
            let head = size.min(cap);
            2 * head + analysis(head)
        }
        Format::Docx | Format::Odt => {
            let xml = size.saturating_mul(200).min(MAX_TOTAL);
            size + xml + analysis(xml)
        }
        Format::Rtf | Format::Doc => 2 * size + analysis(size),
        // The worker is another process under its own limit, but the machine is shared.
        Format::Pdf => {
            let worker = (WORKER_BASE + size.saturating_mul(16)).min(worker_limit);
            size + worker + analysis(size.saturating_mul(4))
        }
    }
}

/// The default budget: a quarter of the machine's memory, at most 1 GiB and at least
/// 256 MiB (1 GiB where the machine's memory is unknown).
pub fn default_total() -> u64 {
    match physical_memory() {
        Some(m) => (m / 4).clamp(256 << 20, 1 << 30),
        None => 1 << 30,
    }
}

fn physical_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The text of a document cut to [`MAX_ANALYZED_TEXT`] bytes, at the last line break
/// before the cap (else at a character boundary); `None` when it fits.
pub fn cut_point(text: &str) -> Option<usize> {
    if text.len() <= MAX_ANALYZED_TEXT {
        return None;
    }
    let mut end = MAX_ANALYZED_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(match memchr::memrchr(b'\n', &text.as_bytes()[..end]) {
        Some(nl) if nl > end / 2 => nl + 1,
        _ => end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn reservations_wait_for_room_and_a_big_one_runs_alone() {
        let budget = Arc::new(MemoryBudget::new(100));
        let cancel = AtomicBool::new(false);
        let a = budget.reserve(60, &cancel);
        let b = std::thread::spawn({
            let budget = Arc::clone(&budget);
            move || {
                let cancel = AtomicBool::new(false);
                let r = budget.reserve(60, &cancel);
                r.bytes()
            }
        });
        std::thread::sleep(Duration::from_millis(100));
        assert!(!b.is_finished(), "60 + 60 do not fit in 100");
        drop(a);
        assert_eq!(b.join().unwrap(), 60);
        let big = budget.reserve(500, &cancel);
        assert_eq!(
            big.bytes(),
            500,
            "alone, a reservation over the budget runs"
        );
    }

    #[test]
    fn a_cancelled_wait_holds_nothing() {
        let budget = MemoryBudget::new(10);
        let _held = budget.reserve(10, &AtomicBool::new(false));
        let r = budget.reserve(5, &AtomicBool::new(true));
        assert_eq!(r.bytes(), 0);
    }

    #[test]
    fn long_texts_are_cut_at_a_line_break() {
        let line = "x".repeat(99) + "\n";
        let text = line.repeat(MAX_ANALYZED_TEXT / 100 + 10);
        let cut = cut_point(&text).unwrap();
        assert!(cut <= MAX_ANALYZED_TEXT);
        assert_eq!(&text[cut - 1..cut], "\n");
        assert_eq!(cut_point("short"), None);
    }
}
