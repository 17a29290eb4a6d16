#!/usr/bin/env python3
"""Tunes how pitch-track onsets (legato note changes, voicing starts) combine with SuperFlux onsets, on a
DEVELOPMENT set only (make_dataset.py --seed 7 --out bench/out/accuracy_dev), never on the reported cases.

It runs `etude analyze features` and `etude analyze pitch` once per file at the onsets command's hop
(cached as .npz next to the wav), then replays src/dsp/note_tracker.cpp's logic in Python for each
parameter setting and scores onset F@50ms per category with mir_eval, as run_benchmark.py does.
--locate sweeps src/dsp/onset_locator.cpp (what `etude analyze onsets` ships: pitch-change and voicing
cues placed at the onset-strength bump in front of them) instead of the older rules.

Usage: .venv/bin/python bench/accuracy/tune_onsets.py --cases bench/out/accuracy_dev/cases.json \
         [--cases bench/out/accuracy_dev2/cases.json] --etude build/native/src/cli/etude [--jobs 2] [--locate]
"""
import argparse
import itertools
import json
import os
import subprocess
from collections import defaultdict
from multiprocessing import Pool

import mir_eval
import numpy as np


def csv(text):
    lines = [l for l in text.strip().splitlines()[1:] if l]
    return np.array([[float(v) for v in l.split(",")] for l in lines]) if lines else np.zeros((0, 3))


HOP = "512"  # `etude analyze onsets` and `pitch` default at 44.1 kHz, the sets' rate (features default to the live hop)


def cache(args):
    etude, case = args
    out = case["path"][:-4] + ".onsets512.npz"
    if not os.path.exists(out):
        feats = csv(subprocess.run([etude, "analyze", "features", "--hop", HOP, case["path"]], check=True, capture_output=True, text=True).stdout)
        pitch = csv(subprocess.run([etude, "analyze", "pitch", case["path"]], check=True, capture_output=True, text=True).stdout)
        np.savez(out, ftime=feats[:, 0], onset=feats[:, 6], strength=feats[:, 5], level=feats[:, 4], ptime=pitch[:, 0], f0=pitch[:, 1])
    return out


def note_onsets(ptime, f0, spectral_flag, frame_rate, cents, change_s, min_note_s=0.05, gap_s=0.03):
    """NoteTracker (src/dsp/note_tracker.cpp) replayed: returns [(onset_s, kind)], kind 'voicing' | 'change' | 'spectral'."""
    attack = max(1, round(0.02 * frame_rate))
    gap = max(1, round(gap_s * frame_rate))
    change = max(1, round(change_s * frame_rate))
    frame_s = 1.0 / frame_rate
    out = []
    active = False
    psum = pcount = frames_in = unvoiced = exc = 0
    exc_sum = exc_start = exc_first = 0.0
    onset_s = 0.0
    for t, f, sp in zip(ptime, f0, spectral_flag):
        voiced = f > 0
        midi = 69 + 12 * np.log2(f / 440.0) if voiced else 0.0

        def open_(time, kind):
            nonlocal active, psum, pcount, frames_in, unvoiced, exc, onset_s
            active, psum, pcount, frames_in, unvoiced, exc = True, 0.0, 0, 0, 0, 0
            onset_s = time
            out.append((time, kind))

        if not active:
            if not voiced:
                continue
            open_(t, "voicing")
        elif not voiced:
            unvoiced += 1
            if unvoiced >= gap:
                active = False
            continue
        elif sp and frames_in * frame_s >= min_note_s:
            open_(t, "spectral")
        elif pcount >= change:
            mean = psum / pcount
            if abs(midi - mean) * 100 >= cents:
                if exc == 0 or (midi > mean) != (exc_first > mean):
                    exc, exc_sum, exc_start, exc_first = 0, 0.0, t, midi
                exc += 1
                exc_sum += midi
                if exc >= change:
                    s, c = exc_sum, exc
                    open_(exc_start, "change")
                    psum, pcount, frames_in = s, c, c
                    continue
            else:
                exc = 0
        unvoiced = 0
        frames_in += 1
        if frames_in == attack + 1:
            psum, pcount = 0.0, 0
        psum += midi
        pcount += 1
    return out


