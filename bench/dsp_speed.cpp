// Speed of the live feature set (what the AudioWorklet runs per 128-sample quantum) and of its parts,
// native, one core; aubio's pitch (yinfft) and onset detection on the same signal when available.
// Counter "x_realtime" = seconds of audio analysed per second of CPU time.
//   build/dsp/bench/etude_dsp_bench --benchmark_min_time=1

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "dsp/chroma.h"
#include "dsp/decimator.h"
#include "dsp/spectral_features.h"
#include "dsp/fft.h"
#include "dsp/live_analyzer.h"
#include "dsp/onset_detector.h"
#include "dsp/stft.h"
#include "dsp/yin_pitch.h"

#ifdef ETUDE_BENCH_AUBIO
#include <aubio/aubio.h>
#endif
#ifdef ETUDE_BENCH_PFFFT
extern "C" {
#include <pffft.h>
}
#endif

namespace {

using namespace etude::dsp;

// A sung-like test signal: harmonic tone with vibrato, a new note every half second, light noise.
std::vector<float> test_signal(float rate, double seconds) {
  std::vector<float> x(std::size_t(rate * seconds));
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  const double notes[] = {220.0, 247.0, 262.0, 294.0, 330.0, 349.0, 392.0, 440.0};
  double phase = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / rate;
    const double f = notes[std::size_t(t * 2) % 8] * std::exp2(0.3 / 12.0 * std::sin(2 * M_PI * 5.5 * t));
    phase += 2 * M_PI * f / rate;
    double v = 0;
    for (int k = 1; k <= 6; ++k) v += std::sin(k * phase) / k;
    x[i] = float(0.2 * v) + noise(rng);
  }
  return x;
}

