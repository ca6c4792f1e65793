#!/usr/bin/env bash
# Starts the gateway on 127.0.0.1:18080 with the bench config, measures its added latency against
# direct calls to the same simulated upstream, then stops it. Usage: bench/gateway-overhead/run.sh [requests] [prompt-chars]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-2000}
chars=${2:-300}
log=$(mktemp)
ROUTER_CONFIG_DIR=bench/gateway-overhead/config QUARKUS_HTTP_PORT=18080 QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_LOG_CATEGORY__DEV_EXPERTROUTER_ACCESS__LEVEL=WARN JAVA_OPTS=-Xmx512m \
  bin/gateway >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf http://127.0.0.1:18080/q/health/ready >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), git $(git rev-parse --short HEAD)"
java bench/gateway-overhead/OverheadBench.java http://127.0.0.1:18080 "$n" "$chars"
echo "# routed throughput, both cores busy (4 concurrent callers)"
java bench/gateway-overhead/ThroughputBench.java http://127.0.0.1:18080 "$n" 4 "$chars"
echo "gateway RSS after run: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MB"
