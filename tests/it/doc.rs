//! Old binary Word `.doc` files: read through antiword when it is installed (in the
//! extraction worker), else `unsupported_format` with what to install. The `.doc` is
//! written here, byte by byte: a Word 6 document (FIB, a stylesheet with no style, the text
//! in cp1252) in an OLE2 compound file of 512-byte sectors.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const CONTRACT: &str = "Contrat de maintenance informatique\r\rArticle 1 - Objet\rLe Prestataire assure la maintenance et l'hébergement des serveurs du Client.\r\rArticle 12 - Force majeure\rSont considérés comme cas de force majeure : l'incendie, les virus informatiques, le piratage et les rançongiciels.\r";

/// Sector size of the compound file, and the stream size from which a stream lives in
/// ordinary sectors (smaller ones would need the mini stream).
const SECTOR: usize = 512;
const STREAM: usize = 4096;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// The WordDocument stream of a Word 6 file: the FIB, a stylesheet, then `text`.
fn word_document(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let mut wd = vec![0u8; STREAM];
    let text_at = 1024;
    put16(&mut wd, 0x00, 0xA5DC); // wIdent: Word 6/7
    put16(&mut wd, 0x02, 101); // nFib: Word 6 for Windows
    put16(&mut wd, 0x06, 0x040C); // lid: French
    put32(&mut wd, 0x18, text_at as u32); // fcMin
    put32(&mut wd, 0x1C, (text_at + bytes.len()) as u32); // fcMac
    put32(&mut wd, 0x34, bytes.len() as u32); // ccpText
                                              // A stylesheet declaring no style: antiword reads one even when its length is 0.
    let stsh_at = 0x300;
    let mut stsh = vec![0u8; 16];
    put16(&mut stsh, 0, 14); // cbStshi
    put16(&mut stsh, 4, 10); // cbSTDBaseInFile
    wd[stsh_at..stsh_at + stsh.len()].copy_from_slice(&stsh);
    put32(&mut wd, 0x60, stsh_at as u32); // fcStshf
    put32(&mut wd, 0x64, stsh.len() as u32); // lcbStshf
    wd[text_at..text_at + bytes.len()].copy_from_slice(&bytes);
    wd
}

/// A directory entry of the compound file.
fn entry(name: &str, kind: u8, child: u32, start: u32, size: u32) -> Vec<u8> {
    let mut e = vec![0u8; 128];
    if !name.is_empty() {
        let utf16: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        e[..utf16.len()].copy_from_slice(&utf16);
        put16(&mut e, 0x40, utf16.len() as u16);
    }
    e[0x42] = kind;
    e[0x43] = 1; // black
    put32(&mut e, 0x44, FREE); // left sibling
    put32(&mut e, 0x48, FREE); // right sibling
    put32(&mut e, 0x4C, child);
    put32(&mut e, 0x74, start);
    put32(&mut e, 0x78, size);
    e
}

/// Header, one FAT sector, one directory sector, then the WordDocument stream.
fn doc_file(text: &str) -> Vec<u8> {
    let stream = word_document(text);
    let stream_sectors = STREAM / SECTOR;
    let mut header = vec![0u8; SECTOR];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put16(&mut header, 0x18, 0x3E); // minor version
    put16(&mut header, 0x1A, 3); // major version: 512-byte sectors
    put16(&mut header, 0x1C, 0xFFFE); // little-endian
    put16(&mut header, 0x1E, 9); // sector shift
    put16(&mut header, 0x20, 6); // mini sector shift
    put32(&mut header, 0x2C, 1); // FAT sectors
    put32(&mut header, 0x30, 1); // first directory sector
    put32(&mut header, 0x38, STREAM as u32); // mini stream cutoff
    put32(&mut header, 0x3C, END_OF_CHAIN); // no mini FAT
    put32(&mut header, 0x44, END_OF_CHAIN); // no DIFAT sector
    put32(&mut header, 0x4C, 0); // the FAT is sector 0
    for i in 1..109 {
        put32(&mut header, 0x4C + 4 * i, FREE);
    }
    // FAT: sector 0 is the FAT, 1 the directory, 2.. the stream, chained.
    let mut fat = vec![0u8; SECTOR];
    let mut chain = vec![0xFFFF_FFFD, END_OF_CHAIN];
    chain.extend((0..stream_sectors).map(|i| {
        if i + 1 == stream_sectors {
            END_OF_CHAIN
        } else {
            (i + 3) as u32
        }
    }));
    for i in 0..SECTOR / 4 {
        put32(&mut fat, 4 * i, chain.get(i).copied().unwrap_or(FREE));
    }
    let mut dir = entry("Root Entry", 5, 1, END_OF_CHAIN, 0);
    dir.extend(entry("WordDocument", 2, FREE, 2, STREAM as u32));
    dir.extend(entry("", 0, FREE, 0, 0));
    dir.extend(entry("", 0, FREE, 0, 0));
    [header, fat, dir, stream].concat()
}

/// Whether antiword is here; CI installs it (`.ci/run`) and sets VIGIE_REQUIRE_OCR=1.
fn antiword() -> bool {
    let have = vigie::extract::tools::installed("antiword");
    if !have {
        assert!(
            std::env::var_os("VIGIE_REQUIRE_OCR").is_none(),
            "VIGIE_REQUIRE_OCR is set but antiword is not installed"
        );
        eprintln!("skipped: antiword is not installed");
    }
    have
}

fn scan_json(dir: &Path, path_env: Option<&str>) -> Value {
    let mut cmd = Command::cargo_bin("vigie").unwrap();
    cmd.arg("scan").arg(dir).args(["--format", "json"]);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    serde_json::from_slice(&cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn a_doc_is_analyzed_through_antiword() {
    if !antiword() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("contrat.doc"), doc_file(CONTRACT)).unwrap();
    let v = scan_json(dir.path(), None);
    let doc = &v["documents"][0];
    assert_eq!(doc["status"], "ok", "{doc}");
    assert_eq!(doc["format"], "doc");
    assert_eq!(doc["extractor"], "antiword");
    assert_eq!(doc["language"], "fr");
    let fm = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["concept"] == "fm.cyber_included")
        .expect("the force-majeure clause of the .doc");
    assert_eq!(fm["location"]["clause"], "12");
    assert!(
        fm["excerpt"].as_str().unwrap().contains("rançongiciels"),
        "{fm}"
    );
}

#[test]
fn a_file_antiword_refuses_is_corrupt_and_without_antiword_a_doc_is_unsupported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.doc"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    )
    .unwrap();
    // An empty PATH: the worker (this binary, by its own path) finds no antiword.
    let v = scan_json(dir.path(), Some(""));
    let e = &v["documents"][0]["error"];
    assert_eq!(e["kind"], vigie::ErrorKind::UnsupportedFormat.as_str());
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("apt install antiword"),
        "{e}"
    );
    if antiword() {
        let v = scan_json(dir.path(), None);
        let e = &v["documents"][0]["error"];
        assert_eq!(e["kind"], vigie::ErrorKind::Corrupt.as_str(), "{e}");
        assert!(
            !e["message"].as_str().unwrap().contains(".vigie-doc"),
            "{e}"
        );
    }
}
