//! The integration tests, as one binary: each file is a module, so the dependencies are
//! linked once. Thirteen binaries each linked all of them, and a clean test build was once
//! too big for a CI machine's disk.

mod baseline;
mod cli;
mod common;
mod corpus;
mod diff;
mod doc;
mod docx;
mod engine;
mod formats;
mod hostile;
mod html_browser;
mod layout;
mod msrv_and_licenses;
mod pdf;
mod portfolio;
mod rule_examples;
mod scale;
mod snapshots;
