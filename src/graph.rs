//! The link graph drawn: each note's local graph and the whole site's. The
//! site's is laid out at build time, an inline SVG; a note's is held by its
//! page as a list of the linked notes (readable without JavaScript) that
//! `static/graph.js` lays out and paints by this module's rules, as
//! [`write_svg`] would write it (page weight and build time: two pictures
//! of every node were most of a note page, their layout an eighth of a build).
//!
//! Layouts are deterministic: the same site gives the same bytes. The whole
//! site is laid out with a Fruchterman–Reingold force simulation (a fixed
//! number of rounds, started from a circle grouped by collection, repulsion
//! only between nodes in neighbouring grid cells, so a round costs O(nodes +
//! edges)); local graphs use a radial layout (the note in the middle, its
//! neighbours on a ring; the second hop is a list of links on the page,
//! which `static/graph.js` draws as an outer ring on request). Above
//! [`crate::config::GraphConfig::max_notes`] notes the site graph is drawn
//! per collection instead, which stays linear at any size.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::deps;
use crate::hash::FnvBuild;
use crate::html::{escape_html as escape, push_escaped};
use crate::links::{LinkGraph, Part, Target};
use crate::site::{NoteId, Site};

/// Most neighbours a local graph shows per hop (the highest-ranked: most
/// links first, then by title), so hub notes stay legible and pages small.
pub const LOCAL_CAP: usize = 30;

/// Number of colour and shape classes; collection `i` gets class `i % CLASSES`.
pub const CLASSES: usize = 8;

/// Site graphs with more nodes than this label only the best-linked
/// [`LABELLED`] nodes; the others are named by their tooltip.
const LABEL_ALL_UP_TO: usize = 250;
const LABELLED: usize = 150;

/// The undirected link graph of the notes, without self-links or duplicates.
pub struct Neighbours {
    /// `adj[n]`: the notes linked to or from note `n`, best-ranked first.
    adj: Vec<Vec<NoteId>>,
    /// `rank[n]`: the note's position when ordered by degree (descending), then title.
    rank: Vec<u32>,
    /// `by_title[n]`: the note's position when ordered by lowercase title, then rank.
    by_title: Vec<u32>,
    /// Left out of every graph (the home page, which links to everything).
    hidden: Option<NoteId>,
    /// `group[n]`: the collection note `n` belongs to, or is the index page of.
    group: Vec<Option<usize>>,
}

impl Neighbours {
    /// Builds the undirected graph from the resolved links of bodies and
    /// explanations, in O(links · log degree).
    pub fn new(site: &Site, graph: &LinkGraph) -> Self {
        let n = site.notes.len();
        let mut adj: Vec<Vec<NoteId>> = vec![Vec::new(); n];
        for from in site.ids() {
            if Some(from) == site.home {
                continue;
            }
            let parts = std::iter::once(Part::Body)
                .chain((0..graph.explanations[from.index()].len()).map(Part::Explanation));
            for part in parts {
                for target in graph.targets(from, part) {
                    if let Some(Target::Note { id, .. }) = target
                        && *id != from
                        && Some(*id) != site.home
                    {
                        adj[from.index()].push(*id);
                        adj[id.index()].push(from);
                    }
                }
            }
        }
        for list in &mut adj {
            list.sort_unstable();
            list.dedup();
        }
        let lower: Vec<String> = site.notes.iter().map(|note| note.title.to_lowercase()).collect();
        let mut order: Vec<NoteId> = site.ids().collect();
        order.sort_by(|a, b| {
            adj[b.index()]
                .len()
                .cmp(&adj[a.index()].len())
                .then_with(|| lower[a.index()].cmp(&lower[b.index()]))
        });
        let mut rank = vec![0u32; n];
        for (r, id) in order.iter().enumerate() {
            rank[id.index()] = r as u32;
        }
        // By title alone (rank breaking ties), for sorting rings without allocating.
        order.sort_by(|a, b| {
            lower[a.index()].cmp(&lower[b.index()]).then(rank[a.index()].cmp(&rank[b.index()]))
        });
        let mut by_title = vec![0u32; n];
        for (r, id) in order.iter().enumerate() {
            by_title[id.index()] = r as u32;
        }
        for list in &mut adj {
            list.sort_unstable_by_key(|id| rank[id.index()]);
        }
        let mut group = site.collection_of.clone();
        for (c, collection) in site.collections.iter().enumerate() {
            group[collection.index.index()] = Some(c);
        }
        Neighbours { adj, rank, by_title, hidden: site.home, group }
    }

    /// The notes linked to or from `id`, best-ranked first.
    pub fn of(&self, id: NoteId) -> &[NoteId] {
        &self.adj[id.index()]
    }
}

/// A point in SVG user units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Point {
    x: f64,
    y: f64,
}

/// A node to draw.
struct Node<'a> {
    title: &'a str,
    href: String,
    class: usize,
    collection: &'a str,
    at: Point,
    label: bool,
    centre: bool,
}

/// The colour and shape class of every note: its collection's position
/// among the collections (by folder), `None` outside any collection.
fn class_of(nb: &Neighbours, id: NoteId) -> Option<usize> {
    nb.group[id.index()].map(|c| c % CLASSES)
}

fn collection_title<'a>(site: &'a Site, nb: &Neighbours, id: NoteId, words: &GraphWords<'a>) -> &'a str {
    match nb.group[id.index()] {
        Some(c) => &site.note(site.collections[c].index).title,
        None => words.other,
    }
}

/// The interface strings the graphs name things with, in the page's
/// language: `render.rs` takes them from the translation files (keys in
/// Lode's `i18n/en.toml`), which this module, an earlier stage, cannot read.
#[derive(Clone, Copy, Debug)]
pub struct GraphWords<'a> {
    /// A local graph's accessible name, `{title}` the note's title
    /// (`graph_linked_with`: "Notes linked with {title}").
    pub linked_with: &'a str,
    /// The name of a graph's legend (`legend`).
    pub legend: &'a str,
    /// The collection of the notes in none (`graph_other`: "Other").
    pub other: &'a str,
    /// The site graph's node for those notes when it draws collections
    /// (`graph_other_notes`: "Other notes").
    pub other_notes: &'a str,
    /// A second hop's group, `{title}` the note it goes through
    /// (`hops_through`: "Through {title}:").
    pub through: &'a str,
}

