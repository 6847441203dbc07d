//! Link resolution: every wikilink, relative `.md` link and anchor becomes a
//! [`Target`], or a diagnostic; then the reverse map (backlinks) is built once.
//!
//! The rules follow Obsidian's "shortest path when possible" resolution
//! (<https://help.obsidian.md/links>), made deterministic. A target with a
//! `/` is a path: from `content/`, then from the linking note's folder, then
//! the nearest note whose path ends with it. A bare name is matched against
//! one kind of name at a time, best first ([`NameKind`]): file names, then
//! front-matter titles and aliases, then titles taken from a heading; each
//! kind exactly, then ignoring case and Unicode normalisation. The first
//! kind with a match decides: a note in the linking note's folder, else the
//! one sharing the longest folder prefix with it, else the link is
//! ambiguous. So a file name always wins over a title or alias, as in
//! Obsidian, which knows no other names. Anything still tied or missing is
//! reported at the level `site.toml` sets (`[links] level`).

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;

use crate::content::scan::{LinkKind, LinkRef, Scan};
use crate::content::{Note, SourcePath};
use crate::deps;
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::site::{NameKind, NoteId, Site, fold};

/// Where an internal link points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A note, and optionally the id of one of its headings or blocks.
    Note {
        /// The note linked to.
        id: NoteId,
        /// The HTML id of the heading (`[[Note#Heading]]`) or block
        /// (`[[Note#^id]]`, id `^id`: see [`crate::content::scan::Block::anchor`]).
        anchor: Option<String>,
    },
    /// A file under `content/` that is not a note (an attachment), by its
    /// path relative to `content/` (`maps/world.png`). Any `#fragment` of
    /// the link (`#page=3` for a PDF) stays in the link's [`LinkRef::fragment`].
    Asset(String),
}

/// Which text of a note a link sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The Markdown body.
    Body,
    /// The explanation of the note's `n`-th self-test question.
    Explanation(usize),
}

/// A link to a note from another note (or from itself), for "Linked from".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backlink {
    /// The linking note.
    pub from: NoteId,
    /// The text the link sits in.
    pub part: Part,
    /// The link's index in that text's [`Scan::links`].
    pub link: usize,
}

/// The resolved links of every note and the backlinks of every note.
#[derive(Debug, Default)]
pub struct LinkGraph {
    /// `body[note][i]`: where the `i`-th link of the note's body points (`None`: broken).
    pub body: Vec<Vec<Option<Target>>>,
    /// `explanations[note][q][i]`: the same for the explanation of question `q`.
    pub explanations: Vec<Vec<Vec<Option<Target>>>>,
    /// `backlinks[note]`: links from other notes to it, one per linking note, by the linking note's title.
    pub backlinks: Vec<Vec<Backlink>>,
    /// `problems[note]`: the note's unresolved links, at the configured level.
    problems: Vec<Vec<Diagnostic>>,
    /// `title_rank[note]`: its place among the notes by lowercase title,
    /// the order of every backlink list.
    title_rank: Vec<u32>,
}

impl LinkGraph {
    /// The links from other notes to note `id` ([`LinkGraph::backlinks`]),
    /// recorded as read ([`deps::Facet::Linkers`]).
    pub fn backlinks_of(&self, id: NoteId) -> &[Backlink] {
        deps::note(deps::Facet::Linkers, id.index());
        &self.backlinks[id.index()]
    }

    /// The resolved links of one text of a note.
    pub fn targets(&self, id: NoteId, part: Part) -> &[Option<Target>] {
        match part {
            Part::Body => &self.body[id.index()],
            Part::Explanation(q) => &self.explanations[id.index()][q],
        }
    }
}

/// The scan of one text of a note.
pub fn scan_of(note: &Note, part: Part) -> &Scan {
    match part {
        Part::Body => &note.scan,
        Part::Explanation(q) => &note.explanation_scans[q],
    }
}

/// Resolves every link of every note, in parallel, and builds the backlinks.
///
/// Returns the graph and the diagnostics: unresolved, ambiguous and
/// missing-heading links (at the configured level) and embed cycles (warnings).
pub fn resolve(site: &Site) -> (LinkGraph, Vec<Diagnostic>) {
    let per_note: Vec<_> =
        site.ids().collect::<Vec<_>>().into_par_iter().map(|id| resolve_note(site, id)).collect();
    let mut graph = LinkGraph::default();
    for (body, explanations, d) in per_note {
        graph.body.push(body);
        graph.explanations.push(explanations);
        graph.problems.push(d);
    }
    let diagnostics = finish(site, &mut graph);
    (graph, diagnostics)
}

/// Re-resolves the links of the notes `ids` only, after an edit that changed
/// no title, alias, heading or path (so every other note's links still point
/// where they did), and patches the backlinks of what they linked to before
/// and after. Returns every link diagnostic of the site, as [`resolve`] does.
pub fn update(site: &Site, graph: &mut LinkGraph, ids: &[NoteId]) -> Vec<Diagnostic> {
    let fresh: Vec<_> = ids.par_iter().map(|id| (*id, resolve_note(site, *id))).collect();
    for (id, (body, explanations, d)) in fresh {
        for (target, _) in first_links(graph, id) {
            graph.backlinks[target.index()].retain(|b| b.from != id);
        }
        graph.body[id.index()] = body;
        graph.explanations[id.index()] = explanations;
        graph.problems[id.index()] = d;
        for (target, backlink) in first_links(graph, id) {
            let rank = |b: &Backlink| graph.title_rank[b.from.index()];
            let at = graph.backlinks[target.index()].partition_point(|b| rank(b) <= rank(&backlink));
            graph.backlinks[target.index()].insert(at, backlink);
        }
    }
    problems(site, graph)
}

