"""Shared definitions for the trained chord classifier (models/chords/): vocabulary, label order,
the input contract (which FeatureFrame fields, how many frames), and small helpers.

Everything here is NumPy/stdlib only, so make_dataset.py, train.py and the tests agree without torch.
"""
import os
import re

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "models")
REPORTS = os.path.join(MODELS, "reports")
DATA = os.path.join(ROOT, "build", "models", "data", "chords")
FEATURE_FRAME_JS = os.path.join(ROOT, "web", "worklet", "feature-frame.js")
FEATURE_FRAME_H = os.path.join(ROOT, "src", "dsp", "feature_frame.h")

MODEL_NAME = "chord_classifier"
OPSET = 17

# Pitch classes, index 0 = C, sharps only (as models/chord_templates: labels are fixed strings).
PITCH_CLASSES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]

# Qualities (Harte shorthand) and their intervals above the root, in output order.
QUALITIES = [
    ("maj", (0, 4, 7)),
    ("min", (0, 3, 7)),
    ("dim", (0, 3, 6)),
    ("aug", (0, 4, 8)),
    ("sus2", (0, 2, 7)),
    ("sus4", (0, 5, 7)),
    ("7", (0, 4, 7, 10)),
    ("maj7", (0, 4, 7, 11)),
    ("min7", (0, 3, 7, 10)),
    ("hdim7", (0, 3, 6, 10)),
    ("dim7", (0, 3, 6, 9)),
]
QUALITY_NAMES = [q for q, _ in QUALITIES]
INTERVALS = dict(QUALITIES)
# Pitch-class sets that are the same set as another chord's in some inversion (aug, dim7: symmetric;
# sus2 = sus4 of the fifth). Their root is only defined by the bass, so the data set plays them in
# root position only (see make_dataset.py and the model card).
ROOT_POSITION_ONLY = {"aug", "dim7", "sus2", "sus4"}

# Output order: index = 12 * quality + root for the 132 chords, then "N" (no chord) last.
# The first 24 labels are exactly models/chord_templates.labels.json (maj then min), on purpose.
LABELS = [f"{pc}:{q}" for q in QUALITY_NAMES for pc in PITCH_CLASSES] + ["N"]
N_CLASSES = len(LABELS)
N_INDEX = N_CLASSES - 1

# Input contract (src/ml/chord_input.h): the model reads the newest CONTEXT_FRAMES consecutive model frames
# (every 2nd FeatureFrame at the live hop, as `etude analyze features --model-frames` gives them; oldest first),
# and from each frame exactly these fields, in this order, flattened frame-major:
#   input[n, t * len(FIELDS) + f] = frame[t][FIELDS[f]]
CHROMA_FIELDS = [f"chroma_{i}" for i in range(12)]
BASS_FIELDS = [f"bass_chroma_{i}" for i in range(12)]
# Root-invariant scalar fields the full model also reads (raw values; normalised inside the graph).
EXTRA_FIELDS = ["rms_dbfs", "flatness", "confidence", "onset_strength"]
# The semitone spectrum the chroma is folded from (FeatureFrame semitone_28..95): E1..B6, a log-frequency
# (CQT-class) input that keeps the octave.
SEMITONE_FIELDS = [f"semitone_{m}" for m in range(28, 96)]
FEATURE_SETS = {
    "chroma": CHROMA_FIELDS,
    "chroma+bass": CHROMA_FIELDS + BASS_FIELDS,
    "chroma+bass+extra": CHROMA_FIELDS + BASS_FIELDS + EXTRA_FIELDS,
    "cqt": SEMITONE_FIELDS,
}
# The sets the app can feed the model (fields of the live FeatureFrame): the shipped model reads one of these.
SHIPPABLE_FEATURE_SETS = ["chroma", "chroma+bass", "chroma+bass+extra", "cqt"]
CONTEXT_FRAMES = 16


def parse_frame_fields_js(path=FEATURE_FRAME_JS):
    """The FEATURE_FRAME_FIELDS list of web/worklet/feature-frame.js, in order."""
    with open(path) as f:
        text = f.read()
    m = re.search(r"FEATURE_FRAME_FIELDS\s*=\s*\[(.*?)\]", text, re.S)
    if not m:
        raise ValueError(f"no FEATURE_FRAME_FIELDS in {path}")
    return re.findall(r"'([A-Za-z0-9_]+)'", m.group(1))


def chord_pcs(root, quality):
    return sorted({(root + i) % 12 for i in INTERVALS[quality]})


def pcset_of_label(label):
    if label == "N":
        return frozenset()
    r, q = label.split(":")
    return frozenset(chord_pcs(PITCH_CLASSES.index(r), q))


def label_index(root, quality):
    return QUALITY_NAMES.index(quality) * 12 + root
