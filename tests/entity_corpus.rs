//! Entity corpus: the multilingual reports of fixtures/entities/*.jsonl, each with the people,
//! organizations, places and event countries a reader finds in it, and a score on the seed articles
//! against fixtures/gold/seeds.jsonl.
//!
//! An expected name matches an entity when one of its alternatives (separated by `|`) equals,
//! after folding case, accents and hyphens, the entity's name or one of its aliases.

use std::collections::HashSet;
use std::fs;

use newsx::record::{EntityType, Record};
use newsx::{Article, Engine};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    lang: String,
    text: String,
    #[serde(default)]
    persons: Vec<String>,
    #[serde(default)]
    organizations: Vec<String>,
    #[serde(default)]
    locations: Vec<String>,
    #[serde(default)]
    countries: Vec<String>,
    /// Names that must not come out as an entity of any type.
    #[serde(default)]
    absent: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Gold {
    id: String,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    persons: Vec<String>,
    #[serde(default)]
    organizations: Vec<String>,
    #[serde(default)]
    locations: Vec<String>,
}

fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let s: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '-' | '\u{2019}' | '\'' | '.' | ',' => ' ',
            'ة' => 'ه',
            'ى' => 'ي',
            _ => c,
        })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn names_of(rec: &Record, ty: EntityType) -> Vec<Vec<String>> {
    rec.entities
        .iter()
        .filter(|e| e.kind == ty)
        .map(|e| {
            std::iter::once(&e.name)
                .chain(e.aliases.iter())
                .map(|n| fold(n))
                .collect()
        })
        .collect()
}

/// (matched gold items, gold items, matched entities, entities)
fn score(
    rec: &Record,
    ty: EntityType,
    gold: &[String],
) -> (usize, usize, usize, usize, Vec<String>, Vec<String>) {
    let ents = names_of(rec, ty);
    let alts: Vec<Vec<String>> = gold
        .iter()
        .map(|g| g.split('|').map(fold).collect())
        .collect();
    let hit = |e: &Vec<String>, a: &Vec<String>| e.iter().any(|n| a.contains(n));
    let mut missed = Vec::new();
    let found = alts
        .iter()
        .zip(gold)
        .filter(|(a, g)| {
            let ok = ents.iter().any(|e| hit(e, a));
            if !ok {
                missed.push((*g).clone());
            }
            ok
        })
        .count();
    let mut extra = Vec::new();
    let correct = ents
        .iter()
        .filter(|e| {
            let ok = alts.iter().any(|a| hit(e, a));
            if !ok {
                extra.push(e.first().cloned().unwrap_or_default());
            }
            ok
        })
        .count();
    (found, gold.len(), correct, ents.len(), missed, extra)
}

const TYPES: [(EntityType, &str); 3] = [
    (EntityType::Person, "person"),
    (EntityType::Organization, "organization"),
    (EntityType::Location, "location"),
];

fn gold_of(g: &Gold, ty: EntityType) -> &[String] {
    match ty {
        EntityType::Person => &g.persons,
        EntityType::Organization => &g.organizations,
        EntityType::Location => &g.locations,
    }
}

