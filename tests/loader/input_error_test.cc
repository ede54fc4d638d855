// InputError's rendering (file:line:column, the line, a caret) and the
// did-you-mean matcher every message uses.
#include "loader/input_error.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("input_error") {
  TEST_CASE("renders file:line:col, the line and a caret") {
    loader::InputError e({"x.yaml", 12, 5}, "unknown key 'swich_interval'", "    swich_interval: 5ms");
    CHECK(std::string(e.what()) ==
          "x.yaml:12:5: error: unknown key 'swich_interval'\n"
          "      swich_interval: 5ms\n"
          "      ^");
    CHECK(e.message() == "unknown key 'swich_interval'");
    CHECK(e.pos().line == 12);
  }

  TEST_CASE("without a place, or without the line") {
    CHECK(std::string(loader::InputError({"", 0, 0}, "cannot read x").what()) ==
          "error: cannot read x");
    CHECK(std::string(loader::InputError({"f.yaml", 0, 0}, "empty").what()) == "f.yaml: error: empty");
    CHECK(std::string(loader::InputError({"f.yaml", 3, 1}, "bad").what()) == "f.yaml:3:1: error: bad");
  }

  TEST_CASE("the caret keeps tabs and counts a UTF-8 character once") {
    loader::InputError tab({"f", 1, 3}, "m", "\tab");
    CHECK(contains(tab.what(), "\n  \tab\n  \t ^"));
    loader::InputError micro({"f", 1, 5}, "m", "\xc2\xb5s x");  // "µs x": 'x' is byte 5
    CHECK(contains(micro.what(), "\n     ^"));               // 2 + 3 columns
  }
}
