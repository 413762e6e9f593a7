//! The guarantees a large or shared scan rests on: the same bytes whatever the number of
//! jobs, inputs never written to, no half-written report, Ctrl-C leaving an honest partial
//! report, shards that merge back into the whole scan, and a cache that changes nothing.

use crate::common::vigie;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Runs `vigie ARGS` and returns (exit code, stdout).
fn run(args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let out = vigie().args(args).output().unwrap();
    (out.status.code(), out.stdout)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn digests(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let meta = fs::metadata(&p).unwrap();
            let sha = Sha256::digest(fs::read(&p).unwrap()).to_vec();
            (p, (sha, meta.modified().unwrap()))
        })
        .collect()
}

#[test]
fn reports_are_byte_identical_with_one_or_two_jobs() {
    for format in ["json", "jsonl", "table"] {
        let (c1, one) = run(&["scan", "corpus", "--format", format, "--jobs", "1"]);
        let (c2, two) = run(&["scan", "corpus", "--format", format, "--jobs", "2"]);
        assert_eq!(c1, c2, "{format}");
        assert!(one.len() > 1000, "{format}: report too short");
        assert!(one == two, "{format} differs between --jobs 1 and --jobs 2");
    }
}

#[test]
fn streamed_jsonl_tells_what_the_json_report_tells() {
    let (_, json) = run(&["scan", "corpus", "--format", "json"]);
    let (_, jsonl) = run(&["scan", "corpus", "--format", "jsonl"]);
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let mut lines: Vec<serde_json::Value> = String::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tail = lines.pop().unwrap();
    for l in &mut lines {
        assert_eq!(l["record"], "document");
        l.as_object_mut().unwrap().remove("record");
    }
    assert_eq!(serde_json::Value::Array(lines), report["documents"]);
    assert_eq!(tail["record"], "summary");
    assert_eq!(tail["portfolio"], report["portfolio"]);
    assert_eq!(tail["summary"], report["summary"]);
}

#[test]
fn streamed_reports_are_the_bytes_of_the_whole_report() {
    // --write-baseline needs the whole report, so the same format is then rendered from it.
    let dir = tempfile::tempdir().unwrap();
    for format in ["jsonl", "table"] {
        let (c1, streamed) = run(&["scan", "corpus", "--format", format]);
        let held = vigie()
            .args(["scan", "corpus", "--format", format, "--write-baseline"])
            .arg(dir.path().join("baseline.json"))
            .output()
            .unwrap();
        assert_eq!(c1, held.status.code());
        assert!(streamed.windows(12).any(|w| w == b"fingerprint\"") || format == "table");
        assert!(
            streamed == held.stdout,
            "{format}: streamed and whole reports differ"
        );
    }
}

#[test]
fn a_scan_never_modifies_its_inputs() {
    let before = digests(Path::new("corpus"));
    assert!(before.len() > 20);
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("r.json");
    for _ in 0..2 {
        vigie()
            .args(["scan", "corpus", "--format", "json", "--cache"])
            .arg(cache.path())
            .arg("--output")
            .arg(&report)
            .assert()
            .code(0);
    }
    assert_eq!(before, digests(Path::new("corpus")));
}

#[test]
fn a_failed_write_leaves_neither_a_truncated_report_nor_a_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    fs::write(&target, "previous report").unwrap();
    // A file size limit of one block makes the report write fail half-way (EFBIG, as a
    // full disk would); SIGXFSZ is ignored so the write returns the error.
    let exe = assert_cmd::cargo::cargo_bin("vigie");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" scan corpus --format json --output \"$1\"")
        .arg(&exe)
        .arg(&target)
        .env("LANG", "C")
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2), "{:?}", status);
    assert!(String::from_utf8_lossy(&status.stderr).contains("cannot write"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "previous report");
    assert_eq!(files_under(dir.path()), vec![target.clone()]);

    // A target that cannot be replaced (a folder): the rename fails, nothing is left over.
    let folder = dir.path().join("taken");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("keep"), "x").unwrap();
    vigie()
        .args([
            "scan",
            "corpus/meubles-dupont",
            "--format",
            "jsonl",
            "--output",
        ])
        .arg(&folder)
        .assert()
        .code(2);
    assert_eq!(
        files_under(dir.path()),
        vec![target, folder.join("keep")],
        "a temporary file was left behind"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_writes_a_partial_report_marking_the_rest_interrupted_and_exits_130() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let text =
        fs::read_to_string("corpus/clinique-des-tilleuls/fr-infogerance-cyber-fm.md").unwrap();
    let total = 3000;
    for i in 0..total {
        let folder = dir.path().join(format!("c{:03}", i / 10));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(format!("d{i:04}.md")), format!("{text}\n{i}\n")).unwrap();
    }
    let exe = assert_cmd::cargo::cargo_bin("vigie");
    let mut child = std::process::Command::new(exe)
        .args(["scan", "--format", "jsonl", "--jobs", "2"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    // The first streamed document proves the scan (and its handler) is running.
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains("\"record\":\"document\""), "{first}");
    // SAFETY: kill only sends a signal to the child we started.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let lines: Vec<serde_json::Value> = std::iter::once(first.as_str())
        .chain(rest.lines())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (docs, tail) = lines.split_at(lines.len() - 1);
    assert_eq!(tail[0]["record"], "summary");
    assert_eq!(docs.len(), total, "every document is in the partial report");
    let interrupted: Vec<_> = docs
        .iter()
        .filter(|d| d["error"]["kind"] == vigie::ErrorKind::Interrupted.as_str())
        .collect();
    assert!(!interrupted.is_empty(), "the scan ended before Ctrl-C");
    assert!(interrupted.len() < total);
    for d in &interrupted {
        assert_eq!(d["status"], "error");
        assert_eq!(d["residual_risk"]["level"], "unknown");
    }
    assert_eq!(tail[0]["summary"]["errors"], interrupted.len());
}

