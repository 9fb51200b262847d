//! The modules of the library depend on each other without circles: the `crate::` and
//! `super::` paths of `src/` form an acyclic graph, among the top-level modules and among the
//! files of each directory module.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["assess", "matching"]`) → the code of its file, without comments and
/// without its `#[cfg(test)]` part.
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<Vec<String>, String>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            if path.is_dir() {
                let mut next = prefix.to_vec();
                next.push(stem);
                walk(&path, &next, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut name = prefix.to_vec();
                if stem != "mod" && stem != "lib" {
                    name.push(stem);
                }
                let text = std::fs::read_to_string(&path).unwrap();
                out.insert(name, code_of(&text));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, &[], &mut out);
    out
}

/// The lines of `text` before its tests, without line comments (docs included).
fn code_of(text: &str) -> String {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths `crate::a::b…` and `super::a…` named in `code`, resolved against `module`:
/// each as the longest known module path it starts with.
fn references(
    module: &[String],
    code: &str,
    known: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for (anchor, base) in [
        ("crate::", Vec::new()),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        for (start, _) in code.match_indices(anchor) {
            let preceded = code[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            if preceded {
                continue;
            }
            let rest = &code[start + anchor.len()..];
            let mut path = base.clone();
            let mut resolved = base.clone();
            for segment in rest.split("::") {
                let ident: String = segment
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if ident.is_empty() {
                    break;
                }
                path.push(ident.clone());
                if known.contains(&path) {
                    resolved.clone_from(&path);
                }
                if ident.len() != segment.len() {
                    break;
                }
            }
            out.insert(resolved);
        }
    }
    out
}

/// A circle of `edges`, if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let from = stack.iter().position(|n| n == node).unwrap();
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, edges, &mut state, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = common::manifest_dir().join("src");
    let modules = modules(&src);
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(m, code)| (m.clone(), references(m, code, &known)))
        .collect()
}

#[test]
fn top_level_modules_form_no_circle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refs) in graph() {
        let Some(from) = module.first() else { continue };
        for to in refs {
            let Some(to) = to.first() else {
                panic!("{module:?} names an item of the crate root; name its module instead")
            };
            if to != from {
                edges.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    // The graph is read: a known dependency is there.
    assert!(edges["assess"].contains("panel"), "{edges:#?}");
    assert_eq!(find_cycle(&edges), None, "{edges:#?}");
}

#[test]
fn files_of_each_directory_module_form_no_circle() {
    let graph = graph();
    let parents: BTreeSet<Vec<String>> = graph
        .keys()
        .filter(|m| m.len() > 1)
        .map(|m| m[..m.len() - 1].to_vec())
        .collect();
    for parent in parents {
        let inside = |m: &Vec<String>| m.starts_with(&parent) && m.len() <= parent.len() + 1;
        let name = |m: &Vec<String>| m.join("::");
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (module, refs) in graph.iter().filter(|(m, _)| inside(m)) {
            // A directory module declares (and re-exports from) each of its files.
            if *module != parent {
                edges.entry(name(&parent)).or_default().insert(name(module));
            }
            for to in refs.iter().filter(|r| inside(r) && *r != module) {
                edges.entry(name(module)).or_default().insert(name(to));
            }
        }
        assert_eq!(find_cycle(&edges), None, "{}: {edges:#?}", name(&parent));
    }
}

#[test]
fn a_circle_is_found() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert!(find_cycle(&edges).is_some());
    let known: BTreeSet<Vec<String>> = [vec!["x".to_string()], vec!["x".into(), "y".into()]]
        .into_iter()
        .collect();
    let refs = references(
        &["x".into(), "z".into()],
        "use crate::x::y::Item; use super::y::Other; let v = crate::x::f();",
        &known,
    );
    assert_eq!(
        refs,
        [vec!["x".to_string(), "y".into()], vec!["x".into()]]
            .into_iter()
            .collect()
    );
}
