#include "analysis/sweep_axes.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "loader/input_error.h"
#include "loader/scenario_config.h"
#include "loader/scenario_distribution.h"

namespace analysis {

namespace {

// Top-level keys that are not settings of a run: sweeping them would change
// what the sweep is, not what it measures.
const std::vector<std::string> kNotSweepable = {"name",   "description", "claim", "seed",
                                                "sweep",  "expect",      "figures"};

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::vector<std::string> keys_of(const YAML::Node& map) {
  std::vector<std::string> keys;
  for (const auto& kv : map)
    if (kv.first.IsScalar()) keys.push_back(kv.first.Scalar());
  return keys;
}

// The value under `key` in `map`, or an undefined node; never inserts.
std::optional<YAML::Node> find_key(const YAML::Node& map, const std::string& key) {
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  return std::nullopt;
}

std::optional<std::size_t> parse_index(const std::string& part) {
  std::size_t i = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
  if (part.empty() || ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
  return i;
}

// "'runtime.switch_interval'" for the parts [0, n) of `parts`, n > 0.
std::string prefix(const std::vector<std::string>& parts, std::size_t n) {
  std::string out = "'" + parts[0];
  for (std::size_t i = 1; i < n; ++i) out += "." + parts[i];
  return out + "'";
}

// One walk down a path. Either it reaches the parent of the final part (and
// says whether the final key exists), or it stops with the reason.
struct Walk {
  YAML::Node parent;
  bool final_exists = false;
  std::string problem;  // empty when the walk reached the final part
};

// Where a walk starts, for messages: "the top level" or "variant 'x'".
struct Place {
  std::string noun;  // "variant 'x'"
  std::string in;    // "at the top level", "in variant 'x'"
};

// The section that the key `key` of section `section` holds when it is a map
// of settings (`runtime` of the settings: "runtime"), by the loader's schema
// tables; empty for any other key.
std::string map_section(const std::string& section, const std::string& key) {
  static const std::vector<loader::SectionDoc> sections = loader::settings_docs();
  for (const auto& s : sections) {
    if (s.title != section) continue;
    for (const auto& k : s.keys)
      if (k.key == key && !k.items.empty() && k.type.rfind("map", 0) == 0) return k.items;
  }
  return {};
}

// Walks `parts` from `node`; `start` parts of the path were walked before it.
// `section` (empty: none) is the schema section `node` is a map of: a missing
// key that the schema says is a map of settings is made empty (`runtime: {}`),
// so that an axis can set a key whose section the file leaves to its defaults.
Walk walk(YAML::Node node, const std::vector<std::string>& parts, std::size_t start,
          const Place& where, std::string section = {}) {
  Walk w;
  for (std::size_t i = start; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    const std::string at = i == start ? where.noun : prefix(parts, i);
    const std::string in = i == start ? where.in : "in " + at;
    if (node.IsMap() || (node.IsNull() && last)) {
      std::optional<YAML::Node> next = node.IsMap() ? find_key(node, part) : std::nullopt;
      if (last) {
        w.parent.reset(node);
        w.final_exists = next.has_value();
        return w;
      }
      section = section.empty() ? section : map_section(section, part);
      if (!next && !section.empty() && node.IsMap()) {
        node[part] = YAML::Node(YAML::NodeType::Map);
        next = find_key(node, part);
      }
      if (!next) {
        w.problem = "there is no key '" + part + "' " + in;
        const std::string close = loader::closest_match(part, keys_of(node));
        if (!close.empty()) {
          w.problem += "; did you mean '" + close + "'?";
        } else {
          // Only the last key is created: a made-up map in the middle would
          // hide a misspelt path until the loader's message, far from the axis.
          w.problem += " (write it in the file, e.g. '" + part + ": {}', for the axis to set a key in it)";
        }
        return w;
      }
      node.reset(*next);  // rebinds the handle; `=` would overwrite the tree
    } else if (node.IsSequence()) {
      const auto index = parse_index(part);
      if (!index) {
        w.problem = at + " is a list: '" + part + "' must be an index from 0 to " +
                    std::to_string(node.size() - 1);
        return w;
      }
      if (*index >= node.size()) {
        w.problem = "index " + part + " is out of range: " + at + " has " +
                    std::to_string(node.size()) + " item" + (node.size() == 1 ? "" : "s");
        return w;
      }
      if (last) {
        w.parent.reset(node);
        w.final_exists = true;
        return w;
      }
      node.reset(node[*index]);
      section.clear();  // list items' sections are not sections of settings
    } else {
      w.problem = at + " is a single value, not a map or a list: it has no '" + part + "'";
      return w;
    }
  }
  w.problem = "the path ends before a key";  // unreachable: parts is never empty
  return w;
}

void set_final(Walk& w, const std::string& part, const YAML::Node& value) {
  if (w.parent.IsSequence()) {
    w.parent[*parse_index(part)] = value;
  } else {
    w.parent[part] = value;
  }
}

// Whether a variant's settings replace a part of the path whole (a list, a
// value, a distribution: loader/scenario_merge.h), so that the top level's
// value, which the axis sets, does not reach the variant.
bool replaces_path(const YAML::Node& variant, const std::vector<std::string>& parts) {
  YAML::Node node = variant;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!node.IsMap()) return false;
    const std::optional<YAML::Node> next = find_key(node, parts[i]);
    if (!next || next->IsNull()) return false;  // inherited from the top level
    if (!next->IsMap() || loader::is_distribution(*next)) return true;
    node.reset(*next);
  }
  return false;
}

[[noreturn]] void fail(const loader::YamlSource& src, const loader::SweepAxis& axis,
                       const std::string& problem) {
  if (axis.from_command_line)
    throw loader::InputError(loader::SourcePos{src.file(), 0, 0}, "in " + axis.describe() + ": " + problem);
  src.fail(axis.pos, "in " + axis.describe() + ": " + problem);
}

}  // namespace

