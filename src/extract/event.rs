//! Event type: the main event as an ACLED sub-event type.
//!
//! Each pack lists cue words per type (`[events.types.<slug>]`, stems matched at the start of a word).
//! One Aho-Corasick pass per sentence finds them; a cue scores its weight times the weight of its
//! sentence: the headline counts most, then the lead, then the opening, and a sentence that carries
//! the casualty figures adds a bonus, so that the event that carries the main casualties wins. Generic
//! cues ("attack", "explosion") only count when no specific cue speaks. The `none` list (accidents,
//! disasters, sport, politics) competes like a type; below a minimum score the article is `none`.
//! A place changing hands ("took control of") goes to the nearest armed actor of its sentence: state
//! forces regain territory, non-state groups overtake it; the fighting in that sentence is how.
//!
//! Background paragraphs ("Last month, police fired tear gas at a similar march") weigh little: a
//! sentence after the lead that is dated days before the main event's day, names an earlier year, or
//! holds a background cue (the pack's `[events] background` words and `[casualty.scope]` background
//! cues) tells of another event, and so do the sentences after it in its paragraph until one is dated
//! near the event. A protest's modifiers (tear gas, rioting) must reach a share of its own score, and
//! arrests in a sentence about a protest are an intervention in it.
//!
//! Setting `NEWSX_DEBUG_EVENTS` prints each article's type scores to stderr, for writing cue lists.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use jiff::Span;
use jiff::civil::Date;

use super::Context;
use super::casualty::ScopeRules;
use super::date;
use crate::record::{Casualties, Scope};
use crate::rules::LanguageInfo;
use crate::text::Document;

/// ACLED sub-event types newsx emits, with their category (ACLED event type).
pub const TYPES: &[(&str, &str)] = &[
    ("armed_clash", "battles"),
    ("government_regains_territory", "battles"),
    ("non_state_actor_overtakes_territory", "battles"),
    ("air_drone_strike", "explosions_remote_violence"),
    ("shelling_artillery_missile", "explosions_remote_violence"),
    ("remote_explosive", "explosions_remote_violence"),
    ("suicide_bomb", "explosions_remote_violence"),
    ("grenade", "explosions_remote_violence"),
    ("chemical_weapon", "explosions_remote_violence"),
    ("attack", "violence_against_civilians"),
    ("abduction", "violence_against_civilians"),
    ("sexual_violence", "violence_against_civilians"),
    ("peaceful_protest", "protests"),
    ("protest_with_intervention", "protests"),
    ("excessive_force_against_protesters", "protests"),
    ("violent_demonstration", "riots"),
    ("mob_violence", "riots"),
    ("agreement", "strategic_developments"),
    ("arrests", "strategic_developments"),
    ("change_to_group_activity", "strategic_developments"),
    ("disrupted_weapons_use", "strategic_developments"),
    ("headquarters_or_base_established", "strategic_developments"),
    ("looting_property_destruction", "strategic_developments"),
    (
        "non_violent_transfer_of_territory",
        "strategic_developments",
    ),
    ("other_strategic_development", "strategic_developments"),
];

/// Pseudo-type of generic assault words ("attack", "stormed"): a battle when the sentence names armed
/// forces as the target, violence against civilians otherwise.
const ASSAULT: &str = "assault";
/// Pseudo-type of a place changing hands ("took control of", "s'emparent de", "взяли под контроль"):
/// the government regains territory when the nearest armed actor of the sentence is a state force, a
/// non-state actor overtakes it when that actor is a non-state group; without an actor it counts nothing
/// ("took control of the economy", "conquista il titolo").
const TERRITORY: &str = "territory";
/// The type of articles without political violence or protest.
const NONE: &str = "none";

