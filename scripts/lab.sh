#!/usr/bin/env bash
# certlab lab runner: `make lab-up|lab-down|lab-reset|lab-status|lab-logs` call this.
#
#   scripts/lab.sh up|down|reset|status|logs [SERVICE]
#   scripts/lab.sh services            the services LAB_SERVICES selects, in start order
#   scripts/lab.sh command SERVICE     a service's argv, one word per line (for the checker)
#
# Modes (LAB_MODE): docker  — `docker compose up -d --wait` on compose/docker-compose.yml;
#                   native  — the same services as local processes (pids and logs under .lab/);
#                   auto    — docker when an engine with compose v2 answers, else native.
# Native settings (environment):
#   LAB_SERVICES   which services to start (default: all, in compose order). A service whose
#                  program is not a product of Package.swift yet makes `up` fail, naming it.
#   LAB_BUILD      release (default) or debug: which `swift build -c` the binaries come from.
#   LAB_BIN        use the binaries in this folder instead of building.
#   LAB_WAIT       seconds to wait for each health condition (default 60).
#   CERTLAB_HTTP_PORT (9200), CERTLAB_ADMIN_HEALTH_PORT (9601), CERTLAB_LOG_RATE, CERTLAB_LOG_COUNT.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
STATE=.lab
RUN=$STATE/run
# shellcheck source=scripts/lab-services.sh
source scripts/lab-services.sh

say() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# Mode selection
compose() { docker compose -p certlab -f compose/docker-compose.yml --env-file compose/.env "$@"; }
docker_available() {
  command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1 && docker info >/dev/null 2>&1
}
lab_mode() {
  case "${LAB_MODE:-auto}" in
    native | docker) echo "$LAB_MODE" ;;
    auto)
      if [ -f "$RUN/mode" ]; then cat "$RUN/mode"
      elif docker_available; then echo docker
      else echo native; fi ;;
    *) die "LAB_MODE must be auto, native or docker (found '$LAB_MODE')" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Service selection and binaries
selected_services() {
  local wanted=${LAB_SERVICES:-$LAB_ALL_SERVICES} s known
  for s in $wanted; do
    known=0
    for k in $LAB_ALL_SERVICES; do [ "$s" = "$k" ] && known=1; done
    [ $known = 1 ] || die "LAB_SERVICES: unknown service '$s' (known: $LAB_ALL_SERVICES)"
  done
  # Keep compose's start order whatever order the user wrote.
  for k in $LAB_ALL_SERVICES; do
    for s in $wanted; do [ "$s" = "$k" ] && echo "$k"; done
  done
  return 0
}

needed_products() {
  local s
  for s in $(selected_services); do lab_service_product "$s"; done | awk '!seen[$0]++'
}

package_has_product() {
  grep -Eq "\.executable\([[:space:]]*name:[[:space:]]*\"$1\"" Package.swift
}

# Sets BIN to a folder holding every needed product, building what is stale.
prepare_binaries() {
  local p missing=""
  if [ -n "${LAB_BIN:-}" ]; then
    BIN=$(cd "$LAB_BIN" 2>/dev/null && pwd) || die "LAB_BIN=$LAB_BIN is not a folder"
    for p in $(needed_products); do
      [ -x "$BIN/$p" ] || missing="$missing $p"
    done
    [ -z "$missing" ] || die "missing product(s):$missing — no executable in LAB_BIN=$LAB_BIN (build them, or leave their services out of LAB_SERVICES)"
  else
    for p in $(needed_products); do
      package_has_product "$p" || missing="$missing $p"
    done
    [ -z "$missing" ] || die "Package.swift has no product$( [ "$(wc -w <<<"$missing")" -gt 1 ] && echo s):$missing — needed by: $(services_needing "$missing"). Start the rest with LAB_SERVICES=\"$(services_without "$missing")\" (see README.md)."
    local config=${LAB_BUILD:-release}
    case "$config" in release | debug) ;; *) die "LAB_BUILD must be release or debug (found '$config')" ;; esac
    BIN=$ROOT/.build/$config
    for p in $(needed_products); do
      if [ -x "$BIN/$p" ] && [ -z "$(find Sources Package.swift -newer "$BIN/$p" -print -quit)" ]; then
        continue
      fi
      local t; t=$(now)
      say "building $p ($config; the first build takes several minutes) ..."
      build_with_progress "$p" "$config" ||
        { tail -n 30 "$STATE/build-$p.log" >&2; die "swift build --product $p failed (full log: $STATE/build-$p.log)"; }
      # swift build leaves a product untouched when only sources it does not use changed; mark
      # it current so the staleness check above does not run a no-op build on every lab-up.
      touch "$BIN/$p"
      say "built $p in $(elapsed "$t") s"
    done
  fi
  mkdir -p "$STATE/bin"
  for p in $(needed_products); do ln -sfn "$BIN/$p" "$STATE/bin/$p"; done
}

