#!/usr/bin/env python3
"""Fill models/melody/card_template.md with the numbers of the reports -> models/melody_gan.card.md.

    .venv/bin/python models/melody/write_card.py
Reads models/reports/melody_gan.json, models/melody_gan.golden.json, models/melody_gan.onnx and
build/models/melody/run/train_summary.json; every number in the card comes from these files.
"""
import argparse
import json
import os

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default=os.path.join(ROOT, "build", "models", "melody", "run"))
    args = ap.parse_args()
    with open(os.path.join(ROOT, "models", "reports", "melody_gan.json")) as f:
        r = json.load(f)
    with open(os.path.join(ROOT, "models", "melody_gan.golden.json")) as f:
        g = json.load(f)
    with open(os.path.join(args.run, "train_summary.json")) as f:
        t = json.load(f)
    S = r["systems"]
    rows = [("pitch-class JSD (relative to tonic)", "pc_jsd", 4), ("  major / minor", None, 0),
            ("interval JSD", "interval_jsd", 4), ("duration JSD", "duration_jsd", 4),
            ("in-key ratio (notes)", "in_key_ratio", 3), ("range compliance (phrases)", "range_compliance_phrases", 3),
            ("range compliance (notes)", "range_compliance_notes", 3),
            ("difficulty: Spearman requested vs measured", "difficulty_spearman", 3),
            ("difficulty: measured level = requested", "difficulty_exact_level", 3),
            ("difficulty: within one level", "difficulty_within_one", 3),
            ("unique ratio (1,000 samples)", "unique_ratio", 3)]
    table = []
    for name, key, nd in rows:
        if key is None:
            table.append(f"| {name} | " + " | ".join(
                f"{S[s]['pc_jsd_major']:.4f} / {S[s]['pc_jsd_minor']:.4f}" for s in ("gan", "markov", "test")) + " |")
        else:
            table.append(f"| {name} | " + " | ".join(f"{S[s][key]:.{nd}f}" for s in ("gan", "markov", "test")) + " |")
    diff = []
    for lv in "12345":
        cells = []
        for s in ("gan", "markov", "test"):
            p = S[s]["per_difficulty"][lv]
            cells.append(f"{p['notes_per_beat']:.2f} / {p['mean_abs_interval']:.2f} / {p['range_semitones']:.1f}")
        diff.append(f"| {lv} | " + " | ".join(cells) + " |")
    mc = r["mode_collapse"]
    nov = {s: S[s]["novelty"] for s in S}
    fx = r["gan_difficulty_at_fixed_range_C4_C5"]
    agree = g["torch_vs_onnxruntime"]

    def share(hist, system, i):
        v = r["histograms"][hist][system]
        return f"{v[i] / sum(v):.3f}"
    rep = {
        "SIZE": f"{os.path.getsize(os.path.join(ROOT, 'models', 'melody_gan.onnx')):,}",
        "ITERS": str(t["iterations"]), "TRAIN_S": f"{t['gan_seconds']:.0f}",
        "PARAMS": f"{g['generator_params']:,}", "MS": f"{r['gan_ms_per_sample_onnxruntime_cpu']:.2f}",
        "TABLE": "\n".join(table), "DIFF": "\n".join(diff),
        "MC_U": f"{100 * mc['gan_unique_mean']:.0f}", "MC_G": f"{mc['gan_pairwise_hamming_mean']:.3f}",
        "MC_T": f"{mc['test_pairwise_hamming_mean']:.3f}", "MC_M": f"{mc['markov_pairwise_hamming_mean']:.3f}",
        "UNIQ": f"{S['gan']['unique_ratio']:.3f}",
        "COPY": f"{nov['gan']['exact_copy_rate']:.3f}", "COPY_T": f"{nov['test']['exact_copy_rate']:.3f}",
        "COPY2": f"{nov['gan']['copied_2bar_rate']:.3f}", "COPY2_T": f"{nov['test']['copied_2bar_rate']:.3f}",
        "NN": f"{nov['gan']['nn_hamming_mean']:.3f}", "NN_T": f"{nov['test']['nn_hamming_mean']:.3f}",
        "DP": f"{agree['max_abs_probabilities']:.1e}", "AGREE": f"{agree['argmax_agreement']:.4f}",
        "INKEY": f"{S['gan']['in_key_ratio']:.3f}",
        "FX_D1": f"{fx['1']['notes_per_beat']:.2f}", "FX_D5": f"{fx['5']['notes_per_beat']:.2f}",
        "FX_I1": f"{fx['1']['mean_abs_interval']:.2f}", "FX_I5": f"{fx['5']['mean_abs_interval']:.2f}",
        "BEST": str(t["best_iter"]),
        "RUN_ARGS": f"--iters {t['args']['iters']} --minutes {t['args']['minutes']:g} --fm {t['args'].get('fm', 0):g}",
        "STOPPED": "stopped by the time limit" if t["iterations"] < t["args"]["iters"] else "run to the end",
        "CRITIC_PARAMS": f"{t['critic_params']:,}", "FM": f"{t['args'].get('fm', 0):g}",
        "REP_G": share("interval_-12_12", "gan", 12), "REP_T": share("interval_-12_12", "test", 12),
        "SIX_G": share("duration_16ths_1_16", "gan", 0), "SIX_T": share("duration_16ths_1_16", "test", 0),
        "DEG4_G": share("pc_relative_to_tonic", "gan", 5), "DEG4_T": share("pc_relative_to_tonic", "test", 5),
        "CHROM_G": f"{1 - S['gan']['in_key_ratio']:.3f}", "CHROM_T": f"{1 - S['test']['in_key_ratio']:.3f}",
        "RC_N": f"{S['gan']['range_compliance_notes']:.3f}", "EMPTY": f"{S['gan']['empty_phrases']:.3f}",
        "D1_RANGE": f"{S['test']['per_difficulty']['1']['range_semitones']:.1f}",
    }
    # Minor mode: how the GAN's scale degrees in minor requests compare with the minor test phrases
    # (share of notes on the minor 3rd, major 3rd, minor 6th and minor 7th above the tonic).
    hm = r["histograms"]["pc_relative_to_tonic_minor"]
    share_m = {k: np.asarray(v, float) / max(sum(v), 1) for k, v in hm.items()}
    degrees = [(3, "minor 3rd"), (4, "major 3rd"), (8, "minor 6th"), (10, "minor 7th")]
    listed = ", ".join(f"{name} {share_m['gan'][i]:.3f} (data {share_m['test'][i]:.3f})" for i, name in degrees)
    jm = S["gan"]["pc_jsd_minor"]
    if jm > 3 * max(S["gan"]["pc_jsd_major"], 1e-4):
        rep["MINOR_TEXT"] = (f"minor requests match much worse than major ones (pitch-class JSD {jm:.3f} against "
                             f"{S['gan']['pc_jsd_major']:.3f}). Share of notes in minor requests: {listed}. "
                             "Where the major 3rd outweighs the minor 3rd the melody sounds major: the mode input "
                             "is not obeyed well enough, and a teacher asking for minor should check the result.")
    else:
        off = max(degrees, key=lambda d: abs(share_m["gan"][d[0]] - share_m["test"][d[0]]))
        more = share_m["gan"][off[0]] > share_m["test"][off[0]]
        rep["MINOR_TEXT"] = (f"minor requests match about as well as major ones (pitch-class JSD {jm:.3f} against "
                             f"{S['gan']['pc_jsd_major']:.3f}). Share of notes in minor requests: {listed}. "
                             f"The largest difference from the data is the {off[1]}, used "
                             f"{'more' if more else 'less'} than in real minor tunes.")
    # Seed-to-seed spread (models/melody/seed_spread.py), when it was measured for this design.
    seeds_path = os.path.join(ROOT, "models", "reports", "melody_gan_seeds.json")
    spread = None
    if os.path.exists(seeds_path):
        with open(seeds_path) as f:
            spread = json.load(f)
        shipped = [x for x in spread["runs"] if x["shipped"]]
        if not shipped or abs(shipped[0]["pc_jsd"] - S["gan"]["pc_jsd"]) > 1e-12:
            spread = None  # measured for another model: say nothing rather than something stale
    if spread is None:
        rep["SEEDS"] = ("Only one training run of this design (seed 0); no seed-to-seed or cross-validation spread "
                        "was measured for the GAN (each run is 35-60 min of the shared CPU).")
    else:
        runs = spread["runs"]
        cells = "; ".join(
            f"seed {x['seed']}{' (shipped)' if x['shipped'] else ''}, best at {x['best_iter']}: pitch-class JSD "
            f"{x['pc_jsd']:.3f} (minor {x['pc_jsd_minor']:.3f}), interval {x['interval_jsd']:.3f}, duration "
            f"{x['duration_jsd']:.3f}, in-key {x['in_key_ratio']:.3f}, difficulty Spearman {x['difficulty_spearman']:.2f}"
            for x in runs)
        m, sd = spread["mean"], spread["sd"]
        rep["SEEDS"] = (f"Seed-to-seed spread, {len(runs)} runs of this design that differ only in `--seed` "
                        f"(`models/melody/seed_spread.py`, `models/reports/melody_gan_seeds.json`): {cells}. Mean ± sd: "
                        f"pitch-class JSD {m['pc_jsd']:.3f} ± {sd['pc_jsd']:.3f}, interval {m['interval_jsd']:.3f} ± "
                        f"{sd['interval_jsd']:.3f}, difficulty Spearman {m['difficulty_spearman']:.2f} ± "
                        f"{sd['difficulty_spearman']:.2f}. Two seeds show whether a figure is luck, not a confidence "
                        "interval.")
    closer = nov["gan"]["nn_hamming_mean"] < nov["test"]["nn_hamming_mean"]
    rep["NN_TEXT"] = ("but its nearest neighbours are slightly closer" if closer
                      else "and its nearest training neighbours are further away than the test phrases' are")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "card_template.md")) as f:
        s = f.read()
    for k, v in rep.items():
        s = s.replace(f"@{k}@", v)
    assert "@" not in s.replace("@@", ""), [line for line in s.splitlines() if "@" in line]
    with open(os.path.join(ROOT, "models", "melody_gan.card.md"), "w") as f:
        f.write(s)
    print("wrote models/melody_gan.card.md")


if __name__ == "__main__":
    main()
