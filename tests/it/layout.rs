//! The source tree reads as the pipeline only while its modules depend on each other one
//! way: this test reads `src/` and fails on any import cycle between the library's module
//! files, naming the modules of the cycle. The binary (`src/cli/`) only calls the library.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every module file of the library, by module path (`extract::pdf` is
/// `src/extract/pdf.rs`; `extract` is `src/extract/mod.rs`).
fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                if path != src.join("cli") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path == src.join("lib.rs") {
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .expect("under src/")
                .with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            out.insert(module, path);
        }
    }
    out
}

/// The code of a module file without its unit tests and comments: a test may use any
/// module, and a doc link is no dependency.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("module file is readable");
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file names: `crate::a::b`, `crate::a::{b, c}`, `super::x` and its
/// own child modules used by name.
fn references(module: &Module, code: &str) -> Vec<Module> {
    let path = Regex::new(r"crate::((?:[a-z_][a-z0-9_]*::)*)(?:\{([^}]*)\}|([a-z_][a-z0-9_]*))")
        .expect("valid regex");
    let sup = Regex::new(r"\bsuper::(?:\{([^}]*)\}|([a-z_][a-z0-9_]*))").expect("valid regex");
    let child =
        Regex::new(r"(?m)^\s*(?:pub(?:\(crate\))? )?mod ([a-z_][a-z0-9_]*);").expect("valid regex");
    let split = |s: &str| -> Module {
        s.split("::")
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect()
    };
    let mut out = Vec::new();
    for c in path.captures_iter(code) {
        let base = split(&c[1]);
        let items = c
            .get(2)
            .map_or(c.get(3).map_or("", |m| m.as_str()), |m| m.as_str());
        for item in items.split(',') {
            let mut m = base.clone();
            m.extend(split(item.trim()));
            out.push(m);
        }
    }
    let parent: Module = module[..module.len().saturating_sub(1)].to_vec();
    for c in sup.captures_iter(code) {
        let items = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        for item in items.split(',') {
            let mut m = parent.clone();
            m.extend(split(item.trim()));
            out.push(m);
        }
    }
    for c in child.captures_iter(code) {
        if code.contains(&format!("{}::", &c[1])) {
            let mut m = module.clone();
            m.push(c[1].to_string());
            out.push(m);
        }
    }
    out
}

/// The deepest module file a path names (`crate::extract::pdf::extract_with` names
/// `extract::pdf`).
fn resolve<'a>(path: &Module, modules: &'a BTreeMap<Module, PathBuf>) -> Option<&'a Module> {
    (1..=path.len())
        .rev()
        .find_map(|n| modules.get_key_value(&path[..n]).map(|(k, _)| k))
}

/// A cycle of the graph, if any, as the modules along it.
fn cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    // 0: not seen, 1: on the current path, 2: done.
    let mut state: BTreeMap<&Module, u8> = BTreeMap::new();
    let mut path: Vec<&Module> = Vec::new();
    fn visit<'a>(
        m: &'a Module,
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        state: &mut BTreeMap<&'a Module, u8>,
        path: &mut Vec<&'a Module>,
    ) -> Option<Vec<Module>> {
        state.insert(m, 1);
        path.push(m);
        for next in edges.get(m).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| *p == next).unwrap_or(0);
                    return Some(path[start..].iter().map(|m| (*m).clone()).collect());
                }
                0 => {
                    if let Some(c) = visit(next, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(m, 2);
        None
    }
    for m in edges.keys() {
        if state.get(m).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(m, edges, &mut state, &mut path) {
                return Some(c);
            }
        }
    }
    None
}

fn dependency_graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = modules(src);
    let mut edges = BTreeMap::new();
    for (module, path) in &modules {
        let targets: BTreeSet<Module> = references(module, &code(path))
            .iter()
            .filter_map(|r| resolve(r, &modules))
            .filter(|t| *t != module)
            .cloned()
            .collect();
        edges.insert(module.clone(), targets);
    }
    edges
}

#[test]
fn library_modules_have_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = dependency_graph(&src);
    assert!(edges.len() > 30, "found only {} modules", edges.len());
    // The reader must see real edges, or a cycle-free result means nothing.
    let analyze = edges.get(&vec!["analyze".to_string()]).expect("analyze.rs");
    assert!(analyze.contains(&vec!["segment".to_string()]));
    if let Some(c) = cycle(&edges) {
        let names: Vec<String> = c.iter().map(|m| m.join("::")).collect();
        panic!("import cycle: {} -> {}", names.join(" -> "), names[0]);
    }
}

#[test]
fn a_cycle_is_found_and_named() {
    let m = |s: &str| -> Module { s.split("::").map(String::from).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(m("a"), BTreeSet::from([m("b")]));
    edges.insert(m("b"), BTreeSet::from([m("c::d")]));
    edges.insert(m("c::d"), BTreeSet::from([m("a")]));
    assert_eq!(cycle(&edges), Some(vec![m("a"), m("b"), m("c::d")]));
    edges.insert(m("c::d"), BTreeSet::new());
    assert_eq!(cycle(&edges), None);
    let refs = references(
        &m("x::y"),
        "use crate::a::{b, c::D};\nuse super::z;\nmod w;\nw::f();",
    );
    assert_eq!(refs, vec![m("a::b"), m("a::c::D"), m("x::z"), m("x::y::w")]);
}
