//! Grouping of article records into events: the scenarios of `fixtures/events-group/*.json` (see its
//! README), plus properties that hold for any input: order independence, streaming with a small buffer,
//! the schema, the CSV row.

use std::path::Path;

use newsx::Record;
use newsx::events::{self, EventRecord, Grouper, Options};
use newsx::record::{
    Casualties, Entity, EntityType, Event, Kind, Language, Mention, Qualifier, Scope, Tally,
};
use serde_json::{Value, json};

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn mentions(v: &Value, key: &str, kind: Kind) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in v.get(key).and_then(Value::as_array).into_iter().flatten() {
        let t = text(m, "text").unwrap_or_default();
        let qualifier: Qualifier =
            serde_json::from_value(m.get("q").cloned().unwrap_or(json!("exact")))
                .expect("qualifier");
        out.push(Mention {
            kind,
            count: m.get("n").and_then(Value::as_u64),
            qualifier,
            scope: Scope::Main,
            who: None,
            source: text(m, "source"),
            start: at,
            end: at + t.len(),
            text: t.clone(),
        });
        at += t.len() + 1;
    }
    out
}

fn tally(ms: &[Mention]) -> Option<Tally> {
    let mut figures: Vec<u64> = Vec::new();
    for c in ms.iter().filter_map(|m| m.count) {
        if !figures.contains(&c) {
            figures.push(c);
        }
    }
    Some(Tally {
        min: *figures.iter().min()?,
        max: *figures.iter().max()?,
        figures,
    })
}

/// A full record from the compact form of the fixtures.
fn record(v: &Value) -> Record {
    let kind = text(v, "type").unwrap_or_else(|| "none".into());
    let mut entities = Vec::new();
    for (key, kind) in [
        ("persons", EntityType::Person),
        ("organizations", EntityType::Organization),
        ("places", EntityType::Location),
    ] {
        for name in strings(v, key) {
            entities.push(Entity {
                kind,
                name,
                role: None,
                country: None,
                aliases: vec![],
                mentions: 1,
            });
        }
    }
    let killed = mentions(v, "killed", Kind::Killed);
    let wounded = mentions(v, "wounded", Kind::Wounded);
    let lang = text(v, "lang");
    let id = text(v, "id").expect("id");
    Record {
        newsx: "1".into(),
        path: format!("texts/{id}.txt"),
        id,
        title: None,
        published: text(v, "published"),
        language: Language {
            code: lang,
            name: None,
            script: None,
            confidence: 0.9,
            reliable: true,
        },
        event: Event {
            // The category is left for the grouping to derive from the type, as from a record that
            // gives only the type.
            kind,
            category: String::new(),
            date: text(v, "date"),
            countries: strings(v, "countries"),
            locations: strings(v, "locations"),
        },
        casualties: Casualties {
            killed: tally(&killed),
            wounded: tally(&wounded),
            mentions: killed.into_iter().chain(wounded).collect(),
        },
        entities,
        warnings: vec![],
    }
}

struct Scenario {
    file: String,
    records: Vec<Record>,
    expect: Value,
}

fn scenarios() -> Vec<Scenario> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events-group");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/events-group")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "scenarios missing in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("json");
            Scenario {
                file: p.display().to_string(),
                records: doc["records"]
                    .as_array()
                    .expect("records")
                    .iter()
                    .map(record)
                    .collect(),
                expect: doc["expect"].clone(),
            }
        })
        .collect()
}

