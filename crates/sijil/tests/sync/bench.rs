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
        .unwrap_or(1000);
    let rate = 64_000 / 8;
    let sites = Sites::new();
    let faults = Faults {
        bytes_per_sec: rate,
        latency: Duration::from_millis(400),
        cut_every: Some(Duration::from_secs(30)),
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
    let start = Instant::now();
    wait_for(
        Duration::from_secs(3600),
        "every packet acknowledged",
        || async { p.office_api.outbox().await["acknowledged"] == people },
    )
    .await;
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(source_records(&p.central_api).await, people as i64);
    let up = p.link.up_bytes.load(Ordering::Relaxed) - up0;
    let down = p.link.down_bytes.load(Ordering::Relaxed) - down0;
    let cuts = p.link.cuts.load(Ordering::Relaxed) - cuts0;
    println!("registrations           {people}");
    println!("elapsed                 {secs:.1} s (cuts: {cuts})");
    println!(
        "sealed packets          {:.1} bytes a registration",
        payload as f64 / people as f64
    );
    println!(
        "on the wire, up         {:.1} bytes a registration",
        up as f64 / people as f64
    );
    println!(
        "on the wire, down       {:.1} bytes a registration",
        down as f64 / people as f64
    );
    println!(
        "delivered               {:.0} registrations a minute",
        people as f64 * 60.0 / secs
    );
    println!(
        "link used for payload   {:.1}% (packets / (link rate x elapsed))",
        100.0 * payload as f64 / (rate as f64 * secs)
    );
}
