#include "sim/event_queue.h"

#include <stdexcept>

namespace sim {

EventHandle EventQueue::schedule(Time at, std::uint32_t kind, std::uint32_t target) {
  if (at < now_) throw std::logic_error("event scheduled in the past");
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(Slot{kind, target, 0, 0});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot].kind = kind;
    slots_[slot].target = target;
  }
  auto pos = static_cast<std::uint32_t>(heap_.size());
  heap_.push_back(Entry{at, next_seq_++, slot});
  slots_[slot].heap_pos = pos;
  sift_up(pos);
  return EventHandle{slot, slots_[slot].generation};
}

bool EventQueue::pending(const EventHandle& h) const {
  return h.valid() && h.slot < slots_.size() && slots_[h.slot].generation == h.generation &&
         slots_[h.slot].heap_pos != UINT32_MAX;
}

void EventQueue::cancel(EventHandle& h) {
  if (pending(h)) remove_at(slots_[h.slot].heap_pos);
  h = EventHandle{};
}

Event EventQueue::pop() {
  const Entry top = heap_.front();
  const Slot& s = slots_[top.slot];
  Event e{top.time, top.seq, s.kind, s.target};
  remove_at(0);
  // The heap order guarantees this; a failure here is a kernel bug, not bad input.
  if (e.time < now_) throw std::logic_error("event queue went back in time");
  now_ = e.time;
  ++processed_;
  return e;
}

void EventQueue::remove_at(std::uint32_t pos) {
  std::uint32_t slot = heap_[pos].slot;
  slots_[slot].heap_pos = UINT32_MAX;
  ++slots_[slot].generation;  // stale handles to this slot now fail pending()
  free_slots_.push_back(slot);
  Entry last = heap_.back();
  heap_.pop_back();
  if (pos == heap_.size()) return;
  place(pos, last);
  if (pos > 0 && before(last, heap_[(pos - 1) / 2])) {
    sift_up(pos);
  } else {
    sift_down(pos);
  }
}

void EventQueue::sift_up(std::uint32_t pos) {
  Entry e = heap_[pos];
  while (pos > 0) {
    std::uint32_t parent = (pos - 1) / 2;
    if (!before(e, heap_[parent])) break;
    place(pos, heap_[parent]);
    pos = parent;
  }
  place(pos, e);
}

void EventQueue::sift_down(std::uint32_t pos) {
  Entry e = heap_[pos];
  const auto n = static_cast<std::uint32_t>(heap_.size());
  for (;;) {
    std::uint32_t child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], e)) break;
    place(pos, heap_[child]);
    pos = child;
  }
  place(pos, e);
}

}  // namespace sim
