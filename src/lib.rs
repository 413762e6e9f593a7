//! Vigie: finds the clauses of IT-provider contracts and insurance policies that decide who
//! pays when data is lost to a cyberattack, and reports the residual risk they leave.
//!
//! The library never prints. The pipeline, one folder per stage:
//! [`discover`] → [`extract`] → [`normalize`] → [`segment`] → [`classify`] → [`engine`]
//! (matching a compiled [`Pack`] of [`rules`]) → [`assess`] → [`report`] (JSON, table, and
//! [`report::format`]: SARIF, HTML, Markdown, CSV), written whole or streamed by a [`scan`]
//! through [`report::output`]. [`model`] holds the plain data every stage shares: the
//! report contract.
//!
//! The small API: compile a pack once with [`Pack::builtin`] or [`Pack::compile`], then
//! [`analyze_file`] or [`analyze_text`] per document (from as many threads as you like; the
//! pack is immutable), then [`assess::assess_portfolios`] on the set of documents,
//! [`report::build`], and [`report::baseline::accept`] to fingerprint the findings and mark
//! those a [`report::baseline::Baseline`] or [`report::waivers::Waivers`] accept.
//! [`report::diff::diff`] compares two analyzed versions of one document.

#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod assess;
pub mod classify;
pub mod discover;
pub mod engine;
pub mod extract;
pub mod model;
pub mod normalize;
pub mod report;
pub mod rules;
pub mod scan;
pub mod segment;

mod analyze;

pub use analyze::{analyze_file, analyze_file_cancellable, analyze_text, AnalyzeOptions};
pub use model::*;
pub use rules::{Pack, PackSource};
