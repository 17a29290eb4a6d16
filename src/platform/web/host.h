#pragma once
// Shared by the files of the web platform layer: the one App instance and the redraw scheduler.
// Only src/platform/web includes this.

namespace etude::app {
class App;
}

namespace etude::web {

app::App& app();
// Draw `frames` more animation frames (input may need a few for ImGui to settle).
void request_frames(int frames);
// New audio data: redraw, at most 30 times a second.
void request_audio_redraw();

}  // namespace etude::web
