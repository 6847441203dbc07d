//! `site.toml`: the site's title, base URL and build settings.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};

/// The folder of the notes, at the site root.
pub const CONTENT_DIR: &str = "content";

/// How front matter and file encodings are read: `[front_matter] strict` in
/// `site.toml` (see [`FrontMatterConfig`]).
///
/// Both read a note as Obsidian reads its properties
/// (<https://help.obsidian.md/properties>): a key with an empty value
/// (`tags:`, `description:`, a `- ` list item with nothing after it) has no
/// value; one value where a list is expected (`tags: physics`,
/// `aliases: Li`) is a one-item list; `tags` written as one string are
/// split at commas and spaces (`tags: physics, chemistry`: Obsidian's tags
/// hold neither) and lose a leading `#`. They differ on what Obsidian
/// accepts and a typed site refuses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strictness {
    /// A known key of the wrong type (`weight = "ten"`), front matter that
    /// cannot be parsed, and a file that is not UTF-8 are errors: the build
    /// stops. The default for a site with `site.toml`; the flagship's.
    #[default]
    Strict,
    /// What Obsidian accepts is accepted: a known key of the wrong type is a
    /// warning and its value is ignored (never converted); numbers and
    /// booleans in `tags` and `aliases` are read as text, maps and lists in
    /// them are dropped with a warning; front matter that cannot be parsed
    /// is a warning and the note is built from its body alone; a file that
    /// is not UTF-8 is a warning and is read with U+FFFD for each bad byte,
    /// as Obsidian shows it. A collection's `[schema]` is still enforced.
    Lenient,
}

impl Strictness {
    /// The severity of a problem Obsidian would accept: an error when
    /// strict, a warning when lenient.
    pub fn severity(self) -> Severity {
        match self {
            Strictness::Strict => Severity::Error,
            Strictness::Lenient => Severity::Warning,
        }
    }
}

/// The file name of the configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The folder of files copied to the output as they are, at the site root.
pub const STATIC_DIR: &str = "static";

/// What a site root holds, which says where the notes are and how they are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A Lode site: `site.toml`, notes under `content/`, optional
    /// `templates/` and `static/` beside them, written to `public/`.
    Site,
    /// A folder of notes and nothing else (an Obsidian vault, a Zola or
    /// Hugo `content/` folder): no `site.toml`, and no `content/` folder or
    /// an `.obsidian/` one. The folder itself is the content (every
    /// `templates/` or `static/` in it is notes and attachments, not a
    /// theme), pages use the built-in templates and styles, and the site is
    /// lenient (see [`Config::vault`]). Written to [`VAULT_OUTPUT`] inside
    /// it: a hidden folder, which neither Lode nor Obsidian lists, so a build
    /// never reads its own output nor writes among the notes (a vault kept in
    /// Git wants `.lode/` in its `.gitignore`).
    Vault,
}

/// Where a vault's site is written, relative to the vault.
pub const VAULT_OUTPUT: &str = ".lode/public";

impl Layout {
    /// The layout of the folder `root`.
    pub fn of(root: &Path) -> Layout {
        let site = root.join(CONFIG_FILE).is_file()
            || (root.join(CONTENT_DIR).is_dir() && !root.join(".obsidian").is_dir());
        if site { Layout::Site } else { Layout::Vault }
    }

    /// The folder of the notes, relative to the root, as diagnostics name
    /// their files (`content`; `` for a vault, whose notes are its files).
    pub fn content_folder(self) -> &'static str {
        match self {
            Layout::Site => CONTENT_DIR,
            Layout::Vault => "",
        }
    }

    /// The folder of the notes under `root`.
    pub fn content_dir(self, root: &Path) -> std::path::PathBuf {
        root.join(self.content_folder())
    }
}

