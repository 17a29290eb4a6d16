"""Checks of models/melody_gan.onnx (onnxruntime, PyPI pin) and of the melody training pipeline.

Run from the repo root:  .venv/bin/python -m unittest discover -s tests/models -t .
The smoke test builds a tiny data set, trains 20 iterations, exports and evaluates, all in a temp dir.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

import numpy as np
import onnx

from tests.models.shipped import MODELS, load, paths  # noqa: E402
MELODY = os.path.join(MODELS, "melody")
MODEL, LABELS, GOLDEN = paths("melody_gan")
PY = sys.executable
_NAMES = ("common", "model", "export", "markov", "metrics", "train")


def _import_melody():
    """Import models/melody/{common,model,export} without clashing with other models' `common`
    modules (tests of several models share one interpreter): hide same-named modules while importing,
    then put them back; the melody modules keep references to their own `common`."""
    saved = {k: sys.modules.pop(k) for k in _NAMES if k in sys.modules}
    sys.path.insert(0, MELODY)
    try:
        import common
        import export
        import model
    finally:
        sys.path.remove(MELODY)
        for k in _NAMES:
            sys.modules.pop(k, None)
        sys.modules.update(saved)
    return common, model, export


C, MODEL_PY, EXPORT_PY = _import_melody()


def run(sess, noise, cond):
    return sess.run(["logits", "probabilities"], {"noise": np.asarray(noise, np.float32),
                                                 "condition": np.asarray(cond, np.float32)})


class MelodyGanModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sess, cls.labels, cls.golden = load("melody_gan")

    def test_interface(self):
        ins, outs = self.sess.get_inputs(), self.sess.get_outputs()
        self.assertEqual([i.name for i in ins], ["noise", "condition"])
        self.assertEqual([i.type for i in ins], ["tensor(float)", "tensor(float)"])
        self.assertEqual(ins[0].shape[1], 32)
        self.assertEqual(ins[1].shape[1], C.COND_DIM)
        for i in ins:
            self.assertIsInstance(i.shape[0], str, "batch dimension must be dynamic")
        self.assertEqual([o.name for o in outs], ["logits", "probabilities"])
        for o in outs:
            self.assertEqual(o.shape[1:], [C.T_MAX, C.VOCAB])
        m = onnx.load(MODEL)
        opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")]
        self.assertEqual(len(opset), 1)
        self.assertTrue(13 <= opset[0] <= 17)
        # batch sizes 1 and 5 both run, probabilities are distributions
        for n in (1, 5):
            noise = np.random.default_rng(n).standard_normal((n, 32))
            cond = np.stack([C.cond_vector(2, 0, 3, 2, 4, 60, 74)] * n)
            logits, probs = run(self.sess, noise, cond)
            self.assertEqual(probs.shape, (n, C.T_MAX, C.VOCAB))
            np.testing.assert_allclose(probs.sum(2), 1.0, atol=1e-5)
            self.assertTrue(np.isfinite(logits).all())

    def test_wrong_shape_rejected(self):
        with self.assertRaises(Exception):
            run(self.sess, np.zeros((1, 31)), np.zeros((1, C.COND_DIM)))
        with self.assertRaises(Exception):
            run(self.sess, np.zeros((1, 32)), np.zeros((1, C.COND_DIM + 1)))

    def test_labels(self):
        self.assertEqual(self.labels, C.labels())
        self.assertEqual(len(self.labels), C.VOCAB)
        self.assertEqual(self.labels[:2], ["rest", "hold"])
        self.assertEqual(self.labels[2 + 60 - C.PITCH_LO], "C4")
        self.assertEqual(self.golden["labels"], self.labels)

    def test_parameter_count(self):
        m = onnx.load(MODEL)
        n = sum(int(np.prod(t.dims)) for t in m.graph.initializer)
        # the initializers also hold two constant tables (positions 12x64x27, transposition 12x49x37)
        # and small shape tensors
        self.assertLessEqual(n, 1_000_000 + 12 * 64 * 27 + 12 * 49 * 37 + 100)
        p = MODEL_PY.n_params(MODEL_PY.Generator())
        self.assertLessEqual(p, 1_000_000)
        self.assertEqual(p, self.golden["generator_params"])

    def test_golden(self):
        g = self.golden
        atol = g["tolerance"]["atol"]
        self.assertGreater(len(g["cases"]), 0)
        noise, cond = EXPORT_PY.golden_inputs()
        self.assertEqual(len(g["cases"]), len(EXPORT_PY.GOLDEN_CASES))
        for i, c in enumerate(g["cases"]):
            with self.subTest(case=c["name"]):
                k = c["conditions"]
                want_cond = C.cond_vector(k["key"], C.MODES.index(k["mode"]), k["difficulty"],
                                          C.METERS.index(k["meter"]), k["bars"], k["low"], k["high"])
                np.testing.assert_allclose(c["condition"], want_cond, atol=1e-7)
                np.testing.assert_allclose(c["condition"], cond[i], atol=1e-7)
                np.testing.assert_allclose(c["noise"], noise[i], atol=1e-7)
                _, probs = run(self.sess, [c["noise"]], [c["condition"]])
                want = np.asarray(c["expected"]["probabilities"])
                self.assertEqual(probs[0].shape, want.shape)
                np.testing.assert_allclose(probs[0], want, atol=atol, rtol=0)
                # argmax tokens, where the top two are not within the tolerance of each other
                top2 = np.sort(want, 1)[:, -2:]
                clear = (top2[:, 1] - top2[:, 0]) > 4 * atol
                got = probs[0].argmax(1)
                np.testing.assert_array_equal(got[clear], np.asarray(c["expected_tokens"])[clear])
                self.assertEqual(c["steps"], C.n_steps(C.METERS.index(k["meter"]), k["bars"]))
                notes = [list(n) for n in C.notes_of(np.asarray(c["expected_tokens"]), c["steps"])]
                self.assertEqual(notes, c["expected_notes"])

    def _sample(self, key=0, mode=0, diff=3, meter=2, bars=4, low=57, high=79, n=128, seed=0):
        noise = np.random.default_rng(seed).standard_normal((n, 32))
        cond = np.stack([C.cond_vector(key, mode, diff, meter, bars, low, high)] * n)
        _, probs = run(self.sess, noise, cond)
        return probs.argmax(2), C.n_steps(meter, bars)

    def _pitches(self, toks, length):
        return np.array([p for t in toks for _, _, p in C.notes_of(t, length)])

    def test_key_moves_pitch_classes(self):
        """Same noise, key C vs key F#: each output's notes fit its own requested key better."""
        tc, L = self._sample(key=0)
        tf, _ = self._sample(key=6)
        pc_c, pc_f = self._pitches(tc, L) % 12, self._pitches(tf, L) % 12
        self.assertGreater(len(pc_c), 100)
        self.assertGreater(len(pc_f), 100)
        in_c = lambda pcs, k: np.mean([((p - k) % 12) in C.MAJOR_SCALE for p in pcs])  # noqa: E731
        self.assertGreater(in_c(pc_c, 0), in_c(pc_c, 6) + 0.2)
        self.assertGreater(in_c(pc_f, 6), in_c(pc_f, 0) + 0.2)
        # F# (pc 6) is out of C major and the tonic of F# major
        self.assertGreater(np.mean(pc_f == 6), np.mean(pc_c == 6))

    def test_mode_map(self):
        """The mode map is its own inverse, stays inside each octave, and takes the major scale to
        natural minor."""
        t = MODEL_PY.mode_map_table()
        q = np.arange(MODEL_PY.REL_PITCH)
        np.testing.assert_array_equal(t[0], q)
        np.testing.assert_array_equal(t[1][t[1]], q)
        np.testing.assert_array_equal(t[1] // 12, q // 12)
        self.assertEqual(sorted(t[1][list(C.MAJOR_SCALE)]), [0, 2, 3, 5, 7, 8, 10])

    def test_mode_moves_the_third(self):
        """Same noise, C major vs C minor: minor requests use the minor 3rd (E-flat) more than the
        major 3rd (E), major requests the other way round, and both stay in their own scale."""
        tmaj, L = self._sample(mode=0)
        tmin, _ = self._sample(mode=1)
        pc_maj, pc_min = self._pitches(tmaj, L) % 12, self._pitches(tmin, L) % 12
        self.assertGreater(np.mean(pc_min == 3), 2 * np.mean(pc_min == 4))
        self.assertGreater(np.mean(pc_maj == 4), 2 * np.mean(pc_maj == 3))
        self.assertGreater(np.mean([p in C.MINOR_SCALE for p in pc_min]), 0.9)
        self.assertGreater(np.mean([p in C.MAJOR_SCALE for p in pc_maj]), 0.9)

    def test_range_moves_register(self):
        lo, _ = self._sample(low=50, high=64)
        hi, L = self._sample(low=67, high=81)
        self.assertGreater(self._pitches(hi, L).mean(), self._pitches(lo, L).mean() + 6)

    def test_difficulty_changes_features(self):
        """Same noise and range, difficulty 5 vs 1: more notes per beat. (Interval size is NOT checked:
        at a fixed range the model's leaps barely change with difficulty; see the model card.)"""
        feats = {}
        for diff in (1, 5):
            toks, L = self._sample(diff=diff)
            feats[diff] = np.array([C.features(t, L, 2, 0, 0) for t in toks]).mean(0)
        names = C.FEATURE_NAMES
        self.assertGreater(feats[5][names.index("notes_per_beat")], feats[1][names.index("notes_per_beat")] + 0.1)

    def test_bars_and_meter_change_outputs(self):
        a, _ = self._sample(meter=2, bars=4)
        b, _ = self._sample(meter=1, bars=2)
        self.assertGreater(np.mean(a[:, :24] != b[:, :24]), 0.05)


class MelodyPipelineSmoke(unittest.TestCase):
    def test_smoke_training(self):
        t0 = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            data, run_dir, out, rep = (os.path.join(tmp, x) for x in ("data", "run", "out", "reports"))
            env = dict(os.environ, OMP_NUM_THREADS="1")
            subprocess.run([PY, os.path.join(MELODY, "make_dataset.py"), "--out", data, "--max-files", "1"],
                           check=True, env=env, stdout=subprocess.DEVNULL)
            with np.load(os.path.join(data, "phrases.npz")) as z:
                self.assertGreater(len(z["tokens"]), 1000)
                self.assertEqual(set(np.unique(z["key"])), set(range(12)))
                self.assertEqual(set(np.unique(z["difficulty"])), {1, 2, 3, 4, 5})
                self.assertTrue((z["tokens"].max() < C.VOCAB))
            subprocess.run([PY, os.path.join(MELODY, "train.py"), "--smoke", "--data", data, "--out", run_dir],
                           check=True, env=env, stdout=subprocess.DEVNULL)
            with open(os.path.join(run_dir, "train_summary.json")) as f:
                s = json.load(f)
            self.assertEqual(s["iterations"], 20)
            self.assertLessEqual(s["generator_params"], 1_000_000)
            subprocess.run([PY, os.path.join(MELODY, "export.py"), "--ckpt", os.path.join(run_dir, "generator.pt"),
                            "--out", out], check=True, env=env, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "melody_gan.golden.json")) as f:
                g = json.load(f)
            self.assertLess(g["torch_vs_onnxruntime"]["max_abs_probabilities"], g["tolerance"]["atol"])
            subprocess.run([PY, os.path.join(MELODY, "evaluate.py"), "--onnx", os.path.join(out, "melody_gan.onnx"),
                            "--data", data, "--markov", os.path.join(run_dir, "markov.json"),
                            "--train-log", os.path.join(run_dir, "train_log.json"), "--reports", rep,
                            "--samples-dir", os.path.join(tmp, "samples"), "--n", "60", "--no-audio"],
                           check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(os.path.join(rep, "melody_gan.json")) as f:
                r = json.load(f)
            self.assertEqual(set(r["systems"]), {"gan", "markov", "test"})
            self.assertEqual(r["systems"]["test"]["pc_jsd"], 0.0)
            self.assertTrue(os.path.exists(os.path.join(rep, "melody_samples.html")))
        print(f"\nmelody smoke pipeline: {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
