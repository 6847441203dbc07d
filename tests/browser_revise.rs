//! Spaced repetition in headless Chromium, on a small fixture site served by
//! a plain static server: `static/fsrs.js` schedules exactly as the `rs-fsrs`
//! crate (the reference) on random rating sequences; a session over
//! simulated days (the page's clock and time zone set through chromedriver's
//! DevTools endpoint) shows the queue the reference computes, item by item;
//! options keep a per-reader order across reloads; export, reset and import
//! restore the same queue; the home, note and collection pages show the
//! student's status; without JavaScript the answers stay in `<details>`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`.

mod common;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use common::browser::Browser;
use common::static_server::StaticServer;
use common::{TestSite, select, text};
use fantoccini::Locator;
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};
use serde_json::{Value, json};

const DAY: i64 = 86_400_000;
/// The page's time zone in the session test: India, UTC+5:30 all year.
const ZONE: &str = "Asia/Kolkata";
const ZONE_OFFSET: i64 = 19_800_000;
/// Day 1 of the simulated session: 2025-03-03 09:00 in India (03:30 UTC).
const DAY1: i64 = 1_740_972_600_000;

/// Two collections; Tin has three questions (the third in a meaningful
/// order, `shuffle = false`), Copper one. Cards: Tin's melting point, which
/// the soft metals declare card-worthy, Tin's body card and Copper's
/// two-way card (Obsidian Spaced Repetition syntax, in notes marked
/// `cards = true`). The test reads the items from revise.json.
fn metals() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Metals\n\n[[Tin]] [[Copper]] [[Gold]]\n"),
        (
            "content/soft/_index.md",
            "+++\ntitle = \"Soft metals\"\ncards = [{ field = \"melting_point\", label = \"Melting point\" }]\n+++\nMetals you can scratch.\n",
        ),
        ("content/hard/_index.md", "+++\ntitle = \"Hard metals\"\n+++\nMetals you cannot.\n"),
        (
            "content/soft/tin.md",
            r#"+++
title = "Tin"
tags = ["alloy"]
cards = true

[extra]
symbol = "Sn"
melting_point = "232 °C"

[[questions]]
question = "Which metal does tin alloy with to make bronze?"
options = ["Copper", "Gold", "Iron", "Zinc"]
answer = "Copper"
explanation = "Bronze is [[Copper]] and tin."

[[questions]]
question = "Below which temperature does tin pest set in?"
options = ["13 °C", "0 °C", "-40 °C", "100 °C"]
answer = "13 °C"

[[questions]]
question = "Which statements are right? 1. Tin is soft. 2. Tin rusts. 3. Tin is toxic."
options = ["1 only", "1 and 2 only", "1, 2 and 3"]
answer = "1 only"
shuffle = false
+++
Tin goes with [[Copper]].

What is tin's chemical symbol?::Sn
"#,
        ),
        (
            "content/hard/copper.md",
            r#"+++
title = "Copper"
tags = ["conductor"]
cards = true

[extra]
symbol = "Cu"

[[questions]]
question = "Is copper a good conductor?"
options = ["Yes", "No"]
answer = "Yes"
+++
Copper and [[Tin]].

Cu:::Copper
"#,
        ),
        ("content/hard/gold.md", "+++\ntitle = \"Gold\"\n+++\nGold.\n"),
    ])
}

/// The fixture built and served, with its revision data. Call it outside
/// the async runtime (the build runs its own).
fn serve_metals() -> (TestSite, StaticServer, Value) {
    let site = metals();
    site.build();
    let path = site.output().join("_lode/revise.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(data["cards"].as_array().map(Vec::len), Some(4), "{data}");
    let ordered = data["questions"].as_array().unwrap().iter().filter(|q| q["shuffle"] == false).count();
    assert_eq!(ordered, 1, "{data}");
    let server = StaticServer::start(&site.output());
    (site, server, data)
}

/// From the next page load on, the page's clock stands still at `ms`
/// (`Date.now()` and `new Date()`); a later call wins over an earlier one.
async fn set_clock(browser: &Browser, ms: i64) {
    let source = format!(
        "(() => {{ const R = window.__realDate || Date; window.__realDate = R; const T = {ms};
           class D extends R {{ constructor(...a) {{ if (a.length) super(...a); else super(T); }} static now() {{ return T; }} }}
           window.Date = D; }})();"
    );
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await;
}

/// FNV-1a 64 over UTF-8 bytes (as the contract defines the option order).
fn fnv1a64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

fn rating(r: u8) -> Rating {
    [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][usize::from(r - 1)]
}

fn state_number(s: State) -> i64 {
    s as i64
}

/// A card as the page stores it, from rs-fsrs's.
fn card_json(c: &Card) -> Value {
    json!({
        "due": c.due.timestamp_millis(), "stability": c.stability, "difficulty": c.difficulty,
        "elapsed_days": c.elapsed_days, "scheduled_days": c.scheduled_days, "reps": c.reps,
        "lapses": c.lapses, "state": state_number(c.state), "last_review": c.last_review.timestamp_millis(),
    })
}

/// `page` (a card from the page) equals `reference`: integers and times
/// exactly, floats within 1e-9 (relative above 1).
fn assert_same_card(page: &Value, reference: &Value, what: &str) {
    for key in ["due", "elapsed_days", "scheduled_days", "reps", "lapses", "state", "last_review"] {
        assert_eq!(
            page[key].as_i64(),
            reference[key].as_i64(),
            "{what}: {key}\npage {page}\nreference {reference}"
        );
    }
    for key in ["stability", "difficulty"] {
        let (a, b) = (page[key].as_f64().unwrap(), reference[key].as_f64().unwrap());
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{what}: {key} {a} != {b}");
    }
}

