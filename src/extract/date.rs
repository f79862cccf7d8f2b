//! Dates: the publication date from datelines and header lines, and the main event's date.
//!
//! **Publication date.** Only header lines count (the first lines of the article, see
//! [`crate::layout`]) plus agency credit lines such as "(dpa, 28.6.2021)": a date in the narrative is
//! never a publication date. A header line states it when the date opens the line ("June 28, 2021",
//! "lundi 28 juin 2021", "2021-06-28"), follows a publication prefix ("date", "Published:", "Publié le",
//! "Veröffentlicht am"), a place dateline in capitals ("BAGHDAD, June 28, 2021 (AFP)"), or a byline
//! separator ("By Jane Doe | June 28, 2021"); without one, the last lines may ("Berlin, 02.05.2024"
//! under the story). Day-month order of numeric dates ("28.06.2021",
//! "06/28/2021") follows the pack whose prefix introduced the date, else day first; a date that only
//! reads one way is read that way.
//!
//! **Event date.** The date expressions of the article ("28 June", "Monday", "yesterday", "dans la nuit
//! de dimanche à lundi") are resolved against the publication date:
//! - a weekday is the latest such day on or before publication: wire reports name the weekday even for
//!   the day they are published ("Iraq denounced on Monday" in a Monday report means that Monday); with
//!   a "last" word ("last Monday", "lundi dernier") the day is strictly before publication;
//! - relative words carry a day offset in the pack ("yesterday" = -1, "last night" = -1, the evening of
//!   the day before; "overnight" and "this morning" = 0, the night that ends on publication day);
//! - expressions written side by side form one group ("overnight Sunday to Monday", "Sunday 27 June to
//!   Monday 28 June", "в ночь с воскресенья на понедельник"): explicit dates win over weekdays, weekdays
//!   over relative words, and two consecutive days name a night, which is dated by the day it ends on;
//! - a day and month without a year take the publication year (the year before when that would put the
//!   event more than two months after publication); a date after publication is a plan, not the event.
//!
//! Expressions in the headline and in lead sentences (the first two of the body) that carry the main
//! casualty figures come first, then the rest of the lead, then later sentences with main casualty
//! figures, then other sentences with casualty words, then the rest of the opening; the first one that
//! resolves wins. The day of a statement ("said on Monday") waits until the headline and lead have no
//! other. Nothing resolvable there: null. A wire dateline without a year ("BOGOTÁ, 10 sep (EFE).-") is
//! header, never the event's day.

use foldhash::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use jiff::Span;
use jiff::civil::Date;
use regex::Regex;
use regex_automata::util::captures::Captures as Caps;
use regex_automata::{Anchored, Input, meta};
use serde::Deserialize;

use super::Context;
use super::event::{self, Role};
use crate::record::Casualties;
use crate::rules::{LanguageInfo, Pack};
use crate::text::Document;

/// The `[dates]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DateRules {
    /// Month names and abbreviations, lowercase, to month number (1–12).
    pub months: HashMap<String, u8>,
    /// Weekday names (every case form the language uses), lowercase, to ISO weekday number (Monday = 1).
    pub weekdays: HashMap<String, u8>,
    /// Weekday names that are also ordinary words ("segunda" = second, "domingo" in Santo Domingo):
    /// they count as weekdays only right after one of `weekday_preps`.
    pub ambiguous_weekdays: Vec<String>,
    /// Words that make an ambiguous weekday a weekday ("na segunda", "el domingo").
    pub weekday_preps: Vec<String>,
    /// Endings glued to weekday names ("Montagabend", "Sonntagnacht").
    pub weekday_suffixes: Vec<String>,
    /// Words before a weekday that put it in the previous week ("last Monday", "vergangenen Montag").
    pub last_before: Vec<String>,
    /// Words after a weekday that do the same ("lundi dernier", "el lunes pasado").
    pub last_after: Vec<String>,
    /// Relative-day phrases, lowercase, to their offset in days from the publication date
    /// ("yesterday" = -1, "today" = 0).
    pub relative: HashMap<String, i32>,
    /// Words that may stand between day, month and year ("28 de junio de 2021").
    pub connectors: Vec<String>,
    /// Endings of the day number ("28th", "1er", "1º").
    pub ordinals: Vec<String>,
    /// Words that may follow the year ("2021 г.", "2021 года").
    pub year_suffixes: Vec<String>,
    /// Header prefixes that introduce the publication date ("published", "publié le", "date").
    pub prefixes: Vec<String>,
    /// Agencies whose credit lines carry the publication date ("dpa", "AFP").
    pub agencies: Vec<String>,
    /// Order of numeric dates that read both ways ("06/07/2021"): "dmy" (default) or "mdy".
    pub numeric_order: String,
    /// Words before a date that make it the start of a period, not the event's day ("since 7 October").
    pub since: Vec<String>,
    /// Statement verbs ("said", "announced"): a date right after one dates the statement, and yields to
    /// other dates of its sentence.
    pub statement: Vec<String>,
    /// Words that open a byline ("by", "par"): a short line that opens with one may end with the
    /// publication date.
    pub bylines: Vec<String>,
    /// Words that may stand between a dateline's place and its date ("Paris, le 7 mars 2023").
    pub dateline_articles: Vec<String>,
    /// Words right before a month name without a day that make it a month of the story ("in March",
    /// "début mars", "в марте"): such a month dates a sentence as earlier than the event, never the
    /// event itself.
    pub month_preps: Vec<String>,
}

/// Compiled date rules.
///
/// The patterns are compiled the first time an article needs them: an article needs its own pack's
/// expressions and, for datelines, the full-date pattern of the packs whose month names it contains.
/// Compiling all of them up front was most of start-up.
#[derive(Debug, Clone)]
pub struct Compiled {
    months: HashMap<String, u8>,
    weekdays: HashMap<String, u8>,
    ambiguous: Vec<String>,
    preps: Vec<String>,
    relative: HashMap<String, i32>,
    month_first: bool,
    since: Vec<String>,
    statement: Vec<String>,
    bylines: Vec<String>,
    dateline_articles: Vec<String>,
    month_preps: Vec<String>,
    /// Per month, its longest name: a name shorter than four letters must be it ("mai", not "mar").
    month_names: HashMap<u8, usize>,
    /// Full dates with a year, in any of the language's written forms.
    full: Split,
    /// Header prefixes, anchored at the start of a line.
    prefix: Lazy<meta::Regex>,
    /// First words of the header prefixes, folded: a line that opens with none has no prefix.
    prefix_words: Vec<String>,
    /// Agencies, for credit lines.
    agency: Lazy<Regex>,
    /// Every date expression the event date is resolved from.
    mention: Split,
    /// The words of written date expressions, folded (see [`fold`]), with their kinds.
    cue_words: Vec<(String, u8)>,
    /// Endings glued to weekday names, folded.
    suffixes: Vec<String>,
    /// Their automaton, built on first use.
    cues: OnceLock<Option<Cues>>,
    /// Runs of non-white-space characters a date expression spans at most.
    runs: usize,
}

/// A pattern compiled on first use; `None` when the rules leave it empty.
#[derive(Debug, Clone)]
struct Lazy<T> {
    source: Option<String>,
    cell: OnceLock<Option<T>>,
}

impl<T> Lazy<T> {
    fn new(source: Option<String>) -> Self {
        Lazy {
            source,
            cell: OnceLock::new(),
        }
    }

    /// The compiled pattern. Patterns are built from escaped word lists, so they only fail on a size
    /// limit; the `every_pattern_compiles` test guards the packs against that.
    fn get(&self, build: impl FnOnce(&str) -> Option<T>) -> Option<&T> {
        self.cell
            .get_or_init(|| self.source.as_deref().and_then(build))
            .as_ref()
    }
}

fn build_regex(p: &str) -> Option<Regex> {
    Regex::new(p).ok()
}

/// Date patterns are only searched anchored, at the few places where an expression may begin, over
/// a bounded span: the lazy DFA and the reverse automata would not pay for their compilation.
fn build_meta(p: &str) -> Option<meta::Regex> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .hybrid(false)
                .dfa(false)
                .onepass(false)
                .auto_prefilter(false),
        )
        .build(p)
        .ok()
}

/// Kinds of date expressions, by what they open with: a digit ("28 June", "2021-06-28"), a month name
/// ("June 28"), a relative word ("yesterday"), a weekday or a "last" word ("last Monday").
const DIGIT: u8 = 1;
const MONTH: u8 = 2;
const RELATIVE: u8 = 4;
const WEEKDAY: u8 = 8;

/// A pattern's alternatives with the kind of expression each is, compiled per set of kinds on first
/// use. Where only some kinds may open an expression, the alternatives of those kinds, in their
/// order, match as the whole pattern does: the others cannot match there. Smaller patterns are
/// cheaper to compile and to run.
#[derive(Debug, Clone, Default)]
struct Split {
    alternatives: Vec<(u8, String)>,
    compiled: [OnceLock<Option<meta::Regex>>; 16],
}

