#!/usr/bin/env python3
"""How far the soundfonts' samples sound from their MIDI keys, and what RPA reads when the truth allows for it.

The fluidsynth files' pitch truth is the MIDI note. A sampled instrument is a recording, though, and
sounds where its player tuned it: a few cents off its key, differently for every key. RPA@10c cannot
tell such a sample from a tracker's error. This script measures every sample the pitch cases play and
scores the methods against both truths side by side:

  1. Each (soundfont, program, key) of the fluidsynth pitch cases is rendered alone (velocity 90, the key
     held 2 s and 1.5 s of silence after it, an instrument's keys one after another in one dry render as
     make_dataset.py renders) and its sounding pitch is read with a method that none of
     the compared trackers uses: one long Hann window (from 150 ms after the attack for up to 1.75 s, cut
     where the note has decayed 30 dB), zero-padded to 2^19 points; around each of the key's first four
     harmonics (+-60 cents) the power centroid of the bins within 30 dB of the band's peak, and the
     centroids' cents from the key averaged with the peaks' magnitudes as weights (bands whose peak is
     25 dB under the spectrum's loudest are left out). A vibrato's sidebands centre on its carrier. A piano
     string's stretch (partial k at k f0 sqrt(1 + B k^2)) moves the reading a few cents above its
     fundamental's: this is the pitch of the first partials, where a strobe tuner reads a piano. A
     time-domain tracker (YIN, McLeod) matches a period to all the partials at once and reads a stretched
     tone sharper than that.
  2. The sample-tuned truth is the MIDI truth with each note moved by its sample's offset; the timing
     and voicing are the MIDI file's, unchanged.
  3. Etude, aubio yinfft, librosa pyin, pitchy and pitchfinder YIN (run_benchmark.py's settings) are run on
     the fluidsynth pitch cases and scored against both truths (mir_eval, means over files).

It is an analysis of the benchmark's truth, not a replacement for its metrics (bench/RESULTS.md reports
the MIDI truth's figures against the targets).

Usage: .venv/bin/python bench/accuracy/sample_tuning.py [--cases bench/out/accuracy/cases.json]
         [--etude build/native/src/cli/etude] [--conditions clean snr10] [--jobs 2]
       .venv/bin/python bench/accuracy/sample_tuning.py --isolated fluidr3 piano 64,72,76   # keys alone, every reading
"""
import json
import os
import sys
import tempfile
import warnings
from multiprocessing import Pool

import numpy as np
import soundfile as sf

import run_benchmark as rb
from make_dataset import FONTS, INSTRUMENTS, RATE, hz_midi, midi_hz, render, write_midi

PROGRAMS = {name: program for name, program, _, _, _ in INSTRUMENTS}
HARMONICS = 4
FFT_SIZE = 1 << 19
METHODS = ["etude", "aubio yinfft", "librosa pyin", "pitchy", "pitchfinder_yin"]  # run_methods()'s, in table order


def sounding_cents(x, key):
    """Cents of a lone sample's sounding pitch above its key (None when no harmonic of the key is found)."""
    hop = RATE // 100
    frames = len(x) // hop
    level = np.array([np.sqrt(np.mean(x[i * hop:(i + 1) * hop] ** 2)) for i in range(frames)]) + 1e-12
    level_db = 20 * np.log10(level)
    peak = int(np.argmax(level_db))
    start = np.argmax(level_db > level_db[peak] - 40)  # the attack
    begin = (start + 15) * hop  # 150 ms after it
    decayed = np.where(level_db[start + 15:] < level_db[peak] - 30)[0]
    end = min(len(x), begin + int(1.75 * RATE), (start + 15 + (decayed[0] if len(decayed) else frames)) * hop)
    if end - begin < int(0.1 * RATE):
        return None
    seg = x[begin:end] * np.hanning(end - begin)
    power = np.abs(np.fft.rfft(seg, FFT_SIZE)) ** 2
    bin_hz = RATE / FFT_SIZE
    f_key = midi_hz(key)
    bands = []
    for k in range(1, HARMONICS + 1):
        lo, hi = int(k * f_key * 2 ** (-60 / 1200) / bin_hz), int(k * f_key * 2 ** (60 / 1200) / bin_hz) + 1
        if hi >= len(power):
            break
        bands.append((k, lo, hi, float(power[lo:hi + 1].max())))
    loudest = float(power.max())
    found = []
    for k, lo, hi, top in bands:
        # A harmonic is there when its band holds a peak within 25 dB of the spectrum's loudest (a Hann
        # window's side lobes are 31 dB down); its frequency is the band's power centroid over the bins
        # within 30 dB of that peak: the carrier of a vibrato's sidebands, or a steady partial's centre.
        if top <= 0 or top < loudest * 10 ** (-25 / 10):
            continue
        p = power[lo:hi + 1]
        i = int(np.argmax(p))
        if i in (0, len(p) - 1):
            continue  # the band's edge: the energy is a neighbour's skirt, not a peak inside the band
        p = np.where(p >= top * 1e-3, p, 0.0)
        centre_hz = float(np.sum(p * (lo + np.arange(len(p)))) / np.sum(p)) * bin_hz
        found.append((1200 * np.log2(centre_hz / (k * f_key)), np.sqrt(top)))
    if not found:
        return None
    return float(sum(c * m for c, m in found) / sum(m for _, m in found))


