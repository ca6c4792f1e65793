#!/usr/bin/env sh
# Issue #16's measurements: chat-style held-out recall, the multi-turn switch rate with affinity off
# and on, and affinity's own cost per decision. Usage: bench/conversations/run.sh [router-models dir] [config dir]
set -e
cd "$(dirname "$0")/../.."
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
echo "# $(date -u +%FT%TZ) git $(git rev-parse --short HEAD)"
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.expertrouter.bench.ConversationBench "${1:-router-models}" bench/conversations "${2:-config}"