void set_realtime(benchmark::State& state, double audio_seconds_per_iteration) {
  state.counters["x_realtime"] = benchmark::Counter(audio_seconds_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_LiveFeatureSet(benchmark::State& state) {
  const float rate = float(state.range(0));
  const int hop = int(state.range(1));
  const auto x = test_signal(rate, 10.0);
  LiveAnalyzerParams p;
  p.sample_rate = rate;
  p.hop = hop;
  p.max_block = 128;
  LiveAnalyzer analyzer(p);
  for (auto _ : state) {
    for (std::size_t i = 0; i + 128 <= x.size(); i += 128) {
      benchmark::DoNotOptimize(analyzer.process({x.data() + i, 128}));
    }
  }
  set_realtime(state, 10.0);
  state.counters["us_per_quantum"] = benchmark::Counter(double(x.size() / 128), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["us_per_quantum"] = state.counters["us_per_quantum"];
}
BENCHMARK(BM_LiveFeatureSet)->Args({44100, 512})->Args({48000, 512})->Args({48000, 256})->Args({16000, 128})->Unit(benchmark::kMillisecond);

void BM_RealFft(benchmark::State& state) {
  const int n = int(state.range(0));
  RealFft fft(n, state.range(1) ? FftEngine::kKissFft : FftEngine::kFastest);
  std::vector<float> x(std::size_t(n), 0.1f);
  std::vector<std::complex<float>> spectrum(std::size_t(fft.bins()));
  for (auto _ : state) {
    fft.forward(x, spectrum);
    benchmark::DoNotOptimize(spectrum.data());
  }
}
// Second argument: 0 = the engine's default (ours for powers of two), 1 = KissFFT, side by side.
BENCHMARK(BM_RealFft)->ArgsProduct({{1024, 2048, 4096}, {0, 1}})->Args({2000, 0});

// YIN's lag correlation as the live analyser runs it (two forward transforms, the cross-spectrum, one inverse).
void BM_RealFftCorrelate(benchmark::State& state) {
  const int n = int(state.range(0));
  RealFft fft(n);
  std::vector<float> a(std::size_t(n), 0.1f), b(std::size_t(n), 0.2f), r(std::size_t(n), 0.0f);
  for (auto _ : state) {
    fft.correlate(a, b, r);
    benchmark::DoNotOptimize(r.data());
  }
}
BENCHMARK(BM_RealFftCorrelate)->Arg(1024)->Arg(2048);

#ifdef ETUDE_BENCH_PFFFT
// PFFFT's real transform, the same sizes: /N/0 its own (unordered) output order, as enough for magnitudes
// and correlation; /N/1 the ordered spectrum, as forward() gives.
void BM_Pffft(benchmark::State& state) {
  const int n = int(state.range(0));
  PFFFT_Setup* setup = pffft_new_setup(n, PFFFT_REAL);
  float* in = static_cast<float*>(pffft_aligned_malloc(std::size_t(n) * sizeof(float)));
  float* out = static_cast<float*>(pffft_aligned_malloc(std::size_t(n) * sizeof(float)));
  float* work = static_cast<float*>(pffft_aligned_malloc(std::size_t(n) * sizeof(float)));
  std::fill(in, in + n, 0.1f);
  for (auto _ : state) {
    if (state.range(1)) {
      pffft_transform_ordered(setup, in, out, work, PFFFT_FORWARD);
    } else {
      pffft_transform(setup, in, out, work, PFFFT_FORWARD);
    }
    benchmark::DoNotOptimize(out);
  }
  pffft_aligned_free(work);
  pffft_aligned_free(out);
  pffft_aligned_free(in);
  pffft_destroy_setup(setup);
}
BENCHMARK(BM_Pffft)->ArgsProduct({{1024, 2048, 4096}, {0, 1}});

void BM_PffftCorrelate(benchmark::State& state) {
  const int n = int(state.range(0));
  PFFFT_Setup* setup = pffft_new_setup(n, PFFFT_REAL);
  auto buffer = [n] { return static_cast<float*>(pffft_aligned_malloc(std::size_t(n) * sizeof(float))); };
  float *a = buffer(), *b = buffer(), *fa = buffer(), *fb = buffer(), *product = buffer(), *r = buffer(), *work = buffer();
  std::fill(a, a + n, 0.1f);
  std::fill(b, b + n, 0.2f);
  for (auto _ : state) {
    pffft_transform(setup, a, fa, work, PFFFT_FORWARD);
    pffft_transform(setup, b, fb, work, PFFFT_FORWARD);
    std::fill(product, product + n, 0.0f);
    pffft_zconvolve_accumulate(setup, fa, fb, product, 1.0f);  // fa * fb (the conjugate would be a sign flip)
    pffft_transform(setup, product, r, work, PFFFT_BACKWARD);
    benchmark::DoNotOptimize(r);
  }
  for (float* p : {a, b, fa, fb, product, r, work}) pffft_aligned_free(p);
  pffft_destroy_setup(setup);
}
BENCHMARK(BM_PffftCorrelate)->Arg(1024)->Arg(2048);
#endif

void BM_YinCandidates(benchmark::State& state) {
  YinParams p;
  p.sample_rate = float(state.range(0));
  YinPitch yin(p);
  const auto x = test_signal(p.sample_rate, 1.0);
  for (auto _ : state) benchmark::DoNotOptimize(yin.analyze(x).count);
}
BENCHMARK(BM_YinCandidates)->Arg(16000)->Arg(22050)->Arg(48000);

void BM_SpectralFeatures(benchmark::State& state) {
  const auto x = test_signal(48000, 1.0);
  Stft stft(48000, 2048);
  SpectralFeatures features(SpectralParams{});
  const auto magnitude = stft.compute(x);
  for (auto _ : state) benchmark::DoNotOptimize(features.process(magnitude, std::span<const float>(x).last(512)).mfcc[0]);
}
BENCHMARK(BM_SpectralFeatures);

void BM_Decimator(benchmark::State& state) {
  const auto x = test_signal(48000, 1.0);
  Decimator d(int(state.range(0)));
  std::vector<float> out(512);
  for (auto _ : state) benchmark::DoNotOptimize(d.push(std::span<const float>(x).first(512), out));
}
BENCHMARK(BM_Decimator)->Arg(2)->Arg(3);

void BM_Spectrum2048AndOnsets(benchmark::State& state) {
  const auto x = test_signal(48000, 1.0);
  Stft stft(48000, 2048);
  OnsetParams op;
  OnsetDetector onsets(op);
  for (auto _ : state) benchmark::DoNotOptimize(onsets.process(stft.compute(x)));
}
BENCHMARK(BM_Spectrum2048AndOnsets);

void BM_Chroma4096At16k(benchmark::State& state) {
  const auto x = test_signal(16000, 1.0);
  Stft stft(16000, 4096);
  ChromaParams p;
  p.sample_rate = 16000;
  p.frame_size = 4096;
  Chroma chroma(p);
  for (auto _ : state) benchmark::DoNotOptimize(chroma.process(stft.compute(x)).chroma[0]);
}
BENCHMARK(BM_Chroma4096At16k);

#ifdef ETUDE_BENCH_AUBIO
// aubio's pitch (yinfft, 2048/512, its default) plus onset (hfc, 1024/512) on the same signal.
void BM_AubioPitchAndOnset(benchmark::State& state) {
  const float rate = float(state.range(0));
  const uint_t hop = 512;
  const auto x = test_signal(rate, 10.0);
  aubio_pitch_t* pitch = new_aubio_pitch("yinfft", 2048, hop, uint_t(rate));
  aubio_onset_t* onset = new_aubio_onset("hfc", 1024, hop, uint_t(rate));
  fvec_t* in = new_fvec(hop);
  fvec_t* out = new_fvec(1);
  for (auto _ : state) {
    for (std::size_t i = 0; i + hop <= x.size(); i += hop) {
      for (uint_t j = 0; j < hop; ++j) in->data[j] = x[i + j];
      aubio_pitch_do(pitch, in, out);
      aubio_onset_do(onset, in, out);
      benchmark::DoNotOptimize(out->data[0]);
    }
  }
  set_realtime(state, 10.0);
  del_fvec(out);
  del_fvec(in);
  del_aubio_onset(onset);
  del_aubio_pitch(pitch);
}
BENCHMARK(BM_AubioPitchAndOnset)->Arg(44100)->Arg(48000)->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();