/// The notes on the first ring of `id`'s local graph: its neighbours, at
/// most [`LOCAL_CAP`] of the best-ranked, ordered around the ring by
/// collection, then title (so colours and shapes cluster). Empty for a note
/// without links and for the hidden home page.
fn first_ring(nb: &Neighbours, id: NoteId) -> Vec<NoteId> {
    if Some(id) == nb.hidden {
        return Vec::new();
    }
    let mut first: Vec<NoteId> = nb.of(id).iter().copied().take(LOCAL_CAP).collect();
    first.sort_unstable_by_key(|n| (nb.group[n.index()].unwrap_or(usize::MAX), nb.by_title[n.index()]));
    first
}

/// The second ring: notes two links from `id`, each with the position in
/// `first` of the neighbour it is reached through. The best-ranked
/// [`LOCAL_CAP`] of them, ordered by that neighbour, then rank, so that on a
/// ring each sits near its parent and the tree edges barely cross.
fn second_ring(nb: &Neighbours, id: NoteId, first: &[NoteId]) -> Vec<(NoteId, usize)> {
    let mut on_first = first.to_vec();
    on_first.sort_unstable();
    let mut reached: Vec<(NoteId, usize)> = Vec::with_capacity(LOCAL_CAP * first.len());
    for (i, n) in first.iter().enumerate() {
        // The best-ranked few of each neighbour: bounded work even for hubs.
        for m in nb.of(*n).iter().take(LOCAL_CAP) {
            if *m != id && on_first.binary_search(m).is_err() {
                reached.push((*m, i));
            }
        }
    }
    // Each note once, through the first neighbour that reaches it (the
    // earliest in `reached`); ranks are distinct, so the best-ranked few are
    // selected, then only they are sorted.
    let mut seen: HashSet<NoteId, FnvBuild> =
        HashSet::with_capacity_and_hasher(reached.len(), FnvBuild::default());
    reached.retain(|(m, _)| seen.insert(*m));
    if reached.len() > LOCAL_CAP {
        reached.select_nth_unstable_by_key(LOCAL_CAP - 1, |(m, _)| nb.rank[m.index()]);
        reached.truncate(LOCAL_CAP);
    }
    reached.sort_unstable_by_key(|(m, parent)| (*parent, nb.rank[m.index()]));
    reached
}

/// Whether [`second_ring`] has a note: some neighbour leads further (the
/// same scan, without gathering and sorting them all).
fn has_second_hop(nb: &Neighbours, id: NoteId, first: &[NoteId]) -> bool {
    first.iter().any(|n| nb.of(*n).iter().take(LOCAL_CAP).any(|m| *m != id && !first.contains(m)))
}

/// Note `id`'s local graph: the list of [`local_list`] (which
/// `static/graph.js` lays out and paints), and
/// whether it has a second hop (then [`second_hops`] lists it; the page
/// links to that list, which is kept in a shared file fetched on demand:
/// page weight).
pub fn local_graph(
    site: &Site,
    nb: &Neighbours,
    id: NoteId,
    root: &str,
    words: &GraphWords,
) -> Option<(String, bool)> {
    record_local_reads(nb, id);
    let first = first_ring(nb, id);
    if first.is_empty() {
        return None;
    }
    Some((local_list(site, nb, id, &first, root, words), has_second_hop(nb, id, &first)))
}

/// The second hop of note `id`'s local graph, as the list of
/// [`second_hop_list`] (URLs relative to `root`, the site root as seen from
/// the file it goes in; each link's collection as a key into the table of
/// [`hop_collections`], the key added to `used`). `None` when the note has
/// no local graph or no second hop.
pub fn second_hops(
    site: &Site,
    nb: &Neighbours,
    id: NoteId,
    root: &str,
    used: &mut std::collections::BTreeSet<usize>,
    words: &GraphWords,
) -> Option<String> {
    record_local_reads(nb, id);
    let first = first_ring(nb, id);
    if first.is_empty() {
        return None;
    }
    second_hop_list(site, nb, id, &first, root, used, words)
}

/// A note's collection key in a second-hop list (`data-k`): the index of
/// its collection in [`Site::collections`], or their count for a note
/// outside every collection ("Other").
fn collection_key(site: &Site, nb: &Neighbours, id: NoteId) -> usize {
    nb.group[id.index()].unwrap_or(site.collections.len())
}

