// Statistics kept as a run goes: time-weighted levels and summaries.
#include "sim/stats.h"

#include <doctest/doctest.h>

#include <initializer_list>

TEST_SUITE("stats") {
  TEST_CASE("TimeWeighted: the mean is the level's integral over the time") {
    sim::TimeWeighted w;
    w.set(0, 2);
    w.add(10, 1);   // 2 for [0, 10)
    w.set(20, 0);   // 3 for [10, 20)
    CHECK(w.mean(40) == doctest::Approx((2 * 10 + 3 * 10) / 40.0));
    CHECK(w.level() == 0);
    CHECK(w.mean(0) == 0);
  }

  TEST_CASE("TimeWeighted: the maximum counts only levels held for some time") {
    sim::TimeWeighted w;
    w.add(5, 1);
    w.add(7, 1);   // 2 ...
    w.add(7, -1);  // ... for no time at all: a core taken and left in one nanosecond
    CHECK(w.max() == 1);
    w.add(9, 1);
    w.add(10, -1);  // 2 for [9, 10)
    CHECK(w.max() == 2);
  }

  TEST_CASE("TimeWeighted: the current level counts toward the maximum (it lasts to the end)") {
    sim::TimeWeighted w;
    w.set(3, 4);
    CHECK(w.max() == 4);
  }

  TEST_CASE("TimeWeighted: the integral is exact past 2^63") {
    sim::TimeWeighted w;
    w.set(0, 1'000'000'000);
    const sim::Time end = 4'000'000'000'000'000'000;  // 4e18 ns, a level of 1e9: 4e27
    CHECK(w.mean(end) == doctest::Approx(1e9));
  }

  TEST_CASE("Summary: count, sum, mean, min and max") {
    sim::Summary s;
    CHECK(s.mean() == 0);
    CHECK(s.min() == 0);
    for (double x : {3.0, 1.0, 2.0}) s.add(x);
    CHECK(s.count() == 3);
    CHECK(s.sum() == 6);
    CHECK(s.mean() == 2);
    CHECK(s.min() == 1);
    CHECK(s.max() == 3);
  }
}