#[test]
fn seeds_entities_and_countries() {
    let engine = Engine::new().expect("engine");
    let gold = fs::read_to_string("fixtures/gold/seeds.jsonl").expect("gold");
    let mut totals = [[0usize; 4]; 3];
    let mut failures = Vec::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let g: Gold = serde_json::from_str(line).expect("gold line");
        let path = format!("fixtures/seeds/{}.txt", g.id);
        let text = fs::read_to_string(&path).expect("seed");
        let rec = engine.extract(Article::new(&g.id, &path, &text));
        let got: HashSet<&str> = rec.event.countries.iter().map(String::as_str).collect();
        let want: HashSet<&str> = g.countries.iter().map(String::as_str).collect();
        if got != want {
            failures.push(format!(
                "{}: countries {:?}, want {:?}",
                g.id, rec.event.countries, g.countries
            ));
        }
        for (k, (ty, name)) in TYPES.iter().enumerate() {
            let (f, n, c, m, missed, extra) = score(&rec, *ty, gold_of(&g, *ty));
            totals[k][0] += f;
            totals[k][1] += n;
            totals[k][2] += c;
            totals[k][3] += m;
            if !missed.is_empty() || !extra.is_empty() {
                eprintln!("{} {name}: missed {missed:?} extra {extra:?}", g.id);
            }
        }
    }
    for (k, (_, name)) in TYPES.iter().enumerate() {
        let [f, n, c, m] = totals[k];
        let recall = f as f64 / n.max(1) as f64;
        let precision = c as f64 / m.max(1) as f64;
        eprintln!("seeds {name}: recall {recall:.3} ({f}/{n}) precision {precision:.3} ({c}/{m})");
        if recall < 0.9 {
            failures.push(format!("{name} recall {recall:.3} < 0.9"));
        }
        if precision < 0.8 {
            failures.push(format!("{name} precision {precision:.3} < 0.8"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn multilingual_corpus() {
    let mut failures = Vec::new();
    let mut totals = [[0usize; 4]; 3];
    let mut files = 0;
    for lang in ["eng", "fra", "spa", "por", "ita", "deu", "rus", "ara"] {
        let path = format!("fixtures/entities/{lang}.jsonl");
        let Ok(data) = fs::read_to_string(&path) else {
            failures.push(format!("{path} missing"));
            continue;
        };
        files += 1;
        let code = &lang[..2];
        let code = match lang {
            "eng" => "en",
            "fra" => "fr",
            "spa" => "es",
            "por" => "pt",
            "ita" => "it",
            "deu" => "de",
            "rus" => "ru",
            "ara" => "ar",
            _ => code,
        };
        let engine = Engine::new()
            .expect("engine")
            .with_language(Some(code.to_string()));
        let mut cases = 0;
        for (ln, line) in data.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let c: Case =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", ln + 1));
            cases += 1;
            assert_eq!(c.lang, code, "{path}: lang of {}", c.id);
            let rec = engine.extract(Article::new(&c.id, &path, &c.text));
            let g = Gold {
                id: c.id.clone(),
                countries: c.countries.clone(),
                persons: c.persons.clone(),
                organizations: c.organizations.clone(),
                locations: c.locations.clone(),
            };
            for (k, (ty, name)) in TYPES.iter().enumerate() {
                let (f, n, cc, m, missed, extra) = score(&rec, *ty, gold_of(&g, *ty));
                totals[k][0] += f;
                totals[k][1] += n;
                totals[k][2] += cc;
                totals[k][3] += m;
                if !missed.is_empty() {
                    failures.push(format!(
                        "{lang} {}: {name} missed {missed:?} (extra {extra:?})",
                        g.id
                    ));
                } else if !extra.is_empty() {
                    eprintln!("{lang} {}: {name} extra {extra:?}", g.id);
                }
            }
            if !c.countries.is_empty() {
                let got: HashSet<&str> = rec.event.countries.iter().map(String::as_str).collect();
                let want: HashSet<&str> = c.countries.iter().map(String::as_str).collect();
                if got != want {
                    failures.push(format!(
                        "{lang} {}: countries {:?}, want {:?}",
                        c.id, rec.event.countries, c.countries
                    ));
                }
            }
            for a in &c.absent {
                let fa = fold(a);
                if rec
                    .entities
                    .iter()
                    .any(|e| fold(&e.name) == fa || e.aliases.iter().any(|x| fold(x) == fa))
                {
                    failures.push(format!("{lang} {}: {a:?} must not be an entity", c.id));
                }
            }
        }
        if cases < 15 {
            failures.push(format!("{path}: {cases} reports, want at least 15"));
        }
    }
    for (k, (_, name)) in TYPES.iter().enumerate() {
        let [f, n, c, m] = totals[k];
        eprintln!(
            "corpus {name}: recall {:.3} ({f}/{n}) precision {:.3} ({c}/{m})",
            f as f64 / n.max(1) as f64,
            c as f64 / m.max(1) as f64
        );
        let precision = c as f64 / m.max(1) as f64;
        if precision < 0.8 {
            failures.push(format!("corpus {name} precision {precision:.3} < 0.8"));
        }
    }
    assert_eq!(files, 8, "{}", failures.join("\n"));
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
