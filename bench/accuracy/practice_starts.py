#!/usr/bin/env python3
"""How close melody practice's note starts come to the truth, on a DEVELOPMENT set's pitched cases
(make_dataset.py --seed 7 --out bench/out/accuracy_dev), at the live hop and at the CLI's.

Runs `etude analyze features --hop H` once per file and hop (the live features: fixed-lag pitch, onset
strength, level, spectral onset flags; cached as .npz next to the wav, named by a hash of the binary) and replays MelodyPractice::score
(src/app/melody_practice.cpp) for every true note, with the note's truth pitch as its target:
  old: the nearest spectral onset within the start window; failing that, where the pitch arrives at the
       target (within 50 cents, after not being there);
  new: the same, with the arrival moved back to its attack by dsp::locate_onset (tune_onsets.locate)
       when the located frame stays within the window.
Errors are start minus true onset, in ms, on the analysis frames' time_s (the clock the app uses).

Usage: .venv/bin/python bench/accuracy/practice_starts.py --cases bench/out/accuracy_dev/cases.json \
         [--etude build/native/src/cli/etude] [--hops 256 512] [--jobs 2] [--sweep]
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
from collections import defaultdict
from multiprocessing import Pool

import numpy as np

from tune_onsets import locate

IN_TUNE_CENTS = 50.0
CONFIDENT = 0.5
START_WINDOW_S = 0.25
COLUMNS = {"time": 0, "f0": 1, "confidence": 2, "level": 4, "strength": 5, "onset": 6}


def binary_tag(etude):
    """Part of the cache name: the features of another build of etude are other features."""
    with open(shutil.which(etude) or etude, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()[:10]


def cache(args):
    etude, tag, case, hop = args
    out = case["path"][:-4] + f".live{hop}.{tag}.npz"
    if not os.path.exists(out):
        npy = out[:-4] + ".tmp.npy"
        subprocess.run([etude, "analyze", "features", "--hop", str(hop), "--npy", npy, case["path"]], check=True, capture_output=True)
        m = np.load(npy)
        np.savez(out, **{name: m[:, col] for name, col in COLUMNS.items()})
        os.remove(npy)
        os.remove(npy[:-4] + ".json")
    return out


def truth_notes(case):
    """[(onset_s, midi, window_s, previous_midi)] from the case's onsets and f0 truth; previous_midi is -1
    after a rest (a gap of 50 ms or more), as MelodyPractice treats rests."""
    times, f0 = np.array(case["times"]), np.array(case["f0"])
    onsets = sorted(case["onsets"])
    notes = []
    previous, previous_end = -1, -1.0
    for i, on in enumerate(onsets):
        after = (times >= on + 0.03) & (times <= on + 0.12) & (f0 > 0)
        if not after.any():
            continue
        midi = int(round(float(np.median(69 + 12 * np.log2(f0[after] / 440.0)))))
        silent = np.nonzero((times > on + 0.03) & (f0 <= 0))[0]
        end = times[silent[0]] if len(silent) else times[-1]
        if i + 1 < len(onsets):
            end = min(end, onsets[i + 1])
        window = min(START_WINDOW_S, 0.5 * (end - on))
        notes.append((on, midi, window, previous if on - previous_end < 0.05 else -1))
        previous, previous_end = midi, end
    return notes


def starts(d, notes, locator):
    """MelodyPractice::score's start rule replayed: [(true onset, old start, new start, path)], a start None
    when not found; path 'spectral' | 'change' | 'voicing' (the arrival, and the locator's cue) | 'none'."""
    t = d["time"]
    rate = 1.0 / float(np.median(np.diff(t)))
    midi = np.where((d["f0"] > 0) & (d["confidence"] >= CONFIDENT), 69 + 12 * np.log2(np.maximum(d["f0"], 1e-9) / 440.0), 0.0)
    spectral = t[d["onset"] > 0]
    out = []
    for on, target, w, previous in notes:
        path = "none"
        near = spectral[np.abs(spectral - on) <= w]
        if len(near):
            s = float(near[np.argmin(np.abs(near - on))])
            out.append((on, s, s, "spectral"))
            continue
        if previous == target:
            out.append((on, None, None, "none"))
            continue
        old = new = None
        idx = np.nonzero((t >= on - w) & (t <= on + w))[0]
        was_there = False
        for n, k in enumerate(idx):
            there = midi[k] > 0 and abs(midi[k] - target) * 100 <= IN_TUNE_CENTS
            if there and not was_there and n > 0:
                old = new = float(t[k])
                kind = path = "change" if midi[k - 1] > 0 else "voicing"
                a = locate(d["strength"], d["level"], int(k), kind, rate, **locator(rate))
                if a >= 0 and abs(t[a] - on) <= w:
                    new = float(t[a])
                break
            was_there = there
        out.append((on, old, new, path))
    return out


def shipped(rate, min_strength=1.1, rise_s=None, after_s=None):
    """src/dsp/onset_locator.h's defaults at `rate` frames/s; rise_s / after_s: those two in seconds instead
    of frames (rounded to frames at this rate)."""
    p = {"min_strength": min_strength}
    if rise_s is not None:
        p["rise_frames"] = max(1, int(round(rise_s * rate)))
    if after_s is not None:
        p["after"] = max(0, int(round(after_s * rate)))
    return p


def summary(errors_ms, total):
    e = np.array(errors_ms)
    if len(e) == 0:
        return f"{0:4d}/{total:<4d} started"
    return (f"{len(e):4d}/{total:<4d} started  median {np.median(e):+6.1f} ms  |err| median {np.median(np.abs(e)):5.1f} ms  "
            f"within 25 ms {np.mean(np.abs(e) <= 25):.3f}  within 50 ms {np.mean(np.abs(e) <= 50):.3f}")


def report(data, hop, locator, label):
    by = defaultdict(lambda: defaultdict(list))
    totals = defaultdict(int)
    for case, d, notes in data:
        for on, old, new, path in starts(d, notes, locator):
            groups = [case["category"], f"{case['category']} via {path}"]
            if path in ("change", "voicing"):
                groups.append(f"{case['category']} via arrival")
            for group in groups:
                totals[group] += 1
                if old is not None:
                    by[group]["old"].append(1000 * (old - on))
                    by[group]["new"].append(1000 * (new - on))
    print(f"hop {hop}, {label}")
    for group in sorted(totals):
        for rule in ("old", "new"):
            if rule == "old" or "spectral" not in group:
                print(f"  {group:22} {rule}: {summary(by[group][rule], totals[group])}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True, action="append")
    ap.add_argument("--etude", default="build/native/src/cli/etude")
    ap.add_argument("--hops", type=int, nargs="+", default=[256, 240, 512], help="256: the live hop at 48 kHz; 240: at 44.1 kHz (the sets' rate); 512: the CLI's")
    ap.add_argument("--categories", nargs="+", default=["legato", "sung"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sweep", action="store_true", help="also try the locator's level-rise and after-voicing spans in seconds, and min_strength")
    args = ap.parse_args()
    cases = [c for path in args.cases for c in json.load(open(path)) if c.get("set") == "pitch" and c["category"] in args.categories]
    tag = binary_tag(args.etude)
    for hop in args.hops:
        with Pool(args.jobs) as pool:
            paths = pool.map(cache, [(args.etude, tag, c, hop) for c in cases])
        data = [(c, np.load(p), truth_notes(c)) for c, p in zip(cases, paths)]
        report(data, hop, lambda rate: shipped(rate), "locator defaults (rise_frames 2, voicing_after_frames 1, min_strength 1.1)")
        if args.sweep:
            for rise_s, after_s, ms in [(0.0213, 0.0107, 1.1), (0.0213, None, 1.1), (None, 0.0107, 1.1), (0.0213, 0.0107, 0.8), (0.0213, 0.0107, 1.5)]:
                report(data, hop, lambda rate: shipped(rate, ms, rise_s, after_s), f"rise {rise_s} s, after {after_s} s, min_strength {ms}")


if __name__ == "__main__":
    main()
