//! PDF fixtures written here with lopdf (re-exported by pdf-extract) from the project's own
//! text: several pages with page numbers in the report, an image-only PDF, a truncated and
//! a garbage file, each with its outcome; and the worker isolation through the binary.

use pdf_extract::content::{Content, Operation};
use pdf_extract::{dictionary, Document, Object, Stream};
use vigie::extract::{extract_bytes, ErrorKind, Format};

/// A PDF with one page per entry of `pages`, each page a list of text lines.
fn pdf(pages: &[&[&str]]) -> Vec<u8> {
    save(pdf_doc(pages))
}

fn save(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn pdf_doc(pages: &[&[&str]]) -> Document {
    let pages: Vec<Vec<(i64, &str)>> = pages
        .iter()
        .map(|p| p.iter().map(|l| (50, *l)).collect())
        .collect();
    pdf_doc_at(&pages)
}

/// Like `pdf_doc`, with the x position of each line (two columns put lines at two x).
fn pdf_doc_at(pages: &[Vec<(i64, &str)>]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
        ];
        let mut y = 780;
        let mut last_x = None;
        for (x, l) in lines.iter() {
            // A new column starts again at the top of the page.
            if last_x.is_some_and(|lx| lx != *x) {
                y = 780;
            }
            last_x = Some(*x);
            ops.push(Operation::new(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    (*x).into(),
                    y.into(),
                ],
            ));
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(l);
            ops.push(Operation::new(
                "Tj",
                vec![Object::string_literal(bytes.into_owned())],
            ));
            y -= 16;
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let id = Object::string_literal(b"vigie-fixture-id".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc
}

fn contract() -> Vec<u8> {
    pdf(&[
        &[
            "CONTRAT D'HEBERGEMENT",
            "Article 1 - Objet",
            "Le Prestataire heberge les serveurs du Client.",
        ],
        &[
            "Article 9 - Force majeure",
            "Sont consideres comme cas de force majeure l'incendie, les virus informatiques",
            "et le piratage des serveurs du Prestataire.",
        ],
    ])
}

#[test]
fn multi_page_pdf_keeps_pages_and_cites_them() {
    let ex = extract_bytes(&contract(), Format::Pdf).unwrap();
    assert_eq!(ex.pages.len(), 2);
    assert_eq!(ex.extractor, "pdf-extract");
    assert!(
        ex.text[ex.pages[1].clone()].contains("Force majeure"),
        "{:?}",
        ex.text
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hebergement.pdf");
    std::fs::write(&p, contract()).unwrap();
    let out = assert_cmd::Command::cargo_bin("vigie")
        .unwrap()
        .arg("scan")
        .arg(&p)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["pages"], 2);
    assert_eq!(doc["extractor"], "pdf-extract");
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.cyber_included")
        .expect("found through the worker");
    assert_eq!(f["location"]["page"], 2);
    assert_eq!(f["location"]["clause"], "9");
}

/// A scanner's PDF: pages painted with inline images, no font anywhere.
fn inline_image_scan() -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut content =
        b"q 595 0 0 842 0 0 cm BI /W 2 /H 2 /CS /RGB /BPC 8 /F /FlateDecode ID ".to_vec();
    // Compressed image bytes are arbitrary: here an unbalanced string delimiter.
    content.extend_from_slice(b"x\x9c(\xec\x9d<yl\x1c\xe5\xfd\xff");
    content.extend_from_slice(b" EI Q");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.new_object_id();
    // As a real scanner wrote it: the procedure set points at a page object.
    doc.objects.insert(
        page_id,
        Object::Dictionary(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "ProcSet" => page_id },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    save(doc)
}

#[test]
fn a_scan_of_inline_images_needs_ocr() {
    let e = extract_bytes(&inline_image_scan(), Format::Pdf).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoTextLayer, "{}", e.message);
}

#[test]
fn image_only_truncated_and_garbage_pdfs_have_their_error_kind() {
    let blank = pdf(&[&[], &[]]);
    assert_eq!(
        extract_bytes(&blank, Format::Pdf).unwrap_err().kind,
        ErrorKind::NoTextLayer
    );
    let full = contract();
    let truncated = &full[..full.len() / 3];
    let kind = extract_bytes(truncated, Format::Pdf).unwrap_err().kind;
    assert!(
        matches!(kind, ErrorKind::Corrupt | ErrorKind::Crashed),
        "{kind:?}"
    );
    assert_eq!(
        extract_bytes(b"%PDF-1.7\nnonsense", Format::Pdf)
            .unwrap_err()
            .kind,
        ErrorKind::Corrupt
    );
    assert_eq!(
        extract_bytes(b"", Format::Pdf).unwrap_err().kind,
        ErrorKind::Corrupt
    );
}