/// Site-wide settings read from `site.toml`. Every key is optional.
///
/// ```toml
/// title = "Critical minerals"
/// description = "Revision notes"
/// base_url = "https://user.github.io/repo/"
/// cname = "notes.example.org"   # custom domain: written to CNAME for GitHub Pages
/// [links]
/// level = "error"        # or "warning": how to treat a link that doesn't resolve
/// [front_matter]
/// strict = true          # false: read front matter as Obsidian does, wrong types only warned
/// [search]
/// enabled = true         # false: no search index, no search button
/// [markdown]
/// highlight_theme = "lode"  # or "github", or "none": plain code blocks
/// [graph]
/// max_notes = 2000       # above this, /graph/ shows collections instead of notes
/// [cards]
/// enabled = true         # social cards (og:image) for the notes; the default is false
/// [check]
/// orphans = "summary"    # "each": a warning per note nothing links to; "off": none
/// empty = "each"         # "summary": one line for all empty notes; "off": none
/// ```
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Shown in every page's header and `<title>`.
    pub title: String,
    /// One sentence about the site, for the home page and `<meta name="description">`.
    pub description: String,
    /// The URL the site is published at: an absolute `http(s)` URL
    /// (`https://user.github.io/repo/`) or a path from the domain's root
    /// (`/`, the default, or `/repo/`). A missing final `/` is added. Used
    /// only for URLs that must be absolute (canonical links, sitemap, feed,
    /// 404 page); every other URL is relative to its page.
    pub base_url: String,
    /// `lang` attribute of every page (BCP 47), e.g. `en`.
    pub language: String,
    /// The custom domain GitHub Pages serves the site at (`notes.example.org`):
    /// written to the output's `CNAME` file. Set `base_url` to that domain too.
    pub cname: Option<String>,
    /// Text of the footer's source line, e.g. the citation of the article the notes derive from.
    pub footer: String,
    /// How link problems are reported.
    pub links: LinkConfig,
    /// How strictly front matter is read.
    pub front_matter: FrontMatterConfig,
    /// Full-text search.
    pub search: SearchConfig,
    /// How `/graph/` is drawn.
    pub graph: GraphConfig,
    /// Which study pages the header links to.
    pub nav: NavConfig,
    /// How the orphan and empty-note checks report.
    pub check: CheckConfig,
    /// How note bodies are rendered: code highlighting.
    pub markdown: MarkdownConfig,
    /// Social cards (each note page's `og:image`).
    pub cards: CardsConfig,
    /// Free data for templates, as `config.extra`.
    pub extra: toml::Table,
    /// Whether the site has a `static/extra.css` ([`EXTRA_CSS`]), which every
    /// page of the built-in templates links after `style.css`. Not a key of
    /// `site.toml`: the build looks for the file (once per build).
    #[serde(skip)]
    pub extra_css: bool,
    /// The languages of a site whose notes are written in more than one
    /// (`[languages.hi]`), by BCP 47 code. Empty (the default): one
    /// language, `language`. A table for `language` itself only names it
    /// (`name`, the switcher's label).
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
}

/// `[languages.<code>]` in `site.toml`: a language notes may be written in,
/// besides the default `language`. A note is in it when its file name ends
/// in `.<code>.md` (`lithium.hi.md`: Zola's convention, Hugo's
/// "translation by filename"); its pages are under `/<code>/`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// The language's name in itself (`हिन्दी`), the language switcher's
    /// label; the code when empty.
    pub name: String,
    /// The site's title in this language (else the site's).
    pub title: Option<String>,
    /// The site's description in this language (else the site's).
    pub description: Option<String>,
}

/// The site's own additions to the built-in stylesheet, under `static/`:
/// the author keeps only what they change (as Hugo themes' `custom.css`).
pub const EXTRA_CSS: &str = "extra.css";

/// `[links]` in `site.toml`: what a link that does not resolve does to a
/// build (a `[[wikilink]]` or Markdown link to a note, heading or block that
/// is not there, or one that names two notes).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkConfig {
    /// Level of an unresolved, ambiguous or missing-heading link: `"error"`
    /// (the default: the build fails) or `"warning"` (for importing an
    /// existing vault; the link is rendered as plain text).
    pub level: LinkLevel,
}

/// The level of a link diagnostic, as written in `site.toml`.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LinkLevel {
    /// Broken links fail the build.
    #[default]
    Error,
    /// Broken links are reported and rendered as plain text.
    Warning,
}

