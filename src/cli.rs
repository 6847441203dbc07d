//! The `lode` command line's definitions (clap): every command and option
//! with its help. The binary (`src/main.rs`) parses them and runs the
//! commands; `lode completions` and `lode man` are generated from them, and
//! so is the manual's command-line reference (`docs/content/reference/
//! command-line.md`, which `tests/manual.rs` keeps equal to them). A leaf:
//! it imports nothing of Lode's.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

// The first line is `lode -h`'s one-liner (`about`): no full stop, as clap
// writes one-liners and cargo and git do (`tests/cli.rs` checks every
// command's, option's and value's).
/// Lode: a static site generator for cross-linked study notes
///
/// Write one Markdown note per entity under content/, link notes with
/// [[wikilinks]], and Lode builds a static site with backlinks, collections,
/// tags and self-tests, ready for GitHub Pages.
#[derive(Parser)]
#[command(
    // The command is `lode`, whatever the crate is called (`lode-notes`).
    name = "lode",
    // `lode 0.1.0 (commit 84c0fac2d1e4)`: the commit from build.rs.
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("LODE_COMMIT"), ")"),
    about,
    long_about,
    after_help = "Examples:\n  lode serve                 # build ./ and serve it at http://127.0.0.1:1111/, reloading on save\n  lode init my-notes         # start a new notes site\n  lode build --base-url https://user.github.io/notes/\n  lode man > ~/.local/share/man/man1/lode.1   # install the manual page"
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands of `lode`, each with its options.
#[derive(Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`, or `.lode/public/` for a vault).
    #[command(after_help = "Example:\n  lode build --base-url https://user.github.io/notes/")]
    Build {
        /// Which site (clap flattens these; their own docs are the help).
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: ROOT/public, or ROOT/.lode/public for a vault].
        #[arg(long, value_hint = ValueHint::DirPath)]
        output: Option<PathBuf>,
        /// The URL the site is published at, e.g. https://user.github.io/repo/ (overrides site.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// How problems are reported (flattened likewise).
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Check every note, link, question and template without writing anything.
    #[command(
        after_help = "Examples:\n  lode check --format json     # one JSON object per problem, for editors and CI\n  lode check --format github   # annotations on a pull request, in GitHub Actions"
    )]
    Check {
        /// Which site (clap flattens these; their own docs are the help).
        #[command(flatten)]
        site: SiteArgs,
        /// How problems are reported (flattened likewise).
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Create a new notes site: config, two collections, three linked notes, an empty extra.css, Pages workflow.
    #[command(after_help = "Example:\n  lode init my-notes && cd my-notes && lode serve")]
    Init {
        /// The folder to create the site in.
        #[arg(default_value = ".", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
        /// Write even if the folder is not empty (files of the same name are replaced).
        #[arg(long)]
        force: bool,
        /// Also write copies of the built-in templates and stylesheet, as `lode eject` does.
        #[arg(long)]
        eject: bool,
    },
    /// Copy the built-in templates and stylesheet into the site, to change them as you like.
    #[command(
        after_help = "Example:\n  lode eject   # writes templates/*.html, templates/partials/ and static/style.css"
    )]
    Eject {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace the site's files of the same names.
        #[arg(long)]
        force: bool,
    },
    /// Create a note in a collection, from the collection's `_archetype.md` if it has one.
    #[command(
        after_help = "Example:\n  lode new minerals \"Lithium\"   # writes content/minerals/lithium.md"
    )]
    New {
        /// The collection (folder under content/), e.g. `minerals` (or its path, `content/minerals/`).
        collection: String,
        /// The note's title; its file name is the title's slug.
        title: String,
        /// The site root.
        #[arg(long, default_value = ".", value_hint = ValueHint::DirPath)]
        root: PathBuf,
    },
    /// Build the site, serve it, and rebuild and reload the browser on every save.
    #[command(after_help = "Example:\n  lode serve --port 8080 --open")]
    Serve {
        /// Which site (clap flattens these; their own docs are the help).
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 exposes the site to your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Print the shell completion script for bash, zsh, fish, PowerShell or Elvish.
    #[command(
        after_help = "Example:\n  lode completions bash > ~/.local/share/bash-completion/completions/lode"
    )]
    Completions {
        /// The shell to complete `lode` in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page, lode(1), in roff: every command and option.
    #[command(after_help = "Example:\n  lode man > ~/.local/share/man/man1/lode.1   # then: man lode")]
    Man,
}

/// The options that say which site to read: `build`, `check` and `serve`.
#[derive(Args)]
pub struct SiteArgs {
    /// The site root (holds site.toml and content/).
    #[arg(long, default_value = ".", value_hint = ValueHint::DirPath)]
    pub root: PathBuf,
    /// Also build notes marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

/// The options that say how problems are reported: `build` and `check`.
#[derive(Args)]
pub struct ReportArgs {
    /// How to print problems: for people, one JSON object per line (and a
    /// closing summary), or GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print only errors and warnings, no summary line.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the time each stage took, and for a vault every warning
    /// (not only their counts by kind).
    #[arg(short, long)]
    pub verbose: bool,
    /// Fail on warnings too: exit code 1 after printing every problem, and
    /// for `build` nothing is written (the output folder stays as it was).
    #[arg(long)]
    pub strict: bool,
}

/// The forms `--format` prints problems in.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: each problem with its source line and a hint, on stderr.
    Human,
    /// One JSON object per problem, then `{"summary":{…}}` (the counts, and
    /// whether the run was `strict` and `failed`), on stdout.
    Json,
    /// One GitHub Actions workflow command (`::error file=…::…`) per problem, on stdout.
    Github,
}
