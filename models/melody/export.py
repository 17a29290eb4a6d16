#!/usr/bin/env python3
"""Export the trained generator to ONNX, check it against PyTorch, write labels and the golden pair.

    .venv/bin/python models/melody/export.py            # build/models/melody/run/generator.pt -> models/
    .venv/bin/python models/melody/export.py --ckpt C --out DIR

Writes <out>/melody_gan.onnx, melody_gan.labels.json (token names), melody_gan.golden.json
(fixed noise + conditions -> PyTorch probabilities and argmax tokens; onnxruntime is not used to make
it) and prints the PyTorch-vs-onnxruntime agreement on 256 random inputs.

ONNX interface (opset 17, IR 8, batch N dynamic):
    inputs   noise      float32 [N,32]  standard normal
             condition  float32 [N,28]  key one-hot 12 | mode 2 | difficulty 5 | meter 4 | bars 3 |
                                        (low-66)/18, (high-66)/18   (common.cond_vector)
    outputs  logits        float32 [N,64,39]
             probabilities float32 [N,64,39]  softmax over the 39 tokens (rest, hold, C3..C6)
Decode: tokens = argmax over the last axis (or sample), keep the first bars*steps_per_bar steps,
apply common.decode (HOLD at step 0 = REST).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
from model import Z_DIM, Generator, n_params  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OPSET = 17
GOLDEN_ATOL = 1e-4  # float32 PyTorch vs onnxruntime / onnxruntime-web on probabilities

GOLDEN_CASES = [
    # name, key, mode, difficulty, meter, bars, low, high
    ("C major, easy, 4/4, 4 bars, C4-C5", 0, 0, 1, "4/4", 4, 60, 72),
    ("A minor, medium, 6/8, 2 bars, A3-E5", 9, 1, 3, "6/8", 2, 57, 76),
    ("F# major, hard, 3/4, 3 bars, C4-A5", 6, 0, 5, "3/4", 3, 60, 81),
    ("E-flat minor, 2/4, 4 bars, difficulty 2, G3-G5", 3, 1, 2, "2/4", 4, 55, 79),
]


def golden_inputs():
    noise = np.random.default_rng(20261124).standard_normal((len(GOLDEN_CASES), Z_DIM)).astype(np.float32)
    cond = np.stack([C.cond_vector(k, m, dif, C.METERS.index(me), b, lo, hi)
                     for _, k, m, dif, me, b, lo, hi in GOLDEN_CASES])
    return noise, cond


def load_generator(ckpt):
    gen = Generator()
    gen.load_state_dict(torch.load(ckpt, map_location="cpu"))
    gen.eval()
    return gen


def export(gen, path):
    noise = torch.zeros(2, Z_DIM)
    cond = torch.from_numpy(np.stack([C.cond_vector(0, 0, 1, 2, 4, 60, 72)] * 2))
    torch.onnx.export(gen, (noise, cond), path, opset_version=OPSET, input_names=["noise", "condition"],
                      output_names=["logits", "probabilities"],
                      dynamic_axes={"noise": {0: "N"}, "condition": {0: "N"}, "logits": {0: "N"},
                                    "probabilities": {0: "N"}}, do_constant_folding=True)
    m = onnx.load(path)
    m.ir_version = 8
    m.doc_string = "Etude melody GAN generator; see models/melody_gan.card.md"
    m.producer_name = "etude models/melody/export.py"
    onnx.helper.set_model_props(m, {
        "labels": json.dumps(C.labels()), "z_dim": str(Z_DIM), "t_max": str(C.T_MAX),
        "meters": json.dumps(C.METERS), "steps_per_bar": json.dumps(C.STEPS_PER_BAR), "bars": json.dumps(C.BARS),
        "condition_layout": "key[12] mode[2] difficulty[5] meter[4] bars[3] (low-66)/18 (high-66)/18",
        "pitch_lo": str(C.PITCH_LO),
    })
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)


def ort_session(path):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", default=os.path.join(ROOT, "build", "models", "melody", "run", "generator.pt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "models"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    gen = load_generator(args.ckpt)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "melody_gan.onnx")
    export(gen, path)
    with open(os.path.join(args.out, "melody_gan.labels.json"), "w") as f:
        json.dump(C.labels(), f)
        f.write("\n")

    # PyTorch vs onnxruntime on random inputs (random keys/modes/... one-hots and ranges)
    rng = np.random.default_rng(0)
    n = 256
    noise = rng.standard_normal((n, Z_DIM)).astype(np.float32)
    cond = np.stack([C.cond_vector(rng.integers(12), rng.integers(2), rng.integers(1, 6), rng.integers(4),
                                   C.BARS[rng.integers(3)], lo, lo + rng.integers(7, 25))
                     for lo in rng.integers(50, 66, n)])
    with torch.no_grad():
        tl, tp = gen(torch.from_numpy(noise), torch.from_numpy(cond))
    ol, op = ort_session(path).run(["logits", "probabilities"], {"noise": noise, "condition": cond})
    agree = {"cases": n, "max_abs_logits": float(np.abs(ol - tl.numpy()).max()),
             "max_abs_probabilities": float(np.abs(op - tp.numpy()).max()),
             "argmax_agreement": float((ol.argmax(2) == tl.numpy().argmax(2)).mean())}
    print(json.dumps(agree))

    noise, cond = golden_inputs()
    with torch.no_grad():
        _, gp = gen(torch.from_numpy(noise), torch.from_numpy(cond))
    gp = gp.numpy().astype(np.float64)
    cases = []
    for i, (name, k, m, dif, me, b, lo, hi) in enumerate(GOLDEN_CASES):
        length = C.n_steps(C.METERS.index(me), b)
        toks = gp[i].argmax(1)
        cases.append({
            "name": name,
            "conditions": {"key": k, "mode": C.MODES[m], "difficulty": dif, "meter": me, "bars": b,
                           "low": lo, "high": hi},
            "noise": [float(x) for x in noise[i]],
            "condition": [float(x) for x in cond[i]],
            "steps": length,
            "expected": {"probabilities": [[float(f"{v:.6g}") for v in row] for row in gp[i]]},
            "expected_tokens": [int(t) for t in toks],
            "expected_notes": [[s, d, p] for s, d, p in C.notes_of(toks, length)],
        })
    golden = {
        "model": "melody_gan",
        "generator": "models/melody/export.py (PyTorch float32 reference, not onnxruntime)",
        "inputs": ["noise", "condition"], "outputs": ["logits", "probabilities"],
        "checked_output": "probabilities",
        "labels": C.labels(),
        "tolerance": {"atol": GOLDEN_ATOL},
        "torch_vs_onnxruntime": agree,
        "generator_params": n_params(gen),
        "cases": cases,
    }
    with open(os.path.join(args.out, "melody_gan.golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path):,} bytes), golden with {len(cases)} cases")


if __name__ == "__main__":
    main()
