//! Grouping benchmark: synthetic article records (one million by default) streamed through
//! [`newsx::events::Grouper`], as `newsx events` would read them from a crawl in publication order.
//!
//! `cargo bench --bench events -- [RECORDS] [threshold=X] [undated=X] [buffer=N]`, or under `/usr/bin/time -v` for the peak memory
//! (`scripts/bench-events.sh`). Prints the grouping time, the throughput, and the pairwise precision and
//! recall of the events against the synthetic truth (record ids are `e<event>-<report>`).
//!
//! The world: a year of events in 60 countries, about 1,100 a day, each reported by one to six articles
//! published up to two days later. Reports name the event's town (usually), some of its organizations
//! and people, the country, and a few unrelated names; one in ten gives no event date (its publication
//! date stands in), one in twenty no date at all, one in fifty no country.

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use newsx::Record;
use newsx::events::{EventRecord, Grouper, Options};
use newsx::record::{
    Casualties, Entity, EntityType, Event, Kind, Language, Mention, Qualifier, Scope, Tally,
};

const KINDS: &[&str] = &[
    "air_drone_strike",
    "shelling_artillery_missile",
    "remote_explosive",
    "armed_clash",
    "attack",
    "abduction",
    "peaceful_protest",
    "protest_with_intervention",
    "violent_demonstration",
    "arrests",
    "none",
];
const LANGS: &[&str] = &["en", "fr", "es", "ar", "de", "pt", "it", "ru"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Truth {
    day: u64,
    kind: &'static str,
    country: String,
    towns: Vec<String>,
    orgs: Vec<String>,
    persons: Vec<String>,
    killed: u64,
}

fn date(day: u64) -> String {
    // 2023 is not a leap year; days past the year roll into 2024 (day counts stay below 730).
    let (year, mut d) = if day < 365 {
        (2023, day)
    } else {
        (2024, day - 365)
    };
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    while let Some(&len) = months.get(m) {
        if d < len {
            break;
        }
        d -= len;
        m += 1;
    }
    format!("{year}-{:02}-{:02}", m + 1, d + 1)
}

fn entity(kind: EntityType, name: String) -> Entity {
    Entity {
        kind,
        name,
        role: None,
        country: None,
        aliases: vec![],
        mentions: 1,
    }
}

fn report(rng: &mut Rng, e: &Truth, id: String, published: u64) -> Record {
    let mut locations = Vec::new();
    for t in &e.towns {
        if rng.chance(85) {
            locations.push(t.clone());
        }
    }
    let mut entities = vec![entity(
        EntityType::Location,
        format!("Country {}", e.country),
    )];
    for o in &e.orgs {
        if rng.chance(70) {
            entities.push(entity(EntityType::Organization, o.clone()));
        }
    }
    for p in &e.persons {
        if rng.chance(60) {
            entities.push(entity(EntityType::Person, p.clone()));
        }
    }
    // Names in passing: a world leader, a common agency, a random place.
    entities.push(entity(
        EntityType::Person,
        format!("Leader {}", rng.below(40)),
    ));
    entities.push(entity(
        EntityType::Organization,
        format!("Agency {}", rng.below(25)),
    ));
    entities.push(entity(
        EntityType::Location,
        format!("Place {}", rng.below(5000)),
    ));
    let figure = (e.killed + rng.below(3)).saturating_sub(1);
    let mut mentions = vec![Mention {
        kind: Kind::Killed,
        count: Some(figure),
        qualifier: Qualifier::Exact,
        scope: Scope::Main,
        who: None,
        source: rng.chance(50).then(|| format!("Agency {}", rng.below(25))),
        text: format!("{figure} people were killed in the attack, officials said"),
        start: 120,
        end: 180,
    }];
    if rng.chance(30) {
        mentions.push(Mention {
            kind: Kind::Wounded,
            count: Some(figure * 2),
            qualifier: Qualifier::AtLeast,
            scope: Scope::Main,
            who: None,
            source: None,
            text: format!("at least {} were wounded", figure * 2),
            start: 200,
            end: 230,
        });
    }
    let tally = |k: Kind| {
        let f: Vec<u64> = mentions
            .iter()
            .filter(|m| m.kind == k)
            .filter_map(|m| m.count)
            .collect();
        Some(Tally {
            min: *f.iter().min()?,
            max: *f.iter().max()?,
            figures: f,
        })
    };
    let undated = rng.chance(5);
    let kind = e.kind.to_string();
    Record {
        newsx: "1".into(),
        path: format!("crawl/{id}.txt"),
        title: Some(format!("Attack in {}", e.towns.first().map_or("", |t| t))),
        published: (!undated).then(|| date(published)),
        language: Language {
            code: Some(LANGS[rng.below(LANGS.len() as u64) as usize].into()),
            name: None,
            script: None,
            confidence: 0.9,
            reliable: true,
        },
        event: Event {
            category: String::new(),
            kind,
            date: (!undated && rng.chance(90)).then(|| date(e.day)),
            countries: if rng.chance(98) {
                vec![e.country.clone()]
            } else {
                vec![]
            },
            locations,
        },
        casualties: Casualties {
            killed: tally(Kind::Killed),
            wounded: tally(Kind::Wounded),
            mentions,
        },
        entities,
        warnings: vec![],
        id,
    }
}

#[derive(Default)]
struct Score {
    events: usize,
    records: usize,
    predicted_pairs: u64,
    true_positive_pairs: u64,
    /// Records in an event with a majority of another event's reports.
    stray_dated: u64,
    stray_undated: u64,
}

impl Score {
    fn add(&mut self, e: &EventRecord) {
        self.events += 1;
        self.records += e.articles.len();
        let n = e.articles.len() as u64;
        self.predicted_pairs += n * n.saturating_sub(1) / 2;
        let mut by_truth: HashMap<&str, u64> = HashMap::new();
        for a in &e.articles {
            let truth = a.id.split('-').next().unwrap_or("");
            *by_truth.entry(truth).or_default() += 1;
        }
        if let Some(major) = by_truth.iter().max_by_key(|x| (*x.1, *x.0)).map(|x| *x.0) {
            for a in &e.articles {
                if a.id.split('-').next() != Some(major) {
                    if a.date.is_some() {
                        self.stray_dated += 1;
                    } else {
                        self.stray_undated += 1;
                    }
                }
            }
        }
        self.true_positive_pairs += by_truth
            .values()
            .map(|k| k * k.saturating_sub(1) / 2)
            .sum::<u64>();
    }
}

fn main() {
    let target: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let countries: Vec<String> = (0..60).map(|i| format!("C{i:02}")).collect();
    // `threshold=X`, `undated=X` and `buffer=N` try other options.
    let mut opts = Options::default();
    for a in std::env::args().skip(1) {
        if let Some(x) = a.strip_prefix("threshold=").and_then(|x| x.parse().ok()) {
            opts.threshold = x;
        }
        if let Some(x) = a.strip_prefix("undated=").and_then(|x| x.parse().ok()) {
            opts.undated_threshold = x;
        }
        if let Some(x) = a.strip_prefix("buffer=").and_then(|x| x.parse().ok()) {
            opts.max_buffered = x;
        }
    }
    let mut grouper = Grouper::new(opts);
    let mut score = Score::default();
    let mut in_group = Duration::ZERO;
    let mut true_pairs = 0u64;
    let mut pushed = 0u64;
    let mut generated = 0u64;
    let mut event_no = 0u64;
    let per_day = target / 365 / 3 + 1;
    // Reports waiting for their publication day.
    let mut queue: BTreeMap<u64, Vec<Record>> = BTreeMap::new();
    let started = Instant::now();
    let mut day = 0u64;
    while generated < target || !queue.is_empty() {
        for _ in 0..per_day {
            if generated >= target {
                break;
            }
            let country = countries[rng.below(60) as usize].clone();
            let towns = (0..1 + rng.below(2))
                .map(|_| format!("Town {} {}", country, rng.below(400)))
                .collect();
            let e = Truth {
                day,
                kind: KINDS[rng.below(KINDS.len() as u64) as usize],
                towns,
                orgs: (0..1 + rng.below(3))
                    .map(|_| format!("Org {}", rng.below(3000)))
                    .collect(),
                persons: (0..rng.below(3))
                    .map(|_| format!("Person {}", rng.below(20000)))
                    .collect(),
                country,
                killed: rng.below(30),
            };
            let copies = (1 + rng.below(5) + u64::from(rng.chance(10))).min(target - generated);
            generated += copies;
            true_pairs += copies * (copies - 1) / 2;
            for k in 0..copies {
                let published = day + rng.below(3);
                let r = report(&mut rng, &e, format!("e{event_no}-{k}"), published);
                queue.entry(published).or_default().push(r);
            }
            event_no += 1;
        }
        for r in queue.remove(&day).into_iter().flatten() {
            let t = Instant::now();
            grouper.push(r);
            let ready: Vec<EventRecord> = grouper.ready().collect();
            in_group += t.elapsed();
            ready.iter().for_each(|e| score.add(e));
            pushed += 1;
        }
        day += 1;
    }
    let t = Instant::now();
    let rest = grouper.finish();
    in_group += t.elapsed();
    rest.iter().for_each(|e| score.add(e));
    let total = started.elapsed();
    let secs = in_group.as_secs_f64();
    println!("records             {pushed}");
    println!("events              {}", score.events);
    println!("records in events   {}", score.records);
    println!(
        "grouping time       {secs:.2} s ({:.0} records/s)",
        pushed as f64 / secs
    );
    println!("total with synthesis {:.2} s", total.as_secs_f64());
    println!(
        "pairwise precision  {:.3}",
        score.true_positive_pairs as f64 / score.predicted_pairs.max(1) as f64
    );
    println!(
        "strays              {} dated, {} undated (records grouped with another event's reports)",
        score.stray_dated, score.stray_undated
    );
    println!(
        "pairwise recall     {:.3} (of {true_pairs} same-event pairs; reports missing a date or country cannot pair)",
        score.true_positive_pairs as f64 / true_pairs.max(1) as f64
    );
}
