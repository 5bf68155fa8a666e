//! The web application tested from outside: a real server on a free port, a real SQLite file,
//! HTTP with cookies as a browser sends them; and, where Chromium is installed, a real browser.

mod helpers;

mod admin_users;
mod browser;
mod card_image;
mod documents;
mod flows;
mod merged;
mod resolution;
mod scope;
mod security;
mod sync;
