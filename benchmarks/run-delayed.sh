#!/usr/bin/env bash
# The delayed-job lateness scenario, BullMQ and Bullpen against the same Redis in one run.
#
#   benchmarks/run-delayed.sh <redis port> <directory with bench.mjs and its node_modules> [runs]
#
# The BullMQ side is ../shared/bench/bullmq/bench.mjs (run as it is, from a copy where `npm install` was done);
# the Bullpen side is io.bullpen.benchmarks.DelayedLatenessBenchmark from benchmarks/target/benchmarks.jar
# (./mvnw -q -DskipTests -pl benchmarks -am package). Each run does BullMQ, then Bullpen; JSON lines on stdout.
set -euo pipefail
port="$1"
bullmq_dir="$2"
runs="${3:-1}"
jar="$(dirname "$0")/target/benchmarks.jar"
for run in $(seq 1 "$runs"); do
  node "$bullmq_dir/bench.mjs" --port="$port" --tests=delay --run="$run"
  java -cp "$jar" io.bullpen.benchmarks.DelayedLatenessBenchmark --port="$port" --run="$run"
done
