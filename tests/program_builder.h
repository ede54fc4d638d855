// Small builders for model tests: programs and configs without YAML.
#pragma once

#include <initializer_list>
#include <string>

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

inline models::SimulationConfig config(int cores) {
  models::SimulationConfig c;
  c.machine.cores = cores;
  return c;
}

inline void add(models::SimulationConfig& c, const std::string& name, Program program, int count = 1) {
  models::ThreadGroup g;
  g.name = name;
  g.count = count;
  g.program = std::move(program);
  c.threads.push_back(std::move(g));
}

}  // namespace testing
