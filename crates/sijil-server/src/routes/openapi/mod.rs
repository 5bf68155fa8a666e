//! The JSON API's OpenAPI 3.1 document, served at `GET /api/v1/openapi.json`.
//!
//! Schemas are derived from the types the handlers really take and send (`utoipa::ToSchema`
//! on the server's request types, and on the domain's types behind their `openapi` feature),
//! so a field added to a type appears here by itself. Operations are declared per route group
//! ([`people`], [`documents`], [`sync`]); what each needs (public, a session, a permission and
//! so the roles that hold it, or an office node's device key) comes from one table
//! ([`access`]), and the error answers every operation can give are added from it. The route
//! list is checked against the router itself in the tests (`tests/api/openapi.rs`), so a route
//! cannot be served undocumented nor documented unserved; real answers are checked against their
//! schemas there too, and the roles against the server's refusals (`openapi_roles.rs`).
//!
//! The document holds no data, so it needs no session; it is built once and kept. No Swagger
//! UI is served: it would need assets from outside, and an office may be offline.

mod access;
mod documents;
mod people;
mod schemas;
mod sync;

use std::sync::OnceLock;

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use utoipa::OpenApi;

/// The document's skeleton: the operations of each route group, and the shared schemas.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sijil — civil registry JSON API",
        description = "The JSON API of Sijil, the civil registry and identity platform. Every \
            request but the public ones carries `Authorization: Bearer <token>` from \
            `POST /api/v1/auth/login`. Every error has one shape (`Error`), with messages in \
            Arabic and English; validation errors name each field at fault. Every read of a \
            person is audited. Each operation's description says which permission it needs \
            and which roles hold it.",
    ),
    components(schemas(schemas::Error, schemas::ErrorDetail)),
    tags(
        (name = "operations", description = "liveness, metrics and this document"),
        (name = "sessions", description = "login, logout, who am I"),
        (name = "registration", description = "source records, persons, civil events, family registers"),
        (name = "resolution", description = "search, the review queue, merge, split, undo"),
        (name = "administration", description = "users, offices, counts, the audit log"),
        (name = "documents", description = "ID cards, passports, alerts, published lists, verification"),
        (name = "sync", description = "office nodes: enrolment, uploads, acknowledgements, downlink; their administration"),
    )
)]
struct ApiDoc;

/// The document, built once: every operation with its access rules and error answers.
pub(crate) fn spec() -> &'static utoipa::openapi::OpenApi {
    static SPEC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        doc.merge(people::People::openapi());
        doc.merge(documents::Documents::openapi());
        doc.merge(sync::Sync::openapi());
        doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
        access::apply(&mut doc);
        doc
    })
}

/// `GET /api/v1/openapi.json`: the document (public; it describes the API and holds no data).
pub(super) async fn document() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| spec().to_json().expect("the document serialises"));
    ([(header::CONTENT_TYPE, "application/json")], body.as_str()).into_response()
}
