//! The declaration and notification reader on arbitrary bytes: no panic, no hang, and
//! what it reads must serialise and every finding must point inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = preclear::decl::read(data);
    if let Some(document) = &parsed.document {
        serde_json::to_string(document).expect("a document serialises");
    }
    let lines = data.iter().filter(|&&byte| byte == b'\n').count() + 1;
    for finding in &parsed.findings {
        if let Some(location) = &finding.location {
            assert!(location.line >= 1 && location.line as usize <= lines, "{finding:?}");
            assert!(location.column >= 1, "{finding:?}");
        }
    }
    // Nothing lost: whatever was read is modelled or reported, and the counts fit the input.
    let stats = &parsed.stats;
    assert!(stats.modelled_elements + stats.reported_elements <= data.len(), "{stats:?}");
});
