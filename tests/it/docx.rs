//! DOCX fixtures built here from the project's own text (no binary fixture committed):
//! automatic numbering, tracked changes, field codes, tables, headers kept out, footnotes,
//! and the broken inputs (not a zip, zip bomb) with their error kinds.

use std::io::Write;
use vigie::extract::{extract_bytes, ErrorKind, Format};
use vigie::rules::Pack;
use vigie::{analyze_file, AnalyzeOptions};
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(parts: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, body) in parts {
            z.start_file(*name, SimpleFileOptions::default()).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn para(num: Option<(u8, u8)>, runs: &str) -> String {
    let ppr = num.map_or(String::new(), |(id, lvl)| {
        format!(
            r#"<w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{id}"/></w:numPr></w:pPr>"#
        )
    });
    format!("<w:p>{ppr}{runs}</w:p>")
}

fn run(t: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#)
}

fn sample() -> Vec<u8> {
    let numbering = format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="7">
<w:lvl w:ilvl="0"><w:start w:val="12"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1 –"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
    );
    let body = [
        para(None, &run("CONTRAT D'INFOGÉRANCE")),
        para(Some((3, 0)), &run("Force majeure")),
        para(
            Some((3, 1)),
            &format!(
                "{}<w:ins w:id=\"1\">{}</w:ins><w:del w:id=\"2\"><w:r><w:delText>les grèves, </w:delText></w:r></w:del>{}",
                run("Sont considérés comme cas de force majeure l'incendie, "),
                run("les virus informatiques, le piratage "),
                run("et la foudre.")
            ),
        ),
        para(
            Some((3, 1)),
            &format!(
                r#"{}<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF Annexe_2 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
                run("Voir l'"),
                run("Annexe 2")
            ),
        ),
        para(Some((3, 0)), &run("Sauvegardes")),
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            para(None, &run("RPO")),
            para(None, &run("4 heures")),
            para(None, &run("RTO")),
            para(None, &run("24 heures"))
        ),
    ]
    .concat();
    docx(&[
        ("[Content_Types].xml", "<Types/>".into()),
        (
            "word/document.xml",
            format!("<w:document {W}><w:body>{body}</w:body></w:document>"),
        ),
        ("word/numbering.xml", numbering),
        (
            "word/header1.xml",
            format!("<w:hdr {W}>{}</w:hdr>", para(None, &run("CONFIDENTIEL"))),
        ),
        (
            "word/footnotes.xml",
            format!(
                "<w:footnotes {W}><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
                para(None, &run("Voir C. civ., art. 1218."))
            ),
        ),
    ])
}

#[test]
fn docx_text_numbering_tracked_changes_fields_tables() {
    let ex = extract_bytes(&sample(), Format::Docx).unwrap();
    let t = &ex.text;
    assert!(t.contains("Article 12 – Force majeure\n"), "{t}");
    assert!(t.contains("12.1 Sont considérés comme cas de force majeure l'incendie, les virus informatiques, le piratage et la foudre."), "{t}");
    assert!(!t.contains("grèves"), "tracked deletions are out: {t}");
    assert!(
        t.contains("12.2 Voir l'Annexe 2") && !t.contains("REF"),
        "field result, not code: {t}"
    );
    assert!(t.contains("Article 13 – Sauvegardes"), "{t}");
    assert!(t.contains("| RPO | 4 heures |"), "{t}");
    assert!(!t.contains("CONFIDENTIEL"), "headers stay out: {t}");
    assert!(
        t.contains("Voir C. civ., art. 1218."),
        "footnotes are kept: {t}"
    );
}

#[test]
fn docx_is_analyzed_with_clause_numbers_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("contrat.docx");
    std::fs::write(&p, sample()).unwrap();
    let doc = analyze_file(
        &p,
        "contrat.docx",
        &Pack::builtin().unwrap(),
        &AnalyzeOptions::default(),
    );
    assert_eq!(doc.format.as_deref(), Some("docx"));
    let f = doc
        .findings
        .iter()
        .find(|f| f.concept == "fm.cyber_included")
        .expect("cyber force majeure found");
    assert_eq!(f.location.as_ref().unwrap().clause.as_deref(), Some("12.1"));
}

