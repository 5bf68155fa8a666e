-- An auditor of a district office reads the entries of that office's officers, newest first:
-- without this index such a page would scan the whole chain backwards for a quiet office.
-- (SQLite keeps an index's rows in rowid order within one office, so `ORDER BY seq DESC`
-- needs no sort.)
CREATE INDEX audit_log_office ON audit_log (office);
