//! The API tested from outside: a real server on a free port, a real SQLite file, HTTP.

mod helpers;

mod auth;
mod bad_input;
mod card_image;
mod documents;
mod events;
mod list_deltas;
mod lists;
mod merged;
mod records;
mod resolution;
mod roles;
