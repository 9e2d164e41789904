#!/usr/bin/env bash
# `bin/junction -c "ems:list"` against a running instance (through its local socket, data/console.sock;
# and through its SSH console with the local client key, the way taken when the socket is missing:
# the socket file is renamed away meanwhile) next to the same command on a cold start (no instance
# running: Junction starts, runs it, stops), and the cold start with the SSH console off (its start-up
# cost), interleaved in one loop on three copies of the distribution; median of N runs each.
#
#   benchmarks/console.sh [runs]      (after: mvn -B -q -DskipTests package)
set -euo pipefail
runs=${1:-11}
source "$(dirname "$0")/common.sh"
[ -x "$dist/bin/junction" ] || { echo "error: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
work=$(mktemp -d)
cold=$work/cold/junction; off=$work/off/junction; warm=$work/warm/junction
for h in "$cold" "$off" "$warm"; do
    mkdir -p "$(dirname "$h")" && cp -r "$dist" "$h"
done
# a port of its own for the running instance, the default for the others (which stop at once)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/^port = .*/port = $port/" "$warm/etc/io.junction.ssh.cfg"
sed -i "s/^enabled = .*/enabled = false/" "$off/etc/io.junction.ssh.cfg"
for h in "$cold" "$off" "$warm"; do
    "$h/bin/junction" -c "ems:add microsoft bench1; ems:connect bench1 scvmm vmm.example.test" >/dev/null
done
"$warm/bin/junction" </dev/null >"$work/warm.out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "stop it with SIGTERM" "$work/warm.out"; do sleep 0.5; done

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

machine_line
cold_ms=(); off_ms=(); warm_ms=(); ssh_ms=()
socket=$warm/data/console.sock
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.2; done
[ -S "$socket" ] || { echo "error: the running instance has no $socket" >&2; exit 1; }
for _ in $(seq "$runs"); do
    cold_ms+=("$(ms "$cold/bin/junction" -c "ems:list")")
    off_ms+=("$(ms "$off/bin/junction" -c "ems:list")")
    warm_ms+=("$(ms "$warm/bin/junction" -c "ems:list")")
    mv "$socket" "$socket.away"
    ssh_ms+=("$(ms "$warm/bin/junction" -c "ems:list")")
    mv "$socket.away" "$socket"
done
c=$(printf '%s\n' "${cold_ms[@]}" | median)
o=$(printf '%s\n' "${off_ms[@]}" | median)
w=$(printf '%s\n' "${warm_ms[@]}" | median)
s=$(printf '%s\n' "${ssh_ms[@]}" | median)
echo "runs: $runs"
echo "cold start, SSH console on (default):   median ${c} ms (all: ${cold_ms[*]})"
echo "cold start, SSH console off:            median ${o} ms (all: ${off_ms[*]})"
echo "running one, by its local socket:       median ${w} ms (all: ${warm_ms[*]})"
echo "running one, by its SSH console:        median ${s} ms (all: ${ssh_ms[*]})"
awk -v c="$c" -v w="$w" -v s="$s" 'BEGIN {printf "ratio: socket %.3fx, SSH %.2fx the cold start\n", w / c, s / c}'