/// `[front_matter]` in `site.toml`: one switch between a typed site and a
/// vault read as Obsidian reads it.
///
/// Both read an empty value (`tags:`) as no value and one value where a list
/// is expected (`aliases: Li`) as a one-item list, as Obsidian's properties
/// do (<https://help.obsidian.md/properties>); `strict` says how they
/// differ.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatterConfig {
    /// `true` (the default, and the flagship's): a known key of the wrong
    /// type (`weight = "ten"`, `date = "soon"`), front matter that cannot be
    /// parsed and a note that is not UTF-8 fail the build. `false`: what
    /// Obsidian accepts is accepted; those are warnings, the value concerned
    /// is ignored (never converted), a note whose front matter cannot be
    /// parsed is built from its body, and a note that is not UTF-8 is read
    /// with U+FFFD for each bad byte. A collection's `[schema]` is enforced
    /// either way. A folder with no `site.toml` (a vault) is read with `false`.
    pub strict: bool,
}

impl Default for FrontMatterConfig {
    fn default() -> Self {
        FrontMatterConfig { strict: true }
    }
}

impl FrontMatterConfig {
    /// The reading rules this setting stands for.
    pub fn strictness(&self) -> Strictness {
        if self.strict { Strictness::Strict } else { Strictness::Lenient }
    }
}

/// `[search]` in `site.toml`: the site's full-text search (the index is
/// built with the site; the search runs in the reader's browser, no server).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the search index under `_lode/search/` and show the search button
    /// (the default). `false` saves the indexing time and the index's bytes
    /// for sites that don't want search: on 10,000 generated notes about
    /// 2 s of CPU and 45 MB of JSON.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[cards]` in `site.toml`: social cards, the picture a chat app or a
/// social network shows for a shared link to a note (Open Graph's
/// `og:image`, <https://ogp.me/>), drawn from `templates/card.svg`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CardsConfig {
    /// Make a 1200 × 630 PNG card for every note page. Off by default, as
    /// MkDocs Material's social plugin is: a card costs about 3.5 ms of CPU
    /// the first time (ten times a 10,000-note build's own CPU time on a cold
    /// cache; a copy from the cache after) and about 40–45 KB (450 MB for
    /// 10,000 notes, against GitHub Pages' 1 GB). `lode init` and the
    /// flagship turn them on. Cards are made only when `base_url` is an
    /// absolute `http(s)` URL too, since `og:image` must be absolute.
    pub enabled: bool,
}

impl LinkLevel {
    /// The diagnostic severity this level stands for.
    pub fn severity(self) -> Severity {
        match self {
            LinkLevel::Error => Severity::Error,
            LinkLevel::Warning => Severity::Warning,
        }
    }
}

/// `[graph]` in `site.toml`: the site's link graph, the page `/graph/`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphConfig {
    /// Most notes `/graph/` draws one by one (default 2,000); a bigger site
    /// gets the graph of its collections, which stays linear in size and time.
    pub max_notes: usize,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig { max_notes: 2000 }
    }
}

/// `[nav]` in `site.toml`: the study pages the header links to after the
/// collections and tags. A site that is not for studying (a manual, a
/// blog) can leave their links out; the pages are built all the same
/// (a note page may still link them), as Hugo's and Zola's menus list
/// only what their configuration names.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct NavConfig {
    /// Link the site's link graph, `/graph/`, in the header (the default).
    pub graph: bool,
    /// Link the revision mode, `/revise/`, in the header (the default).
    pub revise: bool,
}

impl Default for NavConfig {
    fn default() -> Self {
        NavConfig { graph: true, revise: true }
    }
}

/// `[markdown]` in `site.toml`: how note bodies are rendered.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// The colours of highlighted code blocks: `"lode"`, `"github"` or `"none"`
    /// (no highlighting). Each theme has light and dark colours that meet
    /// WCAG AA contrast.
    pub highlight_theme: HighlightTheme,
}

/// `[markdown] highlight_theme`: the colours of code blocks. Code is
/// highlighted with CSS classes (`crate::code`); a theme is a set of colour
/// rules for them in the stylesheet, light and dark, each pair meeting WCAG
/// AA contrast, chosen by the `data-code-theme` attribute of `<html>`.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HighlightTheme {
    /// Lode's own colours (the default).
    #[default]
    Lode,
    /// GitHub's (Primer) colours for light and dark.
    Github,
    /// No highlighting: code blocks are plain text (and cost nothing to build).
    None,
}

/// How a check that can find many notes reports them: `[check]` in
/// `site.toml`, one value per check.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CheckReport {
    /// A warning for each note the check finds, at the note.
    Each,
    /// One warning for all of them, at the first, naming a few and saying
    /// how to list them all (`"each"`).
    Summary,
    /// The check does not run.
    Off,
}

