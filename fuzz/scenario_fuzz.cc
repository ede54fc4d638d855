// libFuzzer target: a scenario file's text through the loader, then a short
// run of its variants and their expectations (fuzz/README.md).
//
// Every InputError is a good answer (bad input, said so). Anything else that
// escapes (an internal error, an invariant of the model broken, a sanitizer
// report, a crash) is a finding. Each run is cut short by simulated time and
// by events, so that an execution takes well under a millisecond: the cuts
// are through models::RunWatch, the hook a terminal's progress line and
// Ctrl-C use.
#include <cstddef>
#include <cstdint>
#include <string>

#include "loader/input_error.h"
#include "loader/scenario.h"
#include "models/simulation.h"
#include "report/runner.h"

namespace {

// Small enough for thousands of executions a second, large enough that the
// model's interesting parts (hand-offs, time slices, pools, requests) happen.
constexpr std::uint64_t kMaxOperations = 20'000;
constexpr std::uint64_t kMaxEvents = 1'024;
constexpr sim::Time kMaxSimulatedTime = 5 * sim::kMillisecond;

struct Enough {};  // thrown by the watch: this run has had its budget

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  loader::LoadOptions options;
  options.max_operations = kMaxOperations;
  loader::Scenario scenario;
  try {
    scenario = loader::load_scenario_text(text, "fuzz.yaml", options);
  } catch (const loader::InputError&) {
    return 0;
  }
  models::RunWatch watch;
  watch.every = 128;
  watch.look = [](sim::Time now, std::uint64_t events) {
    if (now > kMaxSimulatedTime || events >= kMaxEvents) throw Enough{};
  };
  report::RunOptions run;
  run.watch = &watch;
  try {
    report::run_scenario(scenario, run);
  } catch (const Enough&) {
  }
  return 0;
}