HOLD_BEATS, GAP_BEATS, BPM = 4.0, 3.0, 120.0  # each key held 2 s, then 1.5 s for its release to die away


def render_keys(font_name, instrument, keys, wav):
    """Every key rendered alone, one after another, into wav; returns (audio, each key's start in beats)."""
    with tempfile.TemporaryDirectory() as tmp:
        mid = os.path.join(tmp, "notes.mid")
        starts = [0.25 + i * (HOLD_BEATS + GAP_BEATS) for i in range(len(keys))]
        write_midi(mid, [(s, HOLD_BEATS, k, 90) for s, k in zip(starts, keys)], PROGRAMS[instrument], BPM)
        return render(mid, FONTS[font_name], wav), starts


def measure(task):
    """Every key an instrument plays, read alone; {(font, instrument, key): cents}."""
    font_name, instrument, keys = task
    with tempfile.TemporaryDirectory() as tmp:
        x, starts = render_keys(font_name, instrument, keys, os.path.join(tmp, "notes.wav"))
    beat = int(RATE * 60 / BPM)
    out = {}
    for s, k in zip(starts, keys):
        begin = int(s * beat) - RATE // 20  # 50 ms of the silence before the key
        out[(font_name, instrument, k)] = sounding_cents(x[max(0, begin):int((s + HOLD_BEATS + GAP_BEATS) * beat)], k)
    return out


