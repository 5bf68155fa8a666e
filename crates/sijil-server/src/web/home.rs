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
    let today = state.store.records_stored_since(midnight).await?;
    html(&HomePage {
        ctx: user.ctx(),
        today,
        persons: stats.persons,
        records: stats.source_records,
        events: stats.events,
        users: stats.users,
        open_reviews: stats.open_reviews,
        nn,
        nn_error,
    })
}