/// The first link from note `from` to each other note (body, then
/// explanations), as the backlink it makes.
fn first_links(graph: &LinkGraph, from: NoteId) -> Vec<(NoteId, Backlink)> {
    let mut out: Vec<(NoteId, Backlink)> = Vec::new();
    let parts =
        std::iter::once(Part::Body).chain((0..graph.explanations[from.index()].len()).map(Part::Explanation));
    for part in parts {
        for (i, target) in graph.targets(from, part).iter().enumerate() {
            if let Some(Target::Note { id, .. }) = target
                && *id != from
                && !out.iter().any(|(t, _)| t == id)
            {
                out.push((*id, Backlink { from, part, link: i }));
            }
        }
    }
    out
}

/// Backlinks and embed cycles, once every note's links are resolved.
fn finish(site: &Site, graph: &mut LinkGraph) -> Vec<Diagnostic> {
    let mut by_title: Vec<NoteId> = site.ids().collect();
    by_title.sort_by_cached_key(|id| site.note(*id).title.to_lowercase());
    graph.title_rank = vec![0u32; site.notes.len()];
    for (r, id) in by_title.iter().enumerate() {
        graph.title_rank[id.index()] = r as u32;
    }
    graph.backlinks = backlinks(site, graph);
    problems(site, graph)
}

/// Every link problem of the site, and its embed cycles.
fn problems(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = graph.problems.iter().flatten().cloned().collect();
    diagnostics.extend(embed_cycles(site, graph));
    diagnostics
}

/// The resolved links of one note's body and explanations, and its problems.
#[allow(clippy::type_complexity)]
fn resolve_note(site: &Site, id: NoteId) -> (Vec<Option<Target>>, Vec<Vec<Option<Target>>>, Vec<Diagnostic>) {
    let severity = site.config.links.level.severity();
    let note = site.note(id);
    let mut diagnostics = Vec::new();
    let body = note
        .scan
        .links
        .iter()
        .map(|link| {
            resolve_one(site, id, link)
                .map_err(|p| diagnostics.push(p.report(site, note, link, None, severity)))
                .ok()
        })
        .collect::<Vec<_>>();
    let explanations = note
        .explanation_scans
        .iter()
        .enumerate()
        .map(|(q, scan)| {
            scan.links
                .iter()
                .map(|link| {
                    resolve_one(site, id, link)
                        .map_err(|p| diagnostics.push(p.report(site, note, link, Some(q), severity)))
                        .ok()
                })
                .collect()
        })
        .collect::<Vec<_>>();
    (body, explanations, diagnostics)
}

/// Why a link did not resolve.
enum Problem {
    /// No note has the name.
    Missing,
    /// A file name (`pic.png`, `[text](maps/world.svg)`): no attachment or note has it.
    MissingFile,
    /// Notes tied for the name.
    Ambiguous(Vec<NoteId>),
    /// Attachments tied for the name (by path relative to `content/`).
    AmbiguousFile(Vec<String>),
    /// The note has no heading by that name: the fragment, and the note's
    /// headings, nearest the fragment first.
    MissingHeading(String, Vec<String>),
    /// The note has no block with that id (without the `^`).
    MissingBlock(String),
    /// A path that climbs above `content/` (`../../private.md`): nothing
    /// outside it is part of the site.
    OutsideContent,
}

