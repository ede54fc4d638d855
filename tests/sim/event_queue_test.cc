#include "sim/event_queue.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <utility>
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

TEST_CASE("cancelled far-future events are dropped in bulk: the heap stays small and the order holds") {
  EventQueue q;
  // A timer far ahead, cut short and rescheduled again and again, beside a
  // few near events: the pattern of a GIL holder's segment and its waiters.
  std::vector<sim::EventHandle> far;
  for (int i = 0; i < 4; ++i) q.schedule(i, 1, static_cast<std::uint32_t>(i));
  for (int round = 0; round < 100000; ++round) {
    far.push_back(q.schedule(q.now() + 1'000'000'000, 2, 0));
    if (far.size() > 1) q.cancel(far[far.size() - 2]);
    const sim::Event e = q.pop();
    CHECK(e.kind == 1);
    q.schedule(e.time + 4, 1, e.target);
  }
  CHECK(q.size() == 5);
  CHECK(q.entries() < 200);  // not 100000: dead entries went in bulk
  // What is left comes out in order, the one live far event last.
  sim::Time last = q.now();
  std::size_t n = 0;
  while (!q.empty()) {
    const sim::Event e = q.pop();
    CHECK(e.time >= last);
    last = e.time;
    ++n;
  }
  CHECK(n == 5);
  CHECK(last == 99998 + 1'000'000'000);  // scheduled in the last round, when now was 99998
}

TEST_CASE("the heap's order is (time, sequence) after mass cancellations at every size") {
  for (std::uint32_t size : {2u, 5u, 17u, 64u, 65u, 300u, 5000u}) {
    EventQueue q;
    std::vector<sim::EventHandle> h;
    for (std::uint32_t i = 0; i < size; ++i) h.push_back(q.schedule((i * 7919) % 97, 0, i));
    for (std::uint32_t i = 0; i < size; ++i)
      if (i % 5 != 0) q.cancel(h[i]);
    sim::Event prev{-1, 0, 0, 0};
    std::uint32_t n = 0;
    while (!q.empty()) {
      const sim::Event e = q.pop();
      CHECK(e.target % 5 == 0);
      CHECK((e.time > prev.time || (e.time == prev.time && e.seq > prev.seq)));
      prev = e;
      ++n;
    }
    CHECK(n == (size + 4) / 5);
  }
}

TEST_CASE("posted events (never cancelled) and scheduled ones come out in one order") {
  EventQueue q;
  q.post(20, 1, 1);
  auto a = q.schedule(10, 2, 2);
  q.post(10, 1, 3);
  auto b = q.schedule(20, 2, 4);
  q.cancel(b);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().target);
  CHECK(order == std::vector<std::uint32_t>{2, 3, 1});
  CHECK_FALSE(q.pending(a));  // fired
  CHECK(q.slot_capacity() == 2);  // only the two scheduled events took a slot
}

TEST_CASE("the front slot: an earliest event scheduled, displaced, cancelled, or tied, keeps (time, order)") {
  EventQueue q;
  q.post(50, 0, 1);                  // the heap is empty: into the front slot
  q.post(40, 0, 2);                  // earlier: displaces it into the heap
  auto c = q.schedule(30, 0, 3);     // earlier again, then cancelled in the slot
  q.post(40, 0, 4);                  // ties with 2, scheduled after it
  q.cancel(c);
  CHECK(q.size() == 3);
  CHECK(q.pop().target == 2);
  q.post(45, 0, 5);                  // after the heap's top (4, at 40): into the heap
  CHECK(q.pop().target == 4);
  CHECK(q.pop().target == 5);
  q.post(50, 0, 6);                  // ties with 1 (in the heap): after it
  CHECK(q.pop().target == 1);
  CHECK(q.pop().target == 6);
  CHECK(q.empty());
  CHECK(q.processed() == 5);
}

TEST_CASE("the front slot and the heap together give the same order as sorting, with cancellations") {
  EventQueue q;
  std::vector<sim::EventHandle> handles;
  std::uint64_t x = 12345;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  std::vector<std::uint32_t> order;
  std::vector<bool> cancelled;
  std::vector<sim::Time> when;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    // Interleave pops with pushes, some of them the new earliest event.
    const sim::Time at = q.now() + static_cast<sim::Time>(next() >> 60);
    when.push_back(at);
    handles.push_back(q.schedule(at, 0, i));
    cancelled.push_back(false);
    if (next() % 7 == 0) {
      const std::uint32_t k = static_cast<std::uint32_t>(next() % handles.size());
      if (q.pending(handles[k])) cancelled[k] = true;
      q.cancel(handles[k]);
    }
    if (next() % 2 == 0 && !q.empty()) order.push_back(q.pop().target);
  }
  while (!q.empty()) order.push_back(q.pop().target);
  for (std::size_t i = 1; i < order.size(); ++i) {
    const auto a = order[i - 1], b = order[i];
    CHECK((when[a] < when[b] || (when[a] == when[b] && a < b)));  // targets are the scheduling order
  }
  for (auto t : order) CHECK_FALSE(cancelled[t]);
  std::size_t live = 0;
  for (bool c : cancelled) live += c ? 0 : 1;
  CHECK(order.size() == live);
}

TEST_CASE("the root a pop leaves vacant: filled by the next push, or closed by a pop or a mass cancellation") {
  EventQueue q;
  q.post(10, 0, 1);  // front slot
  q.post(20, 0, 2);
  q.post(30, 0, 3);
  q.post(40, 0, 4);
  CHECK(q.pop().target == 1);  // from the front slot: no hole
  CHECK(q.pop().target == 2);  // from the heap: its root is vacant now
  CHECK(q.entries() == 2);     // the hole is not an entry
  q.post(35, 0, 5);            // after the heap's earliest (3): fills the hole
  q.post(25, 0, 6);            // before it: the front slot
  CHECK(q.pop().target == 6);
  CHECK(q.pop().target == 3);  // leaves a hole that no push fills
  CHECK(q.pop().target == 5);  // closes it first
  // A hole, then cancellations that outnumber the live events: drop_dead()
  // must close the hole before it rebuilds the heap.
  std::vector<sim::EventHandle> far;
  for (std::uint32_t i = 0; i < 20; ++i) far.push_back(q.schedule(1000 + i, 0, 100 + i));
  CHECK(q.pop().target == 4);  // the heap's root: vacant
  for (auto& h : far) q.cancel(h);
  CHECK(q.empty());
  CHECK(q.entries() <= 8);
  q.post(2000, 0, 7);
  CHECK(q.pop().target == 7);
  CHECK(q.empty());
}

// Pops and pushes in a random mix, as event handlers make them: 0-2 pushes
// before each pop (`schedule(q, r, target)` makes one from the random number
// r and returns its time and handle), and one cancellation in
// `cancel_one_in`. Every event not cancelled must come out once, by time and
// then by the order it was scheduled.
template <class Schedule>
void check_random_mix(std::uint64_t seed, int steps, std::uint64_t cancel_one_in, Schedule schedule) {
  EventQueue q;
  std::uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  std::vector<sim::Time> when;
  std::vector<sim::EventHandle> handles;
  std::vector<std::uint32_t> order;
  std::size_t cancelled = 0;
  for (int step = 0; step < steps; ++step) {
    const int pushes = static_cast<int>(next() % 3);
    for (int k = 0; k < pushes; ++k) {
      const auto [at, h] = schedule(q, next(), static_cast<std::uint32_t>(when.size()));
      when.push_back(at);
      handles.push_back(h);
    }
    if (next() % cancel_one_in == 0 && !handles.empty()) {
      auto& h = handles[next() % handles.size()];
      if (q.pending(h)) ++cancelled;
      q.cancel(h);
    }
    if (!q.empty()) order.push_back(q.pop().target);
  }
  while (!q.empty()) order.push_back(q.pop().target);
  for (std::size_t i = 1; i < order.size(); ++i) {
    const auto a = order[i - 1], b = order[i];
    CHECK((when[a] < when[b] || (when[a] == when[b] && a < b)));
  }
  CHECK(order.size() + cancelled == when.size());  // every event not cancelled, once
}

TEST_CASE("pops and pushes in any mix, with a vacant root, come out as sorting gives") {
  // Some pushes the earliest, some ties, some cancelled.
  check_random_mix(99, 5000, 5, [](EventQueue& q, std::uint64_t r, std::uint32_t i) {
    const sim::Time at = q.now() + static_cast<sim::Time>(r >> 61);
    return std::pair{at, q.schedule(at, 0, i)};
  });
}

TEST_CASE("schedule_fifo: events in order wait in the FIFO, others in the heap, and all come out as sorting gives") {
  // A mix as a GIL's waiters make: timers a constant delay ahead (now and
  // then one out of order, which the heap takes), near events, ties,
  // cancellations, and far events cancelled in bulk.
  check_random_mix(7, 20000, 3, [](EventQueue& q, std::uint64_t r, std::uint32_t i) {
    if (r % 3 == 0) {
      const sim::Time at = q.now() + ((r >> 8) % 16 == 0 ? 3 : 50);
      return std::pair{at, q.schedule_fifo(at, 0, i)};
    }
    const sim::Time at = q.now() + (r % 3 == 1 ? static_cast<sim::Time>(r >> 61) : 1'000'000);
    return std::pair{at, q.schedule(at, 0, i)};
  });
}

TEST_CASE("schedule_fifo: the FIFO wraps, grows, ties with the heap and the front slot, and drops its dead in bulk") {
  EventQueue q;
  // 40 timers in order: the ring grows past its first 16 entries.
  std::vector<sim::EventHandle> t;
  for (std::uint32_t i = 0; i < 40; ++i) t.push_back(q.schedule_fifo(100 + i, 0, i));
  q.post(100, 0, 1000);       // ties with the FIFO's front, scheduled after it
  q.post(5, 0, 1001);         // the front slot: before the FIFO's front
  auto late = q.schedule_fifo(90, 0, 1002);  // before the FIFO's last: into the heap
  CHECK(q.pending(late));
  CHECK(q.pop().target == 1001);
  CHECK(q.pop().target == 1002);
  CHECK(q.pop().target == 0);
  CHECK(q.pop().target == 1000);
  // Cancel all but every tenth: the dead outnumber the live, and go at once.
  for (std::uint32_t i = 1; i < 40; ++i)
    if (i % 10 != 0) q.cancel(t[i]);
  CHECK(q.size() == 3);
  CHECK(q.entries() <= 8);
  for (std::uint32_t i = 0; i < 20; ++i) q.schedule_fifo(200 + i, 0, 2000 + i);  // wraps around the ring
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().target);
  std::vector<std::uint32_t> expected{10, 20, 30};
  for (std::uint32_t i = 0; i < 20; ++i) expected.push_back(2000 + i);
  CHECK(order == expected);
}
