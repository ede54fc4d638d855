#include "models/run_plan.h"

#include "models/metrics.h"

namespace models {

RunPlan::RunPlan(const SimulationConfig& config)
    : lowered_(lower(config)), layout_(make_layout(lowered_)), runtime_(resolve_runtime(config.runtime)) {
  acceptors_.resize(config.requests.size());
  for (std::size_t t = 0; t < layout_.threads.size(); ++t)
    for (const Op& o : layout_.threads[t].spec->program)
      if (o.kind == OpKind::Asyncio && o.serve >= 0)
        acceptors_[static_cast<std::size_t>(o.serve)].push_back(static_cast<int>(t));
  first_task_.resize(layout_.threads.size());
  for (std::size_t k = 0; k < layout_.tasks.size(); ++k) {
    const TaskSpec& spec = layout_.tasks[k];
    auto& firsts = first_task_[static_cast<std::size_t>(spec.thread)];
    if (firsts.size() <= spec.ordinal) firsts.resize(spec.ordinal + 1, static_cast<int>(k));
  }
}

std::vector<std::string> RunPlan::metric_names() const { return models::metric_names(*this); }

TraceTracks RunPlan::tracks() const {
  return TraceTracks(static_cast<int>(layout_.threads.size()), config().machine.cores, layout_.interpreters(),
                     static_cast<int>(layout_.tasks.size()));
}

}  // namespace models
