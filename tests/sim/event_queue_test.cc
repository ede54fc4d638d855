#include "sim/event_queue.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

using sim::EventQueue;

TEST_CASE("events come out by time, then by the order they were scheduled") {
  EventQueue q;
  q.schedule(30, 0, 3);
  q.schedule(10, 0, 1);
  q.schedule(20, 0, 20);
  q.schedule(20, 0, 21);
  q.schedule(10, 0, 2);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().target);
  CHECK(order == std::vector<std::uint32_t>{1, 2, 20, 21, 3});
  CHECK(q.now() == 30);
  CHECK(q.processed() == 5);
}

TEST_CASE("an event cannot be scheduled in the past") {
  EventQueue q;
  q.schedule(100, 0, 0);
  q.pop();
  CHECK_THROWS_AS(q.schedule(99, 0, 0), std::logic_error);
  CHECK_NOTHROW(q.schedule(100, 0, 0));
}

TEST_CASE("cancelled events never fire, and stale handles are ignored") {
  EventQueue q;
  auto a = q.schedule(10, 0, 1);
  auto b = q.schedule(20, 0, 2);
  auto c = q.schedule(30, 0, 3);
  CHECK(q.pending(b));
  q.cancel(b);
  CHECK_FALSE(q.pending(b));
  CHECK_FALSE(b.valid());
  CHECK(q.pop().target == 1);
  CHECK_FALSE(q.pending(a));  // fired
  q.cancel(a);                // cancelling a fired event does nothing...
  auto d = q.schedule(25, 0, 4);  // ...even when its slot is reused
  CHECK(q.pending(d));
  CHECK(q.pop().target == 4);
  CHECK(q.pending(c));
  CHECK(q.pop().target == 3);
  CHECK(q.empty());
}

TEST_CASE("cancelling from the middle of a large heap keeps the order") {
  EventQueue q;
  std::vector<sim::EventHandle> h;
  for (std::uint32_t i = 0; i < 1000; ++i) h.push_back(q.schedule((i * 7919) % 1000, 0, i));
  for (std::uint32_t i = 0; i < 1000; i += 3) q.cancel(h[i]);
  sim::Time last = -1;
  std::size_t n = 0;
  while (!q.empty()) {
    auto e = q.pop();
    CHECK(e.target % 3 != 0);
    CHECK(e.time >= last);
    last = e.time;
    ++n;
  }
  CHECK(n == 666);
}

TEST_CASE("memory does not grow with the number of events processed") {
  EventQueue q;
  // A steady state of 3 pending events, a million times over.
  for (int i = 0; i < 3; ++i) q.schedule(i, 0, 0);
  for (int i = 0; i < 1000000; ++i) {
    auto e = q.pop();
    q.schedule(e.time + 3, 0, 0);
  }
  CHECK(q.size() == 3);
  CHECK(q.slot_capacity() <= 4);
}