impl Split {
    fn new(alternatives: Vec<(u8, String)>) -> Split {
        Split {
            alternatives,
            compiled: Default::default(),
        }
    }

    /// The whole pattern, as one regex would have it.
    #[cfg(test)]
    fn whole(&self) -> Option<String> {
        let alts: Vec<&str> = self.alternatives.iter().map(|(_, a)| a.as_str()).collect();
        (!alts.is_empty()).then(|| format!("(?i)(?:{})", alts.join("|")))
    }

    /// The pattern of the alternatives of `kinds`; see [`Lazy::get`] on failure.
    fn get(&self, kinds: u8) -> Option<&meta::Regex> {
        self.compiled
            .get(usize::from(kinds & 15))?
            .get_or_init(|| {
                let alts: Vec<&str> = self
                    .alternatives
                    .iter()
                    .filter(|(k, _)| k & kinds != 0)
                    .map(|(_, a)| a.as_str())
                    .collect();
                if alts.is_empty() {
                    return None;
                }
                build_meta(&format!("(?i)(?:{})", alts.join("|")))
            })
            .as_ref()
    }

    /// The matches `captures_iter` over the whole pattern would find in `s`, given every offset
    /// where a match may begin with the kinds that may begin there, in order, and the end of the
    /// span a match from an offset may reach. Leftmost-first: the first offset where the pattern
    /// matches gives the next match, and that match is the anchored one.
    fn matches<'s>(
        &self,
        s: &'s str,
        starts: &[(usize, u8)],
        end: impl Fn(usize) -> usize,
    ) -> Vec<Hit<'s>> {
        let mut out = Vec::new();
        let mut from = 0;
        for &(at, kinds) in starts {
            if at < from {
                continue;
            }
            let Some(re) = self.get(kinds) else {
                continue;
            };
            let mut caps = re.create_captures();
            let input = Input::new(s)
                .span(at..end(at).max(at))
                .anchored(Anchored::Yes);
            re.search_captures(&input, &mut caps);
            if let Some(m) = caps.get_match() {
                from = m.end();
                out.push(Hit { s, caps });
            }
        }
        out
    }
}

/// The words of the pack's written date expressions in one automaton over folded text (see
/// [`fold`]): month names, weekday names, relative phrases and "last" words.
#[derive(Debug, Clone)]
struct Cues {
    automaton: AhoCorasick,
    /// Per pattern: the kinds of expression it may open or (months) be part of.
    kinds: Vec<u8>,
    /// Endings glued to weekday names, folded.
    suffixes: Vec<String>,
}

impl Cues {
    fn build(words: &[(String, u8)], suffixes: &[String]) -> Option<Cues> {
        // A few hundred short words: the DFA stays small, and every sentence of every article is
        // scanned, so its one transition per byte pays for its build many times over.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words.iter().map(|(w, _)| w))
            .ok()?;
        Some(Cues {
            automaton,
            kinds: words.iter().map(|(_, k)| *k).collect(),
            suffixes: suffixes.to_vec(),
        })
    }

    /// Whether a word of kinds `kinds` ending at `end` of the folded text may end there in an
    /// expression: every word of one is followed by a character that is no letter or digit (white
    /// space, a full stop, a comma, the end), except weekdays, which may take an ending.
    fn ends_well(&self, folded: &str, end: usize, kinds: u8) -> bool {
        let Some(rest) = folded.get(end..) else {
            return false;
        };
        match rest.chars().next() {
            None => true,
            Some(c) if !(c.is_alphabetic() || c.is_ascii_digit()) => true,
            Some(_) => {
                kinds & WEEKDAY != 0 && self.suffixes.iter().any(|x| rest.starts_with(x.as_str()))
            }
        }
    }
}

/// The first word of a phrase, folded.
fn first_word(w: &str) -> Option<String> {
    w.split_whitespace().next().map(|w| fold(w).text)
}

/// The most white-space-separated words an entry of a list has.
fn max_words<'a>(words: impl IntoIterator<Item = &'a String>) -> usize {
    words
        .into_iter()
        .map(|w| w.split_whitespace().count())
        .max()
        .unwrap_or(0)
}

