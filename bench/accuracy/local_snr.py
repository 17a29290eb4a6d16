#!/usr/bin/env python3
"""What the SNR 10 dB condition hides: each truth frame or onset scored by its own local SNR.

The SNR 10 files are clean + white noise 10 dB under the clean file's *active* level (make_dataset.py),
so a plucked note's decaying tail or a soft hi-hat can sit far under the noise. Because each noisy file is
its clean file plus noise, noise = noisy - clean, and the local SNR of a moment is the clean signal's power
over the noise's in a short window there:
  pitch   46 ms centred on each truth frame of the fluidsynth pitch cases (truth-voiced frames only);
  onsets  the 30 ms after each true onset of the percussive rhythm cases.
Reported per method, pooled over files (not the per-file means of run_benchmark.py's tables):
  pitch   RPA@50c (mir_eval's frame matching, unvoiced estimates count as misses) on all truth-voiced frames,
          on those at local SNR >= 0 dB (the note is above the noise) and on those under it; "etude on
          clean" scores Etude's reading of the clean file on the same frames (what the noise cost);
  onsets  recall at +-50 ms of the onsets at local SNR >= 0 dB and under it, and the false onsets.
It is an analysis of the benchmark's conditions, not a replacement for its metrics.

Usage: .venv/bin/python bench/accuracy/local_snr.py [--cases bench/out/accuracy/cases.json]
         [--etude build/native/src/cli/etude] [--methods etude,etude_on_clean,aubio,pyin,librosa]
         (pitch also: etude_live, etude_live_on_clean: the live analyser's f0 at the app's hop)
         [--tasks pitch,onsets]
"""
import collections
import json
import warnings

import mir_eval
import numpy as np
import soundfile as sf

import run_benchmark as rb


def mono(path):
    x, rate = sf.read(path, dtype="float64")
    return (x.mean(axis=1) if x.ndim > 1 else x), rate


def power_db(x, rate, start_s, end_s):
    i, j = max(0, int(round(start_s * rate))), max(0, int(round(end_s * rate)))
    seg = x[i:j]
    return 10 * np.log10(np.mean(seg ** 2) + 1e-20) if len(seg) else -200.0


def noisy_and_clean(cases, case):
    clean, rate = mono(cases[(case["name"], "clean")]["path"])
    noisy, _ = mono(case["path"])
    n = min(len(clean), len(noisy))
    return clean[:n], noisy[:n] - clean[:n], rate


def pitch_of(method, etude, cases, case):
    if method == "etude":
        return rb.etude_pitch(etude, case["path"])
    if method == "etude_on_clean":
        return rb.etude_pitch(etude, cases[(case["name"], "clean")]["path"])
    if method == "etude_live":
        return rb.etude_live_pitch(etude, case["path"])[:2]
    if method == "etude_live_on_clean":
        return rb.etude_live_pitch(etude, cases[(case["name"], "clean")]["path"])[:2]
    if method == "aubio":
        return rb.aubio_pitch(case["path"])
    if method == "pyin":
        return rb.librosa_pitch(case["path"])
    raise SystemExit(f"no pitch method {method}")


def onsets_of(method, etude, path):
    if method == "etude":
        return rb.etude_onsets(etude, path)
    if method == "aubio":
        return rb.aubio_onsets(path)
    if method == "librosa":
        return rb.librosa_onsets(path)
    raise SystemExit(f"no onset method {method}")


PITCH_METHODS = ("etude", "etude_on_clean", "etude_live", "etude_live_on_clean", "aubio", "pyin")


def pitch_report(cases, etude, methods):
    hit = collections.defaultdict(lambda: [0, 0])
    for (name, cond), case in sorted(cases.items()):
        if case["set"] != "pitch" or case["source"] == "synth" or cond != "snr10":
            continue
        clean, noise, rate = noisy_and_clean(cases, case)
        ref_t, ref_f = np.array(case["times"]), np.array(case["f0"])
        local = np.array([power_db(clean, rate, t - 0.023, t + 0.023) - power_db(noise, rate, t - 0.023, t + 0.023) for t in ref_t])
        for m in methods:
            t, f = pitch_of(m, etude, cases, case)
            est = np.maximum(np.nan_to_num(np.asarray(f, float)), 0.0)
            ref_v, ref_c, est_v, est_c = mir_eval.melody.to_cent_voicing(ref_t, ref_f, np.asarray(t, float), est)
            n = min(len(ref_v), len(local))
            voiced = ref_v[:n] > 0
            right = voiced & (est_v[:n] > 0) & (np.abs(ref_c[:n] - est_c[:n]) <= 50)
            for label, sel in (("all", voiced), ("local SNR >= 0 dB", voiced & (local[:n] >= 0)),
                               ("local SNR < 0 dB", voiced & (local[:n] < 0))):
                hit[(m, label)][0] += int(right[sel].sum())
                hit[(m, label)][1] += int(sel.sum())
    print("Pitch, fluidsynth, SNR 10 dB: RPA@50c pooled over truth-voiced frames")
    print(f"| method | all | local SNR >= 0 dB | local SNR < 0 dB |\n|---|---:|---:|---:|")
    for m in methods:
        cells = [hit[(m, l)] for l in ("all", "local SNR >= 0 dB", "local SNR < 0 dB")]
        print(f"| {m} | " + " | ".join(f"{a / max(1, b):.3f} ({b} frames)" for a, b in cells) + " |")


def onset_report(cases, etude, methods):
    hit = collections.defaultdict(lambda: [0, 0])
    false = collections.Counter()
    for (name, cond), case in sorted(cases.items()):
        if case.get("category") != "percussive" or cond != "snr10":
            continue
        clean, noise, rate = noisy_and_clean(cases, case)
        ref = np.array(case["onsets"])
        local = np.array([power_db(clean, rate, t, t + 0.03) - power_db(noise, rate, t, t + 0.03) for t in ref])
        for m in methods:
            est = np.asarray(onsets_of(m, etude, case["path"]), float)
            matched = mir_eval.util.match_events(ref, est, 0.05)
            found = np.zeros(len(ref), bool)
            found[[i for i, _ in matched]] = True
            false[m] += len(est) - len(matched)
            for label, sel in (("local SNR >= 0 dB", local >= 0), ("local SNR < 0 dB", local < 0)):
                hit[(m, label)][0] += int(found[sel].sum())
                hit[(m, label)][1] += int(sel.sum())
    print("\nOnsets, percussive, SNR 10 dB: recall at +-50 ms pooled over true onsets, and false onsets")
    print("| method | local SNR >= 0 dB | local SNR < 0 dB | false onsets |\n|---|---:|---:|---:|")
    for m in methods:
        cells = [hit[(m, l)] for l in ("local SNR >= 0 dB", "local SNR < 0 dB")]
        print(f"| {m} | " + " | ".join(f"{a}/{b} ({a / max(1, b):.3f})" for a, b in cells) + f" | {false[m]} |")


def main():
    ap = rb.analysis_parser(__doc__)
    ap.add_argument("--methods", default="etude,etude_on_clean,aubio,pyin,librosa")
    ap.add_argument("--tasks", default="pitch,onsets")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    cases = {(c["name"], c["condition"]): c for c in json.load(open(args.cases))}
    methods = args.methods.split(",")
    if "pitch" in args.tasks:
        pitch_report(cases, args.etude, [m for m in methods if m in PITCH_METHODS])
    if "onsets" in args.tasks:
        onset_report(cases, args.etude, [m for m in methods if m in ("etude", "aubio", "librosa")])


if __name__ == "__main__":
    main()
