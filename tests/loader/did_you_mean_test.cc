#include "loader/did_you_mean.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

TEST_SUITE("did_you_mean") {
  TEST_CASE("closest_match: likely typos only, first candidate on ties") {
    const std::vector<std::string> runtime = {"python", "switch_interval", "check_interval",
                                              "eval_breaker_granularity", "wake"};
    CHECK(loader::closest_match("swich_interval", runtime) == "switch_interval");
    CHECK(loader::closest_match("swithc_interval", runtime) == "switch_interval");  // transposition
    CHECK(loader::closest_match("pyhton", runtime) == "python");
    CHECK(loader::closest_match("mean", {"min", "max", "abs"}) == "min");
    CHECK(loader::closest_match("CPU", {"cpu", "io"}) == "cpu");
    CHECK(loader::closest_match("colour", runtime).empty());
    CHECK(loader::closest_match("x", {"io", "cpu"}).empty());
    CHECK(loader::closest_match("ab", {}).empty());
  }

  TEST_CASE("a first letter that differs allows fewer edits: 'init' is not 'fit', 'quiet' is not 'out'") {
    CHECK(loader::closest_match("init", {"claims", "run", "check", "sweep", "merge", "fit", "saturation"}).empty());
    CHECK(loader::closest_match("quiet", {"seed", "out", "json", "csv", "svg", "trace"}).empty());
    CHECK(loader::closest_match("rnu", {"claims", "run"}) == "run");           // same first letter, transposed
    CHECK(loader::closest_match("await", {"wait"}) == "wait");                 // one edit in five letters
    CHECK(loader::closest_match("xpu", {"cpu", "io"}) == "cpu");               // one edit is always a slip
  }

  TEST_CASE("ties go to the longer common prefix") {
    // 'treads' is one edit from both; 'threads' shares its first letter and more.
    CHECK(loader::closest_match("treads", {"breads", "threads"}) == "threads");
    CHECK(loader::closest_match("coutn", {"count", "cores"}) == "count");
  }

  TEST_CASE("an abbreviation of 3 letters or more: every candidate it begins, in order") {
    const std::vector<std::string> task = {"cpu", "io", "await_io", "sleep", "await_sleep", "to_thread"};
    CHECK(loader::likely_meant("await", task) == std::vector<std::string>{"await_io", "await_sleep"});
    CHECK(loader::likely_meant("to_thr", task) == std::vector<std::string>{"to_thread"});
    CHECK(loader::likely_meant("aw", task).empty());  // too short to be an abbreviation
    CHECK(loader::likely_meant("replic", {"seed", "replications"}) == std::vector<std::string>{"replications"});
    // A word of its own that begins a longer one is not its abbreviation.
    CHECK(loader::likely_meant("run", {"runtime", "threads"}).empty());
    CHECK(loader::likely_meant("rep", {"seed", "replications"}).empty());
  }

  TEST_CASE("did_you_mean: one, two or several names, or nothing") {
    CHECK(loader::did_you_mean("cpuu", {"cpu", "io"}) == "; did you mean 'cpu'?");
    CHECK(loader::did_you_mean("await", {"await_io", "await_sleep"}) == "; did you mean 'await_io' or 'await_sleep'?");
    CHECK(loader::did_you_mean("job", {"job_a", "job_b", "job_c"}) == "; did you mean 'job_a', 'job_b' or 'job_c'?");
    CHECK(loader::did_you_mean("zzz", {"cpu", "io"}).empty());
  }

  TEST_CASE("keys of Python APIs gilsim does not model say so; any other key is not one of them") {
    REQUIRE(loader::not_modelled("chunksize") != nullptr);
    CHECK(std::string(loader::not_modelled("chunksize")).find("not modelled yet") != std::string::npos);
    CHECK(loader::not_modelled("maxtasksperchild") != nullptr);
    CHECK(loader::not_modelled("keep_alive") != nullptr);
    CHECK(loader::not_modelled("workers") == nullptr);
    CHECK(loader::not_modelled("chunk") == nullptr);
  }
}
