#!/usr/bin/env python3
"""Probe, not a method: what RPA reads if each of Etude's voiced frames is moved to its first partial's peak.

A time-domain tracker fits one period to all the partials, so it reads a piano with stretched strings
sharp (sample_tuning.py --isolated fluidr3 piano ...). This probe measures how much reading the first
partial would change, before any of it goes into src/dsp: every voiced frame of `etude analyze pitch` is
moved to the peak of a Blackman-Harris-windowed DTFT (a window of --window-s centred on the frame time,
evaluated every 2 cents within +-40 cents of Etude's f0, with a parabola through the log magnitudes at the
peak). Frames below 5 window bins (122 Hz for 41 ms), where the first partial is not resolved from the
second, keep their f0, and so do frames whose peak lies at the edge of the search. With --stretch-cents S
a frame moves only when its partials are stretched like a piano string's: the 2nd, 3rd and 4th partials,
each found the same way near whole multiples of the first, rise in that order from 0 cents or more and the
4th is at least S cents sharp.

Usage: .venv/bin/python bench/accuracy/first_partial_probe.py --cases bench/out/accuracy_dev_v3/cases.json
         [--etude build/native/src/cli/etude] [--window-s 0.041] [--conditions clean snr10] [--stretch-cents 6]
Prints RPA@10c per fluidsynth file (the first condition) and RPA@50c / RPA@10c per group, before -> after.
"""
import json
import warnings

import numpy as np
import soundfile as sf
from scipy.signal.windows import blackmanharris

import run_benchmark as rb


def partial_cents(segment, rate, hz, offsets):
    """Cents of the DTFT peak within +-40 cents of hz (None at the search's edge)."""
    cents = np.arange(-40, 41, 2.0)
    freqs = hz * 2 ** (cents / 1200)
    level = np.log(np.abs(np.exp(-2j * np.pi * np.outer(freqs, offsets) / rate) @ segment) + 1e-20)
    k = int(np.argmax(level))
    if k in (0, len(level) - 1):
        return None
    a, b, d = level[k - 1], level[k], level[k + 1]
    return cents[k] + 2.0 * (0.5 * (a - d) / (a - 2 * b + d) if a - 2 * b + d < 0 else 0.0)


def first_partial(x, rate, times, f0, window_s, stretch_cents=None):
    """stretch_cents: move a frame only when its 4th partial lies at least this far sharp of four times its
    first and the 2nd, 3rd and 4th partials rise in that order (a stretched string); None moves every frame."""
    out = f0.copy()
    n = int(window_s * rate) | 1
    half = n // 2
    w = blackmanharris(n)
    offsets = np.arange(n) - half
    for i in np.where(f0 >= 5.0 / window_s)[0]:
        c = int(round(times[i] * rate))
        if c - half < 0 or c + half + 1 > len(x):
            continue
        segment = x[c - half:c + half + 1] * w
        first = partial_cents(segment, rate, f0[i], offsets)
        if first is None:
            continue
        if stretch_cents is not None:
            f1 = f0[i] * 2 ** (first / 1200)
            if 4 * f1 > rate / 2 - 100:
                continue
            higher = [partial_cents(segment, rate, k * f1, offsets) for k in (2, 3, 4)]
            if any(h is None for h in higher) or not (0 <= higher[0] <= higher[1] <= higher[2]) or higher[2] < stretch_cents:
                continue
        out[i] = f0[i] * 2 ** (first / 1200)
    return out


def main():
    ap = rb.analysis_parser(__doc__)
    ap.add_argument("--window-s", type=float, default=0.041)
    ap.add_argument("--conditions", nargs="+", default=["clean", "snr10"])
    ap.add_argument("--stretch-cents", type=float, default=None,
                    help="move only frames whose partials are stretched: the 4th at least this many cents sharp of "
                         "four times the first, the 2nd to 4th rising (default: move every frame)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    cases = [c for c in json.load(open(args.cases)) if c["set"] == "pitch" and c["condition"] in args.conditions]
    groups = {}
    for c in cases:
        x, rate = sf.read(c["path"], dtype="float64")
        t, f = rb.etude_pitch(args.etude, c["path"])
        f = np.maximum(f, 0.0)
        before, after = rb.score_pitch(c, t, f), rb.score_pitch(c, t, first_partial(x, rate, t, f, args.window_s, args.stretch_cents))
        source = "synth" if c["source"] == "synth" else "fluidsynth"
        groups.setdefault((source, c["condition"]), []).append((before["rpa50"], after["rpa50"], before["rpa10"], after["rpa10"]))
        if source == "fluidsynth" and c["condition"] == args.conditions[0]:
            print(f"| {c['name']} | RPA@10c {before['rpa10']:.3f} -> {after['rpa10']:.3f} |", flush=True)
    for (source, condition), r in sorted(groups.items()):
        r = np.mean(r, axis=0)
        print(f"| {source} {condition} | RPA@50c {r[0]:.3f} -> {r[1]:.3f} | RPA@10c {r[2]:.3f} -> {r[3]:.3f} |")


if __name__ == "__main__":
    main()
