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
// - A front slot beside the heap: an event scheduled before every pending
//   one (the end of a 30 ns bytecode segment while the other threads wait
//   for milliseconds) is kept out of the heap and is the next one popped,
//   with no sift either way. Callgrind: claim C10's scenario -13 %
//   instructions (5.32 G -> 4.61 G), the claims suite -10 % (10.70 G ->
//   9.62 G), but the 8-thread yardstick +3 % (798 M -> 823 M), where a new
//   event is rarely the earliest and the test costs a comparison per push.
// - The root left vacant by a pop until the next push or pop: most events'
//   handlers schedule one event (a timeout wakes a thread, a wake-up arms
//   a timer), which then takes the root and sifts down once, instead of the
//   last entry sifting down and the new one sifting up (the heap's
//   "replace top"). A new earliest event still takes the front slot, the
//   root staying vacant. Callgrind: the 8-thread yardstick -5 % (785.7 M ->
//   748.3 M), the claims suite +0.6 %; with a new earliest event put into
//   the vacant root instead, -6 % and +3.3 % (docs/speed.md).
// - A FIFO beside the heap for events that their scheduler expects to come
//   due in the order they were scheduled (schedule_fifo(): a GIL's timed
//   waits, each one switch interval from when it starts): appended at the
//   back, popped from the front, never sifted. The heap then holds only the
//   other events (on the 8-thread yardstick: the wake-ups in flight and the
//   holder's segment end instead of those and 7 timers). An event that
//   would break the FIFO's order goes into the heap instead, so the hint is
//   never wrong, only useless. Callgrind: the 8-thread yardstick 692.5 M
//   -> 666.1 M instructions when it came (-4 %); at the end of that branch,
//   646.0 M without it against 615.9 M with it (-5 %), the claims suite
//   8.343 G against 8.330 G (docs/speed.md). Unlike the FIFO lanes above, no
//   delay is guessed: only the caller knows which of its delays are
//   constant. A second FIFO, for the machine's wake-ups (each event into the
//   first FIFO it fits, every pop comparing both fronts), cost +9 % there
//   (631.0 M -> 689.5 M; not analysed further).
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
  [[gnu::always_inline]] EventHandle schedule(Time at, std::uint32_t kind, std::uint32_t target) {
    const std::uint32_t slot = take_slot();
    const std::uint32_t generation = slots_[slot].generation;
    push(Entry{static_cast<std::uint64_t>(at), next_seq_++, kind, target, slot, generation});
    return EventHandle{slot, generation};
  }
  // The same, for an event its caller expects to come due after every event
  // it scheduled this way before (a constant delay from now): it waits in a
  // FIFO, unsifted (see the header's top). One that does not (earlier than
  // the FIFO's last, or before the front slot's) goes where schedule() puts
  // it; either way the events come out by (time, sequence).
  [[gnu::always_inline]] EventHandle schedule_fifo(Time at, std::uint32_t kind, std::uint32_t target) {
    const bool in_order = fifo_size_ == 0 || at >= static_cast<Time>(fifo_back().time);
    if (!in_order || (has_front_ && at < static_cast<Time>(front_.time))) [[unlikely]]
      return schedule(at, kind, target);
    if (at < now_) [[unlikely]] fail("event scheduled in the past");
    const std::uint32_t slot = take_slot();
    const std::uint32_t generation = slots_[slot].generation;
    if (fifo_size_ == fifo_.size()) [[unlikely]] grow_fifo();
    fifo_[(fifo_head_ + fifo_size_) & (fifo_.size() - 1)] =
        Entry{static_cast<std::uint64_t>(at), next_seq_++, kind, target, slot, generation};
    ++fifo_size_;
    ++live_;
    return EventHandle{slot, generation};
  }
  // The same for an event that is never cancelled (it takes no slot).
  // Always inline: a wake-up posts one per event, and the call cost more
  // than the push's usual work.
  [[gnu::always_inline]] void post(Time at, std::uint32_t kind, std::uint32_t target) {
    push(Entry{static_cast<std::uint64_t>(at), next_seq_++, kind, target, kNoSlot, 0});
  }
  // Removes a pending event. A handle that already fired or was cancelled is
  // ignored, so callers may cancel unconditionally. Resets the handle.
  void cancel(EventHandle& h) {
    // Most calls come after the event fired (a segment's end stops the
    // segment it ended): nothing to do but forget the handle, inline.
    if (pending(h)) remove(h.slot);
    h = EventHandle{};
  }
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
  std::size_t entries() const {
    return heap_.size() - (root_vacant_ ? 1 : 0) + (has_front_ ? 1 : 0) + fifo_size_;
  }

  // Removes and returns the earliest pending event and advances now() to its
  // time. The queue must not be empty().
  Event pop() {
    Entry top;
    for (;;) {
      if (has_front_) {
        has_front_ = false;
        if (dead(front_)) continue;
        top = front_;
        break;
      }
      if (fifo_size_ > 0) {
        const Entry& f = fifo_[fifo_head_];
        if (slots_[f.slot].generation != f.generation) {  // dead (the FIFO's entries all have slots)
          pop_fifo();
          continue;
        }
        // The FIFO's front goes first if it is before the heap's earliest
        // (with the root vacant, before both of its children; a dead entry
        // there is dropped below, and the FIFO's front then compared again).
        const Entry* const h = heap_.data();
        const std::size_t n = heap_.size();
        const bool first = root_vacant_ ? n == 1 || (before(f, h[1]) && (n == 2 || before(f, h[2])))
                                        : n == 0 || before(f, h[0]);
        if (first) {
          top = f;
          pop_fifo();
          break;
        }
      }
      if (root_vacant_) {
        root_vacant_ = false;
        pop_top();
      }
      if (dead(heap_.front())) {
        pop_top();
        continue;
      }
      top = heap_.front();
      // The root is left vacant: the handler of this event usually schedules
      // one, which then fills it with one sift down (see the header's top).
      root_vacant_ = true;
      break;
    }
    if (top.slot != kNoSlot) release_slot(top.slot);
    --live_;
    // The heap order guarantees this; a failure here is a kernel bug, not bad input.
    if (static_cast<Time>(top.time) < now_) [[unlikely]] fail("event queue went back in time");
    now_ = static_cast<Time>(top.time);
    ++processed_;
    return Event{now_, top.seq, top.kind, top.target};
  }

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
  std::uint32_t take_slot() {
    if (free_slots_.empty()) [[unlikely]] {
      slots_.push_back(Slot{0});
      return static_cast<std::uint32_t>(slots_.size() - 1);
    }
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  const Entry& fifo_back() const { return fifo_[(fifo_head_ + fifo_size_ - 1) & (fifo_.size() - 1)]; }
  void pop_fifo() {
    fifo_head_ = (fifo_head_ + 1) & (fifo_.size() - 1);
    --fifo_size_;
  }
  void grow_fifo();  // doubles the ring, its entries in order from index 0
  void release_slot(std::uint32_t slot) {
    ++slots_[slot].generation;  // handles and entries of it are stale now
    free_slots_.push_back(slot);
  }
  // The hot paths are inline (a call per event cost more than the work of
  // most pushes: the new entry usually stays at the bottom); the error paths
  // are cold and out of line.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail(const char* what);
  // The entry `e` goes into `hole` or above it.
  void sift_up(std::size_t hole, const Entry& e) {
    Entry* const h = heap_.data();
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!before(e, h[parent])) break;
      h[hole] = h[parent];
      hole = parent;
    }
    h[hole] = e;
  }
  [[gnu::always_inline]] void push(const Entry& e) {
    if (static_cast<Time>(e.time) < now_) [[unlikely]] fail("event scheduled in the past");
    ++live_;
    // The front slot takes an event before everything pending: the FIFO's front too.
    if (!has_front_ && (fifo_size_ == 0 || before(e, fifo_[fifo_head_]))) {
      if (root_vacant_) {
        // The heap's earliest is a child of the hole. An event before it
        // still takes the front slot (the hole stays for a later push).
        const Entry* const h = heap_.data();
        const std::size_t n = heap_.size();
        if (n == 1 || (before(e, h[1]) && (n == 2 || before(e, h[2])))) {
          front_ = e;
          has_front_ = true;
          return;
        }
      } else if (heap_.empty() || before(e, heap_.front())) {
        front_ = e;
        has_front_ = true;
        return;
      }
    } else if (before(e, front_)) {
      heap_push(front_);
      front_ = e;
      return;
    }
    heap_push(e);
  }
  [[gnu::always_inline]] void heap_push(const Entry& e) {
    if (root_vacant_) {
      root_vacant_ = false;
      sift_down(0, e);
      return;
    }
    heap_.emplace_back();
    sift_up(heap_.size() - 1, e);
  }
  void sift_down(std::size_t hole, const Entry& e);
  void pop_top() {  // removes heap_[0]
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0, last);
  }
  void drop_dead();
  void remove(std::uint32_t slot);  // cancel()'s work on a pending event

  // The earliest pending event, when it was scheduled before everything in
  // the heap: it is popped next without touching the heap (see above).
  Entry front_{};
  bool has_front_ = false;
  // heap_[0] is a hole: the last event popped from the heap was taken from
  // it, and the next push fills it, or the next pop or drop_dead() closes it.
  bool root_vacant_ = false;
  std::vector<Entry> heap_;
  // schedule_fifo()'s events, in (time, sequence) order: a ring of a power
  // of two entries, the first at fifo_head_.
  std::vector<Entry> fifo_;
  std::size_t fifo_head_ = 0, fifo_size_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t live_ = 0;  // entries not cancelled
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
};

}  // namespace sim
