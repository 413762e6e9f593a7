//! Times the whole text analysis (`analyze_text`) of the `corpus/` documents concatenated,
//! without criterion, so that two builds can be run alternately in one session and their
//! best times compared (README, "Speed"). A benchmark, not a test.
//!
//! `cargo run --release --example text_throughput -- [ITERATIONS] [TIMES]` (defaults 200 and
//! 1; TIMES repeats the corpus). Prints bytes, ms per pass and MB/s on stderr.

use std::path::{Path, PathBuf};
use vigie::extract::{extract_bytes, Format};
use vigie::rules::Pack;
use vigie::{analyze_text, AnalyzeOptions};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("corpus/ readable");
    for e in entries {
        let p = e.expect("corpus entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            collect(&p, out);
        } else if (name.ends_with(".md") || name.ends_with(".txt")) && name != "README.md" {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let times: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut files = Vec::new();
    collect(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &mut files,
    );
    files.sort();
    let mut text = String::new();
    for f in files {
        let bytes = std::fs::read(&f).expect("corpus file readable");
        let doc = extract_bytes(&bytes, Format::Txt).expect("corpus file decodes");
        text.push_str(&doc.text);
        text.push_str("\n\n");
    }
    let text = text.repeat(times);
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
