//! `vigie rules`: list, check, test and scaffold rule packs.

use crate::options::*;
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;
use vigie::rules::examples;
use vigie::rules::{Pack, PackSource};

#[derive(Subcommand)]
pub(crate) enum RulesCommand {
    /// List the rules of the loaded packs.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Check rule packs (the built-in ones, or DIR) and print
    /// `file:line:col: error[Vnnn]: message` (the codes: docs/rules.md).
    Check { dir: Option<PathBuf> },
    /// Run every rule's examples (the built-in packs, or DIR); fail on any miss.
    Test { dir: Option<PathBuf> },
    /// Print a commented rule pack `ID` that passes `rules check` and `rules test`
    /// (`vigie rules new acme > rules.d/acme.toml`; every field: docs/rules.md).
    New { id: String },
    /// Print the rule reference in Markdown: every concept with the rules that report it
    /// (docs/rule-reference.md is this output for the built-in packs).
    Reference {
        #[command(flatten)]
        packs: PackArgs,
    },
}

pub(crate) fn rules(cmd: RulesCommand) -> Result<u8> {
    match cmd {
        RulesCommand::List { json, packs } => {
            let pack = load_pack(&packs)?;
            let mut out = std::io::stdout().lock();
            if json {
                vigie::report::describe::write_rule_json(&pack, &mut out)?;
            } else {
                vigie::report::describe::write_rule_table(&pack, &mut out)?;
            }
            Ok(0)
        }
        RulesCommand::Reference { packs } => {
            let pack = load_pack(&packs)?;
            vigie::report::reference::write_rule_reference(&pack, &mut std::io::stdout().lock())?;
            Ok(0)
        }
        RulesCommand::New { id } => {
            print!("{}", vigie::rules::skeleton::skeleton(&id)?);
            Ok(0)
        }
        RulesCommand::Check { dir } => {
            let diags = vigie::rules::check(&sources_for(&dir)?);
            for d in &diags {
                eprintln!("{d}");
            }
            if diags.is_empty() {
                println!("ok");
                Ok(0)
            } else {
                Ok(2)
            }
        }
        RulesCommand::Test { dir } => {
            let pack = Pack::compile(&sources_for(&dir)?).map_err(|e| anyhow::anyhow!("{e}"))?;
            let results = examples::run_all(&pack);
            let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
            for f in &failed {
                eprintln!("{f}");
            }
            let uncovered = examples::uncovered(&pack, &results);
            for u in &uncovered {
                eprintln!("rule `{u}`: no example makes it fire");
            }
            println!(
                "{} rules, {} examples, {} failed, {} rules not covered",
                pack.rules.len(),
                results.len(),
                failed.len(),
                uncovered.len()
            );
            Ok(if failed.is_empty() && uncovered.is_empty() {
                0
            } else {
                1
            })
        }
    }
}

pub(crate) fn sources_for(dir: &Option<PathBuf>) -> Result<Vec<PackSource>> {
    Ok(match dir {
        Some(d) => PackSource::load(d)?,
        None => PackSource::builtin(),
    })
}
