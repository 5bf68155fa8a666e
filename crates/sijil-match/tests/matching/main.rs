//! Tests of `sijil-match` from outside, on generated populations and hand-made records.
//!
//! One binary, a module per theme:
//! * `common`: generated data and small record builders;
//! * `incremental`: batch and incremental resolution agree, record for record;
//! * `clusters`: what may never share a cluster;
//! * `model`: saving and loading a model, explanations, symmetry;
//! * `search`: finding people by parts of their names.

mod clusters;
mod common;
mod incremental;
mod model;
mod search;