/// splitmix64: the test's own seeded random numbers.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fsrs_js_schedules_as_rs_fsrs_on_random_rating_sequences() {
    let (_site, server, _) = tokio::task::block_in_place(serve_metals);
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("http://{}/revise/", server.addr)).await.unwrap();
    browser.wait_until("window.LodeFSRS", "fsrs.js").await;

    let mut rng = Rng(14);
    let retentions = [0.9, 0.8, 0.95, 0.7, 0.97, 0.85];
    let (mut sequences, mut expected) = (Vec::new(), Vec::new());
    for s in 0..150 {
        let retention = retentions[s % retentions.len()];
        let fsrs = FSRS::new(Parameters { request_retention: retention, ..Default::default() });
        let mut now = DAY1 + rng.below(DAY as u64) as i64;
        let mut card = Card { due: time(now), last_review: time(now), ..Default::default() };
        let (mut steps, mut cards) = (Vec::new(), Vec::new());
        for _ in 0..5 + rng.below(20) {
            let r = 1 + rng.below(4) as u8;
            let next = fsrs.next(card.clone(), time(now), rating(r)).card;
            steps.push(json!([now, r]));
            // The next review: minutes later (a learning step, or early), or
            // whole days later at another time of day, before or after it is due.
            let gap = match rng.below(10) {
                0..=2 => rng.below(30 * 60_000) as i64,
                3..=5 => (next.due.timestamp_millis() - now) + rng.below(3 * DAY as u64) as i64,
                _ => rng.below(90) as i64 * DAY + rng.below(DAY as u64) as i64,
            };
            let later = now + gap;
            let mut c = card_json(&next);
            c["r"] = json!(next.get_retrievability(time(later)));
            c["at"] = json!(later);
            cards.push(c);
            card = next;
            now = later;
        }
        sequences.push(json!({ "retention": retention, "steps": steps }));
        expected.push(cards);
    }
    let got = browser
        .client
        .execute(
            "const F = window.LodeFSRS;
             return arguments[0].map(s => { let card = null; return s.steps.map(([now, r], i) => {
               card = F.next(card, r, now, { retention: s.retention });
               const next = i + 1 < s.steps.length ? s.steps[i + 1][0] : null;
               return Object.assign({}, card, { r: next === null ? null : F.retrievability(card, next) });
             }); });",
            vec![Value::Array(sequences.clone())],
        )
        .await
        .unwrap();
    let got = got.as_array().unwrap();
    let mut compared = 0;
    for (s, (page, reference)) in got.iter().zip(&expected).enumerate() {
        let page = page.as_array().unwrap();
        assert_eq!(page.len(), reference.len());
        for (i, (p, r)) in page.iter().zip(reference).enumerate() {
            let what = format!("sequence {s} ({}), step {i}", sequences[s]);
            assert_same_card(p, r, &what);
            if let Some(pr) = p["r"].as_f64() {
                let rr = r["r"].as_f64().unwrap();
                assert!((pr - rr).abs() <= 1e-9, "{what}: retrievability {pr} != {rr}");
            }
            compared += 1;
        }
    }
    assert_eq!(got.len(), 150);
    assert!(compared > 1000, "{compared} reviews compared");
    browser.close().await;
}

/// One question or card of revise.json, in site order (questions, then cards).
struct Item {
    id: String,
    question: bool,
    answer: String,
    collection: Option<String>,
    options: Vec<String>,
    shuffle: bool,
}

/// Every item of revise.json in the page's order: note by note, a note's
/// questions then its cards.
fn items_of(data: &Value) -> Vec<Item> {
    let notes = data["notes"].as_array().unwrap();
    let note_of = |id: &str| {
        let all = data["questions"].as_array().unwrap().iter().chain(data["cards"].as_array().unwrap());
        all.clone().find(|x| x["id"] == id).unwrap()["n"].as_u64().unwrap()
    };
    let collection =
        |x: &Value| notes[x["n"].as_u64().unwrap() as usize]["collection"].as_str().map(str::to_string);
    let strings =
        |v: &Value| v.as_array().map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect());
    let mut items: Vec<Item> = data["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| Item {
            id: q["id"].as_str().unwrap().into(),
            question: true,
            answer: q["answer"].as_str().unwrap().into(),
            collection: collection(q),
            options: strings(&q["options"]).unwrap(),
            shuffle: q["shuffle"].as_bool() != Some(false),
        })
        .collect();
    items.extend(data["cards"].as_array().unwrap().iter().map(|c| Item {
        id: c["id"].as_str().unwrap().into(),
        question: false,
        answer: String::new(),
        collection: collection(c),
        options: Vec::new(),
        shuffle: false,
    }));
    items.sort_by_key(|x| note_of(&x.id)); // stable: questions, then cards
    items
}

/// The front of a reverse card's id (`…#card-1a2b3c4d-r` → `…#card-1a2b3c4d`).
fn front_of(id: &str) -> &str {
    id.strip_suffix("-r").filter(|f| f.contains("#card-")).unwrap_or(id)
}

/// The reference: rs-fsrs's cards and the queue rules of the page (due
/// reviews, most overdue first; new items up to the day's limit, a new
/// reverse card buried while its front is new or was reviewed today;
/// reviews due later today; no item right after its sibling), with the day
/// in India.
struct Reference {
    fsrs: FSRS,
    cards: HashMap<String, Card>,
    new_per_day: usize,
    new_today: (i64, usize),
}

impl Reference {
    fn day(now: i64) -> i64 {
        (now + ZONE_OFFSET).div_euclid(DAY)
    }
    fn end_of_day(now: i64) -> i64 {
        (Self::day(now) + 1) * DAY - ZONE_OFFSET
    }
    fn queue(&self, items: &[Item], now: i64, after: Option<&str>) -> Vec<String> {
        let end = Self::end_of_day(now);
        let (mut due, mut new, mut later) = (Vec::new(), Vec::new(), Vec::new());
        let buried = |id: &str| {
            let front = front_of(id);
            front != id
                && items.iter().any(|x| x.id == front)
                && self
                    .cards
                    .get(front)
                    .is_none_or(|c| Self::day(c.last_review.timestamp_millis()) == Self::day(now))
        };
        for (i, x) in items.iter().enumerate() {
            match self.cards.get(&x.id) {
                None if buried(&x.id) => {}
                None => new.push(x.id.clone()),
                Some(c) if c.due.timestamp_millis() <= now => due.push((c.due, i, x.id.clone())),
                Some(c) if c.due.timestamp_millis() < end => later.push((c.due, i, x.id.clone())),
                Some(_) => {}
            }
        }
        due.sort();
        later.sort();
        let done = if self.new_today.0 == Self::day(now) { self.new_today.1 } else { 0 };
        let left = self.new_per_day.saturating_sub(done);
        let mut q: Vec<String> = (due.into_iter().map(|d| d.2))
            .chain(new.into_iter().take(left))
            .chain(later.into_iter().map(|d| d.2))
            .collect();
        let siblings = |a: &str, b: &str| a != b && front_of(a) == front_of(b);
        let mut prev = after.map(str::to_string);
        for i in 0..q.len() {
            if let Some(p) = prev.as_deref()
                && siblings(p, &q[i])
                && let Some(j) = (i + 1..q.len()).find(|&j| !siblings(p, &q[j]))
            {
                let x = q.remove(j);
                q.insert(i, x);
            }
            prev = Some(q[i].clone());
        }
        q
    }
    fn review(&mut self, id: &str, r: u8, now: i64) -> Card {
        let before = self.cards.get(id).cloned();
        if before.is_none() {
            let day = Self::day(now);
            if self.new_today.0 != day {
                self.new_today = (day, 0);
            }
            self.new_today.1 += 1;
        }
        let card = before.unwrap_or_default();
        let next = self.fsrs.next(card, time(now), rating(r)).card;
        self.cards.insert(id.to_string(), next.clone());
        next
    }
}