def combine(spectral, notes, rule, near=0.05, late=0.12):
    """rule 'current': add change onsets with no spectral onset within `near` (today's CLI).
    rule 'voicing': also voicing starts. rule 'lead': as 'voicing', and a spectral onset that follows a
    pitch-track onset by up to `late` s is the same note's slow attack: keep the earlier time only."""
    kinds = ("change",) if rule == "current" else ("change", "voicing")
    extra = [t for t, k in notes if k in kinds]
    times = list(spectral)
    if rule == "lead":
        times = [s for s in spectral if not any(0 < s - t <= late for t in extra)]
    for t in extra:
        if not any(abs(s - t) < near for s in times):
            times.append(t)
    return np.sort(np.array(times))


def locate(strength, level, cue, kind, frame_rate, change_window=0.15, voicing_window=0.10, fraction=0.5,
           min_strength=1.1, rise_frames=2, after=1):
    """src/dsp/onset_locator.cpp replayed: the frame where the attack in front of a pitch cue begins, or -1."""
    window = change_window if kind == "change" else voicing_window
    first = max(0, cue - int(window * frame_rate))
    last = min(len(strength) - 1, cue + after) if kind == "voicing" else cue

    def value(i):
        if kind == "voicing" and (i < rise_frames or not level[i] > level[i - rise_frames]):
            return 0.0
        return strength[i]

    best, peak = -1, 0.0
    for i in range(first, last + 1):
        if value(i) > peak:
            best, peak = i, value(i)
    if best < 0 or peak < min_strength:
        return -1
    while best > first and value(best - 1) >= fraction * peak:
        best -= 1
    return best


def located(d, notes, near=0.05, **params):
    """src/cli/commands.cpp onset_times() replayed: spectral onsets plus located pitch-track cues."""
    ftime = d["ftime"]
    rate = 1.0 / float(np.median(np.diff(ftime)))
    lead = d["ptime"][0] - ftime[0] if len(d["ptime"]) else 0.0
    times = list(ftime[(d["onset"] > 0) & (ftime >= 0)])
    for t, kind in notes:
        if kind == "spectral":
            continue
        cue = max(0, int(np.searchsorted(ftime + lead, t + 1e-4, side="right")) - 1)
        j = locate(d["strength"], d["level"], cue, kind, rate, **params)
        if j < 0:
            continue
        q = ftime[j]
        if q >= 0 and not any(abs(s - q) < near for s in times):
            times.append(q)
    return np.sort(np.array(times))