/// Cues of one type, by strength.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CueSet {
    /// Cues that name the type unambiguously ("airstrike", "suicide bomber"): weight 2.
    pub strong: Vec<String>,
    /// Ordinary cues: weight 1.
    pub cues: Vec<String>,
    /// Cues that often mean something else ("strikes", "raid"): weight 0.4.
    pub weak: Vec<String>,
    /// Generic cues ("explosion", "attack"): weight 0.5, counted only when no specific cue scores.
    pub generic: Vec<String>,
    /// Subjects other than violence ("elections", "budget", "football"): weight 2, but not in an article
    /// with casualty figures, where they are the setting of the killing ("an attack on voters ahead of
    /// the elections"), not its cause as a flood or a crash is. Casualty words alone do not silence
    /// them: a match "killing off" hopes is still sport.
    pub topic: Vec<String>,
}

/// The `[events]` section of a rule pack.
///
/// A cue is a lowercase stem matched at the start of a word ("airstrike" matches "airstrikes"); a
/// trailing `$` makes it match a whole word only, a leading `*` lets it start inside a word (compound
/// heads: "*angriff" in "Drohnenangriff"). Phrases match as written, with single spaces.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EventRules {
    /// Letters glued to the front of words that cues may follow (Arabic و ب ل ال).
    pub prefixes: Vec<String>,
    /// Cues may also start inside a word (German compounds: "Drohnenangriff" holds "angriff").
    pub compounds: bool,
    /// Words of casualty statements ("killed", "wounded"): their sentences weigh more.
    pub casualty_words: Vec<String>,
    /// Armed forces as targets ("soldiers", "army post"): a generic assault on them is a battle.
    pub armed_targets: Vec<String>,
    /// State forces as actors ("army", "troops", "government forces"): a place they take is regained
    /// territory.
    pub state_forces: Vec<String>,
    /// Non-state armed actors ("rebels", "jihadists", group names): a place they take is overtaken
    /// territory.
    pub non_state_forces: Vec<String>,
    /// Cues per type slug (the slugs of [`TYPES`], `assault`, `territory` and `none`).
    pub types: HashMap<String, CueSet>,
    /// Words that mark a sentence as telling of an earlier event ("had been", Arabic "وكان"), besides
    /// the background cues of `[casualty.scope]`, which count too.
    pub background: Vec<String>,
    /// Words that deny the cue right after them ("without clashes", "sans violence", "من دون
    /// اشتباكات"): that cue does not count. One or two words, lowercase.
    pub negations: Vec<String>,
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cue {
    /// A cue of type `types[index]`.
    Type {
        index: usize,
        weight: f32,
        generic: bool,
        /// A subject word: silent in a sentence that carries casualties.
        topic: bool,
    },
    /// An armed target.
    Target,
    /// An armed actor: a state force (`true`) or a non-state group.
    Actor(bool),
    /// A casualty word.
    Casualty,
    /// A cue of an earlier event ("last month", "a similar attack").
    Background,
}

/// One pattern of the automaton.
#[derive(Debug, Clone, Copy)]
struct Pattern {
    cue: Cue,
    /// Must end a word (`$`).
    exact: bool,
    /// May start inside a word (`*`): the head of a compound ("*angriff" in "Drohnenangriff").
    inside: bool,
}

/// Compiled event-type rules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    /// Type slugs, indexed by [`Cue::Type`].
    types: Vec<String>,
    /// All cues of the pack, lowercase, as the automaton's patterns.
    texts: Vec<String>,
    /// The cues in one automaton, built the first time an article of the language needs it: most
    /// runs need few of the packs.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// The casualty words alone, with their indices in `patterns`: whether a sentence states
    /// casualties is asked of more sentences than are classified.
    casualty: OnceLock<Option<(AhoCorasick, Vec<usize>)>>,
    /// Per pattern: what it stands for and where it may match.
    patterns: Vec<Pattern>,
    prefixes: Vec<String>,
    compounds: bool,
    negations: Vec<String>,
}