def isolated_report(etude, font_name, instrument, keys):
    """Each key rendered alone as in measure(); per key the reference and each tracker's median reading over
    the held note (150 ms after the key to its release) with the 10th-90th percentile range, in cents."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "notes.wav")
        x, starts = render_keys(font_name, instrument, keys, wav)
        sf.write(wav, x, RATE)  # mono, as the trackers read the cases
        tracks = {"etude": rb.etude_pitch(etude, wav), "aubio yinfft": rb.aubio_pitch(wav), "librosa pyin": rb.librosa_pitch(wav)}
    reference = measure((font_name, instrument, keys))
    print(f"{font_name} {instrument}, each key alone: cents above the key, median [10th, 90th percentile] over the held note\n")
    print("| key | reference (first partials) | " + " | ".join(tracks) + " |")
    print("|---:|---:|" + "---:|" * len(tracks))
    beat_s = 60 / BPM
    for s, k in zip(starts, keys):
        cells = []
        for t, f in tracks.values():
            t, f = np.asarray(t), np.asarray(f)
            held = (t >= s * beat_s + 0.15) & (t < (s + HOLD_BEATS) * beat_s) & (f > 0)
            c = 1200 * np.log2(f[held] / midi_hz(k))
            c = c[np.abs(c) < 100]
            cells.append(f"{np.median(c):+.1f} [{np.percentile(c, 10):+.1f}, {np.percentile(c, 90):+.1f}]" if len(c) else "-")
        ref = reference[(font_name, instrument, k)]
        print(f"| {k} | " + (f"{ref:+.1f}" if ref is not None else "-") + " | " + " | ".join(cells) + " |")


def run_methods(task):
    etude, path = task
    out = {"etude": rb.etude_pitch(etude, path), "aubio yinfft": rb.aubio_pitch(path),
           "librosa pyin": rb.librosa_pitch(path)}
    out.update(rb.js_pitch(path))
    return path, out


def main():
    ap = rb.analysis_parser(__doc__)
    ap.add_argument("--conditions", nargs="+", default=["clean", "snr10"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--isolated", nargs=3, metavar=("FONT", "INSTRUMENT", "KEYS"),
                    help="only this: each of these comma-separated MIDI keys rendered alone, read by the reference "
                         "and by Etude, aubio and pyin (e.g. fluidr3 piano 64,72,76)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    if args.isolated:
        font_name, instrument, keys = args.isolated
        isolated_report(args.etude, font_name, instrument, [int(k) for k in keys.split(",")])
        return
    with open(args.cases) as f:
        cases = [c for c in json.load(f) if c["set"] == "pitch" and c["source"] != "synth"]

    def instrument_of(c):
        return c["name"].split("_", 1)[1]

    keys = {}
    for c in cases:
        f0 = np.array(c["f0"])
        keys.setdefault((c["source"], instrument_of(c)), set()).update(int(round(m)) for m in hz_midi(f0[f0 > 0]))
    offsets = {}
    with Pool(args.jobs) as pool:
        for measured in pool.map(measure, [(font, inst, sorted(ks)) for (font, inst), ks in sorted(keys.items())]):
            offsets.update(measured)

    print(f"Sounding pitch of each sample the fluidsynth pitch cases play, cents above its MIDI key "
          f"({len(offsets)} keys: those each melody plays)\n")
    print("| soundfont | instrument | keys | median | lowest | highest | keys more than 10 cents off |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (font, inst) in sorted(keys):
        c = np.array([offsets[(font, inst, k)] for k in sorted(keys[(font, inst)]) if offsets[(font, inst, k)] is not None])
        missing = sum(offsets[(font, inst, k)] is None for k in keys[(font, inst)])
        note = f" ({missing} unmeasured)" if missing else ""
        print(f"| {font} | {inst} | {len(c)}{note} | {np.median(c):+.1f} | {c.min():+.1f} | {c.max():+.1f} | "
              f"{int(np.sum(np.abs(c) > 10))} |")

    chosen = [c for c in cases if c["condition"] in args.conditions]
    rb.warm_librosa()
    with Pool(args.jobs) as pool:
        estimates = dict(pool.map(run_methods, [(args.etude, c["path"]) for c in chosen]))
    rows, per_file = {}, {}
    for c in chosen:
        f0 = np.array(c["f0"])
        tuned = f0.copy()
        for i in np.where(f0 > 0)[0]:
            cents = offsets.get((c["source"], instrument_of(c), int(round(hz_midi(f0[i])))))
            tuned[i] = f0[i] * 2 ** ((cents or 0.0) / 1200)
        tuned_case = dict(c, f0=tuned.tolist())
        for method, (t, f) in estimates[c["path"]].items():
            midi_truth, sample_truth = rb.score_pitch(c, t, f), rb.score_pitch(tuned_case, t, f)
            rows.setdefault((c["condition"], method), []).append(
                (midi_truth["rpa50"], midi_truth["rpa10"], sample_truth["rpa50"], sample_truth["rpa10"]))
            per_file.setdefault((c["condition"], c["name"]), {})[method] = (midi_truth["rpa10"], sample_truth["rpa10"])
    print(f"\nRPA against the MIDI truth and the sample-tuned truth (fluidsynth pitch cases, {len(chosen) // len(args.conditions)} "
          "files per condition, means over files)\n")
    print("| condition | method | RPA@50c MIDI | RPA@10c MIDI | RPA@50c sample-tuned | RPA@10c sample-tuned |")
    print("|---|---|---:|---:|---:|---:|")
    for cond in args.conditions:
        for method in METHODS:
            r = np.mean(rows[(cond, method)], axis=0)
            print(f"| {cond} | {method} | {r[0]:.3f} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} |", flush=True)
    print(f"\nRPA@10c per file, {args.conditions[0]}: MIDI truth / sample-tuned truth\n")
    print("| file | " + " | ".join(METHODS) + " |")
    print("|---|" + "---:|" * len(METHODS))
    for (cond, name), by_method in sorted(per_file.items()):
        if cond == args.conditions[0]:
            print(f"| {name} | " + " | ".join(f"{by_method[m][0]:.3f} / {by_method[m][1]:.3f}" for m in METHODS) + " |")


if __name__ == "__main__":
    sys.exit(main())
