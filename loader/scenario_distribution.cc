#include "loader/scenario_distribution.h"

#include <algorithm>
#include <cmath>

#include "loader/schema.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

using sim::Distribution;

Distribution read_exp(const YamlSource& src, const YAML::Node& value) {
  const sim::Time mean = read_duration(src, value, "the mean of exp");
  if (mean <= 0) src.fail(value, "the mean of exp must be above 0");
  return Distribution{Distribution::Kind::Exp, mean, 0, 0, {}};
}

Distribution read_uniform(const YamlSource& src, const YAML::Node& value) {
  const auto items = list_items(src, value, "uniform (write [LOW, HIGH])");
  if (items.size() != 2)
    src.fail(value, "uniform takes [LOW, HIGH], got " + std::to_string(items.size()) + " values");
  const sim::Time low = read_duration(src, items[0], "the low end of uniform");
  const sim::Time high = read_duration(src, items[1], "the high end of uniform");
  if (low > high)
    src.fail(items[0], "uniform low " + items[0].Scalar() + " is above high " + items[1].Scalar());
  return Distribution{Distribution::Kind::Uniform, low, high, 0, {}};
}

// A map of named parameters, each required: {mean: D, sd: D} and the like.
std::vector<YamlEntry> parameters(const YamlSource& src, const YAML::Node& value,
                                  const std::string& kind, const std::vector<std::string>& names) {
  const auto entries = map_entries(src, value, kind);
  check_keys(src, entries, names, "in " + kind);
  for (const auto& name : names)
    if (!find_entry(entries, name))
      src.fail(value,
               kind + " needs '" + names[0] + "' and '" + names[1] + "', missing '" + name + "'");
  return entries;
}

Distribution read_normal(const YamlSource& src, const YAML::Node& value) {
  const auto p = parameters(src, value, "normal", {"mean", "sd"});
  const sim::Time mean = read_duration(src, find_entry(p, "mean")->value, "the mean of normal");
  const sim::Time sd = read_duration(src, find_entry(p, "sd")->value, "the sd of normal");
  return Distribution{Distribution::Kind::Normal, mean, sd, 0, {}};
}

Distribution read_lognormal(const YamlSource& src, const YAML::Node& value) {
  const auto p = parameters(src, value, "lognormal", {"median", "sigma"});
  const YAML::Node& median_node = find_entry(p, "median")->value;
  const sim::Time median = read_duration(src, median_node, "the median of lognormal");
  if (median <= 0) src.fail(median_node, "the median of lognormal must be above 0");
  const YAML::Node& sigma_node = find_entry(p, "sigma")->value;
  // sigma is the shape, a plain number: the standard deviation of the log.
  const double sigma = read_number(src, sigma_node, "the sigma of lognormal");
  if (sigma < 0) src.fail(sigma_node, "the sigma of lognormal cannot be negative");
  return Distribution{Distribution::Kind::Lognormal, median, 0, sigma, {}};
}

Distribution read_choice(const YamlSource& src, const YAML::Node& value) {
  Distribution d{Distribution::Kind::Choice, 0, 0, 0, {}};
  const auto items = list_items(src, value, "choice (write [[WEIGHT, DURATION], ...])");
  if (items.empty()) src.fail(value, "choice needs at least one [WEIGHT, DURATION] pair");
  for (const auto& item : items) {
    const auto pair = list_items(src, item, "a choice (write [WEIGHT, DURATION])");
    if (pair.size() != 2)
      src.fail(item,
               "a choice is [WEIGHT, DURATION], got " + std::to_string(pair.size()) + " values");
    const double weight = read_number(src, pair[0], "the weight of a choice");
    if (!(weight > 0)) src.fail(pair[0], "the weight of a choice must be above 0");
    d.choices.emplace_back(weight, read_duration(src, pair[1], "the value of a choice"));
  }
  return d;
}

struct DistributionKind {
  const char* name;
  const char* form;  // as a scenario writes it
  const char* doc;
  Distribution (*read)(const YamlSource&, const YAML::Node&);
};

const std::vector<DistributionKind>& kinds() {
  static const std::vector<DistributionKind> all = {
      {"exp", "{exp: 1ms}", "Exponential, with this mean (above 0): the gaps of a Poisson process.", read_exp},
      {"uniform", "{uniform: [1ms, 3ms]}", "Uniform between LOW and HIGH.", read_uniform},
      {"normal", "{normal: {mean: 5ms, sd: 1ms}}", "Normal, truncated at 0.", read_normal},
      {"lognormal", "{lognormal: {median: 2ms, sigma: 0.5}}",
       "Log-normal: this median, and sigma the standard deviation of the log (a plain number).", read_lognormal},
      {"choice", "{choice: [[0.9, 1ms], [0.1, 50ms]]}",
       "One of the durations, each drawn with its weight's share (weights above 0).", read_choice},
  };
  return all;
}

}  // namespace

std::vector<DistributionDoc> distribution_docs() {
  std::vector<DistributionDoc> out;
  for (const auto& k : kinds()) out.push_back({k.name, k.form, k.doc});
  return out;
}

const std::vector<std::string>& distribution_kinds() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& k : kinds()) v.push_back(k.name);
    return v;
  }();
  return names;
}

bool is_distribution(const YAML::Node& node) {
  if (!node.IsMap() || node.size() != 1) return false;
  const YAML::Node key = node.begin()->first;
  const auto& names = distribution_kinds();
  return key.IsScalar() && std::find(names.begin(), names.end(), key.Scalar()) != names.end();
}

sim::Distribution read_distribution(const YamlSource& src, const YAML::Node& node,
                                    const std::string& where) {
  if (!node.IsMap()) return Distribution::constant(read_duration(src, node, where));
  const auto entries = map_entries(src, node, where);
  if (entries.size() != 1)
    src.fail(node, "a distribution has one key (" + join_words(distribution_kinds(), " or ") + "), got " +
                       std::to_string(entries.size()));
  const YamlEntry& e = entries.front();
  for (const auto& k : kinds())
    if (e.key == k.name) return k.read(src, e.value);
  const std::string hint = closest_match(e.key, distribution_kinds());
  src.fail(e.key_node, "unknown distribution '" + e.key + "'" +
                           (hint.empty() ? "; the distributions are " + join_words(distribution_kinds(), " and ")
                                         : "; did you mean '" + hint + "'?"));
}

}  // namespace loader
