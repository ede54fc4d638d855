// Where an axis puts its value in a scenario's tree, and each way a path can
// miss.
#include <doctest/doctest.h>

#include <string>

#include "analysis/sweep_axes.h"
#include "loader/input_error.h"
#include "loader/scenario.h"
#include "loader/yaml_source.h"

namespace {

const char* kScenario = R"(name: axes
runtime:
  switch_interval: 5ms
threads:
  - name: w
    count: 2
    run: [cpu: 1ms]
variants:
  fast:
    runtime:
      switch_interval: 1ms
  plain: {}
  own:
    threads:
      - name: m
        run: [cpu: 2ms]
sweep:
  axes:
    runtim.switch_interval: [1ms]
)";

loader::SweepAxis cli_axis(const std::string& path) {
  loader::SweepAxis a;
  a.path = path;
  a.from_command_line = true;
  return a;
}

struct Tree {
  loader::YamlSource src{"s.yaml", kScenario};
  YAML::Node root = src.parse();
  void apply(const loader::SweepAxis& axis, const std::string& value) {
    analysis::apply_axis(src, root, axis, YAML::Node(value));
  }
  std::string error(const loader::SweepAxis& axis) {
    try {
      apply(axis, "7");
    } catch (const loader::InputError& e) {
      return e.what();
    }
    return "no error";
  }
};

}  // namespace

TEST_CASE("an axis sets the top level and every variant that sets the key itself") {
  Tree t;
  t.apply(cli_axis("runtime.switch_interval"), "20ms");
  CHECK(t.root["runtime"]["switch_interval"].Scalar() == "20ms");
  CHECK(t.root["variants"]["fast"]["runtime"]["switch_interval"].Scalar() == "20ms");
  // `plain` inherits the top level's value; nothing is written into it.
  CHECK_FALSE(t.root["variants"]["plain"]["runtime"].IsDefined());
  auto s = loader::load_scenario_tree(t.src, t.root);
  for (const auto& v : s.variants) {
    CAPTURE(v.name);
    CHECK(v.config.runtime.switch_interval == 20 * sim::kMillisecond);
  }
}

TEST_CASE("a list index: the top level's list, not a variant's list that lacks the key") {
  Tree t;
  t.apply(cli_axis("threads.0.count"), "5");
  CHECK(t.root["threads"][0]["count"].Scalar() == "5");
  CHECK_FALSE(t.root["variants"]["own"]["threads"][0]["count"].IsDefined());
}

TEST_CASE("variants.NAME.KEY: a section of settings the variant lacks is made; another missing key is an error") {
  Tree t;
  // `own` has no runtime of its own: the schema says runtime is a map of settings.
  const auto unreached = analysis::apply_axis(t.src, t.root, cli_axis("variants.own.runtime.switch_interval"),
                                              YAML::Node("3ms"));
  CHECK(t.root["variants"]["own"]["runtime"]["switch_interval"].Scalar() == "3ms");
  CHECK(unreached == std::vector<std::string>{"fast", "plain"});
  auto s = loader::load_scenario_tree(t.src, t.root);
  CHECK(s.variants[2].config.runtime.switch_interval == 3 * sim::kMillisecond);
  CHECK(s.variants[0].config.runtime.switch_interval == sim::kMillisecond);
  CHECK(t.error(cli_axis("variants.own.threads.0.limits.x")).find("there is no key 'limits' in 'variants.own.threads.0'") !=
        std::string::npos);
}

TEST_CASE("a section of settings the file leaves out is made at the top level, its defaults kept") {
  loader::YamlSource src{"s.yaml", "name: bare\nthreads: [{name: w, run: [cpu: 1ms]}]\n"};
  YAML::Node root = src.parse();
  CHECK(analysis::apply_axis(src, root, cli_axis("runtime.switch_interval"), YAML::Node("2ms")).empty());
  CHECK(analysis::apply_axis(src, root, cli_axis("machine.cores"), YAML::Node("3")).empty());
  const auto s = loader::load_scenario_tree(src, root);
  CHECK(s.variants[0].config.runtime.switch_interval == 2 * sim::kMillisecond);
  CHECK(s.variants[0].config.machine.cores == 3);
  CHECK(s.variants[0].config.runtime.python == models::SimulationConfig{}.runtime.python);  // a default
}

