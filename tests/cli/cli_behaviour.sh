#!/usr/bin/env bash
# Behaviour of the `etude` CLI on good and bad files: every case gets a clear result, or one clear error
# line on stderr and a non-zero exit. Usage: cli_behaviour.sh path/to/etude [--long]
# --long adds the hour-long file (about 40 s on one core); ctest runs it only when ETUDE_LONG_TESTS=1,
# which `make test` (and so CI) sets.
set -uo pipefail
ETUDE="$1"
LONG="${2:-}"
if [ "$LONG" = "--long" ] && [ "${ETUDE_LONG_TESTS:-0}" != 1 ] && [ "${3:-}" = "--from-ctest" ]; then
  echo "skipped: set ETUDE_LONG_TESTS=1 to run the hour-long file"; exit 77
fi
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect NAME EXIT_CODE STDERR_PATTERN -- command args...
expect() {
  local name="$1" code="$2" pattern="$3"; shift 4
  "$@" >"$DIR/out" 2>"$DIR/err"
  local got=$?
  if [ "$got" != "$code" ]; then fail "$name: exit $got, expected $code (stderr: $(head -c 300 "$DIR/err"))"; return; fi
  if [ "$code" != 0 ]; then
    local lines; lines=$(wc -l <"$DIR/err")
    [ "$lines" = 1 ] || fail "$name: expected one error line, got $lines"
    grep -Eq -- "$pattern" "$DIR/err" || fail "$name: stderr '$(cat "$DIR/err")' does not match /$pattern/"
    [ -s "$DIR/out" ] && fail "$name: wrote to stdout on error"
  elif [ -n "$pattern" ]; then
    grep -Eq -- "$pattern" "$DIR/err" || fail "$name: stderr '$(cat "$DIR/err")' does not match /$pattern/"
  fi
  echo "ok: $name"
}

sox -n -r 44100 -b 16 "$DIR/tone.wav" synth 2 sine 440 vol 0.5
sox -n -r 48000 -b 16 "$DIR/tone.flac" synth 2 sine 220 vol 0.5
sox -n -r 44100 -b 16 "$DIR/silent.wav" synth 2 sine 440 vol 0
sox -n -r 44100 -b 16 "$DIR/empty.wav" trim 0 0
sox -n -r 8000 -b 16 "$DIR/8k.wav" synth 1 sine 440
sox -n -r 192000 -b 24 "$DIR/192k.wav" synth 1 sine 440
sox -n -r 44100 -b 16 -c 6 "$DIR/six.wav" synth 2 sine 440 vol 0.5
sox -n -r 44100 -b 16 -c 12 "$DIR/twelve.wav" synth 1 sine 440 vol 0.5
sox -n -r 44100 -b 16 "$DIR/clipped.wav" synth 2 sine 440 vol 4 2>/dev/null
echo "this is not audio" >"$DIR/text.wav"
# 32-bit float WAV whose second half is NaN (sox cannot write NaN; write the RIFF by hand).
python3 - "$DIR/nan.wav" <<'PY'
import math, struct, sys
rate, n = 44100, 44100
samples = [0.5 * math.sin(2 * math.pi * 440 * i / rate) if i < n // 2 else float("nan") for i in range(n)]
data = struct.pack("<%df" % n, *samples)
fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(riff)) + riff)
PY

expect "help" 0 "" -- "$ETUDE" --help
grep -q "usage: etude analyze" "$DIR/out" || fail "help: no usage text"
for c in pitch onsets tempo beats notes chords features; do
  expect "help $c" 0 "" -- "$ETUDE" analyze "$c" --help
  grep -q "etude analyze $c" "$DIR/out" || fail "help $c: no text"
