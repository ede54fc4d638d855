#include "sim/event_queue.h"

#include <algorithm>
#include <stdexcept>

namespace sim {

void EventQueue::fail(const char* what) { throw std::logic_error(what); }

void EventQueue::remove(std::uint32_t slot) {
  release_slot(slot);
  --live_;
  // Dead entries are dropped when they reach the top; when they outnumber
  // the live ones (cancelled far-future events pile up), all at once.
  if (entries() > 8 && entries() > 2 * live_) drop_dead();
}

void EventQueue::grow_fifo() {
  std::vector<Entry> ring(fifo_.empty() ? 16 : 2 * fifo_.size());
  for (std::size_t i = 0; i < fifo_size_; ++i) ring[i] = fifo_[(fifo_head_ + i) & (fifo_.size() - 1)];
  fifo_.swap(ring);
  fifo_head_ = 0;
}

void EventQueue::drop_dead() {
  if (root_vacant_) {
    root_vacant_ = false;
    pop_top();
  }
  if (has_front_ && dead(front_)) has_front_ = false;
  // The FIFO keeps its order: its live entries close up behind its front
  // (the k-th kept goes where the k-th was, never past one not yet read).
  const std::size_t mask = fifo_.size() - 1;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < fifo_size_; ++i) {
    const Entry& e = fifo_[(fifo_head_ + i) & mask];
    if (!dead(e)) fifo_[(fifo_head_ + kept++) & mask] = e;
  }
  fifo_size_ = kept;
  std::erase_if(heap_, [this](const Entry& e) { return dead(e); });
  // Floyd's heap construction, bottom up: O(n).
  if (heap_.size() > 1)
    for (std::size_t i = (heap_.size() - 2) / kArity + 1; i-- > 0;) {
      const Entry e = heap_[i];  // a copy: sift_down writes over heap_[i]
      sift_down(i, e);
    }
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
