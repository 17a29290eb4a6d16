#include "cli/table.h"

#include <charconv>
#include <cmath>

namespace etude::cli {

namespace {
std::string number(float v) {
  if (!std::isfinite(v)) return "0";  // never emitted by the analysis; keeps CSV/JSON parseable regardless
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

std::string csv_text(const Cell& cell) {
  if (const float* f = std::get_if<float>(&cell)) return number(*f);
  if (const int* i = std::get_if<int>(&cell)) return std::to_string(*i);
  const std::string& s = std::get<std::string>(cell);
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string json_text(const Cell& cell) {
  if (const std::string* s = std::get_if<std::string>(&cell)) return json_string(*s);
  return csv_text(cell);
}
}  // namespace

void write_csv(const Table& table, std::FILE* out) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) std::fprintf(out, "%s%s", c ? "," : "", table.columns[c].c_str());
  std::fputc('\n', out);
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) std::fprintf(out, "%s%s", c ? "," : "", csv_text(row[c]).c_str());
    std::fputc('\n', out);
  }
}

void write_json(const Table& table, std::FILE* out) {
  std::fputs("[", out);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::fputs(r ? ",\n {" : "\n {", out);
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      std::fprintf(out, "%s%s: %s", c ? ", " : "", json_string(table.columns[c]).c_str(), json_text(table.rows[r][c]).c_str());
    std::fputs("}", out);
  }
  std::fputs(table.rows.empty() ? "]\n" : "\n]\n", out);
}

}  // namespace etude::cli
