//! Casualty figures: killed, wounded, missing, kidnapped, with qualifier, scope and source.
//!
//! One engine for every language; the words are data in each pack's `[casualty]` section (rules/eng.toml
//! documents every key). A sentence is read in a few passes over its tokens:
//!
//! 1. every pack entry that starts at each token (cues, person nouns, qualifiers, scope cues…);
//! 2. numbers ([`super::numbers`]), vague amounts ("dozens") and "a/an + person noun" = 1;
//! 3. numbers that count something else are dropped: a `not_casualty` noun right after, a word of
//!    `not_before` right before, dates, times, years;
//! 4. each remaining number is paired with the nearest cue on either side within the pack's gaps; a number
//!    with no cue of its own borrows its neighbour's ("five soldiers and two civilians were killed"), its
//!    range partner's, or, after "including", the kind of the figure before it; a number before a verb
//!    that has a number as its object counts the agents ("three gunmen killed two soldiers");
//! 5. scope (zero statement, background cue, another month or year), source and `who`.

pub mod lexicon;
mod source;

use foldhash::{HashMap, HashMapExt, HashSet};
use std::ops::Range;

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::Deserialize;

use super::Context;
use super::date::DateRules;
use super::numbers::{NumSpan, Numbers, RangeEnd, Tok};
use crate::record::{Casualties, Kind, Mention, Qualifier, Scope, Tally};
use crate::rules::LanguageInfo;
use crate::text::{Document, TokenKind};
use lexicon::Lexicon;
use source::Sources;

/// The `[casualty]` section of a rule pack.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct CasualtyRules {
    /// People counted: nouns that may stand between a number and its cue.
    pub persons: Vec<String>,
    /// Nouns that, right after a number, make it count something else.
    pub not_casualty: Vec<String>,
    /// Words that, right before a number, make it something else ("aged", "$").
    pub not_before: Vec<String>,
    /// Words after which "a/an" + person names who speaks, not who was hit ("according to an official",
    /// "said a doctor"): the phrase is no figure.
    pub speaker_before: Vec<String>,
    /// Function words: the search for a noun after a number stops at them.
    pub links: Vec<String>,
    /// Words opening a part of a figure ("including"): a number after them takes the figure's kind.
    pub inherit: Vec<String>,
    /// Words between two numbers that make the second the size of a group ("two of the three hostages"):
    /// the second is no figure, and its noun is the first's.
    pub partitive: Vec<String>,
    /// Singular person nouns that count one on their own right by a cue ("قتل طفل", "погиб ребенок").
    pub singular: Vec<String>,
    /// Verbs of a toll reaching a number ("rose to"): right before a number, they pair it with the
    /// nearest cue before them in the sentence, however far.
    pub toll_verbs: Vec<String>,
    /// Words opening a contrasting clause ("while", "alors que", "بينما"): no figure pairs with a cue, or
    /// borrows one, across them ("killed 120 militants, while 1,200 troops were sent").
    pub contrast: Vec<String>,
    /// Words opening a clause that hangs on the clause before it ("…, killing 12", "…, tuant 12",
    /// "…, убив 12"): a date or cue of another event in the clause before reaches its figures.
    pub hanging: Vec<String>,
    /// Conjunctions joining one person to a number of others ("a woman and her two grandchildren"): the
    /// two are one figure, their sum.
    pub conjunctions: Vec<String>,
    /// Most words between a number and a cue after it.
    pub max_gap_after: usize,
    /// Most words between a cue and a number after it.
    pub max_gap_before: usize,
    /// Most words between a `far_before` cue and its number.
    pub max_gap_far: usize,
    /// Auxiliaries that open a verb bracket right after a number ("wurden", "sind"): the cue that closes
    /// it may follow from up to `max_gap_bracket` words, in the same clause.
    pub brackets: Vec<String>,
    /// Most words between a number followed by a bracket word and its cue.
    pub max_gap_bracket: usize,
    /// Cues for people killed.
    pub killed: KindRules,
    /// Cues for people wounded.
    pub wounded: KindRules,
    /// Cues for people missing.
    pub missing: KindRules,
    /// Cues for people kidnapped.
    pub kidnapped: KindRules,
    /// Qualifier phrases.
    pub qualifiers: QualifierRules,
    /// Scope cues.
    pub scope: ScopeRules,
    /// Zero-casualty statements.
    pub zero: ZeroRules,
    /// Attribution patterns.
    pub source: SourceRules,
}

impl Default for CasualtyRules {
    fn default() -> Self {
        CasualtyRules {
            persons: Vec::new(),
            not_casualty: Vec::new(),
            not_before: Vec::new(),
            speaker_before: Vec::new(),
            links: Vec::new(),
            inherit: Vec::new(),
            singular: Vec::new(),
            partitive: Vec::new(),
            toll_verbs: Vec::new(),
            contrast: Vec::new(),
            hanging: Vec::new(),
            conjunctions: Vec::new(),
            max_gap_after: 5,
            max_gap_before: 4,
            max_gap_far: 8,
            brackets: Vec::new(),
            max_gap_bracket: 0,
            killed: KindRules::default(),
            wounded: KindRules::default(),
            missing: KindRules::default(),
            kidnapped: KindRules::default(),
            qualifiers: QualifierRules::default(),
            scope: ScopeRules::default(),
            zero: ZeroRules::default(),
            source: SourceRules::default(),
        }
    }
}

/// Cues of one kind of casualty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KindRules {
    /// Cues that follow the number ("7 killed").
    pub after: Vec<String>,
    /// Cues that precede it ("killing 7").
    pub before: Vec<String>,
    /// Cues that precede it from further away ("the death toll from Monday's attack rose to 12").
    pub far_before: Vec<String>,
    /// Words that are a cue and a number at once (Arabic duals: "قتيلين" = 2 killed).
    pub counted: HashMap<String, u64>,
}

/// Qualifier phrases.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QualifierRules {
    /// "at least N".
    pub at_least: Vec<String>,
    /// "more than N".
    pub more_than: Vec<String>,
    /// "about N".
    pub about: Vec<String>,
    /// "up to N".
    pub up_to: Vec<String>,
    /// Phrases holding a qualifier that still give the exact number ("revised up to N": a toll that
    /// rose, not a ceiling); the longest phrase before a number wins.
    pub exact: Vec<String>,
    /// "N or more".
    pub at_least_after: Vec<String>,
    /// "N or so".
    pub about_after: Vec<String>,
    /// Amounts without a number ("dozens").
    pub vague: Vec<String>,
}

/// Scope cues.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScopeRules {
    /// Phrases that tie a sentence's figures to another event or a tally.
    pub background: Vec<String>,
    /// Phrases that tie the figures after them in the sentence, and only those, to another event: "comes
    /// two weeks after", "the deadliest since" (the figure before it is the article's own event).
    pub background_after: Vec<String>,
    /// Prepositions that, before a month name or a year other than the publication's, do the same.
    pub month_prepositions: Vec<String>,
    /// Phrases that hold a background cue and yet speak of the article's own event ("the deadliest
    /// attack this year", "the second such attack this year"): a background cue inside one marks nothing.
    pub main: Vec<String>,
}

/// Zero-casualty statements.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ZeroRules {
    /// Nobody killed.
    pub killed: Vec<String>,
    /// Nobody wounded.
    pub wounded: Vec<String>,
    /// Nobody missing.
    pub missing: Vec<String>,
    /// Nobody kidnapped.
    pub kidnapped: Vec<String>,
    /// No casualties of any kind (reported as kind `killed`).
    pub any: Vec<String>,
}

/// Attribution patterns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SourceRules {
    /// Regexes with a named group `source`, matched on the sentence.
    pub patterns: Vec<String>,
    /// Phrases that frame a sentence as the words of the source named in the sentence before ("It said",
    /// "a-t-il précisé", "hieß es"): its figures take that source when they have none of their own, or
    /// when their own is the frame's pronoun.
    pub frames: Vec<String>,
    /// Stems of nouns for a toll or a count ("bilan", "balance"): a source that has one among its first
    /// three words ("selon un précédent bilan") names nobody, and is dropped.
    pub not_sources: Vec<String>,
}

/// Which side of the number a cue stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// The cue follows the number.
    After,
    /// The cue precedes the number.
    Before,
    /// The cue precedes the number, possibly from further away (a `far_before` cue); paired, it is
    /// recorded as `Before`.
    Far,
}

/// What a pack entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Person,
    Partitive,
    Singular,
    TollVerb,
    Contrast,
    Hanging,
    Conjunction,
    Bracket,
    NotCasualty,
    NotBefore,
    SpeakerBefore,
    Link,
    Inherit,
    Cue(Kind, Dir),
    Counted(Kind, u64),
    Qual(Qualifier),
    QualAfter(Qualifier),
    Vague,
    Background,
    BackgroundAfter,
    NotBackground,
    TimePrep,
    Zero(Kind),
    Frame,
}

/// Compiled casualty rules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    lex: Lexicon<Tag>,
    max_gap_after: usize,
    max_gap_before: usize,
    max_gap_far: usize,
    max_gap_bracket: usize,
    /// Attribution patterns as written, read on first use: building Unicode-class regexes is the
    /// costliest part of start-up, and most runs see few of the eight languages.
    source_patterns: Vec<String>,
    /// Lowercase stems of [`SourceRules::not_sources`].
    not_sources: Vec<String>,
    sources: OnceLock<Sources>,
    /// The longest word of every cue, counted cue and zero statement: a sentence holding none of them
    /// (as a substring of its lowercase text) is skipped without being tokenized.
    cue_words: Vec<String>,
    /// Built on first use, with the pack's number words.
    gate: OnceLock<Gate>,
    months: HashMap<String, u8>,
    /// The pack's conjunctions as words: one glued to the next word as a prefix (Arabic "وحفيداها")
    /// joins it to the person before.
    conjunctions: Vec<String>,
    weekdays: HashSet<String>,
    /// Weekday names that name nothing else, to ISO weekday number (Monday = 1).
    weekday_of: HashMap<String, u8>,
}

impl Compiled {
    /// The attribution patterns, read on first use. A pattern that does not compile, or has no group
    /// named `source`, is reported by [`Compiled::check_sources`] (run by the tests) and skipped here.
    fn sources(&self) -> &Sources {
        self.sources
            .get_or_init(|| Sources::new(&self.source_patterns))
    }

    /// The sentence gate, built on first use.
    fn gate(&self, n: &Numbers) -> &Gate {
        self.gate.get_or_init(|| Gate::new(self, n))
    }

    /// Compiles every attribution pattern now, reporting the first that is wrong.
    pub fn check_sources(&self) -> Result<(), String> {
        for p in &self.source_patterns {
            source::check(p)?;
        }
        Ok(())
    }

