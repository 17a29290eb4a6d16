#!/usr/bin/env bash
# Builds dsp.wasm exactly as tests/cli/native_wasm_parity.sh does and times it per 128-sample quantum.
# Usage: bench/wasm_speed.sh [build dir with _deps/kissfft-*]   (default build/native)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build/native}"
KISSFFT="$(ls -d "$BUILD"/_deps/kissfft-*/ | head -1)"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
"$ROOT/scripts/build_dsp_wasm.sh" "$DIR/dsp.wasm" "$KISSFFT"
ls -l "$DIR/dsp.wasm" | awk '{print "dsp.wasm " $5 " bytes"}'
for args in "48000 512" "44100 512" "48000 256"; do node "$ROOT/bench/wasm_quantum_cost.mjs" "$DIR/dsp.wasm" $args; done
