//! Scoring extraction against gold annotations (`newsx eval`), in the format of `fixtures/gold/*.jsonl`
//! (see GOLD.md): per-field precision, recall and F1, overall and per language.
//!
//! Figures are scored as sets per article (micro-averaged over articles). Names match when any spelling of
//! an extracted entity (its name or an alias) equals any `|`-separated alternative of a gold name, compared
//! case- and accent-insensitively. Leaks count gold background figures and not-casualty numbers that were
//! emitted as main figures.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::record::{EntityType, Record};

/// One gold annotation line.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// Article id (file stem).
    pub id: String,
    /// ISO 639-1 language code.
    #[serde(default)]
    pub lang: Option<String>,
    /// Publication date stated by the text.
    #[serde(default)]
    pub published: Option<String>,
    /// Day of the main event, when a reader can tell (optional: absent means not scored).
    #[serde(default, deserialize_with = "present")]
    pub event_date: Option<Option<String>>,
    /// Main event type slug.
    #[serde(default)]
    pub event_type: Option<String>,
    /// Countries of the main event.
    #[serde(default)]
    pub countries: Option<Vec<String>>,
    /// Main-event killed figures.
    #[serde(default)]
    pub killed: Option<Vec<u64>>,
    /// Largest killed figure.
    #[serde(default)]
    pub killed_max: Option<u64>,
    /// Main-event wounded figures.
    #[serde(default)]
    pub wounded: Option<Vec<u64>>,
    /// Largest wounded figure.
    #[serde(default)]
    pub wounded_max: Option<u64>,
    /// Killed figures of other events.
    #[serde(default)]
    pub background_killed: Vec<u64>,
    /// Numbers near casualty words that are not casualties.
    #[serde(default)]
    pub not_casualties: Vec<u64>,
    /// Person names (alternatives separated by `|`).
    #[serde(default)]
    pub persons: Option<Vec<String>>,
    /// Organization names.
    #[serde(default)]
    pub organizations: Option<Vec<String>>,
    /// Location names.
    #[serde(default)]
    pub locations: Option<Vec<String>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// True/false positives and false negatives of a set-valued field.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    /// Predicted and in gold.
    pub tp: usize,
    /// Predicted, not in gold.
    pub fp: usize,
    /// In gold, not predicted.
    pub fn_: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// Precision (1 when nothing was predicted and nothing expected).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Right answers out of scored articles.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Accuracy {
    /// Articles where the answer matched gold.
    pub right: usize,
    /// Articles scored.
    pub total: usize,
}

impl Accuracy {
    fn add(&mut self, right: bool) {
        self.right += usize::from(right);
        self.total += 1;
    }

    fn merge(&mut self, other: Accuracy) {
        self.right += other.right;
        self.total += other.total;
    }

    /// Share right.
    pub fn value(&self) -> f64 {
        ratio(self.right, self.total)
    }
}

/// Scores of one group of articles (all, or one language).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Scores {
    /// Articles scored.
    pub articles: usize,
    /// Language code.
    pub language: Accuracy,
    /// Publication date.
    pub published: Accuracy,
    /// Event date (where gold gives one).
    pub event_date: Accuracy,
    /// Event type.
    pub event_type: Accuracy,
    /// Event countries as sets.
    pub countries: Counts,
    /// Main killed figures as sets.
    pub killed: Counts,
    /// Largest killed figure.
    pub killed_max: Accuracy,
    /// Main wounded figures as sets.
    pub wounded: Counts,
    /// Largest wounded figure.
    pub wounded_max: Accuracy,
    /// Gold background figures emitted as main killed figures.
    pub background_leaks: usize,
    /// Gold not-casualty numbers emitted as main figures.
    pub not_casualty_leaks: usize,
    /// Person names.
    pub persons: Counts,
    /// Organization names.
    pub organizations: Counts,
    /// Location names.
    pub locations: Counts,
}

impl Scores {
    fn merge(&mut self, o: &Scores) {
        self.articles += o.articles;
        self.language.merge(o.language);
        self.published.merge(o.published);
        self.event_date.merge(o.event_date);
        self.event_type.merge(o.event_type);
        self.countries.add(o.countries);
        self.killed.add(o.killed);
        self.killed_max.merge(o.killed_max);
        self.wounded.add(o.wounded);
        self.wounded_max.merge(o.wounded_max);
        self.background_leaks += o.background_leaks;
        self.not_casualty_leaks += o.not_casualty_leaks;
        self.persons.add(o.persons);
        self.organizations.add(o.organizations);
        self.locations.add(o.locations);
    }
}