    /// Compiles the section; month and weekday names come from the pack's `[dates]`.
    pub fn compile(
        rules: &CasualtyRules,
        _lang: &LanguageInfo,
        dates: &DateRules,
    ) -> Result<Compiled, String> {
        let mut lex = Lexicon::default();
        let mut add = |list: &[String], tag: Tag| {
            for e in list {
                lex.add(e, tag, false);
            }
        };
        add(&rules.persons, Tag::Person);
        add(&rules.not_casualty, Tag::NotCasualty);
        add(&rules.not_before, Tag::NotBefore);
        add(&rules.speaker_before, Tag::SpeakerBefore);
        add(&rules.links, Tag::Link);
        add(&rules.inherit, Tag::Inherit);
        add(&rules.toll_verbs, Tag::TollVerb);
        add(&rules.contrast, Tag::Contrast);
        add(&rules.hanging, Tag::Hanging);
        add(&rules.conjunctions, Tag::Conjunction);
        add(&rules.brackets, Tag::Bracket);
        add(&rules.partitive, Tag::Partitive);
        let kinds = [
            (Kind::Killed, &rules.killed, &rules.zero.killed),
            (Kind::Wounded, &rules.wounded, &rules.zero.wounded),
            (Kind::Missing, &rules.missing, &rules.zero.missing),
            (Kind::Kidnapped, &rules.kidnapped, &rules.zero.kidnapped),
        ];
        for (kind, k, zero) in kinds {
            add(&k.after, Tag::Cue(kind, Dir::After));
            add(&k.before, Tag::Cue(kind, Dir::Before));
            add(&k.far_before, Tag::Cue(kind, Dir::Far));
            add(zero, Tag::Zero(kind));
        }
        add(&rules.zero.any, Tag::Zero(Kind::Killed));
        let q = &rules.qualifiers;
        add(&q.at_least, Tag::Qual(Qualifier::AtLeast));
        add(&q.more_than, Tag::Qual(Qualifier::MoreThan));
        add(&q.about, Tag::Qual(Qualifier::About));
        add(&q.up_to, Tag::Qual(Qualifier::UpTo));
        add(&q.exact, Tag::Qual(Qualifier::Exact));
        add(&q.at_least_after, Tag::QualAfter(Qualifier::AtLeast));
        add(&q.about_after, Tag::QualAfter(Qualifier::About));
        add(&q.vague, Tag::Vague);
        add(&rules.scope.background, Tag::Background);
        add(&rules.scope.background_after, Tag::BackgroundAfter);
        add(&rules.scope.month_prepositions, Tag::TimePrep);
        add(&rules.scope.main, Tag::NotBackground);
        add(&rules.source.frames, Tag::Frame);
        for w in &rules.singular {
            lex.add(w, Tag::Singular, true);
        }
        for (kind, k, _) in kinds {
            let mut counted: Vec<_> = k.counted.iter().collect();
            counted.sort();
            for (w, &v) in counted {
                lex.add(w, Tag::Counted(kind, v), true);
            }
        }
        let mut firsts: Vec<String> = Vec::new();
        let mut gate_words = |list: &[String]| {
            for e in list {
                // The longest word of the entry: every word must occur for it to match, and a long one
                // lets fewer sentences through ("no one was killed" → "killed").
                let best = e
                    .split(|c: char| c.is_whitespace() || c == '-')
                    .map(|w| w.trim_end_matches('$'))
                    .filter(|w| !w.is_empty() && *w != "*")
                    .fold("", |best, w| {
                        if w.chars().count() >= best.chars().count() {
                            w
                        } else {
                            best
                        }
                    });
                if !best.is_empty() {
                    firsts.push(best.to_lowercase());
                }
            }
        };
        for k in [
            &rules.killed,
            &rules.wounded,
            &rules.missing,
            &rules.kidnapped,
        ] {
            gate_words(&k.after);
            gate_words(&k.before);
            gate_words(&k.far_before);
            gate_words(&k.counted.keys().cloned().collect::<Vec<_>>());
        }
        let z = &rules.zero;
        for list in [&z.killed, &z.wounded, &z.missing, &z.kidnapped, &z.any] {
            gate_words(list);
        }
        firsts.sort();
        firsts.dedup();
        Ok(Compiled {
            lex,
            max_gap_after: rules.max_gap_after,
            max_gap_before: rules.max_gap_before,
            max_gap_far: rules.max_gap_far,
            max_gap_bracket: rules.max_gap_bracket,
            source_patterns: rules.source.patterns.clone(),
            not_sources: rules
                .source
                .not_sources
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            sources: OnceLock::new(),
            cue_words: firsts,
            gate: OnceLock::new(),
            conjunctions: rules
                .conjunctions
                .iter()
                .map(|c| c.trim_end_matches('$').to_lowercase())
                .collect(),
            months: dates
                .months
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            weekdays: dates.weekdays.keys().map(|k| k.to_lowercase()).collect(),
            weekday_of: dates
                .weekdays
                .iter()
                .filter(|(k, _)| {
                    !dates
                        .ambiguous_weekdays
                        .iter()
                        .any(|a| a.to_lowercase() == k.to_lowercase())
                })
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
        })
    }
}

/// Gate word classes: a cue (or zero statement), a word that makes a figure on its own (number words,
/// vague amounts, zero statements, singular person nouns), a person noun, an indefinite article.
const CUE: u8 = 1;
const FIG: u8 = 2;
const PERSON: u8 = 4;
const INDEF: u8 = 8;

/// Which sentences can hold a figure: those with a cue and something to count, a digit, a number word
/// or an indefinite article with a person noun ("a child"). Every word a figure needs is a substring of
/// the sentence's lowercase text, so one pass of an automaton over it rules out most sentences before
/// they are tokenized.
#[derive(Debug, Clone, Default)]
struct Gate {
    ac: Option<AhoCorasick>,
    /// Classes of each word of `ac`.
    classes: Vec<u8>,
    /// False when the pack has no cue words (every sentence is read).
    cue_needed: bool,
}

impl Gate {
    fn new<'a>(c: &'a Compiled, n: &'a Numbers) -> Gate {
        let mut words: HashMap<&'a str, u8> = HashMap::new();
        let mut put = |w: &'a str, class: u8| {
            if !w.is_empty() {
                *words.entry(w).or_default() |= class;
            }
        };
        for w in &c.cue_words {
            put(w, CUE);
        }
        for (head, tag) in c.lex.heads() {
            match tag {
                Tag::Vague | Tag::Singular | Tag::Zero(_) | Tag::Counted(..) => put(head, FIG),
                Tag::Person => put(head, PERSON),
                _ => {}
            }
        }
        for w in n.figure_words() {
            put(w, FIG);
        }
        for w in n.indefinites() {
            put(w, INDEF);
        }
        let mut list: Vec<(&str, u8)> = words.into_iter().collect();
        list.sort_unstable();
        // Run on every sentence: a DFA's one transition per byte pays for its build.
        let ac = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(list.iter().map(|(w, _)| w))
            .ok();
        Gate {
            classes: list.iter().map(|(_, c)| *c).collect(),
            // Without the automaton, every sentence is read.
            cue_needed: !c.cue_words.is_empty() && ac.is_some(),
            ac,
        }
    }

    /// Whether a sentence (its lowercase text) may hold a figure or a zero statement.
    fn passes(&self, text: &str) -> bool {
        let Some(ac) = &self.ac else { return true };
        let ok = |h: u8| h & CUE != 0 && (h & FIG != 0 || h & (PERSON | INDEF) == PERSON | INDEF);
        let mut have = if self.cue_needed { 0 } else { CUE };
        if text.bytes().any(|b| b.is_ascii_digit()) {
            have |= FIG;
        }
        if ok(have) {
            return true;
        }
        for m in ac.find_overlapping_iter(text) {
            have |= self
                .classes
                .get(m.pattern().as_usize())
                .copied()
                .unwrap_or(0);
            if ok(have) {
                return true;
            }
        }
        false
    }
}

/// Finds every casualty figure of the article.
pub fn extract(ctx: &Context<'_>) -> Casualties {
    let Some(pack) = ctx.pack else {
        return Casualties::default();
    };
    let doc = ctx.doc;
    let lower = doc.lower();
    let reader = Reader {
        c: &pack.casualty,
        n: &pack.numbers,
        doc,
        lower,
        published: ctx.published,
        event_back: ctx
            .published
            .and_then(|p| lead_days_back(ctx, &pack.casualty, &pack.numbers.prefixes, lower, p)),
    };
    let mut mentions = Vec::new();
    let mut sentences = doc.sentences.iter().peekable();
    let mut prev: Option<Range<usize>> = None;
    while let Some(first) = sentences.next() {
        let mut sent = first.clone();
        // "Soldaten der 14. Brigade": where digits with a full stop are ordinals, they end no sentence.
        while pack.numbers.ordinal_dot
            && ends_with_ordinal(&doc.norm, &sent)
            && let Some(next) = sentences.peek()
            && doc
                .norm
                .get(sent.end..next.start)
                .is_some_and(|between| !between.contains('\n'))
        {
            sent.end = next.end;
            sentences.next();
        }
        let before = prev.replace(sent.clone());
        if ctx
            .header
            .iter()
            .any(|h| h.start <= sent.start && sent.end <= h.end)
        {
            continue;
        }
        if !lower
            .get(sent.clone())
            .is_some_and(|text| pack.casualty.gate(&pack.numbers).passes(text))
        {
            continue;
        }
        reader.sentence(sent, before, &mut mentions);
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    tally(mentions)
}

/// How many days before publication the earliest weekday named in the lead (its first two paragraphs,
/// at least three sentences) falls: the main event's day at the latest. A later sentence dated to a
/// weekday before it tells of another event ("В пятницу … был ранен мужчина" after a Saturday lead).
fn lead_days_back(
    ctx: &Context<'_>,
    c: &Compiled,
    prefixes: &[String],
    lower: &str,
    published: jiff::civil::Date,
) -> Option<i64> {
    let mut paragraphs = 0;
    let mut seen = 0;
    let mut end: Option<usize> = None;
    let mut back: Option<i64> = None;
    for sent in &ctx.doc.sentences {
        if end.is_some_and(|e| {
            ctx.doc
                .norm
                .get(e..sent.start)
                .is_some_and(|gap| gap.contains('\n'))
        }) {
            paragraphs += 1;
        }
        if paragraphs >= 2 && seen >= 3 {
            break;
        }
        if ctx
            .title
            .is_some_and(|t| t.start <= sent.start && sent.end <= t.end)
            || ctx
                .header
                .iter()
                .any(|h| h.start <= sent.start && sent.end <= h.end)
        {
            continue;
        }
        end = Some(sent.end);
        seen += 1;
        for w in lower
            .get(sent.clone())
            .unwrap_or("")
            .split(|ch: char| !ch.is_alphanumeric() && ch != '-')
        {
            if let Some(d) = weekday_in(c, prefixes, w) {
                let b = days_back(published, d);
                back = Some(back.map_or(b, |x| x.max(b)));
            }
        }
    }
    back
}

/// The ISO weekday a word names (prefixes stripped), when it names nothing else.
fn weekday_in(c: &Compiled, prefixes: &[String], w: &str) -> Option<u8> {
    if w.is_empty() {
        return None;
    }
    c.weekday_of.get(w).copied().or_else(|| {
        prefixes
            .iter()
            .find_map(|p| w.strip_prefix(p.as_str()).and_then(|r| c.weekday_of.get(r)))
            .copied()
    })
}

/// Days from the last such weekday on or before `published` to `published`.
fn days_back(published: jiff::civil::Date, weekday: u8) -> i64 {
    (i64::from(published.weekday().to_monday_one_offset()) - i64::from(weekday)).rem_euclid(7)
}

/// Whether a sentence ends with one to three digits and a full stop ("der 14.").
fn ends_with_ordinal(norm: &str, sent: &Range<usize>) -> bool {
    let Some(text) = norm.get(sent.clone()) else {
        return false;
    };
    let Some(body) = text.strip_suffix('.') else {
        return false;
    };
    let digits = body.len() - body.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (1..=3).contains(&digits)
        && body
            .get(..body.len() - digits)
            .is_some_and(|b| b.is_empty() || b.ends_with(' '))
}

/// The main-scope summaries of a list of mentions.
pub fn tally(mentions: Vec<Mention>) -> Casualties {
    let sum = |kind: Kind| {
        let mut figures: Vec<u64> = Vec::new();
        for m in &mentions {
            if m.kind == kind
                && m.scope == Scope::Main
                && let Some(c) = m.count
                && !figures.contains(&c)
            {
                figures.push(c);
            }
        }
        Some(Tally {
            min: *figures.iter().min()?,
            max: *figures.iter().max()?,
            figures,
        })
    };
    Casualties {
        killed: sum(Kind::Killed),
        wounded: sum(Kind::Wounded),
        mentions,
    }
}

struct Reader<'a> {
    c: &'a Compiled,
    n: &'a Numbers,
    doc: &'a Document,
    lower: &'a str,
    published: Option<jiff::civil::Date>,
    /// Days before publication of the lead's earliest weekday (see [`lead_days_back`]).
    event_back: Option<i64>,
}

