#pragma once
// Settings kept on this device.
//
// Implements:  small settings (numbers and short texts) read and written through window.etude.settings
//              (web/settings.js), which keeps them in IndexedDB and loads them all before the app starts,
//              so reads here are synchronous.
// Does not:    store progress or anything large, or any audio, ever.
// The page must: open the settings before starting the app; when storage is blocked or full, loads
//              give what was set in this visit (or the fallback), the page tells the student once, and
//              the app keeps working.

#include <string>
#include <string_view>

namespace etude::web::storage {

double load_number(std::string_view key, double fallback);
void save_number(std::string_view key, double value);
std::string load_text(std::string_view key, std::string_view fallback);
void save_text(std::string_view key, std::string_view value);
// A downloaded copy of every setting (a JSON file), and deleting them all.
void export_all();
void delete_all();
// Why settings cannot be kept on this device, in words for the student; empty when they can.
std::string problem();

}  // namespace etude::web::storage