/// The page's progress, as stored.
async fn stored(browser: &Browser) -> Value {
    browser
        .eval("return JSON.parse(localStorage.getItem(document.getElementById('revise').dataset.key + ':revise'));")
        .await
}

/// The page's whole queue for today, as the page computes it.
async fn page_queue(browser: &Browser) -> Vec<String> {
    let v = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; const p = document.getElementById('revise');
             fetch(p.dataset.src).then(r => r.json()).then(d => done(LodeStudy.queue(LodeStudy.itemsOf(d),
               LodeStudy.load(p.dataset.key + ':revise'), Date.now()).map(x => x.id)));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

async fn current_id(browser: &Browser) -> Option<String> {
    browser
        .eval("const e = document.querySelector('#rv-stage [data-id]'); return e && e.dataset.id;")
        .await
        .as_str()
        .map(str::to_string)
}

async fn heading(browser: &Browser) -> String {
    browser.eval("return document.getElementById('rv-due').textContent;").await.as_str().unwrap().to_string()
}

/// The options of the question on the stage, in the order shown.
async fn shown_options(browser: &Browser) -> Vec<String> {
    serde_json::from_value(
        browser
            .eval("return Array.from(document.querySelectorAll('.revise-option input')).map(i => i.value);")
            .await,
    )
    .unwrap()
}

/// Answers the item on the stage with rating `r` (questions: 1 wrong, 4 right
/// then "It was easy", else right), checks what the page says, and returns the
/// rating the reference must apply.
async fn answer(browser: &Browser, item: &Item, r: u8, seed: &str) -> u8 {
    let client = &browser.client;
    if item.question {
        // The reader's option order: FNV-1a 64 of seed + id + NUL + option, or as written.
        let mut expected = item.options.clone();
        if item.shuffle {
            expected.sort_by_key(|o| fnv1a64(&format!("{seed}{}\u{0}{o}", item.id)));
        }
        assert_eq!(shown_options(browser).await, expected, "{}", item.id);
        let right = r != 1;
        let i = expected.iter().position(|o| (*o == item.answer) == right).unwrap();
        client.find(Locator::Css(&format!("#rv-opt-{i}"))).await.unwrap().click().await.unwrap();
        client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
        browser.wait_until("document.querySelector('.revise-back-in')", "the verdict").await;
        let verdict = browser.eval("return document.querySelector('.revise-verdict').textContent;").await;
        assert_eq!(verdict.as_str().unwrap().starts_with("Right"), right, "{verdict}");
        if r == 4 {
            client.find(Locator::Css(".rv-easy")).await.unwrap().click().await.unwrap();
            browser
                .wait_until(
                    "document.querySelector('.revise-back-in').textContent.includes('marked easy')",
                    "easy",
                )
                .await;
        }
        client.find(Locator::Css(".rv-next")).await.unwrap().click().await.unwrap();
        match r {
            1 => 1,
            4 => 4,
            _ => 3,
        }
    } else {
        // Space shows the answer, then a click or the key rates it.
        browser.eval("document.activeElement && document.activeElement.blur(); return true;").await;
        browser
            .eval("document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })); return true;")
            .await;
        browser.wait_until("!document.querySelector('.revise-rates').hidden", "the rating buttons").await;
        if r.is_multiple_of(2) {
            client
                .find(Locator::Css(&format!(".rv-rate[data-rating='{r}']")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        } else {
            browser
                .eval(&format!(
                    "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{r}', bubbles: true }})); return true;"
                ))
                .await;
        }
        r
    }
}

/// Revises everything due on the page's day `now`, checking each item and the
/// count against the reference. `plan` gives each first rating of the day.
async fn session(
    browser: &Browser,
    items: &[Item],
    reference: &mut Reference,
    now: i64,
    plan: &mut impl FnMut() -> u8,
) {
    let seed = stored(browser).await["seed"].as_str().unwrap_or_default().to_string();
    let mut seen_today: Vec<String> = Vec::new();
    loop {
        let expected = reference.queue(items, now, seen_today.last().map(String::as_str));
        assert_eq!(heading(browser).await, format!("Due today ({})", expected.len()));
        let Some(first) = expected.first() else {
            assert_eq!(current_id(browser).await, None);
            break;
        };
        browser.wait_until("document.querySelector('#rv-stage [data-id]')", "an item").await;
        assert_eq!(current_id(browser).await.as_ref(), Some(first), "queue {expected:?}");
        let item = items.iter().find(|x| &x.id == first).unwrap();
        // A second visit the same day (a learning step) is answered Good.
        let r = if seen_today.contains(first) { 3 } else { plan() };
        if !item.question && !reference.cards.contains_key(first) {
            // A new card's buttons say when each rating brings it back.
            let when: Vec<String> = serde_json::from_value(
                browser.eval("return Array.from(document.querySelectorAll('.rv-rate-when')).map(e => e.textContent);").await,
            )
            .unwrap();
            let easy = reference.fsrs.next(Card::default(), time(now), Rating::Easy).card.scheduled_days;
            assert_eq!(when, ["1 min", "5 min", "10 min", &format!("{easy} d")]);
        }
        seen_today.push(first.clone());
        let applied = answer(browser, item, r, &seed).await;
        reference.review(first, applied, now);
        browser
            .wait_until(
                "document.querySelector('#rv-stage [data-id]') || document.querySelector('.revise-done')",
                "the next item",
            )
            .await;
    }
    // The stored schedule is rs-fsrs's, item by item.
    let items_stored = stored(browser).await["items"].clone();
    for (id, card) in &reference.cards {
        assert_same_card(&items_stored[id], &card_json(card), id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_session_over_simulated_days_follows_the_reference_and_survives_export_and_import() {
    let (site, server, data) = tokio::task::block_in_place(serve_metals);
    let items = items_of(&data);
    assert!(items.len() >= 7, "{} items", items.len());
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;
    browser.cdp("Emulation.setTimezoneOverride", json!({ "timezoneId": ZONE })).await;
    set_clock(&browser, DAY1).await;

    // Version 1 progress (before scheduling) is kept as history; its item starts new.
    client.goto(&format!("{base}/revise/")).await.unwrap();
    browser
        .eval(&format!(
            "localStorage.setItem(document.getElementById('revise').dataset.key + ':revise', JSON.stringify({{ {:?}: {{ answered: 2, right: 1, wrong: 1, lastRight: false, last: '2025-01-01T00:00:00Z' }} }})); return true;",
            items[0].id
        ))
        .await;
    client.refresh().await.unwrap();
    browser.wait_until("document.querySelector('#rv-stage [data-id]')", "the first item").await;
    let meta = browser.eval("return document.querySelector('.revise-meta').textContent;").await;
    assert!(meta.as_str().unwrap().contains(" · new · from "), "{meta}");
    assert!(meta.as_str().unwrap().ends_with(" · answered 2× before scheduling, 1 right"), "{meta}");
    assert_eq!(browser.eval("return new Date().getTimezoneOffset();").await, json!(-330));
    assert_eq!(browser.eval("return Date.now();").await, json!(DAY1));

    // The reader's option order stays the same across reloads, and differs
    // from the written order for some question.
    let first_order = shown_options(&browser).await;
    client.refresh().await.unwrap();
    browser.wait_until("document.querySelector('.revise-option')", "the first question").await;
    assert_eq!(shown_options(&browser).await, first_order);
    let seed = stored(&browser).await["seed"].as_str().unwrap().to_string();
    assert!(
        items.iter().filter(|x| x.question && x.shuffle).any(|x| {
            let mut o = x.options.clone();
            o.sort_by_key(|o| fnv1a64(&format!("{seed}{}\u{0}{o}", x.id)));
            o != x.options
        }),
        "every shuffled question kept its written order"
    );

    // Day 1: four new items a day (set in the settings).
    client.find(Locator::Css("#rv-settings > summary")).await.unwrap().click().await.unwrap();
    browser
        .eval("const i = document.getElementById('rv-new'); i.value = '4'; i.dispatchEvent(new Event('change')); return true;")
        .await;
    let mut reference = Reference {
        fsrs: FSRS::new(Parameters::default()),
        cards: HashMap::new(),
        new_per_day: 4,
        new_today: (0, 0),
    };
    assert_eq!(heading(&browser).await, "Due today (4)");
    let plan_ratings = [3u8, 1, 4, 2, 3, 3, 1, 4, 3, 2, 3, 4];
    let mut k = 0;
    let mut plan = move || {
        k += 1;
        plan_ratings[(k - 1) % plan_ratings.len()]
    };
    session(&browser, &items, &mut reference, DAY1, &mut plan).await;

    // Later days: the queue is the reference's, in order, every step.
    for day in [2, 5] {
        let now = DAY1 + (day - 1) * DAY + 3_600_000;
        set_clock(&browser, now).await;
        client.refresh().await.unwrap();
        browser.wait_until("document.getElementById('rv-due')", "the queue").await;
        assert_eq!(page_queue(&browser).await, reference.queue(&items, now, None), "day {day}");
        if day == 2 {
            status_pages(&browser, &base, &site, &items, &reference, now).await;
            client.goto(&format!("{base}/revise/")).await.unwrap();
            browser.wait_until("document.getElementById('rv-due')", "the queue").await;
        }
        session(&browser, &items, &mut reference, now, &mut plan).await;
    }

    // Every item was reviewed by day 5, but a reverse card: it waits on each
    // day its front is reviewed (buried as a sibling).
    let unseen: Vec<&str> =
        items.iter().filter(|x| !reference.cards.contains_key(&x.id)).map(|x| x.id.as_str()).collect();
    assert!(unseen.iter().all(|id| id.ends_with("-r")), "not reviewed by day 5: {unseen:?}");

    // Day 9: export, reset, import gives back the same queue.
    let now = DAY1 + 8 * DAY;
    set_clock(&browser, now).await;
    client.refresh().await.unwrap();
    browser.wait_until("document.getElementById('rv-due')", "the queue").await;
    let before = page_queue(&browser).await;
    assert_eq!(before, reference.queue(&items, now, None));
    let before_heading = heading(&browser).await;
    browser
        .eval("const o = URL.createObjectURL; URL.createObjectURL = b => { window.__exported = b; return o.call(URL, b); }; return true;")
        .await;
    client.find(Locator::Css("#rv-settings > summary")).await.unwrap().click().await.unwrap();
    client.find(Locator::Id("rv-export")).await.unwrap().click().await.unwrap();
    let exported = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; window.__exported.text().then(done);",
            vec![],
        )
        .await
        .unwrap();
    let exported = exported.as_str().unwrap().to_string();
    let file: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(file["format"], "lode-revise-progress");
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("progress.json");
    std::fs::write(&good, &exported).unwrap();

    browser.eval("window.confirm = () => true; return true;").await;
    client.find(Locator::Id("rv-reset")).await.unwrap().click().await.unwrap();
    browser
        .wait_until("document.getElementById('rv-message').textContent === 'Progress reset.'", "the reset")
        .await;
    assert_ne!(page_queue(&browser).await, before);

    // A file that is not an export is refused with a message; nothing changes.
    let bad = dir.path().join("notes.json");
    std::fs::write(&bad, "{\"format\": \"something else\"}").unwrap();
    client.find(Locator::Id("rv-import")).await.unwrap().send_keys(bad.to_str().unwrap()).await.unwrap();
    browser
        .wait_until("document.getElementById('rv-message').textContent.startsWith('Could not import “notes.json”: it is not a progress export')", "the refusal")
        .await;
    assert_eq!(stored(&browser).await["items"], json!({}));

    client.find(Locator::Id("rv-import")).await.unwrap().send_keys(good.to_str().unwrap()).await.unwrap();
    browser
        .wait_until(
            "document.getElementById('rv-message').textContent.startsWith('Imported progress')",
            "the import",
        )
        .await;
    assert_eq!(page_queue(&browser).await, before);
    assert_eq!(heading(&browser).await, before_heading);
    session(&browser, &items, &mut reference, now, &mut plan).await;

    browser.close().await;
}

/// The page's revision key (`lode:<base URL>`) on `/revise/`.
async fn site_key(browser: &Browser) -> String {
    browser.eval("return document.getElementById('revise').dataset.key;").await.as_str().unwrap().to_string()
}

/// The saved progress's text, exactly as stored.
async fn stored_text(browser: &Browser) -> Value {
    browser
        .eval("return localStorage.getItem(document.getElementById('revise').dataset.key + ':revise');")
        .await
}

async fn wait_message(browser: &Browser, part: &str, what: &str) {
    browser
        .wait_until(&format!("document.getElementById('rv-message').textContent.includes({part:?})"), what)
        .await;
}

/// A card both ways (`Cu:::Copper`) is two revision items: the note page
/// counts both (its element carries both ids, space-separated), and the
/// count follows their schedules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_both_ways_counts_twice_on_its_note_page() {
    let (_site, server, data) = tokio::task::block_in_place(serve_metals);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;
    let copper: Vec<String> =
        items_of(&data).into_iter().filter(|x| x.id.starts_with("hard/copper/#")).map(|x| x.id).collect();
    assert_eq!(copper.len(), 3, "{copper:?}");
    assert!(copper.iter().any(|id| id.ends_with("-r")), "{copper:?}");
    client.goto(&format!("{base}/hard/copper/")).await.unwrap();
    let shown = "(e => e && !e.hidden)(document.querySelector('[data-study=note]'))";
    browser.wait_until(shown, "Copper's status").await;
    let text = "return document.querySelector('[data-study=note] .study-text').textContent;";
    assert_eq!(browser.eval(text).await, json!("3 of 3 due"));
    // All three reviewed, due in ten days: none due.
    let now = browser.eval("return Date.now();").await.as_i64().unwrap();
    let card = json!({ "due": now + 10 * DAY, "stability": 12.0, "difficulty": 5.0, "elapsed_days": 0,
        "scheduled_days": 10, "reps": 1, "lapses": 0, "state": 2, "last_review": now });
    let items: serde_json::Map<String, Value> = copper.iter().map(|id| (id.clone(), card.clone())).collect();
    let state = json!({ "v": 2, "seed": "s", "settings": { "newPerDay": 20, "retention": 0.9 },
        "newToday": { "day": "", "n": 0 }, "items": items, "history": {} });
    browser
        .eval(&format!(
            "localStorage.setItem('lode:' + document.body.dataset.site + ':revise', {:?}); return true;",
            state.to_string()
        ))
        .await;
    client.refresh().await.unwrap();
    browser.wait_until(shown, "Copper's status").await;
    assert_eq!(browser.eval(text).await, json!("0 of 3 due"));
    browser.close().await;
}

/// Saved progress that cannot be read is kept untouched (the page says so
/// and works in memory); imports with a value out of range, an empty
/// progress or another site's progress are refused; a save the browser
/// refuses is reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_progress_is_kept_and_bad_imports_are_refused() {
    let (_site, server, data) = tokio::task::block_in_place(serve_metals);
    let items = items_of(&data);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;
    client.goto(&format!("{base}/revise/")).await.unwrap();
    let key = site_key(&browser).await;
    let now = browser.eval("return Date.now();").await.as_i64().unwrap();
    let card = |stability: f64| {
        json!({ "due": now, "stability": stability, "difficulty": 5.5, "elapsed_days": 0,
            "scheduled_days": 1, "reps": 1, "lapses": 0, "state": 2, "last_review": now - DAY })
    };
    let progress = |items: Value| {
        json!({ "v": 2, "seed": "seed", "settings": { "newPerDay": 20, "retention": 0.9 },
            "newToday": { "day": "", "n": 0 }, "items": items, "history": {} })
    };
    // Stability 0 in review: unreadable. It stays as saved, even after an answer.
    let bad = progress(json!({ items[0].id.clone(): card(0.0) })).to_string();
    browser
        .eval(&format!("localStorage.setItem({:?}, {bad:?}); return true;", format!("{key}:revise")))
        .await;
    client.refresh().await.unwrap();
    browser
        .wait_until(
            "(e => e && !e.hidden && e.textContent.includes('could not be read') && e.textContent.includes('stability'))(document.getElementById('rv-notice'))",
            "the notice",
        )
        .await;
    browser.wait_until("document.querySelector('.revise-option')", "a question").await;
    client.find(Locator::Css("#rv-opt-0")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
    browser.wait_until("document.querySelector('.revise-back-in')", "the verdict").await;
    let back = browser.eval("return document.querySelector('.revise-back-in').textContent;").await;
    assert!(!back.as_str().unwrap().contains("NaN"), "{back}");
    assert_eq!(stored_text(&browser).await, json!(bad), "the unreadable progress was overwritten");

    // Imports: refused with the first bad field named; nothing saved.
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, site: &str, progress: Value| {
        let path = dir.path().join(name);
        let body = json!({ "format": "lode-revise-progress", "site": site, "progress": progress });
        std::fs::write(&path, body.to_string()).unwrap();
        path.to_str().unwrap().to_string()
    };
    client.find(Locator::Css("#rv-settings > summary")).await.unwrap().click().await.unwrap();
    browser.eval("window.confirm = () => true; return true;").await;
    for (name, progress, says) in [
        ("huge.json", progress(json!({ items[0].id.clone(): card(1e308) })), "stability is 1e+308"),
        ("negative.json", progress(json!({ items[0].id.clone(): card(-2.0) })), "stability is -2"),
        ("empty.json", json!({}), "holds no progress"),
        (
            "per-day.json",
            json!({ "v": 2, "seed": "s", "items": {}, "settings": { "newPerDay": 1.5 } }),
            "settings.newPerDay is 1.5",
        ),
    ] {
        let path = file(name, &key, progress);
        client.find(Locator::Id("rv-import")).await.unwrap().send_keys(&path).await.unwrap();
        wait_message(&browser, &format!("Could not import “{name}”"), name).await;
        let message = browser.eval("return document.getElementById('rv-message').textContent;").await;
        assert!(message.as_str().unwrap().contains(says), "{message}");
        assert_eq!(stored_text(&browser).await, json!(bad), "{name}");
    }
    // Another site's progress: asked first; declined, nothing changes.
    browser.eval("window.confirm = () => false; return true;").await;
    let other = file("other.json", "lode:https://example.com/", progress(json!({})));
    client.find(Locator::Id("rv-import")).await.unwrap().send_keys(&other).await.unwrap();
    wait_message(&browser, "another site's progress", "the other site's refusal").await;
    assert_eq!(stored_text(&browser).await, json!(bad));

    // A good file replaces it (asked first), and it is saved.
    browser.eval("window.confirm = () => true; return true;").await;
    let good_progress = progress(json!({ items[0].id.clone(): card(3.5) }));
    let good = file("good.json", &key, good_progress.clone());
    client.find(Locator::Id("rv-import")).await.unwrap().send_keys(&good).await.unwrap();
    wait_message(&browser, "Imported progress: 1 item", "the import").await;
    assert_eq!(stored(&browser).await, good_progress);
    assert_eq!(browser.eval("return document.getElementById('rv-notice').hidden;").await, json!(true));

    // The browser refuses to save (storage full): the page says so.
    browser
        .eval("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }; return true;")
        .await;
    client.find(Locator::Id("rv-reset")).await.unwrap().click().await.unwrap();
    wait_message(&browser, "could not be saved", "the failed save").await;
    browser
        .wait_until(
            "(e => !e.hidden && e.textContent.includes('could not be saved'))(document.getElementById('rv-notice'))",
            "the notice of the failed save",
        )
        .await;
    browser.close().await;
}

/// Settings refuse values out of range with a message (a live region) and
/// keep what was typed; a valid value replaces the message; the export's
/// file name is the local day, zero-padded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_refuse_bad_values_visibly_and_exports_are_named_by_day() {
    let (_site, server, _data) = tokio::task::block_in_place(serve_metals);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;
    // 2026-12-05 12:00 UTC: the 5th of December everywhere but at the date line.
    set_clock(&browser, 1_796_472_000_000).await;
    client.goto(&format!("{base}/revise/")).await.unwrap();
    browser.wait_until("document.getElementById('rv-new')", "the settings").await;
    client.find(Locator::Css("#rv-settings > summary")).await.unwrap().click().await.unwrap();
    assert_eq!(
        browser.eval("return document.getElementById('rv-message').getAttribute('role');").await,
        json!("status")
    );
    let set = |id: &str, v: &str| {
        format!(
            "const i = document.getElementById('{id}'); i.value = '{v}'; i.dispatchEvent(new Event('change')); return i.value;"
        )
    };
    for typed in ["1e9", "-3", "abc", "2.5"] {
        browser.eval("document.getElementById('rv-message').textContent = ''; return true;").await;
        let kept = browser.eval(&set("rv-new", typed)).await;
        wait_message(&browser, "whole number from 0 to 9999", typed).await;
        assert_eq!(browser.eval("return document.getElementById('rv-new').value;").await, kept, "{typed}");
        assert_eq!(
            browser.eval("return document.getElementById('rv-new').getAttribute('aria-invalid');").await,
            json!("true")
        );
        assert_eq!(stored(&browser).await["settings"]["newPerDay"], json!(20), "{typed}");
    }
    browser.eval(&set("rv-new", "7")).await;
    wait_message(&browser, "New items a day: 7.", "the new value").await;
    assert_eq!(stored(&browser).await["settings"]["newPerDay"], json!(7));
    browser.eval(&set("rv-retention", "0.5")).await;
    wait_message(&browser, "0.70 to 0.97", "the retention's range").await;
    browser.eval(&set("rv-retention", "0.85")).await;
    wait_message(&browser, "Desired retention: 0.85.", "the new retention").await;
    let message = browser.eval("return document.getElementById('rv-message').textContent;").await;
    assert!(!message.as_str().unwrap().contains("0.70 to 0.97"), "stale: {message}");
    assert_eq!(stored(&browser).await["settings"]["retention"], json!(0.85));

    browser.eval("HTMLAnchorElement.prototype.click = function () { window.__download = this.download; }; return true;").await;
    client.find(Locator::Id("rv-export")).await.unwrap().click().await.unwrap();
    browser.wait_until("window.__download", "the export").await;
    assert_eq!(browser.eval("return window.__download;").await, json!("revision-progress-2026-12-05.json"));
    browser.close().await;
}

/// New items come note by note (a note's questions, then its cards), so
/// cards are introduced from the first day; a reverse card waits while its
/// front is new or was reviewed today, and never comes right after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_cards_come_with_their_notes_and_reverse_cards_are_buried() {
    let (_site, server, data) = tokio::task::block_in_place(serve_metals);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("{base}/revise/")).await.unwrap();
    browser.wait_until("document.getElementById('rv-due')", "the queue").await;
    let front = data["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .find(|id| id.starts_with("hard/copper/#") && !id.ends_with("-r"))
        .unwrap()
        .to_string();
    let queues = browser
        .client
        .execute_async(
            "const [front, done] = [arguments[0], arguments[arguments.length - 1]];
             fetch(document.getElementById('revise').dataset.src).then(r => r.json()).then(d => {
               const items = LodeStudy.itemsOf(d), now = Date.now(), ids = q => q.map(x => x.id);
               const st = () => Object.assign(LodeStudy.fresh(), { settings: { newPerDay: 3, retention: 0.9 } });
               const fresh = ids(LodeStudy.queue(items, st(), now));
               // The front reviewed an hour ago (today), in learning.
               const today = st(); today.items[front] = LodeFSRS.next(null, 3, now - 3600000);
               const afterToday = ids(LodeStudy.queue(items, today, now, { noNewLimit: true }));
               // The front reviewed three days ago and due now; Copper's question seen.
               const due = st(); due.settings.newPerDay = 20;
               due.items[front] = LodeFSRS.next(null, 4, now - 3 * 86400000); due.items[front].due = now - 1000;
               due.items[items[0].id] = LodeFSRS.next(null, 4, now - 3 * 86400000);
               const later = ids(LodeStudy.queue(items, due, now));
               const afterFront = ids(LodeStudy.queue(items.filter(x => x.id !== front), due, now, { after: front }));
               done({ fresh, afterToday, later, afterFront });
             });",
            vec![json!(front)],
        )
        .await
        .unwrap();
    let list = |k: &str| -> Vec<String> { serde_json::from_value(queues[k].clone()).unwrap() };
    let reverse = format!("{front}-r");
    // The first day's three: Copper's question and card, then Tin's first question.
    let fresh = list("fresh");
    assert_eq!(fresh.len(), 3, "{fresh:?}");
    assert!(fresh.contains(&front), "no card among the first new items: {fresh:?}");
    assert!(!fresh.contains(&reverse), "{fresh:?}");
    assert!(
        !list("afterToday").contains(&reverse),
        "the reverse came the day its front did: {:?}",
        list("afterToday")
    );
    let later = list("later");
    let (f, r) =
        (later.iter().position(|x| *x == front).unwrap(), later.iter().position(|x| *x == reverse).unwrap());
    assert!(r > f + 1, "the reverse right after its front: {later:?}");
    assert_ne!(list("afterFront").first(), Some(&reverse), "{:?}", list("afterFront"));
    browser.close().await;
}

/// Without JavaScript, /revise/ lists every note with questions or cards
/// (a glossary of cards only too), with the count of each.
#[test]
fn without_javascript_revise_lists_notes_with_questions_or_cards() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        (
            "content/glossary.md",
            "+++\ntitle = \"Glossary\"\ncards = true\n+++\nMSFN:::Minerals Security Finance Network\n\nIEA::International Energy Agency\n",
        ),
        (
            "content/tin.md",
            "+++\ntitle = \"Tin\"\ncards = true\n\n[[questions]]\nquestion = \"Q?\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\n+++\nSn::Tin\n",
        ),
        ("content/gold.md", "+++\ntitle = \"Gold\"\n+++\nGold.\n"),
    ]);
    site.build();
    let revise = site.page("revise/index.html");
    let listed: Vec<String> = select(&revise, ".revise-nojs li")
        .iter()
        .map(|li| text(li).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(listed, ["Glossary 3 flashcards", "Tin 1 question, 1 flashcard"]);
}

