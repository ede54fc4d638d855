// Names of replicated groups (threads, asyncio tasks) that become metric
// names: a group NAME with a count names its members NAME_0, NAME_1, ...,
// and every one of those must be unique within a variant.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "loader/yaml_source.h"

namespace loader {

class UniqueNames {
 public:
  // `kind` is the word messages use: "thread", "task".
  UniqueNames(const YamlSource& src, std::string kind) : src_(src), kind_(std::move(kind)) {}

  // Adds a group's name and, for a replicated group, NAME_0 .. NAME_{n-1}.
  // A clash is an error at `name_node`, naming the first one's line.
  void add(const std::string& group, std::int64_t count, const YAML::Node& name_node);

 private:
  struct Origin {
    std::string group;
    int line = 0;
  };
  void check_and_add(const std::string& name, const std::string& group, int line,
                     const YAML::Node& name_node);

  const YamlSource& src_;
  std::string kind_;
  std::map<std::string, Origin> names_;
};

// Names that must be unique as written (pools, resources, request streams,
// a stream's request types): a second one is an error that names the first's line.
class DefinedNames {
 public:
  // `kind` is the word messages use: "pool", "request stream".
  DefinedNames(const YamlSource& src, std::string kind) : src_(src), kind_(std::move(kind)) {}
  void add(const std::string& name, const YAML::Node& node);

 private:
  const YamlSource& src_;
  std::string kind_;
  std::map<std::string, int> lines_;
};

}  // namespace loader
