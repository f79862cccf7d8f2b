//! Layout of a scraped article: boilerplate lines, the headline, and header lines (datelines).
//!
//! Boilerplate is found on the decoded text, line by line, with every rule pack's patterns at once (the
//! language is not known yet, and boilerplate must not sway its detection). The headline and datelines are
//! found on the normalized view, so extractors get their ranges in the coordinates they match in.

use std::ops::Range;

use jiff::civil::Date;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use crate::error::Error;
use crate::extract::date;
use crate::rules::Pack;

/// Lines to look at for a headline.
const HEAD_LINES: usize = 4;
/// A body with fewer letters than this is too short to detect a language on without its headline.
const MIN_BODY_LETTERS: usize = 40;
/// How much of a line's opening is searched for a dateline.
const DATELINE_BYTES: usize = 120;
/// Lines to look at for a dateline: scraped pages put title, standfirst and byline before it.
const DATE_LINES: usize = 6;
/// Last lines of an article read for a place and date under the story, when its head has none.
const TRAIL_LINES: usize = 2;
/// Longest headline, in characters.
const MAX_TITLE_CHARS: usize = 250;

/// Boilerplate patterns of every pack, compiled into one set.
///
/// Bounded repetitions of any character (`.{0,80}`, "a caption of at most 80 characters") make big
/// automata: they were most of the set's compile time. The set is compiled with them relaxed to `.*`,
/// and a line it matches is confirmed with the exact pattern, compiled the first time it is needed.
#[derive(Debug)]
pub struct Boilerplate {
    loose: RegexSet,
    /// Per pattern of the set: the exact pattern when it was relaxed.
    exact: Vec<Option<Exact>>,
}

#[derive(Debug)]
struct Exact {
    pattern: String,
    regex: OnceLock<Option<Regex>>,
}

/// Language-independent boilerplate: ad markers and share buttons that scrapers leave in any language.
const COMMON: &[&str] = &[
    r"\[ad_?\d*\]",
    r"\[/?(?:caption|embed|video|gallery)[^\]]*\]",
    r"(?:share|partager|compartir|teilen|condividi|compartilhar|поделиться)(?: on| sur| en| auf| su| no| в)? ?(?:facebook|twitter|x|whatsapp|telegram|linkedin|email)?",
    r"(?:facebook|twitter|whatsapp|telegram|linkedin|email|print)(?:\s*[|/•,]\s*(?:facebook|twitter|whatsapp|telegram|linkedin|email|print))+",
];

impl Boilerplate {
    /// Compiles the boilerplate patterns of all packs (`[boilerplate].lines`) with the common ones.
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> Result<Boilerplate, Error> {
        let error = |e: regex::Error| Error::Rules {
            pack: "boilerplate".to_string(),
            reason: e.to_string(),
        };
        let mut loose = Vec::new();
        let mut exact = Vec::new();
        for p in COMMON.iter().copied().chain(lines) {
            let pattern = format!(r"^(?:{})\s*$", p.to_lowercase());
            let relaxed = relax(&pattern);
            // Relaxing only widens a repetition, so the exact pattern compiles whenever the relaxed one
            // does (tests compile every pack's exact patterns too).
            exact.push((relaxed != pattern).then(|| Exact {
                pattern,
                regex: OnceLock::new(),
            }));
            loose.push(relaxed);
        }
        let loose = RegexSet::new(loose).map_err(error)?;
        Ok(Boilerplate { loose, exact })
    }

    fn is_match(&self, line: &str) -> bool {
        if !self.loose.is_match(line) {
            return false;
        }
        self.loose
            .matches(line)
            .iter()
            .any(|i| match self.exact.get(i) {
                Some(Some(e)) => e
                    .regex
                    .get_or_init(|| Regex::new(&e.pattern).ok())
                    .as_ref()
                    .is_none_or(|r| r.is_match(line)),
                _ => true,
            })
    }

    /// Byte ranges (of `text`) of boilerplate lines, newline excluded.
    pub fn lines(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut lower = String::new();
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim();
            // Cheap test first: boilerplate lines are short, and most lines are not.
            // Matching the lowercased line against lowercase patterns avoids the cost of Unicode
            // case-insensitive automata, which dominated start-up.
            if trimmed.is_empty() || trimmed.len() >= 300 {
                start += line.len();
                continue;
            }
            lower.clear();
            crate::text::push_lowercase(&mut lower, trimmed);
            if self.is_match(&lower) {
                out.push(start..start + content.len());
            }
            start += line.len();
        }
        out
    }
}

/// Where the headline and header lines are, in the normalized view.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The headline's range.
    pub title: Option<Range<usize>>,
    /// Datelines and header prefixes ("date 2021-06-28").
    pub header: Vec<Range<usize>>,
    /// Whole wire datelines without a year ("ТБИЛИСИ, 1 декабря. /ТАСС/."), of which only the day is
    /// header: their place and agency stay visible to extraction, but they are no sentence of the body.
    pub lead_in: Vec<Range<usize>>,
    /// The date the first dateline states.
    pub published: Option<Date>,
}

