#!/usr/bin/env bash
# beats-shipper against the node's own _bulk rate, in one run (issue 7): N 200-byte access-log
# lines in a file, shipped over mTLS with the lab's shipper certificate until the index holds
# all of them. The peer posts the same N lines as event documents of the shipper's shape
# straight to _bulk — distinct documents, same batch size, `create` with explicit ids, one
# request at a time on one keep-alive connection, as the shipper's single worker sends them —
# so both measure what the node can index of these events. The node is pinned to CPU 0,
# shipper and peer to CPU 1. Also samples the shipper's RSS while it ships and once it idles.
# Prints Markdown rows: | measure | certlab | peer | ratio | target |
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release}
LINES=${LINES:-200000}
BATCH=1600
OUT=bench/out/shipper
PORT=19410
rm -rf "$OUT"; mkdir -p "$OUT/logs"
# shellcheck source=bench/lib/node.sh
. bench/lib/node.sh
# Only pids that were set: `kill 0` would signal the whole process group, this shell included.
cleanup() { for pid in ${SHIPPER_PID:-} ${NODE_PID:-}; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
prepare_bench_node "$OUT"
start_bench_node "$OUT" $PORT

# The log file and, for the peer, the same lines as _bulk bodies of BATCH event documents each.
mkdir -p "$OUT/peer"
python3 - "$OUT/logs/bench.log" "$OUT/peer" "$LINES" "$BATCH" "$PWD/$OUT/logs/bench.log" <<'PY'
import json, random, socket, sys
host = socket.gethostname()
log_path, peer_dir, count, batch, shipped_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
random.seed(7)
paths = ["/movies/_doc/%d" % i for i in range(50)] + ["/_search?q=title:moneyball", "/_cat/indices?v", "/_bulk"]
def line(i):
    text = '127.0.0.%d - CLIENT1 [29/Nov/2026:12:%02d:%02d +0000] "GET %s HTTP/1.1" %d %d "-" "python-requests/2.31.0"' % (
        random.randint(1, 254), i // 60 % 60, i % 60, random.choice(paths), random.choice([200, 200, 200, 404, 403]), random.randint(100, 9000))
    return (text + " " * 199)[:199]
lines = [line(i) for i in range(count)]
with open(log_path, "w") as out:
    for text in lines:
        out.write(text + "\n")
for first in range(0, count, batch):
    with open("%s/batch-%06d.ndjson" % (peer_dir, first), "w") as out:
        for i in range(first, min(first + batch, count)):
            # The shipper's event for this line, field for field (its ids are file identity + offset).
            out.write('{"create":{"_id":"fe00-51895b-7c7931b32176984f-%d"}}\n' % (i * 200))
            out.write(json.dumps({"@timestamp": "2026-11-29T12:00:00.000Z", "agent": {"name": host, "type": "filebeat", "version": "7.12.1"},
                                  "ecs": {"version": "1.8.0"}, "fields": {"lab": "certlab"}, "host": {"name": host}, "input": {"type": "filestream"},
                                  "log": {"file": {"path": shipped_path}, "offset": i * 200}, "message": lines[i], "tags": ["access-log"]},
                                 separators=(",", ":")) + "\n")
PY

shipper_cert=(--cacert "$CERTS/root-ca.pem" --cert "$CERTS/beats-shipper.pem" --key "$CERTS/beats-shipper-key.pem")
admin=(--cacert "$CERTS/root-ca.pem" --cert "$CERTS/admin.pem" --key "$CERTS/admin-key.pem")
median2() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", (a + b) / 2}'; }

# The peer: the node's own _bulk rate for these documents (docs/s): every batch file posted in
# order on one curl keep-alive connection (`--next`) into a fresh index.
peer_rate() {
  local run=$1 args=() start codes
  for file in "$OUT"/peer/batch-*.ndjson; do
    [ ${#args[@]} -gt 0 ] && args+=(--next)
    args+=(-sS -o /dev/null -w '%{http_code}\n' "${shipper_cert[@]}" -H 'Content-Type: application/x-ndjson'
           --data-binary "@$file" "https://localhost:$PORT/certlab-logs-peer$run/_bulk")
  done
  start=$(date +%s.%N)
  codes=$(taskset -c 1 curl "${args[@]}")
  local rate; rate=$(awk -v s="$start" -v n="$(date +%s.%N)" -v c="$LINES" 'BEGIN { printf "%.0f", c / (n - s) }')
  local count; count=$(curl -s "${admin[@]}" "https://localhost:$PORT/certlab-logs-peer$run/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
  if grep -qv '^200$' <<<"$codes" || [ "${count:-0}" -ne "$LINES" ]; then
    echo "bench: _bulk peer run $run failed (statuses $(sort <<<"$codes" | uniq -c | tr '\n' ' '), $count of $LINES indexed)" >&2
    echo 0
    return
  fi
  echo "$rate"
}

# One shipper run from an empty registry into its own index; prints "lines/s peak-rss-MB
# idle-rss-MB", the last sampled once the shipper has sat idle for 2 s after its last line was
# indexed (issue 9: RSS idle and loaded).
ship() {
  local run=$1 index="certlab-logs-bench$1" start count=0 peak=0 now_rss deadline idle
  rm -rf "$OUT/shipper-data$run"
  cat >"$OUT/shipper$run.yml" <<YML
filebeat.inputs:
  - type: filestream
    id: bench
    paths: ["$PWD/$OUT/logs/*.log"]
    fields: {lab: certlab}
    tags: ["access-log"]
    prospector.scanner.check_interval: 1s
output.elasticsearch:
  hosts: ["https://localhost:$PORT"]
  index: "$index"
  bulk_max_size: $BATCH
  ssl.certificate_authorities: ["$CERTS/root-ca.pem"]
  ssl.certificate: "$CERTS/beats-shipper.pem"
  ssl.key: "$CERTS/beats-shipper-key.pem"
logging.level: warning
YML
  start=$(date +%s.%N)
  taskset -c 1 "$BIN/beats-shipper" -c "$OUT/shipper$run.yml" --path.data "$OUT/shipper-data$run" >"$OUT/shipper$run.log" 2>&1 &
  SHIPPER_PID=$!
  deadline=$(awk -v s="$start" 'BEGIN { printf "%.3f", s + 120 }')
  while [ "$count" -lt "$LINES" ]; do
    sleep 0.25  # each _count costs the node a few ms: poll gently, the run lasts ~15 s
    now_rss=$(rss $SHIPPER_PID 2>/dev/null || echo 0)
    [ "$now_rss" -gt "$peak" ] && peak=$now_rss
    count=$(curl -s "${admin[@]}" "https://localhost:$PORT/$index/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
    count=${count:-0}
    if awk -v d="$deadline" -v n="$(date +%s.%N)" 'BEGIN { exit !(n > d) }'; then
      echo "bench: shipper run $run indexed only $count of $LINES lines in 120 s (log: $OUT/shipper$run.log)" >&2
      break
    fi
  done
  local rate; rate=$(awk -v s="$start" -v n="$(date +%s.%N)" -v c="$count" 'BEGIN { printf "%.0f", c / (n - s) }')
  sleep 2
  idle=$(rss $SHIPPER_PID 2>/dev/null || echo 0)
  kill -TERM $SHIPPER_PID; wait $SHIPPER_PID 2>/dev/null || true
  [ "$count" -eq "$LINES" ] || rate=0
  echo "$rate $peak $idle"
}

p1=$(peer_rate 1); read -r s1 m1 i1 <<<"$(ship 1)"; p2=$(peer_rate 2); read -r s2 m2 i2 <<<"$(ship 2)"
shipped=$(median2 "$s1" "$s2"); peer=$(median2 "$p1" "$p2")
ratio=$(awk -v a="$shipped" -v b="$peer" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
peak=$(( m1 > m2 ? m1 : m2 )) idle=$(( i1 > i2 ? i1 : i2 ))
echo "| measure | certlab | peer | ratio | target |"
echo "|---|---|---|---|---|"
echo "| beats-shipper file → indexed over mTLS, $LINES lines of 200 bytes (lines/s) vs the node's own _bulk of the same events (docs/s) | $shipped | $peer | ${ratio}× | ≥ 50,000 lines/s or ≥ 0.9× |"
echo "| beats-shipper peak RSS while shipping (MB) | $peak | — | — | ≤ 50 MB |"
echo "| beats-shipper RSS idle, 2 s after its last line was indexed (MB) | $idle | — | — | ≤ 50 MB |"
echo
echo "- runs: peer A, shipper B, peer A, shipper B; medians. Shipper runs $s1 and $s2 lines/s, peak RSS $m1 / $m2 MB, idle RSS $i1 / $i2 MB; _bulk peer $p1 and $p2 docs/s"
if ! awk -v s="$shipped" -v r="$ratio" 'BEGIN { exit !(s >= 50000 || r >= 0.9) }'; then echo "**shipper: a target was missed (throughput)**"; fi
if [ "$peak" -gt 50 ] || [ "$idle" -gt 50 ]; then echo "**shipper: a target was missed (RSS)**"; fi
