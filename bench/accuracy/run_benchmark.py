#!/usr/bin/env python3
"""Runs Etude and its peers on the ground-truth set from make_dataset.py and scores them with mir_eval.

Peers, same files, same run:
  pitch:  aubio yinfft (aubiopitch, Debian aubio-tools), librosa pyin (PyPI), pitchy (npm, McLeod),
          pitchfinder YIN (npm);
  onsets: aubio (aubioonset, hfc default), librosa onset_detect;
  tempo:  aubio tempo, librosa beat_track;
  beats:  aubio beat, librosa beat_track;
  notes:  aubio notes (aubionotes, its defaults: hfc onsets, yinfft pitch).
Metrics: RPA@50c, RPA@10c, RCA, voicing recall and false alarm (mir_eval.melody, mean over files), and
"RPA@50c any voicing": RPA@50c over the truth's voiced frames whatever the method's voicing decision, from
each method's best pitch guess in frames it calls unvoiced (mir_eval's negative-f0 convention: etude
--unvoiced-negative, pyin's f0 with fill_na=None, pitchy's pitch below its clarity threshold; aubio
yinfft always gives one; pitchfinder's YIN gives none, so its figure equals RPA@50c);
onset F-measure at +-50 ms and +-25 ms (mir_eval.onset, mean over files); tempo Acc1 (within 4%) and
Acc2 (also at x2, x3, x1/2, x1/3); beats (`etude analyze beats`, on the tempo cases): mir_eval.beat's
F-measure (+-70 ms), CMLt and AMLt after its usual trim of the first 5 s, against the truth's beats (the drum
patterns' quarter notes from 0 s, every click); notes (`etude analyze notes`, on the pitch cases): mir_eval.transcription's
note F-measure with onsets within +-50 ms and pitch within 50 cents, without offsets ("F onset") and with
them ("F onset+offset": offset within 20 % of the note's length or 50 ms). The reference notes are the truth's
own: each true onset starts one, which ends at the next onset or where the truth's f0 stops, at the median of
the truth's f0 over it (for the fluidsynth cases, the MIDI file's notes).

Usage: .venv/bin/python bench/accuracy/run_benchmark.py [--cases bench/out/accuracy/cases.json]
         [--etude build/native/src/cli/etude] [--jobs 2] [--skip-pyin] [--only-etude] [--tasks pitch,onsets,tempo,beats,notes]
         > bench/out/accuracy/results.md
"""
import argparse
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from multiprocessing import Pool

import numpy as np
import mir_eval

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONDITIONS = ["clean", "snr20", "snr10", "laptop", "reverb"]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def csv_columns(text):
    lines = [l for l in text.strip().splitlines()[1:] if l]
    return np.array([[float(v) for v in l.split(",")] for l in lines]) if lines else np.zeros((0, 3))


def etude_pitch(etude, path):
    """f0 < 0: unvoiced, with Etude's best pitch guess (--unvoiced-negative)."""
    a = csv_columns(run([etude, "analyze", "pitch", path, "--unvoiced-negative"]))
    return a[:, 0], a[:, 1]


# The tuner shows a frame's pitch only at confidence >= 0.8 and level >= -60 dBFS (src/app/tuner_state.h,
# TunerSettings::min_confidence and min_level_dbfs); the pitch trace and melody practice read 0.5.
TUNER_MIN_CONFIDENCE, TUNER_MIN_DBFS = 0.8, -60.0


def etude_live_pitch(etude, path):
    """The live analyser's f0 (causal, fixed-lag look-ahead) at the app's live hop: the numbers the
    AudioWorklet computes (`etude analyze features`); 0 = unvoiced. Returns (times, live f0, the f0 the
    tuner shows: live f0 where it passes the tuner's confidence and level gates, else 0)."""
    text = run([etude, "analyze", "features", path])
    lines = text.strip().splitlines()
    header = lines[0].split(",")
    cols = [header.index(c) for c in ("time_s", "f0_hz", "confidence", "rms_dbfs")]
    a = np.array([[float(l.split(",")[c]) for c in cols] for l in lines[1:] if l]).reshape(-1, 4)
    shown = np.where((a[:, 2] >= TUNER_MIN_CONFIDENCE) & (a[:, 3] >= TUNER_MIN_DBFS), a[:, 1], 0.0)
    return a[:, 0], a[:, 1], shown


