//! Grouping of article records into real-world events (`newsx events`).
//!
//! Many articles report one event: wire copy rewritten by several outlets, the same strike told in French,
//! Arabic and English, a first report and its update. This stage reads the per-article [`Record`]s that
//! `newsx extract` writes and puts the reports of one event together in one [`EventRecord`], with the
//! figures of all its reports reconciled ([`Figures`]) and every figure attributed to its source and article.
//!
//! # When two reports are the same event
//!
//! A report joins an event when, against at least one report already in it:
//!
//! 1. **Date**: both have a date (the event date, else the published date) and the event's dates, with the
//!    new one, span at most [`Options::window_days`] days (default 2). Bounding the span, not only the gap
//!    between neighbours, keeps a week of daily reports from one country chaining into one event.
//! 2. **Type**: both belong to the same ACLED category (`battles`, `explosions_remote_violence`, `protests`…):
//!    an air strike and a shelling of the same town may be one event misclassified, a strike and a protest
//!    are not. Reports typed `none` (no political violence: accidents, politics) only group with `none`, so
//!    two reports of one bus crash merge, but a report the type rules missed never drags a strike into it.
//! 3. **Country**: they share an event country (ISO code; languages play no part beyond it).
//! 4. **Evidence**: their canonical entities and places overlap enough: the [similarity](#similarity) is at
//!    least [`Options::threshold`] (default 0.35). Among several events that qualify, the best score wins
//!    (ties: the older event).
//!
//! Reports with too little evidence stay alone rather than join a wrong group: a report without a date and
//! without a country is an event of its own, so is a dated report without a country. A report with a
//! country but no date (many reports state neither dateline nor day) may still join a dated event whose
//! reports it resembles strongly (similarity at least [`Options::undated_threshold`], default 0.5): it
//! waits until that event is complete and is claimed by the first complete event, in date order, that it
//! matches. Two undated reports never group with each other alone.
//!
//! # Similarity
//!
//! Each report's evidence is a set of weighted features, compared by their canonical form (lower case,
//! letters and digits only, so `Al-Qaim` and `Al Qaim` agree): the event's places (`event.locations`, weight
//! 3), organizations (2), persons (1.5) and other location entities (1, as places named in passing, such
//! as the country itself, say little). The similarity of two reports is the weight they share (the smaller
//! weight of each common feature) divided by the smaller of their total weights, that divisor being at
//! least 4, so that a report naming only its country cannot reach the threshold. When both reports name
//! event places and neither names any of the other's, the score is halved: two bombings in two cities of
//! one country are two events even when the same ministry comments on both. And when a dated report is
//! compared with the open events, a name that `k` of them (same category and country) already share
//! counts for its weight divided by √k: the ministry that comments on every attack of the week tells them
//! apart less than the town each happened in.
//!
//! # Scale and memory
//!
//! Grouping works on a stream ([`Grouper::push`], then [`Grouper::finish`]). Dated reports wait in a
//! buffer ordered by date; when it holds more than [`Options::max_buffered`] reports (default 100,000),
//! its oldest half is processed in date order by a sliding window: only the events that can still accept a
//! report (those begun at most `window_days` before the current day) stay open. Candidate events are found
//! through posting lists keyed by (category, country, feature), so a report is only compared with open
//! events of its category and country that share a name with it, and the work grows near-linearly with
//! the number of reports. A name shared by more than 200 open events of one category and country (a
//! capital, a head of state) finds no candidates, though it still counts in the score.
//!
//! Undated reports wait for an event in memory too. Once grouping has begun before the end of the input,
//! an undated report is taken to be about the events around the newest date read before it: when the
//! grouping has moved more than twice the window past that date, it is written alone (this keeps a report
//! that missed its event from joining a look-alike months later). At most `max_buffered` wait at once;
//! beyond that, the oldest is written alone.
//!
//! Memory is therefore bounded by `max_buffered` reports, plus the reports of the open window, plus at
//! most `max_buffered` undated reports; it does not grow with the length of the stream (about 330 MB for
//! the default, measured on a million synthetic records). The dated reports of input that fits in the
//! buffer, or that arrives in date order (as crawls and archives usually do) or nearly so, are grouped
//! exactly as if the input were sorted. A report arriving further out of date order than the buffer spans
//! can no longer join an event already written: it joins the still-open events or starts its own.
//!
//! # Output order
//!
//! Events come out ordered by their earliest date, then by the order of their first report in date order
//! (reports of one day are taken in order of id). Reports with no date and no country come out alone as
//! soon as they are read; undated reports that no event claimed come out alone when they expire or at
//! the end, in the order they were read. For a given input the output is always the same, and for input that fits in the buffer
//! the dated events do not depend on the order of the input. A record read twice (same id and path)
//! counts once in its event.
//!
//! # Reconciled figures
//!
//! See [`Figures`]: `min`, `max` and `median` of the reports' lead figures, the ACLED-style `conservative`
//! figure, and every figure with who stated it.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet, VecDeque};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record::{EntityType, Kind, Qualifier, Record, SCHEMA_VERSION, Scope};

