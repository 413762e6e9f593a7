#!/usr/bin/env bash
# Benchmark (not a test): the full Vigie analysis of a folder of PDFs against pdftotext
# alone over the same files with the same number of parallel jobs, in the same run.
# Usage: bench/pdf-vs-pdftotext.sh [DIR] [JOBS]   (default: ../shared/pdf-corpus/contracts, nproc)
# Needs pdftotext (Debian: poppler-utils) and a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/pdf-corpus/contracts}
jobs=${2:-$(nproc)}
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/vigie
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pages=$(find "$dir" -maxdepth 1 -iname '*.pdf' -print0 | xargs -0 -n1 pdfinfo 2>/dev/null | awk '/^Pages:/ {s+=$2} END {print s}')
files=$(find "$dir" -maxdepth 1 -iname '*.pdf' | wc -l)

t0=$(date +%s.%N)
find "$dir" -maxdepth 1 -iname '*.pdf' -print0 | xargs -0 -P "$jobs" -I{} sh -c 'pdftotext -q "$1" - >/dev/null 2>&1 || true' _ {}
t1=$(date +%s.%N)
# Like for like first: pdftotext reads text layers only, so Vigie without OCR...
"$bin" scan "$dir" --jobs "$jobs" --format json --allow-unreadable --quiet --ocr off --output "$tmp/report.json"
t2=$(date +%s.%N)
# ...then the default scan, which also OCRs the pages that have no text layer.
"$bin" scan "$dir" --jobs "$jobs" --format json --allow-unreadable --quiet --output "$tmp/report-ocr.json"
t3=$(date +%s.%N)

python3 - "$t0" "$t1" "$t2" "$t3" "$pages" "$files" "$jobs" "$tmp/report.json" "$tmp/report-ocr.json" <<'PY'
import json, sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); pages, files, jobs = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
r = json.load(open(sys.argv[8])); ro = json.load(open(sys.argv[9]))
ok = sum(d["status"] == "ok" for d in r["documents"])
ocr = [d for d in ro["documents"] if "ocr" in (d.get("extractor") or "")]
p, v, o = t1 - t0, t2 - t1, t3 - t2
print(f"{files} files, {pages} pages, {jobs} jobs; vigie analyzed {ok} files without OCR")
print(f"pdftotext alone       : {p:7.2f} s  {pages / p:8.1f} pages/s")
print(f"vigie scan, --ocr off : {v:7.2f} s  {pages / v:8.1f} pages/s")
print(f"ratio vigie/pdftotext time (--ocr off): {v / p:.2f}")
print(f"vigie scan, default   : {o:7.2f} s  (OCR of {len(ocr)} file(s) with no text layer: {sum(d.get('pages') or 0 for d in ocr)} page(s))")
PY