def etude_live_onsets(etude, path):
    """The live analyser's onset flags (SuperFlux, decided within its 30 ms delay): what rhythm practice
    hears in the browser. The time of a flagged frame (`etude analyze features`, the live hop)."""
    lines = run([etude, "analyze", "features", path]).strip().splitlines()
    header = lines[0].split(",")
    t_col, o_col = header.index("time_s"), header.index("onset")
    return np.array([float(l.split(",")[t_col]) for l in lines[1:] if l and float(l.split(",")[o_col]) > 0])


def etude_onsets(etude, path):
    a = csv_columns(run([etude, "analyze", "onsets", path]))
    return a[:, 0] if len(a) else np.zeros(0)


def etude_tempo(etude, path):
    return float(csv_columns(run([etude, "analyze", "tempo", path]))[0, 0])


def aubio_pitch(path):
    rows = [l.split() for l in run(["aubiopitch", "-i", path, "-p", "yinfft", "-B", "2048", "-H", "512"]).splitlines() if l.strip()]
    a = np.array([[float(r[0]), float(r[1])] for r in rows])
    f0 = np.where((a[:, 1] >= 50) & (a[:, 1] <= 2000), a[:, 1], 0.0)
    return a[:, 0], f0


def aubio_onsets(path):
    return np.array([float(l) for l in run(["aubioonset", "-i", path]).split()])


def aubio_tempo(path):
    out = run(["aubio", "tempo", path]).split()
    return float(out[0]) if out else 0.0


def librosa_load(path):
    import soundfile as sf
    y, rate = sf.read(path, dtype="float32")
    return y if y.ndim == 1 else y.mean(axis=1), rate


def librosa_pitch(path):
    import librosa
    y, rate = librosa_load(path)
    # fill_na=None: unvoiced frames keep pyin's best pitch guess, given here negated (unvoiced).
    f0, voiced, _ = librosa.pyin(y, fmin=50, fmax=2000, sr=rate, frame_length=2048, hop_length=512, fill_na=None)
    times = librosa.times_like(f0, sr=rate, hop_length=512)
    f0 = np.nan_to_num(f0)
    return times, np.where(voiced, f0, -f0)


def librosa_onsets(path):
    import librosa
    y, rate = librosa_load(path)
    return librosa.onset.onset_detect(y=y, sr=rate, units="time")


def librosa_tempo(path):
    import librosa
    y, rate = librosa_load(path)
    tempo, _ = librosa.beat.beat_track(y=y, sr=rate)
    return float(np.atleast_1d(tempo)[0])


def js_pitch(path):
    out = json.loads(run(["node", os.path.join(HERE, "js_pitch.mjs"), path]))
    t = np.array(out["times"])
    return {"pitchy": (t, np.array(out["pitchy"])), "pitchfinder_yin": (t, np.array(out["pitchfinder_yin"]))}


def warm_librosa():
    """Compiles librosa's numba kernels (pyin, onset detection, beat tracking) in this process, before a Pool
    forks its workers. librosa caches them beside its own code on first use; two workers compiling the same
    kernel at once on a fresh venv left a broken cache behind, and every pyin after it segfaulted (each
    worker died and the Pool waited for ever)."""
    import librosa
    rate = 22050
    y = (0.3 * np.sin(2 * np.pi * 220.0 * np.arange(rate) / rate)).astype(np.float32)
    librosa.pyin(y, fmin=50, fmax=2000, sr=rate, frame_length=2048, hop_length=512, fill_na=None)
    librosa.onset.onset_detect(y=y, sr=rate, units="time")
    librosa.beat.beat_track(y=y, sr=rate)


