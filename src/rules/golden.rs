//! Golden tests of `rules check`, in the YARA-X way: each
//! `tests/data/rule-diagnostics/NNN-name.toml` is checked alone and its diagnostics compared
//! with `NNN-name.out`, so a change of wording or position shows as a diff of plain files.
//! `VIGIE_BLESS=1 cargo test --lib golden` rewrites the `.out` files.

use super::{check, Code, PackSource};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rule-diagnostics")
}

fn inputs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/data/rule-diagnostics")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// The diagnostics of one input as `rules check` prints them, the file named by its name.
fn diagnostics(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let diags = match PackSource::load(path) {
        Ok(mut sources) => {
            sources[0].name = name.clone();
            check(&sources)
        }
        Err(e) => e.into_diagnostics(),
    };
    let full = path.display().to_string();
    diags
        .iter()
        .map(|d| format!("{d}\n").replace(&full, &name))
        .collect()
}

#[test]
fn diagnostics_match_the_golden_files() {
    let bless = std::env::var_os("VIGIE_BLESS").is_some_and(|v| v == "1");
    let mut wrong = Vec::new();
    for input in inputs() {
        let got = diagnostics(&input);
        let out = input.with_extension("out");
        if bless {
            std::fs::write(&out, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&out).unwrap_or_default();
        if got != want {
            wrong.push(format!(
                "{}:\n--- expected\n{want}--- got\n{got}",
                input.display()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\n(VIGIE_BLESS=1 rewrites the .out files)",
        wrong.join("\n")
    );
}

#[test]
fn every_code_has_a_golden_file_and_a_line_in_the_docs() {
    let inputs = inputs();
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
        .expect("docs/rules.md");
    for code in Code::ALL {
        let num = &code.as_str()[1..];
        let input = inputs
            .iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(num))
            .unwrap_or_else(|| panic!("no golden input for {code}"));
        assert!(
            diagnostics(input).contains(&format!("error[{code}]")),
            "{} does not show {code}",
            input.display()
        );
        assert!(
            docs.contains(&format!("| `{code}` |")),
            "docs/rules.md does not list {code}"
        );
    }
}
