#!/usr/bin/env python3
"""Build the melody data set from the music21 corpus (deterministic, about 1-2 minutes on one core).

    .venv/bin/python models/melody/make_dataset.py                  # -> build/models/melody/
    .venv/bin/python models/melody/make_dataset.py --out DIR --max-files 2   # small (smoke tests)

Sources (all monophonic ABC inside the music21 wheel, public-domain tune books / research corpus):
    essenFolksong   Essen Folksong Collection (Schaffrath), ~8,500 German/European folk songs
    ryansMammoth    Ryan's Mammoth Collection (1883), fiddle tunes
    oneills1850     O'Neill's "Music of Ireland" (1903, the "1850" tunes), fiddle tunes
Bach chorales are NOT used: they are MusicXML (about 0.5 s per file to parse, several minutes for the
set) and their soprano lines are harmonised chorale phrases with fermatas rather than free melodies.

Parsing: the ABC is tokenised by music21's own ABCHandler (the full `corpus.parse` builds Stream
objects and takes ~13 s per Essen file; the tokens carry the same pitches and durations) with ABC
2.1 semantics (accidentals carry to the end of the bar, as the ABC standard says; music21's default
for files without a version line is not to carry them). Ties are merged, grace notes dropped,
repeats ignored (the tune is read once, left to right), chords (none in these books) make a tune be
skipped. A meter change inside a tune ends it.

Phrases: meters 2/4, 3/4, 4/4 (also C, C| and 2/2, all 16 sixteenths per bar) and 6/8. The pickup
(notes before the first bar line) is dropped; the remaining full bars are cut into consecutive
windows of L bars, L in {2,3,4} chosen per tune from a hash of its id. A window is kept when every
note lies on the 16th grid (no triplets), it starts with a note, it is at most half rests, and it has
at least 3 notes. Tokens: see common.py.

Key and mode: per tune, the best of the 24 Aarden-Essen key profiles (duration-weighted pitch-class
histogram, Pearson correlation), with a bonus of 0.1 for a key whose tonic is the tune's last note.

Split by tune (md5 of source/file/number): 80 % train, 10 % validation, 10 % test. Every phrase is
stored in all 12 keys (transposed by -6..+5 semitones, then by an octave if needed to fit C3..C6).

Outputs in --out:
    phrases.npz   tokens [M,64] uint8, key, mode, meter, bars, low, high, difficulty, score,
                  feats [M,6], split (0 train, 1 val, 2 test), tune [M], base [M] (index of the
                  phrase before transposition), shift [M]
    meta.json     feature statistics, difficulty thresholds, counts, source list
"""
import argparse
import hashlib
import json
import os
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SOURCES = ["essenFolksong", "ryansMammoth", "oneills1850"]
METER_MAP = {"2/4": "2/4", "3/4": "3/4", "4/4": "4/4", "C": "4/4", "C|": "4/4", "2/2": "4/4", "6/8": "6/8"}

_midi_cache = {}


def midi_of(name):
    m = _midi_cache.get(name)
    if m is None:
        from music21 import pitch
        m = _midi_cache[name] = int(round(pitch.Pitch(name).ps))
    return m


def tune_notes(handler):
    """-> (meter str, [(start_ql Fraction, dur Fraction, midi|None)], first_bar_ql) or None."""
    from music21 import abcFormat as A
    meter = None
    t = Fraction(0)
    events = []
    first_bar = None
    started = False
    for tok in handler.tokens:
        if isinstance(tok, A.ABCMetadata):
            if tok.isMeter():
                m = tok.data.strip()
                if started:
                    break  # meter change inside the tune: keep what came before
                meter = METER_MAP.get(m)
                if meter is None:
                    return None
            continue
        if isinstance(tok, A.ABCChord):
            return None
        if isinstance(tok, A.ABCBar):
            if first_bar is None and started:
                first_bar = t
            continue
        if isinstance(tok, A.ABCNote):
            if tok.inGrace:
                continue
            ql = Fraction(tok.quarterLength).limit_denominator(64)
            if tok.activeTuplet is not None:
                ql = ql * Fraction(tok.activeTuplet.tupletMultiplier()).limit_denominator(64)
            if ql <= 0:
                continue
            started = True
            p = None if tok.isRest else midi_of(tok.pitchName)
            if tok.tie == "stop" and events and events[-1][2] == p and p is not None:
                s, d, q = events[-1]
                events[-1] = (s, d + ql, q)
            else:
                events.append((t, ql, p))
            t += ql
    if meter is None or not events:
        return None
    return meter, events, (first_bar if first_bar is not None else Fraction(0))


