// The claims suite's scenario files, compiled into the binary by CMake.
#pragma once

#include <string_view>
#include <vector>

namespace report {

struct EmbeddedScenario {
  std::string_view path;  // "scenarios/c2_cpu_threads.yaml"
  std::string_view text;
};

const std::vector<EmbeddedScenario>& embedded_scenarios();

}  // namespace report
