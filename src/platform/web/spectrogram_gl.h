#pragma once
// The live spectrogram on the GPU.
//
// Implements:  one ring texture per frequency scale (note rows, mel bands, linear rows): each new analysis column
//              is uploaded as one texel column; render() colours the ring into a texture with the
//              fragment shader in shaders/spectrogram.frag (embedded at build time) and returns it
//              for ImGui::Image. The CPU never touches the pixels of the image.
// Does not:    compute spectra (the worklet's dsp.wasm does), draw axes (the app does).
// The caller must: call init() with a current WebGL2 context before anything else.

#include <span>

namespace etude::web::spectrogram {

bool init();  // false when shaders fail to compile (the app then says the spectrogram is unavailable)
void push_column(int scale, std::span<const float> db);
// Colours the ring into a width x height (device pixels) texture; returns it as an ImTextureID, or
// nullptr when unavailable. colour_map: 0 viridis, 1 cividis.
void* render(int scale, int colour_map, float floor_db, int width, int height);

}  // namespace etude::web::spectrogram
