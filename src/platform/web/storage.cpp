#include "platform/web/storage.h"

#include <emscripten.h>

#include <cstdlib>
#include <memory>
#include <string>

EM_JS(double, etude_js_load_number, (const char* key, double fallback), {
  const v = window.etude.settings.get(UTF8ToString(key), fallback);
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
});

EM_JS(void, etude_js_save_number, (const char* key, double value), {
  window.etude.settings.set(UTF8ToString(key), value);
});

// Both return a malloc'd UTF-8 copy of the text (the caller frees it), or 0 when absent
// (allocateUTF8 is Emscripten 3.1.6's name for what later releases call stringToNewUTF8).
EM_JS(char*, etude_js_load_text, (const char* key), {
  const v = window.etude.settings.get(UTF8ToString(key), null);
  return typeof v === "string" ? allocateUTF8(v) : 0;
});

EM_JS(char*, etude_js_storage_problem, (), {
  const text = window.etude.settings.problem;
  return text ? allocateUTF8(text) : 0;
});

EM_JS(void, etude_js_save_text, (const char* key, const char* value), {
  window.etude.settings.set(UTF8ToString(key), UTF8ToString(value));
});

EM_JS(void, etude_js_export_settings, (), { window.etude.exportSettings(); });
EM_JS(void, etude_js_delete_settings, (), { window.etude.settings.clear(); });

namespace etude::web::storage {

void export_all() { etude_js_export_settings(); }
void delete_all() { etude_js_delete_settings(); }


double load_number(std::string_view key, double fallback) { return etude_js_load_number(std::string(key).c_str(), fallback); }

void save_number(std::string_view key, double value) { etude_js_save_number(std::string(key).c_str(), value); }

std::string load_text(std::string_view key, std::string_view fallback) {
  const std::unique_ptr<char, decltype(&std::free)> text(etude_js_load_text(std::string(key).c_str()), &std::free);
  return text ? std::string(text.get()) : std::string(fallback);
}

std::string problem() {
  const std::unique_ptr<char, decltype(&std::free)> text(etude_js_storage_problem(), &std::free);
  return text ? std::string(text.get()) : std::string();
}

void save_text(std::string_view key, std::string_view value) {
  etude_js_save_text(std::string(key).c_str(), std::string(value).c_str());
}

}  // namespace etude::web::storage
