-- Identity resolution in the registry: decisions as events, a review queue, the models used.
--
-- `record_links` stays the current state (which person each record belongs to); every change
-- to it after a record's first link is a decision (`link_decisions`) made of record moves
-- (`record_moves`), both append-only, so any decision can be undone by a later one and the
-- whole history of a person can be read back.

-- A person whose records all went to another (a merge, or a review item settled as "same
-- person") points there; the number stays theirs forever and is never issued again.
ALTER TABLE persons ADD COLUMN merged_into TEXT REFERENCES persons (id);

CREATE TABLE match_models (
    id          TEXT PRIMARY KEY,
    -- 'registry' (learnt from this registry's own records) or 'synthetic' (learnt from a
    -- generated population, until the registry is large enough to learn from).
    source      TEXT NOT NULL CHECK (source IN ('registry', 'synthetic')),
    records     INTEGER NOT NULL,
    -- JSON of sijil_match::Model.
    model       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TRIGGER match_models_no_update BEFORE UPDATE ON match_models
BEGIN SELECT RAISE(ABORT, 'models are append-only'); END;
CREATE TRIGGER match_models_no_delete BEFORE DELETE ON match_models
BEGIN SELECT RAISE(ABORT, 'models are append-only'); END;

CREATE TABLE link_decisions (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    -- 'resolution' (made by the resolver when a record arrived), 'link', 'new_person',
    -- 'merge', 'split', 'undo' (made by an adjudicator).
    kind         TEXT NOT NULL,
    -- The record the decision is about, when there is one.
    record_seq   INTEGER REFERENCES source_records (seq),
    review_id    TEXT,
    -- The decision this one undoes.
    reverses     TEXT REFERENCES link_decisions (id),
    reason       TEXT NOT NULL,
    -- JSON: the scores and per-field weights behind the decision, when a model made it.
    explanation  TEXT,
    model_id     TEXT REFERENCES match_models (id),
    decided_by   TEXT NOT NULL,
    office_code  TEXT NOT NULL,
    decided_at   TEXT NOT NULL
);
CREATE INDEX link_decisions_record ON link_decisions (record_seq);
CREATE TRIGGER link_decisions_no_update BEFORE UPDATE ON link_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER link_decisions_no_delete BEFORE DELETE ON link_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

-- Each record a decision moved, from which person to which.
CREATE TABLE record_moves (
    seq          INTEGER PRIMARY KEY,
    decision_id  TEXT NOT NULL REFERENCES link_decisions (id),
    record_seq   INTEGER NOT NULL REFERENCES source_records (seq),
    from_person  TEXT NOT NULL REFERENCES persons (id),
    to_person    TEXT NOT NULL REFERENCES persons (id)
);
CREATE INDEX record_moves_decision ON record_moves (decision_id);
CREATE TRIGGER record_moves_no_update BEFORE UPDATE ON record_moves
BEGIN SELECT RAISE(ABORT, 'record moves are append-only'); END;
CREATE TRIGGER record_moves_no_delete BEFORE DELETE ON record_moves
BEGIN SELECT RAISE(ABORT, 'record moves are append-only'); END;

-- Records an adjudicator must look at: a possible match the resolver would not decide alone
-- (`possible_match`: the record was kept as a person of its own meanwhile), or persons a new
-- record shows to be one (`merge`).
CREATE TABLE review_items (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('possible_match', 'merge')),
    record_seq   INTEGER NOT NULL REFERENCES source_records (seq),
    -- JSON list of {person, record, weight, explanation}, best first.
    candidates   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    -- Open until settled; settling is a decision (link_decisions.review_id), so the item's
    -- own row only records which one.
    settled_by   TEXT REFERENCES link_decisions (id)
);
CREATE INDEX review_items_open ON review_items (settled_by, created_at);
-- Only `settled_by` ever changes (set when settled, cleared when that decision is undone and
-- the item opens again); the history is in link_decisions.review_id.
CREATE TRIGGER review_items_settle_only BEFORE UPDATE ON review_items
WHEN NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind
  OR NEW.record_seq IS NOT OLD.record_seq OR NEW.candidates IS NOT OLD.candidates
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'only a review item''s settlement may change'); END;
CREATE TRIGGER review_items_no_delete BEFORE DELETE ON review_items
BEGIN SELECT RAISE(ABORT, 'review items are kept'); END;

CREATE INDEX record_moves_from ON record_moves (from_person);
CREATE INDEX record_moves_to ON record_moves (to_person);