impl Compiled {
    /// Compiles the section.
    pub fn compile(
        rules: &EventRules,
        scope: &ScopeRules,
        _lang: &LanguageInfo,
    ) -> Result<Compiled, String> {
        let mut types: Vec<String> = rules.types.keys().cloned().collect();
        // Territory cues score the two territory types, whether the pack lists cues of their own.
        if rules.types.contains_key(TERRITORY) {
            for t in [
                "government_regains_territory",
                "non_state_actor_overtakes_territory",
            ] {
                if !rules.types.contains_key(t) {
                    types.push(t.to_string());
                }
            }
        }
        types.sort();
        for t in &types {
            if t != ASSAULT && t != TERRITORY && t != NONE && category(t).is_none() {
                return Err(format!("[events]: unknown event type {t:?}"));
            }
        }
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |word: &str, cue: Cue| {
            let w = word.trim().to_lowercase();
            let (w, inside) = match w.strip_prefix('*') {
                Some(s) => (s.to_string(), true),
                None => (w, false),
            };
            let (w, exact) = match w.strip_suffix('$') {
                Some(s) => (s.to_string(), true),
                None => (w, false),
            };
            if !w.is_empty() {
                texts.push(w);
                patterns.push(Pattern { cue, exact, inside });
            }
        };
        for (index, t) in types.iter().enumerate() {
            let Some(set) = rules.types.get(t) else {
                continue;
            };
            let lists: [(&Vec<String>, f32, bool, bool); 5] = [
                (&set.strong, 2.0, false, false),
                (&set.cues, 1.0, false, false),
                (&set.weak, 0.4, false, false),
                (&set.generic, 0.5, true, false),
                (&set.topic, 2.0, false, true),
            ];
            for (list, weight, generic, topic) in lists {
                for w in list {
                    add(
                        w,
                        Cue::Type {
                            index,
                            weight,
                            generic: generic || t == ASSAULT,
                            topic,
                        },
                    );
                }
            }
        }
        for w in &rules.armed_targets {
            add(w, Cue::Target);
        }
        for w in &rules.casualty_words {
            add(w, Cue::Casualty);
        }
        for (list, state) in [
            (&rules.state_forces, true),
            (&rules.non_state_forces, false),
        ] {
            for w in list {
                add(w, Cue::Actor(state));
            }
        }
        for w in &rules.background {
            add(w, Cue::Background);
        }
        // The casualty section writes "$" after any word of a phrase ("le$ mois dernier") and "*" for
        // any word: the cue syntax only knows a final "$", and wildcards are left out.
        for w in &scope.background {
            if !w.split_whitespace().any(|t| t.starts_with('*')) {
                let (head, last) = w.rsplit_once(' ').unwrap_or(("", w));
                let head = head.replace('$', "");
                add(&format!("{head} {last}"), Cue::Background);
            }
        }
        let mut prefixes: Vec<String> = rules.prefixes.iter().map(|p| p.to_lowercase()).collect();
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(Compiled {
            types,
            texts,
            automaton: OnceLock::new(),
            casualty: OnceLock::new(),
            patterns,
            prefixes,
            compounds: rules.compounds,
            negations: rules.negations.iter().map(|w| w.to_lowercase()).collect(),
        })
    }

