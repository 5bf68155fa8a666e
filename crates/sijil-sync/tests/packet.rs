//! Sealing and opening packets: the round trip, and every way a packet is refused.

use std::collections::HashMap;

use proptest::prelude::*;
use sijil_core::OfficeCode;
use sijil_sync::{
    CentralSecretKey, DeviceKey, DeviceKeyId, DeviceSigningKey, OpenError, PacketHeader, PacketId,
    Registration, SealError, SealedPacket, packet::MAX_PACKET_BYTES, sample::registration,
};
use time::OffsetDateTime;

struct World {
    central: CentralSecretKey,
    device: DeviceSigningKey,
    keys: HashMap<DeviceKeyId, DeviceKey>,
}

fn office(code: &str) -> OfficeCode {
    OfficeCode::parse(code).unwrap()
}

fn world() -> World {
    let central = CentralSecretKey::from_seed(&[7; 32]);
    let device = DeviceSigningKey::from_seed(&[9; 32]);
    let mut keys = HashMap::new();
    keys.insert(
        device.id().clone(),
        DeviceKey {
            office: office("DAM-01"),
            key: device.verifying_key(),
            revoked: false,
        },
    );
    World {
        central,
        device,
        keys,
    }
}

fn header(w: &World, sequence: u64) -> PacketHeader {
    let at = OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap();
    PacketHeader {
        id: PacketId::new(at),
        office: office("DAM-01"),
        sequence,
        created_at: at,
        key_id: w.device.id().clone(),
    }
}

trait WithId {
    fn with_id(self, id: PacketId) -> Self;
}

impl WithId for PacketHeader {
    fn with_id(mut self, id: PacketId) -> Self {
        self.id = id;
        self
    }
}

fn sealed(w: &World, sequence: u64, reg: &Registration) -> SealedPacket {
    SealedPacket::seal(header(w, sequence), reg, &w.device, w.central.public_key()).unwrap()
}

fn open_bytes(w: &World, bytes: &[u8]) -> Result<Registration, OpenError> {
    SealedPacket::parse(bytes)?
        .open(&w.central, &w.keys)
        .map(|p| p.into_registration())
}

#[test]
fn a_sealed_registration_opens_to_itself_with_its_header() {
    let w = world();
    for i in 0..20 {
        let reg = registration(i);
        let p = sealed(&w, u64::from(i) + 1, &reg);
        assert!(p.as_bytes().len() < 600, "{} bytes", p.as_bytes().len());
        let parsed = SealedPacket::parse(p.as_bytes()).unwrap();
        assert_eq!(parsed.header(), p.header());
        let open = parsed.open(&w.central, &w.keys).unwrap();
        assert_eq!(open.header(), p.header());
        assert_eq!(open.registration(), &reg);
    }
}

#[test]
fn times_travel_to_the_whole_second() {
    let w = world();
    let mut h = header(&w, 1);
    h.created_at += time::Duration::milliseconds(999);
    let p = SealedPacket::seal(h, &registration(1), &w.device, w.central.public_key()).unwrap();
    assert_eq!(p.header(), &header(&w, 1).with_id(p.header().id));
    assert_eq!(
        SealedPacket::parse(p.as_bytes()).unwrap().header(),
        p.header()
    );
}

#[test]
fn the_same_registration_seals_to_different_bytes() {
    let w = world();
    let reg = registration(1);
    assert_ne!(
        sealed(&w, 1, &reg).as_bytes(),
        sealed(&w, 1, &reg).as_bytes()
    );
}

#[test]
fn another_central_key_cannot_open_it() {
    let w = world();
    let p = sealed(&w, 1, &registration(1));
    let other = CentralSecretKey::from_seed(&[8; 32]);
    assert_eq!(p.open(&other, &w.keys), Err(OpenError::Decryption));
}

#[test]
fn unknown_revoked_and_foreign_keys_are_refused() {
    let mut w = world();
    let p = sealed(&w, 1, &registration(1));
    let id = w.device.id().clone();
    let empty: HashMap<DeviceKeyId, DeviceKey> = HashMap::new();
    assert_eq!(
        p.open(&w.central, &empty),
        Err(OpenError::UnknownKey(id.clone()))
    );
    w.keys.get_mut(&id).unwrap().revoked = true;
    assert_eq!(
        p.open(&w.central, &w.keys),
        Err(OpenError::RevokedKey(id.clone()))
    );
    w.keys.get_mut(&id).unwrap().revoked = false;
    w.keys.get_mut(&id).unwrap().office = office("ALP-02");
    assert!(matches!(
        p.open(&w.central, &w.keys),
        Err(OpenError::ForeignKey { .. })
    ));
}