impl Problem {
    fn report(
        &self,
        site: &Site,
        note: &Note,
        link: &LinkRef,
        question: Option<usize>,
        severity: Severity,
    ) -> Diagnostic {
        let written = match link.kind {
            LinkKind::Wiki => format!(
                "{}[[{}{}]]",
                if link.embed { "!" } else { "" },
                link.target,
                link.fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default()
            ),
            LinkKind::Html => format!(
                "\"{}{}\" in raw HTML",
                link.target,
                link.fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default()
            ),
            _ => format!(
                "({}{})",
                link.target,
                link.fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default()
            ),
        };
        // Raw HTML was copied unchecked before Lode read its URLs, and is
        // read with a simpler parser than Markdown: a URL there that
        // resolves to nothing is a warning (and is kept as written), so that
        // a site that built still builds.
        let severity = if link.kind == LinkKind::Html { Severity::Warning } else { severity };
        let (message, help) = match self {
            Problem::Missing if site.draft_names.contains(&fold(&link.target)) => (
                format!("link {written} points to a draft"),
                "build with --drafts, or remove `draft = true` from that note".to_string(),
            ),
            Problem::Missing if is_path_link(link) => (
                format!("link {written} matches no note"),
                format!(
                    "a Markdown link is a path: it is read from this note's folder ({}), then from the top of the notes, then as a file name only one note has; write the path from this note (`../folder/name.md`), or link by title with [[…]]",
                    match note.path.display().rsplit_once('/') {
                        Some((folder, _)) => format!("`{folder}/`"),
                        None => "the top folder".to_string(),
                    }
                ),
            ),
            Problem::OutsideContent => (
                format!("link {written} points outside the site's content: it climbs above `content/`"),
                "only files under `content/` are part of the site: move the file into `content/` and link to it there, or link to its web address".to_string(),
            ),
            Problem::Ambiguous(candidates) if is_path_link(link) => (
                format!("link {written} matches more than one note equally well"),
                format!(
                    "write the path from this note to pick one: {}",
                    candidates
                        .iter()
                        .map(|c| format!("({})", relative_path(note.path.folder(), site.note(*c).path.as_str())))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ),
            Problem::Missing => (
                format!("link {written} matches no note"),
                match closest_title(site, &link.target) {
                    Some(title) => format!(
                        "did you mean [[{title}]]? Else check the spelling, or give the target note this name as a title or in `aliases`"
                    ),
                    None => {
                        "check the spelling, or give the target note this name as a title or in `aliases`"
                            .to_string()
                    }
                },
            ),
            Problem::MissingFile => (
                format!("link {written} matches no file"),
                "check the spelling, or add the file among the notes: files are looked up by path from the note's folder, then from the top of the notes, then by file name in the nearest folder".to_string(),
            ),
            Problem::AmbiguousFile(paths) => (
                format!("link {written} matches more than one file equally well"),
                format!("write the path from the top of the notes to pick one: {}", paths.join(" or ")),
            ),
            Problem::Ambiguous(candidates) => (
                format!("link {written} matches more than one note equally well"),
                format!(
                    "write the path to pick one: {}",
                    candidates
                        .iter()
                        .map(|c| format!("[[{}]]", path_target(site.note(*c).path.as_str())))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ),
            Problem::MissingBlock(id) => (
                format!("link {written}: the note has no block \"^{id}\""),
                format!(
                    "end the paragraph or list item with ` ^{id}` (or put `^{id}` on the line after a table or quote), or drop the `#^…` part"
                ),
            ),
            Problem::MissingHeading(fragment, headings) => (
                format!("link {written}: the note has no heading \"{fragment}\""),
                match headings.as_slice() {
                    [] => "the note has no headings: drop the `#…` part".to_string(),
                    some => {
                        let shown: Vec<String> =
                            some.iter().take(HEADINGS_SHOWN).map(|h| format!("\"{h}\"")).collect();
                        let more = some.len().saturating_sub(HEADINGS_SHOWN);
                        format!(
                            "its headings, nearest first: {}{}; link to one of them, or drop the `#…` part",
                            shown.join(", "),
                            if more > 0 { format!(" and {more} more") } else { String::new() }
                        )
                    }
                },
            ),
        };
        let mut d = match question {
            None => note.diagnostic_in_body(severity, link.span.clone(), message),
            Some(q) => {
                // At the link inside the explanation's string when it can be
                // found (no escapes before it), else at the question.
                let nth = note.front.questions[..q].iter().filter(|q| !q.explanation.is_empty()).count();
                let at_link = crate::content::string_value_offset(note, "questions", "explanation", nth)
                    .map(|start| start + link.span.start)
                    .filter(|at| {
                        note.text.get(*at..).is_some_and(|rest| {
                            rest.starts_with("[[") || rest.starts_with("![[") || rest.starts_with('[')
                        })
                    });
                let span = match at_link {
                    Some(at) => at..at + (link.span.end - link.span.start),
                    None => {
                        let offset = note.front.questions[q].offset;
                        offset..offset + "[[questions]]".len()
                    }
                };
                Diagnostic::at(
                    severity,
                    note.path.display(),
                    &note.text,
                    span,
                    format!("in a question's explanation: {message}"),
                )
            }
        }
        .with_help(help)
        .with_kind(match self {
            Problem::Missing if site.draft_names.contains(&fold(&link.target)) => Kind::LinkToDraft,
            Problem::Missing | Problem::OutsideContent => Kind::UnresolvedLink,
            Problem::MissingFile => Kind::MissingAttachment,
            Problem::Ambiguous(_) | Problem::AmbiguousFile(_) => Kind::AmbiguousLink,
            Problem::MissingHeading(..) => Kind::MissingHeading,
            Problem::MissingBlock(_) => Kind::MissingBlock,
        });
        match self {
            Problem::Ambiguous(candidates) => {
                for c in candidates {
                    d = d.with_related(site.note(*c).path.display(), 1, 1, "candidate");
                }
            }
            Problem::AmbiguousFile(paths) => {
                for path in paths {
                    let file =
                        site.asset_at(path).map_or_else(|| path.clone(), |a| site.asset(a).path.display());
                    d = d.with_related(file, 1, 1, "candidate");
                }
            }
            _ => {}
        }
        d
    }
}

fn path_target(path: &str) -> String {
    path.trim_end_matches(".md").to_string()
}

/// Whether `link` names a note by its file's path (`[x](lithium.md)`,
/// `[x](../minerals/lithium.md)`), not by a name as a wikilink does.
fn is_path_link(link: &LinkRef) -> bool {
    matches!(link.kind, LinkKind::Markdown | LinkKind::Html) && link.target.ends_with(".md")
}

/// The relative path from the folder `from` (relative to `content/`) to the
/// file at `to` (`a` to `topics/lithium.md` → `../topics/lithium.md`), its
/// spaces written `%20` as a Markdown link needs them.
fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count().min(to.len() - 1);
    let mut parts = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/").replace(' ', "%20")
}

/// Resolves one link written in note `from`.
fn resolve_one(site: &Site, from: NoteId, link: &LinkRef) -> Result<Target, Problem> {
    let source = &site.note(from).path;
    let target = link.target.as_str();
    if target.split('/').any(|s| s == "..") && join(source.folder(), target).is_none() {
        return Err(Problem::OutsideContent);
    }
    let note = if target.is_empty() {
        // `[[#Heading]]`, `[text](#anchor)`: this note.
        if link.fragment.as_deref().is_none_or(|f| f.trim().is_empty()) {
            return Err(Problem::Missing);
        }
        from
    } else if link.kind == LinkKind::Markdown || (link.kind == LinkKind::Html && target.ends_with(".md")) {
        find_note_by_file(site, source, target)?
    } else if matches!(link.kind, LinkKind::Asset | LinkKind::Html) || is_file_name(target) {
        // A file name: an attachment of that name wins (`report.pdf` over a
        // note `report.pdf.md`, as in Obsidian); then a note whose name has
        // a dot (`v1.2`, `Diagram.excalidraw`), or, in a Markdown link, a
        // note written without `.md` (Obsidian writes `[text](Other%20note)`).
        match find_asset(site, source, target) {
            Ok(path) => return Ok(Target::Asset(path)),
            Err(Problem::Missing) => {
                let note = match link.kind {
                    LinkKind::Wiki => find_note(site, source, target),
                    _ => find_note_by_file(site, source, target),
                };
                note.map_err(|p| match p {
                    Problem::Missing => Problem::MissingFile,
                    other => other,
                })?
            }
            Err(other) => return Err(other),
        }
    } else {
        match find_note(site, source, target) {
            // A file without an extension (`LICENSE`).
            Err(Problem::Missing) => {
                return find_asset(site, source, target).map(Target::Asset);
            }
            found => found?,
        }
    };
    let anchor = match &link.fragment {
        None => None,
        Some(f) if f.trim().is_empty() => None,
        Some(f) => Some(anchor_id(&site.note(note).scan, site.note(note).body(), f)?),
    };
    Ok(Target::Note { id: note, anchor })
}

/// The HTML id a link's `#fragment` names in a note: a block's for `#^id`
/// (Obsidian's block links; the id as written, else ignoring ASCII case),
/// else a heading's.
fn anchor_id(scan: &Scan, body: &str, fragment: &str) -> Result<String, Problem> {
    let last = fragment.rsplit('#').next().unwrap_or(fragment).trim();
    if let Some(id) = last.strip_prefix('^') {
        let block = scan.block(id).or_else(|| scan.blocks.iter().find(|b| b.id.eq_ignore_ascii_case(id)));
        return block.map(|b| b.anchor()).ok_or_else(|| Problem::MissingBlock(id.to_string()));
    }
    heading_id(scan, fragment)
        .or_else(|| heading_by_source(scan, body, fragment))
        .ok_or_else(|| Problem::MissingHeading(fragment.to_string(), nearest_headings(scan, fragment)))
}

/// Most headings a missing-heading hint lists.
const HEADINGS_SHOWN: usize = 5;

/// The texts of `scan`'s headings, the nearest `fragment` first (by
/// Jaro–Winkler similarity of their folded forms, which favours a shared
/// start: `Suply` is nearest `Supply chain`), ties in page order.
fn nearest_headings(scan: &Scan, fragment: &str) -> Vec<String> {
    let wanted = crate::site::fold(fragment);
    let mut scored: Vec<(f64, usize, &str)> = scan
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| (strsim::jaro_winkler(&wanted, &crate::site::fold(&h.text)), i, h.text.as_str()))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, text)| text.to_string()).collect()
}

