#pragma once
// The metronome's clock, its clicks and tap tempo. The clock counts audio frames (samples), so
// beats land on exact samples whatever the main thread is doing: it runs inside the AudioWorklet
// (src/worklet/metronome_abi.cpp). Nothing here allocates after construction.

#include <cstdint>
#include <span>

namespace etude::music {

struct MetronomeSettings {
  float bpm = 100.0f;          // beats per minute, valid 30..240
  int beats_per_bar = 4;       // valid 1..12
  std::uint32_t accents = 1u;  // bit b set = beat b of the bar is accented (bit 0 = the downbeat)
  int count_in_bars = 0;       // bars of count-in before the first counted bar, valid 0..4

  const char* validate() const;  // nullptr when valid
};

struct Beat {
  std::int64_t frame = 0;  // audio frame of the click's start
  int bar = 0;             // 0-based; count-in bars are negative (-count_in_bars .. -1)
  int beat = 0;            // 0-based within the bar
  bool accent = false;
  bool count_in() const { return bar < 0; }
};

class MetronomeClock {
 public:
  explicit MetronomeClock(double sample_rate) : sample_rate_(sample_rate) {}

  // The first beat (of the count-in, if any) sounds at start_frame.
  void start(const MetronomeSettings& settings, std::int64_t start_frame);
  void stop() { running_ = false; }
  bool running() const { return running_; }
  // New tempo, metre or accents take effect from the next beat; the beat count continues.
  void update(const MetronomeSettings& settings) { settings_ = settings; }

  // Calls on_beat(const Beat&) for each beat starting in [from, from + frames), in order.
  template <typename OnBeat>
  void advance(std::int64_t from, int frames, OnBeat&& on_beat) {
    while (running_ && next_frame() < from + frames) {
      if (next_frame() >= from) on_beat(current_beat());
      step();
    }
  }

  double frames_per_beat() const { return sample_rate_ * 60.0 / double(settings_.bpm); }

 private:
  std::int64_t next_frame() const { return std::int64_t(next_position_ + 0.5); }
  Beat current_beat() const;
  void step();

  double sample_rate_;
  MetronomeSettings settings_;
  bool running_ = false;
  double next_position_ = 0;  // exact (fractional) frame of the next beat: no drift over long runs
  std::int64_t beat_index_ = 0;  // beats since start, count-in included
};

// Synthesises the click sound: a short, pitched, exponentially decaying burst, higher and louder on
// accented beats. trigger() starts a click at the start of the next render() span.
class ClickVoice {
 public:
  explicit ClickVoice(double sample_rate);
  void trigger(const Beat& beat);
  // Adds the sound (mono) into out, continuing the current click; silent when none is sounding.
  void render(std::span<float> out);

 private:
  double sample_rate_;
  int length_;         // samples per click
  int position_ = -1;  // samples into the current click, -1 when silent
  float frequency_ = 0;
  float gain_ = 0;
  double phase_ = 0;
};

// Tap tempo: the median of the last few intervals between taps; a pause over 2 s starts afresh.
class TapTempo {
 public:
  // Returns the tempo so far (0 until there are two taps), clamped to 30..240 BPM.
  float tap(double time_s);
  float bpm() const { return bpm_; }

 private:
  static constexpr int kKeep = 5;
  double last_ = -1;
  double intervals_[kKeep] = {};
  int count_ = 0;
  float bpm_ = 0;
};

}  // namespace etude::music
