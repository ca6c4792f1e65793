#!/usr/bin/env sh
# Perceptive-router benchmark: one command from the repository root.
#   bench/perceptive/run.sh [--data DIR] [--out DIR] [--folds N] [--seed N]
# Builds main and test classes, then runs dev.expertrouter.bench.perceptive.PerceptiveBenchmark in a
# JVM of its own (it loads the MiniLM ONNX embedder the first time, to fill target/perceptive-cache/).
set -eu
cd "$(dirname "$0")/../.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
exec java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  dev.expertrouter.bench.perceptive.PerceptiveBenchmark "$@"
