//! Link resolution: every wikilink, relative `.md` link and anchor becomes a
//! [`Target`], or a diagnostic; then the reverse map (backlinks) is built once.
//!
//! The rules follow Obsidian's "shortest path when possible" resolution, made
//! deterministic: a target is matched against note paths, file stems, titles
//! and aliases — exact path first, then a name in the same folder, then in the
//! nearest common folder, then unique anywhere; then all of that again
//! ignoring case and Unicode normalisation. Anything still tied or missing
//! is reported at the level `site.toml` sets (`[links] level`).

use std::collections::HashSet;

use rayon::prelude::*;

use crate::content::{Note, SourcePath};
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::{LinkKind, LinkRef, Scan};
use crate::site::{NoteId, Site, fold};

/// Where an internal link points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A note, and optionally the id of one of its headings.
    Note {
        /// The note linked to.
        id: NoteId,
        /// The heading's HTML id, for `[[Note#Heading]]`.
        anchor: Option<String>,
    },
    /// A file under `content/` that is not a note, by its path relative to `content/`.
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
}

impl LinkGraph {
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
/// where they did), and rebuilds the backlinks. Returns every link diagnostic
/// of the site, as [`resolve`] does.
pub fn update(site: &Site, graph: &mut LinkGraph, ids: &[NoteId]) -> Vec<Diagnostic> {
    let fresh: Vec<_> = ids.par_iter().map(|id| (*id, resolve_note(site, *id))).collect();
    for (id, (body, explanations, d)) in fresh {
        graph.body[id.index()] = body;
        graph.explanations[id.index()] = explanations;
        graph.problems[id.index()] = d;
    }
    finish(site, graph)
}

/// Backlinks and embed cycles, once every note's links are resolved.
fn finish(site: &Site, graph: &mut LinkGraph) -> Vec<Diagnostic> {
    graph.backlinks = backlinks(site, graph);
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
    Missing,
    Ambiguous(Vec<NoteId>),
    MissingHeading(String),
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
                "[[{}{}]]",
                link.target,
                link.fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default()
            ),
            _ => format!(
                "({}{})",
                link.target,
                link.fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default()
            ),
        };
        let (message, help) = match self {
            Problem::Missing if site.draft_names.contains(&fold(&link.target)) => (
                format!("link {written} points to a draft"),
                "build with --drafts, or remove `draft = true` from that note".to_string(),
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
            Problem::MissingHeading(fragment) => (
                format!("link {written}: the note has no heading \"{fragment}\""),
                "link to an existing heading, or drop the `#…` part".to_string(),
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
        .with_help(help);
        if let Problem::Ambiguous(candidates) = self {
            for c in candidates {
                d = d.with_related(site.note(*c).path.display(), 1, 1, "candidate");
            }
        }
        d
    }
}

fn path_target(path: &str) -> String {
    path.trim_end_matches(".md").to_string()
}

/// Resolves one link written in note `from`.
fn resolve_one(site: &Site, from: NoteId, link: &LinkRef) -> Result<Target, Problem> {
    let source = &site.note(from).path;
    let note = match link.kind {
        LinkKind::Asset => {
            return asset_path(site, source, &link.target).map(Target::Asset).ok_or(Problem::Missing);
        }
        _ if link.target.is_empty() && link.fragment.as_deref().is_none_or(|f| f.trim().is_empty()) => {
            return Err(Problem::Missing);
        }
        _ if link.target.is_empty() => from,
        LinkKind::Markdown => {
            let joined = join(source.folder(), link.target.trim_end_matches(".md"));
            joined.and_then(|p| site.by_path(&p)).ok_or(Problem::Missing)?
        }
        LinkKind::Wiki => {
            if link.embed && is_asset_name(&link.target) {
                return asset_path(site, source, &link.target)
                    .or_else(|| asset_by_name(site, &link.target))
                    .map(Target::Asset)
                    .ok_or(Problem::Missing);
            }
            find_note(site, source, &link.target)?
        }
    };
    let anchor = match &link.fragment {
        None => None,
        Some(f) if f.trim().is_empty() => None,
        Some(f) => {
            Some(heading_id(&site.note(note).scan, f).ok_or_else(|| Problem::MissingHeading(f.clone()))?)
        }
    };
    Ok(Target::Note { id: note, anchor })
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
    let target = target.trim_end_matches(".md");
    if target.contains('/') {
        // A path: from the content root (Obsidian's form), then from the linking note's folder.
        let from_root = target.trim_start_matches('/');
        if let Some(id) = site.by_path(from_root) {
            return Ok(id);
        }
        if let Some(id) = join(source.folder(), target).and_then(|p| site.by_path(&p)) {
            return Ok(id);
        }
        let folded = fold(from_root);
        let matches: Vec<NoteId> = site
            .ids()
            .filter(|id| fold(site.note(*id).path.as_str().trim_end_matches(".md")) == folded)
            .collect();
        return match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(Problem::Missing),
            many => Err(Problem::Ambiguous(many.to_vec())),
        };
    }
    match nearest(site, source, site.named(target)) {
        Err(Problem::Missing) => nearest(site, source, site.named_folded(target)),
        other => other,
    }
}