/// `[check]` in `site.toml`: how the checks that can flood an imported
/// site report.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Notes nothing links to. Default `"summary"`: a blog or an imported
    /// site reaches most of its notes through lists, tags and the feed, so
    /// one warning per note (751 for one Zola blog) buries the real
    /// problems. A site of cross-linked study notes (the flagship) sets
    /// `"each"`.
    pub orphans: CheckReport,
    /// Notes with no text, links, questions or data. Default `"each"`: an
    /// empty note is published as a blank page a reader lands on, and each
    /// is one fix (write it or delete it).
    pub empty: CheckReport,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { orphans: CheckReport::Summary, empty: CheckReport::Each }
    }
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig { level: LinkLevel::Error }
    }
}

/// Whether `url` can be a base URL: an absolute `http://` or `https://` URL
/// with a host, or a path from the server's root (`/`, `/notes/`). Anything
/// else (`notaurl`, `javascript:…`) would end up in every canonical link
/// and in `robots.txt`.
///
/// # Errors
/// Why `url` is not one, as a message.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let ok = match url.starts_with('/') {
        true => !url.starts_with("//"),
        // Whitespace anywhere is refused below.
        false => is_http_url(url),
    };
    if ok && !url.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!("`base_url` must be an absolute http(s) URL or a path starting with `/`, not `{url}`"))
    }
}

/// Where the value of the top-level `key` of `site.toml` is written, as
/// toml's parser spans it (the file's start when it is not found).
fn value_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let table = toml::de::DeTable::parse(text).ok();
    let found = table.as_ref().and_then(|t| t.get_ref().iter().find(|(k, _)| k.get_ref() == key));
    found.map_or(0..0, |(_, value)| value.span())
}

/// The keys of each table of `site.toml`, by the table's name (`""`: the
/// top level), for the help of an unknown key. `[extra]` takes any key.
const CONFIG_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "title",
            "description",
            "base_url",
            "language",
            "cname",
            "footer",
            "links",
            "front_matter",
            "search",
            "graph",
            "nav",
            "check",
            "markdown",
            "cards",
            "extra",
            "languages",
        ],
    ),
    ("links", &["level"]),
    ("front_matter", &["strict"]),
    ("search", &["enabled"]),
    ("graph", &["max_notes"]),
    ("nav", &["graph", "revise"]),
    ("check", &["orphans", "empty"]),
    ("markdown", &["highlight_theme"]),
    ("cards", &["enabled"]),
    ("languages", &["name", "title", "description"]),
];

/// Most problems one `site.toml` reports before the rest are left unread
/// (each costs a parse of the file).
const MAX_CONFIG_PROBLEMS: usize = 50;

/// Reads the keys of `text` into a `Config`, pushing a diagnostic for every
/// unknown key and value of the wrong type; what could not be read keeps
/// its default.
///
/// serde stops at the first bad key, so each one found is blanked out of a
/// copy of the text (its bytes made spaces, which keeps every other key's
/// line and column) and the copy is read again, until it reads.
fn read_keys(text: &str, problems: &mut Vec<Diagnostic>) -> Config {
    let parsed = match toml::de::DeTable::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            problems.push(
                Diagnostic::at(Severity::Error, CONFIG_FILE, text, span, e.message().trim().to_string())
                    .with_help("site.toml is TOML: `key = \"value\"` with strings in quotes, and `[table]` on a line of its own before its keys"),
            );
            return Config::default();
        }
    };
    let mut copy = text.as_bytes().to_vec();
    for _ in 0..MAX_CONFIG_PROBLEMS {
        let current = String::from_utf8_lossy(&copy).into_owned();
        let e = match toml::from_str::<Config>(&current) {
            Ok(config) => return config,
            Err(e) => e,
        };
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        let path = key_path(parsed.get_ref(), span.start);
        problems.push(config_problem(text, span.clone(), message, &path));
        let blank = blank_range(text, parsed.get_ref(), span.start);
        if blank.is_empty() || copy[blank.clone()].iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
        for b in &mut copy[blank] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    Config::default()
}