/// The note a Markdown link's path names (`../minerals/lithium.md`): from the
/// linking note's folder (CommonMark's meaning), then from `content/`; a bare
/// file name (`lithium.md`) then names the one note with that file name
/// (Obsidian writes bare names in its "shortest path when possible" link
/// format), and is ambiguous when several notes have it; failing that, it
/// is looked up by title and alias as a wikilink is. A path climbing above
/// `content/` is [`Problem::OutsideContent`]. Zola's internal
/// links, `@/blog/post.md`, are read from `content/` (Zola's documentation,
/// "Internal links & deep linking").
fn find_note_by_file(site: &Site, source: &SourcePath, target: &str) -> Result<NoteId, Problem> {
    let path = target.strip_suffix(".md").unwrap_or(target);
    if let Some(from_root) = path.strip_prefix("@/") {
        return site.by_path(from_root).ok_or(Problem::Missing);
    }
    if let Some(id) = [join(source.folder(), path), join("", path)]
        .into_iter()
        .flatten()
        .find_map(|p| by_path_in(site, source, &p))
    {
        return Ok(id);
    }
    if path.contains('/') {
        return Err(Problem::Missing);
    }
    // A bare file name, as Obsidian writes a link to a note whose file name
    // is unique ("shortest path when possible"): the note with that file
    // name when only one has it, ambiguous when several do (the same
    // folder's was found above); else a title or alias, as a wikilink.
    for named in [site.named(NameKind::Stem, path), site.named_folded(NameKind::Stem, path)] {
        match &in_language(site, source, named)[..] {
            [] => {}
            [one] => return Ok(*one),
            several => return Err(Problem::Ambiguous(several.to_vec())),
        }
    }
    find_note(site, source, path)
}

