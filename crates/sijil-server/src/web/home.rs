//! The home page: counts and the next things to do, by role.

use askama::Template;
use axum::{extract::State, response::Response};
use sijil_store::Store;
use time::{OffsetDateTime, Time};

use super::{Ctx, WebError, WebUser, html};
use crate::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    today: i64,
    persons: i64,
    records: i64,
    events: i64,
    users: i64,
    open_reviews: i64,
    /// Sync at a glance, when this server takes part in it.
    sync: Option<SyncSummary>,
    /// The national number typed in "open a person", when it found nobody.
    nn: String,
    nn_error: String,
}

pub(super) async fn home<S: Store>(
    State(state): State<AppState<S>>,
    user: WebUser,
) -> Result<Response, WebError> {
    home_page(&state, &user, String::new(), String::new()).await
}

/// The home page, with `nn_error` beside the national-number field when it is not empty.
pub(super) async fn home_page<S: Store>(
    state: &AppState<S>,
    user: &WebUser,
    nn: String,
    nn_error: String,
) -> Result<Response, WebError> {
    let stats = state.store.stats().await?;
    // "Today" is the UTC day; offices are all in one time zone, and the figure is indicative.
    let midnight = OffsetDateTime::now_utc().replace_time(Time::MIDNIGHT);
    // An officer of another office than the central sees their own office's registrations
    // today, queue and link.
    let scope = user.scope();
    let today = state
        .store
        .records_stored_since(midnight, scope.office())
        .await?;
    let open_reviews = match scope.office() {
        None => stats.open_reviews,
        Some(own) => state.store.open_review_count(Some(own)).await?,
    };
    html(&HomePage {
        ctx: user.ctx(),
        today,
        persons: stats.persons,
        records: stats.source_records,
        events: stats.events,
        users: stats.users,
        open_reviews,
        sync: sync_summary(state, &scope).await?,
        nn,
        nn_error,
    })
}

/// What the home page says of sync: at the central, packets in quarantine, device keys
/// awaiting approval and each office's last contact; at an office node, what waits to be sent.
struct SyncSummary {
    central: bool,
    /// Whether the reader acts nationally (sees quarantine and device requests).
    national: bool,
    quarantined: usize,
    requested: usize,
    /// (office, last contact, packets waiting there as last reported), latest contact first.
    offices: Vec<(String, String, i64)>,
    waiting: i64,
    sent: i64,
    waiting_bytes: i64,
}

async fn sync_summary<S: Store>(
    state: &AppState<S>,
    scope: &sijil_core::Scope,
) -> Result<Option<SyncSummary>, WebError> {
    let Some(ctx) = state.sync() else {
        return Ok(None);
    };
    let mut summary = SyncSummary {
        central: ctx.central().is_some(),
        national: scope.is_national(),
        quarantined: 0,
        requested: 0,
        offices: Vec::new(),
        waiting: 0,
        sent: 0,
        waiting_bytes: 0,
    };
    if let Some(node) = ctx.office() {
        let counts = ctx.store.outbox_counts(&node.office).await?;
        summary.waiting = counts.unsealed + counts.pending;
        summary.sent = counts.sent;
        summary.waiting_bytes = counts.pending_bytes;
    } else {
        if scope.is_national() {
            summary.quarantined = ctx.store.quarantined(false, 1000).await?.len();
            summary.requested = ctx
                .store
                .devices()
                .await?
                .iter()
                .filter(|d| d.status == sijil_store::DeviceStatus::Requested)
                .count();
        }
        let mut contacts = ctx.store.contacts().await?;
        contacts.retain(|c| scope.covers_code(&c.office));
        contacts.sort_by_key(|c| std::cmp::Reverse(c.last_contact));
        summary.offices = contacts
            .into_iter()
            .take(8)
            .map(|c| (c.office, super::person::when(c.last_contact), c.pending))
            .collect();
    }
    Ok(Some(summary))
}
