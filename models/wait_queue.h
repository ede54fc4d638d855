// The threads waiting for a core, in the order they came: what a policy's
// run queue keeps when, as gilsim's policies do, it scans it in order instead
// of keeping Linux's red-black tree (gilsim's queues hold a few threads, and
// the order of the scan is the tie-break: the thread that waited longest).
#pragma once

#include <cstddef>
#include <vector>

namespace models {

class WaitQueue {
 public:
  // A ring sized for every thread (plus one), so that it never reallocates.
  explicit WaitQueue(int threads) : ring_(static_cast<std::size_t>(threads) + 1) {}

  std::size_t size() const { return size_; }
  // The i-th waiting thread, the longest-waiting first.
  int at(std::size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  void push(int tid) {
    ring_[(head_ + size_) % ring_.size()] = tid;
    ++size_;
  }
  // Whether a waiting thread satisfies `pred` (a policy's waiting_for: one may run on a core).
  template <class Pred>
  bool any(Pred pred) const {
    for (std::size_t i = 0; i < size_; ++i)
      if (pred(at(i))) return true;
    return false;
  }
  // Removes the i-th waiting thread and returns it.
  int take(std::size_t i) {
    const int tid = at(i);
    // Close the gap: shift the threads queued before it one place back.
    const std::size_t cap = ring_.size();
    for (std::size_t j = i; j > 0; --j) ring_[(head_ + j) % cap] = ring_[(head_ + j - 1) % cap];
    head_ = (head_ + 1) % cap;
    --size_;
    return tid;
  }

 private:
  std::vector<int> ring_;
  std::size_t head_ = 0, size_ = 0;
};

}  // namespace models
