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
}
