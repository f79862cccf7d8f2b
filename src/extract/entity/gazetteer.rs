//! The embedded name data: the generated place table (data/gazetteer.tsv, sorted, searched in place
//! through the hash index generated with it, data/gazetteer.idx) and the curated organizations and people
//! (data/organizations.toml, data/people.toml), loaded once on first use.

use std::sync::OnceLock;

use serde::Deserialize;

use super::key::{FastBuild, WordMap, key_of};

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

impl Row {
    /// Whether the row comes from data/places.toml: the generator gives curated places and
    /// regions these ranks (`CURATED_PLACE_RANK + 1`, `REGION_RANK + 1`), unless a source row of the
    /// same name ranks higher.
    pub fn curated(&self) -> bool {
        matches!(self.rank, 50_000_001 | 3_000_000_001)
    }
}

/// The hash index over [`TABLE`] written with it by scripts/gen_gazetteer.py (layout described
/// there): searched in place, so start-up parses nothing.
static INDEX: &[u8] = include_bytes!("../../../data/gazetteer.idx");

const HEADER: usize = 12;
const EXACT: u32 = 1 << 30;
const LONGER: u32 = 1 << 31;
const OFFSET: u32 = EXACT - 1;

fn word(at: usize) -> Option<u32> {
    let b = INDEX.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn slot_count() -> usize {
    word(8).unwrap_or(0) as usize
}

/// FNV-1a, 64 bits: the hash the generator places keys by.
fn fnv1a(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h = (h ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What the table holds for one folded key.
#[derive(Debug, Clone, Copy, Default)]
pub struct Probe {
    /// Byte offset of the key's first row, when the key has rows.
    first: Option<usize>,
    /// Some longer key starts with this one and a space.
    pub longer: bool,
}

impl Probe {
    /// The key's rows, best first.
    pub fn rows(self) -> Rows {
        Rows {
            at: self.first.unwrap_or(TABLE.len()),
            first: 0,
            key_len: 0,
        }
    }
}

/// The rows of one key, in table order (best first).
#[derive(Debug, Clone)]
pub struct Rows {
    /// Next line to read.
    at: usize,
    /// Where the first row starts and the length of its key with the tab (0 before it is read).
    first: usize,
    key_len: usize,
}

impl Iterator for Rows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let b = TABLE.as_bytes();
        let start = self.at;
        let rest = b.get(start..)?;
        if self.key_len == 0 {
            self.first = start;
            self.key_len = rest.iter().position(|&x| x == b'\t')? + 1;
        } else if rest.get(..self.key_len) != b.get(self.first..self.first + self.key_len) {
            return None;
        }
        let (row, next) = read_fields(TABLE, start + self.key_len)?;
        self.at = next;
        Some(row)
    }
}

/// Looks a folded key up.
pub fn probe(key: &str) -> Probe {
    let n = slot_count();
    if n == 0 || !n.is_power_of_two() || key.is_empty() {
        return Probe::default();
    }
    let mut i = (fnv1a(key.as_bytes()) as usize) & (n - 1);
    // The table is at most half full, so an empty slot comes soon; `n` probes bound it anyway.
    for _ in 0..n {
        let Some(v) = word(HEADER + 4 * i) else {
            break;
        };
        if v == 0 {
            break;
        }
        let off = (v & OFFSET) as usize;
        let b = TABLE.as_bytes();
        if b.get(off..off + key.len()) == Some(key.as_bytes()) {
            let next = b.get(off + key.len()).copied();
            let exact = v & EXACT != 0;
            if (exact && next == Some(b'\t')) || (!exact && next == Some(b' ')) {
                return Probe {
                    first: exact.then_some(off),
                    longer: v & LONGER != 0,
                };
            }
        }
        i = (i + 1) & (n - 1);
    }
    Probe::default()
}

/// The rows of a folded key, best first.
pub fn lookup(key: &str) -> Rows {
    probe(key).rows()
}

fn parse_row(l: &'static str) -> Option<Row> {
    read_fields(l, l.find('\t')? + 1).map(|(r, _)| r)
}

/// Reads the fields after a row's key, from byte `at` of `text`: kind and case (one letter each),
/// name, code, rank. Returns the row and where the next line starts.
fn read_fields(text: &'static str, at: usize) -> Option<(Row, usize)> {
    let b = text.as_bytes();
    let &[kind, b'\t', case, b'\t'] = b.get(at..at + 4)? else {
        return None;
    };
    let kind = match kind {
        b'C' => PlaceKind::Country,
        b'D' => PlaceKind::Demonym,
        b'R' => PlaceKind::Region,
        b'K' => PlaceKind::Capital,
        _ => PlaceKind::Place,
    };
    let case = match case {
        b'U' => Case::Upper,
        b'C' => Case::Capital,
        b'W' => Case::Weak,
        b'G' => Case::Noun,
        _ => Case::Any,
    };
    // Plain byte loops: the fields are a few bytes long, too short for memchr to pay.
    let tab = |from: usize| -> Option<usize> {
        Some(from + b.get(from..)?.iter().position(|&x| x == b'\t')?)
    };
    let name_end = tab(at + 4)?;
    let cc_end = tab(name_end + 1)?;
    let end = cc_end
        + 1
        + b.get(cc_end + 1..)?
            .iter()
            .position(|&x| x == b'\n')
            .unwrap_or(b.len() - cc_end - 1);
    let name = text.get(at + 4..name_end)?;
    let cc = text.get(name_end + 1..cc_end)?;
    // As `parse().unwrap_or(0)` on the digits, without the general integer parser's cost.
    let rank = b
        .get(cc_end + 1..end)?
        .iter()
        .try_fold(0u64, |n, &d| {
            d.is_ascii_digit()
                .then(|| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))
                .flatten()
        })
        .filter(|_| end > cc_end + 1)
        .unwrap_or(0);
    let next = end + 1;
    Some((
        Row {
            kind,
            case,
            name,
            cc,
            rank,
        },
        next,
    ))
}

