//! The route table. Every route but `/health` and the OpenAPI document needs a session; each
//! handler names the permission it needs before doing anything.
//!
//! The table keeps the list of its paths beside the router ([`ApiRoutes`]) because axum cannot
//! list a router's routes: the OpenAPI document is checked against that list, so a route added
//! here without being documented fails the tests.

mod admin;
mod audit;
mod documents;
mod health;
pub(crate) mod openapi;
mod persons;
mod records;
mod review;
mod session;
mod sync;
mod sync_admin;

use axum::{
    Router,
    routing::{MethodRouter, delete, get, head, patch, post},
};
use sijil_store::Store;

use crate::AppState;

/// The API's router and the paths it serves, built together so they cannot differ.
pub(crate) struct ApiRoutes<S> {
    router: Router<AppState<S>>,
    paths: Vec<&'static str>,
}

impl<S: Store> ApiRoutes<S> {
    fn new() -> Self {
        Self {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    /// As [`Router::route`], remembering the path.
    fn route(mut self, path: &'static str, methods: MethodRouter<AppState<S>>) -> Self {
        self.router = self.router.route(path, methods);
        self.paths.push(path);
        self
    }

    /// As [`Router::merge`], keeping both lists of paths.
    fn merge(mut self, other: Self) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// Every path served, in the order they were added (axum's `{param}` syntax, which is
    /// OpenAPI's too).
    pub(crate) fn paths(&self) -> &[&'static str] {
        &self.paths
    }
}

pub(crate) fn router<S: Store>() -> Router<AppState<S>> {
    api_routes::<S>().router.fallback(not_found)
}

pub(crate) fn api_routes<S: Store>() -> ApiRoutes<S> {
    ApiRoutes::new()
        .route("/health", get(health::health))
        .route("/metrics", get(health::metrics::<S>))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/auth/login", post(session::login::<S>))
        .route("/api/v1/auth/logout", post(session::logout::<S>))
        .route("/api/v1/auth/me", get(session::me))
        .route("/api/v1/records", post(records::register::<S>))
        .route("/api/v1/persons/{id}", get(persons::person::<S>))
        .route("/api/v1/search", get(review::search::<S>))
        .route("/api/v1/review", get(review::queue::<S>))
        .route("/api/v1/review/{id}", get(review::item::<S>))
        .route("/api/v1/review/{id}/decision", post(review::settle::<S>))
        .route("/api/v1/persons/{id}/merge", post(review::merge::<S>))
        .route("/api/v1/persons/{id}/split", post(review::split::<S>))
        .route(
            "/api/v1/persons/{id}/decisions",
            get(review::decisions::<S>),
        )
        .route("/api/v1/decisions/{id}/undo", post(review::undo::<S>))
        .route(
            "/api/v1/persons/{id}/events",
            get(persons::events::<S>).post(persons::record_event::<S>),
        )
        .route(
            "/api/v1/registers/{place}/{number}/members",
            get(persons::register_members::<S>),
        )
        .route(
            "/api/v1/users",
            get(admin::users::<S>).post(admin::create_user::<S>),
        )
        .route("/api/v1/users/{username}", patch(admin::change_user::<S>))
        .route(
            "/api/v1/users/{username}/password",
            post(admin::reset_password::<S>),
        )
        .route(
            "/api/v1/users/{username}/sessions",
            delete(admin::end_sessions::<S>),
        )
        .route(
            "/api/v1/offices",
            get(admin::offices::<S>).post(admin::create_office::<S>),
        )
        .route("/api/v1/stats", get(admin::stats::<S>))
        .route("/api/v1/audit", get(audit::entries::<S>))
        .route("/api/v1/audit/verify", get(audit::verify::<S>))
        .route(
            "/api/v1/persons/{id}/id-card",
            post(documents::issue_id_card::<S>),
        )
        .route(
            "/api/v1/persons/{id}/documents",
            get(documents::documents_of::<S>),
        )
        .route("/api/v1/documents/{id}", get(documents::document::<S>))
        .route(
            "/api/v1/documents/{id}/status",
            post(documents::change_status::<S>),
        )
        .route(
            "/api/v1/documents/{id}/card.png",
            get(documents::card_png::<S>),
        )
        .route(
            "/api/v1/documents/{id}/{file}",
            get(documents::document_qr::<S>),
        )
        .route(
            "/api/v1/passport-applications",
            get(documents::applications::<S>).post(documents::apply::<S>),
        )
        .route(
            "/api/v1/passport-applications/{id}",
            get(documents::application::<S>),
        )
        .route(
            "/api/v1/passport-applications/{id}/{step}",
            post(documents::application_step::<S>),
        )
        .route(
            "/api/v1/alerts",
            get(documents::alerts::<S>).post(documents::add_alert::<S>),
        )
        .route("/api/v1/alerts/{id}/lift", post(documents::lift_alert::<S>))
        .route("/api/v1/lists/{file}", get(documents::published::<S>))
        .route("/api/v1/verify", post(documents::verify::<S>))
        .merge(sync_router::<S>())
}

/// Sync: office nodes' endpoints (no session: device keys and packet signatures) and the
/// administrators' and operators' views.
fn sync_router<S: Store>() -> ApiRoutes<S> {
    ApiRoutes::new()
        .route("/api/v1/sync/keys", get(sync::keys::<S>))
        .route("/api/v1/sync/enrol", post(sync::enrol::<S>))
        .route("/api/v1/sync/uploads", post(sync::create_upload::<S>))
        .route(
            "/api/v1/sync/uploads/{id}",
            head(sync::upload_offset::<S>).patch(sync::upload_chunk::<S>),
        )
        .route("/api/v1/sync/acks", post(sync::acks::<S>))
        .route(
            "/api/v1/sync/receipts",
            post(sync::receipts::<S>).get(sync_admin::receipts::<S>),
        )
        .route("/api/v1/sync/downlink", get(sync::downlink::<S>))
        .route("/api/v1/sync/devices", get(sync_admin::devices::<S>))
        .route(
            "/api/v1/sync/devices/{key_id}/{decision}",
            post(sync_admin::decide_device::<S>),
        )
        .route("/api/v1/sync/quarantine", get(sync_admin::quarantine::<S>))
        .route(
            "/api/v1/sync/quarantine/{id}/resolve",
            post(sync_admin::resolve::<S>),
        )
        .route("/api/v1/sync/offices", get(sync_admin::offices::<S>))
        .route("/api/v1/sync/outbox", get(sync_admin::outbox::<S>))
}

async fn not_found() -> crate::AppError {
    crate::AppError::NotFound("route")
}

/// Parses a path id, answering 404 (not 400) for ids that cannot exist.
fn parse_id(id: &str) -> Result<uuid::Uuid, crate::AppError> {
    uuid::Uuid::parse_str(id).map_err(|_| crate::AppError::NotFound("person"))
}
