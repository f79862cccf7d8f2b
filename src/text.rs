//! The text as the extractors see it.
//!
//! Matching runs on a normalized view of the decoded article: NFC, typographic quotes, dashes and spaces
//! unified, Arabic diacritics and tatweel removed and alef forms unified, Arabic-Indic digits turned into
//! ASCII, and boilerplate lines blanked. The view keeps a byte map back to the decoded text, so every span
//! found in it is reported with offsets into the text as read: `text[start..end]` is always the evidence.

use std::ops::Range;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The decoded article plus its normalized view.
#[derive(Debug, Clone)]
pub struct Document {
    /// The decoded text; all emitted offsets index it.
    pub text: String,
    /// The normalized view that rules match against.
    pub norm: String,
    /// For each byte of `norm` (plus one past the end), the offset in `text` of the character it came
    /// from. `None` when `norm == text` byte for byte.
    map: Option<Vec<u32>>,
    /// Sentence ranges in `norm`, in order; headlines and paragraphs without a full stop are sentences too.
    pub sentences: Vec<Range<usize>>,
    /// `norm` lowercased with the same byte offsets, made on first use: several stages match
    /// lowercase words, and lowercasing once beats lowercasing each sentence per stage.
    lower: OnceLock<Lower>,
    /// `norm` folded for date cue words, made on first use (see `extract::date`).
    pub(crate) folded: OnceLock<crate::extract::date::Folded>,
}

/// The lowercase view of a document.
#[derive(Debug, Clone)]
struct Lower {
    text: String,
    /// Every character lowercased as `str::to_lowercase` would: a slice is then the lowercase of the
    /// same slice of `norm`.
    exact: bool,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and marks, apostrophes or hyphens inside a word).
    Word,
    /// ASCII digits, possibly with thousands separators or a decimal point.
    Number,
    /// Anything else that is not white space.
    Punct,
}

/// A token of the normalized view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Its text in the normalized view.
    pub text: &'a str,
    /// Byte offset in `norm`.
    pub start: usize,
    /// Byte offset just past it in `norm`.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
}

impl Document {
    /// Builds the normalized view of `text`, blanking the lines in `blank` (byte ranges of `text`).
    pub fn new(text: String, blank: &[Range<usize>]) -> Document {
        let (norm, map) = normalize(&text, blank, true);
        let sentences = split_sentences(&norm);
        Document {
            text,
            norm,
            map,
            sentences,
            lower: OnceLock::new(),
            folded: OnceLock::new(),
        }
    }

    fn lower_view(&self) -> &Lower {
        self.lower.get_or_init(|| {
            let (text, exact) = lowercase(&self.norm);
            Lower { text, exact }
        })
    }

    /// `norm` lowercased with the same byte offsets: characters whose lowercase form has another
    /// length are kept as they are.
    pub fn lower(&self) -> &str {
        &self.lower_view().text
    }

    /// [`Document::lower`] when any slice of it equals `str::to_lowercase` of the same slice of
    /// `norm` (no character with a lowercase of another length, no Greek capital sigma, whose
    /// lowercase depends on its place in a word).
    pub fn lower_exact(&self) -> Option<&str> {
        let view = self.lower_view();
        view.exact.then_some(view.text.as_str())
    }

    /// Maps a byte range of the normalized view to the decoded text.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        match &self.map {
            None => range,
            Some(map) => {
                let start = map
                    .get(range.start)
                    .copied()
                    .unwrap_or(self.text.len() as u32) as usize;
                let end = map
                    .get(range.end)
                    .copied()
                    .unwrap_or(self.text.len() as u32) as usize;
                start..end.max(start)
            }
        }
    }

    /// The decoded text behind a normalized range (the evidence to emit).
    pub fn source_text(&self, range: Range<usize>) -> &str {
        let r = self.source_range(range);
        self.text.get(r).unwrap_or("")
    }

    /// Tokens of a range of the normalized view.
    pub fn tokens(&self, range: Range<usize>) -> Vec<Token<'_>> {
        tokenize(&self.norm, range)
    }

    /// The sentence that contains a normalized byte offset.
    pub fn sentence_at(&self, offset: usize) -> Option<Range<usize>> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        self.sentences.get(i).filter(|s| s.start <= offset).cloned()
    }
}

