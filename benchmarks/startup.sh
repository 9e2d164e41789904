#!/usr/bin/env bash
# Start-up of Junction against Apache Karaf 4.4.8 minimal, alternating in one run, N rounds:
#
#   junction warm       bin/junction -c "ems:list" on a home that ran before (data/ and its
#                       class-data-sharing archive there, one EMS stored)
#   junction warm, before   the same with JAVA_OPTS="-Xshare:auto -XX:TieredStopAtLevel=4": no
#                       application archive and the full JIT, as bin/junction started before both
#   karaf warm          bin/karaf server on a Karaf that ran before, until its SSH port answers
#   junction cold       bin/junction -c "ems:list" on a fresh copy of the distribution (no data/:
#                       it creates the database and records the class-data-sharing archive)
#   junction cold, no recording   the same with JAVA_OPTS="-Xshare:auto" (records no archive)
#   karaf cold          bin/karaf server on a freshly unpacked Karaf, until its SSH port answers
#
# plus the bare JVM start (java -version) as a baseline. Whole-process wall time, milliseconds;
# medians, and Junction's median over Karaf's. Karaf listens on loopback, on a free port, and is
# stopped by the pid of its Java process.
#
#   benchmarks/startup.sh [rounds]    (after: mvn -B -q -DskipTests package; default 7 rounds)
#
# Karaf (org.apache.karaf:apache-karaf-minimal:4.4.8:tar.gz) comes from Maven Central through
# Maven's dependency plugin, into a temporary directory (and the local Maven repository).
set -euo pipefail
rounds=${1:-7}
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
[ -x "$dist/bin/junction" ] || { echo "error: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
karaf_version=4.4.8

work=$(mktemp -d)
karaf_pid=
cleanup() {
    if [ -n "$karaf_pid" ]; then kill -KILL "$karaf_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    "-Dartifact=org.apache.karaf:apache-karaf-minimal:$karaf_version:tar.gz" "-DoutputDirectory=$work" >/dev/null) \
    || { echo "error: cannot fetch Karaf $karaf_version from Maven Central" >&2; exit 2; }
mkdir "$work/karaf-pristine"
tar xzf "$work/apache-karaf-minimal-$karaf_version.tar.gz" -C "$work/karaf-pristine" --strip-components=1

ms_now() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local port
    while :; do
        port=$(( 20000 + RANDOM % 30000 ))
        answers "$port" || { echo "$port"; return; }
    done
}

# A Karaf home of its own: loopback SSH on a free port.
new_karaf() {
    rm -rf "$1"
    cp -r "$work/karaf-pristine" "$1"
    local port
    port=$(free_port)
    sed -i -e "s/^sshPort *=.*/sshPort = $port/" -e "s/^sshHost *=.*/sshHost = 127.0.0.1/" "$1/etc/org.apache.karaf.shell.cfg"
    echo "$port" > "$1/.bench-port"
}

# Milliseconds from starting Karaf until its SSH port answers; then stops its Java process by pid.
karaf_ms() {
    local home=$1 port start end
    port=$(cat "$home/.bench-port")
    rm -f "$home/karaf.pid"
    start=$(ms_now)
    "$home/bin/karaf" server >/dev/null 2>&1 </dev/null &
    local script=$!
    until answers "$port"; do
        kill -0 "$script" 2>/dev/null || { echo "error: Karaf stopped before its SSH port answered" >&2; exit 1; }
        sleep 0.02
    done
    end=$(ms_now)
    # bin/karaf runs Java as a child (it restarts it on request) and writes the Java pid to karaf.pid.
    until [ -s "$home/karaf.pid" ]; do sleep 0.02; done
    karaf_pid=$(cat "$home/karaf.pid")
    kill -TERM "$karaf_pid"
    while kill -0 "$karaf_pid" 2>/dev/null; do sleep 0.05; done
    karaf_pid=
    wait "$script" 2>/dev/null || true
    echo $(( end - start ))
}

# junction_ms HOME [JAVA_OPTS]
junction_ms() {
    local start end
    start=$(ms_now)
    JAVA_OPTS=${2:-} "$1/bin/junction" -c "ems:list" >/dev/null 2>&1
    end=$(ms_now)
    echo $(( end - start ))
}

# Warm homes: Junction with an EMS stored and its archive made, Karaf started once.
cp -r "$dist" "$work/junction-warm"
"$work/junction-warm/bin/junction" -c "ems:add microsoft bench1; ems:connect bench1 scvmm vmm.example.test" >/dev/null
"$work/junction-warm/bin/junction" -c "ems:list" >/dev/null
[ -f "$work/junction-warm/data/junction.jsa" ] || echo "note: no class-data-sharing archive was made" >&2
new_karaf "$work/karaf-warm"
karaf_ms "$work/karaf-warm" >/dev/null

before="-Xshare:auto -XX:TieredStopAtLevel=4"
jw=(); jwb=(); kw=(); jc=(); jcn=(); kc=(); jvm=()
for round in $(seq "$rounds"); do
    s=$(ms_now); java -version >/dev/null 2>&1; e=$(ms_now); jvm+=($(( e - s )))
    jw+=("$(junction_ms "$work/junction-warm")")
    jwb+=("$(junction_ms "$work/junction-warm" "$before")")
    kw+=("$(karaf_ms "$work/karaf-warm")")
    rm -rf "$work/junction-cold"; cp -r "$dist" "$work/junction-cold"
    jc+=("$(junction_ms "$work/junction-cold")")
    rm -rf "$work/junction-cold"; cp -r "$dist" "$work/junction-cold"
    jcn+=("$(junction_ms "$work/junction-cold" "-Xshare:auto")")
    new_karaf "$work/karaf-cold"
    kc+=("$(karaf_ms "$work/karaf-cold")")
    echo "round $round/$rounds: junction warm ${jw[-1]} ms (before ${jwb[-1]}), karaf warm ${kw[-1]} ms," \
        "junction cold ${jc[-1]} ms (no recording ${jcn[-1]}), karaf cold ${kc[-1]} ms" >&2
done

m() { printf '%s\n' "$@" | median; }
jw_m=$(m "${jw[@]}"); jwb_m=$(m "${jwb[@]}"); kw_m=$(m "${kw[@]}")
jc_m=$(m "${jc[@]}"); jcn_m=$(m "${jcn[@]}"); kc_m=$(m "${kc[@]}"); jvm_m=$(m "${jvm[@]}")
echo "$(machine_line)"
echo "rounds: $rounds, alternating; wall time in ms: median (all)"
echo "junction -c \"ems:list\", warm:                ${jw_m} (${jw[*]})"
echo "  the same as before (no app CDS, full JIT): ${jwb_m} (${jwb[*]})"
echo "karaf $karaf_version minimal to SSH, warm:       ${kw_m} (${kw[*]})"
echo "junction -c \"ems:list\", cold:                ${jc_m} (${jc[*]})"
echo "  the same without recording the archive:    ${jcn_m} (${jcn[*]})"
echo "karaf $karaf_version minimal to SSH, cold:       ${kc_m} (${kc[*]})"
echo "java -version (baseline):                    ${jvm_m} (${jvm[*]})"
awk -v jw="$jw_m" -v jwb="$jwb_m" -v kw="$kw_m" -v jc="$jc_m" -v jcn="$jcn_m" -v kc="$kc_m" -v b="$jvm_m" 'BEGIN {
    printf "ratio warm: %.2fx Karaf (before: %.2fx; goal <= 0.25x)\n", jw / kw, jwb / kw
    printf "ratio cold: %.2fx Karaf (without recording the archive: %.2fx; goal <= 0.25x)\n", jc / kc, jcn / kc
    printf "junction warm: %.1fx the bare JVM start\n", jw / b
}'
