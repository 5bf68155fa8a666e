#!/usr/bin/env bash
# Times the foundation's bulk paths in a release build and prints a table:
#   sijil gen --people 1000000        (target: under 60 s)
#   sijil import of 100,000 records   (all or nothing, one transaction)
# Usage: bench/foundation.sh [PEOPLE] [IMPORT_RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-1000000}
import_records=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -p sijil --quiet
bin=${CARGO_TARGET_DIR:-target}/release/sijil

measure() { # label, command...: prints "label|seconds|peak MiB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  read -r secs kib < "$work/time"
  printf '%s|%s|%d\n' "$label" "$secs" $((kib / 1024))
}

{
  measure "gen $people people" "$bin" gen --people "$people" --seed 1 --out "$work/pop"
  head -n $((import_records + 1)) "$work/pop/records.csv" > "$work/import.csv"
  measure "import $import_records records" "$bin" --data "$work/data" import "$work/import.csv"
  measure "audit verify" "$bin" --data "$work/data" audit verify
} > "$work/rows"

printf '| %-28s | %9s | %9s |\n' "operation" "seconds" "peak MiB"
printf '|%s|%s|%s|\n' "------------------------------" "-----------" "-----------"
while IFS='|' read -r label secs mib; do
  printf '| %-28s | %9s | %9s |\n' "$label" "$secs" "$mib"
done < "$work/rows"
echo
echo "records in the population: $(($(wc -l < "$work/pop/records.csv") - 1)); machine: $(nproc) cores"
