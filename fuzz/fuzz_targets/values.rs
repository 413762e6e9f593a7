//! The duration and amount extractors on any text, raw and folded: no panic, and every
//! span is a slice of the text searched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::normalize::fold;
use vigie::engine::values;

fn run(text: &str) {
    for m in values::durations(text) {
        assert!(text.get(m.span.clone()).is_some(), "duration {:?}", m.span);
        let _ = (m.duration.value(), m.duration.hours());
    }
    for m in values::amounts(text) {
        assert!(text.get(m.span.clone()).is_some(), "amount {:?}", m.span);
        let _ = m.amount.value();
    }
    if let Some((_, used)) = values::parse_number(text) {
        assert!(used <= text.len(), "parse_number used {used} bytes");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    run(&text);
    run(&fold(&text));
});
