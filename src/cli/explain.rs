//! `vigie explain`: a rule or concept described for people.

use crate::options::*;
use anyhow::Result;
use vigie::model::Language;

pub(crate) fn explain(id: &str, packs: &PackArgs, lang: Language) -> Result<u8> {
    let pack = load_pack(packs)?;
    vigie::report::describe::explain(&pack, id, lang, &mut std::io::stdout().lock())?;
    Ok(0)
}
