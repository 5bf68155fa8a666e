//! Office nodes and the central as separate `sijil` processes, talking through a
//! fault-injecting proxy ([`proxy`]): nothing captured offline is lost or applied twice.

mod bench;
mod e2e;
mod https;
mod lists;
mod proxy;
mod quarantine;
mod receipts;

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

/// A `sijil` process, killed (SIGKILL) when dropped.
pub struct Proc(Child);

impl Proc {
    /// SIGKILL, now.
    pub fn kill(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `sijil` under test: this build's, or `SIJIL_TEST_BIN` (to compare builds in the
/// benchmark).
fn sijil_bin() -> String {
    std::env::var("SIJIL_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_sijil").to_owned())
}

/// A port free right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(data: &Path, args: &[&str]) -> (Proc, Option<String>) {
    let mut child = Command::new(sijil_bin())
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("SIJIL_DATA")
        .env(
            "RUST_LOG",
            std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into()),
        )
        .stdout(Stdio::piped())
        .stderr(if std::env::var("TEST_LOG").is_ok() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let proc = Proc(child);
    let mut password = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        assert!(Instant::now() < deadline, "sijil did not start");
        let Some(Ok(line)) = lines.next() else {
            panic!("sijil exited before listening")
        };
        if let Some(rest) = line.split("administrator login  admin / ").nth(1) {
            password = rest.split_whitespace().next().map(str::to_owned);
        }
        if line.contains("listening on http://") || line.contains("listening on https://") {
            break;
        }
    }
    // Keep draining stdout so the process never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (proc, password)
}

/// `sijil serve` on `port`.
pub fn start_central(data: &Path, port: u16) -> (Proc, Option<String>) {
    let bind = format!("127.0.0.1:{port}");
    spawn(data, &["serve", "--bind", &bind, "--sample-people", "0"])
}

/// `sijil office` for DAM-01 on `port`, syncing with `central`.
pub fn start_office(
    data: &Path,
    port: u16,
    central: &str,
    extra: &[&str],
) -> (Proc, Option<String>) {
    let bind = format!("127.0.0.1:{port}");
    let mut args = vec![
        "office",
        "--central",
        central,
        "--office",
        "DAM-01",
        "--bind",
        &bind,
        "--sync-interval-ms",
        "300",
        "--max-backoff-ms",
        "1000",
        "--request-timeout-secs",
        "20",
    ];
    args.extend_from_slice(extra);
    spawn(data, &args)
}

/// A logged-in API client of one server.
pub struct Api {
    pub base: String,
    client: reqwest::Client,
    token: String,
}

impl Api {
    pub async fn login(base: &str, password: &str) -> Self {
        Self::login_with(reqwest::Client::new(), base, password).await
    }

    /// Logs in with `client` (e.g. one that trusts a test certificate).
    pub async fn login_with(client: reqwest::Client, base: &str, password: &str) -> Self {
        let login: Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "username": "admin", "password": password }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            base: base.to_owned(),
            token: login["token"].as_str().expect("login works").to_owned(),
            client,
        }
    }

    pub async fn get(&self, path: &str) -> Value {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "GET {path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    /// A web page, with the same session as a cookie.
    pub async fn page(&self, path: &str) -> String {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("sijil_session={}", self.token))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "GET {path}: {}", resp.status());
        resp.text().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Registers `n` distinct people (`tag` keeps runs apart), `concurrency` at a time.
    pub async fn register_people(&self, tag: &str, n: usize) {
        use futures_util::StreamExt;
        const FIRST: [&str; 8] = [
            "محمد",
            "أحمد",
            "فاطمة",
            "خديجة",
            "يوسف",
            "مريم",
            "علي",
            "زينب",
        ];
        const FAMILY: [&str; 6] = ["الحلبي", "العلي", "الأحمد", "الخطيب", "الشامي", "الحمصي"];
        futures_util::stream::iter(0..n)
            .map(|i| async move {
                let record = json!({
                    "record_id": format!("DAM-01-{tag}-{i:06}"),
                    "first_name": FIRST[i % 8],
                    "father_name": FIRST[(i / 8) % 8],
                    "family_name": FAMILY[i % 6],
                    "mother_name": FIRST[(i + 3) % 8],
                    "sex": if i % 2 == 0 { "M" } else { "F" },
                    "birth_date": format!("19{:02}-0{}-1{}", 50 + i % 50, 1 + i % 9, i % 10),
                    "birth_place": "حلب",
                    "registry_place": "حلب",
                    "registry_number": format!("{}", 100 + i),
                });
                let (status, body) = self
                    .post(
                        "/api/v1/records",
                        json!({ "record": record, "evidence": [{"kind": "family_booklet", "reference": format!("FB-{i}")}] }),
                    )
                    .await;
                assert_eq!(status, 201, "{body}");
            })
            .buffer_unordered(8)
            .collect::<Vec<_>>()
            .await;
    }

    /// The office node's outbox counts.
    pub async fn outbox(&self) -> Value {
        self.get("/api/v1/sync/outbox").await["counts"].clone()
    }
}

/// Waits for a node's enrolment request to reach the central, then approves it.
pub async fn approve_when_enrolled(central: &Api) {
    wait_for(Duration::from_secs(60), "the enrolment request", || async {
        !central
            .get("/api/v1/sync/devices")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    })
    .await;
    approve_all(central).await;
}

/// Approves every requested device key at the central.
pub async fn approve_all(central: &Api) {
    for d in central
        .get("/api/v1/sync/devices")
        .await
        .as_array()
        .unwrap()
    {
        if d["status"] == "requested" {
            let key = d["key_id"].as_str().unwrap();
            let (status, _) = central
                .post(&format!("/api/v1/sync/devices/{key}/approve"), json!({}))
                .await;
            assert_eq!(status, 200);
        }
    }
}

/// Waits until `check` holds, polling; panics with `what` after `limit`.
pub async fn wait_for<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A temporary directory with two data directories.
pub struct Sites {
    _dir: tempfile::TempDir,
    pub central: PathBuf,
    pub office: PathBuf,
}

impl Sites {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            central: dir.path().join("central"),
            office: dir.path().join("office"),
            _dir: dir,
        }
    }
}

/// `sijil --data DIR args…`, run to completion.
pub fn sijil(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(sijil_bin())
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("SIJIL_DATA")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}