#[test]
fn a_key_registered_under_the_id_of_another_is_a_bad_signature() {
    // An attacker's device claims the approved device's key id.
    let w = world();
    let thief = DeviceSigningKey::from_seed(&[1; 32]);
    let lookup = |id: &DeviceKeyId| {
        (id == thief.id()).then(|| DeviceKey {
            office: office("DAM-01"),
            key: w.device.verifying_key(),
            revoked: false,
        })
    };
    let mut h = header(&w, 1);
    h.key_id = thief.id().clone();
    let p = SealedPacket::seal(h, &registration(1), &thief, w.central.public_key()).unwrap();
    let p = SealedPacket::parse(p.as_bytes()).unwrap();
    assert_eq!(p.open(&w.central, &lookup), Err(OpenError::BadSignature));
}

#[test]
fn an_office_cannot_seal_another_offices_registration() {
    let w = world();
    let mut reg = registration(1);
    reg.capture.office = office("ALP-02");
    let r = SealedPacket::seal(header(&w, 1), &reg, &w.device, w.central.public_key());
    assert_eq!(r.unwrap_err(), SealError::OfficeMismatch);
    let mut h = header(&w, 1);
    h.key_id = DeviceKeyId::new(*b"other").unwrap();
    let r = SealedPacket::seal(h, &registration(1), &w.device, w.central.public_key());
    assert_eq!(r.unwrap_err(), SealError::KeyMismatch);
}

#[test]
fn a_replayed_packet_opens_to_the_same_header_so_the_central_can_see_it() {
    // Replay protection is the `Received` state's job: the same bytes open again to the same
    // (office, sequence), which `Received::decide` reports as a duplicate.
    let w = world();
    let p = sealed(&w, 5, &registration(1));
    let mut received = sijil_sync::Received::new();
    let first = SealedPacket::parse(p.as_bytes())
        .unwrap()
        .open(&w.central, &w.keys)
        .unwrap();
    assert!(received.mark(first.header().sequence));
    let again = SealedPacket::parse(p.as_bytes())
        .unwrap()
        .open(&w.central, &w.keys)
        .unwrap();
    assert_eq!(
        received.decide(again.header().sequence),
        sijil_sync::Decision::Duplicate
    );
}

#[test]
fn every_truncation_is_refused() {
    let w = world();
    let p = sealed(&w, 1, &registration(3));
    let bytes = p.as_bytes();
    for len in 0..bytes.len() {
        assert!(open_bytes(&w, &bytes[..len]).is_err(), "length {len}");
    }
    assert_eq!(SealedPacket::parse(&bytes[..10]), Err(OpenError::Truncated));
}

#[test]
fn oversize_and_unknown_versions_are_refused_before_anything_else() {
    let w = world();
    let p = sealed(&w, 1, &registration(3));
    let mut big = p.as_bytes().to_vec();
    big.resize(MAX_PACKET_BYTES + 1, 0);
    assert_eq!(
        SealedPacket::parse(&big),
        Err(OpenError::Oversize {
            max: MAX_PACKET_BYTES
        })
    );
    let mut v2 = p.as_bytes().to_vec();
    v2[3] = 2;
    assert_eq!(
        SealedPacket::parse(&v2),
        Err(OpenError::UnsupportedVersion(2))
    );
}

#[test]
fn a_swapped_header_fails_to_decrypt() {
    let w = world();
    let a = sealed(&w, 1, &registration(1));
    let b = sealed(&w, 2, &registration(2));
    let mut bytes = a.as_bytes().to_vec();
    // Sequence is bytes 20..28 of the header.
    bytes[20..28].copy_from_slice(&b.as_bytes()[20..28]);
    assert_eq!(open_bytes(&w, &bytes), Err(OpenError::Decryption));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Changing any byte of a sealed packet, to any other value, is detected.
    #[test]
    fn changing_any_byte_is_detected(position in any::<prop::sample::Index>(), flip in 1u8..) {
        let w = world();
        let p = sealed(&w, 1, &registration(2));
        let mut bytes = p.as_bytes().to_vec();
        let at = position.index(bytes.len());
        bytes[at] ^= flip;
        prop_assert!(open_bytes(&w, &bytes).is_err(), "byte {} changed", at);
    }
}
