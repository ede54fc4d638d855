// The pending-event set: a binary min-heap ordered by (time, sequence number).
//
// Trade-offs (cf. ns-3's scheduler.h), chosen by measurement on gilsim's
// workloads (bench/: `gilsim_bench --yardstick`), where the heap holds a few
// events per simulated thread, tens to a few thousand, and most events are
// scheduled microseconds ahead:
// - Binary: a 4-ary heap (half the levels) and a bottom-up pop both ran more
//   instructions on these small heaps (callgrind, 8 threads: +1 % and +4 %).
// - Time compared first, the sequence number only on a tie: fewer
//   instructions than one 128-bit comparison of the packed pair (-3 %).
// - Lazy cancellation: cancel() only marks the event dead (its slot's
//   generation moves on), O(1); a dead entry is dropped when it reaches the
//   top, or all at once when dead entries outnumber live ones (past 8), so
//   that a far-future event that was cancelled (a segment's end cut short, a
//   client's timeout) neither fires nor keeps the heap deep: letting 64 dead
//   entries gather first cost 10 % more instructions than the exact removal.
//   The heap never tracks positions.
// - An entry holds its event whole (32 bytes): a pop reads nothing else. An
//   event that may be cancelled also takes a slot, a generation counter that
//   is reused after the event fires or is cancelled; its handle carries the
//   generation, so a stale handle is recognised and ignored. Most events are
//   never cancelled (wake-ups, dispatches, I/O completions) and are post()ed
//   without a slot (-2.6 % instructions). Nothing is allocated per event once
//   the arrays have grown to the peak number of pending events.
// - Tried and left out: FIFO lanes beside the heap for events at a recurring
//   delay (a constant wake-up latency, the switch interval), which arrive in
//   order and need no sifting: -2.6 % instructions on the 8-thread workload,
//   -7 % on the server one, but +2.7 % on the claims suite, where durations
//   drawn from distributions make every delay new.
// The order in which events come out is exactly (time, sequence): the same
// for any heap layout, so the choice of heap never changes a result.
//
// The kernel knows nothing about what events mean: an event is a kind and a
// target index that the model layer dispatches on with a switch (no virtual
// call per event).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/time.h"

namespace sim {

struct Event {
  Time time = 0;
  std::uint64_t seq = 0;     // ties between simultaneous events: earlier scheduled first
  std::uint32_t kind = 0;    // meaning is the model's
  std::uint32_t target = 0;  // index of the entity the event is for
};

// Refers to a pending event; default-constructed handles refer to nothing.
struct EventHandle {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  bool valid() const { return slot != UINT32_MAX; }
};

class EventQueue {
 public:
  // Schedules an event at absolute time `at`, which must not lie before now(),
  // that may be cancelled through the handle.
  EventHandle schedule(Time at, std::uint32_t kind, std::uint32_t target);
  // The same for an event that is never cancelled (it takes no slot).
  void post(Time at, std::uint32_t kind, std::uint32_t target);
  // Removes a pending event. A handle that already fired or was cancelled is
  // ignored, so callers may cancel unconditionally. Resets the handle.
  void cancel(EventHandle& h);
  bool pending(const EventHandle& h) const {
    return h.valid() && h.slot < slots_.size() && slots_[h.slot].generation == h.generation;
  }

  bool empty() const { return live_ == 0; }
  std::size_t size() const { return live_; }  // pending events, cancelled ones not counted
  Time now() const { return now_; }
  std::uint64_t processed() const { return processed_; }
  // Slots ever allocated: the peak number of pending events, not the total.
  std::size_t slot_capacity() const { return slots_.size(); }
  // Entries in the heap, cancelled ones not yet dropped included.
  std::size_t entries() const { return heap_.size(); }

  // Removes and returns the earliest pending event and advances now() to its
  // time. The queue must not be empty().
  Event pop();

 private:
  struct Entry {  // 32 bytes
    std::uint64_t time;
    std::uint64_t seq;
    std::uint32_t kind;
    std::uint32_t target;
    std::uint32_t slot;        // kNoSlot: not cancellable
    std::uint32_t generation;  // the slot's when scheduled: another means cancelled
  };
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;
  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  struct Slot {
    std::uint32_t generation;
  };
  static constexpr std::uint32_t kArity = 2;

  bool dead(const Entry& e) const { return e.slot != kNoSlot && slots_[e.slot].generation != e.generation; }
  void release_slot(std::uint32_t slot) {
    ++slots_[slot].generation;  // handles and entries of it are stale now
    free_slots_.push_back(slot);
  }
  void sift_up(std::size_t hole, const Entry& e);
  void push(const Entry& e);
  void sift_down(std::size_t hole, const Entry& e);
  void pop_top();  // removes heap_[0]
  void drop_dead();

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t live_ = 0;  // entries not cancelled
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
};

}  // namespace sim
