//! Term expansion: the two marks of a term (`(s)` optional parts, a final `*` prefix) turn
//! one written term into the folded literals the matcher looks for, the same way for the
//! rules' sets and for the named word lists other stages read (docs/rules.md, "[terms]").

use crate::normalize::fold;

/// A folded literal and whether its last word is a prefix.
pub(crate) type Term = (String, bool);

/// Expands a term into folded literals: `(s)` marks an optional part ("virus
/// informatique(s)"), a final `*` makes the last word a prefix ("rancongiciel*").
pub(crate) fn expand_term(raw: &str) -> Result<Vec<Term>, String> {
    let (body, prefix) = match raw.trim().strip_suffix('*') {
        Some(b) => (b, true),
        None => (raw.trim(), false),
    };
    let mut variants = vec![String::new()];
    let mut rest = body;
    while let Some(open) = rest.find('(') {
        let close = rest[open..]
            .find(')')
            .map(|c| open + c)
            .ok_or("unclosed `(`")?;
        let (head, opt) = (&rest[..open], &rest[open + 1..close]);
        if opt.contains('(') {
            return Err("nested `(` is not supported".into());
        }
        variants = variants
            .into_iter()
            .flat_map(|v| [format!("{v}{head}"), format!("{v}{head}{opt}")])
            .collect();
        if variants.len() > 64 {
            return Err("too many optional parts (more than 64 variants)".into());
        }
        rest = &rest[close + 1..];
    }
    let mut out = Vec::new();
    for v in variants {
        let lit = fold(&format!("{v}{rest}"));
        if lit.is_empty() {
            return Err("empty term".into());
        }
        out.push((lit, prefix));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_expand_optional_parts_and_prefixes() {
        let v = expand_term("Virus informatique(s)").unwrap();
        assert_eq!(
            v,
            vec![
                ("virus informatique".to_string(), false),
                ("virus informatiques".to_string(), false)
            ]
        );
        assert_eq!(
            expand_term("rançongiciel*").unwrap(),
            vec![("rancongiciel".into(), true)]
        );
        assert!(expand_term("a(b").is_err());
    }
}
