#!/usr/bin/env python3
"""Evaluate the shipped chord-template scorer on synthetic chroma (no audio involved).

    .venv/bin/python models/chord_templates/evaluate.py                    # Markdown tables for the card
    .venv/bin/python models/chord_templates/evaluate.py --json out.json    # also machine-readable
    .venv/bin/python models/chord_templates/evaluate.py --fit-temperature  # how BETA was chosen

Runs models/chord_templates.onnx with onnxruntime (the model that ships, not a re-implementation).

Synthetic chroma for one chord: each chord tone gets a random weight U(0.3, 1.0) (voicing, inversion,
doubling), optionally "harmonic leakage" (each tone also puts 0.30x its weight on the pitch class a
fifth up, its 3rd harmonic, and 0.15x a major third up, its 5th harmonic — what an FFT chroma of a real
instrument shows), then |N(0, sigma)| noise on all 12 bins. sigma is relative to a loudest tone of <= 1.
Deterministic: evaluation seed 2; temperature fitting uses seed 1 (a different draw).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BETA, LABELS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL = os.path.normpath(os.path.join(HERE, "..", "chord_templates.onnx"))
NOISE_LEVELS = [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0]
TRIALS = 200  # per class and condition

CHORD_TYPES = {  # intervals above the root; only maj and min are in the model's vocabulary
    "maj": (0, 4, 7), "min": (0, 3, 7),
    "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11), "min7": (0, 3, 7, 10),
    "dim": (0, 3, 6), "aug": (0, 4, 8), "sus2": (0, 2, 7), "sus4": (0, 5, 7),
}


def synth(rng, intervals, roots, sigma, harmonics):
    n = len(roots)
    x = np.zeros((n, 12))
    for i in intervals:
        w = rng.uniform(0.3, 1.0, n)
        pcs = (roots + i) % 12
        x[np.arange(n), pcs] += w
        if harmonics:
            x[np.arange(n), (pcs + 7) % 12] += 0.30 * w
            x[np.arange(n), (pcs + 4) % 12] += 0.15 * w
    x /= x.max(axis=1, keepdims=True)
    x += np.abs(rng.normal(0.0, sigma, x.shape))
    return x.astype(np.float32)


def triad_set(rng, sigma, harmonics, trials):
    xs, ys = [], []
    for k, label in enumerate(LABELS):
        quality = label.split(":")[1]
        roots = np.full(trials, k % 12)
        xs.append(synth(rng, CHORD_TYPES[quality], roots, sigma, harmonics))
        ys.append(np.full(trials, k))
    return np.concatenate(xs), np.concatenate(ys)


class Model:
    def __init__(self, path):
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        self.sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])

    def __call__(self, x):
        scores, probs = self.sess.run(["scores", "probabilities"], {"chroma": x})
        return scores, probs


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def ece(probs, y, bins=10):
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return total


def fit_temperature(model):
    rng = np.random.default_rng(1)
    xs, ys = [], []
    for sigma in [0.1, 0.2, 0.3, 0.5]:
        for harmonics in (False, True):
            x, y = triad_set(rng, sigma, harmonics, 100)
            xs.append(x)
            ys.append(y)
    x, y = np.concatenate(xs), np.concatenate(ys)
    scores, _ = model(x)
    betas = np.arange(1.0, 40.01, 0.5)
    nll = [float(-np.log(softmax(b * scores.astype(np.float64))[np.arange(len(y)), y] + 1e-12).mean())
           for b in betas]
    best = betas[int(np.argmin(nll))]
    print(f"calibration set: {len(y)} chroma (sigma 0.1-0.5, with and without harmonics, seed 1)")
    for b, v in zip(betas, nll):
        if b in (4, 8, 10, 12, 14, 16, 20, 30) or b == best:
            print(f"  beta {b:5.1f}  NLL {v:.4f}")
    print(f"best beta {best} (NLL {min(nll):.4f}); common.BETA = {BETA}")
    return best


def evaluate(model):
    rng = np.random.default_rng(2)
    out = {"triads": [], "other_chords": [], "beta": BETA, "trials_per_class": TRIALS}
    for harmonics in (False, True):
        for sigma in NOISE_LEVELS:
            x, y = triad_set(rng, sigma, harmonics, TRIALS)
            scores, probs = model(x)
            order = np.argsort(-scores, axis=1, kind="stable")
            top1 = float((order[:, 0] == y).mean())
            top3 = float((order[:, :3] == y[:, None]).any(axis=1).mean())
            nll = float(-np.log(probs[np.arange(len(y)), y].astype(np.float64) + 1e-12).mean())
            per_class = [(order[y == k, 0] == k).mean() for k in range(24)]
            out["triads"].append({
                "harmonics": harmonics, "sigma": sigma, "n": int(len(y)), "top1": top1, "top3": top3,
                "worst_class_top1": float(min(per_class)), "nll": nll, "ece": float(ece(probs, y)),
                "mean_top_prob": float(probs.max(axis=1).mean()),
            })
    # Out-of-vocabulary chords: what does the baseline call them? (clean-ish: sigma 0.1, no harmonics)
    for name in ["7", "maj7", "min7", "dim", "aug", "sus2", "sus4"]:
        roots = np.tile(np.arange(12), TRIALS // 12 + 1)[:TRIALS]
        x = synth(rng, CHORD_TYPES[name], roots, 0.1, False)
        scores, probs = model(x)
        top = scores.argmax(axis=1)
        same_root = float(np.mean(top % 12 == roots))
        triad_q = {"7": 0, "maj7": 0, "min7": 1}.get(name)
        as_triad = float(np.mean(top == triad_q * 12 + roots)) if triad_q is not None else None
        margin = np.sort(scores, axis=1)
        out["other_chords"].append({
            "chord": name, "n": int(len(roots)), "top_label_has_same_root": same_root,
            "labelled_as_its_triad": as_triad,
            "mean_top_prob": float(probs.max(axis=1).mean()),
            "mean_score_margin_top1_top2": float((margin[:, -1] - margin[:, -2]).mean()),
        })
    return out


def markdown(res):
    lines = ["| harmonics | noise sigma | top-1 | top-3 | worst class top-1 | NLL | ECE | mean top prob |",
             "|---|---|---|---|---|---|---|---|"]
    for r in res["triads"]:
        lines.append(f"| {'yes' if r['harmonics'] else 'no'} | {r['sigma']:.2f} | {r['top1']:.3f} | {r['top3']:.3f} "
                     f"| {r['worst_class_top1']:.3f} | {r['nll']:.3f} | {r['ece']:.3f} | {r['mean_top_prob']:.3f} |")
    lines += ["", "| chord (not in vocabulary; σ 0.1, no harmonics) | top label has the right root | labelled as its triad | "
              "mean top prob | mean score margin top1-top2 |", "|---|---|---|---|---|"]
    for r in res["other_chords"]:
        t = "—" if r["labelled_as_its_triad"] is None else f"{r['labelled_as_its_triad']:.3f}"
        lines.append(f"| {r['chord']} | {r['top_label_has_same_root']:.3f} | {t} | {r['mean_top_prob']:.3f} "
                     f"| {r['mean_score_margin_top1_top2']:.3f} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--json", help="write the results here as JSON")
    ap.add_argument("--fit-temperature", action="store_true")
    args = ap.parse_args()
    model = Model(args.model)
    if args.fit_temperature:
        fit_temperature(model)
        return
    res = evaluate(model)
    print(markdown(res))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