/// Options of the grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Largest span, in days, of the dates of one event's reports (default 2).
    pub window_days: u32,
    /// Smallest similarity of entities and places for a dated report to join an event (default 0.35).
    pub threshold: f64,
    /// Smallest similarity for a report without a date to join a dated event (default 0.5).
    pub undated_threshold: f64,
    /// How many dated reports wait in memory before the oldest are grouped, and how many undated reports
    /// may wait for an event (default 100,000 each): the memory bound, about 1 KB per report.
    pub max_buffered: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            window_days: 2,
            threshold: 0.35,
            undated_threshold: 0.5,
            max_buffered: 100_000,
        }
    }
}

/// One real-world event, grouped from one or more article records.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EventRecord {
    /// Schema version ("1").
    pub newsx: String,
    /// Stable id derived from the ids of its articles (`ev_` and 16 hex digits): the same articles always
    /// give the same id, whatever the order they were read in.
    pub id: String,
    /// ACLED sub-event type: the type most of its articles give (ties: the earliest article's), or `none`.
    #[serde(rename = "type")]
    pub kind: String,
    /// ACLED event type (category) shared by all its articles, or `none`.
    pub category: String,
    /// First and last day its articles give for it.
    pub date: DateRange,
    /// ISO 3166-1 alpha-2 codes of where it took place, the most often reported first.
    pub countries: Vec<String>,
    /// Places below country level where it took place, the most often reported first.
    pub locations: Vec<String>,
    /// The articles that report it, by date then id.
    pub articles: Vec<ArticleRef>,
    /// ISO 639-1 codes of the languages of its articles, sorted.
    pub languages: Vec<String>,
    /// Reconciled casualty figures.
    pub casualties: EventCasualties,
    /// People, organizations and places its articles name, the most widely named first.
    pub entities: Vec<EventEntity>,
}

/// A span of days (`YYYY-MM-DD`); both null when no article gives a date.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DateRange {
    /// Earliest date an article gives.
    pub earliest: Option<String>,
    /// Latest date an article gives.
    pub latest: Option<String>,
}

/// One article of an event.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ArticleRef {
    /// The record's id.
    pub id: String,
    /// The record's path.
    pub path: String,
    /// ISO 639-1 code of its language, or null.
    pub language: Option<String>,
    /// Its publication date, or null.
    pub published: Option<String>,
    /// The date it gives the event (its event date, else its publication date), or null.
    pub date: Option<String>,
}

/// Casualty figures of an event.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EventCasualties {
    /// People killed, or null when no article gives a figure.
    pub killed: Option<Figures>,
    /// People wounded, or null when no article gives a figure.
    pub wounded: Option<Figures>,
}

/// The figures that an event's articles give for one kind of casualty, reconciled.
///
/// Each article contributes one **lead figure**: the first main-event figure it states. News copy puts
/// the toll in its first lines, and figures stated later are more often parts of it ("among them a child")
/// or repetitions than new totals; when the article lists its figures without their mentions, the first of
/// them. `min`, `max` and `median` are taken over the articles' lead figures, so one article counts once.
///
/// `conservative` follows ACLED's practice of recording the most conservative credible figure: **the
/// lowest figure that a named source states for the whole event**, that is the lowest, over the articles,
/// of the first main-event figure in each article that is attributed to a source (a ministry, a monitor,
/// an armed group, an agency). It is null when no figure is attributed. Figures given without a source
/// count in `min` but never in `conservative`; `at least` and `about` figures count as their number.
///
/// `reports` lists every main-event figure of every article with its qualifier, source and evidence
/// text, so that a reader sees who said what.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Figures {
    /// Lowest lead figure.
    pub min: u64,
    /// Highest lead figure.
    pub max: u64,
    /// Median of the lead figures (the mean of the two middle ones when their number is even).
    pub median: f64,
    /// Lowest figure that a named source states for the whole event (see above), or null.
    pub conservative: Option<u64>,
    /// Every main-event figure, by article (in the order of `articles`) then in text order.
    pub reports: Vec<FigureReport>,
}

/// One figure as one article states it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct FigureReport {
    /// The number.
    pub figure: u64,
    /// exact | at_least | more_than | about | up_to.
    pub qualifier: Qualifier,
    /// Who the figure is attributed to, when the article says.
    pub source: Option<String>,
    /// Id of the article.
    pub article: String,
    /// The evidence text, as in the article's record.
    pub text: String,
    /// True for the article's lead figure (the one counted in `min`, `max` and `median`).
    pub lead: bool,
}

/// One entity named by an event's articles.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EventEntity {
    /// person | organization | location.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Canonical name: the spelling most of its articles use.
    pub name: String,
    /// How many of the event's articles name it.
    pub articles: usize,
}

/// Columns of the CSV output of events.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "type",
    "category",
    "date_earliest",
    "date_latest",
    "countries",
    "locations",
    "articles",
    "article_ids",
    "languages",
    "killed_min",
    "killed_max",
    "killed_median",
    "killed_conservative",
    "wounded_min",
    "wounded_max",
    "wounded_median",
    "wounded_conservative",
    "persons",
    "organizations",
];

