// gilsim's speed benchmark (not a test): how fast the event loop runs the
// GIL model, in GIL hand-offs, events and simulated seconds per wall second.
//
// The standard workload (issue 2): 8 CPU-bound threads on 8 cores,
// switch_interval 50 us, 10 s of CPU work each. Run untraced, then with a
// Chrome trace streamed to disk (deleted afterwards unless --keep-trace).
//
// `--server`: a second workload, C8's hybrid server under load: an asyncio
// loop serving Poisson arrivals at 200 requests/s (20 ms awaited database
// read, then 20 ms of CPU sent to 5 Celery workers that the request polls
// for) on 8 cores, for --cpu SECONDS of simulated time: tasks made and
// reused per request, broker round trips, polls, five interpreters.
//
//   build/gilsim_bench [--threads N] [--cores N] [--cpu SECONDS] [--interval-us N]
//                      [--trace-dir DIR] [--keep-trace] [--no-trace] [--repeat N] [--server]
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
  bool server = false;
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
    else {
      std::fprintf(stderr, "usage: gilsim_bench [--threads N] [--cores N] [--cpu SECONDS] [--interval-us N] "
                           "[--trace-dir DIR] [--keep-trace] [--no-trace] [--repeat N] [--server]\n");
      return 2;
    }
  }
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
