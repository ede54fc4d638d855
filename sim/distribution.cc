#include "sim/distribution.h"

#include <cmath>

namespace sim {

static Time round_ns(double x) {
  if (!(x > 0)) return 0;
  if (x >= 9.0e18) return INT64_MAX / 2;
  return nearest_ns(x);
}

Time Distribution::sample_random(Rng& rng) const {
  switch (kind) {
    case Kind::Constant:
      return a;
    case Kind::Exp:
      return round_ns(rng.exponential(static_cast<double>(a)));
    case Kind::Uniform:
      return round_ns(rng.uniform(static_cast<double>(a), static_cast<double>(b)));
    case Kind::Normal: {
      // Truncated at 0 by redrawing, so the mass below zero is not piled up at 0.
      for (int i = 0; i < 64; ++i) {
        double x = rng.normal(static_cast<double>(a), static_cast<double>(b));
        if (x >= 0) return round_ns(x);
      }
      return 0;
    }
    case Kind::Lognormal:
      return round_ns(rng.lognormal(static_cast<double>(a), sigma));
    case Kind::Choice: {
      double total = 0;
      for (const auto& c : choices) total += c.first;
      double u = rng.uniform01() * total;
      for (const auto& c : choices) {
        if (u < c.first) return c.second;
        u -= c.first;
      }
      return choices.back().second;
    }
  }
  return a;
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::Constant:
    case Kind::Exp:
    case Kind::Normal:  // ignores the truncation; only used for reports and limits
      return static_cast<double>(a);
    case Kind::Uniform:
      return (static_cast<double>(a) + static_cast<double>(b)) / 2;
    case Kind::Lognormal:
      return static_cast<double>(a) * std::exp(sigma * sigma / 2);
    case Kind::Choice: {
      double total = 0, sum = 0;
      for (const auto& c : choices) {
        total += c.first;
        sum += c.first * static_cast<double>(c.second);
      }
      return total > 0 ? sum / total : 0;
    }
  }
  return 0;
}

}  // namespace sim
