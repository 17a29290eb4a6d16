"""Shared definitions for the melody GAN: token vocabulary, conditions, musical features, difficulty.

Representation (one token per 16th note, T_MAX = 64 steps = 4 bars of 4/4):
    token 0         REST   silence starts (or continues) at this 16th
    token 1         HOLD   the previous event (note or rest) continues through this 16th
    token 2 + k     NOTE   a new note with MIDI pitch PITCH_LO + k starts here, k = 0 .. N_PITCH-1
                           (MIDI 48..84 = C3..C6, absolute pitch: the key condition matters)
A phrase of `bars` bars in a meter with S steps per bar uses the first bars*S tokens; the rest are
padding (REST in the data; ignored by the critic, the metrics and the decoder).

Decoding rule (same in Python, JS, C++): walk the steps; NOTE starts a note, REST starts a rest, HOLD
extends whatever event is running; a HOLD at step 0 counts as REST.

Conditions (all inputs of the shipped generator):
    key         tonic pitch class 0..11 (C=0), one-hot [12]
    mode        0 major, 1 minor, one-hot [2]
    difficulty  1..5 (see difficulty_score), one-hot [5]
    meter       METERS index, one-hot [4]
    bars        2, 3 or 4, one-hot [3]
    range       lowest and highest allowed MIDI pitch, scaled (midi - 66) / 18, [2]
"""
import numpy as np

REST, HOLD = 0, 1
PITCH_LO, PITCH_HI = 48, 84
N_PITCH = PITCH_HI - PITCH_LO + 1
VOCAB = 2 + N_PITCH  # 39
T_MAX = 64
METERS = ["2/4", "3/4", "4/4", "6/8"]
STEPS_PER_BAR = {"2/4": 8, "3/4": 12, "4/4": 16, "6/8": 12}
# steps per beat (for accents and syncopation): quarter-note beats, dotted-quarter in 6/8
STEPS_PER_BEAT = {"2/4": 4, "3/4": 4, "4/4": 4, "6/8": 6}
BARS = [2, 3, 4]
MODES = ["major", "minor"]
PITCH_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
COND_DIM = 12 + 2 + 5 + 4 + 3 + 2  # 28
RANGE_CENTER, RANGE_SCALE = 66.0, 18.0

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
# minor: natural minor plus the raised 6th and 7th of melodic/harmonic minor
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 9, 10, 11)
DIATONIC = {0: MAJOR_SCALE, 1: MINOR_SCALE}


def labels():
    """Token names in vocabulary order (the worker's <name>.labels.json)."""
    return ["rest", "hold"] + [f"{PITCH_NAMES[m % 12]}{m // 12 - 1}" for m in range(PITCH_LO, PITCH_HI + 1)]


def n_steps(meter_idx, bars):
    return STEPS_PER_BAR[METERS[int(meter_idx)]] * int(bars)


def decode(tokens, length):
    """tokens [T] -> list of (start_step, dur_steps, midi or None for rest)."""
    events = []
    for t in range(int(length)):
        tok = int(tokens[t])
        if tok == HOLD and events:
            s, d, p = events[-1]
            events[-1] = (s, d + 1, p)
        elif tok >= 2:
            events.append((t, 1, PITCH_LO + tok - 2))
        else:  # REST, or HOLD at step 0
            if events and events[-1][2] is None:
                s, d, p = events[-1]
                events[-1] = (s, d + 1, p)
            else:
                events.append((t, 1, None))
    return events


def notes_of(tokens, length):
    return [(s, d, p) for s, d, p in decode(tokens, length) if p is not None]


def encode(events, length):
    """events (start, dur, midi|None) -> tokens [T_MAX] (uint8)."""
    out = np.zeros(T_MAX, dtype=np.uint8)
    for s, d, p in events:
        if s >= length:
            continue
        out[s] = REST if p is None else 2 + p - PITCH_LO
        out[s + 1:min(s + d, length)] = HOLD
    return out


def cond_vector(key, mode, difficulty, meter, bars, low, high):
    """One condition row [COND_DIM] float32 (the generator's `condition` input, concatenated)."""
    v = np.zeros(COND_DIM, dtype=np.float32)
    v[int(key)] = 1
    v[12 + int(mode)] = 1
    v[14 + int(difficulty) - 1] = 1
    v[19 + int(meter)] = 1
    v[23 + BARS.index(int(bars))] = 1
    v[26] = (low - RANGE_CENTER) / RANGE_SCALE
    v[27] = (high - RANGE_CENTER) / RANGE_SCALE
    return v


# --------------------------------------------------------------------------------------------
# Features and difficulty. All are computed from the decoded notes, so they apply equally to data,
# GAN samples and Markov samples.

FEATURE_NAMES = ["mean_abs_interval", "max_abs_interval", "notes_per_beat", "short_or_syncopated",
                 "range_semitones", "chromatic_fraction"]


def features(tokens, length, meter_idx, key, mode):
    notes = notes_of(tokens, length)
    meter = METERS[int(meter_idx)]
    spb = STEPS_PER_BEAT[meter]
    if len(notes) == 0:
        return np.array([0, 0, 0, 0, 0, 0], dtype=np.float64)
    pitches = np.array([p for _, _, p in notes])
    iv = np.abs(np.diff(pitches)) if len(pitches) > 1 else np.zeros(1)
    beats = length / spb
    # 16th-note values, or onsets on an off-beat 16th position (not on an 8th), count as hard
    short = sum(1 for s, d, _ in notes if d == 1 or (s % 2 == 1))
    scale = DIATONIC[int(mode)]
    chrom = np.mean([((p - key) % 12) not in scale for p in pitches])
    return np.array([iv.mean(), iv.max(), len(notes) / beats, short / len(notes),
                     pitches.max() - pitches.min(), chrom], dtype=np.float64)


def difficulty_score(feats, stats):
    """Mean z-score of the features (stats: {'mean': [...], 'std': [...]} from the training split)."""
    z = (np.asarray(feats, dtype=np.float64) - np.asarray(stats["mean"])) / np.asarray(stats["std"])
    return z.mean(axis=-1)


def difficulty_level(score, thresholds):
    """1..5 from the 4 quintile thresholds of the training split."""
    return 1 + np.searchsorted(np.asarray(thresholds), score, side="right")


def in_key_ratio(tokens, length, key, mode):
    ps = [p for _, _, p in notes_of(tokens, length)]
    if not ps:
        return float("nan")
    return float(np.mean([((p - key) % 12) in DIATONIC[int(mode)] for p in ps]))
