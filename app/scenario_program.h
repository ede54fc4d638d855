// A thread's `run:` list, compiled into the flat program the models execute
// (models::Program): `repeat` becomes a RepeatBegin/RepeatEnd pair.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "app/yaml_source.h"
#include "models/config.h"

namespace app {

// `thread` names the thread in messages. Throws InputError.
models::Program read_program(const YamlSource& src, const YAML::Node& run,
                             const std::string& thread);

// Every operation of the scenario format, modelled or not yet, for hints.
const std::vector<std::string>& operation_names();

}  // namespace app
