#include "models/os_policy.h"

#include <stdexcept>
#include <string>

#include "models/cfs.h"

namespace models {

namespace {

template <class Policy>
std::unique_ptr<OsPolicy> make(const MachineConfig& config, const CoreTable& cores) {
  return std::make_unique<Policy>(config, cores);
}

// The scenario files do not choose a policy yet: the first is everyone's.
constexpr OsPolicyEntry kOsPolicies[] = {
    {"cfs", make<Cfs>},
};

}  // namespace

std::span<const OsPolicyEntry> os_policies() { return kOsPolicies; }

OsPolicyMaker os_policy_maker(std::string_view name) {
  std::string known;
  for (const OsPolicyEntry& p : kOsPolicies) {
    if (p.name == name) return p.make;
    known += known.empty() ? "" : ", ";
    known += p.name;
  }
  throw std::invalid_argument("no OS scheduling policy named '" + std::string(name) + "' (known: " + known + ")");
}

CoreSet::CoreSet(int cores, bool every) : words_((static_cast<std::size_t>(cores) + 63) / 64) {
  if (every)
    for (int c = 0; c < cores; ++c) insert(c);
}

CoreTable::CoreTable(int cores, int threads)
    : cores_(static_cast<std::size_t>(cores)),
      affinity_(static_cast<std::size_t>(threads), CoreSet(cores, true)),
      cpu_time_(static_cast<std::size_t>(threads)),
      idle_(cores, true) {}

void CoreTable::set_affinity(int tid, const std::vector<int>& cores) {
  CoreSet allowed(this->cores());
  for (int c : cores) allowed.insert(c);
  affinity_[static_cast<std::size_t>(tid)] = std::move(allowed);
}

}  // namespace models
