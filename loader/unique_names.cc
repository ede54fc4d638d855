#include "loader/unique_names.h"

namespace loader {

void UniqueNames::add(const std::string& group, std::int64_t count, const YAML::Node& name_node) {
  const int line = src_.pos(name_node.Mark()).line;
  check_and_add(group, group, line, name_node);
  if (count == 1) return;
  for (std::int64_t i = 0; i < count; ++i)
    check_and_add(group + "_" + std::to_string(i), group, line, name_node);
}

void UniqueNames::check_and_add(const std::string& name, const std::string& group, int line,
                                const YAML::Node& name_node) {
  auto [it, added] = names_.emplace(name, Origin{group, line});
  if (added) return;
  const Origin& first = it->second;
  if (name == group && first.group == group)
    src_.fail(name_node, "duplicate " + kind_ + " name '" + name + "' (first on line " +
                             std::to_string(first.line) + ")");
  src_.fail(name_node, kind_ + " name '" + name + "' clashes with " + kind_ + " '" + first.group +
                           "' on line " + std::to_string(first.line) +
                           ": a group with a count names its " + kind_ + "s NAME_0, NAME_1, ...");
}

void DefinedNames::add(const std::string& name, const YAML::Node& node) {
  const int line = src_.pos(node.Mark()).line;
  auto [it, added] = lines_.emplace(name, line);
  if (!added)
    src_.fail(node, "duplicate " + kind_ + " name '" + name + "' (first on line " + std::to_string(it->second) + ")");
}

}  // namespace loader
