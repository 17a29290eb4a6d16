#!/usr/bin/env python3
"""Train, evaluate and export the chord classifier (models/chord_classifier.onnx).

    .venv/bin/python models/chords/train.py            # full run: search, CV, curves, ablation, export, card
    .venv/bin/python models/chords/train.py --smoke    # CI: tiny data and epochs, everything to a temp dir

Reads build/models/data/chords/{manifest.jsonl,features.npz} (made by make_dataset.py from
`etude analyze features --model-frames`, the project's only feature code: every 2nd frame at the live
hop, the frames the app feeds the model, src/ml/chord_input.h). Single CPU thread, deterministic seeds.

Model input: the newest CONTEXT_FRAMES model frames, fields common.FEATURE_SETS[feature_set] of each,
flattened frame-major to one float32 row (input name "frames", shape [N, T*F]). Outputs "scores"
(logits) and "probabilities" (softmax), shape [N, 133] in the order of chord_classifier.labels.json.

Architecture (root-equivariant CNN): the chroma and bass-chroma frames form a [channels, time, 12]
image; the root-invariant scalar fields (rms_dbfs, flatness, ...) are standardised inside the graph and
broadcast over the 12 pitch classes. Convolutions wrap around the pitch-class axis (circular padding),
so transposing the input by k semitones moves every chord's score by k roots: the network learns each
quality once, for all 12 roots. Conv(4x12, stride 4 in time) -> ReLU -> Conv(3x3) + residual -> ReLU ->
mean+max over time -> per-root 1x1 layers -> 11 quality logits per root (132) and, from the max over
roots, one "N" logit.

The CQT input (FeatureFrame semitone_28..95: the 68-semitone spectrum E1..B6 the chroma is folded from) uses
the same network with a different first layer: a Conv(4x24) slides along the semitone axis (each position
sees two octaves above a candidate root), and its ReLU outputs are max-pooled over the octaves of each
pitch class, giving the same [channels, time/4, 12] root-position map. It keeps the octave (which note is
lowest, how the chord is spread) that chroma folds away.

Which input ships: the architecture is searched with all live fields; then the 5-fold cross-validation
compares the feature sets, and the final model reads the set with the best mean CV accuracy among those
the app computes live (common.SHIPPABLE_FEATURE_SETS). The test clips play no part in either choice.
"""
import argparse
import copy
import json
import os
import re
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (BASS_FIELDS, CHROMA_FIELDS, CONTEXT_FRAMES, DATA, EXTRA_FIELDS, FEATURE_SETS,  # noqa: E402
                    LABELS, MODEL_NAME, MODELS, N_CLASSES, N_INDEX, OPSET, PITCH_CLASSES, QUALITY_NAMES,
                    REPORTS, SEMITONE_FIELDS, SHIPPABLE_FEATURE_SETS, pcset_of_label)

# Every field any feature set reads, in this order: the columns of load_data()'s X.
ALL_FIELDS = FEATURE_SETS["chroma+bass+extra"] + SEMITONE_FIELDS
# Window end times (s) sampled from every clip: the chord starts at 0.05 s and is released at 1.25 s,
# so these cover the attack, the sustain and the start of the release.
WINDOW_END_TIMES = [0.45, 0.7, 0.95, 1.2, 1.45]
TEST_EVERY = 7  # clips whose id % 7 == 0 are the test set (never used for choices); the rest is "dev"


# ------------------------------------------------------------------------------------------------
# Data

def load_data(data_dir, T=CONTEXT_FRAMES, fields=None):
    """Windows of T model frames: X [n, T, len(fields)] (default ALL_FIELDS), labels, clip index, window end
    time and the clips."""
    fields = ALL_FIELDS if fields is None else list(fields)
    with open(os.path.join(data_dir, "manifest.jsonl")) as f:
        clips = [json.loads(line) for line in f]
    d = np.load(os.path.join(data_dir, "features.npz"))
    names = [str(n) for n in d["fields"]]
    missing = [f for f in fields if f not in names]
    if missing:
        raise SystemExit(f"{data_dir}/features.npz lacks fields {missing[:3]}{'...' if len(missing) > 3 else ''}: "
                         "it was made by an older make_dataset.py; refresh it with "
                         f"`make_dataset.py --stage features --out {data_dir}`")
    idx = [names.index(f) for f in fields]
    t_idx = names.index("time_s")
    frames, offsets = d["frames"], d["offsets"]
    assert list(d["ids"]) == [c["id"] for c in clips], "manifest and features.npz disagree"
    X, y, clip_of, end_time = [], [], [], []
    for ci, c in enumerate(clips):
        fr = frames[offsets[ci]:offsets[ci + 1]]
        times = fr[:, t_idx]
        for te in WINDOW_END_TIMES:
            e = int(np.searchsorted(times, te, side="right")) - 1  # newest frame at or before te
            if e + 1 < T:
                continue
            X.append(fr[e - T + 1:e + 1][:, idx])
            y.append(LABELS.index(c["label"]))
            clip_of.append(ci)
            end_time.append(te)
    prov = json.loads(str(d["provenance"])) if "provenance" in d.files else None
    for c in clips:
        c["_feature_provenance"] = prov
    return (np.asarray(X, np.float32), np.asarray(y, np.int64), np.asarray(clip_of, np.int64),
            np.asarray(end_time, np.float32), clips)


def field_index(feature_set):
    return [ALL_FIELDS.index(f) for f in FEATURE_SETS[feature_set]]


# ------------------------------------------------------------------------------------------------
# Model

