// Typed values out of YAML nodes, with the errors a user of the scenario
// format should see: "expected an integer for machine.cores, got 'four'",
// "unknown key 'swich_interval' in runtime; did you mean 'switch_interval'?".
//
// `where` names the value in messages ("machine.cores", "count of thread
// 'worker'"); every error points at the node it is about.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "loader/yaml_source.h"
#include "sim/time.h"

namespace loader {

// "a, b or c" (`last` " or "), "a, b and c", "a | b | c" (`separator` and `last` " | ").
std::string join_words(const std::vector<std::string>& words, const std::string& last,
                       const std::string& separator = ", ");

// A value as a message shows it: 'four', a map, a list, nothing.
std::string describe(const YAML::Node& node);

struct YamlEntry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// The entries of a map node, in file order. Not a map, a key that is not a
// plain name, or a key written twice (yaml-cpp would keep both silently) is an
// error. `what` says what the map is ("machine", "a thread").
std::vector<YamlEntry> map_entries(const YamlSource& src, const YAML::Node& node,
                                   const std::string& what);

// Every key of `entries` must be in `allowed`; otherwise an error at the key,
// with a did-you-mean hint. `in` is where the keys are ("in runtime").
void check_keys(const YamlSource& src, const std::vector<YamlEntry>& entries,
                const std::vector<std::string>& allowed, const std::string& in);

// The entry with `key`, or null.
const YamlEntry* find_entry(const std::vector<YamlEntry>& entries, const std::string& key);

// The items of a list node (a Null node, `key:` with nothing, is an error too).
std::vector<YAML::Node> list_items(const YamlSource& src, const YAML::Node& node,
                                   const std::string& what);

std::string read_string(const YamlSource& src, const YAML::Node& node, const std::string& where);

// `[A-Za-z_][A-Za-z0-9_]*`: names that can stand in expressions.
bool is_identifier(const std::string& s);
std::string read_identifier(const YamlSource& src, const YAML::Node& node,
                            const std::string& where);

// An integer in [low, high]. `_` may separate digits (`1_000_000`), and an
// exponent is accepted when the value is whole (`1e6`).
std::int64_t read_int(const YamlSource& src, const YAML::Node& node, const std::string& where,
                      std::int64_t low, std::int64_t high);

double read_number(const YamlSource& src, const YAML::Node& node, const std::string& where);

// `true` or `false`, nothing else ("WHERE is true or false, got 'yes'").
bool read_bool(const YamlSource& src, const YAML::Node& node, const std::string& where);

// A fixed duration (`250ms`) in nanoseconds; a distribution is an error here.
sim::Time read_duration(const YamlSource& src, const YAML::Node& node, const std::string& where);

// A fixed duration in fractional nanoseconds (`0.25ns`): for costs per byte.
double read_fractional_duration(const YamlSource& src, const YAML::Node& node,
                                const std::string& where);

// A rate of arrivals (`200/s`) in events per second: loader/durations.h.
double read_rate(const YamlSource& src, const YAML::Node& node, const std::string& where);

// A size of data (`1KB`, `4MB`, `0B`) in bytes: loader/sizes.h.
std::int64_t read_size(const YamlSource& src, const YAML::Node& node, const std::string& where);

}  // namespace loader
