// Browser entry point: SDL2 window + WebGL2 context, Dear ImGui, fonts, and drawing on demand.
//
// Implements:  the canvas filling the window (CSS sizes it; SDL tracks it), sharp text at any
//              devicePixelRatio, keyboard navigation, and a redraw scheduler: a frame is drawn only
//              after input or new audio data, so an idle app draws nothing (etude_frames_drawn()).
// Does not:    touch the microphone, the ML worker or the DOM mirror (audio_bridge.cpp,
//              ml_bridge.cpp, a11y_mirror.cpp do, one concern each).
// The page must: provide <canvas id="canvas"> sized by CSS, and set up window.etude (web/main.js)
//              before this module starts.

#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl2.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "app/app.h"
#include "platform/web/a11y_mirror.h"
#include "platform/web/audio_bridge.h"
#include "platform/web/fonts.h"
#include "platform/web/host.h"
#include "platform/web/melody_player_bridge.h"
#include "platform/web/metronome_bridge.h"
#include "platform/web/ml_bridge.h"
#include "platform/web/spectrogram_gl.h"
#include "platform/web/storage.h"

// 52 random bits (exact in a double): Math.random for 32 of them, the wall clock for the rest.
EM_JS(double, etude_js_random_seed, (), { return Math.floor(Math.random() * 4294967296) * 1048576 + (Date.now() % 1048576); });

