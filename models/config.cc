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
void index_program(SimulationConfig& config, Program& program) {
  for (auto& op : program) {
    if (op.kind == OpKind::LockAcquire || op.kind == OpKind::LockRelease)
      op.index = index_of(config.locks, op.object);
    if (op.kind == OpKind::IncrementLoad || op.kind == OpKind::IncrementStore)
      op.index = index_of(config.counters, op.object);
  }
}

void add_group(Layout& out, const ThreadGroup& g, const std::string& prefix, int interpreter) {
  const std::string group = prefix + g.name;
  for (int i = 0; i < g.count; ++i) {
    ThreadSpec t;
    t.name = g.count == 1 ? group : group + "_" + std::to_string(i);
    t.group = group;
    t.group_size = g.count;
    t.interpreter = interpreter;
    t.spec = &g;
    out.threads.push_back(std::move(t));
  }
}

}  // namespace

Time default_startup(StartMethod m) {
  switch (m) {
    case StartMethod::Fork:
      return 13'700 * sim::kMicrosecond;
    case StartMethod::Forkserver:
      return 87 * sim::kMillisecond;
    case StartMethod::Spawn:
      return 144 * sim::kMillisecond;
  }
  return 0;
}

Layout layout(const SimulationConfig& config) {
  Layout out;
  for (const auto& g : config.threads) add_group(out, g, "", 0);
  for (const auto& p : config.processes) {
    for (int i = 0; i < p.count; ++i) {
      ProcessSpec proc{p.count == 1 ? p.name : p.name + "_" + std::to_string(i), p.name, p.count};
      const int interpreter = static_cast<int>(out.processes.size()) + 1;
      const std::size_t first = out.threads.size();
      for (const auto& g : p.threads) add_group(out, g, proc.name + "_", interpreter);
      // The process's first thread is its main thread: it runs the start-up,
      // and the others are started once it is done.
      out.threads[first].startup = p.startup >= 0 ? p.startup : default_startup(p.start_method);
      if (out.threads[first].startup > 0)  // with no start-up, all start at once
        for (std::size_t t = first + 1; t < out.threads.size(); ++t)
          out.threads[t].started_by = static_cast<int>(first);
      out.processes.push_back(std::move(proc));
    }
  }
  return out;
}

void index_shared_objects(SimulationConfig& config) {
  config.locks.clear();
  config.counters.clear();
  for (auto& group : config.threads) index_program(config, group.program);
  for (auto& p : config.processes)
    for (auto& group : p.threads) index_program(config, group.program);
}

}  // namespace models
