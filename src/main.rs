//! The `lode` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use lode::build::{self, BuildOptions};
use lode::diagnostics::{self, Diagnostic};

/// Lode: a static site generator for cross-linked study notes.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default `public/`).
    Build {
        /// The site root (holds site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The URL the site is published at, e.g. https://user.github.io/repo/ (overrides site.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Also build notes marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build the site, serve it, and rebuild and reload the browser on every save.
    Serve {
        /// The site root (holds site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 exposes the site to your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Also build notes marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { root, port, bind, open, drafts } => serve(root, port, bind, open, drafts),
        Command::Build { root, output, base_url, drafts } => {
            let options = BuildOptions { root: root.clone(), output, base_url, drafts };
            match build::build(&options) {
                Ok(report) => {
                    print_diagnostics(&root, &report.warnings);
                    println!(
                        "Built {} notes into {} pages in {} ms ({})",
                        report.notes,
                        report.pages,
                        report.millis,
                        report.output.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(problems) => {
                    print_diagnostics(&root, &problems);
                    eprintln!("Build failed; the previous output, if any, was left as it was.");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn serve(root: PathBuf, port: u16, bind: std::net::IpAddr, open: bool, drafts: bool) -> ExitCode {
    let build = BuildOptions { drafts, ..BuildOptions::new(root) };
    let options = lode::serve::ServeOptions { build, bind, port, open, debounce_ms: 15 };
    match lode::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_diagnostics(root: &std::path::Path, problems: &[Diagnostic]) {
    if problems.is_empty() {
        return;
    }
    let choice = if std::env::var_os("NO_COLOR").is_some() { ColorChoice::Never } else { ColorChoice::Auto };
    let mut stderr = StandardStream::stderr(choice);
    let _ = diagnostics::emit(&mut stderr, root, problems);
}