namespace etude::web {
namespace {

class WebServices final : public app::AppServices {
 public:
  void start_microphone() override { audio::start_microphone(); }
  void stop_microphone() override { audio::stop_microphone(); }
  void set_pitch_range(float min_hz, float max_hz) override { audio::set_pitch_range(min_hz, max_hz); }
  void check_chord_model() override { ml::check_chord_model(); }
  void classify_chord(std::span<const float> chroma) override { ml::classify_chord(chroma); }
  void classify_chord_window(std::span<const float> batch, int rows) override { ml::classify_chord_window(batch, rows); }
  void announce_tuner(const std::string& spoken, const app::TunerReading& reading) override {
    a11y::announce_tuner(spoken, reading);
  }
  void announce_status(const std::string& text) override { a11y::announce_status(text); }
  void announce_chord(const std::string& text) override { a11y::announce_chord(text); }
  void* render_spectrogram(int scale, int colour_map, int width, int height) override {
    return spectrogram::render(scale, colour_map, -90.0f, width, height);
  }
  void announce_mic_check(std::string_view step, const std::string& text) override {
    a11y::announce_mic_check(step, text);
  }
  void start_metronome(const music::MetronomeSettings& s) override { metronome::start(s); }
  void update_metronome(const music::MetronomeSettings& s) override { metronome::update(s); }
  void stop_metronome() override { metronome::stop(); }
  double now_s() override { return emscripten_get_now() / 1000.0; }
  std::uint64_t random_seed() override { return std::uint64_t(etude_js_random_seed()); }
  double load_number(std::string_view key, double fallback) override { return storage::load_number(key, fallback); }
  void save_number(std::string_view key, double value) override { storage::save_number(key, value); }
  std::string load_text(std::string_view key, std::string_view fallback) override {
    return storage::load_text(key, fallback);
  }
  void save_text(std::string_view key, std::string_view value) override { storage::save_text(key, value); }
  void export_settings() override { storage::export_all(); }
  void delete_settings() override { storage::delete_all(); }
  void announce_timing(const std::string& text, double latency_ms) override { a11y::announce_timing(text, latency_ms); }
  void generate_melody(std::span<const float> noise, std::span<const float> conditions, int rows) override {
    ml::generate_melody(noise, conditions, rows);
  }
  void play_melody(std::span<const app::PlayedNote> notes, double start_frame) override {
    melody_player::play(notes, start_frame);
  }
  void stop_melody() override { melody_player::stop(); }
  void announce_melody(const std::string& text, const music::Melody& melody, std::string_view source,
                       const std::string& why) override {
    a11y::announce_melody(text, melody, source, why);
  }
  void announce_melody_playback(std::string_view state) override { a11y::announce_melody_playback(state); }
  void announce_practice(std::string_view stage, const std::string& text) override { a11y::announce_practice(stage, text); }
  void announce_screen(int screen) override { a11y::announce_screen(screen); }
};

SDL_Window* g_window = nullptr;
WebServices g_services;
std::unique_ptr<app::App> g_app;
int g_frames_wanted = 0;
bool g_loop_running = false;
bool g_audio_timer_pending = false;
double g_last_draw_ms = -1e9;
int g_frames_drawn = 0;
double g_first_frame_ms = -1;
constexpr double kAudioFrameIntervalMs = 1000.0 / 30.0;

double g_draw_ms_total = 0;  // time spent in draw_frame, for the browser budget benchmark

void draw_frame() {
  const double started = emscripten_get_now();
  SDL_Event event;
  while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  g_app->draw();
  ImGui::Render();

  const ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(g_window);

  g_last_draw_ms = emscripten_get_now();
  g_draw_ms_total += g_last_draw_ms - started;
  if (g_frames_drawn++ == 0) g_first_frame_ms = g_last_draw_ms;
}

EM_BOOL on_animation_frame(double, void*) {
  draw_frame();
  if (--g_frames_wanted > 0) return EM_TRUE;
  g_loop_running = false;
  return EM_FALSE;
}

void on_audio_timer(void*) {
  g_audio_timer_pending = false;
  request_frames(1);
}

// Called by SDL for every event it queues (DOM input, resize, focus): wake the renderer.
// SDL_PollEvent itself queues a sentinel on every call; waking on it would draw forever.
int on_sdl_event(void*, SDL_Event* event) {
  if (event->type != SDL_POLLSENTINEL) request_frames(3);
  return 0;
}

void apply_style(float dpr) {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowPadding = {20, 16};
  s.FramePadding = {14, 10};
  s.ItemSpacing = {12, 12};
  s.FrameRounding = 8;
  s.GrabRounding = 8;
  s.ScrollbarSize = 16;
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = {0.969f, 0.961f, 0.941f, 1.0f};
  c[ImGuiCol_ChildBg] = {0, 0, 0, 0};
  c[ImGuiCol_Text] = {0.118f, 0.106f, 0.086f, 1.0f};
  // Ordinary buttons are light with dark text; the main action of a screen is the accent colour
  // with light text (App's primary_button).
  c[ImGuiCol_Button] = {0.878f, 0.863f, 0.827f, 1.0f};
  c[ImGuiCol_ButtonHovered] = {0.827f, 0.808f, 0.765f, 1.0f};
  c[ImGuiCol_ButtonActive] = {0.780f, 0.757f, 0.710f, 1.0f};
  c[ImGuiCol_Header] = {0.878f, 0.863f, 0.827f, 1.0f};
  c[ImGuiCol_HeaderHovered] = {0.827f, 0.808f, 0.765f, 1.0f};
  c[ImGuiCol_HeaderActive] = {0.780f, 0.757f, 0.710f, 1.0f};
  c[ImGuiCol_FrameBg] = {0.878f, 0.863f, 0.827f, 1.0f};
  c[ImGuiCol_PlotHistogram] = {0.094f, 0.373f, 0.455f, 1.0f};
  c[ImGuiCol_Separator] = {0.800f, 0.780f, 0.740f, 1.0f};
  c[ImGuiCol_NavHighlight] = {0.851f, 0.373f, 0.008f, 1.0f};
  c[ImGuiCol_Tab] = {0.878f, 0.863f, 0.827f, 1.0f};
  c[ImGuiCol_TabHovered] = {0.780f, 0.757f, 0.710f, 1.0f};
  c[ImGuiCol_TabActive] = {0.094f, 0.373f, 0.455f, 1.0f};
  c[ImGuiCol_TabUnfocusedActive] = c[ImGuiCol_TabActive];
  c[ImGuiCol_SliderGrab] = c[ImGuiCol_TabActive];
  c[ImGuiCol_SliderGrabActive] = {0.051f, 0.247f, 0.306f, 1.0f};
  c[ImGuiCol_CheckMark] = c[ImGuiCol_TabActive];
  (void)dpr;
}

}  // namespace

app::App& app() { return *g_app; }

void request_frames(int frames) {
  g_frames_wanted = std::max(g_frames_wanted, frames);
  if (!g_loop_running) {
    g_loop_running = true;
    emscripten_request_animation_frame_loop(on_animation_frame, nullptr);
  }
}

void request_audio_redraw() {
  if (g_loop_running || g_audio_timer_pending) return;
  const double wait = kAudioFrameIntervalMs - (emscripten_get_now() - g_last_draw_ms);
  if (wait <= 0) {
    request_frames(1);
  } else {
    g_audio_timer_pending = true;
    emscripten_set_timeout(on_audio_timer, wait, nullptr);
  }
}

}  // namespace etude::web

