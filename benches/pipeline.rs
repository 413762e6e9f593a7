//! Throughput of each text stage (normalize, segment, match, values) and of the whole text
//! analysis on the sample corpus, how matching grows with the text (1×, 4×, 16×) and with
//! the number of rules (the shipped packs against ten times as many rules).
//!
//! `cargo bench --bench pipeline`; figures are recorded in docs/performance.md, "Speed".

/// The allocator of the `vigie` binary (Cargo.toml), so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use vigie::engine::values;
use vigie::engine::{self, Prepared};
use vigie::normalize::Normalized;
use vigie::rules::{Pack, PackSource};
use vigie::{analyze_text, classify, segment, AnalyzeOptions};

#[path = "common/corpus.rs"]
mod corpus;
use corpus::corpus_text;

/// The shipped packs with `factor - 1` variants of every rule added to each. With
/// `new_literals`, each variant's terms are perturbed (a tag inserted after the first
/// character), as rules on other subjects would bring words of their own; without, the
/// variants share the shipped literals, so every variant is evaluated wherever its
/// original is (the worst case for the rule checks).
fn scaled_pack(factor: usize, new_literals: bool) -> Pack {
    const TAGS: [&str; 9] = ["qz", "qx", "qj", "qk", "zx", "zj", "zk", "xj", "xk"];
    assert!(factor >= 1 && factor <= TAGS.len() + 1);
    let sources: Vec<PackSource> = PackSource::builtin()
        .into_iter()
        .map(|src| {
            let mut doc: toml::Table = src.text.parse().expect("shipped pack is TOML");
            let rules = doc["rule"].as_array().expect("[[rule]]").clone();
            let terms = doc
                .get("terms")
                .and_then(|t| t.as_table())
                .cloned()
                .unwrap_or_default();
            for tag in &TAGS[..factor - 1] {
                let tag = new_literals.then_some(*tag);
                let doc_terms = doc
                    .entry("terms")
                    .or_insert_with(|| toml::Value::Table(Default::default()))
                    .as_table_mut()
                    .expect("[terms] table");
                for (name, list) in &terms {
                    doc_terms.insert(set_name(name, tag), perturb_list(list, tag));
                }
                let out = doc["rule"].as_array_mut().expect("[[rule]]");
                for r in &rules {
                    out.push(variant(r, tag));
                }
            }
            PackSource {
                name: src.name,
                text: toml::to_string(&doc).expect("pack serializes"),
            }
        })
        .collect();
    Pack::compile(&sources).expect("scaled pack compiles")
}

fn set_name(name: &str, tag: Option<&str>) -> String {
    tag.map_or_else(|| name.to_string(), |t| format!("{name}__{t}"))
}

fn perturb_list(list: &toml::Value, tag: Option<&str>) -> toml::Value {
    let terms = list.as_array().expect("a term list");
    toml::Value::Array(
        terms
            .iter()
            .map(|t| {
                let t = t.as_str().expect("a term");
                let Some(tag) = tag else {
                    return toml::Value::String(t.to_string());
                };
                let mut chars = t.chars();
                let first = chars.next().map(String::from).unwrap_or_default();
                toml::Value::String(format!("{first}{tag}{}", chars.as_str()))
            })
            .collect(),
    )
}

/// A set reference of a rule: a name of `[terms]` or an inline list.
fn perturb_ref(r: &toml::Value, tag: Option<&str>) -> toml::Value {
    match r {
        toml::Value::String(name) => toml::Value::String(set_name(name, tag)),
        list => perturb_list(list, tag),
    }
}

