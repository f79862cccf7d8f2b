//! Entities: people, organizations and places, merged across spellings; where the main event happened.
//!
//! One pass over the article's word tokens finds, at each position, the longest name that the
//! embedded data knows (places, countries and demonyms from the generated gazetteer; curated
//! organizations and people) or a role phrase of the language's pack. A second pass reads the rest:
//! capitalized word runs (Latin and Cyrillic scripts) become organizations when they carry an
//! organization head word ("Forces", "Ministry"), people when a role precedes them or they have two
//! or more words; for Arabic, which has no capitals, the words after a role are the name. Mentions
//! are then merged: surnames and transliteration variants by a skeleton key, acronyms by their
//! expansion. The main event's countries are the places weighted by where they are named: the
//! title, the lead and the sentences that carry the main casualty figures.

mod gazetteer;
mod key;

use std::ops::Range;

use serde::Deserialize;

use super::Context;
use crate::record::{Casualties, Entity, EntityType};
use crate::rules::LanguageInfo;
use gazetteer::{Case, KnownKind, PlaceKind, Row};
use key::{CharFilter, FastBuild, Script, Tokens, WordMap, WordSet, is_apos, key_of, skeleton};

type HashSet<T> = std::collections::HashSet<T, FastBuild>;
type HashMap<K, V> = std::collections::HashMap<K, V, FastBuild>;

/// The `[entities]` section of a rule pack. Words and phrases are matched after folding (lower
/// case, no accents), so write them as they appear in text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntityRules {
    /// Titles and roles that precede a person's name ("Prime Minister", "spokesman", "الرئيس").
    pub roles: Vec<String>,
    /// Words that make a capitalized run an organization ("Forces", "Ministry", "Brigades").
    pub org_heads: Vec<String>,
    /// Lower-case words that join the parts of an organization's name ("of", "for", "de").
    pub connectors: Vec<String>,
    /// Lower-case words inside people's names ("al", "bin", "de", "van").
    pub particles: Vec<String>,
    /// Capitalized words that are never part of a name: sentence openers, months, days, titles
    /// that are not roles.
    pub not_names: Vec<String>,
    /// Words after which a place name follows ("in", "near", "في").
    pub locatives: Vec<String>,
    /// Letters glued to the front of words (Arabic "و", "ب", "ل"), tried when a word is not found.
    pub proclitics: Vec<String>,
    /// Those of `proclitics` that mean "in"/"at", so what follows is a place.
    pub locative_proclitics: Vec<String>,
    /// Suffix rewrites `[from, to]` tried on a capitalized word that is not found ("Ирака" → "Ирак").
    pub inflections: Vec<[String; 2]>,
    /// Words that end a name read after a role in a script without capitals.
    pub name_stops: Vec<String>,
    /// Last words of roles after which the body spoken for comes before the name ("باسم").
    pub role_of: Vec<String>,
    /// Words that introduce the doer ("by"): a country named after them acted, it is not where.
    pub agents: Vec<String>,
    /// Words for a border: a country or demonym beside one is where the event is ("Syrian border").
    pub borders: Vec<String>,
    /// Words after a border word that introduce the country beyond it ("the border with Mali",
    /// "la frontière avec le Niger"): that country is the neighbour, not where the event is.
    pub border_with: Vec<String>,
    /// Words of diplomacy ("mediators", "talks", "pourparlers"): a capital named beside one stands
    /// for its government ("Luanda mediators", "les médiateurs de Luanda"), not for where the
    /// event was.
    pub government_words: Vec<String>,
    /// Words that say where an organization sits ("based", "basé", "sede"): a country after them is
    /// not where the event is.
    pub seat_words: Vec<String>,
    /// Verbs of speaking and reacting ("said", "condemned", "заявил", "قالت"): a capital or country
    /// as their subject stands for its government ("Washington condemned"), not for where the
    /// event happened. Written as they appear, one word each.
    pub speech_verbs: Vec<String>,
    /// Nouns for a place ("village", "town"): a capitalized name after them (and a connector) is a
    /// place even when no table has it.
    pub place_nouns: Vec<String>,
    /// Countries whose news is written in this language and often does not name them ("IT"):
    /// their towns count as named.
    pub home: Vec<String>,
    /// Endings of compound words that name an organization ("…ministerium").
    pub org_suffixes: Vec<String>,
    /// Lower-case words that go on an organization's name after its head word, in languages
    /// that capitalize only the first word ("Forces armées", "Front de libération nationale",
    /// "Силы обороны Украины"): the name runs over them and ends at the last of them or at a
    /// demonym or place.
    pub org_words: Vec<String>,
    /// Endings of common nouns: a run holding one is not a person's name (for languages that
    /// capitalize nouns).
    pub noun_suffixes: Vec<String>,
    /// Nouns are capitalized (German): a capitalized common word says nothing.
    pub nouns_capitalized: bool,
    /// Endings of compound words that are a role ("Innen|senatorin", "Oppositions|politiker").
    pub role_suffixes: Vec<String>,
    /// Articles glued to the front of a family name ("ال"): in a script without capitals, a word
    /// with one ends the name read after a role ("ثابت العباسي").
    pub name_articles: Vec<String>,
    /// Words that take an article-bearing word into a name ("عبد" in "عبد الفتاح").
    pub name_joiners: Vec<String>,
}

/// A role of one word.
const ROLE: u8 = 1;
/// The first word of a longer role.
const ROLE_FIRST: u8 = 2;

/// Compiled entity rules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    roles: WordSet,
    roles_max: usize,
    /// Per word: [`ROLE`] if it is a role alone, [`ROLE_FIRST`] if a longer role starts with it.
    role_words: WordMap<u8>,
    /// No proclitic or case ending holds a space, so the first word of a key's variants does not
    /// depend on the words after it (what lets the role search stop after one word).
    one_word_variants: bool,
    org_heads: WordSet,
    connectors: WordSet,
    particles: WordSet,
    not_names: WordSet,
    locatives: WordSet,
    locatives_max: usize,
    /// Last words of the locatives of two or more words.
    locative_lasts: WordSet,
    /// Longest first, each with whether it means "in" (ends with a locative proclitic).
    proclitics: Vec<(String, bool)>,
    inflections: Vec<(String, String)>,
    /// First letters of `proclitics` and last letters of `inflections`: a word that none fits
    /// is not tried against each.
    proclitic_firsts: CharFilter,
    inflection_lasts: CharFilter,
    name_stops: WordSet,
    role_of: WordSet,
    agents: WordSet,
    borders: WordSet,
    border_with: WordSet,
    government_words: WordSet,
    place_nouns: WordSet,
    seat_words: WordSet,
    /// [`EntityRules::speech_verbs`], also with each proclitic glued on ("وقالت").
    speech_verbs: WordSet,
    /// [`name_skeletons`] of the curated people with this pack's particles, by index; made on
    /// first use.
    people_skel: std::sync::OnceLock<Vec<Vec<String>>>,
    home: Vec<String>,
    org_suffixes: Vec<String>,
    org_words: WordSet,
    noun_suffixes: Vec<String>,
    nouns_capitalized: bool,
    role_suffixes: Vec<String>,
    name_articles: Vec<String>,
    name_joiners: WordSet,
}

impl Compiled {
    /// Compiles the section.
    pub fn compile(rules: &EntityRules, lang: &LanguageInfo) -> Result<Compiled, String> {
        let set = |v: &[String]| -> WordSet {
            v.iter()
                .map(|s| key_of(s))
                .filter(|k| !k.is_empty())
                .collect()
        };
        let roles = set(&rules.roles);
        let roles_max = roles
            .iter()
            .map(|r| r.split(' ').count())
            .max()
            .unwrap_or(0);
        let mut name_stops = set(&rules.name_stops);
        name_stops.extend(lang.stopwords.iter().map(|s| key_of(s)));
        let mut role_words: WordMap<u8> = WordMap::default();
        for r in &roles {
            let (w, bit) = r
                .split_once(' ')
                .map_or((r.as_str(), ROLE), |(f, _)| (f, ROLE_FIRST));
            *role_words.entry(w.to_string()) |= bit;
        }
        let locative_proclitics: Vec<String> = rules
            .locative_proclitics
            .iter()
            .map(|s| key_of(s))
            .collect();
        let mut proclitics: Vec<(String, bool)> = rules
            .proclitics
            .iter()
            .map(|s| {
                let p = key_of(s);
                let loc = locative_proclitics.iter().any(|l| p.ends_with(l.as_str()));
                (p, loc)
            })
            .collect();
        // Longest first, so "وب" is tried before "و".
        proclitics.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        let inflections: Vec<(String, String)> = rules
            .inflections
            .iter()
            .map(|[a, b]| (key_of(a), key_of(b)))
            .collect();
        // An ending is rewritten on the last word only, so a longer replacement ("кой" → "кая
        // область") leaves the first word of a key of two or more words as it was.
        let one_word_variants = proclitics.iter().all(|(p, _)| !p.contains(' '))
            && inflections.iter().all(|(a, _)| !a.contains(' '));
        // Arabic puts the verb first with "and" glued on ("وقالت واشنطن").
        let mut speech_verbs = set(&rules.speech_verbs);
        let glued: Vec<String> = speech_verbs
            .iter()
            .flat_map(|w| proclitics.iter().map(move |(p, _)| format!("{p}{w}")))
            .collect();
        speech_verbs.extend(glued);
        Ok(Compiled {
            roles,
            roles_max,
            role_words,
            one_word_variants,
            org_heads: set(&rules.org_heads),
            connectors: set(&rules.connectors),
            particles: set(&rules.particles),
            not_names: set(&rules.not_names),
            locatives_max: rules
                .locatives
                .iter()
                .map(|l| key_of(l).split(' ').count())
                .max()
                .unwrap_or(1),
            locatives: set(&rules.locatives),
            locative_lasts: rules
                .locatives
                .iter()
                .filter_map(|l| key_of(l).rsplit_once(' ').map(|(_, w)| w.to_string()))
                .collect(),
            proclitic_firsts: CharFilter::of(proclitics.iter().map(|(p, _)| p.chars().next())),
            inflection_lasts: CharFilter::of(
                inflections.iter().map(|(a, _)| a.chars().next_back()),
            ),
            proclitics,
            inflections,
            name_stops,
            role_of: set(&rules.role_of),
            agents: set(&rules.agents),
            borders: set(&rules.borders),
            border_with: set(&rules.border_with),
            government_words: set(&rules.government_words),
            place_nouns: set(&rules.place_nouns),
            seat_words: set(&rules.seat_words),
            speech_verbs,
            people_skel: std::sync::OnceLock::new(),
            home: rules.home.clone(),
            org_suffixes: rules.org_suffixes.iter().map(|s| key_of(s)).collect(),
            org_words: set(&rules.org_words),
            noun_suffixes: rules.noun_suffixes.iter().map(|s| key_of(s)).collect(),
            nouns_capitalized: rules.nouns_capitalized,
            role_suffixes: rules.role_suffixes.iter().map(|s| key_of(s)).collect(),
            name_articles: rules.name_articles.iter().map(|s| key_of(s)).collect(),
            name_joiners: set(&rules.name_joiners),
        })
    }

    /// Skeletons of the curated people's names, by index (see `people_skel`).
    fn people_skeletons(&self) -> &[Vec<String>] {
        self.people_skel.get_or_init(|| {
            gazetteer::curated()
                .people
                .iter()
                .map(|p| name_skeletons(&p.name, &self.particles))
                .collect()
        })
    }
}

/// Entities, and where the main event took place.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// One entry per real-world entity, by mentions descending.
    pub entities: Vec<Entity>,
    /// ISO alpha-2 codes of the main event's countries.
    pub countries: Vec<String>,
    /// Places below country level of the main event.
    pub locations: Vec<String>,
}