#[test]
fn a_raised_cancellation_flag_analyzes_nothing_and_marks_everything_interrupted() {
    use std::sync::atomic::AtomicBool;
    use vigie::assess::{PortfolioMode, PortfolioOptions};
    let pack = vigie::rules::Pack::builtin().unwrap();
    let opts = vigie::AnalyzeOptions::default();
    let files: Vec<PathBuf> = files_under(Path::new("corpus/northwind-logistics"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let scan = vigie::scan::ScanOptions {
        analyze: &opts,
        portfolio: PortfolioOptions {
            mode: PortfolioMode::Folder,
            perspective: opts.perspective,
            report_language: opts.report_language,
        },
        window: 2,
        cache: None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    struct Collect(Vec<vigie::Document>, Vec<vigie::Item>);
    impl vigie::scan::Sink for Collect {
        type Error = ();
        fn document(&mut self, d: &vigie::Document) -> Result<(), ()> {
            self.0.push(d.clone());
            Ok(())
        }
        fn portfolio(&mut self, items: &[vigie::Item]) -> Result<(), ()> {
            self.1.extend_from_slice(items);
            Ok(())
        }
    }
    let mut sink = Collect(Vec::new(), Vec::new());
    vigie::scan::run(
        &files,
        &pack,
        &scan,
        &pool,
        &AtomicBool::new(true),
        &mut sink,
    )
    .unwrap();
    let Collect(seen, portfolio) = sink;
    assert_eq!(seen.len(), files.len());
    for d in &seen {
        assert_eq!(
            d.error.as_ref().unwrap().kind,
            vigie::ErrorKind::Interrupted,
            "{}",
            d.path
        );
        assert_eq!(d.residual_risk.level, vigie::RiskLevel::Unknown);
    }
    assert!(portfolio.is_empty());
}

#[test]
fn two_shards_merged_are_the_unsharded_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard_files = Vec::new();
    for k in ["1/2", "2/2"] {
        let path = dir.path().join(format!("shard-{}.jsonl", &k[..1]));
        vigie()
            .args([
                "scan", "corpus", "--format", "jsonl", "--shard", k, "--output",
            ])
            .arg(&path)
            .assert()
            .code(0);
        let lines = fs::read_to_string(&path).unwrap().lines().count();
        assert!(lines > 1, "shard {k} holds no document");
        shard_files.push(path);
    }
    // Each shard carries the paths its walk skipped: the merged table counts them as the
    // whole scan's does.
    for format in ["json", "jsonl", "table"] {
        let (_, whole) = run(&["scan", "corpus", "--format", format]);
        let merged = vigie()
            .arg("merge")
            .args(&shard_files)
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(merged.status.code(), Some(0));
        assert!(
            merged.stdout == whole,
            "merged {format} differs from the whole scan"
        );
    }
    // The same shard twice is an overlap, not a bigger report.
    let twice = vigie()
        .arg("merge")
        .args([&shard_files[0], &shard_files[0]])
        .output()
        .unwrap();
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("two reports"));
}

#[test]
fn a_cached_rescan_reports_the_same_and_ignores_damaged_entries() {
    let docs = tempfile::tempdir().unwrap();
    for i in 0..6 {
        let folder = docs.path().join(format!("client-{}", i % 2));
        fs::create_dir_all(&folder).unwrap();
        let rtf = format!(
            "{{\\rtf1\\ansi\\pard Contrat {i}\\par Article 12 \\endash  Force majeure\\par Les virus informatiques et le piratage sont des cas de force majeure ({i}).\\par}}"
        );
        fs::write(folder.join(format!("contrat-{i}.rtf")), rtf).unwrap();
    }
    // Plain text is not cached (it is read as fast as an entry), but is still reported.
    fs::write(
        docs.path().join("client-0/notes.md"),
        "Article 1 - Objet\n\nHebergement.\n",
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let scan = |cached: bool| {
        let mut c = vigie();
        c.arg("scan").arg(docs.path()).args(["--format", "json"]);
        if cached {
            c.arg("--cache").arg(cache.path());
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    let plain = scan(false);
    let report: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(report["documents"].as_array().unwrap().len(), 7);
    assert!(plain.windows(17).any(|w| w == b"fm.cyber_included"));
    assert!(scan(true) == plain, "cold cache changed the report");
    let entries: Vec<PathBuf> = files_under(cache.path());
    assert_eq!(entries.len(), 6, "one entry per RTF file: {entries:?}");
    assert!(scan(true) == plain, "warm cache changed the report");
    // Torn entries, and entries holding another file's (valid) analysis: all ignored.
    let originals: Vec<Vec<u8>> = entries.iter().map(|e| fs::read(e).unwrap()).collect();
    for (i, e) in entries.iter().enumerate() {
        if i % 2 == 0 {
            fs::write(e, b"{\"path\": \"tor").unwrap();
        } else {
            fs::write(e, &originals[(i + 1) % entries.len()]).unwrap();
        }
    }
    assert!(scan(true) == plain, "a damaged cache entry was trusted");
}
