//! Fuzzes machine-readable-zone reading and name transliteration.
//!
//! A zone that reads must write back to a zone that reads the same (the parser accepts nothing
//! the writer cannot reproduce), and transliteration only ever yields `A`-`Z` and `<`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijil_docs::mrz::{MrzFormat, arabic_from_mrz, names::transliterate, parse_mrz};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = parse_mrz(&text) {
        let written = match parsed.format {
            MrzFormat::Td3 => parsed.data.to_td3(),
            MrzFormat::Td1 => parsed.data.to_td1(),
        }
        .expect("what was read can be written");
        let again = parse_mrz(&written).expect("what was written can be read");
        assert_eq!(again.data, parsed.data);
    }
    if let Ok(mrz) = transliterate(&text) {
        assert!(
            mrz.bytes().all(|c| c.is_ascii_uppercase() || c == b'<'),
            "{mrz:?}"
        );
        let _ = arabic_from_mrz(&mrz);
    }
    let _ = arabic_from_mrz(&text);
});