/// What a run of tokens was recognized as.
#[derive(Debug, Clone)]
enum What {
    Place(Row),
    Known(KnownKind, usize),
    Role,
    Person,
    Org,
    /// A place the tables do not know, named after a place noun ("the village of Seytenga").
    NewPlace,
    /// An organization with a name made from the data: a country's own body of a family of
    /// national bodies, that no entry names ("Chad Red Cross").
    Named(String),
    /// Absorbed into a longer name.
    Gone,
}

/// Variant keys of one n-gram ([`Scan::variants`]), back to back in one buffer reused from
/// token to token.
#[derive(Debug, Default)]
struct Variants {
    buf: String,
    /// Range in `buf` and whether a locative proclitic was removed.
    items: Vec<(Range<usize>, bool)>,
}

impl Variants {
    fn clear(&mut self) {
        self.buf.clear();
        self.items.clear();
    }

    fn push(&mut self, a: &str, b: &str, loc: bool) {
        let s = self.buf.len();
        self.buf.push_str(a);
        self.buf.push_str(b);
        self.items.push((s..self.buf.len(), loc));
    }

    fn iter(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        self.items
            .iter()
            .map(|(r, loc)| (self.buf.get(r.clone()).unwrap_or(""), *loc))
    }
}

#[derive(Debug, Clone)]
struct Span {
    toks: Range<usize>,
    what: What,
    /// A role phrase before a person ("US Secretary of State").
    role: Option<String>,
    /// Followed by a locative cue, or found through one ("في", "in").
    locative: bool,
}

/// Longest name in a table, capped so one lookup chain stays short.
const MAX_PLACE_TOKENS: usize = 6;
/// Below this population a one-word town of a country the text never names is not taken.
const SMALL_TOWN: u64 = 50_000;
/// Rank of a town of 100,000 or more in the table.
const BIG_CITY: u64 = 3_000_100_000;
/// Rank of a city of a million or more in the table.
const MILLION_CITY: u64 = 3_001_000_000;
/// Longest person name run read from capitals.
const MAX_NAME_TOKENS: usize = 5;

struct Scan<'a> {
    ctx: &'a Context<'a>,
    t: &'a Tokens,
    rules: &'a Compiled,
    /// Which span covers each token.
    owner: Vec<Option<usize>>,
    spans: Vec<Span>,
    /// Keys of words seen in lower case somewhere in the text: a capitalized sentence opener
    /// with such a key is a common word.
    lower: std::cell::OnceCell<HashSet<&'a str>>,
    /// Tokens of a wire dateline's place ("KABUL (Reuters) -", "BAGDAD, 5 mars (AFP) -"): the
    /// filing place, written in capitals.
    dateline: Range<usize>,
    /// [`Scan::after_locative`] of each token once known (1 no, 2 yes): the place and case
    /// checks ask it again and again for the same token.
    after_loc: Vec<std::cell::Cell<u8>>,
}

/// How far into the text a dateline may open (title, byline and date lines may come first).
const DATELINE_WITHIN: usize = 1500;

/// The tokens of the place of a wire dateline: capitals opening a line, up to the agency in
/// brackets or the dash before the story ("KHARTOUM, Sudan (AP) —", "ДОНЕЦК, 5 марта. /ТАСС/.").
fn dateline_of(t: &Tokens, norm: &str) -> Range<usize> {
    // The start of the current line, found in the text since the previous token only.
    let (mut line_start, mut seen) = (0, 0);
    for (i, tok) in t.toks.iter().enumerate() {
        if tok.span.start > DATELINE_WITHIN {
            break;
        }
        if let Some(p) = norm
            .as_bytes()
            .get(seen..tok.span.start)
            .and_then(|b| b.iter().rposition(|&x| x == b'\n'))
        {
            line_start = seen + p + 1;
        }
        seen = seen.max(tok.span.start);
        // A word before it on the line is no blank; checked first, so that each gap is read once.
        let opens = !(i > 0 && t.toks[i - 1].span.start >= line_start)
            && norm
                .get(line_start..tok.span.start)
                .is_some_and(|g| g.trim().is_empty());
        // Arabic has no capitals: a short line opening before the agency ("عمان (رويترز) -").
        let arabic = tok.script == Script::Arabic;
        if !opens
            || !(arabic || tok.upper)
            || tok.word.len() < 3
            || !matches!(
                tok.script,
                Script::Latin | Script::Cyrillic | Script::Arabic
            )
        {
            continue;
        }
        let line_end = norm.get(tok.span.start..).map_or(norm.len(), |r| {
            r.find('\n').map_or(norm.len(), |p| tok.span.start + p)
        });
        let line = norm.get(tok.span.start..line_end).unwrap_or("");
        // The end of the dateline: the agency's bracket or slash, or the dash before the story.
        let Some(end) = [" (", "(", " /", " - ", " — ", " – ", " -- "]
            .iter()
            .filter_map(|m| line.find(m))
            .min()
            .filter(|&e| e <= 80 && line.len() > e + 20)
        else {
            continue;
        };
        let end = tok.span.start + end;
        let mut j = i;
        while t.toks.get(j).is_some_and(|x| x.span.end <= end) {
            j += 1;
        }
        if arabic && j - i > 3 {
            continue;
        }
        return i..j;
    }
    0..0
}

fn empty_rules() -> &'static Compiled {
    static E: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
    E.get_or_init(Compiled::default)
}

/// Finds the entities of the article.
pub fn extract(ctx: &Context<'_>, casualties: &Casualties) -> Found {
    let doc = ctx.doc;
    let t = key::tokenize(&doc.norm, &doc.sentences);
    let rules = ctx.pack.map_or(empty_rules(), |p| &p.entities);
    let mut s = Scan {
        ctx,
        t: &t,
        rules,
        owner: vec![None; t.toks.len()],
        spans: Vec::new(),
        lower: std::cell::OnceCell::new(),
        dateline: dateline_of(&t, &doc.norm),
        after_loc: vec![std::cell::Cell::new(0); t.toks.len()],
    };
    s.match_known();
    s.resolve_places();
    s.national_bodies();
    s.read_org_phrases();
    s.read_runs();
    s.read_uncased_names();
    let (entities, place_spans) = s.merge();
    let (countries, locations) = s.event_places(casualties, &place_spans);
    Found {
        entities,
        countries,
        locations,
    }
}

impl<'a> Scan<'a> {
    fn tok_text(&self, r: Range<usize>) -> String {
        let (Some(a), Some(b)) = (
            self.t.toks.get(r.start),
            r.end.checked_sub(1).and_then(|e| self.t.toks.get(e)),
        ) else {
            return String::new();
        };
        let src = self.ctx.doc.source_text(a.word.start..b.word.end);
        let mut out = String::with_capacity(src.len());
        for w in src.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        out
    }

