//! Identity resolution in the registry: every record that enters (a clerk's registration, an
//! import, a packet from an office) is resolved against everyone already registered, and
//! linked to a person, made a new person, or sent to the review queue with its explanation.
//!
//! The [`Resolver`] holds the registry's records in a `sijil_match::Index` in memory and
//! follows the store like a log: records after the last one it holds, and record moves after
//! the last one it applied. So decisions taken by any process (an adjudicator on the web, an
//! import run from the command line beside a running server) reach it before the next record
//! is resolved, and the store stays the only truth.

use std::collections::HashMap;

use sijil_core::{PersonRecord, interchange};
use sijil_match::{Candidate, Explanation, Index, Model, RecordRef, Resolution, Resolve, Settings};
use time::OffsetDateTime;
use tokio::sync::RwLock;
use uuid::Uuid;

use crate::{
    Actor, Decision, Link, ModelSource, NewModel, NewSourceRecord, Registration, ReviewCandidate,
    ReviewKind, ReviewRequest, Store, StoreError, StoreResult, StoredModel,
};

mod import;
pub use import::ImportStage;

/// A registry with fewer records than this resolves with a model learnt from a generated
/// population; from this size on it learns from its own records (at the next start).
pub const MIN_RECORDS_TO_LEARN: i64 = 5_000;
/// People in the generated population a new registry's first model is learnt from.
const SYNTHETIC_PEOPLE: usize = 10_000;
const SYNTHETIC_SEED: u64 = 2025;
static SYNTHETIC_MODEL: std::sync::OnceLock<(Model, usize)> = std::sync::OnceLock::new();
/// The registry's review band starts here (log₂ odds), not at the matcher's default of −8:
/// on a generated registry of 102,485 records resolved one by one, the items between −8 and −3
/// held 55 true matches among 4,375 (1.3 %), between −3 and 0 99 among 1,246 (8 %). A queue
/// that is 97 % noise is not worked; a national one would hold millions.
pub const REVIEW_THRESHOLD: f64 = -3.0;

/// Records of one blocking group a new record is compared with (the latest ones). The batch
/// takes 20 for speed; one record at a time can afford more, and a registry's common-name
/// groups are long (measured at 200 on 1.6 million records: median 0.08 ms, p99 1 ms).
pub const BLOCK_CAP: usize = 200;

/// The settings the registry learns its models with.
fn registry_settings() -> Settings {
    Settings {
        review_threshold: REVIEW_THRESHOLD,
        block_cap: BLOCK_CAP,
        ..Settings::default()
    }
}

/// Records read from the store per query while following it.
const PAGE: u32 = 20_000;
/// Candidates kept with a review item.
const MAX_REVIEW_CANDIDATES: usize = 5;

/// The registry's resolver. Cheap to share (`Arc`); resolution of one record at a time is
/// serialised, search runs beside it.
pub struct Resolver {
    state: RwLock<State>,
}

struct State {
    index: Index<Uuid>,
    model_id: Uuid,
    /// Registry order (`seq`) of each index record, and back.
    seqs: Vec<i64>,
    refs: HashMap<i64, u32>,
    /// The last record and record move followed.
    record_mark: i64,
    move_mark: i64,
    /// See [`Resolver::hold_different_first_names`].
    hold_different_first_names: bool,
    /// See [`Resolver::resolve_ahead`].
    resolve_ahead: bool,
}

/// Something a person searched for, with the person it found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Found {
    /// The person.
    pub person_id: Uuid,
    /// Their best-matching record (registry order).
    pub record_seq: i64,
    /// How well it matched, in bits.
    pub score: f64,
}

