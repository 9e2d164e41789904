# Shared by the benchmark scripts (sourced, not run): where things are, how to build them, and
# the line that says on what machine a figure was taken.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist="$root/distribution/target/junction"
jar="$root/benchmarks/target/benchmarks.jar"
bundles="$root/benchmarks/target/bundles"

# Builds the distribution, the providers and simulators the benchmarks use, and the benchmarks.
build_benchmarks() {
    (cd "$root" && mvn -B -q -N install && mvn -B -q -DskipTests install \
        -pl core-api,ems-model,core,shell,provider-microsoft,provider-openstack,test-provider,synthetic-provider,simulators,launcher,distribution \
        && mvn -B -q -DskipTests package -pl benchmarks)
}

# The API classes a benchmark shares with the bundles: the distribution's own core-api jar.
shared_api() {
    ls "$dist"/system/core-api-*.jar
}

machine_line() {
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
