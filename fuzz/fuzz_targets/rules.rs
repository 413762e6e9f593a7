//! Rule-pack source (TOML) → compiled pack: any text must end as a pack or a diagnostic.
//! A pack that compiles is also run on a short contract sentence, so that term expansion,
//! regexes and scopes built from odd rules are exercised too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::rules::{Pack, PackSource};
use vigie::{analyze_text, AnalyzeOptions};

const SAMPLE: &str = "Article 12 – Force majeure\n12.1 Les virus informatiques et le piratage \
sont des cas de force majeure. Le prestataire notifie toute violation sous 48 heures.\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let src = PackSource {
        name: "fuzz.toml".into(),
        text,
    };
    if let Ok(pack) = Pack::compile(&[src]) {
        let _ = analyze_text(SAMPLE, "sample.txt", &pack, &AnalyzeOptions::default());
    }
});