/// A lowercase copy of `s` with the same byte offsets: characters whose lowercase form has another
/// length are kept as they are.
pub fn lower_same_len(s: &str) -> String {
    lowercase(s).0
}

/// [`lower_same_len`], and whether the copy equals `s.to_lowercase()`.
fn lowercase(s: &str) -> (String, bool) {
    // ASCII letters all at once, then the other characters one by one.
    let mut out = s.to_ascii_lowercase();
    if s.is_ascii() {
        return (out, true);
    }
    let mut exact = true;
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let n = c.len_utf8();
        let code = c as u32;
        // Latin-1, Cyrillic and Arabic letters, most of the non-ASCII text, without the table look-up.
        let low = match c {
            '\u{00C0}'..='\u{00DE}' if c != '\u{00D7}' => char::from_u32(code + 0x20),
            '\u{00DF}'..='\u{00FF}' | '\u{0430}'..='\u{045F}' | '\u{0600}'..='\u{06FF}' => Some(c),
            '\u{0410}'..='\u{042F}' => char::from_u32(code + 0x20),
            '\u{0400}'..='\u{040F}' => char::from_u32(code + 0x50),
            _ => {
                let mut low = c.to_lowercase();
                match (low.next(), low.next()) {
                    (Some(l), None) if l.len_utf8() == n => Some(l),
                    _ => None,
                }
            }
        };
        match low {
            Some(l) => {
                exact &= c != 'Σ';
                if l != c {
                    let mut buf = [0u8; 4];
                    out.replace_range(i..i + n, l.encode_utf8(&mut buf));
                }
            }
            // Kept as it is.
            None => exact = false,
        }
        i += n;
    }
    (out, exact)
}

/// Splits `norm[range]` into tokens. Digits keep their thousands separators ("2,500", "2.500", "2 500").
pub fn tokenize(norm: &str, range: Range<usize>) -> Vec<Token<'_>> {
    let Some(slice) = norm.get(range.clone()) else {
        return Vec::new();
    };
    let base = range.start;
    // About one word and one space per five bytes: sized once instead of grown token by token.
    let mut out: Vec<Token<'_>> = Vec::with_capacity(slice.len() / 4 + 1);
    let mut words = Vec::with_capacity(slice.len() / 2 + 1);
    if !word_bounds(slice, &mut words) {
        words.clear();
        words.extend(slice.split_word_bound_indices());
    }
    for (i, w) in words {
        let first = match w.chars().next() {
            Some(c) => c,
            None => continue,
        };
        if first.is_whitespace() {
            continue;
        }
        let start = base + i;
        let end = start + w.len();
        let kind = if w
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
            && first.is_ascii_digit()
        {
            TokenKind::Number
        } else if w.chars().any(char::is_alphanumeric) {
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        // "2 500" (space as thousands separator): join a 3-digit group to a preceding short number.
        if kind == TokenKind::Number
            && w.len() == 3
            && w.bytes().all(|b| b.is_ascii_digit())
            && let Some(prev) = out.last_mut()
            && prev.kind == TokenKind::Number
            && prev.end + 1 == start
            && norm.as_bytes().get(prev.end) == Some(&b' ')
            && prev.text.len() <= 3
            && prev.text.bytes().all(|b| b.is_ascii_digit())
        {
            prev.end = end;
            prev.text = &norm[prev.start..end];
            continue;
        }
        out.push(Token {
            text: w,
            start,
            end,
            kind,
        });
    }
    out
}

/// Word-break class (UAX #29) of the characters whose class is certain without the Unicode tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    /// `:` (MidLetter).
    MidLetter,
    /// `,` `;` (MidNum).
    MidNum,
    /// `.` `'` (MidNumLet, Single_Quote).
    MidNumLet,
    /// `_`.
    ExtendNumLet,
    Space,
    Cr,
    Lf,
    /// Punctuation and symbols that never join anything.
    Other,
}

