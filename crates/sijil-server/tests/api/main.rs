//! The API tested from outside: a real server on a free port, a real SQLite file, HTTP.

mod helpers;

mod alerts_page;
mod auth;
mod bad_input;
mod card_image;
mod documents;
mod events;
mod https;
mod limits;
mod list_deltas;
mod lists;
mod merged;
mod openapi;
mod openapi_roles;
mod receipts;
mod records;
mod resolution;
mod roles;
mod scope;
mod users;
