//! The embedded name data: the generated place table (data/gazetteer.tsv, sorted, searched in place
//! with no build step beyond indexing its line starts) and the curated organizations and people
//! (data/organizations.toml, data/people.toml), loaded once on first use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use super::key::key_of;

static TABLE: &str = include_str!("../../../data/gazetteer.tsv");
static ORGS: &str = include_str!("../../../data/organizations.toml");
static PEOPLE: &str = include_str!("../../../data/people.toml");

/// What a gazetteer row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A country.
    Country,
    /// A demonym of a country ("Iraqi", "irakien").
    Demonym,
    /// A first-level region, river, territory.
    Region,
    /// A city or town.
    Place,
    /// A country's capital (often named for its government).
    Capital,
}

/// How the text must be written for a row to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Every letter upper case (acronyms like "US").
    Upper,
    /// First letter upper case.
    Capital,
    /// Any case.
    Any,
    /// A common word too: only after a locative word, or capitalized inside a sentence.
    Weak,
    /// A German noun too: like `Capital`, but not taken in languages that capitalize nouns.
    Noun,
}

/// One row of the place table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// What it names.
    pub kind: PlaceKind,
    /// How it must be written.
    pub case: Case,
    /// Canonical English name.
    pub name: &'static str,
    /// ISO alpha-2 country code.
    pub cc: &'static str,
    /// Larger wins among rows of one key (kind priority, then population).
    pub rank: u64,
}

/// Byte offsets of the table's line starts.
fn lines() -> &'static [u32] {
    static LINES: OnceLock<Vec<u32>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut v = Vec::with_capacity(TABLE.len() / 32);
        v.push(0);
        for (i, b) in TABLE.bytes().enumerate() {
            if b == b'\n' && i + 1 < TABLE.len() {
                v.push((i + 1) as u32);
            }
        }
        v
    })
}

fn line(i: usize) -> &'static str {
    let l = lines();
    let (Some(&s), e) = (l.get(i), l.get(i + 1).copied()) else {
        return "";
    };
    let e = e.map_or(TABLE.len(), |e| e as usize);
    TABLE
        .get(s as usize..e)
        .unwrap_or("")
        .trim_end_matches('\n')
}

fn line_key(i: usize) -> &'static str {
    let l = line(i);
    l.split('\t').next().unwrap_or("")
}

/// First line whose key is not less than `key`.
fn lower_bound(key: &str) -> usize {
    let n = lines().len();
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if line_key(mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The rows of a folded key, best first.
pub fn lookup(key: &str) -> Vec<Row> {
    let mut out = Vec::new();
    let mut i = lower_bound(key);
    while i < lines().len() && line_key(i) == key {
        if let Some(r) = parse_row(line(i)) {
            out.push(r);
        }
        i += 1;
    }
    out
}

/// Whether some key starts with `prefix` followed by a space (a longer name may still match).
pub fn has_longer(prefix: &str) -> bool {
    let mut p = String::with_capacity(prefix.len() + 1);
    p.push_str(prefix);
    p.push(' ');
    let i = lower_bound(&p);
    i < lines().len() && line_key(i).starts_with(&p)
}

fn parse_row(l: &'static str) -> Option<Row> {
    let mut f = l.split('\t');
    let _key = f.next()?;
    let kind = match f.next()? {
        "C" => PlaceKind::Country,
        "D" => PlaceKind::Demonym,
        "R" => PlaceKind::Region,
        "K" => PlaceKind::Capital,
        _ => PlaceKind::Place,
    };
    let case = match f.next()? {
        "U" => Case::Upper,
        "C" => Case::Capital,
        "W" => Case::Weak,
        "G" => Case::Noun,
        _ => Case::Any,
    };
    let name = f.next()?;
    let cc = f.next()?;
    let rank = f.next()?.parse().unwrap_or(0);
    Some(Row {
        kind,
        case,
        name,
        cc,
        rank,
    })
}

/// English name of a country code, from the table's country rows.
pub fn country_name(cc: &str) -> Option<&'static str> {
    names_by_cc().get(cc).copied()
}

fn names_by_cc() -> &'static HashMap<&'static str, &'static str> {
    static M: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m = HashMap::new();
        for i in 0..lines().len() {
            let l = line(i);
            let mut f = l.split('\t');
            if let (Some(_), Some("C"), Some(_), Some(name), Some(cc)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            {
                m.entry(cc).or_insert(name);
            }
        }
        m
    })
}

