#include "dsp/chroma.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dsp/stft.h"
#include "signals.h"

using namespace etude::dsp;

namespace {
ChromaFrame chroma_of(const std::vector<float>& x, float rate, int frames = 20, SemitoneSpectrum* semitones = nullptr) {
  ChromaParams p;
  p.sample_rate = rate;
  p.frame_size = Stft::frame_size_for(rate, 0.17f);
  Stft stft(rate, p.frame_size);
  Chroma chroma(p);
  ChromaFrame out;
  const std::size_t hop = std::size_t(p.frame_size / 4);
  for (int i = 0; i < frames; ++i) out = chroma.process(stft.compute({x.data(), std::size_t(p.frame_size) + hop * std::size_t(i)}));
  if (semitones) *semitones = chroma.semitones();
  return out;
}
double midi_hz(double m, double cents = 0) { return 440.0 * std::exp2((m - 69.0 + cents / 100.0) / 12.0); }
}  // namespace

TEST(Chroma, ParamsValidate) {
  EXPECT_EQ(ChromaParams{}.validate(), nullptr);
  ChromaParams p;
  p.max_midi = p.min_midi + 3;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(Chroma, CMajorTriadLightsCEAndG) {
  for (float rate : {22050.0f, 44100.0f, 48000.0f}) {
    auto x = etude::test::harmonic(midi_hz(60), rate, std::size_t(rate * 2), 0.2, 4);
    etude::test::add(x, etude::test::harmonic(midi_hz(64), rate, x.size(), 0.2, 4));
    etude::test::add(x, etude::test::harmonic(midi_hz(67), rate, x.size(), 0.2, 4));
    etude::test::add(x, etude::test::harmonic(midi_hz(48), rate, x.size(), 0.3, 3));  // C3 in the bass
    const ChromaFrame f = chroma_of(x, rate);
    // C carries the bass note too, so E and G read lower than C but far above the other pitch classes.
    for (int pc : {0, 4, 7}) EXPECT_GT(f.chroma[std::size_t(pc)], 0.35f) << rate << " pc " << pc;
    for (int pc : {1, 3, 6, 8, 10}) EXPECT_LT(f.chroma[std::size_t(pc)], 0.1f) << rate << " pc " << pc;
    EXPECT_EQ(*std::max_element(f.bass.begin(), f.bass.end()), f.bass[0]) << rate;
  }
}

TEST(Chroma, EstimatesTuningAndCompensatesForIt) {
  const float rate = 44100.0f;
  // A band tuned 30 cents sharp: without tuning, A and A# would share the energy.
  auto x = etude::test::harmonic(midi_hz(69, 30), rate, std::size_t(rate * 3), 0.2, 4);
  etude::test::add(x, etude::test::harmonic(midi_hz(64, 30), rate, x.size(), 0.2, 4));
  const ChromaFrame f = chroma_of(x, rate, 40);
  EXPECT_NEAR(f.tuning_cents, 30.0f, 3.0f);
  EXPECT_GT(f.chroma[9], 0.9f);
  EXPECT_LT(f.chroma[10], 0.1f);
}

TEST(Chroma, SilenceIsAllZero) {
  SemitoneSpectrum s;
  s.fill(1.0f);
  const ChromaFrame f = chroma_of(std::vector<float>(48000, 0.0f), 48000.0f, 3, &s);
  for (float v : f.chroma) EXPECT_EQ(v, 0.0f);
  for (float v : f.bass) EXPECT_EQ(v, 0.0f);
  for (float v : s) EXPECT_EQ(v, 0.0f);
}

// White noise has no pitch: its power per semitone grows with frequency, but every pitch class gathers its
// octaves alike, so the classes differ only by where their top semitone lies in the top octave (B6 holds
// 2^(11/12) times C6's power: at most 1.39 in the square-rooted chroma, max/mean about 1.2) and by the scatter
// of one frame's random peaks (max/mean measured 1.17..1.42 over these rates and seeds). A single note
// gives max/mean 12, a triad about 3.5: 2 says no class dominates.
TEST(Chroma, WhiteNoiseHasNoDominantPitchClass) {
  for (float rate : {22050.0f, 44100.0f, 48000.0f}) {
    for (unsigned seed : {1u, 7u, 11u}) {
      const ChromaFrame f = chroma_of(etude::test::noise(std::size_t(rate * 2), 0.2, seed), rate);
      double mean = 0;
      for (float v : f.chroma) mean += v / 12.0;
      const float top = *std::max_element(f.chroma.begin(), f.chroma.end());
      EXPECT_EQ(top, 1.0f) << rate << " seed " << seed;  // not gated as silence: normalised to 1
      EXPECT_LT(top / mean, 2.0) << rate << " seed " << seed;
      EXPECT_GT(*std::min_element(f.chroma.begin(), f.chroma.end()), 0.2f) << rate << " seed " << seed;
    }
  }
}

// DC has no pitch either: through the Hann window it lands in bins 0 and 1 only, below the lowest bin the
// chroma reads (37.8 Hz, half a semitone under D#1, a semitone under the bass range: bin 6 or 7 at these
// rates and frames), so the band the chroma reads
// holds only the FFT's rounding noise, far under silence_dbfs (-70 dB): all zero, as for silence.
TEST(Chroma, DcAloneIsAllZero) {
  for (float rate : {22050.0f, 48000.0f}) {
    SemitoneSpectrum s;
    s.fill(1.0f);
    const ChromaFrame f = chroma_of(std::vector<float>(std::size_t(rate), 0.9f), rate, 3, &s);
    for (float v : f.chroma) EXPECT_EQ(v, 0.0f) << rate;
    for (float v : f.bass) EXPECT_EQ(v, 0.0f) << rate;
    for (float v : s) EXPECT_EQ(v, 0.0f) << rate;
  }
}

// Silence and DC from a fresh start leave the tuning estimate at 0: their frames hold only the FFT's rounding
// noise, whose peaks lie at random pitches and used to turn the estimate anywhere in -50..50 cents. A band
// 30 cents sharp after them is still estimated as one.
TEST(Chroma, SilenceAndDcLeaveTheTuningAlone) {
  for (float rate : {22050.0f, 48000.0f}) {
    ChromaParams p;
    p.sample_rate = rate;
    p.frame_size = Stft::frame_size_for(rate, 0.17f);
    Stft stft(rate, p.frame_size);
    Chroma chroma(p);
    const std::size_t hop = std::size_t(p.frame_size / 4), n = std::size_t(rate * 6);
    std::vector<float> x(n, 0.0f);
    for (std::size_t i = n / 6; i < n / 3; ++i) x[i] = 0.9f;              // 1-2 s: DC
    for (std::size_t i = n / 3; i < n / 2; ++i) x[i] = i % 2 ? 1e-6f : 0;  // 2-3 s: a tiny Nyquist ripple
    std::vector<float> band = etude::test::harmonic(midi_hz(69, 30), rate, n, 0.2, 4);
    for (std::size_t i = n / 2; i < n; ++i) x[i] = band[i];                 // 3-6 s: A4 30 cents sharp
    for (std::size_t end = std::size_t(p.frame_size); end <= n; end += hop) {
      const ChromaFrame& f = chroma.process(stft.compute({x.data(), end}));
      if (end < n / 2) {
        ASSERT_EQ(f.tuning_cents, 0.0f) << rate << " at " << double(end) / rate << " s";
      }
    }
    EXPECT_NEAR(chroma.tuning_cents(), 30.0f, 3.0f) << rate;
  }
}

// The semitone spectrum keeps the octave the chroma folds away: C2, E3, G4 and C6 light exactly those four
// semitones, from E1 to B6, at 16-48 kHz.
TEST(Chroma, SemitoneSpectrumKeepsTheOctave) {
  for (float rate : {16000.0f, 22050.0f, 48000.0f}) {
    std::vector<float> x(std::size_t(rate * 2), 0.0f);
    for (int m : {36, 52, 67, 84}) etude::test::add(x, etude::test::harmonic(midi_hz(m), rate, x.size(), 0.2, 1));
    SemitoneSpectrum s;
    chroma_of(x, rate, 20, &s);
    for (int i = 0; i < kSemitoneBins; ++i) {
      const int m = kSemitoneLowMidi + i;
      if (m == 36 || m == 52 || m == 67 || m == 84) {
        EXPECT_GT(s[std::size_t(i)], 0.8f) << rate << " midi " << m;
      } else {
        EXPECT_LT(s[std::size_t(i)], 0.05f) << rate << " midi " << m;
      }
    }
    EXPECT_EQ(*std::max_element(s.begin(), s.end()), 1.0f);
  }
}
