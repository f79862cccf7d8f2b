#!/bin/sh
# Groups synthetic article records (default 1,000,000) and prints the time, the quality against the
# synthetic truth, and the peak memory (maximum resident set size) from /usr/bin/time -v.
# Usage: scripts/bench-events.sh [RECORDS]
set -eu
cd "$(dirname "$0")/.."
cargo bench --bench events --no-run
bin=$(ls -t target/release/deps/events-* | grep -v '\.d$' | head -n 1)
/usr/bin/time -v "$bin" "${1:-1000000}" 2>time.err.$$ || { cat time.err.$$ >&2; rm -f time.err.$$; exit 1; }
grep -E 'Maximum resident set size|Elapsed \(wall clock\)' time.err.$$
rm -f time.err.$$
