//! Normalization and segmentation of any text: no panic, and every span they return
//! (folded-to-original map, clauses, headings, sentences) lies on character boundaries of
//! the text it claims to index. Form feeds split pages, as the PDF reader does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ops::Range;
use vigie::engine::Prepared;
use vigie::normalize::{fold, Normalized};
use vigie::{classify, segment};

fn pages(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\x0c') {
        out.push(start..i);
        start = i + 1;
    }
    if start > 0 {
        out.push(start..text.len());
    }
    out
}

fn check(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && text.get(r.clone()).is_some(),
        "{what} span {r:?} is not a slice of a {}-byte text",
        text.len()
    );
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let norm = Normalized::new(&text);
    for i in 0..=norm.text.len() {
        assert!(text.is_char_boundary(norm.to_orig(i)), "map at {i}");
    }
    let _ = fold(&text);
    let seg = segment::segment(&text, &pages(&text));
    for c in &seg.clauses {
        check(&text, &c.span, "clause");
        if let Some(h) = &c.heading_span {
            check(&text, h, "heading");
        }
    }
    for s in &seg.sentences {
        check(&text, s, "sentence");
        check(
            &norm.text,
            &norm.from_orig_range(s.clone()),
            "folded sentence",
        );
    }
    let language = classify::language(&norm.text);
    let doc_type = classify::doc_type(&norm.text);
    let _ = Prepared::new(&norm, &seg, doc_type, language);
});