def estimate_key(events):
    from music21.analysis import discrete
    ae = discrete.AardenEssen()
    prof = {0: np.array(ae.getWeights("major")), 1: np.array(ae.getWeights("minor"))}
    hist = np.zeros(12)
    last = None
    for s, d, p in events:
        if p is not None:
            hist[p % 12] += float(d)
            last = p % 12
    best = (-9, 0, 0)
    for mode in (0, 1):
        for tonic in range(12):
            r = np.corrcoef(hist, np.roll(prof[mode], tonic))[0, 1]
            r += 0.1 if tonic == last else 0.0
            if r > best[0]:
                best = (r, tonic, mode)
    return best[1], best[2]


def windows(meter, events, first_bar, tune_id):
    """Cut into L-bar windows of 16th tokens. Yields (bars, tokens[T_MAX], low, high)."""
    bar_ql = Fraction(C.STEPS_PER_BAR[meter], 4)
    # a first bar line later than one bar means the tune has no pickup marker we can trust
    start0 = first_bar if first_bar < bar_ql else Fraction(0)
    end = events[-1][0] + events[-1][1]
    nbars = int((end - start0) / bar_ql)
    L = C.BARS[int(hashlib.md5(tune_id.encode()).hexdigest(), 16) % 3]
    spb = C.STEPS_PER_BAR[meter]
    for b0 in range(0, nbars - L + 1, L):
        w0, w1 = start0 + b0 * bar_ql, start0 + (b0 + L) * bar_ql
        length = spb * L
        evs, ok = [], True
        for s, d, p in events:
            e = s + d
            if e <= w0 or s >= w1:
                continue
            s2, e2 = max(s, w0), min(e, w1)
            a, b = (s2 - w0) * 4, (e2 - w0) * 4
            if a.denominator != 1 or b.denominator != 1:
                ok = False
                break
            evs.append((int(a), int(b - a), p))
        if not ok or not evs or evs[0][0] != 0 or evs[0][2] is None:
            continue
        notes = [p for _, _, p in evs if p is not None]
        rest_steps = sum(d for _, d, p in evs if p is None)
        if len(notes) < 3 or rest_steps * 2 > length:
            continue
        yield L, evs, min(notes), max(notes)


