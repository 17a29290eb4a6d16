#!/usr/bin/env python3
"""Render the chord data set and compute its features with `etude analyze features`.

    .venv/bin/python models/chords/make_dataset.py                 # full set (about 3,000 clips)
    .venv/bin/python models/chords/make_dataset.py --quick         # tiny CI smoke set (72 clips, about 10 s)
    .venv/bin/python models/chords/make_dataset.py --stage render  # audio + manifest only
    .venv/bin/python models/chords/make_dataset.py --stage features --etude build/models/src/cli/etude

Deterministic: every random choice comes from numpy Generators seeded from --seed (default 6) and the
clip index; fluidsynth renders offline with reverb and chorus off (our own reverb is applied in NumPy).
Output (git-ignored, never committed): build/models/data/chords[-quick]/
    manifest.jsonl     one JSON object per clip (label, root, quality, inversion, voicing, notes,
                       family, source, program, register, sample rate, augmentation)
    wav/NNNNN.wav      16-bit mono clips, CLIP_S seconds each (kept unless --drop-audio)
    features.npz       model frames of every clip from `etude analyze features --model-frames --npy` (all
                       FeatureFrame fields, semitone_28..95 included; every 2nd frame at the live hop, the
                       frames the app feeds the classifier, src/ml/chord_input.h)

Vocabulary: 12 roots x {maj, min, dim, aug, sus2, sus4, 7, maj7, min7, hdim7, dim7} and "N".
"N" (no chord) = silence with a little room noise, broadband noise (white/pink/brown), or ONE sustained
note of any instrument: a student playing a single note is not playing a chord. Dyads (power chords,
intervals) are out of vocabulary and not in the data.

Chords: inversions (all for maj/min/dim/7/maj7/min7/hdim7; aug, dim7, sus2 and sus4 in root position
only, because their pitch-class set is also another root's chord and only the bass names the root),
voicings (close, open, doubled), registers (bass note in low C2-B2, mid C3-B3, high C4-B4).
Instrument families: piano, guitar, strings, organ, brass, synth (General MIDI programs rendered by
fluidsynth from FluidR3_GM.sf2 and MuseScore_General.sf3), pluck (Karplus-Strong) and additive
(harmonic series with random spectral tilt and envelope), both synthesised here in NumPy.
Augmentation: detuning (uniform +-30 cents, 70% of clips), reverb (synthetic exponential IR, 40%),
laptop-microphone EQ (200 Hz-6 kHz band-pass, 40%), additive white/pink noise (SNR 10-40 dB, 50%),
gain (peak -35..-3 dBFS, all), and a quarter of the clips resampled to 44.1 kHz.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import signal
from scipy.io import wavfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DATA, INTERVALS, PITCH_CLASSES, QUALITY_NAMES, ROOT, ROOT_POSITION_ONLY,  # noqa: E402
                    label_index)

SR = 48000
CLIP_S = 1.6          # seconds per clip
NOTE_ON_S = 0.05      # chord starts here
NOTE_OFF_S = 1.25     # and is released here (the release tail stays in the clip)
SOUNDFONTS = {
    "FluidR3_GM": "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "MuseScore_General": "/usr/share/sounds/sf3/MuseScore_General.sf3",
}
# General MIDI programs (0-based) per family.
GM_FAMILIES = {
    "piano": [0, 1, 4],          # acoustic grand, bright acoustic, electric piano 1
    "guitar": [24, 25, 26, 27],  # nylon, steel, jazz, clean electric
    "strings": [48, 49, 44],     # string ensembles 1 and 2, tremolo strings
    "organ": [16, 17, 19],       # drawbar, percussive, church
    "brass": [61, 62, 57],       # brass section, synth brass 1, trombone
    "synth": [80, 81, 89, 90],   # square lead, saw lead, warm pad, polysynth
}
SYNTH_FAMILIES = ["pluck", "additive"]
FAMILIES = list(GM_FAMILIES) + SYNTH_FAMILIES
REGISTERS = {"low": 36, "mid": 48, "high": 60}  # lowest MIDI note of the bass-note octave
VOICINGS = ["close", "open", "doubled"]
DEGREE = {0: "1", 2: "2", 3: "b3", 4: "3", 5: "4", 6: "b5", 7: "5", 8: "#5", 9: "bb7", 10: "b7", 11: "7"}


# ------------------------------------------------------------------------------------------------
# Clip specifications (pure function of seed and counts).

def voice_chord(rng, root, quality, inversion, register, voicing):
    """MIDI notes of one chord voicing; the lowest note is the chord tone chosen by `inversion`."""
    ivs = list(INTERVALS[quality])
    bass_iv = ivs[inversion]
    bass_pc = (root + bass_iv) % 12
    bass = REGISTERS[register] + bass_pc
    upper = [iv for iv in ivs if iv != bass_iv]
    notes = [bass]
    for iv in upper:  # close position: each remaining tone at its first occurrence above the bass
        n = bass + ((root + iv - bass) % 12 or 12)
        notes.append(n)
    notes.sort()
    if voicing == "open" and len(notes) >= 3:
        notes[1] += 12  # drop the second-lowest tone's partner up an octave: spread voicing
        notes.sort()
    elif voicing == "doubled":
        notes.append(notes[0] + 12)  # double the bass an octave up
        if register != "low":
            notes.append(notes[0] - 12)  # and an octave down (piano-style left hand)
        notes.sort()
    return notes, DEGREE[bass_iv]


def make_specs(seed, per_chord, n_none, families=None, first_program_only=False):
    rng = np.random.default_rng(seed)
    families = families or FAMILIES
    specs = []

    def instrument(r):
        fam = families[r.integers(len(families))]
        if fam in GM_FAMILIES:
            sf = list(SOUNDFONTS)[r.integers(len(SOUNDFONTS))]
            prog = int(GM_FAMILIES[fam][r.integers(len(GM_FAMILIES[fam]))])
            if first_program_only:
                prog = GM_FAMILIES[fam][0]
            return fam, sf, prog
        return fam, "synth:" + ("karplus_strong" if fam == "pluck" else "additive"), -1

    def augmentation(r):
        return {
            "detune_cents": float(np.round(r.uniform(-30, 30), 2)) if r.random() < 0.7 else 0.0,
            "reverb": ({"rt60_s": float(np.round(r.uniform(0.2, 1.2), 3)), "wet": float(np.round(r.uniform(0.1, 0.5), 3))}
                       if r.random() < 0.4 else None),
            "laptop_eq": bool(r.random() < 0.4),
            "noise": ({"kind": ["white", "pink"][r.integers(2)], "snr_db": float(np.round(r.uniform(10, 40), 2))}
                      if r.random() < 0.5 else None),
            "peak_dbfs": float(np.round(r.uniform(-35, -3), 2)),
            "sample_rate": 44100 if r.random() < 0.25 else 48000,
            "velocity": int(r.integers(50, 111)),
            "strum_s": 0.0,
            "synth_seed": int(r.integers(2 ** 31)),
        }

    for q in QUALITY_NAMES:
        for root in range(12):
            for k in range(per_chord):
                r = np.random.default_rng([seed, label_index(root, q), k])
                fam, sf, prog = instrument(r)
                n_inv = 1 if q in ROOT_POSITION_ONLY else len(INTERVALS[q])
                inv = int(r.integers(n_inv))
                register = list(REGISTERS)[r.integers(3)]
                voicing = VOICINGS[r.integers(3)]
                notes, bass_degree = voice_chord(r, root, q, inv, register, voicing)
                aug = augmentation(r)
                if fam in ("guitar", "pluck"):
                    aug["strum_s"] = float(np.round(r.uniform(0.0, 0.03), 4))
                label = f"{PITCH_CLASSES[root]}:{q}"
                specs.append({
                    "label": label, "harte": label + ("" if inv == 0 else "/" + bass_degree),
                    "root": root, "quality": q, "inversion": inv, "voicing": voicing, "register": register,
                    "notes": notes, "family": fam, "source": sf, "program": prog, "none_kind": None, "aug": aug,
                })
    for k in range(n_none):
        r = np.random.default_rng([seed, 10_000, k])
        kind = ["silence", "noise", "single_note", "single_note"][r.integers(4)]
        aug = augmentation(r)
        spec = {"label": "N", "harte": "N", "root": -1, "quality": "N", "inversion": 0, "voicing": None,
                "register": None, "notes": [], "family": "none", "source": "none", "program": -1,
                "none_kind": kind, "aug": aug}
        if kind == "single_note":
            fam, sf, prog = instrument(r)
            note = int(r.integers(36, 85))
            spec.update(family=fam, source=sf, program=prog, notes=[note],
                        register="low" if note < 48 else "mid" if note < 60 else "high")
        elif kind == "noise":
            aug["noise"] = {"kind": ["white", "pink", "brown"][r.integers(3)], "snr_db": None}
        specs.append(spec)
    # Shuffle so that a prefix of the set is a fair sample (learning curves take prefixes).
    order = rng.permutation(len(specs))
    specs = [specs[i] for i in order]
    for i, s in enumerate(specs):
        s["id"] = i
        s["file"] = f"wav/{i:05d}.wav"
    return specs


# ------------------------------------------------------------------------------------------------
# Standard MIDI file writer (format 0), enough for program change, pitch bend and notes.

def _vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def write_midi(path, events, ticks_per_beat=480, tempo_us=500000):
    """events: list of (time_s, bytes) with channel messages; written as one track."""
    tick_s = tempo_us / 1e6 / ticks_per_beat
    body = bytearray(b"\x00\xFF\x51\x03" + tempo_us.to_bytes(3, "big"))
    last = 0
    for t, msg in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 != 0x80)):
        tick = int(round(t / tick_s))
        body += _vlq(tick - last) + msg
        last = tick
    body += b"\x00\xFF\x2F\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + (6).to_bytes(4, "big") + (0).to_bytes(2, "big") + (1).to_bytes(2, "big")
                + ticks_per_beat.to_bytes(2, "big"))
        f.write(b"MTrk" + len(body).to_bytes(4, "big") + bytes(body))


def render_gm_group(font, program, specs, tmp):
    """Render every clip of one (soundfont, program) in one fluidsynth run; returns {id: audio@48k}."""
    events = [(0.0, bytes([0xC0, program])),
              # pitch-bend range: RPN 0,0 = 2 semitones (the GM default, set explicitly)
              (0.0, bytes([0xB0, 101, 0])), (0.0, bytes([0xB0, 100, 0])), (0.0, bytes([0xB0, 6, 2])),
              (0.0, bytes([0xB0, 38, 0])), (0.0, bytes([0xB0, 7, 100])), (0.0, bytes([0xB0, 91, 0])),
              (0.0, bytes([0xB0, 93, 0]))]
    lead = 0.5
    for slot, s in enumerate(specs):
        t0 = lead + slot * CLIP_S
        bend = int(np.clip(8192 + round(s["aug"]["detune_cents"] / 200.0 * 8192), 0, 16383))
        events.append((t0, bytes([0xE0, bend & 0x7F, bend >> 7])))
        r = np.random.default_rng(s["aug"]["synth_seed"])
        for j, n in enumerate(s["notes"]):
            vel = int(np.clip(s["aug"]["velocity"] + r.integers(-8, 9), 1, 127))
            on = t0 + NOTE_ON_S + j * s["aug"]["strum_s"]
            events.append((on, bytes([0x90, n, vel])))
            events.append((t0 + NOTE_OFF_S, bytes([0x80, n, 0])))
    mid = os.path.join(tmp, "group.mid")
    wav = os.path.join(tmp, "group.wav")
    write_midi(mid, events)
    subprocess.run(["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.4", "-r", str(SR),
                    "-F", wav, font, mid], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sr, x = wavfile.read(wav)
    assert sr == SR, sr
    x = x.astype(np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)
    x /= 32768.0
    n = int(CLIP_S * SR)
    out = {}
    for slot, s in enumerate(specs):
        a = int(round((lead + slot * CLIP_S) * SR))
        seg = x[a:a + n]
        out[s["id"]] = np.pad(seg, (0, n - len(seg)))
    return out


# ------------------------------------------------------------------------------------------------
# Synthesised timbres.

def midi_hz(n, cents=0.0):
    return 440.0 * 2.0 ** ((n - 69) / 12.0 + cents / 1200.0)


def envelope(n, sr, attack, decay, sustain, release_at, release):
    t = np.arange(n) / sr
    env = np.where(t < attack, t / max(attack, 1e-4), sustain + (1 - sustain) * np.exp(-(t - attack) / max(decay, 1e-4)))
    rel = np.where(t > release_at, np.exp(-(t - release_at) / max(release, 1e-4)), 1.0)
    return (env * rel).astype(np.float32)


def karplus_strong(f, n, sr, r, brightness, sustain_s):
    L = max(2, int(round(sr / f)))
    f0 = sr / L
    m = int(n * f / f0) + L + 2  # samples needed at the integer-period pitch
    burst = r.uniform(-1, 1, L)
    if brightness < 1.0:  # darker pluck: low-pass the excitation
        b, a = signal.butter(1, max(0.02, brightness))
        burst = signal.lfilter(b, a, burst)
    rho = 10 ** (-3 / (sustain_s * f0))  # per-period gain for a `sustain_s` 60 dB decay
    y = np.zeros(m + L + 1)
    y[:L] = burst
    k = L
    while k < m:
        e = min(k + L, m)
        idx = np.arange(k, e)
        y[k:e] = rho * 0.5 * (y[idx - L] + y[idx - L - 1])  # y[-1] is an unused trailing 0
        k = e
    pos = np.arange(n) * (f / f0)  # resample to the exact (detuned) pitch
    return np.interp(pos, np.arange(len(y)), y).astype(np.float32)


def additive(f, n, sr, r, tilt, odd_bias, inharm):
    t = np.arange(n) / sr
    x = np.zeros(n, dtype=np.float64)
    for k in range(1, 40):
        fk = f * k * np.sqrt(1 + inharm * k * k)
        if fk > 0.45 * sr:
            break
        a = k ** -tilt * (odd_bias if k % 2 == 0 else 1.0)
        x += a * np.sin(2 * np.pi * fk * t + r.uniform(0, 2 * np.pi))
    return x.astype(np.float32)


def render_synth(spec):
    n = int(CLIP_S * SR)
    r = np.random.default_rng(spec["aug"]["synth_seed"])
    out = np.zeros(n, dtype=np.float32)
    cents = spec["aug"]["detune_cents"]
    if spec["family"] == "pluck":
        brightness, sustain_s = r.uniform(0.15, 1.0), r.uniform(0.8, 3.0)
    else:
        tilt, odd_bias, inharm = r.uniform(0.7, 2.2), r.uniform(0.2, 1.0), r.choice([0.0, r.uniform(0, 2e-4)])
        attack, decay, sustain = r.uniform(0.005, 0.12), r.uniform(0.05, 0.6), r.uniform(0.2, 0.9)
        release = r.uniform(0.05, 0.3)
    for j, note in enumerate(spec["notes"]):
        f = midi_hz(note, cents + r.normal(0, 2))  # each voice a little off, like real instruments
        start = int((NOTE_ON_S + j * spec["aug"]["strum_s"]) * SR)
        m = n - start
        if spec["family"] == "pluck":
            v = karplus_strong(f, m, SR, r, brightness, sustain_s)
            v *= envelope(m, SR, 0.001, 10.0, 1.0, NOTE_OFF_S - start / SR, 0.08)
        else:
            v = additive(f, m, SR, r, tilt, odd_bias, inharm)
            v *= envelope(m, SR, attack, decay, sustain, NOTE_OFF_S - start / SR, release)
        out[start:] += v * r.uniform(0.6, 1.0)
    return out


# ------------------------------------------------------------------------------------------------
# Augmentation (applied to every clip at 48 kHz, in this order: reverb, EQ, noise, gain, resample).

def colored_noise(kind, n, r):
    w = r.standard_normal(n)
    if kind == "white":
        return w
    spec = np.fft.rfft(w)
    f = np.arange(len(spec))
    f[0] = 1
    spec /= np.sqrt(f) if kind == "pink" else f
    x = np.fft.irfft(spec, n)
    return x / (np.std(x) + 1e-12)


def augment(x, spec):
    aug = spec["aug"]
    r = np.random.default_rng(aug["synth_seed"] + 1)
    x = x.astype(np.float64)
    if aug["reverb"]:
        rt, wet = aug["reverb"]["rt60_s"], aug["reverb"]["wet"]
        m = int(rt * SR)
        t = np.arange(m) / SR
        ir = r.standard_normal(m) * np.exp(-6.91 * t / rt)
        ir[: int(0.005 * SR)] = 0  # 5 ms pre-delay
        ir /= np.sqrt(np.sum(ir ** 2)) + 1e-12
        x = (1 - wet) * x + wet * signal.fftconvolve(x, ir)[: len(x)]
    if aug["laptop_eq"]:
        sos = signal.butter(2, [200, 6000], btype="bandpass", fs=SR, output="sos")
        x = signal.sosfilt(sos, x)
    n = len(x)
    if aug["noise"]:
        noise = colored_noise(aug["noise"]["kind"], n, r)
        if aug["noise"]["snr_db"] is None:  # the clip IS noise ("N")
            x = noise
        else:
            p_sig = np.mean(x ** 2) + 1e-20
            x = x + noise * np.sqrt(p_sig / 10 ** (aug["noise"]["snr_db"] / 10))
    if spec["none_kind"] == "silence":  # a quiet room: pink noise at -72..-50 dBFS RMS, no gain change
        x = colored_noise("pink", n, r) * 10 ** (r.uniform(-72, -50) / 20)  # (the CLI refuses peaks < -80 dBFS)
    else:
        peak = np.max(np.abs(x)) + 1e-20
        x = x * (10 ** (aug["peak_dbfs"] / 20) / peak)
    if aug["sample_rate"] == 44100:
        x = signal.resample_poly(x, 147, 160)
    return np.clip(x, -1, 1)


def render(specs, out_dir, log):
    os.makedirs(os.path.join(out_dir, "wav"), exist_ok=True)
    audio = {}
    groups = {}
    for s in specs:
        if s["source"] in SOUNDFONTS:
            groups.setdefault((s["source"], s["program"]), []).append(s)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for (sf, prog), group in sorted(groups.items()):
            audio.update(render_gm_group(SOUNDFONTS[sf], prog, group, tmp))
    log(f"fluidsynth: {len(groups)} groups, {sum(len(g) for g in groups.values())} clips, {time.time() - t0:.1f} s")
    t1 = time.time()
    n = int(CLIP_S * SR)
    for s in specs:
        if s["id"] in audio:
            x = audio.pop(s["id"])
        elif s["source"].startswith("synth:"):
            x = render_synth(s)
        else:  # silence / noise "N" clips: start from nothing, augment() makes them
            x = np.zeros(n, dtype=np.float32)
        y = augment(x, s)
        wavfile.write(os.path.join(out_dir, s["file"]), s["aug"]["sample_rate"],
                      np.round(y * 32767).astype(np.int16))
    log(f"synthesis + augmentation + writing: {time.time() - t1:.1f} s")
    with open(os.path.join(out_dir, "manifest.jsonl"), "w") as f:
        for s in specs:
            f.write(json.dumps(s, sort_keys=True) + "\n")


# ------------------------------------------------------------------------------------------------
# Features: the project's own feature code, nothing else.

def find_etude(path=None):
    cands = [path] if path else [os.path.join(ROOT, "build", "models", "src", "cli", "etude")]
    for c in cands:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    raise SystemExit("etude CLI not found; build it: cmake -S . -B build/models -G Ninja -DCMAKE_BUILD_TYPE=Release "
                     "&& cmake --build build/models --target etude   (or pass --etude PATH)")


def read_features(etude, wav, scratch):
    """All FeatureFrame fields of one file's model frames from `etude analyze features --model-frames --npy`:
    the CLI analyses at the live hop (256 at 48 kHz, 240 at 44.1 kHz) and keeps every 2nd frame with the
    app's phase (src/ml/chord_input.h), so these are the numbers the app feeds the classifier:
    (names, float32 [T, F]). scratch: a folder for the .npy and its .json."""
    out = os.path.join(scratch, "features.npy")
    subprocess.run([etude, "analyze", "features", wav, "--model-frames", "--npy", out], check=True,
                   capture_output=True, text=True)
    with open(os.path.join(scratch, "features.json")) as f:
        side = json.load(f)
    if side["hop"] != side["live_hop"] or side["model_frames"] is not True:
        raise SystemExit(f"{wav}: etude gave frames at hop {side['hop']} (model_frames {side['model_frames']}), "
                         f"not the chord classifier's model frames at the live hop {side['live_hop']}")
    return side["columns"], np.load(out)


def provenance(etude):
    """Which feature code made the frames: the commit, whether src/dsp or src/cli had local changes,
    and the CLI binary's hash (recorded in features.npz and copied into the training report)."""
    def git(*a):
        r = subprocess.run(["git", "-C", ROOT, *a], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    with open(etude, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return {"commit": git("rev-parse", "HEAD"),
            "dsp_or_cli_modified": bool(git("status", "--porcelain", "--", "src/dsp", "src/cli")),
            "etude_sha256": sha, "etude": os.path.relpath(etude, ROOT)}


def features(etude, out_dir, log):
    with open(os.path.join(out_dir, "manifest.jsonl")) as f:
        specs = [json.loads(line) for line in f]
    t0 = time.time()
    frames, offsets, names = [], [0], None
    with tempfile.TemporaryDirectory() as scratch:
        for s in specs:
            got, x = read_features(etude, os.path.join(out_dir, s["file"]), scratch)
            if names is None:
                names = got
            elif got != names:
                raise SystemExit(f"{s['file']}: etude printed different fields")
            frames.append(x)
            offsets.append(offsets[-1] + len(x))
    x = np.concatenate(frames)
    np.savez_compressed(os.path.join(out_dir, "features.npz"), frames=x, offsets=np.asarray(offsets, np.int64),
                        fields=np.asarray(names), ids=np.asarray([s["id"] for s in specs], np.int64),
                        provenance=np.asarray(json.dumps(provenance(etude))))
    log(f"etude analyze features: {len(specs)} clips, {len(x)} frames x {x.shape[1]} fields, {time.time() - t0:.1f} s")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny smoke set (for CI)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--per-chord", type=int, default=20, help="clips per chord label (132 labels)")
    ap.add_argument("--none", type=int, default=320, help="clips of 'N'")
    ap.add_argument("--out", default=None, help="output folder (default build/models/data/chords[-quick])")
    ap.add_argument("--stage", choices=["all", "render", "features"], default="all")
    ap.add_argument("--etude", default=None, help="path of the etude CLI (default build/models/...)")
    ap.add_argument("--drop-audio", action="store_true",
                    help="delete the WAV files after featurising (kept by default so that `--stage features` "
                         "can refresh the features alone when the DSP changes)")
    args = ap.parse_args(argv)
    out = args.out or (DATA + ("-quick" if args.quick else ""))

    def log(msg):
        print(f"[make_dataset] {msg}", flush=True)

    if args.stage in ("all", "render"):
        if args.quick:
            # two fluidsynth runs only (soundfont loading dominates): piano program 0 from each font
            specs = make_specs(args.seed, per_chord=1, n_none=12, families=["piano", "pluck", "additive"],
                               first_program_only=True)
            keep = np.random.default_rng(args.seed).permutation(len(specs))[:72]
            specs = [specs[i] for i in sorted(keep)]
            for i, s in enumerate(specs):
                s["id"], s["file"] = i, f"wav/{i:05d}.wav"
        else:
            specs = make_specs(args.seed, args.per_chord, args.none)
        if os.path.isdir(out):
            shutil.rmtree(out)
        log(f"{len(specs)} clips -> {out}")
        render(specs, out, log)
    if args.stage in ("all", "features"):
        features(find_etude(args.etude), out, log)
        if args.drop_audio:
            shutil.rmtree(os.path.join(out, "wav"), ignore_errors=True)


if __name__ == "__main__":
    main()