# swift build in the background, printing its [step/total] counter every 10 s.
build_with_progress() {
  local log="$STATE/build-$1.log" pid last="" step i
  "${SWIFT:-swift}" build -c "$2" --product "$1" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    step=$(grep -o '^\[[0-9]*/[0-9]*\]' "$log" | tail -n 1)
    if [ -n "$step" ] && [ "$step" != "$last" ] && kill -0 "$pid" 2>/dev/null; then
      say "  $1: compiling $step"
      last=$step
    fi
  done
  wait "$pid"
}

services_needing() {
  local s out=""
  for s in $(selected_services); do
    case " $1 " in *" $(lab_service_product "$s") "*) out="$out $s" ;; esac
  done
  echo "${out# }"
}
services_without() {
  local s out=""
  for s in $(selected_services); do
    case " $1 " in *" $(lab_service_product "$s") "*) ;; *) out="$out $s" ;; esac
  done
  echo "${out# }"
}

# ---------------------------------------------------------------------------------------------
# Processes

# A process that exists and is not a zombie (a killed service whose new parent has not reaped
# it yet is gone for every purpose).
alive() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}
pid_of() {
  local f=$RUN/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  # The pid must still be alive and still be this service's program (pids get reused).
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(lab_service_product "$1")" || return 1
  echo "$pid"
}

admin_curl() {
  curl -s --max-time 3 --cacert certs/root-ca.pem --cert certs/admin.pem --key certs/admin-key.pem "$@"
}

# Exit 0 when the service's health condition holds — the same conditions compose gates on.
healthy() {
  case "$1" in
    certs) [ -f certs/root-ca.pem ] && [ -f certs/crl.pem ] ;;
    search-node)
      "$STATE/bin/search-node" healthcheck --timeout 2 --cacert certs/root-ca.pem \
        --url "https://127.0.0.1:${CERTLAB_HTTP_PORT}/_opendistro/_security/health" >/dev/null 2>&1 ;;
    security-admin) curl -fs --max-time 2 "http://127.0.0.1:${CERTLAB_ADMIN_HEALTH_PORT}/health" >/dev/null ;;
    log-generator) [ -s .lab/logs/access.log ] ;;
    beats-shipper) [ "$(shipped_count)" -gt "${SHIPPED_BEFORE:-0}" ] ;;
  esac
}

# Documents in certlab-logs-* (0 when the index does not exist yet).
shipped_count() {
  admin_curl "https://127.0.0.1:${CERTLAB_HTTP_PORT}/certlab-logs-*/_count" |
    sed -n 's/.*"count":\([0-9]*\).*/\1/p' | grep . || echo 0
}

health_text() {
  case "$1" in
    certs) echo "certs/ holds root-ca.pem and crl.pem" ;;
    search-node) echo "GET /_opendistro/_security/health says UP" ;;
    security-admin) echo "GET /health on port ${CERTLAB_ADMIN_HEALTH_PORT} answers 200 (config applied)" ;;
    log-generator) echo ".lab/logs/access.log has lines" ;;
    beats-shipper) echo "documents arrive in certlab-logs-*" ;;
  esac
}

url_of() {
  case "$1" in
    search-node) echo "https://localhost:${CERTLAB_HTTP_PORT}" ;;
    security-admin) echo "http://127.0.0.1:${CERTLAB_ADMIN_HEALTH_PORT}/health" ;;
    log-generator) echo ".lab/logs/access.log" ;;
    beats-shipper) echo "https://localhost:${CERTLAB_HTTP_PORT}/certlab-logs-*/_search" ;;
    certs) echo "certs/" ;;
  esac
}

