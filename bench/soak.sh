#!/usr/bin/env bash
# Memory soak (not part of the suite): ours in front of the nginx canned upstream for MINUTES
# (default 10) under steady load, half forced and half routed requests with new prompts, RSS
# sampled every 30 s. Prints the samples and the growth from the first loaded sample to the last.
#
#   bench/soak.sh [minutes=10] [connections=8]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
conns=${2:-8}
base=${PORT_BASE:-18581}
p_nginx=$base p_ours=$((base + 2))
suite=bench/suite
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "run bench/run.sh once first (installs wrk, nginx)" >&2; exit 1; }
jar=target/quarkus-app/quarkus-run.jar
[[ -f $jar ]] || mvn -q -B package -DskipTests

json='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"A canned answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":64,"completion_tokens":4,"total_tokens":68}}'
mkdir -p "$work/nginx" "$work/config"
JSON=$json SSE="data: [DONE]" DIR=$work/nginx PORT=$p_nginx python3 - "$suite/nginx.conf.template" >"$work/nginx/nginx.conf" <<'PY'
import os, sys
t = open(sys.argv[1]).read()
for k in ("JSON", "SSE", "DIR", "PORT"):
    t = t.replace("@" + k + "@", os.environ[k].replace("'", "\\'"))
print(t)
PY
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >/dev/null 2>&1 &
pids+=($!)
for f in $suite/config/*.yaml; do sed "s/127.0.0.1:18481/127.0.0.1:$p_nginx/" "$f" >"$work/config/$(basename "$f")"; done
ROUTER_CONFIG_DIR=$work/config QUARKUS_HTTP_PORT=$p_ours QUARKUS_HTTP_HOST=127.0.0.1 \
  java ${JAVA_OPTS_BENCH-@$(pwd)/bin/jvm.options} -jar $jar >"$work/ours.log" 2>&1 &
ours=$!
pids+=($ours)
for _ in $(seq 1 900); do
  curl -sf "http://127.0.0.1:$p_ours/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $ours 2>/dev/null || { tail -30 "$work/ours.log"; exit 1; }
  sleep 0.2
done
rss() { awk '/VmRSS/ {printf "%d", $2 / 1024}' /proc/$ours/status; }
echo "# $(date -u +%FT%TZ) soak ${minutes} min, $conns connections (half forced, half routed); RSS idle after start: $(rss) MB"
url=http://127.0.0.1:$p_ours/v1/chat/completions
half=$(( (conns + 1) / 2 ))
BENCH_MODEL=bench-general wrk -t1 -c$half -d${minutes}m --timeout 10s -s $suite/unique-prompt.lua "$url" >"$work/forced.out" 2>&1 &
w1=$!
BENCH_MODEL=auto wrk -t1 -c$half -d${minutes}m --timeout 10s -s $suite/unique-prompt.lua "$url" >"$work/routed.out" 2>&1 &
w2=$!
samples=()
while kill -0 $w1 2>/dev/null || kill -0 $w2 2>/dev/null; do
  sleep 30
  kill -0 $ours 2>/dev/null || { echo "gateway died" >&2; exit 1; }
  samples+=("$(rss)")
  echo "t=$(( ${#samples[@]} * 30 ))s RSS ${samples[-1]} MB"
done
grep -h BENCHJSON "$work/forced.out" "$work/routed.out" | sed 's/^BENCHJSON /  /'
first=${samples[0]} last=${samples[-1]}
max=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
echo "RSS first loaded sample ${first} MB, last ${last} MB, max ${max} MB, growth $((last - first)) MB"
