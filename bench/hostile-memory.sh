#!/usr/bin/env bash
# Memory under hostile inputs (issue 14; a benchmark, not a test: peak memory depends on the
# machine). Generates in a temporary folder, never in the repository:
#   - a 190 MB text file (under the 200 MiB default file limit), alone and twice with --jobs 2;
#   - 8 DOCX files of about 3.7 MB whose word/document.xml expands to about 250 MB (under
#     the 1:200 ratio that flags a zip bomb), scanned with --jobs 8; and 8 whose XML is
#     60 MB, just under the 64 MiB an archive may now expand to;
#   - a DOCX whose word/document.xml is 1 GB of zeros (a zip bomb);
# scans each with default options and prints exit status, outcome and peak RSS (the largest
# of the process and its workers, from /usr/bin/time -v).
# Usage: bench/hostile-memory.sh [VIGIE_BINARY...]   (default: target/release/vigie)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  cargo build --release --quiet
  set -- target/release/vigie
fi
# HOSTILE_DIR=/tmp/x keeps the generated inputs there for the next run (they take a minute).
if [ -n "${HOSTILE_DIR:-}" ]; then
  tmp=$HOSTILE_DIR; mkdir -p "$tmp"
else
  tmp=$(mktemp -d /tmp/vigie-hostile.XXXXXX); trap 'rm -rf "$tmp"' EXIT
fi

[ -f "$tmp/docx8-under-cap/bomb7.docx" ] || python3 - "$tmp" <<'PY'
import os, random, sys, zipfile, zlib
root = sys.argv[1]
clause = ("Article {n} - Force majeure\nSont consideres comme cas de force majeure : l'incendie, "
          "les virus informatiques, le piratage et les rancongiciels. Le Prestataire assure la "
          "sauvegarde des donnees du Client.\n\n")
for d in ["text1", "text2", "docx8", "zeros"]:
    os.makedirs(f"{root}/{d}", exist_ok=True)
if not os.path.exists(f"{root}/text1/big.txt"):
    with open(f"{root}/text1/big.txt", "w") as f:
        n = 0
        while f.tell() < 190 * 1000 * 1000:
            f.write(clause.format(n=n)); n += 1
for name in ["a.txt", "b.txt"]:
    if not os.path.exists(f"{root}/text2/{name}"):
        os.link(f"{root}/text1/big.txt", f"{root}/text2/{name}")

CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
rnd = random.Random(14)
def docx_bomb(path, xml_bytes):
    if os.path.exists(path):
        return
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    tail = b'</w:body></w:document>'
    block = "".join(f"<w:p><w:r><w:t>Article {i} Le Prestataire assure la sauvegarde.</w:t></w:r></w:p>"
                    for i in range(40)).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        with z.open("word/document.xml", "w", force_zip64=True) as w:
            w.write(head)
            written = 0
            while written < xml_bytes:
                # A little noise per block keeps the ratio near 1:90, under the bomb limit.
                noise = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(40))
                chunk = block + f"<w:p><w:r><w:t>{noise}</w:t></w:r></w:p>".encode()
                w.write(chunk); written += len(chunk)
            w.write(tail)
os.makedirs(f"{root}/docx8-under-cap", exist_ok=True)
for i in range(8):
    docx_bomb(f"{root}/docx8/bomb{i}.docx", 250 * 1000 * 1000)
    # Just under the 64 MiB an archive may expand to: extracted, then analyzed (capped).
    docx_bomb(f"{root}/docx8-under-cap/bomb{i}.docx", 60 * 1000 * 1000)
if not os.path.exists(f"{root}/zeros/zeros.docx"):
    with zipfile.ZipFile(f"{root}/zeros/zeros.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        with z.open("word/document.xml", "w", force_zip64=True) as w:
            zero = bytes(1 << 20)
            for _ in range(1000):
                w.write(zero)
PY
ls -l "$tmp"/*/* | awk '{print $5, $9}'

run() { # binary label args...
  local bin=$1 label=$2; shift 2
  local s e status
  s=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$tmp/time" "$bin" scan "$@" --format json > "$tmp/out.json" 2> "$tmp/err"
  status=$?
  set -e
  e=$(date +%s.%N)
  local rss outcome
  rss=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tmp/time")
  outcome=$(python3 - "$tmp/out.json" <<'PY'
import json, sys, collections
try:
    r = json.load(open(sys.argv[1]))
    c = collections.Counter("ok" if d["status"] == "ok" else d["error"]["kind"] for d in r["documents"])
    f = sum(len(d["findings"]) for d in r["documents"])
    cut = any("only the first" in w for d in r["documents"] for w in d.get("warnings", []))
    print(", ".join(f"{n} {k}" for k, n in sorted(c.items())) + f"; {f} findings" + ("; text capped" if cut else ""))
except Exception as exc:
    print(f"no report ({exc.__class__.__name__})")
PY
)
  printf '%-28s %-12s exit %-3s %6s MiB peak  %6.1f s  %s\n' "$label" "$(basename "$bin")" "$status" "$rss" "$(awk -v a="$s" -v b="$e" 'BEGIN{print b-a}')" "$outcome"
}

for bin in "$@"; do
  run "$bin" "190 MB text" "$tmp/text1"
  run "$bin" "2 x 190 MB text, --jobs 2" "$tmp/text2" --jobs 2
  run "$bin" "8 DOCX XML bombs, --jobs 8" "$tmp/docx8" --jobs 8
  run "$bin" "8 DOCX under the cap, -j 8" "$tmp/docx8-under-cap" --jobs 8
  run "$bin" "1 GB-of-zeros zip bomb" "$tmp/zeros"
done
