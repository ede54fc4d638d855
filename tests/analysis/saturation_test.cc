// Saturation points from a load sweep (analysis/saturation.cc): a server of
// known capacity is found where it is, the crossing is interpolated within
// its bracket, replications are averaged, and bad input is an error value.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "analysis/saturation.h"

using analysis::Crossing;
using analysis::find_saturation;
using analysis::LoadPoint;

namespace {

// A server of capacity `mu` under an offered load: it answers all of a load
// below mu and mu past it. Latency: an M/M/1's mean 1/(mu - load) below
// capacity, and a backlog that grows to 10 s past it.
LoadPoint server(double mu, double load) {
  const double latency = load < mu ? 1 / (mu - load) : 10.0;
  return {load, load, std::min(load, mu), {latency}};
}

}  // namespace

TEST_CASE("a server of capacity 50/s saturates between the loads around 50") {
  std::vector<LoadPoint> pts;
  for (double load : {10.0, 20.0, 30.0, 40.0, 45.0, 60.0, 80.0}) pts.push_back(server(50, load));
  // p99-like limit of 100 ms: 1/(50 - load) <= 0.1 up to load 40.
  const auto s = find_saturation(pts, 0.05, {0.1});
  REQUIRE(s.ok());
  CHECK(s.loads == 7);
  CHECK(s.points == 7);
  CHECK(s.capacity == 50);
  CHECK(s.capacity_load == 60);
  CHECK(s.at_highest == 50);  // at 80: min(80, 50)
  CHECK(s.saturates.where == Crossing::Where::Between);
  CHECK(s.saturates.lo == 45);
  CHECK(s.saturates.hi == 60);
  // The ratio throughput/offered goes 1 at 45 to 50/60 at 60: it crosses 0.95
  // at 45 + 15 x 0.05 / (1 - 5/6) = 49.5.
  CHECK(s.saturates.at == doctest::Approx(49.5));
  REQUIRE(s.objectives.size() == 1);
  // 1/(50 - 45) = 0.2 s > 0.1 s: fails at 45, passes at 40 (exactly 0.1).
  CHECK(s.objectives[0].where == Crossing::Where::Between);
  CHECK(s.objectives[0].lo == 40);
  CHECK(s.objectives[0].hi == 45);
  CHECK(s.objectives[0].at == doctest::Approx(40));  // the margin is 0 at 40
}

TEST_CASE("points in any order; replications at one load are averaged") {
  // At 60/s, two replications: 48 and 52 answered, 58 and 62 offered: mean 50 of 60.
  std::vector<LoadPoint> pts = {{60, 62, 52, {}}, {20, 20, 20, {}}, {60, 58, 48, {}}, {40, 40, 40, {}}};
  const auto s = find_saturation(pts, 0.0, {});
  REQUIRE(s.ok());
  CHECK(s.loads == 3);
  CHECK(s.points == 4);
  CHECK(s.capacity == 50);
  CHECK(s.saturates.where == Crossing::Where::Between);
  CHECK(s.saturates.lo == 40);
  CHECK(s.saturates.hi == 60);
  // Tolerance 0: fails as soon as the ratio is below 1; from 1 at 40 to 5/6
  // at 60, the zero of (1 - ratio) is at 40 itself.
  CHECK(s.saturates.at == doctest::Approx(40));
  CHECK(s.objectives.empty());
}

TEST_CASE("never saturated in the range, or saturated from the first load") {
  std::vector<LoadPoint> low, high;
  for (double load : {10.0, 20.0, 30.0}) {
    low.push_back(server(1000, load));
    high.push_back(server(5, load));
  }
  const auto never = find_saturation(low, 0.05, {1.0});
  REQUIRE(never.ok());
  CHECK(never.saturates.where == Crossing::Where::Beyond);
  CHECK(never.saturates.lo == 30);
  CHECK(never.saturates.at == 30);
  CHECK(never.objectives[0].where == Crossing::Where::Beyond);
  CHECK(never.capacity == 30);  // the most it was asked for

  const auto always = find_saturation(high, 0.05, {1.0});
  REQUIRE(always.ok());
  CHECK(always.saturates.where == Crossing::Where::Below);
  CHECK(always.saturates.hi == 10);
  CHECK(always.objectives[0].where == Crossing::Where::Below);
  CHECK(always.capacity == 5);
}

TEST_CASE("the first failure counts, even if a higher load passes again") {
  std::vector<LoadPoint> pts = {{10, 10, 10, {0.05}}, {20, 20, 20, {0.3}}, {30, 30, 30, {0.05}}};
  const auto s = find_saturation(pts, 0.05, {0.1});
  REQUIRE(s.ok());
  CHECK(s.objectives[0].hi == 20);
  CHECK(s.objectives[0].at == doctest::Approx(10 + 10 * 0.05 / 0.25));
}

TEST_CASE("bad input is an error value") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<LoadPoint> two = {{10, 10, 10, {}}, {20, 20, 20, {}}};
  CHECK(find_saturation({{10, 10, 10, {}}}, 0.05, {}).error.find("at least 2 different loads") !=
        std::string::npos);
  CHECK(find_saturation({{10, 10, 10, {}}, {10, 10, 10, {}}}, 0.05, {}).error.find("got 1") != std::string::npos);
  CHECK(find_saturation(two, 1.0, {}).error.find("tolerance") != std::string::npos);
  CHECK(find_saturation(two, -0.1, {}).error.find("tolerance") != std::string::npos);
  CHECK(find_saturation(two, nan, {}).error.find("tolerance") != std::string::npos);
  CHECK(find_saturation(two, 0.05, {0.0}).error.find("positive duration") != std::string::npos);
  CHECK(find_saturation(two, 0.05, {0.1}).error.find("0 latencies for 1 limits") != std::string::npos);
  CHECK(find_saturation({{10, 10, 10, {}}, {20, 0, 0, {}}}, 0.05, {}).error.find("no request arrived") !=
        std::string::npos);
  CHECK(find_saturation({{10, 10, 10, {}}, {nan, 20, 20, {}}}, 0.05, {}).error.find("not a number") !=
        std::string::npos);
  CHECK(find_saturation({{10, 10, 10, {-1}}, {20, 20, 20, {0.1}}}, 0.05, {0.1}).error.find("latency") !=
        std::string::npos);
  CHECK(find_saturation(two, 0.05, {}).ok());
}