extern "C" {
EMSCRIPTEN_KEEPALIVE int etude_frames_drawn() { return etude::web::g_frames_drawn; }
EMSCRIPTEN_KEEPALIVE double etude_first_frame_ms() { return etude::web::g_first_frame_ms; }
EMSCRIPTEN_KEEPALIVE double etude_draw_ms_total() { return etude::web::g_draw_ms_total; }
// Screen navigation from the page (the screen-reader mirror's buttons):
// 0 tuner, 1 trace, 2 mic check, 3 chords, 4 metronome, 5 generate (App::Screen).
EMSCRIPTEN_KEEPALIVE void etude_start_mic_check() {
  if (etude::web::g_app->request_mic_check()) etude::web::request_frames(3);
}
// mode: 0 with the speaker, 1 tapping along (headphones).
EMSCRIPTEN_KEEPALIVE void etude_start_calibration(int mode) {
  if (etude::web::g_app->start_calibration(mode == 1)) etude::web::request_frames(3);
}
// Settings cannot be kept on this device: the footer says what that means (web/settings.js).
EMSCRIPTEN_KEEPALIVE void etude_on_storage_problem(const char* text) {
  if (etude::web::g_app->on_storage_problem(text)) etude::web::request_frames(2);
}
// The mirror's "Delete my Etude data": the app deletes everything and goes back to its defaults.
EMSCRIPTEN_KEEPALIVE void etude_forget_settings() {
  if (etude::web::g_app->forget_settings()) etude::web::request_frames(3);
}
EMSCRIPTEN_KEEPALIVE void etude_toggle_metronome() {
  if (etude::web::g_app->toggle_metronome()) etude::web::request_frames(3);
}
// The Generate screen's actions (the mirror's buttons): Generate / Regenerate, Play / Stop.
EMSCRIPTEN_KEEPALIVE void etude_generate_melody() {
  if (etude::web::g_app->generate_melody()) etude::web::request_frames(3);
}
EMSCRIPTEN_KEEPALIVE void etude_toggle_melody_playback() {
  if (etude::web::g_app->toggle_melody_playback()) etude::web::request_frames(3);
}
// Puts the melody on the pitch line and, when the microphone is on, starts the count-in.
// guide: 1 to play the melody along (through headphones).
EMSCRIPTEN_KEEPALIVE void etude_practise_melody(int guide) {
  auto& app = *etude::web::g_app;
  app.set_practice_guide(guide != 0);
  if (app.send_melody_to_practice()) {
    app.start_melody_practice();
    etude::web::request_frames(3);
  }
}
// mode 0 major, 1 minor; meter 0 2/4, 1 3/4, 2 4/4, 3 6/8; bars 2..4; difficulty 1..5.
EMSCRIPTEN_KEEPALIVE void etude_set_melody_conditions(int key, int mode, int difficulty, int meter, int bars) {
  if (etude::web::g_app->set_melody_conditions(key, mode, difficulty, meter, bars)) etude::web::request_frames(2);
}
EMSCRIPTEN_KEEPALIVE void etude_show_screen(int screen) {
  if (screen < 0 || screen > 5) return;
  if (etude::web::g_app->show_screen(etude::app::App::Screen(screen))) etude::web::request_frames(3);
}
}

int main(int, char**) {
  using namespace etude::web;
  // Keys go to SDL only while the canvas has focus, so the page's own buttons (the screen-reader
  // mirror) still get Enter and Space.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    std::fprintf(stderr, "Etude: SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  g_window = SDL_CreateWindow("Etude", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 800, 600,
                              SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_GLContext gl = g_window ? SDL_GL_CreateContext(g_window) : nullptr;
  if (!gl) {
    std::fprintf(stderr, "Etude: could not create a WebGL2 context: %s\n", SDL_GetError());
    EM_ASM({ window.etude && window.etude.fatal && window.etude.fatal('webgl2'); });
    return 1;
  }
  SDL_GL_MakeCurrent(g_window, gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no filesystem; layout is fixed
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigInputTextCursorBlink = false;  // blinking would need frames while idle

  const float dpr = float(emscripten_get_device_pixel_ratio());
  apply_style(dpr);
  const etude::app::Fonts fonts = load_fonts(dpr);
  ImGui_ImplSDL2_InitForOpenGL(g_window, gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  if (!spectrogram::init()) std::fprintf(stderr, "Etude: the spectrogram is unavailable on this GPU\n");

  g_app = std::make_unique<etude::app::App>(g_services, fonts);
  // Settings were opened before the app started; if that failed, say so now.
  if (const std::string problem = etude::web::storage::problem(); !problem.empty()) g_app->on_storage_problem(problem);
  SDL_AddEventWatch(on_sdl_event, nullptr);
  a11y::announce_status(std::string(etude::app::mic_message(etude::app::MicState::Off).headline));
  request_frames(2);  // ImGui lays out on the first frame and settles on the second
  emscripten_exit_with_live_runtime();
  return 0;
}
