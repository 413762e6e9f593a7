//! What Cargo.toml promises about the dependency graph, checked from `cargo metadata` on the
//! locked graph, offline (the registry cache holds every package once anything was built):
//!
//! - `rust-version` is honest: no normal or build dependency declares a newer Rust. This
//!   guards the dependencies. Our own code is guarded by clippy's `incompatible_msrv` lint
//!   (warn by default, an error under `.ci/run`'s `cargo clippy --all-targets -- -D warnings`):
//!   it reads `rust-version` and rejects any std item stabilized later (with 1.89,
//!   `str::floor_char_boundary` and `Duration::from_mins`, stable since 1.91, are errors in
//!   the library, the binary, benches, examples and helpers of integration tests). It skips
//!   `#[test]` functions and `#[cfg(test)]` modules, and sees neither language features nor
//!   the APIs of other crates, so it is a guard, not a build on the old toolchain.
//! - every package's licence is one we accept (the allowlist below), for the main graph with
//!   dev- and build-dependencies, and for the fuzz crate's own lockfile.
//!
//! Only the packages of the host platform are read (`--filter-platform`): the others
//! (Windows, WASI, UEFI crates of Cargo.lock) are never downloaded on Linux, and reading
//! them would need the network.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Licences (and licence-with-exception pairs) accepted for a dependency. Beyond the usual
/// permissive set: `MIT-0` (borrow-or-share, under jsonschema; an alternative of
/// constant_time_eq) and `0BSD` (an alternative of adler2) are MIT and BSD without the
/// attribution clause; `NCSA` (libfuzzer-sys, fuzz crate only: LLVM's libFuzzer sources) is
/// the University of Illinois/NCSA licence, BSD-like.
const ALLOWED: &[&str] = &[
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "0BSD",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "MPL-2.0",
    "CC0-1.0",
    "Unlicense",
    "BSL-1.0",
    "NCSA",
];

/// Packages with no `license` expression, accepted by name after reading what they ship.
/// Any other package without one fails, naming its `license_file` to read.
const NO_EXPRESSION: &[(&str, &str)] = &[(
    "vigie-fuzz",
    "the fuzz harness of this repository (publish = false), never distributed",
)];

fn cargo() -> Command {
    Command::new(env!("CARGO"))
}

fn host() -> String {
    let out = cargo().arg("-vV").output().expect("cargo -vV runs");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("cargo -vV names the host")
        .trim()
        .to_string()
}

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `cargo metadata` of a manifest, offline and locked; Err(stderr) when cargo fails.
fn metadata(manifest: &Path) -> Result<Value, String> {
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .arg("--filter-platform")
        .arg(host())
        .arg("--manifest-path")
        .arg(manifest)
        .output()
        .expect("cargo metadata runs");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON"))
}

/// The package ids reached from the root: through `kinds` from the root itself, then
/// through normal and build edges (dev-dependencies of dependencies are never built).
fn reachable(meta: &Value, root_kinds: &[Option<&str>]) -> BTreeSet<String> {
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve.nodes")
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = meta["resolve"]["root"].as_str().expect("a root package");
    let edges = |id: &str, kinds: &[Option<&str>]| -> Vec<String> {
        nodes[id]["deps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                d["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| kinds.contains(&k["kind"].as_str()))
            })
            .map(|d| d["pkg"].as_str().unwrap().to_string())
            .collect()
    };
    let mut seen = BTreeSet::new();
    let mut stack = edges(root, root_kinds);
    while let Some(id) = stack.pop() {
        if seen.insert(id.clone()) {
            stack.extend(edges(&id, &[None, Some("build")]));
        }
    }
    seen
}

fn packages(meta: &Value) -> BTreeMap<&str, &Value> {
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect()
}

fn name_version(p: &Value) -> String {
    format!(
        "{} {}",
        p["name"].as_str().unwrap(),
        p["version"].as_str().unwrap()
    )
}

