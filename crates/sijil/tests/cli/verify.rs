//! `sijil verify` and `sijil keys` from outside (issue 6): a card issued by a running central,
//! its QR code saved as the PNG the server draws, checked by the binary with only the published
//! files; then tampered, its key rotated and revoked, reported stolen.

use std::{io::Write, process::Stdio};

use serde_json::{Value, json};

use super::{serve::start, *};

struct Central {
    address: String,
    token: String,
    client: reqwest::Client,
}

impl Central {
    fn post(&self, path: &str, body: Value) -> Value {
        block_on(async {
            let r = self
                .client
                .post(format!("{}{path}", self.address))
                .bearer_auth(&self.token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json().await.unwrap()
        })
    }

    fn get_bytes(&self, path: &str) -> Vec<u8> {
        block_on(async {
            let r = self
                .client
                .get(format!("{}{path}", self.address))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.bytes().await.unwrap().to_vec()
        })
    }

    /// Issues a card to `person` and saves its QR code as a PNG; returns (card, png path).
    fn issue_card(&self, s: &Sandbox, person: &str, name: &str) -> (Value, String) {
        let card = self.post(&format!("/api/v1/persons/{person}/id-card"), json!({}));
        let png = self.get_bytes(&format!(
            "/api/v1/documents/{}/qr.png",
            card["id"].as_str().unwrap()
        ));
        let path = s.dir.path().join(name);
        std::fs::write(&path, png).unwrap();
        (card, path.to_str().unwrap().to_owned())
    }
}

fn a_person(s: &Sandbox) -> String {
    block_on(async {
        let url = format!("sqlite:{}", s.data().join("sijil.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let id: String = sqlx::query_scalar(
            "SELECT id FROM persons WHERE json_extract(view, '$.first_name') IS NOT NULL
               AND json_extract(view, '$.father_name') IS NOT NULL
               AND json_extract(view, '$.family_name') IS NOT NULL
               AND json_extract(view, '$.birth_date') IS NOT NULL LIMIT 1",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        id
    })
}

fn publish(s: &Sandbox) {
    let o = s.sijil(&["keys", "publish"]);
    assert_exit(&o, 0);
}

fn verify(s: &Sandbox, args: &[&str]) -> Output {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    s.sijil(&all)
}

#[test]
fn a_card_from_the_central_is_checked_offline_by_the_binary() {
    let s = Sandbox::new();
    let (server, address, password) = start(&s, "30");
    let client = reqwest::Client::new();
    let token = block_on(async {
        let r: Value = client
            .post(format!("{address}/api/v1/auth/login"))
            .json(&json!({"username": "admin", "password": password.unwrap()}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["token"].as_str().unwrap().to_owned()
    });
    let central = Central {
        address,
        token,
        client,
    };
    let person = a_person(&s);
    let (card, png) = central.issue_card(&s, &person, "card.png");
    let nn = block_on(async {
        let r: Value = central
            .client
            .get(format!("{}/api/v1/persons/{person}", central.address))
            .bearer_auth(&central.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["national_number"].as_str().unwrap().to_owned()
    });

    // Before any list is published the check cannot be made: exit 2, naming the file.
    let o = verify(&s, &["--image", &png]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("trust-list.json"), "{}", stderr(&o));

    publish(&s);
    let o = verify(&s, &["--image", &png]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("VALID"), "{out}");
    assert!(out.contains(&nn), "the holder is shown: {out}");

    // The zone printed on the card, and the QR text piped in, as JSON.
    let zone = card["mrz"].as_str().unwrap();
    assert_exit(&verify(&s, &["--mrz", zone]), 0);
    let text = card["credential"].as_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sijil"))
        .args(["--data", s.data().to_str().unwrap(), "verify", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_exit(&o, 0);
    let verdict: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(verdict["valid"], true);
    assert_eq!(verdict["document_number"], card["number"]);

    // Tampering: one character of the QR text, one digit of the zone.
    let mut forged = text.to_owned().into_bytes();
    forged[40] = if forged[40] == b'A' { b'B' } else { b'A' };
    let o = verify(&s, &["--qr", std::str::from_utf8(&forged).unwrap()]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("genuine:   NO"), "{}", stdout(&o));
    let mut lines: Vec<String> = zone.lines().map(str::to_owned).collect();
    let first = lines[1].remove(0);
    lines[1].insert(0, if first == '9' { '8' } else { '9' });
    let bad_zone = lines.join("\n");
    assert_exit(&verify(&s, &["--mrz", &bad_zone]), 1);
    let not_png = s.file("not.png", "plain text");
    assert_exit(&verify(&s, &["--image", &not_png]), 2);

    // Rotation keeps old cards good; revoking the lost key does not.
    let old_key = card["key_id"].as_str().unwrap().to_owned();
    assert_exit(&s.sijil(&["keys", "rotate", "--usage", "cards"]), 0);
    publish(&s);
    assert_exit(&verify(&s, &["--image", &png]), 0);
    assert_exit(&s.sijil(&["keys", "revoke", &old_key]), 0);
    publish(&s);
    let o = verify(&s, &["--image", &png]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("untrusted_key"), "{}", stdout(&o));
    drop(server);

    // A restarted central signs with the new key; a stolen card is refused after the next
    // publication.
    let (_server, address, _) = start(&s, "0");
    let central = Central { address, ..central };
    let (card, png) = central.issue_card(&s, &person, "card2.png");
    assert_ne!(card["key_id"].as_str().unwrap(), old_key);
    publish(&s);
    assert_exit(&verify(&s, &["--image", &png]), 0);
    central.post(
        &format!("/api/v1/documents/{}/status", card["id"].as_str().unwrap()),
        json!({"status": "stolen"}),
    );
    assert_exit(&verify(&s, &["--image", &png]), 0);
    publish(&s);
    let o = verify(&s, &["--image", &png]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("reported_stolen"), "{}", stdout(&o));
    let list = s.sijil(&["keys", "list"]);
    assert_exit(&list, 0);
    assert!(stdout(&list).contains("revoked"), "{}", stdout(&list));
}
