#include "bench/bare_gil.h"

#include <algorithm>
#include <deque>
#include <vector>

namespace bench {

namespace {

enum Kind : std::uint8_t { kTimer, kWake, kSegment };

// 24 bytes: what the heap moves around stays small.
struct Event {
  std::int64_t time;
  std::uint64_t seq;
  std::uint32_t gen;
  std::uint16_t tid;
  Kind kind;
  bool operator>(const Event& o) const { return time > o.time || (time == o.time && seq > o.seq); }
};

struct Thread {
  std::int64_t remaining = 0;    // bytecode left
  std::int64_t since_check = 0;  // bytecode since the last check point
  std::int64_t overhead = 0;     // C code owed before the bytecode goes on (a futex wake)
  std::int64_t segment_start = 0;
  std::uint32_t segment_gen = 0;  // the running segment's event; bumped to cancel it
  std::uint32_t timer_gen = 0;    // the timed wait's event; bumped to cancel it
  bool waiting = false;           // in the cond's FIFO
  bool returning = false;         // woken from the cond wait, not yet re-checked
  bool timed_out = false;
  bool done = false;
  std::uint64_t saved_switch_number = 0;
};

class Loop {
 public:
  explicit Loop(const BareGilConfig& c) : c_(c), threads_(static_cast<std::size_t>(c.threads)) {
    for (Thread& t : threads_) t.remaining = c.work;
  }

  BareGilResult run() {
    for (int tid = 0; tid < c_.threads; ++tid) push(0, kWake, tid, 0);
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<Event>());
      const Event e = heap_.back();
      heap_.pop_back();
      ++r_.events;
      now_ = e.time;
      Thread& t = threads_[static_cast<std::size_t>(e.tid)];
      switch (e.kind) {
        case kTimer:
          if (e.gen != t.timer_gen) break;
          t.waiting = false;
          t.timed_out = t.returning = true;
          ++r_.timeouts;
          push(now_ + c_.wakeup_latency, kWake, e.tid, 0);
          break;
        case kWake:
          if (t.remaining == 0) {  // woken from a forced switch after its last bytecode
            t.done = true;
            r_.wall = std::max(r_.wall, now_);
            break;
          }
          take(e.tid);
          break;
        case kSegment:
          if (e.gen == t.segment_gen) segment_end(e.tid);
          break;
      }
    }
    return r_;
  }