fn variant(rule: &toml::Value, tag: Option<&str>) -> toml::Value {
    let mut r = rule.as_table().expect("a rule table").clone();
    let n = VARIANTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let id = format!("{}-v{n}", r["id"].as_str().expect("rule id"));
    r.insert("id".into(), id.into());
    for key in [
        "heading",
        "all",
        "any",
        "none",
        "sentence_none",
        "sentence_all",
    ] {
        if let Some(toml::Value::Array(refs)) = r.get_mut(key) {
            for x in refs.iter_mut() {
                *x = perturb_ref(x, tag);
            }
        }
    }
    for (key, fields) in [("near", &["a", "b"][..]), ("exclude_near", &["set"][..])] {
        if let Some(toml::Value::Array(items)) = r.get_mut(key) {
            for item in items.iter_mut().filter_map(|i| i.as_table_mut()) {
                for f in fields {
                    if let Some(x) = item.get_mut(*f) {
                        *x = perturb_ref(x, tag);
                    }
                }
            }
        }
    }
    toml::Value::Table(r)
}

/// Rule ids must be unique across packs; a counter keeps the variants apart.
static VARIANTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

struct Doc {
    text: String,
    norm: Normalized,
    seg: segment::Segmented,
}

impl Doc {
    fn new(text: String) -> Doc {
        let norm = Normalized::new(&text);
        let seg = segment::segment(&text, &[]);
        Doc { text, norm, seg }
    }

    fn prepared(&self) -> Prepared<'_> {
        let lang = classify::language(&self.norm.text);
        let doc_type = classify::doc_type(&self.norm.text);
        Prepared::new(&self.norm, &self.seg, doc_type, lang)
    }
}

fn stages(c: &mut Criterion) {
    let pack = Pack::builtin().expect("shipped packs compile");
    let doc = Doc::new(corpus_text());
    let opts = AnalyzeOptions::default();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(doc.text.len() as u64));
    g.bench_function("normalize", |b| {
        b.iter(|| Normalized::new(black_box(&doc.text)))
    });
    g.bench_function("segment", |b| {
        b.iter(|| segment::segment(black_box(&doc.text), &[]))
    });
    let prepared = doc.prepared();
    g.bench_function("match", |b| b.iter(|| engine::run(&pack, &prepared)));
    g.bench_function("values", |b| {
        b.iter(|| {
            let t = black_box(&doc.norm.text);
            (values::durations(t).len(), values::amounts(t).len())
        })
    });
    g.bench_function("analyze_text", |b| {
        b.iter(|| analyze_text(black_box(&doc.text), "corpus.txt", &pack, &opts))
    });
    g.finish();
}

fn text_size(c: &mut Criterion) {
    let pack = Pack::builtin().expect("shipped packs compile");
    let base = corpus_text();
    let opts = AnalyzeOptions::default();
    let mut g = c.benchmark_group("text_size");
    for times in [1, 4, 16] {
        let doc = Doc::new(base.repeat(times));
        let prepared = doc.prepared();
        g.throughput(Throughput::Bytes(doc.text.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("match", format!("{times}x")),
            &(),
            |b, _| b.iter(|| engine::run(&pack, &prepared)),
        );
        g.bench_with_input(
            BenchmarkId::new("analyze_text", format!("{times}x")),
            &(),
            |b, _| b.iter(|| analyze_text(&doc.text, "corpus.txt", &pack, &opts)),
        );
    }
    g.finish();
}

fn rule_count(c: &mut Criterion) {
    let packs = [
        ("shipped", Pack::builtin().expect("shipped packs compile")),
        ("10x_new_literals", scaled_pack(10, true)),
        ("10x_same_literals", scaled_pack(10, false)),
    ];
    let doc = Doc::new(corpus_text().repeat(4));
    let prepared = doc.prepared();
    let mut g = c.benchmark_group("rule_count");
    g.throughput(Throughput::Bytes(doc.text.len() as u64));
    for (name, pack) in &packs {
        let id = format!("{name}_{}_rules", pack.rules.len());
        g.bench_function(BenchmarkId::new("match", id), |b| {
            b.iter(|| engine::run(pack, &prepared))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the benchmark machine is shared.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = stages, text_size, rule_count
}
criterion_main!(benches);
