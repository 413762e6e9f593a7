//! Deterministic texts made of given pieces, for the tests that compare a hand-written
//! reader with the reference it replaces (a regex, an automaton): failures replay.

/// `count` pieces drawn from `pieces` by a xorshift generator advanced in `seed`.
pub(crate) fn text(pieces: &[&str], count: usize, seed: &mut u64) -> String {
    let mut out = String::new();
    for _ in 0..count {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        out.push_str(pieces[(*seed % pieces.len() as u64) as usize]);
    }
    out
}
