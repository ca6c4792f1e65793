#!/usr/bin/env bash
# Runs .ci/run N times in a row, each from a fresh clone of one commit, as CI does; stops at the
# first failure. Usage: bench/repeat-ci.sh [commit (default HEAD)] [N (default 10)] [log]
# Each run's output goes to <log>.run-<i>.out; one line per run (rc, seconds, load) to <log>.
set -u
cd "$(dirname "$0")/.."
REPO=$(pwd)
REV=$(git rev-parse --short "${1:-HEAD}")
N=${2:-10}
LOG=${3:-/tmp/repeat-ci.log}
WORK=$(mktemp -d)
echo "# $(date -u +%FT%TZ) start: $N clean-clone runs of $REV" >> "$LOG"
for i in $(seq 1 "$N"); do
  rm -rf "$WORK/clone"
  git clone -q "$REPO" "$WORK/clone" && git -C "$WORK/clone" checkout -q "$REV"
  start=$(date +%s)
  (cd "$WORK/clone" && bash .ci/run) > "$LOG.run-$i.out" 2>&1
  rc=$?
  tests=$(grep -E 'Tests run: [0-9]+, Failures' "$LOG.run-$i.out" | grep -v ' -- in ' | awk -F'[ ,]+' '{s+=$4} END {print s}')
  echo "run $i rev $REV rc $rc seconds $(($(date +%s) - start)) load $(cut -d' ' -f1-3 /proc/loadavg) tests $tests" >> "$LOG"
  if [[ $rc -ne 0 ]]; then echo "stopped at run $i" >> "$LOG"; rm -rf "$WORK"; exit 1; fi
done
echo "# all $N passed" >> "$LOG"
rm -rf "$WORK"
