#!/usr/bin/env python3
"""Tunes the tempo estimator's prior (src/dsp/tempo.cpp, replayed here in numpy) on a DEVELOPMENT set
(make_dataset.py --seed 7 --out bench/out/accuracy_dev: drum patterns and click tracks at other tempi than
the reported set's), never on the reported cases. Reads the onset-strength envelope from
`etude analyze features` (cached as .env.npy next to each wav) and scores Acc1 (within 4%).

Usage: .venv/bin/python bench/accuracy/tune_tempo.py --cases bench/out/accuracy_dev/cases.json \
         bench/out/accuracy_dev2/cases.json --etude build/native/src/cli/etude
(development sets: make_dataset.py --seed 7 / --seed 8)
"""
import argparse
import json
import os
import subprocess

import numpy as np


def envelope(etude, path):
    out = path[:-4] + ".env.npy"
    if not os.path.exists(out):
        text = subprocess.run([etude, "analyze", "features", path], check=True, capture_output=True, text=True).stdout
        rows = [l.split(",") for l in text.strip().splitlines()[1:]]
        times = np.array([float(r[0]) for r in rows])
        env = np.array([float(r[5]) for r in rows])
        np.save(out, np.stack([times, env]))
    return np.load(out)


def tempo(env, frame_rate, prior_bpm=120.0, prior_octaves=1.0, min_bpm=40.0, max_bpm=240.0):
    sigma = max(0.5, 0.02 * frame_rate)
    radius = int(np.ceil(3 * sigma))
    k = np.arange(-radius, radius + 1)
    g = np.exp(-0.5 * k * k / (sigma * sigma))
    n = len(env)
    s = np.convolve(env, g, mode="same")
    w = np.convolve(np.ones(n), g, mode="same")
    e = s / w
    min_lag = max(1, int(np.floor(60 * frame_rate / max_bpm)))
    max_lag = int(np.ceil(60 * frame_rate / min_bpm))
    e = e - e.mean()
    zero = float(np.dot(e, e))
    acf = np.array([np.dot(e[lag:], e[: n - lag]) / zero for lag in range(max_lag + 2)])
    best, best_score = -1, 0.0
    for lag in range(min_lag, max_lag + 1):
        if not (acf[lag] >= acf[lag - 1] and acf[lag] >= acf[lag + 1]):
            continue
        z = np.log2(60 * frame_rate / lag / prior_bpm) / prior_octaves
        score = acf[lag] * np.exp(-0.5 * z * z)
        if score > best_score:
            best, best_score = lag, score
    if best < 0:
        return 0.0
    a, b, c = acf[best - 1], acf[best], acf[best + 1]
    lag = best + (np.clip(0.5 * (a - c) / (a - 2 * b + c), -0.5, 0.5) if a - 2 * b + c < 0 else 0)
    return 60 * frame_rate / lag


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True, nargs="+")
    ap.add_argument("--etude", default="build/native/src/cli/etude")
    args = ap.parse_args()
    cases = [c for path in args.cases for c in json.load(open(path)) if "bpm" in c]
    data = []
    for c in cases:
        t, env = envelope(args.etude, c["path"])
        data.append((c, env, 1.0 / float(np.median(np.diff(t)))))
    print("prior_bpm octaves | Acc1 (all conditions) | misses")
    for prior in [120, 130, 140, 145, 150, 155]:
        for octaves in [0.5, 0.7, 1.0, 1.4]:
            hits, misses = [], []
            for c, env, rate in data:
                bpm = tempo(env, rate, prior, octaves)
                ok = abs(bpm - c["bpm"]) <= 0.04 * c["bpm"]
                hits.append(ok)
                if not ok:
                    misses.append(f"{c['bpm']}->{bpm:.0f}")
            print(f"{prior:4} {octaves:.1f} | {np.mean(hits):.3f} | {' '.join(sorted(set(misses)))}", flush=True)


if __name__ == "__main__":
    main()
