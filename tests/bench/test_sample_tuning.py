"""Known answers for bench/accuracy/sample_tuning.py's reading of a lone sample's sounding pitch. No build, no
soundfont: the tones are made here.

Run from the repo root:  .venv/bin/python -m unittest discover -s tests/bench -t .
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "accuracy"))
import sample_tuning as st  # noqa: E402
from make_dataset import RATE, midi_hz  # noqa: E402


def tone(key, cents, seconds=2.0, amplitudes=(1.0, 0.5, 0.3, 0.2), vibrato_cents=0.0, decay_s=None, lead_s=0.1,
         stretch=0.0):
    """A harmonic tone `cents` above `key` after `lead_s` of silence; optional vibrato (5.5 Hz), exponential
    decay, and piano-like stretch (partial k at k*f0*sqrt(1 + stretch*k^2))."""
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = midi_hz(key) * 2 ** ((cents + vibrato_cents * np.sin(2 * np.pi * 5.5 * t)) / 1200)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    x = sum(a * np.sin((k + 1) * np.sqrt(1 + stretch * (k + 1) ** 2) * phase) for k, a in enumerate(amplitudes))
    x = x * np.minimum(1.0, t / 0.02)
    if decay_s:
        x = x * np.exp(-t / decay_s)
    return np.concatenate([np.zeros(int(lead_s * RATE)), 0.3 * x / np.max(np.abs(x))])


class SoundingCents(unittest.TestCase):
    def test_a_steady_tone_reads_its_offset(self):
        for key, cents in ((45, 0.0), (69, 13.0), (84, -19.0)):
            self.assertAlmostEqual(st.sounding_cents(tone(key, cents), key), cents, delta=0.3)

    def test_vibrato_reads_its_centre(self):
        self.assertAlmostEqual(st.sounding_cents(tone(62, 7.0, vibrato_cents=25.0), 62), 7.0, delta=1.0)

    def test_a_weak_fundamental_still_reads_the_key_not_the_octave(self):
        # The fundamental 20 dB under the second harmonic, like the FluidR3 harp's low strings.
        x = tone(47, -6.0, amplitudes=(0.1, 1.0, 0.2, 0.5))
        self.assertAlmostEqual(st.sounding_cents(x, 47), -6.0, delta=0.3)

    def test_a_decaying_pluck_reads_its_offset(self):
        x = tone(52, 9.0, decay_s=0.25, amplitudes=(1.0, 0.7, 0.5, 0.4, 0.3))
        self.assertAlmostEqual(st.sounding_cents(x, 52), 9.0, delta=0.5)

    def test_a_stretched_piano_string_reads_within_two_cents_of_its_fundamental(self):
        # B = 4e-4 puts the 4th partial 5.2 cents sharp of four fundamentals; the weighted reading stays near
        # the fundamental's, far inside the 10 cents that RPA@10c allows.
        x = tone(60, 0.0, stretch=4e-4, decay_s=1.0)
        f1 = 1200 * np.log2(np.sqrt(1 + 4e-4))  # the fundamental's own stretch
        self.assertAlmostEqual(st.sounding_cents(x, 60), f1, delta=2.0)

    def test_a_tone_that_is_not_near_the_key_or_silence_reads_nothing(self):
        self.assertIsNone(st.sounding_cents(np.zeros(2 * RATE), 60))
        # A quarter tone plus away from every harmonic of the key: 150 cents sharp.
        self.assertIsNone(st.sounding_cents(tone(60, 150.0, amplitudes=(1.0,)), 60))


if __name__ == "__main__":
    unittest.main()
