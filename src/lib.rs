//! gongkai: a static-site generator for government information disclosure.
//!
//! The pipeline (see `build`): `content` loads files → `model` validates them and
//! builds the site model → `render` renders pages in parallel → `output` writes
//! them atomically. `main.rs` only parses the command line.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod model;
pub mod output;
pub mod render;
