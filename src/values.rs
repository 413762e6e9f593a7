//! Extracts durations and amounts from contract text, in French and English, so valued
//! concepts (backup frequency, RPO, notification delay, liability cap) can be compared.
//!
//! Input is folded text (see `normalize`): lowercase, no accents, dashes as spaces, one
//! space between words. Spans are byte ranges of that input.

use regex::{Captures, Regex};
use std::ops::Range;
use std::sync::LazyLock;

/// A duration as the contract states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duration {
    /// A bounded duration: ISO 8601 form keeping the unit as stated ("PT72H" for 72 hours,
    /// "P3D" for three days, "P5D" for five business days).
    Bounded {
        iso: String,
        hours: u64,
        business_days: bool,
    },
    /// Immediately / sans délai: a bound of zero.
    Immediate,
    /// An open-ended delay with no bound ("dans les meilleurs délais", "without undue delay").
    Unbounded,
}

impl Duration {
    /// Upper bound in hours (Immediate = 0; Unbounded = None). Months count 30 days, years
    /// 365, business days as calendar days; a fraction of an hour rounds up, since this is
    /// a bound.
    pub fn hours(&self) -> Option<u64> {
        match self {
            Duration::Bounded { hours, .. } => Some(*hours),
            Duration::Immediate => Some(0),
            Duration::Unbounded => None,
        }
    }

