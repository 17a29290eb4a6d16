"""Metrics over token sequences (used by train.py for checkpoint selection and by evaluate.py)."""
import numpy as np

import common as C

INTERVAL_CLIP = 12  # intervals binned -12..+12 (larger leaps go to the end bins)


def decode_all(tokens, meter, bars):
    return [C.decode(tokens[i], C.n_steps(meter[i], bars[i])) for i in range(len(tokens))]


def histograms(events, key):
    """Pitch class relative to tonic [12], melodic interval [25], note duration in 16ths (1..16) [16]."""
    pc = np.zeros(12)
    iv = np.zeros(2 * INTERVAL_CLIP + 1)
    du = np.zeros(16)
    for ev, k in zip(events, key):
        ps = [p for _, _, p in ev if p is not None]
        for p in ps:
            pc[(p - int(k)) % 12] += 1
        for a, b in zip(ps[:-1], ps[1:]):
            iv[int(np.clip(b - a, -INTERVAL_CLIP, INTERVAL_CLIP)) + INTERVAL_CLIP] += 1
        for _, d, p in ev:
            if p is not None:
                du[min(d, 16) - 1] += 1
    return pc, iv, du


def jsd(p, q):
    """Jensen-Shannon divergence, base 2 (0 = same, 1 = disjoint)."""
    p = np.asarray(p, float) / max(np.sum(p), 1e-12)
    q = np.asarray(q, float) / max(np.sum(q), 1e-12)
    m = (p + q) / 2

    def kl(a, b):
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / b[nz])))
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


def quality(gen_events, ref_events, key):
    """Sum of the three histogram JSDs (lower is better); used to pick the checkpoint on validation."""
    a = histograms(gen_events, key)
    b = histograms(ref_events, key)
    return {"pc_jsd": jsd(a[0], b[0]), "interval_jsd": jsd(a[1], b[1]), "duration_jsd": jsd(a[2], b[2])}
