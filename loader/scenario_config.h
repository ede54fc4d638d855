// The settings of a scenario that make one simulation config: `machine`,
// `runtime`, `pools`, `resources`, `threads`, `processes`, `requests`,
// `time_limit` (the settings table in scenario_config.cc has them all).
// They are what a variant may override.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loader/schema.h"
#include "loader/yaml_source.h"
#include "models/config.h"
#include "models/run_plan.h"

namespace loader {

// At most this many asyncio tasks per variant, over all its threads' loops.
inline constexpr std::int64_t kMaxTasks = 1'000'000;

// The settings' keys, in the table's order.
const std::vector<std::string>& setting_keys();

// A config from a map holding only setting keys (see scenario.cc, which builds
// it from the top level and a variant). Missing keys keep their defaults;
// missing `threads` leaves the list empty, for the caller to report.
// `check_names` false: the pools and resources the threads name need not be
// defined (the top level of a file whose variants define them). With
// `check_names`, the run plan made to check the config is left in `*plan`
// (when `plan` is not null): the variant's run uses it.
models::SimulationConfig read_settings(const YamlSource& src, const YAML::Node& settings, bool check_names = true,
                                       std::shared_ptr<const models::RunPlan>* plan = nullptr);

// Exposed for tests: `python: "3.12"` and friends.
void read_python_version(const YamlSource& src, const YAML::Node& node,
                         models::RuntimeConfig& runtime);

// The reference's sections: the settings, machine, runtime.
std::vector<SectionDoc> settings_docs();

}  // namespace loader
