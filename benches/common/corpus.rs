//! The sample corpus as one text, shared by the pipeline bench and the `text_throughput`
//! example so that both time the same input.

use std::path::{Path, PathBuf};
use vigie::extract::{extract_bytes, Format};

/// Every contract and policy of `corpus/` (sorted, decoded as `vigie` decodes text files),
/// one after the other: about 65 KB of French and English clauses.
pub fn corpus_text() -> String {
    let mut files = Vec::new();
    collect(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &mut files,
    );
    files.sort();
    let mut out = String::new();
    for f in files {
        let bytes = std::fs::read(&f).expect("corpus file readable");
        let text = extract_bytes(&bytes, Format::Txt)
            .expect("corpus file decodes")
            .text;
        out.push_str(&text);
        out.push_str("\n\n");
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("corpus/ readable") {
        let p = e.expect("corpus entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // The folders of blind rounds ("b1-...") joined the corpus later: leaving them out
        // keeps the timed input the same across sessions, so figures stay comparable.
        let blind = name.len() > 3
            && name.starts_with('b')
            && name.as_bytes()[1].is_ascii_digit()
            && name.as_bytes()[2] == b'-';
        if p.is_dir() {
            if !blind {
                collect(&p, out);
            }
        } else if (name.ends_with(".md") || name.ends_with(".txt"))
            && !matches!(name, "README.md" | "BLIND.md")
        {
            out.push(p);
        }
    }
}
