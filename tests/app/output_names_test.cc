// Output names whose extension does not match their format: exit 2 before
// anything runs, and no file written.
#include "app/output_names.h"

#include <doctest/doctest.h>

#include <string>

#include "app/commands.h"
#include "tests/app/cli_harness.h"

using namespace cli_harness;

TEST_CASE("output_format: the extensions each option accepts") {
  REQUIRE(app::output_format("--svg") != nullptr);
  CHECK(app::output_format("--svg")->extensions == std::vector<std::string>{".svg"});
  CHECK(app::output_format("--trace")->extensions == std::vector<std::string>{".json"});
  CHECK(app::output_format("--json")->extensions == std::vector<std::string>{".json"});
  CHECK(app::output_format("--csv")->extensions == std::vector<std::string>{".csv"});
  CHECK(app::output_format("init --out")->extensions == std::vector<std::string>{".yaml", ".yml"});
  CHECK(app::output_format("--out") == nullptr);  // sweep's state directory
}

TEST_CASE("check_output_name: a wrong extension is refused; the right one, none, and '-' are not") {
  CHECK_THROWS_AS(app::check_output_name("--svg", "out.png"), app::CliError);
  CHECK_THROWS_AS(app::check_output_name("--json", "dir/x.csv"), app::CliError);
  CHECK_THROWS_AS(app::check_output_name("--trace", "t.svg"), app::CliError);
  CHECK_THROWS_AS(app::check_output_name("init --out", "s.json"), app::CliError);
  CHECK_NOTHROW(app::check_output_name("--svg", "out.svg"));
  CHECK_NOTHROW(app::check_output_name("--trace", "run.trace.json"));
  CHECK_NOTHROW(app::check_output_name("--csv", "-"));
  CHECK_NOTHROW(app::check_output_name("--json", "/dev/null"));       // no extension
  CHECK_NOTHROW(app::check_output_name("--json", "some.dir/results"));  // a dot in a directory only
  CHECK_NOTHROW(app::check_output_name("init --out", "a.yml"));
}

TEST_CASE("run, claims, fit and init refuse a mismatched name with exit 2 before running") {
  TempDir dir;
  const std::string scenario = std::string(GILSIM_SOURCE_DIR) + "/templates/native-release-gil.yaml";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"run", scenario, "--svg", dir.file("out.png")}, "--svg writes SVG: its name must end in .svg"},
      {{"run", scenario, "--json", dir.file("x.csv")}, "--json writes JSON: its name must end in .json"},
      {{"run", scenario, "--trace", dir.file("t.svg")}, "--trace writes JSON: its name must end in .json"},
      {{"run", scenario, "--csv", dir.file("x.txt")}, "--csv writes CSV"},
      {{"claims", "--json", dir.file("c.csv")}, "--json writes JSON"},
      {{"fit", dir.file("r.csv"), "--x", "n", "--time", "wall", "--json", dir.file("f.txt")}, "--json writes JSON"},
      {{"init", "--out", dir.file("s.json")}, "--out writes a scenario (YAML): its name must end in .yaml or .yml"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args[0]);
    const auto o = gilsim(c.args);
    CHECK(o.code == 2);
    CHECK(contains(o.err, c.message));
    CHECK(o.out.empty());  // nothing ran
  }
  CHECK(dir.count() == 0);
}