fn wb_class(c: char) -> Option<Wb> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Wb::Letter,
        '0'..='9' => Wb::Numeric,
        ':' => Wb::MidLetter,
        ',' | ';' => Wb::MidNum,
        '.' | '\'' => Wb::MidNumLet,
        '_' => Wb::ExtendNumLet,
        ' ' => Wb::Space,
        '\r' => Wb::Cr,
        '\n' => Wb::Lf,
        '\t' | '\u{0B}' | '\u{0C}' | '\u{7F}' | '\u{00}'..='\u{08}' | '\u{0E}'..='\u{1F}' => {
            return None;
        }
        '!'..='/' | '<'..='@' | '['..='`' | '{'..='~' => Wb::Other,
        // Latin-1 and Latin Extended letters, Cyrillic and basic Arabic letters: the scripts of the packs.
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}' => Wb::Letter,
        '\u{400}'..='\u{481}' | '\u{48A}'..='\u{52F}' => Wb::Letter,
        '\u{621}'..='\u{63F}' | '\u{641}'..='\u{64A}' => Wb::Letter,
        _ => return None,
    })
}

/// Word boundaries of `s` (UAX #29, as unicode-segmentation splits) for text made only of characters
/// [`wb_class`] knows, pushed to `out`; false, with `out` partly filled, when another character occurs.
/// The tables of the full algorithm cost more than the rest of tokenizing.
fn word_bounds<'a>(s: &'a str, out: &mut Vec<(usize, &'a str)>) -> bool {
    // One pass with a character of look-ahead: the rules need the classes of two characters before
    // a boundary and one after it.
    let mut chars = s.char_indices();
    let class = |next: Option<(usize, char)>| -> Option<Option<(usize, Wb)>> {
        match next {
            None => Some(None),
            Some((i, c)) => wb_class(c).map(|k| Some((i, k))),
        }
    };
    let Some(first) = class(chars.next()) else {
        return false;
    };
    let Some((_, mut prev)) = first else {
        return true;
    };
    let Some(mut here) = class(chars.next()) else {
        return false;
    };
    let mut before: Option<Wb> = None;
    let mut start = 0;
    while let Some((at, cur)) = here {
        let Some(next) = class(chars.next()) else {
            return false;
        };
        let after = next.map(|x| x.1);
        let mid_letter = |k: Wb| matches!(k, Wb::MidLetter | Wb::MidNumLet);
        let mid_num = |k: Wb| matches!(k, Wb::MidNum | Wb::MidNumLet);
        let join = match (prev, cur) {
            (Wb::Cr, Wb::Lf) => true,
            (Wb::Cr | Wb::Lf, _) | (_, Wb::Cr | Wb::Lf) => false,
            (Wb::Space, Wb::Space) => true,
            (Wb::Letter | Wb::Numeric, Wb::Letter | Wb::Numeric) => true,
            (Wb::Letter, k) if mid_letter(k) => after == Some(Wb::Letter),
            (k, Wb::Letter) if mid_letter(k) => before == Some(Wb::Letter),
            (Wb::Numeric, k) if mid_num(k) => after == Some(Wb::Numeric),
            (k, Wb::Numeric) if mid_num(k) => before == Some(Wb::Numeric),
            (Wb::Letter | Wb::Numeric | Wb::ExtendNumLet, Wb::ExtendNumLet) => true,
            (Wb::ExtendNumLet, Wb::Letter | Wb::Numeric) => true,
            _ => false,
        };
        if !join {
            out.push((start, s.get(start..at).unwrap_or("")));
            start = at;
        }
        before = Some(prev);
        prev = cur;
        here = next;
    }
    if start < s.len() {
        out.push((start, s.get(start..).unwrap_or("")));
    }
    true
}

fn split_sentences(norm: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in norm.split_inclusive('\n') {
        split_line(line, line_start, &mut out);
        line_start += line.len();
    }
    out
}

/// The longest sentence the rules read whole; news sentences stay far below.
const MAX_SENTENCE: usize = 4_000;

