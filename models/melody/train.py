#!/usr/bin/env python3
"""Train the conditional melody GAN (WGAN-GP with relaxed softmax outputs) and the Markov baseline.

    .venv/bin/python models/melody/make_dataset.py
    .venv/bin/python models/melody/train.py                    # full run (see --iters / --minutes)
    .venv/bin/python models/melody/train.py --smoke --data D --out O   # ~30 s pipeline check

Variant: WGAN-GP (Gulrajani et al. 2017) on relaxed outputs. The generator emits a softmax
distribution over the 39 tokens at each of the 64 steps; the critic sees these probability vectors
for fakes and relaxed one-hot vectors for real phrases, as in the paper's character-level language
model, with one change: the generator's logits are bounded (B*tanh(raw/B), B = 4) and real tokens are
shown as softmax(+B at the token, -B elsewhere), the sharpest distribution the generator can make.
A first run with unbounded logits and plain one-hot reals (lr 2e-4) saturated its softmax within 250
iterations (mean top probability 0.9999), its gradients vanished and it repeated a few notes in the
wrong key; bounding both sides keeps gradients alive and stops the critic from judging sharpness. Why: the tokens are discrete, so a straight GAN needs either REINFORCE-style gradients
(high variance, slow on a CPU) or a relaxation. The Wasserstein critic with gradient penalty gives
useful gradients even when real (one-hot) and fake (soft) supports differ, where a standard
JS-GAN discriminator saturates by spotting softness; the gradient penalty avoids weight clipping.
No batch norm in the critic (it would break the per-sample gradient penalty).

Conditioning: generator and critic work in mode-normalised key-relative pitch space (model.py): the
mode is applied as an exact permutation of scale degrees and the key as an exact transposition at the
output, and pitches outside the requested range are masked in the generator's logits (range is a hard
constraint of the product). Mode, difficulty, meter, bars and the key-relative range are inputs of
both networks (conditional critic: the conditions at every step).
During training the range condition is the phrase's own lowest/highest note widened by 0-2 semitones
on each side (so "range" means "stay inside", not "touch both ends"). --range-w (default 0) adds a
penalty on masked mass, which the mask makes ~0; kept for experiments without the mask.
A second run (bounded logits, absolute pitch space, range penalty weight 1, lr 1e-4, 1,000
iterations) learned some contour and rhythm but not key or range: on 1,000 test conditions its in-key
ratio was 0.65 and range compliance 0.38, and tests/models/test_melody_gan.py failed (F# requests gave
notes that fit C major better; higher ranges gave lower notes). Hence the key-relative design.

Third design (shipped since 2026-12-01), against the partial mode collapse of the second (34 distinct
melodies per 100 noises for one condition) and its missing 16th notes and repeated notes: the
generator also gets per-step noise (a learned projection of the same noise vector to 8 channels at
each of the 64 steps, so noise can change single notes, not only the phrase as a whole); the critic
has a minibatch-stddev channel (Karras et al. 2018) before its last downsampling, so a batch of
near-identical fakes is easy to tell from real ones; and the generator's loss adds feature matching
(Salimans et al. 2016: squared distance between the mean pooled critic features of the fake batch and
of a real batch with the same conditions, weight --fm), which pulls the fake batch's statistics
toward the data's rather than toward whatever fools the current critic.

Tried after it and not shipped (45 min, best at iteration 3500): half-minor batches, an auxiliary mode
classifier on the critic (AC-GAN, weight 1) and the minor phrases' pitch-class JSD in the validation
score. Minor pitch-class JSD 0.255 -> 0.100, but major 0.026 -> 0.092, in-key 0.960 -> 0.931, and minor
requests still had more major 3rds (0.099 of notes) than minor 3rds (0.059). The app replaces any model
melody under 90% in key with a rule-based one (src/app/generate_session.h, kMinInKey).

Fifth design (shipped since 2026-12-01, best at iteration 2250 of 2750; figures in the model card): the
mode is a fixed permutation, as the key is a fixed transposition. Generator and critic work in a mode-
normalised grid where a minor phrase's minor 3rd, 6th and 7th sit where a major phrase keeps its major
ones (model.mode_map_table: the degrees 3<->b3, 6<->b6, 7<->b7 swap inside each octave; the map is its
own inverse), so both modes share one scale-degree grammar and the one fifth of the data in minor no
longer has to teach the mode by itself; the generator's last steps map the grid back to the requested
mode and transpose to the key. What the network still learns about minor is how it differs beyond the
scale: the raised 6th and 7th (on b6/b7 of the grid), cadences and contour, through the mode input that
both networks keep.

Checkpoint selection: every --eval-every iterations the generator (argmax decoding, fixed noise)
is scored on 512 validation phrases' conditions by the sum of pitch-class, interval and duration
histogram Jensen-Shannon divergences; the best is kept (generator.pt). Logged to train_log.json.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
import metrics as M  # noqa: E402
from markov import Markov  # noqa: E402
from model import Z_DIM, Critic, Generator, n_params, real_soft, split_condition, to_relative  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def conditions(d, idx, rng=None, widen=2):
    """Condition matrix [len(idx), 28] for rows idx of data dict d (optionally widening the range)."""
    n = len(idx)
    low = d["low"][idx].astype(np.float32)
    high = d["high"][idx].astype(np.float32)
    if rng is not None and widen > 0:
        low = low - rng.integers(0, widen + 1, n)
        high = high + rng.integers(0, widen + 1, n)
    c = np.zeros((n, C.COND_DIM), dtype=np.float32)
    r = np.arange(n)
    c[r, d["key"][idx]] = 1
    c[r, 12 + d["mode"][idx]] = 1
    c[r, 14 + d["difficulty"][idx] - 1] = 1
    c[r, 19 + d["meter"][idx]] = 1
    c[r, 23 + d["bars"][idx] - 2] = 1
    c[:, 26] = (low - C.RANGE_CENTER) / C.RANGE_SCALE
    c[:, 27] = (high - C.RANGE_CENTER) / C.RANGE_SCALE
    return c


def generate_tokens(gen, cond, noise, batch=512):
    out = []
    with torch.no_grad():
        for i in range(0, len(cond), batch):
            logits, _ = gen(torch.from_numpy(noise[i:i + batch]), torch.from_numpy(cond[i:i + batch]))
            out.append(logits.argmax(2).numpy().astype(np.uint8))
    return np.concatenate(out)


def load(path):
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "build", "models", "melody"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "models", "melody", "run"))
    ap.add_argument("--iters", type=int, default=2750, help="generator updates (the shipped checkpoint is the best of a 2750-iteration run, at 2250)")
    ap.add_argument("--minutes", type=float, default=120.0, help="stop after this wall time")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--n-critic", type=int, default=3)
    ap.add_argument("--gp", type=float, default=10.0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--range-w", type=float, default=0.0)
    ap.add_argument("--fm", type=float, default=10.0,
                    help="weight of feature matching (generator matches the mean critic features of a real batch)")
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--smoke", action="store_true", help="tiny run: 20 iterations, eval every 10")
    args = ap.parse_args()
    if args.smoke:
        args.iters, args.eval_every, args.batch, args.n_critic = 20, 10, 16, 2

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    t_start = time.time()

    d = load(os.path.join(args.data, "phrases.npz"))
    train_idx = np.where(d["split"] == 0)[0]
    val_all = np.where(d["split"] == 1)[0]
    val_idx = np.sort(np.random.default_rng(1).choice(val_all, min(512, len(val_all)), replace=False))
    val_cond = conditions(d, val_idx)
    val_noise = np.random.default_rng(2).standard_normal((len(val_idx), Z_DIM)).astype(np.float32)
    val_events = M.decode_all(d["tokens"][val_idx], d["meter"][val_idx], d["bars"][val_idx])

    # ---- Markov baseline (relative to the tonic, so one row per untransposed phrase is enough)
    t0 = time.time()
    _, first = np.unique(d["base"][train_idx], return_index=True)
    mi = train_idx[first]
    markov = Markov().fit(d["tokens"][mi], d["meter"][mi], d["bars"][mi], d["key"][mi], d["mode"][mi],
                          d["difficulty"][mi])
    with open(os.path.join(args.out, "markov.json"), "w") as f:
        f.write(markov.to_json())
    markov_s = time.time() - t0
    print(f"markov: fitted on {len(mi)} phrases in {markov_s:.1f} s", flush=True)

    # ---- GAN
    gen, critic = Generator(), Critic()
    print(f"generator {n_params(gen):,} params, critic {n_params(critic):,} params", flush=True)
    opt_g = torch.optim.Adam(gen.parameters(), lr=args.lr, betas=(0.5, 0.9))
    opt_c = torch.optim.Adam(critic.parameters(), lr=args.lr, betas=(0.5, 0.9))

    def real_batch(n):
        idx = train_idx[rng.integers(0, len(train_idx), n)]
        cond = torch.from_numpy(conditions(d, idx, rng))
        rel = to_relative(torch.from_numpy(d["tokens"][idx].astype(np.int64)),
                          torch.from_numpy(d["key"][idx].astype(np.int64)),
                          torch.from_numpy(d["mode"][idx].astype(np.int64)))
        return real_soft(rel, split_condition(cond)[2]), cond

    log, best = [], (float("inf"), -1)
    t_gan = time.time()
    it = 0
    for it in range(1, args.iters + 1):
        for _ in range(args.n_critic):
            x_real, cond = real_batch(args.batch)
            with torch.no_grad():
                _, x_fake, _ = gen.forward_relative(torch.randn(args.batch, Z_DIM), cond)
            eps = torch.rand(args.batch, 1, 1)
            x_hat = (eps * x_real + (1 - eps) * x_fake).requires_grad_(True)
            d_hat = critic(x_hat, cond)
            grad, = torch.autograd.grad(d_hat.sum(), x_hat, create_graph=True)
            gp = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
            w_dist = critic(x_real, cond).mean() - critic(x_fake, cond).mean()
            loss_c = -w_dist + args.gp * gp
            opt_c.zero_grad()
            loss_c.backward()
            opt_c.step()
        x_real, cond = real_batch(args.batch)
        _, probs, mask = gen.forward_relative(torch.randn(args.batch, Z_DIM), cond)
        valid = critic.pos(cond)[:, :, 25]
        oor = (probs[:, :, 2:] * mask.unsqueeze(1)).sum(2)  # ~0: the mask already enforces the range
        range_pen = (oor * valid).sum() / valid.sum()
        score_fake, feat_fake = critic(probs, cond, features=True)
        with torch.no_grad():
            _, feat_real = critic(x_real, cond, features=True)
        fm = ((feat_real.mean(0) - feat_fake.mean(0)) ** 2).mean()
        loss_g = -score_fake.mean() + args.fm * fm + args.range_w * range_pen
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

        if it % args.eval_every == 0 or it == args.iters:
            gen.eval()
            toks = generate_tokens(gen, val_cond, val_noise)
            gen.train()
            ev = M.decode_all(toks, d["meter"][val_idx], d["bars"][val_idx])
            q = M.quality(ev, val_events, d["key"][val_idx])
            score = q["pc_jsd"] + q["interval_jsd"] + q["duration_jsd"]
            uniq = len({t.tobytes() for t in toks}) / len(toks)
            entry = {"iter": it, "seconds": round(time.time() - t_gan, 1), "w_dist": float(w_dist),
                     "gp": float(gp), "feature_matching": float(fm), "range_penalty": float(range_pen), "val_score": score,
                     "val_unique": uniq, **q}
            log.append(entry)
            print(json.dumps(entry), flush=True)
            if score < best[0]:
                best = (score, it)
                torch.save(gen.state_dict(), os.path.join(args.out, "generator.pt"))
            with open(os.path.join(args.out, "train_log.json"), "w") as f:
                json.dump(log, f, indent=1)
        if time.time() - t_gan > args.minutes * 60:
            print(f"time limit reached at iteration {it}", flush=True)
            break
    summary = {
        "args": vars(args), "generator_params": n_params(gen), "critic_params": n_params(critic),
        "iterations": it, "best_iter": best[1], "best_val_score": best[0],
        "gan_seconds": round(time.time() - t_gan, 1), "markov_seconds": round(markov_s, 1),
        "total_seconds": round(time.time() - t_start, 1),
        "train_rows": int(len(train_idx)), "markov_phrases": int(len(mi)),
        "torch": torch.__version__, "threads": torch.get_num_threads(),
    }
    with open(os.path.join(args.out, "train_summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
