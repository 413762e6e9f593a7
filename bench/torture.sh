#!/usr/bin/env bash
# Robustness run (not a test): scans a folder of hostile PDFs and prints the count per
# outcome and the slowest files. Usage: bench/torture.sh [DIR] [TIMEOUT_SECS]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/pdf-corpus/torture}
timeout=${2:-20}
cargo build --release --quiet
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: > "$tmp/times"
for f in "$dir"/*; do
  [ -f "$f" ] || continue
  s=$(date +%s.%N)
  target/release/vigie scan "$f" --format json --timeout "$timeout" --allow-unreadable > "$tmp/one.json" 2>/dev/null || true
  e=$(date +%s.%N)
  python3 - "$f" "$s" "$e" "$tmp/one.json" >> "$tmp/times" <<'PY'
import json, sys
f, s, e, report = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
try:
    d = json.load(open(report))["documents"][0]
    kind = "ok" if d["status"] == "ok" else d["error"]["kind"]
    if d["status"] == "ok" and any("partial" in w for w in d.get("warnings", [])):
        kind = "ok (partial)"
except Exception as exc:
    kind = f"NO REPORT ({exc})"
print(f"{e - s:.3f}\t{kind}\t{f}")
PY
done
echo "outcomes:"; cut -f2 "$tmp/times" | sort | uniq -c | sort -rn
echo "slowest:"; sort -rn "$tmp/times" | head -10
