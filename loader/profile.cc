#include "loader/profile.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loader/input_error.h"
#include "loader/scenario_config.h"
#include "loader/yaml_source.h"
#include "loader/yaml_values.h"

namespace loader {

const std::vector<std::string>& program_runtime_keys() {
  static const std::vector<std::string> keys = {"python", "switch_interval", "check_interval",
                                                "gil", "wake", "cpu_overhead"};
  return keys;
}

namespace {

const std::vector<std::string>& profile_keys() {
  static const std::vector<std::string> keys = {"profile", "description", "cpu", "machine", "runtime"};
  return keys;
}

void reject_program_keys(const YamlSource& src, const YamlEntry& runtime) {
  if (!runtime.value.IsMap()) return;  // read_settings says what it expected
  for (const auto& e : map_entries(src, runtime.value, "runtime")) {
    const auto& program = program_runtime_keys();
    if (std::find(program.begin(), program.end(), e.key) != program.end())
      src.fail(e.key_node, "'runtime." + e.key +
                               "' describes the program, not the machine: set it in the scenario "
                               "(a profile holds the machine's and the interpreter's costs)");
  }
}

}  // namespace

Profile load_profile_text(const std::string& text, const std::string& file_name) {
  const YamlSource src(file_name, text);
  const YAML::Node root = src.parse();
  if (root.IsNull())
    src.fail(SourcePos{file_name, 0, 0}, "the profile is empty: it needs 'profile' (its name) and "
                                         "'machine' or 'runtime' costs");
  if (!root.IsMap())
    src.fail(root, "a profile is a map of keys (profile, description, cpu, machine, runtime), got " +
                       describe(root));
  const auto entries = map_entries(src, root, "the profile");
  check_keys(src, entries, profile_keys(), "at the top level of a profile");

  Profile p;
  p.file = file_name;
  const YamlEntry* name = find_entry(entries, "profile");
  if (!name) src.fail(root, "missing 'profile': every profile has a name, like 'profile: reference'");
  p.name = read_string(src, name->value, "profile");
  if (const YamlEntry* e = find_entry(entries, "description")) p.description = read_string(src, e->value, "description");
  if (const YamlEntry* e = find_entry(entries, "cpu")) p.cpu = read_string(src, e->value, "cpu");

  YAML::Node settings(YAML::NodeType::Map);
  for (const char* section : {"machine", "runtime"})
    if (const YamlEntry* e = find_entry(entries, section)) settings.force_insert(e->key_node, e->value);
  if (settings.size() == 0)
    src.fail(root, "profile '" + p.name + "' sets no costs: give it 'machine' or 'runtime' keys");
  if (const YamlEntry* e = find_entry(entries, "runtime")) reject_program_keys(src, *e);
  // Every value checked here, where its errors can name the profile's file.
  read_settings(src, settings, /*check_names=*/false);
  p.settings = YAML::Clone(settings);
  return p;
}

Profile load_profile_file(const std::string& path) {
  return load_profile_text(read_text_file(path, "profile "), path);
}

}  // namespace loader
