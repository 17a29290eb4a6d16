#!/usr/bin/env python3
"""Where the pitch misses on the fluidsynth renders fall: in a note's first 150 ms, or later.

The fluidsynth files' truth is the MIDI note while the key is down, but a sampled flute, violin or choir
takes up to ~150 ms to speak, and the previous note's release is still sounding meanwhile. This script
runs Etude, aubio yinfft and librosa pyin (the settings of run_benchmark.py) on the fluidsynth pitch
cases of one or more conditions and reports, per method (means over files):
  RPA@50c                        as in run_benchmark.py (mir_eval, MIDI truth)
  misses in a note's first 150 ms share of the missed truth-voiced frames that lie within 150 ms after the
                                 truth's pitch changed (a new note started)
  settled RPA@50c / RPA@10c      the same accuracies on truth-voiced frames 150 ms or more into a note
It is an analysis of the benchmark's truth, not a replacement for its metrics.

Usage: .venv/bin/python bench/accuracy/pitch_settling.py [--cases bench/out/accuracy/cases.json]
         [--etude build/native/src/cli/etude] [--conditions clean snr10] [--settle-s 0.15]
"""
import argparse
import json
import os
import warnings

import mir_eval
import numpy as np

import run_benchmark as rb


def since_note_change(times, f0):
    """Seconds since the truth last started a new pitch, per frame (9 before the first note)."""
    out = np.full(len(times), 9.0)
    last, prev = None, 0.0
    for i, f in enumerate(f0):
        if f > 0 and abs(f - prev) > 1e-6:
            last = times[i]
        prev = f
        if last is not None:
            out[i] = times[i] - last
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=os.path.join(rb.ROOT, "bench", "out", "accuracy", "cases.json"))
    ap.add_argument("--etude", default=os.path.join(rb.ROOT, "build", "native", "src", "cli", "etude"))
    ap.add_argument("--conditions", nargs="+", default=["clean", "snr10"])
    ap.add_argument("--settle-s", type=float, default=0.15)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    with open(args.cases) as f:
        cases = json.load(f)
    print("| condition | method | RPA@50c | misses in a note's first %.0f ms | settled RPA@50c | settled RPA@10c |"
          % (1000 * args.settle_s))
    print("|---|---|---:|---:|---:|---:|")
    for cond in args.conditions:
        rows = {}
        for c in cases:
            if c["set"] != "pitch" or c["source"] == "synth" or c["condition"] != cond:
                continue
            ref_t, ref_f = np.array(c["times"]), np.array(c["f0"])
            since = since_note_change(ref_t, ref_f)
            ests = {"etude": rb.etude_pitch(args.etude, c["path"]), "aubio yinfft": rb.aubio_pitch(c["path"]),
                    "librosa pyin": rb.librosa_pitch(c["path"])}
            for m, (t, f) in ests.items():
                f = np.nan_to_num(np.asarray(f, float))
                ref_v, ref_c, est_v, est_c = mir_eval.melody.to_cent_voicing(ref_t, ref_f, np.asarray(t, float), f)
                v = ref_v > 0
                dev = np.abs(est_c - ref_c)
                ok50, ok10 = v & (est_v > 0) & (dev <= 50), v & (est_v > 0) & (dev <= 10)
                miss = v & ~ok50
                settled = v & (since >= args.settle_s)
                rows.setdefault(m, []).append((ok50.sum() / v.sum(), (miss & ~settled).sum() / max(miss.sum(), 1),
                                               (ok50 & settled).sum() / settled.sum(),
                                               (ok10 & settled).sum() / settled.sum()))
        for m, r in rows.items():
            r = np.mean(r, axis=0)
            print(f"| {cond} | {m} | {r[0]:.3f} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} |", flush=True)


if __name__ == "__main__":
    main()