/// Scores overall and per language, plus what could not be paired.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// All scored articles.
    pub overall: Scores,
    /// Per gold language.
    pub languages: BTreeMap<String, Scores>,
    /// Per-article differences worth a look (figures and types that disagree).
    pub differences: Vec<String>,
}

fn set_counts<T: Ord + Clone>(pred: &BTreeSet<T>, gold: &BTreeSet<T>) -> Counts {
    let tp = pred.intersection(gold).count();
    Counts {
        tp,
        fp: pred.len() - tp,
        fn_: gold.len() - tp,
    }
}

/// Case-, accent- and punctuation-insensitive form of a name.
fn fold(name: &str) -> String {
    name.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn name_counts(record: &Record, kind: EntityType, gold: &[String]) -> Counts {
    let gold: Vec<BTreeSet<String>> = gold
        .iter()
        .map(|g| g.split('|').map(fold).collect())
        .collect();
    let predicted: Vec<BTreeSet<String>> = record
        .entities
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .map(|n| fold(n))
                .collect()
        })
        .collect();
    let mut matched_gold = vec![false; gold.len()];
    let mut c = Counts::default();
    for p in &predicted {
        match gold.iter().position(|g| !g.is_disjoint(p)) {
            Some(i) => {
                if !matched_gold[i] {
                    matched_gold[i] = true;
                    c.tp += 1;
                }
            }
            None => c.fp += 1,
        }
    }
    c.fn_ = matched_gold.iter().filter(|m| !**m).count();
    c
}

/// Accumulates scores article by article.
#[derive(Debug, Default)]
pub struct Scorer {
    report: Report,
}

impl Scorer {
    /// A scorer with nothing scored.
    pub fn new() -> Scorer {
        Scorer::default()
    }

    /// Scores one record against its gold line.
    pub fn add(&mut self, gold: &Gold, rec: &Record) {
        let mut s = Scores {
            articles: 1,
            ..Scores::default()
        };
        let diffs = &mut self.report.differences;
        if let Some(lang) = &gold.lang {
            s.language.add(rec.language.code.as_deref() == Some(lang));
        }
        s.published.add(rec.published == gold.published);
        if let Some(date) = &gold.event_date {
            s.event_date.add(rec.event.date == *date);
        }
        if let Some(t) = &gold.event_type {
            let right = &rec.event.kind == t;
            if !right {
                diffs.push(format!(
                    "{}: event_type {} (gold {t})",
                    rec.id, rec.event.kind
                ));
            }
            s.event_type.add(right);
        }
        if let Some(c) = &gold.countries {
            let pred: BTreeSet<String> = rec.event.countries.iter().cloned().collect();
            s.countries = set_counts(&pred, &c.iter().cloned().collect());
        }
        let main = |kind: &Option<crate::record::Tally>| -> BTreeSet<u64> {
            kind.as_ref()
                .map(|t| t.figures.iter().copied().collect())
                .unwrap_or_default()
        };
        let killed = main(&rec.casualties.killed);
        let wounded = main(&rec.casualties.wounded);
        if let Some(g) = &gold.killed {
            let g: BTreeSet<u64> = g.iter().copied().collect();
            s.killed = set_counts(&killed, &g);
            if killed != g {
                diffs.push(format!("{}: killed {killed:?} (gold {g:?})", rec.id));
            }
            let max = rec.casualties.killed.as_ref().map(|t| t.max);
            s.killed_max
                .add(max == gold.killed_max.or_else(|| g.iter().max().copied()));
            let gold_main: BTreeSet<u64> = g
                .union(&gold.wounded.iter().flatten().copied().collect())
                .copied()
                .collect();
            s.background_leaks = gold
                .background_killed
                .iter()
                .filter(|f| killed.contains(f) && !gold_main.contains(f))
                .count();
            s.not_casualty_leaks = gold
                .not_casualties
                .iter()
                .filter(|f| (killed.contains(f) || wounded.contains(f)) && !gold_main.contains(f))
                .count();
        }
        if let Some(g) = &gold.wounded {
            let g: BTreeSet<u64> = g.iter().copied().collect();
            s.wounded = set_counts(&wounded, &g);
            if wounded != g {
                diffs.push(format!("{}: wounded {wounded:?} (gold {g:?})", rec.id));
            }
            let max = rec.casualties.wounded.as_ref().map(|t| t.max);
            s.wounded_max
                .add(max == gold.wounded_max.or_else(|| g.iter().max().copied()));
        }
        if let Some(g) = &gold.persons {
            s.persons = name_counts(rec, EntityType::Person, g);
        }
        if let Some(g) = &gold.organizations {
            s.organizations = name_counts(rec, EntityType::Organization, g);
        }
        if let Some(g) = &gold.locations {
            s.locations = name_counts(rec, EntityType::Location, g);
        }
        let lang = gold.lang.clone().unwrap_or_else(|| "?".to_string());
        self.report.languages.entry(lang).or_default().merge(&s);
        self.report.overall.merge(&s);
    }