    /// The report value: the ISO string, "PT0S" for Immediate, "unbounded" for Unbounded.
    pub fn value(&self) -> String {
        match self {
            Duration::Bounded { iso, .. } => iso.clone(),
            Duration::Immediate => "PT0S".into(),
            Duration::Unbounded => "unbounded".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationMatch {
    pub span: Range<usize>,
    pub duration: Duration,
}

/// An amount or a cap expressed as fees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    /// Money: ISO currency code and whole units (cents dropped).
    Money { currency: String, units: u64 },
    /// Fees paid over a number of months.
    FeesMonths(u32),
    /// Total fees paid under the contract, no period.
    FeesTotal,
}

impl Amount {
    /// "EUR 50000", "USD 1000000", "fees:12M", "fees:total".
    pub fn value(&self) -> String {
        match self {
            Amount::Money { currency, units } => format!("{currency} {units}"),
            Amount::FeesMonths(m) => format!("fees:{m}M"),
            Amount::FeesTotal => "fees:total".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountMatch {
    pub span: Range<usize>,
    pub amount: Amount,
}

// ---------------------------------------------------------------------------------------
// Numbers.

const NUMBER_WORDS: &[(&str, u64)] = &[
    ("zero", 0),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("seize", 16),
    ("vingt", 20),
    ("vingts", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
    ("cent", 100),
    ("cents", 100),
    ("mille", 1000),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("thousand", 1000),
];

/// Number words as a regex alternation; each use is followed by `\b`, so "six" never
/// stops short inside "sixty" and "un" never matches the start of "une".
const NUMWORD: &str = "zero|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|one|two|three|four|five|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand";

/// A run of number words, "et"/"and" allowed between them ("vingt et un", "one hundred and
/// twenty").
fn words_pattern() -> String {
    format!(r"(?:{NUMWORD})\b(?:\s(?:et\s|and\s)?(?:{NUMWORD})\b)*")
}

/// Digits with optional thousands groups (space, dot, comma, apostrophe) and decimals.
const NUMPAT: &str = r"\d{1,3}(?:[\x20.,']\d{3}\b)+(?:[.,]\d{1,2}\b)?|\d{1,12}(?:[.,]\d{1,2}\b)?";

fn word_value(w: &str) -> Option<u64> {
    NUMBER_WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// Value of a run of number words ("soixante douze", "quatre vingt dix", "seventy two").
fn words_value(words: &str) -> Option<u64> {
    let (mut total, mut current, mut previous) = (0u64, 0u64, 0u64);
    let mut any = false;
    for w in words.split_whitespace() {
        if w == "et" || w == "and" {
            continue;
        }
        let v = word_value(w)?;
        any = true;
        match v {
            100 => current = current.max(1).saturating_mul(100),
            1000 => {
                total = total.saturating_add(current.max(1).saturating_mul(1000));
                current = 0;
            }
            // "quatre vingt" is 4 × 20, also after hundreds ("deux cent quatre vingt").
            20 if previous == 4 => current = current.saturating_sub(4).saturating_add(80),
            _ => current = current.saturating_add(v),
        }
        previous = v;
    }
    any.then(|| total.saturating_add(current))
}

/// A number as written: integer part plus a fraction `frac / scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    int: u64,
    frac: u64,
    scale: u64,
}

impl Decimal {
    fn whole(int: u64) -> Self {
        Decimal {
            int,
            frac: 0,
            scale: 1,
        }
    }

    /// `self × factor`, keeping the fraction ("1,5 million" is 1 500 000).
    fn times(self, factor: u64) -> Option<u64> {
        let part = self.frac.checked_mul(factor)? / self.scale.max(1);
        self.int.checked_mul(factor)?.checked_add(part)
    }
}

/// Reads digits the way each language writes them: a separator followed by exactly three
/// digits groups thousands ("50.000", "1,000,000", "1 500 000"); otherwise a dot or comma
/// starts the decimals ("1 234,56", "$1,234.56") and a space ends the number.
fn parse_digits(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    let (mut int, mut frac, mut scale) = (0u64, 0u64, 1u64);
    let (mut in_frac, mut any) = (false, false);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_digit() {
            let d = u64::from(c - b'0');
            if !in_frac {
                int = int.checked_mul(10)?.checked_add(d)?;
            } else if scale < 1_000_000 {
                // Cents and beyond never change whole units; six places are plenty.
                frac = frac * 10 + d;
                scale *= 10;
            }
            any = true;
        } else if matches!(c, b' ' | b'.' | b',' | b'\'') && any && !in_frac {
            let rest = b.get(i + 1..).unwrap_or_default();
            let run = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if run == 0 {
                break;
            }
            if run != 3 {
                if c == b' ' || c == b'\'' {
                    break;
                }
                in_frac = true;
            }
        } else {
            break;
        }
        i += 1;
    }
    any.then_some(Decimal { int, frac, scale })
}

static DIGITS_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}(?:[\x20.,']\d{3}\b)+(?:[.,]\d+\b)?|\d+(?:[.,]\d+\b)?)")
        .expect("valid regex")
});

static WORDS_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{})", words_pattern())).expect("valid regex"));

/// Parses a number written in digits or French/English words at the start of `text`.
/// Returns the value (integer part) and the byte length consumed.
pub fn parse_number(text: &str) -> Option<(u64, usize)> {
    if let Some(m) = DIGITS_AT_START.find(text) {
        return Some((parse_digits(m.as_str())?.int, m.end()));
    }
    let m = WORDS_AT_START.find(text)?;
    Some((words_value(m.as_str())?, m.end()))
}

/// Digits win over words when a contract writes both ("trois (4) jours" is 4).
fn digits_or_words(digits: Option<&str>, words: Option<&str>) -> Option<Decimal> {
    match digits {
        Some(d) => parse_digits(d),
        None => words_value(words?).map(Decimal::whole),
    }
}

// ---------------------------------------------------------------------------------------
// Durations.

const UNIT: &str = r"heures?|hours?|hrs?|h|minutes?|mins?|mn|secondes?|seconds?|secs?|jours?|j|days?|nuits?|nights?|semaines?|weeks?|mois|months?|annees?|ans?|years?|yrs?";

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    let words = words_pattern();
    Regex::new(&format!(
        r"(?x)\b
        (?:
            (?P<words>{words})\s?(?:\(\s?(?P<paren>\d{{1,5}})\s?\)\s?)?
          | (?P<digits>\d{{1,6}}(?:[.,]\d{{1,2}})?)\s?(?:\(\s?(?:{words})\s?\)\s?)?
        )
        (?:(?P<pbiz>business|working)\s|calendar\s)?
        (?P<unit>{UNIT})\b
        (?P<sbiz>\s(?:ouvr(?:es?|ees?|ables?)|calendaires?)\b)?"
    ))
    .expect("valid regex")
});

/// Clock times written with minutes ("9h00", "18h30", "9:00", "9 heures 30").
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{1,2}\s?h\s?\d{2}\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}\sheures\s\d{2}\b")
        .expect("valid regex")
});

