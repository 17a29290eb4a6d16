#!/usr/bin/env python3
"""Build the chord-template scorer (models/chord_templates.onnx) and its golden pair.

    .venv/bin/python models/chord_templates/make_model.py            # model + labels
    .venv/bin/python models/chord_templates/make_model.py --golden   # also the golden JSON
    .venv/bin/python models/chord_templates/make_model.py --out DIR  # write somewhere else

Deterministic: no randomness except a fixed-seed noise vector in one golden case, no timestamps in
the files. The model is a hand-made baseline (no training): cosine similarity between a 12-bin
chroma vector and the binary templates of the 24 major/minor triads, plus a temperature softmax.

Graph (opset 17, dynamic batch N):
    norm   = ReduceL2(chroma, axes=[1], keepdims=1)             [N,1]
    scores = MatMul(chroma, T / sqrt(3)) / Max(norm, EPSILON)    [N,24]
    probabilities = Softmax(BETA * scores, axis=1)               [N,24]
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BETA, EPSILON, LABELS, OPSET, PITCH_CLASSES, template_matrix  # noqa: E402

MODEL_NAME = "chord_templates"
REPO_MODELS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
GOLDEN_ATOL = 1e-5  # float32 graph vs float64 NumPy reference; observed error is ~1e-7


def build_model() -> onnx.ModelProto:
    t = template_matrix()
    weights = (t / np.linalg.norm(t, axis=0, keepdims=True)).astype(np.float32)  # unit-norm columns
    inits = [
        numpy_helper.from_array(weights, "templates_unit"),
        numpy_helper.from_array(np.array(EPSILON, dtype=np.float32), "epsilon"),
        numpy_helper.from_array(np.array(BETA, dtype=np.float32), "beta"),
    ]
    nodes = [
        helper.make_node("ReduceL2", ["chroma"], ["norm"], axes=[1], keepdims=1, name="l2_norm"),
        helper.make_node("Max", ["norm", "epsilon"], ["safe_norm"], name="guard_zero"),
        helper.make_node("MatMul", ["chroma", "templates_unit"], ["dot"], name="template_dot"),
        helper.make_node("Div", ["dot", "safe_norm"], ["scores"], name="cosine"),
        helper.make_node("Mul", ["scores", "beta"], ["logits"], name="temperature"),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1, name="softmax"),
    ]
    graph = helper.make_graph(
        nodes,
        "chord_templates",
        [helper.make_tensor_value_info("chroma", TensorProto.FLOAT, ["N", 12])],
        [
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 24]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 24]),
        ],
        initializer=inits,
        doc_string="Cosine similarity of a 12-bin chroma (C..B) with 24 major/minor triad templates.",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="etude models/chord_templates/make_model.py",
        producer_version="1",
        doc_string="Etude chord-template baseline; see models/chord_templates.card.md",
    )
    model.ir_version = 8  # onnx 1.12 default; read by onnxruntime 1.20 and onnxruntime-web 1.30
    helper.set_model_props(model, {"labels": json.dumps(LABELS), "beta": repr(BETA), "epsilon": repr(EPSILON)})
    onnx.checker.check_model(model, full_check=True)
    return model


# ---------------------------------------------------------------------------------------------
# Golden pair. The expected outputs come from this independent float64 re-implementation, which
# parses the label strings instead of using template_matrix(), and never runs onnxruntime.

_INTERVALS = {"maj": (0, 4, 7), "min": (0, 3, 7)}


def reference_outputs(chroma):
    x = np.asarray(chroma, dtype=np.float64)
    scores = np.zeros((x.shape[0], len(LABELS)))
    for k, label in enumerate(LABELS):
        root_name, quality = label.split(":")
        root = PITCH_CLASSES.index(root_name)
        members = [(root + i) % 12 for i in _INTERVALS[quality]]
        for n in range(x.shape[0]):
            norm = math.sqrt(sum(v * v for v in x[n]))
            scores[n, k] = sum(x[n, m] for m in members) / (math.sqrt(len(members)) * max(norm, EPSILON))
    z = BETA * scores
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return scores, p


def _triad(label, weights=(1.0, 1.0, 1.0)):
    root_name, quality = label.split(":")
    root = PITCH_CLASSES.index(root_name)
    v = np.zeros(12)
    for w, i in zip(weights, _INTERVALS[quality]):
        v[(root + i) % 12] += w
    return v


def golden_cases():
    rng = np.random.default_rng(20261124)
    noisy = _triad("C:min") + np.abs(rng.normal(0.0, 0.25, 12))
    single = np.zeros(12)
    single[PITCH_CLASSES.index("A")] = 1.0
    return [
        ("clean C:maj", "C, E, G with equal weight", [_triad("C:maj")]),
        ("clean A:min", "A, C, E with equal weight", [_triad("A:min")]),
        ("clean F#:maj", "F#, A#, C# with equal weight", [_triad("F#:maj")]),
        ("C:maj first inversion", "E loudest (bass), then G, then C: same pitch classes, so C:maj",
         [_triad("C:maj", weights=(0.5, 1.0, 0.6))]),
        ("noisy C:min", "C:min plus |N(0, 0.25)| on every bin, seed 20261124", [noisy]),
        ("single note A", "only A: six triads contain A and tie at 1/sqrt(3)", [single]),
        ("all zeros", "silence: scores all 0, probabilities uniform 1/24", [np.zeros(12)]),
        ("G:maj x1000", "scale invariance: same scores as a unit-scale G:maj", [1000.0 * _triad("G:maj")]),
        ("D:min x0.001", "scale invariance at small scale", [0.001 * _triad("D:min")]),
        ("batch of all 24 triads", "dynamic batch: row k is the clean triad LABELS[k]",
         [_triad(label) for label in LABELS]),
    ]


def make_golden():
    cases = []
    for name, description, rows in golden_cases():
        chroma = np.asarray(rows, dtype=np.float32)  # the exact float32 values the model will see
        scores, probs = reference_outputs(chroma.astype(np.float64))
        tops = []
        for row in scores:
            order = np.argsort(-row, kind="stable")
            unique = row[order[0]] - row[order[1]] > 1e-4
            tops.append(LABELS[order[0]] if unique else None)
        cases.append({
            "name": name,
            "description": description,
            "chroma": [[float(v) for v in r] for r in chroma],
            "expected": {
                "scores": [[float(v) for v in r] for r in scores],
                "probabilities": [[float(v) for v in r] for r in probs],
            },
            "expected_top": tops,
        })
    return {
        "model": MODEL_NAME,
        "generator": "models/chord_templates/make_model.py --golden (NumPy float64 reference, not onnxruntime)",
        "input": "chroma",
        "outputs": ["scores", "probabilities"],
        "labels": LABELS,
        "tolerance": {"atol": GOLDEN_ATOL},
        "cases": cases,
    }


def _compact_json(obj) -> str:
    """Indented JSON with every innermost list (a chroma row, a label list) on one line."""
    text = json.dumps(obj, indent=1)
    return re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]",
                  lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=REPO_MODELS, help="output folder (default: models/)")
    ap.add_argument("--golden", action="store_true", help="also write <name>.golden.json")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    model = build_model()
    onnx_path = os.path.join(args.out, f"{MODEL_NAME}.onnx")
    with open(onnx_path, "wb") as f:
        f.write(model.SerializeToString())
    with open(os.path.join(args.out, f"{MODEL_NAME}.labels.json"), "w") as f:
        json.dump(LABELS, f, indent=1)
        f.write("\n")
    written = [onnx_path, f"{MODEL_NAME}.labels.json"]
    if args.golden:
        with open(os.path.join(args.out, f"{MODEL_NAME}.golden.json"), "w") as f:
            f.write(_compact_json(make_golden()) + "\n")
        written.append(f"{MODEL_NAME}.golden.json")
    n_params = sum(int(np.prod(i.dims)) for i in model.graph.initializer)
    print(f"wrote {', '.join(os.path.basename(w) for w in written)} to {args.out} "
          f"({os.path.getsize(onnx_path)} bytes, {n_params} parameters, opset {OPSET})")


if __name__ == "__main__":
    main()
