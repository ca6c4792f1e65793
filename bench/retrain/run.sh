#!/usr/bin/env bash
# Serving latency while the router retrains: starts the gateway on 127.0.0.1:18097 over a private
# copy of the serving model, measures routed requests (bench/gateway-overhead/OverheadBench, one
# caller, new prompts) at rest, then again while POST /admin/router/retrain runs, and prints the
# retrain's answer (version, gates, seconds).
# Usage: bench/retrain/run.sh [requests] [mmlu-dir] [embedding-cache-dir to start from] [redis-url]
# With a redis-url the gateway logs outcomes to that Redis and retrains from its corrections (seed one
# with bench/retrain/SeedOutcomes.java); without, it uses quarkus.redis.hosts (127.0.0.1:6379).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-300}
mmlu=${2:-../shared/data/mmlu}
cache=${3:-}
redis=${4:-}
models=$(mktemp -d)
version=$(cat router-models/current)
cp -r "router-models/$version" "$models/"
echo "$version" > "$models/current"
if [[ -n $cache ]]; then cp -r "$cache" "$models/.embedding-cache"; fi
log=$(mktemp)
key=bench-admin-key
if [[ -n $redis ]]; then export QUARKUS_REDIS_HOSTS=$redis; fi
ROUTER_OUTCOMES_SPOOL_DIR="$models/spool" ROUTER_CONFIG_DIR=bench/gateway-overhead/config QUARKUS_HTTP_PORT=18097 QUARKUS_HTTP_HOST=127.0.0.1 \
  ROUTER_MODELS_DIR="$models" ROUTER_ADMIN_KEY=$key ROUTER_RETRAIN_MMLU_DIR="$mmlu" ROUTER_RETRAIN_MAX_CORRECTIONS_PER_TENANT=${MAX_CORRECTIONS_PER_TENANT:-3000} \
  QUARKUS_LOG_CATEGORY__DEV_EXPERTROUTER_ACCESS__LEVEL=WARN JAVA_OPTS=-Xmx1g \
  java -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$models"' EXIT
for _ in $(seq 1 1200); do
  curl -sf http://127.0.0.1:18097/q/health/ready >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), git $(git rev-parse --short HEAD), redis ${redis:-default}"
echo "# at rest"
java bench/gateway-overhead/OverheadBench.java http://127.0.0.1:18097 "$n" 300
echo "# while POST /admin/router/retrain runs"
start=$(date +%s.%N)
curl -s -X POST -H "Authorization: Bearer $key" http://127.0.0.1:18097/admin/router/retrain >"$log.retrain" &
curlpid=$!
sleep 2
java bench/gateway-overhead/OverheadBench.java http://127.0.0.1:18097 "$n" 300
retraining() { curl -s -H "Authorization: Bearer $key" http://127.0.0.1:18097/admin/router/versions | grep -q '"retraining" *: *true'; }
running=$(retraining && echo "still running when the bench ended" || echo "FINISHED BEFORE the bench ended")
# Wait on GET /admin/router/versions, at most RETRAIN_WAIT seconds (default 1800); the POST answers
# when the retrain is done (its connection is exempt from quarkus.http.idle-timeout), so its answer
# follows within seconds.
waited=0
while retraining && (( waited < ${RETRAIN_WAIT:-1800} )); do sleep 2; waited=$((waited + 2)); done
for _ in $(seq 1 150); do kill -0 $curlpid 2>/dev/null || break; sleep 0.2; done
kill $curlpid 2>/dev/null && echo "# the POST had not answered 30 s after the retrain ended"
wait $curlpid 2>/dev/null || true
if retraining; then
  echo "# retrain: $running; NOT finished after ${RETRAIN_WAIT:-1800} s more; load average $(cut -d' ' -f1-3 /proc/loadavg)"
else
  echo "# retrain: $running; done $(echo "$(date +%s.%N) - $start" | bc) s after the POST; load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi
cat "$log.retrain"; echo
grep -E "retrain|router model" "$log" | grep -v "INFO  \[org\." | tail -5
curl -s -H "Authorization: Bearer $key" http://127.0.0.1:18097/admin/router/versions \
  | python3 -c 'import json,sys; v=json.load(sys.stdin)["versions"][-1]; print(v["version"], json.dumps(v.get("gates"), indent=1))'
