// gilsim's speed benchmark (not a test): how fast the event loop runs the
// GIL model, in GIL hand-offs, events and simulated seconds per wall second.
//
// The standard workload (issue 2): 8 CPU-bound threads on 8 cores,
// switch_interval 50 us, 10 s of CPU work each. Run untraced, then with a
// Chrome trace streamed to disk (deleted afterwards unless --keep-trace).
//
//   build/gilsim_bench [--threads N] [--cores N] [--cpu SECONDS] [--interval-us N]
//                      [--trace-dir DIR] [--keep-trace] [--no-trace] [--repeat N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "models/simulation.h"
#include "sim/chrome_trace.h"

namespace {

struct Options {
  int threads = 8;
  int cores = 8;
  double cpu_seconds = 10;
  long interval_us = 50;
  std::string trace_dir = std::filesystem::temp_directory_path().string();
  bool keep_trace = false;
  bool traced = true;
  int repeat = 3;
};

models::SimulationConfig workload(const Options& o) {
  models::SimulationConfig c;
  c.machine.cores = o.cores;
  c.runtime.switch_interval = o.interval_us * sim::kMicrosecond;
  models::ThreadGroup g;
  g.name = "worker";
  g.count = o.threads;
  models::Op cpu;
  cpu.kind = models::OpKind::Cpu;
  cpu.duration = sim::Distribution::constant(static_cast<sim::Time>(o.cpu_seconds * 1e9));
  g.program.push_back(cpu);
  c.threads.push_back(g);
  return c;
}

void report(const char* label, const models::RunResult& r, double seconds) {
  const double handoffs = r.metrics.at("gil.handoffs");
  std::printf("%-9s %8.3f s wall-clock | %9.0f hand-offs | %6.2f M hand-offs/s | %11llu events | %6.2f M events/s | "
              "%7.1f simulated s per wall s\n",
              label, seconds, handoffs, handoffs / seconds / 1e6, static_cast<unsigned long long>(r.events),
              static_cast<double>(r.events) / seconds / 1e6, r.metrics.at("wall") / seconds);
}

template <class F>
double best_of(int n, F&& run) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gilsim_bench: %s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--threads")) o.threads = std::atoi(next());
    else if (!std::strcmp(argv[i], "--cores")) o.cores = std::atoi(next());
    else if (!std::strcmp(argv[i], "--cpu")) o.cpu_seconds = std::atof(next());
    else if (!std::strcmp(argv[i], "--interval-us")) o.interval_us = std::atol(next());
    else if (!std::strcmp(argv[i], "--trace-dir")) o.trace_dir = next();
    else if (!std::strcmp(argv[i], "--keep-trace")) o.keep_trace = true;
    else if (!std::strcmp(argv[i], "--no-trace")) o.traced = false;
    else if (!std::strcmp(argv[i], "--repeat")) o.repeat = std::atoi(next());
    else {
      std::fprintf(stderr, "usage: gilsim_bench [--threads N] [--cores N] [--cpu SECONDS] [--interval-us N] "
                           "[--trace-dir DIR] [--keep-trace] [--no-trace] [--repeat N]\n");
      return 2;
    }
  }
  const auto config = workload(o);
  std::printf("workload: %d CPU-bound threads, %d cores, switch_interval %ld us, %.1f s of CPU each; best of %d\n",
              o.threads, o.cores, o.interval_us, o.cpu_seconds, o.repeat);

  models::RunResult r;
  double t = best_of(o.repeat, [&] { r = models::simulate(config); });
  report("untraced", r, t);

  if (!o.traced) return 0;
  const std::string path = o.trace_dir + "/gilsim_bench_trace.json";
  t = best_of(o.repeat, [&] {
    sim::ChromeTraceWriter trace(path);
    r = models::simulate(config, &trace);
  });
  const auto bytes = std::filesystem::file_size(path);
  report("traced", r, t);
  std::printf("trace: %s, %.1f MB\n", path.c_str(), static_cast<double>(bytes) / 1e6);
  if (!o.keep_trace) std::filesystem::remove(path);
  return 0;
}
