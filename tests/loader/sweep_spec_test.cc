// The sweep key and the axis syntax: lists, ranges, single values, and what
// is not one of them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "loader/scenario.h"
#include "loader/sweep_spec.h"

using loader::AxisValue;

namespace {

std::vector<std::string> texts(const std::vector<AxisValue>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(v.text);
  return out;
}

const char* kBase = R"(name: s
threads:
  - name: w
    run: [cpu: 1ms]
)";

}  // namespace

TEST_CASE("a command-line axis: a list keeps each value's YAML type") {
  auto a = loader::parse_axis_argument(R"(runtime.python=[3.12, "3.13t", 10us])");
  REQUIRE(a.ok());
  CHECK(a.value.path == "runtime.python");
  CHECK(a.value.from_command_line);
  REQUIRE(a.value.values.size() == 3);
  CHECK(a.value.values[0] == AxisValue{"3.12", false});
  CHECK(a.value.values[1] == AxisValue{"3.13t", true});
  CHECK(a.value.values[2] == AxisValue{"10us", false});
  CHECK(loader::yaml_spelling(a.value.values[1]) == "\"3.13t\"");
}

TEST_CASE("a command-line axis: an inclusive range and a single value") {
  auto r = loader::parse_axis_argument("threads.0.count=1..4");
  REQUIRE(r.ok());
  CHECK(texts(r.value.values) == std::vector<std::string>{"1", "2", "3", "4"});
  auto one = loader::parse_axis_argument("threads.0.count=-2..-2");
  REQUIRE(one.ok());
  CHECK(texts(one.value.values) == std::vector<std::string>{"-2"});
  auto s = loader::parse_axis_argument("runtime.switch_interval=5ms");
  REQUIRE(s.ok());
  CHECK(texts(s.value.values) == std::vector<std::string>{"5ms"});
  // Quoted, ".." is text, not a range.
  auto q = loader::parse_axis_argument(R"(x.y="1..3")");
  REQUIRE(q.ok());
  CHECK(q.value.values == std::vector<AxisValue>{{"1..3", true}});
}

TEST_CASE("a command-line axis: bad ranges and bad syntax say what to write") {
  struct Case {
    const char* argument;
    const char* problem;
  };
  for (const Case& c : {Case{"p=3..1", "is empty: write the smaller number first (1..3)"},
                        Case{"p=a..b", "'a..b' is not a range: a range is two whole numbers"},
                        Case{"p=1..", "'1..' is not a range"},
                        Case{"p=1.5..3", "not a range"},
                        Case{"p=1..1000000", "more than 100000 values"},
                        Case{"runtime.switch_interval", "is not an axis: write PATH=VALUES"},
                        Case{"=1ms", "an axis needs a path"},
                        Case{"a..b=1", "has an empty part"},
                        Case{"a b=1", "has a character a key cannot have"},
                        Case{"p=", "no values"},
                        Case{"p=[]", "is empty"},
                        Case{"p=[[1, 2]]", "must be a single value"},
                        Case{"p={a: 1}", "are a map"},
                        Case{"p=[1, 2", "cannot read the values"}}) {
    CAPTURE(c.argument);
    auto a = loader::parse_axis_argument(c.argument);
    CHECK_FALSE(a.ok());
    CHECK(a.problem.find(c.problem) != std::string::npos);
  }
}

TEST_CASE("the sweep key: axes in file order with their places, replications default 1") {
  auto s = loader::load_scenario_text(std::string(kBase) + R"(sweep:
  axes:
    runtime.switch_interval: [1ms, 5ms]
    threads.0.count: 1..3
    runtime.python: "3.12"
)", "f.yaml");
  REQUIRE(s.sweep.axes.size() == 3);
  CHECK(s.sweep.replications == 1);
  CHECK(s.sweep.axes[0].path == "runtime.switch_interval");
  CHECK(s.sweep.axes[0].pos.line == 7);
  CHECK(s.sweep.axes[0].pos.column == 5);
  CHECK_FALSE(s.sweep.axes[0].from_command_line);
  CHECK(texts(s.sweep.axes[1].values) == std::vector<std::string>{"1", "2", "3"});
  CHECK(s.sweep.axes[2].values == std::vector<AxisValue>{{"3.12", true}});

  auto r = loader::load_scenario_text(std::string(kBase) + "sweep: {replications: 4}\n", "f.yaml");
  CHECK(r.sweep.replications == 4);
  CHECK(r.sweep.axes.empty());
  std::string many = "sweep:\n  axes:\n    machine.cores: [";
  for (int i = 0; i <= loader::kMaxAxisValues; ++i) many += "1,";
  many += "1]\n";
  CHECK_THROWS_WITH(loader::load_scenario_text(std::string(kBase) + many, "f.yaml"),
                    doctest::Contains("more than 100000 values of the axis 'machine.cores'"));
  // Without the key: no axes.
  CHECK(loader::load_scenario_text(kBase, "f.yaml").sweep.axes.empty());
}

TEST_CASE("sweep.fit: x, throughput or time, and by (default variant), with their places") {
  auto s = loader::load_scenario_text(std::string(kBase) + R"(sweep:
  axes:
    pools.0.workers: 1..8
  fit: {x: pools.0.workers, throughput: requests.throughput}
)", "f.yaml");
  REQUIRE(s.sweep.fit);
  CHECK(s.sweep.fit->x == "pools.0.workers");
  CHECK(s.sweep.fit->y == "requests.throughput");
  CHECK_FALSE(s.sweep.fit->time);
  CHECK(s.sweep.fit->by == "variant");
  CHECK(s.sweep.fit->pos.line == 8);
  CHECK(s.sweep.fit->pos.column == 3);
  CHECK(s.sweep.fit->x_pos.line == 8);
  CHECK(s.sweep.fit->x_pos.column == 12);

  auto t = loader::load_scenario_text(std::string(kBase) + R"(sweep:
  fit:
    x: threads.0.count
    time: wall
    by: scenario
)", "f.yaml");
  REQUIRE(t.sweep.fit);
  CHECK(t.sweep.fit->time);
  CHECK(t.sweep.fit->y == "wall");
  CHECK(t.sweep.fit->by == "scenario");
  CHECK(t.sweep.fit->x_pos.line == 7);

  CHECK_FALSE(loader::load_scenario_text(kBase, "f.yaml").sweep.fit);
}

TEST_CASE("sweep.fit: what is wrong with it, at its place") {
  struct Case {
    const char* fit;
    const char* error;
  };
  for (const Case& c : {Case{"{x: a, time: wall, troughput: b}", "f.yaml:6:27: error: unknown key 'troughput' in "
                                                                  "sweep.fit; did you mean 'throughput'?"},
                        Case{"{x: a, throughput: b, time: c}", "f.yaml:6:30: error: sweep.fit takes one of"},
                        Case{"{x: a}", "f.yaml:6:3: error: sweep.fit needs throughput: COLUMN"},
                        Case{"{time: wall}", "f.yaml:6:3: error: sweep.fit needs 'x':"},
                        Case{"{x: '', time: wall}", "f.yaml:6:12: error: sweep.fit.x wants a column name"},
                        Case{"{x: a, time: {w: 1}}", "expected text for sweep.fit.time"},
                        Case{"wall", "expected a map for sweep.fit"}}) {
    CAPTURE(c.fit);
    CHECK_THROWS_WITH(loader::load_scenario_text(std::string(kBase) + "sweep:\n  fit: " + c.fit + "\n", "f.yaml"),
                      doctest::Contains(c.error));
  }
}
