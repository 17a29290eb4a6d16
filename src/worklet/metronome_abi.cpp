#include "worklet/metronome_abi.h"

#include <algorithm>
#include <vector>

#include "music/metronome.h"

namespace {

constexpr int kBeatDoubles = 4;
constexpr int kMaxBeatsPerBlock = 8;
const char* g_metronome_error = "";

}  // namespace

struct EtudeMetronome {
  EtudeMetronome(float rate, int max_block)
      : clock(rate), click(rate), output(std::size_t(max_block)), beats(kMaxBeatsPerBlock * kBeatDoubles) {}
  etude::music::MetronomeClock clock;
  etude::music::ClickVoice click;
  std::vector<float> output;
  std::vector<double> beats;
};

namespace {

bool settings_from(float bpm, int beats_per_bar, int accents, int count_in, etude::music::MetronomeSettings& s) {
  s.bpm = bpm;
  s.beats_per_bar = beats_per_bar;
  s.accents = std::uint32_t(accents);
  s.count_in_bars = count_in;
  if (const char* err = s.validate()) {
    g_metronome_error = err;
    return false;
  }
  return true;
}

}  // namespace

extern "C" {

int etude_metronome_beat_doubles(void) { return kBeatDoubles; }

const char* etude_metronome_last_error(void) { return g_metronome_error; }

EtudeMetronome* etude_metronome_create(float sample_rate, int max_block) {
  if (!(sample_rate >= 8000.0f && sample_rate <= 192000.0f) || max_block < 1 || max_block > 65536) return nullptr;
  return new EtudeMetronome(sample_rate, max_block);
}

int etude_metronome_start(EtudeMetronome* m, float bpm, int beats_per_bar, int accents, int count_in_bars,
                          double start_frame) {
  etude::music::MetronomeSettings s;
  if (!settings_from(bpm, beats_per_bar, accents, count_in_bars, s)) return -1;
  m->clock.start(s, std::int64_t(start_frame));
  return 0;
}

int etude_metronome_update(EtudeMetronome* m, float bpm, int beats_per_bar, int accents, int count_in_bars) {
  etude::music::MetronomeSettings s;
  if (!settings_from(bpm, beats_per_bar, accents, count_in_bars, s)) return -1;
  m->clock.update(s);
  return 0;
}

void etude_metronome_stop(EtudeMetronome* m) { m->clock.stop(); }

int etude_metronome_render(EtudeMetronome* m, double from_frame, int n) {
  n = std::clamp(n, 0, int(m->output.size()));
  std::fill(m->output.begin(), m->output.begin() + n, 0.0f);
  const auto from = std::int64_t(from_frame);
  int count = 0;
  // Each click's tail is rendered before the next one starts, so a fast tempo never cuts a beat off.
  int rendered = 0;
  m->clock.advance(from, n, [&](const etude::music::Beat& b) {
    const int offset = int(b.frame - from);
    m->click.render({m->output.data() + rendered, std::size_t(offset - rendered)});
    rendered = offset;
    m->click.trigger(b);
    if (count < kMaxBeatsPerBlock) {
      double* r = m->beats.data() + count * kBeatDoubles;
      r[0] = double(b.frame);
      r[1] = b.bar;
      r[2] = b.beat;
      r[3] = b.accent ? 1.0 : 0.0;
      ++count;
    }
  });
  m->click.render({m->output.data() + rendered, std::size_t(n - rendered)});
  return count;
}

float* etude_metronome_output(EtudeMetronome* m) { return m->output.data(); }
const double* etude_metronome_beats(EtudeMetronome* m) { return m->beats.data(); }
void etude_metronome_destroy(EtudeMetronome* m) { delete m; }
}
