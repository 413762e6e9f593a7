//! CSV output, one row per finding, for spreadsheets: RFC 4180 quoting, and every cell that
//! a spreadsheet would read as a formula defused, because contract text is untrusted.
//!
//! Documents that could not be analyzed get one row too (concept `vigie.not_analyzed`,
//! severity `unknown`), so a filtered spreadsheet never shows them as clean; so does each
//! path the walk skipped (concept `vigie.skipped`, the reason as rule, severity `unknown`
//! for an unreadable folder).

use super::{clause_label, findings, severity_str};
use crate::model::{Report, Status};
use std::io::{self, Write};

/// The columns of the CSV report, in order.
pub const HEADER: [&str; 14] = [
    "path",
    "doc_type",
    "concept",
    "rule",
    "severity",
    "perspective",
    "page",
    "clause",
    "excerpt",
    "message",
    "recommendation",
    "references",
    "fingerprint",
    "suppression",
];

/// Writes the header and one row per finding (documents in order, then the portfolio).
pub fn write_csv(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER)?;
    let perspective = report.perspective.as_str();
    for f in findings(report) {
        let i = f.item;
        let loc = i.location.as_ref();
        let row = [
            f.paths().join("; "),
            f.document
                .map_or("portfolio", |d| d.doc_type.map_or("", |t| t.as_str()))
                .to_string(),
            i.concept.clone(),
            i.rule.clone(),
            severity_str(i).to_string(),
            perspective.to_string(),
            loc.and_then(|l| l.page)
                .map_or(String::new(), |p| p.to_string()),
            loc.and_then(clause_label).unwrap_or_default(),
            i.excerpt.clone().unwrap_or_default(),
            i.message.clone(),
            i.recommendation.clone().unwrap_or_default(),
            i.references.join("; "),
            f.fingerprint(),
            i.suppression
                .as_ref()
                .map_or(String::new(), |s| s.kind.clone()),
        ];
        w.write_record(row.iter().map(|c| defuse(c)))?;
    }
    for d in report
        .documents
        .iter()
        .filter(|d| d.status == Status::Error)
    {
        let (kind, message) = d
            .error
            .as_ref()
            .map_or((String::new(), String::new()), |e| {
                (e.kind.as_str().to_string(), e.message.clone())
            });
        let row = [
            d.path.clone(),
            String::new(),
            "vigie.not_analyzed".into(),
            kind,
            "unknown".into(),
            perspective.into(),
            String::new(),
            String::new(),
            String::new(),
            message,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        w.write_record(row.iter().map(|c| defuse(c)))?;
    }
    for k in &report.skipped {
        let severity = if k.reason.is_unreadable() {
            "unknown"
        } else {
            ""
        };
        let mut row: [String; 14] = Default::default();
        row[0] = k.path.clone();
        row[2] = "vigie.skipped".into();
        row[3] = k.reason.as_str().into();
        row[4] = severity.into();
        row[5] = perspective.into();
        row[9] = k.message.clone().unwrap_or_default();
        w.write_record(row.iter().map(|c| defuse(c)))?;
    }
    w.flush()
}

/// Prefixes an apostrophe to a cell a spreadsheet would evaluate (CWE-1236): one starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return.
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_an_apostrophe_others_stay() {
        for bad in ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        assert_eq!(defuse("12.3 Force majeure"), "12.3 Force majeure");
        assert_eq!(defuse(""), "");
    }
}
