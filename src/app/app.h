#pragma once
// The Etude app: its state and its ImGui screens. It never calls the browser: everything outside
// (microphone, ML worker, screen-reader mirror) goes through AppServices, which the platform
// layer (src/platform/web) implements.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/chord_window.h"
#include "app/generate_session.h"
#include "app/melody_practice.h"
#include "app/latency_calibration.h"
#include "app/messages.h"
#include "app/mic_check.h"
#include "app/pitch_trace.h"
#include "app/rhythm_practice.h"
#include "app/tuner_state.h"
#include "dsp/feature_frame.h"
#include "music/melody.h"
#include "music/metronome.h"

struct ImFont;

namespace etude::app {

struct Fonts {
  ImFont* body = nullptr;     // readable body text
  ImFont* heading = nullptr;  // bold headings
  ImFont* display = nullptr;  // the big note name
};

// One note for the melody player: when it starts and how long it lasts (seconds from the start of
// playback), its MIDI pitch, and which Melody::events entry it is.
struct PlayedNote {
  double start_s = 0;
  double length_s = 0;
  int midi = 60;
  int event = 0;
};

class AppServices {
 public:
  virtual ~AppServices() = default;
  virtual void start_microphone() = 0;
  virtual void stop_microphone() = 0;
  // The analyser's pitch search range for the chosen instrument (Hz); 0, 0 for its default
  // (50..2000 Hz). A running microphone restarts with the new range.
  virtual void set_pitch_range(float min_hz, float max_hz) = 0;
  // Loads the chord model in the ML worker and runs its golden self-test; answers via App::on_model_state.
  virtual void check_chord_model() = 0;
  // Scores a 12-bin chroma (pitch classes C..B) with the chord model in the ML worker; answers
  // through App::on_chord_result. The app asks at most once per kChordIntervalS while on Chords.
  virtual void classify_chord(std::span<const float> chroma) = 0;
  // Scores a batch of ChordWindow rows with the trained classifier; answers through
  // App::on_chord_probabilities, or App::on_chord_classifier_failed.
  virtual void classify_chord_window(std::span<const float> batch, int rows) = 0;
  // The chord the model hears, in words ("C major, 91% sure"); called only when it changes.
  virtual void announce_chord(const std::string& text) = 0;
  // Colours the live spectrogram (scale 0 note rows, 1 mel, 2 linear; colour_map 0 viridis, 1 cividis) into a
  // texture of width x height device pixels for ImGui::Image; nullptr when the GPU path is unavailable.
  virtual void* render_spectrogram(int scale, int colour_map, int width, int height) = 0;
  // What a screen reader should hear about the tuner; called only when the sentence changes.
  virtual void announce_tuner(const std::string& spoken, const TunerReading& reading) = 0;
  virtual void announce_status(const std::string& text) = 0;
  // The microphone check's step ("not-started", "quiet", "play", "done") and what it says.
  virtual void announce_mic_check(std::string_view step, const std::string& text) = 0;
  // The metronome runs in the audio thread; beats come back through App::on_metronome_beat.
  virtual void start_metronome(const music::MetronomeSettings& settings) = 0;
  virtual void update_metronome(const music::MetronomeSettings& settings) = 0;
  virtual void stop_metronome() = 0;
  virtual double now_s() = 0;  // a monotonic clock, for tap tempo
  // A seed that differs between visits (the first melody of a visit must not repeat the last visit's).
  virtual std::uint64_t random_seed() = 0;
  // Small settings kept on this device (the measured delay, the instrument, A4); load returns
  // fallback when absent.
  virtual double load_number(std::string_view key, double fallback) = 0;
  virtual void save_number(std::string_view key, double value) = 0;
  virtual std::string load_text(std::string_view key, std::string_view fallback) = 0;
  virtual void save_text(std::string_view key, std::string_view value) = 0;
  // Everything kept on this device: a copy for the student (a downloaded file), or deleted for good.
  virtual void export_settings() = 0;
  virtual void delete_settings() = 0;
  // Timing news for screen readers: calibration results and each bar's rhythm summary.
  // latency_ms is the device delay in use (NaN when not measured).
  virtual void announce_timing(const std::string& text, double latency_ms) = 0;
  // Runs the melody generator on `rows` rows of noise (rows x 32) and conditions (rows x 28) in the
  // ML worker; answers through App::on_melody_probabilities or App::on_melody_model_failed.
  virtual void generate_melody(std::span<const float> noise, std::span<const float> conditions, int rows) = 0;
  // Plays the notes with a gentle synth voice, scheduled on the shared AudioContext's clock from
  // start_frame (an AudioContext frame; < 0: right away); answers through App::on_melody_playback as
  // each note sounds and when the last one has ended.
  virtual void play_melody(std::span<const PlayedNote> notes, double start_frame) = 0;
  virtual void stop_melody() = 0;
  // The melody in words for screen readers (called when it changes); `source` is "model" or "rules".
  virtual void announce_melody(const std::string& text, const music::Melody& melody, std::string_view source,
                               const std::string& why) = 0;
  // Playback news for screen readers: "playing" or "ended".
  virtual void announce_melody_playback(std::string_view state) = 0;
  // Practising a melody on the pitch line: its stage ("ready", "count-in", "running", "done") and
  // what to say (the results when done).
  virtual void announce_practice(std::string_view stage, const std::string& text) = 0;
  // The screen now shown (App::Screen as an int), so the page can mark its navigation button current.
  virtual void announce_screen(int screen) { (void)screen; }
};

class App {
 public:
  App(AppServices& services, Fonts fonts);