/// Words of a list as one regex alternation, longest first (so "june" is tried before "jun"), spaces
/// matching any run of white space.
fn alternation(words: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let mut list: Vec<String> = words
        .into_iter()
        .map(|w| w.as_ref().trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    list.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    list.dedup();
    list.iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// `(?:alt)` or a pattern that never matches when the list is empty.
fn group(alt: &str) -> String {
    if alt.is_empty() {
        r"[^\s\S]".to_string()
    } else {
        format!("(?:{alt})")
    }
}

impl Compiled {
    /// Compiles the section.
    pub fn compile(rules: &DateRules, _lang: &LanguageInfo) -> Result<Compiled, String> {
        let months = group(&alternation(rules.months.keys()));
        let weekdays = group(&alternation(rules.weekdays.keys()));
        let conn = alternation(&rules.connectors);
        let conn = if conn.is_empty() {
            String::new()
        } else {
            format!(r"(?:(?:{conn})\s+)?")
        };
        let ord = alternation(&rules.ordinals);
        let ord = if ord.is_empty() {
            String::new()
        } else {
            format!("(?:{ord})?")
        };
        let ysuf = alternation(&rules.year_suffixes);
        let ysuf = if ysuf.is_empty() {
            String::new()
        } else {
            format!(r"(?:\s*(?:{ysuf})(?:\W|$))?")
        };
        // The second month name covers "28 يونيو/حزيران 2021", both systems side by side.
        let dmy = format!(
            r"\b(?P<d>\d{{1,2}}){ord}\.?\s*{conn}(?P<m>{months})\.?(?:\s*/\s*{months})?(?:\b|\s|$)"
        );
        let mdy = format!(r"\b(?P<m2>{months})\.?\s+(?P<d2>\d{{1,2}}){ord}\b");
        let year = |n: &str| format!(r"(?:,?\s*{conn}(?P<{n}>\d{{4}})\b{ysuf})");
        let has_months = !rules.months.is_empty();
        let full = if has_months {
            vec![
                (DIGIT, format!("{dmy}{}", year("y"))),
                (MONTH, format!("{mdy}{}", year("y2"))),
            ]
        } else {
            Vec::new()
        };
        let prefix = match alternation(&rules.prefixes) {
            p if p.is_empty() => None,
            p => Some(format!(r"(?i)^(?:{p})\b\s*:?\s*")),
        };
        // Agency names keep their case: "MAP" is an agency, "map" a word.
        let agency = if rules.agencies.is_empty() {
            None
        } else {
            let a = rules
                .agencies
                .iter()
                .map(|a| regex::escape(a.trim()))
                .collect::<Vec<_>>()
                .join("|");
            Some(format!(r"\b(?:{a})\b"))
        };
        let rel = alternation(rules.relative.keys());
        let lastb = alternation(&rules.last_before);
        let lasta = alternation(&rules.last_after);
        let wsuf = alternation(&rules.weekday_suffixes);
        let wsuf = if wsuf.is_empty() {
            String::new()
        } else {
            format!("(?:{wsuf})?")
        };
        let mut parts = Vec::new();
        if has_months {
            parts.push((DIGIT, format!("{dmy}{}?", year("y"))));
            parts.push((MONTH, format!("{mdy}{}?", year("y2"))));
        }
        parts.push((
            DIGIT,
            r"\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b".to_string(),
        ));
        if !rel.is_empty() {
            parts.push((RELATIVE, format!(r"\b(?P<rel>{rel})\b")));
        }
        if !rules.weekdays.is_empty() {
            let lb = if lastb.is_empty() {
                String::new()
            } else {
                format!(r"(?:(?P<lastb>{lastb})\s+)?")
            };
            let la = if lasta.is_empty() {
                String::new()
            } else {
                format!(r"(?:\s+(?P<lasta>{lasta})\b)?")
            };
            parts.push((WEEKDAY, format!(r"\b{lb}(?P<wd>{weekdays}){wsuf}\b{la}")));
        }
        // The runs of non-space characters each part of a pattern may span: a day, month and year
        // with their connectors, ordinal, second month, comma and year suffix, or the longest
        // relative phrase or weekday with its "last" words. Two more for good measure.
        let wm = max_words(rules.months.keys());
        let wc = max_words(&rules.connectors);
        let ys = max_words(&rules.year_suffixes);
        let runs = [
            2 * wm + 2 * wc + ys + 5,
            max_words(rules.relative.keys()),
            max_words(&rules.last_before) + 1 + max_words(&rules.last_after),
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
            + 2;
        // Whole entries, folded: white space folds to one space, as `\s+` stands for it.
        let mut cue_words: Vec<(String, u8)> = Vec::new();
        let lists: [(Vec<&String>, u8); 4] = [
            (rules.months.keys().collect(), MONTH),
            (rules.weekdays.keys().collect(), WEEKDAY),
            (rules.relative.keys().collect(), RELATIVE),
            (rules.last_before.iter().collect(), WEEKDAY),
        ];
        for (list, kind) in lists {
            for w in list {
                let w = fold(w.trim()).text;
                if w.is_empty() {
                    continue;
                }
                match cue_words.iter_mut().find(|(c, _)| *c == w) {
                    Some((_, k)) => *k |= kind,
                    None => cue_words.push((w, kind)),
                }
            }
        }
        cue_words.sort();
        let mut prefix_words: Vec<String> = rules
            .prefixes
            .iter()
            .filter_map(|p| first_word(p))
            .collect();
        prefix_words.sort();
        prefix_words.dedup();
        let compiled = Compiled {
            months: lower_keys(&rules.months),
            weekdays: lower_keys(&rules.weekdays),
            ambiguous: rules
                .ambiguous_weekdays
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            preps: rules
                .weekday_preps
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            relative: rules
                .relative
                .iter()
                .map(|(k, v)| (squash(&k.to_lowercase()), *v))
                .collect(),
            month_first: rules.numeric_order.eq_ignore_ascii_case("mdy"),
            since: rules
                .since
                .iter()
                .map(|w| squash(&w.to_lowercase()))
                .collect(),
            statement: rules.statement.iter().map(|w| w.to_lowercase()).collect(),
            bylines: rules.bylines.iter().map(|w| w.to_lowercase()).collect(),
            dateline_articles: rules
                .dateline_articles
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            month_preps: rules.month_preps.iter().map(|w| w.to_lowercase()).collect(),
            month_names: rules
                .months
                .iter()
                .fold(HashMap::default(), |mut m, (k, &v)| {
                    let n = m.entry(v).or_insert(0);
                    *n = (*n).max(k.chars().count());
                    m
                }),
            full: Split::new(full),
            prefix: Lazy::new(prefix),
            prefix_words,
            agency: Lazy::new(agency),
            mention: Split::new(parts),
            cue_words,
            suffixes: rules
                .weekday_suffixes
                .iter()
                .map(|x| fold(x.trim()).text)
                .filter(|x| !x.is_empty())
                .collect(),
            cues: OnceLock::new(),
            runs,
        };
        Ok(compiled)
    }

    fn month(&self, name: &str) -> Option<i8> {
        get_lowercase(&self.months, name).map(|&m| m as i8)
    }

    fn weekday(&self, name: &str) -> Option<u8> {
        get_lowercase(&self.weekdays, name).copied()
    }

    fn cues(&self) -> Option<&Cues> {
        self.cues
            .get_or_init(|| Cues::build(&self.cue_words, &self.suffixes))
            .as_ref()
    }

    /// Where in `s` an expression of `kinds` may begin, in order, with the kinds that may begin
    /// there: cue words at the start of a word that end as words of an expression do, and digits at
    /// the start of a word with a month name close after them (or, with `iso`, four digits and a
    /// hyphen). Every expression opens after a word boundary with one of them: the folded view finds
    /// the words whatever their case.
    fn scan(&self, s: &str, folded: &FoldedView<'_>, kinds: u8, iso: bool) -> Vec<(usize, u8)> {
        let mut out: Vec<(usize, u8)> = Vec::new();
        // Month names anywhere: "28th June" has its month right after the ordinal.
        let mut months: Vec<usize> = Vec::new();
        if let Some(cues) = self.cues() {
            for m in cues.automaton.find_overlapping_iter(folded.text) {
                let k = cues.kinds.get(m.pattern().as_usize()).copied().unwrap_or(0) & kinds;
                if k == 0 || !cues.ends_well(folded.text, m.end(), k) {
                    continue;
                }
                let at = folded.original(m.start());
                if k & MONTH != 0 {
                    months.push(at);
                }
                if word_start(s, at) {
                    out.push((at, k));
                }
            }
        }
        let iso = iso && iso_possible(s);
        if kinds & DIGIT != 0 && (iso || !months.is_empty()) {
            months.sort_unstable();
            for at in digit_starts(s) {
                let month_after = months.partition_point(|&m| m <= at);
                let viable = (iso && iso_shape(s, at))
                    || months
                        .get(month_after)
                        .is_some_and(|&m| m < reach(s, at, self.runs));
                if viable {
                    out.push((at, DIGIT));
                }
            }
        }
        out.sort_unstable();
        let mut merged: Vec<(usize, u8)> = Vec::with_capacity(out.len());
        for (at, k) in out {
            match merged.last_mut() {
                Some(last) if last.0 == at => last.1 |= k,
                _ => merged.push((at, k)),
            }
        }
        merged
    }

    /// Whether `folded` (a line's opening, folded) may open with one of the pack's header prefixes.
    fn may_have_prefix(&self, folded: &str) -> bool {
        self.prefix_words
            .iter()
            .any(|w| folded.starts_with(w.as_str()))
    }

    /// The first full date (with a year) in `s`: its date and byte range.
    fn find_full(&self, s: &str, folded: &FoldedView<'_>) -> Option<(Date, Range<usize>)> {
        let starts = self.scan(s, folded, DIGIT | MONTH, false);
        if starts.is_empty() {
            return None;
        }
        for c in self.full.matches(s, &starts, |at| reach(s, at, self.runs)) {
            let date = if let (Some(d), Some(m), Some(y)) = (c.name("d"), c.name("m"), c.name("y"))
            {
                self.month(m).and_then(|m| ymd(y, m, d))
            } else if let (Some(d), Some(m), Some(y)) = (c.name("d2"), c.name("m2"), c.name("y2")) {
                self.month(m).and_then(|m| ymd(y, m, d))
            } else {
                None
            };
            if let Some(date) = date {
                return Some((date, c.range()));
            }
        }
        None
    }
}

/// `map.get(&name.to_lowercase())`, lowercasing short ASCII names on the stack: asked of every word
/// of many sentences, where an allocation per word costs more than the look-up.
fn get_lowercase<'m, V>(map: &'m HashMap<String, V>, name: &str) -> Option<&'m V> {
    let mut buf = [0u8; 32];
    match buf.get_mut(..name.len()) {
        Some(low) if name.is_ascii() => {
            low.copy_from_slice(name.as_bytes());
            low.make_ascii_lowercase();
            map.get(std::str::from_utf8(low).ok()?)
        }
        _ => map.get(&name.to_lowercase()),
    }
}

/// `s` folded for case-insensitive matching of cue words: a character and every character the
/// regex engine's case-insensitive matching equates with it fold to the same character.
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    text: String,
    /// Offset in the original of each byte of `text` (plus its end), when folding changed lengths.
    map: Option<Vec<usize>>,
}

impl Folded {
    /// All of it.
    fn view(&self) -> FoldedView<'_> {
        FoldedView {
            text: &self.text,
            map: self.map.as_deref(),
            base: 0,
        }
    }

    /// The fold of `s[range]`, where this is the fold of `s`: folding goes character by character,
    /// so a slice of the fold is the fold of the slice, except where the range opens inside a run
    /// of white space (`None` then).
    fn slice(&self, s: &str, range: Range<usize>) -> Option<FoldedView<'_>> {
        let before = s.get(..range.start)?.chars().next_back();
        let first = s.get(range.clone())?.chars().next();
        if before.is_some_and(char::is_whitespace) && first.is_some_and(char::is_whitespace) {
            return None;
        }
        match &self.map {
            None => Some(FoldedView {
                text: self.text.get(range)?,
                map: None,
                base: 0,
            }),
            Some(map) => {
                let from = map.partition_point(|&o| o < range.start);
                let to = map.partition_point(|&o| o < range.end);
                Some(FoldedView {
                    text: self.text.get(from..to)?,
                    map: map.get(from..=to),
                    base: range.start,
                })
            }
        }
    }
}

/// A folded text, or a slice of one.
#[derive(Debug, Clone, Copy)]
struct FoldedView<'a> {
    text: &'a str,
    map: Option<&'a [usize]>,
    /// Where the slice starts in the original `map` indexes.
    base: usize,
}

impl FoldedView<'_> {
    fn original(&self, at: usize) -> usize {
        match self.map {
            Some(map) => map.get(at).map_or(0, |&o| o.saturating_sub(self.base)),
            None => at,
        }
    }
}

/// The fold of the document's normalized view, made once for all its sentences.
fn doc_folded(doc: &Document) -> &Folded {
    doc.folded.get_or_init(|| fold(&doc.norm))
}

