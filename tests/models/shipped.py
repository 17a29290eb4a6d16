"""What the model tests share: where a shipped model's files are, and loading them as CI checks them
(onnxruntime on the CPU, one thread, quiet)."""
import json
import os

import onnxruntime as ort

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODELS = os.path.join(ROOT, "models")


def paths(name):
    """(model.onnx, labels.json, golden.json) of models/<name>."""
    return tuple(os.path.join(MODELS, f"{name}{ext}") for ext in (".onnx", ".labels.json", ".golden.json"))


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def load(name):
    """(onnxruntime session, labels, golden) of models/<name>."""
    model, labels, golden = paths(name)
    with open(labels) as f, open(golden) as g:
        return session(model), json.load(f), json.load(g)