  // Each returns true when the screen must be redrawn.
  bool on_audio_frames(std::span<const dsp::FeatureFrame> frames);
  // start_frame: the AudioContext frame at which the analyser's frame times start (time_s = 0).
  bool on_mic_state(MicState state, float sample_rate, int latency_samples, double start_frame = 0);
  bool on_model_state(ModelState state, const std::string& detail);
  // frame: the AudioContext frame at which the click starts.
  bool on_metronome_beat(double frame, int bar, int beat, bool accent);
  struct ChordGuess {
    std::string label;  // Harte, e.g. "C:maj"
    float probability = 0;
  };
  // The model's best guesses for the chroma last sent, most likely first (empty on failure).
  bool on_chord_result(std::span<const ChordGuess> top);
  // The trained classifier's probabilities for a ChordWindow batch: rows x labels.size().
  bool on_chord_probabilities(std::span<const float> probabilities, int rows, std::span<const std::string> labels);
  // The trained classifier cannot be used: live chords fall back to the template matcher.
  bool on_chord_classifier_failed(const std::string& message);
  // A new spectrogram column reached the GPU; true when it is on screen (redraw).
  bool on_spectrum_column() const;
  bool on_metronome_state(bool running, const std::string& problem);
  // Settings cannot be kept on this device (storage blocked or full): what that means, in words.
  bool on_storage_problem(const std::string& text);
  // Deletes every setting kept on this device and goes back to the defaults (the page's mirror too).
  bool forget_settings();
  // The melody generator's probabilities for the last request: rows x 64 x 39.
  bool on_melody_probabilities(std::span<const float> probabilities, int rows);
  // The melody generator cannot be used (a sentence saying why): the rule-based writer takes over.
  bool on_melody_model_failed(const std::string& why);
  // Playback: `event` (a Melody::events index) is sounding now; -1 when playback has ended.
  bool on_melody_playback(int event);

  void draw();  // one ImGui frame's worth of widgets

  MicState mic_state() const { return mic_state_; }
  const TunerState& tuner() const { return tuner_; }

  enum class Screen { Tuner = 0, Trace = 1, MicCheck = 2, ChordLab = 3, Metronome = 4, Generate = 5 };
  // Switches screens from outside ImGui (the page's screen-reader navigation). True when it changed.
  bool show_screen(Screen screen);
  Screen screen() const { return screen_; }
  // Actions the page's screen-reader mirror offers too. Each returns true when something changed.
  bool request_mic_check();
  bool toggle_metronome();
  bool start_calibration(bool tap_along);
  bool generate_melody();          // Generate / Regenerate
  bool toggle_melody_playback();   // Play / Stop
  // The conditions from the page's screen-reader form (the range keeps following the instrument).
  bool set_melody_conditions(int key, int mode, int difficulty, int meter, int bars);
  // The current melody becomes the target on the Trace screen's pitch line.
  bool send_melody_to_practice();
  // Count-in from the metronome, then the melody is scored note by note (needs the microphone).
  bool start_melody_practice();
  // Play the melody along during practice (a guide to sing with, through headphones).
  void set_practice_guide(bool on) { practice_guide_ = on; }
  const GenerateSession& generator() const { return generate_; }