/// "1.89", "1.60.0" → (1, 89, 0); anything after a `-` is ignored.
fn rust_version(v: &str) -> (u64, u64, u64) {
    let v = v.split('-').next().unwrap();
    let mut parts = v.split('.').map(|x| {
        x.parse::<u64>()
            .unwrap_or_else(|_| panic!("rust_version {v:?}"))
    });
    let major = parts.next().unwrap();
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn rust_version_is_at_least_every_dependency_rust_version() {
    let meta = metadata(&manifest("Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    let pkgs = packages(&meta);
    let root = pkgs[meta["resolve"]["root"].as_str().unwrap()];
    let ours = root["rust_version"]
        .as_str()
        .expect("Cargo.toml sets rust-version");
    // What the library and the binary build: normal and build dependencies. Dev-dependencies
    // only build our tests (the highest today, the icu_* crates under jsonschema, declare
    // 1.88), so they do not move the promise made to users.
    let mut newer = Vec::new();
    let mut highest = ((0, 0, 0), String::new());
    for id in reachable(&meta, &[None, Some("build")]) {
        let p = pkgs[id.as_str()];
        let Some(theirs) = p["rust_version"].as_str() else {
            continue; // declares none: nothing to hold against ours
        };
        if rust_version(theirs) > highest.0 {
            highest = (rust_version(theirs), name_version(p));
        }
        if rust_version(theirs) > rust_version(ours) {
            newer.push(format!(
                "{} declares rust-version {theirs}",
                name_version(p)
            ));
        }
    }
    assert!(
        newer.is_empty(),
        "Cargo.toml says rust-version = {ours:?}, but locked dependencies need more:\n  {}\n\
         raise rust-version (and its `# Why this value` comment) or lower them",
        newer.join("\n  ")
    );
    assert!(
        highest.0 >= (1, 0, 0),
        "no dependency declares a rust-version: is the graph empty?"
    );
}

/// A licence expression as alternatives (OR), each the set of licences it requires (AND):
/// SPDX `OR`, `AND`, `WITH` and parentheses, `AND` binding tighter than `OR`, and the old
/// crates.io `/` read as `OR`. A term with an exception is kept whole
/// ("Apache-2.0 WITH LLVM-exception").
fn alternatives(expr: &str) -> Result<Vec<BTreeSet<String>>, String> {
    let spaced = expr
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('/', " / ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    let result = parse_or(&tokens, &mut pos)?;
    match tokens.get(pos) {
        None => Ok(result),
        Some(t) => Err(format!("unexpected `{t}` in {expr:?}")),
    }
}

fn is_op(t: &str) -> bool {
    matches!(t, "OR" | "AND" | "WITH" | "/" | "(" | ")") || ["or", "and", "with"].contains(&t)
}

fn parse_or(t: &[&str], pos: &mut usize) -> Result<Vec<BTreeSet<String>>, String> {
    let mut alts = parse_and(t, pos)?;
    while let Some(&op) = t.get(*pos) {
        if !(op == "OR" || op == "or" || op == "/") {
            break;
        }
        *pos += 1;
        alts.extend(parse_and(t, pos)?);
    }
    Ok(alts)
}

fn parse_and(t: &[&str], pos: &mut usize) -> Result<Vec<BTreeSet<String>>, String> {
    let mut alts = parse_term(t, pos)?;
    while let Some(&op) = t.get(*pos) {
        if !(op == "AND" || op == "and") {
            break;
        }
        *pos += 1;
        let right = parse_term(t, pos)?;
        // (a OR b) AND (c OR d) = (a AND c) OR (a AND d) OR (b AND c) OR (b AND d)
        alts = alts
            .iter()
            .flat_map(|l| {
                right
                    .iter()
                    .map(move |r| l.union(r).cloned().collect::<BTreeSet<_>>())
            })
            .collect();
    }
    Ok(alts)
}

fn parse_term(t: &[&str], pos: &mut usize) -> Result<Vec<BTreeSet<String>>, String> {
    match t.get(*pos) {
        None => Err("expression ends where a licence was expected".into()),
        Some(&"(") => {
            *pos += 1;
            let inner = parse_or(t, pos)?;
            if t.get(*pos) != Some(&")") {
                return Err("unclosed `(`".into());
            }
            *pos += 1;
            Ok(inner)
        }
        Some(&id) if is_op(id) => Err(format!("`{id}` where a licence was expected")),
        Some(&id) => {
            *pos += 1;
            let mut term = id.to_string();
            if matches!(t.get(*pos), Some(&"WITH") | Some(&"with")) {
                match t.get(*pos + 1) {
                    Some(&exc) if !is_op(exc) => {
                        term = format!("{id} WITH {exc}");
                        *pos += 2;
                    }
                    _ => return Err(format!("`{id} WITH` has no exception")),
                }
            }
            Ok(vec![BTreeSet::from([term])])
        }
    }
}

/// Why a package's licence is not accepted, or None. Every alternative must be made of
/// allowed licences: an `OR` offering a licence outside the list fails too, so that what
/// we ship under any of the alternatives a package offers stays within the list.
fn refusal(p: &Value) -> Option<String> {
    let name = p["name"].as_str().unwrap();
    let Some(expr) = p["license"].as_str() else {
        if NO_EXPRESSION.iter().any(|(n, _)| *n == name) {
            return None;
        }
        return Some(format!(
            "{} has no licence expression (license_file: {}); read it and add the crate to \
             NO_EXPRESSION by name",
            name_version(p),
            p["license_file"].as_str().unwrap_or("none")
        ));
    };
    let alts = match alternatives(expr) {
        Ok(a) => a,
        Err(e) => {
            return Some(format!(
                "{}: licence {expr:?} does not parse: {e}",
                name_version(p)
            ))
        }
    };
    let outside: BTreeSet<&String> = alts
        .iter()
        .flatten()
        .filter(|l| !ALLOWED.contains(&l.as_str()))
        .collect();
    if outside.is_empty() {
        None
    } else {
        let outside: Vec<&str> = outside.iter().map(|s| s.as_str()).collect();
        Some(format!(
            "{}: licence {expr:?} includes {}, not in ALLOWED",
            name_version(p),
            outside.join(", ")
        ))
    }
}

fn check_licences(meta: &Value) {
    let pkgs = packages(meta);
    let all = reachable(meta, &[None, Some("build"), Some("dev")]);
    let root = meta["resolve"]["root"].as_str().unwrap().to_string();
    let refused: Vec<String> = all
        .iter()
        .chain([&root])
        .filter_map(|id| refusal(pkgs[id.as_str()]))
        .collect();
    assert!(
        refused.is_empty(),
        "{} package(s) with a licence outside the allowlist:\n  {}",
        refused.len(),
        refused.join("\n  ")
    );
    assert!(
        all.len() > 50,
        "only {} packages read: is the graph complete?",
        all.len()
    );
}

#[test]
fn every_locked_package_has_an_allowed_licence() {
    let meta = metadata(&manifest("Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    check_licences(&meta);
}

/// The fuzz crate has its own workspace and lockfile (fuzz/Cargo.lock). Its packages are in
/// the registry cache only once it was built or fetched, which `cargo test` does not do: the
/// test skips then, unless VIGIE_REQUIRE_FUZZ_LOCK=1 (set by `.ci/run`, which checks the
/// fuzz crate first). A lockfile that no longer matches fuzz/Cargo.toml always fails.
#[test]
fn every_package_of_the_fuzz_lockfile_has_an_allowed_licence() {
    match metadata(&manifest("fuzz/Cargo.toml")) {
        Ok(meta) => check_licences(&meta),
        Err(e)
            if e.contains("failed to download")
                && std::env::var_os("VIGIE_REQUIRE_FUZZ_LOCK").is_none() =>
        {
            eprintln!(
                "skipped: the fuzz crate's packages are not downloaded \
                 (cargo fetch --manifest-path fuzz/Cargo.toml); cargo said:\n{e}"
            );
        }
        Err(e) => panic!("cargo metadata of fuzz/Cargo.toml failed:\n{e}"),
    }
}

#[test]
fn licence_expressions_parse() {
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(alternatives("MIT").unwrap(), vec![set(&["MIT"])]);
    for e in [
        "MIT OR Apache-2.0",
        "MIT/Apache-2.0",
        "MIT / Apache-2.0",
        "(MIT OR Apache-2.0)",
    ] {
        assert_eq!(
            alternatives(e).unwrap(),
            vec![set(&["MIT"]), set(&["Apache-2.0"])],
            "{e}"
        );
    }
    assert_eq!(
        alternatives("(MIT OR Apache-2.0) AND Unicode-3.0").unwrap(),
        vec![
            set(&["MIT", "Unicode-3.0"]),
            set(&["Apache-2.0", "Unicode-3.0"])
        ]
    );
    // AND binds tighter than OR.
    assert_eq!(
        alternatives("Unlicense OR MIT AND BSD-3-Clause").unwrap(),
        vec![set(&["Unlicense"]), set(&["MIT", "BSD-3-Clause"])]
    );
    assert_eq!(
        alternatives("(A OR B) AND (C OR D)").unwrap(),
        vec![
            set(&["A", "C"]),
            set(&["A", "D"]),
            set(&["B", "C"]),
            set(&["B", "D"])
        ]
    );
    assert_eq!(
        alternatives("Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT").unwrap(),
        vec![
            set(&["Apache-2.0 WITH LLVM-exception"]),
            set(&["Apache-2.0"]),
            set(&["MIT"])
        ]
    );
    assert_eq!(
        alternatives("BSD-3-Clause/MIT").unwrap(),
        vec![set(&["BSD-3-Clause"]), set(&["MIT"])]
    );
    for bad in [
        "",
        "MIT OR",
        "OR MIT",
        "(MIT",
        "MIT)",
        "MIT Apache-2.0",
        "MIT WITH",
        "WITH LLVM-exception",
        "MIT AND (OR Apache-2.0)",
    ] {
        assert!(alternatives(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn refusals_name_the_crate_and_the_licence() {
    let pkg = |license: Value, file: Value| {
        serde_json::json!({"name": "somecrate", "version": "1.2.3", "license": license,
                           "license_file": file})
    };
    assert_eq!(refusal(&pkg("MIT OR Apache-2.0".into(), Value::Null)), None);
    assert_eq!(refusal(&pkg("MIT/Apache-2.0".into(), Value::Null)), None);
    let gpl = refusal(&pkg("MIT OR GPL-3.0-only".into(), Value::Null)).unwrap();
    assert!(
        gpl.contains("somecrate 1.2.3") && gpl.contains("GPL-3.0-only"),
        "{gpl}"
    );
    let exc = refusal(&pkg(
        "GPL-2.0 WITH Classpath-exception-2.0".into(),
        Value::Null,
    ))
    .unwrap();
    assert!(
        exc.contains("GPL-2.0 WITH Classpath-exception-2.0"),
        "{exc}"
    );
    let file = refusal(&pkg(Value::Null, "LICENSE.txt".into())).unwrap();
    assert!(
        file.contains("somecrate 1.2.3") && file.contains("LICENSE.txt"),
        "{file}"
    );
    let broken = refusal(&pkg("MIT AND".into(), Value::Null)).unwrap();
    assert!(broken.contains("does not parse"), "{broken}");
}

#[test]
fn rust_versions_compare_as_numbers() {
    assert!(rust_version("1.89") > rust_version("1.88.0"));
    assert!(rust_version("1.100") > rust_version("1.89"));
    assert_eq!(rust_version("1.89"), rust_version("1.89.0"));
    assert!(rust_version("1.89.1") > rust_version("1.89"));
}
