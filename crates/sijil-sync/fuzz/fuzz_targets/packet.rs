//! Any bytes received as a packet: parsing and opening must refuse or succeed, never panic,
//! and a packet that opens must carry a payload from the office its header names.
#![no_main]

use std::{collections::HashMap, sync::LazyLock};

use libfuzzer_sys::fuzz_target;
use sijil_sync::{
    CentralSecretKey, DeviceKey, DeviceKeyId, DeviceSigningKey, SealedPacket, sample,
};

/// The keys the corpus seeds were sealed with (seeds 7 and 9, as in the crate's tests).
static KEYS: LazyLock<(CentralSecretKey, HashMap<DeviceKeyId, DeviceKey>)> = LazyLock::new(|| {
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
    (CentralSecretKey::from_seed(&[7; 32]), keys)
});

fuzz_target!(|data: &[u8]| {
    let Ok(packet) = SealedPacket::parse(data) else {
        return;
    };
    assert_eq!(packet.as_bytes(), data);
    if let Ok(open) = packet.open(&KEYS.0, &KEYS.1) {
        assert_eq!(open.registration().capture.office, open.header().office);
    }
});
