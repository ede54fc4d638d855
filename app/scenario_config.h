// The settings of a scenario that make one simulation config: `machine`,
// `runtime`, `threads`, `time_limit`. They are what a variant may override.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "app/yaml_source.h"
#include "models/config.h"

namespace app {

// At most this many threads per variant: far beyond any real Python program
// that runs threads (thread pools are tens), and it bounds the run's memory.
inline constexpr int kMaxThreads = 10000;

const std::vector<std::string>& setting_keys();

// A config from a map holding only setting keys (see scenario.cc, which builds
// it from the top level and a variant). Missing keys keep their defaults;
// missing `threads` leaves the list empty, for the caller to report.
models::SimulationConfig read_settings(const YamlSource& src, const YAML::Node& settings);

// Exposed for tests: `python: "3.12"` and friends.
void read_python_version(const YamlSource& src, const YAML::Node& node,
                         models::RuntimeConfig& runtime);

}  // namespace app
