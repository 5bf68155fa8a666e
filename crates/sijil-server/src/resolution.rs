//! Search and adjudication, written once for the JSON API and the web pages: each front end
//! turns its input into these calls and their outcome into its own answer.

use serde::Serialize;
use sijil_core::{
    NationalNumber, PersonView, Problem, ValidationErrors,
    validation::{Collector, clean_text},
};
use sijil_store::{Actor, Adjudication, DecisionReceipt, Store, StoreResult};
use uuid::Uuid;

use crate::{AppError, AppState};

/// Most results a search returns.
pub(crate) const MAX_RESULTS: usize = 100;
/// Results when the caller does not say.
pub(crate) const DEFAULT_RESULTS: usize = 20;

/// A search as typed: any name parts in either script, optionally a birth year and a place.
#[derive(Debug, Default, Clone)]
pub(crate) struct SearchInput<'a> {
    pub names: &'a str,
    pub birth_year: &'a str,
    pub place: &'a str,
    pub limit: Option<usize>,
}

/// One person found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct SearchResult {
    pub person_id: Uuid,
    pub national_number: NationalNumber,
    pub view: PersonView,
    /// How well the best record matched, in bits (higher is better).
    pub score: f64,
}

/// Checks a search (every problem at once), runs it on the resolver's index, and reads the
/// persons found, audited as one search.
pub(crate) async fn search<S: Store>(
    state: &AppState<S>,
    actor: &Actor,
    input: SearchInput<'_>,
) -> Result<Vec<SearchResult>, AppError> {
    let mut c = Collector::default();
    let names = c.check(
        "names",
        clean_text(input.names).and_then(|v| v.ok_or(Problem::Required)),
    );
    let birth_year = c.check("birth_year", parse_year(input.birth_year));
    let place = c.check("place", clean_text(input.place));
    let limit = input.limit.unwrap_or(DEFAULT_RESULTS).clamp(1, MAX_RESULTS);
    let (names, birth_year, place) = c.finish(|| {
        let checked = "checked above";
        (
            names.expect(checked),
            birth_year.expect(checked),
            place.expect(checked),
        )
    })?;
    let query = sijil_match::Query {
        names: names.clone(),
        birth_year,
        place: place.clone(),
        limit,
    };
    let found = state.resolver.search(&query).await;
    let scores: std::collections::HashMap<Uuid, f64> =
        found.iter().map(|f| (f.person_id, f.score)).collect();
    let ids: Vec<Uuid> = found.iter().map(|f| f.person_id).collect();
    let described = serde_json::json!({
        "names": names, "birth_year": birth_year, "place": place,
    });
    let persons = state.store.persons_found(&ids, described, actor).await?;
    Ok(persons
        .into_iter()
        .map(|p| SearchResult {
            score: scores.get(&p.id).copied().unwrap_or_default(),
            person_id: p.id,
            national_number: p.national_number,
            view: p.view,
        })
        .collect())
}

fn parse_year(s: &str) -> Result<Option<i32>, Problem> {
    // Clerks type Arabic-Indic digits as often as ASCII ones.
    let s = sijil_core::digits::fold_digits(s.trim());
    if s.is_empty() {
        return Ok(None);
    }
    let this_year = time::OffsetDateTime::now_utc().year();
    match s.parse::<i32>() {
        Ok(y) if (1850..=this_year).contains(&y) => Ok(Some(y)),
        Ok(y) if y > this_year => Err(Problem::DateInFuture),
        Ok(_) => Err(Problem::DateTooOld),
        Err(_) => Err(Problem::InvalidDate),
    }
}

/// An adjudicator's reason: required, plain text.
pub(crate) fn reason(input: &str) -> Result<String, ValidationErrors> {
    let mut c = Collector::default();
    let r = c.check(
        "reason",
        clean_text(input).and_then(|v| v.ok_or(Problem::Required)),
    );
    c.finish(|| r.expect("checked above"))
}

/// Applies an adjudicator's decision and brings the resolver up to date with it, so the next
/// record is resolved against the registry as the adjudicator left it.
pub(crate) async fn adjudicate<S: Store>(
    state: &AppState<S>,
    actor: &Actor,
    decision: Adjudication,
    reason: &str,
) -> StoreResult<DecisionReceipt> {
    let receipt = state.store.adjudicate(decision, reason, actor).await?;
    state.resolver.follow(&state.store).await?;
    Ok(receipt)
}

/// An adjudicator settles the queue of their own office (all of it at the central); the item's
/// office is looked up only once the role is known to adjudicate, and before anything in the
/// item is read, so a refused look reads nothing.
pub(crate) async fn require_review_in_scope<S: Store>(
    state: &AppState<S>,
    user: &sijil_store::User,
    review: Uuid,
) -> Result<(), AppError> {
    use sijil_core::Permission::Adjudicate;
    if !user.role.allows(Adjudicate) {
        return Err(AppError::Forbidden);
    }
    let office = state.store.review_office(review).await?;
    crate::auth::require_within(user, Adjudicate, Some(&office))
}