done
expect "no arguments" 1 "usage" -- "$ETUDE"
expect "unknown analysis" 1 "unknown analysis 'colour'" -- "$ETUDE" analyze colour "$DIR/tone.wav"
expect "unknown option" 1 "unknown option '--fast'" -- "$ETUDE" analyze pitch "$DIR/tone.wav" --fast
expect "missing file" 1 "needs a FILE" -- "$ETUDE" analyze pitch
expect "bad hop" 1 "--hop needs" -- "$ETUDE" analyze pitch "$DIR/tone.wav" --hop x
expect "nonexistent" 2 "nope.wav: cannot read" -- "$ETUDE" analyze pitch "$DIR/nope.wav"
expect "not audio" 2 "text.wav: cannot read" -- "$ETUDE" analyze pitch "$DIR/text.wav"
expect "empty" 3 "empty" -- "$ETUDE" analyze pitch "$DIR/empty.wav"
expect "silent" 3 "silent" -- "$ETUDE" analyze onsets "$DIR/silent.wav"
expect "nan" 3 "NaN or infinite" -- "$ETUDE" analyze features "$DIR/nan.wav"
expect "8 kHz" 2 "8000 Hz is outside the supported 16000..96000 Hz; resample" -- "$ETUDE" analyze pitch "$DIR/8k.wav"
expect "192 kHz" 2 "192000 Hz is outside" -- "$ETUDE" analyze pitch "$DIR/192k.wav"
expect "twelve channels" 2 "12 channels" -- "$ETUDE" analyze pitch "$DIR/twelve.wav"
expect "bad pitch range" 2 "max_hz must be" -- "$ETUDE" analyze pitch "$DIR/tone.wav" --max-hz 9000

expect "six channels mixed down" 0 "" -- "$ETUDE" analyze pitch "$DIR/six.wav"
awk -F, 'NR > 10 && NR < 100 && ($2 < 439.9 || $2 > 440.1) { bad = 1 } END { exit bad }' "$DIR/out" || fail "six channels: pitch is not 440"
expect "clipped warns and analyses" 0 "warning: .*clipped" -- "$ETUDE" analyze pitch "$DIR/clipped.wav"
[ "$(wc -l <"$DIR/err")" = 1 ] || fail "clipped: expected one warning line"
# Clipping squares the wave off but keeps its period: still 440 Hz within 1 cent.
awk -F, 'NR > 10 && NR < 150 && ($2 < 439.75 || $2 > 440.25) { bad = 1 } END { exit bad }' "$DIR/out" || fail "clipped: pitch is not 440 Hz within 1 cent"
expect "clipped notes" 0 "warning: .*clipped" -- "$ETUDE" analyze notes "$DIR/clipped.wav"
[ "$(sed -n 2p "$DIR/out" | cut -d, -f3)" = 69 ] || fail "clipped notes: expected one A4 (69), got $(cat "$DIR/out")"
# Ogg Vorbis (libsndfile reads it as it reads WAV and FLAC): a lossy 330 Hz tone still reads 330 Hz.
sox -n -r 44100 "$DIR/tone.ogg" synth 2 sine 330 vol 0.5
expect "ogg pitch" 0 "" -- "$ETUDE" analyze pitch "$DIR/tone.ogg"
awk -F, 'NR > 10 && NR < 150 && ($2 < 329.8 || $2 > 330.2) { bad = 1 } END { exit bad || NR < 150 }' "$DIR/out" || fail "ogg: pitch is not 330 Hz within 1 cent"
expect "ogg notes" 0 "" -- "$ETUDE" analyze notes "$DIR/tone.ogg"
[ "$(sed -n 2p "$DIR/out" | cut -d, -f3)" = 64 ] || fail "ogg notes: expected one E4 (64), got $(cat "$DIR/out")"

