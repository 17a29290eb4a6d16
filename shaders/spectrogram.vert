#version 300 es
// A quad over the whole target (triangle strip of 4 vertices); uv runs 0..1 across it.
precision highp float;
out vec2 uv;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  uv = corner;
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