/// The id of the heading whose source, as Obsidian writes it into a link,
/// `fragment` names: a heading made of links (`## [[Continuity
/// (topology)|Continuity]] and more`) is linked by its source with the
/// link brackets dropped and each `|` read as a space (`#Continuity
/// (topology) Continuity and more`); compared ignoring case and runs of
/// spaces.
fn heading_by_source(scan: &Scan, body: &str, fragment: &str) -> Option<String> {
    let key = |text: &str| -> String {
        let text = text.replace("[[", "").replace("]]", "").replace('|', " ");
        fold(&text.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let wanted = key(fragment.rsplit('#').next().unwrap_or(fragment));
    scan.headings
        .iter()
        .filter(|h| body.get(h.span.clone()).is_some_and(|s| s.contains("[[")))
        .find(|h| {
            let source = body.get(h.span.clone()).unwrap_or_default();
            key(source.trim().trim_start_matches('#')) == wanted
        })
        .map(|h| h.id.clone())
}

/// The id of the heading `fragment` names: by id, by text, or by the slug of the text.
fn heading_id(scan: &Scan, fragment: &str) -> Option<String> {
    // Obsidian writes nested headings as `#Parent#Child`: the last one counts.
    let fragment = fragment.rsplit('#').next().unwrap_or(fragment).trim();
    scan.headings
        .iter()
        .find(|h| h.id == fragment || h.text == fragment)
        .or_else(|| {
            let (slug, folded) = (crate::content::slugify(fragment), fold(fragment));
            scan.headings.iter().find(|h| h.id == slug || fold(&h.text) == folded)
        })
        .map(|h| h.id.clone())
}

/// Finds the note a wikilink names. See the module docs for the order.
fn find_note(site: &Site, source: &SourcePath, target: &str) -> Result<NoteId, Problem> {
    let target = target.strip_suffix(".md").unwrap_or(target);
    if target.contains('/') {
        return find_note_by_path(site, source, target);
    }
    for kind in NameKind::ALL {
        for candidates in [site.named(kind, target), site.named_folded(kind, target)] {
            match nearest_note(site, source, candidates) {
                Err(Problem::Missing) => {}
                found => return found,
            }
        }
    }
    Err(Problem::Missing)
}

/// The shortest wikilink text that leads to note `id` from a note at the
/// top of `content/`: its title, else its file name, else its path (for
/// help lines that suggest a link). A title holding U+FFFD (bytes that
/// were not UTF-8, read lossily) is passed over: no one can type it.
pub fn wikilink_name(site: &Site, id: NoteId) -> String {
    let note = site.note(id);
    let top = SourcePath::new("");
    let path = path_target(note.path.as_str());
    let file_name = crate::site::names_of(note).filter(|(kind, _)| *kind == NameKind::Stem).map(|(_, n)| n);
    std::iter::once(note.title.as_str())
        .chain(file_name)
        .find(|name| {
            deps::read(deps::Read::Name(fold(name)));
            !name.contains(['|', '#', '[', ']', char::REPLACEMENT_CHARACTER])
                && find_note(site, &top, name).ok() == Some(id)
        })
        .map_or(path, str::to_string)
}

/// `[[minerals/lithium]]`: from the content root (Obsidian's form), then from
/// the linking note's folder, then (ignoring case) the nearest note whose
/// path ends with it, found among the notes with its last segment as file name.
fn find_note_by_path(site: &Site, source: &SourcePath, target: &str) -> Result<NoteId, Problem> {
    let from_root = join("", target);
    if let Some(id) = from_root.as_deref().and_then(|p| by_path_in(site, source, p)) {
        return Ok(id);
    }
    if let Some(id) = join(source.folder(), target).and_then(|p| by_path_in(site, source, &p)) {
        return Ok(id);
    }
    let Some(from_root) = from_root else { return Err(Problem::Missing) };
    let name = from_root.rsplit('/').next().unwrap_or(&from_root);
    let wanted = fold(&from_root);
    let ends_with_path = |id: &NoteId| {
        let path = &site.note(*id).path;
        let as_linked =
            if path.is_collection_index() { path.folder() } else { path.as_str().trim_end_matches(".md") };
        let as_linked = fold(as_linked);
        as_linked == wanted || as_linked.strip_suffix(wanted.as_str()).is_some_and(|head| head.ends_with('/'))
    };
    let candidates: Vec<NoteId> =
        site.named_folded(NameKind::Stem, name).iter().copied().filter(ends_with_path).collect();
    nearest_note(site, source, &candidates)
}

/// In a site of several languages, the `candidates` a link from a note at
/// `source` may lead to: those in its language, else those in the default
/// language (a note not yet translated), else all of them. A translation
/// and its original share their names, so `[[Lithium]]` in `lithium.hi.md`'s
/// neighbours leads to the Hindi note and in English notes to the English one.
fn in_language<'a>(
    site: &Site,
    source: &SourcePath,
    candidates: &'a [NoteId],
) -> std::borrow::Cow<'a, [NoteId]> {
    if candidates.len() < 2 || !site.is_multilingual() {
        return candidates.into();
    }
    for l in [source.language(), 0] {
        let own: Vec<NoteId> = candidates.iter().copied().filter(|id| site.language(*id) == l).collect();
        if !own.is_empty() {
            return own.into();
        }
    }
    candidates.into()
}

