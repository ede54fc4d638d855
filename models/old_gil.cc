#include "models/old_gil.h"

namespace models {

OldGil::OldGil(sim::EventQueue& events, Machine& machine, int threads)
    : events_(events), lock_(machine, threads) {}

bool OldGil::take(int tid) {
  const std::uint64_t before = lock_.handoffs();
  if (!lock_.take(tid)) {
    recorder_.waiters(events_.now(), lock_.blocked_count());
    return false;
  }
  recorder_.taken(events_.now(), tid, lock_.handoffs() != before);
  return true;
}

OldGil::Post OldGil::release(int tid) {
  recorder_.released(events_.now(), tid);
  const Post post = lock_.release(tid);
  if (post == Post::WokeOne) recorder_.waiters(events_.now(), lock_.blocked_count());
  return post;
}

}  // namespace models
