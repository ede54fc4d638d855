// `gilsim COMMAND --help`: each command's usage, its own options (and no other
// command's), an example; exit 0.
#include "app/command_help.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/app/cli_harness.h"

using namespace cli_harness;

namespace {

struct HelpCase {
  const char* command;
  std::vector<const char*> own;     // options it must list
  std::vector<const char*> others;  // options of other commands it must not
};

}  // namespace

TEST_CASE("COMMAND --help prints that command's usage, options and an example, exit 0") {
  const HelpCase cases[] = {
      {"run", {"--seed", "--variant", "--profile", "--trace", "--svg", "--json", "--csv", "--replications", "--quiet"},
       {"--jobs", "--shard", "--out", "--list", "--x "}},
      {"check", {"--seed", "--variant", "--profile", "--quiet"}, {"--json", "--csv", "--svg", "--trace", "--jobs", "--replications"}},
      {"claims", {"--seed", "--profile", "--json", "--csv", "--quiet"}, {"--variant", "--svg", "--jobs", "--replications"}},
      {"sweep", {"--replications", "--jobs", "--out", "--shard", "--seed", "--variant", "--csv", "--json", "--quiet"},
       {"--svg", "--trace", "--list"}},
      {"merge", {"--csv", "--json"}, {"--profile", "--seed", "--variant", "--jobs", "--quiet", "--svg"}},
      {"init", {"--out", "--list"}, {"--profile", "--seed", "--json", "--csv", "--quiet"}},
      {"fit", {"--x", "--throughput", "--time", "--by", "--json"}, {"--load", "--slo", "--seed", "--quiet"}},
      {"saturation", {"--load", "--slo", "--metrics", "--goodput", "--tolerance", "--by", "--json"},
       {"--throughput", "--seed", "--quiet"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.command);
    for (const char* help : {"--help", "-h"}) {
      const auto o = gilsim({c.command, help});
      CHECK(o.code == 0);
      CHECK(o.err.empty());
      CHECK(contains(o.out, std::string("gilsim ") + (std::string(c.command) == "claims" ? "[claims]" : c.command)));
      CHECK(contains(o.out, "Example"));
      CHECK_FALSE(contains(o.out, "Commands:"));  // not the global help
      for (const char* option : c.own) {
        CAPTURE(option);
        CHECK(contains(o.out, option));
      }
      for (const char* option : c.others) {
        CAPTURE(option);
        CHECK_FALSE(contains(o.out, option));
      }
    }
  }
}

TEST_CASE("--help without a command is the global help, which points to the commands' own") {
  const auto o = gilsim({"--help"});
  CHECK(o.code == 0);
  CHECK(contains(o.out, "Commands:"));
  CHECK(contains(o.out, "gilsim init [TEMPLATE]"));
  CHECK(contains(o.out, "'gilsim COMMAND --help'"));
}

TEST_CASE("the example of each command's help is a valid command line of it") {
  for (const char* command : {"run", "check", "claims", "sweep", "merge", "init"}) {
    CAPTURE(command);
    const app::CommandHelp* help = app::command_help(command);
    REQUIRE(help != nullptr);
    std::string example = help->example;
    CHECK(example.rfind(std::string("gilsim ") + command, 0) == 0);
    // Every option the example uses is one the command has.
    const auto names = app::command_option_names(command);
    for (std::size_t at = 0; (at = example.find(" --", at)) != std::string::npos; ++at) {
      const std::string option = example.substr(at + 1, example.find(' ', at + 1) - at - 1);
      CAPTURE(option);
      CHECK(std::find(names.begin(), names.end(), option) != names.end());
    }
  }
  CHECK(app::command_help("fit") == nullptr);  // fit and saturation print their own
}

TEST_CASE("an unknown option's did-you-mean is among the command's own options, without the dashes") {
  // --quiet is not a merge option, and '--out' only shares dashes with it.
  const auto merge = gilsim({"merge", "d", "--csv", "x.csv", "--quiet"});
  CHECK(merge.code == 2);
  CHECK(contains(merge.err, "--quiet applies to 'run', 'check', 'claims' and 'sweep'"));
  const auto quit = gilsim({"run", "x.yaml", "--quit"});
  CHECK(quit.code == 2);
  CHECK(contains(quit.err, "unknown option '--quit'; did you mean '--quiet'?"));
  const auto abbreviated = gilsim({"run", "x.yaml", "--replic", "3"});
  CHECK(contains(abbreviated.err, "unknown option '--replic'; did you mean '--replications'?"));
  // `check` has no --json: a slip for it is not suggested there.
  const auto check = gilsim({"check", "x.yaml", "--jsn", "a.json"});
  CHECK(check.code == 2);
  CHECK(contains(check.err, "unknown option '--jsn'\n"));
  const auto run = gilsim({"run", "x.yaml", "--jsn", "a.json"});
  CHECK(contains(run.err, "unknown option '--jsn'; did you mean '--json'?"));
  // A command word: 'init' is one now, and 'inti' is a slip for it, not for 'fit'.
  const auto inti = gilsim({"inti"});
  CHECK(inti.code == 2);
  CHECK(contains(inti.err, "unknown command 'inti'; did you mean 'init'?"));
}
