-- A session also ends after a spell of inactivity (a clerk leaves the counter with the page
-- open): `idle_until` moves forward as the session is used. Sessions from before this
-- migration have none and end at once; their users log in again.
ALTER TABLE sessions ADD COLUMN idle_until TEXT NOT NULL DEFAULT '';