class ChordNet(nn.Module):
    def __init__(self, fields, T=CONTEXT_FRAMES, channels=24, hidden=32, dropout=0.1, extra_mean=None, extra_std=None):
        super().__init__()
        assert T % 4 == 0
        self.fields, self.T, self.F = list(fields), T, len(fields)
        self.cqt = list(fields) == SEMITONE_FIELDS
        assert self.cqt or fields[:12] == CHROMA_FIELDS
        self.has_bass = not self.cqt and fields[12:24] == BASS_FIELDS
        self.n_extra = 0 if self.cqt else self.F - 12 - 12 * self.has_bass
        assert self.cqt or fields[12 + 12 * self.has_bass:] == EXTRA_FIELDS[:self.n_extra]
        cin = 1 + int(self.has_bass) + self.n_extra
        self.register_buffer("extra_mean", torch.as_tensor(
            extra_mean if extra_mean is not None else np.zeros(self.n_extra), dtype=torch.float32))
        self.register_buffer("extra_std", torch.as_tensor(
            extra_std if extra_std is not None else np.ones(self.n_extra), dtype=torch.float32))
        if self.cqt:
            # semitone axis: MIDI 28 + p; position p sees semitones p..p+23 (two octaves above it)
            self.low_midi = int(SEMITONE_FIELDS[0].split("_")[1])
            self.conv1 = nn.Conv2d(1, channels, kernel_size=(4, 24), stride=(4, 1))
        else:
            self.conv1 = nn.Conv2d(cin, channels, kernel_size=(4, 12), stride=(4, 1))
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=(3, 3), padding=(1, 0))
        self.drop = nn.Dropout(dropout)
        self.head = nn.Conv1d(2 * channels, hidden, 1)
        self.quality = nn.Conv1d(hidden, len(QUALITY_NAMES), 1)
        self.none = nn.Linear(hidden, 1)
        self.config = dict(channels=channels, hidden=hidden, dropout=dropout)

    def forward(self, x):  # x: [N, T*F], frame-major
        x = x.reshape(-1, self.T, self.F)
        if self.cqt:
            return self.rest(self.cqt_roots(x))
        parts = [x[:, :, 0:12].unsqueeze(1)]
        off = 12
        if self.has_bass:
            parts.append(x[:, :, 12:24].unsqueeze(1))
            off = 24
        if self.n_extra:
            e = (x[:, :, off:] - self.extra_mean) / self.extra_std  # [N, T, E]
            e = e.permute(0, 2, 1).unsqueeze(3)  # [N, E, T, 1]
            parts.append(e.expand(-1, -1, -1, 12))
        h = torch.cat(parts, dim=1)  # [N, cin, T, 12]
        h = torch.cat([h, h[:, :, :, :11]], dim=3)  # circular: position r sees pitch classes r..r+11
        return self.rest(F.relu(self.conv1(h)))  # [N, C, T/4, 12]

    def cqt_roots(self, x):  # [N, T, 68] semitones -> [N, C, T/4, 12] root positions
        h = F.pad(x.unsqueeze(1), (0, 23))  # silence above B6
        h = F.relu(self.conv1(h))  # [N, C, T/4, 68]: position p = a root at MIDI low_midi + p
        lead = self.low_midi % 12  # put MIDI 12k at index 0 of each 12, so index % 12 is the pitch class
        tail = (-(lead + self.F)) % 12
        h = F.pad(h, (lead, tail))  # zeros are neutral after ReLU
        n, c, t, w = h.shape
        return h.reshape(n, c, t, w // 12, 12).amax(dim=3)  # the strongest octave of each root

    def rest(self, h):
        h2 = torch.cat([h[:, :, :, 11:], h, h[:, :, :, :1]], dim=3)
        h = F.relu(h + self.conv2(h2))
        h = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)  # [N, 2C, 12]
        h = F.relu(self.head(self.drop(h)))  # [N, hidden, 12]
        chords = self.quality(h).reshape(-1, 12 * len(QUALITY_NAMES))  # index = 12 * quality + root
        none = self.none(h.amax(dim=2))  # [N, 1]
        return torch.cat([chords, none], dim=1)


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, frames):
        scores = self.net(frames)
        return scores, torch.softmax(scores, dim=1)


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def make_model(cfg, Xtr_sel):
    fields = FEATURE_SETS[cfg["features"]]
    n_extra = 0 if fields == SEMITONE_FIELDS else len(fields) - 24 if fields[12:24] == BASS_FIELDS else len(fields) - 12
    mean = std = None
    if n_extra:
        e = Xtr_sel[:, :, -n_extra:].reshape(-1, n_extra)
        mean, std = e.mean(0), e.std(0) + 1e-3
    return ChordNet(fields, channels=cfg["channels"], hidden=cfg["hidden"], dropout=cfg["dropout"],
                    extra_mean=mean, extra_std=std)


def predict_logits(model, X, batch=2048):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(X), batch):
            out.append(model(torch.from_numpy(X[i:i + batch].reshape(len(X[i:i + batch]), -1))).numpy())
    return np.concatenate(out) if out else np.zeros((0, N_CLASSES), np.float32)


