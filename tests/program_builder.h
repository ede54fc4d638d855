// Small builders for model tests: programs and configs without YAML.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "models/config.h"

namespace testing {

using models::Op;
using models::OpKind;
using models::Program;
using sim::kMicrosecond;
using sim::kMillisecond;
using sim::kSecond;

inline Op op(OpKind k, sim::Time d) {
  Op o;
  o.kind = k;
  o.duration = sim::Distribution::constant(d);
  return o;
}
inline Op cpu(sim::Time d) { return op(OpKind::Cpu, d); }
inline Op io(sim::Time d) { return op(OpKind::Io, d); }
inline Op sleep(sim::Time d) { return op(OpKind::Sleep, d); }
inline Op native(sim::Time d) { return op(OpKind::NativeReleased, d); }
inline Op native_held(sim::Time d) { return op(OpKind::NativeHeld, d); }

// repeat(n, {ops...}) as the loader compiles it.
inline Program repeat(std::int64_t n, std::initializer_list<Op> body) {
  Program p;
  Op begin;
  begin.kind = OpKind::RepeatBegin;
  begin.count = n;
  begin.jump = static_cast<std::uint32_t>(body.size() + 1);
  p.push_back(begin);
  for (const Op& o : body) p.push_back(o);
  Op end;
  end.kind = OpKind::RepeatEnd;
  end.jump = 0;
  p.push_back(end);
  return p;
}

// pool.submit(f) (`count` > 1 with `map`: pool.map over count items).
inline Op submit(const std::string& pool, Program body, std::int64_t count = 1, bool map = false,
                 std::int64_t args = 0, std::int64_t result = 0) {
  Op o;
  o.kind = OpKind::Submit;
  o.object = pool;
  o.body = std::move(body);
  o.count = count;
  o.map = map;
  o.args_bytes = args;
  o.result_bytes = result;
  return o;
}
inline Op wait_all() {
  Op o;
  o.kind = OpKind::WaitAll;
  return o;
}
inline Op to_thread(const std::string& pool, Program body) {
  Op o = submit(pool, std::move(body));
  o.kind = OpKind::ToThread;
  return o;
}
inline Op await_io(sim::Time d, const std::string& resource = "") {
  Op o = op(OpKind::AwaitIo, d);
  o.object = resource;
  o.uses_resource = !resource.empty();
  return o;
}
inline Op await_sleep(sim::Time d) { return op(OpKind::AwaitSleep, d); }
inline Op io_on(sim::Time d, const std::string& resource) {
  Op o = io(d);
  o.object = resource;
  o.uses_resource = true;
  return o;
}
inline models::TaskGroup task(const std::string& name, Program program, int count = 1) {
  models::TaskGroup t;
  t.name = name;
  t.count = count;
  t.program = std::move(program);
  return t;
}
inline Op asyncio(std::vector<models::TaskGroup> tasks) {
  Op o;
  o.kind = OpKind::Asyncio;
  o.tasks = std::move(tasks);
  return o;
}

inline models::SimulationConfig config(int cores) {
  models::SimulationConfig c;
  c.machine.cores = cores;
  return c;
}

inline models::PoolConfig& add_pool(models::SimulationConfig& c, const std::string& name, models::PoolKind kind,
                                    int workers) {
  models::PoolConfig p;
  p.name = name;
  p.kind = kind;
  p.workers = workers;
  c.pools.push_back(std::move(p));
  return c.pools.back();
}
inline void add_resource(models::SimulationConfig& c, const std::string& name, int capacity) {
  c.resources.push_back(models::ResourceConfig{name, capacity});
}

inline void add(models::SimulationConfig& c, const std::string& name, Program program, int count = 1) {
  models::ThreadGroup g;
  g.name = name;
  g.count = count;
  g.program = std::move(program);
  c.threads.push_back(std::move(g));
}

}  // namespace testing