/// A number or vague amount being considered as a figure.
#[derive(Debug, Clone)]
struct Cand {
    num: NumSpan,
    vague: bool,
    dropped: bool,
    /// First and past-the-end token including qualifiers.
    qstart: usize,
    qend: usize,
    qualifier: Qualifier,
    who: Option<(usize, usize)>,
    /// Where to look for the noun when it is not right after the number ("two of the three hostages").
    who_from: Option<usize>,
    /// Follows an "including": takes the kind of the figure before it.
    inherit: Option<usize>,
    /// Cue paired with: kind, direction, token range; `direct` when the number found it itself.
    cue: Option<CueRef>,
    direct: bool,
}

impl Cand {
    /// Token just past the number and its noun.
    fn tail(&self) -> usize {
        self.who.map_or(self.qend, |w| w.1.max(self.qend))
    }
}

/// A cue a figure is paired with: kind, side, and its tokens.
type CueRef = (Kind, Dir, usize, usize);

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    tag: Tag,
}

impl Reader<'_> {
    fn sentence(&self, range: Range<usize>, prev: Option<Range<usize>>, out: &mut Vec<Mention>) {
        let toks = self.n.tokens(&self.doc.norm, range);
        if toks.is_empty() {
            return;
        }
        let lx: Vec<&str> = toks
            .iter()
            .map(|t| self.lower.get(t.start..t.end).unwrap_or(""))
            .collect();
        let n = toks.len();
        // 1. Every entry starting at every token, indexed by token.
        let mut hits: Vec<Hit> = Vec::new();
        let mut first_at: Vec<usize> = Vec::with_capacity(n + 1);
        let mut buf = Vec::new();
        let mut has_cue = false;
        for i in 0..n {
            first_at.push(hits.len());
            self.c.lex.matches_at(&lx, i, &self.n.prefixes, &mut buf);
            for h in &buf {
                has_cue |= matches!(h.tag, Tag::Cue(..) | Tag::Zero(_) | Tag::Counted(..));
                hits.push(Hit {
                    start: i,
                    end: h.end,
                    tag: *h.tag,
                });
            }
        }
        first_at.push(hits.len());
        if !has_cue {
            return;
        }
        let at = |i: usize| -> &[Hit] {
            match (first_at.get(i), first_at.get(i + 1)) {
                (Some(&a), Some(&b)) => hits.get(a..b).unwrap_or(&[]),
                _ => &[],
            }
        };
        // Per-token views of the hits (the longest match where it matters).
        let mut person = vec![None::<usize>; n];
        let mut cue_at = vec![false; n];
        let mut notcas = vec![false; n];
        let mut link = vec![false; n];
        let mut vague_end = vec![None::<usize>; n];
        let mut qual_ending = vec![None::<(usize, Qualifier)>; n + 1];
        let mut qual_after = vec![None::<(usize, Qualifier)>; n + 1];
        let mut inherit_ending = vec![None::<usize>; n + 1];
        let mut not_before_ending = vec![false; n + 1];
        let mut speaker_ending = vec![false; n + 1];
        let mut toll_ending = vec![false; n + 1];
        let mut singular = vec![None::<usize>; n];
        let mut cue_ending = vec![false; n + 1];
        let mut prep_ending = vec![false; n + 1];
        let mut contrast = vec![false; n];
        let mut bracket_at = vec![false; n + 1];
        let mut conj_at = vec![false; n + 1];
        let mut cues: Vec<CueRef> = Vec::new();
        for h in &hits {
            let (s, e) = (h.start, h.end.min(n));
            let longer = |slot: Option<usize>| slot.is_none_or(|x| e > x);
            match h.tag {
                Tag::Person => {
                    if let Some(p) = person.get_mut(s)
                        && longer(*p)
                    {
                        *p = Some(e);
                    }
                }
                Tag::Singular => {
                    if let Some(p) = singular.get_mut(s) {
                        *p = Some(e);
                    }
                }
                Tag::Cue(k, d) => {
                    if let Some(c) = cue_at.get_mut(s) {
                        *c = true;
                    }
                    if d != Dir::After
                        && let Some(c) = cue_ending.get_mut(e)
                    {
                        *c = true;
                    }
                    cues.push((k, d, s, e));
                }
                Tag::NotCasualty => {
                    if let Some(c) = notcas.get_mut(s) {
                        *c = true;
                    }
                }
                Tag::Link => {
                    if let Some(c) = link.get_mut(s) {
                        *c = true;
                    }
                }
                Tag::Vague => {
                    if let Some(v) = vague_end.get_mut(s)
                        && longer(*v)
                    {
                        *v = Some(e);
                    }
                }
                Tag::Qual(q) => {
                    if let Some(slot) = qual_ending.get_mut(e)
                        && slot.is_none_or(|(x, _)| s < x)
                    {
                        *slot = Some((s, q));
                    }
                }
                Tag::QualAfter(q) => {
                    if let Some(slot) = qual_after.get_mut(s)
                        && slot.is_none_or(|(x, _)| e > x)
                    {
                        *slot = Some((e, q));
                    }
                }
                Tag::Inherit => {
                    if let Some(slot) = inherit_ending.get_mut(e)
                        && slot.is_none_or(|x| s < x)
                    {
                        *slot = Some(s);
                    }
                }
                Tag::NotBefore => {
                    if let Some(slot) = not_before_ending.get_mut(e) {
                        *slot = true;
                    }
                }
                Tag::SpeakerBefore => {
                    if let Some(slot) = speaker_ending.get_mut(e) {
                        *slot = true;
                    }
                }
                Tag::TimePrep => {
                    if let Some(slot) = prep_ending.get_mut(e) {
                        *slot = true;
                    }
                }
                Tag::TollVerb => {
                    if let Some(slot) = toll_ending.get_mut(e) {
                        *slot = true;
                    }
                }
                Tag::Bracket => {
                    if let Some(b) = bracket_at.get_mut(s) {
                        *b = true;
                    }
                }
                Tag::Conjunction => {
                    if let Some(b) = conj_at.get_mut(s) {
                        *b = true;
                    }
                }
                Tag::Contrast => {
                    for c in contrast.iter_mut().take(e).skip(s) {
                        *c = true;
                    }
                }
                _ => {}
            }
        }
        let is_person = |i: usize| person.get(i).copied().flatten();
        let is_cue = |i: usize| cue_at.get(i).copied().unwrap_or(false);
        let is_notcas = |i: usize| notcas.get(i).copied().unwrap_or(false);
        let is_link = |i: usize| link.get(i).copied().unwrap_or(false);
        let text_of = |i: usize| lx.get(i).copied().unwrap_or("");
        let punct = |i: usize| toks.get(i).is_some_and(|t| t.kind == TokenKind::Punct);
        let is_number = |i: usize| toks.get(i).is_some_and(|t| t.kind == TokenKind::Number);
        let hard_stop = |i: usize| {
            matches!(text_of(i), ";" | ":" | "(" | ")") || contrast.get(i).copied().unwrap_or(false)
        };
        // Part of a hyphenated compound ("25-year-old"): an adjective, whatever its words.
        let compound = |i: usize| text_of(i + 1) == "-" || (i > 0 && text_of(i - 1) == "-");

        // 2. Numbers, vague amounts, "a + person", a bare singular person noun by a cue.
        let nums = self.n.find(&self.doc.norm, &toks, &lx);
        let new = |num: NumSpan, vague: bool| Cand {
            num,
            vague,
            dropped: false,
            qstart: num.start,
            qend: num.end,
            qualifier: if vague {
                Qualifier::Vague
            } else {
                Qualifier::Exact
            },
            who: None,
            who_from: None,
            inherit: None,
            cue: None,
            direct: false,
        };
        let mut num_ends = vec![false; n + 1];
        for m in &nums {
            if let Some(e) = num_ends.get_mut(m.end) {
                *e = true;
            }
        }
        let mut cands: Vec<Cand> = Vec::with_capacity(nums.len());
        let mut covered = vec![false; n];
        let mut by_num: HashMap<usize, usize> = HashMap::new();
        for (k, num) in nums.iter().enumerate() {
            // A lone number word that is also a vague amount ("тысячи", "آلاف") is the vague amount.
            if !num.digits
                && !num.approx
                && num.end == num.start + 1
                && vague_end.get(num.start).copied().flatten().is_some()
            {
                continue;
            }
            by_num.insert(k, cands.len());
            for c in covered.iter_mut().take(num.end).skip(num.start) {
                *c = true;
            }
            cands.push(new(*num, false));
        }
        let mut i = 0;
        while i < n {
            if let Some(end) = vague_end.get(i).copied().flatten()
                && !(i..end).any(|k| covered.get(k).copied().unwrap_or(true))
            {
                for c in covered.iter_mut().take(end).skip(i) {
                    *c = true;
                }
                cands.push(new(plain_span(i, end, None), true));
                i = end;
                continue;
            }
            i += 1;
        }
        // "a child", "a 25-year-old man", "a young Palestinian woman": the person noun after an
        // indefinite article (or the number word "one" that doubles as one: "un", "ein").
        let person_after = |i: usize| -> Option<(usize, usize)> {
            let mut k = i + 1;
            let mut words = 0;
            while words < 4 && k < n {
                if let Some(end) = is_person(k) {
                    return Some((k, end));
                }
                let t = text_of(k);
                if t == "-" || t == "'" {
                    k += 1;
                    continue;
                }
                // Another number ("in einem Nachbardorf neun Bauern") has the noun to itself.
                let number = is_number(k) || covered.get(k).copied().unwrap_or(false);
                // An age or size before the noun ("ein zwölf Jahre alter Junge", "a 12 year old boy")
                // is an adjective.
                if number && !is_cue(k + 1) && is_notcas(k + 1) && is_person(k + 1).is_none() {
                    words += 1;
                    k += 2;
                    continue;
                }
                if punct(k)
                    || is_cue(k)
                    || is_link(k)
                    || self.n.is_indefinite(t)
                    || vague_end.get(k).copied().flatten().is_some()
                    || ((number || is_notcas(k)) && !compound(k))
                {
                    return None;
                }
                words += 1;
                k += 1;
            }
            None
        };
        for c in cands.iter_mut() {
            if c.num.indefinite && c.num.end == c.num.start + 1 {
                // The number word "un"/"ein": one only before a person or right before its cue.
                match person_after(c.num.start) {
                    Some(w) => c.who = Some(w),
                    None => {
                        if !at(c.num.end)
                            .iter()
                            .any(|h| matches!(h.tag, Tag::Cue(_, Dir::After)))
                        {
                            c.dropped = true;
                        }
                    }
                }
            }
        }
        for i in 0..n {
            if covered.get(i).copied().unwrap_or(true) {
                continue;
            }
            if self.n.is_indefinite(text_of(i)) {
                if let Some(w) = person_after(i) {
                    let mut c = new(plain_span(i, i + 1, Some(1)), false);
                    c.num.indefinite = true;
                    c.who = Some(w);
                    cands.push(c);
                }
                continue;
            }
            // "قتل طفل", "погиб ребенок": a singular person noun right by a cue, unless it is the noun
            // of a number just before it ("قتل 300 مدني").
            if let Some(end) = singular.get(i).copied().flatten()
                && !num_ends.get(i).copied().unwrap_or(false)
                && !(i > 0 && !punct(i - 1) && num_ends.get(i - 1).copied().unwrap_or(false))
            {
                // Adjectives may stand after a part's opening ("среди погибших - 12-летний мальчик"):
                // up to two words, dashes, and numbers inside a compound.
                let mut lead = i;
                let mut words = 0;
                while let Some(t) = lead.checked_sub(1) {
                    if text_of(t) == "-" || (is_number(t) && compound(t)) {
                        lead = t;
                        continue;
                    }
                    if words < 2
                        && !punct(t)
                        && !is_cue(t)
                        && !is_link(t)
                        && !is_number(t)
                        && !covered.get(t).copied().unwrap_or(false)
                        && !cue_ending.get(t + 1).copied().unwrap_or(false)
                        && inherit_ending.get(t + 1).copied().flatten().is_none()
                    {
                        words += 1;
                        lead = t;
                        continue;
                    }
                    break;
                }
                // Only a part of a figure reaches over adjectives: "Погибли 57-летний водитель и
                // двое пассажиров" names the driver, it does not count him.
                let opened = |p: usize| inherit_ending.get(p).copied().flatten().is_some();
                let before = (lead..=i).any(opened)
                    || cue_ending.get(i).copied().unwrap_or(false)
                    || (i > 0 && !punct(i - 1) && cue_ending.get(i - 1).copied().unwrap_or(false));
                let after = at(end)
                    .iter()
                    .chain(if punct(end) { &[][..] } else { at(end + 1) })
                    .any(|h| matches!(h.tag, Tag::Cue(_, Dir::After)));
                if before || after {
                    let mut c = new(plain_span(i, end, Some(1)), false);
                    c.num.indefinite = true;
                    c.who = Some((i, end));
                    cands.push(c);
                }
            }
        }
        cands.sort_by_key(|c| c.num.start);
        // Range partners were indexed among `nums`; re-index them among `cands`.
        let start_index: HashMap<usize, usize> = cands
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.vague)
            .map(|(k, c)| (c.num.start, k))
            .collect();
        let partners: Vec<Option<usize>> = cands
            .iter()
            .map(|c| {
                let (_, other) = c.num.range?;
                by_num.get(&other)?;
                let target = nums.get(other)?;
                start_index.get(&target.start).copied()
            })
            .collect();
        let mut num_start = vec![false; n + 1];
        for c in &cands {
            if let Some(s) = num_start.get_mut(c.num.start) {
                *s = true;
            }
        }
        let num_at = |i: usize| num_start.get(i).copied().unwrap_or(false);
        // "two of the three hostages": the three is the group, not a figure.
        for k in 1..cands.len() {
            let (Some(a), Some(b)) = (cands.get(k - 1), cands.get(k)) else {
                continue;
            };
            if a.vague || b.vague || a.dropped || b.dropped {
                continue;
            }
            let (a_end, b_start, b_end) = (a.num.end, b.num.start, b.num.end);
            if at(a_end)
                .iter()
                .any(|h| h.tag == Tag::Partitive && h.end == b_start)
            {
                if let Some(b) = cands.get_mut(k) {
                    b.dropped = true;
                }
                if let Some(a) = cands.get_mut(k - 1) {
                    a.who_from = Some(b_end);
                }
            }
        }

        // 3. Numbers that count something else.
        for c in cands.iter_mut() {
            if c.vague || c.dropped {
                continue;
            }
            if c.num.value.is_none() {
                c.dropped = true;
                continue;
            }
            if c.num.indefinite {
                // "according to an official", and "…, a relative said"; but "said a child was
                // killed" is a figure.
                let t = c.tail();
                let verb = is_cue(t) || (is_link(t) && is_cue(t + 1));
                if (speaker_ending.get(c.num.start).copied().unwrap_or(false) && !verb)
                    || at(t).iter().any(|h| h.tag == Tag::SpeakerBefore)
                {
                    c.dropped = true;
                }
                continue;
            }
            let s = c.num.start;
            let e = c.num.end;
            let before = s.checked_sub(1);
            if not_before_ending.get(s).copied().unwrap_or(false) {
                c.dropped = true;
                continue;
            }
            // "The man, 34, was killed", "Ahmed Ali (34)": a bare number set off right after a person
            // noun or a name is an age.
            if c.num.digits
                && c.num.value.is_some_and(|v| v <= 120)
                && s >= 2
                && matches!(text_of(s - 1), "," | "(")
                && matches!(text_of(e), "," | ")")
                && (is_person(s - 2) == Some(s - 1)
                    || toks.get(s - 2).is_some_and(|t| {
                        t.kind == TokenKind::Word
                            && self
                                .doc
                                .norm
                                .get(t.start..t.end)
                                .and_then(|w| w.chars().next())
                                .is_some_and(char::is_uppercase)
                    }))
            {
                c.dropped = true;
                continue;
            }
            if c.num.digits {
                // "14. Brigade", "am 14. Juni": digits with a full stop inside a sentence are ordinals.
                if self.n.ordinal_dot
                    && text_of(e) == "."
                    && e + 1 < n
                    && toks
                        .get(e)
                        .zip(toks.get(e - 1))
                        .is_some_and(|(d, t)| d.start == t.end)
                {
                    c.dropped = true;
                    continue;
                }
                let next = if text_of(e) == "." { e + 1 } else { e };
                let dateish = |i: usize| {
                    let t = text_of(i);
                    self.month(t).is_some() || self.c.weekdays.contains(t)
                };
                if c.num.value.is_some_and(|v| (1..=31).contains(&v))
                    && (before.is_some_and(dateish) || dateish(next))
                {
                    c.dropped = true;
                    continue;
                }
                let colon = |i: usize| matches!(text_of(i), ":" | "h");
                if (before.is_some_and(colon)
                    && before.and_then(|b| b.checked_sub(1)).is_some_and(is_number))
                    || (colon(e) && is_number(e + 1))
                {
                    c.dropped = true;
                    continue;
                }
                let after_prep = prep_ending.get(s).copied().unwrap_or(false);
                if c.num.plain4
                    && c.num.value.is_some_and(|v| (1900..=2100).contains(&v))
                    && (after_prep
                        || (is_person(e).is_none()
                            && !at(e)
                                .iter()
                                .any(|h| matches!(h.tag, Tag::Cue(_, Dir::After)))))
                {
                    c.dropped = true;
                    continue;
                }
            }
            // A noun right after the number (adjectives may stand between) says what it counts.
            let mut k = e;
            let mut words = 0;
            while words < 3 && k < n {
                // A person noun wins over a not-casualty stem ("villagers", not "village").
                if is_person(k).is_some() || is_cue(k) || num_at(k) || is_link(k) {
                    break;
                }
                if is_notcas(k) {
                    c.dropped = true;
                    break;
                }
                if text_of(k) == "-" {
                    k += 1;
                    continue;
                }
                if punct(k) {
                    break;
                }
                words += 1;
                k += 1;
            }
        }
        // A range stands or falls with its high end ("5 to 7 attacks"), and with its low end where
        // that is something else ("aged between 18 and 25").
        for i in 0..cands.len() {
            if let Some(p) = partners.get(i).copied().flatten()
                && cands
                    .get(i)
                    .is_some_and(|c| c.num.range.map(|r| r.0) == Some(RangeEnd::High))
                && cands.get(p).is_some_and(|c| {
                    c.dropped && not_before_ending.get(c.num.start).copied().unwrap_or(false)
                })
                && let Some(c) = cands.get_mut(i)
            {
                c.dropped = true;
            }
        }
        for i in 0..cands.len() {
            if let Some(p) = partners.get(i).copied().flatten()
                && cands
                    .get(i)
                    .is_some_and(|c| c.num.range.map(|r| r.0) == Some(RangeEnd::Low))
                && cands.get(p).is_some_and(|c| c.dropped)
                && let Some(c) = cands.get_mut(i)
            {
                c.dropped = true;
            }
        }
        // "aged 6 and 9", "aged 6, 9 and 12": numbers coordinated with an age are ages.
        let mut aged = false;
        for k in 0..cands.len() {
            let Some(c) = cands.get(k) else { continue };
            if c.vague {
                aged = false;
                continue;
            }
            let starts = not_before_ending.get(c.num.start).copied().unwrap_or(false);
            let follows = k > 0
                && aged
                && cands.get(k - 1).is_some_and(|a| {
                    c.num.start == a.num.end + 1
                        && (text_of(a.num.end) == "," || is_link(a.num.end))
                })
                && is_person(c.num.end).is_none();
            if c.dropped && starts {
                aged = true;
            } else if follows {
                if let Some(c) = cands.get_mut(k) {
                    c.dropped = true;
                }
            } else {
                aged = false;
            }
        }

        // Qualifiers and `who`.
        for c in cands.iter_mut() {
            if c.dropped {
                continue;
            }
            let s = c.num.start;
            let e = c.num.end;
            let mut qualified = false;
            if let Some((qs, q)) = qual_ending.get(s).copied().flatten() {
                c.qstart = qs;
                c.qualifier = q;
                qualified = true;
            } else if let Some((qe, q)) = qual_after
                .get(e)
                .copied()
                .flatten()
                .filter(|&(qe, _)| !num_at(qe))
            {
                c.qend = qe;
                c.qualifier = q;
                qualified = true;
            } else if let Some((end, _)) = c.num.range {
                c.qualifier = match end {
                    RangeEnd::Low => Qualifier::AtLeast,
                    RangeEnd::High => Qualifier::UpTo,
                };
            } else if c.num.approx {
                c.qualifier = Qualifier::About;
            }
            if c.num.range.map(|r| r.0) == Some(RangeEnd::High) {
                c.qualifier = Qualifier::UpTo;
            }
            if c.who.is_none() {
                let mut k = c.who_from.unwrap_or(c.qend);
                let mut words = 0;
                while words < 3 && k < n {
                    // A number that is a person noun too ("جنديين") counts itself.
                    if num_at(k) {
                        break;
                    }
                    if let Some(end) = is_person(k) {
                        // "six more fighters": the last noun of the run says who.
                        let (mut ws, mut we) = (k, end);
                        while let Some(e2) = is_person(we).filter(|_| !num_at(we)) {
                            ws = we;
                            we = e2;
                        }
                        c.who = Some((ws, we));
                        break;
                    }
                    if text_of(k) == "-" {
                        k += 1;
                        continue;
                    }
                    if punct(k) || is_cue(k) || num_at(k) || is_notcas(k) {
                        break;
                    }
                    words += 1;
                    k += 1;
                }
            }
            // "15 civilians at least": a qualifier after the noun.
            // Not one that a number follows: "погибли 12 мирных жителей и более 120 получили
            // ранения" qualifies the 120.
            if !qualified
                && let Some((qe, q)) = qual_after
                    .get(c.tail())
                    .copied()
                    .flatten()
                    .filter(|&(qe, _)| !num_at(qe))
            {
                c.qend = qe;
                c.qualifier = q;
            }
            let q = c.qstart;
            if let Some(h) = inherit_ending.get(q).copied().flatten().or_else(|| {
                q.checked_sub(1)
                    .and_then(|p| inherit_ending.get(p).copied().flatten())
            }) {
                c.inherit = Some(h);
            }
        }

        // "A 70-year-old woman and her two grandchildren were killed", "Une femme de 70 ans et ses deux
        // petits-enfants": one person joined to a number of others is one figure, their sum. Her age may
        // follow her; a possessive or article may stand after the conjunction; a cue between ("a child
        // was killed and two were wounded") keeps them apart.
        let mut last: Option<usize> = None;
        for k in 0..cands.len() {
            let Some(b) = cands.get(k).filter(|c| !c.dropped) else {
                continue;
            };
            let Some(j) = last.replace(k) else { continue };
            let Some(a) = cands.get(j) else { continue };
            let one = |c: &Cand| c.num.indefinite && c.num.value == Some(1);
            let (Some(va), Some(vb)) = (a.num.value, b.num.value) else {
                continue;
            };
            if a.vague || b.vague || !(one(a) || one(b)) || b.inherit.is_some() {
                continue;
            }
            let age = |t: usize| {
                cands
                    .iter()
                    .any(|c| c.dropped && !c.vague && c.num.start <= t && t < c.num.end)
            };
            let mut t = a.tail();
            // "امرأة وحفيداها": the conjunction is a prefix of the number's own word.
            let glued = t == b.qstart
                && text_of(t).len() > 2
                && self
                    .c
                    .conjunctions
                    .iter()
                    .any(|c| self.n.prefixes.contains(c) && text_of(t).starts_with(c.as_str()));
            // Her age: "de 70 ans", "di 70 anni".
            while !glued
                && t < b.qstart
                && t < a.tail() + 4
                && (is_link(t) || is_notcas(t) || age(t))
                && !conj_at.get(t).copied().unwrap_or(false)
            {
                t += 1;
            }
            if !glued
                && (!conj_at.get(t).copied().unwrap_or(false)
                    || b.qstart < t + 1
                    || b.qstart > t + 3
                    || (t + 1..b.qstart).any(|i| {
                        punct(i)
                            || is_cue(i)
                            || is_number(i)
                            || is_person(i).is_some()
                            || conj_at.get(i).copied().unwrap_or(false)
                    }))
            {
                continue;
            }
            let (tail, qualifier) = (b.tail(), b.qualifier);
            let Some(a) = cands.get_mut(j) else { continue };
            a.num.value = Some(va + vb);
            a.who = Some((a.who.map_or(a.qend, |w| w.0), tail));
            if a.qualifier == Qualifier::Exact {
                a.qualifier = qualifier;
            }
            if let Some(b) = cands.get_mut(k) {
                b.dropped = true;
            }
            last = Some(j);
        }

        // 4. Pairing. Tokens of "including two children" are transparent to the figures around them.
        let mut transparent = vec![false; n];
        for c in cands.iter().filter(|c| !c.dropped) {
            if let Some(from) = c.inherit {
                // The commas around the clause go with it.
                let from = if from > 0 && text_of(from - 1) == "," {
                    from - 1
                } else {
                    from
                };
                let to = if text_of(c.tail()) == "," {
                    c.tail() + 1
                } else {
                    c.tail()
                };
                for t in transparent.iter_mut().take(to).skip(from) {
                    *t = true;
                }
            }
        }
        // ", aged 6 and 9,", ", 34,", ", âgés de 6 et 9 ans,": a short clause between commas whose
        // only numbers count something else (ages, dates) is transparent too.
        let mut dropped_at = vec![None::<bool>; n];
        for c in &cands {
            for t in c.num.start..c.num.end {
                if let Some(d) = dropped_at.get_mut(t) {
                    *d = Some(d.unwrap_or(true) && c.dropped && !c.vague);
                }
            }
        }
        let commas: Vec<usize> = (0..n).filter(|&k| text_of(k) == ",").collect();
        for w in commas.windows(2) {
            let (a, b) = match w {
                [a, b] => (*a, *b),
                _ => continue,
            };
            let inside = a + 1..b;
            if inside.len() > 6
                || !inside
                    .clone()
                    .any(|t| dropped_at.get(t).copied().flatten() == Some(true))
                || inside.clone().any(|t| {
                    dropped_at.get(t).copied().flatten() == Some(false)
                        || is_cue(t)
                        || is_person(t).is_some()
                        || hard_stop(t)
                })
            {
                continue;
            }
            for t in transparent.iter_mut().take(b + 1).skip(a) {
                *t = true;
            }
        }
        let mut live_at = vec![None::<usize>; n + 1];
        for (k, c) in cands.iter().enumerate() {
            if !c.dropped
                && let Some(slot) = live_at.get_mut(c.qstart)
            {
                *slot = Some(k);
            }
        }
        // Words between two tokens, or None when something in between blocks the pairing or there are
        // more than `limit`. A not-casualty word in the two words after a number without a person noun
        // blocks a cue after it ("14 were rocket attacks that killed…"; with a noun, the noun says what is
        // counted: "Soldaten der 14. Brigade wurden … getötet"); a comma counts as a word, or as three
        // when a cue reaches over it to a number after it ("wounded, six of whom later died" is closer to
        // "died").
        let who_at: Vec<bool> = {
            let mut v = vec![false; n + 1];
            for c in &cands {
                if c.who.is_some()
                    && let Some(x) = v.get_mut(c.tail())
                {
                    *x = true;
                }
            }
            v
        };
        let gap = |from: usize, to: usize, me: usize, dir: Dir, limit: usize| -> Option<usize> {
            let mut words = 0;
            let noun = who_at.get(from).copied().unwrap_or(false);
            for k in from..to {
                if transparent.get(k).copied().unwrap_or(false) {
                    continue;
                }
                if hard_stop(k)
                    || (dir == Dir::After
                        && !noun
                        && words < 2
                        && is_notcas(k)
                        && is_person(k).is_none())
                {
                    return None;
                }
                if live_at.get(k).copied().flatten().is_some_and(|o| o != me) {
                    return None;
                }
                if !punct(k) {
                    words += 1;
                } else if text_of(k) == "," {
                    words += if dir == Dir::After { 1 } else { 3 };
                }
                if words > limit {
                    return None;
                }
            }
            Some(words)
        };
        let far = self.c.max_gap_before.max(self.c.max_gap_far);
        // Cues by side, in text order, so that each number looks only at the nearest ones.
        let after_cues: Vec<CueRef> = cues.iter().copied().filter(|c| c.1 == Dir::After).collect();
        let before_cues: Vec<CueRef> = cues.iter().copied().filter(|c| c.1 != Dir::After).collect();
        for (me, c) in cands.iter_mut().enumerate() {
            if c.dropped {
                continue;
            }
            let mut best: Option<(usize, u8, CueRef)> = None;
            let consider =
                |best: &mut Option<(usize, u8, CueRef)>, g: usize, pref: u8, cue: CueRef| {
                    let (_, _, cs, ce) = cue;
                    if best.is_none_or(|(bg, bp, (_, _, bs, be))| {
                        (g, pref) < (bg, bp) || ((g, pref) == (bg, bp) && ce - cs > be - bs)
                    }) {
                        *best = Some((g, pref, cue));
                    }
                };
            let tail = c.tail();
            // "23 Menschen, darunter ein Junge, wurden am Freitag bei … getötet": an auxiliary right
            // after the number opens a verb bracket, and the participle that closes it may stand
            // further, in the same clause.
            let mut open = tail;
            while transparent.get(open).copied().unwrap_or(false) {
                open += 1;
            }
            let bracket = bracket_at.get(open).copied().unwrap_or(false);
            let limit = if bracket {
                self.c.max_gap_after.max(self.c.max_gap_bracket)
            } else {
                self.c.max_gap_after
            };
            // "two of the wounded died": a cue right after a partitive names the group; the number
            // takes the cue after it when there is one ("two of the dead were children" keeps it).
            let group = at(tail)
                .iter()
                .find(|h| h.tag == Tag::Partitive)
                .map(|h| h.end);
            let mut fallback: Option<(usize, CueRef)> = None;
            let first = after_cues.partition_point(|cue| cue.2 < tail);
            for &cue in after_cues.get(first..).unwrap_or(&[]) {
                if group == Some(cue.2) {
                    match gap(tail, cue.2, me, Dir::After, limit) {
                        Some(g) => {
                            fallback = Some((g, cue));
                            continue;
                        }
                        None => break,
                    }
                }
                match gap(tail, cue.2, me, Dir::After, limit) {
                    Some(g)
                        if g > self.c.max_gap_after
                            && (tail..cue.2).any(|k| {
                                text_of(k) == "," && !transparent.get(k).copied().unwrap_or(false)
                            }) =>
                    {
                        break;
                    }
                    Some(g) => consider(&mut best, g, 0, cue),
                    None => break,
                }
            }
            if best.is_none()
                && let Some((g, cue)) = fallback
            {
                consider(&mut best, g, 0, cue);
            }
            let upto = before_cues.partition_point(|cue| cue.2 < c.qstart);
            for &cue in before_cues.get(..upto).unwrap_or(&[]).iter().rev() {
                let (_, d, _, ce) = cue;
                // A cue may end inside the qualifier ("matado a" + "a más de 300").
                let from = if ce > c.qstart && ce <= c.num.start {
                    ce
                } else {
                    c.qstart
                };
                if ce > from {
                    continue;
                }
                // "Sixteen others were wounded and about 6,270 people fled": a conjunction right
                // after the cue opens another conjunct, whose number the cue does not count ("Погибли
                // 57-летний водитель и двое пассажиров" still does).
                if ce < from && conj_at.get(ce).copied().unwrap_or(false) {
                    break;
                }
                let limit = if d == Dir::Far {
                    self.c.max_gap_far
                } else {
                    self.c.max_gap_before
                };
                match gap(ce, from, me, Dir::Before, far) {
                    Some(g) if g <= limit => consider(&mut best, g, 1, cue),
                    Some(_) => {}
                    None => break,
                }
            }
            if let Some((_, _, (k, d, cs, ce))) = best {
                let d = if d == Dir::Far { Dir::Before } else { d };
                c.cue = Some((k, d, cs, ce));
                c.direct = true;
            }
        }
        // "the death toll from … has risen to 25": a toll verb right before a number left without a cue
        // reaches back to the nearest cue before it in the sentence, however far. A participle that
        // otherwise follows its number counts too ("the number of people killed in … rose to 25", "die
        // Zahl der bei dem Anschlag getöteten Menschen stieg auf 25") unless a number before it is its
        // own. Earlier values of the same toll may stand between ("the toll, previously put at 31, rose
        // to 46"), and a toll noun reaches over a semicolon ("the toll stood at 31; by Wednesday it had
        // risen to 46").
        for me in 0..cands.len() {
            let Some(c) = cands.get(me) else { continue };
            if c.dropped || c.cue.is_some() || !toll_ending.get(c.qstart).copied().unwrap_or(false)
            {
                continue;
            }
            let qstart = c.qstart;
            let upto = cues.partition_point(|cue| cue.2 < qstart);
            let owned = |cs: usize, ce: usize| {
                cands.iter().any(|o| {
                    !o.dropped
                        && o.num.start < cs
                        && o.cue.is_some_and(|(_, _, s2, e2)| s2 < ce && cs < e2)
                })
            };
            let Some(&(k, d, cs, ce)) = cues
                .get(..upto)
                .unwrap_or(&[])
                .iter()
                .rev()
                .find(|cue| cue.3 <= qstart && !(cue.1 == Dir::After && owned(cue.2, cue.3)))
            else {
                continue;
            };
            // Earlier values of the toll between ("le bilan, qui s'élevait à 31 morts, est passé à
            // 46") are figures of the same kind.
            let clear = (ce..qstart).all(|t| {
                let stop = if text_of(t) == ";" {
                    d != Dir::Far
                } else {
                    hard_stop(t)
                };
                !stop
                    && live_at.get(t).copied().flatten().is_none_or(|o| {
                        o == me
                            || cands
                                .get(o)
                                .is_some_and(|o| o.cue.is_some_and(|oc| oc.0 == k))
                    })
            });
            if clear && let Some(c) = cands.get_mut(me) {
                c.cue = Some((k, Dir::Before, cs, ce));
                c.direct = true;
            }
        }
        // Verb, subject, object ("وقتل ثلاثة مسلحين جنديين", three gunmen killed two soldiers): a number
        // with its noun right after a verb, followed at once by another number, is the verb's subject,
        // and the number after it the figure.
        for k in 1..cands.len() {
            let (Some(a), Some(b)) = (cands.get(k - 1), cands.get(k)) else {
                continue;
            };
            let agent = !a.dropped
                && !b.dropped
                && !a.vague
                && !b.vague
                && a.direct
                && a.who.is_some()
                && a.inherit.is_none()
                && b.inherit.is_none()
                && b.qstart == a.tail()
                && b.cue.is_none_or(|bc| Some(bc) == a.cue);
            let Some(cue) = a.cue.filter(|c| agent && c.1 == Dir::Before) else {
                continue;
            };
            if let Some(b) = cands.get_mut(k) {
                b.cue = Some(cue);
                b.direct = true;
            }
            if let Some(a) = cands.get_mut(k - 1) {
                a.cue = None;
                a.direct = false;
                a.dropped = true;
            }
        }
        // A cue with an object is an active verb, and the number before it counts the agents: "three
        // gunmen killed two soldiers" is two killed, not three.
        let mut objects = vec![false; n];
        // Only a number right after the verb is its object: not a part of a figure ("Семь человек
        // погибли, в том числе двое детей"), nor one across a comma.
        for c in cands
            .iter()
            .filter(|c| !c.dropped && c.direct && c.inherit.is_none())
        {
            if let Some((_, Dir::Before, cs, ce)) = c.cue
                && !(ce..c.qstart).any(|k| text_of(k) == ",")
            {
                for o in objects.iter_mut().take(ce).skip(cs) {
                    *o = true;
                }
            }
        }
        // The two cues of one verb may differ in span ("ont tué" after a number, "tué" before one).
        for c in cands.iter_mut() {
            if c.direct
                && let Some((_, Dir::After, cs, ce)) = c.cue
                && (cs..ce).any(|k| objects.get(k).copied().unwrap_or(false))
            {
                c.cue = None;
                c.direct = false;
            }
        }
        // Borrowed cues: "including", ranges, coordination ("five soldiers and two civilians were
        // killed" borrows forward, "killing five soldiers and two civilians" backward).
        let borrow = |cands: &mut Vec<Cand>, i: usize, from: Option<usize>, dir: Dir| -> bool {
            let Some(c) = cands.get(i) else { return false };
            if c.dropped || c.cue.is_some() || c.inherit.is_some() {
                return false;
            }
            let mut got = partners
                .get(i)
                .copied()
                .flatten()
                .and_then(|p| cands.get(p))
                .and_then(|p| p.cue);
            if got.is_none()
                && let Some(o) = from.and_then(|j| cands.get(j))
                && let Some(oc) = o.cue
                && oc.1 == dir
            {
                // Coordination only: commas and function words ("and") between the two.
                let (a, b) = match dir {
                    Dir::After => (c.tail(), o.qstart),
                    _ => (o.tail(), c.qstart),
                };
                let ok = b >= a
                    && b - a <= 3
                    && (a..b).all(|k| {
                        transparent.get(k).copied().unwrap_or(false)
                            || text_of(k) == ","
                            || (is_link(k) && !is_notcas(k))
                    })
                    && gap(a, b, i, Dir::After, 3).is_some();
                if ok {
                    got = Some(oc);
                }
            }
            match (got, cands.get_mut(i)) {
                (Some(g), Some(m)) => {
                    m.cue = Some(g);
                    m.direct = false;
                    true
                }
                _ => false,
            }
        };
        for round in 0..3 {
            if round == 1 {
                let mut next: Option<usize> = None;
                for i in (0..cands.len()).rev() {
                    borrow(&mut cands, i, next, Dir::After);
                    if cands.get(i).is_some_and(|c| !c.dropped) {
                        next = Some(i);
                    }
                }
                continue;
            }
            let mut prev: Option<usize> = None;
            for i in 0..cands.len() {
                let Some(c) = cands.get(i) else { continue };
                if c.dropped {
                    continue;
                }
                if c.inherit.is_some() {
                    // "killed 12, including three children": the kind of the figure before.
                    if let Some(pc) = prev.and_then(|j| cands.get(j)).and_then(|p| p.cue)
                        && let Some(m) = cands.get_mut(i)
                    {
                        m.cue = Some(pc);
                        m.direct = false;
                    }
                    continue;
                }
                borrow(&mut cands, i, prev, Dir::Before);
                prev = Some(i);
            }
        }

        // 5. Mentions, scope, source.
        let (marks, forward) = self.background_marks(&toks, &lx, &hits, &num_start);
        let hanging = hits
            .iter()
            .filter(|h| h.tag == Tag::Hanging)
            .map(|h| h.start)
            .collect();
        let bg = Marks::new(marks, forward, hanging, &toks, &lx);
        let any_mention = cands.iter().any(|c| !c.dropped && c.cue.is_some())
            || hits
                .iter()
                .any(|h| matches!(h.tag, Tag::Zero(_) | Tag::Counted(..)));
        let start_of = |i: usize| toks.get(i).map_or(0, |t| t.start);
        let end_of = |i: usize| {
            i.checked_sub(1)
                .and_then(|j| toks.get(j))
                .map_or(0, |t| t.end)
        };
        let own = if any_mention {
            self.sources(&toks)
        } else {
            Vec::new()
        };
        let frames: Vec<Range<usize>> = hits
            .iter()
            .filter(|h| h.tag == Tag::Frame)
            .map(|h| start_of(h.start)..end_of(h.end))
            .collect();
        // The source the sentence before names last: the one a framed sentence goes on quoting.
        let framed = if any_mention && !frames.is_empty() {
            prev.and_then(|p| {
                let toks = self.n.tokens(&self.doc.norm, p);
                self.sources(&toks)
                    .into_iter()
                    .max_by_key(|(whole, _)| whole.end)
                    .and_then(|(_, g)| self.source_text(g))
            })
        } else {
            None
        };
        let sources = Attribution {
            own,
            frames,
            framed,
        };
        let mut cue_used = vec![false; n];
        for c in cands.iter().filter(|c| !c.dropped) {
            if let Some((_, _, cs, ce)) = c.cue {
                for u in cue_used.iter_mut().take(ce).skip(cs) {
                    *u = true;
                }
            }
        }
        // Zero statements, the longest where they overlap.
        let mut zeros: Vec<&Hit> = hits
            .iter()
            .filter(|h| matches!(h.tag, Tag::Zero(_)))
            .collect();
        zeros.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut kept_zeros: Vec<&Hit> = Vec::new();
        for z in zeros {
            if kept_zeros.last().is_some_and(|k| z.end <= k.end) {
                continue;
            }
            kept_zeros.push(z);
        }
        for c in &cands {
            if c.dropped {
                continue;
            }
            let Some((kind, dir, cs, ce)) = c.cue else {
                continue;
            };
            // A number inside a zero statement belongs to it.
            if kept_zeros
                .iter()
                .any(|z| z.start <= c.num.start && c.num.end <= z.end)
            {
                continue;
            }
            let (mut a, mut b) = (c.qstart, c.tail());
            let mut qualifier = c.qualifier;
            if c.direct {
                match dir {
                    Dir::After => b = b.max(ce),
                    Dir::Before | Dir::Far => a = a.min(cs),
                }
                // "20 morts au moins": a qualifier right after a cue that follows the number.
                if dir == Dir::After
                    && cs == c.tail()
                    && qualifier == Qualifier::Exact
                    && let Some((qe, q)) = qual_after.get(ce).copied().flatten()
                    && !(ce..=qe).any(|k| live_at.get(k).copied().flatten().is_some())
                {
                    qualifier = q;
                    b = b.max(qe);
                }
            }
            // A toll that rose ("A day after the attack on the market, the toll rose to 14") is the
            // event's own, whatever forward cue stands before it.
            let toll = toll_ending.get(c.qstart).copied().unwrap_or(false);
            let scope = if bg.background(c.qstart, c.tail(), toll) {
                Scope::Background
            } else {
                Scope::Main
            };
            let who = c
                .who
                .map(|(s, e)| self.doc.source_text(start_of(s)..end_of(e)).to_string());
            out.push(self.mention(
                kind,
                c.num.value.filter(|_| !c.vague),
                qualifier,
                scope,
                who,
                start_of(a)..end_of(b),
                &sources,
            ));
        }
        for z in kept_zeros {
            if let Tag::Zero(kind) = z.tag {
                out.push(self.mention(
                    kind,
                    Some(0),
                    Qualifier::Exact,
                    Scope::None,
                    None,
                    start_of(z.start)..end_of(z.end),
                    &sources,
                ));
            }
        }
        for h in &hits {
            if let Tag::Counted(kind, v) = h.tag {
                // The cue of a number ("100 قتيل") is not a figure of its own.
                if (h.start..h.end).any(|k| cue_used.get(k).copied().unwrap_or(false)) {
                    continue;
                }
                let scope = if bg.background(h.start, h.end, false) {
                    Scope::Background
                } else {
                    Scope::Main
                };
                out.push(self.mention(
                    kind,
                    Some(v),
                    Qualifier::Exact,
                    scope,
                    None,
                    start_of(h.start)..end_of(h.end),
                    &sources,
                ));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn mention(
        &self,
        kind: Kind,
        count: Option<u64>,
        qualifier: Qualifier,
        scope: Scope,
        who: Option<String>,
        norm: Range<usize>,
        sources: &Attribution,
    ) -> Mention {
        let src = self.doc.source_range(norm.clone());
        let distance = |whole: &Range<usize>| {
            if whole.end <= norm.start {
                norm.start - whole.end
            } else {
                whole.start.saturating_sub(norm.end)
            }
        };
        // Frames are in text order and do not nest: the last one starting before the group's end is
        // the only one that may overlap it.
        let in_frame = |g: &Range<usize>| {
            let k = sources.frames.partition_point(|f| f.start < g.end);
            k.checked_sub(1)
                .and_then(|i| sources.frames.get(i))
                .is_some_and(|f| g.start < f.end)
        };
        let nearest = sources.own.iter().min_by_key(|(whole, _)| distance(whole));
        let source = match nearest {
            // A framed sentence with no source of its own, or whose own is the frame's pronoun
            // ("It said"): the source of the sentence before, else the nearest other one of its own
            // (the sentence before may be part of this one: "… told AFP. The source said …").
            _ if !sources.frames.is_empty() && nearest.is_none_or(|(_, g)| in_frame(g)) => {
                sources.framed.clone().or_else(|| {
                    sources
                        .own
                        .iter()
                        .filter(|(_, g)| !in_frame(g))
                        .min_by_key(|(whole, _)| distance(whole))
                        .and_then(|(_, g)| self.source_text(g.clone()))
                })
            }
            Some((_, g)) => self.source_text(g.clone()),
            None => None,
        };
        Mention {
            kind,
            count,
            qualifier: if count.is_none() {
                Qualifier::Vague
            } else {
                qualifier
            },
            scope,
            who,
            source,
            text: self.doc.text.get(src.clone()).unwrap_or("").to_string(),
            start: src.start,
            end: src.end,
        }
    }

    /// The text of a `source` group, trimmed of trailing punctuation; `None` when nothing is left.
    fn source_text(&self, g: Range<usize>) -> Option<String> {
        let s = self
            .doc
            .source_text(g)
            .trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '(' | '\'' | '-')
            })
            .trim();
        (!s.is_empty()).then(|| s.to_string())
    }

    /// Attribution matches of the sentence: whole match and `source` group, in `norm` offsets.
    fn sources(&self, toks: &[Tok]) -> Vec<(Range<usize>, Range<usize>)> {
        let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
            return Vec::new();
        };
        let span = first.start..last.end;
        let (Some(text), Some(lower)) = (self.doc.norm.get(span.clone()), self.lower.get(span))
        else {
            return Vec::new();
        };
        let mut found = self.c.sources().find(text, lower, first.start);
        // "l'armée jeudi", "военные в четверг", "el martes": a weekday or a month that ends a group is a
        // time, not part of the speaker; it goes, with a short lowercase word before it ("el", "в",
        // "nesta"), and a group left empty is no source.
        found.retain_mut(|(_, g)| {
            let Some(text) = self.doc.norm.get(g.clone()) else {
                return true;
            };
            let toll = text.split_whitespace().take(3).any(|w| {
                let w = w.to_lowercase();
                let w = w.rsplit('\'').next().unwrap_or(&w);
                self.c.not_sources.iter().any(|s| w.starts_with(s.as_str()))
            });
            if toll {
                return false;
            }
            let cut = |t: &str| t.trim_end().rfind(char::is_whitespace).map_or(0, |k| k + 1);
            let body = text.trim_end();
            let at = cut(body);
            let last = body
                .get(at..)
                .unwrap_or("")
                .to_lowercase()
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            if !self.c.weekdays.contains(&last) && self.month(&last).is_none() {
                return true;
            }
            let mut end = at;
            let rest = text.get(..end).unwrap_or("").trim_end();
            let before = rest.get(cut(rest)..).unwrap_or("");
            if before.chars().count() <= 5 && before.chars().all(char::is_lowercase) {
                end = cut(rest);
            }
            let kept = text.get(..end).unwrap_or("").trim_end().len();
            g.end = g.start + kept;
            kept > 0
        });
        for (whole, g) in found.iter_mut() {
            // Only a speaker that opens its match, before its verb, ends an appositive ("said Ali, a
            // doctor" and "a affirmé l'OSDH, une ONG" do not).
            if whole.start == g.start
                && whole.end > g.end
                && let Some(head) = appositive_head(text, first.start, g.clone())
            {
                *g = head;
            }
        }
        found
    }

    fn month(&self, w: &str) -> Option<u8> {
        let w = w.trim_end_matches('.');
        if let Some(m) = self.c.months.get(w) {
            return Some(*m);
        }
        self.n
            .prefixes
            .iter()
            .find_map(|p| {
                w.strip_prefix(p.as_str())
                    .and_then(|r| self.c.months.get(r))
            })
            .copied()
    }

    /// Token positions of the sentence that tie figures to another event: background cues, and time
    /// prepositions before a month or year other than the publication's; and those of the cues that tie
    /// only the figures after them, with where they end when they open the sentence or its part after a
    /// semicolon (after a number at most: "Two weeks after …"). `num_start`: where numbers start.
    fn background_marks(
        &self,
        toks: &[Tok],
        lx: &[&str],
        hits: &[Hit],
        num_start: &[bool],
    ) -> (Vec<usize>, Vec<(usize, Option<usize>)>) {
        let mut marks = Vec::new();
        let mut forward = Vec::new();
        // A time preposition that ends a forward cue ("the deadliest since 2019") reaches forward only.
        let mut in_forward = vec![false; lx.len()];
        for h in hits.iter().filter(|h| h.tag == Tag::BackgroundAfter) {
            for f in in_forward.iter_mut().take(h.end).skip(h.start) {
                *f = true;
            }
        }
        // "the deadliest attack this year": a cue inside such a phrase marks nothing.
        let mut masked = vec![false; lx.len()];
        for h in hits.iter().filter(|h| h.tag == Tag::NotBackground) {
            for m in masked.iter_mut().take(h.end).skip(h.start) {
                *m = true;
            }
        }
        for h in hits {
            match h.tag {
                Tag::Background if masked.get(h.start).copied().unwrap_or(false) => {}
                Tag::Background => marks.push(h.start),
                Tag::BackgroundAfter => {
                    let opens = |i: usize| i == 0 || lx.get(i - 1) == Some(&";");
                    let fronted = opens(h.start)
                        || (h.start > 0
                            && opens(h.start - 1)
                            && num_start.get(h.start - 1).copied().unwrap_or(false));
                    forward.push((h.start, fronted.then_some(h.end)));
                }
                Tag::TimePrep if in_forward.get(h.start).copied().unwrap_or(false) => {}
                Tag::TimePrep => {
                    // "in February", "in early February", "since 2019", "منذ السابع من أكتوبر": at
                    // most two words before the month. A day in digits ends the search: a day and
                    // month are read below, against the publication date.
                    let mut words = 0;
                    for k in h.end..(h.end + 3).min(lx.len()) {
                        let t = lx.get(k).copied().unwrap_or("");
                        if let Some(m) = self.month(t) {
                            // "in February 2021" with the year of publication still needs the month.
                            let other = self.published.is_none_or(|p| p.month() as u8 != m);
                            if other {
                                marks.push(h.start);
                            }
                            break;
                        }
                        if toks.get(k).is_some_and(|t| t.kind == TokenKind::Number) {
                            if t.len() == 4
                                && let Ok(y) = t.parse::<i16>()
                                && (1900..=2100).contains(&y)
                                && self.published.is_none_or(|p| p.year() != y)
                            {
                                marks.push(h.start);
                            }
                            break;
                        }
                        words += 1;
                        if words > 2 || toks.get(k).is_some_and(|t| t.kind == TokenKind::Punct) {
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        // Another day than the main event's: a weekday before the lead's earliest, or a day and month
        // more than a week before publication ("El 20 de febrero, …" in a March report).
        if let Some(p) = self.published {
            let link = |i: usize| {
                lx.get(i) == Some(&".")
                    || hits
                        .iter()
                        .any(|h| h.tag == Tag::Link && h.start == i && h.end == i + 1)
            };
            let day_at = |i: usize| -> Option<i8> {
                toks.get(i)
                    .filter(|t| t.kind == TokenKind::Number)
                    .and_then(|_| lx.get(i)?.parse::<i8>().ok())
                    .filter(|d| (1..=31).contains(d))
            };
            let year_at = |i: usize| -> Option<i16> {
                toks.get(i)
                    .filter(|t| t.kind == TokenKind::Number)
                    .and_then(|_| lx.get(i)?.parse::<i16>().ok())
                    .filter(|y| (1900..=2100).contains(y))
            };
            for (k, t) in lx.iter().enumerate() {
                if let Some(eb) = self.event_back {
                    // "sexta-feira" is three tokens.
                    let joined = (lx.get(k + 1) == Some(&"-"))
                        .then(|| format!("{t}-{}", lx.get(k + 2).copied().unwrap_or("")));
                    if weekday_in(self.c, &self.n.prefixes, joined.as_deref().unwrap_or(t))
                        .is_some_and(|d| days_back(p, d) > eb)
                    {
                        marks.push(k);
                    }
                }
                // "Bei dem Anschlag auf dem Breitscheidplatz 2016 waren zwölf Menschen ums Leben
                // gekommen": a year before the publication's, as "in 2016" does; not one that counts
                // people ("2016 people").
                if t.len() == 4
                    && year_at(k).is_some_and(|y| y < p.year())
                    && !hits
                        .iter()
                        .any(|h| h.start == k + 1 && matches!(h.tag, Tag::Person | Tag::Cue(..)))
                {
                    marks.push(k);
                }
                let Some(m) = self.month(t) else { continue };
                let before = k.checked_sub(1).and_then(|i| Some((i, day_at(i)?)));
                let linked = k
                    .checked_sub(2)
                    .filter(|&i| link(i + 1))
                    .and_then(|i| Some((i, day_at(i)?)));
                // "Feb. 20": an abbreviation's full stop.
                let next = if lx.get(k + 1) == Some(&".") {
                    k + 2
                } else {
                    k + 1
                };
                let (first, day, after) = match (before.or(linked), day_at(next)) {
                    (Some((i, d)), _) => (i, d, k + 1),
                    (None, Some(d)) => (k, d, next + 1),
                    _ => continue,
                };
                // "20 de febrero de 2024", "February 20, 2024".
                let year = [after, after + 1].into_iter().find_map(|i| {
                    year_at(i).filter(|_| (after..i).all(|j| link(j) || lx.get(j) == Some(&",")))
                });
                let on = |y: i16| jiff::civil::Date::new(y, m as i8, day).ok();
                let date = match year {
                    Some(y) => on(y),
                    None => {
                        on(p.year()).and_then(|d| if d > p { on(p.year() - 1) } else { Some(d) })
                    }
                };
                if date
                    .and_then(|d| d.until(p).ok())
                    .is_some_and(|s| s.get_days() > 7)
                {
                    marks.push(first);
                }
            }
        }
        (marks, forward)
    }
}

/// "X, an alliance of parties based in Baghdad, said": a source group that ends an appositive (a
/// lowercase word before it, a comma after it) is a place inside the phrase, not the speaker; the
/// speaker is the short phrase with a capitalized word before the appositive's comma. `text` is the sentence, at
/// byte `base` of `norm`; ranges are in `norm` offsets.
fn appositive_head(text: &str, base: usize, g: Range<usize>) -> Option<Range<usize>> {
    let (gs, ge) = (g.start.checked_sub(base)?, g.end.checked_sub(base)?);
    if !text.get(ge..)?.trim_start().starts_with(',') {
        return None;
    }
    let before = text.get(..gs)?.trim_end();
    if !before.chars().last()?.is_lowercase() {
        return None;
    }
    let comma = before.rfind(',')?;
    let lead = before.get(..comma)?;
    let from = lead.rfind([',', ';', ':', '(']).map_or(0, |k| k + 1);
    let head = lead.get(from..)?;
    let start = from + (head.len() - head.trim_start().len());
    let head = head.trim();
    let words = head.split_whitespace().count();
    (head
        .split_whitespace()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase))
        && (1..=7).contains(&words)
        && !head.chars().any(|c| c.is_ascii_digit()))
    .then(|| base + start..base + start + head.len())
}

/// Who the figures of a sentence are attributed to.
struct Attribution {
    /// The sentence's own attribution matches: whole match and `source` group, in `norm` offsets.
    own: Vec<(Range<usize>, Range<usize>)>,
    /// Frames ("It said") in the sentence, in `norm` offsets.
    frames: Vec<Range<usize>>,
    /// The source a frame refers to: the last one of the sentence before.
    framed: Option<String>,
}

/// The background marks of a sentence, with where its clauses break.
struct Marks {
    /// Token positions of the marks, sorted.
    marks: Vec<usize>,
    /// `breaks[k]`: how many clause breaks (, ; : () stand before token k.
    breaks: Vec<usize>,
    /// Cues that tie the figures after them ("two weeks after a car bomb killed 12"): start, and end
    /// when the cue opens the sentence.
    forward: Vec<(usize, Option<usize>)>,
    /// Token positions of semicolons: each starts a part of the sentence with an opening clause of its
    /// own ("…; in October 2017, a truck bomb killed 500").
    semis: Vec<usize>,
    /// Token positions of `hanging` words, sorted.
    hanging: Vec<usize>,
}

impl Marks {
    fn new(
        mut marks: Vec<usize>,
        mut forward: Vec<(usize, Option<usize>)>,
        mut hanging: Vec<usize>,
        toks: &[Tok],
        lx: &[&str],
    ) -> Marks {
        marks.sort_unstable();
        forward.sort_unstable();
        hanging.sort_unstable();
        let mut breaks = Vec::with_capacity(toks.len() + 1);
        let mut count = 0;
        let mut semis = Vec::new();
        breaks.push(0);
        for (k, t) in toks.iter().enumerate() {
            if t.kind == TokenKind::Punct
                && matches!(lx.get(k).copied(), Some("," | ";" | ":" | "("))
            {
                count += 1;
                if lx.get(k).copied() == Some(";") {
                    semis.push(k);
                }
            }
            breaks.push(count);
        }
        Marks {
            marks,
            breaks,
            forward,
            semis,
            hanging,
        }
    }

    /// The first token of the part of the sentence (between semicolons) that holds token `a`.
    fn part_start(&self, a: usize) -> usize {
        let part = self.semis.partition_point(|&s| s < a);
        part.checked_sub(1)
            .and_then(|i| self.semis.get(i))
            .map_or(0, |&s| s + 1)
    }

    /// Whether one of `cues` (sorted) stands before token `a` in the opening clause of the part of the
    /// sentence (between semicolons) that holds `a`.
    fn opening(&self, cues: &[usize], a: usize) -> bool {
        let start = self.part_start(a);
        let level = self.breaks.get(start).copied().unwrap_or(0);
        let from = cues.partition_point(|&m| m < start);
        cues.get(from)
            .is_some_and(|&m| m < a && self.breaks.get(m) == Some(&level))
    }

    /// Whether a forward cue in the opening clause reaches token `a`: the whole sentence after it when
    /// the clause has its subject before the cue ("The attack comes a day after a bombing, which killed
    /// 30"); only the cue's own clause when the cue opens the sentence ("A day after a truce was agreed,
    /// gunmen killed 12" is main; "Через день после того, как взрыв убил девять человек" is not).
    fn forward_opening(&self, a: usize) -> bool {
        let start = self.part_start(a);
        let level = self.breaks.get(start).copied().unwrap_or(0);
        let from = self.forward.partition_point(|&(f, _)| f < start);
        let Some(&(_, fronted)) = self
            .forward
            .get(from)
            .filter(|&&(f, _)| f < a && self.breaks.get(f) == Some(&level))
        else {
            return false;
        };
        let Some(e) = fronted else { return true };
        // A comma right after the cue belongs to it ("после того, как").
        let comma = self.breaks.get(e + 1) > self.breaks.get(e);
        !self.broken(if comma { e + 1 } else { e }, a)
    }

    fn broken(&self, from: usize, to: usize) -> bool {
        let at = |k: usize| self.breaks.get(k).copied().unwrap_or(usize::MAX);
        from < to && at(to) != at(from)
    }

    /// Whether a figure at tokens `a..b` is tied by a mark to another event: a mark in the same clause
    /// (no , ; : ( between them), or a mark before it in the opening clause of the sentence or of its
    /// part after a semicolon ("In February, … 20 were killed"). A mark inside a clause of its own ("The Taliban, who seized power in 2021, said
    /// 2 attackers were killed") does not reach it. A forward cue ("two weeks after") reaches the figures
    /// after it in its clause, or in the whole sentence when it stands in the opening clause, unless the
    /// figure is a toll that rose (`toll`). A clause opened by a `hanging` word ("…, killing 12",
    /// "…, убив 12 детей") hangs on the clause before it, and a mark there reaches its figures
    /// ("после того, как 27 июля ракета попала на поле, убив 12 детей").
    fn background(&self, a: usize, b: usize, toll: bool) -> bool {
        let before = self.marks.partition_point(|&m| m < a);
        let opening = self.opening(&self.marks, a);
        let nearest_before = before
            .checked_sub(1)
            .and_then(|i| self.marks.get(i))
            .is_some_and(|&m| !self.broken(m, a));
        let after = self.marks.partition_point(|&m| m < b);
        let nearest_after = self.marks.get(after).is_some_and(|&m| !self.broken(b, m));
        // A cue inside a clause of its own that closes before the figure ("The bombing, the deadliest
        // since March, killed 20") does not reach it.
        // Clause breaks only add up: the nearest cue before the figure is the one that may share its
        // clause, the first the one that may stand in the opening clause.
        let before_fwd = self.forward.partition_point(|&(f, _)| f < a);
        // A toll that rose stays the event's own after a forward cue of another clause or one that
        // opens the sentence, not after one in its own clause: "an earlier toll had risen to 20"
        // ("وكانت حصيلة سابقة قد أشارت إلى 12") is superseded.
        let near = before_fwd
            .checked_sub(1)
            .and_then(|i| self.forward.get(i))
            .is_some_and(|&(f, fronted)| !self.broken(f, a) && (!toll || fronted.is_none()));
        let forward = near || (!toll && self.forward_opening(a));
        opening || nearest_before || nearest_after || forward || self.hung(a)
    }

    /// Whether token `a` stands in a clause opened by a `hanging` word whose clause before holds a mark.
    fn hung(&self, a: usize) -> bool {
        let level = self.breaks.get(a).copied();
        let Some(&h) = self.hanging[..self.hanging.partition_point(|&h| h <= a)].last() else {
            return false;
        };
        // The hanging word opens the figure's clause: a break right before it, none after it.
        if h == 0 || !self.broken(h - 1, h) || self.breaks.get(h).copied() != level {
            return false;
        }
        self.marks[..self.marks.partition_point(|&m| m < h)]
            .last()
            .is_some_and(|&m| self.breaks.get(m).map(|&x| x + 1) == self.breaks.get(h).copied())
    }
}

fn plain_span(start: usize, end: usize, value: Option<u64>) -> NumSpan {
    NumSpan {
        start,
        end,
        value,
        digits: false,
        plain4: false,
        approx: false,
        indefinite: false,
        range: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::load_all;

    #[test]
    fn every_source_pattern_compiles() {
        for pack in load_all().expect("packs load") {
            if let Err(e) = pack.casualty.check_sources() {
                panic!("{}: {e}", pack.info.iso639_3);
            }
        }
    }

    #[test]
    fn ordinal_sentence_end() {
        let norm = "Zwölf Soldaten der 14. Brigade";
        assert!(super::ends_with_ordinal(norm, &(0..23)));
        assert!(!super::ends_with_ordinal("Er sagte 2014.", &(0..14)));
    }
}
