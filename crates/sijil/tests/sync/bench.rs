//! The sync benchmark (not a timed test: `#[ignore]`, run by `bench/sync.sh`): bytes on the
//! wire per registration and registrations delivered per minute over the link —
//! 64 kbit/s each way, 800 ms round trip (400 ms each way), every connection cut every 30 s.

use std::{
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use super::*;
use crate::{
    e2e::{enrolled_pair, source_records},
    proxy::Faults,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark: run bench/sync.sh"]
async fn bench_sync_over_64_kbit_800_ms_cut_every_30_s() {
    let people: usize = std::env::var("SIJIL_BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let rate = 64_000 / 8;
    // The modem's buffer, in milliseconds at the link's rate (`max`: unbounded).
    let buffer = match std::env::var("SIJIL_BENCH_BUFFER_MS").as_deref() {
        Ok("max") => Duration::MAX,
        Ok(ms) => Duration::from_millis(ms.parse().expect("SIJIL_BENCH_BUFFER_MS: ms or max")),
        Err(_) => Duration::from_millis(1000),
    };
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: rate,
        latency: Duration::from_millis(400),
        cut_every: Some(Duration::from_secs(30)),
        buffer,
    };
    // The node's default upload size (96 KiB a request).
    let mut p = enrolled_pair(&sites, faults, &[]).await;
    p.central.take().unwrap().kill();
    p.office_api.register_people("B", people).await;
    wait_for(Duration::from_secs(60), "every record sealed", || async {
        p.office_api.outbox().await["unsealed"] == 0
    })
    .await;
    let counts = p.office_api.outbox().await;
    let payload: i64 = counts["pending_bytes"].as_i64().unwrap();
    let (up0, down0) = (
        p.link.up_bytes.load(Ordering::Relaxed),
        p.link.down_bytes.load(Ordering::Relaxed),
    );
    let cuts0 = p.link.cuts.load(Ordering::Relaxed);
    p.central = Some(start_central(&sites.central, p.central_port).0);
    // Elapsed time runs from the first byte the node offers the link once the central listens
    // to the moment the node sees its last packet acknowledged (polled every 50 ms).
    p.link.reset_first_up();
    let deadline = Instant::now() + Duration::from_secs(3600);
    while p.office_api.outbox().await["acknowledged"] != people {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for every acknowledgement"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let end = tokio::time::Instant::now();
    let first = p.link.first_up.lock().unwrap().expect("bytes went up");
    let secs = (end - first).as_secs_f64();
    assert_eq!(source_records(&p.central_api).await, people as i64);
    let up = p.link.up_bytes.load(Ordering::Relaxed) - up0;
    let down = p.link.down_bytes.load(Ordering::Relaxed) - down0;
    let cuts = p.link.cuts.load(Ordering::Relaxed) - cuts0;
    let per = |b: f64| b / people as f64;
    let rows = [
        ("registrations", format!("{people}")),
        ("elapsed, first byte to last ack", format!("{secs:.1} s")),
        ("cuts during the run", format!("{cuts}")),
        ("link buffer", format!("{buffer:?}")),
        (
            "sealed packet",
            format!("{:.1} B a registration", per(payload as f64)),
        ),
        (
            "on the wire, up",
            format!("{:.1} B a registration", per(up as f64)),
        ),
        (
            "on the wire, down",
            format!("{:.1} B a registration", per(down as f64)),
        ),
        (
            "delivered",
            format!("{:.0} registrations a minute", people as f64 * 60.0 / secs),
        ),
        (
            "link used for payload",
            format!(
                "{:.1}% (packet bytes / (link rate x elapsed))",
                100.0 * payload as f64 / (rate as f64 * secs)
            ),
        ),
    ];
    println!("| measure | value |\n|---|---|");
    for (k, v) in rows {
        println!("| {k} | {v} |");
    }
}
