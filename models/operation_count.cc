#include "models/operation_count.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace models {

namespace {

constexpr std::uint64_t kMany = std::numeric_limits<std::uint64_t>::max();

std::uint64_t plus(std::uint64_t a, std::uint64_t b) { return a > kMany - b ? kMany : a + b; }
std::uint64_t times(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kMany / b ? kMany : a * b;
}
std::uint64_t at_least_zero(std::int64_t n) { return n < 0 ? 0 : static_cast<std::uint64_t>(n); }

// Requests a stream is expected to bring: arrivals stop at its duration.
std::uint64_t expected_requests(const RequestStream& s) {
  const double seconds = sim::to_seconds(s.duration);
  double n = 0;
  switch (s.arrival.kind) {
    case Arrival::Kind::Poisson:
    case Arrival::Kind::Constant:
      n = s.arrival.rate * seconds;
      break;
    case Arrival::Kind::Burst:
      if (s.arrival.every > 0)
        n = s.arrival.burst_size * (static_cast<double>(s.duration) / static_cast<double>(s.arrival.every) + 1);
      break;
    case Arrival::Kind::Closed:
      break;  // paced by the answers: not counted (see the header)
  }
  if (!(n < 1.8e19)) return kMany;  // NaN, inf, or beyond 64 bits
  return static_cast<std::uint64_t>(n) + 1;
}

}  // namespace

std::uint64_t operation_count(const Program& program) {
  // One total per open loop; a loop's body counts its iterations when it closes.
  struct Loop {
    std::uint64_t ops = 0;
    std::uint64_t iterations = 1;
  };
  std::vector<Loop> loops(1);
  for (const Op& op : program) {
    std::uint64_t n = 1;
    switch (op.kind) {
      case OpKind::RepeatBegin:
        loops.push_back(Loop{0, at_least_zero(op.count)});
        continue;
      case OpKind::RepeatEnd:
        if (loops.size() > 1) {
          const Loop done = loops.back();
          loops.pop_back();
          loops.back().ops = plus(loops.back().ops, times(done.ops, done.iterations));
        }
        continue;
      case OpKind::Submit:
        n = plus(1, times(at_least_zero(op.count), operation_count(op.body)));
        break;
      case OpKind::ToThread:
        n = plus(1, operation_count(op.body));
        break;
      case OpKind::Asyncio:
        for (const TaskGroup& g : op.tasks)
          n = plus(n, times(at_least_zero(g.count), operation_count(g.program)));
        break;
      default:
        break;
    }
    loops.back().ops = plus(loops.back().ops, n);
  }
  // An unclosed loop (not written by the loader) counts once.
  std::uint64_t total = 0;
  for (const Loop& l : loops) total = plus(total, l.ops);
  return total;
}

std::uint64_t operation_count(const SimulationConfig& config) {
  std::uint64_t total = 0;
  for (const ThreadGroup& g : config.threads)
    total = plus(total, times(at_least_zero(g.count), operation_count(g.program)));
  for (const ProcessGroup& p : config.processes) {
    std::uint64_t one = 0;
    for (const ThreadGroup& g : p.threads) one = plus(one, times(at_least_zero(g.count), operation_count(g.program)));
    total = plus(total, times(at_least_zero(p.count), one));
  }
  for (const RequestStream& s : config.requests) {
    std::uint64_t largest = 0;
    for (const RequestType& t : s.mix) largest = std::max(largest, operation_count(t.program));
    total = plus(total, times(expected_requests(s), largest));
  }
  return total;
}

}  // namespace models
