//! The HTML report in a real browser: headless Chromium renders it without a console error,
//! its script runs (filters applied from the URL fragment), and a screenshot is kept in
//! target/vigie-html-report.png for a human look; and its first screen (1280×800) shows
//! the scope header and the summary, not the coverage list (target/screens/). Skipped when Chromium is missing, unless
//! VIGIE_REQUIRE_BROWSER=1 (CI), then it fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use vigie::model::Perspective;
use vigie::report::format;
use vigie::rules::Pack;
use vigie::{analyze_file, report, AnalyzeOptions};

const CHROMIUM: &str = "/usr/bin/chromium";

fn browser() -> Option<&'static str> {
    if Path::new(CHROMIUM).exists() {
        return Some(CHROMIUM);
    }
    assert!(
        std::env::var("VIGIE_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "VIGIE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing"
    );
    eprintln!("skipped: {CHROMIUM} not found (set VIGIE_REQUIRE_BROWSER=1 to require it)");
    None
}

/// Two folders of the corpus (one with portfolio checks) and an unreadable PDF.
fn write_report(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack = Pack::builtin().unwrap();
    let broken = dir.join("broken.pdf");
    std::fs::write(&broken, b"%PDF-1.4 truncated").unwrap();
    let mut files: Vec<(PathBuf, String)> =
        ["corpus/clinique-des-tilleuls", "corpus/northwind-logistics"]
            .iter()
            .flat_map(|f| vigie::discover::discover(&[root.join(f)]).files)
            .map(|p| {
                let label = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                (p, label)
            })
            .collect();
    files.push((broken, "broken.pdf".into()));
    let docs: Vec<_> = files
        .iter()
        .map(|(p, l)| analyze_file(p, l, &pack, &AnalyzeOptions::default()))
        .collect();
    let portfolio = vigie::assess::assess_portfolios(
        &docs,
        &pack,
        &vigie::assess::PortfolioOptions {
            mode: vigie::assess::PortfolioMode::Folder,
            perspective: Perspective::Client,
            report_language: vigie::model::Language::En,
        },
    );
    let r = report::build(docs, portfolio, Perspective::Client, "test");
    let path = dir.join("report.html");
    let mut f = std::fs::File::create(&path).unwrap();
    format::html::write_html(&r, &mut f).unwrap();
    path
}

fn chromium(exe: &str, args: &[&str], url: &str) -> std::process::Output {
    chromium_sized(exe, "1280,2000", args, url)
}

fn chromium_sized(exe: &str, size: &str, args: &[&str], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(exe)
        .args(["--headless", "--disable-gpu", "--no-sandbox"])
        .arg(format!("--window-size={size}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs")
}

#[test]
fn html_report_renders_in_chromium_without_console_errors() {
    let Some(exe) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = write_report(dir.path());
    let url = format!("file://{}", html.display());

    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/vigie-html-report.png");
    // `target/` is absent when CARGO_TARGET_DIR points elsewhere.
    std::fs::create_dir_all(shot.parent().expect("target/")).expect("target/ writable");
    let _ = std::fs::remove_file(&shot);
    let out = chromium(
        exe,
        &[
            &format!("--screenshot={}", shot.display()),
            "--enable-logging=stderr",
            "--v=0",
        ],
        &url,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.contains("Uncaught") || l.contains("CONSOLE") || l.contains("Content Security Policy")
        })
        .collect();
    assert!(
        console.is_empty(),
        "console output from the page:\n{}",
        console.join("\n")
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.len() > 10_000 && png.starts_with(b"\x89PNG"),
        "screenshot looks empty"
    );
    eprintln!("screenshot: {}", shot.display());

    // The script ran and applied the filter of the fragment: only the findings that are
    // medium or worse for the provider stay visible.
    let dom = chromium(
        exe,
        &["--dump-dom"],
        &format!("{url}#perspective=provider&sev=critical,high,medium"),
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("data-ready=\"1\""),
        "the report's script did not run"
    );
    assert!(dom.contains("data-perspective=\"provider\""));
    let (mut visible, mut expected, mut total) = (0, 0, 0);
    for tag in dom.split("<div class=\"finding\"").skip(1) {
        let attrs = tag.split('>').next().unwrap_or("");
        total += 1;
        visible += usize::from(!attrs.contains("hidden"));
        expected += usize::from(
            ["critical", "high", "medium"]
                .iter()
                .any(|s| attrs.contains(&format!("data-sev-provider=\"{s}\""))),
        );
    }
    assert!(total > 0, "no finding in the page");
    assert_eq!(visible, expected, "filter by perspective and severity");
    assert!(
        visible > 0 && visible < total,
        "the filter should keep some and hide some"
    );
    assert!(
        dom.contains("not analyzed"),
        "coverage lists the unreadable PDF"
    );
}

/// What a reader sees first on a laptop screen (1280×800): the scope header and the start of
/// the per-folder summary; the coverage list is folded. A script added to a copy of the
/// page measures the layout and writes it into the DOM, which `--dump-dom` returns.
#[test]
fn html_report_opens_on_the_scope_and_the_summary() {
    let Some(exe) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = write_report(dir.path());
    let page = std::fs::read_to_string(&html).unwrap();
    let probe = "<script>addEventListener('load',()=>{const top=id=>{const e=document.getElementById(id);return e?Math.round(e.getBoundingClientRect().top):-1};\
        const c=document.querySelector('#coverage details');\
        document.body.dataset.fold=['scope','summary','matrix','coverage'].map(id=>id+':'+top(id)).join(',')+',h:'+innerHeight+',open:'+(c&&c.open)+',folder:'+Math.round(document.querySelector('.folder').getBoundingClientRect().top)})</script></body>";
    let probed = dir.path().join("probed.html");
    std::fs::write(&probed, page.replace("</body>", probe)).unwrap();
    let url = format!("file://{}", probed.display());
    let dom = chromium_sized(exe, "1280,800", &["--dump-dom"], &url);
    let dom = String::from_utf8_lossy(&dom.stdout);
    let fold = dom
        .split("data-fold=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the probe ran");
    let get = |k: &str| -> i64 {
        fold.split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{k}:")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{k} in {fold}"))
    };
    let height = get("h");
    // Nothing before the scope header but the heading's margin.
    assert!(
        get("scope") < 50,
        "the page opens on the scope header: {fold}"
    );
    assert!(
        get("summary") < height / 2,
        "the summary starts in the first half: {fold}"
    );
    assert!(
        get("folder") < height,
        "a folder's summary is on the first screen: {fold}"
    );
    assert!(
        get("matrix") > get("summary") && get("coverage") > get("matrix"),
        "{fold}"
    );
    assert!(
        fold.contains("open:false"),
        "the coverage list is folded: {fold}"
    );

    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screens");
    std::fs::create_dir_all(&shots).expect("target/ writable");
    let shot = shots.join("html-first-screen.png");
    let _ = std::fs::remove_file(&shot);
    chromium_sized(
        exe,
        "1280,800",
        &[&format!("--screenshot={}", shot.display())],
        &format!("file://{}", html.display()),
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.len() > 10_000 && png.starts_with(b"\x89PNG"),
        "screenshot looks empty"
    );
    eprintln!("first screen: {}", shot.display());
}
