// Points, seeds and the manifest of a sweep.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analysis/sweep_definition.h"

using analysis::SweepDefinition;

namespace {

SweepDefinition three_by_two() {
  SweepDefinition d;
  d.scenario = "sweep";
  d.file_hash = analysis::fnv1a64("name: s\n");
  loader::SweepAxis a, b;
  a.path = "axis_a";
  a.values = {{"1ms", false}, {"2ms", false}, {"3ms", false}};
  b.path = "axis_b";
  b.values = {{"x", false}, {"y", true}};
  d.axes = {a, b};
  d.replications = 2;
  d.variants = {"one", "two"};
  d.base_seed = 5;
  return d;
}

}  // namespace

TEST_CASE("points: the cartesian product, first axis outermost") {
  const SweepDefinition d = three_by_two();
  CHECK(d.points() == 6);
  CHECK(d.coordinates(0) == std::vector<std::size_t>{0, 0});
  CHECK(d.coordinates(1) == std::vector<std::size_t>{0, 1});
  CHECK(d.coordinates(2) == std::vector<std::size_t>{1, 0});
  CHECK(d.coordinates(5) == std::vector<std::size_t>{2, 1});
  CHECK(d.describe_point(3) == "axis_a=2ms, axis_b=\"y\"");
}

TEST_CASE("seeds: replication r runs with base + r at every point") {
  const SweepDefinition d = three_by_two();
  CHECK(d.seed(0) == 5);
  CHECK(d.seed(1) == 6);
}

TEST_CASE("fnv1a64: the published test values") {
  CHECK(analysis::fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(analysis::fnv1a64("a") == 0xaf63dc4c8601ec8cull);
}

TEST_CASE("the manifest reads back, and a difference is named") {
  const SweepDefinition d = three_by_two();
  const std::string m = analysis::manifest_json(d);
  const SweepDefinition back = analysis::read_manifest(m);
  CHECK(analysis::manifest_json(back) == m);
  CHECK(back.axes[1].values[1] == loader::AxisValue{"y", true});
  CHECK(analysis::manifest_difference(m, m).empty());

  SweepDefinition more = d;
  more.replications = 3;
  CHECK(analysis::manifest_difference(m, analysis::manifest_json(more)) == "replications: 2 there, 3 here");
  SweepDefinition edited = d;
  edited.file_hash = analysis::fnv1a64("name: t\n");
  CHECK(analysis::manifest_difference(m, analysis::manifest_json(edited)).rfind("file_hash:", 0) == 0);
  CHECK_THROWS(analysis::read_manifest("{\"scenario\": \"sweep\"}"));
  std::string bad_hash = m;
  bad_hash.replace(bad_hash.find("fnv1a64:") + 8, 16, "not-hex");
  CHECK_THROWS_WITH(analysis::read_manifest(bad_hash), doctest::Contains("a bad file_hash"));
  CHECK(analysis::manifest_difference("{", m) == "the existing manifest is not valid JSON");
  CHECK(analysis::manifest_difference("[1]", m) == "the existing manifest is not a JSON object");
}
