//! The scan under hostile conditions (issue 14): a report never overwrites what it reads
//! and writes through links and FIFOs, concurrent writers never mix, options that cannot
//! work are usage errors, every path the walk met is in the report, and names can neither
//! drive the terminal nor collapse into one another.

use crate::common::{json, vigie, CYBER_FM};
use std::fs;
use std::path::Path;
use std::process::Stdio;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_output_that_is_a_scanned_document_is_refused_and_left_intact() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.md");
    fs::write(&c, CYBER_FM).unwrap();
    // The file itself, and the file found inside a scanned folder.
    for input in [c.clone(), dir.path().to_path_buf()] {
        let out = vigie()
            .arg("scan")
            .arg(&input)
            .arg("-o")
            .arg(&c)
            .args(["--format", "markdown"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("one of the scanned documents"),
            "{}",
            stderr(&out)
        );
        assert_eq!(fs::read_to_string(&c).unwrap(), CYBER_FM);
        assert_eq!(names(dir.path()), ["c.md"], "no temporary file left");
    }
}

#[test]
fn an_output_in_a_missing_folder_fails_before_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.txt"), CYBER_FM).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("no-such-folder/r.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot create"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("c.txt"),
        "nothing was scanned: {}",
        stderr(&out)
    );
}

#[test]
fn dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.txt"), CYBER_FM).unwrap();
    let out = vigie()
        .current_dir(dir.path())
        .args(["scan", "c.txt", "-o", "-", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out.stdout)["documents"][0]["path"], "c.txt");
    assert_eq!(names(dir.path()), ["c.txt"]);
}