/// A PDF whose extraction takes seconds: many pages of many lines.
fn slow_pdf() -> Vec<u8> {
    let line = "Le Prestataire assure la sauvegarde quotidienne des donnees du Client.";
    let page: Vec<&str> = std::iter::repeat_n(line, 45).collect();
    let pages: Vec<&[&str]> = std::iter::repeat_n(page.as_slice(), 3000).collect();
    pdf(&pages)
}

#[test]
fn worker_timeout_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.pdf"), slow_pdf()).unwrap();
    std::fs::write(dir.path().join("b.txt"), "Vente de mobilier.\n").unwrap();
    // The shortest limit stops the slow PDF's worker: a timeout; the text file is analyzed.
    let out = assert_cmd::Command::cargo_bin("vigie")
        .unwrap()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["documents"][0]["error"]["kind"],
        vigie::ErrorKind::Timeout.as_str()
    );
    assert_eq!(v["documents"][1]["status"], "ok");
}

#[test]
fn running_headers_go_and_a_clause_split_by_a_page_break_still_matches() {
    let page = |n: usize, body: &[&'static str]| -> Vec<String> {
        let mut v = vec!["NUVIA HEBERGEMENT - CONDITIONS GENERALES".to_string()];
        v.extend(body.iter().map(|s| s.to_string()));
        v.extend((0..6).map(|k| format!("Texte de remplissage {n}.{k} sans importance.")));
        v.push(format!("Page {n} / 3"));
        v
    };
    let p1 = page(
        1,
        &[
            "Article 1 - Objet",
            "Le Prestataire heberge les serveurs du Client.",
        ],
    );
    let mut p2 = page(2, &["Article 8 - Force majeure"]);
    let last = p2.len() - 1;
    p2.insert(
        last,
        "Sont consideres comme cas de force majeure l'incendie, la foudre".to_string(),
    );
    let mut p3 = page(3, &[]);
    p3.insert(1, "et le piratage des serveurs du Prestataire.".to_string());
    fn as_refs(p: &[String]) -> Vec<&str> {
        p.iter().map(String::as_str).collect()
    }
    let (a, b, c) = (as_refs(&p1), as_refs(&p2), as_refs(&p3));
    let bytes = pdf(&[&a, &b, &c]);

    let raw = vigie::extract::extract_bytes_raw(&bytes, Format::Pdf).unwrap();
    assert!(raw.text.contains("Page 2 / 3") && raw.text.matches("NUVIA").count() == 3);
    let ex = extract_bytes(&bytes, Format::Pdf).unwrap();
    assert!(
        !ex.text.contains("NUVIA") && !ex.text.contains("Page 2 / 3"),
        "{:?}",
        raw.text
    );

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cgv.pdf");
    std::fs::write(&p, &bytes).unwrap();
    let doc = vigie::analyze_file(
        &p,
        "cgv.pdf",
        &vigie::rules::Pack::builtin().unwrap(),
        &vigie::AnalyzeOptions::default(),
    );
    let f = doc
        .findings
        .iter()
        .find(|f| f.concept == "fm.cyber_included")
        .expect("the list spans pages 2 and 3");
    let loc = f.location.as_ref().unwrap();
    assert_eq!(loc.clause.as_deref(), Some("8"));
    assert!(f.excerpt.as_deref().unwrap().contains("piratage"));
}

#[test]
fn encrypted_pdf_needs_a_password() {
    let mut doc = pdf_doc(&[&[
        "Article 1 - Objet",
        "Le Prestataire heberge les serveurs du Client.",
    ]]);
    let version = pdf_extract::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "secret",
        key_length: 128,
        permissions: pdf_extract::Permissions::all(),
    };
    let state = pdf_extract::EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let e = extract_bytes(&save(doc), Format::Pdf).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Encrypted, "{}", e.message);
}

