//! Removes what repeats on every page of a paginated document (running headers, footers,
//! page numbers) from the text rules see, so that a clause that runs over a page break
//! reads as one sentence and "Page 3 / 12" never lands inside a force-majeure list.

use std::collections::HashMap;

/// How many lines at the top and at the bottom of a page may be running lines.
const EDGE_LINES: usize = 3;

/// Pages' texts without their running headers, footers and page numbers.
pub fn strip_running_lines(pages: &[String]) -> Vec<String> {
    let counts = edge_line_counts(pages);
    // A line is running when it comes back on at least half the pages (and on 3 or more).
    let threshold = (pages.len() / 2).max(3);
    pages
        .iter()
        .map(|p| {
            // Blank lines do not count when deciding what sits at the top or bottom, but
            // they stay: they separate paragraphs.
            let n = p.lines().filter(|l| !l.trim().is_empty()).count();
            let edge_lines = edge_width(n);
            let mut i = 0;
            let mut keep: Vec<&str> = Vec::new();
            for l in p.lines() {
                if l.trim().is_empty() {
                    keep.push(l);
                    continue;
                }
                let edge = i < edge_lines || i + edge_lines >= n;
                i += 1;
                let running =
                    is_page_number(l) || counts.get(&shape(l)).copied().unwrap_or(0) >= threshold;
                if !(edge && running) {
                    keep.push(l);
                }
            }
            keep.join("\n")
        })
        .collect()
}

/// Lines at each end of a page that may be running lines: a short page has fewer.
fn edge_width(lines: usize) -> usize {
    EDGE_LINES.min(lines / 4).max(1)
}

fn edge_line_counts(pages: &[String]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in pages {
        let lines: Vec<&str> = p.lines().filter(|l| !l.trim().is_empty()).collect();
        let n = lines.len();
        let edge_lines = edge_width(n);
        let mut seen: Vec<String> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if i < edge_lines || i + edge_lines >= n {
                let key = shape(l);
                if !key.is_empty() && !seen.contains(&key) {
                    seen.push(key);
                }
            }
        }
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    counts
}

/// A line with spaces collapsed; digits are masked only in lines that name a page, so
/// "CGV – page 3 / 12" and "CGV – page 4 / 12" match but "Article 3" and "Article 4" do not.
fn shape(line: &str) -> String {
    let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if !collapsed.to_lowercase().contains("page") {
        return collapsed;
    }
    collapsed
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// "12", "- 4 -", "Page 3", "page 3 sur 12", "3/12".
fn is_page_number(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    if t.is_empty() || t.len() > 20 {
        return false;
    }
    let rest = t.trim_start_matches("page").trim();
    let has_digit = rest.chars().any(|c| c.is_ascii_digit());
    has_digit
        && rest
            .split(|c: char| c.is_whitespace() || matches!(c, '/' | '-' | '–' | '|'))
            .filter(|w| !w.is_empty())
            .all(|w| w.chars().all(|c| c.is_ascii_digit()) || w == "sur" || w == "of")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_running_headers_footers_and_page_numbers() {
        let pages: Vec<String> = (1..=4)
            .map(|i| {
                let body: Vec<String> = (0..8).map(|k| format!("clause {i}.{k} text")).collect();
                format!(
                    "ACME SAS – Conditions générales v2\n{}\nPage {i} / 4",
                    body.join("\n")
                )
            })
            .collect();
        let out = strip_running_lines(&pages);
        assert!(
            out[0].starts_with("clause 1.0 text") && out[0].ends_with("clause 1.7 text"),
            "{}",
            out[0]
        );
        assert!(!out[3].contains("ACME") && !out[3].contains("Page"));
    }

    #[test]
    fn keeps_text_that_does_not_repeat() {
        let pages = vec![
            "Article 1 – Objet\nTexte.".to_string(),
            "Article 2 – Prix\n12".to_string(),
        ];
        let out = strip_running_lines(&pages);
        assert_eq!(out[0], "Article 1 – Objet\nTexte.");
        assert_eq!(out[1], "Article 2 – Prix", "a lone page number goes");
    }

    #[test]
    fn page_numbers() {
        for yes in [
            "12",
            "- 4 -",
            "Page 3",
            "page 3 sur 12",
            "3/12",
            "Page 2 of 9",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["Article 12", "12 mois", "", "Page de garde"] {
            assert!(!is_page_number(no), "{no}");
        }
    }
}
