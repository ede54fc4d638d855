// Variants: a variant's settings written over the top-level ones.
#pragma once

#include <yaml-cpp/yaml.h>

#include "loader/yaml_source.h"

namespace loader {

// `over` written over `base`: maps of settings merge key by key, recursively;
// values (scalars, lists, distributions such as {exp: 1ms}) are replaced whole;
// a Null `over` (`machine:` with nothing) changes nothing.
//
// The result is built from the original nodes, not copies, so that an error in
// a merged value still points at the line of the file it came from.
YAML::Node merge_settings(const YamlSource& src, const YAML::Node& base, const YAML::Node& over);

}  // namespace loader
