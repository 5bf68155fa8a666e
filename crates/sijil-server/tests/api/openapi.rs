//! The OpenAPI document (`GET /api/v1/openapi.json`): it is public and compressed, it lists
//! exactly the routes the router serves with exactly their methods, it is valid OpenAPI 3.1 to
//! an independent checker, and real answers match the schemas it gives for them.
//!
//! The validity and answer checks run `openapi_check.py` beside this file with Python's
//! `openapi-spec-validator` and `jsonschema`. When python3 or a module is missing they are
//! skipped with a note, unless `SIJIL_REQUIRE_PYTHON_CHECKS=1` (as in CI).

use std::{
    collections::{BTreeMap, BTreeSet},
    process::Command,
};

use reqwest::Method;
use serde_json::{Value, json};
use sijil_store::sqlite::SqliteStore;

use crate::helpers::{TestApp, person, spawn_app, spawn_central};

pub(crate) async fn document(app: &TestApp) -> Value {
    let r = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the document needs no session");
    r.json().await.unwrap()
}

/// A value for each path parameter, enough for the router to match.
pub(crate) fn fill(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("closed parameter") + start;
        out.push_str(&rest[..start]);
        out.push_str(match &rest[start + 1..end] {
            "file" => "qr.svg",
            "step" => "check",
            "decision" => "approve",
            "key_id" | "place" | "number" => "1",
            _ => "0194f7a0-0000-7000-8000-000000000000",
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

pub(crate) const METHODS: [&str; 6] = ["get", "put", "post", "delete", "head", "patch"];

/// The methods a path is served with: axum answers a method it does not serve there with 405
/// and the `Allow` header. `HEAD` comes with every `GET`, so it only counts on its own.
async fn served_methods(app: &TestApp, path: &str) -> BTreeSet<String> {
    let r = app
        .client
        .request(Method::TRACE, app.url(&fill(path)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405, "{path} is not routed");
    let allow = r.headers()["allow"].to_str().unwrap().to_ascii_lowercase();
    let mut methods: BTreeSet<String> = allow.split(',').map(|m| m.trim().to_owned()).collect();
    if methods.contains("get") {
        methods.remove("head");
    }
    methods
}

#[tokio::test]
async fn the_document_is_public_compressed_and_openapi_3_1() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let r = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    // Each operation says who may call it.
    let login = &doc["paths"]["/api/v1/auth/login"]["post"];
    assert_eq!(login["security"], json!([]), "login needs no session");
    let merge = &doc["paths"]["/api/v1/persons/{id}/merge"]["post"];
    let text = merge["description"].as_str().unwrap();
    assert!(
        text.contains("`Adjudicate`") && text.contains("administrator, adjudicator"),
        "{text}"
    );
    assert_eq!(
        merge["responses"]["403"]["$ref"],
        "#/components/responses/Forbidden"
    );
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_and_methods_served() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let documented: BTreeMap<String, BTreeSet<String>> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let methods = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| (*m).to_owned())
                .collect();
            (path.clone(), methods)
        })
        .collect();
    let mut served = BTreeMap::new();
    for path in sijil_server::api_paths::<SqliteStore>() {
        served.insert(path.to_owned(), served_methods(&app, path).await);
    }
    for path in served.keys() {
        assert!(
            documented.contains_key(path),
            "{path} is served but not documented"
        );
    }
    for path in documented.keys() {
        assert!(
            served.contains_key(path),
            "{path} is documented but not served"
        );
    }
    assert_eq!(served, documented, "methods differ");
    assert!(served.contains_key("/health") && served.contains_key("/metrics"));

    // And each documented operation, called, reaches a handler: never the router's 404 or 405.
    for (path, methods) in &documented {
        for method in methods {
            let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let r = app
                .client
                .request(method.clone(), app.url(&fill(path)))
                .send()
                .await
                .unwrap();
            let status = r.status();
            assert_ne!(status, 405, "{method} {path}");
            if status == 404 && method != Method::HEAD {
                let body: Value = r.json().await.unwrap();
                assert_ne!(
                    body["error"]["message_en"], "route not found",
                    "{method} {path}"
                );
            }
        }
    }
}

/// A real answer to check against the document.
struct Sample {
    path: &'static str,
    method: &'static str,
    status: u16,
    body: Value,
}

