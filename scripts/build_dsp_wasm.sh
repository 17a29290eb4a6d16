#!/usr/bin/env bash
# Builds the standalone dsp.wasm (src/dsp + src/worklet/dsp_abi.cpp, KissFFT from its Debian source)
# with the same flags as src/worklet/CMakeLists.txt, outside CMake, for the scripts that need a
# dsp.wasm without a web build tree (the native/wasm parity test, the wasm speed benchmark).
# Usage: scripts/build_dsp_wasm.sh OUT.wasm KISSFFT_SOURCE_DIR
set -euo pipefail
OUT="$1"; KISSFFT="$2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
export NODE_PATH=/usr/share/nodejs EMSDK_PYTHON=/usr/bin/python3
emcc -O3 -msimd128 -DNDEBUG -I "$KISSFFT" -c "$KISSFFT/kiss_fft.c" -o "$TMP/kf.o"
emcc -O3 -msimd128 -DNDEBUG -I "$KISSFFT" -c "$KISSFFT/kiss_fftr.c" -o "$TMP/kfr.o"
emcc -O3 -msimd128 -fno-trapping-math -fno-math-errno -std=c++20 -fno-exceptions -fno-rtti -I "$ROOT/src" -I "$KISSFFT" "$ROOT/src/worklet/dsp_abi.cpp" "$ROOT"/src/dsp/*.cpp \
  "$TMP/kf.o" "$TMP/kfr.o" -sSTANDALONE_WASM --no-entry -sINITIAL_MEMORY=2MB -sTOTAL_STACK=64KB -sALLOW_MEMORY_GROWTH=0 \
  -sFILESYSTEM=0 -sDISABLE_EXCEPTION_CATCHING=1 -o "$OUT"