/// The table the `data-k` keys of [`second_hops`]' lists point into, once
/// per shared file rather than a title on every link (bytes written: the
/// second hops were a sixth of a 10,000-note build's output): a hidden
/// `<ul class="hop-collections">` with one `<li>` per key in `used`,
/// `data-k` the key, `data-g` its colour and shape class, its text the
/// collection's title, empty for the notes in none (a shared file serves
/// every language: `graph.js` names it in the page's, `graph_other`).
/// `graph.js` reads it when it draws the outer ring.
pub fn hop_collections(site: &Site, used: &std::collections::BTreeSet<usize>) -> String {
    let mut out = String::from("<ul class=\"hop-collections\" hidden>");
    for &k in used {
        let (class, title) = match site.collections.get(k) {
            Some(c) => (k % CLASSES, site.note(c.index).title.as_str()),
            None => (CLASSES, ""),
        };
        let _ = write!(out, "<li data-k=\"{k}\" data-g=\"{class}\">");
        push_escaped(&mut out, title);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// What a local graph reads: the notes within two links, placed by their
/// collection, chosen and ordered by rank (degree, then title), labelled by
/// title. Each one's degree is the size of its neighbour set.
fn record_local_reads(nb: &Neighbours, id: NoteId) {
    // Every neighbour's neighbours: a hub's are thousands (5 % of a
    // 100,000-note build when nothing records them).
    if !deps::capturing() {
        return;
    }
    deps::read(deps::Read::Notes);
    for n in std::iter::once(&id).chain(nb.of(id)) {
        for x in std::iter::once(n).chain(nb.of(*n)) {
            deps::note(deps::Facet::Neighbours, x.index());
            deps::note(deps::Facet::Card, x.index());
        }
    }
}

/// Note `id`'s local graph as the page holds it: the linked notes (`first`,
/// in ring order: see [`first_ring`]) as a list of links, one item per
/// collection ("Companies: A, B"), which is what a reader without
/// JavaScript sees. `static/graph.js` lays it out and paints it (page weight
/// and build time: the layout was two fifths of a page's graph bytes and an
/// eighth of a build): a ring for wide screens, or columns when the ring
/// would be over 780 units wide, and two columns for phones, with the rules
/// of this module's ring labels ([`place_ring_labels`], [`label_lines`],
/// [`shortened`], [`label_width`]) and markers ([`push_shape`], [`D1`]).
/// Its input is the list: the `<ul class="graph-links">`'s `aria-label`,
/// the pictures' name ([`GraphWords::linked_with`]: "Notes linked with
/// TITLE", in the page's language); the note's own node: `data-t` (its
/// title), `data-href`, `data-g` (its class), `data-c` (its collection); each
/// `<li>`: `data-g`, the class of its collection, whose title is its text
/// before the links (less the `: `). URLs are relative to the note's page
/// (`root` leads back to the site root).
fn local_list(
    site: &Site,
    nb: &Neighbours,
    id: NoteId,
    first: &[NoteId],
    root: &str,
    words: &GraphWords,
) -> String {
    let mut out = String::with_capacity(90 * first.len() + 200);
    let title = &site.note(id).title;
    out.push_str("<ul class=\"graph-links\" aria-label=\"");
    push_escaped(&mut out, &words.linked_with.replace("{title}", title));
    out.push_str("\" data-t=\"");
    push_escaped(&mut out, title);
    out.push_str("\" data-href=\"");
    out.push_str(root);
    push_escaped(&mut out, site.permalink(id).as_str());
    let _ = write!(out, "\" data-g=\"{}\" data-c=\"", class_of(nb, id).unwrap_or(CLASSES));
    push_escaped(&mut out, collection_title(site, nb, id, words));
    out.push_str("\">");
    let mut group: Option<(usize, &str)> = None;
    for n in first {
        let (class, collection) =
            (class_of(nb, *n).unwrap_or(CLASSES), collection_title(site, nb, *n, words));
        if group == Some((class, collection)) {
            out.push_str(", ");
        } else {
            if group.is_some() {
                out.push_str("</li>");
            }
            let _ = write!(out, "<li data-g=\"{class}\">");
            push_escaped(&mut out, collection);
            out.push_str(": ");
            group = Some((class, collection));
        }
        out.push_str("<a href=\"");
        out.push_str(root);
        push_escaped(&mut out, site.permalink(*n).as_str());
        out.push_str("\">");
        push_escaped(&mut out, &site.note(*n).title);
        out.push_str("</a>");
    }
    out.push_str("</li></ul>");
    // The legend: each collection drawn (the note's first), by the shape and
    // colour its nodes have (`legend_marker`, as `/graph/`'s legend), shown
    // with or without JavaScript beside the list the graph is drawn from.
    let mut keys: Vec<(usize, &str)> = Vec::new();
    for n in std::iter::once(id).chain(first.iter().copied()) {
        let key = (class_of(nb, n).unwrap_or(CLASSES), collection_title(site, nb, n, words));
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    out.push_str("<ul class=\"graph-legend\" aria-label=\"");
    push_escaped(&mut out, words.legend);
    out.push_str("\">");
    for (class, collection) in keys {
        out.push_str("<li>");
        out.push_str(&legend_marker(class));
        push_escaped(&mut out, collection);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// The second hop of note `id`'s local graph as HTML: a list with one item
/// per neighbour that leads further, naming that neighbour and linking the
/// notes reached through it (at most [`LOCAL_CAP`] in all, best-ranked).
/// `None` when there is no second hop.
///
/// It reads as a list without JavaScript (the note page links to it in its
/// shared file, `render::hops_path`); `graph.js` fetches it when the reader
/// opens "Show 2 hops" and draws it as the outer ring of the local graph.
/// Its attributes are that script's input: the `<ul>` has `data-ring` (the
/// number of notes on the first ring), each `<li>` `data-p` (the
/// neighbour's position on that ring, from 0), each link `data-k` (its
/// collection's key in the file's [`hop_collections`], added to `used`).
fn second_hop_list(
    site: &Site,
    nb: &Neighbours,
    id: NoteId,
    first: &[NoteId],
    root: &str,
    used: &mut std::collections::BTreeSet<usize>,
    words: &GraphWords,
) -> Option<String> {
    let second = second_ring(nb, id, first);
    let (before, after) = words.through.split_once("{title}").unwrap_or((words.through, ""));
    if second.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(120 * second.len() + 60);
    let _ = write!(out, "<ul class=\"hops\" data-ring=\"{}\">", first.len());
    let mut open: Option<usize> = None;
    for (n, parent) in &second {
        if open != Some(*parent) {
            if open.is_some() {
                out.push_str("</li>");
            }
            let _ = write!(out, "<li data-p=\"{parent}\">");
            push_escaped(&mut out, before);
            push_escaped(&mut out, &site.note(first[*parent]).title);
            push_escaped(&mut out, after);
            out.push(' ');
            open = Some(*parent);
        } else {
            out.push_str(", ");
        }
        out.push_str("<a href=\"");
        out.push_str(root);
        push_escaped(&mut out, site.permalink(*n).as_str());
        let k = collection_key(site, nb, *n);
        used.insert(k);
        let _ = write!(out, "\" data-k=\"{k}\">");
        push_escaped(&mut out, &site.note(*n).title);
        out.push_str("</a>");
    }
    out.push_str("</li></ul>");
    Some(out)
}

/// What the `/graph/` page shows.
pub struct SiteGraph {
    /// The SVG.
    pub svg: String,
    /// Whether it shows collections rather than notes (a site above the threshold).
    pub by_collection: bool,
    /// Nodes drawn.
    pub nodes: usize,
    /// Of the nodes, how many are collection pages (`_index.md`); the rest
    /// are notes as [`Site::counted_notes`] counts them. 0 when drawn by
    /// collection.
    pub collection_pages: usize,
    /// Edges drawn.
    pub edges: usize,
}

/// The whole site's graph, with URLs relative to `/graph/`: one node per
/// note (the home page left out) when there are at most `max_notes`, else
/// one per collection. `words` names what is in no collection; `title`
/// gives the picture's accessible name from what it draws: (notes,
/// collection pages, whether it draws collections: then the first is
/// their count).
pub fn site_svg(
    site: &Site,
    nb: &Neighbours,
    max_notes: usize,
    words: &GraphWords,
    title: &dyn Fn(usize, usize, bool) -> String,
) -> SiteGraph {
    // Best-linked first: their labels are placed first, and win collisions.
    let mut ids: Vec<NoteId> = site.ids().filter(|id| Some(*id) != site.home).collect();
    ids.sort_by_key(|id| nb.rank[id.index()]);
    if ids.len() > max_notes {
        return collections_svg(site, nb, words, title);
    }
    let index: HashMap<NoteId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut edges = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for n in nb.of(*id) {
            if let Some(&j) = index.get(n)
                && i < j
            {
                edges.push((i, j));
            }
        }
    }
    edges.sort_unstable();
    // Grouped by collection on the starting circle, so collections cluster.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|i| (nb.group[ids[*i].index()].unwrap_or(usize::MAX), ids[*i]));
    let positions = force_layout(ids.len(), &order, &edges);
    let labelled: Vec<bool> = if ids.len() <= LABEL_ALL_UP_TO {
        vec![true; ids.len()]
    } else {
        ids.iter().map(|id| (nb.rank[id.index()] as usize) < LABELLED).collect()
    };
    let (positions, size) = fit(&stretch(&positions), 110.0, 40.0);
    let nodes: Vec<Node> = ids
        .iter()
        .zip(positions)
        .zip(labelled)
        .map(|((id, at), label)| Node {
            title: &site.note(*id).title,
            href: format!("../{}", site.permalink(*id).as_str()),
            class: class_of(nb, *id).unwrap_or(CLASSES),
            collection: collection_title(site, nb, *id, words),
            at,
            label,
            centre: false,
        })
        .collect();
    let collection_pages = ids.iter().filter(|id| site.note(**id).path.is_collection_index()).count();
    let notes = nodes.len() - collection_pages;
    let title = title(notes, collection_pages, false);
    SiteGraph {
        svg: svg(&nodes, &edges, size, &title, LabelStyle::Free, "").0,
        by_collection: false,
        nodes: nodes.len(),
        collection_pages,
        edges: edges.len(),
    }
}

/// One node per collection (and one for notes outside any), edges between
/// collections whose notes link, thicker for more links: O(notes + links).
fn collections_svg(
    site: &Site,
    nb: &Neighbours,
    words: &GraphWords,
    title: &dyn Fn(usize, usize, bool) -> String,
) -> SiteGraph {
    let groups = site.collections.len() + 1;
    let group = |id: NoteId| nb.group[id.index()].unwrap_or(groups - 1);
    let mut counts = vec![0usize; groups];
    let mut links: HashMap<(usize, usize), usize> = HashMap::new();
    for id in site.ids().filter(|id| Some(*id) != site.home) {
        counts[group(id)] += 1;
        for n in nb.of(id) {
            let (a, b) = (group(id), group(*n));
            if a < b {
                *links.entry((a, b)).or_default() += 1;
            }
        }
    }
    let shown: Vec<usize> = (0..groups).filter(|g| counts[*g] > 0).collect();
    let r = 60.0 + 30.0 * shown.len() as f64;
    let size = 2.0 * (r + 140.0);
    let nodes: Vec<Node> = shown
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let a = std::f64::consts::TAU * k as f64 / shown.len() as f64 - std::f64::consts::FRAC_PI_2;
            let (title, href) = match site.collections.get(*g) {
                Some(c) => {
                    (site.note(c.index).title.as_str(), format!("../{}", site.permalink(c.index).as_str()))
                }
                None => (words.other_notes, "../".to_string()),
            };
            Node {
                title,
                href,
                class: if *g < site.collections.len() { g % CLASSES } else { CLASSES },
                collection: title,
                at: Point { x: size / 2.0 + r * a.cos(), y: size / 2.0 + r * a.sin() },
                label: true,
                centre: false,
            }
        })
        .collect();
    let mut edges: Vec<(usize, usize)> = Vec::new();
    let mut pairs: Vec<((usize, usize), usize)> = links.into_iter().collect();
    pairs.sort_unstable();
    for ((a, b), _) in &pairs {
        if let (Some(i), Some(j)) = (shown.iter().position(|g| g == a), shown.iter().position(|g| g == b)) {
            edges.push((i, j));
        }
    }
    let title = title(nodes.len(), 0, true);
    let centre = Point { x: size / 2.0, y: size / 2.0 };
    SiteGraph {
        svg: svg(&nodes, &edges, (size, size), &title, LabelStyle::Radial(centre), "").0,
        by_collection: true,
        nodes: nodes.len(),
        collection_pages: 0,
        edges: edges.len(),
    }
}

/// "s" after a count other than 1.
/// Fruchterman–Reingold with a fixed number of rounds and a linear cooling
/// schedule. Nodes start on a circle in `order`; repulsion acts only within
/// a grid cell and its eight neighbours (cells of three ideal edge lengths),
/// so each round is O(nodes + edges) for evenly spread nodes.
fn force_layout(n: usize, order: &[usize], edges: &[(usize, usize)]) -> Vec<Point> {
    use rayon::prelude::*;
    const K: f64 = 60.0;
    let mut pos = vec![Point { x: 0.0, y: 0.0 }; n];
    let radius = K * (n as f64).sqrt() * 0.9 + 1.0;
    for (k, i) in order.iter().enumerate() {
        let a = std::f64::consts::TAU * k as f64 / n.max(1) as f64;
        // A deterministic wobble so that a ring of unlinked nodes can unfold.
        let wobble = 1.0 + 0.15 * (((k * 7919) % 13) as f64 / 13.0 - 0.5);
        pos[*i] = Point { x: radius * wobble * a.cos(), y: radius * wobble * a.sin() };
    }
    let rounds = if n <= 300 { 300 } else { 150 };
    // Dense graphs (study notes link a lot) would collapse into a ball:
    // springs are weakened by the mean degree.
    let spring = 1.0 / (edges.len() as f64 / n.max(1) as f64).max(1.0);
    let mut disp = vec![Point { x: 0.0, y: 0.0 }; n];
    let mut grid = Grid::default();
    for round in 0..rounds {
        let temperature = radius * 0.1 * (1.0 - round as f64 / rounds as f64) + 0.5;
        grid.fill(&pos, 2.0 * K);
        // Each node's repulsion is its own sum, in a fixed order: the same
        // result on any number of threads.
        let grid = &grid;
        let pos_now = &pos;
        // Inside the page's capture: set aside while the loop waits on
        // its halves (deps::suspended: the jobs it runs meanwhile are not this page's).
        crate::deps::suspended(|| {
            disp.par_iter_mut().enumerate().for_each(|(i, d)| {
                let pos = pos_now;
                let p = pos[i];
                let mut f = Point { x: 0.0, y: 0.0 };
                // Repulsion is cut off at one cell's side, so the cells around
                // hold every node that pushes (else cell borders would show).
                let cutoff2 = grid.cell * grid.cell;
                grid.near(p, |j| {
                    let (vx, vy) = (p.x - pos[j].x, p.y - pos[j].y);
                    let dist2 = (vx * vx + vy * vy).max(0.01);
                    if j != i && dist2 < cutoff2 {
                        // k² / d along the unit vector = k² · v / d².
                        f.x += K * K * vx / dist2;
                        f.y += K * K * vy / dist2;
                    }
                });
                // Gravity towards the centre keeps unlinked notes in the picture.
                f.x -= 0.01 * p.x;
                f.y -= 0.01 * p.y;
                *d = f;
            });
        });
        for &(a, b) in edges {
            let (vx, vy) = (pos[a].x - pos[b].x, pos[a].y - pos[b].y);
            let dist = (vx * vx + vy * vy).sqrt().max(0.1);
            // d² / k along the unit vector = d · v / k.
            let (fx, fy) = (spring * vx * dist / K, spring * vy * dist / K);
            disp[a].x -= fx;
            disp[a].y -= fy;
            disp[b].x += fx;
            disp[b].y += fy;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.x * d.x + d.y * d.y).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                p.x += d.x / len * step;
                p.y += d.y / len * step;
            }
        }
    }
    pos
}