async fn sample(
    samples: &mut Vec<Sample>,
    path: &'static str,
    method: &'static str,
    r: reqwest::Response,
) -> Value {
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    samples.push(Sample {
        path,
        method,
        status,
        body: body.clone(),
    });
    body
}

#[tokio::test]
async fn real_answers_match_their_documented_schemas() {
    if !python_checks() {
        return;
    }
    let app = spawn_app().await;
    let doc = document(&app).await;
    let mut s = Vec::new();
    let login = app.login("admin", &app.admin_password).await;
    let admin = sample(&mut s, "/api/v1/auth/login", "post", login).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.get("/api/v1/auth/me", &admin).await;
    sample(&mut s, "/api/v1/auth/me", "get", r).await;

    // A record registered, the person read, searched for, and their events and decisions.
    let r = app
        .register(&admin, person("سامر", "M", "1990-04-12"))
        .await;
    let reg = sample(&mut s, "/api/v1/records", "post", r).await;
    let id = reg["person_id"].as_str().unwrap().to_owned();
    let r = app.get(&format!("/api/v1/persons/{id}"), &admin).await;
    sample(&mut s, "/api/v1/persons/{id}", "get", r).await;
    let r = app
        .get("/api/v1/search?names=سامر%20الحمصي&birth_year=1990", &admin)
        .await;
    let found = sample(&mut s, "/api/v1/search", "get", r).await;
    assert_eq!(found[0]["person_id"], id.as_str());
    let r = app
        .get(&format!("/api/v1/persons/{id}/decisions"), &admin)
        .await;
    sample(&mut s, "/api/v1/persons/{id}/decisions", "get", r).await;

    // A review item: two people claiming one national number.
    let nn = sijil_core::NationalNumber::from_parts(1, 0, 777).unwrap();
    let mut woman = person("هند", "F", "1985-02-03");
    woman["national_number"] = json!(nn.as_str());
    let mut man = person("وائل", "M", "1961");
    man["national_number"] = json!(nn.as_str());
    assert_eq!(app.register(&admin, woman).await.status(), 201);
    let r = app.register(&admin, man).await;
    let him = sample(&mut s, "/api/v1/records", "post", r).await;
    let review = him["review_id"]
        .as_str()
        .expect("sent to review")
        .to_owned();
    let r = app.get("/api/v1/review", &admin).await;
    sample(&mut s, "/api/v1/review", "get", r).await;
    let r = app.get(&format!("/api/v1/review/{review}"), &admin).await;
    sample(&mut s, "/api/v1/review/{id}", "get", r).await;
    // Settled (kept apart), then undone.
    let r = app
        .post(
            &format!("/api/v1/review/{review}/decision"),
            &admin,
            &json!({"action": "separate", "reason": "different people"}),
        )
        .await;
    let settled = sample(&mut s, "/api/v1/review/{id}/decision", "post", r).await;
    let decision = settled["decision_id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/v1/decisions/{decision}/undo"),
            &admin,
            &json!({"reason": "settled too fast"}),
        )
        .await;
    sample(&mut s, "/api/v1/decisions/{id}/undo", "post", r).await;
    let him_id = him["person_id"].as_str().unwrap();
    let r = app
        .get(&format!("/api/v1/persons/{him_id}/decisions"), &admin)
        .await;
    sample(&mut s, "/api/v1/persons/{id}/decisions", "get", r).await;

    // Errors: validation (every field), no session, nothing there.
    let r = app.register(&admin, person("", "X", "1990-13-01")).await;
    let invalid = sample(&mut s, "/api/v1/records", "post", r).await;
    assert!(invalid["error"]["fields"].as_array().unwrap().len() >= 2);
    let r = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    sample(&mut s, "/api/v1/auth/me", "get", r).await;
    let r = app
        .get(
            "/api/v1/persons/0194f7a0-0000-7000-8000-000000000000",
            &admin,
        )
        .await;
    sample(&mut s, "/api/v1/persons/{id}", "get", r).await;

    // A few more answers that are cheap to have.
    for path in ["/api/v1/stats", "/api/v1/users", "/api/v1/offices"] {
        let r = app.get(path, &admin).await;
        sample(&mut s, path, "get", r).await;
    }
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    sample(&mut s, "/health", "get", r).await;
    let statuses: Vec<u16> = s.iter().map(|x| x.status).collect();
    assert!(
        [200, 201, 401, 404, 422]
            .iter()
            .all(|c| statuses.contains(c))
    );

    run_checker(&doc, &s);
}