/// The diagnostic for serde's `message` about the key or value at `span`,
/// whose key path is `path` (`["search", "enabled"]`).
fn config_problem(text: &str, span: std::ops::Range<usize>, message: &str, path: &[String]) -> Diagnostic {
    let unknown = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next());
    let Some(key) = unknown else {
        let key = if path.is_empty() { key_on_line(text, span.start) } else { path.join(".") };
        let help = match key.is_empty() {
            true => "see the keys documented in the manual".to_string(),
            false => format!("write `{key}` as the manual says, or remove it to use the default"),
        };
        return Diagnostic::at(Severity::Error, CONFIG_FILE, text, span, message.to_string()).with_help(help);
    };
    // The table the key is in: its path without the key, and without a
    // language code under `[languages]`; or the last header above it.
    let header = header_above(text, span.start).map(|h| h.split('.').next().unwrap_or("").trim());
    let table = match (path, header) {
        ([first, ..], _) if first == "languages" => "languages",
        ([first, _, ..], _) => first.as_str(),
        (_, Some(h)) => h,
        _ => "",
    };
    let known = CONFIG_KEYS.iter().find(|(t, _)| *t == table).map_or(&[][..], |(_, k)| *k);
    let place = match table {
        "" => "site.toml".to_string(),
        "languages" => "a `[languages.CODE]` table".to_string(),
        t => format!("`[{t}]`"),
    };
    let help = match crate::query::nearest(key, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => {
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("the keys of {place} are {}", list.join(", "))
        }
    };
    Diagnostic::at(Severity::Error, CONFIG_FILE, text, span, format!("unknown key `{key}` in {place}"))
        .with_help(help)
}

/// The dotted key written on the line holding byte `at` (`strict`), after
/// the last `[table]` header above it (`front_matter.strict`); empty when
/// the line holds no `key = value`. For a value under a header, whose
/// entry the parser's spans do not place in its table.
fn key_on_line(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let Some((key, _)) = line.split_once('=') else { return String::new() };
    let key = key.trim().trim_matches('"');
    match header_above(text, start) {
        Some(h) if !h.is_empty() => format!("{h}.{key}"),
        _ => key.to_string(),
    }
}

/// The name inside the last `[table]` (or `[[array]]`) header before byte
/// `at` of `text` (`front_matter`, `languages.hi`), if any: a key under a
/// header is, for the parser's spans, at the top level.
fn header_above(text: &str, at: usize) -> Option<&str> {
    let header =
        text[..at.min(text.len())].lines().rev().map(str::trim_start).find(|l| l.starts_with('['))?;
    Some(header.trim_start_matches('[').split(']').next().unwrap_or("").trim())
}

/// The path of keys to the innermost entry of `table` whose key or value
/// holds the byte `at` (empty when none does).
fn key_path(table: &toml::de::DeTable, at: usize) -> Vec<String> {
    let mut path = Vec::new();
    let mut here = table;
    'down: loop {
        for (key, value) in here.iter() {
            let (k, v) = (key.span(), value.span());
            if k.contains(&at) || v.contains(&at) {
                path.push(key.get_ref().to_string());
                if let toml::de::DeValue::Table(inner) = value.get_ref()
                    && !k.contains(&at)
                {
                    here = inner;
                    continue 'down;
                }
                break 'down;
            }
        }
        break;
    }
    path
}

/// The bytes of `text` to blank out to drop the key or value at byte `at`:
/// a `[table]` header's line and every line up to the next header, else
/// the lines from the entry's key to the end of its value.
fn blank_range(text: &str, table: &toml::de::DeTable, at: usize) -> std::ops::Range<usize> {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    if text[line_start..].trim_start().starts_with('[') {
        let mut end = line_end(at);
        while end < text.len() {
            let next = end + 1;
            if text[next..].trim_start().starts_with('[') {
                break;
            }
            end = line_end(next);
        }
        return line_start..end;
    }
    // The innermost entry holding `at`, for where its value ends.
    let mut end = line_end(at);
    let mut here = table;
    'down: loop {
        for (key, value) in here.iter() {
            if key.span().contains(&at) || value.span().contains(&at) {
                end = end.max(line_end(value.span().end.min(text.len())));
                if let toml::de::DeValue::Table(inner) = value.get_ref() {
                    here = inner;
                    continue 'down;
                }
                break 'down;
            }
        }
        break;
    }
    line_start..end
}