/// Sentence ends within one line: a full stop, question or exclamation mark (and any closing quotes or
/// brackets after it) followed by a space and something that can start a sentence. Rule-based rather than
/// UAX #29: several times faster, and it keeps "Mr. Biden", "U.S. forces" and "J. Kirby" whole.
fn split_line(line: &str, base: usize, out: &mut Vec<Range<usize>>) {
    let bytes = line.as_bytes();
    let mut start = 0;
    let push_one = |from: usize, to: usize, out: &mut Vec<Range<usize>>| {
        let piece = &line[from..to];
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            out.push(base + from + lead..base + from + lead + trimmed.len());
        }
    };
    // A run-on "sentence" (a list, a table flattened into one line) is cut into pieces of at most
    // MAX_SENTENCE bytes at a space: the rules read sentences whole, and this keeps their cost per
    // sentence bounded, so no text takes time growing faster than its length.
    let push = |mut from: usize, to: usize, out: &mut Vec<Range<usize>>| {
        while to - from > MAX_SENTENCE {
            let mut limit = from + MAX_SENTENCE;
            while !line.is_char_boundary(limit) {
                limit -= 1;
            }
            let cut = line[from..limit]
                .rfind(' ')
                .map(|i| from + i + 1)
                .filter(|&c| c > from + MAX_SENTENCE / 2)
                .unwrap_or(limit);
            push_one(from, cut, out);
            from = cut;
        }
        push_one(from, to, out);
    };
    for (i, &b) in bytes.iter().enumerate() {
        // Sentence-ending characters are ASCII or start with these bytes (U+061F, U+2026, U+3002).
        if !matches!(b, b'.' | b'!' | b'?' | 0xD8 | 0xE2 | 0xE3) {
            continue;
        }
        // `i < start`: punctuation already taken into the previous sentence ("?!", "..").
        let Some(c) = line.get(i..).and_then(|s| s.chars().next()) else {
            continue;
        };
        if i < start || !matches!(c, '.' | '!' | '?' | '\u{061F}' | '\u{2026}' | '\u{3002}') {
            continue;
        }
        let mut end = i + c.len_utf8();
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']' | b'.') {
            end += 1;
        }
        if end >= bytes.len() || bytes[end] != b' ' {
            continue;
        }
        let next = line[end..].trim_start().chars().next();
        let starts_sentence = next.is_some_and(|n| {
            n.is_uppercase()
                || n.is_numeric()
                || matches!(n, '"' | '\'' | '(' | '-')
                || (n.is_alphabetic() && !n.is_lowercase())
        });
        if !starts_sentence || (c == '.' && is_abbreviation(&line[start..i])) {
            continue;
        }
        push(start, end, out);
        start = end;
    }
    push(start, line.len(), out);
}

/// The word before a full stop is an abbreviation or an initial ("Mr", "Gen", "U.S", "J").
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let letters = word.chars().count();
    word.contains('.')
        || (letters > 0
            && letters <= 3
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().all(char::is_alphabetic))
}

/// Whether `c` is a letter: the scripts of the packs by their ranges, anything else by its Unicode
/// property (the property tables cost tens of instructions a character).
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' | '\u{D7}' | '\u{F7}' => false,
        '\u{C0}'..='\u{24F}' => true,
        '\u{410}'..='\u{44F}' => true,
        '\u{621}'..='\u{63A}' | '\u{641}'..='\u{64A}' => true,
        _ => c.is_alphabetic(),
    }
}

/// Appends `s` lowercased to `out`, as `str::to_lowercase` would, with the common cases (ASCII, basic
/// Cyrillic, Latin-1, caseless Arabic) done without the case tables, and runs that need no change copied
/// whole.
pub fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        let from = out.len();
        out.push_str(s);
        out[from..].make_ascii_lowercase();
        return;
    }
    // Final sigma depends on context: leave Greek to the standard library.
    if s.contains('Σ') {
        out.push_str(&s.to_lowercase());
        return;
    }
    let bytes = s.as_bytes();
    let mut kept = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_uppercase() {
                out.push_str(&s[kept..i]);
                out.push(char::from(b.to_ascii_lowercase()));
                kept = i + 1;
            }
            i += 1;
            continue;
        }
        // Two-byte letters of Latin-1, Cyrillic and Arabic by their bytes, without decoding.
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let keep = match b {
            0xC3 => !(0x80..=0x9E).contains(&next) || next == 0x97,
            0xD0 => (0xB0..=0xBF).contains(&next),
            0xD1 => (0x80..=0x9F).contains(&next),
            0xD8..=0xDB => true,
            _ => false,
        };
        if keep {
            i += 2;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let len = c.len_utf8();
        out.push_str(&s[kept..i]);
        match c {
            '\u{410}'..='\u{42F}' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => {
                out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
            }
            '\u{400}'..='\u{40F}' => out.push(char::from_u32(c as u32 + 0x50).unwrap_or(c)),
            _ => out.extend(c.to_lowercase()),
        }
        kept = i + len;
        i += len;
    }
    out.push_str(&s[kept..]);
}

