#pragma once
// The CLI's output: a table written as CSV (header + rows) or JSON (an array of objects).
// Numbers are written in their shortest form that reads back to the same float.

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

namespace etude::cli {

using Cell = std::variant<float, int, std::string>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

void write_csv(const Table& table, std::FILE* out);
void write_json(const Table& table, std::FILE* out);

}  // namespace etude::cli
