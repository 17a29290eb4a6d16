#pragma once
// Settings kept on this device.
//
// Implements:  small numeric settings in the browser's localStorage under "etude.<key>".
// Does not:    store progress or anything large (that goes to IndexedDB), or any audio, ever.
// The page must: nothing; when storage is blocked or full, loads give the fallback and saves are
//              dropped with a console warning, and the app keeps working.

#include <string_view>

namespace etude::web::storage {

double load_number(std::string_view key, double fallback);
void save_number(std::string_view key, double value);

}  // namespace etude::web::storage