const HOUR_UNIT: &str = r"\s?h\b|\sheures?\b|\shours?\b";

/// Two hour numbers in a row: "de 9h a 18h", "entre 9 et 18 heures", "9h 18h" (a dash
/// folded to a space).
static HOUR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<prep>de|des|du|from|entre|between)\s)?(?P<a>\d{{1,2}})(?P<ua>{HOUR_UNIT})?\s(?:(?P<conn>a|au|to|et|and|until|till|jusqu'a)\s)?(?P<b>\d{{1,2}})(?P<ub>{HOUR_UNIT})"
    ))
    .expect("valid regex")
});

/// One hour number after a word that introduces a time of day ("avant 18h", "a 9h",
/// "jusqu'a 18 heures"), or followed by a time-of-day marker ("8 heures du matin").
static HOUR_POINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<prep>avant|apres|jusqu'a|vers|des|a|a\spartir\sde|at|before|after|until|till|by)\s)?(?P<n>\d{{1,2}})(?P<u>{HOUR_UNIT})(?P<marker>\s(?:du\smatin|du\soir|de\sl'apres\smidi|am|pm|heure\sde\sparis|\(heure|cet|cest|gmt|utc)\b)?"
    ))
    .expect("valid regex")
});

fn is_compact_hour(unit: Option<&str>) -> bool {
    unit.is_some_and(|u| u.trim() == "h")
}

fn small(s: Option<&str>) -> Option<u64> {
    s.and_then(|s| s.parse().ok())
}

/// Whether an hour range reads as opening hours rather than a span of hours: compact
/// "18h" is how French writes clock times; with "heures" spelt out, "de 24 a 48 heures"
/// is a delay while "entre 9 et 18 heures" is a working day.
fn range_is_time_of_day(c: &Captures<'_>) -> bool {
    let (Some(a), Some(b)) = (
        small(c.name("a").map(|m| m.as_str())),
        small(c.name("b").map(|m| m.as_str())),
    ) else {
        return false;
    };
    let ua = c.name("ua").map(|m| m.as_str());
    let ub = c.name("ub").map(|m| m.as_str());
    let linked = c.name("prep").is_some() || c.name("conn").is_some();
    if !linked && !is_compact_hour(ua) {
        return false;
    }
    if a > 24 || b > 24 {
        return false;
    }
    if is_compact_hour(ua) || is_compact_hour(ub) {
        return true;
    }
    (6..=12).contains(&a) && (12..=23).contains(&b) && b > a
}

fn point_is_time_of_day(c: &Captures<'_>) -> bool {
    let Some(n) = small(c.name("n").map(|m| m.as_str())) else {
        return false;
    };
    if n > 23 {
        return false;
    }
    if c.name("marker").is_some() {
        return true;
    }
    let compact = is_compact_hour(c.name("u").map(|m| m.as_str()));
    match c.name("prep").map(|m| m.as_str()) {
        // "GTI a 4h" is a four-hour intervention time; "a 18h" is six in the evening.
        Some("a") => compact && n >= 7,
        // "au dela des 12 heures" is a delay; "des 8h" (dès) is a time.
        Some("des") | Some("apres") | Some("after") | Some("by") | Some("at") => compact,
        Some(_) => true,
        None => false,
    }
}

/// Byte ranges of clock times and opening hours, which look like durations but are not.
fn times_of_day(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = CLOCK.find_iter(text).map(|m| m.range()).collect();
    out.extend(
        HOUR_RANGE
            .captures_iter(text)
            .filter(range_is_time_of_day)
            .filter_map(|c| c.get(0).map(|m| m.range())),
    );
    out.extend(
        HOUR_POINT
            .captures_iter(text)
            .filter(point_is_time_of_day)
            .filter_map(|c| c.get(0).map(|m| m.range())),
    );
    out
}

