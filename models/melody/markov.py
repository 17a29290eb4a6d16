"""Markov-chain baseline: 2nd order over (scale degree, duration) events.

Event = (pitch class relative to the tonic 0..11, or 12 for a rest; duration in 16ths, capped at 16).
Tables: counts of next event given the two previous events (2nd order), the previous one (1st order)
and none (unigram), each kept separately for every (mode, difficulty) and for every mode alone.
Sampling backs off: (mode,difficulty) 2nd -> mode 2nd -> (mode,difficulty) 1st -> mode 1st -> unigram,
taking the first table with at least MIN_COUNT observations of the context.
Octave: the first note is placed nearest the middle of the requested range; each next note takes
the octave that makes the smallest leap, moved by an octave if that leaves the range. Durations are
cut at the end of the phrase. Not metre-aware beyond that cut.
"""
import json
from collections import defaultdict

import numpy as np

import common as C

MIN_COUNT = 3
START = (-1, 0)


def events_rel(tokens, length, key):
    out = []
    for s, d, p in C.decode(tokens, length):
        out.append((12 if p is None else (p - key) % 12, min(d, 16)))
    return out


class Markov:
    def __init__(self):
        self.t2 = defaultdict(lambda: defaultdict(int))
        self.t1 = defaultdict(lambda: defaultdict(int))
        self.t0 = defaultdict(lambda: defaultdict(int))

    def fit(self, tokens, meter, bars, key, mode, difficulty):
        for i in range(len(tokens)):
            ev = events_rel(tokens[i], C.n_steps(meter[i], bars[i]), int(key[i]))
            for ctx_key in ((int(mode[i]), int(difficulty[i])), (int(mode[i]), 0)):
                a, b = START, START
                for e in ev:
                    self.t2[(ctx_key, a, b)][e] += 1
                    self.t1[(ctx_key, b)][e] += 1
                    self.t0[ctx_key][e] += 1
                    a, b = b, e
        return self

    def _dist(self, mode, diff, a, b):
        for table, ctx in ((self.t2, ((mode, diff), a, b)), (self.t2, ((mode, 0), a, b)),
                           (self.t1, ((mode, diff), b)), (self.t1, ((mode, 0), b))):
            d = table.get(ctx)
            if d and sum(d.values()) >= MIN_COUNT:
                return d
        return self.t0[(mode, 0)]

    def sample(self, rng, key, mode, difficulty, meter, bars, low, high):
        length = C.n_steps(meter, bars)
        a, b = START, START
        t, prev, events = 0, None, []
        center = (low + high) / 2
        while t < length:
            d = self._dist(int(mode), int(difficulty), a, b)
            evs = list(d.keys())
            w = np.array([d[e] for e in evs], dtype=np.float64)
            e = evs[rng.choice(len(evs), p=w / w.sum())]
            if t == 0 and e[0] == 12:  # phrases start with a note, like the data
                continue
            pc, dur = e
            dur = min(dur, length - t)
            if pc == 12:
                events.append((t, dur, None))
            else:
                pc_abs = (pc + key) % 12
                ref = center if prev is None else prev
                cands = [o * 12 + pc_abs for o in range(3, 8)]
                cands = [c for c in cands if C.PITCH_LO <= c <= C.PITCH_HI]
                inside = [c for c in cands if low <= c <= high] or cands
                p = min(inside, key=lambda c: (abs(c - ref), c))
                events.append((t, dur, p))
                prev = p
            t += dur
            a, b = b, e
        return C.encode(events, length)

    def to_json(self):
        def dump(tab):
            return [[repr(k), {repr(e): c for e, c in v.items()}] for k, v in tab.items()]
        return json.dumps({"t2": dump(self.t2), "t1": dump(self.t1), "t0": dump(self.t0)})

    @classmethod
    def from_json(cls, s):
        import ast
        m = cls()
        j = json.loads(s)
        for name in ("t2", "t1", "t0"):
            tab = getattr(m, name)
            for k, v in j[name]:
                for e, c in v.items():
                    tab[ast.literal_eval(k)][ast.literal_eval(e)] = c
        return m
