//! `sijil serve` as a new user meets it: first start prints the address and a one-time
//! administrator login, with a sample population already loaded.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Stdio},
    time::{Duration, Instant},
};

use super::*;

/// Kills the server when the test ends, pass or fail.
pub(super) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `sijil serve` on a free port and returns (server, address, admin password or None).
pub(super) fn start(s: &Sandbox, sample: &str) -> (Server, String, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sijil"))
        .arg("--data")
        .arg(s.data())
        .args(["serve", "--bind", "127.0.0.1:0", "--sample-people", sample])
        .env_remove("SIJIL_DATA")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let server = Server(child);
    let (mut address, mut password) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(120);
    while address.is_none() && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.split("administrator login  admin / ").nth(1) {
            password = rest.split_whitespace().next().map(str::to_owned);
        }
        if let Some(a) = line.strip_prefix("Sijil is listening on ") {
            address = Some(a.trim().to_owned());
        }
    }
    (
        server,
        address.expect("the server printed its address"),
        password,
    )
}

#[test]
fn first_start_prints_a_working_admin_login_and_loads_a_sample() {
    let s = Sandbox::new();
    let (server, address, password) = start(&s, "200");
    let password = password.expect("a fresh registry prints the admin password");
    block_on(async {
        let client = reqwest::Client::new();
        let health = client
            .get(format!("{address}/health"))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200);
        let login: serde_json::Value = client
            .post(format!("{address}/api/v1/auth/login"))
            .json(&serde_json::json!({ "username": "admin", "password": password }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = login["token"].as_str().expect("login works");
        let stats: serde_json::Value = client
            .get(format!("{address}/api/v1/stats"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(stats["source_records"].as_i64().unwrap() >= 200, "{stats}");
    });
    drop(server);

    // A second start keeps the data and prints no password.
    let (_server, _address, password) = start(&s, "200");
    assert_eq!(password, None);
}

#[test]
fn a_lost_admin_password_is_reset_and_an_account_suspended_from_the_command_line() {
    let s = Sandbox::new();
    let (server, _address, first) = start(&s, "0");
    assert!(first.is_some());
    drop(server);

    let o = s.sijil(&["admin", "reset-password", "admin"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    let new = out
        .split("new password for admin: ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_owned();
    assert_ne!(Some(new.clone()), first);

    let (_server, address, _) = start(&s, "0");
    block_on(async {
        let login = |password: String| {
            let address = address.clone();
            async move {
                reqwest::Client::new()
                    .post(format!("{address}/api/v1/auth/login"))
                    .json(&serde_json::json!({ "username": "admin", "password": password }))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(login(first.unwrap()).await, 401);
        assert_eq!(login(new.clone()).await, 200);
    });
    // The reset is in the audit log.
    let list = s.sijil(&["audit", "list", "--action", "user.password_set"]);
    assert_exit(&list, 0);
    assert!(
        stdout(&list).contains("user.password_set"),
        "{}",
        stdout(&list)
    );

    let o = s.sijil(&["admin", "reset-password", "nobody"]);
    assert_exit(&o, 2);

    // An account can be suspended from the command line, the server running or not.
    let o = s.sijil(&["admin", "suspend", "admin"]);
    assert_exit(&o, 0);
    let (_server, address, _) = start(&s, "0");
    let status = |password: &str| {
        let address = address.clone();
        let password = password.to_owned();
        block_on(async move {
            reqwest::Client::new()
                .post(format!("{address}/api/v1/auth/login"))
                .json(&serde_json::json!({ "username": "admin", "password": password }))
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    assert_eq!(status(&new), 401, "suspended");
    assert_exit(&s.sijil(&["admin", "restore", "admin"]), 0);
    assert_eq!(status(&new), 200, "restored");
    let list = s.sijil(&["audit", "list", "--action", "user.changed"]);
    assert!(stdout(&list).contains("user.changed"), "{}", stdout(&list));
    assert_exit(&s.sijil(&["admin", "suspend", "nobody"]), 2);
}
