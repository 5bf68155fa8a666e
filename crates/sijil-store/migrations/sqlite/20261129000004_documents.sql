-- Identity documents (issue 6): ID cards and passports, their append-only status history,
-- passport applications and the alerts that a passport check and a checkpoint consult.

-- Next serial per document kind, for card and passport numbers.
CREATE TABLE document_serials (
    kind         TEXT PRIMARY KEY CHECK (kind IN ('id_card', 'passport')),
    next_serial  INTEGER NOT NULL
);

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    -- Card number (A + 8 digits) or passport number (N + 8 digits).
    number         TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('id_card', 'passport')),
    person_id      TEXT NOT NULL REFERENCES persons (id),
    -- Calendar days, YYYY-MM-DD.
    issued_on      TEXT NOT NULL,
    expires_on     TEXT NOT NULL,
    -- ID cards: the Base45 text of the signed credential in the QR code, its id (hex) and the
    -- signing key's id. Kept so the card prints the same code every time.
    credential     TEXT,
    credential_id  TEXT,
    key_id         TEXT,
    application_id TEXT,
    -- The zone printed on the document (TD1 for cards, TD3 for passports).
    mrz            TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX documents_person ON documents (person_id);

-- Every status a document has had, oldest first; the last row is the current status.
CREATE TABLE document_status (
    seq          INTEGER PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents (id),
    status       TEXT NOT NULL
                 CHECK (status IN ('issued', 'delivered', 'lost', 'stolen', 'cancelled')),
    note         TEXT,
    by_user      TEXT NOT NULL,
    office_code  TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX document_status_document ON document_status (document_id);
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are append-only: change their status instead'); END;
CREATE TRIGGER document_status_no_update BEFORE UPDATE ON document_status
BEGIN SELECT RAISE(ABORT, 'document status history is append-only'); END;
CREATE TRIGGER document_status_no_delete BEFORE DELETE ON document_status
BEGIN SELECT RAISE(ABORT, 'document status history is append-only'); END;

CREATE TABLE passport_applications (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    applied_by    TEXT NOT NULL,
    applied_at    TEXT NOT NULL,
    office_code   TEXT NOT NULL
);
CREATE INDEX passport_applications_person ON passport_applications (person_id);

-- Each step of an application, oldest first; the last row is its current state. `detail` is
-- JSON (for a check: what it found).
CREATE TABLE passport_application_steps (
    seq             INTEGER PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES passport_applications (id),
    step            TEXT NOT NULL
                    CHECK (step IN ('applied', 'checked', 'held', 'approved', 'issued', 'refused')),
    detail          TEXT NOT NULL,
    by_user         TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX passport_application_steps_app ON passport_application_steps (application_id);
CREATE TRIGGER passport_application_steps_no_update BEFORE UPDATE ON passport_application_steps
BEGIN SELECT RAISE(ABORT, 'application steps are append-only'); END;
CREATE TRIGGER passport_application_steps_no_delete BEFORE DELETE ON passport_application_steps
BEGIN SELECT RAISE(ABORT, 'application steps are append-only'); END;

-- Alerts on people (wanted, travel ban, missing…), keyed by national number so that a
-- checkpoint can match them against any document. Lifted alerts stay, with their lifting.
CREATE TABLE alerts (
    id               TEXT PRIMARY KEY,
    national_number  TEXT NOT NULL,
    code             TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    lifted_by        TEXT,
    lifted_at        TEXT
);
CREATE INDEX alerts_national_number ON alerts (national_number);
