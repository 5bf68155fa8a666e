//! The office's link to the central over HTTPS, as an operator sets it up: `sijil tls
//! self-signed` at the central, `serve --tls-cert --tls-key`, and the office trusting that
//! certificate alone (`--central-ca`); registrations cross a link that is cut mid-transfer and
//! arrive exactly once. An office given another certificate sends nothing.

use std::time::Duration;

use super::*;
use crate::proxy::{self, Faults};

fn trusting(cert: &Path) -> reqwest::Client {
    let pem = std::fs::read(cert).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_office_syncs_over_https_with_the_central_it_trusts_and_no_other() {
    let sites = Sites::new();
    std::fs::create_dir_all(&sites.central).unwrap();
    let made = sijil(
        &sites.central,
        &[
            "tls",
            "self-signed",
            "--host",
            "127.0.0.1",
            "--host",
            "localhost",
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert!(stdout.contains("SHA-256 fingerprint"), "{stdout}");
    let cert = sites.central.join("tls-cert.pem");
    let key = sites.central.join("tls-key.pem");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key is the owner's alone");
    }
    let again = sijil(
        &sites.central,
        &["tls", "self-signed", "--host", "127.0.0.1"],
    );
    assert!(
        !again.status.success(),
        "an existing certificate is never overwritten"
    );

    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let (_central, password) = spawn(
        &sites.central,
        &[
            "serve",
            "--bind",
            &bind,
            "--sample-people",
            "0",
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let central = Api::login_with(
        trusting(&cert),
        &format!("https://127.0.0.1:{port}"),
        &password.unwrap(),
    )
    .await;
    let faults = Faults {
        bytes_per_sec: 32_000,
        latency: Duration::from_millis(50),
        cut_every: Some(Duration::from_secs(2)),
        buffer: Duration::from_millis(250),
    };
    let (proxy_addr, link) = proxy::start(bind.parse().unwrap(), faults).await;
    let office_port = free_port();
    let (_office, office_password) = start_office(
        &sites.office,
        office_port,
        &format!("https://{proxy_addr}"),
        &["--central-ca", cert.to_str().unwrap()],
    );
    let office = Api::login(
        &format!("http://127.0.0.1:{office_port}"),
        &office_password.unwrap(),
    )
    .await;
    approve_when_enrolled(&central).await;
    office.register_people("tls", 60).await;
    wait_for(
        Duration::from_secs(120),
        "60 registrations at the central",
        || async { central.get("/api/v1/stats").await["source_records"] == 60 },
    )
    .await;
    wait_for(Duration::from_secs(30), "an empty outbox", || async {
        let counts = office.outbox().await;
        counts["pending"] == 0 && counts["unsealed"] == 0
    })
    .await;
    assert!(
        link.cuts.load(std::sync::atomic::Ordering::Relaxed) > 0,
        "the link was cut while in use"
    );
    assert_eq!(central.get("/api/v1/stats").await["source_records"], 60);

    // An office given some other certificate reaches nothing: its key never arrives.
    let stranger = Sites::new();
    std::fs::create_dir_all(&stranger.central).unwrap();
    let other = sijil(
        &stranger.central,
        &["tls", "self-signed", "--host", "127.0.0.1"],
    );
    assert!(other.status.success());
    let (_wrong, _) = start_office(
        &stranger.office,
        free_port(),
        &format!("https://{proxy_addr}"),
        &[
            "--central-ca",
            stranger.central.join("tls-cert.pem").to_str().unwrap(),
        ],
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        central
            .get("/api/v1/sync/devices")
            .await
            .as_array()
            .unwrap()
            .len(),
        1,
        "no enrolment from a node that does not trust the central's certificate"
    );
    // And the central's own port answers nothing in clear.
    assert!(
        reqwest::Client::new()
            .get(format!("http://{bind}/health"))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .is_err()
    );
}
