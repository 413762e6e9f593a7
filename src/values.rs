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
    /// 365, business days as calendar days.
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

fn word_value(w: &str) -> Option<u64> {
    NUMBER_WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// Value of a run of number words ("soixante douze", "quatre vingt dix", "seventy two").
fn words_value(words: &str) -> Option<u64> {
    let (mut total, mut current) = (0u64, 0u64);
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
            // "quatre vingt" is 4 × 20.
            20 if current == 4 => current = 80,
            _ => current = current.saturating_add(v),
        }
    }
    any.then(|| total.saturating_add(current))
}

/// Parses a number written in digits or French/English words at the start of `text`.
/// Returns the value and the byte length consumed.
pub fn parse_number(text: &str) -> Option<(u64, usize)> {
    if let Some(m) = DIGITS.find(text).filter(|m| m.start() == 0) {
        return Some((digits_value(m.as_str())?.0, m.end()));
    }
    let m = WORDS.find(text).filter(|m| m.start() == 0)?;
    let consumed = m.as_str().trim_end();
    Some((words_value(consumed)?, consumed.len()))
}

/// Integer part and whether a decimal part was present, deciding separators the way each
/// language writes them: a separator followed by exactly three digits groups thousands.
fn digits_value(s: &str) -> Option<(u64, bool)> {
    let s = s.trim();
    let bytes = s.as_bytes();
    let mut int = String::new();
    let mut decimal = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            if !decimal {
                int.push(b as char);
            }
        } else if matches!(b, b' ' | b'.' | b',' | b'\'') {
            let run = bytes[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let after = bytes.get(i + 1 + run);
            let grouping = run == 3 && !matches!(after, Some(c) if c.is_ascii_digit());
            if !grouping {
                if b == b' ' || b == b'\'' {
                    break;
                }
                decimal = true;
            }
        } else {
            break;
        }
        i += 1;
    }
    Some((int.parse().ok()?, decimal))
}

static NUMWORD: &str = "zero|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|one|two|three|four|five|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand";

static DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,3}(?:[\x20.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?").expect("valid regex")
});

static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:{NUMWORD})(?:\s(?:et\s|and\s)?(?:{NUMWORD}))*\b"
    ))
    .expect("valid regex")
});

// ---------------------------------------------------------------------------------------
// Durations.

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)\b
        (?:(?P<words>(?:{NUMWORD})(?:\s(?:et\s|and\s)?(?:{NUMWORD}))*)\s?)?
        (?:\(\s?(?P<paren>\d{{1,5}})\s?\)\s?|(?P<digits>\d{{1,5}})\s?)?
        (?P<unit>heures?|hrs?|hours?|h|minutes?|mins?|jours?|days?|semaines?|weeks?|mois|months?|ans|an|annees?|years?)
        (?P<biz>\s(?:ouvres|ouvrables|ouvrees|ouvre|ouvree|business|working))?
        \b"
    ))
    .expect("valid regex")
});

/// Hour ranges and clock times ("de 9h a 18h", "9h30", "from 9 to 17 hours").
static TIME_OF_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b\d{1,2}\s?h\s?\d{2}\b
        | \b\d{1,2}:\d{2}\b
        | \b(?:de|des|from|entre|between)\s\d{1,2}\s?(?:h|heures?)?\s(?:a|to|et|and|until|jusqu'a)\s\d{1,2}\s?(?:h|heures?|hours?)\b
        | \b\d{1,2}\s?h\s?/\s?24\b | \b24\s?/\s?7\b | \b7\s?j\s?/\s?7\b",
    )
    .expect("valid regex")
});

static RELATIVE_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([jhd])\s?\+\s?(\d{1,3})\b").expect("valid regex"));

static EVERY_N: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:toutes les|every|each)\s(?P<unit>heures?|hours?|jours?|days?|nuits?|nights?|semaines?|weeks?|mois|months?)\b")
        .expect("valid regex")
});

