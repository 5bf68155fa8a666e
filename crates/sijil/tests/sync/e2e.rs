//! The whole path, office to central, as the field would run it.

use std::{sync::Arc, sync::atomic::Ordering, time::Duration};

use super::*;
use crate::proxy::{self, Faults, Link};

/// A central and an enrolled, approved office node talking through the proxy. Sessions live
/// in each registry, so the API clients stay logged in across restarts.
pub struct Pair {
    pub central: Option<Proc>,
    pub central_api: Api,
    pub central_port: u16,
    pub office: Option<Proc>,
    pub office_api: Api,
    pub office_port: u16,
    pub proxy_url: String,
    pub link: Arc<Link>,
}

pub const OFFICE_ARGS: &[&str] = &["--chunk-bytes", "16384"];

pub async fn enrolled_pair(sites: &Sites, faults: Faults, office_args: &[&str]) -> Pair {
    let central_port = free_port();
    let (central, password) = start_central(&sites.central, central_port);
    let central_api = Api::login(
        &format!("http://127.0.0.1:{central_port}"),
        &password.unwrap(),
    )
    .await;
    let (proxy_addr, link) =
        proxy::start(format!("127.0.0.1:{central_port}").parse().unwrap(), faults).await;
    let proxy_url = format!("http://{proxy_addr}");
    let office_port = free_port();
    let (office, password) = start_office(&sites.office, office_port, &proxy_url, office_args);
    let office_api = Api::login(
        &format!("http://127.0.0.1:{office_port}"),
        &password.unwrap(),
    )
    .await;
    approve_when_enrolled(&central_api).await;
    Pair {
        central: Some(central),
        central_api,
        central_port,
        office: Some(office),
        office_api,
        office_port,
        proxy_url,
        link,
    }
}

pub async fn source_records(api: &Api) -> i64 {
    api.get("/api/v1/stats").await["source_records"]
        .as_i64()
        .unwrap()
}

pub fn audit_intact(data: &std::path::Path) {
    let o = sijil(data, &["audit", "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

/// The end-to-end test, over the bad link scaled down in time: the office
/// registers 2,000 people while the central is down; the central comes up; every one arrives
/// exactly once although the link is slow, late and cut every few seconds mid-transfer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_thousand_people_registered_while_the_central_is_down_arrive_exactly_once_over_a_cut_link()
 {
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: 64_000,
        latency: Duration::from_millis(100),
        cut_every: Some(Duration::from_secs(3)),
        buffer: Duration::ZERO,
    };
    let mut p = enrolled_pair(&sites, faults, OFFICE_ARGS).await;
    p.central.take().unwrap().kill();

    p.office_api.register_people("A", 2000).await;
    let counts = p.office_api.outbox().await;
    let waiting = counts["unsealed"].as_i64().unwrap() + counts["pending"].as_i64().unwrap();
    assert_eq!(waiting, 2000, "{counts}");

    tokio::time::sleep(Duration::from_secs(2)).await;
    p.central = Some(start_central(&sites.central, p.central_port).0);
    wait_for(
        Duration::from_secs(240),
        "every packet acknowledged",
        || async { p.office_api.outbox().await["acknowledged"] == 2000 },
    )
    .await;
    assert_eq!(source_records(&p.central_api).await, 2000);
    let quarantined = p.central_api.get("/api/v1/sync/quarantine").await;
    assert_eq!(quarantined, json!([]), "nothing was refused");
    let offices = p.central_api.get("/api/v1/sync/offices").await;
    let dam = &offices.as_array().unwrap()[0];
    assert_eq!(dam["office"], "DAM-01");
    assert_eq!(dam["packets"], 2000, "{dam}");
    assert_eq!(dam["missing"], 0, "{dam}");
    wait_for(
        Duration::from_secs(30),
        "the office to report no backlog",
        || async {
            let offices = p.central_api.get("/api/v1/sync/offices").await;
            offices[0]["pending"] == 0
        },
    )
    .await;
    assert!(p.link.cuts.load(Ordering::Relaxed) >= 2, "the link was cut");
    audit_intact(&sites.office);
}

/// SIGKILL of the central, then of the office, at moments spread over a sync: afterwards
/// every record is at the central once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_either_process_during_sync_loses_and_duplicates_nothing() {
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: 24_000,
        latency: Duration::from_millis(50),
        cut_every: None,
        buffer: Duration::ZERO,
    };
    let mut p = enrolled_pair(&sites, faults, OFFICE_ARGS).await;
    // Registered while the link is up: the node syncs as it goes, so the kills land mid-sync.
    p.office_api.register_people("K", 600).await;
    for round in 0..6u64 {
        tokio::time::sleep(Duration::from_millis(900 + 250 * round)).await;
        if round % 2 == 0 {
            p.central.take().unwrap().kill();
            tokio::time::sleep(Duration::from_millis(300)).await;
            p.central = Some(start_central(&sites.central, p.central_port).0);
        } else {
            p.office.take().unwrap().kill();
            p.office =
                Some(start_office(&sites.office, p.office_port, &p.proxy_url, OFFICE_ARGS).0);
        }
    }
    wait_for(
        Duration::from_secs(180),
        "every packet acknowledged",
        || async { p.office_api.outbox().await["acknowledged"] == 600 },
    )
    .await;
    assert_eq!(source_records(&p.central_api).await, 600);
    assert_eq!(
        p.central_api.get("/api/v1/sync/quarantine").await,
        json!([])
    );
    drop(p);
    audit_intact(&sites.central);
    audit_intact(&sites.office);
}

/// No network at all: the queue goes by USB stick, with the same exactly-once; when the link
/// comes back the node sends the same packets again, and the central changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_carried_by_usb_stick_arrives_once_and_the_later_network_sync_changes_nothing() {
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: 1 << 20,
        latency: Duration::from_millis(5),
        cut_every: None,
        buffer: Duration::ZERO,
    };
    let mut p = enrolled_pair(&sites, faults, OFFICE_ARGS).await;
    p.link.down.store(true, Ordering::Relaxed);
    p.office_api.register_people("U", 40).await;
    eprintln!(
        "office outbox before the kill: {}",
        p.office_api.outbox().await
    );
    p.office.take().unwrap().kill();
    p.central.take().unwrap().kill();

    let usb = sites.office.with_file_name("queue.pkts");
    let o = sijil(
        &sites.office,
        &["sync", "export", "--out", usb.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("wrote 40 packets"),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for expected in [
        "40 accepted, 0 already received",
        "0 accepted, 40 already received",
    ] {
        let o = sijil(&sites.central, &["sync", "import", usb.to_str().unwrap()]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains(expected), "{out}");
    }

    p.central = Some(start_central(&sites.central, p.central_port).0);
    p.link.down.store(false, Ordering::Relaxed);
    p.office = Some(start_office(&sites.office, p.office_port, &p.proxy_url, OFFICE_ARGS).0);
    wait_for(
        Duration::from_secs(60),
        "every packet acknowledged",
        || async { p.office_api.outbox().await["acknowledged"] == 40 },
    )
    .await;
    assert_eq!(source_records(&p.central_api).await, 40);
    let offices = p.central_api.get("/api/v1/sync/offices").await;
    // Received again: 40 by the second import, 40 by the network.
    assert_eq!(offices[0]["duplicates"], 80, "{offices}");
    assert_eq!(offices[0]["packets"], 40, "{offices}");
}
