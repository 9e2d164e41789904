#!/usr/bin/env bash
# Provider refreshes end to end in one JVM (-Xmx512m): the synthetic provider with V VMs (the
# baseline), the Microsoft provider against an SCVMM WinRM simulator with the same counts, and
# the OpenStack provider against an OpenStack simulator with V servers (HTTP requests counted),
# then N Nova notifications published on the simulator's broker, timed until all are stored.
# The simulators run in the same JVM, outside the framework.
#
#   benchmarks/providers.sh [V (10000) [N (10000)]] [--build]
set -euo pipefail
source "$(dirname "$0")/common.sh"
run_with_providers ProviderBench simulators "$@"
