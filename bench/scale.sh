#!/usr/bin/env bash
# Scale run (not a test): builds a folder of N text documents (the corpus' .md/.txt files
# with variations, 20 per client folder) under /tmp, scans it with the release binary in
# jsonl, table and json, and prints wall time, CPU time and peak RSS of each scan.
# Usage: bench/scale.sh [N] [JOBS] [CACHE]  (default: 10000 documents, nproc jobs;
#        CACHE=1 also times a cold and a warm --cache scan)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
jobs=${2:-$(nproc)}
cache=${3:-0}
cargo build --release --quiet
bin=$PWD/target/release/vigie
dir=/tmp/vigie-scale-$n
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir"
  python3 - "$dir" "$n" <<'PY'
import pathlib, sys
out, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
src = sorted(p for p in pathlib.Path("corpus").rglob("*") if p.suffix in (".md", ".txt") and p.name != "README.md")
texts = [(p.suffix, p.read_bytes()) for p in src]
for i in range(n):
    suffix, body = texts[i % len(texts)]
    folder = out / f"client-{i // 20:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    # A different head and tail per copy: every file has its own content hash.
    head = f"Client {i // 20} - document {i} - version {i % 7 + 1}\n\n".encode()
    tail = f"\n\nAnnexe {i}: fait en {i % 3 + 2} exemplaires.\n".encode()
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = tail = b""  # UTF-16 files are kept byte for byte
    (folder / f"doc-{i:05d}{suffix}").write_bytes(head + body + tail)
PY
  touch "$dir/.complete"
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
measure() {  # label, then the vigie arguments; the report goes to $tmp/out
  local label=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$bin" "$@" > "$tmp/out" 2>/dev/null || true
    # time writes "Command exited with non-zero status N" (or "terminated by signal") first.
    grep -h "^Command" "$tmp/time" >&2 || true
    read -r wall user sys rss < <(tail -n 1 "$tmp/time")
  else
    echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2
  fi
  printf "%-22s wall %7.2f s  cpu %7.2f s (%.2f cores)  peak RSS %7.1f MiB  report %6.1f MiB\n" \
    "$label" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "($user + $sys) / $wall" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)" "$(echo "$(stat -c %s "$tmp/out") / 1048576" | bc -l)"
}
echo "$n documents in $(ls "$dir" | wc -l) folders, $jobs jobs, $(nproc) cores"
measure "jsonl" scan "$dir" --jobs "$jobs" --format jsonl
measure "table" scan "$dir" --jobs "$jobs" --format table
measure "json" scan "$dir" --jobs "$jobs" --format json
if [ "$cache" = 1 ]; then
  rm -rf "$tmp/cache"
  measure "jsonl --cache (cold)" scan "$dir" --jobs "$jobs" --format jsonl --cache "$tmp/cache"
  measure "jsonl --cache (warm)" scan "$dir" --jobs "$jobs" --format jsonl --cache "$tmp/cache"
fi
