#include "music/rule_melody.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/random.h"

namespace etude::music {
namespace {

struct Pattern {
  int beats;        // beats it fills (1 or 2)
  int level;        // lowest difficulty that uses it
  int values[6];    // 16ths, 0-terminated
};

// Simple metres: a beat is a quarter (4 sixteenths).
constexpr Pattern kSimple[] = {
    {1, 1, {4}},          {2, 1, {8}},          {1, 2, {2, 2}},       {2, 3, {6, 2}},
    {1, 4, {3, 1}},       {1, 4, {2, 1, 1}},    {1, 4, {1, 1, 2}},    {1, 5, {1, 1, 1, 1}},
    {2, 5, {2, 4, 2}},    {1, 5, {1, 2, 1}},
};
// 6/8: a beat is a dotted quarter (6 sixteenths).
constexpr Pattern kCompound[] = {
    {1, 1, {6}},          {2, 1, {12}},         {1, 1, {4, 2}},       {1, 2, {2, 2, 2}},
    {1, 3, {2, 4}},       {1, 4, {3, 1, 2}},    {1, 4, {2, 2, 1, 1}}, {1, 5, {1, 1, 2, 2}},
    {1, 5, {2, 1, 1, 1, 1}},
};

// Notes per beat each difficulty aims for (the held-out folk phrases go from ~1.2 to ~2.6).
constexpr double kTargetDensity[] = {0.9, 1.3, 1.7, 2.1, 2.6};
// Largest leap in scale steps: a third, a fourth, a fifth, a sixth, an octave.
constexpr int kMaxLeap[] = {2, 3, 4, 5, 7};
// How quickly larger steps become rarer (larger = leapier).
constexpr double kLeapScale[] = {0.45, 0.8, 1.2, 1.6, 2.2};
constexpr double kRestChance[] = {0.0, 0.04, 0.06, 0.08, 0.10};

int count(const Pattern& p) {
  int n = 0;
  while (n < 6 && p.values[n] != 0) ++n;
  return n;
}

template <typename Weights>
int pick(core::Random& rng, int n, Weights&& weight) {
  double total = 0;
  for (int i = 0; i < n; ++i) total += weight(i);
  double r = rng.uniform() * total;
  for (int i = 0; i < n; ++i) {
    r -= weight(i);
    if (r < 0) return i;
  }
  return n - 1;
}

// Note lengths for the whole phrase; the last bar ends on a long note.
std::vector<int> rhythm(const MelodySpec& spec, core::Random& rng) {
  const bool compound = spec.meter == Meter::SixEight;
  const Pattern* patterns = compound ? kCompound : kSimple;
  const int n_patterns = compound ? int(std::size(kCompound)) : int(std::size(kSimple));
  const int beat = steps_per_beat(spec.meter), beats = beats_per_bar(spec.meter);
  const double target = kTargetDensity[spec.difficulty - 1];
  std::vector<int> out;
  for (int bar = 0; bar < spec.bars; ++bar) {
    const bool last_bar = bar == spec.bars - 1;
    // The final note: two beats in 4/4, a dotted half in 3/4 at difficulty 1, else the last beat.
    const int final_beats = beats == 4 ? 2 : (beats == 3 && spec.difficulty == 1 ? 3 : 1);
    const int free_beats = last_bar ? beats - final_beats : beats;
    int b = 0;
    while (b < free_beats) {
      const int i = pick(rng, n_patterns, [&](int k) {
        const Pattern& p = patterns[k];
        if (p.level > spec.difficulty || b + p.beats > free_beats) return 0.0;
        // Two-beat patterns start on a strong beat (the first or, in 4/4, the third).
        if (p.beats == 2 && b % 2 != 0) return 0.0;
        const double density = double(count(p)) / p.beats;
        return std::exp(-4.0 * std::fabs(density - target)) * (p.level == spec.difficulty ? 1.5 : 1.0);
      });
      const Pattern& p = patterns[i];
      for (int k = 0; k < count(p); ++k) out.push_back(p.values[k]);
      b += p.beats;
    }
    if (last_bar) out.push_back(final_beats * beat);
  }
  return out;
}

}  // namespace

Melody rule_melody(const MelodySpec& spec, std::uint64_t seed) {
  core::Random rng(seed * 0x9E3779B97F4A7C15ull + 0x5EEDull);
  Melody m;
  m.spec = spec;
  m.source = MelodySource::Rules;
  m.seed = seed;
  const int level = spec.difficulty - 1;

  // The scale inside the range (natural minor; the leading tone is raised at the cadence below).
  std::vector<int> scale;
  for (int p = spec.low; p <= spec.high; ++p) {
    const int d = ((p - spec.key) % 12 + 12) % 12;
    const bool natural_minor = d == 0 || d == 2 || d == 3 || d == 5 || d == 7 || d == 8 || d == 10;
    if (spec.mode == Mode::Major ? in_key(p, spec.key, Mode::Major) : natural_minor) scale.push_back(p);
  }
  const int n = int(scale.size());
  const auto degree = [&](int p) { return ((p - spec.key) % 12 + 12) % 12; };
  const auto stable = [&](int i) {  // tonic, third or fifth of the key
    const int d = degree(scale[i]);
    return d == 0 || d == 7 || d == (spec.mode == Mode::Major ? 4 : 3);
  };
  // The final note: the tonic nearest the middle of the range, else the nearest stable note.
  int final_index = -1;
  double best = 1e9;
  for (int i = 0; i < n; ++i) {
    const double dist = std::fabs(scale[i] - 0.5 * (spec.low + spec.high)) + (degree(scale[i]) == 0 ? 0.0 : 100.0) +
                        (stable(i) ? 0.0 : 100.0);
    if (dist < best) best = dist, final_index = i;
  }

  const std::vector<int> lengths = rhythm(spec, rng);
  const int count = int(lengths.size());
  // Start on a stable note in the middle half of the range.
  std::vector<int> starts;
  for (int i = 0; i < n; ++i) {
    if (stable(i) && scale[i] >= spec.low + (spec.high - spec.low) / 4 && scale[i] <= spec.high - (spec.high - spec.low) / 4) {
      starts.push_back(i);
    }
  }
  const int max_leap = kMaxLeap[level];
  // How far from the final note note k may be and still reach it in leaps of at most max_leap, the
  // last of them a step (the approach below).
  const auto reach = [&](int k) { return 1 + max_leap * (count - 2 - k); };
  std::erase_if(starts, [&](int i) { return std::abs(i - final_index) > reach(0); });
  int index = starts.empty() ? final_index : starts[std::size_t(rng.below(int(starts.size())))];
  int direction = rng.below(2) ? 1 : -1;
  int last_leap = 0;

  int step = 0;
  for (int k = 0; k < count; ++k) {
    MelodyEvent e;
    e.start = step;
    e.steps = lengths[std::size_t(k)];
    step += e.steps;
    const bool first = k == 0, last = k == count - 1;
    if (!first && !last && count >= 6 && rng.uniform() < kRestChance[level] && !m.events.back().is_rest()) {
      m.events.push_back(e);  // a rest
      continue;
    }
    if (last) {
      index = final_index;
    } else if (!first) {
      if (k == count - 2 && n > 1) {
        // Approach the final note by step, from above or below.
        const int above = std::min(final_index + 1, n - 1), below = std::max(final_index - 1, 0);
        index = std::abs(index - above) <= std::abs(index - below) ? above : below;
        if (index == final_index) index = final_index == 0 ? 1 : final_index - 1;
      } else {
        // After a leap, turn back; otherwise keep the direction most of the time.
        if (std::abs(last_leap) > 2) direction = last_leap > 0 ? -1 : 1;
        else if (rng.uniform() < 0.3) direction = -direction;
        const int size = pick(rng, max_leap + 1, [&](int s) {
          return s == 0 ? 0.25 : std::exp(-double(s - 1) / kLeapScale[level]);
        });
        int next = index + direction * size;
        if (next < 0 || next >= n) next = index - direction * size;  // bounce off the edge of the range
        next = std::clamp(next, std::max(0, final_index - reach(k)), std::min(n - 1, final_index + reach(k)));
        last_leap = next - index;
        index = next;
      }
    }
    e.midi = scale[std::size_t(index)];
    m.events.push_back(e);
  }
  // Minor: the 7th just below the final tonic becomes the leading tone (harmonic minor).
  if (spec.mode == Mode::Minor && m.events.size() >= 2) {
    MelodyEvent& before = m.events[m.events.size() - 2];
    const int tonic = m.events.back().midi;
    if (!before.is_rest() && degree(tonic) == 0 && before.midi == tonic - 2 && tonic - 1 >= spec.low) {
      before.midi = tonic - 1;
    }
  }
  return m;
}

}  // namespace etude::music