    /// [`Scan::lower`], made on first use: few texts ask it.
    fn lower(&self) -> &HashSet<&'a str> {
        self.lower.get_or_init(|| {
            let t = self.t;
            let mut lower: HashSet<&str> =
                HashSet::with_capacity_and_hasher(t.toks.len(), Default::default());
            lower.extend(
                t.toks
                    .iter()
                    .enumerate()
                    .filter(|(_, tok)| !tok.cap && tok.script != Script::Arabic)
                    .map(|(i, _)| t.key(i)),
            );
            lower
        })
    }

    fn cased(&self, i: usize) -> bool {
        self.t
            .toks
            .get(i)
            .is_some_and(|t| matches!(t.script, Script::Latin | Script::Cyrillic))
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        match (self.t.toks.get(a), self.t.toks.get(b)) {
            (Some(x), Some(y)) => x.sent == y.sent,
            _ => false,
        }
    }

    /// Whether tokens `a < b` may belong to one name: same sentence and nothing but spaces,
    /// hyphens and the words between them ("Abdul Nafi Takor", not "Ministry, Abdul";
    /// "Mozambique", not "Mozambique (Frelimo").
    fn joined(&self, a: usize, b: usize) -> bool {
        if !self.same_sentence(a, b) {
            return false;
        }
        (a..b).all(|k| {
            let (Some(x), Some(y)) = (self.t.toks.get(k), self.t.toks.get(k + 1)) else {
                return false;
            };
            let gap = self
                .ctx
                .doc
                .norm
                .get(x.span.end..y.span.start)
                .unwrap_or("");
            gap.chars().all(|c| c.is_whitespace() || c == '-' || is_apos(c))
                // An initial: "Abdul Karim S. Ahmed", "J. Smith".
                || (gap.trim() == "." && x.word.len() <= 2 && x.upper)
        })
    }

    fn in_header(&self, i: usize) -> bool {
        let Some(tok) = self.t.toks.get(i) else {
            return false;
        };
        self.ctx
            .header
            .iter()
            .any(|h| h.start <= tok.span.start && tok.span.end <= h.end)
    }

    /// Pass 1: the longest known name or role at each position.
    fn match_known(&mut self) {
        let n = self.t.toks.len();
        let cur = gazetteer::curated();
        let mut i = 0;
        // Scratch buffers: the n-gram key, the variants of the token's own key (shared by the
        // three searches) and of longer keys.
        let mut key = String::new();
        let mut v1 = Variants::default();
        let mut v = Variants::default();
        let mut infl = String::new();
        while i < n {
            if self.in_header(i) {
                i += 1;
                continue;
            }
            let w = self.t.key(i);
            self.variants(i, w, &mut v1);
            let mut best: Option<(usize, What, bool)> = None;
            // Roles.
            if v1
                .iter()
                .any(|(k, _)| self.rules.role_words.get(k).is_some_and(|f| f & ROLE != 0))
                || (self.t.toks.get(i).is_some_and(|t| t.cap)
                    && self.rules.role_suffixes.iter().any(|x| {
                        w.len() > x.len() + 2 && same_last(x, w) && w.ends_with(x.as_str())
                    }))
            {
                best = Some((1, What::Role, false));
            }
            if self.rules.roles_max >= 2 && self.may_start_role(i) {
                key.clear();
                key.push_str(w);
                for len in 2..=self.rules.roles_max.min(n - i) {
                    if !self.same_sentence(i, i + len - 1) {
                        break;
                    }
                    key.push(' ');
                    key.push_str(self.t.key(i + len - 1));
                    self.variants(i, &key, &mut v);
                    if v.iter().any(|(k, _)| self.rules.roles.contains(k)) {
                        best = Some((len, What::Role, false));
                    }
                }
            }
            // Curated organizations and people.
            let mut goes_on = self.curated_at(i, 1, &v1, &mut best);
            if goes_on {
                key.clear();
                key.push_str(w);
            }
            let mut len = 2;
            while goes_on && len <= cur.max_tokens.min(n - i) {
                if !self.same_sentence(i, i + len - 1) {
                    break;
                }
                key.push(' ');
                key.push_str(self.t.key(i + len - 1));
                self.variants(i, &key, &mut v);
                goes_on = self.curated_at(i, len, &v, &mut best);
                len += 1;
            }
            // Places.
            if let Some((len, row, loc)) = self.match_place(i, &v1, &mut key, &mut v, &mut infl) {
                if best.as_ref().is_none_or(|b| len > b.0) {
                    best = Some((len, What::Place(row), loc));
                }
            }
            if let Some((len, what, loc)) = best {
                let locative = loc || self.after_locative(i) || self.coordinated_locative(i);
                self.push_span(i..i + len, what, locative);
                i += len;
            } else {
                i += 1;
            }
        }
    }

    /// A curated name spelt by one of the variants `v` of tokens `i..i+len` becomes `best`
    /// (later variants and longer names win). Returns whether a longer name may follow.
    fn curated_at(
        &self,
        i: usize,
        len: usize,
        v: &Variants,
        best: &mut Option<(usize, What, bool)>,
    ) -> bool {
        let cur = gazetteer::curated();
        let mut goes_on = false;
        // "the Palestinian health ministry", "the Gaza health ministry": a body written in lower
        // case is that country's own when a place or demonym names whose it is.
        let owned = i > 0
            && self.joined(i - 1, i)
            && self.owner.get(i - 1).copied().flatten().is_some_and(
                |o| matches!(&self.spans[o].what, What::Place(r) if r.kind != PlaceKind::Capital),
            );
        for (k, _) in v.iter() {
            let Some(e) = cur.by_key.get(k) else {
                continue;
            };
            if let Some(&(kind, idx, _)) = e.names.iter().find(|&&(kind, _, case)| {
                self.case_ok(i, len, case, false)
                    || (owned && kind == KnownKind::Org && case == Case::Capital)
            }) && best.as_ref().is_none_or(|b| len >= b.0)
            {
                *best = Some((len, What::Known(kind, idx), false));
            }
            goes_on |= e.prefix;
        }
        goes_on
    }

    /// A name shared by places of several countries goes to the country the text names
    /// ("Tripoli" in a text about Lebanon); a small town of a country the text never names is more
    /// likely a word that happens to be a town's name somewhere, and is dropped.
    fn resolve_places(&mut self) {
        let rules = self.rules;
        let in_text: HashSet<&str> = self
            .spans
            .iter()
            .filter_map(|sp| match &sp.what {
                What::Place(r) if matches!(r.kind, PlaceKind::Country | PlaceKind::Demonym) => {
                    Some(r.cc)
                }
                _ => None,
            })
            .collect();
        // One spelling for a country and another country's capital (Arabic "عمان": Oman and
        // Amman): the capital when the text names its country otherwise and not the other.
        let keys_of = |s: &Self, sp: &Span| {
            sp.toks
                .clone()
                .map(|j| s.t.key(j))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for k in 0..self.spans.len() {
            let row = match &self.spans[k].what {
                What::Place(r) if r.kind == PlaceKind::Country => *r,
                _ => continue,
            };
            let key = keys_of(self, &self.spans[k]);
            let named_by_other = |cc: &str| {
                self.spans.iter().any(|o| {
                    matches!(&o.what, What::Place(r) if r.cc == cc) && keys_of(self, o) != key
                })
            };
            let capital = gazetteer::lookup(&key)
                .find(|r| r.kind == PlaceKind::Capital && r.cc != row.cc && named_by_other(r.cc));
            // Both named: the one named in the same sentence ("مسؤولون أردنيون في عمان").
            let near = |cc: &str| {
                self.spans.iter().any(|o| {
                    matches!(&o.what, What::Place(r) if r.cc == cc)
                        && self.same_sentence(o.toks.start, self.spans[k].toks.start)
                        && keys_of(self, o) != key
                })
            };
            if let Some(c) = capital
                && (!named_by_other(row.cc) || (near(c.cc) && !near(row.cc)))
            {
                self.spans[k].what = What::Place(c);
            }
        }
        let mut named = in_text.clone();
        named.extend(rules.home.iter().map(String::as_str));
        for k in 0..self.spans.len() {
            let (row, toks, loc) = match &self.spans[k].what {
                What::Place(r) if !matches!(r.kind, PlaceKind::Country | PlaceKind::Demonym) => {
                    (*r, self.spans[k].toks.clone(), self.spans[k].locative)
                }
                _ => continue,
            };
            if in_text.contains(row.cc) {
                continue;
            }
            let mut key = String::new();
            for (n, j) in toks.clone().enumerate() {
                if n > 0 {
                    key.push(' ');
                }
                key.push_str(self.t.key(j));
            }
            let mut v = Variants::default();
            self.variants(toks.start, &key, &mut v);
            // The home country takes over only a town: "Донецк" in Russian news is the Ukrainian
            // city, not the Russian town of the same name.
            // A town of the home country yields to one of a country the text names ("Rosas" in
            // Spanish news about Colombia).
            let home = named.contains(row.cc);
            let pool = if row.rank >= BIG_CITY || home {
                &in_text
            } else {
                &named
            };
            // A capital or a city of a million ("Rome", "Vienna") does not yield to a small town of
            // the same name in a country the text names for other reasons (Rome, Georgia in a story
            // that names the United States).
            let major = row.kind == PlaceKind::Capital || row.rank >= MILLION_CITY;
            let better = v.iter().flat_map(|(k, _)| gazetteer::lookup(k)).find(|r| {
                pool.contains(r.cc)
                    && (!major || r.rank >= BIG_CITY)
                    && self.case_ok(toks.start, toks.len(), r.case, loc)
            });
            if home && better.is_none() {
                continue;
            }
            // A place of another country under its own name rather than an exonym of a city
            // ("Antioquia", the Colombian region, not Antakya); but not of a city of a million,
            // whose spelling variants are its own ("Odessa" is Odesa, not the Texan town).
            let own_name = || {
                gazetteer::lookup(&key).find(|r| {
                    r.cc != row.cc
                        && key_of(r.name) == key
                        && self.case_ok(toks.start, toks.len(), r.case, loc)
                })
            };
            // "La Guardia di Finanza": a small town whose name opens with an article.
            let article = toks.len() == 2 && rules.not_names.contains(self.t.key(toks.start));
            if let Some(b) = better {
                self.spans[k].what = What::Place(b);
            } else if key_of(row.name) != key
                && !major
                && let Some(b) = own_name()
            {
                self.spans[k].what = What::Place(b);
            } else if row.kind == PlaceKind::Place
                && (toks.len() == 1 || article)
                && row.rank < SMALL_TOWN
            {
                self.spans[k].what = What::Gone;
                for j in toks {
                    if let Some(o) = self.owner.get_mut(j) {
                        *o = None;
                    }
                }
            }
        }
    }

    fn push_span(&mut self, toks: Range<usize>, what: What, locative: bool) {
        let id = self.spans.len();
        for o in self.owner.get_mut(toks.clone()).into_iter().flatten() {
            *o = Some(id);
        }
        self.spans.push(Span {
            toks,
            what,
            role: None,
            locative,
        });
    }

    /// A place joined by "and" to a place that follows a locative ("in Iraq and Syria",
    /// "في العراق وسوريا").
    fn coordinated_locative(&self, i: usize) -> bool {
        let prev_loc = |j: usize| {
            self.owner.get(j).copied().flatten().is_some_and(|o| {
                matches!(self.spans[o].what, What::Place(_)) && self.spans[o].locative
            }) && self.same_sentence(j, i)
        };
        let glued_and = self
            .t
            .toks
            .get(i)
            .is_some_and(|t| t.script == Script::Arabic)
            && self.t.key(i).starts_with('و');
        (glued_and && i > 0 && prev_loc(i - 1))
            || (i > 1 && self.rules.connectors.contains(self.t.key(i - 1)) && prev_loc(i - 2))
    }

    /// A locative word just before token `i`, or before one lower-case word ("in eastern Syria",
    /// "in war-torn Syria").
    fn after_locative(&self, i: usize) -> bool {
        let memo = self.after_loc.get(i);
        match memo.map(std::cell::Cell::get) {
            Some(1) => return false,
            Some(2) => return true,
            _ => {}
        }
        let r = self.locative_before(i);
        if let Some(m) = memo {
            m.set(1 + u8::from(r));
        }
        r
    }

    /// [`Scan::after_locative`], worked out.
    fn locative_before(&self, i: usize) -> bool {
        let loc =
            |j: usize| self.same_sentence(j, i) && self.rules.locatives.contains(self.t.key(j));
        if i > 0 && loc(i - 1) {
            return true;
        }
        // Multi-word locatives ("près de", "cerca de", "nei pressi di").
        let mut k = String::new();
        let ends_phrase = i > 0 && self.rules.locative_lasts.contains(self.t.key(i - 1));
        for n in (2..=self.rules.locatives_max.min(i)).filter(|_| ends_phrase) {
            k.clear();
            // One allocation for every phrase length rather than growth word by word.
            k.reserve(64);
            for j in i - n..i {
                if j > i - n {
                    k.push(' ');
                }
                k.push_str(self.t.key(j));
            }
            if self.same_sentence(i - n, i) && self.rules.locatives.contains(k.as_str()) {
                return true;
            }
        }
        let plain = |j: usize| {
            self.t
                .toks
                .get(j)
                .is_some_and(|t| !t.cap && t.script != Script::Arabic)
                && !self.rules.name_stops.contains(self.t.key(j))
                && !self.rules.connectors.contains(self.t.key(j))
        };
        if i > 1 && plain(i - 1) && loc(i - 2) {
            let gap = self
                .ctx
                .doc
                .norm
                .get(self.t.toks[i - 2].span.end..self.t.toks[i].span.start)
                .unwrap_or("");
            return !gap.contains([',', '.', ';', ':', '"', '(']);
        }
        if i > 2 && plain(i - 1) && plain(i - 2) && self.t.toks[i - 2].hyphen_next && loc(i - 3) {
            return true;
        }
        false
    }

    /// The key as written, and with a proclitic removed from its first word (Arabic "والعراق").
    /// The flag tells whether the removed proclitic means "in". With the pack's case endings, the
    /// last word's base forms too ("аль каидой" → "аль каида").
    fn variants(&self, i: usize, key: &str, v: &mut Variants) {
        v.clear();
        v.push(key, "", false);
        match self.t.toks.get(i).map(|t| t.script) {
            Some(Script::Cyrillic) if self.rules.inflection_lasts.may(key.chars().next_back()) => {
                for (from, to) in self
                    .rules
                    .inflections
                    .iter()
                    .filter(|(f, _)| same_last(f, key))
                {
                    if let Some(stem) = key.strip_suffix(from.as_str())
                        && stem.chars().rev().take_while(|c| *c != ' ').count() >= 3
                    {
                        v.push(stem, to, false);
                    }
                }
            }
            Some(Script::Arabic) if self.rules.proclitic_firsts.may(key.chars().next()) => {
                for (p, loc) in self
                    .rules
                    .proclitics
                    .iter()
                    .filter(|(p, _)| same_first(p, key))
                {
                    if let Some(rest) = key.strip_prefix(p.as_str())
                        && rest.chars().nth(1).is_some()
                        && !rest.starts_with(' ')
                    {
                        // "للعراق": the article's alef went with the preposition.
                        if p.ends_with('ل') && rest.starts_with('ل') {
                            v.push("ا", rest, *loc);
                        }
                        v.push(rest, "", *loc);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether a key of two or more words from token `i` may have a variant that starts a role
    /// of two or more words: the first words of [`Scan::variants`] are the same for every such key.
    fn may_start_role(&self, i: usize) -> bool {
        if !self.rules.one_word_variants {
            return true;
        }
        let first = |k: &str| {
            self.rules
                .role_words
                .get(k)
                .is_some_and(|f| f & ROLE_FIRST != 0)
        };
        let w = self.t.key(i);
        if first(w) {
            return true;
        }
        if self
            .t
            .toks
            .get(i)
            .is_some_and(|t| t.script == Script::Arabic)
        {
            for (p, _) in &self.rules.proclitics {
                if let Some(rest) = w.strip_prefix(p.as_str())
                    && !rest.is_empty()
                {
                    if first(rest) {
                        return true;
                    }
                    if p.ends_with('ل') && rest.starts_with('ل') && first(&format!("ا{rest}")) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Whether the name at tokens `r` is the subject of a verb of speaking or reacting: the verb
    /// follows after at most a few lower-case words ("Moscow has denied", "Киев эти данные не
    /// подтвердил"), or, with `before`, comes just before it ("وقالت واشنطن", "teilte Peking mit").
    /// Punctuation between them breaks the link ("Kharkiv, police said").
    fn speaks(&self, r: Range<usize>, before: bool) -> bool {
        if self.rules.speech_verbs.is_empty() {
            return false;
        }
        let gap_clean = |a: usize, b: usize| {
            let (Some(x), Some(y)) = (self.t.toks.get(a), self.t.toks.get(b)) else {
                return false;
            };
            x.sent == y.sent
                && self
                    .ctx
                    .doc
                    .norm
                    .get(x.span.end..y.span.start)
                    .is_some_and(|g| g.chars().all(char::is_whitespace))
        };
        let mut j = r.end;
        while j < r.end + 5 && j > 0 && gap_clean(j - 1, j) {
            if self.rules.speech_verbs.contains(self.t.key(j)) {
                return true;
            }
            if !self.cased(j) || self.t.toks[j].cap {
                break;
            }
            j += 1;
        }
        before
            && r.start > 0
            && gap_clean(r.start - 1, r.start)
            && self.rules.speech_verbs.contains(self.t.key(r.start - 1))
    }

    /// Whether tokens `i..i+len` are written as `case` asks.
    fn case_ok(&self, i: usize, len: usize, case: Case, loc: bool) -> bool {
        let Some(first) = self.t.toks.get(i) else {
            return false;
        };
        let cased = self.cased(i);
        match case {
            Case::Any => true,
            Case::Capital => !cased || first.cap,
            Case::Noun => (!cased || first.cap) && !self.rules.nouns_capitalized,
            Case::Upper => {
                !cased || (i..i + len).all(|j| self.t.toks.get(j).is_some_and(|t| t.upper))
            }
            Case::Weak => {
                if loc || self.after_locative(i) {
                    return !cased || first.cap;
                }
                // A weak name opening a sentence is taken when it speaks ("Paris a dénoncé").
                cased
                    && first.cap
                    && !self.rules.nouns_capitalized
                    && (!first.initial || self.speaks(i..i + len, false))
            }
        }
    }

    /// The longest gazetteer place starting at token `i`; `v1` holds the variants of its key
    /// (`key`, `v` and `infl` are scratch).
    fn match_place(
        &self,
        i: usize,
        v1: &Variants,
        key: &mut String,
        v: &mut Variants,
        infl: &mut String,
    ) -> Option<(usize, Row, bool)> {
        let n = self.t.toks.len();
        let first = self.t.toks.get(i)?;
        // Latin and Cyrillic place names start with a capital, except demonyms (adjectives in most
        // languages) and a few lower-case aliases; a lower-case start still gets looked up.
        let inflect = first.cap && self.cased(i);
        let mut best: Option<(usize, Row, bool)> = None;
        key.clear();
        for len in 1..=MAX_PLACE_TOKENS.min(n - i) {
            if len > 1 {
                if !self.same_sentence(i, i + len - 1) {
                    break;
                }
                key.push(' ');
            }
            key.push_str(self.t.key(i + len - 1));
            let mut longer = false;
            let v = if len == 1 {
                v1
            } else {
                self.variants(i, key, v);
                &*v
            };
            for (k, loc) in v.iter() {
                let found = gazetteer::probe(k);
                // "بمدينة" read through its proclitic is the word "مدينة" (city), no name; a longer
                // name may still start with it ("bande de Gaza").
                if len == 1 && self.rules.not_names.contains(k) {
                    longer |= found.longer;
                    continue;
                }
                // A weak name read through one proclitic ("وب|اريس", the town of Arys) yields to a
                // stronger one read through another ("و|باريس", Paris).
                let take = |rows: gazetteer::Rows, best: &mut Option<(usize, Row, bool)>| {
                    if best
                        .as_ref()
                        .is_none_or(|b| len > b.0 || len == b.0 && b.1.case == Case::Weak)
                        && let Some(row) = rows.into_iter().find(|r| self.place_ok(i, len, r, loc))
                        && best
                            .as_ref()
                            .is_none_or(|b| len > b.0 || row.rank > b.1.rank)
                    {
                        *best = Some((len, row, loc));
                    }
                };
                take(found.rows(), &mut best);
                if len == 1 && inflect && self.rules.inflection_lasts.may(k.chars().next_back()) {
                    for (from, to) in self
                        .rules
                        .inflections
                        .iter()
                        .filter(|(f, _)| same_last(f, k))
                    {
                        if let Some(stem) = k.strip_suffix(from.as_str())
                            && stem.chars().nth(2).is_some()
                        {
                            infl.clear();
                            infl.push_str(stem);
                            infl.push_str(to);
                            take(gazetteer::lookup(infl), &mut best);
                        }
                    }
                }
                longer |= found.longer;
            }
            if !longer {
                break;
            }
        }
        best
    }

    fn place_ok(&self, i: usize, len: usize, row: &Row, loc: bool) -> bool {
        // A dateline's capitals name a place ("KABUL (Reuters) -", "NICE (AFP) -").
        let dateline = self.dateline.contains(&i);
        if !self.case_ok(i, len, row.case, loc || dateline) {
            return false;
        }
        if len == 1 && self.rules.not_names.contains(self.t.key(i)) {
            return false;
        }
        // A town named like an organization's head word inside a body's name ("Nigeria Union of
        // Teachers", "Kenya Union of Journalists") is the head, not the town of Union.
        if len == 1
            && row.kind == PlaceKind::Place
            && self.rules.org_heads.contains(self.t.key(i))
            && (i > 0 && self.joined(i - 1, i) && self.t.toks.get(i - 1).is_some_and(|t| t.cap)
                || self.rules.connectors.contains(self.t.key(i + 1))
                    && self.t.toks.get(i + 2).is_some_and(|t| t.cap)
                    && self.joined(i, i + 2))
        {
            return false;
        }
        // "al-Sudani", "ас-Судани": a name after an article particle is a person's.
        if i > 0 && self.is_particle(i - 1) && self.t.toks.get(i - 1).is_some_and(|t| t.hyphen_next)
        {
            return false;
        }
        // An acronym is not a name written in capitals ("NGO" is not the town of Ngo).
        if row.case != Case::Upper
            && !dateline
            && self.cased(i)
            && (i..i + len).all(|j| self.t.toks.get(j).is_some_and(|t| t.upper))
            && self.t.toks.get(i).is_some_and(|t| t.word.len() <= 5)
        {
            return false;
        }
        if matches!(
            row.kind,
            PlaceKind::Place | PlaceKind::Region | PlaceKind::Capital | PlaceKind::Country
        ) && self.cased(i)
        {
            // A town's name inside a longer capitalized name is part of that name ("Florence
            // Parly", "Jordan Bardella"): look at the neighbours.
            let unknown_cap = |j: usize| {
                self.t.toks.get(j).is_some_and(|t| {
                    t.cap
                        && !t.initial
                        && self.joined(i.min(j), i.max(j))
                        && self.owner.get(j).is_none_or(|o| o.is_none())
                        && !self.rules.not_names.contains(self.t.key(j))
                        && !self.rules.roles.contains(self.t.key(j))
                        // "Flüchtlingslager Dschenin": a capitalized place noun names no one,
                        // nor a compound ending with one ("Bergbaustadt Rubaya").
                        && !(j < i
                            && (self.rules.place_nouns.contains(self.t.key(j))
                                || self.rules.nouns_capitalized
                                    && self.rules.place_nouns.iter().any(|p| {
                                        p.chars().count() >= 4 && self.t.key(j).ends_with(p.as_str())
                                    })))
                })
            };
            // A country's name before another capitalized word is mostly the country ("Премьер-
            // министр Израиля Биньямин Нетаньяху", "Israel Strikes Gaza"); only a particle after
            // a role makes it a first name ("procuratore Maurizio de Lucia").
            let country = row.kind == PlaceKind::Country;
            let after_role = i > 0
                && self
                    .owner
                    .get(i - 1)
                    .copied()
                    .flatten()
                    .is_some_and(|o| matches!(self.spans[o].what, What::Role));
            // "procuratore Maurizio de Lucia": a particle between the parts of a name.
            if (unknown_cap(i + len) && !country)
                || (after_role && self.is_particle(i + len) && unknown_cap(i + len + 1))
            {
                return false;
            }
            // "Ahmed Hassan said": a first name before makes the town a surname, also at the
            // start of a sentence.
            let given_before = i > 0
                && self.joined(i - 1, i)
                && self.t.toks.get(i - 1).is_some_and(|t| t.cap)
                && self.owner.get(i - 1).is_none_or(|o| o.is_none())
                && self.given(i - 1);
            if !country
                && i > 0
                && ((!self.t.toks.get(i).is_some_and(|t| t.initial) && unknown_cap(i - 1))
                    || given_before)
            {
                return false;
            }
        }
        true
    }

    /// A one-word demonym with the article ("السوداني"), which may end an Arabic name.
    fn demonym_at(&self, i: usize) -> bool {
        self.owner.get(i).copied().flatten().is_some_and(|o| {
            let sp = &self.spans[o];
            sp.toks.len() == 1
                && matches!(&sp.what, What::Place(r) if r.kind == PlaceKind::Demonym)
                && self.t.key(i).starts_with("ال")
        })
    }

    /// Token `i` is a common first name ("Ahmed", "Maria").
    fn given(&self, i: usize) -> bool {
        gazetteer::curated().given.contains(self.t.key(i))
    }

    fn is_particle(&self, i: usize) -> bool {
        self.t.toks.get(i).is_some_and(|t| !t.cap) && self.rules.particles.contains(self.t.key(i))
    }

    fn free(&self, i: usize) -> bool {
        self.owner.get(i).is_some_and(|o| o.is_none()) && !self.in_header(i)
    }

    /// A capitalized word that may be part of a name.
    fn name_word(&self, i: usize) -> bool {
        let Some(t) = self.t.toks.get(i) else {
            return false;
        };
        t.cap
            && self.cased(i)
            && self.free(i)
            && !self.rules.not_names.contains(self.t.key(i))
            && !(t.upper && t.word.len() == 1)
            && !self.t.key(i).chars().any(|c| c.is_ascii_digit())
    }

    /// A curated body of which each country has its own, written beside a country or demonym
    /// ("Kenya Red Cross", "Croix-Rouge kényane", "Deutsches Rotes Kreuz", "الهلال الأحمر
    /// الفلسطيني"), becomes that country's body: the entry that names it, or one named for the
    /// country. The country word is part of the name.
    fn national_bodies(&mut self) {
        let cur = gazetteer::curated();
        for k in 0..self.spans.len() {
            let (idx, toks) = match &self.spans[k].what {
                What::Known(KnownKind::Org, idx) => (*idx, self.spans[k].toks.clone()),
                _ => continue,
            };
            let Some(base) = cur.orgs.get(idx).and_then(|o| o.national.as_deref()) else {
                continue;
            };
            // Acronyms and long names are the international body ("ICRC", "Comité
            // international de la Croix-Rouge").
            if toks.len() > 3 || toks.clone().all(|j| self.t.toks[j].upper) {
                continue;
            }
            let country_at = |j: usize| {
                self.owner
                    .get(j)
                    .copied()
                    .flatten()
                    .and_then(|o| match &self.spans[o].what {
                        What::Place(r)
                            if matches!(r.kind, PlaceKind::Country | PlaceKind::Demonym) =>
                        {
                            Some((o, r.cc))
                        }
                        _ => None,
                    })
            };
            let before = toks
                .start
                .checked_sub(1)
                .filter(|&j| self.joined(j, toks.start))
                .and_then(country_at);
            let mut after_at = toks.end;
            // "Cruz Roja de Colombia", "Croix-Rouge du Kenya".
            if self.rules.connectors.contains(self.t.key(after_at))
                && self.t.toks.get(after_at).is_some_and(|t| !t.cap)
            {
                after_at += 1;
            }
            let after = self
                .joined(toks.end - 1, after_at)
                .then(|| country_at(after_at))
                .flatten();
            let Some((o, cc)) = before.or(after) else {
                continue;
            };
            let kin_of = |family: &str| {
                cur.orgs
                    .iter()
                    .find(|o| o.national.as_deref() == Some(family))
                    .and_then(|o| o.kin.as_deref())
            };
            let own = cur
                .orgs
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.country.as_deref() == Some(cc)
                        && e.national_of.as_deref().is_some_and(|f| {
                            f == base || kin_of(f).is_some_and(|k| kin_of(base) == Some(k))
                        })
                })
                .min_by_key(|(_, e)| e.national_of.as_deref() != Some(base))
                .map(|(i, _)| i);
            let what = match own {
                Some(i) => What::Known(KnownKind::Org, i),
                None => match gazetteer::country_name(cc) {
                    Some(c) => What::Named(format!("{c} {base}")),
                    None => continue,
                },
            };
            let place = self.spans[o].toks.clone();
            let r = toks.start.min(place.start)..toks.end.max(place.end);
            self.spans[o].what = What::Gone;
            self.spans[k].what = What::Gone;
            for j in r.clone() {
                if let Some(x) = self.owner.get_mut(j) {
                    *x = None;
                }
            }
            self.push_span(r, what, false);
        }
    }

    /// Pass 2a: organizations whose name is written in lower case after a capitalized first word
    /// ("Forces armées soudanaises", "Forze di Difesa israeliane", "Вооруженные силы России").
    fn read_org_phrases(&mut self) {
        if self.rules.org_words.is_empty() {
            return;
        }
        let n = self.t.toks.len();
        let head = |s: &Self, k: usize| s.rules.org_heads.contains(s.t.key(k));
        let mut i = 0;
        while i < n {
            let opens = self.cased(i)
                && self.t.toks[i].cap
                && self.free(i)
                && (head(self, i) || self.rules.org_words.contains(self.t.key(i)));
            if !opens {
                i += 1;
                continue;
            }
            // What the name may run over, and where it may end (`last`): it must hold a head word
            // and more than one word.
            let mut j = i + 1;
            let mut last = i;
            let mut has_head = head(self, i);
            while j < n && j - i < 9 && self.joined(j - 1, j) {
                let tok = &self.t.toks[j];
                let key = self.t.key(j);
                let place =
                    self.owner
                        .get(j)
                        .copied()
                        .flatten()
                        .and_then(|o| match &self.spans[o].what {
                            What::Place(row) => Some((o, row.kind)),
                            _ => None,
                        });
                if let Some((o, kind)) = place {
                    // A demonym or a place ends the name ("soudanaises", "Украины").
                    let end = self.spans[o].toks.end;
                    last = end - 1;
                    j = end;
                    if kind == PlaceKind::Demonym {
                        continue;
                    }
                    break;
                }
                // A capitalized role word is part of the name ("Fiscalía General del Estado").
                let role = self
                    .owner
                    .get(j)
                    .copied()
                    .flatten()
                    .is_some_and(|o| matches!(self.spans[o].what, What::Role));
                if !(self.free(j) || (role && tok.cap)) {
                    break;
                }
                if self.rules.connectors.contains(key) && !tok.cap {
                    j += 1;
                    continue;
                }
                if !tok.cap && (self.rules.org_words.contains(key) || head(self, j)) {
                    has_head |= head(self, j);
                } else if !(tok.cap && !tok.initial && !self.rules.name_stops.contains(key)) {
                    // Capitalized words go on, even those that alone name nothing ("Clan del
                    // Golfo").
                    break;
                }
                last = j;
                j += 1;
            }
            if !(has_head && last > i) {
                i += 1;
                continue;
            }
            let r = i..last + 1;
            // The places inside become part of the name.
            for k in r.clone() {
                if let Some(o) = self.owner.get(k).copied().flatten() {
                    self.spans[o].what = What::Gone;
                    if let Some(x) = self.owner.get_mut(k) {
                        *x = None;
                    }
                }
            }
            self.push_span(r, What::Org, false);
            i = last + 1;
        }
    }

    /// Pass 2: capitalized runs in Latin and Cyrillic text.
    fn read_runs(&mut self) {
        let n = self.t.toks.len();
        let mut i = 0;
        while i < n {
            let starts = self.name_word(i)
                || (self.t.toks.get(i).is_some_and(|t| t.hyphen_next)
                    && self.is_particle(i)
                    && self.free(i)
                    && self.name_word(i + 1));
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n && self.joined(j - 1, j) && j - i < 8 {
                if self.name_word(j) && !self.t.toks.get(j).is_some_and(|t| t.initial) {
                    j += 1;
                } else if self.is_particle(j)
                    && self.free(j)
                    && self.name_word(j + 1)
                    && self.joined(j, j + 1)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            // A curated person's name right after the run is its end ("Mustafah al-Kazimi"),
            // unless the run completes a role or body after a connector ("ministre de la Défense
            // Israël Katz").
            let complement = i > 0
                && self.same_sentence(i - 1, i)
                && self.t.toks.get(i - 1).is_some_and(|t| !t.cap)
                && (self.rules.connectors.contains(self.t.key(i - 1))
                    || self.rules.particles.contains(self.t.key(i - 1)));
            let mut next = j;
            if self.is_particle(next) && self.t.toks.get(next).is_some_and(|t| t.hyphen_next) {
                next += 1;
            }
            if !complement
                && let Some(o) = self.owner.get(next).copied().flatten()
                && matches!(self.spans[o].what, What::Known(KnownKind::Person, _))
                && self.spans[o].toks.start == next
                && self.same_sentence(i, next)
            {
                let e = self.spans[o].toks.end;
                self.spans[o].what = What::Gone;
                for k in j..e {
                    if let Some(x) = self.owner.get_mut(k) {
                        *x = None;
                    }
                }
                j = e;
            }
            let mut a = i;
            // A sentence opener that is a common word is not part of the name.
            while a < j {
                let tok = &self.t.toks[a];
                let k = self.t.key(a);
                if tok.initial
                    && (self.lower().contains(k) || self.rules.name_stops.contains(k))
                    && !tok.upper
                {
                    a += 1;
                } else {
                    break;
                }
            }
            while a < j && self.is_particle(a) && !self.t.toks[a].hyphen_next {
                a += 1;
            }
            if a < j {
                self.classify_run(a..j);
            }
            i = j.max(i + 1);
        }
    }

    fn classify_run(&mut self, mut r: Range<usize>) {
        let n = self.t.toks.len();
        // Where nouns are capitalized, a noun may open the run before a name ("Angreifer Abdul
        // Karim"): the name starts at its first name.
        if self.rules.nouns_capitalized
            && !self.given(r.start)
            && let Some(p) = r.clone().skip(1).find(|&k| self.given(k))
        {
            r.start = p;
        }
        // "il prefetto di Napoli Claudio Palomba": a well-known place before a name is its own.
        if r.len() >= 3
            && !self.is_particle(r.start + 1)
            && let Some(row) = gazetteer::lookup(self.t.key(r.start)).find(|row| {
                matches!(row.kind, PlaceKind::Country | PlaceKind::Capital)
                    || (row.kind == PlaceKind::Place && row.rank >= BIG_CITY)
            })
        {
            let loc = self.after_locative(r.start);
            self.push_span(r.start..r.start + 1, What::Place(row), loc);
            r.start += 1;
        }
        let has_head = |s: &Self, r: &Range<usize>| {
            r.clone().any(|k| {
                let key = s.t.key(k);
                s.rules.org_heads.contains(key)
                    || s.rules
                        .org_suffixes
                        .iter()
                        .any(|x| key.ends_with(x.as_str()))
            })
        };
        let nounish = |s: &Self, r: &Range<usize>| {
            r.clone().any(|k| {
                let key = s.t.key(k);
                s.rules
                    .noun_suffixes
                    .iter()
                    .any(|x| key.len() > x.len() + 2 && key.ends_with(x.as_str()))
            })
        };
        // Where nouns are capitalized, words that are all heads name no one body
        // ("Rettungskräfte und Sicherheitskräfte").
        let generic = |s: &Self, r: &Range<usize>| {
            s.rules.nouns_capitalized
                && r.clone()
                    .filter(|&k| !s.rules.connectors.contains(s.t.key(k)))
                    .all(|k| has_head(s, &(k..k + 1)))
        };
        // "Ministry of Foreign Affairs", "Council for …": join across a connector.
        let place_word = |s: &Self, k: usize| {
            s.t.toks.get(k).is_some_and(|t| t.cap)
                && s.owner
                    .get(k)
                    .copied()
                    .flatten()
                    .is_some_and(|o| matches!(s.spans[o].what, What::Place(_)))
        };
        if r.end + 1 < n
            && self.joined(r.end - 1, r.end + 1)
            && self.rules.connectors.contains(self.t.key(r.end))
            && self.free(r.end)
            && (self.name_word(r.end + 1) || place_word(self, r.end + 1))
        {
            let mut e = r.end + 1;
            while e < n && (self.name_word(e) || place_word(self, e)) && self.joined(e - 1, e) {
                e += 1;
            }
            let ext = r.start..e;
            if has_head(self, &r) {
                // The places inside become part of the name ("Central Committee of Sudan Doctors").
                for k in ext.clone() {
                    if let Some(o) = self.owner.get(k).copied().flatten() {
                        self.spans[o].what = What::Gone;
                        if let Some(x) = self.owner.get_mut(k) {
                            *x = None;
                        }
                    }
                }
                r = ext;
            }
        }
        // A role just before, or before a few lower-case words or places ("Premier ministre
        // israélien", "мэр города", "Премьер-министр Израиля").
        let mut role_at = None;
        let mut j = r.start;
        while j > 0 && r.start - j < 4 {
            j -= 1;
            if !self.same_sentence(j, r.start) {
                break;
            }
            match self
                .owner
                .get(j)
                .copied()
                .flatten()
                .map(|o| &self.spans[o].what)
            {
                Some(What::Role) => {
                    role_at = Some(j);
                    break;
                }
                Some(What::Place(_)) => continue,
                Some(_) => break,
                None if !self.t.toks[j].cap && !self.rules.name_stops.contains(self.t.key(j)) => {
                    continue;
                }
                None => break,
            }
        }
        let role_before = role_at.is_some();
        // "la comunidad de El Aguaje": a capitalized article opens a place's name.
        if r.start > 2
            && self.t.toks[r.start - 1].cap
            && !self.t.toks[r.start - 1].initial
            && self.free(r.start - 1)
            && self.rules.not_names.contains(self.t.key(r.start - 1))
            && self.joined(r.start - 1, r.start)
            && self.rules.connectors.contains(self.t.key(r.start - 2))
            && self.rules.place_nouns.contains(self.t.key(r.start - 3))
            && self.same_sentence(r.start - 3, r.start)
        {
            r.start -= 1;
        }
        let words = r.clone().filter(|&k| !self.is_particle(k)).count();
        let after_place_noun = r.start > 0 && {
            let mut j = r.start - 1;
            if self.rules.connectors.contains(self.t.key(j)) && j > 0 {
                j -= 1;
            }
            // "губернатор Белгородской области Вячеслав Гладков": the noun ends a region's name.
            let ends_name = j > 0
                && self.same_sentence(j - 1, j)
                && self
                    .owner
                    .get(j - 1)
                    .copied()
                    .flatten()
                    .is_some_and(|o| matches!(self.spans[o].what, What::Place(_)));
            let gap = self
                .ctx
                .doc
                .norm
                .get(self.t.toks[j].span.end..self.t.toks[r.start].span.start)
                .unwrap_or("");
            !ends_name
                && self.rules.place_nouns.contains(self.t.key(j))
                && self.same_sentence(j, r.start)
                && !gap.contains([',', ';', ':', '(', '"'])
        };
        let starts_with_place_noun =
            words >= 2 && self.rules.place_nouns.contains(self.t.key(r.start));
        // "the Hodan district", "the Zamzam camp": a place noun right after the name.
        let before_place_noun = words <= 3
            && self.t.toks.get(r.end).is_some_and(|t| !t.cap)
            && self.joined(r.end - 1, r.end)
            && self.rules.place_nouns.contains(self.t.key(r.end));
        // A dateline's place that no table knows ("SEYTENGA, Burkina Faso (AFP) -").
        let dateline = self.dateline.contains(&r.start)
            && r.clone().all(|k| self.t.toks[k].upper)
            && !self.t.toks[r.start].possessive;
        if dateline && !has_head(self, &r) {
            self.push_span(r, What::NewPlace, false);
        } else if (after_place_noun && words <= 3 && !role_before
            || starts_with_place_noun
            || before_place_noun && !role_before)
            && !has_head(self, &r)
        {
            self.push_span(r, What::NewPlace, true);
        } else if has_head(self, &r)
            && (words >= 2 || self.t.toks[r.start].upper)
            && !generic(self, &r)
        {
            // A country's name right before is part of the body's name ("Nigeria Police Force",
            // "Sudan Liberation Army"); a demonym stays a place ("Iraqi Defence Ministry").
            if let Some(c) = r.start.checked_sub(1)
                && self.joined(c, r.start)
                && self.t.toks.get(c).is_some_and(|t| t.cap && !t.possessive)
                && let Some(o) = self.owner.get(c).copied().flatten()
                && matches!(&self.spans[o].what, What::Place(row) if row.kind == PlaceKind::Country)
                && self.spans[o].toks.end == r.start
                && !self.spans[o].locative
            {
                let start = self.spans[o].toks.start;
                self.spans[o].what = What::Gone;
                for k in start..r.start {
                    if let Some(x) = self.owner.get_mut(k) {
                        *x = None;
                    }
                }
                r.start = start;
            }
            self.push_span(r, What::Org, false);
        } else if role_before && words <= MAX_NAME_TOKENS {
            let role = role_at.and_then(|j| self.role_text(j, r.start));
            self.push_span(r, What::Person, false);
            if let Some(sp) = self.spans.last_mut() {
                sp.role = role;
            }
        } else if (2..=4).contains(&words)
            && !r.clone().all(|k| self.t.toks[k].upper)
            && !nounish(self, &r)
            && (!self.rules.nouns_capitalized || self.person_evidence(&r))
            // "Washington Says Strike …" in a headline's capitals: a verb is no part of a name.
            && !r
                .clone()
                .any(|k| self.rules.speech_verbs.contains(self.t.key(k)))
        {
            self.push_span(r, What::Person, false);
        } else if words == 1 && self.t.toks[r.start].upper && self.t.toks[r.start].word.len() >= 3 {
            self.push_span(r, What::Org, false);
        }
        // An unknown name right after a locative word is a place ("a Casamicciola").
        else if words == 1
            && !self.t.toks[r.start].initial
            && r.start > 0
            && self.rules.locatives.contains(self.t.key(r.start - 1))
            && !self.rules.nouns_capitalized
            && self.t.toks[r.start].script == self.t.toks[r.start - 1].script
        {
            self.push_span(r, What::NewPlace, true);
        }
        // Other single capitalized words stay free: a later merge step links surnames.
    }

    /// Where every noun is capitalized, a run of capitalized words is a person's name only with
    /// some sign of one: a common first name, a particle ("al-", "von"), a verb of speaking
    /// beside it, or its last word again elsewhere beside one ("… Schneider. Schneider sagte").
    fn person_evidence(&self, r: &Range<usize>) -> bool {
        // Particles that are also articles or connectors ("der", "von der") say nothing.
        let particle =
            |k: usize| self.is_particle(k) && !self.rules.connectors.contains(self.t.key(k));
        if self.given(r.start) || r.clone().any(particle) || self.speaks(r.clone(), true) {
            return true;
        }
        // An apposition: "Der Polizeichef der Provinz, Moazzam Jah Ansari, sagte".
        let comma_verb = self.t.toks.get(r.end).is_some_and(|t| {
            self.same_sentence(r.end - 1, r.end)
                && self
                    .ctx
                    .doc
                    .norm
                    .get(self.t.toks[r.end - 1].span.end..t.span.start)
                    .is_some_and(|g| g.trim() == ",")
                && self.rules.speech_verbs.contains(self.t.key(r.end))
        });
        let role_near = (r.start.saturating_sub(5)..r.start).any(|j| {
            self.same_sentence(j, r.start)
                && self
                    .owner
                    .get(j)
                    .copied()
                    .flatten()
                    .is_some_and(|o| matches!(self.spans[o].what, What::Role))
        });
        if comma_verb || role_near {
            return true;
        }
        let last = self.t.key(r.end - 1);
        (0..self.t.toks.len()).any(|j| {
            !r.contains(&j)
                && self.t.toks[j].cap
                && self.t.key(j) == last
                && self.speaks(j..j + 1, true)
        })
    }

    /// The role before a name: the role phrase plus a country or demonym just before it.
    fn role_text(&self, role_tok: usize, name_start: usize) -> Option<String> {
        let o = self.owner.get(role_tok).copied().flatten()?;
        let mut start = self.spans.get(o)?.toks.start;
        let end = name_start.max(self.spans.get(o)?.toks.end);
        if start > 0
            && let Some(p) = self.owner.get(start - 1).copied().flatten()
            && let What::Place(row) = &self.spans[p].what
            && matches!(row.kind, PlaceKind::Country | PlaceKind::Demonym)
        {
            start = self.spans[p].toks.start;
        }
        Some(self.tok_text(start..end))
    }

    /// Pass 3: in scripts without capitals, the words after a role are the name.
    fn read_uncased_names(&mut self) {
        let roles: Vec<usize> = (0..self.spans.len())
            .filter(|&k| matches!(self.spans[k].what, What::Role))
            .collect();
        for k in roles {
            let end = self.spans[k].toks.end;
            let mut a = end;
            // A word with the article, also behind a proclitic ("واللاجئين").
            let article = |s: &Self, j: usize| {
                let k = s.t.key(j);
                let bare = |w: &str| {
                    s.rules
                        .name_articles
                        .iter()
                        .any(|p| w.len() > p.len() + 2 && w.starts_with(p.as_str()))
                };
                s.free(j)
                    && (bare(k)
                        || s.rules
                            .proclitics
                            .iter()
                            .any(|(p, _)| k.strip_prefix(p.as_str()).is_some_and(bare)))
            };
            // "المتحدث باسم الخارجية": the word after "on behalf of" is the body spoken for; an
            // unknown body takes its adjectives and complements with it ("المنسقية العامة
            // للنازحين"), so the name is what follows them, or nothing.
            if end > 0 && self.rules.role_of.contains(self.t.key(end - 1)) {
                a = match self.owner.get(a).copied().flatten() {
                    Some(o) => self.spans[o].toks.end,
                    None => {
                        let mut b = a + 1;
                        while b < a + 5
                            && (article(self, b) || self.demonym_at(b))
                            && self.same_sentence(a, b)
                        {
                            b += 1;
                        }
                        b
                    }
                };
            }
            // Skip a demonym or country after the role ("الرئيس الأمريكي").
            while let Some(o) = self.owner.get(a).copied().flatten() {
                match &self.spans[o].what {
                    What::Place(row)
                        if matches!(row.kind, PlaceKind::Demonym | PlaceKind::Country) =>
                    {
                        a = self.spans[o].toks.end;
                    }
                    _ => break,
                }
            }
            // "المتحدث باسم وزارة الصحة في غزة": where the body sits comes before the name.
            if a > end
                && self
                    .t
                    .toks
                    .get(a)
                    .is_some_and(|t| t.script == Script::Arabic)
                && self.rules.locatives.contains(self.t.key(a))
                && let Some(o) = self.owner.get(a + 1).copied().flatten()
                && matches!(self.spans[o].what, What::Place(_))
            {
                a = self.spans[o].toks.end;
            }
            // "رئيس المجلس الرئاسي الليبي محمد المنفي", "مدير المستشفى محمد علي": a noun with the
            // article and its adjectives complete the role; the name follows them.
            if article(self, a)
                && (article(self, a + 1) || self.demonym_at(a + 1) || self.given(a + 1))
            {
                let mut b = a;
                while b < a + 5
                    && (article(self, b) || self.demonym_at(b))
                    && self.same_sentence(a, b)
                {
                    b += 1;
                }
                a = b;
            }
            // "مدير مستشفى الفاشر الجنوبي محمد علي": a first name a few words on opens the name;
            // the words before it still describe the role.
            if !self.given(a)
                && let Some(p) = (a + 1..(a + 5).min(self.t.toks.len()))
                    .take_while(|&j| {
                        self.same_sentence(a, j)
                            && !self.rules.name_stops.contains(self.t.key(j - 1))
                            && !self.rules.roles.contains(self.t.key(j - 1))
                            && self.t.toks[j - 1].script == Script::Arabic
                    })
                    .find(|&j| self.given(j) && self.free(j))
            {
                a = p;
            }
            let Some(first) = self.t.toks.get(a) else {
                continue;
            };
            if first.script != Script::Arabic || !self.same_sentence(end - 1, a) {
                continue;
            }
            let mut b = a;
            while b < self.t.toks.len()
                && b - a < 3
                && (self.free(b) || (b > a && self.demonym_at(b)))
                && self.same_sentence(a, b)
                && self.t.toks[b].script == Script::Arabic
                // "محمد علي": after a first name, a first name spelt like a function word
                // ("على") is still the name.
                && (!self.rules.name_stops.contains(self.t.key(b))
                    || (b > a && self.given(b - 1) && self.given(b)))
                && !self.rules.roles.contains(self.t.key(b))
            {
                // Punctuation between words ends the name.
                if b > a {
                    let gap = self
                        .ctx
                        .doc
                        .norm
                        .get(self.t.toks[b - 1].span.end..self.t.toks[b].span.start)
                        .unwrap_or("");
                    if !gap.trim().is_empty() {
                        break;
                    }
                }
                b += 1;
                // "ثابت العباسي موقع …": a word with the article ends the name, unless it follows
                // a word that takes one ("عبد الفتاح", "أبو بكر").
                let k = self.t.key(b - 1);
                if self
                    .rules
                    .name_articles
                    .iter()
                    .any(|p| k.len() > p.len() + 2 && k.starts_with(p.as_str()))
                    && (b - 1 == a || !self.rules.name_joiners.contains(self.t.key(b - 2)))
                {
                    break;
                }
            }
            if b > a {
                // A family name that reads as a demonym ("السوداني") belongs to the name.
                for j in a..b {
                    if let Some(o) = self.owner.get(j).copied().flatten() {
                        self.spans[o].what = What::Gone;
                        if let Some(x) = self.owner.get_mut(j) {
                            *x = None;
                        }
                    }
                }
                let role = {
                    let r = self.spans[k].toks.clone();
                    Some(self.tok_text(r.start..a))
                };
                self.push_span(a..b, What::Person, false);
                if let Some(sp) = self.spans.last_mut() {
                    sp.role = role;
                }
            }
        }
    }

    /// Merges mentions into entities; returns them and, for each place mention, its entity's
    /// country and kind with the mention's first token.
    fn merge(&self) -> (Vec<Entity>, Vec<PlaceHit>) {
        let cur = gazetteer::curated();
        let mut ents: Vec<Ent> = Vec::new();
        let mut by_place: HashMap<(&str, &str), usize> = HashMap::default();
        let mut by_known: HashMap<(u8, usize), usize> = HashMap::default();
        let mut hits = Vec::new();
        // Last names of the people named in full: a lone word spelt like one of them is a second
        // mention, not the town of that name ("Mansir Hassan … Hassan said" is not Hassan, India).
        let surnames: HashSet<String> = self
            .spans
            .iter()
            .filter_map(|sp| match &sp.what {
                What::Person if sp.toks.len() >= 2 => {
                    name_skeletons(&self.tok_text(sp.toks.clone()), &self.rules.particles).pop()
                }
                What::Known(KnownKind::Person, idx) => cur
                    .people
                    .get(*idx)
                    .and_then(|p| name_skeletons(&p.name, &self.rules.particles).pop()),
                _ => None,
            })
            .collect();
        let mut demoted: Vec<usize> = Vec::new();
        // The one country's body of each family that the text names: a short mention of the
        // family is a second mention of it ("Kenya Red Cross … the Red Cross said").
        let mut national_here: HashMap<&str, Option<usize>> = HashMap::default();
        for sp in &self.spans {
            if let What::Known(KnownKind::Org, idx) = sp.what
                && let Some(f) = cur.orgs.get(idx).and_then(|o| o.national_of.as_deref())
            {
                national_here
                    .entry(f)
                    .and_modify(|e| {
                        if *e != Some(idx) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(idx));
            }
        }
        // People first by length, so that short forms find their full name.
        let mut order: Vec<usize> = (0..self.spans.len()).collect();
        order.sort_by_key(|&k| {
            let sp = &self.spans[k];
            (std::cmp::Reverse(sp.toks.len()), sp.toks.start)
        });
        for k in order {
            let sp = &self.spans[k];
            let text = self.tok_text(sp.toks.clone());
            let pos = sp.toks.start;
            match &sp.what {
                What::Role | What::Gone => {}
                What::NewPlace => {
                    let e = ents
                        .iter()
                        .position(|e| e.kind == EntityType::Location && e.name == text)
                        .unwrap_or_else(|| {
                            ents.push(Ent::new(EntityType::Location, text.clone(), pos));
                            ents.len() - 1
                        });
                    ents[e].hit(pos);
                }
                What::Place(row)
                    if sp.toks.len() == 1
                        && row.kind == PlaceKind::Place
                        && !sp.locative
                        && !surnames.is_empty()
                        && surnames.contains(&skeleton(self.t.key(pos))) =>
                {
                    demoted.push(pos);
                }
                What::Place(row) => {
                    let name = if row.kind == PlaceKind::Demonym {
                        gazetteer::country_name(row.cc).unwrap_or(row.name)
                    } else {
                        row.name
                    };
                    let e = *by_place.entry((name, row.cc)).or_insert_with(|| {
                        ents.push(Ent::new(EntityType::Location, name.to_string(), pos));
                        ents.len() - 1
                    });
                    let ent = &mut ents[e];
                    // The entity of (name, code): its country is already this code when set.
                    if ent.country.is_none() {
                        ent.country = Some(row.cc.to_string());
                    }
                    if row.kind != PlaceKind::Demonym {
                        ent.add_alias(&text);
                    }
                    ent.hit(pos);
                    // Part of a role ("US Secretary of State", "وزير الخارجية الأمريكي").
                    let is_role = |j: Option<usize>| {
                        j.and_then(|j| self.owner.get(j).copied().flatten())
                            .is_some_and(|o| matches!(self.spans[o].what, What::Role))
                    };
                    let in_role = is_role(Some(sp.toks.end)) || is_role(pos.checked_sub(1));
                    let seat = (1..=3).any(|d| {
                        pos >= d
                            && self.same_sentence(pos - d, pos)
                            && self.rules.seat_words.contains(self.t.key(pos - d))
                    }) || (0..2).any(|d| {
                        let j = sp.toks.end + d;
                        self.t.toks.get(j).is_some()
                            && self.same_sentence(pos, j)
                            && self.rules.seat_words.contains(self.t.key(j))
                    }) || self.t.toks.get(sp.toks.end).is_some_and(|t| {
                        t.hyphen_next && self.rules.seat_words.contains(self.t.key(sp.toks.end))
                    }) || (self
                        .t
                        .toks
                        .get(sp.toks.end.saturating_sub(1))
                        .is_some_and(|t| t.hyphen_next)
                        && self.rules.seat_words.contains(self.t.key(sp.toks.end)));
                    let agent = (1..=3).any(|d| {
                        pos >= d
                            && self.same_sentence(pos - d, pos)
                            && self.rules.agents.contains(self.t.key(pos - d))
                    });
                    // "Washington condemned", "Пекин заявил": the government speaks; the place
                    // stays an entity (it is named) but does not say where the event was.
                    // "residents of Kyiv said" speak from the place.
                    let actor = !sp.locative
                        && matches!(row.kind, PlaceKind::Capital | PlaceKind::Country)
                        && !pos
                            .checked_sub(1)
                            .is_some_and(|j| self.rules.connectors.contains(self.t.key(j)))
                        && self.speaks(sp.toks.clone(), true);
                    // "Luanda mediators", "talks in Doha": the capital's government.
                    let gov = |j: usize| {
                        self.t.toks.get(j).is_some()
                            && self.same_sentence(pos, j)
                            && self.rules.government_words.contains(self.t.key(j))
                    };
                    let diplomacy = row.kind == PlaceKind::Capital
                        && (gov(sp.toks.end) || (pos.saturating_sub(3)..pos).any(gov));
                    // "US forces": an acronym used as an adjective.
                    let attributive = row.case == Case::Upper
                        && self.t.toks.get(sp.toks.end).is_some_and(|t| !t.cap)
                        && self.same_sentence(pos, sp.toks.end);
                    let possessive = self
                        .t
                        .toks
                        .get(sp.toks.end.saturating_sub(1))
                        .is_some_and(|t| t.possessive);
                    // "the Syrian border", "la frontière irakienne", "الحدود العراقية": the event is
                    // near it, though perhaps on the other side.
                    let border = [
                        sp.toks.end,
                        sp.toks.end + 1,
                        pos.wrapping_sub(1),
                        pos.wrapping_sub(2),
                        pos.wrapping_sub(3),
                        pos.wrapping_sub(4),
                        pos.wrapping_sub(5),
                        pos.wrapping_sub(6),
                    ]
                    .into_iter()
                    .any(|j| {
                        self.t.toks.get(j).is_some()
                            && self.same_sentence(j, pos)
                            && self.rules.borders.contains(self.t.key(j))
                    });
                    // "the border with Nigeria and Mali": the countries beyond it are neighbours.
                    let beyond = (1..=6).any(|d| {
                        pos >= d
                            && self.same_sentence(pos - d, pos)
                            && self.rules.borders.contains(self.t.key(pos - d))
                            && (pos - d + 1..pos)
                                .any(|j| self.rules.border_with.contains(self.t.key(j)))
                    });
                    let border = border && !beyond;
                    hits.push(PlaceHit {
                        cc: row.cc,
                        kind: row.kind,
                        tok: pos,
                        locative: sp.locative,
                        border,
                        name,
                        dateline: self.dateline.contains(&pos),
                        homonym: sp.toks.len() == 1
                            && !row.curated()
                            && (row.kind == PlaceKind::Region
                                || (row.kind == PlaceKind::Place && row.rank < BIG_CITY)),
                        damp: if in_role || seat || actor || diplomacy {
                            0.1
                        } else if agent || possessive {
                            0.3
                        } else if attributive {
                            0.5
                        } else {
                            1.0
                        },
                    });
                }
                What::Known(kind, idx) => {
                    let short =
                        sp.toks.len() <= 3 && !sp.toks.clone().all(|j| self.t.toks[j].upper);
                    let idx = match cur.orgs.get(*idx).and_then(|o| o.national.as_deref()) {
                        Some(f) if *kind == KnownKind::Org && short => {
                            national_here.get(f).copied().flatten().unwrap_or(*idx)
                        }
                        _ => *idx,
                    };
                    let idx = &idx;
                    let (list, ty, tag) = match kind {
                        KnownKind::Org => (&cur.orgs, EntityType::Organization, 0u8),
                        KnownKind::Person => (&cur.people, EntityType::Person, 1u8),
                    };
                    let Some(known) = list.get(*idx) else {
                        continue;
                    };
                    let e = match by_known.get(&(tag, *idx)) {
                        Some(&e) => e,
                        None => {
                            let skel = name_skeletons(&known.name, &self.rules.particles);
                            let e = if ty == EntityType::Person {
                                find_person(&ents, &skel)
                            } else {
                                None
                            };
                            let e = e.unwrap_or_else(|| {
                                ents.push(Ent::new(ty, known.name.clone(), pos));
                                ents.len() - 1
                            });
                            ents[e].name = known.name.clone();
                            ents[e].fixed = true;
                            ents[e].skel = skel;
                            by_known.insert((tag, *idx), e);
                            e
                        }
                    };
                    ents[e].add_alias(&text);
                    ents[e].hit(pos);
                }
                What::Person => {
                    let skel = name_skeletons(&text, &self.rules.particles);
                    if skel.is_empty() {
                        continue;
                    }
                    let e = find_person(&ents, &skel).unwrap_or_else(|| {
                        let mut ent = Ent::new(EntityType::Person, text.clone(), pos);
                        ent.skel = skel.clone();
                        // A spelling of a curated person takes the curated name.
                        if let Some((known, ks)) = cur
                            .people
                            .iter()
                            .zip(self.rules.people_skeletons())
                            .find(|(_, ks)| {
                                ks.last() == skel.last() && skel.iter().all(|w| ks.contains(w))
                            })
                        {
                            ent.name = known.name.clone();
                            ent.skel = ks.clone();
                            ent.fixed = true;
                        }
                        ents.push(ent);
                        ents.len() - 1
                    });
                    let ent = &mut ents[e];
                    if !ent.fixed && skel.len() > ent.skel.len() {
                        ent.name = text.clone();
                        ent.skel = skel;
                    }
                    if ent.role.is_none() {
                        ent.role = sp.role.clone();
                    }
                    ent.add_alias(&text);
                    ent.hit(pos);
                }
                What::Named(name) => {
                    let e = ents
                        .iter()
                        .position(|e| e.kind == EntityType::Organization && e.name == *name)
                        .unwrap_or_else(|| {
                            let mut ent = Ent::new(EntityType::Organization, name.clone(), pos);
                            ent.fixed = true;
                            ents.push(ent);
                            ents.len() - 1
                        });
                    ents[e].add_alias(&text);
                    ents[e].hit(pos);
                }
                What::Org => {
                    let skel = name_skeletons(&text, &HashSet::default());
                    let folded = key_of(&text);
                    let e = ents
                        .iter()
                        .position(|e| {
                            e.kind == EntityType::Organization
                                && (e.skel == skel || e.initials.as_ref() == Some(&folded))
                        })
                        .unwrap_or_else(|| {
                            let mut ent = Ent::new(EntityType::Organization, text.clone(), pos);
                            ent.skel = skel.clone();
                            ent.initials = initials(&text, &self.rules.connectors);
                            ents.push(ent);
                            ents.len() - 1
                        });
                    ents[e].add_alias(&text);
                    ents[e].hit(pos);
                }
            }
        }
        // Free capitalized words that are a known person's surname or name part.
        let mut by_last: HashMap<String, usize> = HashMap::default();
        for (e, ent) in ents.iter().enumerate() {
            if ent.kind == EntityType::Person
                && let Some(l) = ent.skel.last()
            {
                by_last.entry(l.clone()).or_insert(e);
            }
        }
        for i in 0..self.t.toks.len() {
            if by_last.is_empty() {
                break;
            }
            let tok = &self.t.toks[i];
            if !(tok.cap || tok.script == Script::Arabic) || !(self.free(i) || demoted.contains(&i))
            {
                continue;
            }
            let k = self.t.key(i);
            if self.rules.not_names.contains(k) || self.rules.name_stops.contains(k) {
                continue;
            }
            let sk = skeleton(k);
            if sk.chars().count() < 3 {
                continue;
            }
            if let Some(&e) = by_last.get(&sk) {
                // A sentence opener is capitalized anyway: only the surname spelt the same way
                // is a mention ("Weitere" is not "Waziri").
                if tok.initial
                    && self.cased(i)
                    && key_of(&ents[e].name).rsplit(' ').next() != Some(k)
                {
                    continue;
                }
                let text = self.tok_text(i..i + 1);
                ents[e].add_alias(&text);
                ents[e].hit(i);
            }
        }
        let mut out: Vec<(usize, Entity)> = ents
            .into_iter()
            .filter(|e| e.mentions > 0)
            .map(|e| {
                let first = e.first;
                (first, e.into_entity())
            })
            .collect();
        out.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(&b.0)));
        (out.into_iter().map(|(_, e)| e).collect(), hits)
    }

    /// `event.countries` and `event.locations` from the place mentions.
    fn event_places(
        &self,
        casualties: &Casualties,
        hits: &[PlaceHit],
    ) -> (Vec<String>, Vec<String>) {
        let doc = self.ctx.doc;
        let mains = super::event::MainSpans::new(casualties);
        // Sentence weights: title and the sentences of the main figures count most, then the lead.
        let mut weight = vec![0.5f64; doc.sentences.len()];
        let mut lead = 0;
        for (si, s) in doc.sentences.iter().enumerate() {
            let in_title = self
                .ctx
                .title
                .is_some_and(|t| t.start <= s.start && s.end <= t.end);
            let in_header = self
                .ctx
                .header
                .iter()
                .any(|h| h.start <= s.start && s.end <= h.end);
            if in_header {
                weight[si] = 0.0;
                continue;
            }
            if in_title {
                weight[si] = 3.0;
                continue;
            }
            if lead < 2 {
                weight[si] = 2.0;
                lead += 1;
            }
            let src = doc.source_range(s.clone());
            if mains.overlaps(&src) {
                weight[si] = weight[si].max(3.0);
            }
        }
        let mut score: HashMap<&str, f64> = HashMap::default();
        let mut order: Vec<&str> = Vec::new();
        // Countries placed by a town, a region or "in <country>" in the title, lead or the main
        // figures' sentences.
        let mut strong: HashSet<&str> = HashSet::default();
        // Countries the text names, by name or demonym.
        let named: HashSet<&str> = hits
            .iter()
            .filter(|h| matches!(h.kind, PlaceKind::Country | PlaceKind::Demonym))
            .map(|h| h.cc)
            .collect();
        // Each hit's share, and whether it is a place of a country the text never names that
        // yields to an established one: a homonym town, or a capital named away from the main
        // figures ("les médiateurs de Luanda").
        let mut shares: Vec<(&str, f64, bool)> = Vec::with_capacity(hits.len());
        for h in hits {
            let Some(tok) = self.t.toks.get(h.tok) else {
                continue;
            };
            let w = weight.get(tok.sent).copied().unwrap_or(0.5);
            let is_place = |j: usize| {
                self.owner
                    .get(j)
                    .copied()
                    .flatten()
                    .is_some_and(|o| matches!(self.spans[o].what, What::Place(_)))
            };
            // Two countries on one border ("the Iraqi-Syrian border", "la frontera entre Irak y
            // Siria").
            let pair = (tok.hyphen_next && is_place(h.tok + 1))
                || (h.tok > 0
                    && self.t.toks.get(h.tok - 1).is_some_and(|p| p.hyphen_next)
                    && is_place(h.tok - 1))
                || (h.border
                    && hits
                        .iter()
                        .any(|o| o.border && o.cc != h.cc && o.tok.abs_diff(h.tok) <= 5));
            // Towns and regions say where; a country counts mostly when the text puts the event in
            // it ("in Syria", "the Syrian border"), not when it acts or speaks.
            let form = match h.kind {
                PlaceKind::Place | PlaceKind::Region => 2.0,
                PlaceKind::Country | PlaceKind::Capital if h.locative => 2.0,
                // "the Iraqi-Syrian border": both sides named, the event is on it.
                PlaceKind::Country | PlaceKind::Demonym if h.border && pair => 2.0,
                PlaceKind::Country | PlaceKind::Demonym if h.border => 1.0,
                PlaceKind::Country => 0.4,
                PlaceKind::Capital => 0.3,
                PlaceKind::Demonym => 0.25,
            };
            // "pro-Iran", "Iran-backed", "US-led": the country is an actor, not a place.
            let lower_word = |j: usize| {
                self.t
                    .toks
                    .get(j)
                    .is_some_and(|t| !t.cap && t.script != Script::Arabic)
                    && self.owner.get(j).is_none_or(|o| o.is_none())
            };
            let prev_hyphen = h.tok > 0
                && self.t.toks.get(h.tok - 1).is_some_and(|p| p.hyphen_next)
                && lower_word(h.tok - 1);
            let compound = (tok.hyphen_next && lower_word(h.tok + 1)) || prev_hyphen;
            let f = if compound { 0.2 } else { 1.0 };
            // Where the reporter files from counts only when nothing else says where.
            let form = if h.dateline {
                f64::min(form, 0.3)
            } else {
                form
            };
            if form >= 2.0 && w >= 2.0 && f * h.damp >= 1.0 {
                strong.insert(h.cc);
            }
            // The home country's capital needs no naming ("en Madrid" in Spanish news).
            let home = self.rules.home.iter().any(|c| c == h.cc);
            let yields = !named.contains(h.cc)
                && (h.homonym || (h.kind == PlaceKind::Capital && w < 3.0 && !home));
            shares.push((h.cc, w * form * f * h.damp, yields));
        }
        // A country the text names, or the pack's home country that its news need not name, and
        // places the event in.
        let established: Vec<&str> = strong
            .iter()
            .copied()
            .filter(|c| named.contains(c) || self.rules.home.iter().any(|h| h == c))
            .collect();
        for &(cc, share, yields) in &shares {
            if yields && established.iter().any(|&c| c != cc) {
                continue;
            }
            if !score.contains_key(cc) {
                order.push(cc);
            }
            *score.entry(cc).or_insert(0.0) += share;
        }
        let max = score.values().copied().fold(0.0f64, f64::max);
        let mut ccs: Vec<(&str, f64)> = order
            .iter()
            .map(|&c| (c, score[c]))
            .filter(|&(c, s)| {
                max > 0.0 && (s >= 0.5 * max || (s >= 0.25 * max && strong.contains(c)))
            })
            .collect();
        ccs.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        ccs.truncate(3);
        let countries: Vec<String> = ccs.iter().map(|(c, _)| c.to_string()).collect();
        // Places below country level named where the event is told.
        let mut locs: Vec<(String, f64)> = Vec::new();
        for h in hits {
            if !matches!(
                h.kind,
                PlaceKind::Place | PlaceKind::Region | PlaceKind::Capital
            ) || !countries.iter().any(|c| c == h.cc)
                || h.dateline
            {
                continue;
            }
            let Some(tok) = self.t.toks.get(h.tok) else {
                continue;
            };
            let w = weight.get(tok.sent).copied().unwrap_or(0.5);
            if w < 2.0 {
                continue;
            }
            let name = h.name.to_string();
            match locs.iter_mut().find(|(n, _)| *n == name) {
                Some(l) => l.1 += w,
                None => locs.push((name, w)),
            }
        }
        locs.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        (
            countries,
            locs.into_iter().map(|(n, _)| n).take(5).collect(),
        )
    }
}

#[derive(Debug, Clone)]
struct PlaceHit {
    cc: &'static str,
    kind: PlaceKind,
    tok: usize,
    locative: bool,
    border: bool,
    name: &'static str,
    /// Less weight for an actor's country: in a role, after "by", an attributive acronym.
    damp: f64,
    /// The filing place of a dateline: where the reporter is, not necessarily the event.
    dateline: bool,
    /// A one-word name of a town or region from the generated tables, the kind that shares its
    /// name with other places ("Mahdia", "Centre").
    homonym: bool,
}

/// An entity being built.
#[derive(Debug)]
struct Ent {
    kind: EntityType,
    name: String,
    /// Canonical name from the data: later spellings do not replace it.
    fixed: bool,
    role: Option<String>,
    country: Option<String>,
    aliases: Vec<String>,
    mentions: usize,
    first: usize,
    skel: Vec<String>,
    initials: Option<String>,
}

impl Ent {
    fn new(kind: EntityType, name: String, first: usize) -> Ent {
        Ent {
            kind,
            name,
            fixed: false,
            role: None,
            country: None,
            aliases: Vec::new(),
            mentions: 0,
            first,
            skel: Vec::new(),
            initials: None,
        }
    }

    fn hit(&mut self, pos: usize) {
        self.mentions += 1;
        self.first = self.first.min(pos);
    }

    fn add_alias(&mut self, text: &str) {
        if !text.is_empty() && !self.aliases.iter().any(|a| a == text) {
            self.aliases.push(text.to_string());
        }
    }

    fn into_entity(self) -> Entity {
        let name = self.name;
        let aliases = self.aliases.into_iter().filter(|a| *a != name).collect();
        Entity {
            kind: self.kind,
            name,
            role: self.role,
            country: if self.kind == EntityType::Location {
                self.country
            } else {
                None
            },
            aliases,
            mentions: self.mentions,
        }
    }
}

/// Whether `affix` may end `word`: the last bytes agree (a cheap test before the full comparison).
fn same_last(affix: &str, word: &str) -> bool {
    let a = affix.as_bytes();
    a.is_empty() || a.last() == word.as_bytes().last()
}

/// Whether `affix` may start `word`: the first two bytes agree (one letter of Arabic).
fn same_first(affix: &str, word: &str) -> bool {
    let n = affix.len().min(2);
    affix.as_bytes().get(..n) == word.as_bytes().get(..n)
}

/// Skeletons of a name's words, particles and one-letter initials left out.
fn name_skeletons(name: &str, particles: &HashSet<String>) -> Vec<String> {
    key_of(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !particles.contains(*w) && w.chars().count() > 1)
        .map(|w| {
            // Russian instrumental and dative endings of names ("Блинкеном", "Лаврову").
            let w = if w.chars().count() > 5 && w.chars().any(|c| ('а'..='я').contains(&c)) {
                ["ом", "ем", "ым", "им", "ой", "ей", "ому", "ему"]
                    .iter()
                    .find_map(|e| w.strip_suffix(e))
                    .unwrap_or(w)
            } else {
                w
            };
            skeleton(w)
        })
        .collect()
}

/// The person whose name contains every word of `skel` and ends the same way (a surname or a
/// variant spelling of the same name).
fn find_person(ents: &[Ent], skel: &[String]) -> Option<usize> {
    let last = skel.last()?;
    ents.iter().position(|e| {
        e.kind == EntityType::Person
            && e.skel.last() == Some(last)
            && skel.iter().all(|w| e.skel.contains(w))
    })
}

/// Initials of an organization's name ("Syrian Observatory for Human Rights" → "sohr").
fn initials(name: &str, connectors: &HashSet<String>) -> Option<String> {
    let k = key_of(name);
    let words: Vec<&str> = k.split(' ').filter(|w| !connectors.contains(*w)).collect();
    if words.len() < 2 {
        return None;
    }
    Some(words.iter().filter_map(|w| w.chars().next()).collect())
}
