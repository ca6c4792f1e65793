#!/usr/bin/env bash
# The performance suite, in one run on loopback: nginx direct (a canned completion; the limit), the
# Portkey gateway (npm @portkey-ai/gateway 1.15.2, a peer) and ours (forced `model: <expert id>`
# and routed `model: auto`), at 1 and 32 connections, every request with a new ~250-character
# prompt, plus a streamed request at 1 connection. Writes JSON and a Markdown table to bench/results/.
#
#   bench/run.sh                              # the suite (about 4 minutes with the defaults)
#   bench/run.sh --compare bench/baselines/X.json [--tolerance 0.25]
#   bench/run.sh --report-only RESULT.json [--compare BASELINE.json]   # no run, just table/compare
#
# Environment: DURATION (seconds per cell, 12), WARMUP (seconds per target, 20; at 8 our JIT was still warming), REBUILD=1 (rebuild
# the jar), JAVA_OPTS_BENCH (JVM flags for ours, default bin/jvm.options as bin/gateway; JFR=1 adds a flight recording to bench/results/),
# PORT_BASE (18481: nginx, +1 Portkey, +2 ours, +3 ours before), BEFORE_APP (a quarkus-app
# directory of an earlier build: measured too, as forced-before / routed-before; JAVA_OPTS_BEFORE
# its JVM flags, default the same as ours, so one build can also be compared with itself under
# other flags or -D settings), ONLY (a subset of
# the targets to measure, e.g. ONLY="nginx forced" while working on one path; nginx always runs, as
# the upstream; the report's targets table then covers what was measured), ROUNDS (1: measure
# every cell this many times, alternating the targets' order; the report takes the median), RESTART=1 (our
# gateways, and the BEFORE_APP one, start afresh before every round after the first and are warmed again:
# for A/B comparisons, since one JVM keeps its own bias through a run). Installs wrk and nginx-light with apt-get and the
# Portkey gateway into bench/.portkey/ (npm) when missing. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
suite=bench/suite
compare="" tolerance=0.25 report_only=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --compare) compare=$2; shift 2 ;;
    --tolerance) tolerance=$2; shift 2 ;;
    --report-only) report_only=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -n $report_only ]]; then
  exec python3 $suite/report.py "$report_only" ${compare:+--compare "$compare"} --tolerance "$tolerance"
fi

duration=${DURATION:-12}
warmup=${WARMUP:-20}
base=${PORT_BASE:-18481}
p_nginx=$base p_portkey=$((base + 1)) p_ours=$((base + 2)) p_before=$((base + 3))
before_app=${BEFORE_APP:-}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/$stamp
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# --- tools ---------------------------------------------------------------------------------
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  echo "installing wrk and nginx-light (apt-get)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi
portkey=bench/.portkey/node_modules/@portkey-ai/gateway/build/start-server.js
if [[ ! -f $portkey ]]; then
  echo "installing @portkey-ai/gateway 1.15.2 into bench/.portkey (npm)..." >&2
  mkdir -p bench/.portkey
  [[ -f bench/.portkey/package.json ]] || echo '{"private":true}' >bench/.portkey/package.json
  (cd bench/.portkey && npm install --no-save --no-audit --no-fund @portkey-ai/gateway@1.15.2 >/dev/null)
fi
jar=target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar || -n ${REBUILD:-} ]]; then
  echo "building the gateway..." >&2
  mvn -q -B package -DskipTests
fi

