#include "app/messages.h"

namespace etude::app {

MicState mic_state_from_int(int code) {
  return code >= 0 && code <= 6 ? MicState(code) : MicState::Failed;
}

ModelState model_state_from_int(int code) {
  return code >= 0 && code <= 3 ? ModelState(code) : ModelState::Failed;
}

Message mic_message(MicState state) {
  switch (state) {
    case MicState::Off:
      return {"The microphone is off.", "Press Start microphone, then play or sing a note."};
    case MicState::Starting:
      return {"Starting the microphone\u2026", "If your browser asks, choose Allow."};
    case MicState::Running:
      return {"Listening.", "Play or sing a long note. Nothing you play leaves this device."};
    case MicState::Denied:
      return {"Etude can't hear you: microphone access is blocked.",
              "On a Chromebook, click the camera-and-microphone icon at the right end of the address bar, "
              "choose \"Always allow\", then press Start microphone again. If your school manages the "
              "Chromebook, ask your teacher to allow the microphone for this site."};
    case MicState::NoDevice:
      return {"No microphone was found.",
              "Plug in a headset or webcam with a microphone, or check Settings > Device > Audio > Input "
              "on your Chromebook, then press Start microphone again."};
    case MicState::Unsupported:
      return {"This page can't use the microphone.",
              "Open Etude from its https:// link (or http://localhost) in an up-to-date Chrome, Edge or Firefox."};
    case MicState::Failed:
      return {"The microphone stopped working.",
              "Close other apps or tabs that use the microphone, then press Start microphone again."};
  }
  return {};
}

std::string_view mic_state_name(MicState state) {
  switch (state) {
    case MicState::Off: return "off";
    case MicState::Starting: return "starting";
    case MicState::Running: return "running";
    case MicState::Denied: return "denied";
    case MicState::NoDevice: return "no-device";
    case MicState::Unsupported: return "unsupported";
    case MicState::Failed: return "failed";
  }
  return "failed";
}

}  // namespace etude::app