#[cfg(unix)]
#[test]
fn an_output_symlink_is_written_through_not_replaced() {
    let docs = tempfile::tempdir().unwrap();
    fs::write(docs.path().join("c.txt"), CYBER_FM).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let real = out_dir.path().join("real.json");
    fs::write(&real, "old").unwrap();
    let link = out_dir.path().join("latest.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(docs.path())
        .arg("-o")
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let v = json(&fs::read(&real).unwrap());
    assert_eq!(v["summary"]["documents"], 1);
    assert_eq!(names(out_dir.path()), ["latest.json", "real.json"]);
}

#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_is_written_into_not_replaced() {
    let docs = tempfile::tempdir().unwrap();
    fs::write(docs.path().join("c.txt"), CYBER_FM).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(docs.path())
        .args(["-o", "/dev/stdout", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out.stdout)["summary"]["documents"], 1);
    assert!(fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn an_output_fifo_is_written_into_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let docs = tempfile::tempdir().unwrap();
    fs::write(docs.path().join("c.txt"), CYBER_FM).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let fifo = out_dir.path().join("report.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let out = vigie()
        .arg("scan")
        .arg(docs.path())
        .arg("-o")
        .arg(&fifo)
        .args(["--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&reader.join().unwrap());
    assert_eq!(v["summary"]["documents"], 1);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names(out_dir.path()), ["report.fifo"]);
}

#[test]
fn two_scans_writing_one_output_never_mix() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for i in 0..30 {
        fs::write(a.path().join(format!("a{i}.txt")), CYBER_FM).unwrap();
    }
    fs::write(b.path().join("b.txt"), CYBER_FM).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("r.json");
    let exe = assert_cmd::cargo::cargo_bin("vigie");
    for _ in 0..3 {
        let children: Vec<_> = [a.path(), b.path()]
            .iter()
            .map(|input| {
                std::process::Command::new(&exe)
                    .arg("scan")
                    .arg(input)
                    .arg("-o")
                    .arg(&target)
                    .args(["--format", "json", "--jobs", "1"])
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert_eq!(c.wait().unwrap().code(), Some(0));
        }
        let v = json(&fs::read(&target).unwrap());
        let n = v["summary"]["documents"].as_u64().unwrap();
        assert!(n == 30 || n == 1, "{n}");
        assert_eq!(v["documents"].as_array().unwrap().len() as u64, n);
        assert_eq!(names(out_dir.path()), ["r.json"], "no temporary file left");
    }
}

#[test]
fn impossible_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.txt"), CYBER_FM).unwrap();
    for (option, value, says) in [
        ("--jobs", "0", "too small"),
        ("--jobs", "100000", "too large"),
        ("--max-memory", "1", "too small"),
        ("--max-memory", "lots", "not a size"),
        ("--timeout", "0", "too small"),
        ("--max-file-size", "0", "too small"),
        ("--max-file-size", "12X", "not a size"),
    ] {
        let out = vigie()
            .arg("scan")
            .arg(dir.path())
            .args([option, value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{option} {value}");
        assert!(
            stderr(&out).contains(says),
            "{option} {value}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty(), "{option} {value}: no report");
    }
}

#[test]
fn sizes_take_suffixes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("big.txt"), CYBER_FM.repeat(10)).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args([
            "--format",
            "json",
            "--max-file-size",
            "1K",
            "--max-memory",
            "256M",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        json(&out.stdout)["documents"][0]["error"]["kind"],
        vigie::ErrorKind::TooLarge.as_str()
    );
}

/// The writing end of a pipe whose reader is already gone: every write fails with EPIPE,
/// however little is written (a live pipe would buffer a short output whole).
#[cfg(unix)]
fn closed_pipe() -> std::fs::File {
    use std::os::unix::io::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: pipe fills the two descriptors; the read end is closed at once and the write
    // end is owned by the returned File.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        libc::close(fds[0]);
        std::fs::File::from_raw_fd(fds[1])
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    for args in [&["rules", "list"][..], &["rules", "list", "--json"][..]] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
            .args(args)
            .stdout(closed_pipe())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// Every path the walk met, by reason, from a JSON report.
fn skipped(v: &serde_json::Value) -> Vec<(String, String)> {
    v["skipped"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    let p = s["path"].as_str().unwrap();
                    let name = Path::new(p).file_name().unwrap().to_string_lossy();
                    (name.into_owned(), s["reason"].as_str().unwrap().to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn every_path_met_is_analyzed_or_skipped_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    fs::write(r.join("contrat.txt"), CYBER_FM).unwrap();
    fs::write(r.join("scan.jpg"), [0xFFu8, 0xD8, 0xFF]).unwrap();
    fs::write(r.join(".notes.txt"), CYBER_FM).unwrap();
    fs::write(r.join("brouillon.txt"), CYBER_FM).unwrap();
    fs::write(r.join(".vigieignore"), "brouillon.txt\n").unwrap();
    mkfifo(&r.join("x.txt"));
    std::os::unix::fs::symlink("nowhere.txt", r.join("dangling.txt")).unwrap();
    // A report of an earlier scan, left in the folder.
    let earlier = vigie()
        .arg("scan")
        .arg(r.join("contrat.txt"))
        .args(["--format", "html"])
        .output()
        .unwrap();
    fs::write(r.join("report.html"), &earlier.stdout).unwrap();
    let csv = vigie()
        .arg("scan")
        .arg(r.join("contrat.txt"))
        .args(["--format", "csv"])
        .output()
        .unwrap();
    fs::write(r.join("findings.txt"), &csv.stdout).unwrap();

    let out = vigie()
        .arg("scan")
        .arg(r)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = json(&out.stdout);
    let docs: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert!(docs[0].ends_with("contrat.txt"));
    let mut got = skipped(&v);
    got.sort();
    let want: Vec<(String, String)> = [
        (".notes.txt", "hidden"),
        (".vigieignore", "hidden"),
        ("brouillon.txt", "ignored"),
        ("dangling.txt", "dangling_link"),
        ("findings.txt", "vigie_report"),
        ("report.html", "vigie_report"),
        ("scan.jpg", "not_a_document"),
        ("x.txt", "not_a_regular_file"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(v["summary"]["skipped"], 8);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Counted in the other formats too.
    let html = vigie()
        .arg("scan")
        .arg(r)
        .args(["--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains("<table id=\"skipped\">"), "HTML lists them");
    assert!(html.contains("dangling_link"));
    for format in ["table", "markdown"] {
        let out = vigie()
            .arg("scan")
            .arg(r)
            .args(["--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("8 path(s)"), "{format}: {text}");
    }
    let jsonl = vigie()
        .arg("scan")
        .arg(r)
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    let last = String::from_utf8(jsonl.stdout).unwrap();
    let summary = json(last.lines().last().unwrap().as_bytes());
    assert_eq!(skipped(&summary).len(), 8);
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_counts_like_an_unreadable_document() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    fs::write(r.join("contrat.txt"), CYBER_FM).unwrap();
    let locked = r.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("in.txt"), CYBER_FM).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        // root reads anything: nothing to test here.
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let run = |extra: &[&str]| {
        vigie()
            .arg("scan")
            .arg(r)
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let allowed = run(&["--allow-unreadable"]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(allowed.status.code(), Some(0));
    let v = json(&out.stdout);
    assert_eq!(skipped(&v), [("locked".into(), "unreadable_folder".into())]);
    assert_eq!(v["summary"]["unreadable"], 1);
}

#[test]
fn a_note_about_a_contract_is_typed_other_and_gets_no_missing_finding() {
    let dir = tempfile::tempdir().unwrap();
    let note = "# GitHub Enterprise Subscription Agreement (on-premises Software + hosted Service)\n\n\
        - File: `github-enterprise-subscription-agreement.md` (Markdown, 60393 bytes), byte-for-byte copy.\n\
        - Source repository: https://github.com/github/site-policy\n\
        - Licence: CC0 1.0 Universal\n\
        - Language: en\n\
        - Document type (vocabulary): it_services\n";
    fs::write(dir.path().join("SOURCE.md"), note).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = json(&out.stdout);
    let d = &v["documents"][0];
    assert_eq!(d["doc_type"], "other", "{d}");
    let missing: Vec<&str> = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["concept"].as_str().unwrap())
        .filter(|c| c.ends_with(".missing"))
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[cfg(unix)]
#[test]
fn control_characters_and_invalid_utf8_in_names_are_escaped_never_collapsed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    fs::write(r.join("evil\x1b[31m\rname.txt"), CYBER_FM).unwrap();
    fs::write(r.join(OsStr::from_bytes(b"bad\xff.txt")), CYBER_FM).unwrap();
    fs::write(r.join(OsStr::from_bytes(b"bad\xfe.txt")), CYBER_FM).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(r)
        .args(["--format", "table"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        !table.contains('\x1b') && !table.contains('\r'),
        "{table:?}"
    );
    assert!(table.contains("evil\\x1b[31m\\rname.txt"), "{table}");
    let out = vigie()
        .arg("scan")
        .arg(r)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = json(&out.stdout);
    let paths: Vec<String> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 3);
    assert!(
        paths.iter().any(|p| p.ends_with("bad\\xff.txt")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("bad\\xfe.txt")),
        "{paths:?}"
    );
    assert!(v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "ok"));
}

#[test]
fn a_huge_text_is_analyzed_up_to_the_cap_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // About 10 MiB: over the 8 MiB analyzed per document. A contract, then prose.
    let filler = "Les parties se sont rencontrées pour la revue annuelle du projet.\n";
    let mut big = CYBER_FM.to_string();
    big.push_str(&filler.repeat(10 * 1024 * 1024 / filler.len()));
    fs::write(dir.path().join("big.txt"), &big).unwrap();
    let out = vigie()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json"])
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out.stdout);
    let d = &v["documents"][0];
    assert_eq!(d["bytes"].as_u64().unwrap(), big.len() as u64);
    let warnings = d["warnings"].to_string();
    assert!(
        warnings.contains("only the first 8.0 MiB of 10.0 MiB"),
        "{warnings}"
    );
    assert!(
        d["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["concept"] == "fm.cyber_included"),
        "the head is analyzed"
    );
}
