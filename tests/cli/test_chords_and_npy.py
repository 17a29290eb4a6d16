#!/usr/bin/env python3
"""`etude analyze chords` (trained classifier through Node, template fallback) and `features --npy`, run as
the user runs them. Usage: .venv/bin/python tests/cli/test_chords_and_npy.py path/to/etude
(ctest: cli_chords_and_npy). Needs numpy; the classifier cases need node and onnxruntime-web (npm ci)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import wave

import numpy as np

ETUDE = os.environ.get("ETUDE_CLI") or (sys.argv.pop(1) if len(sys.argv) > 1 else "build/native/src/cli/etude")
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def chord(midi, seconds, rate):
    """Piano-like tones: 6 harmonics, fast attack, slow decay (a struck chord held for `seconds`)."""
    t = np.arange(int(seconds * rate)) / rate
    x = np.zeros_like(t)
    for m in midi:
        f = 440.0 * 2 ** ((m - 69) / 12)
        for k in range(1, 7):
            x += np.sin(2 * np.pi * k * f * t) / k ** 1.5
    return x * np.exp(-0.6 * t) * np.minimum(1, t / 0.01)


def write_wav(path, x, rate, channels=1):
    x = np.clip(x / np.max(np.abs(x)) * 0.5, -1, 1)
    data = np.round(np.repeat(x[:, None], channels, axis=1) * 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    return path


def run(*args, env=None):
    return subprocess.run([ETUDE, *args], capture_output=True, text=True, env={**os.environ, **(env or {})})


def segments(csv_text):
    lines = csv_text.strip().splitlines()
    assert lines[0] == "start_s,end_s,label", lines[0]
    return [(float(a), float(b), c) for a, b, c in (line.split(",") for line in lines[1:])]


class Chords(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.files = {}
        for rate in (48000, 44100):
            x = np.concatenate([chord([48, 60, 64, 67], 2.0, rate), chord([45, 57, 60, 64], 2.0, rate)])  # C:maj, A:min
            cls.files[rate] = write_wav(os.path.join(cls.tmp.name, f"c_then_am_{rate}.wav"), x, rate)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_classifier_names_c_major_then_a_minor(self):
        for rate, path in self.files.items():
            r = run("analyze", "chords", path, "--model", "classifier")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "")
            got = segments(r.stdout)
            self.assertEqual([s[2] for s in got], ["C:maj", "A:min"], (rate, got))
            self.assertEqual(got[0][0], 0.0)
            self.assertAlmostEqual(got[0][1], 2.0, delta=0.2)
            self.assertEqual(got[1][0], got[0][1])
            self.assertAlmostEqual(got[1][1], 4.0, delta=0.01)
            # auto is the classifier when it can run
            self.assertEqual(run("analyze", "chords", path).stdout, r.stdout)

    def test_inversion_and_seventh(self):
        rate = 44100
        x = np.concatenate([chord([40, 60, 64, 67], 2.0, rate), chord([43, 55, 59, 62, 65], 2.0, rate)])  # C/E (E2 bass), G7
        path = write_wav(os.path.join(self.tmp.name, "c_over_e_then_g7.wav"), x, rate)
        r = run("analyze", "chords", path, "--model", "classifier")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = segments(r.stdout)
        self.assertEqual([s[2] for s in got], ["C:maj/3", "G:7"], got)
        self.assertAlmostEqual(got[1][0], 2.0, delta=0.2)

    def test_json_has_confidence(self):
        r = run("analyze", "chords", self.files[48000], "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = json.loads(r.stdout)
        self.assertEqual([row["label"] for row in rows], ["C:maj", "A:min"])
        for row in rows:
            self.assertEqual(set(row), {"start_s", "end_s", "label", "confidence"})
            self.assertGreater(row["confidence"], 0.5)
            self.assertLessEqual(row["confidence"], 1.0)

    def test_falls_back_to_templates_with_one_line_when_node_is_missing(self):
        path = self.files[44100]
        templates = run("analyze", "chords", path, "--model", "templates")
        self.assertEqual(templates.returncode, 0, templates.stderr)
        self.assertEqual([s[2] for s in segments(templates.stdout)], ["C:maj", "A:min"])
        r = run("analyze", "chords", path, env={"ETUDE_NODE": "/nonexistent/node"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, templates.stdout)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertRegex(lines[0], r"^etude: warning: the chord classifier cannot run \(node not found at /nonexistent/node\); using the template baseline$")
        # the same through --node, and when the model file is missing
        self.assertEqual(run("analyze", "chords", path, "--node", "/nonexistent/node").stdout, templates.stdout)
        r = run("analyze", "chords", path, "--chord-model", "/nonexistent/m.onnx")
        self.assertEqual((r.stdout, len(r.stderr.splitlines())), (templates.stdout, 1))

    def test_classifier_without_node_fails_with_one_line(self):
        r = run("analyze", "chords", self.files[48000], "--model", "classifier", env={"ETUDE_NODE": "/nonexistent/node"})
        self.assertEqual(r.returncode, 4)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "etude: the chord classifier cannot run: node not found at /nonexistent/node\n")

    def test_classifier_reports_a_broken_onnxruntime(self):
        with tempfile.TemporaryDirectory() as empty:
            r = run("analyze", "chords", self.files[48000], "--model", "classifier", env={"ETUDE_ORT_DIST": empty})
        self.assertEqual(r.returncode, 4)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn("cannot load onnxruntime-web", r.stderr)

    def test_usage_errors(self):
        path = self.files[48000]
        for args, pattern in [(["--model", "magic"], "--model needs auto, templates or classifier"),
                              (["--model"], "--model needs a value")]:
            r = run("analyze", "chords", path, *args)
            self.assertEqual((r.returncode, r.stdout), (1, ""))
            self.assertIn(pattern, r.stderr)
        r = run("analyze", "pitch", path, "--model", "classifier")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--model is an option of chords only", r.stderr)
        r = run("analyze", "pitch", path, "--npy", os.path.join(self.tmp.name, "x.npy"))
        self.assertEqual(r.returncode, 1)


class FeaturesNpy(unittest.TestCase):
    def test_npy_equals_csv_with_names_and_hop_beside_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            for rate, hop in ((48000, 256), (44100, 240)):
                path = write_wav(os.path.join(tmp, f"c_{rate}.wav"), chord([48, 60, 64, 67], 1.5, rate), rate, channels=2)
                out = os.path.join(tmp, f"c_{rate}.npy")
                r = run("analyze", "features", path, "--npy", out)
                self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
                m = np.load(out)
                self.assertEqual(m.dtype, np.dtype("<f4"))
                csv = run("analyze", "features", path).stdout.strip().splitlines()
                header = csv[0].split(",")
                values = np.array([[float(v) for v in line.split(",")] for line in csv[1:]], dtype=np.float32)
                self.assertEqual(m.shape, (len(csv) - 1, 120))
                self.assertEqual(m.shape, values.shape)
                np.testing.assert_array_equal(m, values)  # CSV prints each float exactly
                with open(os.path.join(tmp, f"c_{rate}.json")) as f:
                    side = json.load(f)
                self.assertEqual(side["columns"], header)
                self.assertEqual((side["sample_rate"], side["hop"], side["live_hop"], side["chord_model_hop"],
                                  side["model_frames"], side["frames"]), (rate, hop, hop, 2 * hop, False, m.shape[0]))
                self.assertAlmostEqual(side["frame_rate"], rate / hop, places=4)
                # 1.5 s of frames at the live hop (the app's)
                self.assertAlmostEqual(m.shape[0], 1.5 * rate / hop, delta=4)  # less the frames centred before 0 s

                # --model-frames: what models/chords trains on, every 2nd of those frames
                model_out = os.path.join(tmp, f"m_{rate}.npy")
                r = run("analyze", "features", path, "--model-frames", "--npy", model_out)
                self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
                mm = np.load(model_out)
                with open(os.path.join(tmp, f"m_{rate}.json")) as f:
                    side = json.load(f)
                self.assertEqual((side["hop"], side["live_hop"], side["model_frames"], side["frames"]),
                                 (hop, hop, True, mm.shape[0]))
                self.assertAlmostEqual(side["frame_rate"], rate / (2 * hop), places=4)
                phase = int(np.searchsorted(m[:, 0], mm[0, 0]))
                self.assertIn(phase, (0, 1))
                np.testing.assert_array_equal(mm, m[phase::2][:len(mm)])
                self.assertLessEqual(abs(len(mm) - len(m[phase::2])), 1)
                r = run("analyze", "features", path, "--model-frames", "--hop", str(2 * hop))
                self.assertEqual(r.returncode, 1)
                self.assertIn(f"--model-frames needs the live hop, {hop}", r.stderr)

    def test_semitones_are_the_spectrum_the_chroma_folds(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_wav(os.path.join(tmp, "c.wav"), chord([36, 52, 67, 84], 1.5, 48000), 48000)
            out = os.path.join(tmp, "s.npy")
            r = run("analyze", "features", path, "--model-frames", "--npy", out)
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            s = np.load(out)
            with open(os.path.join(tmp, "s.json")) as f:
                cols = json.load(f)["columns"]
            self.assertEqual(cols[52:], [f"semitone_{m}" for m in range(28, 96)])
            self.assertEqual(s.shape[1], 120)
            mid = s[len(s) // 2]
            lit = [28 + i for i, v in enumerate(mid[52:]) if v > 0.5]
            self.assertEqual(lit, [36, 52, 67, 84])  # the octave the chroma folds away is kept
            # Each frame's chroma is its semitone spectrum folded to pitch classes (E2..B6, power summed).
            folded = 0
            for row in s:
                spec = row[52:].astype(np.float64) ** 2
                fold = np.zeros(12)
                for m in range(40, 96):
                    fold[m % 12] += spec[m - 28]
                fold = np.sqrt(fold)
                if fold.max() > 0:
                    folded += 1
                    np.testing.assert_allclose(fold / fold.max(), row[15:27], atol=1e-5)
            self.assertGreater(folded, len(s) // 2)

    def test_npy_unwritable_is_one_line(self):
        path = write_wav(os.path.join(tempfile.gettempdir(), "etude_npy_tone.wav"), chord([60], 0.5, 16000), 16000)
        r = run("analyze", "features", path, "--npy", "/nonexistent/dir/x.npy")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "etude: /nonexistent/dir/x.npy: cannot write\n")


if __name__ == "__main__":
    unittest.main()
