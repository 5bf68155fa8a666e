-- Sijil registry schema, SQLite flavour. Times are RFC 3339 text in UTC (sortable as text);
-- ids are UUIDv7 text, so they sort by creation time.

CREATE TABLE offices (
    code         TEXT PRIMARY KEY,
    name_ar      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    -- Governorate and secretariat codes: the first four digits of national numbers issued here.
    governorate  INTEGER NOT NULL CHECK (governorate BETWEEN 0 AND 99),
    secretariat  INTEGER NOT NULL CHECK (secretariat BETWEEN 0 AND 99),
    created_at   TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'clerk', 'auditor')),
    office_code   TEXT NOT NULL REFERENCES offices (code),
    -- Argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    -- BLAKE3 of the bearer token: a stolen database does not yield usable tokens.
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE persons (
    id               TEXT PRIMARY KEY,
    national_number  TEXT NOT NULL UNIQUE,
    -- The derived current view (JSON of sijil_core::PersonView), recomputed from linked records.
    view             TEXT NOT NULL,
    registry_place   TEXT,
    registry_number  TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX persons_register ON persons (registry_place, registry_number);

-- Next serial per (governorate, secretariat) for issuing national numbers.
CREATE TABLE national_number_serials (
    governorate  INTEGER NOT NULL,
    secretariat  INTEGER NOT NULL,
    next_serial  INTEGER NOT NULL,
    PRIMARY KEY (governorate, secretariat)
);

CREATE TABLE imports (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    digest      TEXT NOT NULL,
    records     INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- Source records are kept forever exactly as captured: no UPDATE, no DELETE (triggers below).
CREATE TABLE source_records (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    record_id    TEXT NOT NULL UNIQUE,
    -- JSON of sijil_core::PersonRecord.
    fields       TEXT NOT NULL,
    office_code  TEXT NOT NULL,
    officer      TEXT NOT NULL,
    captured_at  TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    import_id    TEXT REFERENCES imports (id),
    created_at   TEXT NOT NULL
);

CREATE TRIGGER source_records_no_update BEFORE UPDATE ON source_records
BEGIN SELECT RAISE(ABORT, 'source records are append-only'); END;
CREATE TRIGGER source_records_no_delete BEFORE DELETE ON source_records
BEGIN SELECT RAISE(ABORT, 'source records are append-only'); END;

-- Which person each source record currently belongs to. Changes only through decisions
-- (resolution, adjudication), each of which is audited.
CREATE TABLE record_links (
    record_seq  INTEGER PRIMARY KEY REFERENCES source_records (seq),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    decision    TEXT NOT NULL,
    linked_at   TEXT NOT NULL
);
CREATE INDEX record_links_person ON record_links (person_id);

CREATE TABLE civil_events (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('birth', 'death', 'marriage', 'divorce')),
    person_id     TEXT NOT NULL REFERENCES persons (id),
    spouse_id     TEXT REFERENCES persons (id),
    date          TEXT NOT NULL,
    place         TEXT,
    court_record  TEXT,
    recorded_by   TEXT NOT NULL,
    office_code   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX civil_events_person ON civil_events (person_id);
CREATE INDEX civil_events_spouse ON civil_events (spouse_id);
CREATE TRIGGER civil_events_no_update BEFORE UPDATE ON civil_events
BEGIN SELECT RAISE(ABORT, 'civil events are append-only'); END;
CREATE TRIGGER civil_events_no_delete BEFORE DELETE ON civil_events
BEGIN SELECT RAISE(ABORT, 'civil events are append-only'); END;

-- The audit log: each entry holds the hash of the one before it. The triggers stop casual
-- edits; `sijil audit verify` catches anyone who bypasses them.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    office     TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