impl Resolver {
    /// Loads the registry's model (learning one first if it has none, or only a synthetic
    /// one while the registry is now large enough) and indexes every record.
    #[tracing::instrument(skip_all)]
    pub async fn load<S: Store>(store: &S, actor: &Actor) -> StoreResult<Self> {
        let started = std::time::Instant::now();
        let mut records = Vec::new();
        let mut mark = 0;
        loop {
            let page = store.index_records(mark, PAGE).await?;
            let Some(last) = page.last() else { break };
            mark = last.seq;
            records.extend(page);
        }
        let stored = store.latest_model().await?;
        let enough = records.len() as i64 >= MIN_RECORDS_TO_LEARN;
        let (model_id, model) = match stored {
            Some(m) if m.source == ModelSource::Registry || !enough => {
                let model = Model::from_json(&m.json)
                    .map_err(|e| StoreError::Corrupt(format!("match model {}: {e}", m.id)))?;
                (m.id, model)
            }
            _ => {
                let source = if enough {
                    ModelSource::Registry
                } else {
                    ModelSource::Synthetic
                };
                let training: Vec<PersonRecord> = if enough {
                    records.iter().map(|r| r.record.clone()).collect()
                } else {
                    Vec::new()
                };
                let (model, n) = blocking(move || match source {
                    ModelSource::Registry => (
                        sijil_match::train_model(&training, registry_settings()),
                        training.len(),
                    ),
                    // The same for every new registry: learnt once per process.
                    ModelSource::Synthetic => SYNTHETIC_MODEL
                        .get_or_init(|| {
                            let training = synthetic_records();
                            let model = sijil_match::train_model(&training, registry_settings());
                            (model, training.len())
                        })
                        .clone(),
                })
                .await?;
                let new = NewModel {
                    source,
                    records: n as i64,
                    json: model.to_json(),
                };
                (store.save_model(new, actor).await?.id, model)
            }
        };
        let count = records.len();
        let state = blocking(move || {
            let mut st = State {
                index: Index::new(model),
                model_id,
                seqs: Vec::with_capacity(records.len()),
                refs: HashMap::with_capacity(records.len()),
                record_mark: 0,
                move_mark: 0,
                hold_different_first_names: true,
                resolve_ahead: true,
            };
            for r in records {
                st.add(r.seq, &r.record, r.person_id);
                st.record_mark = r.seq;
            }
            st
        })
        .await?;
        // Moves are already reflected in the records' current persons: start after them.
        let mut state = state;
        loop {
            let page = store.record_moves(state.move_mark, PAGE).await?;
            let Some(last) = page.last() else { break };
            state.move_mark = last.seq;
        }
        tracing::info!(records = count, elapsed = ?started.elapsed(), "resolver loaded");
        Ok(Resolver {
            state: RwLock::new(state),
        })
    }

    /// Whether a link the model would make between two records whose first names are
    /// different names is held back for review (on by default). Twins share parents, family
    /// register and birth date, so only the first name tells them apart; the matcher weighs
    /// it like any other field, the registry does not. Off, the registry decides exactly as
    /// `sijil dedup` does.
    pub async fn hold_different_first_names(&self, hold: bool) {
        self.state.write().await.hold_different_first_names = hold;
    }

    /// Learns a model from every record in the registry now and keeps it; a resolver loaded
    /// after this resolves with it. For an administrator, as the registry grows: the model
    /// learnt at 5,000 records does not know the names and families of 5 million.
    pub async fn learn_model<S: Store>(store: &S, actor: &Actor) -> StoreResult<StoredModel> {
        let mut records = Vec::new();
        let mut mark = 0;
        loop {
            let page = store.index_records(mark, PAGE).await?;
            let Some(last) = page.last() else { break };
            mark = last.seq;
            records.extend(page.into_iter().map(|r| r.record));
        }
        if (records.len() as i64) < MIN_RECORDS_TO_LEARN {
            return Err(StoreError::Conflict(format!(
                "the registry holds {} records; a model is learnt from at least {MIN_RECORDS_TO_LEARN}",
                records.len()
            )));
        }
        let n = records.len() as i64;
        let model =
            blocking(move || sijil_match::train_model(&records, registry_settings())).await?;
        let new = NewModel {
            source: ModelSource::Registry,
            records: n,
            json: model.to_json(),
        };
        store.save_model(new, actor).await
    }

    /// Records the index holds.
    pub async fn len(&self) -> usize {
        self.state.read().await.index.len()
    }

    /// Whether the index holds no record.
    pub async fn is_empty(&self) -> bool {
        self.len().await == 0
    }

    /// Resolves `item` against the registry and stores it as decided, with its explanation
    /// and, when an adjudicator must look, a review item.
    pub async fn register<S: Store>(
        &self,
        store: &S,
        item: NewSourceRecord,
        actor: &Actor,
    ) -> StoreResult<Registration> {
        let mut st = self.state.write().await;
        st.follow(store).await?;
        let holder = match &item.record.national_number {
            Some(n) => store.person_id_by_national_number(n).await?,
            None => None,
        };
        let resolution = st.index.resolve(&item.record);
        let mut decided = st.decision(&resolution, &|p| Some(Target::Stored(p)));
        st.flag_number_holder(&mut decided, &item.record, holder);
        let decision = decided.into_decision(st.model_id);
        let record = item.record.clone();
        let reg = store.register_record(item, decision, actor).await?;
        st.add(reg.record_seq, &record, reg.person_id);
        if st.record_mark == reg.record_seq - 1 {
            st.record_mark = reg.record_seq;
        }
        Ok(reg)
    }

