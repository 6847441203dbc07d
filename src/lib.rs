//! Lode: a static site generator for cross-linked study notes.
//!
//! The pipeline runs one way, one module per stage:
//! [`content`] (load files, front matter) → [`site`] (permalinks, names,
//! collections, tags) → [`links`] (resolution, backlinks) → [`content::scan`]
//! (HTML bodies) → [`render`] (Tera templates) → [`search`] (the index of
//! the pages) → [`build`] (atomic output).
//! Problems found on the way are [`diagnostics::Diagnostic`]s.
#![warn(missing_docs)]
// Diagnostics travel on the error path only and carry their own text;
// boxing every one would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod callout;
pub mod changes;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod graph;
pub mod hash;
pub mod html;
pub mod links;
pub mod math;
pub mod offline;
pub mod output;
pub mod progress;
pub mod reading;
pub mod render;
pub mod revise;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sheet;
pub mod site;
