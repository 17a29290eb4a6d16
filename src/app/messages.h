#pragma once
// The words the app uses for states a student can hit: plain, short, and saying what to do next.

#include <string_view>

namespace etude::app {

// Numbered: the platform layer passes these across the JS boundary.
enum class MicState { Off = 0, Starting = 1, Running = 2, Denied = 3, NoDevice = 4, Unsupported = 5, Failed = 6 };
enum class ModelState { NotLoaded = 0, Loading = 1, Ready = 2, Failed = 3 };

MicState mic_state_from_int(int code);  // unknown codes map to Failed
ModelState model_state_from_int(int code);

// A one-line headline and the advice under it; both empty when there is nothing to say.
struct Message {
  std::string_view headline;
  std::string_view advice;
};

Message mic_message(MicState state);
std::string_view mic_state_name(MicState state);  // "off", "running", ... (stable, used by tests)

}  // namespace etude::app