wait_http() { # url pid
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# --- nginx: the upstream and the limit -------------------------------------------------------
json='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"A canned answer of a few words, the same for every prompt."},"finish_reason":"stop"}],"usage":{"prompt_tokens":64,"completion_tokens":16,"total_tokens":80}}'
chunk() { printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}\n\n' "$1"; }
sse="$(chunk 'A canned') $(chunk ' answer,') $(chunk ' streamed.')"
sse+='data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","choices":[],"usage":{"prompt_tokens":64,"completion_tokens":3,"total_tokens":67}}'$'\n\n''data: [DONE]'$'\n\n'
mkdir -p "$work/nginx"
JSON=$json SSE=$sse DIR=$work/nginx PORT=$p_nginx python3 - "$suite/nginx.conf.template" >"$work/nginx/nginx.conf" <<'PY'
import os, sys
t = open(sys.argv[1]).read()
for k in ("JSON", "SSE", "DIR", "PORT"):
    t = t.replace("@" + k + "@", os.environ[k].replace("'", "\\'"))
print(t)
PY
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$out/nginx.log" 2>&1 &
pids+=($!)

# --- Portkey ---------------------------------------------------------------------------------
(cd "$work" && exec node "$root/$portkey" --port=$p_portkey) >"$out/portkey.log" 2>&1 &
pids+=($!)

# --- ours ------------------------------------------------------------------------------------
mkdir -p "$work/config"
for f in $suite/config/*.yaml; do sed "s/127.0.0.1:18481/127.0.0.1:$p_nginx/" "$f" >"$work/config/$(basename "$f")"; done
jvm_flags=${JAVA_OPTS_BENCH-@$root/bin/jvm.options}
jvm=$jvm_flags
if [[ -n ${JFR:-} ]]; then
  jvm+=" -XX:StartFlightRecording=filename=$root/$out/ours.jfr,settings=profile,dumponexit=true"
fi
start_ours() { # round: the log of a restarted JVM gets the round's number
  local log=$out/ours${1:+-round$1}.log
  ROUTER_CONFIG_DIR=$work/config QUARKUS_HTTP_PORT=$p_ours QUARKUS_HTTP_HOST=127.0.0.1 \
    java $jvm -jar $jar >"$log" 2>&1 &
  ours=$!
  pids+=($ours)
}
start_before() {
  local log=$out/ours-before${1:+-round$1}.log
  ROUTER_CONFIG_DIR=$work/config QUARKUS_HTTP_PORT=$p_before QUARKUS_HTTP_HOST=127.0.0.1 \
    java $before_flags -jar "$before_app/quarkus-run.jar" >"$log" 2>&1 &
  before=$!
  pids+=($before)
}
wait_ready() { # port pid log
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { tail -30 "$3"; exit 1; }
    sleep 0.2
  done
  echo "port $1 not ready" >&2; exit 1
}
stop_jvm() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
start_ours
ours_targets="forced routed"
before_flags=${JAVA_OPTS_BEFORE-$jvm_flags}
before=""
if [[ -n $before_app ]]; then
  start_before
  ours_targets="forced routed forced-before routed-before"
fi

wait_http "http://127.0.0.1:$p_nginx/v1/chat/completions" "${pids[0]}" || { cat "$out/nginx.log"; exit 1; }
wait_http "http://127.0.0.1:$p_portkey/" "${pids[1]}" || { tail "$out/portkey.log"; exit 1; }
wait_ready $p_ours $ours "$out/ours.log"
[[ -z $before_app ]] || wait_ready $p_before $before "$out/ours-before.log"

# --- the cells -------------------------------------------------------------------------------
all_targets="nginx portkey $ours_targets"
if [[ -n ${ONLY:-} ]]; then
  for t in $ONLY; do [[ " $all_targets " == *" $t "* ]] || { echo "ONLY: unknown target $t (of: $all_targets)" >&2; exit 2; }; done
  all_targets=$(for t in $all_targets; do if [[ $t == nginx || " $ONLY " == *" $t "* ]]; then echo -n "$t "; fi; done)
fi
lua=$suite/unique-prompt.lua
portkey_headers="x-portkey-provider: openai;x-portkey-custom-host: http://127.0.0.1:$p_nginx/v1"
url_of() { case $1 in nginx) echo "http://127.0.0.1:$p_nginx/v1/chat/completions" ;;
  portkey) echo "http://127.0.0.1:$p_portkey/v1/chat/completions" ;;
  *-before) echo "http://127.0.0.1:$p_before/v1/chat/completions" ;;
  *) echo "http://127.0.0.1:$p_ours/v1/chat/completions" ;; esac; }
model_of() { case $1 in forced*) echo bench-general ;; routed*) echo auto ;; *) echo bench-model ;; esac; }
headers_of() { [[ $1 == portkey ]] && echo "$portkey_headers" || echo ""; }

# one correct answer from each, so a misconfigured target fails loudly instead of benchmarking errors
for t in $all_targets; do
  h=(-H 'content-type: application/json' -H 'authorization: Bearer sk-router-demo')
  [[ $t == portkey ]] && h+=(-H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://127.0.0.1:$p_nginx/v1")
  code=$(curl -s -o "$work/probe.$t" -D "$work/probe.$t.h" -w '%{http_code}' "${h[@]}" \
    -d "{\"model\":\"$(model_of $t)\",\"messages\":[{\"role\":\"user\",\"content\":\"probe\"}]}" "$(url_of $t)")
  [[ $code == 200 ]] || { echo "$t answered $code: $(head -c 400 "$work/probe.$t")" >&2; exit 1; }
done
router_version=$(cat "$work"/probe.routed.h "$work"/probe.forced.h 2>/dev/null | awk -F': ' 'tolower($1)=="x-router-version" {print $2; exit}' | tr -d "\r" || true)

cells="$out/cells.jsonl"
: >"$cells"
run_cell() { # target conns stream seconds record
  local t=$1 c=$2 s=$3 d=$4 threads=1
  [[ $c -gt 1 ]] && threads=2
  local line
  line=$(BENCH_MODEL=$(model_of "$t") BENCH_STREAM=$s BENCH_HEADERS=$(headers_of "$t") \
    wrk -t$threads -c"$c" -d"${d}s" --timeout 10s -s $lua "$(url_of "$t")" | grep '^BENCHJSON' | cut -d' ' -f2-)
  if [[ $5 == 1 ]]; then
    local rss=0 hwm=0
    local pid=""
    [[ $t == forced || $t == routed ]] && pid=$ours
    [[ $t == *-before ]] && pid=$before
    if [[ -n $pid ]]; then
      rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status); hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
    fi
    echo "{\"target\":\"$t\",\"connections\":$c,\"stream\":$([[ $s == 1 ]] && echo true || echo false),\"rss_kb\":$rss,\"hwm_kb\":$hwm,\"wrk\":$line}" >>"$cells"
    echo "  $t c=$c stream=$s: $line" >&2
  fi
}
echo "warming up (${warmup}s per target)..." >&2
for t in $all_targets; do
  run_cell $t 8 0 "$warmup" 0
  [[ $t != portkey ]] && run_cell $t 1 1 2 0
done
rounds=${ROUNDS:-1}
echo "measuring (${duration}s per cell, $rounds round(s))..." >&2
for r in $(seq 1 "$rounds"); do
  if [[ -n ${RESTART:-} && $r -gt 1 ]]; then
    # fresh JVMs each round: a JVM keeps a bias of its own (core placement, JIT decisions) through a
    # whole run, which an A/A run showed at 10% and more; restarting spreads it over the rounds
    echo "round $r: restarting our gateway(s)..." >&2
    stop_jvm $ours
    [[ -z $before ]] || stop_jvm $before
    start_ours $r
    [[ -z $before_app ]] || start_before $r
    wait_ready $p_ours $ours "$out/ours-round$r.log"
    [[ -z $before_app ]] || wait_ready $p_before $before "$out/ours-before-round$r.log"
    for t in $all_targets; do
      case $t in forced*|routed*) run_cell $t 8 0 "$warmup" 0; run_cell $t 1 1 2 0 ;; esac
    done
  fi
  # every other round runs the targets in reverse, so a host getting busier or quieter during the
  # run does not favour whichever target comes first; the report takes each cell's median
  order=$all_targets
  (( r % 2 == 0 )) && order=$(echo $all_targets | tr ' ' '\n' | tac | tr '\n' ' ')
  for c in 1 32; do
    for t in $order; do run_cell $t $c 0 "$duration" 1; done
  done
  # Portkey 1.15.2 answers a canned SSE stream with "TypeError: immutable" (its own header rewrite),
  # so streaming is measured for nginx and ours only
  for t in $order; do [[ $t == portkey ]] || run_cell $t 1 1 "$duration" 1; done
done

# --- metadata and report -----------------------------------------------------------------------
cpu=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
java_version=$(java -version 2>&1 | head -1 | sed 's/"//g')
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo "-dirty")
python3 - "$cells" "$out/result.json" <<PY
import json, sys
cells = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
meta = {"date": "$stamp", "host_cpu": "$cpu", "cores": $(nproc), "java": "$java_version",
        "router_version": "$router_version", "commit": "$commit", "seconds_per_cell": $duration, "rounds": $rounds, "restart_per_round": $([[ -n ${RESTART:-} ]] && echo True || echo False),
        "jvm_flags": "$jvm".strip(), "before_app": "$before_app", "before_jvm_flags": "${before_app:+$before_flags}", "prompt_chars": 250, "portkey": "@portkey-ai/gateway 1.15.2",
        "upstream": "nginx-light $(nginx -v 2>&1 | sed 's/.*nginx\///')", "wrk": "$(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"}
json.dump({"meta": meta, "cells": cells}, open(sys.argv[2], "w"), indent=1)
PY
python3 $suite/report.py "$out/result.json" --markdown "$out/result.md" ${compare:+--compare "$compare"} --tolerance "$tolerance"
echo "results: $out/result.json, $out/result.md" >&2