def transpose_fit(evs, shift):
    """Transpose by `shift`, then by octaves into C3..C6; None if it cannot fit."""
    ps = [p + shift for _, _, p in evs if p is not None]
    lo, hi = min(ps), max(ps)
    o = 0
    while lo + o < C.PITCH_LO:
        o += 12
    while hi + o > C.PITCH_HI:
        o -= 12
    if lo + o < C.PITCH_LO or hi + o > C.PITCH_HI:
        return None
    return [(s, d, None if p is None else p + shift + o) for s, d, p in evs], shift + o


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "models", "melody"))
    ap.add_argument("--max-files", type=int, default=0, help="per source, 0 = all (smoke runs use 1-2)")
    args = ap.parse_args()
    from music21 import abcFormat, corpus

    t0 = time.time()
    base = []  # dicts
    n_tunes = {s: 0 for s in SOURCES}
    n_used = {s: 0 for s in SOURCES}
    for src in SOURCES:
        paths = sorted(str(p) for p in corpus.getComposer(src))
        if args.max_files:
            paths = paths[:args.max_files]
        for path in paths:
            af = abcFormat.ABCFile(abcVersion=(2, 1, 0))
            af.open(path)
            try:
                h = af.read()
            finally:
                af.close()
            parts = h.splitByReferenceNumber()
            for num in sorted(k for k in parts if k is not None):
                n_tunes[src] += 1
                tune_id = f"{src}/{os.path.basename(path)}/{num}"
                try:
                    r = tune_notes(parts[num])
                except Exception:
                    r = None
                if r is None:
                    continue
                meter, events, first_bar = r
                if not any(p is not None for _, _, p in events):
                    continue
                key, mode = estimate_key(events)
                h10 = int(hashlib.md5(tune_id.encode()).hexdigest(), 16) % 10
                split = 2 if h10 == 0 else (1 if h10 == 1 else 0)
                used = False
                for L, evs, lo, hi in windows(meter, events, first_bar, tune_id):
                    base.append(dict(tune=tune_id, meter=C.METERS.index(meter), bars=L, evs=evs,
                                     key=key, mode=mode, split=split))
                    used = True
                n_used[src] += used
    t_parse = time.time() - t0
    print(f"parsed {sum(n_tunes.values())} tunes, {len(base)} phrases in {t_parse:.1f} s", flush=True)

    # features and difficulty thresholds (key-invariant, so computed on the untransposed phrases)
    feats = []
    for b in base:
        length = C.n_steps(b["meter"], b["bars"])
        fitted = transpose_fit(b["evs"], 0)
        if fitted is None:  # wider than C3..C6: dropped
            b["skip"] = True
            feats.append(np.zeros(len(C.FEATURE_NAMES)))
            continue
        tok = C.encode(fitted[0], length)
        feats.append(C.features(tok, length, b["meter"], b["key"], b["mode"]))
    feats = np.array(feats)
    keep = np.array([not b.get("skip") for b in base])
    train = keep & np.array([b["split"] == 0 for b in base])
    stats = {"mean": feats[train].mean(0).tolist(), "std": (feats[train].std(0) + 1e-9).tolist()}
    score = C.difficulty_score(feats, stats)
    thresholds = np.quantile(score[train], [0.2, 0.4, 0.6, 0.8]).tolist()
    level = C.difficulty_level(score, thresholds)

    cols = {k: [] for k in ["tokens", "key", "mode", "meter", "bars", "low", "high", "difficulty", "score",
                            "feats", "split", "tune", "base", "shift"]}
    tunes = sorted({b["tune"] for b in base})
    tune_index = {t: i for i, t in enumerate(tunes)}
    for i, b in enumerate(base):
        if b.get("skip"):
            continue
        length = C.n_steps(b["meter"], b["bars"])
        for shift in range(-6, 6):
            r = transpose_fit(b["evs"], shift)
            if r is None:
                continue
            evs, real_shift = r
            ps = [p for _, _, p in evs if p is not None]
            cols["tokens"].append(C.encode(evs, length))
            cols["key"].append((b["key"] + shift) % 12)
            cols["mode"].append(b["mode"])
            cols["meter"].append(b["meter"])
            cols["bars"].append(b["bars"])
            cols["low"].append(min(ps))
            cols["high"].append(max(ps))
            cols["difficulty"].append(level[i])
            cols["score"].append(score[i])
            cols["feats"].append(feats[i])
            cols["split"].append(b["split"])
            cols["tune"].append(tune_index[b["tune"]])
            cols["base"].append(i)
            cols["shift"].append(real_shift)
    dtypes = {"tokens": np.uint8, "key": np.int8, "mode": np.int8, "meter": np.int8, "bars": np.int8,
              "low": np.int16, "high": np.int16, "difficulty": np.int8, "score": np.float32,
              "feats": np.float32, "split": np.int8, "tune": np.int32, "base": np.int32, "shift": np.int8}
    arrays = {k: np.asarray(v, dtype=dtypes[k]) for k, v in cols.items()}
    os.makedirs(args.out, exist_ok=True)
    np.savez_compressed(os.path.join(args.out, "phrases.npz"), **arrays)
    sp = arrays["split"]
    meta = {
        "sources": SOURCES, "max_files": args.max_files,
        "tunes_seen": n_tunes, "tunes_used": n_used,
        "phrases_untransposed": int(keep.sum()),
        "phrases_untransposed_by_split": {n: int((keep & np.array([b["split"] == s for b in base])).sum())
                                          for s, n in enumerate(["train", "val", "test"])},
        "rows_all_keys": int(len(sp)),
        "rows_by_split": {n: int((sp == s).sum()) for s, n in enumerate(["train", "val", "test"])},
        "feature_names": C.FEATURE_NAMES, "feature_stats": stats, "difficulty_thresholds": thresholds,
        "difficulty_counts_untransposed": {str(d): int(((level == d) & keep).sum()) for d in range(1, 6)},
        "meter_counts_untransposed": {m: int(sum(1 for b in base if not b.get("skip") and b["meter"] == j))
                                      for j, m in enumerate(C.METERS)},
        "mode_counts_untransposed": {m: int(sum(1 for b in base if not b.get("skip") and b["mode"] == j))
                                     for j, m in enumerate(C.MODES)},
        "bars_counts_untransposed": {str(L): int(sum(1 for b in base if not b.get("skip") and b["bars"] == L))
                                     for L in C.BARS},
        "parse_seconds": round(t_parse, 1), "total_seconds": round(time.time() - t0, 1),
    }
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
