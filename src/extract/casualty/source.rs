//! Attribution patterns (`[casualty.source]`), compiled and run only where they can match.
//!
//! A pack's patterns are large Unicode regexes: building them is the costliest part of the casualty
//! rules, and running each over every sentence with a figure costs more than reading the figure. So each
//! pattern is parsed once, and the literals that every match must begin (or end) with are taken from it,
//! lowercased; one automaton over those literals tells, per sentence, which patterns can match there. A
//! pattern is compiled the first time a sentence needs it, without the regex engine's own literal
//! prefilter (finding it costs more than the search it saves once the sentence is known to qualify).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassBytes, ClassUnicode, Dot, Hir, HirKind, Repetition};

use crate::text::lower_same_len;

/// Classes with more characters than this are not expanded into literals.
const MAX_CLASS: usize = 64;

/// One attribution pattern.
#[derive(Debug, Clone)]
struct Pattern {
    hir: Hir,
    /// The pattern can match only where one of the gate's literals of this pattern occurs; `false` when
    /// no such literal could be found (the pattern is run on every sentence).
    gated: bool,
    /// Every match starts with one of the literals: the regex is tried, anchored, only where they occur
    /// (a Unicode `\b` keeps the regex engine off its fast path on non-ASCII text, and an unanchored
    /// search then tries every position).
    anchored: bool,
    /// The regex and the index of its `source` group, built on first use; `None` when it does not
    /// build or has no such group.
    regex: OnceLock<Option<(meta::Regex, usize)>>,
}

/// The attribution patterns of a pack.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    patterns: Vec<Pattern>,
    /// Lowercase literals of the gated patterns.
    gate: Option<AhoCorasick>,
    /// For each literal of `gate`, the patterns it stands for.
    owners: Vec<Vec<usize>>,
}

/// Builds one pattern as the `regex` crate would (same syntax and match semantics), minus the prefilter.
fn build(hir: &Hir) -> Option<(meta::Regex, usize)> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .auto_prefilter(false);
    let re = meta::Builder::new()
        .configure(config)
        .build_from_hir(hir)
        .ok()?;
    let group = re
        .group_info()
        .to_index(regex_automata::PatternID::ZERO, "source")?;
    Some((re, group))
}

/// Compiles `p` now: an error when it does not parse, build or has no group named `source`.
pub fn check(p: &str) -> Result<(), String> {
    let hir = syntax::parse(p).map_err(|e| format!("[casualty.source] {p:?}: {e}"))?;
    match build(&hir) {
        Some(_) => Ok(()),
        None => Err(format!(
            "[casualty.source] {p:?}: does not compile, or has no group named `source`"
        )),
    }
}

/// `hir` with every literal and small class lowercased as [`lower_same_len`] does, and every other class
/// made "any character": the literals drawn from it then occur in the lowercase view wherever the
/// original matches.
fn lowered(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Look(l) => Hir::look(*l),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => Hir::literal(lower_same_len(s).into_bytes()),
            Err(_) => Hir::dot(Dot::AnyByte),
        },
        HirKind::Class(Class::Unicode(c)) => {
            let size: usize = c
                .ranges()
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            if size > MAX_CLASS {
                return Hir::dot(Dot::AnyChar);
            }
            let mut out = ClassUnicode::empty();
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    let low = lower_same_len(ch.encode_utf8(&mut [0; 4]));
                    for l in low.chars() {
                        out.push(regex_syntax::hir::ClassUnicodeRange::new(l, l));
                    }
                }
            }
            Hir::class(Class::Unicode(out))
        }
        HirKind::Class(Class::Bytes(c)) => {
            if c.ranges().iter().any(|r| r.end() >= 0x80) {
                return Hir::dot(Dot::AnyByte);
            }
            let mut out = ClassBytes::empty();
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    let l = b.to_ascii_lowercase();
                    out.push(regex_syntax::hir::ClassBytesRange::new(l, l));
                }
            }
            Hir::class(Class::Bytes(out))
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(lowered(&r.sub)),
        }),
        HirKind::Capture(c) => lowered(&c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(lowered).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(lowered).collect()),
    }
}

/// Lowercase literals one of which every match of `hir` starts (or ends) with, if there is such a set
/// with no empty literal, and whether they start it.
fn literals(hir: &Hir) -> Option<(Vec<String>, bool)> {
    let low = lowered(hir);
    let mut best: Option<(usize, Vec<String>, bool)> = None;
    for prefix in [true, false] {
        let kind = if prefix {
            ExtractKind::Prefix
        } else {
            ExtractKind::Suffix
        };
        let seq = Extractor::new()
            .kind(kind)
            .limit_literal_len(12)
            .limit_total(64)
            .extract(&low);
        let Some(lits) = seq.literals() else { continue };
        let mut out: Vec<String> = Vec::with_capacity(lits.len());
        for l in lits {
            let b = l.as_bytes();
            // A literal cut short may end (or, as a suffix, start) inside a character: keep the whole
            // characters, which still begin (end) every match.
            let text = if prefix {
                match std::str::from_utf8(b) {
                    Ok(s) => s,
                    Err(e) => std::str::from_utf8(b.get(..e.valid_up_to()).unwrap_or(&[])).ok()?,
                }
            } else {
                (0..=b.len().min(3))
                    .find_map(|k| b.get(k..).and_then(|t| std::str::from_utf8(t).ok()))?
            };
            if text.is_empty() {
                out.clear();
                break;
            }
            out.push(text.to_string());
        }
        if out.is_empty() {
            continue;
        }
        out.sort();
        out.dedup();
        let shortest = out.iter().map(String::len).min().unwrap_or(0);
        // Prefixes also say where matches start: they win unless much shorter.
        let score = if prefix { shortest + 2 } else { shortest };
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, out, prefix));
        }
    }
    best.map(|(_, v, prefix)| (v, prefix))
}

