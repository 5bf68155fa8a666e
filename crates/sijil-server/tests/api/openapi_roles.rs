//! The roles each operation of the OpenAPI document names are the roles the server lets in:
//! every operation without a body is called as each role, and refused (403) exactly to the
//! roles its description leaves out.

use reqwest::Method;
use serde_json::Value;

use crate::{
    helpers::spawn_app,
    openapi::{METHODS, document, fill},
};

/// The roles an operation's description gives it: `None` for public and device operations,
/// every role for "any session".
fn documented_roles(operation: &Value) -> Option<Vec<String>> {
    let text = operation["description"].as_str().unwrap();
    let access = &text[text.find("**Access:**").expect("access sentence")..];
    if access.contains("any session") {
        return Some(ROLES.iter().map(|r| (*r).to_owned()).collect());
    }
    let (_, roles) = access.split_once("held by the roles ")?;
    // The list ends at the sentence's full stop; a sentence on offices may follow.
    let roles = roles.split_once('.').map_or(roles, |(list, _)| list);
    Some(roles.split(", ").map(str::to_owned).collect())
}

const ROLES: [&str; 4] = ["administrator", "clerk", "adjudicator", "auditor"];

#[tokio::test]
async fn each_operation_is_refused_exactly_to_the_roles_its_description_leaves_out() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let mut tokens = vec![("administrator", app.admin_token().await)];
    for role in &ROLES[1..] {
        tokens.push((role, app.user_with_role(&format!("{role}.one"), role).await));
    }
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            // A body is read before the handler asks for a permission, and logging out would
            // end the session the next checks use.
            if operation.get("requestBody").is_some() || path == "/api/v1/auth/logout" {
                continue;
            }
            let Some(allowed) = documented_roles(operation) else {
                continue;
            };
            let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            for (role, token) in &tokens {
                let r = app
                    .client
                    .request(method.clone(), app.url(&fill(path)))
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap();
                let refused = r.status() == 403;
                assert_eq!(
                    refused,
                    !allowed.iter().any(|a| a == role),
                    "{method} {path} as {role}: {} (documented for {allowed:?})",
                    r.status()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} checks");
}
