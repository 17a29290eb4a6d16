"""Native checks of models/chord_classifier.onnx (onnxruntime, PyPI pin in requirements.txt) and of its
training pipeline.

Run from the repo root:  .venv/bin/python -m unittest discover -s tests/models -t .
The smoke-training test needs the `etude` CLI (the only feature code the models may use). It looks in
$ETUDE_CLI, build/models/src/cli/etude, build/native/src/cli/etude and is skipped, saying so, when none exists.
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

from tests.models.shipped import MODELS, ROOT, load, paths, session  # noqa: E402
MODEL, LABELS, GOLDEN = paths("chord_classifier")
SCRIPTS = os.path.join(MODELS, "chords")
sys.path.insert(0, SCRIPTS)
import common  # noqa: E402


def find_etude():
    for c in [os.environ.get("ETUDE_CLI"), os.path.join(ROOT, "build", "models", "src", "cli", "etude"),
              os.path.join(ROOT, "build", "native", "src", "cli", "etude")]:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


class ChordClassifierModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sess, cls.labels, cls.golden = load("chord_classifier")
        cls.width = cls.sess.get_inputs()[0].shape[1]

    def run_model(self, x):
        return self.sess.run(["scores", "probabilities"], {"frames": np.asarray(x, dtype=np.float32)})

    def test_interface(self):
        inputs, outputs = self.sess.get_inputs(), self.sess.get_outputs()
        self.assertEqual([i.name for i in inputs], ["frames"])
        self.assertEqual(inputs[0].type, "tensor(float)")
        self.assertEqual(len(inputs[0].shape), 2)
        self.assertIsInstance(inputs[0].shape[0], str, "batch dimension must be dynamic")
        self.assertEqual([o.name for o in outputs], ["scores", "probabilities"])
        for o in outputs:
            self.assertEqual(o.shape[1], len(self.labels))
        m = onnx.load(MODEL)
        opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")]
        self.assertEqual(len(opset), 1)
        self.assertTrue(13 <= opset[0] <= 17, f"opset {opset[0]}")
        self.assertLessEqual(sum(int(np.prod(i.dims)) for i in m.graph.initializer), 200_000)

    def test_input_contract_is_named_frame_fields(self):
        """The model reads CONTEXT_FRAMES frames x FIELDS, every field a named FeatureFrame field in
        web/worklet/feature-frame.js (so the browser can build the input from live frames)."""
        props = {p.key: p.value for p in onnx.load(MODEL).metadata_props}
        fields = json.loads(props["fields"])
        frames = int(props["context_frames"])
        js = common.parse_frame_fields_js()
        self.assertEqual(len(js), 120)
        self.assertEqual(js[15:27], common.CHROMA_FIELDS)  # sanity of the parser against the header layout
        for f in fields:
            self.assertIn(f, js, f"{f} is not a FeatureFrame field")
        self.assertEqual(len(set(fields)), len(fields))
        self.assertIn(fields, list(common.FEATURE_SETS.values()))
        self.assertEqual(frames, common.CONTEXT_FRAMES)
        self.assertEqual(self.width, frames * len(fields))
        self.assertEqual(self.golden["fields"], fields)
        self.assertEqual(self.golden["context_frames"], frames)
        with open(common.FEATURE_FRAME_H) as f:
            header = f.read()
        for name in fields:  # the C++ header's name list carries the same names
            self.assertIn(f'"{name}"', header)

    def test_labels(self):
        self.assertEqual(self.labels, common.LABELS)
        self.assertEqual(len(self.labels), 133)
        self.assertEqual(len(set(self.labels)), 133)
        self.assertEqual(self.labels[-1], "N")
        with open(os.path.join(MODELS, "chord_templates.labels.json")) as f:
            self.assertEqual(self.labels[:24], json.load(f))
        self.assertEqual(self.golden["labels"], self.labels)
        s, p = self.run_model(np.zeros((3, self.width)))
        self.assertEqual(s.shape, (3, len(self.labels)))
        self.assertEqual(p.shape, (3, len(self.labels)))

    def test_golden(self):
        atol = self.golden["tolerance"]["atol"]
        self.assertLessEqual(atol, 1e-4)
        self.assertGreaterEqual(len(self.golden["cases"]), 6)
        n_top = 0
        for case in self.golden["cases"]:
            with self.subTest(case=case["name"]):
                x = np.asarray(case["chroma"], np.float32)
                self.assertEqual(x.shape[1], self.width)
                s, p = self.run_model(x)
                np.testing.assert_allclose(s, case["expected"]["scores"], rtol=0, atol=atol)
                np.testing.assert_allclose(p, case["expected"]["probabilities"], rtol=0, atol=atol)
                for row, top in zip(s, case["expected_top"]):
                    if top is not None:
                        n_top += 1
                        self.assertEqual(self.labels[int(np.argmax(row))], top)
        self.assertGreater(n_top, 3)

    def test_bad_shapes_rejected(self):
        for bad in [np.zeros((1, self.width + 1)), np.zeros((1, self.width - 1)), np.zeros(self.width),
                    np.zeros((1, common.CONTEXT_FRAMES, self.width // common.CONTEXT_FRAMES))]:
            with self.subTest(shape=bad.shape):
                with self.assertRaises(Exception):
                    self.run_model(bad)
        with self.assertRaises(Exception):
            self.sess.run(None, {"frames": np.zeros((1, self.width), dtype=np.float64)})

    def test_root_equivariance(self):
        """Transposing the input by k semitones moves every chord's score by k roots: chroma and bass chroma
        rolled by k, or the semitone spectrum shifted up by k (exact while the notes stay more than an octave
        below the spectrum's top edge, B6: then every pitch class keeps an empty position, see train.py)."""
        fields = self.golden["fields"]
        F = len(fields)
        cqt = fields == common.SEMITONE_FIELDS
        rng = np.random.default_rng(0)
        x = rng.uniform(0, 1, (8, common.CONTEXT_FRAMES, F)).astype(np.float32)
        if cqt:  # notes between E3 and F#5 (semitone indices 24..50)
            x *= rng.uniform(0, 1, x.shape) < 0.3
            x[:, :, :24] = 0
            x[:, :, 51:] = 0
        for j, name in enumerate(fields):  # plausible scalar fields
            if name == "rms_dbfs":
                x[:, :, j] = rng.uniform(-60, -10, x.shape[:2])
        s0, p0 = self.run_model(x.reshape(8, -1))
        np.testing.assert_allclose(p0.sum(1), 1, atol=1e-5)
        for k in (1, 5):
            y = x.copy()
            if cqt:
                y[:] = 0
                y[:, :, k:] = x[:, :, :-k]
            else:
                y[:, :, 0:12] = np.roll(x[:, :, 0:12], k, axis=2)
            if fields[12:24] == common.BASS_FIELDS:
                y[:, :, 12:24] = np.roll(x[:, :, 12:24], k, axis=2)
            s1, _ = self.run_model(y.reshape(8, -1))
            chords0 = s0[:, :132].reshape(8, 11, 12)
            chords1 = s1[:, :132].reshape(8, 11, 12)
            np.testing.assert_allclose(chords1, np.roll(chords0, k, axis=2), atol=2e-4)
            np.testing.assert_allclose(s1[:, 132], s0[:, 132], atol=2e-4)


class ChordClassifierPipeline(unittest.TestCase):
    def test_smoke_training(self):
        """make_dataset.py --quick (renders + `etude analyze features`) and train.py --smoke, in a temp dir:
        the pipeline runs end to end, the loss decreases, the exported model agrees with PyTorch."""
        etude = find_etude()
        if etude is None:
            self.skipTest("etude CLI not built (cmake --build build/models --target etude, or set ETUDE_CLI)")
        with tempfile.TemporaryDirectory() as tmp:
            data, out = os.path.join(tmp, "data"), os.path.join(tmp, "out")
            t0 = time.time()
            subprocess.run([sys.executable, os.path.join(SCRIPTS, "make_dataset.py"), "--quick", "--out", data,
                            "--etude", etude], check=True, stdout=subprocess.DEVNULL)
            res = subprocess.run([sys.executable, os.path.join(SCRIPTS, "train.py"), "--smoke", "--data", data,
                                  "--out", out], capture_output=True, text=True)
            self.assertEqual(res.returncode, 0, res.stdout[-2000:] + res.stderr[-2000:])
            self.assertLess(time.time() - t0, 120)
            with open(os.path.join(out, "chord_classifier_report.json")) as f:
                rep = json.load(f)
            first, last = rep["final_train_loss_first_last_epoch"]
            self.assertLess(last, first)
            self.assertLess(rep["export"]["max_abs_diff_probabilities"], 1e-4)
            for name in ["chord_classifier.onnx", "chord_classifier.labels.json", "chord_classifier.golden.json",
                         "chord_classifier_learning_curves.png", "chord_classifier_confusion.png",
                         "chord_classifier_occlusion.png"]:
                self.assertTrue(os.path.getsize(os.path.join(out, name)) > 0, name)
            def assert_golden():
                sess = session(os.path.join(out, "chord_classifier.onnx"))
                with open(os.path.join(out, "chord_classifier.golden.json")) as f:
                    golden = json.load(f)
                for case in golden["cases"]:
                    got = sess.run(["scores", "probabilities"], {"frames": np.asarray(case["chroma"], np.float32)})
                    for name, value in zip(["scores", "probabilities"], got):
                        np.testing.assert_allclose(value, case["expected"][name], atol=golden["tolerance"]["atol"], rtol=0)
            assert_golden()
            # calibrate.py on the same quick data (CI has no separate calibration set): runs, reports, and the
            # file it leaves still answers the golden cases it rewrote.
            res = subprocess.run([sys.executable, os.path.join(SCRIPTS, "calibrate.py"), "--data", data,
                                  "--models", out, "--reports", out], capture_output=True, text=True)
            self.assertEqual(res.returncode, 0, res.stdout[-2000:] + res.stderr[-2000:])
            with open(os.path.join(out, "chord_classifier_calibration.json")) as f:
                cal = json.load(f)
            self.assertGreater(cal["temperature"], 0)
            self.assertTrue(os.path.getsize(os.path.join(out, "chord_classifier_reliability.png")) > 0)
            assert_golden()
            with open(os.path.join(data, "manifest.jsonl")) as f:
                first_clip = json.loads(f.readline())
            for key in ["label", "harte", "root", "quality", "inversion", "family", "source", "register", "aug"]:
                self.assertIn(key, first_clip)


    def test_training_features_are_every_second_frame_at_the_live_hop(self):
        """make_dataset.py reads `etude analyze features --model-frames --npy`. It must give exactly what the
        app feeds the classifier: every second frame of the features at the live hop (web/audio.js's liveHop:
        256 at 48 kHz, 240 at 44.1 kHz), the same phase for every clip of a sample rate (which frames: the
        stream's even ones, src/ml/chord_input.h; tests/unit/app/test_chord_window.cpp checks them bit for bit
        against the app's own window)."""
        etude = find_etude()
        if etude is None:
            self.skipTest("etude CLI not built (set ETUDE_CLI)")
        # By path: other models' folders have a make_dataset.py too (sys.modules keeps the first one imported).
        import importlib.util
        spec = importlib.util.spec_from_file_location("chords_make_dataset", os.path.join(SCRIPTS, "make_dataset.py"))
        make_dataset = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(make_dataset)

        def live_hop(sample_rate):  # web/audio.js
            return max(64, int(np.floor(sample_rate * 0.0107 / 32 + 0.5)) * 32) // 2

        def live_features(wav, sample_rate):
            res = subprocess.run([etude, "analyze", "features", wav, "--hop", str(live_hop(sample_rate))],
                                 check=True, capture_output=True, text=True)
            lines = res.stdout.splitlines()
            names = lines[0].strip().split(",")
            x = np.array([[float(v) for v in line.split(",")] for line in lines[1:] if line], dtype=np.float32)
            return names, x.reshape(-1, len(names))

        specs = make_dataset.make_specs(6, per_chord=1, n_none=4, families=["pluck", "additive"])
        rates = [s["aug"]["sample_rate"] for s in specs]
        pick = [specs[rates.index(44100)], specs[rates.index(48000)]]
        pick += [s for s in specs if s["label"] == "N"][:2]
        phases = {}
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as scratch:
            make_dataset.render(pick, tmp, lambda msg: None)
            for s in pick:
                wav = os.path.join(tmp, s["file"])
                rate = s["aug"]["sample_rate"]
                names, x = make_dataset.read_features(etude, wav, scratch)
                live_names, live = live_features(wav, rate)
                self.assertEqual(names, live_names)
                self.assertEqual(x.dtype, np.float32)
                phase = int(np.searchsorted(live[:, 0], x[0, 0]))
                self.assertIn(phase, (0, 1))
                self.assertEqual(phases.setdefault(rate, phase), phase)
                np.testing.assert_array_equal(x, live[phase::2])


class ChordClassifierCalibration(unittest.TestCase):
    """models/chords/calibrate.py: the temperature fit, the reliability metrics, the ONNX rewrite, and that
    the shipped file matches its calibration report."""

    @classmethod
    def setUpClass(cls):
        import calibrate
        cls.cal = calibrate

    def test_fit_recovers_a_known_temperature(self):
        """Labels drawn from softmax(z); the model reports z * 2.5 (over-confident): the fit finds T ~ 2.5 and
        calibrating lowers ECE; a calibrated model (T = 1) is left near 1."""
        rng = np.random.default_rng(0)
        z = rng.normal(0, 2.0, (20000, 8))
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        y = np.array([rng.choice(8, p=row) for row in p])
        t = self.cal.fit_temperature(z * 2.5, y)
        self.assertAlmostEqual(t, 2.5, delta=0.1)
        self.assertAlmostEqual(self.cal.fit_temperature(z, y), 1.0, delta=0.05)
        over, fixed = self.cal.calibration_metrics(z * 2.5, y), self.cal.calibration_metrics(z * 2.5 / t, y)
        self.assertGreater(over["ece"], 0.1)
        self.assertLess(fixed["ece"], 0.02)
        self.assertGreater(over["mean_confidence"], over["accuracy"] + 0.1)
        self.assertEqual(over["accuracy"], fixed["accuracy"])

    def test_reliability_bins(self):
        probs = np.array([[0.95, 0.05], [0.95, 0.05], [0.55, 0.45], [0.55, 0.45]])
        y = np.array([0, 1, 0, 0])
        rows = [r for r in self.cal.reliability(probs, y) if r["n"]]
        self.assertEqual([(r["n"], r["accuracy"]) for r in rows], [(2, 1.0), (2, 0.5)])
        m = self.cal.calibration_metrics(np.log(probs), y)
        self.assertAlmostEqual(m["ece"], 0.5 * abs(1.0 - 0.55) + 0.5 * abs(0.5 - 0.95), places=6)

    def test_temperature_node_scales_scores_and_is_replaced_not_stacked(self):
        base = onnx.load(MODEL)
        t_ship = self.cal.current_temperature(base)
        with open(GOLDEN) as f:
            x = np.asarray(json.load(f)["cases"][0]["chroma"], np.float32)
        s0, _ = self.cal.session_from(base).run(["scores", "probabilities"], {"frames": x})
        once = self.cal.apply_temperature(base, 2.0)
        twice = self.cal.apply_temperature(once, 4.0)
        self.assertEqual(sum(n.op_type == "Div" and list(n.output) == ["scores"] for n in twice.graph.node), 1)
        self.assertEqual(self.cal.current_temperature(twice), 4.0)
        s1, p1 = self.cal.session_from(once).run(["scores", "probabilities"], {"frames": x})
        s2, _ = self.cal.session_from(twice).run(["scores", "probabilities"], {"frames": x})
        np.testing.assert_allclose(s1, s0 * t_ship / 2.0, atol=1e-5)
        np.testing.assert_allclose(s2, s0 * t_ship / 4.0, atol=1e-5)
        np.testing.assert_allclose(p1, self.cal.softmax(s1.astype(np.float64)), atol=1e-6)
        self.assertEqual(list(s1.argmax(1)), list(s0.argmax(1)))

    def test_shipped_model_matches_its_calibration_report(self):
        with open(os.path.join(MODELS, "reports", "chord_classifier_calibration.json")) as f:
            rep = json.load(f)
        shipped = self.cal.current_temperature(onnx.load(MODEL))
        self.assertAlmostEqual(shipped, rep["shipped_temperature"], places=5)
        kept = rep["eval_after"] if rep["applied"] else rep["eval_before"]
        self.assertLess(kept["ece"], 0.05, "the shipped probabilities are not calibrated on unseen clips")
        self.assertLessEqual(kept["ece"], min(rep["eval_before"]["ece"], rep["eval_after"]["ece"]) + 1e-9)


if __name__ == "__main__":
    unittest.main()