/// Nodes bucketed by square cells (a counting sort, no hashing), to find
/// the nodes near a point in time proportional to how many there are.
#[derive(Default)]
struct Grid {
    cell: f64,
    origin: Point,
    width: usize,
    height: usize,
    /// `members[start[c]..start[c + 1]]`: the nodes in cell `c`.
    start: Vec<usize>,
    members: Vec<usize>,
}

impl Grid {
    /// Buckets `points` into cells of side `cell`, or bigger when the points
    /// spread so far that there would be more than four cells per point.
    fn fill(&mut self, points: &[Point], cell: f64) {
        let (mut lo, mut hi) = (
            Point { x: f64::INFINITY, y: f64::INFINITY },
            Point { x: f64::NEG_INFINITY, y: f64::NEG_INFINITY },
        );
        for p in points {
            lo = Point { x: lo.x.min(p.x), y: lo.y.min(p.y) };
            hi = Point { x: hi.x.max(p.x), y: hi.y.max(p.y) };
        }
        let limit = (4 * points.len()).max(1) as f64;
        let mut side = cell;
        while ((hi.x - lo.x) / side + 1.0) * ((hi.y - lo.y) / side + 1.0) > limit {
            side *= 2.0;
        }
        self.cell = side;
        self.origin = lo;
        self.width = ((hi.x - lo.x) / side) as usize + 1;
        self.height = ((hi.y - lo.y) / side) as usize + 1;
        let cells = self.width * self.height;
        self.start.clear();
        self.start.resize(cells + 1, 0);
        let index: Vec<usize> = points.iter().map(|p| self.cell_of(*p)).collect();
        for c in &index {
            self.start[c + 1] += 1;
        }
        for c in 0..cells {
            self.start[c + 1] += self.start[c];
        }
        self.members.clear();
        self.members.resize(points.len(), 0);
        let mut next = self.start.clone();
        for (i, c) in index.iter().enumerate() {
            self.members[next[*c]] = i;
            next[*c] += 1;
        }
    }