/// The CSV row of an event, in [`CSV_COLUMNS`] order (lists joined with `;`).
pub fn csv_row(e: &EventRecord) -> Vec<String> {
    fn opt<T: ToString>(v: Option<T>) -> String {
        v.map(|v| v.to_string()).unwrap_or_default()
    }
    let names = |kind: EntityType| {
        e.entities
            .iter()
            .filter(|x| x.kind == kind)
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    let k = e.casualties.killed.as_ref();
    let w = e.casualties.wounded.as_ref();
    vec![
        e.id.clone(),
        e.kind.clone(),
        e.category.clone(),
        opt(e.date.earliest.as_ref()),
        opt(e.date.latest.as_ref()),
        e.countries.join(";"),
        e.locations.join(";"),
        e.articles.len().to_string(),
        e.articles
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        e.languages.join(";"),
        opt(k.map(|f| f.min)),
        opt(k.map(|f| f.max)),
        opt(k.map(|f| f.median)),
        opt(k.and_then(|f| f.conservative)),
        opt(w.map(|f| f.min)),
        opt(w.map(|f| f.max)),
        opt(w.map(|f| f.median)),
        opt(w.and_then(|f| f.conservative)),
        names(EntityType::Person),
        names(EntityType::Organization),
    ]
}

/// Groups records into events, all at once (see the module documentation for the rules).
pub fn group(records: impl IntoIterator<Item = Record>, opts: &Options) -> Vec<EventRecord> {
    let mut grouper = Grouper::new(opts.clone());
    let mut out = Vec::new();
    for r in records {
        grouper.push(r);
        out.extend(grouper.ready());
    }
    out.extend(grouper.finish());
    out
}

// ---------------------------------------------------------------------------------------------------------
// Reports: the part of a record that grouping and reconciliation need, with its features precomputed.

const W_PLACE: f32 = 3.0;
const W_ORG: f32 = 2.0;
const W_PERSON: f32 = 1.5;
const W_LOCATION: f32 = 1.0;
/// Smallest divisor of the similarity: a report with less evidence than this cannot match on it alone.
const MIN_MASS: f32 = 4.0;
/// Penalty factor when both reports name event places and none in common.
const PLACE_CONFLICT: f64 = 0.5;
/// Members of an event a new report is compared with (the most recent ones): bounds the cost of big events.
const MAX_COMPARED: usize = 32;
/// Longest posting list used to find candidate events: longer ones belong to names too common to tell
/// events apart.
const MAX_POSTING: usize = 200;

/// Namespaces of feature hashes.
const NS_PLACE: u8 = b'p';
const NS_ORG: u8 = b'o';
const NS_PERSON: u8 = b'q';

#[derive(Debug, Clone, Default)]
struct Side {
    lead: Option<u64>,
    sourced: Option<u64>,
    reports: Vec<(u64, Qualifier, Option<String>, String)>,
}

#[derive(Debug, Clone)]
struct Report {
    seq: u64,
    id: String,
    path: String,
    language: Option<String>,
    published: Option<String>,
    date: Option<String>,
    day: Option<i64>,
    kind: String,
    category: String,
    cat: u32,
    countries: Vec<String>,
    country_ix: Vec<u32>,
    locations: Vec<String>,
    entities: Vec<(EntityType, String)>,
    /// Sorted by hash, one entry per feature (its largest weight).
    features: Vec<(u64, f32)>,
    mass: f32,
    /// Hashes of the event places, sorted.
    places: Vec<u64>,
    killed: Side,
    wounded: Side,
}

fn fnv(ns: u8, s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(ns).chain(s.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Canonical comparison form of a name: lower case, letters and digits only.
fn canon(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (anything after the tenth byte ignored).
fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > dim {
        return None;
    }
    // Days from civil (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// ACLED category of a sub-event type, for records that give a type without its category.
fn category_of(kind: &str) -> &'static str {
    match kind {
        "armed_clash" | "government_regains_territory" | "non_state_actor_overtakes_territory" => {
            "battles"
        }
        "air_drone_strike"
        | "shelling_artillery_missile"
        | "remote_explosive"
        | "suicide_bomb"
        | "grenade"
        | "chemical_weapon" => "explosions_remote_violence",
        "attack" | "abduction" | "sexual_violence" => "violence_against_civilians",
        "peaceful_protest" | "protest_with_intervention" | "excessive_force_against_protesters" => {
            "protests"
        }
        "violent_demonstration" | "mob_violence" => "riots",
        "agreement"
        | "arrests"
        | "change_to_group_activity"
        | "disrupted_weapons_use"
        | "headquarters_or_base_established"
        | "looting_property_destruction"
        | "non_violent_transfer_of_territory"
        | "other_strategic_development" => "strategic_developments",
        _ => "none",
    }
}

fn side(record: &Record, kind: Kind) -> Side {
    let mut s = Side::default();
    for m in &record.casualties.mentions {
        let Some(count) = m.count else { continue };
        if m.kind != kind || m.scope != Scope::Main || m.qualifier == Qualifier::Vague {
            continue;
        }
        if s.lead.is_none() {
            s.lead = Some(count);
        }
        let source = m.source.as_ref().filter(|x| !x.trim().is_empty());
        if s.sourced.is_none() && source.is_some() {
            s.sourced = Some(count);
        }
        s.reports
            .push((count, m.qualifier, source.cloned(), m.text.clone()));
    }
    if s.lead.is_none() {
        let tally = match kind {
            Kind::Killed => record.casualties.killed.as_ref(),
            Kind::Wounded => record.casualties.wounded.as_ref(),
            _ => None,
        };
        s.lead = tally.and_then(|t| t.figures.first().copied().or(Some(t.max)));
    }
    s
}

/// Interns short strings (categories, countries) as small integers for the indexes.
#[derive(Debug, Default)]
struct Interner(HashMap<String, u32>);

impl Interner {
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.0.get(s) {
            return i;
        }
        let i = u32::try_from(self.0.len()).unwrap_or(u32::MAX);
        self.0.insert(s.to_string(), i);
        i
    }
}

fn report(record: Record, seq: u64, interner: &mut Interner) -> Report {
    let date = record
        .event
        .date
        .as_deref()
        .filter(|d| parse_day(d).is_some())
        .or(record
            .published
            .as_deref()
            .filter(|d| parse_day(d).is_some()))
        .and_then(|d| d.get(..10))
        .map(str::to_string);
    let day = date.as_deref().and_then(parse_day);
    let kind = match record.event.kind.trim() {
        "" => "none".to_string(),
        k => k.to_string(),
    };
    let category = match record.event.category.trim() {
        "" => category_of(&kind).to_string(),
        c => c.to_string(),
    };
    let cat = interner.get(&category);
    let mut countries: Vec<String> = Vec::new();
    for c in &record.event.countries {
        let c = c.trim().to_ascii_uppercase();
        if !c.is_empty() && !countries.contains(&c) {
            countries.push(c);
        }
    }
    let country_ix = countries.iter().map(|c| interner.get(c)).collect();

    let mut features: Vec<(u64, f32)> = Vec::new();
    let mut places = Vec::new();
    for l in &record.event.locations {
        let c = canon(l);
        if !c.is_empty() {
            let h = fnv(NS_PLACE, &c);
            places.push(h);
            features.push((h, W_PLACE));
        }
    }
    let mut entities = Vec::with_capacity(record.entities.len());
    for e in &record.entities {
        let c = canon(&e.name);
        if c.is_empty() {
            continue;
        }
        let (ns, w) = match e.kind {
            EntityType::Location => (NS_PLACE, W_LOCATION),
            EntityType::Organization => (NS_ORG, W_ORG),
            EntityType::Person => (NS_PERSON, W_PERSON),
        };
        features.push((fnv(ns, &c), w));
        entities.push((e.kind, e.name.clone()));
    }
    // One entry per feature, with its largest weight.
    features.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    features.dedup_by_key(|f| f.0);
    places.sort_unstable();
    places.dedup();
    let mass = features.iter().map(|f| f.1).sum();
    let killed = side(&record, Kind::Killed);
    let wounded = side(&record, Kind::Wounded);
    Report {
        seq,
        id: record.id,
        path: record.path,
        language: record.language.code,
        published: record.published,
        date,
        day,
        kind,
        category,
        cat,
        countries,
        country_ix,
        locations: record.event.locations,
        entities,
        features,
        mass,
        places,
        killed,
        wounded,
    }
}

fn has_feature(r: &Report, h: u64) -> bool {
    r.features.binary_search_by_key(&h, |f| f.0).is_ok()
}

/// Similarity of two reports' entities and places (see the module documentation).
///
/// `spec`, when given, holds for each feature of `b` the share of its weight that tells events apart
/// (see [`Core::process`]).
fn similarity(a: &Report, b: &Report, spec: Option<&[f32]>) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0f32);
    while let (Some(x), Some(y)) = (a.features.get(i), b.features.get(j)) {
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let share = spec.and_then(|s| s.get(j)).copied().unwrap_or(1.0);
                shared += x.1.min(y.1) * share;
                i += 1;
                j += 1;
            }
        }
    }
    let denom = a.mass.min(b.mass).max(MIN_MASS);
    let mut s = f64::from(shared / denom);
    let conflict = !a.places.is_empty()
        && !b.places.is_empty()
        && !a.places.iter().any(|&h| has_feature(b, h))
        && !b.places.iter().any(|&h| has_feature(a, h));
    if conflict {
        s *= PLACE_CONFLICT;
    }
    s
}

