#!/usr/bin/env bash
# End-to-end throughput: builds a corpus of many article files from the fixtures (default ≥ 200 MB),
# runs `newsx detect` (read + detect + emit) and `newsx extract` on it single-threaded and on all cores,
# and prints MB/s (per wall second and per CPU second), articles/s and peak RSS beside `wc -w` on the
# same corpus in the same run.
#
#   scripts/bench.sh [MEGABYTES]       (needs /usr/bin/time; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
corpus=bench-corpus
cargo build --release --quiet
bin=target/release/newsx

sources=(fixtures/seeds/*.txt)
for f in fixtures/articles/*.txt; do [ -e "$f" ] && sources+=("$f"); done
# The corpus is rebuilt when its size or its source files change.
stamp="$corpus/.stamp-$mb-$(cat "${sources[@]}" | cksum | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
  rm -rf "$corpus"; mkdir -p "$corpus/0"
  # One folder of 1000 article files (each source in turn), then copies of that folder up to the size:
  # copying whole folders is far faster than one file at a time.
  i=0
  while [ "$i" -lt 1000 ]; do
    for src in "${sources[@]}"; do
      [ "$i" -lt 1000 ] || break
      cp "$src" "$corpus/0/$(printf '%04d' "$i").txt"; i=$((i + 1))
    done
  done
  block=$(du -sb "$corpus/0" | cut -f1)
  target=$((mb * 1024 * 1024)); n=1
  while [ $((n * block)) -lt "$target" ]; do cp -r "$corpus/0" "$corpus/$n"; n=$((n + 1)); done
  touch "$stamp"
fi
bytes=$(du -sb "$corpus" | cut -f1)
files=$(find "$corpus" -name '*.txt' | wc -l)
echo "corpus: $files articles, $((bytes / 1024 / 1024)) MB; commit $(git rev-parse --short HEAD); $(nproc) cores"

measure() { # label, command...; prints one line, leaves the wall seconds in $secs
  # CPU seconds (user + system) are printed too: on a machine busy with other work they still say what
  # the command itself costs, and MB per CPU second is the per-core throughput.
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" > /dev/null 2> "$log"
  local rss cpu
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  awk -v l="$label" -v s="$secs" -v c="$cpu" -v b="$bytes" -v f="$files" -v r="$rss" \
    'BEGIN { if (s <= 0) s = 0.01; if (c <= 0) c = 0.01;
      printf "%-22s %7.2f s %8.1f MB/s %9.0f articles/s  cpu %7.2f s %7.1f MB/cpu-s  peak RSS %6.1f MB\n",
        l, s, b/1048576/s, f/s, c, b/1048576/c, r/1024 }'
  rm -f "$log"
}

measure "wc -w" bash -c "find $corpus -name '*.txt' -print0 | xargs -0 cat | wc -w"
wc_secs=$secs
measure "newsx detect -j1" "$bin" detect --jobs 1 --progress never "$corpus"
det=$secs
measure "newsx detect -j$(nproc)" "$bin" detect --progress never "$corpus"
measure "newsx extract -j1" "$bin" extract --jobs 1 --progress never "$corpus"
one=$secs
measure "newsx extract -j$(nproc)" "$bin" extract --progress never "$corpus"
all=$secs
awk -v w="$wc_secs" -v a="$one" -v b="$all" -v d="$det" \
  'BEGIN { if (w <= 0) w = 0.01; if (d <= 0) d = 0.01;
    printf "time relative to wc -w: %.1fx single-thread, %.1fx all cores\n", a/w, b/w;
    printf "extraction costs %.0f%% of read+detect+emit throughput (single-thread)\n", (1 - d/a) * 100 }'
