//! gongkai: a static-site generator for government information disclosure.
//!
//! One pipeline (`pipeline`), shared by `build`, `check`, `serve` and `snapshot`:
//! `content` loads the files → `notice` validates each one → `model` builds the
//! site once → `render` and `search` make the outputs → `write` writes them
//! atomically. Below them: `schema` (the field table and the 文号 grammar),
//! `markdown`, `progress`, `routes`, `config`, `diagnostics`, `text`. `main.rs`
//! only parses the command line. Imports point down this list, never back up.

// A `Diagnostic` is the error value of the loading functions; it is returned once per
// bad file, so its size does not matter and boxing it would only add noise.
#![allow(clippy::result_large_err)]

// Commands.
pub mod archive;
pub mod build;
pub mod check;
pub mod disappearing;
pub mod import;
pub mod scaffold;
pub mod serve;

// The pipeline and its stages, in order.
pub mod content;
pub mod model;
pub mod notice;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod write;

// What the stages share.
pub mod cache;
pub mod config;
pub mod diagnostics;
pub mod markdown;
pub mod progress;
pub mod progress_bar;
pub mod report;
pub mod routes;
pub mod schema;
pub mod targets;
pub mod text;