    fn cell_of(&self, p: Point) -> usize {
        let x = (((p.x - self.origin.x) / self.cell) as usize).min(self.width - 1);
        let y = (((p.y - self.origin.y) / self.cell) as usize).min(self.height - 1);
        y * self.width + x
    }

    /// Calls `visit` with every node in the cell of `p` and the eight around it, in a fixed order.
    fn near(&self, p: Point, mut visit: impl FnMut(usize)) {
        let c = self.cell_of(p);
        let (cx, cy) = (c % self.width, c / self.width);
        for y in cy.saturating_sub(1)..=(cy + 1).min(self.height - 1) {
            for x in cx.saturating_sub(1)..=(cx + 1).min(self.width - 1) {
                let cell = y * self.width + x;
                self.members[self.start[cell]..self.start[cell + 1]].iter().for_each(|j| visit(*j));
            }
        }
    }
}

/// Scales a layout up to about 150 × 64 units per node, wider than high
/// (labels are wide, screens too): room for every label at the flagship size.
fn stretch(points: &[Point]) -> Vec<Point> {
    let span = |f: fn(&Point) -> f64| {
        let (lo, hi) =
            points.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        (hi - lo).max(1.0)
    };
    let area = points.len() as f64 * 150.0 * 64.0;
    let (width, height) = ((area * 1.6).sqrt(), (area / 1.6).sqrt());
    let sx = (width / span(|p| p.x)).max(1.0);
    let sy = (height / span(|p| p.y)).max(1.0);
    points.iter().map(|p| Point { x: p.x * sx, y: p.y * sy }).collect()
}

/// Moves `points` into a box starting at (`margin_x`, `margin_y`), rounded
/// to tenths (so the SVG is short and the same on every machine that
/// computes the same floats); returns them and the box's size.
fn fit(points: &[Point], margin_x: f64, margin_y: f64) -> (Vec<Point>, (f64, f64)) {
    let min_x = points.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
    let min_y = points.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
    let max_x = points.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
    let max_y = points.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
    if points.is_empty() {
        return (Vec::new(), (2.0 * margin_x, 2.0 * margin_y));
    }
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let moved = points
        .iter()
        .map(|p| Point { x: round(p.x - min_x + margin_x), y: round(p.y - min_y + margin_y) })
        .collect();
    (moved, (round(max_x - min_x + 2.0 * margin_x), round(max_y - min_y + 2.0 * margin_y)))
}

/// Where labels go.
enum LabelStyle {
    /// Away from this centre (rings).
    Radial(Point),
    /// Below the node unless that collides with a label already placed
    /// (best-linked nodes first), then above, right, left.
    Free,
}

/// A ring label on one line, or on two when longer than 22 characters
/// (split at the space nearest the middle; the first line keeps that space,
/// so the lines read as the whole title, which is also the accessible name).
fn label_lines(title: &str) -> Vec<String> {
    let length = title.chars().count();
    if length <= 22 {
        return vec![title.to_string()];
    }
    let middle = title.char_indices().nth(length / 2).map_or(title.len(), |(i, _)| i);
    let split = title.match_indices(' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(middle));
    match split {
        Some(i) => vec![title[..=i].to_string(), title[i + 1..].to_string()],
        None => vec![title.to_string()],
    }
}

/// Width of a label at the SVG's label font size (13 user units), from an
/// average width per kind of glyph a little over common sans-serif fonts'
/// (DejaVu Sans, Helvetica, Segoe UI): boxes placed with it do not overlap
/// when drawn.
fn label_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '’' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '-' | ' ' | 'I' | 'J' => 0.42,
            'm' | 'w' | 'M' | 'W' | '—' | '%' => 1.0,
            '0'..='9' | 'a'..='z' => 0.65,
            'A'..='Z' | '&' => 0.8,
            _ => 0.75,
        })
        .sum::<f64>()
        * 13.0
}

