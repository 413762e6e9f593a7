//! Rule packs: the declarative TOML files under `rules/`, checked with `file:line:col`
//! diagnostics and compiled once into an immutable [`Pack`] (every literal of every rule
//! filed in one literal table) that all workers share.
//!
//! `source.rs` reads the pack files, `schema.rs` is their format, `terms.rs` expands the
//! terms of a set into literals, `compile.rs` checks and compiles the packs and
//! `diagnostic.rs` is what it reports; `pack.rs` is the compiled result.

mod compile;
pub mod concepts;
mod diagnostic;
pub mod eval;
pub mod examples;
mod pack;
mod schema;
pub mod skeleton;
mod source;
mod terms;

#[cfg(test)]
mod golden;

pub use compile::check;
pub use diagnostic::{Code, Diagnostic, RuleError};
pub use pack::{Near, Pack, PackInfo, Rule, Scope, ValueKind};
pub use source::PackSource;
