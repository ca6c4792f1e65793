#!/usr/bin/env sh
# Routing-decision latency (text selection + MiniLM embedding + head + neighbour vote + policy), single thread, after warm-up.
# Usage: bench/router/run.sh [router-models dir] [warm-up] [measured iterations] [text budget, chars] [ONNX intra-op threads] [config dir]
set -e
cd "$(dirname "$0")/../.."
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.expertrouter.bench.RouterBenchmark "${1:-router-models}" "${2:-300}" "${3:-1000}" "${4:-600}" "${5:-1}" "${6:-config}"
