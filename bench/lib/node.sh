# Sourced by the bench scripts: a release search-node on the lab's configuration, with its own
# certificates and data under OUT, pinned to CPU 0 (the load or the client runs on CPU 1).
#   prepare_bench_node OUT      copies config/ and issues the lab PKI; sets CERTS (absolute)
#   start_bench_node OUT PORT   starts the node, sets NODE_PID, waits until GET / answers
#   rss PID                     resident set size in MB
# BIN (release binaries) must be set by the caller; NODE_BIN, if set, is the search-node to run
# instead of $BIN/search-node (an A/B comparison of two builds on the same script).

prepare_bench_node() {
  # The node reads its PEM files relative to its config file (../certs), so it runs on a copy.
  cp -r config "$1/config"
  "$BIN/cert-issuer" init --plan "$1/config/certs.yml" --out "$1/certs" >/dev/null
  CERTS=$(cd "$1/certs" && pwd)
}

start_bench_node() {
  local out=$1 port=$2
  taskset -c 0 "${NODE_BIN:-$BIN/search-node}" --config "$out/config/node.yml" --security-config "$out/config/security" --data "$out/data" \
    --port "$port" --log-level error >"$out/node.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 100); do curl -s -o /dev/null --cacert "$CERTS/root-ca.pem" "https://localhost:$port/" && return 0; sleep 0.1; done
  echo "bench: search-node did not start (log: $out/node.log)" >&2
  return 1
}

rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
