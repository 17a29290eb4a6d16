#!/usr/bin/env bash
# Builds dsp.wasm from src/dsp + src/worklet with Debian's Emscripten (as the web preset does), runs it
# under Node on a test recording, and checks its frames against `etude analyze features` within 1e-4: at
# 44.1 kHz / hop 512 (the CLI's) and at 48 kHz / hop 256 (the app's).
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
# The app's own setting, 48 kHz at hop 256: the same recording resampled, then a slurred line of notes
# (a phase-continuous tone stepping every 0.3 s: the live pitch-track onset cues) and a second of silence.
sox "$DIR/test.wav" -r 48000 "$DIR/test48.wav"
python3 - "$DIR/slur.wav" <<'PY'
import math, struct, sys
rate, phase, out = 48000, 0.0, []
for i in range(3 * rate):
    t = i / rate
    hz = 220.0 * 2 ** ([0, 2, 4, 5, 7, 5, 4, 2, 0, 4][int(t / 0.3) % 10] / 12)
    phase += 2 * math.pi * hz / rate
    out.append(0.3 * (math.sin(phase) + 0.5 * math.sin(2 * phase)))
out += [0.0] * rate
data = struct.pack("<%df" % len(out), *out)
fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(riff)) + riff)
PY
sox "$DIR/test48.wav" "$DIR/slur.wav" -b 32 -e float "$DIR/live.wav"
sox "$DIR/live.wav" -t f32 -e float "$DIR/live.f32"
"$ETUDE" analyze features "$DIR/live.wav" --hop 256 > "$DIR/native256.csv"
node "$ROOT/tests/cli/native_wasm_parity.mjs" "$DIR/dsp.wasm" "$DIR/live.f32" 48000 256 "$DIR/native256.csv"