/// The note at `path` (relative to `content/`, without `.md`) in the
/// language of `source` when it has one there (`minerals/lithium.hi`), else
/// as written.
fn by_path_in(site: &Site, source: &SourcePath, path: &str) -> Option<NoteId> {
    let translated = match source.language() {
        0 => None,
        l => site.by_path(&format!("{path}.{}", site.languages[l as usize])),
    };
    translated.or_else(|| site.by_path(path))
}

/// Among `candidates`, the note nearest the linking note ([`nearest`]),
/// in its language first ([`in_language`]).
fn nearest_note(site: &Site, source: &SourcePath, candidates: &[NoteId]) -> Result<NoteId, Problem> {
    let candidates = in_language(site, source, candidates);
    nearest(source.folder(), &candidates, |id| site.note(id).path.folder()).map_err(|tied| match tied {
        tied if tied.is_empty() => Problem::Missing,
        tied => Problem::Ambiguous(tied),
    })
}

/// Among `candidates` (notes or attachments), the one in the folder `here`,
/// else the one sharing the longest folder prefix with it. `Err` holds the
/// candidates still tied (none when there were none).
fn nearest<'a, T: Copy>(here: &str, candidates: &[T], folder: impl Fn(T) -> &'a str) -> Result<T, Vec<T>> {
    match candidates {
        [] => return Err(Vec::new()),
        [one] => return Ok(*one),
        _ => {}
    }
    let same: Vec<T> = candidates.iter().copied().filter(|c| folder(*c) == here).collect();
    if let [one] = same.as_slice() {
        return Ok(*one);
    }
    let depth = |c: &T| common_depth(here, folder(*c));
    let best = candidates.iter().map(depth).max().unwrap_or(0);
    let top: Vec<T> = candidates.iter().copied().filter(|c| depth(c) == best).collect();
    match top.as_slice() {
        [one] => Ok(*one),
        _ => Err(top),
    }
}

/// Number of leading folder segments two folders share.
fn common_depth(a: &str, b: &str) -> usize {
    a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y && !x.is_empty()).count()
}

/// Joins a relative path to a folder, resolving `.` and `..`; `None` if it climbs out of `content/`.
fn join(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for seg in relative.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A name with a file extension other than `.md` (`pic.png`, `v1.2`):
/// possibly an attachment.
fn is_file_name(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or(target);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !ext.is_empty() && !ext.eq_ignore_ascii_case("md") && !ext.contains(' ')
    })
}

/// The attachment `target` names, by its path relative to `content/`: the
/// path from the linking note's folder, then from `content/`, then the
/// nearest attachment with that file name (whose path, ignoring case, ends
/// with `target` when it has folders) — Obsidian's rules for attachments
/// (<https://help.obsidian.md/links>). Only files listed under `content/`
/// are ever returned, so `../` can never lead out of it.
fn find_asset(site: &Site, source: &SourcePath, target: &str) -> Result<String, Problem> {
    let exact = [join(source.folder(), target), join("", target)];
    if let Some(id) = exact.iter().flatten().find_map(|p| site.asset_at(p)) {
        return Ok(site.asset(id).path.as_str().to_string());
    }
    let name = target.rsplit('/').next().unwrap_or(target);
    let wanted = fold(target.trim_start_matches('/'));
    let ends_with_path = |id: &crate::site::AssetId| {
        let path = fold(site.asset(*id).path.as_str());
        !target.contains('/')
            || path.strip_suffix(wanted.as_str()).is_some_and(|head| head.is_empty() || head.ends_with('/'))
    };
    let candidates: Vec<_> = site.assets_named(name).iter().copied().filter(ends_with_path).collect();
    nearest(source.folder(), &candidates, |id| site.asset(id).path.folder())
        .map(|id| site.asset(id).path.as_str().to_string())
        .map_err(|tied| match tied {
            tied if tied.is_empty() => Problem::Missing,
            tied => Problem::AmbiguousFile(
                tied.iter().map(|id| site.asset(*id).path.as_str().to_string()).collect(),
            ),
        })
}

/// The reverse of the link graph: for each note, the notes linking to it
/// (the first link of each linking note), ordered by the linking note's title.
fn backlinks(site: &Site, graph: &LinkGraph) -> Vec<Vec<Backlink>> {
    let mut back: Vec<Vec<Backlink>> = vec![Vec::new(); site.notes.len()];
    for from in site.ids() {
        for (target, backlink) in first_links(graph, from) {
            back[target.index()].push(backlink);
        }
    }
    // Sorted by the title rank (`finish`): no allocation per comparison.
    for list in &mut back {
        list.sort_by_key(|b| graph.title_rank[b.from.index()]);
    }
    back
}

/// What an embed shows: a note, and the byte range of its body when only a
/// section or a block is embedded (see [`Scan::section`]).
pub type Embedded = (NoteId, Option<Range<usize>>);

/// What embedding `target` shows, or `None` for an attachment.
pub fn embedded(site: &Site, target: &Target) -> Option<Embedded> {
    match target {
        Target::Note { id, anchor } => {
            Some((*id, anchor.as_deref().and_then(|a| site.note(*id).scan.section(a))))
        }
        Target::Asset(_) => None,
    }
}