/// One character folded. Lowercasing equates a character with its case variants, except for the
/// few that case-insensitive matching also equates with another lowercase letter ('ſ' with 's', the
/// old Cyrillic letter forms with theirs).
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // Latin-1, Cyrillic and Arabic letters, most of the non-ASCII text, without the table look-up.
    let code = c as u32;
    let mapped = match c {
        '\u{00C0}'..='\u{00DE}' if c != '\u{00D7}' => char::from_u32(code + 0x20).unwrap_or(c),
        '\u{00DF}'..='\u{00FF}' | '\u{0430}'..='\u{045F}' | '\u{0600}'..='\u{06FF}' => c,
        '\u{0410}'..='\u{042F}' => char::from_u32(code + 0x20).unwrap_or(c),
        '\u{0400}'..='\u{040F}' => char::from_u32(code + 0x50).unwrap_or(c),
        '\u{017F}' => 's',
        '\u{1C80}' => 'в',
        '\u{1C81}' => 'д',
        '\u{1C82}' => 'о',
        '\u{1C83}' => 'с',
        '\u{1C84}' | '\u{1C85}' => 'т',
        '\u{1C86}' => 'ъ',
        '\u{1C87}' => 'ѣ',
        '\u{1C88}' => 'ꙋ',
        _ => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push(mapped);
}

/// `s` folded character by character, each run of white space as one space (`\s+` in the patterns).
fn fold(s: &str) -> Folded {
    // Most sentences: ASCII with single spaces, where folding is lowercasing byte for byte.
    let b = s.as_bytes();
    if b.iter()
        .all(|&c| c.is_ascii() && (c == b' ' || !char::from(c).is_whitespace()))
        && !b.windows(2).any(|w| w == b"  ")
    {
        return Folded {
            text: s.to_ascii_lowercase(),
            map: None,
        };
    }
    let mut text = String::with_capacity(s.len());
    // Built throughout and dropped when every character kept its length and place: cheaper than
    // testing for that before each push.
    let mut map: Vec<usize> = Vec::with_capacity(s.len() + 1);
    let mut same = true;
    let mut space = false;
    let mut i = 0;
    while i < b.len() {
        // Most of the text: runs of ASCII words and single spaces, one byte for one byte.
        let start = i;
        let mut after_space = space;
        while let Some(&c) = b.get(i) {
            let white = matches!(c, b'\t'..=b'\r' | b' ');
            if !c.is_ascii() || (white && (c != b' ' || after_space)) {
                break;
            }
            after_space = white;
            i += 1;
        }
        if i > start {
            let from = text.len();
            text.push_str(s.get(start..i).unwrap_or(""));
            if let Some(new) = text.get_mut(from..) {
                new.make_ascii_lowercase();
            }
            map.extend(start..i);
            space = after_space;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let before = text.len();
        if c.is_whitespace() {
            if !space {
                text.push(' ');
            }
            space = true;
        } else {
            space = false;
            fold_char(c, &mut text);
        }
        let grew = text.len() - before;
        same &= grew == c.len_utf8();
        map.extend(std::iter::repeat_n(i, grew));
        i += c.len_utf8();
    }
    map.push(s.len());
    Folded {
        text,
        map: (!same).then_some(map),
    }
}

/// Whether a word may start at byte `at` of `s`: a letter or digit before it rules out the `\b`
/// every expression opens with.
fn word_start(s: &str, at: usize) -> bool {
    s.get(..at)
        .and_then(|b| b.chars().next_back())
        .is_none_or(|c| !(c.is_alphabetic() || c.is_ascii_digit()))
}

/// Whether a hyphen follows a digit somewhere in `s`, as in every ISO date.
fn iso_possible(s: &str) -> bool {
    s.match_indices('-').any(|(i, _)| {
        s[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || (c >= '\u{0660}' && c.is_numeric()))
    })
}

/// Four digits and a hyphen at `at`: the opening of an ISO date.
fn iso_shape(s: &str, at: usize) -> bool {
    let mut chars = s.get(at..).unwrap_or("").chars();
    chars.by_ref().take(4).filter(|c| c.is_numeric()).count() == 4 && chars.next() == Some('-')
}

/// Offsets of digits that start a word (any numeric character: `\d` is Unicode).
fn digit_starts(s: &str) -> Vec<usize> {
    // No decimal digit lies between the ASCII ones and U+0660 (Arabic-Indic zero).
    s.char_indices()
        .filter(|&(i, c)| {
            (c.is_ascii_digit() || (c >= '\u{0660}' && c.is_numeric())) && word_start(s, i)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The end of the span an expression starting at `at` may reach: `runs` runs of non-space
/// characters, with the space after them.
fn reach(s: &str, at: usize, runs: usize) -> usize {
    let Some(rest) = s.get(at..) else {
        return s.len();
    };
    let mut n = 0;
    let mut in_run = false;
    for (i, c) in rest.char_indices() {
        let space = c.is_whitespace();
        if !space && !in_run {
            n += 1;
            if n > runs {
                return at + i;
            }
        }
        in_run = !space;
    }
    s.len()
}

/// One match of an anchored search, with its named groups.
struct Hit<'s> {
    s: &'s str,
    caps: Caps,
}

impl<'s> Hit<'s> {
    fn name(&self, name: &str) -> Option<&'s str> {
        self.caps
            .get_group_by_name(name)
            .and_then(|g| self.s.get(g.range()))
    }

    fn range(&self) -> Range<usize> {
        self.caps.get_match().map_or(0..0, |m| m.range())
    }
}

/// The matches `captures_iter` would find in `s`, searching only at `starts` (every offset where a
/// match may begin, in order) and each no further than `end(start)` (beyond the end of any match
/// from there). Leftmost-first: the first start where the pattern matches gives the next match.
fn anchored_matches<'s>(
    re: &meta::Regex,
    s: &'s str,
    starts: &[usize],
    end: impl Fn(usize) -> usize,
) -> Vec<Hit<'s>> {
    let mut out = Vec::new();
    let mut caps = re.create_captures();
    let mut from = 0;
    for &at in starts {
        if at < from {
            continue;
        }
        let input = Input::new(s)
            .span(at..end(at).max(at))
            .anchored(Anchored::Yes);
        re.search_captures(&input, &mut caps);
        if let Some(m) = caps.get_match() {
            from = m.end();
            out.push(Hit {
                s,
                caps: caps.clone(),
            });
        }
    }
    out
}
fn lower_keys<V: Copy>(map: &HashMap<String, V>) -> HashMap<String, V> {
    map.iter().map(|(k, v)| (k.to_lowercase(), *v)).collect()
}

/// Runs of white space as one space, so "last   night" finds "last night".
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ymd(y: &str, m: i8, d: &str) -> Option<Date> {
    let y: i16 = y.parse().ok()?;
    let d: i8 = d.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// ISO dates ("2021-06-28", "2021/06/28") and numeric dates ("28.06.2021", "6/28/2021", "28.06.21").
const NUMERIC_PATTERN: &str = r"\b(?:(?P<iy>\d{4})(?P<is>[-/.])(?P<im>\d{1,2})(?P<is2>[-/.])(?P<id>\d{1,2})(?:\b|T)|(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P<s2>[./-])(?P<y>\d{4})\b|(?P<sa>\d{1,2})\.(?P<sb>\d{1,2})\.(?P<sy>\d{2})\b)";

static NUMERIC: LazyLock<Option<meta::Regex>> = LazyLock::new(|| build_meta(NUMERIC_PATTERN));

/// Characters a numeric date spans at most ("2021-06-28T").
const NUMERIC_CHARS: usize = 11;

/// The end of the span a numeric date starting at `at` may reach.
fn numeric_end(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|r| r.char_indices().nth(NUMERIC_CHARS + 1))
        .map_or(s.len(), |(i, _)| at + i)
}

/// Whether `s` has an ASCII digit, a separator and an ASCII digit in a row: a numeric date that
/// reads as a date (its parts parse as numbers) has.
fn numeric_possible(s: &str) -> bool {
    s.as_bytes().windows(3).any(|w| {
        w[0].is_ascii_digit() && matches!(w[1], b'-' | b'/' | b'.') && w[2].is_ascii_digit()
    })
}

/// A time of day after a date: "10:32 AM", "à 14h35", "- 14:35 GMT", "um 10.30 Uhr".
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:,|-|\||à|a las|às|as|um|alle|ore|в|at|،)?\s*(?:\(?\d{1,2}[:h.]\d{2}(?:[:.]\d{2})?\)?(?:\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h|gmt|utc|cet|cest|msk|et|edt|est|bst|mez|mesz|ص|م)\b)?(?:\s*[+-]\d{2}:?\d{2})?)")
        .expect("static regex")
});