/// A curated organization or person.
#[derive(Debug, Clone, Deserialize)]
pub struct Known {
    /// Canonical English name.
    pub name: String,
    /// Other names, in any of the languages.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Country it belongs to, when one (informative).
    #[serde(default, rename = "country")]
    pub _country: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OrgFile {
    #[serde(default)]
    org: Vec<Known>,
}

#[derive(Debug, Deserialize)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<Known>,
}

/// Whether a curated entry is an organization or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownKind {
    /// From data/organizations.toml.
    Org,
    /// From data/people.toml.
    Person,
}

/// The curated names, indexed by folded alias.
#[derive(Debug, Default)]
pub struct Curated {
    /// Organizations.
    pub orgs: Vec<Known>,
    /// People.
    pub people: Vec<Known>,
    /// Folded alias → (kind, index, case rule).
    pub by_key: HashMap<String, Vec<(KnownKind, usize, Case)>>,
    /// Most tokens in one alias.
    pub max_tokens: usize,
    /// Every word-boundary prefix of a folded alias that a longer alias continues.
    pub prefixes: HashSet<String>,
}

/// The curated names (parsed on first use).
pub fn curated() -> &'static Curated {
    static C: OnceLock<Curated> = OnceLock::new();
    C.get_or_init(|| {
        let orgs = toml::from_str::<OrgFile>(ORGS)
            .map(|f| f.org)
            .unwrap_or_default();
        let people = toml::from_str::<PeopleFile>(PEOPLE)
            .map(|f| f.person)
            .unwrap_or_default();
        let mut c = Curated {
            orgs,
            people,
            ..Curated::default()
        };
        let add = |kind: KnownKind, idx: usize, alias: &str, c: &mut Curated| {
            let key = key_of(alias);
            if key.is_empty() {
                return;
            }
            c.max_tokens = c.max_tokens.max(key.split(' ').count());
            for (p, _) in key.match_indices(' ') {
                c.prefixes.insert(key[..p].to_string());
            }
            let case = case_of(alias);
            let v = c.by_key.entry(key).or_default();
            match v.iter_mut().find(|(k, i, _)| *k == kind && *i == idx) {
                // One entry per name; the most permissive case rule of its spellings wins.
                Some(e) => {
                    if case_rank(case) < case_rank(e.2) {
                        e.2 = case;
                    }
                }
                None => v.push((kind, idx, case)),
            }
        };
        let orgs = spellings(&c.orgs);
        for (i, names) in orgs {
            for a in names {
                add(KnownKind::Org, i, &a, &mut c);
            }
        }
        let people = spellings(&c.people);
        for (i, names) in people {
            for a in names {
                add(KnownKind::Person, i, &a, &mut c);
            }
        }
        c
    })
}

fn case_rank(c: Case) -> u8 {
    match c {
        Case::Any => 0,
        Case::Capital => 1,
        Case::Weak | Case::Noun => 2,
        Case::Upper => 3,
    }
}

/// How an alias as written must appear in a text: acronyms in capitals, capitalized names with a
/// capital, lower-case (or uncased) ones in any case.
pub fn case_of(alias: &str) -> Case {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    let Some(first) = letters.first() else {
        return Case::Any;
    };
    if letters.len() <= 6 && letters.iter().all(|c| c.is_uppercase()) {
        Case::Upper
    } else if first.is_uppercase() {
        Case::Capital
    } else {
        Case::Any
    }
}

/// Every spelling (name, then aliases) of each curated entry, by index: collected first, because adding
/// them borrows the curated data mutably.
fn spellings(list: &[Known]) -> Vec<(usize, Vec<String>)> {
    list.iter()
        .enumerate()
        .map(|(i, k)| {
            (
                i,
                std::iter::once(&k.name)
                    .chain(&k.aliases)
                    .cloned()
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_finds_countries() {
        let n = lines().len();
        assert!(n > 1000);
        for i in 1..n.min(5000) {
            assert!(line_key(i - 1) <= line_key(i), "line {i} out of order");
        }
        let rows = lookup("iraq");
        assert!(
            rows.iter()
                .any(|r| r.kind == PlaceKind::Country && r.cc == "IQ")
        );
        assert!(has_longer("abu"));
        assert_eq!(country_name("SY"), Some("Syria"));
    }

    #[test]
    fn curated_files_parse() {
        let c = curated();
        assert!(c.orgs.len() > 50);
        assert!(c.by_key.contains_key("hashd al shaabi"));
    }
}