#[tokio::test]
async fn document_event_and_audit_answers_match_their_documented_schemas() {
    if !python_checks() {
        return;
    }
    let app = spawn_app().await;
    let doc = document(&app).await;
    let admin = app.admin_token().await;
    let auditor = app.user_with_role("auditor.one", "auditor").await;
    let mut s = Vec::new();

    // Civil events and a family register.
    let man = app
        .register(&admin, person("سامر", "M", "1990-04-12"))
        .await;
    let man = man.json::<Value>().await.unwrap()["person_id"].clone();
    let woman = app.register(&admin, person("هند", "F", "1992-01-05")).await;
    let woman = woman.json::<Value>().await.unwrap()["person_id"].clone();
    let r = app
        .post(
            &format!("/api/v1/persons/{}/events", man.as_str().unwrap()),
            &admin,
            &json!({"kind": "marriage", "date": "2018-07-01", "spouse_id": woman, "place": "حمص"}),
        )
        .await;
    sample(&mut s, "/api/v1/persons/{id}/events", "post", r).await;
    let r = app
        .get(
            &format!("/api/v1/persons/{}/events", man.as_str().unwrap()),
            &admin,
        )
        .await;
    sample(&mut s, "/api/v1/persons/{id}/events", "get", r).await;
    let r = app
        .get("/api/v1/registers/%D8%AD%D9%85%D8%B5/157/members", &admin)
        .await;
    let members = sample(
        &mut s,
        "/api/v1/registers/{place}/{number}/members",
        "get",
        r,
    )
    .await;
    assert_eq!(members.as_array().unwrap().len(), 2);

    // An ID card: issued, read, verified by its QR code and by its zone, reported stolen.
    let id = man.as_str().unwrap();
    let r = app
        .post(&format!("/api/v1/persons/{id}/id-card"), &admin, &json!({}))
        .await;
    let card = sample(&mut s, "/api/v1/persons/{id}/id-card", "post", r).await;
    let doc_id = card["id"].as_str().unwrap().to_owned();
    let r = app
        .get(&format!("/api/v1/persons/{id}/documents"), &admin)
        .await;
    sample(&mut s, "/api/v1/persons/{id}/documents", "get", r).await;
    let r = app
        .post("/api/v1/verify", &admin, &json!({"qr": card["credential"]}))
        .await;
    let verdict = sample(&mut s, "/api/v1/verify", "post", r).await;
    assert_eq!(verdict["valid"], true, "{verdict}");
    let r = app
        .post("/api/v1/verify", &admin, &json!({"mrz": card["mrz"]}))
        .await;
    sample(&mut s, "/api/v1/verify", "post", r).await;
    let r = app
        .post(
            &format!("/api/v1/documents/{doc_id}/status"),
            &admin,
            &json!({"status": "stolen", "note": "police report"}),
        )
        .await;
    sample(&mut s, "/api/v1/documents/{id}/status", "post", r).await;
    let r = app
        .post("/api/v1/verify", &admin, &json!({"qr": card["credential"]}))
        .await;
    let verdict = sample(&mut s, "/api/v1/verify", "post", r).await;
    assert_eq!(verdict["valid"], false);

    // A passport application and an alert.
    let r = app
        .post(
            "/api/v1/passport-applications",
            &admin,
            &json!({"person_id": woman}),
        )
        .await;
    let application = sample(&mut s, "/api/v1/passport-applications", "post", r).await;
    let app_id = application["id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/v1/passport-applications/{app_id}/check"),
            &admin,
            &json!({}),
        )
        .await;
    sample(
        &mut s,
        "/api/v1/passport-applications/{id}/{step}",
        "post",
        r,
    )
    .await;
    let r = app.get("/api/v1/passport-applications", &admin).await;
    sample(&mut s, "/api/v1/passport-applications", "get", r).await;
    let nn = members[0]["national_number"].as_str().unwrap().to_owned();
    let r = app
        .post(
            "/api/v1/alerts",
            &admin,
            &json!({"national_number": nn, "code": "wanted"}),
        )
        .await;
    sample(&mut s, "/api/v1/alerts", "post", r).await;
    let r = app.get("/api/v1/alerts", &admin).await;
    sample(&mut s, "/api/v1/alerts", "get", r).await;

    // The audit log, and its verification, as an auditor reads them.
    let r = app.get("/api/v1/audit?limit=20", &auditor).await;
    sample(&mut s, "/api/v1/audit", "get", r).await;
    let r = app.get("/api/v1/audit/verify", &auditor).await;
    sample(&mut s, "/api/v1/audit/verify", "get", r).await;
    // Forbidden to a role without the permission.
    let r = app.get("/api/v1/users", &auditor).await;
    sample(&mut s, "/api/v1/users", "get", r).await;

    assert!(s.iter().all(|x| x.status < 500));
    run_checker(&doc, &s);
}