/// The date of a numeric match, or None when it reads as no date.
fn numeric_date(c: &Hit<'_>, month_first: bool) -> Option<Date> {
    if let (Some(y), Some(m), Some(d)) = (c.name("iy"), c.name("im"), c.name("id")) {
        if c.name("is") != c.name("is2") {
            return None;
        }
        return ymd(y, m.parse().ok()?, d);
    }
    // "28.06.21": short years only with dots, day first, this century.
    if let (Some(d), Some(m), Some(y)) = (c.name("sa"), c.name("sb"), c.name("sy")) {
        return ymd(&format!("20{y}"), m.parse().ok()?, d);
    }
    let (a, b, y) = (c.name("a")?, c.name("b")?, c.name("y")?);
    if c.name("s") != c.name("s2") {
        return None;
    }
    let a: i8 = a.parse().ok()?;
    let b: i8 = b.parse().ok()?;
    // Dots are European, day first; a date that reads only one way is read that way.
    let dot = c.name("s") == Some(".");
    let (m, d) = if a > 12 {
        (b, a)
    } else if b > 12 || (month_first && !dot) {
        (a, b)
    } else {
        (b, a)
    };
    ymd(y, m, &d.to_string())
}

/// The first date of `s`, numeric or written with any pack's month names: date and byte range.
fn find_date(s: &str, packs: &[Pack], month_first: bool) -> Option<(Date, Range<usize>)> {
    // Every date reads its numbers from ASCII digits (the normalized view has turned Arabic-Indic
    // digits into them): a line without one holds none, and most lines are thus done with at once.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut best: Option<(Date, Range<usize>)> = None;
    if numeric_possible(s)
        && let Some(re) = NUMERIC.as_ref()
    {
        best = anchored_matches(re, s, &digit_starts(s), |at| numeric_end(s, at))
            .into_iter()
            .find_map(|c| Some((numeric_date(&c, month_first)?, c.range())));
    }
    // A date written with a month name reads its year from four ASCII digits.
    if !s
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
    {
        return best;
    }
    let folded = fold(s);
    for pack in packs {
        if let Some((d, r)) = pack.dates.find_full(s, &folded.view())
            && best.as_ref().is_none_or(|(_, b)| r.start < b.start)
        {
            best = Some((d, r));
        }
    }
    best
}

/// Characters that may separate a header's parts ("By Jane Doe | June 28, 2021").
const SEPARATORS: &[char] = &[
    '|', '•', '·', '-', '/', ',', ':', '(', ')', '[', ']', '*', '—',
];

/// When `line` is a header line that states the publication date ("date 2021-06-28", "August 3, 2021",
/// "Publié le 28 juin 2021 à 10h32", "BAGHDAD, June 28, 2021 (AFP) -", "(dpa, 28.6.2021)"), the date
/// and the byte length of the header part of the line (from its start). A date inside a sentence of
/// the narrative is not a publication date.
pub fn dateline(line: &str, packs: &[Pack]) -> Option<(Date, usize)> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    // A publication prefix may come first: the longest of any pack ("publicado el", Spanish, over
    // "publicado", Portuguese).
    let mut at = 0;
    let mut month_first = false;
    let first = fold(trimmed.split(char::is_whitespace).next().unwrap_or("")).text;
    for pack in packs {
        if pack.dates.may_have_prefix(&first)
            && let Some(re) = pack.dates.prefix.get(build_meta)
            && let Some(m) = re.find(trimmed)
            && m.end() > at
        {
            at = m.end();
            month_first = pack.dates.month_first;
        }
    }
    let rest = trimmed.get(at..)?;
    let (date, range) = find_date(rest, packs, month_first)?;
    let before = rest.get(..range.start)?;
    let accepted = opens(before, packs)
        || place_dateline(
            without_weekday(before, packs),
            rest.get(range.end..).unwrap_or(""),
        )
        || byline(before, trimmed, packs)
        || (at > 0
            && before.split_whitespace().count() <= 4
            && !before.contains(['.', ';', '!', '?']))
        || credit(rest, &range, packs);
    if !accepted {
        return None;
    }
    let mut end = at + range.end;
    if let Some(t) = trimmed.get(end..).and_then(|s| TIME.find(s))
        && t.end() > 0
    {
        end += t.end();
    }
    // "14 марта 2021 года вооруженные люди похитили…": a sentence that opens with its date goes on in
    // lower case, a dateline does not.
    let narrative = trimmed
        .get(end..)
        .map(|s| s.trim_start_matches([' ', ',']))
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_lowercase);
    if narrative && (at == 0 || !before.trim().is_empty()) {
        return None;
    }
    // A credit line's closing parenthesis belongs to the header too.
    if let Some(after) = trimmed.get(end..)
        && after.trim_start().starts_with(')')
        && before.contains('(')
    {
        end += after.len() - after.trim_start().len() + 1;
    }
    Some((date, lead + end))
}

/// Longest opening of a line searched for a dateline without a year.
const YEARLESS_BYTES: usize = 90;

/// A wire dateline without a year, as agencies write them at the head of the body: "BOGOTÁ, 10 sep
/// (EFE).-", "PESHAWAR, Pakistan, March 14 (Reuters) -", "БЕЛГОРОД, 16 марта. /ТАСС/.", "(ANSA) -
/// ROMA, 11 MAG -". It states no publication date (no year), but it is header, not narrative: its day
/// must not date the event. The date's range in `line` and the byte length of the whole dateline; only the
/// date is header, so the place and the agency still read as names.
pub fn yearless_dateline(line: &str, packs: &[Pack]) -> Option<(Range<usize>, usize)> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let mut end = YEARLESS_BYTES.min(trimmed.len());
    while !trimmed.is_char_boundary(end) {
        end -= 1;
    }
    let head = &trimmed[..end];
    // Its date is a day and a month, the day in ASCII digits (see `explicit_num`): most lines have
    // none, and are done with before the packs' expressions are searched.
    if !head.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // A place in capitals and a comma open it, maybe after an agency credit.
    let credit_end = if head.starts_with('(') {
        let close = head.find(')')?;
        close + 1 + head[close + 1..].len()
            - head[close + 1..]
                .trim_start_matches([' ', '-', '—', '–'])
                .len()
    } else {
        0
    };
    let comma = head.find(',')?;
    if comma < credit_end {
        return None;
    }
    for pack in packs {
        let Some(found) = mentions(&pack.dates, head, None, 0..head.len())
            .into_iter()
            .find(|f| matches!(f.said, Said::Explicit { year: None, .. }))
        else {
            continue;
        };
        let before = &head[credit_end..found.range.start];
        let after = head[found.range.end..].trim_start_matches(['.', ' ']);
        let wire = credit_end > 0 || after.starts_with(['(', '/', '-', '—', '–']);
        // The wire shape is checked: the place only has to read as a dateline's.
        if !wire || !place_dateline(before, "-") {
            continue;
        }
        // The credit and the dash after the date belong to the header.
        let mut at = head.len() - after.len();
        let rest = &head[at..];
        let closing = match rest.chars().next() {
            Some('(') => rest.find(')'),
            Some('/') => rest[1..].find('/').map(|i| i + 1),
            _ => None,
        };
        if let Some(c) = closing {
            at += c + 1;
        }
        let tail = &head[at..];
        at += tail.len()
            - tail
                .trim_start_matches(['.', ' ', '-', '—', '–', ':'])
                .len();
        return Some((lead + found.range.start..lead + found.range.end, lead + at));
    }
    None
}

/// What precedes the date is nothing but punctuation, weekday names and a time of day ("Monday, June
/// 28, 2021", "10:32 AM, June 28, 2021").
fn opens(before: &str, packs: &[Pack]) -> bool {
    // Hyphens join weekday names ("segunda-feira"), so they only separate at word edges.
    before
        .split(|c: char| c.is_whitespace() || (c != '-' && SEPARATORS.contains(&c)))
        .map(|w| w.trim_matches(['-', '.']))
        .filter(|w| !w.is_empty())
        .all(|w| packs.iter().any(|p| p.dates.weekday(w).is_some()) || time_token(w))
}

/// "10", "10.32", "14h35", "AM", "GMT": parts of a time of day.
fn time_token(w: &str) -> bool {
    let digits = w.chars().filter(char::is_ascii_digit).count();
    (digits > 0 && digits <= 4 && w.chars().all(|c| c.is_ascii_digit() || ":h.".contains(c)))
        || [
            "am", "pm", "gmt", "utc", "uhr", "cet", "cest", "bst", "et", "edt", "est", "msk",
        ]
        .iter()
        .any(|t| w.eq_ignore_ascii_case(t))
}