TEST_CASE("the variants an axis does not reach: those that replace a list or value on its path") {
  Tree t;
  // `own` replaces the threads; `fast` and `plain` inherit (or set) the key.
  CHECK(analysis::apply_axis(t.src, t.root, cli_axis("threads.0.count"), YAML::Node("3")) ==
        std::vector<std::string>{"own"});
  CHECK(analysis::apply_axis(t.src, t.root, cli_axis("runtime.switch_interval"), YAML::Node("3ms")).empty());
}

TEST_CASE("variants.NAME.KEY: the final key is created in that variant") {
  Tree t;
  t.apply(cli_axis("variants.fast.runtime.wake"), "random");
  CHECK(t.root["variants"]["fast"]["runtime"]["wake"].Scalar() == "random");
  CHECK_FALSE(t.root["runtime"]["wake"].IsDefined());
}

TEST_CASE("a missing final key is created, and the loader judges its name") {
  Tree t;
  t.apply(cli_axis("runtime.wake"), "random");
  CHECK(t.root["runtime"]["wake"].Scalar() == "random");
  Tree typo;
  typo.apply(cli_axis("runtime.swich_interval"), "1ms");
  try {
    loader::load_scenario_tree(typo.src, typo.root);
    FAIL("a misspelt key must not load");
  } catch (const loader::InputError& e) {
    CHECK(std::string(e.what()).find("did you mean 'switch_interval'?") != std::string::npos);
  }
}

TEST_CASE("each way a path can miss is an error naming the axis") {
  Tree t;
  struct Case {
    const char* path;
    const char* message;
  };
  for (const Case& c :
       {Case{"runtim.switch_interval", "there is no key 'runtim' at the top level; did you mean 'runtime'?"},
        Case{"threads.2.count", "index 2 is out of range: 'threads' has 1 item"},
        Case{"threads.first.count", "'threads' is a list: 'first' must be an index from 0 to 0"},
        Case{"runtime.switch_interval.x", "'runtime.switch_interval' is a single value"},
        Case{"variants.fats.runtime.switch_interval", "there is no variant 'fats'; did you mean 'fast'?"},
        Case{"variants.fast", "a path into a variant is variants.NAME.KEY"},
        Case{"seed", "'seed' cannot be swept: replications set the seeds"},
        Case{"sweep.replications", "'sweep' cannot be swept"}}) {
    CAPTURE(c.path);
    const std::string e = t.error(cli_axis(c.path));
    CHECK(e.find(c.message) != std::string::npos);
    CHECK(e.find("in the command-line axis '" + std::string(c.path) + "'") != std::string::npos);
    CHECK(e.rfind("s.yaml: error:", 0) == 0);  // the file, no line: the axis is not in it
  }
}

TEST_CASE("a path into variants of a scenario without variants") {
  loader::YamlSource src("plain.yaml", "name: plain\nthreads: [{name: w, run: [cpu: 1ms]}]\n");
  YAML::Node root = src.parse();
  CHECK_THROWS_WITH(analysis::apply_axis(src, root, cli_axis("variants.a.machine.cores"), YAML::Node("2")),
                    doctest::Contains("the scenario has no variants"));
}

TEST_CASE("an axis from the file: its error points at the axis's path in the file") {
  Tree t;
  auto s = loader::load_scenario_text(kScenario, "s.yaml");  // the loader checks only the syntax
  REQUIRE(s.sweep.axes.size() == 1);
  const std::string e = t.error(s.sweep.axes[0]);
  CHECK(e.rfind("s.yaml:19:5: error: in the axis 'runtim.switch_interval': there is no key 'runtim'", 0) == 0);
}
