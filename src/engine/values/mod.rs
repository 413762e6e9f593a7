//! Extracts durations and amounts from contract text, in French and English, so valued
//! concepts (backup frequency, RPO, notification delay, liability cap) can be compared.
//!
//! Input is folded text (see `normalize`): lowercase, no accents, dashes as spaces, one
//! space between words. Spans are byte ranges of that input.

use crate::model::{Decimal as Number, Fees, TimeUnit, Value};
use regex::{Captures, Regex};

mod stated;
use std::ops::Range;
use std::sync::LazyLock;

/// A duration as the contract states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duration {
    /// A bounded duration, keeping the unit as stated ("PT72H" for 72 hours, "P3D" for
    /// three days, "P5D" for five business days).
    Bounded {
        /// How many units, as written (`72`, `1.5`).
        count: Number,
        /// The unit stated.
        unit: TimeUnit,
        /// The bound in hours, as [`Duration::hours`] gives it.
        hours: u64,
        /// The days are business days (`jours ouvrés`, `business days`); only ever with a
        /// `D` designator.
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

    /// The report value: the duration as stated, zero seconds ("PT0S") for Immediate.
    pub fn to_value(&self) -> Value {
        match self {
            Duration::Bounded { count, unit, .. } => Value::Duration {
                count: count.clone(),
                unit: *unit,
            },
            Duration::Immediate => Value::Duration {
                count: Number::whole(0),
                unit: TimeUnit::Seconds,
            },
            Duration::Unbounded => Value::Unbounded,
        }
    }

    /// The report string: the ISO form, "PT0S" for Immediate, "unbounded" for Unbounded.
    pub fn value(&self) -> String {
        self.to_value().to_string()
    }
}

/// A duration found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationMatch {
    /// The words stating it, a byte range of the text searched.
    pub span: Range<usize>,
    /// What they state.
    pub duration: Duration,
}

/// An amount or a cap expressed as fees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    /// Money: ISO currency code and whole units (cents dropped).
    Money {
        /// `EUR`, `USD`, `GBP`, `CHF`, `CAD`, `AUD` or `NZD`; EUR when the text names no
        /// other (`€`, `euros`).
        currency: String,
        /// The amount in whole units of the currency, multipliers applied ("1,5 million"
        /// is 1 500 000).
        units: u64,
    },
    /// Fees paid over a number of months.
    FeesMonths(u32),
    /// Total fees paid under the contract, no period.
    FeesTotal,
    /// A fraction or multiple of fees ("one half of the fees paid in the last twelve months",
    /// "twice the annual fees"): the factor is kept, since half a year's fees is not a year's.
    Scaled {
        /// The fees the factor applies to.
        base: Box<Amount>,
        /// The factor as a decimal without trailing zeros: "0.5", "2", "1.5".
        factor: String,
    },
}

impl Amount {
    /// The report value.
    pub fn to_value(&self) -> Value {
        let fees = |a: &Amount| match a {
            Amount::FeesMonths(m) => Some(Fees::Months(*m)),
            Amount::FeesTotal => Some(Fees::Total),
            _ => None,
        };
        match self {
            Amount::Money { currency, units } => Value::Money {
                currency: currency.clone(),
                units: *units,
            },
            Amount::FeesMonths(_) | Amount::FeesTotal => {
                Value::Fees(fees(self).unwrap_or(Fees::Total))
            }
            Amount::Scaled { base, factor } => match (fees(base), Number::parse(factor)) {
                (Some(fees), Some(factor)) => Value::FeeMultiple { fees, factor },
                // Only fees are scaled, by a factor in digits; anything else as written.
                _ => Value::Other(format!("{}*{factor}", base.value())),
            },
        }
    }

    /// "EUR 50000", "USD 1000000", "fees:12M", "fees:total", "fees:12M*0.5".
    pub fn value(&self) -> String {
        self.to_value().to_string()
    }
}

/// An amount found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountMatch {
    /// The words stating it (with its factor, for [`Amount::Scaled`]), a byte range of the
    /// text searched.
    pub span: Range<usize>,
    /// What they state.
    pub amount: Amount,
}

/// Compiles a pattern of this module. Word boundaries and digits are ASCII: folded text
/// has ASCII words, and a Unicode `\b` would push the regex crate off its fast DFA on
/// any non-ASCII haystack (a stray "€" is enough).
fn compile(pattern: &str) -> Regex {
    let ascii = pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]");
    Regex::new(&ascii).expect("patterns of this module are valid")
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
/// No `\b` after the decimals so "1.5m" keeps its fraction; a digit right after a match
/// is rejected by the caller instead.
const NUMPAT: &str = r"\d{1,3}(?:[\x20.,']\d{3}\b)+(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?";

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

static DIGITS_AT_START: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(?:\d{1,3}(?:[\x20.,']\d{3}\b)+(?:[.,]\d+\b)?|\d+(?:[.,]\d+\b)?)"));

static WORDS_AT_START: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!("^(?:{})", words_pattern())));

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

#[cfg(test)]
const UNIT: &str = r"heures?|hours?|hrs?|h|minutes?|mins?|mn|secondes?|seconds?|secs?|jours?|j|days?|nuits?|nights?|semaines?|weeks?|mois|months?|annees?|ans?|years?|yrs?";

/// Words between a number and its unit that leave the duration as is ("les 3 derniers
/// mois", "12 consecutive months").
#[cfg(test)]
const QUALIFIER: &str = r"(?:calendar|consecutive|full|derniers|dernieres|premiers|premieres|prochains|prochaines|consecutifs|consecutives|pleins|entiers)";

/// The stated durations that [`stated::stated`] reads by hand, as a regex: the reference
/// the reader is tested against.
#[cfg(test)]
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    let words = words_pattern();
    compile(&format!(
        r"(?x)\b
        (?:
            (?P<words>{words})\s?(?:\(\s?(?P<paren>\d{{1,5}})\s?\)\s?)?
          | (?P<digits>\d{{1,6}}(?:[.,]\d{{1,2}})?)\s?(?:\(\s?(?:{words})\s?\)\s?)?
        )
        (?:(?P<pbiz>business|working)\s|{QUALIFIER}\s)?
        (?P<unit>{UNIT})\b
        (?P<sbiz>\s(?:ouvr(?:es?|ees?|ables?)|calendaires?)\b)?
        (?:\s?\(\s?(?:\d{{1,6}}\s?(?:{UNIT})|{words}(?:\s(?:{UNIT}))?)\s?\))?"
    ))
});

/// Clock times written with minutes ("9h00", "18h30", "9:00", "9 heures 30").
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"\b\d{1,2}\s?h\s?\d{2}\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}\sheures\s\d{2}\b")
});

const HOUR_UNIT: &str = r"\s?h\b|\sheures?\b|\shours?\b";