fn share_country(a: &Report, b: &Report) -> bool {
    a.country_ix.iter().any(|c| b.country_ix.contains(c))
}

// ---------------------------------------------------------------------------------------------------------
// Open events and the sliding window.

#[derive(Debug)]
struct Group {
    seq: u64,
    cat: u32,
    earliest: i64,
    latest: i64,
    /// Posting keys (category, country, feature) it is listed under.
    keys: HashSet<u64>,
    members: Vec<Report>,
}

impl Group {
    /// Best similarity of `r` with a member that shares a country with it.
    fn score(&self, r: &Report, spec: Option<&[f32]>) -> f64 {
        self.members
            .iter()
            .rev()
            .take(MAX_COMPARED)
            .filter(|m| share_country(m, r))
            .map(|m| similarity(m, r, spec))
            .fold(0.0, f64::max)
    }
}

/// Whether a feature finds undated reports: places, organizations and persons, not the locations
/// named in passing (often the country itself), which would make every waiting report a candidate.
fn indexed(f: &(u64, f32)) -> bool {
    f.1 > W_LOCATION
}

/// Key of a posting list: one feature of the reports of one category in one country.
fn posting_key(cat: u32, country: u32, feature: u64) -> u64 {
    let mut h = feature ^ u64::from(cat).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h = h.rotate_left(29) ^ u64::from(country).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    h
}

/// The posting keys of a report.
fn keys(r: &Report, only_indexed: bool) -> impl Iterator<Item = u64> + '_ {
    r.country_ix.iter().flat_map(move |&c| {
        r.features
            .iter()
            .filter(move |f| !only_indexed || indexed(f))
            .map(move |f| posting_key(r.cat, c, f.0))
    })
}

