#!/usr/bin/env bash
# Whole-process time of `bin/junction -c "ems:list"` on an existing home, median of N runs,
# next to the bare JVM start (`java -version`) measured in the same loop as a baseline.
#
#   benchmarks/startup.sh [runs]      (after: mvn -B -q -DskipTests package)
set -euo pipefail
runs=${1:-11}
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/distribution/target/junction"
[ -x "$dist/bin/junction" ] || { echo "error: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
home=$(mktemp -d)/junction
cp -r "$dist" "$home"
trap 'rm -rf "$(dirname "$home")"' EXIT
"$home/bin/junction" -c "ems:add microsoft bench1; ems:connect bench1 scvmm vmm.example.test" >/dev/null

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

junction_ms=(); jvm_ms=()
for _ in $(seq "$runs"); do
    jvm_ms+=("$(ms java -version)")
    junction_ms+=("$(ms "$home/bin/junction" -c "ems:list")")
done
j=$(printf '%s\n' "${junction_ms[@]}" | median)
b=$(printf '%s\n' "${jvm_ms[@]}" | median)
echo "runs: $runs"
echo "bin/junction -c \"ems:list\": median ${j} ms (all: ${junction_ms[*]})"
echo "java -version (baseline):  median ${b} ms (all: ${jvm_ms[*]})"
awk -v j="$j" -v b="$b" 'BEGIN {printf "ratio: %.1fx the bare JVM start\n", j / b}'