/// Letters of the packs' scripts that the normalized view keeps as they are: not folded by
/// [`fold_char`], not combining marks, and unchanged by NFC when no mark follows.
fn is_plain(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{24F}'
        | '\u{400}'..='\u{482}'
        | '\u{48A}'..='\u{52F}'
        | '\u{621}'
        | '\u{624}'
        | '\u{626}'..='\u{63A}'
        | '\u{641}'..='\u{648}'
        | '\u{64A}')
        && c != '\u{D7}'
        && c != '\u{F7}'
}

/// One character's replacement in the normalized view.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`'
        | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => ' ',
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}' => return None,
        // Arabic: tatweel and short-vowel marks carry no meaning for matching.
        '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}' => return None,
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => '\u{0627}',
        '\u{0649}' => '\u{064A}',
        '\u{066C}' => ',',
        '\u{060C}' => ',',
        '\u{061B}' => ';',
        '\u{061F}' => '?',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        '\r' => ' ',
        _ => c,
    })
}

/// The normalized view of `text` alone, without the map back to it or the sentences: what language
/// detection reads, which reports no offsets.
pub fn normalized(text: &str, blank: &[Range<usize>]) -> String {
    normalize(text, blank, false).0
}

fn normalize(text: &str, blank: &[Range<usize>], with_map: bool) -> (String, Option<Vec<u32>>) {
    let bytes = text.as_bytes();
    let mut norm = String::with_capacity(text.len());
    // None while `norm` is still `text` byte for byte (the map would be the identity): most articles in
    // Latin script never change, and then no map is built at all.
    let mut map: Option<Vec<u32>> = None;
    let mut unit = String::new();
    let mut blank_iter = blank.iter().peekable();
    let mut at = 0;
    while at < bytes.len() {
        while blank_iter.peek().is_some_and(|r| r.end <= at) {
            blank_iter.next();
        }
        let blanked = blank_iter.peek().is_some_and(|r| r.start <= at);
        if !blanked {
            // A run of characters the view keeps as they are (see [`is_plain`]) is copied as is. Its
            // last character stays out when a non-ASCII one follows, which may be a combining mark to
            // compose with it.
            let limit = blank_iter
                .peek()
                .map_or(bytes.len(), |r| r.start.min(bytes.len()));
            let mut end = at;
            let mut last = at;
            // Whole blocks of plain ASCII first: most of a Latin-script article.
            while end + 64 <= limit {
                let block = &bytes[end..end + 64];
                if !block.is_ascii() || block.iter().any(|&b| matches!(b, b'\t' | b'\r' | b'`')) {
                    break;
                }
                end += 64;
                last = end - 1;
            }
            while end < limit {
                let b = bytes[end];
                let len = if b.is_ascii() {
                    if matches!(b, b'\t' | b'\r' | b'`') {
                        break;
                    }
                    1
                } else {
                    match text.get(end..).and_then(|s| s.chars().next()) {
                        Some(c) if is_plain(c) => c.len_utf8(),
                        _ => break,
                    }
                };
                last = end;
                end += len;
            }
            if end < bytes.len() && !bytes[end].is_ascii() && end > at {
                end = last;
            }
            if end > at {
                norm.push_str(&text[at..end]);
                if let Some(map) = &mut map {
                    map.extend((at..end).map(|i| i as u32));
                }
                at = end;
                continue;
            }
        }
        let Some(c) = text.get(at..).and_then(|s| s.chars().next()) else {
            break;
        };
        let i = at;
        at += c.len_utf8();
        let before = norm.len();
        if blanked && c != '\n' {
            norm.push(' ');
        } else {
            // Gather a base character and the combining marks after it, so NFC can compose them.
            unit.clear();
            unit.push(c);
            while let Some(m) = text.get(at..).and_then(|s| s.chars().next()) {
                // Most characters after a letter are plainly not marks; the table lookup is costly.
                let plain = m < '\u{300}'
                    || ('\u{400}'..='\u{482}').contains(&m)
                    || ('\u{48A}'..='\u{52F}').contains(&m)
                    || ('\u{621}'..='\u{64A}').contains(&m);
                if !plain
                    && unicode_normalization::char::is_combining_mark(m)
                    && !('\u{064B}'..='\u{0652}').contains(&m)
                {
                    unit.push(m);
                    at += m.len_utf8();
                } else {
                    break;
                }
            }
            if unit.len() == c.len_utf8() {
                norm.extend(fold_char(c));
            } else {
                norm.extend(unit.nfc().filter_map(fold_char));
            }
        }
        match &mut map {
            Some(map) => map.extend(std::iter::repeat_n(i as u32, norm.len() - before)),
            None if !with_map || norm.as_bytes()[before..] == bytes[i..at] => {}
            None => {
                // The first change: everything before it maps to itself.
                let mut m: Vec<u32> = Vec::with_capacity(text.len() + 1);
                m.extend((0..before).map(|j| j as u32));
                m.extend(std::iter::repeat_n(i as u32, norm.len() - before));
                map = Some(m);
            }
        }
    }
    if let Some(map) = &mut map {
        map.push(text.len() as u32);
    }
    (norm, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_keeps_offsets() {
        for s in [
            "Привет, ЁЛКА и Ђорђе",
            "ÀÉÎÕÜ Þ ß ÿ × Ÿ Œ",
            "مرحبا بالعالم",
            "İstanbul ẞ Ⱥ",
            "ΣΊΣΥΦΟΣ",
            "plain ASCII",
        ] {
            let reference: String = s
                .chars()
                .map(|c| {
                    let mut l = c.to_lowercase();
                    match (l.next(), l.next()) {
                        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                        _ => c,
                    }
                })
                .collect();
            let (low, exact) = lowercase(s);
            assert_eq!(low, reference, "{s}");
            assert!(!exact || low == s.to_lowercase(), "{s}");
        }
        assert!(lowercase("Привет, ЁЛКА и Ђорђе ÀÉ").1);
        assert!(!lowercase("İstanbul").1);
    }

    #[test]
    fn quotes_and_offsets() {
        let text = "He said \u{201C}seven\u{201D} were killed \u{2013} at least.".to_string();
        let doc = Document::new(text.clone(), &[]);
        assert_eq!(doc.norm, "He said \"seven\" were killed - at least.");
        let at = doc.norm.find("killed").unwrap();
        let r = doc.source_range(at..at + 6);
        assert_eq!(&text[r], "killed");
        let dash = doc.norm.find('-').unwrap();
        assert_eq!(doc.source_text(dash..dash + 1), "\u{2013}");
    }

    #[test]
    fn composed_after_ascii_runs() {
        // "e" + combining acute after a plain run, a tab, and a change only at the very end.
        let text = "Cafe\u{301} in\tSe\u{301}vres, x\u{2019}".to_string();
        let doc = Document::new(text.clone(), &[]);
        assert_eq!(doc.norm, "Café in Sévres, x'");
        let at = doc.norm.find("Sévres").unwrap();
        assert_eq!(doc.source_text(at..at + "Sévres".len()), "Se\u{301}vres");
        let cafe = doc.norm.find("Café").unwrap();
        assert_eq!(doc.source_text(cafe..cafe + "Café".len()), "Cafe\u{301}");
        let q = doc.norm.find('\'').unwrap();
        assert_eq!(doc.source_text(q..q + 1), "\u{2019}");
        let same = Document::new("Plain ASCII, nothing to fold.".to_string(), &[]);
        assert!(same.map.is_none());
        assert_eq!(same.source_text(0..5), "Plain");
    }

    #[test]
    fn fast_word_bounds_agree_with_unicode_segmentation() {
        let texts = [
            "U.S. forces don't say: 2,500 or 3.5% of_them (A4, 3rd) e.g. x:y",
            "Au moins 12 morts à Ménaka, l'armée a dit; c'est-à-dire «rien».",
            "По меньшей мере 7 человек погибли в Харькове.\r\nВторая строка",
            "قتل 7 اشخاص في حلب، بحسب المرصد",
            "a.b a..b 1.2.3 1,,2 a'b' 'a _a_ 1_ a_1 ::  \n\n x",
            "ñandú Ærø ŁódŹ ǅ 9a a9 .5 5. ,",
        ];
        for text in texts {
            let mut fast = Vec::new();
            let known = word_bounds(text, &mut fast);
            let slow: Vec<_> = text.split_word_bound_indices().collect();
            if known {
                assert_eq!(fast, slow, "{text}");
            }
        }
        assert!(word_bounds(
            &texts[1].replace(['«', '»'], "\""),
            &mut Vec::new()
        ));
        assert!(!word_bounds("price €5", &mut Vec::new()));
    }

    proptest::proptest! {
        #[test]
        fn fast_word_bounds_agree_on_any_mix(text in "[a-zA-Z0-9:,;.'_ \r\n!\"()%éÀŁжЖقل-]{0,40}") {
            let mut fast = Vec::new();
            proptest::prop_assert!(word_bounds(&text, &mut fast));
            let slow: Vec<_> = text.split_word_bound_indices().collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn arabic_digits_and_marks() {
        let text = "قُتِلَ ٧ أشخاص".to_string();
        let doc = Document::new(text.clone(), &[]);
        assert_eq!(doc.norm, "قتل 7 اشخاص");
        let at = doc.norm.find('7').unwrap();
        assert_eq!(doc.source_text(at..at + 1), "٧");
        let w = doc.norm.find("اشخاص").unwrap();
        assert_eq!(doc.source_text(w..doc.norm.len()), "أشخاص");
    }

    #[test]
    fn blanked_lines_keep_length_of_lines() {
        let text = "Title\n[ad_1]\nBody text.".to_string();
        let blank = [Range { start: 6, end: 12 }];
        let doc = Document::new(text.clone(), &blank);
        assert_eq!(doc.norm, "Title\n      \nBody text.");
        assert_eq!(doc.sentences.len(), 2);
    }

    #[test]
    fn thousands_with_space() {
        let toks = tokenize("about 2 500 soldiers and 2,500 more", 0..35);
        let nums: Vec<_> = toks
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.text)
            .collect();
        assert_eq!(nums, vec!["2 500", "2,500"]);
    }

    #[test]
    fn sentences() {
        let doc = Document::new(
            "Headline here\nMr. Biden met U.S. forces. Seven died!? \"Why?\" he asked. It was 3.5 km away. J. Kirby said so."
                .to_string(),
            &[],
        );
        let got: Vec<&str> = doc.sentences.iter().map(|r| &doc.norm[r.clone()]).collect();
        assert_eq!(
            got,
            [
                "Headline here",
                "Mr. Biden met U.S. forces.",
                "Seven died!?",
                "\"Why?\" he asked.",
                "It was 3.5 km away.",
                "J. Kirby said so."
            ]
        );
    }

    #[test]
    fn combining_marks_compose() {
        let text = "Re\u{301}sume\u{301}".to_string();
        let doc = Document::new(text.clone(), &[]);
        assert_eq!(doc.norm, "Résumé");
        assert_eq!(doc.source_text(0..doc.norm.len()), text);
    }

    #[test]
    fn letters_and_lowercase_agree_with_the_standard_library() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            let mut out = String::from("x");
            push_lowercase(&mut out, &c.to_string());
            assert_eq!(out[1..], c.to_lowercase().collect::<String>(), "{c:?}");
        }
        for s in [
            "ΟΔΥΣΣΕΥΣ Σ",
            "Донецкой ОБЛАСТИ",
            "İstanbul ÉTÉ",
            "الحشد الشعبي",
            "ÀÉÎ öü ß",
        ] {
            let mut out = String::new();
            push_lowercase(&mut out, s);
            assert_eq!(out, s.to_lowercase());
        }
    }

    #[test]
    fn plain_characters_are_kept_by_the_view() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
        {
            assert_eq!(fold_char(c), Some(c), "{c:?}");
            assert!(!unicode_normalization::char::is_combining_mark(c), "{c:?}");
            let s = c.to_string();
            assert_eq!(s.nfc().collect::<String>(), s, "{c:?}");
        }
    }
}
