#!/usr/bin/env bash
# Lab start/stop timing (issue 8's targets): `make lab-up` to all healthy in native mode with
# the binaries already built, at most 3 s; `make lab-down` at most 2 s with nothing left running.
# Prints a Markdown table (like the bench-* executables) and exits 1 when a target is missed.
#
#   scripts/bench-lab.sh [RUNS]     (environment as for scripts/lab.sh; default LAB_BUILD=release)
# It uses its own ports (CERTLAB_HTTP_PORT 39200, admin health 39601) unless set, stops a running
# native lab first, and leaves the lab down.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
runs=${1:-3}
export LAB_MODE=native CERTLAB_HTTP_PORT=${CERTLAB_HTTP_PORT:-39200} CERTLAB_ADMIN_HEALTH_PORT=${CERTLAB_ADMIN_HEALTH_PORT:-39601}

now() { date +%s.%N; }
scripts/lab.sh down >/dev/null
# The first up may build and issue certificates: not part of the measurement.
scripts/lab.sh up >/dev/null || { echo "bench-lab: lab-up failed; run scripts/lab.sh up to see why" >&2; exit 1; }
scripts/lab.sh down >/dev/null

ups=() downs=() leftovers=0
for _ in $(seq 1 "$runs"); do
  t=$(now); scripts/lab.sh up >/dev/null || exit 1; ups+=("$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')")
  pids=$(cat .lab/run/*.pid 2>/dev/null)
  t=$(now); scripts/lab.sh down >/dev/null; downs+=("$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')")
  for pid in $pids; do
    # Zombies (killed, not yet reaped by their new parent) are not running.
    read -r stat 2>/dev/null <"/proc/$pid/stat" || continue
    stat=${stat##*) }
    [ "${stat%% *}" != Z ] && leftovers=$((leftovers + 1))
  done
done

worst() { printf '%s\n' "$@" | sort -n | tail -1; }
up=$(worst "${ups[@]}") down=$(worst "${downs[@]}")
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
echo "## Lab start/stop (native, $runs runs, services: $(scripts/lab.sh services | tr '\n' ' '))"
echo
echo "| measure | worst of $runs | all runs | target | |"
echo "|---|---|---|---|---|"
echo "| make lab-up to all healthy | ${up} s | ${ups[*]} | ≤ 3 s | $(verdict "$up" 3) |"
echo "| make lab-down | ${down} s | ${downs[*]} | ≤ 2 s | $(verdict "$down" 2) |"
echo "| processes left after lab-down | $leftovers | | 0 | $([ "$leftovers" = 0 ] && echo met || echo MISSED) |"
[ "$(verdict "$up" 3)" = met ] && [ "$(verdict "$down" 2)" = met ] && [ "$leftovers" = 0 ]
