#!/usr/bin/env bash
# Provider refreshes end to end in one JVM (-Xmx512m): the synthetic provider with V VMs (the
# baseline), the Microsoft provider against an SCVMM WinRM simulator with the same counts, and
# the OpenStack provider against an OpenStack simulator with V servers (HTTP requests counted),
# then N Nova notifications published on the simulator's broker, timed until all are stored.
# The simulators run in the same JVM, outside the framework.
#
#   benchmarks/providers.sh [V (10000) [N (10000)]] [--build]
set -euo pipefail
source "$(dirname "$0")/common.sh"
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
    build_benchmarks
    sims=$(ls "$root"/simulators/target/simulators-*-all.jar | head -1)
fi
api=$(shared_api)

machine_line
exec java -Xmx512m "-Djunction.dist=$dist" "-Djunction.testprovider=$bundles/test-provider.jar" \
    "-Djunction.syntheticprovider=$bundles/synthetic-provider.jar" \
    -cp "$jar:$api:$sims" io.junction.benchmarks.ProviderBench "${args[@]}"
