//! Numbers as articles write them: digits with each language's separators, and number words.
//!
//! Everything language-specific is data in the pack's `[numbers]` section (see rules/eng.toml for every
//! key); this module only knows how numbers are built: digit groups, number words that add up
//! ("twenty-one", "vingt et un", "einundzwanzig" once split) or multiply ("five hundred"), words glued into
//! one token, prefixes stuck to a word (Arabic و), ranges ("between 5 and 7") and updates ("from 5 to 7").

use foldhash::{HashMap, HashMapExt, HashSet};

use serde::Deserialize;

use super::casualty::lexicon::Lexicon;
use crate::text::{TokenKind, tokenize};

/// The `[numbers]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NumberRules {
    /// Number words and their values, lowercase.
    pub words: HashMap<String, u64>,
    /// Words that multiply what precedes them ("hundred"). Default: the words worth 100, 1000, 10⁶, 10⁹.
    pub multipliers: Option<Vec<String>>,
    /// Words that join the parts of one number ("and" in "one hundred and five").
    pub joiners: Vec<String>,
    /// Number words that never join another one: they are a number on their own (Arabic duals of
    /// person nouns, "شرطيان" = two policemen, which must not add to "عشر" before them).
    pub standalone: Vec<String>,
    /// Thousands separators between digit groups.
    pub thousands: Vec<String>,
    /// The decimal mark: a number with one is not a count of people.
    pub decimal: String,
    /// Number words are glued into one ("einundzwanzig"): a word not found whole is split.
    pub glued: bool,
    /// Letters stuck to the front of any word (Arabic و ب ل): tried when the whole word does not match.
    pub prefixes: Vec<String>,
    /// Elided words that the tokenizer leaves glued to the next word ("d'", "l'", "dell'"): split off.
    pub elisions: Vec<String>,
    /// Words that mean one before a person noun ("a child"), or before a multiplier ("a hundred").
    pub indefinite: Vec<String>,
    /// Approximate collective numbers ("dizaine" = 10): read as that number, qualifier `about`.
    pub approx: HashMap<String, u64>,
    /// Words opening a range whose parts are joined by `range_and` ("between 5 and 7").
    pub range_start: Vec<String>,
    /// Words joining the two ends of a range opened by `range_start`.
    pub range_and: Vec<String>,
    /// Words joining two numbers into a range on their own ("five or six", "5-7", "5 to 7").
    pub range_joiners: Vec<String>,
    /// Words opening an update "from A to B": only B is a figure.
    pub update_start: Vec<String>,
    /// Digits followed by a full stop are ordinals ("der 14. Brigade"): never figures, and they end no
    /// sentence.
    pub ordinal_dot: bool,
}

/// A number word as compiled.
#[derive(Debug, Clone, Copy)]
struct Word {
    value: u64,
    multiplier: bool,
    /// Never part of a longer number.
    alone: bool,
}

/// Compiled number rules.
#[derive(Debug, Clone, Default)]
pub struct Numbers {
    words: Lexicon<Word>,
    single: HashMap<String, Word>,
    joiners: HashSet<String>,
    /// Every beginning of a key of `single` or `joiners`: a glued word's piece that is none goes on
    /// into no number word.
    glued_prefixes: HashSet<String>,
    thousands: Vec<char>,
    glued: bool,
    /// Letters stuck to the front of words, tried by every matcher of the pack.
    pub prefixes: Vec<String>,
    elisions: Vec<String>,
    indefinite: HashSet<String>,
    approx: Lexicon<u64>,
    range_start: HashSet<String>,
    range_and: HashSet<String>,
    range_joiners: HashSet<String>,
    update_start: HashSet<String>,
    /// Digits with a full stop are ordinals (German).
    pub ordinal_dot: bool,
}

/// A token of a sentence as the number and casualty rules see it: text tokens, with elided articles
/// split off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    /// Byte offset in `norm`.
    pub start: usize,
    /// Byte offset just past it in `norm`.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
}

/// Where a number stands in a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    /// The low end ("5" in "between 5 and 7").
    Low,
    /// The high end.
    High,
}

