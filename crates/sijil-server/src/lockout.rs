//! Slows password guessing: after five failed logins for one username within 15 minutes,
//! that username is refused until the window has passed. Kept in memory: a restart clears it,
//! which is acceptable because every failure is also in the audit log.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

const MAX_FAILURES: u32 = 5;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Bound on remembered usernames, so a flood of made-up names cannot exhaust memory.
const MAX_TRACKED: usize = 100_000;

#[derive(Default)]
pub(crate) struct Lockout(Mutex<HashMap<String, (u32, Instant)>>);

impl Lockout {
    pub(crate) fn is_locked(&self, username: &str) -> bool {
        let map = self.0.lock().expect("lockout lock");
        map.get(username)
            .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < WINDOW)
    }

    pub(crate) fn failed(&self, username: &str) {
        let mut map = self.0.lock().expect("lockout lock");
        if map.len() >= MAX_TRACKED {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map
            .entry(username.to_owned())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub(crate) fn succeeded(&self, username: &str) {
        self.0.lock().expect("lockout lock").remove(username);
    }
}
