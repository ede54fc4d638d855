// Lowering: the scenario's operations rewritten into the primitive ones the
// threads execute, and names into indexes, before a run (models/run_plan.h
// does it, once). `submit`, `map` and `to_thread` become a work item put on a
// pool's queue and a wait; a pool becomes the programs of its threads, as
// concurrent.futures, multiprocessing and Celery run them; `serve` becomes a
// loop over the stream's listen queue; asyncio tasks get the event loop's
// step costs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/ids.h"

namespace models {

// A pool's threads, with the programs lowering made for them: a process
// pool's feeder and result threads in the parent (null for other kinds),
// then its workers.
struct PoolThreads {
  std::unique_ptr<ThreadGroup> feeder;
  std::unique_ptr<ThreadGroup> results;
  std::unique_ptr<ThreadGroup> workers;
};

struct LoweredConfig {
  // The threads', processes', requests' and tasks' programs in primitive
  // operations, with every name resolved to an index.
  SimulationConfig config;
  // The locks and counters the programs name, in order of first use: the
  // index a LockAcquire or IncrementLoad holds.
  std::vector<std::string> locks;
  std::vector<std::string> counters;
  std::vector<PoolThreads> pools;  // by pool index
  QueueIds queues;
};

// The costs of handing work to pools and of an event loop's steps, with the
// defaults filled in where the scenario leaves them (-1 in RuntimeConfig).
struct PoolCosts {
  Time submit = -1;  // -1: by pool kind (submit_cost_for)
  Time pickle_per_call = 0;
  double pickle_per_byte = 0;
  Time ipc_per_call = 0;
  double ipc_per_byte = 0;
  Time loop_step = 0;
};
PoolCosts pool_costs(const RuntimeConfig& runtime);
// submit()'s cost for a kind of pool: the scenario's, or the kind's default.
Time submit_cost_for(const PoolCosts& costs, PoolKind kind);

// Every name a program gives (pool, resource) must exist: the loader checks
// them; an unknown one throws std::invalid_argument.
LoweredConfig lower(const SimulationConfig& config);
// The pools' threads alone (they name nothing outside their pool).
std::vector<PoolThreads> lower_pools(const SimulationConfig& config, const QueueIds& queues);

}  // namespace models
