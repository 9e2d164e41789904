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
# plus the bare JVM start (java -version) as a baseline. Medians of wall time and of CPU time
# (user + system; Karaf's: its Java process's when the port answers), in milliseconds, and
# Junction's over Karaf's: on a busy machine the CPU figures are the steadier ones. Karaf listens
# on loopback, on a free port, and is stopped by the pid of its Java process.
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
cleanup() {
    # a Karaf left running by an interrupted measurement
    if [ -s "$work/karaf-running.pid" ]; then kill -KILL "$(cat "$work/karaf-running.pid")" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)

(cd "$work" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    "-Dartifact=org.apache.karaf:apache-karaf-minimal:$karaf_version:tar.gz" "-DoutputDirectory=$work" >"$work/mvn.log" 2>&1) \
    || { cat "$work/mvn.log" >&2; echo "error: cannot fetch Karaf $karaf_version from Maven Central" >&2; exit 2; }
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

# "wall cpu" in ms: from starting Karaf until its SSH port answers, and the CPU time its Java
# process used by then; then stops that process by its pid.
karaf_ms() {
    local home=$1 port start end pid cpu
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
    pid=$(cat "$home/karaf.pid")
    echo "$pid" > "$work/karaf-running.pid"
    cpu=$(awk -v hz="$hz" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rm -f "$work/karaf-running.pid"
    wait "$script" 2>/dev/null || true
    echo "$(( end - start )) $cpu"
}

# "wall cpu" in ms of bin/junction -c "ems:list" on a home; the second argument is JAVA_OPTS.
junction_ms() {
    local TIMEFORMAT='%R %U %S' times
    times=$( { time JAVA_OPTS=${2:-} "$1/bin/junction" -c "ems:list" >/dev/null 2>&1; } 2>&1 )
    awk '{print int($1 * 1000), int(($2 + $3) * 1000)}' <<<"$times"
}

# Warm homes: Junction with an EMS stored and its archive made, Karaf started once.
cp -r "$dist" "$work/junction-warm"
"$work/junction-warm/bin/junction" -c "ems:add microsoft bench1; ems:connect bench1 scvmm vmm.example.test" >/dev/null
"$work/junction-warm/bin/junction" -c "ems:list" >/dev/null
[ -f "$work/junction-warm/data/junction.jsa" ] || echo "note: no class-data-sharing archive was made" >&2
new_karaf "$work/karaf-warm"
karaf_ms "$work/karaf-warm" >/dev/null

before="-Xshare:auto -XX:TieredStopAtLevel=4"
names=(jw jwb kw jc jcn kc)
declare -A wall cpu
add() { local w c; read -r w c <<<"$2"; wall[$1]+="$w "; cpu[$1]+="$c "; }
jvm=()
for round in $(seq "$rounds"); do
    s=$(ms_now); java -version >/dev/null 2>&1; e=$(ms_now); jvm+=($(( e - s )))
    add jw "$(junction_ms "$work/junction-warm")"
    add jwb "$(junction_ms "$work/junction-warm" "$before")"
    add kw "$(karaf_ms "$work/karaf-warm")"
    rm -rf "$work/junction-cold"; cp -r "$dist" "$work/junction-cold"
    add jc "$(junction_ms "$work/junction-cold")"
    rm -rf "$work/junction-cold"; cp -r "$dist" "$work/junction-cold"
    add jcn "$(junction_ms "$work/junction-cold" "-Xshare:auto")"
    new_karaf "$work/karaf-cold"
    add kc "$(karaf_ms "$work/karaf-cold")"
    echo "round $round/$rounds done" >&2
done

m() { printf '%s\n' $1 | median; }
declare -A wm cm
for n in "${names[@]}"; do wm[$n]=$(m "${wall[$n]}"); cm[$n]=$(m "${cpu[$n]}"); done
row() { printf '%-46s %6s  %6s   (wall: %s; cpu: %s)\n' "$1" "${wm[$2]}" "${cm[$2]}" "${wall[$2]% }" "${cpu[$2]% }"; }
echo "$(machine_line)"
echo "rounds: $rounds, alternating; medians in ms"
printf '%-46s %6s  %6s\n' "" "wall" "cpu"
row "junction -c \"ems:list\", warm" jw
row "  as before (no app CDS, full JIT)" jwb
row "karaf $karaf_version minimal to SSH, warm" kw
row "junction -c \"ems:list\", cold" jc
row "  without recording the archive" jcn
row "karaf $karaf_version minimal to SSH, cold" kc
echo "java -version (baseline): wall median $(printf '%s\n' "${jvm[@]}" | median) ms"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
# The median of the rounds' own ratios: each round's two figures were taken under the same load.
round_ratio() {
    paste <(printf '%s\n' $1) <(printf '%s\n' $2) | awk '{print $1 / $2}' | sort -g \
        | awk '{a[NR]=$1} END {printf "%.2fx", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
echo "junction/karaf, median of the rounds' ratios (goal <= 0.25x):"
echo "  warm: wall $(round_ratio "${wall[jw]}" "${wall[kw]}"), cpu $(round_ratio "${cpu[jw]}" "${cpu[kw]}");" \
    "as before: wall $(round_ratio "${wall[jwb]}" "${wall[kw]}"), cpu $(round_ratio "${cpu[jwb]}" "${cpu[kw]}")"
echo "  cold: wall $(round_ratio "${wall[jc]}" "${wall[kc]}"), cpu $(round_ratio "${cpu[jc]}" "${cpu[kc]}");" \
    "without recording: wall $(round_ratio "${wall[jcn]}" "${wall[kc]}"), cpu $(round_ratio "${cpu[jcn]}" "${cpu[kc]}")"
echo "junction/karaf, ratio of the medians:"
echo "  warm: wall $(ratio "${wm[jw]}" "${wm[kw]}"), cpu $(ratio "${cm[jw]}" "${cm[kw]}");" \
    "as before: wall $(ratio "${wm[jwb]}" "${wm[kw]}"), cpu $(ratio "${cm[jwb]}" "${cm[kw]}")"
echo "  cold: wall $(ratio "${wm[jc]}" "${wm[kc]}"), cpu $(ratio "${cm[jc]}" "${cm[kc]}");" \
    "without recording: wall $(ratio "${wm[jcn]}" "${wm[kc]}"), cpu $(ratio "${cm[jcn]}" "${cm[kc]}")"
