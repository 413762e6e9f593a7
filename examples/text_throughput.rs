//! Times the whole text analysis (`analyze_text`) of the `corpus/` documents concatenated,
//! without criterion, so that two builds can be run alternately in one session and their
//! best times compared (docs/performance.md, "Speed"). A benchmark, not a test.
//!
//! `cargo run --release --example text_throughput -- [ITERATIONS] [TIMES]` (defaults 200 and
//! 1; TIMES repeats the corpus). Prints bytes, ms per pass and MB/s on stderr.

#[path = "../benches/common/corpus.rs"]
mod corpus;

/// The allocator of the `vigie` binary (Cargo.toml), so that the figure is the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use vigie::rules::Pack;
use vigie::{analyze_text, AnalyzeOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let times: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = corpus::corpus_text().repeat(times);
    let pack = Pack::builtin().expect("shipped packs compile");
    let opts = AnalyzeOptions::default();
    // Once first, so that lazily compiled patterns are not timed.
    analyze_text(&text, "corpus.txt", &pack, &opts);
    let start = std::time::Instant::now();
    let mut findings = 0;
    for _ in 0..iterations {
        findings += analyze_text(&text, "corpus.txt", &pack, &opts)
            .findings
            .len();
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} bytes, {:.2} ms/iter, {:.1} MB/s ({findings} findings)",
        text.len(),
        secs * 1000.0 / iterations.max(1) as f64,
        (text.len() * iterations) as f64 / secs / 1e6
    );
}
