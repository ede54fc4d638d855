// gilsim's speed benchmark (not a test): how fast the event loop runs the
// GIL model, in GIL hand-offs, events and simulated seconds per wall second.
//
// The standard workload (issue 2): 8 CPU-bound threads on 8 cores,
// switch_interval 50 us, 10 s of CPU work each. Run untraced, then with a
// Chrome trace streamed to disk (deleted afterwards unless --keep-trace).
//
// `--yardstick`: the workload of issue 11 (8 CPU-bound threads, 8 cores,
// 50 us switch interval, 5 us wake-up latency, no context-switch cost, 10 s
// each), run by gilsim and by the bare loop of the same new-GIL model
// (bench/bare_gil.h), alternately, best of --repeat each: gilsim's time as a
// multiple of the bare loop's, and the events each pops per hand-off.
//
// `--server`: a second workload, C8's hybrid server under load: an asyncio
// loop serving Poisson arrivals at 200 requests/s (20 ms awaited database
// read, then 20 ms of CPU sent to 5 Celery workers that the request polls
// for) on 8 cores, for --cpu SECONDS of simulated time: tasks made and
// reused per request, broker round trips, polls, five interpreters.
//
//   build/gilsim_bench [--threads N] [--cores N] [--cpu SECONDS] [--interval-us N]
//                      [--wakeup-us N] [--switch-us N] [--trace-dir DIR] [--keep-trace]
//                      [--no-trace] [--repeat N] [--server | --yardstick]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "bench/bare_gil.h"
#include "models/simulation.h"
#include "sim/chrome_trace.h"

