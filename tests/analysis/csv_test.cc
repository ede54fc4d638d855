// The RFC 4180 reader (analysis/csv.cc): quoting, line endings, and a
// CsvError with the right line for each kind of malformed input.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/csv.h"

using analysis::CsvError;
using analysis::parse_csv;
using analysis::parse_number;

namespace {

// The error parse_csv throws for `text`; fails the test if none.
CsvError error_of(const std::string& text) {
  try {
    parse_csv(text, "x.csv");
  } catch (const CsvError& e) {
    return e;
  }
  FAIL("no error for: " << text);
  return CsvError("", 0, 0, "", "");
}

}  // namespace

TEST_CASE("csv: header and records, by column name") {
  auto t = parse_csv("scenario,variant,wall\nc2,threads,1.5\nc2,sequential,2\n", "x.csv");
  CHECK(t.header == std::vector<std::string>{"scenario", "variant", "wall"});
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[1].fields == std::vector<std::string>{"c2", "sequential", "2"});
  CHECK(t.records[0].line == 2);
  CHECK(t.records[1].line == 3);
  CHECK(t.column("wall") == 2);
  CHECK(t.column("wal") == -1);
}

TEST_CASE("csv: quoted fields, doubled quotes, line breaks inside quotes, CRLF, no final newline") {
  auto t = parse_csv("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,last", "x.csv");
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[0].fields == std::vector<std::string>{"x,y", "say \"hi\"", "two\nlines"});
  CHECK(t.records[1].fields == std::vector<std::string>{"", "", "last"});
  CHECK(t.records[1].line == 4);  // the quoted line break counts
  CHECK(t.line_text(4) == ",,last");
}

TEST_CASE("csv: blank lines are skipped") {
  auto t = parse_csv("a,b\n\n1,2\n\n", "x.csv");
  REQUIRE(t.records.size() == 1);
  CHECK(t.records[0].line == 3);
}

TEST_CASE("csv: malformed input is an error with file and line") {
  SUBCASE("a record with too few fields") {
    auto e = error_of("a,b,c\n1,2,3\n1,2\n");
    CHECK(e.line() == 3);
    CHECK(std::string(e.what()) == "x.csv:3: error: expected 3 fields as in the header, found 2");
    CHECK(e.source_line() == "1,2");
  }
  SUBCASE("a record with too many fields") {
    CHECK(error_of("a,b\n1,2,3\n").message() == "expected 2 fields as in the header, found 3");
  }
  SUBCASE("an unclosed quote points at where the field starts") {
    auto e = error_of("a,b\n1,\"open\n2,3\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == 3);
    CHECK(e.message().find("not closed") != std::string::npos);
  }
  SUBCASE("text after a closing quote") {
    auto e = error_of("a,b\n\"x\"y,2\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == 4);
    CHECK(e.message().find("after a quoted field") != std::string::npos);
  }
  SUBCASE("a quote inside an unquoted field") {
    auto e = error_of("a,b\n1,x\"y\n");
    CHECK(e.line() == 2);
    CHECK(e.message().find("quote inside an unquoted field") != std::string::npos);
  }
  SUBCASE("a lone carriage return") {
    CHECK(error_of("a,b\n1,2\r3,4\n").message().find("carriage return") != std::string::npos);
  }
  SUBCASE("an empty file") {
    CHECK(error_of("").message().find("empty") != std::string::npos);
    CHECK(error_of("\n\n").message().find("empty") != std::string::npos);
  }
  SUBCASE("a column twice in the header") {
    auto e = error_of("wall,variant,wall\n");
    CHECK(e.line() == 1);
    CHECK(e.message() == "column 'wall' appears twice in the header");
  }
}

TEST_CASE("csv: a file that cannot be read is an error") {
  namespace fs = std::filesystem;
  std::string missing = (fs::temp_directory_path() / "gilsim_csv_test_no_such_file.csv").string();
  fs::remove(missing);
  CHECK_THROWS_WITH_AS(analysis::read_csv_file(missing),
                       doctest::Contains("cannot read the file"), CsvError);
  CHECK_THROWS_WITH_AS(analysis::read_csv_file(fs::temp_directory_path().string()),
                       doctest::Contains("is a directory"), CsvError);
  auto t = analysis::read_csv_file(std::string(GILSIM_SOURCE_DIR) + "/tests/fits/threads.csv");
  CHECK(t.column("wall") >= 0);
  CHECK(!t.records.empty());
}

TEST_CASE("csv: numbers as the sweep writes them, and nothing else") {
  CHECK(parse_number("1.5") == 1.5);
  CHECK(parse_number("-2e-3") == -0.002);
  CHECK(parse_number("42") == 42);
  CHECK(std::isnan(*parse_number("nan")));
  CHECK(*parse_number("inf") == INFINITY);
  CHECK(*parse_number("-inf") == -INFINITY);
  for (const char* bad : {"", " 1", "1 ", "+1", "1,5", "abc", "1.5s", "0x10", "1e999"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_number(bad).has_value());
  }
}
