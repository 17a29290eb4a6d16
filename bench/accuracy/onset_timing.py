#!/usr/bin/env python3
"""How early or late Etude's onsets lie: the signed error of every onset matched within +-50 ms.

F-measure says whether an onset was found; this says where. Rhythm practice scores a student in
milliseconds after a loopback calibration made with clicks (whose onsets the detector places like a drum's),
so what matters for fairness between instruments is that every kind of sound is timed alike: a constant
offset is calibrated away, a difference between, say, a singer and a drummer is not.

Per category and condition, for `etude analyze onsets` ("cli") and the live analyser's onset flags at the
app's hop ("live", what rhythm practice hears): the number of matched onsets and the mean, median, 10th and
90th percentile of (estimate - truth) in ms. The truth is the MIDI note-on for the fluidsynth renders (a
sampled instrument speaks a little after it) and the note's nominal start for the synthesised voices
(the middle of their 10 ms fade-in).

Usage: .venv/bin/python bench/accuracy/onset_timing.py [--cases bench/out/accuracy/cases.json]
         [--etude build/native/src/cli/etude] [--conditions clean,snr10,reverb]
"""
import collections
import json
import warnings

import mir_eval
import numpy as np

import run_benchmark as rb


def main():
    ap = rb.analysis_parser(__doc__)
    ap.add_argument("--conditions", default=",".join(rb.CONDITIONS))
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    conditions = args.conditions.split(",")
    errors = collections.defaultdict(list)
    for case in json.load(open(args.cases)):
        if not case.get("onsets") or case["condition"] not in conditions:
            continue
        ref = np.array(case["onsets"])
        for name, onsets in (("cli", rb.etude_onsets), ("live", rb.etude_live_onsets)):
            est = np.sort(np.asarray(onsets(args.etude, case["path"]), float))
            for i, j in mir_eval.util.match_events(ref, est, 0.05):
                errors[(case["category"], case["condition"], name)].append(1000.0 * (est[j] - ref[i]))
    print("| category | condition | onsets from | matched | mean ms | median ms | p10 ms | p90 ms |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for (category, condition, name) in sorted(errors, key=lambda k: (k[0], conditions.index(k[1]), k[2])):
        e = np.array(errors[(category, condition, name)])
        print(f"| {category} | {condition} | {name} | {len(e)} | {e.mean():+.1f} | {np.median(e):+.1f} | "
              f"{np.percentile(e, 10):+.1f} | {np.percentile(e, 90):+.1f} |")


if __name__ == "__main__":
    main()
