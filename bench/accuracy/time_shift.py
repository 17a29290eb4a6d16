#!/usr/bin/env python3
"""How RPA@50c on the fluidsynth renders moves when an estimate's times are shifted.

The fluidsynth files' truth is the MIDI note, which starts before a sampled instrument speaks; this
reads the whole-file decoder (`etude analyze pitch`) and the live f0 (`etude analyze features`) of the
fluidsynth pitch cases of one condition and scores each with its times moved by every shift (seconds;
negative = read earlier), with run_benchmark.py's score_pitch. Means over files, overall and per instrument.
An analysis of the benchmark's truth, not a metric: nothing in Etude is tuned on it.

Usage: .venv/bin/python bench/accuracy/time_shift.py --cases bench/out/accuracy_dev_v2/cases.json
         [--cases ...] [--etude build/native/src/cli/etude] [--condition clean] [--shifts -0.04 -0.01 0 0.005]
"""
import argparse
import collections
import json
import os
import warnings

import numpy as np

import run_benchmark as rb


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", action="append", required=True)
    ap.add_argument("--etude", default=os.path.join(root, "build/native/src/cli/etude"))
    ap.add_argument("--condition", default="clean")
    ap.add_argument("--shifts", type=float, nargs="+", default=[0.005, 0.0, -0.005, -0.01, -0.02, -0.04])
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    scores = collections.defaultdict(list)
    for path in args.cases:
        for c in json.load(open(path)):
            if c["set"] != "pitch" or c["source"] == "synth" or c["condition"] != args.condition:
                continue
            instrument = c["name"].split("_", 1)[1]
            offline = rb.etude_pitch(args.etude, c["path"])
            live_t, live_f0, _ = rb.etude_live_pitch(args.etude, c["path"])
            for method, (t, f0) in (("offline", offline), ("live", (live_t, live_f0))):
                for s in args.shifts:
                    r = rb.score_pitch(c, np.asarray(t) + s, f0)["rpa50"]
                    scores[(method, "all", s)].append(r)
                    scores[(method, instrument, s)].append(r)
    print("| method | files | " + " | ".join(f"{s * 1000:+.0f} ms" for s in args.shifts) + " |")
    print("|---|---|" + "---:|" * len(args.shifts))
    for method in ("offline", "live"):
        for group in ["all"] + sorted({k[1] for k in scores if k[1] != "all"}):
            print(f"| {method} | {group} | " + " | ".join(f"{np.mean(scores[(method, group, s)]):.3f}" for s in args.shifts) + " |")


if __name__ == "__main__":
    main()