static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<u>[jhd])\s?\+\s?(?P<n>\d{1,3})\b(?P<biz>\s(?:ouvr(?:es?|ees?|ables?))\b)?")
        .expect("valid regex")
});

static EVERY: LazyLock<Regex> = LazyLock::new(|| {
    let words = words_pattern();
    Regex::new(&format!(
        r"(?x)\b(?:toutes\sles|tous\sles|every|each|chaque|une\sfois\s(?:par|tous\sles|toutes\sles)|once\s(?:a|per|every))\s
        (?:(?:(?P<words>{words})|(?P<digits>\d{{1,4}}))\s)?
        (?P<unit>heures?|hours?|minutes?|mins?|jours?|days?|nuits?|nights?|semaines?|weeks?|mois|months?|annees?|ans?|years?)\b"
    ))
    .expect("valid regex")
});

/// "horaire" is a frequency only after a backup word ("sauvegarde horaire"), not in
/// "horaires d'ouverture".
static HOURLY_BACKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:sauvegardes?|backups?|snapshots?|replications?|copies?|instantanes?)\shoraires?\b",
    )
    .expect("valid regex")
});

/// What a fixed phrase says.
#[derive(Clone, Copy)]
enum Said {
    /// Once per `n` of a unit.
    Every(u64, &'static str),
    Now,
    Open,
}

const PHRASES: &[(&str, Said)] = &[
    ("quotidiennement", Said::Every(1, "jour")),
    ("quotidiennes", Said::Every(1, "jour")),
    ("quotidienne", Said::Every(1, "jour")),
    ("quotidiens", Said::Every(1, "jour")),
    ("quotidien", Said::Every(1, "jour")),
    ("journalieres", Said::Every(1, "jour")),
    ("journaliere", Said::Every(1, "jour")),
    ("journaliers", Said::Every(1, "jour")),
    ("journalier", Said::Every(1, "jour")),
    ("daily", Said::Every(1, "jour")),
    ("nightly", Said::Every(1, "jour")),
    ("hebdomadaires", Said::Every(1, "semaine")),
    ("hebdomadaire", Said::Every(1, "semaine")),
    ("hebdomadairement", Said::Every(1, "semaine")),
    ("weekly", Said::Every(1, "semaine")),
    ("mensuellement", Said::Every(1, "mois")),
    ("mensuelles", Said::Every(1, "mois")),
    ("mensuelle", Said::Every(1, "mois")),
    ("mensuels", Said::Every(1, "mois")),
    ("mensuel", Said::Every(1, "mois")),
    ("monthly", Said::Every(1, "mois")),
    ("trimestriellement", Said::Every(3, "mois")),
    ("trimestrielles", Said::Every(3, "mois")),
    ("trimestrielle", Said::Every(3, "mois")),
    ("trimestriels", Said::Every(3, "mois")),
    ("trimestriel", Said::Every(3, "mois")),
    ("quarterly", Said::Every(3, "mois")),
    ("semestriellement", Said::Every(6, "mois")),
    ("semestrielles", Said::Every(6, "mois")),
    ("semestrielle", Said::Every(6, "mois")),
    ("semestriels", Said::Every(6, "mois")),
    ("semestriel", Said::Every(6, "mois")),
    ("annuellement", Said::Every(1, "an")),
    ("annuelles", Said::Every(1, "an")),
    ("annuelle", Said::Every(1, "an")),
    ("annuels", Said::Every(1, "an")),
    ("annuel", Said::Every(1, "an")),
    ("annually", Said::Every(1, "an")),
    ("yearly", Said::Every(1, "an")),
    ("hourly", Said::Every(1, "h")),
    ("immediatement", Said::Now),
    ("sans delai", Said::Now),
    ("sans attendre", Said::Now),
    ("sur le champ", Said::Now),
    ("immediately", Said::Now),
    ("forthwith", Said::Now),
    ("without delay", Said::Now),
    ("dans les meilleurs delais", Said::Open),
    ("dans les plus brefs delais", Said::Open),
    ("dans un delai raisonnable", Said::Open),
    ("dans des delais raisonnables", Said::Open),
    ("dans les delais raisonnables", Said::Open),
    ("sans retard injustifie", Said::Open),
    ("sans retard indu", Said::Open),
    ("au plus vite", Said::Open),
    ("des que possible", Said::Open),
    ("aussitot que possible", Said::Open),
    ("promptement", Said::Open),
    ("without undue delay", Said::Open),
    ("without unreasonable delay", Said::Open),
    ("as soon as reasonably practicable", Said::Open),
    ("as soon as reasonably possible", Said::Open),
    ("as soon as practicable", Said::Open),
    ("as soon as possible", Said::Open),
    ("promptly", Said::Open),
    ("within a reasonable time", Said::Open),
    ("within a reasonable period", Said::Open),
    ("in a timely manner", Said::Open),
];

/// ISO designator, whether it sits in the time part, and seconds per unit.
fn unit_of(unit: &str) -> Option<(char, bool, u64)> {
    Some(match unit {
        "h" | "hr" | "hrs" | "heure" | "heures" | "hour" | "hours" => ('H', true, 3_600),
        "min" | "mins" | "mn" | "minute" | "minutes" => ('M', true, 60),
        "sec" | "secs" | "seconde" | "secondes" | "second" | "seconds" => ('S', true, 1),
        "j" | "jour" | "jours" | "day" | "days" | "nuit" | "nuits" | "night" | "nights" => {
            ('D', false, 86_400)
        }
        "semaine" | "semaines" | "week" | "weeks" => ('W', false, 604_800),
        "mois" | "month" | "months" => ('M', false, 2_592_000),
        "an" | "ans" | "annee" | "annees" | "year" | "years" | "yr" | "yrs" => {
            ('Y', false, 31_536_000)
        }
        _ => return None,
    })
}

/// ISO number: "1.5" for a decimal, trailing zeros of the fraction dropped.
fn iso_number(n: Decimal) -> String {
    let mut frac_digits = String::new();
    let mut scale = n.scale;
    let mut frac = n.frac;
    while scale > 1 {
        scale /= 10;
        let digit = frac / scale.max(1);
        frac %= scale.max(1);
        frac_digits.push(char::from(b'0' + (digit % 10) as u8));
    }
    let frac_digits = frac_digits.trim_end_matches('0');
    if frac_digits.is_empty() {
        n.int.to_string()
    } else {
        format!("{}.{frac_digits}", n.int)
    }
}

fn bounded(n: Decimal, unit: &str, business: bool) -> Option<Duration> {
    let (designator, time, seconds) = unit_of(unit)?;
    let t = if time { "T" } else { "" };
    let secs = n.times(seconds).unwrap_or(u64::MAX);
    Some(Duration::Bounded {
        iso: format!("P{t}{}{designator}", iso_number(n)),
        hours: secs.div_ceil(3_600),
        business_days: business && designator == 'D',
    })
}

fn every(n: u64, unit: &str) -> Option<Duration> {
    bounded(Decimal::whole(n), unit, false)
}

/// Text right after a match, to see what follows a unit.
fn after(text: &str, end: usize) -> &str {
    text.get(end..).unwrap_or_default()
}

/// The last char before `start`, skipping one space.
fn char_before(text: &str, start: usize) -> Option<char> {
    text.get(..start)?.trim_end_matches(' ').chars().next_back()
}

/// "24h/24", "7j/7", "24 heures sur 24": availability, not a duration.
fn is_availability(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    if rest.starts_with('/') {
        return true;
    }
    rest.strip_prefix("sur ")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// Part of a bigger number ("1.500 heures" read from "500") or of a fraction or an
/// offset ("1/2 heure", "j+1 jour").
fn glued_to_number(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or_default();
    let mut rev = before.chars().rev();
    match rev.next() {
        Some('.' | ',') => rev.next().is_some_and(|c| c.is_ascii_digit()),
        Some('/' | '+' | ':') => true,
        _ => false,
    }
}

fn stated_duration(c: &Captures<'_>, text: &str) -> Option<Duration> {
    let m = c.get(0)?;
    let unit = c.name("unit")?.as_str();
    let n = digits_or_words(
        c.name("paren").or(c.name("digits")).map(|d| d.as_str()),
        c.name("words").map(|w| w.as_str()),
    )?;
    if is_availability(after(text, m.end())) || glued_to_number(text, m.start()) {
        return None;
    }
    if unit == "j" && char_before(text, m.start()) == Some('/') {
        return None;
    }
    let business = c.name("pbiz").is_some()
        || c.name("sbiz")
            .is_some_and(|s| s.as_str().trim_start().starts_with("ouvr"));
    bounded(n, unit, business)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Every duration in `text`, in order of position, non-overlapping.
pub fn durations(text: &str) -> Vec<DurationMatch> {
    let times = times_of_day(text);
    let mut found: Vec<DurationMatch> = Vec::new();
    let mut push = |span: Range<usize>, duration: Duration| {
        found.push(DurationMatch { span, duration });
    };
    for c in DURATION.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        if times.iter().any(|t| overlaps(t, &m.range())) {
            continue;
        }
        if let Some(d) = stated_duration(&c, text) {
            push(m.range(), d);
        }
    }
    for c in RELATIVE_DAY.captures_iter(text) {
        let (Some(m), Some(n)) = (c.get(0), small(c.name("n").map(|n| n.as_str()))) else {
            continue;
        };
        let unit = if c.name("u").is_some_and(|u| u.as_str() == "h") {
            "h"
        } else {
            "jour"
        };
        if let Some(d) = bounded(Decimal::whole(n), unit, c.name("biz").is_some()) {
            push(m.range(), d);
        }
    }
    for c in EVERY.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let n = digits_or_words(
            c.name("digits").map(|d| d.as_str()),
            c.name("words").map(|w| w.as_str()),
        )
        .unwrap_or(Decimal::whole(1));
        if let Some(d) = c.name("unit").and_then(|u| bounded(n, u.as_str(), false)) {
            push(m.range(), d);
        }
    }
    for (phrase, said) in PHRASES {
        for at in whole_word_matches(text, phrase) {
            let d = match *said {
                Said::Every(n, unit) => every(n, unit),
                Said::Now => Some(Duration::Immediate),
                Said::Open => Some(Duration::Unbounded),
            };
            if let Some(d) = d {
                push(at..at + phrase.len(), d);
            }
        }
    }
    for m in HOURLY_BACKUP.find_iter(text) {
        if let Some(d) = every(1, "h") {
            push(m.range(), d);
        }
    }
    non_overlapping(found, |d| d.span.clone())
}

/// Byte offsets of `phrase` in `text` as whole words.
fn whole_word_matches<'a>(text: &'a str, phrase: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(phrase)
        .map(|(at, _)| at)
        .filter(move |at| {
            let before = text
                .get(..*at)
                .and_then(|s| s.chars().next_back())
                .is_some_and(char::is_alphanumeric);
            let after = text
                .get(at + phrase.len()..)
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_alphanumeric);
            !before && !after
        })
}