/// Two hour numbers in a row: "de 9h a 18h", "entre 9 et 18 heures", "9h 18h" (a dash
/// folded to a space).
static HOUR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b(?:(?P<prep>de|des|du|from|entre|between)\s)?(?P<a>\d{{1,2}})(?P<ua>{HOUR_UNIT})?\s(?:(?P<conn>a|au|to|et|and|until|till|jusqu'a)\s)?(?P<b>\d{{1,2}})(?P<ub>{HOUR_UNIT})"
    ))
});

/// One hour number after a word that introduces a time of day ("avant 18h", "a 9h",
/// "jusqu'a 18 heures"), or followed by a time-of-day marker ("8 heures du matin").
static HOUR_POINT: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b(?:(?P<prep>avant|apres|jusqu'a|vers|des|a|a\spartir\sde|at|before|after|until|till|by)\s)?(?P<n>\d{{1,2}})(?P<u>{HOUR_UNIT})(?P<marker>\s(?:du\smatin|du\soir|de\sl'apres\smidi|am|pm|heure\sde\sparis|\(heure|cet|cest|gmt|utc)\b)?"
    ))
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
    if !may_hold_time(text) {
        return Vec::new();
    }
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

/// Whether `text` can hold a time of day: every pattern of one has a colon between digits
/// or an hour unit ("h", "heure", "hour") after a digit and at most one space. Most
/// sentences with a duration have none, and the three time patterns are spared there.
fn may_hold_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr(b':', bytes).is_some() {
        return true;
    }
    memchr::memchr_iter(b'h', bytes).any(|i| {
        let mut before = text[..i].chars().rev();
        match before.next() {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if c.is_whitespace() => before.next().is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        }
    })
}

static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"\b(?P<u>[jhd])\s?\+\s?(?P<n>\d{1,3})\b(?P<biz>\s(?:ouvr(?:es?|ees?|ables?))\b)?")
});

static EVERY: LazyLock<Regex> = LazyLock::new(|| {
    let words = words_pattern();
    compile(&format!(
        r"(?x)\b(?:toutes\sles|tous\sles|every|each|chaque|une\sfois\s(?:par|tous\sles|toutes\sles)|once\s(?:a|per|every))\s
        (?:(?:(?P<words>{words})|(?P<digits>\d{{1,4}}))\s)?
        (?P<unit>heures?|hours?|minutes?|mins?|jours?|days?|nuits?|nights?|semaines?|weeks?|mois|months?|annees?|ans?|years?)\b"
    ))
});

/// "horaire" is a frequency only after a backup word ("sauvegarde horaire"), not in
/// "horaires d'ouverture".
static HOURLY_BACKUP: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:sauvegardes?|backups?|snapshots?|replications?|copies?|instantanes?)\shoraires?\b",
    )
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
    // "1/jour" and "par jour" state a rate; read as at least once per unit.
    ("1/jour", Said::Every(1, "jour")),
    ("1/semaine", Said::Every(1, "semaine")),
    ("1/mois", Said::Every(1, "mois")),
    ("par jour", Said::Every(1, "jour")),
    ("par semaine", Said::Every(1, "semaine")),
    ("par mois", Said::Every(1, "mois")),
    ("per day", Said::Every(1, "jour")),
    ("per week", Said::Every(1, "semaine")),
    ("per month", Said::Every(1, "mois")),
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
    ("an hour", Said::Every(1, "h")),
    ("half an hour", Said::Every(30, "min")),
    ("une demi heure", Said::Every(30, "min")),
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