    /// The automaton of the cues; `None` without cues. Building only fails on a size limit, which
    /// the packs' tests would meet first.
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                if self.texts.is_empty() {
                    return None;
                }
                // Not a DFA: over all the cues of a pack one costs tens of millions of instructions
                // to build, what the faster scan saves only after thousands of articles.
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&self.texts)
                    .ok()
            })
            .as_ref()
    }

    /// The automaton of the casualty words; `None` without them.
    fn casualty_automaton(&self) -> Option<&(AhoCorasick, Vec<usize>)> {
        self.casualty
            .get_or_init(|| {
                let ids: Vec<usize> = (0..self.patterns.len())
                    .filter(|&i| self.patterns.get(i).is_some_and(|p| p.cue == Cue::Casualty))
                    .collect();
                if ids.is_empty() {
                    return None;
                }
                let ac = AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(ids.iter().filter_map(|&i| self.texts.get(i)))
                    .ok()?;
                Some((ac, ids))
            })
            .as_ref()
    }

    /// Whether pattern `p`, found at `start..end` of `lower`, stands there as a cue.
    fn admits(&self, lower: &str, p: &Pattern, start: usize, end: usize) -> bool {
        (p.inside || self.starts_word(lower, start))
            && !(p.exact
                && lower[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric))
    }

    /// Cue matches of one lowercase sentence: (cue, start), nested matches dropped in favour of the
    /// longest.
    fn matches(&self, lower: &str) -> Vec<(Cue, usize)> {
        let Some(ac) = self.automaton() else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, Cue)> = Vec::new();
        for m in ac.find_overlapping_iter(lower) {
            let Some(p) = self.patterns.get(m.pattern().as_usize()) else {
                continue;
            };
            if !self.admits(lower, p, m.start(), m.end()) {
                continue;
            }
            found.push((m.start(), m.end(), p.cue));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::new();
        let mut covered = 0;
        // "Rapid Support Forces" is one actor, not also "forces".
        let mut actor_covered = 0;
        for (start, end, cue) in found {
            match cue {
                Cue::Actor(_) => {
                    if start >= actor_covered {
                        actor_covered = end;
                        out.push((cue, start));
                    }
                }
                Cue::Type { .. } => {
                    // "suicide car bomb" is one cue, not also "car bomb".
                    if start < covered {
                        continue;
                    }
                    covered = end;
                    if self.negated(lower, start) {
                        continue;
                    }
                    out.push((cue, start));
                }
                _ => out.push((cue, start)),
            }
        }
        out
    }

    /// Whether a negation ("without", "من دون") ends right before byte `at` of `lower`.
    fn negated(&self, lower: &str, at: usize) -> bool {
        let before = lower[..at].trim_end();
        self.negations.iter().any(|n| {
            before.strip_suffix(n.as_str()).is_some_and(|rest| {
                rest.chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
    }

    /// A cue may start at `at`: at a word start, after a glued prefix, or anywhere in compounds.
    fn starts_word(&self, lower: &str, at: usize) -> bool {
        if self.compounds {
            return true;
        }
        let before = &lower[..at];
        let word_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map_or(at, |(i, _)| i);
        if word_start == at {
            return true;
        }
        let glued = &lower[word_start..at];
        self.prefixes.iter().any(|p| p == glued)
    }

    /// Whether a sentence states casualties ("were killed", "wounded"), by the pack's casualty words.
    pub fn casualty_sentence(&self, sentence: &str) -> bool {
        self.casualty_in(&sentence.to_lowercase())
    }

    /// [`Compiled::casualty_sentence`] of a sentence already lowercased.
    pub(crate) fn casualty_in(&self, lower: &str) -> bool {
        // Casualty cues are kept whatever cues they overlap: their own automaton finds the same.
        let Some((ac, ids)) = self.casualty_automaton() else {
            return false;
        };
        ac.find_overlapping_iter(lower).any(|m| {
            ids.get(m.pattern().as_usize())
                .and_then(|&i| self.patterns.get(i))
                .is_some_and(|p| self.admits(lower, p, m.start(), m.end()))
        })
    }
}

/// `doc.norm[range]` lowercased as `str::to_lowercase` does, a slice of the document's lowercase
/// view where that is the same.
pub(crate) fn lowercase(doc: &Document, range: Range<usize>) -> Option<Cow<'_, str>> {
    if let Some(lower) = doc.lower_exact() {
        return lower.get(range).map(Cow::Borrowed);
    }
    doc.norm.get(range).map(|t| Cow::Owned(t.to_lowercase()))
}

/// The category of a type slug.
pub fn category(slug: &str) -> Option<&'static str> {
    TYPES.iter().find(|(t, _)| *t == slug).map(|(_, c)| *c)
}

/// Where a sentence stands in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The headline.
    Title,
    /// The n-th sentence of the body (0 = first).
    Body(usize),
}