/// A number found in a sentence, as a span of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumSpan {
    /// First token (including a range's "between" or an update's "from A to").
    pub start: usize,
    /// Token just past the number.
    pub end: usize,
    /// Its value; `None` for numbers that cannot count people ("2.5").
    pub value: Option<u64>,
    /// Written in digits.
    pub digits: bool,
    /// Four digits without separators: may be a year.
    pub plain4: bool,
    /// An approximate collective ("une dizaine"): qualifier `about`.
    pub approx: bool,
    /// An indefinite article standing for one ("a child"), or a number word that is also one ("un"):
    /// it counts only before a person noun or right before its cue.
    pub indefinite: bool,
    /// Part of a range, and the index of the other end among the spans.
    pub range: Option<(RangeEnd, usize)>,
}

impl Numbers {
    /// Compiles the section.
    pub fn compile(rules: &NumberRules) -> Result<Numbers, String> {
        let lower = |v: &[String]| -> HashSet<String> {
            v.iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.to_lowercase())
                .collect()
        };
        let mult: HashSet<String> = match &rules.multipliers {
            Some(m) => lower(m),
            None => rules
                .words
                .iter()
                .filter(|(_, v)| matches!(**v, 100 | 1000 | 1_000_000 | 1_000_000_000))
                .map(|(w, _)| w.to_lowercase())
                .collect(),
        };
        let alone = lower(&rules.standalone);
        let mut words = Lexicon::default();
        let mut single = HashMap::new();
        let mut entries: Vec<(&String, &u64)> = rules.words.iter().collect();
        entries.sort();
        for (w, &value) in entries {
            let w = w.to_lowercase();
            let word = Word {
                value,
                multiplier: mult.contains(&w),
                alone: alone.contains(&w),
            };
            words.add(&w, word, true);
            if !w.contains([' ', '-']) {
                single.insert(w, word);
            }
        }
        let mut approx = Lexicon::default();
        let mut ap: Vec<(&String, &u64)> = rules.approx.iter().collect();
        ap.sort();
        for (w, &v) in ap {
            approx.add(&w.to_lowercase(), v, true);
        }
        let one_char = |s: &str, what: &str| -> Result<char, String> {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(format!("[numbers] {what}: {s:?} is not one character")),
            }
        };
        let thousands = rules
            .thousands
            .iter()
            .map(|s| one_char(s, "thousands"))
            .collect::<Result<Vec<_>, _>>()?;
        // Any mark that is not a thousands separator ends a whole number; the decimal mark must not be one.
        if !rules.decimal.is_empty() && thousands.contains(&one_char(&rules.decimal, "decimal")?) {
            return Err("[numbers] decimal is also a thousands separator".to_string());
        }
        let mut elisions: Vec<String> = rules.elisions.iter().map(|s| s.to_lowercase()).collect();
        elisions.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut prefixes: Vec<String> = rules.prefixes.iter().map(|s| s.to_lowercase()).collect();
        prefixes.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let joiners = lower(&rules.joiners);
        let mut glued_prefixes = HashSet::default();
        for k in single.keys().chain(joiners.iter()) {
            for (i, _) in k.char_indices().skip(1) {
                glued_prefixes.insert(k.get(..i).unwrap_or("").to_string());
            }
            glued_prefixes.insert(k.clone());
        }
        Ok(Numbers {
            words,
            single,
            joiners,
            glued_prefixes,
            thousands,
            glued: rules.glued,
            prefixes,
            elisions,
            indefinite: lower(&rules.indefinite),
            approx,
            range_start: lower(&rules.range_start),
            range_and: lower(&rules.range_and),
            range_joiners: lower(&rules.range_joiners),
            update_start: lower(&rules.update_start),
            ordinal_dot: rules.ordinal_dot,
        })
    }

    /// Words one of which a number not in digits holds (as a substring of its lowercase text): the first
    /// word of every number word and approximate number; a glued number starts with one of them.
    pub fn figure_words(&self) -> impl Iterator<Item = &str> {
        self.words
            .heads()
            .map(|(w, _)| w)
            .chain(self.approx.heads().map(|(w, _)| w))
            .chain(self.single.keys().map(String::as_str))
    }

    /// The indefinite articles.
    pub fn indefinites(&self) -> impl Iterator<Item = &str> {
        self.indefinite.iter().map(String::as_str)
    }

    /// True when `w` (lowercase) is an indefinite article of the language.
    pub fn is_indefinite(&self, w: &str) -> bool {
        self.indefinite.contains(w)
    }

    /// Tokens of `norm[range]`, with elided articles split from the word they are glued to.
    pub fn tokens(&self, norm: &str, range: std::ops::Range<usize>) -> Vec<Tok> {
        let toks = tokenize(norm, range);
        let mut out = Vec::with_capacity(toks.len() + 4);
        for t in toks {
            if t.kind == TokenKind::Word
                && let Some(e) = self.elisions.iter().find(|e| {
                    t.text.len() > e.len()
                        && t.text.get(..e.len()).is_some_and(|head| {
                            // An ASCII head lowercases as ASCII: the first test decides it.
                            head.eq_ignore_ascii_case(e)
                                || (!head.is_ascii()
                                    && head.chars().flat_map(char::to_lowercase).eq(e.chars()))
                        })
                })
                && t.text.is_char_boundary(e.len())
            {
                out.push(Tok {
                    start: t.start,
                    end: t.start + e.len(),
                    kind: TokenKind::Word,
                });
                out.push(Tok {
                    start: t.start + e.len(),
                    end: t.end,
                    kind: TokenKind::Word,
                });
                continue;
            }
            out.push(Tok {
                start: t.start,
                end: t.end,
                kind: t.kind,
            });
        }
        out
    }

    /// The value of a digit token ("2,500", "2 500"), `None` when it is not a whole number.
    pub fn parse_digits(&self, s: &str) -> Option<u64> {
        let mut groups: Vec<&str> = Vec::new();
        let mut sep: Option<char> = None;
        let mut last = 0;
        for (i, c) in s.char_indices() {
            if c.is_ascii_digit() {
                continue;
            }
            if c != ' ' && !self.thousands.contains(&c) {
                return None; // a decimal mark, or a separator this language does not use
            }
            if sep.is_some_and(|s| s != c) {
                return None;
            }
            sep = Some(c);
            groups.push(s.get(last..i)?);
            last = i + c.len_utf8();
        }
        groups.push(s.get(last..)?);
        if groups.len() > 1 {
            let first = groups.first()?;
            if first.is_empty() || first.len() > 3 || groups.iter().skip(1).any(|g| g.len() != 3) {
                return None;
            }
        }
        let digits: String = groups.concat();
        if digits.is_empty() || digits.len() > 12 {
            return None;
        }
        digits.parse().ok()
    }

    /// A number word at token `i`: value, multiplier flag, token just past it, and whether a joiner
    /// prefix (Arabic و) was stripped from it.
    fn word_at(&self, lx: &[&str], i: usize) -> Option<(Word, usize, bool)> {
        let mut buf = Vec::new();
        if let Some(h) = self.words.longest_at(lx, i, &self.prefixes, &mut buf) {
            let joined = h.prefix.is_some_and(|p| self.joiners.contains(p));
            return Some((*h.tag, h.end, joined));
        }
        None
    }

    /// Splits a glued word ("einundzwanzig") into number words and joiners, left to right.
    fn split_glued(&self, w: &str) -> Option<Vec<Option<Word>>> {
        if !self.glued || w.len() > 60 || w.len() < 4 {
            return None;
        }
        // reach[i]: how position i was reached (previous position and the piece), by dynamic programming
        // so that no word can make the split exponential.
        let n = w.len();
        let mut reach: Vec<Option<(usize, Option<Word>)>> = vec![None; n + 1];
        let mut ok = vec![false; n + 1];
        if let Some(o) = ok.first_mut() {
            *o = true;
        }
        for i in 0..n {
            if !ok.get(i).copied().unwrap_or(false) || !w.is_char_boundary(i) {
                continue;
            }
            for j in (i + 1)..=n {
                if !w.is_char_boundary(j) {
                    continue;
                }
                let Some(piece) = w.get(i..j) else { continue };
                if !self.glued_prefixes.contains(piece) {
                    break;
                }
                let found = if let Some(word) = self.single.get(piece) {
                    Some(Some(*word))
                } else if self.joiners.contains(piece) && i > 0 && j < n {
                    Some(None)
                } else {
                    None
                };
                if let Some(p) = found
                    && !ok.get(j).copied().unwrap_or(true)
                {
                    if let Some(o) = ok.get_mut(j) {
                        *o = true;
                    }
                    if let Some(r) = reach.get_mut(j) {
                        *r = Some((i, p));
                    }
                }
            }
        }
        if !ok.get(n).copied().unwrap_or(false) {
            return None;
        }
        let mut pieces = Vec::new();
        let mut at = n;
        while at > 0 {
            let (prev, p) = (*reach.get(at)?)?;
            pieces.push(p);
            at = prev;
        }
        pieces.reverse();
        (pieces.len() > 1).then_some(pieces)
    }

    /// Reads number words from token `i`: the value and the token just past them.
    fn words_from(&self, lx: &[&str], i: usize) -> Option<(u64, usize)> {
        let mut acc = Acc::default();
        let mut j = i;
        loop {
            if j >= lx.len() {
                break;
            }
            // Joiners and hyphens between two parts ("vingt-et-un") are consumed only with the part after.
            let (joined, at) = if acc.any {
                let mut k = j;
                let mut joined = false;
                while k < j + 3 {
                    match lx.get(k) {
                        Some(&"-") => k += 1,
                        Some(t) if self.joiners.contains(*t) => {
                            joined = true;
                            k += 1;
                        }
                        _ => break,
                    }
                }
                (joined, k)
            } else {
                (false, j)
            };
            if let Some((word, end, pjoined)) = self.word_at(lx, at) {
                if !acc.push(word, joined || pjoined) {
                    break;
                }
                j = end;
                continue;
            }
            let Some(t) = lx.get(at) else { break };
            let mut pieces = self.split_glued(t);
            if pieces.is_none() {
                for p in &self.prefixes {
                    if let Some(rest) = t.strip_prefix(p.as_str())
                        && let Some(ps) = self.split_glued(rest)
                    {
                        pieces = Some(ps);
                        break;
                    }
                }
            }
            let Some(pieces) = pieces else { break };
            let saved = acc;
            let mut pj = joined;
            let mut ok = true;
            for p in pieces {
                match p {
                    None => pj = true,
                    Some(w) => {
                        if !acc.push(w, pj) {
                            ok = false;
                            break;
                        }
                        pj = false;
                    }
                }
            }
            if !ok {
                acc = saved;
                break;
            }
            j = at + 1;
        }
        acc.any.then(|| (acc.total.saturating_add(acc.current), j))
    }

    /// Every number of a sentence, in order. `lx` holds the lowercased texts of `toks`; `text` is the
    /// normalized document the tokens index.
    pub fn find(&self, text: &str, toks: &[Tok], lx: &[&str]) -> Vec<NumSpan> {
        let mut out: Vec<NumSpan> = Vec::new();
        let mut i = 0;
        let mut buf = Vec::new();
        while i < toks.len() {
            let (Some(tok), Some(low)) = (toks.get(i), lx.get(i)) else {
                break;
            };
            let span = |start, end, value, digits| NumSpan {
                start,
                end,
                value,
                digits,
                plain4: false,
                approx: false,
                indefinite: false,
                range: None,
            };
            // Arabic "و7": a prefix glued to digits ("و92 ألف" takes its multiplier too).
            let glued = (tok.kind == TokenKind::Word)
                .then(|| {
                    self.prefixes.iter().find_map(|p| {
                        low.strip_prefix(p.as_str())
                            .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
                            .and_then(|r| self.parse_digits(r))
                    })
                })
                .flatten();
            if tok.kind == TokenKind::Number || glued.is_some() {
                let raw = text.get(tok.start..tok.end).unwrap_or("");
                let mut s = span(i, i + 1, glued.or_else(|| self.parse_digits(raw)), true);
                s.plain4 = raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit());
                // "2 million"
                if let Some((w, end, _)) = self.word_at(lx, i + 1)
                    && w.multiplier
                    && w.value >= 1000
                {
                    s.value = s.value.and_then(|v| v.checked_mul(w.value));
                    s.end = end;
                    s.plain4 = false;
                    // "2 mil 500": a smaller group after the multiplier adds to it.
                    if let Some(t) = toks.get(end)
                        && t.kind == TokenKind::Number
                        && let Some(rest) =
                            self.parse_digits(text.get(t.start..t.end).unwrap_or(""))
                        && rest < w.value
                    {
                        s.value = s.value.and_then(|v| v.checked_add(rest));
                        s.end = end + 1;
                    }
                }
                out.push(s);
                i = s.end;
                continue;
            }
            if tok.kind == TokenKind::Word {
                if let Some(h) = self.approx.longest_at(lx, i, &self.prefixes, &mut buf) {
                    let mut s = span(i, h.end, Some(*h.tag), false);
                    s.approx = true;
                    // "une dizaine": the article belongs to it.
                    if let Some(prev) = out.last()
                        && prev.indefinite
                        && prev.end == i
                    {
                        out.pop();
                    }
                    if i > 0 && lx.get(i - 1).is_some_and(|w| self.is_indefinite(w)) {
                        s.start = i - 1;
                    }
                    out.push(s);
                    i = h.end;
                    continue;
                }
                if self.is_indefinite(low)
                    && let Some((w, _, _)) = self.word_at(lx, i + 1)
                    && w.multiplier
                    && let Some((v, end)) = self.words_from(lx, i + 1)
                {
                    // "a hundred", "a dozen"
                    out.push(span(i, end, Some(v), false));
                    i = end;
                    continue;
                }
                if let Some((v, end)) = self.words_from(lx, i) {
                    let mut s = span(i, end, Some(v), false);
                    // "un", "ein": the number word one that is also the indefinite article.
                    s.indefinite = end == i + 1 && self.is_indefinite(low);
                    out.push(s);
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        self.ranges(&mut out, lx);
        out
    }

    /// Marks ranges ("between 5 and 7", "five or six", "5-7") and folds updates ("from 5 to 7" → 7).
    fn ranges(&self, spans: &mut Vec<NumSpan>, lx: &[&str]) {
        let mut k = 0;
        while k + 1 < spans.len() {
            let (Some(a), Some(b)) = (spans.get(k).copied(), spans.get(k + 1).copied()) else {
                break;
            };
            // "بين 10 و15": the joiner may be a prefix glued to the second number.
            let glued = (b.start == a.end)
                .then(|| lx.get(b.start).copied())
                .flatten()
                .filter(|t| !self.single.contains_key(*t))
                .and_then(|t| {
                    self.prefixes
                        .iter()
                        .find(|p| t.len() > p.len() && t.starts_with(p.as_str()))
                });
            let one_between = b.start == a.end + 1 || glued.is_some();
            let between = match glued {
                Some(p) => p.as_str(),
                None => lx.get(a.end).copied().unwrap_or(""),
            };
            let before = a
                .start
                .checked_sub(1)
                .and_then(|p| lx.get(p))
                .copied()
                .unwrap_or("");
            let (Some(va), Some(vb)) = (a.value, b.value) else {
                k += 1;
                continue;
            };
            if !one_between || a.range.is_some() {
                k += 1;
                continue;
            }
            if self.update_start.contains(before) && self.range_joiners.contains(between) {
                // "from 5 to 7": the figure is the new one.
                let mut nb = b;
                nb.start = a.start.saturating_sub(1);
                spans.remove(k);
                if let Some(s) = spans.get_mut(k) {
                    *s = nb;
                }
                continue;
            }
            if self.range_joiners.contains(before) && self.update_start.contains(between) {
                // "rose to 25 from 18": the update written the other way round; the figure is the first.
                let mut na = a;
                na.end = b.end;
                spans.remove(k + 1);
                if let Some(s) = spans.get_mut(k) {
                    *s = na;
                }
                k += 1;
                continue;
            }
            let opened = self.range_start.contains(before) && self.range_and.contains(between);
            if vb > va && (opened || self.range_joiners.contains(between)) {
                if let Some(s) = spans.get_mut(k) {
                    if opened {
                        s.start = s.start.saturating_sub(1);
                    }
                    s.range = Some((RangeEnd::Low, k + 1));
                }
                if let Some(s) = spans.get_mut(k + 1) {
                    s.range = Some((RangeEnd::High, k));
                }
                k += 2;
                continue;
            }
            k += 1;
        }
    }
}

/// A number being read from words.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    total: u64,
    current: u64,
    /// The last part read: a word's value, or the value a multiplier made.
    last: u64,
    any: bool,
    /// The last word read stands alone: nothing may follow it.
    closed: bool,
}

