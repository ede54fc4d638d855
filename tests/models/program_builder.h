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

// An operation on a named lock or counter (threading.Lock, `counter += 1`).
inline Op named(OpKind k, const std::string& name) {
  Op o;
  o.kind = k;
  o.object = name;
  return o;
}
inline Op lock_acquire(const std::string& lock) { return named(OpKind::LockAcquire, lock); }
inline Op lock_release(const std::string& lock) { return named(OpKind::LockRelease, lock); }
inline Op increment_load(const std::string& counter) { return named(OpKind::IncrementLoad, counter); }
inline Op increment_store(const std::string& counter) { return named(OpKind::IncrementStore, counter); }

// repeat(n, {ops...}) as the loader compiles it.
inline Program repeat(std::int64_t n, std::initializer_list<Op> body) { return models::repeat_block(n, Program(body)); }

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

// A server thread's `serve: STREAM` (its stream's index in config.requests).
inline Op serve(std::uint32_t stream) {
  Op o;
  o.kind = OpKind::Serve;
  o.index = stream;
  return o;
}
// `asyncio: {serve: STREAM}`: a loop that makes a task of every request.
inline Op asyncio_serve(std::int32_t stream) {
  Op o;
  o.kind = OpKind::Asyncio;
  o.serve = stream;
  return o;
}
inline Op detached_submit(const std::string& pool, Program body) {
  Op o = submit(pool, std::move(body));
  o.detached = true;
  return o;
}
inline Op exp_cpu(sim::Time mean) {
  Op o = cpu(0);
  o.duration.kind = sim::Distribution::Kind::Exp;
  o.duration.a = mean;
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

// A request stream of one request type; `async` when an asyncio loop serves it.
inline models::RequestStream& add_stream(models::SimulationConfig& c, const std::string& name,
                                         models::Arrival arrival, Program program, sim::Time duration,
                                         sim::Time warmup = 0, bool async = false) {
  models::RequestStream s;
  s.name = name;
  s.arrival = arrival;
  s.duration = duration;
  s.warmup = warmup;
  s.async = async;
  s.mix.push_back(models::RequestType{name, 1, std::move(program)});
  c.requests.push_back(std::move(s));
  return c.requests.back();
}
inline models::Arrival poisson(double rate) {
  models::Arrival a;
  a.kind = models::Arrival::Kind::Poisson;
  a.rate = rate;
  return a;
}
inline models::Arrival constant_rate(double rate) {
  models::Arrival a;
  a.kind = models::Arrival::Kind::Constant;
  a.rate = rate;
  return a;
}
inline models::Arrival closed(int clients, sim::Time think) {
  models::Arrival a;
  a.kind = models::Arrival::Kind::Closed;
  a.clients = clients;
  a.think = sim::Distribution::constant(think);
  return a;
}
inline models::Arrival burst(int size, sim::Time every) {
  models::Arrival a;
  a.kind = models::Arrival::Kind::Burst;
  a.burst_size = size;
  a.every = every;
  return a;
}

// A thread group, and `count` child processes running `threads` after a
// start-up of `startup` (-1: the start method's default).
inline models::ThreadGroup group(const std::string& name, Program program, int count = 1) {
  models::ThreadGroup g;
  g.name = name;
  g.count = count;
  g.program = std::move(program);
  return g;
}
inline models::ProcessGroup process(const std::string& name, int count, sim::Time startup,
                                    std::vector<models::ThreadGroup> threads) {
  models::ProcessGroup p;
  p.name = name;
  p.count = count;
  p.startup = startup;
  p.threads = std::move(threads);
  return p;
}

inline void add(models::SimulationConfig& c, const std::string& name, Program program, int count = 1) {
  models::ThreadGroup g;
  g.name = name;
  g.count = count;
  g.program = std::move(program);
  c.threads.push_back(std::move(g));
}

}  // namespace testing
