-- no-transaction
-- Roles are checked by a trigger instead of the users table's CHECK, so a new role (here the
-- adjudicator, who settles the review queue without administering users) needs a trigger
-- replaced, not the table rebuilt again. SQLite cannot alter a CHECK: the table is rebuilt
-- once, with foreign keys off for the swap (sessions refer to users; the rows are copied with
-- the same ids, so every reference still holds).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE users_new (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    office_code   TEXT NOT NULL REFERENCES offices (code),
    -- Argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);
INSERT INTO users_new (id, username, display_name, role, office_code, password_hash, active, created_at)
    SELECT id, username, display_name, role, office_code, password_hash, active, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TRIGGER users_role_insert BEFORE INSERT ON users
WHEN NEW.role NOT IN ('administrator', 'clerk', 'auditor', 'adjudicator')
BEGIN
    SELECT RAISE(ABORT, 'unknown role');
END;
CREATE TRIGGER users_role_update BEFORE UPDATE OF role ON users
WHEN NEW.role NOT IN ('administrator', 'clerk', 'auditor', 'adjudicator')
BEGIN
    SELECT RAISE(ABORT, 'unknown role');
END;

COMMIT;
PRAGMA foreign_keys = ON;