/// Fixed phrases: frequencies, immediacy, open-ended delays.
const PHRASES: &[(&str, &str)] = &[
    ("quotidiennement", "P1D"),
    ("quotidiennes", "P1D"),
    ("quotidienne", "P1D"),
    ("quotidiens", "P1D"),
    ("quotidien", "P1D"),
    ("journalieres", "P1D"),
    ("journaliere", "P1D"),
    ("journaliers", "P1D"),
    ("journalier", "P1D"),
    ("chaque jour", "P1D"),
    ("tous les jours", "P1D"),
    ("chaque nuit", "P1D"),
    ("toutes les nuits", "P1D"),
    ("daily", "P1D"),
    ("nightly", "P1D"),
    ("hebdomadaires", "P1W"),
    ("hebdomadaire", "P1W"),
    ("hebdomadairement", "P1W"),
    ("chaque semaine", "P1W"),
    ("toutes les semaines", "P1W"),
    ("weekly", "P1W"),
    ("mensuellement", "P1M"),
    ("mensuelles", "P1M"),
    ("mensuelle", "P1M"),
    ("mensuels", "P1M"),
    ("mensuel", "P1M"),
    ("chaque mois", "P1M"),
    ("tous les mois", "P1M"),
    ("monthly", "P1M"),
    ("annuellement", "P1Y"),
    ("annually", "P1Y"),
    ("yearly", "P1Y"),
    ("chaque annee", "P1Y"),
    ("hourly", "PT1H"),
    ("toutes les heures", "PT1H"),
    ("chaque heure", "PT1H"),
    ("immediatement", "PT0S"),
    ("sans delai", "PT0S"),
    ("sans attendre", "PT0S"),
    ("immediately", "PT0S"),
    ("forthwith", "PT0S"),
    ("dans les meilleurs delais", "-"),
    ("dans les plus brefs delais", "-"),
    ("dans un delai raisonnable", "-"),
    ("dans les delais raisonnables", "-"),
    ("au plus vite", "-"),
    ("des que possible", "-"),
    ("aussitot que possible", "-"),
    ("without undue delay", "-"),
    ("as soon as reasonably practicable", "-"),
    ("as soon as practicable", "-"),
    ("as soon as possible", "-"),
    ("promptly", "-"),
    ("within a reasonable time", "-"),
    ("in a timely manner", "-"),
    ("in due course", "-"),
];

/// "horaire" is a frequency only after a backup word ("sauvegarde horaire"), not in
/// "horaires d'ouverture".
static HOURLY_BACKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:sauvegardes?|backups?|snapshots?|replications?|copies?|instantanes?)\shoraires?\b",
    )
    .expect("valid regex")
});

fn unit_of(unit: &str) -> Option<(&'static str, bool, u64)> {
    // (ISO designator, is a time part, hours per unit × 60 as minutes granularity)
    Some(match unit {
        "h" | "hr" | "hrs" | "heure" | "heures" | "hour" | "hours" => ("H", true, 60),
        "min" | "mins" | "minute" | "minutes" => ("M", true, 1),
        "jour" | "jours" | "day" | "days" | "nuit" | "nuits" | "night" | "nights" => {
            ("D", false, 1440)
        }
        "semaine" | "semaines" | "week" | "weeks" => ("W", false, 10_080),
        "mois" | "month" | "months" => ("M", false, 43_200),
        "an" | "ans" | "annee" | "annees" | "year" | "years" => ("Y", false, 525_600),
        _ => return None,
    })
}

fn bounded(n: u64, unit: &str, business: bool) -> Option<Duration> {
    let (designator, time, minutes) = unit_of(unit)?;
    let iso = if time {
        format!("PT{n}{designator}")
    } else {
        format!("P{n}{designator}")
    };
    Some(Duration::Bounded {
        iso,
        hours: n.saturating_mul(minutes).div_ceil(60),
        business_days: business && designator == "D",
    })
}