/// Warns at every embed that would, followed through other embeds, come
/// back to a part of its note that contains it (embedding its own note
/// whole included). Such an embed is rendered as a plain link. Embedding
/// one note twice is no cycle, nor is embedding another section of the same
/// note (`![[#Other section]]`): Obsidian shows both.
fn embed_cycles(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    // What the embeds inside `(note, range)` show.
    let embeds = |(id, within): &Embedded| -> Vec<Embedded> {
        site.note(*id)
            .scan
            .links
            .iter()
            .zip(&graph.body[id.index()])
            .filter(|(l, _)| l.embed && within.as_ref().is_none_or(|r| r.contains(&l.span.start)))
            .filter_map(|(_, t)| t.as_ref().and_then(|t| embedded(site, t)))
            .collect()
    };
    // Whether showing `start` shows the embed at byte `at` of note `home` again.
    let reaches = |start: Embedded, home: NoteId, at: usize| -> bool {
        let mut stack = vec![start];
        let mut seen = HashSet::new();
        while let Some(shown) = stack.pop() {
            if shown.0 == home && shown.1.as_ref().is_none_or(|r| r.contains(&at)) {
                return true;
            }
            let key = (shown.0, shown.1.as_ref().map(|r| (r.start, r.end)));
            if seen.insert(key) {
                stack.extend(embeds(&shown));
            }
        }
        false
    };
    let mut out = Vec::new();
    for id in site.ids() {
        let note = site.note(id);
        for (link, target) in note.scan.links.iter().zip(&graph.body[id.index()]) {
            if let (true, Some(shown)) = (link.embed, target.as_ref().and_then(|t| embedded(site, t)))
                && reaches(shown.clone(), id, link.span.start)
            {
                out.push(
                    note.diagnostic_in_body(
                        Severity::Warning,
                        link.span.clone(),
                        format!(
                            "embedding \"{}\" here would embed this note in itself",
                            site.note(shown.0).title
                        ),
                    )
                    .with_help(
                        "a plain link is shown instead; link with [[…]] rather than ![[…]] to silence this",
                    )
                    .with_kind(Kind::EmbedCycle),
                );
            }
        }
    }
    out
}

/// The note title nearest to `target` by Damerau–Levenshtein distance on
/// folded names, when it is a likely typo: at most one edit per four
/// characters (at least one). Ties go to the earlier note. Only titles with
/// the same first letter and a length within that limit are compared, and
/// at most [`SUGGESTION_BUDGET`] of them, so that a site with thousands of
/// dangling links (an imported vault) does not pay notes × links.
fn closest_title<'a>(site: &'a Site, target: &str) -> Option<&'a str> {
    let wanted = crate::site::fold(target);
    let length = wanted.chars().count();
    let limit = (length / 4).max(1);
    let first = wanted.chars().next()?;
    site.notes
        .iter()
        .filter(|note| {
            note.title.chars().next().is_some_and(|c| c.to_lowercase().eq(std::iter::once(first)))
                && note.title.chars().count().abs_diff(length) <= limit
        })
        .take(SUGGESTION_BUDGET)
        .map(|note| {
            (strsim::damerau_levenshtein(&wanted, &crate::site::fold(&note.title)), note.title.as_str())
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, title)| title)
}

/// Most titles compared for one link's suggestion.
const SUGGESTION_BUDGET: usize = 2_000;

#[cfg(test)]
mod tests {
    //! Link resolution as a table: each row is one link written in
    //! `topics/from.md` of a small site, and where it must lead (a note's
    //! path, `#` and the HTML id of a heading or block; `asset:` and an
    //! attachment's path) or which problem it must report.

    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::content::{Asset, SourceFile, parse};

    /// The site every row resolves in.
    const NOTES: &[(&str, &str)] = &[
        ("_index.md", "# Home\n"),
        ("minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        (
            "minerals/lithium.md",
            "+++\ntitle = \"Lithium\"\naliases = [\"Li\", \"White gold\"]\n+++\nLight.\n\n## Uses\n\nBatteries. ^use-1\n",
        ),
        ("minerals/v1.2.md", "+++\ntitle = \"Version note\"\n+++\nDotted.\n"),
        (
            "countries/china.md",
            "# China\n\n## Processing\n\n87% of rare earths.\n\n## Processing\n\nAgain.\n",
        ),
        ("countries/india.md", "+++\ntitle = \"India\"\n+++\nSee [[China]].\n"),
        ("topics/lithium.md", "+++\ntitle = \"Lithium as a topic\"\n+++\nNear.\n"),
        ("sectors/batteries.md", "+++\ntitle = \"Batteries\"\n+++\n"),
        ("sectors/deep/lithium.md", "+++\ntitle = \"Deep lithium\"\n+++\n"),
    ];

    /// Attachments, by path under `content/`.
    const ASSETS: &[&str] = &["maps/world.png", "topics/chart.png", "minerals/chart.png", "LICENSE"];

