"""Known answers for the accuracy benchmark's scoring (bench/accuracy/run_benchmark.py), the parts that turn a
case's truth into reference notes and beats and score estimates against them. Needs no audio and no build.

Run from the repo root:  .venv/bin/python -m unittest discover -s tests/bench -t .
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "accuracy"))
import run_benchmark as rb  # noqa: E402


def case(notes, duration=3.0, extra_onsets=()):
    """A truth like make_dataset.py's: f0 on a 10 ms grid from (onset, offset, hz) notes, and their onsets."""
    times = np.round(np.arange(0, duration, 0.01), 6)
    f0 = np.zeros_like(times)
    for on, off, hz in notes:
        f0[(times >= on - 1e-9) & (times < off - 1e-9)] = hz
    return {"times": times.tolist(), "f0": f0.tolist(), "onsets": sorted([n[0] for n in notes] + list(extra_onsets))}


class TruthNotes(unittest.TestCase):
    def test_detached_notes_end_where_the_truth_falls_silent(self):
        intervals, hz = rb.truth_notes(case([(0.5, 0.9, 440.0), (1.0, 1.6, 523.25)]))
        np.testing.assert_allclose(intervals, [[0.5, 0.9], [1.0, 1.6]], atol=1e-6)
        np.testing.assert_allclose(hz, [440.0, 523.25])

    def test_a_legato_note_ends_at_the_next_onset_and_a_repeat_is_its_own_note(self):
        # A4 0.5-1.0 slurred into C5 1.0-1.5, then C5 again from 1.5 (re-articulated, no gap) to 2.0.
        c = case([(0.5, 1.0, 440.0), (1.0, 1.5, 523.25), (1.5, 2.0, 523.25)])
        intervals, hz = rb.truth_notes(c)
        np.testing.assert_allclose(intervals, [[0.5, 1.0], [1.0, 1.5], [1.5, 2.0]], atol=1e-6)
        np.testing.assert_allclose(hz, [440.0, 523.25, 523.25])

    def test_the_pitch_is_the_median_so_vibrato_reads_its_centre(self):
        times = np.arange(0, 2.0, 0.01)
        f0 = np.where((times >= 0.5) & (times < 1.5), 440.0 * 2 ** (0.3 * np.sin(2 * np.pi * 5.5 * times) / 12), 0.0)
        intervals, hz = rb.truth_notes({"times": times.tolist(), "f0": f0.tolist(), "onsets": [0.5]})
        self.assertEqual(len(hz), 1)
        self.assertLess(abs(1200 * np.log2(hz[0] / 440.0)), 5.0)

    def test_an_onset_in_silence_makes_no_note(self):
        intervals, hz = rb.truth_notes(case([(0.5, 0.9, 440.0)], extra_onsets=[2.0]))
        self.assertEqual(len(hz), 1)


class ScoreNotes(unittest.TestCase):
    def setUp(self):
        self.case = case([(0.5, 0.9, 440.0), (1.0, 1.6, 523.25), (2.0, 2.5, 392.0)])

    def test_the_truth_scores_one(self):
        intervals, hz = rb.truth_notes(self.case)
        self.assertEqual(rb.score_notes(self.case, intervals, hz), {"f_on": 1.0, "f_off": 1.0})

    def test_onsets_within_50_ms_and_pitch_within_50_cents_count(self):
        est = [[0.54, 0.9], [0.96, 1.6], [2.0, 2.5]]
        hz = [440.0 * 2 ** (40 / 1200), 523.25, 392.0 * 2 ** (-60 / 1200)]  # the third is 60 cents flat
        s = rb.score_notes(self.case, est, hz)
        self.assertAlmostEqual(s["f_on"], 2 / 3)

    def test_offsets_count_only_in_f_off(self):
        est = [[0.5, 1.3], [1.0, 1.6], [2.0, 2.5]]  # the first runs on 0.4 s past its release
        s = rb.score_notes(self.case, est, [440.0, 523.25, 392.0])
        self.assertEqual(s["f_on"], 1.0)
        self.assertAlmostEqual(s["f_off"], 2 / 3)

    def test_empty_and_degenerate_notes_are_no_notes(self):
        self.assertEqual(rb.score_notes(self.case, np.zeros((0, 2)), [])["f_on"], 0.0)
        s = rb.score_notes(self.case, [[0.5, 0.5], [1.0, 1.6]], [440.0, 0.0])  # zero length; no pitch
        self.assertEqual(s["f_on"], 0.0)


class Beats(unittest.TestCase):
    def test_a_drum_patterns_beats_are_its_quarter_notes(self):
        # 120 BPM from 0 s: kick/snare on the beats, hats on every eighth.
        onsets = [round(k * 0.25, 6) for k in range(48)]
        beats = rb.truth_beats({"onsets": onsets, "bpm": 120})
        np.testing.assert_allclose(beats, [k * 0.5 for k in range(24)])

    def test_a_click_track_starting_anywhere_is_all_beats(self):
        onsets = [0.37 + k * 60 / 92 for k in range(12)]
        np.testing.assert_allclose(rb.truth_beats({"onsets": onsets, "bpm": 92}), onsets)

    def test_scores(self):
        c = {"onsets": [k * 0.5 for k in range(30)], "bpm": 120}  # 15 s: 20 beats after the 5 s trim
        self.assertEqual(rb.score_beats(c, c["onsets"]), {"f": 1.0, "cmlt": 1.0, "amlt": 1.0})
        shifted = rb.score_beats(c, [t + 0.1 for t in c["onsets"]])  # 100 ms late: outside +-70 ms
        self.assertEqual(shifted["f"], 0.0)
        extra = rb.score_beats(c, c["onsets"] + [15.0, 15.5, 16.0, 16.5])  # four beats after the music
        self.assertAlmostEqual(extra["f"], 2 * 20 / (20 + 24))


if __name__ == "__main__":
    unittest.main()
