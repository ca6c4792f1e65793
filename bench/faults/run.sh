#!/usr/bin/env bash
# Fault-tolerance load test on loopback: builds the gateway if needed, starts it on a copy of
# bench/faults/config, runs FaultLoadBench against it, stops it. Usage: bench/faults/run.sh [requests-per-phase] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "${REBUILD:-}" ]; then
  mvn -q -B package -DskipTests
fi
WORK=$(mktemp -d)
cp bench/faults/config/*.yaml "$WORK/"
PORT=${PORT:-18080}
ROUTER_CONFIG_DIR="$WORK" ROUTER_ADMIN_KEY=bench-admin ROUTER_REQUEST_DEADLINE=2s ROUTER_RELOAD_INTERVAL=500ms \
  QUARKUS_HTTP_PORT="$PORT" QUARKUS_SHUTDOWN_TIMEOUT=2s \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/gateway.log" 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null; then break; fi
  sleep 0.5
done
java bench/faults/FaultLoadBench.java "http://127.0.0.1:$PORT" "$WORK" "${1:-3000}" "${2:-16}"
echo "gateway log: $WORK/gateway.log"