/// Sorted by start; where candidates overlap the longest (then the first) wins.
fn non_overlapping<T>(mut v: Vec<T>, span: impl Fn(&T) -> Range<usize>) -> Vec<T> {
    v.sort_by(|a, b| {
        let (ra, rb) = (span(a), span(b));
        ra.start.cmp(&rb.start).then(rb.len().cmp(&ra.len()))
    });
    let mut out: Vec<T> = Vec::with_capacity(v.len());
    for x in v {
        let r = span(&x);
        match out.last() {
            Some(last) if r.start < span(last).end => {
                if r.len() > span(last).len() {
                    out.pop();
                    out.push(x);
                }
            }
            _ => out.push(x),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Amounts.

const MULT: &str = r"k|m|mds?|millions?|milliards?|billions?|thousand|bn";

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    let words = words_pattern();
    Regex::new(&format!(
        r"(?x)
        (?P<pre>€|\$|£|\b(?:eur|usd|gbp|chf)\b)\s?(?P<pnum>{NUMPAT})(?:\s?(?P<pmult>{MULT})\b)?
      |
        \b(?:
            (?P<words>{words})\s?(?:\(\s?(?P<paren>{NUMPAT})\s?\)\s?)?
          | (?P<num>{NUMPAT})\s?
        )
        (?:(?P<mult>{MULT})\s?)?
        (?:(?:de|of)\s|d')?
        (?P<post>€|euros?\b|eur\b|\$|usd\b|us\sdollars?\b|dollars?\b|£|gbp\b|pounds?\b|livres\ssterling\b|chf\b|francs\ssuisses\b)"
    ))
    .expect("valid regex")
});

const FEE_NOUN: &str = r"sommes|montants?|prix|redevances?|honoraires|remunerations?|paiements?|fees|amounts?|charges|sums|payments|consideration";

/// The number of a fee period: words, words with digits in parentheses, or digits.
fn period_pattern() -> String {
    format!(
        r"(?:(?P<nw>{})(?:\s?\(\s?(?P<np>\d{{1,3}})\s?\))?|(?P<nd>\d{{1,3}}))",
        words_pattern()
    )
}

/// "les sommes versees au cours des douze (12) derniers mois", "the fees paid in the
/// twelve (12) months preceding the event". The gap holds no digit or currency so a cap
/// stated in money before the fee wording stays its own match.
static FEES_MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)\b(?:{FEE_NOUN})\b[^.;\d€$£]{{0,150}}?
        \b(?:au\scours\sdes|pendant\sles|durant\sles|sur\sles|sur\sune\speriode\sde|des|les|in\sthe|during\sthe|for\sthe|over\sthe|within\sthe|over\sa\speriod\sof|in|during|for)\s
        (?:(?:immediately\s)?(?:preceding|previous|prior|last)\s)?
        {}\s?(?:derniers\s|precedents\s)?(?:mois|months?)\b
        (?:\speriod\b)?
        (?:\s(?:precedant|preceding|prior\sto|before|avant|qui\sprecedent)\b(?:\s(?:the|le|la|l')\s?[a-z]+)?)?",
        period_pattern()
    ))
    .expect("valid regex")
});