impl Layout {
    /// Finds the headline and datelines among the first lines of a normalized view.
    pub fn analyze(norm: &str, packs: &[Pack]) -> Layout {
        let mut layout = Layout::default();
        let mut start = 0;
        let mut seen = 0;
        // Page chrome above the headline (section labels, breadcrumbs, the site's name) does not count
        // as the article's first lines.
        let mut chrome = 0;
        let mut head_closed = false;
        for line in norm.split_inclusive('\n') {
            let line_start = start;
            start += line.len();
            let content = line.trim_end();
            if content.trim().is_empty() {
                continue;
            }
            seen += 1;
            let lines = seen - chrome;
            if lines > DATE_LINES || (lines > HEAD_LINES && layout.published.is_some()) {
                break;
            }
            let lead = content.len() - content.trim_start().len();
            let mut rest = line_start + lead..line_start + content.len();
            // A dateline is short: looking at the line's opening keeps long first sentences cheap.
            let head_end = floor_boundary(norm, (rest.start + DATELINE_BYTES).min(rest.end));
            if let Some((d, len)) = date::dateline(&norm[rest.start..head_end], packs) {
                layout.published.get_or_insert(d);
                layout.header.push(rest.start..rest.start + len);
                rest.start += len;
                let remaining =
                    norm[rest.clone()].trim_start_matches([' ', ',', '-', '|', ':', '(', ')']);
                if remaining.trim().is_empty() {
                    continue;
                }
                rest.start = rest.end - remaining.len();
            } else if let Some((date, len)) =
                date::yearless_dateline(&norm[rest.start..head_end], packs)
            {
                layout
                    .header
                    .push(rest.start + date.start..rest.start + date.end);
                layout.lead_in.push(rest.start..rest.start + len);
                rest.start += len;
                if norm[rest.clone()].trim().is_empty() {
                    continue;
                }
            }
            if lines > HEAD_LINES || layout.title.is_some() || head_closed {
                continue;
            }
            let text = &norm[rest.clone()];
            if is_chrome(text) {
                chrome += 1;
                continue;
            }
            if lines <= 2 && is_headline(text) {
                layout.title = Some(rest);
            } else if layout.header.is_empty() || lines >= 2 {
                // Only the first content line (after datelines and chrome) may be the headline.
                head_closed = true;
            }
        }
        // Agency credit lines ("(dpa, 28.6.2021)") date the article wherever they stand.
        if layout.published.is_none()
            && let Some((d, r)) = date::credit_line(norm, packs)
        {
            layout.published = Some(d);
            layout.header.push(r);
        }
        // Some sites print the place and date under the story ("Berlin, 02.05.2024").
        if layout.published.is_none() {
            let mut end = norm.len();
            for line in norm
                .trim_end()
                .rsplit('\n')
                .filter(|l| !l.trim().is_empty())
                .take(TRAIL_LINES)
            {
                let Some(at) = norm.get(..end).and_then(|s| s.rfind(line)) else {
                    break;
                };
                end = at;
                let lead = line.len() - line.trim_start().len();
                let head_end = floor_boundary(line, (lead + DATELINE_BYTES).min(line.len()));
                if let Some((d, len)) = date::dateline(&line[..head_end], packs) {
                    layout.published = Some(d);
                    layout.header.push(at..at + len);
                    break;
                }
            }
        }
        layout
    }

    /// The body for language detection: the normalized text without headline and datelines, at most
    /// `max` bytes. When that leaves almost nothing (a text that is only a headline), the whole text.
    pub fn body(&self, norm: &str, max: usize) -> String {
        let body = self.body_only(norm, max);
        if body
            .chars()
            .filter(|c| c.is_alphabetic())
            .nth(MIN_BODY_LETTERS)
            .is_some()
        {
            return body;
        }
        let end = floor_boundary(norm, max.min(norm.len()));
        norm[..end].to_string()
    }

    fn body_only(&self, norm: &str, max: usize) -> String {
        let mut skip: Vec<Range<usize>> = self.header.clone();
        skip.extend(self.title.clone());
        skip.sort_by_key(|r| r.start);
        let mut out = String::new();
        let mut at = 0;
        for r in skip {
            if r.start > at {
                out.push_str(&norm[at..r.start]);
            }
            at = at.max(r.end);
            if out.len() >= max {
                break;
            }
        }
        if out.len() < max {
            let end = floor_boundary(norm, (at + max - out.len()).min(norm.len()));
            if at < end {
                out.push_str(&norm[at..end]);
            }
        }
        out
    }
}