/// Every duration in `text`, in order of position, non-overlapping.
pub fn durations(text: &str) -> Vec<DurationMatch> {
    let times: Vec<Range<usize>> = TIME_OF_DAY.find_iter(text).map(|m| m.range()).collect();
    let in_time = |r: &Range<usize>| {
        times
            .iter()
            .any(|t| t.start <= r.start && r.end <= t.end || (r.start < t.end && t.start < r.end))
    };
    let mut found: Vec<DurationMatch> = Vec::new();
    for c in DURATION.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        if let Some(d) = stated_duration(&c, text, m.end()) {
            if !in_time(&m.range()) {
                found.push(DurationMatch {
                    span: m.range(),
                    duration: d,
                });
            }
        }
    }
    for c in RELATIVE_DAY.captures_iter(text) {
        let (Some(m), Some(n)) = (
            c.get(0),
            c.get(2).and_then(|n| n.as_str().parse::<u64>().ok()),
        ) else {
            continue;
        };
        let unit = if &c[1] == "h" { "h" } else { "jour" };
        if let Some(d) = bounded(n, unit, false) {
            found.push(DurationMatch {
                span: m.range(),
                duration: d,
            });
        }
    }
    for c in EVERY_N.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        if let Some(d) = bounded(1, c["unit"].trim_end_matches('s'), false) {
            found.push(DurationMatch {
                span: m.range(),
                duration: d,
            });
        }
    }
    for (phrase, value) in PHRASES {
        for (at, _) in whole_word_matches(text, phrase) {
            let d = match *value {
                "-" => Duration::Unbounded,
                "PT0S" => Duration::Immediate,
                iso => fixed(iso),
            };
            found.push(DurationMatch {
                span: at..at + phrase.len(),
                duration: d,
            });
        }
    }
    for m in HOURLY_BACKUP.find_iter(text) {
        found.push(DurationMatch {
            span: m.range(),
            duration: fixed("PT1H"),
        });
    }
    non_overlapping(found, |d| d.span.clone())
}

fn fixed(iso: &str) -> Duration {
    let hours = match iso {
        "PT1H" => 1,
        "P1D" => 24,
        "P1W" => 168,
        "P1M" => 720,
        _ => 8760,
    };
    Duration::Bounded {
        iso: iso.into(),
        hours,
        business_days: false,
    }
}

fn stated_duration(c: &Captures<'_>, text: &str, end: usize) -> Option<Duration> {
    let unit = c.name("unit")?.as_str();
    let from_words = c.name("words").and_then(|w| words_value(w.as_str()));
    let from_digits = c
        .name("paren")
        .or(c.name("digits"))
        .and_then(|d| d.as_str().parse::<u64>().ok());
    // Digits win over words when both are written.
    let n = from_digits.or(from_words)?;
    if unit == "h" || unit == "an" {
        // "4h" is a duration; "a h" or "h/24" is not. A bare "an" needs a number in digits
        // or words right before it ("1 an", "un an").
        if text[end..].starts_with('/') {
            return None;
        }
    }
    if unit == "mois" && c.name("digits").is_some() && text[end..].starts_with(" de ") {
        // "12 mois de redevances" is still 12 months; nothing to exclude.
    }
    let business = c.name("biz").is_some();
    bounded(n, unit, business)
}

/// Byte offsets of `phrase` in `text` as whole words.
fn whole_word_matches<'a>(
    text: &'a str,
    phrase: &'a str,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    text.match_indices(phrase).filter(move |(at, p)| {
        let before = text[..*at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after = text[at + p.len()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        !before && !after
    })
}

