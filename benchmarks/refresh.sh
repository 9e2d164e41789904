#!/usr/bin/env bash
# Inventory refresh through Junction against raw JDBC, in one JVM (-Xmx512m): a baseline that
# inserts the rows of a synthetic EMS (100,000 VMs, 2,000 hosts, 50 clusters by default) with
# batched prepared statements into a fresh Derby database with Junction's schema; then, on the
# distribution's bundles plus the synthetic provider, a full refresh, a second refresh with no
# changes, and a full and a second refresh with 1% changed, 0.5% added, 0.5% removed; then the
# baseline again. Prints seconds, rows/s, heap peaks and the ratios against the goals.
#
# With --postgresql, Junction and the baselines run on a PostgreSQL server started for the run on
# loopback (a database each), instead of embedded Derby.
#
#   benchmarks/refresh.sh [--postgresql] [vms hosts clusters change add remove] [--build]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_with_providers RefreshBench derby "$@"