impl Sources {
    /// Parses the patterns and indexes their literals. A pattern that does not parse is skipped (see
    /// [`check`]).
    pub fn new(patterns: &[String]) -> Sources {
        let mut out = Sources::default();
        let mut lits: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for p in patterns {
            let Ok(hir) = syntax::parse(p) else { continue };
            let id = out.patterns.len();
            let (gated, anchored) = match literals(&hir) {
                Some((ls, prefix)) => {
                    for l in ls {
                        match lits.iter().position(|x| *x == l) {
                            Some(k) => {
                                if let Some(o) = owners.get_mut(k) {
                                    o.push(id);
                                }
                            }
                            None => {
                                lits.push(l);
                                owners.push(vec![id]);
                            }
                        }
                    }
                    (true, prefix)
                }
                None => (false, false),
            };
            out.patterns.push(Pattern {
                hir,
                gated,
                anchored,
                regex: OnceLock::new(),
            });
        }
        if !lits.is_empty() {
            match AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::Standard)
                .build(&lits)
            {
                Ok(ac) => {
                    out.gate = Some(ac);
                    out.owners = owners;
                }
                // Without the index every pattern runs everywhere.
                Err(_) => out.patterns.iter_mut().for_each(|p| {
                    p.gated = false;
                    p.anchored = false;
                }),
            }
        }
        out
    }

    /// Attribution matches in `text` (a sentence of `norm` starting at byte `base`; `lower` is its
    /// lowercase view): whole match and `source` group, in `norm` offsets, pattern by pattern.
    pub fn find(&self, text: &str, lower: &str, base: usize) -> Vec<(Range<usize>, Range<usize>)> {
        let mut live: Vec<bool> = self.patterns.iter().map(|p| !p.gated).collect();
        // Where the literals of anchored patterns occur: (pattern, start).
        let mut starts: Vec<(usize, usize)> = Vec::new();
        if let Some(gate) = &self.gate {
            for m in gate.find_overlapping_iter(lower) {
                for &id in self
                    .owners
                    .get(m.pattern().as_usize())
                    .into_iter()
                    .flatten()
                {
                    if let Some(l) = live.get_mut(id) {
                        *l = true;
                    }
                    if self.patterns.get(id).is_some_and(|p| p.anchored) {
                        starts.push((id, m.start()));
                    }
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut out = Vec::new();
        for (id, p) in self.patterns.iter().enumerate() {
            if !live.get(id).copied().unwrap_or(false) {
                continue;
            }
            let Some((re, group)) = p.regex.get_or_init(|| build(&p.hir)) else {
                continue;
            };
            let from = starts.partition_point(|&(i, _)| i < id);
            let to = starts.partition_point(|&(i, _)| i <= id);
            let found = if p.anchored {
                anchored(re, text, starts.get(from..to).unwrap_or(&[]), *group)
            } else {
                None
            };
            let found = found.unwrap_or_else(|| {
                re.captures_iter(text)
                    .filter_map(|cap| {
                        Some((cap.get_match()?.range(), cap.get_group(*group)?.range()))
                    })
                    .collect()
            });
            for (whole, g) in found {
                out.push((
                    base + whole.start..base + whole.end,
                    base + g.start..base + g.end,
                ));
            }
        }
        out
    }
}

/// The matches of `re` in `text` as its leftmost-first iteration finds them, tried only at `starts`
/// (sorted pattern, position pairs of one pattern): where a match can start. The earliest start with a
/// match gives the leftmost match, and the anchored search there its preferred one. `None` on an empty
/// match, whose iteration rules the caller leaves to the regex.
#[allow(clippy::type_complexity)]
fn anchored(
    re: &meta::Regex,
    text: &str,
    starts: &[(usize, usize)],
    group: usize,
) -> Option<Vec<(Range<usize>, Range<usize>)>> {
    let mut out = Vec::new();
    let mut caps = re.create_captures();
    let mut at = 0;
    for &(_, s) in starts {
        if s < at || s > text.len() {
            continue;
        }
        let input = Input::new(text).span(s..text.len()).anchored(Anchored::Yes);
        re.search_captures(&input, &mut caps);
        let Some(m) = caps.get_match() else { continue };
        if m.is_empty() {
            return None;
        }
        if let Some(g) = caps.get_group(group) {
            out.push((m.range(), g.range()));
        }
        at = m.end();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_lowercase_and_necessary() {
        let hir =
            syntax::parse("(?i:according to|citing) (?P<source>[A-Z][a-z]+)").expect("parses");
        assert_eq!(
            literals(&hir),
            Some((
                // Cut at 12 bytes: still what every match starts with.
                vec!["according to".to_string(), "citing ".to_string()],
                true
            ))
        );
        // No literal every match has: the pattern runs everywhere.
        let hir = syntax::parse("(?P<source>[A-Z][a-z]+)").expect("parses");
        assert_eq!(literals(&hir), None);
    }

    #[test]
    fn gated_patterns_find_what_the_regex_finds() {
        let pats = vec![
            "(?i:according to) (?P<source>[A-Z][a-z]+)".to_string(),
            "(?P<source>[A-Z][a-z]+) (?:said|told)".to_string(),
        ];
        let s = Sources::new(&pats);
        let text = "ACCORDING TO Reuters, 5 died. Police said so.";
        let lower = lower_same_len(text);
        let got = s.find(text, &lower, 10);
        assert_eq!(got, vec![(10..30, 23..30), (40..51, 40..46)]);
        assert!(s.find("nothing here", "nothing here", 0).is_empty());
    }
}
