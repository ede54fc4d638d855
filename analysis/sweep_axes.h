// Where a sweep's axis puts its value: a path into the scenario's YAML tree.
//
// A path is dot-separated; a part names a map key or, on a list, an index
// from 0 ("threads.0.count"). The axis sets the key at the top level and in
// every variant that itself sets that key (every part of the path is written
// in the variant), so that a variant overriding the key is swept with the rest;
// "variants.NAME.REST" sets REST in that variant only. A missing final map key
// is created (the loader then judges it, with its did-you-mean), and so is a
// missing section that the loader's schema says is a map of settings
// (`runtime` for runtime.switch_interval: its defaults apply); any other missing
// intermediate key, an index out of range, or a part below a single value is
// an InputError naming the axis and, for map keys, the nearest existing key.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "loader/sweep_spec.h"
#include "loader/yaml_source.h"

namespace analysis {

// Sets `value` at `axis.path` in `root` (the tree of `src`), in place, and
// returns the variants the value does not reach: those that replace a list or
// value on the path with their own (SweepDefinition::unreached).
std::vector<std::string> apply_axis(const loader::YamlSource& src, YAML::Node root, const loader::SweepAxis& axis,
                                    const YAML::Node& value);

}  // namespace analysis
