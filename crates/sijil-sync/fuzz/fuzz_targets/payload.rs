//! Any bytes as a (signed, so trusted-origin but possibly buggy) payload: decompression stays
//! within its bound, decoding refuses or succeeds without panicking, and whatever decodes
//! encodes back to something that decodes to the same registration.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijil_sync::{Registration, compress, packet::MAX_PAYLOAD_BYTES};

fuzz_target!(|data: &[u8]| {
    let Some((&method, body)) = data.split_first() else {
        return;
    };
    let Ok(cbor) = compress::decompress(method % 4, body, MAX_PAYLOAD_BYTES) else {
        return;
    };
    assert!(cbor.len() <= MAX_PAYLOAD_BYTES);
    if let Ok(reg) = Registration::from_cbor(&cbor) {
        let again = Registration::from_cbor(&reg.to_cbor()).expect("re-encoded payload decodes");
        assert_eq!(again, reg);
    }
});
