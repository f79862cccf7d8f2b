//! Dates: the publication date from datelines and header lines, and the main event's date.

use std::collections::HashMap;

use jiff::civil::Date;
use regex::Regex;
use serde::Deserialize;

use super::Context;
use crate::record::Casualties;
use crate::rules::{LanguageInfo, Pack};

/// The `[dates]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DateRules {
    /// Month names and abbreviations, lowercase, to month number (1–12).
    pub months: HashMap<String, u8>,
    /// Weekday names, lowercase, to ISO weekday number (Monday = 1).
    pub weekdays: HashMap<String, u8>,
}

/// Compiled date rules.
#[derive(Debug, Clone)]
pub struct Compiled {
    months: HashMap<String, u8>,
    /// "28 June 2021", "June 28, 2021" with this language's month names.
    day_month_year: Option<Regex>,
    month_day_year: Option<Regex>,
}

impl Compiled {
    /// Compiles the section.
    pub fn compile(rules: &DateRules, _lang: &LanguageInfo) -> Result<Compiled, String> {
        let mut names: Vec<&str> = rules.months.keys().map(String::as_str).collect();
        // Longest first, so "june" is tried before "jun".
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let alt = names
            .iter()
            .map(|n| regex::escape(n))
            .collect::<Vec<_>>()
            .join("|");
        let build = |p: String| Regex::new(&p).map_err(|e| e.to_string());
        let (dmy, mdy) = if alt.is_empty() {
            (None, None)
        } else {
            (
                Some(build(format!(
                    r"(?i)\b(\d{{1,2}})\.?\s+({alt})\.?,?\s+(\d{{4}})\b"
                ))?),
                Some(build(format!(
                    r"(?i)\b({alt})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b"
                ))?),
            )
        };
        Ok(Compiled {
            months: rules.months.clone(),
            day_month_year: dmy,
            month_day_year: mdy,
        })
    }

    fn month(&self, name: &str) -> Option<i8> {
        self.months.get(&name.to_lowercase()).map(|&m| m as i8)
    }
}

fn ymd(y: &str, m: i8, d: &str) -> Option<Date> {
    let y: i16 = y.parse().ok()?;
    let d: i8 = d.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}

static ISO: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(?i:date[:\s]+)?\s*(\d{4})-(\d{2})-(\d{2})\b").expect("static regex")
});

/// When `line` opens with a dateline ("date 2021-06-28", "August 3, 2021", "28 juin 2021"), the date
/// and the byte length of the dateline. The date must open the line: a date inside the narrative is not a
/// publication date.
pub fn dateline(line: &str, packs: &[Pack]) -> Option<(Date, usize)> {
    let line_trim = line.trim_start();
    let lead = line.len() - line_trim.len();
    if let Some(c) = ISO.captures(line_trim) {
        let m: i8 = c[2].parse().ok()?;
        let whole = c.get(0)?;
        return ymd(&c[1], m, &c[3]).map(|d| (d, lead + whole.end()));
    }
    for pack in packs {
        let dates = &pack.dates;
        if let Some(re) = &dates.month_day_year
            && let Some(c) = re.captures(line_trim)
            && c.get(0).is_some_and(|m| m.start() == 0)
            && let Some(m) = dates.month(&c[1])
            && let Some(d) = ymd(&c[3], m, &c[2])
        {
            return Some((d, lead + c.get(0)?.end()));
        }
        if let Some(re) = &dates.day_month_year
            && let Some(c) = re.captures(line_trim)
            && c.get(0).is_some_and(|m| m.start() == 0)
            && let Some(m) = dates.month(&c[2])
            && let Some(d) = ymd(&c[3], m, &c[1])
        {
            return Some((d, lead + c.get(0)?.end()));
        }
    }
    None
}

/// The day the main event happened, when the text lets a reader tell.
pub fn event_date(_ctx: &Context<'_>, _casualties: &Casualties) -> Option<Date> {
    None
}
