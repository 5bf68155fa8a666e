//! What the central refuses: each bad packet lands in quarantine with its reason, nothing of
//! it is applied, and an administrator's decision on it is audited.

use std::time::Duration;

use sijil_sync::{
    CentralPublicKey, DeviceSigningKey, PacketHeader, PacketId, SealedPacket, sample,
};
use time::OffsetDateTime;

use super::*;

fn seal(device: &DeviceSigningKey, central: &CentralPublicKey, sequence: u64, i: u32) -> Vec<u8> {
    let header = PacketHeader {
        id: PacketId::new(OffsetDateTime::now_utc()),
        office: sijil_core::OfficeCode::parse("DAM-01").unwrap(),
        sequence,
        created_at: OffsetDateTime::now_utc(),
        key_id: device.id().clone(),
    };
    SealedPacket::seal(header, &sample::registration(i), device, central)
        .unwrap()
        .as_bytes()
        .to_vec()
}

fn frame(out: &mut Vec<u8>, packet: &[u8]) {
    out.extend_from_slice(&(packet.len() as u32).to_be_bytes());
    out.extend_from_slice(packet);
}

fn import(data: &Path, file: &Path) -> String {
    let o = sijil(data, &["sync", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_replayed_truncated_and_foreign_key_packets_are_quarantined_with_their_reason() {
    let sites = Sites::new();
    let port = free_port();
    let (_central, password) = start_central(&sites.central, port);
    let base = format!("http://127.0.0.1:{port}");
    let api = Api::login(&base, &password.unwrap()).await;
    let office_port = free_port();
    let (office, office_password) = start_office(&sites.office, office_port, &base, &[]);
    let office_api = Api::login(
        &format!("http://127.0.0.1:{office_port}"),
        &office_password.unwrap(),
    )
    .await;
    approve_when_enrolled(&api).await;
    office_api.register_people("Q", 3).await;
    wait_for(
        Duration::from_secs(60),
        "three packets acknowledged",
        || async { office_api.outbox().await["acknowledged"] == 3 },
    )
    .await;
    office.kill();

    // The office's own key (read from its data directory, as a thief of the node would) and
    // the central's public key.
    let seed = std::fs::read_to_string(sites.office.join("device.key")).unwrap();
    let seed: [u8; 32] = hex::decode(seed.trim()).unwrap().try_into().unwrap();
    let office_key = DeviceSigningKey::from_seed(&seed);
    let keys = api.get("/api/v1/sync/keys").await;
    let central = CentralPublicKey::from_bytes(
        &hex::decode(keys["hpke_public_key"].as_str().unwrap()).unwrap(),
    )
    .unwrap();

    // A second device, enrolled and approved for another office.
    let foreign = DeviceSigningKey::generate();
    let (status, _) = api
        .post(
            "/api/v1/sync/enrol",
            json!({ "office": "ALP-02", "public_key": hex::encode(foreign.verifying_key().as_bytes()) }),
        )
        .await;
    assert_eq!(status, 202);
    approve_all(&api).await;
    let stranger = DeviceSigningKey::generate();

    let mut file = Vec::new();
    let good = seal(&office_key, &central, 4, 1004);
    frame(&mut file, &good);
    let mut tampered = seal(&office_key, &central, 5, 1005);
    let last = tampered.len() - 20;
    tampered[last] ^= 0x40;
    frame(&mut file, &tampered);
    frame(&mut file, &seal(&office_key, &central, 1, 1006)); // sequence 1 again: a replay
    frame(&mut file, &seal(&foreign, &central, 1, 1007)); // ALP-02's key signing for DAM-01
    frame(&mut file, &seal(&stranger, &central, 1, 1008)); // never enrolled
    let cut = seal(&office_key, &central, 6, 1009);
    file.extend_from_slice(&(cut.len() as u32).to_be_bytes());
    file.extend_from_slice(&cut[..cut.len() / 2]); // the stick was pulled mid-write
    let path = sites.central.with_file_name("usb.pkts");
    std::fs::write(&path, &file).unwrap();

    let before = api.get("/api/v1/stats").await["source_records"]
        .as_i64()
        .unwrap();
    let out = import(&sites.central, &path);
    assert!(
        out.contains("1 accepted, 0 already received, 5 quarantined"),
        "{out}"
    );
    let out = import(&sites.central, &path);
    assert!(
        out.contains("0 accepted, 1 already received, 5 quarantined"),
        "{out}"
    );
    let after = api.get("/api/v1/stats").await["source_records"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before + 1, "only the good packet was applied");

    let q = api.get("/api/v1/sync/quarantine").await;
    let mut reasons: Vec<&str> = q
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason_code"].as_str().unwrap())
        .collect();
    reasons.sort();
    reasons.dedup();
    assert_eq!(
        reasons,
        [
            "decryption",
            "foreign_key",
            "replay",
            "truncated",
            "unknown_key"
        ],
        "{q}"
    );

    // The stranger's key is approved after the fact: releasing its packet applies it.
    let (status, _) = api
        .post(
            "/api/v1/sync/enrol",
            json!({ "office": "DAM-01", "public_key": hex::encode(stranger.verifying_key().as_bytes()) }),
        )
        .await;
    assert_eq!(status, 202);
    approve_all(&api).await;
    let unknown = q
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["reason_code"] == "unknown_key")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = api
        .post(
            &format!("/api/v1/sync/quarantine/{unknown}/resolve"),
            json!({ "resolution": "release", "note": "key approved after checking the team" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["retry"]["status"], "accepted", "{body}");
    let (status, _) = api
        .post(
            &format!("/api/v1/sync/quarantine/{unknown}/resolve"),
            json!({ "resolution": "discard" }),
        )
        .await;
    assert_eq!(status, 409, "a decision is taken once");

    let audit = sijil(
        &sites.central,
        &["audit", "list", "--action", "sync.quarantine.resolve"],
    );
    assert!(
        String::from_utf8_lossy(&audit.stdout).contains("sync.quarantine.resolve"),
        "the decision is audited"
    );
}

/// Issue 5: a device's scope is enforced. A key approved with an empty scope (it may submit
/// nothing) has its registration quarantined as `out_of_scope`; once its scope allows
/// registrations, releasing the packet applies it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_packet_outside_its_devices_scope_is_quarantined_as_out_of_scope() {
    let sites = Sites::new();
    let port = free_port();
    let (_central, password) = start_central(&sites.central, port);
    let api = Api::login(&format!("http://127.0.0.1:{port}"), &password.unwrap()).await;
    let keys = api.get("/api/v1/sync/keys").await;
    let central = CentralPublicKey::from_bytes(
        &hex::decode(keys["hpke_public_key"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    let device = DeviceSigningKey::generate();
    let (status, enrolled) = api
        .post(
            "/api/v1/sync/enrol",
            json!({ "office": "DAM-01", "public_key": hex::encode(device.verifying_key().as_bytes()) }),
        )
        .await;
    assert_eq!(status, 202, "{enrolled}");
    let key = enrolled["key_id"].as_str().unwrap().to_owned();
    let (status, body) = api
        .post(
            &format!("/api/v1/sync/devices/{key}/approve?scope=issue"),
            json!({}),
        )
        .await;
    assert_eq!(status, 400, "unknown kinds are refused: {body}");
    let (status, body) = api
        .post(
            &format!("/api/v1/sync/devices/{key}/approve?scope="),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "", "{body}");
    assert_eq!(body["status"], "approved", "{body}");

    let mut file = Vec::new();
    frame(&mut file, &seal(&device, &central, 1, 2001));
    let path = sites.central.with_file_name("scoped.pkts");
    std::fs::write(&path, &file).unwrap();
    let out = import(&sites.central, &path);
    assert!(
        out.contains("0 accepted, 0 already received, 1 quarantined"),
        "{out}"
    );
    let q = api.get("/api/v1/sync/quarantine").await;
    assert_eq!(q[0]["reason_code"], "out_of_scope", "{q}");

    let (status, body) = api
        .post(
            &format!("/api/v1/sync/devices/{key}/scope?scope=register"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = q[0]["id"].as_str().unwrap();
    let (status, body) = api
        .post(
            &format!("/api/v1/sync/quarantine/{id}/resolve"),
            json!({ "resolution": "release", "note": "scope widened" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["retry"]["status"], "accepted", "{body}");
}