    /// (the link as written, where it leads or "!problem").
    const ROWS: &[(&str, &str)] = &[
        // Names: the file name first, and the nearest folder breaks ties
        // (topics/lithium is beside the linking note).
        ("[[lithium]]", "topics/lithium"),
        ("[[Lithium]]", "topics/lithium"),
        // A title or alias, exact then ignoring case.
        ("[[Lithium as a topic]]", "topics/lithium"),
        ("[[Li]]", "minerals/lithium"),
        ("[[white GOLD]]", "minerals/lithium"),
        ("[[India]]", "countries/india"),
        // The title from a note's first heading.
        ("[[China]]", "countries/china"),
        // Paths: from content/, from the note's folder, or a path's tail.
        ("[[minerals/lithium]]", "minerals/lithium"),
        ("[[minerals/lithium.md]]", "minerals/lithium"),
        ("[[deep/lithium]]", "sectors/deep/lithium"),
        ("[[MINERALS/LITHIUM]]", "minerals/lithium"),
        // A collection's page by its folder's name.
        ("[[minerals]]", "minerals/_index"),
        // Headings and blocks.
        ("[[China#Processing]]", "countries/china#processing"),
        ("[[China#processing]]", "countries/china#processing"),
        ("[[China#Nowhere]]", "!heading"),
        ("[[Li#^use-1]]", "minerals/lithium#^use-1"),
        ("[[Li#^USE-1]]", "minerals/lithium#^use-1"),
        ("[[Li#^missing]]", "!block"),
        ("[[#Local]]", "topics/from#local"),
        // Markdown links: relative to the note's folder (CommonMark), then
        // from content/, then a bare file name as a wikilink.
        ("[x](../minerals/lithium.md)", "minerals/lithium"),
        ("[x](minerals/lithium.md)", "minerals/lithium"),
        ("[x](../countries/china.md#processing)", "countries/china#processing"),
        ("[x](@/countries/india.md)", "countries/india"),
        ("[x](india.md)", "countries/india"),
        // A bare file name: the same folder's note, else the one note
        // with that file name; a path above content/ is outside the site.
        ("[x](lithium.md)", "topics/lithium"),
        ("[x](batteries.md)", "sectors/batteries"),
        ("[x](../../private.md)", "!outside"),
        ("[[../../private]]", "!outside"),
        // A name with a dot is a file name: an attachment first, else a note.
        ("[[v1.2]]", "minerals/v1.2"),
        ("![[world.png]]", "asset:maps/world.png"),
        ("![[chart.png]]", "asset:topics/chart.png"),
        ("![[minerals/chart.png]]", "asset:minerals/chart.png"),
        ("[[LICENSE]]", "asset:LICENSE"),
        ("![[nowhere.png]]", "!file"),
        // Nothing by that name.
        ("[[Cobalt]]", "!missing"),
    ];

    fn site() -> Site {
        let mut files: Vec<(&str, &str)> = NOTES.to_vec();
        files.push(("topics/from.md", "+++\ntitle = \"From\"\n+++\nText.\n\n## Local\n\nHere.\n"));
        let notes = files
            .into_iter()
            .map(|(path, text)| {
                let file = SourceFile { path: SourcePath::new(path), text: text.to_string() };
                Arc::new(parse(file).unwrap_or_else(|e| panic!("{path}: {e:?}")).0)
            })
            .collect();
        let assets = ASSETS
            .iter()
            .map(|p| Asset { path: SourcePath::new(p), source: std::path::PathBuf::from(p) })
            .collect();
        Site::index(Config::default(), notes, assets).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Where `written` leads from `topics/from.md`, as a row's second column.
    fn lead(site: &Site, from: NoteId, written: &str) -> String {
        let scan = crate::content::scan::scan(written);
        let link = scan.links.first().unwrap_or_else(|| panic!("{written} is no link"));
        match resolve_one(site, from, link) {
            Ok(Target::Note { id, anchor }) => {
                let path = site.note(id).path.as_str().trim_end_matches(".md").to_string();
                anchor.map_or(path.clone(), |a| format!("{path}#{a}"))
            }
            Ok(Target::Asset(path)) => format!("asset:{path}"),
            Err(Problem::Missing) => "!missing".into(),
            Err(Problem::MissingFile) => "!file".into(),
            Err(Problem::Ambiguous(_)) => "!ambiguous".into(),
            Err(Problem::AmbiguousFile(_)) => "!ambiguous file".into(),
            Err(Problem::MissingHeading(..)) => "!heading".into(),
            Err(Problem::MissingBlock(_)) => "!block".into(),
            Err(Problem::OutsideContent) => "!outside".into(),
        }
    }

    #[test]
    fn every_row_leads_where_it_says() {
        let site = site();
        let from = site.by_path("topics/from").expect("topics/from");
        let wrong: Vec<String> = ROWS
            .iter()
            .filter_map(|(written, want)| {
                let got = lead(&site, from, written);
                (got != *want).then(|| format!("{written}: {got}, want {want}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{} of {} rows:\n{}", wrong.len(), ROWS.len(), wrong.join("\n"));
    }

    #[test]
    fn a_name_two_notes_share_at_the_same_distance_is_ambiguous() {
        let site = site();
        // From sectors/batteries.md, `lithium` is two folders from
        // minerals/lithium and topics/lithium alike, one from sectors/deep.
        let from = site.by_path("sectors/batteries").expect("sectors/batteries");
        assert_eq!(lead(&site, from, "[[lithium]]"), "sectors/deep/lithium");
        // A Markdown link by bare file name takes the nearest only in its own folder.
        assert_eq!(lead(&site, from, "[x](lithium.md)"), "!ambiguous");
        let from = site.by_path("countries/india").expect("countries/india");
        assert_eq!(lead(&site, from, "[[lithium]]"), "!ambiguous");
    }
}
