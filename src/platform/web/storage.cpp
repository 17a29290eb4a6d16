#include "platform/web/storage.h"

#include <emscripten.h>

#include <string>

EM_JS(double, etude_js_load_number, (const char* key, double fallback), {
  try {
    const v = window.localStorage.getItem("etude." + UTF8ToString(key));
    const n = v === null ? NaN : Number(v);
    return Number.isFinite(n) ? n : fallback;
  } catch (e) {
    return fallback;  // storage blocked (private mode, school policy)
  }
});

EM_JS(void, etude_js_save_number, (const char* key, double value), {
  try {
    window.localStorage.setItem("etude." + UTF8ToString(key), String(value));
  } catch (e) {
    console.warn("Etude: could not save a setting on this device (" + e.name + ")");
  }
});

namespace etude::web::storage {

double load_number(std::string_view key, double fallback) { return etude_js_load_number(std::string(key).c_str(), fallback); }

void save_number(std::string_view key, double value) { etude_js_save_number(std::string(key).c_str(), value); }

}  // namespace etude::web::storage
