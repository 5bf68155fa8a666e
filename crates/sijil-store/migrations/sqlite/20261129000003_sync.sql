-- Sync between field office nodes and the central registry (issue 5). Both sides use the same
-- schema file; an office node fills the office tables, the central the central ones. Times are
-- RFC 3339 text in UTC; key ids are lowercase hex; packet ids are UUID text.

-- ---------------------------------------------------------------- office node side

-- Sealed packets waiting for, or already through, the link. One per local source record.
-- `sequence` counts along the device key's series from 1 with no gaps: the central uses it to
-- see that nothing was lost. States only move forward: pending -> sent -> acknowledged.
CREATE TABLE sync_outbox (
    key_id       TEXT NOT NULL,
    sequence     INTEGER NOT NULL CHECK (sequence >= 1),
    packet_id    TEXT NOT NULL UNIQUE,
    record_seq   INTEGER NOT NULL UNIQUE REFERENCES source_records (seq),
    -- The sealed packet exactly as it goes on the wire (signed and encrypted).
    bytes        BLOB NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'acknowledged')),
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    acked_at     TEXT,
    PRIMARY KEY (key_id, sequence)
);
CREATE INDEX sync_outbox_state ON sync_outbox (state, key_id, sequence);
CREATE TRIGGER sync_outbox_no_delete BEFORE DELETE ON sync_outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;

-- Small named values an office node keeps: the central's URL and public keys (learnt at
-- enrolment), its enrolment state, the last downlink version applied.
CREATE TABLE sync_settings (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Downlink entries received from the central (code lists, alerts, revocations, key changes),
-- each verified against the central's downlink key before it is stored.
CREATE TABLE sync_downlink_received (
    version      INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    received_at  TEXT NOT NULL
);

-- ---------------------------------------------------------------- central side

-- Device keys of office nodes: requested by the node, approved or revoked by an administrator.
-- `received_contiguous` / `received_ahead` are the exactly-once state of the key's series
-- (sijil_sync::Received): every sequence up to the first, plus the JSON list beyond it.
CREATE TABLE sync_devices (
    key_id               TEXT PRIMARY KEY,
    office_code          TEXT NOT NULL,
    public_key           TEXT NOT NULL UNIQUE,
    scope                TEXT NOT NULL DEFAULT 'register',
    label                TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'revoked')),
    requested_at         TEXT NOT NULL,
    decided_by           TEXT,
    decided_at           TEXT,
    received_contiguous  INTEGER NOT NULL DEFAULT 0,
    received_ahead       TEXT NOT NULL DEFAULT '[]'
);

-- Every packet the central took in: exactly once per packet id and per (key, sequence).
-- `applying` is written before the record is registered and `accepted` after, so a crash in
-- between is finished on the next delivery of the same packet, never applied twice.
CREATE TABLE sync_inbox (
    packet_id         TEXT PRIMARY KEY,
    key_id            TEXT NOT NULL,
    sequence          INTEGER NOT NULL,
    office_code       TEXT NOT NULL,
    record_id         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('applying', 'accepted', 'quarantined')),
    source_record_id  TEXT,
    via               TEXT NOT NULL,
    bytes             INTEGER NOT NULL,
    received_at       TEXT NOT NULL,
    applied_at        TEXT,
    UNIQUE (key_id, sequence)
);
CREATE TRIGGER sync_inbox_no_delete BEFORE DELETE ON sync_inbox
BEGIN SELECT RAISE(ABORT, 'the inbox is append-only'); END;

-- Packets refused, kept whole with their reason until an administrator decides (the decision
-- is audited; the bytes stay).
CREATE TABLE sync_quarantine (
    id           TEXT PRIMARY KEY,
    received_at  TEXT NOT NULL,
    via          TEXT NOT NULL,
    office_code  TEXT,
    key_id       TEXT,
    packet_id    TEXT,
    sequence     INTEGER,
    reason_code  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    resolution   TEXT CHECK (resolution IN ('discarded', 'released')),
    resolved_by  TEXT,
    resolved_at  TEXT,
    note         TEXT
);
CREATE INDEX sync_quarantine_open ON sync_quarantine (resolved_at, received_at);
CREATE TRIGGER sync_quarantine_no_delete BEFORE DELETE ON sync_quarantine
BEGIN SELECT RAISE(ABORT, 'quarantined packets are kept'); END;

-- Resumable uploads (tus-like): the receiver's offset and the bytes of an unfinished frame.
CREATE TABLE sync_uploads (
    id          TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    length      INTEGER NOT NULL,
    offset      INTEGER NOT NULL,
    partial     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- What operators see per office.
CREATE TABLE sync_contacts (
    office_code   TEXT PRIMARY KEY,
    last_contact  TEXT NOT NULL,
    packets       INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    quarantined   INTEGER NOT NULL DEFAULT 0,
    bytes         INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    -- Packets the office reported waiting at its last contact (it says so when it uploads).
    pending       INTEGER NOT NULL DEFAULT 0
);

-- What the central publishes to offices, as an ordered series of versions.
CREATE TABLE sync_downlink (
    version     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('code_list', 'alert', 'revocation', 'key')),
    payload     TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
