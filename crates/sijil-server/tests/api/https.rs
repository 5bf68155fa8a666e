//! The server over HTTPS: a client that trusts the server's certificate authority talks to it
//! (and is told to keep to HTTPS); plain HTTP, another authority, or a peer that stalls its
//! handshake get nothing and hold up nobody; bad certificate files are refused by name.

use std::{path::Path, time::Duration};

use reqwest::Client;
use serde_json::{Value, json};
use sijil_server::{
    AppState, ServerConfig, bootstrap,
    sync::client::CentralClient,
    tls::{self, TlsError},
};
use sijil_store::sqlite::SqliteStore;

/// A self-signed certificate for 127.0.0.1, written as PEM files into `dir`.
fn certificate(dir: &Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let made =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let (cert, key) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}-key.pem")),
    );
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key)
}

fn trusting(ca: &Path) -> Client {
    Client::builder()
        .use_preconfigured_tls(tls::client_config(ca).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_server_speaks_https_to_clients_that_trust_its_authority_only() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path(), "central");
    let (other_cert, _) = certificate(dir.path(), "other");
    let store = SqliteStore::open(&dir.path().join("sijil.db"))
        .await
        .unwrap();
    let password = bootstrap::ensure_admin(&store).await.unwrap().unwrap();
    let state = AppState::load(store, ServerConfig::default())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = tls::server_config(&cert, &key).unwrap();
    tokio::spawn(sijil_server::serve_tls(
        listener,
        config,
        state,
        std::future::pending(),
    ));
    let https = format!("https://127.0.0.1:{port}");

    // A peer that opens a connection and never says a word holds up nobody.
    let _silent = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();

    let client = trusting(&cert);
    let r = client.get(format!("{https}/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000",
        "browsers are told to keep to HTTPS"
    );
    let r = client
        .post(format!("{https}/api/v1/auth/login"))
        .json(&json!({ "username": bootstrap::ADMIN_USERNAME, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.unwrap()["token"].is_string());

    // Plain HTTP to the HTTPS port gets no answer.
    let plain = Client::new()
        .get(format!("http://127.0.0.1:{port}/health"))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    assert!(plain.is_err(), "{plain:?}");
    // A client that trusts another authority refuses the server's certificate.
    let wrong = trusting(&other_cert)
        .get(format!("{https}/health"))
        .send()
        .await;
    assert!(wrong.is_err(), "{wrong:?}");

    // The office's client of this central: trusts the file it was given, and nothing in clear.
    let office = CentralClient::trusting(
        &https,
        Duration::from_secs(10),
        tls::client_config(&cert).unwrap(),
    );
    let answer = office.enrol("DAM-01", &"ab".repeat(32), "node").await;
    assert!(
        !matches!(
            answer,
            Err(sijil_server::sync::client::ClientError::Unreachable(_))
        ),
        "the central was reached over HTTPS: {answer:?}"
    );
    let in_clear = CentralClient::trusting(
        &format!("http://127.0.0.1:{port}"),
        Duration::from_secs(10),
        tls::client_config(&cert).unwrap(),
    );
    assert!(matches!(
        in_clear.enrol("DAM-01", &"ab".repeat(32), "node").await,
        Err(sijil_server::sync::client::ClientError::Unreachable(_))
    ));
}

#[test]
fn bad_certificate_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path(), "a");
    let (_, other_key) = certificate(dir.path(), "b");
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let missing = dir.path().join("missing.pem");

    let e = tls::server_config(&junk, &key).unwrap_err();
    assert!(matches!(e, TlsError::NoCertificate { .. }), "{e}");
    assert!(e.to_string().contains("junk.pem"), "{e}");
    let e = tls::server_config(&cert, &junk).unwrap_err();
    assert!(matches!(e, TlsError::NoKey { .. }), "{e}");
    let e = tls::server_config(&missing, &key).unwrap_err();
    assert!(e.to_string().contains("missing.pem"), "{e}");
    let e = tls::server_config(&cert, &other_key).unwrap_err();
    assert!(
        matches!(e, TlsError::Config(_)),
        "a key of another certificate: {e}"
    );
    assert!(tls::client_config(&junk).is_err());
    assert!(tls::server_config(&cert, &key).is_ok());
}
