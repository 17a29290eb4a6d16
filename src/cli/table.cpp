#include "cli/table.h"

#include <algorithm>
#include <bit>
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
  const std::size_t width = std::min(table.columns.size(), table.csv_columns);
  for (std::size_t c = 0; c < width; ++c) std::fprintf(out, "%s%s", c ? "," : "", table.columns[c].c_str());
  std::fputc('\n', out);
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < std::min(row.size(), width); ++c) std::fprintf(out, "%s%s", c ? "," : "", csv_text(row[c]).c_str());
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

std::string write_npy(const Table& table, const std::string& path) {
  static_assert(std::endian::native == std::endian::little, ".npy '<f4' is written as the machine's floats");
  const std::size_t cols = table.columns.size();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(table.rows.size()) + ", " +
                       std::to_string(cols) + "), }";
  // Magic, version 1.0, header length; the header is padded with spaces to a multiple of 64 bytes, ending in \n.
  const std::size_t prefix = 10;
  header.append(63 - (prefix + header.size()) % 64, ' ');
  header += '\n';
  if (header.size() > 65535) return path + ": too many columns for .npy 1.0";
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return path + ": cannot write";
  const unsigned char magic[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  const unsigned char length[2] = {static_cast<unsigned char>(header.size() & 0xff), static_cast<unsigned char>(header.size() >> 8)};
  std::fwrite(magic, 1, sizeof magic, out);
  std::fwrite(length, 1, sizeof length, out);
  std::fwrite(header.data(), 1, header.size(), out);
  std::vector<float> row(cols);
  for (const auto& cells : table.rows) {
    for (std::size_t c = 0; c < cols; ++c) {
      const Cell& cell = c < cells.size() ? cells[c] : Cell{std::string()};
      if (const float* f = std::get_if<float>(&cell)) row[c] = *f;
      else if (const int* i = std::get_if<int>(&cell)) row[c] = float(*i);
      else row[c] = std::nanf("");
    }
    std::fwrite(row.data(), sizeof(float), cols, out);
  }
  const bool ok = std::ferror(out) == 0;
  return std::fclose(out) == 0 && ok ? "" : path + ": write failed";
}

}  // namespace etude::cli