start_service() {
  local s=$1 t pid bin words
  t=$(now)
  mapfile -t words < <(lab_service_command "$s")
  bin="$STATE/bin/${words[0]}"
  if [ "$s" = certs ]; then
    say "certs: cert-issuer init (idempotent) ..."
    "$bin" "${words[@]:1}" >"$RUN/certs.log" 2>&1 || { cat "$RUN/certs.log" >&2; die "certs: cert-issuer init failed"; }
    sed 's/^/lab:   /' "$RUN/certs.log"
    return 0
  fi
  if pid=$(pid_of "$s"); then
    if healthy "$s"; then say "$s: already running (pid $pid), healthy"; return 0; fi
    say "$s: already running (pid $pid), waiting for health ..."
  else
    # A fresh shipper is healthy once it has added documents, not when old ones exist.
    [ "$s" = beats-shipper ] && SHIPPED_BEFORE=$(shipped_count)
    say "$s: starting ${words[*]}"
    setsid "$bin" "${words[@]:1}" >>"$RUN/$s.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$RUN/$s.pid"
  fi
  # printf, not print: awk prints numbers with %.6g, which rounds an epoch time to 10^4 s.
  local deadline; deadline=$(awk -v a="$(now)" -v w="${LAB_WAIT:-60}" 'BEGIN { printf "%.3f", a + w }')
  until healthy "$s"; do
    if ! alive "$pid"; then
      tail -n 20 "$RUN/$s.log" >&2
      rm -f "$RUN/$s.pid"
      die "$s exited before it became healthy (log above; full log: $RUN/$s.log)"
    fi
    if awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n > d) }'; then
      tail -n 20 "$RUN/$s.log" >&2
      die "$s: not healthy after ${LAB_WAIT:-60} s ($(health_text "$s")); it keeps running — make lab-logs / make lab-down"
    fi
    sleep 0.1
  done
  say "$s: healthy in $(elapsed "$t") s (pid $pid; $(health_text "$s"))"
}

native_up() {
  local t s
  t=$(now)
  mkdir -p "$RUN" .lab/data .lab/logs
  if [ ! -f "$STATE/deps-ok" ]; then
    say "first run: checking Debian packages (make deps) ..."
    make --no-print-directory deps || die "make deps failed"
    touch "$STATE/deps-ok"
  fi
  local running=0 stopped=0
  for s in $(selected_services); do
    [ "$s" = certs ] && continue
    if pid_of "$s" >/dev/null; then running=$((running + 1)); else stopped=$((stopped + 1)); fi
  done
  # A running lab keeps the ports it was started with.
  if [ $running -gt 0 ] && [ -f "$RUN/settings" ]; then
    local requested=$CERTLAB_HTTP_PORT services=${LAB_SERVICES-}
    load_settings
    LAB_SERVICES=$services
    [ "$requested" = "$CERTLAB_HTTP_PORT" ] || say "services already run on port $CERTLAB_HTTP_PORT; keeping it (make lab-down first to change ports)"
  fi
  prepare_binaries
  echo native >"$RUN/mode"
  {
    echo "CERTLAB_HTTP_PORT=$CERTLAB_HTTP_PORT"
    echo "CERTLAB_ADMIN_HEALTH_PORT=$CERTLAB_ADMIN_HEALTH_PORT"
    echo "LAB_SERVICES=\"$(selected_services | tr '\n' ' ' | sed 's/ $//')\""
  } >"$RUN/settings"
  [ $running -gt 0 ] && [ $stopped = 0 ] && say "the lab is already up; checking each service"
  for s in $(selected_services); do start_service "$s"; done
  say "up in $(elapsed "$t") s — services: $(selected_services | tr '\n' ' ')"
  print_endpoints
}