    /// The report so far.
    pub fn report(&self) -> &Report {
        &self.report
    }
}

/// How one table row renders a group's scores.
type Cell<'a> = Box<dyn Fn(&Scores) -> String + 'a>;

impl Report {
    /// The report as an aligned text table: one row per field, a column per group.
    pub fn table(&self) -> String {
        let mut groups: Vec<(&str, &Scores)> = vec![("all", &self.overall)];
        groups.extend(self.languages.iter().map(|(k, v)| (k.as_str(), v)));
        let mut out = String::new();
        let _ = write!(out, "{:<26}", "field");
        for (name, s) in &groups {
            let _ = write!(out, "{:>22}", format!("{name} ({})", s.articles));
        }
        out.push('\n');
        let prf = |c: &Counts| {
            format!(
                "P {:.2} R {:.2} F1 {:.2}",
                c.precision(),
                c.recall(),
                c.f1()
            )
        };
        let acc = |a: &Accuracy| format!("{}/{} {:.2}", a.right, a.total, a.value());
        let rows: Vec<(&str, Cell<'_>)> = vec![
            ("language", Box::new(move |s: &Scores| acc(&s.language))),
            ("published", Box::new(move |s: &Scores| acc(&s.published))),
            ("event_date", Box::new(move |s: &Scores| acc(&s.event_date))),
            ("event_type", Box::new(move |s: &Scores| acc(&s.event_type))),
            ("countries", Box::new(move |s: &Scores| prf(&s.countries))),
            ("killed figures", Box::new(move |s: &Scores| prf(&s.killed))),
            ("killed_max", Box::new(move |s: &Scores| acc(&s.killed_max))),
            (
                "wounded figures",
                Box::new(move |s: &Scores| prf(&s.wounded)),
            ),
            (
                "wounded_max",
                Box::new(move |s: &Scores| acc(&s.wounded_max)),
            ),
            (
                "background leaks",
                Box::new(|s: &Scores| s.background_leaks.to_string()),
            ),
            (
                "not-casualty leaks",
                Box::new(|s: &Scores| s.not_casualty_leaks.to_string()),
            ),
            ("persons", Box::new(move |s: &Scores| prf(&s.persons))),
            (
                "organizations",
                Box::new(move |s: &Scores| prf(&s.organizations)),
            ),
            ("locations", Box::new(move |s: &Scores| prf(&s.locations))),
        ];
        for (name, cell) in rows {
            let _ = write!(out, "{name:<26}");
            for (_, s) in &groups {
                let _ = write!(out, "{:>22}", cell(s));
            }
            out.push('\n');
        }
        if !self.differences.is_empty() {
            out.push_str("\ndifferences:\n");
            for d in &self.differences {
                let _ = writeln!(out, "  {d}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Quai d’Orsay"), fold("quai d'orsay"));
        assert_eq!(fold("Al-Qaïm"), "al qaim");
    }

    #[test]
    fn counts() {
        let a: BTreeSet<u64> = [4, 7, 9].into();
        let b: BTreeSet<u64> = [4, 7, 1].into();
        let c = set_counts(&a, &b);
        assert_eq!((c.tp, c.fp, c.fn_), (2, 1, 1));
        assert!((c.f1() - 2.0 / 3.0).abs() < 1e-9);
    }
}