namespace {

struct Options {
  int threads = 8;
  int cores = 8;
  double cpu_seconds = 10;
  long interval_us = 50;
  long wakeup_us = -1;  // -1: the model's default
  long switch_us = -1;
  std::string trace_dir = std::filesystem::temp_directory_path().string();
  bool keep_trace = false;
  bool traced = true;
  int repeat = 3;
  bool server = false;
  bool yardstick = false;
};

models::SimulationConfig workload(const Options& o) {
  models::SimulationConfig c;
  c.machine.cores = o.cores;
  c.runtime.switch_interval = o.interval_us * sim::kMicrosecond;
  if (o.wakeup_us >= 0) c.machine.wakeup_latency = sim::Distribution::constant(o.wakeup_us * sim::kMicrosecond);
  if (o.switch_us >= 0) c.machine.context_switch = sim::Distribution::constant(o.switch_us * sim::kMicrosecond);
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

models::Op timed(models::OpKind kind, sim::Time d) {
  models::Op o;
  o.kind = kind;
  o.duration = sim::Distribution::constant(d);
  return o;
}

models::SimulationConfig server_workload(const Options& o) {
  models::SimulationConfig c;
  c.machine.cores = 8;
  c.resources = {{"db", 64}, {"redis", 64}};
  models::PoolConfig celery;
  celery.name = "celery";
  celery.kind = models::PoolKind::Celery;
  celery.workers = 5;
  celery.broker = "redis";
  celery.broker_index = 1;
  c.pools.push_back(celery);
  models::Op db = timed(models::OpKind::AwaitIo, 20 * sim::kMillisecond);
  db.uses_resource = true;
  db.object = "db";
  models::Op offload;
  offload.kind = models::OpKind::ToThread;
  offload.object = "celery";
  offload.body = {timed(models::OpKind::Cpu, 20 * sim::kMillisecond)};
  models::RequestStream api;
  api.name = "api";
  api.arrival.kind = models::Arrival::Kind::Poisson;
  api.arrival.rate = 200;
  api.duration = static_cast<sim::Time>(o.cpu_seconds * 1e9);
  api.async = true;
  api.mix.push_back({"api", 1, {db, offload}});
  c.requests.push_back(api);
  models::Op serve;
  serve.kind = models::OpKind::Asyncio;
  serve.serve = 0;
  models::ThreadGroup loop;
  loop.name = "uvicorn";
  loop.program = {serve};
  c.threads.push_back(loop);
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

// gilsim against the bare loop on the same workload, alternately.
int yardstick(Options o) {
  if (o.wakeup_us < 0) o.wakeup_us = 5;
  if (o.switch_us < 0) o.switch_us = 0;
  models::SimulationConfig config = workload(o);
  // The bare loop has no timer slack (bench/bare_gil.cc): without this, each
  // timed wait of gilsim's lasts 50 us longer (models/config.h), half the
  // hand-offs happen, and the ratio compares different work.
  config.machine.timer_slack = 0;
  const models::RunPlan plan(config);
  bench::BareGilConfig bare;
  bare.threads = o.threads;
  bare.work = static_cast<std::int64_t>(o.cpu_seconds * 1e9);
  bare.interval = o.interval_us * sim::kMicrosecond;
  bare.wakeup_latency = o.wakeup_us * sim::kMicrosecond;
  bare.futex_wake = config.machine.futex_wake;
  bare.granularity = config.runtime.eval_breaker_granularity;
  std::printf("yardstick: %d CPU-bound threads, %d cores, switch_interval %ld us, wake-up %ld us, context switch "
              "%ld us, %.1f s of CPU each; best of %d, alternately\n",
              o.threads, o.cores, o.interval_us, o.wakeup_us, o.switch_us, o.cpu_seconds, o.repeat);
  models::RunResult r;
  bench::BareGilResult b;
  double gilsim_best = 1e300, bare_best = 1e300;
  for (int i = 0; i < o.repeat; ++i) {
    gilsim_best = std::min(gilsim_best, best_of(1, [&] { r = models::simulate(plan, config.seed); }));
    bare_best = std::min(bare_best, best_of(1, [&] { b = bench::run_bare_gil(bare); }));
  }
  report("gilsim", r, gilsim_best);
  std::printf("%-9s %8.3f s wall-clock | %9llu hand-offs | %6.2f M hand-offs/s | %11llu events | %6.2f M events/s | "
              "%7.1f simulated s per wall s\n",
              "bare", bare_best, static_cast<unsigned long long>(b.handoffs),
              static_cast<double>(b.handoffs) / bare_best / 1e6, static_cast<unsigned long long>(b.events),
              static_cast<double>(b.events) / bare_best / 1e6, static_cast<double>(b.wall) / 1e9 / bare_best);
  std::printf("gilsim / bare: %.2fx the time; %.1f against %.1f events per hand-off; simulated wall %.6f s against "
              "%.6f s\n",
              gilsim_best / bare_best, static_cast<double>(r.events) / r.metrics.at("gil.handoffs"),
              static_cast<double>(b.events) / static_cast<double>(b.handoffs), r.metrics.at("wall"),
              static_cast<double>(b.wall) / 1e9);
  // The ratio means something only if both loops did the same work.
  if (static_cast<std::uint64_t>(r.metrics.at("gil.handoffs")) != b.handoffs || r.wall != b.wall) {
    std::fprintf(stderr, "gilsim_bench: the two loops disagree (hand-offs or simulated wall): the bare loop no longer "
                         "models what gilsim does on this workload\n");
    return 1;
  }
  return 0;
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
    else if (!std::strcmp(argv[i], "--server")) o.server = true;
    else if (!std::strcmp(argv[i], "--yardstick")) o.yardstick = true;
    else if (!std::strcmp(argv[i], "--wakeup-us")) o.wakeup_us = std::atol(next());
    else if (!std::strcmp(argv[i], "--switch-us")) o.switch_us = std::atol(next());
    else {
      std::fprintf(stderr, "usage: gilsim_bench [--threads N] [--cores N] [--cpu SECONDS] [--interval-us N] "
                           "[--wakeup-us N] [--switch-us N] [--trace-dir DIR] [--keep-trace] [--no-trace] [--repeat N] "
                           "[--server | --yardstick]\n");
      return 2;
    }
  }
  if (o.yardstick) return yardstick(o);
  const auto config = o.server ? server_workload(o) : workload(o);
  if (o.server)
    std::printf("workload: asyncio server + 5 Celery workers, 8 cores, 200 requests/s for %.1f s; best of %d\n",
                o.cpu_seconds, o.repeat);
  else
    std::printf("workload: %d CPU-bound threads, %d cores, switch_interval %ld us, %.1f s of CPU each; best of %d\n",
                o.threads, o.cores, o.interval_us, o.cpu_seconds, o.repeat);

  const models::RunPlan plan(config);
  models::RunResult r;
  double t = best_of(o.repeat, [&] { r = models::simulate(plan, config.seed); });
  report("untraced", r, t);
  if (o.server)
    std::printf("          %.0f requests, %.0f requests per wall s, p99 %.1f ms\n", r.metrics.at("requests.completed"),
                r.metrics.at("requests.completed") / t, 1e3 * r.metrics.at("requests.p99"));

  if (!o.traced) return 0;
  const std::string path = o.trace_dir + "/gilsim_bench_trace.json";
  t = best_of(o.repeat, [&] {
    sim::ChromeTraceWriter trace(path);
    r = models::simulate(plan, config.seed, &trace);
  });
  const auto bytes = std::filesystem::file_size(path);
  report("traced", r, t);
  std::printf("trace: %s, %.1f MB\n", path.c_str(), static_cast<double>(bytes) / 1e6);
  if (!o.keep_trace) std::filesystem::remove(path);
  return 0;
}
