#!/usr/bin/env bash
# Provider refreshes end to end in one JVM (-Xmx512m): the synthetic provider with V VMs (the
# baseline), the Microsoft provider against an SCVMM WinRM simulator with the same counts, and
# the OpenStack provider against an OpenStack simulator with V servers (HTTP requests counted),
# then N Nova notifications published on the simulator's broker, timed until all are stored.
# The simulators run in the same JVM, outside the framework.
#
#   benchmarks/providers.sh [V (10000) [N (10000)]] [--build]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/distribution/target/junction"
jar="$root/benchmarks/target/benchmarks.jar"
bundles="$root/benchmarks/target/bundles"
sims=$(ls "$root"/simulators/target/simulators-*-all.jar 2>/dev/null | head -1 || true)

build=no; args=()
for arg in "$@"; do
    case $arg in
        --build) build=yes ;;
        *) args+=("$arg") ;;
    esac
done
if [ "$build" = yes ] || [ ! -x "$dist/bin/junction" ] || [ ! -f "$jar" ] || [ ! -f "$bundles/synthetic-provider.jar" ] \
        || [ ! -f "$bundles/test-provider.jar" ] || [ -z "$sims" ]; then
    (cd "$root" && mvn -B -q -DskipTests install \
        -pl core-api,ems-model,core,shell,provider-microsoft,provider-openstack,test-provider,synthetic-provider,simulators,launcher,distribution \
        && mvn -B -q -DskipTests package -pl benchmarks)
    sims=$(ls "$root"/simulators/target/simulators-*-all.jar | head -1)
fi
api=$(ls "$dist"/system/core-api-*.jar)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx512m "-Djunction.dist=$dist" "-Djunction.testprovider=$bundles/test-provider.jar" \
    "-Djunction.syntheticprovider=$bundles/synthetic-provider.jar" \
    -cp "$jar:$api:$sims" io.junction.benchmarks.ProviderBench "${args[@]}"
