#version 300 es
// The live spectrogram: reads a ring texture of dB columns (one column per analysis hop, newest at
// `head`) and colours it with a colour-blind-safe map. x = time (newest on the right), y = frequency
// row (low at the bottom).
precision highp float;
in vec2 uv;
out vec4 colour;
uniform sampler2D columns;   // R8: 0 = -100 dB .. 1 = 0 dB; width = ring length, height = rows
uniform float head;          // index of the next column to be written
uniform float ring;          // ring length in columns
uniform float floor_db;      // dB shown as the darkest colour (-100..-20)
uniform int colour_map;      // 0 viridis, 1 cividis

// viridis: a polynomial fit of matplotlib's table (perceptually uniform and colour-blind-safe, as is cividis).
vec3 viridis(float t) {
  const vec3 c0 = vec3(0.2777, 0.0054, 0.3341), c1 = vec3(0.1051, 1.4046, 1.3846);
  const vec3 c2 = vec3(-0.3309, 0.2148, 0.0951), c3 = vec3(-4.6342, -5.7991, -19.3324);
  const vec3 c4 = vec3(6.2283, 14.1799, 56.6906), c5 = vec3(4.7764, -13.7451, -65.3530);
  const vec3 c6 = vec3(-5.4355, 4.6459, 26.3124);
  return c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6)))));
}
// cividis: piecewise linear through five samples of matplotlib's table.
vec3 cividis(float t) {
  const vec3 k0 = vec3(0.000, 0.135, 0.305), k1 = vec3(0.267, 0.302, 0.431), k2 = vec3(0.490, 0.485, 0.471);
  const vec3 k3 = vec3(0.739, 0.687, 0.445), k4 = vec3(0.995, 0.907, 0.217);
  float x = t * 4.0;
  if (x < 1.0) return mix(k0, k1, x);
  if (x < 2.0) return mix(k1, k2, x - 1.0);
  if (x < 3.0) return mix(k2, k3, x - 2.0);
  return mix(k3, k4, x - 3.0);
}

void main() {
  float column = mod(head + floor(uv.x * ring), ring);
  float db01 = texture(columns, vec2((column + 0.5) / ring, uv.y)).r;
  float db = mix(-100.0, 0.0, db01);
  float t = clamp((db - floor_db) / -floor_db, 0.0, 1.0);
  vec3 rgb = colour_map == 0 ? viridis(t) : cividis(t);
  colour = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}