/// Sorted by start; where candidates overlap the longest (then the first) wins.
fn non_overlapping<T>(mut v: Vec<T>, span: impl Fn(&T) -> Range<usize>) -> Vec<T> {
    v.sort_by(|a, b| {
        let (ra, rb) = (span(a), span(b));
        ra.start
            .cmp(&rb.start)
            .then((rb.end - rb.start).cmp(&(ra.end - ra.start)))
    });
    let mut out: Vec<T> = Vec::with_capacity(v.len());
    for x in v {
        let r = span(&x);
        match out.last() {
            Some(last) if r.start < span(last).end => {
                if r.end - r.start > span(last).len() {
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

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        (?P<pre>€|\$|£|\beur\b|\busd\b|\bgbp\b|\bchf\b)\s?(?P<pnum>\d{{1,3}}(?:[\x20.,']\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)(?:\s?(?P<pmult>k|m|millions?|milliards?|million)\b)?
        |
        (?:(?P<words>(?:{NUMWORD})(?:\s(?:et\s|and\s)?(?:{NUMWORD}))*)\s)?
        (?:\(\s?(?P<paren>\d{{1,3}}(?:[\x20.,']\d{{3}})+|\d+)\s?\)\s?|(?P<num>\d{{1,3}}(?:[\x20.,']\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)\s?)
        (?P<mult>k|m|millions?|milliards?|million)?\s?(?:d'|de\s|d\s)?
        (?P<post>€|\beuros?\b|\beur\b|\$|\busd\b|\bdollars?\b|£|\bgbp\b|\bchf\b|\bfrancs suisses\b)"
    ))
    .expect("valid regex")
});

static FEES_MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)\b(?:sommes|montants?|prix|redevances?|honoraires|fees|amounts|charges|sums)\b[^.;]{{0,120}}?
        \b(?:au\scours\sdes|pendant\sles|durant\sles|sur\sles|des|in\sthe|during\sthe|for\sthe|over\sthe|in|during)\s
        (?:(?:preceding|previous|prior|last)\s)?
        (?P<n>(?:(?:{NUMWORD})(?:\s(?:{NUMWORD}))*\s?)?(?:\(\s?\d{{1,3}}\s?\)|\d{{1,3}})?)\s?
        (?:derniers\s)?(?:mois|months?)\b(?:\s(?:period|precedant|preceding|prior))?"
    ))
    .expect("valid regex")
});

static FEES_ANNUAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b(?:montant|prix|redevance|chiffre)s?\s(?:hors\staxes\s|ht\s|total\s)*annuels?\b
        | \bannual\s(?:fees|charges|subscription\sfees|contract\svalue)\b
        | \b(?:fees|amounts)\s(?:paid|payable)[^.;]{0,60}?\b(?:preceding|previous|prior)\syear\b",
    )
    .expect("valid regex")
});

static FEES_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\btotal\s(?:fees|amounts?|sums)\s(?:paid|payable)\s(?:by\s\w+\s)?(?:under\sthis\sagreement|hereunder|under\sthe\sagreement)
        | \bmontant\stotal\s(?:hors\staxes\s|ht\s)?(?:paye|verse|du\scontrat|de\sla\scommande|des\ssommes)
        | \bprix\s(?:paye|acquitte)\spar\sle\sclient\sau\stitre\sde\sla\scommande",
    )
    .expect("valid regex")
});

fn currency(s: &str) -> &'static str {
    match s {
        "$" | "usd" | "dollar" | "dollars" => "USD",
        "£" | "gbp" => "GBP",
        "chf" | "francs suisses" => "CHF",
        _ => "EUR",
    }
}

fn multiplier(m: Option<&str>) -> u64 {
    match m {
        Some("k") => 1_000,
        Some("m") | Some("million") | Some("millions") => 1_000_000,
        Some("milliard") | Some("milliards") => 1_000_000_000,
        _ => 1,
    }
}

/// Every amount in `text`, in order of position, non-overlapping.
pub fn amounts(text: &str) -> Vec<AmountMatch> {
    let mut found = Vec::new();
    for c in MONEY.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        if let Some(a) = money(&c) {
            found.push(AmountMatch {
                span: m.range(),
                amount: a,
            });
        }
    }
    for c in FEES_MONTHS.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let n = c.name("n").map_or("", |n| n.as_str());
        let months = paren_or_words(n).unwrap_or(1);
        if let Ok(months) = u32::try_from(months) {
            found.push(AmountMatch {
                span: m.range(),
                amount: Amount::FeesMonths(months),
            });
        }
    }
    for m in FEES_ANNUAL.find_iter(text) {
        found.push(AmountMatch {
            span: m.range(),
            amount: Amount::FeesMonths(12),
        });
    }
    for m in FEES_TOTAL.find_iter(text) {
        found.push(AmountMatch {
            span: m.range(),
            amount: Amount::FeesTotal,
        });
    }
    non_overlapping(found, |a| a.span.clone())
}

