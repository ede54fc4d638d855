// A run's costs as numbers, by their names in the scenario format
// ("machine.timer_slack", "runtime.process_startup.fork"): what `expect` and
// `figures` read as VARIANT.machine.KEY and VARIANT.runtime.KEY, so that a
// threshold can be written in the costs the run used (a profile's, the
// scenario's, or the built-in ones) rather than in one machine's numbers.
//
// Units: a duration in seconds, as every time metric is; a distribution is
// its mean; a count or a fraction as it is; a flag 1 or 0. A setting left at
// its built-in default reads as the value the models use for it (the start
// method's start-up, the pools' pickling costs).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/config.h"

namespace models {

// Whether a metric path names a setting rather than a measured metric: it
// starts with "machine." or "runtime." (no metric does).
bool is_setting_path(std::string_view path);

// Every readable setting's name, in the scenario format's order.
const std::vector<std::string>& setting_names();

// The setting's value in `config`, or nothing when no setting has that name.
std::optional<double> setting_value(const SimulationConfig& config, std::string_view name);

}  // namespace models
