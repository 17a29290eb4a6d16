#!/usr/bin/env python3
"""Evaluate the exported melody GAN (the .onnx that ships, run with onnxruntime) against held-out
melodies and the Markov baseline; write the report JSON + PNGs and the listening page.

    .venv/bin/python models/melody/evaluate.py
    .venv/bin/python models/melody/evaluate.py --onnx O --markov M --data D --reports R --n 200  # smoke

Conditions: 1,000 phrases drawn (seed 0) from the TEST split (tunes never seen in training, in all
12 transpositions); each gives key, mode, difficulty, meter, bars and range (its own lowest..highest
note). The GAN (noise seed 1, argmax decoding) and the Markov chain (seed 1) generate one phrase per
condition row; the test phrases themselves are the reference.

Metrics (per system):
  pc_jsd, interval_jsd, duration_jsd   Jensen-Shannon divergence (base 2) of the pitch-class-relative-
                                       to-tonic, melodic-interval (-12..12) and note-duration histograms
                                       against the test phrases; also pc_jsd per mode
  in_key_ratio                         notes in the key's scale (major; minor = natural + raised 6/7)
  range_compliance                     phrases with every note inside the requested range; also per note
  per_difficulty                       notes per beat, mean |interval|, range, measured difficulty level
  difficulty_spearman                  rank correlation of requested vs measured difficulty score
  unique_ratio                         distinct token sequences among the 1,000
  novelty                              nearest training phrase (same length, transposition-invariant:
                                       pitches relative to the first note) by Hamming distance per
                                       step; exact_copy_rate = distance 0; copied_2bar_rate = phrases
                                       containing a 2-bar window identical to a training window
  mode_collapse                        for 8 fixed condition rows x 100 noises: distinct outputs and
                                       mean pairwise Hamming distance, next to the same statistic for
                                       test phrases of the same meter and length
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
import metrics as M  # noqa: E402
from markov import Markov  # noqa: E402
from model import Z_DIM  # noqa: E402
from train import conditions, load  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"


def ort_generate(sess, cond, noise, batch=256):
    out = []
    for i in range(0, len(cond), batch):
        logits, = sess.run(["logits"], {"noise": noise[i:i + batch], "condition": cond[i:i + batch]})
        out.append(logits.argmax(2).astype(np.uint8))
    return np.concatenate(out)


def relative(tokens, length):
    """Transposition-invariant copy: note tokens become pitch - first pitch (+100); rest/hold kept."""
    t = tokens[:length].astype(np.int16)
    notes = t[t >= 2]
    if len(notes) == 0:
        return t
    r = t.copy()
    r[t >= 2] = t[t >= 2] - notes[0] + 100
    return r


def novelty(samples, meter, bars, train_rel):
    """train_rel: {length: array [K,length]} of training phrases in relative form."""
    dist, exact, copied2 = [], 0, 0
    win_cache = {}
    for i in range(len(samples)):
        L = C.n_steps(meter[i], bars[i])
        r = relative(samples[i], L)
        ref = train_rel.get(L)
        if ref is None or len(ref) == 0:
            continue
        hd = (ref != r[None, :]).mean(1)
        m = float(hd.min())
        dist.append(m)
        exact += m == 0.0
        spb = C.STEPS_PER_BAR[C.METERS[meter[i]]]
        w = 2 * spb
        if w not in win_cache:  # all 2-bar windows (bar-aligned) of all training phrases, relative form
            wins = set()
            for LL, arr in train_rel.items():
                for row in arr:
                    for s in range(0, LL - w + 1, spb):
                        wins.add(relative(row[s:s + w], w).tobytes()) if LL % spb == 0 else None
            win_cache[w] = wins
        hit = any(relative(samples[i][s:s + w], w).tobytes() in win_cache[w] for s in range(0, L - w + 1, spb))
        copied2 += hit
    n = max(len(dist), 1)
    return {"nn_hamming_mean": float(np.mean(dist)), "nn_hamming_median": float(np.median(dist)),
            "exact_copy_rate": exact / n, "copied_2bar_rate": copied2 / n, "n": len(dist)}


def pairwise_diversity(tokens, length):
    rel = np.stack([relative(t, length) for t in tokens])
    d = (rel[:, None, :] != rel[None, :, :]).mean(2)
    iu = np.triu_indices(len(rel), 1)
    return float(d[iu].mean())


def system_metrics(name, toks, d, idx, stats, thresholds):
    meter, bars, key, mode = d["meter"][idx], d["bars"][idx], d["key"][idx], d["mode"][idx]
    low, high, req = d["low"][idx], d["high"][idx], d["difficulty"][idx]
    ev = M.decode_all(toks, meter, bars)
    ref = M.decode_all(d["tokens"][idx], meter, bars)
    out = {"system": name}
    out.update(M.quality(ev, ref, key))
    for m in (0, 1):
        s = mode == m
        a = M.histograms([e for e, k in zip(ev, s) if k], key[s])
        b = M.histograms([e for e, k in zip(ref, s) if k], key[s])
        out[f"pc_jsd_{C.MODES[m]}"] = M.jsd(a[0], b[0])
        out[f"_hist_pc_{C.MODES[m]}"] = a[0].tolist()
    ik, ok_phr, n_in, n_all, empty = [], 0, 0, 0, 0
    feats = []
    for i in range(len(toks)):
        L = C.n_steps(meter[i], bars[i])
        r = C.in_key_ratio(toks[i], L, key[i], mode[i])
        if not np.isnan(r):
            ik.append(r)
        ps = [p for _, _, p in C.notes_of(toks[i], L)]
        empty += len(ps) == 0
        inside = [low[i] <= p <= high[i] for p in ps]
        n_in += sum(inside)
        n_all += len(inside)
        ok_phr += bool(ps) and all(inside)
        feats.append(C.features(toks[i], L, meter[i], key[i], mode[i]))
    feats = np.array(feats)
    score = C.difficulty_score(feats, stats)
    level = C.difficulty_level(score, thresholds)
    from scipy.stats import spearmanr
    out["in_key_ratio"] = float(np.mean(ik))
    out["range_compliance_phrases"] = ok_phr / len(toks)
    out["range_compliance_notes"] = n_in / max(n_all, 1)
    out["empty_phrases"] = empty / len(toks)
    out["difficulty_spearman"] = float(spearmanr(req, score).correlation)
    out["difficulty_exact_level"] = float(np.mean(level == req))
    out["difficulty_within_one"] = float(np.mean(np.abs(level - req) <= 1))
    per = {}
    for lv in range(1, 6):
        s = req == lv
        per[str(lv)] = {"n": int(s.sum()),
                        "notes_per_beat": float(feats[s, 2].mean()),
                        "mean_abs_interval": float(feats[s, 0].mean()),
                        "range_semitones": float(feats[s, 4].mean()),
                        "short_or_syncopated": float(feats[s, 3].mean()),
                        "measured_level_mean": float(level[s].mean())}
    out["per_difficulty"] = per
    out["unique_ratio"] = len({t[:C.n_steps(meter[i], bars[i])].tobytes() for i, t in enumerate(toks)}) / len(toks)
    out["_hist"] = [h.tolist() for h in M.histograms(ev, key)]
    return out


def to_midi(events, path, tempo=96):
    from music21 import meter as m21meter, note, stream, tempo as m21tempo
    s = stream.Stream()
    s.append(m21tempo.MetronomeMark(number=tempo))
    for st, du, p in events:
        el = note.Rest() if p is None else note.Note(p)
        el.quarterLength = du / 4
        s.append(el)
    s.write("midi", fp=path)


def piano_roll_svg(events, length, low, high, w=480, h=110):
    lo, hi = min(low, *(p for _, _, p in events if p is not None)), max(high, *(p for _, _, p in events if p is not None))
    lo, hi = lo - 1, hi + 1
    sx, sy = w / length, h / (hi - lo + 1)
    parts = [f'<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img">',
             f'<rect width="{w}" height="{h}" fill="#fafafa" stroke="#ccc"/>']
    for y0 in (low, high):
        y = (hi - y0) * sy + sy / 2
        parts.append(f'<line x1="0" x2="{w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e99" stroke-dasharray="3,3"/>')
    for s, d, p in events:
        if p is None:
            continue
        parts.append(f'<rect x="{s * sx:.1f}" y="{(hi - p) * sy:.1f}" width="{d * sx - 1:.1f}" height="{sy:.1f}" fill="#3b6ea8"/>')
    parts.append("</svg>")
    return "".join(parts)


def note_name(p):
    return f"{C.PITCH_NAMES[p % 12]}{p // 12 - 1}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", default=os.path.join(ROOT, "models", "melody_gan.onnx"))
    ap.add_argument("--data", default=os.path.join(ROOT, "build", "models", "melody"))
    ap.add_argument("--markov", default=os.path.join(ROOT, "build", "models", "melody", "run", "markov.json"))
    ap.add_argument("--train-log", default=os.path.join(ROOT, "build", "models", "melody", "run", "train_log.json"))
    ap.add_argument("--reports", default=os.path.join(ROOT, "models", "reports"))
    ap.add_argument("--samples-dir", default=os.path.join(ROOT, "build", "models", "melody", "samples"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--no-audio", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(args.onnx, so, providers=["CPUExecutionProvider"])
    d = load(os.path.join(args.data, "phrases.npz"))
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    stats, thresholds = meta["feature_stats"], meta["difficulty_thresholds"]
    test = np.where(d["split"] == 2)[0]
    idx = np.sort(np.random.default_rng(0).choice(test, min(args.n, len(test)), replace=False))
    cond = conditions(d, idx)
    noise = np.random.default_rng(1).standard_normal((len(idx), Z_DIM)).astype(np.float32)
    t_g = time.time()
    gan = ort_generate(sess, cond, noise)
    gan_ms = (time.time() - t_g) * 1000 / len(idx)
    with open(args.markov) as f:
        markov = Markov.from_json(f.read())
    rng = np.random.default_rng(1)
    mk = np.stack([markov.sample(rng, d["key"][i], d["mode"][i], d["difficulty"][i], d["meter"][i], d["bars"][i],
                                 d["low"][i], d["high"][i]) for i in idx])
    systems = {"gan": gan, "markov": mk, "test": d["tokens"][idx]}
    results = {k: system_metrics(k, v, d, idx, stats, thresholds) for k, v in systems.items()}

    # novelty vs the training phrases (one row per untransposed phrase, relative form)
    tr = np.where(d["split"] == 0)[0]
    _, first = np.unique(d["base"][tr], return_index=True)
    tr = tr[first]
    train_rel = {}
    for i in tr:
        L = C.n_steps(d["meter"][i], d["bars"][i])
        train_rel.setdefault(L, []).append(relative(d["tokens"][i], L))
    train_rel = {L: np.unique(np.stack(v), axis=0) for L, v in train_rel.items()}
    for k, v in systems.items():
        results[k]["novelty"] = novelty(v, d["meter"][idx], d["bars"][idx], train_rel)

    # mode collapse: 8 condition rows x 100 noises
    mc_rows = idx[np.linspace(0, len(idx) - 1, 8).astype(int)]
    mc = []
    for j, i in enumerate(mc_rows):
        c = np.repeat(conditions(d, np.array([i])), 100, 0)
        z = np.random.default_rng(100 + j).standard_normal((100, Z_DIM)).astype(np.float32)
        tk = ort_generate(sess, c, z)
        L = C.n_steps(d["meter"][i], d["bars"][i])
        same = test[(d["meter"][test] == d["meter"][i]) & (d["bars"][test] == d["bars"][i])]
        _, f1 = np.unique(d["base"][same], return_index=True)
        same = same[f1][:100]
        mrng = np.random.default_rng(200 + j)
        mtk = np.stack([markov.sample(mrng, d["key"][i], d["mode"][i], d["difficulty"][i], d["meter"][i],
                                      d["bars"][i], d["low"][i], d["high"][i]) for _ in range(100)])
        mc.append({"conditions": {"key": C.PITCH_NAMES[d["key"][i]], "mode": C.MODES[d["mode"][i]],
                                  "difficulty": int(d["difficulty"][i]), "meter": C.METERS[d["meter"][i]],
                                  "bars": int(d["bars"][i]), "low": int(d["low"][i]), "high": int(d["high"][i])},
                   "gan_unique": len({t[:L].tobytes() for t in tk}) / 100,
                   "gan_pairwise_hamming": pairwise_diversity(tk, L),
                   "markov_unique": len({t[:L].tobytes() for t in mtk}) / 100,
                   "markov_pairwise_hamming": pairwise_diversity(mtk, L),
                   "test_pairwise_hamming_same_meter_length": pairwise_diversity(d["tokens"][same], L)})
    mode_collapse = {
        "per_condition": mc,
        "gan_unique_mean": float(np.mean([m["gan_unique"] for m in mc])),
        "gan_pairwise_hamming_mean": float(np.mean([m["gan_pairwise_hamming"] for m in mc])),
        "markov_pairwise_hamming_mean": float(np.mean([m["markov_pairwise_hamming"] for m in mc])),
        "test_pairwise_hamming_mean": float(np.mean([m["test_pairwise_hamming_same_meter_length"] for m in mc])),
    }
    # difficulty at a fixed range: C major, 4/4, 4 bars, C4-C5, 128 noises per level, same noises
    fixed = {}
    z = np.random.default_rng(300).standard_normal((128, Z_DIM)).astype(np.float32)
    for lv in range(1, 6):
        c = np.stack([C.cond_vector(0, 0, lv, 2, 4, 60, 72)] * 128)
        f = np.array([C.features(t, 64, 2, 0, 0) for t in ort_generate(sess, c, z)]).mean(0)
        fixed[str(lv)] = dict(zip(C.FEATURE_NAMES, [float(x) for x in f]))
    hist = {}
    hist_mode = {m: {} for m in C.MODES}
    for k, v in systems.items():
        hist[k] = results[k].pop("_hist")
        for m in C.MODES:
            hist_mode[m][k] = results[k].pop(f"_hist_pc_{m}")
    report = {
        "command": "models/melody/evaluate.py " + " ".join(sys.argv[1:]),
        "onnx": os.path.relpath(args.onnx, ROOT), "n_conditions": int(len(idx)),
        "gan_ms_per_sample_onnxruntime_cpu": gan_ms,
        "systems": results, "mode_collapse": mode_collapse,
        "gan_difficulty_at_fixed_range_C4_C5": fixed,
        "histograms": {"pc_relative_to_tonic": {k: h[0] for k, h in hist.items()},
                       **{f"pc_relative_to_tonic_{m}": hist_mode[m] for m in C.MODES},
                       "interval_-12_12": {k: h[1] for k, h in hist.items()},
                       "duration_16ths_1_16": {k: h[2] for k, h in hist.items()}},
        "seconds": None,
    }
    os.makedirs(args.reports, exist_ok=True)
    plots(report, args)
    page(report, d, idx, gan, mk, args)
    report["seconds"] = round(time.time() - t0, 1)
    with open(os.path.join(args.reports, "melody_gan.json"), "w") as f:
        json.dump(report, f, indent=1)
    summary = {k: {m: (round(v, 4) if isinstance(v, float) else v) for m, v in r.items()
                   if not isinstance(v, dict)} for k, r in results.items()}
    print(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in mode_collapse.items() if k != "per_condition"}, indent=1))
    print(json.dumps({k: r["novelty"] for k, r in results.items()}, indent=1))


def plots(report, args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    colors = {"test": "#444444", "gan": "#3b6ea8", "markov": "#d9822b"}
    fig, ax = plt.subplots(2, 2, figsize=(10, 7), dpi=80)
    h = report["histograms"]
    for a, (key, xs, title) in zip(ax.flat[:3], [
            ("pc_relative_to_tonic", np.arange(12), "pitch class relative to tonic"),
            ("interval_-12_12", np.arange(-12, 13), "melodic interval (semitones)"),
            ("duration_16ths_1_16", np.arange(1, 17), "note duration (16ths)")]):
        for j, (s, v) in enumerate(h[key].items()):
            v = np.asarray(v) / max(np.sum(v), 1)
            a.bar(xs + (j - 1) * 0.27, v, width=0.27, label=s, color=colors[s])
        a.set_title(title, fontsize=10)
    ax.flat[0].legend(fontsize=8)
    a = ax.flat[3]
    for s, r in report["systems"].items():
        lv = sorted(r["per_difficulty"], key=int)
        a.plot([int(x) for x in lv], [r["per_difficulty"][x]["notes_per_beat"] for x in lv], "o-", label=s,
               color=colors[s])
    a.set_xlabel("requested difficulty")
    a.set_ylabel("notes per beat")
    a.set_title("rhythmic density per difficulty", fontsize=10)
    a.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(args.reports, "melody_gan.png"))
    plt.close(fig)
    if os.path.exists(args.train_log):
        with open(args.train_log) as f:
            log = json.load(f)
        fig, ax = plt.subplots(1, 2, figsize=(10, 3.2), dpi=80)
        it = [e["iter"] for e in log]
        ax[0].plot(it, [e["w_dist"] for e in log], label="critic W-distance estimate")
        ax[0].plot(it, [e["range_penalty"] for e in log], label="range penalty")
        ax[0].legend(fontsize=8)
        ax[0].set_xlabel("generator iteration")
        for k in ("pc_jsd", "interval_jsd", "duration_jsd", "val_score"):
            ax[1].plot(it, [e[k] for e in log], label=k)
        ax[1].set_xlabel("generator iteration")
        ax[1].set_title("validation (lower is better)", fontsize=10)
        ax[1].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(args.reports, "melody_gan_training.png"))
        plt.close(fig)


def page(report, d, idx, gan, mk, args):
    """models/reports/melody_samples.html; MIDI + WAV (fluidsynth) in build/, referenced relatively."""
    os.makedirs(args.samples_dir, exist_ok=True)
    pick = np.linspace(0, len(idx) - 1, 8).astype(int)
    rows = []
    audio_ok = not args.no_audio and os.path.exists(SOUNDFONT)
    for n, j in enumerate(pick):
        i = idx[j]
        L = C.n_steps(d["meter"][i], d["bars"][i])
        cond = (f"{C.PITCH_NAMES[d['key'][i]]} {C.MODES[d['mode'][i]]}, difficulty {d['difficulty'][i]}, "
                f"{C.METERS[d['meter'][i]]}, {d['bars'][i]} bars, range {note_name(d['low'][i])}–{note_name(d['high'][i])}")
        for sysname, toks in (("GAN", gan[j]), ("Markov", mk[j]), ("held-out", d["tokens"][i])):
            ev = C.decode(toks, L)
            stem = f"s{n}_{sysname.lower().replace('-', '')}"
            audio = ""
            if audio_ok and any(p is not None for _, _, p in ev):
                mid = os.path.join(args.samples_dir, stem + ".mid")
                wav = os.path.join(args.samples_dir, stem + ".wav")
                to_midi(ev, mid)
                subprocess.run(["fluidsynth", "-ni", "-q", "-F", wav, "-r", "22050", SOUNDFONT, mid],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                rel = os.path.relpath(wav, args.reports)
                audio = f'<audio controls preload="none" src="{rel}"></audio>'
            notes = " ".join(f"{note_name(p)}/{dd}" if p is not None else f"r/{dd}" for _, dd, p in ev)
            svg = piano_roll_svg(ev, L, d["low"][i], d["high"][i]) if any(p is not None for _, _, p in ev) else "(empty)"
            rows.append(f"<tr><td>{n + 1}</td><td>{cond}</td><td>{sysname}</td><td>{svg}</td>"
                        f"<td><code>{notes}</code><br>{audio}</td></tr>")
    g = report["systems"]["gan"]
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Etude melody GAN: samples</title>
<style>body{{font:14px sans-serif;margin:1em}}td{{border-top:1px solid #ddd;padding:4px;vertical-align:top}}
code{{font-size:12px}}</style></head><body>
<h1>Melody GAN samples</h1>
<p>Made by <code>{report['command']}</code> from <code>{report['onnx']}</code>. For 8 condition rows taken from
held-out tunes: the GAN (argmax decoding), the Markov baseline and the held-out phrase itself. Notes are
<code>pitch/duration in 16ths</code>; the dashed lines are the requested range. Audio (FluidR3 piano via
fluidsynth) lives in <code>build/models/melody/samples/</code>, which is not committed: run the command above
to make it. GAN on 1,000 test conditions: pitch-class JSD {g['pc_jsd']:.3f}, interval JSD
{g['interval_jsd']:.3f}, in-key {g['in_key_ratio']:.3f}, range compliance {g['range_compliance_phrases']:.3f},
unique {g['unique_ratio']:.3f} (full report: <code>melody_gan.json</code>).</p>
<table><tr><th>#</th><th>conditions</th><th>system</th><th>piano roll</th><th>notes</th></tr>
{''.join(rows)}
</table></body></html>
"""
    with open(os.path.join(args.reports, "melody_samples.html"), "w") as f:
        f.write(html)


if __name__ == "__main__":
    main()
