//! Sijil's HTTP server: the authenticated JSON API, the Arabic-first web application ([`web`]),
//! health and Prometheus metrics.
//!
//! The server is generic over the [`Store`]: it never names a database. Tests start it on
//! port 0 with [`serve`] and talk HTTP to it, exactly as a client would.
#![deny(missing_docs)]

pub mod auth;
pub mod bootstrap;
mod error;
pub mod issuance;
mod json;
pub mod keyring;
pub mod limits;
mod lockout;
mod middleware;
mod resolution;
mod routes;
mod service;
pub mod sync;
pub mod tls;
pub mod verification;
pub mod web;

use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, extract::DefaultBodyLimit};
use metrics_exporter_prometheus::PrometheusHandle;
use sijil_store::{Actor, Store, StoreResult, resolve::Resolver};
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, timeout::TimeoutLayer};

pub use error::AppError;

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a session lasts after login.
    pub session_ttl: Duration,
    /// How long a session lasts unused (a clerk who leaves the counter is logged out).
    pub session_idle: Duration,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Longest time a request may take.
    pub request_timeout: Duration,
    /// Whether the web application's cookies carry `Secure` (set it when served over HTTPS;
    /// off by default because an office node is often reached over plain HTTP on its LAN).
    pub secure_cookies: bool,
    /// Ceilings on reads of person records per officer and on login attempts per address.
    pub rate_limits: limits::RateLimits,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(8 * 3600),
            session_idle: Duration::from_secs(30 * 60),
            max_body_bytes: 64 * 1024,
            request_timeout: Duration::from_secs(30),
            secure_cookies: false,
            rate_limits: limits::RateLimits::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState<S> {
    store: S,
    resolver: Arc<Resolver>,
    config: Arc<ServerConfig>,
    lockout: Arc<lockout::Lockout>,
    limiters: Arc<limits::Limiters>,
    metrics: PrometheusHandle,
    /// The signing keys (documents and lists); `None` where this server issues nothing.
    keyring: Option<Arc<Mutex<keyring::Keyring>>>,
    /// The trust list and signed lists an office node last received (for verification where
    /// there are no keys); replaced whole by [`AppState::hold_lists`].
    held_lists: sync::lists::HeldListsSlot,
    /// Sync with office nodes or with the central, when this server takes part.
    sync: Option<Arc<sync::SyncContext>>,
}

impl<S: Store> AppState<S> {
    /// State over `store` with `config`, resolving records with `resolver`.
    pub fn new(store: S, resolver: Arc<Resolver>, config: ServerConfig) -> Self {
        Self {
            store,
            resolver,
            limiters: Arc::new(limits::Limiters::new(config.rate_limits.clone())),
            config: Arc::new(config),
            lockout: Arc::default(),
            metrics: middleware::metrics_handle(),
            keyring: None,
            held_lists: Arc::default(),
            sync: None,
        }
    }

    /// The same state taking part in sync (as the central or as an office node).
    pub fn with_sync(mut self, sync: Arc<sync::SyncContext>) -> Self {
        // At a node, the lists the sync loop receives are the ones documents are verified with.
        self.held_lists = sync.lists.held.clone();
        self.sync = Some(sync);
        self
    }

    /// The sync context, if any.
    pub fn sync(&self) -> Option<&Arc<sync::SyncContext>> {
        self.sync.as_ref()
    }

    /// Gives an office node (no keys) the lists to verify documents with: the trust list and
    /// the signed revocation and alert lists, as received through sync. Each is checked
    /// ([`verification::HeldLists::open`]) before this is called; later calls replace them.
    pub fn hold_lists(&self, lists: verification::HeldLists) {
        if let Ok(mut held) = self.held_lists.write() {
            *held = Some(Arc::new(lists));
        }
    }

    /// Lets this server issue documents and sign lists with the keys in `keyring`.
    pub fn with_keyring(mut self, keyring: keyring::Keyring) -> Self {
        self.keyring = Some(Arc::new(Mutex::new(keyring)));
        self
    }

    /// The keyring, or the error a request gets when this server has none.
    fn keys(&self) -> Result<&Mutex<keyring::Keyring>, AppError> {
        self.keyring.as_deref().ok_or_else(|| {
            AppError::Conflict(
                "this server holds no signing keys; documents are issued at the central registry"
                    .into(),
            )
        })
    }
}

impl<S: Store> AppState<S> {
    /// State over `store` with `config`, with the resolver loaded (learning a first model if
    /// the registry has none). Creates nothing else: an office node has its own office only.
    pub async fn load(store: S, config: ServerConfig) -> StoreResult<Self> {
        // The model is kept in the name of Sijil itself, at this registry's own office.
        let office = match store.offices().await?.into_iter().next() {
            Some(o) => o.code,
            None => sijil_store::bootstrap::central_office_code(),
        };
        let resolver = Resolver::load(&store, &Actor::system(office)).await?;
        Ok(Self::new(store, Arc::new(resolver), config))
    }

    /// The registry's resolver.
    pub fn resolver(&self) -> &Arc<Resolver> {
        &self.resolver
    }
}

/// Every path the JSON API serves (with `/health` and `/metrics`), read from the router as it
/// is built: what the OpenAPI document (`GET /api/v1/openapi.json`) is checked against.
pub fn api_paths<S: Store>() -> Vec<&'static str> {
    routes::api_routes::<S>().paths().to_vec()
}

/// The whole application as a router, ready to serve.
pub fn app<S: Store>(state: AppState<S>) -> Router {
    let timeout = state.config.request_timeout;
    let body_limit = state.config.max_body_bytes;
    routes::router::<S>()
        .merge(web::router::<S>())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::guard_logins::<S>,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::track_metrics))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::trace_layer())
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve<S: Store>(
    listener: TcpListener,
    state: AppState<S>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<limits::PeerAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serves the application over HTTPS on `listener` until `shutdown` completes. Browsers are
/// told to come back only over HTTPS (`Strict-Transport-Security`); session cookies should be
/// `Secure` too ([`ServerConfig::secure_cookies`]).
pub async fn serve_tls<S: Store>(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    state: AppState<S>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).layer(axum::middleware::map_response(
        |mut response: axum::response::Response| async move {
            response.headers_mut().insert(
                axum::http::header::STRICT_TRANSPORT_SECURITY,
                axum::http::HeaderValue::from_static("max-age=31536000"),
            );
            response
        },
    ));
    axum::serve(
        tls::TlsListener::new(listener, tls)?,
        app.into_make_service_with_connect_info::<limits::PeerAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