/// Whether `code` looks like a BCP 47 language tag (RFC 5646): a primary
/// subtag of 2 or 3 ASCII letters, then subtags of 1 to 8 letters or digits
/// joined by `-` (`hi`, `pt-BR`, `zh-Hant`). It is a file-name suffix and a
/// URL folder, so nothing else is allowed.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Where `[languages.<code>]` is written in `site.toml` (the file's start when it is not found).
fn language_span(text: &str, code: &str) -> std::ops::Range<usize> {
    let table = toml::de::DeTable::parse(text).ok();
    let languages = table.as_ref().and_then(|t| t.get_ref().iter().find(|(k, _)| k.get_ref() == "languages"));
    let found = languages.and_then(|(_, v)| match v.get_ref() {
        toml::de::DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref() == code).map(|(k, _)| k.span()),
        _ => None,
    });
    found.unwrap_or(0..0)
}

/// Whether `url` is an absolute URL written `http://…` or `https://…`
/// with a host, as the `url` crate parses it.
pub fn is_http_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && url.get(u.scheme().len()..).is_some_and(|rest| rest.starts_with("://"))
            && u.host_str().is_some_and(|host| !host.is_empty() && !host.starts_with('.'))
    })
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Notes".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            cname: None,
            footer: String::new(),
            links: LinkConfig::default(),
            front_matter: FrontMatterConfig::default(),
            search: SearchConfig::default(),
            graph: GraphConfig::default(),
            nav: NavConfig::default(),
            check: CheckConfig::default(),
            markdown: MarkdownConfig::default(),
            cards: CardsConfig::default(),
            extra: toml::Table::new(),
            languages: Default::default(),
            extra_css: false,
        }
    }
}

impl Config {
    /// The settings of a vault (see [`Layout::Vault`]): the folder's name as
    /// the title, broken links reported as warnings
    /// (`[links] level = "warning"`), front matter read as Obsidian reads it
    /// (`[front_matter] strict = false`), everything else the defaults.
    pub fn vault(root: &Path) -> Config {
        let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let title = absolute.file_name().map(|n| n.to_string_lossy().into_owned()).filter(|n| !n.is_empty());
        Config {
            title: title.unwrap_or_else(|| Config::default().title),
            links: LinkConfig { level: LinkLevel::Warning },
            front_matter: FrontMatterConfig { strict: false },
            ..Config::default()
        }
    }

