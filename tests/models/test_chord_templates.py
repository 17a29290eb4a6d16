"""Native checks of models/chord_templates.onnx with onnxruntime (PyPI, pinned in requirements.txt).

Run from the repo root:  .venv/bin/python -m unittest discover -s tests/models -t .
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx

from tests.models.shipped import MODELS, load, paths, session  # noqa: E402
MODEL, LABELS, GOLDEN = paths("chord_templates")
SCRIPT = os.path.join(MODELS, "chord_templates", "make_model.py")


def run(sess, chroma):
    return sess.run(["scores", "probabilities"], {"chroma": np.asarray(chroma, dtype=np.float32)})


class ChordTemplatesModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sess, cls.labels, cls.golden = load("chord_templates")

    def test_interface(self):
        inputs, outputs = self.sess.get_inputs(), self.sess.get_outputs()
        self.assertEqual([i.name for i in inputs], ["chroma"])
        self.assertEqual(inputs[0].type, "tensor(float)")
        self.assertEqual(inputs[0].shape[1], 12)
        self.assertIsInstance(inputs[0].shape[0], str, "batch dimension must be dynamic")
        self.assertEqual([o.name for o in outputs], ["scores", "probabilities"])
        for o in outputs:
            self.assertEqual(o.shape[1], 24)
        m = onnx.load(MODEL)
        opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")]
        self.assertEqual(len(opset), 1)
        self.assertTrue(13 <= opset[0] <= 17, f"opset {opset[0]} outside what onnxruntime-web 1.30 is tested with")

    def test_labels(self):
        self.assertEqual(len(self.labels), 24)
        self.assertEqual(len(set(self.labels)), 24)
        self.assertEqual(self.golden["labels"], self.labels)
        names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
        self.assertEqual(self.labels, [f"{n}:maj" for n in names] + [f"{n}:min" for n in names])
        scores, probs = run(self.sess, np.ones((3, 12)))
        self.assertEqual(scores.shape, (3, len(self.labels)))
        self.assertEqual(probs.shape, (3, len(self.labels)))

    def test_golden(self):
        atol = self.golden["tolerance"]["atol"]
        self.assertLessEqual(atol, 1e-4)
        self.assertGreaterEqual(len(self.golden["cases"]), 8)
        for case in self.golden["cases"]:
            with self.subTest(case=case["name"]):
                scores, probs = run(self.sess, case["chroma"])
                np.testing.assert_allclose(scores, case["expected"]["scores"], rtol=0, atol=atol)
                np.testing.assert_allclose(probs, case["expected"]["probabilities"], rtol=0, atol=atol)
                for row, top in zip(scores, case["expected_top"]):
                    if top is not None:
                        self.assertEqual(self.labels[int(np.argmax(row))], top)

    def test_golden_covers_required_situations(self):
        names = " ".join(c["name"] for c in self.golden["cases"]).lower()
        for word in ["clean", "inversion", "noisy", "single", "zeros", "x1000", "batch"]:
            self.assertIn(word, names)
        zeros = next(c for c in self.golden["cases"] if "zeros" in c["name"])
        self.assertTrue(np.all(np.asarray(zeros["expected"]["scores"]) == 0))
        np.testing.assert_allclose(zeros["expected"]["probabilities"], np.full((1, 24), 1 / 24), atol=1e-12)

    def test_properties(self):
        rng = np.random.default_rng(0)
        x = rng.uniform(0, 1, (64, 12)).astype(np.float32)
        s1, p1 = run(self.sess, x)
        s2, _ = run(self.sess, 1000 * x)
        np.testing.assert_allclose(s1, s2, atol=1e-6)  # scale invariant
        self.assertTrue(np.all(s1 >= 0) and np.all(s1 <= 1 + 1e-6))  # cosine of non-negative vectors
        np.testing.assert_allclose(p1.sum(axis=1), 1, atol=1e-5)
        # transposing the chroma by one semitone moves every major and minor score by one root
        s3, _ = run(self.sess, np.roll(x, 1, axis=1))
        np.testing.assert_allclose(s3[:, :12], np.roll(s1[:, :12], 1, axis=1), atol=1e-6)
        np.testing.assert_allclose(s3[:, 12:], np.roll(s1[:, 12:], 1, axis=1), atol=1e-6)
        s0, p0 = run(self.sess, np.zeros((2, 12)))
        self.assertFalse(np.isnan(s0).any() or np.isnan(p0).any())

    def test_bad_shapes_rejected(self):
        for bad in [np.zeros((1, 13)), np.zeros((1, 11)), np.zeros(12), np.zeros((1, 1, 12))]:
            with self.subTest(shape=bad.shape):
                with self.assertRaises(Exception) as ctx:
                    run(self.sess, bad)
                self.assertRegex(str(ctx.exception), r"(?i)dimension|rank|shape")
        with self.assertRaises(Exception):
            self.sess.run(None, {"chroma": np.zeros((1, 12), dtype=np.float64)})  # wrong dtype

    def test_reproducible_from_script(self):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, SCRIPT, "--out", tmp, "--golden"], check=True,
                           stdout=subprocess.DEVNULL)
            fresh = session(os.path.join(tmp, "chord_templates.onnx"))
            for case in self.golden["cases"]:
                a = run(self.sess, case["chroma"])
                b = run(fresh, case["chroma"])
                for x, y in zip(a, b):
                    np.testing.assert_array_equal(x, y)
            with open(os.path.join(tmp, "chord_templates.labels.json")) as f:
                self.assertEqual(json.load(f), self.labels)
            with open(os.path.join(tmp, "chord_templates.golden.json")) as f:
                self.assertEqual(json.load(f), self.golden, "committed golden file is stale: rerun make_model.py --golden")


if __name__ == "__main__":
    unittest.main()