/// "douze (12) mois de redevances", "one year of fees".
static FEES_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{}\s(?:derniers\s|last\s)?(?P<unit>mois|months?|ans?|annees?|years?)\s(?:de\s|d'|of\s)(?:the\s|la\s|les\s)?(?:{FEE_NOUN}|abonnement|subscription|facturation)\b",
        period_pattern()
    ))
    .expect("valid regex")
});

static FEES_ANNUAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b(?:montant|prix|redevance|chiffre\sd'affaires|cout|abonnement|remuneration|honoraire)s?\s(?:global\s|total\s|hors\staxes\s|ht\s)*annuel(?:le)?s?\b(?:\s(?:hors\staxes|ht)\b)?(?:\s(?:du|au\stitre\sdu)\scontrat\b)?
        | \b(?:total\s)?annual\s(?:fees|charges|subscription\sfees|contract\svalue|amounts?|price|consideration)\b
        | \b(?:fees|amounts?|sums|charges)\s(?:paid|payable)[^.;\d€$£]{0,80}?\b(?:preceding|previous|prior|last)\s(?:contract\s)?year\b
        | \b(?:sommes|montants?|redevances?)\s(?:versee|payee|facturee)s?[^.;\d€$£]{0,80}?\b(?:derniere\sannee|annee\sprecedente|annee\sprecedant|annee\santerieure)\b",
    )
    .expect("valid regex")
});

