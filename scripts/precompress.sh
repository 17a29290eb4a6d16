#!/usr/bin/env bash
# Writes NAME.br and NAME.gz beside each compressible file of a built site, for static hosts that
# serve precompressed files. usage: scripts/precompress.sh build/web/site
set -euo pipefail
site=${1:?usage: precompress.sh SITE_DIR}
find "$site" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.html' \
  -o -name '*.json' -o -name '*.onnx' \) -print0 |
while IFS= read -r -d '' f; do
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -9 -k "$f"
done