def locate_sweep(data):
    cats = ["legato", "plucked", "percussive", "sung"]
    print("locator: change_window voicing_window fraction min_strength | " + " ".join(f"{c:>10}" for c in cats) + "   (* = shipped)")
    grid = [(0.15, 0.10, 0.5, 1.1)]
    grid += [(cw, vw, fr, ms) for cw, vw, fr, ms in itertools.product([0.10, 0.15, 0.20], [0.06, 0.10, 0.15], [0.3, 0.5, 0.7], [0.0, 1.1, 2.0])
             if (cw, vw, fr, ms) != grid[0] and sum([cw != 0.15, vw != 0.10, fr != 0.5, ms != 1.1]) == 1]
    for cw, vw, fr, ms in grid:
        scores = defaultdict(list)
        for case, d, notes in data:
            est = located(d, notes, change_window=cw, voicing_window=vw, fraction=fr, min_strength=ms)
            scores[case["category"]].append(mir_eval.onset.f_measure(np.array(case["onsets"]), est, window=0.05)[0])
        mark = "*" if (cw, vw, fr, ms) == grid[0] else " "
        print(f"{mark} {cw:.2f} {vw:.2f} {fr:.1f} {ms:.1f} | " + " ".join(f"{np.mean(scores[c]):10.3f}" for c in cats), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True, action="append", help="a development set's cases.json (repeatable)")
    ap.add_argument("--etude", default="build/native/src/cli/etude")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--locate", action="store_true", help="sweep the onset locator (the shipped rule) instead of the older rules")
    args = ap.parse_args()
    cases = [c for path in args.cases for c in json.load(open(path)) if "onsets" in c]
    with Pool(args.jobs) as pool:
        paths = pool.map(cache, [(args.etude, c) for c in cases])
    data = []
    for case, path in zip(cases, paths):
        d = np.load(path)
        spacing = float(np.median(np.diff(d["ftime"])))
        lead = (d["ptime"][0] - d["ftime"][0]) % spacing if len(d["ptime"]) else 0.0
        spectral = d["ftime"][(d["onset"] > 0) & (d["ftime"] >= 0)]
        flag = np.zeros(len(d["ptime"]), bool)
        for s in spectral:
            j = int(np.argmin(np.abs(d["ptime"] - (s + lead)))) if len(d["ptime"]) else 0
            if len(flag) and abs(d["ptime"][j] - (s + lead)) < spacing / 2:
                flag[j] = True
        data.append((case, d["ptime"], d["f0"], flag, spectral, 1.0 / spacing))
    if args.locate:
        locate_sweep([(case, np.load(path), note_onsets(ptime, f0, flag, rate, 75, 0.08))
                      for (case, ptime, f0, flag, spectral, rate), path in zip(data, paths)])
        return
    grid = [("current", 75, 0.08, 0.12)]
    for rule, cents, change_s, late in itertools.product(["voicing", "lead"], [50, 75], [0.04, 0.06, 0.08], [0.08, 0.12]):
        if rule == "voicing" and late != 0.12:
            continue
        grid.append((rule, cents, change_s, late))
    print("rule cents change_s late | " + " ".join(f"{c:>10}" for c in ["legato", "plucked", "percussive", "sung"]))
    for rule, cents, change_s, late in grid:
        scores = defaultdict(list)
        for case, ptime, f0, flag, spectral, rate in data:
            notes = note_onsets(ptime, f0, flag, rate, cents, change_s)
            est = combine(spectral, notes, rule, late=late)
            scores[case["category"]].append(mir_eval.onset.f_measure(np.array(case["onsets"]), est, window=0.05)[0])
        print(f"{rule:8} {cents:3} {change_s:.2f} {late:.2f} | " + " ".join(f"{np.mean(scores[c]):10.3f}" for c in ["legato", "plucked", "percussive", "sung"]), flush=True)
    print("today's rule, onsets moved back to where the new pitch began: window cents | clean / all conditions")
    for window, cents in itertools.product([0.06, 0.10, 0.15], [30, 50, 80]):
        scores = defaultdict(list)
        for case, ptime, f0, flag, spectral, rate in data:
            est = np.sort(backdate(combine(spectral, note_onsets(ptime, f0, flag, rate, 75, 0.08), "current"), ptime, f0, window, cents))
            f = mir_eval.onset.f_measure(np.array(case["onsets"]), est, window=0.05)[0]
            scores[(case["category"], "all")].append(f)
            if case["condition"] == "clean":
                scores[(case["category"], "clean")].append(f)
        print(f"{window:.2f} {cents:3} | " + " ".join(f"{np.mean(scores[(c, 'clean')]):.3f}/{np.mean(scores[(c, 'all')]):.3f}"
                                                     for c in ["legato", "plucked", "percussive", "sung"]), flush=True)



def backdate(onsets, ptime, f0, window, cents):
    """Moves each onset back to where the pitch it leads into began: the start of the run of voiced frames
    within `cents` of the median pitch over the 50 ms after the onset, looking back at most `window` s.
    A run that reaches the window's start (the same pitch before: a repeated note) leaves the onset as is."""
    if len(ptime) == 0:
        return onsets
    midi = np.where(f0 > 0, 69 + 12 * np.log2(np.maximum(f0, 1e-9) / 440.0), np.nan)
    out = []
    for s in onsets:
        after = (ptime >= s) & (ptime <= s + 0.05) & ~np.isnan(midi)
        if not after.any():
            out.append(s)
            continue
        target = np.median(midi[after])
        j = int(np.searchsorted(ptime, s))
        start = s
        k = min(j, len(ptime) - 1)
        while k >= 0 and ptime[k] >= s - window and not np.isnan(midi[k]) and abs(midi[k] - target) * 100 < cents:
            start = ptime[k]
            k -= 1
        reached = k >= 0 and ptime[k] < s - window
        out.append(s if reached else min(s, start))
    return np.array(out)


if __name__ == "__main__":
    main()