#[test]
fn words_hyphenated_at_line_ends_still_match() {
    let bytes = pdf(&[&[
        "CONTRAT DE MAINTENANCE",
        "Article 4 - Force majeure",
        "Sont consideres comme cas de force majeure l'incendie et les rançon-",
        "giciels visant les serveurs.",
    ]]);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.pdf");
    std::fs::write(&p, &bytes).unwrap();
    let doc = vigie::analyze_file(
        &p,
        "m.pdf",
        &vigie::rules::Pack::builtin().unwrap(),
        &vigie::AnalyzeOptions::default(),
    );
    let f = doc
        .findings
        .iter()
        .find(|f| f.concept == "fm.cyber_included");
    assert!(
        f.is_some(),
        "rançon-/giciels read as rançongiciels: {:?}",
        doc.findings
    );
}

#[test]
fn two_column_pages_are_read_column_by_column() {
    let left = [
        "Article 5 - Force majeure",
        "Sont consideres comme cas de force",
        "majeure l'incendie, les virus",
        "informatiques et le piratage.",
    ];
    let right = [
        "Article 6 - Prix",
        "Le prix est fixe dans le bon",
        "de commande du Client.",
    ];
    let mut page: Vec<(i64, &str)> = left.iter().map(|l| (50, *l)).collect();
    page.extend(right.iter().map(|l| (320, *l)));
    let bytes = save(pdf_doc_at(&[page]));
    let ex = extract_bytes(&bytes, Format::Pdf).unwrap();
    let t = ex.text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        t.contains("Sont consideres comme cas de force majeure l'incendie, les virus informatiques et le piratage."),
        "the left column reads as one sentence: {t}"
    );
    assert!(
        t.find("piratage").unwrap() < t.find("Article 6").unwrap(),
        "{t}"
    );
}

/// The process ids whose command line mentions `needle` (the scan's temporary folder).
#[cfg(target_os = "linux")]
fn processes_mentioning(needle: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .collect()
}

/// Waits up to `secs` for `done`.
#[cfg(target_os = "linux")]
fn wait_for(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    done()
}

/// A scan of a slow PDF (and a file named like an option) writing to `-o`, started, with
/// its extraction worker running; returns the child, the folders and the worker's marker.
#[cfg(target_os = "linux")]
fn scan_with_a_running_worker() -> (std::process::Child, tempfile::TempDir, tempfile::TempDir) {
    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("-rf.pdf"), slow_pdf()).unwrap();
    std::fs::write(docs.path().join("b.txt"), "Vente de mobilier.\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
        .arg("scan")
        .arg(docs.path())
        .arg("-o")
        .arg(out.path().join("r.json"))
        .args(["--format", "json", "--timeout", "600"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let marker = docs.path().to_string_lossy().into_owned();
    let me = child.id();
    assert!(
        wait_for(60, || processes_mentioning(&marker)
            .iter()
            .any(|&p| p != me)),
        "the extraction worker started"
    );
    (child, docs, out)
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_or_sighup_mid_scan_writes_the_report_and_leaves_no_temporary_file_nor_process() {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        stopped_by(signal);
    }
}

#[cfg(target_os = "linux")]
fn stopped_by(signal: i32) {
    let (mut child, docs, out) = scan_with_a_running_worker();
    // SAFETY: kill only sends a signal to our own child.
    unsafe { libc::kill(child.id() as i32, signal) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["r.json"], "the report, and no temporary file");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("r.json")).unwrap()).unwrap();
    let pdf = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"].as_str().unwrap().ends_with("-rf.pdf"))
        .unwrap();
    assert_eq!(
        pdf["error"]["kind"],
        vigie::ErrorKind::Interrupted.as_str(),
        "{pdf}"
    );
    let marker = docs.path().to_string_lossy().into_owned();
    assert!(
        wait_for(5, || processes_mentioning(&marker).is_empty()),
        "no worker left behind"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_worker_dies_with_its_killed_parent() {
    let (mut child, docs, out) = scan_with_a_running_worker();
    child.kill().unwrap();
    child.wait().unwrap();
    let marker = docs.path().to_string_lossy().into_owned();
    assert!(
        wait_for(5, || processes_mentioning(&marker).is_empty()),
        "the worker died with the scan"
    );
    drop(out);
}

#[test]
fn a_file_named_like_an_option_is_extracted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("-rf.pdf"), contract()).unwrap();
    let out = assert_cmd::Command::cargo_bin("vigie")
        .unwrap()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "--", "-rf.pdf"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["status"], "ok", "{}", v["documents"][0]);
}