expect "pitch csv" 0 "" -- "$ETUDE" analyze pitch "$DIR/tone.wav"
[ "$(head -1 "$DIR/out")" = "time_s,f0_hz,confidence" ] || fail "pitch csv header"
awk -F, 'NR > 10 && NR < 150 && ($2 < 439.75 || $2 > 440.25) { bad = 1 } END { exit bad }' "$DIR/out" || fail "pitch: a 440 Hz tone does not read 440 Hz within 1 cent"
expect "pitch json" 0 "" -- "$ETUDE" analyze pitch "$DIR/tone.flac" --json
python3 -c "import json,sys; rows=json.load(open(sys.argv[1])); assert rows and abs(rows[50]['f0_hz']-220)<0.2, rows[50]" "$DIR/out" || fail "pitch json"
# --unvoiced-negative: a tone then noise. The noise frames are unvoiced: 0 by default, their best pitch guess
# negated with the option; the voiced frames are the same either way.
sox -R -n -r 44100 -b 16 "$DIR/tone1.wav" synth 1 sine 440 vol 0.5
sox -R -n -r 44100 -b 16 "$DIR/noise1.wav" synth 1 whitenoise vol 0.3
sox -R "$DIR/tone1.wav" "$DIR/noise1.wav" "$DIR/tone_noise.wav"
expect "pitch unvoiced as 0" 0 "" -- "$ETUDE" analyze pitch "$DIR/tone_noise.wav"
cp "$DIR/out" "$DIR/plain.csv"
awk -F, 'NR > 1 && $2 < 0 { bad = 1 } END { exit bad }' "$DIR/plain.csv" || fail "pitch: negative f0 without --unvoiced-negative"
expect "pitch --unvoiced-negative" 0 "" -- "$ETUDE" analyze pitch "$DIR/tone_noise.wav" --unvoiced-negative
awk -F, 'NR > 1 && $1 > 1.2 && $2 < -49.9 && $2 > -2000.1 { n++ } END { exit !(n >= 40) }' "$DIR/out" \
  || fail "pitch --unvoiced-negative: the noise frames give no negative pitch guesses (option ignored?)"
paste -d, "$DIR/plain.csv" "$DIR/out" | awk -F, 'NR > 1 && ($1 != $4 || $3 != $6 || ($2 != 0 && $2 != $5) || ($2 == 0 && $5 > 0)) { bad = 1 } END { exit bad }' \
  || fail "pitch --unvoiced-negative: changed more than the unvoiced frames' f0"
# --no-noise-gate: one pass over the file as it is; a steady tone reads the same either way (the tone held
# through the file is not taken for noise), and the noise after the tone stays unvoiced with the gate.
expect "pitch --no-noise-gate" 0 "" -- "$ETUDE" analyze pitch "$DIR/tone.wav" --no-noise-gate
awk -F, 'NR > 10 && NR < 150 && ($2 < 439.75 || $2 > 440.25) { bad = 1 } END { exit bad }' "$DIR/out" || fail "pitch --no-noise-gate: 440 Hz"
awk -F, 'NR > 1 && $1 > 1.2 && $2 != 0 { n++ } END { exit !(n == 0) }' "$DIR/plain.csv" || fail "pitch: noise after a tone reads voiced with the noise gate"
expect "no-noise-gate is pitch only" 1 "--no-noise-gate is an option of pitch only" -- "$ETUDE" analyze onsets "$DIR/tone.wav" --no-noise-gate
expect "unvoiced-negative is pitch only" 1 "--unvoiced-negative is an option of pitch only" -- "$ETUDE" analyze notes "$DIR/tone.wav" --unvoiced-negative
expect "notes" 0 "" -- "$ETUDE" analyze notes "$DIR/tone.wav"
[ "$(sed -n 2p "$DIR/out" | cut -d, -f3)" = 69 ] || fail "notes: expected one A4 (69), got $(cat "$DIR/out")"
expect "features" 0 "" -- "$ETUDE" analyze features "$DIR/tone.wav"
[ "$(head -1 "$DIR/out" | tr ',' '\n' | wc -l)" = 120 ] || fail "features: expected 120 columns"
expect "features --mel" 0 "" -- "$ETUDE" analyze features "$DIR/tone.wav" --mel
[ "$(head -1 "$DIR/out" | tr ',' '\n' | wc -l)" = 160 ] || fail "features --mel: expected 160 columns"
[ "$(head -1 "$DIR/out" | cut -d, -f121)" = mel_0 ] || fail "features --mel: column 121 is not mel_0"
expect "features --mel --npy" 0 "" -- "$ETUDE" analyze features "$DIR/tone.wav" --mel --npy "$DIR/mel.npy"
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); assert len(m['columns'])==160 and m['columns'][-1]=='mel_39', m['columns'][-3:]" "$DIR/mel.json" || fail "features --mel --npy: sidecar columns"
expect "mel with model frames" 1 "--mel and --model-frames cannot be combined" -- "$ETUDE" analyze features "$DIR/tone.wav" --mel --model-frames
expect "mel is features only" 1 "--mel is an option of features only" -- "$ETUDE" analyze pitch "$DIR/tone.wav" --mel
expect "tempo" 0 "" -- "$ETUDE" analyze tempo "$DIR/tone.wav"
expect "beats" 0 "" -- "$ETUDE" analyze beats "$DIR/tone.wav"
expect "chords" 0 "" -- "$ETUDE" analyze chords "$DIR/tone.wav"
expect "onsets" 0 "" -- "$ETUDE" analyze onsets "$DIR/tone.wav"

