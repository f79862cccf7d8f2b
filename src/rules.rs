//! Per-language rule packs: data files under `rules/`, one per language, embedded in the binary.
//!
//! A pack is TOML so that every rule can carry a comment saying why it is there. Each extraction stage owns
//! one section of the file (`[numbers]`, `[casualty]`, `[dates]`, `[events]`, `[entities]`,
//! `[boilerplate]`) and its own types for it; this module only loads the files and hands each section to
//! its stage to compile, once, at start-up. Adding a language is adding a file to [`PACK_FILES`] and its
//! tests.

use serde::Deserialize;

use crate::error::Error;
use crate::extract::{casualty, date, entity, event, numbers};

/// The embedded rule files, sorted by ISO 639-3 code (whatlang's codes).
pub const PACK_FILES: &[(&str, &str)] = &[
    ("ara", include_str!("../rules/ara.toml")),
    ("deu", include_str!("../rules/deu.toml")),
    ("eng", include_str!("../rules/eng.toml")),
    ("fra", include_str!("../rules/fra.toml")),
    ("ita", include_str!("../rules/ita.toml")),
    ("por", include_str!("../rules/por.toml")),
    ("rus", include_str!("../rules/rus.toml")),
    ("spa", include_str!("../rules/spa.toml")),
];

/// Who a pack is for.
#[derive(Debug, Clone, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639-1 code ("en").
    pub code: String,
    /// ISO 639-3 code, as whatlang names languages ("eng").
    pub iso639_3: String,
    /// English name of the language.
    pub name: String,
    /// Writing system, as whatlang names it ("Latin", "Arabic", "Cyrillic").
    pub script: String,
    /// Frequent function words, lowercase: they break ties when statistical detection is unsure.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Letters only this language writes among the languages of its script that detection weighs
    /// (Russian ы, э, ё: not Bulgarian, Ukrainian, Serbian or Macedonian; Belarusian, which has them,
    /// shows its own і and ў). On short text whatlang is unsure of, one of them decides.
    #[serde(default)]
    pub letters: Vec<String>,
}

/// Lines of scraped pages that are not the article (ads, paywall notes, "Read also…").
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoilerplateRules {
    /// Regexes matched against a whole trimmed line, both lowercased (so patterns ignore case).
    #[serde(default)]
    pub lines: Vec<String>,
}

/// A rule file as written.
#[derive(Debug, Clone, Deserialize)]
pub struct RawPack {
    /// Language the pack is for.
    pub language: LanguageInfo,
    /// Boilerplate line patterns.
    #[serde(default)]
    pub boilerplate: BoilerplateRules,
    /// Number words and number syntax.
    #[serde(default)]
    pub numbers: numbers::NumberRules,
    /// Casualty cues, qualifiers, scope and attribution.
    #[serde(default)]
    pub casualty: casualty::CasualtyRules,
    /// Month and weekday names, date formats, relative-date words.
    #[serde(default)]
    pub dates: date::DateRules,
    /// Event-type cue words.
    #[serde(default)]
    pub events: event::EventRules,
    /// Titles, roles and organization cues.
    #[serde(default)]
    pub entities: entity::EntityRules,
}

/// A pack compiled for matching.
#[derive(Debug)]
pub struct Pack {
    /// Language the pack is for.
    pub info: LanguageInfo,
    /// Boilerplate line patterns as written (the reader unions them across packs).
    pub boilerplate: BoilerplateRules,
    /// Compiled number rules.
    pub numbers: numbers::Numbers,
    /// Compiled casualty rules.
    pub casualty: casualty::Compiled,
    /// Compiled date rules.
    pub dates: date::Compiled,
    /// Compiled event-type rules.
    pub events: event::Compiled,
    /// Compiled entity rules.
    pub entities: entity::Compiled,
}

impl Pack {
    /// Parses and compiles one rule file.
    pub fn parse(name: &str, text: &str) -> Result<Pack, Error> {
        Pack::compile(name, RawPack::parse(name, text)?)
    }

    /// Compiles a parsed rule file.
    pub fn compile(name: &str, raw: RawPack) -> Result<Pack, Error> {
        let wrap = |reason: String| Error::Rules {
            pack: name.to_string(),
            reason,
        };
        let numbers = numbers::Numbers::compile(&raw.numbers).map_err(wrap)?;
        let casualty =
            casualty::Compiled::compile(&raw.casualty, &raw.language, &raw.dates).map_err(wrap)?;
        let dates = date::Compiled::compile(&raw.dates, &raw.language).map_err(wrap)?;
        let events = event::Compiled::compile(&raw.events, &raw.casualty.scope, &raw.language)
            .map_err(wrap)?;
        let entities = entity::Compiled::compile(&raw.entities, &raw.language).map_err(wrap)?;
        Ok(Pack {
            info: raw.language,
            boilerplate: raw.boilerplate,
            numbers,
            casualty,
            dates,
            events,
            entities,
        })
    }
}

impl RawPack {
    /// Parses one rule file.
    pub fn parse(name: &str, text: &str) -> Result<RawPack, Error> {
        toml::from_str(text).map_err(|e| Error::Rules {
            pack: name.to_string(),
            reason: e.to_string(),
        })
    }
}

/// Loads and compiles every embedded pack.
pub fn load_all() -> Result<Vec<Pack>, Error> {
    compile_all(parse_all()?)
}

/// Parses every embedded pack, in the order of [`PACK_FILES`].
pub fn parse_all() -> Result<Vec<RawPack>, Error> {
    use rayon::prelude::*;
    PACK_FILES
        .par_iter()
        .map(|(name, text)| RawPack::parse(name, text))
        .collect()
}

/// Compiles parsed packs (in the order of [`PACK_FILES`]).
pub fn compile_all(raws: Vec<RawPack>) -> Result<Vec<Pack>, Error> {
    use rayon::prelude::*;
    // Compiling a pack's automata is most of start-up; packs are independent, so it runs on every core
    // (the order of the result is the order of the input).
    raws.into_par_iter()
        .map(|raw| {
            let name = raw.language.iso639_3.clone();
            Pack::compile(&name, raw)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pack_parses_and_compiles() {
        let packs = load_all().expect("rule packs compile");
        assert_eq!(packs.len(), PACK_FILES.len());
        for ((name, _), pack) in PACK_FILES.iter().zip(&packs) {
            assert_eq!(
                &pack.info.iso639_3, name,
                "file name matches [language].iso639_3"
            );
            assert_eq!(pack.info.code.len(), 2);
            assert!(!pack.info.stopwords.is_empty(), "{name} has stopwords");
        }
    }

    #[test]
    fn pack_files_are_sorted() {
        let names: Vec<_> = PACK_FILES.iter().map(|(n, _)| *n).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
