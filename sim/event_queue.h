// The pending-event set: a binary min-heap ordered by (time, sequence number).
//
// Trade-offs (cf. ns-3's scheduler.h): a binary heap gives O(log n) push/pop
// with no allocation once its arrays have grown to the peak number of pending
// events, which in gilsim is a few per simulated thread. Cancellation is exact
// (the entry is removed from the heap, not marked dead), so a cancelled GIL
// wait timeout costs nothing later and memory never grows with the number of
// events processed. Every entry lives in a slot that knows its heap position;
// freed slots are reused, and a handle carries the slot's generation so that a
// stale handle (an event that already fired) is recognised and ignored.
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
  // Schedules an event at absolute time `at`, which must not lie before now().
  EventHandle schedule(Time at, std::uint32_t kind, std::uint32_t target);
  // Removes a pending event. A handle that already fired or was cancelled is
  // ignored, so callers may cancel unconditionally. Resets the handle.
  void cancel(EventHandle& h);
  bool pending(const EventHandle& h) const;

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  Time now() const { return now_; }
  std::uint64_t processed() const { return processed_; }
  // Slots ever allocated: the peak number of pending events, not the total.
  std::size_t slot_capacity() const { return slots_.size(); }

  // Removes and returns the earliest event and advances now() to its time.
  Event pop();

 private:
  struct Entry {  // what the heap orders; 24 bytes so sift loops stay in cache
    Time time;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct Slot {
    std::uint32_t kind;
    std::uint32_t target;
    std::uint32_t heap_pos;  // UINT32_MAX when free
    std::uint32_t generation;
  };

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  void sift_up(std::uint32_t pos);
  void sift_down(std::uint32_t pos);
  void place(std::uint32_t pos, const Entry& e) {
    heap_[pos] = e;
    slots_[e.slot].heap_pos = pos;
  }
  void remove_at(std::uint32_t pos);

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
};

}  // namespace sim