    /// Reads `root/site.toml`; a missing file gives the defaults.
    ///
    /// # Errors
    /// Every problem of the file, each at its line and column, as a compiler
    /// reports them: one syntax error when the file is not valid TOML (the
    /// parser stops there), else every unknown key (with the nearest known
    /// one, or the keys of its table) and every value of the wrong type, then
    /// every bad language code, `cname` and `base_url`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(vec![Diagnostic::whole_file(
                    Severity::Error,
                    CONFIG_FILE,
                    format!("cannot read {CONFIG_FILE}: {e}"),
                )]);
            }
        };
        let mut problems = Vec::new();
        let mut config = read_keys(&text, &mut problems);
        for code in config.languages.keys() {
            if !is_language_code(code) {
                let span = language_span(&text, code);
                problems.push(
                    Diagnostic::at(
                        Severity::Error,
                        CONFIG_FILE,
                        &text,
                        span,
                        format!("`{code}` is not a language code"),
                    )
                    .with_help(
                        "name a language by its BCP 47 code, e.g. [languages.hi] for Hindi or [languages.pt-BR]",
                    ),
                );
            }
        }
        if let Some(cname) = &config.cname {
            let domain = cname.trim();
            if domain.is_empty() || domain.contains(['/', ':', ' ']) {
                problems.push(
                    Diagnostic::at(
                        Severity::Error,
                        CONFIG_FILE,
                        &text,
                        value_span(&text, "cname"),
                        format!("`cname` must be a bare domain name, not `{cname}`"),
                    )
                    .with_help("write the domain alone, e.g. cname = \"notes.example.org\""),
                );
            }
            config.cname = Some(domain.to_string());
        }
        if let Err(why) = check_base_url(&config.base_url) {
            problems.push(Diagnostic::at(Severity::Error, CONFIG_FILE, &text, value_span(&text, "base_url"), why)
                .with_help("write the URL the site is published at, e.g. base_url = \"https://user.github.io/repo/\", or \"/\""));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// The codes of the languages other than the default, in code order:
    /// language `i` (1, 2, …) of a note or page is `codes[i - 1]`, and the
    /// default language is 0. Empty for a site in one language.
    pub fn other_languages(&self) -> Vec<String> {
        self.languages.keys().filter(|c| **c != self.language).cloned().collect()
    }

    /// The path part of `base_url`, always starting and ending with `/`
    /// (`https://u.github.io/repo/` → `/repo/`). Used by pages served at any
    /// depth, such as GitHub Pages' `404.html`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.as_str();
        let after_scheme = url.find("://").map_or(url, |i| &url[i + 3..]);
        let path = if url.contains("://") {
            after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
        } else {
            after_scheme
        };
        let mut path = path.to_string();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        path
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_bad_base_url_or_cname_is_reported_at_its_value_not_at_a_comment() {
        let dir = tempfile::tempdir().unwrap();
        let site = "# base_url and cname: see README\ntitle = \"T\"\nbase_url = \"notaurl\"\n";
        std::fs::write(dir.path().join(super::CONFIG_FILE), site).unwrap();
        let d = super::Config::load(dir.path()).unwrap_err().remove(0);
        assert_eq!((d.line, d.column), (3, 12), "{}", d.message);
        let site = "# cname = \"x\"\ncname = \"a b\"\n";
        std::fs::write(dir.path().join(super::CONFIG_FILE), site).unwrap();
        let d = super::Config::load(dir.path()).unwrap_err().remove(0);
        assert_eq!((d.line, d.column), (2, 9), "{}", d.message);
    }

    #[test]
    fn every_unknown_key_and_wrong_type_of_site_toml_is_reported_in_one_run() {
        let dir = tempfile::tempdir().unwrap();
        let site = "tittle = \"T\"\nbogus = 1\nbase_url = 3\n[search]\nenabled = \"yes\"\nfoo = 1\n[nope]\nx = 1\n[check]\norphans = \"each\"\nempyt = \"off\"\ncname = \"a b\"\n";
        std::fs::write(dir.path().join(super::CONFIG_FILE), site).unwrap();
        let found = super::Config::load(dir.path()).unwrap_err();
        let at: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        let all: Vec<String> = found
            .iter()
            .map(|d| format!("{}:{}: {} ({})", d.line, d.column, d.message, d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(at, [(1, 1), (2, 1), (3, 12), (5, 11), (6, 1), (7, 2), (11, 1), (12, 1)], "{all:#?}");
        assert!(
            all[0].contains("unknown key `tittle`") && all[0].contains("did you mean `title`?"),
            "{}",
            all[0]
        );
        assert!(all[1].contains("the keys of site.toml are `title`"), "{}", all[1]);
        assert!(
            all[4].contains("in `[search]`") && all[4].contains("the keys of `[search]` are `enabled`"),
            "{}",
            all[4]
        );
        // A wrong type under a header names its key (the help was "see the manual").
        assert!(all[3].contains("write `search.enabled` as the manual says"), "{}", all[3]);
        assert!(all[6].contains("did you mean `empty`?"), "{}", all[6]);
        // `cname` after `[check]` is a key of `[check]`.
        assert!(all[7].contains("unknown key `cname` in `[check]`"), "{}", all[7]);
    }

    #[test]
    fn a_syntax_error_in_site_toml_is_one_problem_whose_help_does_not_list_every_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(super::CONFIG_FILE), "title = \"T\nbogus = 1\n").unwrap();
        let found = super::Config::load(dir.path()).unwrap_err();
        assert_eq!(found.len(), 1, "{found:?}");
        let help = found[0].help.as_deref().unwrap_or("");
        assert!(!help.contains("front_matter") && help.contains("TOML"), "{help}");
    }

    #[test]
    fn a_base_url_is_an_http_url_with_a_host_or_a_path_from_the_root() {
        for ok in
            ["/", "/notes/", "https://user.github.io/repo/", "http://localhost:1111", "https://example.org"]
        {
            assert_eq!(super::check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in
            ["notaurl", "javascript:alert(1)//", "https://", "//evil.example/", "ftp://x/", "/a b/", ""]
        {
            assert!(super::check_base_url(bad).is_err(), "{bad}");
        }
    }
    use super::*;

    #[test]
    fn base_path_of_project_site() {
        let mut c = Config { base_url: "https://user.github.io/repo/".into(), ..Config::default() };
        assert_eq!(c.base_path(), "/repo/");
        c.base_url = "https://example.org".into();
        assert_eq!(c.base_path(), "/");
    }
}