def train_model(X, y, cfg, epochs, seed=0, Xva=None, yva=None, track=False):
    """X: [n, T, 28] (all fields); selects cfg['features']. Returns model, history."""
    sel = field_index(cfg["features"])
    Xs = X[:, :, sel]
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = make_model(cfg, Xs)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    steps = max(1, epochs * int(np.ceil(len(Xs) / cfg["batch"])))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"], total_steps=steps)
    Xt = torch.from_numpy(Xs.reshape(len(Xs), -1))
    yt = torch.from_numpy(y)
    hist = {"epoch": [], "train_loss": [], "train_acc": [], "val_loss": [], "val_acc": [], "epoch_mean_batch_loss": []}
    sub = rng.permutation(len(Xs))[:2000]
    for ep in range(epochs):
        model.train()
        perm = torch.from_numpy(rng.permutation(len(Xs)))
        losses = []
        for i in range(0, len(Xs), cfg["batch"]):
            b = perm[i:i + cfg["batch"]]
            loss = F.cross_entropy(model(Xt[b]), yt[b], label_smoothing=cfg["label_smoothing"])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            losses.append(float(loss))
        hist["epoch_mean_batch_loss"].append(float(np.mean(losses)))
        if track:
            hist["epoch"].append(ep + 1)
            lt = predict_logits(model, Xs[sub])
            hist["train_loss"].append(float(F.cross_entropy(torch.from_numpy(lt), yt[sub])))
            hist["train_acc"].append(float(np.mean(lt.argmax(1) == y[sub])))
            if Xva is not None:
                lv = predict_logits(model, Xva[:, :, sel])
                hist["val_loss"].append(float(F.cross_entropy(torch.from_numpy(lv), torch.from_numpy(yva))))
                hist["val_acc"].append(float(np.mean(lv.argmax(1) == yva)))
    model.eval()
    return model, hist


def model_predict(model, cfg, X):
    return predict_logits(model, X[:, :, field_index(cfg["features"])])


# ------------------------------------------------------------------------------------------------
# Metrics