#[cfg(unix)]
#[test]
fn a_worker_ends_itself_past_its_own_time_limit() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("slow.pdf");
    std::fs::write(&file, slow_pdf()).unwrap();
    let start = std::time::Instant::now();
    // No parent watches it here: only its own clock stops it.
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
        .args([
            "__extract-worker",
            "--max-memory",
            "1073741824",
            "--timeout",
            "1",
            "--",
        ])
        .arg(&file)
        // As `isolate::extract` starts it: mimalloc's default 1 GiB arenas do not fit the cap.
        .env("MIMALLOC_ARENA_RESERVE", "16MiB")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.signal(), Some(libc::SIGALRM));
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn a_worker_out_of_memory_is_its_own_error_kind() {
    let dir = tempfile::tempdir().unwrap();
    // Larger than the worker's whole memory: reading it fails at once (it was `unreadable`).
    let mut big = contract();
    big.resize(80 << 20, b' ');
    std::fs::write(dir.path().join("big.pdf"), big).unwrap();
    let out = assert_cmd::Command::cargo_bin("vigie")
        .unwrap()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "json", "--max-memory", "64M"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["documents"][0]["error"]["kind"],
        vigie::ErrorKind::OutOfMemory.as_str(),
        "{}",
        v["documents"][0]
    );
    assert_eq!(out.status.code(), Some(3));
}

/// Whether the OCR tools are here; without them the OCR tests skip, unless CI asks for them
/// (`VIGIE_REQUIRE_OCR=1`, set by `.ci/run`, which installs them).
fn ocr_tools() -> bool {
    let have = vigie::extract::tools::installed("tesseract")
        && vigie::extract::tools::installed("pdftoppm");
    if !have {
        assert!(
            std::env::var_os("VIGIE_REQUIRE_OCR").is_none(),
            "VIGIE_REQUIRE_OCR is set but tesseract or pdftoppm is not installed"
        );
        eprintln!("skipped: tesseract and pdftoppm are not installed");
    }
    have
}

/// An image-only copy of `pdf`, as a scanner makes it: each page rendered by pdftoppm to a
/// colour JPEG at 150 dpi and painted as the page's only content; no font, no text layer.
fn scanned_copy(pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.pdf");
    std::fs::write(&src, pdf).unwrap();
    // A4 at 150 dpi, named so the size is known without parsing the JPEG.
    let (w, h) = (1240i64, 1754i64);
    let status = std::process::Command::new("pdftoppm")
        .args(["-jpeg", "-scale-to-x", "1240", "-scale-to-y", "1754"])
        .arg(&src)
        .arg(dir.path().join("p"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut images: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    images.sort();
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for img in images {
        let jpeg = std::fs::read(img).unwrap();
        let image_id = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            },
            jpeg,
        ));
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            b"q 595 0 0 842 0 0 cm /Im1 Do Q".to_vec(),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    save(doc)
}

/// `vigie scan DIR --format json` with `args`, the JSON report.
fn scan_json(dir: &std::path::Path, args: &[&str], path_env: Option<&str>) -> serde_json::Value {
    let mut cmd = assert_cmd::Command::cargo_bin("vigie").unwrap();
    cmd.arg("scan")
        .arg(dir)
        .args(["--format", "json"])
        .args(args);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn concepts(doc: &serde_json::Value) -> Vec<String> {
    let mut c: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["concept"].as_str().unwrap().to_string())
        .collect();
    c.sort();
    c
}

#[test]
fn the_scanned_copy_of_a_contract_is_read_by_ocr_with_the_same_findings() {
    if !ocr_tools() {
        return;
    }
    let scan = scanned_copy(&contract());
    // No text layer: read in-process (no worker, no OCR), it needs OCR.
    let e = extract_bytes(&scan, Format::Pdf).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoTextLayer, "{}", e.message);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-text.pdf"), contract()).unwrap();
    std::fs::write(dir.path().join("b-scan.pdf"), &scan).unwrap();
    let v = scan_json(dir.path(), &[], None);
    let (text, ocr) = (&v["documents"][0], &v["documents"][1]);
    assert_eq!(ocr["status"], "ok", "{ocr}");
    assert_eq!(ocr["extractor"], "ocr");
    assert_eq!(ocr["pages"], 2);
    assert_eq!(concepts(ocr), concepts(text));
    let fm = ocr["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.cyber_included")
        .expect("the force-majeure clause read by OCR");
    assert_eq!(fm["location"]["page"], 2);
    assert_eq!(fm["location"]["clause"], "9");

    let off = scan_json(dir.path(), &["--ocr", "off"], None);
    assert_eq!(
        off["documents"][1]["error"]["kind"],
        vigie::ErrorKind::NoTextLayer.as_str()
    );
}

