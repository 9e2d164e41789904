#!/usr/bin/env bash
# A node's cost as the number of EMSs grows, in one JVM (-Xmx512m, the default heap of bin/junction):
# N synthetic EMSs of V VMs, each emitting R events/s and refreshed every I s. Prints threads,
# resident memory, events stored per second, periodic refreshes completed and begun on schedule,
# and "Database busy" warnings.
#
#   benchmarks/fleet.sh [N (200) [V (500) [R (5) [I s (30) [warm-up s (90) [window s (120)]]]]]]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_with_providers FleetBench "" "$@"