/// The unit of a word, and seconds per unit.
fn unit_of(unit: &str) -> Option<(TimeUnit, u64)> {
    Some(match unit {
        "h" | "hr" | "hrs" | "heure" | "heures" | "hour" | "hours" => (TimeUnit::Hours, 3_600),
        "min" | "mins" | "mn" | "minute" | "minutes" => (TimeUnit::Minutes, 60),
        "sec" | "secs" | "seconde" | "secondes" | "second" | "seconds" => (TimeUnit::Seconds, 1),
        "j" | "jour" | "jours" | "day" | "days" | "nuit" | "nuits" | "night" | "nights" => {
            (TimeUnit::Days, 86_400)
        }
        "semaine" | "semaines" | "week" | "weeks" => (TimeUnit::Weeks, 604_800),
        "mois" | "month" | "months" => (TimeUnit::Months, 2_592_000),
        "an" | "ans" | "annee" | "annees" | "year" | "years" | "yr" | "yrs" => {
            (TimeUnit::Years, 31_536_000)
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
    let (unit, seconds) = unit_of(unit)?;
    let secs = n.times(seconds).unwrap_or(u64::MAX);
    Some(Duration::Bounded {
        count: Number::parse(&iso_number(n))?,
        unit,
        hours: secs.div_ceil(3_600),
        business_days: business && unit == TimeUnit::Days,
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

/// "immediately preceding the claim" orders events; it sets no delay.
fn qualifies_order(rest: &str) -> bool {
    const ORDER: &[&str] = &[
        " preceding",
        " prior",
        " before",
        " following",
        " after",
        " precedant",
        " precedent",
        " anterieur",
        " suivant",
        " apres",
        " avant",
    ];
    ORDER.iter().any(|w| rest.starts_with(w))
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

fn stated_duration(s: &stated::Stated<'_>, text: &str) -> Option<Duration> {
    let n = digits_or_words(s.paren.or(s.digits), s.words)?;
    if is_availability(after(text, s.span.end)) || glued_to_number(text, s.span.start) {
        return None;
    }
    if s.unit == "j" && char_before(text, s.span.start) == Some('/') {
        return None;
    }
    let business = s.pbiz || s.sbiz.is_some_and(|b| b.trim_start().starts_with("ouvr"));
    bounded(n, s.unit, business)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Every duration in `text`, in order of position, non-overlapping.
pub fn durations(text: &str) -> Vec<DurationMatch> {
    let mut found: Vec<DurationMatch> = Vec::new();
    let mut push = |span: Range<usize>, duration: Duration| {
        found.push(DurationMatch { span, duration });
    };
    // Each regex below is a read of the text; the cheap tests before them (a digit, a `+`,
    // a word) skip the reads that cannot match, and clock times are sought only when
    // there is a duration for them to cancel.
    let mut times: Option<Vec<Range<usize>>> = None;
    for s in stated::stated(text) {
        let times = times.get_or_insert_with(|| times_of_day(text));
        if times.iter().any(|t| overlaps(t, &s.span)) {
            continue;
        }
        if let Some(d) = stated_duration(&s, text) {
            push(s.span.clone(), d);
        }
    }
    let relative = if text.contains('+') {
        RELATIVE_DAY.captures_iter(text).collect()
    } else {
        Vec::new()
    };
    for c in relative {
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
    let phrase_hits = phrase_matches(text);
    for ((phrase, said), hits) in PHRASES.iter().zip(&phrase_hits) {
        for &at in hits {
            let d = match *said {
                Said::Every(n, unit) => every(n, unit),
                Said::Now if qualifies_order(after(text, at + phrase.len())) => None,
                Said::Now => Some(Duration::Immediate),
                Said::Open => Some(Duration::Unbounded),
            };
            if let Some(d) = d {
                push(at..at + phrase.len(), d);
            }
        }
    }
    let hourly = if text.contains("horaire") {
        HOURLY_BACKUP.find_iter(text).collect()
    } else {
        Vec::new()
    };
    for m in hourly {
        if let Some(d) = every(1, "h") {
            push(m.range(), d);
        }
    }
    non_overlapping(found, |d| d.span.clone())
}

/// Byte offsets of `phrase` in `text` as whole words.
/// The distinct strings of [`PHRASES`] in one automaton, so that a text is read once for
/// all of them (a search per phrase cost more in set-up than in reading sentences).
struct PhraseIndex {
    automaton: aho_corasick::AhoCorasick,
    /// For each entry of `PHRASES`, its pattern in `automaton`.
    pattern_of: Vec<usize>,
    patterns: usize,
}

static PHRASE_INDEX: LazyLock<PhraseIndex> = LazyLock::new(|| {
    let mut distinct: Vec<&str> = PHRASES.iter().map(|(p, _)| *p).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let pattern_of = PHRASES
        .iter()
        .map(|(p, _)| distinct.binary_search(p).expect("every phrase is listed"))
        .collect();
    let automaton = aho_corasick::AhoCorasick::new(&distinct).expect("phrases are plain strings");
    PhraseIndex {
        automaton,
        pattern_of,
        patterns: distinct.len(),
    }
});

/// For each entry of `PHRASES`, the starts of its whole-word occurrences, exactly as
/// [`whole_word_matches`] finds them: each occurrence is sought after the end of the
/// previous one of the same phrase.
fn phrase_matches(text: &str) -> Vec<Vec<usize>> {
    let index = &*PHRASE_INDEX;
    let mut per_pattern: Vec<Vec<usize>> = vec![Vec::new(); index.patterns];
    let mut next_from = vec![0usize; index.patterns];
    // Occurrences of one pattern come in order of their end, hence of their start.
    for m in index.automaton.find_overlapping_iter(text) {
        let k = m.pattern().as_usize();
        if m.start() < next_from[k] {
            continue;
        }
        next_from[k] = m.end();
        if whole_word_at(text, m.start(), m.end()) {
            per_pattern[k].push(m.start());
        }
    }
    index
        .pattern_of
        .iter()
        .map(|&k| per_pattern[k].clone())
        .collect()
}

fn whole_word_at(text: &str, start: usize, end: usize) -> bool {
    let before = text
        .get(..start)
        .and_then(|s| s.chars().next_back())
        .is_some_and(char::is_alphanumeric);
    let after = text
        .get(end..)
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_alphanumeric);
    !before && !after
}

/// The search per phrase that [`phrase_matches`] replaces, kept as its reference.
#[cfg(test)]
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
    compile(&format!(
        r"(?x)
        (?P<pre>€|\$|£|\b(?:eur|usd|gbp|chf|aud|cad|nzd)\b)\s?(?P<pnum>{NUMPAT})(?:\s?(?P<pmult>{MULT})\b)?
      |
        \b(?:
            (?P<words>{words})\s?(?:\(\s?(?P<paren>{NUMPAT})\s?\)\s?)?
          | (?P<num>{NUMPAT})\s?
        )
        (?:(?P<mult>{MULT})\s?)?
        (?:(?:de|of)\s|d')?
        (?P<post>€|euros?\b|eur\b|\$|usd\b|us\sdollars?\b|australian\sdollars?\b|canadian\sdollars?\b|new\szealand\sdollars?\b|dollars?\scanadiens\b|dollars?\b|£|gbp\b|pounds?\b|livres\ssterling\b|chf\b|francs\ssuisses\b|aud\b|cad\b|nzd\b)
        (?:\s?\((?:{words})(?:\s(?:{MULT}))?(?:\s(?:de\s|d'|of\s)?[a-z]+)?\)
          | \s?\(\s?(?:€|\$|£|\b(?:eur|usd|gbp|chf)\b)\s?(?:{NUMPAT})\s?\)
          | \s?\(\s?(?:{NUMPAT})\s?(?:€|euros?\b|eur\b|\$|usd\b|£|gbp\b|chf\b)\s?\))?"
    ))
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
    compile(&format!(
        r"(?x)\b(?:{FEE_NOUN})\b[^.;\d€$£]{{0,150}}?
        \b(?:au\scours\sdes|pendant\sles|durant\sles|sur\sles|sur\sune\speriode\sde|des|les|in\sthe|during\sthe|for\sthe|over\sthe|within\sthe|over\sa\speriod\sof|(?:sur|pendant|au\scours\sde)\sla\speriode\sde|in|during|for|de|of|sur)\s
        (?:(?:immediately\s)?(?:preceding|previous|prior|last)\s)?
        {}\s?(?:derniers\s|precedents\s)?(?:mois|months?)\b
        (?:\speriod\b)?
        (?:\s(?:immediately\s|immediatement\s)?(?:precedant|preceding|prior\sto|before|avant|qui\sprecedent)\b(?:\s(?:the|le|la|l')\s?[a-z]+)?)?",
        period_pattern()
    ))
});

/// "douze (12) mois de redevances", "one year of fees".
static FEES_OF: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b{}\s(?:derniers\s|last\s)?(?P<unit>mois|months?|ans?|annees?|years?)\s(?:de\s|d'|of\s)(?:the\s|la\s|les\s)?(?:{FEE_NOUN}|abonnement|subscription|facturation)\b",
        period_pattern()
    ))
});

static FEES_ANNUAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?x)\b(?:montant|prix|redevance|chiffre\sd'affaires|cout|abonnement|remuneration|honoraire)s?\s(?:global\s|total\s|hors\staxes\s|ht\s)*annuel(?:le)?s?\b(?:\s(?:hors\staxes|ht)\b)?(?:\s(?:du|au\stitre\sdu)\scontrat\b)?(?:\s(?:des|de\sla)\s(?:sommes|redevances?|prestations)\s(?:facturees|versees|payees|reglees|dues)\b)?
        | \b(?:total\s)?annual\s(?:fees|charges|subscription\sfees|contract\svalue|amounts?|price|consideration)\b
        | \b(?:{FEE_NOUN})\b[^.;\d€$£]{{0,100}}?\b(?:preceding|previous|prior|last)\s(?:contract\s)?year\b
        | \b(?:{FEE_NOUN})\b[^.;\d€$£]{{0,100}}?\b(?:derniere\sannee|annee\s(?:precedente|precedant|anterieure|ecoulee|civile\sprecedente)|exercice\sprecedent)\b"
    ))
});

static FEES_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?x)\b(?:the\s)?total\s(?:fees|amounts?|sums|price|consideration|charges)\s(?:actually\s)?(?:paid|payable)(?:\sor\spayable)?(?:\sby\s(?:the\s)?[a-z]+)?(?:\sunder\s(?:this|the)\s(?:agreement|contract)\b|\shereunder\b)?
        | \btotal\scontract\s(?:value|price)\b
        | \b(?:fees|amounts)\s(?:actually\s)?(?:paid|payable)(?:\sor\spayable)?(?:\sby\s(?:the\s)?[a-z]+)?\s(?:under\s(?:this|the)\s(?:agreement|contract)|hereunder)\b
        | \bmontant\stotal\s(?:hors\staxes\s|ht\s)?(?:(?:paye|verse|facture|regle)e?s?|du\scontrat|de\sla\scommande|des\ssommes\s(?:versees|payees))\b(?:\spar\sle\sclient)?(?:\sau\stitre\s(?:du\scontrat|de\sla\scommande|des\spresentes|du\spresent\scontrat)\b)?
        | \bprix\s(?:total\s)?(?:paye|acquitte|verse)\spar\sle\sclient\sau\stitre\s(?:de\sla\scommande|du\scontrat|du\sbon\sde\scommande)\b
        | \bmontant\s(?:hors\staxes\s|ht\s)?(?:effectivement\s)?(?:paye|verse|regle|facture)e?s?\s(?:par\sle\sclient\s)?(?:au\stitre\s(?:de\sla|du|des)|pour\s(?:la|le|les))\s(?:commande|contrat|prestations?|services?)\b(?:\slitigieu(?:x|se|ses)\b)?
        | \bmontant\s(?:hors\staxes\s|ht\s)?de\sla\scommande\b
        | \b(?:fees|amounts?)\s(?:actually\s)?paid\s(?:by\s(?:the\s)?[a-z]+\s)?for\sthe\s(?:affected\s)?(?:services?|order)\b(?:\sgiving\srise\sto\sthe\sclaim\b)?
        | \b(?:aggregate\s)?(?:fees|amounts|sums|consideration|charges)\s(?:actually\s)?(?:paid|payable|to\sbe\spaid|received)(?:\sor\s(?:payable|paid|to\sbe\spaid))?(?:\s(?:by|to)\s(?:the\s)?[a-z]+){0,2}(?:\s(?:under|pursuant\sto)\s(?:this|the)\s(?:agreement|contract)\b|\shereunder\b)?
        | \b(?:sommes|montants)\s(?:effectivement\s)?(?:versee?s|payee?s|facturee?s|encaissee?s|reglee?s)(?:\spar\sle\sclient)?(?:\sau\stitre\s(?:du\scontrat|des\spresentes|du\spresent\scontrat)\b)?",
    )
});

fn currency(s: &str) -> &'static str {
    match s {
        "$" | "usd" | "dollar" | "dollars" => "USD",
        s if s.starts_with("us") => "USD",
        s if s.starts_with("aud") || s.starts_with("australian") => "AUD",
        s if s.starts_with("cad") || s.starts_with("canadian") || s.ends_with("canadiens") => "CAD",
        s if s.starts_with("nzd") || s.starts_with("new zealand") => "NZD",
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
        let digit_follows = after(text, m.end()).starts_with(|c: char| c.is_ascii_digit());
        if glued_to_number(text, m.start()) || digit_follows {
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
    let mut found = non_overlapping(found, |a| a.span.clone());
    for a in &mut found {
        scale(text, a);
    }
    found
}

/// A factor written right before a fee amount: "one half of", "50 % des", "twice", "deux
/// fois". Money amounts keep no factor: "twice EUR 10,000" is not how caps are written.
static FACTOR: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?x)(?:
            (?P<half>\b(?:one\shalf|one-half|half|la\smoitie|moitie)\s(?:of\s|de\s|des\s|du\s|d')?)
          | (?P<pct>\b\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|percent|pour\scent|pourcent)(?:\s\(\d{1,3}\s?%\))?\s(?:of\s|de\s|des\s|du\s|d')?
          | \(\s?(?P<ppct>\d{1,3}(?:[.,]\d{1,2})?)\s?%\s?\)\s(?:of\s|de\s|des\s|du\s|d')?
          | (?P<wtimes>\b(?:deux|trois|quatre|cinq|two|three|four|five|ten|dix))(?:\s?\(\s?(?P<ptimes>\d{1,2})\s?x?\s?\))?\s(?:times|fois)\s(?:the\s|le\s|la\s|les\s|of\s|de\s|des\s|du\s)?
          | (?P<times>\b(?:twice|double|two\stimes|deux\sfois|trois\sfois|three\stimes|(?P<ntimes>\d{1,2})\s(?:times|fois)|(?:one\s(?:and\s)?a\s)?half\stimes|une\sfois\set\sdemie)\s(?:\(\d{1,2}\s?x\)\s)?(?:the\s|le\s|la\s|les\s|of\s|de\s|des\s|du\s)?)
        )(?:the\s|le\s|la\s|les\s|an\samount\sequal\sto\s(?:the\s)?|a\ssum\sequal\sto\s(?:the\s)?)?$",
    )
});

fn scale(text: &str, a: &mut AmountMatch) {
    if matches!(a.amount, Amount::Money { .. }) {
        return;
    }
    let from = (a.span.start.saturating_sub(60)..=a.span.start)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(a.span.start);
    let Some(c) = FACTOR.captures(&text[from..a.span.start]) else {
        return;
    };
    let word_times = |w: &str| match w {
        "deux" | "two" => "2",
        "trois" | "three" => "3",
        "quatre" | "four" => "4",
        "cinq" | "five" => "5",
        _ => "10",
    };
    let factor = if c.name("half").is_some() {
        "0.5".to_string()
    } else if let Some(n) = c.name("ptimes") {
        n.as_str().to_string()
    } else if let Some(w) = c.name("wtimes") {
        word_times(w.as_str()).to_string()
    } else if let Some(p) = c.name("pct").or(c.name("ppct")) {
        let pct = p.as_str().replace(',', ".");
        match pct.parse::<f64>() {
            Ok(x) if x > 0.0 && x != 100.0 => trim_factor(x / 100.0),
            _ => return,
        }
    } else {
        let t = c.name("times").map_or("", |m| m.as_str());
        if let Some(n) = c.name("ntimes") {
            n.as_str().to_string()
        } else if t.starts_with("trois") || t.starts_with("three") {
            "3".into()
        } else if t.contains("half") || t.contains("demie") {
            "1.5".into()
        } else {
            "2".into()
        }
    };
    let start = from + c.get(0).map_or(0, |m| m.start());
    let base = std::mem::replace(&mut a.amount, Amount::FeesTotal);
    a.amount = Amount::Scaled {
        base: Box::new(base),
        factor,
    };
    a.span = start..a.span.end;
}

/// "0.5", "1.5", "0.25": a factor without trailing zeros.
fn trim_factor(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regex's matches in the reader's form.
    fn by_regex(text: &str) -> Vec<stated::Stated<'_>> {
        DURATION
            .captures_iter(text)
            .map(|c| {
                let s = |name| c.name(name).map(|m| m.as_str());
                stated::Stated {
                    span: c.get(0).map_or(0..0, |m| m.range()),
                    words: s("words"),
                    paren: s("paren"),
                    digits: s("digits"),
                    pbiz: c.name("pbiz").is_some(),
                    unit: s("unit").unwrap_or_default(),
                    sbiz: s("sbiz"),
                }
            })
            .collect()
    }

    #[test]
    fn stated_durations_read_by_hand_as_the_regex_reads_them() {
        let pieces = [
            "3",
            "72",
            "1234567",
            "123456",
            "1.5",
            "1,50",
            "1.500",
            "0.",
            ",",
            ".",
            "douze",
            "vingt",
            "et",
            "un",
            "une",
            "and",
            "two",
            "six",
            "cent",
            "mille",
            "heures",
            "heure",
            "h",
            "hrs",
            "j",
            "jours",
            "mois",
            "an",
            "ans",
            "years",
            "min",
            "mn",
            "day",
            "days",
            "business",
            "working",
            "derniers",
            "consecutive",
            "full",
            "ouvres",
            "ouvrables",
            "calendaires",
            "calendaire",
            "ouvrest",
            "(",
            ")",
            "(12)",
            "(douze)",
            "(72 heures)",
            "(3 j)",
            "(trois jours)",
            "(123456",
            "(1234567 h)",
            " ",
            " ",
            " ",
            " ",
            "  ",
            "\u{a0}",
            "\n",
            "/",
            "+",
            ":",
            "_",
            "x",
            "a",
            "€",
            "é",
            "24h",
            "3mois",
            "2hx",
            "12h00",
            "ouvre",
            "sur 24",
            "hours)",
            "jours)",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut matched = 0;
        for _ in 0..20_000 {
            let text = crate::engine::testgen::text(&pieces, 10, &mut seed);
            let expected = by_regex(&text);
            matched += expected.len();
            assert_eq!(stated::stated(&text), expected, "{text:?}");
        }
        assert!(
            matched > 5_000,
            "the generated texts hold durations ({matched})"
        );
        // Every number word and unit the reader knows, against the regex's lists.
        for w in stated::NUMBER_WORDS {
            for u in stated::UNITS {
                for text in [format!("{w} {u}"), format!("2 {u} ({w} {u})")] {
                    assert_eq!(stated::stated(&text), by_regex(&text), "{text:?}");
                    assert_eq!(by_regex(&text).len(), 1, "{text:?}");
                }
            }
        }
        for text in [
            "dans un delai de soixante douze (72) heures ouvrees (trois jours)",
            "within 3 business days (72 hours) of notice",
            "les 12 derniers mois, 1.500 heures, 24h/24, j+1 jour",
            "vingt et une heures, one hundred and twenty days, 1,5 an",
        ] {
            assert_eq!(stated::stated(text), by_regex(text), "{text:?}");
            assert!(!by_regex(text).is_empty());
        }
    }

    #[test]
    fn no_time_of_day_where_the_prefilter_sees_none() {
        let pieces = [
            "9", "18", "h", "H", " ", "  ", "\u{a0}", ":", "00", "30", "heures", "hours", "a ",
            "de ", "entre ", "et ", "avant ", "du matin", "jours", "x", "24", "-",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut with_times = 0;
        for _ in 0..3000 {
            let text = crate::engine::testgen::text(&pieces, 8, &mut seed);
            let found =
                CLOCK.is_match(&text) || HOUR_RANGE.is_match(&text) || HOUR_POINT.is_match(&text);
            with_times += usize::from(found);
            assert!(!found || may_hold_time(&text), "{text:?}");
        }
        assert!(
            with_times > 40,
            "the generated texts hold times ({with_times})"
        );
        assert!(!may_hold_time("conservees 30 jours, hebergees en france"));
    }

    #[test]
    fn one_pass_finds_every_phrase_as_a_search_per_phrase_does() {
        let texts = [
            "sans delai et sans delai, sans delaisans delai 1/jour par jour par jour1 par jour",
            "dans les meilleurs delais ; without undue delay, immediately. promptly and immediately",
            "",
        ];
        for t in texts {
            let found = phrase_matches(t);
            for ((phrase, _), got) in PHRASES.iter().zip(&found) {
                let want: Vec<usize> = whole_word_matches(t, phrase).collect();
                assert_eq!(got, &want, "{phrase:?} in {t:?}");
            }
        }
        assert!(found_any(), "the texts hold some phrases");
    }

    fn found_any() -> bool {
        phrase_matches("sans delai").iter().any(|v| !v.is_empty())
    }

    /// Folds the way the normalizer does for what these tests use: lowercase, dashes
    /// as spaces.
    fn f(s: &str) -> String {
        s.to_lowercase().replace('-', " ")
    }

    /// The report string of a value, checked to read back as the same typed value.
    fn written(v: Value) -> String {
        let s = v.to_string();
        assert_eq!(Value::parse(&s), v, "{s} reads back");
        assert!(!matches!(v, Value::Other(_)), "{s} is typed");
        s
    }

    fn d(s: &str) -> Vec<String> {
        durations(&f(s))
            .into_iter()
            .map(|m| written(m.duration.to_value()))
            .collect()
    }

    fn a(s: &str) -> Vec<String> {
        amounts(&f(s))
            .into_iter()
            .map(|m| written(m.amount.to_value()))
            .collect()
    }

    /// The single duration in `s`, with its span checked to cover `whole`.
    fn one(s: &str, whole: &str) -> Duration {
        let text = f(s);
        let found = durations(&text);
        assert_eq!(found.len(), 1, "{s}: {found:?}");
        assert_eq!(&text[found[0].span.clone()], whole, "{s}");
        found[0].duration.clone()
    }

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(parse_number("soixante douze heures"), Some((72, 14)));
        assert_eq!(parse_number("quatre vingt dix"), Some((90, 16)));
        assert_eq!(parse_number("vingt et un jours"), Some((21, 11)));
        assert_eq!(parse_number("seventy two"), Some((72, 11)));
        assert_eq!(parse_number("twelve"), Some((12, 6)));
        assert_eq!(parse_number("one hundred"), Some((100, 11)));
        assert_eq!(parse_number("72 heures"), Some((72, 2)));
        assert_eq!(parse_number("1 500 000,00"), Some((1_500_000, 12)));
        assert_eq!(parse_number("999 999"), Some((999_999, 7)));
        assert_eq!(parse_number("heures"), None);
        assert_eq!(parse_number(" 72"), None, "only at the start");
        assert_eq!(words_value("deux cent cinquante mille"), Some(250_000));
        assert_eq!(words_value("deux cent quatre vingt"), Some(280));
        assert_eq!(words_value("soixante dix neuf"), Some(79));
        assert_eq!(words_value("one hundred and twenty"), Some(120));
        assert_eq!(
            words_value("twenty one thousand five hundred"),
            Some(21_500)
        );
        assert_eq!(parse_digits("50.000").map(|d| d.int), Some(50_000));
        assert_eq!(
            parse_digits("1,234.56").map(|d| (d.int, d.frac)),
            Some((1234, 56))
        );
        assert_eq!(
            parse_digits("1 234,56").map(|d| (d.int, d.frac)),
            Some((1234, 56))
        );
        assert_eq!(parse_digits("99999999999999999999999"), None, "no overflow");
    }

    #[test]
    fn durations_with_units() {
        let cases = [
            ("72 heures", "PT72H"),
            ("une sauvegarde par jour", "P1D"),
            ("1/jour", "P1D"),
            ("72h", "PT72H"),
            ("72 h", "PT72H"),
            ("72 hrs", "PT72H"),
            ("72 hours", "PT72H"),
            ("48 heures ouvrees", "PT48H"),
            ("30 jours", "P30D"),
            ("30 days", "P30D"),
            ("sous 30j", "P30D"),
            ("2 semaines", "P2W"),
            ("3 mois", "P3M"),
            ("1 an", "P1Y"),
            ("2 ans", "P2Y"),
            ("one year", "P1Y"),
            ("30 minutes", "PT30M"),
            ("30 min", "PT30M"),
            ("une heure", "PT1H"),
            ("24 heures", "PT24H"),
            ("1,5 jour", "P1.5D"),
            ("30 jours calendaires", "P30D"),
        ];
        for (s, iso) in cases {
            assert_eq!(d(s), [iso], "{s}");
        }
        assert_eq!(one("72 heures", "72 heures").hours(), Some(72), "never P3D");
        assert_eq!(one("3 mois", "3 mois").hours(), Some(3 * 720));
        assert_eq!(one("2 ans", "2 ans").hours(), Some(2 * 8760));
        assert_eq!(one("30 min", "30 min").hours(), Some(1), "rounded up");
        assert_eq!(one("1,5 jour", "1,5 jour").hours(), Some(36));
        let business = Duration::Bounded {
            count: Number::whole(5),
            unit: TimeUnit::Days,
            hours: 120,
            business_days: true,
        };
        assert_eq!(one("5 jours ouvres", "5 jours ouvres"), business);
        assert_eq!(one("sous 5 jours ouvres", "5 jours ouvres"), business);
        assert_eq!(one("within 5 business days", "5 business days"), business);
        assert_eq!(one("5 jours ouvrables", "5 jours ouvrables"), business);
        assert!(matches!(
            one("48 heures ouvrees", "48 heures ouvrees"),
            Duration::Bounded { hours: 48, .. }
        ));
        assert!(matches!(
            one("30 jours calendaires", "30 jours calendaires"),
            Duration::Bounded {
                business_days: false,
                ..
            }
        ));
    }

    #[test]
    fn words_with_digits_are_one_match() {
        let cases = [
            ("quarante-huit (48) heures", "PT48H"),
            ("seventy-two (72) hours", "PT72H"),
            ("soixante-douze (72) heures", "PT72H"),
            ("trente (30) jours", "P30D"),
            ("douze (12) mois", "P12M"),
            ("trois (4) jours", "P4D"),
        ];
        for (s, iso) in cases {
            assert_eq!(one(s, &f(s)).value(), iso, "{s}");
        }
        let text = "dans un delai de quarante huit (48) heures a compter";
        assert_eq!(one(text, "quarante huit (48) heures").value(), "PT48H");
        assert_eq!(
            one("48 (quarante huit) heures", "48 (quarante huit) heures").value(),
            "PT48H"
        );
    }

    #[test]
    fn durations_in_words_alone() {
        assert_eq!(d("soixante-douze heures"), ["PT72H"]);
        assert_eq!(d("trois jours"), ["P3D"]);
        assert_eq!(d("seven days"), ["P7D"]);
        assert_eq!(d("un mois"), ["P1M"]);
        assert_eq!(d("sixty days"), ["P60D"]);
        assert_eq!(d("quatre vingt dix jours"), ["P90D"]);
        assert_eq!(d("vingt et un jours"), ["P21D"]);
        assert_eq!(d("une annee"), ["P1Y"]);
    }

    #[test]
    fn ops_shorthand() {
        assert_eq!(d("restauration a j+1"), ["P1D"]);
        assert_eq!(d("j+2"), ["P2D"]);
        assert_eq!(d("intervention h+4"), ["PT4H"]);
        assert_eq!(one("a j+1", "j+1").hours(), Some(24));
    }

    #[test]
    fn frequencies() {
        let cases = [
            ("une sauvegarde quotidienne", "P1D"),
            ("sauvegarde quotidien", "P1D"),
            ("sauvegarde quotidiennement", "P1D"),
            ("copie journaliere", "P1D"),
            ("chaque jour", "P1D"),
            ("tous les jours", "P1D"),
            ("daily backups", "P1D"),
            ("nightly backups", "P1D"),
            ("every day", "P1D"),
            ("each night", "P1D"),
            ("une fois par jour", "P1D"),
            ("copie hebdomadaire", "P1W"),
            ("weekly", "P1W"),
            ("chaque semaine", "P1W"),
            ("revue mensuelle", "P1M"),
            ("rapport mensuel", "P1M"),
            ("monthly", "P1M"),
            ("toutes les heures", "PT1H"),
            ("hourly", "PT1H"),
            ("every hour", "PT1H"),
            ("sauvegarde horaire", "PT1H"),
            ("toutes les 4 heures", "PT4H"),
            ("every 4 hours", "PT4H"),
            ("every four hours", "PT4H"),
            ("audit annuelle", "P1Y"),
            ("annually", "P1Y"),
            ("yearly", "P1Y"),
            ("une fois par an", "P1Y"),
            ("quarterly", "P3M"),
        ];
        for (s, iso) in cases {
            assert_eq!(d(s), [iso], "{s}");
        }
        assert_eq!(
            one("toutes les 4 heures", "toutes les 4 heures").hours(),
            Some(4)
        );
        assert!(d("horaires d'ouverture").is_empty());
    }

    #[test]
    fn immediate_and_unbounded() {
        for s in ["immediatement", "sans delai", "immediately", "forthwith"] {
            let got = one(s, s);
            assert_eq!(got, Duration::Immediate, "{s}");
            assert_eq!(got.hours(), Some(0));
            assert_eq!(got.value(), "PT0S");
        }
        for s in [
            "dans les meilleurs delais",
            "dans les plus brefs delais",
            "dans un delai raisonnable",
            "without undue delay",
            "as soon as possible",
            "as soon as reasonably practicable",
            "as soon as practicable",
            "promptly",
            "within a reasonable time",
        ] {
            let got = one(s, s);
            assert_eq!(got, Duration::Unbounded, "{s}");
            assert_eq!(got.hours(), None);
            assert_eq!(got.value(), "unbounded");
        }
        assert_eq!(
            d("notifie dans les meilleurs delais et au plus tard sous 72 heures"),
            ["unbounded", "PT72H"]
        );
    }

    #[test]
    fn traps_are_not_durations() {
        for s in [
            "du lundi au vendredi de 9h a 18h",
            "de 9h a 18h",
            "a 9h00",
            "9h00",
            "18h30",
            "9:00",
            "du lundi au vendredi de 8 h a 19 h",
            "entre 9 et 18 heures",
            "de 9h00 a 12h00 et de 14h00 a 18h00",
            "horaires 9h 18h",
            "appel avant 18h",
            "jusqu'a 18 heures",
            "8 heures du matin",
            "disponible 24/7",
            "24h/24 et 7j/7",
            "24 heures sur 24",
            "article 72",
            "l. 12 10 1",
            "72",
            "en 2023",
            "99,9 %",
            "heureux",
            "dans les plans",
            "sans objet",
            "les ans",
            "un plan de 3 pages",
        ] {
            assert!(d(s).is_empty(), "{s}: {:?}", d(s));
        }
    }

    #[test]
    fn delays_next_to_times_survive() {
        assert_eq!(d("de 24 a 48 heures"), ["PT48H"]);
        assert_eq!(d("de 4 a 8 heures"), ["PT8H"]);
        assert_eq!(d("de 24h a 48h"), ["PT24H", "PT48H"]);
        assert_eq!(d("rpo de 24h et rto de 4h"), ["PT24H", "PT4H"]);
        assert_eq!(d("gti a 4h"), ["PT4H"]);
        assert_eq!(d("delai de 4h"), ["PT4H"]);
        assert_eq!(
            d("support de 9h a 18h, retablissement sous 4 heures"),
            ["PT4H"]
        );
        assert_eq!(d("au dela des 12 heures"), ["PT12H"]);
    }

    #[test]
    fn spans_are_ordered_and_disjoint() {
        let text = "sous 72 heures, puis quotidiennement, sans delai";
        let found = durations(text);
        assert_eq!(found.len(), 3);
        for w in found.windows(2) {
            assert!(w[0].span.end <= w[1].span.start);
        }
        assert_eq!(&text[found[0].span.clone()], "72 heures");
    }

    #[test]
    fn money_amounts() {
        let cases = [
            ("eur 50 000", "EUR 50000"),
            ("50 000 €", "EUR 50000"),
            ("50.000 €", "EUR 50000"),
            ("50 000 euros", "EUR 50000"),
            ("€50,000", "EUR 50000"),
            ("50 000,00 €", "EUR 50000"),
            ("1 500 000 €", "EUR 1500000"),
            ("1.500.000 euros", "EUR 1500000"),
            ("$1,000,000", "USD 1000000"),
            ("usd 1,000,000", "USD 1000000"),
            ("1 million de dollars", "USD 1000000"),
            ("1 million usd", "USD 1000000"),
            ("£10,000", "GBP 10000"),
            ("chf 20 000", "CHF 20000"),
            ("cinquante mille (50 000) euros", "EUR 50000"),
            ("cinquante mille euros", "EUR 50000"),
            ("10 k€", "EUR 10000"),
            ("10 keur", "EUR 10000"),
            ("2 m€", "EUR 2000000"),
            ("2 millions d'euros", "EUR 2000000"),
            ("1,5 million d'euros", "EUR 1500000"),
            ("1 234,56 €", "EUR 1234"),
            ("$1,234.56", "USD 1234"),
            ("AUD 750,000", "AUD 750000"),
            (
                "seven hundred and fifty thousand australian dollars",
                "AUD 750000",
            ),
            ("cinquante mille dollars canadiens", "CAD 50000"),
        ];
        for (s, v) in cases {
            assert_eq!(a(s), [v], "{s}");
        }
        let text = "plafond de cinquante mille (50 000) euros par sinistre";
        let found = amounts(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].span.clone()],
            "cinquante mille (50 000) euros"
        );
        assert_eq!(
            found[0].amount,
            Amount::Money {
                currency: "EUR".into(),
                units: 50_000
            }
        );
    }

    #[test]
    fn fee_caps() {
        let cases = [
            ("les sommes versees au cours des douze (12) derniers mois", "fees:12M"),
            (
                "le montant des sommes effectivement payees par le client au cours des 6 mois precedant",
                "fees:6M",
            ),
            (
                "the fees paid or payable by customer in the twelve (12) months preceding the event",
                "fees:12M",
            ),
            ("the amounts paid by customer during the 12 month period", "fees:12M"),
            ("le montant annuel hors taxes du contrat", "fees:12M"),
            ("la redevance annuelle", "fees:12M"),
            ("annual fees", "fees:12M"),
            ("fees paid in the preceding year", "fees:12M"),
            ("douze (12) mois de redevances", "fees:12M"),
            ("the total fees paid under this agreement", "fees:total"),
            ("le montant total paye au titre du contrat", "fees:total"),
            ("le montant total du contrat", "fees:total"),
            ("le prix paye par le client au titre de la commande", "fees:total"),
            ("the amounts actually paid", "fees:total"),
            ("the amounts to be paid by client to excite hereunder", "fees:total"),
            ("les sommes effectivement versees par le client au titre du contrat", "fees:total"),
            (
                "one half of the fees paid in the twelve (12) months preceding the claim",
                "fees:12M*0.5",
            ),
            ("la moitie des sommes versees au cours des douze (12) derniers mois", "fees:12M*0.5"),
            ("two times the annual fees", "fees:12M*2"),
            ("two times (2x) the annual fees", "fees:12M*2"),
            (
                "deux (2) fois le montant des sommes facturees au client au cours des douze (12) mois",
                "fees:12M*2",
            ),
            (
                "cinquante pour cent (50 %) du prix hors taxes des produits commandes au cours des douze (12) mois",
                "fees:12M*0.5",
            ),
            ("three times the fees paid by the customer in the twelve months before the claim", "fees:12M*3"),
            ("50 % du montant annuel hors taxes du contrat", "fees:12M*0.5"),
            ("150% of the total fees paid under this agreement", "fees:total*1.5"),
            ("an amount equal to twice the amounts paid hereunder", "fees:total*2"),
            ("le montant annuel hors taxes des sommes facturees", "fees:12M"),
        ];
        for (s, v) in cases {
            assert_eq!(a(s), [v], "{s}");
        }
        let text = "limitee aux sommes versees au cours des douze (12) derniers mois";
        let found = amounts(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].span.clone()],
            "sommes versees au cours des douze (12) derniers mois"
        );
        let text = "the fees paid in the twelve (12) months preceding the event";
        assert_eq!(
            amounts(text)[0].span,
            4..text.len(),
            "one match, whole phrase"
        );
    }

    /// The forms liability caps take in the liability pack's examples and corpus.
    #[test]
    fn liability_cap_forms() {
        let cases = [
            ("150 000 €", "EUR 150000"),
            ("150.000 euros", "EUR 150000"),
            ("cent cinquante mille euros", "EUR 150000"),
            ("cent cinquante mille (150 000) euros", "EUR 150000"),
            ("eur 150,000", "EUR 150000"),
            ("€150,000", "EUR 150000"),
            ("$1,000,000", "USD 1000000"),
            ("one hundred dollars ($100)", "USD 100"),
            (
                "le montant des sommes versees au titre des six derniers mois",
                "fees:6M",
            ),
            (
                "les sommes versees au cours des trois (3) mois precedant la demande",
                "fees:3M",
            ),
            (
                "the fees paid or payable in the twelve (12) months preceding the claim",
                "fees:12M",
            ),
            ("the annual fees", "fees:12M"),
            (
                "le montant paye par le client au titre de la commande",
                "fees:total",
            ),
            (
                "au montant paye pour la prestation litigieuse",
                "fees:total",
            ),
            ("le montant ht de la commande", "fees:total"),
            (
                "the fees paid by customer for the affected services",
                "fees:total",
            ),
            (
                "le montant paye par le client au titre du contrat au cours des 12 derniers mois",
                "fees:12M",
            ),
        ];
        for (s, v) in cases {
            assert_eq!(a(s), [v], "{s}");
        }
    }

    #[test]
    fn fee_phrase_variants() {
        let text = "the fees paid by customer in the 12 months immediately preceding the claim";
        let found = amounts(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].amount, Amount::FeesMonths(12));
        assert_eq!(found[0].span.end, text.len());
        assert_eq!(
            a("les honoraires payes au cours de l'annee precedente"),
            ["fees:12M"]
        );
        assert_eq!(
            a("les sommes payees sur la periode de six mois precedant le sinistre"),
            ["fees:6M"]
        );
        assert_eq!(a("one year of fees"), ["fees:12M"]);
        assert_eq!(a("the total fees paid hereunder"), ["fees:total"]);
    }

    #[test]
    fn immediately_preceding_is_no_delay() {
        assert_eq!(
            d("in the 12 months immediately preceding the claim"),
            ["P12M"]
        );
        assert!(d("l'exercice immediatement precedent").is_empty());
        assert_eq!(
            d("notify immediately after discovery"),
            Vec::<String>::new()
        );
        assert_eq!(d("notify immediately."), ["PT0S"]);
    }

    #[test]
    fn article_forms() {
        assert_eq!(d("within an hour"), ["PT1H"]);
        assert_eq!(d("within half an hour"), ["PT30M"]);
        assert_eq!(d("sous une demi heure"), ["PT30M"]);
    }

    #[test]
    fn restatements_are_one_match() {
        assert_eq!(one("48 heures (48h)", "48 heures (48h)").value(), "PT48H");
        assert_eq!(
            one(
                "72 heures (soixante douze heures)",
                "72 heures (soixante douze heures)"
            )
            .value(),
            "PT72H"
        );
        let text = "5 000 000 € (cinq millions d'euros)";
        let found = amounts(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span, 0..text.len());
        assert_eq!(found[0].amount.value(), "EUR 5000000");
    }

    #[test]
    fn qualified_units_and_decimal_multipliers() {
        assert_eq!(d("les 3 derniers mois"), ["P3M"]);
        assert_eq!(d("12 consecutive months"), ["P12M"]);
        assert_eq!(a("eur 1.5m"), ["EUR 1500000"]);
        assert_eq!(a("2,5 m€"), ["EUR 2500000"]);
        assert_eq!(a("€ 2.5 million"), ["EUR 2500000"]);
        assert_eq!(a("€1.2345"), Vec::<String>::new(), "digits after the cents");
    }

    #[test]
    fn money_before_fee_wording_stays_separate() {
        assert_eq!(
            a("au plus eleve des deux montants: 50 000 € ou les sommes versees au cours des 12 derniers mois"),
            ["EUR 50000", "fees:12M"]
        );
    }

    #[test]
    fn not_amounts() {
        for s in [
            "99,9 %",
            "article 12",
            "le 12.03.2024",
            "tel. 01 23 45 67 89",
            "+33 1 23 45 67 89",
            "12 mois",
            "1 million",
            "50 000",
            "la valeur 50",
            "les sommes dues au titre des mois suivants",
        ] {
            assert!(a(s).is_empty(), "{s}: {:?}", a(s));
        }
    }

    /// A tiny deterministic fuzzer: random sequences of tricky tokens, multibyte chars
    /// included, must never panic and must give char-aligned, ordered, disjoint spans.
    #[test]
    fn never_panics_and_spans_are_sound() {
        const TOKENS: &[&str] = &[
            "€",
            "$",
            "£",
            "é",
            "日本",
            "\u{1F600}",
            "12",
            "000",
            "9",
            ",",
            ".",
            " ",
            "(",
            ")",
            "/",
            "+",
            "h",
            "j",
            "heures",
            "mille",
            "douze",
            "mois",
            "euros",
            "k",
            "m",
            "de",
            "a",
            "sommes versees au cours des",
            "derniers",
            "99999999999999999999",
            "sans",
            "delai",
            "every",
            "'",
            ":",
            "ouvres",
            "%",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (next() % 12) as usize;
            let text: String = (0..len)
                .map(|_| TOKENS[(next() % TOKENS.len() as u64) as usize])
                .collect();
            check_spans(&text, durations(&text).iter().map(|m| m.span.clone()));
            check_spans(&text, amounts(&text).iter().map(|m| m.span.clone()));
            let _ = parse_number(&text);
        }
        for s in [
            "",
            "(",
            "€ 99999999999999999999999",
            "9999999999 mille mille mille mille euros",
            "999999 mois de redevances",
            "99999999999999 heures",
            "1,99999999 jours",
        ] {
            check_spans(s, durations(s).iter().map(|m| m.span.clone()));
            check_spans(s, amounts(s).iter().map(|m| m.span.clone()));
        }
    }

    fn check_spans(text: &str, spans: impl Iterator<Item = Range<usize>>) {
        let mut end = 0;
        for s in spans {
            assert!(s.start >= end && s.start < s.end, "{text:?}: {s:?}");
            assert!(text.get(s.clone()).is_some(), "{text:?}: {s:?}");
            end = s.end;
        }
    }
}
