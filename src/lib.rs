//! Vigie: finds the clauses of IT-provider contracts and insurance policies that decide who
//! pays when data is lost to a cyberattack, and reports the residual risk they leave.
//!
//! The library never prints. The pipeline, one module per stage:
//! [`discover`] → [`extract`] → [`normalize`] → [`segment`] → [`classify`] → [`engine`]
//! (matching a compiled [`rules::Pack`]) → [`assess`] → [`report`] (JSON, table) and
//! [`format`] (SARIF, HTML, Markdown, CSV), written whole or streamed by a [`scan`] through
//! [`output`].
//!
//! The small API: compile a pack once with [`rules::Pack::builtin`] or
//! [`rules::Pack::compile`], then [`analyze_file`] or [`analyze_text`] per document (from as
//! many threads as you like; the pack is immutable), then [`assess::assess_portfolios`] on the
//! set of documents, [`report::build`], and [`baseline::accept`] to fingerprint the findings
//! and mark those a [`baseline::Baseline`] or [`waivers::Waivers`] accept. [`diff::diff`]
//! compares two analyzed versions of one document.

pub mod assess;
pub mod baseline;
pub mod budget;
pub mod cache;
pub mod classify;
pub mod cleanup;
pub mod concepts;
pub mod describe;
pub mod destination;
pub mod diff;
pub mod discover;
pub mod docx;
pub mod engine;
pub mod eval;
pub mod examples;
pub mod extract;
pub mod format;
pub mod isolate;
pub mod letterspace;
pub mod limits;
pub mod literals;
pub mod merge;
pub mod model;
pub mod names;
pub mod normalize;
pub mod ocr;
pub mod odt;
pub mod output;
pub mod parties;
pub mod pdf;
pub mod report;
pub mod rtf;
pub mod rules;
pub mod scan;
pub mod segment;
pub mod skeleton;
#[cfg(test)]
mod testgen;
pub mod tools;
pub mod values;
pub mod waivers;

mod analyze;

pub use analyze::{analyze_file, analyze_file_cancellable, analyze_text, AnalyzeOptions};
pub use model::*;