#[test]
fn broken_docx_inputs_have_their_error_kind() {
    assert_eq!(
        extract_bytes(b"PK not a zip at all", Format::Docx)
            .unwrap_err()
            .kind,
        ErrorKind::Corrupt
    );
    assert_eq!(
        extract_bytes(b"", Format::Docx).unwrap_err().kind,
        ErrorKind::Corrupt
    );
    let no_body = docx(&[("word/styles.xml", "<w:styles/>".into())]);
    assert_eq!(
        extract_bytes(&no_body, Format::Docx).unwrap_err().kind,
        ErrorKind::Corrupt
    );
    let bomb = docx(&[(
        "word/document.xml",
        format!("<w:document {W}>{}</w:document>", " ".repeat(20 << 20)),
    )]);
    let e = extract_bytes(&bomb, Format::Docx).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge, "{}", e.message);
    let dtd = docx(&[(
        "word/document.xml",
        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><w:document>&a;</w:document>".into(),
    )]);
    assert_eq!(
        extract_bytes(&dtd, Format::Docx).unwrap_err().kind,
        ErrorKind::Corrupt
    );
    let deep = docx(&[(
        "word/document.xml",
        format!("{}{}", "<a>".repeat(5000), "</a>".repeat(5000)),
    )]);
    assert_eq!(
        extract_bytes(&deep, Format::Docx).unwrap_err().kind,
        ErrorKind::Corrupt
    );
}

#[test]
fn odt_text_headings_numbers_lists_tables_and_tracked_deletions() {
    let content = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>les grèves,</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h text:outline-level="1"><text:number>Article 12 –</text:number>Force majeure</text:h>
<text:p>Sont considérés comme cas de force majeure l'incendie,<text:s/><text:change text:change-id="c1"/>les virus informatiques et le piratage.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Voir C. civ., art. 1218.</text:p></text:note-body></text:note></text:p>
<table:table><table:table-row><table:table-cell><text:p>RPO</text:p></table:table-cell><table:table-cell><text:p>4 heures</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"#;
    let bytes = docx(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".into()),
        ("content.xml", content.into()),
    ]);
    let ex = extract_bytes(&bytes, Format::Odt).unwrap();
    let t = &ex.text;
    assert!(t.contains("Article 12 – Force majeure\n"), "{t}");
    assert!(
        t.contains("l'incendie, les virus informatiques et le piratage."),
        "{t}"
    );
    assert!(!t.contains("grèves"), "tracked deletions are out: {t}");
    assert!(t.contains("| RPO | 4 heures |"), "{t}");
    assert!(
        t.contains("Notes\nVoir C. civ., art. 1218."),
        "notes after the body: {t}"
    );
    assert_eq!(
        extract_bytes(b"not a zip", Format::Odt).unwrap_err().kind,
        ErrorKind::Corrupt
    );
}

#[test]
fn rtf_is_read_as_plain_text() {
    let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\pard Article 12 \endash  Force majeure\par Les virus informatiques et le piratage sont des cas de force majeure.\par}";
    let ex = extract_bytes(rtf, Format::Rtf).unwrap();
    assert!(ex.text.contains("Article 12"), "{}", ex.text);
    assert_eq!(
        extract_bytes(b"hello", Format::Rtf).unwrap_err().kind,
        ErrorKind::Corrupt
    );
}

/// Writes the seeds of the `docx` fuzz target from the sample above: the archive itself,
/// and its XML parts joined by NUL bytes (the target zips such input before reading it).
/// Run with `cargo test --test docx -- --ignored` after changing `sample`.
#[test]
#[ignore = "writes fuzz/seeds/docx; run by hand"]
fn write_docx_fuzz_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/docx");
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = sample();
    std::fs::write(dir.join("sample.docx"), &bytes).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut parts = Vec::new();
    for name in ["word/document.xml", "word/numbering.xml", "word/styles.xml"] {
        let mut body = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            std::io::Read::read_to_string(&mut f, &mut body).unwrap();
        }
        parts.push(body);
    }
    std::fs::write(dir.join("sample-parts.xml"), parts.join("\0")).unwrap();
    let back = std::fs::read(dir.join("sample.docx")).unwrap();
    let ex = extract_bytes(&back, Format::Docx).unwrap();
    assert!(
        ex.text.contains("Article 12 – Force majeure"),
        "{}",
        ex.text
    );
}
