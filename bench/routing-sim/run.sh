#!/usr/bin/env sh
# Routing-quality simulation: one command from the repository root.
#   bench/routing-sim/run.sh [--config DIR] [--data JSONL] [--out DIR] [--seed N] [--classifier FQCN]
# Builds main and test classes, then runs dev.expertrouter.routing.policy.sim.RoutingSimulation.
set -eu
cd "$(dirname "$0")/../.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
exec java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  dev.expertrouter.routing.policy.sim.RoutingSimulation "$@"
