#include "cli/table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using namespace etude::cli;

namespace {
std::string render(const Table& t, bool json) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  json ? write_json(t, out) : write_csv(t, out);
  std::fclose(out);
  std::string s(buffer, size);
  std::free(buffer);
  return s;
}
}  // namespace

TEST(Table, CsvWritesShortestRoundTripNumbersAndQuotesText) {
  Table t{{"time_s", "midi", "label"}, {{0.1f, 69, std::string("C:maj")}, {3600.0117f, 60, std::string("a,b")}}};
  EXPECT_EQ(render(t, false), "time_s,midi,label\n0.1,69,C:maj\n3600.0117,60,\"a,b\"\n");
}

TEST(Table, JsonIsAnArrayOfObjects) {
  Table t{{"bpm", "label"}, {{120.5f, std::string("say \"hi\"")}}};
  EXPECT_EQ(render(t, true), "[\n {\"bpm\": 120.5, \"label\": \"say \\\"hi\\\"\"}\n]\n");
  EXPECT_EQ(render(Table{{"x"}, {}}, true), "[]\n");
}
