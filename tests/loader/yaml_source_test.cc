// The file as YAML: malformed text, duplicate keys, empty files, one document.
#include "loader/yaml_source.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("yaml_source") {
  TEST_CASE("malformed YAML, duplicate keys, empty files") {
    CHECK_ERROR("name: t\nthreads:\n  - name: main\n   run: []\n", "t.yaml:4:");
    CHECK_ERROR("name: t\nthreads:\n  - name: main\n   run: []\n", "error: malformed YAML: ");
    CHECK_ERROR("name: t\nmachine: {cores: 2\n", "error: malformed YAML: ");
    CHECK_ERROR("name: t\nmachine:\n  cores: 2\n  cores: 4\n",
                "t.yaml:4:3: error: duplicate key 'cores' in machine (first on line 3)");
    CHECK_ERROR("name: t\nname: u\n", "t.yaml:2:1: error: duplicate key 'name' in the scenario");
    CHECK_ERROR("", "t.yaml: error: the file is empty");
    CHECK_ERROR("# only a comment\n", "t.yaml: error: the file is empty");
    CHECK_ERROR(with_run("      - cpu: 1ms\n") + "---\nname: u\n",
                "t.yaml:7:1: error: one scenario per file");
    CHECK(load(with_run("      - cpu: 1ms\n") + "---\n").name == "t");
    // yaml-cpp 0.7 reads this as an empty document (and LoadAll never returns).
    CHECK_ERROR("# c\n  ,name: t\n", "t.yaml:2:3: error: expected a scenario here");
    CHECK_ERROR("~\n", "t.yaml:1:1: error: expected a scenario here");
  }

  TEST_CASE("aliases are counted expanded, without expanding them: a billion laughs is refused at the alias that passes the cap") {
    // Ten levels of ten aliases each: 10^10 nodes expanded, a few hundred bytes written.
    std::string laughs = "name: t\nvariants:\n  v:\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level < 10; ++level) {
      const std::string prev = "*a" + std::to_string(level - 1);
      laughs += "    a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
      for (int i = 0; i < 10; ++i) laughs += (i ? ", " : "") + prev;
      laughs += "]\n";
    }
    // a0 holds 11 nodes, a1 111, ..., a4 111,111: with the lines above them,
    // the eighth alias of a5 (line 9, column 49) takes the count past 10^6.
    CHECK_ERROR(laughs, "t.yaml:9:49:");
    CHECK_ERROR(laughs, "more than 1000000 YAML nodes once its aliases (*name) are expanded");
    // Aliases within the cap are ordinary YAML.
    CHECK(load("name: t\nthreads:\n  - &t {name: a, run: [{cpu: 1ms}]}\n  - {name: b, run: [{cpu: 1ms}]}\n").name == "t");
    CHECK_ERROR("name: t\nthreads: &a [*a]\n", "t.yaml:2:14: error: this alias names a collection it is inside of");
  }
}
