// Durations that may be drawn from a distribution: `250ms`, `{exp: 1ms}`,
// `{uniform: [1ms, 3ms]}`, `{normal: {mean: 5ms, sd: 1ms}}`,
// `{lognormal: {median: 2ms, sigma: 0.5}}`, `{choice: [[0.9, 1ms], [0.1, 50ms]]}`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "loader/yaml_source.h"
#include "sim/distribution.h"

namespace loader {

// A kind of distribution, as the reference shows it.
struct DistributionDoc {
  std::string name, form, doc;
};
std::vector<DistributionDoc> distribution_docs();

// The keys that make a map a distribution.
const std::vector<std::string>& distribution_kinds();

// Whether `node` is written as a distribution: a map with one of those keys.
// Variant merging replaces such a map whole instead of merging it.
bool is_distribution(const YAML::Node& node);

sim::Distribution read_distribution(const YamlSource& src, const YAML::Node& node,
                                    const std::string& where);

}  // namespace loader
