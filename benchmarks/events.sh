#!/usr/bin/env bash
# Event ingest through Junction against raw JDBC, in one JVM (-Xmx512m): a baseline that inserts
# N synthetic events into JN_EVENT of a fresh Derby database with Junction's schema (a batched
# insert and a commit per batch); then, on the distribution's bundles plus the synthetic
# provider, the same events through EventStore.store (batches with their cursor, de-duplicated),
# and the real event pipeline fed by a synthetic EMS at R events/s until N are stored; then the
# baseline again. Prints events/s and the ratios against the goals.
#
#   benchmarks/events.sh [N (100000) [batch (500) [R (50000) [pipeline limit s (120)]]]] [--build]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/distribution/target/junction"
jar="$root/benchmarks/target/benchmarks.jar"
bundles="$root/benchmarks/target/bundles"

build=no; args=()
for arg in "$@"; do
    case $arg in
        --build) build=yes ;;
        *) args+=("$arg") ;;
    esac
done
if [ "$build" = yes ] || [ ! -x "$dist/bin/junction" ] || [ ! -f "$jar" ] || [ ! -f "$bundles/synthetic-provider.jar" ] \
        || [ ! -f "$bundles/test-provider.jar" ]; then
    (cd "$root" && mvn -B -q -DskipTests install \
        -pl core-api,ems-model,core,shell,provider-microsoft,provider-openstack,test-provider,synthetic-provider,simulators,launcher,distribution \
        && mvn -B -q -DskipTests package -pl benchmarks)
fi
api=$(ls "$dist"/system/core-api-*.jar)
derby=$(ls "$dist"/system/derby-*.jar)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx512m "-Djunction.dist=$dist" "-Djunction.testprovider=$bundles/test-provider.jar" \
    "-Djunction.syntheticprovider=$bundles/synthetic-provider.jar" \
    -cp "$jar:$api:$derby" io.junction.benchmarks.EventBench "${args[@]}"