/// Height of one label line (the `1.1em` of a second line's `dy`).
const LINE: f64 = 14.3;

/// A box: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

fn intersects(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// A label placed: where its text starts (`x`, `y`, `anchor`), its lines
/// (one shortened line ending in `…` when the title did not fit), its box.
struct Placed {
    x: f64,
    y: f64,
    anchor: &'static str,
    lines: Vec<String>,
    rect: Rect,
}

/// The box of `lines` written at (`x`, `y`) with `anchor`; `scale` widens
/// bold text. Padded by the text's 3-unit halo and a little more.
fn label_rect(x: f64, y: f64, anchor: &str, lines: &[String], scale: f64) -> Rect {
    let width = lines.iter().map(|l| label_width(l.trim())).fold(0.0, f64::max) * scale;
    let left = match anchor {
        "start" => x,
        "end" => x - width,
        _ => x - width / 2.0,
    };
    // Small text is hinted a little larger: room to spare above and below.
    (left - 2.0, y - 13.5, left + width + 2.0, y + 5.0 + LINE * (lines.len() - 1) as f64)
}

/// Places the labels of a ring graph around `c`: each outwards from the
/// centre by default; where it would overlap a label already placed (the
/// centre's first, then around the ring), pushed further out, flipped to
/// the node's other sides, then shortened to a few words with `…` (the
/// node's `<title>` still names it whole). Labels also keep off the markers.
fn place_ring_labels(nodes: &[Node], c: Point) -> Vec<Option<Placed>> {
    let markers: Vec<Rect> = nodes
        .iter()
        .map(|n| {
            let r = if n.centre { 9.0 } else { 7.0 };
            (n.at.x - r, n.at.y - r, n.at.x + r, n.at.y + r)
        })
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut out: Vec<Option<Placed>> = nodes.iter().map(|_| None).collect();
    let mut order: Vec<usize> = (0..nodes.len()).filter(|i| nodes[*i].label).collect();
    order.sort_by_key(|i| !nodes[*i].centre);
    for i in order {
        let node = &nodes[i];
        let Point { x, y } = node.at;
        let scale = if node.centre { 1.12 } else { 1.0 };
        let full = label_lines(node.title);
        let short = shortened(node.title);
        let (dx, dy) = (x - c.x, y - c.y);
        let len = (dx * dx + dy * dy).sqrt();
        let mut candidates: Vec<(f64, f64, &'static str, &Vec<String>)> = Vec::new();
        for lines in [&full, &short] {
            let lift = |up: bool| if up { LINE * (lines.len() - 1) as f64 } else { 0.0 };
            if len < 1.0 {
                candidates.push((x, y + 24.0, "middle", lines));
                candidates.push((x, y - 14.0 - lift(true), "middle", lines));
                continue;
            }
            let (ux, uy) = (dx / len, dy / len);
            let anchor = if ux > 0.12 {
                "start"
            } else if ux < -0.12 {
                "end"
            } else {
                "middle"
            };
            for d in [12.0, 26.0, 40.0] {
                let ly = y + uy * d + 4.0 + if uy > 0.3 { 6.0 } else { 0.0 } - lift(uy < -0.3);
                candidates.push((x + ux * d, ly, anchor, lines));
            }
            // The node's other sides: beside it, above it, below it.
            candidates.push((x + 11.0, y + 4.0 - lift(true) / 2.0, "start", lines));
            candidates.push((x - 11.0, y + 4.0 - lift(true) / 2.0, "end", lines));
            candidates.push((x, y - 12.0 - lift(true), "middle", lines));
            candidates.push((x, y + 21.0, "middle", lines));
        }
        let rect = |(lx, ly, anchor, lines): &(f64, f64, &str, &Vec<String>)| {
            label_rect(*lx, *ly, anchor, lines, scale)
        };
        let hits_label = |r: &Rect| placed.iter().any(|p| intersects(r, p));
        let hits_marker = |r: &Rect| markers.iter().enumerate().any(|(k, m)| k != i && intersects(r, m));
        let best = candidates
            .iter()
            .find(|cand| {
                let r = rect(cand);
                !hits_label(&r) && !hits_marker(&r)
            })
            .or_else(|| candidates.iter().find(|cand| !hits_label(&rect(cand))))
            .copied();
        // Nothing free: the shortest form at the first free distance outwards.
        let (lx, ly, anchor, lines, r) = match best {
            Some(cand) => (cand.0, cand.1, cand.2, cand.3.clone(), rect(&cand)),
            None => {
                let (ux, uy) = if len < 1.0 { (0.0, 1.0) } else { (dx / len, dy / len) };
                let anchor = if ux > 0.12 {
                    "start"
                } else if ux < -0.12 {
                    "end"
                } else {
                    "middle"
                };
                let mut d = 54.0;
                loop {
                    let (lx, ly) = (x + ux * d, y + uy * d + 4.0);
                    let r = label_rect(lx, ly, anchor, &short, scale);
                    if !hits_label(&r) || d > 2000.0 {
                        break (lx, ly, anchor, short.clone(), r);
                    }
                    d += 14.0;
                }
            }
        };
        placed.push(r);
        out[i] = Some(Placed { x: lx, y: ly, anchor, lines, rect: r });
    }
    out
}

/// A title cut to its first words within 14 characters, with `…`; the
/// title itself when it is that short.
fn shortened(title: &str) -> Vec<String> {
    if title.chars().count() <= 14 {
        return vec![title.to_string()];
    }
    let mut cut: String = title.chars().take(13).collect();
    if let Some(space) = cut.rfind(' ').filter(|i| *i >= 6) {
        cut.truncate(space);
    }
    vec![format!("{}…", cut.trim_end())]
}

/// A label as drawn: where its text starts (`x`, `y`, `anchor`) and its lines.
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
    lines: Vec<String>,
}

/// A picture laid out: its `<svg>`'s kind (`radial`, `columns`, `free`),
/// viewBox (x, y, width, height; the width and height are also its size),
/// the ring's centre (`radial`, written as `data-cx`, `data-cy`) and each
/// node's label (`None`: unlabelled).
struct Layout {
    kind: &'static str,
    view: (f64, f64, f64, f64),
    centre: Option<Point>,
    labels: Vec<Option<Label>>,
}

/// Lays out the labels of `nodes` (see [`LabelStyle`]) and the picture's
/// frame: a ring's or columns' picture is cut to what it holds, so it fits
/// its frame with nothing cut off; a free one is `size`.
fn lay_out(nodes: &[Node], size: (f64, f64), style: LabelStyle) -> Layout {
    let (kind, centre, placed) = match style {
        LabelStyle::Radial(c) => ("radial", Some(c), place_ring_labels(nodes, c)),
        LabelStyle::Free => {
            return Layout {
                kind: "free",
                view: (0.0, 0.0, size.0, size.1),
                centre: None,
                labels: free_labels(nodes),
            };
        }
    };
    let mut bounds = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    let boxes = nodes.iter().map(|n| (n.at.x - 10.0, n.at.y - 10.0, n.at.x + 10.0, n.at.y + 10.0));
    for r in boxes.chain(placed.iter().flatten().map(|p| p.rect)) {
        bounds = (bounds.0.min(r.0), bounds.1.min(r.1), bounds.2.max(r.2), bounds.3.max(r.3));
    }
    let (x, y) = ((bounds.0 - 4.0).floor(), (bounds.1 - 4.0).floor());
    let (vw, vh) = ((bounds.2 + 4.0).ceil() - x, (bounds.3 + 4.0).ceil() - y);
    let labels = placed
        .into_iter()
        .zip(nodes)
        .map(|(p, node)| {
            node.label.then(|| match p {
                Some(p) => Label { x: p.x, y: p.y, anchor: p.anchor, lines: p.lines },
                None => Label {
                    x: node.at.x,
                    y: node.at.y + 22.0,
                    anchor: "middle",
                    lines: label_lines(node.title),
                },
            })
        })
        .collect();
    Layout { kind, view: (x, y, vw, vh), centre, labels }
}

/// The site graph's labels (11 units: more of them): below the node unless
/// that collides with a label already placed (earlier nodes win), then
/// above, right, left.
fn free_labels(nodes: &[Node]) -> Vec<Option<Label>> {
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    nodes
        .iter()
        .map(|node| {
            if !node.label {
                return None;
            }
            let Point { x, y } = node.at;
            let width = label_width(node.title) * 11.0 / 13.0;
            let candidates = [
                (x, y + 18.0, "middle"),
                (x, y - 10.0, "middle"),
                (x + 10.0, y + 4.0, "start"),
                (x - 10.0, y + 4.0, "end"),
            ];
            let bounds = |(lx, ly, anchor): (f64, f64, &str)| {
                let left = match anchor {
                    "start" => lx,
                    "end" => lx - width,
                    _ => lx - width / 2.0,
                };
                (left, ly - 10.0, left + width, ly + 2.0)
            };
            let overlaps = |b: (f64, f64, f64, f64)| {
                placed.iter().filter(|p| b.0 < p.2 && p.0 < b.2 && b.1 < p.3 && p.1 < b.3).count()
            };
            let best =
                candidates.iter().copied().min_by_key(|c| overlaps(bounds(*c))).unwrap_or(candidates[0]);
            placed.push(bounds(best));
            Some(Label { x: best.0, y: best.1, anchor: best.2, lines: vec![node.title.to_string()] })
        })
        .collect()
}

/// Draws nodes and edges. Each node is an `<a>` with an accessible name
/// (title and collection) and a `<title>` tooltip; its collection gives its
/// colour and shape class (`g0`…`g7`, `g8` for none). `class` is added to
/// the `<svg>`'s classes (with its leading space). Returns the SVG and its
/// width in user units (a ring's or columns' picture is cut to what it holds).
fn svg(
    nodes: &[Node],
    edges: &[(usize, usize)],
    size: (f64, f64),
    title: &str,
    labels: LabelStyle,
    class: &str,
) -> (String, f64) {
    let layout = lay_out(nodes, size, labels);
    let width = layout.view.2;
    (write_svg(nodes, edges, &layout, title, class), width)
}

/// The SVG of a picture laid out by [`lay_out`]. `static/graph.js` paints a
/// note's local graph from its list (see [`local_list`]) as this writes it,
/// element for element and attribute for attribute.
fn write_svg(nodes: &[Node], edges: &[(usize, usize)], layout: &Layout, title: &str, class: &str) -> String {
    let mut out = String::with_capacity(200 * nodes.len() + 60 * edges.len() + 200);
    let (x, y, vw, vh) = layout.view;
    let _ = write!(
        out,
        "<svg class=\"graph {}{class}\" viewBox=\"{x} {y} {vw} {vh}\" width=\"{vw}\" height=\"{vh}\"",
        layout.kind
    );
    if let Some(c) = layout.centre {
        let _ = write!(out, " data-cx=\"{}\" data-cy=\"{}\"", D1(c.x), D1(c.y));
    }
    let _ = write!(out, " role=\"group\" aria-label=\"{}\">", escape(title));
    // The edges as one path per kind (those of the centre, the others):
    // a `<line>` each would weigh four times as much.
    out.push_str("<g class=\"edges\" aria-hidden=\"true\">");
    for centre in [true, false] {
        let mut d = String::new();
        for &(a, b) in edges.iter().filter(|(a, b)| (nodes[*a].centre || nodes[*b].centre) == centre) {
            let (p, q) = (nodes[a].at, nodes[b].at);
            let _ = write!(d, "M{} {}L{} {}", D1(p.x), D1(p.y), D1(q.x), D1(q.y));
        }
        if !d.is_empty() {
            let _ = write!(out, "<path{} d=\"{d}\"/>", if centre { " class=\"c\"" } else { "" });
        }
    }
    out.push_str("</g><g class=\"nodes\">");
    for (node, label) in nodes.iter().zip(&layout.labels) {
        let Point { x, y } = node.at;
        out.push_str("<a href=\"");
        push_escaped(&mut out, &node.href);
        // The link's accessible name is its `<title>` (SVG-AAM), which also
        // names it whole on hover: no `aria-label` repeating it.
        let _ = write!(
            out,
            "\" class=\"node g{}{}\"><title>",
            node.class,
            if node.centre { " centre" } else { "" }
        );
        push_escaped(&mut out, node.title);
        out.push_str(" (");
        push_escaped(&mut out, node.collection);
        out.push_str(")</title>");
        push_shape(&mut out, node.class, x, y, if node.centre { 9.0 } else { 6.0 });
        if let Some(Label { x: lx, y: ly, anchor, lines }) = label {
            let (lx, ly) = (D1(*lx), D1(*ly));
            // `start` is SVG's default anchor: written only when another.
            let _ = write!(out, "<text x=\"{lx}\" y=\"{ly}\"");
            if *anchor != "start" {
                let _ = write!(out, " text-anchor=\"{anchor}\"");
            }
            out.push_str(" aria-hidden=\"true\">");
            match lines.as_slice() {
                [one] => push_escaped(&mut out, one),
                _ => {
                    for (i, line) in lines.iter().enumerate() {
                        let dy = if i == 0 { "" } else { " dy=\"1.1em\"" };
                        let _ = write!(out, "<tspan x=\"{lx}\"{dy}>");
                        push_escaped(&mut out, line);
                        out.push_str("</tspan>");
                    }
                }
            }
            out.push_str("</text>");
        }
        out.push_str("</a>");
    }
    out.push_str("</g></svg>");
    out
}

/// The marker of a class: circle, square, diamond, triangle, and their
/// outlined variants for classes 4–7; a small circle for notes outside
/// collections. Colour is never the only cue.
fn push_shape(out: &mut String, class: usize, x: f64, y: f64, r: f64) {
    let (cx, cy) = (D1(x), D1(y));
    let _ = match class % 4 {
        _ if class >= CLASSES => write!(out, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{}\"/>", D1(r * 0.7)),
        0 => write!(out, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{}\"/>", D1(r)),
        1 => write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            D1(x - r),
            D1(y - r),
            D1(2.0 * r),
            D1(2.0 * r)
        ),
        2 => write!(
            out,
            "<path d=\"M{cx} {}L{} {cy}L{cx} {}L{} {cy}Z\"/>",
            D1(y - r * 1.3),
            D1(x + r * 1.3),
            D1(y + r * 1.3),
            D1(x - r * 1.3)
        ),
        _ => write!(
            out,
            "<path d=\"M{cx} {}L{} {}L{} {}Z\"/>",
            D1(y - r * 1.3),
            D1(x + r * 1.2),
            D1(y + r * 0.9),
            D1(x - r * 1.2),
            D1(y + r * 0.9)
        ),
    };
}