/// Home, a note and a collection show the student's state on the page's day `now`.
async fn status_pages(
    browser: &Browser,
    base: &str,
    _site: &TestSite,
    items: &[Item],
    reference: &Reference,
    now: i64,
) {
    let client = &browser.client;
    let shown = |sel: &str| format!("(e => e && !e.hidden)(document.querySelector('{sel}'))");

    client.goto(&format!("{base}/")).await.unwrap();
    browser.wait_until(&shown("[data-study=home]"), "the home page's status").await;
    let home =
        browser.eval("return document.querySelector('[data-study=home] .study-text').textContent;").await;
    assert_eq!(home, json!(format!("Due today: {}", reference.queue(items, now, None).len())));

    // Tin: its items due today (new ones count) of all its items on the page.
    client.goto(&format!("{base}/soft/tin/")).await.unwrap();
    browser.wait_until(&shown("[data-study=note]"), "Tin's status").await;
    let on_page: Vec<String> = serde_json::from_value(
        browser
            .eval("return Array.from(document.querySelectorAll('[data-revise-id]')).map(e => e.dataset.reviseId).concat(Array.from(document.querySelectorAll('.self-test li.question[id]:not([data-revise-id])')).map(e => 'soft/tin/#' + e.id));")
            .await,
    )
    .unwrap();
    assert!(on_page.len() >= 3, "{on_page:?}");
    let end = Reference::end_of_day(now);
    let due = on_page
        .iter()
        .filter(|id| reference.cards.get(*id).is_none_or(|c| c.due.timestamp_millis() < end))
        .count();
    let note =
        browser.eval("return document.querySelector('[data-study=note] .study-text').textContent;").await;
    assert_eq!(note, json!(format!("{due} of {} due", on_page.len())));
    client.find(Locator::Css("[data-study=note] a.study-revise")).await.unwrap().click().await.unwrap();
    browser.wait_until("document.getElementById('rv-only')", "the note's revision").await;
    assert_eq!(browser.eval("return location.search;").await, json!("?note=soft/tin/"));
    // Its queue holds Tin's items only, new ones beyond the day's limit included.
    let tin: Vec<&Item> = items.iter().filter(|x| x.id.starts_with("soft/tin/#")).collect();
    let expected_tin = tin
        .iter()
        .filter(|x| reference.cards.get(&x.id).is_none_or(|c| c.due.timestamp_millis() < end))
        .count();
    assert_eq!(heading(browser).await, format!("Due today ({expected_tin})"));

    // Soft metals: mastery is the mean retrievability of its items, unseen ones 0.
    client.goto(&format!("{base}/soft/")).await.unwrap();
    browser.wait_until(&shown("[data-study=collection]"), "the collection's mastery").await;
    let soft: Vec<&Item> = items.iter().filter(|x| x.collection.as_deref() == Some("Soft metals")).collect();
    let sum: f64 = soft
        .iter()
        .map(|x| reference.cards.get(&x.id).map_or(0.0, |c| c.get_retrievability(time(now))))
        .sum();
    let mastery = browser
        .eval("return document.querySelector('[data-study=collection] .study-text').textContent;")
        .await;
    assert_eq!(mastery, json!(format!("Mastery: {}%", (100.0 * sum / soft.len() as f64).round())));
    assert!(sum > 0.0, "nothing reviewed in Soft metals");
    // The items never reviewed, which count 0, are counted (not a fixed "unseen: 0").
    let unseen = soft.iter().filter(|x| !reference.cards.contains_key(&x.id)).count();
    assert!(unseen > 0, "every item of Soft metals reviewed by day 2");
    let line = browser.eval("return document.querySelector('[data-study=collection]').textContent;").await;
    let line = line.as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
    let count = soft.len();
    assert!(
        line.contains(&format!(
            "its {count} questions and cards today ({unseen} not studied yet, each counting 0). Revise"
        )),
        "{line}"
    );
}

