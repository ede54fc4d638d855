#include "models/thread_control.h"

#include <algorithm>

#include "models/events.h"
#include "models/simulation.h"

namespace models {

namespace {

using Phase = PythonThread::Phase;

std::vector<std::unique_ptr<GilProtocol>> make_gils(const RunPlan& plan, std::uint64_t seed,
                                                    sim::EventQueue& events, Machine& os) {
  const SimulationConfig& c = plan.config();
  std::vector<std::unique_ptr<GilProtocol>> gils;
  const int threads = static_cast<int>(plan.layout().threads.size());
  for (int i = 0; i < plan.layout().interpreters(); ++i)
    gils.push_back(plan.runtime().gil->make(GilSetup{c.runtime, c.machine, plan.runtime().version->minor, events, os,
                                                     sim::Rng(seed, RngStreams::gil(i)), threads}));
  return gils;
}

}  // namespace

ThreadControl::ThreadControl(const RunPlan& plan, std::uint64_t seed, sim::EventQueue& events, Machine& os)
    : events_(events),
      os_(os),
      threads_(plan.layout().threads.size()),
      gils_(make_gils(plan, seed, events, os)),
      checks_(gils_.front()->checks()),
      futex_wake_(plan.config().machine.futex_wake),
      accounting_(events, os, threads_, interpreters(), checks_.serialises) {
  for (int tid = 0; tid < size(); ++tid) {
    const ThreadSpec& spec = plan.layout().threads[static_cast<std::size_t>(tid)];
    PythonThread& t = (*this)[tid];
    t.name = spec.name;
    t.interpreter = spec.interpreter;
    t.gil = gil(spec.interpreter);
    t.new_gil = dynamic_cast<NewGil*>(t.gil);
    t.main.run(spec.program);
    t.main.loops.reserve(static_cast<std::size_t>(loop_depth(*spec.program)));
    t.service = spec.service;
    t.loop_from = spec.loop_from;  // a pool worker serves work after its start-up, not again
    t.rng = sim::Rng(seed, RngStreams::thread(tid));
    if (!spec.spec->cores.empty()) os_.set_affinity(tid, spec.spec->cores);
  }
}

bool ThreadControl::take_gil(int tid) {
  PythonThread& t = (*this)[tid];
  const GilTake r = call_gil(t, [tid](auto& g) { return g.take(tid); });
  if (r.drop_request_on >= 0) on_drop_request(r.drop_request_on);
  t.overhead += r.cost;
  if (r.acquired) return true;
  if (r.busy > 0) {  // the timed wait's C code on the core, then take() again
    start_retake(t, tid, r.busy, /*resumable=*/true);
    account(tid);
    return false;
  }
  t.blocked_on = ThreadState::GilWait;
  accounting_.account_off_core(t, tid, ThreadState::GilWait);  // take() left it blocked (GilTake)
  return false;
}

bool ThreadControl::release_gil(int tid) {
  if (!holds_gil(tid)) return false;
  PythonThread& t = (*this)[tid];
  if (!call_gil(t, [tid](auto& g) { return g.drop(tid); })) return false;
  t.blocked_on = ThreadState::GilWait;
  account(tid);
  return true;
}

bool ThreadControl::at_check_point(int tid) {
  PythonThread& t = (*this)[tid];
  const GilCheck c = call_gil(t, [tid](auto& g) { return g.at_check(tid); });
  switch (c.kind) {
    case GilCheck::Kind::Continue:
      return true;
    case GilCheck::Kind::Waits:  // blocked (GilCheck), waiting for the hand-off
      t.blocked_on = ThreadState::GilWait;
      accounting_.account_off_core(t, tid, ThreadState::GilWait);
      return false;
    case GilCheck::Kind::Retakes:  // C code, then take() when the segment ends
      // Not resumed after a preemption inside it, unlike the
      // new GIL's timed wait: the old GIL's gap is a few instructions
      // (release_gap, 50 ns by default). Resuming it too is the consistent
      // model, but the battle's costs fitted through it then miss more (tried
      // 2026-12-07: calibrate --replay refits wakeup_cpu 4 us, cache_refill
      // 0.5 us, idle_poll 0, and validate has 83 of 91 rows within, 2.7's
      // hand-offs 37,700/s against 178,000/s real); left for a refit of the
      // battle (docs/validation.md, "Known gaps").
      start_retake(t, tid, c.delay, /*resumable=*/false);
      break;
  }
  account(tid);
  return false;
}

void ThreadControl::on_drop_request(int holder) {
  PythonThread& h = (*this)[holder];
  if (h.phase != Phase::Executing || !ticks(h.kind_now())) return;
  if (!events_.pending(h.segment)) return;  // not on a core: it checks when it runs again
  stop_segment(holder);
  start_segment(holder);
}

bool ThreadControl::block_waiting(int tid) {
  if (release_gil(tid)) return false;
  PythonThread& t = (*this)[tid];
  t.phase = Phase::Waiting;
  t.blocked_on = ThreadState::Waiting;
  os_.block(tid);
  account(tid);
  return true;
}

void ThreadControl::wake_waiting(int tid, int waker) {
  PythonThread& t = (*this)[tid];
  t.phase = Phase::Returning;
  os_.wake(tid);
  account(tid);
  if (waker >= 0) (*this)[waker].overhead += futex_wake_;
}

void ThreadControl::exit_thread(int tid) {
  PythonThread& t = (*this)[tid];
  if (holds_gil(tid)) t.gil->exit(tid);
  t.phase = Phase::Done;
  t.end = events_.now();
  ++done_;
  os_.exit(tid);
  account(tid);
}

}  // namespace models
