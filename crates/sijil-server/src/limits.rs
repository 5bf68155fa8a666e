//! Rate limits: how fast one officer may read person records, and how fast one address may try
//! to log in or enrol.
//!
//! Every read is audited, but an audit log only tells afterwards that an insider copied the
//! registry; a limit stops the copying while it happens. The ceilings are far above what a clerk
//! at a counter or an adjudicator at the queue does, so only bulk reading meets them. Refusals
//! are counted in the metrics and audited (once a minute per officer, so a scraper cannot flood
//! the log).

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, Request, State, connect_info::Connected},
    http::Method,
    middleware::Next,
    response::{IntoResponse, Response},
    serve::IncomingStream,
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use sijil_store::{NewAuditEntry, Store, User};
use uuid::Uuid;

use crate::{AppError, AppState};

/// Ceilings per minute; `0` turns a limit off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Person reads and searches by one officer.
    pub person_reads_per_minute: u32,
    /// Login and enrolment attempts from one address.
    pub logins_per_minute: u32,
    /// Reverse proxies in front of this server, whose `X-Forwarded-For` names the client.
    /// Empty (the default): the header is ignored, since anyone can write it.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            person_reads_per_minute: 300,
            logins_per_minute: 30,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` (read from the right, each proxy appending the address it saw)
/// that is not itself a trusted proxy. Addresses further left were written by the client and
/// prove nothing; a header that does not parse leaves the peer's address.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut hops = forwarded_for
        .iter()
        .rev()
        .flat_map(|value| value.rsplit(','))
        .map(|hop| hop.trim().parse::<IpAddr>());
    let mut client = peer;
    for hop in hops.by_ref() {
        match hop {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            Err(_) => return client,
        }
    }
    client
}

/// The limiters of one server.
pub(crate) struct Limiters {
    reads: Option<DefaultKeyedRateLimiter<Uuid>>,
    logins: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Proxies whose `X-Forwarded-For` is believed ([`client_ip`]).
    trusted_proxies: Vec<IpAddr>,
    /// When each officer's last refusal was audited.
    audited: Mutex<HashMap<Uuid, Instant>>,
}

/// A quota of `per_minute` with the whole minute's worth available at once (a clerk may open
/// a family's ten pages in a row; what is limited is the sustained rate).
fn quota(per_minute: u32) -> Option<Quota> {
    NonZeroU32::new(per_minute).map(|n| Quota::per_minute(n).allow_burst(n))
}

impl Limiters {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self {
            reads: quota(limits.person_reads_per_minute).map(RateLimiter::keyed),
            logins: quota(limits.logins_per_minute).map(RateLimiter::keyed),
            trusted_proxies: limits.trusted_proxies,
            audited: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one person read for `user`; how long to wait if the ceiling is reached.
    fn take_read(&self, user: Uuid) -> Result<(), Duration> {
        take(self.reads.as_ref(), &user)
    }

    /// Takes one login attempt for `ip`.
    fn take_login(&self, ip: IpAddr) -> Result<(), Duration> {
        take(self.logins.as_ref(), &ip)
    }

    /// Whether this refusal for `user` should be audited (the first in a minute).
    fn audit_due(&self, user: Uuid) -> bool {
        let mut audited = self.audited.lock().expect("not poisoned");
        let now = Instant::now();
        if audited.len() > 10_000 {
            audited.retain(|_, at| now.duration_since(*at) < Duration::from_secs(60));
        }
        match audited.get(&user) {
            Some(at) if now.duration_since(*at) < Duration::from_secs(60) => false,
            _ => {
                audited.insert(user, now);
                true
            }
        }
    }
}

/// The peer's address, as the server's connection info (one type for plain and TLS listeners).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

impl Connected<IncomingStream<'_, tokio::net::TcpListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, tokio::net::TcpListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

impl Connected<IncomingStream<'_, crate::tls::TlsListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, crate::tls::TlsListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// One cell of `key`'s quota, or how long until there is one; no limiter, no limit.
fn take<K: Clone + Eq + std::hash::Hash>(
    limiter: Option<&DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), Duration> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    limiter
        .check_key(key)
        .map_err(|not_until| not_until.wait_time_from(limiter.clock().now()))
}

/// Seconds to wait, rounded up, at least one.
fn retry_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Counts one read of person records by `user` against their ceiling: `Err` with the seconds
/// to wait once it is reached (the refusal is counted and, once a minute, audited).
pub(crate) async fn take_person_read<S: Store>(
    state: &AppState<S>,
    user: &User,
) -> Result<(), AppError> {
    let Err(wait) = state.limiters.take_read(user.id) else {
        return Ok(());
    };
    let secs = retry_secs(wait);
    metrics::counter!("sijil_rate_limited_total", "what" => "person_reads").increment(1);
    tracing::warn!(user = %user.id, "person reads rate-limited");
    if state.limiters.audit_due(user.id) {
        state
            .store
            .audit(NewAuditEntry {
                actor: user.username.to_string(),
                office: user.office.to_string(),
                action: "limit.person_reads",
                subject: format!("user:{}", user.id),
                detail: serde_json::json!({ "retry_after_secs": secs }),
            })
            .await?;
    }
    Err(AppError::RateLimited(secs))
}

/// Middleware: login and enrolment attempts from one address, against their ceiling. Requests
/// without a peer address (served without connection info, as in some tests) pass.
pub(crate) async fn guard_logins<S: Store>(
    State(state): State<AppState<S>>,
    request: Request,
    next: Next,
) -> Response {
    let attempt = request.method() == Method::POST
        && matches!(
            request.uri().path(),
            "/api/v1/auth/login" | "/login" | "/api/v1/sync/enrol"
        );
    // Every request passes through here: only an attempt is worth looking at further.
    if !attempt {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<PeerAddr>>()
        .map(|c| c.0.0.ip());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let client = peer.map(|ip| client_ip(ip, &forwarded, &state.limiters.trusted_proxies));
    if let Some(ip) = client
        && let Err(wait) = state.limiters.take_login(ip)
    {
        metrics::counter!("sijil_rate_limited_total", "what" => "logins").increment(1);
        tracing::warn!(%ip, "login attempts rate-limited");
        return AppError::RateLimited(retry_secs(wait)).into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_forwarded_header_counts_only_from_a_trusted_proxy() {
        let proxy = ip("10.0.0.5");
        let client = ip("203.0.113.7");
        // No proxy trusted: the header is the client's own words.
        assert_eq!(client_ip(proxy, &["198.51.100.1"], &[]), proxy);
        // Trusted: the address the proxy saw, not what the client wrote before it.
        let trusted = [proxy, ip("10.0.0.6")];
        assert_eq!(
            client_ip(proxy, &["198.51.100.1, 203.0.113.7"], &trusted),
            client
        );
        // Two proxies in a row, and the header split over two lines.
        assert_eq!(
            client_ip(proxy, &["198.51.100.1", "203.0.113.7, 10.0.0.6"], &trusted),
            client
        );
        // Nothing but proxies, no header, or junk: the nearest address known.
        assert_eq!(client_ip(proxy, &["10.0.0.6"], &trusted), ip("10.0.0.6"));
        assert_eq!(client_ip(proxy, &[], &trusted), proxy);
        assert_eq!(client_ip(proxy, &["not an address"], &trusted), proxy);
        // A client not behind the proxy cannot claim another address.
        assert_eq!(client_ip(client, &["198.51.100.1"], &trusted), client);
    }
}