impl Acc {
    /// Adds a word if it can continue the number; false (and nothing changed) when it starts another.
    fn push(&mut self, w: Word, joined: bool) -> bool {
        let v = w.value;
        if self.any && (w.alone || self.closed) {
            return false;
        }
        if self.any {
            let fits = if w.multiplier {
                !joined && self.last < v
            } else if joined {
                (self.last >= 10 && v < self.last)
                    || (self.last < 10 && (20..100).contains(&v) && v % 10 == 0)
            } else {
                self.last >= 10 && v < self.last
            };
            if !fits {
                return false;
            }
        }
        if w.multiplier {
            let base = if self.current == 0 { 1 } else { self.current };
            if v >= 1000 {
                self.total = self.total.saturating_add(base.saturating_mul(v));
                self.current = 0;
            } else {
                self.current = base.saturating_mul(v);
            }
            self.last = v;
        } else {
            self.current = self.current.saturating_add(v);
            self.last = v;
        }
        self.any = true;
        self.closed = w.alone;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> Numbers {
        let mut words = HashMap::new();
        for (w, v) in [
            ("one", 1),
            ("two", 2),
            ("five", 5),
            ("six", 6),
            ("seven", 7),
            ("ten", 10),
            ("twenty", 20),
            ("hundred", 100),
            ("thousand", 1000),
            ("dozen", 12),
        ] {
            words.insert(w.to_string(), v);
        }
        Numbers::compile(&NumberRules {
            words,
            multipliers: Some(vec!["hundred".into(), "thousand".into(), "dozen".into()]),
            joiners: vec!["and".into()],
            thousands: vec![",".into()],
            decimal: ".".into(),
            indefinite: vec!["a".into()],
            range_start: vec!["between".into()],
            range_and: vec!["and".into()],
            range_joiners: vec!["or".into(), "to".into(), "-".into()],
            update_start: vec!["from".into()],
            ..NumberRules::default()
        })
        .unwrap()
    }

    fn values(n: &Numbers, s: &str) -> Vec<(Option<u64>, Option<RangeEnd>)> {
        let lower = s.to_lowercase();
        let toks = n.tokens(&lower, 0..lower.len());
        let lx: Vec<&str> = toks.iter().map(|t| &lower[t.start..t.end]).collect();
        n.find(&lower, &toks, &lx)
            .iter()
            .map(|s| (s.value, s.range.map(|r| r.0)))
            .collect()
    }

    #[test]
    fn digits_and_words() {
        let n = en();
        assert_eq!(n.parse_digits("2,500"), Some(2500));
        assert_eq!(n.parse_digits("2 500"), Some(2500));
        assert_eq!(n.parse_digits("2.5"), None);
        assert_eq!(n.parse_digits("1,23"), None);
        let v = |s| values(&n, s).into_iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(v("twenty-one killed"), vec![Some(21)]);
        assert_eq!(v("one hundred and five"), vec![Some(105)]);
        assert_eq!(v("two thousand five hundred"), vec![Some(2500)]);
        assert_eq!(v("a dozen people"), vec![Some(12)]);
        assert_eq!(v("five seven"), vec![Some(5), Some(7)]);
        assert_eq!(v("2 thousand"), vec![Some(2000)]);
        assert_eq!(v("from five to seven"), vec![Some(7)]);
        assert_eq!(v("rose to seven from five"), vec![Some(7)]);
    }

    #[test]
    fn ranges() {
        let n = en();
        assert_eq!(
            values(&n, "between 5 and 7"),
            vec![
                (Some(5), Some(RangeEnd::Low)),
                (Some(7), Some(RangeEnd::High))
            ]
        );
        assert_eq!(
            values(&n, "five or six"),
            vec![
                (Some(5), Some(RangeEnd::Low)),
                (Some(6), Some(RangeEnd::High))
            ]
        );
        assert_eq!(
            values(&n, "5 and 7"),
            vec![(Some(5), None), (Some(7), None)]
        );
    }

    #[test]
    fn range_joined_by_a_prefix() {
        let n = Numbers::compile(&NumberRules {
            prefixes: vec!["و".into()],
            joiners: vec!["و".into()],
            range_start: vec!["بين".into()],
            range_and: vec!["و".into()],
            ..NumberRules::default()
        })
        .unwrap();
        assert_eq!(
            values(&n, "بين 10 و15"),
            vec![
                (Some(10), Some(RangeEnd::Low)),
                (Some(15), Some(RangeEnd::High))
            ]
        );
        assert_eq!(
            values(&n, "10 و15"),
            vec![(Some(10), None), (Some(15), None)]
        );
    }

    #[test]
    fn glued_words() {
        let mut words = HashMap::new();
        for (w, v) in [("ein", 1), ("zwei", 2), ("zwanzig", 20), ("hundert", 100)] {
            words.insert(w.to_string(), v);
        }
        let n = Numbers::compile(&NumberRules {
            words,
            joiners: vec!["und".into()],
            glued: true,
            ..NumberRules::default()
        })
        .unwrap();
        let v = |s| values(&n, s).into_iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(v("einundzwanzig"), vec![Some(21)]);
        assert_eq!(v("zweihundert"), vec![Some(200)]);
        assert_eq!(v("zweihundertzwanzig"), vec![Some(220)]);
        assert_eq!(v("einsam"), Vec::<Option<u64>>::new());
    }
}
