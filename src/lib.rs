//! gongkai: a static-site generator for government information disclosure.
//!
//! The pipeline (see `build`): `content` loads files → `model` validates them and
//! builds the site model → `render` renders pages in parallel → `output` writes
//! them atomically. `main.rs` only parses the command line.

// A `Diagnostic` is the error value of the loading functions; it is returned once per
// bad file, so its size does not matter and boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod archive;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod model;
pub mod new_notice;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;