/// The sentences of the article with their role, header parts (datelines) cut off.
pub(crate) fn sentences(ctx: &Context<'_>) -> Vec<(Range<usize>, Role)> {
    let mut out = Vec::new();
    let mut body = 0;
    for s in &ctx.doc.sentences {
        if ctx
            .title
            .is_some_and(|t| t.start <= s.start && s.end <= t.end)
        {
            out.push((s.clone(), Role::Title));
            continue;
        }
        let mut s = s.clone();
        for h in ctx.header.iter().chain(ctx.lead_in) {
            if h.start <= s.start && s.start < h.end {
                s.start = h.end.min(s.end);
            }
        }
        let text = ctx.doc.norm.get(s.clone()).unwrap_or("");
        if !text.chars().any(char::is_alphabetic) {
            continue;
        }
        out.push((s, Role::Body(body)));
        body += 1;
    }
    out
}

/// The spans (in the decoded text) of an article's main-scope casualty mentions, sorted, so that asking
/// of every sentence in turn whether it carries one costs a binary search: an article with thousands
/// of figures stays linear.
pub(crate) struct MainSpans {
    /// Sorted by start.
    spans: Vec<Range<usize>>,
    /// `reach[i]`: the furthest end among `spans[..=i]`.
    reach: Vec<usize>,
}

impl MainSpans {
    /// The main-scope mentions of `casualties`.
    pub(crate) fn new(casualties: &Casualties) -> MainSpans {
        let mut spans: Vec<Range<usize>> = casualties
            .mentions
            .iter()
            .filter(|m| m.scope == Scope::Main)
            .map(|m| m.start..m.end)
            .collect();
        spans.sort_by_key(|r| (r.start, r.end));
        let reach = spans
            .iter()
            .scan(0, |far, r| {
                *far = r.end.max(*far);
                Some(*far)
            })
            .collect();
        MainSpans { spans, reach }
    }

    /// Whether a main mention starts inside `src`.
    pub(crate) fn starts_in(&self, src: &Range<usize>) -> bool {
        let i = self.spans.partition_point(|m| m.start < src.start);
        self.spans.get(i).is_some_and(|m| m.start < src.end)
    }

    /// Whether a main mention overlaps `src`.
    pub(crate) fn overlaps(&self, src: &Range<usize>) -> bool {
        let i = self.spans.partition_point(|m| m.start < src.end);
        i > 0 && self.reach.get(i - 1).is_some_and(|&end| end > src.start)
    }
}

/// Whether `text` names a year before `year` ("the 2016 peace deal", "since 2015"): it tells of
/// earlier events.
fn earlier_year(text: &str, year: i16) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i16>().ok())
        .any(|y| (1900..year).contains(&y))
}

/// Whether a main-scope casualty mention lies in the normalized range `r`.
pub(crate) fn carries_casualties(ctx: &Context<'_>, mains: &MainSpans, r: &Range<usize>) -> bool {
    mains.starts_in(&ctx.doc.source_range(r.clone()))
}

/// Weight of a sentence by its place in the article.
fn place_weight(role: Role) -> f32 {
    match role {
        Role::Title => 3.0,
        Role::Body(0..=1) => 2.0,
        Role::Body(2..=9) => 1.0,
        Role::Body(_) => 0.5,
    }
}

/// Weight of a sentence after the lead that tells of an earlier event.
const BACKGROUND_WEIGHT: f32 = 0.25;
/// Days before the main event's day that a sentence's date may be and still tell of it.
const SAME_EVENT_DAYS: i64 = 2;
/// A protest modifier (tear gas, rioting) needs this share of the protest's own score: a background
/// line about earlier clashes does not turn a peaceful march violent.
const MODIFIER_SHARE: f32 = 0.2;

