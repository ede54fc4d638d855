// What a configuration would run, counted before it runs: the loader's cap
// on a scenario's size reads it.
#include "models/operation_count.h"

#include <doctest/doctest.h>

#include <limits>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;

namespace {

models::SimulationConfig with_threads(int count, Program program) {
  models::SimulationConfig c;
  c.threads.push_back(models::ThreadGroup{"t", count, std::move(program), {}});
  return c;
}

Program seq(std::initializer_list<Program> parts) {
  Program p;
  for (const auto& part : parts) p.insert(p.end(), part.begin(), part.end());
  return p;
}

}  // namespace

TEST_CASE("operation_count: loops multiply their bodies, nested loops multiply again") {
  CHECK(models::operation_count(Program{cpu(1), io(1)}) == 2);
  CHECK(models::operation_count(repeat(1000, {cpu(1), io(1)})) == 2000);
  const Program inner = repeat(7, {cpu(1)});
  Program outer = models::repeat_block(3, seq({Program{io(1)}, inner}));
  CHECK(models::operation_count(outer) == 3 * (1 + 7));
  CHECK(models::operation_count(seq({Program{cpu(1)}, outer, Program{cpu(1)}})) == 2 + 24);
  CHECK(models::operation_count(repeat(0, {cpu(1)})) == 0);
}

TEST_CASE("operation_count: threads, processes, submits and asyncio tasks multiply") {
  CHECK(models::operation_count(with_threads(5, repeat(10, {cpu(1)}))) == 50);
  models::SimulationConfig c = with_threads(1, Program{submit("pool", Program{cpu(1), cpu(1)}, 100)});
  CHECK(models::operation_count(c) == 1 + 100 * 2);
  models::SimulationConfig a = with_threads(2, Program{asyncio({task("x", repeat(4, {await_io(1)}), 10)})});
  CHECK(models::operation_count(a) == 2 * (1 + 10 * 4));
  models::SimulationConfig p;
  p.processes.push_back(models::ProcessGroup{"p", 3, models::StartMethod::Fork, -1,
                                             {models::ThreadGroup{"t", 2, Program{cpu(1)}, {}}}});
  CHECK(models::operation_count(p) == 3 * 2);
}

TEST_CASE("operation_count: a request stream counts its expected requests times its largest endpoint") {
  models::SimulationConfig c = with_threads(1, Program{serve(0)});
  models::RequestStream s;
  s.arrival.kind = models::Arrival::Kind::Poisson;
  s.arrival.rate = 1000;
  s.duration = 2 * kSecond;
  s.mix.push_back(models::RequestType{"small", 1, Program{cpu(1)}});
  s.mix.push_back(models::RequestType{"large", 1, repeat(5, {cpu(1)})});
  c.requests.push_back(s);
  CHECK(models::operation_count(c) == 1 + (2000 + 1) * 5);
}

TEST_CASE("operation_count saturates instead of overflowing") {
  const Program huge = models::repeat_block(
      std::numeric_limits<std::int64_t>::max(), repeat(std::numeric_limits<std::int64_t>::max(), {cpu(1)}));
  CHECK(models::operation_count(huge) == std::numeric_limits<std::uint64_t>::max());
  CHECK(models::operation_count(with_threads(1000, huge)) == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("a RunWatch looks every `every` events, and what it throws stops the run") {
  const models::SimulationConfig c = with_threads(2, repeat(1000, {cpu(10 * kMicrosecond), io(kMicrosecond)}));
  const models::RunResult whole = models::simulate(c);
  models::RunWatch watch;
  watch.every = 100;
  std::vector<std::uint64_t> seen;
  sim::Time last = -1;
  watch.look = [&](sim::Time now, std::uint64_t events) {
    CHECK(now >= last);
    last = now;
    seen.push_back(events);
  };
  const models::RunResult watched = models::simulate(c, nullptr, &watch);
  // Watching changes nothing of the run.
  CHECK(watched.events == whole.events);
  CHECK(watched.wall == whole.wall);
  REQUIRE(seen.size() == whole.events / 100);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == 100 * (i + 1));

  struct Stop {};
  watch.look = [](sim::Time, std::uint64_t events) {
    if (events >= 300) throw Stop{};
  };
  CHECK_THROWS_AS(models::simulate(c, nullptr, &watch), Stop);
}