/// `before` without the weekday name and dateline article that end it ("دمشق - الثلاثاء " → "دمشق - ",
/// "Paris, le mardi " → "Paris,"), so that a place dateline may name the day before the date.
fn without_weekday<'a>(before: &'a str, packs: &[Pack]) -> &'a str {
    let mut before = before;
    // At most a weekday and an article, in either order.
    for _ in 0..2 {
        let b = before.trim_end();
        let Some((head, last)) = b.rsplit_once(char::is_whitespace) else {
            return before;
        };
        let word = last.trim_matches(|c: char| !c.is_alphanumeric());
        let article = |p: &Pack| {
            p.dates
                .dateline_articles
                .iter()
                .any(|a| a.eq_ignore_ascii_case(word))
        };
        if packs
            .iter()
            .any(|p| p.dates.weekday(word).is_some() || article(p))
        {
            before = head;
        } else {
            break;
        }
    }
    before
}

/// "BAGHDAD, " or "KABUL, Afghanistan, " before the date (or "دمشق - ", a dash after the place): a place in capitals, as wire datelines open.
/// A place in title case ("Bamako, 14 mars 2024 (AFP) -") or in a script without capitals
/// ("بغداد، 3 تموز 2021 (واع) -") needs the agency or dash after the date.
fn place_dateline(before: &str, after: &str) -> bool {
    let b = before.trim_end();
    let Some(b) = b.strip_suffix(',').or_else(|| b.strip_suffix(" -")) else {
        return false;
    };
    let words: Vec<&str> = b
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let capitals = |w: &&str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase())
    };
    // Lowercase particles inside a place name: "Rio de Janeiro", "Dar es Salaam".
    let particle = |i: usize, w: &str| {
        i > 0 && i + 1 < words.len() && w.chars().count() <= 3 && w.chars().all(char::is_lowercase)
    };
    let capitalized_at =
        |i: usize, w: &str| w.chars().next().is_some_and(char::is_uppercase) || particle(i, w);
    let capitalized = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    let uncased = |w: &&str| {
        w.chars()
            .all(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase())
    };
    // A line that ends with its date is a header line too.
    // "Madrid, 5 de marzo de 2024.-": Spanish wires close the dateline with a full stop and a dash.
    let after = after.trim_start();
    let after = after.strip_prefix(".-").map_or(after, |_| &after[1..]);
    let wire_after = after.starts_with(['(', '-', '—', '|']) || after.trim().is_empty();
    (words.first().is_some_and(capitals) && words.len() <= 4 && words.iter().all(capitalized))
        || (!words.is_empty()
            && words.len() <= 3
            && (words.iter().all(uncased)
                || words.iter().enumerate().all(|(i, w)| capitalized_at(i, w)))
            && wire_after)
}

/// A short byline or header line with the date after a separator ("By Jane Doe | June 28, 2021") or
/// after a byline ("By Jane Doe, June 28, 2021", "Par Jean Dupont, le 28 juin 2021").
fn byline(before: &str, line: &str, packs: &[Pack]) -> bool {
    let b = before.trim_end();
    let short = line.split_whitespace().count() <= 16 && !line.trim_end().ends_with('.');
    let ends_sep = b.ends_with(['|', '•', '·', '—', '-', '/']);
    let first = b
        .split_whitespace()
        .next()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let by = packs.iter().any(|p| p.dates.bylines.contains(&first))
        && b.split_whitespace().count() <= 8
        && !b.contains(['.', ';']);
    short && (ends_sep || by)
}

/// An agency credit in parentheses around the date: "(dpa, 28.6.2021)", "(AFP) 28/06/2021".
fn credit(rest: &str, range: &Range<usize>, packs: &[Pack]) -> bool {
    let Some(before) = rest.get(..range.start) else {
        return false;
    };
    let Some(open) = before.rfind('(') else {
        return false;
    };
    let inside = &before[open..];
    if inside.len() > 40 {
        return false;
    }
    packs.iter().any(|p| {
        p.dates
            .agency
            .get(build_regex)
            .is_some_and(|re| re.is_match(inside))
    })
}

/// Longest agency credit in parentheses, in bytes.
const CREDIT_MAX: usize = 64;

/// An agency credit line anywhere in the text ("(dpa, 28.6.2021)", "(AFP, 28 juin 2021)"): the date
/// and its range in `text`. For articles whose first lines carry no date.
pub fn credit_line(text: &str, packs: &[Pack]) -> Option<(Date, Range<usize>)> {
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|s| s.find('(')) {
        let open = from + i;
        from = open + 1;
        // A credit is short; longer parentheses are narrative. Looking no further keeps the scan linear.
        let mut window = (open + CREDIT_MAX).min(text.len());
        while !text.is_char_boundary(window) {
            window -= 1;
        }
        let Some(close) = text.get(open..window).and_then(|s| s.find(')')) else {
            continue;
        };
        let inside = &text[open + 1..open + close];
        if !packs.iter().any(|p| {
            p.dates
                .agency
                .get(build_regex)
                .is_some_and(|re| re.is_match(inside))
        }) {
            continue;
        }
        if let Some((d, r)) = find_date(inside, packs, false) {
            let start = open + 1 + r.start;
            return Some((d, start..open + 1 + r.end));
        }
    }
    None
}

/// What a date expression says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    /// A calendar date, maybe without its year.
    Explicit {
        year: Option<i16>,
        month: i8,
        day: i8,
    },
    /// A weekday (1 = Monday); `last` puts it strictly before publication.
    Weekday { day: u8, last: bool },
    /// Days from publication.
    Relative(i32),
}

impl Said {
    /// Explicit dates outrank weekdays, which outrank relative words.
    fn rank(self) -> u8 {
        match self {
            Said::Explicit { .. } => 0,
            Said::Weekday { .. } => 1,
            Said::Relative(_) => 2,
        }
    }

    fn resolve(self, published: Option<Date>) -> Option<Date> {
        match self {
            Said::Explicit {
                year: Some(y),
                month,
                day,
            } => Date::new(y, month, day).ok(),
            Said::Explicit {
                year: None,
                month,
                day,
            } => {
                let p = published?;
                let d = Date::new(p.year(), month, day).ok()?;
                // "28 December" in a report of 3 January is last year's; "15 July" in a report of 28
                // June is a date ahead (a plan), left in the future for the caller to pass over.
                if d > p.checked_add(Span::new().days(60)).ok()? {
                    Date::new(p.year() - 1, month, day).ok()
                } else {
                    Some(d)
                }
            }
            Said::Weekday { day, last } => {
                let p = published?;
                let today = p.weekday().to_monday_one_offset() as i64;
                let mut back = (today - day as i64).rem_euclid(7);
                if last && back == 0 {
                    back = 7;
                }
                p.checked_sub(Span::new().days(back)).ok()
            }
            Said::Relative(n) => published?.checked_add(Span::new().days(n as i64)).ok(),
        }
    }
}

/// A date expression found in the text.
#[derive(Debug, Clone)]
struct Found {
    said: Said,
    range: Range<usize>,
    /// Dates a statement ("the army said on Monday"), not necessarily the event.
    statement: bool,
}

/// Every date expression of `norm[range]`, in text order.
fn mentions(
    dates: &Compiled,
    norm: &str,
    whole: Option<&Folded>,
    range: Range<usize>,
) -> Vec<Found> {
    let Some(s) = norm.get(range.clone()) else {
        return Vec::new();
    };
    let own;
    let folded = match whole.and_then(|f| f.slice(norm, range.clone())) {
        Some(view) => view,
        None => {
            own = fold(s);
            own.view()
        }
    };
    let starts = dates.scan(s, &folded, DIGIT | MONTH | RELATIVE | WEEKDAY, true);
    let mut out = Vec::new();
    for c in dates
        .mention
        .matches(s, &starts, |at| reach(s, at, dates.runs))
    {
        let whole = c.range();
        let said = if let (Some(d), Some(m)) = (c.name("d"), c.name("m")) {
            explicit(dates, d, m, c.name("y"))
        } else if let (Some(d), Some(m)) = (c.name("d2"), c.name("m2")) {
            explicit(dates, d, m, c.name("y2"))
        } else if let (Some(y), Some(m), Some(d)) = (c.name("iy"), c.name("im"), c.name("id")) {
            m.parse().ok().and_then(|m| explicit_num(d, m, Some(y)))
        } else if let Some(r) = c.name("rel") {
            dates
                .relative
                .get(&squash(&r.to_lowercase()))
                .map(|&n| Said::Relative(n))
        } else if let Some(w) = c.name("wd") {
            let name = w.to_lowercase();
            let ok = !dates.ambiguous.contains(&name)
                || previous_word(s, whole.start)
                    .is_some_and(|p| dates.preps.contains(&p.to_lowercase()));
            dates
                .weekday(&name)
                .filter(|_| ok)
                .map(|day| Said::Weekday {
                    day,
                    last: c.name("lastb").is_some() || c.name("lasta").is_some(),
                })
        } else {
            None
        };
        // "since 7 October", "depuis le 12 mai": the start of a period, not a day of the event.
        if matches!(said, Some(Said::Explicit { .. })) && after_since(dates, &s[..whole.start]) {
            continue;
        }
        if let Some(said) = said {
            let claimed = out.last().map_or(0, |f: &Found| f.range.end - range.start);
            out.push(Found {
                said,
                range: range.start + whole.start..range.start + whole.end,
                // A statement verb dates the first expression after it only: "said on Monday that
                // … on Sunday".
                statement: after_statement(dates, &s[claimed.min(whole.start)..whole.start]),
            });
        }
    }
    out
}

