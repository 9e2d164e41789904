#!/usr/bin/env bash
# Inventory refresh through Junction against raw JDBC, in one JVM (-Xmx512m): a baseline that
# inserts the rows of a synthetic EMS (100,000 VMs, 2,000 hosts, 50 clusters by default) with
# batched prepared statements into a fresh Derby database with Junction's schema; then, on the
# distribution's bundles plus the synthetic provider, a full refresh, a second refresh with no
# changes, and a full and a second refresh with 1% changed, 0.5% added, 0.5% removed; then the
# baseline again. Prints seconds, rows/s, heap peaks and the ratios against the goals.
#
#   benchmarks/refresh.sh [vms hosts clusters change add remove] [--build]
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
# Shared with the bundles: the distribution's own core-api; the baseline's Derby: the distribution's.
api=$(ls "$dist"/system/core-api-*.jar)
derby=$(ls "$dist"/system/derby-*.jar)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx512m "-Djunction.dist=$dist" "-Djunction.testprovider=$bundles/test-provider.jar" \
    "-Djunction.syntheticprovider=$bundles/synthetic-provider.jar" \
    -cp "$jar:$api:$derby" io.junction.benchmarks.RefreshBench "${args[@]}"