/// A finished event waiting for its turn in the output.
#[derive(Debug)]
struct Done {
    key: (i64, u64),
    event: EventRecord,
}

impl PartialEq for Done {
    fn eq(&self, o: &Done) -> bool {
        self.key == o.key
    }
}
impl Eq for Done {}
impl PartialOrd for Done {
    fn partial_cmp(&self, o: &Done) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Done {
    fn cmp(&self, o: &Done) -> std::cmp::Ordering {
        self.key.cmp(&o.key)
    }
}

#[derive(Debug, Default)]
struct Core {
    window: i64,
    threshold: f64,
    undated_threshold: f64,
    max_pending: usize,
    frontier: Option<i64>,
    group_seq: u64,
    groups: Vec<Option<Group>>,
    free: Vec<usize>,
    /// (category, country, feature) → open events, as (slot, seq); entries of completed events are
    /// skipped, and dropped when they outnumber the live ones.
    postings: HashMap<u64, Vec<(usize, u64)>>,
    posting_entries: usize,
    posting_live: usize,
    /// Open events by (earliest day, seq, slot): the order in which they complete.
    closing: BinaryHeap<Reverse<(i64, u64, usize)>>,
    /// Undated reports with a country, waiting for an event, by seq.
    pending: HashMap<u64, Report>,
    /// Seqs of waiting reports in arrival order (their horizons never decrease along it).
    pending_order: VecDeque<u64>,
    /// Last day of the grouping at which each waiting report may still be claimed, once known.
    horizons: HashMap<u64, i64>,
    /// (category, country, feature) → seqs of waiting reports, stale entries as above.
    pending_index: HashMap<u64, Vec<u64>>,
    pending_entries: usize,
    pending_live: usize,
    done: BinaryHeap<Reverse<Done>>,
    ready: VecDeque<EventRecord>,
}

impl Core {
    fn new(opts: &Options) -> Core {
        Core {
            window: i64::from(opts.window_days),
            threshold: opts.threshold,
            undated_threshold: opts.undated_threshold,
            max_pending: opts.max_buffered.max(1),
            ..Core::default()
        }
    }

    fn live(&self, slot: usize, seq: u64) -> Option<&Group> {
        self.groups
            .get(slot)
            .and_then(Option::as_ref)
            .filter(|g| g.seq == seq)
    }

    /// Completes the events that no report of `day` or later can join.
    fn advance(&mut self, day: i64) {
        if self.frontier.is_some_and(|f| f >= day) {
            return;
        }
        self.frontier = Some(day);
        while let Some(&Reverse((earliest, _, slot))) = self.closing.peek() {
            if earliest.saturating_add(self.window) >= day {
                break;
            }
            self.closing.pop();
            self.close(slot);
        }
        self.expire(day);
        self.release();
    }

    /// Writes alone the waiting reports whose horizon the grouping has passed.
    fn expire(&mut self, day: i64) {
        while let Some(&seq) = self.pending_order.front() {
            if self.pending.contains_key(&seq) {
                match self.horizons.get(&seq) {
                    Some(&h) if h < day => {}
                    _ => break,
                }
            }
            self.pending_order.pop_front();
            self.horizons.remove(&seq);
            if let Some(r) = self.take_pending(seq) {
                self.ready.push_back(build(vec![r]));
            }
        }
    }

    /// Gives a horizon to the waiting reports that have none: the latest day whose events they may join.
    fn set_horizons(&mut self, horizon: i64) {
        for seq in &self.pending_order {
            if self.pending.contains_key(seq) {
                self.horizons.entry(*seq).or_insert(horizon);
            }
        }
    }

    fn process(&mut self, r: Report) {
        let Some(day) = r.day else {
            self.add_pending(r, None);
            return;
        };
        self.advance(day);
        if r.country_ix.is_empty() {
            // An event of its own, ordered among the others like one just begun.
            let key = (day, self.group_seq);
            self.group_seq += 1;
            let event = build(vec![r]);
            self.done.push(Reverse(Done { key, event }));
            self.release();
            return;
        }
        // A name that several open events of the block share (the interior ministry, the president)
        // tells them apart less than one only this event has: its weight is divided by the square root
        // of the number of open events naming it.
        let mut candidates: Vec<(usize, u64)> = Vec::new();
        let mut spec = vec![1.0f32; r.features.len()];
        for (f, share) in r.features.iter().zip(spec.iter_mut()) {
            let mut naming = 1usize;
            for &c in &r.country_ix {
                let Some(list) = self.postings.get(&posting_key(r.cat, c, f.0)) else {
                    continue;
                };
                // A name shared by very many open events (a capital, a head of state) finds no one.
                if list.len() > MAX_POSTING {
                    naming = naming.max(list.len());
                    continue;
                }
                let before = candidates.len();
                candidates.extend(
                    list.iter()
                        .filter(|(slot, seq)| self.live(*slot, *seq).is_some()),
                );
                naming = naming.max(candidates.len() - before);
            }
            *share = 1.0 / (naming as f32).sqrt();
        }
        candidates.sort_unstable_by_key(|c| c.1);
        candidates.dedup();
        let mut best: Option<(f64, u64, usize)> = None;
        for (slot, seq) in candidates {
            let Some(g) = self.live(slot, seq) else {
                continue;
            };
            if g.cat != r.cat || g.latest.max(day) - g.earliest.min(day) > self.window {
                continue;
            }
            let s = g.score(&r, Some(&spec));
            // Candidates come in event order, so on a tie the older event wins.
            if s >= self.threshold && best.is_none_or(|b| s > b.0) {
                best = Some((s, seq, slot));
            }
        }
        match best {
            Some((_, _, slot)) => self.join(slot, r),
            None => self.open(r, day),
        }
    }