static FEES_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b(?:the\s)?total\s(?:fees|amounts?|sums|price|consideration|charges)\s(?:actually\s)?(?:paid|payable)(?:\sor\spayable)?(?:\sby\s(?:the\s)?[a-z]+)?(?:\sunder\s(?:this|the)\s(?:agreement|contract)\b|\shereunder\b)?
        | \btotal\scontract\s(?:value|price)\b
        | \b(?:fees|amounts)\s(?:actually\s)?(?:paid|payable)(?:\sor\spayable)?(?:\sby\s(?:the\s)?[a-z]+)?\s(?:under\s(?:this|the)\s(?:agreement|contract)|hereunder)\b
        | \bmontant\stotal\s(?:hors\staxes\s|ht\s)?(?:(?:paye|verse|facture|regle)e?s?|du\scontrat|de\sla\scommande|des\ssommes\s(?:versees|payees))\b(?:\spar\sle\sclient)?(?:\sau\stitre\s(?:du\scontrat|de\sla\scommande|des\spresentes|du\spresent\scontrat)\b)?
        | \bprix\s(?:total\s)?(?:paye|acquitte|verse)\spar\sle\sclient\sau\stitre\s(?:de\sla\scommande|du\scontrat|du\sbon\sde\scommande)\b",
    )
    .expect("valid regex")
});