#[tokio::test]
async fn sync_answers_match_their_documented_schemas() {
    if !python_checks() {
        return;
    }
    let (app, _) = spawn_central(true).await;
    let doc = document(&app).await;
    let admin = app.admin_token().await;
    let mut s = Vec::new();
    let r = app
        .client
        .get(app.url("/api/v1/sync/keys"))
        .send()
        .await
        .unwrap();
    sample(&mut s, "/api/v1/sync/keys", "get", r).await;
    let device = sijil_sync::DeviceSigningKey::generate();
    let r = app
        .client
        .post(app.url("/api/v1/sync/enrol"))
        .json(&json!({
            "office": "CENTRAL",
            "public_key": hex::encode(device.verifying_key().as_bytes()),
            "label": "فريق متنقل"
        }))
        .send()
        .await
        .unwrap();
    let enrolled = sample(&mut s, "/api/v1/sync/enrol", "post", r).await;
    let key_id = enrolled["key_id"].as_str().unwrap().to_owned();
    let r = app.get("/api/v1/sync/devices", &admin).await;
    sample(&mut s, "/api/v1/sync/devices", "get", r).await;
    let r = app
        .post(
            &format!("/api/v1/sync/devices/{key_id}/approve"),
            &admin,
            &json!({}),
        )
        .await;
    sample(
        &mut s,
        "/api/v1/sync/devices/{key_id}/{decision}",
        "post",
        r,
    )
    .await;
    let r = app
        .client
        .post(app.url("/api/v1/sync/acks"))
        .json(&json!({"key_id": key_id, "packet_ids": ["0194f7a0-0000-7000-8000-000000000000"]}))
        .send()
        .await
        .unwrap();
    sample(&mut s, "/api/v1/sync/acks", "post", r).await;
    for path in ["/api/v1/sync/quarantine", "/api/v1/sync/offices"] {
        let r = app.get(path, &admin).await;
        sample(&mut s, path, "get", r).await;
    }
    assert!(s.iter().all(|x| x.status < 300), "all succeeded");
    run_checker(&doc, &s);
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1_to_an_independent_checker() {
    if !python_checks() {
        return;
    }
    let app = spawn_app().await;
    run_checker(&document(&app).await, &[]);
}

/// Runs `openapi_check.py` on the document and the answers to check against it (if any).
fn run_checker(doc: &Value, samples: &[Sample]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.json"), doc.to_string()).unwrap();
    if !samples.is_empty() {
        let samples: Vec<Value> = samples
            .iter()
            .map(
                |x| json!({"path": x.path, "method": x.method, "status": x.status, "body": x.body}),
            )
            .collect();
        std::fs::write(
            dir.path().join("samples.json"),
            Value::Array(samples).to_string(),
        )
        .unwrap();
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/openapi_check.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "OpenAPI checks failed:\n{stdout}\n{stderr}"
    );
}

/// Whether the Python checkers can run; without them the test is skipped with a note, unless
/// CI requires them.
fn python_checks() -> bool {
    let required = std::env::var("SIJIL_REQUIRE_PYTHON_CHECKS").is_ok_and(|v| v == "1");
    match python_ready() {
        Ok(()) => true,
        Err(why) => {
            assert!(
                !required,
                "SIJIL_REQUIRE_PYTHON_CHECKS=1 but {why}; pip install openapi-spec-validator jsonschema"
            );
            eprintln!("OpenAPI checks skipped: {why}");
            false
        }
    }
}

const MODULES: &str = "import openapi_spec_validator, jsonschema";

fn python_ready() -> Result<(), String> {
    match Command::new("python3").args(["-c", MODULES]).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "python3 cannot `{MODULES}`: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("python3 is not available: {e}")),
    }
}