fn explicit(dates: &Compiled, d: &str, m: &str, y: Option<&str>) -> Option<Said> {
    explicit_num(d, dates.month(m)?, y)
}

fn explicit_num(d: &str, month: i8, y: Option<&str>) -> Option<Said> {
    let day: i8 = d.parse().ok()?;
    let year = match y {
        Some(y) => Some(
            y.parse::<i16>()
                .ok()
                .filter(|y| (1900..=2100).contains(y))?,
        ),
        None => None,
    };
    // Validate the day against the month (any leap year will do when the year is unknown).
    Date::new(year.unwrap_or(2000), month, day).ok()?;
    Some(Said::Explicit { year, month, day })
}

/// Words a statement verb may stand before the date it is said on: "said on Monday", "a annoncé
/// lundi", "said in a statement on Monday", and the subject between them where it follows the verb
/// ("أعلنت خلية الإعلام الأمني، اليوم الثلاثاء").
const STATEMENT_WORDS: usize = 5;

/// Whether one of the last [`STATEMENT_WORDS`] words of `before` is a statement verb ("said on
/// Monday", "a annoncé lundi", "заявил в понедельник").
fn after_statement(dates: &Compiled, before: &str) -> bool {
    before
        .split(|c: char| !c.is_alphanumeric())
        .rev()
        .filter(|w| !w.is_empty())
        .take(STATEMENT_WORDS)
        .any(|w| dates.statement.contains(&w.to_lowercase()))
}