 private:
  void push(std::int64_t at, Kind kind, int tid, std::uint32_t gen) {
    heap_.push_back({at, seq_++, gen, static_cast<std::uint16_t>(tid), kind});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<Event>());
  }

  // Cancelled events stay in the heap until they are popped; a cut segment's
  // end may lie seconds ahead. When they outnumber the live ones, they go.
  bool stale(const Event& e) const {
    const Thread& t = threads_[e.tid];
    return (e.kind == kTimer && e.gen != t.timer_gen) || (e.kind == kSegment && e.gen != t.segment_gen);
  }
  void cancelled() {
    if (++stale_ * 2 <= heap_.size()) return;
    std::erase_if(heap_, [this](const Event& e) { return stale(e); });
    std::make_heap(heap_.begin(), heap_.end(), std::greater<Event>());
    stale_ = 0;
  }

  // take_gil(): one pass of its loop, by a thread that runs.
  void take(int tid) {
    Thread& t = threads_[static_cast<std::size_t>(tid)];
    if (t.returning) {
      t.returning = false;
      if (t.timed_out && locked_ && switch_number_ == t.saved_switch_number) {
        drop_request_ = true;
        ++r_.drop_requests;
        cut(holder_);  // the holder now stops at its next check point
      }
    }
    if (!locked_) {
      locked_ = true;
      holder_ = tid;
      if (last_holder_ != tid) {
        last_holder_ = tid;
        ++switch_number_;
        ++r_.handoffs;
      }
      if (!switch_waiters_.empty()) {  // COND_SIGNAL(switch_cond): a futex wake the taker pays
        push(now_ + c_.wakeup_latency, kWake, switch_waiters_.front(), 0);
        switch_waiters_.pop_front();
        t.overhead += c_.futex_wake;
      }
      drop_request_ = false;
      start_segment(tid);
      return;
    }
    t.saved_switch_number = switch_number_;
    t.timed_out = false;
    t.waiting = true;
    waiters_.push_back({tid, ++t.timer_gen});
    push(now_ + c_.interval, kTimer, tid, t.timer_gen);
  }

  void release(int tid) {
    last_holder_ = tid;
    locked_ = false;
    holder_ = -1;
    // Entries of waits that timed out are skipped: the thread left the FIFO then.
    while (!waiters_.empty() && !still_waiting(waiters_.front())) waiters_.pop_front();
    if (waiters_.empty()) return;
    const int w = waiters_.front().tid;  // COND_SIGNAL(cond): the longest waiter
    waiters_.pop_front();
    Thread& pw = threads_[static_cast<std::size_t>(w)];
    pw.waiting = false;
    ++pw.timer_gen;  // its timer is cancelled
    cancelled();
    pw.timed_out = false;
    pw.returning = true;
    push(now_ + c_.wakeup_latency, kWake, w, 0);
  }

  struct Waiter {
    int tid;
    std::uint32_t wait;  // the timer generation of its wait
  };
  bool still_waiting(const Waiter& w) const {
    const Thread& t = threads_[static_cast<std::size_t>(w.tid)];
    return t.waiting && t.timer_gen == w.wait;
  }

  void start_segment(int tid) {
    Thread& t = threads_[static_cast<std::size_t>(tid)];
    t.segment_start = now_;
    std::int64_t run = t.remaining;
    if (drop_request_ && holder_ == tid) run = std::min(run, c_.granularity - t.since_check);
    push(now_ + t.overhead + run, kSegment, tid, ++t.segment_gen);
  }

  // Books what the running segment did up to now. True at a check point.
  bool stop_segment(int tid) {
    Thread& t = threads_[static_cast<std::size_t>(tid)];
    std::int64_t ran = now_ - t.segment_start;
    const std::int64_t paid = std::min(ran, t.overhead);
    t.overhead -= paid;
    ran -= paid;
    t.remaining -= ran;
    t.since_check += ran;
    const bool at_check = ran > 0 && t.since_check >= c_.granularity;
    t.since_check %= c_.granularity;
    return at_check;
  }

  void cut(int holder) {
    stop_segment(holder);
    start_segment(holder);
    cancelled();
  }

  void segment_end(int tid) {
    Thread& t = threads_[static_cast<std::size_t>(tid)];
    stop_segment(tid);
    if (t.remaining == 0) t.since_check = 0;  // the end of the operation is a check point
    if (drop_request_ && holder_ == tid) {    // drop_gil, then FORCE_SWITCHING
      release(tid);
      drop_request_ = false;
      switch_waiters_.push_back(tid);
      return;
    }
    if (t.remaining > 0) {  // (only a pending request cuts a segment short)
      start_segment(tid);
      return;
    }
    release(tid);  // the thread ends, holding the GIL
    drop_request_ = false;
    t.done = true;
    r_.wall = std::max(r_.wall, now_);
  }

  const BareGilConfig c_;
  std::vector<Thread> threads_;
  std::vector<Event> heap_;  // a binary min-heap by (time, sequence): std::push_heap and pop_heap
  std::size_t stale_ = 0;
  std::uint64_t seq_ = 0;
  std::int64_t now_ = 0;
  // ceval_gil.c's struct _gil_runtime_state.
  bool locked_ = false;
  int holder_ = -1, last_holder_ = -1;
  std::uint64_t switch_number_ = 0;
  bool drop_request_ = false;
  std::deque<Waiter> waiters_;      // FIFO; entries of waits that ended are skipped
  std::deque<int> switch_waiters_;  // forced droppers
  BareGilResult r_;
};

}  // namespace

BareGilResult run_bare_gil(const BareGilConfig& config) { return Loop(config).run(); }

}  // namespace bench