/// Bonus of a sentence that carries casualty figures.
const CASUALTY_BONUS: f32 = 1.5;
/// Generic cues count when the best specific score is below this share of theirs.
const GENERIC_SHARE: f32 = 0.35;
/// Least score a type needs to be the main event.
const MIN_SCORE: f32 = 1.0;

/// The main event's type slug and category slug.
///
/// `day` is the main event's day: a sentence after the lead dated days before it, or marked by a
/// background cue, tells of an earlier event and weighs little; so do the sentences after it in its
/// paragraph until one is dated near the event.
pub fn classify(ctx: &Context<'_>, casualties: &Casualties, day: Option<Date>) -> (String, String) {
    let none = || (NONE.to_string(), NONE.to_string());
    let Some(pack) = ctx.pack else {
        return none();
    };
    let rules = &pack.events;
    let n = rules.types.len();
    // Per type: (specific score, generic score).
    let mut totals = vec![(0f32, 0f32); n];
    // Generic assaults, split by target: [battle, civilians].
    let mut assault = [0f32; 2];
    let mains = MainSpans::new(casualties);
    // Subjects (elections, football) do not make a deadly article something other than violence: the
    // killing happened at them, not because of them.
    let deadly = !mains.spans.is_empty();
    let earliest = day.and_then(|d| d.checked_sub(Span::new().days(SAME_EVENT_DAYS)).ok());
    let protest_types: Vec<usize> = std::iter::once("peaceful_protest")
        .chain(PROTEST_MODIFIERS.iter().copied())
        .filter_map(|t| rules.types.iter().position(|x| x == t))
        .collect();
    let arrests = rules.types.iter().position(|x| x == "arrests");
    let territory = rules.types.iter().position(|x| x == TERRITORY);
    let clash = rules.types.iter().position(|x| x == "armed_clash");
    let regains = rules
        .types
        .iter()
        .position(|x| x == "government_regains_territory");
    let overtakes = rules
        .types
        .iter()
        .position(|x| x == "non_state_actor_overtakes_territory");
    let intervention = rules
        .types
        .iter()
        .position(|x| x == "protest_with_intervention");
    let mut background = false;
    let mut last_end = 0;
    for (range, role) in sentences(ctx) {
        let (Some(text), Some(lower)) = (
            ctx.doc.norm.get(range.clone()),
            lowercase(ctx.doc, range.clone()),
        ) else {
            continue;
        };
        let found = rules.matches(&lower);
        if let Role::Body(n) = role
            && n >= 2
        {
            let days = match earliest {
                Some(_) => date::days_in(ctx, range.clone()),
                None => Vec::new(),
            };
            let earlier = |d: &Date| earliest.is_some_and(|e| *d < e);
            let new_paragraph = ctx
                .doc
                .norm
                .get(last_end.min(range.start)..range.start)
                .is_some_and(|gap| gap.contains('\n'));
            // A day near the event's outweighs a background word ("last Monday" may be its day).
            if !days.is_empty() {
                background = days.iter().all(earlier);
            } else {
                background = (background && !new_paragraph)
                    || found.iter().any(|(c, _)| *c == Cue::Background)
                    || ctx.published.is_some_and(|p| earlier_year(text, p.year()));
            }
        } else {
            background = false;
        }
        last_end = range.end;
        if found.is_empty() {
            continue;
        }
        let casualty = carries_casualties(ctx, &mains, &range)
            || found.iter().any(|(c, _)| *c == Cue::Casualty);
        let armed = found.iter().any(|(c, _)| *c == Cue::Target);
        let (place, bonus) = if background {
            (place_weight(role) * BACKGROUND_WEIGHT, 0.0)
        } else {
            (
                place_weight(role),
                if casualty { CASUALTY_BONUS } else { 0.0 },
            )
        };
        // Per sentence, each type scores its strongest cue once: repetition is not evidence.
        let mut best = vec![(0f32, 0f32); n];
        for (cue, _) in &found {
            if let Cue::Type {
                index,
                weight,
                generic,
                topic,
            } = *cue
                && !(topic && deadly)
                && let Some(b) = best.get_mut(index)
            {
                let slot = if generic { &mut b.1 } else { &mut b.0 };
                *slot = slot.max(weight);
            }
        }
        // A place taken goes to whoever took it: the sentence's actor nearest the cue, before it first
        // (the subject in most word orders), else after it ("سيطر مقاتلو الحركة على", "eroberten
        // Rebellen die Stadt").
        if let Some(t) = territory
            && let Some(w) = best.get_mut(t).map(|b| std::mem::take(&mut b.0))
            && w > 0.0
        {
            let at = found
                .iter()
                .find_map(|(c, at)| match c {
                    Cue::Type { index, .. } if *index == t => Some(*at),
                    _ => None,
                })
                .unwrap_or(0);
            let actors = found.iter().filter_map(|(c, a)| match c {
                Cue::Actor(state) => Some((*state, *a)),
                _ => None,
            });
            let before = actors.clone().rfind(|(_, a)| *a < at);
            let actor = before.or_else(|| actors.clone().find(|(_, a)| *a > at));
            let to = match actor {
                Some((true, _)) => regains,
                Some((false, _)) => overtakes,
                None => None,
            };
            if let Some(b) = to.and_then(|i| best.get_mut(i)) {
                b.0 = b.0.max(w);
            }
        }
        // The fighting in a sentence that tells of a place taken is how it was taken ("retook the
        // town after heavy fighting"): the taking is the event.
        if [regains, overtakes]
            .iter()
            .flatten()
            .any(|&i| best.get(i).is_some_and(|b| b.0 > 0.0))
            && let Some(b) = clash.and_then(|i| best.get_mut(i))
        {
            *b = (0.0, 0.0);
        }
        // Arrests at a protest are how it was met: "police detained 20 picketers".
        if protest_types
            .iter()
            .any(|&i| best.get(i).is_some_and(|b| b.0 > 0.0))
            && let (Some(a), Some(i)) = (arrests, intervention)
        {
            let moved = best.get(a).map_or(0.0, |b| b.0);
            if let Some(b) = best.get_mut(i) {
                b.0 = b.0.max(moved);
            }
            if let Some(b) = best.get_mut(a) {
                b.0 = 0.0;
            }
        }
        for ((slug, total), (s, g)) in rules.types.iter().zip(totals.iter_mut()).zip(best) {
            // Truces, arrests and seizures do not carry casualties: "shelling killed three despite the
            // ceasefire" is shelling.
            let w = if category(slug).is_none_or(|c| c != "strategic_developments") {
                place + bonus
            } else {
                place
            };
            if slug == ASSAULT {
                assault[usize::from(!armed)] += s.max(g) * w;
            } else {
                total.0 += s * w;
                total.1 += g * w;
            }
        }
    }
    let mut scores: HashMap<&str, f32> = HashMap::new();
    for (slug, (s, _)) in rules.types.iter().zip(&totals) {
        if *s > 0.0 {
            *scores.entry(slug.as_str()).or_default() += s;
        }
    }
    let (best_type, best_specific) = scores
        .iter()
        .filter(|(t, _)| **t != NONE)
        .fold((NONE, 0f32), |b, (t, s)| if *s > b.1 { (t, *s) } else { b });
    // Generic cues speak only when nothing specific does, or when they far outweigh it (a kidnapping
    // mentioned beside an article-long "attack"). Strikes and bombs are often called "attacks": then
    // the generic words are the specific event, and do not count apart.
    let generic_total = totals.iter().map(|(_, g)| g).sum::<f32>() + assault[0] + assault[1];
    let remote = category(best_type) == Some("explosions_remote_violence");
    if best_specific < MIN_SCORE || (!remote && best_specific < GENERIC_SHARE * generic_total) {
        for (slug, (_, g)) in rules.types.iter().zip(&totals) {
            if *g > 0.0 {
                *scores.entry(slug.as_str()).or_default() += g;
            }
        }
        *scores.entry("armed_clash").or_default() += assault[0];
        *scores.entry("attack").or_default() += assault[1];
    }
    if std::env::var_os("NEWSX_DEBUG_EVENTS").is_some() {
        eprintln!("{scores:?} generic {generic_total} assault {assault:?}");
    }
    let kind = decide(&scores);
    match category(kind) {
        Some(c) => (kind.to_string(), c.to_string()),
        None => none(),
    }
}