PCSETS = [pcset_of_label(lab) for lab in LABELS]


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def metrics(logits, y):
    pred = logits.argmax(1)
    top3 = np.argsort(-logits, axis=1)[:, :3]
    is_n, pred_n = y == N_INDEX, pred == N_INDEX
    tp = np.sum(is_n & pred_n)
    prec = tp / max(1, pred_n.sum())
    rec = tp / max(1, is_n.sum())
    chord = ~is_n
    root_ok = np.array([p != N_INDEX and p % 12 == t % 12 for p, t in zip(pred[chord], y[chord])])
    qual_ok = np.array([p != N_INDEX and p // 12 == t // 12 for p, t in zip(pred[chord], y[chord])])
    p = softmax(logits)
    return {
        "n": int(len(y)),
        "accuracy": float(np.mean(pred == y)),
        "top3": float(np.mean([t in row for t, row in zip(y, top3)])),
        "pcset_accuracy": float(np.mean([PCSETS[a] == PCSETS[b] for a, b in zip(pred, y)])),
        "root_accuracy_chords": float(np.mean(root_ok)) if chord.any() else None,
        "quality_accuracy_chords": float(np.mean(qual_ok)) if chord.any() else None,
        "n_f1": float(2 * prec * rec / max(1e-12, prec + rec)),
        "nll": float(np.mean(-np.log(p[np.arange(len(y)), y] + 1e-12))),
    }


def mean_sd(rows, keys=("accuracy", "top3", "pcset_accuracy", "root_accuracy_chords", "quality_accuracy_chords", "n_f1", "nll")):
    out = {}
    for k in keys:
        v = np.array([r[k] for r in rows if r.get(k) is not None], dtype=float)
        out[k] = {"mean": float(v.mean()), "sd": float(v.std(ddof=1)) if len(v) > 1 else 0.0, "folds": v.round(4).tolist()}
    return out


def breakdown(logits, y, keys):
    """Accuracy per value of keys (array of str) -> {value: {n, accuracy}}."""
    pred = logits.argmax(1)
    out = {}
    for v in sorted(set(keys)):
        m = keys == v
        out[str(v)] = {"n": int(m.sum()), "accuracy": float(np.mean(pred[m] == y[m]))}
    return out


def folds_of(clips, dev_clips, k, seed):
    """k folds over dev clips, stratified by quality; returns a list of (train_clip_ids, val_clip_ids)."""
    from sklearn.model_selection import StratifiedKFold
    q = np.array([clips[c]["quality"] for c in dev_clips])
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(dev_clips[a], dev_clips[b]) for a, b in skf.split(dev_clips, q)]


def windows_of(clip_of, clip_ids):
    return np.flatnonzero(np.isin(clip_of, clip_ids))


# ------------------------------------------------------------------------------------------------
# Baselines

def template_baseline(X, y):
    """models/chord_templates.onnx (the shipped baseline) on the window-mean chroma, maj/min windows only."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(MODELS, "chord_templates.onnx"), so, providers=["CPUExecutionProvider"])
    with open(os.path.join(MODELS, "chord_templates.labels.json")) as f:
        tlabels = json.load(f)
    assert tlabels == LABELS[:24]
    m = y < 24
    chroma = X[m][:, :, :12].mean(axis=1).astype(np.float32)
    scores, _ = sess.run(["scores", "probabilities"], {"chroma": chroma})
    return m, scores.argmax(1)


def logreg_features(X):
    Xs = X[:, :, field_index("chroma+bass+extra")]
    return np.concatenate([Xs.mean(axis=1), Xs.std(axis=1)], axis=1)


def logreg_fit_predict(Xtr, ytr, Xte):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=500))
    clf.fit(logreg_features(Xtr), ytr)
    proba = np.full((len(Xte), N_CLASSES), 1e-9)
    proba[:, clf.classes_] = clf.predict_proba(logreg_features(Xte))
    return np.log(proba)


# ------------------------------------------------------------------------------------------------
# Interpretability

def pitch_class_columns(fields, p):
    """The columns of `fields` that belong to pitch class p: chroma_p and bass_chroma_p, or every octave of
    p in the semitone spectrum."""
    if fields == SEMITONE_FIELDS:
        return [j for j, f in enumerate(fields) if int(f.split("_")[1]) % 12 == p]
    return [j for j, f in enumerate(fields) if f in (f"chroma_{p}", f"bass_chroma_{p}")]


def occlusion(predict, x, fields, target=None, group=4):
    """Occlusion over pitch classes and time for ONE input window x [T, F] (F = `fields`, the model's).
    predict: [n, T, F] -> probabilities [n, 133]. Pitch class p is occluded by zeroing its columns
    (pitch_class_columns: chroma_p and bass_chroma_p, or all its semitones) in every frame; time group g
    by zeroing every pitch column of frames g*group..(g+1)*group-1 (the scalar fields stay). Returns the
    drop in the probability of `target` (default: the predicted label) for each: positive = the evidence
    was used. All 12 + T/group occluded copies go through the model as one batch (src/app/chord_window.cpp
    builds the same batch live)."""
    T, Fn = x.shape
    pitch = sorted(j for p in range(12) for j in pitch_class_columns(fields, p))
    batch = [x]
    for p in range(12):
        z = x.copy()
        z[:, pitch_class_columns(fields, p)] = 0
        batch.append(z)
    for g in range(T // group):
        z = x.copy()
        z[g * group:(g + 1) * group, pitch] = 0
        batch.append(z)
    prob = predict(np.stack(batch))
    target = int(prob[0].argmax()) if target is None else target
    drop = prob[0, target] - prob[1:, target]
    return {"target": LABELS[target], "p_target": float(prob[0, target]),
            "pitch_class": drop[:12].round(5).tolist(), "time": drop[12:].round(5).tolist()}


# ------------------------------------------------------------------------------------------------
# Export

def export_onnx(model, path):
    wrapper = Exported(model).eval()
    dummy = torch.zeros(2, model.T * model.F)
    torch.onnx.export(wrapper, dummy, path, opset_version=OPSET, input_names=["frames"],
                      output_names=["scores", "probabilities"],
                      dynamic_axes={"frames": {0: "N"}, "scores": {0: "N"}, "probabilities": {0: "N"}},
                      do_constant_folding=True)
    import onnx
    m = onnx.load(path)
    m.doc_string = "Etude chord classifier; see models/chord_classifier.card.md"
    m.producer_name = "etude models/chords/train.py"
    onnx.helper.set_model_props(m, {"labels": json.dumps(LABELS), "fields": json.dumps(model.fields),
                                    "context_frames": str(model.T)})
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)


def ort_session(path):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def make_golden(model, X, y, clips, clip_of, test_idx):
    """Golden cases: real test windows (several families/qualities), a transposed copy, silence-like
    zeros and a batch. Expected outputs from PyTorch (float32); the export check compares onnxruntime."""
    cases = []

    def add(name, desc, rows):
        rows = np.asarray(rows, np.float32).reshape(len(rows), -1)
        with torch.no_grad():
            s, p = Exported(model)(torch.from_numpy(rows))
        s, p = s.numpy(), p.numpy()
        tops = []
        for r in s:
            o = np.argsort(-r)
            tops.append(LABELS[o[0]] if r[o[0]] - r[o[1]] > 1e-2 else None)
        cases.append({"name": name, "description": desc, "chroma": rows.tolist(),
                      "expected": {"scores": s.tolist(), "probabilities": p.tolist()}, "expected_top": tops})

    sel = [ALL_FIELDS.index(f) for f in model.fields]
    picked = []
    for want in ["C:maj", "A:min", "G:7", "D:min7", "F:maj7", "B:dim", "N"]:
        for i in test_idx:
            if LABELS[y[i]] == want and i not in picked:
                picked.append(i)
                break
    for i in picked:
        c = clips[clip_of[i]]
        add(f"test window {c['harte']} ({c['family']}, {c['source']}, {c['register']})",
            f"clip {c['id']} of the data set, frames ending at the window end; label {c['label']}"
            + (f", N kind {c['none_kind']}" if c['label'] == "N" else ""), [X[i][:, sel]])
    if picked:
        x = X[picked[0]][:, sel].copy()
        if model.cqt:
            x[:, 2:] = x[:, :-2].copy()
            x[:, :2] = 0
            how = "semitone spectrum shifted up by 2"
        else:
            x[:, :12] = np.roll(x[:, :12], 2, axis=1)
            if model.has_bass:
                x[:, 12:24] = np.roll(x[:, 12:24], 2, axis=1)
            how = "chroma and bass chroma rolled by 2"
        add("transposed +2 semitones", f"the first case with its {how}: root-equivariance", [x])
    z = np.zeros((model.T, model.F), np.float32)
    if model.n_extra:
        z[:, model.F - model.n_extra:] = [-120.0, 0.0, 0.0, 0.0][:model.n_extra]
    add("all zeros (silence frames)", "chroma or semitones 0, rms_dbfs -120, other fields 0, as the DSP emits for silence", [z])
    add("batch of the real windows", "dynamic batch: the test windows above in one call", [X[i][:, sel] for i in picked])
    return {
        "model": MODEL_NAME,
        "generator": "models/chords/train.py (PyTorch float32; checked against onnxruntime at export)",
        "input": "frames",
        "input_note": "each row of 'chroma' is one model input: CONTEXT_FRAMES frames x fields, frame-major "
                      "(named 'chroma' for the ML worker's generic self-test)",
        "fields": model.fields, "context_frames": model.T,
        "outputs": ["scores", "probabilities"], "labels": LABELS,
        "tolerance": {"atol": 1e-4}, "cases": cases,
    }


def compact_json(obj):
    text = json.dumps(obj, indent=1)
    return re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]", lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)


# ------------------------------------------------------------------------------------------------
# Plots (small PNGs)

def plots(rep, out_dir, prefix):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    paths = {}
    # learning curves
    fig, ax = plt.subplots(1, 2, figsize=(8, 3), dpi=80)
    lc = rep["learning_curve_size"]
    ax[0].plot(lc["train_windows"], lc["train_acc"], "o-", label="train")
    ax[0].plot(lc["train_windows"], lc["val_acc"], "o-", label="validation")
    ax[0].set_xscale("log")
    ax[0].set_xlabel("training windows")
    ax[0].set_ylabel("accuracy")
    ax[0].legend()
    ax[0].set_title("vs data size")
    h = rep["learning_curve_epochs"]
    ax[1].plot(h["epoch"], h["train_loss"], label="train loss")
    ax[1].plot(h["epoch"], h["val_loss"], label="val loss")
    ax[1].set_xlabel("epoch")
    ax[1].set_ylabel("cross-entropy")
    ax[1].legend()
    ax[1].set_title("vs epochs")
    fig.tight_layout()
    paths["learning_curves"] = os.path.join(out_dir, f"{prefix}_learning_curves.png")
    fig.savefig(paths["learning_curves"])
    plt.close(fig)
    # quality confusion (root ignored) of the out-of-fold predictions
    cm = np.asarray(rep["confusion_quality"]["matrix"], float)
    names = rep["confusion_quality"]["labels"]
    fig, ax = plt.subplots(figsize=(5.2, 4.6), dpi=80)
    cmn = cm / np.maximum(cm.sum(1, keepdims=True), 1)
    ax.imshow(cmn, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=7)
    for i in range(len(names)):
        for j in range(len(names)):
            if cmn[i, j] >= 0.05:
                ax.text(j, i, f"{cmn[i, j]:.2f}", ha="center", va="center", fontsize=5,
                        color="white" if cmn[i, j] > 0.5 else "black")
    ax.set_xlabel("predicted quality")
    ax.set_ylabel("true quality")
    ax.set_title("quality confusion (5-fold out-of-fold)", fontsize=9)
    fig.tight_layout()
    paths["confusion"] = os.path.join(out_dir, f"{prefix}_confusion.png")
    fig.savefig(paths["confusion"])
    plt.close(fig)
    # occlusion example
    occ = rep["occlusion_examples"]
    fig, axes = plt.subplots(len(occ), 2, figsize=(7, 1.8 * len(occ)), dpi=80, squeeze=False)
    for row, ex in zip(axes, occ):
        row[0].bar(PITCH_CLASSES, ex["pitch_class"], color="tab:blue")
        row[0].set_title(f"{ex['true']} -> {ex['target']} (p={ex['p_target']:.2f}): pitch classes", fontsize=8)
        row[0].tick_params(labelsize=7)
        row[1].bar([f"{i * 4}-{i * 4 + 3}" for i in range(len(ex["time"]))], ex["time"], color="tab:orange")
        row[1].set_title("frames (oldest first)", fontsize=8)
        row[1].tick_params(labelsize=7)
    fig.tight_layout()
    paths["occlusion"] = os.path.join(out_dir, f"{prefix}_occlusion.png")
    fig.savefig(paths["occlusion"])
    plt.close(fig)
    return paths


# ------------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny run for CI; writes only to a temp dir (or --out)")
    ap.add_argument("--data", default=None, help="data folder (default build/models/data/chords[-quick])")
    ap.add_argument("--out", default=None, help="where the model files go (default models/; smoke: a temp dir)")
    ap.add_argument("--reports", default=None, help="where reports go (default models/reports; smoke: --out)")
    ap.add_argument("--epochs", type=int, default=None)
    args = ap.parse_args(argv)
    t_start = time.time()
    smoke = args.smoke
    data_dir = args.data or (DATA + ("-quick" if smoke else ""))
    tmp = None
    if smoke and not args.out:
        tmp = tempfile.mkdtemp(prefix="chord_smoke_")
    out_dir = args.out or tmp or MODELS
    rep_dir = args.reports or (out_dir if smoke else REPORTS)
    os.makedirs(out_dir, exist_ok=True)
    os.makedirs(rep_dir, exist_ok=True)
    E = args.epochs or 15
    K = 2 if smoke else 5
    timings = {}

    def log(msg):
        print(f"[train {time.time() - t_start:6.1f}s] {msg}", flush=True)

    X, y, clip_of, end_time, clips = load_data(data_dir)
    ids = np.array([c["id"] for c in clips])
    clip_idx = np.arange(len(clips))
    test_clips = clip_idx[ids % TEST_EVERY == 0]
    dev_clips = clip_idx[ids % TEST_EVERY != 0]
    dev_idx, test_idx = windows_of(clip_of, dev_clips), windows_of(clip_of, test_clips)
    log(f"{len(clips)} clips, {len(X)} windows of {X.shape[1]} frames x {X.shape[2]} fields; "
        f"dev {len(dev_idx)} windows / test {len(test_idx)}")
    meta = lambda key: np.array([str(clips[c][key]) for c in clip_of])  # noqa: E731
    family, register, quality = meta("family"), meta("register"), meta("quality")
    inversion = np.array([("root" if clips[c]["inversion"] == 0 else f"inv{clips[c]['inversion']}") for c in clip_of])
    source = np.array([clips[c]["source"].split(":")[0] for c in clip_of])
    rep = {"model": MODEL_NAME, "smoke": smoke, "data": os.path.relpath(data_dir, os.path.dirname(MODELS)),
           "clips": len(clips), "windows": int(len(X)), "dev_windows": int(len(dev_idx)),
           "test_windows": int(len(test_idx)), "context_frames": CONTEXT_FRAMES, "epochs": E,
           "window_end_times_s": WINDOW_END_TIMES, "labels": LABELS,
           "feature_provenance": clips[0]["_feature_provenance"] if clips else None}

    # 1. hyperparameter search on one validation split of the dev set (80/20 by clip) ----------
    t0 = time.time()
    base = dict(features="chroma+bass+extra", channels=24, hidden=32, dropout=0.1, lr=3e-3,
                weight_decay=1e-3, batch=128, label_smoothing=0.05)
    grid = [dict(base)] if smoke else [
        dict(base, channels=c, hidden=h, lr=lr, dropout=d)
        for c, h in [(16, 24), (32, 48), (48, 64)] for lr in (3e-3, 1e-2) for d in (0.1, 0.3)]
    tr_c, va_c = folds_of(clips, dev_clips, 5, seed=123)[0]
    tr_i, va_i = windows_of(clip_of, tr_c), windows_of(clip_of, va_c)
    search = []
    for cfg in grid:
        m, _ = train_model(X[tr_i], y[tr_i], cfg, E, seed=1)
        r = metrics(model_predict(m, cfg, X[va_i]), y[va_i])
        search.append({"config": cfg, "params": n_params(m), "val": r})
        log(f"search {cfg['channels']}/{cfg['hidden']} lr {cfg['lr']} drop {cfg['dropout']}: "
            f"val acc {r['accuracy']:.3f} nll {r['nll']:.3f} ({n_params(m)} params)")
    best = max(search, key=lambda s: (s["val"]["accuracy"], -s["val"]["nll"]))["config"]
    rep["search"] = {"split": "dev clips, StratifiedKFold(5, seed 123) fold 0 by quality: "
                              f"{len(tr_i)} train / {len(va_i)} validation windows", "results": search, "best": best}
    timings["search_s"] = time.time() - t0

    # 2. k-fold cross-validation: the feature ablation (which picks the shipped input) and the baselines
    t0 = time.time()
    folds = folds_of(clips, dev_clips, K, seed=0)
    oofs = {fs: np.zeros((len(X), N_CLASSES), np.float32) for fs in SHIPPABLE_FEATURE_SETS}
    ablation = {fs: [] for fs in FEATURE_SETS}
    lr_rows, tmpl_rows, triad_masks = [], [], []
    for k, (a, b) in enumerate(folds):
        ia, ib = windows_of(clip_of, a), windows_of(clip_of, b)
        for fs in FEATURE_SETS:
            cfg = dict(best, features=fs)
            m, _ = train_model(X[ia], y[ia], cfg, E, seed=k)
            lg = model_predict(m, cfg, X[ib])
            ablation[fs].append(metrics(lg, y[ib]))
            if fs in oofs:
                oofs[fs][ib] = lg
        lrl = logreg_fit_predict(X[ia], y[ia], X[ib])
        lr_rows.append(metrics(lrl, y[ib]))
        tm, tpred = template_baseline(X[ib], y[ib])
        tmpl_rows.append({"accuracy": float(np.mean(tpred == y[ib][tm])), "n": int(tm.sum())})
        triad_masks.append((ib, tm))
        log(f"fold {k}: " + ", ".join(f"{fs} {ablation[fs][-1]['accuracy']:.3f}" for fs in FEATURE_SETS)
            + f", logreg {lr_rows[-1]['accuracy']:.3f}, templates on triads {tmpl_rows[-1]['accuracy']:.3f}")
    # The shipped input: the live feature set with the best mean CV accuracy (architecture from the search).
    searched = best["features"]
    chosen = max(SHIPPABLE_FEATURE_SETS, key=lambda fs: np.mean([r["accuracy"] for r in ablation[fs]]))
    best = dict(best, features=chosen)
    oof = oofs[chosen]
    model_triad_rows = [{"accuracy": float(np.mean(oof[ib][tm].argmax(1) == y[ib][tm])),
                         "accuracy_restricted_24": float(np.mean(oof[ib][tm][:, :24].argmax(1) == y[ib][tm]))}
                        for ib, tm in triad_masks]
    paired = {fs: [round(a["accuracy"] - c["accuracy"], 4) for a, c in zip(ablation[fs], ablation[chosen])]
              for fs in FEATURE_SETS if fs != chosen}
    log(f"feature set chosen by CV: {chosen} (search ran on {searched}); fold-by-fold accuracy minus the chosen set's: {paired}")
    rep["feature_choice"] = {
        "rule": "the feature set of common.SHIPPABLE_FEATURE_SETS (fields of the live FeatureFrame) with the best mean "
                "5-fold CV accuracy; the architecture search above ran on chroma+bass+extra",
        "searched_with": searched, "chosen": chosen,
        "paired_accuracy_difference_vs_chosen": paired}
    rep["search"]["best"] = best
    rep["cv"] = {"k": K, "folds": "StratifiedKFold by quality over dev clips (seed 0); windows follow their clip",
                 "model": mean_sd(ablation[chosen]), "logistic_regression": mean_sd(lr_rows),
                 "feature_ablation": {fs: mean_sd(r) for fs, r in ablation.items()},
                 "triads_only": {"template_baseline": mean_sd(tmpl_rows, ("accuracy",)),
                                 "model": mean_sd(model_triad_rows, ("accuracy", "accuracy_restricted_24")),
                                 "windows": int(sum(r["n"] for r in tmpl_rows))}}
    d = dev_idx
    rep["cv"]["oof_overall"] = metrics(oof[d], y[d])
    rep["per_family"] = breakdown(oof[d], y[d], family[d])
    rep["per_register"] = breakdown(oof[d], y[d], register[d])
    rep["per_quality"] = breakdown(oof[d], y[d], quality[d])
    rep["per_inversion"] = breakdown(oof[d], y[d], inversion[d])
    rep["per_source"] = breakdown(oof[d], y[d], source[d])
    rep["per_window_end_s"] = breakdown(oof[d], y[d], np.array([f"{t:.2f}" for t in end_time[d]]))
    aug_keys = {
        "detuned>15c": np.array([abs(clips[c]["aug"]["detune_cents"]) > 15 for c in clip_of]),
        "reverb": np.array([clips[c]["aug"]["reverb"] is not None for c in clip_of]),
        "laptop_eq": np.array([bool(clips[c]["aug"]["laptop_eq"]) for c in clip_of]),
        "noise_snr<20dB": np.array([bool(clips[c]["aug"]["noise"]) and (clips[c]["aug"]["noise"]["snr_db"] or 99) < 20 for c in clip_of]),
        "44.1kHz": np.array([clips[c]["aug"]["sample_rate"] == 44100 for c in clip_of]),
    }
    rep["per_augmentation"] = {k: {"with": breakdown(oof[d], y[d], np.where(v[d], "with", "without")).get("with"),
                                   "without": breakdown(oof[d], y[d], np.where(v[d], "with", "without")).get("without")}
                               for k, v in aug_keys.items()}
    pred = oof[d].argmax(1)
    qn = QUALITY_NAMES + ["N"]
    qi = lambda idx: np.where(idx == N_INDEX, len(QUALITY_NAMES), idx // 12)  # noqa: E731
    cmq = np.zeros((len(qn), len(qn)), int)
    np.add.at(cmq, (qi(y[d]), qi(pred)), 1)
    cm = np.zeros((N_CLASSES, N_CLASSES), int)
    np.add.at(cm, (y[d], pred), 1)
    rep["confusion_quality"] = {"labels": qn, "matrix": cmq.tolist(), "note": "rows true, columns predicted; root ignored"}
    rep["confusion_full"] = {"note": "rows true, columns predicted, label order of labels.json", "matrix": cm.tolist()}
    wrong_root = [(int(p) % 12 - int(t) % 12) % 12 for p, t in zip(pred, y[d]) if p != N_INDEX and t != N_INDEX and p % 12 != t % 12]
    rep["root_error_intervals"] = {str(i): int(wrong_root.count(i)) for i in range(1, 12)}
    pairs = {}
    for t, p in zip(y[d], pred):
        if t != p:
            pairs[(LABELS[t], LABELS[p])] = pairs.get((LABELS[t], LABELS[p]), 0) + 1
    rep["top_confusions"] = [{"true": a, "pred": b, "count": n} for (a, b), n in sorted(pairs.items(), key=lambda kv: -kv[1])[:15]]
    timings["cv_ablation_baselines_s"] = time.time() - t0

    # 3. learning curves: vs epochs (best config, search split) and vs training-set size ------------
    t0 = time.time()
    _, hist = train_model(X[tr_i], y[tr_i], best, E, seed=1, Xva=X[va_i], yva=y[va_i], track=True)
    rep["learning_curve_epochs"] = hist
    lc = {"fraction": [], "train_windows": [], "train_acc": [], "val_acc": []}
    rng = np.random.default_rng(7)
    order = rng.permutation(tr_c)
    for frac in ([0.5, 1.0] if smoke else [0.05, 0.1, 0.25, 0.5, 1.0]):
        sub = windows_of(clip_of, order[:max(2, int(round(frac * len(order))))])
        m, _ = train_model(X[sub], y[sub], best, E, seed=1)
        lc["fraction"].append(frac)
        lc["train_windows"].append(int(len(sub)))
        lc["train_acc"].append(metrics(model_predict(m, best, X[sub]), y[sub])["accuracy"])
        lc["val_acc"].append(metrics(model_predict(m, best, X[va_i]), y[va_i])["accuracy"])
        log(f"learning curve {frac:.2f}: train {lc['train_acc'][-1]:.3f} val {lc['val_acc'][-1]:.3f}")
    rep["learning_curve_size"] = lc
    timings["learning_curves_s"] = time.time() - t0

    # 4. held-out timbre family: train without a family, test on that family's dev windows -------
    t0 = time.time()
    held = {}
    fams = ["pluck", "additive"] if smoke else ["piano", "guitar", "strings", "organ", "brass", "synth", "pluck", "additive"]
    for fam in fams:
        tr = dev_idx[family[dev_idx] != fam]
        te = dev_idx[family[dev_idx] == fam]
        if len(te) == 0:
            continue
        m, _ = train_model(X[tr], y[tr], best, E, seed=3)
        r = metrics(model_predict(m, best, X[te]), y[te])
        held[fam] = {"held_out": r, "in_training_cv": rep["per_family"].get(fam)}
        log(f"held-out family {fam}: {r['accuracy']:.3f} (in-distribution CV {rep['per_family'].get(fam, {}).get('accuracy', float('nan')):.3f})")
    rep["held_out_family"] = held
    timings["held_out_family_s"] = time.time() - t0

    # 5. final model on all dev data, evaluated once on the test clips, exported -----------------
    t0 = time.time()
    final, fhist = train_model(X[dev_idx], y[dev_idx], best, E, seed=0)
    rep["final_train_loss_first_last_epoch"] = [fhist["epoch_mean_batch_loss"][0], fhist["epoch_mean_batch_loss"][-1]]
    lt = model_predict(final, best, X[test_idx])
    rep["test"] = metrics(lt, y[test_idx])
    rep["test_per_family"] = breakdown(lt, y[test_idx], family[test_idx])
    rep["test_per_register"] = breakdown(lt, y[test_idx], register[test_idx])
    tm, tpred = template_baseline(X[test_idx], y[test_idx])
    rep["test_triads"] = {"template_baseline": float(np.mean(tpred == y[test_idx][tm])),
                          "model": float(np.mean(lt[tm].argmax(1) == y[test_idx][tm])), "windows": int(tm.sum())}
    lrl = logreg_fit_predict(X[dev_idx], y[dev_idx], X[test_idx])
    rep["test_logistic_regression"] = metrics(lrl, y[test_idx])
    rep["params"] = n_params(final)
    log(f"final: test acc {rep['test']['accuracy']:.3f} (logreg {rep['test_logistic_regression']['accuracy']:.3f}), "
        f"{rep['params']} params")

    onnx_path = os.path.join(out_dir, f"{MODEL_NAME}.onnx")
    export_onnx(final, onnx_path)
    sess = ort_session(onnx_path)
    xs = X[test_idx][:, :, field_index(best["features"])].reshape(len(test_idx), -1)
    s_ort, p_ort = sess.run(["scores", "probabilities"], {"frames": xs})
    with torch.no_grad():
        s_pt, p_pt = Exported(final)(torch.from_numpy(xs))
    rep["export"] = {"opset": OPSET, "bytes": os.path.getsize(onnx_path),
                     "max_abs_diff_scores": float(np.max(np.abs(s_ort - s_pt.numpy()))),
                     "max_abs_diff_probabilities": float(np.max(np.abs(p_ort - p_pt.numpy()))),
                     "argmax_agreement": float(np.mean(s_ort.argmax(1) == s_pt.numpy().argmax(1))),
                     "windows": int(len(xs))}
    assert rep["export"]["max_abs_diff_probabilities"] < 1e-4 and rep["export"]["argmax_agreement"] == 1.0, rep["export"]
    with open(os.path.join(out_dir, f"{MODEL_NAME}.labels.json"), "w") as f:
        json.dump(LABELS, f, indent=1)
        f.write("\n")
    golden = make_golden(final, X, y, clips, clip_of, test_idx)
    for c in golden["cases"]:
        s, p = sess.run(["scores", "probabilities"], {"frames": np.asarray(c["chroma"], np.float32)})
        assert np.max(np.abs(s - np.asarray(c["expected"]["scores"]))) < golden["tolerance"]["atol"], c["name"]
        assert np.max(np.abs(p - np.asarray(c["expected"]["probabilities"]))) < golden["tolerance"]["atol"], c["name"]
    with open(os.path.join(out_dir, f"{MODEL_NAME}.golden.json"), "w") as f:
        f.write(compact_json(golden) + "\n")
    t_inf = time.time()
    for _ in range(200):
        sess.run(["scores", "probabilities"], {"frames": xs[:1]})
    rep["export"]["onnxruntime_ms_per_window_native"] = (time.time() - t_inf) / 200 * 1000
    timings["final_export_s"] = time.time() - t0

    # 6. occlusion examples on test windows ------------------------------------------------------
    sel = field_index(best["features"])
    pred_fn = lambda b: softmax(predict_logits(final, b.astype(np.float32)))  # noqa: E731
    examples = []
    for want in ["C:maj", "A:min7", "G:7"]:
        cand = [i for i in test_idx if LABELS[y[i]] == want]
        if cand:
            ex = occlusion(pred_fn, X[cand[0]][:, sel], FEATURE_SETS[best['features']])
            ex.update(true=want, clip=int(clips[clip_of[cand[0]]]["id"]), harte=clips[clip_of[cand[0]]]["harte"],
                      family=clips[clip_of[cand[0]]]["family"])
            examples.append(ex)
    if not examples:
        ex = occlusion(pred_fn, X[test_idx[0]][:, sel], FEATURE_SETS[best['features']])
        ex.update(true=LABELS[y[test_idx[0]]], clip=int(clips[clip_of[test_idx[0]]]["id"]),
                  harte=clips[clip_of[test_idx[0]]]["harte"], family=clips[clip_of[test_idx[0]]]["family"])
        examples.append(ex)
    rep["occlusion_examples"] = examples

    timings["total_s"] = time.time() - t_start
    rep["timings"] = timings
    rep["command"] = "models/chords/train.py" + (" --smoke" if smoke else "")
    rep["threads"] = torch.get_num_threads()
    prefix = MODEL_NAME
    with open(os.path.join(rep_dir, f"{prefix}_report.json"), "w") as f:
        f.write(compact_json(rep) + "\n")
    rep["pngs"] = {k: os.path.relpath(v, rep_dir) for k, v in plots(rep, rep_dir, prefix).items()}
    if not smoke:
        import write_card
        write_card.write(rep, os.path.join(out_dir, f"{MODEL_NAME}.card.md"))
    first, last = rep["final_train_loss_first_last_epoch"]
    log(f"done in {timings['total_s']:.1f} s; loss {first:.3f} -> {last:.3f}; files in {out_dir}")
    if first <= last:
        raise SystemExit("training loss did not decrease")
    return rep


if __name__ == "__main__":
    main()
