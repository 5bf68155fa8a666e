#!/bin/sh
# Sync over a bad link: bytes on the wire per registration and registrations per minute over
# 64 kbit/s, 800 ms round trip, cut every 30 s (a fault-injecting proxy; see
# crates/sijil/tests/sync/proxy.rs). SIJIL_BENCH_PEOPLE sets the number of registrations.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release -p sijil --test sync -- --ignored --nocapture bench_sync