    fn register(&mut self, slot: usize, r: &Report) {
        let Some(Some(g)) = self.groups.get_mut(slot) else {
            return;
        };
        for key in keys(r, false) {
            if g.keys.insert(key) {
                self.postings.entry(key).or_default().push((slot, g.seq));
                self.posting_entries += 1;
                self.posting_live += 1;
            }
        }
    }

    fn join(&mut self, slot: usize, r: Report) {
        let Some(Some(g)) = self.groups.get(slot) else {
            return;
        };
        // The same record read twice (a file extracted twice) counts once.
        if g.members.iter().any(|m| m.id == r.id && m.path == r.path) {
            return;
        }
        self.register(slot, &r);
        let Some(Some(g)) = self.groups.get_mut(slot) else {
            return;
        };
        let day = r.day.unwrap_or(g.earliest);
        g.earliest = g.earliest.min(day);
        g.latest = g.latest.max(day);
        g.members.push(r);
    }

    fn open(&mut self, r: Report, day: i64) {
        let seq = self.group_seq;
        self.group_seq += 1;
        let g = Group {
            seq,
            cat: r.cat,
            earliest: day,
            latest: day,
            keys: HashSet::new(),
            members: Vec::new(),
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(s) = self.groups.get_mut(slot) {
                    *s = Some(g);
                }
                slot
            }
            None => {
                self.groups.push(Some(g));
                self.groups.len() - 1
            }
        };
        self.register(slot, &r);
        if let Some(Some(g)) = self.groups.get_mut(slot) {
            g.members.push(r);
        }
        self.closing.push(Reverse((day, seq, slot)));
    }

    fn close(&mut self, slot: usize) {
        let Some(mut g) = self.groups.get_mut(slot).and_then(Option::take) else {
            return;
        };
        self.free.push(slot);
        self.posting_live = self.posting_live.saturating_sub(g.keys.len());
        self.compact_postings();
        self.claim(&mut g);
        let key = (g.earliest, g.seq);
        let event = build(g.members);
        self.done.push(Reverse(Done { key, event }));
    }

    /// Drops the postings of completed events once they outnumber the live ones.
    fn compact_postings(&mut self) {
        if self.posting_entries < 4096 || self.posting_entries <= 2 * self.posting_live {
            return;
        }
        let groups = &self.groups;
        let mut entries = 0;
        self.postings.retain(|_, v| {
            v.retain(|&(slot, seq)| {
                groups
                    .get(slot)
                    .and_then(Option::as_ref)
                    .is_some_and(|g| g.seq == seq)
            });
            entries += v.len();
            !v.is_empty()
        });
        self.posting_entries = entries;
        self.posting_live = entries;
    }

    /// Moves finished events to the output while no open event can come before them.
    fn release(&mut self) {
        let open_min = self.closing.peek().map(|Reverse((e, s, _))| (*e, *s));
        while let Some(Reverse(d)) = self.done.peek() {
            if open_min.is_some_and(|m| m < d.key) {
                break;
            }
            if let Some(Reverse(d)) = self.done.pop() {
                self.ready.push_back(d.event);
            }
        }
    }

    fn add_pending(&mut self, r: Report, horizon: Option<i64>) {
        let seq = r.seq;
        if let Some(h) = horizon {
            self.horizons.insert(seq, h);
        }
        for key in keys(&r, true) {
            self.pending_index.entry(key).or_default().push(seq);
            self.pending_entries += 1;
            self.pending_live += 1;
        }
        self.pending.insert(seq, r);
        self.pending_order.push_back(seq);
        while self.pending.len() > self.max_pending {
            let Some(old) = self.pending_order.pop_front() else {
                break;
            };
            if let Some(r) = self.take_pending(old) {
                self.ready.push_back(build(vec![r]));
            }
        }
        self.compact_pending();
    }

    fn take_pending(&mut self, seq: u64) -> Option<Report> {
        self.horizons.remove(&seq);
        let r = self.pending.remove(&seq)?;
        self.pending_live = self.pending_live.saturating_sub(keys(&r, true).count());
        Some(r)
    }

    /// Drops stale entries from the waiting reports' index once they outnumber the live ones.
    fn compact_pending(&mut self) {
        if self.pending_entries < 4096 || self.pending_entries <= 2 * self.pending_live {
            return;
        }
        let pending = &self.pending;
        let mut entries = 0;
        self.pending_index.retain(|_, v| {
            v.retain(|s| pending.contains_key(s));
            entries += v.len();
            !v.is_empty()
        });
        self.pending_entries = entries;
        self.pending_live = entries;
        self.pending_order.retain(|s| pending.contains_key(s));
    }

