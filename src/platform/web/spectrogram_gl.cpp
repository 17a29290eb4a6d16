#include "platform/web/spectrogram_gl.h"

#include <GLES3/gl3.h>
#include <emscripten.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "app/app.h"
#include "platform/web/host.h"
#include "spectrogram_shaders.h"  // generated: kSpectrogramVert, kSpectrogramFrag

namespace etude::web::spectrogram {
namespace {

constexpr int kRing = 512;  // columns kept: about 5.5 s at one column per 10.7 ms

struct Ring {
  GLuint texture = 0;
  int rows = 0;
  int head = 0;
  std::vector<std::uint8_t> column;
};

bool g_ok = false;
GLuint g_program = 0, g_vao = 0, g_fbo = 0, g_image = 0;
int g_image_w = 0, g_image_h = 0;
std::array<Ring, 3> g_rings;  // note rows, mel bands, linear rows
GLint u_head = -1, u_ring = -1, u_floor = -1, u_map = -1, u_columns = -1;

GLuint compile(GLenum type, const char* source) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &source, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[512];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    std::fprintf(stderr, "Etude: spectrogram shader failed: %s\n", log);
    glDeleteShader(s);
    return 0;
  }
  return s;
}

void ensure_ring(Ring& r, int rows) {
  if (r.texture && r.rows == rows) return;
  if (!r.texture) glGenTextures(1, &r.texture);
  r.rows = rows;
  r.head = 0;
  r.column.assign(std::size_t(rows), 0);
  std::vector<std::uint8_t> black(std::size_t(kRing) * std::size_t(rows), 0);
  glBindTexture(GL_TEXTURE_2D, r.texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, kRing, rows, 0, GL_RED, GL_UNSIGNED_BYTE, black.data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

bool init() {
  const GLuint vs = compile(GL_VERTEX_SHADER, kSpectrogramVert);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, kSpectrogramFrag);
  if (!vs || !fs) return false;
  g_program = glCreateProgram();
  glAttachShader(g_program, vs);
  glAttachShader(g_program, fs);
  glLinkProgram(g_program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint linked = 0;
  glGetProgramiv(g_program, GL_LINK_STATUS, &linked);
  if (!linked) return false;
  u_head = glGetUniformLocation(g_program, "head");
  u_ring = glGetUniformLocation(g_program, "ring");
  u_floor = glGetUniformLocation(g_program, "floor_db");
  u_map = glGetUniformLocation(g_program, "colour_map");
  u_columns = glGetUniformLocation(g_program, "columns");
  glGenVertexArrays(1, &g_vao);
  glGenFramebuffers(1, &g_fbo);
  g_ok = true;
  return true;
}

void push_column(int scale, std::span<const float> db) {
  if (!g_ok || scale < 0 || scale >= int(g_rings.size()) || db.empty()) return;
  Ring& r = g_rings[std::size_t(scale)];
  ensure_ring(r, int(db.size()));
  for (std::size_t i = 0; i < db.size(); ++i) {
    const float v = std::clamp((db[i] + 100.0f) / 100.0f, 0.0f, 1.0f);
    r.column[i] = std::uint8_t(std::lround(v * 255.0f));
  }
  glBindTexture(GL_TEXTURE_2D, r.texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, r.head, 0, 1, r.rows, GL_RED, GL_UNSIGNED_BYTE, r.column.data());
  r.head = (r.head + 1) % kRing;
}

void* render(int scale, int colour_map, float floor_db, int width, int height) {
  if (!g_ok || scale < 0 || scale >= int(g_rings.size()) || width <= 0 || height <= 0) return nullptr;
  Ring& r = g_rings[std::size_t(scale)];
  if (!r.texture) return nullptr;
  if (!g_image || width != g_image_w || height != g_image_h) {
    if (!g_image) glGenTextures(1, &g_image);
    glBindTexture(GL_TEXTURE_2D, g_image);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    g_image_w = width;
    g_image_h = height;
  }
  GLint previous_fbo = 0, viewport[4];
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_fbo);
  glGetIntegerv(GL_VIEWPORT, viewport);
  glBindFramebuffer(GL_FRAMEBUFFER, g_fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, g_image, 0);
  glViewport(0, 0, width, height);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(g_program);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, r.texture);
  glUniform1i(u_columns, 0);
  glUniform1f(u_head, float(r.head));
  glUniform1f(u_ring, float(kRing));
  glUniform1f(u_floor, std::clamp(floor_db, -100.0f, -20.0f));
  glUniform1i(u_map, colour_map);
  glBindVertexArray(g_vao);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glBindFramebuffer(GL_FRAMEBUFFER, GLuint(previous_fbo));
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  return reinterpret_cast<void*>(std::uintptr_t(g_image));
}

}  // namespace etude::web::spectrogram

extern "C" {

// One analysis column: notes rows (dB) followed by mel bands (dB), from the worklet.
EMSCRIPTEN_KEEPALIVE void etude_on_spectrum(const float* column, int notes_bins, int mel_bins, int linear_bins) {
  etude::web::spectrogram::push_column(0, {column, std::size_t(notes_bins)});
  etude::web::spectrogram::push_column(1, {column + notes_bins, std::size_t(mel_bins)});
  etude::web::spectrogram::push_column(2, {column + notes_bins + mel_bins, std::size_t(linear_bins)});
  if (etude::web::app().on_spectrum_column()) etude::web::request_audio_redraw();
}
}
