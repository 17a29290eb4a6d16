#pragma once
// The Etude app: its state and its ImGui screens. It never calls the browser: everything outside
// (microphone, ML worker, screen-reader mirror) goes through AppServices, which the platform
// layer (src/platform/web) implements.

#include <span>
#include <string>
#include <string_view>

#include "app/messages.h"
#include "app/mic_check.h"
#include "app/pitch_trace.h"
#include "app/tuner_state.h"
#include "dsp/feature_frame.h"

struct ImFont;

namespace etude::app {

struct Fonts {
  ImFont* body = nullptr;     // readable body text
  ImFont* heading = nullptr;  // bold headings
  ImFont* display = nullptr;  // the big note name
};

class AppServices {
 public:
  virtual ~AppServices() = default;
  virtual void start_microphone() = 0;
  virtual void stop_microphone() = 0;
  // Loads the chord model in the ML worker and runs its golden self-test; answers via App::on_model_state.
  virtual void check_chord_model() = 0;
  // What a screen reader should hear about the tuner; called only when the sentence changes.
  virtual void announce_tuner(const std::string& spoken, const TunerReading& reading) = 0;
  virtual void announce_status(const std::string& text) = 0;
  // The microphone check's step ("not-started", "quiet", "play", "done") and what it says.
  virtual void announce_mic_check(std::string_view step, const std::string& text) = 0;
};

class App {
 public:
  App(AppServices& services, Fonts fonts);

  // Each returns true when the screen must be redrawn.
  bool on_audio_frames(std::span<const dsp::FeatureFrame> frames);
  bool on_mic_state(MicState state, float sample_rate, int latency_samples);
  bool on_model_state(ModelState state, const std::string& detail);

  void draw();  // one ImGui frame's worth of widgets

  MicState mic_state() const { return mic_state_; }
  const TunerState& tuner() const { return tuner_; }

  enum class Screen { Tuner = 0, Trace = 1, MicCheck = 2, ChordLab = 3 };
  // Switches screens from outside ImGui (the page's screen-reader navigation). True when it changed.
  bool show_screen(Screen screen);
  Screen screen() const { return screen_; }

 private:
  void draw_microphone();
  void draw_tuner();
  void draw_tuner_settings();
  void draw_trace();
  void draw_mic_check();
  void draw_chord_model();
  void draw_footer();
  void set_instrument(std::size_t index);
  void start_mic_check();
  void announce_mic_check();

  AppServices& services_;
  Fonts fonts_;
  TunerState tuner_;
  PitchTrace trace_;
  MicCheck mic_check_;
  Screen screen_ = Screen::Tuner;
  bool screen_requested_ = false;  // show_screen() was called: select screen_ on the next frame
  std::size_t instrument_ = 0;  // index into music::instruments()
  float latest_time_s_ = 0;     // time of the newest audio frame
  std::string last_spoken_;
  MicState mic_state_ = MicState::Off;
  float sample_rate_ = 0;
  int latency_samples_ = 0;
  ModelState model_state_ = ModelState::NotLoaded;
  std::string model_detail_;
};

}  // namespace etude::app