/// A number written with one decimal exactly as `format!("{:.1}", x)` writes
/// it, less a trailing `.0` (page weight: most coordinates are whole), but
/// through integer formatting: the exact float-to-decimal conversion
/// behind `{:.1}` was a tenth of a build's CPU time (hundreds of
/// coordinates per local graph). Values whose tenths are within 10⁻⁶ of a
/// rounding tie, negative values and huge ones take the exact path.
struct D1(f64);

impl std::fmt::Display for D1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = self.0 * 10.0;
        let fraction = tenths - tenths.trunc();
        if self.0.is_sign_positive() && tenths < 1e15 && (fraction - 0.5).abs() > 1e-6 {
            let rounded = tenths.round() as u64;
            match rounded % 10 {
                0 => write!(f, "{}", rounded / 10),
                tenth => write!(f, "{}.{tenth}", rounded / 10),
            }
        } else {
            let exact = format!("{:.1}", self.0);
            f.write_str(exact.strip_suffix(".0").unwrap_or(&exact))
        }
    }
}

/// The legend's entries: (class, collection title), for the collections
/// shown and [`GraphWords::other`] when some note is in none.
pub fn legend(site: &Site, nb: &Neighbours, words: &GraphWords) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = site
        .collections
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.notes.is_empty())
        .map(|(i, c)| (i % CLASSES, site.note(c.index).title.clone()))
        .collect();
    let others = site.ids().any(|id| Some(id) != site.home && nb.group[id.index()].is_none());
    if others {
        out.push((CLASSES, words.other.into()));
    }
    out
}