/// English name of a country code, from the code's first country row.
pub fn country_name(cc: &str) -> Option<&'static str> {
    let &[a, b] = cc.as_bytes() else {
        return None;
    };
    if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
        return None;
    }
    let i = usize::from(a - b'A') * 26 + usize::from(b - b'A');
    let off = word(HEADER + 4 * slot_count() + 4 * i)?;
    let rest = TABLE.get(off as usize..)?;
    let row = parse_row(&rest[..rest.find('\n').unwrap_or(rest.len())])?;
    (row.kind == PlaceKind::Country && row.cc == cc).then_some(row.name)
}

/// A curated organization or person.
#[derive(Debug, Clone, Deserialize)]
pub struct Known {
    /// Canonical English name.
    pub name: String,
    /// Other names, in any of the languages.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Country it belongs to, when one.
    #[serde(default)]
    pub country: Option<String>,
    /// A body that countries have one of each ("Red Cross"): written beside a country or a
    /// demonym, this name stands for that country's own ("Kenya Red Cross", "الهلال الأحمر
    /// الفلسطيني").
    #[serde(default)]
    pub national: Option<String>,
    /// For a country's own body, the `national` name of the family it belongs to.
    #[serde(default)]
    pub national_of: Option<String>,
    /// For a family (`national`), the movement its members share with other families ("Red Cross
    /// and Red Crescent"): a country's body of a kin family stands for it ("Palestinian Red Cross"
    /// is the Palestine Red Crescent Society).
    #[serde(default)]
    pub kin: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OrgFile {
    #[serde(default)]
    org: Vec<Known>,
}

#[derive(Debug, Deserialize)]
struct PeopleFile {
    #[serde(default)]
    given_names: Vec<String>,
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
    /// Folded alias, or word-boundary prefix of one, → what it is.
    pub by_key: WordMap<KnownKey>,
    /// Most tokens in one alias.
    pub max_tokens: usize,
    /// Folded first names common in world news: a capitalized run opening with one is a person.
    pub given: std::collections::HashSet<String, FastBuild>,
}

/// What a folded key is among the curated names.
#[derive(Debug, Default)]
pub struct KnownKey {
    /// The names it spells: (kind, index, case rule).
    pub names: Vec<(KnownKind, usize, Case)>,
    /// A longer alias starts with it and a space.
    pub prefix: bool,
}

/// The curated names (parsed on first use).
pub fn curated() -> &'static Curated {
    static C: OnceLock<Curated> = OnceLock::new();
    C.get_or_init(|| {
        let orgs = toml::from_str::<OrgFile>(ORGS)
            .map(|f| f.org)
            .unwrap_or_default();
        let (people, given) = toml::from_str::<PeopleFile>(PEOPLE)
            .map(|f| (f.person, f.given_names))
            .unwrap_or_default();
        let mut c = Curated {
            orgs,
            people,
            given: given.iter().map(|g| key_of(g)).collect(),
            ..Curated::default()
        };
        let add = |kind: KnownKind, idx: usize, alias: &str, c: &mut Curated| {
            let key = key_of(alias);
            if key.is_empty() {
                return;
            }
            c.max_tokens = c.max_tokens.max(key.split(' ').count());
            for (p, _) in key.match_indices(' ') {
                c.by_key.entry(key[..p].to_string()).prefix = true;
            }
            let case = case_of(alias);
            let v = &mut c.by_key.entry(key).names;
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
    let mut letters = alias.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return Case::Any;
    };
    let (mut n, mut all_upper) = (1, first.is_uppercase());
    for c in letters {
        n += 1;
        all_upper &= c.is_uppercase();
    }
    if n <= 6 && all_upper {
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
    use std::collections::HashMap;

    /// The index must be the one generated from this table: every key finds its rows, every
    /// word-boundary prefix knows it goes on, the table is sorted, country names are the first
    /// country rows'.
    #[test]
    fn index_matches_table() {
        assert_eq!(
            word(4),
            Some(TABLE.len() as u32),
            "rerun gen_gazetteer.py --index-only"
        );
        let mut prev = "";
        let mut names: HashMap<&str, &str> = HashMap::new();
        let lines: Vec<&str> = TABLE.lines().collect();
        assert!(lines.len() > 1000);
        for (n, l) in lines.iter().enumerate() {
            let key = l.split('\t').next().unwrap_or("");
            assert!(prev <= key, "line {n} out of order");
            if prev != key {
                let want: Vec<&str> = lines[n..]
                    .iter()
                    .take_while(|x| x.split('\t').next() == Some(key))
                    .copied()
                    .collect();
                let got: Vec<Row> = lookup(key).collect();
                assert_eq!(got.len(), want.len(), "{key}");
                for (g, w) in got.iter().zip(&want) {
                    assert!(w.contains(&format!("\t{}\t{}\t", g.name, g.cc)), "{key}");
                }
                let longer = lines
                    .get(n + want.len())
                    .is_some_and(|x| x.starts_with(&format!("{key} ")));
                assert_eq!(probe(key).longer, longer, "{key}");
                for (p, _) in key.match_indices(' ') {
                    assert!(probe(&key[..p]).longer, "{key}");
                }
            }
            prev = key;
            if let Some(r) = parse_row(l)
                && r.kind == PlaceKind::Country
            {
                names.entry(r.cc).or_insert(r.name);
            }
        }
        for (cc, name) in names {
            assert_eq!(country_name(cc), Some(name));
        }
        assert_eq!(country_name("SY"), Some("Syria"));
        assert_eq!(country_name("ZZ"), None);
        assert_eq!(country_name("s"), None);
        assert!(lookup("iraq").any(|r| r.kind == PlaceKind::Country && r.cc == "IQ"));
        assert!(probe("abu").longer);
        assert_eq!(lookup("zzzz qqqq").count(), 0);
        assert_eq!(lookup("").count(), 0);
    }

    #[test]
    fn curated_files_parse() {
        let c = curated();
        assert!(c.orgs.len() > 50);
        assert!(c.by_key.get("hashd al shaabi").is_some());
        assert!(c.given.contains("mohammed"));
    }
}