    /// Brings the index up to date with decisions and records stored by anyone.
    pub async fn follow<S: Store>(&self, store: &S) -> StoreResult<()> {
        self.state.write().await.follow(store).await
    }

    /// The persons that best match a query, best first. Not audited here: the caller audits
    /// the search (it knows who asked).
    pub async fn search(&self, query: &sijil_match::Query) -> Vec<Found> {
        let st = self.state.read().await;
        st.index
            .search(query)
            .into_iter()
            .map(|hit| Found {
                person_id: hit.person,
                record_seq: st.seqs[hit.record.0 as usize],
                score: hit.score,
            })
            .collect()
    }

    /// How a record would be resolved now, without storing anything (for a clerk's preview).
    pub async fn preview(&self, record: &PersonRecord) -> Resolution<Uuid> {
        self.state.read().await.index.resolve(record)
    }
}

/// Where a candidate's person is: stored, or created earlier in the same batch.
enum Target {
    Stored(Uuid),
    Item(usize),
}

impl State {
    fn empty(model: Model, model_id: Uuid, hold_different_first_names: bool) -> Self {
        State {
            index: Index::new(model),
            model_id,
            seqs: Vec::new(),
            refs: HashMap::new(),
            record_mark: 0,
            move_mark: 0,
            hold_different_first_names,
            resolve_ahead: true,
        }
    }

    fn add(&mut self, seq: i64, record: &PersonRecord, person: Uuid) {
        if self.refs.contains_key(&seq) {
            return;
        }
        let r = self.index.insert(record, person);
        self.seqs.push(seq);
        self.refs.insert(seq, r.0);
    }

    async fn follow<S: Store>(&mut self, store: &S) -> StoreResult<()> {
        loop {
            let page = store.index_records(self.record_mark, PAGE).await?;
            let Some(last) = page.last() else { break };
            self.record_mark = last.seq;
            for r in page {
                self.add(r.seq, &r.record, r.person_id);
            }
        }
        loop {
            let page = store.record_moves(self.move_mark, PAGE).await?;
            let Some(last) = page.last() else { break };
            self.move_mark = last.seq;
            for m in page {
                if let Some(&r) = self.refs.get(&m.record_seq) {
                    self.index.assign(RecordRef(r), m.to);
                }
            }
        }
        Ok(())
    }

    /// Turns the matcher's resolution into the store's decision. `target` says where a
    /// candidate person is (`None`: leave it out).
    fn decision(&self, res: &Resolution<Uuid>, target: &dyn Fn(Uuid) -> Option<Target>) -> Decided {
        let best_of = |p: Uuid| res.candidates.iter().find(|c| c.person == p);
        match &res.decision {
            Resolve::New => Decided::plain(Link::NewPerson, "no_candidate"),
            Resolve::Link { person, .. }
                if self.hold_different_first_names
                    && best_of(*person).is_some_and(|c| first_names_differ(&c.explanation)) =>
            {
                self.review(res, target, "first_name_differs")
            }
            Resolve::Link { person, merge } => {
                let link = match target(*person) {
                    Some(Target::Item(j)) => Link::SameAsItem(j),
                    _ => Link::Person(*person),
                };
                let mut d = Decided::plain(link, "match");
                d.explanation = best_of(*person).map(|c| c.explanation.clone());
                let others: Vec<Cand> = merge
                    .iter()
                    .filter_map(|&p| self.candidate(best_of(p)?, target))
                    .take(MAX_REVIEW_CANDIDATES)
                    .collect();
                if !others.is_empty() {
                    d.review = Some(Review {
                        kind: ReviewKind::Merge,
                        candidates: others,
                    });
                }
                d
            }
            Resolve::Review => self.review(res, target, "review"),
        }
    }

    /// A new person for now, with the candidates for an adjudicator.
    fn review(
        &self,
        res: &Resolution<Uuid>,
        target: &dyn Fn(Uuid) -> Option<Target>,
        reason: &'static str,
    ) -> Decided {
        let mut d = Decided::plain(Link::NewPerson, reason);
        d.explanation = res.candidates.first().map(|c| c.explanation.clone());
        let mut seen = Vec::new();
        let cands: Vec<Cand> = res
            .candidates
            .iter()
            .filter(|c| {
                let first = !seen.contains(&c.person);
                seen.push(c.person);
                first
            })
            .filter_map(|c| self.candidate(c, target))
            .take(MAX_REVIEW_CANDIDATES)
            .collect();
        d.review = Some(Review {
            kind: ReviewKind::PossibleMatch,
            candidates: cands,
        });
        d
    }