/// Protest types that modify a protest: how it was met or how it turned.
const PROTEST_MODIFIERS: &[&str] = &[
    "excessive_force_against_protesters",
    "violent_demonstration",
    "protest_with_intervention",
];

/// The winning type from the scores.
fn decide<'a>(scores: &HashMap<&'a str, f32>) -> &'a str {
    let get = |t: &str| scores.get(t).copied().unwrap_or(0.0);
    // A protest is one event however it was met: its modifiers add up with it.
    let mut protest =
        get("peaceful_protest") + PROTEST_MODIFIERS.iter().map(|t| get(t)).sum::<f32>();
    // Burning and looting by demonstrators is a riot, not a separate event.
    let riot_looting = if protest > 0.0 {
        get("looting_property_destruction")
    } else {
        0.0
    };
    protest += riot_looting;
    let mut best: (&str, f32) = (NONE, 0.0);
    let mut consider = |t: &'a str, s: f32| {
        if s > best.1 || (s == best.1 && t < best.0) {
            best = (t, s);
        }
    };
    for (&t, &s) in scores {
        if t == NONE
            || t == "peaceful_protest"
            || PROTEST_MODIFIERS.contains(&t)
            || (riot_looting > 0.0 && t == "looting_property_destruction")
        {
            continue;
        }
        consider(t, s);
    }
    let mut protest_kind = "peaceful_protest";
    let mut top = get("peaceful_protest") * MODIFIER_SHARE;
    for &m in PROTEST_MODIFIERS {
        // Arrests at a protest are an intervention.
        let s = get(m)
            + match m {
                "protest_with_intervention" if get("peaceful_protest") > 0.0 => {
                    get("arrests") * 0.5
                }
                "violent_demonstration" => riot_looting,
                _ => 0.0,
            };
        if s > top {
            top = s;
            protest_kind = m;
        }
    }
    if protest > 0.0 {
        consider(protest_kind, protest);
    }
    if best.1 < MIN_SCORE || get(NONE) > best.1 {
        return NONE;
    }
    best.0
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::rules::{PACK_FILES, RawPack};

    /// A cue listed under two types would go to whichever the automaton reports first.
    #[test]
    fn no_cue_in_two_types() {
        for (name, text) in PACK_FILES {
            let raw: RawPack = toml::from_str(text).expect("pack parses");
            let mut seen: HashMap<String, &str> = HashMap::new();
            for (slug, set) in &raw.events.types {
                for cue in set
                    .strong
                    .iter()
                    .chain(&set.cues)
                    .chain(&set.weak)
                    .chain(&set.generic)
                    .chain(&set.topic)
                {
                    if let Some(other) = seen.insert(cue.to_lowercase(), slug) {
                        panic!("{name}: cue {cue:?} listed under {other} and {slug}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_pack_has_cues_for_the_main_types() {
        for (name, text) in PACK_FILES {
            let raw: RawPack = toml::from_str(text).expect("pack parses");
            for slug in [
                "air_drone_strike",
                "armed_clash",
                "attack",
                "peaceful_protest",
                "none",
            ] {
                assert!(
                    raw.events.types.contains_key(slug),
                    "{name} has no cues for {slug}"
                );
            }
        }
    }
}
