#!/usr/bin/env python3
"""Chord symbol recall of `etude analyze chords`: the template baseline vs the trained classifier.

    .venv/bin/python bench/accuracy/chord_benchmark.py [--etude build/native/src/cli/etude] [--out bench/out/chords]
                                                       [--quick] > bench/out/chords/results.md

Ground truth: chord progressions written as MIDI (8 chords of 1.5-3 s after 0.5 s of silence; roots
uniform, qualities maj/min 50%, 7/maj7/min7 50%; bass note in C3-B3, a quarter in first inversion;
the upper voices close above it) and rendered by fluidsynth through the two soundfonts the classifier
was trained on (FluidR3_GM, MuseScore_General). Honest split: the "unseen" group uses General MIDI
programs that no training clip used (models/chords/make_dataset.py GM_FAMILIES); the "seen" group uses
three programs it did use, for reference. Conditions from make_dataset.py here: clean, snr20, laptop.
Scores: mir_eval.chord (root, majmin, sevenths, and majmin_inv / sevenths_inv, which also require the
bass: reference labels carry the inversion, e.g. C:maj/3), weighted by duration over all files of a row
(MIREX style: total correctly labelled time / total time that the rule scores).
"""
import argparse
import io
import os
import subprocess
import sys
from collections import defaultdict

import mir_eval
import numpy as np
import soundfile as sf

for _alias, _type in (("int", int), ("float", float)):  # mir_eval 0.7's chord module still uses the
    if not hasattr(np, _alias):                          # aliases that NumPy 1.24 removed
        setattr(np, _alias, _type)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from make_dataset import FONTS, RATE, apply_condition, render, write_midi  # noqa: E402

PITCH_CLASSES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
QUALITIES = {"maj": (0, 4, 7), "min": (0, 3, 7), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11), "min7": (0, 3, 7, 10)}
# Programs (0-based GM) that models/chords/make_dataset.py never renders, and three that it does.
UNSEEN = {"electric grand": 2, "harpsichord": 6, "vibraphone": 11, "accordion": 21, "harp": 46,
          "choir aahs": 52, "new age pad": 88}
SEEN = {"acoustic grand": 0, "nylon guitar": 24, "string ensemble": 48}
CONDITIONS = ["clean", "snr20", "laptop"]
METRICS = ["root", "majmin", "sevenths", "majmin_inv", "sevenths_inv"]
LEAD_S = 0.5


def progression(rng, count=8):
    """[(start_s, end_s, harte, midi notes)]"""
    chords, t = [], LEAD_S
    for _ in range(count):
        root = int(rng.integers(12))
        quality = str(rng.choice(["maj", "min"])) if rng.random() < 0.5 else str(rng.choice(["7", "maj7", "min7"]))
        ivs = QUALITIES[quality]
        inversion = 1 if rng.random() < 0.25 else 0
        bass = 48 + (root + ivs[inversion]) % 12
        upper = sorted(bass + ((root + iv - bass) % 12 or 12) for iv in ivs if (root + iv) % 12 != bass % 12)
        notes = [bass] + [n + 12 if n < 60 else n for n in upper]
        duration = float(rng.choice([1.5, 2.0, 2.5, 3.0]))
        degree = {3: "b3", 4: "3"}[ivs[1]] if inversion else ""
        chords.append((t, t + duration, f"{PITCH_CLASSES[root]}:{quality}" + (f"/{degree}" if degree else ""), notes))
        t += duration
    return chords


def make_set(out, quick):
    rng = np.random.default_rng(20261201)
    work = os.path.join(out, "_work")
    os.makedirs(work, exist_ok=True)
    cases = []
    groups = {"unseen": UNSEEN, "seen": SEEN}
    for group, programs in groups.items():
        items = list(programs.items())[: 2 if quick else None]
        for font_name, font in FONTS.items():
            for name, program in items:
                chords = progression(rng)
                notes = [(s, e - s, n, 80) for s, e, _, ns in chords for n in ns]  # bpm 60: beats = seconds
                stem = f"{group}_{font_name}_{program:03d}"
                mid = os.path.join(work, stem + ".mid")
                write_midi(mid, notes, program, 60)
                x = render(mid, font, os.path.join(work, stem + "_render.wav"))
                end = len(x) / RATE
                ref = [(0.0, LEAD_S, "N")] + [(s, e, lab) for s, e, lab, _ in chords] + [(chords[-1][1], end, "N")]
                for condition in CONDITIONS[:1] if quick else CONDITIONS:
                    y = apply_condition(x, condition, rng, work, stem)
                    y = y / max(1e-9, float(np.max(np.abs(y)))) * 0.5
                    path = os.path.join(out, f"{stem}_{condition}.wav")
                    sf.write(path, y, RATE, subtype="PCM_16")
                    cases.append({"path": path, "group": group, "font": font_name, "instrument": name,
                                  "condition": condition, "ref": ref})
    return cases


def etude_chords(etude, path, model):
    res = subprocess.run([etude, "analyze", "chords", path, "--model", model], capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"etude failed on {path}: {res.stderr.strip()}")
    rows = [line.split(",") for line in res.stdout.strip().splitlines()[1:]]
    return np.array([[float(a), float(b)] for a, b, _ in rows]), [lab for _, _, lab in rows]


def score(case, est_intervals, est_labels):
    ref = case["ref"]
    ref_intervals = np.array([[s, e] for s, e, _ in ref])
    ref_labels = [lab for _, _, lab in ref]
    est_intervals, est_labels = mir_eval.util.adjust_intervals(est_intervals, est_labels, ref_intervals.min(),
                                                               ref_intervals.max(), mir_eval.chord.NO_CHORD,
                                                               mir_eval.chord.NO_CHORD)
    intervals, ref_l, est_l = mir_eval.util.merge_labeled_intervals(ref_intervals, ref_labels, est_intervals, est_labels)
    durations = mir_eval.util.intervals_to_durations(intervals)
    out = {}
    for metric in METRICS:
        comparisons = getattr(mir_eval.chord, metric)(ref_l, est_l)
        valid = comparisons >= 0
        out[metric] = (float(np.sum(durations[valid] * comparisons[valid])), float(np.sum(durations[valid])))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--etude", default=os.path.join(ROOT, "build/native/src/cli/etude"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/out/chords"))
    ap.add_argument("--quick", action="store_true", help="a few files, clean only (smoke run)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    cases = make_set(args.out, args.quick)
    totals = defaultdict(lambda: {m: [0.0, 0.0] for m in METRICS})
    for case in cases:
        for model in ("templates", "classifier"):
            s = score(case, *etude_chords(args.etude, case["path"], model))
            for key in ((case["group"], case["condition"], model), (case["group"], "all", model)):
                totals[key]["files"] = totals[key].get("files", 0) + 1
                for m in METRICS:
                    totals[key][m][0] += s[m][0]
                    totals[key][m][1] += s[m][1]
    out = io.StringIO()
    out.write("| instruments | condition | files | model | " + " | ".join(METRICS) + " |\n")
    out.write("|---|---|---|---|" + "---|" * len(METRICS) + "\n")
    for group in ("unseen", "seen"):
        for condition in CONDITIONS + ["all"]:
            for model in ("templates", "classifier"):
                t = totals.get((group, condition, model))
                if not t:
                    continue
                cells = [f"{t[m][0] / t[m][1]:.3f}" if t[m][1] else "-" for m in METRICS]
                out.write(f"| {group} | {condition} | {t['files']} | {model} | " + " | ".join(cells) + " |\n")
    print(out.getvalue())


if __name__ == "__main__":
    main()
