//! Word lists as the packs write them, matched token by token against a sentence.
//!
//! An entry is a stem ("fighter" matches "fighters"), an exact word ("die$"), or a phrase of such words
//! ("lost their lives"), each word split the way the text is tokenized ("quatre-vingt" is three tokens).
//! Entries are indexed by their first stem in a byte trie, so matching a token costs one step per byte
//! of the token instead of one comparison per entry.

use crate::text::{TokenKind, tokenize};

/// One word of an entry.
#[derive(Debug, Clone)]
struct Part {
    text: Box<str>,
    exact: bool,
}

/// A node of the trie of first words: its children by next byte (sorted), and the entries whose
/// first word ends here.
#[derive(Debug, Clone, Default)]
struct Node {
    next: Vec<(u8, u32)>,
    ids: Vec<usize>,
}

/// A compiled word list whose entries carry a tag `T`.
#[derive(Debug, Clone)]
pub struct Lexicon<T> {
    /// Entries by their first word, as a byte trie rooted at node 0: a token's prefixes are walked
    /// byte by byte, and the walk ends where no first word goes on.
    trie: Vec<Node>,
    /// The root's children by first byte (0: none), looked up directly: every token starts there.
    root: Vec<u32>,
    entries: Vec<(Vec<Part>, T)>,
    /// Some entry's first word is a stem (else only whole tokens are looked up).
    stems: bool,
}

impl<T> Default for Lexicon<T> {
    fn default() -> Self {
        Lexicon {
            trie: vec![Node::default()],
            root: vec![0; 256],
            entries: Vec::new(),
            stems: false,
        }
    }
}

/// A match: the tag, the token just past the match, and the prefix stripped from its first token.
#[derive(Debug)]
pub struct Hit<'a, T> {
    /// The entry's tag.
    pub tag: &'a T,
    /// Index of the token just past the match.
    pub end: usize,
    /// The letters stripped from the front of the first token (Arabic و), if any.
    pub prefix: Option<&'a str>,
}

impl<T> Clone for Hit<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Hit<'_, T> {}

impl<T> Lexicon<T> {
    /// Adds an entry. `all_exact` makes every word exact (number words); otherwise words are stems and a
    /// trailing `$` makes one exact. A `*` word after the first stands for any one token. Empty entries
    /// are ignored.
    pub fn add(&mut self, entry: &str, tag: T, all_exact: bool) {
        let mut parts = Vec::new();
        for word in entry.split_whitespace() {
            let (word, exact) = match word.strip_suffix('$') {
                Some(w) if !w.is_empty() => (w, true),
                _ => (word, all_exact),
            };
            let lower = word.to_lowercase();
            let mut toks = tokenize(&lower, 0..lower.len());
            // An elided article ("d'", "l'") is one token in the text (see `split_elisions`).
            if toks.len() == 2
                && toks.get(1).is_some_and(|t| t.text == "'")
                && let Some(t0) = toks.first().copied()
            {
                toks = vec![crate::text::Token {
                    text: &lower,
                    start: t0.start,
                    end: lower.len(),
                    kind: TokenKind::Word,
                }];
            }
            let n = toks.len();
            for (k, t) in toks.iter().enumerate() {
                parts.push(Part {
                    text: t.text.into(),
                    // Inner pieces of a split word ("quatre" in "quatre-vingt") are whole tokens.
                    exact: exact || k + 1 < n || t.kind == TokenKind::Punct,
                });
            }
        }
        let Some(head) = parts.first() else {
            return;
        };
        let key = head.text.clone();
        self.stems |= !head.exact;
        self.entries.push((parts, tag));
        let id = self.entries.len() - 1;
        let mut at = 0usize;
        for &b in key.as_bytes() {
            at = self.child_or_new(at, b);
        }
        if let Some(node) = self.trie.get_mut(at) {
            node.ids.push(id);
        }
    }

    /// The child of trie node `at` by byte `b`, made if missing.
    fn child_or_new(&mut self, at: usize, b: u8) -> usize {
        let fresh = self.trie.len();
        let Some(node) = self.trie.get_mut(at) else {
            return at;
        };
        match node.next.binary_search_by_key(&b, |&(x, _)| x) {
            Ok(k) => node.next.get(k).map_or(at, |&(_, c)| c as usize),
            Err(k) => {
                node.next.insert(k, (b, fresh as u32));
                self.trie.push(Node::default());
                if at == 0
                    && let Some(r) = self.root.get_mut(usize::from(b))
                {
                    *r = fresh as u32;
                }
                fresh
            }
        }
    }

    /// The first word of every entry, with its tag: a token that matches an entry holds it.
    pub fn heads(&self) -> impl Iterator<Item = (&str, &T)> {
        self.entries
            .iter()
            .filter_map(|(parts, tag)| parts.first().map(|p| (&*p.text, tag)))
    }

