#include "sim/event_queue.h"

#include <algorithm>
#include <stdexcept>

namespace sim {

EventHandle EventQueue::schedule(Time at, std::uint32_t kind, std::uint32_t target) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(Slot{0});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  const std::uint32_t generation = slots_[slot].generation;
  push(Entry{static_cast<std::uint64_t>(at), next_seq_++, kind, target, slot, generation});
  return EventHandle{slot, generation};
}

void EventQueue::post(Time at, std::uint32_t kind, std::uint32_t target) {
  push(Entry{static_cast<std::uint64_t>(at), next_seq_++, kind, target, kNoSlot, 0});
}

void EventQueue::push(const Entry& e) {
  if (static_cast<Time>(e.time) < now_) throw std::logic_error("event scheduled in the past");
  heap_.emplace_back();
  sift_up(heap_.size() - 1, e);
  ++live_;
}

void EventQueue::cancel(EventHandle& h) {
  if (pending(h)) {
    release_slot(h.slot);
    --live_;
    // Dead entries are dropped when they reach the top; when they outnumber
    // the live ones (cancelled far-future events pile up), all at once.
    if (heap_.size() > 8 && heap_.size() > 2 * live_) drop_dead();
  }
  h = EventHandle{};
}

Event EventQueue::pop() {
  while (dead(heap_.front())) pop_top();
  const Entry top = heap_.front();
  const Event e{static_cast<Time>(top.time), top.seq, top.kind, top.target};
  pop_top();
  if (top.slot != kNoSlot) release_slot(top.slot);
  --live_;
  // The heap order guarantees this; a failure here is a kernel bug, not bad input.
  if (e.time < now_) throw std::logic_error("event queue went back in time");
  now_ = e.time;
  ++processed_;
  return e;
}

void EventQueue::pop_top() {
  const Entry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
}

void EventQueue::drop_dead() {
  std::erase_if(heap_, [this](const Entry& e) { return dead(e); });
  // Floyd's heap construction, bottom up: O(n).
  if (heap_.size() > 1)
    for (std::size_t i = (heap_.size() - 2) / kArity + 1; i-- > 0;) {
      const Entry e = heap_[i];  // a copy: sift_down writes over heap_[i]
      sift_down(i, e);
    }
}

// The entry `e` goes into `hole` or above it.
void EventQueue::sift_up(std::size_t hole, const Entry& e) {
  Entry* const h = heap_.data();
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!before(e, h[parent])) break;
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = e;
}

// The entry `e` goes into `hole` or below it.
void EventQueue::sift_down(std::size_t hole, const Entry& e) {
  static_assert(kArity == 2);
  const std::size_t n = heap_.size();
  Entry* const h = heap_.data();
  for (;;) {
    std::size_t child = 2 * hole + 1;
    if (child >= n) break;
    if (child + 1 < n && before(h[child + 1], h[child])) ++child;
    if (!before(h[child], e)) break;
    h[hole] = h[child];
    hole = child;
  }
  h[hole] = e;
}

}  // namespace sim