def analysis_parser(doc):
    """The command line of the analysis scripts beside this one: --cases (the reported set by default) and
    --etude (the native build's CLI)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--cases", default=os.path.join(ROOT, "bench/out/accuracy/cases.json"))
    ap.add_argument("--etude", default=os.path.join(ROOT, "build/native/src/cli/etude"))
    return ap


def score_pitch(case, times, f0):
    """f0: Hz, 0 = unvoiced without a guess, negative = unvoiced with a pitch guess (mir_eval's convention)."""
    ref_t, ref_f = np.array(case["times"]), np.array(case["f0"])
    signed = np.nan_to_num(np.asarray(f0, dtype=float))
    times = np.asarray(times, float)
    # RPA apart from voicing: mir_eval's RPA reads |f0| and ignores the estimate's voicing.
    ref_v, ref_c, est_v, est_c = mir_eval.melody.to_cent_voicing(ref_t, ref_f, times, signed)
    rpa_any = mir_eval.melody.raw_pitch_accuracy(ref_v, ref_c, est_v, est_c, cent_tolerance=50)
    # The usual figures: a frame called unvoiced has no pitch (RPA and RCA count it as a miss).
    ref_v, ref_c, est_v, est_c = mir_eval.melody.to_cent_voicing(ref_t, ref_f, times, np.maximum(signed, 0.0))
    return {
        "rpa50_any": rpa_any,
        "rpa50": mir_eval.melody.raw_pitch_accuracy(ref_v, ref_c, est_v, est_c, cent_tolerance=50),
        "rpa10": mir_eval.melody.raw_pitch_accuracy(ref_v, ref_c, est_v, est_c, cent_tolerance=10),
        "rca": mir_eval.melody.raw_chroma_accuracy(ref_v, ref_c, est_v, est_c, cent_tolerance=50),
        "vr": mir_eval.melody.voicing_recall(ref_v, est_v),
        "vfa": mir_eval.melody.voicing_false_alarm(ref_v, est_v),
    }


def score_onsets(case, est):
    ref = np.array(case["onsets"])
    est = np.sort(np.asarray(est, float))
    return {"f50": mir_eval.onset.f_measure(ref, est, window=0.05)[0], "f25": mir_eval.onset.f_measure(ref, est, window=0.025)[0]}


def truth_notes(case):
    """The reference notes (intervals, Hz): each true onset to the next one or to where the truth's f0 stops."""
    t, f = np.array(case["times"]), np.array(case["f0"])
    onsets = sorted(case["onsets"])
    intervals, hz = [], []
    for k, on in enumerate(onsets):
        end = onsets[k + 1] if k + 1 < len(onsets) else float(t[-1]) + 0.01
        idx = np.where((t >= on - 1e-6) & (t < end - 1e-6))[0]
        silent = idx[f[idx] <= 0]
        if len(silent):
            idx = idx[idx < silent[0]]
            end = float(t[silent[0]])
        if len(idx) == 0 or end <= on:
            continue
        intervals.append((on, end))
        hz.append(float(np.median(f[idx])))
    return np.array(intervals).reshape(-1, 2), np.array(hz)


def score_notes(case, intervals, hz):
    ref_i, ref_p = truth_notes(case)
    est_i, est_p = np.asarray(intervals, float).reshape(-1, 2), np.asarray(hz, float)
    keep = (est_i[:, 1] > est_i[:, 0]) & (est_p > 0)
    est_i, est_p = est_i[keep], est_p[keep]
    tr = mir_eval.transcription
    return {"f_on": tr.precision_recall_f1_overlap(ref_i, ref_p, est_i, est_p, offset_ratio=None)[2],
            "f_off": tr.precision_recall_f1_overlap(ref_i, ref_p, est_i, est_p)[2]}


def etude_notes(etude, path):
    rows = [l.split(",") for l in run([etude, "analyze", "notes", path]).strip().splitlines()[1:] if l]
    a = np.array([[float(v) for v in r] for r in rows]).reshape(-1, 4)
    return a[:, :2], 440.0 * 2 ** ((a[:, 2] + a[:, 3] / 100.0 - 69.0) / 12.0)


def aubio_notes(path):
    # One "midi onset offset" line per note (a first line with a lone onset time carries no note).
    rows = [l.split() for l in run(["aubionotes", "-i", path]).splitlines() if len(l.split()) == 3]
    a = np.array([[float(v) for v in r] for r in rows]).reshape(-1, 3)
    return a[:, 1:3], 440.0 * 2 ** ((a[:, 0] - 69.0) / 12.0)


def truth_beats(case):
    """The onsets that lie a whole number of beats after the first: the drum patterns' quarter notes (their
    eighth-note hats are left out), every click."""
    onsets = np.array(case["onsets"])
    beats_after_first = (onsets - onsets[0]) * case["bpm"] / 60.0
    return onsets[np.abs(beats_after_first - np.round(beats_after_first)) < 0.01]


def score_beats(case, est):
    ref = mir_eval.beat.trim_beats(truth_beats(case))
    est = mir_eval.beat.trim_beats(np.sort(np.asarray(est, float)))
    _, _, cmlt, amlt = mir_eval.beat.continuity(ref, est)
    return {"f": mir_eval.beat.f_measure(ref, est), "cmlt": cmlt, "amlt": amlt}


def etude_beats(etude, path):
    return np.array([float(l) for l in run([etude, "analyze", "beats", path]).split()[1:]])


def aubio_beats(path):
    return np.array([float(l) for l in run(["aubio", "beat", path]).split()])


def librosa_beats(path):
    import librosa
    y, rate = librosa_load(path)
    _, frames = librosa.beat.beat_track(y=y, sr=rate)
    return librosa.frames_to_time(frames, sr=rate)


def score_tempo(case, bpm):
    gt = case["bpm"]
    acc1 = abs(bpm - gt) <= 0.04 * gt
    acc2 = any(abs(bpm - gt * k) <= 0.04 * gt * k for k in (1, 2, 3, 0.5, 1 / 3))
    return {"acc1": float(acc1), "acc2": float(acc2)}


def evaluate(args_case):
    etude, case, skip_pyin, only_etude, tasks = args_case
    path = case["path"]
    rows = []  # (task, method, metrics)
    import warnings
    warnings.filterwarnings("ignore")
    if case["set"] == "pitch" and "pitch" in tasks:
        rows.append(("pitch", "etude", score_pitch(case, *etude_pitch(etude, path))))
        t, live, shown = etude_live_pitch(etude, path)
        rows.append(("pitch", "etude live", score_pitch(case, t, live)))
        rows.append(("pitch", "etude tuner", score_pitch(case, t, shown)))
        if not only_etude:
            rows.append(("pitch", "aubio yinfft", score_pitch(case, *aubio_pitch(path))))
            if not skip_pyin:
                rows.append(("pitch", "librosa pyin", score_pitch(case, *librosa_pitch(path))))
            for name, (t, f) in js_pitch(path).items():
                rows.append(("pitch", name, score_pitch(case, t, f)))
    if "onsets" in tasks:
        rows.append(("onsets", "etude", score_onsets(case, etude_onsets(etude, path))))
        rows.append(("onsets", "etude live", score_onsets(case, etude_live_onsets(etude, path))))
        if not only_etude:
            rows.append(("onsets", "aubio", score_onsets(case, aubio_onsets(path))))
            rows.append(("onsets", "librosa", score_onsets(case, librosa_onsets(path))))
    if "bpm" in case and "beats" in tasks:
        rows.append(("beats", "etude", score_beats(case, etude_beats(etude, path))))
        if not only_etude:
            rows.append(("beats", "aubio", score_beats(case, aubio_beats(path))))
            rows.append(("beats", "librosa", score_beats(case, librosa_beats(path))))
    if case["set"] == "pitch" and "notes" in tasks:
        rows.append(("notes", "etude", score_notes(case, *etude_notes(etude, path))))
        if not only_etude:
            rows.append(("notes", "aubio", score_notes(case, *aubio_notes(path))))
    if "bpm" in case and "tempo" in tasks:
        rows.append(("tempo", "etude", score_tempo(case, etude_tempo(etude, path))))
        if not only_etude:
            rows.append(("tempo", "aubio", score_tempo(case, aubio_tempo(path))))
            rows.append(("tempo", "librosa", score_tempo(case, librosa_tempo(path))))
    return case, rows


def table(title, metrics, results, methods, group_key):
    """results: {(group, condition, method): [metric dicts]}"""
    out = io.StringIO()
    groups = sorted({g for g, _, _ in results})
    for group in groups:
        out.write(f"\n**{title} — {group}** (mean over files; n = files per condition)\n\n")
        out.write("| condition | n | method | " + " | ".join(m for m, _ in metrics) + " |\n")
        out.write("|---|---|---|" + "---|" * len(metrics) + "\n")
        for condition in CONDITIONS:
            for method in methods:
                values = results.get((group, condition, method))
                if not values:
                    continue
                cells = [f"{np.mean([v[key] for v in values]):.3f}" for _, key in metrics]
                out.write(f"| {condition} | {len(values)} | {method} | " + " | ".join(cells) + " |\n")
    return out.getvalue()


def main():
    ap = analysis_parser(__doc__)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-pyin", action="store_true")
    ap.add_argument("--only-etude", action="store_true", help="re-score Etude alone (peers are unchanged by our code)")
    ap.add_argument("--tasks", default="pitch,onsets,tempo", help="comma-separated subset of pitch,onsets,tempo,beats,notes")
    args = ap.parse_args()
    tasks = set(args.tasks.split(","))
    if not tasks <= {"pitch", "onsets", "tempo", "beats", "notes"}:
        ap.error("--tasks takes pitch, onsets, tempo, beats and notes")
    cases = json.load(open(args.cases))
    pitch, onsets, tempo, beats, notes = (defaultdict(list) for _ in range(5))
    if not args.only_etude:
        warm_librosa()
    with Pool(args.jobs) as pool:
        for case, rows in pool.imap_unordered(evaluate, [(args.etude, c, args.skip_pyin, args.only_etude, tasks) for c in cases]):
            for task, method, metrics in rows:
                if task == "pitch":
                    pitch[("all", case["condition"], method)].append(metrics)
                    pitch[(case["source"] if case["source"] == "synth" else "fluidsynth", case["condition"], method)].append(metrics)
                elif task == "onsets":
                    onsets[(case["category"], case["condition"], method)].append(metrics)
                elif task == "beats":
                    beats[("all", case["condition"], method)].append(metrics)
                elif task == "notes":
                    source = "synth" if case["source"] == "synth" else "fluidsynth"
                    notes[(f"{source} {case['category']}", case["condition"], method)].append(metrics)
                else:
                    tempo[("all", case["condition"], method)].append(metrics)
    pitch_methods = ["etude", "etude live", "etude tuner", "aubio yinfft", "librosa pyin", "pitchy", "pitchfinder_yin"]
    if "pitch" in tasks:
        print(table("Pitch", [("RPA@50c", "rpa50"), ("RPA@10c", "rpa10"), ("RCA", "rca"), ("voicing recall", "vr"),
                              ("voicing false alarm", "vfa"), ("RPA@50c any voicing", "rpa50_any")],
                    pitch, pitch_methods, "source"))
    if "onsets" in tasks:
        print(table("Onsets", [("F@50ms", "f50"), ("F@25ms", "f25")], onsets, ["etude", "etude live", "aubio", "librosa"], "category"))
    if "beats" in tasks:
        print(table("Beats", [("F-measure", "f"), ("CMLt", "cmlt"), ("AMLt", "amlt")], beats, ["etude", "aubio", "librosa"], "all"))
    if "notes" in tasks:
        print(table("Notes", [("F onset", "f_on"), ("F onset+offset", "f_off")], notes, ["etude", "aubio"], "source category"))
    if "tempo" in tasks:
        print(table("Tempo", [("Acc1", "acc1"), ("Acc2", "acc2")], tempo, ["etude", "aubio", "librosa"], "all"))


if __name__ == "__main__":
    sys.exit(main())