fn currency(s: &str) -> &'static str {
    match s {
        "$" | "usd" | "dollar" | "dollars" => "USD",
        s if s.starts_with("us") => "USD",
        "£" | "gbp" | "pound" | "pounds" | "livres sterling" => "GBP",
        "chf" | "francs suisses" => "CHF",
        _ => "EUR",
    }
}

fn multiplier(m: Option<&str>) -> u64 {
    match m {
        Some("k" | "thousand") => 1_000,
        Some("m" | "million" | "millions") => 1_000_000,
        Some("md" | "mds" | "milliard" | "milliards" | "billion" | "billions" | "bn") => {
            1_000_000_000
        }
        _ => 1,
    }
}

fn money(c: &Captures<'_>) -> Option<Amount> {
    let (cur, n, mult) = if let Some(pre) = c.name("pre") {
        let n = parse_digits(c.name("pnum")?.as_str())?;
        (pre.as_str(), n, c.name("pmult"))
    } else {
        let n = digits_or_words(
            c.name("paren").or(c.name("num")).map(|m| m.as_str()),
            c.name("words").map(|m| m.as_str()),
        )?;
        (c.name("post")?.as_str(), n, c.name("mult"))
    };
    let units = n.times(multiplier(mult.map(|m| m.as_str())))?;
    Some(Amount::Money {
        currency: currency(cur).to_string(),
        units,
    })
}

/// Months of a fee period, digits winning over words.
fn period_months(c: &Captures<'_>) -> Option<u64> {
    digits_or_words(
        c.name("np").or(c.name("nd")).map(|m| m.as_str()),
        c.name("nw").map(|m| m.as_str()),
    )
    .map(|d| d.int)
}

/// Every amount in `text`, in order of position, non-overlapping.
pub fn amounts(text: &str) -> Vec<AmountMatch> {
    let mut found = Vec::new();
    let mut push = |span: Range<usize>, amount: Amount| found.push(AmountMatch { span, amount });
    for c in MONEY.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        if glued_to_number(text, m.start()) {
            continue;
        }
        if let Some(a) = money(&c) {
            push(m.range(), a);
        }
    }
    for c in FEES_MONTHS.captures_iter(text) {
        let (Some(m), Some(n)) = (c.get(0), period_months(&c)) else {
            continue;
        };
        if let Ok(months) = u32::try_from(n) {
            push(m.range(), Amount::FeesMonths(months));
        }
    }
    for c in FEES_OF.captures_iter(text) {
        let (Some(m), Some(n)) = (c.get(0), period_months(&c)) else {
            continue;
        };
        let per = match c.name("unit").map(|u| u.as_str()) {
            Some(u) if u.starts_with("mo") => 1,
            _ => 12,
        };
        if let Some(months) = n.checked_mul(per).and_then(|n| u32::try_from(n).ok()) {
            push(m.range(), Amount::FeesMonths(months));
        }
    }
    for m in FEES_ANNUAL.find_iter(text) {
        push(m.range(), Amount::FeesMonths(12));
    }
    for m in FEES_TOTAL.find_iter(text) {
        push(m.range(), Amount::FeesTotal);
    }
    non_overlapping(found, |a| a.span.clone())
}
