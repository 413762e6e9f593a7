//! Where pack text comes from (the packs embedded in the binary, or the `*.toml` files of a
//! folder), kept apart from compiling so that diagnostics can name the file they are about.

use super::diagnostic::RuleError;
use std::path::{Path, PathBuf};

/// The packs shipped inside the binary: (file name, source).
const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "force-majeure.toml",
        include_str!("../../rules/force-majeure.toml"),
    ),
    ("incidents.toml", include_str!("../../rules/incidents.toml")),
    ("insurance.toml", include_str!("../../rules/insurance.toml")),
    ("backups.toml", include_str!("../../rules/backups.toml")),
    ("liability.toml", include_str!("../../rules/liability.toml")),
];

/// The text of one pack file and the name diagnostics use for it.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// The file's name in diagnostics (`rules/backups.toml` for a built-in pack).
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl PackSource {
    /// The packs embedded in the binary.
    pub fn builtin() -> Vec<PackSource> {
        BUILTIN_PACKS
            .iter()
            .map(|(name, text)| PackSource {
                name: format!("rules/{name}"),
                text: (*text).to_string(),
            })
            .collect()
    }

    /// Every `*.toml` pack in `dir` (sorted), or the file itself when `dir` is a file.
    /// `concepts.toml` is the vocabulary, not a pack, and is skipped.
    pub fn load(dir: &Path) -> Result<Vec<PackSource>, RuleError> {
        let io = |p: &Path, e: std::io::Error| RuleError::Io {
            path: p.display().to_string(),
            reason: e.to_string(),
        };
        let mut paths: Vec<PathBuf> = if dir.is_file() {
            vec![dir.to_path_buf()]
        } else {
            std::fs::read_dir(dir)
                .map_err(|e| io(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "toml")
                        && p.file_name().is_some_and(|n| n != "concepts.toml")
                })
                .collect()
        };
        paths.sort();
        if paths.is_empty() {
            return Err(RuleError::Io {
                path: dir.display().to_string(),
                reason: "no rule pack (*.toml) found".into(),
            });
        }
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).map_err(|e| io(&p, e))?;
                Ok(PackSource {
                    name: p.display().to_string(),
                    text,
                })
            })
            .collect()
    }
}
