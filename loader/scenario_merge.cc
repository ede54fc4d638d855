#include "loader/scenario_merge.h"

#include "loader/scenario_distribution.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

// A distribution is one value: {exp: 1ms} over {uniform: [...]} must not give
// a map with both keys.
bool is_settings_map(const YAML::Node& node) { return node.IsMap() && !is_distribution(node); }

// `what` names the map in messages about duplicate keys ("machine").
YAML::Node merge(const YamlSource& src, const YAML::Node& base, const YAML::Node& over,
                 const std::string& what) {
  if (!over.IsDefined() || over.IsNull()) return base;
  if (!base.IsDefined() || !is_settings_map(base) || !is_settings_map(over)) return over;
  const auto base_entries = map_entries(src, base, what);
  const auto over_entries = map_entries(src, over, what);
  YAML::Node merged(YAML::NodeType::Map);
  // force_insert with Node arguments shares the nodes (and their marks).
  for (const auto& b : base_entries) {
    if (const YamlEntry* o = find_entry(over_entries, b.key)) {
      merged.force_insert(o->key_node, merge(src, b.value, o->value, b.key));
    } else {
      merged.force_insert(b.key_node, b.value);
    }
  }
  for (const auto& o : over_entries)
    if (!find_entry(base_entries, o.key)) merged.force_insert(o.key_node, o.value);
  return merged;
}

}  // namespace

YAML::Node merge_settings(const YamlSource& src, const YAML::Node& base, const YAML::Node& over) {
  return merge(src, base, over, "the variant");
}

}  // namespace loader