fn scenario(name: &str) -> Scenario {
    scenarios()
        .into_iter()
        .find(|s| s.file.ends_with(name))
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

fn groups(events: &[EventRecord]) -> Vec<Vec<String>> {
    events
        .iter()
        .map(|e| e.articles.iter().map(|a| a.id.clone()).collect())
        .collect()
}

fn check_figures(file: &str, name: &str, got: Option<&events::Figures>, want: &Value) {
    if want.is_null() {
        assert!(got.is_none(), "{file}: {name}: expected none, got {got:?}");
        return;
    }
    let got = got.unwrap_or_else(|| panic!("{file}: {name}: no figures"));
    let actual = json!({"min": got.min, "max": got.max, "median": got.median, "conservative": got.conservative});
    for (k, v) in want.as_object().expect("figures object") {
        assert_eq!(&actual[k], v, "{file}: {name}.{k}");
    }
}

#[test]
fn scenarios_group_as_expected() {
    for s in scenarios() {
        let events = events::group(s.records.clone(), &Options::default());
        let want: Vec<Vec<String>> =
            serde_json::from_value(s.expect["groups"].clone()).expect("groups");
        assert_eq!(groups(&events), want, "{}", s.file);
        for check in s.expect["events"].as_array().into_iter().flatten() {
            let i = check["event"].as_u64().expect("event index") as usize;
            let e = &events[i];
            let f = &s.file;
            if let Some(t) = check.get("type") {
                assert_eq!(&json!(e.kind), t, "{f}: type");
            }
            if let Some(v) = check.get("countries") {
                assert_eq!(&json!(e.countries), v, "{f}: countries");
            }
            if let Some(v) = check.get("languages") {
                assert_eq!(&json!(e.languages), v, "{f}: languages");
            }
            if let Some(d) = check.get("date") {
                assert_eq!(&json!([e.date.earliest, e.date.latest]), d, "{f}: date");
            }
            if let Some(k) = check.get("killed") {
                check_figures(f, "killed", e.casualties.killed.as_ref(), k);
            }
            if let Some(w) = check.get("wounded") {
                check_figures(f, "wounded", e.casualties.wounded.as_ref(), w);
            }
            for a in check["attributed"].as_array().into_iter().flatten() {
                let figure = a["figure"].as_u64();
                let source = a["source"].as_str();
                let reports = e.casualties.killed.iter().chain(&e.casualties.wounded);
                let found = reports.flat_map(|x| &x.reports).any(|r| {
                    Some(r.figure) == figure
                        && r.source.as_deref() == source
                        && !r.text.is_empty()
                        && e.articles.iter().any(|x| x.id == r.article)
                });
                assert!(found, "{f}: figure {a} not attributed");
            }
        }
    }
}

#[test]
fn output_does_not_depend_on_input_order() {
    for s in scenarios() {
        let forward = events::group(s.records.clone(), &Options::default());
        let backward = events::group(s.records.iter().rev().cloned(), &Options::default());
        assert_eq!(forward, backward, "{}", s.file);
    }
}

#[test]
fn seed_like_event_has_expected_shape() {
    let s = scenario("seed-strikes.json");
    let events = events::group(s.records, &Options::default());
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.articles.len(), 5);
    assert_eq!(e.category, "explosions_remote_violence");
    assert!(e.id.starts_with("ev_") && e.id.len() == 19);
    let killed = e.casualties.killed.as_ref().expect("killed");
    assert_eq!(killed.reports.iter().filter(|r| r.lead).count(), 5);
    assert_eq!(killed.reports.len(), 12);
    let pmf = e
        .entities
        .iter()
        .find(|x| x.name == "Popular Mobilization Forces")
        .expect("PMF");
    assert_eq!(pmf.articles, 5);
    // The most widely named entities come first.
    assert!(
        e.entities
            .windows(2)
            .all(|w| w[0].articles >= w[1].articles)
    );
}

#[test]
fn stable_id_from_members() {
    let s = scenario("same-day-attacks.json");
    let a = events::group(s.records.clone(), &Options::default());
    let b = events::group(s.records.iter().rev().cloned(), &Options::default());
    assert_eq!(a[0].id, b[0].id);
    assert_ne!(a[0].id, a[1].id);
}

#[test]
fn options_are_honoured() {
    let s = scenario("three-languages.json");
    let strict = Options {
        threshold: 1.01,
        undated_threshold: 1.01,
        ..Options::default()
    };
    assert_eq!(events::group(s.records.clone(), &strict).len(), 4);
    // With a zero-day window, the reports still agree on the event date and merge.
    let narrow = Options {
        window_days: 0,
        ..Options::default()
    };
    assert_eq!(events::group(s.records, &narrow).len(), 2);
    let s = scenario("window.json");
    let wide = Options {
        window_days: 10,
        ..Options::default()
    };
    assert_eq!(events::group(s.records, &wide).len(), 1);
}

