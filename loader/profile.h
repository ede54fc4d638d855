// A machine profile: the costs of one machine and its interpreters (`machine`
// and `runtime` keys), kept apart from the scenarios that run on it, so that
// one program can be predicted on several machines (`--profile FILE` on run,
// check, sweep and claims).
//
// Precedence, lowest first: the built-in defaults, the profile, the
// scenario's top level, a variant. A profile holds costs only: the keys that
// describe the program (`python`, `switch_interval`, `check_interval`, `gil`,
// `wake`) and the version-dependent `cpu_overhead` belong to the scenario.
// The format: docs/profiles.md; the shipped profiles: profiles/.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>


namespace loader {

struct Profile {
  std::string file;
  std::string name;         // `profile:`, required
  std::string description;  // what machine, what measured it
  std::string cpu;          // the CPU model it was measured on, if any
  // {machine: {...}, runtime: {...}} with the profile's values, detached from
  // the profile's file (no marks): loader/scenario.cc merges it under a
  // scenario's settings, and a value that reached a scenario was checked
  // here, in the profile, with the profile's file and lines in its errors.
  YAML::Node settings;
};

// Throws InputError (file:line:column, did-you-mean) for every kind of bad
// profile: not a map, unknown or program keys, a bad value of a known key.
Profile load_profile_text(const std::string& text, const std::string& file_name);
Profile load_profile_file(const std::string& path);

// The runtime keys a profile may not set (they describe the program).
const std::vector<std::string>& program_runtime_keys();

}  // namespace loader