/// Whether `before` ends with one of the pack's "since" words.
fn after_since(dates: &Compiled, before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = squash(&tail.to_lowercase());
    dates.since.iter().any(|w| {
        tail.strip_suffix(w.as_str()).is_some_and(|rest| {
            rest.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// The word just before byte `at` of `s`.
fn previous_word(s: &str, at: usize) -> Option<&str> {
    s.get(..at)?
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
}

/// Date expressions this close together (only connector words between them) form one group.
const GROUP_GAP: usize = 12;

/// Resolves a group of neighbouring expressions ("overnight Sunday to Monday") to one date.
fn resolve_group(group: &[Found], published: Option<Date>) -> Option<Date> {
    let best = group.iter().map(|f| f.said.rank()).min()?;
    let dates: Vec<Date> = group
        .iter()
        .filter(|f| f.said.rank() == best)
        .filter_map(|f| f.said.resolve(published))
        .collect();
    let first = *dates.first()?;
    let (min, max) = dates
        .iter()
        .fold((first, first), |(lo, hi), &d| (lo.min(d), hi.max(d)));
    // Two consecutive days side by side name a night, dated by the day it ends on.
    let one_day = min.checked_add(Span::new().days(1)).ok();
    if Some(max) == one_day {
        Some(max)
    } else {
        Some(first)
    }
}

/// Groups expressions written side by side.
fn groups(found: &[Found], norm: &str) -> Vec<Vec<Found>> {
    let mut out: Vec<Vec<Found>> = Vec::new();
    for f in found {
        if let Some(last) = out.last_mut()
            && let Some(prev) = last.last()
            && f.range.start >= prev.range.end
            && f.range.start - prev.range.end <= GROUP_GAP
            && norm
                .get(prev.range.end..f.range.start)
                .is_some_and(|gap| !gap.contains(['.', ',', ';', '\n', '!', '?']))
        {
            last.push(f.clone());
            continue;
        }
        out.push(vec![f.clone()]);
    }
    out
}

/// The days the date expressions of `norm[range]` resolve to against the publication date.
pub(crate) fn days_in(ctx: &Context<'_>, range: Range<usize>) -> Vec<Date> {
    let Some(pack) = ctx.pack else {
        return Vec::new();
    };
    let mut days: Vec<Date> = groups(
        &mentions(
            &pack.dates,
            &ctx.doc.norm,
            Some(doc_folded(ctx.doc)),
            range.clone(),
        ),
        &ctx.doc.norm,
    )
    .iter()
    .filter_map(|g| resolve_group(g, ctx.published))
    .collect();
    days.extend(month_ends(
        &pack.dates,
        ctx.doc.norm.get(range).unwrap_or(""),
        ctx.published,
    ));
    days
}

/// The last days of the months named without a day in `s` ("in March", "en mars 2021", "в марте"):
/// a sentence about March is earlier than an event in June. Without a year, the month is the latest
/// one on or before publication.
fn month_ends(dates: &Compiled, s: &str, published: Option<Date>) -> Vec<Date> {
    let Some(p) = published else {
        return Vec::new();
    };
    if dates.month_preps.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(month) = dates.month(w) else {
            continue;
        };
        let len = w.chars().count();
        let full = dates
            .month_names
            .get(&(month as u8))
            .is_some_and(|&n| n == len);
        let prep = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .is_some_and(|x| dates.month_preps.contains(&x.to_lowercase()));
        let next = words.get(i + 1).copied().unwrap_or("");
        // "in March 14" or "mars 14" is a day, which the date patterns read.
        let day = next.len() <= 2 && next.bytes().all(|b| b.is_ascii_digit()) && !next.is_empty();
        if !prep || day || (len < 4 && !full) {
            continue;
        }
        let year = match next.parse::<i16>() {
            Ok(y) if next.len() == 4 => y,
            _ if month > p.month() => p.year() - 1,
            _ => p.year(),
        };
        if let Some(end) = Date::new(year, month, 1).ok().map(|d| d.last_of_month()) {
            out.push(end);
        }
    }
    out
}

/// Bytes read past a sentence's end, for dates the sentence splitter cut.
const SPILL: usize = 24;

/// Sentences of the body this far into the article may still date the main event.
const OPENING_SENTENCES: usize = 10;

/// The day the main event happened, when the text lets a reader tell.
pub fn event_date(ctx: &Context<'_>, casualties: &Casualties) -> Option<Date> {
    let pack = ctx.pack?;
    let doc = ctx.doc;
    // Tier 0: headline and lead sentences (the first two of the body) with main casualty figures; 1:
    // the rest of the lead; 2: later sentences with main casualty figures; 3: sentences with casualty
    // words; 4: the rest of the opening. The lead comes before later casualty sentences: a background
    // paragraph ("On 20 May, a bomb killed two police officers") often carries figures the casualty
    // stage could not tie to another event, while the lead tells the article's own event.
    let mut tiers: [Vec<Range<usize>>; 5] = Default::default();
    let mains = event::MainSpans::new(casualties);
    for (s, role) in event::sentences(ctx) {
        let n = match role {
            Role::Title => {
                tiers[0].push(s);
                continue;
            }
            Role::Body(n) => n,
        };
        let lead = n < 2;
        if event::carries_casualties(ctx, &mains, &s) {
            tiers[if lead { 0 } else { 2 }].push(s);
        } else if lead {
            tiers[1].push(s);
        } else if n < OPENING_SENTENCES * 2
            && event::lowercase(doc, s.clone()).is_some_and(|t| pack.events.casualty_in(&t))
        {
            tiers[3].push(s);
        } else if n < OPENING_SENTENCES {
            tiers[4].push(s);
        }
    }
    let latest = ctx
        .published
        .and_then(|p| p.checked_add(Span::new().days(1)).ok());
    // A day after publication is a plan or a deadline, not the event.
    let first = |groups: &[Vec<Found>]| {
        groups
            .iter()
            .filter_map(|g| resolve_group(g, ctx.published))
            .find(|d| latest.is_none_or(|l| *d <= l))
    };
    // The day of a statement ("the army said on Monday that …", "a annoncé mardi") yields to every
    // narrative date of the headline and the lead: the statement is made on or after the event, and
    // the lead often tells the event's day in its second sentence. It does not yield to later
    // sentences, which may tell of other days' events.
    let mut statements: Vec<Vec<Found>> = Vec::new();
    for (t, tier) in tiers.iter_mut().enumerate() {
        if t == 2
            && let Some(d) = first(&statements)
        {
            return Some(d);
        }
        tier.sort_by_key(|r| r.start);
        for s in tier.iter() {
            // A sentence splitter may cut "am 25. Juni" after "25.": read on a little past the end,
            // keeping only expressions that start inside the sentence.
            let mut end = (s.end + SPILL).min(doc.norm.len());
            while !doc.norm.is_char_boundary(end) {
                end -= 1;
            }
            let found: Vec<Found> =
                mentions(&pack.dates, &doc.norm, Some(doc_folded(doc)), s.start..end)
                    .into_iter()
                    .filter(|f| f.range.start < s.end)
                    // A wire dateline's day is header even where its place and agency stay in the text.
                    .filter(|f| {
                        !ctx.header
                            .iter()
                            .any(|h| h.start <= f.range.start && f.range.end <= h.end)
                    })
                    .collect();
            let (narrative, said): (Vec<_>, Vec<_>) = groups(&found, &doc.norm)
                .into_iter()
                .partition(|g| g.first().is_none_or(|f| !f.statement));
            if let Some(d) = first(&narrative) {
                return Some(d);
            }
            if t < 2 {
                statements.extend(said);
            } else if let Some(d) = first(&said) {
                // Later tiers' statement days come right after their sentences' own dates.
                return Some(d);
            }
        }
    }
    first(&statements)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load_all;

    #[test]
    fn datelines() {
        let packs = load_all().expect("packs");
        let d = |s: &str| dateline(s, &packs).map(|(d, _)| d.to_string());
        assert_eq!(d("August 3, 2021").as_deref(), Some("2021-08-03"));
        assert_eq!(
            d("date 2021-06-28 Iraq said").as_deref(),
            Some("2021-06-28")
        );
        assert_eq!(d("Iraq said on June 28, 2021 that"), None);
        let y = |s: &str| yearless_dateline(s, &packs).map(|(_, n)| s[..n].to_string());
        assert_eq!(
            y("BOGOTÁ, 10 sep (EFE).- El Ejército capturó ayer"),
            Some("BOGOTÁ, 10 sep (EFE).- ".to_string())
        );
        assert_eq!(
            y("PESHAWAR, Pakistan, March 14 (Reuters) - A suicide bomber"),
            Some("PESHAWAR, Pakistan, March 14 (Reuters) - ".to_string())
        );
        assert_eq!(
            y("(ANSA) - ROMA, 11 MAG - Almeno sette persone"),
            Some("(ANSA) - ROMA, 11 MAG - ".to_string())
        );
        assert_eq!(
            y("Gunmen killed four people, police said on March 14 (AFP)"),
            None
        );
    }

    /// Texts to compare the anchored search with a plain one on: every fixture article, cut into
    /// lines, header-sized line openings and sentences, plus cases made to be hard.
    fn samples() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut texts: Vec<String> = Vec::new();
        for dir in ["dates", "events", "casualty", "seeds"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(content) = std::fs::read_to_string(&path) else {
                    continue;
                };
                match path.extension().and_then(|e| e.to_str()) {
                    Some("jsonl") => {
                        for line in content.lines() {
                            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                                && let Some(t) = v.get("text").and_then(|t| t.as_str())
                            {
                                texts.push(t.to_string());
                            }
                        }
                    }
                    Some("txt") => texts.push(content),
                    _ => {}
                }
            }
        }
        texts.extend(
            [
                "28th June 2021, June 28, 2021 and 1er juin 2021 (AFP) -",
                "ſept 28 2021 Sunday 27 June to Monday 28 June",
                "the day  before\n yesterday, last\tMonday, this past Sunday",
                "\u{0968}\u{0966}\u{0968}\u{0967}-06-28 and \u{FF12}\u{FF18} June 2021, 28\u{FF18} June",
                "в ночь с воскресенья на понедельник, 14 марта 2021 г., 14 МАРТА 2021 года",
                "Montagabend Sonntagnacht am 25. Juni 2021 um 10.30 Uhr",
                "3 تموز 2021 و28 يونيو/حزيران 2021 امس الاول",
                "na segunda-feira, 28 de junho de 2021; el domingo 27 de junio del 2021",
                "xavant-hier, avant-hier, aujourd'hui, 12 mai 2021, 31 juin 2021",
                "2021-06-28T10:00 28.06.2021 6/28/2021 28.06.21 1.2.3.4.5 2021/6/7",
                "MAR 3, 2021 MAY 2021 dec. 3rd, 2021 sept. 12 2020 Jan.2, 2021",
            ]
            .map(String::from),
        );
        let mut out = Vec::new();
        for t in &texts {
            out.push(t.clone());
            for line in t.lines() {
                out.push(line.to_string());
                let mut end = line.len().min(120);
                while !line.is_char_boundary(end) {
                    end -= 1;
                }
                out.push(line[..end].to_string());
                out.extend(line.split(". ").map(String::from));
            }
        }
        out
    }

    fn plain(re: &Regex, s: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        re.captures_iter(s)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    fn anchored(re: &Regex, hits: &[Hit<'_>]) -> Vec<Vec<Option<(usize, usize)>>> {
        hits.iter()
            .map(|h| {
                let mut groups = vec![Some((h.range().start, h.range().end))];
                for name in re.capture_names().skip(1) {
                    groups.push(
                        name.and_then(|n| h.caps.get_group_by_name(n))
                            .map(|g| (g.start, g.end)),
                    );
                }
                groups
            })
            .collect()
    }

    /// Searching only where an expression may begin, with the pattern of the kinds that may begin
    /// there, finds what `captures_iter` over the whole pattern finds: every match, valid or not.
    #[test]
    fn anchored_search_finds_what_a_plain_search_finds() {
        let packs = load_all().expect("packs");
        let texts = samples();
        for pack in &packs {
            let d = &pack.dates;
            let cases = [
                (&d.full, DIGIT | MONTH, false),
                (&d.mention, DIGIT | MONTH | RELATIVE | WEEKDAY, true),
            ];
            for (split, kinds, iso) in cases {
                let Some(whole) = split.whole() else {
                    continue;
                };
                let re = Regex::new(&whole).expect("pattern");
                for s in &texts {
                    let starts = d.scan(s, &fold(s).view(), kinds, iso);
                    let hits = split.matches(s, &starts, |at| reach(s, at, d.runs));
                    assert_eq!(
                        anchored(&re, &hits),
                        plain(&re, s),
                        "{}: {s:?}",
                        pack.info.iso639_3
                    );
                }
            }
        }
        let numeric = Regex::new(NUMERIC_PATTERN).expect("pattern");
        let Some(re) = NUMERIC.as_ref() else {
            panic!("numeric pattern");
        };
        for s in &texts {
            let end = |at: usize| numeric_end(s, at);
            let hits = anchored_matches(re, s, &digit_starts(s), end);
            assert_eq!(anchored(&numeric, &hits), plain(&numeric, s), "{s:?}");
        }
    }

    /// Cue words are found in folded text: folding must equate every character that case-insensitive
    /// matching equates with a character of a cue word.
    #[test]
    fn folding_keeps_case_insensitive_matches() {
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        let packs = load_all().expect("packs");
        let mut chars: Vec<char> = Vec::new();
        for pack in &packs {
            let d = &pack.dates;
            for (w, _) in &d.cue_words {
                chars.extend(w.chars());
            }
            for w in &d.prefix_words {
                chars.extend(w.chars());
            }
        }
        chars.sort_unstable();
        chars.dedup();
        for x in chars {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(x, x)]);
            class.case_fold_simple();
            for r in class.iter() {
                for t in r.start()..=r.end() {
                    assert_eq!(
                        fold(&t.to_string()).text,
                        fold(&x.to_string()).text,
                        "{t:?} matches {x:?}"
                    );
                }
            }
        }
    }

    /// Patterns compile on first use: all of them must compile.
    #[test]
    fn every_pattern_compiles() {
        let packs = load_all().expect("packs");
        for pack in &packs {
            let d = &pack.dates;
            let name = &pack.info.iso639_3;
            for kinds in 1..16u8 {
                let any = |split: &Split| split.alternatives.iter().any(|(k, _)| k & kinds != 0);
                assert_eq!(
                    d.full.get(kinds).is_some(),
                    any(&d.full),
                    "{name} full {kinds}"
                );
                assert_eq!(
                    d.mention.get(kinds).is_some(),
                    any(&d.mention),
                    "{name} mention {kinds}"
                );
            }
            assert!(d.prefix.source.is_none() || d.prefix.get(build_meta).is_some());
            assert!(d.agency.source.is_none() || d.agency.get(build_regex).is_some());
            assert!(d.cues().is_some(), "{name} cues");
        }
        assert!(NUMERIC.is_some());
    }

    #[test]
    fn weekday_rule() {
        let p = Date::new(2021, 6, 28).ok();
        let mon = Said::Weekday {
            day: 1,
            last: false,
        };
        assert_eq!(mon.resolve(p), Date::new(2021, 6, 28).ok());
        let sun = Said::Weekday {
            day: 7,
            last: false,
        };
        assert_eq!(sun.resolve(p), Date::new(2021, 6, 27).ok());
        let last_mon = Said::Weekday { day: 1, last: true };
        assert_eq!(last_mon.resolve(p), Date::new(2021, 6, 21).ok());
    }
}