/// Among `candidates`, the one in the linking note's folder, else the one
/// sharing the longest folder prefix with it; a tie is ambiguous.
fn nearest(site: &Site, source: &SourcePath, candidates: &[NoteId]) -> Result<NoteId, Problem> {
    match candidates {
        [] => return Err(Problem::Missing),
        [one] => return Ok(*one),
        _ => {}
    }
    let here = source.folder();
    let same: Vec<NoteId> =
        candidates.iter().copied().filter(|c| site.note(*c).path.folder() == here).collect();
    if let [one] = same.as_slice() {
        return Ok(*one);
    }
    let depth = |c: &NoteId| common_depth(here, site.note(*c).path.folder());
    let best = candidates.iter().map(depth).max().unwrap_or(0);
    let top: Vec<NoteId> = candidates.iter().copied().filter(|c| depth(c) == best).collect();
    match top.as_slice() {
        [one] => Ok(*one),
        _ => Err(Problem::Ambiguous(top)),
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

fn is_asset_name(target: &str) -> bool {
    target.rsplit_once('.').is_some_and(|(_, ext)| !ext.eq_ignore_ascii_case("md") && !ext.contains(' '))
}

fn asset_path(site: &Site, source: &SourcePath, target: &str) -> Option<String> {
    let path = join(source.folder(), target)?;
    site.assets.iter().any(|a| a.path.as_str() == path).then_some(path)
}

fn asset_by_name(site: &Site, name: &str) -> Option<String> {
    let mut found = site.assets.iter().filter(|a| a.path.as_str().rsplit('/').next() == Some(name));
    let first = found.next()?;
    found.next().is_none().then(|| first.path.as_str().to_string())
}

/// The reverse of the link graph: for each note, the notes linking to it
/// (the first link of each linking note), ordered by the linking note's title.
fn backlinks(site: &Site, graph: &LinkGraph) -> Vec<Vec<Backlink>> {
    // Sort by title once, then every list by that rank: no allocation per comparison.
    let mut by_title: Vec<NoteId> = site.ids().collect();
    by_title.sort_by_cached_key(|id| site.note(*id).title.to_lowercase());
    let mut rank = vec![0u32; site.notes.len()];
    for (r, id) in by_title.iter().enumerate() {
        rank[id.index()] = r as u32;
    }
    let mut back: Vec<Vec<Backlink>> = vec![Vec::new(); site.notes.len()];
    let mut seen: Vec<NoteId> = Vec::new();
    for from in site.ids() {
        seen.clear();
        let parts = std::iter::once(Part::Body)
            .chain((0..graph.explanations[from.index()].len()).map(Part::Explanation));
        for part in parts {
            for (i, target) in graph.targets(from, part).iter().enumerate() {
                if let Some(Target::Note { id, .. }) = target
                    && *id != from
                    && !seen.contains(id)
                {
                    seen.push(*id);
                    back[id.index()].push(Backlink { from, part, link: i });
                }
            }
        }
    }
    for list in &mut back {
        list.sort_by_key(|b| rank[b.from.index()]);
    }
    back
}

/// Warns at every embed that would, followed through other embeds, come
/// back to the note that contains it (a self-embed included). Such an embed
/// is rendered as a plain link. Embedding one note twice is no cycle.
fn embed_cycles(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    let embeds = |id: NoteId| -> Vec<NoteId> {
        site.note(id)
            .scan
            .links
            .iter()
            .zip(&graph.body[id.index()])
            .filter(|(l, _)| l.embed)
            .filter_map(|(_, t)| match t {
                Some(Target::Note { id, .. }) => Some(*id),
                _ => None,
            })
            .collect()
    };
    let reaches = |start: NoteId, goal: NoteId| -> bool {
        let mut stack = vec![start];
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if n == goal {
                return true;
            }
            if seen.insert(n) {
                stack.extend(embeds(n));
            }
        }
        false
    };
    let mut out = Vec::new();
    for id in site.ids() {
        let note = site.note(id);
        for (link, target) in note.scan.links.iter().zip(&graph.body[id.index()]) {
            if let (true, Some(Target::Note { id: to, .. })) = (link.embed, target)
                && reaches(*to, id)
            {
                out.push(
                    note.diagnostic_in_body(
                        Severity::Warning,
                        link.span.clone(),
                        format!(
                            "embedding \"{}\" here would embed this note in itself",
                            site.note(*to).title
                        ),
                    )
                    .with_help(
                        "a plain link is shown instead; link with [[…]] rather than ![[…]] to silence this",
                    ),
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