#[test]
fn without_javascript_questions_keep_their_answers_in_details_and_status_stays_hidden() {
    let site = metals();
    site.build();
    let tin = site.page("soft/tin/index.html");
    let questions = select(&tin, ".self-test li.question");
    assert_eq!(questions.len(), 3);
    for q in &questions {
        let html = scraper::Html::parse_fragment(&q.html());
        let answers = select(&html, "details.answer");
        assert_eq!(answers.len(), 1, "{}", q.html());
        assert!(text(&answers[0]).contains("Answer:"), "{}", text(&answers[0]));
        // The answer is inside the <details>, nowhere else in the question.
        let outside =
            select(&html, "li.question > :not(details)").iter().map(text).collect::<Vec<_>>().join(" ");
        assert!(!outside.contains("Answer:"), "{outside}");
    }
    // The status widgets are hidden until study.js fills them.
    for (page, kind) in
        [("index.html", "home"), ("soft/tin/index.html", "note"), ("soft/index.html", "collection")]
    {
        let html = site.page(page);
        let status = select(&html, &format!("[data-study={kind}]"));
        assert_eq!(status.len(), 1, "{page}");
        assert!(status[0].value().attr("hidden").is_some(), "{page}: the status shows without JavaScript");
    }
    // /revise/ without JavaScript lists the notes with questions.
    let revise = site.page("revise/index.html");
    let listed: Vec<String> = select(&revise, ".revise-nojs li a").iter().map(text).collect();
    assert_eq!(listed, ["Copper", "Tin"]);
}