    /// Lets a completed event take the undated reports that match it.
    fn claim(&mut self, g: &mut Group) {
        if self.pending.is_empty() {
            return;
        }
        let mut candidates: Vec<u64> = Vec::new();
        for key in &g.keys {
            if let Some(v) = self.pending_index.get(key) {
                if v.len() <= MAX_POSTING {
                    candidates.extend(v.iter().filter(|s| self.pending.contains_key(s)));
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut claimed = Vec::new();
        for seq in candidates {
            let Some(r) = self.pending.get(&seq) else {
                continue;
            };
            if r.cat == g.cat && g.score(r, None) >= self.undated_threshold {
                claimed.push(seq);
            }
        }
        for seq in claimed {
            if let Some(r) = self.take_pending(seq) {
                if !g.members.iter().any(|m| m.id == r.id && m.path == r.path) {
                    g.members.push(r);
                }
            }
        }
        self.compact_pending();
    }

    /// Completes every open event and writes out the waiting reports no event claimed.
    fn finish(&mut self) {
        while let Some(Reverse((_, _, slot))) = self.closing.pop() {
            self.close(slot);
        }
        self.release();
        let mut left: Vec<Report> = self.pending.drain().map(|(_, r)| r).collect();
        left.sort_by_key(|r| r.seq);
        self.pending_order.clear();
        self.horizons.clear();
        self.pending_index.clear();
        self.pending_entries = 0;
        self.pending_live = 0;
        for r in left {
            self.ready.push_back(build(vec![r]));
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The streaming grouper.

/// Groups a stream of records into events: [`push`](Grouper::push) records, take the events that are
/// complete with [`ready`](Grouper::ready), and the rest with [`finish`](Grouper::finish).
#[derive(Debug)]
pub struct Grouper {
    max_buffered: usize,
    seq: u64,
    interner: Interner,
    /// Dated reports waiting, by day; each day's reports in arrival order.
    buffer: BTreeMap<i64, Vec<Report>>,
    buffered: usize,
    /// Latest day read so far.
    newest: Option<i64>,
    /// Whether grouping has begun before the end of the input (the buffer overflowed).
    streaming: bool,
    core: Core,
}

impl Grouper {
    /// A grouper with the given options.
    pub fn new(opts: Options) -> Grouper {
        Grouper {
            max_buffered: opts.max_buffered.max(1),
            seq: 0,
            interner: Interner::default(),
            buffer: BTreeMap::new(),
            buffered: 0,
            newest: None,
            streaming: false,
            core: Core::new(&opts),
        }
    }

    /// Adds one article record.
    pub fn push(&mut self, record: Record) {
        let r = report(record, self.seq, &mut self.interner);
        self.seq += 1;
        match r.day {
            Some(day) => {
                self.newest = self.newest.max(Some(day));
                self.buffer.entry(day).or_default().push(r);
                self.buffered += 1;
                if self.buffered > self.max_buffered {
                    self.drain(self.max_buffered / 2, true);
                }
            }
            None if r.country_ix.is_empty() => self.core.ready.push_back(build(vec![r])),
            None => {
                let horizon = self.horizon();
                self.core.add_pending(r, horizon);
            }
        }
    }

    /// Takes the events that are complete so far, in output order.
    pub fn ready(&mut self) -> impl Iterator<Item = EventRecord> + '_ {
        self.core.ready.drain(..)
    }

    /// Groups what is left and returns the remaining events, in output order.
    pub fn finish(mut self) -> Vec<EventRecord> {
        self.drain(0, false);
        self.core.finish();
        self.core.ready.drain(..).collect()
    }

    /// While streaming, an undated report read now is about the events around the newest date read: it may
    /// join those that complete up to twice the window after it (an event begun on that date completes
    /// one window after it).
    fn horizon(&self) -> Option<i64> {
        if !self.streaming {
            return None;
        }
        let window = self.core.window;
        self.newest
            .map(|d| d.saturating_add(window.saturating_mul(2)).saturating_add(1))
    }

    /// Groups the oldest buffered days until at most `keep` reports wait.
    fn drain(&mut self, keep: usize, more_to_come: bool) {
        if more_to_come && !self.streaming {
            self.streaming = true;
            if let Some(h) = self.horizon() {
                self.core.set_horizons(h);
            }
        }
        while self.buffered > keep {
            let Some((_, mut day)) = self.buffer.pop_first() else {
                break;
            };
            self.buffered = self.buffered.saturating_sub(day.len());
            // Reports of one day in a fixed order, whatever the order they arrived in.
            day.sort_by(|a, b| (&a.id, &a.path, a.seq).cmp(&(&b.id, &b.path, b.seq)));
            for r in day {
                self.core.process(r);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Building the event record.

fn event_id(members: &[Report]) -> String {
    let mut ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for id in ids {
        for b in id.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("ev_{h:016x}")
}

/// Counts of display strings under a canonical key, in first-seen order.
struct Counter<K> {
    order: Vec<K>,
    counts: HashMap<K, (usize, Vec<(String, usize)>)>,
}

impl<K> Default for Counter<K> {
    fn default() -> Counter<K> {
        Counter {
            order: Vec::new(),
            counts: HashMap::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Counter<K> {
    fn add(&mut self, key: K, display: &str) {
        let entry = self.counts.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            (0, Vec::new())
        });
        entry.0 += 1;
        match entry.1.iter_mut().find(|(s, _)| s == display) {
            Some(x) => x.1 += 1,
            None => entry.1.push((display.to_string(), 1)),
        }
    }

    /// (key, most used spelling (ties: first seen), count), the most counted first (ties: first seen).
    fn into_sorted(self) -> Vec<(K, String, usize)> {
        let mut counts = self.counts;
        let mut out: Vec<(K, String, usize)> = self
            .order
            .into_iter()
            .filter_map(|k| {
                let (n, spellings) = counts.remove(&k)?;
                let mut best: Option<(String, usize)> = None;
                for (s, c) in spellings {
                    if best.as_ref().is_none_or(|b| c > b.1) {
                        best = Some((s, c));
                    }
                }
                Some((k, best.map(|b| b.0).unwrap_or_default(), n))
            })
            .collect();
        out.sort_by_key(|x| Reverse(x.2));
        out
    }
}

fn figures(members: &[Report], pick: fn(&Report) -> &Side) -> Option<Figures> {
    let mut leads: Vec<u64> = members.iter().filter_map(|m| pick(m).lead).collect();
    if leads.is_empty() {
        return None;
    }
    leads.sort_unstable();
    let n = leads.len();
    let median = match (leads.get((n - 1) / 2), leads.get(n / 2)) {
        (Some(&a), Some(&b)) => (a as f64 + b as f64) / 2.0,
        _ => 0.0,
    };
    let mut reports = Vec::new();
    for m in members {
        let s = pick(m);
        let mut lead_marked = false;
        for (figure, qualifier, source, text) in &s.reports {
            let lead = !lead_marked && Some(*figure) == s.lead;
            lead_marked |= lead;
            reports.push(FigureReport {
                figure: *figure,
                qualifier: *qualifier,
                source: source.clone(),
                article: m.id.clone(),
                text: text.clone(),
                lead,
            });
        }
    }
    Some(Figures {
        min: leads.first().copied().unwrap_or(0),
        max: leads.last().copied().unwrap_or(0),
        median,
        conservative: members.iter().filter_map(|m| pick(m).sourced).min(),
        reports,
    })
}

fn build(mut members: Vec<Report>) -> EventRecord {
    members.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.id, a.seq).cmp(&(b.date.is_none(), &b.date, &b.id, b.seq))
    });
    let id = event_id(&members);

    let mut kinds: Counter<String> = Counter::default();
    let mut countries: Counter<String> = Counter::default();
    let mut locations: Counter<String> = Counter::default();
    let mut entities: Counter<(EntityType, String)> = Counter::default();
    let mut languages: Vec<String> = Vec::new();
    for m in &members {
        kinds.add(m.kind.clone(), &m.kind);
        for c in &m.countries {
            countries.add(c.clone(), c);
        }
        let mut seen = HashSet::new();
        for l in &m.locations {
            let c = canon(l);
            if !c.is_empty() && seen.insert(c.clone()) {
                locations.add(c, l);
            }
        }
        let mut seen = HashSet::new();
        for (k, name) in &m.entities {
            let key = (*k, canon(name));
            if seen.insert(key.clone()) {
                entities.add(key, name);
            }
        }
        if let Some(l) = &m.language {
            if !languages.contains(l) {
                languages.push(l.clone());
            }
        }
    }
    languages.sort();
    let kind = kinds
        .into_sorted()
        .into_iter()
        .next()
        .map(|k| k.1)
        .unwrap_or_else(|| "none".to_string());
    let category = members
        .first()
        .map(|m| m.category.clone())
        .unwrap_or_else(|| "none".to_string());
    let mut countries = countries.into_sorted();
    // Equally reported countries in code order.
    countries.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut entities = entities.into_sorted();
    entities.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.0.cmp(&b.0.0)));
    let dates: Vec<&String> = members.iter().filter_map(|m| m.date.as_ref()).collect();

    EventRecord {
        newsx: SCHEMA_VERSION.to_string(),
        id,
        kind,
        category,
        date: DateRange {
            earliest: dates.iter().min().map(|d| d.to_string()),
            latest: dates.iter().max().map(|d| d.to_string()),
        },
        countries: countries.into_iter().map(|c| c.1).collect(),
        locations: locations.into_sorted().into_iter().map(|l| l.1).collect(),
        articles: members
            .iter()
            .map(|m| ArticleRef {
                id: m.id.clone(),
                path: m.path.clone(),
                language: m.language.clone(),
                published: m.published.clone(),
                date: m.date.clone(),
            })
            .collect(),
        languages,
        casualties: EventCasualties {
            killed: figures(&members, |m| &m.killed),
            wounded: figures(&members, |m| &m.wounded),
        },
        entities: entities
            .into_iter()
            .map(|((kind, _), name, articles)| EventEntity {
                kind,
                name,
                articles,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2021-06-28"), Some(18806));
        assert_eq!(
            parse_day("2020-02-29"),
            parse_day("2020-02-28").map(|d| d + 1)
        );
        assert_eq!(parse_day("2021-02-29"), None);
        assert_eq!(parse_day("2021-6-28"), None);
        assert_eq!(parse_day("２０２１-06-28"), None);
        assert_eq!(parse_day("2021-06-28T10:00"), Some(18806));
    }

    #[test]
    fn canonical_names() {
        assert_eq!(canon("Al-Qaim"), canon("al Qaim"));
        assert_eq!(canon("Abu Kamal"), "abukamal");
    }
}
