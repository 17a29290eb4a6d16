#!/usr/bin/env bash
# Builds dsp.wasm exactly as tests/cli/native_wasm_parity.sh does and times it per 128-sample quantum.
# Usage: bench/wasm_speed.sh [build dir with _deps/kissfft-*]   (default build/dsp)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build/dsp}"
KISSFFT="$(ls -d "$BUILD"/_deps/kissfft-*/ | head -1)"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
export NODE_PATH=/usr/share/nodejs EMSDK_PYTHON=/usr/bin/python3
emcc -O3 -DNDEBUG -I "$KISSFFT" -c "$KISSFFT/kiss_fft.c" -o "$DIR/kf.o"
emcc -O3 -DNDEBUG -I "$KISSFFT" -c "$KISSFFT/kiss_fftr.c" -o "$DIR/kfr.o"
emcc -O3 -std=c++20 -fno-exceptions -fno-rtti -I "$ROOT/src" -I "$KISSFFT" "$ROOT/src/worklet/dsp_abi.cpp" "$ROOT"/src/dsp/*.cpp \
  "$DIR/kf.o" "$DIR/kfr.o" -sSTANDALONE_WASM --no-entry -sINITIAL_MEMORY=2MB -sTOTAL_STACK=64KB -sALLOW_MEMORY_GROWTH=0 \
  -sFILESYSTEM=0 -sDISABLE_EXCEPTION_CATCHING=1 -o "$DIR/dsp.wasm"
ls -l "$DIR/dsp.wasm" | awk '{print "dsp.wasm " $5 " bytes"}'
for args in "48000 512" "44100 512" "48000 256"; do node "$ROOT/bench/wasm_quantum_cost.mjs" "$DIR/dsp.wasm" $args; done