 private:
  void draw_microphone();
  void draw_tuner();
  void draw_tuner_settings();
  void draw_trace();
  void draw_pitch_line();
  void draw_spectrogram();
  void draw_mic_check();
  void draw_metronome();
  void draw_play_along();
  void draw_calibration();
  void finish_calibration();
  void metronome_changed();
  void draw_chord_model();
  void draw_footer();
  void draw_data_on_device();
  void draw_generate();
  void draw_generate_settings();
  void draw_melody_staff();
  void draw_melody_confidence();
  void melody_changed();
  void stop_melody_playback();
  void draw_practice();
  void draw_practice_line();
  void draw_practice_results();
  void practice_frame(const dsp::FeatureFrame& frame);
  void finish_practice();
  void cancel_practice();
  void set_instrument(std::size_t index);
  void start_mic_check();
  void announce_mic_check();

  AppServices& services_;
  Fonts fonts_;
  TunerState tuner_;
  PitchTrace trace_;
  MicCheck mic_check_;
  Screen screen_ = Screen::Tuner;
  std::size_t instrument_ = 0;  // index into music::instruments()
  int trace_view_ = 0;          // 0 pitch line, 1 spectrogram
  int spectrogram_scale_ = 0;   // 0 note rows (log frequency), 1 mel, 2 linear (0..4 kHz)
  int colour_map_ = 0;          // 0 viridis, 1 cividis
  music::MetronomeSettings metronome_;
  std::size_t metre_ = 2;        // index into the metre list in app.cpp (4/4)
  bool metronome_running_ = false;
  std::string metronome_problem_;
  int shown_bar_ = 0, shown_beat_ = -1;  // the beat sounding now (-1 none)
  music::TapTempo tap_tempo_;
  // Timing: the analyser's start frame maps frame times to the metronome's frames.
  double mic_start_frame_ = 0;
  double latest_frame_ = 0;  // AudioContext frame of the newest analysis frame
  LatencyCalibration calibration_;
  LatencyResult calibration_result_;
  bool calibration_done_ = false;
  double device_latency_ms_;  // NaN until measured (kept on the device)
  RhythmPractice rhythm_;
  // Chords screen: the chroma averaged since the last request, and the latest answer.
  static constexpr float kChordIntervalS = 0.15f;
  float chroma_sum_[12] = {};
  int chroma_frames_ = 0;
  float chroma_shown_[12] = {};
  float semitone_sum_[dsp::kSemitoneBins] = {};  // the same average of the semitone spectrum (the network's input)
  float semitones_shown_[dsp::kSemitoneBins] = {};
  float last_chord_request_s_ = -1e9f;
  bool chord_request_pending_ = false;
  bool chord_quiet_ = true;
  std::vector<ChordGuess> chord_top_;
  std::string chord_announced_;
  ChordWindow chord_window_;
  std::vector<float> chord_batch_ = std::vector<float>(std::size_t(ChordWindow::kRows * ChordWindow::kRowFloats));
  bool classifier_usable_ = true;  // false after it failed: the template matcher answers instead
  bool last_answer_trained_ = false;
  ExplanationPacer explanation_;  // when the occlusion batch goes with a request, and when the window alone
  float explained_probability_ = 1.0f;  // the top chord's probability in the explained answer
  float pitch_drop_[12] = {};   // occlusion: how much the top chord's probability fell without each pitch class
  float time_drop_[ChordWindow::kTimeGroups] = {};  // ... and without each group of frames, oldest first
  float latest_time_s_ = 0;     // time of the newest audio frame
  std::string last_spoken_;
  std::string storage_problem_;
  bool settings_deleted_ = false;  // "Deleted" shows until something is kept again
  MicState mic_state_ = MicState::Off;
  float sample_rate_ = 0;
  int latency_samples_ = 0;
  ModelState model_state_ = ModelState::NotLoaded;
  std::string model_detail_;
  // Generate screen.
  GenerateSession generate_;
  std::size_t generate_instrument_ = 0;  // index into music::instruments(); sets the default range
  bool range_from_instrument_ = true;    // false once the student moved the range themselves
  float melody_bpm_ = 80.0f;             // beats (quarters, dotted quarters in 6/8) per minute
  bool melody_playing_ = false;
  int melody_sounding_ = -1;             // the event sounding now
  std::vector<PlayedNote> played_;
  // Practising the melody on the Trace screen.
  enum class PracticeStage { None, Ready, CountIn, Running, Done };
  PracticeStage practice_stage_ = PracticeStage::None;
  music::Melody practice_melody_;
  float practice_bpm_ = 80.0f;
  MelodyPractice practice_;
  bool practice_guide_ = false;
  void play_notes(const music::Melody& melody, float bpm, double start_frame);
};

}  // namespace etude::app
