//! Lode: a static site generator for cross-linked study notes.
//!
//! The pipeline runs one way, one module per stage:
//! [`config`] → [`content`] (load files, front matter, the Markdown scan
//! [`content::scan`]) → [`site`] (permalinks, names, collections, tags) →
//! [`links`] (resolution, backlinks) → [`render`] (HTML bodies
//! [`render::body`], Tera templates and the views they see) → [`search`]
//! (the index of the pages) → [`build`] (atomic output).
//! Problems found on the way are [`diagnostics::Diagnostic`]s.
// Lints: the `[lints]` table of Cargo.toml (missing docs warned, unsafe
// code allowed only where a system call needs it).

pub mod build;
pub mod callout;
pub mod changes;
pub mod check;
pub mod cli;
pub mod code;
pub mod config;
pub mod content;
pub mod deps;
pub mod diagnostics;
pub mod graph;
pub mod hash;
pub mod html;
pub mod images;
pub mod links;
pub mod math;
pub mod offline;
pub mod output;
pub mod progress;
pub mod query;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