#[test]
fn without_the_ocr_tools_a_scan_stays_no_text_layer_with_what_to_install() {
    if !ocr_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scan.pdf"), scanned_copy(&contract())).unwrap();
    // An empty PATH: the worker (this binary, by its own path) finds no tesseract.
    let v = scan_json(dir.path(), &[], Some(""));
    let e = &v["documents"][0]["error"];
    assert_eq!(e["kind"], vigie::ErrorKind::NoTextLayer.as_str());
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("tesseract-ocr-fra") && message.contains("poppler-utils"),
        "{message}"
    );
}

/// The contract with its first page as text and its second page scanned, as when a signed
/// last page is scanned back into the file.
fn half_scanned() -> Vec<u8> {
    let mut doc = Document::load_mem(&scanned_copy(&contract())).unwrap();
    let first = *doc.get_pages().get(&1).unwrap();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
    ];
    let lines = [
        "CONTRAT D'HEBERGEMENT",
        "Article 1 - Objet",
        "Le Prestataire heberge les serveurs du Client.",
    ];
    for (n, l) in lines.iter().enumerate() {
        let y = 780 - 16 * n as i64;
        ops.push(Operation::new(
            "Tm",
            vec![1.into(), 0.into(), 0.into(), 1.into(), 50.into(), y.into()],
        ));
        ops.push(Operation::new(
            "Tj",
            vec![Object::string_literal(l.as_bytes().to_vec())],
        ));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page = doc.get_object_mut(first).unwrap().as_dict_mut().unwrap();
    page.set("Contents", content_id);
    page.set(
        "Resources",
        dictionary! { "Font" => dictionary! { "F1" => font } },
    );
    save(doc)
}

#[test]
fn only_the_pages_without_text_are_read_by_ocr_and_force_reads_them_all() {
    if !ocr_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("contract.pdf"), half_scanned()).unwrap();
    let v = scan_json(dir.path(), &[], None);
    let doc = &v["documents"][0];
    assert_eq!(doc["status"], "ok", "{doc}");
    assert_eq!(doc["extractor"], "pdf-extract+ocr");
    assert!(
        doc["warnings"]
            .to_string()
            .contains("1 page(s) without a text layer read by OCR"),
        "{doc}"
    );
    let fm = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.cyber_included")
        .expect("the scanned page's force-majeure clause");
    assert_eq!(fm["location"]["page"], 2);

    std::fs::write(dir.path().join("contract.pdf"), contract()).unwrap();
    // Told the language, OCR uses its model alone (`fra`), and still finds the clause.
    let v = scan_json(dir.path(), &["--ocr", "force", "--lang", "fr"], None);
    let doc = &v["documents"][0];
    assert_eq!(doc["extractor"], "ocr");
    assert!(
        concepts(doc).contains(&"fm.cyber_included".to_string()),
        "{doc}"
    );
}

/// Pages per second of OCR (render and read), on a scanned copy of a ten-page contract:
/// `bench/ocr.sh` runs it.
#[test]
#[ignore]
fn ocr_pages_per_second() {
    if !ocr_tools() {
        return;
    }
    let page: &[&str] = &[
        "Article 9 - Force majeure",
        "Sont consideres comme cas de force majeure l'incendie, les virus informatiques",
        "et le piratage des serveurs du Prestataire. Le Prestataire sauvegarde les donnees",
        "du Client chaque jour et conserve les copies pendant trente jours.",
    ];
    let pages = vec![page; 10];
    let scan = scanned_copy(&pdf(&pages));
    let start = std::time::Instant::now();
    let texts = vigie::extract::ocr::ocr_pages(&scan, None, None).unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(texts.len(), 10);
    assert!(texts.iter().all(|t| t.contains("majeure")));
    println!(
        "OCR: {} pages in {secs:.2} s = {:.2} pages/s (300 dpi, fra+eng, one thread)",
        texts.len(),
        texts.len() as f64 / secs
    );
}