/// The same in Chromium with JavaScript switched off (DevTools'
/// `Emulation.setScriptExecutionDisabled`): a question's answer and a card's
/// back are not shown until the reader opens them, the revision status is
/// not shown at all, and `/revise/` lists the notes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_without_javascript_answers_open_only_when_asked() {
    let (_site, server, _data) = tokio::task::block_in_place(serve_metals);
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(390, 844).await;
    let client = &browser.client;
    browser.cdp("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    client.goto(&format!("{base}/soft/tin/")).await.unwrap();
    let shown = |css: &'static str| async move {
        client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .is_displayed()
            .await
            .unwrap()
    };
    assert!(!shown("[data-study=note]").await, "the revision status shows without JavaScript");
    // Questions: the options show, the answer does not until its summary is clicked.
    assert!(shown("#q1 .options li").await);
    assert!(!shown("#q1 details.answer p").await, "the answer shows before it is asked for");
    client.find(Locator::Css("#q1 details.answer summary")).await.unwrap().click().await.unwrap();
    assert!(shown("#q1 details.answer p").await, "the answer does not open");
    // A flashcard: its front shows, its back opens on a click.
    assert!(shown("details.card summary.card-front").await);
    assert!(!shown("details.card .card-back").await, "the card's back shows before it is asked for");
    client.find(Locator::Css("details.card summary")).await.unwrap().click().await.unwrap();
    assert!(shown("details.card .card-back").await);
    // /revise/ without JavaScript: the list of notes with questions.
    client.goto(&format!("{base}/revise/")).await.unwrap();
    assert!(shown(".revise-nojs").await);
    let listed = client.find_all(Locator::Css(".revise-nojs li a")).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(client.find_all(Locator::Css(".revise-app")).await.unwrap().is_empty(), "the app ran");
    browser.close().await;
}

