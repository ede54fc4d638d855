#include "models/config.h"

#include <algorithm>

namespace models {

namespace {
std::uint32_t index_of(std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    names.push_back(name);
    return static_cast<std::uint32_t>(names.size() - 1);
  }
  return static_cast<std::uint32_t>(it - names.begin());
}
}  // namespace

void index_shared_objects(SimulationConfig& config) {
  config.locks.clear();
  config.counters.clear();
  for (auto& group : config.threads) {
    for (auto& op : group.program) {
      if (op.kind == OpKind::LockAcquire || op.kind == OpKind::LockRelease)
        op.index = index_of(config.locks, op.object);
      if (op.kind == OpKind::IncrementLoad || op.kind == OpKind::IncrementStore)
        op.index = index_of(config.counters, op.object);
    }
  }
}

}  // namespace models
