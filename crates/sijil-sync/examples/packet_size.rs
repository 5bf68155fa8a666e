//! Bytes on the wire per registration, by compression method, and seal/open time.
//!
//! `cargo run --release -p sijil-sync --example packet_size`

use std::{collections::HashMap, io::Write, time::Instant};

use sijil_core::{NumberPolicy, RecordRow};
use sijil_sync::{
    CentralSecretKey, DeviceKey, DeviceSigningKey, PacketHeader, PacketId, Registration,
    SealedPacket, compress, sample::registration,
};
use time::OffsetDateTime;

fn deflate(data: &[u8]) -> usize {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("in memory");
    e.finish().expect("in memory").len()
}

/// Records from the synthetic population generator (its own name and place distribution, not
/// the dictionary's), each with the sample capture metadata and one document.
fn generated(people: usize) -> Vec<Registration> {
    let (mut records, mut truth) = (Vec::new(), Vec::new());
    sijil_gen::generate(
        &sijil_gen::GenConfig::new(people, 1),
        &mut records,
        &mut truth,
    )
    .expect("in memory");
    let today = time::macros::date!(2026 - 11 - 29);
    csv::Reader::from_reader(records.as_slice())
        .deserialize::<RecordRow>()
        .filter_map(|row| {
            row.ok()?
                .validate_with(today, NumberPolicy::KeepUnverified)
                .ok()
        })
        .enumerate()
        .map(|(i, record)| {
            let mut r = registration(i as u32);
            r.record = record;
            r
        })
        .collect()
}

fn sizes(label: &str, regs: &[Registration]) {
    let (mut cbor, mut zstd, mut dict, mut defl) = (0, 0, 0, 0);
    for r in regs {
        let c = r.to_cbor();
        cbor += c.len();
        zstd += compress::compress(compress::METHOD_ZSTD, &c).len();
        dict += compress::compress(compress::METHOD_ZSTD_DICT_V1, &c).len();
        defl += deflate(&c);
    }
    let avg = |total: usize| total as f64 / regs.len() as f64;
    println!("payload per registration, mean of {} {label}:", regs.len());
    println!("  CBOR, integer keys        {:6.1} bytes", avg(cbor));
    println!("  deflate (level 9)         {:6.1} bytes", avg(defl));
    println!("  zstd 19, no dictionary    {:6.1} bytes", avg(zstd));
    println!("  zstd 19, name dictionary  {:6.1} bytes", avg(dict));
}

fn main() {
    const N: u32 = 2_000;
    let central = CentralSecretKey::from_seed(&[7; 32]);
    let device = DeviceSigningKey::from_seed(&[9; 32]);
    let mut keys = HashMap::new();
    let reg = registration(0);
    keys.insert(
        device.id().clone(),
        DeviceKey {
            office: reg.capture.office.clone(),
            key: device.verifying_key(),
            revoked: false,
        },
    );
    let mut regs: Vec<Registration> = (0..N).map(registration).collect();
    sizes("sample records (names from the dictionary)", &regs);
    let generated = generated(N as usize);
    sizes("generated records (sijil-gen, seed 1)", &generated);
    regs.extend(generated);
    let avg = |total: usize| total as f64 / regs.len() as f64;

    let at = OffsetDateTime::from_unix_timestamp(1_795_000_000).expect("valid");
    let start = Instant::now();
    let packets: Vec<SealedPacket> = regs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let header = PacketHeader {
                id: PacketId::new(at),
                office: r.capture.office.clone(),
                sequence: i as u64 + 1,
                created_at: at,
                key_id: device.id().clone(),
            };
            SealedPacket::seal(header, r, &device, central.public_key()).expect("seals")
        })
        .collect();
    let seal = start.elapsed();
    let start = Instant::now();
    for p in &packets {
        let p = SealedPacket::parse(p.as_bytes()).expect("parses");
        p.open(&central, &keys).expect("opens");
    }
    let open = start.elapsed();
    let wire: usize = packets.iter().map(|p| p.as_bytes().len()).sum();
    let max = packets
        .iter()
        .map(|p| p.as_bytes().len())
        .max()
        .unwrap_or(0);
    println!(
        "sealed packet on the wire   {:6.1} bytes (max {max})",
        avg(wire)
    );
    println!("  of which fixed overhead: header ~50, HPKE key 32 + tag 16, signature 64, method 1");
    println!(
        "seal {:.0} µs, parse+open {:.0} µs per packet",
        seal.as_secs_f64() * 1e6 / regs.len() as f64,
        open.as_secs_f64() * 1e6 / regs.len() as f64
    );
    let sample = regs[0].to_cbor();
    println!("sample CBOR ({} bytes) of record 0", sample.len());
}
