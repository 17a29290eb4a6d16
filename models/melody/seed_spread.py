#!/usr/bin/env python3
"""Seed-to-seed spread of the melody GAN: the headline metrics of several training runs that differ only
in --seed, side by side, with mean and standard deviation -> models/reports/melody_gan_seeds.json
(write_card.py puts it in the card). Not part of `make models` (each run is another 35-60 min):

    .venv/bin/python models/melody/train.py --seed 1 --out build/models/melody/run_seed1
    .venv/bin/python models/melody/export.py --ckpt build/models/melody/run_seed1/generator.pt --out build/models/melody/run_seed1/export
    .venv/bin/python models/melody/evaluate.py --onnx build/models/melody/run_seed1/export/melody_gan.onnx \
        --markov build/models/melody/run_seed1/markov.json --train-log build/models/melody/run_seed1/train_log.json \
        --reports build/models/melody/run_seed1/reports --samples-dir build/models/melody/run_seed1/samples --no-audio
    .venv/bin/python models/melody/seed_spread.py --run 0 build/models/melody/run \
        --run 1 build/models/melody/run_seed1

Each --run SEED DIR reads DIR/train_summary.json and the evaluation report: models/reports/melody_gan.json
for the shipped run (the default run directory), DIR/reports/melody_gan.json otherwise.
"""
import argparse
import json
import os

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHIPPED_RUN = os.path.join(ROOT, "build", "models", "melody", "run")
METRICS = ["pc_jsd", "pc_jsd_major", "pc_jsd_minor", "interval_jsd", "duration_jsd", "in_key_ratio",
           "difficulty_spearman", "unique_ratio"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", nargs=2, action="append", metavar=("SEED", "DIR"), required=True)
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "reports", "melody_gan_seeds.json"))
    args = ap.parse_args()
    runs = []
    for seed, d in args.run:
        with open(os.path.join(d, "train_summary.json")) as f:
            t = json.load(f)
        if int(t["args"]["seed"]) != int(seed):
            raise SystemExit(f"{d} was trained with seed {t['args']['seed']}, not {seed}")
        shipped = os.path.abspath(d) == os.path.abspath(SHIPPED_RUN)
        rep = os.path.join(ROOT, "models", "reports", "melody_gan.json") if shipped else os.path.join(d, "reports", "melody_gan.json")
        with open(rep) as f:
            g = json.load(f)["systems"]["gan"]
        runs.append({"seed": int(seed), "shipped": shipped, "best_iter": t["best_iter"], "iterations": t["iterations"],
                     **{m: g[m] for m in METRICS}})
    table = np.array([[r[m] for m in METRICS] for r in runs])
    out = {"runs": runs, "mean": dict(zip(METRICS, table.mean(0).tolist())),
           "sd": dict(zip(METRICS, table.std(0, ddof=1).tolist() if len(runs) > 1 else [0.0] * len(METRICS)))}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
