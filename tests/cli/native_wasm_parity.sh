#!/usr/bin/env bash
# Builds dsp.wasm from src/dsp + src/worklet with Debian's Emscripten (as the web preset does), runs it
# under Node on a test recording, and checks its frames against `etude analyze features` within 1e-4.
# Usage: native_wasm_parity.sh path/to/etude KISSFFT_SOURCE_DIR
set -euo pipefail
ETUDE="$1"; KISSFFT="$2"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
"$ROOT/scripts/build_dsp_wasm.sh" "$DIR/dsp.wasm" "$KISSFFT"
# A melody over a chord with noise and a click track: exercises pitch, onsets, chroma, loudness.
sox -n -r 44100 -b 32 -e float "$DIR/a.wav" synth 4 pluck C4 pluck E4 pluck G4 remix - vol 0.5
sox -n -r 44100 -b 32 -e float "$DIR/b.wav" synth 4 sine 440-880 vol 0.2
sox -m "$DIR/a.wav" "$DIR/b.wav" "$DIR/test.wav"
sox "$DIR/test.wav" -t f32 -e float "$DIR/test.f32"
"$ETUDE" analyze features "$DIR/test.wav" --hop 512 > "$DIR/native.csv"
node "$ROOT/tests/cli/native_wasm_parity.mjs" "$DIR/dsp.wasm" "$DIR/test.f32" 44100 512 "$DIR/native.csv"
