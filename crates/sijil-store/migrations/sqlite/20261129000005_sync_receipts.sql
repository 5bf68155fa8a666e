-- What the central made of each packet an office node sent (issue 5): an office issues
-- provisional national numbers from its own secretariat series, while the central resolves
-- each record against the whole registry and may link it to a person who already has another
-- number, issue its own, or send it to review. The node asks for these receipts after its
-- packets are acknowledged and keeps the latest answer here, one row per packet.
--
-- `outcome`: 'linked' (to a person the central already had), 'new' (a person created by this
-- record), 'review' (an adjudicator must decide; no number is final yet), 'quarantined' (the
-- central refused the packet; `reason_code` says why), 'pending' (asked, not answered yet: the
-- central is still applying it; asked again a minute later). A receipt changes when the central's
-- answer does (a review settled, a quarantined packet released), so rows are updated in
-- place, each change audited. Only the office side writes this table.
CREATE TABLE sync_receipts (
    packet_id        TEXT PRIMARY KEY REFERENCES sync_outbox (packet_id),
    outcome          TEXT NOT NULL CHECK (outcome IN ('pending', 'linked', 'new', 'review', 'quarantined')),
    -- The person's national number at the central ('linked', 'new').
    national_number  TEXT,
    reason_code      TEXT,
    received_at      TEXT NOT NULL,
    -- When the central was last asked (review and quarantine are asked again, rarely).
    checked_at       TEXT NOT NULL
);
CREATE INDEX sync_receipts_outcome ON sync_receipts (outcome, checked_at);
CREATE TRIGGER sync_receipts_no_delete BEFORE DELETE ON sync_receipts
BEGIN SELECT RAISE(ABORT, 'receipts are kept'); END;
