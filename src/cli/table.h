#pragma once
// The CLI's output: a table written as CSV (header + rows) or JSON (an array of objects).
// Numbers are written in their shortest form that reads back to the same float.

#include <cstdint>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

namespace etude::cli {

using Cell = std::variant<float, int, std::string>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  std::size_t csv_columns = SIZE_MAX;  // CSV writes only the first this many columns (JSON writes all)
};

void write_csv(const Table& table, std::FILE* out);
void write_json(const Table& table, std::FILE* out);
// NumPy .npy (format 1.0): a float32 rows x columns matrix of the table's numbers (strings are written
// as NaN). Returns "" on success, otherwise one error sentence.
std::string write_npy(const Table& table, const std::string& path);

}  // namespace etude::cli