# Sound from the first sample: steady noise has no onset at the start, a pluck at 0 s has one, in noise too.
sox -R -n -r 44100 -b 16 "$DIR/noise.wav" synth 2 whitenoise vol 0.1
sox -R -n -r 44100 -b 16 "$DIR/pluck.wav" synth 2 pluck 220 vol 0.5
sox -R -n -r 44100 -b 16 "$DIR/quiet_noise.wav" synth 2 whitenoise vol 0.03
sox -R -m "$DIR/pluck.wav" "$DIR/quiet_noise.wav" "$DIR/noisy_pluck.wav"   # about 20 dB SNR
first_onset() { awk -F, 'NR == 2 { print $1 }' "$DIR/out"; }
expect "onsets in noise" 0 "" -- "$ETUDE" analyze onsets "$DIR/noise.wav"
awk -F, 'NR > 1 && $1 < 0.1 { bad = 1 } END { exit bad }' "$DIR/out" || fail "onsets in noise: onset at the start: $(head -3 "$DIR/out" | tr '\n' ' ')"
for f in pluck noisy_pluck; do
  expect "onsets $f at 0 s" 0 "" -- "$ETUDE" analyze onsets "$DIR/$f.wav"
  awk -v t="$(first_onset)" 'BEGIN { exit !(t != "" && t < 0.03) }' || fail "onsets $f: expected an onset at 0 s, first is '$(first_onset)'"
done

# chords (either model) treats odd files as every other command does.
for model in auto templates; do
  expect "chords $model empty" 3 "empty" -- "$ETUDE" analyze chords "$DIR/empty.wav" --model $model
  expect "chords $model silent" 3 "silent" -- "$ETUDE" analyze chords "$DIR/silent.wav" --model $model
  expect "chords $model nan" 3 "NaN or infinite" -- "$ETUDE" analyze chords "$DIR/nan.wav" --model $model
  expect "chords $model not audio" 2 "text.wav: cannot read" -- "$ETUDE" analyze chords "$DIR/text.wav" --model $model
  expect "chords $model six channels" 0 "" -- "$ETUDE" analyze chords "$DIR/six.wav" --model $model
  [ "$(head -1 "$DIR/out")" = "start_s,end_s,label" ] || fail "chords $model six channels: header"
  awk -F, 'NR > 1 && ($1 < 0 || $2 > 2.0001 || $2 < $1 || $3 == "") { bad = 1 } END { exit bad || NR < 2 }' "$DIR/out" \
    || fail "chords $model six channels: segments $(cat "$DIR/out")"
done
ETUDE_NODE=/nonexistent expect "chords classifier without node" 4 "chord classifier cannot run: node not found" -- \
  "$ETUDE" analyze chords "$DIR/tone.wav" --model classifier

if [ "$LONG" = "--long" ]; then
  sox -n -r 16000 -b 16 "$DIR/hour.wav" synth 3600 sine 330 vol 0.3
  expect "hour-long" 0 "" -- "$ETUDE" analyze tempo "$DIR/hour.wav"
  # pitch reads the file twice (the noise gate's second pass) and keeps a bounded noise profile
  expect "hour-long pitch" 0 "" -- "$ETUDE" analyze pitch "$DIR/hour.wav"
  awk -F, 'NR > 1 && $1 > 1 && $1 < 3599 && ($2 < 329.8 || $2 > 330.2) { bad = 1 } END { exit bad || NR < 400000 }' "$DIR/out" \
    || fail "hour-long pitch: the 330 Hz tone does not read 330 Hz throughout"
  rm -f "$DIR/hour.wav"
fi

if [ $failures -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all CLI behaviour checks passed"
