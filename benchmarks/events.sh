#!/usr/bin/env bash
# Event ingest through Junction against raw JDBC, in one JVM (-Xmx512m): a baseline that inserts
# N synthetic events into JN_EVENT of a fresh Derby database with Junction's schema (a batched
# insert and a commit per batch); then, on the distribution's bundles plus the synthetic
# provider, the same events through EventStore.store (batches with their cursor, de-duplicated),
# and the real event pipeline fed by a synthetic EMS at R events/s until N are stored; then the
# baseline again. Prints events/s and the ratios against the goals.
#
# With --postgresql, Junction and the baselines run on a PostgreSQL server started for the run on
# loopback (a database each), instead of embedded Derby.
#
#   benchmarks/events.sh [--postgresql] [N (100000) [batch (500) [R (50000) [pipeline limit s (120)]]]] [--build]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_with_providers EventBench derby "$@"