/// `pattern` with every bounded repetition of `.` (`.{0,80}`, `.{2,5}`) turned into `.*` and word
/// boundaries (`\b`, `\B`) dropped: it matches every line the pattern does, and maybe more. Unicode word
/// boundaries also keep the fast automata off any line with a non-ASCII letter.
fn relax(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    let mut escaped = false;
    while let Some(c) = rest.chars().next() {
        if c == '\\' && !escaped && (rest[1..].starts_with('b') || rest[1..].starts_with('B')) {
            rest = &rest[2..];
            continue;
        }
        if c == '.' && !escaped && rest[1..].starts_with('{') {
            let close = rest.find('}').unwrap_or(0);
            let inner = rest.get(2..close).unwrap_or("");
            let bounded = close > 2
                && inner.contains(',')
                && inner
                    .split(',')
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if bounded {
                out.push_str(".*");
                rest = &rest[close + 1..];
                continue;
            }
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Separators of breadcrumb trails ("World | Asia Pacific", "Home / Africa / Nigeria", "G1 > Rio").
/// The normalized view has turned "»" into a straight quote: one between spaces separates too.
const CRUMB_SEPARATORS: &[&str] = &[
    " > ", " » ", " / ", " | ", " › ", " · ", " • ", " >> ", " \" ",
];
/// Most words a part of a breadcrumb trail has, and a whole trail.
const CRUMB_WORDS: usize = 4;
const TRAIL_WORDS: usize = 10;
/// Most words of a site name or section label in capitals ("EL PAÍS", "BUSINESS NEWS").
const MASTHEAD_WORDS: usize = 2;

/// Page chrome that scrapers leave above the headline: a one-word section label ("Afrique",
/// "Wirtschaft", "Происшествия"), a breadcrumb trail of short parts, or a short name in capitals. A
/// headline has more words, and its parts around a separator are not all short.
fn is_chrome(line: &str) -> bool {
    let line = line.trim();
    if !line.chars().any(char::is_alphabetic) || line.ends_with(['.', '!', '?', ':']) {
        return false;
    }
    let words = line.split_whitespace().count();
    if words == 1 {
        return true;
    }
    let crumbs = CRUMB_SEPARATORS.iter().any(|s| line.contains(s))
        && words <= TRAIL_WORDS
        && line
            .split(|c: char| ['>', '»', '/', '|', '›', '·', '•', '"'].contains(&c))
            .all(|part| (1..=CRUMB_WORDS).contains(&part.split_whitespace().count()));
    let masthead = words <= MASTHEAD_WORDS
        && !line.chars().any(|c| c.is_ascii_digit())
        && line
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        && line.chars().any(char::is_uppercase);
    crumbs || masthead
}

/// A line that reads like a headline: a few words, not too long, not a sentence ending in a full stop.
fn is_headline(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let chars = line.chars().count();
    (2..=30).contains(&words)
        && chars <= MAX_TITLE_CHARS
        && (!line.ends_with('.') || line.ends_with("..."))
        && !line.ends_with(':')
        && line.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_patterns() {
        assert_eq!(relax(r"^(?:©.{0,80})\s*$"), r"^(?:©.*)\s*$");
        assert_eq!(relax(r"a\.{0,3}b.{2,5}"), r"a\.{0,3}b.*");
        assert_eq!(relax(r"x.{3}y\\.{0,2}"), r"x.{3}y\\.*");
        assert_eq!(relax(r"(?:lea|lee)\b.*\Bx\\b"), r"(?:lea|lee).*x\\b");
        let b = Boilerplate::new(["related:? .{0,10}"]).expect("compiles");
        assert!(b.is_match("related: short"));
        assert!(!b.is_match("related: a line that is far too long"));
        assert!(b.is_match("[ad_2]"));
        let b = Boilerplate::new([r"lesen sie auch\b.*"]).expect("compiles");
        assert!(b.is_match("lesen sie auch: ein anderer artikel"));
        assert!(!b.is_match("lesen sie auchmal"));
    }

    #[test]
    fn exact_patterns_compile() {
        let raws = crate::rules::parse_all().expect("packs parse");
        let b = Boilerplate::new(
            raws.iter()
                .flat_map(|r| r.boilerplate.lines.iter().map(String::as_str)),
        )
        .expect("compiles");
        assert!(b.exact.iter().flatten().count() > 5);
        for e in b.exact.iter().flatten() {
            Regex::new(&e.pattern).expect("exact boilerplate pattern compiles");
        }
    }

    #[test]
    fn headline_rules() {
        assert!(is_headline(
            "Iran-backed militias vow 'revenge' after US operation on Iraqi-Syria border"
        ));
        assert!(!is_headline(
            "Seven people were killed on Monday in an attack on a market in the north of the country, police said."
        ));
        assert!(!is_headline("Hello"));
    }

    #[test]
    fn chrome_rules() {
        for line in [
            "World | Asia Pacific",
            "Home / Africa / Nigeria",
            "G1 > Rio de Janeiro",
            "الرئيسية \" أخبار \" العالم العربي",
            "Wirtschaft",
            "EL PAÍS",
            "BUSINESS NEWS",
        ] {
            assert!(is_chrome(line), "{line}");
        }
        for line in [
            "Gunmen kill seven in attack on Nigerian village | Reuters world news",
            "Mali : une frappe de drone fait huit morts",
            "ISRAEL STRIKES GAZA",
            "Minister says \"no deal\" with rebels",
        ] {
            assert!(!is_chrome(line), "{line}");
        }
    }
}
