-- Signed deltas of the document lists (sijil_docs::credential::delta): what changed between
-- two versions of the revocation or the alert list, so an office holding version V receives
-- the changes since V instead of the whole list.
-- At the central: every delta published, dropped once a chain through it would be larger than
-- the whole list (a node that far behind gets the whole list). At an office node: the deltas
-- received after the whole list it holds, dropped when a newer whole list arrives.
CREATE TABLE sync_list_deltas (
    kind          TEXT NOT NULL CHECK (kind IN ('revocation', 'alert')),
    -- List versions (milliseconds of the signing time), not downlink series versions.
    version       INTEGER NOT NULL,
    base_version  INTEGER NOT NULL,
    -- Hex BLAKE3 content digest of the base list, so the central can tell whether a node's
    -- list is its own without opening the delta.
    base_digest   TEXT NOT NULL,
    -- The COSE_Sign1, as signed.
    bytes         BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (kind, version),
    CHECK (base_version < version)
);
