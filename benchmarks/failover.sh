#!/usr/bin/env bash
# The failover gap in one JVM (-Xmx512m): a thread reads a Microsoft EMS's inventory through the
# router without pause while its preferred SCVMM listener (priority 1) is stopped; the standby
# (priority 2) is another listener of the same simulated server. For each of R rounds, the time
# from the last answer of the preferred listener to the first answer of the standby; after each
# round the preferred listener starts again and the calls return to it (a first round warms up).
# The baseline, measured in the same run: a call to an SCVMM address that drops connection
# attempts (the connect timeout).
#
#   benchmarks/failover.sh [R (10)] [--build]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_with_providers FailoverBench simulators "$@"
