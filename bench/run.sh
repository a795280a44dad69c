#!/usr/bin/env bash
# make bench: release-build the benchmark executables, run each, print what they report and keep
# it in bench/RESULTS.md together with the machine and the commands. Each bench-* executable
# prints Markdown (a heading and a table whose rows name the measure, the figure and the target).
set -euo pipefail
cd "$(dirname "$0")/.."
benches=(bench-pki bench-search bench-security)
products=("${benches[@]}" bench-load bench-stack-ceiling search-node cert-issuer security-admin beats-shipper)
out=bench/RESULTS.md
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

echo "bench: building release executables (${products[*]}) ..."
for b in "${products[@]}"; do swift build -c release --product "$b" >/dev/null; done

{
  echo "# certlab benchmark results"
  echo
  echo "Written by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- toolchain: $(swift --version 2>/dev/null | head -1)"
  echo "- build: \`swift build -c release\` (-O, whole-module)"
  echo
  for b in "${benches[@]}"; do
    echo "<!-- command: .build/release/$b -->"
    # A missed target makes a benchmark exit non-zero; keep measuring, report it at the end.
    ".build/release/$b" || echo "**$b: a target was missed (see above)**"
    echo
  done
  echo "<!-- command: scripts/bench-lab.sh 3 -->"
  LAB_BUILD=release scripts/bench-lab.sh 3 || echo "**bench-lab: a target was missed (see above)**"
  echo
  echo "## search-node against nginx and wrk"
  echo
  echo "<!-- command: bench/node-vs-peers.sh -->"
  bench/node-vs-peers.sh
  echo
  echo "## beats-shipper against the node's own _bulk"
  echo
  echo "<!-- command: bench/shipper-vs-node.sh -->"
  bench/shipper-vs-node.sh
  echo
  cat bench/PROFILES.md
} | tee "$tmp"
# make test-dashboard keeps its first-load figures in a marked section of the same file.
if [ -f "$out" ] && grep -q '^<!-- dashboard:begin' "$out"; then
  { echo; sed -n '/^<!-- dashboard:begin/,/^<!-- dashboard:end -->/p' "$out"; } >>"$tmp"
fi
mv "$tmp" "$out"
trap - EXIT
echo "bench: results written to $out"
if grep -q "target was missed" "$out"; then echo "bench: some targets were missed" >&2; exit 1; fi