print_endpoints() {
  local port=$CERTLAB_HTTP_PORT
  cat <<EOF

  search-node     https://localhost:$port   (HTTPS; client certificates OPTIONAL; admin/admin, kibanaro/kibanaro)
  certificates    certs/  (root-ca.pem, admin.pem, CLIENT1.pem, beats-shipper.pem, crl.pem)
  programs        .lab/bin/  — export PATH="\$PWD/.lab/bin:\$PATH"
  logs            make lab-logs   (files: $RUN/*.log)

Try:
  curl --cacert certs/root-ca.pem --cert certs/CLIENT1.pem --key certs/CLIENT1-key.pem https://localhost:$port/_opendistro/_security/authinfo?pretty
  python3 -c 'import requests; print(requests.get("https://localhost:$port/_opendistro/_security/authinfo", cert=("certs/CLIENT1.pem", "certs/CLIENT1-key.pem"), verify="certs/root-ca.pem").json())'
  .lab/bin/cert-issuer inspect certs/CLIENT1.pem
Walkthroughs: docs/01-client-certificate-auth.md first.
EOF
}

load_settings() {
  # Status/health of a running lab use the ports it was started with.
  if [ -f "$RUN/settings" ]; then
    # shellcheck disable=SC1091
    source "$RUN/settings"
    export CERTLAB_HTTP_PORT CERTLAB_ADMIN_HEALTH_PORT
    CERTLAB_NODE_URL=https://127.0.0.1:$CERTLAB_HTTP_PORT
  fi
}

native_down() {
  local t s pid pids="" start
  t=$(now)
  start=$(date +%s%N)
  # Clients first, then the node: a node told to stop while clients still hold connections
  # waits for them, so stopping it last makes lab-down take a fraction of a second.
  for s in $(echo "$LAB_ALL_SERVICES" | tr ' ' '\n' | tac); do
    [ "$s" = search-node ] && wait_gone $((start + 700000000)) $pids
    if pid=$(pid_of "$s"); then kill -TERM "$pid" 2>/dev/null && pids="$pids $pid" && say "$s: stopping (pid $pid)"; fi
  done
  # Graceful shutdown gets 1.5 s in all, then whatever still runs is killed: lab-down < 2 s.
  wait_gone $((start + 1500000000)) $pids
  for pid in $pids; do
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null; say "pid $pid did not stop in 1.5 s: killed"; fi
  done
  rm -f "$RUN"/*.pid "$RUN/mode"
  say "down in $(elapsed "$t") s (data in .lab/data and certificates in certs/ kept; make lab-reset wipes them)"
}

# wait_gone DEADLINE_NS PID...: until none of the pids is alive or the deadline passed.
wait_gone() {
  local deadline=$1 pid running
  shift
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    running=""
    for pid in "$@"; do alive "$pid" && running="$running $pid"; done
    [ -z "$running" ] && return 0
    sleep 0.05
  done
  return 1
}

native_status() {
  load_settings
  local s pid state health
  printf '%-15s %-9s %-8s %-10s %s\n' SERVICE STATE PID HEALTH URL
  for s in $LAB_ALL_SERVICES; do
    if [ "$s" = certs ]; then
      state=done; pid=-
      [ -f certs/root-ca.pem ] || state=missing
    elif pid=$(pid_of "$s"); then state=running
    else state=stopped; pid=-; fi
    health=-
    if [ "$state" != stopped ]; then
      if healthy "$s"; then health=healthy; else health=unhealthy; fi
    fi
    printf '%-15s %-9s %-8s %-10s %s\n' "$s" "$state" "$pid" "$health" "$(url_of "$s")"
  done
}

native_logs() {
  local s
  for s in ${1:-$LAB_ALL_SERVICES}; do
    [ -f "$RUN/$s.log" ] || continue
    echo "==> $RUN/$s.log <=="
    tail -n "${LINES_PER_SERVICE:-20}" "$RUN/$s.log"
  done
}

# ---------------------------------------------------------------------------------------------
cmd=${1:-}
shift || true
case "$cmd" in
  services) selected_services ;;
  command) [ $# = 1 ] || die "usage: scripts/lab.sh command SERVICE"; lab_service_command "$1" || die "unknown service '$1'" ;;
  up)
    selected_services >/dev/null || exit 1
    if [ "$(lab_mode)" = docker ]; then
      say "Docker engine with compose v2 found: docker compose up -d --wait (LAB_MODE=native runs processes instead)"
      mkdir -p "$RUN" && echo docker >"$RUN/mode"
      compose up -d --wait --build || die "docker compose up failed (docker compose -p certlab logs shows why)"
      # Host clients (curl, Python, the walkthroughs) need the certificates from the volume.
      compose cp certs:/certlab/certs/. certs/ && say "copied the certificates from the certs volume into certs/"
      print_endpoints
    else
      native_up
    fi ;;
  down)
    if [ "$(lab_mode)" = docker ]; then compose down && rm -f "$RUN/mode"; else native_down; fi ;;
  reset)
    if [ "$(lab_mode)" = docker ]; then compose down -v; rm -f "$RUN/mode"; else native_down; fi
    rm -rf .lab/data .lab/logs "$RUN"
    find certs -mindepth 1 ! -name README.md -delete 2>/dev/null
    say "reset: data, sample logs and certificates removed (next make lab-up issues new ones)" ;;
  status)
    if [ "$(lab_mode)" = docker ]; then compose ps; else native_status; fi ;;
  logs)
    if [ "$(lab_mode)" = docker ]; then compose logs --tail "${LINES_PER_SERVICE:-20}" "$@"; else native_logs "${1:-}"; fi ;;
  *) die "usage: scripts/lab.sh up|down|reset|status|logs [SERVICE]|services|command SERVICE" ;;
esac
