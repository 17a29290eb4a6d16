// The audio thread never allocates: everything the AudioWorklet calls per quantum (the analyser's
// etude_dsp_process, the metronome's etude_metronome_render) runs here under a counting global
// operator new / malloc, and must allocate nothing after creation.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>

#include "worklet/dsp_abi.h"
#include "worklet/metronome_abi.h"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};

void* counted(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

// Counts allocations only inside the scope.
struct Counting {
  Counting() {
    g_allocations = 0;
    g_counting = true;
  }
  ~Counting() { g_counting = false; }
  long count() const { return g_allocations.load(); }
};
}  // namespace

void* operator new(std::size_t n) { return counted(n); }
void* operator new[](std::size_t n) { return counted(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

TEST(NoAllocation, TheCountingHookSeesAllocations) {
  Counting c;
  auto* v = new int[16];
  delete[] v;
  EXPECT_EQ(c.count(), 1);  // the test would be blind without this
}

// Every rate and hop the app runs at (the live hop at 44.1 and 48 kHz, others the CLI's), and the extremes
// of the range: 16 and 96 kHz use other decimation factors for the pitch.
TEST(NoAllocation, AnalyserProcessNeverAllocates) {
  const struct { float rate; int hop; } settings[] = {{16000.0f, 128}, {22050.0f, 256}, {44100.0f, 240}, {44100.0f, 512},
                                                       {48000.0f, 256}, {48000.0f, 512}, {96000.0f, 512}};
  for (const auto& s : settings) {
    EtudeDsp* dsp = etude_dsp_create(s.rate, s.hop, 128);
    ASSERT_NE(dsp, nullptr) << s.rate << " Hz, hop " << s.hop;
    std::mt19937 rng(1);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    double phase = 0;
    Counting c;
    // Ten seconds of sung-like tones, clicks, noise, silence and a slurred line of notes (the live
    // pitch-track onset cues): every code path of a frame.
    for (int b = 0; b < int(s.rate) * 10 / 128; ++b) {
      float* in = etude_dsp_input(dsp);
      for (int i = 0; i < 128; ++i) {
        const double t = double(b * 128 + i) / s.rate;
        const int section = int(t) % 5;
        phase += 2 * M_PI * (section == 4 ? 220.0 * std::exp2(double(int(t * 4) % 5) / 12.0) : 0.0) / s.rate;
        in[i] = section == 0   ? 0.4f * float(std::sin(2 * M_PI * 220.0 * t) + 0.3 * std::sin(2 * M_PI * 440.0 * t))
                : section == 1 ? ((b * 128 + i) % 24000 < 100 ? 0.8f : 0.0f)
                : section == 2 ? noise(rng)
                : section == 3 ? 0.0f
                               : 0.3f * float(std::sin(phase) + 0.5 * std::sin(2 * phase));
      }
      etude_dsp_process(dsp, 128);
    }
    EXPECT_EQ(c.count(), 0) << s.rate << " Hz, hop " << s.hop;
    etude_dsp_destroy(dsp);
  }
}

TEST(NoAllocation, MetronomeRenderNeverAllocates) {
  EtudeMetronome* m = etude_metronome_create(48000.0f, 128);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(etude_metronome_start(m, 240.0f, 7, 0b1001, 2, 0.0), 0);
  Counting c;
  for (int b = 0; b < 48000 * 20 / 128; ++b) {
    etude_metronome_render(m, b * 128.0, 128);
    if (b == 2000) etude_metronome_update(m, 37.0f, 3, 1, 0);
  }
  EXPECT_EQ(c.count(), 0);
  etude_metronome_destroy(m);
}
