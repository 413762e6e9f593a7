//! The bounds of the scan's resource options (`--jobs`, `--max-memory`, `--timeout`,
//! `--max-file-size`) and their parsing, so a value that cannot work is a usage error
//! before the scan rather than a panic, a hang or a silent no-op during it.

/// Why an option's value is refused; the text is the whole usage message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// The value, as given, is not a number of bytes with an optional unit.
    #[error("`{0}` is not a size: expected bytes, or a number with K, M, G or T (e.g. 200M, 1G)")]
    NotASize(String),
    /// The value, as given, is not a non-negative whole number.
    #[error("`{0}` is not a whole number")]
    NotANumber(String),
    /// The value is below the option's lower bound.
    #[error("{value} is too small: at least {min}")]
    TooSmall {
        /// The value as given.
        value: String,
        /// The bound, for people ("64M", "1 second").
        min: String,
    },
    /// The value is above the option's upper bound.
    #[error("{value} is too large: at most {max}")]
    TooLarge {
        /// The value as given.
        value: String,
        /// The bound, for people ("256", "16 EiB").
        max: String,
    },
}

/// Fewest bytes an extraction worker can start in (the binary and its allocator).
pub const MIN_MEMORY: u64 = 64 << 20;
/// Most threads: beyond, threads only cost memory and start-up (and 100,000 exhausted the
/// system's thread limit).
pub const MAX_JOBS: usize = 256;
/// Longest extraction time allowed for one file: a day.
pub const MAX_TIMEOUT_SECS: u64 = 24 * 3600;

/// A size in bytes: `1048576`, `200M`, `1G`, `512KiB`, `2.5G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, LimitError> {
    let bad = || LimitError::NotASize(s.to_string());
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(bad()),
    };
    let value: f64 = number.parse().map_err(|_| bad())?;
    let bytes = value * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(LimitError::TooLarge {
            value: s.to_string(),
            max: "16 EiB".into(),
        });
    }
    Ok(bytes as u64)
}

/// `--max-memory`: a size of at least [`MIN_MEMORY`].
pub fn parse_memory(s: &str) -> Result<u64, LimitError> {
    at_least(parse_size(s)?, MIN_MEMORY, s, "64M")
}

/// `--max-file-size`: a size of at least one byte.
pub fn parse_file_size(s: &str) -> Result<u64, LimitError> {
    at_least(parse_size(s)?, 1, s, "1 byte")
}

/// `--jobs`: 1 to [`MAX_JOBS`].
pub fn parse_jobs(s: &str) -> Result<usize, LimitError> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| LimitError::NotANumber(s.to_string()))?;
    let n = at_least(n as u64, 1, s, "1")? as usize;
    if n > MAX_JOBS {
        return Err(LimitError::TooLarge {
            value: s.to_string(),
            max: MAX_JOBS.to_string(),
        });
    }
    Ok(n)
}

/// `--timeout`: 1 s to a day.
pub fn parse_timeout(s: &str) -> Result<u64, LimitError> {
    let n: u64 = s
        .trim()
        .parse()
        .map_err(|_| LimitError::NotANumber(s.to_string()))?;
    let n = at_least(n, 1, s, "1 second")?;
    if n > MAX_TIMEOUT_SECS {
        return Err(LimitError::TooLarge {
            value: s.to_string(),
            max: format!("{MAX_TIMEOUT_SECS} seconds (a day)"),
        });
    }
    Ok(n)
}

fn at_least(n: u64, min: u64, s: &str, min_text: &str) -> Result<u64, LimitError> {
    if n < min {
        return Err(LimitError::TooSmall {
            value: s.to_string(),
            min: min_text.to_string(),
        });
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("200M"), Ok(200 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("1gib"), Ok(1 << 30));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1.5K"), Ok(1536));
        for bad in ["", "M", "12X", "-1", "1..2G", "1 G B"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bounds_are_usage_errors() {
        assert!(parse_memory("1").is_err());
        assert_eq!(parse_memory("1G"), Ok(1 << 30));
        assert!(parse_jobs("0").is_err());
        assert!(parse_jobs("100000").is_err());
        assert_eq!(parse_jobs("8"), Ok(8));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("100000").is_err());
        assert_eq!(parse_timeout("60"), Ok(60));
        assert!(parse_file_size("0").is_err());
        assert_eq!(parse_file_size("200M"), Ok(200 << 20));
    }
}