fn paren_or_words(s: &str) -> Option<u64> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    words_value(s.trim())
}

fn money(c: &Captures<'_>) -> Option<Amount> {
    let (cur, num, mult) = if let Some(pre) = c.name("pre") {
        (pre.as_str(), c.name("pnum"), c.name("pmult"))
    } else {
        let num = c.name("paren").or(c.name("num"));
        (c.name("post")?.as_str(), num, c.name("mult"))
    };
    let base = match num {
        Some(n) => digits_value(n.as_str())?.0,
        None => words_value(c.name("words")?.as_str())?,
    };
    let units = base.checked_mul(multiplier(mult.map(|m| m.as_str())))?;
    Some(Amount::Money {
        currency: currency(cur).to_string(),
        units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folds like `normalize` does for the characters these tests use.
    fn f(s: &str) -> String {
        crate::normalize::fold(s)
    }

    fn d(s: &str) -> Vec<String> {
        durations(&f(s))
            .into_iter()
            .map(|m| m.duration.value())
            .collect()
    }

    fn a(s: &str) -> Vec<String> {
        amounts(&f(s))
            .into_iter()
            .map(|m| m.amount.value())
            .collect()
    }

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(parse_number("soixante douze heures"), Some((72, 14)));
        assert_eq!(words_value("quatre vingt dix"), Some(90));
        assert_eq!(words_value("vingt et un"), Some(21));
        assert_eq!(words_value("deux cent cinquante mille"), Some(250_000));
        assert_eq!(words_value("seventy two"), Some(72));
        assert_eq!(words_value("one hundred and twenty"), Some(120));
        assert_eq!(parse_number("1 500 000,00"), Some((1_500_000, 12)));
        assert_eq!(digits_value("50.000"), Some((50_000, false)));
        assert_eq!(digits_value("1,234.56"), Some((1234, true)));
        assert_eq!(digits_value("1 234,56"), Some((1234, true)));
    }

    #[test]
    fn durations_with_units() {
        assert_eq!(d("sous 72 heures"), ["PT72H"]);
        assert_eq!(d("72h"), ["PT72H"]);
        assert_eq!(d("within 72 hrs"), ["PT72H"]);
        assert_eq!(d("sous 5 jours ouvrés"), ["P5D"]);
        assert_eq!(d("30 days"), ["P30D"]);
        assert_eq!(d("2 semaines"), ["P2W"]);
        assert_eq!(d("3 mois"), ["P3M"]);
        assert_eq!(d("1 an"), ["P1Y"]);
        assert_eq!(d("30 minutes"), ["PT30M"]);
        assert_eq!(d("une heure"), ["PT1H"]);
        let m = &durations(&f("5 jours ouvrés"))[0];
        assert_eq!(
            m.duration,
            Duration::Bounded {
                iso: "P5D".into(),
                hours: 120,
                business_days: true
            }
        );
    }

    #[test]
    fn words_with_digits_are_one_match() {
        assert_eq!(d("quarante-huit (48) heures"), ["PT48H"]);
        assert_eq!(d("seventy-two (72) hours"), ["PT72H"]);
        assert_eq!(d("soixante-douze (72) heures"), ["PT72H"]);
        assert_eq!(d("trente (30) jours"), ["P30D"]);
        assert_eq!(d("douze (12) mois"), ["P12M"]);
        assert_eq!(d("soixante-douze heures"), ["PT72H"]);
        assert_eq!(d("seven days"), ["P7D"]);
        assert_eq!(d("trois (4) jours"), ["P4D"], "digits win");
    }

    #[test]
    fn shorthand_frequencies_and_open_delays() {
        assert_eq!(d("restauration à J+1"), ["P1D"]);
        assert_eq!(d("intervention H+4"), ["PT4H"]);
        assert_eq!(d("une sauvegarde quotidienne"), ["P1D"]);
        assert_eq!(d("nightly backups"), ["P1D"]);
        assert_eq!(d("copie hebdomadaire"), ["P1W"]);
        assert_eq!(d("every 4 hours"), ["PT4H"]);
        assert_eq!(d("toutes les heures"), ["PT1H"]);
        assert_eq!(d("sauvegarde horaire"), ["PT1H"]);
        assert!(d("horaires d'ouverture").is_empty());
        assert_eq!(d("notifie dans les meilleurs délais"), ["unbounded"]);
        assert_eq!(d("without undue delay"), ["unbounded"]);
        assert_eq!(d("informe immédiatement"), ["PT0S"]);
        assert_eq!(durations("without undue delay")[0].duration.hours(), None);
    }

    #[test]
    fn traps_are_not_durations() {
        for s in [
            "du lundi au vendredi de 9h à 18h",
            "à 9h00",
            "18h30",
            "9:00",
            "de 8 h à 19 h",
            "disponible 24/7",
            "24h/24 et 7j/7",
            "article 72",
            "C. assur., art. L. 12-10-1",
            "en 2023",
            "99,9 %",
            "heureux",
            "dans les plans",
            "sans objet",
        ] {
            assert!(d(s).is_empty(), "{s}: {:?}", d(s));
        }
    }

    #[test]
    fn money_amounts() {
        assert_eq!(a("EUR 50 000"), ["EUR 50000"]);
        assert_eq!(a("50 000 €"), ["EUR 50000"]);
        assert_eq!(a("50.000 €"), ["EUR 50000"]);
        assert_eq!(a("50 000 euros"), ["EUR 50000"]);
        assert_eq!(a("€50,000"), ["EUR 50000"]);
        assert_eq!(a("50 000,00 €"), ["EUR 50000"]);
        assert_eq!(a("1 500 000 €"), ["EUR 1500000"]);
        assert_eq!(a("1.500.000 euros"), ["EUR 1500000"]);
        assert_eq!(a("$1,000,000"), ["USD 1000000"]);
        assert_eq!(a("USD 1,000,000"), ["USD 1000000"]);
        assert_eq!(a("1 million de dollars"), ["USD 1000000"]);
        assert_eq!(a("£10,000"), ["GBP 10000"]);
        assert_eq!(a("CHF 20 000"), ["CHF 20000"]);
        assert_eq!(a("cinquante mille (50 000) euros"), ["EUR 50000"]);
        assert_eq!(a("10 k€"), ["EUR 10000"]);
        assert_eq!(a("2 millions d'euros"), ["EUR 2000000"]);
        assert_eq!(a("1 234,56 €"), ["EUR 1234"]);
    }

    #[test]
    fn fee_caps() {
        assert_eq!(
            a("les sommes versées au cours des douze (12) derniers mois"),
            ["fees:12M"]
        );
        assert_eq!(a("le montant des sommes effectivement payées par le Client au cours des 6 mois précédant"), ["fees:6M"]);
        assert_eq!(a("the fees paid or payable by Customer in the twelve (12) months preceding the event"), ["fees:12M"]);
        assert_eq!(
            a("the amounts paid by Customer during the 12 month period"),
            ["fees:12M"]
        );
        assert_eq!(a("le montant annuel hors taxes du contrat"), ["fees:12M"]);
        assert_eq!(a("annual fees"), ["fees:12M"]);
        assert_eq!(
            a("the total fees paid under this Agreement"),
            ["fees:total"]
        );
        assert_eq!(
            a("le montant total payé au titre du contrat"),
            ["fees:total"]
        );
    }

    #[test]
    fn not_amounts() {
        for s in [
            "99,9 %",
            "article 12",
            "le 12.03.2024",
            "tél. 01 23 45 67 89",
            "12 mois",
        ] {
            assert!(a(s).is_empty(), "{s}: {:?}", a(s));
        }
    }

    #[test]
    fn never_panics() {
        for s in [
            "",
            "(",
            "€",
            "€ 99999999999999999999999",
            "j+",
            "((((1)))) heures",
            "é€£$",
            "9999999999 mille mille mille euros",
        ] {
            let _ = durations(s);
            let _ = amounts(s);
            let _ = parse_number(s);
        }
    }
}
