#!/usr/bin/env bash
# Hot-swap gap on the distribution's real bundles: the test provider is updated N times,
# alternating version 1 (as built) and version 2 (the same jar with Bundle-Version 2.0.0), while a
# thread calls the router without pause; for each update, the time from the start of
# bundle.update() until the first call answered by the new version, and the calls that failed
# meanwhile. Baselines from the same updates: when update() returned and when the new service
# was registered.
#
#   benchmarks/hotswap.sh [updates (10)] [--build]
#
#   --build   rebuild the bundles, the distribution and the benchmarks first (otherwise only
#             when something is missing or the test provider was rebuilt since)
set -euo pipefail
source "$(dirname "$0")/common.sh"
provider="$root/benchmarks/target/bundles/test-provider.jar"

updates=10; build=no
for arg in "$@"; do
    case $arg in
        --build) build=yes ;;
        *[!0-9]*|'') echo "usage: benchmarks/hotswap.sh [updates] [--build]" >&2; exit 2 ;;
        *) updates=$arg ;;
    esac
done

built=$(ls "$root"/test-provider/target/test-provider-*.jar 2>/dev/null | head -1)
if [ "$build" = yes ] || [ ! -x "$dist/bin/junction" ] || [ ! -f "$jar" ] || [ ! -f "$provider" ] \
        || { [ -n "$built" ] && ! cmp -s "$built" "$provider"; }; then
    build_benchmarks
fi
# The API classes the benchmark shares with the bundles: the distribution's own core-api.
api=$(shared_api)

machine_line
exec java "-Djunction.dist=$dist" "-Djunction.testprovider=$provider" \
    -cp "$jar:$api" io.junction.benchmarks.HotSwap "$updates"
