#!/usr/bin/env bash
# OCR throughput: pages per second of pdftoppm (300 dpi) + tesseract (fra+eng, one thread)
# on a scanned copy of a ten-page contract built by the test itself. Needs tesseract-ocr,
# tesseract-ocr-fra, tesseract-ocr-eng and poppler-utils. A debug build is enough: the time is
# spent in pdftoppm and tesseract.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIE_REQUIRE_OCR=1 cargo test --test pdf -- --ignored ocr_pages_per_second --nocapture 2>&1 |
  grep -E '^OCR:|test result'