/// Screenshots for the closing note (not a check): `/revise/` mid-session
/// and a note's "Revise this note", on a phone and a desktop, light and
/// dark, written to `$LODE_SHOTS`. Run with
/// `LODE_SHOTS=/tmp/shots cargo test --test browser_revise -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn screenshots() {
    let Ok(out) = std::env::var("LODE_SHOTS") else { return };
    std::fs::create_dir_all(&out).unwrap();
    let (_tmp, server) = tokio::task::block_in_place(common::static_server::serve_flagship_under_repo);
    let base = format!("http://{}/REPO", server.addr);
    for (name, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        let browser = Browser::start(width, height).await;
        let client = &browser.client;
        for theme in ["light", "dark"] {
            client.goto(&format!("{base}/revise/")).await.unwrap();
            browser.eval(&format!("localStorage.setItem('lode-theme', '{theme}'); return true;")).await;
            client.refresh().await.unwrap();
            browser.wait_until("document.querySelector('.revise-question')", "a question").await;
            client.find(Locator::Css("#rv-opt-0")).await.unwrap().click().await.unwrap();
            client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
            browser.wait_until("document.querySelector('.revise-back-in')", "the verdict").await;
            let shot = client.screenshot().await.unwrap();
            std::fs::write(format!("{out}/revise-question-{name}-{theme}.png"), shot).unwrap();
            client.goto(&format!("{base}/revise/?note=minerals/lithium/")).await.unwrap();
            browser.wait_until("document.getElementById('rv-due')", "the note's queue").await;
            for _ in 0..60 {
                if browser.eval("return !!document.querySelector('.revise-card');").await == true {
                    break;
                }
                client.find(Locator::Css("#rv-opt-0")).await.unwrap().click().await.unwrap();
                client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
                client.find(Locator::Css(".rv-next")).await.unwrap().click().await.unwrap();
            }
            if browser.eval("return !!document.querySelector('.revise-card');").await == true {
                browser.eval("document.querySelector('.rv-flip').click(); return true;").await;
                let shot = client.screenshot().await.unwrap();
                std::fs::write(format!("{out}/revise-card-{name}-{theme}.png"), shot).unwrap();
            }
            for (page, file) in [("minerals/lithium/", "note"), ("", "home"), ("minerals/", "collection")] {
                client.goto(&format!("{base}/{page}")).await.unwrap();
                browser
                    .wait_until("(e => e && !e.hidden)(document.querySelector('[data-study]'))", "the status")
                    .await;
                let shot = client.screenshot().await.unwrap();
                std::fs::write(format!("{out}/{file}-{name}-{theme}.png"), shot).unwrap();
            }
        }
        browser.close().await;
    }
}

