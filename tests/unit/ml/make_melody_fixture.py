#!/usr/bin/env python3
"""Writes the fixture tests/unit/ml/test_melody_codec.cpp checks the C++ melody codec against:
the real generator (models/melody_gan.onnx, onnxruntime on the CPU) on random conditions and noises,
with the Python reference (models/melody/common.py) applied to its output.

    .venv/bin/python tests/unit/ml/make_melody_fixture.py OUT.txt [--cases 160] [--seed 7]

Plain text, one record per line, so the C++ test needs no JSON parser:
    model CASES
    case key mode difficulty meter_index bars low high steps
    cond <28 float32 as 8 hex digits of their bits>
    probs <64*39 float32 as hex bits>
    tokens <steps ints: argmax per step, as the shipped evaluation decodes>
    events <n> then n triples: start dur midi (-1 = rest)   (common.decode)
    tokens_only CASES        random token strings (hold at step 0, runs of rests) and their decode:
    seq <length> <tokens...>
    events ...
"""
import argparse
import os
import sys

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "melody"))
import common as C  # noqa: E402
import onnxruntime as ort  # noqa: E402


def hexes(a):
    return " ".join(f"{int(v):08x}" for v in np.asarray(a, dtype=np.float32).view(np.uint32).ravel())


def events_line(events):
    flat = []
    for s, d, p in events:
        flat += [s, d, -1 if p is None else p]
    return "events " + " ".join(str(x) for x in [len(events)] + flat)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--cases", type=int, default=160)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(os.path.join(ROOT, "models", "melody_gan.onnx"), so, providers=["CPUExecutionProvider"])

    rows = []
    for _ in range(args.cases):
        key, mode, dif, meter = int(rng.integers(12)), int(rng.integers(2)), int(rng.integers(1, 6)), int(rng.integers(4))
        bars = int(C.BARS[rng.integers(3)])
        low = int(rng.integers(48, 74))
        high = int(min(84, low + rng.integers(5, 25)))
        rows.append((key, mode, dif, meter, bars, low, high))
    cond = np.stack([C.cond_vector(*r) for r in rows]).astype(np.float32)
    noise = rng.standard_normal((len(rows), 32)).astype(np.float32)
    _, probs = sess.run(["logits", "probabilities"], {"noise": noise, "condition": cond})

    lines = [f"model {len(rows)}"]
    for i, (key, mode, dif, meter, bars, low, high) in enumerate(rows):
        steps = C.n_steps(meter, bars)
        toks = probs[i].argmax(1)
        lines.append(f"case {key} {mode} {dif} {meter} {bars} {low} {high} {steps}")
        lines.append("cond " + hexes(cond[i]))
        lines.append("probs " + hexes(probs[i]))
        lines.append("tokens " + " ".join(str(int(t)) for t in toks[:steps]))
        lines.append(events_line(C.decode(toks, steps)))

    # Token strings the model rarely writes: hold at step 0, rests after holds, long rests.
    n_seq = 200
    lines.append(f"tokens_only {n_seq}")
    for _ in range(n_seq):
        length = int(rng.integers(1, C.T_MAX + 1))
        p = np.array([0.2, 0.35] + [0.45 / C.N_PITCH] * C.N_PITCH)
        toks = rng.choice(C.VOCAB, size=length, p=p / p.sum())
        lines.append("seq " + " ".join(str(int(t)) for t in [length] + list(toks)))
        lines.append(events_line(C.decode(toks, length)))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
