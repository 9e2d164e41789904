#!/usr/bin/env bash
# Router dispatch on the distribution's real bundles (JMH): a trivial power call on the test
# provider's own capability object (direct, the baseline) next to the same call through
# CapabilityRouter.call (routed) and through route() and a lease (routedLease), with 1 and 2
# calling threads, all in one run; then a table of ns/op and the time routing adds per call.
#
#   benchmarks/router.sh [--quick] [--gc] [--build] [more JMH options, e.g. -f 2]
#
#   --quick   shorter run: 2 warm-up and 3 measured iterations of 1 s (about 1 minute instead of 2.5)
#   --gc      also measure allocation per call (JMH's gc profiler)
#   --build   rebuild the bundles, the distribution and the benchmarks first (otherwise only
#             when something is missing or the test provider was rebuilt since)
set -euo pipefail
source "$(dirname "$0")/common.sh"
provider="$root/benchmarks/target/bundles/test-provider.jar"

# Settings for a 2-core machine: one fork per benchmark, 5 warm-up and 5 measured iterations of
# 2 s (with only 3 warm-ups, direct was still being compiled when the machine was busy).
settings=(-f 1 -wi 5 -i 5 -w 2s -r 2s)
build=no; extra=()
for arg in "$@"; do
    case $arg in
        --quick) settings=(-f 1 -wi 2 -i 3 -w 1s -r 1s) ;;
        --gc) extra+=(-prof gc) ;;
        --build) build=yes ;;
        -f|-wi|-i|-w|-r) own=yes; extra+=("$arg") ;;
        *) extra+=("$arg") ;;
    esac
done
# JMH takes each option once: given any of -f -wi -i -w -r, the settings above are left out.
[ "${own:-no}" = no ] || settings=()

built=$(ls "$root"/test-provider/target/test-provider-*.jar 2>/dev/null | head -1)
if [ "$build" = yes ] || [ ! -x "$dist/bin/junction" ] || [ ! -f "$jar" ] || [ ! -f "$provider" ] \
        || { [ -n "$built" ] && ! cmp -s "$built" "$provider"; }; then
    build_benchmarks
fi
# The API classes the benchmark shares with the bundles: the distribution's own core-api.
api=$(shared_api)

out="$root/benchmarks/target/router"
mkdir -p "$out"
table="$out/table.txt"; log="$out/jmh.log"
rm -f "$table"
echo "JMH: ${settings[*]} ${extra[*]}   (JMH's full output: ${log#"$root"/}, results: ${out#"$root"/}/result.csv)"
java "-Djunction.dist=$dist" "-Djunction.testprovider=$provider" "-Drouter.table=$table" \
    -cp "$jar:$api" io.junction.benchmarks.RouterReport "${settings[@]}" "${extra[@]}" -rf csv -rff "$out/result.csv" \
    | tee "$log" | grep --line-buffered -E '^# (Benchmark|Run progress):|^Iteration' || true
[ -s "$table" ] || { echo "error: no results; see $log" >&2; exit 1; }

echo
machine_line
cat "$table"