    /// A record that claims a national number held by someone it was not linked to: either
    /// two people hold one number or the link is wrong; an adjudicator must say which.
    fn flag_number_holder(&self, d: &mut Decided, record: &PersonRecord, holder: Option<Uuid>) {
        let Some(holder) = holder else { return };
        if d.link == Link::Person(holder) {
            return;
        }
        if let Some(review) = &d.review
            && review.candidates.iter().any(|c| c.person_id == holder)
        {
            return;
        }
        let Some(&r) = self.index.records_of(holder).first() else {
            return;
        };
        let e = self.index.explain(record, RecordRef(r));
        let candidate = Cand {
            person_id: holder,
            record_seq: self.seqs[r as usize],
            weight: e.weight,
            explanation: e,
        };
        match &mut d.review {
            Some(review) => review.candidates.insert(0, candidate),
            None => {
                d.review = Some(Review {
                    kind: ReviewKind::PossibleMatch,
                    candidates: vec![candidate],
                })
            }
        }
        if d.link == Link::NewPerson {
            d.reason = "national_number_held";
        }
    }

    fn candidate(
        &self,
        c: &Candidate<Uuid>,
        target: &dyn Fn(Uuid) -> Option<Target>,
    ) -> Option<Cand> {
        let (person_id, record_seq) = match target(c.person)? {
            Target::Stored(p) => (p, self.seqs[c.record.0 as usize]),
            // Named by its item: the store fills in the person and the record's place.
            Target::Item(j) => (Uuid::nil(), -(j as i64) - 1),
        };
        Some(Cand {
            person_id,
            record_seq,
            weight: c.weight,
            explanation: c.explanation.clone(),
        })
    }
}

/// A decision as the resolver takes it, its explanations still typed: one registration turns
/// it into the store's [`Decision`] (JSON) at once, an import packs it small (see `import`).
struct Decided {
    link: Link,
    reason: &'static str,
    explanation: Option<Explanation>,
    review: Option<Review>,
}

/// A review item to open, candidates best first.
struct Review {
    kind: ReviewKind,
    candidates: Vec<Cand>,
}

/// A candidate person for review, as [`ReviewCandidate`] with its explanation typed.
struct Cand {
    person_id: Uuid,
    record_seq: i64,
    weight: f64,
    explanation: Explanation,
}

impl Decided {
    fn plain(link: Link, reason: &'static str) -> Self {
        Decided {
            link,
            reason,
            explanation: None,
            review: None,
        }
    }

    /// The store's decision, by the model `model_id`.
    fn into_decision(self, model_id: Uuid) -> Decision {
        Decision {
            link: self.link,
            reason: self.reason,
            explanation: self.explanation.as_ref().map(to_json),
            model_id: Some(model_id),
            review: self.review.map(|r| ReviewRequest {
                kind: r.kind,
                candidates: r
                    .candidates
                    .into_iter()
                    .map(|c| ReviewCandidate {
                        person_id: c.person_id,
                        record_seq: c.record_seq,
                        weight: c.weight,
                        explanation: to_json(&c.explanation),
                    })
                    .collect(),
            }),
        }
    }
}

/// Whether the first names of a pair are different names (not variants, typos or
/// transliterations of one name): twins share everything else, so the registry never links
/// such a pair without an adjudicator.
fn first_names_differ(e: &sijil_match::Explanation) -> bool {
    e.terms.iter().any(|t| {
        t.comparison == "first_name"
            && matches!(
                t.level,
                "different" | "known_different" | "different_across_scripts"
            )
    })
}

fn to_json(e: &Explanation) -> serde_json::Value {
    serde_json::to_value(e).expect("explanations serialise")
}

/// Records of a generated population, for a first model before the registry has its own.
fn synthetic_records() -> Vec<PersonRecord> {
    let (mut records, mut truth) = (Vec::new(), Vec::new());
    let config = sijil_gen::GenConfig::new(SYNTHETIC_PEOPLE, SYNTHETIC_SEED);
    sijil_gen::generate(&config, &mut records, &mut truth).expect("writing to memory");
    let today = OffsetDateTime::now_utc().date();
    interchange::read_all(records.as_slice(), today)
        .expect("the generator writes valid interchange files")
        .into_iter()
        .map(|r| r.record)
        .collect()
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))
}