    /// True when the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry that matches at token `i` of `lx` (lowercased token texts), longest first.
    pub fn matches_at<'a>(
        &'a self,
        lx: &[&str],
        i: usize,
        prefixes: &'a [String],
        out: &mut Vec<Hit<'a, T>>,
    ) {
        out.clear();
        let Some(tok) = lx.get(i) else {
            return;
        };
        self.match_variant(lx, i, tok, None, prefixes, out);
        for p in prefixes {
            if let Some(rest) = tok.strip_prefix(p.as_str())
                && !rest.is_empty()
            {
                self.match_variant(lx, i, rest, Some(p.as_str()), prefixes, out);
            }
        }
        out.sort_by_key(|h| std::cmp::Reverse(h.end));
    }

    /// The longest match at token `i`, if any.
    pub fn longest_at<'a>(
        &'a self,
        lx: &[&str],
        i: usize,
        prefixes: &'a [String],
        buf: &mut Vec<Hit<'a, T>>,
    ) -> Option<Hit<'a, T>> {
        self.matches_at(lx, i, prefixes, buf);
        buf.first().copied()
    }

    fn match_variant<'a>(
        &'a self,
        lx: &[&str],
        i: usize,
        tok: &str,
        prefix: Option<&'a str>,
        prefixes: &[String],
        out: &mut Vec<Hit<'a, T>>,
    ) {
        // Prefixes at char boundaries after the first char (stems), then the whole token, in order
        // of length: the trie walk meets them in that order.
        let bytes = tok.as_bytes();
        let mut at = 0usize;
        for (pos, &b) in bytes.iter().enumerate() {
            if pos == 0 {
                match self.root.get(usize::from(b)) {
                    Some(&c) if c != 0 => at = c as usize,
                    _ => return,
                }
            } else {
                let Some(node) = self.trie.get(at) else {
                    return;
                };
                let Ok(c) = node.next.binary_search_by_key(&b, |&(x, _)| x) else {
                    return;
                };
                at = node.next.get(c).map_or(0, |&(_, n)| n as usize);
            }
            let l = pos + 1;
            let whole = l == tok.len();
            if !(whole || (self.stems && tok.is_char_boundary(l))) {
                continue;
            }
            let Some(ids) = self.trie.get(at).map(|n| &n.ids) else {
                return;
            };
            for &id in ids {
                let Some((parts, tag)) = self.entries.get(id) else {
                    continue;
                };
                if parts.first().is_some_and(|p| p.exact && l != tok.len()) {
                    continue;
                }
                let mut ok = true;
                for (k, part) in parts.iter().enumerate().skip(1) {
                    if !lx
                        .get(i + k)
                        .is_some_and(|t| part_matches(part, t, prefixes))
                    {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    out.push(Hit {
                        tag,
                        end: i + parts.len(),
                        prefix,
                    });
                }
            }
        }
    }
}

fn part_matches(part: &Part, tok: &str, prefixes: &[String]) -> bool {
    // "*" inside a phrase stands for any one token ("لم تسفر * عن اصابات").
    if &*part.text == "*" {
        return true;
    }
    let one = |t: &str| {
        if part.exact {
            t == &*part.text
        } else {
            t.starts_with(&*part.text)
        }
    };
    one(tok)
        || prefixes.iter().any(|p| {
            tok.strip_prefix(p.as_str())
                .is_some_and(|r| !r.is_empty() && one(r))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_phrases_and_exact() {
        let mut lx = Lexicon::default();
        lx.add("fighter", 1, false);
        lx.add("die$", 2, false);
        lx.add("lost their lives", 3, false);
        lx.add("quatre-vingt", 4, true);
        lx.add("no * killed", 5, false);
        let toks = [
            "fighters", "die", "diesel", "lost", "their", "lives", "quatre", "-", "vingt",
        ];
        let mut buf = Vec::new();
        let tag = |i: usize, buf: &mut Vec<_>| lx.longest_at(&toks, i, &[], buf).map(|h| *h.tag);
        assert_eq!(tag(0, &mut buf), Some(1));
        assert_eq!(tag(1, &mut buf), Some(2));
        assert_eq!(tag(2, &mut buf), None);
        assert_eq!(tag(3, &mut buf), Some(3));
        assert_eq!(tag(6, &mut buf), Some(4));
        let toks2 = ["no", "civilians", "killed"];
        assert_eq!(
            lx.longest_at(&toks2, 0, &[], &mut buf).map(|h| *h.tag),
            Some(5)
        );
    }

    #[test]
    fn prefixes_are_stripped() {
        let mut lx = Lexicon::default();
        lx.add("قتل", 1, false);
        let pre = vec!["و".to_string()];
        let mut buf = Vec::new();
        let hit = lx.longest_at(&["وقتل"], 0, &pre, &mut buf);
        assert_eq!(hit.map(|h| (*h.tag, h.prefix)), Some((1, Some("و"))));
    }
}
