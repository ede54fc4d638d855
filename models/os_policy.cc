#include "models/os_policy.h"

#include <stdexcept>
#include <string>

#include "models/cfs.h"
#include "models/eevdf.h"

namespace models {

namespace {

template <class Policy>
std::unique_ptr<OsPolicy> make(const MachineConfig& config, const CoreTable& cores) {
  return std::make_unique<Policy>(config, cores);
}

// The machine key `scheduler` chooses one; the first is the default.
constexpr OsPolicyEntry kOsPolicies[] = {
    {"cfs", make<Cfs>},
    {"eevdf", make<Eevdf>},
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

int sysctl_factor(int cores) {
  int factor = 1;
  for (int cpus = std::min(cores, 8); cpus > 1; cpus /= 2) ++factor;
  return factor;
}

CoreSet::CoreSet(int cores, bool every) : words_((static_cast<std::size_t>(cores) + 63) / 64) {
  if (every)
    for (int c = 0; c < cores; ++c) insert(c);
}

CoreTable::CoreTable(int cores, int threads)
    : cores_(static_cast<std::size_t>(cores)),
      affinity_(static_cast<std::size_t>(threads), CoreSet(cores, true)),
      cpu_time_(static_cast<std::size_t>(threads)),
      switch_time_(static_cast<std::size_t>(threads)),
      idle_(cores, true) {}

void CoreTable::set_affinity(int tid, const std::vector<int>& cores) {
  CoreSet allowed(this->cores());
  for (int c : cores) allowed.insert(c);
  affinity_[static_cast<std::size_t>(tid)] = std::move(allowed);
  restricted_ = true;
}

}  // namespace models