/// Synthetic stream in date order: `n` events, each reported by up to four articles a day or two apart.
fn synthetic(n: u64) -> Vec<Record> {
    let mut out = Vec::new();
    let mut state: u64 = 0x1234_5678;
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    for e in 0..n {
        let day = 1 + e / 40;
        let country = ["IQ", "SY", "NG", "AF"][next(4) as usize];
        let kind = ["air_drone_strike", "armed_clash", "peaceful_protest"][next(3) as usize];
        let town = format!("Town{}", next(60));
        let group = format!("Group{}", next(30));
        let copies = 1 + next(4);
        for k in 0..copies {
            let d = (day + next(2)).min(28);
            let v = json!({
                "id": format!("e{e:05}-{k}"), "lang": "en",
                "published": format!("2024-01-{d:02}"), "date": format!("2024-01-{d:02}"),
                "type": kind, "countries": [country], "locations": [town],
                "organizations": [group], "persons": [format!("Person{}", next(500))], "places": [country],
                "killed": [{"n": next(20), "text": "killed"}]
            });
            out.push(record(&v));
        }
    }
    out.sort_by(|a, b| a.event.date.cmp(&b.event.date));
    out
}

#[test]
fn small_buffer_streams_the_same_events_for_date_ordered_input() {
    let records = synthetic(600);
    let all = events::group(records.clone(), &Options::default());
    let small = Options {
        max_buffered: 16,
        ..Options::default()
    };
    let mut grouper = Grouper::new(small);
    let mut streamed = Vec::new();
    let mut early = 0;
    for r in records.clone() {
        grouper.push(r);
        let ready: Vec<_> = grouper.ready().collect();
        early += ready.len();
        streamed.extend(ready);
    }
    streamed.extend(grouper.finish());
    assert!(early > 0, "nothing was written before the end");
    assert_eq!(groups(&all), groups(&streamed));
    assert_eq!(all, streamed);
    // Every record is in exactly one event, and most events have several.
    let n: usize = all.iter().map(|e| e.articles.len()).sum();
    assert_eq!(n, records.len());
    assert!(all.len() < records.len() * 2 / 3, "{} events", all.len());
}

#[test]
fn events_match_their_schema_and_csv_columns() {
    let schema = serde_json::to_value(schemars::schema_for!(EventRecord)).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    for s in scenarios() {
        for e in events::group(s.records, &Options::default()) {
            let v = serde_json::to_value(&e).expect("serialize");
            assert!(validator.is_valid(&v), "{}: {v}", s.file);
            let back: EventRecord = serde_json::from_value(v).expect("deserialize");
            assert_eq!(back, e);
            assert_eq!(events::csv_row(&e).len(), events::CSV_COLUMNS.len());
        }
    }
}

#[test]
fn hostile_input_does_not_panic() {
    let mut r = record(
        &json!({"id": "x", "type": "", "date": "9999-99-99", "published": "0000-01-01",
        "countries": ["", "iq", "IQ"], "locations": ["", "---"], "places": ["", "!!!"]}),
    );
    r.casualties.killed = Some(Tally {
        min: u64::MAX,
        max: u64::MAX,
        figures: vec![],
    });
    let events = events::group(vec![r.clone(), r], &Options::default());
    assert!(!events.is_empty());
    let zero = Options {
        max_buffered: 0,
        window_days: u32::MAX,
        threshold: f64::NAN,
        undated_threshold: -1.0,
    };
    let _ = events::group(synthetic(20), &zero);
}

#[test]
fn a_record_read_twice_counts_once() {
    let s = scenario("seed-strikes.json");
    let twice: Vec<Record> = s.records.iter().chain(&s.records).cloned().collect();
    let events = events::group(twice, &Options::default());
    assert_eq!(
        groups(&events),
        groups(&events::group(s.records, &Options::default()))
    );
}

#[test]
fn unsorted_stream_with_small_buffer_keeps_every_record_once() {
    let mut mixed = synthetic(300);
    // A fixed shuffle: by a hash of the id.
    mixed.sort_by_key(|r| {
        r.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    });
    let n = mixed.len();
    let opts = Options {
        max_buffered: 8,
        ..Options::default()
    };
    let events = events::group(mixed, &opts);
    let mut ids: Vec<String> = events
        .iter()
        .flat_map(|e| e.articles.iter().map(|a| a.id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert_eq!(events.iter().map(|e| e.articles.len()).sum::<usize>(), n);
}
