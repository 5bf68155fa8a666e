//! The committed fuzz corpus replayed in every `cargo test`, so a regression found once by the
//! fuzzer stays covered where cargo-fuzz is not installed.

use std::{collections::HashMap, fs, path::Path};

use sijil_sync::{
    CentralSecretKey, DeviceKey, DeviceSigningKey, Registration, SealedPacket, compress,
    packet::MAX_PAYLOAD_BYTES, sample,
};

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    fs::read_dir(dir)
        .unwrap()
        .map(|e| fs::read(e.unwrap().path()).unwrap())
        .collect()
}

#[test]
fn every_packet_in_the_corpus_is_refused_or_opens_cleanly() {
    // The keys the corpus was sealed with (see fuzz/fuzz_targets/packet.rs).
    let central = CentralSecretKey::from_seed(&[7; 32]);
    let device = DeviceSigningKey::from_seed(&[9; 32]);
    let mut keys = HashMap::new();
    keys.insert(
        device.id().clone(),
        DeviceKey {
            office: sample::registration(0).capture.office,
            key: device.verifying_key(),
            revoked: false,
        },
    );
    let inputs = corpus("packet");
    assert!(inputs.len() > 20);
    let opened = inputs
        .iter()
        .filter_map(|bytes| SealedPacket::parse(bytes).ok()?.open(&central, &keys).ok())
        .count();
    assert!(opened >= 1, "the genuine packets in the corpus must open");
}

#[test]
fn every_payload_in_the_corpus_is_refused_or_round_trips() {
    let inputs = corpus("payload");
    assert!(inputs.len() > 20);
    let mut decoded = 0;
    for data in inputs {
        let Some((&method, body)) = data.split_first() else {
            continue;
        };
        let Ok(cbor) = compress::decompress(method % 4, body, MAX_PAYLOAD_BYTES) else {
            continue;
        };
        if let Ok(reg) = Registration::from_cbor(&cbor) {
            assert_eq!(Registration::from_cbor(&reg.to_cbor()).unwrap(), reg);
            decoded += 1;
        }
    }
    assert!(decoded >= 1);
}
