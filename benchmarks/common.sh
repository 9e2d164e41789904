# Shared by the benchmark scripts (sourced, not run): where things are, how to build them, and
# the line that says on what machine a figure was taken.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist="$root/distribution/target/junction"
jar="$root/benchmarks/target/benchmarks.jar"
bundles="$root/benchmarks/target/bundles"

# Builds the distribution, the providers and simulators the benchmarks use, and the benchmarks: one
# reactor "package" from the root, which resolves the modules from each other's target/ and never
# installs into the local repository (~/.m2 is shared with other builds on the machine).
build_benchmarks() {
    (cd "$root" && mvn -B -q -DskipTests package -pl '!itests')
}

# The API classes a benchmark shares with the bundles: the distribution's own core-api jar.
shared_api() {
    ls "$dist"/system/core-api-*.jar
}

machine_line() {
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Runs a benchmark class in one JVM (-Xmx512m) that boots the distribution's bundles and installs
# the test and synthetic providers, after printing the machine line. "--build" among the arguments
# rebuilds first (so does anything missing); the other arguments go to the class. The second
# argument adds to the class path: "derby" (the distribution's Derby, for a raw-JDBC baseline, and
# the simulators jar, whose PostgresServer starts PostgreSQL for "--postgresql"), "simulators" (the
# runnable simulators jar), or "".
run_with_providers() {
    local main=$1 with=$2
    shift 2
    local build=no args=() arg
    for arg in "$@"; do
        case $arg in
            --build) build=yes ;;
            *) args+=("$arg") ;;
        esac
    done
    local sims
    sims=$(ls "$root"/simulators/target/simulators-*-all.jar 2>/dev/null | head -1 || true)
    if [ "$build" = yes ] || [ ! -x "$dist/bin/junction" ] || [ ! -f "$jar" ] || [ ! -f "$bundles/synthetic-provider.jar" ] \
            || [ ! -f "$bundles/test-provider.jar" ] || { [ "$with" != "" ] && [ -z "$sims" ]; }; then
        build_benchmarks
        sims=$(ls "$root"/simulators/target/simulators-*-all.jar | head -1)
    fi
    local cp="$jar:$(shared_api)"
    case $with in
        derby) cp="$cp:$(ls "$dist"/system/derby-*.jar):$sims" ;;
        simulators) cp="$cp:$sims" ;;
    esac
    machine_line
    exec java -Xmx512m "-Djunction.dist=$dist" "-Djunction.testprovider=$bundles/test-provider.jar" \
        "-Djunction.syntheticprovider=$bundles/synthetic-provider.jar" \
        -cp "$cp" "io.junction.benchmarks.$main" "${args[@]}"
}
