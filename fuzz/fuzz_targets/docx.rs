//! The .docx reader on any bytes. An input that is a zip archive ("PK") is read as is;
//! anything else is split at NUL bytes into document.xml, numbering.xml and styles.xml of
//! a freshly zipped archive, so the fuzzer reaches the XML handling and not only the zip
//! parser's rejections.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;
use vigie::extract::{extract_bytes, Format};
use zip::write::SimpleFileOptions;

const PARTS: [&str; 3] = ["word/document.xml", "word/numbering.xml", "word/styles.xml"];

fn wrap(data: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in PARTS.iter().zip(data.split(|&b| b == 0)) {
        z.start_file(*name, stored).expect("zip entry");
        z.write_all(body).expect("zip write");
    }
    z.finish().expect("zip finish");
    buf.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        wrap(data)
    };
    let _ = extract_bytes(&bytes, Format::Docx);
});