/// The legend's marker for `class`: an empty `span.graph-key.kN` that
/// `style.css` draws as the shape and colour of class `N`'s nodes (a mask
/// over the class's colour), so each legend entry costs a page about 50
/// bytes instead of an SVG's 190 (issue 19's page weight).
pub fn legend_marker(class: usize) -> String {
    format!("<span class=\"graph-key k{}\" aria-hidden=\"true\"></span>", class.min(CLASSES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_decimal_is_written_as_format_writes_it_less_a_trailing_zero() {
        let mut x = 0.0_f64;
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut values =
            vec![0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 1.25, 2.5, 9.95, 99.95, -3.15, 1e20, f64::NAN];
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            x += (seed % 1000) as f64 / 997.0;
            values.push(x);
            values.push((x * 20.0).round() / 20.0);
        }
        for v in values {
            let exact = format!("{v:.1}");
            assert_eq!(super::D1(v).to_string(), exact.strip_suffix(".0").unwrap_or(&exact), "{v}");
        }
    }

    #[test]
    fn ring_labels_never_overlap_and_long_ones_are_shortened_when_crowded() {
        let titles: Vec<String> =
            (0..30).map(|k| format!("A rather long title number {k} about Critical Minerals")).collect();
        let c = Point { x: 400.0, y: 300.0 };
        let mut nodes = vec![Node {
            title: "The centre",
            href: String::new(),
            class: 0,
            collection: "",
            at: c,
            label: true,
            centre: true,
        }];
        for (k, title) in titles.iter().enumerate() {
            let a = std::f64::consts::TAU * k as f64 / 30.0 - std::f64::consts::FRAC_PI_2;
            nodes.push(Node {
                title,
                href: String::new(),
                class: k % CLASSES,
                collection: "",
                at: Point { x: c.x + 1.25 * 210.0 * a.cos(), y: c.y + 210.0 * a.sin() },
                label: true,
                centre: false,
            });
        }
        let placed: Vec<Placed> = place_ring_labels(&nodes, c).into_iter().map(Option::unwrap).collect();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!intersects(&a.rect, &b.rect), "{:?} and {:?} overlap", a.lines, b.lines);
            }
        }
        assert!(placed.iter().any(|p| p.lines.len() == 1 && p.lines[0].ends_with('…')), "some are shortened");
        // The picture holds every label: its viewBox is cut to them.
        let (svg, _) = svg(&nodes, &[], (800.0, 600.0), "t", LabelStyle::Radial(c), "");
        assert!(svg.contains("data-cx=\"400\" data-cy=\"300\""), "{svg}");
        assert_eq!(shortened("What are critical minerals?"), vec!["What are…".to_string()]);
    }

    #[test]
    fn the_force_layout_is_deterministic_and_separates_nodes() {
        let edges = vec![(0, 1), (1, 2), (2, 3), (3, 0), (4, 5)];
        let order: Vec<usize> = (0..6).collect();
        let a = force_layout(6, &order, &edges);
        let b = force_layout(6, &order, &edges);
        assert_eq!(a, b);
        for i in 0..6 {
            for j in i + 1..6 {
                let d = ((a[i].x - a[j].x).powi(2) + (a[i].y - a[j].y).powi(2)).sqrt();
                assert!(d > 10.0, "nodes {i} and {j} overlap: {d}");
            }
        }
    }
}