/// A question's text sits inside its box on a phone: the fieldset's legend
/// (the question) is laid out within the fieldset, not across its top
/// border, however many lines it wraps to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_question_stays_inside_its_box_on_a_phone() {
    let (_site, server, _data) = tokio::task::block_in_place(serve_metals);
    let browser = Browser::start(390, 844).await;
    browser.client.goto(&format!("http://{}/revise/", server.addr)).await.unwrap();
    browser.wait_until("document.querySelector('.revise-question legend')", "a question").await;
    let inside = browser
        .eval(
            "const f = document.querySelector('.revise-question fieldset');
             const l = f.querySelector('legend').getBoundingClientRect();
             const b = f.getBoundingClientRect();
             const border = parseFloat(getComputedStyle(f).borderTopWidth);
             return [l.top - (b.top + border), b.bottom - l.bottom];",
        )
        .await;
    let gaps: Vec<f64> = inside.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert!(gaps.iter().all(|g| *g >= 0.0), "the question crosses its box's border: {gaps:?}");
    browser.close().await;
}

/// Questions whose explanations hold a Mermaid diagram draw it on the
/// revise page, where the explanation is inserted by script (a script in
/// inserted HTML never runs): the first once its answer is checked, the
/// second once the diagrams' loader is on the page already.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagrams_in_explanations_draw_on_the_revise_page() {
    let note = r#"+++
title = "Bronze"

[[questions]]
question = "Bronze is mostly which metal?"
options = ["Copper", "Tin"]
answer = "Copper"
explanation = '''
Mostly copper:

```mermaid
flowchart LR
  Cu[Copper] --> B[Bronze]
```
'''

[[questions]]
question = "Is bronze an alloy?"
options = ["Yes", "No"]
answer = "Yes"
explanation = '''
Yes:

```mermaid
flowchart LR
  Sn[Tin] --> B[Bronze]
```
'''
+++
Bronze is copper and tin. Home: [[Alloys]].
"#;
    let site =
        TestSite::new(&[("content/_index.md", "# Alloys\n\n[[Bronze]]\n"), ("content/bronze.md", note)]);
    tokio::task::block_in_place(|| site.build());
    let server = StaticServer::start(&site.output());
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("http://{}/revise/", server.addr)).await.unwrap();
    for round in 1..=2 {
        browser
            .wait_until("document.querySelector('.revise-question:not([data-done]) input')", "a question")
            .await;
        browser
            .eval(
                "const form = document.querySelector('.revise-question:not([data-done])'); form.dataset.done = '1';
                 form.querySelector('input[value=Copper], input[value=Yes]').click();
                 form.querySelector('.rv-submit').click(); return true;",
            )
            .await;
        let drawn =
            "document.querySelector('.revise-question[data-done] .revise-explanation pre.mermaid svg')";
        browser.wait_until(drawn, "the explanation's diagram drawn").await;
        let labels = browser.eval(&format!("return {drawn}.textContent;")).await;
        let labels = labels.as_str().unwrap_or_default().to_string();
        assert!(
            labels.contains("Bronze") && (labels.contains("Copper") || labels.contains("Tin")),
            "{round}: {labels}"
        );
        if round == 1 {
            browser.eval("document.querySelector('.rv-next').click(); return true;").await;
        }
    }
    browser.close().await;
}
