#!/usr/bin/env bash
# Runs the side-by-side comparison: builds soraimg in release mode, installs pyvips (bound to
# Debian's libvips, not the pyvips-binary wheel) and Pillow into Benchmarks/.venv, makes the 40
# inputs (five phone and camera JPEGs of the corpus, eight copies each) and runs compare.py on
# them, on the same photos saved as PNG and as WebP (made at bench time, about 8 MP), and on
# one photo alone against vipsthumbnail. soraimg runs as users run it (face check on) and with
# --faces ignore. Needs SORAIMG_CORPUS (or ../shared/corpus beside the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${SORAIMG_CORPUS:-../shared/corpus}"
[ -d "$corpus/files" ] || { echo "set SORAIMG_CORPUS to the image corpus" >&2; exit 66; }
./scripts/install-deps
swift build -c release --product soraimg
venv=Benchmarks/.venv
if ! "$venv/bin/python" -c "import pyvips, PIL, numpy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pyvips Pillow numpy
fi
inputs="$(mktemp -d)"
trap 'rm -rf "$inputs"' EXIT
for name in ianare__jolla ianare__iphone_hdr_YES ianare__67-0_length_string ianare__HMD_Nokia_8.3_5G ianare__canon_hdr_NO; do
  for copy in 1 2 3 4 5 6 7 8; do cp "$corpus/files/$name.jpg" "$inputs/$name--$copy.jpg"; done
done
"$venv/bin/python" Benchmarks/compare.py --soraimg .build/release/soraimg --inputs "$inputs" \
  --png --webp --one "$inputs/ianare__jolla--1.jpg" "$@"
