#include "sim/random.h"

#include <doctest/doctest.h>

#include <cmath>

#include "sim/distribution.h"

using sim::Distribution;
using sim::Rng;

TEST_CASE("the same seed and stream give the same numbers, other streams differ") {
  Rng a(42, 3), b(42, 3), c(42, 4), d(43, 3);
  bool differs_c = false, differs_d = false;
  for (int i = 0; i < 100; ++i) {
    auto x = a.next_u64();
    CHECK(x == b.next_u64());
    differs_c |= x != c.next_u64();
    differs_d |= x != d.next_u64();
  }
  CHECK(differs_c);
  CHECK(differs_d);
}

TEST_CASE("the generator is the same on every machine") {
  // A guard against an accidental change of algorithm or seeding: these values
  // were printed by this implementation (xoshiro256** seeded by SplitMix64),
  // and every platform must reproduce them for traces to be byte-identical.
  Rng r(1, 0);
  const std::uint64_t first = r.next_u64();
  const std::uint64_t second = r.next_u64();
  Rng again(1, 0);
  CHECK(again.next_u64() == first);
  CHECK(first != second);
  CHECK(first == 13448397344418310453ULL);
}

TEST_CASE("uniform01 lies in the half-open unit interval with mean 1/2, and below(n) is in range and unbiased") {
  Rng r(7);
  double sum = 0;
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 300000; ++i) {
    double u = r.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    auto k = r.below(3);
    REQUIRE(k < 3);
    ++counts[k];
  }
  CHECK(sum / 300000 == doctest::Approx(0.5).epsilon(0.01));
  for (int c : counts) CHECK(c == doctest::Approx(100000).epsilon(0.02));
}

TEST_CASE("distributions have the documented means") {
  Rng r(11);
  auto mean_of = [&](const Distribution& d) {
    double s = 0;
    for (int i = 0; i < 200000; ++i) s += static_cast<double>(d.sample(r));
    return s / 200000;
  };
  Distribution exp{Distribution::Kind::Exp, 1000000, 0, 0, {}};
  CHECK(mean_of(exp) == doctest::Approx(1e6).epsilon(0.02));
  Distribution uni{Distribution::Kind::Uniform, 1000, 3000, 0, {}};
  CHECK(mean_of(uni) == doctest::Approx(2000).epsilon(0.01));
  Distribution norm{Distribution::Kind::Normal, 5000, 1000, 0, {}};
  CHECK(mean_of(norm) == doctest::Approx(5000).epsilon(0.01));
  Distribution logn{Distribution::Kind::Lognormal, 2000, 0, 0.5, {}};
  CHECK(mean_of(logn) == doctest::Approx(logn.mean()).epsilon(0.02));
  Distribution choice{Distribution::Kind::Choice, 0, 0, 0, {{0.9, 1000}, {0.1, 50000}}};
  CHECK(mean_of(choice) == doctest::Approx(0.9 * 1000 + 0.1 * 50000).epsilon(0.03));
}

TEST_CASE("a normal distribution is truncated at zero, never negative") {
  Rng r(5);
  Distribution d{Distribution::Kind::Normal, 1000, 5000, 0, {}};
  for (int i = 0; i < 100000; ++i) REQUIRE(d.sample(r) >= 0);
}

TEST_CASE("nearest_ns rounds as std::llround does, halves away from zero") {
  const double cases[] = {0.0, 0.49999999999999994, 0.5, 1.5, 2.5, 2.4999999999999996, 1e9 + 0.5, 123456.789,
                          4503599627370495.5, 4503599627370496.0, 9007199254740991.0, 9007199254740993.0, 1e17 + 3,
                          -0.5, -2.5, -1e-300};
  for (double x : cases) CHECK(sim::nearest_ns(x) == std::llround(x));
  sim::Rng rng(7, 7);
  for (int i = 0; i < 100000; ++i) {
    const double x = rng.exponential(200.0) * (1 + rng.uniform01());
    CHECK(sim::nearest_ns(x) == std::llround(x));
  }
}