std::vector<std::string> apply_axis(const loader::YamlSource& src, YAML::Node root, const loader::SweepAxis& axis,
                                    const YAML::Node& value) {
  const std::vector<std::string> parts = split(axis.path);
  if (std::find(kNotSweepable.begin(), kNotSweepable.end(), parts[0]) != kNotSweepable.end())
    fail(src, axis,
         "'" + parts[0] + "' cannot be swept" +
             (parts[0] == "seed" ? ": replications set the seeds (seed, seed + 1, ...)" : ""));
  const std::optional<YAML::Node> variants = find_key(root, "variants");

  if (parts[0] == "variants") {
    if (parts.size() < 3)
      fail(src, axis, "a path into a variant is variants.NAME.KEY, like variants.fast.runtime.switch_interval");
    if (!variants || !variants->IsMap()) fail(src, axis, "the scenario has no variants");
    const std::optional<YAML::Node> variant = find_key(*variants, parts[1]);
    if (!variant) {
      std::string problem = "there is no variant '" + parts[1] + "'";
      const std::string close = loader::closest_match(parts[1], keys_of(*variants));
      if (!close.empty()) problem += "; did you mean '" + close + "'?";
      fail(src, axis, problem);
    }
    const std::string name = "variant '" + parts[1] + "'";
    Walk w = walk(*variant, parts, 2, Place{name, "in " + name}, "settings");
    if (!w.problem.empty()) fail(src, axis, w.problem);
    set_final(w, parts.back(), value);
    std::vector<std::string> others;
    for (const auto& other : keys_of(*variants))
      if (other != parts[1]) others.push_back(other);
    return others;
  }

  Walk top = walk(root, parts, 0, Place{"the top level", "at the top level"}, "settings");
  if (!top.problem.empty()) fail(src, axis, top.problem);
  set_final(top, parts.back(), value);
  std::vector<std::string> unreached;
  if (!variants || !variants->IsMap()) return unreached;
  for (const auto& kv : *variants) {
    if (!kv.second.IsMap()) continue;  // the loader reports a malformed variant
    Walk w = walk(kv.second, parts, 0, Place{"the variant", "in the variant"});
    if (w.problem.empty() && w.final_exists) {
      set_final(w, parts.back(), value);
    } else if (replaces_path(kv.second, parts) && kv.first.IsScalar()) {
      unreached.push_back(kv.first.Scalar());
    }
  }
  return unreached;
}

}  // namespace analysis
