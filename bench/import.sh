#!/bin/sh
# `sijil import` into an empty registry: wall time, peak memory (maximum resident set size) and
# the size of the database it leaves, for a generated population.
#
#   bench/import.sh PEOPLE [WORKDIR]
#
# Generates PEOPLE people with `sijil gen` (seed 1) into WORKDIR/gPEOPLE unless a records.csv
# is already there, imports it into a fresh data directory WORKDIR/import-PEOPLE, and prints
# one line per measurement. Build first: cargo build --release -p sijil. Set SIJIL=path to
# measure another binary (for before/after comparisons); RUST_LOG=info shows the stages.
set -eu
cd "$(dirname "$0")/.."
people=${1:?usage: bench/import.sh PEOPLE [WORKDIR]}
work=${2:-${TMPDIR:-/tmp}/sijil-import-bench}
sijil=${SIJIL:-${CARGO_TARGET_DIR:-target}/release/sijil}
mkdir -p "$work"
input="$work/g$people/records.csv"
if [ ! -f "$input" ]; then
    "$sijil" gen --people "$people" --seed 1 --out "$work/g$people"
fi
data="$work/import-$people"
rm -rf "$data"
records=$(($(wc -l < "$input") - 1))
/usr/bin/time -v -o "$work/time-$people.txt" \
    "$sijil" --data "$data" import "$input"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time-$people.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time-$people.txt")
user=$(sed -n 's/.*User time (seconds): //p' "$work/time-$people.txt")
sys=$(sed -n 's/.*System time (seconds): //p' "$work/time-$people.txt")
db=$(du -k "$data/sijil.db" | cut -f1)
echo "people: $people"
echo "records: $records"
echo "wall: $wall"
echo "processor (user + system): $user + $sys s"
echo "peak memory: $((rss / 1024)) MiB"
echo "database: $((db / 1024)) MiB"
